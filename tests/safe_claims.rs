//! Safe by default, part one: every output path is claimed once (records,
//! aliases, built-in pages, data files, assets), aliases stay inside the
//! site, files in `_` and `.` folders stay private, symlinks are named, and
//! a confidential decision publishes its stub and nothing else.

mod common;

use common::*;
use std::path::Path;

/// A failed build and a failed check of a damaged fixture copy: both exit 1
/// and say the same. Returns the build's stderr.
fn refused(damage: impl FnOnce(&Path)) -> String {
    let site = copy_fixture();
    damage(site.path());
    let c = check(site.path());
    assert_eq!(
        c.status.code(),
        Some(1),
        "check must fail too: {}",
        stderr(&c)
    );
    let out = tempfile::tempdir().unwrap();
    let first = build(&fixture(), out.path());
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(out.path());
    let o = build(site.path(), out.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        before == tree(out.path()),
        "a refused build changed the output"
    );
    let err = stderr(&o);
    assert!(
        err.starts_with(&stderr(&c)),
        "build and check report the same"
    );
    err
}

#[test]
fn an_alias_onto_the_home_page_is_an_error_naming_the_alias_line() {
    let err = refused(|root| {
        edit(
            root,
            "content/pages/about.md",
            "title: About this site\n",
            "title: About this site\naliases: [\"/index.html\"]\n",
        );
    });
    assert!(err.contains("content/pages/about.md:4:11"), "{err}");
    assert!(err.contains("`index.html`"), "{err}");
    assert!(err.contains("the home page"), "{err}");
}

#[test]
fn an_alias_onto_a_decision_names_both_files() {
    let err = refused(|root| {
        edit(
            root,
            "content/pages/foi.md",
            "[\"/freedom-of-information/\"]",
            "[\"/freedom-of-information/\", \"/decisions/001-2025/\"]",
        );
    });
    assert!(err.contains("content/pages/foi.md:4:39"), "{err}");
    assert!(err.contains("content/decisions/001-2025.md:2:9"), "{err}");
    assert!(err.contains("`decisions/001-2025/index.html`"), "{err}");
}

#[test]
fn two_records_with_one_alias_name_both_alias_lines() {
    let err = refused(|root| {
        edit(
            root,
            "content/pages/about.md",
            "title: About this site\n",
            "title: About this site\naliases: [\"/freedom-of-information\"]\n",
        );
    });
    assert!(err.contains("content/pages/about.md:4:11"), "{err}");
    assert!(err.contains("content/pages/foi.md:4:11"), "{err}");
}

#[test]
fn a_page_id_that_is_a_built_in_address_is_an_error() {
    for (id, what) in [
        ("decisions", "the list of decisions"),
        ("search", "the search page"),
        ("data", "the Open data page"),
        ("accessibility", "the accessibility statement"),
        ("browse", "the browsing pages"),
        ("404.html", "the page-not-found page"),
        ("records.json", "records.json"),
    ] {
        let err = refused(|root| {
            write(
                root,
                "content/pages/clash.md",
                &format!("---\nid: {id}\ntitle: A clash\n---\nText.\n"),
            );
        });
        assert!(err.contains("content/pages/clash.md:2:5"), "{id}: {err}");
        assert!(err.contains(what), "{id}: {err}");
        assert!(!err.contains("os error"), "{id}: {err}");
    }
}

#[test]
fn an_alias_onto_a_data_file_or_the_search_index_is_an_error() {
    for (alias, what) in [
        ("/records.json", "records.json"),
        ("/sitemap.xml", "sitemap.xml"),
        ("/_redirects", "_redirects"),
        ("/search/manifest.json", "the search page"),
        ("/404.html", "the page-not-found page"),
        ("/browse/decision/2025/", "the browsing pages"),
    ] {
        let err = refused(|root| {
            edit(
                root,
                "content/pages/about.md",
                "title: About this site\n",
                &format!("title: About this site\naliases: [\"{alias}\"]\n"),
            );
        });
        assert!(
            err.contains("content/pages/about.md:4:11"),
            "{alias}: {err}"
        );
        assert!(err.contains(what), "{alias}: {err}");
        assert!(!err.contains("os error"), "{alias}: {err}");
    }
}

