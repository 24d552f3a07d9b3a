//! The whole build as one function: load → parse → link → render →
//! search → exports. `build` and `check` run it once (`run_into`); `serve`
//! runs the same stages (`make`) on the records its file cache keeps
//! (`cache`), with a driver that renders only the pages a change reaches.
//! The drivers differ in what they do with the files, not in the stages.

pub(crate) mod cache;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::link::Site;
use crate::load::SourceFile;
use crate::output::{Collect, OutputFile, Sink};
use crate::records::metric::Series;
use crate::records::{Parsed, Records};
use crate::render::{self, Theme};

#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub include_drafts: bool,
    pub base_url: Option<String>,
    /// Adds the live-reload script (serve only).
    pub live_reload: bool,
}

/// Each phase's time and the process's peak memory when it ended, for
/// `--timings`.
#[derive(Debug, Clone)]
pub(crate) struct Timings {
    pub(crate) phases: Vec<Phase>,
    /// When the last phase ended.
    last: Instant,
}

#[derive(Debug, Clone)]
pub(crate) struct Phase {
    pub(crate) name: &'static str,
    pub(crate) time: Duration,
    /// The peak resident memory so far, in bytes, where the platform says.
    pub(crate) peak_rss: Option<u64>,
}

impl Timings {
    /// Timings whose first phase starts now.
    pub(crate) fn start() -> Timings {
        Timings {
            phases: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Ends a phase that began when the last one ended.
    pub(crate) fn lap(&mut self, name: &'static str) {
        self.record(name, self.last);
    }

    /// Ends a phase that began at `since`.
    pub(crate) fn record(&mut self, name: &'static str, since: Instant) {
        let now = Instant::now();
        self.phases.push(Phase {
            name,
            time: now - since,
            peak_rss: peak_rss(),
        });
        self.last = now;
    }

    /// The lines `--timings` prints: one per phase (`  render     458.1 ms`,
    /// which the benchmark reads), then the peak memory after each phase
    /// where the platform reports it.
    pub(crate) fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .phases
            .iter()
            .map(|p| format!("  {:<8} {:>8.1} ms", p.name, p.time.as_secs_f64() * 1000.0))
            .collect();
        let peaks: Vec<String> = self
            .phases
            .iter()
            .filter_map(|p| p.peak_rss.map(|b| format!("{} {}", p.name, b >> 20)))
            .collect();
        if !peaks.is_empty() {
            lines.push(format!(
                "  peak memory after each phase, MiB: {}",
                peaks.join(", ")
            ));
        }
        lines
    }
}

/// The process's peak resident set size (Linux's `VmHWM`).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// What a successful run produced.
pub struct Output {
    pub(crate) site: Site,
    /// The files, in path order, when the run kept them (`run`); empty when
    /// they went to a sink as they were made (`run_into`).
    pub files: Vec<OutputFile>,
    pub(crate) pages: usize,
    pub(crate) search: Option<crate::search::SearchStats>,
    pub(crate) timings: Timings,
}

/// Runs every stage and keeps the files. Errors from all stages that could
/// run are returned together; warnings travel with success too.
pub fn run(options: &Options) -> (Option<Output>, Diagnostics) {
    let collect = Collect::default();
    let (output, diagnostics) = run_into(options, &collect);
    let output = output.map(|o| Output {
        files: collect.into_files(),
        ..o
    });
    (output, diagnostics)
}

/// Runs every stage, handing each file to `sink` as soon as it is made
/// (pages batch by batch and the assets, then the search index and the
/// exports), so that no file waits in memory for the others. A site with
/// errors before rendering hands nothing on; one whose errors only
/// rendering finds may have handed on some files, which must not be
/// published: `build` writes to a staging folder it then removes.
pub(crate) fn run_into(options: &Options, sink: &dyn Sink) -> (Option<Output>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Timings::start();

    // Each file is parsed as soon as it is read and its text let go (only
    // site.yaml is kept, for the settings), so the sources and the records
    // are never all in memory together.
    let (paths, walked) = crate::load::text_paths(&options.root);
    timings.lap("load");
    let (read, d) = crate::load::read_these(&options.root, &paths, walked, |file| {
        let parsed = parse_file(&file);
        let settings = crate::config::is_settings(&file).then_some(file);
        (settings, parsed)
    });
    diagnostics.extend(d);
    let (settings, parsed): (Vec<_>, Vec<_>) = read.into_iter().unzip();
    let settings: Vec<SourceFile> = settings.into_iter().flatten().collect();
    let (records, d) = settle_all(parsed, options.include_drafts);
    diagnostics.extend(d);
    timings.lap("parse");

    let theme = Theme::load(&options.root);
    let mut driver = Build {
        sink,
        root: &options.root,
        live_reload: options.live_reload,
        pages: 0,
    };
    let made = make(
        options,
        &settings,
        records,
        theme.as_ref().map_err(Vec::as_slice),
        &mut diagnostics,
        &mut timings,
        &mut driver,
    );
    match made.site {
        Ok(site) if !diagnostics.has_errors() => (
            Some(Output {
                site,
                files: Vec::new(),
                pages: driver.pages,
                search: made.search,
                timings,
            }),
            diagnostics,
        ),
        _ => (None, diagnostics),
    }
}

/// What a run does with the linked site: `build` and `check` hand every
/// page to a sink as it is made ([`Build`]); `serve` renders the pages a
/// change reaches and publishes them to its store
/// (`crate::serve::incremental`).
pub(crate) trait Driver {
    /// Makes the pages and the static files (`static_files`). Without
    /// `publish` the site already has errors: it is rendered for the
    /// errors only rendering finds, and nothing may be published.
    fn render(
        &mut self,
        site: &Site,
        theme: &Theme,
        publish: bool,
        diagnostics: &mut Diagnostics,
        timings: &mut Timings,
    );

