//! Precepts, added through the record-kind registry: the page with the
//! Panel's outcome, each part's dates under their labels and the statutory
//! timetable (deadline met, missed or not stated; the steps after a veto
//! only after a veto), `check`'s warning about a step with no document, the
//! search entry, the open-data row and located errors for bad input.
//!
//! The fixture's precept is modelled on the Leicester, Leicestershire and
//! Rutland Police and Crime Panel's minutes of 12 February 2026 (see the
//! comment in `tests/fixtures/site/content/precepts/2026-27.md`).

mod common;
use common::*;

const PAGE: &str = "precepts/2026-27/index.html";
const FILE: &str = "content/precepts/2026-27.md";

fn built(root: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(root, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The statutory timetable section of a precept page.
fn timeline(page: &str) -> &str {
    let start = page
        .find("id=\"timeline-heading\"")
        .expect("the page has a statutory timetable");
    let end = page[start..].find("</section>").unwrap() + start;
    &page[start..end]
}

#[test]
fn a_precept_page_shows_the_outcome_and_each_date_with_its_label() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    for text in [
        "<h1>Policing precept 2026/27</h1>",
        "<dd>2026/27</dd>",
        "<span class=\"tag\">Vetoes the proposed precept</span>",
        // The proposal: the change as the minute states it, the rest not.
        "<dt>Change from last year</dt><dd>£11</dd>",
        "<dt>Band D</dt><dd>Not stated</dd>",
        "<dt>Notified to the Panel</dt><dd>Not stated</dd>",
        "<dt>Panel meeting</dt><dd><time datetime=\"2026-02-04\">4 February 2026</time></dd>",
        // The revised precept, with the date of its report.
        "<dt>Published</dt><dd><time datetime=\"2026-02-10\">10 February 2026</time></dd>",
        "<dd>£15</dd>",
    ] {
        assert!(page.contains(text), "the precept page has no {text:?}");
    }
}

#[test]
fn the_timetable_says_which_deadlines_were_met_and_which_dates_are_not_stated() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    let t = timeline(&page);
    // Five steps: the Panel vetoed, so the response and the report on the
    // revised precept are among them.
    assert_eq!(t.matches("<h3>").count(), 5, "{t}");
    // The veto of 4 February, due by 8 February; the revised precept of
    // 10 February, due by 15 February.
    for text in [
        "Reported: <strong><time datetime=\"2026-02-04\">4 February 2026</time></strong>",
        "Deadline: <time datetime=\"2026-02-08\">8 February 2026</time>",
        "Published: <strong><time datetime=\"2026-02-10\">10 February 2026</time></strong>",
        "Deadline: <time datetime=\"2026-02-15\">15 February 2026</time>",
        "Deadline: <time datetime=\"2026-02-01\">1 February 2026</time>",
        "Deadline: <time datetime=\"2026-02-22\">22 February 2026</time>",
        "Deadline: <time datetime=\"2026-03-01\">1 March 2026</time>",
        "“by 8 February”",
    ] {
        assert!(t.contains(text), "the timetable has no {text:?}: {t}");
    }
    assert_eq!(t.matches("Deadline met").count(), 2, "{t}");
    assert_eq!(t.matches("Date not stated").count(), 3, "{t}");
    assert!(!t.contains("Deadline missed"), "{t}");

    // A revised precept published after 15 February missed its deadline.
    let site = copy_fixture();
    edit(site.path(), FILE, "date: 2026-02-10", "date: 2026-02-16");
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let t = timeline(&page);
    assert_eq!(t.matches("Deadline missed").count(), 1, "{t}");
    assert_eq!(t.matches("Deadline met").count(), 1, "{t}");
}

#[test]
fn the_steps_after_a_veto_appear_only_after_a_veto() {
    let site = copy_fixture();
    edit(site.path(), FILE, "outcome: vetoes", "outcome: supports");
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let t = timeline(&page);
    assert_eq!(t.matches("<h3>").count(), 3, "{t}");
    assert!(!t.contains("revised precept</h3>"), "{t}");
    assert!(!t.contains("22 February"), "{t}");
    assert!(page.contains("Supports the proposed precept"), "{page}");
}

