//! Annual reports (PRSRA 2011 s.12), added through the record-kind
//! registry: the page with its year and the commitments it reports on, the
//! statutory cycle built from the Panel report that `concerns:` it and the
//! response to that report, `check`'s warning about a step with no
//! document (and a `note:` clearing it), search, the open data, backlinks
//! and a located error for a year that does not parse.
//!
//! The fixture's annual report is modelled on the Cambridgeshire and
//! Peterborough Commissioner's decision approving the 2019-20 report (see
//! the comment in `tests/fixtures/site/content/annual-reports/2019-20.md`).

mod common;
use common::*;

use std::process::Command;

const PAGE: &str = "annual-reports/2019-20/index.html";
const FILE: &str = "content/annual-reports/2019-20.md";

fn built(root: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(root, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The statutory cycle section of an annual report page.
fn cycle(page: &str) -> &str {
    let start = page
        .find("id=\"cycle-heading\"")
        .expect("the page has a statutory cycle");
    let end = page[start..].find("</section>").unwrap() + start;
    &page[start..end]
}

const PANEL_REPORT: &str = "---\nid: ar-2019-20-report\ntype: report\ntitle: Panel report on the annual report 2019-20\ndate: 2020-10-05\nconcerns: \"annual-report 2019-20\"\ntopic: annual-report\n---\nThe Panel endorsed the annual report.\n";
const RESPONSE: &str = "---\nid: ar-2019-20-response\ntitle: Response to the Panel's report on the annual report\ndate: 2020-10-20\nresponds_to: ar-2019-20-report\n---\nThank you for your report.\n";

#[test]
fn the_page_shows_the_year_and_the_commitments_it_reports_on() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    for text in [
        "<h1>Police and Crime Commissioner’s Annual Report for 2019-20</h1>",
        "<div><dt>Financial year</dt><dd>2019-20</dd></div>",
        "<dt>Published</dt><dd>Not stated</dd>",
        "<dt>Presented to the Panel</dt><dd><time datetime=\"2020-09-30\">30 September 2020</time></dd>",
        "<h2 id=\"reports-on\">What it reports on</h2>",
        "<a href=\"../../commitments/reduce-burglary/\">",
    ] {
        assert!(
            page.contains(text),
            "the annual report page has no {text:?}"
        );
    }
    // The commitment lists it among its backlinks.
    let commitment = read(out.path(), "commitments/reduce-burglary/index.html");
    assert!(commitment.contains("Annual reports on it"), "{commitment}");
    assert!(
        commitment.contains("href=\"../../annual-reports/2019-20/\""),
        "{commitment}"
    );
}

#[test]
fn the_panel_report_and_the_response_appear_in_the_cycle() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    let c = cycle(&page);
    assert_eq!(c.matches("<h3>").count(), 4, "{c}");
    assert_eq!(c.matches("Not published on this site").count(), 2, "{c}");

    let site = copy_fixture();
    // The stated gaps go once the documents are on the site: the steps'
    // notes are taken out, and the Panel report and response found.
    let text = std::fs::read_to_string(site.path().join(FILE)).unwrap();
    let start = text.find("panel_report:\n").unwrap();
    let end = text.find("---\nThe decision").unwrap();
    let text = format!("{}{}", &text[..start], &text[end..]);
    std::fs::write(site.path().join(FILE), text).unwrap();
    write(
        site.path(),
        "content/panel/ar-2019-20-report.md",
        PANEL_REPORT,
    );
    write(
        site.path(),
        "content/responses/ar-2019-20-response.md",
        RESPONSE,
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let c = cycle(&page);
    assert!(
        c.contains("href=\"../../panel/ar-2019-20-report/\""),
        "the cycle does not link the Panel report: {c}"
    );
    assert!(
        c.contains(
            "Reported: <strong><time datetime=\"2020-10-05\">5 October 2020</time></strong>"
        ),
        "{c}"
    );
    assert!(
        c.contains("href=\"../../responses/ar-2019-20-response/\""),
        "the cycle does not link the response: {c}"
    );
    assert!(
        c.contains(
            "Responded: <strong><time datetime=\"2020-10-20\">20 October 2020</time></strong>"
        ),
        "{c}"
    );
    assert!(!c.contains("Not published on this site"), "{c}");
    // The Panel report links back to the annual report.
    let report = read(out.path(), "panel/ar-2019-20-report/index.html");
    assert!(
        report.contains("href=\"../../annual-reports/2019-20/\""),
        "{report}"
    );
}

/// A starter site (`plansite new`), which passes `check --strict`.
fn starter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .arg("new")
        .arg(dir.path().join("site"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

fn strict(root: &std::path::Path) -> std::process::Output {
    Command::new(BIN)
        .args(["check", "--strict", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn a_missing_panel_report_step_warns_and_a_note_clears_it() {
    let dir = starter();
    let root = dir.path().join("site");
    let file = "content/annual-reports/2024-25.md";
    // With its notes the starter's annual report is clean.
    let o = strict(&root);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("annual report"), "{}", stderr(&o));

    // The Panel's report step, its note taken away, is a gap.
    edit(
        &root,
        file,
        "panel_report:\n  note: The Panel's report on the annual report is not yet published on this site.\n",
        "",
    );
    let o = strict(&root);
    let err = stderr(&o);
    assert!(
        err.contains("the annual report `2024-25` has no record for the statutory step “Panel’s report or recommendations on the annual report”"),
        "{err}"
    );
    assert!(err.contains("content/annual-reports/2024-25.md:"), "{err}");
    assert_eq!(o.status.code(), Some(1), "--strict fails: {err}");
    // Without --strict it is a warning, not an error.
    let o = check(&root);
    assert!(o.status.success(), "{}", stderr(&o));

    // A note saying why there is none is a stated gap: no warning.
    edit(
        &root,
        file,
        "response:\n",
        "panel_report:\n  note: Not yet received.\nresponse:\n",
    );
    let o = strict(&root);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn annual_reports_are_listed_searched_and_in_the_open_data() {
    let out = built(&fixture());
    let list = read(out.path(), "annual-reports/index.html");
    assert!(
        list.contains("href=\"../annual-reports/2019-20/\""),
        "{list}"
    );
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    let row = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "annual-report")
        .expect("records.json has no annual report");
    assert_eq!(row["id"], "2019-20");
    assert_eq!(
        row["title"],
        "Police and Crime Commissioner’s Annual Report for 2019-20"
    );
    assert!(read(out.path(), "records.csv").contains("annual-report,2019-20,"));
    let urls = search_urls(out.path(), "annual report 2019");
    assert_eq!(urls[0], "annual-reports/2019-20/", "{urls:?}");
}

#[test]
fn a_year_that_does_not_parse_is_a_located_error_with_a_hint() {
    for bad in ["2019/21", "2019", "19-20"] {
        let err = broken_build(|root| edit(root, FILE, "year: 2019-20", &format!("year: {bad}")));
        assert!(
            err.contains(&format!("`{bad}` is not a financial year")),
            "{err}"
        );
        assert!(
            err.contains("content/annual-reports/2019-20.md:12:7"),
            "{err}"
        );
        assert!(err.contains("`year: 2023/24`"), "the hint: {err}");
    }
}

#[test]
fn reports_on_takes_commitments_and_sections_only() {
    let err = broken_build(|root| {
        edit(
            root,
            FILE,
            "reports_on: [\"commitment reduce-burglary\"]",
            "reports_on: [\"decision 001/2025\"]",
        )
    });
    assert!(
        err.contains("content/annual-reports/2019-20.md:13:"),
        "{err}"
    );
    assert!(err.contains("not on a decision"), "{err}");
}

#[test]
fn a_step_names_its_document_with_record_and_it_must_be_of_the_step_kind() {
    // A Panel report that does not name the annual report, named on the
    // step instead; the response to it is still found.
    let site = copy_fixture();
    write(
        site.path(),
        "content/panel/ar-2019-20-report.md",
        &PANEL_REPORT.replace("concerns: \"annual-report 2019-20\"\n", ""),
    );
    write(
        site.path(),
        "content/responses/ar-2019-20-response.md",
        RESPONSE,
    );
    edit(
        site.path(),
        FILE,
        "panel_report:\n",
        "panel_report:\n  record: \"panel ar-2019-20-report\"\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let c = cycle(&page);
    assert!(c.contains("href=\"../../panel/ar-2019-20-report/\""), "{c}");
    assert!(
        c.contains("href=\"../../responses/ar-2019-20-response/\""),
        "{c}"
    );

    // A response named as the Panel's report is a located error.
    let err = broken_build(|root| {
        edit(
            root,
            FILE,
            "panel_report:\n",
            "panel_report:\n  record: \"response 2025-02-17\"\n",
        )
    });
    assert!(
        err.contains("content/annual-reports/2019-20.md:16:11"),
        "{err}"
    );
    assert!(
        err.contains("this step's document is a panel document, not a response"),
        "{err}"
    );
    assert!(err.contains("record: \"panel <id>\""), "the hint: {err}");
}
