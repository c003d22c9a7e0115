//! The crate's layers import downward only, and no two modules import each other (the
//! architecture issue). Reads `src/`, resolves every `crate::…` and `super::…` path of the
//! non-test code to the module it names, and checks both rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may import modules of its own layer or lower ones.
const LAYERS: &[&[&str]] = &[
    &["text", "geometry", "schedule"],
    &["lang"],
    &["error"],
    &["model", "config"],
    &["network"],
    &["io::read"],
    &["projection", "spatial"],
    &["balance"],
    &["center"],
    &["polygons"],
    &["plan"],
    &["sites"],
    &["map"],
    &["io::write"],
    &["io"],
    &["run"],
    &["synth", "test_utils"],
    &[""], // lib.rs
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|names| {
            names
                .iter()
                .any(|n| module == *n || (!n.is_empty() && module.starts_with(&format!("{n}::"))))
        })
        .unwrap_or_else(|| panic!("module `{module}` is in no layer: add it to LAYERS"))
}

/// Every source file of the library with its module path (`""` for lib.rs).
fn modules(dir: &Path, prefix: &str, out: &mut BTreeMap<String, PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let join = |n: &str| {
            if prefix.is_empty() {
                n.to_string()
            } else {
                format!("{prefix}::{n}")
            }
        };
        if path.is_dir() {
            if name != "cli" {
                modules(&path, &join(name), out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            let module = match name {
                "lib" => String::new(),
                // The binary, and test modules kept in their own files.
                "main" | "tests" => continue,
                n if n.starts_with("tests_") => continue,
                "mod" => prefix.to_string(),
                _ => join(name),
            };
            out.insert(module, path);
        }
    }
}

/// The code before the file's test module, without comments (doc links are no imports).
fn non_test_code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source");
    let code = match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => &text,
    };
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `code` (in module `from`) names through `crate::` and `super::` paths.
fn imports(code: &str, from: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // `super` is the parent module, whether `from` is a file or a folder's mod.rs.
    let parent = from
        .rsplit_once("::")
        .map_or(String::new(), |(p, _)| p.to_string());
    for (prefix, base) in [("crate::", String::new()), ("super::", parent)] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut best = None;
            let mut candidate = base.clone();
            for part in path.split("::").filter(|p| !p.is_empty()) {
                candidate = if candidate.is_empty() {
                    part.to_string()
                } else {
                    format!("{candidate}::{part}")
                };
                if known.contains(&candidate) {
                    best = Some(candidate.clone());
                }
            }
            if let Some(m) = best.filter(|m| m != from) {
                out.insert(m);
            }
        }
    }
    out
}

#[test]
fn layers_import_downward_and_modules_form_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    modules(&src, "", &mut files);
    let known: BTreeSet<String> = files.keys().cloned().collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    for (module, path) in &files {
        let used = imports(&non_test_code(path), module, &known);
        for to in &used {
            // A module may use the parent that declares it (its facade of re-exports).
            if module.starts_with(&format!("{to}::")) || to.is_empty() {
                continue;
            }
            if layer(to) > layer(module) {
                upward.push(format!("{module} → {to}"));
            }
            graph.entry(module.clone()).or_default().insert(to.clone());
        }
    }
    assert!(upward.is_empty(), "imports going up a layer: {upward:#?}");

    // No circles: depth-first search for a back edge.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        stack.push(m.to_string());
        for to in graph.get(m).into_iter().flatten() {
            match state.get(to.as_str()) {
                Some(1) => {
                    let start = stack.iter().position(|s| s == to).unwrap_or(0);
                    let mut circle = stack[start..].to_vec();
                    circle.push(to.clone());
                    return Some(circle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(to, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for m in graph.keys() {
        if !state.contains_key(m.as_str()) {
            let circle = visit(m, &graph, &mut state, &mut Vec::new());
            assert!(
                circle.is_none(),
                "import circle: {}",
                circle.unwrap_or_default().join(" → ")
            );
        }
    }
    // The check saw the whole pipeline.
    assert!(known.contains("plan") && known.contains("balance") && known.len() > 20);
}
