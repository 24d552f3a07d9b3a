//! The search index as a visitor meets it: the fixture site is built, and
//! queries run through the real client (`themes/default/static/search.js`)
//! under node against the written files (`tests/search/query.cjs`).
//!
//! Needs `node` on PATH (Node.js 20, as the browser tests); without it these
//! tests fail, saying so.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_plansite");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(out: &Path, extra: &[&str]) {
    let o = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(root().join("tests/fixtures/site"))
        .arg("--output")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Runs queries through the client; `opts` go before the queries
/// (`--kind metric`, `--no-prefix`).
fn search(site: &Path, opts: &[&str], queries: &[&str]) -> Vec<Value> {
    let o = Command::new("node")
        .arg(root().join("tests/search/query.cjs"))
        .arg(site)
        .args(opts)
        .args(queries)
        .output()
        .expect("these tests run the search client under node: node was not found on PATH");
    assert!(
        o.status.success(),
        "query.cjs failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn urls(r: &Value) -> Vec<&str> {
    r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["url"].as_str().unwrap())
        .collect()
}

fn site() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    build(out.path(), &[]);
    out
}

#[test]
fn decision_numbers_find_their_decision_first_in_any_form() {
    let out = site();
    let rs = search(
        out.path(),
        &[],
        &[
            "001/2025",
            "1/2025",
            "001-2025",
            "WPCC3-0089",
            "wpcc3-89",
            "wpcc3/0089",
        ],
    );
    for r in &rs[..3] {
        assert_eq!(urls(r)[0], "decisions/001-2025/", "{}", r["query"]);
        assert_eq!(r["results"][0]["number"], "001/2025");
    }
    for r in &rs[3..] {
        assert_eq!(urls(r)[0], "decisions/wpcc3-0089/", "{}", r["query"]);
    }
    // The number is marked where it is shown, not every `2025`.
    let marks = rs[0]["results"][0]["marks"].as_array().unwrap();
    assert!(!marks.iter().any(|m| m == "2025"), "{marks:?}");
}

