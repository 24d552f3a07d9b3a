//! Watching the site's files: `content/` (with `site.yaml`) and `themes/`,
//! through notify-debouncer-full, which joins the several events an editor
//! makes when it saves (write to a temporary file, rename over the old one)
//! into one change per path.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

/// How long a path must be quiet before its change is reported. Saves
/// (a write, or a temporary file renamed over the original) finish within a
/// millisecond or two; at 25 ms quiet with a 5 ms tick the wait was about a
/// third of the save-to-reload time at 10,000 records (101 ms median, now
/// 71 ms with 10 ms and a 2 ms tick).
pub const QUIET: Duration = Duration::from_millis(10);

pub type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// A batch of changed paths.
pub type Changes = Vec<PathBuf>;

/// Starts watching; batches of changed paths arrive on the receiver. The
/// watch lasts as long as the returned debouncer.
pub fn watch(root: &Path) -> notify::Result<(Debouncer, Receiver<Changes>)> {
    let (tx, rx) = channel::<Changes>();
    let content = root.join("content");
    let themes = root.join("themes");
    let handler = {
        let content = content.clone();
        move |result: DebounceEventResult| forward(result, &content, &tx)
    };
    let mut debouncer = new_debouncer(QUIET, Some(Duration::from_millis(2)), handler)
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    debouncer.watch(&content, RecursiveMode::Recursive)?;
    if themes.is_dir() {
        debouncer.watch(&themes, RecursiveMode::Recursive)?;
    }
    // The root itself, for a themes/ folder made while serving.
    debouncer.watch(root, RecursiveMode::NonRecursive)?;
    Ok((debouncer, rx))
}

fn forward(result: DebounceEventResult, content: &Path, tx: &Sender<Changes>) {
    let mut paths: Changes = Vec::new();
    match result {
        Ok(events) => {
            for e in events {
                if e.need_rescan() {
                    paths.push(content.to_path_buf());
                }
                // Access events (opening, reading) change nothing.
                if e.kind.is_access() {
                    continue;
                }
                paths.extend(e.paths.iter().cloned());
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching files: {e}");
            }
            // Something was missed: look at everything again.
            paths.push(content.to_path_buf());
        }
    }
    paths.sort();
    paths.dedup();
    if !paths.is_empty() {
        let _ = tx.send(paths);
    }
}
