//! Every message the code asks for exists in both locale files, so no screen ever shows a raw
//! key in either language.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

fn keys_in(yml: &str) -> BTreeSet<String> {
    yml.lines()
        .filter_map(|line| line.split_once(':').map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.starts_with('_') && !k.starts_with('#') && !k.is_empty())
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// String literals that look like message keys: `"group.name"` with a known group.
fn keys_used(source: &str) -> BTreeSet<String> {
    const GROUPS: [&str; 59] = [
        "record.",
        "assess.",
        "stats.",
        "activities.",
        "grade.",
        "consult.",
        "consults.",
        "topic_step.",
        "topic_source.",
        "meeting_form.",
        "attendance.",
        "guest_role.",
        "adoption.",
        "instruction_level.",
        "topics.",
        "meetings.",
        "reports.",
        "minutes.",
        "roster.",
        "rotation.",
        "shift.",
        "shift_state.",
        "slot.",
        "pattern.",
        "cases.",
        "case.",
        "case_state.",
        "case_source.",
        "case_outcome.",
        "party_role.",
        "fulfilment.",
        "export.",
        "bundle.",
        "intakes.",
        "intake.",
        "audit.",
        "search.",
        "satisfaction.",
        "backup.",
        "cli.",
        "check.",
        "error.",
        "validate.",
        "field.",
        "kind.",
        "gender.",
        "level.",
        "weekday.",
        "keys.",
        "members.",
        "form.",
        "confirm.",
        "help.",
        "signin.",
        "settings.",
        "wizard.",
        "home.",
        "lock.",
        "status.",
    ];
    let mut found = BTreeSet::new();
    for piece in source.split('"').skip(1).step_by(2) {
        let is_key = GROUPS.iter().any(|g| piece.starts_with(g))
            && piece
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            && !piece.ends_with('.');
        if is_key {
            found.insert(piece.to_string());
        }
    }
    found
}

#[test]
fn every_key_the_code_uses_is_in_both_languages() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zh = keys_in(&std::fs::read_to_string(root.join("assets/locales/zh-CN.yml")).unwrap());
    let en = keys_in(&std::fs::read_to_string(root.join("assets/locales/en.yml")).unwrap());
    assert_eq!(zh, en, "the two locale files have different keys");
    let mut sources = Vec::new();
    rust_files(&root.join("src"), &mut sources);
    let used: BTreeSet<String> = sources.iter().flat_map(|s| keys_used(s)).collect();
    assert!(used.len() > 100, "found only {} keys", used.len());
    let missing: Vec<&String> = used.iter().filter(|k| !zh.contains(*k)).collect();
    assert!(
        missing.is_empty(),
        "keys missing from the locale files: {missing:?}"
    );
}
