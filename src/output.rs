//! Stage 5: writing. A build writes into a fresh folder beside the output
//! and swaps it in only when everything succeeded, so a failed build leaves
//! the previous output exactly as it was. A file that is byte-identical
//! to the one already published is hard-linked from it rather than written:
//! on a large site most files are unchanged between builds, and a link costs
//! the filesystem no new inode or data, and freeing the old folder less.
//!
//! What may be replaced is decided before the build starts ([`target`]):
//! only a folder plansite wrote (it holds [`MARKER`]), an empty or missing
//! one, or an output of an earlier plansite that had no marker. Never the
//! site's root, `content/`, `themes/`, anything inside the sources or
//! holding them, a file, or a folder of someone else's.

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

/// One output file: what every stage that makes files (pages, search,
/// exports, assets) hands to the write.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The file every output holds, saying plansite wrote the folder and may
/// replace it. It is not a page: no sitemap, export or index lists it.
pub(crate) const MARKER: &str = ".plansite-output";

const MARKER_TEXT: &str = "This folder was written by `plansite build`, which replaces it as a whole\n\
on every build. Keep nothing of your own in it.\n";

/// A checked output folder: the place a build may replace.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    /// Absolute, with symbolic links and `..` resolved.
    path: PathBuf,
    /// As the user gave it, for messages.
    shown: String,
}

/// How the new output was put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Swap {
    /// There was no output: one rename.
    Renamed,
    /// The new and the old folder were exchanged in one step, so readers
    /// always found one of them.
    Exchanged,
    /// The file system cannot exchange folders: the old one was renamed
    /// aside, then the new one in, with a moment between.
    TwoRenames,
}

/// What writing did besides the files.
#[derive(Debug)]
pub(crate) struct Written {
    pub(crate) swap: Swap,
    /// Leftovers with a build's name that are not plansite's, or could not
    /// be removed.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// What is at the output's place now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Absent,
    Empty,
    /// Holds the marker.
    Ours,
    /// No marker, but the output of an earlier plansite (see [`legacy`]).
    Legacy,
    /// A folder with something in it plansite did not write.
    Foreign,
    /// A file, or anything else that is not a folder.
    NotAFolder,
}

/// Checks that `output` may be replaced by a build of the site at `root`,
/// before anything is built, moved or made. Every refusal names the folder
/// and says what to do instead.
pub(crate) fn target(output: &Path, root: &Path) -> Result<Target, Diagnostic> {
    let shown = output.display().to_string();
    let cannot_read = |e: io::Error| {
        Diagnostic::error(None, format!("cannot use `{shown}` as the output: {e}"))
            .with_help("give --output a folder that exists or can be made")
    };
    let path = resolve(output).map_err(cannot_read)?;
    let root = resolve(root).map_err(cannot_read)?;
    let named = if Path::new(&shown) == path {
        format!("`{shown}`")
    } else {
        format!("`{shown}` (that is, `{}`)", path.display())
    };
    let sources_help = "choose a folder of its own for --output: `public/` in the site's folder \
        (the default), or any empty or new folder; nothing was moved or written";
    let refuse = |why: String| {
        Diagnostic::error(None, format!("refusing to build into {named}: {why}"))
            .with_help(sources_help)
    };
    let content = resolve(&root.join("content")).map_err(cannot_read)?;
    let themes = resolve(&root.join("themes")).map_err(cannot_read)?;
    if path == root {
        return Err(refuse(
            "it is the site's own folder, and replacing it would delete the sources".into(),
        ));
    }
    for (folder, what) in [(&content, "content"), (&themes, "themes")] {
        if path == *folder {
            return Err(refuse(format!(
                "it is the site's `{what}/` folder, and replacing it would delete the sources"
            )));
        }
        if path.starts_with(folder) {
            return Err(refuse(format!(
                "it is inside the site's `{what}/` folder, among the sources"
            )));
        }
    }
    if [&root, &content, &themes]
        .iter()
        .any(|p| p.starts_with(&path))
    {
        return Err(refuse(format!(
            "it holds the site's folder `{}`, and replacing it would delete the sources",
            root.display()
        )));
    }
    match state(&path).map_err(cannot_read)? {
        State::Absent => {
            if let Some(file) = path.ancestors().skip(1).find(|a| a.exists())
                && !file.is_dir()
            {
                return Err(Diagnostic::error(
                    None,
                    format!(
                        "refusing to build into {named}: `{}` is a file, not a folder",
                        file.display()
                    ),
                )
                .with_help("give --output a folder that exists or can be made"));
            }
        }
        State::Empty | State::Ours | State::Legacy => {}
        State::NotAFolder => {
            return Err(Diagnostic::error(
                None,
                format!("refusing to build into {named}: it is a file, not a folder"),
            )
            .with_help("give --output a folder: an empty or new one, or an earlier output"));
        }
        State::Foreign => {
            return Err(Diagnostic::error(
                None,
                format!(
                    "refusing to build into {named}: it is not empty and plansite did not \
                     write it (it has no `{MARKER}` file), so replacing it could lose files"
                ),
            )
            .with_help(
                "choose an empty or new folder for --output, or delete it yourself if nothing \
                 in it is needed; nothing was moved or written",
            ));
        }
    }
    Ok(Target { path, shown })
}