    /// Called once the site has rendered without errors, before the search
    /// index and the data files are made: `serve` publishes its pages here
    /// (a build has written them already).
    fn publish_pages(&mut self, _site: &Site, _timings: &mut Timings) {}

    /// Whether the decisions' HTML outlives rendering (`serve` renders
    /// pages again from the same records); otherwise it is dropped before
    /// the search index and the exports, which read plain text.
    fn keeps_html(&self) -> bool {
        false
    }

    /// Files of the search index, then of the exports.
    fn data(&mut self, files: Vec<OutputFile>);
}

/// What `make` made. The records come back either way: linked into a
/// site, or on their own when the settings did not load.
pub(crate) struct Made {
    pub(crate) site: Result<Site, Records>,
    /// When the search index was made (the site built).
    pub(crate) search: Option<crate::search::SearchStats>,
}

/// The stages after parsing, for every driver: the settings, linking and
/// the checks about meaning, the theme's errors, rendering (even with
/// errors, for the errors only rendering finds), and, when nothing has
/// failed, the pages published, the search index and the exports. Every
/// diagnostic goes to `diagnostics`; the run succeeded when none is an
/// error.
pub(crate) fn make(
    options: &Options,
    settings: &[SourceFile],
    records: Records,
    theme: Result<&Theme, &[Diagnostic]>,
    diagnostics: &mut Diagnostics,
    timings: &mut Timings,
    driver: &mut dyn Driver,
) -> Made {
    let config = match configure(settings, options) {
        Ok(c) => c,
        Err(d) => {
            diagnostics.extend(d);
            if let Err(d) = theme {
                diagnostics.extend(d.iter().cloned());
            }
            return Made {
                site: Err(records),
                search: None,
            };
        }
    };
    let mut site = link(config, records, diagnostics);
    timings.lap("link");

    let theme = match theme {
        Ok(t) => {
            diagnostics.extend(t.warnings.iter().cloned());
            t
        }
        Err(d) => {
            diagnostics.extend(d.iter().cloned());
            return Made {
                site: Ok(site),
                search: None,
            };
        }
    };
    let publish = !diagnostics.has_errors();
    driver.render(&site, theme, publish, diagnostics, timings);
    if diagnostics.has_errors() {
        return Made {
            site: Ok(site),
            search: None,
        };
    }
    driver.publish_pages(&site, timings);

    if !driver.keeps_html() {
        site.records.drop_decision_html();
    }
    let (files, stats) = search_files(&site);
    driver.data(files);
    timings.lap("search");
    driver.data(crate::export::all(&site));
    timings.lap("exports");
    Made {
        site: Ok(site),
        search: Some(stats),
    }
}

/// The driver of `build` and `check`: every page, batch by batch, into a
/// sink (nothing when the site already has errors).
struct Build<'a> {
    sink: &'a dyn Sink,
    root: &'a Path,
    live_reload: bool,
    pages: usize,
}

impl Driver for Build<'_> {
    fn render(
        &mut self,
        site: &Site,
        theme: &Theme,
        publish: bool,
        diagnostics: &mut Diagnostics,
        timings: &mut Timings,
    ) {
        let sink = if publish {
            self.sink
        } else {
            &crate::output::Discard
        };
        let (pages, d) = render::pages::render_all(site, theme, self.root, self.live_reload, sink);
        self.pages = pages;
        diagnostics.extend(d);
        let statics = static_files(site, theme, self.root);
        sink.put(statics.files);
        diagnostics.extend(statics.diagnostics);
        timings.lap("render");
    }

    fn data(&mut self, files: Vec<OutputFile>) {
        self.sink.put(files);
    }
}

