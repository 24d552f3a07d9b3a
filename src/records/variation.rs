//! Variations to a plan: the report proposing them, and the statutory steps.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::plan::{RawStep, Step, parse_steps};
use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    varies: Option<String>,
    plan: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    author: Option<String>,
    approved_by: Option<Spanned<String>>,
    #[serde(default)]
    process: Vec<RawStep>,
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
pub struct Variation {
    pub meta: Meta,
    pub varies: Option<String>,
    pub plan: Option<Ref>,
    pub date: Option<Date>,
    pub author: Option<String>,
    pub approved_by: Option<Ref>,
    pub process: Vec<Step>,
    pub body: Option<Md>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let id = cx.id(&raw.id);
    let plan = raw
        .plan
        .as_ref()
        .map(|p| cx.typed(Kind::Plan, p, Relation::Mentions));
    let date = cx.date(&raw.date);
    let approved_by = raw
        .approved_by
        .as_ref()
        .map(|d| cx.typed(Kind::Decision, d, Relation::Mentions));
    let process = parse_steps(&mut cx, &raw.process);
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let mut meta = Meta::new(Kind::Variation, id, raw.title, &file.path, cx.span(&raw.id));
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
        Parsed::Variation(vec![Variation {
            meta,
            varies: raw.varies,
            plan,
            date,
            author: raw.author,
            approved_by,
            process,
            body,
        }]),
        diagnostics,
    )
}

impl super::Record for Variation {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
    }
}
