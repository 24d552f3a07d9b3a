//! HTTP: answers from the in-memory site. Only paths that name a published
//! file can be served, so nothing outside the output is reachable; requests
//! that try (`..`, encoded slashes) are refused outright.

use std::sync::Arc;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::sse::{self, Hub};
use super::store::Store;

/// Where the reload script and the event stream live; no site page can
/// start with `__`.
pub const INTERNAL: &str = "/__plansite/";

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

/// Answers one request.
pub fn handle(request: Request, store: &Store, hub: &Arc<Hub>) {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r =
            text(405, "only GET and HEAD are served\n").with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(r);
        return;
    }
    let url = request.url().to_string();
    let response = match target(&url) {
        Err(BadPath) => text(400, "bad request path\n"),
        Ok(Target::Events) => {
            sse::stream(hub.clone(), request);
            return;
        }
        Ok(Target::Script) => bytes(
            200,
            sse::RELOAD_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        ),
        Ok(Target::File(rel)) => file_response(&url, &rel, store),
    };
    let _ = request.respond(response);
}

fn file_response(url: &str, rel: &str, store: &Store) -> Response<std::io::Cursor<Vec<u8>>> {
    let wanted = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(file) = store.get(&wanted) {
        return bytes(200, file.bytes.as_ref().clone(), content_type(&wanted)).with_header(header(
            "X-Plansite-Generation",
            &file.generation.to_string(),
        ));
    }
    if !rel.is_empty() && !rel.ends_with('/') && store.contains(&format!("{rel}/index.html")) {
        // A folder: send the browser to its address with a slash, so the
        // page's relative links resolve.
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let query = &url[path.len()..];
        let location = format!("{path}/{query}");
        return text(308, "moved\n").with_header(header("Location", &location));
    }
    match store.get("404.html") {
        Some(page) => bytes(404, page.bytes.as_ref().clone(), "text/html; charset=utf-8"),
        // No site yet (the first build failed): a page that shows the
        // errors and turns into the site once it builds.
        None => bytes(404, NO_SITE.as_bytes().to_vec(), "text/html; charset=utf-8"),
    }
}

fn bytes(status: u16, body: Vec<u8>, kind: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    bytes(
        status,
        body.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
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
}
