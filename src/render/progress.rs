//! `/progress/`: how the plan's commitments stand. For each plan, the
//! number of commitments at each status in each of its sections, drawn as a
//! bar chart and given as a table with the same figures; then every
//! progress update of the three months to the newest one.
//!
//! Everything comes from the content (the statuses, the updates and their
//! dates), never the clock, so the page is the same on every build.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::chart::wrap;
use super::pages::listed;
use crate::link::Site;
use crate::records::Commitment;
use crate::records::commitment::{NO_STATUS, When};
use crate::text::{escape_html, slug};
use crate::types::Date;

pub const URL: &str = "progress/";

/// How far back "recent changes" reach from the newest update.
const RECENT_MONTHS: i32 = 3;
const RECENT_MONTHS_WORDS: &str = "three";

/// One column of the counts: a status of the site's scale, or "no status
/// stated" for commitments that state none (merged into the scale's own
/// step when that step has the same label, as the default `not-reported`
/// has).
struct Column {
    id: Option<String>,
    label: String,
    meaning: Option<String>,
}

/// The counts of one plan section.
struct Row<'a> {
    title: String,
    number: Option<&'a str>,
    url: &'a str,
    counts: Vec<usize>,
}

/// The page's context.
pub fn page(site: &Site) -> Value {
    let commitments: Vec<&Commitment> = site
        .records
        .commitments
        .iter()
        .filter(|c| listed(&c.meta))
        .collect();
    let mut columns: Vec<Column> = site
        .config
        .commitment_statuses
        .iter()
        .map(|g| Column {
            id: Some(g.id.clone()),
            label: g.label.clone(),
            meaning: g.meaning.clone(),
        })
        .collect();
    if commitments.iter().any(|c| c.status.is_none())
        && !columns.iter().any(|c| c.label == NO_STATUS)
    {
        columns.push(Column {
            id: None,
            label: NO_STATUS.to_string(),
            meaning: None,
        });
    }
    let column_of = |c: &Commitment| -> usize {
        let by_id = c.status.as_ref().and_then(|s| {
            columns
                .iter()
                .position(|col| col.id.as_deref() == Some(&s.id))
        });
        by_id
            .or_else(|| columns.iter().position(|col| col.label == c.status_label))
            .unwrap_or(0)
    };

    let mut plans = Vec::new();
    for plan in &site.records.plans {
        let rows: Vec<Row<'_>> = site
            .records
            .sections
            .iter()
            .filter(|s| s.plan == plan.meta.key)
            .filter_map(|s| {
                let mut counts = vec![0; columns.len()];
                let mut any = false;
                for c in commitments
                    .iter()
                    .filter(|c| c.section.target.key == s.meta.key)
                {
                    counts[column_of(c)] += 1;
                    any = true;
                }
                any.then(|| Row {
                    title: s.meta.title.clone(),
                    number: s.number.as_deref(),
                    url: &s.meta.url,
                    counts,
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        let totals: Vec<usize> = (0..columns.len())
            .map(|i| rows.iter().map(|r| r.counts[i]).sum())
            .collect();
        // Columns no commitment of this plan is at are not drawn or
        // tabled; the page names them in a sentence instead.
        let shown: Vec<usize> = (0..columns.len()).filter(|&i| totals[i] > 0).collect();
        let none: Vec<&str> = (0..columns.len())
            .filter(|&i| totals[i] == 0)
            .map(|i| columns[i].label.as_str())
            .collect();
        let total: usize = totals.iter().sum();
        let chart = format!(
            "{}{}",
            draw(&plan.meta.key, &plan.meta.title, &columns, &rows, &WIDE),
            draw(&plan.meta.key, &plan.meta.title, &columns, &rows, &NARROW)
        );
        plans.push(json!({
            "title": plan.meta.title,
            "url": plan.meta.url,
            "anchor": slug(&plan.meta.key),
            "total": total,
            "chart": chart,
            "columns": shown.iter().map(|&i| json!({"label": columns[i].label, "meaning": columns[i].meaning, "total": totals[i]})).collect::<Vec<_>>(),
            "rows": rows.iter().map(|r| json!({
                "title": r.title, "number": r.number, "url": r.url,
                "counts": shown.iter().map(|&i| r.counts[i]).collect::<Vec<_>>(),
                "total": r.counts.iter().sum::<usize>(),
            })).collect::<Vec<_>>(),
            "none": none,
            "meanings": shown.iter().filter_map(|&i| Some(json!({"label": columns[i].label, "meaning": columns[i].meaning.as_ref()?}))).collect::<Vec<_>>(),
        }));
    }

    // The newest update's day or period, as its source gives it: a day
    // when one of that sort day's updates states one.
    let newest: Option<&When> = commitments
        .iter()
        .flat_map(|c| c.updates.iter().map(|u| &u.when))
        .max_by_key(|w| (w.sort_day(), w.day().is_some()));
    let mut recent: Vec<(Date, usize, Value)> = Vec::new();
    if let Some(newest) = newest.map(When::sort_day) {
        for c in &commitments {
            for (i, u) in c.updates.iter().enumerate() {
                let day = u.when.sort_day();
                if day.months_until(newest) < RECENT_MONTHS {
                    recent.push((
                        day,
                        c.order,
                        json!({
                            "when": u.when,
                            "title": c.meta.title,
                            "url": format!("{}#{}", c.meta.url, u.anchor),
                            "status": u.status.as_ref().map(|s| &s.label),
                            "previous": u.previous_label,
                            "note": u.note,
                            "first": i + 1 == c.updates.len(),
                        }),
                    ));
                }
            }
        }
    }
    // Newest first; one day's in the plan's order.
    recent.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    json!({
        "count": commitments.len(),
        "updated": commitments.iter().filter(|c| !c.updates.is_empty()).count(),
        "plans": plans,
        "newest": newest,
        "recent_months": RECENT_MONTHS_WORDS,
        "recent": recent.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>(),
    })
}

/// One drawing of the chart (as in `chart.rs`: a wide one for screens and
/// a narrow one for phones, CSS shows one).
struct Layout {
    name: &'static str,
    width: f64,
    font: f64,
}

const WIDE: Layout = Layout {
    name: "wide",
    width: 640.0,
    font: 14.0,
};

const NARROW: Layout = Layout {
    name: "narrow",
    width: 320.0,
    font: 15.0,
};

/// A horizontal bar for each status each section has commitments at, its
/// label and count written above it, under the section's title (wrapped to
/// the width). Bars share one scale: the largest count is the full width.
fn draw(key: &str, plan: &str, columns: &[Column], rows: &[Row<'_>], l: &Layout) -> String {
    const PAD: f64 = 4.0;
    const BAR: f64 = 16.0;
    let line = l.font * 1.35;
    let max = rows
        .iter()
        .flat_map(|r| r.counts.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let span = l.width - 2.0 * PAD;
    // About 0.56 em a character in the fonts a system-ui stack gives.
    let per_line = ((span / (l.font * 0.56)) as usize).max(12);
    let mut body = String::new();
    let mut y = 0.0;
    let mut desc = Vec::new();
    for r in rows {
        let title = section_title(r);
        for text in wrap(&title, per_line) {
            y += line;
            let _ = write!(
                body,
                "<text class=\"heading\" x=\"{PAD}\" y=\"{y:.1}\">{}</text>",
                escape_html(&text)
            );
        }
        let mut parts = Vec::new();
        for (i, &n) in r.counts.iter().enumerate().filter(|(_, n)| **n > 0) {
            let label = format!("{}: {n}", columns[i].label);
            for text in wrap(&label, per_line) {
                y += line;
                let _ = write!(
                    body,
                    "<text class=\"axis\" x=\"{PAD}\" y=\"{y:.1}\">{}</text>",
                    escape_html(&text)
                );
            }
            y += 4.0;
            let w = (n as f64 / max * span).max(2.0);
            let _ = write!(
                body,
                "<rect class=\"bar\" x=\"{PAD}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\"/>"
            );
            y += BAR;
            parts.push(label);
        }
        y += line * 0.6;
        desc.push(format!("{}: {}", title, parts.join(", ")));
    }
    let height = (y + PAD).ceil();
    let id = format!("{}-{}", slug(key), l.name);
    format!(
        "<svg class=\"chart chart-{name}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"progress-title-{id} progress-desc-{id}\" focusable=\"false\">\
<title id=\"progress-title-{id}\">{title}</title><desc id=\"progress-desc-{id}\">{desc}.</desc>{body}</svg>",
        name = l.name,
        width = l.width,
        title = escape_html(&format!(
            "Commitments of {plan} by status, section by section"
        )),
        desc = escape_html(&desc.join("; ")),
    )
}

fn section_title(r: &Row<'_>) -> String {
    match r.number {
        Some(n) => format!("Section {n}: {}", r.title),
        None => r.title.clone(),
    }
}
