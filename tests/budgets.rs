//! Budgets: income and expenditure tables with year columns, modelled on
//! North Yorkshire's published police budget (the fixture names its
//! source). A page with every figure as printed and each column's total
//! checked, a row per figure in budgets.csv, nothing in the 360Giving
//! files, a search entry, and located errors for bad input.

mod common;
use common::*;

const BUDGET: &str = "content/budgets/2024-25.yaml";
const PAGE: &str = "budgets/2024-25/index.html";

fn built_fixture() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn a_budget_page_shows_every_figure_as_printed_and_how_each_total_compares() {
    let out = built_fixture();
    let page = read(out.path(), PAGE);
    for text in [
        "<h1>Annual police budget 2024/25</h1>",
        "<dd>Not stated in the source</dd>",
        "<caption id=\"caption-table-funding\">Funding for the police (£m)</caption>",
        "<th scope=\"col\">Police – Funding</th>",
        "<th scope=\"col\" class=\"num\">2023/24</th>",
        // The second table heads the same year as its source does.
        "<th scope=\"col\" class=\"num\">2023/2024</th>",
        "<th scope=\"row\" data-label=\"Police – Budget\">Police staff</th>",
        // Printed figures keep their zeros: £45.0m, £221.0m.
        ">45.0</td>",
        ">221.0</td>",
        // The 2023/24 funding column adds up to 201.3 against 201.4.
        "2023/24: The rows add up to 201.3 against a stated total of 201.4 (£m): a difference of 0.1, within the rounding tolerance of ±0.1.",
        "2024/25: The rows add up to the stated total of 221 (£m).",
        "id=\"table-spending-note-1\"",
        "Other spend: This includes Community Safety Funding",
    ] {
        assert!(page.contains(text), "the budget page has no {text:?}");
    }
    let list = read(out.path(), "budgets/index.html");
    assert!(list.contains("href=\"../budgets/2024-25/\""), "{list}");
}

#[test]
fn every_figure_is_in_budgets_csv_and_none_in_the_360giving_files() {
    let out = built_fixture();
    let csv = read(out.path(), "budgets.csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // (5 rows + a total) x 2 columns, and (7 + 1) x 2.
    assert_eq!(rows.len(), 28, "{csv}");
    let staff = rows
        .iter()
        .find(|r| &r[7] == "Police staff" && &r[8] == "2023/2024")
        .expect("a row for Police staff in 2023/2024");
    assert_eq!(&staff[9], "45");
    assert_eq!(&staff[11], "45000000");
    assert_eq!(&staff[5], "expenditure");
    let total = rows
        .iter()
        .find(|r| &r[6] == "total" && &r[3] == "funding" && &r[8] == "2023/24")
        .expect("the funding total for 2023/24");
    assert!(
        total[12].contains("within the rounding tolerance"),
        "{total:?}"
    );
    for file in [
        "grants-360giving.csv",
        "grants-360giving.json",
        "grants.csv",
    ] {
        let text = read(out.path(), file);
        for word in ["Police staff", "Council tax grants", "budgets/2024-25"] {
            assert!(!text.contains(word), "{file} holds the budget's {word:?}");
        }
    }
    let package: serde_json::Value =
        serde_json::from_str(&read(out.path(), "datapackage.json")).unwrap();
    assert!(
        package["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["path"] == "budgets.csv"),
        "datapackage.json does not list budgets.csv"
    );
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    assert!(
        json["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "budget" && r["id"] == "2024-25"),
        "records.json has no budget"
    );
}

#[test]
fn a_site_without_budgets_has_no_budgets_file_and_does_not_list_one() {
    let site = copy_fixture();
    std::fs::remove_dir_all(site.path().join("content/budgets")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.path().join("budgets.csv").exists());
    assert!(!read(out.path(), "data/index.html").contains("budgets.csv"));
    assert!(!read(out.path(), "datapackage.json").contains("budgets.csv"));
}

#[test]
fn a_budget_line_is_found_by_search() {
    let out = built_fixture();
    let urls = search_urls(out.path(), "council tax grants");
    assert!(
        urls.iter().take(5).any(|u| u == "budgets/2024-25/"),
        "{urls:?}"
    );
}

#[test]
fn a_total_that_does_not_match_its_rows_is_an_error_at_the_figure() {
    let err = broken_build(|root| {
        edit(
            root,
            BUDGET,
            "values: [201.4, 221.0]\n      tolerance",
            "values: [210.4, 221.0]\n      tolerance",
        );
    });
    assert!(
        err.contains(
            "2023/24: the stated total 210.4 does not match the rows, which add up to 201.3 (£m)"
        ),
        "{err}"
    );
    assert!(err.contains("content/budgets/2024-25.yaml:34:16"), "{err}");
    assert!(
        err.contains("tolerance:"),
        "the help names the setting: {err}"
    );
}

#[test]
fn bad_budgets_are_located_errors() {
    // A row with a figure too few.
    let err = broken_build(|root| edit(root, BUDGET, "values: [7.9, 7.9]", "values: [7.9]"));
    assert!(
        err.contains("`Council tax grants` has 1 figure but the budget has 2 columns"),
        "{err}"
    );
    assert!(err.contains("content/budgets/2024-25.yaml:27:"), "{err}");
    // A figure that is not a number.
    let err =
        broken_build(|root| edit(root, BUDGET, "values: [8.8, 17.7]", "values: [8.8, 17.7m]"));
    assert!(err.contains("the figure `17.7m` is not an amount"), "{err}");
    assert!(err.contains("2024-25.yaml:29:"), "{err}");
    // An unknown side of the account names the allowed ones.
    let err = broken_build(|root| edit(root, BUDGET, "flow: income", "flow: incoming"));
    assert!(err.contains("2024-25.yaml:19"), "{err}");
    assert!(err.contains("expenditure"), "{err}");
    // An unknown unit.
    let err = broken_build(|root| edit(root, BUDGET, "unit: \"£m\"", "unit: \"£bn\""));
    assert!(err.contains("`£bn` is not a unit of money"), "{err}");
}
