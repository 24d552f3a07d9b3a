//! Board and meeting papers.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::Relation;
use crate::types::{Date, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    body: Option<String>,
    date: Option<Spanned<String>>,
    agenda_item: Option<String>,
    purpose: Option<Spanned<String>>,
    presented_by: Option<String>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Paper {
    pub meta: Meta,
    /// The meeting body, e.g. "Strategic Policing and Crime Board".
    pub meeting_body: Option<String>,
    pub date: Option<Date>,
    pub agenda_item: Option<String>,
    pub purpose: Option<Md>,
    pub presented_by: Option<String>,
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
    let purpose = cx.markdown(&raw.purpose, Settings::default());
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let mut meta = Meta::new(Kind::Paper, id, raw.title, &file.path, cx.span(&raw.id));
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
        Parsed::Paper(vec![Paper {
            meta,
            meeting_body: raw.body,
            date,
            agenda_item: raw.agenda_item,
            purpose,
            presented_by: raw.presented_by,
            body,
        }]),
        diagnostics,
    )
}

impl super::Record for Paper {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.purpose = None;
        self.body = None;
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
