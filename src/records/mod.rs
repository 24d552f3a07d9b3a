//! Stage 2: typed records. One module per kind turns a source file into its
//! record(s). Parsing never touches the filesystem: it works on the
//! `SourceFile`s the loader read. Confidential bodies are dropped here, so no
//! later stage can leak them.

/// `Record::meta` (and, for tests, `meta_mut`) of a kind that keeps its
/// common part in a field named `meta`, as every kind does.
macro_rules! meta_field {
    () => {
        fn meta(&self) -> &Meta {
            &self.meta
        }
        #[cfg(test)]
        fn meta_mut(&mut self) -> &mut Meta {
            &mut self.meta
        }
    };
}

pub mod annual_report;
pub mod budget;
pub mod commitment;
pub mod decision;
pub mod document;
pub mod grants;
pub mod meeting;
pub mod metric;
pub mod page;
pub mod panel;
pub mod paper;
pub mod performance;
pub mod plan;
pub mod precept;
pub mod register;
pub mod registry;
pub mod response;
pub mod totals;
pub mod variation;

use std::path::{Path, PathBuf};

use serde::{Serialize, Serializer};
use serde_saphyr::Spanned;

use crate::diagnostics::{Diagnostic, Span};
use crate::load::{
    FrontMatter, SourceFile, decode_yaml, scalar_origin, span_of, split_front_matter,
};
use crate::markdown::{self, Rendered, Settings};
use crate::refs::{Ref, Relation, parse_reference, typed_reference};
use crate::types::{Date, Decimal, Kind, Money, MoneyUnit, PERIOD_FORMS, Period, valid_id};

pub use annual_report::AnnualReport;
pub use budget::Budget;
pub use commitment::Commitment;
pub use decision::Decision;
pub use document::Document;
pub use grants::{GrantRow, GrantsTable};
pub use meeting::Meeting;
pub use metric::Metric;
pub use page::Page;
pub use panel::PanelDoc;
pub use paper::Paper;
pub use performance::PerformanceReport;
pub use plan::{Plan, Section};
pub use precept::Precept;
pub use register::Register;
pub use registry::{Parsed, Record, Records};
pub use response::Response;
pub use variation::Variation;

/// What every record has.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub kind: Kind,
    pub kind_label: &'static str,
    /// The key the record is addressed by: its id, a decision's normalised
    /// number, `plan/section` or `table/row`.
    pub key: String,
    pub title: String,
    /// Site-root-relative URL, e.g. `decisions/004-2014/`.
    pub url: String,
    #[serde(skip)]
    pub file: PathBuf,
    #[serde(skip)]
    pub id_span: Span,
    pub draft: bool,
    /// Only its stub may be published (`Record::withhold`).
    #[serde(skip)]
    pub confidential: bool,
    /// Old addresses, each checked to stay inside the site (`claims`).
    pub aliases: Vec<String>,
    /// Where each alias is written, in the order of `aliases`.
    #[serde(skip)]
    pub alias_spans: Vec<Span>,
    pub updated: Option<Date>,
    /// What changed in the record and when, newest first (`changes:`).
    pub changes: Vec<Change>,
    /// Set when the record was withdrawn: its page stays, with a banner,
    /// but it leaves the lists.
    pub withdrawn: Option<Withdrawn>,
    /// Every reference this record makes, from fields and from Markdown.
    #[serde(skip)]
    pub refs: Vec<Ref>,
    /// Anchors a reference may point at: `para-N`, `rec-X`, heading ids.
    #[serde(skip)]
    pub anchors: Vec<String>,
}

impl Meta {
    pub fn new(kind: Kind, key: String, title: String, file: &Path, id_span: Span) -> Meta {
        Meta {
            kind,
            kind_label: kind.label(),
            url: url_for(kind, &key),
            key,
            title,
            file: file.to_path_buf(),
            id_span,
            draft: false,
            confidential: false,
            aliases: Vec::new(),
            alias_spans: Vec::new(),
            updated: None,
            changes: Vec::new(),
            withdrawn: None,
            refs: Vec::new(),
            anchors: Vec::new(),
        }
    }

    /// When the record was last changed, as its source states: the newest
    /// of `changes:` and `updated:`, or `None`.
    pub fn last_updated(&self) -> Option<Date> {
        self.changes.first().map(|c| c.date).max(self.updated)
    }

    /// The newest date the record's history states: its last update or
    /// its withdrawal.
    pub fn history_latest(&self) -> Option<Date> {
        self.last_updated()
            .max(self.withdrawn.as_ref().map(|w| w.date))
    }
}

