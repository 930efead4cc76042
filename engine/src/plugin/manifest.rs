//! plugin.yaml as Helm 4.2 (v4.1.4+) loads it: `internal/plugin/loader.go`
//! `loadMetadata` → `loadMetadataV1` (go-yaml v3, `KnownFields(true)` at the
//! top level) → `MetadataV1.Validate` → `fromMetadataV1` (type `config`
//! re-marshalled and decoded strictly, `runtimeConfig` leniently) →
//! `Metadata.Validate` (errors joined by newlines).
//!
//! Deviation: YAML is read with the engine's go-yaml v2 reader (numbers come
//! back as float64), so a number written where a string is expected is
//! re-printed from its value (`1.0` → `1`), and line numbers in `config` /
//! `runtimeConfig` errors are computed on the re-marshalled text, as Helm's
//! are, but with our encoder's layout.

use std::collections::BTreeMap;

use crate::value::{Map, Value};

/// The plugin types Helm 4.2 registers (`pluginTypesIndex`).
#[derive(Debug, Clone, PartialEq)]
pub enum PluginType {
    Cli(CliConfig),
    Getter(GetterConfig),
    PostRenderer,
    /// Helm's internal `test/v1` (unit tests only): `{"Name"}` → `{"Greeting"}`.
    Test,
}

impl PluginType {
    pub fn name(&self) -> &'static str {
        match self {
            PluginType::Cli(_) => "cli/v1",
            PluginType::Getter(_) => "getter/v1",
            PluginType::PostRenderer => "postrenderer/v1",
            PluginType::Test => "test/v1",
        }
    }
}

/// `schema.ConfigCLIV1`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CliConfig {
    pub usage: String,
    pub short_help: String,
    pub long_help: String,
    pub ignore_flags: bool,
}

/// `schema.ConfigGetterV1`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetterConfig {
    pub protocols: Vec<String>,
}

/// `RuntimeConfigExtismV1`, with Helm's field types. Zero values are kept
/// literally: what they mean is decided by the limits profile.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExtismConfig {
    pub max_pages: u32,
    pub max_http_response_bytes: i64,
    pub max_var_bytes: i64,
    pub config: BTreeMap<String, String>,
    pub allowed_hosts: Vec<String>,
    pub create_temp_dir: bool,
    /// Milliseconds; 0 = no timeout.
    pub timeout: u64,
    pub host_functions: Vec<String>,
    pub entry_func_name: String,
    /// Which keys were written in plugin.yaml (for the profile lint).
    pub present: Vec<&'static str>,
}

impl ExtismConfig {
    pub fn entry(&self) -> &str {
        if self.entry_func_name.is_empty() {
            "helm_plugin_main"
        } else {
            &self.entry_func_name
        }
    }
}

/// A validated v1 plugin.yaml.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub name: String,
    pub version: String,
    pub source_url: String,
    pub plugin_type: PluginType,
    pub runtime: ExtismConfig,
}

/// Why a plugin.yaml cannot be used here.
#[derive(Debug, Clone, PartialEq)]
pub enum MetadataError {
    /// Helm's own error text (what `helm plugin list`/install would print).
    Invalid(String),
    /// Valid for Helm but runs as a subprocess: impossible in a browser.
    Subprocess { name: String, legacy: bool },
}

impl std::fmt::Display for MetadataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetadataError::Invalid(m) => f.write_str(m),
            MetadataError::Subprocess { name, legacy } => write!(
                f,
                "plugin {name:?} is a {} plugin (runtime: subprocess): it runs a host executable, which cannot run in the browser; only runtime extism/v1 (Wasm) plugins are supported",
                if *legacy { "legacy" } else { "subprocess" }
            ),
        }
    }
}

fn invalid(m: impl Into<String>) -> MetadataError {
    MetadataError::Invalid(m.into())
}

/// Go's `%q` for the strings Helm quotes (ASCII-printable fast path).
fn go_q(s: &str) -> String {
    crate::gofmt::strconv::quote(s)
}

