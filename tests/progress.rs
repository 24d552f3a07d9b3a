//! Commitments tracked over time (issue 20): the fixture's `reduce-burglary`
//! has three progress updates, written out of order (a day, then two
//! reporting periods), and `support-repeat-victims` has none. Its page shows
//! the updates newest first; the plan's lists show each status; `/progress/`
//! counts them by status per section in a chart and a table with the same
//! figures; `commitments.csv` has a row per update. The updates are made up
//! for the tests and are not from any source.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn the_commitment_page_shows_its_updates_newest_first_without_inventing_days() {
    let out = built();
    let page = read(out.path(), "commitments/reduce-burglary/index.html");
    let timeline = between(&page, "<ol class=\"updates\">", "</ol>");
    let q3 = timeline.find("Test update three").unwrap();
    let q2 = timeline.find("Test update two").unwrap();
    let feb = timeline.find("Test update one").unwrap();
    assert!(q3 < q2 && q2 < feb, "{timeline}");
    // A period update names its period and no day; the anchor too.
    assert!(timeline.contains("<h3>For 2025 Q3</h3>"), "{timeline}");
    assert!(timeline.contains("id=\"update-2025-q3\""), "{timeline}");
    assert!(!timeline.contains("2025-09-30"), "{timeline}");
    assert!(!page.contains("30 September 2025"), "{page}");
    assert!(
        timeline.contains("<time datetime=\"2025-02-01\">1 February 2025</time>"),
        "{timeline}"
    );
    // The status now is the newest update's; the change is said once.
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    assert!(facts.contains("Under way, with challenges"), "{facts}");
    assert!(facts.contains("Reported for 2025 Q3"), "{facts}");
    assert_eq!(timeline.matches("(was On track)").count(), 1, "{timeline}");
    // Evidence resolves to the records' pages.
    assert!(
        timeline.contains("href=\"../../decisions/001-2025/\""),
        "{timeline}"
    );
    assert!(
        timeline.contains("href=\"../../metrics/burglary-rate/\""),
        "{timeline}"
    );

    let none = read(out.path(), "commitments/support-repeat-victims/index.html");
    assert!(!none.contains("<ol class=\"updates\">"), "{none}");
    assert!(none.contains("No progress reported yet"), "{none}");
}

#[test]
fn the_plans_lists_show_each_commitments_status() {
    let out = built();
    for page in [
        "plan/2025-2029/section-1/index.html",
        "commitments/index.html",
    ] {
        let html = read(out.path(), page);
        let list = between(&html, "class=\"commitment-list\">", "</li></");
        let one = between(list, "reduce-burglary/", "</li>");
        assert!(one.contains("Under way, with challenges"), "{page}: {one}");
        let two = between(list, "support-repeat-victims/", "</li>");
        assert!(two.contains("No progress reported yet"), "{page}: {two}");
    }
}

#[test]
fn the_progress_page_counts_by_section_in_a_chart_and_a_table_that_agree() {
    let out = built();
    let page = read(out.path(), "progress/index.html");
    let table = between(&page, "<table class=\"stack\">", "</table>");
    // Only the statuses some commitment has get a column; the others are
    // named in a sentence.
    assert!(
        table.contains("<th scope=\"col\" class=\"num\">Under way, with challenges</th>"),
        "{table}"
    );
    assert!(
        table.contains("<th scope=\"col\" class=\"num\">No progress reported yet</th>"),
        "{table}"
    );
    assert!(!table.contains(">Completed</th>"), "{table}");
    assert!(page.contains("“Completed”"), "{page}");
    let row = between(table, "<tr><th scope=\"row\"", "</tr>");
    assert!(row.contains("Safer neighbourhoods"), "{row}");
    let cells: Vec<&str> = row
        .split("<td class=\"num\"")
        .skip(1)
        .map(|c| between(c, ">", "<").trim_start_matches('>'))
        .collect();
    assert_eq!(cells, ["1", "1", "2"], "{row}");
    // Both drawings of the chart carry the same figures as the table.
    for drawing in ["wide", "narrow"] {
        let svg = between(
            &page,
            &format!("progress-title-2025-2029-{drawing}"),
            "</svg>",
        );
        assert!(svg.contains("Under way, with challenges: 1"), "{svg}");
        assert!(svg.contains("No progress reported yet: 1"), "{svg}");
        assert!(
            page.contains(&format!(
                "role=\"img\" aria-labelledby=\"progress-title-2025-2029-{drawing}"
            )),
            "{page}"
        );
    }
    // Recent updates: the three months to the newest (2025 Q3, which ends
    // on 30 September) are the last quarter; Q2 and February are older.
    let recent = between(&page, "<h2 id=\"recent\">", "</ol>");
    assert!(recent.contains("For 2025 Q3"), "{recent}");
    assert!(!recent.contains("For 2025 Q2"), "{recent}");
    assert!(!recent.contains("1 February 2025"), "{recent}");
    assert!(
        recent.contains("commitments/reduce-burglary/#update-2025-q3"),
        "{recent}"
    );
}

