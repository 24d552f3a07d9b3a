//! Faithfulness of the published Police and Crime Plan 2021–2025 to its source.
//!
//! The source is the plain-text extraction of the plan's PDF
//! (`../shared/seeds/004_186be320bc351758.txt`). On the plan's body (from the
//! second line reading "Section 1: West Midlands Police" to the end) two rules
//! are checked (see helper-notes/common.md, "The plan's faithfulness rules"):
//!
//! 1. every "I will" fragment of the body appears in the `text` of some
//!    commitment in `content/commitments/*.yaml` (after the repairs listed in
//!    `tests/data/plan-repairs/*.txt`, lines `SEED FRAGMENT => REPAIRED FRAGMENT`);
//! 2. every "How we will measure success:" list block is covered by the
//!    `definition`s and `context`s of the metrics in `content/metrics/*.yaml`.
//!
//! Both sides are normalised the same way: lines joined with spaces, bullet
//! characters (• ·) and a leading "o " / "- " / "* " on a line dropped, curly
//! quotes made straight and whitespace collapsed. YAML texts may hold Markdown:
//! `[[kind id|words]]` becomes `words`, `[[kind id]]` disappears, and the
//! emphasis markers `**` and `_` are dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/seeds/004_186be320bc351758.txt"
);
const CONTENT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
const REPAIRS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/plan-repairs");

/// The heading whose second occurrence starts the plan's body (the first is
/// in the table of contents).
const BODY_HEADING: &str = "Section 1: West Midlands Police";
const MEASURE_HEADING: &str = "How we will measure success:";
const EXPECTED_BLOCKS: usize = 20;

// ---------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------

/// One line of text, cleaned: bullet characters dropped, curly quotes made
/// straight, and one leading list marker ("o ", "- ", "* ") dropped.
fn clean_line(line: &str) -> String {
    let cleaned: String = line
        .chars()
        .filter(|&c| c != '•' && c != '·')
        .map(|c| match c {
            '‘' | '’' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_start();
    for marker in ["o ", "- ", "* "] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            return rest.to_string();
        }
    }
    trimmed.to_string()
}