/// One entry of a record's `changes:`: the date and what changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: Date,
    pub note: String,
    /// `change-<date>-<n>`, the n-th change of that day (1 for the first
    /// written): the anchor on the page and the end of the feed entry's
    /// id, so an entry keeps its id when later changes are added.
    pub anchor: String,
    #[serde(skip)]
    pub span: Span,
}

/// A record's `withdrawn:`: when and why.
#[derive(Debug, Clone, Serialize)]
pub struct Withdrawn {
    pub date: Date,
    pub reason: String,
    #[serde(skip)]
    pub span: Span,
}

/// `changes:` as written: `- {date: YYYY-MM-DD, note: "…"}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    date: Spanned<String>,
    note: Spanned<String>,
}

/// `withdrawn:` as written: `{date: YYYY-MM-DD, reason: "…"}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWithdrawn {
    date: Spanned<String>,
    reason: Spanned<String>,
}

/// The permanent address of a record, keyed by id, never by title.
pub fn url_for(kind: Kind, key: &str) -> String {
    format!("{}{key}/", kind.info().prefix)
}

/// Markdown held by a record: HTML (with reference placeholders until the
/// link stage resolves them) and plain text for search.
#[derive(Debug, Clone, Default)]
pub struct Md {
    pub html: String,
    pub text: String,
    pub headings: Vec<markdown::Heading>,
}

impl Serialize for Md {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}

impl Md {
    /// Lets the HTML go once the pages showing it are written: what runs
    /// after rendering (search, exports) reads the plain text only.
    pub fn drop_html(&mut self) {
        self.html = String::new();
    }

    /// For one-line texts shown inline: the HTML without its `<p>` wrapper.
    pub fn inline_html(&self) -> &str {
        let t = self.html.trim();
        match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
            Some(inner) if !inner.contains("<p>") => inner,
            _ => t,
        }
    }
}

/// Shared state while parsing one file: where YAML starts, and the
/// diagnostics found so far.
pub struct Cx<'a> {
    pub file: &'a Path,
    pub yaml_line: u32,
    pub diagnostics: Vec<Diagnostic>,
    pub refs: Vec<Ref>,
    pub anchors: Vec<String>,
}

impl<'a> Cx<'a> {
    pub fn new(file: &'a Path, yaml_line: u32) -> Cx<'a> {
        Cx {
            file,
            yaml_line,
            diagnostics: Vec::new(),
            refs: Vec::new(),
            anchors: Vec::new(),
        }
    }

    pub fn span(&self, value: &Spanned<impl Sized>) -> Span {
        span_of(self.file, self.yaml_line, &value.referenced)
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(Some(span), message).with_help(help));
    }

    /// A link to a document elsewhere (`crate::safe::url_problem`): the
    /// address trimmed, or an error at its place and `None`.
    pub fn url(&mut self, value: &Spanned<String>) -> Option<String> {
        let url = value.value.trim();
        if let Some(problem) = crate::safe::url_problem(url) {
            let span = self.span(value);
            self.error(span, problem, crate::safe::URL_HELP);
            return None;
        }
        Some(url.to_string())
    }

    pub fn date(&mut self, field: &Option<Spanned<String>>) -> Option<Date> {
        let value = field.as_ref()?;
        match Date::parse(&value.value) {
            Some(d) => Some(d),
            None => {
                let span = self.span(value);
                self.error(
                    span,
                    format!("`{}` is not a date", value.value),
                    "write dates as YYYY-MM-DD, e.g. 2014-03-05",
                );
                None
            }
        }
    }

    /// A reporting period (`2023/24 Q3`, `March 2024`, …); one that does not
    /// parse is an error at its place, its help saying `write WHAT as …`.
    pub fn period(&mut self, value: &Spanned<String>, what: &str) -> Option<Period> {
        let period = Period::parse(&value.value);
        if period.is_none() {
            let span = self.span(value);
            self.error(
                span,
                format!("`{}` is not a period", value.value),
                format!("write {what} as {PERIOD_FORMS}"),
            );
        }
        period
    }

    pub fn id(&mut self, value: &Spanned<String>) -> String {
        if !valid_id(&value.value) {
            let span = self.span(value);
            self.error(
                span,
                format!("`{}` is not a valid id", value.value),
                "ids use lower case letters, digits, `-` and `.` only, e.g. `rebuild-community-policing`; they become the record's permanent address",
            );
        }
        value.value.clone()
    }

