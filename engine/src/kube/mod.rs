//! Kubernetes-aware checks of rendered manifests: every document against
//! the OpenAPI schema of its apiVersion and kind for one Kubernetes minor
//! release, custom resources against the CRDs the chart ships, and API
//! versions that release no longer serves.
//!
//! The schemas come in per-version bundles (`v1.NN.json`, built from the
//! PyPI package kubernetes-validate by scripts/kube_schemas.py): natively
//! read from a folder, in the page fetched on first use. A bundle is
//! compiled once ([`Bundle::from_json`]) and reused for every render.

mod block_yaml;
mod locate;
mod removed;
mod schema;

use crate::error::{Error, Kind};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use schema::{Arena, At, Finding, NodeId, Validator};

use crate::value::Value;

/// The oldest and newest Kubernetes minor releases with a bundle
/// (kubernetes-validate 1.37.0 ships v1.25 … v1.37).
pub(crate) const MIN_MINOR: u32 = 25;
pub const MAX_MINOR: u32 = 37;

const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

/// One Kubernetes version's schemas, compiled.
pub struct Bundle {
    minor: u32,
    source: String,
    arena: Arena,
    kinds: HashMap<(String, String), NodeId>,
}

impl std::fmt::Debug for Bundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bundle(v1.{}, {} kinds)", self.minor, self.kinds.len())
    }
}

impl Bundle {
    /// Reads a bundle (`{"kubernetes": "1.36", "kinds": …, "defs": …}`).
    pub fn from_json(text: &str) -> Result<Bundle, Error> {
        let v = crate::json::from_json(text).map_err(|e| Error::new(Kind::Setup, format!("schema bundle: {e}")))?;
        let minor = v
            .get("kubernetes")
            .and_then(|k| k.as_str().and_then(|s| s.strip_prefix("1.")).and_then(|m| m.parse::<u32>().ok()))
            .ok_or_else(|| Error::new(Kind::Setup, "schema bundle: no \"kubernetes\" version"))?;
        let source = v.get("source").and_then(|s| s.as_str().map(str::to_string)).unwrap_or_default();
        let arena = Arena::with_defs(&v.get("defs").unwrap_or_default())
            .map_err(|e| Error::new(Kind::Setup, format!("schema bundle: {e}")))?;
        let mut kinds = HashMap::new();
        if let Some(Value::Map(groups, _)) = v.get("kinds") {
            for (api_version, ks) in groups.borrow().iter() {
                if let Value::Map(ks, _) = ks {
                    for (kind, def) in ks.borrow().iter() {
                        if let Some(&id) = def.as_str().and_then(|d| arena.defs.get(d)) {
                            kinds.insert((api_version.clone(), kind.clone()), id);
                        }
                    }
                }
            }
        }
        Ok(Bundle { minor, source, arena, kinds })
    }

    /// The Kubernetes minor release (36 for v1.36).
    pub fn minor(&self) -> u32 {
        self.minor
    }

    /// Where the schemas came from (package and version).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether this version serves `api_version` `kind`.
    pub fn serves(&self, api_version: &str, kind: &str) -> bool {
        self.kinds.contains_key(&(api_version.to_string(), kind.to_string()))
    }
}

/// The minor release a `--kube-version` selects (Helm's default when
/// none), or why it has no bundle.
pub fn minor_of(kube_version: Option<&str>) -> Result<u32, Error> {
    let kv = match kube_version.filter(|s| !s.is_empty()) {
        Some(k) => crate::chart::objects::KubeVersion::parse_flag(k)?,
        None => crate::chart::objects::KubeVersion::default_version(),
    };
    let major = kv.major.parse::<u32>().unwrap_or(0);
    let minor = kv.minor.trim_end_matches('+').parse::<u32>().unwrap_or(0);
    if major != 1 || !(MIN_MINOR..=MAX_MINOR).contains(&minor) {
        return Err(Error::new(
            Kind::Setup,
            format!("no Kubernetes schemas for {}: validation covers v1.{MIN_MINOR} to v1.{MAX_MINOR}", kv.version),
        ));
    }
    Ok(minor)
}

