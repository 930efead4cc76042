//! The whole workspace as one string: share links (`#v1:…` in the URL
//! fragment), bundle files and autosave all use this format.
//!
//! `v1:` + base64url (no padding) of the raw-deflate of a compact JSON
//! document. The version prefix lets later formats coexist; a link that does
//! not decode is reported with a reason and never touches the current work.

use serde::{Deserialize, Serialize};

use crate::files::ChartFiles;
use crate::options::Options;

pub const PREFIX: &str = "v1:";

/// Longest fragment we put in a link. Browsers accept more, but chat tools,
/// mail clients and servers' logs cut long URLs; beyond this, a bundle file.
pub const MAX_LINK_CHARS: usize = 32_000;

/// Everything needed to reproduce a render.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// Chart files (path, text), in display order.
    pub files: Vec<(String, String)>,
    pub options: Options,
    /// The file open in the editor (not needed for the output; restored for comfort).
    #[serde(default)]
    pub selected: String,
}

impl Workspace {
    pub fn new(files: &ChartFiles, options: Options, selected: String) -> Self {
        Workspace { files: files.iter().map(|f| (f.path.clone(), f.text.clone())).collect(), options, selected }
    }

    pub fn chart_files(&self) -> ChartFiles {
        ChartFiles::from_pairs(self.files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
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
                write!(f, "unknown share format {p:?} (this version of Chartroom reads \"v1:\")")
            }
            DecodeError::BadBase64(at) => write!(f, "the link is corrupt (invalid character at position {at})"),
            DecodeError::BadDeflate(e) => write!(f, "the link is truncated or corrupt (decompression failed: {e})"),
            DecodeError::BadJson(e) => write!(f, "the link is corrupt (bad workspace data: {e})"),
        }
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn b64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'-' | b'+' => Some(62),
        b'_' | b'/' => Some(63),
        _ => None,
    }
}

/// Decodes base64url (standard alphabet and padding also accepted).
pub fn b64url_decode(s: &str) -> Result<Vec<u8>, DecodeError> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for (i, c) in s.bytes().enumerate() {
        let v = b64_value(c).ok_or(DecodeError::BadBase64(i))?;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone trailing character carries fewer than 8 bits: a cut link.
    if bits >= 6 {
        return Err(DecodeError::BadBase64(s.len()));
    }
    Ok(out)
}

/// Workspace → `v1:…`, as small as deflate makes it (links, bundles).
pub fn encode(ws: &Workspace) -> String {
    encode_level(ws, 9)
}

/// Workspace → `v1:…` with deflate level `level` (1: fastest; autosave of a
/// big chart must not stall typing). Any level decodes the same way.
pub fn encode_level(ws: &Workspace, level: u8) -> String {
    let json = serde_json::to_vec(ws).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, level);
    format!("{PREFIX}{}", b64url_encode(&packed))
}

/// `v1:…` (with or without a leading `#`) → workspace.
pub fn decode(s: &str) -> Result<Workspace, DecodeError> {
    let s = s.trim();
    let s = s.strip_prefix('#').unwrap_or(s);
    let Some(body) = s.strip_prefix(PREFIX) else {
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
        assert!(s.starts_with("v1:"));
        assert_eq!(decode(&s), Ok(ws.clone()));
        assert_eq!(decode(&format!("#{s}")), Ok(ws.clone()));
        assert_eq!(decode(&encode_level(&ws, 1)), Ok(ws));
    }

    #[test]
    fn truncated_or_corrupt_links_are_errors() {
        let s = encode(&sample());
        for cut in [s.len() - 1, s.len() - 5, s.len() / 2, 4] {
            assert!(decode(&s[..cut]).is_err(), "cut at {cut}");
        }
        assert!(matches!(decode("v1:ab$cd"), Err(DecodeError::BadBase64(2))));
        assert!(matches!(decode("v9:abcd"), Err(DecodeError::UnknownVersion(_))));
        assert!(matches!(decode(""), Err(DecodeError::UnknownVersion(_))));
        // Valid deflate of something that is not a workspace.
        let junk = format!("v1:{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9)));
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
        let mut options = Options::default();
        options.plugin = PluginSettings { args: "team=web".into(), profile: "documented".into(), ..PluginSettings::uploaded("name: p\n", &wasm) };
        let ws = Workspace::new(&ChartFiles::from_pairs([("Chart.yaml", "name: x\n")]), options, String::new());
        let back = decode(&encode(&ws)).unwrap();
        assert_eq!(back, ws);
        assert_eq!(back.options.plugin.uploaded_wasm(), Some(wasm));
    }
}
