//! Meetings, the first kind added through the record-kind registry: a page
//! with its status, date, time, place and agenda (each item addressable),
//! its papers linked both ways, a list page, a row in the open data, a
//! search entry, and located errors for bad input.

mod common;
use common::*;

const MEETING: &str = "meetings/board-2025-01-21/index.html";

fn built_fixture() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn a_meeting_page_shows_what_its_agenda_and_minutes_say() {
    let out = built_fixture();
    let page = read(out.path(), MEETING);
    for text in [
        "<h1>Strategic Policing and Crime Board, 21 January 2025</h1>",
        "<span class=\"tag\">Held</span>",
        "<time datetime=\"2025-01-21\">21 January 2025</time>",
        "<dd>10:00</dd>",
        "<dd>Lloyd House, Birmingham</dd>",
        "id=\"item-5\"",
        "Item 5:</span> Police and Crime Plan – draft",
        "The Board noted the draft plan",
    ] {
        assert!(page.contains(text), "the meeting page has no {text:?}");
    }
    // The paper presented at item 5 is linked, and links back.
    assert!(
        page.contains("href=\"../../papers/board-2025-01-21/\""),
        "no link to the paper"
    );
    let paper = read(out.path(), "papers/board-2025-01-21/index.html");
    assert!(
        paper.contains("href=\"../../meetings/board-2025-01-21/\""),
        "the paper does not link back to its meeting"
    );
}

#[test]
fn meetings_are_listed_searched_and_in_the_open_data() {
    let out = built_fixture();
    let list = read(out.path(), "meetings/index.html");
    assert!(
        list.contains("href=\"../meetings/board-2025-01-21/\""),
        "{list}"
    );
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    let row = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "meeting")
        .expect("records.json has no meeting");
    assert_eq!(row["id"], "board-2025-01-21");
    assert_eq!(row["date"], "2025-01-21");
    assert!(read(out.path(), "records.csv").contains("meeting,board-2025-01-21,"));
    // The place and the agenda are searchable.
    let urls = search_urls(out.path(), "lloyd house");
    assert_eq!(urls[0], "meetings/board-2025-01-21/", "{urls:?}");
}

#[test]
fn an_agenda_item_can_be_referenced_and_a_wrong_one_is_an_error() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "\n---\n",
        "\n---\nSee [[meeting board-2025-01-21#item-5]].\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(out.path(), "about/index.html").contains("meetings/board-2025-01-21/#item-5"));

    edit(site.path(), "content/pages/about.md", "#item-5", "#item-9");
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("has no part `#item-9`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bad_meetings_are_located_errors() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/meetings/board-2025-01-21.md",
            "item: \"1\"",
            "item: \"5\"",
        );
    });
    assert!(err.contains("agenda item 5 is listed twice"), "{err}");
    assert!(
        err.contains("content/meetings/board-2025-01-21.md:12:"),
        "{err}"
    );

    let err = broken_build(|root| {
        edit(
            root,
            "content/meetings/board-2025-01-21.md",
            "status: held",
            "status: done",
        );
    });
    assert!(err.contains("board-2025-01-21.md:8"), "{err}");
    assert!(
        err.contains("held"),
        "the error names the allowed values: {err}"
    );

    // A draft meeting is not published, with nothing said about it per kind.
    let site = copy_fixture();
    edit(
        site.path(),
        "content/meetings/board-2025-01-21.md",
        "status: held",
        "status: held\ndraft: true",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.path().join(MEETING).exists());
    let json: serde_json::Value = serde_json::from_str(&read(out.path(), "records.json")).unwrap();
    let meetings = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "meeting")
        .count();
    assert_eq!(meetings, 0, "a draft meeting is in records.json");
    assert!(
        !out.path().join("meetings/index.html").exists(),
        "a list of no published meetings"
    );
}

