//! Meetings: of the Police and Crime Panel, a board (in the West Midlands the
//! Strategic Policing and Crime Board) or another body, with their agenda
//! items, the papers presented under each and the minutes (the body).

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use super::{Common, Cx, Md, Meta, Parsed, front_matter};
use crate::diagnostics::Diagnostic;
use crate::load::SourceFile;
use crate::markdown::Settings;
use crate::refs::{Ref, Relation};
use crate::types::{Date, Kind};

/// The name of a dated meeting's own calendar file, in its page's folder
/// (`meetings/<id>/meeting.ics`): claimed with the page, written with the
/// open data (`crate::export`).
pub const CALENDAR_FILE: &str = "meeting.ics";

/// Whether the meeting has happened, as its organiser states it; never
/// worked out from today's date, so a build does not change with the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Scheduled,
    Held,
    Cancelled,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Scheduled => "Scheduled",
            Status::Held => "Held",
            Status::Cancelled => "Cancelled",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    id: Spanned<String>,
    title: String,
    /// The body that meets: "Police and Crime Panel".
    body: Option<String>,
    date: Option<Spanned<String>>,
    /// As the agenda states it: "10:00", "2pm".
    time: Option<String>,
    place: Option<String>,
    status: Status,
    #[serde(default)]
    attendees: Vec<Person>,
    /// What the list of those present leaves out, as far as is known: "only
    /// the substitutes are named in the copy seen".
    attendance_note: Option<String>,
    #[serde(default)]
    apologies: Vec<Person>,
    #[serde(default)]
    declarations: Vec<RawDeclaration>,
    #[serde(default)]
    agenda: Vec<RawItem>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    changes: Vec<super::RawChange>,
    withdrawn: Option<super::RawWithdrawn>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    /// The item's number as the agenda prints it: `5`, `5a`. Left out when
    /// the source prints none ("Webcast.").
    item: Option<Spanned<String>>,
    title: String,
    #[serde(default)]
    papers: Vec<Spanned<String>>,
    /// The discussion, as minuted (Markdown).
    minutes: Option<Spanned<String>>,
    #[serde(default)]
    resolutions: Vec<RawResolution>,
    #[serde(default)]
    actions: Vec<Action>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResolution {
    /// The minutes' own number for it, when they print one: `a`, `2`.
    number: Option<Spanned<String>>,
    /// As minuted (Markdown): "RESOLVED that: …".
    text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeclaration {
    who: String,
    /// The number of the agenda item it concerns, when the minutes say.
    item: Option<Spanned<String>>,
    interest: String,
}

/// Someone present or sending apologies, as the minutes print them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Declaration {
    pub who: String,
    pub item: Option<String>,
    /// `item-5`, when the item is on the agenda.
    pub item_anchor: Option<String>,
    pub interest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    /// The minutes' own number, or its place under the item (1, 2, …).
    pub number: String,
    /// `item-5-resolution-1`: its address on the meeting's page.
    pub anchor: String,
    pub text: Md,
}

/// An action minuted under an item, with its owner; the due date is kept
/// as stated ("at the next meeting"), never turned into a date.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub action: String,
    pub owner: String,
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub number: Option<String>,
    /// `item-5`: the item's address on the meeting's page; none for an
    /// item the source prints no number for.
    pub anchor: Option<String>,
    pub title: String,
    pub papers: Vec<Ref>,
    pub minutes: Option<Md>,
    pub resolutions: Vec<Resolution>,
    pub actions: Vec<Action>,
}

impl Item {
    fn minuted(&self) -> bool {
        self.minutes.is_some() || !self.resolutions.is_empty() || !self.actions.is_empty()
    }
}

