//! Open data and machine-readable files: `records.json`/`.csv`,
//! `grants.csv`, the 360Giving export (CSV and JSON), `metrics.csv`,
//! `commitments.csv`, the
//! Atom feeds `decisions.xml` and `records.xml`, `sitemap.xml`,
//! `_redirects` and `datapackage.json` (the catalogue of them all).
//!
//! Every date in these files comes from content, never the clock, and
//! everything is iterated in a fixed order, so two builds are byte-identical.
//! A confidential decision reaches them only as its stub: the parse stage
//! never read its body.

mod budgets;
mod calendar;
mod commitments;
mod feeds;
mod grants;
mod metrics;
mod records;
mod redirects;

use serde::Serialize;

use crate::config::{Licence, Successor};
use crate::link::Site;
use crate::output::OutputFile;
use crate::records::Meta;
use crate::types::Date;

/// Every export file, in the order the Open data page lists them; each is
/// claimed as one of `claims::DATA_FILES`.
pub fn all(site: &Site) -> Vec<OutputFile> {
    let infos = infos(site);
    let generated = generated(site, &infos);
    let cx = Cx {
        site,
        infos: &infos,
        generated,
    };
    let mut files = Vec::new();
    files.extend(records::files(&cx));
    files.extend(grants::files(&cx));
    files.extend(metrics::files(&cx));
    files.extend(commitments::files(&cx));
    files.extend(feeds::files(&cx));
    files.push(records::sitemap(&cx));
    files.push(redirects::file(&cx));
    files.push(datapackage(&cx));
    files.extend(calendar::file(&cx));
    files.extend(calendar::per_meeting(&cx));
    files.extend(budgets::file(&cx));
    files
}

/// What the Open data page shows: each file with a description, the
/// licence, the generation date and, in archive mode, the successor.
#[derive(Debug, Serialize)]
pub struct Catalogue {
    pub generated: Date,
    pub licence: Licence,
    pub successor: Option<Successor>,
    pub files: Vec<FileInfo>,
    /// How many old addresses redirect (listed in `_redirects`).
    pub redirects: usize,
}

#[derive(Debug, Serialize)]
pub struct FileInfo {
    pub path: &'static str,
    pub title: &'static str,
    pub format: &'static str,
    pub media_type: &'static str,
    pub description: String,
    /// "123 records", "5 rows", "12 entries".
    pub count: String,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub name: &'static str,
    /// A Frictionless Table Schema type: string, number, date, integer.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub description: &'static str,
}

/// The two columns every CSV export ends with, so a row read on its own
/// still says under what licence and as of when.
pub(crate) const LICENCE: Column = col(
    "licence",
    "string",
    "The licence the data is published under.",
);
pub(crate) const GENERATED: Column = col(
    "generated",
    "date",
    "The date the data is as of: the newest date in the records.",
);

pub(crate) const fn col(
    name: &'static str,
    kind: &'static str,
    description: &'static str,
) -> Column {
    Column {
        name,
        kind,
        description,
    }
}