#[test]
fn words_are_stemmed_ranked_by_title_and_marked() {
    let out = site();
    let rs = search(out.path(), &[], &["burglary", "Burglaries", "burgl"]);
    for r in &rs {
        let u = urls(r);
        assert!(
            u.contains(&"commitments/reduce-burglary/"),
            "{}: {u:?}",
            r["query"]
        );
        // Records with the word in their title come before those with it
        // only in their text.
        let first = &r["results"][0];
        assert!(
            first["title"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("burglar"),
            "{}: {first}",
            r["query"]
        );
    }
    let hit = rs[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["url"] == "commitments/reduce-burglary/")
        .unwrap();
    assert!(
        hit["marks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "burglary"),
        "{hit}"
    );
    // Without prefix matching (a finished word), `burgl` is not a word.
    let exact = search(out.path(), &["--no-prefix"], &["burgl"]);
    assert_eq!(exact[0]["count"], 0);
}

#[test]
fn amounts_as_typed_find_the_grant_row() {
    let out = site();
    // The fixture's 2025/26 table is in £000s: 250 is £250,000.
    let rs = search(out.path(), &[], &["250", "£250", "£250,000"]);
    for r in &rs {
        assert_eq!(
            urls(r)[0],
            "grants/2025-26/target-hardening/",
            "{}",
            r["query"]
        );
    }
}

#[test]
fn the_kind_filter_keeps_only_that_kind() {
    let out = site();
    let all = search(out.path(), &[], &["burglary"]);
    let metrics = search(out.path(), &["--kind", "metric"], &["burglary"]);
    assert!(metrics[0]["count"].as_u64().unwrap() >= 2);
    assert!(metrics[0]["count"].as_u64() < all[0]["count"].as_u64());
    for x in metrics[0]["results"].as_array().unwrap() {
        assert_eq!(x["kind"], "metric", "{x}");
    }
}

#[test]
fn all_words_must_match_and_otherwise_any_are_shown() {
    let out = site();
    let rs = search(
        out.path(),
        &[],
        &[
            "burglary victims",
            "burglary zzzunknownword",
            "zzzunknownword",
            "the and of",
        ],
    );
    assert!(rs[0]["count"].as_u64().unwrap() >= 1);
    assert_eq!(rs[0]["any"], false);
    assert_eq!(rs[1]["any"], true, "{}", rs[1]);
    assert_eq!(rs[2]["count"], 0);
    assert_eq!(rs[3]["count"], 0);
}

#[test]
fn index_urls_are_relative_and_a_query_fetches_few_files() {
    let out = site();
    let rs = search(out.path(), &[], &["burglary"]);
    for x in rs[0]["results"].as_array().unwrap() {
        let u = x["url"].as_str().unwrap();
        assert!(!u.starts_with('/') && !u.contains("://"), "{u}");
        assert!(out.path().join(u).join("index.html").is_file(), "{u}");
    }
    let fetched = rs[0]["fetched"].as_array().unwrap();
    assert_eq!(fetched[0]["path"], "search/manifest.json");
    let files = std::fs::read_dir(out.path().join("search"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(files, 1, "one hashed index folder");
    let manifest = std::fs::read_to_string(out.path().join("search/manifest.json")).unwrap();
    assert!(!manifest.contains("://") && !manifest.contains("\"/"));
}

/// Every file under search/ (and every other output file, lowercased, so a
/// stemmed or lowercased canary is caught too).
fn text_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            out.push((
                e.path().to_path_buf(),
                String::from_utf8_lossy(&bytes).to_lowercase(),
            ));
        }
    }
    out
}

#[test]
fn drafts_and_confidential_bodies_never_reach_the_index() {
    let out = site();
    let files = text_files(out.path());
    assert!(
        files
            .iter()
            .any(|(p, _)| p.ends_with("search/manifest.json"))
    );
    // Stems of the canaries are prefixes of them, so a prefix finds both.
    for (path, text) in &files {
        for canary in ["canaryconfidenti", "canarydraft"] {
            assert!(!text.contains(canary), "{canary} in {}", path.display());
        }
    }
    let rs = search(
        out.path(),
        &[],
        &["CANARYCONFIDENTIALWORD", "CANARYDRAFTWORD", "wardens"],
    );
    for r in &rs {
        // Not found as typed: nothing, or only the records of the nearest
        // word the index has (a typo correction), never the word itself.
        let corrected = r["corrections"].as_array().is_some_and(|c| !c.is_empty());
        assert!(r["count"] == 0 || corrected, "{r}");
    }
    // The check can fail: with --drafts the draft's canary is indexed, and
    // found; the confidential body still is not.
    let with_drafts = tempfile::tempdir().unwrap();
    build(with_drafts.path(), &["--drafts"]);
    let search_files = text_files(&with_drafts.path().join("search"));
    assert!(
        search_files.iter().any(|(_, t)| t.contains("canarydraft")),
        "--drafts should index the draft"
    );
    assert!(
        !search_files
            .iter()
            .any(|(_, t)| t.contains("canaryconfidenti"))
    );
    let rs = search(with_drafts.path(), &[], &["CANARYDRAFTWORD"]);
    assert_eq!(urls(&rs[0]), ["decisions/004-2025/"]);
}

/// The page shows about 240 characters of a snippet: from its start, or a
/// little before the first match when that is further in.
#[test]
fn a_long_snippet_is_shown_around_its_first_match() {
    let script = r#"
const api = require(process.argv[1]);
const words = Array.from({ length: 80 }, (_, i) => 'word' + i);
words[40] = 'burglary';
const text = words.join(' ');
const q = api.parseQuery('burglary');
const late = api.around(text, api.highlights(text, q, false), api.SNIPPET_SHOWN);
const early = api.around(text, api.highlights(text, api.parseQuery('word2'), false), api.SNIPPET_SHOWN);
process.stdout.write(JSON.stringify({ late, early }));
"#;
    let o = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(root().join("themes/default/static/search.js"))
        .output()
        .expect("node");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let late = v["late"]["text"].as_str().unwrap();
    assert!(late.starts_with('…') && late.ends_with('…'), "{late}");
    assert!(late.chars().count() <= 242, "{late}");
    let r = &v["late"]["ranges"][0];
    let (a, b) = (
        r[0].as_u64().unwrap() as usize,
        r[1].as_u64().unwrap() as usize,
    );
    let chars: Vec<char> = late.chars().collect();
    assert_eq!(chars[a..b].iter().collect::<String>(), "burglary");
    let early = v["early"]["text"].as_str().unwrap();
    assert!(
        early.starts_with("word0 word1 word2 ") && early.ends_with('…'),
        "{early}"
    );
}

/// A match near the end of a stored snippet still gets a full window.
#[test]
fn a_match_near_the_end_of_a_snippet_fills_the_window() {
    let script = r#"
const api = require(process.argv[1]);
const words = Array.from({ length: 80 }, (_, i) => 'word' + i);
words[77] = 'custody';
const text = words.join(' ') + '…';
const w = api.around(text, api.highlights(text, api.parseQuery('custody'), false), api.SNIPPET_SHOWN);
process.stdout.write(JSON.stringify(w));
"#;
    let o = Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(root().join("themes/default/static/search.js"))
        .output()
        .expect("node");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with('…') && text.ends_with("word79…"), "{text}");
    assert!(text.chars().count() > 200, "{text}");
    assert_eq!(v["ranges"].as_array().unwrap().len(), 1);
}

