//! Charts: Helm's pkg/chart (model) and pkg/chart/v2/loader (loading from
//! an in-memory file map, as the browser has it).

pub mod archive;
pub mod dependencies;
pub mod directory;
pub mod ignore;
pub mod objects;
pub mod schema;

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::error::Kind;
use crate::value::{Map, MapType, Value};
use crate::yaml;

/// A file of a chart: path relative to the chart root, and its bytes.
#[derive(Clone, Debug)]
pub struct File {
    pub name: String,
    pub data: Rc<[u8]>,
}

/// `chart.Maintainer`
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// `chart.Dependency`
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// `chart.Metadata` (Chart.yaml).
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    pub dependencies: Vec<Dependency>,
    pub chart_type: String,
}

/// pkg/chart/v2's hasManifestExtension: `filepath.Ext` compared with
/// strings.EqualFold.
fn has_manifest_extension(name: &str) -> bool {
    matches!(crate::gofmt::path::ext(name).to_ascii_lowercase().as_str(), ".yaml" | ".yml" | ".json")
}

/// A chart with its subcharts (Helm's `chart.Chart`).
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// values.yaml as parsed (a map; empty map if absent).
    pub values: Value,
    pub schema: Option<Rc<[u8]>>,
    pub templates: Vec<File>,
    /// Every other file (`.Files`), including crds/.
    pub files: Vec<File>,
    pub dependencies: Vec<Chart>,
    /// Path of this chart from the root: `root`, `root/charts/sub`.
    pub full_path: String,
    pub is_root: bool,
}

/// A chart loading error: the engine's error of kind [`Kind::Chart`], with
/// the file it concerns when known.
pub(crate) type LoadError = crate::error::Error;

/// A chart loading error without a position.
pub(crate) fn load_error(message: impl Into<String>) -> LoadError {
    LoadError::new(Kind::Chart, message)
}

/// Typed conversion errors in encoding/json's words, as Helm's
/// `yaml.Unmarshal(data, &Metadata)` reports them.
fn json_type_err(field: &str, go_type: &str, v: &Value) -> LoadError {
    let what = match v {
        Value::String(_) => "string",
        Value::Float(_) | Value::Int(..) | Value::Uint(_) => "number",
        Value::Bool(_) => "bool",
        Value::List(..) => "array",
        Value::Map(_, _) => "object",
        _ => "value",
    };
    load_error(format!("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go struct field {field} of type {go_type}"))
}

