//! Stage 1: read `content/` into memory. Files become `SourceFile`s with
//! their text checked as UTF-8; front matter is split from Markdown bodies;
//! YAML is decoded into typed structs with positions. Nothing here knows
//! what a decision or a metric is.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Span, did_you_mean};
use crate::text::{Origin, forbidden_char, forbidden_char_error};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path shown to people, e.g. `content/decisions/004-2014.md`.
    pub path: PathBuf,
    /// Relative to `content/`, with `/` separators.
    pub rel: String,
    pub text: String,
}

impl SourceFile {
    pub fn extension(&self) -> &str {
        self.rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("")
    }

    /// The first folder under `content/`, which names the kind.
    pub fn top_folder(&self) -> Option<&str> {
        self.rel.split_once('/').map(|(top, _)| top)
    }

    pub fn stem(&self) -> &str {
        let name = self.rel.rsplit('/').next().unwrap_or(&self.rel);
        name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
    }
}

/// The path people see for `root/content/rel`: relative when `root` is the
/// current folder.
pub fn display_path(root: &Path, rel: &str) -> PathBuf {
    let full = root.join("content").join(rel);
    full.strip_prefix("./")
        .map(Path::to_path_buf)
        .unwrap_or(full)
}

/// Reads the text files `text_paths` found under `root/content` in
/// parallel and hands each to `take` as soon as it is read, so a caller that
/// keeps only what it makes of a file (the build keeps the records) never
/// holds every file's text at once. A file that cannot be read, or is not
/// UTF-8, is a diagnostic (naming the byte's position) instead;
/// `diagnostics` are the walk's, returned with the reading's.
pub fn read_these<T: Send>(
    root: &Path,
    paths: &[PathBuf],
    mut diagnostics: Vec<Diagnostic>,
    take: impl Fn(SourceFile) -> T + Sync,
) -> (Vec<T>, Vec<Diagnostic>) {
    let content = root.join("content");
    use rayon::prelude::*;
    let results: Vec<Result<T, Diagnostic>> = paths
        .par_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(&content)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            read_one(root, &rel, path).map(&take)
        })
        .collect();
    let mut taken = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(t) => taken.push(t),
            Err(d) => diagnostics.push(d),
        }
    }
    (taken, diagnostics)
}

/// The text files of `root/content` that the site is made of (images and
/// documents are copied as they are, not read), with what stopped the walk:
/// a missing content folder, a folder that cannot be read, a symlink.
/// `build` and `serve` both walk the folder through this.
pub fn text_paths(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let content = root.join("content");
    if !content.is_dir() {
        let d = Diagnostic::error(
            Some(Span::file(display_path(root, ""))),
            "there is no content folder",
        )
        .with_help("run plansite in the site's folder, give it with --root, or make a new site with `plansite new DIR`");
        return (Vec::new(), vec![d]);
    }
    let (mut paths, diagnostics) = content_paths(&content);
    paths.retain(|p| !is_binary_asset(p));
    (paths, diagnostics)
}

/// Every file under `content` that the site is made of, in a fixed order
/// (by name, folder by folder); files and folders starting with `_` or `.`
/// are left out.
pub fn content_paths(content: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_private_name(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => paths.push(e.into_path()),
            Ok(e) if e.path_is_symlink() => diagnostics.push(symlink_warning(e.path())),
            Ok(_) => {}
            Err(err) => diagnostics.push(Diagnostic::error(
                err.path().map(Span::file),
                format!("cannot read: {err}"),
            )),
        }
    }
    (paths, diagnostics)
}

/// A symbolic link is neither read nor published (following one could
/// publish a file from outside the site), and the author is told which.
pub fn symlink_warning(path: &Path) -> Diagnostic {
    let shown = path.strip_prefix("./").unwrap_or(path);
    Diagnostic::warning(
        Some(Span::file(shown)),
        format!(
            "`{}` is a symbolic link; plansite does not follow links, so it is not published",
            shown.display()
        ),
    )
    .with_help("copy the file or folder into the site instead of linking to it, or start its name with `_` to keep it out of the site")
}

/// Whether a file or folder name keeps it, and everything under it, out of
/// the site: names starting with `_` or `.`.
pub fn is_private_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.starts_with('_')
}

/// Files under `content/` published as they are (logos, images, PDFs).
pub fn is_binary_asset(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("png" | "jpg" | "jpeg" | "gif" | "webp" | "svg" | "pdf" | "ico")
    )
}

