//! The import graph of src/ (issue 17): no cycle among files, no import from a lower layer
//! to a higher one, no import through the crate root's re-exports (which hide the real
//! edge), and no file of 600 lines or more besides its trailing unit tests.
//!
//! A small reader of Rust source, std only: it strips comments, strings and char literals,
//! then collects every `use` tree and every inline `crate::` / `super::` / `self::` /
//! child-module path, and resolves each to the file defining that module (`src/a/b.rs` or
//! `src/a/b/mod.rs`). Not edges: `mod x;` declarations, a file's use of its own ancestor
//! modules (a parent owns its children), and `#[cfg(test)]` modules, whose unit tests may
//! build end-to-end cases from any layer and are not part of the library.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules, lowest layer first: each may import only its own layer or lower ones.
/// `lib.rs` is the crate root.
const LAYERS: &[&[&str]] = &[
    &["error", "alloc_budget"],
    &["spec", "format"],
    &["frame"],
    &["limits"],
    &["codec"],
    &["options"],
    &["ops"],
    &["pipeline"],
    &["lib.rs", "wasm", "bin"],
];

/// A file may have fewer lines than this, not counting a trailing `#[cfg(test)] mod tests`.
const MAX_LINES: usize = 600;

#[test]
fn src_import_graph_is_layered() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = Graph::new(read_sources(&src, &src));
    let problems = graph.problems(LAYERS);
    assert!(
        problems.is_empty(),
        "{} problems in the import graph of src/:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every `.rs` file under `dir`, as (path relative to `root` with `/`, text), sorted.
fn read_sources(root: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(read_sources(root, &path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((rel.replace('\\', "/"), text));
        }
    }
    files.sort();
    files
}

// ---------------------------------------------------------------------------------------
// Tokens: identifiers, `::` and single punctuation; comments and literals dropped.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

fn tokenize(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    // Skips a quoted literal from its opening quote at `i`, honouring `\` escapes.
    let skip_quoted = |i: &mut usize, line: &mut usize, quote: char| {
        *i += 1;
        while *i < c.len() && c[*i] != quote {
            if c[*i] == '\n' {
                *line += 1;
            }
            *i += if c[*i] == '\\' { 2 } else { 1 };
        }
        *i += 1;
    };
    while i < c.len() {
        match c[i] {
            '\n' => {
                line += 1;
                i += 1;
            }
            ch if ch.is_whitespace() => i += 1,
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let mut depth = 0;
                loop {
                    match (at(i), at(i + 1)) {
                        ('/', '*') => (depth, i) = (depth + 1, i + 2),
                        ('*', '/') => (depth, i) = (depth - 1, i + 2),
                        ('\0', _) => break,
                        (ch, _) => {
                            line += usize::from(ch == '\n');
                            i += 1;
                        }
                    }
                    if depth == 0 {
                        break;
                    }
                }
            }
            '"' => skip_quoted(&mut i, &mut line, '"'),
            // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime or label.
            '\'' if at(i + 1) == '\\' || at(i + 2) == '\'' => skip_quoted(&mut i, &mut line, '\''),
            '\'' => i += 1,
            ch if ch.is_alphanumeric() || ch == '_' => {
                let start = i;
                while at(i).is_alphanumeric() || at(i) == '_' {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                let raw = matches!(word.as_str(), "r" | "br" | "cr");
                if raw && matches!(at(i), '"' | '#') {
                    let hashes = c[i..].iter().take_while(|&&ch| ch == '#').count();
                    if at(i + hashes) != '"' {
                        i += hashes; // a raw identifier, r#name: its name follows
                        continue;
                    }
                    i += hashes + 1;
                    let close: Vec<char> = std::iter::once('"')
                        .chain("#".repeat(hashes).chars())
                        .collect();
                    while i < c.len() && !c[i..].starts_with(&close) {
                        line += usize::from(c[i] == '\n');
                        i += 1;
                    }
                    i += close.len();
                } else if matches!(word.as_str(), "b" | "c") && at(i) == '"' {
                    skip_quoted(&mut i, &mut line, '"');
                } else if word == "b" && at(i) == '\'' {
                    skip_quoted(&mut i, &mut line, '\'');
                } else {
                    out.push(Token {
                        tok: Tok::Ident(word),
                        line,
                    });
                }
            }
            ':' if at(i + 1) == ':' => {
                out.push(Token {
                    tok: Tok::PathSep,
                    line,
                });
                i += 2;
            }
            ch => {
                out.push(Token {
                    tok: Tok::Punct(ch),
                    line,
                });
                i += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// One file: its module declarations, its paths, and where its trailing unit tests start.

/// A path written in a file: in a `use` tree or inline in code.
#[derive(Debug, Clone)]
struct PathRef {
    /// Inline modules (`mod x { .. }`) enclosing it, relative to the file's module.
    scope: Vec<String>,
    segments: Vec<String>,
    /// The name it is bound to, for `use` trees (its alias or last segment).
    binds: Option<String>,
    line: usize,
}

#[derive(Debug, Default)]
struct Parsed {
    paths: Vec<PathRef>,
    /// (enclosing inline modules, name, test-only) of every `mod name;` and `mod name { .. }`.
    mods: Vec<(Vec<String>, String, bool)>,
    /// The first line of a `#[cfg(test)]` module that runs to the end of the file.
    trailing_tests_from: Option<usize>,
}

fn ident(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

fn is(t: Option<&Token>, tok: &Tok) -> bool {
    t.is_some_and(|t| t.tok == *tok)
}

fn parse(text: &str) -> Parsed {
    let toks = tokenize(text);
    let mut parsed = Parsed::default();
    // Open inline modules: (name, brace depth inside it, test-only, first line).
    let mut open: Vec<(String, usize, bool, usize)> = Vec::new();
    let (mut depth, mut i) = (0, 0);
    // Attributes seen since the last item boundary: is one a `cfg(test)`, and their line.
    let (mut cfg_test, mut attrs_from) = (false, None::<usize>);
    while i < toks.len() {
        let scope: Vec<String> = open.iter().map(|m| m.0.clone()).collect();
        let in_test = open.last().is_some_and(|m| m.2);
        let line = toks[i].line;
        match &toks[i].tok {
            Tok::Punct('#') => {
                let start = i + 1 + usize::from(is(toks.get(i + 1), &Tok::Punct('!')));
                let mut end = start;
                let mut brackets = 0;
                loop {
                    match toks.get(end).map(|t| &t.tok) {
                        Some(Tok::Punct('[')) => brackets += 1,
                        Some(Tok::Punct(']')) => brackets -= 1,
                        None => break,
                        _ => {}
                    }
                    end += 1;
                    if brackets == 0 {
                        break;
                    }
                }
                if is_cfg_test(&toks[start..end]) {
                    cfg_test = true;
                }
                attrs_from.get_or_insert(line);
                i = end;
                continue;
            }
            Tok::Ident(word) if word == "mod" => {
                if let Some(name) = ident(toks.get(i + 1)) {
                    let test = in_test || cfg_test;
                    parsed.mods.push((scope, name.to_owned(), test));
                    if is(toks.get(i + 2), &Tok::Punct('{')) {
                        depth += 1;
                        open.push((name.to_owned(), depth, test, attrs_from.unwrap_or(line)));
                        i += 3;
                        (cfg_test, attrs_from) = (false, None);
                        continue;
                    }
                }
            }
            Tok::Ident(word) if word == "use" => {
                let mut trees = Vec::new();
                i += 1;
                use_tree(&toks, &mut i, Vec::new(), &mut trees);
                if !(in_test || cfg_test) {
                    parsed
                        .paths
                        .extend(trees.into_iter().map(|(segments, binds)| PathRef {
                            scope: scope.clone(),
                            segments,
                            binds: Some(binds),
                            line,
                        }));
                }
                (cfg_test, attrs_from) = (false, None);
                continue;
            }
            // The start of an inline path (not `$crate::`, not the middle of a path).
            Tok::Ident(_)
                if is(toks.get(i + 1), &Tok::PathSep)
                    && !(i > 0 && matches!(toks[i - 1].tok, Tok::PathSep | Tok::Punct('$'))) =>
            {
                let mut segments = Vec::new();
                while let Some(name) = ident(toks.get(i)) {
                    segments.push(name.to_owned());
                    if !is(toks.get(i + 1), &Tok::PathSep) {
                        break;
                    }
                    i += 2;
                }
                if !in_test {
                    parsed.paths.push(PathRef {
                        scope,
                        segments,
                        binds: None,
                        line,
                    });
                }
                continue;
            }
            Tok::Punct('{') => {
                depth += 1;
                (cfg_test, attrs_from) = (false, None);
            }
            Tok::Punct('}') => {
                if open.last().is_some_and(|m| m.1 == depth) {
                    let (_, _, test, from) = open.pop().unwrap();
                    let last = i + 1 == toks.len();
                    if test && last && open.is_empty() {
                        parsed.trailing_tests_from = Some(from);
                    }
                }
                depth = depth.saturating_sub(1);
                (cfg_test, attrs_from) = (false, None);
            }
            Tok::Punct(';') => (cfg_test, attrs_from) = (false, None),
            _ => {}
        }
        i += 1;
    }
    parsed
}

/// True for the tokens of `[cfg(test)]` and `[cfg(all(.., test, ..))]`: code compiled for
/// unit tests only (not `test` inside `not(..)` or `any(..)`).
fn is_cfg_test(attr: &[Token]) -> bool {
    let words: Vec<&str> = attr.iter().filter_map(|t| ident(Some(t))).collect();
    match words.as_slice() {
        ["cfg", "test"] => true,
        ["cfg", "all", ..] => {
            let mut depth = 0;
            attr.iter().any(|t| match &t.tok {
                Tok::Punct('(') => {
                    depth += 1;
                    false
                }
                Tok::Punct(')') => {
                    depth -= 1;
                    false
                }
                Tok::Ident(word) => word == "test" && depth == 2,
                _ => false,
            })
        }
        _ => false,
    }
}

/// Expands the use tree at `toks[*i]` into (path, bound name) pairs; leaves `*i` after it.
/// `use ::x` keeps a leading "::" segment, which never resolves inside the crate.
fn use_tree(
    toks: &[Token],
    i: &mut usize,
    mut path: Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    if is(toks.get(*i), &Tok::PathSep) {
        path.push("::".into());
        *i += 1;
    }
    loop {
        match toks.get(*i).map(|t| &t.tok) {
            Some(Tok::Ident(name)) => {
                path.push(name.clone());
                *i += 1;
                if is(toks.get(*i), &Tok::PathSep) {
                    *i += 1;
                    continue;
                }
                let mut binds = name.clone();
                if ident(toks.get(*i)) == Some("as") {
                    binds = ident(toks.get(*i + 1)).unwrap_or("_").to_owned();
                    *i += 2;
                }
                out.push((path, binds));
                return;
            }
            Some(Tok::Punct('*')) => {
                path.push("*".into());
                *i += 1;
                out.push((path, "*".into()));
                return;
            }
            Some(Tok::Punct('{')) => {
                *i += 1;
                while toks.get(*i).is_some_and(|t| t.tok != Tok::Punct('}')) {
                    use_tree(toks, i, path.clone(), out);
                    if is(toks.get(*i), &Tok::Punct(',')) {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            _ => return,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The graph of files.

struct SourceFile {
    /// Path under src/, e.g. `codec/probe.rs`.
    rel: String,
    /// Module path: `[]` for lib.rs, `["codec"]` for codec/mod.rs.
    module: Vec<String>,
    lines: usize,
    parsed: Parsed,
    /// Declared under `#[cfg(test)]` by its parent: a file of unit tests.
    test_only: bool,
}

impl SourceFile {
    /// Top-level module, the key of the layer table: `lib.rs` for the crate root.
    fn top(&self) -> &str {
        match self.rel.split_once('/') {
            Some((dir, _)) => dir,
            None if self.rel == "lib.rs" => "lib.rs",
            None => self.rel.trim_end_matches(".rs"),
        }
    }

    /// src/bin/ files are crates of their own that use the library's public API.
    fn is_bin(&self) -> bool {
        self.rel.starts_with("bin/")
    }

    fn code_lines(&self) -> usize {
        self.parsed
            .trailing_tests_from
            .map_or(self.lines, |from| from - 1)
    }
}

/// An import resolved to the file defining the module it names.
struct Edge {
    from: usize,
    to: usize,
    line: usize,
    path: String,
}

struct Graph {
    files: Vec<SourceFile>,
    edges: Vec<Edge>,
    /// Imports that name an item through the crate root's `use`: (file, line, path, real path).
    through_root: Vec<(usize, usize, String, String)>,
}

/// A path as written, without the `self` of `use a::{self, ..}`.
fn written(segments: &[String]) -> String {
    let kept: Vec<&str> = segments
        .iter()
        .enumerate()
        .filter(|(i, s)| *i == 0 || *s != "self")
        .map(|(_, s)| s.as_str())
        .collect();
    kept.join("::")
}

fn module_of(rel: &str) -> Vec<String> {
    let stem = rel.trim_end_matches(".rs");
    let stem = stem.strip_suffix("/mod").unwrap_or(stem);
    if stem == "lib" {
        return Vec::new();
    }
    stem.split('/').map(str::to_owned).collect()
}

impl Graph {
    fn new(sources: Vec<(String, String)>) -> Graph {
        let mut sources = sources;
        sources.sort();
        let mut files: Vec<SourceFile> = sources
            .into_iter()
            .map(|(rel, text)| SourceFile {
                module: module_of(&rel),
                lines: text.lines().count(),
                parsed: parse(&text),
                test_only: false,
                rel,
            })
            .collect();
        // Child modules of each (file or inline) module, and which are test-only.
        let mut children: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
        let mut test_modules = BTreeSet::new();
        for file in files.iter().filter(|f| !f.is_bin()) {
            for (scope, name, test) in &file.parsed.mods {
                let parent = [file.module.clone(), scope.clone()].concat();
                let module = [parent.clone(), vec![name.clone()]].concat();
                children.entry(parent).or_default().insert(name.clone());
                if *test {
                    test_modules.insert(module);
                }
            }
        }
        for file in &mut files {
            file.test_only = test_modules.contains(&file.module);
        }
        let by_module: BTreeMap<Vec<String>, usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.is_bin())
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        let mut graph = Graph {
            files,
            edges: Vec::new(),
            through_root: Vec::new(),
        };
        let resolver = Resolver {
            children: &children,
            by_module: &by_module,
        };
        // Names the crate root brings into scope with `use`, as absolute paths.
        let root = by_module[&Vec::new()];
        let root_names: BTreeMap<String, Vec<String>> = graph.files[root]
            .parsed
            .paths
            .iter()
            .filter(|p| p.scope.is_empty())
            .filter_map(|p| Some((p.binds.clone()?, resolver.absolute(&[], p)?)))
            .collect();
        for (from, file) in graph.files.iter().enumerate() {
            if file.is_bin() || file.test_only {
                continue;
            }
            for path in &file.parsed.paths {
                let Some(mut absolute) = resolver.absolute(&file.module, path) else {
                    continue;
                };
                let written = written(&path.segments);
                let mut to = resolver.file_of(&absolute);
                if to == root && from != root {
                    if let Some(real) = absolute.first().and_then(|name| root_names.get(name)) {
                        absolute = [real.clone(), absolute[1..].to_vec()].concat();
                        graph.through_root.push((
                            from,
                            path.line,
                            written.clone(),
                            absolute.join("::"),
                        ));
                        to = resolver.file_of(&absolute);
                    }
                }
                let ancestor = graph.files[from]
                    .module
                    .starts_with(&graph.files[to].module);
                if !ancestor {
                    graph.edges.push(Edge {
                        from,
                        to,
                        line: path.line,
                        path: written,
                    });
                }
            }
        }
        graph
    }

    fn name(&self, file: usize) -> String {
        format!("src/{}", self.files[file].rel)
    }

    /// The first import of each (from, to) pair, in file order.
    fn first_edges(&self) -> BTreeMap<(usize, usize), &Edge> {
        let mut first = BTreeMap::new();
        for e in &self.edges {
            first.entry((e.from, e.to)).or_insert(e);
        }
        first
    }

    fn problems(&self, layers: &[&[&str]]) -> Vec<String> {
        [
            self.cycles(),
            self.layer_violations(layers),
            self.root_reexport_imports(),
            self.long_files(),
        ]
        .concat()
    }

    /// a. The shortest cycle through each file that lies on one, each cycle once.
    fn cycles(&self) -> Vec<String> {
        let edges = self.first_edges();
        let mut next: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for &(from, to) in edges.keys() {
            next.entry(from).or_default().push(to);
        }
        let (mut seen, mut cycles) = (BTreeSet::new(), Vec::new());
        for group in strongly_connected(self.files.len(), &next) {
            for &file in group.iter().filter(|_| group.len() > 1) {
                let cycle = cycle_through(file, &group, &next);
                let mut members = cycle[1..].to_vec();
                members.sort();
                if seen.insert(members) {
                    cycles.push(cycle);
                }
            }
        }
        cycles.sort_by_key(Vec::len);
        cycles
            .iter()
            .map(|cycle| {
                let steps: Vec<String> = cycle
                    .windows(2)
                    .map(|w| {
                        let e = edges[&(w[0], w[1])];
                        format!("{}:{} `{}`", self.name(w[0]), e.line, e.path)
                    })
                    .collect();
                format!(
                    "a. import cycle: {} -> {}",
                    steps.join(" -> "),
                    self.name(cycle[0])
                )
            })
            .collect()
    }

    /// b. Files outside the layer table, and imports from a lower layer to a higher one.
    fn layer_violations(&self, layers: &[&[&str]]) -> Vec<String> {
        let layer = |f: usize| layers.iter().position(|l| l.contains(&self.files[f].top()));
        let mut problems: Vec<String> = (0..self.files.len())
            .filter(|&f| layer(f).is_none())
            .map(|f| {
                format!(
                    "b. {}: module `{}` has no layer: add it to the layer table (tests/layers.rs)",
                    self.name(f),
                    self.files[f].top()
                )
            })
            .collect();
        for (&(from, to), e) in &self.first_edges() {
            if let (Some(low), Some(high)) = (layer(from), layer(to)) {
                if high > low {
                    problems.push(format!(
                        "b. {}:{} (layer {low}, {}) imports {} (layer {high}, {}): `{}`",
                        self.name(from),
                        e.line,
                        self.files[from].top(),
                        self.name(to),
                        self.files[to].top(),
                        e.path
                    ));
                }
            }
        }
        problems
    }

    /// c. Imports through the crate root's re-exports.
    fn root_reexport_imports(&self) -> Vec<String> {
        self.through_root
            .iter()
            .map(|(from, line, written, real)| {
                format!(
                    "c. {}:{} `{written}` goes through the crate root: name `crate::{real}`",
                    self.name(*from),
                    line
                )
            })
            .collect()
    }

    /// d. Files of MAX_LINES lines or more, not counting a trailing test module.
    fn long_files(&self) -> Vec<String> {
        self.files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.test_only && f.code_lines() >= MAX_LINES)
            .map(|(i, f)| {
                format!(
                    "d. {}: {} lines without its trailing tests (limit: under {MAX_LINES})",
                    self.name(i),
                    f.code_lines()
                )
            })
            .collect()
    }
}

struct Resolver<'a> {
    children: &'a BTreeMap<Vec<String>, BTreeSet<String>>,
    by_module: &'a BTreeMap<Vec<String>, usize>,
}

impl Resolver<'_> {
    /// The absolute module path `path` (written in the file of module `file_module`) names,
    /// or `None` when it leaves the crate (std, other crates) or is not a module path.
    fn absolute(&self, file_module: &[String], path: &PathRef) -> Option<Vec<String>> {
        let here = [file_module, &path.scope[..]].concat();
        let (first, rest) = path.segments.split_first()?;
        let (base, tail) = match first.as_str() {
            "crate" => (Vec::new(), rest),
            "self" => (here, rest),
            "super" => {
                let ups = 1 + rest.iter().take_while(|s| *s == "super").count();
                let keep = here.len().checked_sub(ups)?;
                (here[..keep].to_vec(), &rest[ups - 1..])
            }
            // A child module named without `self::` (2018 paths).
            name if self.children.get(&here).is_some_and(|c| c.contains(name)) => {
                ([here, vec![name.to_owned()]].concat(), rest)
            }
            _ => return None,
        };
        // `use a::{self, B}` names `a` itself.
        Some(
            base.into_iter()
                .chain(tail.iter().filter(|s| *s != "self").cloned())
                .collect(),
        )
    }

    /// The file of the longest module prefix of `absolute`.
    fn file_of(&self, absolute: &[String]) -> usize {
        (0..=absolute.len())
            .rev()
            .find_map(|n| self.by_module.get(&absolute[..n]))
            .copied()
            .expect("the crate root is a file")
    }
}

/// Tarjan's strongly connected components of the graph `0..n` with edges `next`.
fn strongly_connected(n: usize, next: &BTreeMap<usize, Vec<usize>>) -> Vec<Vec<usize>> {
    struct State<'a> {
        next: &'a BTreeMap<usize, Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        counter: usize,
        groups: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.counter);
        s.low[v] = s.counter;
        s.counter += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.next.get(&v).into_iter().flatten() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut group = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack[w] = false;
                group.push(w);
                if w == v {
                    break;
                }
            }
            group.sort();
            s.groups.push(group);
        }
    }
    let mut s = State {
        next,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        counter: 0,
        groups: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.groups.sort();
    s.groups
}

/// A shortest cycle from `start` back to it inside `group` (breadth first).
fn cycle_through(start: usize, group: &[usize], next: &BTreeMap<usize, Vec<usize>>) -> Vec<usize> {
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in next.get(&v).into_iter().flatten() {
            if !group.contains(&w) || came_from.contains_key(&w) {
                continue;
            }
            came_from.insert(w, v);
            if w == start {
                let mut cycle = vec![start];
                let mut at = v;
                while at != start {
                    cycle.push(at);
                    at = came_from[&at];
                }
                cycle.push(start);
                cycle.reverse();
                return cycle;
            }
            queue.push_back(w);
        }
    }
    unreachable!("a strongly connected group has a cycle through each member")
}

// ---------------------------------------------------------------------------------------
// The checker on small crates.

fn graph(files: &[(&str, &str)]) -> Graph {
    Graph::new(
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect(),
    )
}

#[test]
fn a_cycle_is_found_with_its_files() {
    let g = graph(&[
        ("lib.rs", "mod codec;"),
        (
            "codec/mod.rs",
            "mod exif;\nmod probe;\npub use probe::probe;",
        ),
        (
            "codec/probe.rs",
            "use super::exif::{self, Ifd0};\npub fn probe() {}",
        ),
        (
            "codec/exif.rs",
            "// use crate::nothing;\nfn f() { let _ = super::probe::arr(); }",
        ),
    ]);
    assert_eq!(
        g.cycles(),
        [
            "a. import cycle: src/codec/exif.rs:2 `super::probe::arr` -> \
             src/codec/probe.rs:1 `super::exif` -> src/codec/exif.rs"
        ]
    );
}

#[test]
fn a_child_using_its_parent_is_no_edge() {
    let g = graph(&[
        ("lib.rs", "pub mod ops;\npub use ops::Ctx;"),
        (
            "ops/mod.rs",
            "pub mod crop;\npub mod blur;\nuse crop::Window;\npub struct Ctx;",
        ),
        (
            "ops/crop.rs",
            "use super::{Ctx, Op};\nuse crate::ops::Parse;\npub struct Window;",
        ),
        ("ops/blur.rs", "mod rgb;\nfn f() { super::crop::Window; }"),
        (
            "ops/blur/rgb.rs",
            "mod simd128 { use super::super::LEVEL; }\nuse crate::ops::blur::x;",
        ),
    ]);
    let edges: Vec<(String, String)> = g
        .edges
        .iter()
        .map(|e| (g.name(e.from), g.name(e.to)))
        .collect();
    assert_eq!(
        edges,
        [
            ("src/lib.rs".into(), "src/ops/mod.rs".into()),
            ("src/ops/blur.rs".into(), "src/ops/crop.rs".into()),
            ("src/ops/mod.rs".into(), "src/ops/crop.rs".into()),
        ]
    );
    assert!(g.cycles().is_empty());
}

#[test]
fn an_import_through_a_root_reexport_is_flagged_and_resolved() {
    let g = graph(&[
        ("lib.rs", "pub mod ops;\npub mod pipeline;\npub use pipeline::{Options, Pipeline as P};\npub fn process() {}"),
        ("ops/mod.rs", "use crate::Options;\nfn f() { crate::process(); crate::P::new(); }"),
        ("pipeline.rs", "pub struct Options;"),
    ]);
    assert_eq!(
        g.root_reexport_imports(),
        [
            "c. src/ops/mod.rs:1 `crate::Options` goes through the crate root: name `crate::pipeline::Options`",
            "c. src/ops/mod.rs:2 `crate::P::new` goes through the crate root: name `crate::pipeline::Pipeline::new`",
        ]
    );
    assert_eq!(
        g.layer_violations(LAYERS),
        ["b. src/ops/mod.rs:1 (layer 6, ops) imports src/pipeline.rs (layer 7, pipeline): `crate::Options`"]
    );
}

#[test]
fn comments_strings_and_unit_tests_are_not_imports() {
    let tests: String = (0..700).map(|i| format!("    // line {i}\n")).collect();
    let g = graph(&[
        ("lib.rs", "pub mod frame;\npub mod codec;"),
        ("codec/mod.rs", "pub struct ImageFormat;"),
        (
            "frame.rs",
            &format!(
                "/* use crate::codec::A; */\nconst S: &str = \"crate::codec::B\";\n\
                 const R: &str = r#\"crate::codec::C\"#;\nconst Q: char = '{{';\n\
                 #[cfg(test)]\nmod tests {{\n    use crate::codec::ImageFormat;\n{tests}}}\n"
            ),
        ),
        ("fresh.rs", ""),
    ]);
    assert!(g.edges.is_empty());
    let frame = g.files.iter().find(|f| f.rel == "frame.rs").unwrap();
    assert_eq!(frame.code_lines(), 4);
    assert!(g.long_files().is_empty());
    assert_eq!(
        g.layer_violations(LAYERS),
        ["b. src/fresh.rs: module `fresh` has no layer: add it to the layer table (tests/layers.rs)"]
    );
}
