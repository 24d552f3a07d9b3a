//! Checks on the linked site that are about meaning, not references: grants
//! totals against their rows, the statutory process of plans and
//! variations (and of precepts and annual reports), Panel recommendations
//! left unanswered, performance reports' grades against the site's scale,
//! and the accessibility statement's review date.

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Span};
use crate::link::{Site, Timeline, TimelineLink, TimelineStep};
use crate::records::grants::GrantsTable;
use crate::records::panel::AnswerLink;
use crate::records::plan::{Step, StepKind};
use crate::records::totals;
use crate::types::{Date, Decimal, Kind};

pub fn run(site: &mut Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for table in &mut site.records.grants {
        out.extend(check_total(table));
    }
    out.extend(attach_answers(site));
    out.extend(build_timelines(site));
    out.extend(precept_steps(site));
    out.extend(annual_report_steps(site));
    out.extend(crate::transparency::warnings(site));
    out.extend(crate::records::performance::grade(
        &mut site.records.performance,
        &site.config.grades,
    ));
    out.extend(crate::records::commitment::statuses(
        &mut site.records.commitments,
        &site.config.commitment_statuses,
    ));
    out
}

/// Warns about each step of an annual report's cycle that wants a document
/// (the Panel's report, the response) and has none and no `note:` saying
/// why (`records::annual_report::AnnualReport::cycle`).
fn annual_report_steps(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for report in &site.records.annual_reports {
        for step in report.cycle(&site.records) {
            if !step.missing {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    Some(step.span.clone()),
                    format!(
                        "the annual report `{}` has no record for the statutory step “{}”",
                        report.meta.key, step.label
                    ),
                )
                .with_help("publish the Panel's report as a Panel document whose `concerns:` is this annual report (and the response with `responds_to:` that report), or name it with `record:` on the step, or say why there is none with `note:`"),
            );
        }
    }
    out
}

/// Warns about each statutory step of a precept that has no document and
/// no `note:` saying why (`records::precept::Precept::timeline`).
fn precept_steps(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for precept in &site.records.precepts {
        for step in precept.timeline(&site.records) {
            if !step.missing {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    Some(step.span.clone()),
                    format!(
                        "the precept `{}` has no record for the statutory step “{}”",
                        precept.meta.key, step.label
                    ),
                )
                .with_help("name its document with `record:` (or publish a Panel report whose `concerns:` is this precept), or say why there is none with `note:`; the timeline shows it as not published on this site"),
            );
        }
    }
    out
}

/// Compares a grants table's stated total with the sum of its rows
/// (`crate::records::totals`), keeping what readers are told on the table.
pub fn check_total(table: &mut GrantsTable) -> Option<Diagnostic> {
    let amounts: Vec<Option<Decimal>> = table
        .rows
        .iter()
        .map(|r| r.amount.map(|m| m.amount))
        .collect();
    let (check, mismatch) = totals::check(
        &amounts,
        table.stated_total,
        table.tolerance,
        table.unit.label(),
    );
    table.total = check;
    let mismatch = mismatch?;
    let span = match &table.stated_total_span {
        Some(span) if mismatch.on_total => span.clone(),
        _ => table.meta.id_span.clone(),
    };
    Some(Diagnostic::error(Some(span), mismatch.message).with_help(mismatch.help))
}

/// Finds the answers made to every Panel recommendation (kept in
/// `Site::answers`), and warns about recommendations a published response
/// leaves unanswered.
fn attach_answers(site: &mut Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut answers: HashMap<(String, String), Vec<AnswerLink>> = HashMap::new();
    for response in &site.records.responses {
        let Some(report) = site
            .records
            .panel
            .iter()
            .find(|p| response.is_response_to(Kind::Panel, &p.meta.key))
        else {
            continue;
        };
        for rec in &report.recommendations {
            match response.answers.iter().find(|a| a.recommendation_id == rec.id) {
                Some(answer) => answers
                    .entry((report.meta.key.clone(), rec.id.clone()))
                    .or_default()
                    .push(AnswerLink {
                        url: format!("{}#{}", response.meta.url, answer.anchor),
                        title: response.meta.title.clone(),
                        outcome_label: answer.outcome_label,
                    }),
                None => out.push(
                    Diagnostic::warning(
                        Some(Span::file(&response.meta.file)),
                        format!(
                            "the response `{}` gives no answer to recommendation `{}` of `{}`",
                            response.meta.key, rec.id, report.meta.key
                        ),
                    )
                    .with_help(format!(
                        "add an answer with `recommendation: {}`; use `outcome: not-stated` if the response does not address it",
                        rec.id
                    )),
                ),
            }
        }
    }
    site.answers = answers;
    out
}

