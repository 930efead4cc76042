//! plugin.yaml as Helm 4.2 (v4.1.4+) loads it: `internal/plugin/loader.go`
//! `loadMetadata` → `loadMetadataV1` (go-yaml v3, `KnownFields(true)` at the
//! top level) → `MetadataV1.Validate` → `fromMetadataV1` (type `config`
//! re-marshalled and decoded strictly, `runtimeConfig` leniently) →
//! `Metadata.Validate` (errors joined by newlines).
//!
//! The YAML is read from libyaml events with go-yaml v3's scalar
//! resolution. Deviation: for a YAML *syntax* error the line printed is
//! go-yaml v2's (problem mark) where v3 prints the context mark.

use crate::error::{Error, Kind};
use std::collections::BTreeMap;

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

/// The file every plugin.yaml error is marked in.
const FILE: &str = "plugin.yaml";

/// Helm's own error text for an invalid plugin.yaml (what `helm plugin
/// list`/install would print), marked in plugin.yaml.
fn invalid(m: impl Into<String>) -> Error {
    Error::new(Kind::Plugin, m).at(FILE, None, None)
}

/// A plugin.yaml that is valid for Helm but runs as a subprocess: Chartroom
/// refuses it ([`Kind::Unsupported`]), Helm would load it.
fn subprocess(name: &str, legacy: bool) -> Error {
    Error::new(
        Kind::Unsupported,
        format!(
            "plugin {name:?} is a {} plugin (runtime: subprocess): it runs a host executable, which cannot run in the browser; only runtime extism/v1 (Wasm) plugins are supported",
            if legacy { "legacy" } else { "subprocess" }
        ),
    )
    .at(FILE, None, None)
}

/// Go's `%q` for the strings Helm quotes (ASCII-printable fast path).
fn go_q(s: &str) -> String {
    crate::gofmt::strconv::quote(s)
}

/// `^[A-Za-z0-9_-]+$`
pub(crate) fn valid_name(n: &str) -> bool {
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

// ---------------------------------------------------------------------
// A go-yaml v3 view of the document: Helm decodes plugin.yaml with
// go.yaml.in/yaml/v3 (YAML 1.2-ish resolution: `yes`/`n`/`on` are strings,
// not bools as in v2), so we read libyaml events ourselves and resolve
// plain scalars with v3's rules, keeping line numbers and key order.
// ---------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    /// `tag` is the resolved short tag (`!!str`, `!!int`, `!!bool`…).
    Scalar {
        text: String,
        tag: &'static str,
        line: usize,
    },
    Seq(Vec<Node>, usize),
    /// Entries, the mapping's line, and each key's line.
    Map(Vec<(String, Node)>, usize, Vec<usize>),
}

impl Node {
    fn line(&self) -> usize {
        match self {
            Node::Scalar { line, .. } | Node::Seq(_, line) | Node::Map(_, line, _) => *line,
        }
    }
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(kv, ..) => kv.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { tag: "!!null", .. })
    }
}

/// go-yaml v3 `resolve` for a plain scalar.
fn resolve_plain(s: &str) -> &'static str {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return "!!null",
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return "!!bool",
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN"
        | ".NAN" => return "!!float",
        _ => {}
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int = if let Some(h) = body.strip_prefix("0x") {
        !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit())
    } else if let Some(o) = body.strip_prefix("0o") {
        !o.is_empty() && o.bytes().all(|b| (b'0'..=b'7').contains(&b))
    } else if let Some(b2) = body.strip_prefix("0b") {
        !b2.is_empty() && b2.bytes().all(|b| b == b'0' || b == b'1')
    } else {
        !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    };
    if int {
        return "!!int";
    }
    if s.parse::<f64>().is_ok() && s.bytes().any(|b| b.is_ascii_digit()) && !s.contains(['i', 'n', 'I', 'N']) {
        return "!!float";
    }
    "!!str"
}

fn short_tag(tag: &str) -> &'static str {
    match tag.strip_prefix("tag:yaml.org,2002:").map(|t| format!("!!{t}")).as_deref().unwrap_or(tag) {
        "!!null" => "!!null",
        "!!bool" => "!!bool",
        "!!int" => "!!int",
        "!!float" => "!!float",
        "!!seq" => "!!seq",
        "!!map" => "!!map",
        "!!binary" => "!!binary",
        _ => "!!str",
    }
}

