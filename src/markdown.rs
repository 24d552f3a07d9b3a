//! Markdown to HTML, once, at parse time. References (`[[…]]`) are lifted
//! out before Markdown sees them and replaced by placeholders, which the
//! render stage swaps for links; so rendering never parses Markdown and a
//! reference's position in the file is known exactly.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Span};
use crate::refs::{Ref, Relation, parse_reference};
use crate::text::{
    Origin, PLACEHOLDER_END, PLACEHOLDER_START, escape_html, forbidden_char, forbidden_char_error,
    slug,
};

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with reference placeholders.
    pub html: String,
    /// Plain text for search and snippets, references replaced by their
    /// labels (or dropped when they have none).
    pub text: String,
    pub refs: Vec<Ref>,
    /// Every anchor the HTML defines: heading ids and `para-N`.
    pub anchors: Vec<String>,
    pub headings: Vec<Heading>,
    /// Numbered paragraphs, in order.
    pub paragraphs: Vec<u32>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Top-level ordered lists are the document's numbered paragraphs.
    pub numbered_paragraphs: bool,
    /// Added to every heading level: a body placed under an `h2` on its page
    /// turns `##` into `h3`.
    pub heading_shift: u8,
    pub relation: Relation,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            numbered_paragraphs: false,
            heading_shift: 0,
            relation: Relation::Mentions,
        }
    }
}

