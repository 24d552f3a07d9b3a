//! The precept for a financial year: the Commissioner's proposal, the
//! Panel's report on it and its outcome, the response and revised precept
//! after a veto, the Panel's report on the revised precept and the precept
//! issued; and the statutory timetable those steps are measured against.
//!
//! The Panel's report may be a `panel` record (`type: report`) whose
//! `concerns:` names the precept, or named from the precept's part with
//! `record:`; the outcome is stated on the precept, because the timeline
//! branches on it and the report itself is often not published.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::totals::{self, TotalCheck};

use super::{Common, Cx, Md, Meta, Parsed, Records, front_matter};
use crate::diagnostics::{Diagnostic, Span};
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation, typed_reference};
use crate::types::{Date, Decimal, Kind, Money, MoneyUnit};

/// What the Panel resolved about a proposed precept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Supports,
    SupportsWithRecommendations,
    Vetoes,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Supports => "Supports the proposed precept",
            Outcome::SupportsWithRecommendations => "Supports it, with recommendations",
            Outcome::Vetoes => "Vetoes the proposed precept",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    /// `2025/26`; the record's address is `precepts/2025-26/`.
    financial_year: Spanned<String>,
    title: Option<String>,
    proposal: Option<RawPart>,
    panel_report: Option<RawPart>,
    response: Option<RawPart>,
    revised_report: Option<RawPart>,
    issued: Option<RawPart>,
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

/// One part of the year's process, each field as the source states it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    date: Option<Spanned<String>>,
    /// The Band D amount: `£300.2302`.
    band_d: Option<Spanned<String>>,
    /// The change from last year's Band D, in pounds: `£11`, `-£2.50`.
    change: Option<Spanned<String>>,
    /// The change in per cent: `4.9` or `4.9%`.
    change_percent: Option<Spanned<String>>,
    /// The total precept requirement: `£264.9m`.
    total: Option<Spanned<String>>,
    /// The council tax base: Band D equivalent properties, `151,210.3`.
    tax_base: Option<Spanned<String>>,
    /// The precept on each billing authority, whose sum is the total.
    #[serde(default)]
    billing_authorities: Vec<RawShare>,
    /// How far the total may be from the billing authorities' sum, in
    /// pounds, when the source's own rounding is coarser than the default.
    total_tolerance: Option<Spanned<String>>,
    /// The meeting that considered it: `meeting <id>`.
    meeting: Option<Spanned<String>>,
    meeting_date: Option<Spanned<String>>,
    /// The document of this step: `panel <id>`, `response <id>`, `decision <number>`.
    record: Option<Spanned<String>>,
    outcome: Option<Spanned<Outcome>>,
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShare {
    /// The billing authority, as the source names it: `Hartlepool`.
    name: String,
    amount: Spanned<String>,
}

/// An amount as the source writes it, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Amount {
    /// For people: `£300.2302`, `£264.9m`, `4.9%`.
    pub text: String,
    /// For data: the amount in pounds (or per cent), plain.
    pub plain: String,
    /// The amount in pounds (or per cent), for the checks.
    #[serde(skip)]
    pub value: Decimal,
}

/// The precept on one billing authority.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub name: String,
    pub amount: Option<Amount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub date: Option<Date>,
    pub band_d: Option<Amount>,
    pub change: Option<Amount>,
    pub change_percent: Option<Amount>,
    pub total: Option<Amount>,
    /// As written: `151,210.3`.
    pub tax_base: Option<String>,
    pub billing_authorities: Vec<Share>,
    /// What the check of the billing authorities' sum against the total
    /// found, when the part lists them.
    pub total_check: Option<TotalCheck>,
    /// What the check of Band D × tax base against the total found.
    pub tax_base_check: Option<String>,
    pub meeting: Option<Ref>,
    pub meeting_date: Option<Date>,
    pub record: Option<Ref>,
    pub outcome: Option<Outcome>,
    pub outcome_label: Option<&'static str>,
    pub note: Option<String>,
    /// Where the part is written, for warnings about it.
    #[serde(skip)]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Precept {
    pub meta: Meta,
    /// As written: `2025/26`.
    pub financial_year: String,
    /// The calendar year the financial year starts in; the statutory
    /// deadlines fall in its January to March.
    pub start_year: i16,
    pub proposal: Option<Part>,
    pub panel_report: Option<Part>,
    pub response: Option<Part>,
    pub revised_report: Option<Part>,
    pub issued: Option<Part>,
    pub vetoed: bool,
    pub body: Option<Md>,
}

