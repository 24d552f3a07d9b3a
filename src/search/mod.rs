//! The sharded search index the browser queries without a server.
//!
//! Every public record becomes one [`SearchDoc`]; [`build_index`] turns them
//! into files under `search/`:
//!
//! - `search/manifest.json`: small and fetched first: the first term of every
//!   term shard, how result fragments are sharded, the kinds of record (as
//!   runs over document numbers, so the kind filter needs no fragment), the
//!   document count and the format version;
//! - `search/<hash>/t/<n>.json`: term shards, sorted term ranges of about
//!   [`write::SHARD_BYTES`] each: `[["term",[doc,score,gap,score,…]],…]`;
//! - `search/<hash>/f/<n>.json`: result fragments, [`FRAGMENT_DOCS`] records
//!   a file: `[[url,title,number,date,snippet],…]`, fetched only for the
//!   results shown.
//!
//! `<hash>` is a hash of the shards, so they can be cached for ever and a new
//! build never mixes with an old one; only the manifest must be revalidated.
//! URLs in the index are relative to the site root; the client resolves them
//! against the search page's `data-root`, so the site works under any path.
//! Full bodies are never stored: a fragment carries the first words only.
//!
//! The tokeniser ([`tokenize`]) is mirrored in `themes/default/static/search.js`
//! and the two are compared word for word by a test (`client_tests`).

mod index;
pub mod thesaurus;
pub(crate) mod tokenize;
mod write;

#[cfg(test)]
mod client_tests;

use std::io::Write as _;

use rayon::prelude::*;

use crate::hash::Fnv;
use write::{push_str, push_u32};

pub struct SearchDoc<'a> {
    /// Relative to the site root, e.g. `decisions/004-2014/`.
    pub url: &'a str,
    /// The kind's keyword (`decision`), as the kind filter's values.
    pub kind: &'a str,
    pub kind_label: &'a str,
    pub title: &'a str,
    pub number: Option<&'a str>,
    /// ISO date.
    pub date: Option<&'a str>,
    pub ids: &'a [&'a str],
    /// Plain text of the body, in parts that read as one text joined by
    /// spaces; only its first words are stored.
    pub text: &'a [&'a str],
    /// Amounts as people type them (`£3,863`, `3,863`): exact matches.
    pub amounts: &'a [&'a str],
    /// People named in the record's fields (who signed it, wrote it, is
    /// its contact): found like title words.
    pub people: &'a [&'a str],
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    pub files: usize,
    pub total_bytes: u64,
    pub largest_file_bytes: u64,
    /// Gzip bytes of the most a one-word query can fetch (not counting the
    /// client script): the manifest, the largest term shard and a page of
    /// results from the largest fragment shards. A bound, not a typical
    /// figure: `benches/search_bench.sh` measures real queries.
    pub worst_query_gzip_bytes: u64,
}

impl SearchStats {
    /// Whether a one-word query could fetch more than [`QUERY_BUDGET_BYTES`].
    pub fn over_budget(&self) -> bool {
        self.worst_query_gzip_bytes > QUERY_BUDGET_BYTES
    }
}

pub struct SearchOutput {
    pub files: Vec<(String, Vec<u8>)>,
    pub stats: SearchStats,
}

/// PRODUCT.md's target: under 100 kB (gzip) transferred for a one-word query
/// at 10,000 records. The build warns when its bound passes this.
pub const QUERY_BUDGET_BYTES: u64 = 100 * 1000;

/// Bumped whenever the file format changes; the client refuses others.
pub const FORMAT_VERSION: u32 = 1;

/// Records per fragment file. Fragments are about 400 bytes; four to a file
/// keeps one file under 1 kB gzip, so the ten results of a first page cost
/// at most about 9 kB however they are spread (eight to a file cost 15 kB,
/// which left too little of the 30 kB a query may fetch for the client).
pub const FRAGMENT_DOCS: usize = 4;

/// Results on a page of the client; the budget bound assumes this many.
pub const PAGE_RESULTS: usize = 10;

/// A term's postings are cut to its best this many documents: at 10,000
/// records a word in every one still fits one shard of about 20 kB gzip.
/// The client says "at least N results" when it meets a cut list.
pub const MAX_POSTINGS: usize = 10_000;

