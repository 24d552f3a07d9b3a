//! Budgets: a Commissioner's income and expenditure tables, each with one
//! or more year columns (`2023/24`, `2024/25`) and a stated total per
//! column, checked against its rows like a grants table's total. A budget
//! is not a list of grants: nothing of it reaches the 360Giving export;
//! its rows are in `budgets.csv`.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::totals::{self, TotalCheck};
use super::{Common, Cx, Md, Meta, Parsed};
use crate::diagnostics::Diagnostic;
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::Settings;
use crate::types::{Date, Decimal, Kind, Money, MoneyUnit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    /// The date the source states for the budget (set, published or last
    /// updated), if any.
    date: Option<Spanned<String>>,
    financial_year: Option<String>,
    unit: Spanned<String>,
    /// How the unit is known when the source does not print it.
    unit_note: Option<String>,
    /// The year columns, as the source heads them.
    columns: Vec<String>,
    intro: Option<Spanned<String>>,
    notes: Option<Spanned<String>>,
    source: Option<String>,
    tables: Vec<RawTable>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    changes: Vec<super::RawChange>,
    withdrawn: Option<super::RawWithdrawn>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    id: Spanned<String>,
    title: String,
    flow: Option<Flow>,
    /// The heading of the row-label column, as the source has it.
    label_header: Option<String>,
    /// This table's own column headings, when they differ from the
    /// budget's (one source heads the same year `2023/24` and `2023/2024`).
    column_labels: Option<Spanned<Vec<String>>>,
    rows: Vec<RawRow>,
    total: Option<RawTotal>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    label: Spanned<String>,
    /// One per column; `~` where the source states none.
    values: Spanned<Vec<Option<Spanned<String>>>>,
    footnote: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTotal {
    label: String,
    values: Spanned<Vec<Option<Spanned<String>>>>,
    /// How far the printed total may be from the rows' sum, in the unit.
    tolerance: Option<Spanned<String>>,
}

/// Which side of the account a table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Flow {
    Income,
    Expenditure,
    Other,
}

impl Flow {
    pub fn label(self) -> &'static str {
        match self {
            Flow::Income => "Income",
            Flow::Expenditure => "Expenditure",
            Flow::Other => "Other",
        }
    }
}

