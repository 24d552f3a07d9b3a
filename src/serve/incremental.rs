//! The incremental build behind `serve`: the build's own stages
//! (`pipeline::make`), fed by a file cache and driven to publish into the
//! store. On a change it:
//!
//! 1. re-reads and re-parses only the changed files (`pipeline::cache`: a
//!    file whose bytes did not change is left alone) and swaps their
//!    records in;
//! 2. links the whole site again (cheap next to parsing and rendering);
//! 3. renders only the pages the change can reach and whose inputs differ
//!    (`render::select`: a changed record, the records it refers to and
//!    the records that refer to it; each page's inputs hashed);
//! 4. publishes the pages whose bytes changed, then (after the reload
//!    event has gone out) the search index and open data files whose bytes
//!    changed.
//!
//! A change to `site.yaml` or to the theme renders every page. The result
//! is always what `pipeline::run` makes with the same options; the tests
//! compare the two byte for byte after edits, additions, deletions and
//! renames.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::store::{Served, Store};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::output::OutputFile;
use crate::pipeline::cache::Cache;
use crate::pipeline::{self, Driver, Options, Timings};
use crate::render::Theme;
use crate::render::select::{self, Changes, Remade};

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
    cache: Cache,
    theme: Option<Result<Theme, Vec<Diagnostic>>>,
    preview: Preview,
}

/// What the store holds, and what its pages were made from.
struct Preview {
    store: Arc<Store>,
    made: select::Made,
    static_paths: BTreeSet<String>,
    /// Who claims each static file's path (`pipeline::StaticFiles`).
    static_claimants: Vec<(String, crate::claims::Claimant)>,
    data_paths: BTreeSet<String>,
    generation: u64,
}

impl Engine {
    /// Reads and parses the whole site; `build` then publishes it.
    pub fn new(options: Options, store: Arc<Store>) -> Engine {
        Engine {
            cache: Cache::new(&options.root),
            options,
            theme: None,
            preview: Preview {
                store,
                made: select::Made::default(),
                static_paths: BTreeSet::new(),
                static_claimants: Vec::new(),
                data_paths: BTreeSet::new(),
                generation: 0,
            },
        }
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.preview.store
    }

    /// Builds whatever is pending (everything, the first time).
    pub fn build(&mut self, on_pages: impl FnOnce(&Published)) -> Outcome {
        self.update(on_pages)
    }

    /// Takes in changed paths (files or folders, existing or not) and
    /// rebuilds what they reach. `on_pages` is called once the pages are
    /// published, before the search index and data files are made.
    pub fn rebuild(&mut self, changed: &[PathBuf], on_pages: impl FnOnce(&Published)) -> Outcome {
        let before = self.cache.changes.is_empty();
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
                self.cache.changes.theme = true;
                self.cache.changes.everything = true;
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
                self.cache.changes.assets = true;
                continue;
            }
            if !path.exists() && self.cache.holds_folder(&parts) {
                // A folder went away (or was renamed).
                rescan = true;
                continue;
            }
            touched |= self.cache.refresh(parts, path);
        }
        if rescan {
            touched = true;
            self.cache.rescan();
        }
        if !touched || (before && self.cache.changes.is_empty()) {
            return Outcome::Unchanged;
        }
        self.update(on_pages)
    }

    /// Runs the build's stages on the cached records and publishes what
    /// changed.
    fn update(&mut self, on_pages: impl FnOnce(&Published)) -> Outcome {
        let started = Instant::now();
        let mut timings = Timings::start();
        let mut diagnostics = Diagnostics::default();
        let parsed = self
            .cache
            .take(self.options.include_drafts, &mut diagnostics);
        timings.lap("parse");
        if self.cache.changes.theme || self.theme.is_none() {
            self.theme = Some(Theme::load(&self.options.root));
        }
        let theme = match &self.theme {
            Some(Ok(t)) => Ok(t),
            Some(Err(d)) => Err(d.as_slice()),
            None => unreachable!("the theme was loaded above"),
        };
        let mut driver = Publish {
            preview: &mut self.preview,
            changes: &self.cache.changes,
            root: &self.options.root,
            live_reload: self.options.live_reload,
            started,
            old_site: parsed.old_site,
            remade: None,
            statics: None,
            on_pages: Some(on_pages),
            pages: None,
            data: Vec::new(),
        };
        let made = pipeline::make(
            &self.options,
            parsed.settings.as_slice(),
            parsed.records,
            theme,
            &mut diagnostics,
            &mut timings,
            &mut driver,
        );
        let (pages, data) = (driver.pages.take(), std::mem::take(&mut driver.data));
        self.cache.keep(made.site);
        let (Some(pages), Some(stats)) = (pages, made.search) else {
            return Outcome::Failed(diagnostics.sorted());
        };
        self.cache.changes = Changes::default();

        // Then the search index and the open data files.
        let data_started = Instant::now();
        let published = timings.phases.len();
        diagnostics.extend(pipeline::search_budget_warning(&stats));
        let preview = &mut self.preview;
        let mut batch = Vec::new();
        let mut changed = replace_files(
            &preview.store,
            &mut preview.data_paths,
            data,
            preview.generation,
            &mut batch,
        );
        preview.store.apply(batch);
        changed.sort();
        timings.lap("publish");
        let data = Published {
            generation: preview.generation,
            changed,
            rendered: 0,
            full: pages.full,
            elapsed: data_started.elapsed(),
            phases: phases(&timings, published..),
        };
        Outcome::Built {
            pages,
            data,
            warnings: diagnostics.sorted(),
        }
    }
}

