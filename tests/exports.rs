//! Records that last: permanent addresses, redirects, open data exports and
//! feeds, on the fixture site (and on the West Midlands content at the crate
//! root for the 360Giving export and the records' pages).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quick_xml::events::Event;

const BIN: &str = env!("CARGO_BIN_EXE_plansite");

/// Every file the exports write.
const EXPORTS: &[&str] = &[
    "records.json",
    "records.csv",
    "grants.csv",
    "grants-360giving.csv",
    "grants-360giving.json",
    "metrics.csv",
    "decisions.xml",
    "records.xml",
    "sitemap.xml",
    "_redirects",
    "datapackage.json",
    "data/index.html",
];

/// The ten required columns of the 360Giving Data Standard, in order.
const THREESIXTY_REQUIRED: [&str; 10] = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
];

const ATOM: &str = "http://www.w3.org/2005/Atom";

// ---------------------------------------------------------------------------
// Building

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A private copy of the fixture site to change.
fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), dir.path());
    dir
}

fn edit(root: &Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} does not contain {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn run_build(root: &Path, out: &Path) -> Output {
    Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap()
}

/// Builds `root` into a new folder, failing the test with the build's
/// errors if it does not build.
fn built(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = run_build(root, out.path());
    assert!(
        o.status.success(),
        "{} does not build:\n{}",
        root.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn json(out: &Path, file: &str) -> serde_json::Value {
    serde_json::from_str(&read(out, file)).unwrap_or_else(|e| panic!("{file} is not JSON: {e}"))
}

/// A CSV file as its header and rows of named cells.
fn csv_table(out: &Path, file: &str) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let text = read(out, file);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(
                r.len(),
                header.len(),
                "{file}: a row with the wrong number of cells"
            );
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The file an absolute URL of the site is served from.
fn file_for(out: &Path, base_url: &str, url: &str) -> PathBuf {
    let rel = url
        .strip_prefix(base_url)
        .unwrap_or_else(|| panic!("{url} is not under the base URL {base_url}"));
    let rel = rel.split('#').next().unwrap();
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

// ---------------------------------------------------------------------------
// A small XML tree, from quick-xml's events. Parsing fails on anything that
// is not well-formed: mismatched or unclosed tags, undefined entities, text
// or a second element outside the root.

#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }

    fn one(&self, name: &str) -> &Node {
        let found = self.all(name);
        assert_eq!(
            found.len(),
            1,
            "<{}> should have exactly one <{name}>",
            self.name
        );
        found[0]
    }

    fn text_of(&self, name: &str) -> String {
        self.one(name).text.trim().to_string()
    }

    fn attr(&self, name: &str) -> &str {
        self.attrs
            .get(name)
            .unwrap_or_else(|| panic!("<{}> has no {name} attribute", self.name))
    }
}

fn parse_xml(text: &str) -> Node {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut roots: Vec<Node> = Vec::new();
    let open = |e: &quick_xml::events::BytesStart<'_>| -> Node {
        let mut attrs = BTreeMap::new();
        for a in e.attributes() {
            let a = a.expect("a well-formed attribute");
            let value =
                quick_xml::escape::unescape(&a.value).expect("attribute entities are defined");
            assert!(
                attrs
                    .insert(a.key.0.to_string(), value.into_owned())
                    .is_none(),
                "duplicate attribute"
            );
        }
        Node {
            name: e.name().0.to_string(),
            attrs,
            ..Node::default()
        }
    };
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
        {
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => panic!("no DOCTYPE expected"),
            Event::Start(e) => stack.push(open(&e)),
            Event::Empty(e) => {
                let node = open(&e);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => roots.push(node),
                }
            }
            Event::End(_) => {
                let node = stack.pop().expect("an end tag closes an open element");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(node),
                    None => roots.push(node),
                }
            }
            Event::Text(t) => {
                let t = t.xml10_content();
                match stack.last_mut() {
                    Some(n) => n.text.push_str(&t),
                    None => assert!(t.trim().is_empty(), "text outside the root element: {t:?}"),
                }
            }
            Event::CData(t) => stack
                .last_mut()
                .expect("CDATA inside the root")
                .text
                .push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("a valid character reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("undefined entity &{name};"))
                            .to_string()
                    }
                };
                stack
                    .last_mut()
                    .expect("a reference inside the root")
                    .text
                    .push_str(&resolved);
            }
            Event::Eof => break,
        }
    }
    assert!(
        stack.is_empty(),
        "unclosed elements: {:?}",
        stack.iter().map(|n| &n.name).collect::<Vec<_>>()
    );
    assert_eq!(roots.len(), 1, "exactly one root element");
    roots.pop().unwrap()
}

