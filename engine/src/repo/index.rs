//! pkg/repo/v1/index.go: a repository's `index.yaml` (`loadIndex`) and the
//! choice of a chart version in it (`IndexFile.Get`).

use crate::chart::{DEPENDENCY_FIELDS, MAINTAINER_FIELDS, METADATA_FIELDS};
use std::collections::BTreeMap;

use crate::chart::Metadata;
use crate::error::{Error, Kind};
use crate::sprig::semver::{Constraints, Version};
use crate::value::{Map, Value};

/// `repo.ErrEmptyIndexYaml`.
pub(crate) const ERR_EMPTY_INDEX: &str = "empty index.yaml file";
/// `repo.ErrNoAPIVersion`.
pub(crate) const ERR_NO_API_VERSION: &str = "no API version specified";
/// `repo.ErrNoChartName`.
pub(crate) const ERR_NO_CHART_NAME: &str = "no chart name found";
/// `repo.ErrNoChartVersion`.
pub(crate) const ERR_NO_CHART_VERSION: &str = "no chart version found";

/// `repo.ChartVersion`: a chart's metadata plus where to download it.
#[derive(Clone, Debug, Default)]
pub struct ChartVersion {
    pub metadata: Metadata,
    pub urls: Vec<String>,
    /// RFC 3339 time as written in the index.
    pub created: String,
    pub removed: bool,
    /// The archive's sha256 as the index writes it (`helm repo index`:
    /// bare hex; some servers prefix `sha256:`).
    pub digest: String,
}

impl ChartVersion {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    pub fn version(&self) -> &str {
        &self.metadata.version
    }
}

/// `repo.IndexFile`, its entries sorted newest first (`SortEntries`).
#[derive(Clone, Debug, Default)]
pub struct IndexFile {
    pub api_version: String,
    pub generated: String,
    pub entries: BTreeMap<String, Vec<ChartVersion>>,
    /// What Helm logs at WARN while loading (entries it skipped).
    pub warnings: Vec<String>,
}

/// Fields of `IndexFile`, `ChartVersion` (with the embedded `Metadata`),
/// `Maintainer` and `Dependency`: `yaml.UnmarshalStrict` rejects any other
/// key. encoding/json matches field names case-insensitively.
const INDEX_FIELDS: &[&str] = &["serverInfo", "apiVersion", "generated", "entries", "publicKeys", "annotations"];
/// ChartVersion embeds chart.Metadata (crate::chart::METADATA_FIELDS) and adds these.
const CHART_VERSION_FIELDS: &[&str] =
    &["urls", "created", "removed", "digest", "checksum", "engine", "tillerVersion", "url"];

fn unknown_field(m: &Map, known: &[&[&str]]) -> Result<(), Error> {
    for k in m.keys() {
        if !known.iter().flat_map(|g| g.iter()).any(|f| f.eq_ignore_ascii_case(k)) {
            return Err(Error::new(
                Kind::Chart,
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: unknown field {}",
                    crate::gofmt::strconv::quote(k)
                ),
            ));
        }
    }
    Ok(())
}

fn as_map(v: &Value) -> Option<Map> {
    match v {
        Value::Map(m, _) => Some(m.borrow().clone()),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::List(..) => "array",
        Value::Map(..) => "object",
        _ => "number",
    }
}

fn type_err(v: &Value, field: &str, go_type: &str) -> Error {
    Error::new(
        Kind::Chart,
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type {go_type}",
            type_name(v)
        ),
    )
}

fn string_field(m: &Map, key: &str, field: &str) -> Result<String, Error> {
    match m.get(key) {
        None | Some(Value::Nil) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        // sigs.k8s.io/yaml turns a scalar into text when the target is a
        // string field.
        Some(Value::Int(i, _)) => Ok(i.to_string()),
        Some(Value::Uint(u)) => Ok(u.to_string()),
        Some(Value::Float(f)) => Ok(crate::gofmt::strconv::format_float_g(*f, 32)),
        Some(Value::Bool(b)) => Ok(b.to_string()),
        Some(other) => Err(type_err(other, field, "string")),
    }
}

