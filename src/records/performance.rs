//! Performance reports: a report on performance against the plan for one
//! period (`2024/25 Q3`), usually presented to the Panel or a board, that
//! gives each indicator (a metric of the plan) its figure and a grade on
//! the scale the site declares in `site.yaml` (`grades:`). A grade is
//! always shown by its label, never by colour alone.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::metric::{Metric, Point};
use super::{Common, Cx, Md, Meta, Parsed, Records, front_matter};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Decimal, Kind, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    /// The period the figures cover, as the report states it.
    period: Spanned<String>,
    /// The report's own date, when it states one.
    date: Option<Spanned<String>>,
    /// The meeting it was presented to.
    presented_to: Option<Spanned<String>>,
    /// Who the report is by, as it says: "Office of the Police and Crime
    /// Commissioner".
    author: Option<String>,
    /// Where the published report is, when it is a document elsewhere.
    document: Option<Spanned<String>>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
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
struct RawIndicator {
    /// The metric's id.
    metric: Spanned<String>,
    /// The figure as the report prints it; when left out, the metric's
    /// published figure for the report's period is shown.
    value: Option<Spanned<String>>,
    baseline: Option<String>,
    /// The target as the report states it; the metric's own when left out.
    target: Option<String>,
    /// The id of a grade in `site.yaml`'s `grades:`.
    grade: Option<Spanned<String>>,
    /// The report's commentary on the indicator.
    note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Indicator {
    pub metric: Ref,
    /// `indicator-<metric id>`: the indicator's address on the page.
    pub anchor: String,
    /// As printed in the report.
    pub value: Option<String>,
    #[serde(skip)]
    pub number: Option<Decimal>,
    pub baseline: Option<String>,
    pub target: Option<String>,
    /// The grade's id as written; its label and meaning are filled in from
    /// the site's scale by `crate::checks`.
    pub grade: Option<String>,
    #[serde(skip)]
    pub grade_span: Option<Span>,
    pub grade_label: Option<String>,
    pub grade_meaning: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PerformanceReport {
    pub meta: Meta,
    /// As written: `2024/25 Q3`.
    pub period: String,
    /// For people: `2024/25 Q3`, `March 2024`.
    pub period_label: String,
    #[serde(skip)]
    pub period_sort: Option<Period>,
    pub date: Option<Date>,
    pub presented_to: Option<Ref>,
    pub author: Option<String>,
    pub document: Option<String>,
    pub indicators: Vec<Indicator>,
    pub body: Option<Md>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let id = cx.id(&raw.id);
    let date = cx.date(&raw.date);
    let period = cx.period(&raw.period, "the period the report covers");
    let presented_to = raw
        .presented_to
        .as_ref()
        .map(|m| cx.typed(Kind::Meeting, m, Relation::PresentedTo));
    let document = raw.document.as_ref().and_then(|u| cx.url(u));
    let mut indicators: Vec<Indicator> = Vec::new();
    for raw in &raw.indicators {
        let anchor = format!("indicator-{}", raw.metric.value.trim());
        if indicators.iter().any(|i| i.anchor == anchor) {
            let span = cx.span(&raw.metric);
            cx.error(
                span,
                format!(
                    "the indicator `{}` is listed twice in this report",
                    raw.metric.value
                ),
                "give each metric one entry; put a second figure or comment in its `note:`",
            );
            continue;
        }
        let number = raw.value.as_ref().and_then(|v| number(&v.value));
        let metric = cx.typed(Kind::Metric, &raw.metric, Relation::Grades);
        cx.anchors.push(anchor.clone());
        indicators.push(Indicator {
            metric,
            anchor,
            value: raw.value.as_ref().map(|v| v.value.trim().to_string()),
            number,
            baseline: raw.baseline.clone(),
            target: raw.target.clone(),
            grade: raw.grade.as_ref().map(|g| g.value.trim().to_string()),
            grade_span: raw.grade.as_ref().map(|g| cx.span(g)),
            grade_label: None,
            grade_meaning: None,
            note: raw.note.clone(),
        });
    }
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let mut meta = Meta::new(
        Kind::Performance,
        id,
        raw.title,
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
    let diagnostics = std::mem::take(&mut cx.diagnostics);
    (
        Parsed::Performance(vec![PerformanceReport {
            meta,
            period: raw.period.value.trim().to_string(),
            period_label: period
                .as_ref()
                .map(Period::label)
                .unwrap_or_else(|| raw.period.value.clone()),
            period_sort: period,
            date,
            presented_to,
            author: raw.author,
            document,
            indicators,
            body,
        }]),
        diagnostics,
    )
}

/// A figure as a number, when it is one: `5.1`, `1,200`, `62%`.
fn number(text: &str) -> Option<Decimal> {
    Decimal::parse(text.trim().trim_end_matches('%').trim())
}

/// The site's grades, from `site.yaml`: what each indicator's grade means.
/// An unknown grade is an error at its line.
pub fn grade(reports: &mut [PerformanceReport], scale: &[crate::config::Grade]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for indicator in reports.iter_mut().flat_map(|r| r.indicators.iter_mut()) {
        let Some(id) = &indicator.grade else { continue };
        match scale.iter().find(|g| &g.id == id) {
            Some(g) => {
                indicator.grade_label = Some(g.label.clone());
                indicator.grade_meaning = g.meaning.clone();
            }
            None => {
                let help = if scale.is_empty() {
                    "declare the grades the reports use in site.yaml, e.g. `grades: [{id: green, label: Green, meaning: On track}]` (see docs/content.md)".to_string()
                } else {
                    let ids = scale.iter().map(|g| g.id.as_str());
                    let known = format!(
                        "the grades site.yaml declares are {}",
                        scale
                            .iter()
                            .map(|g| format!("`{}`", g.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    match crate::diagnostics::did_you_mean(id, ids) {
                        Some(d) => format!("{d} ({known})"),
                        None => known,
                    }
                };
                out.push(
                    Diagnostic::error(
                        indicator.grade_span.clone(),
                        format!("`{id}` is not a grade this site declares"),
                    )
                    .with_help(help),
                );
            }
        }
    }
    out
}

impl PerformanceReport {
    /// Each indicator as its page row shows it: the figure (the report's,
    /// or the metric's for the period), the figure of the period before
    /// and the change, the grade of the last report that graded it.
    fn rows(&self, records: &Records) -> Vec<serde_json::Value> {
        self.indicators
            .iter()
            .map(|i| {
                let metric = records
                    .metrics
                    .iter()
                    .find(|m| m.meta.key == i.metric.target.key);
                let this = self.point(metric);
                let (value, number, from_series) = match (&i.value, this) {
                    (Some(v), _) => (Some(v.clone()), i.number, false),
                    (None, Some(p)) => (Some(p.value_text.clone()), p.value, true),
                    (None, None) => (None, None, false),
                };
                let before = self.point_before(metric);
                let change = match (number, before.and_then(|p| p.value)) {
                    (Some(now), Some(then)) => now.checked_sub(then).map(|d| {
                        let size = d.abs().grouped();
                        if d == Decimal::ZERO {
                            "No change".to_string()
                        } else if d.abs() == d {
                            format!("Up {size}")
                        } else {
                            format!("Down {size}")
                        }
                    }),
                    _ => None,
                };
                let last = self.last_grade(records, &i.metric.target.key);
                serde_json::json!({
                    "indicator": i,
                    "name": metric.map(|m| m.name.as_str()),
                    "unit": metric.and_then(|m| m.unit.as_deref()),
                    "direction": metric.map(|m| m.direction_label),
                    "value": value,
                    "from_series": from_series,
                    "target": i.target.as_deref().or(metric.and_then(|m| m.target.as_deref())),
                    "before": before.map(|p| serde_json::json!({"value": p.value_text, "period": p.period_label})),
                    "change": change,
                    "last_grade": last,
                })
            })
            .collect()
    }

    /// The metric's published figure for this report's period.
    fn point<'m>(&self, metric: Option<&'m Metric>) -> Option<&'m Point> {
        let period = self.period_sort.as_ref()?;
        metric?.series.iter().find(|p| &p.sort == period)
    }

    /// The metric's figure for the latest period of the same length that
    /// ends before this one starts: the quarter before a quarter.
    fn point_before<'m>(&self, metric: Option<&'m Metric>) -> Option<&'m Point> {
        let period = self.period_sort.as_ref()?;
        metric?
            .series
            .iter()
            .rfind(|p| p.sort.months() == period.months() && &p.sort < period)
    }

    /// The grade the latest earlier report gave the same metric.
    fn last_grade(&self, records: &Records, metric: &str) -> Option<serde_json::Value> {
        let period = self.period_sort.as_ref()?;
        records
            .performance
            .iter()
            .filter(|r| r.period_sort.as_ref().is_some_and(|p| p < period))
            .filter_map(|r| {
                let i = r
                    .indicators
                    .iter()
                    .find(|i| i.metric.target.key == metric)?;
                Some((r, i.grade_label.clone()?))
            })
            .max_by(|(a, _), (b, _)| a.period_sort.cmp(&b.period_sort))
            .map(|(r, label)| {
                serde_json::json!({"label": label, "period": r.period_label, "url": r.meta.url})
            })
    }

    /// How many indicators have each grade, in the scale's order, as the
    /// reports' own summary tables count them.
    fn counts(&self) -> Vec<serde_json::Value> {
        let mut out: Vec<(String, usize)> = Vec::new();
        for label in self.indicators.iter().map(|i| {
            i.grade_label
                .clone()
                .unwrap_or_else(|| "No grade given".into())
        }) {
            match out.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => out.push((label, 1)),
            }
        }
        out.into_iter()
            .map(|(label, count)| serde_json::json!({"label": label, "count": count}))
            .collect()
    }
}

impl super::Record for PerformanceReport {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
        self.indicators.clear();
    }
    fn search_text(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.period_label];
        parts.extend(self.author.as_deref());
        for i in &self.indicators {
            parts.push(&i.metric.target.key);
            parts.extend(i.grade_label.as_deref());
            parts.extend(i.note.as_deref());
        }
        parts.extend(self.body.as_ref().map(|b| b.text.as_str()));
        parts.join(" ")
    }
    fn context(&self, records: &Records) -> serde_json::Value {
        serde_json::json!({ "rows": self.rows(records), "counts": self.counts() })
    }
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| (&b.period_sort, &b.meta.key).cmp(&(&a.period_sort, &a.meta.key)));
    }
}
