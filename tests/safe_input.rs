//! Hostile or careless input, story by story: characters no author means to
//! type, amounts no budget holds, cells a spreadsheet would run, rows with
//! cells missing, and the errors for each, which must name their place and
//! never print what they quote raw onto a terminal.

mod common;

use common::*;
use std::path::Path;

/// `check` on a damaged copy of the fixture: exit 1 and its stderr.
fn failing_check(damage: impl FnOnce(&Path)) -> String {
    let site = copy_fixture();
    damage(site.path());
    let o = check(site.path());
    assert_eq!(
        o.status.code(),
        Some(1),
        "a content error exits 1: {}",
        stderr(&o)
    );
    stderr(&o)
}

/// The cells of a CSV file of the output, header row first.
fn csv_rows(out: &Path, file: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(out.join(file))
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The cell of `column` in the row whose cell of `key_column` is `key`.
fn cell(rows: &[Vec<String>], key_column: &str, key: &str, column: &str) -> String {
    let index = |name: &str| {
        rows[0]
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (k, c) = (index(key_column), index(column));
    rows.iter()
        .find(|r| r[k] == key)
        .unwrap_or_else(|| panic!("no row with {key_column} = {key}"))[c]
        .clone()
}

#[test]
fn a_placeholder_character_typed_in_content_is_an_error_not_a_hole_in_the_page() {
    // Before: the text between the two characters vanished, and the
    // "reference" inside was never checked.
    let err = failing_check(|site| {
        edit(
            site,
            "content/pages/about.md",
            "This site",
            "Before \u{E000}decision 999/2099\u{E001} after. This site",
        )
    });
    assert!(
        err.contains("content/pages/about.md:5:8"),
        "the error points at the character: {err}"
    );
    assert!(err.contains("U+E000"), "{err}");

    // Typed as a character reference in Markdown, or as an escape in YAML.
    let err = failing_check(|site| {
        edit(
            site,
            "content/pages/about.md",
            "This site",
            "Before &#xE000;decision 999/2099&#xE001; after. This site",
        )
    });
    assert!(err.contains("content/pages/about.md:5:"), "{err}");
    let err = failing_check(|site| {
        edit(
            site,
            "content/pages/about.md",
            "title: About this site",
            "title: \"About \\uE000decision 999/2099\\uE001 this site\"",
        )
    });
    assert!(err.contains("content/pages/about.md:3:"), "{err}");
}

#[test]
fn control_characters_in_content_are_errors_at_their_place_and_never_reach_a_page() {
    let err = broken_build(|site| edit(site, "content/pages/about.md", "the plan", "the\0plan"));
    assert!(
        err.contains("content/pages/about.md:5:24"),
        "the NUL is located: {err}"
    );
    assert!(err.contains("U+0000"), "{err}");

    // In a YAML file, raw or as a double-quoted escape; in a CSV series; as
    // a Markdown character reference.
    let err = failing_check(|site| {
        edit(
            site,
            "content/grants/2025-26.yaml",
            "area: General commissioning",
            "area: \"General \\e[31mcommissioning\"",
        )
    });
    assert!(err.contains("content/grants/2025-26.yaml:17:"), "{err}");
    let err = failing_check(|site| {
        edit(
            site,
            "content/metrics/series/burglary-rate.csv",
            "provisional",
            "provi\u{7}sional",
        )
    });
    assert!(
        err.contains("content/metrics/series/burglary-rate.csv:4:18"),
        "{err}"
    );
    let err =
        failing_check(|site| edit(site, "content/pages/about.md", "the plan", "the&#x1b;plan"));
    assert!(err.contains("content/pages/about.md:5:"), "{err}");

    // Tab, line feed and carriage return are ordinary text.
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "the plan",
        "the\tplan\r",
    );
    let o = check(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn diagnostics_never_print_terminal_escapes_from_content() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "This site",
        "See [[decision 999/2099\u{1b}[2J\u{1b}]0;pwned\u{7}]]. This site",
    );
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "raw control characters on the terminal: {err:?}"
    );
    assert!(err.contains("\\u{1b}"), "shown escaped instead: {err}");
}

#[test]
fn amounts_past_a_trillion_pounds_are_an_error_at_the_amount() {
    // £000s: two billion thousands is two trillion pounds.
    let err = failing_check(|site| {
        edit(
            site,
            "content/grants/2025-26.yaml",
            "amount: 250",
            "amount: 2000000000",
        )
    });
    assert!(
        err.contains("content/grants/2025-26.yaml:11:13"),
        "the amount is located: {err}"
    );
    assert!(err.contains("£1 trillion"), "{err}");
}

