//! The crate's modules depend on each other in one direction.
//!
//! This reads every `.rs` file under `src/`, collects the `crate::` (and
//! `$crate::`, and inside `api` the `super::`) paths it names, and builds
//! two graphs: one between the top-level modules of the crate, one between
//! the submodules of `api`. Either graph having a cycle fails the test,
//! which prints the cycle. A module's facade lines (`mod x;`, `pub use
//! x::…;` in a `mod.rs` or `lib.rs`) are not counted as dependencies: they
//! only give items a shorter name.
//!
//! Below those, the same question file by file (`architecture/file_graph.rs`)
//! for `src/` and for the sandbox (`tools/sandbox/src`): no two files may
//! import each other around a circle, except the knots listed in
//! `KNOWN_CIRCLES`; and every sandbox import points down its
//! `SANDBOX_LAYERS`, except those listed in `KNOWN_UPWARD`. Both lists fail
//! once an entry is no longer needed, so they only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).expect("src/ is readable");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments (line comments, doc comments
/// and block comments), so paths mentioned in docs do not count.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match (c, chars.peek()) {
            ('/', Some('/')) => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// The first identifier at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level names of a path that starts at `s`: `a` for `a::b`, and
/// `a`, `b` for `{a::x, b}` (nested groups are skipped over).
fn heads(s: &str) -> Vec<String> {
    let s = s.trim_start();
    if let Some(rest) = s.strip_prefix('{') {
        let mut names = Vec::new();
        let mut depth = 0;
        let mut start = true;
        for (i, c) in rest.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => start = true,
                c if start && (c.is_alphanumeric() || c == '_') => {
                    names.push(ident(&rest[i..]).to_string());
                    start = false;
                }
                _ => {}
            }
        }
        names
    } else {
        vec![ident(s).to_string()]
    }
}

/// The paths that follow `prefix` in `code`, resolved to their head
/// segment, together with the tail text (for resolving one level deeper).
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find(prefix) {
        let start = from + at;
        let before = code[..start].chars().next_back();
        let end = start + prefix.len();
        // `crate::` must not be the tail of a longer identifier.
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            out.push(&code[end..]);
        }
        from = end;
    }
    out
}

/// Whether a line only names things for a facade (`mod x;`, `pub use`).
fn is_facade_line(line: &str) -> bool {
    let line = line.trim_start();
    let line = line
        .strip_prefix("#[doc(hidden)]")
        .unwrap_or(line)
        .trim_start();
    line.starts_with("pub use ")
        || line.starts_with("pub mod ")
        || line.starts_with("mod ")
        || line.starts_with("pub(crate) mod ")
        || line.starts_with("pub(crate) use ")
}

/// The code of `file`, without comments, and without facade lines when the
/// file is a facade (`lib.rs`, `main.rs` or a `mod.rs`).
fn code_of(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("source file is readable");
    let code = strip_comments(&text);
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if matches!(name, "lib.rs" | "mod.rs") {
        code.lines()
            .filter(|l| !is_facade_line(l))
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        code
    }
}

/// Names the crate root re-exports (`pub use api::{Context, …}` in
/// `lib.rs`), mapped to the module they come from.
fn root_reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let mut map = BTreeMap::new();
    for line in strip_comments(&lib).lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module = ident(rest).to_string();
        let tail = &rest[module.len()..];
        if let Some(tail) = tail.strip_prefix("::") {
            for name in heads(tail) {
                map.insert(name, module.clone());
            }
        }
    }
    map
}

/// Re-exports of `api/mod.rs`: item name -> submodule it comes from.
fn api_reexports(src: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(src.join("api/mod.rs")).expect("api/mod.rs");
    let mut map = BTreeMap::new();
    for line in strip_comments(&text).lines() {
        let Some(rest) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.strip_prefix("self::").unwrap_or(rest);
        let module = ident(rest).to_string();
        if module == "crate" {
            // Re-exported from outside `api` (the wire layer): naming it
            // through `api` is no dependency between api's submodules.
            for name in rest.rsplit("::").next().map(heads).unwrap_or_default() {
                map.insert(name, String::new());
            }
            continue;
        }
        if let Some(tail) = rest[module.len()..].strip_prefix("::") {
            for name in heads(tail) {
                map.insert(name, module.clone());
            }
        }
    }
    map
}