struct V3Reader {
    p: crate::yaml::events::Parser,
    anchors: BTreeMap<String, Node>,
    depth: usize,
}

impl V3Reader {
    /// The parser's error with v3's line number.
    fn err(&mut self, e: crate::yaml::YamlError) -> Error {
        let problem = match e.msg.strip_prefix("yaml: line ") {
            Some(rest) => rest.split_once(": ").map(|(_, p)| p.to_string()).unwrap_or(rest.to_string()),
            None => e.msg.strip_prefix("yaml: ").unwrap_or(&e.msg).to_string(),
        };
        match self.p.v3_error_line() {
            0 => Error::new(Kind::Plugin, format!("yaml: {problem}")).at(FILE, None, None),
            l => Error::new(Kind::Plugin, format!("yaml: line {l}: {problem}")).at(FILE, Some(l), None),
        }
    }
    fn next(&mut self) -> Result<crate::yaml::events::Event, Error> {
        match self.p.next() {
            Ok(e) => Ok(e),
            Err(e) => Err(self.err(e)),
        }
    }
    fn node(&mut self, ev: crate::yaml::events::Event) -> Result<Node, Error> {
        use crate::yaml::events::EventKind as K;
        self.depth += 1;
        if self.depth > 200 {
            return Err(Error::new(Kind::Plugin, "yaml: exceeded max depth"));
        }
        let line = ev.line + 1;
        let (anchor, node) = match ev.kind {
            K::Scalar { anchor, tag, value, implicit } => {
                let tag = if tag.is_empty() || tag == "!" {
                    if implicit {
                        resolve_plain(&value)
                    } else {
                        "!!str"
                    }
                } else {
                    short_tag(&tag)
                };
                (anchor, Node::Scalar { text: value, tag, line })
            }
            K::Alias { anchor } => {
                let n =
                    self.anchors.get(&anchor).cloned().ok_or_else(|| {
                        Error::new(Kind::Plugin, format!("yaml: unknown anchor '{anchor}' referenced"))
                    })?;
                self.depth -= 1;
                return Ok(n);
            }
            K::SequenceStart { anchor } => {
                let mut items = Vec::new();
                loop {
                    let e = self.next()?;
                    if matches!(e.kind, K::SequenceEnd) {
                        break;
                    }
                    items.push(self.node(e)?);
                }
                (anchor, Node::Seq(items, line))
            }
            K::MappingStart { anchor } => {
                let mut kv = Vec::new();
                let mut klines = Vec::new();
                loop {
                    let e = self.next()?;
                    if matches!(e.kind, K::MappingEnd) {
                        break;
                    }
                    klines.push(e.line + 1);
                    let k = self.node(e)?;
                    let ne = self.next()?;
                    let v = self.node(ne)?;
                    let key = match k {
                        Node::Scalar { text, .. } => text,
                        _ => String::new(),
                    };
                    kv.push((key, v));
                }
                (anchor, Node::Map(kv, line, klines))
            }
            _ => return Err(Error::new(Kind::Plugin, "yaml: unexpected event")),
        };
        if let Some(a) = anchor {
            self.anchors.insert(a, node.clone());
        }
        self.depth -= 1;
        Ok(node)
    }
}

/// The first document as a v3 node tree; `Ok(None)` = no document (io.EOF).
fn read_v3(src: &str) -> Result<Option<Node>, Error> {
    use crate::yaml::events::EventKind as K;
    let mut r = V3Reader { p: crate::yaml::events::Parser::new(src), anchors: BTreeMap::new(), depth: 0 };
    loop {
        let e = r.next()?;
        match e.kind {
            K::StreamStart | K::DocumentStart => continue,
            K::StreamEnd => return Ok(None),
            _ => return r.node(e).map(Some),
        }
    }
}

/// Line-numbered v3 unmarshal errors, collected like go-yaml's `TypeError`
/// (each error's line, and its text with the line).
#[derive(Default)]
struct Errs(Vec<(usize, String)>);

