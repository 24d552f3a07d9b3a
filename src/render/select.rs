//! Which pages a change can reach, for `serve`: the dependency map from
//! changed records to the pages that show them, and a hash of each page's
//! inputs so that a page whose inputs are as they were is not rendered
//! again. The rendering itself is `pages::render_tagged`, as in a build.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;

use super::Theme;
use super::pages::{self, PageJob};
use crate::claims::page_path;
use crate::diagnostics::Diagnostic;
use crate::hash::Fnv;
use crate::link::Site;
use crate::markdown;
use crate::output::OutputFile;
use crate::records::{Meta, Records};
use crate::types::Kind;

pub(crate) type Key = (Kind, String);

/// What is out of date since the pages were last published.
#[derive(Default)]
pub(crate) struct Changes {
    /// The records read, dropped or referred to by either version.
    pub(crate) keys: HashSet<Key>,
    /// A content file was read again (even one that makes no records, such
    /// as a series or a file that does not parse).
    pub(crate) content: bool,
    /// Every page must be made again (`site.yaml`, the theme).
    pub(crate) everything: bool,
    pub(crate) assets: bool,
    pub(crate) theme: bool,
    /// The pages that list records must be made again.
    pub(crate) lists: bool,
    /// What the list pages showed of each changed record when the pages
    /// were last published (`None`: it was not there), and the records
    /// read since.
    pub(crate) listed_before: HashMap<Key, Option<u64>>,
    pub(crate) read: HashSet<Key>,
}

impl Changes {
    /// Nothing to build.
    pub(crate) fn is_empty(&self) -> bool {
        !self.content && !self.everything && !self.assets && !self.theme
    }

    /// Notes the records of a file that is read again or gone, as `records`
    /// hold them before the change.
    pub(crate) fn dropped(&mut self, records: &Records, keys: &[Key], targets: &[Key]) {
        self.content = true;
        self.keys.extend(keys.iter().cloned());
        self.keys.extend(targets.iter().cloned());
        if keys.is_empty() {
            self.lists = true;
        }
        for key in keys {
            if !pages::is_selectable(key.0) {
                self.lists = true;
            } else if !self.listed_before.contains_key(key) {
                self.listed_before
                    .insert(key.clone(), listing(records, key));
            }
        }
    }

    /// Notes the records of a file just read.
    pub(crate) fn read(&mut self, keys: &[Key], targets: &[Key]) {
        self.content = true;
        if keys.is_empty() || keys.iter().any(|k| !pages::is_selectable(k.0)) {
            self.lists = true;
        }
        self.read.extend(keys.iter().cloned());
        self.keys.extend(keys.iter().cloned());
        self.keys.extend(targets.iter().cloned());
    }
}

/// What the pages published last were made from.
#[derive(Default)]
pub(crate) struct Made {
    /// Input hash of every page, by output path.
    pub(crate) page_hashes: HashMap<String, u64>,
    pub(crate) globals_hash: Option<u64>,
    /// Pages that are neither a record's page (indexes, browsing, home…).
    pub(crate) list_pages: HashSet<String>,
}

/// The pages of a change: those whose inputs differ, rendered, each with
/// its input hash; and every page the site has now.
pub(crate) struct Remade {
    pub(crate) pages: Vec<(OutputFile, u64)>,
    /// Every page of the site, by output path.
    pub(crate) all_pages: HashSet<String>,
    /// The list pages, when they were made again.
    pub(crate) list_pages: Option<HashSet<String>>,
    pub(crate) globals_hash: u64,
    /// Whether every page was made again.
    pub(crate) everything: bool,
}

impl Made {
    /// Takes in what `remake` published.
    pub(crate) fn update(&mut self, remade: &Remade) {
        for (file, h) in &remade.pages {
            self.page_hashes.insert(file.path.clone(), *h);
        }
        self.page_hashes.retain(|p, _| remade.all_pages.contains(p));
        if let Some(lists) = &remade.list_pages {
            self.list_pages = lists.clone();
        }
        self.globals_hash = Some(remade.globals_hash);
    }

    /// The pages published last that the site no longer has.
    pub(crate) fn gone<'a>(&'a self, remade: &'a Remade) -> impl Iterator<Item = &'a String> {
        self.page_hashes
            .keys()
            .filter(|p| !remade.all_pages.contains(*p))
    }
}