/// The bundle's file name for a minor release.
pub fn bundle_file_name(minor: u32) -> String {
    format!("v1.{minor}.json")
}

/// The folder bundles are read from natively: `$CHARTROOM_KUBE_SCHEMAS`,
/// else `target/kube-schemas` of the source tree (scripts/setup.sh builds
/// them there).
#[cfg(not(target_arch = "wasm32"))]
pub fn default_schema_dir() -> std::path::PathBuf {
    match std::env::var_os("CHARTROOM_KUBE_SCHEMAS") {
        Some(d) if !d.is_empty() => d.into(),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/kube-schemas"),
    }
}

/// Reads and compiles the bundle of a minor release from `dir`; a missing
/// file says how to get it.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_bundle(dir: &std::path::Path, minor: u32) -> Result<Bundle, Error> {
    let path = dir.join(bundle_file_name(minor));
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::new(
            Kind::Setup,
            format!(
                "Kubernetes schema bundle {} not readable ({e}): build the bundles with `python3 scripts/kube_schemas.py` \
                 (scripts/setup.sh runs it) or point CHARTROOM_KUBE_SCHEMAS at their folder",
                path.display()
            ),
        )
    })?;
    Bundle::from_json(&text).map_err(|e| Error::new(Kind::Setup, format!("{}: {e}", path.display())))
}

/// The fast block-style YAML decoder validation uses before the full one:
/// every document of `src`, or `None` when `src` is outside its subset.
/// Public for the tests that compare it with `yaml::parse_all`.
pub fn fast_decode_all(src: &str) -> Option<Vec<Value>> {
    block_yaml::parse_all(src)
}

/// How a document fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Valid,
    Invalid,
    /// A kind neither the version nor the chart's CRDs describe.
    NoSchema,
}

/// One rendered document and its findings.
#[derive(Clone, Debug)]
pub struct Document {
    /// The `# Source:` path (`mychart/templates/deployment.yaml`).
    pub source: String,
    /// Line of the document's first line in the manifest (1-based).
    pub line: usize,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub status: Status,
    pub findings: Vec<Finding>,
}

impl Document {
    /// `Deployment/web` (the kind alone when the name is empty).
    pub fn object(&self) -> String {
        let kind = if self.kind.is_empty() { "(no kind)" } else { &self.kind };
        if self.name.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}/{}", self.name)
        }
    }

    /// One line per finding:
    /// `mychart/templates/deployment.yaml: Deployment/web: spec.replicas: expected integer, got string`.
    pub fn lines(&self) -> Vec<String> {
        let head = if self.source.is_empty() { self.object() } else { format!("{}: {}", self.source, self.object()) };
        self.findings
            .iter()
            .map(|f| {
                if f.path.is_empty() {
                    format!("{head}: {}", f.message)
                } else {
                    format!("{head}: {}: {}", f.path, f.message)
                }
            })
            .collect()
    }
}

/// Every document of a manifest, checked.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub documents: Vec<Document>,
}

impl Report {
    pub fn count(&self, s: Status) -> usize {
        self.documents.iter().filter(|d| d.status == s).count()
    }

    /// `N documents: N valid, N invalid, N without schema`.
    pub fn summary(&self) -> String {
        format!(
            "{} documents: {} valid, {} invalid, {} without schema",
            self.documents.len(),
            self.count(Status::Valid),
            self.count(Status::Invalid),
            self.count(Status::NoSchema)
        )
    }
}

/// Custom resource schemas from CRDs: (apiVersion, kind) → node of the
/// second arena.
struct Crds {
    arena: Arena,
    kinds: HashMap<(String, String), NodeId>,
}

fn str_at(v: &Value, path: &[&str]) -> String {
    let mut cur = v.clone();
    for k in path {
        match cur.get(k) {
            Some(x) => cur = x,
            None => return String::new(),
        }
    }
    cur.as_str().map(str::to_string).unwrap_or_default()
}

fn list_at(v: &Value, k: &str) -> Vec<Value> {
    match v.get(k) {
        Some(Value::List(l, _)) => l.borrow().clone(),
        _ => Vec::new(),
    }
}

