//! Safe by default: no script from content. Raw HTML in Markdown is
//! refused at its place unless `site.yaml` allows it, and then sanitised;
//! links keep to web, mail and phone addresses in bodies and in `site.yaml`;
//! the theme sends a Content-Security-Policy its own scripts live within;
//! and any page, however repetitive or long, builds in bounded time.

mod common;

use common::*;
use std::path::Path;

/// The fixture's about page with `body` after its first line; the body's
/// first added line is line 7 of the file (front matter is lines 1–4).
fn about_with(root: &Path, body: &str) {
    let path = root.join("content/pages/about.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().count(),
        5,
        "the fixture's about.md changed; fix the line numbers below"
    );
    text.push('\n');
    text.push_str(body);
    std::fs::write(path, text).unwrap();
}

fn allow_raw_html(root: &Path) {
    let path = root.join("content/site.yaml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("markdown:\n  raw_html: allow\n");
    std::fs::write(path, text).unwrap();
}

/// Every HTML page of a built site, by path.
fn pages(out: &Path) -> Vec<(String, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, b)| {
            (
                p.display().to_string(),
                String::from_utf8_lossy(&b).to_string(),
            )
        })
        .collect()
}

#[test]
fn raw_html_in_a_body_is_refused_at_its_place_naming_the_setting_that_allows_it() {
    let err = broken_build(|root| {
        about_with(
            root,
            "Some <b onclick=\"alert(1)\">bold</b> text.\n\n<script>alert(1)</script>\n",
        );
    });
    // Line 7 is the first added line; `<b` is its sixth character. The
    // script block is line 9, column 1.
    assert!(err.contains("content/pages/about.md:7:6"), "{err}");
    assert!(err.contains("content/pages/about.md:9:1"), "{err}");
    assert!(err.contains("raw HTML is not allowed in Markdown"), "{err}");
    assert!(err.contains("markdown: { raw_html: allow }"), "{err}");

    // `check` says the same, and exits 1.
    let site = copy_fixture();
    about_with(site.path(), "<div>a block</div>\n");
    let o = check(site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("content/pages/about.md:7:1"));
}

#[test]
fn raw_html_in_a_yaml_markdown_field_is_refused_too() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "Replace it with your own plan.",
            "Replace it <img src=x onerror=alert(1)> with your own plan.",
        );
    });
    // `home_intro: |` is line 18; its text starts on line 19 at column 3.
    assert!(err.contains("content/site.yaml:19:"), "{err}");
    assert!(err.contains("raw HTML is not allowed"), "{err}");
}