pub fn render(source: &str, origin: &Origin, settings: Settings) -> (Rendered, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let (prepared, refs) = lift_references(source, origin, settings.relation, &mut diagnostics);
    let line_starts = line_starts(&prepared);
    let span_at = |offset: usize| -> Span {
        let line = line_starts.partition_point(|&s| s <= offset);
        let col = prepared[line_starts[line - 1]..offset].chars().count() + 1;
        Span::new(
            origin.file.clone(),
            origin.line + line as u32 - 1,
            col as u32 + origin.col - 1,
        )
    };

    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options.insert(Options::ENABLE_FOOTNOTES);

    let mut out = Rendered {
        refs,
        ..Rendered::default()
    };
    let mut events: Vec<Event> = Vec::new();
    let mut list_depth = 0usize;
    let mut para_list: Option<u32> = None; // next number in a top-level ordered list
    let mut heading: Option<OpenHeading> = None;
    // Every anchor so far, and the next suffix to try for each generated
    // base id: repeated headings cost one lookup each, not a scan.
    let mut ids = Ids::default();
    // An open raw HTML block: where it starts in `events` and in the source,
    // and its text, so a block that is only a comment can be dropped.
    let mut html_block: Option<(usize, usize, String)> = None;
    let mut raw_html = RawHtml::default();
    let mut text = String::new();
    // A body numbers its paragraphs one way: with `**12.**` at the start of
    // a paragraph, or else as a top-level ordered list. When it uses bold
    // numbers, its ordered lists are ordinary lists.
    let bold_numbers = settings.numbered_paragraphs && has_bold_numbers(&prepared);
    let mut bold = BoldNumber::Idle;
    // Block quotes and footnotes quote or annotate; their paragraphs are
    // not the document's numbered ones.
    let mut aside_depth = 0usize;

    // Bullet lists whose every item starts with a marker of its own
    // (`i.`, `(a)`, `2.`): the document's markers are kept and the bullets
    // dropped, so an item does not show two.
    let mut marked_lists: Vec<MarkedList> = Vec::new();
    for (event, range) in Parser::new_ext(&prepared, options).into_offset_iter() {
        // Only the next step of `**N.**` keeps the match going; otherwise the
        // events already pushed stand as ordinary Markdown.
        let step = std::mem::replace(&mut bold, BoldNumber::Idle);
        match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => aside_depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                aside_depth = aside_depth.saturating_sub(1);
            }
            Event::Start(Tag::List(None)) => marked_lists.push(MarkedList {
                at: events.len(),
                marked: true,
                first_text_due: false,
            }),
            Event::Start(Tag::List(Some(_))) => marked_lists.push(MarkedList {
                at: usize::MAX,
                marked: false,
                first_text_due: false,
            }),
            Event::Start(Tag::Item) => {
                if let Some(list) = marked_lists.last_mut() {
                    list.first_text_due = true;
                }
            }
            Event::Text(t) => {
                if let Some(list) = marked_lists.last_mut()
                    && list.first_text_due
                {
                    list.first_text_due = false;
                    list.marked &= starts_with_own_marker(t);
                }
            }
            Event::End(TagEnd::List(false)) => {
                if let Some(list) = marked_lists.pop()
                    && list.marked
                    && matches!(events.get(list.at), Some(Event::Start(Tag::List(None))))
                {
                    events[list.at] = Event::Html(CowStr::Borrowed("<ul class=\"own-markers\">\n"));
                }
            }
            Event::End(TagEnd::List(true)) => {
                marked_lists.pop();
            }
            _ => {}
        }
        // A character reference (`&#x1b;`, `&#xE000;`) decodes to a
        // character refused in the file itself; the only ones the source
        // may hold are the placeholders put there above.
        if let Event::Text(t) | Event::Code(t) = &event
            && let Some(c) = t.chars().find(|c| forbidden_char(*c))
        {
            let count = |s: &str| s.chars().filter(|c| forbidden_char(*c)).count();
            if count(t) > prepared.get(range.clone()).map_or(0, count) {
                diagnostics.push(forbidden_char_error(c, span_at(range.start)));
            }
        }
        if let Some(open) = heading.as_mut() {
            match &event {
                Event::Text(t) | Event::Code(t) => open.text.push_str(t),
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                let level = heading_number(level);
                heading = Some(OpenHeading {
                    level,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    text: String::new(),
                    at: events.len(),
                });
                // Emitted at the end, once the id is known.
                events.push(Event::Html(CowStr::Borrowed("")));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some(OpenHeading {
                    level,
                    id,
                    classes,
                    text: heading_text,
                    at,
                }) = heading.take()
                else {
                    continue;
                };
                let visible = strip_placeholders(&heading_text, &out.refs);
                let explicit = id.is_some();
                // Generated ids are made unique: a plan repeats "How we
                // will measure success" under every subsection.
                let id = id.unwrap_or_else(|| ids.unique(heading_id(&visible)));
                if explicit && ids.used.contains(&id) {
                    diagnostics.push(
                        Diagnostic::error(
                            Some(span_at(range.start)),
                            format!("two headings have the id `{id}`"),
                        )
                        .with_help("give one of them its own id with `{#another-id}` after the heading text"),
                    );
                }
                let shifted = (level + settings.heading_shift).min(6);
                let class_attr = if classes.is_empty() {
                    String::new()
                } else {
                    format!(" class=\"{}\"", escape_html(&classes.join(" ")))
                };
                let open = format!("<h{shifted} id=\"{}\"{class_attr}>", escape_html(&id));
                // Replace the empty marker pushed at the start.
                events[at] = Event::Html(CowStr::from(open));
                events.push(Event::Html(CowStr::from(format!("</h{shifted}>\n"))));
                ids.used.insert(id.clone());
                out.anchors.push(id.clone());
                out.headings.push(Heading {
                    level: shifted,
                    id,
                    text: visible.trim().to_string(),
                });
                text.push(' ');
            }
            Event::Start(Tag::Paragraph)
                if settings.numbered_paragraphs && list_depth == 0 && aside_depth == 0 =>
            {
                bold = BoldNumber::Paragraph {
                    at: events.len(),
                    text_len: text.len(),
                };
                events.push(Event::Start(Tag::Paragraph));
            }
            Event::Start(Tag::Strong) if matches!(step, BoldNumber::Paragraph { .. }) => {
                if let BoldNumber::Paragraph { at, text_len } = step {
                    bold = BoldNumber::Strong { at, text_len };
                }
                events.push(Event::Start(Tag::Strong));
            }
            Event::Text(t) if matches!(step, BoldNumber::Strong { .. }) => {
                if let BoldNumber::Strong { at, text_len } = step {
                    let whole = t
                        .strip_suffix('.')
                        .and_then(|n| n.parse::<u32>().ok())
                        .filter(|_| bold_numbers);
                    if let Some(n) = whole {
                        bold = BoldNumber::Number { at, text_len, n };
                    } else if let Some(deep) = DeepNumber::parse(t.trim()) {
                        bold = BoldNumber::Deep { at, text_len, deep };
                    }
                }
                text.push_str(&t);
                events.push(Event::Text(t));
            }
            Event::End(TagEnd::Strong) if matches!(step, BoldNumber::Number { .. }) => {
                if let BoldNumber::Number { at, text_len, n } = step {
                    let id = number_paragraph(
                        &mut out,
                        &mut ids,
                        &mut diagnostics,
                        n,
                        span_at(range.start),
                    );
                    events.truncate(at);
                    text.truncate(text_len);
                    events.push(Event::Html(CowStr::from(format!(
                        "<p id=\"{id}\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#{id}\" title=\"Link to paragraph {n}\">{n}.</a>"
                    ))));
                }
            }
            // `**1.1**`, `**(a)**`: a paragraph number in bold.
            Event::End(TagEnd::Strong) if matches!(step, BoldNumber::Deep { .. }) => {
                if let BoldNumber::Deep { at, text_len, deep } = step {
                    match deep_paragraph(&mut ids, &mut diagnostics, &deep, span_at(range.start)) {
                        Some(open) => {
                            out.anchors.push(open.id.clone());
                            events.truncate(at);
                            text.truncate(text_len);
                            events.push(Event::Html(CowStr::from(open.html)));
                        }
                        None => events.push(Event::End(TagEnd::Strong)),
                    }
                }
            }
            // `1.1 The purpose …`, `(a) the Panel …`: a paragraph number
            // written as the paragraph's first word.
            Event::Text(t)
                if matches!(step, BoldNumber::Paragraph { .. })
                    && DeepNumber::lead(&t).is_some() =>
            {
                let (deep, rest) = DeepNumber::lead(&t).expect("matched");
                let BoldNumber::Paragraph { at, text_len } = step else {
                    unreachable!("matched")
                };
                match deep_paragraph(&mut ids, &mut diagnostics, &deep, span_at(range.start)) {
                    Some(open) => {
                        out.anchors.push(open.id.clone());
                        events.truncate(at);
                        text.truncate(text_len);
                        events.push(Event::Html(CowStr::from(format!("{} ", open.html))));
                        text.push_str(rest);
                        events.push(Event::Text(CowStr::from(rest.to_string())));
                    }
                    None => {
                        text.push_str(&t);
                        events.push(Event::Text(t));
                    }
                }
            }
            Event::Start(Tag::List(start)) => {
                if list_depth == 0
                    && settings.numbered_paragraphs
                    && !bold_numbers
                    && let Some(first) = start
                {
                    para_list = Some(first as u32);
                    events.push(Event::Html(CowStr::Borrowed(
                        "<ol class=\"numbered-paragraphs\">\n",
                    )));
                    list_depth += 1;
                    continue;
                }
                list_depth += 1;
                events.push(Event::Start(Tag::List(start)));
            }
            Event::End(TagEnd::List(ordered)) => {
                list_depth -= 1;
                if list_depth == 0 && para_list.is_some() {
                    para_list = None;
                    events.push(Event::Html(CowStr::Borrowed("</ol>\n")));
                } else {
                    events.push(Event::End(TagEnd::List(ordered)));
                }
            }
            Event::Start(Tag::Item) if list_depth == 1 && para_list.is_some() => {
                let n = para_list.unwrap_or(1);
                para_list = Some(n + 1);
                let id = number_paragraph(
                    &mut out,
                    &mut ids,
                    &mut diagnostics,
                    n,
                    span_at(range.start),
                );
                events.push(Event::Html(CowStr::from(format!(
                    "<li id=\"{id}\" value=\"{n}\"><a class=\"para-link\" href=\"#{id}\" title=\"Link to paragraph {n}\">{n}.</a> "
                ))));
            }
            Event::End(TagEnd::Item) if list_depth == 1 && para_list.is_some() => {
                events.push(Event::Html(CowStr::Borrowed("</li>\n")));
            }
            Event::Text(t) => {
                text.push_str(&t);
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                text.push_str(&t);
                events.push(Event::Code(t));
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                text.push(' ');
                events.push(event);
            }
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"Table\">",
                )));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            Event::Start(Tag::Link { ref dest_url, .. })
            | Event::Start(Tag::Image { ref dest_url, .. }) => {
                // Only the part before a reference placeholder is the
                // author's own text; the placeholder is checked as a
                // reference.
                let written = dest_url.split(PLACEHOLDER_START).next().unwrap_or("");
                if let Some(problem) = crate::safe::url_problem(written) {
                    diagnostics.push(
                        Diagnostic::error(Some(span_at(range.start)), problem)
                            .with_help(crate::safe::URL_HELP),
                    );
                }
                events.push(event);
            }
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some((events.len(), range.start, String::new()));
                events.push(event);
            }
            Event::Html(t) => {
                if let Some((_, _, block)) = html_block.as_mut() {
                    block.push_str(&t);
                }
                events.push(Event::Html(t));
            }
            Event::End(TagEnd::HtmlBlock) => match html_block.take() {
                // An HTML comment is an author's note: it is not published.
                Some((at, _, block)) if is_comment(&block) => events.truncate(at),
                Some((_, start, _)) => {
                    raw_html.found(&mut diagnostics, span_at(start));
                    events.push(Event::End(TagEnd::HtmlBlock));
                }
                None => events.push(Event::End(TagEnd::HtmlBlock)),
            },
            Event::InlineHtml(t) => {
                if !is_comment(&t) {
                    raw_html.found(&mut diagnostics, span_at(range.start));
                    events.push(Event::InlineHtml(t));
                }
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(prepared.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    let html = fix_table_headers(&html);
    // Raw HTML is an error unless the site allows it; either way what is
    // published is sanitised.
    out.html = if raw_html.count > 0 {
        crate::safe::sanitise(&html)
    } else {
        html
    };
    raw_html.finish(&mut diagnostics);
    out.text = collapse_whitespace(&strip_placeholders(&text, &out.refs));
    // Records keep both for the whole build: no room to spare (the HTML was
    // given half as much again as the source, which is a third too much
    // for a typical body).
    out.html.shrink_to_fit();
    out.text.shrink_to_fit();
    (out, diagnostics)
}

/// A bullet list while its items arrive (`own-markers`).
struct MarkedList {
    /// Where its opening event is.
    at: usize,
    /// Whether every item so far starts with a marker of its own.
    marked: bool,
    /// An item has started and its first text has not come yet.
    first_text_due: bool,
}

/// Whether an item's text starts with a list marker of the document's own:
/// `i.`, `iv)`, `(a)`, `b.`, `12.`, `(3)`, followed by a space.
fn starts_with_own_marker(text: &str) -> bool {
    let t = text.trim_start();
    let (inner, rest) = match t.strip_prefix('(') {
        Some(r) => match r.split_once(')') {
            Some((inner, rest)) => (inner, rest),
            None => return false,
        },
        None => match t.find(['.', ')']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => return false,
        },
    };
    let roman =
        !inner.is_empty() && inner.len() <= 6 && inner.chars().all(|c| "ivxlcdm".contains(c));
    let letter = inner.len() == 1 && inner.chars().all(|c| c.is_ascii_lowercase());
    let number = !inner.is_empty() && inner.len() <= 3 && inner.chars().all(|c| c.is_ascii_digit());
    (roman || letter || number) && rest.starts_with(' ')
}

/// Where a paragraph number (`**N.**`, `**1.1**`, or `1.1` as the first
/// word) has got to while its events arrive: the paragraph's first event
/// is at `at` in the event list and its text started at `text_len`, so a
/// complete match can be rewritten in place.
#[derive(Clone)]
enum BoldNumber {
    Idle,
    Paragraph {
        at: usize,
        text_len: usize,
    },
    Strong {
        at: usize,
        text_len: usize,
    },
    Number {
        at: usize,
        text_len: usize,
        n: u32,
    },
    Deep {
        at: usize,
        text_len: usize,
        deep: DeepNumber,
    },
}

/// A paragraph number that is not a whole number, as a document writes
/// it: `1.1`, `2.3.1` (a final `.` allowed), `A.`; or a lettered or roman
/// item within a paragraph: `(a)`, `a)`, `(iv)`, `iv)`.
#[derive(Clone, Debug, PartialEq)]
struct DeepNumber {
    /// As written, shown as the paragraph's link: `1.1`, `(a)`.
    shown: String,
    /// As the anchor names it: `1.1`, `a`, `iv`, `A`.
    name: String,
    /// A lettered or roman item, numbered within the paragraph before it.
    sub: bool,
}

impl DeepNumber {
    fn parse(marker: &str) -> Option<DeepNumber> {
        let deep = |name: &str, sub: bool| {
            Some(DeepNumber {
                shown: marker.to_string(),
                name: name.to_string(),
                sub,
            })
        };
        let decimal = marker.strip_suffix('.').unwrap_or(marker);
        let parts: Vec<&str> = decimal.split('.').collect();
        if parts.len() >= 2
            && parts.len() <= 4
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return deep(decimal, false);
        }
        if let Some(letter) = marker.strip_suffix('.')
            && letter.len() == 1
            && letter.bytes().all(|b| b.is_ascii_uppercase())
        {
            return deep(letter, false);
        }
        let inner = match marker.strip_prefix('(') {
            Some(rest) => rest.strip_suffix(')')?,
            None => marker.strip_suffix(')')?,
        };
        let roman =
            !inner.is_empty() && inner.len() <= 6 && inner.chars().all(|c| "ivxlcdm".contains(c));
        let letter = inner.len() == 1 && inner.bytes().all(|b| b.is_ascii_alphabetic());
        (roman || letter).then(|| deep(inner, true)).flatten()
    }

    /// The number a paragraph's first text starts with, and the text after
    /// it. A decimal must be followed by a word that does not start in
    /// lower case, so "2.5 per cent of …" is not paragraph 2.5.
    fn lead(text: &str) -> Option<(DeepNumber, &str)> {
        let (marker, rest) = text.split_once(char::is_whitespace)?;
        let rest = rest.trim_start();
        let deep = DeepNumber::parse(marker)?;
        let decimal = !deep.sub && deep.name.contains('.');
        if rest.is_empty() || (decimal && rest.starts_with(|c: char| c.is_lowercase())) {
            return None;
        }
        Some((deep, rest))
    }
}

