//! HTTP: answers from the in-memory site. Only paths that name a published
//! file can be served, so nothing outside the output is reachable; requests
//! that try (`..`, encoded slashes) are refused outright.
//!
//! A small HTTP/1.1 server of its own (GET and HEAD, kept-alive
//! connections) on `std::net`, with heads parsed by `httparse`, so that
//! every limit is in one place: the request head is capped in bytes and in
//! headers (431 past either), so is the number of connections held at once (503
//! past it), each connection has a thread and an idle timeout, and every
//! response leaves in one write with its length and `TCP_NODELAY` set, so
//! no kept-alive request waits on Nagle's algorithm and a delayed ACK (the
//! 40 ms stall that tiny_http, writing head and body apart, ran into).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::sse::{self, Hub};
use super::store::Store;

/// The largest request head (request line and headers) read: browsers send
/// a few kilobytes; cookies left by other local servers can add more.
pub const MAX_HEAD: usize = 64 * 1024;

/// The most connections held at once (pages, assets and one event stream
/// per open tab). A browser opens about six per site.
pub const MAX_CONNECTIONS: usize = 256;

/// Connections past the limit are answered 503 by at most this many
/// threads at once; past that they are closed unanswered.
const MAX_REFUSING: usize = 16;

/// How long a connection may sit without sending a whole request head.
const IDLE: Duration = Duration::from_secs(30);

const NO_SITE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>No site yet</title></head>\n<body>\n<main><h1>No site yet</h1><p>The site has not built yet. The errors are in the terminal; this page reloads when the site builds.</p></main>\n<script src=\"/__plansite/reload.js\"></script>\n</body>\n</html>\n";

/// What a request asks for, once its path is checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output path, e.g. `decisions/x/index.html`.
    File(String),
    Events,
    Script,
}

/// Why a path is refused.
#[derive(Debug, PartialEq, Eq)]
pub struct BadPath;

/// Decodes and checks a request path (without the query): percent-escapes
/// must be valid UTF-8, and no segment may be `.` or `..`, hold a
/// backslash or NUL, or hide a `/` behind `%2F`.
pub fn target(raw: &str) -> Result<Target, BadPath> {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    match path {
        "/__plansite/events" => return Ok(Target::Events),
        "/__plansite/reload.js" => return Ok(Target::Script),
        _ => {}
    }
    if !path.starts_with('/') {
        return Err(BadPath);
    }
    let mut segments = Vec::new();
    for raw_segment in path[1..].split('/') {
        let segment = percent_decode(raw_segment).ok_or(BadPath)?;
        if segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || segment.starts_with("__")
        {
            return Err(BadPath);
        }
        segments.push(segment);
    }
    Ok(Target::File(segments.join("/")))
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The media type of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "gz" => "application/gzip",
        _ if path.ends_with("_redirects") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// The listening socket and the switch that stops it.
pub struct Server {
    listener: TcpListener,
    stopped: Arc<AtomicBool>,
}

/// Stops a running [`Server`] from another thread (the Ctrl-C handler).
#[derive(Clone)]
pub struct Stopper {
    stopped: Arc<AtomicBool>,
    addr: SocketAddr,
}

impl Stopper {
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wake the accept call, which then sees the switch.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

impl Server {
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
            stopped: Arc::new(AtomicBool::new(false)),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn stopper(&self) -> io::Result<Stopper> {
        let mut addr = self.local_addr()?;
        if addr.ip().is_unspecified() {
            addr.set_ip(if addr.is_ipv4() {
                [127, 0, 0, 1].into()
            } else {
                std::net::Ipv6Addr::LOCALHOST.into()
            });
        }
        Ok(Stopper {
            stopped: self.stopped.clone(),
            addr,
        })
    }

    /// Accepts connections until stopped, each on a thread of its own.
    pub fn run(&self, store: &Arc<Store>, hub: &Arc<Hub>) {
        let open = Arc::new(AtomicUsize::new(0));
        let refusing = Arc::new(AtomicUsize::new(0));
        for stream in self.listener.incoming() {
            if self.stopped.load(Ordering::SeqCst) {
                break;
            }
            let Ok(stream) = stream else {
                // Out of file descriptors, or the client gave up: keep going.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                let Some(place) = Place::take(&refusing, MAX_REFUSING) else {
                    continue;
                };
                std::thread::spawn(move || {
                    let _place = place;
                    refuse(stream);
                });
                continue;
            }
            let place = Place::take(&open, MAX_CONNECTIONS).expect("checked above");
            let store = store.clone();
            let hub = hub.clone();
            std::thread::spawn(move || {
                let _place = place;
                connection(stream, &store, &hub);
            });
        }
    }
}

/// One of a bounded number of places, given back when dropped.
struct Place(Arc<AtomicUsize>);

impl Place {
    fn take(count: &Arc<AtomicUsize>, max: usize) -> Option<Place> {
        count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < max).then_some(n + 1)
            })
            .ok()?;
        Some(Place(count.clone()))
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A request, as far as serve needs to know it.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    pub target: String,
    /// The connection ends after the response: HTTP/1.0, `Connection:
    /// close`, or a body serve does not read.
    pub close: bool,
}

