//! Which pages a site has, and the context each template gets.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::{Theme, chart, expand_references, resolve_refs, root_for};
use crate::diagnostics::Diagnostic;
use crate::link::{Backlink, Site};
use crate::output::{OutputFile, Sink};
use crate::records::Meta;
use crate::types::Kind;

/// A page to render: its URL, template and the context specific to it.
pub struct PageJob {
    pub url: String,
    pub template: &'static str,
    pub title: String,
    pub breadcrumbs: Vec<(String, String)>,
    pub context: Value,
}

#[derive(Serialize)]
struct BacklinkGroup<'a> {
    heading: &'a str,
    items: Vec<&'a Backlink>,
}

/// Backlinks by heading, each record once in a list (a response answering
/// eight recommendations is one response), and a record already under a
/// specific heading ("Responses to it") not again under a "Mentioned in …".
fn grouped(backlinks: &[Backlink]) -> Vec<BacklinkGroup<'_>> {
    let page = |b: &Backlink| b.url.split('#').next().unwrap_or_default().to_string();
    let specific: std::collections::HashSet<String> = backlinks
        .iter()
        .filter(|b| !b.heading.starts_with("Mentioned in"))
        .map(page)
        .collect();
    let mut groups: Vec<BacklinkGroup<'_>> = Vec::new();
    for b in backlinks {
        if b.heading.starts_with("Mentioned in") && specific.contains(&page(b)) {
            continue;
        }
        match groups.iter_mut().find(|g| g.heading == b.heading) {
            Some(g) => {
                match g.items.iter_mut().find(|x| page(x) == page(b)) {
                    // Keep the link to the whole record over one to a part.
                    Some(x) if b.url.len() < x.url.len() => *x = b,
                    Some(_) => {}
                    None => g.items.push(b),
                }
            }
            None => groups.push(BacklinkGroup {
                heading: &b.heading,
                items: vec![b],
            }),
        }
    }
    groups
}

fn to_value<T: Serialize>(value: &T, site: &Site) -> Value {
    let mut v = serde_json::to_value(value).unwrap_or(Value::Null);
    resolve_refs(&mut v, site);
    v
}

/// The common part of a record page's context.
fn record_job(
    site: &Site,
    meta: &Meta,
    template: &'static str,
    record: Value,
    crumbs: Vec<(String, String)>,
    extra: Value,
) -> PageJob {
    let history = history(site, meta, &record);
    let mut context = json!({
        "record": record,
        "history": history,
        "backlinks": grouped(site.backlinks_of(meta)),
        "cite_url": site.config.absolute(&meta.url),
    });
    if let (Value::Object(c), Value::Object(e)) = (&mut context, extra) {
        c.extend(e);
    }
    PageJob {
        url: meta.url.clone(),
        template,
        title: meta.title.clone(),
        breadcrumbs: crumbs,
        context,
    }
}

/// What a record's page says of its history (`macros/history.html` and
/// the withdrawal banner in `base.html`): when it was published, when last
/// updated, its changes newest first, and its withdrawal. Null for a
/// record whose source states no change, update or withdrawal, so a page
/// shows no history it does not have. "Published" is a decision's
/// publication date (its own date is the day it was signed, so without a
/// stated publication date there is no "Published"), else the record's
/// own date.
fn history(site: &Site, meta: &Meta, record: &Value) -> Value {
    if meta.changes.is_empty() && meta.updated.is_none() && meta.withdrawn.is_none() {
        return Value::Null;
    }
    let published = match meta.kind {
        Kind::Decision => record["date_published"].clone(),
        _ => json!(site.entry(meta.kind, &meta.key).and_then(|e| e.date)),
    };
    json!({
        "published": published,
        "last_updated": meta.last_updated(),
        "changes": meta.changes,
        "withdrawn": meta.withdrawn,
    })
}

/// Whether a record is shown in lists (kind lists, browsing, the home
/// page): every record but a withdrawn one, which keeps its page, its
/// search entry, its open-data row and its feed entries.
pub(super) fn listed(meta: &Meta) -> bool {
    meta.withdrawn.is_none()
}

fn crumb(title: &str, url: &str) -> (String, String) {
    (title.to_string(), url.to_string())
}

/// The kinds whose pages `jobs_selected` may leave out. A site holds
/// thousands of these, and each one's page depends only on the record, the
/// records it refers to and those that refer to it; the other kinds are few
/// and draw on each other (sections, counts, timelines), so their pages are
/// always made.
pub fn is_selectable(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Decision | Kind::Panel | Kind::Response | Kind::Paper | Kind::Page
    )
}

/// Every page, except the pages of selectable records (`is_selectable`)
/// that `keep` turns down and, without `lists`, the pages that list
/// selectable records (indexes, browsing, home, the Open data page,
/// redirects). `serve` uses it to rebuild only the pages a change can reach.
pub fn jobs_selected(
    site: &Site,
    keep: &(dyn Fn(&Meta) -> bool + Sync),
    lists: bool,
) -> Vec<PageJob> {
    jobs_of(site, keep, lists, true)
}

/// As `jobs_selected`, and without `fixed` none of the pages that are always
/// made (those of records that are not selectable): only the selectable
/// records' own pages `keep` takes, and with `lists` the lists of them.
fn jobs_of(
    site: &Site,
    keep: &(dyn Fn(&Meta) -> bool + Sync),
    lists: bool,
    fixed: bool,
) -> Vec<PageJob> {
    let mut jobs: Vec<PageJob> = Vec::new();
    if fixed {
        plan_jobs(site, &mut jobs);
        commitment_and_metric_jobs(site, &mut jobs);
        grants_jobs(site, &mut jobs);
    }
    decision_jobs(site, &mut jobs, keep, lists);
    document_jobs(site, &mut jobs, keep, lists, fixed);
    registry_jobs(site, &mut jobs, keep, lists, fixed);
    if lists {
        site_jobs(site, &mut jobs);
    }
    jobs
}

