//! YAML as Helm reads and writes it: go-yaml v2 (YAML 1.1) via sigs.k8s.io/yaml.
//!
//! Reading: libyaml events (unsafe-libyaml) resolved with go-yaml v2's rules,
//! converted as sigs.k8s.io/yaml does (YAML → JSON-able → JSON: every number
//! becomes float64, bool keys become "true"/"false"). Writing: go-yaml v2's
//! encoder decisions (quoting, key order, 80-column folding) driving libyaml's
//! emitter, byte-identical to Helm's `toYaml`.
//!
//! API:
//! * [`parse`] / [`parse_all`]: sigs.k8s.io/yaml.Unmarshal into `interface{}`
//!   (first document / every document); [`parse_map`]: into a map, with the
//!   complete sigs error text.
//! * [`load_values`]: Helm 4's `LoadValues` (multi-document values files).
//! * [`from_yaml`] / [`from_yaml_array`]: the template functions.
//! * [`to_yaml`] / [`marshal`]: `toYaml` / `mustToYaml`; [`to_yaml_pretty`]:
//!   `toYamlPretty` (go-yaml v3).
//! * [`manifest_head`]: apiVersion/kind/metadata for the manifest sorter.
//!
//! Submodules: `events` (libyaml event parser + go-yaml error text),
//! `decode` (node tree, aliases, merges, sigs/JSON conversion), `resolve`
//! (YAML 1.1 scalar resolution), `encode` (v2 encoder on libyaml's emitter),
//! `pretty` (v3 emitter port), `sorter` (natural key order), `head`.
//!
//! Known deviations: the nesting limit is 1000 (go-yaml: 10000) to fit the
//! wasm stack; inside flow collections libyaml 0.2.5 rejects `[a:]`/`[a:,b]`
//! and reads `[x?y]`/`[?x]` differently from go-yaml (see `events`).
//!
//! Error wrapping (measured with Helm v4.2.3; the callers add it):
//! * sigs.k8s.io/yaml.Unmarshal prefixes YAML-stage errors (go-yaml's
//!   `yaml: line 2: …`, sigs' `unsupported map key …`, encoding/json's
//!   `json: unsupported value: +Inf`) with `error converting YAML to JSON: `
//!   ([`sigs_unmarshal_error`]); a document of the wrong JSON type gives
//!   `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal
//!   string into Go value of type map[string]interface {}` ([`parse_map`]).
//! * values.yaml: `cannot load values.yaml: cannot unmarshal yaml document: `
//!   + the sigs error.
//! * `fromYaml`: the sigs error text is stored under the key `Error` of the
//!   returned map (`{"Error":"error converting YAML to JSON: yaml: line 2:
//!   mapping values are not allowed in this context"}`).
//! * `toYaml` swallows errors (empty string); `mustToYaml` returns the
//!   [`to_yaml`] error (`error marshaling into JSON: json: unsupported
//!   value: NaN`).

use crate::error::{go_err, Error};
use std::fmt;

use crate::value::{Map, Value};

pub use head::{manifest_head, HeadMetadata, ManifestHead};
pub use pretty::to_yaml_pretty;

mod decode;
mod encode;
pub(crate) mod events;
pub(crate) mod head;
mod pretty;
pub mod resolve;
pub mod sorter;

/// A YAML error with go-yaml's message text (`yaml: line 3: mapping values
/// are not allowed in this context`) and a structured position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// 1-based line, 0 if unknown.
    pub line: usize,
    /// 1-based column, 0 if unknown.
    pub col: usize,
    /// Exactly what go-yaml (via sigs.k8s.io/yaml) prints.
    pub msg: String,
}

