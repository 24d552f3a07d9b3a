//! Decision notices. The number is kept exactly as written; the address is
//! its normalised form. A confidential decision's body is never read into
//! the record: only the stub (number, title, dates, status, reason) exists
//! after parsing.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter, yes};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, DecisionNumber, Kind};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    number: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    status: Status,
    confidential_reason: Option<String>,
    #[serde(alias = "date")]
    date_signed: Option<Spanned<String>>,
    date_published: Option<Spanned<String>>,
    decision_maker: Option<String>,
    /// Under whose authority the decision maker decided, as the notice says
    /// it ("Under delegated authority from the Commissioner").
    delegation: Option<String>,
    signed_by: Option<String>,
    /// What the notice says of the signature ("wet copy held in OPCC").
    signature_note: Option<String>,
    /// The protective marking the notice carries ("Official"), as written.
    marking: Option<String>,
    /// The outcome in the notice's words ("Recommendations approved").
    outcome: Option<String>,
    /// The recommendation put to the decision maker, where the notice sets
    /// it apart from the decision.
    recommendation: Option<Spanned<String>>,
    /// The approval in the notice's words, under its own heading.
    approval: Option<RawApproval>,
    /// Sign-offs by officers (chief finance officer, monitoring officer,
    /// chief officer), each with a name and date or stated not applicable.
    #[serde(default)]
    sign_offs: Vec<RawSignOff>,
    contact_officer: Option<Officer>,
    /// The short form of `contact_officer` (name and role only), as many
    /// registers and the benchmark corpus write it.
    officer: Option<Spanned<String>>,
    officer_role: Option<Spanned<String>>,
    category: Option<String>,
    #[serde(default = "yes")]
    notice_published: bool,
    executive_summary: Option<Spanned<String>>,
    decision: Option<Spanned<String>>,
    declaration: Option<Spanned<String>>,
    implications: Option<RawImplications>,
    #[serde(default)]
    background_papers: Vec<RawPaper>,
    plan: Option<Spanned<String>>,
    variation: Option<Spanned<String>>,
    #[serde(default)]
    commitments: Vec<Spanned<String>>,
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

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub name: Option<String>,
    pub role: Option<String>,
    pub telephone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    heading: Option<String>,
    text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignOff {
    role: Spanned<String>,
    name: Option<String>,
    date: Option<Spanned<String>>,
    #[serde(default)]
    not_applicable: bool,
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawImplications {
    financial: Option<Spanned<String>>,
    legal: Option<Spanned<String>>,
    equality: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    title: String,
    decision: Option<Spanned<String>>,
    url: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Published,
    PartlyConfidential,
    Confidential,
    Withdrawn,
    Deferred,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "Published",
            Status::PartlyConfidential => "Partly confidential",
            Status::Confidential => "Confidential",
            Status::Withdrawn => "Withdrawn",
            Status::Deferred => "Deferred",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Implications {
    pub financial: Option<Md>,
    pub legal: Option<Md>,
    pub equality: Option<Md>,
}

/// The approval as the notice words it: "Police and Crime Commissioner
/// Approval" over "I approve the recommendation(s)".
#[derive(Debug, Clone, Serialize)]
pub struct Approval {
    pub heading: String,
    pub text: Md,
}

/// An officer's sign-off: the role as the notice labels it, and the name
/// and date, or that it does not apply.
#[derive(Debug, Clone, Serialize)]
pub struct SignOff {
    pub role: String,
    pub name: Option<String>,
    pub date: Option<Date>,
    pub not_applicable: bool,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackgroundPaper {
    pub title: String,
    /// A cited decision: a link when it is on the site, otherwise shown as
    /// "not published on this site" (a citation, not a broken link).
    pub decision: Option<Ref>,
    pub url: Option<String>,
}

/// A decision record. What every decision publishes (the stub) sits here;
/// the notice sits in `notice`, which a `confidential` decision does not
/// have: its fields are never read, so no page, search index, export or
/// feed can show them.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub meta: Meta,
    pub number: Option<String>,
    pub status: Status,
    pub status_label: &'static str,
    pub confidential: bool,
    pub confidential_reason: Option<String>,
    pub date_signed: Option<Date>,
    pub date_published: Option<Date>,
    /// `None` for a confidential decision. Templates see its fields beside
    /// the stub's (empty when there is no notice).
    #[serde(flatten, serialize_with = "notice_or_empty")]
    pub notice: Option<Notice>,
}

/// Everything of a decision beyond its stub.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Notice {
    pub decision_maker: Option<String>,
    pub delegation: Option<String>,
    pub signed_by: Option<String>,
    pub signature_note: Option<String>,
    pub marking: Option<String>,
    pub outcome: Option<String>,
    pub recommendation: Option<Md>,
    pub approval: Option<Approval>,
    pub sign_offs: Vec<SignOff>,
    pub contact_officer: Option<Officer>,
    pub category: Option<String>,
    pub notice_published: bool,
    pub executive_summary: Option<Md>,
    pub decision: Option<Md>,
    pub declaration: Option<Md>,
    pub implications: Option<Implications>,
    pub background_papers: Vec<BackgroundPaper>,
    pub plan: Option<Ref>,
    pub variation: Option<Ref>,
    pub commitments: Vec<Ref>,
    /// The facts and advice.
    pub body: Option<Md>,
}

fn notice_or_empty<S: serde::Serializer>(notice: &Option<Notice>, s: S) -> Result<S::Ok, S::Error> {
    match notice {
        Some(n) => n.serialize(s),
        None => Notice::default().serialize(s),
    }
}

impl Decision {
    pub fn date(&self) -> Option<Date> {
        self.date_signed.or(self.date_published)
    }
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let number = raw.number.as_ref().and_then(|n| {
        let parsed = DecisionNumber::new(&n.value);
        if parsed.is_none() {
            let span = cx.span(n);
            cx.error(span, format!("`{}` is not a decision number", n.value), "write the number as the organisation does, e.g. \"004/2014\"; leave `number` out and give `id` if the decision has none");
        }
        parsed
    });
    let (key, id_span) = match (&number, &raw.id) {
        (Some(n), _) => (
            n.slug(),
            cx.span(raw.number.as_ref().expect("number parsed")),
        ),
        (None, Some(id)) => (cx.id(id), cx.span(id)),
        (None, None) => {
            if raw.number.is_none() {
                cx.error(
                    crate::diagnostics::Span::new(&file.path, fm.yaml_line, 1),
                    "this decision has neither a `number` nor an `id`",
                    "give the decision's number as written (`number: \"004/2014\"`), or an `id` if it has no number",
                );
            }
            (
                file.stem().to_string(),
                crate::diagnostics::Span::file(&file.path),
            )
        }
    };
    let confidential = raw.status == Status::Confidential;
    if matches!(
        raw.status,
        Status::Confidential | Status::PartlyConfidential
    ) && raw.confidential_reason.is_none()
    {
        cx.error(
            crate::diagnostics::Span::new(&file.path, fm.yaml_line, 1),
            "a confidential decision must state why it is confidential",
            "add `confidential_reason:` with the stated reason or exemption; it is published in place of the body",
        );
    }
    let date_signed = cx.date(&raw.date_signed);
    let date_published = cx.date(&raw.date_published);
    let mut meta = Meta::new(Kind::Decision, key, raw.title, &file.path, id_span);
    meta.confidential = confidential;
    let stub = |meta| Decision {
        meta,
        number: number.map(|n| n.as_written().to_string()),
        status: raw.status,
        status_label: raw.status.label(),
        confidential,
        confidential_reason: raw.confidential_reason,
        date_signed,
        date_published,
        notice: None,
    };
    if confidential {
        // Only the stub is read. The rest of the front matter and the body
        // are not parsed, so nothing of them (not even the records they
        // name) can reach a page, the search index, an export or a feed.
        let common = Common {
            draft: raw.draft,
            aliases: raw.aliases,
            updated: raw.updated,
            changes: raw.changes,
            withdrawn: raw.withdrawn,
            related: Vec::new(),
        };
        cx.finish_meta(&mut meta, &common);
        let diagnostics = std::mem::take(&mut cx.diagnostics);
        return (Parsed::Decision(vec![stub(meta)]), diagnostics);
    }
    let executive_summary = cx.markdown(&raw.executive_summary, Settings::default());
    let decision = cx.markdown(&raw.decision, Settings::default());
    let declaration = cx.markdown(&raw.declaration, Settings::default());
    let recommendation = cx.markdown(&raw.recommendation, Settings::default());
    let approval = raw.approval.as_ref().map(|a| Approval {
        heading: a.heading.clone().unwrap_or_else(|| "Approval".to_string()),
        text: cx
            .markdown(&Some(a.text.clone()), Settings::default())
            .unwrap_or_default(),
    });
    let sign_offs = raw.sign_offs.iter().map(|o| sign_off(&mut cx, o)).collect();
    let implications = raw.implications.as_ref().map(|i| Implications {
        financial: cx.markdown(&i.financial, Settings::default()),
        legal: cx.markdown(&i.legal, Settings::default()),
        equality: cx.markdown(&i.equality, Settings::default()),
    });
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let background_papers = raw
        .background_papers
        .iter()
        .map(|p| BackgroundPaper {
            title: p.title.clone(),
            decision: p
                .decision
                .as_ref()
                .map(|d| cx.typed(Kind::Decision, d, Relation::Cites)),
            url: p.url.as_ref().map(|u| {
                if let Some(problem) = crate::safe::url_problem(&u.value) {
                    let span = cx.span(u);
                    cx.error(span, problem, crate::safe::URL_HELP);
                }
                u.value.clone()
            }),
        })
        .collect();
    let plan = raw
        .plan
        .as_ref()
        .map(|p| cx.typed(Kind::Plan, p, Relation::Issues));
    let variation = raw
        .variation
        .as_ref()
        .map(|v| cx.typed(Kind::Variation, v, Relation::Approves));
    let commitments = cx.typed_all(Kind::Commitment, &raw.commitments, Relation::Delivers);
    let short_form = raw.officer.as_ref().or(raw.officer_role.as_ref());
    let contact_officer = match (raw.contact_officer, short_form) {
        (Some(o), Some(field)) => {
            let span = cx.span(field);
            cx.error(
                span,
                "this decision gives its contact officer twice",
                "use either `contact_officer:` (name, role, telephone, email) or `officer:` and `officer_role:`, not both",
            );
            Some(o)
        }
        (Some(o), None) => Some(o),
        (None, None) => None,
        (None, Some(_)) => Some(Officer {
            name: raw.officer.map(|o| o.value),
            role: raw.officer_role.map(|r| r.value),
            telephone: None,
            email: None,
        }),
    };
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
    let notice = Notice {
        decision_maker: raw.decision_maker,
        delegation: raw.delegation,
        signed_by: raw.signed_by,
        signature_note: raw.signature_note,
        marking: raw.marking,
        outcome: raw.outcome,
        recommendation,
        approval,
        sign_offs,
        contact_officer,
        category: raw.category,
        notice_published: raw.notice_published,
        executive_summary,
        decision,
        declaration,
        implications,
        background_papers,
        plan,
        variation,
        commitments,
        body,
    };
    let mut d = stub(meta);
    d.notice = Some(notice);
    (Parsed::Decision(vec![d]), diagnostics)
}

/// A sign-off as written, checked: one that does not apply names no one
/// and no date; any other says at least who, when or what.
fn sign_off(cx: &mut Cx<'_>, o: &RawSignOff) -> SignOff {
    let date = cx.date(&o.date);
    let span = cx.span(&o.role);
    if o.not_applicable && (o.name.is_some() || o.date.is_some()) {
        cx.error(
            span,
            format!("the sign-off `{}` is marked not applicable but names a person or a date", o.role.value),
            "leave out `not_applicable: true` if the officer signed, or the name and date if the notice says it does not apply",
        );
    } else if !o.not_applicable && o.name.is_none() && o.date.is_none() && o.text.is_none() {
        cx.error(
            span,
            format!("the sign-off `{}` says nothing of who signed, when or what", o.role.value),
            "give `name:`, `date:` or `text:` as the notice has them, or `not_applicable: true` when it says the sign-off does not apply",
        );
    }
    SignOff {
        role: o.role.value.clone(),
        name: o.name.clone(),
        date,
        not_applicable: o.not_applicable,
        text: o.text.clone(),
    }
}

impl super::Record for Decision {
    meta_field!();
    fn date(&self) -> Option<Date> {
        Decision::date(self)
    }
    /// Only the stub: the notice (body, facts and advice, people) goes.
    fn withhold(&mut self) {
        self.notice = None;
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