    /// An amount of money written in `unit`, or a located error: not a
    /// number (with `missing`, how to say the source states none), or past
    /// £1 trillion, where a figure is a slip and sums of such figures could
    /// overflow.
    pub fn amount(
        &mut self,
        value: &Spanned<String>,
        unit: MoneyUnit,
        what: &str,
        missing: &str,
    ) -> Option<Decimal> {
        let text = value.value.trim().trim_start_matches('£');
        let Some(amount) = Decimal::parse(text) else {
            let span = self.span(value);
            self.error(
                span,
                format!("{what} `{}` is not an amount", value.value),
                format!(
                    "write amounts as numbers in the table's unit, e.g. 3863 or 3,863; {missing}"
                ),
            );
            return None;
        };
        if (Money { amount, unit }).too_large() {
            let span = self.span(value);
            self.error(
                span,
                format!(
                    "{what} `{}` ({}) is more than £1 trillion",
                    value.value,
                    unit.label()
                ),
                "check the figure and the table's `unit:` (an amount in £000s is written in thousands: 3,863 for £3,863,000)",
            );
            return None;
        }
        Some(amount)
    }

    /// Markdown held in a YAML field.
    pub fn markdown(&mut self, field: &Option<Spanned<String>>, settings: Settings) -> Option<Md> {
        let value = field.as_ref()?;
        let origin = scalar_origin(self.file, self.yaml_line, &value.referenced);
        Some(self.render(&value.value, &origin, settings))
    }

    /// A Markdown body.
    pub fn body(&mut self, text: &str, first_line: u32, settings: Settings) -> Option<Md> {
        if text.trim().is_empty() {
            return None;
        }
        let origin = crate::text::Origin {
            file: self.file.to_path_buf(),
            line: first_line,
            col: 1,
        };
        Some(self.render(text, &origin, settings))
    }

    fn render(&mut self, text: &str, origin: &crate::text::Origin, settings: Settings) -> Md {
        let (rendered, diagnostics) = markdown::render(text, origin, settings);
        self.diagnostics.extend(diagnostics);
        self.absorb(rendered)
    }

    /// Takes the references and anchors of rendered Markdown.
    fn absorb(&mut self, rendered: Rendered) -> Md {
        self.refs.extend(rendered.refs);
        self.anchors.extend(rendered.anchors);
        Md {
            html: rendered.html,
            text: rendered.text,
            headings: rendered.headings,
        }
    }

    /// A bare id of a known kind, from a YAML field.
    pub fn typed(&mut self, kind: Kind, value: &Spanned<String>, relation: Relation) -> Ref {
        let r = typed_reference(kind, &value.value, self.span(value), relation);
        self.refs.push(r.clone());
        r
    }

    /// The plan section (and subsection anchor) a record sits in.
    pub fn section_ref(
        &mut self,
        plan: &Spanned<String>,
        section: &Spanned<String>,
        subsection: Option<&Spanned<String>>,
    ) -> Ref {
        let key = format!("{}/{}", plan.value, section.value);
        let mut r = typed_reference(Kind::Section, &key, self.span(section), Relation::PartOf);
        if let Some(sub) = subsection {
            r.target.fragment = Some(sub.value.clone());
            r.span = self.span(sub);
        }
        self.refs.push(r.clone());
        r
    }

    pub fn typed_all(
        &mut self,
        kind: Kind,
        values: &[Spanned<String>],
        relation: Relation,
    ) -> Vec<Ref> {
        values
            .iter()
            .map(|v| self.typed(kind, v, relation))
            .collect()
    }

    /// A reference written `kind id` in a YAML field.
    pub fn reference(&mut self, value: &Spanned<String>, relation: Relation) -> Option<Ref> {
        let text = value
            .value
            .trim()
            .trim_start_matches("[[")
            .trim_end_matches("]]");
        match parse_reference(text, &self.span(value), relation) {
            Ok(r) => {
                self.refs.push(r.clone());
                Some(r)
            }
            Err(d) => {
                self.diagnostics.push(d);
                None
            }
        }
    }

    pub fn related(&mut self, values: &[Spanned<String>]) -> Vec<Ref> {
        values
            .iter()
            .filter_map(|v| self.reference(v, Relation::Mentions))
            .collect()
    }

    /// A record's `changes:`, newest first whatever order they are
    /// written in (changes of one day keep their written order); a bad
    /// date is an error at its place.
    fn changes(&mut self, raw: &[RawChange]) -> Vec<Change> {
        let mut out: Vec<Change> = Vec::new();
        for c in raw {
            let span = self.span(&c.date);
            let Some(date) = self.date(&Some(c.date.clone())) else {
                continue;
            };
            let note = c.note.value.trim().to_string();
            if note.is_empty() {
                let at = self.span(&c.note);
                self.error(
                    at,
                    "this change has no note",
                    "say in a few words what changed, e.g. `note: \"Corrected the amount in paragraph 4\"`",
                );
            }
            let n = out.iter().filter(|x| x.date == date).count() + 1;
            out.push(Change {
                date,
                note,
                anchor: format!("change-{}-{n}", date.iso()),
                span,
            });
        }
        // Stable: changes of one day stay in the order written.
        out.sort_by_key(|c| std::cmp::Reverse(c.date));
        out
    }

