//! Text → index terms, and a query → what to look up.
//!
//! `themes/default/static/search.js` carries a port of this file (`chunkOf`,
//! `wordTerm`, `codeOf`, `parseQuery`); the test
//! `client::tests::client_tokenises_like_the_index` runs both over the same
//! strings. Change them together.
//!
//! Text is lowercased, then split on whitespace into chunks; each chunk is
//! trimmed (leading characters that are neither letters, digits nor `£`;
//! trailing characters that are not letters or digits) and is one of:
//!
//! - a **number**: `£?` + digits (plain, or grouped by commas in threes) +
//!   optional `.decimals` + optional scale `k`, `m`, `bn`, `million`,
//!   `billion`. Its value drops the commas and trailing decimal zeros;
//!   `million`/`billion` become `m`/`bn`. `£3,863` gives `3863£` and `3863`;
//!   `3,863` and `3863` give `3863`; `£641m` gives `641m£`, `641m` and `641`.
//!   A scale word in the next chunk (`£641 million`) counts as the scale.
//! - a **compound**: runs of letters and digits joined by single `/`, `-`,
//!   `_` or Unicode hyphens/en dash (`004/2014`, `WPCC3-0089`, `2021-22`,
//!   `rebuild-community-policing`). It gives a code term (see [`code_of`]:
//!   `4/2014/`, `wpcc3/89/`) and each run as a word.
//! - otherwise **words**: runs of letters, digits and apostrophes; a
//!   possessive `'s` and other apostrophes are dropped, the word is
//!   normalised ([`normalise`]: irregular plurals such as `knives` →
//!   `knife`, American spellings such as `organized` → `organised`), then
//!   elasticlunr's English pipeline (trimmer, stop-word filter, Porter
//!   stemmer) makes the term, as elasticlunr-rs would for that word.
//!
//! A compound of two runs of letters (`anti-social`) also gives its joined
//! word (`antisocial`), and a query's two adjacent words also look up their
//! joined word (`cyber crime` → `cybercrime`). A number with a scale also
//! gives its value in pounds (`£3.863m` → `3863000£`, as `£3,863,000`).
//!
//! Code terms end in `/` and money terms in `£`, so they never equal a stem
//! yet sort right after the number or word they start with (and so usually
//! land in the same shard).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use elasticlunr::Language;
use elasticlunr::pipeline::Pipeline;

/// Ends every code term: `004/2014` → `4/2014/`.
pub(crate) const CODE_END: char = '/';
/// Ends every money term: `£3,863` → `3863£`.
pub(crate) const MONEY_END: char = '£';

/// Joiners inside a compound: slash, hyphen-minus, underscore, the Unicode
/// hyphens and the en dash people paste from Word (`2021–25`).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '/' | '-' | '_' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}'
    )
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Trims a chunk: leading characters that are not letters, digits or `£`,
/// trailing characters that are not letters or digits.
pub(crate) fn trim_chunk(chunk: &str) -> &str {
    chunk
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '£')
}

/// `text.to_lowercase()`, quicker for mostly ASCII text: ASCII runs are
/// lowercased a byte at a time, other characters one by one as `str` would
/// (a text with a capital sigma, whose lowercase depends on its place in the
/// word, is left to `str`).
pub(crate) fn lowercase(text: &str) -> String {
    if text.contains('Σ') {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) => {
                out.extend(c.to_lowercase());
                rest = chars.as_str();
            }
            None => break,
        }
    }
    out
}

/// The lowercased, trimmed, non-empty chunks of `text`.
pub(crate) fn chunks(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(char::is_whitespace)
        .map(trim_chunk)
        .filter(|c| !c.is_empty())
}

/// A number as written in text or typed: `£3,863`, `3,863`, `12.5`, `£641m`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    /// Digits without commas, with `.decimals` unless they are all zero.
    pub value: String,
    pub pound: bool,
    /// `""`, `"k"`, `"m"` or `"bn"`.
    pub scale: &'static str,
    /// Only digits: no `£`, commas, decimals or scale (`2014`).
    pub plain: bool,
}

impl Number {
    /// `£3,863` → `3863£`; without a `£`, none.
    pub fn money_term(&self) -> Option<String> {
        self.pound
            .then(|| format!("{}{}{MONEY_END}", self.value, self.scale))
    }

    /// `£641m` → `641m`; `3,863` → `3863`.
    pub fn number_term(&self) -> String {
        format!("{}{}", self.value, self.scale)
    }

