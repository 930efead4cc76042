//! `helm template`'s flags as the options bar holds them, and the equivalent
//! command line. Pure logic, tested natively.

use serde::{Deserialize, Serialize};

/// One user values file (`-f NAME`), in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValuesFile {
    pub name: String,
    pub text: String,
}

/// The options bar. Multi-valued flags are kept as the text the user typed
/// (one entry per line) so the fields round-trip exactly through autosave and
/// share links.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    pub release_name: String,
    pub namespace: String,
    /// `--kube-version` (empty: Helm's default).
    pub kube_version: String,
    /// `--api-versions`, one per line (or comma-separated, like Helm).
    pub api_versions: String,
    pub is_upgrade: bool,
    pub include_crds: bool,
    pub skip_tests: bool,
    /// `--show-only`, one template path per line.
    pub show_only: String,
    /// `--set`, one argument per line.
    pub set: String,
    /// `-f`, in order.
    pub values_files: Vec<ValuesFile>,
    /// `--post-renderer` / the plugin panel (crate::plugin_state).
    pub plugin: crate::plugin_state::PluginSettings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            release_name: "release-name".into(),
            namespace: "default".into(),
            kube_version: String::new(),
            api_versions: String::new(),
            is_upgrade: false,
            include_crds: false,
            skip_tests: false,
            show_only: String::new(),
            set: String::new(),
            values_files: Vec::new(),
            plugin: Default::default(),
        }
    }
}

/// Non-empty trimmed lines.
fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Lines, each also split at commas (Helm's StringSlice flags split values at
/// commas: `--api-versions a,b` is two versions).
fn comma_lines(s: &str) -> Vec<String> {
    s.lines()
        .flat_map(|l| l.split(','))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Quotes a word for a POSIX shell only when it needs it.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+'));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Selection key of a values file in the editor (never a chart path: chart
/// paths do not start with '-').
pub fn values_key(name: &str) -> String {
    format!("-f:{name}")
}

pub fn values_name(key: &str) -> Option<&str> {
    key.strip_prefix("-f:")
}

impl Options {
    /// Adds an empty `-f` file after the others; returns its name.
    pub fn add_values_file(&mut self, input: &str) -> Result<String, crate::files::FileOpError> {
        use crate::files::FileOpError;
        let name = input.trim();
        if name.is_empty() {
            return Err(FileOpError::EmptyName);
        }
        let ok = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
        if !ok || name.starts_with('.') {
            return Err(FileOpError::BadName(name.to_string()));
        }
        if self.values_files.iter().any(|v| v.name == name) {
            return Err(FileOpError::Exists(name.to_string()));
        }
        self.values_files.push(ValuesFile { name: name.to_string(), text: String::new() });
        Ok(name.to_string())
    }

    pub fn values_text(&self, name: &str) -> Option<&str> {
        self.values_files.iter().find(|v| v.name == name).map(|v| v.text.as_str())
    }

    pub fn set_values_text(&mut self, name: &str, text: String) {
        if let Some(v) = self.values_files.iter_mut().find(|v| v.name == name) {
            v.text = text;
        }
    }

    pub fn remove_values_file(&mut self, name: &str) {
        self.values_files.retain(|v| v.name != name);
    }

    pub fn set_args(&self) -> Vec<String> {
        lines(&self.set)
    }

    pub fn api_versions_list(&self) -> Vec<String> {
        comma_lines(&self.api_versions)
    }

    /// `--show-only` is a StringArray in Helm: no comma splitting.
    pub fn show_only_list(&self) -> Vec<String> {
        lines(&self.show_only)
    }

    pub fn kube_version_opt(&self) -> Option<String> {
        let k = self.kube_version.trim();
        (!k.is_empty()).then(|| k.to_string())
    }

    /// The `helm template` command that renders the same thing, for a chart
    /// in directory `chart_dir` and the values files saved under their names.
    pub fn helm_command(&self, chart_dir: &str) -> String {
        let mut w: Vec<String> = vec!["helm".into(), "template".into()];
        w.push(shell_quote(&self.release_name));
        w.push(shell_quote(chart_dir));
        if self.namespace != "default" {
            w.push("--namespace".into());
            w.push(shell_quote(&self.namespace));
        }
        if let Some(k) = self.kube_version_opt() {
            w.push("--kube-version".into());
            w.push(shell_quote(&k));
        }
        for a in self.api_versions_list() {
            w.push("--api-versions".into());
            w.push(shell_quote(&a));
        }
        if self.is_upgrade {
            w.push("--is-upgrade".into());
        }
        if self.include_crds {
            w.push("--include-crds".into());
        }
        if self.skip_tests {
            w.push("--skip-tests".into());
        }
        for s in self.show_only_list() {
            w.push("--show-only".into());
            w.push(shell_quote(&s));
        }
        for f in &self.values_files {
            w.push("-f".into());
            w.push(shell_quote(&f.name));
        }
        for s in self.set_args() {
            w.push("--set".into());
            w.push(shell_quote(&s));
        }
        w.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_command_is_minimal() {
        assert_eq!(Options::default().helm_command("."), "helm template release-name .");
    }

    #[test]
    fn every_flag_in_helm_spelling_and_order() {
        let o = Options {
            release_name: "demo".into(),
            namespace: "prod".into(),
            kube_version: " 1.30.0 ".into(),
            api_versions: "monitoring.coreos.com/v1\n\napps/v1, batch/v1".into(),
            is_upgrade: true,
            include_crds: true,
            skip_tests: true,
            show_only: "templates/service.yaml\n".into(),
            set: "replicaCount=3\n  \nimage.tag=it's".into(),
            values_files: vec![
                ValuesFile { name: "prod.yaml".into(), text: String::new() },
                ValuesFile { name: "my values.yaml".into(), text: String::new() },
            ],
            ..Options::default()
        };
        assert_eq!(
            o.helm_command("./hello-world"),
            "helm template demo ./hello-world --namespace prod --kube-version 1.30.0 \
             --api-versions monitoring.coreos.com/v1 --api-versions apps/v1 --api-versions batch/v1 \
             --is-upgrade --include-crds --skip-tests --show-only templates/service.yaml \
             -f prod.yaml -f 'my values.yaml' --set replicaCount=3 --set 'image.tag=it'\\''s'"
        );
        assert_eq!(o.set_args(), ["replicaCount=3", "image.tag=it's"]);
        assert_eq!(o.api_versions_list().len(), 3);
    }

    #[test]
    fn values_files_keep_order_and_refuse_bad_names() {
        let mut o = Options::default();
        assert_eq!(o.add_values_file(" b.yaml "), Ok("b.yaml".into()));
        assert_eq!(o.add_values_file("a.yaml"), Ok("a.yaml".into()));
        assert!(o.add_values_file("a.yaml").is_err());
        assert!(o.add_values_file("../x").is_err());
        assert!(o.add_values_file("").is_err());
        o.set_values_text("a.yaml", "x: 1\n".into());
        assert_eq!(o.values_text("a.yaml"), Some("x: 1\n"));
        assert_eq!(o.helm_command("."), "helm template release-name . -f b.yaml -f a.yaml");
        o.remove_values_file("b.yaml");
        assert_eq!(o.values_files.len(), 1);
        assert_eq!(values_name(&values_key("a.yaml")), Some("a.yaml"));
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("a=b,c"), "a=b,c");
        assert_eq!(shell_quote("$x"), "'$x'");
    }
}