/// The Open data page's list. Counting is cheap; the files themselves are
/// made by `all`.
pub fn catalogue(site: &Site) -> Catalogue {
    let infos = infos(site);
    let generated = generated(site, &infos);
    let cx = Cx {
        site,
        infos: &infos,
        generated,
    };
    Catalogue {
        generated,
        licence: site.config.licence.clone(),
        successor: site.config.successor.clone(),
        files: file_infos(&cx),
        redirects: redirects::count(&cx),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn file_infos(cx: &Cx<'_>) -> Vec<FileInfo> {
    let records = cx.infos.len();
    let grant_rows = grants::count(cx);
    let metric_rows = metrics::count(cx);
    let (decision_entries, record_entries) = feeds::counts(cx);
    let archive = cx
        .site
        .config
        .successor
        .as_ref()
        .map(|s| format!(" As this site is an archive, the file also names {}, the body that took over on {}.", s.body, s.date.long()))
        .unwrap_or_default();
    let mut files = vec![
        FileInfo {
            path: "records.csv",
            title: "All records (CSV)",
            format: "CSV",
            media_type: "text/csv",
            description: "Every public record on this site, one row each: its kind, id, number, title, date, when it was last updated, whether it was withdrawn, its status and permanent address. Confidential decisions are listed by number, title, date, status and the stated reason.".into(),
            count: plural(records, "record", "records"),
            columns: records::COLUMNS.to_vec(),
        },
        FileInfo {
            path: "records.json",
            title: "All records (JSON)",
            format: "JSON",
            media_type: "application/json",
            description: format!("The same records as records.csv, with the publisher, the licence and the generation date at the top.{archive}"),
            count: plural(records, "record", "records"),
            columns: Vec::new(),
        },
        FileInfo {
            path: "grants.csv",
            title: "Grants",
            format: "CSV",
            media_type: "text/csv",
            description: "Every row of every grants table: the amount as the table gives it and its unit, the amount in pounds, what it is for, who receives and who funds it, the decision that approved it and the commitments it funds. A row whose amount the source does not state has an empty amount and says why.".into(),
            count: plural(grant_rows, "row", "rows"),
            columns: grants::COLUMNS.to_vec(),
        },
        FileInfo {
            path: "grants-360giving.csv",
            title: "Grants in the 360Giving Data Standard (CSV)",
            format: "CSV",
            media_type: "text/csv",
            description: "The same grants in the column titles of the 360Giving Data Standard, with amounts in pounds. Cells the source has no value for are left empty, never guessed, and the Data Notes column says which and why.".into(),
            count: plural(grant_rows, "grant", "grants"),
            columns: grants::THREESIXTY_COLUMNS.to_vec(),
        },
        FileInfo {
            path: "grants-360giving.json",
            title: "Grants in the 360Giving Data Standard (JSON)",
            format: "JSON",
            media_type: "application/json",
            description: format!("The same grants as a 360Giving JSON package (its canonical form), with the licence and the date it was last modified.{archive}"),
            count: plural(grant_rows, "grant", "grants"),
            columns: Vec::new(),
        },
        FileInfo {
            path: "metrics.csv",
            title: "Metrics and their figures",
            format: "CSV",
            media_type: "text/csv",
            description: "One row for each published figure of each metric (metric, period, value, unit, target). A metric with no published figures yet has one row with its target and an empty period and value, so every metric of the plan is in the file.".into(),
            count: plural(metric_rows, "row", "rows"),
            columns: metrics::COLUMNS.to_vec(),
        },
        FileInfo {
            path: commitments::PATH,
            title: "Commitments and their progress",
            format: "CSV",
            media_type: "text/csv",
            description: "One row for each progress update of each commitment, newest first (its day or reporting period, status, note and evidence), each with the commitment's status now and when it was reported. A commitment with no updates has one row with its status, so every commitment of the plan is in the file. Dates are only those the updates state: an update for a period has a period, not a day.".into(),
            count: plural(commitments::count(cx), "row", "rows"),
            columns: commitments::COLUMNS.to_vec(),
        },
        FileInfo {
            path: "decisions.xml",
            title: "Decisions feed",
            format: "Atom",
            media_type: "application/atom+xml",
            description: "An Atom feed of decisions, newest first by the date signed (or published), with an entry for each change a decision lists and each withdrawal. Confidential decisions appear as their number, title, date, status and stated reason.".into(),
            count: plural(decision_entries, "entry", "entries"),
            columns: Vec::new(),
        },
        FileInfo {
            path: "records.xml",
            title: "All records feed",
            format: "Atom",
            media_type: "application/atom+xml",
            description: "An Atom feed of every dated record (decisions, Panel documents, responses, meeting papers, plans, variations and any record with a last-updated date), with an entry for each change a record lists and each withdrawal, newest first.".into(),
            count: plural(record_entries, "entry", "entries"),
            columns: Vec::new(),
        },
        FileInfo {
            path: "sitemap.xml",
            title: "Sitemap",
            format: "XML",
            media_type: "application/xml",
            description: "Every record's permanent address and the main index pages, for search engines and web archives.".into(),
            count: plural(records::sitemap_count(cx), "address", "addresses"),
            columns: Vec::new(),
        },
        FileInfo {
            path: "datapackage.json",
            title: "Data package",
            format: "JSON",
            media_type: "application/json",
            description: "A description of the files above (their columns, licence and date) as a Frictionless Data Package, for tools that read one.".into(),
            count: String::new(),
            columns: Vec::new(),
        },
    ];
    // Only a site with budgets has the file (its rows are income and
    // spending, listed after the grants and metrics).
    if !cx.site.records.budgets.is_empty() {
        let at = files
            .iter()
            .position(|f| f.path == "decisions.xml")
            .unwrap_or(files.len());
        files.insert(
            at,
FileInfo {
            path: budgets::PATH,
            title: "Budgets",
            format: "CSV",
            media_type: "text/csv",
            description: "One row for each figure of each budget table: every line and every stated total, in every year column, with the unit, the figure in pounds and how each total compares with its rows. Budgets are income and spending, so they are never in the 360Giving files.".into(),
            count: plural(budgets::count(cx), "figure", "figures"),
            columns: budgets::COLUMNS.to_vec(),
        },
        );
    }
    files
}

/// `datapackage.json`: the catalogue in Frictionless Data Package form.
fn datapackage(cx: &Cx<'_>) -> OutputFile {
    let config = &cx.site.config;
    let resources: Vec<serde_json::Value> = file_infos(cx)
        .into_iter()
        .filter(|f| f.path != "datapackage.json")
        .map(|f| {
            let mut r = serde_json::json!({
                "name": f.path.replace(['.', '_'], "-"),
                "path": f.path,
                "title": f.title,
                "description": f.description,
                "format": f.format.to_lowercase(),
                "mediatype": f.media_type,
                "encoding": "utf-8",
            });
            if !f.columns.is_empty() {
                r["profile"] = "tabular-data-resource".into();
                r["schema"] = serde_json::json!({ "fields": f.columns });
            }
            r
        })
        .collect();
    let mut licence = serde_json::json!({ "title": config.licence.name });
    if let Some(url) = &config.licence.url {
        licence["path"] = url.clone().into();
    }
    let mut package = serde_json::json!({
        "profile": "data-package",
        "name": crate::text::slug(&config.title),
        "title": config.title,
        "homepage": config.absolute("data/"),
        "licenses": [licence],
        "contributors": [{ "title": config.organisation, "role": "publisher" }],
        "generated": cx.generated.iso(),
        "resources": resources,
    });
    if let Some(s) = successor_json(cx) {
        package["successor"] = s;
    }
    json_file("datapackage.json", &package)
}

/// Shared by every export: the site, every record's facts, and the date the
/// data is as of.
pub(crate) struct Cx<'a> {
    pub site: &'a Site,
    pub infos: &'a [Info<'a>],
    pub generated: Date,
}

