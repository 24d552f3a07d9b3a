//! `commitments.csv`: one row for each progress update of each commitment,
//! newest first, and one row (with an empty update) for a commitment that
//! has none, so that every commitment of the plan is listed with its status
//! now. A withdrawn commitment keeps its rows, as in `records.csv`.

use super::{Column, Cx, GENERATED, LICENCE, col, csv_file, licence_text, opt};
use crate::output::OutputFile;
use crate::records::Commitment;
use crate::records::commitment::{StatusRef, Update, When};
use crate::refs::Ref;

pub(crate) const PATH: &str = "commitments.csv";

pub(crate) const COLUMNS: &[Column] = &[
    col(
        "commitment_id",
        "string",
        "The commitment's permanent id (its page is commitments/<commitment_id>/).",
    ),
    col("commitment", "string", "The commitment's short title."),
    col("plan_id", "string", "The id of the plan it is part of."),
    col("section", "string", "The plan section it is in."),
    col(
        "subsection",
        "string",
        "The subsection's anchor within the section, when it is in one.",
    ),
    col(
        "status",
        "string",
        "The commitment's status now (the newest update's), as a status id the site declares. Empty when no status has been stated.",
    ),
    col(
        "status_label",
        "string",
        "The status now for people, e.g. On track, or No progress reported yet.",
    ),
    col(
        "status_date",
        "date",
        "The day the status now was reported, when the update gives a day.",
    ),
    col(
        "status_period",
        "string",
        "The reporting period the status now was reported for, when the update gives a period rather than a day (e.g. 2025-Q3, 2023/24 Q3).",
    ),
    col(
        "update_date",
        "date",
        "The day of this update, when it gives a day. Empty for a commitment with no updates.",
    ),
    col(
        "update_period",
        "string",
        "The reporting period of this update, when it gives a period rather than a day.",
    ),
    col(
        "update_status",
        "string",
        "The status this update reported, as a status id; empty when it reported none.",
    ),
    col(
        "update_status_label",
        "string",
        "The status this update reported, for people.",
    ),
    col(
        "previous_status_label",
        "string",
        "The status before this update, when an older update stated a different one.",
    ),
    col("note", "string", "The update's note, as plain text."),
    col(
        "evidence",
        "string",
        "The addresses of the records the update gives as evidence, separated by \"; \".",
    ),
    col(
        "url",
        "string",
        "The update's address on the commitment's page (the commitment's address for a commitment with no updates).",
    ),
    LICENCE,
    GENERATED,
];

pub(crate) fn count(cx: &Cx<'_>) -> usize {
    cx.site
        .records
        .commitments
        .iter()
        .map(|c| c.updates.len().max(1))
        .sum()
}

pub(crate) fn files(cx: &Cx<'_>) -> Vec<OutputFile> {
    let licence = licence_text(cx.site);
    let generated = cx.generated.iso();
    let mut rows = Vec::new();
    for c in &cx.site.records.commitments {
        let shared = shared(cx, c);
        if c.updates.is_empty() {
            let mut row = shared.clone();
            row.extend(std::iter::repeat_n(String::new(), 7));
            row.push(cx.site.config.absolute(&c.meta.url));
            row.extend([licence.clone(), generated.clone()]);
            rows.push(row);
        }
        for u in &c.updates {
            let mut row = shared.clone();
            row.extend(update_cells(cx, u));
            row.push(
                cx.site
                    .config
                    .absolute(&format!("{}#{}", c.meta.url, u.anchor)),
            );
            row.extend([licence.clone(), generated.clone()]);
            rows.push(row);
        }
    }
    vec![csv_file(PATH, COLUMNS, rows)]
}

/// The cells every row of one commitment shares (commitment_id …
/// status_period): which commitment it is and its status now.
fn shared(cx: &Cx<'_>, c: &Commitment) -> Vec<String> {
    let section = cx
        .site
        .entry(c.section.target.kind, &c.section.target.key)
        .map_or_else(|| c.section.target.written.clone(), |e| e.title.clone());
    let (day, period) = split(c.status_since.as_ref());
    vec![
        c.meta.key.clone(),
        c.meta.title.clone(),
        c.plan.target.key.clone(),
        section,
        opt(c.subsection.as_ref()),
        id(c.status.as_ref()),
        c.status_label.clone(),
        day,
        period,
    ]
}

/// update_date … evidence, in the order of `COLUMNS`.
fn update_cells(cx: &Cx<'_>, u: &Update) -> Vec<String> {
    let (day, period) = split(Some(&u.when));
    vec![
        day,
        period,
        id(u.status.as_ref()),
        opt(u.status.as_ref().map(|s| &s.label)),
        opt(u.previous_label.as_ref()),
        opt(u.note.as_ref().map(|n| n.text.trim())),
        u.evidence
            .iter()
            .filter_map(|r| address(cx, r))
            .collect::<Vec<_>>()
            .join("; "),
    ]
}

/// A day goes in the date column, a period in the period column; never a
/// day the source does not state.
fn split(when: Option<&When>) -> (String, String) {
    match when {
        Some(When::Day(d)) => (d.iso(), String::new()),
        Some(When::Period(p)) => (String::new(), p.as_written().to_string()),
        None => (String::new(), String::new()),
    }
}

fn id(status: Option<&StatusRef>) -> String {
    opt(status.map(|s| &s.id))
}

/// The absolute address a reference resolves to, with its fragment.
fn address(cx: &Cx<'_>, r: &Ref) -> Option<String> {
    let t = &r.target;
    let entry = cx.site.entry(t.kind, &t.key)?;
    let url = match &t.fragment {
        Some(f) => format!("{}#{f}", entry.url),
        None => entry.url.clone(),
    };
    Some(cx.site.config.absolute(&url))
}
