//! A safe wrapper around unsafe-libyaml's event parser, reporting errors the
//! way go-yaml v2's `parser.fail()` formats them.
//!
//! go-yaml v2's scanner/parser is a Go transliteration of the same C libyaml
//! that unsafe-libyaml transliterates to Rust, so events and problem texts
//! agree. Known differences (libyaml 0.2.5 vs go-yaml's older base), rare
//! in values files: in flow collections libyaml rejects `:` directly before
//! `,[]{}?` ("found unexpected ':'") where go-yaml reads it as part of a plain
//! scalar, and go-yaml also ends flow plain scalars at `?`; go-yaml's scanner
//! limits nesting to 10000 levels (we check that depth while building nodes).

use std::mem::MaybeUninit;
use std::ptr::addr_of_mut;

#[allow(clippy::unsafe_removed_from_name)]
use unsafe_libyaml as sys;

use super::YamlError;

pub enum EventKind {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias { anchor: String },
    Scalar { anchor: Option<String>, tag: String, value: String, implicit: bool },
    SequenceStart { anchor: Option<String> },
    SequenceEnd,
    MappingStart { anchor: Option<String> },
    MappingEnd,
}

pub struct Event {
    pub kind: EventKind,
    /// 0-based, as libyaml marks.
    pub line: usize,
    pub col: usize,
}

struct Pinned {
    sys: sys::yaml_parser_t,
    /// libyaml reads from this buffer; it must not move while parsing.
    input: Vec<u8>,
}

pub struct Parser {
    pin: Box<MaybeUninit<Pinned>>,
    initialized: bool,
    failed: bool,
}

impl Parser {
    pub fn new(src: &str) -> Parser {
        // go-yaml: `if len(b) == 0 { b = []byte{'\n'} }`.
        let input: Vec<u8> = if src.is_empty() { b"\n".to_vec() } else { src.as_bytes().to_vec() };
        let mut pin: Box<MaybeUninit<Pinned>> = Box::new(MaybeUninit::uninit());
        let mut initialized = false;
        unsafe {
            let p = pin.as_mut_ptr();
            addr_of_mut!((*p).input).write(input);
            let parser = addr_of_mut!((*p).sys);
            if sys::yaml_parser_initialize(parser).ok {
                initialized = true;
                sys::yaml_parser_set_encoding(parser, sys::YAML_UTF8_ENCODING);
                let input = &(*p).input;
                sys::yaml_parser_set_input_string(parser, input.as_ptr(), input.len() as u64);
            }
        }
        Parser { pin, initialized, failed: false }
    }

    /// The next event, or go-yaml's error.
    pub fn next(&mut self) -> Result<Event, YamlError> {
        if !self.initialized {
            return Err(YamlError::new(0, 0, "yaml: failed to initialize YAML parser".into()));
        }
        if self.failed {
            return Err(self.error());
        }
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        unsafe {
            let parser = addr_of_mut!((*self.pin.as_mut_ptr()).sys);
            let ev = event.as_mut_ptr();
            if sys::yaml_parser_parse(parser, ev).fail {
                self.failed = true;
                return Err(self.error());
            }
            let e = &*ev;
            let kind = match e.type_ {
                sys::YAML_STREAM_START_EVENT => EventKind::StreamStart,
                sys::YAML_STREAM_END_EVENT => EventKind::StreamEnd,
                sys::YAML_DOCUMENT_START_EVENT => EventKind::DocumentStart,
                sys::YAML_DOCUMENT_END_EVENT => EventKind::DocumentEnd,
                sys::YAML_ALIAS_EVENT => EventKind::Alias { anchor: cstr(e.data.alias.anchor).unwrap_or_default() },
                sys::YAML_SCALAR_EVENT => {
                    let s = &e.data.scalar;
                    let bytes = if s.value.is_null() {
                        &[][..]
                    } else {
                        std::slice::from_raw_parts(s.value, s.length as usize)
                    };
                    EventKind::Scalar {
                        anchor: cstr(s.anchor),
                        tag: cstr(s.tag).unwrap_or_default(),
                        value: String::from_utf8_lossy(bytes).into_owned(),
                        implicit: s.plain_implicit,
                    }
                }
                sys::YAML_SEQUENCE_START_EVENT => {
                    EventKind::SequenceStart { anchor: cstr(e.data.sequence_start.anchor) }
                }
                sys::YAML_SEQUENCE_END_EVENT => EventKind::SequenceEnd,
                sys::YAML_MAPPING_START_EVENT => EventKind::MappingStart { anchor: cstr(e.data.mapping_start.anchor) },
                sys::YAML_MAPPING_END_EVENT => EventKind::MappingEnd,
                _ => {
                    sys::yaml_event_delete(ev);
                    self.failed = true;
                    return Err(YamlError::new(0, 0, "yaml: unknown problem parsing YAML content".into()));
                }
            };
            let out = Event { kind, line: e.start_mark.line as usize, col: e.start_mark.column as usize };
            sys::yaml_event_delete(ev);
            Ok(out)
        }
    }