/// The module a file belongs to: its first path component under `src/`
/// (`api` for `src/api/auth.rs`, `tool` for `src/tool.rs`).
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("file under src/");
    let first = rel
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    first.trim_end_matches(".rs").to_string()
}

/// The `api` submodule a file belongs to (`auth` for `src/api/auth.rs`,
/// `exchange` for `src/api/exchange/send.rs`, `mod` for `src/api/mod.rs`).
fn api_submodule(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src.join("api")).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

type Graph = BTreeMap<String, BTreeSet<String>>;

/// One cycle of `graph`, if it has any, as the list of modules around it.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let at = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(next, graph, marks, stack) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, graph, &mut marks, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

/// Builds both graphs from the files under `src`.
fn graphs(src: &Path) -> (Graph, Graph) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let root = root_reexports(src);
    let api = api_reexports(src);
    let mut top = Graph::new();
    let mut inner = Graph::new();
    for file in &files {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if matches!(name, "lib.rs" | "main.rs") && file.parent() == Some(src) {
            continue;
        }
        let from = top_module(src, file);
        let code = code_of(file);
        let mut targets = Vec::new();
        for prefix in ["crate::"] {
            for tail in paths_after(&code, prefix) {
                for head in heads(tail) {
                    let module = root.get(&head).cloned().unwrap_or(head.clone());
                    targets.push((module, tail, head));
                }
            }
        }
        for (module, tail, head) in &targets {
            if module != &from && top_module_exists(src, module) {
                top.entry(from.clone()).or_default().insert(module.clone());
            }
            // Inside `api`: which submodule is named.
            let Some(sub) = api_submodule(src, file) else {
                continue;
            };
            if module != "api" {
                continue;
            }
            // `crate::api::x::…` or `crate::api::{x, …}`, or a root
            // re-export of an api item (`crate::Context`).
            let names = if head == "api" {
                tail.strip_prefix("api::").map(heads).unwrap_or_default()
            } else {
                vec![head.clone()]
            };
            for n in names {
                if let Some(target) = api_target(src, &api, n)
                    && target != sub
                {
                    inner.entry(sub.clone()).or_default().insert(target);
                }
            }
        }
        if let Some(sub) = api_submodule(src, file) {
            for tail in paths_after(&code, "super::") {
                // `super::` from `api/x.rs` is `api`; from deeper files it
                // stays inside the same submodule.
                if file.parent() != Some(src.join("api").as_path()) {
                    continue;
                }
                for n in heads(tail) {
                    if let Some(target) = api_target(src, &api, n)
                        && target != sub
                    {
                        inner.entry(sub.clone()).or_default().insert(target);
                    }
                }
            }
        }
    }
    (top, inner)
}

/// The `api` submodule an item or module name `n` (named through `api`)
/// lives in: a submodule itself, a re-export's source, or `mod` for what
/// `api/mod.rs` defines; `None` for names from outside `api` and globs.
fn api_target(src: &Path, api: &BTreeMap<String, String>, n: String) -> Option<String> {
    if n.is_empty() {
        return None;
    }
    let target = api.get(&n).cloned().unwrap_or(n);
    if target.is_empty() {
        None
    } else if api_submodule_exists(src, &target) {
        Some(target)
    } else {
        Some("mod".to_string())
    }
}

/// Whether `src/<name>.rs` or `src/<name>/` exists (macros exported at
/// the root, like `register_tool!`, are not modules).
fn top_module_exists(src: &Path, name: &str) -> bool {
    !name.is_empty() && (src.join(format!("{name}.rs")).is_file() || src.join(name).is_dir())
}

