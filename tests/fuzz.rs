//! The fuzz run: thousands of damaged variants of real content, each run
//! through the whole pipeline in this process, none of which may panic or
//! hang. The content is the West Midlands site of this repository and the
//! fixture site; each case damages one to three things in one file (byte
//! flips, truncations, duplicated, deleted or swapped lines, inserted YAML,
//! Markdown and reference syntax, huge numbers, control characters).
//!
//! Ignored by `cargo test`; CI runs it with a fixed seed:
//!
//! ```text
//! cargo test --test fuzz -- --ignored --nocapture
//! ```
//!
//! `PLANSITE_FUZZ_CASES` (default 10000), `PLANSITE_FUZZ_SEED`,
//! `PLANSITE_FUZZ_SECONDS` (a bound on the whole run, default 1800: the run
//! stops early and says so), `PLANSITE_FUZZ_CASE_SECONDS` (a case that takes
//! longer is reported as a hang, default 120) and `PLANSITE_FUZZ_CASE` (run
//! one case, to reproduce it) change it.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use plansite::pipeline::{self, Options};

/// A seeded xorshift64*: the same seed gives the same cases everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // SplitMix64 once, so that nearby seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Text an author (or an attacker) might put anywhere.
const SNIPPETS: &[&str] = &[
    // YAML
    "key: value\n",
    "- \n",
    "-\n  - nested\n",
    "  indented: 1\n",
    ": no key\n",
    "id: \n",
    "title:\n",
    "draft: true\n",
    "confidential: true\n",
    "? complex\n: key\n",
    "&anchor [*anchor, *anchor]",
    "a: &a [1, 2]\nb: [*a, *a, *a]\n",
    "!!binary aGVsbG8=",
    "!include /etc/passwd",
    "{[",
    "]}",
    "'unterminated",
    "\"unterminated",
    "\"\\e[31m\\0\\uE000\"",
    "---\n",
    "...\n",
    "\t",
    "%YAML 1.1\n",
    "aliases: [/index.html, ../../etc]\n",
    "related: [\"decision 004/2014\", \"\"]\n",
    "commitments: 5\n",
    "rows: {}\n",
    "unit: \"£m\"\n",
    "stated_total: 1\n",
    // Markdown
    "# Heading\n",
    "## Heading {#dup}\n## Heading {#dup}\n",
    "```\n",
    "~~~\n[[decision 004/2014]]\n",
    "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n",
    "[link](javascript:alert(1))",
    "<script>alert(1)</script>",
    "<!--",
    "**1.** ",
    "**99999999999.** ",
    "1. first\n1. again\n",
    "4294967296. big\n",
    "[^1]\n\n[^1]: note\n",
    "> quote\n",
    "&#xE000;&#x1b;&#0;",
    "`code [[x]]`",
    // References
    "[[decision 004/2014]]",
    "[[decision 004/2014#para-12|paragraph 12]]",
    "[[commitment rebuild-community-policing]]",
    "[[plan 2021-2025#section-1]]",
    "[[grant 2021-22/x]]",
    "[[",
    "]]",
    "[[]]",
    "[[|]]",
    "[[decision ]]",
    "[[decison 004/2014]]",
    "[[panel x#]]",
    "[[decision 004/2014#",
    // Numbers and dates
    "99999999999999999999999999999999999999999",
    "170141183460469231731687303715884105727",
    "-170141183460469231731687303715884105728",
    "1e308",
    "-0",
    "0.0000000000001",
    "1,000,000,000,000,000",
    "-1",
    "2014-02-30",
    "9999-12-31",
    "0000-01-01",
    "2022-Q5",
    // Characters
    "\0",
    "\u{1b}[2J",
    "\u{7}",
    "\r",
    "\u{E000}",
    "\u{E001}",
    "\u{202e}",
    "\u{feff}",
    "é",
    "𝕏",
    // CSV
    "2099-Q1,1,\n",
    ",,,,\n",
    "\"a,b\n",
    "period,value,note,extra\n",
];

/// Figures to put where a number was: past every limit, at the edges of
/// the number types, negative, finely divided.
const NUMBERS: &[&str] = &[
    "99999999999999999999999999999999999999",
    "170141183460469231731687303715884105727",
    "1000000000001",
    "18446744073709551616",
    "4294967296",
    "-1",
    "-0.5",
    "0",
    "0.000000000001",
    "1,000,000,000,000",
];

/// Bytes that are often special somewhere in the pipeline.
const BYTES: &[u8] = b"\0\x1b\n\r\t \"'#:-[]{}|\\`*_<>&,.0123456789\xc3\xe2\xff";

/// One file of a site, as it was.
struct Original {
    rel: String,
    bytes: Vec<u8>,
}

/// A private copy of a site in a temporary folder, and the text files that
/// cases damage.
struct Site {
    name: &'static str,
    dir: tempfile::TempDir,
    files: Vec<Original>,
}