#[test]
fn the_meetings_calendar_is_valid_icalendar_and_each_event_links_its_page() {
    use icalendar::{Calendar, Component, EventLike};
    let out = built_fixture();
    let text = read(out.path(), "meetings.ics");
    assert!(
        text.lines().count() > 5 && text.contains("\r\n"),
        "lines end in CRLF"
    );
    let calendar: Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("meetings.ics does not parse: {e}\n{text}"));
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 1, "{text}");
    let event = events[0];
    assert_eq!(
        event.get_summary(),
        Some("Strategic Policing and Crime Board, 21 January 2025")
    );
    // The comma is escaped in the file and read back as written.
    assert_eq!(event.get_location(), Some("Lloyd House, Birmingham"));
    assert!(
        text.contains("LOCATION:Lloyd House\\, Birmingham"),
        "{text}"
    );
    let url = event.get_url().expect("the event links its page");
    assert!(url.ends_with("meetings/board-2025-01-21/"), "{url}");
    // The page exists where the event says, and offers the calendar.
    let page = read(out.path(), MEETING);
    assert!(
        page.contains("href=\"../../meetings.ics\""),
        "no calendar link on the meeting page"
    );
    assert!(
        text.contains("DTSTART:20250121T100000"),
        "the agenda's time: {text}"
    );
    assert!(text.contains("UID:meeting-board-2025-01-21@"), "{text}");
}

#[test]
fn each_dated_meeting_has_its_own_calendar_file_its_page_links() {
    use icalendar::{Calendar, Component};
    let out = built_fixture();
    let page = read(out.path(), MEETING);
    assert!(
        page.contains("<a href=\"meeting.ics\">Add this meeting to your calendar</a>"),
        "no link to the meeting's own calendar"
    );
    let text = read(out.path(), "meetings/board-2025-01-21/meeting.ics");
    let calendar: Calendar = text
        .parse()
        .unwrap_or_else(|e| panic!("meeting.ics does not parse: {e}\n{text}"));
    let events: Vec<&icalendar::Event> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 1, "{text}");
    assert_eq!(
        events[0].get_summary(),
        Some("Strategic Policing and Crime Board, 21 January 2025")
    );
    assert!(
        events[0]
            .get_url()
            .is_some_and(|u| u.ends_with("meetings/board-2025-01-21/")),
        "{text}"
    );
    // The same event as in the whole calendar, so a reader who adds one
    // and subscribes to all does not get it twice.
    assert!(text.contains("UID:meeting-board-2025-01-21@"), "{text}");

    // A meeting with no date has no calendar file and no link.
    let site = copy_fixture();
    edit(
        site.path(),
        "content/meetings/board-2025-01-21.md",
        "date: 2025-01-21\n",
        "",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !out.path()
            .join("meetings/board-2025-01-21/meeting.ics")
            .exists()
    );
    assert!(!read(out.path(), MEETING).contains("meeting.ics"));
}

#[test]
fn the_meetings_page_lists_upcoming_apart_from_past_by_stated_status() {
    // Test meetings, not from any source: only their status and dates
    // matter here. The dates are long past, so a list worked out from
    // today's date would put every one under "Past meetings".
    let site = copy_fixture();
    for (id, date, status) in [
        ("board-2020-03-10", "2020-03-10", "scheduled"),
        ("board-2020-02-11", "2020-02-11", "scheduled"),
        ("board-2024-06-04", "2024-06-04", "cancelled"),
        ("board-2019-01-15", "2019-01-15", "held"),
    ] {
        write(
            site.path(),
            &format!("content/meetings/{id}.md"),
            &format!(
                "---\nid: {id}\ntitle: Test meeting {id}\ndate: {date}\nstatus: {status}\n---\n"
            ),
        );
    }
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let list = read(out.path(), "meetings/index.html");
    let (upcoming, past) = list
        .split_once("<h2 id=\"past\">Past meetings</h2>")
        .expect("no Past meetings heading");
    let upcoming = upcoming
        .split_once("<h2 id=\"upcoming\">Upcoming meetings</h2>")
        .expect("no Upcoming meetings heading")
        .1;
    let order = |text: &str, ids: &[&str]| {
        let at: Vec<usize> = ids
            .iter()
            .map(|id| {
                text.find(&format!("meetings/{id}/"))
                    .unwrap_or_else(|| panic!("{id} is not where it belongs:\n{text}"))
            })
            .collect();
        assert!(
            at.windows(2).all(|w| w[0] < w[1]),
            "{ids:?} out of order:\n{text}"
        );
    };
    // Upcoming soonest first; past newest first, cancelled ones among them.
    order(upcoming, &["board-2020-02-11", "board-2020-03-10"]);
    order(
        past,
        &["board-2025-01-21", "board-2024-06-04", "board-2019-01-15"],
    );
    assert!(
        !upcoming.contains("board-2025-01-21"),
        "a held meeting is upcoming"
    );
    assert!(
        past.contains("(Cancelled, "),
        "a cancelled meeting does not say so"
    );
    assert!(upcoming.contains("(Scheduled, "), "{upcoming}");
}

