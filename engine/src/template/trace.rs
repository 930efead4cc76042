//! Render tracing: which template text or action wrote each byte of the
//! output (a source map kept through `template`, `include` and `tpl`), how
//! often each action ran, which branches of `if`/`with`/`range` were taken,
//! and which values the templates read.
//!
//! Off by default: the executor holds an `Option<Box<Tracer>>` and does one
//! `if let` per node when it is `None`; nothing is allocated then.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::node::{Node, Pos, Tree};
use crate::value::Value;

/// Index into [`Tracer::locs`]: one node of one tree.
pub(crate) type LocId = u32;
/// Index into [`Tracer::sites`]: a node and the call chain that reached it.
pub(crate) type SiteId = u32;

/// A node's position: its tree (whose `text` the position points into).
pub(crate) struct Loc {
    pub tree: Rc<Tree>,
    pub pos: Pos,
}

/// A run of output bytes written by one node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Seg {
    pub start: usize,
    pub end: usize,
    pub site: SiteId,
    /// For template text: the source position of `start` (text is copied
    /// byte for byte, so `src + (o - start)` is the source of output byte
    /// `o`). `None` for an action's printed value.
    pub src: Option<usize>,
}

/// An `include`/`tpl` result with its own source map, kept until the
/// current file is done so the action printing it (maybe through
/// `nindent`, `indent`, `trim`) can map its lines inside.
struct Capture {
    text: Rc<str>,
    segs: Vec<Seg>,
}

/// Trace of one render.
#[derive(Default)]
pub struct Tracer {
    pub(crate) locs: Vec<Loc>,
    loc_ids: HashMap<(usize, Pos), LocId>,
    /// (node, the call site that reached it).
    pub sites: Vec<(LocId, Option<SiteId>)>,
    site_ids: HashMap<(LocId, Option<SiteId>), SiteId>,
    /// Executions per loc.
    pub hits: Vec<u64>,
    /// `[taken, not taken]` per `if`/`with`/`range` loc (`range`: body
    /// ran / the collection was empty).
    pub branches: HashMap<LocId, [u64; 2]>,
    /// The call site of the template being executed.
    pub via: Option<SiteId>,
    /// Segment buffers of the outputs being written (one per nested
    /// `include`/`tpl` execution).
    stack: Vec<Vec<Seg>>,
    captures: Vec<Capture>,
    /// Captures made before the action being executed began (its own
    /// come after).
    pub action_mark: usize,
    /// Map or list (by address) and key read from it.
    pub reads: HashSet<(usize, String)>,
    /// Containers read wholesale (`toYaml`, `range`, `with`, printing…).
    pub whole: HashSet<usize>,
    /// Containers a copying function made (`deepCopy`, `merge`, `pick`…),
    /// by address, with the containers they were copied from: reading a
    /// copy reads the original. The values are kept so an address is not
    /// reused while the render runs.
    copies: HashMap<usize, (Value, Vec<Value>)>,
    /// Trees seen (every tree of the set, for never-run lines).
    pub trees: Vec<Rc<Tree>>,
    /// Bytes charged so far (for the memory budget).
    pub bytes: u64,
}

/// Approximate bytes one segment costs, charged to the memory budget.
pub(crate) const SEG_BYTES: u64 = 32;

/// Address of a map or list value, the key of read tracking.
pub(crate) fn container_addr(v: &Value) -> Option<usize> {
    match v {
        Value::Map(m, _) => Some(Rc::as_ptr(m) as *const u8 as usize),
        Value::List(l, _) => Some(Rc::as_ptr(l) as *const u8 as usize),
        _ => None,
    }
}

impl Tracer {
    pub fn new() -> Tracer {
        Tracer::default()
    }

    pub fn loc(&mut self, tree: &Rc<Tree>, pos: Pos) -> LocId {
        let key = (Rc::as_ptr(tree) as usize, pos);
        if let Some(id) = self.loc_ids.get(&key) {
            return *id;
        }
        let id = self.locs.len() as LocId;
        self.locs.push(Loc { tree: tree.clone(), pos });
        self.hits.push(0);
        self.loc_ids.insert(key, id);
        id
    }

