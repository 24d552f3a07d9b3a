//! Registers: many decisions in one file (`decisions/<id>.yaml`), as many
//! Commissioners publish them (a table or a list on one page, grouped by
//! year, quarter or category). Each entry is a full decision with its own
//! permanent address, parsed by the same code as a notice file
//! (`decision::from_raw`); the register itself is a record too, whose page
//! lists its entries under the register's own headings and column labels.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::decision::{self, Entry, Listing, Status};
use super::{Common, Cx, Decision, Md, Meta, Parsed, RawChange, RawWithdrawn, Records};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::Settings;
use crate::types::{Date, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Option<Spanned<String>>,
    title: String,
    /// The register's own opening words, as published.
    intro: Option<Spanned<String>>,
    /// Where the organisation publishes the register.
    source: Option<Spanned<String>>,
    /// The columns its table shows, in order, with the source's labels.
    #[serde(default)]
    columns: Vec<RawColumn>,
    /// Entries under no heading.
    #[serde(default)]
    decisions: Vec<decision::Raw>,
    /// Entries under the register's headings, in the register's order.
    #[serde(default)]
    groups: Vec<RawGroup>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    changes: Vec<RawChange>,
    withdrawn: Option<RawWithdrawn>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    heading: Spanned<String>,
    intro: Option<Spanned<String>>,
    #[serde(default)]
    decisions: Vec<decision::Raw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    field: Field,
    label: Option<String>,
}

/// What a register's column can show of each entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Number,
    Title,
    Date,
    DatePublished,
    DecisionMaker,
    Summary,
    Decision,
    Outcome,
    Status,
    Category,
    SignedBy,
}

impl Field {
    fn default_label(self) -> &'static str {
        match self {
            Field::Number => "Number",
            Field::Title => "Title",
            Field::Date => "Date",
            Field::DatePublished => "Date published",
            Field::DecisionMaker => "Decision maker",
            Field::Summary => "Summary",
            Field::Decision => "Decision",
            Field::Outcome => "Outcome",
            Field::Status => "Status",
            Field::Category => "Category",
            Field::SignedBy => "Signed by",
        }
    }

    /// The columns of a register that declares none.
    const DEFAULT: [Field; 4] = [Field::Number, Field::Title, Field::Date, Field::Status];
}

/// A column of the register's table.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub field: Field,
    pub label: String,
}

/// A heading of the register and the keys of the decisions under it.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub heading: Option<String>,
    pub anchor: Option<String>,
    pub intro: Option<Md>,
    pub entries: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Register {
    pub meta: Meta,
    pub intro: Option<Md>,
    pub source: Option<String>,
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let raw = match decode_yaml::<Raw>(&file.text, &file.path, 1) {
        Ok(raw) => raw,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, 1);
    let key = match &raw.id {
        Some(id) => cx.id(id),
        None => file.stem().to_string(),
    };
    let id_span = raw
        .id
        .as_ref()
        .map(|id| cx.span(id))
        .unwrap_or_else(|| Span::file(&file.path));
    let mut meta = Meta::new(Kind::Register, key, raw.title, &file.path, id_span);
    let source = raw.source.as_ref().and_then(|u| cx.url(u));
    let columns = if raw.columns.is_empty() {
        Field::DEFAULT
            .iter()
            .map(|&field| Column {
                field,
                label: field.default_label().to_string(),
            })
            .collect()
    } else {
        raw.columns
            .iter()
            .map(|c| Column {
                field: c.field,
                label: c
                    .label
                    .clone()
                    .unwrap_or_else(|| c.field.default_label().to_string()),
            })
            .collect()
    };
    if !raw.decisions.is_empty() && !raw.groups.is_empty() {
        cx.error(
            Span::new(&file.path, 1, 1),
            "this register has entries both under `decisions:` and under `groups:`",
            "put every entry under a heading in `groups:`, or list them all in `decisions:` when the register has no headings",
        );
    }
    if raw.decisions.is_empty() && raw.groups.iter().all(|g| g.decisions.is_empty()) {
        cx.error(
            Span::new(&file.path, 1, 1),
            "this register lists no decisions",
            "list its entries under `decisions:` (or under the headings in `groups:`), each with the number and title the register gives",
        );
    }
    let intro = cx.markdown(&raw.intro, Settings::default());
    let common = Common {
        draft: raw.draft,
        aliases: raw.aliases,
        updated: raw.updated,
        changes: raw.changes,
        withdrawn: raw.withdrawn,
        related: raw.related,
    };
    // Entries under no heading come first, as one group without one. The
    // headings' introductions are the register's text: rendered before the
    // register's references are taken, so none is filed under an entry.
    let ungrouped = (!raw.decisions.is_empty()).then_some((None, None, raw.decisions));
    let grouped: Vec<_> = raw
        .groups
        .into_iter()
        .map(|g| {
            let intro = cx.markdown(&g.intro, Settings::default());
            (Some(g.heading), intro, g.decisions)
        })
        .collect();
    // The register's own references are taken before its entries', so each
    // entry keeps only what it refers to itself.
    cx.finish_meta(&mut meta, &common);

    let mut groups = Vec::new();
    let mut decisions = Vec::new();
    let mut anchors: HashMap<String, Span> = HashMap::new();
    for (raw_heading, group_intro, raw_entries) in ungrouped.into_iter().chain(grouped) {
        let heading = raw_heading.as_ref().map(|h| h.value.clone());
        let anchor = raw_heading.as_ref().map(|h| {
            let anchor = crate::text::slug(&h.value);
            let span = cx.span(h);
            if let Some(first) = anchors.insert(anchor.clone(), span.clone()) {
                cx.error(
                    span,
                    format!("this register has the heading `{}` twice", h.value),
                    format!(
                        "the first is at line {}; put the entries of one heading together under it",
                        first.line
                    ),
                );
            }
            anchor
        });
        let mut entries = Vec::new();
        for raw_entry in raw_entries {
            let at = Entry {
                place: Span::new(&file.path, 1, 1),
                fallback_key: None,
                body: None,
                listing: Some(Listing {
                    key: meta.key.clone(),
                    title: meta.title.clone(),
                    url: meta.url.clone(),
                    group: heading.clone(),
                    anchor: anchor.clone(),
                }),
            };
            let mut d = decision::from_raw(&mut cx, raw_entry, at);
            // A draft register's entries are drafts too: none may name a
            // register page that is not published.
            d.meta.draft |= meta.draft;
            entries.push(d.meta.key.clone());
            decisions.push(d);
        }
        groups.push(Group {
            heading,
            anchor,
            intro: group_intro,
            entries,
        });
    }
    let register = Register {
        meta,
        intro,
        source,
        columns,
        groups,
    };
    (
        Parsed::Several(vec![
            Parsed::Register(vec![register]),
            Parsed::Decision(decisions),
        ]),
        std::mem::take(&mut cx.diagnostics),
    )
}