/// Every binary asset under `content/`, as (output path, file), sorted.
/// The same walk as `content_paths`: files in `_` and `.` folders are
/// private whatever their kind (its warnings were given when reading).
pub fn binary_assets(root: &Path) -> Vec<(String, PathBuf)> {
    let content = root.join("content");
    let (paths, _) = content_paths(&content);
    let mut out: Vec<(String, PathBuf)> = paths
        .into_iter()
        .filter(|p| is_binary_asset(p))
        .map(|p| {
            let rel = p
                .strip_prefix(&content)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, p)
        })
        .collect();
    out.sort();
    out
}

pub fn read_one(root: &Path, rel: &str, path: &Path) -> Result<SourceFile, Diagnostic> {
    let shown = display_path(root, rel);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            Some(Span::file(&shown)),
            format!("cannot read the file: {e}"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() as u32 + 1;
        let col = valid.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        Diagnostic::error(
            Some(Span::new(&shown, line, col)),
            "the file is not UTF-8 text",
        )
        .with_help("save it as UTF-8 (in most editors: Save As… → Encoding: UTF-8); the first bad byte is at the position shown")
    })?;
    // A byte-order mark is invisible in editors and harmless: drop it.
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    let file = SourceFile {
        path: shown,
        rel: rel.to_string(),
        text,
    };
    check_characters(&file)?;
    Ok(file)
}

/// Refuses a file holding a forbidden character, raw or, in YAML, as a
/// double-quoted escape (`"\0"`, `"\e"`, `"\uE000"`): the first one is
/// reported with its line and column.
fn check_characters(file: &SourceFile) -> Result<(), Diagnostic> {
    let text = file.text.as_str();
    if let Some((at, c)) = text.char_indices().find(|(_, c)| forbidden_char(*c)) {
        let before = &text[..at];
        let line = before.matches('\n').count() as u32 + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        return Err(forbidden_char_error(c, Span::new(&file.path, line, col)));
    }
    // Escapes need a backslash: most files have none and are not scanned.
    let yaml = match file.extension() {
        "yaml" | "yml" => Some((text, 1)),
        "md" => split_front_matter(file)
            .ok()
            .map(|fm| (fm.yaml, fm.yaml_line)),
        _ => None,
    };
    if let Some((yaml, first_line)) = yaml
        && yaml.contains('\\')
    {
        check_yaml_escapes(yaml, &file.path, first_line)?;
    }
    Ok(())
}

/// Double-quoted YAML scalars decode escapes; their decoded text is checked.
/// A YAML syntax error is left for the decoder to report.
fn check_yaml_escapes(yaml: &str, file: &Path, first_line: u32) -> Result<(), Diagnostic> {
    use granit_parser::{ScalarStyle, Scanner, StrInput, TokenType};
    for token in Scanner::new(StrInput::new(yaml)) {
        let Ok(token) = token else { break };
        if let TokenType::Scalar(ScalarStyle::DoubleQuoted, value) = token.token_type()
            && let Some(c) = value.chars().find(|c| forbidden_char(*c))
        {
            let start = token.span().start;
            let span = Span::new(
                file,
                start.line() as u32 + first_line - 1,
                start.col() as u32 + 1,
            );
            return Err(forbidden_char_error(c, span));
        }
    }
    Ok(())
}

/// A Markdown file split into its YAML front matter and its body.
pub struct FrontMatter<'a> {
    pub yaml: &'a str,
    /// Line of the first YAML line (1-based).
    pub yaml_line: u32,
    pub body: &'a str,
    /// Line of the first body line (1-based).
    pub body_line: u32,
}

pub fn split_front_matter(file: &SourceFile) -> Result<FrontMatter<'_>, Diagnostic> {
    let text = file.text.as_str();
    let missing = || {
        Diagnostic::error(
            Some(Span::new(&file.path, 1, 1)),
            "this Markdown file has no front matter",
        )
        .with_help("start the file with a line `---`, the record's fields in YAML (at least `id:` and `title:`), and another line `---`")
    };
    let first_line_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_line_end].trim_end() != "---" {
        return Err(missing());
    }
    let after = &text[first_line_end + 1..];
    let mut offset = 0;
    for line in after.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &after[..offset];
            let body = &after[offset + line.len()..];
            let yaml_lines = yaml.matches('\n').count() as u32;
            return Ok(FrontMatter {
                yaml,
                yaml_line: 2,
                body,
                body_line: 2 + yaml_lines + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        Some(Span::new(&file.path, 1, 1)),
        "the front matter is not closed",
    )
    .with_help("add a line `---` after the last field of the front matter"))
}