/// What the exports say about one record, gathered once.
pub(crate) struct Info<'a> {
    pub meta: &'a Meta,
    pub number: Option<&'a str>,
    /// The record's own date: a decision's signing (or publication) date, a
    /// document's date, a plan's publication date, a grant's award date.
    pub date: Option<Date>,
    pub status: Option<&'a str>,
    pub confidential: bool,
    pub confidential_reason: Option<&'a str>,
    /// Plain text shown in feeds: a decision's executive summary, a paper's
    /// purpose. Never a confidential decision's (it was never read).
    pub summary: Option<&'a str>,
    /// A commitment's full words from the plan (its title is a short one).
    pub full_text: Option<&'a str>,
}

impl Info<'_> {
    /// The newest content date of the record: its own date, its last
    /// change or `updated`, or its withdrawal.
    pub fn latest(&self) -> Option<Date> {
        self.date.max(self.meta.history_latest())
    }

    /// "Decision 004/2014: Title", or the title.
    pub fn heading(&self) -> String {
        match self.number {
            Some(n) => format!("{} {n}: {}", self.meta.kind_label, self.meta.title),
            None => self.meta.title.clone(),
        }
    }
}

/// Every public record, sorted by kind and id.
fn infos(site: &Site) -> Vec<Info<'_>> {
    let r = &site.records;
    let plain = |meta| Info {
        meta,
        number: None,
        date: None,
        status: None,
        confidential: false,
        confidential_reason: None,
        summary: None,
        full_text: None,
    };
    let mut out: Vec<Info<'_>> = Vec::new();
    out.extend(r.plans.iter().map(|p| Info {
        date: p.published,
        status: Some(p.status_label),
        summary: p.summary.as_ref().map(|s| s.text.as_str()),
        ..plain(&p.meta)
    }));
    out.extend(r.sections.iter().map(|s| Info {
        number: s.number.as_deref(),
        ..plain(&s.meta)
    }));
    out.extend(r.variations.iter().map(|v| Info {
        date: v.date,
        ..plain(&v.meta)
    }));
    out.extend(r.commitments.iter().map(|c| Info {
        date: c.status_since.as_ref().and_then(|w| w.day()),
        status: Some(c.status_label.as_str()),
        full_text: Some(c.source_text.as_str()),
        ..plain(&c.meta)
    }));
    out.extend(r.metrics.iter().map(|m| Info {
        summary: Some(m.definition.text.as_str()),
        ..plain(&m.meta)
    }));
    for g in &r.grants {
        out.push(plain(&g.meta));
        out.extend(g.rows.iter().map(|row| Info {
            date: row.award_date,
            summary: row.purpose.as_ref().map(|p| p.text.as_str()),
            ..plain(&row.meta)
        }));
    }
    out.extend(r.decisions.iter().map(|d| Info {
        number: d.number.as_deref(),
        date: d.date(),
        status: Some(d.status_label),
        confidential: d.confidential,
        confidential_reason: d.confidential_reason.as_deref(),
        summary: d.notice.as_ref().and_then(|n| {
            n.executive_summary
                .as_ref()
                .or(n.decision.as_ref())
                .map(|s| s.text.as_str())
        }),
        ..plain(&d.meta)
    }));
    out.extend(r.panel.iter().map(|p| Info {
        date: p.date,
        ..plain(&p.meta)
    }));
    out.extend(r.responses.iter().map(|x| Info {
        date: x.date,
        ..plain(&x.meta)
    }));
    out.extend(r.papers.iter().map(|x| Info {
        date: x.date,
        summary: x.purpose.as_ref().map(|p| p.text.as_str()),
        ..plain(&x.meta)
    }));
    out.extend(r.pages.iter().map(|x| plain(&x.meta)));
    // Kinds published from the registry alone.
    out.extend(
        r.dated()
            .into_iter()
            .filter(|(meta, _)| !crate::records::registry::bespoke(meta.kind))
            .map(|(meta, date)| Info {
                date,
                ..plain(meta)
            }),
    );
    out.sort_by(|a, b| {
        (a.meta.kind.keyword(), &a.meta.key).cmp(&(b.meta.kind.keyword(), &b.meta.key))
    });
    out
}

