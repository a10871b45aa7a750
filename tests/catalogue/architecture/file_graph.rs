//! The import graph between the files of one crate's `src/`.
//!
//! Every `crate::`, `$crate::` and `super::` path (with [`Paths::All`] also
//! every `self::` path and every path through a child module) is resolved
//! to the file that defines what it names:
//! module segments lead to the module's file, and a name a module only
//! imports or re-exports (`use …`, `pub use …`, `pub use x::*`) is followed
//! to where it comes from. `super::` inside an inline module (`mod tests
//! { use super::*; }`) is the file's own module. A facade's own re-export
//! and `mod` lines (in `lib.rs` and `mod.rs`) are not edges: they only give
//! items a shorter name. The crate roots (`lib.rs`, `main.rs`) are not
//! scanned: they only assemble the modules.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Files by a name relative to the repository root, and their edges.
pub type FileGraph = BTreeMap<String, BTreeSet<String>>;

/// The code of a file without comments, with the contents of string and
/// character literals blanked (newlines kept), so neither paths in docs
/// nor braces in format strings are read as code.
pub fn clean(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let prev = if i > 0 { c[i - 1] } else { ' ' };
        if c[i] == '/' && c.get(i + 1) == Some(&'/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c[i] == '/' && c.get(i + 1) == Some(&'*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if c[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
            continue;
        }
        // Raw strings: r"…", r#"…"#, br#"…"#.
        let raw_start =
            c[i] == 'r' && (!ident(prev) || (prev == 'b' && (i < 2 || !ident(c[i - 2])))) && {
                let mut j = i + 1;
                while c.get(j) == Some(&'#') {
                    j += 1;
                }
                c.get(j) == Some(&'"')
            };
        if raw_start {
            let mut hashes = 0;
            i += 1;
            while c[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
            while i < c.len() {
                if c[i] == '"' && (0..hashes).all(|k| c.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                if c[i] == '\n' {
                    out.push('\n');
                }
                i += 1;
            }
            continue;
        }
        if c[i] == '"' {
            out.push('"');
            i += 1;
            while i < c.len() && c[i] != '"' {
                if c[i] == '\\' {
                    i += 1;
                }
                if c.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            out.push('"');
            i += 1;
            continue;
        }
        if c[i] == '\'' {
            // A character literal ('x', '\n', '\u{…}'), not a lifetime.
            let end = if c.get(i + 1) == Some(&'\\') {
                (i + 2..c.len().min(i + 12)).find(|&j| c[j] == '\'')
            } else if c.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                out.push_str("' '");
                i = end + 1;
                continue;
            }
        }
        out.push(c[i]);
        i += 1;
    }
    out
}

/// Blanks the facade statements of a `lib.rs` or `mod.rs`: `mod x;` and
/// `pub use …;` (any visibility), each to its `;`.
pub fn without_facade(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut skipping = false;
    for line in code.split_inclusive('\n') {
        let mut rest = line.trim_start();
        while rest.starts_with("#[") {
            match rest.find(']') {
                Some(end) => rest = rest[end + 1..].trim_start(),
                None => break,
            }
        }
        let body = ["pub(crate) ", "pub(super) ", "pub "]
            .iter()
            .find_map(|v| rest.strip_prefix(v))
            .unwrap_or(rest);
        let is_use = body.starts_with("use ") && rest.starts_with("pub");
        let is_mod = body.starts_with("mod ") && {
            let name = body[4..].trim_start();
            let after = &name[ident_len(name)..];
            after.trim_start().starts_with(';')
        };
        if !skipping && (is_use || is_mod) {
            skipping = true;
        }
        if skipping {
            if line.contains(';') {
                skipping = false;
            }
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

fn ident_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len())
}

/// A path as written: its segments, and the name it binds in a `use`
/// (the last segment, or the `as` alias).
#[derive(Clone, Debug, PartialEq)]
pub struct UsePath {
    /// `["crate", "state", "Db"]`.
    pub segments: Vec<String>,
    /// `Db`, or the alias after `as`.
    pub name: String,
}

/// Every path a use tree (or an expression path) starting at `s` names:
/// `a::{b, c::{D, E as F}}` gives `a::b`, `a::c::D`, `a::c::E` (as `F`).
pub fn use_tree(s: &str) -> Vec<UsePath> {
    fn ws(s: &[u8], i: &mut usize) {
        while *i < s.len() && (s[*i] as char).is_whitespace() {
            *i += 1;
        }
    }
    fn word(s: &[u8], i: &mut usize) -> Option<String> {
        ws(s, i);
        if s.get(*i) == Some(&b'*') {
            *i += 1;
            return Some("*".into());
        }
        let start = *i;
        while *i < s.len() && (s[*i].is_ascii_alphanumeric() || s[*i] == b'_') {
            *i += 1;
        }
        (*i > start).then(|| String::from_utf8_lossy(&s[start..*i]).into_owned())
    }
    fn tree(s: &[u8], i: &mut usize, prefix: Vec<String>, out: &mut Vec<UsePath>) {
        ws(s, i);
        if s.get(*i) == Some(&b'{') {
            *i += 1;
            loop {
                ws(s, i);
                if s.get(*i) == Some(&b'}') || *i >= s.len() {
                    *i += 1;
                    return;
                }
                let before = *i;
                tree(s, i, prefix.clone(), out);
                ws(s, i);
                match s.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return;
                    }
                    _ if *i == before => return,
                    _ => return,
                }
            }
        }
        let Some(w) = word(s, i) else {
            if !prefix.is_empty() {
                let name = prefix.last().cloned().unwrap_or_default();
                out.push(UsePath {
                    segments: prefix,
                    name,
                });
            }
            return;
        };
        let mut path = prefix;
        path.push(w);
        ws(s, i);
        if s[*i..].starts_with(b"::") {
            *i += 2;
            tree(s, i, path, out);
            return;
        }
        let mut name = path.last().cloned().unwrap_or_default();
        if s[*i..].starts_with(b"as ") {
            *i += 3;
            if let Some(alias) = word(s, i) {
                name = alias;
            }
        }
        if name == "self" && path.len() > 1 {
            name = path[path.len() - 2].clone();
        }
        out.push(UsePath {
            segments: path,
            name,
        });
    }
    let mut out = Vec::new();
    let mut i = 0;
    tree(s.as_bytes(), &mut i, Vec::new(), &mut out);
    out
}

/// Which paths count as imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paths {
    /// `crate::`, `$crate::` and `super::` paths.
    CrateAndSuper,
    /// Those, and `self::` paths and paths through a child module
    /// (`users::routes()` in the file that declares `mod users;`): also a
    /// parent that calls into its children while they import from it.
    All,
}

