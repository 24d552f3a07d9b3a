//! Watching the site's files: `content/` (with `site.yaml`) and `themes/`,
//! through notify-debouncer-full, which joins the several events an editor
//! makes when it saves (write to a temporary file, rename over the old one)
//! into one change per path.
//!
//! Only inputs count: a log file written into the site folder, the build
//! output, `.git`, `target`, `_` and `.` folders and an editor's swap,
//! lock and backup files are dropped here, so they never start a rebuild.
//! The site root is watched too, and `content/` or `themes/` replaced
//! under it (moved away and back, or a new folder renamed into place, as
//! git checkout and rsync do) is watched again: [`Watch::rearm`] notices
//! from the root's events, and from a check of the folders' identity every
//! [`CHECK`], in case an event was missed.

use std::path::{Component, Path, PathBuf};
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

/// How often the watched folders are checked for having been replaced.
pub const CHECK: Duration = Duration::from_secs(1);

pub type Debouncer = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// A batch of changed paths.
pub type Changes = Vec<PathBuf>;

/// The folders a site's inputs live in.
const WATCHED: [&str; 2] = ["content", "themes"];

/// The watch on one site; changes arrive on [`Watch::changes`].
pub struct Watch {
    debouncer: Debouncer,
    root: PathBuf,
    /// For each of [`WATCHED`]: the folder's identity when it was last
    /// watched (None: absent, or not watched).
    armed: [Option<Identity>; 2],
    pub changes: Receiver<Changes>,
}

impl Watch {
    /// Starts watching `root/content`, `root/themes` (when there is one)
    /// and the root itself.
    pub fn start(root: &Path) -> notify::Result<Watch> {
        let (tx, rx) = channel::<Changes>();
        let handler = {
            let root = root.to_path_buf();
            let real = std::fs::canonicalize(root.as_path()).unwrap_or_else(|_| root.clone());
            move |result: DebounceEventResult| forward(result, &root, &real, &tx)
        };
        let debouncer = new_debouncer(QUIET, Some(Duration::from_millis(2)), handler)
            .map_err(|e| notify::Error::generic(&e.to_string()))?;
        let mut watch = Watch {
            debouncer,
            root: root.to_path_buf(),
            armed: [None, None],
            changes: rx,
        };
        // content/ must be there at the start; themes/ may come later.
        watch
            .debouncer
            .watch(root.join("content"), RecursiveMode::Recursive)?;
        watch.armed[0] = identity(&root.join("content"));
        watch.rearm(&[]);
        // The root itself, for content/ and themes/ made, moved or
        // replaced while serving.
        watch.debouncer.watch(root, RecursiveMode::NonRecursive)?;
        Ok(watch)
    }

    /// Watches `content/` and `themes/` again where they were replaced (or
    /// appeared, or went) since they were last watched, or where `batch`
    /// names the folder itself. Returns the folders to read again.
    pub fn rearm(&mut self, batch: &[PathBuf]) -> Vec<PathBuf> {
        let mut again = Vec::new();
        for (i, name) in WATCHED.iter().enumerate() {
            let folder = self.root.join(name);
            let now = identity(&folder);
            let named = batch.iter().any(|p| is_folder_itself(p, &self.root, name));
            if now == self.armed[i] && !named {
                continue;
            }
            // The old watch may follow the folder to where it was moved,
            // or be gone with it; either way it is dropped.
            let _ = self.debouncer.unwatch(&folder);
            self.armed[i] = None;
            if now.is_some() {
                match self.debouncer.watch(&folder, RecursiveMode::Recursive) {
                    Ok(()) => self.armed[i] = now,
                    Err(e) => eprintln!("warning: cannot watch {}: {e}", folder.display()),
                }
            } else if *name == "content" {
                eprintln!(
                    "warning: {} was moved or deleted; the preview follows it when it is back",
                    folder.display()
                );
            }
            again.push(folder);
        }
        again
    }
}

/// What tells one folder from another put in its place.
#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = ();

