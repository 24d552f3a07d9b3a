//! The incremental build behind `serve`. It keeps every content file's
//! parse, the linked site and a hash of the inputs of every page, and on a
//! change:
//!
//! 1. re-reads and re-parses only the changed files (a file whose bytes did
//!    not change is left alone) and swaps their records in;
//! 2. links the whole site again (cheap next to parsing and rendering);
//! 3. makes page jobs for every page except the pages of the many-of-a-kind
//!    records (decisions, Panel documents, responses, papers, pages) that
//!    the change cannot reach — the dependency map: a changed record, the
//!    records it refers to (their backlinks change) and the records that
//!    refer to it (their link text changes);
//! 4. hashes each job's inputs (context, template, the references its HTML
//!    will resolve) and renders only the pages whose hash changed;
//! 5. publishes the pages whose bytes changed, then (after the reload
//!    event has gone out) the search index and open data files whose bytes
//!    changed.
//!
//! A change to `site.yaml` or to the theme renders every page. The result
//! is always what `pipeline::run` makes with the same options; the tests
//! compare the two byte for byte after edits, additions, deletions and
//! renames.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde_json::Value;

use super::store::{Served, Store};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::load::SourceFile;
use crate::markdown;
use crate::output::OutputFile;
use crate::pipeline::{self, Options, ParsedFile};
use crate::records::metric::Series;
use crate::records::{Meta, Records};
use crate::render::Theme;
use crate::render::pages::{self, PageJob};
use crate::types::Kind;

type Key = (Kind, String);

/// One content file as last read.
struct Source {
    /// The path people see (`content/decisions/x.md`), as records carry it.
    path: PathBuf,
    hash: u64,
    diagnostics: Vec<Diagnostic>,
    /// Ids named in the file when it failed to parse (`salvage_keys`).
    salvaged: Vec<String>,
    series: Option<Series>,
    /// The records the file made, and the records they refer to.
    keys: Vec<Key>,
    targets: Vec<Key>,
    /// Kept for `site.yaml`, which `config::parse` reads.
    text: Option<SourceFile>,
}

/// A file read again, with its parse when it could be read.
type Fresh = (
    Vec<String>,
    Result<SourceFile, Diagnostic>,
    Option<ParsedFile>,
);

/// What is out of date since the last good build.
#[derive(Default)]
struct Pending {
    keys: HashSet<Key>,
    /// A content file was read again (even one that makes no records, such
    /// as a series or a file that does not parse).
    content: bool,
    everything: bool,
    assets: bool,
    theme: bool,
    /// The pages that list records must be made again.
    lists: bool,
    /// What the list pages showed of each changed record at the last good
    /// build (`None`: it was not there), and the records read since.
    listed_before: HashMap<Key, Option<u64>>,
    read: HashSet<Key>,
}

/// What one phase of a rebuild published.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub(crate) generation: u64,
    /// Output paths whose bytes changed, were added or were removed.
    pub changed: Vec<String>,
    /// Pages rendered (some may have come out the same).
    pub rendered: usize,
    pub(crate) full: bool,
    pub(crate) elapsed: Duration,
    /// Time per step, for `serve --timings`.
    pub(crate) phases: Vec<(&'static str, Duration)>,
}

/// The result of a rebuild.
pub enum Outcome {
    /// Nothing that the site is made of changed.
    Unchanged,
    /// The site built; the pages were published, then the data files.
    /// Warnings travel with it.
    Built {
        pages: Published,
        data: Published,
        warnings: Vec<Diagnostic>,
    },
    /// The site does not build; the last good files stay published.
    Failed(Vec<Diagnostic>),
}

pub struct Engine {
    options: Options,
    store: Arc<Store>,
    /// By path components, which is the loader's order.
    sources: BTreeMap<Vec<String>, Source>,
    site: Option<Site>,
    /// Records while they are not linked into a site (when the last link
    /// could not run).
    unlinked: Records,
    /// Drafts, set aside unless `--drafts`.
    drafts: Records,
    theme: Option<Result<Theme, Vec<Diagnostic>>>,
    /// Input hash of every page in the published site, by output path.
    page_hashes: HashMap<String, u64>,
    globals_hash: Option<u64>,
    static_paths: BTreeSet<String>,
    /// What the last walk of `content/` reported (as a build reports it).
    walked: Vec<Diagnostic>,
    /// Who claims each static file's path (`pipeline::StaticFiles`).
    static_claimants: Vec<(String, crate::claims::Claimant)>,
    data_paths: BTreeSet<String>,
    /// Pages that are neither a record's page (indexes, browsing, home…).
    list_pages: HashSet<String>,
    pending: Pending,
    generation: u64,
}

