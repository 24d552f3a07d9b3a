//! `plansite check`: everything a build does, except writing. Reports all
//! errors and warnings at once; `--strict` makes warnings fail too;
//! `--git-history` also compares records with their files' git history.

use crate::pipeline::{self, Options};

pub fn run(options: Options, strict: bool, git_history: bool) -> i32 {
    let (output, mut diagnostics) = pipeline::run_into(&options, &crate::output::Discard);
    if let Some(o) = &output {
        let today = jiff::Zoned::now().date();
        let today = crate::types::Date::parse(&today.to_string());
        if let Some(d) = today.and_then(|t| crate::checks::accessibility_review(&o.site.config, t))
        {
            diagnostics.push(d);
        }
        if git_history {
            diagnostics.extend(crate::git_history::check(&options.root, &o.site.records));
        }
    }
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let report = pipeline::report(diagnostics);
    eprint!("{report}");
    if errors > 0 || output.is_none() {
        return 1;
    }
    if strict && warnings > 0 {
        eprintln!("--strict: warnings count as errors.");
        return 1;
    }
    if let Some(o) = output {
        println!(
            "No errors: {} records, {} pages would be written.",
            o.site.records.metas().len(),
            o.pages
        );
    }
    0
}
