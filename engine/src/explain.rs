//! Explaining a render (issue 15): which template line produced each output
//! line (through `include`, `template` and `tpl`), template coverage (LCOV),
//! and which values no template read. Built from the executor's
//! [`crate::template::trace::Tracer`] after the render; the render itself is
//! unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::engine::EngineTrace;
use crate::releaseutil::Document;
use crate::template::trace::{covered_nodes, Covered, Lines, Seg, SiteId, Tracer};
use crate::value::Value;

/// A place in a template file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// Template file as in `# Source:` (`mychart/templates/_helpers.tpl`),
    /// or `gotpl` for text given to `tpl`.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based byte column.
    pub col: usize,
}

/// Where an output line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The template text or action that wrote the line's first non-blank
    /// byte (for `tpl` text: the `tpl` call in a file).
    pub at: Frame,
    /// Whether `at` is an action (`{{ … }}`) rather than literal text.
    pub action: bool,
    /// The `template`/`include`/`tpl` calls that led there, innermost first.
    pub chain: Vec<Frame>,
}

/// One `if`/`with`/`range` of a file: branch 0 is the body, branch 1 the
/// `else` (written or not: the condition was false / the collection empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BranchCoverage {
    pub line: usize,
    /// The construct's index within its file (LCOV's block).
    pub block: usize,
    /// Times each branch was taken; None when the construct never ran.
    pub taken: Option<[u64; 2]>,
}

/// Coverage of one template file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCoverage {
    /// Line → executions of the busiest action on it (every line holding
    /// an action is listed, 0 when none of its actions ran).
    pub lines: BTreeMap<usize, u64>,
    pub branches: Vec<BranchCoverage>,
}

/// What a traced render explains.
#[derive(Clone, Debug, Default)]
pub struct RenderTrace {
    /// Per line of `RenderOutput::manifest` (0-based index).
    pub manifest_lines: Vec<Option<Origin>>,
    /// Per line of `RenderOutput::notes`.
    pub notes_lines: Vec<Option<Origin>>,
    /// Per rendered template file (`RenderOutput::files`), per line.
    pub file_lines: BTreeMap<String, Vec<Option<Origin>>>,
    /// Per template file, named as in `# Source:`.
    pub coverage: BTreeMap<String, FileCoverage>,
    /// Values paths no template read (`image.pullPolicy`,
    /// `ingress.tls[0].hosts`, `redis.auth.enabled`), sorted.
    pub unused_values: Vec<String>,
}

/// Resolves sites to frames, caching each text's line table.
struct Resolver<'a> {
    tr: &'a Tracer,
    lines: HashMap<usize, Lines>,
}

impl<'a> Resolver<'a> {
    fn new(tr: &'a Tracer) -> Self {
        Resolver { tr, lines: HashMap::new() }
    }

    fn frame_at(&mut self, loc: u32, pos: usize) -> Frame {
        let tree = &self.tr.locs[loc as usize].tree;
        let key = tree.text.as_ptr() as usize;
        let lines = self.lines.entry(key).or_insert_with(|| Lines::new(&tree.text));
        let (line, col) = lines.line_col(pos);
        Frame { file: tree.parse_name.clone(), line, col }
    }

    fn site_frame(&mut self, site: SiteId) -> (Frame, Option<SiteId>) {
        let (loc, via) = self.tr.sites[site as usize];
        let pos = self.tr.locs[loc as usize].pos;
        (self.frame_at(loc, pos), via)
    }

    /// The origin of output byte `o` of segment `g`.
    fn origin(&mut self, g: &Seg, o: usize) -> Origin {
        let (loc, mut via) = self.tr.sites[g.site as usize];
        let (mut at, mut action) = match g.src {
            Some(src) => (self.frame_at(loc, src + (o - g.start)), false),
            None => (self.frame_at(loc, self.tr.locs[loc as usize].pos), true),
        };
        let mut chain = Vec::new();
        while let Some(s) = via {
            let (f, next) = self.site_frame(s);
            chain.push(f);
            via = next;
        }
        // `tpl` text is no file: the line is the `tpl` call's.
        if at.file == "gotpl" {
            if let Some(f) = chain.iter().find(|f| f.file != "gotpl") {
                at = f.clone();
                action = true;
            }
        }
        Origin { at, action, chain }
    }
}

