//! `plansite serve` on bad days, story by story: the content folder moved
//! away and back or replaced by a copy (as git checkout and rsync do) and
//! the preview keeps up; a log file written into the site folder, editor
//! swap files and build output rebuild nothing; a huge request head is
//! refused with 431 and too many connections get 503, while kept-alive
//! requests are answered one after another on one connection.
//!
//! Every server binds 127.0.0.1 on a free port; every loop is bounded.

mod common;
use common::*;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// Generous: a debug build on a busy two-core machine. Only a bound, never
/// a measurement.
const WAIT: Duration = Duration::from_secs(60);

/// The most connections serve holds at once (`serve::server::MAX_CONNECTIONS`).
const MAX_CONNECTIONS: usize = 256;

impl Serve {
    fn start(root: &Path) -> Serve {
        Serve::start_within(root, WAIT)
    }

    fn connect(&self) -> TcpStream {
        self.connect_within(Duration::from_secs(20))
    }

    /// One request on a connection of its own.
    fn get(&self, path: &str) -> Reply {
        let mut s = self.connect();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Reply::parse(&raw)
    }

    fn events(&self) -> Events {
        let mut s = self.connect();
        write!(
            s,
            "GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut events = Events {
            reader: BufReader::new(s),
        };
        let (name, _) = events.next();
        assert_eq!(name, "hello");
        events
    }

    /// The lines serve has written to stderr so far.
    fn stderr_lines(&self) -> Vec<String> {
        self.stderr.try_iter().collect()
    }
}

struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name, data); panics when none comes within the bound.
    fn next(&mut self) -> (String, String) {
        let deadline = Instant::now() + WAIT;
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

    /// Every event up to and including the first named `name` whose data
    /// contains `needle`.
    fn until(&mut self, name: &str, needle: &str) -> Vec<(String, String)> {
        let mut seen = Vec::new();
        loop {
            let (n, d) = self.next();
            let done = n == name && d.contains(needle);
            seen.push((n, d));
            if done {
                return seen;
            }
        }
    }
}

/// Edits the about page and waits until the preview serves the new text.
fn edit_shows(server: &Serve, events: &mut Events, root: &Path, text: &str) {
    let about = root.join("content/pages/about.md");
    let old = std::fs::read_to_string(&about).unwrap();
    let new = old.replacen(
        "This site publishes",
        &format!("{text}. This site publishes"),
        1,
    );
    std::fs::write(&about, new).unwrap();
    events.until("reload", "about/index.html");
    let page = server.get("/about/");
    assert!(
        page.body.contains(text),
        "the preview is stale: /about/ does not show {text:?}"
    );
}

/// Waits until serve has noticed `content/` is gone: the site then fails
/// to build (it has no site.yaml and no records) or nothing happens; either
/// way, give the watcher a moment without asserting anything about time.
fn pause() {
    std::thread::sleep(Duration::from_millis(500));
}

#[test]
fn content_moved_away_and_back_is_watched_again() {
    let site = copy_fixture();
    let root = site.path();
    let server = Serve::start(root);
    let mut events = server.events();
    edit_shows(&server, &mut events, root, "First edit");

    // Moved aside (a backup, a branch switch by hand) and back.
    std::fs::rename(root.join("content"), root.join("content.away")).unwrap();
    pause();
    std::fs::rename(root.join("content.away"), root.join("content")).unwrap();
    pause();
    edit_shows(&server, &mut events, root, "Edit after the move back");
    edit_shows(&server, &mut events, root, "And one more");
}

#[test]
fn content_replaced_by_a_copy_is_watched_again() {
    let site = copy_fixture();
    let root = site.path();
    let server = Serve::start(root);
    let mut events = server.events();

    // What git checkout or rsync --delete-after can do: a new folder
    // with the same files takes the old one's place.
    copy_dir(&root.join("content"), &root.join("content.new"));
    std::fs::remove_dir_all(root.join("content")).unwrap();
    pause();
    std::fs::rename(root.join("content.new"), root.join("content")).unwrap();
    pause();
    edit_shows(&server, &mut events, root, "Edit in the new folder");

    // And again, the other way: the new folder renamed over an emptied one.
    copy_dir(&root.join("content"), &root.join("content.next"));
    std::fs::remove_dir_all(root.join("content")).unwrap();
    std::fs::rename(root.join("content.next"), root.join("content")).unwrap();
    pause();
    edit_shows(&server, &mut events, root, "Edit in the third folder");
}

