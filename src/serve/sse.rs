//! Server-sent events to open pages: which files changed (a page reloads
//! when it is one of them), and whether the site builds (the error
//! overlay). Each browser tab holds one stream, written by its own thread.

use std::io::Write;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::diagnostics::Diagnostic;

/// The client side: plain JavaScript, served only by `serve`.
pub const RELOAD_JS: &str = include_str!("reload.js");

/// How often an idle stream gets a comment, so that a closed tab is noticed.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// Every open stream, and the state a new stream starts with.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Arc<str>>>>,
    /// The `failed` event while the site does not build.
    failure: Mutex<Option<Arc<str>>>,
    generation: Mutex<u64>,
}

impl Hub {
    /// Pages whose bytes changed (output paths, e.g. `decisions/x/index.html`).
    pub fn reload(&self, generation: u64, paths: &[String]) {
        *lock(&self.generation) = generation;
        let event = format_event(
            "reload",
            &json!({"generation": generation, "paths": paths}).to_string(),
        );
        self.send(event);
    }

    /// The site does not build: every page shows the errors.
    pub fn failed(&self, diagnostics: &[Diagnostic]) {
        let errors: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                json!({
                    "location": d.span.as_ref().map(ToString::to_string),
                    "message": d.message,
                    "text": d.render(),
                })
            })
            .collect();
        let event = format_event("failed", &json!({ "errors": errors }).to_string());
        {
            let mut failure = lock(&self.failure);
            // The same errors again (a save that changed nothing they
            // point at): the open pages already show them.
            if failure.as_deref() == Some(&*event) {
                return;
            }
            *failure = Some(event.clone());
        }
        self.send(event);
    }

    /// The site builds again: the overlay goes.
    pub fn fixed(&self) {
        if lock(&self.failure).take().is_some() {
            self.send(format_event("fixed", "{}"));
        }
    }

    /// Ends every stream (on shutdown).
    pub fn close(&self) {
        lock(&self.clients).clear();
    }

    fn send(&self, event: Arc<str>) {
        lock(&self.clients).retain(|c| c.send(event.clone()).is_ok());
    }

    fn subscribe(&self) -> (Receiver<Arc<str>>, Vec<Arc<str>>) {
        let (tx, rx) = mpsc::channel();
        // Under the clients lock, so no event falls between the state sent
        // first and the stream.
        let mut clients = lock(&self.clients);
        let mut first = vec![format_event(
            "hello",
            &json!({"generation": *lock(&self.generation)}).to_string(),
        )];
        first.extend(lock(&self.failure).clone());
        clients.push(tx);
        (rx, first)
    }
}

/// Answers with an event stream on `out`, until the client goes or the
/// server stops. Runs on the connection's own thread.
pub fn stream(hub: &Hub, mut out: impl Write) {
    let (events, first) = hub.subscribe();
    // No length: the stream ends when the connection closes.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
    let mut text = String::from(head);
    for e in first {
        text.push_str(&e);
    }
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let text: Arc<str> = match events.recv_timeout(KEEPALIVE) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => Arc::from(": keepalive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

fn format_event(name: &str, data: &str) -> Arc<str> {
    // `data` is one line of JSON: serde_json escapes newlines in strings.
    Arc::from(format!("event: {name}\ndata: {data}\n\n"))
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
