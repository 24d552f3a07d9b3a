//! Commitments: the plan's "I will …" promises.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, decode_list};
use crate::config::Grade;
use crate::diagnostics::{Diagnostic, Span};
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    /// A short title for headings and lists; derived from `text` when absent.
    title: Option<Spanned<String>>,
    text: Spanned<String>,
    plan: Spanned<String>,
    section: Spanned<String>,
    subsection: Option<Spanned<String>>,
    /// The status now, by id from the site's statuses; when `updates:`
    /// state one, the newest of theirs, and `status:` must agree with it.
    status: Option<Spanned<String>>,
    status_note: Option<Spanned<String>>,
    #[serde(default)]
    updates: Vec<Spanned<RawUpdate>>,
    owner: Option<String>,
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

/// One entry of `updates:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUpdate {
    /// The day of the update, `YYYY-MM-DD`.
    date: Option<Spanned<String>>,
    /// Or the reporting period it is for, as a metric series writes one
    /// (`2019/20`, `2023/24 Q3`, `March 2024`), when the source gives no day.
    period: Option<Spanned<String>>,
    status: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
    /// Records that show the progress: `decision 006/2021`, `grant …`,
    /// `metric …`, `paper …`.
    #[serde(default)]
    evidence: Vec<Spanned<String>>,
}

/// When an update was made, as the source gives it: a day or a period.
#[derive(Debug, Clone)]
pub enum When {
    Day(Date),
    Period(Period),
}

impl When {
    /// The day it sorts by: the day itself, or the last day of the period.
    pub fn sort_day(&self) -> Date {
        match self {
            When::Day(d) => *d,
            When::Period(p) => p.last_day(),
        }
    }

    /// For people: "31 March 2025", or the period ("2019/20").
    pub fn label(&self) -> String {
        match self {
            When::Day(d) => d.long(),
            When::Period(p) => p.label(),
        }
    }

    /// For machines: `2025-03-31`, or the period as written.
    pub fn written(&self) -> String {
        match self {
            When::Day(d) => d.iso(),
            When::Period(p) => p.as_written().to_string(),
        }
    }

    /// The day, when the source gives one.
    pub fn day(&self) -> Option<Date> {
        match self {
            When::Day(d) => Some(*d),
            When::Period(_) => None,
        }
    }
}

/// Templates get `{label, iso}`; `iso` only for a day, for `<time>`.
impl Serialize for When {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("label", &self.label())?;
        m.serialize_entry("iso", &self.day().map(|d| d.iso()))?;
        m.serialize_entry("written", &self.written())?;
        m.end()
    }
}

/// A status, by id; its label and meaning come from the site's statuses
/// (`statuses`), which the parse stage does not know.
#[derive(Debug, Clone, Serialize)]
pub struct StatusRef {
    pub id: String,
    #[serde(skip)]
    pub span: Span,
    pub label: String,
    pub meaning: Option<String>,
}

/// One dated report of progress on a commitment.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub when: When,
    pub status: Option<StatusRef>,
    /// The status the update moved from, when it states one and an older
    /// update stated another.
    pub previous_label: Option<String>,
    pub note: Option<Md>,
    pub evidence: Vec<Ref>,
    /// `update-2025-03-31` or `update-2025-q3` (a second one for the same
    /// day or period `-2`), for links.
    pub anchor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    pub meta: Meta,
    pub text: Md,
    /// The plan's words as the content holds them (a list keeps its
    /// markers), for the open data.
    #[serde(skip)]
    pub source_text: String,
    pub plan: Ref,
    pub section: Ref,
    pub subsection: Option<String>,
    /// The status now: the newest update's that states one, else
    /// `status:`; `None` when nothing states one.
    pub status: Option<StatusRef>,
    /// Its label, or "No progress reported yet".
    pub status_label: String,
    /// When the status was stated: the update that gave it.
    pub status_since: Option<When>,
    pub status_note: Option<Md>,
    /// Newest first.
    pub updates: Vec<Update>,
    pub owner: Option<String>,
    /// Position in the plan, for ordering lists.
    pub order: usize,
}