/// One entry of `entries.<name>`, as encoding/json fills a
/// `*ChartVersion` (nil for a null item).
fn chart_version(v: &Value, strict: bool) -> Result<Option<ChartVersion>, Error> {
    let m = match v {
        Value::Nil => return Ok(None),
        Value::Map(..) => as_map(v).unwrap_or_default(),
        other => return Err(type_err(other, "IndexFile.entries", "repo.ChartVersion")),
    };
    if strict {
        unknown_field(&m, &[METADATA_FIELDS, CHART_VERSION_FIELDS])?;
        for (key, known) in [("maintainers", MAINTAINER_FIELDS), ("dependencies", DEPENDENCY_FIELDS)] {
            if let Some(Value::List(l, _)) = m.get(key) {
                for item in l.borrow().iter() {
                    if let Some(im) = as_map(item) {
                        unknown_field(&im, &[known])?;
                    }
                }
            }
        }
    }
    let metadata = Metadata::from_value(v)?;
    let urls = match m.get("urls") {
        None | Some(Value::Nil) => Vec::new(),
        Some(Value::List(l, _)) => {
            let mut out = Vec::new();
            for u in l.borrow().iter() {
                out.push(match u {
                    Value::Nil => String::new(),
                    Value::String(s) => s.to_string(),
                    other => return Err(type_err(other, "ChartVersion.urls", "string")),
                });
            }
            out
        }
        Some(other) => return Err(type_err(other, "ChartVersion.urls", "[]string")),
    };
    let removed = match m.get("removed") {
        None | Some(Value::Nil) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(type_err(other, "ChartVersion.removed", "bool")),
    };
    Ok(Some(ChartVersion {
        metadata,
        urls,
        created: string_field(&m, "created", "ChartVersion.created")?,
        removed,
        digest: string_field(&m, "digest", "ChartVersion.digest")?,
    }))
}

/// `encoding/json`'s `json.Valid` for the choice between JSON and YAML:
/// an index that starts with `{` and parses as YAML flow is taken as JSON
/// (JSON is YAML; only JSON skips the strict field check).
fn looks_like_json(text: &str) -> bool {
    let t = text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
    t.starts_with('{') && t.ends_with('}')
}

/// `loadIndex`: parse, drop invalid entries (logging them), sort the
/// versions newest first; an index without `apiVersion` is an error.
pub fn load_index(data: &[u8], source: &str) -> Result<IndexFile, Error> {
    if data.is_empty() {
        return Err(Error::new(Kind::Chart, ERR_EMPTY_INDEX));
    }
    let text = std::str::from_utf8(data)
        .map_err(|_| Error::new(Kind::Chart, "error converting YAML to JSON: yaml: invalid leading UTF-8 octet"))?;
    let strict = !looks_like_json(text);
    let doc =
        crate::yaml::parse_typed(text).map_err(|e| Error::new(Kind::Chart, crate::yaml::sigs_unmarshal_error(&e)))?;
    if strict {
        // go-yaml's strict stage: a repeated key fails the whole index.
        crate::yaml::check_strict(text).map_err(|e| Error::new(Kind::Chart, crate::yaml::sigs_unmarshal_error(&e)))?;
    }
    let top = match &doc {
        Value::Nil => Map::new(),
        Value::Map(..) => as_map(&doc).unwrap_or_default(),
        other => {
            return Err(Error::new(
                Kind::Chart,
                format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type repo.IndexFile",
                    type_name(other)
                ),
            ))
        }
    };
    if strict {
        unknown_field(&top, &[INDEX_FIELDS])?;
    }
    let mut idx = IndexFile {
        api_version: string_field(&top, "apiVersion", "IndexFile.apiVersion")?,
        generated: string_field(&top, "generated", "IndexFile.generated")?,
        ..IndexFile::default()
    };
    match top.get("entries") {
        None | Some(Value::Nil) => {}
        Some(Value::Map(em, _)) => {
            for (name, list) in em.borrow().iter() {
                let items = match list {
                    Value::Nil => Vec::new(),
                    Value::List(l, _) => l.borrow().clone(),
                    other => return Err(type_err(other, "IndexFile.entries", "repo.ChartVersions")),
                };
                let mut cvs = Vec::new();
                for item in &items {
                    match chart_version(item, strict)? {
                        None => idx.warnings.push(format!(
                            "skipping loading invalid entry for chart {} from {source}: empty entry",
                            crate::gofmt::strconv::quote(name)
                        )),
                        Some(mut cv) => {
                            if cv.metadata.api_version.is_empty() {
                                cv.metadata.api_version = "v1".into();
                            }
                            // ignoreSkippableChartValidationError: duplicate
                            // dependency names are not checked here at all.
                            // Validate's isValidSemver is semver.NewVersion
                            // (which also rejects numbers past uint64).
                            let validated = cv.metadata.validate().map_err(|e| e.message).and_then(|()| {
                                Version::parse(cv.version()).map(|_| ()).map_err(|_| {
                                    format!(
                                        "validation: chart.metadata.version {} is invalid",
                                        crate::gofmt::strconv::quote(cv.version())
                                    )
                                })
                            });
                            match validated {
                                Ok(()) => cvs.push(cv),
                                Err(e) => idx.warnings.push(format!(
                                    "skipping loading invalid entry for chart {} {} from {source}: {e}",
                                    crate::gofmt::strconv::quote(name),
                                    crate::gofmt::strconv::quote(&cv.metadata.version)
                                )),
                            }
                        }
                    }
                }
                sort_entries(&mut cvs);
                idx.entries.insert(name.clone(), cvs);
            }
        }
        Some(other) => return Err(type_err(other, "IndexFile.entries", "map[string]repo.ChartVersions")),
    }
    if idx.api_version.is_empty() {
        return Err(Error::new(Kind::Chart, ERR_NO_API_VERSION));
    }
    Ok(idx)
}

