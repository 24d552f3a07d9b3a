//! Atom feeds (RFC 4287): `decisions.xml` (every decision) and
//! `records.xml` (every dated record), newest first, each with an entry
//! for every change its `changes:` lists and for its withdrawal. Addresses are
//! absolute, from `base_url`; times are the content's dates at midnight UTC,
//! never the clock. A decision whose sources state no date comes last in
//! `decisions.xml`, says so in its summary and has no `<published>`; its
//! `<updated>` (which Atom requires) is the date the data is as of. A confidential decision appears as its stub: number,
//! title, date, status and the stated reason.

use super::{Cx, Info, archive_note, licence_text};
use crate::output::OutputFile;
use crate::text::escape_html;
use crate::types::{Date, Kind};

/// Text for XML content and attribute values: the characters XML 1.0 does
/// not allow (controls other than tab and line ends, U+FFFE, U+FFFF)
/// dropped, which the HTML escaper does not do, then the HTML escaper's
/// entities, which XML reads the same.
pub(crate) fn escape(text: &str) -> String {
    let allowed = |c: char| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if text.chars().all(allowed) {
        escape_html(text)
    } else {
        escape_html(&text.chars().filter(|c| allowed(*c)).collect::<String>())
    }
}

fn timestamp(d: Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

/// The date an entry is filed under: its own date, or else its last update.
fn filed(i: &Info<'_>) -> Option<Date> {
    i.date.or(i.meta.last_updated())
}

/// One entry of a feed: a record as published, one of its `changes:`, or
/// its withdrawal.
#[derive(Clone, Copy)]
enum Entry<'a> {
    Record(&'a Info<'a>),
    /// The record and the index of the change in its `changes:`.
    Change(&'a Info<'a>, usize),
    Withdrawn(&'a Info<'a>),
}

impl<'a> Entry<'a> {
    fn info(&self) -> &'a Info<'a> {
        match *self {
            Entry::Record(i) | Entry::Change(i, _) | Entry::Withdrawn(i) => i,
        }
    }

    /// The date it is filed under.
    fn date(&self) -> Option<Date> {
        match *self {
            Entry::Record(i) => filed(i),
            Entry::Change(i, n) => Some(i.meta.changes[n].date),
            Entry::Withdrawn(i) => i.meta.withdrawn.as_ref().map(|w| w.date),
        }
    }

    /// A record's own entry, then its changes in their order, then its
    /// withdrawal, for entries of one date and record.
    fn rank(&self) -> usize {
        match *self {
            Entry::Record(_) => 0,
            Entry::Change(_, n) => 1 + n,
            Entry::Withdrawn(_) => usize::MAX,
        }
    }
}

/// Each record's entry (when `own` takes it), one for each of its changes
/// and one for its withdrawal; newest first, undated ones last.
fn entries<'a>(items: Vec<&'a Info<'a>>, own: impl Fn(&Info<'_>) -> bool) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    for i in items {
        if own(i) {
            out.push(Entry::Record(i));
        }
        out.extend((0..i.meta.changes.len()).map(|n| Entry::Change(i, n)));
        if i.meta.withdrawn.is_some() {
            out.push(Entry::Withdrawn(i));
        }
    }
    out.sort_by(|a, b| {
        let key = |e: &Entry<'_>| (e.date().is_none(), std::cmp::Reverse(e.date()));
        key(a).cmp(&key(b)).then_with(|| {
            let (x, y) = (a.info(), b.info());
            (x.meta.kind.keyword(), &x.meta.key, a.rank()).cmp(&(
                y.meta.kind.keyword(),
                &y.meta.key,
                b.rank(),
            ))
        })
    });
    out
}

fn decisions<'a>(cx: &'a Cx<'a>) -> Vec<Entry<'a>> {
    entries(
        cx.infos
            .iter()
            .filter(|i| i.meta.kind == Kind::Decision)
            .collect(),
        |_| true,
    )
}

fn dated<'a>(cx: &'a Cx<'a>) -> Vec<Entry<'a>> {
    entries(cx.infos.iter().collect(), |i| filed(i).is_some())
}

pub(crate) fn counts(cx: &Cx<'_>) -> (usize, usize) {
    (decisions(cx).len(), dated(cx).len())
}

pub(crate) fn files(cx: &Cx<'_>) -> Vec<OutputFile> {
    let title = &cx.site.config.title;
    vec![
        feed(
            cx,
            "decisions.xml",
            "decisions/",
            &format!("Decisions – {title}"),
            &format!(
                "Decisions of the {}, newest first. Confidential decisions are listed by number, title, date, status and the stated reason.",
                cx.site.config.organisation
            ),
            &decisions(cx),
        ),
        feed(
            cx,
            "records.xml",
            "browse/",
            &format!("All records – {title}"),
            &format!(
                "Every dated record published by the {}, newest first.",
                cx.site.config.organisation
            ),
            &dated(cx),
        ),
    ]
}

