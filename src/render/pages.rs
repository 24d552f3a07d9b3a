//! Which pages a site has, and the context each template gets.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::{OutputFile, Theme, chart, expand_references, resolve_refs, root_for};
use crate::diagnostics::Diagnostic;
use crate::link::{Backlink, Site};
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

fn grouped(backlinks: &[Backlink]) -> Vec<BacklinkGroup<'_>> {
    let mut groups: Vec<BacklinkGroup<'_>> = Vec::new();
    for b in backlinks {
        match groups.iter_mut().find(|g| g.heading == b.heading) {
            Some(g) => g.items.push(b),
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
    let mut context = json!({
        "record": record,
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

fn crumb(title: &str, url: &str) -> (String, String) {
    (title.to_string(), url.to_string())
}

/// Every page of the site.
pub fn jobs(site: &Site) -> Vec<PageJob> {
    jobs_selected(site, &|_| true, true)
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
    let r = &site.records;
    let mut jobs: Vec<PageJob> = Vec::new();

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
            "metrics": r.metrics.iter().filter(|m| m.plan.target.key == plan.meta.key).count(),
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
            "items": r.plans.iter().map(|p| to_value(p, site)).collect::<Vec<_>>(),
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
                    "commitments": r.commitments.iter().filter(|c| here(&c.section)).map(|c| summary(&c.meta, c.text.inline_html())).collect::<Vec<_>>(),
                    "metrics": r.metrics.iter().filter(|m| here(&m.section)).map(|m| summary(&m.meta, &m.name)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let loose: Vec<Value> = r
            .commitments
            .iter()
            .filter(|c| in_section(&c.section) && c.section.target.fragment.is_none())
            .map(|c| summary(&c.meta, c.text.inline_html()))
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
        jobs.push(record_job(
            site,
            &s.meta,
            "section.html",
            to_value(s, site),
            crumbs,
            json!({
                "plan": plan.map(|p| json!({"title": p.meta.title, "url": p.meta.url})),
                "subsections": subsections, "loose_commitments": loose,
                "previous": link(prev), "next": link(next),
            }),
        ));
    }

    // Commitments and metrics.
    for c in &r.commitments {
        let metrics: Vec<Value> = r
            .metrics
            .iter()
            .filter(|m| m.commitments.iter().any(|x| x.target.key == c.meta.key))
            .map(|m| json!({"title": m.name, "url": m.meta.url, "target": m.target, "has_series": !m.series.is_empty()}))
            .collect();
        let mut job = record_job(
            site,
            &c.meta,
            "commitment.html",
            to_value(c, site),
            vec![crumb("Commitments", "commitments/")],
            json!({"metrics": metrics}),
        );
        // The page lists its metrics with their targets; the linked
        // records need not list them again.
        if let Some(groups) = job.context["backlinks"].as_array_mut() {
            groups.retain(|g| g["heading"] != crate::link::MEASURES_HEADING);
        }
        jobs.push(job);
    }
    jobs.push(list_job("commitments/", "commitments.html", "Commitments", json!({
        "groups": by_section(site, |s| r.commitments.iter().filter(|c| c.section.target.key == s).map(|c| summary(&c.meta, c.text.inline_html())).collect()),
        "count": r.commitments.len(),
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
    jobs.push(list_job("metrics/", "metrics.html", "Metrics", json!({
        "groups": by_section(site, |s| r.metrics.iter().filter(|m| m.section.target.key == s).map(|m| {
            let mut v = summary(&m.meta, &m.name);
            v["target"] = json!(m.target);
            v["latest"] = json!(m.series.last().map(|p| format!("{} ({})", p.value_text, p.period_label)));
            v
        }).collect()),
        "count": r.metrics.len(),
    })));

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
            "items": r.grants.iter().map(|g| json!({
                "title": g.meta.title, "url": g.meta.url, "financial_year": g.financial_year,
                "rows": g.rows.len(), "unit": g.unit_label, "note": g.total.note,
            })).collect::<Vec<_>>(),
        }),
    ));

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
            json!({}),
        )
    }));
    if lists {
        let mut by_year: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for d in &r.decisions {
            let year = d
                .date()
                .map(|x| x.year().to_string())
                .unwrap_or_else(|| "Undated".into());
            by_year.entry(year).or_default().push(json!({
                "title": d.meta.title, "url": d.meta.url, "number": d.number,
                "date": d.date(), "status": d.status_label, "confidential": d.confidential,
            }));
        }
        let years: Vec<Value> = by_year
            .into_iter()
            .rev()
            .map(|(year, items)| json!({"year": year, "items": items}))
            .collect();
        jobs.push(list_job(
            "decisions/",
            "decisions.html",
            "Decisions",
            json!({"years": years, "count": r.decisions.len()}),
        ));
    }

    // Panel documents, responses, papers, variations, pages.
    for p in r.panel.iter().filter(|x| keep(&x.meta)) {
        jobs.push(record_job(
            site,
            &p.meta,
            "panel.html",
            to_value(p, site),
            vec![crumb("Police and Crime Panel", "panel/")],
            json!({}),
        ));
    }
    for x in r.responses.iter().filter(|x| keep(&x.meta)) {
        jobs.push(record_job(
            site,
            &x.meta,
            "response.html",
            to_value(x, site),
            vec![crumb("Responses", "responses/")],
            json!({}),
        ));
    }
    if lists {
        jobs.push(list_job("panel/", "panel-index.html", "Police and Crime Panel", json!({
            "documents": r.panel.iter().map(|p| json!({"title": p.meta.title, "url": p.meta.url, "date": p.date, "type": p.type_label})).collect::<Vec<_>>(),
            "responses": r.responses.iter().map(|x| json!({"title": x.meta.title, "url": x.meta.url, "date": x.date})).collect::<Vec<_>>(),
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
            json!({}),
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
    for x in &r.variations {
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
    jobs.push(simple_list(
        site,
        "variations/",
        "Plan variations",
        "Variations to a police and crime plan, with the statutory steps each went through.",
        r.variations.iter().map(|x| (&x.meta, x.date)).collect(),
    ));
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

    if lists {
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
    jobs
}

/// A redirect page for every old address in `aliases:`.
fn redirect_jobs(site: &Site) -> Vec<PageJob> {
    let mut out = Vec::new();
    for meta in site.records.metas() {
        for alias in &meta.aliases {
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

fn summary(meta: &Meta, text_html: &str) -> Value {
    json!({"title": meta.title, "url": meta.url, "id": meta.key, "html": text_html})
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
            "items": items.iter().map(|(m, d)| json!({"title": m.title, "url": m.url, "date": d, "kind_label": m.kind_label})).collect::<Vec<_>>(),
        }),
    )
}

/// The page that lists a kind's records (`""`: none of its own).
fn kind_index_url(k: Kind) -> &'static str {
    match k {
        Kind::Plan | Kind::Section => "plan/",
        Kind::Commitment => "commitments/",
        Kind::Metric => "metrics/",
        Kind::Grants | Kind::Grant => "grants/",
        Kind::Decision => "decisions/",
        Kind::Panel => "panel/",
        Kind::Response => "responses/",
        Kind::Paper => "papers/",
        Kind::Variation => "variations/",
        Kind::Page => "",
    }
}

fn kinds_present(site: &Site) -> Vec<Value> {
    let mut kinds: Vec<Kind> = site.entries.values().map(|e| e.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|k| json!({"kind": k, "label": k.plural_label(), "url": kind_index_url(k)}))
        .collect()
}

/// The year each dated record belongs to, for browsing, in one pass over
/// the records (looking each one up in its list would be quadratic).
fn record_years(site: &Site) -> HashMap<(Kind, &str), i16> {
    let r = &site.records;
    let dated = r
        .decisions
        .iter()
        .map(|d| (&d.meta, d.date()))
        .chain(r.panel.iter().map(|d| (&d.meta, d.date)))
        .chain(r.responses.iter().map(|d| (&d.meta, d.date)))
        .chain(r.papers.iter().map(|d| (&d.meta, d.date)))
        .chain(r.variations.iter().map(|d| (&d.meta, d.date)));
    dated
        .filter_map(|(meta, date)| Some(((meta.kind, meta.key.as_str()), date?.year())))
        .collect()
}

/// `/browse/`: every kind with its years; `/browse/<kind>/<year>/`: the
/// records of one kind and year. Works without JavaScript.
fn browse_jobs(site: &Site) -> Vec<PageJob> {
    let mut dated: BTreeMap<(Kind, i16), Vec<&Meta>> = BTreeMap::new();
    let mut undated: BTreeMap<Kind, usize> = BTreeMap::new();
    let years = record_years(site);
    for meta in site.records.metas() {
        match years.get(&(meta.kind, meta.key.as_str())) {
            Some(&y) => dated.entry((meta.kind, y)).or_default().push(meta),
            None => *undated.entry(meta.kind).or_default() += 1,
        }
    }
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
                "items": metas.iter().map(|m| {
                    let e = site.entry(m.kind, &m.key);
                    json!({"title": m.title, "url": m.url, "number": e.and_then(|e| e.number.clone()), "date": e.and_then(|e| e.date), "kind_label": m.kind_label})
                }).collect::<Vec<_>>(),
            }),
        });
    }
    let index_urls = kind_index_url;
    let overview: Vec<Value> = Kind::ALL
        .iter()
        .filter(|k| **k != Kind::Page)
        .filter_map(|k| {
            let years = kinds.get(k).cloned().unwrap_or_default();
            let count = undated.get(k).copied().unwrap_or(0) + years.iter().map(|y| y["count"].as_u64().unwrap_or(0) as usize).sum::<usize>();
            (count > 0).then(|| json!({"label": k.plural_label(), "url": index_urls(*k), "count": count, "years": years.iter().rev().collect::<Vec<_>>()}))
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
                "commitments": r.commitments.len(), "metrics": r.metrics.len(),
                "grants": r.grants.iter().map(|g| g.rows.len()).sum::<usize>(), "decisions": r.decisions.len(),
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
pub fn globals_context(globals: &Value) -> Result<tera::Context, Diagnostic> {
    tera::Context::from_serialize(globals).map_err(|e| Diagnostic::error(None, e.to_string()))
}

/// Renders every page in parallel. Template errors are collected, one per
/// template, with the template's file and position. Each job's context is
/// freed as soon as its page is rendered, so a large site never holds every
/// context and every page at once.
pub fn render_all(
    site: &Site,
    theme: &Theme,
    jobs: Vec<PageJob>,
    root_dir: &std::path::Path,
    live_reload: bool,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let globals = match globals_context(&globals(site, theme, live_reload)) {
        Ok(c) => c,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let results: Vec<Result<OutputFile, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| render_one(site, theme, &globals, &job, root_dir))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.push(f),
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
pub fn render_one(
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
    let html = if html.contains(crate::markdown::PLACEHOLDER_START) {
        expand_references(&html, site, &root)
    } else {
        html
    };
    let path = if job.url.ends_with('/') || job.url.is_empty() {
        format!("{}index.html", job.url)
    } else {
        job.url.clone()
    };
    Ok(OutputFile {
        path,
        bytes: html.into_bytes(),
    })
}
