//! `plansite serve`, story by story. First the incremental engine on its
//! own: after every kind of change (edit, add, delete, rename, a broken
//! file and its fix, a template, site.yaml) what it publishes equals a
//! fresh full build, byte for byte. Then the real server on a free
//! loopback port: an edit arrives as a reload event and the pages show it,
//! a broken edit is reported and the last good pages stay, path traversal
//! gets nothing, Ctrl-C stops it cleanly.

mod common;
use common::*;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use plansite::pipeline::{self, Options};
use plansite::serve::incremental::{Engine, Outcome};
use plansite::serve::store::Store;

const BASE: &str = "http://127.0.0.1:4000/";
/// Generous: a debug build on a busy two-core machine. Only a bound, never
/// a measurement.
const WAIT: Duration = Duration::from_secs(60);

fn options(root: &Path) -> Options {
    Options {
        root: root.to_path_buf(),
        include_drafts: false,
        base_url: Some(BASE.into()),
        live_reload: true,
    }
}

/// What `plansite build` would make, with serve's options.
fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let (out, diagnostics) = pipeline::run(&options(root));
    let Some(out) = out else {
        panic!("the full build failed:\n{}", pipeline::report(diagnostics));
    };
    out.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn assert_same(engine: &Engine, root: &Path, step: &str) {
    let incremental = engine.store().snapshot();
    let full = full_build(root);
    let only_full: Vec<&String> = full
        .keys()
        .filter(|k| !incremental.contains_key(*k))
        .collect();
    let only_inc: Vec<&String> = incremental
        .keys()
        .filter(|k| !full.contains_key(*k))
        .collect();
    let differ: Vec<&String> = full
        .iter()
        .filter(|(k, v)| incremental.get(*k).is_some_and(|i| i != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        only_full.is_empty() && only_inc.is_empty() && differ.is_empty(),
        "after {step}: only in the full build {only_full:?}; only in serve {only_inc:?}; different {differ:?}"
    );
}

fn rebuild(engine: &mut Engine, paths: &[PathBuf]) -> (Vec<String>, usize) {
    let mut pages = None;
    match engine.rebuild(paths, |p| pages = Some(p.clone())) {
        Outcome::Built { data, .. } => {
            let pages = pages.expect("pages are reported before data");
            let mut changed = pages.changed;
            changed.extend(data.changed);
            (changed, pages.rendered)
        }
        Outcome::Failed(d) => panic!(
            "rebuild failed: {}",
            d.iter().map(|d| d.render()).collect::<String>()
        ),
        Outcome::Unchanged => (Vec::new(), 0),
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn generation(engine: &Engine, path: &str) -> u64 {
    engine
        .store()
        .get(path)
        .unwrap_or_else(|| panic!("no {path}"))
        .generation
}

#[test]
fn incremental_rebuilds_equal_a_full_build_after_every_kind_of_change() {
    let site = copy_fixture();
    let root = site.path();
    let content = root.join("content");
    let mut engine = Engine::new(options(root), Arc::new(Store::default()));
    assert!(matches!(engine.build(|_| {}), Outcome::Built { .. }));
    assert_same(&engine, root, "the first build");

    // Edit one decision's body: its page changes, an unrelated page is not
    // even rendered again.
    let d1 = content.join("decisions/001-2025.md");
    let about = "about/index.html";
    let before = generation(&engine, about);
    edit(
        &d1,
        "a duty to reduce crime",
        "a duty to reduce crime and disorder",
    );
    let (changed, rendered) = rebuild(&mut engine, std::slice::from_ref(&d1));
    assert!(
        changed.contains(&"decisions/001-2025/index.html".to_string()),
        "{changed:?}"
    );
    assert!(!changed.contains(&about.to_string()));
    assert_eq!(
        generation(&engine, about),
        before,
        "an unrelated page was rendered again"
    );
    assert!(rendered < 20, "{rendered} pages rendered for one body edit");
    assert_same(&engine, root, "a body edit");

    // Saving a file unchanged changes nothing.
    let (changed, _) = rebuild(&mut engine, std::slice::from_ref(&d1));
    assert!(changed.is_empty(), "{changed:?}");

    // A title that other pages show: backlinks, link text, lists.
    let wp = content.join("decisions/wpcc3-0089.md");
    edit(
        &wp,
        "title: Community safety grants 2025/26",
        "title: Community safety grants, revised",
    );
    let (changed, _) = rebuild(&mut engine, std::slice::from_ref(&wp));
    assert!(
        changed.contains(&"decisions/001-2025/index.html".to_string()),
        "{changed:?}"
    );
    assert_same(&engine, root, "a title edit");

    // A title that pages referring to it show as link text.
    edit(
        &d1,
        "title: Target hardening grant 2025/26",
        "title: Target hardening grant 2025-26",
    );
    let (changed, _) = rebuild(&mut engine, std::slice::from_ref(&d1));
    assert!(
        changed.contains(&"decisions/wpcc3-0089/index.html".to_string()),
        "{changed:?}"
    );
    assert_same(&engine, root, "the title of a record others refer to");

    // A new record that refers to another.
    let new = content.join("decisions/005-2025.md");
    std::fs::write(
        &new,
        "---\nnumber: \"005/2025\"\ntitle: Street lighting\ndate_signed: 2025-06-01\n---\n1. This follows [[decision 001/2025]].\n",
    )
    .unwrap();
    rebuild(&mut engine, std::slice::from_ref(&new));
    assert_same(&engine, root, "adding a record");

    // Moved to another year: browse pages and lists.
    edit(&new, "date_signed: 2025-06-01", "date_signed: 2023-06-01");
    rebuild(&mut engine, std::slice::from_ref(&new));
    assert_same(&engine, root, "a date edit");

    // Renamed (the way an editor or `mv` does it), then with a new number.
    let renamed = content.join("decisions/street-lighting.md");
    std::fs::rename(&new, &renamed).unwrap();
    rebuild(&mut engine, &[new.clone(), renamed.clone()]);
    assert_same(&engine, root, "renaming a file");
    edit(&renamed, "number: \"005/2025\"", "number: \"006/2025\"");
    let (changed, _) = rebuild(&mut engine, std::slice::from_ref(&renamed));
    assert!(
        changed.contains(&"decisions/005-2025/index.html".to_string()),
        "the old page goes: {changed:?}"
    );
    assert_same(&engine, root, "renumbering a record");

    // Deleted.
    std::fs::remove_file(&renamed).unwrap();
    rebuild(&mut engine, std::slice::from_ref(&renamed));
    assert!(!engine.store().contains("decisions/006-2025/index.html"));
    assert_same(&engine, root, "deleting a record");

    // A draft stays out.
    let draft = content.join("decisions/007-2025.md");
    std::fs::write(
        &draft,
        "---\nnumber: \"007/2025\"\ntitle: Not yet\ndraft: true\ndate_signed: 2025-07-01\n---\n1. Draft.\n",
    )
    .unwrap();
    rebuild(&mut engine, std::slice::from_ref(&draft));
    assert_same(&engine, root, "adding a draft");

    // The few-of-a-kind records that draw on each other.
    let commitments = content.join("commitments/section-1.yaml");
    edit(
        &commitments,
        "I will work with the police to reduce burglary.",
        "I will work with the police and councils to reduce burglary.",
    );
    rebuild(&mut engine, std::slice::from_ref(&commitments));
    assert_same(&engine, root, "a commitment edit");
    let series = content.join("metrics/series/burglary-rate.csv");
    edit(&series, "2025-Q2,5.8,", "2025-Q2,5.7,");
    rebuild(&mut engine, std::slice::from_ref(&series));
    assert_same(&engine, root, "a series edit");
    let paper = content.join("papers/board-2025-01-21.md");
    edit(
        &paper,
        "title: Police and Crime Plan – draft",
        "title: The draft plan",
    );
    rebuild(&mut engine, std::slice::from_ref(&paper));
    assert_same(&engine, root, "a paper edit");

    // A broken file fails the rebuild and leaves the published site alone;
    // fixing it brings the engine back to what a full build makes.
    let published = engine.store().snapshot();
    let good = std::fs::read_to_string(&d1).unwrap();
    std::fs::write(&d1, good.replace("title: Target", "title: [Target")).unwrap();
    match engine.rebuild(std::slice::from_ref(&d1), |_| {
        panic!("no pages after a failure")
    }) {
        Outcome::Failed(d) => assert!(d.iter().any(|d| {
            d.span
                .as_ref()
                .is_some_and(|s| s.file.ends_with("decisions/001-2025.md") && s.line > 0)
        })),
        _ => panic!("a broken file must fail the rebuild"),
    }
    assert!(
        engine.store().snapshot() == published,
        "a failed rebuild changed the published site"
    );
    // Another change while broken, then the fix.
    edit(
        &wp,
        "title: Community safety grants, revised",
        "title: Community safety grants 2025/26",
    );
    assert!(matches!(
        engine.rebuild(std::slice::from_ref(&wp), |_| {}),
        Outcome::Failed(_)
    ));
    std::fs::write(&d1, good).unwrap();
    rebuild(&mut engine, std::slice::from_ref(&d1));
    assert_same(&engine, root, "fixing a broken file");

    // A template override, then site.yaml: everything.
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let page_template = templates.join("page.html");
    let default = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/page.html"),
    )
    .unwrap();
    std::fs::write(
        &page_template,
        default.replacen(
            "{% block content %}",
            "{% block content %}<p>Overridden.</p>",
            1,
        ),
    )
    .unwrap();
    rebuild(&mut engine, std::slice::from_ref(&page_template));
    assert!(
        String::from_utf8_lossy(&engine.store().get(about).unwrap().bytes).contains("Overridden.")
    );
    assert_same(&engine, root, "a template override");
    let site_yaml = content.join("site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    let title_line = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    edit(&site_yaml, &title_line, "title: A renamed site");
    rebuild(&mut engine, std::slice::from_ref(&site_yaml));
    assert_same(&engine, root, "a site.yaml edit");

    // A whole folder renamed away and back (a directory event). The
    // meeting that names a paper goes first, so the site still builds.
    let meeting = content.join("meetings/board-2025-01-21.md");
    let meeting_text = std::fs::read_to_string(&meeting).unwrap();
    std::fs::remove_file(&meeting).unwrap();
    rebuild(&mut engine, std::slice::from_ref(&meeting));
    assert_same(&engine, root, "a meeting deleted");
    let papers = content.join("papers");
    let hidden = content.join("_papers");
    std::fs::rename(&papers, &hidden).unwrap();
    rebuild(&mut engine, &[papers.clone(), hidden.clone()]);
    assert!(
        !engine
            .store()
            .contains("papers/board-2025-01-21/index.html")
    );
    assert_same(&engine, root, "a folder moved out of the site");
    std::fs::rename(&hidden, &papers).unwrap();
    rebuild(&mut engine, &[papers.clone(), hidden.clone()]);
    assert_same(&engine, root, "a folder moved back");
    std::fs::write(&meeting, meeting_text).unwrap();
    rebuild(&mut engine, std::slice::from_ref(&meeting));
    assert_same(&engine, root, "a meeting added");
}

#[test]
fn the_reload_script_is_only_in_serve() {
    let site = copy_fixture();
    let out = site.path().join("public");
    let status = Command::new(BIN)
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("__plansite"),
                "{} has serve's reload script",
                entry.path().display()
            );
            assert!(!text.contains("EventSource"), "{}", entry.path().display());
            pages += usize::from(entry.path().extension().is_some_and(|e| e == "html"));
        }
    }
    assert!(pages > 10);

    let engine_site = Engine::new(options(site.path()), Arc::new(Store::default()));
    let mut engine = engine_site;
    engine.build(|_| {});
    let home = engine.store().get("index.html").unwrap();
    assert!(String::from_utf8_lossy(&home.bytes).contains("__plansite/reload.js"));
}

