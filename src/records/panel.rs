//! Police and Crime Panel documents: letters, reports with addressable
//! recommendations (`#rec-<id>`), minutes.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    Letter,
    Report,
    Minutes,
}

impl DocType {
    pub fn label(self) -> &'static str {
        match self {
            DocType::Letter => "Panel letter",
            DocType::Report => "Panel report",
            DocType::Minutes => "Panel minutes",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    DraftPlan,
    Variation,
    AnnualReport,
    Precept,
    Decision,
    Other,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    #[serde(rename = "type")]
    doc_type: DocType,
    title: String,
    date: Option<Spanned<String>>,
    author: Option<String>,
    recipient: Option<String>,
    concerns: Option<Spanned<String>>,
    topic: Option<Topic>,
    meeting_date: Option<Spanned<String>>,
    #[serde(default)]
    recommendations: Vec<RawRec>,
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
struct RawRec {
    id: Spanned<String>,
    theme: Option<String>,
    text: Spanned<String>,
    #[serde(default)]
    about: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recommendation {
    pub id: String,
    pub anchor: String,
    pub theme: Option<String>,
    /// How links and headings name it: its theme, else its first sentence
    /// (never its id, which means nothing to a reader).
    pub title: String,
    pub text: Md,
    pub about: Vec<Ref>,
}

#[derive(Debug, Clone, Serialize)]
/// An answer a published response gives to a recommendation: found when
/// linking, kept in the site graph (`link::Site::answers`), never in the
/// record.
pub struct AnswerLink {
    pub url: String,
    pub title: String,
    pub outcome_label: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PanelDoc {
    pub meta: Meta,
    pub doc_type: DocType,
    pub type_label: &'static str,
    pub date: Option<Date>,
    pub meeting_date: Option<Date>,
    pub author: Option<String>,
    pub recipient: Option<String>,
    pub concerns: Option<Ref>,
    pub topic: Option<Topic>,
    pub recommendations: Vec<Recommendation>,
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
    let meeting_date = cx.date(&raw.meeting_date);
    let concerns = raw
        .concerns
        .as_ref()
        .and_then(|c| cx.reference(c, Relation::Concerns));
    let mut recommendations: Vec<Recommendation> = Vec::new();
    let mut rec_ids = std::collections::HashSet::new();
    for r in &raw.recommendations {
        let rec_id = cx.id(&r.id);
        if !rec_ids.insert(rec_id.clone()) {
            let span = cx.span(&r.id);
            cx.error(
                span,
                format!("two recommendations have the id `{rec_id}`"),
                "give each recommendation its own id; it becomes its anchor `#rec-<id>`",
            );
        }
        let text = cx
            .markdown(&Some(r.text.clone()), Settings::default())
            .unwrap_or_default();
        let about = r
            .about
            .iter()
            .filter_map(|a| cx.reference(a, Relation::RecommendationAbout))
            .collect();
        let anchor = format!("rec-{rec_id}");
        cx.anchors.push(anchor.clone());
        recommendations.push(Recommendation {
            id: rec_id,
            anchor,
            theme: r.theme.clone(),
            title: match &r.theme {
                Some(t) if !t.trim().is_empty() => t.trim().to_string(),
                _ => super::commitment::title_from_text(&text.text),
            },
            text,
            about,
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
    let mut meta = Meta::new(Kind::Panel, id, raw.title, &file.path, cx.span(&raw.id));
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
        Parsed::Panel(vec![PanelDoc {
            meta,
            doc_type: raw.doc_type,
            type_label: raw.doc_type.label(),
            date,
            meeting_date,
            author: raw.author,
            recipient: raw.recipient,
            concerns,
            topic: raw.topic,
            recommendations,
            body,
        }]),
        diagnostics,
    )
}

impl super::Record for PanelDoc {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
        self.recommendations.clear();
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