/// `2025-04-10T00:00:00Z`: an RFC 3339 date-time as Atom requires.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Checks the elements RFC 4287 requires of a feed and its entries, and
/// returns the feed.
fn check_atom(text: &str, base_url: &str, out: &Path) -> Node {
    let feed = parse_xml(text);
    assert_eq!(feed.name, "feed");
    assert_eq!(feed.attr("xmlns"), ATOM);
    assert!(feed.text_of("id").starts_with(base_url));
    assert!(!feed.text_of("title").is_empty());
    assert!(
        is_rfc3339(&feed.text_of("updated")),
        "feed updated: {}",
        feed.text_of("updated")
    );
    assert!(
        !feed.one("author").text_of("name").is_empty(),
        "a feed-level author covers every entry"
    );
    let links = feed.all("link");
    assert!(
        links
            .iter()
            .any(|l| l.attrs.get("rel").map(String::as_str) == Some("self"))
    );
    let mut previous: Option<String> = None;
    let mut undated_seen = false;
    let mut ids = BTreeSet::new();
    for entry in feed.all("entry") {
        let id = entry.text_of("id");
        assert!(ids.insert(id.clone()), "two entries have the id {id}");
        assert!(!entry.text_of("title").is_empty());
        let updated = entry.text_of("updated");
        assert!(is_rfc3339(&updated), "entry updated: {updated}");
        let link = entry.one("link");
        let href = link.attr("href");
        assert!(
            href.starts_with(base_url),
            "absolute link from base_url: {href}"
        );
        assert!(
            file_for(out, base_url, href).is_file(),
            "the entry's page exists: {href}"
        );
        // A record whose sources state no date comes after every dated
        // entry (its `updated` is only the date the data is as of).
        let undated = entry
            .all("summary")
            .iter()
            .any(|s| s.text.contains("Date: not stated in the sources."));
        if undated {
            undated_seen = true;
            continue;
        }
        assert!(
            !undated_seen,
            "a dated entry after an undated one: {updated}"
        );
        // Newest first, by the entry's own date (or its update).
        let filed = entry
            .all("published")
            .first()
            .map(|p| p.text.clone())
            .unwrap_or(updated);
        if let Some(p) = &previous {
            assert!(*p >= filed, "entries are newest first: {p} then {filed}");
        }
        previous = Some(filed);
    }
    feed
}

// ---------------------------------------------------------------------------
// Addresses

fn base_url_of(out: &Path) -> String {
    json(out, "records.json")["url"]
        .as_str()
        .expect("records.json names the site's URL")
        .to_string()
}

/// `(kind, id) → (title, url)` from records.json.
fn records(out: &Path) -> BTreeMap<(String, String), (String, String)> {
    let j = json(out, "records.json");
    j["records"]
        .as_array()
        .expect("a list of records")
        .iter()
        .map(|r| {
            let s = |k: &str| {
                r[k].as_str()
                    .unwrap_or_else(|| panic!("a record without {k}: {r}"))
                    .to_string()
            };
            // A commitment's title is its full text (Markdown on the
            // page); its page's heading is its short title.
            let title = r["short_title"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| s("title"));
            ((s("kind"), s("id")), (title, s("url")))
        })
        .collect()
}

