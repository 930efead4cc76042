//! Helm's `toYaml`: sigs.k8s.io/yaml.Marshal = `json.Marshal`, then go-yaml
//! v2 `Unmarshal` of that JSON into `interface{}` (integral numbers become
//! ints again), then go-yaml v2 `Marshal`: encode.go's style decisions
//! driving libyaml's emitter (unsafe-libyaml, the same C emitter go-yaml v2
//! transliterates), default width 80, indent 2, unicode on.

use crate::error::{go_err, Error};
use std::mem::MaybeUninit;
use std::ptr::{self, addr_of_mut};

#[allow(clippy::unsafe_removed_from_name)]
use unsafe_libyaml as sys;

use super::resolve;
use super::sorter;
use crate::gofmt::strconv;
use crate::json::Fail;
use crate::value::Value;
use std::rc::Rc;

/// Acyclic values nested deeper than this are refused (stack safety on
/// wasm, where the stack cannot grow), reported as Go reports a cycle:
/// template data can only get this deep on purpose (a loop of `dict "a"
/// $d`). A cycle is found as Go's encoding/json finds it, past 1000 levels.
#[cfg(not(target_arch = "wasm32"))]
const MAX_DEPTH: usize = 10_000;
#[cfg(target_arch = "wasm32")]
const MAX_DEPTH: usize = 2000;

fn cycle_error(v: &Value) -> String {
    format!("json: unsupported value: encountered a cycle via {}", v.type_name())
}

