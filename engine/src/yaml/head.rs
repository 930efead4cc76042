//! The head of a rendered manifest as Helm's manifest sorter reads it:
//! `sigs.k8s.io/yaml.Unmarshal(doc, &releaseutil.SimpleHead{})`.
//!
//! ```go
//! type SimpleHead struct {
//!     Version  string `json:"apiVersion"`
//!     Kind     string `json:"kind,omitempty"`
//!     Metadata *struct {
//!         Name        string            `json:"name"`
//!         Annotations map[string]string `json:"annotations"`
//!     } `json:"metadata,omitempty"`
//! }
//! ```
//!
//! With a struct target sigs converts scalars headed for `string` fields to
//! strings (`apiVersion: 1` → "1", `kind: true` → "true"), then
//! encoding/json decodes with case-insensitive field names and type errors
//! such as `json: cannot unmarshal array into Go struct field
//! SimpleHead.kind of type string` (the first one wins). Helm wraps errors
//! as `YAML parse error on FILE: …`.

use crate::error::{go_err, Error};
use std::collections::BTreeMap;

use super::decode::{self, GoVal};
use super::YamlError;
use crate::value::{Map, Value};

/// `releaseutil.SimpleHead`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ManifestHead {
    pub api_version: String,
    pub kind: String,
    pub metadata: Option<HeadMetadata>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeadMetadata {
    pub name: String,
    /// `None` = Go nil map (absent or `null`).
    pub annotations: Option<BTreeMap<String, String>>,
}

const METADATA_TYPE: &str =
    r#"struct { Name string "json:\"name\""; Annotations map[string]string "json:\"annotations\"" }"#;

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Head,
    Meta,
    Str,
    StrMap,
}

/// Field lookup as sigs and encoding/json do it: exact name first, else the
/// first ASCII case-insensitive match.
fn field<'a>(names: &[&'a str], key: &str) -> Option<&'a str> {
    names.iter().find(|n| **n == key).or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(key))).copied()
}

fn convert(v: GoVal, t: Option<Target>, key_err: &mut Option<String>, nonfinite: &mut bool) -> Value {
    match (t, v) {
        (Some(Target::Str), v) => match decode::scalar_to_string(v) {
            Ok(s) => Value::string(s),
            Err(other) => decode::go_to_value(other, key_err, nonfinite),
        },
        (Some(t @ (Target::Head | Target::Meta | Target::StrMap)), GoVal::Map(m)) => {
            let mut out = Map::new();
            for (k, v) in m.pairs {
                let Some(key) = decode::convert_key(&k, &v, key_err) else { continue };
                let sub = match t {
                    Target::Head => match field(&["apiVersion", "kind", "metadata"], &key) {
                        Some("metadata") => Some(Target::Meta),
                        Some(_) => Some(Target::Str),
                        None => None,
                    },
                    Target::Meta => match field(&["name", "annotations"], &key) {
                        Some("annotations") => Some(Target::StrMap),
                        Some(_) => Some(Target::Str),
                        None => None,
                    },
                    _ => Some(Target::Str),
                };
                out.insert(key, convert(v, sub, key_err, nonfinite));
            }
            Value::map(out)
        }
        (_, v) => decode::go_to_value(v, key_err, nonfinite),
    }
}

/// encoding/json's UnmarshalTypeError text.
fn type_error(v: &Value, field: &str, ty: &str) -> String {
    format!("json: cannot unmarshal {} into Go struct field {field} of type {ty}", crate::json::unmarshal_type_name(v))
}

fn decode_string(v: &Value, into: &mut String, field: &str, err: &mut Option<String>) {
    match v {
        Value::String(s) => *into = s.to_string(),
        Value::Nil => {}
        other => {
            err.get_or_insert_with(|| type_error(other, field, "string"));
        }
    }
}

