//! Every record's change history (issue 20): `changes:` shown on the page
//! newest first with "Published … Last updated …", an Atom entry for each
//! change, and a withdrawn record that keeps its page and address with a
//! banner but leaves the lists. The changes and withdrawal written here are
//! made up for the tests and are not from any source.

mod common;

use common::*;

/// Two changes, written oldest first; not from any source.
const TWO_CHANGES: &str = "aliases: [\"/decisions/page/8/\"]
changes:
  - date: 2025-05-02
    note: \"Test change one: corrected a figure in paragraph 1\"
  - date: 2025-06-10
    note: \"Test change two: added a background paper\"";

fn json(out: &std::path::Path, file: &str) -> serde_json::Value {
    serde_json::from_str(&read(out, file)).unwrap()
}

fn record<'a>(j: &'a serde_json::Value, kind: &str, id: &str) -> &'a serde_json::Value {
    j["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == kind && r["id"] == id)
        .unwrap_or_else(|| panic!("records.json has no {kind} {id}"))
}

#[test]
fn a_record_with_two_changes_shows_them_newest_first_and_each_is_a_feed_entry() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    edit(
        site.path(),
        "content/decisions/wpcc3-0089.md",
        "aliases: [\"/decisions/page/8/\"]",
        TWO_CHANGES,
    );
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));

    let page = read(out.path(), "decisions/wpcc3-0089/index.html");
    assert!(page.contains("Changes to this record"), "{page}");
    // Published is the decision's stated publication date; last updated
    // the newest change.
    assert!(
        page.contains("Published <time datetime=\"2025-04-17\">17 April 2025</time>."),
        "{page}"
    );
    assert!(
        page.contains("Last updated <time datetime=\"2025-06-10\">10 June 2025</time>."),
        "{page}"
    );
    let two = page
        .find("Test change two")
        .expect("the second change is listed");
    let one = page
        .find("Test change one")
        .expect("the first change is listed");
    assert!(two < one, "newest first");
    assert!(page.contains("id=\"change-2025-06-10-1\""), "{page}");

    for feed in ["decisions.xml", "records.xml"] {
        let xml = read(out.path(), feed);
        let url = "https://www.example-pcc.gov.uk/plan/decisions/wpcc3-0089/";
        for (anchor, note, date) in [
            (
                "change-2025-06-10-1",
                "Test change two: added a background paper",
                "2025-06-10",
            ),
            (
                "change-2025-05-02-1",
                "Test change one: corrected a figure in paragraph 1",
                "2025-05-02",
            ),
        ] {
            let id = format!("<id>{url}#{anchor}</id>");
            let at = xml
                .find(&id)
                .unwrap_or_else(|| panic!("{feed} has no entry {id}:\n{xml}"));
            let end = at + xml[at..].find("</entry>").unwrap();
            let entry = &xml[at..end];
            assert!(
                entry.contains(
                    "<title>Updated: Decision WPCC3-0089: Community safety grants 2025/26</title>"
                ),
                "{entry}"
            );
            assert!(
                entry.contains(&format!("<updated>{date}T00:00:00Z</updated>")),
                "{entry}"
            );
            assert!(entry.contains(note), "{entry}");
        }
        let ids = xml
            .lines()
            .filter(|l| l.trim_start().starts_with("<id>") && l.contains("#change-"))
            .count();
        assert_eq!(ids, 2, "one entry for each change in {feed}");
    }

    let j = json(out.path(), "records.json");
    let r = record(&j, "decision", "wpcc3-0089");
    assert_eq!(r["last_updated"], "2025-06-10");
    assert!(r["withdrawn"].is_null());
    let csv = read(out.path(), "records.csv");
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("updated,last_updated,withdrawn,withdrawn_reason"),
        "{csv}"
    );
}

#[test]
fn a_page_with_no_history_says_nothing_of_one() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "decisions/wpcc3-0089/index.html");
    assert!(!page.contains("Changes to this record"), "{page}");
    assert!(!page.contains("Last updated"), "{page}");
}

#[test]
fn a_withdrawn_decision_keeps_its_page_and_leaves_the_lists() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    // Not from any source.
    edit(
        site.path(),
        "content/decisions/001-2025.md",
        "date_signed: 2025-02-01\n",
        "date_signed: 2025-02-01\nwithdrawn:\n  date: 2025-03-01\n  reason: \"Test reason: replaced by a later decision\"\n",
    );
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    // It no longer counts among the decisions that meet the Order's 5(d).
    let sio = read(out.path(), "transparency/index.html");
    assert!(
        sio.contains("Decisions</a> <span class=\"meta\">(6 on this site)</span>"),
        "{sio}"
    );
    // Its status says so too, never "Published" under the banner.
    let page = read(out.path(), "decisions/001-2025/index.html");
    assert!(
        page.contains("<span class=\"status status-withdrawn\">Withdrawn</span>"),
        "{page}"
    );

    let page = read(out.path(), "decisions/001-2025/index.html");
    assert!(
        page.contains(
            "This record was withdrawn on <time datetime=\"2025-03-01\">1 March 2025</time>: Test reason: replaced by a later decision"
        ),
        "{page}"
    );
    // The banner is the first thing in the page's main content.
    let main = page.find("<main").unwrap();
    let banner = page.find("This record was withdrawn").unwrap();
    let heading = page.find("<h1").unwrap();
    assert!(main < banner && banner < heading, "{page}");

    for list in [
        "decisions/index.html",
        "browse/decision/2025/index.html",
        "index.html",
    ] {
        let html = read(out.path(), list);
        assert!(
            !html.contains("decisions/001-2025/"),
            "{list} still lists the withdrawn decision:\n{html}"
        );
        // The others stay.
        assert!(html.contains("decisions/002-2025/"), "{list}:\n{html}");
    }

    let xml = read(out.path(), "decisions.xml");
    let id = "<id>https://www.example-pcc.gov.uk/plan/decisions/001-2025/#withdrawn</id>";
    let at = xml
        .find(id)
        .unwrap_or_else(|| panic!("no withdrawal entry:\n{xml}"));
    let entry = &xml[at..at + xml[at..].find("</entry>").unwrap()];
    assert!(
        entry.contains(
            "<title>Withdrawn: Decision 001/2025: Target hardening grant 2025/26</title>"
        ),
        "{entry}"
    );
    assert!(
        entry.contains("<updated>2025-03-01T00:00:00Z</updated>"),
        "{entry}"
    );
    // The decision's own entry is still there.
    assert!(
        xml.contains("<id>https://www.example-pcc.gov.uk/plan/decisions/001-2025/</id>"),
        "{xml}"
    );

    // Search still finds it, marked.
    let marked = tree(&out.path().join("search")).values().any(|bytes| {
        String::from_utf8_lossy(bytes).contains("Target hardening grant 2025/26 (withdrawn)")
    });
    assert!(marked, "the search index marks the withdrawn decision");

    let j = json(out.path(), "records.json");
    let r = record(&j, "decision", "001-2025");
    assert_eq!(r["withdrawn"], "2025-03-01");
    assert_eq!(
        r["withdrawn_reason"],
        "Test reason: replaced by a later decision"
    );
}

