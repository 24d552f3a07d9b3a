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

/// A decision as written: the front matter of a notice, or one entry of a
/// register (`super::register`), which may carry its body as `body:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Raw {
    number: Option<Spanned<String>>,
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    /// Said when the source gives the decision no title: the site then
    /// calls it "Untitled decision" with its number, and invents none.
    #[serde(default)]
    untitled: bool,
    /// A register entry's notice text; a notice file has its body below
    /// the front matter instead.
    body: Option<Spanned<String>>,
    /// This notice's own words for its parts, where they differ from the
    /// site's (`labels: decision:` in site.yaml).
    #[serde(default)]
    labels: crate::config::DecisionLabels,
    #[serde(default)]
    status: Status,
    confidential_reason: Option<String>,
    /// The date the source gives without saying what it is ("Date:").
    date: Option<Spanned<String>>,
    /// The day the decision was made, where the source says so ("Date of
    /// Decision", a ModernGov entry's leading date).
    date_decided: Option<Spanned<String>>,
    date_signed: Option<Spanned<String>>,
    date_published: Option<Spanned<String>>,
    /// The day it takes effect ("Effective from:").
    date_effective: Option<Spanned<String>>,
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
    /// The date the source gives without saying what it is.
    #[serde(rename = "date")]
    pub date_plain: Option<Date>,
    pub date_decided: Option<Date>,
    pub date_signed: Option<Date>,
    pub date_published: Option<Date>,
    pub date_effective: Option<Date>,
    /// The source gives it no title (its title is "Untitled decision").
    pub untitled: bool,
    /// The register it is listed in, when it comes from one.
    pub listing: Option<Listing>,
    /// Its own labels (`labels:`); the page resolves them against the
    /// site's.
    pub labels: crate::config::DecisionLabels,
    /// `None` for a confidential decision. Templates see its fields beside
    /// the stub's (empty when there is no notice). Boxed: a notice is most
    /// of a decision's size, and a large site's list of decisions (grown,
    /// sorted) then moves pointers rather than whole notices.
    #[serde(flatten, serialize_with = "notice_or_empty")]
    pub notice: Option<Box<Notice>>,
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

fn notice_or_empty<S: serde::Serializer>(
    notice: &Option<Box<Notice>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match notice {
        Some(n) => n.serialize(s),
        None => Notice::default().serialize(s),
    }
}

impl Decision {
    /// The date it is listed, browsed and fed by: the day it was decided,
    /// else the one date the source gives, else signed, else published.
    pub fn date(&self) -> Option<Date> {
        self.described_date().map(|(date, _)| date)
    }

    /// [`Decision::date`] with what the date is, in words for a sentence
    /// ("the date decision 2024/22 was decided").
    pub fn described_date(&self) -> Option<(Date, &'static str)> {
        [
            (self.date_decided, "decided"),
            (self.date_plain, "dated"),
            (self.date_signed, "signed"),
            (self.date_published, "published"),
        ]
        .into_iter()
        .find_map(|(date, what)| date.map(|d| (d, what)))
    }
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    if let Some(body) = &raw.body {
        let span = cx.span(body);
        cx.error(
            span,
            "a decision notice's text goes below its front matter, not in `body:`",
            "move the text after the closing `---`; `body:` is for the entries of a register file (`decisions/*.yaml`)",
        );
    }
    let at = Entry {
        place: crate::diagnostics::Span::new(&file.path, fm.yaml_line, 1),
        fallback_key: Some(file.stem()),
        body: Some((fm.body, fm.body_line)),
        listing: None,
    };
    let d = from_raw(&mut cx, raw, at);
    (
        Parsed::Decision(vec![d]),
        std::mem::take(&mut cx.diagnostics),
    )
}

/// Where a decision comes from, besides its fields: the place its errors
/// point at when no field fits, the key it takes when it has neither a
/// number nor an id (a notice file's name; a register entry has none), its
/// Markdown body below the front matter, and its register.
pub(super) struct Entry<'a> {
    pub place: crate::diagnostics::Span,
    pub fallback_key: Option<&'a str>,
    pub body: Option<(&'a str, u32)>,
    pub listing: Option<Listing>,
}

/// The register a decision is listed in, and under which heading.
#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub key: String,
    pub title: String,
    pub url: String,
    pub group: Option<String>,
    /// The heading's anchor on the register's page.
    pub anchor: Option<String>,
}

