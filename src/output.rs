//! Stage 5: writing. A build writes into a fresh folder beside the output
//! and swaps it in only when everything succeeded, so a failed build leaves
//! the previous `public/` exactly as it was.

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
    let result = write_tree(&staging, files);
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

/// Writes files under `dir`, creating folders as needed.
pub fn write_tree(dir: &Path, files: &[OutputFile]) -> io::Result<()> {
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
        if f.path.split('/').any(|part| part == "..") || f.path.starts_with('/') {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {}", f.path),
            ));
        }
        std::fs::write(dir.join(&f.path), &f.bytes)
    })
}