/// `sort.Sort(sort.Reverse(versions))`: newest first; an unparsable
/// version sorts as the oldest (ChartVersions.Less).
fn sort_entries(cvs: &mut [ChartVersion]) {
    cvs.sort_by(|a, b| {
        let va = Version::parse(a.version()).ok();
        let vb = Version::parse(b.version()).ok();
        match (va, vb) {
            (Some(x), Some(y)) => y.compare(&x).cmp(&0),
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
}

impl IndexFile {
    /// `IndexFile.Get`: an exact version string first, else the newest
    /// version the constraint accepts; no version means the newest
    /// release (`*` excludes prereleases).
    pub fn get(&self, name: &str, version: &str) -> Result<&ChartVersion, Error> {
        let vs = self.entries.get(name).ok_or_else(|| Error::new(Kind::Chart, ERR_NO_CHART_NAME))?;
        if vs.is_empty() {
            return Err(Error::new(Kind::Chart, ERR_NO_CHART_VERSION));
        }
        let constraint =
            Constraints::parse(if version.is_empty() { "*" } else { version }).map_err(|e| e.of_kind(Kind::Chart))?;
        if !version.is_empty() {
            if let Some(cv) = vs.iter().find(|cv| cv.version() == version) {
                return Ok(cv);
            }
        }
        for cv in vs {
            let Ok(v) = Version::parse(cv.version()) else { continue };
            if constraint.check(&v) {
                return Ok(cv);
            }
        }
        Err(Error::new(Kind::Chart, format!("no chart version found for {name}-{version}")))
    }

    /// `IndexFile.Has`.
    pub fn has(&self, name: &str, version: &str) -> bool {
        self.get(name, version).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of Helm's testdata/local-index.yaml (pkg/repo/v1 tests'
    /// verifyLocalIndex expectations), entries deliberately unordered.
    const LOCAL_INDEX: &str = r#"apiVersion: v1
entries:
  nginx:
    - urls:
        - https://charts.helm.sh/stable/nginx-0.1.0.tgz
      name: nginx
      description: string
      version: 0.1.0
      home: https://github.com/something
      digest: "sha256:1234567890abcdef"
      keywords: [popular, web server, proxy]
      apiVersion: v2
    - urls:
        - https://charts.helm.sh/stable/nginx-0.2.0.tgz
      name: nginx
      description: string
      version: 0.2.0
      home: https://github.com/something/else
      digest: "sha256:1234567890abcdef"
      keywords: [popular, web server, proxy]
      apiVersion: v2
      created: 2016-10-06T16:23:20.499814565-06:00
  alpine:
    - urls:
        - https://charts.helm.sh/stable/alpine-1.0.0.tgz
        - http://storage2.googleapis.com/kubernetes-charts/alpine-1.0.0.tgz
      name: alpine
      description: string
      version: 1.0.0
      home: https://github.com/something
      keywords: [linux, alpine, small, sumtin]
      digest: "sha256:1234567890abcdef"
      apiVersion: v2
  chartWithNoURL:
    - name: chartWithNoURL
      description: string
      version: 1.0.0
      home: https://github.com/something
      keywords: [small, sumtin]
      digest: "sha256:1234567890abcdef"
      apiVersion: v2
"#;

    #[test]
    fn loads_and_sorts_like_helm() {
        let i = load_index(LOCAL_INDEX.as_bytes(), "test").unwrap();
        assert_eq!(i.entries.keys().collect::<Vec<_>>(), ["alpine", "chartWithNoURL", "nginx"]);
        assert_eq!(i.entries["alpine"].len(), 1);
        let nginx = &i.entries["nginx"];
        assert_eq!(nginx.iter().map(|c| c.version()).collect::<Vec<_>>(), ["0.2.0", "0.1.0"]);
        assert_eq!(nginx[0].metadata.home, "https://github.com/something/else");
        assert_eq!(nginx[0].digest, "sha256:1234567890abcdef");
        assert_eq!(i.entries["alpine"][0].urls.len(), 2);
        assert_eq!(i.entries["alpine"][0].metadata.keywords, ["linux", "alpine", "small", "sumtin"]);
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    }

    #[test]
    fn json_index_loads() {
        let j = r#"{"apiVersion":"v1","entries":{"nginx":[{"apiVersion":"v2","name":"nginx","version":"0.2.0","urls":["https://x/nginx-0.2.0.tgz"],"unknownField":1}]}}"#;
        // JSON goes through encoding/json, which ignores unknown fields.
        let i = load_index(j.as_bytes(), "json").unwrap();
        assert_eq!(i.entries["nginx"][0].version(), "0.2.0");
    }

    #[test]
    fn errors_as_helm() {
        assert_eq!(load_index(b"", "x").unwrap_err(), ERR_EMPTY_INDEX);
        assert_eq!(load_index(b"entries: {}\n", "x").unwrap_err(), ERR_NO_API_VERSION);
        // UnmarshalStrict: an unknown key is an error.
        let e = load_index(b"apiVersion: v1\nfoo: 1\n", "x").unwrap_err();
        assert_eq!(e, "error unmarshaling JSON: while decoding JSON: json: unknown field \"foo\"");
        // go-yaml's strict stage comes first: a repeated key (at its value's line).
        let e = load_index(b"apiVersion: v1\nfoo: 1\napiVersion:\n  v2\n", "x").unwrap_err();
        assert_eq!(
            e,
            "error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key \"apiVersion\" already set in map"
        );
    }

    /// TestLoadIndex_EmptyEntry: null items and entries without a name or
    /// version are skipped (logged), not errors.
    #[test]
    fn empty_entries_are_skipped() {
        let src = "apiVersion: v1\nentries:\n  grafana:\n  - apiVersion: v2\n    name: grafana\n  - null\n  foo:\n  -\n  bar:\n  - digest: \"sha256:1234567890abcdef\"\n    urls:\n    - https://charts.helm.sh/stable/alpine-1.0.0.tgz\n";
        let i = load_index(src.as_bytes(), "indexWithEmptyEntry").unwrap();
        assert!(i.entries["grafana"].is_empty());
        assert!(i.entries["foo"].is_empty());
        assert!(i.entries["bar"].is_empty());
        assert!(i.warnings.contains(&"skipping loading invalid entry for chart \"grafana\" \"\" from indexWithEmptyEntry: validation: chart.metadata.version is required".to_string()), "{:?}", i.warnings);
        assert!(i.warnings.contains(
            &"skipping loading invalid entry for chart \"foo\" from indexWithEmptyEntry: empty entry".to_string()
        ));
    }

    /// TestLoadIndex_DuplicateChartDeps: duplicate dependency names are
    /// tolerated in an index (JFrog strips aliases).
    #[test]
    fn duplicate_dependencies_tolerated() {
        let src = "apiVersion: v1\nentries:\n  nginx:\n  - name: nginx\n    version: 0.2.0\n    urls: [https://x/nginx-0.2.0.tgz]\n    dependencies:\n    - name: redis\n      version: 1.0.0\n    - name: redis\n      version: 1.0.0\n";
        let i = load_index(src.as_bytes(), "dup").unwrap();
        assert_eq!(i.entries["nginx"].len(), 1);
    }

    fn index_of(versions: &[&str]) -> IndexFile {
        let mut s = String::from("apiVersion: v1\nentries:\n  setter:\n");
        for v in versions {
            s.push_str(&format!("  - name: setter\n    version: \"{v}\"\n    urls: [setter-{v}.tgz]\n"));
        }
        load_index(s.as_bytes(), "t").unwrap()
    }

    /// TestIndexFile's Get expectations (build metadata kept distinct).
    #[test]
    fn get_exact_and_metadata() {
        let i = index_of(&["0.1.9+alpha", "0.1.9+beta", "0.1.8", "0.1.8+beta"]);
        assert!(i.get("setter", "0.1.9").unwrap().version().contains("0.1.9"));
        assert_eq!(i.get("setter", "0.1.9+alpha").unwrap().version(), "0.1.9+alpha");
        assert_eq!(i.get("setter", "0.1.8").unwrap().version(), "0.1.8");
    }

    /// Version selection: newest release when no version is given
    /// (prereleases only when asked for), Masterminds constraints.
    #[test]
    fn get_constraints() {
        let i = index_of(&["1.2.3", "1.2.10", "1.3.0", "2.0.0-rc.1", "1.10.1", "0.9.0", "2.0.0-alpha"]);
        let g = |v: &str| i.get("setter", v).map(|c| c.version().to_string());
        assert_eq!(g("").unwrap(), "1.10.1");
        assert_eq!(g("~1.2").unwrap(), "1.2.10");
        assert_eq!(g("^1").unwrap(), "1.10.1");
        assert_eq!(g("^0.9").unwrap(), "0.9.0");
        assert_eq!(g(">=1.2.3 <1.3").unwrap(), "1.2.10");
        assert_eq!(g("1.2.3 - 1.3.0").unwrap(), "1.3.0");
        assert_eq!(g("1.2.x").unwrap(), "1.2.10");
        assert_eq!(g(">0.0.0-0").unwrap(), "2.0.0-rc.1", "--devel's constraint admits prereleases");
        assert_eq!(g(">=2.0.0-alpha").unwrap(), "2.0.0-rc.1");
        assert_eq!(g("2.0.0-alpha").unwrap(), "2.0.0-alpha");
        assert_eq!(g(">=2").unwrap_err(), "no chart version found for setter->=2");
        assert_eq!(g("9.9.9").unwrap_err(), "no chart version found for setter-9.9.9");
        assert_eq!(g("not a version").unwrap_err(), "improper constraint: \"not a version\"");
        assert_eq!(i.get("other", "").unwrap_err(), ERR_NO_CHART_NAME);
    }

    /// Odd shapes are errors or skipped entries, never panics.
    #[test]
    fn hostile_shapes() {
        for src in [
            "apiVersion: v1\nentries: [1, 2]\n",
            "apiVersion: v1\nentries:\n  a: 3\n",
            "apiVersion: v1\nentries:\n  a: [3, \"x\", [1]]\n",
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 1.0.0\n    urls: {x: 1}\n",
            "apiVersion: v1\nentries:\n  a:\n  - name: [1]\n",
            "- 1\n- 2\n",
            "\"just a string\"",
            "{\"apiVersion\": 1, \"entries\": {\"a\": [{\"version\": {}}]}}",
            "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 99999999999999999999999.0.0\n    urls: [x]\n",
        ] {
            let _ = load_index(src.as_bytes(), "h");
        }
        assert!(load_index(&[0xff, 0xfe, 0], "h").is_err());
        let i = load_index(
            b"apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: 99999999999999999999999.0.0\n    urls: [x]\n",
            "h",
        )
        .unwrap();
        assert!(i.entries["a"].is_empty(), "an unparsable version is skipped");
    }
}