impl Engine {
    /// Reads and parses the whole site; `build` then publishes it.
    pub fn new(options: Options, store: Arc<Store>) -> Engine {
        let mut engine = Engine {
            options,
            store,
            sources: BTreeMap::new(),
            site: None,
            unlinked: Records::default(),
            drafts: Records::default(),
            theme: None,
            page_hashes: HashMap::new(),
            globals_hash: None,
            static_paths: BTreeSet::new(),
            static_claimants: Vec::new(),
            walked: Vec::new(),
            data_paths: BTreeSet::new(),
            list_pages: HashSet::new(),
            pending: Pending {
                everything: true,
                assets: true,
                theme: true,
                ..Pending::default()
            },
            generation: 0,
        };
        engine.rescan();
        engine
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Builds whatever is pending (everything, the first time).
    pub fn build(&mut self, on_pages: impl FnOnce(&Published)) -> Outcome {
        self.update(on_pages)
    }

    /// Takes in changed paths (files or folders, existing or not) and
    /// rebuilds what they reach. `on_pages` is called once the pages are
    /// published, before the search index and data files are made.
    pub fn rebuild(&mut self, changed: &[PathBuf], on_pages: impl FnOnce(&Published)) -> Outcome {
        let before = self.pending_is_empty();
        // Watchers may report absolute paths for a relative root.
        let roots = [
            self.options.root.clone(),
            std::fs::canonicalize(&self.options.root).unwrap_or_default(),
        ];
        let mut rescan = false;
        // Whether any path is an input that changed: other paths (a log
        // file, build output) must not rebuild, even a site that failed
        // last time and so still has work pending.
        let mut touched = false;
        for path in changed {
            if roots.iter().any(|r| path.starts_with(r.join("themes"))) {
                touched = true;
                self.pending.theme = true;
                self.pending.everything = true;
                continue;
            }
            let Some(rel) = roots
                .iter()
                .find_map(|r| path.strip_prefix(r.join("content")).ok())
            else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.is_empty() || path.is_dir() {
                rescan = true;
                continue;
            }
            if parts
                .iter()
                .any(|p| p.starts_with('.') || p.starts_with('_'))
            {
                continue;
            }
            if crate::load::is_binary_asset(path) {
                touched = true;
                self.pending.assets = true;
                continue;
            }
            if !path.exists()
                && self.sources.keys().any(|k| k.starts_with(&parts))
                && !self.sources.contains_key(&parts)
            {
                // A folder went away (or was renamed).
                rescan = true;
                continue;
            }
            touched |= self.refresh(parts, path);
        }
        if rescan {
            touched = true;
            self.rescan();
        }
        if !touched || (before && self.pending_is_empty()) {
            return Outcome::Unchanged;
        }
        self.update(on_pages)
    }

    fn pending_is_empty(&self) -> bool {
        let p = &self.pending;
        !p.content && !p.everything && !p.assets && !p.theme
    }

    /// Walks `content/` and brings every file up to date: new ones read,
    /// vanished ones dropped, changed ones re-read.
    fn rescan(&mut self) {
        let content = self.options.root.join("content");
        self.pending.assets = true;
        let (paths, walked) = crate::load::text_paths(&self.options.root);
        self.walked = walked;
        let present: BTreeMap<Vec<String>, PathBuf> = paths
            .into_iter()
            .map(|p| {
                let parts = p
                    .strip_prefix(&content)
                    .unwrap_or(&p)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                (parts, p)
            })
            .collect();
        let gone: Vec<Vec<String>> = self
            .sources
            .keys()
            .filter(|k| !present.contains_key(*k))
            .cloned()
            .collect();
        for parts in gone {
            let path = content.join(parts.join("/"));
            self.refresh(parts, &path);
        }
        // Read in parallel; parsing is the expensive part of a first build.
        let root = self.options.root.clone();
        let read: Vec<(Vec<String>, Result<SourceFile, Diagnostic>)> = present
            .into_par_iter()
            .map(|(parts, path)| {
                let rel = parts.join("/");
                let file = crate::load::read_one(&root, &rel, &path);
                (parts, file)
            })
            .collect();
        let fresh: Vec<(Vec<String>, Result<SourceFile, Diagnostic>)> = read
            .into_iter()
            .filter(|(parts, file)| match (self.sources.get(parts), file) {
                (Some(old), Ok(f)) => old.hash != hash_bytes(f.text.as_bytes()),
                _ => true,
            })
            .collect();
        let parsed: Vec<Fresh> = fresh
            .into_par_iter()
            .map(|(parts, file)| {
                let parsed = file.as_ref().ok().map(pipeline::parse_file);
                (parts, file, parsed)
            })
            .collect();
        for (parts, file, parsed) in parsed {
            self.install(parts, file, parsed);
        }
    }

    /// Re-reads one content file (or notes that it is gone). Returns
    /// whether it changed.
    fn refresh(&mut self, parts: Vec<String>, path: &Path) -> bool {
        if !path.is_file() {
            return match self.sources.remove(&parts) {
                Some(old) => {
                    self.forget(&old);
                    true
                }
                None => false,
            };
        }
        let file = crate::load::read_one(&self.options.root, &parts.join("/"), path);
        if let (Some(old), Ok(f)) = (self.sources.get(&parts), &file)
            && old.hash == hash_bytes(f.text.as_bytes())
        {
            return false;
        }
        let parsed = file.as_ref().ok().map(pipeline::parse_file);
        self.install(parts, file, parsed);
        true
    }

    /// Removes a file's records and marks what they reached as stale.
    fn forget(&mut self, old: &Source) {
        self.pending.content = true;
        self.pending.keys.extend(old.keys.iter().cloned());
        self.pending.keys.extend(old.targets.iter().cloned());
        if old.text.is_some() {
            self.pending.everything = true;
        }
        if old.keys.is_empty() {
            self.pending.lists = true;
        }
        for key in &old.keys {
            if !pages::is_selectable(key.0) {
                self.pending.lists = true;
            } else if !self.pending.listed_before.contains_key(key) {
                let before = listing(self.records_mut(), key);
                self.pending.listed_before.insert(key.clone(), before);
            }
        }
        let records = self.records_mut();
        records.remove_file(&old.path);
        self.drafts.remove_file(&old.path);
    }

    /// Puts a freshly read and parsed file in place of its old version.
    fn install(
        &mut self,
        parts: Vec<String>,
        file: Result<SourceFile, Diagnostic>,
        parsed: Option<ParsedFile>,
    ) {
        if let Some(old) = self.sources.remove(&parts) {
            self.forget(&old);
        }
        let rel = parts.join("/");
        let path = crate::load::display_path(&self.options.root, &rel);
        let mut source = Source {
            path,
            hash: 0,
            diagnostics: Vec::new(),
            salvaged: Vec::new(),
            series: None,
            keys: Vec::new(),
            targets: Vec::new(),
            text: None,
        };
        match file {
            Err(d) => source.diagnostics.push(d),
            Ok(f) => {
                source.hash = hash_bytes(f.text.as_bytes());
                let ParsedFile {
                    parsed,
                    diagnostics,
                    salvaged,
                } = parsed.unwrap_or_else(|| pipeline::parse_file(&f));
                source.salvaged = salvaged;
                source.diagnostics = diagnostics;
                for meta in parsed.metas() {
                    source.keys.push((meta.kind, meta.key.clone()));
                    source.targets.extend(
                        meta.refs
                            .iter()
                            .map(|r| (r.target.kind, r.target.key.clone())),
                    );
                }
                if rel == "site.yaml" || rel == "site.yml" {
                    source.text = Some(f);
                    self.pending.everything = true;
                }
                source.series = self.records_mut().add(parsed);
            }
        }
        self.pending.content = true;
        if source.keys.is_empty() || source.keys.iter().any(|k| !pages::is_selectable(k.0)) {
            self.pending.lists = true;
        }
        self.pending.read.extend(source.keys.iter().cloned());
        self.pending.keys.extend(source.keys.iter().cloned());
        self.pending.keys.extend(source.targets.iter().cloned());
        self.sources.insert(parts, source);
    }

    /// The records, wherever they are held now.
    fn records_mut(&mut self) -> &mut Records {
        match &mut self.site {
            Some(site) => &mut site.records,
            None => &mut self.unlinked,
        }
    }

    /// Links and renders what is pending, and publishes it.
    fn update(&mut self, on_pages: impl FnOnce(&Published)) -> Outcome {
        let started = Instant::now();
        let mut clock = Clock::new();
        let mut diagnostics = Diagnostics::default();

        // Parse: the records as a fresh parse would give them.
        // The rest of the old site (backlinks, entries, claims) takes tens
        // of milliseconds to free at 10,000 records: it is freed once the
        // pages are published, not before they are rebuilt.
        let mut old_site = None;
        let mut records = match self.site.take() {
            Some(mut site) => {
                let records = std::mem::take(&mut site.records);
                old_site = Some(site);
                records
            }
            None => std::mem::take(&mut self.unlinked),
        };
        records.absorb(std::mem::take(&mut self.drafts));
        for m in &mut records.metrics {
            m.series.clear();
        }
        let mut broken = HashSet::new();
        let mut series = Vec::new();
        let mut site_file = None;
        diagnostics.extend(self.walked.iter().cloned());
        for source in self.sources.values() {
            diagnostics.extend(source.diagnostics.iter().cloned());
            broken.extend(source.salvaged.iter().cloned());
            series.extend(source.series.clone());
            if source.text.is_some() {
                site_file = source.text.clone();
            }
        }
        self.drafts = pipeline::settle(
            &mut records,
            series,
            broken,
            self.options.include_drafts,
            &mut diagnostics,
        );

        clock.lap("records");
        let config = pipeline::configure(site_file.as_slice(), &self.options);
        if self.pending.theme || self.theme.is_none() {
            self.theme = Some(Theme::load(&self.options.root));
        }
        let config = match config {
            Ok(c) => c,
            Err(d) => {
                diagnostics.extend(d);
                if let Some(Err(d)) = &self.theme {
                    diagnostics.extend(d.iter().cloned());
                }
                self.unlinked = records;
                return Outcome::Failed(diagnostics.sorted());
            }
        };
        clock.lap("config");
        let site = pipeline::link(config, records, &mut diagnostics);
        clock.lap("link");
        let site = self.site.insert(site);
        let theme = match &self.theme {
            Some(Ok(t)) => {
                diagnostics.extend(t.warnings.iter().cloned());
                t
            }
            Some(Err(d)) => {
                diagnostics.extend(d.iter().cloned());
                return Outcome::Failed(diagnostics.sorted());
            }
            None => unreachable!("the theme was loaded above"),
        };
        if diagnostics.has_errors() {
            return Outcome::Failed(diagnostics.sorted());
        }

        // Render: which pages can have changed, then which did.
        let globals = pages::globals(site, theme, self.options.live_reload);
        let globals_hash = hash_value(&globals, site, 0);
        let everything = self.pending.everything || self.globals_hash != Some(globals_hash);
        let dirty = if everything {
            HashSet::new()
        } else {
            dirty_records(site, &self.pending.keys)
        };
        let keep = |m: &Meta| everything || dirty.contains(&(m.kind, m.key.clone()));
        // List pages show no record's body: a change that leaves the rest
        // of every record as it was leaves them as they were.
        let lists = everything
            || self.pending.lists
            || self
                .pending
                .read
                .iter()
                .chain(self.pending.listed_before.keys())
                .any(|k| {
                    self.pending.listed_before.get(k).copied().flatten()
                        != listing(&site.records, k)
                        || !self.pending.listed_before.contains_key(k)
                });
        clock.lap("dirty");
        let jobs = pages::jobs_selected(site, &keep, lists);
        clock.lap("jobs");
        let hashes: Vec<u64> = jobs.par_iter().map(|j| job_hash(j, site)).collect();
        clock.lap("hash");
        let todo: Vec<(&PageJob, u64)> = jobs
            .iter()
            .zip(hashes)
            .filter(|(j, h)| everything || self.page_hashes.get(&page_path(&j.url)) != Some(h))
            .collect();
        let root = &self.options.root;
        let (pages_out, d) = pages::render_tagged(site, theme, &globals, todo, root);
        diagnostics.extend(d);
        clock.lap("render");
        let statics = if everything || self.pending.assets {
            let statics = pipeline::static_files(site, theme, root);
            diagnostics.extend(statics.diagnostics);
            self.static_claimants = statics.claimants;
            Some(statics.files)
        } else {
            // The assets are as they were, but a record or an alias may
            // now claim one's path.
            diagnostics.extend(pipeline::claim_static_files(site, &self.static_claimants));
            None
        };
        if diagnostics.has_errors() {
            return Outcome::Failed(diagnostics.sorted());
        }

        clock.lap("static");
        // Publish the pages.
        self.generation += 1;
        let generation = self.generation;
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
        if lists {
            self.list_pages = jobs
                .iter()
                .map(|j| page_path(&j.url))
                .filter(|p| !record_pages.contains(p))
                .collect();
        } else {
            all_pages.extend(self.list_pages.iter().cloned());
        }
        let mut batch = Vec::new();
        let mut changed = Vec::new();
        let rendered_count = pages_out.len();
        for (file, h) in pages_out {
            self.page_hashes.insert(file.path.clone(), h);
            if self.store.get(&file.path).map(|s| *s.bytes != file.bytes) != Some(false) {
                changed.push(file.path.clone());
            }
            batch.push((
                file.path,
                Some(Served {
                    bytes: Arc::new(file.bytes),
                    generation,
                }),
            ));
        }
        let gone: Vec<String> = self
            .page_hashes
            .keys()
            .filter(|p| !all_pages.contains(*p))
            .cloned()
            .collect();
        for path in gone {
            self.page_hashes.remove(&path);
            changed.push(path.clone());
            batch.push((path, None));
        }
        if let Some(files) = statics {
            let paths = replace_files(
                &self.store,
                &mut self.static_paths,
                files,
                generation,
                &mut batch,
            );
            changed.extend(paths);
        }
        self.store.apply(batch);
        changed.sort();
        changed.dedup();
        let pages_report = Published {
            generation,
            changed,
            rendered: rendered_count,
            full: everything,
            elapsed: started.elapsed(),
            phases: {
                clock.lap("publish");
                clock.phases
            },
        };
        self.globals_hash = Some(globals_hash);
        self.pending = Pending::default();
        on_pages(&pages_report);
        drop(old_site);

        // Then the search index and the open data files.
        let data_started = Instant::now();
        let mut clock = Clock::new();
        let (mut files, stats) = pipeline::search_files(site);
        diagnostics.extend(pipeline::search_budget_warning(&stats));
        clock.lap("search");
        files.extend(crate::export::all(site));
        clock.lap("exports");
        let mut batch = Vec::new();
        let mut changed = replace_files(
            &self.store,
            &mut self.data_paths,
            files,
            generation,
            &mut batch,
        );
        self.store.apply(batch);
        changed.sort();
        let data_report = Published {
            generation,
            changed,
            rendered: 0,
            full: everything,
            elapsed: data_started.elapsed(),
            phases: {
                clock.lap("publish");
                clock.phases
            },
        };
        Outcome::Built {
            pages: pages_report,
            data: data_report,
            warnings: diagnostics.sorted(),
        }
    }
}

struct Clock {
    last: Instant,
    phases: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }
}