#[test]
fn check_warns_about_a_step_with_no_document_and_no_note() {
    // Every step of the fixture has a document or a `note:`: no warning.
    let o = check(&fixture());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("the precept `2026-27`"),
        "{}",
        stderr(&o)
    );

    // The precept issued, with its note taken away, is a gap `check` names.
    let site = copy_fixture();
    edit(
        site.path(),
        FILE,
        "issued:\n  note: The precept issued (due \"by 1 March\") is not seen.\n",
        "",
    );
    let o = check(site.path());
    let err = stderr(&o);
    assert!(
        err.contains("the precept `2026-27` has no record for the statutory step “Precept issued”"),
        "{err}"
    );
    assert!(err.contains("content/precepts/2026-27.md:9:"), "{err}");
    // A warning, not an error.
    assert!(o.status.success(), "{err}");
}

#[test]
fn a_panel_report_that_concerns_the_precept_is_its_report_step() {
    // The Panel's report on the proposal, as a Panel document naming the
    // precept, is found without `record:` and the two link both ways.
    let site = copy_fixture();
    write(
        site.path(),
        "content/panel/llr-2026-02-04-precept.md",
        "---\nid: llr-2026-02-04-precept\ntype: report\ntitle: Report on the proposed precept 2026/27\ndate: 2026-02-04\nconcerns: \"precept 2026-27\"\ntopic: precept\n---\nThe Panel resolved to veto the proposed precept.\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    let t = timeline(&page);
    assert!(
        t.contains("href=\"../../panel/llr-2026-02-04-precept/\""),
        "the timeline does not link the report: {t}"
    );
    let report = read(out.path(), "panel/llr-2026-02-04-precept/index.html");
    assert!(
        report.contains("href=\"../../precepts/2026-27/\""),
        "the report does not link the precept"
    );

    // A response to that report is the response step, once the part names
    // no document of its own.
    write(
        site.path(),
        "content/responses/llr-2026-02-10.md",
        "---\nid: llr-2026-02-10\ntitle: Revised precept 2026/27\ndate: 2026-02-10\nresponds_to: llr-2026-02-04-precept\n---\nThe revised precept.\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    assert!(
        timeline(&page).contains("href=\"../../responses/llr-2026-02-10/\""),
        "the timeline does not link the response: {page}"
    );
}

#[test]
fn the_meeting_that_considers_the_proposal_links_its_record() {
    let site = copy_fixture();
    edit(
        site.path(),
        FILE,
        "  meeting_date: 2026-02-04\n",
        "  meeting: \"meeting board-2025-01-21\"\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    assert!(
        page.contains("<dt>Panel meeting</dt><dd><a href=\"../../meetings/board-2025-01-21/\">"),
        "{page}"
    );
    // A meeting that does not exist is a reference error at its line.
    let err = broken_build(|root| {
        edit(
            root,
            FILE,
            "  meeting_date: 2026-02-04\n",
            "  meeting: \"meeting board-2099-01-01\"\n",
        )
    });
    assert!(err.contains("content/precepts/2026-27.md:13:"), "{err}");
}

#[test]
fn precepts_are_listed_searched_and_in_the_open_data() {
    let out = built(&fixture());
    let list = read(out.path(), "precepts/index.html");
    assert!(list.contains("href=\"../precepts/2026-27/\""), "{list}");
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    let row = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "precept")
        .expect("records.json has no precept");
    assert_eq!(row["id"], "2026-27");
    assert_eq!(row["title"], "Policing precept 2026/27");
    assert!(read(out.path(), "records.csv").contains("precept,2026-27,"));
    let urls = search_urls(out.path(), "precept veto");
    assert_eq!(urls[0], "precepts/2026-27/", "{urls:?}");
}

#[test]
fn an_unknown_outcome_is_a_located_error_naming_the_allowed_values() {
    let err = broken_build(|root| edit(root, FILE, "outcome: vetoes", "outcome: rejects"));
    assert!(err.contains("content/precepts/2026-27.md:17:"), "{err}");
    for allowed in ["supports", "supports-with-recommendations", "vetoes"] {
        assert!(
            err.contains(allowed),
            "the error does not name {allowed}: {err}"
        );
    }
}