impl YamlError {
    pub fn new(line: usize, col: usize, msg: String) -> YamlError {
        YamlError { line, col, msg }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for YamlError {}

/// `sigs.k8s.io/yaml.Unmarshal` of one document into `interface{}`, as Helm
/// reads values files, Chart.yaml and `fromYaml` input. Empty input → `Nil`.
/// Like go-yaml's `Unmarshal`, only the first document of a stream is read
/// (later documents are not even parsed).
///
/// The error message is the one sigs wraps: see [`sigs_unmarshal_error`].
pub fn parse(src: &str) -> Result<Value, YamlError> {
    let mut p = decode::DocParser::new(src);
    match p.next_document()? {
        Some(doc) => decode::decode_document(&doc),
        None => Ok(Value::Nil),
    }
}

/// [`parse`] for decoding into a Go struct (Chart.yaml into chart.Metadata):
/// YAML ints stay ints, so that a string field receives their exact decimal
/// text as sigs.k8s.io/yaml gives it.
pub fn parse_typed(src: &str) -> Result<Value, YamlError> {
    let mut p = decode::DocParser::new(src);
    match p.next_document()? {
        Some(doc) => decode::decode_document_typed(&doc),
        None => Ok(Value::Nil),
    }
}

/// `sigs.k8s.io/yaml.UnmarshalStrict`'s YAML stage (go-yaml v2's
/// `UnmarshalStrict` of the first document): `Err` with go-yaml's
/// `yaml: unmarshal errors:` text when a mapping repeats a key, which
/// sigs then wraps with `error converting YAML to JSON: `.
pub fn check_strict(src: &str) -> Result<(), YamlError> {
    let mut p = decode::DocParser::new(src);
    let Some(doc) = p.next_document()? else { return Ok(()) };
    let errors = decode::strict_errors(&doc)?;
    if errors.is_empty() {
        return Ok(());
    }
    Err(YamlError::new(0, 0, format!("yaml: unmarshal errors:\n  {}", errors.join("\n  "))))
}

/// Every document of a multi-document stream (go-yaml's `Decoder.Decode`
/// loop), each converted like [`parse`]. An empty stream gives no documents.
pub fn parse_all(src: &str) -> Result<Vec<Value>, YamlError> {
    let mut p = decode::DocParser::new(src);
    let mut out = Vec::new();
    while let Some(doc) = p.next_document()? {
        out.push(decode::decode_document(&doc)?);
    }
    Ok(out)
}

/// sigs.k8s.io/yaml's text for a YAML-stage error:
/// `error converting YAML to JSON: yaml: line 2: …`.
pub fn sigs_unmarshal_error(e: &YamlError) -> String {
    format!("error converting YAML to JSON: {}", e.msg)
}

/// `sigs.k8s.io/yaml.Unmarshal(src, &map[string]interface{})`, as Helm's
/// values loading and `fromYaml` use it: `Ok(None)` for an empty or `null`
/// document (Go leaves the map nil/unchanged); the `Err` is the complete
/// sigs error text (`error converting YAML to JSON: …` or `error
/// unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into
/// Go value of type map[string]interface {}`).
pub fn parse_map(src: &str) -> Result<Option<Map>, Error> {
    match parse(src) {
        Err(e) => Err(Error::go(sigs_unmarshal_error(&e))),
        Ok(Value::Nil) => Ok(None),
        Ok(Value::Map(m, _)) => Ok(Some(std::mem::take(&mut *m.borrow_mut()))),
        Ok(other) => Err(go_err!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            crate::json::unmarshal_type_name(&other)
        )),
    }
}

/// Helm's `fromYaml`: a map; on any error the map holds the sigs error
/// text under `Error` (and whatever was decoded before: nothing, since
/// every error comes before JSON decoding or at its top level).
pub fn from_yaml(src: &str) -> Value {
    match parse_map(src) {
        Ok(Some(m)) => Value::map(m),
        Ok(None) => Value::empty_map(),
        Err(e) => {
            let mut m = Map::new();
            m.insert("Error".to_string(), Value::string(e.message));
            Value::map(m)
        }
    }
}

/// Helm's `fromYamlArray`: a list; on error a one-element list holding the
/// sigs error text.
pub fn from_yaml_array(src: &str) -> Value {
    match parse(src) {
        Ok(Value::List(l, t)) => Value::List(l, t),
        Ok(Value::Nil) => Value::list(Vec::new()),
        Ok(other) => Value::list(vec![Value::string(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            crate::json::unmarshal_type_name(&other)
        ))]),
        Err(e) => Value::list(vec![Value::string(sigs_unmarshal_error(&e))]),
    }
}

