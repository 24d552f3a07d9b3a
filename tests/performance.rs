//! Performance reports: a report for a period gives each indicator (a
//! metric of the plan) its figure and a grade on the scale the site
//! declares; the page shows every grade in words, the change from the
//! period before and a link to the metric; metric series hold figures in
//! words with a note; bad grades, periods and repeats are located errors.

mod common;
use common::*;

const REPORT: &str = "content/performance/2025-q3.md";
const PAGE: &str = "performance/2025-q3/index.html";

fn built(site: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(site, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The page's row for one indicator.
fn row<'a>(page: &'a str, metric: &str) -> &'a str {
    let start = page
        .find(&format!("<tr id=\"indicator-{metric}\">"))
        .unwrap_or_else(|| panic!("no row for {metric}"));
    let end = start + page[start..].find("</tr>").unwrap();
    &page[start..end]
}

#[test]
fn a_report_shows_every_indicator_with_its_figure_grade_in_words_and_change() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    assert!(page.contains("<dt>Period</dt><dd>2025 Q3</dd>"), "{page}");
    assert!(
        page.contains("Not stated in the report"),
        "no report date is stated"
    );
    // The burglary figure is the metric's own for the period; the change is
    // worked out from the quarter before, in the series.
    let burglary = row(&page, "burglary-rate");
    for text in [
        "href=\"../../metrics/burglary-rate/\">Residential burglary rate</a>",
        "(Lower is better)",
        "5.1 <span class=\"meta\">per 1,000 households</span>",
        "The metric’s published figure",
        "&lt; 5 per 1,000 households",
        "Down 0.7 <span class=\"meta\">(from 5.8 in 2025 Q2)</span>",
        "<strong class=\"grade grade-amber\">Amber</strong>",
        "<span class=\"meta\">(requires additional scrutiny)</span>",
    ] {
        assert!(burglary.contains(text), "{text:?} not in {burglary}");
    }
    // A figure the report prints itself is shown as printed; "number" is
    // not a unit a reader needs.
    let repeat = row(&page, "repeat-victims");
    assert!(
        repeat.contains("203</td>") || repeat.contains("203<"),
        "{repeat}"
    );
    assert!(
        !repeat.contains("The metric’s published figure"),
        "{repeat}"
    );
    assert!(repeat.contains("Up 15"), "{repeat}");
    assert!(repeat.contains(">Green</strong>"), "{repeat}");
    // Commentary on an indicator, and the count of each grade.
    assert!(
        page.contains("The rate is still above the plan&#39;s target."),
        "{page}"
    );
    let counts = &page[page.find("id=\"grades\"").expect("no grade counts")..];
    assert!(
        counts.contains("<th scope=\"row\">Amber</th><td class=\"num\">1</td>"),
        "{counts}"
    );
    // The metric's page links back to the report.
    let metric = read(out.path(), "metrics/burglary-rate/index.html");
    assert!(metric.contains("Performance reports on it"), "{metric}");
    assert!(metric.contains("performance/2025-q3/"), "{metric}");
}