/// The opening of a paragraph numbered `1.1`, `(a)` …: its anchor and its
/// `<p>` with the link a reader can copy.
struct DeepOpen {
    id: String,
    html: String,
}

/// Anchors a paragraph numbered other than with a whole number. A lettered
/// or roman item is named within the numbered paragraph before it
/// (`para-2.3-a`, or `para-a` before any); a number the text has already
/// anchored is a warning, and the paragraph is left without an anchor.
fn deep_paragraph(
    ids: &mut Ids,
    diagnostics: &mut Vec<Diagnostic>,
    deep: &DeepNumber,
    span: Span,
) -> Option<DeepOpen> {
    let (name, title) = match (&ids.parent, deep.sub) {
        (Some(parent), true) => (
            format!("{parent}-{}", deep.name),
            format!("{parent}{}", deep.shown),
        ),
        _ => (deep.name.clone(), deep.shown.clone()),
    };
    let id = format!("para-{name}");
    if ids.used.contains(&id) {
        diagnostics.push(
            Diagnostic::warning(
                Some(span),
                format!("paragraph {title} is numbered twice, so this one has no anchor"),
            )
            .with_help(format!(
                "a reference to `#{id}` finds the first; check the numbering against the document, and write the number as the document does"
            )),
        );
        return None;
    }
    if !deep.sub {
        ids.parent = Some(deep.name.clone());
    }
    ids.used.insert(id.clone());
    let html = format!(
        "<p id=\"{id}\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#{id}\" title=\"Link to paragraph {title}\">{}</a>",
        escape_html(&deep.shown)
    );
    Some(DeepOpen { id, html })
}