fn feed(
    cx: &Cx<'_>,
    path: &str,
    alternate: &str,
    title: &str,
    subtitle: &str,
    entries: &[Entry<'_>],
) -> OutputFile {
    let config = &cx.site.config;
    let updated = entries
        .iter()
        .filter_map(|e| e.info().latest())
        .max()
        .unwrap_or(cx.generated);
    let subtitle = match archive_note(cx.site) {
        Some(note) => format!("{subtitle} {note}"),
        None => subtitle.to_string(),
    };
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&config.language)
    ));
    x.push_str(&format!("  <id>{}</id>\n", escape(&config.absolute(path))));
    x.push_str(&format!("  <title>{}</title>\n", escape(title)));
    x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(&subtitle)));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&config.absolute(path))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&config.absolute(alternate))
    ));
    // Archive mode: the body that took over the Commissioner's functions.
    if let Some((s, url)) = config
        .successor
        .as_ref()
        .and_then(|s| s.url.as_ref().map(|u| (s, u)))
    {
        x.push_str(&format!(
            "  <link rel=\"related\" type=\"text/html\" href=\"{}\" title=\"{}\"/>\n",
            escape(url),
            escape(&format!("Successor: {}", s.body))
        ));
    }
    x.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&config.organisation)
    ));
    x.push_str(&format!(
        "  <rights>Published under the {}.</rights>\n",
        escape(&licence_text(cx.site))
    ));
    x.push_str("  <generator>plansite</generator>\n");
    for e in entries {
        match *e {
            Entry::Record(i) => entry(cx, &mut x, i),
            Entry::Change(i, n) => {
                let c = &i.meta.changes[n];
                history_entry(cx, &mut x, i, &c.anchor, "Updated", c.date, &c.note);
            }
            Entry::Withdrawn(i) => {
                if let Some(w) = &i.meta.withdrawn {
                    history_entry(cx, &mut x, i, "withdrawn", "Withdrawn", w.date, &w.reason);
                }
            }
        }
    }
    x.push_str("</feed>\n");
    OutputFile {
        path: path.into(),
        bytes: x.into_bytes(),
    }
}

fn entry(cx: &Cx<'_>, x: &mut String, i: &Info<'_>) {
    let url = cx.site.config.absolute(&i.meta.url);
    let updated = i.latest().unwrap_or(cx.generated);
    let mut title = i.heading();
    if i.confidential {
        title.push_str(" (confidential)");
    }
    x.push_str("  <entry>\n");
    x.push_str(&format!("    <id>{}</id>\n", escape(&url)));
    x.push_str(&format!("    <title>{}</title>\n", escape(&title)));
    x.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&url)
    ));
    if let Some(d) = i.date {
        x.push_str(&format!("    <published>{}</published>\n", timestamp(d)));
    }
    x.push_str(&format!("    <updated>{}</updated>\n", timestamp(updated)));
    x.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        i.meta.kind.keyword(),
        escape(i.meta.kind_label)
    ));
    if let Some(status) = i.status {
        x.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            escape(&crate::text::slug(status)),
            escape(status)
        ));
    }
    let summary = summary(i);
    if !summary.is_empty() {
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&summary)
        ));
    }
    x.push_str("  </entry>\n");
}

/// An entry for one event in a record's history (a change, or its
/// withdrawal): its id is the record's address with the event's anchor, so
/// it is unique and stays the same when later changes are added; it links
/// to the record's page, where the change is listed.
fn history_entry(
    cx: &Cx<'_>,
    x: &mut String,
    i: &Info<'_>,
    anchor: &str,
    what: &str,
    date: Date,
    note: &str,
) {
    let url = cx.site.config.absolute(&i.meta.url);
    let id = format!("{url}#{anchor}");
    let link = if anchor == "withdrawn" {
        url
    } else {
        id.clone()
    };
    x.push_str("  <entry>\n");
    x.push_str(&format!("    <id>{}</id>\n", escape(&id)));
    x.push_str(&format!(
        "    <title>{}</title>\n",
        escape(&format!("{what}: {}", i.heading()))
    ));
    x.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&link)
    ));
    x.push_str(&format!("    <updated>{}</updated>\n", timestamp(date)));
    x.push_str(&format!(
        "    <category term=\"{}\" label=\"{}\"/>\n",
        i.meta.kind.keyword(),
        escape(i.meta.kind_label)
    ));
    if !note.is_empty() {
        x.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(note)
        ));
    }
    x.push_str("  </entry>\n");
}

/// A line of facts, then the record's own summary (never a confidential
/// decision's text, which was never read).
fn summary(i: &Info<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut facts = i.meta.kind_label.to_string();
    if let Some(n) = i.number {
        facts.push_str(&format!(" {n}"));
    }
    facts.push('.');
    match i.date {
        Some(d) => facts.push_str(&format!(" Date: {}.", d.long())),
        None if i.meta.kind == Kind::Decision => {
            facts.push_str(" Date: not stated in the sources.")
        }
        None => {}
    }
    if let Some(s) = i.status {
        facts.push_str(&format!(" Status: {s}."));
    }
    parts.push(facts);
    if let Some(reason) = i.confidential_reason {
        parts.push(format!("Not published in full: {reason}"));
    }
    if let Some(u) = i.meta.last_updated() {
        parts.push(format!("Last updated {}.", u.long()));
    }
    if let Some(w) = &i.meta.withdrawn {
        parts.push(format!("Withdrawn {}: {}", w.date.long(), w.reason));
    }
    if let Some(s) = i.summary {
        let s = s.trim();
        if !s.is_empty() {
            parts.push(truncate(s, 600));
        }
    }
    parts.join(" ")
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map(|(a, _)| a).unwrap_or(&cut);
    format!("{cut} …")
}