/// Renders the pages `changes` can reach whose inputs differ from `made`;
/// `lap` ends the timings' phases (`select`, `render`).
pub(crate) fn remake(
    site: &Site,
    theme: &Theme,
    root: &Path,
    live_reload: bool,
    changes: &Changes,
    made: &Made,
    lap: &mut dyn FnMut(&'static str),
) -> (Remade, Vec<Diagnostic>) {
    let globals = pages::globals(site, theme, live_reload);
    let globals_hash = hash_value(&globals, site, 0);
    let everything = changes.everything || made.globals_hash != Some(globals_hash);
    let dirty = if everything {
        HashSet::new()
    } else {
        dirty_records(site, &changes.keys)
    };
    let keep = |m: &Meta| everything || dirty.contains(&(m.kind, m.key.clone()));
    // List pages show no record's body: a change that leaves the rest of
    // every record as it was leaves them as they were.
    let lists = everything
        || changes.lists
        || changes
            .read
            .iter()
            .chain(changes.listed_before.keys())
            .any(|k| {
                changes.listed_before.get(k).copied().flatten() != listing(&site.records, k)
                    || !changes.listed_before.contains_key(k)
            });
    let jobs = pages::jobs_selected(site, &keep, lists);
    let hashes: Vec<u64> = jobs.par_iter().map(|j| job_hash(j, site)).collect();
    lap("select");
    let todo: Vec<(&PageJob, u64)> = jobs
        .iter()
        .zip(hashes)
        .filter(|(j, h)| everything || made.page_hashes.get(&page_path(&j.url)) != Some(h))
        .collect();
    let (pages, diagnostics) = pages::render_tagged(site, theme, &globals, todo, root);
    lap("render");

    let mut all_pages: HashSet<String> = jobs.iter().map(|j| page_path(&j.url)).collect();
    let mut record_pages = HashSet::new();
    for meta in site.records.metas() {
        if pages::is_selectable(meta.kind) && !keep(meta) {
            all_pages.insert(page_path(&meta.url));
        }
        if lists {
            record_pages.insert(page_path(&meta.url));
        }
    }
    let list_pages = if lists {
        Some(
            jobs.iter()
                .map(|j| page_path(&j.url))
                .filter(|p| !record_pages.contains(p))
                .collect(),
        )
    } else {
        all_pages.extend(made.list_pages.iter().cloned());
        None
    };
    let remade = Remade {
        pages,
        all_pages,
        list_pages,
        globals_hash,
        everything,
    };
    (remade, diagnostics)
}

/// The records whose pages a change to `changed` can reach: the records
/// themselves, the ones they refer to (already in `changed`, gathered from
/// the old and new versions) and the ones that refer to them.
fn dirty_records(site: &Site, changed: &HashSet<Key>) -> HashSet<Key> {
    let mut dirty = changed.clone();
    // A target written as a decision number in another form is the record
    // the scheme finds.
    for (kind, key) in changed {
        if let Some(e) = site.entry(*kind, key) {
            dirty.insert((*kind, e.key.clone()));
        }
    }
    for meta in site.records.metas() {
        if meta.refs.iter().any(|r| {
            // A decision's number may be written in another form.
            let key = site
                .entry(r.target.kind, &r.target.key)
                .map_or(&r.target.key, |e| &e.key);
            changed.contains(&(r.target.kind, r.target.key.clone()))
                || changed.contains(&(r.target.kind, key.clone()))
        }) {
            dirty.insert((meta.kind, meta.key.clone()));
        }
    }
    dirty
}

/// What list pages can show of a selectable record: all of it but its
/// body, as a hash; `None` when the site has no such record.
fn listing(records: &Records, key: &Key) -> Option<u64> {
    fn sign<T: serde::Serialize>(record: &T) -> u64 {
        let mut value = serde_json::to_value(record).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.remove("body");
        }
        hash_bytes(value.to_string().as_bytes())
    }
    let (kind, k) = (key.0, key.1.as_str());
    match kind {
        Kind::Decision => records.decisions.iter().find(|x| x.meta.key == k).map(sign),
        Kind::Panel => records.panel.iter().find(|x| x.meta.key == k).map(sign),
        Kind::Response => records.responses.iter().find(|x| x.meta.key == k).map(sign),
        Kind::Paper => records.papers.iter().find(|x| x.meta.key == k).map(sign),
        Kind::Page => records.pages.iter().find(|x| x.meta.key == k).map(sign),
        _ => None,
    }
}

/// Everything a page's bytes depend on besides the globals and the theme:
/// its template, address, title, breadcrumbs and context, and what each
/// reference in the context resolves to now.
fn job_hash(job: &PageJob, site: &Site) -> u64 {
    let mut h = Fnv::new();
    job.template.hash(&mut h);
    job.url.hash(&mut h);
    job.title.hash(&mut h);
    job.breadcrumbs.hash(&mut h);
    h.write_u64(hash_value(&job.context, site, 1));
    h.finish()
}

fn hash_value(value: &Value, site: &Site, seed: u64) -> u64 {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut h = Fnv::new();
    h.write_u64(seed);
    h.write(json.as_bytes());
    // A reference placeholder becomes a link with the target's current
    // address and title, which the context itself does not hold.
    markdown::replace_placeholders(&json, |inner| {
        if let Some((kind, key, _, _)) = markdown::parse_placeholder(inner) {
            match site.entry(kind, key) {
                Some(e) => {
                    e.url.hash(&mut h);
                    e.link_text().hash(&mut h);
                }
                None => h.write_u8(0),
            }
        }
        String::new()
    });
    h.finish()
}

/// A hash of a file's bytes, to tell whether it changed.
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.write(bytes);
    h.finish()
}
