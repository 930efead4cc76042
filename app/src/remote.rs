//! Workspaces by reference: where a chart, its values files and its plugin
//! came from (URL + sha256, or a Helm repository's name and version), and
//! the by-reference link (`#r1:…`) that carries only those references plus
//! the inline state (options, open file, edits as a patch on the
//! referenced chart). Pure: the fetching is in `remote_open`.
//!
//! Every referenced file carries its sha256, and opening a link checks
//! every one; a file that cannot be fetched or does not match stops the
//! opening with a message — nothing is rendered with something else.
//! A failed check is an [`AppError::Check`], whose text the notice shows.

use serde::{Deserialize, Serialize};

use crate::protocol::AppError;
use sha2::{Digest, Sha256};

use crate::base64url::{b64url_decode, b64url_encode, B64Bytes};
use crate::files::{ChartFile, ChartFiles, Content};
use crate::options::Options;

/// Prefix of by-reference links (share links are `v2:`).
pub const PREFIX: &str = "r1:";

pub fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

/// A hosted file and the sha256 (hex) it must have.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub url: String,
    pub sha256: String,
}

/// Where the chart came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ChartRef {
    /// A chart archive (`.tgz`) at a URL.
    Archive(FileRef),
    /// A chart in a Helm repository: `repo` (its URL), chart name and the
    /// exact version chosen, and the archive's sha256.
    Repo { repo: String, name: String, version: String, sha256: String },
    /// An `oci://` reference with its resolved tag and the layer's sha256.
    Oci { reference: String, version: String, sha256: String },
    /// A Chartroom bundle file (`v2:…`, the whole workspace).
    Bundle(FileRef),
}

impl ChartRef {
    pub fn sha256(&self) -> &str {
        match self {
            ChartRef::Archive(f) | ChartRef::Bundle(f) => &f.sha256,
            ChartRef::Repo { sha256, .. } | ChartRef::Oci { sha256, .. } => sha256,
        }
    }

    /// Where it is, for messages.
    pub fn describe(&self) -> String {
        match self {
            ChartRef::Archive(f) | ChartRef::Bundle(f) => f.url.clone(),
            ChartRef::Repo { repo, name, version, .. } => format!("{name} {version} from {repo}"),
            ChartRef::Oci { reference, version, .. } => format!("{reference}:{version}"),
        }
    }
}

/// A values file by reference (its name in the options bar).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValuesRef {
    pub name: String,
    #[serde(flatten)]
    pub file: FileRef,
}

/// A Wasm plugin by reference: plugin.yaml and plugin.wasm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginRef {
    pub yaml: FileRef,
    pub wasm: FileRef,
}

/// Where the workspace's chart (and values, plugin) came from, kept with
/// the workspace (autosave, links) so that a link reproduces that exact
/// version. `base` lists the chart's files as they were fetched (path and
/// a short hash) so that edits can travel as a patch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub chart: ChartRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValuesRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<PluginRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub base: Vec<(String, String)>,
    /// Dependencies fetched into charts/ (path, sha256): a link expects
    /// exactly these archives again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<(String, String)>,
}

/// A file's short hash in `Origin::base` (64 bits: telling edits apart,
/// not security; the chart itself is checked by its full sha256).
fn short_hash(b: &[u8]) -> String {
    sha256_hex(b)[..16].to_string()
}

pub fn base_of(files: &ChartFiles) -> Vec<(String, String)> {
    files.iter().map(|f| (f.path.clone(), short_hash(f.content.bytes()))).collect()
}

/// Edits on top of the referenced chart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Patch {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_binary: Vec<(String, B64Bytes)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
}

impl Patch {
    /// `files` compared with the chart as fetched.
    pub fn diff(base: &[(String, String)], files: &ChartFiles) -> Patch {
        let mut p = Patch::default();
        for f in files.iter() {
            let unchanged = base.iter().any(|(path, h)| *path == f.path && *h == short_hash(f.content.bytes()));
            if unchanged {
                continue;
            }
            match &f.content {
                Content::Text(t) => p.set.push((f.path.clone(), t.clone())),
                Content::Binary(b) => p.set_binary.push((f.path.clone(), B64Bytes(b.clone()))),
            }
        }
        for (path, _) in base {
            if !files.contains(path) {
                p.remove.push(path.clone());
            }
        }
        p
    }