impl Errs {
    fn push(&mut self, line: usize, what: String) {
        self.0.push((line, format!("line {line}: {what}")));
    }
    fn cannot(&mut self, n: &Node, go_type: &str) {
        match n {
            Node::Scalar { text, tag, line } => {
                let shown = if text.chars().count() > 10 {
                    // go-yaml v3 shortens long values in type errors.
                    format!("{}...", text.chars().take(7).collect::<String>())
                } else {
                    text.clone()
                };
                self.push(*line, format!("cannot unmarshal {tag} `{shown}` into {go_type}"));
            }
            Node::Seq(_, line) => self.push(*line, format!("cannot unmarshal !!seq into {go_type}")),
            Node::Map(_, line, _) => self.push(*line, format!("cannot unmarshal !!map into {go_type}")),
        }
    }
    /// go-yaml's `yaml: unmarshal errors:` list, marked at its first line
    /// (the caller knows whether that is a line of plugin.yaml).
    fn into_result(self) -> Result<(), Error> {
        let Some(&(first, _)) = self.0.first() else { return Ok(()) };
        let lines: Vec<&str> = self.0.iter().map(|(_, t)| t.as_str()).collect();
        Err(Error::new(Kind::Plugin, format!("yaml: unmarshal errors:\n  {}", lines.join("\n  "))).at(
            FILE,
            Some(first),
            None,
        ))
    }
}

/// A string field: any scalar decodes with its text (`null` → ""),
/// collections are errors.
fn as_string(n: &Node, errs: &mut Errs) -> String {
    match n {
        Node::Scalar { tag: "!!null", .. } => String::new(),
        Node::Scalar { text, .. } => text.clone(),
        other => {
            errs.cannot(other, "string");
            String::new()
        }
    }
}

fn as_bool(n: &Node, errs: &mut Errs) -> bool {
    match n {
        Node::Scalar { tag: "!!null", .. } => false,
        Node::Scalar { tag: "!!bool", text, .. } => text.eq_ignore_ascii_case("true"),
        other => {
            errs.cannot(other, "bool");
            false
        }
    }
}

fn parse_int_text(t: &str) -> Option<i128> {
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let body = body.replace('_', "");
    let v = if let Some(h) = body.strip_prefix("0x") {
        i128::from_str_radix(h, 16).ok()?
    } else if let Some(o) = body.strip_prefix("0o") {
        i128::from_str_radix(o, 8).ok()?
    } else if let Some(b) = body.strip_prefix("0b") {
        i128::from_str_radix(b, 2).ok()?
    } else {
        body.parse::<i128>().ok()?
    };
    Some(if neg { -v } else { v })
}

fn as_uint(n: &Node, errs: &mut Errs, go_type: &str, max: u64) -> u64 {
    match n {
        Node::Scalar { tag: "!!null", .. } => 0,
        Node::Scalar { tag: "!!int", text, .. } => match parse_int_text(text) {
            Some(v) if v >= 0 && v <= max as i128 => v as u64,
            _ => {
                errs.cannot(n, go_type);
                0
            }
        },
        Node::Scalar { tag: "!!float", text, .. } => match text.parse::<f64>() {
            Ok(f) if f >= 0.0 && f.fract() == 0.0 && f <= max as f64 => f as u64,
            _ => {
                errs.cannot(n, go_type);
                0
            }
        },
        other => {
            errs.cannot(other, go_type);
            0
        }
    }
}

fn as_int(n: &Node, errs: &mut Errs) -> i64 {
    match n {
        Node::Scalar { tag: "!!null", .. } => 0,
        Node::Scalar { tag: "!!int", text, .. } => match parse_int_text(text) {
            Some(v) if v >= i64::MIN as i128 && v <= i64::MAX as i128 => v as i64,
            _ => {
                errs.cannot(n, "int64");
                0
            }
        },
        other => {
            errs.cannot(other, "int64");
            0
        }
    }
}

fn as_strings(n: &Node, errs: &mut Errs) -> Vec<String> {
    match n {
        Node::Scalar { tag: "!!null", .. } => Vec::new(),
        Node::Seq(items, _) => items.iter().map(|x| as_string(x, errs)).collect(),
        other => {
            errs.cannot(other, "[]string");
            Vec::new()
        }
    }
}