#[cfg(unix)]
fn identity(folder: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(folder).ok()?;
    m.is_dir().then(|| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(folder: &Path) -> Option<Identity> {
    folder.is_dir().then_some(())
}

/// Whether `path` is `root/name` itself (under the root as given or its
/// real path).
fn is_folder_itself(path: &Path, root: &Path, name: &str) -> bool {
    let real = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    [root, real.as_path()]
        .iter()
        .any(|r| path.strip_prefix(r).is_ok_and(|rel| rel == Path::new(name)))
}

/// Whether a change at `path` can change the site: it is `content/` or
/// `themes/` under `root` (as given, or its real path `real`), or a file in
/// them that is not hidden, not in a `_` folder of `content/`, and not an
/// editor's temporary file.
pub fn is_input(path: &Path, root: &Path, real: &Path) -> bool {
    let Some(rel) = path
        .strip_prefix(root)
        .ok()
        .or_else(|| path.strip_prefix(real).ok())
    else {
        return false;
    };
    let names: Vec<String> = rel
        .components()
        .map(|c| match c {
            Component::Normal(n) => n.to_string_lossy().into_owned(),
            _ => String::from(".."),
        })
        .collect();
    let Some((top, rest)) = names.split_first() else {
        return false;
    };
    if !WATCHED.contains(&top.as_str()) {
        return false;
    }
    let content = top == "content";
    for name in rest {
        if name.starts_with('.') || (content && name.starts_with('_')) {
            return false;
        }
    }
    rest.last().is_none_or(|name| !is_editor_temporary(name))
}

/// Files editors write beside the one being edited: backups (`about.md~`),
/// Emacs autosaves (`#about.md#`), Vim's write check (`4913`, a name of
/// digits only), JetBrains' safe-write files. Swap and lock files start
/// with `.` and are dropped as hidden.
fn is_editor_temporary(name: &str) -> bool {
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
}

fn forward(result: DebounceEventResult, root: &Path, real: &Path, tx: &Sender<Changes>) {
    let mut paths: Changes = Vec::new();
    let content = root.join("content");
    match result {
        Ok(events) => {
            for e in events {
                if e.need_rescan() {
                    paths.push(content.clone());
                }
                // Access events (opening, reading) change nothing.
                if e.kind.is_access() {
                    continue;
                }
                paths.extend(e.paths.iter().filter(|p| is_input(p, root, real)).cloned());
            }
        }
        Err(errors) => {
            for e in errors {
                eprintln!("warning: watching files: {e}");
            }
            // Something was missed: look at everything again.
            paths.push(content);
        }
    }
    paths.sort();
    paths.dedup();
    if !paths.is_empty() {
        let _ = tx.send(paths);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_count() {
        let root = Path::new("/site");
        let real = Path::new("/real/site");
        let input = |p: &str| is_input(Path::new(p), root, real);
        for yes in [
            "/site/content",
            "/site/themes",
            "/site/content/site.yaml",
            "/site/content/decisions/001-2025.md",
            "/real/site/content/pages/about.md",
            "/site/themes/default/templates/base.html",
            "/site/themes/default/templates/_macros.html",
            "/site/content/metrics/series/crime-2025.csv",
        ] {
            assert!(input(yes), "{yes}");
        }
        for no in [
            "/site",
            "/site/serve.log",
            "/site/public/index.html",
            "/site/target/debug/plansite",
            "/site/.git/index",
            "/site/_drafts/x.md",
            "/site/content.away/site.yaml",
            "/site/content/_private/secret.pdf",
            "/site/content/.git/index",
            "/site/content/decisions/.001-2025.md.swp",
            "/site/content/decisions/001-2025.md~",
            "/site/content/decisions/4913",
            "/site/content/pages/#about.md#",
            "/site/content/pages/.#about.md",
            "/site/content/pages/about.md___jb_tmp___",
            "/site/themes/default/.DS_Store",
            "/elsewhere/content/x.md",
        ] {
            assert!(!input(no), "{no}");
        }
    }
}