fn every_record_has_a_page(out: &Path) {
    let base = base_url_of(out);
    let records = records(out);
    assert!(!records.is_empty());
    for ((kind, id), (title, url)) in &records {
        let page = file_for(out, &base, url);
        let html = std::fs::read_to_string(&page)
            .unwrap_or_else(|_| panic!("{kind} {id}: no page at {url} ({})", page.display()));
        let escaped = title
            .replace('&', "&amp;")
            .replace('\'', "&#39;")
            .replace('"', "&quot;");
        assert!(
            html.contains(title.as_str()) || html.contains(&escaped),
            "{kind} {id}: the page at {url} does not show its title {title:?}"
        );
    }
    // records.csv lists the same records.
    let (_, rows) = csv_table(out, "records.csv");
    let from_csv: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|r| (r["kind"].clone(), r["id"].clone(), r["url"].clone()))
        .collect();
    let from_json: BTreeSet<(String, String, String)> = records
        .iter()
        .map(|((k, i), (_, u))| (k.clone(), i.clone(), u.clone()))
        .collect();
    assert_eq!(
        from_csv, from_json,
        "records.csv and records.json list the same records"
    );
}

#[test]
fn every_record_in_records_json_has_a_page_at_its_url() {
    let out = built(&fixture());
    every_record_has_a_page(out.path());
    let records = records(out.path());
    for kind in [
        "plan",
        "section",
        "variation",
        "commitment",
        "metric",
        "grants",
        "grant",
        "decision",
        "panel",
        "response",
        "paper",
        "page",
    ] {
        assert!(
            records.keys().any(|(k, _)| k == kind),
            "records.json has a {kind}"
        );
    }
    // Drafts are not records; the confidential decision is, as its stub.
    assert!(!records.contains_key(&("decision".into(), "004-2025".into())));
    let j = json(out.path(), "records.json");
    let stub = j["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "003-2025")
        .unwrap();
    assert_eq!(stub["status"], "Confidential");
    assert_eq!(stub["number"], "003/2025");
    assert_eq!(stub["date"], "2025-04-02");
    assert!(
        stub["confidential_reason"]
            .as_str()
            .unwrap()
            .contains("section 43")
    );
}

#[test]
fn every_record_of_the_west_midlands_site_has_a_page_at_its_url() {
    let out = built(&crate_root());
    every_record_has_a_page(out.path());
}

#[test]
fn renaming_a_record_does_not_change_its_address() {
    let before = built(&fixture());
    let site = copy_fixture();
    edit(
        site.path(),
        "content/decisions/001-2025.md",
        "title: Target hardening grant 2025/26",
        "title: Locks and lighting for burglary victims",
    );
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About this site",
        "title: About these records",
    );
    edit(
        site.path(),
        "content/grants/2025-26.yaml",
        "area: General commissioning",
        "area: General commissioning fund",
    );
    let after = built(site.path());
    let (a, b) = (records(before.path()), records(after.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (key, (title, url)) in &a {
        assert_eq!(url, &b[key].1, "{key:?} kept its address");
        let renamed = matches!(
            key.1.as_str(),
            "001-2025" | "about" | "2025-26/general-fund"
        );
        assert_eq!(
            title != &b[key].0,
            renamed,
            "{key:?}: only the renamed records have new titles"
        );
    }
    let page = read(after.path(), "decisions/001-2025/index.html");
    assert!(page.contains("Locks and lighting for burglary victims"));
    assert!(read(after.path(), "about/index.html").contains("About these records"));
    // The same pages exist, at the same paths.
    let pages = |dir: &Path| -> Vec<PathBuf> {
        tree(dir)
            .into_keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect()
    };
    assert_eq!(pages(before.path()), pages(after.path()));
}

#[test]
fn an_alias_makes_a_redirect_page_and_a_redirects_line() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/decisions/001-2025.md",
        "date_signed: 2025-02-01",
        "date_signed: 2025-02-01\naliases: [\"/decisions/2025/target-hardening/\"]",
    );
    let out = built(site.path());
    let base = base_url_of(out.path());
    let redirects = read(out.path(), "_redirects");
    for (alias, target) in [
        ("decisions/2025/target-hardening/", "decisions/001-2025/"),
        ("decisions/page/8/", "decisions/wpcc3-0089/"),
        ("freedom-of-information/", "foi/"),
    ] {
        // The redirect page: meta refresh to the record (relative, so it
        // works under any base path), canonical link, a link for people.
        let page = read(out.path(), &format!("{alias}index.html"));
        let depth = alias.matches('/').count();
        let relative = format!("{}{target}", "../".repeat(depth));
        assert!(
            page.contains(&format!("content=\"0; url={relative}\"")),
            "{alias}: meta refresh to {relative}"
        );
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{base}{target}\">")),
            "{alias}: canonical link"
        );
        assert!(
            page.contains(&format!("<a href=\"{relative}\">")),
            "{alias}: a link for people"
        );
        let resolved = out.path().join(alias).join(&relative).join("index.html");
        assert!(
            resolved.is_file(),
            "{alias}: the redirect leads to a page ({})",
            resolved.display()
        );
        // The _redirects line, with paths under the base path.
        let line = format!("/plan/{alias} /plan/{target} 301");
        assert!(
            redirects.lines().any(|l| l == line),
            "_redirects has {line:?}:\n{redirects}"
        );
    }
    // Every line of _redirects is `from to 301`, its target a page.
    for line in redirects
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 3, "{line}");
        assert_eq!(fields[2], "301");
        let target = fields[1]
            .strip_prefix("/plan/")
            .expect("under the base path");
        assert!(
            out.path().join(target).join("index.html").is_file(),
            "{line}: target exists"
        );
    }
    // The Open data page counts them.
    assert!(read(out.path(), "data/index.html").contains("3 old addresses"));
}