/// `2025/26` → 2025; the second part must be the year after the first.
pub fn parse_year(text: &str) -> Option<i16> {
    let (a, b) = text.trim().split_once('/')?;
    if a.len() != 4 || b.len() != 2 || !a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let start: i16 = a.parse().ok()?;
    let end: i16 = b.parse().ok()?;
    ((start + 1) % 100 == end).then_some(start)
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let year_span = cx.span(&raw.financial_year);
    let written = raw.financial_year.value.trim().to_string();
    let Some(start_year) = parse_year(&written) else {
        cx.error(
            year_span,
            format!("`{written}` is not a financial year"),
            "write the financial year as the precept does, the start year in full and the next year's last two digits: `financial_year: 2025/26`",
        );
        return (Parsed::Nothing, cx.diagnostics);
    };
    let key = format!("{start_year}-{:02}", (start_year + 1) % 100);
    let proposal = part(&mut cx, raw.proposal.as_ref(), "proposal");
    let panel_report = part(&mut cx, raw.panel_report.as_ref(), "panel_report");
    let response = part(&mut cx, raw.response.as_ref(), "response");
    let revised_report = part(&mut cx, raw.revised_report.as_ref(), "revised_report");
    let issued = part(&mut cx, raw.issued.as_ref(), "issued");
    let vetoed = panel_report
        .as_ref()
        .is_some_and(|p| p.outcome == Some(Outcome::Vetoes));
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let title = raw
        .title
        .unwrap_or_else(|| format!("Police precept {written}"));
    let mut meta = Meta::new(Kind::Precept, key, title, &file.path, year_span);
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
        Parsed::Precept(vec![Precept {
            meta,
            financial_year: written,
            start_year,
            proposal,
            panel_report,
            response,
            revised_report,
            issued,
            vetoed,
            body,
        }]),
        diagnostics,
    )
}

fn part(cx: &mut Cx, raw: Option<&RawPart>, field: &str) -> Option<Part> {
    let raw = raw?;
    let money = |cx: &mut Cx, v: &Option<Spanned<String>>| v.as_ref().and_then(|v| amount(cx, v));
    let band_d = money(cx, &raw.band_d);
    let change = money(cx, &raw.change);
    let total = money(cx, &raw.total);
    let (billing_authorities, total_check, tax_base, tax_base_check) =
        parts_of_total(cx, raw, total.as_ref(), band_d.as_ref());
    let change_percent = raw.change_percent.as_ref().and_then(|v| percent(cx, v));
    let outcome = raw.outcome.as_ref().and_then(|o| {
        let allowed = match field {
            "panel_report" => true,
            "revised_report" => o.value != Outcome::Vetoes,
            _ => false,
        };
        if !allowed {
            let span = cx.span(o);
            let help = if field == "revised_report" {
                "a Panel may veto a proposed precept once; on the revised precept it can report `supports` or `supports-with-recommendations`"
            } else {
                "the Panel's outcome belongs to `panel_report:` (or `revised_report:`)"
            };
            cx.error(span, format!("`{field}:` cannot have an outcome here"), help);
            return None;
        }
        Some(o.value)
    });
    let span = [
        &raw.date,
        &raw.record,
        &raw.band_d,
        &raw.change,
        &raw.meeting,
        &raw.meeting_date,
    ]
    .into_iter()
    .flatten()
    .next()
    .map(|v| cx.span(v));
    Some(Part {
        date: cx.date(&raw.date),
        band_d,
        change,
        change_percent,
        total,
        tax_base,
        billing_authorities,
        total_check,
        tax_base_check,
        meeting: raw.meeting.as_ref().map(|m| {
            let text = m.value.trim().trim_start_matches("meeting ").to_string();
            let r = typed_reference(Kind::Meeting, &text, cx.span(m), Relation::Mentions);
            cx.refs.push(r.clone());
            r
        }),
        meeting_date: cx.date(&raw.meeting_date),
        record: raw
            .record
            .as_ref()
            .and_then(|r| cx.reference(r, Relation::Evidences)),
        outcome,
        outcome_label: outcome.map(Outcome::label),
        note: raw.note.clone().filter(|n| !n.trim().is_empty()),
        span,
    })
}

