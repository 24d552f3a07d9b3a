//! Benchmark (not a test): the time from saving one record to the reload
//! event for its page arriving on the event stream of `plansite serve`.
//!
//!   cargo run --release --example serve_latency -- PLANSITE_BIN SITE_ROOT [EDITS]
//!
//! `benches/serve_bench.sh` makes the 10,000-record corpus and runs this.
//! Each edit rewrites one decision (a different one each time, so no
//! cache helps) by writing a temporary file and renaming it over the
//! record, as editors do, then waits for the `reload` event naming the
//! decision's page. The figure includes the watcher's debounce.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
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
        eprintln!("usage: serve_latency PLANSITE_BIN SITE_ROOT [EDITS]");
        std::process::exit(2);
    }
    let bin = &args[1];
    let root = PathBuf::from(&args[2]);
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(20);

    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--timings", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("cannot start plansite");
    let stdout = child.stdout.take().unwrap();
    let _guard = Killed(child);
    let (tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let port: u16 = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(600))
            .expect("serve did not start");
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
        println!("serve: {line}");
    };
    println!(
        "first build and serving: {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    write!(
        writer,
        "GET /__plansite/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(stream);
    wait_for(&mut events, "hello", "");

    let decisions = root.join("content/decisions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&decisions)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let step = (files.len() / edits.max(1)).max(1);
    let mut latencies = Vec::new();
    for (i, file) in files.iter().step_by(step).take(edits).enumerate() {
        let page = page_of(file);
        // Let the previous rebuild's search and data phase finish, as it
        // would between two saves by a person.
        std::thread::sleep(Duration::from_millis(1500));
        while lines.try_recv().is_ok() {}
        let text = std::fs::read_to_string(file).unwrap();
        let edited = format!("{text}\nEdited for the benchmark, run {i}.\n");
        let temp = file.with_file_name(format!(
            ".{}.tmp",
            file.file_name().unwrap().to_string_lossy()
        ));
        let saved = Instant::now();
        std::fs::write(&temp, edited).unwrap();
        std::fs::rename(&temp, file).unwrap();
        wait_for(&mut events, "reload", &page);
        let latency = saved.elapsed();
        latencies.push(latency);
        std::fs::write(file, text).unwrap();
        let mut phases = String::new();
        while let Ok(line) = lines.recv_timeout(Duration::from_millis(300)) {
            if line.trim_start().starts_with("pages (ms)") {
                phases = line.trim().to_string();
                break;
            }
        }
        println!(
            "edit {:>2} {page}: {:>6.1} ms  [{phases}]",
            i + 1,
            latency.as_secs_f64() * 1000.0
        );
        // The restore above triggers a rebuild of its own; wait for it.
        wait_for(&mut events, "reload", &page);
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = latencies.len();
    println!(
        "save → reload event over {n} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        ms(latencies[n / 2]),
        ms(latencies[0]),
        ms(latencies[n - 1])
    );
}

/// `content/decisions/decision-2010-001.md` → the page path in events.
fn page_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let number = text
        .lines()
        .find_map(|l| l.strip_prefix("number: "))
        .expect("a decision with a number")
        .trim()
        .trim_matches('"');
    // Decision numbers become addresses as in `DecisionNumber::slug`.
    let slug = plansite::types::DecisionNumber::new(number)
        .map(|n| n.slug())
        .unwrap_or_else(|| number.to_lowercase().replace('/', "-"));
    format!("decisions/{slug}/index.html")
}

fn wait_for(events: &mut BufReader<TcpStream>, name: &str, needle: &str) {
    let mut current = String::new();
    loop {
        let mut line = String::new();
        if events.read_line(&mut line).expect("reading events") == 0 {
            panic!("the event stream closed");
        }
        let line = line.trim_end();
        if let Some(n) = line.strip_prefix("event: ") {
            current = n.to_string();
        } else if let Some(data) = line.strip_prefix("data: ")
            && current == name
            && data.contains(needle)
        {
            return;
        }
    }
}
