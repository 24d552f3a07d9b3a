//! Browser tests: the built site must pass axe-core (WCAG 2.2 AA tags) in
//! headless Chromium, the keyboard, heading and reflow checks, and the Nu HTML
//! Checker, all run by `tests/browser/a11y.mjs`.
//!
//! Needs Debian's Chromium and a JRE, plus the pinned npm packages:
//!
//! ```text
//! apt-get update && apt-get install -y chromium default-jre-headless
//! cd tests/browser && npm ci
//! ```
//!
//! When they are missing, the tests warn loudly and pass locally, but fail
//! under `CI=true`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const INSTALL_HINT: &str = "install with:\n    \
    apt-get update && apt-get install -y chromium default-jre-headless\n    \
    cd tests/browser && npm ci";

/// Longest the suite may run before it is killed (the real site takes about a
/// minute on 2 cores; this only stops a hang from eating CI's time).
const SUITE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn browser_dir() -> PathBuf {
    crate_root().join("tests").join("browser")
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// What is missing to run the suite, if anything.
fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    let runs = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !runs("node", "--version") {
        missing.push("node (Node.js) not found on PATH".to_string());
    }
    let chromium =
        std::env::var("PLANSITE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        missing.push(format!(
            "Chromium not found at {chromium} (Debian package chromium)"
        ));
    }
    if !runs("java", "-version") {
        missing.push("java not found on PATH (Debian package default-jre-headless)".to_string());
    }
    let nm = browser_dir().join("node_modules");
    for (pkg, file) in [
        ("playwright-core", "package.json"),
        ("axe-core", "axe.min.js"),
        ("vnu-jar", "build/dist/vnu.jar"),
    ] {
        if !nm.join(pkg).join(file).is_file() {
            missing.push(format!(
                "npm package {pkg} not installed in tests/browser/node_modules"
            ));
        }
    }
    missing
}

/// Returns true if the test may go on. Missing prerequisites fail the test
/// under CI=true and skip it (loudly) otherwise.
fn prerequisites_or_skip(test: &str) -> bool {
    let missing = missing_prerequisites();
    if missing.is_empty() {
        return true;
    }
    report_missing(test, &missing.join("\n  - "));
    false
}

fn report_missing(test: &str, what: &str) {
    let msg = format!("browser test prerequisites missing:\n  - {what}\n{INSTALL_HINT}");
    if in_ci() {
        panic!("{test}: {msg}\n(CI=true, so this is a failure, not a skip)");
    }
    // Straight to the process's stderr: libtest captures eprintln!, and this
    // warning must be seen without --nocapture.
    let bar = "!".repeat(76);
    let _ = writeln!(
        std::io::stderr(),
        "\n{bar}\nWARNING: SKIPPING {test}: {msg}\n{bar}\n"
    );
}