/// What reading a request head gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    Request(Request),
    /// Past [`MAX_HEAD`].
    TooLarge,
    /// Not HTTP/1.x.
    Bad,
    /// The client closed the connection (or went quiet) between requests.
    Closed,
}

/// Headers a request may carry before it is answered 431, like a head
/// past [`MAX_HEAD`]: browsers send about 20.
const MAX_HEADERS: usize = 100;

/// Reads one request head, never more than [`MAX_HEAD`] bytes, and parses
/// it with `httparse`. Only the head's own bytes are consumed, so a
/// pipelined request stays in the reader for the next call.
pub fn read_head(reader: &mut impl BufRead) -> Head {
    let mut head: Vec<u8> = Vec::new();
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(_) if head.is_empty() => return Head::Closed,
            Err(_) => return Head::Bad,
        };
        if buf.is_empty() {
            return if head.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                Head::Closed
            } else {
                Head::Bad
            };
        }
        let before = head.len();
        let take = buf.len().min(MAX_HEAD - before);
        head.extend_from_slice(&buf[..take]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&head) {
            Ok(httparse::Status::Complete(len)) => {
                reader.consume(len - before);
                return interpret(&request);
            }
            Ok(httparse::Status::Partial) => {
                reader.consume(take);
                if head.len() >= MAX_HEAD {
                    return Head::TooLarge;
                }
            }
            Err(httparse::Error::TooManyHeaders) => return Head::TooLarge,
            Err(_) => return Head::Bad,
        }
    }
}

/// What serve needs of a parsed head: the method, the target and whether
/// the connection ends after the answer.
fn interpret(request: &httparse::Request) -> Head {
    let (Some(method), Some(target), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Head::Bad;
    };
    let mut close = version == 0;
    for header in request.headers.iter() {
        let Ok(value) = std::str::from_utf8(header.value) else {
            return Head::Bad;
        };
        let value = value.trim();
        if header.name.eq_ignore_ascii_case("connection") {
            for token in value.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    close = true;
                } else if token.eq_ignore_ascii_case("keep-alive") && version == 0 {
                    close = false;
                }
            }
        } else if (header.name.eq_ignore_ascii_case("content-length") && value != "0")
            || header.name.eq_ignore_ascii_case("transfer-encoding")
        {
            // A body is never read: end the connection after the answer
            // rather than take the body for the next request.
            close = true;
        }
    }
    Head::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        close,
    })
}

/// A whole response, written in one go.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Arc<Vec<u8>>,
}

