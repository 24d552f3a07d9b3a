//! Synonyms and acronyms: the default theme's policing thesaurus
//! (`themes/default/thesaurus.yaml`) and a site's own `search_synonyms`.
//!
//! They are applied when the index is built, not in the browser: a record
//! with one phrase of an entry (`anti-social behaviour`) is also indexed
//! under the terms of the others (`asb`), as a synonym match, which scores
//! half what the same match as typed would ([`super::index`]). A query
//! therefore costs no more to fetch, and the client needs no word list.

use serde::Deserialize;

use super::tokenize::{Term, TermMap, Words, index_terms, phrase_terms};

/// The default theme's thesaurus, built into the binary.
pub const DEFAULT: &str = include_str!("../../themes/default/thesaurus.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub terms: Vec<String>,
    /// Where the pairing is used (shown to no one; a test requires it).
    #[allow(dead_code)]
    pub source: String,
}

/// The default thesaurus's entries. The file is part of the program, so a
/// mistake in it is a bug: a test parses it.
pub fn default_groups() -> Vec<Vec<String>> {
    let entries: Vec<Entry> = serde_saphyr::from_str(DEFAULT).unwrap_or_default();
    entries.into_iter().map(|e| e.terms).collect()
}

struct Phrase {
    group: usize,
    /// The phrase as matched: one term per word (`anti-social` is one).
    seq: Vec<Term>,
    /// Every index term of the phrase: what a record with another phrase
    /// of the group is also indexed under.
    terms: Vec<Term>,
}

/// Phrases by their first term, ready to match against a record's text.
#[derive(Default)]
pub struct Thesaurus {
    phrases: Vec<Phrase>,
    by_first: TermMap<Term, Vec<usize>>,
}

impl Thesaurus {
    pub fn new(groups: &[Vec<String>]) -> Self {
        let mut words = Words::new();
        let mut t = Thesaurus::default();
        for (g, group) in groups.iter().enumerate() {
            for phrase in group {
                let lower = phrase.to_lowercase();
                let mut seq = Vec::new();
                phrase_terms(&lower, &mut words, |x| seq.push(x.clone()));
                let mut terms: Vec<Term> = Vec::new();
                index_terms(&lower, &mut words, |x| {
                    if !terms.contains(x) {
                        terms.push(x.clone());
                    }
                });
                if seq.is_empty() {
                    continue;
                }
                t.by_first
                    .entry(seq[0].clone())
                    .or_default()
                    .push(t.phrases.len());
                t.phrases.push(Phrase {
                    group: g,
                    seq,
                    terms,
                });
            }
        }
        t
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Calls `emit(term, count)` for every term a text (its phrase terms,
    /// from [`phrase_terms`]) gains through the thesaurus: the terms of the
    /// other phrases of each entry one of whose phrases it has, with how
    /// many times it has it.
    pub fn expand(&self, seq: &[Term], mut emit: impl FnMut(&Term, u32)) {
        let mut found: TermMap<usize, u32> = TermMap::default();
        for i in 0..seq.len() {
            let Some(list) = self.by_first.get(&seq[i]) else {
                continue;
            };
            for &p in list {
                let s = &self.phrases[p].seq;
                if seq[i..].starts_with(s) {
                    *found.entry(p).or_default() += 1;
                }
            }
        }
        let mut found: Vec<(usize, u32)> = found.into_iter().collect();
        found.sort_unstable();
        for (p, n) in found {
            let group = self.phrases[p].group;
            for other in self.phrases.iter().filter(|o| o.group == group) {
                if std::ptr::eq(other, &self.phrases[p]) {
                    continue;
                }
                for t in &other.terms {
                    emit(t, n);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_thesaurus_parses_and_every_entry_has_a_source() {
        let entries: Vec<Entry> = serde_saphyr::from_str(DEFAULT).unwrap();
        assert!(entries.len() >= 20);
        for e in &entries {
            assert!(e.terms.len() >= 2, "{:?}", e.terms);
            assert!(e.source.len() > 20, "{:?} needs a source", e.terms);
        }
        for acronym in [
            "ASB", "VAWG", "VRU", "CSP", "IOM", "HMICFRS", "OPCC", "PCSO", "CSEW", "NRM",
        ] {
            assert!(
                entries.iter().any(|e| e.terms.iter().any(|t| t == acronym)),
                "{acronym}"
            );
        }
    }

    fn expanded(t: &Thesaurus, text: &str) -> Vec<String> {
        let mut words = Words::new();
        let mut seq = Vec::new();
        phrase_terms(&text.to_lowercase(), &mut words, |x| seq.push(x.clone()));
        let mut out = Vec::new();
        t.expand(&seq, |x, _| out.push(x.to_string()));
        out
    }

    #[test]
    fn a_phrase_brings_the_terms_of_the_others() {
        let t = Thesaurus::new(&default_groups());
        assert_eq!(expanded(&t, "Tackling ASB in parks"), expanded(&t, "asb"));
        let asb = expanded(&t, "Reports of ASB");
        assert!(asb.contains(&"antisoci".to_string()), "{asb:?}");
        assert!(asb.contains(&"behaviour".to_string()), "{asb:?}");
        // Hyphenated or not, the phrase is found.
        for text in ["anti-social behaviour", "antisocial behaviour"] {
            assert_eq!(expanded(&t, text), ["asb"], "{text}");
        }
        assert!(expanded(&t, "Rates of homicide").contains(&"murder".to_string()));
        assert!(expanded(&t, "anti-social conduct").is_empty());
    }
}
