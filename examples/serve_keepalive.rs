//! Benchmark (not a test): the latency of kept-alive requests to
//! `plansite serve`, one connection, one request at a time, on loopback.
//!
//!   cargo run --release --example serve_keepalive -- PLANSITE_BIN SITE_ROOT [REQUESTS] [PATH]
//!
//! `benches/keepalive_bench.sh` builds the release binary and runs this on
//! the test fixture site. Every request waits for the whole response before
//! the next one is sent, as a browser does on one connection; the figures
//! printed are the median and the 99th percentile over all requests.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: serve_keepalive PLANSITE_BIN SITE_ROOT [REQUESTS] [PATH]");
        std::process::exit(2);
    }
    let requests: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(1000);
    let path = args.get(4).map(String::as_str).unwrap_or("/about/");

    let mut child = Command::new(&args[1])
        .args(["serve", "--port", "0", "--root", &args[2]])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start plansite");
    let stdout = child.stdout.take().unwrap();
    let _guard = Killed(child);
    let mut lines = BufReader::new(stdout).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .expect("serve stopped before it started")
            .unwrap();
        if let Some(url) = line.strip_prefix("Serving at ") {
            let url = url.split_whitespace().next().unwrap();
            break url
                .trim_end_matches('/')
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    // Keep reading serve's output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let mut latencies = Vec::with_capacity(requests);
    let mut bytes = 0;
    for _ in 0..requests {
        let started = Instant::now();
        writer.write_all(request.as_bytes()).unwrap();
        bytes += read_response(&mut reader);
        latencies.push(started.elapsed());
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = latencies.len();
    println!(
        "{n} kept-alive requests for {path} ({} bytes each) on one connection: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        bytes / n,
        ms(latencies[n / 2]),
        ms(latencies[(n * 99 / 100).min(n - 1)]),
        ms(latencies[n - 1]),
    );
}

/// Reads one response (a fixed length or chunked body); returns the body's
/// size. Panics on anything but 200.
fn read_response(reader: &mut BufReader<TcpStream>) -> usize {
    let mut status = String::new();
    reader.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status:?}");
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = Some(value.trim().parse::<usize>().unwrap()),
            "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    if let Some(n) = length {
        let mut body = vec![0; n];
        reader.read_exact(&mut body).unwrap();
        return n;
    }
    assert!(chunked, "neither a length nor chunks");
    let mut total = 0;
    loop {
        let mut size = String::new();
        reader.read_line(&mut size).unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk).unwrap();
        total += n;
        if n == 0 {
            return total;
        }
    }
}