/// The index with no thesaurus (tests); sites use [`build_index_with`].
#[cfg(test)]
pub fn build_index(docs: &[SearchDoc<'_>]) -> SearchOutput {
    build_index_with(docs, &thesaurus::Thesaurus::default())
}

pub fn build_index_with(docs: &[SearchDoc<'_>], thesaurus: &thesaurus::Thesaurus) -> SearchOutput {
    let refs: Vec<&SearchDoc<'_>> = docs.iter().collect();
    // The result fragments need only the documents: they are written while
    // the terms are indexed.
    let (terms, fragments) = rayon::join(
        || index::build(&refs, MAX_POSTINGS, thesaurus),
        || {
            refs.par_chunks(FRAGMENT_DOCS)
                .map(write::fragments)
                .collect::<Vec<Vec<u8>>>()
        },
    );
    let shards = write::term_shards(&terms, write::SHARD_BYTES);
    drop(terms);

    // The folder's hash reads every byte in turn; the largest files are
    // compressed for the budget bound meanwhile.
    let (hash, (term_gz, fragment_gz)) = rayon::join(
        || {
            use std::hash::Hasher as _;
            let mut hash = Fnv::new();
            for bytes in shards.iter().map(|s| &s.1).chain(&fragments) {
                hash.write(bytes);
                hash.write(b"\n");
            }
            hash
        },
        || {
            rayon::join(
                || largest_gzip(shards.iter().map(|s| &s.1)),
                || largest_gzip(fragments.iter()),
            )
        },
    );
    let dir = format!("i{}", hash.hex());

    let manifest = manifest(docs, &dir, &shards, fragments.len());
    let manifest_gz = gzip_len(&manifest);
    let mut files: Vec<(String, Vec<u8>)> = Vec::with_capacity(1 + shards.len() + fragments.len());
    files.push(("search/manifest.json".to_string(), manifest));
    let fragment_files = fragments.len() as u64;
    for (i, (_, bytes)) in shards.into_iter().enumerate() {
        files.push((format!("search/{dir}/t/{i}.json"), bytes));
    }
    for (i, bytes) in fragments.into_iter().enumerate() {
        files.push((format!("search/{dir}/f/{i}.json"), bytes));
    }
    let stats = SearchStats {
        files: files.len(),
        total_bytes: files.iter().map(|(_, b)| b.len() as u64).sum(),
        largest_file_bytes: files.iter().map(|(_, b)| b.len() as u64).max().unwrap_or(0),
        // The largest fragment file stands for each of a page's fragment files.
        worst_query_gzip_bytes: manifest_gz
            + term_gz
            + fragment_files.min(PAGE_RESULTS as u64) * fragment_gz,
    };
    SearchOutput { files, stats }
}

/// `{"version":1,"docs":N,"dir":"i…/","terms":[first term of each shard],
/// "fragments":{"per":8,"files":K},"kinds":[[kind,label],…],
/// "kindRuns":[kind index,count,…],"maxPostings":M}`
fn manifest(
    docs: &[SearchDoc<'_>],
    dir: &str,
    shards: &[(String, Vec<u8>)],
    fragment_files: usize,
) -> Vec<u8> {
    let mut kinds: Vec<(&str, &str)> = Vec::new();
    let mut runs: Vec<(usize, u32)> = Vec::new();
    for d in docs {
        let k = match kinds.iter().position(|(kind, _)| *kind == d.kind) {
            Some(k) => k,
            None => {
                kinds.push((d.kind, d.kind_label));
                kinds.len() - 1
            }
        };
        match runs.last_mut() {
            Some((last, n)) if *last == k => *n += 1,
            _ => runs.push((k, 1)),
        }
    }
    let mut out = Vec::new();
    let _ = write!(
        out,
        "{{\"version\":{FORMAT_VERSION},\"docs\":{},\"dir\":",
        docs.len()
    );
    push_str(&mut out, &format!("{dir}/"));
    out.extend_from_slice(b",\"terms\":[");
    for (i, (first, _)) in shards.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(&mut out, first);
    }
    let _ = write!(
        out,
        "],\"fragments\":{{\"per\":{FRAGMENT_DOCS},\"files\":{fragment_files}}},\"kinds\":["
    );
    for (i, (kind, label)) in kinds.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_str(&mut out, kind);
        out.push(b',');
        push_str(&mut out, label);
        out.push(b']');
    }
    out.extend_from_slice(b"],\"kindRuns\":[");
    for (i, (k, n)) in runs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_u32(&mut out, *k as u32);
        out.push(b',');
        push_u32(&mut out, *n);
    }
    let _ = write!(out, "],\"maxPostings\":{MAX_POSTINGS}}}");
    out.push(b'\n');
    out
}

/// How many of the largest files (uncompressed) of each kind are gzipped to
/// find the largest compressed one: gzipping every shard would cost a
/// noticeable part of a build, and the largest compressed file is almost
/// always among the largest uncompressed (a list of equal postings is large
/// but compresses to nothing, hence more than one).
const GZIP_CANDIDATES: usize = 16;

