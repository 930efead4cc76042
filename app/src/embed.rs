//! Embed mode (`?embed=1`) settings from the query string, and the
//! postMessage API's message types (documented in docs/embed.md).

use serde::{Deserialize, Serialize};

/// What the embedding page asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedConfig {
    pub embed: bool,
    pub readonly: bool,
    /// Pane ids to show (empty: all).
    pub panes: Vec<String>,
    /// File to open first.
    pub file: Option<String>,
    pub theme: Option<String>,
    /// Show the options bar too.
    pub options: bool,
}

/// `?a=1&b=x` → value of `name` (no percent-decoding beyond `%2F`, `%2C`, `+`).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    let q = query.strip_prefix('?').unwrap_or(query);
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| {
            v.replace('+', " ").replace("%2F", "/").replace("%2f", "/").replace("%2C", ",").replace("%2c", ",")
        })
    })
}

impl EmbedConfig {
    pub fn from_query(query: &str) -> Self {
        let flag = |n: &str| matches!(query_param(query, n).as_deref(), Some("1" | "true" | ""));
        let embed = matches!(query_param(query, "embed").as_deref(), Some("1" | "true"));
        EmbedConfig {
            embed,
            readonly: embed && flag("readonly"),
            panes: query_param(query, "panes")
                .map(|p| p.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
                .unwrap_or_default(),
            file: query_param(query, "file").filter(|f| !f.is_empty()),
            theme: query_param(query, "theme").filter(|t| t == "light" || t == "dark"),
            options: embed && flag("options"),
        }
    }

    pub fn shows_pane(&self, id: &str) -> bool {
        self.panes.is_empty() || self.panes.iter().any(|p| p == id)
    }
}

/// Messages an embedding page sends (`{"type": "chartroom:load", ...}`).
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type")]
pub enum Incoming {
    /// Replace the chart (path → text), optionally the options and the open file.
    #[serde(rename = "chartroom:load")]
    Load {
        files: std::collections::BTreeMap<String, String>,
        #[serde(default)]
        options: Option<Box<crate::options::Options>>,
        #[serde(default)]
        open: Option<String>,
    },
    /// Ask for the current output; answered with `chartroom:output`.
    #[serde(rename = "chartroom:get-output")]
    GetOutput {
        #[serde(default)]
        id: Option<serde_json::Value>,
    },
}

/// Messages the playground sends to the embedding page.
#[derive(Clone, Debug, Serialize)]
pub struct Outgoing {
    /// "chartroom:rendered" after every shown render, "chartroom:output" as an answer.
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    pub manifest: String,
    pub notes: String,
    /// Helm's error text when the newest render failed.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parsing() {
        let c = EmbedConfig::from_query("?embed=1&readonly=1&panes=manifest,notes&file=templates%2Fa.yaml&theme=light");
        assert!(c.embed && c.readonly && !c.options);
        assert_eq!(c.panes, ["manifest", "notes"]);
        assert_eq!(c.file.as_deref(), Some("templates/a.yaml"));
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert!(c.shows_pane("notes") && !c.shows_pane("hooks"));
        let plain = EmbedConfig::from_query("?readonly=1");
        assert!(!plain.embed && !plain.readonly);
        assert!(plain.shows_pane("hooks"));
        assert_eq!(EmbedConfig::from_query("?embed=1&theme=pink").theme, None);
    }

    #[test]
    fn messages() {
        let m: Incoming =
            serde_json::from_str(r#"{"type":"chartroom:load","files":{"Chart.yaml":"x"},"open":"Chart.yaml"}"#)
                .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(m, Incoming::Load { ref files, .. } if files.len() == 1));
        let m: Incoming =
            serde_json::from_str(r#"{"type":"chartroom:get-output","id":7}"#).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(m, Incoming::GetOutput { id: Some(_) }));
        assert!(serde_json::from_str::<Incoming>(r#"{"type":"other"}"#).is_err());
    }
}
