//! Decision numbers as other Commissioners write them, and paragraph numbers
//! of any depth. The decisions and the report are under
//! `tests/fixtures/numbers/`, each modelled on a published document (named
//! in its comment); each story copies some into the fixture site, declares
//! the organisation's `decision_numbers` in `site.yaml`, and writes the
//! references a reader of the site would follow on the About page.

mod common;
use common::*;

use std::path::Path;

/// A copy of the fixture site holding the decisions of `orgs` (folders of
/// `tests/fixtures/numbers/`), `scheme` added to its `site.yaml`, and
/// `about` as the About page's body.
fn site_with(orgs: &[&str], scheme: &str, about: &str) -> tempfile::TempDir {
    let site = copy_fixture();
    let numbers = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/numbers");
    for org in orgs {
        for entry in std::fs::read_dir(numbers.join(org)).unwrap() {
            let path = entry.unwrap().path();
            let folder = if *org == "cleveland" {
                "papers"
            } else {
                "decisions"
            };
            let name = path.file_name().unwrap().to_str().unwrap();
            write(
                site.path(),
                &format!("content/{folder}/{name}"),
                &std::fs::read_to_string(&path).unwrap(),
            );
        }
    }
    if !scheme.is_empty() {
        let yaml = site.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        std::fs::write(&yaml, format!("{text}{scheme}")).unwrap();
    }
    edit(
        site.path(),
        "content/pages/about.md",
        "This site publishes the plan and the records around it.",
        about,
    );
    site
}