#[test]
fn recent_updates_are_those_of_the_three_months_to_the_newest() {
    let site = copy_fixture();
    // Not from any source: a first update of the second commitment, within
    // the last quarter.
    let path = site.path().join("content/commitments/section-1.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}  updates:\n    - date: 2025-08-15\n      status: on-track\n      note: Test update four.\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "progress/index.html");
    let recent = between(&page, "<h2 id=\"recent\">", "</ol>");
    let q3 = recent
        .find("For 2025 Q3")
        .unwrap_or_else(|| panic!("{recent}"));
    let august = recent
        .find("<time datetime=\"2025-08-15\">15 August 2025</time>")
        .unwrap_or_else(|| panic!("{recent}"));
    assert!(q3 < august, "newest first: {recent}");
    assert!(recent.contains("(its first update)"), "{recent}");
    assert!(!recent.contains("For 2025 Q2"), "{recent}");
    // Both commitments now have a status, so the no-status column is gone.
    let table = between(&page, "<table class=\"stack\">", "</table>");
    assert!(!table.contains("No progress reported yet"), "{table}");
}

#[test]
fn commitments_csv_has_a_row_per_update_and_one_for_a_commitment_with_none() {
    let out = built();
    let csv = read(out.path(), "commitments.csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    let of = |id: &str| -> Vec<&csv::StringRecord> {
        rows.iter()
            .filter(|r| &r[col("commitment_id")] == id)
            .collect()
    };
    let burglary = of("reduce-burglary");
    assert_eq!(burglary.len(), 3, "{csv}");
    let when: Vec<(&str, &str)> = burglary
        .iter()
        .map(|r| (&r[col("update_date")], &r[col("update_period")]))
        .collect();
    assert_eq!(
        when,
        [("", "2025-Q3"), ("", "2025-Q2"), ("2025-02-01", "")],
        "{csv}"
    );
    for r in &burglary {
        assert_eq!(&r[col("status")], "with-challenges", "{csv}");
        assert_eq!(&r[col("status_period")], "2025-Q3", "{csv}");
        assert_eq!(&r[col("status_date")], "", "{csv}");
    }
    assert_eq!(&burglary[0][col("previous_status_label")], "On track");
    assert!(burglary[0][col("evidence")].ends_with("/performance/2025-q3/"));
    assert!(burglary[2][col("evidence")].ends_with("/decisions/001-2025/"));
    assert!(burglary[0][col("url")].ends_with("/commitments/reduce-burglary/#update-2025-q3"));

    let victims = of("support-repeat-victims");
    assert_eq!(victims.len(), 1, "{csv}");
    assert_eq!(&victims[0][col("status_label")], "No progress reported yet");
    assert_eq!(&victims[0][col("update_date")], "");

    // The catalogue describes the file with the same count.
    let package: serde_json::Value =
        serde_json::from_str(&read(out.path(), "datapackage.json")).unwrap();
    let resource = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "commitments.csv")
        .unwrap_or_else(|| panic!("no commitments.csv in {package}"));
    let fields = resource["schema"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), header.len());
    assert!(read(out.path(), "data/index.html").contains("4 rows"));
}

#[test]
fn when_every_commitment_has_the_same_status_the_lists_say_it_once() {
    let site = copy_fixture();
    // Drop the updates: both commitments then have no status.
    let path = site.path().join("content/commitments/section-1.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("  updates:").unwrap();
    let end = text.find("- id: support-repeat-victims").unwrap();
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let section = read(out.path(), "plan/2025-2029/section-1/index.html");
    assert_eq!(
        section.matches("No progress reported yet").count(),
        1,
        "{section}"
    );
    let progress = read(out.path(), "progress/index.html");
    assert_eq!(
        progress
            .matches("No progress update has been published on this site yet.")
            .count(),
        1,
        "said once, in the lead: {progress}"
    );
    assert!(
        !progress.contains("Each commitment’s page has its updates"),
        "{progress}"
    );
    assert!(
        !progress.contains("Recent updates"),
        "no empty list of recent updates: {progress}"
    );
    assert!(
        !progress.contains(">All</th>"),
        "one status column needs no total column beside it: {progress}"
    );
}
