//! The record kinds, declared once. Each kind is a type implementing
//! [`Record`]; the `kinds!` list below turns the set of kinds into the
//! `Records` collection and the `Parsed` result of one file, and writes every
//! operation over all kinds (adding a file's records, dropping drafts,
//! withholding confidential parts, sorting, listing metas and dates) once,
//! for all of them. A kind missing a part of `Record` does not compile, and
//! no kind can be left out of the draft filter or the confidential filter,
//! because neither names a kind.

use std::collections::HashSet;
use std::path::Path;

use super::metric::Series;
use super::*;
use crate::types::Date;

/// What every kind of record provides.
pub trait Record: Sized + serde::Serialize {
    /// The part every record has.
    fn meta(&self) -> &Meta;
    #[cfg(test)]
    fn meta_mut(&mut self) -> &mut Meta;

    /// The date the document carries itself (decided, dated, submitted),
    /// or `None` when its source states none: used for browsing by year,
    /// for telling backlinks apart, and for lists.
    fn date(&self) -> Option<Date>;

    /// Drops everything but what may be published of a confidential
    /// record: its stub (id, number, title, dates, stated reason). Called
    /// when the file is parsed, so no later stage sees the rest.
    fn withhold(&mut self);

    /// The plain text search finds it by, besides its title and id. The
    /// kinds that came before the registry give theirs in
    /// `crate::search_docs`; a new kind gives it here.
    fn search_text(&self) -> String {
        String::new()
    }

    /// What its page shows besides the record, worked out from the other
    /// records (a precept's statutory timeline); a kind with nothing more
    /// gives an empty object.
    fn context(&self, _records: &Records) -> serde_json::Value {
        serde_json::json!({})
    }

    /// The records this one holds besides itself (a grants table's rows).
    fn nested_metas(&self) -> Vec<&Meta> {
        Vec::new()
    }

    /// Puts a kind's records in the order its lists show, whatever order
    /// the files were read in. By key, unless the kind says otherwise.
    fn sort(items: &mut [Self]) {
        items.sort_by(|a, b| a.meta().key.cmp(&b.meta().key));
    }
}

/// The kinds whose pages, search entries and open-data rows are written by
/// hand, kind by kind (they came before the registry). Every other kind is
/// published from its `Record` implementation and its `Kind::info` alone:
/// a page on its template, a list page, its search text and its row in
/// `records.json`/`.csv`.
pub fn bespoke(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Plan
            | Kind::Section
            | Kind::Variation
            | Kind::Commitment
            | Kind::Metric
            | Kind::Grants
            | Kind::Grant
            | Kind::Decision
            | Kind::Panel
            | Kind::Response
            | Kind::Paper
            | Kind::Page
    )
}

/// Newest first, then by key: the order of dated documents.
pub fn newest_first<T: Record>(items: &mut [T]) {
    items.sort_by(|a, b| (b.date(), &b.meta().key).cmp(&(a.date(), &a.meta().key)));
}

/// Moves the items `draft` picks out of `items`, keeping the others in
/// their order.
fn split<T>(items: &mut Vec<T>, draft: impl Fn(&T) -> bool) -> Vec<T> {
    // Usually there is none: leave thousands of records where they are.
    if !items.iter().any(&draft) {
        return Vec::new();
    }
    let (drafts, published): (Vec<T>, Vec<T>) = std::mem::take(items).into_iter().partition(draft);
    *items = published;
    drafts
}

impl Records {
    /// Lets go of the decisions' HTML once their pages are written (`build`
    /// and `check`; `serve` keeps it, to render pages again). Decisions are
    /// the kind a site has tens of thousands of, and their HTML most of a
    /// large site's memory; the search index and the exports that come
    /// after the pages read the plain text only.
    pub fn drop_decision_html(&mut self) {
        for notice in self.decisions.iter_mut().filter_map(|d| d.notice.as_mut()) {
            notice.drop_html();
        }
    }
}

/// A record of any kind, as generic code sees it (`Records::of_kind`). Its
/// page context and search text are made only when asked for: a list needs
/// neither, search needs no context, serve makes few of the pages.
pub struct Generic<'a> {
    pub meta: &'a Meta,
    pub date: Option<Date>,
    record: Box<dyn Fn() -> serde_json::Value + 'a>,
    text: Box<dyn Fn() -> String + 'a>,
    context: Box<dyn Fn(&Records) -> serde_json::Value + 'a>,
}