/// sigs.k8s.io/yaml converts a YAML number or bool to text before JSON
/// decoding when the Go field it lands in is a string (`appVersion: 1.0` →
/// "1"): ints in decimal, floats by `strconv.FormatFloat(f, 'g', -1, 32)`.
fn scalar_as_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.to_string()),
        Value::Int(i, _) => Some(i.to_string()),
        Value::Uint(u) => Some(u.to_string()),
        Value::Float(f) => Some(crate::gofmt::strconv::format_float_g(*f, 32)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn get_string(m: &Map, key: &str, field: &str) -> Result<String, LoadError> {
    match m.get(key) {
        None | Some(Value::Nil) => Ok(String::new()),
        Some(other) => scalar_as_string(other).ok_or_else(|| json_type_err(field, "string", other)),
    }
}

fn get_string_list(m: &Map, key: &str, field: &str) -> Result<Vec<String>, LoadError> {
    match m.get(key) {
        None | Some(Value::Nil) => Ok(Vec::new()),
        Some(Value::List(l, _)) => l
            .borrow()
            .iter()
            .map(|v| match v {
                Value::Nil => Ok(String::new()),
                other => scalar_as_string(other).ok_or_else(|| json_type_err(field, "string", other)),
            })
            .collect(),
        Some(other) => Err(json_type_err(field, "[]string", other)),
    }
}

fn get_bool(m: &Map, key: &str, field: &str) -> Result<bool, LoadError> {
    match m.get(key) {
        None | Some(Value::Nil) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(json_type_err(field, "bool", other)),
    }
}

impl Metadata {
    /// Reads Chart.yaml's data (already parsed) like `yaml.Unmarshal` into
    /// `chart.Metadata`: unknown keys are ignored, wrong types are errors.
    pub fn from_value(v: &Value) -> Result<Metadata, LoadError> {
        let m = match v {
            Value::Map(m, _) => m.borrow().clone(),
            Value::Nil => Map::new(),
            other => {
                return Err(load_error(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type v2.Metadata",
                    match other {
                        Value::String(_) => "string",
                        Value::List(..) => "array",
                        Value::Bool(_) => "bool",
                        _ => "number",
                    }
                )))
            }
        };
        let mut md = Metadata {
            name: get_string(&m, "name", "Metadata.name")?,
            home: get_string(&m, "home", "Metadata.home")?,
            sources: get_string_list(&m, "sources", "Metadata.sources")?,
            version: get_string(&m, "version", "Metadata.version")?,
            description: get_string(&m, "description", "Metadata.description")?,
            keywords: get_string_list(&m, "keywords", "Metadata.keywords")?,
            icon: get_string(&m, "icon", "Metadata.icon")?,
            api_version: get_string(&m, "apiVersion", "Metadata.apiVersion")?,
            condition: get_string(&m, "condition", "Metadata.condition")?,
            tags: get_string(&m, "tags", "Metadata.tags")?,
            app_version: get_string(&m, "appVersion", "Metadata.appVersion")?,
            deprecated: get_bool(&m, "deprecated", "Metadata.deprecated")?,
            kube_version: get_string(&m, "kubeVersion", "Metadata.kubeVersion")?,
            chart_type: get_string(&m, "type", "Metadata.type")?,
            ..Metadata::default()
        };
        if let Some(Value::Map(a, _)) = m.get("annotations") {
            let mut out = BTreeMap::new();
            for (k, v) in a.borrow().iter() {
                match scalar_as_string(v) {
                    Some(s) => {
                        out.insert(k.clone(), s);
                    }
                    None => return Err(json_type_err("Metadata.annotations", "string", v)),
                }
            }
            md.annotations = Some(out);
        }
        if let Some(Value::List(l, _)) = m.get("maintainers") {
            for item in l.borrow().iter() {
                if let Value::Map(mm, _) = item {
                    let mm = mm.borrow();
                    md.maintainers.push(Maintainer {
                        name: get_string(&mm, "name", "Metadata.maintainers.name")?,
                        email: get_string(&mm, "email", "Metadata.maintainers.email")?,
                        url: get_string(&mm, "url", "Metadata.maintainers.url")?,
                    });
                }
            }
        }
        if let Some(Value::List(l, _)) = m.get("dependencies") {
            for item in l.borrow().iter() {
                if let Value::Map(mm, _) = item {
                    let mm = mm.borrow();
                    md.dependencies.push(Dependency {
                        name: get_string(&mm, "name", "Metadata.dependencies.name")?,
                        version: get_string(&mm, "version", "Metadata.dependencies.version")?,
                        repository: get_string(&mm, "repository", "Metadata.dependencies.repository")?,
                        condition: get_string(&mm, "condition", "Metadata.dependencies.condition")?,
                        tags: get_string_list(&mm, "tags", "Metadata.dependencies.tags")?,
                        enabled: get_bool(&mm, "enabled", "Metadata.dependencies.enabled")?,
                        import_values: match mm.get("import-values") {
                            Some(Value::List(iv, _)) => iv.borrow().clone(),
                            _ => Vec::new(),
                        },
                        alias: get_string(&mm, "alias", "Metadata.dependencies.alias")?,
                    });
                }
            }
        }
        Ok(md)
    }

    /// Helm 4's `MetadataAsMap` (structToMap: Go field names as keys).
    pub(crate) fn as_map(&self) -> Map {
        let strs = |v: &[String]| Value::list(v.iter().map(|s| Value::str(s)).collect());
        let mut m = Map::new();
        m.insert("Name".into(), Value::str(&self.name));
        m.insert("Home".into(), Value::str(&self.home));
        m.insert("Sources".into(), strs(&self.sources));
        m.insert("Version".into(), Value::str(&self.version));
        m.insert("Description".into(), Value::str(&self.description));
        m.insert("Keywords".into(), strs(&self.keywords));
        m.insert(
            "Maintainers".into(),
            Value::list(
                self.maintainers
                    .iter()
                    .map(|mt| {
                        let mut mm = Map::new();
                        mm.insert("Name".into(), Value::str(&mt.name));
                        mm.insert("Email".into(), Value::str(&mt.email));
                        mm.insert("URL".into(), Value::str(&mt.url));
                        Value::map(mm)
                    })
                    .collect(),
            ),
        );
        m.insert("Icon".into(), Value::str(&self.icon));
        m.insert("APIVersion".into(), Value::str(&self.api_version));
        m.insert("Condition".into(), Value::str(&self.condition));
        m.insert("Tags".into(), Value::str(&self.tags));
        m.insert("AppVersion".into(), Value::str(&self.app_version));
        m.insert("Deprecated".into(), Value::Bool(self.deprecated));
        m.insert(
            "Annotations".into(),
            // The metadata's map[string]string, nil when Chart.yaml has none.
            match &self.annotations {
                None => Value::typed_map(Map::new(), MapType { nil: true, ..MapType::STRING }),
                Some(a) => {
                    Value::typed_map(a.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect(), MapType::STRING)
                }
            },
        );
        m.insert("KubeVersion".into(), Value::str(&self.kube_version));
        m.insert(
            "Dependencies".into(),
            Value::list(
                self.dependencies
                    .iter()
                    .map(|d| {
                        let mut mm = Map::new();
                        mm.insert("Name".into(), Value::str(&d.name));
                        mm.insert("Version".into(), Value::str(&d.version));
                        mm.insert("Repository".into(), Value::str(&d.repository));
                        mm.insert("Condition".into(), Value::str(&d.condition));
                        mm.insert("Tags".into(), strs(&d.tags));
                        mm.insert("Enabled".into(), Value::Bool(d.enabled));
                        mm.insert("ImportValues".into(), Value::list(d.import_values.clone()));
                        mm.insert("Alias".into(), Value::str(&d.alias));
                        Value::map(mm)
                    })
                    .collect(),
            ),
        );
        m.insert("Type".into(), Value::str(&self.chart_type));
        m
    }

    /// `Metadata.Validate` (the checks that apply to loading). Like Go's, it
    /// first sanitizes the free-text fields (and the maintainers' and
    /// dependencies' as their Validate does): what templates see as
    /// `.Chart.Description` and `helm show chart` prints has every space
    /// character as ' ' and no unprintable ones.
    pub fn validate(&mut self) -> Result<(), LoadError> {
        self.sanitize();
        if self.api_version.is_empty() {
            return Err(load_error("validation: chart.metadata.apiVersion is required"));
        }
        if self.name.is_empty() {
            return Err(load_error("validation: chart.metadata.name is required"));
        }
        if self.name == "." || self.name == ".." {
            return Err(load_error(format!("validation: chart.metadata.name {:?} is not allowed", self.name)));
        }
        if self.name.contains(['/', '\\']) {
            return Err(load_error(format!("validation: chart.metadata.name {:?} is invalid", self.name)));
        }
        if self.version.is_empty() {
            return Err(load_error("validation: chart.metadata.version is required"));
        }
        if !is_valid_semver(&self.version) {
            return Err(load_error(format!("validation: chart.metadata.version {:?} is invalid", self.version)));
        }
        if !matches!(self.chart_type.as_str(), "" | "application" | "library") {
            return Err(load_error("validation: chart.metadata.type must be application or library"));
        }
        Ok(())
    }
}