// ---------------------------------------------------------------------------
// Feeds and sitemap

#[test]
fn feeds_and_sitemap_are_well_formed_with_the_required_elements() {
    let out = built(&fixture());
    let base = base_url_of(out.path());
    let decisions = check_atom(&read(out.path(), "decisions.xml"), &base, out.path());
    let entries = decisions.all("entry");
    let titles: Vec<String> = entries.iter().map(|e| e.text_of("title")).collect();
    assert_eq!(
        titles,
        [
            "Decision WPCC3-0089: Community safety grants 2025/26",
            "Decision 003/2025: Custody contract award (confidential)",
            "Decision 002/2025: Issue of the Police and Crime Plan 2025–2029",
            "Decision 001/2025: Target hardening grant 2025/26",
            // Cumbria's register entries: its list states no dates, so
            // they come last, by key.
            "Decision 011-2019: Internal Audit Annual Report 2018/19",
            "Decision 013-2020: Effectiveness of Governance Arrangements (OPCC) 2019/20",
            "Decision 015-2020: Charging Policy 2020-21",
        ],
        "every published decision, newest first, undated last; no draft"
    );
    assert_eq!(
        decisions.text_of("updated"),
        "2025-04-10T00:00:00Z",
        "updated from content, not the clock"
    );
    // The confidential decision is its stub: number, title, date, status, reason.
    let stub = entries[1];
    assert_eq!(stub.text_of("published"), "2025-04-02T00:00:00Z");
    let summary = stub.text_of("summary");
    assert!(
        summary.contains("Confidential") && summary.contains("section 43"),
        "{summary}"
    );
    assert!(
        stub.all("category")
            .iter()
            .any(|c| c.attr("term") == "confidential")
    );
    assert!(stub.all("content").is_empty());

    let all = check_atom(&read(out.path(), "records.xml"), &base, out.path());
    let urls: Vec<String> = all
        .all("entry")
        .iter()
        .map(|e| e.one("link").attr("href").to_string())
        .collect();
    assert_eq!(
        urls.first().map(String::as_str),
        Some(format!("{base}variations/2026/").as_str()),
        "newest first"
    );
    for kind in ["decisions/", "panel/", "responses/", "papers/", "plan/"] {
        assert!(
            urls.iter().any(|u| u.starts_with(&format!("{base}{kind}"))),
            "records.xml has {kind}"
        );
    }
    assert!(
        !urls.iter().any(|u| u.contains("commitments/")),
        "undated records are not in the feed"
    );

    let sitemap = parse_xml(&read(out.path(), "sitemap.xml"));
    assert_eq!(sitemap.name, "urlset");
    assert_eq!(
        sitemap.attr("xmlns"),
        "http://www.sitemaps.org/schemas/sitemap/0.9"
    );
    let locs: Vec<String> = sitemap
        .all("url")
        .iter()
        .map(|u| u.text_of("loc"))
        .collect();
    for loc in &locs {
        assert!(
            file_for(out.path(), &base, loc).is_file(),
            "the sitemap's {loc} exists"
        );
    }
    for (_, (_, url)) in records(out.path()) {
        assert!(locs.contains(&url), "the sitemap lists {url}");
    }
    for u in sitemap.all("url") {
        for lastmod in u.all("lastmod") {
            assert_eq!(lastmod.text.len(), 10, "a W3C date");
        }
    }
    // The base page links the decisions feed; the Open data page both.
    assert!(read(out.path(), "index.html").contains("href=\"./decisions.xml\""));
    assert!(read(out.path(), "data/index.html").contains("href=\"../records.xml\""));
}

