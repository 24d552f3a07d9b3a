//! Documents → one sorted list of terms, each with its postings (document
//! number and a precomputed score).
//!
//! A posting's score is what the client adds up, so the browser needs no
//! document lengths or term statistics:
//!
//! - `EXACT` (1000) if the term is the document's number, one of its ids or
//!   amounts, as typed: an exact number or id match ranks first;
//! - plus `TITLE` (100) if the term is in the title (or the words of the
//!   number or ids);
//! - plus BM25 (k1 = 1.2, b = 0.75) of the term in the body, scaled by
//!   `BM25_SCALE` and rounded to 1..=99 (0 if not in the body);
//! - at least 1 (a term only in the kind label, `decision`, matches but
//!   hardly ranks).
//!
//! A term a document has only through the thesaurus (`asb` in a record
//! that says "anti-social behaviour") scores as a title or body match
//! would, halved ([`SYNONYM_DIVISOR`]), and never as an exact one; names
//! (signatories, authors, contact officers) count as title words.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::hash::BuildHasher;
use std::sync::Arc;

use rayon::prelude::*;

use super::SearchDoc;
use super::thesaurus::Thesaurus;
use super::tokenize::{
    CODE_END, Term, TermHasher, TermMap, Words, code_of, index_and_phrase_terms, index_terms,
    lowercase, phrase_terms,
};

pub(crate) const EXACT: u32 = 1000;
pub(crate) const TITLE: u32 = 100;
/// A synonym match scores this many times less than the match as typed.
pub(crate) const SYNONYM_DIVISOR: u32 = 2;
const BM25_MAX: f64 = 99.0;
/// BM25 of one term is at most about idf × (k1 + 1) ≈ 20 at 10,000
/// documents; ×5 spreads that over 1..=99.
const BM25_SCALE: f64 = 5.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Documents tokenised in parallel at a time: bounds the memory held by
/// per-document term lists before they are merged.
const BATCH: usize = 1024;

/// The merged postings are kept in this many maps, a term's by its hash, so
/// that each is filled by one thread while the others fill theirs.
const MERGE_SHARDS: usize = 64;

fn merge_shard(term: &str) -> u8 {
    // The top bits: the maps themselves bucket by the low ones.
    (std::hash::BuildHasherDefault::<TermHasher>::default().hash_one(term) >> 58) as u8
}

#[derive(Debug, Clone, Copy, Default)]
struct Occurrence {
    tf: u32,
    exact: bool,
    title: bool,
    /// Through the thesaurus: times in the body, and whether in the title.
    syn_tf: u32,
    syn_title: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub doc: u32,
    pub score: u32,
}

#[derive(Debug)]
pub(crate) struct TermPostings {
    pub term: Term,
    /// By document number.
    pub postings: Vec<Posting>,
    /// How many documents have the term; more than `postings.len()` when the
    /// list was cut to the best `max_postings`.
    pub df: usize,
}

/// A document's terms, grouped by merge shard, and its body length in terms.
struct DocTerms {
    /// Sorted by merge shard ([`merge_shard`]).
    terms: Vec<(u8, Term, Occurrence)>,
    /// Where each shard's terms start in `terms`, and the end.
    starts: [u32; MERGE_SHARDS + 1],
    body_len: u32,
}

impl DocTerms {
    fn of_shard(&self, shard: usize) -> &[(u8, Term, Occurrence)] {
        &self.terms[self.starts[shard] as usize..self.starts[shard + 1] as usize]
    }
}

