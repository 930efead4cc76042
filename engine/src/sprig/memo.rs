//! Parses remembered by their source text, per thread and bounded: charts
//! call regex and semver functions in loops with the same few patterns,
//! constraints and versions, and each parse is far dearer than a lookup.

use crate::error::Error;
use std::cell::RefCell;
use std::collections::HashMap;
use std::thread::LocalKey;

/// One memo: source text → its parse (errors are remembered too).
pub type Memo<V> = RefCell<HashMap<String, Result<V, Error>>>;

/// Entries kept before a memo starts over (charts use a handful).
const MAX_ENTRIES: usize = 256;

/// `parse(key)`, remembered in `memo`.
pub fn parsed<V: Clone>(
    memo: &'static LocalKey<Memo<V>>,
    key: &str,
    parse: impl FnOnce(&str) -> Result<V, Error>,
) -> Result<V, Error> {
    if let Some(hit) = memo.with(|m| m.borrow().get(key).cloned()) {
        return hit;
    }
    let res = parse(key);
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(key.to_string(), res.clone());
    });
    res
}
