//! Publishing under a sub-path: the site built with
//! `--base-url http://127.0.0.1:PORT/police-and-crime-plan/` and served at
//! that path on loopback is crawled over HTTP from the home page. Every
//! link, asset and anchor must resolve, and none may leave the sub-path.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_plansite");
const PREFIX: &str = "/police-and-crime-plan/";

/// Serves `dir` under `PREFIX` on the listener until the test ends.
fn serve(listener: TcpListener, dir: PathBuf) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            // Read the whole request head before answering.
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let request = String::from_utf8_lossy(&request);
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, body) = match path.strip_prefix(PREFIX) {
                Some(rest) if !rest.split('/').any(|s| s == "..") => {
                    let mut file = dir.join(rest);
                    if rest.is_empty() || rest.ends_with('/') {
                        file = file.join("index.html");
                    }
                    match std::fs::read(&file) {
                        Ok(b) => ("200 OK", b),
                        Err(_) => ("404 Not Found", Vec::new()),
                    }
                }
                _ => ("404 Not Found", Vec::new()),
            };
            let mut response = format!(
                "HTTP/1.0 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(&body);
            let _ = stream.write_all(&response);
        }
    });
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // One write: `write!` would send the pieces separately.
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
    s.write_all(request.as_bytes())
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let mut response = Vec::new();
    s.read_to_end(&mut response).unwrap();
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&response[..head_end]).to_string();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, response[head_end..].to_vec())
}

/// Joins a relative reference to a base path, as a browser does.
fn join(base: &str, reference: &str) -> String {
    if reference.starts_with('/') {
        return normalise(reference);
    }
    let dir = &base[..=base.rfind('/').unwrap()];
    normalise(&format!("{dir}{reference}"))
}

fn normalise(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let mut s = format!("/{}", out.join("/"));
    if trailing && !s.ends_with('/') {
        s.push('/');
    }
    s
}

#[test]
fn the_site_works_when_published_under_a_sub_path() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--base-url"])
        .arg(format!("http://127.0.0.1:{port}{PREFIX}"))
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serve(listener, out.path().to_path_buf());

    let links = Selector::parse("a[href], link[href], script[src], img[src]").unwrap();
    let with_id = Selector::parse("[id]").unwrap();
    let mut queue = VecDeque::from([PREFIX.to_string()]);
    let mut seen: BTreeSet<String> = BTreeSet::from([PREFIX.to_string()]);
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut problems = Vec::new();
    while let Some(path) = queue.pop_front() {
        let (status, body) = get(port, &path);
        if status != 200 {
            problems.push(format!("{path}: HTTP {status}"));
            continue;
        }
        if !(path.ends_with('/') || path.ends_with(".html")) {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8_lossy(&body));
        ids.insert(
            path.clone(),
            html.select(&with_id)
                .filter_map(|e| e.value().attr("id"))
                .map(String::from)
                .collect(),
        );
        for e in html.select(&links) {
            let Some(href) = e.value().attr("href").or(e.value().attr("src")) else {
                continue;
            };
            let local = format!("http://127.0.0.1:{port}");
            let href = href.strip_prefix(&local).unwrap_or(href);
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("tel:") {
                continue;
            }
            let (target, fragment) = match href.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (href, None),
            };
            let resolved = if target.is_empty() {
                path.clone()
            } else {
                join(&path, target)
            };
            if !resolved.starts_with(PREFIX) {
                problems.push(format!("{path}: {href} escapes the sub-path ({resolved})"));
                continue;
            }
            if let Some(f) = fragment {
                fragments.push((path.clone(), resolved.clone(), f.to_string()));
            }
            if seen.insert(resolved.clone()) {
                queue.push_back(resolved);
            }
        }
    }
    for (from, page, fragment) in &fragments {
        if ids.get(page).is_some_and(|set| !set.contains(fragment)) {
            problems.push(format!("{from}: {page}#{fragment} has no such anchor"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("crawled {} addresses under {PREFIX}", seen.len());
    assert!(
        seen.len() > 200,
        "only {} addresses reached from the home page",
        seen.len()
    );
    // Absolute addresses use the sub-path too.
    let sitemap = std::fs::read_to_string(out.path().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!(
        "http://127.0.0.1:{port}{PREFIX}decisions/004-2014/"
    )));
    let (status, _) = get(port, &format!("{PREFIX}../Cargo.toml"));
    assert_eq!(status, 404);
}

#[test]
fn joining_relative_references() {
    assert_eq!(join("/p/a/b/", "../../c/"), "/p/c/");
    assert_eq!(join("/p/", "./"), "/p/");
    assert_eq!(join("/p/a/", "../style.1.css"), "/p/style.1.css");
    assert_eq!(join("/p/", "../x/"), "/x/");
}
