//! Every internal link of a built site points at a page that exists and, for
//! `#fragment` links, at an element with that id. Checked on the fixture
//! site and on the real West Midlands site.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_plansite");

fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

struct Page {
    links: Vec<String>,
    ids: HashSet<String>,
}

fn pages(out: &Path) -> HashMap<PathBuf, Page> {
    let a = Selector::parse("a[href], link[href]").unwrap();
    let with_id = Selector::parse("[id]").unwrap();
    let mut pages = HashMap::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        pages.insert(
            entry.path().strip_prefix(out).unwrap().to_path_buf(),
            Page {
                links: html
                    .select(&a)
                    .filter_map(|e| e.value().attr("href"))
                    .map(str::to_string)
                    .collect(),
                ids: html
                    .select(&with_id)
                    .filter_map(|e| e.value().attr("id"))
                    .map(str::to_string)
                    .collect(),
            },
        );
    }
    pages
}

/// Resolves `href` against the page at `from` (a path relative to the
/// output root); `None` when it leaves the site.
fn resolve(from: &Path, href: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = from
        .parent()
        .map(|p| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    let mut path: PathBuf = parts.iter().collect();
    if href.ends_with('/')
        || href.is_empty()
        || href == "."
        || href.ends_with("/.")
        || path.as_os_str().is_empty()
    {
        path = path.join("index.html");
    }
    Some(path)
}

/// Checks every internal link and returns how many were checked.
fn check_site(out: &Path) -> usize {
    let pages = pages(out);
    assert!(!pages.is_empty());
    let mut broken = Vec::new();
    let mut checked = 0;
    for (from, page) in &pages {
        // The 404 page is served at any address, so it links from the root.
        if from == Path::new("404.html") {
            continue;
        }
        for href in &page.links {
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("tel:") {
                continue;
            }
            checked += 1;
            let (path, fragment) = match href.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (href.as_str(), None),
            };
            let target = if path.is_empty() {
                from.clone()
            } else {
                match resolve(from, path) {
                    Some(t) => t,
                    None => {
                        broken.push(format!("{}: {href} leaves the site", from.display()));
                        continue;
                    }
                }
            };
            if !out.join(&target).is_file() {
                broken.push(format!(
                    "{}: {href} → {} does not exist",
                    from.display(),
                    target.display()
                ));
                continue;
            }
            if let Some(f) = fragment {
                let has = pages.get(&target).is_some_and(|p| p.ids.contains(f));
                if !has {
                    broken.push(format!(
                        "{}: {href} → no element with id `{f}`",
                        from.display()
                    ));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
    checked
}

#[test]
fn every_internal_link_of_the_fixture_site_resolves() {
    let out = build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site"));
    let n = check_site(out.path());
    assert!(n > 200, "only {n} links checked");
}

#[test]
fn every_internal_link_of_the_west_midlands_site_resolves() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let n = check_site(out.path());
    println!("{n} internal links checked");
    assert!(n > 2000, "only {n} links checked");
}

#[test]
fn resolving_relative_links() {
    assert_eq!(
        resolve(Path::new("a/b/index.html"), "../../c/"),
        Some(PathBuf::from("c/index.html"))
    );
    assert_eq!(
        resolve(Path::new("index.html"), "./"),
        Some(PathBuf::from("index.html"))
    );
    assert_eq!(resolve(Path::new("index.html"), "../x/"), None);
    assert_eq!(
        resolve(Path::new("a/index.html"), "../style.css"),
        Some(PathBuf::from("style.css"))
    );
}
