//! The first two stages kept between runs, for `serve`: every content
//! file's parse, and the records of the last run (linked into its site,
//! or on their own when it could not link). A changed file is read and
//! parsed again and its records swapped in; a file whose bytes did not
//! change is left alone. What a change reaches is noted in `changes` for
//! the page selection (`crate::render::select`).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{ParsedFile, parse_file, settle};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::load::SourceFile;
use crate::records::Records;
use crate::records::metric::Series;
use crate::render::select::{Changes, Key, hash_bytes};

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

pub(crate) struct Cache {
    root: PathBuf,
    /// By path components, which is the loader's order.
    sources: BTreeMap<Vec<String>, Source>,
    /// The last run's site, which holds the records while no run is under
    /// way; `unlinked` holds them when the last run could not link.
    site: Option<Site>,
    unlinked: Records,
    /// Drafts, set aside unless they are asked for.
    drafts: Records,
    /// What the last walk of `content/` reported (as a build reports it).
    walked: Vec<Diagnostic>,
    /// What is out of date since the last run that published.
    pub(crate) changes: Changes,
}

/// The records of a run, as a fresh parse of every file would give them.
pub(crate) struct Parsed {
    pub(crate) records: Records,
    /// `site.yaml`, when there is one.
    pub(crate) settings: Option<SourceFile>,
    /// The rest of the last run's site (backlinks, entries, claims), which
    /// takes tens of milliseconds to free at 10,000 records: it is freed
    /// once the pages are published, not before they are made.
    pub(crate) old_site: Option<Site>,
}

impl Cache {
    /// Reads and parses every content file under `root`.
    pub(crate) fn new(root: &Path) -> Cache {
        let mut cache = Cache {
            root: root.to_path_buf(),
            sources: BTreeMap::new(),
            site: None,
            unlinked: Records::default(),
            drafts: Records::default(),
            walked: Vec::new(),
            changes: Changes {
                everything: true,
                assets: true,
                theme: true,
                ..Changes::default()
            },
        };
        cache.rescan();
        cache
    }

    /// Whether the cache holds files under the folder `parts` (and `parts`
    /// is not itself a file it holds).
    pub(crate) fn holds_folder(&self, parts: &[String]) -> bool {
        self.sources.keys().any(|k| k.starts_with(parts)) && !self.sources.contains_key(parts)
    }

    /// Walks `content/` and brings every file up to date: new ones read,
    /// vanished ones dropped, changed ones re-read.
    pub(crate) fn rescan(&mut self) {
        let content = self.root.join("content");
        self.changes.assets = true;
        let (paths, walked) = crate::load::text_paths(&self.root);
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
        let root = self.root.clone();
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
                let parsed = file.as_ref().ok().map(parse_file);
                (parts, file, parsed)
            })
            .collect();
        for (parts, file, parsed) in parsed {
            self.install(parts, file, parsed);
        }
    }

    /// Re-reads one content file (or notes that it is gone). Returns
    /// whether it changed.
    pub(crate) fn refresh(&mut self, parts: Vec<String>, path: &Path) -> bool {
        if !path.is_file() {
            return match self.sources.remove(&parts) {
                Some(old) => {
                    self.forget(&old);
                    true
                }
                None => false,
            };
        }
        let file = crate::load::read_one(&self.root, &parts.join("/"), path);
        if let (Some(old), Ok(f)) = (self.sources.get(&parts), &file)
            && old.hash == hash_bytes(f.text.as_bytes())
        {
            return false;
        }
        let parsed = file.as_ref().ok().map(parse_file);
        self.install(parts, file, parsed);
        true
    }

    /// Removes a file's records and marks what they reached as stale.
    fn forget(&mut self, old: &Source) {
        if old.text.is_some() {
            self.changes.everything = true;
        }
        let records = match &self.site {
            Some(site) => &site.records,
            None => &self.unlinked,
        };
        self.changes.dropped(records, &old.keys, &old.targets);
        self.records_mut().remove_file(&old.path);
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
        let path = crate::load::display_path(&self.root, &rel);
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
                } = parsed.unwrap_or_else(|| parse_file(&f));
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
                if crate::config::is_settings(&f) {
                    source.text = Some(f);
                    self.changes.everything = true;
                }
                source.series = self.records_mut().add(parsed);
            }
        }
        self.changes.read(&source.keys, &source.targets);
        self.sources.insert(parts, source);
    }

    /// The records, wherever they are held now.
    fn records_mut(&mut self) -> &mut Records {
        match &mut self.site {
            Some(site) => &mut site.records,
            None => &mut self.unlinked,
        }
    }

    /// Every file's records for a run, settled as `run_into` settles a
    /// fresh parse (`settle`), with the diagnostics of reading and parsing.
    /// They come back with `keep` once the run has linked them.
    pub(crate) fn take(&mut self, include_drafts: bool, diagnostics: &mut Diagnostics) -> Parsed {
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
        let mut settings = None;
        diagnostics.extend(self.walked.iter().cloned());
        for source in self.sources.values() {
            diagnostics.extend(source.diagnostics.iter().cloned());
            broken.extend(source.salvaged.iter().cloned());
            series.extend(source.series.clone());
            if source.text.is_some() {
                settings = source.text.clone();
            }
        }
        self.drafts = settle(&mut records, series, broken, include_drafts, diagnostics);
        Parsed {
            records,
            settings,
            old_site,
        }
    }

    /// Holds a run's records again, in its site when it linked.
    pub(crate) fn keep(&mut self, site: Result<Site, Records>) {
        match site {
            Ok(site) => self.site = Some(site),
            Err(records) => self.unlinked = records,
        }
    }
}