/// Normalises a run of lines: each line cleaned, lines joined with spaces,
/// whitespace collapsed to single spaces.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        for word in clean_line(line).split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Removes the Markdown a YAML text may hold: `[[kind id|words]]` → `words`,
/// `[[kind id]]` → nothing, and the emphasis markers `**` and `_`.
fn strip_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("]]") {
            Some(end) => {
                if let Some((_, words)) = after[..end].split_once('|') {
                    out.push_str(words);
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "").replace('_', "")
}

/// Normalises a YAML (Markdown) text.
fn normalise_yaml(text: &str) -> String {
    normalise(&strip_markdown(text))
}

// ---------------------------------------------------------------------------
// Extraction from the seed
// ---------------------------------------------------------------------------

/// The plan's body: the seed's lines (with their 1-based line numbers) from
/// the second line that, trimmed, equals `BODY_HEADING`.
fn body_lines(seed: &str) -> Vec<(usize, &str)> {
    let lines: Vec<(usize, &str)> = seed.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let start = lines
        .iter()
        .enumerate()
        .filter(|(_, (_, l))| l.trim() == BODY_HEADING)
        .map(|(i, _)| i)
        .nth(1)
        .unwrap_or_else(|| panic!("the seed has no second {BODY_HEADING:?} line"));
    lines[start..].to_vec()
}

/// The normalised body text, and for each seed line the byte offset in that
/// text where the line's words start (to report where a fragment comes from).
fn normalised_with_lines(lines: &[(usize, &str)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::new();
    let mut starts = Vec::with_capacity(lines.len());
    for &(number, line) in lines {
        let cleaned = clean_line(line);
        let mut words = cleaned.split_whitespace().peekable();
        if words.peek().is_some() {
            if !out.is_empty() {
                out.push(' ');
            }
            starts.push((out.len(), number));
            let mut first = true;
            for word in words {
                if !first {
                    out.push(' ');
                }
                first = false;
                out.push_str(word);
            }
        }
    }
    (out, starts)
}

/// The seed line a byte offset of the normalised body belongs to.
fn line_at(starts: &[(usize, usize)], offset: usize) -> usize {
    match starts.binary_search_by(|&(start, _)| start.cmp(&offset)) {
        Ok(i) => starts[i].1,
        Err(0) => starts.first().map_or(0, |s| s.1),
        Err(i) => starts[i - 1].1,
    }
}

/// Every "I will" fragment of a normalised text, with its byte offset: from
/// "I will" up to (not including) the next ". ", "? ", "! " or ": ", or to the
/// end of the text.
fn will_fragments(text: &str) -> Vec<(usize, &str)> {
    text.match_indices("I will")
        .map(|(start, _)| {
            let rest = &text[start..];
            let end = [". ", "? ", "! ", ": "]
                .iter()
                .filter_map(|t| rest.find(t))
                .min()
                .unwrap_or(rest.len());
            (start, &rest[..end])
        })
        .collect()
}

/// One "How we will measure success:" list block: the seed line of its first
/// taken line and its raw lines.
#[derive(Debug)]
struct Block {
    line: usize,
    lines: Vec<String>,
}

impl Block {
    fn normalised(&self) -> String {
        normalise(&self.lines.join("\n"))
    }
}

fn only_bullets_or_blank(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || c == '•' || c == '·')
}

/// The list blocks after each "How we will measure success:" line: lines that
/// are only bullets or blank are skipped, then lines are taken until a blank
/// line, or a line starting with a space once at least one line was taken.
fn measure_blocks(lines: &[(usize, &str)]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (i, &(_, line)) in lines.iter().enumerate() {
        if line.trim() != MEASURE_HEADING {
            continue;
        }
        let mut j = i + 1;
        while j < lines.len() && only_bullets_or_blank(lines[j].1) {
            j += 1;
        }
        let mut block = Block {
            line: lines.get(j).map_or(0, |l| l.0),
            lines: Vec::new(),
        };
        while j < lines.len() {
            let l = lines[j].1;
            if l.trim().is_empty() || (!block.lines.is_empty() && l.starts_with(' ')) {
                break;
            }
            block.lines.push(l.to_string());
            j += 1;
        }
        blocks.push(block);
    }
    blocks
}

// ---------------------------------------------------------------------------
// Repairs
// ---------------------------------------------------------------------------

/// Parses one repairs file: lines `SEED FRAGMENT => REPAIRED FRAGMENT`; blank
/// lines and lines starting with `#` are ignored. Both sides are normalised.
/// Returns (line number, seed fragment, repaired fragment).
fn parse_repairs(text: &str) -> Result<Vec<(usize, String, String)>, String> {
    let mut repairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (seed, repaired) = trimmed
            .split_once("=>")
            .ok_or_else(|| format!("line {}: no `=>` in {trimmed:?}", i + 1))?;
        let (seed, repaired) = (normalise(seed), normalise(repaired));
        if seed.is_empty() || repaired.is_empty() {
            return Err(format!("line {}: empty side in {trimmed:?}", i + 1));
        }
        repairs.push((i + 1, seed, repaired));
    }
    Ok(repairs)
}

