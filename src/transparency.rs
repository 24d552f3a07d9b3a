//! The Specified Information index (`/transparency/`): one entry per item
//! of the Elected Local Policing Bodies (Specified Information) Order 2011,
//! as amended, each linked to what meets it. Some items are met by the
//! site's own records (decisions for 5(d), meetings for 5(a), grants tables
//! for 3(f)); the others by `specified_information:` in `site.yaml`, which
//! names a page elsewhere, records on the site, or the reason the item is
//! not published. An item with none of these is a warning at `check`.
//!
//! The Order's items are data shipped with the default theme
//! (`themes/default/specified-information.yaml`), in the Order's words.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::diagnostics::{Diagnostic, Span};
use crate::link::Site;
use crate::types::Kind;

const ORDER: &str = include_str!("../themes/default/specified-information.yaml");

/// Where the page is.
pub const URL: &str = "transparency/";

/// One item of the Order.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    para: String,
    group: String,
    text: String,
    #[serde(default = "crate::records::yes")]
    quoted: bool,
    found_by: Option<Finder>,
}

/// Which of a site's records meet an item.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Finder {
    Budgets,
    BudgetIncome,
    BudgetExpenditure,
    Precepts,
    Grants,
    Meetings,
    Agendas,
    Minutes,
    Decisions,
}

fn items() -> Vec<Item> {
    serde_saphyr::from_str(ORDER).expect("the Order's items are valid YAML")
}

/// The Order's paragraphs, in its order: what `site.yaml` may name.
pub fn paragraphs() -> Vec<&'static str> {
    use std::sync::OnceLock;
    static PARAS: OnceLock<Vec<String>> = OnceLock::new();
    PARAS
        .get_or_init(|| items().into_iter().map(|i| i.para).collect())
        .iter()
        .map(String::as_str)
        .collect()
}

/// A record still in force: a withdrawn one no longer meets an item.
fn live(meta: &crate::records::Meta) -> bool {
    meta.withdrawn.is_none()
}

/// What the site's records show for an item: a link to the list and how
/// many records, or nothing.
fn found(site: &Site, finder: Finder) -> Option<(String, String, usize)> {
    let r = &site.records;
    let (url, label, count) = match finder {
        Finder::Budgets => (
            "budgets/",
            "Budgets",
            r.budgets.iter().filter(|b| live(&b.meta)).count(),
        ),
        Finder::BudgetIncome => (
            "budgets/",
            "Budgets: income tables",
            r.budgets
                .iter()
                .filter(|b| live(&b.meta) && b.has_flow(crate::records::budget::Flow::Income))
                .count(),
        ),
        Finder::BudgetExpenditure => (
            "budgets/",
            "Budgets: expenditure tables",
            r.budgets
                .iter()
                .filter(|b| live(&b.meta) && b.has_flow(crate::records::budget::Flow::Expenditure))
                .count(),
        ),
        Finder::Precepts => (
            "precepts/",
            "Precepts",
            r.precepts.iter().filter(|p| live(&p.meta)).count(),
        ),
        Finder::Grants => (
            Kind::Grants.info().index,
            "Grants tables",
            r.grants.iter().filter(|g| live(&g.meta)).count(),
        ),
        Finder::Meetings => (
            "meetings/",
            "Meetings",
            r.meetings
                .iter()
                .filter(|m| live(&m.meta) && m.date.is_some())
                .count(),
        ),
        Finder::Agendas if r.meetings.iter().any(|m| !m.agenda.is_empty()) => (
            "meetings/",
            "Meetings with their agendas and papers",
            r.meetings
                .iter()
                .filter(|m| live(&m.meta) && !m.agenda.is_empty())
                .count(),
        ),
        // Papers published without a meeting record of their own.
        Finder::Agendas => (
            Kind::Paper.info().index,
            "Meeting papers",
            r.papers.iter().filter(|p| live(&p.meta)).count(),
        ),
        Finder::Minutes => (
            "meetings/",
            "Meetings with their minutes",
            r.meetings
                .iter()
                .filter(|m| live(&m.meta) && m.has_minutes())
                .count(),
        ),
        Finder::Decisions => (
            Kind::Decision.info().index,
            "Decisions",
            r.decisions.iter().filter(|d| live(&d.meta)).count(),
        ),
    };
    (count > 0).then(|| (url.to_string(), label.to_string(), count))
}

