//! What goes into the search index: every public record's title, number,
//! date, ids, amounts and plain text. Confidential bodies never reach here
//! (they were dropped at parse time); drafts were dropped before linking.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::link::Site;
use crate::records::Meta;
use crate::search::thesaurus::{Thesaurus, default_groups};
use crate::search::{SearchDoc, SearchOutput, build_index_with};

/// A record's search entry. Its text is the record's own texts, borrowed,
/// in order: joined with spaces only while a record is indexed, so the
/// index does not hold a copy of every record's text.
struct Owned<'a> {
    url: String,
    kind: &'static str,
    kind_label: &'static str,
    title: String,
    number: Option<String>,
    date: Option<String>,
    ids: Vec<String>,
    text: Vec<Cow<'a, str>>,
    amounts: Vec<String>,
    people: Vec<String>,
}

fn base<'a>(meta: &Meta, text: Vec<Cow<'a, str>>) -> Owned<'a> {
    Owned {
        url: meta.url.clone(),
        kind: meta.kind.keyword(),
        kind_label: meta.kind_label,
        // A withdrawn record stays findable, marked, so a reader who
        // knew it can still reach it and see why it went.
        title: match meta.withdrawn {
            Some(_) => format!("{} (withdrawn)", meta.title),
            None => meta.title.clone(),
        },
        number: None,
        date: None,
        ids: vec![meta.key.clone()],
        text,
        amounts: Vec::new(),
        people: Vec::new(),
    }
}

/// The texts a record has, in order.
fn join<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Vec<Cow<'a, str>> {
    parts.into_iter().flatten().map(Cow::Borrowed).collect()
}

/// One text, when there is one.
fn one(text: Option<&str>) -> Vec<Cow<'_, str>> {
    join([text])
}