/// Whether a line starts with a bold paragraph number, `**12.**`.
fn has_bold_numbers(source: &str) -> bool {
    source.lines().any(|line| {
        line.strip_prefix("**")
            .and_then(|rest| rest.split_once(".**"))
            .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// A heading whose end has not come yet: its level, explicit id and
/// classes, its text so far, and where its opening tag goes in the events.
struct OpenHeading {
    level: u8,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    at: usize,
}

/// The anchors of one text, for unique ids in constant time per heading.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    /// For each generated base id, the next number to try after it.
    next: HashMap<String, usize>,
    paragraphs: HashSet<u32>,
    /// The last paragraph numbered with a number (`2`, `2.3`, `A`): lettered
    /// and roman items after it are numbered within it.
    parent: Option<String>,
}

impl Ids {
    /// `base`, or `base-2`, `base-3` … whichever is free first. The counter
    /// per base only moves forward, so `n` repeats cost `n` steps in all.
    fn unique(&mut self, base: String) -> String {
        if !self.used.contains(&base) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if !self.used.contains(&candidate) {
                return candidate;
            }
        }
    }
}

/// Raw HTML met in one text: the first piece on each of the first few lines
/// is an error at its place (`<b>` and `</b>` on one line are one error),
/// the rest are counted in one more. The errors are waived when `site.yaml`
/// allows raw HTML.
#[derive(Default)]
struct RawHtml {
    count: usize,
    first: Option<Span>,
    last_line: u32,
}

impl RawHtml {
    const SHOWN: usize = 10;

    fn found(&mut self, diagnostics: &mut Vec<Diagnostic>, span: Span) {
        if span.line == self.last_line {
            return;
        }
        self.last_line = span.line;
        self.count += 1;
        if self.count <= Self::SHOWN {
            diagnostics.push(
                Diagnostic::error(Some(span.clone()), "raw HTML is not allowed in Markdown")
                    .with_help(crate::safe::RAW_HTML_HELP)
                    .waived_by(crate::safe::RAW_HTML_SETTING),
            );
        }
        self.first.get_or_insert(span);
    }

    fn finish(self, diagnostics: &mut Vec<Diagnostic>) {
        if self.count > Self::SHOWN
            && let Some(span) = self.first
        {
            diagnostics.push(
                Diagnostic::error(
                    Some(span),
                    format!(
                        "{} more pieces of raw HTML follow in this text",
                        self.count - Self::SHOWN
                    ),
                )
                .with_help(crate::safe::RAW_HTML_HELP)
                .waived_by(crate::safe::RAW_HTML_SETTING),
            );
        }
    }
}

/// Whether raw HTML is nothing but one comment, `<!-- … -->`.
fn is_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.len() >= 7 && t.find("-->") == Some(t.len() - 3)
}