/// What go-yaml sees after the JSON round trip.
enum Node {
    Null,
    Bool(bool),
    /// Already formatted number (int, uint or float text).
    Num(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// Which stage of sigs.k8s.io/yaml.Marshal failed.
enum Stage {
    /// json.Marshal (`json: unsupported value: NaN`), wrapped by sigs.
    Json(Error),
    /// go-yaml reading the JSON text back (not wrapped).
    Yaml(Error),
    /// The text grew past the caller's cap (the render's memory budget).
    Budget,
}

/// The JSON stage's state: encoding/json's cycle detection (`ptrLevel`,
/// `ptrSeen`) and the bytes built so far against the cap.
struct Walk {
    ptr_level: usize,
    seen: std::collections::HashSet<*const u8>,
    size: usize,
    cap: usize,
}

/// `json.Marshal` then go-yaml's decoding of the JSON text.
fn json_roundtrip(v: &Value, depth: usize, w: &mut Walk) -> Result<Node, Stage> {
    let ptr = match v {
        Value::Map(m, t) if !t.nil => Rc::as_ptr(m) as *const u8,
        Value::List(l, t) if !t.nil => Rc::as_ptr(l) as *const u8,
        _ => return json_leaf(v, depth, w),
    };
    if depth > MAX_DEPTH {
        return Err(Stage::Json(Error::go(cycle_error(v))));
    }
    w.size += 16;
    if w.size > w.cap {
        return Err(Stage::Budget);
    }
    // encoding/json's mapEncoder/sliceEncoder.
    w.ptr_level += 1;
    let tracked = w.ptr_level > crate::json::START_DETECTING_CYCLES_AFTER;
    if tracked && !w.seen.insert(ptr) {
        return Err(Stage::Json(Error::go(cycle_error(v))));
    }
    let r = if depth.is_multiple_of(32) {
        crate::template::with_stack(|| json_container(v, depth, w))
    } else {
        json_container(v, depth, w)
    };
    if tracked {
        w.seen.remove(&ptr);
    }
    w.ptr_level -= 1;
    r
}

fn json_container(v: &Value, depth: usize, w: &mut Walk) -> Result<Node, Stage> {
    Ok(match v {
        Value::List(l, _) => {
            let l = l.borrow();
            let mut out = Vec::with_capacity(l.len());
            for x in l.iter() {
                out.push(json_roundtrip(x, depth + 1, w)?);
            }
            Node::Seq(out)
        }
        Value::Map(m, _) => {
            let m = m.borrow();
            let mut out: Vec<(_, _)> = Vec::with_capacity(m.len());
            for (k, x) in crate::value::go_sorted(&m) {
                let k = json_string(k).map_err(Stage::Yaml)?;
                w.size += k.len();
                let x = json_roundtrip(x, depth + 1, w)?;
                // Keys with bytes that are not UTF-8 can meet as the same
                // U+FFFD key in the JSON text: decoding it again, the last
                // one wins.
                let dup = if k.contains('\u{FFFD}') { out.iter_mut().find(|(k2, _)| *k2 == k) } else { None };
                match dup {
                    Some(e) => e.1 = x,
                    None => out.push((k, x)),
                }
            }
            Node::Map(out)
        }
        _ => unreachable!("json_roundtrip passes only non-nil maps and lists"),
    })
}

fn json_leaf(v: &Value, depth: usize, w: &mut Walk) -> Result<Node, Stage> {
    let n = match v {
        Value::Nil => Node::Null,
        Value::Bool(b) => Node::Bool(*b),
        Value::Int(i, _) => Node::Num(i.to_string()),
        Value::Uint(u) => Node::Num(u.to_string()),
        Value::Float(f) => Node::Num(json_float_as_yaml(*f).map_err(Stage::Json)?),
        Value::String(s) => Node::Str(json_string(s).map_err(Stage::Yaml)?),
        // []byte marshals as a base64 string.
        Value::Bytes(b) => Node::Str(crate::gofmt::base64::encode_std(b)),
        // Nil slices and maps marshal as JSON null.
        Value::List(..) | Value::Map(..) => Node::Null,
        Value::Object(o) => match o.to_data() {
            Some(d) => return json_roundtrip(&d, depth + 1, w),
            None => Node::Str(json_string(&o.format_v()).map_err(Stage::Yaml)?),
        },
    };
    w.size += 8 + match &n {
        Node::Str(s) | Node::Num(s) => s.len(),
        _ => 0,
    };
    if w.size > w.cap {
        return Err(Stage::Budget);
    }
    Ok(n)
}

/// A float64 through encoding/json and back through go-yaml's resolver.
/// encoding/json prints |f| < 1e21 (and not tiny) with 'f' and shortest
/// digits padded with zeros (-2^63 → `-9223372036854776000`); go-yaml reads
/// that text as int if ParseInt accepts it, else uint64, else float64, which
/// it prints with FormatFloat('g', -1, 64).
fn json_float_as_yaml(f: f64) -> Result<String, Error> {
    if !f.is_finite() {
        return Err(go_err!("json: unsupported value: {}", strconv::format_float_g(f, 64)));
    }
    if f.fract() == 0.0 && f.abs() < 1e21 {
        let text = strconv::format_float_f(f);
        if let Some(i) = resolve::go_parse_int(&text) {
            return Ok(i.to_string());
        }
        if let Some(u) = resolve::go_parse_uint(&text) {
            return Ok(u.to_string());
        }
    }
    Ok(strconv::format_float_g(f, 64))
}

/// A string through encoding/json and go-yaml's reading of that JSON.
/// encoding/json leaves DEL, C1 controls and U+FFFE/U+FFFF unescaped, which
/// libyaml's reader rejects (so Helm's `toYaml` fails); a raw NEL (U+0085)
/// inside the double-quoted JSON string is a YAML 1.1 line break and gets
/// folded (with the blanks around it) like any line break.
fn json_string(s: &str) -> Result<String, Error> {
    // encoding/json turned bytes that are not UTF-8 into U+FFFD.
    let s = &*crate::gostring::to_runes(s);
    let mut nel = false;
    for c in s.chars() {
        match c {
            '\u{7f}' | '\u{80}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => {
                return Err(Error::go(CONTROL_CHARS.to_string()));
            }
            '\u{85}' => nel = true,
            _ => {}
        }
    }
    if !nel {
        return Ok(s.to_string());
    }
    // Rare: let libyaml fold it exactly as go-yaml would.
    let mut quoted = String::with_capacity(s.len() + 2);
    quoted.push('"');
    for c in s.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            ' ' | '\u{85}' => quoted.push(c),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                quoted.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    match super::parse(&quoted) {
        Ok(Value::String(r)) => Ok(r.to_string()),
        _ => Ok(s.to_string()),
    }
}

const CONTROL_CHARS: &str = "yaml: control characters are not allowed";

struct Pinned {
    sys: sys::yaml_emitter_t,
    out: Vec<u8>,
}

/// Emitter configuration: go-yaml v2 (`toYaml`) or v3 (`toYamlPretty`).
#[derive(Clone, Copy)]
pub struct Style {
    pub indent: i32,
    /// -1: unlimited.
    pub width: i32,
}

pub const GO_YAML_V2: Style = Style { indent: 2, width: 80 };

struct Emitter {
    pin: Box<MaybeUninit<Pinned>>,
    ok: bool,
    /// go-yaml escape texts standing in for placeholders, in output order.
    escapes: Vec<String>,
}

unsafe fn write_handler(data: *mut std::ffi::c_void, buffer: *mut u8, size: u64) -> i32 {
    let out = &mut *(data as *mut Vec<u8>);
    out.extend_from_slice(std::slice::from_raw_parts(buffer, size as usize));
    1
}

impl Emitter {
    fn new(style: Style) -> Emitter {
        let mut pin: Box<MaybeUninit<Pinned>> = Box::new(MaybeUninit::uninit());
        let mut ok = false;
        unsafe {
            let p = pin.as_mut_ptr();
            addr_of_mut!((*p).out).write(Vec::new());
            let e = addr_of_mut!((*p).sys);
            if sys::yaml_emitter_initialize(e).ok {
                ok = true;
                sys::yaml_emitter_set_unicode(e, true);
                sys::yaml_emitter_set_indent(e, style.indent);
                sys::yaml_emitter_set_width(e, style.width);
                sys::yaml_emitter_set_output(e, write_handler, addr_of_mut!((*p).out).cast());
            }
        }
        Emitter { pin, ok, escapes: Vec::new() }
    }