impl Meeting {
    /// Whether its minutes are published: as a body or item by item.
    pub fn has_minutes(&self) -> bool {
        self.body.is_some() || self.agenda.iter().any(Item::minuted)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub meta: Meta,
    pub meeting_body: Option<String>,
    pub date: Option<Date>,
    pub time: Option<String>,
    pub place: Option<String>,
    pub status: Status,
    pub status_label: &'static str,
    pub attendees: Vec<Person>,
    pub attendance_note: Option<String>,
    pub apologies: Vec<Person>,
    pub declarations: Vec<Declaration>,
    pub agenda: Vec<Item>,
    /// Whether any item has minutes of its own: the page then gives each
    /// item a heading for its parts to sit under.
    pub minuted_items: bool,
    /// The minutes, when published.
    pub body: Option<Md>,
}

/// Markdown held under an agenda item, whose heading is an `h3` and whose
/// parts are `h4`s: no numbered paragraphs, so that two items' paragraphs
/// do not claim the same `#para-N`.
const ITEM_TEXT: Settings = Settings {
    numbered_paragraphs: false,
    heading_shift: 4,
    relation: Relation::Mentions,
};

pub fn parse(file: &SourceFile) -> (Parsed, Vec<Diagnostic>) {
    let (raw, fm) = match front_matter::<Raw>(file) {
        Ok(v) => v,
        Err(d) => return (Parsed::Nothing, vec![d]),
    };
    let mut cx = Cx::new(&file.path, fm.yaml_line);
    let id = cx.id(&raw.id);
    let date = cx.date(&raw.date);
    let mut agenda: Vec<Item> = Vec::new();
    for item in &raw.agenda {
        if let Some(parsed) = parse_item(&mut cx, item, &agenda) {
            agenda.push(parsed);
        }
    }
    let declarations = raw
        .declarations
        .iter()
        .map(|d| declaration(&mut cx, d, &agenda))
        .collect();
    let body = cx.body(
        fm.body,
        fm.body_line,
        Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            relation: Relation::Mentions,
        },
    );
    let mut meta = Meta::new(Kind::Meeting, id, raw.title, &file.path, cx.span(&raw.id));
    let common = Common {
        draft: raw.draft,
        aliases: raw.aliases,
        updated: raw.updated,
        changes: raw.changes,
        withdrawn: raw.withdrawn,
        related: raw.related,
    };
    cx.finish_meta(&mut meta, &common);
    let diagnostics = std::mem::take(&mut cx.diagnostics);
    (
        Parsed::Meeting(vec![Meeting {
            meta,
            meeting_body: raw.body,
            date,
            time: raw.time,
            place: raw.place,
            status: raw.status,
            status_label: raw.status.label(),
            attendees: raw.attendees,
            attendance_note: raw.attendance_note,
            apologies: raw.apologies,
            declarations,
            minuted_items: agenda.iter().any(Item::minuted),
            agenda,
            body,
        }]),
        diagnostics,
    )
}

/// One agenda item with its minutes; `None` (with an error) when its
/// number cannot be an address or another item already has it.
fn parse_item(cx: &mut Cx<'_>, item: &RawItem, earlier: &[Item]) -> Option<Item> {
    let (number, anchor) = match &item.item {
        None => (None, None),
        Some(written) => {
            let number = written.value.trim().to_string();
            let anchor = format!("item-{}", number.to_lowercase());
            if !crate::types::valid_id(&number.to_lowercase()) {
                let span = cx.span(written);
                cx.error(
                    span,
                    format!("`{number}` cannot be an agenda item's number"),
                    "number items as the agenda does, with letters, digits and `.` only, e.g. `5` or `5a`; the number becomes the item's address",
                );
                return None;
            }
            if earlier.iter().any(|a| a.anchor.as_ref() == Some(&anchor)) {
                let span = cx.span(written);
                cx.error(
                    span,
                    format!("agenda item {number} is listed twice"),
                    "give each agenda item its own number, and write an item's minutes, resolutions and actions under its one entry",
                );
                return None;
            }
            cx.anchors.push(anchor.clone());
            (Some(number), Some(anchor))
        }
    };
    let papers = cx.typed_all(Kind::Paper, &item.papers, Relation::Mentions);
    let minutes = cx.markdown(&item.minutes, ITEM_TEXT);
    let resolutions = resolutions(cx, item, anchor.as_deref());
    Some(Item {
        number,
        anchor,
        title: item.title.clone(),
        papers,
        minutes,
        resolutions,
        actions: item.actions.clone(),
    })
}

/// An item's resolutions, each addressed under its item
/// (`item-5-resolution-1`, or by the minutes' own number).
fn resolutions(cx: &mut Cx<'_>, item: &RawItem, item_anchor: Option<&str>) -> Vec<Resolution> {
    let mut out: Vec<Resolution> = Vec::new();
    for (k, r) in item.resolutions.iter().enumerate() {
        let Some(item_anchor) = item_anchor else {
            let span = cx.span(&r.text);
            cx.error(
                span,
                "a resolution under an item with no number has no address",
                "give the item its number (`item:`) as the minutes print it; a resolution's address is `item-<number>-resolution-<n>`",
            );
            continue;
        };
        let number = match &r.number {
            Some(n) => n.value.trim().to_string(),
            None => (k + 1).to_string(),
        };
        let anchor = format!("{item_anchor}-resolution-{}", number.to_lowercase());
        if let Some(n) = &r.number {
            if !crate::types::valid_id(&number.to_lowercase()) {
                let span = cx.span(n);
                cx.error(
                    span,
                    format!("`{number}` cannot be a resolution's number"),
                    "write the minutes' number with letters, digits and `.` only (`a` for `(a)`); it becomes part of the resolution's address",
                );
                continue;
            }
            if out.iter().any(|o| o.anchor == anchor) {
                let span = cx.span(n);
                cx.error(
                    span,
                    format!("resolution {number} is listed twice under this item"),
                    "give each resolution its own number, or leave `number:` out to number them 1, 2, … in order",
                );
                continue;
            }
        }
        let text = cx
            .markdown(&Some(r.text.clone()), ITEM_TEXT)
            .unwrap_or_default();
        cx.anchors.push(anchor.clone());
        out.push(Resolution {
            number,
            anchor,
            text,
        });
    }
    out
}

