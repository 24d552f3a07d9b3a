//! Stage 3: the site graph. Parsed records are registered by kind and key,
//! every reference is checked (with "did you mean" for the misses), and
//! backlinks are gathered for each record's page.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::claims::{self, Claimant, Claims};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Span, did_you_mean};
use crate::load::SourceFile;
use crate::records::{self, Meta, Parsed, Records};
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind};

/// What a reference can resolve to.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub kind: Kind,
    pub kind_label: &'static str,
    pub key: String,
    pub title: String,
    pub url: String,
    pub number: Option<String>,
    pub date: Option<Date>,
    #[serde(skip)]
    pub anchors: BTreeSet<String>,
    #[serde(skip)]
    pub file: PathBuf,
}

impl Entry {
    /// How a link to this record reads: "Decision 004/2014: Title".
    pub fn link_text(&self) -> String {
        match &self.number {
            Some(n) => format!("{} {n}: {}", self.kind_label, self.title),
            None => self.title.clone(),
        }
    }
}

/// A record that refers to another, listed on the other's page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub heading: String,
    pub kind: Kind,
    pub title: String,
    pub url: String,
    pub number: Option<String>,
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub records: Records,
    pub entries: HashMap<(Kind, String), Entry>,
    pub backlinks: HashMap<(Kind, String), Vec<Backlink>>,
    pub timelines: HashMap<(Kind, String), crate::checks::Timeline>,
    /// Who publishes each output path (`crate::claims`).
    pub claims: Claims,
}

impl Site {
    pub fn entry(&self, kind: Kind, key: &str) -> Option<&Entry> {
        self.entries.get(&(kind, key.to_string()))
    }