    /// The value in pounds of a number with a scale (`3.863m` →
    /// `3863000`, `£400k` → `400000`, `1.5bn` → `1500000000`); `None`
    /// without one. Exact: decimal digits are moved, not multiplied.
    pub fn pounds(&self) -> Option<String> {
        let shift = match self.scale {
            "k" => 3,
            "m" => 6,
            "bn" => 9,
            _ => return None,
        };
        let (int, dec) = self.value.split_once('.').unwrap_or((&self.value, ""));
        let mut digits = format!("{int}{dec}");
        let point = int.len() + shift;
        while digits.len() < point {
            digits.push('0');
        }
        let (i, d) = digits.split_at(point);
        let i = i.trim_start_matches('0');
        let i = if i.is_empty() { "0" } else { i };
        let d = d.trim_end_matches('0');
        Some(if d.is_empty() {
            i.to_string()
        } else {
            format!("{i}.{d}")
        })
    }

    /// `£3.863m` → `3863000£`: the money term of the value in pounds, which
    /// is how an amount written in full (`£3,863,000`) is indexed.
    pub fn pounds_term(&self) -> Option<String> {
        self.pounds().map(|p| format!("{p}{MONEY_END}"))
    }

    /// Every term a number in a document is indexed under.
    pub fn index_terms(&self) -> Vec<String> {
        let mut out = vec![self.number_term()];
        if !self.scale.is_empty() {
            out.push(self.value.clone());
        }
        out.extend(self.money_term());
        if self.pound {
            out.extend(self.pounds_term());
        }
        out
    }
}

/// `million` → `m`: a scale written as its own word after a number.
pub(crate) fn scale_word(chunk: &str) -> Option<&'static str> {
    match chunk {
        "m" | "million" => Some("m"),
        "bn" | "billion" => Some("bn"),
        _ => None,
    }
}

/// Parses a lowercased, trimmed chunk as a number, or `None`. The same
/// grammar as the client's `NUMBER` regular expression:
/// `^(£?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(k|m|bn|million|billion)?$`.
pub(crate) fn parse_number(chunk: &str) -> Option<Number> {
    let (pound, rest) = match chunk.strip_prefix('£') {
        Some(r) => (true, r),
        None => (false, chunk),
    };
    let lead = rest.bytes().take_while(u8::is_ascii_digit).count();
    if lead == 0 {
        return None;
    }
    let mut value = String::with_capacity(rest.len());
    value.push_str(&rest[..lead]);
    let mut rest = &rest[lead..];
    let mut grouped = false;
    if lead <= 3 {
        while let Some(r) = rest.strip_prefix(',') {
            let group = r.bytes().take_while(u8::is_ascii_digit).count();
            if group != 3 {
                return None;
            }
            value.push_str(&r[..3]);
            rest = &r[3..];
            grouped = true;
        }
    }
    let mut decimal = false;
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let digits = r[..n].trim_end_matches('0');
        if !digits.is_empty() {
            value.push('.');
            value.push_str(digits);
        }
        rest = &r[n..];
        decimal = true;
    }
    let scale = match rest {
        "" => "",
        "k" => "k",
        "m" | "million" => "m",
        "bn" | "billion" => "bn",
        _ => return None,
    };
    let plain = !pound && !grouped && !decimal && scale.is_empty();
    Some(Number {
        value,
        pound,
        scale,
        plain,
    })
}

/// The runs of a compound chunk, or `None` if it is not one: letters and
/// digits joined by single joiners, at least two runs.
pub(crate) fn compound_runs(chunk: &str) -> Option<Vec<&str>> {
    if !chunk.contains(is_joiner) {
        return None;
    }
    let runs: Vec<&str> = chunk.split(is_joiner).collect();
    let ok = runs
        .iter()
        .all(|r| !r.is_empty() && r.chars().all(char::is_alphanumeric));
    ok.then_some(runs)
}

/// The code of a number or id as typed: its runs of letters and digits,
/// numeric runs without leading zeros, joined and ended by `/`.
/// `004/2014`, `4/2014` and `004-2014` → `4/2014/`; `PCC-DN 1956` →
/// `pcc/dn/1956/`. `None` if there is no letter or digit.
pub(crate) fn code_of(lower: &str) -> Option<String> {
    let mut out = String::new();
    for run in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
    {
        if run.bytes().all(|b| b.is_ascii_digit()) {
            let t = run.trim_start_matches('0');
            out.push_str(if t.is_empty() { "0" } else { t });
        } else {
            out.push_str(run);
        }
        out.push(CODE_END);
    }
    (!out.is_empty()).then_some(out)
}

