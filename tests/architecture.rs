//! The shape of the code, checked: the files of `src` import one another without a loop, no
//! layer reaches the shell, the shell's state stays small, and no file grows past what a
//! newcomer can read. (#26's "checks anyone can run", as a test that fails when they do.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src`, by its path relative to `src`, with its text.
fn sources() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("under src");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&path).expect("read file"));
            }
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The module path of a file: `tui/app/mod.rs` → `["tui", "app"]`.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its `#[cfg(test)]` part.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Which files each file uses, through `crate::…`, `super::…` and `self::…` paths. A module's
/// own children do not count: declaring or re-exporting them is not depending on them.
fn imports(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<Vec<String>, String> =
        files.keys().map(|f| (module_of(f), f.clone())).collect();
    let resolve = |path: &[String]| -> Option<String> {
        (1..=path.len())
            .rev()
            .find_map(|n| modules.get(&path[..n]).cloned())
    };
    let path = regex::Regex::new(r"\b((?:crate|super|self)(?:::(?:[A-Za-z_][A-Za-z0-9_]*|\*))+)")
        .expect("pattern");
    let group = regex::Regex::new(
        r"use\s+((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^}]*)\}",
    )
    .expect("pattern");
    let mut graph = BTreeMap::new();
    for (file, text) in files {
        let me = module_of(file);
        let code = code_of(text);
        let mut uses = BTreeSet::new();
        let mut add = |target: Option<String>| {
            if let Some(target) = target {
                let theirs = module_of(&target);
                let child = theirs.len() > me.len() && theirs[..me.len()] == me[..];
                if target != *file && !child {
                    uses.insert(target);
                }
            }
        };
        let base_of = |segments: &mut std::collections::VecDeque<&str>| -> Vec<String> {
            let mut base = if segments.front() == Some(&"crate") {
                segments.pop_front();
                Vec::new()
            } else {
                me.clone()
            };
            while let Some(head) = segments.front() {
                match *head {
                    "super" => {
                        base.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                segments.pop_front();
            }
            base
        };
        for found in path.captures_iter(&code) {
            let mut segments: std::collections::VecDeque<&str> = found[1].split("::").collect();
            let mut full = base_of(&mut segments);
            full.extend(
                segments
                    .iter()
                    .take_while(|s| **s != "*")
                    .map(|s| s.to_string()),
            );
            add(resolve(&full));
        }
        for found in group.captures_iter(&code) {
            let mut segments: std::collections::VecDeque<&str> = found[1].split("::").collect();
            let mut base = base_of(&mut segments);
            base.extend(segments.iter().map(|s| s.to_string()));
            for item in found[2].split(',') {
                let head = item.trim().split("::").next().unwrap_or("");
                if !head.is_empty() && head != "self" && head != "*" {
                    let mut full = base.clone();
                    full.push(head.to_string());
                    add(resolve(&full));
                }
            }
        }
        graph.insert(file.clone(), uses);
    }
    graph
}

/// The loops of the graph (strongly connected parts of more than one file).
fn loops(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: finish order on the graph, then parts on the reversed graph.
    fn finish(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        order: &mut Vec<String>,
    ) {
        if !seen.insert(node.to_string()) {
            return;
        }
        for next in graph.get(node).into_iter().flatten() {
            finish(next, graph, seen, order);
        }
        order.push(node.to_string());
    }
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    for node in graph.keys() {
        finish(node, graph, &mut seen, &mut order);
    }
    let mut reversed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in graph {
        for to in tos {
            reversed.entry(to.clone()).or_default().insert(from.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut parts = Vec::new();
    for node in order.iter().rev() {
        let mut part = Vec::new();
        finish(node, &reversed, &mut assigned, &mut part);
        if part.len() > 1 {
            part.sort();
            parts.push(part);
        }
    }
    parts
}

#[test]
fn no_two_files_of_src_import_each_other_directly_or_in_a_loop() {
    let files = sources();
    let graph = imports(&files);
    // The check sees what it should: the shell uses the layers, a layer uses the desk.
    assert!(graph["tui/app/mod.rs"].contains("tui/layer.rs"));
    assert!(graph["tui/layers/intakes.rs"].contains("tui/layers/mod.rs"));
    assert!(graph["store/record.rs"].contains("store/kinds.rs"));
    assert_eq!(loops(&graph), Vec::<Vec<String>>::new());
}

#[test]
fn the_checker_finds_a_loop_when_there_is_one() {
    let mut files = BTreeMap::new();
    // a → b/c → d → a, through a group, `super::super` and a path in the code.
    files.insert(
        "a.rs".to_string(),
        "use crate::b::{c::Thing, e};".to_string(),
    );
    files.insert("b/mod.rs".to_string(), "pub mod c;".to_string());
    files.insert("b/c.rs".to_string(), "use super::super::d::f;".to_string());
    files.insert("d.rs".to_string(), "fn g() { crate::a::h() }".to_string());
    files.insert("e.rs".to_string(), "// crate::a::h".to_string());
    let graph = imports(&files);
    assert_eq!(
        loops(&graph),
        vec![vec![
            "a.rs".to_string(),
            "b/c.rs".to_string(),
            "d.rs".to_string()
        ]],
        "{graph:?}"
    );
}

#[test]
fn no_layer_reaches_the_shell() {
    let files = sources();
    let offenders: Vec<&String> = files
        .iter()
        .filter(|(file, _)| {
            file.starts_with("tui/screens/")
                || file.starts_with("tui/layers/")
                || file.starts_with("tui/widgets/")
                || *file == "tui/layer.rs"
        })
        .filter(|(_, text)| {
            let code = code_of(text);
            code.contains("crate::tui::app") || code.contains("super::app")
        })
        .map(|(file, _)| file)
        .collect();
    assert_eq!(offenders, Vec::<&String>::new());
}

#[test]
fn the_shell_keeps_at_most_sixteen_fields() {
    let files = sources();
    let text = &files["tui/app/mod.rs"];
    let start = text.find("pub struct App {").expect("App is defined");
    let body = &text[start..];
    let end = body.find("\n}").expect("App ends");
    let fields = body[..end]
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with("#[") && l.contains(':'))
        .count();
    assert!(fields >= 5, "the count reads the struct ({fields})");
    assert!(fields <= 16, "App has {fields} fields");
}

#[test]
fn no_file_of_src_is_over_800_lines_but_the_key_table() {
    let long: Vec<(String, usize)> = sources()
        .into_iter()
        .map(|(file, text)| (file, text.lines().count()))
        .filter(|(file, lines)| *lines > 800 && file != "tui/keymap/table.rs")
        .collect();
    assert_eq!(long, Vec::<(String, usize)>::new());
}

/// The store returns data and codes, and the domain describes them: neither puts anything in
/// words (the words live in the locale files, looked up above them).
#[test]
fn the_store_and_the_domain_hold_no_words() {
    let words = regex::Regex::new(r"\btr!\(|message_in\(|crate::i18n").expect("pattern");
    let offenders: Vec<String> = sources()
        .into_iter()
        .filter(|(file, _)| file.starts_with("store/") || file.starts_with("domain/"))
        .filter_map(|(file, text)| {
            let code = code_of(&text);
            words.find(&code).map(|m| format!("{file}: {}", m.as_str()))
        })
        .collect();
    assert_eq!(offenders, Vec::<String>::new());
}
