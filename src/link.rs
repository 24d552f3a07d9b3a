//! Stage 3: the site graph. Parsed records are registered by kind and key,
//! every reference is checked (with "did you mean" for the misses), and
//! backlinks are gathered for each record's page.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::claims::{self, Claimant, Claims};
use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::records::{self, Meta, Records};
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind, NumberScheme};

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
    /// Its kind as a reader names it, and its own date: with the number they
    /// tell apart records whose titles are alike.
    pub kind_label: &'static str,
    pub date: Option<Date>,
}

/// One line of a plan's or variation's statutory timeline (made by
/// `checks`, shown on the plan's or variation's page).
#[derive(Debug, Clone, Serialize)]
pub struct TimelineStep {
    pub step: crate::records::plan::StepKind,
    pub label: &'static str,
    pub date: Option<String>,
    /// The document that is this step, when the site holds it.
    pub record: Option<TimelineLink>,
    /// Where the date comes from.
    pub source: Option<TimelineLink>,
    pub note: Option<String>,
    /// True when the site holds nothing for this step.
    pub missing: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineLink {
    pub url: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct Timeline {
    pub steps: Vec<TimelineStep>,
    pub complete: bool,
}

#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub records: Records,
    pub entries: HashMap<(Kind, String), Entry>,
    pub backlinks: HashMap<(Kind, String), Vec<Backlink>>,
    /// Each plan's and variation's statutory timeline, filled by `checks::run`.
    pub timelines: HashMap<(Kind, String), Timeline>,
    /// The answers published responses give to each Panel recommendation,
    /// by report key and recommendation id (`crate::checks`).
    pub answers: HashMap<(String, String), Vec<records::panel::AnswerLink>>,
    /// Who publishes each output path (`crate::claims`).
    pub claims: Claims,
    /// Decision numbers as the site's scheme compares them.
    pub numbers: Numbers,
}

/// The decisions by their number in canonical form (`NumberScheme`), so a
/// reference finds a decision however the organisation wrote the number,
/// and the address of the canonical form, where it is not the record's
/// own, redirects to it.
#[derive(Debug, Default)]
pub struct Numbers {
    scheme: NumberScheme,
    /// Canonical form → the key of the decision that has it.
    keys: HashMap<String, String>,
    /// A decision's key → its alias: the canonical form's address.
    aliases: HashMap<String, String>,
}

impl Numbers {
    /// The key of the decision a reference's key (a number's address
    /// segment) names under the scheme, when it is not a key itself.
    fn key_of(&self, key: &str) -> Option<&str> {
        self.keys
            .get(&self.scheme.canonical(key))
            .map(String::as_str)
    }

    /// The address a numbered decision is also found at, when its number
    /// is written other than in canonical form: `/decisions/44-2020/` for
    /// `044/2020` when leading zeros are not significant.
    fn alias(&self, meta: &Meta) -> Option<&str> {
        match meta.kind {
            Kind::Decision => self.aliases.get(&meta.key).map(String::as_str),
            _ => None,
        }
    }
}

/// The entry a reference's key names: the record with that key or, for a
/// decision, the one whose number is the same under the site's scheme.
fn lookup<'a>(
    entries: &'a HashMap<(Kind, String), Entry>,
    numbers: &Numbers,
    kind: Kind,
    key: &str,
) -> Option<&'a Entry> {
    entries
        .get(&(kind, key.to_string()))
        .or_else(|| match kind {
            Kind::Decision => numbers
                .key_of(key)
                .and_then(|k| entries.get(&(kind, k.to_string()))),
            _ => None,
        })
}

impl Site {
    /// The record a reference names; a decision is found by its number in
    /// any form the site's `decision_numbers` makes the same.
    pub fn entry(&self, kind: Kind, key: &str) -> Option<&Entry> {
        lookup(&self.entries, &self.numbers, kind, key)
    }

    /// A record's old addresses (`aliases:`) and, for a decision whose
    /// number is not written in canonical form, the canonical form's
    /// address: each has a redirect page and a `_redirects` line.
    pub fn aliases_of<'a>(&'a self, meta: &'a Meta) -> Vec<&'a str> {
        let mut out: Vec<&str> = meta.aliases.iter().map(String::as_str).collect();
        if let Some(alias) = self.numbers.alias(meta)
            && !out
                .iter()
                .any(|a| claims::alias_url(a) == claims::alias_url(alias))
        {
            out.push(alias);
        }
        out
    }

