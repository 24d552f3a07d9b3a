//! The shape of the code, as ARCHITECTURE.md states it: the top-level
//! modules form a pipeline, so the graph of which module names which has no
//! cycle, and the code map names every module and every test file.
//!
//! The graph is read from the source text, not from the compiler: every
//! `crate::NAME` path (in `use` lines, in groups such as
//! `use crate::{a, b::c}`, and in expressions) is an arrow from the file's
//! top-level module (`src/NAME.rs` or `src/NAME/`) to `NAME`. `super::`
//! never leaves a folder module, so it adds no arrow. Comments and string
//! literals are skipped, so a doc comment that names a module is no import.
//! `#[cfg(test)]` code counts like any other: a unit test that needs a
//! higher stage belongs in that stage's module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

/// The top-level module a file belongs to; `None` for the crate root and
/// the binary, which declare modules rather than import them.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") => None,
        Some(stem) => Some(stem.to_string()),
        None => Some(first),
    }
}

/// The source with comments and the contents of string and character
/// literals blanked out (lengths and newlines kept, so line numbers hold).
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && raw_may_start(&b, i) {
            // A raw string r"…" or r#"…"#; `r#ident` is a raw identifier.
            let mut j = i + 1;
            while b.get(j) == Some(&'#') {
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let hashes = j - i - 1;
            let close: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            while i <= j {
                blank(&mut out, b[i]);
                i += 1;
            }
            while i < b.len() && !b[i..].starts_with(&close) {
                blank(&mut out, b[i]);
                i += 1;
            }
            for _ in 0..close.len().min(b.len() - i) {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if c == '"' {
            blank(&mut out, c);
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            if i < b.len() {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if c == '\'' && (next == Some('\\') || b.get(i + 2) == Some(&'\'')) {
            // A character literal ('x', '\n', '\''); otherwise a lifetime.
            blank(&mut out, c);
            i += 1;
            if b.get(i) == Some(&'\\') {
                blank(&mut out, b[i]);
                i += 1;
            }
            while i < b.len() && b[i] != '\'' {
                blank(&mut out, b[i]);
                i += 1;
            }
            if i < b.len() {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `r` at `i` can open a raw string: it starts a word, or follows the `b`
/// of a raw byte string.
fn raw_may_start(b: &[char], i: usize) -> bool {
    !ident_before(b, i) || (b[i - 1] == 'b' && !ident_before(b, i - 1))
}

fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

fn ident_at(b: &[char], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
        name.push(b[i]);
        i += 1;
    }
    (name, i)
}

fn skip_space(b: &[char], mut i: usize) -> usize {
    while i < b.len() && b[i].is_whitespace() {
        i += 1;
    }
    i
}

/// The top-level modules a file's code names, each with the line it is
/// first named on.
fn named_modules(code: &str) -> BTreeMap<String, usize> {
    let b: Vec<char> = code.chars().collect();
    let mut found = BTreeMap::new();
    let line_at = |i: usize| b[..i].iter().filter(|c| **c == '\n').count() + 1;
    let needle: Vec<char> = "crate::".chars().collect();
    let mut i = 0;
    while i + needle.len() <= b.len() {
        if !b[i..].starts_with(&needle) || ident_before(&b, i) {
            i += 1;
            continue;
        }
        let line = line_at(i);
        let mut j = skip_space(&b, i + needle.len());
        if b.get(j) == Some(&'{') {
            // use crate::{a, b::c, d::{e, f}}: the first name of each item
            // at the group's own depth.
            let mut depth = 0;
            let mut item_start = true;
            while j < b.len() {
                match b[j] {
                    '{' => {
                        depth += 1;
                        item_start = depth == 1;
                        j += 1;
                    }
                    '}' => {
                        depth -= 1;
                        j += 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' => {
                        item_start = depth == 1;
                        j += 1;
                    }
                    c if c.is_alphabetic() || c == '_' => {
                        let (name, end) = ident_at(&b, j);
                        if item_start && name != "self" {
                            found.entry(name).or_insert(line);
                        }
                        item_start = false;
                        j = end;
                    }
                    _ => j += 1,
                }
            }
        } else {
            let (name, end) = ident_at(&b, j);
            if !name.is_empty() {
                found.entry(name).or_insert(line);
            }
            j = end;
        }
        i = j.max(i + 1);
    }
    found
}

/// module → (named module → (file, line) of the first place it is named).
type Graph = BTreeMap<String, BTreeMap<String, (String, usize)>>;

fn module_graph() -> Graph {
    let src = root().join("src");
    let mut graph = Graph::new();
    for file in rust_files(&src) {
        let Some(module) = module_of(&src, &file) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).unwrap();
        let shown = file.strip_prefix(root()).unwrap().display().to_string();
        let arrows = graph.entry(module.clone()).or_default();
        for (name, line) in named_modules(&code_only(&text)) {
            if name != module {
                arrows.entry(name).or_insert((shown.clone(), line));
            }
        }
    }
    graph
}

/// A cycle in the graph, as the modules along it (the first repeated at
/// the end), or `None`.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        graph: &Graph,
        node: &str,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = path.iter().position(|m| m == node).unwrap();
                let mut cycle = path[from..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flat_map(|a| a.keys()) {
            if let Some(cycle) = visit(graph, next, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(graph, node, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[test]
fn the_top_level_modules_import_each_other_without_a_cycle() {
    let graph = module_graph();
    assert!(
        graph.len() > 10,
        "the graph has every module: {:?}",
        graph.keys()
    );
    if let Some(cycle) = find_cycle(&graph) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|w| {
                let (file, line) = &graph[&w[0]][&w[1]];
                format!("  {} -> {} ({file}:{line})", w[0], w[1])
            })
            .collect();
        panic!(
            "the modules import each other in a cycle: {}\n{}\n\
             help: move what both need into a lower module, or let the caller \
             (the pipeline) call both",
            cycle.join(" -> "),
            steps.join("\n")
        );
    }
}

#[test]
fn the_reader_of_the_graph_sees_groups_paths_and_skips_comments() {
    let code = code_only(
        "use crate::{a, b::{c, d}, self};\n\
         // crate::commented\n\
         let s = \"crate::quoted\"; let r = r#\"crate::raw\"#;\n\
         let q = '\"'; fn f<'a>(x: &'a crate::e::T) { crate::f::g(); }\n\
         use super::h;\n",
    );
    let names: Vec<String> = named_modules(&code).into_keys().collect();
    assert_eq!(names, ["a", "b", "e", "f"]);

    let mut graph = Graph::new();
    for (from, to) in [("x", "y"), ("y", "z"), ("z", "x"), ("x", "w")] {
        graph
            .entry(from.into())
            .or_default()
            .insert(to.into(), ("f.rs".into(), 1));
    }
    assert_eq!(find_cycle(&graph).unwrap(), ["x", "y", "z", "x"]);
    graph.get_mut("z").unwrap().clear();
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn the_code_map_names_every_module_and_test_file() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let start = doc.find("## Code map").expect("a code map");
    let end = doc[start..].find("\n## ").map_or(doc.len(), |e| start + e);
    let map = &doc[start..end];
    let src = root().join("src");
    let mut missing = BTreeSet::new();
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).unwrap();
        let parts: Vec<&str> = rel.iter().map(|p| p.to_str().unwrap()).collect();
        let named = match parts.as_slice() {
            ["lib.rs"] => true,
            [top] => map.contains(&format!("src/{top}")),
            [folder, "mod.rs"] => map.contains(&format!("src/{folder}/")),
            [.., name] => {
                let stem = name.trim_end_matches(".rs");
                map.contains(&format!("`{name}`")) || map.contains(&format!("`{stem}`"))
            }
            [] => true,
        };
        if !named {
            missing.insert(format!("src/{}", parts.join("/")));
        }
    }
    let tests = root().join("tests");
    for file in rust_files(&tests) {
        let rel = file.strip_prefix(&tests).unwrap().display().to_string();
        let top_level = !rel.contains('/');
        if (top_level || rel.ends_with("mod.rs"))
            && !map.contains(&format!("tests/{rel}"))
            && !map.contains(&format!("`{rel}`"))
        {
            missing.insert(format!("tests/{rel}"));
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name {missing:?}\n\
         help: add a line for each to the code map"
    );
}

/// `crate::NAME::ITEM` pairs a file names: `ITEM` is the next segment, each
/// item's first segment for a group (`crate::a::{b, c::d}` gives `(a, b)`
/// and `(a, c)`), and empty when the path stops at the module.
fn named_items(code: &str) -> BTreeSet<(String, String)> {
    let b: Vec<char> = code.chars().collect();
    let needle: Vec<char> = "crate::".chars().collect();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while i + needle.len() <= b.len() {
        if !b[i..].starts_with(&needle) || ident_before(&b, i) {
            i += 1;
            continue;
        }
        let (module, mut j) = ident_at(&b, skip_space(&b, i + needle.len()));
        i = j.max(i + 1);
        if module.is_empty() {
            continue;
        }
        if !b[j..].starts_with(&[':', ':']) {
            found.insert((module, String::new()));
            continue;
        }
        j = skip_space(&b, j + 2);
        if b.get(j) != Some(&'{') {
            found.insert((module, ident_at(&b, j).0));
            continue;
        }
        let mut depth = 0;
        let mut item_start = true;
        while j < b.len() {
            match b[j] {
                '{' => {
                    depth += 1;
                    item_start = depth == 1;
                    j += 1;
                }
                '}' => {
                    depth -= 1;
                    j += 1;
                    if depth == 0 {
                        break;
                    }
                }
                ',' => {
                    item_start = depth == 1;
                    j += 1;
                }
                c if c.is_alphabetic() || c == '_' => {
                    let (name, end) = ident_at(&b, j);
                    if item_start {
                        found.insert((module.clone(), name));
                    }
                    item_start = false;
                    j = end;
                }
                _ => j += 1,
            }
        }
        i = j;
    }
    found
}

/// Serve runs the build's stages through `pipeline` (`make`, the file
/// cache) and picks pages with `render::select`: it names no stage of its
/// own accord, so it cannot drift from the build.
#[test]
fn serve_reaches_the_stages_only_through_the_pipeline() {
    let allowed: &[(&str, &[&str])] = &[
        (
            "pipeline",
            &["self", "cache", "Driver", "Options", "Timings", "report"],
        ),
        ("render", &["Theme", "select"]),
        ("diagnostics", &["", "Diagnostic", "Diagnostics"]),
        ("output", &["OutputFile"]),
        ("link", &["Site"]),
        ("claims", &["Claimant"]),
        ("load", &["is_binary_asset"]),
    ];
    let mut stray = Vec::new();
    for file in rust_files(&root().join("src/serve")) {
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (module, item) in named_items(&code) {
            let ok = allowed
                .iter()
                .any(|(m, items)| *m == module && items.contains(&item.as_str()));
            if !ok {
                let shown = file.strip_prefix(root()).unwrap().display();
                stray.push(format!("{shown}: crate::{module}::{item}"));
            }
        }
    }
    assert!(
        stray.is_empty(),
        "serve names stage code the pipeline should call for it:\n{}\n\
         help: call it from `pipeline::make` (or a `Driver` method) so build runs it too",
        stray.join("\n")
    );
    let code = code_only("use crate::a::{b, c::d}; crate::e::f(); crate::g;");
    let pairs: Vec<(String, String)> = named_items(&code).into_iter().collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        pairs,
        [
            pair("a", "b"),
            pair("a", "c"),
            pair("e", "f"),
            pair("g", "")
        ]
    );
}