    pub fn apply(&self, base: &ChartFiles) -> ChartFiles {
        let mut out: Vec<ChartFile> = base
            .iter()
            .filter(|f| {
                !self.remove.contains(&f.path)
                    && !self.set.iter().any(|(p, _)| *p == f.path)
                    && !self.set_binary.iter().any(|(p, _)| *p == f.path)
            })
            .cloned()
            .collect();
        out.extend(self.set.iter().map(|(p, t)| ChartFile { path: p.clone(), content: Content::Text(t.clone()) }));
        out.extend(
            self.set_binary.iter().map(|(p, b)| ChartFile { path: p.clone(), content: Content::Binary(b.0.clone()) }),
        );
        ChartFiles::from_files(out)
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.set_binary.is_empty() && self.remove.is_empty()
    }
}

/// A by-reference link: the references plus the inline state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefLink {
    pub chart: ChartRef,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValuesRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<PluginRef>,
    /// Options as shown (values files and plugin referenced above are not
    /// repeated inline). Absent: Helm's defaults (a bundle has its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Options>,
    #[serde(default)]
    pub selected: String,
    #[serde(default, skip_serializing_if = "Patch::is_empty")]
    pub patch: Patch,
    /// The dependency archives fetched when the chart was opened (path,
    /// sha256), checked again on opening.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned: Vec<(String, String)>,
}

/// Why a by-reference link cannot be read.
pub fn decode(s: &str) -> Result<RefLink, AppError> {
    let s = s.trim();
    let s = s.strip_prefix('#').unwrap_or(s);
    let body = s.strip_prefix(PREFIX).ok_or_else(|| AppError::Check("not a by-reference link".into()))?;
    let packed = b64url_decode(body).map_err(|e| AppError::Check(e.to_string()))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, 16 << 20).map_err(|e| {
        AppError::Check(format!("the link is truncated or corrupt (decompression failed: {:?})", e.status))
    })?;
    serde_json::from_slice(&json).map_err(|e| AppError::Check(format!("the link is corrupt (bad reference data: {e})")))
}

