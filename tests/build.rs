//! The engine, story by story: build the fixture site, look at what it
//! wrote, break it in each way an author can, and check that every error
//! names its place and that the published site survives.

mod common;

use common::*;
use std::process::Command;

/// The main element of a page, which is what snapshots compare: the
/// header and footer are the same on every page.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("main closes") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn the_fixture_site_builds_every_kind_of_page() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = String::from_utf8_lossy(&o.stdout);
    assert!(summary.starts_with("Built "), "one summary line: {summary}");
    for page in [
        "index.html",
        "plan/2025-2029/index.html",
        "plan/2025-2029/section-1/index.html",
        "commitments/reduce-burglary/index.html",
        "metrics/burglary-rate/index.html",
        "grants/2025-26/index.html",
        "grants/2025-26/general-fund/index.html",
        "decisions/001-2025/index.html",
        "decisions/wpcc3-0089/index.html",
        "panel/2025-02-03-report/index.html",
        "responses/2025-02-17/index.html",
        "papers/board-2025-01-21/index.html",
        "variations/2026/index.html",
        "about/index.html",
        "accessibility/index.html",
        "search/index.html",
        "browse/index.html",
        "404.html",
    ] {
        assert!(out.path().join(page).is_file(), "missing {page}");
    }
    let home = read(out.path(), "index.html");
    for link in [
        "plan/2025-2029/",
        "commitments/",
        "metrics/",
        "grants/",
        "decisions/",
        "panel/",
    ] {
        assert!(
            home.contains(&format!("href=\"./{link}\"")),
            "home links to {link}"
        );
    }
}

#[test]
fn rendered_pages_match_their_snapshots() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    for page in [
        "metrics/repeat-victims/index.html",
        "grants/2025-26/index.html",
        "grants/2024-25/index.html",
        "decisions/wpcc3-0089/index.html",
        "decisions/003-2025/index.html",
        "panel/2025-02-03-report/index.html",
        "responses/2025-02-17/index.html",
        "commitments/reduce-burglary/index.html",
        "plan/2025-2029/index.html",
    ] {
        let name = page.trim_end_matches("/index.html").replace('/', "__");
        insta::assert_snapshot!(name, main_of(&read(out.path(), page)));
    }
}

#[test]
fn a_metric_with_a_series_gets_a_chart_and_a_table_and_one_without_says_so() {
    let out = tempfile::tempdir().unwrap();
    assert!(build(&fixture(), out.path()).status.success());
    let html = read(out.path(), "metrics/repeat-victims/index.html");
    assert!(html.contains("<svg class=\"chart chart-wide\""));
    assert!(html.contains("<svg class=\"chart chart-narrow\""));
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<caption"));
    assert!(html.contains("2025 Q4"));
    let a = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), a.path());
    std::fs::remove_file(a.path().join("content/metrics/series/repeat-victims.csv")).unwrap();
    let out2 = tempfile::tempdir().unwrap();
    assert!(build(a.path(), out2.path()).status.success());
    let html = read(out2.path(), "metrics/repeat-victims/index.html");
    assert!(html.contains("No figures published yet"));
    assert!(!html.contains("<svg"));
}

#[test]
fn a_missing_grant_amount_is_shown_as_not_stated_and_no_total_is_claimed() {
    let out = tempfile::tempdir().unwrap();
    assert!(build(&fixture(), out.path()).status.success());
    let html = read(out.path(), "grants/2025-26/index.html");
    assert!(html.contains("Not yet decided"));
    assert!(html.contains("1 amount is not stated, so no total is given"));
    assert!(!html.contains("<tfoot>"));
    let rounded = read(out.path(), "grants/2024-25/index.html");
    assert!(rounded.contains("within the rounding tolerance"));
}

#[test]
fn drafts_and_confidential_bodies_reach_no_output_file() {
    let out = tempfile::tempdir().unwrap();
    assert!(build(&fixture(), out.path()).status.success());
    let mut stub_seen = false;
    for (path, bytes) in tree(out.path()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("CANARYCONFIDENTIALWORD"),
            "confidential body in {}",
            path.display()
        );
        assert!(
            !text.contains("CANARYDRAFTWORD"),
            "draft in {}",
            path.display()
        );
        assert!(
            !text.contains("neighbourhood wardens"),
            "draft title in {}",
            path.display()
        );
        stub_seen |= text.contains("Custody contract award");
    }
    assert!(stub_seen, "the confidential decision's stub is published");
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(build(&fixture(), a.path()).status.success());
    assert!(build(&fixture(), b.path()).status.success());
    let ta = tree(a.path());
    let tb = tree(b.path());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(
            bytes == &tb[path],
            "{} differs between builds",
            path.display()
        );
    }
}

