//! strvals' recursive parser (parser.go and literal_parser.go): `key` reads
//! a name up to `=`, `[`, `,` or `.`; `listItem` what follows `[i]`.
//!
//! Go mutates maps and slices in place; here each level takes its map or
//! list out of the parent, changes it, and puts it back, reproducing what
//! Go leaves behind on the paths that end parsing early but successfully
//! (input ending inside a key is `io.EOF`, which `parse` treats as done):
//! a nested map is stored back only if non-empty (or present before), a
//! list element rewritten in place stays rewritten.
//!
//! Go's unchecked type assertions (`data[k].([]any)` on a string…) panic
//! and `key`'s `recover` turns that into `unable to parse key: interface
//! conversion: …`; here that is an ordinary error with the same text.

use std::cell::RefCell;
use std::rc::Rc;

use super::json_value;
use super::scan::{atoi, conversion_panic, quote_runes, runes_until, typed_val, Buffer};
use super::{FileReader, MAX_INDEX, MAX_NESTED_NAME_LEVEL};
use crate::error::{Error, Kind};
use crate::gofmt::strconv::quote;
use crate::value::{Map, Value};

/// How values are read: `newParser(…, stringBool)`, `newJSONParser`,
/// `newFileParser`, or the literal parser.
pub(crate) enum Mode<'r> {
    Typed { strings: bool },
    Json,
    File(FileReader<'r>),
    Literal,
}

/// Why parsing stopped: Go's `io.EOF` (also wrapped, as `errors.Is` sees
/// it) ends parsing without error, as an outcome; anything else is the
/// error.
enum Stop {
    Eof,
    /// Boxed: the parser recurses once per nesting level, and each level's
    /// frame holds a `Result<_, Stop>`.
    Failed(Box<Error>),
}

fn msg(e: impl Into<Error>) -> Stop {
    Stop::Failed(Box::new(e.into()))
}

/// `valList`'s outcomes besides a list.
enum ListErr {
    Eof,
    NotList,
    Other(Stop),
}

/// Recursion guard (our own): Helm bounds `.` names (30) but not list
/// nesting (`a[0][0]…`, `a[0].b[0].c…`), which Go's growable stacks allow;
/// a Rust stack (1 MB in a browser worker) needs a bound.
const MAX_DEPTH: usize = 400;

/// Bound on list slots created by padding in one line (our own): every
/// `x[65536]=…` allocates 65537 slots, and Helm has no total limit.
const MAX_GROWTH: usize = 1 << 22;

pub(crate) struct Parser<'s, 'r> {
    sc: Buffer<'s>,
    mode: Mode<'r>,
    depth: usize,
    growth: usize,
}

/// `set`: an empty key is never set.
fn set(data: &mut Map, key: &str, val: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), val);
    }
}

/// A list taken out of its parent (copied only if it is shared).
fn own_list(v: Value) -> Result<Vec<Value>, Value> {
    match v {
        Value::List(l, _) => Ok(Rc::try_unwrap(l).map(RefCell::into_inner).unwrap_or_else(|l| l.borrow().clone())),
        other => Err(other),
    }
}

fn own_map(v: Value) -> Result<Map, Value> {
    match v {
        Value::Map(m, _) => Ok(Rc::try_unwrap(m).map(RefCell::into_inner).unwrap_or_else(|m| m.borrow().clone())),
        other => Err(other),
    }
}

/// `fmt.Errorf("error parsing index: %w", err)`: still io.EOF to errors.Is.
fn wrap_index(e: Stop) -> Stop {
    match e {
        Stop::Eof => Stop::Eof,
        Stop::Failed(e) => Stop::Failed(Box::new(e.wrap("error parsing index: "))),
    }
}

impl<'s, 'r> Parser<'s, 'r> {
    pub(crate) fn new(s: &'s str, mode: Mode<'r>) -> Parser<'s, 'r> {
        Parser { sc: Buffer::new(s), mode, depth: 0, growth: 0 }
    }