#[test]
fn feeds_escape_what_titles_and_reasons_contain() {
    let site = copy_fixture();
    let title = r#"Fish & chips <contract> "quoted" 'too' – ok"#;
    edit(
        site.path(),
        "content/decisions/002-2025.md",
        "title: Issue of the Police and Crime Plan 2025–2029",
        &format!("title: '{}'", title.replace('\'', "''")),
    );
    edit(
        site.path(),
        "content/decisions/003-2025.md",
        "(Freedom of Information Act 2000, section 43).",
        "(FOIA s.43 & s.31 <commercial>).",
    );
    let out = built(site.path());
    let base = base_url_of(out.path());
    for feed in ["decisions.xml", "records.xml"] {
        let parsed = check_atom(&read(out.path(), feed), &base, out.path());
        let titles: Vec<String> = parsed
            .all("entry")
            .iter()
            .map(|e| e.text_of("title"))
            .collect();
        assert!(
            titles.contains(&format!("Decision 002/2025: {title}")),
            "{feed}: {titles:?}"
        );
        assert!(parsed.all("entry").iter().any(|e| {
            e.text_of("summary")
                .contains("(FOIA s.43 & s.31 <commercial>).")
        }));
    }
}

// ---------------------------------------------------------------------------
// Grants

fn check_threesixty_header(header: &[String]) {
    assert_eq!(
        &header[..10],
        THREESIXTY_REQUIRED,
        "the ten required 360Giving columns, first, in their exact titles"
    );
    assert!(header.contains(&"Data Notes".to_string()));
    assert!(header.contains(&"Amount Note".to_string()));
}