    fn sys(&mut self) -> *mut sys::yaml_emitter_t {
        unsafe { addr_of_mut!((*self.pin.as_mut_ptr()).sys) }
    }

    fn emit(&mut self, init: impl FnOnce(*mut sys::yaml_event_t) -> bool) -> Result<(), Error> {
        if !self.ok {
            return Err("unknown problem generating YAML content".into());
        }
        let mut ev = MaybeUninit::<sys::yaml_event_t>::uninit();
        let evp = ev.as_mut_ptr();
        if !init(evp) {
            return Err(Error::go(self.problem()));
        }
        unsafe {
            if sys::yaml_emitter_emit(self.sys(), evp).fail {
                return Err(Error::go(self.problem()));
            }
        }
        Ok(())
    }

    fn problem(&mut self) -> String {
        unsafe {
            let e: &sys::yaml_emitter_t = &*self.sys();
            let p = e.problem;
            if p.is_null() {
                "unknown problem generating YAML content".into()
            } else {
                std::ffi::CStr::from_ptr(p as *const std::ffi::c_char).to_string_lossy().into_owned()
            }
        }
    }

    fn scalar(&mut self, value: &str, style: sys::yaml_scalar_style_t) -> Result<(), Error> {
        if needs_go_escapes(value) {
            let (text, style) = self.go_escapes(value, style);
            return self.raw_scalar(&text, style);
        }
        self.raw_scalar(value, style)
    }