/// All repairs of `tests/data/plan-repairs/*.txt` (the folder may not exist).
fn load_repairs() -> BTreeMap<String, (String, String)> {
    let mut map: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut errors = Vec::new();
    for path in files_in(Path::new(REPAIRS), &["txt"]) {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        match parse_repairs(&text) {
            Ok(repairs) => {
                for (line, seed, repaired) in repairs {
                    let place = format!("{}:{line}", path.display());
                    if let Some((old, old_place)) = map.get(&seed) {
                        if *old != repaired {
                            errors.push(format!(
                                "{place}: {seed:?} is repaired differently at {old_place}"
                            ));
                        }
                        continue;
                    }
                    map.insert(seed, (repaired, place));
                }
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(errors.is_empty(), "bad repairs:\n{}", errors.join("\n"));
    map
}

// ---------------------------------------------------------------------------
// Content
// ---------------------------------------------------------------------------

/// The fields of a commitment or metric this test reads; others are ignored.
#[derive(Debug, Deserialize)]
struct Entry {
    text: Option<String>,
    definition: Option<String>,
    context: Option<String>,
}

/// Files directly in `dir` with one of the extensions, sorted, skipping names
/// starting with `_` or `.`. A missing folder has no files.
fn files_in(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .map(|e| e.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with('_')
                && !name.starts_with('.')
                && p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.contains(&x))
        })
        .collect();
    files.sort();
    files
}

/// The entries of every list file in `content/<kind>/`, and how many files.
fn load_entries(kind: &str) -> (Vec<Entry>, usize) {
    let dir = Path::new(CONTENT).join(kind);
    let files = files_in(&dir, &["yaml", "yml"]);
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        match serde_saphyr::from_str::<Vec<Entry>>(&text) {
            Ok(list) => entries.extend(list),
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(
        errors.is_empty(),
        "cannot read {kind} files:\n{}",
        errors.join("\n")
    );
    (entries, files.len())
}

fn read_seed() -> String {
    std::fs::read_to_string(SEED).unwrap_or_else(|e| panic!("cannot read the seed {SEED}: {e}"))
}

// ---------------------------------------------------------------------------
// Coverage of a block
// ---------------------------------------------------------------------------

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || ('\u{2010}'..='\u{205E}').contains(&c)
}

/// Removes every piece from the block (longest first, so a short piece cannot
/// break a longer one) and returns what is left that is more than punctuation
/// and whitespace, as the separate stretches between removed pieces.
fn uncovered(block: &str, pieces: &[String]) -> Vec<String> {
    const CUT: char = '\u{1}';
    let mut pieces: Vec<&str> = pieces
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    pieces.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut rest = block.to_string();
    for piece in pieces {
        if rest.contains(piece) {
            rest = rest.replace(piece, &CUT.to_string());
        }
    }
    rest.split(CUT)
        .map(|s| s.trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c)))
        .filter(|s| s.chars().any(|c| !c.is_whitespace() && !is_punctuation(c)))
        .map(str::to_string)
        .collect()
}

// ---------------------------------------------------------------------------
// The two rules
// ---------------------------------------------------------------------------

#[test]
fn seed_extraction_counts() {
    let seed = read_seed();
    let body = body_lines(&seed);
    let (text, starts) = normalised_with_lines(&body);
    let fragments = will_fragments(&text);
    let blocks = measure_blocks(&body);
    // Shown with `cargo test --test faithfulness seed_extraction_counts -- --nocapture`.
    for &(offset, fragment) in &fragments {
        println!(
            "  fragment at line {}: {fragment}",
            line_at(&starts, offset)
        );
    }
    println!(
        "body starts at seed line {}; {} \"I will\" fragments; {} measure blocks",
        body[0].0,
        fragments.len(),
        blocks.len()
    );
    for b in &blocks {
        println!(
            "  block at line {} ({} lines): {}",
            b.line,
            b.lines.len(),
            b.normalised()
        );
    }
    assert_eq!(blocks.len(), EXPECTED_BLOCKS, "measure blocks found");
    assert!(
        blocks.iter().all(|b| !b.lines.is_empty()),
        "an empty measure block"
    );
    assert!(
        fragments.len() >= 200,
        "only {} \"I will\" fragments",
        fragments.len()
    );
}

#[test]
fn every_i_will_is_a_commitment() {
    let seed = read_seed();
    let body = body_lines(&seed);
    let (text, starts) = normalised_with_lines(&body);
    let fragments = will_fragments(&text);
    println!("{} \"I will\" fragments in the plan body", fragments.len());

    let (entries, files) = load_entries("commitments");
    assert!(
        files > 0,
        "no files in {CONTENT}/commitments: nothing to check the plan against"
    );
    let texts: Vec<String> = entries
        .iter()
        .filter_map(|e| e.text.as_deref())
        .map(normalise_yaml)
        .collect();
    println!("{} commitments with a text in {files} files", texts.len());

    let repairs = load_repairs();
    let mut used = BTreeSet::new();
    let mut missing: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for &(offset, fragment) in &fragments {
        let wanted = match repairs.get(fragment) {
            Some((repaired, _)) => {
                used.insert(fragment.to_string());
                repaired.as_str()
            }
            None => fragment,
        };
        if texts.iter().any(|t| t.contains(wanted)) || !seen.insert(wanted.to_string()) {
            continue;
        }
        let line = line_at(&starts, offset);
        if wanted == fragment {
            missing.push(format!("  seed line {line}: {fragment}"));
        } else {
            missing.push(format!(
                "  seed line {line}: {wanted}\n    (repair of: {fragment})"
            ));
        }
    }
    for (seed_fragment, (_, place)) in &repairs {
        if !used.contains(seed_fragment) {
            println!("note: repair at {place} matches no fragment of the seed: {seed_fragment}");
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} \"I will\" fragments appear in no commitment's text:\n{}",
        missing.len(),
        fragments.len(),
        missing.join("\n")
    );
}