/// `^[A-Za-z0-9_-]+$`
pub fn valid_name(n: &str) -> bool {
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Masterminds `semver.StrictNewVersion`: `MAJOR.MINOR.PATCH` without `v`,
/// no leading zeros, optional `-prerelease` and `+build`.
pub fn valid_strict_semver(v: &str) -> bool {
    let (rest, build) = match v.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (v, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let nums: Vec<&str> = core.split('.').collect();
    if nums.len() != 3 {
        return false;
    }
    for n in &nums {
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || (n.len() > 1 && n.starts_with('0')) {
            return false;
        }
    }
    let ident_ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if let Some(p) = pre {
        for id in p.split('.') {
            if !ident_ok(id) {
                return false;
            }
            if id.bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 && id.starts_with('0') {
                return false;
            }
        }
    }
    if let Some(b) = build {
        if !b.split('.').all(ident_ok) {
            return false;
        }
    }
    true
}

/// go-yaml's short tag and text of a decoded scalar, for `cannot unmarshal
/// !!str `x` into uint32`.
fn tag_of(v: &Value) -> (&'static str, String) {
    match v {
        Value::Nil => ("!!null", "null".into()),
        Value::Bool(b) => ("!!bool", b.to_string()),
        Value::Int(i, _) => ("!!int", i.to_string()),
        Value::Uint(u) => ("!!int", u.to_string()),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => ("!!int", format!("{}", *f as i64)),
        Value::Float(f) => ("!!float", v_to_string(&Value::Float(*f))),
        Value::String(s) => ("!!str", s.to_string()),
        Value::List(..) => ("!!seq", String::new()),
        Value::Map(..) => ("!!map", String::new()),
        _ => ("!!str", String::new()),
    }
}

fn v_to_string(v: &Value) -> String {
    v.to_go_string()
}

/// Line-numbered v3 unmarshal errors, collected like go-yaml's `TypeError`.
struct Errs(Vec<String>);

impl Errs {
    fn cannot(&mut self, line: usize, v: &Value, go_type: &str) {
        let (tag, text) = tag_of(v);
        if text.is_empty() {
            self.0.push(format!("line {line}: cannot unmarshal {tag} into {go_type}"));
        } else {
            self.0.push(format!("line {line}: cannot unmarshal {tag} `{text}` into {go_type}"));
        }
    }
    fn into_result(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(format!("yaml: unmarshal errors:\n  {}", self.0.join("\n  ")))
        }
    }
}

/// A string field: any scalar decodes (v3 keeps the scalar's text); `null`
/// leaves "", collections are errors.
fn as_string(v: &Value, line: usize, errs: &mut Errs) -> String {
    match v {
        Value::Nil => String::new(),
        Value::String(s) => s.to_string(),
        Value::List(..) | Value::Map(..) => {
            errs.cannot(line, v, "string");
            String::new()
        }
        other => tag_of(other).1,
    }
}

fn as_bool(v: &Value, line: usize, errs: &mut Errs) -> bool {
    match v {
        Value::Nil => false,
        Value::Bool(b) => *b,
        other => {
            errs.cannot(line, other, "bool");
            false
        }
    }
}

fn as_uint(v: &Value, line: usize, errs: &mut Errs, go_type: &str, max: u64) -> u64 {
    match v {
        Value::Nil => 0,
        Value::Float(f) if f.fract() == 0.0 && *f >= 0.0 && *f <= max as f64 => *f as u64,
        Value::Int(i, _) if *i >= 0 && (*i as u64) <= max => *i as u64,
        Value::Uint(u) if *u <= max => *u,
        other => {
            errs.cannot(line, other, go_type);
            0
        }
    }
}

fn as_int(v: &Value, line: usize, errs: &mut Errs) -> i64 {
    match v {
        Value::Nil => 0,
        Value::Float(f) if f.fract() == 0.0 && f.abs() <= 9.0e18 => *f as i64,
        Value::Int(i, _) => *i,
        other => {
            errs.cannot(line, other, "int64");
            0
        }
    }
}

fn as_strings(v: &Value, line: usize, errs: &mut Errs) -> Vec<String> {
    match v {
        Value::Nil => Vec::new(),
        Value::List(l, _) => l.borrow().iter().map(|x| as_string(x, line, errs)).collect(),
        other => {
            errs.cannot(line, other, "[]string");
            Vec::new()
        }
    }
}

/// 1-based line of `path` in `text` (a block-style YAML mapping with
/// two-space nesting): each path element is searched at the next indent
/// after the previous hit. Falls back to the last found line.
fn line_of(text: &str, path: &[&str]) -> usize {
    let mut line = 1;
    let mut from = 0;
    let lines: Vec<&str> = text.lines().collect();
    for (depth, key) in path.iter().enumerate() {
        let want = format!("{}{}:", " ".repeat(depth * 2), key);
        let want_q = format!("{}{}:", " ".repeat(depth * 2), go_q(key));
        if let Some(i) = (from..lines.len()).find(|&i| {
            let l = lines.get(i).copied().unwrap_or("");
            l.starts_with(&want) || l.starts_with(&want_q)
        }) {
            line = i + 1;
            from = i + 1;
        }
    }
    line
}

fn remarshal(m: &Map) -> String {
    crate::yaml::marshal(&Value::Map(std::rc::Rc::new(std::cell::RefCell::new(m.clone())))).unwrap_or_default()
}

/// Parses and validates plugin.yaml text like Helm 4.2's `loadMetadata`.
pub fn parse(src: &str) -> Result<Metadata, MetadataError> {
    let doc = crate::yaml::parse(src).map_err(|e| invalid(format!("failed to peek plugin.yaml API version: {}", e.msg)))?;
    let top: Map = match &doc {
        Value::Nil => Map::new(),
        Value::Map(m) => m.borrow().clone(),
        other => {
            // v3 decoding a non-mapping into the peek struct.
            let (tag, text) = tag_of(other);
            let what = if text.is_empty() { tag.to_string() } else { format!("{tag} `{text}`") };
            return Err(invalid(format!(
                "failed to peek plugin.yaml API version: yaml: unmarshal errors:\n  line 1: cannot unmarshal {what} into plugin.apiVersionPeek"
            )));
        }
    };
    let src_line = |key: &str| -> usize {
        src.lines()
            .position(|l| l.starts_with(&format!("{key}:")) || l.starts_with(&format!("\"{key}\":")) || l.starts_with(&format!("'{key}':")))
            .map(|i| i + 1)
            .unwrap_or(1)
    };
    let mut errs = Errs(Vec::new());
    let api = top.get("apiVersion").map(|v| as_string(v, src_line("apiVersion"), &mut errs)).unwrap_or_default();
    match api.as_str() {
        "" => {
            // Legacy: always subprocess; never strict.
            let name = top.get("name").map(|v| as_string(v, 1, &mut Errs(Vec::new()))).unwrap_or_default();
            if !valid_name(&name) {
                return Err(invalid("invalid plugin `name`"));
            }
            return Err(MetadataError::Subprocess { name, legacy: true });
        }
        "v1" => {}
        other => return Err(invalid(format!("invalid plugin apiVersion: {}", go_q(other)))),
    }
    // Strict top level (MetadataV1 fields only), in document order.
    const KNOWN: [&str; 8] = ["apiVersion", "name", "type", "runtime", "version", "sourceURL", "config", "runtimeConfig"];
    let mut keys: Vec<(&String, &Value)> = top.iter().collect();
    keys.sort_by_key(|(k, _)| src_line(k));
    let get_s = |k: &str, errs: &mut Errs| top.get(k).map(|v| as_string(v, src_line(k), errs)).unwrap_or_default();
    let name = get_s("name", &mut errs);
    let typ = get_s("type", &mut errs);
    let runtime = get_s("runtime", &mut errs);
    let version = get_s("version", &mut errs);
    let source_url = get_s("sourceURL", &mut errs);
    let mut config = Map::new();
    let mut runtime_config = Map::new();
    for (k, v) in keys {
        if !KNOWN.contains(&k.as_str()) {
            errs.0.push(format!("line {}: field {} not found in type plugin.MetadataV1", src_line(k), k));
            continue;
        }
        if k == "config" || k == "runtimeConfig" {
            match v {
                Value::Nil => {}
                Value::Map(m) => {
                    if k == "config" {
                        config = m.borrow().clone()
                    } else {
                        runtime_config = m.borrow().clone()
                    }
                }
                other => errs.cannot(src_line(k), other, "map[string]interface {}"),
            }
        }
    }
    // go-yaml reports errors in document order; ours were pushed per field
    // first, then unknown keys: sort by line number to match.
    errs.0.sort_by_key(|e| e.strip_prefix("line ").and_then(|r| r.split(':').next()).and_then(|n| n.parse::<usize>().ok()).unwrap_or(0));
    errs.into_result().map_err(invalid)?;

    // MetadataV1.Validate: first failure wins.
    if !valid_name(&name) {
        return Err(invalid("invalid plugin `name`"));
    }
    if version.is_empty() {
        return Err(invalid("plugin `version` is required"));
    }
    if !valid_strict_semver(&version) {
        return Err(invalid(format!("invalid plugin `version` {}: must be valid semver", go_q(&version))));
    }
    if typ.is_empty() {
        return Err(invalid("`type` missing"));
    }
    if runtime.is_empty() {
        return Err(invalid("`runtime` missing"));
    }
    // fromMetadataV1: the type's config, strictly.
    let conv = |m: String| invalid(format!("failed to convert MetadataV1 to Metadata: {m}"));
    let cfg_text = remarshal(&config);
    let mut cerrs = Errs(Vec::new());
    let unknown = |k: &str, ty: &str, errs: &mut Errs| {
        errs.0.push(format!("line {}: field {} not found in type {}", line_of(&cfg_text, &[k]), k, ty));
    };
    let plugin_type = match typ.as_str() {
        "cli/v1" => {
            let mut c = CliConfig::default();
            for (k, v) in &config {
                let l = line_of(&cfg_text, &[k]);
                match k.as_str() {
                    "usage" => c.usage = as_string(v, l, &mut cerrs),
                    "shortHelp" => c.short_help = as_string(v, l, &mut cerrs),
                    "longHelp" => c.long_help = as_string(v, l, &mut cerrs),
                    "ignoreFlags" => c.ignore_flags = as_bool(v, l, &mut cerrs),
                    _ => unknown(k, "schema.ConfigCLIV1", &mut cerrs),
                }
            }
            PluginType::Cli(c)
        }
        "getter/v1" => {
            let mut c = GetterConfig::default();
            for (k, v) in &config {
                let l = line_of(&cfg_text, &[k]);
                match k.as_str() {
                    "protocols" => c.protocols = as_strings(v, l, &mut cerrs),
                    _ => unknown(k, "schema.ConfigGetterV1", &mut cerrs),
                }
            }
            PluginType::Getter(c)
        }
        "postrenderer/v1" => {
            for k in config.keys() {
                unknown(k, "schema.ConfigPostRendererV1", &mut cerrs);
            }
            PluginType::PostRenderer
        }
        "test/v1" => {
            for k in config.keys() {
                unknown(k, "schema.ConfigTestV1", &mut cerrs);
            }
            PluginType::Test
        }
        other => return Err(conv(format!("unknown plugin type {}", go_q(other)))),
    };
    cerrs.into_result().map_err(conv)?;

    // convertMetadataRuntimeConfig: lenient decode.
    let rc = match runtime.as_str() {
        "subprocess" => return Err(MetadataError::Subprocess { name, legacy: false }),
        "extism/v1" => {
            let text = remarshal(&runtime_config);
            let mut rerrs = Errs(Vec::new());
            let mut rc = ExtismConfig::default();
            for (k, v) in &runtime_config {
                let l = line_of(&text, &[k]);
                match k.as_str() {
                    "memory" => match v {
                        Value::Nil => {}
                        Value::Map(m) => {
                            for (mk, mv) in m.borrow().iter() {
                                let ml = line_of(&text, &["memory", mk]);
                                match mk.as_str() {
                                    "maxPages" => {
                                        rc.max_pages = as_uint(mv, ml, &mut rerrs, "uint32", u32::MAX as u64) as u32;
                                        rc.present.push("memory.maxPages");
                                    }
                                    "maxHttpResponseBytes" => {
                                        rc.max_http_response_bytes = as_int(mv, ml, &mut rerrs);
                                        rc.present.push("memory.maxHttpResponseBytes");
                                    }
                                    "maxVarBytes" => {
                                        rc.max_var_bytes = as_int(mv, ml, &mut rerrs);
                                        rc.present.push("memory.maxVarBytes");
                                    }
                                    _ => {}
                                }
                            }
                        }
                        other => rerrs.cannot(l, other, "plugin.RuntimeConfigExtismV1Memory"),
                    },
                    "config" => match v {
                        Value::Nil => {}
                        Value::Map(m) => {
                            for (ck, cv) in m.borrow().iter() {
                                let s = as_string(cv, line_of(&text, &["config", ck]), &mut rerrs);
                                rc.config.insert(ck.clone(), s);
                            }
                        }
                        other => rerrs.cannot(l, other, "map[string]string"),
                    },
                    "allowedHosts" => {
                        rc.allowed_hosts = as_strings(v, l, &mut rerrs);
                        rc.present.push("allowedHosts");
                    }
                    "fileSystem" => match v {
                        Value::Nil => {}
                        Value::Map(m) => {
                            if let Some(b) = m.borrow().get("createTempDir") {
                                rc.create_temp_dir = as_bool(b, line_of(&text, &["fileSystem", "createTempDir"]), &mut rerrs);
                            }
                        }
                        other => rerrs.cannot(l, other, "plugin.RuntimeConfigExtismV1FileSystem"),
                    },
                    "timeout" => {
                        rc.timeout = as_uint(v, l, &mut rerrs, "uint64", u64::MAX);
                        rc.present.push("timeout");
                    }
                    "hostFunctions" => rc.host_functions = as_strings(v, l, &mut rerrs),
                    "entryFuncName" => rc.entry_func_name = as_string(v, l, &mut rerrs),
                    _ => {} // unknown keys are silently ignored (non-strict)
                }
            }
            rerrs
                .into_result()
                .map_err(|e| conv(format!("failed to unmarshal runtimeConfig for extism/v1 runtime: {e}")))?;
            rc
        }
        other => return Err(conv(format!("unsupported plugin runtime type: {}", go_q(other)))),
    };

    // Metadata.Validate: remaining checks, joined.
    let mut joined = Vec::new();
    if let PluginType::Getter(g) = &plugin_type {
        if g.protocols.is_empty() {
            joined.push("config validation failed: getter has no protocols".to_string());
        } else if let Some(i) = g.protocols.iter().position(|p| p.is_empty()) {
            joined.push(format!("config validation failed: getter has empty protocol at index {i}"));
        }
    }
    if !joined.is_empty() {
        return Err(invalid(joined.join("\n")));
    }
    Ok(Metadata { name, version, source_url, plugin_type, runtime: rc })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver() {
        for ok in ["0.1.0", "1.2.3-rc.1+build.5", "10.0.0-alpha-1"] {
            assert!(valid_strict_semver(ok), "{ok}");
        }
        for bad in ["v1.0.0", "1.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+"] {
            assert!(!valid_strict_semver(bad), "{bad}");
        }
    }
}