impl Crds {
    fn new() -> Crds {
        Crds { arena: Arena::default(), kinds: HashMap::new() }
    }

    /// Adds a CustomResourceDefinition's served versions (v1, and
    /// v1beta1's top-level `validation`). A schema that does not compile
    /// leaves the kind schemaless.
    fn add(&mut self, crd: &Value) {
        if !str_at(crd, &["apiVersion"]).starts_with("apiextensions.k8s.io/")
            || str_at(crd, &["kind"]) != "CustomResourceDefinition"
        {
            return;
        }
        let Some(spec) = crd.get("spec") else { return };
        let group = str_at(&spec, &["group"]);
        let kind = str_at(&spec, &["names", "kind"]);
        if group.is_empty() || kind.is_empty() {
            return;
        }
        let top = spec.get("validation").and_then(|v| v.get("openAPIV3Schema"));
        let mut versions: Vec<(String, Option<Value>)> = Vec::new();
        for v in list_at(&spec, "versions") {
            if matches!(v.get("served"), Some(Value::Bool(false))) {
                continue;
            }
            let schema = v.get("schema").and_then(|s| s.get("openAPIV3Schema")).or_else(|| top.clone());
            versions.push((str_at(&v, &["name"]), schema));
        }
        let single = str_at(&spec, &["version"]);
        if versions.is_empty() && !single.is_empty() {
            versions.push((single, top.clone()));
        }
        for (version, schema) in versions {
            let key = (format!("{group}/{version}"), kind.clone());
            let id = match schema {
                Some(s) => match self.arena.add(&s) {
                    Ok(id) => id,
                    Err(_) => continue,
                },
                None => {
                    // No schema: the server keeps whatever is sent.
                    let open = Value::map(
                        [("x-kubernetes-preserve-unknown-fields".to_string(), Value::Bool(true))].into_iter().collect(),
                    );
                    match self.arena.add(&open) {
                        Ok(id) => id,
                        Err(_) => continue,
                    }
                }
            };
            self.arena.mark_resource_root(id);
            self.kinds.insert(key, id);
        }
    }
}

/// A fast hash of text (FNV-style over 8-byte words): the CRD cache key is
/// computed on every call, over megabytes of CRD files.
fn quick_hash(h: &mut u64, b: &[u8]) {
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        *h = (*h ^ w).wrapping_mul(0x100_0000_01b3).rotate_left(29);
    }
    for &x in chunks.remainder() {
        *h = (*h ^ u64::from(x)).wrapping_mul(0x100_0000_01b3);
    }
    *h = (*h ^ b.len() as u64).wrapping_mul(0x100_0000_01b3);
}

/// The CRDs of the files that may define one of `wanted`, compiled, and
/// kept for the next call with the same files and kinds: the page
/// validates after every edit, and a chart's CRDs (megabytes of YAML for
/// kube-prometheus-stack) rarely change between two.
fn cached_crds(files: &[(String, String)], wanted: &[String]) -> Rc<Crds> {
    thread_local! {
        static LAST: RefCell<Option<(u64, Rc<Crds>)>> = const { RefCell::new(None) };
    }
    let mut key = 0xcbf2_9ce4_8422_2325u64;
    for (p, t) in files {
        quick_hash(&mut key, p.as_bytes());
        quick_hash(&mut key, t.as_bytes());
    }
    for w in wanted {
        quick_hash(&mut key, w.as_bytes());
    }
    if let Some(c) = LAST.with(|l| l.borrow().as_ref().filter(|(k, _)| *k == key).map(|(_, c)| Rc::clone(c))) {
        return c;
    }
    let mut crds = Crds::new();
    for (_, text) in files.iter().filter(|(_, t)| defines_any(t, wanted)) {
        if let Some(vs) =
            block_yaml::parse_all(text).map(Ok).or_else(|| Some(crate::yaml::parse_all(text))).and_then(Result::ok)
        {
            for v in &vs {
                crds.add(v);
            }
        }
    }
    let crds = Rc::new(crds);
    LAST.with(|l| *l.borrow_mut() = Some((key, Rc::clone(&crds))));
    crds
}