/// The plans, their sections and the list of plans.
fn plan_jobs(site: &Site, jobs: &mut Vec<PageJob>) {
    let r = &site.records;
    // Plans and their sections.
    for plan in &r.plans {
        let sections: Vec<Value> = r
            .sections
            .iter()
            .filter(|s| s.plan == plan.meta.key)
            .map(|s| {
                json!({
                    "title": s.meta.title, "url": s.meta.url, "number": s.number,
                    "subsections": s.body.as_ref().map(|b| b.headings.iter().filter(|h| h.level == 2).collect::<Vec<_>>()).unwrap_or_default(),
                })
            })
            .collect();
        let tables: Vec<Value> = r
            .grants
            .iter()
            .filter(|g| {
                g.plan
                    .as_ref()
                    .is_some_and(|p| p.target.key == plan.meta.key)
            })
            .map(|g| json!({"title": g.meta.title, "url": g.meta.url}))
            .collect();
        let counts = json!({
            "commitments": r.commitments.iter().filter(|c| c.plan.target.key == plan.meta.key).count(),
            "metrics": r.metrics.iter().filter(|m| m.plan.as_ref().is_some_and(|p| p.target.key == plan.meta.key)).count(),
        });
        let timeline = site.timelines.get(&(Kind::Plan, plan.meta.key.clone()));
        jobs.push(record_job(
            site,
            &plan.meta,
            "plan.html",
            to_value(plan, site),
            vec![crumb("Plans", "plan/")],
            json!({"sections": sections, "grants_tables": tables, "counts": counts, "timeline": timeline}),
        ));
    }
    jobs.push(list_job(
        "plan/",
        "plans.html",
        "Plans",
        json!({
            "items": r.plans.iter().filter(|p| listed(&p.meta)).map(|p| to_value(p, site)).collect::<Vec<_>>(),
        }),
    ));
    for (i, s) in r.sections.iter().enumerate() {
        let plan = r.plans.iter().find(|p| p.meta.key == s.plan);
        let in_section = |section: &crate::refs::Ref| section.target.key == s.meta.key;
        let subsections: Vec<Value> = s
            .body
            .as_ref()
            .map(|b| b.headings.iter().filter(|h| h.level == 2).collect::<Vec<_>>())
            .unwrap_or_default()
            .into_iter()
            .map(|h| {
                let here = |sec: &crate::refs::Ref| in_section(sec) && sec.target.fragment.as_deref() == Some(h.id.as_str());
                json!({
                    "id": h.id, "title": h.text,
                    "commitments": r.commitments.iter().filter(|c| here(&c.section)).map(commitment_summary).collect::<Vec<_>>(),
                    "metrics": r.metrics.iter().filter(|m| m.section.as_ref().is_some_and(here)).map(|m| summary(&m.meta, &m.name)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let loose: Vec<Value> = r
            .commitments
            .iter()
            .filter(|c| in_section(&c.section) && c.section.target.fragment.is_none())
            .map(commitment_summary)
            .collect();
        let prev = i
            .checked_sub(1)
            .and_then(|p| r.sections.get(p))
            .filter(|p| p.plan == s.plan);
        let next = r.sections.get(i + 1).filter(|n| n.plan == s.plan);
        let link = |x: Option<&crate::records::Section>| {
            x.map(|x| json!({"title": x.meta.title, "url": x.meta.url, "number": x.number}))
        };
        let mut crumbs = vec![crumb("Plans", "plan/")];
        if let Some(p) = plan {
            crumbs.push(crumb(&p.meta.title, &p.meta.url));
        }
        let mut record = to_value(s, site);
        if let Some(body) = record["body"].as_str() {
            let linked = link_commitments(
                body,
                r.commitments.iter().filter(|c| in_section(&c.section)),
                &root_for(&s.meta.url),
            );
            record["body"] = json!(linked);
        }
        // The section's grants tables, from the grants records: each right
        // after the paragraph of the text that links it (the text says "the
        // table below"), the others after the text.
        let tables: Vec<Value> = r
            .grants
            .iter()
            .filter(|g| g.section.as_ref().is_some_and(in_section))
            .map(|g| to_value(g, site))
            .collect();
        let (body_parts, other_tables) = match record["body"].as_str() {
            Some(body) => place_tables(body, tables),
            None => (Vec::new(), tables),
        };
        jobs.push(record_job(
            site,
            &s.meta,
            "section.html",
            record,
            crumbs,
            json!({
                "plan": plan.map(|p| json!({"title": p.meta.title, "url": p.meta.url})),
                "subsections": subsections, "loose_commitments": loose,
                "statuses": statuses_shown(site),
                "body_parts": body_parts,
                "grants_tables": other_tables,
                "previous": link(prev), "next": link(next),
            }),
        ));
    }
}

/// Splits a section's HTML after each paragraph that is nothing but a
/// reference to one of `tables` (`[[grants x|…]]` alone in its paragraph;
/// still a placeholder here, made a link when the page is written), so the
/// table is shown there: `[{html, tables}]` in order, and the tables no
/// paragraph names, for after the text.
fn place_tables(body: &str, tables: Vec<Value>) -> (Vec<Value>, Vec<Value>) {
    use crate::text::{PLACEHOLDER_END, PLACEHOLDER_START};
    let mut placed: Vec<(usize, Value)> = Vec::new();
    let mut others = Vec::new();
    for t in tables {
        let key = t["meta"]["key"].as_str().unwrap_or_default();
        let open = format!("<p>{PLACEHOLDER_START}grants {key}");
        let end = body.match_indices(&open).find_map(|(at, _)| {
            let rest = &body[at + open.len()..];
            // The reference and perhaps its label, then the paragraph's end.
            let close = rest.find(PLACEHOLDER_END)?;
            let inner = &rest[..close];
            let after = &rest[close + PLACEHOLDER_END.len_utf8()..];
            ((inner.is_empty() || inner.starts_with('|')) && after.starts_with("</p>"))
                .then(|| at + open.len() + close + PLACEHOLDER_END.len_utf8() + "</p>".len())
        });
        match end {
            Some(end) => placed.push((end, t)),
            None => others.push(t),
        }
    }
    placed.sort_by_key(|(end, _)| *end);
    let mut parts = Vec::new();
    let mut from = 0;
    for (end, t) in placed {
        parts.push(json!({"html": &body[from..end], "tables": [t]}));
        from = end;
    }
    parts.push(json!({"html": &body[from..], "tables": []}));
    (parts, others)
}

/// Commitments and metrics, each with its list.
fn commitment_and_metric_jobs(site: &Site, jobs: &mut Vec<PageJob>) {
    let r = &site.records;
    // Commitments and metrics.
    for c in &r.commitments {
        let metrics: Vec<Value> = r
            .metrics
            .iter()
            .filter(|m| m.commitments.iter().any(|x| x.target.key == c.meta.key))
            .map(|m| json!({"title": m.name, "url": m.meta.url, "target": m.target, "has_series": !m.series.is_empty()}))
            .collect();
        // The subsection of the plan it sits in, so the page says where its
        // words come from ("this partnership" makes sense in its place).
        let section = r
            .sections
            .iter()
            .find(|s| s.meta.key == c.section.target.key);
        let subsection = section
            .zip(c.section.target.fragment.as_deref())
            .and_then(|(s, f)| {
                let h = s.body.as_ref()?.headings.iter().find(|h| h.id == f)?;
                Some(json!({"title": h.text, "url": format!("{}#{}", s.meta.url, h.id)}))
            });
        let mut job = record_job(
            site,
            &c.meta,
            "commitment.html",
            to_value(c, site),
            vec![crumb("Commitments", "commitments/")],
            json!({"metrics": metrics, "subsection": subsection,
                "section": section.map(|s| json!({"title": s.meta.title, "url": s.meta.url, "number": s.number}))}),
        );
        // The page lists its metrics with their targets; the linked
        // records need not list them again.
        if let Some(groups) = job.context["backlinks"].as_array_mut() {
            groups.retain(|g| g["heading"] != crate::link::MEASURES_HEADING);
        }
        jobs.push(job);
    }
    jobs.push(list_job("commitments/", "commitments.html", "Commitments", json!({
        "groups": by_section(site, |s| r.commitments.iter().filter(|c| c.section.target.key == s && listed(&c.meta)).map(commitment_summary).collect()),
        "count": r.commitments.iter().filter(|c| listed(&c.meta)).count(),
        "statuses": statuses_shown(site),
    })));
    for m in &r.metrics {
        let chart = chart::svg(m);
        jobs.push(record_job(
            site,
            &m.meta,
            "metric.html",
            to_value(m, site),
            vec![crumb("Metrics", "metrics/")],
            json!({"chart": chart, "latest": m.series.last()}),
        ));
    }
    jobs.push(list_job(
        "metrics/",
        "metrics.html",
        "Metrics",
        json!({
            "groups": metric_groups(site),
            "count": r.metrics.len(),
        }),
    ));
}

/// The metrics list's groups: the plan's sections in order, then each
/// document published elsewhere that sets metrics.
fn metric_groups(site: &Site) -> Vec<Value> {
    let r = &site.records;
    let row = |m: &crate::records::Metric| {
        let mut v = summary(&m.meta, &m.name);
        v["target"] = json!(m.target);
        v["latest"] = json!(
            m.series
                .last()
                .map(|p| format!("{} ({})", p.value_text, p.period_label))
        );
        v
    };
    let within = |home: &Option<crate::refs::Ref>, key: &str| {
        home.as_ref().is_some_and(|h| h.target.key == key)
    };
    let mut groups = by_section(site, |s| {
        r.metrics
            .iter()
            .filter(|m| within(&m.section, s) && listed(&m.meta))
            .map(row)
            .collect()
    });
    for d in &r.documents {
        let items: Vec<Value> = r
            .metrics
            .iter()
            .filter(|m| within(&m.document, &d.meta.key) && listed(&m.meta))
            .map(row)
            .collect();
        if !items.is_empty() {
            groups.push(json!({"title": d.meta.title, "url": d.meta.url, "number": null, "elsewhere": d.publisher, "items": items}));
        }
    }
    groups
}

/// Grants tables, their rows and the list of tables.
fn grants_jobs(site: &Site, jobs: &mut Vec<PageJob>) {
    let r = &site.records;
    // Grants.
    for g in &r.grants {
        jobs.push(record_job(
            site,
            &g.meta,
            "grants.html",
            to_value(g, site),
            vec![crumb("Grants", "grants/")],
            json!({}),
        ));
        for row in &g.rows {
            jobs.push(record_job(
                site,
                &row.meta,
                "grant.html",
                to_value(row, site),
                vec![crumb("Grants", "grants/"), crumb(&g.meta.title, &g.meta.url)],
                json!({"table": {"title": g.meta.title, "url": g.meta.url, "unit": g.unit_label, "financial_year": g.financial_year}}),
            ));
        }
    }
    jobs.push(list_job(
        "grants/",
        "grants-index.html",
        "Grants",
        json!({
            "items": r.grants.iter().filter(|g| listed(&g.meta)).map(|g| json!({
                "title": g.meta.title, "url": g.meta.url, "financial_year": g.financial_year,
                "rows": g.rows.len(), "unit": g.unit_label, "note": g.total.note,
            })).collect::<Vec<_>>(),
        }),
    ));
}

/// Decisions (those `keep` takes) and, with `lists`, their list.
fn decision_jobs(
    site: &Site,
    jobs: &mut Vec<PageJob>,
    keep: &(dyn Fn(&Meta) -> bool + Sync),
    lists: bool,
) {
    let r = &site.records;
    // Decisions: the bulk of a large site, so their contexts are built in
    // parallel (in order, as `collect` keeps it).
    jobs.par_extend(r.decisions.par_iter().filter(|d| keep(&d.meta)).map(|d| {
        let mut crumbs = vec![crumb("Decisions", "decisions/")];
        if let Some(date) = d.date() {
            let y = date.year().to_string();
            crumbs.push((y.clone(), format!("browse/decision/{y}/")));
        }
        record_job(
            site,
            &d.meta,
            "decision.html",
            to_value(d, site),
            crumbs,
            json!({"labels": d.labels.resolve(&site.config.labels.decision)}),
        )
    }));
    if lists {
        let mut by_year: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let shown: Vec<_> = r.decisions.iter().filter(|d| listed(&d.meta)).collect();
        for d in &shown {
            let year = d
                .date()
                .map(|x| x.year().to_string())
                .unwrap_or_else(|| "Undated".into());
            by_year.entry(year).or_default().push(json!({
                "title": d.meta.title, "url": d.meta.url, "number": d.number,
                "date": d.date(), "status": d.status_label, "confidential": d.confidential,
            }));
        }
        // Newest year first; decisions whose sources state no date last.
        let undated = by_year.remove("Undated");
        let years: Vec<Value> = by_year
            .into_iter()
            .rev()
            .chain(undated.map(|items| ("Undated".to_string(), items)))
            .map(|(year, items)| json!({"year": year, "items": items}))
            .collect();
        jobs.push(list_job(
            "decisions/",
            "decisions.html",
            "Decisions",
            json!({
                "years": years,
                "count": shown.len(),
                "registers": r.registers.iter().filter(|g| listed(&g.meta))
                    .map(|g| json!({"title": g.meta.title, "url": g.meta.url}))
                    .collect::<Vec<_>>(),
            }),
        ));
    }
}

/// Panel documents, responses, papers, variations and pages (those `keep` takes where they are selectable), with their lists.
fn document_jobs(
    site: &Site,
    jobs: &mut Vec<PageJob>,
    keep: &(dyn Fn(&Meta) -> bool + Sync),
    lists: bool,
    fixed: bool,
) {
    let r = &site.records;
    // Panel documents, responses, papers, variations, pages.
    for p in r.panel.iter().filter(|x| keep(&x.meta)) {
        // Each recommendation with the answers published responses give it.
        let mut record = to_value(p, site);
        if let Some(recs) = record["recommendations"].as_array_mut() {
            for rec in recs {
                let id = rec["id"].as_str().unwrap_or_default().to_string();
                let answers = site.answers.get(&(p.meta.key.clone(), id));
                rec["answers"] = json!(answers.map(Vec::as_slice).unwrap_or_default());
            }
        }
        jobs.push(record_job(
            site,
            &p.meta,
            "panel.html",
            record,
            vec![crumb("Police and Crime Panel", "panel/")],
            json!({}),
        ));
    }
    for x in r.responses.iter().filter(|x| keep(&x.meta)) {
        let mut record = to_value(x, site);
        let titles = recommendation_titles(site, x);
        if let Some(answers) = record["answers"].as_array_mut() {
            for a in answers {
                let title = a["recommendation_id"]
                    .as_str()
                    .and_then(|id| titles.get(id))
                    .cloned();
                a["recommendation_title"] = json!(title);
            }
        }
        jobs.push(record_job(
            site,
            &x.meta,
            "response.html",
            record,
            vec![crumb("Responses", "responses/")],
            json!({}),
        ));
    }
    if lists {
        jobs.push(list_job("panel/", "panel-index.html", "Police and Crime Panel", json!({
            "documents": r.panel.iter().filter(|p| listed(&p.meta)).map(|p| json!({"title": p.meta.title, "url": p.meta.url, "date": p.date, "type": p.type_label})).collect::<Vec<_>>(),
            "responses": r.responses.iter().filter(|x| listed(&x.meta)).map(|x| json!({"title": x.meta.title, "url": x.meta.url, "date": x.date})).collect::<Vec<_>>(),
        })));
        jobs.push(simple_list(
            site,
            "responses/",
            "Responses to the Panel",
            "The Commissioner's responses to reports of the Police and Crime Panel.",
            r.responses.iter().map(|x| (&x.meta, x.date)).collect(),
        ));
    }
    for x in r.papers.iter().filter(|x| keep(&x.meta)) {
        jobs.push(record_job(
            site,
            &x.meta,
            "paper.html",
            to_value(x, site),
            vec![crumb("Meeting papers", "papers/")],
            // A purpose the paper's own text states word for word is not
            // shown twice.
            json!({"purpose_in_body": x.purpose.as_ref().zip(x.body.as_ref()).is_some_and(|(p, b)| {
                let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
                words(&b.text).contains(&words(&p.text))
            })}),
        ));
    }
    if lists {
        jobs.push(simple_list(
            site,
            "papers/",
            "Meeting papers",
            "Papers for the Strategic Policing and Crime Board and other meetings.",
            r.papers.iter().map(|x| (&x.meta, x.date)).collect(),
        ));
    }
    for x in r.variations.iter().filter(|_| fixed) {
        let timeline = site.timelines.get(&(Kind::Variation, x.meta.key.clone()));
        jobs.push(record_job(
            site,
            &x.meta,
            "variation.html",
            to_value(x, site),
            vec![crumb("Plan variations", "variations/")],
            json!({"timeline": timeline}),
        ));
    }
    if fixed {
        jobs.push(simple_list(
            site,
            "variations/",
            "Plan variations",
            "Variations to a police and crime plan, with the statutory steps each went through.",
            r.variations.iter().map(|x| (&x.meta, x.date)).collect(),
        ));
    }
    for x in r.pages.iter().filter(|x| keep(&x.meta)) {
        jobs.push(record_job(
            site,
            &x.meta,
            "page.html",
            to_value(x, site),
            vec![],
            json!({}),
        ));
    }
}

/// The kinds published from the registry alone (`records::registry::bespoke`): each record on its kind's template, and a list of them.
fn registry_jobs(
    site: &Site,
    jobs: &mut Vec<PageJob>,
    keep: &(dyn Fn(&Meta) -> bool + Sync),
    lists: bool,
    fixed: bool,
) {
    let r = &site.records;
    // Kinds with no page code of their own: each record on its kind's
    // template, and a list of them.
    for kind in Kind::ALL
        .into_iter()
        .filter(|k| !crate::records::registry::bespoke(*k) && (fixed || is_selectable(*k)))
    {
        let info = kind.info();
        let items = r.of_kind(kind);
        // Only selectable kinds' pages may be left out (`is_selectable`).
        for g in items
            .iter()
            .filter(|g| !is_selectable(kind) || keep(g.meta))
        {
            let mut record = g.record();
            resolve_refs(&mut record, site);
            let mut context = g.context(r);
            resolve_refs(&mut context, site);
            jobs.push(record_job(
                site,
                g.meta,
                info.template,
                record,
                vec![crumb(info.plural_label, info.index)],
                context,
            ));
        }
        let listed = if is_selectable(kind) { lists } else { fixed };
        if listed && kind == Kind::Meeting && !items.is_empty() {
            jobs.push(meetings_list(site, info));
        } else if listed && !info.index.is_empty() && !items.is_empty() {
            jobs.push(simple_list(
                site,
                info.index,
                info.plural_label,
                info.intro,
                items.iter().map(|g| (g.meta, g.date)).collect(),
            ));
        }
    }
}

/// With `lists`: browsing, the home page, search, the accessibility statement, the Open data page, the 404 page and redirects.
fn site_jobs(site: &Site, jobs: &mut Vec<PageJob>) {
    jobs.extend(browse_jobs(site));
    jobs.push(home_job(site));
    jobs.push(list_job(
        "search/",
        "search.html",
        "Search",
        json!({"kinds": kinds_present(site)}),
    ));
    jobs.push(list_job(
        "accessibility/",
        "accessibility.html",
        "Accessibility statement",
        json!({}),
    ));
    if site.config.specified_information.is_some() {
        let mut context = crate::transparency::page(site);
        resolve_refs(&mut context, site);
        jobs.push(list_job(
            crate::transparency::URL,
            "transparency.html",
            "Specified information",
            context,
        ));
    }
    if !site.records.commitments.is_empty() {
        let mut context = super::progress::page(site);
        resolve_refs(&mut context, site);
        jobs.push(list_job(
            super::progress::URL,
            "progress.html",
            "Progress on the plan",
            context,
        ));
    }
    jobs.push(list_job(
        "data/",
        "data.html",
        "Open data",
        json!({"data": crate::export::catalogue(site)}),
    ));
    jobs.push(list_job(
        "404.html",
        "404.html",
        "Page not found",
        json!({}),
    ));
    jobs.extend(redirect_jobs(site));
}

/// A redirect page for every old address in `aliases:`, and for the
/// canonical form of a decision number written otherwise (`Site::aliases_of`).
fn redirect_jobs(site: &Site) -> Vec<PageJob> {
    let mut out = Vec::new();
    for meta in site.records.metas() {
        for alias in site.aliases_of(meta) {
            let url = crate::claims::alias_url(alias);
            out.push(PageJob {
                url: url.clone(),
                template: "redirect.html",
                title: meta.title.clone(),
                breadcrumbs: vec![],
                context: json!({"target": meta.url, "target_absolute": site.config.absolute(&meta.url)}),
            });
        }
    }
    out
}

/// The plan's text with each commitment's promise ("I will …", its first
/// sentence that says so) linked to the commitment's page, where the
/// sentence stands in the text word for word and once only.
fn link_commitments<'a>(
    body: &str,
    commitments: impl Iterator<Item = &'a crate::records::Commitment>,
    root: &str,
) -> String {
    let mut html = body.to_string();
    for c in commitments {
        let text = c
            .source_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let Some(sentence) = text
            .split_inclusive(". ")
            .map(str::trim)
            .find(|s| s.contains("I will"))
        else {
            continue;
        };
        let escaped = crate::text::escape_html(sentence);
        let plain = sentence.replace('\'', "&#39;").replace('"', "&quot;");
        for candidate in [escaped, plain, sentence.to_string()] {
            if html.matches(candidate.as_str()).count() != 1 {
                continue;
            }
            let at = html.find(candidate.as_str()).expect("counted once");
            let before = &html[..at];
            // Not inside a tag, nor inside a link already (no nested links).
            let in_tag = before.rfind('<') > before.rfind('>');
            let in_link = before.rfind("<a ") > before.rfind("</a>");
            // Nor inside a reference's placeholder (its label becomes a link).
            let in_reference = before.rfind('\u{E000}') > before.rfind('\u{E001}');
            if in_tag || in_link || in_reference {
                break;
            }
            let link = format!(
                "<a class=\"commitment-link\" href=\"{root}{}\">{candidate}</a>",
                c.meta.url
            );
            html.replace_range(at..at + candidate.len(), &link);
            break;
        }
    }
    html
}

/// Each answered recommendation's title by its id, from the Panel report it
/// answers, so the answers are headed by what a reader recognises.
fn recommendation_titles(site: &Site, x: &crate::records::Response) -> BTreeMap<String, String> {
    x.answers
        .iter()
        .filter_map(|a| {
            let report = site
                .records
                .panel
                .iter()
                .find(|p| p.meta.key == a.recommendation.target.key)?;
            let rec = report
                .recommendations
                .iter()
                .find(|r| r.id == a.recommendation_id)?;
            Some((a.recommendation_id.clone(), rec.title.clone()))
        })
        .collect()
}

fn summary(meta: &Meta, text_html: &str) -> Value {
    json!({"title": meta.title, "url": meta.url, "id": meta.key, "html": text_html})
}

/// Whether lists show each commitment's status: only when the listed
/// commitments' statuses differ. When all share one (every West Midlands
/// commitment is "No progress reported yet"), the list says so once rather
/// than on every line; `{vary, all}` with that one label as `all`.
fn statuses_shown(site: &Site) -> Value {
    let mut labels = site
        .records
        .commitments
        .iter()
        .filter(|c| listed(&c.meta))
        .map(|c| c.status_label.as_str());
    let first = labels.next();
    let vary = labels.any(|l| Some(l) != first);
    json!({"vary": vary, "all": if vary { None } else { first }})
}

/// A commitment in a list: its summary and its status now, with when that
/// was reported.
fn commitment_summary(c: &crate::records::Commitment) -> Value {
    let mut v = summary(&c.meta, c.text.inline_html());
    v["status"] = json!(c.status_label);
    v["status_id"] = json!(c.status.as_ref().map(|s| &s.id));
    v["status_since"] = json!(c.status_since);
    v
}

/// Items grouped by the plan section they sit in, in plan order.
fn by_section(site: &Site, items: impl Fn(&str) -> Vec<Value>) -> Vec<Value> {
    site.records
        .sections
        .iter()
        .filter_map(|s| {
            let list = items(&s.meta.key);
            (!list.is_empty()).then(|| {
                json!({"title": s.meta.title, "url": s.meta.url, "number": s.number, "items": list})
            })
        })
        .collect()
}

fn list_job(url: &str, template: &'static str, title: &str, context: Value) -> PageJob {
    PageJob {
        url: url.to_string(),
        template,
        title: title.to_string(),
        breadcrumbs: vec![],
        context,
    }
}

fn simple_list(
    _site: &Site,
    url: &str,
    title: &str,
    intro: &str,
    items: Vec<(&Meta, Option<crate::types::Date>)>,
) -> PageJob {
    list_job(
        url,
        "list.html",
        title,
        json!({
            "intro": intro,
            "items": items.iter().filter(|(m, _)| listed(m)).map(|(m, d)| json!({"title": m.title, "url": m.url, "date": d, "kind_label": m.kind_label})).collect::<Vec<_>>(),
        }),
    )
}

/// `/meetings/`: upcoming meetings apart from past ones, by the status each
/// meeting states (scheduled: upcoming; held or cancelled: past), never by
/// today's date, so a build does not change with the day. Upcoming soonest
/// first, past newest first; a meeting with no date stated comes last.
fn meetings_list(site: &Site, info: &crate::types::KindInfo) -> PageJob {
    use crate::records::meeting::Status;
    // A title that already names the day ("Board, 21 January 2025") is not
    // followed by the same date again.
    let item = |m: &crate::records::Meeting| {
        let titled = m.date.is_some_and(|d| m.meta.title.contains(&d.long()));
        json!({"title": m.meta.title, "url": m.meta.url, "date": m.date, "date_in_title": titled, "kind_label": m.status_label})
    };
    let meetings = &site.records.meetings;
    let mut upcoming: Vec<_> = meetings
        .iter()
        .filter(|m| m.status == Status::Scheduled && listed(&m.meta))
        .collect();
    upcoming.sort_by_key(|m| (m.date.is_none(), m.date));
    let mut past: Vec<_> = meetings
        .iter()
        .filter(|m| m.status != Status::Scheduled && listed(&m.meta))
        .collect();
    past.sort_by_key(|m| (m.date.is_none(), std::cmp::Reverse(m.date)));
    let group = |heading: &str, id: &str, empty: &str, list: Vec<&crate::records::Meeting>| json!({"heading": heading, "id": id, "empty": empty, "items": list.into_iter().map(item).collect::<Vec<_>>()});
    list_job(
        info.index,
        "list.html",
        info.plural_label,
        json!({
            "intro": info.intro,
            "groups": [
                group("Upcoming meetings", "upcoming", "No meeting is listed as scheduled.", upcoming),
                group("Past meetings", "past", "No meeting is listed as held or cancelled.", past),
            ],
        }),
    )
}

/// The page that lists a kind's records (`""`: none of its own).
fn kind_index_url(k: Kind) -> &'static str {
    k.info().index
}

fn kinds_present(site: &Site) -> Vec<Value> {
    let mut kinds: Vec<Kind> = site.entries.values().map(|e| e.kind).collect();
    kinds.sort();
    kinds.dedup();
    // Kinds listed on one page (the plan and its sections, grants tables
    // and their rows) get one link, named after the first of them.
    let mut urls = HashSet::new();
    kinds
        .into_iter()
        .filter(|k| urls.insert(kind_index_url(*k)))
        .map(|k| json!({"kind": k, "label": k.plural_label(), "url": kind_index_url(k)}))
        .collect()
}

/// The year each dated record belongs to, for browsing, in one pass over
/// the records (looking each one up in its list would be quadratic).
fn record_years(site: &Site) -> HashMap<(Kind, &str), i16> {
    site.records
        .dated()
        .into_iter()
        .filter_map(|(meta, date)| Some(((meta.kind, meta.key.as_str()), date?.year())))
        .collect()
}

/// `/browse/`: every kind with its years; `/browse/<kind>/<year>/`: the
/// records of one kind and year. Works without JavaScript.
fn browse_jobs(site: &Site) -> Vec<PageJob> {
    let mut dated: BTreeMap<(Kind, i16), Vec<&Meta>> = BTreeMap::new();
    let mut undated: BTreeMap<Kind, Vec<&Meta>> = BTreeMap::new();
    let years = record_years(site);
    for meta in site.records.metas().into_iter().filter(|m| listed(m)) {
        match years.get(&(meta.kind, meta.key.as_str())) {
            Some(&y) => dated.entry((meta.kind, y)).or_default().push(meta),
            None => undated.entry(meta.kind).or_default().push(meta),
        }
    }
    let item = |m: &&Meta| {
        let e = site.entry(m.kind, &m.key);
        json!({"title": m.title, "url": m.url, "number": e.and_then(|e| e.number.clone()), "date": e.and_then(|e| e.date), "kind_label": m.kind_label})
    };
    let mut jobs = Vec::new();
    let mut kinds: BTreeMap<Kind, Vec<Value>> = BTreeMap::new();
    for ((kind, year), metas) in &dated {
        let url = format!("browse/{}/{year}/", kind.keyword());
        kinds
            .entry(*kind)
            .or_default()
            .push(json!({"year": year, "url": url, "count": metas.len()}));
        jobs.push(PageJob {
            url: url.clone(),
            template: "list.html",
            title: format!("{} from {year}", kind.plural_label()),
            breadcrumbs: vec![crumb("Browse", "browse/")],
            context: json!({
                "intro": format!("{} dated {year}, newest first.", kind.plural_label()),
                "items": metas.iter().map(item).collect::<Vec<_>>(),
            }),
        });
    }
    // A kind whose records are dated keeps the ones its sources give no
    // date on a page of their own, after the years, so none is missing.
    let mut undated_links: BTreeMap<Kind, Value> = BTreeMap::new();
    for (kind, metas) in &undated {
        if !kinds.contains_key(kind) {
            continue;
        }
        let url = format!("browse/{}/undated/", kind.keyword());
        undated_links.insert(
            *kind,
            json!({"year": "Date not stated", "url": url, "count": metas.len()}),
        );
        jobs.push(PageJob {
            url: url.clone(),
            template: "list.html",
            title: format!("{} with no date stated", kind.plural_label()),
            breadcrumbs: vec![crumb("Browse", "browse/")],
            context: json!({
                "intro": format!("{} whose sources state no date.", kind.plural_label()),
                "items": metas.iter().map(item).collect::<Vec<_>>(),
            }),
        });
    }
    let index_urls = kind_index_url;
    let overview: Vec<Value> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Page)
        .filter_map(|k| {
            let years = kinds.get(k).cloned().unwrap_or_default();
            let count = undated.get(k).map_or(0, Vec::len) + years.iter().map(|y| y["count"].as_u64().unwrap_or(0) as usize).sum::<usize>();
            let mut links: Vec<Value> = years.iter().rev().cloned().collect();
            links.extend(undated_links.get(k).cloned());
            (count > 0).then(|| json!({"label": k.plural_label(), "url": index_urls(*k), "count": count, "years": links}))
        })
        .collect();
    jobs.push(list_job(
        "browse/",
        "browse.html",
        "Browse all records",
        json!({"kinds": overview}),
    ));
    jobs
}

fn home_job(site: &Site) -> PageJob {
    let r = &site.records;
    let latest: Vec<Value> = r
        .decisions
        .iter()
        .filter(|d| listed(&d.meta))
        .take(5)
        .map(|d| json!({"title": d.meta.title, "url": d.meta.url, "number": d.number, "date": d.date()}))
        .collect();
    let plan = r
        .plans
        .iter()
        .find(|p| p.status == crate::records::plan::PlanStatus::Current)
        .or(r.plans.first());
    list_job(
        "",
        "home.html",
        &site.config.title,
        json!({
            "plan": plan.map(|p| json!({"title": p.meta.title, "url": p.meta.url, "period": p.period})),
            "sections": plan.map(|p| r.sections.iter().filter(|s| s.plan == p.meta.key).map(|s| json!({"title": s.meta.title, "url": s.meta.url, "number": s.number})).collect::<Vec<_>>()).unwrap_or_default(),
            "counts": {
                "commitments": r.commitments.iter().filter(|c| listed(&c.meta)).count(),
                "updated": r.commitments.iter().filter(|c| listed(&c.meta) && !c.updates.is_empty()).count(),
                "metrics": r.metrics.len(),
                "grants": r.grants.iter().map(|g| g.rows.len()).sum::<usize>(), "decisions": r.decisions.iter().filter(|d| listed(&d.meta)).count(),
                "panel": r.panel.len() + r.responses.len(), "papers": r.papers.len(), "variations": r.variations.len(),
            },
            "latest_decisions": latest,
        }),
    )
}

/// What every template sees besides its page's own context.
pub fn globals(site: &Site, theme: &Theme, live_reload: bool) -> Value {
    json!({
        "site": site.config,
        "assets": theme.asset_names,
        "brand_css": site.config.branding.stylesheet().map(|(name, _)| name),
        "csp": crate::safe::CSP_META,
        "live_reload": live_reload,
        "nav": [
            {"title": "The plan", "url": "plan/"},
            {"title": "Commitments", "url": "commitments/"},
            {"title": "Metrics", "url": "metrics/"},
            {"title": "Grants", "url": "grants/"},
            {"title": "Decisions", "url": "decisions/"},
            {"title": "Panel", "url": "panel/"},
            {"title": "Search", "url": "search/"},
        ],
    })
}

/// The globals converted to Tera's values once; cloning a Tera context
/// shares them.
fn globals_context(globals: &Value) -> Result<tera::Context, Diagnostic> {
    tera::Context::from_serialize(globals).map_err(|e| Diagnostic::error(None, e.to_string()))
}

/// Renders every page in parallel. Template errors are collected, one per
/// template, with the template's file and position. Each job's context is
/// freed as soon as its page is rendered, so a large site never holds every
/// context and every page at once.
/// How many selectable records' pages are made and handed on at once: their
/// contexts and pages are held only for their batch, so a build's memory
/// does not grow with the size of the site's largest kinds.
const BATCH: usize = 2048;

/// Makes every page and hands them to `sink` batch by batch: first the
/// pages that are always made (plans, lists, home …), then the selectable
/// records' pages (`is_selectable`) in batches of `BATCH`. Returns the
/// number of pages and the failures, each reported once.
pub fn render_all(
    site: &Site,
    theme: &Theme,
    root_dir: &std::path::Path,
    live_reload: bool,
    sink: &dyn Sink,
) -> (usize, Vec<Diagnostic>) {
    let globals = globals(site, theme, live_reload);
    let mut pages = 0;
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut make = |jobs: Vec<PageJob>| {
        pages += jobs.len();
        let jobs = jobs.into_iter().map(|job| (job, ())).collect();
        let (files, d) = render_tagged(site, theme, &globals, jobs, root_dir);
        for d in d {
            if !diagnostics
                .iter()
                .any(|x| x.span == d.span && x.message == d.message)
            {
                diagnostics.push(d);
            }
        }
        sink.put(files.into_iter().map(|(f, ())| f).collect());
    };
    make(jobs_of(site, &|_| false, true, true));
    let keys: Vec<(Kind, &str)> = site
        .records
        .metas()
        .into_iter()
        .filter(|m| is_selectable(m.kind))
        .map(|m| (m.kind, m.key.as_str()))
        .collect();
    for batch in keys.chunks(BATCH) {
        let batch: HashSet<(Kind, &str)> = batch.iter().copied().collect();
        make(jobs_of(
            site,
            &|m| batch.contains(&(m.kind, m.key.as_str())),
            false,
            false,
        ));
    }
    (pages, diagnostics)
}

/// Renders pages in parallel, each keeping the tag it came with (serve
/// tags a page with its input hash). Build and serve both render through
/// here: a failure on many pages is reported once. Jobs given by value are
/// dropped as soon as their page is made, so their contexts do not
/// outlive it.
pub fn render_tagged<J, T>(
    site: &Site,
    theme: &Theme,
    globals: &Value,
    jobs: Vec<(J, T)>,
    root_dir: &std::path::Path,
) -> (Vec<(OutputFile, T)>, Vec<Diagnostic>)
where
    J: std::borrow::Borrow<PageJob> + Send,
    T: Send,
{
    let globals = match globals_context(globals) {
        Ok(c) => c,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let results: Vec<(Result<OutputFile, Diagnostic>, T)> = jobs
        .into_par_iter()
        .map(|(job, tag)| {
            (
                render_one(site, theme, &globals, job.borrow(), root_dir),
                tag,
            )
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for (r, tag) in results {
        match r {
            Ok(f) => files.push((f, tag)),
            Err(d) => {
                if !diagnostics
                    .iter()
                    .any(|x| x.span == d.span && x.message == d.message)
                {
                    diagnostics.push(d);
                }
            }
        }
    }
    (files, diagnostics)
}

/// Renders one page: its template with the globals and its context, then
/// references resolved relative to the page.
fn render_one(
    site: &Site,
    theme: &Theme,
    globals: &tera::Context,
    job: &PageJob,
    root_dir: &std::path::Path,
) -> Result<OutputFile, Diagnostic> {
    let root = if job.template == "404.html" {
        site.config.base_path()
    } else {
        root_for(&job.url)
    };
    let mut ctx = globals.clone();
    let page = json!({
        "url": job.url,
        "title": job.title,
        "root": root,
        "canonical": site.config.absolute(&job.url),
        "breadcrumbs": job.breadcrumbs.iter().map(|(t, u)| json!({"title": t, "url": u})).collect::<Vec<_>>(),
    });
    ctx.insert("page", &page);
    ctx.insert("root", &root);
    if let Value::Object(map) = &job.context {
        for (k, v) in map {
            ctx.insert(k.clone(), v);
        }
    }
    let html = theme.tera.render(job.template, &ctx).map_err(|e| {
        super::theme::template_diagnostic(&e, &super::theme::template_path(root_dir, job.template))
    })?;
    // Most pages of a large site hold no references: no second copy.
    let html = if html.contains(crate::text::PLACEHOLDER_START) {
        expand_references(&html, site, &root)
    } else {
        html
    };
    Ok(OutputFile {
        path: crate::claims::page_path(&job.url),
        bytes: html.into_bytes(),
    })
}