/// `£11`, `£300.2302`, `-£2.50`, `£264.9m`, `£3,863k`: pounds by default.
fn amount(cx: &mut Cx, value: &Spanned<String>) -> Option<Amount> {
    let text = value.value.trim();
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r.trim_start()),
        None => (false, text),
    };
    let parsed = rest.strip_prefix('£').and_then(|r| {
        let (number, unit) = if let Some(n) = r.strip_suffix(" million") {
            (n, MoneyUnit::Millions)
        } else if let Some(n) = r.strip_suffix('m') {
            (n, MoneyUnit::Millions)
        } else if let Some(n) = r.strip_suffix('k') {
            (n, MoneyUnit::Thousands)
        } else {
            (r, MoneyUnit::Pounds)
        };
        let amount = Decimal::parse(number.trim())?;
        Some(Money { amount, unit })
    });
    let span = cx.span(value);
    let Some(money) = parsed else {
        cx.error(
            span,
            format!("`{text}` is not an amount of money"),
            "write amounts in pounds as the source does, with the £ sign: `£300.2302`, `£11`, `-£2.50`, `£264.9m`",
        );
        return None;
    };
    if money.too_large() {
        cx.error(
            span,
            format!("`{text}` is more than £1 trillion"),
            "check the figure and its unit (`m` for millions)",
        );
        return None;
    }
    let sign = if negative { "-" } else { "" };
    let pounds = money.in_pounds()?;
    // Shown as written (`£14.00` keeps its pence), checked as a number.
    let value = if negative {
        Decimal::ZERO.checked_sub(pounds)?
    } else {
        pounds
    };
    Some(Amount {
        text: text.to_string(),
        plain: format!("{sign}{}", pounds.plain()),
        value,
    })
}