/// The date the data is as of: the newest date in any record (its own date
/// or `updated`, or a date a plan's or variation's statutory step states);
/// for a site with no dated record, the date its accessibility statement
/// was last reviewed. Never the clock.
fn generated(site: &Site, infos: &[Info<'_>]) -> Date {
    let r = &site.records;
    let steps = r
        .plans
        .iter()
        .flat_map(|p| &p.process)
        .chain(r.variations.iter().flat_map(|v| &v.process))
        .flat_map(|s| [s.date, s.from, s.to])
        .flatten();
    infos
        .iter()
        .filter_map(Info::latest)
        .chain(steps)
        .max()
        .unwrap_or(site.config.accessibility.reviewed)
}

/// The licence as one line: "Open Government Licence v3.0 (https://…)".
pub(crate) fn licence_text(site: &Site) -> String {
    let l = &site.config.licence;
    match &l.url {
        Some(u) => format!("{} ({u})", l.name),
        None => l.name.clone(),
    }
}

/// One sentence for archive mode, or `None`.
pub(crate) fn archive_note(site: &Site) -> Option<String> {
    let s = site.config.successor.as_ref()?;
    let link = s
        .url
        .as_ref()
        .map(|u| format!(" ({u})"))
        .unwrap_or_default();
    Some(format!(
        "This is an archive: the functions of the {} passed to {}{link} on {}. Every record keeps its address.",
        site.config.office_title,
        s.body,
        s.date.long()
    ))
}

pub(crate) fn successor_json(cx: &Cx<'_>) -> Option<serde_json::Value> {
    let s = cx.site.config.successor.as_ref()?;
    Some(serde_json::json!({
        "body": s.body,
        "date": s.date.iso(),
        "url": s.url,
        "note": archive_note(cx.site),
    }))
}

pub(crate) fn json_file(path: &str, value: &impl Serialize) -> OutputFile {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    OutputFile {
        path: path.into(),
        bytes,
    }
}

/// A CSV file with a header row from `columns`. Every cell goes through
/// `neutralise`, so a spreadsheet opening the file runs no formula.
pub(crate) fn csv_file(path: &str, columns: &[Column], rows: Vec<Vec<String>>) -> OutputFile {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(columns.iter().map(|c| c.name));
    for row in rows {
        debug_assert_eq!(row.len(), columns.len());
        let _ = w.write_record(
            row.iter()
                .zip(columns)
                .map(|(cell, column)| neutralise(cell, column.kind).into_owned()),
        );
    }
    OutputFile {
        path: path.into(),
        bytes: w.into_inner().unwrap_or_default(),
    }
}

/// A cell made safe against CSV (formula) injection, after the OWASP
/// guidance: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return is prefixed with `'`, which spreadsheets show as text and do not
/// evaluate. A number in a `number` column (`-250`, written by plansite from
/// an exact decimal) stays as it is, so the column stays numeric.
pub(crate) fn neutralise<'a>(cell: &'a str, kind: &str) -> std::borrow::Cow<'a, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if !risky || (kind == "number" && crate::types::Decimal::parse(cell).is_some()) {
        std::borrow::Cow::Borrowed(cell)
    } else {
        std::borrow::Cow::Owned(format!("'{cell}"))
    }
}

pub(crate) fn opt(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// The decisions the exports may cite by number, by key (a number in any
/// form the site's scheme makes the same).
pub(crate) fn decision<'a>(site: &'a Site, key: &str) -> Option<&'a crate::records::Decision> {
    let key = site.entry(crate::types::Kind::Decision, key)?.key.as_str();
    site.records.decisions.iter().find(|d| d.meta.key == key)
}
