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
        let title = title_from_text(&text.text);
        let mut meta = Meta::new(Kind::Commitment, id, title, &file.path, cx.span(&raw.id));
        let common = Common {
            draft: raw.draft,
            aliases: raw.aliases,
            updated: raw.updated,
            related: raw.related,
        };
        cx.finish_meta(&mut meta, &common);
        diagnostics.append(&mut cx.diagnostics);
        out.push(Commitment {
            meta,
            text,
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

/// A short title for lists and page headings: the first sentence, cut at a
/// word boundary when it is long.
pub fn title_from_text(text: &str) -> String {
    let first = match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    };
    let first = first.trim();
    const MAX: usize = 110;
    if first.chars().count() <= MAX {
        return first.trim_end_matches('.').to_string();
    }
    let mut cut = String::new();
    for word in first.split_whitespace() {
        if cut.chars().count() + word.chars().count() + 1 > MAX {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_the_first_sentence() {
        assert_eq!(
            title_from_text("I will rebuild community policing. The election showed it."),
            "I will rebuild community policing"
        );
        let long = "I will work with West Midlands Police and partners across the whole region to make sure that every community gets the service it needs and deserves";
        let t = title_from_text(long);
        assert!(t.ends_with('…') && t.chars().count() <= 111, "{t}");
    }
}