/// What a commitment with no stated status shows.
pub const NO_STATUS: &str = "No progress reported yet";

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raws, mut diagnostics) = decode_list::<Raw>(file);
    let mut out = Vec::with_capacity(raws.len());
    for (order, raw) in raws.into_iter().enumerate() {
        let mut cx = Cx::new(&file.path, 1);
        let id = cx.id(&raw.id);
        let text = cx
            .markdown(&Some(raw.text.clone()), Settings::default())
            .unwrap_or_default();
        let plan = cx.typed(Kind::Plan, &raw.plan, Relation::PartOf);
        let section = cx.section_ref(&raw.plan, &raw.section, raw.subsection.as_ref());
        let status_note = cx.markdown(&raw.status_note, Settings::default());
        let updates = updates(&mut cx, &raw.updates);
        let latest = updates
            .iter()
            .find_map(|u| Some((u.status.clone()?, u.when.clone())));
        let written = raw.status.as_ref().map(|s| status_ref(&cx, s));
        let (status, status_since) = match (written, latest) {
            (Some(w), Some((l, when))) => {
                if w.id != l.id {
                    cx.error(
                        w.span.clone(),
                        format!(
                            "`status: {}` differs from the newest update's status `{}` ({})",
                            w.id,
                            l.id,
                            when.label()
                        ),
                        "the status now is the newest update's: remove `status:`, or add an update that gives the new status with its date",
                    );
                }
                (Some(l), Some(when))
            }
            (None, Some((l, when))) => (Some(l), Some(when)),
            (w, None) => (w, None),
        };
        let title = match &raw.title {
            Some(t) if !t.value.trim().is_empty() => t.value.trim().to_string(),
            _ => title_from_text(&text.text),
        };
        let mut meta = Meta::new(Kind::Commitment, id, title, &file.path, cx.span(&raw.id));
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
        out.push(Commitment {
            meta,
            text,
            source_text: raw.text.value.trim().to_string(),
            plan,
            section,
            subsection: raw.subsection.map(|s| s.value),
            status_label: NO_STATUS.to_string(),
            status,
            status_since,
            status_note,
            updates,
            owner: raw.owner,
            order,
        });
    }
    (Parsed::Commitments(out), diagnostics)
}

fn status_ref(cx: &Cx<'_>, s: &Spanned<String>) -> StatusRef {
    StatusRef {
        id: s.value.trim().to_string(),
        span: cx.span(s),
        label: String::new(),
        meaning: None,
    }
}

/// `updates:`, newest first whatever order they are written in (updates of
/// one day keep their written order); each needs a day or a period, and a
/// status or a note.
fn updates(cx: &mut Cx<'_>, raw: &[Spanned<RawUpdate>]) -> Vec<Update> {
    let mut out: Vec<Update> = Vec::new();
    for u in raw {
        let at = cx.span(u);
        let u = &u.value;
        let when = match (&u.date, &u.period) {
            (Some(d), None) => cx.date(&Some(d.clone())).map(When::Day),
            (None, Some(p)) => cx
                .period(p, "the period the update reports on")
                .map(When::Period),
            (Some(d), Some(_)) => {
                let span = cx.span(d);
                cx.error(
                    span,
                    "this update has both a `date:` and a `period:`",
                    "give the day of the update as `date:`, or, when the source gives only the period it reports on, `period:` alone",
                );
                None
            }
            (None, None) => {
                cx.error(
                    at.clone(),
                    "this update has no `date:` or `period:`",
                    "say when: `date: 2025-03-31`, or the period it reports on, e.g. `period: 2024/25 Q4`",
                );
                None
            }
        };
        if u.status.is_none() && u.note.is_none() {
            cx.error(
                at,
                "this update gives neither a status nor a note",
                "give the status it reports (`status: on-track`) and a short note of what was done",
            );
        }
        let note = cx.markdown(&u.note, Settings::default());
        let evidence = u
            .evidence
            .iter()
            .filter_map(|e| cx.reference(e, Relation::Evidence))
            .collect();
        let status = u.status.as_ref().map(|s| status_ref(cx, s));
        let Some(when) = when else { continue };
        // From the date or period as written, so a period update's
        // address names no day the source does not state.
        let written = crate::text::slug(&when.written());
        let n = out
            .iter()
            .filter(|x| crate::text::slug(&x.when.written()) == written)
            .count()
            + 1;
        let anchor = if n == 1 {
            format!("update-{written}")
        } else {
            format!("update-{written}-{n}")
        };
        out.push(Update {
            when,
            status,
            previous_label: None,
            note,
            evidence,
            anchor,
        });
    }
    out.sort_by_key(|u| std::cmp::Reverse(u.when.sort_day()));
    out
}

/// The site's statuses, from `site.yaml` (or the default set): each
/// commitment's and update's label and meaning, and what each update moved
/// from. An unknown status is an error at its line.
pub fn statuses(commitments: &mut [Commitment], scale: &[Grade]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut fill = |s: &mut StatusRef| match scale.iter().find(|g| g.id == s.id) {
        Some(g) => {
            s.label = g.label.clone();
            s.meaning = g.meaning.clone();
        }
        None => {
            let ids: Vec<&str> = scale.iter().map(|g| g.id.as_str()).collect();
            let mut help = format!("the statuses this site declares are {}", ids.join(", "));
            if let Some(near) = crate::diagnostics::did_you_mean(&s.id, ids.iter().copied()) {
                help = format!("{near} {help}");
            }
            help.push_str(" (`commitment_statuses:` in site.yaml; see docs/content.md)");
            out.push(
                Diagnostic::error(
                    Some(s.span.clone()),
                    format!("`{}` is not a commitment status this site declares", s.id),
                )
                .with_help(help),
            );
        }
    };
    for c in commitments.iter_mut() {
        if let Some(s) = &mut c.status {
            fill(s);
            c.status_label = if s.label.is_empty() {
                NO_STATUS.to_string()
            } else {
                s.label.clone()
            };
        }
        for u in &mut c.updates {
            if let Some(s) = &mut u.status {
                fill(s);
            }
        }
        // Newest first: each update's previous status is the next stated one.
        for i in 0..c.updates.len() {
            let Some(now) = &c.updates[i].status else {
                continue;
            };
            let before = c.updates[i + 1..].iter().find_map(|u| u.status.as_ref());
            c.updates[i].previous_label =
                before.filter(|b| b.id != now.id).map(|b| b.label.clone());
        }
    }
    out
}