/// Helm re-marshals `config`/`runtimeConfig` (map[string]any → yaml.v3
/// Marshal, keys sorted) before decoding them, so error lines refer to that
/// text. Returns a copy of the map whose nodes carry those line numbers.
fn remarshal_lines(kv: &[(String, Node)]) -> Node {
    fn value_lines(n: &Node, first: usize) -> (Node, usize) {
        // `first` is the line where this value's key is; returns the node
        // relabelled and the number of lines it occupies (≥ 1).
        match n {
            Node::Scalar { text, tag, .. } => {
                let extra =
                    if *tag == "!!str" { text.matches('\n').count() + usize::from(text.contains('\n')) } else { 0 };
                (Node::Scalar { text: text.clone(), tag, line: first }, 1 + extra)
            }
            Node::Map(kv, ..) if kv.is_empty() => (Node::Map(Vec::new(), first, Vec::new()), 1),
            Node::Seq(items, _) if items.is_empty() => (Node::Seq(Vec::new(), first), 1),
            Node::Map(kv, ..) => {
                let mut sorted: Vec<&(String, Node)> = kv.iter().collect();
                sorted.sort_by(|a, b| a.0.cmp(&b.0));
                sorted.dedup_by(|a, b| a.0 == b.0);
                let mut line = first + 1;
                let mut out = Vec::new();
                let mut klines = Vec::new();
                for (k, v) in sorted {
                    klines.push(line);
                    let (nv, used) = match v {
                        Node::Map(m, ..) if !m.is_empty() => {
                            let (n2, u) = value_lines(v, line);
                            (n2, u)
                        }
                        _ => value_lines(v, line),
                    };
                    out.push((k.clone(), nv));
                    line += used;
                }
                (Node::Map(out, first + 1, klines), line - first)
            }
            Node::Seq(items, _) => {
                let mut line = first + 1;
                let mut out = Vec::new();
                for it in items {
                    // `- item`: a mapping item starts on the dash line.
                    let (n2, used) = match it {
                        Node::Map(m, ..) if !m.is_empty() => {
                            let (n2, u) = value_lines(it, line - 1);
                            (n2, u - 1)
                        }
                        _ => value_lines(it, line),
                    };
                    out.push(n2);
                    line += used.max(1);
                }
                (Node::Seq(out, first + 1), line - first)
            }
        }
    }
    // The top level has no key line: start "before" line 1.
    value_lines(&Node::Map(kv.to_vec(), 0, Vec::new()), 0).0
}

fn map_entries(n: Option<&Node>) -> Vec<(String, Node)> {
    match n {
        Some(Node::Map(kv, ..)) => kv.clone(),
        _ => Vec::new(),
    }
}