/// The gzip size of the largest compressed file among `files`, looking at
/// the [`GZIP_CANDIDATES`] largest uncompressed ones (in parallel).
fn largest_gzip<'a>(files: impl Iterator<Item = &'a Vec<u8>>) -> u64 {
    let mut by_size: Vec<&Vec<u8>> = files.collect();
    by_size.sort_by_key(|b| std::cmp::Reverse(b.len()));
    by_size.truncate(GZIP_CANDIDATES);
    by_size.par_iter().map(|b| gzip_len(b)).max().unwrap_or(0)
}

pub(crate) fn gzip_len(bytes: &[u8]) -> u64 {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = gz.write_all(bytes);
    gz.finish().map_or(0, |v| v.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(url: &'a str, kind: &'a str, title: &'a str, text: &'a str) -> SearchDoc<'a> {
        SearchDoc {
            url,
            kind,
            kind_label: kind,
            title,
            number: None,
            date: None,
            ids: &[],
            text: Box::leak(Box::new([text])),
            amounts: &[],
            people: &[],
        }
    }

    #[test]
    fn manifest_lists_shards_fragments_and_kind_runs() {
        let docs = [
            doc("a/", "decision", "One", "crime"),
            doc("b/", "decision", "Two", "crime"),
            doc("c/", "page", "Three", "crime"),
        ];
        let out = build_index(&docs);
        let (path, bytes) = &out.files[0];
        assert_eq!(path, "search/manifest.json");
        let m: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(m["version"], FORMAT_VERSION);
        assert_eq!(m["docs"], 3);
        assert_eq!(
            m["kinds"],
            serde_json::json!([["decision", "decision"], ["page", "page"]])
        );
        assert_eq!(m["kindRuns"], serde_json::json!([0, 2, 1, 1]));
        assert_eq!(m["fragments"]["files"], 1);
        let dir = m["dir"].as_str().unwrap();
        assert!(
            out.files
                .iter()
                .any(|(p, _)| *p == format!("search/{dir}t/0.json"))
        );
        assert!(
            out.files
                .iter()
                .any(|(p, _)| *p == format!("search/{dir}f/0.json"))
        );
        assert_eq!(out.stats.files, out.files.len());
        assert!(out.stats.worst_query_gzip_bytes > 0 && !out.stats.over_budget());
    }

    #[test]
    fn same_input_same_bytes_and_a_change_moves_the_folder() {
        let a = build_index(&[doc("a/", "page", "One", "crime and policing")]);
        let b = build_index(&[doc("a/", "page", "One", "crime and policing")]);
        assert_eq!(a.files, b.files);
        let c = build_index(&[doc("a/", "page", "One", "crime and policing changed")]);
        assert_ne!(a.files[1].0, c.files[1].0);
    }

    #[test]
    fn the_budget_bound_adds_manifest_largest_term_shard_and_a_page_of_fragments() {
        let texts: Vec<String> = (0..40)
            .map(|i| format!("crime word{i} {}", "policing ".repeat(i)))
            .collect();
        let docs: Vec<SearchDoc> = texts
            .iter()
            .map(|t| doc("a/", "page", "Title", t))
            .collect();
        let out = build_index(&docs);
        // Fewer files than GZIP_CANDIDATES: every one is gzipped.
        let largest = |part: &str| {
            out.files
                .iter()
                .filter(|(p, _)| p.contains(part))
                .map(|(_, b)| gzip_len(b))
                .max()
                .unwrap()
        };
        let fragment_files = out
            .files
            .iter()
            .filter(|(p, _)| p.contains("/f/"))
            .count()
            .min(PAGE_RESULTS) as u64;
        assert_eq!(fragment_files, 10);
        assert_eq!(
            out.stats.worst_query_gzip_bytes,
            gzip_len(&out.files[0].1) + largest("/t/") + fragment_files * largest("/f/")
        );
        let over = SearchStats {
            worst_query_gzip_bytes: QUERY_BUDGET_BYTES + 1,
            ..out.stats
        };
        assert!(over.over_budget() && !out.stats.over_budget());
    }

    #[test]
    fn urls_in_fragments_are_relative() {
        let out = build_index(&[doc("decisions/004-2014/", "decision", "Estates", "text")]);
        let f = out.files.iter().find(|(p, _)| p.contains("/f/")).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&f.1).unwrap();
        assert_eq!(v[0][0], "decisions/004-2014/");
    }
}
