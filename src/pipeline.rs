//! The whole build as one function: load → parse → link → render → write.
//! `build`, `check` and `serve` all run it; they differ in what they do
//! with the result.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::render::{self, OutputFile, Theme};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub include_drafts: bool,
    pub base_url: Option<String>,
    /// Adds the live-reload script (serve only).
    pub live_reload: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration)>,
}

impl Timings {
    fn record(&mut self, name: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.phases.push((name, now - since));
        now
    }
}

/// What a successful run produced.
pub struct Output {
    pub site: Site,
    pub files: Vec<OutputFile>,
    pub pages: usize,
    pub search: Option<crate::search::SearchStats>,
    pub timings: Timings,
}

/// Runs every stage. Errors from all stages that could run are returned
/// together; warnings travel with success too.
pub fn run(options: &Options) -> (Option<Output>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Timings::default();
    let started = Instant::now();

    let (files, d) = crate::load::read_content(&options.root);
    diagnostics.extend(d);
    let t = timings.record("load", started);

    let config = crate::config::parse(&files, &options.root, options.base_url.as_deref());
    let (records, d) = crate::link::parse_all(&files, options.include_drafts);
    diagnostics.extend(d);
    drop(files);
    let t = timings.record("parse", t);

    let theme = Theme::load(&options.root);
    let config = match config {
        Ok(c) => c,
        Err(d) => {
            diagnostics.extend(d);
            if let Err(d) = theme {
                diagnostics.extend(d);
            }
            return (None, diagnostics);
        }
    };
    let (site, d) = crate::link::link(config, records);
    diagnostics.extend(d);
    let t = timings.record("link", t);

    let theme = match theme {
        Ok(t) => {
            diagnostics.extend(t.warnings.iter().cloned());
            t
        }
        Err(d) => {
            diagnostics.extend(d);
            return (None, diagnostics);
        }
    };
    let jobs = render::pages::jobs(&site);
    let pages = jobs.len();
    let (mut out, d) =
        render::pages::render_all(&site, &theme, jobs, &options.root, options.live_reload);
    diagnostics.extend(d);
    let (assets, d) = static_files(&site, &theme, &options.root);
    out.extend(assets);
    diagnostics.extend(d);
    let t = timings.record("render", t);

    let (files, stats) = search_files(&site);
    out.extend(files);
    let t = timings.record("search", t);

    out.extend(crate::export::all(&site));
    timings.record("exports", t);

    if diagnostics.has_errors() {
        return (None, diagnostics);
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    (
        Some(Output {
            site,
            files: out,
            pages,
            search: Some(stats),
            timings,
        }),
        diagnostics,
    )
}

/// Files published as they are: binary assets under `content/` and the
/// theme's static files; and the check that the logo exists.
pub fn static_files(site: &Site, theme: &Theme, root: &Path) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let assets = crate::load::binary_assets(root);
    // Assets take paths no page, alias or data file has (`crate::claims`).
    diagnostics.extend(crate::claims::claim_assets(
        &site.claims,
        assets
            .iter()
            .map(|(path, file)| (path.as_str(), crate::claims::asset(file)))
            .chain(
                theme.asset_names.iter().map(|(name, path)| {
                    (path.as_str(), crate::claims::Claimant::Theme(name.clone()))
                }),
            ),
    ));
    for (path, file) in assets {
        match std::fs::read(&file) {
            Ok(bytes) => out.push(OutputFile { path, bytes }),
            Err(e) => diagnostics.push(error_at(&file, format!("cannot read: {e}"))),
        }
    }
    if let Some(logo) = &site.config.branding.logo
        && !root.join("content").join(&logo.src).is_file()
    {
        diagnostics.push(error_at(&site.config.file, format!("the logo `{}` is not in the content folder", logo.src)).with_help("put the logo file under content/ and give its path relative to content/, e.g. `src: logo.svg`"));
    }
    for (path, bytes) in &theme.assets {
        out.push(OutputFile {
            path: path.clone(),
            bytes: bytes.clone(),
        });
    }
    (out, diagnostics)
}

/// The search index's files.
pub fn search_files(site: &Site) -> (Vec<OutputFile>, crate::search::SearchStats) {
    let search = crate::search_docs::build(site);
    let files = search
        .files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    (files, search.stats)
}

/// Renders diagnostics for the terminal, errors first within each file.
pub fn report(diagnostics: Diagnostics) -> String {
    let mut out = String::new();
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    for d in diagnostics.sorted() {
        out.push_str(&d.render());
        out.push('\n');
    }
    if errors > 0 || warnings > 0 {
        out.push_str(&format!(
            "{errors} error{}, {warnings} warning{}\n",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ));
    }
    out
}

pub fn error_at(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error(Some(crate::diagnostics::Span::file(path)), message)
}
