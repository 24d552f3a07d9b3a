//! `meetings.ics`: every dated meeting as an iCalendar event (RFC 5545), so
//! a reader can subscribe to the meetings in a calendar program. Written by
//! hand: the format is small and the lines need only escaping, folding and
//! CRLF endings. Deterministic: the stamp is the date the data is as of,
//! never the clock; a time is kept only when it reads as `HH:MM`, and then
//! as local (floating) time, which is what an agenda states. Each dated
//! meeting also has a calendar of its own beside its page, for its "add
//! this meeting to your calendar" link.

use super::Cx;
use crate::output::OutputFile;
use crate::records::meeting::{CALENDAR_FILE, Meeting, Status};

pub(crate) const PATH: &str = "meetings.ics";

/// The calendar, when the site has meetings.
pub(crate) fn file(cx: &Cx<'_>) -> Option<OutputFile> {
    let meetings = &cx.site.records.meetings;
    if meetings.is_empty() {
        return None;
    }
    let name = format!("Meetings – {}", cx.site.config.title);
    Some(calendar(cx, PATH.into(), &name, meetings.iter()))
}

/// One calendar per dated meeting, beside its page
/// (`meetings/<id>/meeting.ics`), for the page's "add this meeting to your
/// calendar" link: a program opening it adds that one event.
pub(crate) fn per_meeting(cx: &Cx<'_>) -> Vec<OutputFile> {
    cx.site
        .records
        .meetings
        .iter()
        .filter(|m| m.date.is_some())
        .map(|m| {
            let path = format!("{}{}", m.meta.url, CALENDAR_FILE);
            calendar(cx, path, &m.meta.title, std::iter::once(m))
        })
        .collect()
}

fn calendar<'a>(
    cx: &Cx<'_>,
    path: String,
    name: &str,
    meetings: impl Iterator<Item = &'a Meeting>,
) -> OutputFile {
    let config = &cx.site.config;
    let host = config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or(&config.base_url)
        .split('/')
        .next()
        .unwrap_or_default();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:-//plansite//{}//EN", text(&config.organisation)),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text(name)),
    ];
    let stamp = format!("{}T000000Z", compact(&cx.generated.iso()));
    for m in meetings {
        let Some(date) = m.date else { continue };
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:meeting-{}@{host}", m.meta.key));
        lines.push(format!("DTSTAMP:{stamp}"));
        let day = compact(&date.iso());
        match m.time.as_deref().and_then(clock_time) {
            Some(hhmm) => lines.push(format!("DTSTART:{day}T{hhmm}00")),
            None => lines.push(format!("DTSTART;VALUE=DATE:{day}")),
        }
        lines.push(format!("SUMMARY:{}", text(&m.meta.title)));
        if let Some(place) = &m.place {
            lines.push(format!("LOCATION:{}", text(place)));
        }
        let url = config.absolute(&m.meta.url);
        lines.push(format!("URL:{url}"));
        lines.push(format!("DESCRIPTION:{}", text(&description(m, &url))));
        lines.push(format!(
            "STATUS:{}",
            match m.status {
                Status::Cancelled => "CANCELLED",
                Status::Scheduled | Status::Held => "CONFIRMED",
            }
        ));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    OutputFile {
        path,
        bytes: out.into_bytes(),
    }
}

/// Who meets, the agenda's items, and the page.
fn description(m: &Meeting, url: &str) -> String {
    let mut parts = Vec::new();
    if let Some(body) = &m.meeting_body {
        parts.push(body.clone());
    }
    for item in &m.agenda {
        match &item.number {
            Some(n) => parts.push(format!("Item {n}: {}", item.title)),
            None => parts.push(item.title.clone()),
        }
    }
    parts.push(format!("Agenda, papers and minutes: {url}"));
    parts.join("\n")
}

/// `2025-01-21` → `20250121`.
fn compact(iso: &str) -> String {
    iso.replace('-', "")
}

/// `10:00` → `1000`; anything else (`2pm`, `10.30am`) is not a time this
/// file can state exactly, so the event is for the whole day.
fn clock_time(written: &str) -> Option<String> {
    let (h, m) = written.trim().split_once(':')?;
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 && written.trim().len() == 5).then(|| format!("{h:02}{m:02}"))
}

/// TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line
/// ends escaped; control characters (refused in content anyway) dropped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line folded at 75 octets, never inside a character (§3.1),
/// ended by CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_within_75_octets_and_between_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "Café – £ ".repeat(20));
        fold(&line, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn text_is_escaped_and_times_are_exact_or_not_given() {
        assert_eq!(text("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
        assert_eq!(clock_time("10:00").as_deref(), Some("1000"));
        assert_eq!(clock_time("09:30").as_deref(), Some("0930"));
        assert_eq!(clock_time("2pm"), None);
        assert_eq!(clock_time("10:00am"), None);
        assert_eq!(clock_time("25:00"), None);
    }
}