    pub fn backlinks_of(&self, meta: &Meta) -> &[Backlink] {
        self.backlinks
            .get(&(meta.kind, meta.key.clone()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// Parses every file (in parallel) into records; drafts are dropped here
/// unless asked for, so no later stage sees them.
pub fn parse_all(files: &[SourceFile], include_drafts: bool) -> (Records, Vec<Diagnostic>) {
    let parsed: Vec<(Parsed, Vec<Diagnostic>)> =
        files.par_iter().map(records::parse_file).collect();
    let mut r = Records::default();
    let mut diagnostics = Vec::new();
    let mut series = Vec::new();
    for (file, (p, d)) in files.iter().zip(parsed) {
        if d.iter().any(Diagnostic::is_error) {
            r.broken_keys.extend(records::salvage_keys(file));
        }
        diagnostics.extend(d);
        if let Some(s) = r.add(p) {
            series.push(s);
        }
    }
    diagnostics.extend(attach_series(&mut r.metrics, series));
    if !include_drafts {
        r.retain_published();
    }
    r.sort();
    (r, diagnostics)
}

/// Gives each metric the series read from its CSV file (the last one wins
/// when two files name one metric); a series without its metric is an error.
pub fn attach_series(
    metrics: &mut [crate::records::Metric],
    series: impl IntoIterator<Item = crate::records::metric::Series>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for s in series {
        match metrics.iter_mut().find(|m| m.meta.key == s.metric) {
            Some(m) => m.series = s.points,
            None => {
                let ids: Vec<&str> = metrics.iter().map(|m| m.meta.key.as_str()).collect();
                let mut d = Diagnostic::error(
                    Some(Span::file(&s.file)),
                    format!("there is no metric `{}` for this series", s.metric),
                );
                d = d.with_help(
                    did_you_mean(&s.metric, ids)
                        .map(|h| format!("{h} A series file is named after its metric's id."))
                        .unwrap_or_else(|| {
                            "name a series file after its metric's id: metrics/series/<id>.csv"
                                .into()
                        }),
                );
                diagnostics.push(d);
            }
        }
    }
    diagnostics
}

impl Records {
    /// Files one parsed file's records under their kind; a metric series is
    /// handed back, to be attached once every metric is known.
    pub fn add(&mut self, parsed: Parsed) -> Option<crate::records::metric::Series> {
        match parsed {
            Parsed::Plan(x) => self.plans.push(*x),
            Parsed::Section(x) => self.sections.push(*x),
            Parsed::Variation(x) => self.variations.push(*x),
            Parsed::Commitments(x) => self.commitments.extend(x),
            Parsed::Metrics(x) => self.metrics.extend(x),
            Parsed::Series(x) => return Some(x),
            Parsed::Grants(x) => self.grants.push(*x),
            Parsed::Decision(x) => self.decisions.push(*x),
            Parsed::Panel(x) => self.panel.push(*x),
            Parsed::Response(x) => self.responses.push(*x),
            Parsed::Paper(x) => self.papers.push(*x),
            Parsed::Page(x) => self.pages.push(*x),
            Parsed::Nothing => {}
        }
        None
    }

    /// Drops every record that came from `file` (serve's incremental
    /// rebuild, before adding the file's records again).
    pub fn remove_file(&mut self, file: &std::path::Path) {
        self.plans.retain(|x| x.meta.file != file);
        self.sections.retain(|x| x.meta.file != file);
        self.variations.retain(|x| x.meta.file != file);
        self.commitments.retain(|x| x.meta.file != file);
        self.metrics.retain(|x| x.meta.file != file);
        self.grants.retain(|x| x.meta.file != file);
        self.decisions.retain(|x| x.meta.file != file);
        self.panel.retain(|x| x.meta.file != file);
        self.responses.retain(|x| x.meta.file != file);
        self.papers.retain(|x| x.meta.file != file);
        self.pages.retain(|x| x.meta.file != file);
    }

    /// Moves the drafts out, so that records can be linked again without
    /// them and put back when a file changes (serve).
    pub fn take_drafts(&mut self) -> Records {
        fn split<T>(items: &mut Vec<T>, draft: impl Fn(&T) -> bool) -> Vec<T> {
            // Usually there is none: leave thousands of records where they are.
            if !items.iter().any(&draft) {
                return Vec::new();
            }
            let (drafts, published): (Vec<T>, Vec<T>) =
                std::mem::take(items).into_iter().partition(draft);
            *items = published;
            drafts
        }
        Records {
            plans: split(&mut self.plans, |x| x.meta.draft),
            sections: split(&mut self.sections, |x| x.meta.draft),
            variations: split(&mut self.variations, |x| x.meta.draft),
            commitments: split(&mut self.commitments, |x| x.meta.draft),
            metrics: split(&mut self.metrics, |x| x.meta.draft),
            grants: split(&mut self.grants, |x| x.meta.draft),
            decisions: split(&mut self.decisions, |x| x.meta.draft),
            panel: split(&mut self.panel, |x| x.meta.draft),
            responses: split(&mut self.responses, |x| x.meta.draft),
            papers: split(&mut self.papers, |x| x.meta.draft),
            pages: split(&mut self.pages, |x| x.meta.draft),
            broken_keys: Default::default(),
        }
    }

    /// Puts records taken out by `take_drafts` back.
    pub fn absorb(&mut self, other: Records) {
        self.plans.extend(other.plans);
        self.sections.extend(other.sections);
        self.variations.extend(other.variations);
        self.commitments.extend(other.commitments);
        self.metrics.extend(other.metrics);
        self.grants.extend(other.grants);
        self.decisions.extend(other.decisions);
        self.panel.extend(other.panel);
        self.responses.extend(other.responses);
        self.papers.extend(other.papers);
        self.pages.extend(other.pages);
    }

    /// Undoes what linking wrote into records (section order, the answers
    /// attached to Panel recommendations), so that records linked once can
    /// be linked again and give what a fresh parse would.
    pub fn unlink(&mut self) {
        for s in &mut self.sections {
            s.order = 0;
        }
        for p in &mut self.panel {
            for rec in &mut p.recommendations {
                rec.answers.clear();
            }
        }
    }

    fn retain_published(&mut self) {
        self.plans.retain(|x| !x.meta.draft);
        self.sections.retain(|x| !x.meta.draft);
        self.variations.retain(|x| !x.meta.draft);
        self.commitments.retain(|x| !x.meta.draft);
        self.metrics.retain(|x| !x.meta.draft);
        self.grants.retain(|x| !x.meta.draft);
        self.decisions.retain(|x| !x.meta.draft);
        self.panel.retain(|x| !x.meta.draft);
        self.responses.retain(|x| !x.meta.draft);
        self.papers.retain(|x| !x.meta.draft);
        self.pages.retain(|x| !x.meta.draft);
    }

    /// A fixed order whatever order files were read or parsed in.
    pub fn sort(&mut self) {
        self.plans.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
        self.sections.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
        self.variations.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
        self.commitments
            .sort_by(|a, b| (&a.meta.file, a.order).cmp(&(&b.meta.file, b.order)));
        self.metrics
            .sort_by(|a, b| (&a.meta.file, a.order).cmp(&(&b.meta.file, b.order)));
        self.grants.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
        self.decisions
            .sort_by(|a, b| (b.date(), &b.meta.key).cmp(&(a.date(), &a.meta.key)));
        self.panel
            .sort_by(|a, b| (b.date, &b.meta.key).cmp(&(a.date, &a.meta.key)));
        self.responses
            .sort_by(|a, b| (b.date, &b.meta.key).cmp(&(a.date, &a.meta.key)));
        self.papers
            .sort_by(|a, b| (b.date, &b.meta.key).cmp(&(a.date, &a.meta.key)));
        self.pages.sort_by(|a, b| a.meta.key.cmp(&b.meta.key));
    }

    /// Every record's common part, grant rows included.
    pub fn metas(&self) -> Vec<&Meta> {
        let mut out: Vec<&Meta> = Vec::new();
        out.extend(self.plans.iter().map(|x| &x.meta));
        out.extend(self.sections.iter().map(|x| &x.meta));
        out.extend(self.variations.iter().map(|x| &x.meta));
        out.extend(self.commitments.iter().map(|x| &x.meta));
        out.extend(self.metrics.iter().map(|x| &x.meta));
        for g in &self.grants {
            out.push(&g.meta);
            out.extend(g.rows.iter().map(|r| &r.meta));
        }
        out.extend(self.decisions.iter().map(|x| &x.meta));
        out.extend(self.panel.iter().map(|x| &x.meta));
        out.extend(self.responses.iter().map(|x| &x.meta));
        out.extend(self.papers.iter().map(|x| &x.meta));
        out.extend(self.pages.iter().map(|x| &x.meta));
        out
    }
}

/// Builds the graph and checks every reference.
pub fn link(config: SiteConfig, mut records: Records) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    order_sections(&mut records, &mut diagnostics);
    let (entries, claims) = register(&records, &mut diagnostics);
    let mut backlinks: HashMap<(Kind, String), Vec<Backlink>> = HashMap::new();
    for meta in records.metas() {
        for r in &meta.refs {
            match check_reference(&entries, meta, r) {
                // The target's own file failed to parse and was reported.
                Err(_)
                    if !entries.contains_key(&(r.target.kind, r.target.key.clone()))
                        && records.broken_keys.contains(&r.target.key) => {}
                Ok(Some(heading)) => {
                    let key = (r.target.kind, r.target.key.clone());
                    backlinks.entry(key).or_default().push(Backlink {
                        heading,
                        kind: meta.kind,
                        title: meta.title.clone(),
                        url: backlink_url(meta, r),
                        number: entries
                            .get(&(meta.kind, meta.key.clone()))
                            .and_then(|e| e.number.clone()),
                    });
                }
                Ok(None) => {}
                Err(d) => diagnostics.push(d),
            }
        }
    }
    for r in &config.refs {
        if !entries.contains_key(&(r.target.kind, r.target.key.clone())) {
            let candidates: Vec<&str> = entries
                .values()
                .filter(|e| e.kind == r.target.kind)
                .map(|e| e.number.as_deref().unwrap_or(&e.key))
                .collect();
            let mut d = Diagnostic::error(
                Some(r.span.clone()),
                format!(
                    "there is no {} `{}`",
                    r.target.kind.label().to_lowercase(),
                    r.target.written
                ),
            );
            if let Some(h) = did_you_mean(&r.target.written, candidates) {
                d = d.with_help(h);
            }
            diagnostics.push(d);
        }
    }
    for list in backlinks.values_mut() {
        list.sort();
        list.dedup();
    }
    let mut site = Site {
        config,
        records,
        entries,
        backlinks,
        timelines: HashMap::new(),
        claims,
    };
    diagnostics.extend(crate::checks::run(&mut site));
    (site, diagnostics)
}

/// The backlinks heading of the metrics that measure a commitment.
pub const MEASURES_HEADING: &str = "Metrics that measure it";

/// Sections take their order from their plan's `sections:` list; one that
/// is listed but missing, or present but unlisted, is an error.
fn order_sections(records: &mut Records, diagnostics: &mut Vec<Diagnostic>) {
    for plan in &records.plans {
        for (i, id) in plan.section_ids.iter().enumerate() {
            let key = format!("{}/{}", plan.meta.key, id.value);
            // One that is missing is reported as a broken reference from the plan.
            if let Some(s) = records.sections.iter_mut().find(|s| s.meta.key == key) {
                s.order = i;
            }
        }
    }
    for s in &records.sections {
        let listed = records.plans.iter().any(|p| {
            p.meta.key == s.plan && p.section_ids.iter().any(|id| id.value == s.section_id)
        });
        if !listed {
            diagnostics.push(
                Diagnostic::error(
                    Some(s.meta.id_span.clone()),
                    format!("section `{}` is not listed in its plan's `sections:`", s.section_id),
                )
                .with_help(format!(
                    "add `{}` to `sections:` in content/plans/{}/plan.yaml where it belongs in the plan's order",
                    s.section_id, s.plan
                )),
            );
        }
    }
    records
        .sections
        .sort_by(|a, b| (&a.plan, a.order).cmp(&(&b.plan, b.order)));
}

/// Registers every record under its kind and key, and claims every output
/// path: the built-in pages and data files first, then each record's page,
/// then each alias's redirect page (`crate::claims`).
fn register(
    records: &Records,
    diagnostics: &mut Vec<Diagnostic>,
) -> (HashMap<(Kind, String), Entry>, Claims) {
    let mut entries: HashMap<(Kind, String), Entry> = HashMap::new();
    let mut claims = Claims::built_in();
    let numbers: HashMap<&str, (&Option<String>, Option<Date>)> = records
        .decisions
        .iter()
        .map(|d| (d.meta.key.as_str(), (&d.number, d.date())))
        .collect();
    let metas = records.metas();
    for &meta in &metas {
        let (number, date) = match meta.kind {
            Kind::Decision => numbers
                .get(meta.key.as_str())
                .map(|(n, d)| ((*n).clone(), *d))
                .unwrap_or((None, None)),
            _ => (None, None),
        };
        let entry = Entry {
            kind: meta.kind,
            kind_label: meta.kind_label,
            key: meta.key.clone(),
            title: meta.title.clone(),
            url: meta.url.clone(),
            number,
            date,
            anchors: meta.anchors.iter().cloned().collect(),
            file: meta.file.clone(),
        };
        let who = Claimant::Record {
            kind: meta.kind,
            key: meta.key.clone(),
            title: meta.title.clone(),
            span: meta.id_span.clone(),
        };
        let path = claims::page_path(&meta.url);
        match claims.claim(path.clone(), who.clone()) {
            Ok(()) => {}
            Err((
                other_path,
                Claimant::Record {
                    kind, title, span, ..
                },
            )) if other_path == path => {
                let what = if meta.kind == Kind::Decision && *kind == Kind::Decision {
                    format!(
                        "two decisions have numbers that make the same address `{}`",
                        meta.url
                    )
                } else {
                    format!("two records have the same address `{}`", meta.url)
                };
                diagnostics.push(
                    Diagnostic::error(Some(meta.id_span.clone()), what).with_help(format!(
                        "the other is {span} ({title}); ids and decision numbers must be unique, so change one of them"
                    )),
                );
                continue;
            }
            Err((other_path, other)) => {
                diagnostics.push(claims::clash_diagnostic(&path, &who, &other_path, other));
                continue;
            }
        }
        entries.insert((meta.kind, meta.key.clone()), entry);
    }
    for meta in metas {
        for (alias, span) in meta.aliases.iter().zip(&meta.alias_spans) {
            let who = Claimant::Alias {
                alias: alias.clone(),
                owner: meta_owner(meta),
                span: span.clone(),
            };
            let path = claims::page_path(&claims::alias_url(alias));
            match claims.claim(path.clone(), who.clone()) {
                Ok(()) => {}
                // `/old` and `/old/` of one record share a redirect page
                // (`_redirects` lists both).
                Err((other_path, Claimant::Alias { owner, .. }))
                    if other_path == path && meta_owner(meta) == *owner => {}
                Err((other_path, other)) => {
                    diagnostics.push(claims::clash_diagnostic(&path, &who, &other_path, other));
                }
            }
        }
    }
    (entries, claims)
}

/// How an alias's record reads in an error: "page `about`".
fn meta_owner(meta: &Meta) -> String {
    format!("{} `{}`", meta.kind.label().to_lowercase(), meta.key)
}

/// Checks one reference; returns the backlink heading it files under on the
/// target's page (or `None` when it is not listed as a backlink).
fn check_reference(
    entries: &HashMap<(Kind, String), Entry>,
    source: &Meta,
    r: &Ref,
) -> Result<Option<String>, Diagnostic> {
    let target = &r.target;
    let Some(entry) = entries.get(&(target.kind, target.key.clone())) else {
        // A background paper may cite a decision the site does not hold: it
        // is shown as "not published on this site", not as a broken link.
        if r.relation == Relation::Cites {
            return Ok(None);
        }
        let candidates: Vec<&str> = entries
            .values()
            .filter(|e| e.kind == target.kind)
            .map(|e| e.number.as_deref().unwrap_or(e.key.as_str()))
            .collect();
        let message = format!(
            "there is no {} `{}`",
            target.kind.label().to_lowercase(),
            target.written
        );
        let help = did_you_mean(&target.written, candidates.iter().copied()).unwrap_or_else(|| {
            if candidates.is_empty() {
                format!(
                    "the site has no {} yet",
                    target.kind.plural_label().to_lowercase()
                )
            } else {
                format!(
                    "no {} has a similar id; check the spelling, or add the record",
                    target.kind.label().to_lowercase()
                )
            }
        });
        return Err(Diagnostic::error(Some(r.span.clone()), message).with_help(help));
    };
    if let Some(fragment) = &target.fragment
        && !entry.anchors.contains(fragment)
    {
        let anchors: Vec<&str> = entry.anchors.iter().map(String::as_str).collect();
        let what = if let Some(n) = fragment.strip_prefix("para-") {
            format!("{} has no paragraph {n}", entry.link_text())
        } else if let Some(rec) = fragment.strip_prefix("rec-") {
            format!("{} has no recommendation `{rec}`", entry.title)
        } else {
            format!("{} has no part `#{fragment}`", entry.link_text())
        };
        let help = did_you_mean(fragment, anchors.iter().copied()).unwrap_or_else(|| {
            if anchors.is_empty() {
                "it has no numbered paragraphs, recommendations or headings to link to".into()
            } else {
                format!(
                    "its anchors include {}",
                    anchors
                        .iter()
                        .take(6)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        });
        return Err(Diagnostic::error(Some(r.span.clone()), what).with_help(help));
    }
    if source.kind == target.kind && source.key == target.key {
        return Ok(None);
    }
    Ok(backlink_heading(r.relation, source.kind, target.kind))
}

/// The heading a reader sees above a group of backlinks.
fn backlink_heading(relation: Relation, from: Kind, to: Kind) -> Option<String> {
    let text = match (relation, from) {
        (Relation::PartOf, _) => return None,
        (Relation::Measures, _) => MEASURES_HEADING,
        (Relation::Funds, _) => "Grants that fund it",
        (Relation::Delivers, _) => "Decisions that deliver it",
        (Relation::RecommendationAbout, _) => "Panel recommendations about it",
        (Relation::Concerns, _) => "Panel documents about it",
        (Relation::RespondsTo, _) => "Responses to it",
        (Relation::Approves, _) if to == Kind::Grant || to == Kind::Grants => "Grants it approved",
        (Relation::Approves, _) => "Decisions that agreed it",
        (Relation::Issues, _) => "Decision that issued it",
        (Relation::Cites, _) => "Cited as a background paper by",
        (Relation::Evidences, _) => "Statutory steps it records",
        (Relation::Mentions, Kind::Decision) => "Mentioned in decisions",
        (Relation::Mentions, Kind::Panel) => "Mentioned in Panel documents",
        (Relation::Mentions, Kind::Response) => "Mentioned in responses",
        (Relation::Mentions, Kind::Plan | Kind::Section) => "Mentioned in the plan",
        (Relation::Mentions, Kind::Grants | Kind::Grant) => "Mentioned in grants",
        (Relation::Mentions, _) => "Mentioned in",
    };
    Some(text.to_string())
}

/// Where a backlink points: a response's answer or a recommendation links
/// to its own anchor, everything else to the record.
fn backlink_url(source: &Meta, r: &Ref) -> String {
    match (source.kind, r.relation, &r.target.fragment) {
        (Kind::Response, Relation::RespondsTo, Some(f)) => {
            format!("{}#answer-{}", source.url, f.trim_start_matches("rec-"))
        }
        _ => source.url.clone(),
    }
}
