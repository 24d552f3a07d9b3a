//! `records.json`, `records.csv` and `sitemap.xml`.

use serde::Serialize;

use super::{
    Column, Cx, GENERATED, LICENCE, col, csv_file, json_file, licence_text, opt, successor_json,
};
use crate::output::OutputFile;

pub(crate) const COLUMNS: &[Column] = &[
    col(
        "kind",
        "string",
        "What the record is: plan, section, variation, commitment, metric, grants (a table), grant (a row), decision, panel, response, paper or page.",
    ),
    col(
        "id",
        "string",
        "Its permanent id within its kind (a decision's normalised number; table/row for a grant).",
    ),
    col(
        "number",
        "string",
        "A decision's number as the organisation writes it, or a plan section's number.",
    ),
    col(
        "title",
        "string",
        "Its title; for a commitment, its full words from the plan.",
    ),
    col(
        "short_title",
        "string",
        "The shorter title the pages use, where it differs from title (a commitment's).",
    ),
    col(
        "date",
        "date",
        "Its own date: a decision's signing date (or publication date), a document's date, a plan's publication date, a grant's award date. Empty when the source gives none.",
    ),
    col(
        "updated",
        "date",
        "When the record was last changed, when stated.",
    ),
    col(
        "last_updated",
        "date",
        "When the record was last changed: the newest date in its list of changes, or its updated date. Empty when the source states none.",
    ),
    col(
        "withdrawn",
        "date",
        "The date the record was withdrawn; empty for a record that stands. A withdrawn record keeps its page and address.",
    ),
    col(
        "withdrawn_reason",
        "string",
        "Why the record was withdrawn, as stated.",
    ),
    col(
        "status",
        "string",
        "A decision's status (Published, Confidential, …), or a plan's or commitment's status.",
    ),
    col(
        "confidential_reason",
        "string",
        "For a confidential or partly confidential decision, the stated reason; its text is not published.",
    ),
    col("url", "string", "Its permanent address."),
    LICENCE,
    GENERATED,
];

/// `records.json`, fields in this order.
#[derive(Serialize)]
struct Package<'a> {
    title: String,
    publisher: &'a str,
    url: &'a str,
    licence: &'a crate::config::Licence,
    generated: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    successor: Option<serde_json::Value>,
    records: &'a [Row<'a>],
}

#[derive(Serialize)]
struct Row<'a> {
    kind: &'a str,
    id: &'a str,
    number: Option<&'a str>,
    title: &'a str,
    short_title: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    last_updated: Option<String>,
    withdrawn: Option<String>,
    withdrawn_reason: Option<&'a str>,
    status: Option<&'a str>,
    confidential_reason: Option<&'a str>,
    url: String,
}

fn rows<'a>(cx: &'a Cx<'a>) -> Vec<Row<'a>> {
    cx.infos
        .iter()
        .map(|i| Row {
            kind: i.meta.kind.keyword(),
            id: &i.meta.key,
            number: i.number,
            title: i.full_text.unwrap_or(&i.meta.title),
            short_title: i
                .full_text
                .filter(|t| t.trim_end_matches('.') != i.meta.title)
                .map(|_| i.meta.title.as_str()),
            date: i.date.map(|d| d.iso()),
            updated: i.meta.updated.map(|d| d.iso()),
            last_updated: i.meta.last_updated().map(|d| d.iso()),
            withdrawn: i.meta.withdrawn.as_ref().map(|w| w.date.iso()),
            withdrawn_reason: i.meta.withdrawn.as_ref().map(|w| w.reason.as_str()),
            status: i.status,
            confidential_reason: i.confidential_reason,
            url: cx.site.config.absolute(&i.meta.url),
        })
        .collect()
}

pub(crate) fn files(cx: &Cx<'_>) -> Vec<OutputFile> {
    let rows = rows(cx);
    let config = &cx.site.config;
    let json = Package {
        title: format!("Records of {}", config.title),
        publisher: &config.organisation,
        url: &config.base_url,
        licence: &config.licence,
        generated: cx.generated.iso(),
        successor: successor_json(cx),
        records: &rows,
    };
    let licence = licence_text(cx.site);
    let generated = cx.generated.iso();
    let csv_rows = rows
        .iter()
        .map(|r| {
            vec![
                r.kind.to_string(),
                r.id.to_string(),
                opt(r.number),
                r.title.to_string(),
                opt(r.short_title),
                opt(r.date.as_ref()),
                opt(r.updated.as_ref()),
                opt(r.last_updated.as_ref()),
                opt(r.withdrawn.as_ref()),
                opt(r.withdrawn_reason),
                opt(r.status),
                opt(r.confidential_reason),
                r.url.clone(),
                licence.clone(),
                generated.clone(),
            ]
        })
        .collect();
    vec![
        json_file("records.json", &json),
        csv_file("records.csv", COLUMNS, csv_rows),
    ]
}

/// Index pages listed in the sitemap besides the records.
const INDEX_PAGES: &[&str] = &[
    "plan/",
    "commitments/",
    "metrics/",
    "grants/",
    "decisions/",
    "panel/",
    "responses/",
    "papers/",
    "variations/",
    "browse/",
    "data/",
    "accessibility/",
];

/// `(absolute URL, last modified)` for every address in the sitemap.
fn sitemap_urls(cx: &Cx<'_>) -> Vec<(String, Option<String>)> {
    let config = &cx.site.config;
    let mut urls: Vec<(String, Option<String>)> = std::iter::once(config.base_url.clone())
        .chain(INDEX_PAGES.iter().map(|p| config.absolute(p)))
        .map(|u| (u, None))
        .chain(
            cx.infos
                .iter()
                .map(|i| (config.absolute(&i.meta.url), i.latest().map(|d| d.iso()))),
        )
        .collect();
    if config.transparency {
        urls.push((config.absolute(crate::transparency::URL), None));
    }
    urls.sort();
    urls.dedup_by(|a, b| a.0 == b.0);
    urls
}

pub(crate) fn sitemap_count(cx: &Cx<'_>) -> usize {
    sitemap_urls(cx).len()
}

pub(crate) fn sitemap(cx: &Cx<'_>) -> OutputFile {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in sitemap_urls(cx) {
        xml.push_str("  <url><loc>");
        xml.push_str(&super::feeds::escape(&url));
        xml.push_str("</loc>");
        if let Some(d) = lastmod {
            xml.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile {
        path: "sitemap.xml".into(),
        bytes: xml.into_bytes(),
    }
}