/// The parts a precept's total is made of, checked against it: the precept
/// on each billing authority (their sum is the total, within rounding), and
/// the Band D amount times the tax base (the total, within the rounding of
/// the Band D amount as written). A figure that does not hold is an error
/// at the total.
fn parts_of_total(
    cx: &mut Cx,
    raw: &RawPart,
    total: Option<&Amount>,
    band_d: Option<&Amount>,
) -> (
    Vec<Share>,
    Option<TotalCheck>,
    Option<String>,
    Option<String>,
) {
    let shares: Vec<Share> = raw
        .billing_authorities
        .iter()
        .map(|s| Share {
            name: s.name.clone(),
            amount: amount(cx, &s.amount),
        })
        .collect();
    let total_span = raw.total.as_ref().map(|t| cx.span(t));
    let mut total_check = None;
    if !shares.is_empty() {
        let tolerance = raw.total_tolerance.as_ref().and_then(|t| {
            let parsed = Decimal::parse(t.value.trim().trim_start_matches('£'));
            if parsed.is_none() {
                let span = cx.span(t);
                cx.error(
                    span,
                    format!("`{}` is not an amount", t.value),
                    "total_tolerance is how far the total may be from the sum, in pounds, e.g. 5",
                );
            }
            parsed
        });
        let amounts: Vec<Option<Decimal>> = shares
            .iter()
            .map(|s| s.amount.as_ref().map(|a| a.value))
            .collect();
        let (check, mismatch) = totals::check(&amounts, total.map(|t| t.value), tolerance, "£");
        if let Some(m) = mismatch {
            let span = total_span
                .clone()
                .or_else(|| raw.billing_authorities.first().map(|s| cx.span(&s.amount)));
            if let Some(span) = span {
                cx.error(
                    span,
                    m.message.replace("the rows", "the billing authorities' precepts"),
                    "check each billing authority's precept and the total against the source; if the source itself is inconsistent, keep its figures and set `total_tolerance:` with a note saying so",
                );
            }
        }
        total_check = Some(check);
    }
    let tax_base = raw.tax_base.as_ref().and_then(|t| {
        let parsed = Decimal::parse(&t.value);
        if parsed.is_none() {
            let span = cx.span(t);
            cx.error(
                span,
                format!("`{}` is not a tax base", t.value),
                "the tax base is the number of Band D equivalent properties, as the source writes it, e.g. 151,210.3",
            );
        }
        parsed.map(|p| (t, p))
    });
    let mut tax_base_check = None;
    if let (Some((written, base)), Some(band_d), Some(total)) = (&tax_base, band_d, total) {
        // Band D is the total divided by the tax base, rounded to the places
        // it is written with: the product may be off by half a unit in that
        // place for every property, and the total by half a pound.
        let places = band_d.text.split_once('.').map_or(0, |(_, f)| {
            f.chars().take_while(char::is_ascii_digit).count()
        });
        let half = Decimal::parse(&format!("0.{}5", "0".repeat(places))).unwrap_or(Decimal::ZERO);
        let product = band_d.value.checked_mul(*base);
        let slack = half
            .checked_mul(*base)
            .and_then(|s| s.checked_add(Decimal::parse("0.5").unwrap_or(Decimal::ZERO)));
        if let (Some(product), Some(slack)) = (product, slack) {
            let difference = product
                .checked_sub(total.value)
                .map_or(Decimal::from_int(i64::MAX), Decimal::abs);
            if difference > slack {
                if let Some(span) = total_span.clone() {
                    cx.error(
                        span,
                        format!(
                            "the total {} does not match Band D {} × the tax base {} = £{}",
                            total.text, band_d.text, written.value, product.grouped()
                        ),
                        "check the Band D amount, the tax base and the total against the source; the total is the Band D amount times the tax base",
                    );
                }
            } else {
                tax_base_check = Some(format!(
                    "Band D {} × the tax base {} = £{}, which is the total {} to within the rounding of the Band D amount.",
                    band_d.text,
                    written.value,
                    product.grouped(),
                    total.text
                ));
            }
        }
    }
    (
        shares,
        total_check,
        tax_base.map(|(t, _)| t.value.trim().to_string()),
        tax_base_check,
    )
}

fn percent(cx: &mut Cx, value: &Spanned<String>) -> Option<Amount> {
    let text = value.value.trim();
    let number = text.strip_suffix('%').unwrap_or(text).trim();
    let (negative, digits) = match number.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, number),
    };
    match Decimal::parse(digits) {
        Some(d) => {
            let sign = if negative { "-" } else { "" };
            Some(Amount {
                text: format!("{number}%"),
                plain: format!("{sign}{}", d.plain()),
                value: if negative {
                    Decimal::ZERO.checked_sub(d)?
                } else {
                    d
                },
            })
        }
        None => {
            let span = cx.span(value);
            cx.error(
                span,
                format!("`{text}` is not a percentage"),
                "write the change in per cent as a number, e.g. `4.9` or `4.9%`",
            );
            None
        }
    }
}