/// A decision from its fields, checked; errors go to `cx`. Shared by
/// notice files and register entries.
pub(super) fn from_raw(cx: &mut Cx<'_>, raw: Raw, at: Entry<'_>) -> Decision {
    let number = raw.number.as_ref().and_then(|n| {
        let parsed = DecisionNumber::new(&n.value);
        if parsed.is_none() {
            let span = cx.span(n);
            cx.error(span, format!("`{}` is not a decision number", n.value), "write the number as the organisation does, e.g. \"004/2014\"; leave `number` out and give `id` if the decision has none");
        }
        parsed
    });
    // Where an error about the decision as a whole points: its title, or
    // whatever else of it has a place (a register entry's first field).
    let place = [raw.title.as_ref(), raw.number.as_ref(), raw.id.as_ref()]
        .into_iter()
        .flatten()
        .next()
        .map(|field| cx.span(field))
        .unwrap_or_else(|| at.place.clone());
    let (key, id_span) = match (&number, &raw.id) {
        (Some(n), _) => (
            n.slug(),
            cx.span(raw.number.as_ref().expect("number parsed")),
        ),
        (None, Some(id)) => (cx.id(id), cx.span(id)),
        (None, None) => {
            if raw.number.is_none() {
                let help = match at.fallback_key {
                    Some(_) => {
                        "give the decision's number as written (`number: \"004/2014\"`), or an `id` if it has no number"
                    }
                    None => {
                        "give the entry's number as the register writes it (`number: \"2024/22\"`), or an `id` if it has none: the id becomes its permanent address"
                    }
                };
                cx.error(
                    place.clone(),
                    "this decision has neither a `number` nor an `id`",
                    help,
                );
            }
            (
                at.fallback_key.unwrap_or_default().to_string(),
                place.clone(),
            )
        }
    };
    let title = match (raw.title, raw.untitled) {
        (Some(t), false) => t.value,
        (Some(t), true) => {
            let span = cx.span(&t);
            cx.error(
                span,
                "this decision has a title and says it is untitled",
                "leave out `untitled: true` when the source gives a title",
            );
            t.value
        }
        (None, true) => match &number {
            Some(n) => format!("Untitled decision {}", n.as_written()),
            None => "Untitled decision".to_string(),
        },
        (None, false) => {
            cx.error(
                place.clone(),
                "this decision has no `title`",
                "give the title as the source writes it; if the source gives none, write `untitled: true` and the site says so (\"Untitled decision\" with its number) rather than inventing one",
            );
            String::new()
        }
    };
    let confidential = raw.status == Status::Confidential;
    if matches!(
        raw.status,
        Status::Confidential | Status::PartlyConfidential
    ) && raw.confidential_reason.is_none()
    {
        cx.error(
            place.clone(),
            "a confidential decision must state why it is confidential",
            "add `confidential_reason:` with the stated reason or exemption; it is published in place of the body",
        );
    }
    let date_plain = cx.date(&raw.date);
    let date_decided = cx.date(&raw.date_decided);
    let date_signed = cx.date(&raw.date_signed);
    let date_published = cx.date(&raw.date_published);
    let date_effective = cx.date(&raw.date_effective);
    let mut meta = Meta::new(Kind::Decision, key, title, cx.file, id_span);
    meta.confidential = confidential;
    let stub = |meta| Decision {
        meta,
        number: number.map(|n| n.as_written().to_string()),
        status: raw.status,
        status_label: raw.status.label(),
        confidential,
        confidential_reason: raw.confidential_reason,
        date_plain,
        date_decided,
        date_signed,
        date_published,
        date_effective,
        untitled: raw.untitled,
        listing: at.listing,
        labels: raw.labels,
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
        return stub(meta);
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
    let sign_offs = raw.sign_offs.iter().map(|o| sign_off(cx, o)).collect();
    let implications = raw.implications.as_ref().map(|i| Implications {
        financial: cx.markdown(&i.financial, Settings::default()),
        legal: cx.markdown(&i.legal, Settings::default()),
        equality: cx.markdown(&i.equality, Settings::default()),
    });
    let body_settings = Settings {
        numbered_paragraphs: true,
        heading_shift: 1,
        relation: Relation::Mentions,
    };
    let body = match at.body {
        Some((text, line)) => cx.body(text, line, body_settings),
        None => cx.markdown(&raw.body, body_settings),
    };
    let background_papers = raw
        .background_papers
        .iter()
        .map(|p| BackgroundPaper {
            title: p.title.clone(),
            decision: p
                .decision
                .as_ref()
                .map(|d| cx.typed(Kind::Decision, d, Relation::Cites)),
            url: p.url.as_ref().and_then(|u| cx.url(u)),
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
    d.notice = Some(Box::new(notice));
    d
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

impl Notice {
    /// Lets go of the HTML of every text of the notice (`Md::drop_html`).
    pub fn drop_html(&mut self) {
        let implications = self
            .implications
            .iter_mut()
            .flat_map(|i| [&mut i.financial, &mut i.legal, &mut i.equality]);
        let approval = self.approval.iter_mut().map(|a| &mut a.text);
        [
            &mut self.executive_summary,
            &mut self.recommendation,
            &mut self.decision,
            &mut self.declaration,
            &mut self.body,
        ]
        .into_iter()
        .chain(implications)
        .flatten()
        .chain(approval)
        .for_each(Md::drop_html);
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