/// A copy of the fixture site with a logo, a brand palette (the darkest
/// that still passes the contrast guard), archive mode on, the records
/// modelled on other Commissioners' documents, a change history and a
/// withdrawn decision: the theme's branded and archived pages, and those
/// records' pages, must pass the same checks.
fn branded_copy(fixture: &Path) -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("plansite-branded-")
        .tempdir()
        .expect("create temp dir");
    for entry in walkdir::WalkDir::new(fixture) {
        let entry = entry.expect("walk fixture");
        let to = dir.path().join(entry.path().strip_prefix(fixture).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let config = dir.path().join("content").join("site.yaml");
    let mut yaml = std::fs::read_to_string(&config).expect("fixture site.yaml");
    yaml.push_str(BRANDING);
    std::fs::write(&config, yaml).unwrap();
    std::fs::write(dir.path().join("content").join("logo.svg"), LOGO).unwrap();
    add_other_commissioners(dir.path());
    add_history(dir.path());
    dir
}

/// Gives one decision of a copy of the fixture site a change history and
/// withdraws another, so the history box and the withdrawal banner are
/// checked too. Test content, not from any source.
fn add_history(site: &Path) {
    let edit = |file: &str, from: &str, to: &str| {
        let path = site.join("content/decisions").join(file);
        let text = std::fs::read_to_string(&path).expect("fixture decision");
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "002-2025.md",
        "date_signed: 2025-03-28\n",
        "date_signed: 2025-03-28\nchanges:\n  - date: 2025-04-02\n    note: Test change, not from any source\n",
    );
    edit(
        "001-2025.md",
        "date_signed: 2025-02-01\n",
        "date_signed: 2025-02-01\nwithdrawn:\n  date: 2025-03-01\n  reason: Test reason, not from any source\n",
    );
}

/// Adds the records modelled on other Commissioners' documents (each file
/// names its source) to a copy of the fixture site, so their pages are
/// checked too: the minutes of `tests/fixtures/minutes/` as meetings, the
/// precepts of `tests/fixtures/precepts/` (named by their year).
fn add_other_commissioners(site: &Path) {
    let fixtures = crate_root().join("tests").join("fixtures");
    let content = site.join("content");
    for (from, to) in [("minutes", "meetings"), ("precepts", "precepts")] {
        for entry in std::fs::read_dir(fixtures.join(from)).expect("read fixtures") {
            let path = entry.expect("fixture entry").path();
            let name = path.file_name().expect("a file name");
            std::fs::copy(&path, content.join(to).join(name)).expect("copy fixture");
        }
    }
}

const BRANDING: &str = "\
successor:
  body: Example Mayoral Combined Authority
  date: 2028-05-11
  url: https://www.example-ca.gov.uk/
branding:
  logo:
    src: logo.svg
    alt: Example Police and Crime Commissioner
  colours:
    primary: \"#6d2077\"
    link: \"#6d2077\"
    header_background: \"#3d1043\"
    header_text: \"#ffffff\"
";

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">
<path d="M4 4h24v14c0 10-6 16-12 18C10 34 4 28 4 18z" fill="#ffffff"/>
<path d="M10 12h12M10 18h12M10 24h8" stroke="#3d1043" stroke-width="3"/>
<text x="36" y="27" font-family="sans-serif" font-size="18" font-weight="700" fill="#ffffff">EPCC</text>
</svg>
"##;

/// A site built into a temporary directory.
struct BuiltSite {
    name: &'static str,
    out: tempfile::TempDir,
    /// The path the site is published under (from `base_url`), e.g. `/plan/`:
    /// root-relative links in the built pages start with it.
    base_path: String,
}

/// The path part of `base_url` in `<site root>/content/site.yaml`
/// (`https://example.org/plan/` gives `/plan/`); `/` when there is none.
fn base_path(site_root: &Path) -> String {
    let yaml =
        std::fs::read_to_string(site_root.join("content").join("site.yaml")).unwrap_or_default();
    let url = yaml
        .lines()
        .find_map(|l| l.strip_prefix("base_url:"))
        .map(|v| {
            v.split(" #")
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\''])
        })
        .unwrap_or("");
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => "/",
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let path = path.trim_end_matches('/');
    format!("{path}/")
}