    /// go-yaml's emitter differs from libyaml 0.2.5 in two ways: its
    /// `is_printable` has no case for 4-byte UTF-8 (U+10000 and up: emoji),
    /// so such strings are double-quoted with `\UXXXXXXXX` escapes; and its
    /// `is_bom` looks at the start of the value instead of the current
    /// character, so a value starting with U+FEFF has every character
    /// escaped. We give libyaml a placeholder of the escape's length for each
    /// such character (so line folding sees the same columns) and put the
    /// escape text back afterwards. Placeholders: U+E000 then U+E001s; raw
    /// U+E000/U+E001 in such strings are placeholders for themselves.
    fn go_escapes(&mut self, value: &str, style: sys::yaml_scalar_style_t) -> (String, sys::yaml_scalar_style_t) {
        let bom = value.starts_with('\u{feff}');
        let special = bom || value.chars().any(|c| c as u32 > 0xFFFF);
        let style = if special { sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE } else { style };
        let mut text = String::with_capacity(value.len() + 8);
        for c in value.chars() {
            let esc = if c == '\u{e000}' || c == '\u{e001}' {
                c.to_string()
            } else if bom || c as u32 > 0xFFFF {
                go_escape(c)
            } else {
                text.push(c);
                continue;
            };
            text.push('\u{e000}');
            for _ in 1..esc.chars().count() {
                text.push('\u{e001}');
            }
            self.escapes.push(esc);
        }
        (text, style)
    }

    fn raw_scalar(&mut self, value: &str, style: sys::yaml_scalar_style_t) -> Result<(), Error> {
        let len = i32::try_from(value.len()).map_err(|_| "string too long".to_string())?;
        self.emit(|e| unsafe {
            sys::yaml_scalar_event_initialize(e, ptr::null(), ptr::null(), value.as_ptr(), len, true, true, style).ok
        })
    }

