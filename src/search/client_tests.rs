//! The browser's tokeniser (`themes/default/static/search.js`) must turn
//! words and queries into exactly the terms this crate indexes, or searches
//! silently miss. These tests run the JavaScript under `node` over every
//! line of the real content, every distinct word in it, the Porter suffixes
//! on many stems, and typed queries, and compare with the Rust side.
//!
//! They need `node` on PATH (Node.js 20 is what the browser tests use); when
//! it is missing they fail, saying so.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::tokenize::{
    Clause, Query, Words, chunks, compound_runs, index_terms, parse_number, parse_query, word_runs,
};

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the tokeniser of `script` (a copy of `search.js`) over the input
/// under node.
fn run_js(script: &Path, input: &Value) -> Value {
    const HARNESS: &str = r#"
const api = require(process.argv[1]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const x = JSON.parse(input);
  const clause = (c) => c.kind === 'word' ? ['w', c.term]
    : c.kind === 'number' ? ['n', c.money, c.number, c.pounds] : ['c', c.code, c.words, c.hasDigit, c.joined];
  const out = {
    words: x.words.map((w) => api.wordTerm(w)),
    texts: x.texts.map((t) => api.indexTerms(t.toLowerCase())),
    queries: x.queries.map((q) => {
      const p = api.parseQuery(q);
      return { clauses: p.clauses.map(clause), bonus: p.bonus, joins: p.joins, terms: api.queryTerms(p) };
    }),
  };
  process.stdout.write(JSON.stringify(out));
});
"#;
    let mut child = Command::new("node")
        .arg("-e")
        .arg(HARNESS)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("these tests run search.js under node (Node.js 20): node was not found on PATH");
    let bytes = serde_json::to_vec(input).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "node failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn clause_json(c: &Clause) -> Value {
    match c {
        Clause::Word { term } => json!(["w", term]),
        Clause::Number {
            money,
            number,
            pounds,
        } => json!(["n", money, number, pounds]),
        Clause::Compound {
            code,
            words,
            has_digit,
            joined,
        } => json!(["c", code, words, has_digit, joined]),
    }
}

fn query_json(q: &Query) -> Value {
    json!({
        "clauses": q.clauses.iter().map(clause_json).collect::<Vec<_>>(),
        "bonus": q.bonus,
        "joins": q.joins.iter().map(|(i, t)| json!([i, t])).collect::<Vec<_>>(),
        "terms": q.terms(),
    })
}

/// Every line of every text file under `dir`.
fn lines_under(dir: &Path, out: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            lines_under(&p, out);
        } else if let Ok(text) = std::fs::read_to_string(&p) {
            out.extend(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_owned),
            );
        }
    }
}

/// Words that exercise every branch of the Porter stemmer: stems with each
/// suffix it knows, short words, `y` after vowels and consonants, and
/// letters outside ASCII (the stemmer works on UTF-8 bytes).
fn tricky_words() -> Vec<String> {
    let suffixes = [
        "", "s", "es", "sses", "ies", "ied", "ed", "eed", "ing", "ings", "y", "ly", "ational",
        "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization",
        "ation", "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti",
        "logi", "icate", "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence",
        "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "sion", "tion", "ou",
        "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll", "at", "bl", "iz",
    ];
    let stems = [
        "",
        "a",
        "b",
        "cr",
        "hop",
        "fil",
        "tr",
        "oy",
        "by",
        "sy",
        "condit",
        "relat",
        "gener",
        "fall",
        "hiss",
        "fizz",
        "sk",
        "caf\u{e9}",
        "na\u{ef}v",
        "\u{e9}t\u{e9}",
        "\u{f8}y",
        "\u{3c0}\u{3b1}",
    ];
    let mut out = Vec::new();
    for s in stems {
        for x in suffixes {
            out.push(format!("{s}{x}"));
        }
    }
    for w in [
        "consolatory",
        "knackeries",
        "conspiracy",
        "leeshyy",
        "eing",
        "ion",
        "ies",
        "eds",
        "yyy",
        "y",
        "by",
        "ys",
        "sss",
        "ss",
        "aes",
        "it's",
        "james'",
        "commissioner's",
        "victims'",
        "o'neill",
        "don\u{2019}t",
        "'''",
        "__init__",
        "_",
        "a_b",
        "\u{2019}s",
        "s",
        "caf\u{e9}s",
        "stra\u{df}e",
        "\u{130}stanbul",
        "\u{3a3}\u{39f}\u{3a6}\u{39f}\u{3a3}",
        "\u{1f600}abc\u{1f600}",
        "ab\u{308}cd",
        "0089",
        "004",
        "2014",
        // Irregular forms and American spellings (normalise).
        "knives",
        "children",
        "women",
        "crises",
        "stolen",
        "neighborhoods",
        "behaviors",
        "behavioral",
        "victimization",
        "organizations",
        "prioritizing",
        "analyzed",
        "paralyzes",
        "size",
        "seizing",
        "prizes",
        "citizens",
        "programs",
        "offenses",
        "centers",
        "traveling",
        "\u{e9}tudiz\u{e9}",
        "caf\u{e9}izing",
        "\u{3c0}\u{3b1}\u{3c0}izes",
    ] {
        out.push(w.to_string());
    }
    out
}