    /// go-yaml v2 `(*parser).fail()`: the line printed is problem_mark.line
    /// (0-based!) plus one only for scanner errors, else context_mark.line;
    /// no `line N: ` when that is 0. The structured position is the real
    /// 1-based problem position for the editor.
    fn error(&mut self) -> YamlError {
        unsafe {
            let parser = &*addr_of_mut!((*self.pin.as_mut_ptr()).sys);
            let pm = parser.problem_mark;
            let cm = parser.context_mark;
            let scanner = parser.error == sys::YAML_SCANNER_ERROR;
            let mut line = 0usize;
            if pm.line != 0 {
                line = pm.line as usize;
                if scanner {
                    line += 1;
                }
            } else if cm.line != 0 {
                line = cm.line as usize;
            }
            let problem = cstr(parser.problem as *const u8).unwrap_or_default();
            let problem = match problem.as_str() {
                "" => "unknown problem parsing YAML content".to_string(),
                // go-yaml's spelling.
                "did not find expected hexadecimal number" => "did not find expected hexdecimal number".to_string(),
                _ => problem,
            };
            let msg = if line != 0 { format!("yaml: line {line}: {problem}") } else { format!("yaml: {problem}") };
            let (el, ec) = if parser.error == sys::YAML_READER_ERROR {
                (0, 0)
            } else if pm.line != 0 || pm.column != 0 || pm.index != 0 {
                (pm.line as usize + 1, pm.column as usize + 1)
            } else {
                (cm.line as usize + 1, cm.column as usize + 1)
            };
            YamlError::new(el, ec, msg)
        }
    }
}

impl Parser {
    /// The line go-yaml **v3** prints for the last error (it prefers the
    /// context mark; +1 for scanner errors in both cases); 0 = none.
    /// Used for plugin.yaml, which Helm decodes with yaml.v3.
    pub(crate) fn v3_error_line(&mut self) -> usize {
        unsafe {
            let parser = &*addr_of_mut!((*self.pin.as_mut_ptr()).sys);
            let scanner = usize::from(parser.error == sys::YAML_SCANNER_ERROR);
            if parser.context_mark.line != 0 {
                parser.context_mark.line as usize + scanner
            } else if parser.problem_mark.line != 0 {
                parser.problem_mark.line as usize + scanner
            } else {
                0
            }
        }
    }
}

unsafe fn cstr(p: *const u8) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let c = std::ffi::CStr::from_ptr(p as *const std::ffi::c_char);
    Some(String::from_utf8_lossy(c.to_bytes()).into_owned())
}

impl Drop for Parser {
    fn drop(&mut self) {
        unsafe {
            let p = self.pin.as_mut_ptr();
            if self.initialized {
                sys::yaml_parser_delete(addr_of_mut!((*p).sys));
            }
            std::ptr::drop_in_place(addr_of_mut!((*p).input));
        }
    }
}
