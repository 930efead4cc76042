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
    /// `origins=`: the embedding origins that may use the postMessage API
    /// (comma-separated; None: any parent). See `message_policy`.
    pub origins: Option<String>,
    /// `plugins=1`: the embedding page lets the visitor run plugins (after
    /// the visitor agrees); without it an embed never runs one.
    pub plugins: bool,
}

pub use crate::url_query::query_param;

impl EmbedConfig {
    pub fn from_query(query: &str) -> Self {
        let flag = |n: &str| matches!(query_param(query, n).as_deref(), Some("1" | "true" | ""));
        let embed = matches!(query_param(query, "embed").as_deref(), Some("1" | "true"));
        EmbedConfig {
            embed,
            // An embed is for reading: editing is opt-in (`editable=1`);
            // `readonly=1` (older embeds) still wins.
            readonly: embed && (flag("readonly") || !flag("editable")),
            panes: query_param(query, "panes")
                .map(|p| p.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
                .unwrap_or_default(),
            file: query_param(query, "file").filter(|f| !f.is_empty()),
            theme: query_param(query, "theme").filter(|t| t == "light" || t == "dark"),
            options: embed && flag("options"),
            origins: query_param(query, "origins").filter(|_| embed),
            plugins: embed && flag("plugins"),
        }
    }

    /// Who may use the postMessage API (only an embed's parent, see
    /// `message_policy`).
    pub fn message_policy(&self) -> crate::message_policy::MessagePolicy {
        crate::message_policy::MessagePolicy::new(self.embed, self.origins.as_deref())
    }

    /// Plugins may run here (after the visitor's consent): always outside
    /// embeds, in an embed only when the embedding page opted in.
    pub fn plugins_allowed(&self) -> bool {
        !self.embed || self.plugins
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
    /// Load a chart by URL (a `.tgz`, a chart in a Helm repository with
    /// `repo`, an `oci://` reference or a Chartroom bundle), with values
    /// files by URL; every `sha256` given is checked.
    #[serde(rename = "chartroom:load-url")]
    LoadUrl {
        chart: String,
        #[serde(default)]
        sha256: String,
        #[serde(default)]
        repo: String,
        #[serde(default)]
        version: String,
        /// `true`: `chart` is a bundle file (`v2:…`).
        #[serde(default)]
        bundle: bool,
        #[serde(default)]
        values: Vec<UrlValues>,
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

/// A values file by URL in `chartroom:load-url`.
#[derive(Clone, Debug, Deserialize)]
pub struct UrlValues {
    pub url: String,
    #[serde(default)]
    pub sha256: String,
    /// The name shown in the options bar (default: the URL's file name).
    #[serde(default)]
    pub name: String,
}

/// `chartroom:load-url` as a by-reference link (one argument per message
/// field, as the variant destructures them).
#[allow(clippy::too_many_arguments)]
pub fn load_url_link(
    chart: String,
    sha256: String,
    repo: String,
    version: String,
    bundle: bool,
    values: Vec<UrlValues>,
    options: Option<crate::options::Options>,
    open: Option<String>,
) -> crate::remote::RefLink {
    use crate::remote::{ChartRef, FileRef, RefLink, ValuesRef};
    let chart = if chart.starts_with("oci://") {
        ChartRef::Oci { reference: chart, version, sha256 }
    } else if !repo.is_empty() {
        ChartRef::Repo { repo, name: chart, version, sha256 }
    } else if bundle {
        ChartRef::Bundle(FileRef { url: chart, sha256 })
    } else {
        ChartRef::Archive(FileRef { url: chart, sha256 })
    };
    let values = values
        .into_iter()
        .map(|v| ValuesRef {
            name: if v.name.is_empty() {
                v.url.rsplit('/').next().unwrap_or(&v.url).split('?').next().unwrap_or_default().to_string()
            } else {
                v.name
            },
            file: FileRef { url: v.url, sha256: v.sha256 },
        })
        .collect();
    RefLink {
        chart,
        values,
        plugin: None,
        options,
        selected: open.unwrap_or_default(),
        patch: Default::default(),
        pinned: Vec::new(),
    }
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
        assert!(EmbedConfig::from_query("?embed=1").readonly, "read-only by default");
        assert!(!EmbedConfig::from_query("?embed=1&editable=1").readonly);
        assert!(EmbedConfig::from_query("?embed=1&editable=1&readonly=1").readonly);
        let plain = EmbedConfig::from_query("?readonly=1");
        assert!(!plain.embed && !plain.readonly);
        assert!(plain.shows_pane("hooks"));
        assert_eq!(EmbedConfig::from_query("?embed=1&theme=pink").theme, None);
        assert!(plain.plugins_allowed() && !c.plugins_allowed() && c.origins.is_none());
    }

    #[test]
    fn origins_and_plugins_opt_in() {
        let c = EmbedConfig::from_query("?embed=1&plugins=1&origins=https%3A%2F%2Fa.example%2Chttps://b.example:8443");
        assert!(c.plugins && c.plugins_allowed());
        assert_eq!(c.origins.as_deref(), Some("https://a.example,https://b.example:8443"));
        let p = c.message_policy();
        assert_eq!(p.judge(true, "https://b.example:8443"), crate::message_policy::Verdict::Accept);
        assert_eq!(p.judge(true, "https://c.example"), crate::message_policy::Verdict::OriginNotListed);
        // Outside embed mode neither means anything.
        let n = EmbedConfig::from_query("?plugins=1&origins=https://a.example");
        assert!(!n.plugins && n.origins.is_none() && !n.message_policy().listens());
    }

    #[test]
    fn query_values_are_percent_decoded() {
        assert_eq!(query_param("?a=x%20y+z%2Fw", "a").as_deref(), Some("x y z/w"));
        assert_eq!(query_param("?a=100%", "a").as_deref(), Some("100%"));
        assert_eq!(query_param("?a=%zz%4", "a").as_deref(), Some("%zz%4"));
        assert_eq!(query_param("?a=%C3%A9", "a").as_deref(), Some("é"));
        assert_eq!(query_param("?b=1", "a"), None);
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
        let m: Incoming = serde_json::from_str(
            r#"{"type":"chartroom:load-url","chart":"demo","repo":"https://charts.example.com","version":"~1.2","values":[{"url":"v/prod.yaml","sha256":"ab"}]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let Incoming::LoadUrl { chart, sha256, repo, version, bundle, values, options, open } = m else { panic!() };
        let link = load_url_link(chart, sha256, repo, version, bundle, values, options.map(|o| *o), open);
        assert!(
            matches!(link.chart, crate::remote::ChartRef::Repo { ref name, ref version, .. } if name == "demo" && version == "~1.2")
        );
        assert_eq!(link.values[0].name, "prod.yaml");
        assert_eq!(link.values[0].file.sha256, "ab");
    }
}
