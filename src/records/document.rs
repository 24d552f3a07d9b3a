//! Documents that are not published on this site: a Panel report on the
//! host council's website, a previous plan, a national framework. Each is
//! one YAML file, `documents/<id>.yaml`, saying who publishes it, when (as
//! the source gives it) and where, so that the site's own records can
//! answer it (`responds_to:`), concern it (`concerns:`), cite it on a
//! statutory step (`record:`) or hold the metrics it sets (`document:`),
//! and its page lists them.

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::commitment::When;
use super::{Common, Cx, Md, Meta, Parsed};
use crate::diagnostics::Diagnostic;
use crate::load::{SourceFile, decode_yaml};
use crate::markdown::Settings;
use crate::types::{Date, Kind, Period};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    /// Who publishes it, as it names itself: `West Mercia Police and Crime Panel`.
    publisher: Spanned<String>,
    /// A day (`2024-10-22`) or, when the source gives no day, the month,
    /// year or financial year it does give (`March 2013`, `2021/22`).
    date: Option<Spanned<String>>,
    /// Where the date comes from, or why there is none.
    date_note: Option<String>,
    /// Where it is published.
    url: Spanned<String>,
    /// A copy kept elsewhere (a web archive), in case the original moves.
    archived: Option<Spanned<String>>,
    /// What a reader should know about it (Markdown).
    note: Option<Spanned<String>>,
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

/// An address on another website, with the host a link names it by.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub url: String,
    /// `studylib.net`: the link says where the reader is taken.
    pub host: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub publisher: String,
    pub date: Option<When>,
    pub date_note: Option<String>,
    pub url: Link,
    pub archived: Option<Link>,
    pub note: Option<Md>,
}

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let raw: Raw = match decode_yaml(&file.text, &file.path, 1) {
        Ok(r) => r,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, 1);
    let id = cx.id(&raw.id);
    if file.stem() != id {
        let span = cx.span(&raw.id);
        cx.error(
            span,
            format!(
                "the document's id `{id}` differs from its file name `{}`",
                file.rel
            ),
            format!("name the file after the id: `documents/{id}.yaml`"),
        );
    }
    let publisher = raw.publisher.value.trim().to_string();
    if publisher.is_empty() {
        let span = cx.span(&raw.publisher);
        cx.error(
            span,
            "the document names no publisher",
            "say who publishes it, as it names itself, e.g. `publisher: West Mercia Police and Crime Panel`",
        );
    }
    let date = raw.date.as_ref().and_then(|d| when(&mut cx, d));
    let url = web_address(&mut cx, &raw.url, "url");
    let archived = raw
        .archived
        .as_ref()
        .and_then(|a| web_address(&mut cx, a, "archived"));
    let note = cx.markdown(&raw.note, Settings::default());
    let mut meta = Meta::new(Kind::Document, id, raw.title, &file.path, cx.span(&raw.id));
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
    let Some(url) = url else {
        return (Parsed::Nothing, diagnostics);
    };
    (
        Parsed::Document(vec![Document {
            meta,
            publisher,
            date,
            date_note: raw.date_note.map(|n| n.trim().to_string()),
            url,
            archived,
            note,
        }]),
        diagnostics,
    )
}

/// The date as the source gives it: a day, else a month, year or
/// financial year.
fn when(cx: &mut Cx<'_>, value: &Spanned<String>) -> Option<When> {
    if let Some(day) = Date::parse(&value.value) {
        return Some(When::Day(day));
    }
    if let Some(period) = Period::parse(&value.value) {
        return Some(When::Period(period));
    }
    let span = cx.span(value);
    cx.error(
        span,
        format!("`{}` is not a date", value.value),
        "write the date as the source gives it: a day as YYYY-MM-DD (2024-10-22), or a month (March 2013), a year (2013) or a financial year (2021/22); leave `date:` out when it gives none and say so in `date_note:`",
    );
    None
}

