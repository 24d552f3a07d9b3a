//! Plans, their sections, and the statutory steps (PRSRA 2011 s.5(6)) that
//! plans and variations go through.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    id: Spanned<String>,
    title: String,
    period: Option<String>,
    #[serde(default)]
    status: PlanStatus,
    issued_by: Option<Spanned<String>>,
    published: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    sections: Vec<Spanned<String>>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    Draft,
    #[default]
    Current,
    Superseded,
}

impl PlanStatus {
    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Draft",
            PlanStatus::Current => "Current",
            PlanStatus::Superseded => "Superseded",
        }
    }
}

/// The steps of PRSRA 2011 s.5(6), in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    Draft,
    ChiefConstableConsulted,
    SentToPanel,
    PanelReport,
    Response,
    Published,
}

impl StepKind {
    pub const ALL: [StepKind; 6] = [
        StepKind::Draft,
        StepKind::ChiefConstableConsulted,
        StepKind::SentToPanel,
        StepKind::PanelReport,
        StepKind::Response,
        StepKind::Published,
    ];

    pub fn label(self) -> &'static str {
        match self {
            StepKind::Draft => "Draft prepared",
            StepKind::ChiefConstableConsulted => "Chief Constable consulted",
            StepKind::SentToPanel => "Sent to the Police and Crime Panel",
            StepKind::PanelReport => "Panel's report or recommendations",
            StepKind::Response => "Commissioner's response to the Panel",
            StepKind::Published => "Published",
        }
    }

    /// Steps whose evidence is a document the site should hold.
    pub fn wants_record(self) -> bool {
        matches!(self, StepKind::PanelReport | StepKind::Response)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    step: Spanned<StepKind>,
    date: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    record: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub step: StepKind,
    pub label: &'static str,
    pub date: Option<Date>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub source: Option<Ref>,
    pub record: Option<Ref>,
    pub note: Option<String>,
    #[serde(skip)]
    pub span: crate::diagnostics::Span,
}

pub fn parse_steps(cx: &mut Cx<'_>, raw: &[RawStep]) -> Vec<Step> {
    raw.iter()
        .map(|s| Step {
            step: s.step.value,
            label: s.step.value.label(),
            date: cx.date(&s.date),
            from: cx.date(&s.from),
            to: cx.date(&s.to),
            source: s
                .source
                .as_ref()
                .and_then(|r| cx.reference(r, Relation::Evidences)),
            record: s
                .record
                .as_ref()
                .and_then(|r| cx.reference(r, Relation::Evidences)),
            note: s.note.clone(),
            span: cx.span(&s.step),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub meta: Meta,
    pub period: Option<String>,
    pub status: PlanStatus,
    pub status_label: &'static str,
    pub issued_by: Option<Ref>,
    pub published: Option<Date>,
    pub summary: Option<Md>,
    #[serde(skip)]
    pub section_ids: Vec<Spanned<String>>,
    pub process: Vec<Step>,
}

pub fn parse_plan(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let raw: RawPlan = match decode_yaml(&file.text, &file.path, 1) {
        Ok(r) => r,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, 1);
    let id = cx.id(&raw.id);
    let folder = file.rel.split('/').nth(1).unwrap_or("");
    if folder != id {
        let span = cx.span(&raw.id);
        cx.error(
            span,
            format!("the plan's id `{id}` differs from its folder `plans/{folder}`"),
            "keep a plan and its sections in a folder named after the plan's id",
        );
    }
    let issued_by = raw
        .issued_by
        .as_ref()
        .map(|d| cx.typed(Kind::Decision, d, Relation::Mentions));
    let published = cx.date(&raw.published);
    let summary = cx.markdown(&raw.summary, Settings::default());
    for s in &raw.sections {
        let key = Spanned {
            value: format!("{id}/{}", s.value),
            referenced: s.referenced,
            defined: s.defined,
        };
        cx.typed(Kind::Section, &key, Relation::PartOf);
    }
    let process = parse_steps(&mut cx, &raw.process);
    let mut meta = Meta::new(Kind::Plan, id, raw.title, &file.path, cx.span(&raw.id));
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
        Parsed::Plan(vec![Plan {
            meta,
            period: raw.period,
            status: raw.status,
            status_label: raw.status.label(),
            issued_by,
            published,
            summary,
            section_ids: raw.sections,
            process,
        }]),
        diagnostics,
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Spanned<String>,
    title: String,
    number: Option<String>,
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
pub struct Section {
    pub meta: Meta,
    pub plan: String,
    pub section_id: String,
    pub number: Option<String>,
    pub body: Option<Md>,
}

pub fn parse_section(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<RawSection>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let id = cx.id(&raw.id);
    let plan = file.rel.split('/').nth(1).unwrap_or("").to_string();
    let body = cx.body(fm.body, fm.body_line, Settings::default());
    let mut meta = Meta::new(
        Kind::Section,
        format!("{plan}/{id}"),
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
        Parsed::Section(vec![Section {
            meta,
            plan,
            section_id: id,
            number: raw.number,
            body,
        }]),
        diagnostics,
    )
}

impl super::Record for Plan {
    meta_field!();
    /// A plan is listed and browsed by its period, not by a date.
    fn date(&self) -> Option<Date> {
        None
    }
    fn withhold(&mut self) {
        self.summary = None;
        self.process.clear();
    }
}

impl super::Record for Section {
    meta_field!();
    fn date(&self) -> Option<Date> {
        None
    }
    fn withhold(&mut self) {
        self.body = None;
    }
}
