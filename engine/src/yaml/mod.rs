//! YAML as Helm reads and writes it: go-yaml v2 (YAML 1.1) via sigs.k8s.io/yaml.
//!
//! Reading: libyaml events (unsafe-libyaml) resolved with go-yaml v2's rules,
//! converted as sigs.k8s.io/yaml does (YAML → JSON-able → JSON: every number
//! becomes float64, bool keys become "true"/"false"). Writing: go-yaml v2's
//! encoder decisions (quoting, key order, 80-column folding) driving libyaml's
//! emitter, byte-identical to Helm's `toYaml`.
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

use std::fmt;

use crate::value::{Map, Value};

mod decode;
mod encode;
mod events;
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

/// The JSON type name encoding/json uses in "cannot unmarshal X into …".
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => "number",
        Value::String(_) | Value::Bytes(_) => "string",
        Value::List(..) => "array",
        _ => "object",
    }
}

/// `sigs.k8s.io/yaml.Unmarshal(src, &map[string]interface{})`, as Helm's
/// values loading and `fromYaml` use it: `Ok(None)` for an empty or `null`
/// document (Go leaves the map nil/unchanged); the `Err` is the complete
/// sigs error text (`error converting YAML to JSON: …` or `error
/// unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into
/// Go value of type map[string]interface {}`).
pub fn parse_map(src: &str) -> Result<Option<Map>, String> {
    match parse(src) {
        Err(e) => Err(sigs_unmarshal_error(&e)),
        Ok(Value::Nil) => Ok(None),
        Ok(Value::Map(m)) => Ok(Some(std::mem::take(&mut *m.borrow_mut()))),
        Ok(other) => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&other)
        )),
    }
}

/// Helm's `toYaml`: `sigs.k8s.io/yaml.Marshal` (JSON round trip, then go-yaml
/// v2) with the trailing newline trimmed. The error is `yaml.Marshal`'s
/// (`toYaml` itself prints "" on error; `mustToYaml` fails with it).
pub fn to_yaml(v: &Value) -> Result<String, String> {
    let mut s = marshal(v)?;
    if s.ends_with('\n') {
        s.pop();
    }
    Ok(s)
}

/// `sigs.k8s.io/yaml.Marshal` exactly (with the final newline).
pub fn marshal(v: &Value) -> Result<String, String> {
    encode::marshal(v)
}

#[cfg(test)]
mod tests;