fn doc_terms(doc: &SearchDoc<'_>, words: &mut Words, thesaurus: &Thesaurus) -> DocTerms {
    // Every term comes from `words`, which interns them: its address
    // identifies it, and is much quicker to hash and compare than its text.
    let mut map: TermMap<usize, (Term, Occurrence)> = TermMap::default();
    let mut add = |term: &Term, f: &dyn Fn(&mut Occurrence)| {
        let (_, o) = map
            .entry(Arc::as_ptr(term) as *const u8 as usize)
            .or_insert_with(|| (term.clone(), Occurrence::default()));
        f(o);
    };
    let exact = |o: &mut Occurrence| o.exact = true;
    let title = |o: &mut Occurrence| o.title = true;
    let body = |o: &mut Occurrence| o.tf += 1;
    let meta = |_: &mut Occurrence| {};

    let mut body_len = 0;
    let text = lowercase(&doc.text.join(" "));
    let title_lower = doc.title.to_lowercase();
    let with_thesaurus = !thesaurus.is_empty();
    let mut seq = Vec::new();
    index_and_phrase_terms(
        &text,
        words,
        |t| {
            body_len += 1;
            add(t, &body);
        },
        |t| {
            if with_thesaurus {
                seq.push(t.clone());
            }
        },
    );
    index_terms(&title_lower, words, |t| add(t, &title));
    for name in doc.people {
        index_terms(&name.to_lowercase(), words, |t| add(t, &title));
    }
    if with_thesaurus {
        // The thesaurus's terms are its own: this thread's are looked up.
        thesaurus.expand(&seq, |t, n| {
            add(&words.intern(t), &|o: &mut Occurrence| o.syn_tf += n)
        });
        seq.clear();
        phrase_terms(&title_lower, words, |t| seq.push(t.clone()));
        thesaurus.expand(&seq, |t, _| {
            add(&words.intern(t), &|o: &mut Occurrence| o.syn_title = true)
        });
    }
    index_terms(&doc.kind_label.to_lowercase(), words, |t| add(t, &meta));
    for id in doc.number.iter().chain(doc.ids) {
        let lower = id.to_lowercase();
        match code_of(&lower) {
            // `004/2014`, `pcc-dn 1956`, `reduce-burglary`: the code is the
            // exact match, its words count as title words.
            Some(code) if code.matches(CODE_END).count() > 1 => {
                add(&words.intern(&code), &exact);
                index_terms(&lower, words, |t| add(t, &title));
            }
            // A one-run id or number (`about`, `1956`) is found as a word,
            // and that word is the exact match.
            _ => index_terms(&lower, words, |t| add(t, &exact)),
        }
    }
    for amount in doc.amounts {
        index_terms(&amount.to_lowercase(), words, |t| add(t, &exact));
    }
    let mut terms: Vec<(u8, Term, Occurrence)> = map
        .into_values()
        .map(|(t, o)| (merge_shard(&t), t, o))
        .collect();
    terms.sort_unstable_by_key(|e| e.0);
    let mut starts = [0u32; MERGE_SHARDS + 1];
    for (shard, _, _) in &terms {
        starts[*shard as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    DocTerms {
        terms,
        starts,
        body_len,
    }
}

/// Orders strings as JavaScript does, by UTF-16 code units. For ASCII that
/// is byte order, which is much quicker to compare.
fn utf16_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

thread_local! {
    /// One English pipeline and word memo per worker thread: the pipeline
    /// cannot move between threads, and a corpus has far fewer distinct
    /// words than words. The memo only caches a pure function, so keeping it
    /// across builds (under `serve`) changes no output.
    static WORDS: RefCell<Words> = RefCell::new(Words::new());
}

/// Tokenises every document and merges the postings, both in parallel (in
/// batches; the merge by shards of terms, each shard in document order);
/// then scores them. Terms come out sorted in UTF-16 code unit order, the
/// order JavaScript compares strings in, so the client's binary search over
/// shard boundaries agrees with this one.
pub(crate) fn build(
    docs: &[&SearchDoc<'_>],
    max_postings: usize,
    thesaurus: &Thesaurus,
) -> Vec<TermPostings> {
    type Merged = TermMap<Term, Vec<(u32, Occurrence)>>;
    let mut merged: Vec<Merged> = (0..MERGE_SHARDS).map(|_| Merged::default()).collect();
    let mut body_lens: Vec<u32> = Vec::with_capacity(docs.len());
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let done: Vec<DocTerms> = batch
            .par_iter()
            .map(|doc| WORDS.with(|w| doc_terms(doc, &mut w.borrow_mut(), thesaurus)))
            .collect();
        body_lens.extend(done.iter().map(|d| d.body_len));
        merged.par_iter_mut().enumerate().for_each(|(shard, map)| {
            for (i, d) in done.iter().enumerate() {
                let doc = (b * BATCH + i) as u32;
                for (_, term, occ) in d.of_shard(shard) {
                    match map.get_mut(&**term) {
                        Some(list) => list.push((doc, *occ)),
                        None => {
                            map.insert(term.clone(), vec![(doc, *occ)]);
                        }
                    }
                }
            }
        });
        // Freed on both cores too: millions of shared terms to let go of.
        done.into_par_iter().for_each(drop);
    }

    let n = docs.len() as f64;
    let avg_len = (body_lens.iter().map(|&l| l as f64).sum::<f64>() / n.max(1.0)).max(1.0);
    let mut out: Vec<TermPostings> = merged
        .into_par_iter()
        .flat_map_iter(|m| m.into_iter())
        .map(|(term, list)| {
            let df = list.len();
            let idf = (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln();
            let mut postings: Vec<Posting> = list
                .into_iter()
                .map(|(doc, o)| {
                    let len = body_lens[doc as usize] as f64;
                    let bm25 = |tf: u32| {
                        let tf = tf as f64;
                        let x = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg_len));
                        (x * BM25_SCALE).round().clamp(1.0, BM25_MAX) as u32
                    };
                    let mut score = 0;
                    if o.tf > 0 || o.title || o.exact {
                        if o.tf > 0 {
                            score += bm25(o.tf);
                        }
                        if o.title {
                            score += TITLE;
                        }
                        if o.exact {
                            score += EXACT;
                        }
                    } else if o.syn_tf > 0 || o.syn_title {
                        if o.syn_tf > 0 {
                            score += bm25(o.syn_tf);
                        }
                        if o.syn_title {
                            score += TITLE;
                        }
                        score /= SYNONYM_DIVISOR;
                    }
                    Posting {
                        doc,
                        score: score.max(1),
                    }
                })
                .collect();
            if postings.len() > max_postings {
                postings.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
                postings.truncate(max_postings);
                postings.sort_by_key(|p| p.doc);
            }
            TermPostings { term, postings, df }
        })
        .collect();
    out.par_sort_unstable_by(|a, b| utf16_order(&a.term, &b.term));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(
        title: &'a str,
        text: &'a str,
        number: Option<&'a str>,
        ids: &'a [&'a str],
        amounts: &'a [&'a str],
    ) -> SearchDoc<'a> {
        SearchDoc {
            url: "x/",
            kind: "decision",
            kind_label: "Decision",
            title,
            number,
            date: None,
            ids,
            text: Box::leak(Box::new([text])),
            amounts,
            people: &[],
        }
    }

    fn postings<'a>(terms: &'a [TermPostings], term: &str) -> &'a [Posting] {
        terms
            .iter()
            .find(|t| &*t.term == term)
            .map(|t| t.postings.as_slice())
            .unwrap_or(&[])
    }

    #[test]
    fn exact_number_beats_title_beats_body() {
        let a = doc(
            "Estates strategy",
            "This follows decision 004/2014 on estates.",
            None,
            &[],
            &[],
        );
        let b = doc("Decision 004/2014 follow-up", "Estates.", None, &[], &[]);
        let c = doc("Police estates", "Estates.", Some("004/2014"), &[], &[]);
        let terms = build(&[&a, &b, &c], usize::MAX, &Thesaurus::default());
        let p = postings(&terms, "4/2014/");
        assert_eq!(p.len(), 3);
        assert!(p[2].score > EXACT, "{p:?}");
        assert!(p[1].score >= TITLE && p[1].score < EXACT, "{p:?}");
        assert!(p[0].score < TITLE, "{p:?}");
        // The kind label is findable but hardly scores.
        assert_eq!(
            postings(&terms, "decis")
                .iter()
                .map(|p| p.doc)
                .collect::<Vec<_>>(),
            [0, 1, 2]
        );
    }

    #[test]
    fn amounts_and_ids_are_exact() {
        let a = doc(
            "Grant",
            "",
            None,
            &["rebuild-community-policing"],
            &["£3,863", "3,863"],
        );
        let terms = build(&[&a], usize::MAX, &Thesaurus::default());
        for t in ["3863£", "3863", "rebuild/community/policing/"] {
            assert!(postings(&terms, t)[0].score >= EXACT, "{t}");
        }
        assert!(postings(&terms, "polic")[0].score >= TITLE);
    }

    #[test]
    fn synonyms_rank_below_the_word_as_typed_and_names_as_title_words() {
        let t = Thesaurus::new(&[vec!["murder".into(), "homicide".into()]]);
        let a = doc("Rates of homicide", "Homicide fell.", None, &[], &[]);
        let b = doc("Murder", "Murder fell.", None, &[], &[]);
        let mut c = doc("Decision", "Text.", None, &[], &[]);
        c.people = &["Bob Jones"];
        let terms = build(&[&a, &b, &c], usize::MAX, &t);
        let murder = postings(&terms, "murder");
        assert_eq!(murder.iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1]);
        assert!(murder[0].score < murder[1].score, "{murder:?}");
        assert!(murder[0].score >= TITLE / SYNONYM_DIVISOR, "{murder:?}");
        assert!(postings(&terms, "homicid")[0].score > postings(&terms, "homicid")[1].score);
        assert_eq!(postings(&terms, "jone")[0].doc, 2);
        assert!(postings(&terms, "jone")[0].score >= TITLE);
    }

    #[test]
    fn terms_sorted_and_common_lists_cut_to_the_best() {
        let docs: Vec<SearchDoc> = (0..10)
            .map(|i| doc(if i >= 7 { "Crime" } else { "" }, "crime", None, &[], &[]))
            .collect();
        let refs: Vec<&SearchDoc> = docs.iter().collect();
        let terms = build(&refs, 3, &Thesaurus::default());
        let crime = terms.iter().find(|t| &*t.term == "crime").unwrap();
        assert_eq!(crime.df, 10);
        assert_eq!(
            crime.postings.iter().map(|p| p.doc).collect::<Vec<_>>(),
            [7, 8, 9]
        );
        let names: Vec<&str> = terms.iter().map(|t| &*t.term).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
    }
}