/// Per line of `text`, the origin of its first non-blank byte (or of any
/// byte of a blank line).
fn line_origins(res: &mut Resolver<'_>, text: &str, segs: &[Seg]) -> Vec<Option<Origin>> {
    let lines = Lines::new(text);
    let bytes = text.as_bytes();
    let mut v = Vec::with_capacity(lines.count());
    for i in 0..lines.count() {
        let ls = lines.start(i);
        if ls > text.len() || (ls == text.len() && i > 0) {
            break;
        }
        let le = lines.start(i + 1).min(text.len() + 1) - 1; // the newline (or end)
        let le = le.min(text.len());
        let first = (ls..le).find(|&b| !bytes[b].is_ascii_whitespace());
        let probe = first.unwrap_or(ls);
        let k = segs.partition_point(|g| g.end <= probe);
        let hit = segs.get(k).filter(|g| g.start <= probe).map(|g| (*g, probe)).or_else(|| {
            // A blank line: any segment touching it.
            segs.get(k).filter(|g| g.start <= le.max(ls)).map(|g| (*g, g.start.max(ls)))
        });
        v.push(hit.map(|(g, o)| res.origin(&g, o)));
    }
    v
}

/// Maps the lines of `helm template`'s output (`---`, `# Source: X`, then
/// the document as split and sorted) to the lines of the rendered files.
/// A document's lines run from its `# Source:` line to the `---` before
/// the next document that has one (a CRD file's later documents belong to
/// it).
fn output_origins(
    out: &str,
    documents: &[Document],
    files: &BTreeMap<String, String>,
    file_lines: &BTreeMap<String, Vec<Option<Origin>>>,
) -> Vec<Option<Origin>> {
    let lines: Vec<&str> = out.split('\n').collect();
    let mut v: Vec<Option<Origin>> = vec![None; lines.len()];
    let mut cursor: HashMap<&str, usize> = HashMap::new();
    // 0-based index of each `# Source:` line, with its path.
    let headers: Vec<(usize, &str)> = documents
        .iter()
        .filter(|d| d.text.starts_with("# Source: ") && d.line >= 1)
        .map(|d| (d.line - 1, d.source.as_str()))
        .collect();
    for (k, &(at, source)) in headers.iter().enumerate() {
        let start = (at + 1).min(lines.len());
        let end = headers.get(k + 1).map_or(lines.len(), |(next, _)| next.saturating_sub(1)).max(start);
        let doc = lines[start..end].join("\n");
        let doc = doc.trim_end();
        if let (Some(content), Some(origins)) = (files.get(source), file_lines.get(source)) {
            if !doc.is_empty() {
                let from = cursor.get(source).copied().unwrap_or(0).min(content.len());
                let found = content[from..].find(doc).map(|p| p + from).or_else(|| content.find(doc));
                if let Some(p) = found {
                    cursor.insert(source, p + doc.len());
                    let first_line = content[..p].matches('\n').count();
                    for (j, slot) in v.iter_mut().take(end).skip(start).enumerate() {
                        *slot = origins.get(first_line + j).cloned().flatten();
                    }
                }
            }
        }
    }
    v
}

/// Coverage per file from the trace.
fn coverage(tr: &Tracer) -> BTreeMap<String, FileCoverage> {
    // Files' trees and their defines, in source order per file.
    let mut per_file: BTreeMap<String, Vec<(usize, bool, Option<u32>)>> = BTreeMap::new();
    let mut lines_of: HashMap<String, Lines> = HashMap::new();
    for tree in &tr.trees {
        if tree.parse_name == "gotpl" {
            continue;
        }
        let entry = per_file.entry(tree.parse_name.clone()).or_default();
        lines_of.entry(tree.parse_name.clone()).or_insert_with(|| Lines::new(&tree.text));
        for c in covered_nodes(tree) {
            let (pos, branch) = match c {
                Covered::Action(p) => (p, false),
                Covered::Branch(p) => (p, true),
            };
            entry.push((pos, branch, tr.find_loc(tree, pos)));
        }
    }
    let mut out = BTreeMap::new();
    for (file, mut nodes) in per_file {
        crate::gofmt::sort::sort_by_key(&mut nodes, |n| n.0);
        nodes.dedup_by_key(|n| n.0);
        let lines = &lines_of[&file];
        let mut fc = FileCoverage::default();
        for (pos, branch, loc) in nodes {
            let line = lines.index(pos) + 1;
            let hits = loc.map_or(0, |l| tr.hits[l as usize]);
            let e = fc.lines.entry(line).or_insert(0);
            *e = (*e).max(hits);
            if branch {
                let taken = loc.filter(|_| hits > 0).map(|l| tr.branches.get(&l).copied().unwrap_or([0, 0]));
                let block = fc.branches.len();
                fc.branches.push(BranchCoverage { line, block, taken });
            }
        }
        out.insert(file, fc);
    }
    out
}

/// Builds the explanation of a traced render. `files` are the rendered
/// files (NOTES included), `values` the `.Values` the templates saw.
pub(crate) fn explain(trace: &EngineTrace, files: &BTreeMap<String, String>, values: &Value) -> RenderTrace {
    let mut res = Resolver::new(&trace.tracer);
    let mut file_lines = BTreeMap::new();
    for (name, content) in files {
        let segs = trace.files.get(name).map(Vec::as_slice).unwrap_or(&[]);
        file_lines.insert(name.clone(), line_origins(&mut res, content, segs));
    }
    RenderTrace {
        manifest_lines: Vec::new(),
        notes_lines: Vec::new(),
        file_lines,
        coverage: coverage(&trace.tracer),
        unused_values: unused_values(&trace.tracer, values),
    }
}