/// The runs of letters, digits and apostrophes in a words chunk.
pub(crate) fn word_runs(chunk: &str) -> impl Iterator<Item = &str> {
    chunk
        .split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c)))
        .filter(|r| !r.is_empty())
}

/// Drops apostrophes: the ends', a possessive `'s`, and any inside
/// (`commissioner's` → `commissioner`, `don't` → `dont`).
fn without_apostrophes(run: &str, out: &mut String) {
    let run = run.trim_matches(is_apostrophe);
    let run = match run.strip_suffix('s') {
        Some(r) if r.ends_with(is_apostrophe) => r.trim_end_matches(is_apostrophe),
        _ => run,
    };
    out.clear();
    out.extend(run.chars().filter(|c| !is_apostrophe(*c)));
}

/// Word forms the Porter stemmer does not bring together, mapped to the
/// form the plan uses before stemming: irregular plurals and participles,
/// and American spellings of words British documents spell otherwise.
/// `search.js` has the same table (`WORD_FORMS`).
const WORD_FORMS: &[(&str, &str)] = &[
    ("knives", "knife"),
    ("wives", "wife"),
    ("thieves", "thief"),
    ("women", "woman"),
    ("men", "man"),
    ("children", "child"),
    ("crises", "crisis"),
    ("analyses", "analysis"),
    ("criteria", "criterion"),
    ("stolen", "steal"),
    ("stole", "steal"),
    ("center", "centre"),
    ("centers", "centres"),
    ("program", "programme"),
    ("programs", "programmes"),
    ("offense", "offence"),
    ("offenses", "offences"),
    ("defense", "defence"),
    ("defenses", "defences"),
    ("gray", "grey"),
    ("aging", "ageing"),
    ("traveled", "travelled"),
    ("traveling", "travelling"),
    ("modeling", "modelling"),
    ("canceled", "cancelled"),
    ("fueled", "fuelled"),
    ("enrollment", "enrolment"),
    ("judgement", "judgment"),
];

/// American spellings at the start of a word (`neighborhoods` →
/// `neighbourhoods`). `search.js`: `US_PREFIXES`.
const US_PREFIXES: &[(&str, &str)] = &[
    ("behavior", "behaviour"),
    ("neighbor", "neighbour"),
    ("color", "colour"),
    ("favor", "favour"),
    ("honor", "honour"),
    ("harbor", "harbour"),
    ("rumor", "rumour"),
];

/// `-ize` endings → `-ise` (`organized` → `organised`, `victimization` →
/// `victimisation`) when at least four letters, the last not a vowel, come
/// before them (so `size`, `prize` and `seize` stay); `-yze` → `-yse`
/// after at least three (`analyze`).
const IZE_ENDINGS: &[&str] = &[
    "izations", "ization", "izing", "izers", "izer", "izes", "ized", "ize",
];
const YZE_ENDINGS: &[&str] = &["yzing", "yzers", "yzer", "yzes", "yzed", "yze"];

/// The word as the index spells it, before stemming: see [`WORD_FORMS`],
/// [`US_PREFIXES`] and [`IZE_ENDINGS`].
pub(crate) fn normalise(word: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if let Some((_, to)) = WORD_FORMS.iter().find(|(from, _)| *from == word) {
        return Cow::Borrowed(to);
    }
    for (from, to) in US_PREFIXES {
        if let Some(rest) = word.strip_prefix(from) {
            return Cow::Owned(format!("{to}{rest}"));
        }
    }
    for end in IZE_ENDINGS {
        if let Some(stem) = word.strip_suffix(end)
            && stem.chars().count() >= 4
            && stem.chars().last().is_some_and(|c| !"aeiou".contains(c))
        {
            return Cow::Owned(format!("{stem}is{}", &end[2..]));
        }
    }
    for end in YZE_ENDINGS {
        if let Some(stem) = word.strip_suffix(end)
            && stem.chars().count() >= 3
        {
            return Cow::Owned(format!("{stem}ys{}", &end[2..]));
        }
    }
    Cow::Borrowed(word)
}

/// A compound of two runs of letters (`anti-social`, `e-scooter`,
/// `co-location`) is also one word, `antisocial`, so that either spelling
/// finds the other. `None` for other compounds (`004/2014`,
/// `rebuild-community-policing`).
pub(crate) fn joined_word(runs: &[&str]) -> Option<String> {
    let letters = |r: &&str| r.chars().all(char::is_alphabetic);
    (runs.len() == 2 && runs.iter().all(letters)).then(|| runs.concat())
}

