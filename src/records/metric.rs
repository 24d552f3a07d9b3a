//! Metrics ("How we will measure success") and their published series.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, decode_list};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Decimal, Kind, PERIOD_FORMS, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    name: String,
    definition: Spanned<String>,
    context: Option<Spanned<String>>,
    plan: Option<Spanned<String>>,
    section: Option<Spanned<String>>,
    subsection: Option<Spanned<String>>,
    /// Or the document published elsewhere that sets it (its id).
    document: Option<Spanned<String>>,
    #[serde(default)]
    commitments: Vec<Spanned<String>>,
    unit: Option<String>,
    #[serde(default)]
    direction: Direction,
    target: Option<String>,
    target_value: Option<Spanned<String>>,
    frequency: Option<String>,
    source: Option<String>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    Higher,
    Lower,
    #[default]
    None,
}

impl Direction {
    pub fn label(self) -> &'static str {
        match self {
            Direction::Higher => "Higher is better",
            Direction::Lower => "Lower is better",
            Direction::None => "No direction is set: the plan asks for this to be monitored",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub period: String,
    pub period_label: String,
    #[serde(skip)]
    pub sort: Period,
    /// `None` for a figure in words ("not available"), which the note
    /// explains; the chart draws only numbers.
    #[serde(skip)]
    pub value: Option<Decimal>,
    /// As written in the CSV, for tables and exports.
    pub value_text: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Metric {
    pub meta: Meta,
    pub name: String,
    pub definition: Md,
    pub context: Option<Md>,
    /// The plan and section it sits in, when it is one of this site's
    /// plans' measures.
    pub plan: Option<Ref>,
    pub section: Option<Ref>,
    /// Otherwise the document published elsewhere that sets it.
    pub document: Option<Ref>,
    pub commitments: Vec<Ref>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub direction_label: &'static str,
    pub target: Option<String>,
    #[serde(skip)]
    pub target_value: Option<Decimal>,
    pub frequency: Option<String>,
    pub source: Option<String>,
    pub series: Vec<Point>,
    pub order: usize,
}

/// One metric's figures, read from `metrics/series/<id>.csv`.
#[derive(Debug, Clone)]
pub struct Series {
    pub metric: String,
    pub file: std::path::PathBuf,
    pub points: Vec<Point>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raws, mut diagnostics) = decode_list::<Raw>(file);
    let mut out = Vec::with_capacity(raws.len());
    for (order, raw) in raws.into_iter().enumerate() {
        let mut cx = Cx::new(&file.path, 1);
        let id = cx.id(&raw.id);
        let definition = cx
            .markdown(&Some(raw.definition.clone()), Settings::default())
            .unwrap_or_default();
        let context = cx.markdown(&raw.context, Settings::default());
        let (plan, section, document) = home(&mut cx, &raw);
        let commitments = cx.typed_all(Kind::Commitment, &raw.commitments, Relation::Measures);
        let target_value = raw.target_value.as_ref().and_then(|v| {
            let parsed = Decimal::parse(&v.value);
            if parsed.is_none() {
                let span = cx.span(v);
                cx.error(
                    span,
                    format!("`{}` is not a number", v.value),
                    "target_value is the number the target line is drawn at, e.g. 6 for \"> 6%\"",
                );
            }
            parsed
        });
        let mut meta = Meta::new(
            Kind::Metric,
            id,
            raw.name.clone(),
            &file.path,
            cx.span(&raw.id),
        );
        let common = Common {
            draft: raw.draft,
            aliases: raw.aliases,
            updated: raw.updated,
            changes: raw.changes,
            withdrawn: raw.withdrawn,
            related: raw.related,
        };
        cx.finish_meta(&mut meta, &common);
        diagnostics.append(&mut cx.diagnostics);
        out.push(Metric {
            meta,
            name: raw.name,
            definition,
            context,
            plan,
            section,
            document,
            commitments,
            unit: raw.unit,
            direction: raw.direction,
            direction_label: raw.direction.label(),
            target: raw.target,
            target_value,
            frequency: raw.frequency,
            source: raw.source,
            series: Vec::new(),
            order,
        });
    }
    (Parsed::Metrics(out), diagnostics)
}

/// Where a metric belongs: a plan section here (`plan:` and `section:`,
/// with an optional `subsection:`) or a document published elsewhere
/// (`document:`), exactly one of the two.
fn home(cx: &mut Cx<'_>, raw: &Raw) -> (Option<Ref>, Option<Ref>, Option<Ref>) {
    let document = raw.document.as_ref().map(|d| {
        let id = d.value.trim();
        let id = id.strip_prefix("document ").map_or(id, str::trim);
        let at = Spanned {
            value: id.to_string(),
            referenced: d.referenced,
            defined: d.defined,
        };
        cx.typed(Kind::Document, &at, Relation::BelongsTo)
    });
    match (&raw.plan, &raw.section, &raw.document) {
        (Some(plan), Some(section), None) => (
            Some(cx.typed(Kind::Plan, plan, Relation::PartOf)),
            Some(cx.section_ref(plan, section, raw.subsection.as_ref())),
            None,
        ),
        (None, None, Some(_)) if raw.subsection.is_none() => (None, None, document),
        (_, _, Some(d)) => {
            let span = cx.span(d);
            cx.error(
                span,
                format!("metric `{}` belongs both to a document and to a plan section", raw.id.value),
                "a metric is set by one place: keep `plan:` and `section:` for a measure of this site's plan, or `document:` alone for one set by a document published elsewhere",
            );
            (None, None, document)
        }
        (plan, section, None) => {
            let span = plan
                .as_ref()
                .or(section.as_ref())
                .map_or_else(|| cx.span(&raw.id), |v| cx.span(v));
            cx.error(
                span,
                format!("metric `{}` does not say where it belongs", raw.id.value),
                "give the plan and section it is set in (`plan: 2025-2029`, `section: section-1`), or, for a measure set by a document published elsewhere, `document: <id>` of a file in content/documents/",
            );
            (None, None, None)
        }
    }
}

/// Reads `period,value[,note]` rows. Every bad row is reported with its line
/// and the column of the bad cell.
pub fn parse_series(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => {
            return (
                Parsed::Nothing,
                vec![Diagnostic::error(
                    Some(Span::new(&file.path, 1, 1)),
                    format!("cannot read the CSV header: {e}"),
                )],
            );
        }
    };
    if headers.first().map(String::as_str) != Some("period")
        || headers.get(1).map(String::as_str) != Some("value")
    {
        diagnostics.push(
            Diagnostic::error(
                Some(Span::new(&file.path, 1, 1)),
                "a metric series needs the columns `period,value` (and optionally `note`)",
            )
            .with_help("make the first line `period,value,note`"),
        );
        return (Parsed::Nothing, diagnostics);
    }
    if let Some(extra) = headers.get(2).filter(|h| h.as_str() != "note") {
        diagnostics.push(
            Diagnostic::error(
                Some(Span::new(&file.path, 1, cell_column(&file.text, 1, 2))),
                format!("`{extra}` is not a column of a metric series"),
            )
            .with_help("the columns are `period,value,note`; put anything else in the note"),
        );
    }
    if headers.len() > 3 {
        diagnostics.push(
            Diagnostic::error(
                Some(Span::new(&file.path, 1, cell_column(&file.text, 1, 3))),
                format!(
                    "a metric series has at most 3 columns; this header has {}",
                    headers.len()
                ),
            )
            .with_help("the columns are `period,value,note`; put anything else in the note"),
        );
    }
    let mut points: Vec<Point> = Vec::new();
    // Periods seen so far: a long series checks repeats in constant time.
    let mut periods = std::collections::HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                diagnostics.push(Diagnostic::error(
                    Some(Span::new(&file.path, line, 1)),
                    format!("this CSV row cannot be read: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        // Every row has the header's cells: an extra one would be dropped
        // and a missing one would shift the meaning of the rest.
        if record.len() != headers.len() {
            let (col, what) = if record.len() > headers.len() {
                (
                    cell_column(&file.text, line, headers.len()),
                    "this cell is past the last column",
                )
            } else {
                (
                    cell_column(&file.text, line, usize::MAX),
                    "cells are missing at the end of this row",
                )
            };
            diagnostics.push(
                Diagnostic::error(
                    Some(Span::new(&file.path, line, col)),
                    format!(
                        "{what}: the row has {} cell{} and the header {} ({})",
                        record.len(),
                        if record.len() == 1 { "" } else { "s" },
                        headers.len(),
                        headers.join(",")
                    ),
                )
                .with_help("give every row the header's cells, leaving a note empty with a trailing comma (`2022-Q1,5.4,`); a comma inside a note needs the note in double quotes"),
            );
            continue;
        }
        let period_text = record.get(0).unwrap_or("").trim();
        let value_text = record.get(1).unwrap_or("").trim();
        let value_col = record
            .get(0)
            .map(|c| c.chars().count() as u32 + 2)
            .unwrap_or(1);
        let period = Period::parse(period_text);
        if period.is_none() {
            diagnostics.push(
                Diagnostic::error(
                    Some(Span::new(&file.path, line, 1)),
                    format!("`{period_text}` is not a period"),
                )
                .with_help(format!("write periods as {PERIOD_FORMS}")),
            );
        }
        let note = record
            .get(2)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(String::from);
        // A figure that is not a number ("not available", "n/a") is kept as
        // written when the note says why; the chart leaves it out.
        let value = Decimal::parse(value_text.trim_end_matches('%'));
        if value.is_none() && (note.is_none() || value_text.is_empty()) {
            diagnostics.push(
                Diagnostic::error(
                    Some(Span::new(&file.path, line, value_col)),
                    format!("`{value_text}` is not a number"),
                )
                .with_help("values are plain decimal numbers such as 5.4 or 1,200; a value in words, such as `not available`, needs a note saying why (`2023-Q4,not available,data not yet published`)"),
            );
            continue;
        }
        if let Some(period) = period {
            if !periods.insert(period.clone()) {
                diagnostics.push(
                    Diagnostic::error(
                        Some(Span::new(&file.path, line, 1)),
                        format!("period `{period_text}` appears twice"),
                    )
                    .with_help("each period has one value; remove or correct the repeated row"),
                );
                continue;
            }
            points.push(Point {
                period: period.as_written().to_string(),
                period_label: period.label(),
                sort: period,
                value,
                value_text: value.map_or_else(|| value_text.to_string(), Decimal::grouped),
                note,
            });
        }
    }
    points.sort_by(|a, b| a.sort.cmp(&b.sort));
    (
        Parsed::Series(Series {
            metric: file.stem().to_string(),
            file: file.path.clone(),
            points,
        }),
        diagnostics,
    )
}

/// The 1-based column where cell `index` (0-based) of `line` starts; the
/// end of the line when it has fewer cells. Commas inside double quotes do
/// not separate cells.
fn cell_column(text: &str, line: u32, index: usize) -> u32 {
    let Some(row) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return 1;
    };
    let mut cell = 0;
    let mut quoted = false;
    let mut col = 1;
    for c in row.chars() {
        if cell == index {
            return col;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cell += 1,
            _ => {}
        }
        col += 1;
    }
    col
}

/// Gives each metric the series read from its CSV file (the last one wins
/// when two files name one metric); a series without its metric is an error.
pub fn attach_series(
    metrics: &mut [Metric],
    series: impl IntoIterator<Item = Series>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for s in series {
        match metrics.iter_mut().find(|m| m.meta.key == s.metric) {
            Some(m) => m.series = s.points,
            None => {
                let ids: Vec<&str> = metrics.iter().map(|m| m.meta.key.as_str()).collect();
                let mut d = Diagnostic::error(
                    Some(Span::file(&s.file)),
                    format!("there is no metric `{}` for this series", s.metric),
                );
                d = d.with_help(
                    crate::diagnostics::did_you_mean(&s.metric, ids)
                        .map(|h| format!("{h} A series file is named after its metric's id."))
                        .unwrap_or_else(|| {
                            "name a series file after its metric's id: metrics/series/<id>.csv"
                                .into()
                        }),
                );
                diagnostics.push(d);
            }
        }
    }
    diagnostics
}

impl super::Record for Metric {
    meta_field!();
    fn date(&self) -> Option<crate::types::Date> {
        None
    }
    fn withhold(&mut self) {
        self.definition = Md::default();
        self.context = None;
        self.series.clear();
    }
    /// In the order the metrics files list them.
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| (&a.meta.file, a.order).cmp(&(&b.meta.file, b.order)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> SourceFile {
        SourceFile {
            path: "content/metrics/series/m.csv".into(),
            rel: "metrics/series/m.csv".into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_bad_row_names_its_line_and_column() {
        let (_, d) = parse_series(&csv("period,value\n2022-Q1,5.4\n2022-Q9,6\n2022-Q3,lots\n"));
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(
            d[0].span.as_ref().unwrap().to_string(),
            "content/metrics/series/m.csv:3:1"
        );
        assert_eq!(
            d[1].span.as_ref().unwrap().to_string(),
            "content/metrics/series/m.csv:4:9"
        );
    }

    #[test]
    fn points_are_sorted_by_period() {
        let (p, d) = parse_series(&csv(
            "period,value,note\n2022-Q2,6.1,provisional\n2022-Q1,5.4,\n",
        ));
        assert!(d.is_empty());
        let Parsed::Series(s) = p else { panic!() };
        assert_eq!(s.points[0].period, "2022-Q1");
        assert_eq!(s.points[1].note.as_deref(), Some("provisional"));
    }
}