/// Decodes YAML into `T`, turning every failure into a diagnostic that
/// points into the file (`first_line` is where the YAML starts) and adds a
/// "did you mean" for unknown fields.
pub fn decode_yaml<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    first_line: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(yaml).map_err(|err| yaml_diagnostic(&err, file, first_line))
}

fn yaml_diagnostic(err: &serde_saphyr::Error, file: &Path, first_line: u32) -> Diagnostic {
    let raw = err.without_snippet().to_string();
    // The crate appends the position; we show it in our own format.
    let message = match raw.rfind(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.clone(),
    };
    let span = err.location().map(|loc| {
        Span::new(
            file,
            loc.line() as u32 + first_line - 1,
            loc.column().max(1) as u32,
        )
    });
    let mut diagnostic = Diagnostic::error(
        Some(span.unwrap_or_else(|| Span::file(file))),
        friendly_yaml_message(&message),
    );
    if let Some(help) = unknown_field_help(&message) {
        diagnostic = diagnostic.with_help(help);
    } else if let Some(help) = shape_help(&message) {
        diagnostic = diagnostic.with_help(help);
    } else if message.contains("missing field") {
        diagnostic =
            diagnostic.with_help("add the field; docs/content.md lists every field of each kind");
    } else if message.contains("duplicate") {
        diagnostic =
            diagnostic.with_help("each field may appear once; remove or merge the repeated one");
    } else {
        diagnostic = diagnostic.with_help(
            "check the YAML at this position: indentation, a missing `:` or closing bracket, or text that needs quotes (for example a value containing `: `)",
        );
    }
    diagnostic
}

fn friendly_yaml_message(message: &str) -> String {
    if message.starts_with("unknown field") {
        // "unknown field `titel`, expected one of a, b" → keep the first part.
        return message
            .split(", expected")
            .next()
            .unwrap_or(message)
            .to_string();
    }
    // The decoder names what it expected in YAML's terms ("sequence start",
    // "mapping start", "string scalar") or serde's ("invalid type: integer
    // `5`, expected a sequence"); say it in an author's words.
    let (found, expected) = match message.strip_prefix("invalid type: ") {
        Some(rest) => match rest.split_once(", expected ") {
            Some((found, expected)) => (Some(found), expected),
            None => (None, rest),
        },
        None => match message.strip_prefix("expected ") {
            Some(expected) => (None, expected),
            None => return plain_words(message),
        },
    };
    let wanted = match expected {
        "sequence start" | "a sequence" => "a list is expected here",
        "mapping start" | "empty mapping start" => {
            "a set of fields (`name: value` lines) is expected here"
        }
        "string scalar" | "a string" | "scalar" => "a single value is expected here",
        "a boolean" => "`true` or `false` is expected here",
        e if e.starts_with("struct ") || e.starts_with("a map") => {
            "a set of fields (`name: value` lines) is expected here"
        }
        e if e.contains("integer")
            || matches!(
                e,
                "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64"
            ) =>
        {
            "a whole number is expected here"
        }
        _ => return plain_words(message),
    };
    match found {
        Some(found) => format!(
            "{wanted}, not {}",
            found
                .replace("sequence", "a list")
                .replace("map", "a set of fields")
        ),
        None => wanted.to_string(),
    }
}

/// Decoder wording that is not about the shape of a value.
fn plain_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key") {
        let key = rest
            .trim_start_matches(": ")
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or("")
            .trim();
        return if key.is_empty() || key.starts_with(',') {
            "a field appears twice".to_string()
        } else {
            format!("the field `{key}` appears twice")
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("the field {rest} is missing");
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some((value, allowed)) = rest.split_once(", expected one of ") {
            return format!("{value} is not one of the values allowed here: {allowed}");
        }
        if let Some((value, allowed)) = rest.split_once(", expected ") {
            return format!("{value} is not the value allowed here: {allowed}");
        }
    }
    message.to_string()
}