/// An index term. Shared: the word memo hands out the same term for every
/// occurrence of a word, so a document's term list costs no allocation per
/// word.
pub(crate) type Term = Arc<str>;

/// Hash maps keyed by terms and words, with [`TermHasher`].
pub(crate) type TermMap<K, V> = HashMap<K, V, BuildHasherDefault<TermHasher>>;

/// A fast multiplicative hasher, eight bytes at a step, for the index's own
/// maps: they are filled from the site's content, so SipHash's defence
/// against chosen keys buys nothing, and hashing is most of the tokeniser's
/// time.
#[derive(Default, Clone, Copy)]
pub(crate) struct TermHasher(u64);

impl TermHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for TermHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    /// The state's high bits brought down: a multiply mixes every input bit
    /// into the high bits only, and the table picks buckets by the low ones
    /// (without this, words sharing their first two letters shared a few
    /// buckets, and lookups spent their time comparing strings).
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// Word → term through elasticlunr's English pipeline, memoised: the
/// pipeline allocates, and a corpus has far fewer distinct words than words.
/// Terms are interned: one `Words` hands out one shared term for each
/// distinct string (`police` and `policing` both give the same `polic`), so
/// a term's address identifies it among the terms of one `Words`.
pub(crate) struct Words {
    pipeline: Pipeline,
    /// Normalised word → its term (`None` for a stop word).
    seen: TermMap<Box<str>, Option<Term>>,
    /// Every term handed out, by its text.
    interned: TermMap<Term, ()>,
    buf: String,
}

impl Default for Words {
    fn default() -> Self {
        Self::new()
    }
}

impl Words {
    pub fn new() -> Self {
        Words {
            pipeline: elasticlunr::lang::English::new().make_pipeline(),
            seen: TermMap::default(),
            interned: TermMap::default(),
            buf: String::new(),
        }
    }

    /// The shared term with this text.
    pub fn intern(&mut self, text: &str) -> Term {
        if let Some((t, _)) = self.interned.get_key_value(text) {
            return t.clone();
        }
        let t = Term::from(text);
        self.interned.insert(t.clone(), ());
        t
    }

    /// The term for one word run (lowercase), or `None` for a stop word.
    pub fn term(&mut self, run: &str) -> Option<Term> {
        // Most words have no apostrophe and are looked up as they are.
        let has_apostrophe = run.contains(is_apostrophe);
        if has_apostrophe {
            without_apostrophes(run, &mut self.buf);
        }
        let word: &str = if has_apostrophe { &self.buf } else { run };
        if let Some(term) = self.seen.get(word) {
            return term.clone();
        }
        let word: Box<str> = word.into();
        let term = self
            .pipeline
            .run(vec![normalise(&word).into_owned()])
            .pop()
            .filter(|t| !t.is_empty())
            .map(|t| self.intern(&t));
        self.seen.insert(word, term.clone());
        term
    }
}

/// Calls `emit` with every index term of `lower` (already lowercased), in
/// order, repeats included (they are term frequencies); every term is
/// `words`'s shared one ([`Words::intern`]).
pub(crate) fn index_terms(lower: &str, words: &mut Words, mut emit: impl FnMut(&Term)) {
    let mut it = chunks(lower).peekable();
    while let Some(chunk) = it.next() {
        if let Some(mut n) = parse_number(chunk) {
            for t in n.index_terms() {
                emit(&words.intern(&t));
            }
            // `£641 million`: also findable as `£641m`. The scale word stays
            // a word of its own.
            if n.scale.is_empty()
                && let Some(s) = it.peek().and_then(|c| scale_word(c))
            {
                n.scale = s;
                for t in n.index_terms().into_iter().filter(|t| *t != n.value) {
                    emit(&words.intern(&t));
                }
            }
        } else if let Some(runs) = compound_runs(chunk) {
            if let Some(code) = code_of(chunk) {
                emit(&words.intern(&code));
            }
            for run in &runs {
                if let Some(t) = words.term(run) {
                    emit(&t);
                }
            }
            if let Some(t) = joined_word(&runs).and_then(|j| words.term(&j)) {
                emit(&t);
            }
        } else {
            for run in word_runs(chunk) {
                if let Some(t) = words.term(run) {
                    emit(&t);
                }
            }
        }
    }
}