#[test]
fn an_alias_must_stay_inside_the_site_and_is_checked_where_it_is_written() {
    for alias in [
        "/../outside/",
        "/decisions/../../outside/",
        "../outside.html",
        "/",
        "https://example.com/old/",
        "//example.com/old/",
        "C:/Windows/old.html",
        "/old\\\\page/",
        "/a//b/",
        "/old/./page/",
        "/old?page=2",
        "/old#part",
        "/old page/",
    ] {
        let site = copy_fixture();
        edit(
            site.path(),
            "content/pages/about.md",
            "title: About this site\n",
            &format!("title: About this site\naliases:\n  - \"{alias}\"\n"),
        );
        let c = check(site.path());
        assert_eq!(c.status.code(), Some(1), "{alias}: {}", stderr(&c));
        let err = stderr(&c);
        assert!(err.contains("content/pages/about.md:5:5"), "{alias}: {err}");
        assert!(err.contains("alias"), "{alias}: {err}");
        assert!(err.contains("help:"), "{alias}: {err}");
        let out = site.path().join("public");
        let o = build(site.path(), &out);
        assert_eq!(o.status.code(), Some(1), "{alias}: {}", stderr(&o));
        assert!(!out.exists(), "{alias}: nothing is written");
        assert!(
            !site.path().join("outside").exists() && !site.path().join("outside.html").exists(),
            "{alias}: nothing is written outside"
        );
    }
}

#[test]
fn aliases_inside_the_site_still_redirect() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About this site\n",
        "title: About this site\naliases: [\"/old/about.html\", \"old/about-us\"]\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(out.path(), "old/about.html").contains("about/"));
    assert!(read(out.path(), "old/about-us/index.html").contains("about/"));
}

#[test]
fn files_in_underscore_and_dot_folders_are_never_published() {
    let site = copy_fixture();
    for file in [
        "content/_private/secret.pdf",
        "content/decisions/_drafts/plan.pdf",
        "content/.hidden/photo.png",
        "content/pages/.cache/logo.svg",
        "content/_private/notes.md",
        "themes/default/static/_source/secret.js",
        "themes/default/static/.git/config.css",
    ] {
        write(site.path(), file, "PRIVATECANARY");
    }
    write(site.path(), "content/public.pdf", "public");
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(out.path());
    assert!(files.contains_key(Path::new("public.pdf")));
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("PRIVATECANARY"),
            "{} holds a private file",
            path.display()
        );
        let shown = path.to_string_lossy();
        assert!(
            !shown.contains("_private") && !shown.contains(".hidden") && !shown.contains("_source"),
            "{shown} was published"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_under_content_is_a_warning_naming_the_link() {
    let site = copy_fixture();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.pdf"), "LINKEDCANARY").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.pdf"),
        site.path().join("content/linked.pdf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("content/papers/linked")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning"), "{err}");
    assert!(err.contains("content/linked.pdf"), "{err}");
    assert!(err.contains("content/papers/linked"), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    for (path, bytes) in tree(out.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("LINKEDCANARY"),
            "{} holds the linked file",
            path.display()
        );
    }
    let c = check(site.path());
    assert!(c.status.success(), "{}", stderr(&c));
    assert!(stderr(&c).contains("content/linked.pdf"));
}

/// A confidential decision with a canary in every field that is not part
/// of the stub, and one in each stub field.
const CONFIDENTIAL: &str = r#"---
number: "009/2025"
title: STUBTITLE custody review
status: confidential
confidential_reason: STUBREASON commercially sensitive.
date_signed: 2025-05-06
date_published: 2025-05-07
decision_maker: CANARYMAKER Commissioner
signed_by: CANARYSIGNED Person
contact_officer:
  name: CANARYOFFICERNAME Officer
  role: CANARYOFFICERROLE
  telephone: "0121 000 CANARYPHONE"
  email: canaryemail@example.org
category: CANARYCATEGORY
notice_published: false
executive_summary: |
  CANARYSUMMARY the summary.
decision: |
  CANARYDECISION the decision.
declaration: |
  CANARYDECLARATION no interests.
implications:
  financial: CANARYFINANCIAL money.
  legal: CANARYLEGAL law.
  equality: CANARYEQUALITY people.
background_papers:
  - title: CANARYPAPER report
    url: https://example.org/canarypaperurl
plan: 2025-2029
commitments: [reduce-burglary]
related: ["page about"]
---
1. CANARYBODY the facts.
"#;

/// The short form of the contact officer, on a second confidential decision.
const CONFIDENTIAL_SHORT: &str = r#"---
number: "010/2025"
title: Second STUBTITLE
status: confidential
confidential_reason: STUBREASON again.
date_signed: 2025-05-08
officer: CANARYSHORTOFFICER Name
officer_role: CANARYSHORTROLE
---
"#;

