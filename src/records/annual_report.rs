//! The Commissioner's annual report for a financial year (Police Reform and
//! Social Responsibility Act 2011, s.12): what it covers, the commitments
//! and plan sections it reports on, and the statutory cycle that follows
//! it: the Panel's public meeting on it, the Panel's report (a `panel`
//! record whose `concerns:` is this report), the Commissioner's response to
//! that report, and the report's publication.
//!
//! The Panel's report and the response are found from the records that
//! name the annual report, or named on the step with `record:`; a step with
//! neither is a gap `check` warns about, unless a `note:` says why.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, Records, front_matter};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation, typed_reference};
use crate::types::{Date, Kind, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    /// The financial year it covers, as the report writes it: `2023/24`.
    year: Spanned<String>,
    published: Option<Spanned<String>>,
    /// The plan it reports progress against (its id).
    plan: Option<Spanned<String>>,
    /// References to the commitments and plan sections it reports on.
    #[serde(default)]
    reports_on: Vec<Spanned<String>>,
    /// The published report (a PDF, usually), by its address.
    document: Option<Spanned<String>>,
    /// The Panel meeting it was presented at: `meeting <id>`.
    meeting: Option<Spanned<String>>,
    meeting_date: Option<Spanned<String>>,
    panel_report: Option<RawStep>,
    response: Option<RawStep>,
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

/// One step of the cycle as the source states it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    /// Its document on the site: `panel <id>`, `response <id>`.
    record: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    /// What the source says, or why there is no document.
    note: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepPart {
    pub record: Option<Ref>,
    pub date: Option<Date>,
    pub note: Option<String>,
    /// Where the step is written, for warnings about it.
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub meta: Meta,
    /// As written: `2023/24` or `2023-24`.
    pub year: String,
    /// For people and sorting: `2023/24`.
    pub year_label: String,
    #[serde(skip)]
    pub start_year: i32,
    pub published: Option<Date>,
    pub plan: Option<Ref>,
    pub reports_on: Vec<Ref>,
    pub document: Option<String>,
    pub meeting: Option<Ref>,
    pub meeting_date: Option<Date>,
    pub panel_report: Option<StepPart>,
    pub response: Option<StepPart>,
    pub body: Option<Md>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let id = cx.id(&raw.id);
    let written = raw.year.value.trim().to_string();
    let Some((start_year, year_label)) =
        Period::parse(&written).and_then(|p| p.financial_year_start().map(|y| (y, p.label())))
    else {
        let span = cx.span(&raw.year);
        cx.error(
            span,
            format!("`{written}` is not a financial year"),
            "write the financial year the report covers as it does, the start year in full and the next year's last two digits: `year: 2023/24` (or `2023-24`)",
        );
        return (Parsed::Nothing, cx.diagnostics);
    };
    let published = cx.date(&raw.published);
    let plan = raw
        .plan
        .as_ref()
        .map(|p| cx.typed(Kind::Plan, p, Relation::ReportsOn));
    let mut reports_on = Vec::new();
    for value in &raw.reports_on {
        let Some(r) = cx.reference(value, Relation::ReportsOn) else {
            continue;
        };
        if matches!(r.target.kind, Kind::Commitment | Kind::Section | Kind::Plan) {
            reports_on.push(r);
        } else {
            let span = cx.span(value);
            cx.error(
                span,
                format!(
                    "an annual report reports on commitments and plan sections, not on a {}",
                    r.target.kind.label().to_lowercase()
                ),
                "name a commitment (`commitment reduce-burglary`) or a plan section (`section 2025-2029/section-1`); other records go under `related:`",
            );
        }
    }
    let document = raw.document.as_ref().and_then(|u| cx.url(u));
    let meeting = raw.meeting.as_ref().map(|m| {
        let text = m.value.trim().trim_start_matches("meeting ").to_string();
        let r = typed_reference(Kind::Meeting, &text, cx.span(m), Relation::Mentions);
        cx.refs.push(r.clone());
        r
    });
    let meeting_date = cx.date(&raw.meeting_date);
    let id_span = cx.span(&raw.id);
    let panel_report = step_part(&mut cx, raw.panel_report.as_ref(), &id_span, Kind::Panel);
    let response = step_part(&mut cx, raw.response.as_ref(), &id_span, Kind::Response);
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: false,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let mut meta = Meta::new(Kind::AnnualReport, id, raw.title, &file.path, id_span);
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
        Parsed::AnnualReport(vec![AnnualReport {
            meta,
            year: written,
            year_label,
            start_year,
            published,
            plan,
            reports_on,
            document,
            meeting,
            meeting_date,
            panel_report,
            response,
            body,
        }]),
        diagnostics,
    )
}

