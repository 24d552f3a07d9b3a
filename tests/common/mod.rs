//! What the story tests share: the fixture site, a private copy of it to
//! change, running the binary, and reading what it wrote.
//!
//! Each test binary uses only part of this, so unused items are allowed.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_plansite");

pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

/// A private copy of the fixture site to change.
pub fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `plansite ARGS…` with the site root and nothing else set.
pub fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

/// `plansite build --root ROOT --output OUT`.
pub fn build(root: &Path, out: &Path) -> Output {
    Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// `plansite check --root ROOT`.
pub fn check(root: &Path) -> Output {
    Command::new(BIN)
        .args(["check", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

pub fn check_strict(root: &Path) -> Output {
    Command::new(BIN)
        .args(["check", "--strict", "--root"])
        .arg(root)
        .output()
        .unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every file under `dir`, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn read(out: &Path, page: &str) -> String {
    std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Replace the first `from` in a file of the site with `to`.
pub fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Write a file of the site, making its folders.
pub fn write(root: &Path, file: &str, text: &str) {
    let path = root.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Build the fixture once, damage a copy, build again: the second build must
/// fail with a content error (exit 1) and leave the first output untouched.
/// Returns the failed build's stderr.
pub fn broken_build(damage: impl FnOnce(&Path)) -> String {
    let site = copy_fixture();
    let out = tempfile::tempdir().unwrap();
    let first = build(site.path(), out.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(out.path());
    damage(site.path());
    let o = build(site.path(), out.path());
    assert_eq!(
        o.status.code(),
        Some(1),
        "a content error exits 1: {}",
        stderr(&o)
    );
    assert!(
        before == tree(out.path()),
        "the previous output was changed by a failed build"
    );
    stderr(&o)
}

/// A running `plansite serve --port 0`, killed when the test ends however
/// it ends. Its stdout is drained so the server never blocks on it.
pub struct Serve {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT/`, as serve printed it.
    pub base: String,
    pub port: u16,
    pub stderr: std::sync::mpsc::Receiver<String>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    /// Starts serve on `root` and waits (up to `wait`) for its address.
    pub fn start_within(root: &Path, wait: std::time::Duration) -> Serve {
        use std::io::{BufRead, BufReader};
        use std::process::Stdio;
        use std::sync::mpsc;
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = |from: Box<dyn std::io::Read + Send>| {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for line in BufReader::new(from).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            rx
        };
        let rx = lines(Box::new(child.stdout.take().unwrap()));
        let erx = lines(Box::new(child.stderr.take().unwrap()));
        let mut serve = Serve {
            child,
            base: String::new(),
            port: 0,
            stderr: erx,
        };
        let deadline = std::time::Instant::now() + wait;
        while std::time::Instant::now() < deadline {
            match rx.recv_timeout(std::time::Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("Serving at ") {
                        serve.base = rest.split_whitespace().next().unwrap().to_string();
                        let port = serve.base.trim_end_matches('/').rsplit(':').next().unwrap();
                        serve.port = port.parse().unwrap();
                        std::thread::spawn(move || while rx.recv().is_ok() {});
                        assert!(
                            serve.base.starts_with("http://127.0.0.1:"),
                            "{}",
                            serve.base
                        );
                        return serve;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let errors: Vec<String> = serve.stderr.try_iter().collect();
        panic!("serve did not start: {}", errors.join("\n"));
    }

    /// A connection to it, each read and write bounded by `timeout`.
    pub fn connect_within(&self, timeout: std::time::Duration) -> std::net::TcpStream {
        let s = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(timeout)).unwrap();
        s.set_write_timeout(Some(timeout)).unwrap();
        s
    }
}

/// An HTTP response as the serve tests read it off the wire.
pub struct Reply {
    pub status: u16,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// A whole response: head, blank line, body.
    pub fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap_or("")
            .split(' ')
            .nth(1)
            .unwrap_or("0")
            .parse()
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    /// Reads exactly one response from a kept-alive connection: it must
    /// say how long its body is.
    pub fn read(reader: &mut std::io::BufReader<std::net::TcpStream>, head_only: bool) -> Reply {
        use std::io::{BufRead, Read};
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            let n = reader.read_line(&mut line).expect("reading a response");
            assert!(n > 0, "the connection closed before a response");
            if line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        let mut reply = Reply::parse(format!("{}\r\n\r\n", head.join("\r\n")).as_bytes());
        let length: usize = reply
            .header("content-length")
            .unwrap_or_else(|| panic!("no Content-Length in {head:?}"))
            .parse()
            .unwrap();
        if !head_only {
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            reply.body = String::from_utf8_lossy(&body).to_string();
        }
        reply
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The addresses the site's search client finds for `query`, best first,
/// running `tests/search/query.cjs` under node against a built site.
pub fn search_urls(out: &Path, query: &str) -> Vec<String> {
    let o = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/query.cjs"))
        .arg(out)
        .arg(query)
        .output()
        .expect("node runs the search client");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let results: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    results[0]["results"]
        .as_array()
        .expect("a list of results")
        .iter()
        .filter_map(|r| r["url"].as_str().map(String::from))
        .collect()
}

/// The text of `html` between `from` and the next `to` after it.
pub fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

/// A starter site (`plansite new`, clean under `check --strict`) with each
/// of `extra`'s files (paths from the project root) copied into its
/// `content/` under `into`; the site's root is `site/` inside the folder.
pub fn starter_with(extra: &[&str], into: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&["new", dir.path().join("site").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let to = dir.path().join("site/content").join(into);
    std::fs::create_dir_all(&to).unwrap();
    for folder in extra {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        copy_dir(&from, &to);
    }
    dir
}