pub fn encode(link: &RefLink) -> String {
    let json = serde_json::to_vec(link).unwrap_or_default();
    format!("{PREFIX}{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(&json, 9)))
}

pub fn is_ref_link(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(PREFIX)
}

/// The by-reference link of a workspace that came from references: the
/// edits since as a patch, values files and the plugin by reference while
/// they are unchanged, inline otherwise. None for a bundle (its files
/// are not known one by one: an edited bundle workspace goes inline).
pub fn link_for(files: &ChartFiles, options: &Options, selected: &str, origin: &Origin) -> Option<RefLink> {
    if matches!(origin.chart, ChartRef::Bundle(_)) {
        return None;
    }
    let mut options = options.clone();
    let mut values = Vec::new();
    for v in &origin.values {
        let same = options
            .values_files
            .iter()
            .position(|f| f.name == v.name && sha256_hex(f.text.as_bytes()) == v.file.sha256);
        if let Some(i) = same {
            options.values_files.remove(i);
            values.push(v.clone());
        }
    }
    let mut plugin = None;
    if let Some(p) = &origin.plugin {
        let wasm_same = options.plugin.uploaded_wasm().is_some_and(|w| sha256_hex(&w) == p.wasm.sha256);
        if wasm_same && sha256_hex(options.plugin.yaml.as_bytes()) == p.yaml.sha256 {
            options.plugin.wasm_b64.clear();
            options.plugin.yaml.clear();
            plugin = Some(p.clone());
        }
    }
    options.plugin.needs_consent = false;
    Some(RefLink {
        chart: origin.chart.clone(),
        values,
        plugin,
        options: Some(options),
        selected: selected.to_string(),
        patch: Patch::diff(&origin.base, files),
        pinned: origin.pinned.clone(),
    })
}

/// Embeds: `?chart=URL&sha256=HEX&values=URL&values_sha256=HEX` (values
/// and values_sha256 may repeat, in the same order). The hashes are
/// optional here (a docs page embedding its own files); when given they
/// are checked.
pub fn from_query(query: &str) -> Option<RefLink> {
    let chart = crate::url_query::query_param(query, "chart").filter(|c| !c.is_empty())?;
    let sha = crate::url_query::query_param(query, "sha256").unwrap_or_default();
    let values: Vec<String> = query_params(query, "values");
    let hashes: Vec<String> = query_params(query, "values_sha256");
    let values = values
        .iter()
        .enumerate()
        .map(|(i, url)| ValuesRef {
            name: url.rsplit('/').next().unwrap_or(url).split('?').next().unwrap_or_default().to_string(),
            file: FileRef { url: url.clone(), sha256: hashes.get(i).cloned().unwrap_or_default() },
        })
        .collect();
    let chart = if chart.starts_with("oci://") {
        ChartRef::Oci {
            reference: chart,
            version: crate::url_query::query_param(query, "version").unwrap_or_default(),
            sha256: sha,
        }
    } else {
        match crate::url_query::query_param(query, "repo").filter(|r| !r.is_empty()) {
            Some(repo) => ChartRef::Repo {
                repo,
                name: chart,
                version: crate::url_query::query_param(query, "version").unwrap_or_default(),
                sha256: sha,
            },
            None => ChartRef::Archive(FileRef { url: chart, sha256: sha }),
        }
    };
    Some(RefLink {
        chart,
        values,
        plugin: None,
        options: None,
        selected: crate::url_query::query_param(query, "file").unwrap_or_default(),
        patch: Patch::default(),
        pinned: Vec::new(),
    })
}

fn query_params(query: &str, name: &str) -> Vec<String> {
    let q = query.strip_prefix('?').unwrap_or(query);
    q.split('&')
        .filter_map(|kv| {
            let (k, _) = kv.split_once('=').unwrap_or((kv, ""));
            (k == name).then(|| crate::url_query::query_param(kv, name).unwrap_or_default())
        })
        .collect()
}

/// Resolves `reference` against the page's own URL (`values=values.yaml`
/// next to the embedding page's files is relative to the embed's URL).
pub fn absolute(base: &str, reference: &str) -> String {
    if reference.contains("://") {
        return reference.to_string();
    }
    let origin_end =
        base.find("://").map(|i| i + 3).and_then(|s| base[s..].find('/').map(|j| s + j)).unwrap_or(base.len());
    if let Some(abs) = reference.strip_prefix('/') {
        return format!("{}/{abs}", &base[..origin_end]);
    }
    let path_end = base.find(['?', '#']).unwrap_or(base.len());
    let dir_end = base[..path_end].rfind('/').map(|i| i + 1).unwrap_or(path_end);
    format!("{}{reference}", &base[..dir_end.max(origin_end)])
}

/// The check every fetched file passes.
pub fn check_hash(what: &str, url: &str, bytes: &[u8], want: &str) -> Result<String, AppError> {
    let got = sha256_hex(bytes);
    let want = want.trim().trim_start_matches("sha256:").to_ascii_lowercase();
    if !want.is_empty() && got != want {
        return Err(AppError::Check(format!(
            "{what} {url} does not match its sha256: the link expects {want}, the server sent a file with {got}. Nothing was opened; ask whoever shared the link for an updated one."
        )));
    }
    Ok(got)
}

/// How to make a link for a workspace too large to carry inline.
pub const HOSTING_HELP: &str = "To share it by link, host the bundle file: download it (\"Download bundle\"), put it on any static host that lets web pages read it (GitHub Pages, a raw file on raw.githubusercontent.com or a gist's raw URL, an S3 or R2 bucket with CORS allowed; GitHub release downloads do not allow it), then paste its URL here. The link then carries only the URL and the bundle's sha256, and whoever opens it gets exactly this workspace.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ValuesFile;
    use crate::share::Workspace;

    fn chart() -> ChartFiles {
        ChartFiles::from_bytes([
            ("Chart.yaml".to_string(), b"apiVersion: v2\nname: demo\nversion: 1.0.0\n".to_vec()),
            ("templates/cm.yaml".to_string(), b"kind: ConfigMap\n".to_vec()),
            ("files/logo.png".to_string(), vec![0x89, b'P', 0, 0xff]),
        ])
    }

    #[test]
    fn patch_round_trip() {
        let base = chart();
        let mut edited = base.clone();
        edited.set_text("templates/cm.yaml", "kind: Secret\n".into());
        edited.delete("files/logo.png").unwrap();
        edited.add_file("templates/new.yaml", "a: 1\n").unwrap();
        let p = Patch::diff(&base_of(&base), &edited);
        assert_eq!(p.set.len(), 2);
        assert_eq!(p.remove, ["files/logo.png"]);
        assert_eq!(p.apply(&base), edited);
        assert!(Patch::diff(&base_of(&base), &base).is_empty());
    }

    #[test]
    fn link_round_trip_and_references() {
        let files = chart();
        let values_text = "replicas: 2\n";
        let options = Options {
            release_name: "r".into(),
            values_files: vec![
                ValuesFile { name: "prod.yaml".into(), text: values_text.into() },
                ValuesFile { name: "local.yaml".into(), text: "a: 1\n".into() },
            ],
            ..Options::default()
        };
        let ws = Workspace::new(&files, options, "templates/cm.yaml".into());
        let origin = Origin {
            chart: ChartRef::Repo {
                repo: "https://charts.example.com".into(),
                name: "demo".into(),
                version: "1.0.0".into(),
                sha256: "ab".repeat(32),
            },
            values: vec![ValuesRef {
                name: "prod.yaml".into(),
                file: FileRef { url: "https://x/prod.yaml".into(), sha256: sha256_hex(values_text.as_bytes()) },
            }],
            plugin: None,
            base: base_of(&files),
            pinned: Vec::new(),
        };
        let link = link_for(&ws.chart_files(), &ws.options, &ws.selected, &origin).unwrap();
        assert!(link.patch.is_empty());
        assert_eq!(link.values.len(), 1, "the unchanged values file stays a reference");
        assert_eq!(link.options.as_ref().unwrap().values_files.len(), 1, "the other travels inline");
        let enc = encode(&link);
        assert!(is_ref_link(&format!("#{enc}")));
        assert!(enc.len() < 600, "{}", enc.len());
        assert_eq!(decode(&enc).unwrap(), link);
        // An edited values file is no longer the referenced one.
        let mut ws2 = ws.clone();
        ws2.options.values_files[0].text = "replicas: 3\n".into();
        assert!(link_for(&ws2.chart_files(), &ws2.options, &ws2.selected, &origin).unwrap().values.is_empty());
        assert!(decode("r1:$$").is_err());
        assert!(decode("v2:abc").is_err());
    }

    #[test]
    fn embed_query() {
        let l = from_query(
            "?embed=1&chart=charts%2Fdemo-1.0.0.tgz&sha256=AB&values=v1.yaml&values_sha256=11&values=https://h/v2.yaml",
        )
        .unwrap();
        assert_eq!(l.chart, ChartRef::Archive(FileRef { url: "charts/demo-1.0.0.tgz".into(), sha256: "AB".into() }));
        assert_eq!(l.values.len(), 2);
        assert_eq!(l.values[0].file.sha256, "11");
        assert_eq!(l.values[1].name, "v2.yaml");
        assert_eq!(l.values[1].file.sha256, "");
        let r = from_query("?chart=demo&repo=https://charts.example.com&version=~1.2").unwrap();
        assert!(matches!(r.chart, ChartRef::Repo { ref version, .. } if version == "~1.2"));
        assert!(from_query("?embed=1").is_none());
    }

    #[test]
    fn urls_relative_to_the_page() {
        let page = "https://docs.example.com/guide/embed.html?embed=1&chart=x";
        assert_eq!(absolute(page, "charts/a.tgz"), "https://docs.example.com/guide/charts/a.tgz");
        assert_eq!(absolute(page, "/a.tgz"), "https://docs.example.com/a.tgz");
        assert_eq!(absolute(page, "https://o/a.tgz"), "https://o/a.tgz");
        assert_eq!(absolute("http://127.0.0.1:8080/", "a.tgz"), "http://127.0.0.1:8080/a.tgz");
    }

    #[test]
    fn hashes_are_checked() {
        let h = sha256_hex(b"x");
        assert_eq!(check_hash("chart", "u", b"x", &h).unwrap(), h);
        assert_eq!(check_hash("chart", "u", b"x", &format!("sha256:{}", h.to_uppercase())).unwrap(), h);
        assert!(check_hash("chart", "u", b"y", &h).unwrap_err().message().contains("does not match its sha256"));
        assert!(check_hash("chart", "u", b"y", "").is_ok(), "no hash given: nothing to check");
    }
}