#[test]
fn the_360giving_export_converts_amounts_exactly_and_keeps_unstated_ones() {
    let out = built(&fixture());
    let (header, rows) = csv_table(out.path(), "grants-360giving.csv");
    check_threesixty_header(&header);
    let row = |id: &str| {
        rows.iter()
            .find(|r| r["Identifier"].ends_with(id))
            .unwrap_or_else(|| panic!("no grant {id}"))
    };
    let hardening = row("-2025-26-target-hardening");
    assert_eq!(
        hardening["Identifier"],
        "360G-example-police-and-crime-commissioner-2025-26-target-hardening"
    );
    assert_eq!(hardening["Amount Awarded"], "250000", "£000s to pounds");
    assert_eq!(hardening["Currency"], "GBP");
    assert_eq!(hardening["Title"], "Target hardening for burglary victims");
    assert_eq!(
        hardening["Description"],
        "Locks and lighting for repeat burglary victims."
    );
    assert_eq!(hardening["Recipient Org:Name"], "Example Victim Support");
    assert_eq!(
        hardening["Recipient Org:Identifier"], "",
        "no identifier is invented"
    );
    assert_eq!(
        hardening["Funding Org:Name"],
        "Example Police and Crime Commissioner"
    );
    assert_eq!(hardening["Funding Org:Identifier"], "");
    assert_eq!(
        hardening["Award Date"], "2025-02-01",
        "the approving decision's date"
    );
    assert!(hardening["Data Notes"].contains("decision 001/2025"));
    assert!(hardening["Data Notes"].contains("Recipient Org:Identifier is empty"));
    assert_eq!(
        row("-2024-25-force")["Amount Awarded"],
        "100200000",
        "£m to pounds, exactly"
    );
    assert_eq!(row("-2024-25-victims")["Amount Awarded"], "50600000");
    let unstated = row("-2025-26-general-fund");
    assert_eq!(unstated["Amount Awarded"], "", "not stated is not zero");
    assert_eq!(unstated["Amount Note"], "not yet decided");
    assert!(unstated["Data Notes"].contains("not stated"));
    assert_eq!(unstated["Award Date"], "");
    assert!(unstated["Data Notes"].contains("no award date"));

    // The JSON package: raw integer amounts, the gap stated, the licence.
    let j = json(out.path(), "grants-360giving.json");
    assert_eq!(
        j["license"],
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    );
    assert_eq!(j["modified"], "2026-01-12");
    let grants = j["grants"].as_array().unwrap();
    assert_eq!(grants.len(), 5);
    let g = |id: &str| {
        grants
            .iter()
            .find(|g| g["id"].as_str().unwrap().ends_with(id))
            .unwrap()
    };
    assert_eq!(
        g("-target-hardening")["amountAwarded"].as_u64(),
        Some(250000)
    );
    assert_eq!(g("-force")["amountAwarded"].as_u64(), Some(100200000));
    assert!(g("-general-fund").get("amountAwarded").is_none());
    assert_eq!(g("-general-fund")["amountNote"], "not yet decided");
    assert_eq!(
        g("-target-hardening")["recipientOrganization"][0]["name"],
        "Example Victim Support"
    );
    assert!(
        read(out.path(), "grants-360giving.json").contains("\"amountAwarded\": 100200000,"),
        "no float formatting"
    );

    // grants.csv: the table's own figures beside the pounds.
    let (header, rows) = csv_table(out.path(), "grants.csv");
    for c in [
        "table",
        "financial_year",
        "row_id",
        "area",
        "recipient",
        "funder",
        "amount",
        "unit",
        "amount_pounds",
        "amount_note",
        "purpose",
        "approved_by",
        "commitments",
        "url",
    ] {
        assert!(header.contains(&c.to_string()), "grants.csv has {c}");
    }
    let force = rows.iter().find(|r| r["row_id"] == "force").unwrap();
    assert_eq!(
        (
            force["amount"].as_str(),
            force["unit"].as_str(),
            force["amount_pounds"].as_str()
        ),
        ("100.2", "£m", "100200000")
    );
    let hardening = rows
        .iter()
        .find(|r| r["row_id"] == "target-hardening")
        .unwrap();
    assert_eq!(hardening["approved_by"], "001/2025");
    assert_eq!(hardening["commitments"], "reduce-burglary");
    assert_eq!(
        hardening["purpose"],
        "Locks and lighting for repeat burglary victims."
    );
    let general = rows.iter().find(|r| r["row_id"] == "general-fund").unwrap();
    assert_eq!(
        (
            general["amount"].as_str(),
            general["amount_pounds"].as_str()
        ),
        ("", "")
    );
    assert_eq!(general["amount_note"], "not yet decided");
}

