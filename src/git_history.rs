//! `plansite check --git-history`: records changed in git after the newest
//! change their content states. A record that is corrected or varied
//! should say so (`changes:`); this finds the edits that did not.
//!
//! Off by default, so a check depends on the content alone. It reads the
//! history once (`git log --name-only` over the site's folder), takes each
//! commit's committer date (the day the change reached the branch the site
//! is built from) and compares it, for each content file that holds
//! records, with the newest date the file's records state: a `changes:`
//! entry, `updated:`, `withdrawn:`, or a commitment's progress update. A
//! commit on the day the file was first committed is its publication, not
//! a change. Renames start a file's history again (no `--follow`); changes
//! not yet committed are not seen.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostics::{Diagnostic, Span};
use crate::records::{Meta, Records};
use crate::types::{Date, Kind};

/// One commit that touched a file: its short hash and committer date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub hash: String,
    pub date: Date,
}

/// Warnings for every content file changed after what its records state,
/// or an error when the history cannot be read.
pub fn check(root: &Path, records: &Records) -> Vec<Diagnostic> {
    let history = match read(root) {
        Ok(h) => h,
        Err(e) => {
            return vec![
                Diagnostic::error(None, format!("--git-history: {e}")).with_help(
                    "run the check inside a git clone of the site (with its full history: a shallow clone shows only the last commits), or leave out --git-history",
                ),
            ];
        }
    };
    // A commitment's progress updates count as stated changes.
    let progress: HashMap<&str, Date> = records
        .commitments
        .iter()
        .filter_map(|c| {
            let newest = c.updates.iter().map(|u| u.when.sort_day()).max()?;
            Some((c.meta.key.as_str(), newest))
        })
        .collect();
    let mut files: BTreeMap<&Path, FileStated<'_>> = BTreeMap::new();
    for meta in records.metas() {
        let updates = match meta.kind {
            Kind::Commitment => progress.get(meta.key.as_str()).copied(),
            _ => None,
        };
        let stated = meta.history_latest().max(updates);
        files.entry(&meta.file).or_default().add(meta, stated);
    }
    let mut out = Vec::new();
    for (file, s) in files {
        let Some(commits) = history.get(&relative(root, file)) else {
            continue;
        };
        if let Some(d) = late(file, commits, &s) {
            out.push(d);
        }
    }
    out
}

/// What a file's records state about their history.
#[derive(Default)]
struct FileStated<'a> {
    newest: Option<Date>,
    /// Where to point the warning: the newest `changes:` entry, else the
    /// first record's id.
    span: Option<&'a Span>,
}

impl<'a> FileStated<'a> {
    fn add(&mut self, meta: &'a Meta, stated: Option<Date>) {
        if stated > self.newest {
            self.newest = stated;
            if let Some(c) = meta.changes.first() {
                self.span = Some(&c.span);
            }
        }
        if self.span.is_none() {
            self.span = Some(&meta.id_span);
        }
    }
}

/// The warning for a file whose newest commit is later than both its first
/// commit's day and the newest date its records state.
fn late(file: &Path, commits: &[Commit], s: &FileStated<'_>) -> Option<Diagnostic> {
    let first = commits.iter().map(|c| c.date).min()?;
    let since = s.newest.map_or(first, |n| n.max(first));
    let mut after: Vec<&Commit> = commits.iter().filter(|c| c.date > since).collect();
    if after.is_empty() {
        return None;
    }
    after.sort_by_key(|c| std::cmp::Reverse(c.date));
    let newest = after[0];
    let others = match after.len() - 1 {
        0 => String::new(),
        1 => ", and 1 other commit since".to_string(),
        n => format!(", and {n} other commits since"),
    };
    let since = match s.newest {
        Some(n) if n >= first => format!("its newest stated change ({})", n.long()),
        _ => format!("it was first committed on {}", first.long()),
    };
    let message = format!(
        "{} was changed in git on {} (commit {}{others}), after {since}, but no `changes:` entry says what changed",
        file.display(),
        newest.date.long(),
        newest.hash,
    );
    Some(
        Diagnostic::warning(s.span.cloned(), message).with_help(format!(
            "see the edit with `git show {}`; when it changed what a reader is told (a correction, a variation, a new figure), add `changes: [{{date: {}, note: \"…\"}}]` to the record; a new progress update or `updated:` of that date also counts",
            newest.hash,
            newest.date.iso()
        )),
    )
}