/// The driver of one rebuild: renders the pages a change reaches and,
/// when the site built, publishes them to the store.
struct Publish<'a, F> {
    preview: &'a mut Preview,
    changes: &'a Changes,
    root: &'a Path,
    live_reload: bool,
    started: Instant,
    /// Freed once the pages are published (`cache::Parsed`).
    old_site: Option<Site>,
    remade: Option<Remade>,
    /// The static files, when they were read again.
    statics: Option<Vec<OutputFile>>,
    /// Told once the pages are published.
    on_pages: Option<F>,
    /// What publishing the pages did.
    pages: Option<Published>,
    data: Vec<OutputFile>,
}

impl<F: FnOnce(&Published)> Driver for Publish<'_, F> {
    fn render(
        &mut self,
        site: &Site,
        theme: &Theme,
        _publish: bool,
        diagnostics: &mut Diagnostics,
        timings: &mut Timings,
    ) {
        let (remade, d) = select::remake(
            site,
            theme,
            self.root,
            self.live_reload,
            self.changes,
            &self.preview.made,
            &mut |phase| timings.lap(phase),
        );
        diagnostics.extend(d);
        if remade.everything || self.changes.assets {
            let statics = pipeline::static_files(site, theme, self.root);
            diagnostics.extend(statics.diagnostics);
            self.preview.static_claimants = statics.claimants;
            self.statics = Some(statics.files);
        } else {
            // The assets are as they were, but a record or an alias may
            // now claim one's path.
            diagnostics.extend(pipeline::claim_static_files(
                site,
                &self.preview.static_claimants,
            ));
        }
        timings.lap("static");
        self.remade = Some(remade);
    }

    fn publish_pages(&mut self, _site: &Site, timings: &mut Timings) {
        let Some(remade) = self.remade.take() else {
            return;
        };
        let preview = &mut *self.preview;
        preview.generation += 1;
        let generation = preview.generation;
        let mut batch = Vec::new();
        let mut changed: Vec<String> = preview.made.gone(&remade).cloned().collect();
        batch.extend(changed.iter().map(|p| (p.clone(), None)));
        let rendered = remade.pages.len();
        preview.made.update(&remade);
        for (file, _) in remade.pages {
            if preview
                .store
                .get(&file.path)
                .map(|s| *s.bytes != file.bytes)
                != Some(false)
            {
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
        if let Some(files) = self.statics.take() {
            changed.extend(replace_files(
                &preview.store,
                &mut preview.static_paths,
                files,
                generation,
                &mut batch,
            ));
        }
        preview.store.apply(batch);
        changed.sort();
        changed.dedup();
        timings.lap("publish");
        let pages = Published {
            generation,
            changed,
            rendered,
            full: remade.everything,
            elapsed: self.started.elapsed(),
            phases: phases(timings, 0..),
        };
        if let Some(on_pages) = self.on_pages.take() {
            on_pages(&pages);
        }
        self.pages = Some(pages);
        self.old_site = None;
    }

    fn keeps_html(&self) -> bool {
        true
    }

    fn data(&mut self, files: Vec<OutputFile>) {
        self.data.extend(files);
    }
}

/// Some of the phases' times, for `serve --timings`.
fn phases(timings: &Timings, range: std::ops::RangeFrom<usize>) -> Vec<(&'static str, Duration)> {
    timings.phases[range]
        .iter()
        .map(|p| (p.name, p.time))
        .collect()
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
