//! The built West Midlands site (and the fixture site) as a reader meets it:
//! titles are never cut short, lists do not repeat a link, links are named
//! by titles rather than ids, and a statutory step shows only the date its
//! source states for it.

mod common;
use common::*;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use scraper::{ElementRef, Html, Selector};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The repo's own site and the fixture site, each built once for all tests.
fn built() -> &'static [(PathBuf, tempfile::TempDir)] {
    static SITES: OnceLock<Vec<(PathBuf, tempfile::TempDir)>> = OnceLock::new();
    SITES.get_or_init(|| {
        [repo_root(), fixture()]
            .into_iter()
            .map(|root| {
                let out = tempfile::tempdir().unwrap();
                let o = build(&root, out.path());
                assert!(o.status.success(), "{}", stderr(&o));
                (root, out)
            })
            .collect()
    })
}

fn west_midlands() -> &'static Path {
    built()[0].1.path()
}

/// Every HTML page of a built site that is not a redirect, with its path.
fn pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            (!text.contains("http-equiv=\"refresh\"")).then(|| {
                let rel = e.path().strip_prefix(out).unwrap().display().to_string();
                (rel, Html::parse_document(&text))
            })
        })
        .collect()
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(serde::Deserialize)]
struct SourceCommitment {
    id: String,
    text: String,
}

/// Each commitment's words as the content holds them, by id.
fn source_commitments() -> HashMap<String, String> {
    let mut out = HashMap::new();
    for e in std::fs::read_dir(repo_root().join("content/commitments")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let list: Vec<SourceCommitment> = serde_saphyr::from_str(&text).unwrap();
        for c in list {
            out.insert(c.id, words(&c.text));
        }
    }
    out
}

#[test]
fn the_open_data_carries_every_commitment_in_full_and_no_title_is_cut_short() {
    let source = source_commitments();
    assert!(source.len() > 200, "{} commitments", source.len());

    let csv_text = read(west_midlands(), "records.csv");
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = csv.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (kind, id, title) = (col("kind"), col("id"), col("title"));
    let mut seen = 0;
    for row in csv.records() {
        let row = row.unwrap();
        assert!(
            !row[title].contains('…'),
            "records.csv: {} {} has a cut title: {}",
            &row[kind],
            &row[id],
            &row[title]
        );
        if &row[kind] == "commitment" {
            seen += 1;
            assert_eq!(
                words(&row[title]),
                source[&row[id]],
                "records.csv: commitment {} does not carry its full text",
                &row[id]
            );
        }
    }
    assert_eq!(seen, source.len());

    let json: serde_json::Value =
        serde_json::from_str(&read(west_midlands(), "records.json")).unwrap();
    let records = json["records"].as_array().unwrap();
    for r in records {
        let t = r["title"].as_str().unwrap();
        assert!(!t.contains('…'), "records.json: cut title {t}");
        if r["kind"] == "commitment" {
            assert_eq!(
                words(t),
                source[r["id"].as_str().unwrap()],
                "records.json: {}",
                r["id"]
            );
        }
    }

    // Nor is any heading, <title> or link on a page cut short with "…"
    // where the plan's words go on.
    for (path, html) in pages(west_midlands()) {
        for e in html.select(&sel("h1, title, main a, .citation cite")) {
            let t = text_of(e);
            assert!(
                !t.contains('…') && !t.contains("..."),
                "{path}: “{t}” is cut short"
            );
        }
    }
}

#[test]
fn a_commitment_page_shows_its_full_words_and_where_they_sit_in_the_plan() {
    let html = Html::parse_document(&read(
        west_midlands(),
        "commitments/grow-wmp-by-1200-officers/index.html",
    ));
    let h1 = text_of(html.select(&sel("h1")).next().unwrap());
    assert_eq!(
        h1,
        "I will grow West Midlands Police by at least 1,200 officers"
    );
    let quote = text_of(html.select(&sel("blockquote.plan-words")).next().unwrap());
    assert!(
        quote.contains(
            "I will grow West Midlands Police by at least 1,200 officers – although, based on current projections, it will still be a thousand officers smaller than it was in 2010."
        ),
        "{quote}"
    );
    assert!(
        quote.contains("Rebuilding community policing") && quote.contains("Section 1"),
        "the page names its subsection and section: {quote}"
    );
    // Nothing links to it but metrics: the page says so plainly.
    let main = text_of(html.select(&sel("main")).next().unwrap());
    assert!(
        main.contains("No grant, decision or Panel recommendation on this site is linked to this commitment yet."),
        "{main}"
    );
}