/// json.Unmarshal of the converted document into SimpleHead.
fn decode_head(v: &Value) -> Result<ManifestHead, Error> {
    let mut head = ManifestHead::default();
    let m = match v {
        Value::Nil => return Ok(head),
        Value::Map(m, _) => m.borrow(),
        other => {
            return Err(go_err!(
                "json: cannot unmarshal {} into Go value of type util.SimpleHead",
                crate::json::unmarshal_type_name(other)
            ))
        }
    };
    let mut err: Option<String> = None;
    for (k, v) in m.iter() {
        match field(&["apiVersion", "kind", "metadata"], k) {
            Some("apiVersion") => decode_string(v, &mut head.api_version, "SimpleHead.apiVersion", &mut err),
            Some("kind") => decode_string(v, &mut head.kind, "SimpleHead.kind", &mut err),
            Some(_) => match v {
                Value::Nil => head.metadata = None,
                Value::Map(mm, _) => {
                    let md = head.metadata.get_or_insert_with(HeadMetadata::default);
                    for (k2, v2) in mm.borrow().iter() {
                        match field(&["name", "annotations"], k2) {
                            Some("name") => decode_string(v2, &mut md.name, ".metadata.name", &mut err),
                            Some(_) => match v2 {
                                Value::Nil => md.annotations = None,
                                Value::Map(am, _) => {
                                    let ann = md.annotations.get_or_insert_with(BTreeMap::new);
                                    for (ak, av) in am.borrow().iter() {
                                        let mut s = String::new();
                                        decode_string(av, &mut s, ".metadata.annotations", &mut err);
                                        ann.insert(ak.clone(), s);
                                    }
                                }
                                other => {
                                    err.get_or_insert_with(|| {
                                        type_error(other, ".metadata.annotations", "map[string]string")
                                    });
                                }
                            },
                            None => {}
                        }
                    }
                }
                other => {
                    err.get_or_insert_with(|| type_error(other, "SimpleHead.metadata", METADATA_TYPE));
                }
            },
            None => {}
        }
    }
    match err {
        Some(e) => Err(Error::go(e)),
        None => Ok(head),
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(doc, &SimpleHead{})` of one rendered
/// manifest (the first YAML document in `doc`, as go-yaml reads it).
/// `Err.msg` is the sigs error text; Helm prints it after
/// `YAML parse error on FILE: `.
pub fn manifest_head(doc: &str) -> Result<ManifestHead, YamlError> {
    if let Some(h) = memo::get(doc) {
        return h;
    }
    let h = decode_manifest_head(doc);
    memo::put(doc, &h);
    h
}

/// Heads of the documents of recent renders, by their exact text: a
/// keystroke in values.yaml changes few of a big chart's documents, and
/// reading the head (a full YAML parse) was ~18% of a warm
/// kube-prometheus-stack render. Off unless `template::cache::enable()`
/// turned it on (the render worker); same two-generation bound as the
/// template cache: what a render did not use is dropped after the next.
pub(crate) mod memo {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::{ManifestHead, YamlError};

    type Entry = Result<ManifestHead, YamlError>;

    #[derive(Default)]
    struct Memo {
        current: HashMap<String, Entry>,
        previous: HashMap<String, Entry>,
    }

    thread_local! {
        static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
    }

    pub(crate) fn set_enabled(on: bool) {
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            match (on, m.is_some()) {
                (true, false) => *m = Some(Memo::default()),
                (false, _) => *m = None,
                _ => {}
            }
        });
    }

    pub(crate) fn begin_render() {
        MEMO.with(|m| {
            if let Ok(mut m) = m.try_borrow_mut() {
                if let Some(m) = m.as_mut() {
                    m.previous = std::mem::take(&mut m.current);
                }
            }
        });
    }

    pub(super) fn get(doc: &str) -> Option<Entry> {
        MEMO.with(|m| {
            let mut m = m.try_borrow_mut().ok()?;
            let m = m.as_mut()?;
            if let Some(e) = m.current.get(doc) {
                return Some(e.clone());
            }
            let (k, e) = m.previous.remove_entry(doc)?;
            m.current.insert(k, e.clone());
            Some(e)
        })
    }

    pub(super) fn put(doc: &str, e: &Entry) {
        MEMO.with(|m| {
            if let Ok(mut m) = m.try_borrow_mut() {
                if let Some(m) = m.as_mut() {
                    m.current.insert(doc.to_string(), e.clone());
                }
            }
        });
    }
}

fn decode_manifest_head(doc: &str) -> Result<ManifestHead, YamlError> {
    let mut p = decode::DocParser::new(doc);
    let go = match p.next_document() {
        Ok(Some(d)) => decode::decode_go(&d),
        Ok(None) => Ok(GoVal::Nil),
        Err(e) => Err(e),
    };
    let wrap = |e: YamlError| YamlError::new(e.line, e.col, super::sigs_unmarshal_error(&e));
    let go = go.map_err(wrap)?;
    let mut key_err = None;
    let mut nonfinite = false;
    let v = convert(go, Some(Target::Head), &mut key_err, &mut nonfinite);
    if let Some(e) = key_err {
        return Err(wrap(YamlError::new(0, 0, e)));
    }
    if nonfinite {
        if let Some(e) = decode::json_error_nonfinite(&v) {
            return Err(wrap(YamlError::new(0, 0, e)));
        }
    }
    decode_head(&v).map_err(|e| YamlError::new(0, 0, format!("error unmarshaling JSON: while decoding JSON: {e}")))
}
