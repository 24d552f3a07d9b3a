//! `plansite check --git-history` (issue 20): a record whose file changed
//! in git after the newest change its content states is named, with the
//! commit; a `changes:` entry of that day clears it; without the flag the
//! check does not read git at all. Each test makes its own repository from
//! the fixture, with commit dates set, so nothing depends on this
//! project's own history.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};

const DECISION: &str = "content/decisions/002-2025.md";

/// `git ARGS…` in `root`, committing as a fixed person on `day`.
fn git(root: &Path, day: &str, args: &[&str]) {
    let stamp = format!("{day}T12:00:00+00:00");
    let o = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .output()
        .expect("git is installed");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

fn commit_all(root: &Path, day: &str, message: &str) {
    git(root, day, &["add", "-A"]);
    git(root, day, &["commit", "-q", "-m", message]);
}

/// The fixture, first committed on 1 April 2025.
fn repository() -> tempfile::TempDir {
    let site = copy_fixture();
    git(site.path(), "2025-04-01", &["init", "-q"]);
    commit_all(site.path(), "2025-04-01", "Publish the site");
    site
}

fn check_with(root: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

/// The diagnostics that name the decision's file as changed in git.
fn late_about_decision(o: &Output) -> Vec<String> {
    stderr(o)
        .split("\n\n")
        .filter(|d| d.contains("was changed in git") && d.contains("002-2025.md"))
        .map(str::to_string)
        .collect()
}

#[test]
fn an_edit_after_publication_without_a_change_note_is_named_with_its_commit() {
    let site = repository();
    edit(
        site.path(),
        DECISION,
        "To issue the Police and Crime Plan 2025–2029.",
        "To issue the Police and Crime Plan 2025–2029, as amended.",
    );
    commit_all(site.path(), "2025-06-10", "Reword the decision");

    let o = check_with(site.path(), &["--git-history"]);
    let found = late_about_decision(&o);
    assert_eq!(found.len(), 1, "{}", stderr(&o));
    let d = &found[0];
    assert!(d.contains("on 10 June 2025"), "{d}");
    assert!(d.contains("first committed on 1 April 2025"), "{d}");
    assert!(d.contains("git show "), "names the commit to look at: {d}");
    assert!(d.contains("changes: [{date: 2025-06-10"), "{d}");
    assert!(o.status.success(), "a warning: {}", stderr(&o));
    // Files committed once are their publication, not a change.
    assert_eq!(
        stderr(&o).matches("was changed in git").count(),
        1,
        "{}",
        stderr(&o)
    );

    let strict = check_with(site.path(), &["--git-history", "--strict"]);
    assert!(!strict.status.success(), "{}", stderr(&strict));

    let plain = check_with(site.path(), &[]);
    assert!(
        !stderr(&plain).contains("was changed in git"),
        "off unless asked for: {}",
        stderr(&plain)
    );
}

#[test]
fn a_change_note_of_that_day_accounts_for_the_edit() {
    let site = repository();
    edit(
        site.path(),
        DECISION,
        "title: Issue of the Police and Crime Plan 2025–2029\n",
        "title: Issue of the Police and Crime Plan 2025–2029\nchanges:\n  - {date: 2025-06-10, note: \"The decision now says the plan as amended.\"}\n",
    );
    edit(
        site.path(),
        DECISION,
        "To issue the Police and Crime Plan 2025–2029.",
        "To issue the Police and Crime Plan 2025–2029, as amended.",
    );
    commit_all(
        site.path(),
        "2025-06-10",
        "Reword the decision, with a note",
    );
    let o = check_with(site.path(), &["--git-history"]);
    assert!(late_about_decision(&o).is_empty(), "{}", stderr(&o));

    // A later edit with no newer note is named against the note's date.
    edit(site.path(), DECISION, "as amended", "as varied");
    commit_all(site.path(), "2025-07-01", "Reword again");
    let o = check_with(site.path(), &["--git-history"]);
    let found = late_about_decision(&o);
    assert_eq!(found.len(), 1, "{}", stderr(&o));
    assert!(
        found[0].contains("after its newest stated change (10 June 2025)"),
        "{}",
        found[0]
    );
}

#[test]
fn outside_a_repository_the_flag_is_an_error_that_says_why() {
    let site = copy_fixture();
    let o = check_with(site.path(), &["--git-history"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("--git-history: git could not read the history"),
        "{err}"
    );
    assert!(err.contains("leave out --git-history"), "{err}");
}