    pub fn backlinks_of(&self, meta: &Meta) -> &[Backlink] {
        self.backlinks
            .get(&(meta.kind, meta.key.clone()))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// Builds the graph and checks every reference.
pub fn link(config: SiteConfig, mut records: Records) -> (Site, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    order_sections(&mut records, &mut diagnostics);
    let numbers = numbers(&records, &config.decision_numbers, &mut diagnostics);
    let (entries, claims) = register(&records, &numbers, &mut diagnostics);
    let mut backlinks: HashMap<(Kind, String), Vec<Backlink>> = HashMap::new();
    // The date each document carries itself, for telling apart backlinks
    // with alike titles.
    let dates: HashMap<(Kind, &str), Date> = records
        .dated()
        .into_iter()
        .filter_map(|(meta, date)| Some(((meta.kind, meta.key.as_str()), date?)))
        .collect();
    for meta in records.metas() {
        for r in &meta.refs {
            match check_reference(&entries, &numbers, meta, r) {
                // The target's own file failed to parse and was reported.
                Err(_)
                    if lookup(&entries, &numbers, r.target.kind, &r.target.key).is_none()
                        && records.broken_keys.contains(&r.target.key) => {}
                Ok(Some((heading, target_key))) => {
                    let key = (r.target.kind, target_key);
                    backlinks.entry(key).or_default().push(Backlink {
                        heading,
                        kind: meta.kind,
                        title: meta.title.clone(),
                        url: backlink_url(meta, r),
                        number: entries
                            .get(&(meta.kind, meta.key.clone()))
                            .and_then(|e| e.number.clone()),
                        kind_label: meta.kind_label,
                        date: entries
                            .get(&(meta.kind, meta.key.clone()))
                            .and_then(|e| e.date)
                            .or_else(|| dates.get(&(meta.kind, meta.key.as_str())).copied()),
                    });
                }
                Ok(None) => {}
                Err(d) => diagnostics.push(d),
            }
        }
    }
    for r in &config.refs {
        if lookup(&entries, &numbers, r.target.kind, &r.target.key).is_none() {
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
    let site = Site {
        config,
        records,
        entries,
        backlinks,
        timelines: HashMap::new(),
        answers: HashMap::new(),
        claims,
        numbers,
    };
    (site, diagnostics)
}

/// The backlinks heading of the metrics that measure a commitment.
pub const MEASURES_HEADING: &str = "Metrics that measure it";

/// Sections take their order from their plan's `sections:` list; one that
/// is listed but missing, or present but unlisted, is an error. Their order
/// is where they stand in `records.sections`, which is all linking changes
/// in the records (sorting them again gives the same order).
fn order_sections(records: &mut Records, diagnostics: &mut Vec<Diagnostic>) {
    let mut position: HashMap<String, usize> = HashMap::new();
    for plan in &records.plans {
        for (i, id) in plan.section_ids.iter().enumerate() {
            // One that is missing is reported as a broken reference from the plan.
            position.insert(format!("{}/{}", plan.meta.key, id.value), i);
        }
    }
    for s in &records.sections {
        if !position.contains_key(&s.meta.key) {
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
    records.sections.sort_by(|a, b| {
        let at = |s: &records::Section| position.get(&s.meta.key).copied().unwrap_or(0);
        (&a.plan, at(a)).cmp(&(&b.plan, at(b)))
    });
}

/// Every numbered decision under its number's canonical form. Two
/// decisions whose numbers the scheme makes one (`44/2020`, `044/2020`) are
/// an error naming both files; two with one address are reported by
/// `register` instead.
fn numbers(records: &Records, scheme: &NumberScheme, diagnostics: &mut Vec<Diagnostic>) -> Numbers {
    let mut numbers = Numbers {
        scheme: scheme.clone(),
        ..Numbers::default()
    };
    let mut holders: HashMap<String, &records::Decision> = HashMap::new();
    for d in &records.decisions {
        let Some(number) = &d.number else { continue };
        let canonical = scheme.canonical(number);
        match holders.get(&canonical) {
            Some(other) if other.meta.key == d.meta.key => {}
            Some(other) => {
                let why = match (scheme.leading_zeros_significant, scheme.spacing_significant) {
                    (false, true) => "leading zeros are not significant",
                    (true, false) => "spacing after a prefix is not significant",
                    _ => "leading zeros and spacing after a prefix are not significant",
                };
                diagnostics.push(
                    Diagnostic::error(
                        Some(d.meta.id_span.clone()),
                        format!(
                            "decision `{number}` is decision `{}` written another way",
                            other.number.as_deref().unwrap_or_default()
                        ),
                    )
                    .with_help(format!(
                        "site.yaml's `decision_numbers` says {why}, so both are `{canonical}`; the other is {} ({}); keep one record (a reference in either form finds it)",
                        other.meta.id_span, other.meta.title
                    )),
                );
            }
            None => {
                holders.insert(canonical.clone(), d);
                if canonical != d.meta.key {
                    numbers.aliases.insert(
                        d.meta.key.clone(),
                        format!("/{}", records::url_for(Kind::Decision, &canonical)),
                    );
                }
                numbers.keys.insert(canonical, d.meta.key.clone());
            }
        }
    }
    numbers
}

/// Registers every record under its kind and key, and claims every output
/// path: the built-in pages and data files first, then each record's page,
/// then each alias's redirect page (`crate::claims`).
fn register(
    records: &Records,
    scheme: &Numbers,
    diagnostics: &mut Vec<Diagnostic>,
) -> (HashMap<(Kind, String), Entry>, Claims) {
    let mut entries: HashMap<(Kind, String), Entry> = HashMap::new();
    let mut claims = Claims::built_in();
    // The list page of each kind published from the registry alone, when
    // the site has records of it (the others are built in).
    let listed: BTreeSet<Kind> = records
        .metas()
        .iter()
        .map(|m| m.kind)
        .filter(|k| !records::registry::bespoke(*k) && !k.info().index.is_empty())
        .collect();
    for kind in listed {
        let path = claims::page_path(kind.info().index);
        if let Err((other_path, other)) = claims.claim(path.clone(), Claimant::KindIndex(kind)) {
            let who = Claimant::KindIndex(kind);
            diagnostics.push(claims::clash_diagnostic(&path, &who, &other_path, other));
        }
    }
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
        if meta.kind == Kind::Meeting {
            // A meeting's own calendar file, in its page's folder: nothing
            // else can take it once the page is claimed, but every written
            // file has its claimant.
            let calendar = format!("{}{}", meta.url, crate::records::meeting::CALENDAR_FILE);
            if let Err((other_path, other)) = claims.claim(calendar.clone(), who.clone()) {
                diagnostics.push(claims::clash_diagnostic(
                    &calendar,
                    &who,
                    &other_path,
                    other,
                ));
            }
        }
        entries.insert((meta.kind, meta.key.clone()), entry);
    }
    for meta in metas {
        let number_alias = scheme
            .alias(meta)
            .filter(|a| {
                !meta
                    .aliases
                    .iter()
                    .any(|m| claims::alias_url(m) == claims::alias_url(a))
            })
            .map(|a| (a.to_string(), meta.id_span.clone()));
        let written = meta
            .aliases
            .iter()
            .cloned()
            .zip(meta.alias_spans.iter().cloned());
        for (alias, span) in written.chain(number_alias) {
            let (alias, span) = (&alias, &span);
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
    numbers: &Numbers,
    source: &Meta,
    r: &Ref,
) -> Result<Option<(String, String)>, Diagnostic> {
    let target = &r.target;
    let Some(entry) = lookup(entries, numbers, target.kind, &target.key) else {
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
    if source.kind == target.kind && source.key == entry.key {
        return Ok(None);
    }
    Ok(backlink_heading(r.relation, source.kind, target.kind).map(|h| (h, entry.key.clone())))
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
        (Relation::ReportsOn, _) => "Annual reports on it",
        (Relation::Grades, _) => "Performance reports on it",
        (Relation::PresentedTo, _) => "Reports presented to it",
        (Relation::Evidence, _) => "Commitments it shows progress on",
        (Relation::BelongsTo, _) => "Metrics it sets",
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