/// The path of `file` as git prints it with `--relative` from `root`.
fn relative(root: &Path, file: &Path) -> PathBuf {
    let stripped = file.strip_prefix(root).unwrap_or(file);
    stripped
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// Every commit touching a file under `root`, keyed by the path relative
/// to `root`.
fn read(root: &Path) -> Result<HashMap<PathBuf, Vec<Commit>>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "log",
            "--no-renames",
            "--name-only",
            "--relative",
            "--format=%x1e%h %cs",
            "--",
            ".",
        ])
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(format!(
            "git could not read the history of {}: {}",
            root.display(),
            said.trim()
        ));
    }
    parse_log(&String::from_utf8_lossy(&output.stdout))
}

/// Parses `git log --name-only --format=%x1e%h %cs`: a record separator,
/// the hash and date, then the files of that commit one a line.
pub fn parse_log(text: &str) -> Result<HashMap<PathBuf, Vec<Commit>>, String> {
    let mut out: HashMap<PathBuf, Vec<Commit>> = HashMap::new();
    for entry in text.split('\u{1e}').filter(|e| !e.trim().is_empty()) {
        let mut lines = entry.lines();
        let head = lines.next().unwrap_or_default();
        let (hash, date) = head
            .split_once(' ')
            .ok_or_else(|| format!("git printed a commit line it should not: {head:?}"))?;
        let date = Date::parse(date.trim())
            .ok_or_else(|| format!("git printed a date that is not YYYY-MM-DD: {date:?}"))?;
        for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
            out.entry(PathBuf::from(file)).or_default().push(Commit {
                hash: hash.to_string(),
                date,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn commit(hash: &str, date: &str) -> Commit {
        Commit {
            hash: hash.into(),
            date: day(date),
        }
    }

    #[test]
    fn the_log_gives_each_file_its_commits() {
        let log = "\u{1e}abc1234 2026-05-03\n\ncontent/decisions/a.md\ncontent/site.yaml\n\u{1e}def5678 2026-01-10\n\ncontent/decisions/a.md\n";
        let h = parse_log(log).unwrap();
        assert_eq!(
            h[Path::new("content/decisions/a.md")],
            vec![
                commit("abc1234", "2026-05-03"),
                commit("def5678", "2026-01-10")
            ]
        );
        assert_eq!(h[Path::new("content/site.yaml")].len(), 1);
        assert!(parse_log("\u{1e}abc1234 yesterday\n\nx.md\n").is_err());
    }

    #[test]
    fn a_commit_after_the_stated_change_is_late_and_one_on_or_before_is_not() {
        let span = Span::file("a.md");
        let commits = [commit("new", "2026-05-03"), commit("old", "2026-01-10")];
        let stated = |newest: &str| FileStated {
            newest: Some(day(newest)),
            span: Some(&span),
        };
        let d = late(Path::new("a.md"), &commits, &stated("2026-02-01")).unwrap();
        assert!(
            d.message.contains("3 May 2026 (commit new),"),
            "{}",
            d.message
        );
        assert!(d.message.contains("1 February 2026"), "{}", d.message);
        assert!(late(Path::new("a.md"), &commits, &stated("2026-05-03")).is_none());
        // Only the first commit: that is the publication.
        assert!(late(Path::new("a.md"), &commits[1..], &FileStated::default()).is_none());
        // No stated history, two commits on different days.
        let d = late(Path::new("a.md"), &commits, &FileStated::default()).unwrap();
        assert!(
            d.message.contains("first committed on 10 January 2026"),
            "{}",
            d.message
        );
        assert!(d.help.unwrap().contains("git show new"));
        let three = [
            commit("c", "2026-06-01"),
            commit("b", "2026-05-03"),
            commit("a", "2026-01-10"),
        ];
        let d = late(Path::new("a.md"), &three, &FileStated::default()).unwrap();
        assert!(
            d.message
                .contains("1 June 2026 (commit c, and 1 other commit since)"),
            "{}",
            d.message
        );
    }

    #[test]
    fn paths_are_compared_relative_to_the_site_folder() {
        assert_eq!(
            relative(Path::new("."), Path::new("./content/a.md")),
            PathBuf::from("content/a.md")
        );
        assert_eq!(
            relative(Path::new("/s"), Path::new("/s/content/a.md")),
            PathBuf::from("content/a.md")
        );
    }
}
