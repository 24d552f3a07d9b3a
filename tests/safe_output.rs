//! The output folder, story by story: a build replaces only a folder that is
//! plansite's own, refuses anything else before it moves or makes a thing,
//! swaps the new site in without a moment with none, and cleans up what
//! killed builds left behind.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const MARKER: &str = ".plansite-output";

/// Every entry (files and folders, hidden ones too) under `dir`.
fn entries(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

/// `plansite build --root ROOT --output OUT`, run from `cwd`.
fn build_from(cwd: &Path, root: &Path, out: &str) -> std::process::Output {
    Command::new(BIN)
        .current_dir(cwd)
        .args(["build", "--root"])
        .arg(root)
        .args(["--output", out])
        .output()
        .unwrap()
}

/// Runs a build that must be refused: exit 2, an error naming `shown` with a
/// hint, and nothing under `watched` changed, moved or added (no staging
/// folder either). Returns stderr.
fn refused(watched: &Path, run: impl FnOnce() -> std::process::Output, shown: &str) -> String {
    let before_files = tree(watched);
    let before = entries(watched);
    let o = run();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "refused with exit 2: {err}");
    assert!(err.contains(shown), "the error names {shown}: {err}");
    assert!(err.contains("help:"), "the error has a hint: {err}");
    assert!(
        before_files == tree(watched),
        "a file changed though the build was refused: {err}"
    );
    assert_eq!(before, entries(watched), "something was moved or made");
    err
}

#[test]
fn an_output_at_the_content_folder_is_refused_and_the_sources_survive() {
    let site = copy_fixture();
    let out = site.path().join("content");
    let err = refused(site.path(), || build(site.path(), &out), "content");
    assert!(err.contains("sources"), "{err}");
}

#[test]
fn an_output_inside_the_content_folder_is_refused() {
    let site = copy_fixture();
    let out = site.path().join("content/published");
    refused(site.path(), || build(site.path(), &out), "published");
}

#[test]
fn an_output_at_the_site_root_is_refused_in_every_spelling() {
    let site = copy_fixture();
    let root = site.path();
    refused(root, || build(root, root), &root.display().to_string());
    // `--output .` run from the root.
    refused(root, || build_from(root, Path::new("."), "."), "`.`");
    // Through `..`.
    refused(
        root,
        || build_from(root, Path::new("."), "content/.."),
        "content/..",
    );
    // Through a symbolic link to the root, beside it.
    let links = tempfile::tempdir().unwrap();
    let link = links.path().join("site-link");
    std::os::unix::fs::symlink(root, &link).unwrap();
    refused(root, || build(root, &link), "site-link");
}

#[test]
fn an_output_holding_the_site_is_refused() {
    // The site sits two folders down, so the test never touches a folder it
    // did not make, whatever a build does.
    let tmp = tempfile::tempdir().unwrap();
    let sites = tmp.path().join("sites");
    let root = sites.join("mysite");
    std::fs::create_dir_all(&root).unwrap();
    copy_dir(&fixture(), &root);
    let err = refused(tmp.path(), || build(&root, &sites), "sites");
    assert!(err.contains("holds"), "{err}");
    let up = format!("{}/..", root.display());
    refused(tmp.path(), || build_from(&root, &root, &up), &up);
    // A marked output does not make it allowed: the site would still go.
    std::fs::write(sites.join(MARKER), "").unwrap();
    refused(tmp.path(), || build(&root, &sites), "sites");
}

#[test]
fn an_output_at_the_themes_folder_is_refused() {
    let site = copy_fixture();
    write(site.path(), "themes/README.txt", "our theme notes\n");
    let out = site.path().join("themes");
    refused(site.path(), || build(site.path(), &out), "themes");
}

#[test]
fn an_output_at_a_file_is_refused_and_the_file_stays_where_it_is() {
    let site = copy_fixture();
    write(site.path(), "notes.txt", "my notes\n");
    let out = site.path().join("notes.txt");
    let err = refused(site.path(), || build(site.path(), &out), "notes.txt");
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(read(site.path(), "notes.txt"), "my notes\n");
}

#[test]
fn a_non_empty_folder_plansite_did_not_write_is_refused() {
    let site = copy_fixture();
    let www = tempfile::tempdir().unwrap();
    write(www.path(), "html/index.html", "<p>our intranet</p>");
    write(www.path(), "html/staff/list.html", "<p>people</p>");
    let out = www.path().join("html");
    let err = refused(www.path(), || build(site.path(), &out), "html");
    assert!(
        err.contains(MARKER),
        "the error says what is missing: {err}"
    );
    assert!(err.contains("delete it yourself"), "{err}");
    // A folder that only looks like a site is not taken for one.
    write(
        www.path(),
        "html/records.xml",
        "<feed><generator>hugo</generator>",
    );
    refused(www.path(), || build(site.path(), &out), "html");
}