// ---- the server, over HTTP ----

impl Serve {
    fn start(root: &Path) -> Serve {
        Serve::start_within(root, WAIT)
    }

    fn connect(&self) -> TcpStream {
        self.connect_within(Duration::from_secs(10))
    }

    /// One request with the path sent exactly as given.
    fn get(&self, path: &str) -> Reply {
        let mut s = self.connect();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    }

    fn events(&self) -> Events {
        let mut s = self.connect();
        write!(s, "GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut events = Events {
            reader: BufReader::new(s),
        };
        let (name, _) = events.next(WAIT);
        assert_eq!(name, "hello");
        events
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name, data), skipping the response head, comments
    /// and keep-alives; panics after `within`.
    fn next(&mut self, within: Duration) -> (String, String) {
        let deadline = Instant::now() + within;
        let mut name = String::new();
        let mut data = String::new();
        loop {
            assert!(Instant::now() < deadline, "no event in time");
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => panic!("the event stream closed"),
                Ok(_) => {}
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(e) => panic!("reading events: {e}"),
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    /// Skips events until one named `name` whose data contains `needle`.
    fn wait_for(&mut self, name: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let (n, d) = self.next(deadline.saturating_duration_since(Instant::now()));
            if n == name && d.contains(needle) {
                return d;
            }
        }
    }
}

#[test]
fn an_edit_reloads_the_pages_that_show_it_and_leaves_the_others() {
    let site = copy_fixture();
    let server = Serve::start(site.path());
    let page = "/decisions/wpcc3-0089/";
    let backlinked = "/decisions/001-2025/";
    let unrelated = "/about/";
    let first = server.get(page);
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Community safety grants 2025/26"));
    assert!(first.body.contains("__plansite/reload.js"));
    let unrelated_before = server.get(unrelated);
    let unrelated_generation = unrelated_before
        .header("x-plansite-generation")
        .unwrap()
        .to_string();

    let mut events = server.events();
    let wp = site.path().join("content/decisions/wpcc3-0089.md");
    // Saved the way many editors do: a new file renamed over the old one.
    let text = std::fs::read_to_string(&wp).unwrap();
    let temp = site.path().join("content/decisions/.wpcc3-0089.md.swp");
    std::fs::write(
        &temp,
        text.replace(
            "title: Community safety grants 2025/26",
            "title: Grants to keep streets safe",
        ),
    )
    .unwrap();
    std::fs::rename(&temp, &wp).unwrap();

    let data = events.wait_for("reload", "decisions/wpcc3-0089/index.html");
    assert!(
        data.contains("decisions/001-2025/index.html"),
        "the page with the backlink reloads too: {data}"
    );
    assert!(!data.contains("about/index.html"), "{data}");
    assert!(
        server
            .get(page)
            .body
            .contains("Grants to keep streets safe")
    );
    assert!(
        server
            .get(backlinked)
            .body
            .contains("Grants to keep streets safe"),
        "the backlink shows the new title"
    );
    let unrelated_after = server.get(unrelated);
    assert_eq!(
        unrelated_after.header("x-plansite-generation"),
        Some(unrelated_generation.as_str()),
        "an unrelated page was rewritten"
    );
    assert_eq!(unrelated_after.body, unrelated_before.body);
}

#[test]
fn a_broken_edit_keeps_the_last_good_pages_and_shows_the_error_until_fixed() {
    let site = copy_fixture();
    let server = Serve::start(site.path());
    let mut events = server.events();
    let d1 = site.path().join("content/decisions/001-2025.md");
    let good = std::fs::read_to_string(&d1).unwrap();
    std::fs::write(
        &d1,
        good.replace(
            "title: Target hardening grant 2025/26",
            "title: [Target hardening",
        ),
    )
    .unwrap();

    let data = events.wait_for("failed", "001-2025.md:");
    // file:line:col, for the overlay.
    let location = regex_free_location(&data);
    assert!(location.is_some(), "no file:line:col in {data}");
    let page = server.get("/decisions/001-2025/");
    assert_eq!(page.status, 200, "the server is still up");
    assert!(
        page.body.contains("Target hardening grant 2025/26"),
        "the last good page is served"
    );
    // A tab opened now learns about the failure straight away.
    let mut late = server.events();
    let (name, _) = late.next(WAIT);
    assert_eq!(name, "failed");

    std::fs::write(
        &d1,
        good.replace(
            "Target hardening grant 2025/26",
            "Target hardening grant, fixed",
        ),
    )
    .unwrap();
    events.wait_for("fixed", "");
    events.wait_for("reload", "decisions/001-2025/index.html");
    assert!(
        server
            .get("/decisions/001-2025/")
            .body
            .contains("Target hardening grant, fixed")
    );
}

/// Finds `001-2025.md:<line>:<col>` in the event data.
fn regex_free_location(data: &str) -> Option<(u32, u32)> {
    let at = data.find("001-2025.md:")? + "001-2025.md:".len();
    let mut parts = data[at..].splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Some((line, col.parse().ok()?))
}

#[test]
fn requests_outside_the_site_get_nothing() {
    let site = copy_fixture();
    std::fs::write(site.path().join("secret.txt"), "SECRET-CANARY").unwrap();
    std::fs::write(site.path().join("content/secret.txt"), "SECRET-CANARY").unwrap();
    let server = Serve::start(site.path());
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/decisions/..%2f..%2fsecret.txt",
        "/decisions%2f..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/content/secret.txt",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/secret.txt%00.html",
    ] {
        let reply = server.get(path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("SECRET-CANARY"),
            "{path} reached a file outside the site"
        );
        assert!(
            !reply.body.contains("[package]"),
            "{path} reached Cargo.toml"
        );
    }
}