/// Builds the repo's own site (crate root) and the fixture site
/// (`tests/fixtures/site`). Both must build: a site that fails to build
/// cannot be shown to be accessible, so it fails this test too.
fn build_sites() -> Vec<BuiltSite> {
    let root = crate_root();
    let fixture = root.join("tests").join("fixtures").join("site");
    let branded = branded_copy(&fixture);
    let candidates: [(&'static str, PathBuf, bool); 3] = [
        ("repo site", root.clone(), root.join("content").is_dir()),
        ("fixture site", fixture.clone(), fixture.is_dir()),
        ("branded archive site", branded.path().to_path_buf(), true),
    ];
    let mut built = Vec::new();
    let mut errors = Vec::new();
    for (name, site_root, exists) in candidates {
        if !exists {
            eprintln!(
                "browser test: {name} not present ({}), not built",
                site_root.display()
            );
            continue;
        }
        let out = tempfile::Builder::new()
            .prefix("plansite-browser-")
            .tempdir()
            .expect("create temp dir");
        let started = Instant::now();
        let result = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .arg("build")
            .arg("--root")
            .arg(&site_root)
            .arg("--output")
            .arg(out.path())
            .output()
            .expect("run plansite build");
        if result.status.success() {
            eprintln!(
                "browser test: built {name} from {} in {:.1} s",
                site_root.display(),
                started.elapsed().as_secs_f64()
            );
            let base_path = base_path(&site_root);
            built.push(BuiltSite {
                name,
                out,
                base_path,
            });
        } else {
            errors.push(format!(
                "{name}: plansite build --root {} failed ({}):\n{}{}",
                site_root.display(),
                result.status,
                String::from_utf8_lossy(&result.stdout),
                String::from_utf8_lossy(&result.stderr)
            ));
        }
    }
    assert!(
        errors.is_empty(),
        "every site must build before it can be checked:\n{}",
        errors.join("\n")
    );
    built
}

struct SuiteRun {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `node tests/browser/a11y.mjs --base-path P --site DIR...` for each
/// `(DIR, P)`, killing it after SUITE_TIMEOUT.
fn run_suite(sites: &[(&Path, &str)]) -> SuiteRun {
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join("a11y.mjs"));
    for (dir, base_path) in sites {
        cmd.arg("--base-path").arg(base_path).arg("--site").arg(dir);
    }
    let mut child = cmd
        .current_dir(crate_root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node tests/browser/a11y.mjs");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for a11y.mjs") {
            break status;
        }
        if started.elapsed() > SUITE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "a11y.mjs did not finish within {} s; output so far:\n{}",
                SUITE_TIMEOUT.as_secs(),
                out.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    SuiteRun {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Exit code 2 from a11y.mjs means Chromium, Java or the npm packages are
/// missing (checked again here in case the environment changed).
fn suite_lacked_prerequisites(test: &str, run: &SuiteRun) -> bool {
    if run.status.code() == Some(2) {
        report_missing(test, run.stderr.trim());
        return true;
    }
    false
}

#[test]
fn built_site_passes_accessibility_and_html_checks() {
    const TEST: &str = "built_site_passes_accessibility_and_html_checks";
    if !prerequisites_or_skip(TEST) {
        return;
    }
    let sites = build_sites();
    let dirs: Vec<(&Path, &str)> = sites
        .iter()
        .map(|s| (s.out.path(), s.base_path.as_str()))
        .collect();
    for s in &sites {
        eprintln!(
            "browser test: checking {} at {} (served under {})",
            s.name,
            s.out.path().display(),
            s.base_path
        );
    }
    let run = run_suite(&dirs);
    println!("{}", run.stdout);
    eprintln!("{}", run.stderr);
    if suite_lacked_prerequisites(TEST, &run) {
        return;
    }
    assert!(
        run.status.success(),
        "the browser accessibility suite failed ({}); its output is above.\n\
         Rerun by hand: plansite build --output /tmp/site && \
         node tests/browser/a11y.mjs --base-path <path of base_url> --site /tmp/site",
        run.status
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("a11y: ") && l.ends_with(" passed, 0 failed")),
        "no summary line in the suite's output"
    );
}

/// The suite must be able to fail: one built page with an image without alt
/// text and a table without headers planted in it.
#[test]
fn suite_reports_planted_defects() {
    const TEST: &str = "suite_reports_planted_defects";
    if !prerequisites_or_skip(TEST) {
        return;
    }
    let sites = build_sites();
    let page = find_page(sites[0].out.path())
        .expect("the built site has no HTML page to plant defects in");
    let html = std::fs::read_to_string(&page).expect("read built page");

    // An image without alt, a table without headers, text that is
    // unreadable in dark mode, and a box that clips its text.
    let defects = concat!(
        r#"<img src="x.png"><table><tr><td>1</td></tr></table>"#,
        "<style>@media (prefers-color-scheme: dark) { body { background: #000; } .planted-dark { color: #222; } }",
        " .planted-clip { overflow: hidden; height: 1.5em; width: 6em; }</style>",
        r#"<p class="planted-dark">Dark on dark</p>"#,
        r#"<p class="planted-clip">A sentence long enough to wrap onto more lines than its box holds.</p>"#,
    );
    let planted = match html
        .find("<main")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => format!("{}{defects}{}", &html[..at], &html[at..]),
        None => {
            let at = html.rfind("</body>").unwrap_or(html.len());
            format!("{}{defects}{}", &html[..at], &html[at..])
        }
    };
    assert_ne!(planted, html);
    let dir = tempfile::Builder::new()
        .prefix("plansite-defects-")
        .tempdir()
        .expect("create temp dir");
    std::fs::write(dir.path().join("index.html"), planted).expect("write planted page");

    let run = run_suite(&[(dir.path(), sites[0].base_path.as_str())]);
    println!("{}", run.stdout);
    eprintln!("{}", run.stderr);
    if suite_lacked_prerequisites(TEST, &run) {
        return;
    }
    assert_eq!(
        run.status.code(),
        Some(1),
        "the suite should fail (exit 1) on a page with planted defects, got {}",
        run.status
    );
    assert!(
        run.stdout.contains("[axe image-alt]"),
        "axe's image-alt violation was not reported"
    );
    assert!(
        run.stdout.contains("[html]") && run.stdout.contains("“alt” attribute"),
        "the Nu HTML Checker did not report the img without alt"
    );
    assert!(
        run.stdout.contains("[axe color-contrast (dark mode)]"),
        "the dark-mode contrast failure was not reported"
    );
    assert!(
        run.stdout.contains("[text-spacing]") && run.stdout.contains("planted-clip"),
        "the text clipped under WCAG text spacing was not reported"
    );
    assert!(
        run.stdout.lines().any(|l| l == "a11y: 0 passed, 1 failed"),
        "the summary should count the page as failed"
    );
}

/// The built site's home page if there is one, otherwise the first HTML page
/// (in path order) that is not a redirect page.
fn find_page(root: &Path) -> Option<PathBuf> {
    let home = root.join("index.html");
    if home.is_file() {
        return Some(home);
    }
    let mut pages = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).ok()?.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "html") {
                pages.push(p);
            }
        }
    }
    pages.sort();
    pages.into_iter().find(|p| {
        std::fs::read_to_string(p)
            .map(|s| !s.to_ascii_lowercase().contains("http-equiv=\"refresh\""))
            .unwrap_or(false)
    })
}