fn step_part(cx: &mut Cx, raw: Option<&RawStep>, fallback: &Span, kind: Kind) -> Option<StepPart> {
    let raw = raw?;
    // The step's document is of one kind: the cycle reads a Panel report's
    // response from it, and a reader is told what the link is.
    let record = raw.record.as_ref().and_then(|value| {
        let r = cx.reference(value, Relation::Evidences)?;
        if r.target.kind == kind {
            return Some(r);
        }
        let span = cx.span(value);
        cx.error(
            span,
            format!(
                "this step's document is a {}, not a {}",
                kind.label().to_lowercase(),
                r.target.kind.label().to_lowercase()
            ),
            format!(
                "write `record: \"{} <id>\"`, or leave `record:` out and say in `note:` where the document is",
                kind.keyword()
            ),
        );
        None
    });
    let span = [&raw.record, &raw.date, &raw.note]
        .into_iter()
        .flatten()
        .next()
        .map(|v| cx.span(v))
        .unwrap_or_else(|| fallback.clone());
    Some(StepPart {
        record,
        date: cx.date(&raw.date),
        note: raw
            .note
            .as_ref()
            .map(|n| n.value.trim().to_string())
            .filter(|n| !n.is_empty()),
        span,
    })
}

/// The steps of the cycle after the report is produced, each with the
/// words of the Act that require it (PRSRA 2011 ss.12 and 28(4), as
/// enacted, legislation.gov.uk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    PanelMeeting,
    PanelReport,
    Response,
    Published,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::PanelMeeting,
        Step::PanelReport,
        Step::Response,
        Step::Published,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::PanelMeeting => "Panel’s public meeting on the annual report",
            Step::PanelReport => "Panel’s report or recommendations on the annual report",
            Step::Response => "Commissioner’s response to the Panel",
            Step::Published => "Annual report published",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Step::PanelMeeting => {
                "s.28(4): the Panel must “arrange for a public meeting of the panel to be held as soon as practicable after the panel is sent an annual report under section 12”"
            }
            Step::PanelReport => {
                "s.28(4): the Panel must “review the annual report” and “make a report or recommendations on the annual report to the commissioner”"
            }
            Step::Response => {
                "s.12: the Commissioner must “give the panel a response to any report or recommendations on the annual report” and “publish any such response”"
            }
            Step::Published => {
                "s.12(6): “An elected local policing body must arrange for each annual report to be published.”"
            }
        }
    }

    fn date_label(self) -> &'static str {
        match self {
            Step::PanelMeeting => "Meeting",
            Step::PanelReport => "Reported",
            Step::Response => "Responded",
            Step::Published => "Published",
        }
    }

    /// The steps whose document the site should hold: `check` warns when
    /// one has none and no `note:` says why.
    fn wants_record(self) -> bool {
        matches!(self, Step::PanelReport | Step::Response)
    }
}

/// A step as the page shows it and `check` judges it.
#[derive(Debug, Clone, Serialize)]
pub struct CycleStep {
    pub label: &'static str,
    pub date_label: &'static str,
    pub date: Option<Date>,
    pub rule: &'static str,
    pub record: Option<Ref>,
    /// The published report, for the last step.
    pub document: Option<String>,
    pub note: Option<String>,
    pub wants_record: bool,
    /// No document and no `note:` saying why: `check` warns.
    #[serde(skip)]
    pub missing: bool,
    #[serde(skip)]
    pub span: Span,
}

