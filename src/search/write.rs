//! The index as files: manifest, term shards, result fragments. Written by
//! hand (not through serde) so that every byte is in a fixed order and the
//! hot loop over millions of postings stays cheap.

use rayon::prelude::*;

use super::SearchDoc;
use super::index::TermPostings;

/// A shard is closed before it would pass this many bytes (uncompressed
/// JSON). A term whose postings alone are bigger gets a shard to itself.
pub(crate) const SHARD_BYTES: usize = 16 * 1024;

/// Words of body text kept for a result's snippet. The client shows about
/// half of them, around the first match when there is one, so a match a
/// little way into the text is still seen.
const SNIPPET_WORDS: usize = 60;
/// …and at most this many characters of them.
const SNIPPET_CHARS: usize = 480;

pub(crate) fn push_str(out: &mut Vec<u8>, s: &str) {
    // Writing a &str to a Vec cannot fail.
    serde_json::to_writer(&mut *out, s).expect("JSON string");
}

pub(crate) fn push_u32(out: &mut Vec<u8>, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

fn push_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => push_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// `["term",[doc,score,gap,score,…]]`, or `["term",[…],df]` when the list was
/// cut to the best postings. Documents are delta-coded: the first is a
/// document number, each next one the gap from the previous.
fn push_term(out: &mut Vec<u8>, t: &TermPostings) {
    out.push(b'[');
    push_str(out, &t.term);
    out.extend_from_slice(b",[");
    let mut prev = 0;
    for (i, p) in t.postings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_u32(out, p.doc - prev);
        out.push(b',');
        push_u32(out, p.score);
        prev = p.doc;
    }
    out.push(b']');
    if t.df > t.postings.len() {
        out.push(b',');
        push_u32(out, t.df as u32);
    }
    out.push(b']');
}

/// Cuts the sorted terms into shards: `(first term, file bytes)`. A shard
/// file is a JSON array of term entries in sorted order. The entries are
/// written in parallel, then laid end to end.
pub(crate) fn term_shards(terms: &[TermPostings], shard_bytes: usize) -> Vec<(String, Vec<u8>)> {
    let entries: Vec<Vec<u8>> = terms
        .par_iter()
        .map(|t| {
            let mut entry = Vec::new();
            push_term(&mut entry, t);
            entry
        })
        .collect();
    let mut shards: Vec<(String, Vec<u8>)> = Vec::new();
    for (t, entry) in terms.iter().zip(&entries) {
        let start_new = match shards.last() {
            None => true,
            Some((_, bytes)) => bytes.len() + 1 + entry.len() + 1 > shard_bytes,
        };
        if start_new {
            if let Some((_, bytes)) = shards.last_mut() {
                bytes.push(b']');
            }
            shards.push((t.term.to_string(), vec![b'[']));
        } else {
            shards.last_mut().expect("a shard").1.push(b',');
        }
        shards
            .last_mut()
            .expect("a shard")
            .1
            .extend_from_slice(entry);
    }
    if let Some((_, bytes)) = shards.last_mut() {
        bytes.push(b']');
    }
    shards
}

/// The first words of the body, as shown under a result.
pub(crate) fn snippet(text: &str) -> String {
    let mut out = String::new();
    let mut words = text.split_whitespace();
    for w in words.by_ref().take(SNIPPET_WORDS) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    let mut cut = words.next().is_some();
    if out.chars().count() > SNIPPET_CHARS {
        let end = out
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(out.len(), |(i, _)| i);
        out.truncate(end);
        cut = true;
    }
    if cut {
        out.push('…');
    }
    out
}

/// One chunk of result fragments: `[[url,title,number,date,snippet],…]`,
/// `null` for a missing number or date.
pub(crate) fn fragments(docs: &[&SearchDoc<'_>]) -> Vec<u8> {
    let mut out = vec![b'['];
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_str(&mut out, d.url);
        out.push(b',');
        push_str(&mut out, d.title);
        out.push(b',');
        push_opt_str(&mut out, d.number);
        out.push(b',');
        push_opt_str(&mut out, d.date);
        out.push(b',');
        push_str(&mut out, &snippet(&d.text.join(" ")));
        out.push(b']');
    }
    out.push(b']');
    out
}

#[cfg(test)]
mod tests {
    use super::super::index::Posting;
    use super::*;

    fn tp(term: &str, docs: &[(u32, u32)], df: usize) -> TermPostings {
        TermPostings {
            term: term.into(),
            postings: docs
                .iter()
                .map(|&(doc, score)| Posting { doc, score })
                .collect(),
            df,
        }
    }

    #[test]
    fn term_entries_are_delta_coded() {
        let shards = term_shards(
            &[
                tp("crime", &[(3, 50), (4, 7), (10, 1100)], 3),
                tp("polic", &[(2, 9)], 40),
            ],
            1 << 20,
        );
        assert_eq!(shards.len(), 1);
        assert_eq!(shards[0].0, "crime");
        assert_eq!(
            String::from_utf8(shards[0].1.clone()).unwrap(),
            r#"[["crime",[3,50,1,7,6,1100]],["polic",[2,9],40]]"#
        );
    }

    #[test]
    fn shards_are_cut_by_size_and_never_split_a_term() {
        let big: Vec<(u32, u32)> = (0..100).map(|d| (d, 5)).collect();
        let terms = [
            tp("a", &[(0, 1)], 1),
            tp("b", &[(0, 1)], 1),
            tp("c", &big, 100),
            tp("d", &[(0, 1)], 1),
        ];
        let shards = term_shards(&terms, 30);
        let firsts: Vec<&str> = shards.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(firsts, ["a", "c", "d"]);
        for (_, bytes) in &shards {
            let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
            assert!(v.is_array());
        }
    }

    #[test]
    fn snippet_is_the_first_sixty_words() {
        let text = (1..=70)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" \n ");
        let s = snippet(&text);
        assert!(s.starts_with("w1 w2 "));
        assert!(s.ends_with("w60…"), "{s}");
        assert_eq!(snippet("short  text"), "short text");
    }

    #[test]
    fn numbers_print_like_display() {
        for n in [0, 7, 10, 999, 1000, u32::MAX] {
            let mut v = Vec::new();
            push_u32(&mut v, n);
            assert_eq!(String::from_utf8(v).unwrap(), n.to_string());
        }
    }
}