impl Site {
    fn copy(name: &'static str, content: &Path) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(content).unwrap();
            let target = dir.path().join("content").join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                continue;
            }
            let bytes = std::fs::read(entry.path()).unwrap();
            std::fs::write(&target, &bytes).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if [".md", ".yaml", ".csv"].iter().any(|e| rel.ends_with(e)) {
                files.push(Original { rel, bytes });
            }
        }
        Site { name, dir, files }
    }

    fn path_of(&self, rel: &str) -> PathBuf {
        self.dir.path().join("content").join(rel)
    }
}

/// Where a byte offset's line starts and ends.
fn line_bounds(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = bytes[..at]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i + 1);
    (start, end)
}

/// Damages `bytes` once; returns what it did, for the report.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    if bytes.is_empty() {
        bytes.extend_from_slice(rng.pick(SNIPPETS).as_bytes());
        return "filled an empty file".into();
    }
    let at = rng.below(bytes.len());
    match rng.below(12) {
        10 | 11 => {
            // Replace the run of digits nearest after `at` (amounts, dates,
            // decision and paragraph numbers, figures).
            let Some(start) = bytes[at..]
                .iter()
                .position(u8::is_ascii_digit)
                .map(|i| at + i)
                .or_else(|| bytes.iter().position(u8::is_ascii_digit))
            else {
                return "found no number to replace".into();
            };
            let end = bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(bytes.len(), |i| start + i);
            let number = rng.pick(NUMBERS);
            bytes.splice(start..end, number.bytes());
            format!("replaced the number at byte {start} with {number}")
        }
        0 => {
            let bit = 1u8 << rng.below(8);
            bytes[at] ^= bit;
            format!("flipped bit {bit:#04x} at byte {at}")
        }
        1 => {
            let b = *rng.pick(BYTES);
            bytes[at] = b;
            format!("set byte {at} to {b:#04x}")
        }
        2 => {
            bytes.truncate(at);
            format!("truncated at byte {at}")
        }
        3 => {
            let (start, end) = line_bounds(bytes, at);
            let line = bytes[start..end].to_vec();
            let times = if rng.below(8) == 0 { 200 } else { 1 };
            for _ in 0..times {
                bytes.splice(end..end, line.iter().copied());
            }
            format!("repeated the line at byte {start} {times} times")
        }
        4 => {
            let (start, end) = line_bounds(bytes, at);
            bytes.drain(start..end);
            format!("deleted the line at byte {start}")
        }
        5 => {
            let (a_start, a_end) = line_bounds(bytes, at);
            let other = rng.below(bytes.len());
            let (b_start, b_end) = line_bounds(bytes, other);
            if b_start >= a_end {
                let b = bytes[b_start..b_end].to_vec();
                let a = bytes[a_start..a_end].to_vec();
                bytes.splice(b_start..b_end, a);
                bytes.splice(a_start..a_end, b);
            }
            format!("swapped the lines at bytes {a_start} and {b_start}")
        }
        6 | 7 => {
            let snippet = rng.pick(SNIPPETS);
            let (start, _) = line_bounds(bytes, at);
            let place = if rng.below(2) == 0 { start } else { at };
            bytes.splice(place..place, snippet.bytes());
            format!("inserted {snippet:?} at byte {place}")
        }
        8 => {
            // Replace a value: what follows the first `: ` (or `,`) of a line.
            let snippet = rng.pick(SNIPPETS).trim_end_matches('\n');
            let (start, end) = line_bounds(bytes, at);
            let line = &bytes[start..end];
            let value = line
                .windows(2)
                .position(|w| w == b": ")
                .map(|i| i + 2)
                .or_else(|| line.iter().position(|b| *b == b',').map(|i| i + 1));
            match value {
                Some(v) => {
                    let stop = end - usize::from(bytes[end - 1] == b'\n');
                    bytes.splice(start + v..stop, snippet.bytes());
                    format!("replaced the value on the line at byte {start} with {snippet:?}")
                }
                None => {
                    bytes.splice(at..at, snippet.bytes());
                    format!("inserted {snippet:?} at byte {at}")
                }
            }
        }
        _ => {
            let len = rng.below(64.min(bytes.len() - at)) + 1;
            bytes.drain(at..at + len);
            format!("deleted {len} bytes at byte {at}")
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")),
        Err(_) => default,
    }
}

/// What one case came to.
enum Outcome {
    Built,
    Refused,
    Panicked(String),
    /// A built site wrote a character content may not hold.
    Leaked(String),
}

/// Runs the pipeline as `check` and `build` do, rendering the report too.
fn run_case(root: &Path, include_drafts: bool) -> Outcome {
    let options = Options {
        root: root.to_path_buf(),
        include_drafts,
        base_url: None,
        live_reload: false,
    };
    let result = std::panic::catch_unwind(|| {
        let (output, diagnostics) = pipeline::run(&options);
        let _ = pipeline::report(diagnostics);
        output.map(|o| {
            o.files
                .iter()
                .find(|f| {
                    f.path.ends_with(".html")
                        && String::from_utf8_lossy(&f.bytes).contains([
                            '\0',
                            '\u{1b}',
                            plansite::text::PLACEHOLDER_START,
                            plansite::text::PLACEHOLDER_END,
                        ])
                })
                .map(|f| f.path.clone())
        })
    });
    match result {
        Ok(None) => Outcome::Refused,
        Ok(Some(None)) => Outcome::Built,
        Ok(Some(Some(path))) => Outcome::Leaked(path),
        Err(payload) => Outcome::Panicked(
            payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "a panic without a message".into()),
        ),
    }
}