#[test]
fn a_year_that_does_not_parse_is_a_located_error_with_a_hint() {
    for bad in ["2026/28", "26-27"] {
        let err = broken_build(|root| {
            edit(
                root,
                FILE,
                "financial_year: 2026/27",
                &format!("financial_year: {bad}"),
            )
        });
        assert!(
            err.contains(&format!("`{bad}` is not a financial year")),
            "{err}"
        );
        assert!(err.contains("content/precepts/2026-27.md:9:17"), "{err}");
        assert!(err.contains("financial_year: 2025/26"), "the hint: {err}");
    }
}

#[test]
fn amounts_are_shown_as_written_and_one_without_its_pound_sign_is_a_located_error() {
    // The Band D figure of the LLR Panel's 2025/26 minute, to four places.
    let site = copy_fixture();
    edit(
        site.path(),
        FILE,
        "  change: \"£11\"\n",
        "  change: \"£11\"\n  band_d: \"£300.2302\"\n  change_percent: \"4.90\"\n",
    );
    let out = built(site.path());
    let page = read(out.path(), PAGE);
    assert!(page.contains("<dt>Band D</dt><dd>£300.2302</dd>"), "{page}");
    assert!(page.contains("<dd>£11, 4.90%</dd>"), "{page}");

    let err = broken_build(|root| edit(root, FILE, "change: \"£11\"", "change: \"11\""));
    assert!(err.contains("`11` is not an amount of money"), "{err}");
    assert!(err.contains("content/precepts/2026-27.md:12:11"), "{err}");
    assert!(err.contains("with the £ sign"), "the hint: {err}");
}

/// The fixture site with Cleveland's 2018/19 precept proposal
/// (`tests/fixtures/precepts/`, which names its source) added.
fn site_with_cleveland() -> tempfile::TempDir {
    let site = copy_fixture();
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/precepts/2018-19.md"),
    )
    .unwrap();
    write(site.path(), "content/precepts/2018-19.md", &text);
    site
}

const CLEVELAND: &str = "content/precepts/2018-19.md";

#[test]
fn a_total_is_checked_against_the_billing_authorities_and_band_d_times_the_tax_base() {
    let site = site_with_cleveland();
    let out = built(site.path());
    let page = read(out.path(), "precepts/2018-19/index.html");
    for text in [
        "<th scope=\"row\" data-label=\"Billing authority\">Middlesbrough</th><td class=\"num\" data-label=\"Precept\">£7,503,231</td>",
        "<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\" data-label=\"Precept\">£34,255,181</td>",
        // The source's own £1 of rounding is said, not hidden or corrected.
        "The rows add up to 34,255,180 against a stated total of 34,255,181 (£): a difference of 1, within the rounding tolerance of ±2.",
        "<dt>Tax base</dt><dd>151,210.3 Band D equivalent properties",
        "Band D £226.540 × the tax base 151,210.3 = £34,255,181.362, which is the total £34,255,181 to within the rounding of the Band D amount.",
    ] {
        assert!(page.contains(text), "{text:?} not on the page:\n{page}");
    }
}

#[test]
fn a_precept_total_that_does_not_match_its_parts_is_an_error_at_the_total() {
    // One billing authority's precept mistyped.
    let site = site_with_cleveland();
    edit(site.path(), CLEVELAND, "£7,503,231", "£7,508,231");
    let o = check(site.path());
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains("the stated total 34,255,181 does not match the billing authorities' precepts, which add up to 34,260,180 (£)"),
        "{err}"
    );
    assert!(err.contains("content/precepts/2018-19.md:16:10"), "{err}");
    assert!(err.contains("total_tolerance"), "{err}");
    // The tax base mistyped: Band D times it is no longer the total.
    let site = site_with_cleveland();
    edit(site.path(), CLEVELAND, "\"151,210.3\"", "\"150,210.3\"");
    let o = check(site.path());
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(
        err.contains(
            "the total £34,255,181 does not match Band D £226.540 × the tax base 150,210.3"
        ),
        "{err}"
    );
    assert!(err.contains("content/precepts/2018-19.md:16:10"), "{err}");
    // A tax base that is not a number.
    let site = site_with_cleveland();
    edit(site.path(), CLEVELAND, "\"151,210.3\"", "\"about 151k\"");
    let err = stderr(&check(site.path()));
    assert!(err.contains("`about 151k` is not a tax base"), "{err}");
    assert!(err.contains("content/precepts/2018-19.md:17:13"), "{err}");
}