impl Metadata {
    fn sanitize(&mut self) {
        for s in [
            &mut self.name,
            &mut self.description,
            &mut self.home,
            &mut self.icon,
            &mut self.condition,
            &mut self.tags,
            &mut self.app_version,
            &mut self.kube_version,
        ] {
            sanitize_string(s);
        }
        self.sources.iter_mut().chain(self.keywords.iter_mut()).for_each(sanitize_string);
        for m in &mut self.maintainers {
            for s in [&mut m.name, &mut m.email, &mut m.url] {
                sanitize_string(s);
            }
        }
        for d in &mut self.dependencies {
            for s in [&mut d.name, &mut d.version, &mut d.repository, &mut d.condition] {
                sanitize_string(s);
            }
            d.tags.iter_mut().for_each(sanitize_string);
        }
    }
}

/// chart's `sanitizeString`: a Unicode space becomes ' ', anything else
/// `unicode.IsPrint` rejects is dropped.
fn sanitize_string(s: &mut String) {
    if s.chars().all(|c| c == ' ' || (!c.is_whitespace() && crate::gofmt::isprint::is_print(c))) {
        return;
    }
    *s = s
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if crate::gofmt::isprint::is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect();
}

/// The end of `Metadata.Validate`: maintainers and dependencies may not be
/// null entries (`Metadata::from_value` skips them, Go keeps nil
/// pointers), an alias must match `^[a-zA-Z0-9_-]+$`, and no two
/// dependencies may share a name or alias.
fn validate_entries(raw: Option<&Value>, md: &Metadata) -> Result<(), LoadError> {
    let is_null_in = |key: &str| match raw.and_then(|v| v.get(key)) {
        Some(Value::List(l, _)) => l.borrow().iter().any(|i| matches!(i, Value::Nil)),
        _ => false,
    };
    if is_null_in("maintainers") {
        return Err(load_error("validation: maintainers must not contain empty or null nodes"));
    }
    if is_null_in("dependencies") {
        return Err(load_error("validation: dependencies must not contain empty or null nodes"));
    }
    let mut seen: Vec<&str> = Vec::new();
    for d in &md.dependencies {
        if !d.alias.is_empty() && !d.alias.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return Err(load_error(format!(
                "validation: dependency {:?} has disallowed characters in the alias",
                d.name
            )));
        }
        let key = if d.alias.is_empty() { d.name.as_str() } else { d.alias.as_str() };
        if seen.contains(&key) {
            return Err(load_error(format!("validation: more than one dependency with name or alias {key:?}")));
        }
        seen.push(key);
    }
    Ok(())
}