/// Whether `api/<name>.rs` or `api/<name>/` exists.
fn api_submodule_exists(src: &Path, name: &str) -> bool {
    src.join("api").join(format!("{name}.rs")).is_file() || src.join("api").join(name).is_dir()
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Edges left out of the top-level graph on purpose, each with its reason.
/// A test below fails once an entry is no longer needed.
const KNOWN: &[(&str, &str, &str)] = &[];

#[test]
fn top_level_modules_have_no_import_cycle() {
    let (mut top, _) = graphs(&src_dir());
    for (from, to, _) in KNOWN {
        top.entry((*from).to_string()).or_default().remove(*to);
    }
    assert!(
        top.contains_key("catalogue"),
        "the scan found the catalogue's imports"
    );
    if let Some(cycle) = find_cycle(&top) {
        panic!(
            "import cycle between top-level modules: {}",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn every_known_exception_is_still_needed() {
    let (top, _) = graphs(&src_dir());
    for (from, to, why) in KNOWN {
        let edge = top.get(*from).is_some_and(|t| t.contains(*to));
        let back = find_cycle(&top).is_some();
        assert!(
            edge && back,
            "{from} -> {to} no longer closes a cycle ({why}); remove it from KNOWN"
        );
    }
}

#[test]
fn api_submodules_have_no_import_cycle() {
    let (_, inner) = graphs(&src_dir());
    if let Some(cycle) = find_cycle(&inner) {
        panic!("import cycle inside `api`: {}", cycle.join(" -> "));
    }
}

#[test]
fn tool_and_the_runtime_never_import_each_other() {
    let (top, _) = graphs(&src_dir());
    let tool = top.get("tool").cloned().unwrap_or_default();
    assert!(!tool.contains("api"), "tool imports api: {tool:?}");
    let api = top.get("api").cloned().unwrap_or_default();
    assert!(!api.contains("tool"), "api imports tool: {api:?}");
    assert!(
        !api.contains("catalogue"),
        "api imports the catalogue: {api:?}"
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default().insert("a".into());
    g.entry("c".into()).or_default().insert("d".into());
    assert_eq!(
        find_cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    g.get_mut("c").map(|s| s.remove("a"));
    assert_eq!(find_cycle(&g), None);
}

#[test]
fn the_scan_reads_grouped_and_root_paths() {
    assert_eq!(heads("{api::{A, B}, error::Error}"), vec!["api", "error"]);
    assert_eq!(heads("tool::ToolMeta;"), vec!["tool"]);
    assert_eq!(
        strip_comments("a // crate::x\nb /* crate::y */ c"),
        "a \nb  c"
    );
}

// ----- Files: no import circle in `src/` or `tools/sandbox/src` -----
//
// The file graphs of `file_graph`: every file's imports resolved to the
// file that defines what they name. A circle between files is a knot that
// cannot be read, tested or moved one file at a time.

mod file_graph;

use file_graph::{Crate, FileGraph, Paths};

/// The trees checked for circles between files, each with the paths that
/// count as imports there: both count every path (`Paths::All`), so a
/// `mod.rs` calling into a child that imports from it is a circle too.
const TREES: &[(&str, Paths)] = &[("src", Paths::All), ("tools/sandbox/src", Paths::All)];

/// Circles between files left in on purpose, each as the files of the knot
/// and why. A test below fails once a knot is gone or has changed, so the
/// list only shrinks.
const KNOWN_CIRCLES: &[(&[&str], &str)] = &[];

fn file_graphs() -> Vec<FileGraph> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    TREES
        .iter()
        .map(|(dir, paths)| Crate::read(&root.join(dir), dir).graph(*paths))
        .collect()
}

fn known_circle(knot: &BTreeSet<String>) -> Option<&'static str> {
    KNOWN_CIRCLES
        .iter()
        .find(|(files, _)| files.len() == knot.len() && files.iter().all(|f| knot.contains(*f)))
        .map(|(_, why)| *why)
}

#[test]
fn no_two_files_import_each_other_around_a_circle() {
    let graphs = file_graphs();
    assert!(
        graphs[0].contains_key("src/catalogue/registry.rs")
            && graphs[1].contains_key("tools/sandbox/src/state/mod.rs"),
        "the scan found both trees"
    );
    let mut report = Vec::new();
    for graph in &graphs {
        for knot in file_graph::knots(graph) {
            if known_circle(&knot).is_none() {
                report.push(file_graph::describe(graph, &knot));
            }
        }
    }
    assert!(
        report.is_empty(),
        "import circles between files:\n{}",
        report.join("\n")
    );
}

#[test]
fn every_known_circle_is_still_there() {
    let knots: Vec<BTreeSet<String>> = file_graphs().iter().flat_map(file_graph::knots).collect();
    for (files, why) in KNOWN_CIRCLES {
        let now = knots.iter().find(|k| files.iter().any(|f| k.contains(*f)));
        let same =
            now.is_some_and(|k| k.len() == files.len() && files.iter().all(|f| k.contains(*f)));
        assert!(
            same,
            "the known circle {files:?} ({why}) is no longer there as listed (now: {now:?}); \
             remove it from KNOWN_CIRCLES, or list what is left of it"
        );
    }
}

// ----- Layers of the sandbox: every import points down -----

/// The sandbox's top-level modules from the bottom up. A file may import
/// from its own layer or below; anything else is an upward import.
const SANDBOX_LAYERS: &[&[&str]] = &[
    // Plain parts: settings, errors, time, ids, body field checks, records.
    &["config", "error", "time", "rng", "fields", "model"],
    // What the state holds: counters, token table, fault plan, outbox.
    &["stats", "tokens", "fault_plan", "outbox"],
    // The records, their operations and the shared handle.
    &["state"],
    // HTTP request parsing.
    &["request"],
    // Services over the state.
    &["auth", "faults", "webhooks", "seed", "persist"],
    // The HTTP surface.
    &["routes"],
    // The loopback server.
    &["server"],
];

/// Upward imports between sandbox files left in on purpose, as (from, to,
/// why). A test below fails once one is no longer there.
const KNOWN_UPWARD: &[(&str, &str, &str)] = &[];

/// The layer of a sandbox file (by its top-level module), or `None`.
fn sandbox_layer(file: &str) -> Option<usize> {
    let rel = file.strip_prefix("tools/sandbox/src/")?;
    let module = rel.split('/').next()?.trim_end_matches(".rs");
    SANDBOX_LAYERS
        .iter()
        .position(|layer| layer.contains(&module))
}

/// Every upward import of the sandbox as (from, to).
fn sandbox_upward_imports() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = "tools/sandbox/src";
    let graph = Crate::read(&root.join(dir), dir).graph(Paths::All);
    let mut upward = Vec::new();
    for (from, targets) in &graph {
        let low = sandbox_layer(from)
            .unwrap_or_else(|| panic!("{from} is in no layer: add its module to SANDBOX_LAYERS"));
        for to in targets {
            let high = sandbox_layer(to)
                .unwrap_or_else(|| panic!("{to} is in no layer: add its module to SANDBOX_LAYERS"));
            if high > low {
                upward.push((from.clone(), to.clone()));
            }
        }
    }
    upward
}

#[test]
fn every_sandbox_import_points_down() {
    let unknown: Vec<String> = sandbox_upward_imports()
        .into_iter()
        .filter(|(from, to)| !KNOWN_UPWARD.iter().any(|(f, t, _)| f == from && t == to))
        .map(|(from, to)| format!("{from} -> {to}"))
        .collect();
    assert!(
        unknown.is_empty(),
        "upward imports in the sandbox (see SANDBOX_LAYERS):\n{}",
        unknown.join("\n")
    );
}

#[test]
fn every_known_upward_import_is_still_there() {
    let upward = sandbox_upward_imports();
    for (from, to, why) in KNOWN_UPWARD {
        assert!(
            upward.iter().any(|(f, t)| f == from && t == to),
            "{from} -> {to} ({why}) is no longer an upward import; remove it from KNOWN_UPWARD"
        );
    }
}

#[test]
fn the_file_scan_resolves_paths_to_the_defining_file() {
    let code =
        file_graph::clean("use a::{b::{C, D as E}, f}; // crate::x\nlet s = \"crate::y {\";");
    assert_eq!(code, "use a::{b::{C, D as E}, f}; \nlet s = \"\";");
    let paths = file_graph::use_tree("a::{b::{C, D as E}, self, f};");
    let shown: Vec<String> = paths
        .iter()
        .map(|p| format!("{}={}", p.segments.join("::"), p.name))
        .collect();
    assert_eq!(shown, ["a::b::C=C", "a::b::D=E", "a::self=a", "a::f=f"]);
    let facade = file_graph::without_facade("mod a;\npub use a::{\n    B,\n};\nuse crate::c::D;\n");
    assert_eq!(facade.trim(), "use crate::c::D;");
    let mut g = FileGraph::new();
    for (a, b) in [("x", "y"), ("y", "z"), ("z", "x"), ("z", "w")] {
        g.entry(a.into()).or_default().insert(b.into());
    }
    let knots = file_graph::knots(&g);
    assert_eq!(knots.len(), 1);
    assert_eq!(
        file_graph::shortest_circle(&g, &knots[0], "x"),
        ["x", "y", "z", "x"]
    );
}

/// The longest a file in `src/` may be: past it, a file holds more than one
/// thing to understand at once.
const MAX_LINES: usize = 400;

#[test]
fn no_file_in_src_is_over_the_line_limit() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", f.display()))
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines: {}",
        long.join(", ")
    );
}

#[test]
fn host_files_name_what_they_import() {
    let mut files = Vec::new();
    rust_files(&src_dir().join("host"), &mut files);
    let mut globs = Vec::new();
    for file in &files {
        let code = strip_comments(&std::fs::read_to_string(file).expect("readable"));
        // `use super::*;` inside a file's own `mod tests` names the file
        // itself, not another file: only globs outside test modules count.
        let outside_tests = code.split("mod tests").next().unwrap_or(&code);
        for line in outside_tests.lines() {
            let line = line.trim();
            if (line.starts_with("use ") || line.starts_with("pub use ")) && line.ends_with("::*;")
            {
                globs.push(format!("{}: {line}", file.display()));
            }
        }
    }
    assert!(globs.is_empty(), "glob imports in src/host: {globs:#?}");
}

#[test]
fn every_block_is_registered_in_one_collection() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let collections: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .map(|t| strip_comments(&t).contains("inventory::collect!"))
                .unwrap_or(false)
        })
        .map(|f| f.display().to_string())
        .collect();
    assert_eq!(
        collections.len(),
        1,
        "one inventory collection (BlockEntry) expected: {collections:?}"
    );
}

#[test]
fn counting_every_path_finds_every_crate_and_super_import() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = Crate::read(&root.join("src"), "src");
    let narrow = src.graph(Paths::CrateAndSuper);
    let all = src.graph(Paths::All);
    let edges = |g: &FileGraph| -> usize { g.values().map(BTreeSet::len).sum() };
    assert!(edges(&narrow) > 100, "the scan found the crate's imports");
    for (from, to) in &narrow {
        let wide = all.get(from).cloned().unwrap_or_default();
        assert!(
            to.is_subset(&wide),
            "{from}: {:?}",
            to.difference(&wide).collect::<Vec<_>>()
        );
    }
    assert!(
        edges(&all) > edges(&narrow),
        "self:: and child paths add edges"
    );
}
