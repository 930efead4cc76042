//! pkg/chart/v2/lint/rules: one module per rule file of Helm's, plus what
//! they share (the k8s YAML-or-JSON document decoder and the `k8sYamlStruct`
//! stub every rendered document is decoded into).

pub mod chartfile;
pub mod crds;
pub mod dependencies;
pub mod deprecations;
mod deprecations_table;
pub mod govalidator;
pub mod names;
pub mod template;
pub mod values;

use super::support::finding;
use super::ChartFiles;
use crate::error::{Error, Kind};
use crate::value::Value;

/// `os.Stat(path)` on the in-memory folder: a file of that name, or a
/// folder (some file lies under it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Stat {
    Missing,
    File,
    Dir,
}

pub(crate) fn stat(files: &ChartFiles, dirs_on_disk: &[String], path: &str) -> Stat {
    let path = path.trim_end_matches('/');
    if files.contains_key(path) {
        return Stat::File;
    }
    if dirs_on_disk.iter().any(|d| d.trim_end_matches('/') == path) {
        return Stat::Dir;
    }
    let prefix = format!("{path}/");
    if files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix)) {
        Stat::Dir
    } else {
        Stat::Missing
    }
}

/// `k8sYamlStruct`: what lint reads of every document.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct K8sYamlStruct {
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

/// The value of a JSON object's field as encoding/json picks it: the
/// exact key, else a case-insensitive match (the last one in key order,
/// since each later match overwrites).
fn json_field(m: &crate::value::Map, name: &str) -> Option<Value> {
    if let Some(v) = m.get(name) {
        return Some(v.clone());
    }
    m.iter().rfind(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

/// A string field: sigs.k8s.io/yaml turns a YAML number or bool into its
/// text when the Go field is a string; null leaves it empty.
fn string_field(v: Option<Value>, field: &str, err: &mut Option<String>) -> String {
    match v {
        None | Some(Value::Nil) => String::new(),
        Some(Value::String(s)) => s.to_string(),
        Some(v @ (Value::Int(..) | Value::Uint(_) | Value::Float(_) | Value::Bool(_))) => match &v {
            Value::Int(i, _) => i.to_string(),
            Value::Uint(u) => u.to_string(),
            Value::Float(f) => crate::gofmt::strconv::format_float_g(*f, 32),
            Value::Bool(b) => b.to_string(),
            _ => String::new(),
        },
        Some(other) => {
            if err.is_none() {
                *err = Some(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type string",
                    crate::json::unmarshal_type_name(&other)
                ));
            }
            String::new()
        }
    }
}

/// One document decoded into `*k8sYamlStruct`: None for an empty (null)
/// document, else the struct or sigs.k8s.io/yaml's error text.
pub(crate) fn decode_k8s_struct(doc: &Value) -> Result<Option<K8sYamlStruct>, Error> {
    let m = match doc {
        Value::Nil => return Ok(None),
        Value::Map(m, _) => m.borrow().clone(),
        other => {
            return Err(Error::new(
                Kind::Lint,
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type rules.k8sYamlStruct",
                    crate::json::unmarshal_type_name(other)
                ),
            ))
        }
    };
    let mut err = None;
    // encoding/json walks the object in its (sorted) key order and keeps
    // the first type error; apiVersion < kind < metadata.
    let api_version = string_field(json_field(&m, "apiVersion"), "k8sYamlStruct.apiVersion", &mut err);
    let kind = string_field(json_field(&m, "Kind"), "k8sYamlStruct.Kind", &mut err);
    let (mut namespace, mut name) = (String::new(), String::new());
    match json_field(&m, "Metadata") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(md, _)) => {
            let md = md.borrow();
            // Name < Namespace in key order.
            name = string_field(json_field(&md, "Name"), "k8sYamlMetadata.Metadata.Name", &mut err);
            namespace = string_field(json_field(&md, "Namespace"), "k8sYamlMetadata.Metadata.Namespace", &mut err);
        }
        Some(other) => {
            if err.is_none() {
                err = Some(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata",
                    crate::json::unmarshal_type_name(&other)
                ));
            }
        }
    }
    match err {
        Some(e) => Err(Error::new(Kind::Lint, e)),
        None => Ok(Some(K8sYamlStruct { api_version, kind, namespace, name })),
    }
}

/// apimachinery's `yaml.NewYAMLOrJSONDecoder(…, 4096)` looping `Decode`
/// into `*k8sYamlStruct`: each document (split as its YAMLReader does) in
/// turn, `Err` at the first that does not decode. The position is the
/// 1-based line where the failing document starts.
pub(crate) fn decode_documents(content: &str) -> Vec<Result<Option<K8sYamlStruct>, Error>> {
    let mut out = Vec::new();
    for chunk in crate::yaml::split_documents(content) {
        let (doc, first_line) = match chunk {
            Ok(c) => c,
            Err(m) => {
                out.push(Err(finding(m.message, None, None)));
                return out;
            }
        };
        let decoded = match crate::yaml::parse_typed(&doc) {
            Err(e) => Err(finding(crate::yaml::sigs_unmarshal_error(&e), None, Some(first_line + e.line.max(1)))),
            Ok(v) => decode_k8s_struct(&v).map_err(|e| finding(e.message, None, Some(first_line + 1))),
        };
        let stop = decoded.is_err();
        out.push(decoded);
        if stop {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_reads_folders_from_paths() {
        let mut f = ChartFiles::new();
        f.insert("templates/a.yaml".into(), vec![]);
        f.insert("crds".into(), vec![]);
        assert_eq!(stat(&f, &[], "templates/"), Stat::Dir);
        assert_eq!(stat(&f, &[], "crds/"), Stat::File);
        assert_eq!(stat(&f, &[], "charts"), Stat::Missing);
        assert_eq!(stat(&f, &["charts".into()], "charts/"), Stat::Dir);
    }
}