impl AnnualReport {
    /// The cycle from the report's own fields and the records that name
    /// it: the earliest Panel report whose `concerns:` is this annual
    /// report, and the first response to that report.
    pub fn cycle(&self, records: &Records) -> Vec<CycleStep> {
        let mut reports: Vec<&super::PanelDoc> = records
            .panel
            .iter()
            .filter(|p| {
                p.doc_type == super::panel::DocType::Report
                    && p.concerns.as_ref().is_some_and(|c| {
                        c.target.kind == Kind::AnnualReport && c.target.key == self.meta.key
                    })
            })
            .collect();
        reports.sort_by(|a, b| (a.date, &a.meta.key).cmp(&(b.date, &b.meta.key)));
        // The report named on the step, else the one found.
        let report_key = self
            .panel_report
            .as_ref()
            .and_then(|p| p.record.as_ref())
            .map(|r| r.target.key.clone())
            .or_else(|| reports.first().map(|p| p.meta.key.clone()));
        let response = report_key.as_ref().and_then(|key| {
            records
                .responses
                .iter()
                .filter(|r| r.is_response_to(Kind::Panel, key))
                .min_by(|a, b| (a.date, &a.meta.key).cmp(&(b.date, &b.meta.key)))
        });
        let found = |kind: Kind, meta: &Meta| {
            typed_reference(
                kind,
                &meta.key,
                self.meta.id_span.clone(),
                Relation::Mentions,
            )
        };
        let meeting_date = self.meeting_date.or_else(|| {
            let m = self.meeting.as_ref()?;
            records
                .meetings
                .iter()
                .find(|x| x.meta.key == m.target.key)
                .and_then(|x| x.date)
        });
        let mut out = Vec::new();
        for step in Step::ALL {
            let part = match step {
                Step::PanelReport => self.panel_report.as_ref(),
                Step::Response => self.response.as_ref(),
                _ => None,
            };
            let (auto, auto_date) = match step {
                Step::PanelReport => (
                    reports.first().map(|p| found(Kind::Panel, &p.meta)),
                    reports.first().and_then(|p| p.date),
                ),
                Step::Response => (
                    response.map(|r| found(Kind::Response, &r.meta)),
                    response.and_then(|r| r.date),
                ),
                Step::PanelMeeting => (self.meeting.clone(), meeting_date),
                Step::Published => (None, self.published),
            };
            let record = part.and_then(|p| p.record.clone()).or(auto);
            let date = part.and_then(|p| p.date).or(auto_date);
            let note = part.and_then(|p| p.note.clone());
            out.push(CycleStep {
                label: step.label(),
                date_label: step.date_label(),
                date,
                rule: step.rule(),
                missing: step.wants_record() && record.is_none() && note.is_none(),
                record,
                document: (step == Step::Published)
                    .then(|| self.document.clone())
                    .flatten(),
                note,
                wants_record: step.wants_record(),
                span: part
                    .map(|p| p.span.clone())
                    .unwrap_or_else(|| self.meta.id_span.clone()),
            });
        }
        out
    }
}

impl super::Record for AnnualReport {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.published
    }
    fn withhold(&mut self) {
        self.body = None;
        for p in [&mut self.panel_report, &mut self.response]
            .into_iter()
            .flatten()
        {
            p.note = None;
        }
    }
    fn search_text(&self) -> String {
        let mut words = vec![
            self.year.clone(),
            self.year_label.clone(),
            "annual report".to_string(),
        ];
        for p in [&self.panel_report, &self.response].into_iter().flatten() {
            words.extend(p.note.clone());
        }
        words.extend(self.body.as_ref().map(|b| b.text.clone()));
        words.join(" ")
    }
    fn context(&self, records: &Records) -> serde_json::Value {
        serde_json::json!({ "cycle": self.cycle(records) })
    }
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| (b.start_year, &a.meta.key).cmp(&(a.start_year, &b.meta.key)));
    }
}