    /// Emits `n` iteratively (explicit stack: deep values must not
    /// overflow the 1 MiB wasm stack).
    fn node(&mut self, n: &Node) -> Result<(), Error> {
        enum Frame<'a> {
            Seq(std::slice::Iter<'a, Node>),
            Map(&'a [(String, Node)], std::vec::IntoIter<usize>),
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut next: Option<&Node> = Some(n);
        loop {
            if let Some(n) = next.take() {
                match n {
                    Node::Null => self.scalar("null", sys::YAML_PLAIN_SCALAR_STYLE)?,
                    Node::Bool(b) => self.scalar(if *b { "true" } else { "false" }, sys::YAML_PLAIN_SCALAR_STYLE)?,
                    Node::Num(s) => self.scalar(s, sys::YAML_PLAIN_SCALAR_STYLE)?,
                    Node::Str(s) => self.scalar(s, string_style(s))?,
                    Node::Seq(items) => {
                        self.start(false)?;
                        stack.push(Frame::Seq(items.iter()));
                    }
                    Node::Map(pairs) => {
                        self.start(true)?;
                        let mut order: Vec<usize> = (0..pairs.len()).collect();
                        sorter::sort_keys(&mut order, |i: usize| pairs[i].0.as_str());
                        stack.push(Frame::Map(pairs, order.into_iter()));
                    }
                }
            }
            let Some(top) = stack.last_mut() else { return Ok(()) };
            match top {
                Frame::Seq(it) => match it.next() {
                    Some(x) => next = Some(x),
                    None => {
                        stack.pop();
                        self.end(false)?;
                    }
                },
                Frame::Map(pairs, it) => match it.next().and_then(|i| pairs.get(i)) {
                    Some((k, v)) => {
                        self.scalar(k, string_style(k))?;
                        next = Some(v);
                    }
                    None => {
                        stack.pop();
                        self.end(true)?;
                    }
                },
            }
        }
    }

    #[inline(never)]
    fn start(&mut self, map: bool) -> Result<(), Error> {
        if map {
            self.emit(|e| unsafe {
                sys::yaml_mapping_start_event_initialize(
                    e,
                    ptr::null(),
                    ptr::null(),
                    true,
                    sys::YAML_BLOCK_MAPPING_STYLE,
                )
                .ok
            })
        } else {
            self.emit(|e| unsafe {
                sys::yaml_sequence_start_event_initialize(
                    e,
                    ptr::null(),
                    ptr::null(),
                    true,
                    sys::YAML_BLOCK_SEQUENCE_STYLE,
                )
                .ok
            })
        }
    }

    #[inline(never)]
    fn end(&mut self, map: bool) -> Result<(), Error> {
        if map {
            self.emit(|e| unsafe { sys::yaml_mapping_end_event_initialize(e).ok })
        } else {
            self.emit(|e| unsafe { sys::yaml_sequence_end_event_initialize(e).ok })
        }
    }

    fn document(mut self, n: &Node) -> Result<Vec<u8>, Error> {
        self.emit(|e| unsafe { sys::yaml_stream_start_event_initialize(e, sys::YAML_UTF8_ENCODING).ok })?;
        self.emit(|e| unsafe {
            sys::yaml_document_start_event_initialize(e, ptr::null_mut(), ptr::null_mut(), ptr::null_mut(), true).ok
        })?;
        self.node(n)?;
        self.emit(|e| unsafe { sys::yaml_document_end_event_initialize(e, true).ok })?;
        self.emit(|e| unsafe { sys::yaml_stream_end_event_initialize(e).ok })?;
        let mut out = unsafe { std::mem::take(&mut (*self.pin.as_mut_ptr()).out) };
        if !self.escapes.is_empty() {
            out = restore_escapes(&out, &self.escapes);
        }
        // go-yaml clears `open_ended` before STREAM-END; libyaml 0.2.5 ends
        // the stream with a `...` line after any `|+` scalar instead. An
        // unindented `...` last line can only be that marker (a string
        // "..." is quoted, block scalar lines are indented).
        if out == b"...\n" || out.ends_with(b"\n...\n") {
            out.truncate(out.len() - 4);
        }
        Ok(strip_indent_before_closing_quote(out))
    }
}

/// libyaml indents before the closing quote of a single-quoted scalar that
/// ends in a line break (U+2028 or U+2029: `'\u{2028}  '`); go-yaml's
/// yaml_emitter_write_single_quoted does not (`'\u{2028}'`). The spaces are
/// dropped where such a break is followed only by spaces and a quote that
/// closes the scalar (end of line, or `:` after a key; `''` is an escaped
/// quote inside it).
fn strip_indent_before_closing_quote(out: Vec<u8>) -> Vec<u8> {
    const LS: &[u8] = "\u{2028}".as_bytes();
    const PS: &[u8] = "\u{2029}".as_bytes();
    if !out.windows(3).any(|w| w == LS || w == PS) {
        return out;
    }
    let mut r = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        r.push(out[i]);
        if i >= 2 && (&out[i - 2..=i] == LS || &out[i - 2..=i] == PS) {
            let mut j = i + 1;
            while j < out.len() && out[j] == b' ' {
                j += 1;
            }
            let closes =
                j > i + 1 && out.get(j) == Some(&b'\'') && matches!(out.get(j + 1), None | Some(b'\n') | Some(b':'));
            if closes {
                i = j;
                continue;
            }
        }
        i += 1;
    }
    r
}

impl Drop for Emitter {
    fn drop(&mut self) {
        unsafe {
            let p = self.pin.as_mut_ptr();
            if self.ok {
                sys::yaml_emitter_delete(addr_of_mut!((*p).sys));
            }
            ptr::drop_in_place(addr_of_mut!((*p).out));
        }
    }
}

fn needs_go_escapes(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(|c| c as u32 > 0xFFFF || c == '\u{feff}' || c == '\u{e000}' || c == '\u{e001}')
}

/// go-yaml's `yaml_emitter_write_double_quoted_scalar` escape for `c`.
pub(super) fn go_escape(c: char) -> String {
    match c {
        '\0' => "\\0".into(),
        '\u{7}' => "\\a".into(),
        '\u{8}' => "\\b".into(),
        '\t' => "\\t".into(),
        '\n' => "\\n".into(),
        '\u{b}' => "\\v".into(),
        '\u{c}' => "\\f".into(),
        '\r' => "\\r".into(),
        '\u{1b}' => "\\e".into(),
        '"' => "\\\"".into(),
        '\\' => "\\\\".into(),
        '\u{85}' => "\\N".into(),
        '\u{a0}' => "\\_".into(),
        '\u{2028}' => "\\L".into(),
        '\u{2029}' => "\\P".into(),
        c if (c as u32) <= 0xFF => format!("\\x{:02X}", c as u32),
        c if (c as u32) <= 0xFFFF => format!("\\u{:04X}", c as u32),
        c => format!("\\U{:08X}", c as u32),
    }
}

/// Replaces each placeholder (U+E000 U+E001*) in `out` by the next escape.
fn restore_escapes(out: &[u8], escapes: &[String]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(out) else { return out.to_vec() };
    let mut res = String::with_capacity(text.len());
    let mut next = escapes.iter();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\u{e000}' {
            res.push(c);
            continue;
        }
        while chars.peek() == Some(&'\u{e001}') {
            chars.next();
        }
        match next.next() {
            Some(e) => res.push_str(e),
            None => res.push(c),
        }
    }
    res.into_bytes()
}

