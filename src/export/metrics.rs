//! `metrics.csv`: one row for each published figure of each metric, and
//! one row (with its target, and an empty period and value) for each metric
//! that has no figures yet, so that every metric of the plan is listed.

use super::{Column, Cx, GENERATED, LICENCE, col, csv_file, licence_text, opt};
use crate::output::OutputFile;

/// What the note says for a metric that has no figures.
pub(crate) const NO_FIGURES: &str = "No figures have been published on this site yet.";

pub(crate) const COLUMNS: &[Column] = &[
    col(
        "metric_id",
        "string",
        "The metric's permanent id (its page is metrics/<metric_id>/).",
    ),
    col("metric", "string", "The metric's name."),
    col(
        "period",
        "string",
        "The period of the figure as the series writes it: 2022-Q1 (quarter), 2022-03 or March 2022 (month), 2021-22 or 2021/22 (financial year), 2023/24 Q3 (financial-year quarter) or 2022 (year). Empty for a metric with no published figures.",
    ),
    col(
        "period_label",
        "string",
        "The period for people, e.g. 2022 Q1, March 2022, 2021/22.",
    ),
    col(
        "value",
        "number",
        "The figure as a plain decimal number (no separators). Empty for a metric with no published figures.",
    ),
    col(
        "unit",
        "string",
        "The unit of the figures, e.g. %, number, £, days.",
    ),
    col(
        "target",
        "string",
        "The plan's target, in the plan's words.",
    ),
    col(
        "target_value",
        "number",
        "The target as a number, when one is given.",
    ),
    col(
        "direction",
        "string",
        "Which way is better: higher, lower or none.",
    ),
    col("frequency", "string", "How often figures are published."),
    col("source", "string", "Who produces the figures."),
    col(
        "note",
        "string",
        "A note on the figure (e.g. provisional), or that no figures have been published yet.",
    ),
    col("url", "string", "The metric's permanent address."),
    LICENCE,
    GENERATED,
];

pub(crate) fn count(cx: &Cx<'_>) -> usize {
    cx.site
        .records
        .metrics
        .iter()
        .map(|m| m.series.len().max(1))
        .sum()
}

pub(crate) fn files(cx: &Cx<'_>) -> Vec<OutputFile> {
    let licence = licence_text(cx.site);
    let generated = cx.generated.iso();
    let mut rows = Vec::new();
    for m in &cx.site.records.metrics {
        let direction = match m.direction {
            crate::records::metric::Direction::Higher => "higher",
            crate::records::metric::Direction::Lower => "lower",
            crate::records::metric::Direction::None => "none",
        };
        let row = |period: String, label: String, value: String, note: String| {
            vec![
                m.meta.key.clone(),
                m.name.clone(),
                period,
                label,
                value,
                opt(m.unit.as_ref()),
                opt(m.target.as_ref()),
                opt(m.target_value.map(|v| v.plain())),
                direction.to_string(),
                opt(m.frequency.as_ref()),
                opt(m.source.as_ref()),
                note,
                cx.site.config.absolute(&m.meta.url),
                licence.clone(),
                generated.clone(),
            ]
        };
        if m.series.is_empty() {
            rows.push(row(
                String::new(),
                String::new(),
                String::new(),
                NO_FIGURES.to_string(),
            ));
        }
        for p in &m.series {
            rows.push(row(
                p.period.clone(),
                p.period_label.clone(),
                p.value.map_or_else(|| p.value_text.clone(), |v| v.plain()),
                opt(p.note.as_ref()),
            ));
        }
    }
    vec![csv_file("metrics.csv", COLUMNS, rows)]
}
