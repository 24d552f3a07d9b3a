//! Open data and machine-readable files: records.json, records.csv,
//! sitemap.xml. Dates come from content, never the clock, so output is
//! deterministic.

use serde::Serialize;

use crate::link::Site;
use crate::render::OutputFile;

#[derive(Serialize)]
struct RecordRow<'a> {
    kind: &'a str,
    id: &'a str,
    number: Option<&'a str>,
    title: &'a str,
    date: Option<String>,
    status: Option<&'a str>,
    url: String,
}

fn rows(site: &Site) -> Vec<RecordRow<'_>> {
    let statuses: std::collections::HashMap<&str, &str> = site
        .records
        .decisions
        .iter()
        .map(|d| (d.meta.key.as_str(), d.status_label))
        .collect();
    let mut out: Vec<RecordRow<'_>> = site
        .records
        .metas()
        .into_iter()
        .map(|m| {
            let entry = site.entry(m.kind, &m.key);
            RecordRow {
                kind: m.kind.keyword(),
                id: &m.key,
                number: entry.and_then(|e| e.number.as_deref()),
                title: &m.title,
                date: entry.and_then(|e| e.date).map(|d| d.iso()),
                status: if m.kind == crate::types::Kind::Decision { statuses.get(m.key.as_str()).copied() } else { None },
                url: site.config.absolute(&m.url),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.kind, a.id).cmp(&(b.kind, b.id)));
    out
}

pub fn all(site: &Site) -> Vec<OutputFile> {
    let rows = rows(site);
    let mut files = Vec::new();
    let json = serde_json::json!({
        "publisher": site.config.organisation,
        "licence": site.config.licence,
        "records": rows,
    });
    files.push(OutputFile {
        path: "records.json".into(),
        bytes: serde_json::to_vec_pretty(&json).unwrap_or_default(),
    });
    let mut csv = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        let _ = csv.serialize(r);
    }
    files.push(OutputFile {
        path: "records.csv".into(),
        bytes: csv.into_inner().unwrap_or_default(),
    });
    let mut sitemap = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut urls: Vec<String> = std::iter::once(site.config.base_url.clone())
        .chain(rows.iter().map(|r| r.url.clone()))
        .collect();
    urls.sort();
    urls.dedup();
    for u in urls {
        sitemap.push_str(&format!("  <url><loc>{}</loc></url>\n", crate::markdown::escape_html(&u)));
    }
    sitemap.push_str("</urlset>\n");
    files.push(OutputFile { path: "sitemap.xml".into(), bytes: sitemap.into_bytes() });
    files
}