    /// The loc of a node if it was ever reached.
    pub(crate) fn find_loc(&self, tree: &Rc<Tree>, pos: Pos) -> Option<LocId> {
        self.loc_ids.get(&(Rc::as_ptr(tree) as usize, pos)).copied()
    }

    pub(crate) fn site(&mut self, loc: LocId) -> SiteId {
        let key = (loc, self.via);
        if let Some(id) = self.site_ids.get(&key) {
            return *id;
        }
        let id = self.sites.len() as SiteId;
        self.sites.push(key);
        self.site_ids.insert(key, id);
        id
    }

    /// A node ran: counts it, returns its loc.
    pub fn hit(&mut self, tree: &Rc<Tree>, pos: Pos) -> LocId {
        let id = self.loc(tree, pos);
        self.hits[id as usize] += 1;
        id
    }

    pub fn branch(&mut self, loc: LocId, taken: bool) {
        let e = self.branches.entry(loc).or_insert([0, 0]);
        e[usize::from(!taken)] += 1;
    }

    /// How many captures exist (an action's mark, see `action_mark`).
    pub(crate) fn captures_len(&self) -> usize {
        self.captures.len()
    }

    /// Starts the segments of a new output buffer.
    pub(crate) fn begin(&mut self) {
        self.stack.push(Vec::new());
    }

    /// Ends the current output buffer, returning its segments.
    pub(crate) fn end(&mut self) -> Vec<Seg> {
        self.stack.pop().unwrap_or_default()
    }

    /// Ends a top-level file: its segments; captures are dropped.
    pub(crate) fn end_file(&mut self) -> Vec<Seg> {
        self.captures.clear();
        self.action_mark = 0;
        self.end()
    }

    /// The current output had every `<no value>` removed (Helm's
    /// `strings.ReplaceAll` after `tpl` and after each file): its segments
    /// move to the shortened text.
    pub(crate) fn remove_no_value(&mut self, original: &str) {
        const PAT: &str = "<no value>";
        let removed: Vec<usize> = original.match_indices(PAT).map(|(i, _)| i).collect();
        if removed.is_empty() {
            return;
        }
        let Some(segs) = self.stack.last_mut() else { return };
        // New offset of old position p: p minus the removed bytes before it.
        let map = |p: usize| -> usize {
            let n = removed.partition_point(|r| r + PAT.len() <= p);
            let inside = removed.get(n).map_or(0, |r| p.saturating_sub(*r).min(PAT.len()));
            p - n * PAT.len() - inside
        };
        for g in segs.iter_mut() {
            let (s, e) = (map(g.start), map(g.end));
            g.start = s;
            g.end = e;
        }
        segs.retain(|g| g.start < g.end);
    }

    /// Records that `[start, end)` of the current output came from `site`.
    /// Returns the bytes to charge.
    pub(crate) fn seg(&mut self, start: usize, end: usize, site: SiteId, src: Option<usize>) -> u64 {
        if start >= end {
            return 0;
        }
        let Some(segs) = self.stack.last_mut() else { return 0 };
        segs.push(Seg { start, end, site, src });
        self.bytes += SEG_BYTES;
        SEG_BYTES
    }

    /// An `include`/`tpl` returned `text` with `segs`.
    pub(crate) fn capture(&mut self, text: Rc<str>, segs: Vec<Seg>) -> u64 {
        if segs.is_empty() || text.is_empty() {
            return 0;
        }
        let cost = SEG_BYTES * segs.len() as u64;
        self.captures.push(Capture { text, segs });
        cost
    }