/// Search on the built West Midlands site in Chromium, served at the root and
/// under a sub-path (`tests/browser/search.mjs` lists what it checks: decision
/// numbers, words, amounts, the live region, the kind filter, a keyboard-only
/// run, type-ahead, fetch errors, axe with results shown).
#[test]
fn search_works_in_the_browser_at_the_root_and_under_a_sub_path() {
    const TEST: &str = "search_works_in_the_browser_at_the_root_and_under_a_sub_path";
    let mut missing = missing_prerequisites();
    // search.mjs needs no validator, so no Java.
    missing.retain(|m| !m.contains("java") && !m.contains("vnu-jar"));
    if !missing.is_empty() {
        report_missing(TEST, &missing.join("\n  - "));
        return;
    }
    let out = tempfile::Builder::new()
        .prefix("plansite-search-")
        .tempdir()
        .expect("create temp dir");
    let built = Command::new(env!("CARGO_BIN_EXE_plansite"))
        .arg("build")
        .arg("--root")
        .arg(crate_root())
        .arg("--output")
        .arg(out.path())
        .output()
        .expect("run plansite build");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    // Links and index URLs are relative, so one build serves at any path.
    let run = Command::new("node")
        .arg(browser_dir().join("search.mjs"))
        .arg("--site")
        .arg(out.path())
        .args(["--base-path", "/", "--base-path", "/police-and-crime-plan/"])
        .current_dir(crate_root())
        .output()
        .expect("start node tests/browser/search.mjs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    if run.status.code() == Some(2) {
        report_missing(TEST, String::from_utf8_lossy(&run.stderr).trim());
        return;
    }
    assert!(
        run.status.success(),
        "the browser search checks failed ({}); output above. Rerun by hand: \
         plansite build --output /tmp/site && node tests/browser/search.mjs --site /tmp/site",
        run.status
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("search: ") && l.ends_with(" passed, 0 failed")),
        "no summary line in the output"
    );
}

/// On a phone every number is on screen: at 320 px every table cell's text
/// of the repo's site and the fixture site is inside the viewport and
/// visible, labelled by its column when the headers are hidden, and chart
/// text renders at 12 px or more; at 1280 px no short cell (a funder, an
/// amount's note) breaks over lines (`tests/browser/phone.mjs`).
#[test]
fn every_table_cell_and_chart_label_is_readable_at_320_px() {
    const TEST: &str = "every_table_cell_and_chart_label_is_readable_at_320_px";
    let mut missing = missing_prerequisites();
    // phone.mjs needs no validator, so no Java.
    missing.retain(|m| !m.contains("java") && !m.contains("vnu-jar"));
    if !missing.is_empty() {
        report_missing(TEST, &missing.join("\n  - "));
        return;
    }
    let mut outs = Vec::new();
    let others = branded_copy(&crate_root().join("tests").join("fixtures").join("site"));
    for site_root in [
        crate_root(),
        crate_root().join("tests").join("fixtures").join("site"),
        others.path().to_path_buf(),
    ] {
        let out = tempfile::Builder::new()
            .prefix("plansite-phone-")
            .tempdir()
            .expect("create temp dir");
        let built = Command::new(env!("CARGO_BIN_EXE_plansite"))
            .arg("build")
            .arg("--root")
            .arg(&site_root)
            .arg("--output")
            .arg(out.path())
            .output()
            .expect("run plansite build");
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        outs.push(out);
    }
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join("phone.mjs"));
    for out in &outs {
        cmd.arg("--site").arg(out.path());
    }
    let run = cmd
        .current_dir(crate_root())
        .output()
        .expect("start node tests/browser/phone.mjs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&run.stderr));
    if run.status.code() == Some(2) {
        report_missing(TEST, String::from_utf8_lossy(&run.stderr).trim());
        return;
    }
    assert!(
        run.status.success(),
        "the phone checks failed ({}); output above. Rerun by hand: \
         plansite build --output /tmp/site && node tests/browser/phone.mjs --site /tmp/site",
        run.status
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("phone: ") && l.ends_with(" passed, 0 failed")),
        "no summary line in the output"
    );
}
