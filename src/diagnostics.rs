//! Errors and warnings as values. Every diagnostic names the file it came
//! from and, where there is one, the line and column; one renderer turns them
//! into text for the terminal and for the serve overlay.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
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
    pub fn new(file: impl Into<PathBuf>, line: u32, col: u32) -> Span {
        Span {
            file: file.into(),
            line,
            col,
        }
    }

    pub fn file(file: impl Into<PathBuf>) -> Span {
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
    pub severity: Severity,
    pub span: Option<Span>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(span: Option<Span>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as text: a headline, the location, the source
    /// line with a caret when the file can be read, and the help line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Messages quote content: nothing from it reaches the terminal raw.
        let _ = writeln!(out, "{label}: {}", visible(&self.message, true));
        if let Some(span) = &self.span {
            let shown = visible(&span.to_string(), false);
            let _ = writeln!(out, "  --> {shown}");
            if let Some(line) = source_line(&span.file, span.line) {
                let number = span.line.to_string();
                let pad = " ".repeat(number.len());
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{number} | {}", visible(&line, false));
                let caret_at = caret_offset(&line, span.col);
                let _ = writeln!(out, "{pad} | {}^", " ".repeat(caret_at));
            }
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {}", visible(help, true));
        }
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

/// Columns count characters; the caret is placed under the character, as
/// the line is shown (with control characters escaped).
fn caret_offset(line: &str, col: u32) -> usize {
    let col = col.max(1) as usize - 1;
    let before: String = line.chars().take(col).collect();
    visible(&before, false).chars().count()
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
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file, then position, so output is stable whatever order
    /// parallel stages produced them in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
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
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let wanted_lower = wanted.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            let d = edit_distance(&wanted_lower, &c_lower);
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
pub fn did_you_mean<'a>(
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

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
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
}
