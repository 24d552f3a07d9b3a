//! Stage 5: writing. A build writes into a fresh folder beside the output
//! and swaps it in only when everything succeeded, so a failed build leaves
//! the previous `public/` exactly as it was. A file that is byte-identical
//! to the one already published is hard-linked from it rather than written:
//! on a large site most files are unchanged between builds, and a link costs
//! the filesystem no new inode or data, and freeing the old folder less.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::OutputFile;

/// Writes `files` to `out` atomically (as far as the filesystem allows: two
/// renames). Paths are checked to stay inside `out`.
pub fn write_atomic(out: &Path, files: &[OutputFile]) -> io::Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(&staging)?;
    let previous = out.is_dir().then_some(out);
    let result = write_tree(&staging, files, previous);
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        // Put the old site back rather than leave nothing.
        if old.exists() {
            let _ = std::fs::rename(&old, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Writes files under `dir`, creating folders as needed; a file identical to
/// its namesake under `previous` is linked to it instead.
pub fn write_tree(dir: &Path, files: &[OutputFile], previous: Option<&Path>) -> io::Result<()> {
    // Checked before any folder is made, so a bad path creates nothing.
    if let Some(f) = files
        .iter()
        .find(|f| f.path.split('/').any(|part| part == "..") || f.path.starts_with('/'))
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output: {}", f.path),
        ));
    }
    // Folders first, one by one: making them from the writing threads was
    // measured slower (ext4 serialises creation in one parent folder).
    let mut folders: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    folders.sort();
    folders.dedup();
    for f in &folders {
        std::fs::create_dir_all(f)?;
    }
    files.par_iter().try_for_each(|f| {
        let target = dir.join(&f.path);
        if let Some(previous) = previous {
            let old = previous.join(&f.path);
            if unchanged(&old, &f.bytes) && std::fs::hard_link(&old, &target).is_ok() {
                return Ok(());
            }
        }
        std::fs::write(target, &f.bytes)
    })
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
        std::fs::create_dir(&out).unwrap();
        let files = [file("a/index.html", "a"), file("../escaped/x.html", "x")];
        assert!(write_tree(&out, &files, None).is_err());
        assert!(!tmp.path().join("escaped").exists());
        assert!(!out.join("a").exists());
    }

    #[test]
    fn unchanged_files_are_linked_and_changed_ones_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_atomic(
            &out,
            &[file("a/index.html", "same"), file("b.html", "old!")],
        )
        .unwrap();
        write_atomic(
            &out,
            &[file("a/index.html", "same"), file("b.html", "new!")],
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "same"
        );
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "new!");
        // Only the published folder is left beside it.
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }
}