    /// Fills in what every record has and hands over references and anchors.
    pub fn finish_meta(&mut self, meta: &mut Meta, common: &Common) {
        meta.draft = common.draft;
        for alias in &common.aliases {
            let span = self.span(alias);
            match crate::claims::alias_problem(&alias.value) {
                None => {
                    meta.aliases.push(alias.value.clone());
                    meta.alias_spans.push(span);
                }
                Some(problem) => self.error(
                    span,
                    format!("the alias `{}` {problem}", alias.value),
                    crate::claims::ALIAS_HELP,
                ),
            }
        }
        meta.updated = self.date(&common.updated);
        meta.changes = self.changes(&common.changes);
        meta.withdrawn = common.withdrawn.as_ref().and_then(|w| {
            let span = self.span(&w.date);
            let date = self.date(&Some(w.date.clone()))?;
            let reason = w.reason.value.trim().to_string();
            if reason.is_empty() {
                let at = self.span(&w.reason);
                self.error(
                    at,
                    "this withdrawal gives no reason",
                    "say why the record was withdrawn, e.g. `reason: \"Replaced by decision 012/2025\"`; the page shows it in its banner",
                );
            }
            Some(Withdrawn { date, reason, span })
        });
        let related = self.related(&common.related);
        drop(related);
        meta.refs.append(&mut self.refs);
        meta.anchors.append(&mut self.anchors);
    }
}

/// The fields every kind accepts; each kind's front-matter struct embeds
/// these by name (serde's `flatten` would lose positions).
#[derive(Debug, Default)]
pub struct Common {
    pub draft: bool,
    pub aliases: Vec<Spanned<String>>,
    pub updated: Option<Spanned<String>>,
    pub changes: Vec<RawChange>,
    pub withdrawn: Option<RawWithdrawn>,
    pub related: Vec<Spanned<String>>,
}

/// A Markdown file's front matter decoded into `T`, with its body.
pub fn front_matter<'f, T: serde::de::DeserializeOwned>(
    file: &'f SourceFile,
) -> Result<(T, FrontMatter<'f>), Diagnostic> {
    let fm = split_front_matter(file)?;
    let value = decode_yaml::<T>(fm.yaml, &file.path, fm.yaml_line)?;
    Ok((value, fm))
}

/// Parses one content file by where it sits. What a confidential record
/// may not publish is withheld here, for every kind (`Record::withhold`).
pub fn parse_file(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (mut parsed, mut diagnostics) = parse_by_place(file);
    diagnostics.extend(history_before_date(&parsed));
    parsed.withhold_confidential();
    (parsed, diagnostics)
}

/// A warning for each change or withdrawal dated before the record's own
/// date: a record cannot change before it exists, so one of the dates is
/// likely a slip. A warning, not an error, because sources do sometimes
/// date a correction oddly and the site must still say what they say.
fn history_before_date(parsed: &Parsed) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (meta, date) in parsed.dated() {
        let Some(own) = date else { continue };
        let dated = meta
            .changes
            .iter()
            .map(|c| ("change", c.date, &c.span))
            .chain(
                meta.withdrawn
                    .iter()
                    .map(|w| ("withdrawal", w.date, &w.span)),
            );
        for (what, when, span) in dated.filter(|(_, when, _)| *when < own) {
            out.push(
                Diagnostic::warning(
                    Some(span.clone()),
                    format!(
                        "this {what} is dated {}, before the record's own date ({})",
                        when.long(),
                        own.long()
                    ),
                )
                .with_help("check both dates against the source: a record is changed or withdrawn after the date it carries"),
            );
        }
    }
    out
}