#[test]
fn plansite_new_makes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-site");
    let o = Command::new(BIN).arg("new").arg(&site).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("out");
    let o = build(&site, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file());
    // It refuses to overwrite.
    let again = Command::new(BIN).arg("new").arg(&site).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// Builds a good site into `out`, breaks it with `damage`, builds again,
/// and returns the failed build's stderr after checking that it exited 1
/// and left `out` byte-for-byte as it was.
#[test]
fn malformed_yaml_names_file_line_and_column() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/decisions/001-2025.md",
            "commitments: [reduce-burglary]",
            "commitments: [reduce-burglary",
        );
    });
    assert!(err.contains("content/decisions/001-2025.md:"), "{err}");
    assert!(err.contains("help:"), "{err}");
}

#[test]
fn an_unknown_field_suggests_the_right_one() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/pages/about.md",
            "title: About",
            "titel: About",
        );
    });
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert!(err.contains("content/pages/about.md:3:1"), "{err}");
    assert!(err.contains("did you mean `title`?"), "{err}");
}

#[test]
fn a_duplicate_id_names_both_files() {
    let err = broken_build(|root| {
        std::fs::copy(
            root.join("content/pages/about.md"),
            root.join("content/pages/about-copy.md"),
        )
        .unwrap();
    });
    assert!(
        err.contains("two records have the same address `about/`"),
        "{err}"
    );
    assert!(err.contains("content/pages/about-copy.md:2:5"), "{err}");
    assert!(err.contains("content/pages/about.md:2:5"), "{err}");
}

#[test]
fn two_decision_numbers_with_one_address_name_both_files() {
    let err = broken_build(|root| {
        std::fs::write(
            root.join("content/decisions/001-2025-again.md"),
            "---\nnumber: \"001-2025\"\ntitle: Another\n---\n",
        )
        .unwrap();
    });
    assert!(
        err.contains("two decisions have numbers that make the same address `decisions/001-2025/`"),
        "{err}"
    );
    assert!(err.contains("001-2025-again.md:2:9"), "{err}");
    assert!(err.contains("content/decisions/001-2025.md:2:9"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_is_named_with_its_position() {
    let err = broken_build(|root| {
        let path = root.join("content/pages/about.md");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"caf\xe9\n");
        std::fs::write(&path, bytes).unwrap();
    });
    assert!(err.contains("content/pages/about.md:6:4"), "{err}");
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn a_bad_csv_row_names_its_line_and_column() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/metrics/series/burglary-rate.csv",
            "2025-Q2,5.8",
            "2025-Q2,five",
        );
    });
    assert!(
        err.contains("content/metrics/series/burglary-rate.csv:3:9"),
        "{err}"
    );
    assert!(err.contains("`five` is not a number"), "{err}");
}

#[test]
fn a_template_error_names_the_template_file_and_position() {
    let err = broken_build(|root| {
        let dir = root.join("themes/default/templates");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("page.html"),
            "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ record.meta.title | }}</h1>\n{% endblock content %}\n",
        )
        .unwrap();
    });
    assert!(
        err.contains("themes/default/templates/page.html:3:"),
        "{err}"
    );
    assert!(err.contains("template error"), "{err}");
}

#[test]
fn a_broken_reference_suggests_the_nearest_id() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/pages/foi.md",
            "[[decision WPCC3-0089|",
            "[[decision WPCC3-0098|",
        );
    });
    assert!(err.contains("there is no decision `WPCC3-0098`"), "{err}");
    assert!(err.contains("content/pages/foi.md:6:38"), "{err}");
    assert!(err.contains("did you mean `WPCC3-0089`?"), "{err}");
}

#[test]
fn a_reference_broken_over_two_lines_is_an_error_not_raw_text() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/pages/foi.md",
            "[[decision WPCC3-0089|",
            "[[decision WPCC3-0089|a\nlabel ",
        );
    });
    assert!(err.contains("no closing `]]` on its line"), "{err}");
    assert!(err.contains("content/pages/foi.md:6:"), "{err}");
    assert!(
        err.contains("keep the whole reference on one line"),
        "{err}"
    );
}