pub fn build(site: &Site) -> SearchOutput {
    let r = &site.records;
    let mut docs: Vec<Owned> = Vec::new();
    for p in &r.plans {
        docs.push(base(
            &p.meta,
            join([
                p.summary.as_ref().map(|m| m.text.as_str()),
                p.period.as_deref(),
            ]),
        ));
    }
    for s in &r.sections {
        docs.push(base(&s.meta, one(s.body.as_ref().map(|b| b.text.as_str()))));
    }
    for v in &r.variations {
        let mut d = base(
            &v.meta,
            join([
                v.varies.as_deref(),
                v.body.as_ref().map(|m| m.text.as_str()),
            ]),
        );
        d.date = v.date.map(|x| x.iso());
        d.people.extend(v.author.clone());
        docs.push(d);
    }
    for c in &r.commitments {
        docs.push(base(&c.meta, one(Some(&c.text.text))));
    }
    for m in &r.metrics {
        // The name is the title, indexed as such. The plan's lead-in comes
        // before the definition, so a snippet reads as the plan does
        // ("Monitor recorded business crime … for: Burglary"), not the
        // definition run into the next sentence.
        docs.push(base(
            &m.meta,
            join([
                m.context.as_ref().map(|c| c.text.as_str()),
                Some(m.definition.text.as_str()),
                m.target.as_deref(),
            ]),
        ));
    }
    for g in &r.grants {
        docs.push(base(
            &g.meta,
            join([
                g.intro.as_ref().map(|m| m.text.as_str()),
                g.notes.as_ref().map(|m| m.text.as_str()),
            ]),
        ));
        for row in &g.rows {
            let mut d = base(
                &row.meta,
                join([
                    row.recipient.as_deref(),
                    row.funder.as_deref(),
                    row.purpose.as_ref().map(|m| m.text.as_str()),
                    row.amount_note.as_deref(),
                    g.financial_year.as_deref(),
                ]),
            );
            d.ids.push(row.row_id.clone());
            if let Some(m) = row.amount {
                // The amount leads the snippet, as the table prints it and
                // in pounds, so a search for it shows (and marks) it.
                let amount = match m.unit {
                    crate::types::MoneyUnit::Pounds => format!("Amount: {}.", m.pounds_display()),
                    unit => format!(
                        "Amount: {} ({} {}).",
                        m.pounds_display(),
                        m.as_in_table(),
                        unit.label()
                    ),
                };
                d.text.insert(0, Cow::Owned(amount));
                d.amounts.push(format!("£{}", m.as_in_table()));
                d.amounts.push(m.as_in_table());
                d.amounts.push(m.pounds_display());
            }
            docs.push(d);
        }
    }
    // Most records are decisions, and most of their text is copied here: on
    // both cores.
    let decisions: Vec<Owned<'_>> = r
        .decisions
        .par_iter()
        .map(|x| {
            // A confidential decision has no notice: its stub is all there is.
            let n = x.notice.as_ref();
            let text = join([
                n.and_then(|n| n.executive_summary.as_ref())
                    .map(|m| m.text.as_str()),
                n.and_then(|n| n.recommendation.as_ref())
                    .map(|m| m.text.as_str()),
                n.and_then(|n| n.decision.as_ref()).map(|m| m.text.as_str()),
                n.and_then(|n| n.approval.as_ref())
                    .map(|a| a.text.text.as_str()),
                n.and_then(|n| n.body.as_ref()).map(|m| m.text.as_str()),
                x.confidential_reason.as_deref(),
                n.and_then(|n| n.category.as_deref()),
            ]);
            let mut d = base(&x.meta, text);
            d.number = x.number.clone();
            d.date = x.date().map(|d| d.iso());
            // Who signed a published notice, and its contact officer. A
            // confidential decision has no notice, so its people are never read.
            if let Some(n) = n {
                d.people.extend(n.signed_by.clone());
                d.people
                    .extend(n.contact_officer.as_ref().and_then(|o| o.name.clone()));
                d.people
                    .extend(n.sign_offs.iter().filter_map(|o| o.name.clone()));
            }
            d
        })
        .collect();
    docs.extend(decisions);
    for x in &r.panel {
        let recs = x.recommendations.iter().map(|r| Some(r.text.text.as_str()));
        let mut d = base(
            &x.meta,
            join(std::iter::once(x.body.as_ref().map(|m| m.text.as_str())).chain(recs)),
        );
        d.date = x.date.map(|d| d.iso());
        d.people.extend(x.author.clone());
        docs.push(d);
    }
    for x in &r.responses {
        let answers = x
            .answers
            .iter()
            .filter_map(|a| a.text.as_ref())
            .map(|t| Some(t.text.as_str()));
        let mut d = base(
            &x.meta,
            join(std::iter::once(x.body.as_ref().map(|m| m.text.as_str())).chain(answers)),
        );
        d.date = x.date.map(|d| d.iso());
        d.people.extend(x.author.clone());
        docs.push(d);
    }
    for x in &r.papers {
        let mut d = base(
            &x.meta,
            join([
                x.purpose.as_ref().map(|m| m.text.as_str()),
                x.body.as_ref().map(|m| m.text.as_str()),
            ]),
        );
        d.date = x.date.map(|d| d.iso());
        d.people.extend(x.presented_by.clone());
        docs.push(d);
    }
    for x in &r.pages {
        docs.push(base(&x.meta, one(x.body.as_ref().map(|b| b.text.as_str()))));
    }
    // Kinds published from the registry alone.
    for kind in crate::types::Kind::ALL
        .into_iter()
        .filter(|k| !crate::records::registry::bespoke(*k))
    {
        for g in r.of_kind(kind) {
            let mut d = base(g.meta, vec![Cow::Owned(g.text())]);
            d.date = g.date.map(|d| d.iso());
            docs.push(d);
        }
    }
    let ids: Vec<Vec<&str>> = docs
        .iter()
        .map(|d| d.ids.iter().map(String::as_str).collect())
        .collect();
    let amounts: Vec<Vec<&str>> = docs
        .iter()
        .map(|d| d.amounts.iter().map(String::as_str).collect())
        .collect();
    let texts: Vec<Vec<&str>> = docs
        .iter()
        .map(|d| d.text.iter().map(|t| t.as_ref()).collect())
        .collect();
    let people: Vec<Vec<&str>> = docs
        .iter()
        .map(|d| d.people.iter().map(String::as_str).collect())
        .collect();
    let borrowed: Vec<SearchDoc<'_>> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| SearchDoc {
            url: &d.url,
            kind: d.kind,
            kind_label: d.kind_label,
            title: &d.title,
            number: d.number.as_deref(),
            date: d.date.as_deref(),
            ids: &ids[i],
            text: &texts[i],
            amounts: &amounts[i],
            people: &people[i],
        })
        .collect();
    // The theme's thesaurus, then the site's own entries.
    let mut groups = default_groups();
    groups.extend(site.config.search_synonyms.iter().cloned());
    build_index_with(&borrowed, &Thesaurus::new(&groups))
}