/// An absolute http(s) address, or a located error: a document published
/// elsewhere is reached over the web, never by a relative path or another
/// scheme.
fn web_address(cx: &mut Cx<'_>, value: &Spanned<String>, field: &str) -> Option<Link> {
    let url = cx.url(value)?;
    let url = url.as_str();
    let span = cx.span(value);
    let rest = ["https://", "http://"].iter().find_map(|scheme| {
        url.get(..scheme.len())
            .filter(|s| s.eq_ignore_ascii_case(scheme))
            .map(|_| &url[scheme.len()..])
    });
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .map(|h| h.rsplit('@').next().unwrap_or(h))
        .filter(|h| !h.is_empty() && !h.contains(char::is_whitespace));
    let Some(host) = host else {
        cx.error(
            span,
            format!("`{url}` is not a web address"),
            format!(
                "write `{field}:` as the full address the document is found at, starting https:// (or http://), e.g. `https://www.staffordshire.gov.uk/…`"
            ),
        );
        return None;
    };
    Some(Link {
        url: url.to_string(),
        host: host.trim_start_matches("www.").to_string(),
    })
}

impl super::Record for Document {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date.as_ref().and_then(When::day)
    }
    /// Only the title, publisher, date and addresses are published: the
    /// note is the site's own words about it.
    fn withhold(&mut self) {
        self.note = None;
    }
    fn search_text(&self) -> String {
        let mut text = self.publisher.clone();
        if let Some(note) = &self.note {
            text.push(' ');
            text.push_str(&note.text);
        }
        text
    }
    /// Newest first by the day their date stands for (the last day of a
    /// month or year), undated ones last.
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| {
            let day = |d: &Document| d.date.as_ref().map(When::sort_day);
            (day(b), &a.meta.key).cmp(&(day(a), &b.meta.key))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> (Parsed, Vec<Diagnostic>) {
        parse(&SourceFile {
            path: "content/documents/d.yaml".into(),
            rel: "documents/d.yaml".into(),
            text: yaml.into(),
        })
    }

    #[test]
    fn only_web_addresses_are_taken() {
        for bad in [
            "ftp://example.org/d.pdf",
            "javascript:alert(1)",
            "../panel/",
            "https://",
        ] {
            let (parsed, d) = doc(&format!("id: d\ntitle: T\npublisher: P\nurl: \"{bad}\"\n"));
            assert!(matches!(parsed, Parsed::Nothing), "{bad}");
            assert_eq!(d.len(), 1, "{bad}: {d:?}");
            assert_eq!(
                d[0].span.as_ref().unwrap().to_string(),
                "content/documents/d.yaml:4:6"
            );
        }
        let (parsed, d) = doc("id: d\ntitle: T\npublisher: P\nurl: https://www.example.org/a?b\n");
        assert!(d.is_empty(), "{d:?}");
        let Parsed::Document(docs) = parsed else {
            panic!()
        };
        assert_eq!(docs[0].url.host, "example.org");
    }

    #[test]
    fn a_date_may_be_a_day_or_what_the_source_gives() {
        for (written, label) in [
            ("2024-10-22", "22 October 2024"),
            ("March 2013", "March 2013"),
            ("2021/22", "2021/22"),
        ] {
            let (parsed, d) = doc(&format!(
                "id: d\ntitle: T\npublisher: P\ndate: {written}\nurl: https://example.org/\n"
            ));
            assert!(d.is_empty(), "{d:?}");
            let Parsed::Document(docs) = parsed else {
                panic!()
            };
            assert_eq!(docs[0].date.as_ref().unwrap().label(), label);
        }
        let (_, d) =
            doc("id: d\ntitle: T\npublisher: P\ndate: 13th March\nurl: https://example.org/\n");
        assert_eq!(
            d[0].span.as_ref().unwrap().to_string(),
            "content/documents/d.yaml:4:7"
        );
    }
}