/// Where `script`'s tokeniser and the Rust one disagree, with the counts.
fn disagreements(script: &Path) -> (Vec<String>, String) {
    let mut texts = Vec::new();
    lines_under(&crate_root().join("content"), &mut texts);
    lines_under(
        &crate_root().join("tests/fixtures/site/content"),
        &mut texts,
    );
    assert!(
        texts.len() > 1000,
        "only {} lines of content found",
        texts.len()
    );

    // Every distinct word run in the content, and the tricky ones.
    let mut words: BTreeSet<String> = tricky_words().into_iter().collect();
    for t in &texts {
        let lower = t.to_lowercase();
        for c in chunks(&lower) {
            if parse_number(c).is_some() {
                continue;
            }
            match compound_runs(c) {
                Some(runs) => words.extend(runs.into_iter().map(str::to_owned)),
                None => words.extend(word_runs(c).map(str::to_owned)),
            }
        }
    }
    assert!(words.len() > 2000, "only {} distinct words", words.len());
    let words: Vec<String> = words.into_iter().collect();

    let mut queries: Vec<String> = [
        "004/2014",
        "4/2014",
        "004-2014",
        "(ref. 004/2014).",
        "WPCC3-0089",
        "wpcc3-89",
        "PCC-DN 1956",
        "2020-19",
        "£3,863",
        "3,863",
        "3863",
        "£641m",
        "£641 million",
        "641 bn",
        "£1,234.50",
        "12.0",
        "1,2",
        "burglary",
        "The burglary",
        "Burglaries in Coventry",
        "domestic abuse",
        "domestic ab",
        "burgl",
        "rebuild-community-policing",
        "Rebuild community policing",
        "the and of",
        "",
        "   ",
        "“2021–25”",
        "e.g.",
        "night-time economy",
        "Commissioner's decision",
        "victims' code",
        "£",
        "--",
        "café naïve",
        "a b c d e f g h i j",
        // Hyphens and spaces inside words, irregular forms, US spellings.
        "antisocial behaviour",
        "anti-social behavior",
        "anti social behaviour",
        "escooter",
        "e-scooters",
        "e scooter",
        "cyber crime",
        "well-being",
        "co-location",
        "night time economy",
        "knives",
        "neighborhood policing",
        "repeat victimization",
        "commissioner's decision victims' code",
        // Amounts in other units.
        "£3.863m",
        "£3.863 million",
        "3.863m",
        "£400k",
        "£0.5k",
        "£1.2345k",
        "1.5bn",
        "£150 million",
        "£000.5m",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    // Each line of content is a query too (long, but the same rules).
    queries.extend(texts.iter().step_by(3).cloned());
    // Every phrase of the thesaurus, as a query and as text: the index
    // matches them against records by these terms, so a visitor typing
    // one must get the same terms.
    for group in super::thesaurus::default_groups() {
        for phrase in group {
            queries.push(phrase.clone());
            texts.push(phrase);
        }
    }

    let input = json!({"words": words, "texts": texts, "queries": queries});
    let js = run_js(script, &input);

    let mut w = Words::new();
    let mut diffs = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let rust = w.term(word).map(|t| t.to_string());
        let node = js["words"][i].as_str().map(str::to_owned);
        if rust != node {
            diffs.push(format!("word {word:?}: rust {rust:?}, js {node:?}"));
        }
    }
    for (i, text) in texts.iter().enumerate() {
        let mut rust = Vec::new();
        index_terms(&text.to_lowercase(), &mut w, |t| rust.push(t.to_string()));
        let node: Vec<String> = serde_json::from_value(js["texts"][i].clone()).unwrap();
        if rust != node {
            diffs.push(format!("text {text:?}:\n  rust {rust:?}\n  js   {node:?}"));
        }
    }
    for (i, q) in queries.iter().enumerate() {
        let rust = query_json(&parse_query(q, &mut w));
        if rust != js["queries"][i] {
            diffs.push(format!(
                "query {q:?}:\n  rust {rust}\n  js   {}",
                js["queries"][i]
            ));
        }
    }
    let counts = format!(
        "{} words, {} texts and {} queries",
        words.len(),
        texts.len(),
        queries.len()
    );
    (diffs, counts)
}

fn search_js() -> PathBuf {
    crate_root().join("themes/default/static/search.js")
}

#[test]
fn client_tokenises_like_the_index() {
    let (diffs, counts) = disagreements(&search_js());
    assert!(
        diffs.is_empty(),
        "search.js and src/search/tokenize.rs disagree on {} of {counts}:\n{}",
        diffs.len(),
        diffs
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The comparison must be able to fail: a client whose stemmer differs in
/// one rule, or whose money rule does, is caught.
#[test]
fn a_drifted_client_is_caught() {
    let src = std::fs::read_to_string(search_js()).unwrap();
    for (from, to, word) in [
        (
            "if (ends('ational')) r('ate');",
            "if (ends('ational')) r('at');",
            "ational",
        ),
        ("var MONEY_END = '£';", "var MONEY_END = '$';", "£"),
    ] {
        let drifted = src.replacen(from, to, 1);
        assert_ne!(src, drifted, "{from} was not found in search.js");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("search.js");
        std::fs::write(&path, drifted).unwrap();
        let (diffs, _) = disagreements(&path);
        assert!(
            diffs.iter().any(|d| d.contains(word)),
            "a change to {from} went unnoticed"
        );
    }
}