    /// An action printed `s` at `[at, at + s.len())` of the current output:
    /// segments for it, from a capture when the string is (or is derived
    /// from) an `include`/`tpl` result, else the action's own. Returns the
    /// bytes to charge.
    pub fn printed(&mut self, s: &Rc<str>, at: usize, action: SiteId) -> u64 {
        let end = at + s.len();
        if s.is_empty() {
            return 0;
        }
        // The very string an include returned: its map, shifted.
        if let Some(c) = self.captures.iter().rev().find(|c| Rc::ptr_eq(&c.text, s)) {
            let shifted: Vec<Seg> = c.segs.iter().map(|g| Seg { start: g.start + at, end: g.end + at, ..*g }).collect();
            let n = shifted.len() as u64;
            if let Some(segs) = self.stack.last_mut() {
                segs.extend(shifted);
            }
            self.bytes += SEG_BYTES * n;
            return SEG_BYTES * n;
        }
        let mut cost = 0;
        if !self.captures.is_empty() {
            cost += self.printed_derived(s, at, action);
            if cost > 0 {
                return cost;
            }
        }
        self.seg(at, end, action, None)
    }

    /// A printed string made from a capture (`include … | nindent 4`,
    /// `trim`, `indent`): each of its lines is looked up, trimmed, in the
    /// most recent capture holding its first line; lines not found map to
    /// the action.
    fn printed_derived(&mut self, s: &str, at: usize, action: SiteId) -> u64 {
        let first = s.lines().map(str::trim).find(|l| !l.is_empty());
        let Some(first) = first else { return 0 };
        // The action's own include/tpl results first; an older one (a
        // variable holding an include) only for a multi-line string, where
        // a chance match of a short value is unlikely.
        let mark = self.action_mark.min(self.captures.len());
        let own = self.captures[mark..].iter().rposition(|c| c.text.contains(first)).map(|i| i + mark);
        let older = || {
            if s.trim().contains('\n') {
                self.captures[..mark].iter().rposition(|c| c.text.contains(first))
            } else {
                None
            }
        };
        let Some(ci) = own.or_else(older) else { return 0 };
        let mut new = Vec::new();
        let mut cursor = 0usize;
        let mut off = 0usize;
        {
            let c = &self.captures[ci];
            for line in s.split_inclusive('\n') {
                let body = line.trim_end_matches('\n');
                let lead = body.len() - body.trim_start().len();
                let t = body.trim();
                let line_at = at + off;
                off += line.len();
                if t.is_empty() {
                    continue;
                }
                let found = c.text[cursor..].find(t).map(|i| i + cursor).or_else(|| c.text.find(t));
                let seg_start = line_at + lead;
                let seg_end = seg_start + t.len();
                match found.and_then(|p| {
                    let i = c.segs.partition_point(|g| g.end <= p);
                    c.segs.get(i).filter(|g| g.start <= p).map(|g| (p, *g))
                }) {
                    Some((p, g)) => {
                        cursor = p + t.len();
                        new.push(Seg {
                            start: seg_start,
                            end: seg_end,
                            site: g.site,
                            src: g.src.map(|src| src + (p - g.start)),
                        });
                    }
                    None => new.push(Seg { start: seg_start, end: seg_end, site: action, src: None }),
                }
            }
        }
        let cost = SEG_BYTES * new.len() as u64;
        if let Some(segs) = self.stack.last_mut() {
            segs.extend(new);
        }
        self.bytes += cost;
        cost.max(1)
    }

    /// A key (or list index) read from a container (and from the
    /// containers it is a copy of, where they hold the key).
    pub(crate) fn read_key(&mut self, container: &Value, key: &str) {
        let Some(a) = container_addr(container) else { return };
        // Already recorded: its originals were too (this also ends cycles
        // of copies, `merge $a $b` then `merge $b $a`).
        if !self.reads.insert((a, key.to_string())) {
            return;
        }
        let Some(originals) = self.copies.get(&a).map(|(_, o)| o.clone()) else { return };
        for o in &originals {
            if has_key(o, key) {
                self.read_key(o, key);
            }
        }
    }

    /// A container read wholesale. When it is a copy, what it holds is
    /// read from its originals: each key it has (`omit`'s dropped keys
    /// stay unread), wholesale below.
    pub(crate) fn read_whole(&mut self, v: &Value) {
        self.read_whole_at(v, 0);
    }