/// encode.go `stringv`: literal block for multi-line strings, plain when the
/// text reads back as a string (and is not a YAML 1.1 base-60 float), else
/// double-quoted. libyaml's emitter may still downgrade plain to single
/// quotes (or literal to double quotes) when the text needs it.
fn string_style(s: &str) -> sys::yaml_scalar_style_t {
    if s.contains('\n') {
        return sys::YAML_LITERAL_SCALAR_STYLE;
    }
    let can_plain = matches!(resolve::resolve("", s), Ok((resolve::STR_TAG, _))) && !resolve::is_base60_float(s);
    if can_plain {
        sys::YAML_PLAIN_SCALAR_STYLE
    } else {
        sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE
    }
}

/// sigs.k8s.io/yaml.Marshal's output (with the final newline), or
/// [`Fail::Budget`] once what it builds passes `cap` bytes. Go errors are
/// the error text of `yaml.Marshal` (`error marshaling into JSON: json:
/// unsupported value: NaN`).
pub fn marshal(v: &Value, cap: usize) -> Result<String, Fail> {
    let mut w = Walk { ptr_level: 0, seen: Default::default(), size: 0, cap };
    let n = match json_roundtrip(v, 0, &mut w) {
        Ok(n) => n,
        Err(Stage::Json(e)) => return Err(Fail::Go(e.wrap("error marshaling into JSON: "))),
        Err(Stage::Budget) => return Err(Fail::Budget),
        Err(Stage::Yaml(e)) => {
            // json.Marshal fails before go-yaml reads anything: a JSON-stage
            // error anywhere wins over a YAML-stage one.
            return Err(match crate::json::encode(v, crate::json::Style::Marshal, cap) {
                Err(Fail::Go(j)) => Fail::Go(j.wrap("error marshaling into JSON: ")),
                Err(Fail::Budget) => Fail::Budget,
                Ok(_) => Fail::Go(e),
            });
        }
    };
    let out = Emitter::new(GO_YAML_V2).document(&n).map_err(Fail::Go)?;
    String::from_utf8(out).map_err(|_| Fail::Go(Error::go("yaml: emitter produced invalid UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_through_json() {
        assert_eq!(json_float_as_yaml(1e6).as_deref(), Ok("1000000"));
        assert_eq!(json_float_as_yaml(1.2345675e6).as_deref(), Ok("1.2345675e+06"));
        assert_eq!(json_float_as_yaml(1e20).as_deref(), Ok("1e+20"));
        assert_eq!(json_float_as_yaml(1e19).as_deref(), Ok("10000000000000000000"));
        assert_eq!(json_float_as_yaml(-0.0).as_deref(), Ok("0"));
        assert_eq!(json_float_as_yaml(0.5).as_deref(), Ok("0.5"));
        assert_eq!(json_float_as_yaml(1e-6).as_deref(), Ok("1e-06"));
        assert_eq!(json_float_as_yaml(f64::NAN), Err(Error::go("json: unsupported value: NaN")));
    }
}