#[test]
fn no_list_names_the_same_link_twice() {
    for (_, out) in built() {
        for (path, html) in pages(out.path()) {
            for list in html.select(&sel("main ul, main ol")) {
                let mut hrefs = BTreeSet::new();
                let mut named = BTreeSet::new();
                for li in list.children().filter_map(ElementRef::wrap) {
                    if li.value().name() != "li" {
                        continue;
                    }
                    // A list of links: the items' own links (a timeline's
                    // steps may cite one paragraph for two steps).
                    for a in li.children().filter_map(ElementRef::wrap) {
                        if a.value().name() != "a" || a.value().attr("href").is_none() {
                            continue;
                        }
                        let href = a.value().attr("href").unwrap().to_string();
                        let page = href.split('#').next().unwrap().to_string();
                        let text = text_of(a);
                        assert!(
                            hrefs.insert(href.clone()),
                            "{path}: a list links to {href} twice"
                        );
                        assert!(
                            named.insert((page.clone(), text.clone())),
                            "{path}: a list links to {page} as “{text}” twice"
                        );
                    }
                }
            }
        }
    }
}

/// Every id a reader might be shown instead of a title: records' ids and
/// recommendations' ids.
fn known_ids(out: &Path) -> BTreeSet<String> {
    let json: serde_json::Value = serde_json::from_str(&read(out, "records.json")).unwrap();
    let mut ids: BTreeSet<String> = json["records"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            let id = r["id"].as_str().unwrap();
            [id.to_string(), id.rsplit('/').next().unwrap().to_string()]
        })
        .collect();
    for (_, html) in pages(out) {
        for li in html.select(&sel("li[id^=rec-]")) {
            ids.insert(li.value().id().unwrap()["rec-".len()..].to_string());
        }
    }
    // Only ids that look like ids: a slug with a hyphen and a letter.
    ids.retain(|i| i.contains('-') && i.chars().any(|c| c.is_ascii_lowercase()));
    ids
}

#[test]
fn no_link_is_named_by_a_bare_id_or_slug() {
    for (_, out) in built() {
        let ids = known_ids(out.path());
        let slug = |t: &str| {
            let parts: Vec<&str> = t.split('-').collect();
            parts.len() > 1
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
                && t.chars().any(|c| c.is_ascii_lowercase())
        };
        for (path, html) in pages(out.path()) {
            for a in html.select(&sel("a[href]")) {
                let text = text_of(a);
                let trimmed = text.trim_matches(|c: char| !c.is_alphanumeric());
                assert!(
                    !slug(trimmed),
                    "{path}: a link reads “{text}”, a slug, not a title"
                );
                for word in text.split_whitespace() {
                    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
                    assert!(
                        !ids.contains(w),
                        "{path}: the link “{text}” shows the id `{w}`"
                    );
                }
            }
        }
    }
}

#[test]
fn near_identical_titles_in_linked_records_are_told_apart_by_kind_and_date() {
    let html = Html::parse_document(&read(west_midlands(), "decisions/004-2014/index.html"));
    let links: Vec<String> = html
        .select(&sel(".backlinks a"))
        .map(text_of)
        .filter(|t| t.starts_with("Variations to"))
        .collect();
    assert!(links.len() >= 3, "{links:?}");
    let distinct: BTreeSet<&String> = links.iter().collect();
    assert_eq!(distinct.len(), links.len(), "{links:?}");
    assert!(
        links
            .iter()
            .any(|l| l.contains("Response") && l.contains("28 February 2014")),
        "{links:?}"
    );
    assert!(
        links.iter().any(|l| l.contains("(Plan variation)")),
        "{links:?}"
    );
}

/// A statutory step's date, as the timeline shows it, and the note beside it.
fn steps(html: &Html) -> Vec<(String, Option<String>, String)> {
    html.select(&sel(".timeline .steps > li"))
        .map(|li| {
            let label = text_of(li.select(&sel("h3")).next().unwrap());
            let date = li.select(&sel("strong")).next().map(text_of);
            let note = li.select(&sel("p.meta")).map(text_of).collect::<Vec<_>>();
            (label, date, note.join(" "))
        })
        .collect()
}

