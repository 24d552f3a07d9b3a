//! Commitments: the plan's "I will …" promises.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, decode_list};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::Kind;

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
    #[serde(default)]
    status: Status,
    status_note: Option<Spanned<String>>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    NotReported,
    OnTrack,
    WithChallenges,
    Completed,
    CompletedModified,
    NotPursued,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotReported => "No progress reported yet",
            Status::OnTrack => "On track",
            Status::WithChallenges => "Under way, with challenges",
            Status::Completed => "Completed",
            Status::CompletedModified => "Completed, modified",
            Status::NotPursued => "Not being pursued",
        }
    }
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
    pub status: Status,
    pub status_label: &'static str,
    pub status_note: Option<Md>,
    pub owner: Option<String>,
    /// Position in the plan, for ordering lists.
    pub order: usize,
}

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
            status: raw.status,
            status_label: raw.status.label(),
            status_note,
            owner: raw.owner,
            order,
        });
    }
    (Parsed::Commitments(out), diagnostics)
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