#[test]
fn every_measure_of_success_is_a_metric() {
    let seed = read_seed();
    let body = body_lines(&seed);
    let blocks = measure_blocks(&body);
    println!(
        "{} \"How we will measure success\" blocks in the plan body",
        blocks.len()
    );
    assert_eq!(blocks.len(), EXPECTED_BLOCKS, "measure blocks found");

    let (entries, files) = load_entries("metrics");
    let pieces: Vec<String> = entries
        .iter()
        .flat_map(|e| [e.definition.as_deref(), e.context.as_deref()])
        .flatten()
        .map(normalise_yaml)
        .collect();
    println!("{} metrics in {files} files", entries.len());

    let mut report = Vec::new();
    let mut count = 0;
    for block in &blocks {
        let left = uncovered(&block.normalised(), &pieces);
        if !left.is_empty() {
            count += left.len();
            report.push(format!(
                "  block at seed line {}:\n{}",
                block.line,
                left.iter()
                    .map(|l| format!("    - {l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(
        report.is_empty(),
        "{count} stretches of {} measure blocks ({} blocks affected) are covered by no metric's definition or context:\n{}",
        blocks.len(),
        report.len(),
        report.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Unit tests of the helpers
// ---------------------------------------------------------------------------

#[test]
fn clean_line_drops_bullets_markers_and_curly_quotes() {
    assert_eq!(clean_line("•"), "");
    assert_eq!(clean_line("· item"), "item");
    assert_eq!(clean_line("o Domestic Abuse > 6%"), "Domestic Abuse > 6%");
    assert_eq!(clean_line("  - nested item"), "nested item");
    assert_eq!(clean_line("* star item"), "star item");
    // Only one marker, and only at the start of a line.
    assert_eq!(clean_line("- o x"), "o x");
    assert_eq!(clean_line("aware - as a survivor"), "aware - as a survivor");
    assert_eq!(clean_line("organisation"), "organisation");
    assert_eq!(
        clean_line("Police’s “cyber champions”"),
        "Police's \"cyber champions\""
    );
}

#[test]
fn normalise_joins_lines_and_collapses_whitespace() {
    assert_eq!(
        normalise("I will work with\n  West Midlands\u{a0}Police\n•\n\no to  ensure"),
        "I will work with West Midlands Police to ensure"
    );
    assert_eq!(normalise(""), "");
}

#[test]
fn yaml_markdown_is_stripped() {
    assert_eq!(
        normalise_yaml("I will **rebuild** _community_ policing [[metric x-y|in the area]]."),
        "I will rebuild community policing in the area."
    );
    assert_eq!(
        normalise_yaml("See [[commitment rebuild-community-policing]] here"),
        "See here"
    );
    assert_eq!(
        normalise_yaml("Monitor across the following:\n\n- Workforce\n- Recruitment\n"),
        "Monitor across the following: Workforce Recruitment"
    );
    assert_eq!(normalise_yaml("unclosed [[metric x"), "unclosed [[metric x");
}

#[test]
fn fragments_stop_at_sentence_or_colon() {
    let text = "Intro. I will do A. I will do B: list. And I will do C? x I will do D! I will end";
    let got: Vec<&str> = will_fragments(text).into_iter().map(|(_, f)| f).collect();
    assert_eq!(
        got,
        [
            "I will do A",
            "I will do B",
            "I will do C",
            "I will do D",
            "I will end"
        ]
    );
    // A full stop not followed by a space does not end the fragment.
    let got: Vec<&str> = will_fragments("I will pay £1.5m now. Next")
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    assert_eq!(got, ["I will pay £1.5m now"]);
}

#[test]
fn fragments_are_traced_to_seed_lines() {
    let lines = [
        (10, "Intro text and"),
        (11, "•"),
        (12, "then I"),
        (13, "will act."),
    ];
    let (text, starts) = normalised_with_lines(&lines);
    assert_eq!(text, "Intro text and then I will act.");
    let frags = will_fragments(&text);
    assert_eq!(frags.len(), 1);
    assert_eq!(frags[0].1, "I will act.");
    assert_eq!(line_at(&starts, frags[0].0), 12);
}

#[test]
fn body_starts_at_second_heading() {
    let seed =
        "Contents\nSection 1: West Midlands Police\nx\n Section 1: West Midlands Police \nbody";
    let body = body_lines(seed);
    assert_eq!(body[0].0, 4);
    assert_eq!(body.len(), 2);
}

#[test]
fn block_extraction() {
    let seed = "\
Prose before.
How we will measure success:
•
•

•

First item that
continues here
o Sub item
Second item
 A heading with a leading space
More prose.
 How we will measure success:
•
 Leading-space first line is taken
and its continuation

Not in the block
How we will measure success:
•
Last item at end of file";
    let lines: Vec<(usize, &str)> = seed.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let blocks = measure_blocks(&lines);
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[0].line, 8);
    assert_eq!(
        blocks[0].normalised(),
        "First item that continues here Sub item Second item"
    );
    assert_eq!(
        blocks[1].normalised(),
        "Leading-space first line is taken and its continuation"
    );
    assert_eq!(blocks[2].normalised(), "Last item at end of file");
}

#[test]
fn repairs_parsing() {
    let text = "\
# comment line
   # indented comment

I will ensure that West  Midlands Police is engaging => I will ensure that West Midlands Police is engaging appropriately
I will “x” •  => I will 'y'
";
    let repairs = parse_repairs(text).unwrap();
    assert_eq!(
        repairs,
        vec![
            (
                4,
                "I will ensure that West Midlands Police is engaging".to_string(),
                "I will ensure that West Midlands Police is engaging appropriately".to_string()
            ),
            (5, "I will \"x\"".to_string(), "I will 'y'".to_string()),
        ]
    );
    assert!(
        parse_repairs("no arrow here")
            .unwrap_err()
            .contains("line 1")
    );
    assert!(parse_repairs(" => only right").is_err());
}

#[test]
fn coverage_removes_pieces_longest_first() {
    let block = "Increase rates historically: Domestic Abuse > 6% Rape > 5% Monitor robbery of personal property. Monitor robbery";
    let pieces = vec![
        "Increase rates historically:".to_string(),
        "Domestic Abuse > 6%".to_string(),
        "Monitor robbery".to_string(),
        "Monitor robbery of personal property".to_string(),
        String::new(),
    ];
    assert_eq!(uncovered(block, &pieces), ["Rape > 5%"]);
    let all: Vec<String> = pieces
        .iter()
        .cloned()
        .chain(["Rape > 5%".to_string()])
        .collect();
    assert!(uncovered(block, &all).is_empty());
    assert_eq!(
        uncovered(
            "Only – punctuation; left.",
            &["Only".into(), "punctuation".into(), "left".into()]
        ),
        Vec::<String>::new()
    );
}

#[test]
fn entries_ignore_other_fields() {
    let yaml = "\
- id: a
  text: I will do it.
  plan: 2021-2025
  status: not-reported
- id: m
  name: M
  definition: |
    Monitor across:
    - Workforce
  commitments: [a]
  target_value: 6
";
    let entries: Vec<Entry> = serde_saphyr::from_str(yaml).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].text.as_deref(), Some("I will do it."));
    assert_eq!(
        normalise_yaml(entries[1].definition.as_deref().unwrap()),
        "Monitor across: Workforce"
    );
    assert!(entries[1].context.is_none());
}