/// One cell, as printed (in the budget's unit) and in pounds.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    #[serde(skip)]
    pub amount: Option<Decimal>,
    /// `83.8`, as the source prints it; `None` where it states no figure.
    pub text: Option<String>,
    /// `£83,800,000`.
    pub pounds: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
    pub footnote: Option<String>,
    /// The footnote's number under its table (1, 2, …).
    pub footnote_number: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Total {
    pub label: String,
    pub cells: Vec<Cell>,
    /// What the check of each column found, in column order.
    pub checks: Vec<TotalCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub id: String,
    /// `table-funding`: the table's address on the budget's page.
    pub anchor: String,
    pub title: String,
    pub flow: Option<Flow>,
    pub flow_label: Option<&'static str>,
    pub label_header: String,
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    pub total: Option<Total>,
    /// The rows' footnotes, numbered, to list under the table.
    pub footnotes: Vec<Footnote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Footnote {
    pub number: usize,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Budget {
    pub meta: Meta,
    pub date: Option<Date>,
    pub financial_year: Option<String>,
    #[serde(skip)]
    pub unit: MoneyUnit,
    pub unit_label: &'static str,
    pub unit_note: Option<String>,
    pub columns: Vec<String>,
    pub intro: Option<Md>,
    pub notes: Option<Md>,
    pub source: Option<String>,
    pub tables: Vec<Table>,
}

const MISSING: &str = "write `~` for a figure the source does not state";

impl Budget {
    /// Whether one of its tables is of this side of the account.
    pub fn has_flow(&self, flow: Flow) -> bool {
        self.tables.iter().any(|t| t.flow == Some(flow))
    }
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let raw: Raw = match decode_yaml(&file.text, &file.path, 1) {
        Ok(r) => r,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, 1);
    let id = cx.id(&raw.id);
    let date = cx.date(&raw.date);
    let unit = MoneyUnit::parse(&raw.unit.value).unwrap_or_else(|| {
        let span = cx.span(&raw.unit);
        cx.error(
            span,
            format!("`{}` is not a unit of money plansite knows", raw.unit.value),
            "use \"£\", \"£000s\" or \"£m\"; if the source prints none, give the one its figures are in and say how you know with `unit_note:`",
        );
        MoneyUnit::Pounds
    });
    if raw.columns.is_empty() {
        let span = cx.span(&raw.id);
        cx.error(
            span,
            "a budget needs at least one column",
            "list the year columns as the source heads them, e.g. `columns: [\"2023/24\", \"2024/25\"]`",
        );
    }
    let width = raw.columns.len();
    let mut tables: Vec<Table> = Vec::with_capacity(raw.tables.len());
    for t in raw.tables {
        let table_id = cx.id(&t.id);
        let anchor = format!("table-{table_id}");
        if tables.iter().any(|x| x.anchor == anchor) {
            let span = cx.span(&t.id);
            cx.error(
                span,
                format!("two tables of this budget have the id `{table_id}`"),
                "give each table its own id: it is the table's address on the page",
            );
            continue;
        }
        let columns = match &t.column_labels {
            Some(labels) if labels.value.len() != width => {
                let span = cx.span(labels);
                cx.error(
                    span,
                    format!(
                        "`column_labels` has {} labels but the budget has {width} columns",
                        labels.value.len()
                    ),
                    "give one label per column of `columns:`, in the same order",
                );
                raw.columns.clone()
            }
            Some(labels) => labels.value.clone(),
            None => raw.columns.clone(),
        };
        let mut rows = Vec::with_capacity(t.rows.len());
        let mut footnotes: Vec<Footnote> = Vec::new();
        for r in &t.rows {
            let cells = cells(&mut cx, &r.values, width, unit, &r.label.value);
            let footnote_number = r.footnote.as_ref().map(|text| {
                footnotes.push(Footnote {
                    number: footnotes.len() + 1,
                    label: r.label.value.clone(),
                    text: text.clone(),
                });
                footnotes.len()
            });
            rows.push(Row {
                label: r.label.value.clone(),
                cells,
                footnote: r.footnote.clone(),
                footnote_number,
            });
        }
        let total = t.total.as_ref().map(|total| {
            let cells = cells(&mut cx, &total.values, width, unit, &total.label);
            let tolerance = total
                .tolerance
                .as_ref()
                .and_then(|v| cx.amount(v, unit, "tolerance", "give it in the budget's unit"));
            let mut checks = Vec::with_capacity(width);
            for (column, cell) in cells.iter().enumerate() {
                let amounts: Vec<Option<Decimal>> = rows
                    .iter()
                    .map(|r: &Row| r.cells.get(column).and_then(|c| c.amount))
                    .collect();
                let (check, mismatch) =
                    totals::check(&amounts, cell.amount, tolerance, unit.label());
                if let Some(m) = mismatch {
                    let at = total.values.value.get(column).and_then(Option::as_ref);
                    let span = match at {
                        Some(v) => cx.span(v),
                        None => cx.span(&total.values),
                    };
                    let help = if m.on_total {
                        "check each row's figure against the source; if the source's own total is off by rounding, keep its figures and set `tolerance:` on the total"
                    } else {
                        m.help
                    };
                    cx.error(
                        span,
                        format!("{}: {}", columns.get(column).map_or("", String::as_str), m.message),
                        help,
                    );
                }
                checks.push(check);
            }
            Total {
                label: total.label.clone(),
                cells,
                checks,
            }
        });
        tables.push(Table {
            id: table_id,
            anchor,
            title: t.title,
            flow: t.flow,
            flow_label: t.flow.map(Flow::label),
            label_header: t.label_header.unwrap_or_else(|| "Item".to_string()),
            columns,
            rows,
            total,
            footnotes,
        });
    }
    for table in &tables {
        cx.anchors.push(table.anchor.clone());
    }
    let intro = cx.markdown(&raw.intro, Settings::default());
    let notes = cx.markdown(&raw.notes, Settings::default());
    let mut meta = Meta::new(Kind::Budget, id, raw.title, &file.path, cx.span(&raw.id));
    let common = Common {
        draft: raw.draft,
        aliases: raw.aliases,
        updated: raw.updated,
        changes: raw.changes,
        withdrawn: raw.withdrawn,
        related: raw.related,
    };
    cx.finish_meta(&mut meta, &common);
    let diagnostics = std::mem::take(&mut cx.diagnostics);
    (
        Parsed::Budget(vec![Budget {
            meta,
            date,
            financial_year: raw.financial_year,
            unit,
            unit_label: unit.label(),
            unit_note: raw.unit_note,
            columns: raw.columns,
            intro,
            notes,
            source: raw.source,
            tables,
        }]),
        diagnostics,
    )
}

/// A row's figures, one per column: a located error when there are more or
/// fewer than the columns, or a figure is not an amount.
fn cells(
    cx: &mut Cx<'_>,
    values: &Spanned<Vec<Option<Spanned<String>>>>,
    width: usize,
    unit: MoneyUnit,
    label: &str,
) -> Vec<Cell> {
    if values.value.len() != width {
        let span = cx.span(values);
        cx.error(
            span,
            format!(
                "`{label}` has {} but the budget has {width} column{}",
                match values.value.len() {
                    1 => "1 figure".to_string(),
                    n => format!("{n} figures"),
                },
                if width == 1 { "" } else { "s" }
            ),
            format!("give one figure per column, in the order of `columns:`; {MISSING}"),
        );
    }
    (0..width)
        .map(|i| {
            let written = values.value.get(i).and_then(Option::as_ref);
            let amount = written.and_then(|v| cx.amount(v, unit, "the figure", MISSING));
            let money = amount.map(|amount| Money { amount, unit });
            Cell {
                amount,
                // As printed: `45.0` stays `45.0` (the number type would
                // drop the zero).
                text: written
                    .filter(|_| amount.is_some())
                    .map(|v| v.value.trim().trim_start_matches('£').to_string()),
                pounds: money.map(Money::pounds_display),
            }
        })
        .collect()
}

impl super::Record for Budget {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.tables.clear();
        self.intro = None;
        self.notes = None;
    }
    fn search_text(&self) -> String {
        let mut words: Vec<&str> = Vec::new();
        words.extend(self.financial_year.as_deref());
        for t in &self.tables {
            words.push(&t.title);
            words.extend(t.rows.iter().map(|r| r.label.as_str()));
        }
        words.extend(self.intro.as_ref().map(|m| m.text.as_str()));
        words.join(" ")
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