/// How to write the shape of value the decoder expected.
fn shape_help(raw: &str) -> Option<&'static str> {
    if raw.contains("sequence") {
        Some(
            "write the list in brackets, `[a, b]`, or one item per line starting with `- `; a list of one is `[a]`",
        )
    } else if raw.contains("mapping start") || raw.contains("expected struct") {
        Some("write the fields indented under this one, one `name: value` per line")
    } else if raw.contains("string scalar") || raw == "expected scalar" {
        Some(
            "write one value after the `:`, not a list or indented fields; put text containing `: ` or starting with `[`, `{` or `-` in quotes",
        )
    } else {
        None
    }
}

fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (field, after) = rest.split_once('`')?;
    let expected = after
        .split_once("expected one of ")
        .map(|(_, list)| list)
        .or_else(|| after.split_once("expected ").map(|(_, one)| one))?;
    let fields: Vec<&str> = expected
        .split(',')
        .map(|f| f.trim().trim_matches('`'))
        .filter(|f| !f.is_empty())
        .collect();
    Some(match did_you_mean(field, fields.iter().copied()) {
        Some(hint) => hint,
        None if message.starts_with("unknown variant") => {
            format!("the values allowed here are: {}", fields.join(", "))
        }
        None => format!("the fields here are: {}", fields.join(", ")),
    })
}

/// Where a YAML string value's text starts in the file, for diagnostics
/// inside Markdown held in YAML (the location serde-saphyr reports is the
/// start of the scalar's content).
pub fn scalar_origin(file: &Path, first_line: u32, location: &serde_saphyr::Location) -> Origin {
    Origin {
        file: file.to_path_buf(),
        line: location.line().max(1) as u32 + first_line - 1,
        col: location.column().max(1) as u32,
    }
}

pub fn span_of(file: &Path, first_line: u32, location: &serde_saphyr::Location) -> Span {
    if location.line() == 0 {
        return Span::file(file);
    }
    Span::new(
        file,
        location.line() as u32 + first_line - 1,
        location.column().max(1) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Small {
        id: String,
        title: String,
    }

    #[test]
    fn unknown_fields_suggest_the_right_one_at_the_right_line() {
        let err = decode_yaml::<Small>("id: a\ntitel: b\n", Path::new("x.md"), 2).unwrap_err();
        assert_eq!(err.message, "unknown field `titel`");
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(err.span.unwrap().to_string(), "x.md:3:1");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Shapes {
        list: Option<Vec<String>>,
        text: Option<String>,
        flag: Option<bool>,
    }

    #[test]
    fn shape_errors_are_in_plain_words() {
        let message = |yaml: &str| {
            decode_yaml::<Shapes>(yaml, Path::new("x.yaml"), 1)
                .unwrap_err()
                .message
        };
        assert_eq!(message("list: 5\n"), "a list is expected here");
        assert!(message("text: [a, b]\n").contains("a single value is expected"));
        assert!(message("text: a\ntext: b\n").contains("`text` appears twice"));
        assert!(!message("flag: maybe\n").contains("sequence"));
    }

    #[test]
    fn control_and_placeholder_characters_are_refused_where_they_are() {
        let file = |rel: &str, text: &str| SourceFile {
            path: rel.into(),
            rel: rel.into(),
            text: text.into(),
        };
        let span = |f: SourceFile| check_characters(&f).unwrap_err().span.unwrap().to_string();
        assert_eq!(span(file("a.md", "---\nid: a\n---\nab\0c\n")), "a.md:4:3");
        assert_eq!(
            span(file("a.yaml", "id: a\ntitle: \"x\\uE000\"\n")),
            "a.yaml:2:8"
        );
        assert_eq!(
            span(file("a.md", "---\nid: a\ntitle: \"\\e\"\n---\n")),
            "a.md:3:8"
        );
        assert!(check_characters(&file("a.md", "---\nid: a\n---\nC:\\example\tok\r\n")).is_ok());
    }

    #[test]
    fn front_matter_is_split_with_line_numbers() {
        let file = SourceFile {
            path: "a.md".into(),
            rel: "pages/a.md".into(),
            text: "---\nid: a\ntitle: A\n---\nBody\n".into(),
        };
        let fm = split_front_matter(&file).unwrap();
        assert_eq!(fm.yaml, "id: a\ntitle: A\n");
        assert_eq!(fm.body, "Body\n");
        assert_eq!(fm.body_line, 5);
    }
}
