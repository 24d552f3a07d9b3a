//! The real site: the West Midlands Police and Crime Plan 2021–2025 and the
//! 2014 decision chain, built from content/ and checked against what the
//! seed documents say.

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_plansite");

/// The site is built once for all tests in this file.
fn site() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let o = Command::new(BIN)
            .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
            .arg(out.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    })
    .path()
}

fn page(url: &str) -> Html {
    let path = site().join(url).join("index.html");
    Html::parse_document(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{url}: {e}")))
}

fn text(html: &Html) -> String {
    let main = Selector::parse("main").unwrap();
    html.select(&main)
        .next()
        .map(|m| m.text().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn hrefs(html: &Html, selector: &str) -> Vec<String> {
    let s = Selector::parse(selector).unwrap();
    html.select(&s)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

fn record_pages(kind_folder: &str) -> Vec<String> {
    let dir = site().join(kind_folder);
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.html").is_file())
        .map(|e| format!("{kind_folder}/{}", e.file_name().to_string_lossy()))
        .collect();
    out.sort();
    out
}

#[test]
fn check_reports_no_errors_on_the_real_content() {
    let o = Command::new(BIN)
        .args(["check", "--root", env!("CARGO_MANIFEST_DIR")])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("error:"), "{err}");
}

#[test]
fn the_plan_has_its_commitments_and_metrics() {
    let commitments = record_pages("commitments");
    let metrics = record_pages("metrics");
    println!(
        "{} commitment pages, {} metric pages",
        commitments.len(),
        metrics.len()
    );
    assert!(
        commitments.len() >= 100,
        "{} commitment pages",
        commitments.len()
    );
    assert!(metrics.len() >= 40, "{} metric pages", metrics.len());
}

#[test]
fn the_outcome_rate_targets_are_on_their_metric_pages() {
    for (id, target) in [
        ("domestic-abuse-positive-outcome-rate", "> 6%"),
        ("rape-positive-outcome-rate", "> 5%"),
        ("stalking-harassment-positive-outcome-rate", "> 8%"),
    ] {
        let t = text(&page(&format!("metrics/{id}")));
        assert!(t.contains(&format!("Target {target}")), "{id}: {t}");
        assert!(t.contains("No figures published yet"), "{id}");
        assert!(t.contains("published quarterly"), "{id}");
    }
}

#[test]
fn every_metric_links_back_to_a_commitment() {
    for url in record_pages("metrics") {
        let html = page(&url);
        let links = hrefs(&html, "main a[href*='commitments/']");
        assert!(!links.is_empty(), "{url} links to no commitment");
    }
}

#[test]
fn every_commitment_with_metrics_lists_them() {
    // Every metric's commitments must show it on their pages.
    for url in record_pages("metrics") {
        let id = url.trim_start_matches("metrics/");
        let html = page(&url);
        for c in hrefs(&html, "main ul a[href*='commitments/']") {
            let commitment = c.trim_start_matches("../../").trim_end_matches('/');
            let back = hrefs(&page(commitment), "main a[href*='metrics/']");
            assert!(
                back.iter().any(|h| h.trim_end_matches('/').ends_with(id)),
                "{commitment} does not list metric {id}"
            );
        }
    }
}

#[test]
fn the_grants_table_has_its_amounts_and_the_missing_one_is_not_stated() {
    let html = page("grants/2021-22");
    let t = text(&html);
    for amount in ["3,863", "400", "3,370", "3,937"] {
        assert!(t.contains(amount), "{amount} missing: {t}");
    }
    let row = Selector::parse("tr#general-commissioning").unwrap();
    let general = html
        .select(&row)
        .next()
        .expect("a General Commissioning row");
    let row_text: String = general.text().collect();
    assert!(
        row_text
            .to_lowercase()
            .contains("not stated in the published plan"),
        "{row_text}"
    );
    assert!(
        !t.contains("Total"),
        "no total may be claimed when an amount is missing"
    );
    assert!(t.contains("£641m") || text(&page("plan/2021-2025/section-6")).contains("£641m"));
}

#[test]
fn every_grant_row_with_a_purpose_links_to_a_commitment() {
    for url in record_pages("grants/2021-22") {
        let html = page(&url);
        let t = text(&html);
        if t.contains("Purpose Not stated") {
            continue;
        }
        let links = hrefs(&html, "main a[href*='commitments/']");
        assert!(!links.is_empty(), "{url} supports no commitment");
    }
}

#[test]
fn decision_004_2014_shows_the_notice() {
    let html = page("decisions/004-2014");
    let t = text(&html);
    assert!(t.contains("Mark Wentzell"), "contact officer");
    assert!(
        t.contains("That the Police and Crime Plan as drafted"),
        "decision text"
    );
    assert!(
        t.contains("Signed: Bob Jones, 5 March 2014"),
        "signature and date"
    );
    for n in [1, 12, 19, 20] {
        let s = Selector::parse(&format!("li#para-{n}")).unwrap();
        assert!(html.select(&s).next().is_some(), "paragraph {n}");
    }
    assert!(
        t.contains("not published on this site"),
        "decision 002/2014 is cited but not held"
    );
}

#[test]
fn the_response_answers_each_panel_recommendation_at_its_anchor() {
    let report = page("panel/2014-02-14-report");
    let recs: Vec<String> = {
        let s = Selector::parse("ol.recommendations > li[id]").unwrap();
        report
            .select(&s)
            .map(|e| e.value().attr("id").unwrap().to_string())
            .collect()
    };
    assert!(recs.len() >= 5, "{recs:?}");
    let response = page("responses/2014-02-28");
    let answers = hrefs(&response, "ol.answers a");
    for rec in &recs {
        assert!(
            answers
                .iter()
                .any(|h| h.ends_with(&format!("panel/2014-02-14-report/#{rec}"))),
            "no answer links to #{rec}: {answers:?}"
        );
    }
}

#[test]
fn the_2021_plan_timeline_shows_the_seed_dates_and_the_missing_documents() {
    let html = page("plan/2021-2025");
    let s = Selector::parse("section.timeline").unwrap();
    let t: String = html
        .select(&s)
        .next()
        .expect("a timeline")
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(t.contains("8 October 2021 to 26 October 2021"), "{t}");
    assert!(t.contains("18 October 2021"), "{t}");
    let missing = Selector::parse("li.step-missing").unwrap();
    let missing: Vec<String> = html
        .select(&missing)
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(
        missing.iter().any(|m| m.contains("Panel's report")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|m| m.contains("response")),
        "{missing:?}"
    );
    assert!(
        missing
            .iter()
            .all(|m| m.contains("not published on this site")),
        "{missing:?}"
    );
}

#[test]
fn the_decision_chain_of_2014_is_joined_up() {
    let decision = page("decisions/004-2014");
    let links = hrefs(&decision, "main a");
    for target in [
        "panel/2014-02-14-report/",
        "responses/2014-02-28/",
        "variations/2014/",
    ] {
        assert!(
            links.iter().any(|h| h.contains(target)),
            "004/2014 does not link to {target}"
        );
    }
    let variation = text(&page("variations/2014"));
    assert!(
        variation.contains("Report of the West Midlands Police and Crime Panel"),
        "{variation}"
    );
}

#[test]
fn the_plan_links_to_the_decision_that_issued_it() {
    let links = hrefs(&page("plan/2021-2025"), "main a");
    assert!(
        links.iter().any(|h| h.contains("decisions/006-2021/")),
        "{links:?}"
    );
    let d = text(&page("decisions/006-2021"));
    assert!(d.contains("The decision notice itself is not published on this site"));
}