/// Records paragraph `n` and returns its anchor; a number used twice is an
/// error at `span`.
fn number_paragraph(
    out: &mut Rendered,
    ids: &mut Ids,
    diagnostics: &mut Vec<Diagnostic>,
    n: u32,
    span: Span,
) -> String {
    let id = format!("para-{n}");
    if !ids.paragraphs.insert(n) {
        diagnostics.push(
            Diagnostic::error(Some(span), format!("paragraph {n} is numbered twice")).with_help(
                "each numbered paragraph needs its own number; check the list numbering",
            ),
        );
    }
    out.paragraphs.push(n);
    ids.parent = Some(n.to_string());
    ids.used.insert(id.clone());
    out.anchors.push(id.clone());
    id
}

/// pulldown-cmark writes `<th>` without a scope; header cells of a Markdown
/// table are always column headers. It aligns columns with `style`
/// attributes, which the Content-Security-Policy blocks: classes instead.
fn fix_table_headers(html: &str) -> String {
    if !html.contains("<th") {
        return html.to_string();
    }
    let mut html = html
        .replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=");
    if html.contains(" style=\"text-align: ") {
        for align in ["left", "center", "right"] {
            html = html.replace(
                &format!(" style=\"text-align: {align}\">"),
                &format!(" class=\"align-{align}\">"),
            );
        }
    }
    html
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Replaces every `[[…]]` outside code with a placeholder and parses it.
fn lift_references(
    source: &str,
    origin: &Origin,
    relation: Relation,
    diagnostics: &mut Vec<Diagnostic>,
) -> (String, Vec<Ref>) {
    if !source.contains("[[") {
        return (source.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(source.len());
    let mut refs = Vec::new();
    let mut in_fence: Option<&str> = None;
    for (line_index, line) in source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
            }
            out.push_str(line);
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(&trimmed[..3]);
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        let mut consumed_chars = 0usize;
        let mut in_code = false;
        while !rest.is_empty() {
            let next_tick = rest.find('`');
            let next_ref = if in_code { None } else { rest.find("[[") };
            match (next_tick, next_ref) {
                (Some(t), r) if r.is_none_or(|r| t < r) => {
                    in_code = !in_code;
                    consumed_chars += rest[..=t].chars().count();
                    out.push_str(&rest[..=t]);
                    rest = &rest[t + 1..];
                }
                (_, Some(r)) => {
                    let Some(close) = rest[r + 2..].find("]]") else {
                        // An unclosed reference would be published as raw
                        // `[[…` text: say so rather than let it through.
                        let span = Span::new(
                            origin.file.clone(),
                            origin.line + line_index as u32,
                            origin.col + (consumed_chars + rest[..r].chars().count()) as u32,
                        );
                        diagnostics.push(
                            Diagnostic::error(Some(span), "this reference has no closing `]]` on its line")
                                .with_help("keep the whole reference on one line, e.g. `[[decision 004/2014#para-20|paragraph 20]]`; a line break inside `[[…]]` ends it"),
                        );
                        out.push_str(rest);
                        break;
                    };
                    out.push_str(&rest[..r]);
                    consumed_chars += rest[..r].chars().count();
                    let inner = &rest[r + 2..r + 2 + close];
                    let span = Span::new(
                        origin.file.clone(),
                        origin.line + line_index as u32,
                        origin.col + consumed_chars as u32,
                    );
                    match parse_reference(inner, &span, relation) {
                        Ok(reference) => {
                            out.push_str(&placeholder(&reference));
                            refs.push(reference);
                        }
                        Err(d) => {
                            diagnostics.push(d);
                            out.push_str(inner);
                        }
                    }
                    consumed_chars += rest[r..r + 4 + close].chars().count();
                    rest = &rest[r + 4 + close..];
                }
                _ => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    (out, refs)
}

/// A reference's stand-in in HTML: it carries the target itself, so the
/// render stage can resolve it wherever the HTML ends up, e.g.
/// `\u{E000}decision 004-2014#para-3|the decision\u{E001}`.
fn placeholder(reference: &Ref) -> String {
    let t = &reference.target;
    let mut s = String::new();
    s.push(PLACEHOLDER_START);
    s.push_str(t.kind.keyword());
    s.push(' ');
    s.push_str(&t.key);
    if let Some(f) = &t.fragment {
        s.push('#');
        s.push_str(f);
    }
    if let Some(l) = &reference.label {
        s.push('|');
        s.push_str(l);
    }
    s.push(PLACEHOLDER_END);
    s
}

/// The parts of a placeholder's inside: kind, key, fragment, label.
pub fn parse_placeholder(
    inner: &str,
) -> Option<(crate::types::Kind, &str, Option<&str>, Option<&str>)> {
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(l)),
        None => (inner, None),
    };
    let (kind, rest) = target.split_once(' ')?;
    let kind = crate::types::Kind::from_keyword(kind)?;
    let (key, fragment) = match rest.split_once('#') {
        Some((k, f)) => (k, Some(f)),
        None => (rest, None),
    };
    Some((kind, key, fragment, label))
}

/// Replaces placeholders in `text` by the reference's label (or its id).
fn strip_placeholders(text: &str, _refs: &[Ref]) -> String {
    replace_placeholders(text, |inner| match parse_placeholder(inner) {
        Some((_, _, _, Some(label))) => label.to_string(),
        Some((_, key, _, None)) => key.to_string(),
        None => String::new(),
    })
}

/// Calls `f` with each placeholder's inside and splices in what it returns.
pub fn replace_placeholders(text: &str, mut f: impl FnMut(&str) -> String) -> String {
    if !text.contains(PLACEHOLDER_START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(start) = rest.find(PLACEHOLDER_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + PLACEHOLDER_START.len_utf8()..];
        match after.find(PLACEHOLDER_END) {
            Some(end) => {
                out.push_str(&f(&after[..end]));
                rest = &after[end + PLACEHOLDER_END.len_utf8()..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// `text` with each run of whitespace made one space and none at the ends,
/// as `split_whitespace` would have it. Walks bytes: this runs over every
/// body of a large site, and almost all of it is ASCII.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, width) = if b < 0x80 {
            (
                matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0B' | b'\x0C'),
                1,
            )
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (c.is_whitespace(), c.len_utf8())
        };
        match (space, word_start) {
            (true, Some(start)) => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&text[start..i]);
                word_start = None;
            }
            (false, None) => word_start = Some(i),
            _ => {}
        }
        i += width;
    }
    if let Some(start) = word_start {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..]);
    }
    out
}