/// Decoded documents of the previous call, by text: after an edit most
/// documents are unchanged, and decoding is most of the time validation
/// takes. Only the last call's documents are kept.
struct ParseCache {
    old: HashMap<String, Result<Value, Error>>,
    new: HashMap<String, Result<Value, Error>>,
}

thread_local! {
    static PARSED: RefCell<HashMap<String, Result<Value, Error>>> = RefCell::new(HashMap::new());
}

impl ParseCache {
    fn take() -> ParseCache {
        ParseCache { old: PARSED.with(|p| std::mem::take(&mut *p.borrow_mut())), new: HashMap::new() }
    }

    fn parse(&mut self, doc: &str) -> Result<Value, Error> {
        let v = match self.old.remove(doc) {
            Some(v) => v,
            None => match block_yaml::parse(doc) {
                Some(v) => Ok(v),
                None => crate::yaml::parse(doc).map_err(|e| Error::new(Kind::Setup, e.to_string())),
            },
        };
        self.new.insert(doc.to_string(), v.clone());
        v
    }

    fn keep(self) {
        PARSED.with(|p| *p.borrow_mut() = self.new);
    }
}

/// The chart's and its subcharts' `crds/` files, as (path, text).
pub fn chart_crds(chart: &crate::chart::Chart) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(c: &crate::chart::Chart, out: &mut Vec<(String, String)>) {
        for f in c.crd_files() {
            out.push((format!("{}/{}", c.full_path, f.name), String::from_utf8_lossy(&f.data).into_owned()));
        }
        for d in &c.dependencies {
            walk(d, out);
        }
    }
    walk(chart, &mut out);
    out
}

/// Whether a CRD file may define one of `kinds`: it names one of them as
/// a whole word (`kind: Prometheus`, or `"kind": "Prometheus"` in JSON).
fn defines_any(text: &str, kinds: &[String]) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    kinds.iter().any(|k| {
        text.match_indices(k.as_str()).any(|(i, _)| {
            if text[i + k.len()..].starts_with(word) {
                return false;
            }
            let line = &text[text[..i].rfind('\n').map_or(0, |n| n + 1)..i];
            let before = line.trim_end_matches(['"', '\'']).trim_end();
            before.ends_with("kind:") || before.ends_with("\"kind\":")
        })
    })
}

/// Checks every document of `manifest` (what `helm template` prints)
/// against `bundle`, custom resources against the CRDs in `crd_files`
/// (the chart's `crds/` files) and in the manifest itself.
pub fn validate(bundle: &Bundle, manifest: &str, crd_files: &[(String, String)]) -> Report {
    let docs = crate::releaseutil::documents_unread(manifest, crate::releaseutil::HelmRelease::V4_2_3);
    validate_documents(bundle, &docs, crd_files)
}

/// [`validate`] of a render's documents ([`crate::api::RenderOutput::documents`]).
pub fn validate_documents(
    bundle: &Bundle,
    docs: &[crate::releaseutil::Document],
    crd_files: &[(String, String)],
) -> Report {
    let mut parsed: Vec<(&crate::releaseutil::Document, Result<Value, Error>)> = Vec::with_capacity(docs.len());
    let mut cache = ParseCache::take();
    for d in docs {
        let v = cache.parse(&d.text);
        parsed.push((d, v));
    }
    cache.keep();
    // Kinds the version does not serve: only CRDs that may define one of
    // them are read (a chart's CRD files can be megabytes of YAML).
    let mut wanted: Vec<String> = Vec::new();
    for (_, v) in &parsed {
        if let Ok(v) = v {
            let (av, k) = (str_at(v, &["apiVersion"]), str_at(v, &["kind"]));
            if !k.is_empty() && !bundle.serves(&av, &k) && !wanted.contains(&k) {
                wanted.push(k);
            }
        }
    }
    let mut from_files = Rc::new(Crds::new());
    let mut from_manifest = Crds::new();
    if !wanted.is_empty() {
        from_files = cached_crds(crd_files, &wanted);
        for (_, v) in &parsed {
            if let Ok(v) = v {
                from_manifest.add(v);
            }
        }
    }
    let object_meta = bundle.arena.defs.get(OBJECT_META).copied();
    let mut report = Report::default();
    for (d, v) in parsed {
        let (text, line, source) = (&d.text, d.line, d.source.clone());
        let v = match v {
            Ok(Value::Nil) => continue,
            Ok(v) => v,
            Err(e) => {
                report.documents.push(Document {
                    source,
                    line,
                    api_version: String::new(),
                    kind: String::new(),
                    name: String::new(),
                    status: Status::Invalid,
                    findings: vec![Finding { path: String::new(), message: format!("invalid YAML: {e}"), line: None }],
                });
                continue;
            }
        };
        let mut doc = Document {
            source,
            line,
            api_version: str_at(&v, &["apiVersion"]),
            kind: str_at(&v, &["kind"]),
            name: str_at(&v, &["metadata", "name"]),
            status: Status::Valid,
            findings: Vec::new(),
        };
        validate_document(bundle, [&from_files, &from_manifest], object_meta, &v, &mut doc);
        for f in &mut doc.findings {
            if !f.path.is_empty() {
                f.line = locate::field_line(text, &f.path).map(|l| line + l);
            }
        }
        report.documents.push(doc);
    }
    report
}