/// Fills the per-line maps of the final output.
pub(crate) fn map_output(
    t: &mut RenderTrace,
    manifest: &str,
    documents: &[Document],
    notes: &str,
    notes_file: &str,
    files: &BTreeMap<String, String>,
) {
    t.manifest_lines = output_origins(manifest, documents, files, &t.file_lines);
    let n = notes.split('\n').count();
    t.notes_lines = match t.file_lines.get(notes_file) {
        Some(o) if !notes.is_empty() => (0..n).map(|i| o.get(i).cloned().flatten()).collect(),
        _ => vec![None; n],
    };
}

// ------------------------------------------------------------ values read

fn path_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Leaf paths of `values` and whether a template read them.
pub(crate) fn values_leaves_read(tr: &Tracer, values: &Value) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    fn walk(tr: &Tracer, v: &Value, path: &str, read_above: bool, out: &mut Vec<(String, bool)>) {
        let addr = crate::template::trace::container_addr(v);
        let whole = read_above || addr.is_some_and(|a| tr.whole.contains(&a));
        let child_read = |k: &str| whole || addr.is_some_and(|a| tr.reads.contains(&(a, k.to_string())));
        match v {
            Value::Map(m, _) if !m.borrow().is_empty() => {
                for (k, c) in m.borrow().iter() {
                    let p = path_key(path, k);
                    if crate::template::trace::container_addr(c).is_some_and(|_| !is_empty_container(c)) {
                        walk(tr, c, &p, whole, out);
                    } else {
                        out.push((p, child_read(k)));
                    }
                }
            }
            Value::List(l, _) if !l.borrow().is_empty() => {
                for (i, c) in l.borrow().iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    let k = i.to_string();
                    if crate::template::trace::container_addr(c).is_some_and(|_| !is_empty_container(c)) {
                        walk(tr, c, &p, whole, out);
                    } else {
                        out.push((p, child_read(&k)));
                    }
                }
            }
            _ => {}
        }
    }
    crate::template::with_stack(|| walk(tr, values, "", false, &mut out));
    out
}

fn is_empty_container(v: &Value) -> bool {
    match v {
        Value::Map(m, _) => m.borrow().is_empty(),
        Value::List(l, _) => l.borrow().is_empty(),
        _ => false,
    }
}

/// The globals a subchart sees are copies of the parent's: a read of
/// `sub.global.x` reads `global.x`, and the copies are not listed.
fn global_of(path: &str) -> Option<String> {
    let i = path.find(".global.").or_else(|| path.find(".global[")).map(|i| i + 1)?;
    Some(path[i..].to_string())
}

/// Sorted values paths no template read.
pub fn unused_values(tr: &Tracer, values: &Value) -> Vec<String> {
    let leaves = values_leaves_read(tr, values);
    let read_globals: HashSet<String> = leaves.iter().filter(|(_, r)| *r).filter_map(|(p, _)| global_of(p)).collect();
    let set: BTreeSet<String> = leaves
        .into_iter()
        .filter(|(p, r)| !*r && global_of(p).is_none() && !read_globals.contains(p))
        .map(|(p, _)| p)
        .collect();
    set.into_iter().collect()
}

// ------------------------------------------------------------ LCOV

/// An LCOV tracefile of the coverage: one record per template file.
pub fn lcov(cov: &BTreeMap<String, FileCoverage>) -> String {
    let mut s = String::new();
    for (file, fc) in cov {
        s.push_str("TN:\n");
        s.push_str(&format!("SF:{file}\n"));
        for b in &fc.branches {
            for (i, t) in [0usize, 1].iter().enumerate() {
                let taken = match b.taken {
                    Some(t2) => t2[*t].to_string(),
                    None => "-".to_string(),
                };
                s.push_str(&format!("BRDA:{},{},{},{}\n", b.line, b.block, i, taken));
            }
        }
        let brf = fc.branches.len() * 2;
        let brh: usize = fc.branches.iter().filter_map(|b| b.taken).map(|t| t.iter().filter(|n| **n > 0).count()).sum();
        s.push_str(&format!("BRF:{brf}\nBRH:{brh}\n"));
        for (line, hits) in &fc.lines {
            s.push_str(&format!("DA:{line},{hits}\n"));
        }
        let lh = fc.lines.values().filter(|h| **h > 0).count();
        s.push_str(&format!("LF:{}\nLH:{lh}\n", fc.lines.len()));
        s.push_str("end_of_record\n");
    }
    s
}