/// A declaration of interest, linked to the item it concerns; naming an
/// item the agenda does not have is an error, since it is most likely a
/// slip in the number.
fn declaration(cx: &mut Cx<'_>, d: &RawDeclaration, agenda: &[Item]) -> Declaration {
    let mut item_anchor = None;
    let item = d.item.as_ref().map(|written| {
        let number = written.value.trim().to_string();
        let anchor = format!("item-{}", number.to_lowercase());
        if agenda.iter().any(|i| i.anchor.as_ref() == Some(&anchor)) {
            item_anchor = Some(anchor);
        } else if !agenda.is_empty() {
            let span = cx.span(written);
            cx.error(
                span,
                format!("the declaration names item {number}, which is not on the agenda"),
                "write the number of the agenda item the interest concerns, as `item:` under `agenda:` has it, or leave `item:` out when the minutes do not say",
            );
        }
        number
    });
    Declaration {
        who: d.who.clone(),
        item,
        item_anchor,
        interest: d.interest.clone(),
    }
}

impl super::Record for Meeting {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
        self.agenda.clear();
        self.attendees.clear();
        self.attendance_note = None;
        self.apologies.clear();
        self.declarations.clear();
        self.minuted_items = false;
    }
    fn search_text(&self) -> String {
        let mut parts: Vec<&str> = [self.meeting_body.as_deref(), self.place.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        for p in self.attendees.iter().chain(&self.apologies) {
            parts.push(&p.name);
        }
        for d in &self.declarations {
            parts.extend([d.who.as_str(), d.interest.as_str()]);
        }
        for item in &self.agenda {
            parts.push(&item.title);
            parts.extend(item.minutes.as_ref().map(|m| m.text.as_str()));
            parts.extend(item.resolutions.iter().map(|r| r.text.text.as_str()));
            for a in &item.actions {
                parts.extend([a.action.as_str(), a.owner.as_str()]);
            }
        }
        parts.extend(self.body.as_ref().map(|b| b.text.as_str()));
        parts.join(" ")
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}

#[cfg(test)]
mod tests {
    use super::super::Record;
    use super::*;

    /// The Northamptonshire Panel's minutes of 1 December 2022, the source
    /// named in the file.
    const NORTHANTS: &str =
        include_str!("../../tests/fixtures/minutes/northants-pfcp-2022-12-01.md");

    fn parse_text(text: &str) -> (Option<Meeting>, Vec<Diagnostic>) {
        let file = SourceFile {
            path: "content/meetings/northants-pfcp-2022-12-01.md".into(),
            rel: "meetings/northants-pfcp-2022-12-01.md".into(),
            text: text.into(),
        };
        match parse(&file) {
            (Parsed::Meeting(mut m), d) => (Some(m.remove(0)), d),
            (_, d) => (None, d),
        }
    }

    fn northants() -> Meeting {
        let (meeting, diagnostics) = parse_text(NORTHANTS);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        meeting.expect("a meeting")
    }

    #[test]
    fn a_resolution_keeps_the_minutes_own_number_and_one_used_twice_is_an_error() {
        let resolution = "      - text: \"RESOLVED";
        // The real resolution given a number, as minutes that letter theirs would.
        let lettered = NORTHANTS.replace(
            resolution,
            "      - number: \"A\"\n        text: \"RESOLVED",
        );
        let (meeting, diagnostics) = parse_text(&lettered);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let meeting = meeting.unwrap();
        assert!(
            meeting
                .meta
                .anchors
                .contains(&"item-99-resolution-a".to_string())
        );
        let twice = lettered.replace(
            "be approved.\"\n",
            "be approved.\"\n      - number: \"a\"\n        text: again\n",
        );
        let (_, diagnostics) = parse_text(&twice);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0]
                .message
                .contains("resolution a is listed twice"),
            "{diagnostics:?}"
        );
    }

    #[test]
    fn item_minutes_and_resolutions_are_searched_and_addressed() {
        let m = northants();
        let text = m.search_text();
        assert!(text.contains("substituted by Councillor Cali"), "{text}");
        assert!(
            text.contains("meeting held on 8 September 2022 be approved"),
            "{text}"
        );
        assert!(m.meta.anchors.contains(&"item-99-resolution-1".to_string()));
        assert!(m.meta.anchors.contains(&"item-95".to_string()));
        assert!(m.minuted_items);
    }

    #[test]
    fn withholding_clears_the_minutes_of_every_item_and_who_was_there() {
        let mut m = northants();
        m.withhold();
        assert!(m.agenda.is_empty() && m.attendees.is_empty() && m.apologies.is_empty());
        assert!(m.declarations.is_empty() && m.body.is_none() && !m.minuted_items);
        assert!(!m.search_text().contains("Cali"));
    }
}
