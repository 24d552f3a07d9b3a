//! Registers (issue 16): many decisions in one file, as Commissioners
//! publish them on one page, grouped under the register's own headings and
//! shown with its own column labels. Each entry is a full decision with its
//! own page; references, search, feeds and exports treat entries like any
//! decision. The registers in `tests/fixtures/registers/` are modelled on
//! real ones (Lancashire, West Yorkshire, Hampshire); each names its source.

mod common;

use common::*;
use std::path::Path;

const REGISTERS: &str = "tests/fixtures/registers";

fn add_registers(root: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(REGISTERS);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let to = root.join("content/decisions").join(entry.file_name());
        std::fs::copy(entry.path(), to).unwrap();
    }
}

/// The fixture site with the modelled registers added, built.
fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_fixture();
    add_registers(site.path());
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    (site, out)
}

/// The header cells of a table, in order.
fn column_labels(table: &str) -> Vec<String> {
    let head = between(table, "<thead>", "</thead>");
    head.split("<th scope=\"col\">")
        .skip(1)
        .map(|c| c.split("</th>").next().unwrap().to_string())
        .collect()
}

#[test]
fn a_lancashire_register_keeps_its_quarters_and_column_labels() {
    let (_site, out) = built();
    let page = read(out.path(), "registers/lancashire-decisions/index.html");
    let q3 = page
        .find("<h2 id=\"july-2024-to-september-2024\">July 2024 to September 2024</h2>")
        .expect("the register's first heading");
    let q2 = page
        .find("<h2 id=\"april-2024-to-june-2024\">April 2024 to June 2024</h2>")
        .expect("its second heading");
    assert!(q3 < q2, "the register's order, not the site's");
    assert_eq!(
        column_labels(&page[q3..q2]),
        [
            "Decision Ref",
            "Issue",
            "Decision",
            "Date of Decision",
            "Decision Papers/Reason for Restricted",
            "Decision Maker"
        ]
    );
    // Each entry under its own quarter, linked to its own page.
    let first = &page[q3..q2];
    assert!(first.contains("<td class=\"short\" data-label=\"Decision Ref\">2024/22</td>"));
    assert!(
        first.contains(
            "href=\"../../decisions/2024-22/\">Chorley Police station – enabling works</a>"
        )
    );
    assert!(first.contains("at a cost of £1,713,091.17."));
    assert!(first.contains("19 September 2024"));
    // A restricted entry shows the stated reason where the register does.
    assert!(first.contains("RESTRICTED - Information relating to this decision is restricted"));
    // The entry printed with a blank reference says so, not "None".
    let second = &page[q2..];
    assert!(
        second.contains("<span class=\"not-stated\">No number given</span>"),
        "{second}"
    );
    assert!(second.contains("Treasury Management year-end position"));
    assert!(!page.contains(">None<"), "{page}");
}

#[test]
fn each_entry_has_its_own_page_naming_its_register_and_heading() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/2024-21/index.html");
    assert!(page.contains("<h1>Pre-Construction Services Agreement - CPIP</h1>"));
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    assert!(
        facts.contains("<dt>Register</dt><dd><a href=\"../../registers/lancashire-decisions/#july-2024-to-september-2024\">Decisions</a>, under “July 2024 to September 2024”</dd>"),
        "{facts}"
    );
    assert!(page.contains("I note the cost of this award is £323,501."));
    // The register's "Date of Decision" is the day decided, not signed.
    assert!(
        facts.contains(
            "<dt>Decided</dt><dd><time datetime=\"2024-09-11\">11 September 2024</time></dd>"
        ),
        "{facts}"
    );
    assert!(!facts.contains("<dt>Signed</dt>"), "{facts}");
    // Its part that is restricted says why, in the register's words.
    assert!(page.contains("<h2>Part of this decision is confidential</h2><p>RESTRICTED - Information relating to this decision is restricted"));
    // West Yorkshire's log says only "Date".
    let wy = read(
        out.path(),
        "decisions/2025-04-09-indemnity-insurance/index.html",
    );
    assert!(
        wy.contains("<dt>Date</dt><dd><time datetime=\"2025-04-09\">9 April 2025</time></dd>"),
        "{wy}"
    );
    assert!(!wy.contains("<dt>Signed</dt>"), "{wy}");
    let numberless = read(
        out.path(),
        "decisions/treasury-management-year-end-position-2024/index.html",
    );
    assert!(
        numberless.contains(
            "No number given (identifier <code>treasury-management-year-end-position-2024</code>)"
        ),
        "{numberless}"
    );
    // The decisions list shows entries beside notices, and names the
    // registers.
    let list = read(out.path(), "decisions/index.html");
    assert!(list.contains("href=\"../decisions/2024-22/\">Chorley Police station"));
    assert!(list.contains("href=\"../registers/lancashire-decisions/\">Decisions</a>"));
    assert!(list.contains("href=\"../registers/west-yorkshire-decision-log/\">Decision Log</a>"));
}