/// `path` made absolute with every symbolic link and `..` resolved, as far
/// as it exists; the rest is taken as written. A `..` after a link goes to
/// the link target's parent, as the operating system would.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut resolved = PathBuf::new();
    // Whether `resolved` exists (and so is already canonical).
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                let next = resolved.join(name);
                if exists && std::fs::symlink_metadata(&next).is_ok() {
                    resolved = std::fs::canonicalize(&next).map_err(|e| {
                        io::Error::new(e.kind(), format!("{}: {e}", next.display()))
                    })?;
                } else {
                    exists = false;
                    resolved = next;
                }
            }
        }
    }
    Ok(resolved)
}

fn state(path: &Path) -> io::Result<State> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(State::Absent);
        }
        Err(e) => return Err(e),
    };
    if !meta.is_dir() {
        return Ok(State::NotAFolder);
    }
    if std::fs::read_dir(path)?.next().is_none() {
        return Ok(State::Empty);
    }
    if std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(State::Ours);
    }
    if legacy(path) {
        return Ok(State::Legacy);
    }
    Ok(State::Foreign)
}

/// An output of a plansite from before the marker: a home page, and the
/// records feed every version since the open data exports wrote, naming
/// plansite as its generator. Other folders are never taken for one.
fn legacy(path: &Path) -> bool {
    use std::io::Read as _;
    if !std::fs::symlink_metadata(path.join("index.html")).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    std::fs::File::open(path.join("records.xml"))
        .and_then(|f| f.take(16 * 1024).read_to_end(&mut head))
        .is_ok_and(|_| String::from_utf8_lossy(&head).contains("<generator>plansite</generator>"))
}

/// Where a build hands its files as it makes them: pages batch by batch,
/// then the search index, the exports and the assets. A build streams them
/// to a [`Staging`] folder on disk, so no page waits in memory for the
/// others; `check` and the tests collect them ([`Collect`]).
pub(crate) trait Sink: Sync {
    fn put(&self, files: Vec<OutputFile>);
}

/// Keeps every file in memory, for callers that want the files themselves.
#[derive(Default)]
pub(crate) struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, in path order.
    pub(crate) fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, files: Vec<OutputFile>) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(files);
    }
}

/// Drops every file: for `check`, which makes everything a build makes but
/// writes nothing.
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: Vec<OutputFile>) {}
}

/// A new output being written beside the published one (`.NAME.new-PID`),
/// swapped in by [`Staging::finish`]. Dropped unfinished (a failed build),
/// it is removed and the published output is left as it was.
pub(crate) struct Staging<'t> {
    target: &'t Target,
    dir: PathBuf,
    /// The published output when plansite wrote it: unchanged files are
    /// linked from there.
    previous: Option<PathBuf>,
    warnings: Vec<Diagnostic>,
    /// Folders made so far, so each is made once.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// The first write error: the build goes on (its errors are still
    /// worth reporting) but the output is not swapped in.
    failed: std::sync::Mutex<Option<io::Error>>,
    files: std::sync::atomic::AtomicUsize,
    finished: bool,
}

impl Target {
    /// Writes `files` into a new folder beside the output and swaps it in.
    #[cfg(test)]
    pub(crate) fn write(&self, files: &[OutputFile]) -> io::Result<Written> {
        let staging = self.begin()?;
        staging.write(files)?;
        staging.finish()
    }

