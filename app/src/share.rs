//! The whole workspace as one string: share links (`#v2:…` in the URL
//! fragment), bundle files and autosave all use this format.
//!
//! `v2:` + base64url (no padding) of the raw-deflate of a compact JSON
//! document. The version prefix lets later formats coexist; a link that does
//! not decode is reported with a reason and never touches the current work.
//!
//! v2 adds binary chart files (base64 in `binary_files`) and the new
//! options (--set-string/-json/-literal, fixed seed and clock, mock
//! cluster). Its JSON is a superset of v1's, so v1 links, bundles and
//! autosaves still open (missing fields take their defaults). The prefix
//! was bumped anyway: a Chartroom that only knows v1 would otherwise open a
//! v2 link while silently dropping its binary files and fixed seed, and
//! show a different output; with the bump it says "unknown share format".

use serde::{Deserialize, Serialize};

use crate::base64url::BadBase64;
pub use crate::base64url::{b64url_decode, b64url_encode, B64Bytes};
use crate::files::{ChartFile, ChartFiles, Content};
use crate::options::Options;

pub const PREFIX: &str = "v2:";
/// Older prefixes still read (same JSON, fewer fields).
pub const READ_PREFIXES: [&str; 2] = ["v2:", "v1:"];

/// Longest fragment we put in a link. Browsers accept more, but chat tools,
/// mail clients and servers' logs cut long URLs; beyond this, a bundle file.
pub const MAX_LINK_CHARS: usize = 32_000;

/// Everything needed to reproduce a render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Text chart files (path, text), in display order.
    pub files: Vec<(String, String)>,
    /// Binary chart files (path, bytes as base64url); absent in v1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub binary_files: Vec<(String, B64Bytes)>,
    pub options: Options,
    /// The file open in the editor (not needed for the output; restored for comfort).
    #[serde(default)]
    pub selected: String,
    /// Where the chart came from (a URL, a Helm repository's name and
    /// version, with its sha256): links reproduce that exact version, and
    /// "Copy link" can reference it instead of carrying it (`remote`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<crate::remote::Origin>,
}

impl Workspace {
    pub fn new(files: &ChartFiles, options: Options, selected: String) -> Self {
        let mut text = Vec::new();
        let mut binary = Vec::new();
        for f in files.iter() {
            match &f.content {
                Content::Text(t) => text.push((f.path.clone(), t.clone())),
                Content::Binary(b) => binary.push((f.path.clone(), B64Bytes(b.clone()))),
            }
        }
        Workspace { files: text, binary_files: binary, options, selected, origin: None }
    }

    pub fn chart_files(&self) -> ChartFiles {
        let text = self.files.iter().map(|(p, t)| ChartFile { path: p.clone(), content: Content::Text(t.clone()) });
        let binary =
            self.binary_files.iter().map(|(p, b)| ChartFile { path: p.clone(), content: Content::Binary(b.0.clone()) });
        ChartFiles::from_files(text.chain(binary))
    }

    /// Same chart and options (what a render depends on; the open file aside).
    pub fn same_work(&self, other: &Workspace) -> bool {
        self.files == other.files && self.binary_files == other.binary_files && self.options == other.options
    }

    /// Number of chart files.
    pub fn file_count(&self) -> usize {
        self.files.len() + self.binary_files.len()
    }
}

/// Why a shared state could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    UnknownVersion(String),
    BadBase64(usize),
    BadDeflate(String),
    BadJson(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::UnknownVersion(p) => {
                write!(f, "unknown share format {p:?} (this version of Chartroom reads \"v2:\" and \"v1:\")")
            }
            DecodeError::BadBase64(at) => write!(f, "the link is corrupt (invalid character at position {at})"),
            DecodeError::BadDeflate(e) => write!(f, "the link is truncated or corrupt (decompression failed: {e})"),
            DecodeError::BadJson(e) => write!(f, "the link is corrupt (bad workspace data: {e})"),
        }
    }
}

impl From<BadBase64> for DecodeError {
    fn from(e: BadBase64) -> Self {
        DecodeError::BadBase64(e.0)
    }
}

/// Workspace → `v2:…`, as small as deflate makes it (links, bundles).
pub fn encode(ws: &Workspace) -> String {
    encode_level(ws, 9)
}

/// Workspace → `v2:…` with deflate level `level` (1: fastest; autosave of a
/// big chart must not stall typing). Any level decodes the same way.
pub fn encode_level(ws: &Workspace, level: u8) -> String {
    let json = serde_json::to_vec(ws).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, level);
    format!("{PREFIX}{}", b64url_encode(&packed))
}

