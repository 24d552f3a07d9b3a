//! Decision notices of other Commissioners' templates (issue 16): the
//! protective marking, the outcome, a decision maker who is an officer, the
//! recommendation and its approval under the notice's own heading, a note
//! on the signature, and officers' sign-offs (signed, dated, or stated not
//! applicable). The notices in `tests/fixtures/decision-parts/` are
//! modelled on real ones; each names its source.

mod common;

use common::*;
use std::path::Path;

const PARTS: &str = "tests/fixtures/decision-parts";

/// The fixture site with the modelled notices added, built.
fn built() -> (tempfile::TempDir, tempfile::TempDir) {
    let site = copy_fixture();
    add_notices(site.path());
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    (site, out)
}

fn add_notices(root: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(PARTS);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let to = root.join("content/decisions").join(entry.file_name());
        std::fs::copy(entry.path(), to).unwrap();
    }
}

#[test]
fn a_surrey_record_shows_its_marking_recommendation_and_approval_in_its_words() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/005-2022/index.html");
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    assert!(
        facts.contains("<dt>Protective marking</dt><dd>Official</dd>"),
        "{facts}"
    );
    let recommendation = page.find("<h2>Recommendation</h2>").expect("heading");
    let approval = page
        .find("<h2>Police and Crime Commissioner Approval</h2>")
        .expect("the notice's own heading");
    assert!(recommendation < approval, "{page}");
    assert!(page[recommendation..approval].contains("£47,452.35 to Active Surrey"));
    assert!(page[approval..].contains("I approve the recommendation(s):"));
    assert!(
        page.contains("Signed: PCC Lisa Townsend (wet copy held in OPCC)</p>"),
        "the note beside the name, no date made up: {page}"
    );
    assert!(!page.contains("<h2>Approval</h2>"), "{page}");
    // Surrey's record has no declaration: the signature belongs to the
    // approval, under no heading the notice does not have.
    assert!(!page.contains("<h2>Declaration</h2>"), "{page}");
    assert!(
        page[approval..].contains("Signed: PCC Lisa Townsend"),
        "{page}"
    );
    // Parts a notice does not have are not shown.
    assert!(!facts.contains("Outcome"), "{facts}");
    assert!(!page.contains("Sign-offs"), "{page}");
}

#[test]
fn sign_offs_show_a_date_and_what_was_said_or_that_they_do_not_apply() {
    let (_site, out) = built();
    let warwickshire = read(out.path(), "decisions/wpcc3-0129/index.html");
    let offs = between(&warwickshire, "<h2>Sign-offs</h2>", "</dl>");
    assert!(
        offs.contains("<dt>Chief Officer approval</dt><dd>Not applicable</dd>"),
        "{offs}"
    );
    let northants = read(out.path(), "decisions/74/index.html");
    let offs = between(&northants, "<h2>Sign-offs</h2>", "</dl>");
    assert!(
        offs.contains(
            "<dt>Chief Finance Officer</dt><dd><time datetime=\"2018-07-09\">9 July 2018</time><br>advised the PCC"
        ),
        "{offs}"
    );
}

#[test]
fn an_officer_decision_shows_its_outcome_and_the_role_that_decided() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/2092/index.html");
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    assert!(
        facts.contains("<dt>Outcome</dt><dd>Recommendations Approved</dd>"),
        "{facts}"
    );
    assert!(
        facts.contains(
            "<dt>Decision maker</dt><dd>Director for Police, Crime, Criminal Justice and Fire</dd>"
        ),
        "{facts}"
    );
}

#[test]
fn each_named_date_is_shown_with_its_own_label_and_none_is_called_signed() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/2092/index.html");
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    let decided = facts
        .find("<dt>Decided</dt><dd><time datetime=\"2023-06-08\">8 June 2023</time></dd>")
        .expect(facts);
    let published = facts
        .find("<dt>Date published</dt><dd><time datetime=\"2023-07-07\">7 July 2023</time></dd>")
        .expect(facts);
    let effective = facts
        .find("<dt>Effective from</dt><dd><time datetime=\"2023-06-08\">8 June 2023</time></dd>")
        .expect(facts);
    assert!(decided < published && published < effective, "{facts}");
    // Nothing in the register says the decision was signed, or when.
    assert!(!facts.contains("<dt>Signed</dt>"), "{facts}");
    // It is listed and fed by the day it was decided, not the day published.
    let list = read(out.path(), "decisions/index.html");
    let row = between(&list, "decisions/2092/", "</tr>");
    assert!(row.contains("8 June 2023"), "{row}");
    let feed = read(out.path(), "decisions.xml");
    let entry = between(&feed, "decisions/2092/</id>", "</entry>");
    assert!(
        entry.contains("<published>2023-06-08T00:00:00Z</published>"),
        "{entry}"
    );
    // A notice that gives only a signature date keeps "Signed".
    let signed = read(out.path(), "decisions/001-2025/index.html");
    assert!(signed.contains("<dt>Signed</dt><dd><time"), "{signed}");
}