    fn read_whole_at(&mut self, v: &Value, depth: usize) {
        let Some(a) = container_addr(v) else { return };
        if !self.whole.insert(a) || depth > MAX_LINK_DEPTH {
            return;
        }
        let Some(originals) = self.copies.get(&a).map(|(_, o)| o.clone()) else { return };
        let entries: Vec<(String, Value)> = match v {
            Value::Map(m, _) => m.borrow().iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
            Value::List(l, _) => l.borrow().iter().enumerate().map(|(i, x)| (i.to_string(), x.clone())).collect(),
            _ => Vec::new(),
        };
        for (k, x) in entries {
            for o in &originals {
                if has_key(o, &k) {
                    self.read_key(o, &k);
                }
            }
            self.read_whole_at(&x, depth + 1);
        }
    }

    /// Records that `copy` (a function's result) holds copies of what the
    /// containers in `sources` hold: the result and each source are walked
    /// together, and every container of the result that is not the
    /// source's own (a deep copy's new maps and lists) is linked to it.
    pub(crate) fn link_copy(&mut self, copy: &Value, sources: &[Value]) {
        for s in sources {
            self.link(copy, s, 0);
        }
    }

    fn link(&mut self, copy: &Value, source: &Value, depth: usize) {
        let (Some(c), Some(s)) = (container_addr(copy), container_addr(source)) else { return };
        if c == s || depth > MAX_LINK_DEPTH {
            return;
        }
        let entry = self.copies.entry(c).or_insert_with(|| (copy.clone(), Vec::new()));
        if entry.1.iter().any(|o| container_addr(o) == Some(s)) {
            return;
        }
        entry.1.push(source.clone());
        let pairs: Vec<(Value, Value)> = match (copy, source) {
            (Value::Map(cm, _), Value::Map(sm, _)) => {
                let (cm, sm) = (cm.borrow(), sm.borrow());
                cm.iter().filter_map(|(k, cv)| sm.get(k).map(|sv| (cv.clone(), sv.clone()))).collect()
            }
            (Value::List(cl, _), Value::List(sl, _)) => {
                cl.borrow().iter().zip(sl.borrow().iter()).map(|(a, b)| (a.clone(), b.clone())).collect()
            }
            _ => Vec::new(),
        };
        for (cv, sv) in pairs {
            self.link(&cv, &sv, depth + 1);
        }
    }

    /// A function's arguments: Helm's map accessors read what they touch,
    /// predicates read only the value itself; any other function reads its
    /// container arguments wholesale.
    pub(crate) fn read_args(&mut self, name: &str, argv: &[Value]) {
        match name {
            "index" => {
                if let Some((first, keys)) = argv.split_first() {
                    let mut cur = first.clone();
                    for k in keys {
                        let key = match k {
                            Value::String(s) => s.to_string(),
                            other => other.to_go_string(),
                        };
                        self.read_key(&cur, &key);
                        let next = match &cur {
                            Value::Map(m, _) => m.borrow().get(&key).cloned(),
                            Value::List(l, _) => key.parse::<usize>().ok().and_then(|i| l.borrow().get(i).cloned()),
                            _ => None,
                        };
                        match next {
                            Some(n) => cur = n,
                            None => break,
                        }
                    }
                }
            }
            "get" | "hasKey" => {
                if let (Some(m), Some(Value::String(k))) = (argv.first(), argv.get(1)) {
                    self.read_key(m, k);
                }
            }
            "dig" => {
                // dig "a" "b" default dict
                if argv.len() >= 3 {
                    let mut cur = argv[argv.len() - 1].clone();
                    for k in &argv[..argv.len() - 2] {
                        let Value::String(k) = k else { break };
                        self.read_key(&cur, k);
                        let next = match &cur {
                            Value::Map(m, _) => m.borrow().get(&**k).cloned(),
                            _ => None,
                        };
                        match next {
                            Some(n) => cur = n,
                            None => break,
                        }
                    }
                }
            }
            "pluck" => {
                if let Some((Value::String(k), maps)) = argv.split_first() {
                    for m in maps {
                        self.read_key(m, k);
                    }
                }
            }
            // Copies: what is read from the result is read from these
            // (`link_copy` after the call).
            "deepCopy" | "mustDeepCopy" | "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" | "pick"
            | "omit" => {}
            // Looking at a value without its contents.
            "len" | "empty" | "kindIs" | "kindOf" | "typeOf" | "typeIs" | "typeIsLike" | "default" | "coalesce"
            | "ternary" | "required" | "eq" | "ne" | "not" | "and" | "or" | "list" | "dict" | "set" | "unset"
            | "keys" | "isAbsent" | "fail" | "deepEqual" => {}
            _ => {
                for a in argv {
                    self.read_whole(a);
                }
            }
        }
    }

