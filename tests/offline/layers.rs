//! The shape of `src/`: every top-level module sits on a layer and imports
//! only modules on lower layers (so there is no import circle and no stage
//! imports a later one); inside a module folder no two files import each
//! other in a circle; `lib.rs` stays an index and no function grows past
//! 80 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::common::repo;

/// The layers, lowest first. A module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["util", "atomic", "domain", "transcript", "lang", "eval"],
    &["config"],
    &["audio", "model", "output"],
    &["transcribe"],
    &["speakers"],
    &["glossary"],
    &["highlights"],
    &["shownotes"],
    &["drafts"],
    &["media"],
    &["bundle"],
    &["decisions"],
    &["folder"],
    &["review"],
    &["episode"],
    &["season"],
    &["progress", "cli"],
    &["commands"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module {module} is on no layer: add it to LAYERS"))
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The source without comments and string contents, so that a module
/// named in a doc comment or a message is not taken for an import.
fn code_only(src: &str) -> String {
    src.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") {
                ""
            } else {
                l.split(" //").next().unwrap_or("")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names following `prefix` in `code` (`crate::` → top-level modules,
/// `super::` → siblings).
fn paths_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find(prefix) {
        let after = &rest[i + prefix.len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
        if after.starts_with('{') {
            // `use crate::{a, b::c}`: every first segment in the group
            let group = &after[1..after.find('}').unwrap_or(after.len())];
            for part in group.split(',') {
                let first: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !first.is_empty() {
                    out.insert(first);
                }
            }
        }
        rest = after;
    }
    out
}

/// The top-level module a file of `src/` belongs to.
fn module_of(file: &Path, src: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

#[test]
fn no_module_imports_a_later_layer() {
    let src = repo().join("src");
    let mut wrong = Vec::new();
    for file in rust_files(&src) {
        let module = module_of(&file, &src);
        if module == "lib" || module == "main" {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for used in paths_after(&code, "crate::") {
            if used == module || used == "run" {
                continue;
            }
            if layer(&used) >= layer(&module) {
                wrong.push(format!(
                    "{} ({module}, layer {}) uses {used} (layer {})",
                    file.strip_prefix(&src).unwrap().display(),
                    layer(&module),
                    layer(&used)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

/// Finds a circle in `edges`, if any, as the list of nodes on it.
fn circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            return Some(path[i..].to_vec());
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in edges.keys() {
        if let Some(c) = visit(n, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn no_import_circle_between_the_files_of_a_module_folder() {
    let src = repo().join("src");
    for dir in std::fs::read_dir(&src).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let module = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files: BTreeMap<String, String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .map(|p| {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                (stem, code_only(&std::fs::read_to_string(&p).unwrap()))
            })
            .filter(|(stem, _)| stem != "mod")
            .collect();
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (stem, code) in &files {
            let mut used = paths_after(code, "super::");
            used.extend(paths_after(code, &format!("crate::{module}::")));
            used.retain(|u| u != stem && files.contains_key(u));
            edges.insert(stem.clone(), used);
        }
        assert_eq!(circle(&edges), None, "import circle in src/{module}/");
    }
}

#[test]
fn lib_rs_is_an_index_and_functions_stay_short() {
    let src = repo().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(
        lib.lines().count() < 80,
        "src/lib.rs has {} lines",
        lib.lines().count()
    );
    let mut long = Vec::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let is_fn = (t.starts_with("fn ")
                || t.starts_with("pub fn ")
                || t.starts_with("pub(crate) fn "))
                && !t.ends_with(';');
            if !is_fn {
                continue;
            }
            let indent = l.len() - t.len();
            // the function ends at the first `}` line at its own indent
            let end = lines[i + 1..]
                .iter()
                .position(|m| {
                    let b = m.as_bytes();
                    b.len() > indent && b[..indent].iter().all(|c| *c == b' ') && b[indent] == b'}'
                })
                .map_or(lines.len(), |n| i + 1 + n);
            if end - i + 1 > 80 {
                long.push(format!(
                    "{}:{} ({} lines)",
                    file.strip_prefix(&src).unwrap().display(),
                    i + 1,
                    end - i + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over 80 lines:\n{}",
        long.join("\n")
    );
}