/// The West Midlands site (content/ in this repository), built.
fn west_midlands() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(root())
        .arg("--output")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// tests/search/relevance.tsv: queries a member of the public might type
/// (spelling and spacing variants, typos, plurals, acronyms, synonyms,
/// names, amounts in other units, topics, exact numbers and titles), each
/// with the record that must be in the first five (or first) results.
#[test]
fn the_west_midlands_relevance_queries_all_pass() {
    let out = west_midlands();
    let o = Command::new("node")
        .arg(root().join("tests/search/relevance.cjs"))
        .arg(out.path())
        .output()
        .expect("node");
    let report = String::from_utf8_lossy(&o.stdout);
    eprintln!("{report}");
    assert!(
        o.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(report.contains("success@5 97/97"), "{report}");
}

#[test]
fn a_typo_is_corrected_to_a_word_of_the_index_and_said() {
    let out = west_midlands();
    let rs = search(out.path(), &[], &["burglery", "domestc abuse", "zzzqqqxxx"]);
    assert_eq!(rs[0]["corrected"], "burglary", "{}", rs[0]);
    assert!(rs[0]["count"].as_u64().unwrap() >= 5);
    assert_eq!(rs[1]["corrected"], "domestic abuse", "{}", rs[1]);
    assert_eq!(rs[2]["count"], 0);
    assert_eq!(rs[2]["corrected"], Value::Null);
    // A query for what is there is never corrected.
    let exact = search(out.path(), &[], &["burglary"]);
    assert_eq!(exact[0]["corrected"], Value::Null);
}

#[test]
fn no_snippet_is_punctuation_alone_and_a_commitment_shows_no_lone_full_stop() {
    let out = west_midlands();
    let rs = search(
        out.path(),
        &[],
        &["burglary", "PCSO", "police", "fraud", "knife crime"],
    );
    for r in &rs {
        for x in r["results"].as_array().unwrap() {
            let shown = x["shown"].as_str().unwrap();
            assert!(
                shown.is_empty() || shown.chars().any(char::is_alphanumeric),
                "{}: {} shows {shown:?}",
                r["query"],
                x["url"]
            );
        }
    }
    let hit = rs[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["url"] == "commitments/reduce-acquisitive-crime/")
        .unwrap();
    assert_eq!(hit["shown"], "", "{hit}");
}

#[test]
fn a_metric_snippet_reads_as_the_plan_does_lead_in_before_the_item() {
    // The plan lists business crime types under "Monitor recorded business
    // crime … for:"; each metric's definition is one item ("Burglary").
    let out = west_midlands();
    let rs = search(out.path(), &[], &["business crime burglary"]);
    let hit = rs[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["url"] == "metrics/business-crime-burglary/")
        .unwrap_or_else(|| panic!("no business crime metric: {}", rs[0]));
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        !snippet.starts_with("Burglary Monitor"),
        "the definition runs into the lead-in: {snippet:?}"
    );
    assert!(
        snippet.starts_with("Monitor recorded business crime"),
        "{snippet:?}"
    );
}

#[test]
fn a_site_adds_its_own_synonyms_in_site_yaml() {
    let site = common::copy_fixture();
    let before = tempfile::tempdir().unwrap();
    build_root(site.path(), before.path());
    assert_eq!(
        search(before.path(), &["--no-prefix"], &["housebreaking"])[0]["count"],
        0
    );
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!("{text}search_synonyms:\n  - [housebreaking, burglary]\n"),
    )
    .unwrap();
    let after = tempfile::tempdir().unwrap();
    build_root(site.path(), after.path());
    let r = &search(after.path(), &["--no-prefix"], &["housebreaking"])[0];
    assert!(urls(r).contains(&"commitments/reduce-burglary/"), "{r}");
    // A misspelt field is still an error, not ignored.
    std::fs::write(&yaml, format!("{text}search_synonym:\n  - [a, b]\n")).unwrap();
    let o = common::build(site.path(), after.path());
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("search_synonym"),
        "{}",
        common::stderr(&o)
    );
}

fn build_root(site: &Path, out: &Path) {
    let o = common::build(site, out);
    assert!(o.status.success(), "{}", common::stderr(&o));
}