fn validate_document(bundle: &Bundle, crds: [&Crds; 2], object_meta: Option<NodeId>, v: &Value, doc: &mut Document) {
    let finding = |m: String| Finding { path: String::new(), message: m, line: None };
    if !matches!(v, Value::Map(..)) {
        doc.status = Status::Invalid;
        doc.findings.push(finding(format!("document is {}, not an object", type_word(v))));
        return;
    }
    if doc.api_version.is_empty() || doc.kind.is_empty() {
        doc.status = Status::Invalid;
        for (k, set) in [("apiVersion", doc.api_version.is_empty()), ("kind", doc.kind.is_empty())] {
            if set {
                doc.findings.push(Finding { path: k.into(), message: "missing required field".into(), line: None });
            }
        }
        return;
    }
    let key = (doc.api_version.clone(), doc.kind.clone());
    let steps = std::cell::Cell::new(0);
    let mut vd =
        Validator { arenas: [&bundle.arena, &crds[0].arena, &crds[1].arena], errors: Vec::new(), steps: &steps };
    // A CRD in the manifest wins over a crds/ file (it is what is applied).
    let crd = crds[1].kinds.get(&key).map(|&id| (2, id)).or_else(|| crds[0].kinds.get(&key).map(|&id| (1, id)));
    if let Some(&id) = bundle.kinds.get(&key) {
        vd.check(At { arena: 0, id }, v, "", 0);
    } else if let Some((arena, id)) = crd {
        vd.check(At { arena, id }, v, "", 0);
        if let (Some(meta), Some(m)) = (object_meta, v.get("metadata")) {
            vd.check(At { arena: 0, id: meta }, &m, "metadata", 1);
        }
    } else if let Some((minor, replacement)) =
        removed::removed_in(&doc.api_version, &doc.kind).filter(|(m, _)| *m <= bundle.minor)
    {
        let mut m = format!(
            "{} {} is not served by Kubernetes v1.{}: removed in v1.{minor}",
            doc.api_version, doc.kind, bundle.minor
        );
        if let Some((av, k)) = replacement {
            m.push_str(&format!(", use {av} {k}"));
        }
        doc.findings.push(finding(m));
    } else {
        doc.status = Status::NoSchema;
        return;
    }
    if steps.get() >= schema::MAX_STEPS && !vd.errors.iter().any(|e| e.message.starts_with("check stopped")) {
        vd.errors.push(Finding {
            path: String::new(),
            message: "check stopped: the schema is too complex".into(),
            line: None,
        });
    }
    doc.findings.extend(vd.errors);
    if !doc.findings.is_empty() {
        doc.status = Status::Invalid;
    }
}

fn type_word(v: &Value) -> &'static str {
    match v {
        Value::List(..) => "a list",
        Value::String(_) => "a string",
        Value::Bool(_) => "a boolean",
        _ => "a number",
    }
}