#[test]
fn a_bad_change_date_is_an_error_at_its_line() {
    let err = broken_build(|root| {
        // Not from any source.
        edit(
            root,
            "content/decisions/wpcc3-0089.md",
            "aliases: [\"/decisions/page/8/\"]",
            "aliases: [\"/decisions/page/8/\"]\nchanges:\n  - date: 2025-13-40\n    note: \"Test change with a bad date\"",
        );
    });
    assert!(err.contains("`2025-13-40` is not a date"), "{err}");
    // Line 8: the change's date (`- date:`), after `changes:`.
    assert!(err.contains("content/decisions/wpcc3-0089.md:8:"), "{err}");
}

#[test]
fn a_change_before_the_records_own_date_is_a_warning() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    // Not from any source.
    edit(
        site.path(),
        "content/decisions/wpcc3-0089.md",
        "aliases: [\"/decisions/page/8/\"]",
        "aliases: [\"/decisions/page/8/\"]\nchanges:\n  - date: 2024-01-05\n    note: \"Test change dated too early\"",
    );
    let o = build(site.path(), out.path());
    assert!(
        o.status.success(),
        "a warning, not an error: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(
        err.contains("before the record's own date (10 April 2025)"),
        "{err}"
    );
    assert!(err.contains("content/decisions/wpcc3-0089.md:8:"), "{err}");
}

#[test]
fn a_commitment_with_updated_says_last_updated_once() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    // Not from any source. A commitment states no date of its own, so its
    // page has no "Published".
    edit(
        site.path(),
        "content/commitments/section-1.yaml",
        "  subsection: burglary\n  updates:",
        "  subsection: burglary\n  updated: 2025-07-01\n  changes:\n    - date: 2025-07-01\n      note: \"Test change: status reviewed\"\n  updates:",
    );
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "commitments/reduce-burglary/index.html");
    assert_eq!(page.matches("Last updated").count(), 1, "{page}");
    assert!(page.contains("Test change: status reviewed"), "{page}");
    assert!(!page.contains("Published <time"), "{page}");
}

/// The fixture's second commitment, which has no updates.
const REPEAT_VICTIMS: &str = "- id: support-repeat-victims
  text: I will make sure repeat victims of burglary are offered support.
  plan: 2025-2029
  section: section-1
  subsection: burglary
";

/// Three progress updates of one commitment, written out of order; made up
/// for the tests, not from any source.
const THREE_UPDATES: &str = "  updates:
    - date: 2025-06-30
      status: on-track
      note: Work began with the force.
    - date: 2026-03-31
      status: completed
      note: The work is done.
      evidence: [\"decision 001/2025\"]
    - period: 2025/26 Q3
      status: with-challenges
      note: Recruitment fell behind.
";

#[test]
fn a_commitments_status_is_its_newest_updates_and_the_open_data_says_when() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/commitments/section-1.yaml",
        REPEAT_VICTIMS,
        &format!("{REPEAT_VICTIMS}{THREE_UPDATES}"),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = read(out.path(), "records.csv");
    let row = csv
        .lines()
        .find(|l| l.starts_with("commitment,support-repeat-victims,"))
        .unwrap_or_else(|| panic!("no commitment row in {csv}"));
    assert!(row.contains("2026-03-31"), "{row}");
    assert!(row.contains("Completed"), "{row}");
    let page = read(out.path(), "commitments/support-repeat-victims/index.html");
    assert!(page.contains("Completed"), "{page}");
}

#[test]
fn an_unknown_status_and_a_status_the_updates_contradict_are_errors() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/commitments/section-1.yaml",
            "      status: on-track\n",
            "      status: on-trak\n",
        )
    });
    assert!(
        err.contains("`on-trak` is not a commitment status this site declares"),
        "{err}"
    );
    assert!(err.contains("did you mean `on-track`?"), "{err}");
    let err = broken_build(|root| {
        edit(
            root,
            "content/commitments/section-1.yaml",
            REPEAT_VICTIMS,
            &format!("{REPEAT_VICTIMS}  status: on-track\n{THREE_UPDATES}"),
        )
    });
    assert!(
        err.contains("`status: on-track` differs from the newest update's status `completed`"),
        "{err}"
    );
}