#[test]
fn a_confidential_decision_publishes_its_stub_and_nothing_else_anywhere() {
    let site = copy_fixture();
    write(site.path(), "content/decisions/009-2025.md", CONFIDENTIAL);
    write(
        site.path(),
        "content/decisions/010-2025.md",
        CONFIDENTIAL_SHORT,
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(out.path());
    let canaries = [
        "CANARYMAKER",
        "CANARYSIGNED",
        "CANARYOFFICERNAME",
        "CANARYOFFICERROLE",
        "CANARYPHONE",
        "canaryemail",
        "CANARYCATEGORY",
        "CANARYSUMMARY",
        "CANARYDECISION",
        "CANARYDECLARATION",
        "CANARYFINANCIAL",
        "CANARYLEGAL",
        "CANARYEQUALITY",
        "CANARYPAPER",
        "canarypaperurl",
        "CANARYBODY",
        "CANARYSHORTOFFICER",
        "CANARYSHORTROLE",
    ];
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for canary in canaries {
            assert!(
                !text.contains(&canary.to_lowercase()),
                "{canary} appears in {}",
                path.display()
            );
        }
    }
    // The relations it names are not part of the stub either.
    for page in ["commitments/reduce-burglary/index.html", "about/index.html"] {
        assert!(
            !read(out.path(), page).contains("STUBTITLE"),
            "{page} lists the confidential decision"
        );
    }
    // The stub itself is published everywhere a decision is.
    let page = read(out.path(), "decisions/009-2025/index.html");
    for stub in [
        "009/2025",
        "STUBTITLE",
        "STUBREASON",
        "6 May 2025",
        "7 May 2025",
        "Confidential",
    ] {
        assert!(page.contains(stub), "the page shows {stub}");
    }
    for file in [
        "records.json",
        "records.csv",
        "decisions.xml",
        "records.xml",
    ] {
        let text = read(out.path(), file);
        for stub in ["009/2025", "STUBTITLE", "STUBREASON", "2025-05-06"] {
            assert!(text.contains(stub), "{file} has {stub}");
        }
    }
    assert!(read(out.path(), "sitemap.xml").contains("decisions/009-2025/"));
    assert!(read(out.path(), "decisions/index.html").contains("STUBTITLE"));
    let search: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("search"))
        .map(|(_, b)| String::from_utf8_lossy(b).to_string())
        .collect();
    assert!(
        search.contains("STUBTITLE"),
        "the search index has the title"
    );
    assert!(search.contains("009/2025"), "and the number");
}

#[test]
fn an_alias_onto_a_published_file_is_an_error_naming_both() {
    let err = refused(|root| {
        write(root, "content/report.pdf", "%PDF");
        edit(
            root,
            "content/pages/about.md",
            "title: About this site\n",
            "title: About this site\naliases: [\"/report.pdf\"]\n",
        );
    });
    assert!(err.contains("content/pages/about.md:4:11"), "{err}");
    assert!(err.contains("content/report.pdf"), "{err}");
    assert!(!err.contains("os error"), "{err}");
}

#[test]
fn one_record_may_give_an_old_address_with_and_without_its_slash() {
    let site = copy_fixture();
    edit(
        site.path(),
        "content/pages/about.md",
        "title: About this site\n",
        "title: About this site\naliases: [\"/about-us\", \"/about-us/\"]\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(out.path(), "about-us/index.html").contains("about/"));
    let redirects = read(out.path(), "_redirects");
    assert!(redirects.contains("/about-us /"), "{redirects}");
    assert!(redirects.contains("/about-us/ /"), "{redirects}");
}

#[test]
fn serve_refuses_an_alias_onto_a_published_file_added_later() {
    use plansite::serve::incremental::{Engine, Outcome};
    let site = copy_fixture();
    let root = site.path();
    write(root, "content/report.pdf", "%PDF");
    let options = plansite::pipeline::Options {
        root: root.to_path_buf(),
        include_drafts: false,
        base_url: None,
        live_reload: true,
    };
    let store = std::sync::Arc::new(plansite::serve::store::Store::default());
    let mut engine = Engine::new(options, store);
    assert!(matches!(engine.build(|_| {}), Outcome::Built { .. }));
    // Only a page changes: the assets are not read again, but checked.
    edit(
        root,
        "content/pages/about.md",
        "title: About this site\n",
        "title: About this site\naliases: [\"/report.pdf\"]\n",
    );
    let about = root.join("content/pages/about.md");
    match engine.rebuild(&[about], |_| {}) {
        Outcome::Failed(d) => {
            let text: String = d.iter().map(|d| d.render()).collect();
            assert!(text.contains("content/pages/about.md:4:11"), "{text}");
            assert!(text.contains("content/report.pdf"), "{text}");
        }
        _ => panic!("serve published an alias onto content/report.pdf"),
    }
}
