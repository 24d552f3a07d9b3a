//! The command line: argument parsing and a call into the library.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use plansite::commands;
use plansite::diagnostics::Diagnostic;
use plansite::pipeline::Options;

#[derive(Parser)]
#[command(
    name = "plansite",
    version,
    about = "Publish a police and crime plan and its public records as an accessible, searchable website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (atomically: a failed build leaves it untouched).
    Build {
        /// The site's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site; default: ROOT/public. Only an empty or new
        /// folder, or one plansite wrote, is replaced.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include records marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override site.yaml's base_url (it may carry a path).
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each phase took.
        #[arg(long)]
        timings: bool,
    },
    /// Check everything and write nothing; reports all errors at once.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on warnings too (e.g. a missing statutory step).
        #[arg(long)]
        strict: bool,
        #[arg(long)]
        drafts: bool,
        /// Also warn for each content file changed in git after the newest
        /// change its records state (`changes:`, `updated:`, progress updates).
        #[arg(long)]
        git_history: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild on every save and reload open pages.
    Serve {
        /// The site's folder (holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but loopback makes the preview
        /// readable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include records marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each step of every rebuild took.
        #[arg(long)]
        timings: bool,
    },
    /// Make a small working example site in DIR.
    New { dir: PathBuf },
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    if let Command::Build { root, .. } | Command::Check { root, .. } | Command::Serve { root, .. } =
        &cli.command
        && let Err(code) = site_folder(root)
    {
        std::process::exit(code);
    }
    let code = match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            timings,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            commands::build::run(commands::build::Args {
                options: Options {
                    root,
                    include_drafts: drafts,
                    base_url,
                    live_reload: false,
                },
                output,
                timings,
            })
        }
        Command::Check {
            root,
            strict,
            drafts,
            git_history,
        } => commands::check::run(
            Options {
                root,
                include_drafts: drafts,
                base_url: None,
                live_reload: false,
            },
            strict,
            git_history,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            timings,
        } => commands::serve::run(commands::serve::Args {
            root,
            bind,
            port,
            drafts,
            timings,
        }),
        Command::New { dir } => commands::new::run(&dir),
    };
    std::process::exit(code);
}

/// A `--root` that is not a folder is a usage error (exit 2), said before
/// anything runs.
fn site_folder(root: &std::path::Path) -> Result<(), i32> {
    let shown = plansite::diagnostics::visible(&root.display().to_string(), false);
    let problem = match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => format!("the site folder `{shown}` is not a folder"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("the site folder `{shown}` does not exist")
        }
        Err(e) => format!("cannot read the site folder `{shown}`: {e}"),
    };
    let d = Diagnostic::error(None, problem).with_help(
        "give the folder that holds content/ with --root, or make a new site with `plansite new DIR`",
    );
    eprint!("{}", d.render());
    Err(2)
}