#[test]
fn amounts_that_would_overflow_a_total_are_errors_not_negative_totals() {
    // Each fits in the number type; their sum does not. Before, the total
    // wrapped round to a negative number (or the build panicked).
    let big = "99999999999999999999999999999999999999";
    let err = failing_check(|site| {
        edit(
            site,
            "content/grants/2025-26.yaml",
            "amount: 250",
            &format!("amount: {big}"),
        );
        edit(
            site,
            "content/grants/2025-26.yaml",
            "amount_note: not yet decided",
            &format!("amount: {big}"),
        );
    });
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains("content/grants/2025-26.yaml:11:13"), "{err}");
    assert!(err.contains("content/grants/2025-26.yaml:18:"), "{err}");
}

#[test]
fn csv_exports_neutralise_formulas_but_keep_negative_numbers() {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    let grants = "content/grants/2025-26.yaml";
    edit(
        site.path(),
        grants,
        "area: Target hardening for burglary victims",
        "area: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Click\\\")\"",
    );
    edit(
        site.path(),
        grants,
        "recipient: Example Victim Support",
        "recipient: \"+1+cmd|' /C calc'!A0\"",
    );
    edit(
        site.path(),
        grants,
        "funder: Home Office",
        "funder: \"@SUM(A1)\"",
    );
    edit(site.path(), grants, "amount: 250", "amount: -250");
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About this site",
        "title: \"-2+3\"",
    );
    edit(
        site.path(),
        "content/metrics/series/burglary-rate.csv",
        "2025-Q3,5.1,provisional",
        "2025-Q3,-5.1,=1+1",
    );
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));

    let rows = csv_rows(out.path(), "grants.csv");
    let row = |column: &str| cell(&rows, "row_id", "target-hardening", column);
    assert_eq!(
        row("area"),
        "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    );
    assert_eq!(row("recipient"), "'+1+cmd|' /C calc'!A0");
    assert_eq!(row("funder"), "'@SUM(A1)");
    assert_eq!(row("amount"), "-250", "a negative number stays a number");
    assert_eq!(row("amount_pounds"), "-250000");

    let rows = csv_rows(out.path(), "grants-360giving.csv");
    let title = rows
        .iter()
        .find(|r| r[0].ends_with("target-hardening"))
        .expect("the row");
    assert_eq!(title[1], "'=HYPERLINK(\"http://evil.example\",\"Click\")");
    assert_eq!(title[4], "-250000", "Amount Awarded stays a number");

    let rows = csv_rows(out.path(), "records.csv");
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == "'-2+3")),
        "the page title is neutralised in records.csv"
    );
    assert!(
        !rows.iter().any(|r| r.iter().any(|c| c == "-2+3")),
        "and never written as it is"
    );

    let rows = csv_rows(out.path(), "metrics.csv");
    let point = rows.iter().find(|r| r.contains(&"2025-Q3".to_string()));
    let point = point.expect("the 2025-Q3 figure");
    assert!(point.contains(&"-5.1".to_string()), "{point:?}");
    assert!(point.contains(&"'=1+1".to_string()), "{point:?}");
}

#[test]
fn ragged_rows_in_a_metric_series_are_errors_naming_line_and_column() {
    let series = "content/metrics/series/burglary-rate.csv";
    let err = failing_check(|site| {
        edit(site, series, "2025-Q2,5.8,", "2025-Q2,5.8,,dropped");
    });
    assert!(
        err.contains(&format!("{series}:3:14")),
        "the extra cell is located: {err}"
    );
    let err = failing_check(|site| {
        edit(site, series, "2025-Q2,5.8,", "2025-Q2,5.8");
    });
    assert!(
        err.contains(&format!("{series}:3:")),
        "the short row is located: {err}"
    );
    assert!(err.contains("3 cells") || err.contains("has 2"), "{err}");
}

#[test]
fn a_root_that_does_not_exist_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-site");
    let missing = missing.to_str().unwrap();
    for args in [
        vec!["check", "--root", missing],
        vec!["build", "--root", missing],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("no-such-site"), "{err}");
        assert!(err.contains("does not exist"), "{err}");
    }
}

#[test]
fn a_template_extending_a_missing_template_names_its_file_and_line() {
    let err = failing_check(|site| {
        write(
            site,
            "themes/default/templates/page.html",
            "{# A page of its own #}\n{% extends \"no-such-base.html\" %}\n{% block main %}{% endblock %}\n",
        )
    });
    assert!(
        err.contains("themes/default/templates/page.html:2:"),
        "the extends line is named: {err}"
    );
    assert!(err.contains("no-such-base.html"), "{err}");
}

#[test]
fn a_scalar_where_a_list_is_expected_says_so_in_plain_words() {
    let err = failing_check(|site| {
        edit(
            site,
            "content/grants/2025-26.yaml",
            "commitments: [reduce-burglary]",
            "commitments: 5",
        )
    });
    assert!(err.contains("a list is expected"), "{err}");
    assert!(!err.contains("sequence start"), "{err}");
    assert!(err.contains("content/grants/2025-26.yaml:15:"), "{err}");
}