/// Parses and validates plugin.yaml text like Helm 4.2's `loadMetadata`.
pub fn parse(src: &str) -> Result<Metadata, Error> {
    let peek = |e: Error| e.wrap("failed to peek plugin.yaml API version: ");
    let doc = match read_v3(src).map_err(peek)? {
        None => return Err(invalid("failed to peek plugin.yaml API version: EOF")),
        Some(d) => d,
    };
    let mut errs = Errs::default();
    let mut top_lines: Vec<usize> = Vec::new();
    let top: Vec<(String, Node)> = match &doc {
        Node::Map(kv, _, kl) => {
            top_lines = kl.clone();
            kv.clone()
        }
        Node::Scalar { tag: "!!null", .. } => Vec::new(),
        other => {
            errs.cannot(other, "plugin.apiVersionPeek");
            // `cannot` recorded an error, so there is one to return.
            return Err(errs
                .into_result()
                .err()
                .map(peek)
                .unwrap_or_else(|| invalid("failed to peek plugin.yaml API version: ")));
        }
    };
    let topn = Node::Map(top.clone(), 1, Vec::new());
    let api = match topn.get("apiVersion") {
        Some(n) => {
            let mut e = Errs::default();
            let s = as_string(n, &mut e);
            e.into_result().map_err(peek)?;
            s
        }
        None => String::new(),
    };
    match api.as_str() {
        "" => {
            // Legacy: always subprocess; never strict.
            let name = topn.get("name").map(|v| as_string(v, &mut Errs::default())).unwrap_or_default();
            // MetadataLegacy.Validate's wording.
            if !valid_name(&name) {
                return Err(invalid(format!(
                    "invalid plugin name {}: must contain only a-z, A-Z, 0-9, _ and -",
                    go_q(&name)
                )));
            }
            return Err(subprocess(&name, true));
        }
        "v1" => {}
        other => return Err(invalid(format!("invalid plugin apiVersion: {}", go_q(other)))),
    }
    // Strict top level (MetadataV1), errors in document order.
    const KNOWN: [&str; 8] =
        ["apiVersion", "name", "type", "runtime", "version", "sourceURL", "config", "runtimeConfig"];
    let (mut name, mut typ, mut runtime, mut version, mut source_url) =
        (String::new(), String::new(), String::new(), String::new(), String::new());
    let mut config: Vec<(String, Node)> = Vec::new();
    let mut runtime_config: Vec<(String, Node)> = Vec::new();
    for (i, (k, v)) in top.iter().enumerate() {
        match k.as_str() {
            "apiVersion" => {
                as_string(v, &mut errs);
            }
            "name" => name = as_string(v, &mut errs),
            "type" => typ = as_string(v, &mut errs),
            "runtime" => runtime = as_string(v, &mut errs),
            "version" => version = as_string(v, &mut errs),
            "sourceURL" => source_url = as_string(v, &mut errs),
            "config" | "runtimeConfig" => match v {
                Node::Map(kv, ..) => {
                    if k == "config" {
                        config = kv.clone();
                    } else {
                        runtime_config = kv.clone();
                    }
                }
                n if n.is_null() => {}
                other => errs.cannot(other, "map[string]interface {}"),
            },
            _ => {
                let kline = top_lines.get(i).copied().unwrap_or_else(|| v.line());
                let _ = KNOWN;
                errs.push(kline, format!("field {k} not found in type plugin.MetadataV1"));
            }
        }
    }
    // Lines of plugin.yaml itself: the error stays marked there.
    errs.into_result()?;

    // MetadataV1.Validate: first failure wins.
    if !valid_name(&name) {
        return Err(invalid("invalid plugin `name`"));
    }
    if version.is_empty() {
        return Err(invalid("plugin `version` is required"));
    }
    if !crate::sprig::semver::is_strict_version(&version) {
        return Err(invalid(format!("invalid plugin `version` {}: must be valid semver", go_q(&version))));
    }
    if typ.is_empty() {
        return Err(invalid("`type` missing"));
    }
    if runtime.is_empty() {
        return Err(invalid("`runtime` missing"));
    }
    // fromMetadataV1: the type's config, strictly, on the re-marshalled map.
    // Helm's line numbers below count lines of the re-marshalled config,
    // not of plugin.yaml: these errors are marked at the file only.
    let conv = |m: String| invalid(format!("failed to convert MetadataV1 to Metadata: {m}"));
    let cfg = remarshal_lines(&config);
    let cfg_kv = map_entries(Some(&cfg));
    let cfg_klines: Vec<usize> = match &cfg {
        Node::Map(_, _, kl) => kl.clone(),
        _ => Vec::new(),
    };
    let kline =
        |k: &str| cfg_kv.iter().position(|(kk, _)| kk == k).and_then(|i| cfg_klines.get(i).copied()).unwrap_or(1);
    let mut cerrs = Errs::default();
    let unknown = |k: &str, _n: &Node, ty: &str, errs: &mut Errs| {
        errs.push(kline(k), format!("field {k} not found in type {ty}"));
    };
    let plugin_type = match typ.as_str() {
        "cli/v1" => {
            let mut c = CliConfig::default();
            for (k, v) in &cfg_kv {
                match k.as_str() {
                    "usage" => c.usage = as_string(v, &mut cerrs),
                    "shortHelp" => c.short_help = as_string(v, &mut cerrs),
                    "longHelp" => c.long_help = as_string(v, &mut cerrs),
                    "ignoreFlags" => c.ignore_flags = as_bool(v, &mut cerrs),
                    _ => unknown(k, v, "schema.ConfigCLIV1", &mut cerrs),
                }
            }
            PluginType::Cli(c)
        }
        "getter/v1" => {
            let mut c = GetterConfig::default();
            for (k, v) in &cfg_kv {
                match k.as_str() {
                    "protocols" => c.protocols = as_strings(v, &mut cerrs),
                    _ => unknown(k, v, "schema.ConfigGetterV1", &mut cerrs),
                }
            }
            PluginType::Getter(c)
        }
        "postrenderer/v1" => {
            for (k, v) in &cfg_kv {
                unknown(k, v, "schema.ConfigPostRendererV1", &mut cerrs);
            }
            PluginType::PostRenderer
        }
        "test/v1" => {
            for (k, v) in &cfg_kv {
                unknown(k, v, "schema.ConfigTestV1", &mut cerrs);
            }
            PluginType::Test
        }
        other => return Err(conv(format!("unknown plugin type {}", go_q(other)))),
    };
    cerrs.into_result().map_err(|e| conv(e.message))?;

    // convertMetadataRuntimeConfig: lenient decode (unknown keys ignored).
    let rc = match runtime.as_str() {
        "subprocess" => return Err(subprocess(&name, false)),
        "extism/v1" => {
            let rcn = remarshal_lines(&runtime_config);
            let mut rerrs = Errs::default();
            let mut rc = ExtismConfig::default();
            for (k, v) in map_entries(Some(&rcn)) {
                match k.as_str() {
                    "memory" => match &v {
                        Node::Map(m, ..) => {
                            for (mk, mv) in m {
                                match mk.as_str() {
                                    "maxPages" => {
                                        rc.max_pages = as_uint(mv, &mut rerrs, "uint32", u32::MAX as u64) as u32;
                                        rc.present.push("memory.maxPages");
                                    }
                                    "maxHttpResponseBytes" => {
                                        rc.max_http_response_bytes = as_int(mv, &mut rerrs);
                                        rc.present.push("memory.maxHttpResponseBytes");
                                    }
                                    "maxVarBytes" => {
                                        rc.max_var_bytes = as_int(mv, &mut rerrs);
                                        rc.present.push("memory.maxVarBytes");
                                    }
                                    _ => {}
                                }
                            }
                        }
                        n if n.is_null() => {}
                        other => rerrs.cannot(other, "plugin.RuntimeConfigExtismV1Memory"),
                    },
                    "config" => match &v {
                        Node::Map(m, ..) => {
                            for (ck, cv) in m {
                                let s = as_string(cv, &mut rerrs);
                                rc.config.insert(ck.clone(), s);
                            }
                        }
                        n if n.is_null() => {}
                        other => rerrs.cannot(other, "map[string]string"),
                    },
                    "allowedHosts" => {
                        rc.allowed_hosts = as_strings(&v, &mut rerrs);
                        rc.present.push("allowedHosts");
                    }
                    "fileSystem" => match &v {
                        Node::Map(..) => {
                            if let Some(b) = v.get("createTempDir") {
                                rc.create_temp_dir = as_bool(b, &mut rerrs);
                            }
                        }
                        n if n.is_null() => {}
                        other => rerrs.cannot(other, "plugin.RuntimeConfigExtismV1FileSystem"),
                    },
                    "timeout" => {
                        rc.timeout = as_uint(&v, &mut rerrs, "uint64", u64::MAX);
                        rc.present.push("timeout");
                    }
                    "hostFunctions" => rc.host_functions = as_strings(&v, &mut rerrs),
                    "entryFuncName" => rc.entry_func_name = as_string(&v, &mut rerrs),
                    _ => {}
                }
            }
            rerrs
                .into_result()
                .map_err(|e| conv(format!("failed to unmarshal runtimeConfig for extism/v1 runtime: {e}")))?;
            rc
        }
        other => return Err(conv(format!("unsupported plugin runtime type: {}", go_q(other)))),
    };

    // Metadata.Validate: the remaining checks (joined with newlines).
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