impl Generic<'_> {
    /// The record as its page's template sees it.
    pub fn record(&self) -> serde_json::Value {
        (self.record)()
    }

    /// What search finds it by (`Record::search_text`).
    pub fn text(&self) -> String {
        (self.text)()
    }

    /// What its page shows besides the record (`Record::context`).
    pub fn context(&self, records: &Records) -> serde_json::Value {
        (self.context)(records)
    }
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $field:ident: $ty:ty => $variant:ident,)*) => {
        /// All records of a site, as parsed: one list per kind.
        #[derive(Debug, Default)]
        pub struct Records {
            $($(#[$doc])* pub $field: Vec<$ty>,)*
            /// Keys named in files that failed to parse (see `salvage_keys`).
            pub broken_keys: HashSet<String>,
        }

        /// One parsed file's contribution.
        pub enum Parsed {
            $($variant(Vec<$ty>),)*
            /// A metric's series, attached once every metric is known.
            Series(Series),
            /// A file holding records of several kinds (a register and
            /// its decisions).
            Several(Vec<Parsed>),
            Nothing,
        }

        impl Parsed {
            /// The common part of every record the file holds.
            pub fn metas(&self) -> Vec<&Meta> {
                let mut out = Vec::new();
                match self {
                    $(Parsed::$variant(items) => {
                        for x in items {
                            out.push(x.meta());
                            out.extend(x.nested_metas());
                        }
                    })*
                    Parsed::Several(all) => all.iter().for_each(|p| out.extend(p.metas())),
                    Parsed::Series(_) | Parsed::Nothing => {}
                }
                out
            }

            /// Each record the file holds (not nested ones) with the date
            /// it carries itself.
            pub fn dated(&self) -> Vec<(&Meta, Option<Date>)> {
                match self {
                    $(Parsed::$variant(items) => items.iter().map(|x| (x.meta(), x.date())).collect(),)*
                    Parsed::Several(all) => all.iter().flat_map(Parsed::dated).collect(),
                    Parsed::Series(_) | Parsed::Nothing => Vec::new(),
                }
            }

            /// Withholds what a confidential record may not publish
            /// (`Record::withhold`), for every kind alike.
            pub fn withhold_confidential(&mut self) {
                match self {
                    $(Parsed::$variant(items) => {
                        for x in items.iter_mut().filter(|x| x.meta().confidential) {
                            x.withhold();
                        }
                    })*
                    Parsed::Several(all) => all.iter_mut().for_each(Parsed::withhold_confidential),
                    Parsed::Series(_) | Parsed::Nothing => {}
                }
            }
        }

        impl Records {
            /// Files one parsed file's records under their kind; a metric
            /// series is handed back, to be attached once every metric is
            /// known.
            pub fn add(&mut self, parsed: Parsed) -> Option<Series> {
                match parsed {
                    $(Parsed::$variant(x) => self.$field.extend(x),)*
                    Parsed::Several(all) => {
                        for p in all {
                            // No file holds a series beside other records.
                            let _ = self.add(p);
                        }
                    }
                    Parsed::Series(x) => return Some(x),
                    Parsed::Nothing => {}
                }
                None
            }

            /// Drops every record that came from `file` (serve's incremental
            /// rebuild, before adding the file's records again).
            pub fn remove_file(&mut self, file: &Path) {
                $(self.$field.retain(|x| x.meta().file != file);)*
            }

            /// Moves the drafts out, so that records can be linked again
            /// without them and put back when a file changes (serve).
            pub fn take_drafts(&mut self) -> Records {
                Records {
                    $($field: split(&mut self.$field, |x| x.meta().draft),)*
                    broken_keys: Default::default(),
                }
            }

            /// Puts records taken out by `take_drafts` back.
            pub fn absorb(&mut self, other: Records) {
                $(self.$field.extend(other.$field);)*
            }

            /// A fixed order whatever order files were read or parsed in.
            pub fn sort(&mut self) {
                $(<$ty as Record>::sort(&mut self.$field);)*
            }

            /// Every record's common part, nested records (grant rows)
            /// after the record that holds them.
            pub fn metas(&self) -> Vec<&Meta> {
                let mut out: Vec<&Meta> = Vec::new();
                $(for x in &self.$field {
                    out.push(x.meta());
                    out.extend(x.nested_metas());
                })*
                out
            }

            /// Every record with the date it carries itself.
            pub fn dated(&self) -> Vec<(&Meta, Option<Date>)> {
                let mut out = Vec::new();
                $(out.extend(self.$field.iter().map(|x| (x.meta(), x.date())));)*
                out
            }

            /// The records of one kind as pages, lists, search and exports
            /// see them when the kind has no code of its own there.
            pub fn of_kind(&self, kind: Kind) -> Vec<Generic<'_>> {
                let mut out = Vec::new();
                $(for x in self.$field.iter().filter(|x| x.meta().kind == kind) {
                    out.push(Generic {
                        meta: x.meta(),
                        date: x.date(),
                        record: Box::new(move || serde_json::to_value(x).unwrap_or_default()),
                        text: Box::new(move || x.search_text()),
                        context: Box::new(move |records| x.context(records)),
                    });
                })*
                out
            }

            /// Calls `f` on the common part of every record (not nested
            /// ones); for tests that must reach every kind.
            #[cfg(test)]
            pub fn for_each_meta_mut(&mut self, mut f: impl FnMut(&mut Meta)) {
                $(for x in &mut self.$field {
                    f(x.meta_mut());
                })*
            }

            /// Withholds every record's confidential parts as if each were
            /// marked confidential, and gives the JSON each would publish;
            /// for the test that no kind can publish a confidential body.
            #[cfg(test)]
            pub fn withheld_json(&self) -> Vec<(Kind, String, String)> {
                let mut out = Vec::new();
                $(for x in &self.$field {
                    let mut x = x.clone();
                    x.meta_mut().confidential = true;
                    let mut parsed = Parsed::$variant(vec![x]);
                    parsed.withhold_confidential();
                    let Parsed::$variant(items) = parsed else { unreachable!() };
                    for x in items {
                        let json = serde_json::to_string(&x).unwrap_or_default();
                        out.push((x.meta().kind, x.meta().key.clone(), json));
                    }
                })*
                out
            }
        }
    };
}