#[test]
fn columns_no_entry_fills_are_not_shown() {
    let (_site, out) = built();
    // Cumbria's list (in the fixture site) gives numbers and titles only:
    // the default Date and Status columns would be empty or say nothing.
    let page = read(out.path(), "registers/cumbria-decisions/index.html");
    let table = between(&page, "<table", "</table>");
    assert_eq!(column_labels(table), ["Number", "Title"]);
    assert!(
        table.contains("<caption id=\"caption-decisions\">Decisions in this register</caption>")
    );
    assert!(table.contains("011-2019"));
    // West Yorkshire's log has no numbers and declares no number column.
    let wy = read(
        out.path(),
        "registers/west-yorkshire-decision-log/index.html",
    );
    assert_eq!(
        column_labels(&wy),
        ["Date", "Title", "Summary", "Approved decision", "Signed"]
    );
    assert!(wy.contains(
        "<td data-label=\"Signed\">Alison Lowe, Deputy Mayor for Policing &amp; Crime</td>"
    ));
}

#[test]
fn an_untitled_entry_says_so_and_invents_no_title() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/000797/index.html");
    assert!(page.contains("<h1>Untitled decision 000797</h1>"), "{page}");
    assert!(page.contains("The source gives this decision no title."));
    assert!(page.contains("driver training facility at Thorney Island"));
    let register = read(out.path(), "registers/hampshire-decisions/index.html");
    assert!(register.contains(">Untitled decision 000797</a>"));
    assert!(register.contains(">Crime Scene Consumables</a>"));
}