// The stages before `make`, each one function that `run_into` and the
// file cache of `serve` (`cache`) both call: the cache only keeps their
// results between changes.

/// Stage 2 for one file: its records, its diagnostics and, when it did not
/// parse, the keys it names (so references to them are not reported again).
pub(crate) struct ParsedFile {
    pub(crate) parsed: Parsed,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) salvaged: Vec<String>,
}

pub(crate) fn parse_file(file: &SourceFile) -> ParsedFile {
    let (parsed, diagnostics) = crate::records::parse_file(file);
    let salvaged = if diagnostics.iter().any(Diagnostic::is_error) {
        crate::records::salvage_keys(file)
    } else {
        Vec::new()
    };
    ParsedFile {
        parsed,
        diagnostics,
        salvaged,
    }
}

/// The end of stage 2, once every file's records are in `records`: the keys
/// of files that failed, metric series attached, drafts taken out (unless
/// asked for) and a fixed order. Returns the drafts.
pub(crate) fn settle(
    records: &mut Records,
    series: Vec<Series>,
    broken: HashSet<String>,
    include_drafts: bool,
    diagnostics: &mut Diagnostics,
) -> Records {
    records.broken_keys = broken;
    diagnostics.extend(crate::records::metric::attach_series(
        &mut records.metrics,
        series,
    ));
    let drafts = if include_drafts {
        Records::default()
    } else {
        records.take_drafts()
    };
    records.sort();
    drafts
}

/// Stage 2 for a whole site: every file parsed in parallel, then settled.
/// Drafts are dropped here unless asked for, so no later stage sees them.
/// The records of every file, settled (`settle`).
fn settle_all(parsed: Vec<ParsedFile>, include_drafts: bool) -> (Records, Diagnostics) {
    let mut records = Records::default();
    let mut diagnostics = Diagnostics::default();
    let mut series = Vec::new();
    let mut broken = HashSet::new();
    for p in parsed {
        diagnostics.extend(p.diagnostics);
        broken.extend(p.salvaged);
        series.extend(records.add(p.parsed));
    }
    settle(
        &mut records,
        series,
        broken,
        include_drafts,
        &mut diagnostics,
    );
    (records, diagnostics)
}

/// `site.yaml`, from the files read (`files` may hold only it).
pub(crate) fn configure(
    files: &[SourceFile],
    options: &Options,
) -> Result<SiteConfig, Vec<Diagnostic>> {
    crate::config::parse(files, &options.root, options.base_url.as_deref())
}

/// Stage 3: the site graph and the checks about meaning (`crate::checks`),
/// with the diagnostics the settings waive dropped from what came before.
pub(crate) fn link(config: SiteConfig, records: Records, diagnostics: &mut Diagnostics) -> Site {
    diagnostics.waive(&config.waivers());
    let (mut site, d) = crate::link::link(config, records);
    diagnostics.extend(d);
    diagnostics.extend(crate::checks::run(&mut site));
    site
}