#[test]
fn a_step_shows_no_date_its_source_does_not_state_for_it() {
    let mut checked = 0;
    for (path, html) in pages(west_midlands()) {
        for (label, date, note) in steps(&html) {
            checked += 1;
            let Some(date) = date else { continue };
            // The step's own note must not say that its date is unknown.
            let lower = note.to_lowercase();
            let denies = lower.contains("date the draft was sent")
                && lower.contains("is not stated")
                || lower.contains("date it was published is not stated")
                || lower.contains("date of the draft is not stated");
            assert!(
                !denies,
                "{path}: “{label}” shows {date} while its note says its date is not stated: {note}"
            );
        }
    }
    assert!(checked >= 12, "{checked} steps checked");
    let plan = Html::parse_document(&read(west_midlands(), "plan/2021-2025/index.html"));
    let sent = steps(&plan)
        .into_iter()
        .find(|s| s.0 == "Sent to the Police and Crime Panel")
        .unwrap();
    assert_eq!(sent.1, None, "{sent:?}");
    let variation = Html::parse_document(&read(west_midlands(), "variations/2014/index.html"));
    for (label, date, _) in steps(&variation) {
        if label == "Published" || label == "Sent to the Police and Crime Panel" {
            assert_eq!(date, None, "variation 2014: {label}");
        }
    }
}

#[test]
fn a_new_site_builds_and_checks_without_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("starter");
    let o = std::process::Command::new(BIN)
        .arg("new")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = build(&site, &dir.path().join("out"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("warning"),
        "build warns: {}",
        stderr(&o)
    );
    let o = check(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("warning"),
        "check warns: {}",
        stderr(&o)
    );
}

#[test]
fn the_data_is_as_of_the_newest_date_the_records_state() {
    // The plan's Chief Constable consultation ran to 26 October 2021, after
    // the board paper of 20 July 2021 that was the newest record's own date.
    let data = read(west_midlands(), "data/index.html");
    assert!(data.contains("as of <time datetime=\"2021-10-26\">26 October 2021</time>"));
    let text = read(west_midlands(), "records.csv");
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let at = csv
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "generated")
        .unwrap();
    for row in csv.records() {
        assert_eq!(&row.unwrap()[at], "2021-10-26");
    }
}

#[test]
fn the_plan_section_that_says_the_table_below_shows_the_grants_table() {
    let html = Html::parse_document(&read(
        west_midlands(),
        "plan/2021-2025/section-6/index.html",
    ));
    let body = text_of(html.select(&sel("main")).next().unwrap());
    assert!(body.contains("the table below"), "{body}");
    let table = html
        .select(&sel("main table.grants"))
        .next()
        .expect("the grants table, embedded from the grants record");
    let cells = text_of(table);
    assert!(
        cells.contains("Community Safety Funding") && cells.contains("3,863"),
        "{cells}"
    );
    // "Below" the paragraph that promises it, before the text goes on.
    let page = read(west_midlands(), "plan/2021-2025/section-6/index.html");
    let promise = page.find("the table below").unwrap();
    let table = page.find("<table class=\"grants").unwrap();
    let next_paragraph = page
        .find("The West Midlands Community Safety Partnership makes recommendations")
        .unwrap();
    assert!(
        promise < table && table < next_paragraph,
        "the table is not where the text says: promise at {promise}, table at {table}, the next paragraph at {next_paragraph}"
    );
}

#[test]
fn the_plan_text_links_its_promises_to_their_commitment_pages() {
    let html = Html::parse_document(&read(
        west_midlands(),
        "plan/2021-2025/section-1/index.html",
    ));
    let link = html
        .select(&sel(".prose a.commitment-link"))
        .find(|a| {
            a.value().attr("href") == Some("../../../commitments/rebuild-community-policing/")
        })
        .expect("the promise is linked where the plan makes it");
    assert_eq!(
        text_of(link),
        "I will rebuild community policing in the West Midlands."
    );
    let mut linked = 0;
    for (path, html) in pages(west_midlands()) {
        // Never a link inside a link.
        assert!(
            html.select(&sel("a a")).next().is_none(),
            "{path}: a link inside a link"
        );
        linked += html.select(&sel("a.commitment-link")).count();
    }
    assert!(linked > 150, "{linked} promises linked in the plan's text");
}

