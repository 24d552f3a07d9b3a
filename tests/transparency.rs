//! The Specified Information index (`/transparency/`): each item of the
//! Order with what meets it (the site's records, a page elsewhere, a record
//! named in site.yaml) or the reason it is not published; a warning for an
//! item with none, which `--strict` turns into a failure; located errors
//! for a paragraph the Order does not have.

mod common;
use common::*;

use std::process::Command;

const PAGE: &str = "transparency/index.html";

fn built(site: &std::path::Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(site, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// The page's entry for one paragraph.
fn entry<'a>(page: &'a str, anchor: &str) -> &'a str {
    let start = page
        .find(&format!("<li id=\"para-{anchor}\">"))
        .unwrap_or_else(|| panic!("no entry para-{anchor}"));
    let end = start
        + page[start..]
            .find("</li>\n<li id=")
            .unwrap_or(page.len() - start);
    &page[start..end]
}

#[test]
fn each_item_shows_what_meets_it_or_that_it_is_not_published() {
    let out = built(&fixture());
    let page = read(out.path(), PAGE);
    // Met by the site's own records: the decisions list, with a count.
    let decisions = entry(&page, "5-d");
    assert!(
        decisions.contains("“a record of each decision of significant public interest"),
        "{decisions}"
    );
    assert!(
        decisions.contains(
            "<a href=\"../decisions/\">Decisions</a> <span class=\"meta\">(7 on this site)</span>"
        ),
        "{decisions}"
    );
    // Met by a page elsewhere, named in site.yaml.
    let name = entry(&page, "1-a");
    assert!(
        name.contains("<a href=\"https://www.example-pcc.gov.uk/about/\">About the Commissioner</a> <span class=\"meta\">(on another website)</span>"),
        "{name}"
    );
    // Met by a record of this site, named in site.yaml.
    let gifts = entry(&page, "2-e");
    assert!(gifts.contains("href=\"../foi/\""), "{gifts}");
    // Not published, with the reason the office gives.
    let investments = entry(&page, "3-e");
    assert!(
        investments
            .contains("Not published on this site.</span> The Commissioner has no investments."),
        "{investments}"
    );
    // Not published, and no reason: said plainly.
    let contracts = entry(&page, "4-b");
    assert!(
        contracts.contains("Not published on this site.</span></p>"),
        "{contracts}"
    );
    // A summary is marked as one, never put in quotation marks.
    assert!(
        contracts.contains("(a summary of the Order’s words)"),
        "{contracts}"
    );
    // Every page links to it.
    assert!(
        read(out.path(), "index.html")
            .contains("href=\"./transparency/\">Specified information</a>")
    );
}

#[test]
fn an_item_nothing_meets_is_a_warning_and_strict_fails() {
    let site = fixture();
    let o = check(&site);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains(
            "warning: nothing on the site meets paragraph 4(b) of the Specified Information Order"
        ),
        "{err}"
    );
    // Met or explained: no warning.
    for para in ["1(a)", "2(e)", "3(e)", "5(d)"] {
        assert!(
            !err.contains(&format!("meets paragraph {para} of")),
            "{para} is warned about: {err}"
        );
    }
    // The West Midlands site explains every item it does not meet, so
    // `--strict` passes there (tests/reader.rs); one explanation removed and
    // it fails.
    let wm = tempfile::tempdir().unwrap();
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &wm.path().join("content"),
    );
    edit(
        wm.path(),
        "content/site.yaml",
        "  - para: \"8\"\n    reason: It is not among the documents this site was built from.\n",
        "",
    );
    let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["check", "--strict", "--root"])
        .arg(wm.path())
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("meets paragraph 8 of"), "{err}");
}

#[test]
fn a_site_that_does_not_ask_for_the_page_has_none() {
    let site = copy_fixture();
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text
        .find("# Where the Specified")
        .expect("the fixture's block");
    std::fs::write(&path, &text[..cut]).unwrap();
    let out = built(site.path());
    assert!(!out.path().join(PAGE).exists());
    assert!(!read(out.path(), "index.html").contains("transparency/"));
    assert!(!stderr(&check(site.path())).contains("Specified Information Order"));
}

#[test]
fn bad_entries_are_located_errors() {
    // A paragraph the Order does not have.
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "para: \"3(e)\"",
            "para: \"3(i)\"",
        )
    });
    assert!(
        err.contains("`3(i)` is not a paragraph of the Specified Information Order"),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
    assert!(err.contains("content/site.yaml:"), "{err}");
    // A record that is not on the site.
    let err =
        broken_build(|root| edit(root, "content/site.yaml", "\"page foi\"", "\"page gifts\""));
    assert!(err.contains("there is no page `gifts`"), "{err}");
    // An entry that says nothing.
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "    reason: The Commissioner has no investments.\n",
            "",
        )
    });
    assert!(err.contains("paragraph 3(e) says nothing"), "{err}");
    // A paragraph listed twice.
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "para: \"3(e)\"",
            "para: \"1(a)\"",
        )
    });
    assert!(err.contains("paragraph 1(a) is listed twice"), "{err}");
}