#[test]
fn the_recommendation_is_searchable() {
    let (_site, out) = built();
    assert!(
        search_urls(out.path(), "Elmbridge")
            .iter()
            .any(|u| u.contains("decisions/005-2022/")),
        "the recommendation's words are indexed"
    );
}

#[test]
fn a_sign_off_name_is_searchable_like_the_signers() {
    let site = copy_fixture();
    add_notices(site.path());
    // A made-up name, for the test only.
    edit(
        site.path(),
        "content/decisions/74.md",
        "  - role: Chief Finance Officer\n",
        "  - role: Chief Finance Officer\n    name: Quillfeather Testperson\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        search_urls(out.path(), "Quillfeather")
            .iter()
            .any(|u| u.contains("decisions/74/")),
        "sign-off names are indexed"
    );
}

#[test]
fn a_sign_off_that_does_not_apply_cannot_name_a_person_or_one_that_says_nothing() {
    let site = copy_fixture();
    add_notices(site.path());
    edit(
        site.path(),
        "content/decisions/wpcc3-0129.md",
        "    not_applicable: true\n",
        "    not_applicable: true\n    name: A. Officer\n  - role: Monitoring Officer\n",
    );
    let o = check(site.path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("the sign-off `Chief Officer approval` is marked not applicable but names a person or a date"),
        "{err}"
    );
    assert!(
        err.contains("the sign-off `Monitoring Officer` says nothing of who signed, when or what"),
        "{err}"
    );
    assert!(err.contains("wpcc3-0129.md:"), "at its line: {err}");
}

#[test]
fn a_notice_uses_its_own_labels_and_headings() {
    let (_site, out) = built();
    let page = read(out.path(), "decisions/wpcc3-0129/index.html");
    let facts = between(&page, "<dl class=\"record-facts\">", "</dl>");
    assert!(
        facts.contains("<dt>Decision Reference Number</dt><dd>WPCC3-0129</dd>"),
        "{facts}"
    );
    assert!(
        facts.contains("<dt>Lead Officer</dt><dd>Emma Dixon</dd>"),
        "{facts}"
    );
    assert!(!facts.contains("Contact officer"), "{facts}");
    // The header's "Date:" and the signature's date, each as it is.
    assert!(
        facts.contains("<dt>Date</dt><dd><time datetime=\"2024-03-12\">12 March 2024</time></dd>"),
        "{facts}"
    );
    assert!(
        facts
            .contains("<dt>Signed</dt><dd><time datetime=\"2024-03-13\">13 March 2024</time></dd>"),
        "{facts}"
    );
    assert!(page.contains("<h2>Decision summary</h2>"), "{page}");
    assert!(!page.contains("Executive summary"), "{page}");
    // The declaration stands under no heading, as in the notice.
    assert!(!page.contains("<h2>Declaration</h2>"), "{page}");
    assert!(page.contains("I confirm that my register of interests’ declaration is up to date"));
    let body = page
        .find("<h2>Supporting information</h2>")
        .expect("the notice's heading");
    assert!(
        page[body..].starts_with("<h2>Supporting information</h2><div class=\"prose numbered\"><h3 id=\"1-background-information\">1. Background information</h3>"),
        "the body's own heading under it: {page}"
    );
    assert!(!page.contains("Facts and advice"), "{page}");
    // Other notices keep the defaults.
    let other = read(out.path(), "decisions/001-2025/index.html");
    assert!(other.contains("<dt>Decision number</dt>"), "{other}");
}

#[test]
fn site_yaml_sets_labels_for_every_notice_and_a_notice_overrides_them() {
    let site = copy_fixture();
    add_notices(site.path());
    // Not from any source: a site whose notices all say "Lead officer".
    let yaml = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        format!("{text}labels:\n  decision:\n    contact_officer: Lead officer\n    body: Supporting information\n"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let surrey = read(out.path(), "decisions/005-2022/index.html");
    assert!(surrey.contains("<dt>Lead officer</dt>"), "{surrey}");
    // Warwickshire's own "Lead Officer" wins over the site's.
    let warwickshire = read(out.path(), "decisions/wpcc3-0129/index.html");
    assert!(
        warwickshire.contains("<dt>Lead Officer</dt>"),
        "{warwickshire}"
    );
    // A label the site does not know is an error naming the ones it does.
    std::fs::write(
        &yaml,
        format!("{text}labels:\n  decision:\n    contact_oficer: Lead officer\n"),
    )
    .unwrap();
    let o = build(site.path(), tempfile::tempdir().unwrap().path());
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("contact_oficer"), "{err}");
    assert!(err.contains("contact_officer"), "the known labels: {err}");
}

#[test]
fn the_modelled_notices_pass_check_strict_on_a_starter_site() {
    let dir = starter_with(&[PARTS], "decisions");
    let o = check_strict(&dir.path().join("site"));
    assert!(o.status.success(), "{}", stderr(&o));
}