#[test]
#[ignore = "the fuzz run takes minutes: cargo test --test fuzz -- --ignored"]
fn thousands_of_damaged_sites_never_panic_or_hang() {
    let cases = env_number("PLANSITE_FUZZ_CASES", 10_000);
    let seed = env_number("PLANSITE_FUZZ_SEED", 0x005e_ed14);
    let budget = Duration::from_secs(env_number("PLANSITE_FUZZ_SECONDS", 1800));
    let per_case = Duration::from_secs(env_number("PLANSITE_FUZZ_CASE_SECONDS", 120));
    let only = std::env::var("PLANSITE_FUZZ_CASE").ok().map(|v| {
        v.parse::<u64>()
            .expect("PLANSITE_FUZZ_CASE is a case number")
    });

    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sites = [
        Site::copy("west-midlands", &repo.join("content")),
        Site::copy("fixture", &repo.join("tests/fixtures/site/content")),
    ];

    // Cases run on a worker thread, so that one that never ends is reported
    // as a hang instead of stalling the run.
    let (to_worker, jobs) = mpsc::channel::<(PathBuf, bool)>();
    let (to_main, results) = mpsc::channel::<Outcome>();
    std::thread::spawn(move || {
        for (root, drafts) in jobs {
            if to_main.send(run_case(&root, drafts)).is_err() {
                break;
            }
        }
    });
    // Panics are caught and counted; the default hook would print each one.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));

    let started = Instant::now();
    let mut failures: Vec<String> = Vec::new();
    let (mut built, mut refused, mut ran) = (0u64, 0u64, 0u64);
    let mut slowest = (Duration::ZERO, 0u64);
    let mut per_site = [(0u64, Duration::ZERO); 2];
    let range = match only {
        Some(case) => case..case + 1,
        None => 0..cases,
    };
    for case in range {
        if started.elapsed() > budget {
            eprintln!(
                "fuzz: stopped after {ran} cases at the time bound of {}s",
                budget.as_secs()
            );
            break;
        }
        let mut rng = Rng::new(seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        // The West Midlands site takes about ten times as long a case as the
        // fixture: it gets one case in eight, the fixture the rest.
        let which = usize::from(rng.below(8) != 0);
        let site = &sites[which];
        let file = rng.pick(&site.files);
        let mut bytes = file.bytes.clone();
        let what: Vec<String> = (0..rng.below(3) + 1)
            .map(|_| mutate(&mut rng, &mut bytes))
            .collect();
        let drafts = rng.below(4) == 0;
        let path = site.path_of(&file.rel);
        std::fs::write(&path, &bytes).unwrap();
        let case_started = Instant::now();
        to_worker
            .send((site.dir.path().to_path_buf(), drafts))
            .unwrap();
        let describe = || {
            format!(
                "case {case} ({}, {}{}): {}",
                site.name,
                file.rel,
                if drafts { ", --drafts" } else { "" },
                what.join("; ")
            )
        };
        match results.recv_timeout(per_case) {
            Ok(outcome) => {
                let took = case_started.elapsed();
                per_site[which].0 += 1;
                per_site[which].1 += took;
                if took > slowest.0 {
                    slowest = (took, case);
                }
                match outcome {
                    Outcome::Built => built += 1,
                    Outcome::Refused => refused += 1,
                    Outcome::Panicked(message) => {
                        failures.push(format!("{}\n  panicked: {message}", describe()))
                    }
                    Outcome::Leaked(page) => failures.push(format!(
                        "{}\n  built, and {page} holds a NUL, an escape or a placeholder character",
                        describe()
                    )),
                }
            }
            Err(_) => {
                std::panic::set_hook(hook);
                panic!(
                    "{}\n  did not finish within {}s (a hang; PLANSITE_FUZZ_CASE={case} reproduces it)",
                    describe(),
                    per_case.as_secs()
                );
            }
        }
        std::fs::write(&path, &file.bytes).unwrap();
        ran += 1;
        if ran % 1000 == 0 {
            eprintln!(
                "fuzz: {ran} cases in {:.0}s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    std::panic::set_hook(hook);
    let elapsed = started.elapsed();
    eprintln!(
        "fuzz: {ran} cases (seed {seed:#x}) in {:.1}s: {built} built, {refused} refused with errors, {} failed; slowest case {} took {:.2}s",
        elapsed.as_secs_f64(),
        failures.len(),
        slowest.1,
        slowest.0.as_secs_f64()
    );
    for (site, (n, time)) in sites.iter().zip(per_site) {
        eprintln!(
            "  {}: {n} cases, {:.1} ms a case",
            site.name,
            time.as_secs_f64() * 1000.0 / n.max(1) as f64
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed (PLANSITE_FUZZ_CASE=N reproduces one):\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