/// A short title for lists and page headings, never cut inside a clause:
/// the whole text when it is short (110 characters or fewer); else, of the
/// first sentence that says "I will" (or the first), the sentence when it is
/// short; else the
/// longest run of its clauses (up to a dash, semicolon or colon, or a comma
/// before an aside such as "including" or "which") of 40 to 150 characters;
/// else the whole first sentence. Never an ellipsis: the page
/// shows the full text beneath it.
pub fn title_from_text(text: &str) -> String {
    const MAX: usize = 110;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX {
        return text.trim_end_matches('.').to_string();
    }
    // The sentence that makes the promise: the first with "I will" in it.
    let sentences: Vec<&str> = text.split_inclusive(". ").collect();
    let first = sentences
        .iter()
        .find(|s| s.contains("I will"))
        .unwrap_or(&sentences[0]);
    let first = first.trim().trim_end_matches('.');
    const MIN_CLAUSE: usize = 40;
    const MAX_CLAUSE: usize = 150;
    if first.chars().count() <= MAX {
        return first.to_string();
    }
    // A comma ends a clause only before words that start an aside or
    // examples; elsewhere it may sit inside a list, and cutting there would
    // change what is promised.
    const ASIDES: &[&str] = &[
        "which",
        "where",
        "while",
        "whilst",
        "although",
        "including",
        "such as",
        "for example",
        "particularly",
        "in particular",
        "so that",
        "in order",
        "as well as",
        "both",
        "with a",
        "with the",
        "through",
        "by ",
    ];
    let mut best = None;
    for sep in [", ", " – ", " — ", "; ", ": ", " - "] {
        for (at, _) in first.match_indices(sep) {
            let n = first[..at].chars().count();
            let rest = &first[at + sep.len()..];
            let head = &first[..at];
            // Not inside a quotation, not just before a list it introduces,
            // and not a parenthesis the sentence goes on after.
            let quoted = head.matches('“').count() > head.matches('”').count();
            let introduces = ["including", "example", "are", "is", "as", "include"]
                .iter()
                .any(|w| head.ends_with(&format!(" {w}")));
            let ends_clause = if sep == ", " {
                ASIDES.iter().any(|w| rest.starts_with(w)) && !rest.contains(", ")
            } else {
                true
            };
            let ends_clause = ends_clause && !quoted && !introduces;
            if ends_clause && (MIN_CLAUSE..=MAX_CLAUSE).contains(&n) && best.is_none_or(|b| at > b)
            {
                best = Some(at);
            }
        }
    }
    match best {
        Some(at) => first[..at].to_string(),
        None => first.to_string(),
    }
}

impl super::Record for Commitment {
    meta_field!();
    fn date(&self) -> Option<crate::types::Date> {
        None
    }
    fn withhold(&mut self) {
        self.text = Md::default();
        self.source_text.clear();
        self.status_note = None;
        for u in &mut self.updates {
            u.note = None;
        }
    }
    /// In the plan's order, file by file.
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| (&a.meta.file, a.order).cmp(&(&b.meta.file, b.order)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_sentence() {
        // A short text is its own title, every sentence of it.
        assert_eq!(
            title_from_text("I will rebuild community policing. The election showed it."),
            "I will rebuild community policing. The election showed it"
        );
        // A long one: its first "I will" sentence.
        assert_eq!(
            title_from_text(
                "Government has signalled a review of the Strategic Policing Requirement, which sets out national threats. I will engage with the review and report to the Board."
            ),
            "I will engage with the review and report to the Board"
        );
        let long = "I will grow West Midlands Police by at least 1,200 officers – although, based on current projections, it will still be a thousand officers smaller than it was in 2010.";
        assert_eq!(
            title_from_text(long),
            "I will grow West Midlands Police by at least 1,200 officers"
        );
        // A comma inside a list is not the end of a clause.
        let list = "I will work with Local Authority Children Safeguarding Boards and Youth Justice advocates to address inappropriate placements for children, young people and families at risk of exploitation.";
        assert_eq!(title_from_text(list), list.trim_end_matches('.'));
        // No clause boundary: the whole sentence, never cut mid-clause.
        let unbroken = "I will work with West Midlands Police and partners across the whole region to make sure that every community gets the service it needs and deserves";
        assert_eq!(title_from_text(unbroken), unbroken);
    }
}
