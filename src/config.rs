//! `content/site.yaml`: who publishes the site, where, under what licence,
//! and the accessibility statement's facts.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::{self, Settings};
use crate::types::Date;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    organisation: String,
    office_title: String,
    base_url: Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    contact: Contact,
    licence: Licence,
    successor: Option<RawSuccessor>,
    accessibility: RawAccessibility,
    home_intro: Option<String>,
    #[serde(default)]
    header_links: Vec<RawLink>,
    #[serde(default)]
    footer_links: Vec<RawLink>,
    #[serde(default)]
    branding: crate::branding::RawBranding,
    /// Entries added to the search thesaurus: each a list of words or
    /// phrases that mean the same (`[[WMP, West Midlands Police]]`).
    #[serde(default)]
    search_synonyms: Vec<Vec<String>>,
    #[serde(default)]
    markdown: MarkdownSettings,
    /// How decision numbers compare (`types::NumberScheme`).
    #[serde(default)]
    decision_numbers: crate::types::NumberScheme,
    /// The grades performance reports give indicators, in the site's order.
    #[serde(default)]
    grades: Vec<RawGrade>,
    /// The statuses a commitment can have, in the site's order; the
    /// default set (`DEFAULT_STATUSES`) when absent.
    commitment_statuses: Option<Vec<RawGrade>>,
    /// Where each item of the Specified Information Order is published,
    /// when the site's records do not show it (`crate::transparency`).
    /// Present, even empty, the site has its `/transparency/` page.
    specified_information: Option<Vec<RawSpecified>>,
    /// The organisation's own words for the parts of its records' pages.
    #[serde(default)]
    labels: Labels,
}

/// The labels of each kind's page that `site.yaml` may set (`labels:`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    #[serde(default)]
    pub decision: DecisionLabels,
}

/// The labels and headings of a decision's page. Each is West Midlands'
/// wording unless `site.yaml` (`labels: decision:`) or the notice itself
/// (`labels:`) gives the organisation's own; the notice's wins.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionLabels {
    pub number: Option<String>,
    pub decision_maker: Option<String>,
    pub contact_officer: Option<String>,
    pub executive_summary: Option<String>,
    pub recommendation: Option<String>,
    pub decision: Option<String>,
    /// Empty for none, when the notice gives its declaration unheaded.
    pub declaration: Option<String>,
    pub sign_offs: Option<String>,
    /// The heading over the body; empty for none, when the body has
    /// headings of its own.
    pub body: Option<String>,
    pub implications: Option<String>,
    pub background_papers: Option<String>,
}