    fn literal(&self) -> bool {
        matches!(self.mode, Mode::Literal)
    }

    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let escapes = !self.literal();
        runes_until(&mut self.sc, stop, escapes)
    }

    /// `parse`: keys until EOF. The error is marked at the column where
    /// reading stopped (the caller says which line).
    pub(crate) fn parse(&mut self, data: &mut Map) -> Result<(), Error> {
        loop {
            match self.key(data, 0) {
                Ok(()) => {}
                Err(Stop::Eof) => return Ok(()),
                Err(Stop::Failed(e)) => {
                    let mut e = e.of_kind(Kind::Values);
                    e.col = Some(self.sc.column());
                    return Err(e);
                }
            }
        }
    }

    fn enter(&mut self) -> Result<(), Stop> {
        if self.depth >= MAX_DEPTH {
            return Err(msg(format!("value nested more than {MAX_DEPTH} levels deep (chartroom limit)")));
        }
        self.depth += 1;
        Ok(())
    }

    fn key(&mut self, data: &mut Map, level: usize) -> Result<(), Stop> {
        self.enter()?;
        let r = self.key_in(data, level);
        self.depth -= 1;
        r
    }

    fn key_in(&mut self, data: &mut Map, level: usize) -> Result<(), Stop> {
        // The literal parser does not stop at `,`: the value runs to the end.
        let stop: &[char] = if self.literal() { &['=', '[', '.'] } else { &['=', '[', ',', '.'] };
        let (k, last) = self.until(stop);
        match last {
            None if k.is_empty() => Err(Stop::Eof),
            None => Err(msg(format!("key {} has no value", quote(&k)))),
            Some('[') => {
                // We are in a list index context, so we need to set an index.
                let i = self.key_index().map_err(wrap_index)?;
                let existed = data.contains_key(&k);
                let list = match data.remove(&k) {
                    None => Vec::new(),
                    Some(v) => match own_list(v) {
                        Ok(l) => l,
                        Err(v) => {
                            let e = conversion_panic(&v, "[]interface {}");
                            data.insert(k, v);
                            return Err(msg(e));
                        }
                    },
                };
                let old_len = list.len();
                let (mut list, r) = self.list_item(list, i, level);
                if k.is_empty() {
                    // set() skips the empty key, but Go changed the
                    // existing slice's elements in place.
                    if existed {
                        list.truncate(old_len);
                        data.insert(k, Value::list(list));
                    }
                } else {
                    set(data, &k, Value::list(list));
                }
                r
            }
            Some('=') => self.assign(data, &k),
            Some(',') => {
                // No value given. Set the value to empty string. Return error.
                set(data, &k, Value::str(""));
                Err(msg(format!("key {} has no value (cannot end with ,)", quote(&k))))
            }
            Some(_) => {
                // '.': a nested map.
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(msg(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let existed = data.contains_key(&k);
                let mut inner = match data.remove(&k) {
                    None => Map::new(),
                    Some(v) => match own_map(v) {
                        Ok(m) => m,
                        Err(v) => {
                            let e = conversion_panic(&v, "map[string]interface {}");
                            data.insert(k, v);
                            return Err(msg(e));
                        }
                    },
                };
                let r = self.key(&mut inner, level);
                let empty = inner.is_empty();
                if existed {
                    // The map was changed in place (even under the empty key).
                    data.insert(k.clone(), Value::map(inner));
                } else if !empty {
                    set(data, &k, Value::map(inner));
                }
                match r {
                    Ok(()) if empty => Err(msg(format!("key map {} has no value", quote(&k)))),
                    r => r,
                }
            }
        }
    }

    /// `key`'s `=` case: the value, read by the mode.
    fn assign(&mut self, data: &mut Map, k: &str) -> Result<(), Stop> {
        match self.mode {
            Mode::Literal => {
                // Everything left is the value.
                let (value, _) = self.until(&[]);
                set(data, k, Value::string(value));
                Ok(())
            }
            Mode::Json => {
                if self.empty_val() {
                    set(data, k, Value::Nil);
                    return Ok(());
                }
                let (v, n) = json_value::decode(self.sc.rest()).map_err(msg)?;
                set(data, k, v);
                self.sc.discard(n);
                // Skip possible blanks and comma.
                self.empty_val();
                Ok(())
            }
            _ => match self.val_list() {
                Ok(vl) => {
                    set(data, k, Value::list(vl));
                    Ok(())
                }
                Err(ListErr::Eof) => {
                    set(data, k, Value::str(""));
                    Err(Stop::Eof)
                }
                Err(ListErr::NotList) => {
                    let rs = self.val();
                    match self.read(&rs) {
                        Ok(v) => {
                            set(data, k, v);
                            Ok(())
                        }
                        Err(e) => {
                            set(data, k, Value::Nil);
                            Err(e)
                        }
                    }
                }
                Err(ListErr::Other(e)) => Err(e),
            },
        }
    }

    /// `t.reader(rs)`: typedVal, or the file's contents.
    fn read(&mut self, rs: &str) -> Result<Value, Stop> {
        match &mut self.mode {
            Mode::Typed { strings } => Ok(typed_val(rs, *strings)),
            Mode::File(reader) => {
                reader(rs).map(|b| Value::string(String::from_utf8_lossy(&b).into_owned())).map_err(msg)
            }
            // Not reached: JSON and literal values are read elsewhere.
            Mode::Json | Mode::Literal => Ok(Value::string(rs.to_string())),
        }
    }

    fn set_index(&mut self, mut list: Vec<Value>, index: i64, val: Value) -> (Vec<Value>, Result<(), Stop>) {
        if index < 0 {
            return (list, Err(msg(format!("negative {index} index not allowed"))));
        }
        if index > MAX_INDEX {
            return (
                list,
                Err(msg(format!("index of {index} is greater than maximum supported index of {MAX_INDEX}"))),
            );
        }
        // 0 <= index <= MAX_INDEX: fits any usize.
        let idx = index as usize;
        if list.len() <= idx {
            self.growth += idx + 1 - list.len();
            if self.growth > MAX_GROWTH {
                return (list, Err(msg(format!("lists grew by more than {MAX_GROWTH} elements (chartroom limit)"))));
            }
            list.resize(idx + 1, Value::Nil);
        }
        if let Some(slot) = list.get_mut(idx) {
            *slot = val;
        }
        (list, Ok(()))
    }

    fn key_index(&mut self) -> Result<i64, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Stop::Eof);
        }
        atoi(&v).map_err(msg)
    }

    fn list_item(&mut self, list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Result<(), Stop>) {
        if let Err(e) = self.enter() {
            return (list, Err(e));
        }
        let r = self.list_item_in(list, i, level);
        self.depth -= 1;
        r
    }

    fn list_item_in(&mut self, mut list: Vec<Value>, i: i64, level: usize) -> (Vec<Value>, Result<(), Stop>) {
        if i < 0 {
            return (list, Err(msg(format!("negative {i} index not allowed"))));
        }
        // i >= 0; an index beyond the list (or usize) is simply "not there".
        let here = usize::try_from(i).ok().filter(|&x| x < list.len());
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            // Go formats the []rune with %q: ['x' 'y'].
            return (list, Err(msg(format!("unexpected data at end of array index: {}", quote_runes(&k)))));
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => match self.mode {
                Mode::Literal => {
                    let (value, _) = self.until(&[]);
                    self.set_index(list, i, Value::string(value))
                }
                Mode::Json => {
                    if self.empty_val() {
                        return self.set_index(list, i, Value::Nil);
                    }
                    let (v, n) = match json_value::decode(self.sc.rest()) {
                        Ok(x) => x,
                        Err(e) => return (list, Err(msg(e))),
                    };
                    let (list, r) = self.set_index(list, i, v);
                    if r.is_err() {
                        return (list, r);
                    }
                    self.sc.discard(n);
                    self.empty_val();
                    (list, Ok(()))
                }
                _ => match self.val_list() {
                    Ok(vl) => self.set_index(list, i, Value::list(vl)),
                    Err(ListErr::Eof) => self.set_index(list, i, Value::str("")),
                    Err(ListErr::NotList) => {
                        let rs = self.val();
                        match self.read(&rs) {
                            Ok(v) => self.set_index(list, i, v),
                            Err(e) => (list, Err(e)),
                        }
                    }
                    Err(ListErr::Other(e)) => (list, Err(e)),
                },
            },
            Some('[') => {
                // A nested list: read the index and handle.
                let next_i = match self.key_index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(wrap_index(e))),
                };
                let mut had = false;
                let mut crt = Vec::new();
                if let Some(x) = here {
                    match std::mem::replace(&mut list[x], Value::Nil) {
                        Value::Nil => {}
                        v => match own_list(v) {
                            Ok(l) => {
                                crt = l;
                                had = true;
                            }
                            Err(v) => {
                                let e = conversion_panic(&v, "[]interface {}");
                                list[x] = v;
                                return (list, Err(msg(e)));
                            }
                        },
                    }
                }
                let (list2, r) = self.list_item(crt, next_i, level);
                if let Err(e) = r {
                    // Go's crtList shared list[i]'s array: what the nested
                    // call changed in place stays (it never grows on error).
                    if let (true, Some(x)) = (had, here) {
                        list[x] = Value::list(list2);
                    }
                    return (list, Err(e));
                }
                self.set_index(list, i, Value::list(list2))
            }
            Some(_) => {
                // '.': a nested object. Send to key.
                let mut inner = Map::new();
                if let Some(x) = here {
                    // A non-map element is replaced by an empty map in place.
                    if let Ok(m) = own_map(std::mem::replace(&mut list[x], Value::Nil)) {
                        inner = m;
                    }
                }
                let r = self.key(&mut inner, level);
                if let Err(e) = r {
                    if let Some(x) = here {
                        list[x] = Value::map(inner);
                    }
                    return (list, Err(e));
                }
                self.set_index(list, i, Value::map(inner))
            }
        }
    }

    /// `emptyVal`: skips spaces; true at EOF or after a consumed `,`.
    fn empty_val(&mut self) -> bool {
        loop {
            match self.sc.read_rune() {
                None | Some(',') => return true,
                Some(r) if !r.is_whitespace() => {
                    self.sc.unread_rune();
                    return false;
                }
                Some(_) => {}
            }
        }
    }

    fn val(&mut self) -> String {
        self.until(&[',']).0
    }

    /// `valList`: `{a,b,…}`.
    fn val_list(&mut self) -> Result<Vec<Value>, ListErr> {
        match self.sc.read_rune() {
            None => return Err(ListErr::Eof),
            Some('{') => {}
            Some(_) => {
                self.sc.unread_rune();
                return Err(ListErr::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListErr::Other(msg("list must terminate with '}'"))),
                Some('}') => {
                    // If this is followed by ',', consume it.
                    if let Some(r) = self.sc.read_rune() {
                        if r != ',' {
                            self.sc.unread_rune();
                        }
                    }
                    let v = self.read(&rs).map_err(ListErr::Other)?;
                    list.push(v);
                    return Ok(list);
                }
                Some(_) => {
                    let v = self.read(&rs).map_err(ListErr::Other)?;
                    list.push(v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Helm's TestSetIndex (parser_test.go), table as in Helm.
    #[test]
    fn set_index_table() {
        let ints = |v: &[i64]| v.iter().map(|&i| Value::int(i)).collect::<Vec<_>>();
        // (name, initial, expect, add, val, err)
        type Case = (&'static str, Vec<Value>, Vec<Value>, i64, i64, bool);
        let cases: [Case; 5] = [
            ("short", ints(&[0, 1]), ints(&[0, 1, 2]), 2, 2, false),
            ("equal", ints(&[0, 1]), ints(&[0, 2]), 1, 2, false),
            ("long", ints(&[0, 1, 2, 3, 4, 5]), ints(&[0, 1, 2, 4, 4, 5]), 3, 4, false),
            ("negative", ints(&[0, 1, 2, 3, 4, 5]), ints(&[0, 1, 2, 3, 4, 5]), -1, 4, true),
            ("large", ints(&[0, 1, 2, 3, 4, 5]), ints(&[0, 1, 2, 3, 4, 5]), MAX_INDEX + 1, 4, true),
        ];
        for (name, initial, expect, add, val, err) in cases {
            let mut p = Parser::new("", Mode::Typed { strings: false });
            let (got, r) = p.set_index(initial, add, Value::int(val));
            assert_eq!(r.is_err(), err, "{name}");
            assert_eq!(got, expect, "{name}");
        }
    }

    #[test]
    fn deep_list_nesting_is_an_error_not_a_crash() {
        let s = format!("a{}=1", "[0]".repeat(100_000));
        let e = super::super::parse(&s).unwrap_err();
        assert!(e.message.contains("chartroom limit"), "{e}");
        let s = format!("{}=1", "a[0].".repeat(100_000));
        assert!(super::super::parse(&s).is_err());
    }

    #[test]
    fn list_growth_is_bounded() {
        let s: Vec<String> = (0..100).map(|i| format!("k{i}[65536]=1")).collect();
        let e = super::super::parse(&s.join(",")).unwrap_err();
        assert!(e.message.contains("chartroom limit"), "{e}");
    }
}