#[test]
fn a_meeting_whose_title_names_its_day_is_listed_without_the_day_again() {
    // The fixture's board meeting is titled "…, 21 January 2025"; the
    // test meetings here are not from any source.
    let site = copy_fixture();
    write(
        site.path(),
        "content/meetings/board-2020-03-10.md",
        "---\nid: board-2020-03-10\ntitle: Test meeting\ndate: 2020-03-10\nstatus: held\n---\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let list = read(out.path(), "meetings/index.html");
    let entry = |id: &str| {
        let start = list.find(&format!("meetings/{id}/")).expect(id);
        let end = start + list[start..].find("</li>").unwrap();
        list[start..end].to_string()
    };
    let titled = entry("board-2025-01-21");
    assert_eq!(
        titled.matches("21 January 2025").count(),
        1,
        "the day is repeated: {titled}"
    );
    assert!(titled.contains("(Held)"), "{titled}");
    let plain = entry("board-2020-03-10");
    assert!(
        plain.contains("(Held, <time datetime=\"2020-03-10\">10 March 2020</time>)"),
        "{plain}"
    );
}

/// The fixture site with the real minutes of `tests/fixtures/minutes/`
/// (each file names its source) added as meetings.
fn site_with_minutes() -> tempfile::TempDir {
    let site = copy_fixture();
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minutes");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        write(
            site.path(),
            &format!("content/meetings/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
    site
}

fn built(site: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(site, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn a_minuted_meeting_shows_who_was_there_and_each_items_minutes() {
    let site = site_with_minutes();
    let out = built(site.path());
    let page = read(out.path(), "meetings/northants-pfcp-2022-12-01/index.html");
    for text in [
        "<h2 id=\"present\">Present</h2>",
        "<li>Councillor Cali, substitute for Councillor Strachan</li>",
        // A partial list says so, rather than reading as the whole meeting.
        "<p class=\"meta\">The members present are not listed in the copy seen; only the substitute is named, in the minute of item 95.</p>",
        "<h2 id=\"apologies\">Apologies</h2>",
        "<li>Councillor Pritchard</li>",
        "<li>Councillor Irwin, substitute</li>",
        "<h2 id=\"agenda\">Agenda and minutes</h2>",
        "<li id=\"item-95\"><h3><span class=\"item-number\">Item 95:</span> Apologies for Absence",
        "<h4>Minutes</h4>",
        "None Declared.",
        "<h4>Resolutions</h4>",
        "<li id=\"item-99-resolution-1\">",
        "be approved.",
    ] {
        assert!(
            page.contains(text),
            "the meeting page has no {text:?}:\n{page}"
        );
    }
    // Headings in order, and no empty section: this meeting minutes no
    // declaration and no action.
    let at = |t: &str| page.find(t).unwrap_or_else(|| panic!("no {t:?}"));
    assert!(
        at("id=\"present\"") < at("id=\"apologies\"")
            && at("id=\"apologies\"") < at("id=\"agenda\"")
    );
    assert!(
        !page.contains("id=\"declarations\""),
        "an empty declarations section"
    );
    assert!(
        !page.contains("<h4>Actions</h4>"),
        "an empty actions section"
    );

    let page = read(out.path(), "meetings/cheshire-pcp-2023-11-24/index.html");
    assert!(
        page.contains("<h2 id=\"declarations\">Declarations of interest</h2>"),
        "{page}"
    );
    assert!(
        page.contains("<li>Councillor Keith Millar (Cheshire West and Chester): recognising that"),
        "{page}"
    );
    assert!(
        !page.contains("id=\"present\""),
        "an empty attendance section"
    );

    // The existing meeting, with no minutes per item, keeps its plain agenda.
    let page = read(out.path(), MEETING);
    assert!(page.contains("<h2 id=\"agenda\">Agenda</h2>"), "{page}");
    assert!(!page.contains("<h3>"), "{page}");
}

#[test]
fn actions_are_a_table_with_their_owner() {
    let site = site_with_minutes();
    let out = built(site.path());
    let page = read(
        out.path(),
        "meetings/dorset-pcp-q3-2023-24-monitoring/index.html",
    );
    let table = page
        .split_once("<table class=\"actions stack\">")
        .and_then(|(_, t)| t.split_once("</table>"))
        .unwrap_or_else(|| panic!("no actions table:\n{page}"))
        .0;
    assert!(
        table.contains("<thead><tr><th scope=\"col\">Action</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th></tr></thead>"),
        "{table}"
    );
    assert!(
        table.contains("<td data-label=\"Owner\">PCC</td>"),
        "{table}"
    );
    assert!(
        table.contains("<td data-label=\"Due\">at the next meeting</td>"),
        "{table}"
    );
    assert!(
        table.contains("data-label=\"Action\">PCC to provide an update"),
        "{table}"
    );
    // An unnumbered item has no number and no address.
    assert!(!page.contains("Item :"), "{page}");
}

#[test]
fn a_resolution_can_be_referenced_and_a_missing_one_is_an_error() {
    let site = site_with_minutes();
    edit(
        site.path(),
        "content/pages/about.md",
        "\n---\n",
        "\n---\nSee [[meeting northants-pfcp-2022-12-01#item-99-resolution-1]].\n",
    );
    let out = built(site.path());
    assert!(
        read(out.path(), "about/index.html")
            .contains("meetings/northants-pfcp-2022-12-01/#item-99-resolution-1"),
        "the reference is not a link to the resolution"
    );
    edit(
        site.path(),
        "content/pages/about.md",
        "#item-99-resolution-1",
        "#item-99-resolution-2",
    );
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no part `#item-99-resolution-2`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_minute_item_numbered_twice_is_an_error_at_its_line_and_column() {
    let site = site_with_minutes();
    // Item 96 renumbered 95: the error is at the second 95, found below.
    edit(
        site.path(),
        "content/meetings/northants-pfcp-2022-12-01.md",
        "item: \"96\"",
        "item: \"95\"",
    );
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("agenda item 95 is listed twice"), "{err}");
    let line = std::fs::read_to_string(
        site.path()
            .join("content/meetings/northants-pfcp-2022-12-01.md"),
    )
    .unwrap()
    .lines()
    .enumerate()
    .filter(|(_, l)| l.contains("item: \"95\""))
    .nth(1)
    .map(|(n, l)| (n + 1, l.find("\"95\"").unwrap() + 1))
    .unwrap();
    assert!(
        err.contains(&format!(
            "content/meetings/northants-pfcp-2022-12-01.md:{}:{}",
            line.0, line.1
        )),
        "not at {line:?}: {err}"
    );
    assert!(
        err.contains("write an item's minutes, resolutions and actions under its one entry"),
        "{err}"
    );
}

#[test]
fn a_resolution_under_an_unnumbered_item_and_a_declaration_of_an_unknown_item_are_errors() {
    let site = site_with_minutes();
    edit(
        site.path(),
        "content/meetings/dorset-pcp-q3-2023-24-monitoring.md",
        "    actions:\n",
        "    resolutions:\n      - text: x\n    actions:\n",
    );
    edit(
        site.path(),
        "content/meetings/cheshire-pcp-2023-11-24.md",
        "  - who: Councillor Keith Millar (Cheshire West and Chester)\n",
        "  - who: Councillor Keith Millar (Cheshire West and Chester)\n    item: \"30\"\n",
    );
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("a resolution under an item with no number has no address"),
        "{err}"
    );
    assert!(
        err.contains("dorset-pcp-q3-2023-24-monitoring.md:"),
        "{err}"
    );
    assert!(
        err.contains("names item 30, which is not on the agenda"),
        "{err}"
    );
}

#[test]
fn item_minutes_and_resolutions_are_searchable() {
    let site = site_with_minutes();
    let out = built(site.path());
    let urls = search_urls(out.path(), "pre-meetings onerous");
    assert_eq!(urls[0], "meetings/northants-pfcp-2022-12-01/", "{urls:?}");
}
