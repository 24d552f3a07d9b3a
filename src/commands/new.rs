//! `plansite new DIR`: a small, working example site with one record of
//! each kind, to copy from.

use std::path::Path;

use crate::diagnostics::Diagnostic;

macro_rules! scaffold {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("new/", $name)))),*]
    };
}

const FILES: &[(&str, &str)] = scaffold![
    "content/site.yaml",
    "content/plans/2025-2029/plan.yaml",
    "content/plans/2025-2029/foreword.md",
    "content/plans/2025-2029/section-1.md",
    "content/commitments/section-1.yaml",
    "content/metrics/section-1.yaml",
    "content/metrics/series/burglary-rate.csv",
    "content/grants/2025-26.yaml",
    "content/decisions/001-2025.md",
    "content/decisions/002-2025.md",
    "content/panel/2025-02-03-report.md",
    "content/responses/2025-02-17.md",
    "content/papers/board-2025-01-21.md",
    "content/precepts/2025-26.md",
    "content/annual-reports/2024-25.md",
    "content/meetings/board-2025-01-21.md",
    "content/budgets/2025-26.yaml",
    "content/performance/2025-q3.md",
    "content/variations/2026.md",
    "content/pages/about.md",
];

/// The accessibility statement's dates in the starter `site.yaml`, replaced
/// by the day `plansite new` runs.
const STARTER_DATE: &str = "2025-01-06";

pub fn run(dir: &Path) -> i32 {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        let d = Diagnostic::error(
            None,
            format!("{} already exists and is not empty", dir.display()),
        )
        .with_help("choose a new folder name; plansite new never overwrites files");
        eprint!("{}", d.render());
        return 2;
    }
    for (name, text) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: cannot create {}: {e}", parent.display());
            return 2;
        }
        // The accessibility statement is prepared and reviewed today, so a
        // new site's `check` has nothing to warn about.
        let today = jiff::Zoned::now().date().to_string();
        let text = if *name == "content/site.yaml" {
            text.replace(STARTER_DATE, &today)
        } else {
            text.to_string()
        };
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
    }
    println!("Made a new site in {}. Next:", dir.display());
    println!("  plansite build --root {}", dir.display());
    println!(
        "  then open {}/public/index.html, or run `plansite serve --root {}`",
        dir.display(),
        dir.display()
    );
    0
}
