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
    /// `--set-string`, one argument per line.
    pub set_string: String,
    /// `--set-json`, one argument per line.
    pub set_json: String,
    /// `--set-literal`, one argument per line.
    pub set_literal: String,
    /// `--set-file key=path`, one argument per line; paths name workspace
    /// files (relative to the chart root).
    pub set_file: String,
    /// Reproducibility (Chartroom only; Helm is random and current): the
    /// random functions' seed is fixed when on.
    pub fixed_seed: bool,
    /// The fixed seed, as typed (a whole number).
    pub seed: String,
    /// `now` is fixed when on.
    pub fixed_now: bool,
    /// The fixed clock, as typed (RFC 3339).
    pub now: String,
    /// Objects `lookup` finds (YAML documents, or `kind: List`); empty: none,
    /// as with `helm template`.
    pub mock_cluster: String,
    /// The Helm release whose output is reproduced (`4.2.3` or `4.2.4`;
    /// a link without it is v4.2.3's).
    pub helm_version: String,
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
            set_string: String::new(),
            set_json: String::new(),
            set_literal: String::new(),
            set_file: String::new(),
            fixed_seed: false,
            seed: "1".into(),
            fixed_now: false,
            now: "2025-01-01T00:00:00Z".into(),
            mock_cluster: String::new(),
            helm_version: DEFAULT_HELM_VERSION.into(),
        }
    }
}

/// The Helm releases the page can reproduce, the default first.
pub const HELM_VERSIONS: [&str; 2] = ["4.2.3", "4.2.4"];
pub const DEFAULT_HELM_VERSION: &str = HELM_VERSIONS[0];

/// Editor key of the mock cluster (never a chart path or a values key).
pub const MOCK_CLUSTER_KEY: &str = "-mock-cluster";
/// Editor key of the chosen plugin's plugin.yaml.
pub const PLUGIN_YAML_KEY: &str = "-plugin-yaml";

use chartroom_engine::error::{Error, Kind};
use chartroom_engine::gofmt::civil;

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    civil::days_from_civil(y, m as u32, d as u32)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    i64::from(civil::days_in_month(y, m as u32))
}

/// An RFC 3339 date-time (`2024-02-29T12:34:56.5+02:00`, `Z`, lower-case
/// `t`/`z` or a space also accepted) → Unix nanoseconds.
pub fn parse_rfc3339(s: &str) -> Result<i128, Error> {
    let bad = || Error::new(Kind::Cli, format!("{s:?} is not an RFC 3339 time like 2025-01-01T00:00:00Z"));
    let b = s.trim().as_bytes();
    let num = |r: std::ops::Range<usize>| -> Result<i64, Error> {
        let part = b.get(r).ok_or_else(bad)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return Err(bad());
        }
        std::str::from_utf8(part).map_err(|_| bad())?.parse::<i64>().map_err(|_| bad())
    };
    let sep = |i: usize, ok: &[u8]| b.get(i).is_some_and(|c| ok.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return Err(bad());
    }
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59 {
        return Err(bad());
    }
    let mut i = 19;
    let mut nanos: i128 = 0;
    if sep(i, b".") {
        let start = i + 1;
        let mut end = start;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end == start || end - start > 9 {
            return Err(bad());
        }
        nanos = i128::from(num(start..end)?) * 10i128.pow((9 - (end - start)) as u32);
        i = end;
    }
    let offset_s = match b.get(i..) {
        Some(b"Z" | b"z") => 0,
        Some([sign @ (b'+' | b'-'), ..]) if b.len() == i + 6 && sep(i + 3, b":") => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return Err(bad());
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return Err(bad()),
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - offset_s;
    Ok(i128::from(secs) * 1_000_000_000 + nanos)
}