/// One path found in a file: where it starts and the inline modules
/// (`mod tests { … }`) around it.
struct Found {
    at: usize,
    inline: Vec<String>,
    in_use: bool,
}

/// The starts of every path in `code` and the inline modules around each,
/// and the `use` statements at the file's top level.
fn scan(code: &str, children: &BTreeSet<String>, paths: Paths) -> Vec<Found> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut i = 0;
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut in_use = false;
    while i < b.len() {
        let c = b[i];
        if c == b'{' {
            // `mod name {` opens an inline module.
            let before = code[..i].trim_end();
            let name_len = before.bytes().rev().take_while(|&c| is_ident(c)).count();
            let name = &before[before.len() - name_len..];
            let kw = before[..before.len() - name_len].trim_end();
            let label = (kw.ends_with("mod")
                && !kw[..kw.len() - 3].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            .then(|| name.to_string());
            stack.push(label);
            i += 1;
            continue;
        }
        if c == b'}' {
            stack.pop();
            i += 1;
            continue;
        }
        if c == b';' {
            in_use = false;
        }
        let boundary = i == 0 || !(is_ident(b[i - 1]) || b[i - 1] == b':');
        if boundary && is_ident(c) {
            let len = ident_len(&code[i..]);
            let word = &code[i..i + len];
            if word == "use" {
                in_use = true;
            }
            let prefix = i == 0 || b[i - 1] != b'$' || word == "crate";
            let inline: Vec<String> = stack.iter().flatten().cloned().collect();
            let is_path_start = code[i + len..].starts_with("::")
                && prefix
                && (matches!(word, "crate" | "super")
                    || (paths == Paths::All
                        && (word == "self" || (inline.is_empty() && children.contains(word)))));
            if is_path_start {
                out.push(Found {
                    at: i,
                    inline,
                    in_use,
                });
            }
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

/// One crate's files, modules and imports.
pub struct Crate {
    /// The folder holding `lib.rs`.
    src: PathBuf,
    /// How files are named in reports (`tools/sandbox/src/…`).
    label: String,
    /// Module path (`["state", "users"]`) -> file.
    modules: BTreeMap<Vec<String>, PathBuf>,
    /// File -> module path.
    module_of: BTreeMap<PathBuf, Vec<String>>,
    /// File -> its code without comments.
    code: BTreeMap<PathBuf, String>,
    /// File -> names it imports or re-exports at its top level -> the
    /// absolute path they stand for.
    imports: BTreeMap<PathBuf, BTreeMap<String, Vec<String>>>,
    /// File -> modules it glob-imports (`pub use x::*`, `use super::*`).
    globs: BTreeMap<PathBuf, Vec<Vec<String>>>,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

impl Crate {
    /// Reads the crate whose `lib.rs` is in `src`; `label` prefixes its
    /// file names in reports.
    pub fn read(src: &Path, label: &str) -> Crate {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        files.sort();
        let mut krate = Crate {
            src: src.to_owned(),
            label: label.to_owned(),
            modules: BTreeMap::new(),
            module_of: BTreeMap::new(),
            code: BTreeMap::new(),
            imports: BTreeMap::new(),
            globs: BTreeMap::new(),
        };
        for file in &files {
            let rel = file.strip_prefix(src).expect("file under src");
            let mut module: Vec<String> = rel
                .components()
                .filter_map(|c| c.as_os_str().to_str())
                .map(|s| s.trim_end_matches(".rs").to_string())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod")) {
                module.pop();
            }
            if module == ["lib"] {
                module.clear();
            }
            if module == ["main"] {
                // The binary's own crate: not part of the library's tree.
                continue;
            }
            let text = std::fs::read_to_string(file).expect("source file is readable");
            krate.modules.insert(module.clone(), file.clone());
            krate.module_of.insert(file.clone(), module);
            krate.code.insert(file.clone(), clean(&text));
        }
        let paths: Vec<PathBuf> = krate.code.keys().cloned().collect();
        for file in paths {
            krate.read_imports(&file);
        }
        krate
    }

    fn children(&self, module: &[String]) -> BTreeSet<String> {
        self.modules
            .keys()
            .filter(|m| m.len() == module.len() + 1 && m.starts_with(module))
            .filter_map(|m| m.last().cloned())
            .collect()
    }

    /// The absolute module path of `segments` written in `module` (with
    /// `inline` modules around it); `None` for other crates' paths.
    fn absolute(
        &self,
        module: &[String],
        inline: &[String],
        segments: &[String],
    ) -> Option<Vec<String>> {
        let mut here: Vec<String> = module.to_vec();
        here.extend(inline.iter().cloned());
        let mut rest = segments;
        let first = rest.first()?.as_str();
        let mut base = match first {
            "crate" => {
                rest = &rest[1..];
                Vec::new()
            }
            "self" => {
                rest = &rest[1..];
                here
            }
            "super" => {
                while rest.first().is_some_and(|s| s == "super") {
                    here.pop();
                    rest = &rest[1..];
                }
                here
            }
            name if inline.is_empty() && self.children(module).contains(name) => here,
            _ => return None,
        };
        base.extend(rest.iter().filter(|s| *s != "self").cloned());
        Some(base)
    }

    fn read_imports(&mut self, file: &Path) {
        let module = self.module_of[file].clone();
        let code = self.code[file].clone();
        let children = self.children(&module);
        let mut names = BTreeMap::new();
        let mut globs = Vec::new();
        for found in scan(&code, &children, Paths::All) {
            if !found.in_use || !found.inline.is_empty() {
                continue;
            }
            for p in use_tree(&code[found.at..]) {
                let Some(abs) = self.absolute(&module, &[], &p.segments) else {
                    continue;
                };
                if p.name == "*" {
                    let mut m = abs;
                    m.pop();
                    globs.push(m);
                } else {
                    names.insert(p.name, abs);
                }
            }
        }
        self.imports.insert(file.to_owned(), names);
        self.globs.insert(file.to_owned(), globs);
    }

    /// Whether `file` defines an item called `name` at its top level.
    fn defines(&self, file: &Path, name: &str) -> bool {
        let code = &self.code[file];
        [
            "fn",
            "struct",
            "enum",
            "trait",
            "type",
            "const",
            "static",
            "union",
            "macro_rules!",
        ]
        .iter()
        .any(|kw| {
            code.match_indices(&format!("{kw} {name}")).any(|(at, m)| {
                let after = code[at + m.len()..].chars().next();
                !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
            })
        })
    }

    /// The file that defines what the absolute path `abs` names.
    fn resolve(&self, abs: &[String], depth: usize) -> Option<PathBuf> {
        let mut module: Vec<String> = Vec::new();
        for (k, seg) in abs.iter().enumerate() {
            let mut next = module.clone();
            next.push(seg.clone());
            if self.modules.contains_key(&next) {
                module = next;
                continue;
            }
            let file = self.modules.get(&module)?;
            if seg == "*" || depth > 8 {
                return Some(file.clone());
            }
            if let Some(target) = self.imports[file].get(seg) {
                let mut path = target.clone();
                path.extend(abs[k + 1..].iter().cloned());
                if path.as_slice() != abs {
                    return self.resolve(&path, depth + 1);
                }
            }
            if !self.defines(file, seg) {
                for glob in &self.globs[file] {
                    if let Some(source) = self.modules.get(glob)
                        && source != file
                        && (self.defines(source, seg) || self.imports[source].contains_key(seg))
                    {
                        let mut path = glob.clone();
                        path.extend(abs[k..].iter().cloned());
                        return self.resolve(&path, depth + 1);
                    }
                }
            }
            return Some(file.clone());
        }
        self.modules.get(&module).cloned()
    }

    /// `tools/sandbox/src/state/mod.rs` for a file.
    pub fn name(&self, file: &Path) -> String {
        let rel = file.strip_prefix(&self.src).unwrap_or(file);
        format!("{}/{}", self.label, rel.display())
    }

    /// The file import graph, counting `paths`.
    pub fn graph(&self, paths: Paths) -> FileGraph {
        let mut graph = FileGraph::new();
        for (file, module) in &self.module_of {
            if module.is_empty() {
                continue;
            }
            let is_facade = file
                .file_name()
                .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
            let code = if is_facade {
                without_facade(&self.code[file])
            } else {
                self.code[file].clone()
            };
            let from = self.name(file);
            let edges = graph.entry(from.clone()).or_default();
            for found in scan(&code, &self.children(module), paths) {
                for p in use_tree(&code[found.at..]) {
                    let Some(abs) = self.absolute(module, &found.inline, &p.segments) else {
                        continue;
                    };
                    let Some(target) = self.resolve(&abs, 0) else {
                        continue;
                    };
                    let to = self.name(&target);
                    if &target != file && self.module_of.get(&target).is_some_and(|m| !m.is_empty())
                    {
                        edges.insert(to);
                    }
                }
            }
        }
        graph
    }
}

/// The strongly connected parts of `graph` with more than one file: each
/// is a set of files that import each other around one or more circles.
pub fn knots(graph: &FileGraph) -> Vec<BTreeSet<String>> {
    struct Tarjan<'g> {
        graph: &'g FileGraph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<BTreeSet<String>>,
    }
    impl<'g> Tarjan<'g> {
        fn visit(&mut self, v: &'g str) {
            self.index.insert(v, self.next);
            self.low.insert(v, self.next);
            self.next += 1;
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut part = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    part.insert(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if part.len() > 1 {
                    self.out.push(part);
                }
            }
        }
    }
    let mut t = Tarjan {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

/// The shortest circle through `start` inside `knot`, as `a -> b -> a`.
pub fn shortest_circle(graph: &FileGraph, knot: &BTreeSet<String>, start: &str) -> Vec<String> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for w in graph.get(v).into_iter().flatten() {
            if !knot.contains(w) {
                continue;
            }
            if w == start {
                let mut path = vec![start.to_string()];
                let mut at = v;
                while at != start {
                    path.push(at.to_string());
                    at = came_from[at];
                }
                path.push(start.to_string());
                let inner = path.len() - 1;
                path[1..inner].reverse();
                return path;
            }
            if !came_from.contains_key(w.as_str()) {
                came_from.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    Vec::new()
}

/// A readable account of a knot: its files, one shortest circle, and the
/// imports that hold it together.
pub fn describe(graph: &FileGraph, knot: &BTreeSet<String>) -> String {
    let first = knot.iter().next().cloned().unwrap_or_default();
    let mut text = format!(
        "{} files import each other: {}\n  e.g. {}\n  imports inside it:",
        knot.len(),
        knot.iter().cloned().collect::<Vec<_>>().join(", "),
        shortest_circle(graph, knot, &first).join(" -> ")
    );
    for from in knot {
        for to in graph.get(from).into_iter().flatten() {
            if knot.contains(to) {
                text.push_str(&format!("\n    {from} -> {to}"));
            }
        }
    }
    text
}
