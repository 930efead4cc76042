//! Parsed templates kept between renders (the browser worker's cache).
//!
//! In the playground a keystroke in values.yaml re-renders a chart whose
//! templates did not change; parsing its 100+ template files was about a
//! quarter of kube-prometheus-stack's render time. A parse depends only on
//! the template's name, its text and the set of known function names, so
//! trees parsed once are reused while all three are unchanged (the text is
//! compared in full, not by hash: a hit is exactly the same input).
//!
//! The same switch keeps the heads of rendered documents
//! (yaml::head::memo), which the manifest sorter reads.
//!
//! Off by default: `enable()` turns it on for the current thread (the render
//! worker does, once). Memory stays bounded: an entry not used by a render
//! is dropped at the end of the next one, so the cache holds about one
//! chart's trees. Failed parses are never cached (their errors are rebuilt
//! each time, identical by construction).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::funcs::FuncMap;
use super::node::Tree;
use super::parse::{self, ParseError};

/// One parsed text: its trees, shared with every template set using them.
type Trees = Rc<[Rc<Tree>]>;

#[derive(Default)]
pub(crate) struct ParseCache {
    /// The function names the entries were parsed with (sorted).
    funcs: Vec<&'static str>,
    /// Template name → (text, trees) used by the current render.
    current: HashMap<String, Vec<(Rc<str>, Trees)>>,
    /// Entries of the previous render, moved to `current` when used again.
    previous: HashMap<String, Vec<(Rc<str>, Trees)>>,
    hits: u64,
    misses: u64,
}

thread_local! {
    static CACHE: RefCell<Option<ParseCache>> = const { RefCell::new(None) };
}

/// Turns the cache on for this thread (and the memo of manifest heads,
/// yaml::head::memo, which has the same life cycle).
pub fn enable() {
    crate::yaml::head::memo::set_enabled(true);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(ParseCache::default());
        }
    });
}

/// Turns it off and drops what it holds.
pub fn disable() {
    crate::yaml::head::memo::set_enabled(false);
    CACHE.with(|c| *c.borrow_mut() = None);
}

/// (hits, misses) since `enable`, for tests and benchmarks.
pub fn stats() -> Option<(u64, u64)> {
    CACHE.with(|c| c.borrow().as_ref().map(|c| (c.hits, c.misses)))
}

/// Marks the start of a render: entries the last render did not use are
/// dropped, and everything is dropped if the function names changed.
pub(crate) fn begin_render(funcs: &FuncMap) {
    crate::yaml::head::memo::begin_render();
    CACHE.with(|c| {
        let Ok(mut c) = c.try_borrow_mut() else { return };
        let Some(c) = c.as_mut() else { return };
        let mut names: Vec<&'static str> = funcs.names().copied().collect();
        crate::gofmt::sort::sort(&mut names);
        if names != c.funcs {
            c.funcs = names;
            c.current.clear();
            c.previous.clear();
        }
        c.previous = std::mem::take(&mut c.current);
    });
}

/// `parse::parse(name, text, is_func)`, from the cache when it is enabled.
pub fn parse(name: &str, text: &str, is_func: &dyn Fn(&str) -> bool) -> Result<Trees, ParseError> {
    let found = CACHE.with(|c| {
        let mut c = c.try_borrow_mut().ok()?;
        let c = c.as_mut()?;
        if let Some(t) = c.current.get(name).and_then(|v| v.iter().find(|(t, _)| **t == *text)) {
            let trees = t.1.clone();
            c.hits += 1;
            return Some(Some(trees));
        }
        let moved = c.previous.get_mut(name).and_then(|v| {
            let i = v.iter().position(|(t, _)| **t == *text)?;
            Some(v.swap_remove(i))
        });
        match moved {
            Some(entry) => {
                let trees = entry.1.clone();
                c.current.entry(name.to_string()).or_default().push(entry);
                c.hits += 1;
                Some(Some(trees))
            }
            None => Some(None),
        }
    });
    match found {
        Some(Some(trees)) => Ok(trees),
        // Enabled, not cached: parse (outside the borrow) and remember.
        Some(None) => {
            let trees: Trees = parse::parse(name, text, is_func)?.into_iter().map(Rc::new).collect();
            CACHE.with(|c| {
                if let Ok(mut c) = c.try_borrow_mut() {
                    if let Some(c) = c.as_mut() {
                        c.misses += 1;
                        c.current.entry(name.to_string()).or_default().push((Rc::from(text), trees.clone()));
                    }
                }
            });
            Ok(trees)
        }
        None => Ok(parse::parse(name, text, is_func)?.into_iter().map(Rc::new).collect()),
    }
}