#[test]
fn html_comments_are_authors_notes_and_are_not_published() {
    let site = copy_fixture();
    about_with(
        site.path(),
        "<!-- a note for editors: check the dates -->\n\nText <!-- inline note --> here.\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "about/index.html");
    assert!(!page.contains("note"), "{page}");
    assert!(page.contains("Text  here."), "{page}");
}

#[test]
fn allowed_raw_html_is_sanitised_keeping_what_public_pages_need() {
    let site = copy_fixture();
    allow_raw_html(site.path());
    about_with(
        site.path(),
        concat!(
            "<table>\n<caption>Spend by area</caption>\n",
            "<thead><tr><th scope=\"col\">Area</th><th scope=\"col\" colspan=\"2\">Spend</th></tr></thead>\n",
            "<tbody><tr><th scope=\"row\" rowspan=\"2\">North</th><td style=\"color:red\">1</td><td onclick=\"alert(1)\">2</td></tr></tbody>\n",
            "</table>\n\n",
            "The <abbr title=\"Police and Crime Commissioner\">PCC</abbr> decides.\n\n",
            "<details>\n<summary>More about the panel</summary>\n\nThe panel scrutinises the PCC.\n\n</details>\n\n",
            "<figure>\n<img src=\"chart.png\" alt=\"A chart\" onerror=\"alert(1)\">\n<figcaption>Spend over time</figcaption>\n</figure>\n\n",
            "<script>alert('script')</script>\n\n",
            "<iframe src=\"https://example.org/\"></iframe>\n\n",
            "<p><a href=\"javascript:alert(1)\">click</a> and <a href=\"https://example.org/\">a site</a></p>\n\n",
            "See [[decision 001/2025|the first decision]].\n",
        ),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "about/index.html");
    let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
    for kept in [
        "<caption>Spend by area</caption>",
        "<th scope=\"col\" colspan=\"2\">Spend</th>",
        "<th scope=\"row\" rowspan=\"2\">North</th>",
        "<abbr title=\"Police and Crime Commissioner\">PCC</abbr>",
        "<summary>More about the panel</summary>",
        "<figcaption>Spend over time</figcaption>",
        "alt=\"A chart\"",
        "<a href=\"https://example.org/\">a site</a>",
        // plansite's own references still become links.
        ">the first decision</a>",
    ] {
        assert!(main.contains(kept), "{kept} is kept: {main}");
    }
    for gone in [
        "<script",
        "alert(",
        "onclick",
        "onerror",
        "style=",
        "<iframe",
        "javascript:",
    ] {
        assert!(!main.contains(gone), "{gone} is removed: {main}");
    }
}

#[test]
fn link_schemes_other_than_web_mail_and_phone_are_errors_however_they_are_written() {
    let bad = [
        "[a](javascript:alert(1))",
        "[b](JaVaScRiPt:alert(1))",
        "[c](&#106;avascript:alert(1))",
        "[d](java&#x09;script:alert(1))",
        "[e](&#x20;javascript:alert(1))",
        "[f](<javascript:alert(1)>)",
        "<javascript:alert(1)>",
        "[g](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![h](vbscript:msgbox)",
        "[i](file:///etc/passwd)",
        "[j][ref]",
    ];
    let err = broken_build(|root| {
        let mut body = String::new();
        for b in bad {
            body.push_str(b);
            body.push_str("\n\n");
        }
        body.push_str("[ref]: jAvAsCrIpT:alert(1)\n");
        about_with(root, &body);
    });
    // Each bad link is on its own paragraph: lines 7, 9, 11 …
    for (i, b) in bad.iter().enumerate() {
        let at = format!("content/pages/about.md:{}:1", 7 + 2 * i);
        assert!(err.contains(&at), "{b} is an error at {at}: {err}");
    }
    assert!(err.contains("the link scheme `javascript:` is not allowed"));
    assert!(err.contains("the link scheme `data:` is not allowed"));
    assert!(err.contains("the link scheme `vbscript:` is not allowed"));
    assert!(err.contains("the link scheme `file:` is not allowed"));
    assert!(err.contains("help: links and images may use http:, https:, mailto: and tel:"));
}

#[test]
fn web_mail_phone_relative_and_fragment_links_and_references_pass() {
    let site = copy_fixture();
    about_with(
        site.path(),
        concat!(
            "[a](https://example.org/) [b](http://example.org/) [c](mailto:info@example-pcc.gov.uk) ",
            "[d](tel:+441234567890) [e](../foi/) [f](#top) [g](docs/a:b) <https://example.org/x> ",
            "<info@example-pcc.gov.uk> and [[decision 001/2025|the decision]].\n",
        ),
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "about/index.html");
    assert!(page.contains("href=\"tel:+441234567890\""));
    assert!(page.contains(">the decision</a>"));
}

#[test]
fn site_yaml_links_with_unsafe_schemes_are_errors_at_their_lines() {
    let lines = std::fs::read_to_string(fixture().join("content/site.yaml"))
        .unwrap()
        .lines()
        .count();
    let err = broken_build(|root| {
        edit(
            root,
            "content/site.yaml",
            "  url: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "  url: vbscript:msgbox",
        );
        let path = root.join("content/site.yaml");
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("header_links:\n  - text: Home\n    url: \" JavaScript:alert(1)\"\n");
        text.push_str("footer_links:\n  - text: Data\n    url: data:text/html,x\n");
        std::fs::write(path, text).unwrap();
    });
    assert!(err.contains("content/site.yaml:12:8"), "licence url: {err}");
    assert!(
        err.contains(&format!("content/site.yaml:{}:10", lines + 3)),
        "header link: {err}"
    );
    assert!(
        err.contains(&format!("content/site.yaml:{}:10", lines + 6)),
        "footer link: {err}"
    );
    assert!(err.contains("the link scheme `javascript:` is not allowed"));
    assert!(err.contains("the link scheme `data:` is not allowed"));
}

#[test]
fn the_theme_sends_a_strict_content_security_policy_and_needs_no_inline_code() {
    let out = tempfile::tempdir().unwrap();
    let o = build(&fixture(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let all = pages(out.path());
    assert!(all.len() > 20);
    for (path, html) in &all {
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self';"),
            "{path} carries the policy"
        );
        assert!(!html.contains("unsafe-inline"), "{path}");
        assert!(!html.contains("<style"), "{path} has an inline style sheet");
        assert!(!html.contains(" style=\""), "{path} has a style attribute");
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(tag.contains(" src="), "{path}: inline script {tag}");
        }
        assert!(!html.contains(" onclick="), "{path}");
    }
    let headers = read(out.path(), "_headers");
    assert!(headers.contains("\n/*\n"), "{headers}");
    assert!(headers.contains(
        "  Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self';"
    ));
    assert!(headers.contains("frame-ancestors 'self'"));
    assert!(headers.contains("  X-Content-Type-Options: nosniff\n"));
    assert!(headers.contains("  Referrer-Policy: strict-origin-when-cross-origin\n"));
}

#[test]
fn aligned_table_columns_use_classes_not_style_attributes() {
    let site = copy_fixture();
    about_with(
        site.path(),
        "| Area | Spend |\n|:---|---:|\n| North | 1 |\n",
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "about/index.html");
    assert!(
        page.contains("<th scope=\"col\" class=\"align-right\">Spend</th>"),
        "{page}"
    );
    assert!(
        page.contains("<td class=\"align-left\">North</td>"),
        "{page}"
    );
    assert!(!page.contains("style="));
}

#[test]
fn twenty_thousand_identical_headings_and_a_hundred_thousand_line_table_build() {
    let site = copy_fixture();
    // An explicit id that a generated one would otherwise take.
    let mut headings = String::from(
        "---\nid: repeats\ntitle: Repeats\n---\n## Taken {#how-we-will-measure-success-500}\n\n",
    );
    for _ in 0..20_000 {
        headings.push_str("## How we will measure success\n\nText.\n\n");
    }
    write(site.path(), "content/pages/repeats.md", &headings);
    let mut table =
        String::from("---\nid: long-table\ntitle: A long table\n---\n| Row | Value |\n|---|--:|\n");
    for i in 0..100_000 {
        table.push_str(&format!("| row {i} | {} |\n", i * 7));
    }
    write(site.path(), "content/pages/long-table.md", &table);

    let out = tempfile::tempdir().unwrap();
    let o = build(site.path(), out.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(out.path(), "repeats/index.html");
    assert!(page.contains("id=\"how-we-will-measure-success\""));
    assert!(page.contains("id=\"how-we-will-measure-success-20001\""));
    assert_eq!(
        page.matches("id=\"how-we-will-measure-success-500\"")
            .count(),
        1
    );
    assert_eq!(
        page.matches("id=\"how-we-will-measure-success").count(),
        20_001
    );
    let table = read(out.path(), "long-table/index.html");
    assert!(table.contains("<td>row 99999</td>"));
}

#[test]
fn a_background_papers_link_with_an_unsafe_scheme_is_an_error_at_its_line() {
    let err = broken_build(|root| {
        edit(
            root,
            "content/decisions/wpcc3-0089.md",
            "    decision: \"099/2019\"\n",
            "    decision: \"099/2019\"\n    url: \"javascript:alert(document.cookie)\"\n",
        );
    });
    assert!(
        err.contains("content/decisions/wpcc3-0089.md:16:10"),
        "{err}"
    );
    assert!(
        err.contains("the link scheme `javascript:` is not allowed"),
        "{err}"
    );
}