kinds! {
    plans: Plan => Plan,
    sections: Section => Section,
    variations: Variation => Variation,
    commitments: Commitment => Commitments,
    metrics: Metric => Metrics,
    /// Grants tables, each holding its rows (`Kind::Grant`).
    grants: GrantsTable => Grants,
    decisions: Decision => Decision,
    /// Registers, each listing decisions held in `decisions`.
    registers: Register => Register,
    panel: PanelDoc => Panel,
    responses: Response => Response,
    papers: Paper => Paper,
    pages: Page => Page,
    meetings: Meeting => Meeting,
    precepts: Precept => Precept,
    budgets: Budget => Budget,
    annual_reports: AnnualReport => AnnualReport,
    performance: PerformanceReport => Performance,
    /// Documents published elsewhere, which records here refer to.
    documents: Document => Document,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture site's records, drafts included, as parsed.
    fn fixture_records() -> Records {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
        let (paths, _) = crate::load::text_paths(&root);
        let (parsed, _) = crate::load::read_these(&root, &paths, Vec::new(), |file| {
            super::super::parse_file(&file).0
        });
        let mut records = Records::default();
        for parsed in parsed {
            records.add(parsed);
        }
        records
    }

    fn kinds_of(records: &Records) -> std::collections::BTreeSet<Kind> {
        records.metas().iter().map(|m| m.kind).collect()
    }

    #[test]
    fn the_fixture_holds_every_kind() {
        // The tests below reach every kind only if the fixture has one of
        // each; a new kind must be added to the fixture too.
        let kinds = kinds_of(&fixture_records());
        let missing: Vec<Kind> = Kind::ALL
            .into_iter()
            .filter(|k| !kinds.contains(k))
            .collect();
        assert!(missing.is_empty(), "the fixture has no {missing:?}");
    }

    #[test]
    fn drafts_of_every_kind_are_dropped_without_naming_a_kind() {
        let mut records = fixture_records();
        assert!(!records.metas().is_empty());
        let all = records.metas().len();
        records.for_each_meta_mut(|m| m.draft = true);
        let drafts = records.take_drafts();
        assert_eq!(drafts.metas().len(), all, "every record was a draft");
        let left: Vec<String> = records
            .metas()
            .iter()
            .map(|m| format!("{} {}", m.kind, m.key))
            .collect();
        assert!(left.is_empty(), "drafts still held: {left:?}");
    }

    #[test]
    fn a_confidential_record_of_any_kind_keeps_no_body() {
        let records = fixture_records();
        // Every string each record would publish once withheld.
        let mut texts: Vec<(Kind, String, String)> = Vec::new();
        let withheld = records.withheld_json();
        assert!(!withheld.is_empty());
        for (kind, key, json) in withheld {
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            collect_long_strings(&value, &mut |s| {
                texts.push((kind, key.clone(), s.to_string()))
            });
        }
        // What is left may be a title, a number, a label or a reason, never
        // a paragraph: no string of a withheld record runs to 200 characters
        // and none holds a numbered paragraph or a Markdown-made block.
        let leaks: Vec<&(Kind, String, String)> = texts
            .iter()
            .filter(|(_, _, s)| s.len() >= 200 || s.contains("<p") || s.contains("<li"))
            .collect();
        assert!(
            leaks.is_empty(),
            "withheld records still hold text: {:?}",
            leaks
                .iter()
                .map(|(k, key, s)| format!("{k} {key}: {}", &s[..s.len().min(60)]))
                .collect::<Vec<_>>()
        );
    }

    fn collect_long_strings(v: &serde_json::Value, f: &mut impl FnMut(&str)) {
        match v {
            serde_json::Value::String(s) => f(s),
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect_long_strings(x, f)),
            serde_json::Value::Object(o) => o.values().for_each(|x| collect_long_strings(x, f)),
            _ => {}
        }
    }
}