fn built(site: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = build(site, out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

const ZEROS: &str = "decision_numbers:\n  leading_zeros_significant: false\n";

#[test]
fn surrey_numbers_with_and_without_leading_zeros_are_one_decision() {
    // Surrey writes 005/2022 in 2022 and 28/2023 in 2023 (source 14).
    let refs = "See [[decision 5/2022]] and [[decision 028/2023]].";
    let site = site_with(&["surrey"], ZEROS, refs);
    let out = built(site.path());
    // Each keeps the address of its own form.
    let page = read(out.path(), "decisions/005-2022/index.html");
    assert!(page.contains("Community Safety Fund Applications – February 2022"));
    read(out.path(), "decisions/28-2023/index.html");
    // References in the other form find them.
    let about = read(out.path(), "about/index.html");
    assert!(about.contains("href=\"../decisions/005-2022/\""), "{about}");
    assert!(about.contains("href=\"../decisions/28-2023/\""), "{about}");
    // The form without zeros redirects to the record's own address.
    let redirect = read(out.path(), "decisions/5-2022/index.html");
    assert!(redirect.contains("decisions/005-2022/"), "{redirect}");
    let redirects = read(out.path(), "_redirects");
    assert!(
        redirects.contains("/plan/decisions/5-2022/ /plan/decisions/005-2022/ 301"),
        "{redirects}"
    );
    // Without the scheme, zeros are significant, as before.
    let plain = site_with(&["surrey"], "", refs);
    let o = check(plain.path());
    assert!(
        stderr(&o).contains("there is no decision `5/2022`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn two_records_of_one_number_are_an_error_naming_both_files() {
    let site = site_with(&["surrey"], ZEROS, "About.");
    let text = std::fs::read_to_string(site.path().join("content/decisions/005-2022.md")).unwrap();
    write(
        site.path(),
        "content/decisions/5-2022.md",
        &text.replace("number: \"005/2022\"", "number: \"5/2022\""),
    );
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("written another way"), "{err}");
    assert!(err.contains("leading zeros are not significant"), "{err}");
    // Both files, each at the line of its number.
    assert!(err.contains("decisions/5-2022.md:8:9"), "{err}");
    assert!(err.contains("decisions/005-2022.md:8:9"), "{err}");
}

#[test]
fn cumbria_slash_and_hyphen_numbers_are_found_without_their_zeros() {
    // Cumbria lists 012/2019 among NNN-YYYY numbers (source 07).
    let about = "See [[decision 12-2019]], [[decision 012/2019]] and [[decision 18/2020]].";
    let site = site_with(&["cumbria"], ZEROS, about);
    let out = built(site.path());
    let about = read(out.path(), "about/index.html");
    assert_eq!(about.matches("href=\"../decisions/012-2019/\"").count(), 2);
    assert!(about.contains("href=\"../decisions/018-2020/\""), "{about}");
    read(out.path(), "decisions/12-2019/index.html");
    read(out.path(), "decisions/18-2020/index.html");
}

#[test]
fn greater_manchester_bare_running_numbers_show_their_series() {
    // "ref: 2758": one running series for every GMCA decision (source 01).
    let scheme = "decision_numbers:\n  series: GMCA ref\n";
    let about = "See [[decision 2758]] and [[decision 2092]].";
    let site = site_with(&["greater-manchester"], scheme, about);
    let out = built(site.path());
    let page = read(out.path(), "decisions/2758/index.html");
    assert!(
        page.contains("<dt>Decision number</dt><dd>2758 (GMCA ref)</dd>"),
        "{page}"
    );
    let about = read(out.path(), "about/index.html");
    assert!(about.contains("href=\"../decisions/2758/\""), "{about}");
    assert!(about.contains("href=\"../decisions/2092/\""), "{about}");
    // Already in canonical form: no redirect.
    assert!(!read(out.path(), "_redirects").contains("2758"));
}

#[test]
fn hampshire_prefixed_and_bare_padded_numbers_work() {
    // PCCML-000500-2019, and the same series later written 000797 (source 08).
    let about = "See [[decision PCCML-000500-2019]] and [[decision 797]].";
    let site = site_with(&["hampshire"], ZEROS, about);
    let out = built(site.path());
    read(out.path(), "decisions/pccml-000500-2019/index.html");
    let about = read(out.path(), "about/index.html");
    assert!(
        about.contains("href=\"../decisions/pccml-000500-2019/\""),
        "{about}"
    );
    assert!(about.contains("href=\"../decisions/000797/\""), "{about}");
    assert!(read(out.path(), "decisions/797/index.html").contains("decisions/000797/"));
    assert!(
        read(out.path(), "decisions/pccml-500-2019/index.html")
            .contains("decisions/pccml-000500-2019/")
    );
}

#[test]
fn mopac_numbers_with_and_without_a_space_are_one_decision() {
    // "PCD 1561" in the list, "PCD697", "PCD1109" in prose (source 02).
    let scheme = "decision_numbers:\n  spacing_significant: false\n";
    let about = "See [[decision PCD 1861]] and [[decision PCD-1561]].";
    let site = site_with(&["mopac"], scheme, about);
    let out = built(site.path());
    let page = read(out.path(), "decisions/pcd-1861/index.html");
    assert!(
        page.contains("href=\"../../decisions/pcd-1561/\""),
        "{page}"
    );
    let target = read(out.path(), "decisions/pcd-1561/index.html");
    assert!(
        target.contains("Hendon-Colindale Project"),
        "the decision written PCD1561 lists its backlink"
    );
    // Two records, one written PCD1561, are one decision twice.
    let text = std::fs::read_to_string(site.path().join("content/decisions/pcd-1561.md")).unwrap();
    write(
        site.path(),
        "content/decisions/pcd1561.md",
        &text.replace("number: PCD 1561", "number: PCD1561"),
    );
    let err = stderr(&check(site.path()));
    assert!(
        err.contains("decision `PCD1561` is decision `PCD 1561` written another way")
            || err.contains("decision `PCD 1561` is decision `PCD1561` written another way"),
        "{err}"
    );
    assert!(
        err.contains("spacing after a prefix is not significant"),
        "{err}"
    );
    // Without the scheme the prose form finds nothing, as before.
    let plain = site_with(&["mopac"], "", "About.");
    assert!(stderr(&check(plain.path())).contains("there is no decision `PCD1561`"));
}

const CLEVELAND: &str = "content/papers/cleveland-pcp-decisions-2016-10-2017-01.md";

#[test]
fn cleveland_decimal_paragraphs_get_anchors_links_and_checked_references() {
    // Paragraphs 1.1, 2.1–2.5, 3.1, 4.1 under headings 1.0–4.0 (source 23).
    let about = "See [[paper cleveland-pcp-decisions-2016-10-2017-01#para-2.5|paragraph 2.5]].";
    let site = site_with(&["cleveland"], "", about);
    let out = built(site.path());
    let page = read(
        out.path(),
        "papers/cleveland-pcp-decisions-2016-10-2017-01/index.html",
    );
    assert!(
        page.contains("<p id=\"para-2.5\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#para-2.5\" title=\"Link to paragraph 2.5\">2.5</a> Decisions relating to private/confidential matters"),
        "{page}"
    );
    for id in ["para-1.1", "para-2.1", "para-3.1", "para-4.1"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "no {id}");
    }
    let about = read(out.path(), "about/index.html");
    assert!(
        about.contains("href=\"../papers/cleveland-pcp-decisions-2016-10-2017-01/#para-2.5\""),
        "{about}"
    );
    // A paragraph the report does not have is an error at the reference.
    edit(
        site.path(),
        "content/pages/about.md",
        "#para-2.5",
        "#para-2.6",
    );
    let err = stderr(&check(site.path()));
    assert!(err.contains("has no paragraph 2.6"), "{err}");
    assert!(err.contains("pages/about.md:5:5"), "{err}");
}

#[test]
fn a_repeated_decimal_paragraph_number_is_a_located_warning() {
    let site = site_with(&["cleveland"], "", "About.");
    edit(site.path(), CLEVELAND, "2.4 Once", "2.3 Once");
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(
        o.status.success(),
        "a warning does not fail the build: {}",
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(err.contains("paragraph 2.3 is numbered twice"), "{err}");
    assert!(
        err.contains("cleveland-pcp-decisions-2016-10-2017-01.md:25:1"),
        "{err}"
    );
    let page = read(
        out.path(),
        "papers/cleveland-pcp-decisions-2016-10-2017-01/index.html",
    );
    assert_eq!(page.matches("id=\"para-2.3\"").count(), 1);
}
