//! Documents published elsewhere (`content/documents/<id>.yaml`): their
//! page says so and links to the original, and the site's own records can
//! answer one (a response's `responds_to:`), concern one (a Panel
//! document's `concerns:`), cite one on a plan's statutory step and hold
//! the metrics one sets; references to them are checked like any other.
//!
//! The fixture site holds the Warwickshire Commissioner's page on the
//! National Crime and Policing Measures; `tests/fixtures/external-documents/`
//! adds the Staffordshire Panel's report on its plan, the West Mercia
//! Panel's report on its draft plan with the Commissioner's response, the
//! Leicestershire Panel's minute on a revised precept and the metric the
//! national measures set. Each file names its source.

mod common;
use common::*;

use std::path::Path;

/// A starter site (`plansite new`, clean under `check --strict`) with
/// `tests/fixtures/external-documents/` added to its content; the site's
/// root is `site/` inside the folder.
fn site() -> tempfile::TempDir {
    starter_with(&["tests/fixtures/external-documents"], "")
}

fn root(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("site")
}

fn built(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(root, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

const STAFFORDSHIRE: &str = "documents/staffordshire-panel-plan-report-2024/index.html";
const STAFFORDSHIRE_URL: &str = "https://staffordshire.gov.uk/Your-council-and-democracy/Staffordshire-PFC-panel/Responses/Commissioners-Response-to-Panel-Plan-Report-2023-24.aspx";

#[test]
fn the_page_says_it_is_published_elsewhere_by_whom_and_links_to_it() {
    let out = built(&root(&site()));
    let page = read(out.path(), STAFFORDSHIRE);
    for text in [
        "<h1>Staffordshire Police, Fire and Crime Panel – 30 September 2024 - Consideration of Police and Crime Plan 2024/28</h1>",
        "<strong>This document is not published on this site.</strong>",
        "<dt>Publisher</dt><dd>Staffordshire Police, Fire and Crime Panel</dd>",
        "<time datetime=\"2024-10-22\">22 October 2024</time>",
        &format!("<a href=\"{STAFFORDSHIRE_URL}\">Read it at staffordshire.gov.uk</a>"),
    ] {
        assert!(page.contains(text), "{text:?} not on the page:\n{page}");
    }
    // The date as the source gives it, or why there is none.
    let west_mercia = read(
        out.path(),
        "documents/west-mercia-panel-draft-plan-report/index.html",
    );
    assert!(
        west_mercia.contains("<dt>Date</dt><dd>Not stated <span class=\"meta\">(not printed in the copy seen; the copy&#39;s file name is pcp-report13_03_13)</span>"),
        "{west_mercia}"
    );
    assert!(
        west_mercia.contains("Read it at studylib.net"),
        "{west_mercia}"
    );
    // The list page names every document published elsewhere.
    let list = read(out.path(), "documents/index.html");
    for url in [
        "staffordshire-panel-plan-report-2024/",
        "west-mercia-panel-draft-plan-report/",
        "llr-revised-precept-2026-27/",
        "national-crime-and-policing-measures/",
    ] {
        assert!(list.contains(url), "{url} not listed:\n{list}");
    }
}

#[test]
fn a_response_can_answer_a_document_published_elsewhere() {
    let out = built(&root(&site()));
    let response = read(
        out.path(),
        "responses/west-mercia-draft-plan-response/index.html",
    );
    assert!(
        response.contains("<dt>Responds to</dt><dd><a href=\"../../documents/west-mercia-panel-draft-plan-report/\">West Mercia Police and Crime Panel Report on the Draft Police and Crime Plan</a></dd>"),
        "{response}"
    );
    let document = read(
        out.path(),
        "documents/west-mercia-panel-draft-plan-report/index.html",
    );
    assert!(document.contains("Responses to it"), "{document}");
    assert!(
        document.contains("href=\"../../responses/west-mercia-draft-plan-response/\""),
        "{document}"
    );
}

#[test]
fn a_panel_document_can_concern_one_and_markdown_can_refer_to_one() {
    let out = built(&root(&site()));
    let document = read(
        out.path(),
        "documents/llr-revised-precept-2026-27/index.html",
    );
    assert!(document.contains("Panel documents about it"), "{document}");
    assert!(
        document.contains("href=\"../../panel/llr-pcp-2026-02-12-minutes/\""),
        "{document}"
    );
    let minutes = read(out.path(), "panel/llr-pcp-2026-02-12-minutes/index.html");
    assert!(
        minutes.contains(
            "href=\"../../documents/llr-revised-precept-2026-27/\">the Commissioner's report</a>"
        ),
        "{minutes}"
    );
}

#[test]
fn a_plan_step_citing_one_is_met_and_a_step_with_a_note_is_a_stated_gap() {
    let site = site();
    let o = run(&["check", "--strict", "--root", root(&site).to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        !err.contains("2024-2028"),
        "a warning about the plan: {err}"
    );
    let out = built(&root(&site));
    let plan = read(out.path(), "plan/2024-2028/index.html");
    assert!(
        plan.contains("href=\"../../documents/staffordshire-panel-plan-report-2024/\""),
        "the Panel-report step links the document: {plan}"
    );
    assert!(
        plan.contains(
            "The Commissioner&#39;s response to the Panel&#39;s report is not in the sources seen."
        ),
        "{plan}"
    );
    let document = read(out.path(), STAFFORDSHIRE);
    assert!(
        document.contains("Statutory steps it records"),
        "{document}"
    );

    // Without its note the response step is a gap `check` warns about.
    edit(
        &root(&site),
        "content/plans/2024-2028/plan.yaml",
        "    note: The Commissioner's response to the Panel's report is not in the sources seen.\n",
        "",
    );
    let o = check(&root(&site));
    let err = stderr(&o);
    assert!(
        err.contains("the plan `2024-2028` has no record for the statutory step “Commissioner's response to the Panel”"),
        "{err}"
    );
}

#[test]
fn a_metric_can_belong_to_a_document_published_elsewhere() {
    let out = built(&root(&site()));
    let metric = read(out.path(), "metrics/reduce-neighbourhood-crime/index.html");
    assert!(
        metric.contains("As set by <a href=\"../../documents/national-crime-and-policing-measures/\">National Crime and Policing Measures</a> (published elsewhere)"),
        "{metric}"
    );
    let document = read(
        out.path(),
        "documents/national-crime-and-policing-measures/index.html",
    );
    assert!(document.contains("Metrics it sets"), "{document}");
    assert!(
        document.contains("href=\"../../metrics/reduce-neighbourhood-crime/\""),
        "{document}"
    );
    let list = read(out.path(), "metrics/index.html");
    assert!(
        list.contains("Measures set by a document published elsewhere, by Warwickshire Police and Crime Commissioner."),
        "{list}"
    );
    assert!(
        list.contains("metrics/reduce-neighbourhood-crime/"),
        "{list}"
    );
}

#[test]
fn search_finds_it_by_title_and_publisher_and_the_open_data_lists_it() {
    let out = built(&root(&site()));
    for query in ["Staffordshire Panel", "studylib", "Warwickshire"] {
        let urls = search_urls(out.path(), query);
        assert!(
            urls.iter().any(|u| u.contains("documents/")),
            "{query}: {urls:?}"
        );
    }
    let csv = std::fs::read_to_string(out.path().join("records.csv")).unwrap();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("document,")
                && l.contains("staffordshire-panel-plan-report-2024")),
        "{csv}"
    );
    let json = std::fs::read_to_string(out.path().join("records.json")).unwrap();
    assert!(
        json.contains("/documents/west-mercia-panel-draft-plan-report/\""),
        "{json}"
    );
}

#[test]
fn an_unknown_document_is_an_error_with_a_hint() {
    let site = site();
    edit(
        &root(&site),
        "content/panel/llr-pcp-2026-02-12-minutes.md",
        "([[document llr-revised-precept-2026-27|",
        "([[document llr-revised-precept-2026|",
    );
    let o = check(&root(&site));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("there is no document published elsewhere `llr-revised-precept-2026`"),
        "{err}"
    );
    assert!(
        err.contains("content/panel/llr-pcp-2026-02-12-minutes.md:16"),
        "{err}"
    );
    assert!(
        err.contains("llr-revised-precept-2026-27"),
        "the hint names the nearest: {err}"
    );
}