    /// Makes the folder a new output is written into, after removing what
    /// killed builds of this output left behind.
    pub(crate) fn begin(&self) -> io::Result<Staging<'_>> {
        let parent = self.path.parent().unwrap_or(Path::new("/"));
        std::fs::create_dir_all(parent)?;
        let name = self.name();
        let warnings = clean_debris(parent, &name);
        let dir = parent.join(format!(".{name}.new-{}", std::process::id()));
        remove_own(&dir)?;
        std::fs::create_dir(&dir)?;
        let mut staging = Staging {
            target: self,
            dir,
            previous: None,
            warnings,
            folders: Default::default(),
            failed: Default::default(),
            files: Default::default(),
            finished: false,
        };
        std::fs::write(staging.dir.join(MARKER), MARKER_TEXT)?;
        let previous = matches!(state(&self.path)?, State::Ours | State::Legacy);
        staging.previous = previous.then(|| self.path.clone());
        Ok(staging)
    }

    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    }

    /// Puts `staging` at the output's place. On success `staging` no longer
    /// exists.
    fn swap(&self, staging: &Path, parent: &Path, name: &str) -> io::Result<Swap> {
        // Checked again: the folder may have changed during the build.
        match state(&self.path)? {
            State::Absent => {
                std::fs::rename(staging, &self.path)?;
                return Ok(Swap::Renamed);
            }
            State::Empty | State::Ours | State::Legacy => {}
            State::Foreign | State::NotAFolder => {
                return Err(io::Error::other(format!(
                    "{} was replaced by something plansite did not write while the site was built; left as it is",
                    self.shown
                )));
            }
        }
        if exchange(staging, &self.path)? {
            // `staging` now holds the old site.
            remove_output(staging)?;
            return Ok(Swap::Exchanged);
        }
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        remove_own(&old)?;
        std::fs::rename(&self.path, &old)?;
        if let Err(e) = std::fs::rename(staging, &self.path) {
            // Put the old site back rather than leave nothing.
            let _ = std::fs::rename(&old, &self.path);
            return Err(e);
        }
        remove_output(&old)?;
        Ok(Swap::TwoRenames)
    }
}

impl Staging<'_> {
    /// Writes `files` (paths checked to stay inside the output), making
    /// their folders first; a file identical to its namesake in the
    /// published output is linked to it instead.
    pub(crate) fn write(&self, files: &[OutputFile]) -> io::Result<()> {
        check_paths(files)?;
        // Folders first, one by one: making them from the writing threads was
        // measured slower (ext4 serialises creation in one parent folder).
        let mut folders: Vec<PathBuf> = files
            .iter()
            .filter_map(|f| Path::new(&f.path).parent().map(|p| self.dir.join(p)))
            .collect();
        folders.sort();
        folders.dedup();
        {
            let mut made = self.folders.lock().unwrap_or_else(|e| e.into_inner());
            for f in folders {
                if !made.contains(&f) {
                    std::fs::create_dir_all(&f)?;
                    made.insert(f);
                }
            }
        }
        files.par_iter().try_for_each(|f| {
            let target = self.dir.join(&f.path);
            if let Some(previous) = &self.previous {
                let old = previous.join(&f.path);
                if unchanged(&old, &f.bytes) && std::fs::hard_link(&old, &target).is_ok() {
                    return Ok(());
                }
            }
            write_new(&target, &f.bytes)
        })?;
        self.files
            .fetch_add(files.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// How many files were written.
    pub(crate) fn count(&self) -> usize {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Swaps the new output in, unless a write failed.
    pub(crate) fn finish(mut self) -> io::Result<Written> {
        self.finished = true;
        let failed = self
            .failed
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let parent = self.target.path.parent().unwrap_or(Path::new("/"));
        let swapped = match failed {
            Some(e) => Err(e),
            None => self.target.swap(&self.dir, parent, &self.target.name()),
        };
        match swapped {
            Ok(swap) => Ok(Written {
                swap,
                warnings: std::mem::take(&mut self.warnings),
            }),
            Err(e) => {
                let _ = remove_output(&self.dir);
                Err(e)
            }
        }
    }
}

impl Sink for Staging<'_> {
    fn put(&self, files: Vec<OutputFile>) {
        if self
            .failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
        {
            return;
        }
        if let Err(e) = self.write(&files) {
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(e);
        }
    }
}

impl Drop for Staging<'_> {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_output(&self.dir);
        }
    }
}

