//! `plansite build`: run the pipeline and write the output atomically.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use crate::pipeline::{self, Options};

pub struct Args {
    pub options: Options,
    pub output: PathBuf,
    pub timings: bool,
}

/// Exit codes: 0 ok, 1 content errors, 2 usage or I/O errors.
pub fn run(args: Args) -> i32 {
    let started = Instant::now();
    // Before anything is built: a folder that is not plansite's is refused
    // without moving or making anything.
    let target = match crate::output::target(&args.output, &args.options.root) {
        Ok(t) => t,
        Err(d) => {
            eprint!("{d}");
            return 2;
        }
    };
    // The new output is written beside the published one as it is made,
    // and swapped in only when the whole build succeeded.
    let staging = match target.begin() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.output.display());
            return 2;
        }
    };
    let spinner = progress();
    let (output, diagnostics) = pipeline::run_into(&args.options, &staging);
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let report = pipeline::report(diagnostics);
    if !report.is_empty() {
        eprint!("{report}");
    }
    let Some(mut output) = output else {
        eprintln!(
            "Build failed; {} was left as it was.",
            args.output.display()
        );
        return 1;
    };
    let writing = std::time::Instant::now();
    let files = staging.count();
    let written = match staging.finish() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", args.output.display());
            return 2;
        }
    };
    for w in &written.warnings {
        eprint!("{w}");
    }
    if written.swap == crate::output::Swap::TwoRenames {
        eprintln!(
            "note: this file system cannot exchange two folders in one step, so {} was missing for a moment between two renames",
            args.output.display()
        );
    }
    output.timings.record("swap", writing);
    let records = output.site.records.metas().len();
    let search = output.search.unwrap_or_default();
    println!(
        "Built {} pages from {records} records into {} in {:.2}s ({} files; search index {} files, {} KB, largest {} KB, at most {} KB gzip a query).",
        output.pages,
        args.output.display(),
        started.elapsed().as_secs_f64(),
        files,
        search.files,
        search.total_bytes / 1024,
        search.largest_file_bytes / 1024,
        search.worst_query_gzip_bytes.div_ceil(1024),
    );
    if let Some(w) = crate::pipeline::search_budget_warning(&search) {
        eprintln!("{}", w.render());
    }
    if args.timings {
        for line in output.timings.lines() {
            println!("{line}");
        }
    }
    0
}

/// A spinner on a terminal, for builds longer than a moment; nothing when
/// output is not a terminal or in CI.
fn progress() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message("building…");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}
