//! What content may put into a page. Links keep to a few URL schemes, raw
//! HTML in Markdown is refused unless `site.yaml` allows it (and is then
//! sanitised), and the default theme sends a Content-Security-Policy that
//! lets only the site's own scripts and styles run.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The URL schemes a link or image may use; anything else (`javascript:`,
/// `data:`, `vbscript:`, `file:` …) is an error. Relative links and
/// `#fragments` have no scheme and are always allowed.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// The `site.yaml` setting that lets Markdown bodies hold raw HTML.
pub const RAW_HTML_SETTING: &str = "markdown.raw_html";

/// The help shown with a refused piece of raw HTML.
pub const RAW_HTML_HELP: &str = "raw HTML is refused by default: write it in Markdown (tables, lists, links and headings all have Markdown forms), or allow it for the whole site with `markdown: { raw_html: allow }` in content/site.yaml, which keeps safe tags such as tables, abbr and details and removes scripts, styles, frames and event handlers";

/// The policy of the default theme, for the `<meta>` tag: scripts, styles,
/// fonts and data only from the site itself; images also from https.
/// `frame-ancestors` is left out because browsers ignore it in a `<meta>`.
pub const CSP_META: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// The same policy as an HTTP header, with the parts only a header can
/// carry.
pub fn csp_header() -> String {
    format!("{CSP_META}; frame-ancestors 'self'")
}

/// The `_headers` file (Netlify and Cloudflare Pages format): the policy
/// and the usual hardening headers for every path (`/*` also covers a site
/// published under a sub-path).
pub fn headers_file() -> String {
    format!(
        "# Written by plansite: HTTP headers for hosts that read a _headers file\n\
         # (Netlify, Cloudflare Pages). Other hosts: send the same headers from\n\
         # the web server's configuration.\n\
         /*\n  \
         Content-Security-Policy: {}\n  \
         X-Content-Type-Options: nosniff\n  \
         Referrer-Policy: strict-origin-when-cross-origin\n  \
         X-Frame-Options: SAMEORIGIN\n  \
         Permissions-Policy: camera=(), microphone=(), geolocation=()\n",
        csp_header()
    )
}

/// Why `url` may not be published, or `None` when it may: its scheme must
/// be one of [`ALLOWED_SCHEMES`] or absent. The URL is read the way a
/// browser reads it (leading and trailing spaces and control characters
/// dropped, tabs and line breaks removed anywhere, scheme case-insensitive);
/// character references are already decoded by the Markdown or YAML parser.
pub fn url_problem(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    // Text before the first `:` is a scheme unless a `/`, `?` or `#` comes
    // first (then the colon is part of a relative path, query or fragment).
    let colon = cleaned.find(':')?;
    if cleaned[..colon].contains(['/', '?', '#']) {
        return None;
    }
    let scheme = cleaned[..colon].to_ascii_lowercase();
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    let shown: String = scheme
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    Some(format!("the link scheme `{shown}:` is not allowed"))
}

/// The help shown with a refused URL.
pub const URL_HELP: &str = "links and images may use http:, https:, mailto: and tel: addresses, or a relative address such as `../decisions/` or `#para-3`; script and data URLs are never published";

/// Raw HTML made safe: only tags and attributes that describe content are
/// kept (tables with captions, scopes and spans; `abbr`, `details`,
/// `figure`, headings, lists …), along with the markup plansite writes
/// itself; scripts, styles, frames, forms, event handlers and `style`
/// attributes go, and links keep to [`ALLOWED_SCHEMES`].
pub fn sanitise(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "abbr",
            "b",
            "blockquote",
            "br",
            "caption",
            "cite",
            "code",
            "col",
            "colgroup",
            "dd",
            "del",
            "details",
            "dfn",
            "div",
            "dl",
            "dt",
            "em",
            "figcaption",
            "figure",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "i",
            "img",
            "ins",
            "kbd",
            "li",
            "mark",
            "ol",
            "p",
            "pre",
            "q",
            "s",
            "samp",
            "small",
            "span",
            "strong",
            "sub",
            "summary",
            "sup",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "time",
            "tr",
            "u",
            "ul",
            "var",
        ]
        .into_iter()
        .collect();
        let per_tag: &[(&str, &[&str])] = &[
            ("a", &["href", "hreflang"]),
            ("img", &["src", "alt", "width", "height"]),
            ("th", &["scope", "colspan", "rowspan", "headers", "abbr"]),
            ("td", &["colspan", "rowspan", "headers"]),
            ("col", &["span"]),
            ("colgroup", &["span"]),
            ("ol", &["start", "reversed", "type"]),
            ("li", &["value"]),
            ("time", &["datetime"]),
            ("details", &["open"]),
            ("blockquote", &["cite"]),
            ("q", &["cite"]),
            ("del", &["cite", "datetime"]),
            ("ins", &["cite", "datetime"]),
            // The scrolling region plansite wraps each table in.
            ("div", &["role", "tabindex", "aria-label"]),
        ];
        let tag_attributes = per_tag
            .iter()
            .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect::<HashSet<&str>>()))
            .collect();
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(tags)
            .clean_content_tags(["script", "style"].into_iter().collect())
            .tag_attributes(tag_attributes)
            .generic_attributes(
                ["id", "class", "title", "lang", "dir"]
                    .into_iter()
                    .collect(),
            )
            .url_schemes(ALLOWED_SCHEMES.iter().copied().collect())
            .link_rel(None)
            .strip_comments(true);
        builder
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_and_phone_schemes_pass() {
        for ok in [
            "https://example.org/",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+441216266060",
            "../decisions/",
            "#para-3",
            "page?x=a:b",
            "docs/a:b",
            "",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "ftp://example.org",
        ] {
            assert!(url_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn sanitising_keeps_content_markup_and_drops_script() {
        let html = "<table><caption>Spend</caption><tr><th scope=\"row\" colspan=\"2\">A</th><td rowspan=\"2\" style=\"color:red\">1</td></tr></table>\
                    <abbr title=\"Police and Crime Commissioner\">PCC</abbr>\
                    <details><summary>More</summary><p>Text</p></details>\
                    <script>alert(1)</script><img src=x onerror=alert(1)>\
                    <a href=\"javascript:alert(1)\">x</a><iframe src=\"https://e.org\"></iframe>";
        let out = sanitise(html);
        for kept in [
            "<caption>Spend</caption>",
            "<th scope=\"row\" colspan=\"2\">",
            "<td rowspan=\"2\">",
            "<abbr title=\"Police and Crime Commissioner\">PCC</abbr>",
            "<details><summary>More</summary>",
        ] {
            assert!(out.contains(kept), "{kept} in {out}");
        }
        for gone in [
            "script",
            "alert",
            "onerror",
            "style",
            "iframe",
            "javascript",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
    }
}
