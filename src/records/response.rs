//! The Commissioner's responses to Panel reports, answering each
//! recommendation.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation, typed_reference};
use crate::types::{Date, Kind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Accepted,
    PartlyAccepted,
    NotAccepted,
    Noted,
    NotStated,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Accepted => "Accepted",
            Outcome::PartlyAccepted => "Partly accepted",
            Outcome::NotAccepted => "Not accepted",
            Outcome::Noted => "Noted",
            Outcome::NotStated => "No individual answer given",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    date: Option<Spanned<String>>,
    responds_to: Spanned<String>,
    author: Option<String>,
    recipient: Option<String>,
    #[serde(default)]
    answers: Vec<RawAnswer>,
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
struct RawAnswer {
    recommendation: Spanned<String>,
    outcome: Outcome,
    text: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// A reference to the report's recommendation anchor.
    pub recommendation: Ref,
    pub recommendation_id: String,
    pub anchor: String,
    pub outcome: Outcome,
    pub outcome_label: &'static str,
    pub text: Option<Md>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub meta: Meta,
    pub date: Option<Date>,
    pub responds_to: Ref,
    pub author: Option<String>,
    pub recipient: Option<String>,
    pub answers: Vec<Answer>,
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
    let responds_to = answered(&mut cx, &raw.responds_to);
    let mut answers = Vec::new();
    if responds_to.target.kind == Kind::Document
        && let Some(first) = raw.answers.first()
    {
        let span = cx.span(&first.recommendation);
        cx.error(
            span,
            "a response to a document published elsewhere cannot answer its recommendations one by one",
            "the site holds none of that document's recommendations to link an answer to: give the answers in the response's text (numbered paragraphs get their own anchors), or publish the report as a Panel document and answer that",
        );
    }
    for a in raw
        .answers
        .iter()
        .filter(|_| responds_to.target.kind == Kind::Panel)
    {
        let written = format!("{}#rec-{}", raw.responds_to.value, a.recommendation.value);
        let r = typed_reference(
            Kind::Panel,
            &written,
            cx.span(&a.recommendation),
            Relation::RespondsTo,
        );
        cx.refs.push(r.clone());
        let text = cx.markdown(&a.text, Settings::default());
        let anchor = format!("answer-{}", a.recommendation.value);
        cx.anchors.push(anchor.clone());
        answers.push(Answer {
            recommendation: r,
            recommendation_id: a.recommendation.value.clone(),
            anchor,
            outcome: a.outcome,
            outcome_label: a.outcome.label(),
            text,
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
    let mut meta = Meta::new(Kind::Response, id, raw.title, &file.path, cx.span(&raw.id));
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
        Parsed::Response(vec![Response {
            meta,
            date,
            responds_to,
            author: raw.author,
            recipient: raw.recipient,
            answers,
            body,
        }]),
        diagnostics,
    )
}

impl Response {
    /// Whether it answers the record of `kind` with `key`: a Panel report
    /// and a document published elsewhere may share an id.
    pub fn is_response_to(&self, kind: Kind, key: &str) -> bool {
        self.responds_to.target.kind == kind && self.responds_to.target.key == key
    }
}

/// What a response answers: a Panel report on the site, by its bare id
/// (`2014-02-14-report`), or a document published elsewhere
/// (`document <id>`); any other kind is an error at its place.
fn answered(cx: &mut Cx<'_>, value: &Spanned<String>) -> Ref {
    let written = value.value.trim();
    if !written.contains(char::is_whitespace) {
        return cx.typed(Kind::Panel, value, Relation::RespondsTo);
    }
    let Some(r) = cx.reference(value, Relation::RespondsTo) else {
        // The reference could not be read (reported); keep a Panel
        // reference so the record stands, found or not.
        return typed_reference(Kind::Panel, written, cx.span(value), Relation::RespondsTo);
    };
    if !matches!(r.target.kind, Kind::Panel | Kind::Document) {
        let span = cx.span(value);
        cx.error(
            span,
            format!(
                "a response answers a Panel report or a document published elsewhere, not a {}",
                r.target.kind.label().to_lowercase()
            ),
            "write the Panel report's id (`responds_to: 2014-02-14-report`) or a document's (`responds_to: document west-mercia-draft-plan-report`); other records go under `related:`",
        );
    }
    r
}

impl super::Record for Response {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
        for a in &mut self.answers {
            a.text = None;
        }
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