#[test]
fn a_marked_output_is_replaced_as_a_whole_and_an_empty_or_new_one_is_made() {
    let site = copy_fixture();
    let tmp = tempfile::tempdir().unwrap();
    // New.
    let out = tmp.path().join("a/b/public");
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.join(MARKER).is_file(),
        "every output carries the marker"
    );
    assert!(!read(&out, "sitemap.xml").contains(MARKER));
    assert!(!read(&out, "datapackage.json").contains(MARKER));
    // Marked: replaced, and what was put into it by hand goes with it.
    write(&out, "stray.txt", "left here by hand");
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About",
        "title: About us",
    );
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("stray.txt").exists());
    assert!(read(&out, "about/index.html").contains("About us"));
    assert_eq!(
        names(tmp.path().join("a/b").as_path()),
        ["public".into()].into()
    );
    // Empty.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = build(site.path(), &empty);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(empty.join("index.html").is_file());
}

#[test]
fn an_output_of_an_older_plansite_without_the_marker_is_replaced() {
    let site = copy_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(site.path(), &out).status.success());
    // What earlier versions wrote: the same site, no marker.
    std::fs::remove_file(out.join(MARKER)).unwrap();
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join(MARKER).is_file());
}

/// A process id no running process has: a child that has exited.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn debris_of_killed_builds_is_cleaned_but_not_a_running_builds_nor_anything_else() {
    let site = copy_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let [dead, dead1, dead2, dead3] = [dead_pid(), dead_pid(), dead_pid(), dead_pid()];
    let alive = std::process::id();
    // A killed build's half-written folder and an interrupted clean-up.
    let staging = format!(".public.new-{dead}");
    copy_dir(&out, &tmp.path().join(&staging));
    std::fs::remove_file(tmp.path().join(&staging).join("index.html")).unwrap();
    std::fs::create_dir(tmp.path().join(format!(".public.new-{dead1}"))).unwrap();
    // One left by an older plansite (no marker).
    let older = format!(".public.old-{dead}");
    copy_dir(&out, &tmp.path().join(&older));
    std::fs::remove_file(tmp.path().join(&older).join(MARKER)).unwrap();
    // A build still running (this test's own process stands in for it).
    let running = format!(".public.new-{alive}");
    copy_dir(&out, &tmp.path().join(&running));
    // Not plansite's, or not this output's: left alone.
    let foreign = format!(".public.old-{dead2}");
    write(&tmp.path().join(&foreign), "mine.txt", "mine");
    let other = format!(".site.new-{dead}");
    copy_dir(&out, &tmp.path().join(&other));
    write(tmp.path(), &format!(".public.new-{dead3}"), "a file");
    write(tmp.path(), ".public.new-x1", "not a pid");

    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let left = names(tmp.path());
    let expected: BTreeSet<String> = [
        "public".to_string(),
        running.clone(),
        foreign.clone(),
        other,
        format!(".public.new-{dead3}"),
        ".public.new-x1".to_string(),
    ]
    .into();
    assert_eq!(left, expected);
    assert!(
        stderr(&o).contains(&foreign),
        "a folder with a build's name but not plansite's is named: {}",
        stderr(&o)
    );
    assert!(tmp.path().join(&running).join("index.html").is_file());
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_cleans_up() {
    let site = copy_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(site.path(), &out).status.success());
    let old = tree(&out);
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About",
        "title: About us",
    );
    let new_out = tempfile::tempdir().unwrap();
    assert!(build(site.path(), new_out.path()).status.success());
    let new = tree(new_out.path());
    assert!(old != new);
    // Kills land wherever they land; whatever the moment, the output is the
    // old site or the new one, never missing and never a mixture.
    for delay_ms in [0, 5, 10, 20, 30, 45, 60, 90] {
        let mut child = Command::new(BIN)
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        child.wait().unwrap();
        let now = tree(&out);
        assert!(now == old || now == new, "after a kill at {delay_ms} ms");
    }
    let o = build(site.path(), &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(names(tmp.path()), ["public".to_string()].into());
    assert!(tree(&out) == new);
}

#[test]
fn an_output_that_is_a_link_is_replaced_where_it_points_and_stays_a_link() {
    let site = copy_fixture();
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("www/plan");
    assert!(build(site.path(), &real).status.success());
    let link = tmp.path().join("public");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About",
        "title: About us",
    );
    let o = build(site.path(), &link);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(read(&real, "about/index.html").contains("About us"));
    assert_eq!(names(&tmp.path().join("www")), ["plan".to_string()].into());
}