/// [`index_terms`] and [`phrase_terms`] of the same text in one pass over
/// it: `index` gets what `index_terms` would emit and `phrase` what
/// `phrase_terms` would, each in its order (the two interleaved). A
/// record's body is most of the index's work, and it needs both.
pub(crate) fn index_and_phrase_terms(
    lower: &str,
    words: &mut Words,
    mut index: impl FnMut(&Term),
    mut phrase: impl FnMut(&Term),
) {
    let mut it = chunks(lower).peekable();
    while let Some(chunk) = it.next() {
        // Most chunks are one plain word: a letter, then letters and digits,
        // all ASCII. That is no number (those start with a digit or `£`),
        // no compound (no joiner) and one word run: looked up as it is.
        if chunk.as_bytes()[0].is_ascii_alphabetic()
            && chunk.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            if let Some(t) = words.term(chunk) {
                index(&t);
                phrase(&t);
            }
        } else if let Some(mut n) = parse_number(chunk) {
            let mut terms = n.index_terms().into_iter();
            // The first index term is the number term, the phrase's.
            if let Some(first) = terms.next() {
                let first = words.intern(&first);
                index(&first);
                phrase(&first);
            }
            for t in terms {
                index(&words.intern(&t));
            }
            if n.scale.is_empty()
                && let Some(s) = it.peek().and_then(|c| scale_word(c))
            {
                n.scale = s;
                for t in n.index_terms().into_iter().filter(|t| *t != n.value) {
                    index(&words.intern(&t));
                }
            }
        } else if let Some(runs) = compound_runs(chunk) {
            let code = code_of(chunk).map(|c| words.intern(&c));
            if let Some(code) = &code {
                index(code);
            }
            for run in &runs {
                if let Some(t) = words.term(run) {
                    index(&t);
                }
            }
            match joined_word(&runs).and_then(|j| words.term(&j)) {
                Some(t) => {
                    index(&t);
                    phrase(&t);
                }
                None => {
                    if let Some(code) = &code {
                        phrase(code);
                    }
                }
            }
        } else {
            for run in word_runs(chunk) {
                if let Some(t) = words.term(run) {
                    index(&t);
                    phrase(&t);
                }
            }
        }
    }
}

/// Calls `emit` with the terms of `lower` one word at a time, as the
/// thesaurus matches phrases: a number is its number term, a compound its
/// joined word (`anti-social` → `antisoci`) or else its code, other words
/// their terms. `anti-social behaviour` and `antisocial behaviour` give the
/// same sequence.
pub(crate) fn phrase_terms(lower: &str, words: &mut Words, mut emit: impl FnMut(&Term)) {
    for chunk in chunks(lower) {
        if let Some(n) = parse_number(chunk) {
            emit(&words.intern(&n.number_term()));
        } else if let Some(runs) = compound_runs(chunk) {
            if let Some(t) = joined_word(&runs).and_then(|j| words.term(&j)) {
                emit(&t);
            } else if let Some(code) = code_of(chunk) {
                emit(&words.intern(&code));
            }
        } else {
            for run in word_runs(chunk) {
                if let Some(t) = words.term(run) {
                    emit(&t);
                }
            }
        }
    }
}

// The query side below is what search.js does in the browser; in Rust it
// exists only as the reference the client is tested against
// (`client_tests`), hence `cfg(test)`.

/// One part of a query that a result must match (queries AND their clauses).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    /// An ordinary word, stemmed.
    Word { term: String },
    /// A number: the money term (if typed with `£`) or the bare number, or
    /// (with a scale) the amount in pounds (`£3.863m` → `3863000£`).
    Number {
        money: Option<String>,
        number: String,
        pounds: Option<String>,
    },
    /// A compound: its code, or (if it has no digit, or the code is in no
    /// document) all of its words, or the one word they make (`antisoci`).
    Compound {
        code: String,
        words: Vec<String>,
        has_digit: bool,
        joined: Option<String>,
    },
}

#[cfg(test)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub clauses: Vec<Clause>,
    /// The code of the whole query (`PCC-DN 1956` → `pcc/dn/1956/`,
    /// `rebuild community policing` → `rebuild/community/policing/`): an
    /// exact number or id match ranks first, but is never required.
    pub bonus: Option<String>,
    /// Two words typed apart that are one word in the index (`cyber crime`
    /// → `cybercrim`): the clause number of the first, and the joined
    /// word's term. Either the two words or the joined one match.
    pub joins: Vec<(usize, String)>,
}