#[test]
fn an_address_that_is_not_http_is_an_error_at_its_place() {
    let site = site();
    let file = "content/documents/staffordshire-panel-plan-report-2024.yaml";
    edit(
        &root(&site),
        file,
        &format!("url: {STAFFORDSHIRE_URL}"),
        "url: ftp://staffordshire.gov.uk/report.pdf",
    );
    let o = check(&root(&site));
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains(&format!("{file}:11:6")), "{err}");
    assert!(err.contains("http:, https:"), "the hint: {err}");

    let site = self::site();
    edit(
        &root(&site),
        file,
        &format!("url: {STAFFORDSHIRE_URL}"),
        "url: ../panel/",
    );
    let err = stderr(&check(&root(&site)));
    assert!(err.contains("`../panel/` is not a web address"), "{err}");
    assert!(err.contains("starting https://"), "{err}");
}

#[test]
fn a_response_to_one_gives_its_answers_in_its_text() {
    let site = site();
    edit(
        &root(&site),
        "content/responses/west-mercia-draft-plan-response.md",
        "responds_to: document west-mercia-panel-draft-plan-report\n",
        "responds_to: document west-mercia-panel-draft-plan-report\nanswers:\n  - recommendation: objectives\n    outcome: not-stated\n",
    );
    let err = stderr(&check(&root(&site)));
    assert!(
        err.contains("a response to a document published elsewhere cannot answer its recommendations one by one"),
        "{err}"
    );
    assert!(
        err.contains("content/responses/west-mercia-draft-plan-response.md:12:21"),
        "{err}"
    );
}