fn parse_by_place(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let top = file.top_folder().unwrap_or("");
    let ext = file.extension();
    let unexpected = |what: &str| {
        (
            Parsed::Nothing,
            vec![
                Diagnostic::error(
                    Some(Span::file(&file.path)),
                    format!("plansite does not know what to do with {what}"),
                )
                .with_help(
                    "records go in content/plans, variations, commitments, metrics, grants, budgets, decisions, panel, responses, papers, meetings, precepts, annual-reports, performance, documents or pages (see docs/content.md); start a file name with `_` to keep it out of the site",
                ),
            ],
        )
    };
    match (top, ext) {
        ("", "yaml" | "yml") if file.stem() == "site" => (Parsed::Nothing, Vec::new()),
        ("plans", "yaml" | "yml") if file.stem() == "plan" => plan::parse_plan(file),
        ("plans", "md") => plan::parse_section(file),
        ("variations", "md") => variation::parse(file),
        ("commitments", "yaml" | "yml") => commitment::parse(file),
        ("metrics", "yaml" | "yml") => metric::parse(file),
        ("metrics", "csv") => metric::parse_series(file),
        ("grants", "yaml" | "yml") => grants::parse(file),
        ("decisions", "md") => decision::parse(file),
        ("decisions", "yaml" | "yml") => register::parse(file),
        ("panel", "md") => panel::parse(file),
        ("responses", "md") => response::parse(file),
        ("papers", "md") => paper::parse(file),
        ("pages", "md") => page::parse(file),
        ("meetings", "md") => meeting::parse(file),
        ("precepts", "md") => precept::parse(file),
        ("budgets", "yaml" | "yml") => budget::parse(file),
        ("annual-reports", "md") => annual_report::parse(file),
        ("performance", "md") => performance::parse(file),
        ("documents", "yaml" | "yml") => document::parse(file),
        (_, "png" | "jpg" | "jpeg" | "svg" | "gif" | "webp" | "pdf") => {
            (Parsed::Nothing, Vec::new())
        }
        _ => unexpected(&format!("`{}`", file.path.display())),
    }
}

/// Decodes a YAML file that holds a list of records one item at a time,
/// so that one bad item does not hide the others or their errors. Items
/// are the block-style entries starting with `- ` at the left margin.
pub fn decode_list<T: serde::de::DeserializeOwned>(file: &SourceFile) -> (Vec<T>, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut diagnostics = Vec::new();
    let chunks = list_chunks(&file.text);
    if chunks.is_empty() {
        // Not block style (or empty): decode the whole file.
        match decode_yaml::<Vec<T>>(&file.text, &file.path, 1) {
            Ok(v) => items = v,
            Err(d) => diagnostics.push(d),
        }
        return (items, diagnostics);
    }
    for (first_line, chunk) in chunks {
        match decode_yaml::<Vec<T>>(chunk, &file.path, first_line) {
            Ok(v) => items.extend(v),
            Err(d) => diagnostics.push(d),
        }
    }
    (items, diagnostics)
}

/// Splits a block-style YAML list into its items with their first line.
fn list_chunks(text: &str) -> Vec<(u32, &str)> {
    let mut starts: Vec<(u32, usize)> = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with("- ") || line.trim_end() == "-" {
            starts.push((i as u32 + 1, offset));
        } else if !starts.is_empty() || line.trim().is_empty() || line.trim_start().starts_with('#')
        {
            // inside an item, or leading blank and comment lines
        } else {
            // Something other than a list item at the top: not block style.
            return Vec::new();
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(k, (line, start))| {
            let end = starts.get(k + 1).map(|(_, s)| *s).unwrap_or(text.len());
            (*line, &text[*start..end])
        })
        .collect()
}

/// Ids named in a file that failed to parse: references to them are not
/// reported again, so one typo gives one error, not a cascade.
pub fn salvage_keys(file: &SourceFile) -> Vec<String> {
    file.text
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            let (field, value) = l.split_once(':')?;
            matches!(field.trim(), "id" | "number").then(|| {
                let v = value.trim().trim_matches('"').trim_matches('\'');
                crate::refs::key_for(
                    if field.trim() == "number" {
                        Kind::Decision
                    } else {
                        Kind::Page
                    },
                    v,
                )
            })
        })
        .collect()
}

/// serde default helper.
pub fn yes() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_of(yaml: &str) -> (Option<String>, Vec<Diagnostic>) {
        let value: Spanned<String> = serde_saphyr::from_str(yaml).unwrap();
        let mut cx = Cx::new(Path::new("content/x.yaml"), 1);
        let url = cx.url(&value);
        (url, cx.diagnostics)
    }

    #[test]
    fn a_link_is_trimmed_and_a_script_address_is_an_error_at_its_place() {
        let (url, diagnostics) = url_of("\" https://example.org/report.pdf \"");
        assert_eq!(url.as_deref(), Some("https://example.org/report.pdf"));
        assert!(diagnostics.is_empty());

        let (url, diagnostics) = url_of("\"javascript:alert(1)\"");
        assert_eq!(url, None);
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].is_error());
        assert_eq!(diagnostics[0].help.as_deref(), Some(crate::safe::URL_HELP));
        assert!(diagnostics[0].span.as_ref().is_some_and(|s| s.line == 1));
    }
}