    /// Every tree of the set, so lines that never ran are listed too.
    pub(crate) fn add_trees(&mut self, trees: impl IntoIterator<Item = Rc<Tree>>) {
        let mut seen: HashSet<usize> = self.trees.iter().map(|t| Rc::as_ptr(t) as usize).collect();
        for t in trees {
            if seen.insert(Rc::as_ptr(&t) as usize) {
                self.trees.push(t);
            }
        }
    }
}

/// Copies are followed this deep at most (values nest deeper only in
/// hostile input).
const MAX_LINK_DEPTH: usize = 200;

/// Whether a function's result is a copy of its container arguments,
/// whose reads [`Tracer::link_copy`] passes on to them.
pub(crate) fn copies_arguments(name: &str) -> bool {
    matches!(
        name,
        "deepCopy" | "mustDeepCopy" | "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" | "pick" | "omit"
    )
}

fn has_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Map(m, _) => m.borrow().contains_key(key),
        Value::List(l, _) => key.parse::<usize>().is_ok_and(|i| i < l.borrow().len()),
        _ => false,
    }
}

/// A node of a tree that holds an action, for coverage.
pub(crate) enum Covered {
    /// An action, `template` call, `break`/`continue`.
    Action(Pos),
    /// `if`, `with` (two branches), `range` (body / empty).
    Branch(Pos),
}

/// Every action and branch node of a tree, in source order.
pub(crate) fn covered_nodes(tree: &Tree) -> Vec<Covered> {
    let mut v = Vec::new();
    fn walk(nodes: &[Node], v: &mut Vec<Covered>) {
        for n in nodes {
            match n {
                Node::Action(a) => v.push(Covered::Action(a.pos)),
                Node::Template(t) => v.push(Covered::Action(t.pos)),
                Node::Break(b) | Node::Continue(b) => v.push(Covered::Action(b.pos)),
                Node::If(b) | Node::With(b) | Node::Range(b) => {
                    v.push(Covered::Branch(b.pos));
                    walk(&b.list.nodes, v);
                    if let Some(e) = &b.else_list {
                        walk(&e.nodes, v);
                    }
                }
                Node::List(l) => walk(&l.nodes, v),
                Node::Text(_) | Node::Comment(_) => {}
            }
        }
    }
    super::with_stack(|| walk(&tree.root.nodes, &mut v));
    v
}

/// Line starts of a text, for many position → line lookups.
pub struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line and 1-based byte column of a position.
    pub(crate) fn line_col(&self, pos: usize) -> (usize, usize) {
        let i = self.starts.partition_point(|s| *s <= pos).max(1) - 1;
        (i + 1, pos - self.starts[i] + 1)
    }

    /// Line index (0-based) of a position.
    pub fn index(&self, pos: usize) -> usize {
        self.starts.partition_point(|s| *s <= pos).max(1) - 1
    }

    pub fn start(&self, i: usize) -> usize {
        self.starts.get(i).copied().unwrap_or(usize::MAX)
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_like_go_positions() {
        let l = Lines::new("ab\ncd\n");
        assert_eq!(l.line_col(0), (1, 1));
        assert_eq!(l.line_col(4), (2, 2));
        assert_eq!(l.index(6), 2);
    }
}