#[test]
fn references_search_feeds_and_exports_treat_entries_as_decisions() {
    let site = copy_fixture();
    add_registers(site.path());
    // Not from any source: a page citing a register entry by its number.
    write(
        site.path(),
        "content/pages/cites-an-entry.md",
        "---\nid: cites-an-entry\ntitle: Cites an entry\n---\nSee [[decision 2024/22]].\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "cites-an-entry/index.html");
    assert!(page.contains("href=\"../decisions/2024-22/\""), "{page}");
    let entry = read(out.path(), "decisions/2024-22/index.html");
    assert!(entry.contains("Cites an entry"), "the backlink: {entry}");
    assert!(
        search_urls(out.path(), "chorley")
            .iter()
            .any(|u| u == "decisions/2024-22/"),
        "{:?}",
        search_urls(out.path(), "chorley")
    );
    let feed = read(out.path(), "decisions.xml");
    assert!(feed.contains("Decision 2024/22: Chorley Police station – enabling works"));
    let csv = read(out.path(), "records.csv");
    assert!(csv.contains("decisions/2024-22/"), "{csv}");
    assert!(csv.contains("registers/lancashire-decisions/"), "{csv}");
}

#[test]
fn the_registers_raise_no_warning() {
    let site = copy_fixture();
    add_registers(site.path());
    // The fixture site has warnings of its own (specified information not
    // yet said), so `--strict` fails on it; none may point at a register.
    let o = check(site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let at_registers: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("content/decisions/") && l.contains(".yaml"))
        .collect();
    assert!(at_registers.is_empty(), "{err}");
    assert!(err.contains("warning"), "the check ran and reported: {err}");
}

#[test]
fn a_bad_entry_is_an_error_at_its_line_with_a_hint() {
    let site = copy_fixture();
    write(
        site.path(),
        "content/decisions/bad-register.yaml",
        "title: Decisions\ndecisions:\n  - number: 2024/22\n    title: Fine\n  - title: Neither number nor id\n  - number: 2024/23\n",
    );
    let o = build(site.path(), tempfile::tempdir().unwrap().path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("this decision has neither a `number` nor an `id`"),
        "{err}"
    );
    assert!(
        err.contains("bad-register.yaml:5:"),
        "at the entry's line: {err}"
    );
    assert!(
        err.contains("the id becomes its permanent address"),
        "{err}"
    );
    assert!(err.contains("this decision has no `title`"), "{err}");
    assert!(err.contains("bad-register.yaml:6:"), "{err}");
    assert!(err.contains("untitled: true"), "{err}");
}

#[test]
fn an_entry_and_a_notice_with_one_number_clash() {
    let site = copy_fixture();
    // The fixture site has a notice 001/2025; a register lists it again.
    write(
        site.path(),
        "content/decisions/clash.yaml",
        "title: Decisions\ndecisions:\n  - number: 001/2025\n    title: The same decision again\n",
    );
    let o = build(site.path(), tempfile::tempdir().unwrap().path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("clash.yaml:3:"), "{err}");
}

#[test]
fn a_draft_entry_is_not_published() {
    let site = copy_fixture();
    write(
        site.path(),
        "content/decisions/drafts.yaml",
        "title: Decisions\ndecisions:\n  - number: 2030/1\n    title: Published entry\n  - number: 2030/2\n    title: Draft entry\n    draft: true\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.path().join("decisions/2030-1/index.html").is_file());
    assert!(!out.path().join("decisions/2030-2").exists());
    let register = read(out.path(), "registers/drafts/index.html");
    assert!(register.contains("Published entry"));
    assert!(!register.contains("Draft entry"), "{register}");
}

#[test]
fn the_registers_pass_check_strict_on_a_starter_site() {
    let dir = starter_with(&[REGISTERS], "decisions");
    let o = check_strict(&dir.path().join("site"));
    assert!(o.status.success(), "{}", stderr(&o));
    // `--strict` fails on any warning; the entries are all on the site.
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("No errors: "),
        "{o:?}"
    );
}

#[test]
fn a_draft_register_keeps_its_entries_off_the_site_too() {
    let site = copy_fixture();
    // Not from any source.
    write(
        site.path(),
        "content/decisions/draft-register.yaml",
        "title: Draft register\ndraft: true\ndecisions:\n  - number: 2031/1\n    title: Entry of a draft register\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.path().join("registers/draft-register").exists());
    assert!(
        !out.path().join("decisions/2031-1").exists(),
        "an entry would name a register page that is not published"
    );
}

#[test]
fn a_reference_in_a_heading_s_introduction_is_the_register_s() {
    let site = copy_fixture();
    // Not from any source: a heading's introduction citing a notice.
    write(
        site.path(),
        "content/decisions/cites.yaml",
        "title: Citing register\ngroups:\n  - heading: First\n    intro: See [[decision 001/2025]].\n    decisions:\n      - number: 2032/1\n        title: Entry under the heading\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let cited = read(out.path(), "decisions/001-2025/index.html");
    let backlinks = between(&cited, "<section class=\"backlinks\"", "</section>");
    assert!(backlinks.contains("Citing register"), "{backlinks}");
    assert!(
        !backlinks.contains("Entry under the heading"),
        "{backlinks}"
    );
}