/// Masterminds semver's NewVersion acceptance (loose: `v` prefix, missing
/// minor/patch allowed).
fn is_valid_semver(v: &str) -> bool {
    let v = v.strip_prefix('v').unwrap_or(v);
    let core_end = v.find(['-', '+']).unwrap_or(v.len());
    let core = &v[..core_end];
    let parts: Vec<&str> = core.split('.').collect();
    !parts.is_empty()
        && parts.len() <= 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type == "library"
    }

    /// crds/ files (`CRDObjects`), in file order: only those with a
    /// manifest extension (`hasManifestExtension`: `.yaml`, `.yml`, `.json`
    /// in any case), so a README under crds/ is not a CRD.
    pub fn crd_files(&self) -> Vec<&File> {
        self.files.iter().filter(|f| f.name.starts_with("crds/") && has_manifest_extension(&f.name)).collect()
    }

    fn set_paths(&mut self, parent: Option<&str>) {
        self.full_path = match parent {
            None => self.metadata.name.clone(),
            Some(p) => format!("{p}/charts/{}", self.metadata.name),
        };
        self.is_root = parent.is_none();
        let fp = self.full_path.clone();
        for d in &mut self.dependencies {
            d.set_paths(Some(&fp));
        }
    }
}

/// Loads a chart from an in-memory chart folder (paths relative to the
/// chart root, `/`-separated), as `loader.LoadDir` loads a folder: the
/// root's `.helmignore` (plus the default rule `templates/.?*`) leaves
/// files out, an ignored folder with everything under it; a UTF-8 byte
/// order mark is trimmed from every file; then `loader.LoadFiles`.
/// A subchart folder's own `.helmignore` is not applied (Helm's LoadFiles
/// does not), nor is any `.helmignore` inside archives.
pub fn load_files(files: &BTreeMap<String, Vec<u8>>) -> Result<Chart, LoadError> {
    let files: Vec<(&str, &Vec<u8>)> = files.iter().map(|(k, v)| (k.trim_start_matches("./"), v)).collect();
    let helmignore = files.iter().find(|(k, _)| *k == ignore::HELM_IGNORE).map(|(_, v)| v.as_slice());
    let rules = ignore::Rules::for_load_dir(helmignore)?;
    // The walk's order (each folder's names sorted, a folder's contents at
    // its name) decides which oversized file is reported.
    let mut walk: Vec<(&str, &Vec<u8>)> = files.into_iter().filter(|(k, _)| !rules.ignores_file(k)).collect();
    crate::gofmt::sort::sort_by(&mut walk, |a, b| a.0.split('/').cmp(b.0.split('/')));
    let mut list = Vec::with_capacity(walk.len());
    for (name, data) in walk {
        if data.len() as u64 > archive::MAX_DECOMPRESSED_FILE_SIZE {
            let base = name.rsplit('/').next().unwrap_or(name);
            let message = format!(
                "chart file {} is larger than the maximum file size {}",
                crate::gofmt::strconv::quote(base),
                archive::MAX_DECOMPRESSED_FILE_SIZE
            );
            return Err(LoadError::new(Kind::Chart, message).at(name, None, None));
        }
        let data = data.strip_prefix(UTF8_BOM).unwrap_or(data);
        list.push(File { name: name.to_string(), data: Rc::from(data) });
    }
    // LoadFiles sees the files in the walk's order; keep the map's order
    // (the engine's), which only differs where `-` etc. sort before `/`.
    crate::gofmt::sort::sort_by(&mut list, |a, b| a.name.cmp(&b.name));
    let mut c = load_list(list, "")?;
    c.set_paths(None);
    Ok(c)
}