#[test]
fn a_report_names_the_grade_the_last_report_gave() {
    let site = copy_fixture();
    // Test content, not from any source.
    write(
        site.path(),
        "content/performance/2025-q2.md",
        "---\nid: 2025-q2\ntitle: Performance against the plan, 2025 Q2\nperiod: 2025-Q2\nindicators:\n  - metric: burglary-rate\n    grade: red\n---\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let burglary = row(&page, "burglary-rate");
    assert!(
        burglary.contains("Last report: <a href=\"../../performance/2025-q2/\">Red (2025 Q2)</a>"),
        "{burglary}"
    );
    // The earlier report has nothing earlier to compare with.
    let earlier = read(out.path(), "performance/2025-q2/index.html");
    assert!(!earlier.contains("Last report:"), "{earlier}");
    // Newest first on the list page.
    let list = read(out.path(), "performance/index.html");
    let q3 = list.find("performance/2025-q3/").expect("q3 listed");
    let q2 = list.find("performance/2025-q2/").expect("q2 listed");
    assert!(q3 < q2, "{list}");
}

#[test]
fn a_report_is_in_the_open_data_and_found_by_search() {
    let out = built(&fixture());
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    assert!(
        json["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "performance" && r["id"] == "2025-q3"),
        "records.json has no performance report"
    );
    assert!(read(out.path(), "records.csv").contains("performance/2025-q3/"));
    let urls = search_urls(out.path(), "performance against the plan");
    assert!(
        urls.iter().take(5).any(|u| u == "performance/2025-q3/"),
        "{urls:?}"
    );
}

#[test]
fn an_unknown_grade_is_an_error_at_its_line_naming_the_scale() {
    let err = broken_build(|root| edit(root, REPORT, "grade: amber", "grade: ambr"));
    assert!(
        err.contains("`ambr` is not a grade this site declares"),
        "{err}"
    );
    assert!(
        err.contains("content/performance/2025-q3.md:11:12"),
        "{err}"
    );
    assert!(err.contains("did you mean `amber`?"), "{err}");
    assert!(err.contains("`green`, `amber`, `red`, `ungraded`"), "{err}");
}

#[test]
fn a_grade_on_a_site_with_no_scale_says_how_to_declare_one() {
    let err = broken_build(|root| {
        let path = root.join("content/site.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let cut = text.find("grades:").expect("the fixture declares grades");
        std::fs::write(&path, &text[..cut]).unwrap();
    });
    assert!(
        err.contains("`amber` is not a grade this site declares"),
        "{err}"
    );
    assert!(
        err.contains("declare the grades the reports use in site.yaml"),
        "{err}"
    );
}

#[test]
fn bad_reports_are_located_errors() {
    // A period that does not parse.
    let err = broken_build(|root| edit(root, REPORT, "period: 2025-Q3", "period: Q3 2025"));
    assert!(err.contains("`Q3 2025` is not a period"), "{err}");
    assert!(err.contains("content/performance/2025-q3.md:7:9"), "{err}");
    assert!(
        err.contains("2023/24 Q3"),
        "the hint shows the forms: {err}"
    );
    // An indicator listed twice.
    let err = broken_build(|root| {
        edit(
            root,
            REPORT,
            "  - metric: repeat-victims",
            "  - metric: burglary-rate\n  - metric: repeat-victims",
        )
    });
    assert!(
        err.contains("the indicator `burglary-rate` is listed twice in this report"),
        "{err}"
    );
    assert!(
        err.contains("content/performance/2025-q3.md:13:13"),
        "{err}"
    );
    // A metric that is not on the site.
    let err = broken_build(|root| edit(root, REPORT, "metric: burglary-rate", "metric: burglary"));
    assert!(err.contains("burglary"), "{err}");
    assert!(err.contains("content/performance/2025-q3.md:10:"), "{err}");
    // The same grade declared twice in site.yaml.
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "  - id: red\n",
            "  - id: amber\n",
        )
    });
    assert!(err.contains("the grade `amber` is declared twice"), "{err}");
    assert!(err.contains("content/site.yaml:"), "{err}");
}

#[test]
fn a_series_figure_in_words_with_a_note_is_in_the_table_and_not_the_chart() {
    let site = copy_fixture();
    // Test content, not from any source.
    edit(
        site.path(),
        "content/metrics/series/burglary-rate.csv",
        "2025-Q3,5.1,provisional",
        "2025-Q3,5.1,provisional\n2025-Q4,not available,figures not yet published",
    );
    let out = built(site.path());
    let page = read(out.path(), "metrics/burglary-rate/index.html");
    assert!(page.contains("not available"), "the table shows it: {page}");
    assert!(page.contains("figures not yet published"), "{page}");
    assert!(
        page.contains("1 period with no figure in numbers is in the table only."),
        "the chart says what it leaves out: {page}"
    );
    // The chart still ends at the last figure in numbers.
    assert!(
        page.contains("Latest: 5.1 per 1,000 households in 2025 Q3."),
        "{page}"
    );
    let csv = read(out.path(), "metrics.csv");
    assert!(csv.contains("not available"), "{csv}");
    // Words with no note saying why are an error at the cell.
    let err = broken_build(|root| {
        edit(
            root,
            "content/metrics/series/burglary-rate.csv",
            "2025-Q3,5.1,provisional",
            "2025-Q3,n/a,",
        )
    });
    assert!(err.contains("`n/a` is not a number"), "{err}");
    assert!(err.contains("burglary-rate.csv:4:9"), "{err}");
    assert!(err.contains("needs a note saying why"), "{err}");
}