#[test]
fn a_reference_to_a_missing_paragraph_or_recommendation_is_an_error() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/decisions/wpcc3-0089.md",
            "001/2025#para-2",
            "001/2025#para-9",
        );
        edit(
            root,
            "content/plans/2025-2029/section-1.md",
            "#rec-burglary",
            "#rec-burglay",
        );
    });
    assert!(err.contains("has no paragraph 9"), "{err}");
    assert!(err.contains("content/decisions/wpcc3-0089.md:17:"), "{err}");
    assert!(err.contains("has no recommendation `burglay`"), "{err}");
    assert!(err.contains("did you mean `rec-burglary`?"), "{err}");
}

#[test]
fn a_grants_total_that_does_not_add_up_fails() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/grants/2024-25.yaml",
            "stated_total: 201.3",
            "stated_total: 210.3",
        );
    });
    assert!(err.contains("content/grants/2024-25.yaml:5:15"), "{err}");
    assert!(err.contains("does not match the rows"), "{err}");
}

#[test]
fn several_errors_are_all_reported_in_one_run() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/pages/about.md",
            "title: About",
            "titel: About",
        );
        edit(
            root,
            "content/metrics/series/burglary-rate.csv",
            "2025-Q2,5.8",
            "2025-Q9,5.8",
        );
        edit(
            root,
            "content/pages/foi.md",
            "[[decision WPCC3-0089|",
            "[[decision WPCC3-0098|",
        );
        edit(
            root,
            "content/commitments/section-1.yaml",
            "status: on-track",
            "status: on-trak",
        );
    });
    assert!(err.contains("unknown field `titel`"), "{err}");
    assert!(err.contains("`2025-Q9` is not a period"), "{err}");
    // The hint lists every form a period may take, financial-year ones too.
    assert!(
        err.contains("2023/24 Q3 (quarter of a financial year"),
        "{err}"
    );
    assert!(err.contains("there is no decision `WPCC3-0098`"), "{err}");
    assert!(err.contains("content/commitments/section-1.yaml:"), "{err}");
    assert!(err.contains("4 errors"), "{err}");
}

#[test]
fn check_reports_everything_and_writes_nothing() {
    let site = copy_fixture();
    let o = Command::new(BIN)
        .args(["check", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.path().join("public").exists());
    // The fixture's variation lacks statutory steps: a warning, which
    // --strict turns into a failure.
    assert!(stderr(&o).contains("warning: the plan variation `2026`"));
    let strict = Command::new(BIN)
        .args(["check", "--strict", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_2() {
    let o = Command::new(BIN).arg("bulid").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

const BRAND: &str = "branding:\n  logo:\n    src: logo.svg\n    alt: Example PCC logo\n  colours:\n    primary: \"#6d2077\"\n    link: \"#6d2077\"\n    header_background: \"#3d1043\"\n";

#[test]
fn a_brand_palette_that_passes_is_used_by_the_theme() {
    let site = copy_fixture();
    let config = site.path().join("content/site.yaml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(BRAND);
    std::fs::write(&config, text).unwrap();
    std::fs::write(
        site.path().join("content/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let home = read(out.path(), "index.html");
    // The colours are a stylesheet of their own, so the
    // Content-Security-Policy needs no inline styles.
    let brand = home
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|href| href.contains("brand."))
        .expect("the home page links the brand stylesheet");
    let css = read(
        out.path(),
        brand.trim_start_matches("../").trim_start_matches('/'),
    );
    assert!(
        css.contains("--link: #6d2077;"),
        "brand colours reach the CSS"
    );
    assert!(css.contains("--header-bg: #3d1043;"));
    assert!(!home.contains("<style"));
    assert!(home.contains("alt=\"Example PCC logo\""));
    assert!(out.path().join("logo.svg").is_file());
}

#[test]
fn a_brand_colour_that_fails_contrast_is_an_error_with_a_passing_suggestion() {
    let lines = std::fs::read_to_string(fixture().join("content/site.yaml"))
        .unwrap()
        .lines()
        .count();
    let err = broken_build(|root| {
        let config = root.join("content/site.yaml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str("branding:\n  colours:\n    primary: \"#6d2077\"\n    link: \"#7fb2e5\"\n");
        std::fs::write(&config, text).unwrap();
    });
    // `link:` is the fourth added line, its value at column 11.
    assert!(
        err.contains(&format!("content/site.yaml:{}:11", lines + 4)),
        "{err}"
    );
    assert!(err.contains("contrast ratio of 2."), "{err}");
    assert!(err.contains("needs at least 4.5:1"), "{err}");
    assert!(err.contains("the nearest shade that passes is #"), "{err}");
}