/// Queues the files of one group (static files, data files) whose bytes
/// changed, and removals for the group's files that are no longer made.
/// Returns the paths that changed.
fn replace_files(
    store: &Store,
    paths: &mut BTreeSet<String>,
    files: Vec<OutputFile>,
    generation: u64,
    batch: &mut Vec<(String, Option<Served>)>,
) -> Vec<String> {
    let mut changed = Vec::new();
    let new_paths: BTreeSet<String> = files.iter().map(|f| f.path.clone()).collect();
    for old in paths.difference(&new_paths) {
        changed.push(old.clone());
        batch.push((old.clone(), None));
    }
    for file in files {
        if store.get(&file.path).map(|s| *s.bytes != file.bytes) != Some(false) {
            changed.push(file.path.clone());
            batch.push((
                file.path,
                Some(Served {
                    bytes: Arc::new(file.bytes),
                    generation,
                }),
            ));
        }
    }
    *paths = new_paths;
    changed
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

/// Where a page's URL is written: `decisions/x/` → `decisions/x/index.html`.
pub(crate) fn page_path(url: &str) -> String {
    if url.ends_with('/') || url.is_empty() {
        format!("{url}index.html")
    } else {
        url.to_string()
    }
}

/// Everything a page's bytes depend on besides the globals and the theme:
/// its template, address, title, breadcrumbs and context, and what each
/// reference in the context resolves to now.
fn job_hash(job: &PageJob, site: &Site) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    job.template.hash(&mut h);
    job.url.hash(&mut h);
    job.title.hash(&mut h);
    job.breadcrumbs.hash(&mut h);
    h.write_u64(hash_value(&job.context, site, 1));
    h.finish()
}

fn hash_value(value: &Value, site: &Site, seed: u64) -> u64 {
    let json = serde_json::to_string(value).unwrap_or_default();
    let mut h = std::hash::DefaultHasher::new();
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

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}