#[test]
fn addresses_types_and_the_404_page() {
    let site = copy_fixture();
    let server = Serve::start(site.path());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let folder = server.get("/decisions?x=1");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/decisions/?x=1"));
    assert_eq!(server.get("/decisions/index.html").status, 200);
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    assert_eq!(
        server.get("/records.json").header("content-type"),
        Some("application/json")
    );
    let css = home
        .body
        .split("href=\"./")
        .find(|s| s.starts_with("style."))
        .map(|s| s.split('"').next().unwrap().to_string());
    let css = css.expect("the home page links its stylesheet");
    assert_eq!(
        server.get(&format!("/{css}")).header("content-type"),
        Some("text/css; charset=utf-8")
    );
    let script = server.get("/__plansite/reload.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("EventSource"));
    let post = {
        let mut s = server.connect();
        write!(
            s,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        Reply::parse(&raw)
    };
    assert_eq!(post.status, 405);
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = copy_fixture();
    let mut server = Serve::start(site.path());
    let _events = server.events();
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "serve exited with {status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        TcpStream::connect(("127.0.0.1", server.port)).is_err(),
        "still listening"
    );
    let _ = &server.base;
}

#[test]
fn changes_reported_under_the_real_path_of_the_root_count() {
    // Watchers report canonical paths; the root may be given otherwise
    // (relative, or through a symbolic link).
    let site = copy_fixture();
    let holder = tempfile::tempdir().unwrap();
    let link = holder.path().join("site");
    std::os::unix::fs::symlink(site.path(), &link).unwrap();
    let mut engine = Engine::new(options(&link), Arc::new(Store::default()));
    engine.build(|_| {});
    let real = std::fs::canonicalize(site.path())
        .unwrap()
        .join("content/pages/about.md");
    edit(&real, "This site publishes", "This website publishes");
    let (changed, _) = rebuild(&mut engine, &[real]);
    assert!(
        changed.contains(&"about/index.html".to_string()),
        "{changed:?}"
    );
}

/// Serve runs the build's own stages: a site with errors from linking and
/// from rendering shows in serve exactly the errors a build reports, and
/// once both are fixed it publishes what a build makes.
#[test]
fn serve_reports_the_errors_a_build_reports() {
    let site = copy_fixture();
    let root = site.path();
    let foi = root.join("content/pages/foi.md");
    edit(&foi, "[[decision WPCC3-0089|", "[[decision WPCC3-0098|");
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let page = templates.join("page.html");
    std::fs::write(
        &page,
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ record.meta.title | }}</h1>\n{% endblock content %}\n",
    )
    .unwrap();

    let (built, diagnostics) = pipeline::run(&options(root));
    assert!(built.is_none());
    let from_build = pipeline::report(diagnostics);
    assert!(
        from_build.contains("WPCC3-0098") && from_build.contains("page.html:3:"),
        "{from_build}"
    );
    let mut engine = Engine::new(options(root), Arc::new(Store::default()));
    let Outcome::Failed(from_serve) = engine.build(|_| {}) else {
        panic!("serve built a site with errors");
    };
    // The same diagnostics in the same order; the report adds the count.
    let from_serve: String = from_serve.iter().map(|d| d.render() + "\n").collect();
    let count = from_build
        .strip_prefix(&from_serve)
        .unwrap_or_else(|| panic!("build:\n{from_build}\nserve:\n{from_serve}"));
    assert!(
        count.starts_with("2 errors, ") && count.lines().count() == 1,
        "{count}"
    );

    std::fs::remove_file(&page).unwrap();
    edit(&foi, "[[decision WPCC3-0098|", "[[decision WPCC3-0089|");
    rebuild(&mut engine, &[page, foi]);
    assert_same(&engine, root, "both errors fixed");
}