impl Response {
    fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// The bytes on the wire: head and body in one buffer.
    pub fn to_bytes(&self, head_only: bool, close: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + if head_only { 0 } else { self.body.len() });
        let _ = write!(
            out,
            "HTTP/1.1 {} {}\r\nContent-Length: {}\r\n",
            self.status,
            reason(self.status),
            self.body.len()
        );
        for (name, value) in &self.headers {
            let _ = write!(out, "{name}: {value}\r\n");
        }
        if close {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !head_only {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Serves one connection: requests in turn until it closes, goes idle or
/// asks for the event stream.
fn connection(stream: TcpStream, store: &Store, hub: &Arc<Hub>) {
    // Each response is one write; without this, the kernel would hold a
    // small one back until the previous one is acknowledged.
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(IDLE));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(Timed::new(stream, IDLE));
    loop {
        // A head must arrive whole within IDLE, however slowly it trickles.
        reader.get_mut().deadline = Instant::now() + IDLE;
        let request = match read_head(&mut reader) {
            Head::Request(r) => r,
            Head::Closed => return,
            Head::TooLarge => {
                let r = text(431, "the request head is too large\n");
                let _ = writer.write_all(&r.to_bytes(false, true));
                linger(writer, reader);
                return;
            }
            Head::Bad => {
                let r = text(400, "bad request\n");
                let _ = writer.write_all(&r.to_bytes(false, true));
                linger(writer, reader);
                return;
            }
        };
        let head_only = request.method == "HEAD";
        let response = match answer(&request, store) {
            Answer::Events => {
                sse::stream(hub, writer);
                return;
            }
            Answer::Response(r) => r,
        };
        if writer
            .write_all(&response.to_bytes(head_only, request.close))
            .is_err()
            || request.close
        {
            let _ = writer.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// Answers a connection past the limit: reads what it sent (briefly), says
/// 503 and closes.
fn refuse(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(Timed::new(stream, Duration::from_secs(1)));
    let _ = read_head(&mut reader);
    let r = text(503, "too many connections; try again in a moment\n").header("Retry-After", "1");
    let _ = writer.write_all(&r.to_bytes(false, true));
    linger(writer, reader);
}

/// Closes after an error answer without losing it: a close with unread
/// bytes waiting would reset the connection, and the client could lose
/// the answer. What is still coming is read (up to 1 MiB, for 2 s at most)
/// and dropped.
fn linger(writer: TcpStream, mut reader: BufReader<Timed>) {
    let _ = writer.shutdown(Shutdown::Write);
    reader.get_mut().deadline = Instant::now() + Duration::from_secs(2);
    let _ = io::copy(&mut reader.by_ref().take(1 << 20), &mut io::sink());
}

/// A socket whose reads fail once a deadline has passed, so that a client
/// sending a byte now and then cannot hold a connection for ever.
struct Timed {
    stream: TcpStream,
    deadline: Instant,
}

impl Timed {
    fn new(stream: TcpStream, within: Duration) -> Timed {
        Timed {
            stream,
            deadline: Instant::now() + within,
        }
    }
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

enum Answer {
    Response(Response),
    Events,
}

/// The answer to one request.
fn answer(request: &Request, store: &Store) -> Answer {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Answer::Response(
            text(405, "only GET and HEAD are served\n").header("Allow", "GET, HEAD"),
        );
    }
    let url = request.target.as_str();
    Answer::Response(match target(url) {
        Err(BadPath) => text(400, "bad request path\n"),
        Ok(Target::Events) => return Answer::Events,
        Ok(Target::Script) => bytes(
            200,
            Arc::new(sse::RELOAD_JS.as_bytes().to_vec()),
            "text/javascript; charset=utf-8",
        ),
        Ok(Target::File(rel)) => file_response(url, &rel, store),
    })
}

fn file_response(url: &str, rel: &str, store: &Store) -> Response {
    let wanted = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(file) = store.get(&wanted) {
        return bytes(200, file.bytes.clone(), content_type(&wanted))
            .header("X-Plansite-Generation", file.generation.to_string());
    }
    if !rel.is_empty() && !rel.ends_with('/') && store.contains(&format!("{rel}/index.html")) {
        // A folder: send the browser to its address with a slash, so the
        // page's relative links resolve.
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let query = &url[path.len()..];
        return text(308, "moved\n").header("Location", format!("{path}/{query}"));
    }
    match store.get("404.html") {
        Some(page) => bytes(404, page.bytes.clone(), "text/html; charset=utf-8"),
        // No site yet (the first build failed): a page that shows the
        // errors and turns into the site once it builds.
        None => bytes(
            404,
            Arc::new(NO_SITE.as_bytes().to_vec()),
            "text/html; charset=utf-8",
        ),
    }
}

fn bytes(status: u16, body: Arc<Vec<u8>>, kind: &str) -> Response {
    Response {
        status,
        headers: vec![
            ("Content-Type", kind.to_string()),
            ("Cache-Control", "no-store".to_string()),
            ("X-Content-Type-Options", "nosniff".to_string()),
        ],
        body,
    }
}

fn text(status: u16, body: &str) -> Response {
    bytes(
        status,
        Arc::new(body.as_bytes().to_vec()),
        "text/plain; charset=utf-8",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_and_checked() {
        assert_eq!(target("/"), Ok(Target::File(String::new())));
        assert_eq!(
            target("/decisions/004-2014/?x=1"),
            Ok(Target::File("decisions/004-2014/".into()))
        );
        assert_eq!(target("/a%20b.html"), Ok(Target::File("a b.html".into())));
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/decisions/..%2f..%2fCargo.toml",
            "/decisions%2f..%2f..%2fCargo.toml",
            "/a/./b",
            "/a%5c..%5cb",
            "/%00",
            "/%zz",
            "/%ff",
            "/__plansite/other",
            "relative",
        ] {
            assert_eq!(target(bad), Err(BadPath), "{bad}");
        }
        assert_eq!(target("/__plansite/events"), Ok(Target::Events));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("style.0123456789.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("records.json"), "application/json");
        assert_eq!(content_type("logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("_redirects"), "text/plain; charset=utf-8");
    }

    #[test]
    fn request_heads_are_read_within_the_limit() {
        let head = |raw: &str| read_head(&mut io::Cursor::new(raw.as_bytes().to_vec()));
        assert_eq!(
            head("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"),
            Head::Request(Request {
                method: "GET".into(),
                target: "/a".into(),
                close: false
            })
        );
        let close = |raw: &str| match head(raw) {
            Head::Request(r) => r.close,
            other => panic!("{other:?}"),
        };
        assert!(close("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
        assert!(close("GET / HTTP/1.0\r\n\r\n"));
        assert!(!close("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        assert!(close("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"));
        assert!(!close("\r\nGET / HTTP/1.1\nHost: x\n\n"));
        assert_eq!(head(""), Head::Closed);
        assert_eq!(head("GET / HTTP/1.1\r\nHost"), Head::Bad);
        assert_eq!(head("GET / SPDY/3\r\n\r\n"), Head::Bad);
        assert_eq!(head("GET /\r\n\r\n"), Head::Bad);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(head(&big), Head::TooLarge);
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(MAX_HEAD / 4));
        assert_eq!(head(&many), Head::TooLarge);
        let counted = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS + 1)
        );
        assert!(counted.len() < MAX_HEAD);
        assert_eq!(head(&counted), Head::TooLarge);
        assert_eq!(head("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"), Head::Bad);
    }

    #[test]
    fn a_pipelined_request_is_left_for_the_next_read() {
        let raw = b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n";
        // A tiny buffer, so the heads arrive in many reads.
        let mut reader = BufReader::with_capacity(7, io::Cursor::new(raw.to_vec()));
        let target = |h: Head| match h {
            Head::Request(r) => (r.target, r.close),
            other => panic!("{other:?}"),
        };
        assert_eq!(target(read_head(&mut reader)), ("/a".to_string(), false));
        assert_eq!(target(read_head(&mut reader)), ("/b".to_string(), true));
        assert_eq!(read_head(&mut reader), Head::Closed);
    }

    #[test]
    fn a_head_sent_byte_by_byte_still_has_a_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(Timed::new(server, Duration::from_millis(200)));
        let trickle = std::thread::spawn(move || {
            // Far slower than any browser, and never finished.
            for b in b"GET / HTTP/1.1\r\nX: ".iter().cycle().take(100) {
                if client.write_all(&[*b]).is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        assert_eq!(read_head(&mut reader), Head::Bad);
        drop(reader);
        trickle.join().unwrap();
    }

    #[test]
    fn a_response_is_one_buffer_with_its_length() {
        let r = text(404, "gone\n");
        let wire = String::from_utf8(r.to_bytes(false, false)).unwrap();
        assert!(wire.starts_with("HTTP/1.1 404 Not Found\r\nContent-Length: 5\r\n"));
        assert!(wire.ends_with("\r\n\r\ngone\n"));
        let head = String::from_utf8(r.to_bytes(true, true)).unwrap();
        assert!(head.contains("Content-Length: 5\r\n"));
        assert!(head.ends_with("Connection: close\r\n\r\n"));
    }
}
