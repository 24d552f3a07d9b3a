//! Text rules every stage shares, below all of them: the characters content
//! may not hold (and the two plansite reserves to mark references inside
//! its own HTML), where a text sits in its file, and the one slug and the
//! one HTML escaper.

use crate::diagnostics::{Diagnostic, Span};

/// Placeholder delimiters: private-use characters no author types.
pub const PLACEHOLDER_START: char = '\u{E000}';
pub const PLACEHOLDER_END: char = '\u{E001}';

/// Where a Markdown text sits in its file, so diagnostics point into the
/// file rather than into the text.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) file: std::path::PathBuf,
    /// 1-based line of the text's first line.
    pub(crate) line: u32,
    /// 1-based column where every line of the text starts (indentation of a
    /// YAML block scalar); 1 for a Markdown body.
    pub(crate) col: u32,
}

/// Whether `c` may not appear in content: control characters other than
/// tab, line feed and carriage return (a NUL or a terminal escape would be
/// written into pages and exports), and the two private-use characters
/// plansite uses to mark references inside its own HTML.
pub(crate) fn forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || c == PLACEHOLDER_START
        || c == PLACEHOLDER_END
}

/// The error for a forbidden character at `span`.
pub(crate) fn forbidden_char_error(c: char, span: Span) -> Diagnostic {
    if c == PLACEHOLDER_START || c == PLACEHOLDER_END {
        Diagnostic::error(
            Some(span),
            format!(
                "the private-use character U+{:04X} is reserved by plansite",
                c as u32
            ),
        )
        .with_help("plansite marks references with it inside pages; delete it (write references as `[[decision 004/2014]]`)")
    } else {
        Diagnostic::error(
            Some(span),
            format!("the control character U+{:04X} is not allowed in content", c as u32),
        )
        .with_help("delete it (it is invisible in most editors; the position shown is the first one in the file); only tab, line feed and carriage return are allowed")
    }
}

/// The one slug, for addresses, heading ids and data-file names: lower
/// case ASCII letters and digits, every other run of characters one `-`,
/// none at either end. `004/2014` → `004-2014`, `PCC-DN 1956` →
/// `pcc-dn-1956`, `Phase 2 – Roundtables` → `phase-2-roundtables`. Empty
/// when the text has no ASCII letter or digit.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Text for HTML element content and quoted attribute values: `&`, `<`,
/// `>`, `"` and `'` escaped (pulldown-cmark's escaper, the one Markdown
/// bodies go through).
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_ascii_letters_and_digits() {
        assert_eq!(slug("004/2014"), "004-2014");
        assert_eq!(slug("  Phase 2 – Roundtables! "), "phase-2-roundtables");
        assert_eq!(slug("Victims’ Commissioner"), "victims-commissioner");
        assert_eq!(slug("––"), "");
    }

    #[test]
    fn html_escaping_covers_text_and_both_quotes() {
        assert_eq!(
            escape_html(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }
}