/// Non-empty trimmed lines.
fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Lines, each also split at commas (Helm's StringSlice flags split values at
/// commas: `--api-versions a,b` is two versions).
fn comma_lines(s: &str) -> Vec<String> {
    s.lines().flat_map(|l| l.split(',')).map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

pub use crate::shell::shell_quote;

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

    pub fn set_string_args(&self) -> Vec<String> {
        lines(&self.set_string)
    }

    pub fn set_json_args(&self) -> Vec<String> {
        lines(&self.set_json)
    }

    pub fn set_literal_args(&self) -> Vec<String> {
        lines(&self.set_literal)
    }

    pub fn set_file_args(&self) -> Vec<String> {
        lines(&self.set_file)
    }

    /// The option field and line text an engine error marks as `--set`
    /// (or its kin) line `n` (from 1, counted among the lines sent), or as
    /// `--kube-version` (one line).
    pub fn option_line(&self, flag: &str, n: u64) -> Option<(&'static str, String)> {
        let (id, args) = match flag {
            "--set" => ("set", self.set_args()),
            "--set-string" => ("set-string", self.set_string_args()),
            "--set-json" => ("set-json", self.set_json_args()),
            "--set-literal" => ("set-literal", self.set_literal_args()),
            "--set-file" => ("set-file", self.set_file_args()),
            "--kube-version" => ("kube-version", vec![self.kube_version.trim().to_string()]),
            _ => return None,
        };
        let line = args.into_iter().nth(usize::try_from(n).ok()?.checked_sub(1)?)?;
        Some((id, line))
    }

    /// The fixed seed when on (Err: not a whole number).
    pub fn seed_value(&self) -> Result<Option<u64>, Error> {
        if !self.fixed_seed {
            return Ok(None);
        }
        let t = self.seed.trim();
        t.parse::<u64>().map(Some).map_err(|_| {
            Error::new(Kind::Cli, format!("fixed seed: {t:?} is not a whole number from 0 to {}", u64::MAX))
        })
    }

    /// The fixed clock when on, as Unix nanoseconds.
    pub fn now_value(&self) -> Result<Option<i128>, Error> {
        if !self.fixed_now {
            return Ok(None);
        }
        parse_rfc3339(&self.now).map(Some).map_err(|e| e.wrap("fixed clock: "))
    }

    /// The mock cluster's YAML when there is one.
    pub fn mock_cluster_opt(&self) -> Option<String> {
        (!self.mock_cluster.trim().is_empty()).then(|| self.mock_cluster.clone())
    }

    /// How many of the options the bar keeps behind "More options" are in
    /// use, so a folded bar still shows that they apply.
    pub fn more_options_in_use(&self) -> usize {
        let texts = [
            &self.kube_version,
            &self.api_versions,
            &self.set_string,
            &self.set_json,
            &self.set_literal,
            &self.set_file,
        ];
        texts.iter().filter(|t| !t.trim().is_empty()).count()
            + usize::from(self.fixed_seed)
            + usize::from(self.fixed_now)
            + usize::from(self.helm_version != DEFAULT_HELM_VERSION)
    }

    /// The settings `helm template` has no flag for, as a shell comment for
    /// the command line ("# Chartroom only: fixed seed 7, …").
    pub fn chartroom_only_note(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.fixed_seed {
            parts.push(format!("fixed seed {}", self.seed.trim()));
        }
        if self.fixed_now {
            parts.push(format!("fixed clock {}", self.now.trim()));
        }
        if self.mock_cluster_opt().is_some() {
            parts.push("mock cluster for lookup".to_string());
        }
        if self.helm_version != DEFAULT_HELM_VERSION {
            parts.push(format!("output of Helm v{}", self.helm_version));
        }
        (!parts.is_empty()).then(|| format!("# Chartroom only: {}", parts.join(", ")))
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
        // In the order Helm merges them (values.Options.MergeValues).
        for (flag, args) in [
            ("--set-json", self.set_json_args()),
            ("--set", self.set_args()),
            ("--set-string", self.set_string_args()),
            ("--set-file", self.set_file_args()),
            ("--set-literal", self.set_literal_args()),
        ] {
            for s in args {
                w.push(flag.into());
                w.push(shell_quote(&s));
            }
        }
        w.join(" ")
    }
}

/// The worker protocol knows no page state: a job is made from the options
/// here, where they live.
impl crate::protocol::RenderJob {
    /// A job for the given workspace parts.
    pub fn new(seq: u64, files: Vec<(String, Vec<u8>)>, o: &Options) -> Self {
        crate::protocol::RenderJob {
            seq,
            files,
            release_name: o.release_name.clone(),
            namespace: o.namespace.clone(),
            values_files: o.values_files.iter().map(|v| (v.name.clone(), v.text.as_bytes().to_vec())).collect(),
            set: o.set_args(),
            kube_version: o.kube_version_opt(),
            api_versions: o.api_versions_list(),
            is_upgrade: o.is_upgrade,
            include_crds: o.include_crds,
            skip_tests: o.skip_tests,
            show_only: o.show_only_list(),
            max_steps: crate::protocol::MAX_STEPS,
            max_memory: crate::protocol::MAX_MEMORY,
            plugin: None,
            set_string: o.set_string_args(),
            set_json: o.set_json_args(),
            set_literal: o.set_literal_args(),
            set_file: o.set_file_args(),
            seed: o.seed_value().ok().flatten(),
            now_unix_nanos: o.now_value().ok().flatten(),
            mock_cluster: o.mock_cluster_opt(),
            option_error: o.seed_value().err().or_else(|| o.now_value().err()).map(|e| e.message),
            helm_version: o.helm_version.clone(),
            timeout_ms: Some(crate::protocol::PAGE_TIMEOUT_MS),
            kept: Vec::new(),
            explain_values: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_json_literal_and_file_reach_the_values() {
        let files: Vec<(String, Vec<u8>)> = vec![
            ("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec()),
            ("files/cfg.txt".into(), b"x: 1\n".to_vec()),
            (
                "templates/t.yaml".into(),
                b"j: {{ toJson .Values.a }}\nl: {{ .Values.l | quote }}\nf: {{ .Values.f | quote }}\n".to_vec(),
            ),
        ];
        let o = Options {
            set_json: "a={\"b\":[1,2]}".into(),
            set_literal: "l=p,q".into(),
            set_file: "f=files/cfg.txt".into(),
            ..Options::default()
        };
        let out = crate::protocol::RenderJob::new(1, files.clone(), &o).run().expect("render");
        assert!(out.manifest.contains("j: {\"b\":[1,2]}\nl: \"p,q\"\nf: \"x: 1\\n\"\n"), "{}", out.manifest);
        let o = Options { set_file: "f=files/missing.txt".into(), ..Options::default() };
        let err = crate::protocol::RenderJob::new(1, files, &o).run().expect_err("missing file");
        assert!(err.message.contains("files/missing.txt"), "{}", err.message);
    }

    /// An error the engine marks at an option (its file field names the
    /// flag) leads to that option's field and line.
    #[test]
    fn option_errors_lead_to_their_field() {
        let files: Vec<(String, Vec<u8>)> = vec![
            ("Chart.yaml".into(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec()),
            ("templates/t.yaml".into(), b"a: 1\n".to_vec()),
        ];
        let o = Options { kube_version: "banana".into(), ..Options::default() };
        let err = crate::protocol::RenderJob::new(1, files.clone(), &o).run().expect_err("bad kube version");
        assert_eq!(err.message, "invalid kube version 'banana': could not parse \"banana\" as version");
        let (file, line) = (err.file.expect("marked"), err.line.expect("line"));
        assert_eq!(o.option_line(&file, line), Some(("kube-version", "banana".to_string())));
        let o = Options { set: "a=1\nb".into(), ..Options::default() };
        let err = crate::protocol::RenderJob::new(1, files, &o).run().expect_err("bad --set");
        let (file, line) = (err.file.expect("marked"), err.line.expect("line"));
        assert_eq!(o.option_line(&file, line), Some(("set", "b".to_string())));
    }

    #[test]
    fn default_command_is_minimal() {
        assert_eq!(Options::default().helm_command("."), "helm template release-name .");
    }

    /// The Helm version: v4.2.3 unless chosen; another one counts as a
    /// folded option and is noted under the command (real `helm template`
    /// of that release prints the same).
    #[test]
    fn helm_version_default_note_and_count() {
        let mut o = Options::default();
        assert_eq!(o.helm_version, "4.2.3");
        assert_eq!(o.chartroom_only_note(), None);
        o.helm_version = "4.2.4".into();
        assert_eq!(o.more_options_in_use(), 1);
        assert_eq!(o.chartroom_only_note().as_deref(), Some("# Chartroom only: output of Helm v4.2.4"));
        // A saved workspace or link from before the switch reads as v4.2.3.
        let old: Options = serde_json::from_str(r#"{"release_name":"r"}"#).unwrap();
        assert_eq!(old.helm_version, "4.2.3");
    }

    #[test]
    fn more_options_in_use_counts_the_folded_options() {
        let mut o = Options::default();
        assert_eq!(o.more_options_in_use(), 0);
        // Options shown in the main row do not count.
        o.set = "a=1".into();
        o.skip_tests = true;
        assert_eq!(o.more_options_in_use(), 0);
        o.kube_version = "1.29.0".into();
        o.set_json = "  \n".into();
        o.fixed_now = true;
        assert_eq!(o.more_options_in_use(), 2);
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
    fn set_flags_in_helm_merge_order_and_chartroom_only_note() {
        let o = Options {
            set: "a=1".into(),
            set_string: "b=007\n".into(),
            set_json: "c={\"x\":[1,2]}".into(),
            set_literal: "d=a,b".into(),
            set_file: "e=files/e.txt".into(),
            ..Options::default()
        };
        assert_eq!(
            o.helm_command("."),
            "helm template release-name . --set-json 'c={\"x\":[1,2]}' --set a=1 --set-string b=007 --set-file e=files/e.txt --set-literal d=a,b"
        );
        assert_eq!(o.chartroom_only_note(), None);
        let o = Options {
            fixed_seed: true,
            seed: " 42 ".into(),
            fixed_now: true,
            now: "2024-02-29T12:34:56+02:00".into(),
            mock_cluster: "kind: Secret\n".into(),
            ..Options::default()
        };
        assert_eq!(o.helm_command("."), "helm template release-name .");
        assert_eq!(
            o.chartroom_only_note().as_deref(),
            Some("# Chartroom only: fixed seed 42, fixed clock 2024-02-29T12:34:56+02:00, mock cluster for lookup")
        );
        assert_eq!(o.seed_value(), Ok(Some(42)));
        // GNU date: `date -d '2024-02-29T12:34:56+02:00' +%s` = 1709202896.
        assert_eq!(o.now_value(), Ok(Some(1_709_202_896_000_000_000)));
        assert!(o.mock_cluster_opt().is_some());
        let off = Options { seed: "x".into(), now: "y".into(), mock_cluster: " \n".into(), ..Options::default() };
        assert_eq!((off.seed_value(), off.now_value(), off.mock_cluster_opt()), (Ok(None), Ok(None), None));
        let bad = Options { fixed_seed: true, seed: "-1".into(), fixed_now: true, now: "yesterday".into(), ..off };
        assert!(bad.seed_value().is_err_and(|e| e.message.contains("not a whole number")));
        assert!(bad.now_value().is_err_and(|e| e.message.contains("not an RFC 3339 time")));
    }

    #[test]
    fn rfc3339_times() {
        // Expected values: GNU date +%s (and +%N) on the same strings.
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_rfc3339("1969-12-31T23:59:59Z"), Ok(-1_000_000_000));
        assert_eq!(parse_rfc3339("2000-01-01T00:00:00Z"), Ok(946_684_800_000_000_000));
        assert_eq!(parse_rfc3339("2000-01-01t00:00:00.5z"), Ok(946_684_800_500_000_000));
        assert_eq!(parse_rfc3339("2000-01-01 01:30:00.000000001+01:30"), Ok(946_684_800_000_000_001));
        for bad in [
            "",
            "2000-01-01",
            "2000-13-01T00:00:00Z",
            "2001-02-29T00:00:00Z",
            "2000-01-01T24:00:00Z",
            "2000-01-01T00:00:00",
            "2000-01-01T00:00:00+0100",
            "2000-01-01T00:00:00.Z",
            "2000-01-01T00:00:00.1234567890Z",
            "20000-01-01T00:00:00Z",
            "２000-01-01T00:00:00Z",
        ] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z").map(|n| n / 1_000_000_000), Ok(951_782_400));
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("a=b,c"), "a=b,c");
        assert_eq!(shell_quote("$x"), "'$x'");
    }
}