/// Exchanges two folders in one step where the platform can; `false` when
/// it cannot (then nothing happened).
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
))]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e) => {
            let e = io::Error::from(e);
            // Not supported by the kernel or the file system.
            if matches!(
                e.kind(),
                io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
            ) {
                Ok(false)
            } else {
                Err(e)
            }
        }
    }
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios"
)))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Removes a leftover with this build's own name (from an earlier process
/// that had the same id), if it is plansite's.
fn remove_own(path: &Path) -> io::Result<()> {
    match state(path)? {
        State::Absent => Ok(()),
        State::Empty | State::Ours | State::Legacy => remove_output(path),
        State::Foreign | State::NotAFolder => Err(io::Error::other(format!(
            "{} is in the way and is not plansite's; move it away",
            path.display()
        ))),
    }
}

/// Removes a folder plansite wrote, the marker last, so that a build killed
/// while removing it leaves a folder the next build still knows as its own.
/// An earlier plansite's output is given the marker first, for the same
/// reason. Entries already gone (another build removing it too) are fine.
fn remove_output(path: &Path) -> io::Result<()> {
    let gone = |r: io::Result<()>| match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    };
    let marker = path.join(MARKER);
    if !marker.is_file() && std::fs::read_dir(path)?.next().is_some() {
        std::fs::write(&marker, MARKER_TEXT)?;
    }
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let is_dir = entry.file_type()?.is_dir();
        gone(if is_dir {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        })?;
    }
    gone(std::fs::remove_file(&marker))?;
    gone(std::fs::remove_dir(path))
}

/// The process id in a staging or clean-up folder's name for the output
/// called `name`: `.NAME.new-PID` or `.NAME.old-PID`.
fn debris_pid(entry: &str, name: &str) -> Option<u32> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?;
    let digits = rest
        .strip_prefix(".new-")
        .or_else(|| rest.strip_prefix(".old-"))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Whether a process with this id is running (and so may be a build still
/// writing its folder). A process of another user counts as running.
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

/// Without a way to ask, every build is taken to be running: nothing is
/// removed.
#[cfg(not(unix))]
fn running(_: u32) -> bool {
    true
}

/// Removes the staging and clean-up folders of this output left by builds
/// that are no longer running (killed, or the machine stopped). A folder
/// with such a name is removed only when it is plansite's: it holds the
/// marker, is empty, or is an earlier plansite's output; any other is named
/// in a warning and left.
fn clean_debris(parent: &Path, name: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return warnings;
    };
    let own = std::process::id();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| debris_pid(n, name)) else {
            continue;
        };
        if pid == own || running(pid) {
            continue;
        }
        let path = entry.path();
        match state(&path) {
            Ok(State::Empty | State::Ours | State::Legacy) => {
                if let Err(e) = remove_output(&path)
                    && path.exists()
                {
                    warnings.push(
                        Diagnostic::warning(
                            None,
                            format!(
                                "cannot remove `{}`, left by an interrupted build: {e}",
                                path.display()
                            ),
                        )
                        .with_help("delete it yourself"),
                    );
                }
            }
            Ok(State::Foreign) => warnings.push(
                Diagnostic::warning(
                    None,
                    format!(
                        "`{}` is named like an interrupted build's folder but has no `{MARKER}` \
                         (someone else's, or half-written by an earlier plansite), so it was left",
                        path.display()
                    ),
                )
                .with_help("delete it yourself if nothing in it is needed"),
            ),
            _ => {}
        }
    }
    warnings
}

/// Refuses, before any folder is made, a path that would leave the output
/// or take the marker's place.
fn check_paths(files: &[OutputFile]) -> io::Result<()> {
    if let Some(f) = files
        .iter()
        .find(|f| f.path.split('/').any(|part| part == "..") || f.path.starts_with('/'))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output: {}", f.path),
        ));
    }
    if files.iter().any(|f| f.path == MARKER) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{MARKER} is plansite's own file in the output, not a page"),
        ));
    }
    Ok(())
}

/// Writes `bytes` to a new file at `path`. Whatever is already there (the
/// same path handed over twice) is removed first, never written into: it
/// may be a hard link to a published file.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            create()?
        }
        r => r?,
    };
    file.write_all(bytes)
}