impl DecisionLabels {
    /// Every label, from the notice's own, else the site's, else the
    /// default.
    pub fn resolve(&self, site: &DecisionLabels) -> DecisionLabels {
        let pick = |own: &Option<String>, theirs: &Option<String>, default: &str| {
            Some(
                own.clone()
                    .or_else(|| theirs.clone())
                    .unwrap_or_else(|| default.to_string()),
            )
        };
        DecisionLabels {
            number: pick(&self.number, &site.number, "Decision number"),
            decision_maker: pick(&self.decision_maker, &site.decision_maker, "Decision maker"),
            contact_officer: pick(
                &self.contact_officer,
                &site.contact_officer,
                "Contact officer",
            ),
            executive_summary: pick(
                &self.executive_summary,
                &site.executive_summary,
                "Executive summary",
            ),
            recommendation: pick(&self.recommendation, &site.recommendation, "Recommendation"),
            decision: pick(&self.decision, &site.decision, "Decision"),
            declaration: pick(&self.declaration, &site.declaration, "Declaration"),
            sign_offs: pick(&self.sign_offs, &site.sign_offs, "Sign-offs"),
            body: pick(&self.body, &site.body, "Facts and advice"),
            implications: pick(&self.implications, &site.implications, "Implications"),
            background_papers: pick(
                &self.background_papers,
                &site.background_papers,
                "Background papers",
            ),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpecified {
    /// The Order's paragraph: `1(a)`, `2A`, `7B`.
    para: Spanned<String>,
    /// Where it is published elsewhere (the main website, the force's).
    url: Option<Spanned<String>>,
    /// The link's text: "Our Commissioner".
    text: Option<String>,
    /// Records on this site that publish it: `page gifts-register`.
    #[serde(default)]
    records: Vec<Spanned<String>>,
    /// Why it is not published, when it is not.
    reason: Option<String>,
}

/// Where one item of the Specified Information Order is published, as
/// `site.yaml` says.
#[derive(Debug, Clone, Serialize)]
pub struct Specified {
    pub para: String,
    pub url: Option<String>,
    pub text: Option<String>,
    pub records: Vec<crate::refs::Ref>,
    pub reason: Option<String>,
    /// Where `para:` is written: the Order's paragraphs are checked
    /// against it by `crate::transparency`.
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    id: Spanned<String>,
    label: String,
    meaning: Option<String>,
}

/// One step of a scale the site declares: a performance grade (`green`,
/// shown as "Green", meaning "On track") or a commitment status. Its label
/// is always shown in words, never as colour alone.
#[derive(Debug, Clone, Serialize)]
pub struct Grade {
    pub id: String,
    pub label: String,
    pub meaning: Option<String>,
}

/// The statuses a commitment can have when `site.yaml` declares none:
/// those of the Government of Canada's mandate letter tracker
/// (`reference/domain.md`), with "no progress reported" for a commitment
/// no update has reached.
pub const DEFAULT_STATUSES: &[(&str, &str)] = &[
    ("not-reported", "No progress reported yet"),
    ("on-track", "On track"),
    ("with-challenges", "Under way, with challenges"),
    ("completed", "Completed"),
    ("completed-modified", "Completed, modified"),
    ("not-pursued", "Not being pursued"),
];

/// A scale's steps as declared, each id checked: lower case, and not
/// declared twice (`what` is "grade" or "status").
fn scale(
    raw: Vec<RawGrade>,
    what: &str,
    help: &str,
    span: &dyn Fn(&Spanned<String>) -> Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Grade> {
    let mut out: Vec<Grade> = Vec::new();
    for g in raw {
        let id = g.id.value.trim().to_string();
        let problem = if !crate::types::valid_id(&id) {
            Some(format!("`{id}` cannot be a {what}'s id"))
        } else if out.iter().any(|x| x.id == id) {
            Some(format!("the {what} `{id}` is declared twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            diagnostics.push(Diagnostic::error(Some(span(&g.id)), problem).with_help(help));
            continue;
        }
        out.push(Grade {
            id,
            label: g.label,
            meaning: g.meaning,
        });
    }
    out
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    text: String,
    url: Spanned<String>,
}

/// `markdown:` in `site.yaml`: how Markdown bodies are treated.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownSettings {
    #[serde(default)]
    pub raw_html: RawHtml,
}

/// Whether raw HTML in Markdown is an error (`refuse`, the default) or is
/// published after sanitising (`allow`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawHtml {
    #[default]
    Refuse,
    Allow,
}

impl RawLink {
    fn into_link(self) -> Link {
        Link {
            text: self.text,
            url: self.url.value,
        }
    }
}

fn default_language() -> String {
    "en-GB".to_string()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub address: Option<String>,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub text: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuccessor {
    body: String,
    date: Spanned<String>,
    url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Successor {
    pub body: String,
    pub date: Date,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compliance {
    Full,
    Partial,
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccessibility {
    compliance: Compliance,
    #[serde(default)]
    non_accessible: Vec<String>,
    #[serde(default)]
    disproportionate_burden: Vec<String>,
    #[serde(default)]
    not_in_scope: Vec<String>,
    response_days: u32,
    prepared: Spanned<String>,
    reviewed: Spanned<String>,
    tested_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Accessibility {
    pub compliance: Compliance,
    pub non_accessible: Vec<String>,
    pub disproportionate_burden: Vec<String>,
    pub not_in_scope: Vec<String>,
    pub response_days: u32,
    pub prepared: Date,
    pub reviewed: Date,
    #[serde(skip)]
    pub reviewed_span: Span,
    pub tested_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub organisation: String,
    pub office_title: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub contact: Contact,
    pub licence: Licence,
    pub successor: Option<Successor>,
    pub accessibility: Accessibility,
    pub home_intro: Option<String>,
    pub header_links: Vec<Link>,
    pub footer_links: Vec<Link>,
    pub markdown: MarkdownSettings,
    #[serde(skip)]
    pub file: std::path::PathBuf,
    pub branding: crate::branding::Branding,
    /// References in `home_intro`, checked by the link stage.
    #[serde(skip)]
    pub refs: Vec<crate::refs::Ref>,
    /// `search_synonyms` from site.yaml: added to the theme's thesaurus.
    pub search_synonyms: Vec<Vec<String>>,
    /// `decision_numbers` from site.yaml: which written forms of a number
    /// are one decision, and the series a bare number belongs to.
    pub decision_numbers: crate::types::NumberScheme,
    /// `grades` from site.yaml: the scale performance reports grade on.
    pub grades: Vec<Grade>,
    /// `commitment_statuses` from site.yaml, or `DEFAULT_STATUSES`: the
    /// statuses a commitment and its updates may give, in order.
    pub commitment_statuses: Vec<Grade>,
    /// `specified_information` from site.yaml: `None` when the site has no
    /// `/transparency/` page.
    pub specified_information: Option<Vec<Specified>>,
    /// Whether the site has its `/transparency/` page (for templates).
    pub transparency: bool,
    /// `labels` from site.yaml: the organisation's words for the parts of
    /// its pages.
    pub labels: Labels,
}

impl SiteConfig {
    /// The path part of the base URL, e.g. `/police-and-crime-plan/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(&self.base_url);
        match after_scheme.find('/') {
            Some(i) => after_scheme[i..].to_string(),
            None => "/".to_string(),
        }
    }

    pub fn absolute(&self, url: &str) -> String {
        format!("{}{}", self.base_url, url)
    }

    /// The settings that withdraw diagnostics found before the site's
    /// settings were read (see `Diagnostic::waived_by`).
    pub fn waivers(&self) -> Vec<&'static str> {
        let mut on = Vec::new();
        if self.markdown.raw_html == RawHtml::Allow {
            on.push(crate::safe::RAW_HTML_SETTING);
        }
        on
    }
}

/// An error for each link in `site.yaml` whose scheme may not be published.
fn check_links(file: &SourceFile, raw: &Raw, diagnostics: &mut Vec<Diagnostic>) {
    let mut check = |url: &str, span: Span| {
        if let Some(problem) = crate::safe::url_problem(url) {
            diagnostics
                .push(Diagnostic::error(Some(span), problem).with_help(crate::safe::URL_HELP));
        }
    };
    for link in raw.header_links.iter().chain(&raw.footer_links) {
        check(
            &link.url.value,
            crate::load::span_of(&file.path, 1, &link.url.referenced),
        );
    }
    let single = [
        ("url", raw.contact.url.as_deref()),
        ("url", raw.licence.url.as_deref()),
        ("url", raw.successor.as_ref().and_then(|s| s.url.as_deref())),
        ("src", raw.branding.logo.as_ref().map(|l| l.src.as_str())),
    ];
    for (key, url) in single {
        if let Some(url) = url {
            check(url, locate(file, key, url));
        }
    }
}

/// Where `key: value` is written in `file`, for fields read without spans:
/// the first line that has both, at the value; the file when none does.
fn locate(file: &SourceFile, key: &str, value: &str) -> Span {
    let key = format!("{key}:");
    for (i, line) in file.text.lines().enumerate() {
        let k = line.len() - line.trim_start().len();
        if line[k..].starts_with(&key)
            && let Some(v) = line[k..].find(value.trim())
        {
            let col = line[..k + v].chars().count() + 1;
            return Span::new(&file.path, i as u32 + 1, col as u32);
        }
    }
    Span::file(&file.path)
}

/// Whether `file` is the site's settings (`site.yaml`).
pub fn is_settings(file: &SourceFile) -> bool {
    file.rel == "site.yaml" || file.rel == "site.yml"
}

/// `specified_information:` checked: each paragraph once, saying something;
/// each URL safe; each record a reference (resolved at link time). That
/// each paragraph is one the Order has is `crate::transparency`'s check.
fn specified(
    entries: Vec<RawSpecified>,
    span: &impl Fn(&Spanned<String>) -> Span,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Specified> {
    let mut out: Vec<Specified> = Vec::new();
    for e in entries {
        let para = e.para.value.trim().to_string();
        if out.iter().any(|o| o.para == para) {
            diagnostics.push(
                Diagnostic::error(
                    Some(span(&e.para)),
                    format!("paragraph {para} is listed twice"),
                )
                .with_help("give each paragraph one entry, with all its links"),
            );
            continue;
        }
        if let Some(u) = &e.url
            && let Some(problem) = crate::safe::url_problem(&u.value)
        {
            diagnostics
                .push(Diagnostic::error(Some(span(u)), problem).with_help(crate::safe::URL_HELP));
        }
        if e.url.is_none() && e.records.is_empty() && e.reason.is_none() {
            diagnostics.push(
                Diagnostic::error(Some(span(&e.para)), format!("paragraph {para} says nothing"))
                    .with_help("give where it is published (`url:` and `text:`, or `records:`), or why it is not (`reason:`)"),
            );
            continue;
        }
        let mut records = Vec::new();
        for r in &e.records {
            match crate::refs::parse_reference(&r.value, &span(r), crate::refs::Relation::Mentions)
            {
                Ok(r) => records.push(r),
                Err(d) => diagnostics.push(d),
            }
        }
        out.push(Specified {
            para,
            url: e.url.map(|u| u.value),
            text: e.text,
            records,
            reason: e.reason.filter(|r| !r.trim().is_empty()),
            span: span(&e.para),
        });
    }
    out
}

pub fn parse(
    files: &[SourceFile],
    root: &Path,
    base_url_override: Option<&str>,
) -> Result<SiteConfig, Vec<Diagnostic>> {
    let Some(file) = files.iter().find(|f| is_settings(f)) else {
        return Err(vec![
            Diagnostic::error(
                Some(Span::file(crate::load::display_path(root, "site.yaml"))),
                "there is no site.yaml",
            )
            .with_help("every site needs content/site.yaml with the organisation's name, base_url, contact, licence and accessibility statement; `plansite new DIR` writes one to start from"),
        ]);
    };
    let raw: Raw = decode_yaml(&file.text, &file.path, 1).map_err(|d| vec![d])?;
    let mut diagnostics = Vec::new();
    check_links(file, &raw, &mut diagnostics);
    let span = |v: &Spanned<String>| crate::load::span_of(&file.path, 1, &v.referenced);
    let mut date = |v: &Spanned<String>| -> Date {
        Date::parse(&v.value).unwrap_or_else(|| {
            diagnostics.push(
                Diagnostic::error(Some(span(v)), format!("`{}` is not a date", v.value))
                    .with_help("write dates as YYYY-MM-DD"),
            );
            Date::parse("2000-01-01").expect("valid date")
        })
    };
    let successor = raw.successor.map(|s| Successor {
        body: s.body,
        date: date(&s.date),
        url: s.url,
    });
    let accessibility = Accessibility {
        compliance: raw.accessibility.compliance,
        non_accessible: raw.accessibility.non_accessible,
        disproportionate_burden: raw.accessibility.disproportionate_burden,
        not_in_scope: raw.accessibility.not_in_scope,
        response_days: raw.accessibility.response_days,
        prepared: date(&raw.accessibility.prepared),
        reviewed: date(&raw.accessibility.reviewed),
        reviewed_span: span(&raw.accessibility.reviewed),
        tested_by: raw.accessibility.tested_by,
    };
    let base_url_text = base_url_override.unwrap_or(&raw.base_url.value);
    if !(base_url_text.starts_with("https://") || base_url_text.starts_with("http://")) {
        let at = if base_url_override.is_some() {
            None
        } else {
            Some(span(&raw.base_url))
        };
        diagnostics.push(
            Diagnostic::error(at, format!("base_url `{base_url_text}` is not an http(s) address"))
                .with_help("give the full address the site will be published at, e.g. https://www.example-pcc.gov.uk/police-and-crime-plan/"),
        );
    }
    let grades = scale(
        raw.grades,
        "grade",
        "give each grade its own id in lower case letters, digits and `-`, e.g. `green`; the reports name grades by id",
        &span,
        &mut diagnostics,
    );
    let commitment_statuses = match raw.commitment_statuses {
        Some(raw) => scale(
            raw,
            "status",
            "give each status its own id in lower case letters, digits and `-`, e.g. `in-progress`; commitments name statuses by id",
            &span,
            &mut diagnostics,
        ),
        None => DEFAULT_STATUSES
            .iter()
            .map(|(id, label)| Grade {
                id: id.to_string(),
                label: label.to_string(),
                meaning: None,
            })
            .collect(),
    };
    let specified_information = raw
        .specified_information
        .map(|entries| specified(entries, &span, &mut diagnostics));
    let mut base_url = base_url_text.to_string();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let (branding, d) = crate::branding::check(raw.branding, &file.path);
    diagnostics.extend(d);
    let mut refs = Vec::new();
    let home_intro = raw.home_intro.map(|t| {
        // The block scalar starts on the line after `home_intro: |`.
        let line = file
            .text
            .lines()
            .position(|l| l.starts_with("home_intro:"))
            .map(|i| i as u32 + 2)
            .unwrap_or(1);
        let origin = crate::text::Origin {
            file: file.path.clone(),
            line,
            col: 3,
        };
        let (rendered, d) = markdown::render(&t, &origin, Settings::default());
        let allowed = raw.markdown.raw_html == RawHtml::Allow;
        diagnostics.extend(
            d.into_iter()
                .filter(|d| !(allowed && d.waived_by.is_some())),
        );
        refs = rendered.refs;
        rendered.html
    });
    if let Some(entries) = &specified_information {
        refs.extend(entries.iter().flat_map(|e| e.records.iter().cloned()));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    Ok(SiteConfig {
        title: raw.title,
        organisation: raw.organisation,
        office_title: raw.office_title,
        base_url,
        language: raw.language,
        contact: raw.contact,
        licence: raw.licence,
        successor,
        accessibility,
        home_intro,
        header_links: raw
            .header_links
            .into_iter()
            .map(RawLink::into_link)
            .collect(),
        footer_links: raw
            .footer_links
            .into_iter()
            .map(RawLink::into_link)
            .collect(),
        markdown: raw.markdown,
        file: file.path.clone(),
        branding,
        refs,
        search_synonyms: raw.search_synonyms,
        decision_numbers: raw.decision_numbers,
        grades,
        commitment_statuses,
        transparency: specified_information.is_some(),
        labels: raw.labels,
        specified_information,
    })
}