#[cfg(test)]
impl Query {
    /// Every term the query looks up, in order, without repeats.
    pub fn terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut add = |t: &String| {
            if !out.contains(t) {
                out.push(t.clone());
            }
        };
        for c in &self.clauses {
            match c {
                Clause::Word { term } => add(term),
                Clause::Number {
                    money,
                    number,
                    pounds,
                } => {
                    if let Some(m) = money {
                        add(m);
                    }
                    add(number);
                    if let Some(p) = pounds {
                        add(p);
                    }
                }
                Clause::Compound {
                    code,
                    words,
                    joined,
                    ..
                } => {
                    add(code);
                    words.iter().for_each(&mut add);
                    if let Some(j) = joined {
                        add(j);
                    }
                }
            }
        }
        for (_, j) in &self.joins {
            add(j);
        }
        if let Some(b) = &self.bonus {
            add(b);
        }
        out
    }
}

#[cfg(test)]
/// Parses a query the way search.js does (without prefix matching, which
/// depends on what is in the shards).
pub(crate) fn parse_query(text: &str, words: &mut Words) -> Query {
    let lower = text.to_lowercase();
    let mut q = Query::default();
    let mut money_like = false;
    // The word run of each clause (apostrophes dropped), for joins.
    let mut raws: Vec<Option<String>> = Vec::new();
    let mut it = chunks(&lower).peekable();
    while let Some(chunk) = it.next() {
        if let Some(mut n) = parse_number(chunk) {
            if n.scale.is_empty()
                && let Some(s) = it.peek().and_then(|c| scale_word(c))
            {
                n.scale = s;
                n.plain = false;
                it.next();
            }
            money_like |= !n.plain;
            q.clauses.push(Clause::Number {
                money: n.money_term(),
                number: n.number_term(),
                pounds: n.pounds_term(),
            });
            raws.push(None);
        } else if let Some(runs) = compound_runs(chunk) {
            let code = code_of(chunk).unwrap_or_default();
            let joined = joined_word(&runs).and_then(|j| words.term(&j).map(|t| t.to_string()));
            let words: Vec<String> = runs
                .iter()
                .filter_map(|r| words.term(r).map(|t| t.to_string()))
                .collect();
            let has_digit = chunk.chars().any(|c| c.is_ascii_digit());
            q.clauses.push(Clause::Compound {
                code,
                words,
                has_digit,
                joined,
            });
            raws.push(None);
        } else {
            for run in word_runs(chunk) {
                if let Some(t) = words.term(run) {
                    q.clauses.push(Clause::Word {
                        term: t.to_string(),
                    });
                    raws.push(Some(run.chars().filter(|c| !is_apostrophe(*c)).collect()));
                }
            }
        }
    }
    for i in 1..raws.len() {
        if let (Some(a), Some(b)) = (&raws[i - 1], &raws[i])
            && let Some(t) = words.term(&format!("{a}{b}"))
        {
            q.joins.push((i - 1, t.to_string()));
        }
    }
    if !money_like {
        let is_code_clause = |b: &String| {
            q.clauses
                .iter()
                .any(|c| matches!(c, Clause::Compound { code, .. } if code == b))
        };
        q.bonus = code_of(&lower).filter(|b| {
            (2..=MAX_BONUS_RUNS).contains(&b.matches(CODE_END).count()) && !is_code_clause(b)
        });
    }
    q
}