#[test]
fn the_west_midlands_360giving_export_has_the_ten_columns_and_the_general_commissioning_gap() {
    let out = built(&crate_root());
    let (header, rows) = csv_table(out.path(), "grants-360giving.csv");
    check_threesixty_header(&header);
    let find = |words: &str| {
        rows.iter()
            .find(|r| r["Title"].to_lowercase().contains(words))
            .unwrap_or_else(|| {
                panic!(
                    "no grant titled {words:?} in {:?}",
                    rows.iter().map(|r| &r["Title"]).collect::<Vec<_>>()
                )
            })
    };
    let csf = find("community safety funding");
    assert_eq!(
        csf["Amount Awarded"], "3863000",
        "3,863 (£000s) is £3,863,000"
    );
    assert_eq!(csf["Currency"], "GBP");
    assert!(csf["Identifier"].starts_with("360G-"));
    assert_eq!(
        csf["Funding Org:Name"],
        "West Midlands Police and Crime Commissioner"
    );
    let general = find("general commissioning");
    assert_eq!(
        general["Amount Awarded"], "",
        "the unstated amount is not zeroed"
    );
    assert!(!general["Amount Note"].is_empty(), "the gap is stated");
    assert!(general["Data Notes"].contains("not stated"));
    for r in &rows {
        assert!(
            r["Amount Awarded"]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.'),
            "no commas or symbols"
        );
        assert!(r["Identifier"].starts_with("360G-"));
        assert!(!r["Title"].is_empty() && !r["Description"].is_empty());
    }
}

// ---------------------------------------------------------------------------
// Metrics, licence, generation date, determinism

#[test]
fn metrics_csv_lists_figures_and_every_metric_with_its_target() {
    let site = copy_fixture();
    std::fs::remove_file(
        site.path()
            .join("content/metrics/series/repeat-victims.csv"),
    )
    .unwrap();
    let out = built(site.path());
    let (header, rows) = csv_table(out.path(), "metrics.csv");
    for c in [
        "metric_id",
        "metric",
        "period",
        "value",
        "unit",
        "target",
        "note",
        "url",
    ] {
        assert!(header.contains(&c.to_string()), "metrics.csv has {c}");
    }
    let burglary: Vec<_> = rows
        .iter()
        .filter(|r| r["metric_id"] == "burglary-rate")
        .collect();
    assert_eq!(burglary.len(), 3);
    assert_eq!(
        (
            burglary[0]["period"].as_str(),
            burglary[0]["value"].as_str()
        ),
        ("2025-Q1", "6.2")
    );
    assert_eq!(burglary[0]["target"], "< 5 per 1,000 households");
    assert_eq!(burglary[2]["note"], "provisional");
    let none: Vec<_> = rows
        .iter()
        .filter(|r| r["metric_id"] == "repeat-victims")
        .collect();
    assert_eq!(none.len(), 1, "a metric without figures has one row");
    assert_eq!(
        (none[0]["period"].as_str(), none[0]["value"].as_str()),
        ("", "")
    );
    assert!(none[0]["note"].contains("No figures"));
}

