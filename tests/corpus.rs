//! The benchmark corpus, small: generate 50 decision notices with the
//! benchmark's generator (`benches/gen_corpus.py`, python3), build them as
//! `benches/build_bench.sh` does, and check that every notice became its
//! page, its list entries and its record. The benchmark times the same
//! build at 1,000 and 10,000 records; this test keeps it from breaking
//! silently. Needs python3 on PATH.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_plansite");
const N: usize = 50;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What the generator wrote for one notice, read back from its front matter.
#[derive(Debug)]
struct Notice {
    title: String,
    number: String,
    officer: String,
    officer_role: String,
    category: String,
    /// Paragraph numbers written as `**N.**` in the body.
    paragraphs: Vec<u32>,
}

fn generate(dir: &Path) {
    let status = Command::new("python3")
        .arg(repo().join("benches/gen_corpus.py"))
        .args(["--format", "plain", "--n", &N.to_string(), "--out"])
        .arg(dir)
        .arg("--force")
        .status()
        .expect("python3 runs the corpus generator (install python3)");
    assert!(status.success(), "the corpus generator failed");
    std::fs::copy(
        repo().join("benches/corpus-site.yaml"),
        dir.join("content/site.yaml"),
    )
    .unwrap();
}

fn field(front: &str, name: &str) -> String {
    let prefix = format!("{name}: ");
    let line = front
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no `{name}` in\n{front}"));
    line.trim().trim_matches('"').to_string()
}

fn notices(dir: &Path) -> Vec<Notice> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir.join("content/decisions")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let (front, body) = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .expect("front matter");
        let paragraphs = body
            .lines()
            .filter_map(|l| l.strip_prefix("**")?.split_once(".**")?.0.parse().ok())
            .collect();
        out.push(Notice {
            title: field(front, "title"),
            number: field(front, "number"),
            officer: field(front, "officer"),
            officer_role: field(front, "officer_role"),
            category: field(front, "category"),
            paragraphs,
        });
    }
    out
}

fn text_of(html: &Html, selector: &str) -> Vec<String> {
    let s = Selector::parse(selector).unwrap();
    html.select(&s)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn page(out: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

#[test]
fn the_benchmark_corpus_builds_every_notice() {
    let corpus = tempfile::tempdir().unwrap();
    generate(corpus.path());
    let notices = notices(corpus.path());
    assert_eq!(notices.len(), N);

    let out = corpus.path().join("public");
    let o = Command::new(BIN)
        .args(["build", "--timings", "--root"])
        .arg(corpus.path())
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(stderr.trim().is_empty(), "no errors or warnings: {stderr}");
    assert!(
        stdout.contains(&format!("pages from {N} records")),
        "{stdout}"
    );
    // The benchmark reads these lines.
    for phase in ["load", "parse", "link", "render", "search", "exports"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.trim_start().starts_with(phase) && l.trim_end().ends_with(" ms")),
            "--timings reports `{phase}`: {stdout}"
        );
    }

    let list = std::fs::read_to_string(out.join("decisions/index.html")).unwrap();
    for n in &notices {
        let slug = n.number.replace('/', "-");
        let html = page(&out, &format!("decisions/{slug}/index.html"));
        assert_eq!(text_of(&html, "main h1"), vec![n.title.clone()]);
        let facts = text_of(&html, "main dd").join("\n");
        assert!(facts.contains(&n.number), "{slug}: number in {facts}");
        assert!(
            facts.contains(&format!("{}, {}", n.officer, n.officer_role)),
            "{slug}: contact officer in {facts}"
        );
        assert!(facts.contains(&n.category), "{slug}: category in {facts}");
        // Every `**N.**` became an addressable paragraph, in order.
        let anchors: Vec<String> = Selector::parse("p.numbered-paragraph")
            .map(|s| {
                html.select(&s)
                    .filter_map(|e| e.value().id().map(str::to_string))
                    .collect()
            })
            .unwrap();
        let expected: Vec<String> = n.paragraphs.iter().map(|p| format!("para-{p}")).collect();
        assert!(
            expected.len() >= 5,
            "{slug}: the corpus numbers 5-15 paragraphs"
        );
        assert_eq!(anchors, expected, "{slug}");
        assert!(
            list.contains(&format!("decisions/{slug}/\"")),
            "the decisions list links {slug}"
        );
    }

    // The browse index by year holds them all too.
    let years: usize = std::fs::read_dir(out.join("browse/decision"))
        .unwrap()
        .map(|y| {
            let html = page(&y.unwrap().path(), "index.html");
            text_of(&html, "main li a").len()
        })
        .sum();
    assert_eq!(years, N);

    let records: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("records.json")).unwrap()).unwrap();
    let numbers: BTreeSet<&str> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "decision")
        .map(|r| r["number"].as_str().unwrap())
        .collect();
    let expected: BTreeSet<&str> = notices.iter().map(|n| n.number.as_str()).collect();
    assert_eq!(numbers, expected);
}

#[test]
fn the_generator_in_the_repository_is_the_shared_one() {
    // benches/ keeps a copy so that a fresh clone can run the benchmark; it
    // must stay the generator the peers' figures were measured with.
    let shared = repo().join("../shared/bench/gen_corpus.py");
    let Ok(theirs) = std::fs::read(&shared) else {
        eprintln!("{} is not here; nothing to compare", shared.display());
        return;
    };
    let ours = std::fs::read(repo().join("benches/gen_corpus.py")).unwrap();
    assert!(
        ours == theirs,
        "benches/gen_corpus.py differs from {}",
        shared.display()
    );
}

#[test]
fn a_notice_that_names_its_officer_twice_is_an_error() {
    let corpus = tempfile::tempdir().unwrap();
    generate(corpus.path());
    let file = corpus.path().join("content/decisions/decision-2010-003.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let text = text.replacen(
        "officer:",
        "contact_officer:\n  name: Someone Else\nofficer:",
        1,
    );
    std::fs::write(&file, text).unwrap();
    let o = Command::new(BIN)
        .args(["check", "--root"])
        .arg(corpus.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("gives its contact officer twice")
            && stderr.contains("decision-2010-003.md:8:"),
        "{stderr}"
    );
}

#[test]
fn a_rebuild_publishes_an_edit_that_keeps_the_file_length() {
    // The write links files unchanged since the previous output instead of
    // writing them; an edit of the same length must still be published.
    let corpus = tempfile::tempdir().unwrap();
    generate(corpus.path());
    let out = corpus.path().join("public");
    let build = || {
        let o = Command::new(BIN)
            .args(["build", "--root"])
            .arg(corpus.path())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    build();
    let page = out.join("decisions/2-2010/index.html");
    let before = std::fs::read_to_string(&page).unwrap();
    let untouched = std::fs::read(out.join("decisions/3-2010/index.html")).unwrap();

    let file = corpus.path().join("content/decisions/decision-2010-002.md");
    let text = std::fs::read_to_string(&file).unwrap();
    let officer = field(&text, "officer");
    let renamed: String = officer.chars().rev().collect();
    std::fs::write(&file, text.replace(&officer, &renamed)).unwrap();
    build();

    let after = std::fs::read_to_string(&page).unwrap();
    assert_eq!(after.len(), before.len());
    assert!(
        after.contains(&renamed) && !after.contains(&officer),
        "the edit is published"
    );
    assert_eq!(
        std::fs::read(out.join("decisions/3-2010/index.html")).unwrap(),
        untouched
    );
}