#[cfg(test)]
/// A whole-query code longer than this is not an id anyone types. (One run
/// is no code either: a one-word id is found as a word.)
const MAX_BONUS_RUNS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut w = Words::new();
        let mut out = Vec::new();
        index_terms(&text.to_lowercase(), &mut w, |t| out.push(t.to_string()));
        out
    }

    fn query(text: &str) -> Vec<String> {
        parse_query(text, &mut Words::new()).terms()
    }

    #[test]
    fn decision_numbers_in_any_form_share_one_code() {
        assert_eq!(terms("004/2014"), ["4/2014/", "004", "2014"]);
        assert_eq!(terms("4/2014"), ["4/2014/", "4", "2014"]);
        assert_eq!(terms("004-2014"), ["4/2014/", "004", "2014"]);
        assert_eq!(query("004/2014")[0], "4/2014/");
        assert_eq!(query("4/2014")[0], "4/2014/");
        assert_eq!(query("004-2014")[0], "4/2014/");
        assert_eq!(
            query("(ref. 004/2014)."),
            ["ref", "4/2014/", "004", "2014", "ref/4/2014/"]
        );
    }

    #[test]
    fn other_decision_number_schemes() {
        assert_eq!(terms("WPCC3-0089"), ["wpcc3/89/", "wpcc3", "0089"]);
        assert_eq!(query("wpcc3-89")[0], "wpcc3/89/");
        assert_eq!(terms("2020-19"), ["2020/19/", "2020", "19"]);
        // Two chunks: each is findable, and the whole query is a code that
        // matches the record's number field exactly.
        assert_eq!(
            terms("PCC-DN 1956"),
            ["pcc/dn/", "pcc", "dn", "pccdn", "1956"]
        );
        assert_eq!(code_of("pcc-dn 1956").as_deref(), Some("pcc/dn/1956/"));
        let q = parse_query("PCC-DN 1956", &mut Words::new());
        assert_eq!(q.bonus.as_deref(), Some("pcc/dn/1956/"));
        assert_eq!(
            q.terms(),
            ["pcc/dn/", "pcc", "dn", "pccdn", "1956", "pcc/dn/1956/"]
        );
    }

    #[test]
    fn money_as_typed() {
        assert_eq!(terms("£3,863"), ["3863", "3863£"]);
        assert_eq!(terms("3,863"), ["3863"]);
        assert_eq!(terms("3863"), ["3863"]);
        assert_eq!(terms("£641m"), ["641m", "641", "641m£", "641000000£"]);
        assert_eq!(terms("£1,234.50,"), ["1234.5", "1234.5£"]);
        // Typed: `£3,863` looks for the money term or the bare number, so it
        // finds a grants row printed as `3,863` in a £000s table too.
        assert_eq!(query("£3,863"), ["3863£", "3863"]);
        assert_eq!(query("3,863"), ["3863"]);
        assert_eq!(query("£641m"), ["641m£", "641m", "641000000£"]);
        assert_eq!(query("£641 million"), ["641m£", "641m", "641000000£"]);
        // No whole-query code from money (`3/863/` means nothing).
        assert_eq!(parse_query("£3,863", &mut Words::new()).bonus, None);
    }

    #[test]
    fn scale_word_after_a_number_in_text() {
        assert_eq!(
            terms("£641 million."),
            ["641", "641£", "641m", "641m£", "641000000£", "million"]
        );
    }

    #[test]
    fn not_numbers() {
        assert_eq!(parse_number("1,2"), None);
        assert_eq!(parse_number("1234,567"), None);
        assert_eq!(parse_number("12.x"), None);
        assert_eq!(parse_number("£"), None);
        assert_eq!(terms("1,2"), ["1", "2"]);
    }

    #[test]
    fn ids_as_typed_and_by_their_words() {
        assert_eq!(
            terms("rebuild-community-policing"),
            ["rebuild/community/policing/", "rebuild", "commun", "polic"]
        );
        let q = parse_query("rebuild-community-policing", &mut Words::new());
        assert_eq!(
            q.clauses,
            [Clause::Compound {
                code: "rebuild/community/policing/".into(),
                words: vec!["rebuild".into(), "commun".into(), "polic".into()],
                has_digit: false,
                joined: None,
            }]
        );
        assert_eq!(q.bonus, None);
        // Typed with spaces, the words AND, and the whole query is the id.
        let q = parse_query("Rebuild community policing", &mut Words::new());
        assert_eq!(
            q.terms(),
            [
                "rebuild",
                "commun",
                "polic",
                "rebuildcommun",
                "communitypol",
                "rebuild/community/policing/"
            ]
        );
    }

    #[test]
    fn ordinary_words_are_stemmed_like_elasticlunr() {
        assert_eq!(
            terms("Burglaries, burglary and the Commissioner's policing!"),
            ["burglari", "burglari", "commission", "polic"]
        );
        assert_eq!(terms("victims' don't"), ["victim", "dont"]);
        assert_eq!(query("Burglary"), ["burglari"]);
        assert_eq!(query("The burglary"), ["burglari", "the/burglary/"]);
        // The same as elasticlunr-rs's own pipeline for a plain word.
        let lunr = elasticlunr::lang::English::new()
            .make_pipeline()
            .run(vec!["communities".into()]);
        assert_eq!(terms("communities"), lunr);
    }

    #[test]
    fn amounts_in_other_units_meet_in_pounds() {
        // `£3.863m` typed finds `£3,863,000` written out (and the £000s
        // table's row, whose amounts include the value in pounds).
        assert_eq!(query("£3.863m"), ["3.863m£", "3.863m", "3863000£"]);
        assert_eq!(query("£3.863 million"), ["3.863m£", "3.863m", "3863000£"]);
        assert_eq!(query("£400k"), ["400k£", "400k", "400000£"]);
        assert_eq!(query("1.5bn"), ["1.5bn", "1500000000£"]);
        assert!(terms("£3,863,000").contains(&"3863000£".to_string()));
        assert!(terms("£150m").contains(&"150000000£".to_string()));
        assert_eq!(terms("£0.5k"), ["0.5k", "0.5", "0.5k£", "500£"]);
        assert_eq!(
            terms("£1.2345k"),
            ["1.2345k", "1.2345", "1.2345k£", "1234.5£"]
        );
    }

    #[test]
    fn hyphens_and_spaces_inside_words() {
        let t = terms("anti-social e-scooters co-location");
        for w in ["antisocial", "escooter", "colocation"] {
            assert!(t.contains(&query(w)[0]), "{w}: {t:?}");
        }
        // Typed with the hyphen, the compound matches by its words or the
        // joined word; typed with a space, the two words or the joined one.
        let q = parse_query("anti-social", &mut Words::new());
        assert!(
            matches!(&q.clauses[0], Clause::Compound { joined: Some(j), .. } if j == "antisoci")
        );
        let q = parse_query("cyber crime", &mut Words::new());
        assert_eq!(q.joins, [(0, "cybercrim".to_string())]);
        // Ids of three or more runs are not joined.
        assert!(
            !terms("rebuild-community-policing").contains(&"rebuildcommunitypolic".to_string())
        );
    }

    #[test]
    fn irregular_forms_and_american_spellings() {
        for (a, b) in [
            ("knives", "knife"),
            ("children", "child"),
            ("women", "woman"),
            ("crises", "crisis"),
            ("neighborhood", "neighbourhood"),
            ("behavior", "behaviour"),
            ("victimization", "victimisation"),
            ("organized", "organised"),
            ("analyze", "analyse"),
            ("program", "programme"),
            ("offenses", "offences"),
            ("center", "centre"),
        ] {
            assert_eq!(query(a), query(b), "{a} and {b}");
        }
        // Short stems before -ize stay: `size` is no `sise`.
        assert_eq!(normalise("size"), "size");
        assert_eq!(normalise("seizing"), "seizing");
        assert_eq!(normalise("prizes"), "prizes");
    }

    #[test]
    fn stop_words_only() {
        let q = parse_query("the and of", &mut Words::new());
        assert!(q.clauses.is_empty());
    }

    #[test]
    fn punctuation_and_unicode_joiners() {
        assert_eq!(terms("“2021–25”"), ["2021/25/", "2021", "25"]);
        assert_eq!(terms("e.g."), ["e", "g"]);
        assert_eq!(terms("--"), Vec::<String>::new());
    }

    #[test]
    fn lowercase_is_strs() {
        for text in [
            "",
            "Plain ASCII Text 2021",
            "£3,863 – “Quoted” ÉCOLE Straße İstanbul ǅ",
            "ΟΔΟΣ ΣΑΣ Σ",
            "Mixed ÀÉÎ and ascii ÑAME",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn the_one_pass_gives_what_the_two_passes_give() {
        let texts = [
            "The Commissioner's £641 million budget (£3.863m, 3,863 and £400k) for 2021–25.",
            "Anti-social behaviour and antisocial behaviour; e-scooters, co-location.",
            "Decision 004/2014 and PCC-DN 1956 follow WPCC3-0089 under rebuild-community-policing.",
            "Knives, women and children: organized crime, neighborhoods, 12.50 and 1.5bn.",
            "the and of -- “quoted” words… 10 m 20 million £5 bn covid19 a1b2 Straße",
            "",
        ];
        for text in texts {
            let lower = text.to_lowercase();
            let mut w = Words::new();
            let (mut index, mut phrase) = (Vec::new(), Vec::new());
            index_terms(&lower, &mut w, |t| index.push(t.to_string()));
            phrase_terms(&lower, &mut w, |t| phrase.push(t.to_string()));
            let (mut index1, mut phrase1) = (Vec::new(), Vec::new());
            index_and_phrase_terms(
                &lower,
                &mut Words::new(),
                |t| index1.push(t.to_string()),
                |t| phrase1.push(t.to_string()),
            );
            assert_eq!(index1, index, "{text}");
            assert_eq!(phrase1, phrase, "{text}");
        }
    }
}