fn build_timelines(site: &mut Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut timelines = Vec::new();
    let subjects: Vec<(Kind, String, Vec<Step>, std::path::PathBuf)> = site
        .records
        .plans
        .iter()
        .map(|p| {
            (
                Kind::Plan,
                p.meta.key.clone(),
                p.process.clone(),
                p.meta.file.clone(),
            )
        })
        .chain(site.records.variations.iter().map(|v| {
            (
                Kind::Variation,
                v.meta.key.clone(),
                v.process.clone(),
                v.meta.file.clone(),
            )
        }))
        .collect();
    for (kind, key, steps, file) in subjects {
        let reports: Vec<&crate::records::PanelDoc> = site
            .records
            .panel
            .iter()
            .filter(|p| {
                p.doc_type == crate::records::panel::DocType::Report
                    && p.concerns
                        .as_ref()
                        .is_some_and(|c| c.target.kind == kind && c.target.key == key)
            })
            .collect();
        // The reports a response to this plan answers: the Panel's on the
        // site, and a document published elsewhere that its Panel-report
        // step cites.
        let answered: Vec<(Kind, &str)> = reports
            .iter()
            .map(|p| (Kind::Panel, p.meta.key.as_str()))
            .chain(
                steps
                    .iter()
                    .filter(|s| s.step == StepKind::PanelReport)
                    .filter_map(|s| s.record.as_ref())
                    .filter(|r| r.target.kind == Kind::Document)
                    .map(|r| (Kind::Document, r.target.key.as_str())),
            )
            .collect();
        let responses: Vec<&crate::records::Response> = site
            .records
            .responses
            .iter()
            .filter(|r| answered.iter().any(|(k, key)| r.is_response_to(*k, key)))
            .collect();
        let mut timeline = Timeline::default();
        for step_kind in StepKind::ALL {
            let explicit = steps.iter().find(|s| s.step == step_kind);
            let link_of = |r: &crate::refs::Ref| -> Option<TimelineLink> {
                site.entry(r.target.kind, &r.target.key)
                    .map(|e| TimelineLink {
                        url: match &r.target.fragment {
                            Some(f) => format!("{}#{f}", e.url),
                            None => e.url.clone(),
                        },
                        // Steps citing paragraphs of one decision are
                        // told apart by the paragraph.
                        title: match r
                            .target
                            .fragment
                            .as_deref()
                            .and_then(|f| f.strip_prefix("para-"))
                        {
                            Some(n) => format!("{}, paragraph {n}", e.link_text()),
                            None => e.link_text(),
                        },
                    })
            };
            let mut record = explicit.and_then(|s| s.record.as_ref()).and_then(link_of);
            let mut date = explicit.and_then(|s| date_text(s.date, s.from, s.to));
            if record.is_none() {
                let auto: Option<(String, String, Option<Date>)> = match step_kind {
                    StepKind::PanelReport => reports
                        .first()
                        .map(|p| (p.meta.url.clone(), p.meta.title.clone(), p.date)),
                    StepKind::Response => responses
                        .first()
                        .map(|r| (r.meta.url.clone(), r.meta.title.clone(), r.date)),
                    _ => None,
                };
                if let Some((url, title, d)) = auto {
                    record = Some(TimelineLink { url, title });
                    if date.is_none() {
                        date = d.map(|d| d.long());
                    }
                }
            }
            let source = explicit.and_then(|s| s.source.as_ref()).and_then(link_of);
            let missing = if step_kind.wants_record() {
                record.is_none()
            } else {
                explicit.is_none() && record.is_none()
            };
            // A step kept with a `note:` saying why there is no document is
            // a stated gap: the timeline shows it as not published on this
            // site, and `check` has nothing to warn about.
            let stated_gap = step_kind.wants_record()
                && explicit.is_some_and(|s| s.note.as_ref().is_some_and(|n| !n.trim().is_empty()));
            if missing && !stated_gap {
                let span = explicit
                    .map(|s| s.span.clone())
                    .unwrap_or_else(|| Span::file(&file));
                out.push(
                    Diagnostic::warning(
                        Some(span),
                        format!(
                            "the {} `{key}` has no record for the statutory step “{}”",
                            kind.label().to_lowercase(),
                            step_kind.label()
                        ),
                    )
                    .with_help(if step_kind.wants_record() {
                        "publish the document (a Panel report or response whose `concerns:`/`responds_to:` links here), cite one published elsewhere with `record: \"document <id>\"` (see content/documents/), or keep the step with a `note:`; the timeline shows it as not published on this site"
                    } else {
                        "add the step to `process:` with its date and a `source:` reference"
                    }),
                );
            }
            timeline.steps.push(TimelineStep {
                step: step_kind,
                label: step_kind.label(),
                date,
                record,
                source,
                note: explicit.and_then(|s| s.note.clone()),
                missing,
            });
        }
        timeline.complete = timeline.steps.iter().all(|s| !s.missing);
        timelines.push(((kind, key), timeline));
    }
    site.timelines.extend(timelines);
    out
}