/// Whether `path` is a plain file holding exactly `bytes`. Lengths are
/// compared first, so most changed files are not read.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_path_outside_the_output_is_refused_before_anything_is_made() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let target = target(&out, &tmp.path().join("site")).unwrap();
        let staging = target.begin().unwrap();
        let files = [file("a/index.html", "a"), file("../escaped/x.html", "x")];
        assert!(staging.write(&files).is_err());
        assert!(!tmp.path().join("escaped").exists());
        assert!(!staging.dir.join("a").exists());
    }

    #[test]
    fn a_build_that_stops_before_finishing_leaves_the_published_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[file("a/index.html", "published")]);
        let target = target(&out, &tmp.path().join("site")).unwrap();
        let staging = target.begin().unwrap();
        staging.put(vec![file("a/index.html", "half a build")]);
        let dir = staging.dir.clone();
        assert!(dir.join("a/index.html").is_file());
        drop(staging);
        assert!(!dir.exists(), "the unfinished output is removed");
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "published"
        );
    }

    #[test]
    fn a_path_handed_over_twice_never_writes_into_the_published_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[file("a/index.html", "published")]);
        let target = target(&out, &tmp.path().join("site")).unwrap();
        let staging = target.begin().unwrap();
        // The first is linked to the published file, the second replaces
        // the link.
        staging.put(vec![file("a/index.html", "published")]);
        staging.put(vec![file("a/index.html", "changed")]);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "published"
        );
        assert_eq!(
            std::fs::read_to_string(staging.dir.join("a/index.html")).unwrap(),
            "changed"
        );
    }

    #[test]
    fn a_failed_write_keeps_the_published_output_and_is_reported_at_the_end() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(&out, &[file("a/index.html", "published")]);
        let target = target(&out, &tmp.path().join("site")).unwrap();
        let staging = target.begin().unwrap();
        staging.put(vec![file("b/index.html", "new")]);
        staging.put(vec![file("../escaped.html", "x")]);
        staging.put(vec![file("c/index.html", "after the failure")]);
        assert!(staging.finish().is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "published"
        );
        assert!(!out.join("b").exists());
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the published output is left");
    }

    /// Writes `files` to `out` for a site whose folder is elsewhere.
    fn write_atomic(out: &Path, files: &[OutputFile]) -> Written {
        let site = out.parent().unwrap().join("site");
        target(out, &site).unwrap().write(files).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = write_atomic(
            &out,
            &[file("a/index.html", "same"), file("b.html", "old!")],
        );
        assert_eq!(first.swap, Swap::Renamed);
        let inode = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let second = write_atomic(
            &out,
            &[file("a/index.html", "same"), file("b.html", "new!")],
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "same"
        );
        assert_eq!(
            std::fs::metadata(out.join("a/index.html")).unwrap().ino(),
            inode,
            "linked, not written"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "new!");
        assert!(out.join(MARKER).is_file());
        // On Linux the folders are exchanged in one step (tmpfs, ext4, btrfs
        // and xfs all can).
        if cfg!(target_os = "linux") {
            assert_eq!(second.swap, Swap::Exchanged);
        }
        // Only the published folder is left beside it.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn the_file_system_root_and_any_folder_holding_the_site_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("home/me/sites/plan");
        std::fs::create_dir_all(site.join("content")).unwrap();
        for out in [Path::new("/"), &tmp.path().join("home"), tmp.path()] {
            let e = target(out, &site).unwrap_err();
            assert!(
                e.message.contains("holds the site's folder"),
                "{}",
                e.message
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_dot_dot_after_a_link_goes_to_the_link_targets_parent() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("a/b");
        std::fs::create_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
        let canonical = std::fs::canonicalize(tmp.path()).unwrap();
        assert_eq!(
            resolve(&tmp.path().join("link/../new/x")).unwrap(),
            canonical.join("a/new/x")
        );
    }

    #[test]
    fn debris_names_carry_the_output_name_and_a_process_id() {
        assert_eq!(debris_pid(".public.new-123", "public"), Some(123));
        assert_eq!(debris_pid(".public.old-7", "public"), Some(7));
        assert_eq!(debris_pid(".public.new-", "public"), None);
        assert_eq!(debris_pid(".public.new-1x", "public"), None);
        assert_eq!(debris_pid(".public2.new-1", "public"), None);
        assert_eq!(debris_pid("public.new-1", "public"), None);
    }

    #[test]
    fn the_marker_cannot_be_written_as_a_page() {
        let tmp = tempfile::tempdir().unwrap();
        let target = target(&tmp.path().join("out"), &tmp.path().join("site")).unwrap();
        let staging = target.begin().unwrap();
        assert!(staging.write(&[file(MARKER, "x")]).is_err());
    }
}