/// One step of the statutory timetable: Schedule 5 to the Police Reform and
/// Social Responsibility Act 2011 and the Police and Crime Panels (Precepts
/// and Chief Constable Appointments) Regulations 2012, in the words the
/// Surrey Police and Crime Panel sets them out in each year's precept item
/// ("Proposed precept 2023/24", https://mycouncil.surreycc.gov.uk/mgAi.aspx?ID=36958;
/// tests/fixtures/other-pccs/sources/12-surrey-panel-precept-minutes.md).
/// (A Panel's own working arrangements may set earlier dates:
/// Hertfordshire's say "by 31 January" and "by 7 February".)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Proposal,
    PanelReport,
    Response,
    RevisedReport,
    Issued,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Proposal,
        Step::PanelReport,
        Step::Response,
        Step::RevisedReport,
        Step::Issued,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::Proposal => "Proposed precept notified to the Panel",
            Step::PanelReport => "Panel’s report on the proposed precept",
            Step::Response => "Commissioner’s response and revised precept",
            Step::RevisedReport => "Panel’s report on the revised precept",
            Step::Issued => "Precept issued",
        }
    }

    /// The deadline as the source words it, and its day and month.
    fn deadline(self) -> (&'static str, i8, i8) {
        match self {
            Step::Proposal => (
                "the Commissioner must notify the Panel of the proposed precept “by 1 February”",
                2,
                1,
            ),
            Step::PanelReport => (
                "the Panel must review and make a report on the proposed precept (whether it vetoes the precept or not) “by 8 February”",
                2,
                8,
            ),
            Step::Response => (
                "after a veto, the Commissioner must respond and publish the response, including the revised precept, “by 15 February”",
                2,
                15,
            ),
            Step::RevisedReport => (
                "the Panel must review the revised precept and make a second report “by 22 February”",
                2,
                22,
            ),
            Step::Issued => (
                "the Commissioner must respond to the second report and publish the response “by 1 March”",
                3,
                1,
            ),
        }
    }

    /// Only after a veto is there a revised precept to respond with and
    /// report on.
    fn after_veto_only(self) -> bool {
        matches!(self, Step::Response | Step::RevisedReport)
    }

    /// What the date of this step's part means.
    fn date_label(self) -> &'static str {
        match self {
            Step::Proposal => "Notified to the Panel",
            Step::PanelReport | Step::RevisedReport => "Reported",
            Step::Response => "Published",
            Step::Issued => "Issued",
        }
    }
}

/// A step as the precept page shows it and `check` judges it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineStep {
    pub label: &'static str,
    pub date_label: &'static str,
    pub date: Option<Date>,
    pub meeting_date: Option<Date>,
    pub deadline: Date,
    /// The source's words for the deadline.
    pub rule: &'static str,
    /// `met`, `missed` or `not-stated`.
    pub status: &'static str,
    pub status_label: &'static str,
    pub record: Option<Ref>,
    pub note: Option<String>,
    pub outcome_label: Option<&'static str>,
    /// No document and no `note:` saying why: `check` warns.
    #[serde(skip)]
    pub missing: bool,
    #[serde(skip)]
    pub span: Span,
}

impl Precept {
    fn part(&self, step: Step) -> Option<&Part> {
        match step {
            Step::Proposal => self.proposal.as_ref(),
            Step::PanelReport => self.panel_report.as_ref(),
            Step::Response => self.response.as_ref(),
            Step::RevisedReport => self.revised_report.as_ref(),
            Step::Issued => self.issued.as_ref(),
        }
    }

    /// The statutory steps from the precept's parts and the records that
    /// name it: Panel reports whose `concerns:` is this precept (the first
    /// by date is the report on the proposal, the next the report on the
    /// revised precept) and responses to the first. The steps after a veto
    /// appear only when the Panel vetoed.
    pub fn timeline(&self, records: &Records) -> Vec<TimelineStep> {
        let mut reports: Vec<&super::PanelDoc> = records
            .panel
            .iter()
            .filter(|p| {
                p.doc_type == super::panel::DocType::Report
                    && p.concerns.as_ref().is_some_and(|c| {
                        c.target.kind == Kind::Precept && c.target.key == self.meta.key
                    })
            })
            .collect();
        reports.sort_by(|a, b| (a.date, &a.meta.key).cmp(&(b.date, &b.meta.key)));
        let response = reports.first().and_then(|first| {
            records
                .responses
                .iter()
                .find(|r| r.is_response_to(Kind::Panel, &first.meta.key))
        });
        let found = |kind: Kind, meta: &Meta, date: Option<Date>| {
            (
                typed_reference(
                    kind,
                    &meta.key,
                    self.meta.id_span.clone(),
                    Relation::Mentions,
                ),
                date,
            )
        };
        let mut out = Vec::new();
        for step in Step::ALL {
            if step.after_veto_only() && !self.vetoed {
                continue;
            }
            let part = self.part(step);
            let auto = match step {
                Step::PanelReport => reports.first().map(|p| found(Kind::Panel, &p.meta, p.date)),
                Step::RevisedReport => reports.get(1).map(|p| found(Kind::Panel, &p.meta, p.date)),
                Step::Response => response.map(|r| found(Kind::Response, &r.meta, r.date)),
                _ => None,
            };
            let record = part
                .and_then(|p| p.record.clone())
                .or_else(|| auto.as_ref().map(|a| a.0.clone()));
            let date = part
                .and_then(|p| p.date)
                .or_else(|| auto.as_ref().and_then(|a| a.1));
            let (rule, month, day) = step.deadline();
            let deadline = Date::from_ymd(self.start_year, month, day);
            let (status, status_label) = match date {
                Some(d) if d <= deadline => ("met", "Deadline met"),
                Some(_) => ("missed", "Deadline missed"),
                None => ("not-stated", "Date not stated"),
            };
            let note = part.and_then(|p| p.note.clone());
            out.push(TimelineStep {
                label: step.label(),
                date_label: step.date_label(),
                date,
                meeting_date: part.and_then(|p| p.meeting_date),
                deadline,
                rule,
                status,
                status_label,
                missing: record.is_none() && note.is_none(),
                record,
                note,
                outcome_label: part.and_then(|p| p.outcome_label),
                span: part
                    .and_then(|p| p.span.clone())
                    .unwrap_or_else(|| self.meta.id_span.clone()),
            });
        }
        out
    }
}