fn date_text(date: Option<Date>, from: Option<Date>, to: Option<Date>) -> Option<String> {
    match (date, from, to) {
        (Some(d), _, _) => Some(d.long()),
        (None, Some(f), Some(t)) => Some(format!("{} to {}", f.long(), t.long())),
        (None, Some(f), None) => Some(format!("from {}", f.long())),
        (None, None, Some(t)) => Some(format!("until {}", t.long())),
        _ => None,
    }
}

/// The accessibility statement must be reviewed at least yearly.
pub fn accessibility_review(config: &crate::config::SiteConfig, today: Date) -> Option<Diagnostic> {
    let months = config.accessibility.reviewed.months_until(today);
    (months >= 12).then(|| {
        Diagnostic::warning(
            Some(config.accessibility.reviewed_span.clone()),
            format!(
                "the accessibility statement was last reviewed on {}, {months} months ago",
                config.accessibility.reviewed.long()
            ),
        )
        .with_help("review the statement (the regulations expect at least a yearly review) and update `accessibility.reviewed`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Span;
    use crate::records::Meta;
    use crate::records::grants::GrantRow;
    use crate::types::{Money, MoneyUnit};

    fn table(amounts: &[&str], total: Option<&str>) -> GrantsTable {
        let meta = Meta::new(
            Kind::Grants,
            "t".into(),
            "T".into(),
            std::path::Path::new("t.yaml"),
            Span::file("t.yaml"),
        );
        let rows = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| GrantRow {
                meta: meta.clone(),
                row_id: i.to_string(),
                table: "t".into(),
                area: "a".into(),
                recipient: None,
                amount: Decimal::parse(a).map(|amount| Money {
                    amount,
                    unit: MoneyUnit::Millions,
                }),
                amount_text: None,
                amount_pounds: None,
                amount_note: None,
                funder: None,
                purpose: None,
                conditions: None,
                approved_by: None,
                award_date: None,
                commitments: vec![],
            })
            .collect();
        GrantsTable {
            meta,
            financial_year: None,
            unit: MoneyUnit::Millions,
            unit_label: "£m",
            plan: None,
            section: None,
            stated_total: total.and_then(Decimal::parse),
            stated_total_span: None,
            tolerance: None,
            approved_by: None,
            intro: None,
            notes: None,
            source: None,
            rows,
            total: crate::records::totals::TotalCheck::default(),
        }
    }

    #[test]
    fn rounding_differences_pass_with_a_note() {
        let mut t = table(&["100.2", "50.6", "50.6"], Some("201.3"));
        assert!(check_total(&mut t).is_none());
        assert!(
            t.total.note.contains("within the rounding tolerance"),
            "{}",
            t.total.note
        );
    }

    #[test]
    fn a_gross_error_fails() {
        let mut t = table(&["100.2", "50.6", "50.6"], Some("210.3"));
        let d = check_total(&mut t).expect("an error");
        assert!(d.message.contains("does not match"));
    }

    #[test]
    fn a_missing_amount_means_no_total_is_claimed() {
        let mut t = table(&["3863", "400", "x"], None);
        assert!(check_total(&mut t).is_none());
        assert_eq!(t.total.sum_text, None);
        assert!(t.total.note.contains("1 amount is not stated"));
    }
}
