//! `plansite serve`: a live preview. Four parts, one concern each:
//!
//! - `incremental`: the build kept in memory, rebuilding only what a
//!   change reaches;
//! - `store`: the published files the server answers from (serve writes
//!   nothing to disk);
//! - `server`: HTTP on loopback, with path checks and content types, and
//!   bounds on request heads and connections;
//! - `sse` (+ `reload.js`): reload events and the error overlay;
//! - `watcher`: file events, debounced, for inputs only; `content/` and
//!   `themes/` watched again when they are replaced.
//!
//! This module wires them together: build, serve, and on every batch of
//! changes rebuild, reload the pages that changed, or show the errors.

pub mod incremental;
pub(crate) mod server;
pub(crate) mod sse;
pub mod store;
pub(crate) mod watcher;

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Instant;

use crate::diagnostics::Diagnostic;
use crate::pipeline::Options;
use incremental::{Engine, Outcome};
use sse::Hub;
use store::Store;

pub(crate) struct Config {
    /// `root` and `include_drafts` are used; the base URL becomes the
    /// server's address and the reload script is always on.
    pub(crate) options: Options,
    pub(crate) bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub(crate) port: u16,
    /// Print how long each step of a rebuild took.
    pub(crate) timings: bool,
}

/// Runs until Ctrl-C. Exit codes: 0 after a clean stop, 2 when the address
/// cannot be bound or the files cannot be watched.
pub(crate) fn run(config: Config) -> i32 {
    let addr = SocketAddr::new(config.bind, config.port);
    let server = match server::Server::bind(addr) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::error(None, format!("cannot listen on {addr}: {e}"))
                .with_help("another program may be using the port; try --port with another number");
            eprint!("{}", d.render());
            return 2;
        }
    };
    let port = server.local_addr().map(|a| a.port()).unwrap_or(config.port);
    let shown = if config.bind.is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), port)
    } else {
        SocketAddr::new(config.bind, port)
    };
    let url = format!("http://{shown}/");
    if !config.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the preview readable by any machine that can reach this one{}; the preview server is meant for your own machine",
            config.bind,
            if config.options.include_drafts {
                ", drafts included"
            } else {
                ""
            }
        );
    }

    let timings = config.timings;
    let mut options = config.options;
    options.base_url = Some(url.clone());
    options.live_reload = true;
    let root = options.root.clone();
    let store = Arc::new(Store::default());
    let hub = Arc::new(Hub::default());

    let started = Instant::now();
    let mut engine = Engine::new(options, store.clone());
    let outcome = engine.build(|_| {});
    report(&outcome, &hub, started, config.timings);

    let mut watch = match watcher::Watch::start(&root) {
        Ok(w) => w,
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}",
                root.join("content").display()
            );
            return 2;
        }
    };

    match server.stopper() {
        Ok(stopper) => {
            let hub = hub.clone();
            if let Err(e) = ctrlc::set_handler(move || {
                hub.close();
                stopper.stop();
            }) {
                eprintln!("warning: cannot catch Ctrl-C: {e}");
            }
        }
        Err(e) => eprintln!("warning: cannot catch Ctrl-C: {e}"),
    }

    println!("Serving at {url} (Ctrl-C to stop)");
    let _ = std::io::stdout().flush();

    {
        let hub = hub.clone();
        std::thread::spawn(move || {
            loop {
                // No change for a while: still check that content/ and
                // themes/ are the folders being watched.
                let mut batch = match watch.changes.recv_timeout(watcher::CHECK) {
                    Ok(batch) => batch,
                    Err(RecvTimeoutError::Timeout) => Vec::new(),
                    Err(RecvTimeoutError::Disconnected) => break,
                };
                // Whatever else arrived meanwhile joins this rebuild.
                while let Ok(more) = watch.changes.try_recv() {
                    batch.extend(more);
                }
                // A folder replaced, moved away or back: watched again,
                // and read again in full.
                let again = watch.rearm(&batch);
                batch.extend(again);
                if batch.is_empty() {
                    continue;
                }
                let started = Instant::now();
                let outcome = engine.rebuild(&batch, |pages| {
                    hub.fixed();
                    hub.reload(pages.generation, &pages.changed);
                });
                report(&outcome, &hub, started, timings);
            }
        });
    }

    server.run(&store, &hub);
    hub.close();
    println!("Stopped.");
    0
}

/// Tells the terminal (and, for errors, the browser) how a build went.
fn report(outcome: &Outcome, hub: &Hub, started: Instant, timings: bool) {
    match outcome {
        Outcome::Unchanged => {}
        Outcome::Built {
            pages,
            data,
            warnings,
        } => {
            print_diagnostics(warnings);
            hub.fixed();
            println!(
                "{} in {} ms: {} page{} rendered, {} file{} changed{}; search and data files {} ms later, {} changed.",
                if pages.full { "Built" } else { "Rebuilt" },
                pages.elapsed.as_millis(),
                pages.rendered,
                if pages.rendered == 1 { "" } else { "s" },
                pages.changed.len(),
                if pages.changed.len() == 1 { "" } else { "s" },
                match pages.changed.as_slice() {
                    [one] => format!(" ({one})"),
                    _ => String::new(),
                },
                data.elapsed.as_millis(),
                data.changed.len(),
            );
            if timings {
                let line = |phases: &[(&str, std::time::Duration)]| {
                    phases
                        .iter()
                        .map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                println!("  pages (ms): {}", line(&pages.phases));
                println!("  data (ms): {}", line(&data.phases));
            }
        }
        Outcome::Failed(diagnostics) => {
            print_diagnostics(diagnostics);
            eprintln!(
                "The site does not build ({} ms); the last good pages are still served.",
                started.elapsed().as_millis()
            );
            hub.failed(diagnostics);
        }
    }
    let _ = std::io::stdout().flush();
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let mut all = crate::diagnostics::Diagnostics::default();
    all.extend(diagnostics.iter().cloned());
    eprint!("{}", crate::pipeline::report(all));
}
