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
    agenda: Vec<RawItem>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    related: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    /// The item's number as the agenda prints it: `5`, `5a`.
    item: Spanned<String>,
    title: String,
    #[serde(default)]
    papers: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Item {
    pub number: String,
    /// `item-5`: the item's address on the meeting's page.
    pub anchor: String,
    pub title: String,
    pub papers: Vec<Ref>,
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
    pub agenda: Vec<Item>,
    /// The minutes, when published.
    pub body: Option<Md>,
}

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
        let number = item.item.value.trim().to_string();
        let anchor = format!("item-{}", number.to_lowercase());
        if !crate::types::valid_id(&number.to_lowercase()) {
            let span = cx.span(&item.item);
            cx.error(
                span,
                format!("`{number}` cannot be an agenda item's number"),
                "number items as the agenda does, with letters, digits and `.` only, e.g. `5` or `5a`; the number becomes the item's address",
            );
            continue;
        }
        if agenda.iter().any(|a| a.anchor == anchor) {
            let span = cx.span(&item.item);
            cx.error(
                span,
                format!("agenda item {number} is listed twice"),
                "give each agenda item its own number",
            );
            continue;
        }
        let papers = cx.typed_all(Kind::Paper, &item.papers, Relation::Mentions);
        cx.anchors.push(anchor.clone());
        agenda.push(Item {
            number,
            anchor,
            title: item.title.clone(),
            papers,
        });
    }
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
            agenda,
            body,
        }]),
        diagnostics,
    )
}

impl super::Record for Meeting {
    meta_field!();
    fn date(&self) -> Option<Date> {
        self.date
    }
    fn withhold(&mut self) {
        self.body = None;
        self.agenda.clear();
    }
    fn search_text(&self) -> String {
        let items = self.agenda.iter().map(|i| i.title.as_str());
        let minutes = self.body.as_ref().map(|b| b.text.as_str());
        [self.meeting_body.as_deref(), self.place.as_deref()]
            .into_iter()
            .flatten()
            .chain(items)
            .chain(minutes)
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn sort(items: &mut [Self]) {
        super::registry::newest_first(items);
    }
}