/// LoadDir trims it from every file it reads (as LoadArchiveFiles does).
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn yaml_load_error(prefix: &str, file: &str, e: yaml::YamlError) -> LoadError {
    LoadError::yaml(Kind::Chart, file, e).wrap(&format!("{prefix}: "))
}

fn load_list(list: Vec<File>, prefix: &str) -> Result<Chart, LoadError> {
    let mut c = Chart { values: Value::empty_map(), ..Chart::default() };
    let mut have_meta = false;
    let mut raw_meta: Option<Value> = None;
    let mut subcharts: BTreeMap<String, Vec<File>> = BTreeMap::new();
    for f in &list {
        if f.name == "Chart.yaml" {
            let text = String::from_utf8_lossy(&f.data);
            let v = yaml::parse_typed(&text).map_err(|e| {
                let msg = yaml::sigs_unmarshal_error(&e);
                yaml_load_error("cannot load Chart.yaml", &format!("{prefix}Chart.yaml"), yaml::YamlError { msg, ..e })
            })?;
            let mut md = Metadata::from_value(&v)
                .map_err(|e| e.wrap("cannot load Chart.yaml: ").at(format!("{prefix}Chart.yaml"), None, None))?;
            if md.api_version.is_empty() {
                md.api_version = "v1".into();
            }
            c.metadata = md;
            raw_meta = Some(v);
            have_meta = true;
        }
    }
    for f in list {
        let name = f.name.clone();
        if name == "Chart.yaml" || name == "Chart.lock" || name == "requirements.lock" {
            continue;
        } else if name == "values.yaml" {
            let text = String::from_utf8_lossy(&f.data);
            let v = load_values(&text)
                .map_err(|e| yaml_load_error("cannot load values.yaml", &format!("{prefix}values.yaml"), e))?;
            c.values = v;
        } else if name == "values.schema.json" {
            c.schema = Some(f.data.clone());
        } else if name == "requirements.yaml" {
            let text = String::from_utf8_lossy(&f.data);
            let v = yaml::parse_typed(&text).map_err(|e| {
                yaml_load_error("cannot load requirements.yaml", &format!("{prefix}requirements.yaml"), e)
            })?;
            if let Ok(md) = Metadata::from_value(&v) {
                c.metadata.dependencies = md.dependencies;
            }
            if c.metadata.api_version == "v1" {
                c.files.push(f);
            }
        } else if name.starts_with("templates/") {
            c.templates.push(f);
        } else if let Some(rest) = name.strip_prefix("charts/") {
            if name.ends_with(".prov") {
                c.files.push(f);
                continue;
            }
            let cname = rest.split('/').next().unwrap_or(rest).to_string();
            subcharts.entry(cname).or_default().push(File { name: rest.to_string(), data: f.data.clone() });
        } else {
            c.files.push(f);
        }
    }
    if !have_meta {
        return Err(load_error("Chart.yaml file is missing").at(format!("{prefix}Chart.yaml"), None, None));
    }
    c.metadata
        .validate()
        .and_then(|()| validate_entries(raw_meta.as_ref(), &c.metadata))
        .map_err(|e| e.at(format!("{prefix}Chart.yaml"), None, None))?;
    for (n, files) in subcharts {
        if n.starts_with(['_', '.']) {
            continue;
        }
        if n.ends_with(".tgz") {
            // Helm: the first file filed under this name must be the archive itself.
            let sub_path = format!("{prefix}charts/{n}");
            let sc = match files.first() {
                Some(f) if f.name == n => archive::load_archive_nested(&f.data, &format!("{sub_path}/")),
                Some(f) => {
                    return Err(load_error(format!(
                        "error unpacking subchart tar in {}: expected {n}, got {}",
                        c.metadata.name, f.name
                    ))
                    .at(sub_path, None, None))
                }
                None => continue,
            };
            let sc = sc.map_err(|e| LoadError {
                message: format!("error unpacking subchart {n} in {}: {}", c.metadata.name, e.message),
                file: e.file.or(Some(sub_path)),
                ..e
            })?;
            c.dependencies.push(sc);
            continue;
        }
        let buff: Vec<File> = files
            .into_iter()
            .filter_map(|f| {
                let (_, rest) = f.name.split_once('/')?;
                Some(File { name: rest.to_string(), data: f.data })
            })
            .collect();
        let sub_prefix = format!("{prefix}charts/{n}/");
        let sc = load_list(buff, &sub_prefix).map_err(|e| LoadError {
            message: format!("error unpacking subchart {n} in {}: {}", c.metadata.name, e.message),
            ..e
        })?;
        c.dependencies.push(sc);
    }
    Ok(c)
}

/// `loader.LoadValues` (multi-document values files, merged in order).
pub fn load_values(text: &str) -> Result<Value, yaml::YamlError> {
    yaml::load_values(text).map(Value::map)
}

/// The JSON field names of chart.Metadata, chart.Maintainer and
/// chart.Dependency: what a strict decode (Chart.yaml for lint, index.yaml
/// entries) accepts, matched case-insensitively as encoding/json does.
pub(crate) const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];
pub(crate) const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];
pub(crate) const DEPENDENCY_FIELDS: &[&str] =
    &["name", "version", "repository", "condition", "tags", "enabled", "import-values", "alias"];