/// Files published as they are: binary assets under `content/`, the
/// theme's static files and the brand stylesheet; and the check that the
/// logo exists.
pub(crate) struct StaticFiles {
    pub files: Vec<OutputFile>,
    /// Who claims each file's path, so a later rebuild that keeps the files
    /// can check them against new records and aliases
    /// (`crate::claims::claim_assets`). `_headers` is built in and claimed
    /// with the pages.
    pub(crate) claimants: Vec<(String, crate::claims::Claimant)>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

pub(crate) fn static_files(site: &Site, theme: &Theme, root: &Path) -> StaticFiles {
    use crate::claims::Claimant;
    let mut out = Vec::new();
    let mut diagnostics = Vec::new();
    let assets = crate::load::binary_assets(root);
    let brand = site.config.branding.stylesheet();
    let claimants: Vec<(String, Claimant)> = assets
        .iter()
        .map(|(path, file)| (path.clone(), crate::claims::asset(file)))
        .chain(
            theme
                .asset_names
                .iter()
                .map(|(name, path)| (path.clone(), Claimant::Theme(name.clone()))),
        )
        .chain(
            brand
                .as_ref()
                .map(|(path, _)| (path.clone(), Claimant::BuiltIn("the brand stylesheet"))),
        )
        .collect();
    diagnostics.extend(claim_static_files(site, &claimants));
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
    if let Some((path, css)) = brand {
        out.push(OutputFile {
            path,
            bytes: css.into_bytes(),
        });
    }
    // HTTP headers for hosts that read `_headers`: the theme's
    // Content-Security-Policy and the usual hardening headers.
    out.push(OutputFile {
        path: "_headers".to_string(),
        bytes: crate::safe::headers_file().into_bytes(),
    });
    StaticFiles {
        files: out,
        claimants,
        diagnostics,
    }
}

/// The check that static files take paths no page, alias or data file has
/// (`crate::claims`): part of [`static_files`], and run alone by a rebuild
/// that keeps the files but may have new records or aliases.
pub(crate) fn claim_static_files(
    site: &Site,
    claimants: &[(String, crate::claims::Claimant)],
) -> Vec<Diagnostic> {
    crate::claims::claim_assets(
        &site.claims,
        claimants.iter().map(|(p, who)| (p.as_str(), who.clone())),
    )
}

/// The search index's files.
pub(crate) fn search_files(site: &Site) -> (Vec<OutputFile>, crate::search::SearchStats) {
    let search = crate::search_docs::build(site);
    let files = search
        .files
        .into_iter()
        .map(|(path, bytes)| OutputFile { path, bytes })
        .collect();
    (files, search.stats)
}

/// The warning for a search index a one-word query would fetch too much
/// of: `build` prints it, `serve` shows it with the other warnings.
pub(crate) fn search_budget_warning(stats: &crate::search::SearchStats) -> Option<Diagnostic> {
    stats.over_budget().then(|| {
        Diagnostic::warning(
            None,
            format!(
                "search: a one-word query may fetch up to {} bytes (gzip: manifest, largest term shard, a page of result fragments), over the budget of {} bytes",
                stats.worst_query_gzip_bytes,
                crate::search::QUERY_BUDGET_BYTES,
            ),
        )
        .with_help("see README, Search")
    })
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

pub(crate) fn error_at(path: &Path, message: String) -> Diagnostic {
    Diagnostic::error(Some(crate::diagnostics::Span::file(path)), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture site up to the pages: linked, with its HTML.
    fn linked_fixture() -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
        let (paths, walked) = crate::load::text_paths(&root);
        let (files, _) = crate::load::read_these(&root, &paths, walked, |f| f);
        let options = Options {
            root: root.clone(),
            include_drafts: false,
            base_url: None,
            live_reload: false,
        };
        let config = configure(&files, &options).unwrap_or_else(|_| panic!("site.yaml"));
        let (records, mut diagnostics) = settle_all(files.iter().map(parse_file).collect(), false);
        let site = link(config, records, &mut diagnostics);
        assert!(!diagnostics.has_errors(), "{}", report(diagnostics));
        site
    }

    #[test]
    fn search_and_exports_do_not_read_the_html_dropped_after_rendering() {
        let mut site = linked_fixture();
        let bodies = |site: &Site| -> Vec<(String, String)> {
            site.records
                .decisions
                .iter()
                .filter_map(|d| d.notice.as_ref()?.body.as_ref())
                .map(|b| (b.html.clone(), b.text.clone()))
                .collect()
        };
        let before = bodies(&site);
        assert!(before.iter().any(|(html, _)| !html.is_empty()));
        let files = |site: &Site| {
            let mut files = search_files(site).0;
            files.extend(crate::export::all(site));
            files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<Vec<_>>()
        };
        let with_html = files(&site);
        site.records.drop_decision_html();
        let after = bodies(&site);
        assert!(after.iter().all(|(html, _)| html.is_empty()));
        assert_eq!(
            before.iter().map(|b| &b.1).collect::<Vec<_>>(),
            after.iter().map(|b| &b.1).collect::<Vec<_>>()
        );
        assert!(
            with_html == files(&site),
            "the files differ without the HTML"
        );
    }

    #[test]
    fn every_file_of_a_build_is_claimed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
        let options = Options {
            root: root.clone(),
            include_drafts: false,
            base_url: None,
            live_reload: false,
        };
        let (output, d) = run(&options);
        let output = output.unwrap_or_else(|| panic!("{}", report(d)));
        let theme = Theme::load(&root).unwrap_or_else(|_| panic!("theme"));
        let assets: Vec<String> = crate::load::binary_assets(&root)
            .into_iter()
            .map(|(p, _)| p)
            .chain(theme.assets.iter().map(|(p, _)| p.clone()))
            .collect();
        for f in &output.files {
            assert!(
                output.site.claims.covers(&f.path) || assets.contains(&f.path),
                "{} is written but not claimed",
                f.path
            );
        }
    }
}