#[test]
fn a_log_file_in_the_site_folder_rebuilds_nothing_on_a_broken_site() {
    let site = copy_fixture();
    let root = site.path();
    let d1 = root.join("content/decisions/001-2025.md");
    let good = std::fs::read_to_string(&d1).unwrap();
    std::fs::write(
        &d1,
        good.replace(
            "title: Target hardening grant 2025/26",
            "title: [Target hardening",
        ),
    )
    .unwrap();
    let server = Serve::start(root);
    let mut events = server.events();
    let (name, _) = events.next();
    assert_eq!(name, "failed", "a new tab learns the site does not build");
    let reports_before = server
        .stderr_lines()
        .iter()
        .filter(|l| l.contains("The site does not build"))
        .count();
    assert_eq!(reports_before, 1);

    // `plansite serve --root site > site/serve.log 2>&1`, an editor's swap
    // and lock files, a build and a git commit, all inside the site.
    let log = root.join("serve.log");
    let mut file = std::fs::File::create(&log).unwrap();
    for i in 0..40 {
        writeln!(file, "log line {i}").unwrap();
        file.flush().unwrap();
        if i % 10 == 0 {
            write(root, "content/decisions/.001-2025.md.swp", "swap");
            write(root, "content/pages/.#about.md", "lock");
            write(root, "content/_notes/todo.md", "not published");
            write(root, "public/index.html", "<p>built</p>");
            write(root, "target/debug/x", "x");
            write(root, ".git/index", "x");
            write(root, "_drafts/x.md", "x");
            write(root, "themes.bak/x.html", "x");
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    drop(file);

    // The fix is the next thing the browser hears about.
    std::fs::write(&d1, &good).unwrap();
    let seen = events.until("fixed", "");
    let failed: Vec<_> = seen.iter().filter(|(n, _)| n == "failed").collect();
    assert!(
        failed.is_empty(),
        "{} error events were sent for files that are not inputs",
        failed.len()
    );
    let reports = server
        .stderr_lines()
        .iter()
        .filter(|l| l.contains("The site does not build"))
        .count();
    assert_eq!(reports, 0, "the broken site was rebuilt for non-inputs");
}

#[test]
fn a_log_file_in_the_site_folder_reloads_nothing() {
    let site = copy_fixture();
    let root = site.path();
    let server = Serve::start(root);
    let mut events = server.events();
    let log = root.join("serve.log");
    let mut file = std::fs::File::create(&log).unwrap();
    for i in 0..20 {
        writeln!(file, "log line {i}").unwrap();
        file.flush().unwrap();
        write(root, "public/index.html", &format!("<p>built {i}</p>"));
        // Backups and Vim's check that it may write in the folder: not
        // records, and gone or ignored by the time anyone builds.
        write(root, "content/pages/about.md~", "backup");
        write(root, "content/decisions/4913", "");
        let _ = std::fs::remove_file(root.join("content/decisions/4913"));
        write(root, "content/pages/#about.md#", "autosave");
        std::thread::sleep(Duration::from_millis(25));
    }
    drop(file);
    std::fs::remove_file(root.join("content/pages/about.md~")).unwrap();
    std::fs::remove_file(root.join("content/pages/#about.md#")).unwrap();
    // A real edit: its reload must be the first event.
    edit(
        root,
        "content/pages/about.md",
        "This site publishes",
        "This website publishes",
    );
    let (name, data) = events.next();
    assert_eq!(
        (name.as_str(), data.contains("about/index.html")),
        ("reload", true),
        "the first event after the log and backup files: {name} {data}"
    );
    // Nothing was published from public/ or the backup.
    assert!(!server.get("/").body.contains("<p>built"));
}

#[test]
fn a_request_head_that_is_too_large_gets_431() {
    let site = copy_fixture();
    let server = Serve::start(site.path());
    for (what, head) in [
        (
            "one long header",
            format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\n\r\n",
                "a".repeat(200_000)
            ),
        ),
        (
            "many headers",
            format!(
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n",
                "X-Many: 0123456789abcdef0123456789abcdef\r\n".repeat(5_000)
            ),
        ),
        (
            "a long request line",
            format!(
                "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "a".repeat(200_000)
            ),
        ),
    ] {
        let s = server.connect();
        let mut writer = s.try_clone().unwrap();
        // Written from another thread: the server may answer (and stop
        // reading) before the head is all sent.
        let sender = std::thread::spawn(move || {
            let _ = writer.write_all(head.as_bytes());
        });
        let mut raw = Vec::new();
        let _ = (&s).read_to_end(&mut raw);
        let _ = sender.join();
        let reply = Reply::parse(&raw);
        assert_eq!(reply.status, 431, "{what}: {}", reply.status);
        assert_eq!(reply.header("connection"), Some("close"), "{what}");
    }
    // The server is still there for a normal request.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn connections_past_the_limit_get_503_and_the_limit_frees_up() {
    let site = copy_fixture();
    let server = Serve::start(site.path());
    // Idle connections up to the limit: each holds a place.
    let held: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| server.connect()).collect();
    // Make sure the server has taken them all in: a request on the last one
    // is answered, so every earlier one was accepted before it.
    let mut last = held.last().unwrap();
    write!(last, "GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reader = BufReader::new(last.try_clone().unwrap());
    assert_eq!(Reply::read(&mut reader, false).status, 200);

    let over = server.get("/about/");
    assert_eq!(over.status, 503, "a connection past the limit");
    assert!(over.header("retry-after").is_some());

    drop(reader);
    drop(held);
    // Closed connections give their places back (bounded retries).
    let deadline = Instant::now() + WAIT;
    loop {
        let reply = server.get("/about/");
        if reply.status == 200 {
            break;
        }
        assert_eq!(reply.status, 503);
        assert!(Instant::now() < deadline, "the places were never freed");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn kept_alive_requests_are_answered_in_turn_on_one_connection() {
    let site = copy_fixture();
    let paragraph = "The Commissioner consulted residents on the plan. ".repeat(20);
    write(
        site.path(),
        "content/pages/long.md",
        &format!(
            "---\nid: long\ntitle: A long page\n---\n{}",
            format!("{paragraph}\n\n").repeat(100)
        ),
    );
    let server = Serve::start(site.path());
    let whole = server.get("/long/");
    assert_eq!(whole.status, 200);
    assert!(
        whole.body.len() > 64 * 1024,
        "a large page, to check its length is given"
    );
    let about = server.get("/about/").body;

    let s = server.connect();
    let mut writer = s.try_clone().unwrap();
    let mut reader = BufReader::new(s);
    for round in 0..50 {
        write!(writer, "GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let r = Reply::read(&mut reader, false);
        assert_eq!(r.status, 200, "round {round}");
        assert_eq!(r.body, about, "round {round}");
    }
    // Other kinds of answer keep the connection too.
    write!(writer, "HEAD /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let head = Reply::read(&mut reader, true);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(about.len().to_string().as_str())
    );
    write!(writer, "GET /decisions HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    assert_eq!(Reply::read(&mut reader, false).status, 308);
    write!(
        writer,
        "GET /no/such/page/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    assert_eq!(Reply::read(&mut reader, false).status, 404);
    write!(writer, "GET /long/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let big = Reply::read(&mut reader, false);
    assert_eq!(big.body, whole.body, "a large body, by its length");
    // Two requests sent together get two answers in order.
    write!(
        writer,
        "GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /long/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    assert_eq!(Reply::read(&mut reader, false).body, about);
    assert_eq!(Reply::read(&mut reader, false).body, whole.body);
    // `Connection: close` is honoured.
    write!(
        writer,
        "GET /about/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let last = Reply::read(&mut reader, false);
    assert_eq!(last.header("connection"), Some("close"));
    let mut rest = Vec::new();
    let _ = reader.read_to_end(&mut rest);
    assert!(rest.is_empty(), "nothing after the last response");
}