impl super::Record for Precept {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.proposal.as_ref().and_then(|p| p.date)
    }
    fn withhold(&mut self) {
        self.body = None;
        for p in [
            &mut self.proposal,
            &mut self.panel_report,
            &mut self.response,
            &mut self.revised_report,
            &mut self.issued,
        ]
        .into_iter()
        .flatten()
        {
            p.note = None;
        }
    }
    fn search_text(&self) -> String {
        let mut words = vec![self.financial_year.clone(), "precept Band D".to_string()];
        for p in [
            &self.proposal,
            &self.panel_report,
            &self.response,
            &self.revised_report,
            &self.issued,
        ]
        .into_iter()
        .flatten()
        {
            words.extend(p.outcome_label.map(str::to_string));
            for a in [&p.band_d, &p.change, &p.total].into_iter().flatten() {
                words.push(a.text.clone());
            }
            words.extend(p.note.clone());
        }
        words.extend(self.body.as_ref().map(|b| b.text.clone()));
        words.join(" ")
    }
    fn context(&self, records: &Records) -> serde_json::Value {
        let parts: Vec<serde_json::Value> = [
            ("proposal", "The Commissioner’s proposal", Step::Proposal),
            ("panel-report", "The Panel’s report", Step::PanelReport),
            (
                "response",
                "The Commissioner’s response and revised precept",
                Step::Response,
            ),
            (
                "revised-report",
                "The Panel’s report on the revised precept",
                Step::RevisedReport,
            ),
            ("issued", "The precept issued", Step::Issued),
        ]
        .into_iter()
        // After a veto only, unless the source states a response anyway.
        .filter(|(_, _, step)| !step.after_veto_only() || self.vetoed || self.part(*step).is_some())
        .map(|(anchor, heading, step)| {
            serde_json::json!({
                "anchor": anchor,
                "heading": heading,
                "date_label": step.date_label(),
                "part": self.part(step),
                "money": matches!(step, Step::Proposal | Step::Response | Step::Issued),
                "outcome": matches!(step, Step::PanelReport | Step::RevisedReport),
            })
        })
        .collect();
        serde_json::json!({ "parts": parts, "timeline": self.timeline(records) })
    }
    fn sort(items: &mut [Self]) {
        items.sort_by_key(|p| std::cmp::Reverse(p.start_year));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_year;

    #[test]
    fn financial_years_parse_strictly() {
        assert_eq!(parse_year("2025/26"), Some(2025));
        assert_eq!(parse_year("1999/00"), Some(1999));
        for bad in [
            "2025/27",
            "25-26",
            "2025-26",
            "2025/2026",
            "2025/",
            "abcd/ef",
        ] {
            assert_eq!(parse_year(bad), None, "{bad}");
        }
    }
}
