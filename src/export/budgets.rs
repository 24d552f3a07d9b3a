//! `budgets.csv`: one row for each figure of each budget table (every row
//! and every stated total, in every year column). Budgets are income and
//! spending, not grants: none of this reaches the 360Giving files.

use super::{Column, Cx, GENERATED, LICENCE, col, csv_file, licence_text, opt};
use crate::output::OutputFile;
use crate::records::budget::{Budget, Cell};
use crate::types::Money;

pub(crate) const PATH: &str = "budgets.csv";

/// What the note says of a figure the source does not state.
const NOT_STATED: &str = "Not stated in the source.";

pub(crate) const COLUMNS: &[Column] = &[
    col(
        "budget_id",
        "string",
        "The budget's permanent id (its page is budgets/<budget_id>/).",
    ),
    col("budget", "string", "The budget's title."),
    col(
        "financial_year",
        "string",
        "The financial year the budget is for, as the source writes it.",
    ),
    col(
        "table_id",
        "string",
        "The table's id within its budget (its address is #table-<table_id>).",
    ),
    col("table", "string", "The table's title."),
    col(
        "flow",
        "string",
        "income, expenditure or other, when the budget says which.",
    ),
    col(
        "line",
        "string",
        "row for a line of the table, total for its stated total.",
    ),
    col("label", "string", "The line's label, as the source has it."),
    col(
        "column",
        "string",
        "The column's heading, as the source has it (usually a financial year).",
    ),
    col(
        "amount",
        "number",
        "The figure as a plain decimal number in the table's unit (no separators). Empty where the source states none.",
    ),
    col("unit", "string", "The unit of the figures: £, £000s or £m."),
    col(
        "amount_pounds",
        "number",
        "The figure in pounds, as a plain number.",
    ),
    col(
        "note",
        "string",
        "Why a figure is empty, or how the stated total compares with its rows.",
    ),
    col("url", "string", "The table's permanent address."),
    LICENCE,
    GENERATED,
];

pub(crate) fn count(cx: &Cx<'_>) -> usize {
    cx.site
        .records
        .budgets
        .iter()
        .flat_map(|b| &b.tables)
        .map(|t| (t.rows.len() + usize::from(t.total.is_some())) * t.columns.len())
        .sum()
}

/// The file, when the site has budgets.
pub(crate) fn file(cx: &Cx<'_>) -> Option<OutputFile> {
    let budgets = &cx.site.records.budgets;
    if budgets.is_empty() {
        return None;
    }
    let licence = licence_text(cx.site);
    let generated = cx.generated.iso();
    let mut rows = Vec::new();
    for b in budgets {
        for t in &b.tables {
            let url = cx
                .site
                .config
                .absolute(&format!("{}#{}", b.meta.url, t.anchor));
            let mut line = |kind: &str, label: &str, cells: &[Cell], notes: &[String]| {
                for (i, cell) in cells.iter().enumerate() {
                    let note = match (&cell.amount, notes.get(i)) {
                        (None, _) => NOT_STATED.to_string(),
                        (Some(_), Some(n)) => n.clone(),
                        (Some(_), None) => String::new(),
                    };
                    rows.push(vec![
                        b.meta.key.clone(),
                        b.meta.title.clone(),
                        opt(b.financial_year.as_ref()),
                        t.id.clone(),
                        t.title.clone(),
                        opt(t.flow.map(|f| f.label().to_lowercase())),
                        kind.to_string(),
                        label.to_string(),
                        t.columns.get(i).cloned().unwrap_or_default(),
                        opt(cell.amount.map(|a| a.plain())),
                        b.unit_label.to_string(),
                        opt(pounds(b, cell)),
                        note,
                        url.clone(),
                        licence.clone(),
                        generated.clone(),
                    ]);
                }
            };
            for r in &t.rows {
                line("row", &r.label, &r.cells, &[]);
            }
            if let Some(total) = &t.total {
                let notes: Vec<String> = total.checks.iter().map(|c| c.note.clone()).collect();
                line("total", &total.label, &total.cells, &notes);
            }
        }
    }
    Some(csv_file(PATH, COLUMNS, rows))
}

fn pounds(b: &Budget, cell: &Cell) -> Option<String> {
    let amount = cell.amount?;
    Money {
        amount,
        unit: b.unit,
    }
    .in_pounds()
    .map(|p| p.plain())
}