/// `v2:…` or `v1:…` (with or without a leading `#`) → workspace.
pub fn decode(s: &str) -> Result<Workspace, DecodeError> {
    let s = s.trim();
    let s = s.strip_prefix('#').unwrap_or(s);
    let Some(body) = READ_PREFIXES.iter().find_map(|p| s.strip_prefix(p)) else {
        let head: String = s.chars().take(8).collect();
        return Err(DecodeError::UnknownVersion(head));
    };
    let packed = b64url_decode(body)?;
    // Cap the inflated size: a tiny link must not expand to gigabytes.
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, 64 << 20)
        .map_err(|e| DecodeError::BadDeflate(format!("{:?}", e.status)))?;
    serde_json::from_slice(&json).map_err(|e| DecodeError::BadJson(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::ValuesFile;

    fn sample() -> Workspace {
        let files = ChartFiles::from_pairs([
            ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
            ("templates/cm.yaml", "data:\n  a: {{ .Values.a | quote }} # é 😀\n"),
        ]);
        let options = Options {
            release_name: "r".into(),
            set: "a=1\nb=2".into(),
            values_files: vec![ValuesFile { name: "v.yaml".into(), text: "a: 2\n".into() }],
            is_upgrade: true,
            ..Options::default()
        };
        Workspace::new(&files, options, "templates/cm.yaml".into())
    }

    #[test]
    fn base64url_round_trip_all_lengths() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..40 {
            let enc = b64url_encode(&data[..n]);
            assert!(!enc.contains(['+', '/', '=']));
            assert_eq!(b64url_decode(&enc), Ok(data[..n].to_vec()));
        }
        assert_eq!(b64url_encode(b"hello"), "aGVsbG8");
    }

    #[test]
    fn workspace_round_trip() {
        let ws = sample();
        let s = encode(&ws);
        assert!(s.starts_with("v2:"));
        assert_eq!(decode(&s), Ok(ws.clone()));
        assert_eq!(decode(&format!("#{s}")), Ok(ws.clone()));
        assert_eq!(decode(&encode_level(&ws, 1)), Ok(ws));
    }

    #[test]
    fn binary_files_and_new_options_round_trip() {
        let png = vec![0x89, b'P', b'N', b'G', 0, 0xff, 0xfe, 7];
        let files = ChartFiles::from_bytes([
            ("Chart.yaml".to_string(), b"apiVersion: v2\nname: x\nversion: 0.1.0\n".to_vec()),
            ("files/logo.png".to_string(), png.clone()),
            ("charts/sub-1.0.0.tgz".to_string(), vec![0x1f, 0x8b, 8, 0, 0]),
        ]);
        let options = Options {
            set_string: "a=007".into(),
            fixed_seed: true,
            seed: "42".into(),
            fixed_now: true,
            now: "2024-01-01T00:00:00Z".into(),
            mock_cluster: "apiVersion: v1\nkind: Secret\n".into(),
            ..Options::default()
        };
        let ws = Workspace::new(&files, options, "files/logo.png".into());
        assert_eq!(ws.binary_files.len(), 2);
        let back = decode(&encode(&ws));
        assert_eq!(back, Ok(ws.clone()));
        let back = back.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.chart_files(), files);
        assert!(back.same_work(&ws));
        assert_eq!(back.file_count(), 3);
        // A corrupt binary entry is a clear error, not a silently empty file.
        let json = r#"{"files":[],"binary_files":[["a.png","ab$"]],"options":{}}"#;
        let link = format!("v2:{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9)));
        assert!(matches!(decode(&link), Err(DecodeError::BadJson(e)) if e.contains("binary file")));
    }

    /// A v1 link made by the previous release (text files only, v1 options)
    /// still opens, with the new options at their defaults.
    #[test]
    fn v1_links_still_open() {
        let json = r#"{"files":[["Chart.yaml","apiVersion: v2\nname: x\nversion: 0.1.0\n"],["templates/cm.yaml","a: 1\n"]],"options":{"release_name":"r","namespace":"default","kube_version":"","api_versions":"","is_upgrade":true,"include_crds":false,"skip_tests":false,"show_only":"","set":"a=1","values_files":[]},"selected":"templates/cm.yaml"}"#;
        let link = format!("v1:{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9)));
        let ws = decode(&link).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ws.files.len(), 2);
        assert!(ws.binary_files.is_empty());
        assert_eq!(ws.options.release_name, "r");
        assert!(ws.options.is_upgrade && !ws.options.fixed_seed && ws.options.set_string.is_empty());
        assert_eq!(ws.selected, "templates/cm.yaml");
    }

    #[test]
    fn truncated_or_corrupt_links_are_errors() {
        let s = encode(&sample());
        for cut in [s.len() - 1, s.len() - 5, s.len() / 2, 4] {
            assert!(decode(&s[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(decode("v2:ab$cd"), Err(DecodeError::BadBase64(2))));
        assert!(matches!(decode("v1:ab$cd"), Err(DecodeError::BadBase64(2))));
        assert!(matches!(decode("v9:abcd"), Err(DecodeError::UnknownVersion(_))));
        assert!(matches!(decode(""), Err(DecodeError::UnknownVersion(_))));
        // Valid deflate of something that is not a workspace.
        let junk = format!("v2:{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9)));
        assert!(matches!(decode(&junk), Err(DecodeError::BadJson(_))));
    }
}

/// Plugin settings in shared workspaces (the plugin panel's state lives in
/// `Options::plugin`; links from before plugins existed still open).
#[cfg(test)]
mod plugin_tests {
    use super::*;
    use crate::plugin_state::PluginSettings;

    #[test]
    fn links_without_plugin_settings_still_open() {
        let old = r#"{"files":[["Chart.yaml","apiVersion: v2\nname: x\nversion: 0.1.0\n"]],"options":{"release_name":"r","namespace":"default","kube_version":"","api_versions":"","is_upgrade":false,"include_crds":false,"skip_tests":false,"show_only":"","set":"","values_files":[]},"selected":"Chart.yaml"}"#;
        let link = format!("{PREFIX}{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(old.as_bytes(), 9)));
        let ws = decode(&link).unwrap();
        assert_eq!(ws.options.plugin, PluginSettings::default());
        assert_eq!(ws.options.release_name, "r");
    }

    #[test]
    fn an_uploaded_plugin_travels_in_the_link() {
        let wasm: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
        let options = Options {
            plugin: PluginSettings {
                args: "team=web".into(),
                profile: "documented".into(),
                ..PluginSettings::uploaded("name: p\n", &wasm)
            },
            ..Options::default()
        };
        let ws = Workspace::new(&ChartFiles::from_pairs([("Chart.yaml", "name: x\n")]), options, String::new());
        let back = decode(&encode(&ws)).unwrap();
        assert_eq!(back, ws);
        assert_eq!(back.options.plugin.uploaded_wasm(), Some(wasm));
    }
}
