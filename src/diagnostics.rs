//! Errors and warnings as values. Every diagnostic names the file it came
//! from and, where there is one, the line and column; one renderer turns them
//! into text for the terminal and for the serve overlay.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based. `line == 0` means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
}

impl Span {
    pub(crate) fn new(file: impl Into<PathBuf>, line: u32, col: u32) -> Span {
        Span {
            file: file.into(),
            line,
            col,
        }
    }

    pub(crate) fn file(file: impl Into<PathBuf>) -> Span {
        Span::new(file, 0, 0)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    pub span: Option<Span>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    /// The `site.yaml` setting that, when on, withdraws this diagnostic
    /// (e.g. `markdown.raw_html`): records are parsed before the site's
    /// settings are known, so such errors are dropped afterwards.
    pub(crate) waived_by: Option<&'static str>,
}

impl Diagnostic {
    pub fn error(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
            waived_by: None,
        }
    }

    pub(crate) fn warning(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            help: None,
            waived_by: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn waived_by(mut self, setting: &'static str) -> Diagnostic {
        self.waived_by = Some(setting);
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as text through annotate-snippets: a
    /// headline, the location, the source line with a caret when the file
    /// can be read, and the help line. Everything from content is shown
    /// through [`visible`], so nothing from it reaches the terminal raw.
    pub fn render(&self) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = visible(&self.message, true);
        let help = self.help.as_ref().map(|h| visible(h, true));
        let title = level.primary_title(message.as_str());
        let mut group = Group::with_title(title);
        if let Some(span) = &self.span {
            let file = visible(&span.file.display().to_string(), false);
            match source_line(&span.file, span.line).map(|l| shown_line(&l, span.col)) {
                // annotate-snippets counts the column in the line as shown,
                // which is the content's column unless escaping lengthened
                // the line before it.
                Some((shown, at, true)) => {
                    let end = shown[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                    group = group.element(
                        Snippet::source(shown)
                            .line_start(span.line as usize)
                            .path(file)
                            .annotation(AnnotationKind::Primary.span(at..end)),
                    );
                }
                _ => {
                    let mut origin = annotate_snippets::Origin::path(file);
                    if span.line > 0 {
                        origin = origin.line(span.line as usize);
                        if span.col > 0 {
                            origin = origin.char_column(span.col as usize);
                        }
                    }
                    group = group.element(origin);
                }
            }
        }
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut out = Renderer::plain().render(&[group]);
        out.push('\n');
        out
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

fn source_line(file: &Path, line: u32) -> Option<String> {
    if line == 0 {
        return None;
    }
    let bytes = std::fs::read(file).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .nth(line as usize - 1)
        .map(|l| l.replace('\t', " "))
}

/// The line as it is shown (control characters escaped), the byte offset
/// there of the character at column `col` (columns count characters), and
/// whether that character is still at column `col`.
fn shown_line(line: &str, col: u32) -> (String, usize, bool) {
    let col = col.max(1) as usize - 1;
    let before: String = line.chars().take(col).collect();
    let shown_before = visible(&before, false);
    let same = shown_before == before;
    (visible(line, false), shown_before.len(), same)
}

/// `text` safe to print on a terminal: control characters (escape
/// sequences, bells, carriage returns, NUL) and the invisible
/// bidirectional controls are shown as `\u{1b}`; line feeds are kept where
/// `keep_newlines` says so.
pub fn visible(text: &str, keep_newlines: bool) -> String {
    let hidden = |c: char| {
        (c.is_control() && !(keep_newlines && c == '\n'))
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// A list of diagnostics gathered over a whole run, so that `check` can
/// report everything at once.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub(crate) fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Drops the diagnostics that the settings turned on in `site.yaml`
    /// withdraw.
    pub(crate) fn waive(&mut self, settings: &[&str]) {
        self.items
            .retain(|d| d.waived_by.is_none_or(|w| !settings.contains(&w)));
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Sorted by file, then position, so output is stable whatever order
    /// parallel stages produced them in.
    pub(crate) fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.span, a.severity, &a.message).cmp(&(&b.span, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The closest candidates to `wanted`, for "did you mean" hints: at most
/// three, nearest first, only those within a distance that still looks like
/// a typo.
pub(crate) fn suggest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            let d = strsim::levenshtein(&wanted_lower, &c_lower);
            let contains = !wanted_lower.is_empty()
                && (c_lower.contains(&wanted_lower) || wanted_lower.contains(&c_lower));
            if d <= limit || contains {
                Some((if contains { d.min(limit) } else { d }, c))
            } else {
                None
            }
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

/// "did you mean `a`?" or "did you mean one of `a`, `b`?"; `None` when there
/// is nothing close.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let found = suggest(wanted, candidates);
    match found.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean `{one}`?")),
        many => Some(format!(
            "did you mean one of {}?",
            many.iter()
                .map(|m| format!("`{m}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_field() {
        assert_eq!(
            did_you_mean("titel", ["id", "title", "date"]).as_deref(),
            Some("did you mean `title`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ["id", "title"]), None);
    }

    #[test]
    fn suggests_ids_that_contain_the_typo() {
        let found = suggest("burglary", ["reduce-burglary-robbery", "cyber-crime"]);
        assert_eq!(found, vec!["reduce-burglary-robbery".to_string()]);
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(visible("a\u{1b}[2Jb\n", false), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(visible("a\nb", true), "a\nb");
        assert_eq!(visible("plain £ text", false), "plain £ text");
    }

    #[test]
    fn span_display_names_file_line_and_column() {
        assert_eq!(Span::new("a/b.md", 3, 7).to_string(), "a/b.md:3:7");
        assert_eq!(Span::file("a/b.md").to_string(), "a/b.md");
    }

    #[test]
    fn a_diagnostic_shows_its_place_its_line_with_a_caret_and_its_help() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("about.md");
        std::fs::write(&file, "---\n£ “x”: About\n---\n").unwrap();
        let d = Diagnostic::error(Some(Span::new(&file, 2, 3)), "unknown field `“x”`")
            .with_help("did you mean `title`?");
        assert_eq!(
            d.render(),
            format!(
                "error: unknown field `“x”`\n --> {}:2:3\n  |\n2 | £ “x”: About\n  |   ^\n  |\n  = help: did you mean `title`?\n",
                file.display()
            )
        );
    }

    #[test]
    fn a_line_that_escaping_lengthens_before_the_column_keeps_the_exact_place() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("about.md");
        std::fs::write(&file, "A\u{202e} b [[x]]\n").unwrap();
        let d = Diagnostic::error(Some(Span::new(&file, 1, 6)), "there is no page `x`");
        let text = d.render();
        assert!(text.contains(&format!("{}:1:6", file.display())), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
    }

    #[test]
    fn a_diagnostic_without_a_line_names_its_file() {
        let d = Diagnostic::warning(Some(Span::file("content/site.yaml")), "no `title`")
            .with_help("add one");
        assert_eq!(
            d.render(),
            "warning: no `title`\n--> content/site.yaml\n = help: add one\n"
        );
    }
}
