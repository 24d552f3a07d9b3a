//! Stage 4: pages. Every page is a template from the theme and a context
//! built from the linked site. Rendering never parses Markdown: record
//! HTML was made at parse time, and reference placeholders in it are
//! swapped for links here, relative to each page.

pub mod chart;
pub mod pages;
pub mod progress;
pub(crate) mod select;
pub mod theme;

use serde_json::{Value, json};

use crate::link::Site;
use crate::markdown;
use crate::text::escape_html;
use crate::types::Kind;

pub use theme::Theme;

/// The relative path from a page at `url` (site-root-relative, ending in
/// `/` or a file name) back to the site root: `decisions/004-2014/` →
/// `../../`; the home page → `./`.
pub fn root_for(url: &str) -> String {
    let depth = url.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// Swaps reference placeholders in finished HTML for links, and the root
/// marker for the page's relative root.
pub fn expand_references(html: &str, site: &Site, root: &str) -> String {
    markdown::replace_placeholders(html, |inner| {
        let Some((kind, key, fragment, label)) = markdown::parse_placeholder(inner) else {
            return String::new();
        };
        match site.entry(kind, key) {
            Some(entry) => {
                let href = match fragment {
                    Some(f) => format!("{root}{}#{f}", entry.url),
                    None => format!("{root}{}", entry.url),
                };
                let text = match (label, fragment) {
                    (Some(l), _) => l.to_string(),
                    (None, Some(f)) if f.starts_with("para-") => {
                        format!("{}, paragraph {}", escape_html(&entry.link_text()), &f[5..])
                    }
                    _ => escape_html(&entry.link_text()),
                };
                format!("<a href=\"{href}\">{text}</a>")
            }
            // Only citations may point at records the site does not hold.
            None => {
                let written = label
                    .map(str::to_string)
                    .unwrap_or_else(|| escape_html(key));
                format!(
                    "{written} <span class=\"not-published\">(not published on this site)</span>"
                )
            }
        }
    })
}

/// Replaces every `{"$ref": …}` object in a template context with what it
/// resolves to: `url` (site-root-relative), `title`, `text`, `found`.
pub fn resolve_refs(value: &mut Value, site: &Site) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let target = target.clone();
                let label = map.get("label").cloned().unwrap_or(Value::Null);
                let written = map.get("written").cloned().unwrap_or(Value::Null);
                *value = resolved(&target, label, written, site);
                return;
            }
            for v in map.values_mut() {
                resolve_refs(v, site);
            }
        }
        Value::Array(items) => {
            for v in items {
                resolve_refs(v, site);
            }
        }
        _ => {}
    }
}

fn resolved(target: &str, label: Value, written: Value, site: &Site) -> Value {
    let (kind_key, fragment) = match target.split_once('#') {
        Some((k, f)) => (k, Some(f)),
        None => (target, None),
    };
    let (kind, key) = kind_key.split_once(' ').unwrap_or((kind_key, ""));
    let kind = Kind::from_keyword(kind);
    match kind.and_then(|k| site.entry(k, key)) {
        Some(e) => json!({
            "found": true,
            "url": match fragment { Some(f) => format!("{}#{f}", e.url), None => e.url.clone() },
            "title": e.title,
            "text": e.link_text(),
            "kind": e.kind,
            "kind_label": e.kind_label,
            "number": e.number,
            "key": e.key,
            "label": label,
        }),
        None => json!({
            "found": false,
            "url": Value::Null,
            "title": written.clone(),
            "text": written,
            "kind": kind,
            "kind_label": kind.map(|k| k.label()),
            "number": Value::Null,
            "key": key,
            "label": label,
        }),
    }
}