/// One entry as the register's table shows it.
struct Row<'a> {
    decision: &'a Decision,
    /// Each column's text in the register's order (`None`: nothing to
    /// show in it).
    cells: Vec<Option<String>>,
}

impl Register {
    fn cell(field: Field, d: &Decision) -> Option<String> {
        let notice = d.notice.as_ref();
        match field {
            Field::Number => d.number.clone(),
            Field::Title => Some(d.meta.title.clone()),
            Field::Date => d.date().map(|x| x.long()),
            Field::DatePublished => d.date_published.map(|x| x.long()),
            Field::DecisionMaker => notice.and_then(|n| n.decision_maker.clone()),
            Field::Summary => notice
                .and_then(|n| n.executive_summary.as_ref())
                .map(|m| m.inline_html().to_string()),
            Field::Decision => notice
                .and_then(|n| n.decision.as_ref())
                .map(|m| m.inline_html().to_string()),
            Field::Outcome => notice.and_then(|n| n.outcome.clone()),
            // A restricted entry's column gives the stated reason, as
            // registers print it; any other its status.
            Field::Status => Some(
                d.confidential_reason
                    .clone()
                    .unwrap_or_else(|| d.status_label.to_string()),
            ),
            Field::Category => notice.and_then(|n| n.category.clone()),
            Field::SignedBy => notice.and_then(|n| n.signed_by.clone()),
        }
    }
}

impl super::Record for Register {
    meta_field!();
    /// A register is a list, not a dated document: its entries carry the
    /// dates.
    fn date(&self) -> Option<Date> {
        None
    }
    fn withhold(&mut self) {
        self.intro = None;
    }
    fn search_text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(self.intro.as_ref().map(|m| m.text.as_str()));
        for g in &self.groups {
            parts.extend(g.heading.as_deref());
        }
        parts.join(" ")
    }
    /// The entries as rows, under the register's headings; a column no
    /// entry fills is left out, and one entry in a column of statuses all
    /// "Published" says nothing either.
    fn context(&self, records: &Records) -> serde_json::Value {
        let by_key: HashMap<&str, &Decision> = records
            .decisions
            .iter()
            .filter(|d| d.listing.as_ref().is_some_and(|l| l.key == self.meta.key))
            .map(|d| (d.meta.key.as_str(), d))
            .collect();
        let groups: Vec<(&Group, Vec<Row>)> = self
            .groups
            .iter()
            .map(|g| {
                let rows = g
                    .entries
                    .iter()
                    .filter_map(|k| by_key.get(k.as_str()))
                    .map(|d| Row {
                        decision: d,
                        cells: self
                            .columns
                            .iter()
                            .map(|c| Self::cell(c.field, d))
                            .collect(),
                    })
                    .collect();
                (g, rows)
            })
            .collect();
        let shown: Vec<bool> =
            self.columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut cells = groups
                        .iter()
                        .flat_map(|(_, rows)| rows.iter().map(move |r| &r.cells[i]));
                    match c.field {
                        Field::Title => true,
                        Field::Status => cells
                            .any(|x| x.as_deref().is_some_and(|s| s != Status::Published.label())),
                        _ => cells.any(Option::is_some),
                    }
                })
                .collect();
        let count: usize = groups.iter().map(|(_, rows)| rows.len()).sum();
        serde_json::json!({
            "columns": self.columns.iter().zip(&shown).filter(|(_, s)| **s).map(|(c, _)| c).collect::<Vec<_>>(),
            "groups": groups.iter().map(|(g, rows)| serde_json::json!({
                "heading": g.heading,
                "anchor": g.anchor,
                "intro": g.intro,
                "rows": rows.iter().map(|r| serde_json::json!({
                    "url": r.decision.meta.url,
                    "number": r.decision.number,
                    "key": r.decision.meta.key,
                    "untitled": r.decision.untitled,
                    "cells": r.cells.iter().zip(&shown).filter(|(_, s)| **s).map(|(c, _)| c).collect::<Vec<_>>(),
                    "fields": self.columns.iter().zip(&shown).filter(|(_, s)| **s).map(|(c, _)| c.field).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "count": count,
        })
    }
}