#[test]
fn a_paper_whose_text_states_its_purpose_does_not_repeat_it() {
    let html = Html::parse_document(&read(
        west_midlands(),
        "papers/spcb-2021-07-20-plan-update/index.html",
    ));
    let purpose = "An update to Strategic Policing and Crime Board on progress towards a new Police and Crime Plan";
    let main = text_of(html.select(&sel("main")).next().unwrap());
    assert_eq!(main.matches(purpose).count(), 1, "{main}");
}

#[test]
fn every_decision_is_in_the_decisions_feed_and_on_a_browse_page_dated_or_not() {
    for (root, out) in built() {
        let out = out.path();
        let feed = read(out, "decisions.xml");
        let all = pages(out);
        let decisions: Vec<&String> = all
            .iter()
            .map(|(path, _)| path)
            .filter(|p| p.starts_with("decisions/") && p.as_str() != "decisions/index.html")
            .collect();
        assert!(!decisions.is_empty(), "{}: no decisions", root.display());
        let browse: Vec<&Html> = all
            .iter()
            .filter(|(p, _)| p.starts_with("browse/decision/"))
            .map(|(_, h)| h)
            .collect();
        for page in decisions {
            let address = page.trim_end_matches("index.html");
            assert!(
                feed.contains(&format!("{address}</id>")),
                "{}: {address} is not in decisions.xml",
                root.display()
            );
            let listed = browse.iter().any(|h| {
                h.select(&sel("main a"))
                    .any(|a| a.value().attr("href").is_some_and(|x| x.ends_with(address)))
            });
            assert!(listed, "{}: {address} is on no browse page", root.display());
        }
    }
}

#[test]
fn a_step_kept_with_a_note_is_a_stated_gap_not_a_warning() {
    // The West Midlands plan keeps its Panel-report and response steps with
    // notes saying why neither document is on the site: `--strict` passes.
    let o = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .args(["check", "--strict", "--root"])
        .arg(repo_root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    let warning = "has no record for the statutory step “Panel's report or recommendations”";
    let site = copy_fixture();
    let file = "content/variations/2026.md";
    // Named with no document and no note: warned about.
    edit(
        site.path(),
        file,
        "    date: 2026-01-12\n---",
        "    date: 2026-01-12\n  - step: panel-report\n---",
    );
    let o = check(site.path());
    assert!(stderr(&o).contains(warning), "{}", stderr(&o));
    // The same step with a note saying why: a stated gap, shown on the
    // page and not warned about.
    edit(
        site.path(),
        file,
        "  - step: panel-report\n",
        "  - step: panel-report\n    note: The Panel's report is not published on this site.\n",
    );
    let o = check(site.path());
    assert!(!stderr(&o).contains(warning), "{}", stderr(&o));
    let out = tempfile::tempdir().unwrap();
    assert!(build(site.path(), out.path()).status.success());
    let page = read(out.path(), "variations/2026/index.html");
    assert!(
        page.contains("The Panel&#39;s report is not published on this site.")
            || page.contains("The Panel's report is not published on this site."),
        "the note is on the page"
    );
}

#[test]
fn a_status_tag_is_never_also_the_name_of_a_date_beside_it() {
    // "Status: Published" above "Published: Not stated" reads as a
    // contradiction (issue 18, item 4): the date row is named for what it
    // holds, "Date published", so the two words never meet in one list.
    let mut checked = 0;
    for (out, _) in built().iter().map(|(root, out)| (out.path(), root)) {
        for (path, html) in pages(out) {
            for facts in html.select(&sel("dl.record-facts")) {
                let names: BTreeSet<String> = facts.select(&sel("dt")).map(text_of).collect();
                for tag in facts.select(&sel("dd .status")) {
                    checked += 1;
                    let status = text_of(tag);
                    assert!(
                        !names.contains(&status),
                        "{path}: the status “{status}” is also the name of a row beside it: {names:?}"
                    );
                }
            }
        }
    }
    assert!(checked > 200, "{checked} status tags checked");
}