/// An id for a heading from its text (its slug), or `section` when the
/// text has no letter or digit to make one from.
fn heading_id(text: &str) -> String {
    match slug(text) {
        id if id.is_empty() => "section".to_string(),
        id => id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Kind;

    fn origin() -> Origin {
        Origin {
            file: "content/decisions/x.md".into(),
            line: 10,
            col: 1,
        }
    }

    #[test]
    fn references_become_placeholders_with_exact_positions() {
        let src = "Intro.\n\nSee [[decision 004/2014#para-3]] and `[[not a ref]]`.\n";
        let (r, d) = render(src, &origin(), Settings::default());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.refs.len(), 1);
        assert_eq!(r.refs[0].target.kind, Kind::Decision);
        assert_eq!(r.refs[0].span.line, 12);
        assert_eq!(r.refs[0].span.col, 5);
        assert!(r.html.contains('\u{E000}'));
        assert!(r.html.contains("[[not a ref]]"));
    }

    #[test]
    fn numbered_paragraphs_get_anchors_across_headings() {
        let src =
            "1. First.\n\n## Background {#background}\n\n2. Second.\n   - a bullet\n3. Third.\n";
        let settings = Settings {
            numbered_paragraphs: true,
            heading_shift: 1,
            ..Settings::default()
        };
        let (r, d) = render(src, &origin(), settings);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.paragraphs, vec![1, 2, 3]);
        assert!(r.html.contains("<li id=\"para-2\" value=\"2\">"));
        assert!(r.html.contains("<h3 id=\"background\">"));
        assert!(r.html.contains("<ul>"));
        assert!(r.anchors.contains(&"para-3".to_string()));
    }

    #[test]
    fn deep_paragraph_numbers_get_anchors_and_copy_links() {
        let src = "## 1.0 Purpose of Report\n\n1.1 The purpose of this report.\n\n\
                   **2.1** In bold.\n\n2.3.1 Deeper.\n\n(a) a lettered item\n\n\
                   ii) a roman item\n\nA. A part.\n\n2.5 per cent is not a number.\n\n\
                   > 3.1 Quoted, not numbered.\n";
        let settings = Settings {
            numbered_paragraphs: true,
            ..Settings::default()
        };
        let (r, d) = render(src, &origin(), settings);
        assert!(d.is_empty(), "{d:?}");
        assert!(r.html.contains(
            "<p id=\"para-1.1\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#para-1.1\" title=\"Link to paragraph 1.1\">1.1</a> The purpose of this report.</p>"
        ), "{}", r.html);
        assert!(r.html.contains("<p id=\"para-2.1\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#para-2.1\" title=\"Link to paragraph 2.1\">2.1</a> In bold.</p>"), "{}", r.html);
        for id in ["para-2.3.1", "para-2.3.1-a", "para-2.3.1-ii", "para-A"] {
            assert!(
                r.anchors.contains(&id.to_string()),
                "no {id}: {:?}",
                r.anchors
            );
        }
        assert!(
            r.html
                .contains("title=\"Link to paragraph 2.3.1(a)\">(a)</a> a lettered item")
        );
        assert!(r.html.contains("<p>2.5 per cent is not a number.</p>"));
        assert!(!r.anchors.contains(&"para-3.1".to_string()));
        // Outside a numbered document, nothing is numbered.
        let (r, _) = render(src, &origin(), Settings::default());
        assert!(!r.html.contains("para-1.1"));
        // A lettered item before any number is `para-a`.
        let (r, _) = render("(a) First.\n\n(b) Second.\n", &origin(), settings);
        assert_eq!(r.anchors, vec!["para-a", "para-b"]);
    }

    #[test]
    fn a_repeated_deep_paragraph_number_is_a_warning_at_its_place() {
        let src = "1.1 One.\n\n1.2 Two.\n\n1.1 One again.\n";
        let settings = Settings {
            numbered_paragraphs: true,
            ..Settings::default()
        };
        let (r, d) = render(src, &origin(), settings);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(!d[0].is_error());
        assert!(d[0].message.contains("paragraph 1.1 is numbered twice"));
        let span = d[0].span.as_ref().unwrap();
        assert_eq!((span.line, span.col), (14, 1));
        assert_eq!(r.anchors, vec!["para-1.1", "para-1.2"]);
        assert!(r.html.contains("<p>1.1 One again.</p>"));
    }

    #[test]
    fn a_repeated_paragraph_number_is_an_error() {
        let src = "1. One.\n\n## H\n\n1. One again.\n";
        let settings = Settings {
            numbered_paragraphs: true,
            ..Settings::default()
        };
        let (_, d) = render(src, &origin(), settings);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("paragraph 1 is numbered twice"));
        assert_eq!(d[0].span.as_ref().unwrap().line, 14);
    }

    #[test]
    fn bold_numbers_number_paragraphs_and_leave_ordered_lists_alone() {
        let src = "## Summary\n\n**1.** First.\n\n**2.** Second, with **bold**.\n\n\
                   1. a list item\n2. another\n\n**3.** Third.\n\n**Note.** Not numbered.\n";
        let settings = Settings {
            numbered_paragraphs: true,
            ..Settings::default()
        };
        let (r, d) = render(src, &origin(), settings);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.paragraphs, vec![1, 2, 3]);
        assert!(r.html.contains(
            "<p id=\"para-2\" class=\"numbered-paragraph\"><a class=\"para-link\" href=\"#para-2\" title=\"Link to paragraph 2\">2.</a> Second, with <strong>bold</strong>.</p>"
        ), "{}", r.html);
        assert!(r.html.contains("<ol>\n<li>a list item</li>"), "{}", r.html);
        assert!(
            r.html
                .contains("<p><strong>Note.</strong> Not numbered.</p>")
        );
        assert!(!r.text.contains("2."), "{}", r.text);

        let (_, d) = render("**1.** One.\n\n**1.** Again.\n", &origin(), settings);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("paragraph 1 is numbered twice"));
        assert_eq!(d[0].span.as_ref().unwrap().line, 12);

        // Outside a numbered document, bold text is only bold.
        let (r, _) = render("**1.** One.\n", &origin(), Settings::default());
        assert!(r.paragraphs.is_empty());
        assert!(r.html.contains("<p><strong>1.</strong> One.</p>"));
    }

    #[test]
    fn whitespace_collapses_as_split_whitespace_would() {
        for text in [
            "",
            "   ",
            "one",
            "  one  two\t\nthree\r\n",
            "a\u{a0}b\u{2003} c\u{3000}",
            "caf\u{e9}  \u{1F600}\x0Bend\x0C",
            "\u{85}x\u{2028}",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(text), expected, "{text:?}");
        }
    }

    #[test]
    fn repeated_generated_ids_are_numbered_but_explicit_ones_must_be_unique() {
        let (r, d) = render(
            "### How we will measure success\n\n### How we will measure success\n",
            &origin(),
            Settings::default(),
        );
        assert!(d.is_empty());
        assert_eq!(
            r.anchors,
            [
                "how-we-will-measure-success",
                "how-we-will-measure-success-2"
            ]
        );
        let (_, d) = render("## A {#x}\n\n## B {#x}\n", &origin(), Settings::default());
        assert_eq!(d.len(), 1);
        // A generated id steps over one already taken, and so does the
        // next one after it.
        let (r, d) = render(
            "## A {#a-2}\n\n## A\n\n## A\n\n## A 2\n",
            &origin(),
            Settings::default(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(r.anchors, ["a-2", "a", "a-3", "a-2-2"]);
    }

    #[test]
    fn headings_get_ids_from_text() {
        let (r, _) = render(
            "## Rebuilding community policing\n",
            &origin(),
            Settings::default(),
        );
        assert_eq!(r.headings[0].id, "rebuilding-community-policing");
        assert_eq!(r.text, "Rebuilding community policing");
    }

    #[test]
    fn a_bullet_list_with_its_own_markers_shows_only_those() {
        let (r, _) = render(
            "- i. The objectives;\n- ii. The policing;\n  - (a) Community safety\n  - (b) Victims\n",
            &origin(),
            Settings::default(),
        );
        assert_eq!(
            r.html.matches("<ul class=\"own-markers\">").count(),
            2,
            "{}",
            r.html
        );
        // One item without a marker of its own keeps the bullets.
        let (r, _) = render(
            "- i. The objectives;\n- The policing\n",
            &origin(),
            Settings::default(),
        );
        assert!(!r.html.contains("own-markers"), "{}", r.html);
        assert!(r.html.contains("<ul>"), "{}", r.html);
        for (text, marked) in [
            ("iv. x", true),
            ("(a) x", true),
            ("b) x", true),
            ("12. x", true),
            ("Item x", false),
            ("i.x", false),
            ("e.g. x", false),
        ] {
            assert_eq!(starts_with_own_marker(text), marked, "{text}");
        }
    }

    #[test]
    fn tables_get_scoped_headers_in_a_scroll_region() {
        let (r, _) = render(
            "| a | b |\n|---|--:|\n| 1 | 2 |\n",
            &origin(),
            Settings::default(),
        );
        assert!(r.html.contains("<th scope=\"col\">a</th>"));
        assert!(r.html.contains("role=\"region\""));
    }
}