/// Every item with what meets it, for the page.
pub fn entries(site: &Site) -> Vec<Value> {
    let stated = site.config.specified_information.as_deref().unwrap_or(&[]);
    items()
        .into_iter()
        .map(|item| {
            let mapped = stated.iter().find(|s| s.para == item.para);
            let mut links: Vec<Value> = Vec::new();
            if let Some((url, label, count)) = item.found_by.and_then(|f| found(site, f)) {
                links.push(json!({"url": url, "text": label, "count": count, "on_site": true}));
            }
            if let Some(m) = mapped {
                for r in &m.records {
                    links.push(json!({"record": r, "on_site": true}));
                }
                if let Some(url) = &m.url {
                    links.push(json!({"href": url, "text": m.text.as_deref().unwrap_or(url), "on_site": false}));
                }
            }
            json!({
                "para": item.para,
                "anchor": format!("para-{}", anchor(&item.para)),
                "group": item.group,
                "text": item.text,
                "quoted": item.quoted,
                "links": links,
                "reason": mapped.and_then(|m| m.reason.clone()),
            })
        })
        .collect()
}

/// `3(f)` → `3-f`, `2A` → `2a`: the entry's address on the page (a
/// lettered sub-paragraph and an inserted paragraph stay apart).
fn anchor(para: &str) -> String {
    para.chars()
        .filter_map(|c| match c {
            '(' | ' ' => Some('-'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

/// The page's context: the entries in the Order's groups (its references
/// still to resolve).
pub fn page(site: &Site) -> Value {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for e in entries(site) {
        let group = e["group"].as_str().unwrap_or_default().to_string();
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(e),
            None => groups.push((group, vec![e])),
        }
    }
    let met = |v: &Value| v["links"].as_array().is_some_and(|l| !l.is_empty());
    let all: Vec<&Value> = groups.iter().flat_map(|(_, l)| l).collect();
    json!({
        "groups": groups.iter().map(|(g, list)| json!({"heading": g, "anchor": anchor(g), "entries": list})).collect::<Vec<_>>(),
        "met": all.iter().filter(|e| met(e)).count(),
        "total": all.len(),
    })
}

/// When the site has the page: an error for a paragraph `site.yaml` names
/// that the Order does not have, and a warning for every item nothing
/// meets and no reason explains.
pub fn warnings(site: &Site) -> Vec<Diagnostic> {
    let Some(stated) = &site.config.specified_information else {
        return Vec::new();
    };
    let known = paragraphs();
    let mut out: Vec<Diagnostic> = stated
        .iter()
        .filter(|s| !known.contains(&s.para.as_str()))
        .map(|s| {
            let help = crate::diagnostics::did_you_mean(&s.para, known.iter().copied())
                .unwrap_or_else(|| format!("the Order's paragraphs are {}", known.join(", ")));
            Diagnostic::error(
                Some(s.span.clone()),
                format!(
                    "`{}` is not a paragraph of the Specified Information Order",
                    s.para
                ),
            )
            .with_help(help)
        })
        .collect();
    let at = Span::file(&site.config.file);
    out.extend(entries(site)
        .into_iter()
        .filter(|e| {
            e["links"].as_array().is_none_or(Vec::is_empty) && e["reason"].is_null()
        })
        .map(|e| {
            Diagnostic::warning(
                Some(at.clone()),
                format!(
                    "nothing on the site meets paragraph {} of the Specified Information Order ({})",
                    e["para"].as_str().unwrap_or_default(),
                    e["text"].as_str().unwrap_or_default()
                ),
            )
            .with_help(format!(
                "say where it is published under `specified_information:` in site.yaml (`- para: \"{}\"` with `url:` and `text:`, or `records:`), or why it is not (`reason:`)",
                e["para"].as_str().unwrap_or_default()
            ))
        }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_orders_items_parse_and_each_paragraph_is_listed_once() {
        let paras = paragraphs();
        assert!(paras.len() >= 30, "{paras:?}");
        let mut seen = std::collections::HashSet::new();
        for p in &paras {
            assert!(seen.insert(*p), "{p} twice");
        }
        // Each has its own address on the page: 2(a) is not 2A.
        let mut anchors = std::collections::HashSet::new();
        for p in &paras {
            assert!(anchors.insert(anchor(p)), "{p}: {} twice", anchor(p));
        }
        assert_eq!(anchor("2(a)"), "2-a");
        assert_eq!(anchor("2A"), "2a");
        // The items the site's records can meet say how.
        let by_records: Vec<String> = items()
            .into_iter()
            .filter(|i| i.found_by.is_some())
            .map(|i| i.para)
            .collect();
        for p in ["3(f)", "5(a)", "5(b)", "5(c)", "5(d)"] {
            assert!(by_records.iter().any(|x| x == p), "{p}");
        }
    }
}