/// Helm 4's `loader.LoadValues` (values.yaml and `-f` files): the text is
/// split into documents by apimachinery's `YAMLReader` (lines starting with
/// `---`; only a comment may follow; CRLF read as LF), each document goes
/// through `sigs.k8s.io/yaml.Unmarshal` into a map, and the maps are merged
/// (`MergeMaps`: later documents win, nested maps merged).
///
/// `Err.msg` is Helm's text after `cannot load values.yaml: ` (or `failed to
/// parse FILE: `): `error reading yaml document: invalid Yaml document
/// separator: b` or `cannot unmarshal yaml document: error converting YAML to
/// JSON: yaml: line 2: …` — go-yaml's line numbers are relative to the
/// document, as in Helm; `Err.line/col` are positions in the whole file.
pub fn load_values(src: &str) -> Result<Map, YamlError> {
    let mut values = Map::new();
    for chunk in split_documents(src) {
        let (doc, first_line) = chunk.map_err(|m| YamlError::new(0, 0, format!("error reading yaml document: {m}")))?;
        let map = match parse(&doc) {
            Err(e) => {
                let line = if e.line > 0 { e.line + first_line } else { 0 };
                return Err(YamlError::new(
                    line,
                    e.col,
                    format!("cannot unmarshal yaml document: {}", sigs_unmarshal_error(&e)),
                ));
            }
            Ok(Value::Nil) => continue,
            Ok(Value::Map(m, _)) => std::mem::take(&mut *m.borrow_mut()),
            Ok(other) => {
                return Err(YamlError::new(
                    first_line + 1,
                    1,
                    format!(
                        "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                        crate::json::unmarshal_type_name(&other)
                    ),
                ))
            }
        };
        values = merge_maps(values, map);
    }
    Ok(values)
}

/// Helm's `MergeMaps(a, b)`: b wins; maps present in both merge recursively.
fn merge_maps(mut a: Map, b: Map) -> Map {
    for (k, v) in b {
        if let Value::Map(bm, _) = &v {
            if let Some(Value::Map(am, _)) = a.get(&k) {
                let merged = merge_maps(am.borrow().clone(), bm.borrow().clone());
                a.insert(k, Value::map(merged));
                continue;
            }
        }
        a.insert(k, v);
    }
    a
}

/// apimachinery `YAMLReader.Read` loop: documents with the 0-based line
/// number (in `src`) of their first line, or the separator error.
pub(crate) fn split_documents(src: &str) -> Vec<Result<(String, usize), Error>> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut buf_start = 0usize;
    for (n, raw) in src.split_inclusive('\n').enumerate() {
        // bufio.ReadLine drops "\n" or "\r\n"; LineReader adds "\n" back.
        let line = raw.strip_suffix('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).unwrap_or(raw);
        if let Some(rest) = line.strip_prefix("---") {
            let trimmed = rest.trim_matches(|c: char| c.is_whitespace());
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                out.push(Err(go_err!("invalid Yaml document separator: {trimmed}")));
                return out;
            }
            if !buf.is_empty() {
                out.push(Ok((std::mem::take(&mut buf), buf_start)));
            }
            continue;
        }
        if buf.is_empty() {
            buf_start = n;
        }
        buf.push_str(line);
        buf.push('\n');
    }
    if !buf.is_empty() {
        out.push(Ok((buf, buf_start)));
    }
    out
}

/// Helm's `toYaml`: `sigs.k8s.io/yaml.Marshal` (JSON round trip, then go-yaml
/// v2) with the trailing newline trimmed. The error is `yaml.Marshal`'s
/// (`toYaml` itself prints "" on error; `mustToYaml` fails with it).
pub fn to_yaml(v: &Value) -> Result<String, Error> {
    to_yaml_within(v, usize::MAX).map_err(|f| match f {
        crate::json::Fail::Go(e) => e,
        crate::json::Fail::Budget => Error::go("memory budget".to_string()),
    })
}

/// [`to_yaml`], stopping with [`crate::json::Fail::Budget`] once what it
/// builds passes `cap` bytes (the render's memory budget).
pub fn to_yaml_within(v: &Value, cap: usize) -> Result<String, crate::json::Fail> {
    let mut s = encode::marshal(v, cap)?;
    if s.ends_with('\n') {
        s.pop();
    }
    Ok(s)
}

/// `sigs.k8s.io/yaml.Marshal` exactly (with the final newline).
pub fn marshal(v: &Value) -> Result<String, Error> {
    encode::marshal(v, usize::MAX).map_err(|f| match f {
        crate::json::Fail::Go(e) => e,
        crate::json::Fail::Budget => Error::go("memory budget".to_string()),
    })
}

#[cfg(test)]
mod tests;