#[test]
fn exports_state_their_licence_and_a_generation_date_from_content() {
    let out = built(&fixture());
    let licence = "Open Government Licence v3.0";
    let j = json(out.path(), "records.json");
    assert_eq!(j["licence"]["name"], licence);
    // The newest date in the content: the 2026 variation's.
    assert_eq!(j["generated"], "2026-01-12");
    assert!(j.get("successor").is_none());
    for file in ["records.csv", "grants.csv", "metrics.csv"] {
        let (_, rows) = csv_table(out.path(), file);
        assert!(!rows.is_empty());
        for r in rows {
            assert!(
                r["licence"].starts_with(licence),
                "{file} states its licence"
            );
            assert_eq!(r["generated"], "2026-01-12", "{file} states its date");
        }
    }
    let (_, rows) = csv_table(out.path(), "grants-360giving.csv");
    assert!(rows.iter().all(|r| r["Licence"].starts_with(licence)));
    assert!(
        read(out.path(), "decisions.xml")
            .contains(&format!("<rights>Published under the {licence}"))
    );
    let package = json(out.path(), "datapackage.json");
    assert_eq!(package["licenses"][0]["title"], licence);
    assert_eq!(package["generated"], "2026-01-12");

    // The Open data page lists every file with its description, licence and date.
    let page = read(out.path(), "data/index.html");
    for file in EXPORTS
        .iter()
        .filter(|f| !f.contains('/') && **f != "_redirects")
    {
        assert!(
            page.contains(&format!("<a href=\"../{file}\">{file}</a>")),
            "the Open data page links {file}"
        );
    }
    assert!(page.contains("<time datetime=\"2026-01-12\">12 January 2026</time>"));
    assert!(page.contains(licence));

    // A later `updated:` date moves the generation date; nothing else does.
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About this site",
        "title: About this site\nupdated: 2027-03-04",
    );
    let later = built(site.path());
    assert_eq!(
        json(later.path(), "records.json")["generated"],
        "2027-03-04"
    );
}

#[test]
fn two_builds_give_byte_identical_exports() {
    // A fresh copy has other file times and another path: neither may show.
    let a = built(&fixture());
    let copy = copy_fixture();
    let b = built(copy.path());
    for file in EXPORTS {
        assert!(
            read(a.path(), file) == read(b.path(), file),
            "{file} differs between two builds of the same content"
        );
    }
    assert_eq!(tree(a.path()), tree(b.path()), "every file is the same");
}

// ---------------------------------------------------------------------------
// Archive mode

#[test]
fn archive_mode_puts_the_banner_on_every_page_and_notes_the_successor_in_feeds_and_exports() {
    let normal = built(&fixture());
    let site = copy_fixture();
    edit(
        site.path(),
        "content/site.yaml",
        "accessibility:\n",
        "successor:\n  body: Example Combined Authority\n  date: 2028-05-08\n  url: https://www.example-ca.gov.uk/policing/\naccessibility:\n",
    );
    let out = built(site.path());
    let files = tree(out.path());
    let mut pages = 0;
    for (path, bytes) in &files {
        if path.extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = String::from_utf8_lossy(bytes);
            assert!(
                html.contains("class=\"archive-banner\""),
                "{}: no archive banner",
                path.display()
            );
            assert!(
                html.contains("Example Combined Authority"),
                "{}: the banner names the successor",
                path.display()
            );
            assert!(
                html.contains("8 May 2028"),
                "{}: the banner gives the date",
                path.display()
            );
        }
    }
    assert!(pages > 30);
    // No address changes.
    let before: Vec<PathBuf> = tree(normal.path()).into_keys().collect();
    let after: Vec<PathBuf> = files.keys().cloned().collect();
    assert_eq!(before, after, "archive mode adds no file and moves none");

    let base = base_url_of(out.path());
    for feed in ["decisions.xml", "records.xml"] {
        let parsed = check_atom(&read(out.path(), feed), &base, out.path());
        let subtitle = parsed.text_of("subtitle");
        assert!(
            subtitle.contains("This is an archive")
                && subtitle.contains("Example Combined Authority")
                && subtitle.contains("8 May 2028"),
            "{feed}: {subtitle}"
        );
        assert!(
            parsed
                .all("link")
                .iter()
                .any(|l| l.attr("href") == "https://www.example-ca.gov.uk/policing/")
        );
    }
    for file in ["records.json", "grants-360giving.json", "datapackage.json"] {
        let j = json(out.path(), file);
        assert_eq!(
            j["successor"]["body"], "Example Combined Authority",
            "{file} names the successor"
        );
        assert_eq!(j["successor"]["date"], "2028-05-08");
    }
    // The generation date still comes from the records, not the handover.
    assert_eq!(json(out.path(), "records.json")["generated"], "2026-01-12");
    assert!(read(out.path(), "data/index.html").contains("<strong>This is an archive.</strong>"));
}
