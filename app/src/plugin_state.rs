//! The plugin panel's state, as saved in the workspace (autosave and share
//! links), and the pure logic behind the panel: the limits table under both
//! profiles, the `--post-renderer` flags of the command line, the mock HTTP
//! table, the line diff of a post-renderer's input and output, and the
//! sha256 check of a bundled plugin referenced by a link. Tested natively.

use serde::{Deserialize, Serialize};

// Only the profile's names: plugin.yaml is parsed, and its limits computed,
// by the render worker (`worker_tasks`), so the page links no engine code.
use chartroom_engine::plugin::limits::Profile;

use crate::protocol::{CapEvent, LimitSummary, MockHttpEntry, PluginInfo, PluginJob, RunEnd, RunLimit};
use crate::shell::shell_quote;

/// The example plugins shipped in `public/plugins/<name>/` (copied to
/// `dist/plugins/` by trunk). Sources and expected outcomes: plugins/README.md.
pub const BUNDLED: &[(&str, &str, &str)] = &[
    ("add-labels", "postrenderer/v1", "adds a label to every document"),
    ("no-privileged", "postrenderer/v1", "policy: rejects privileged containers"),
    ("tight-loop", "postrenderer/v1", "never returns (timeout 200 ms)"),
    ("memory-bomb", "postrenderer/v1", "allocates until maxPages (64) refuses"),
    ("denied-host", "cli/v1", "HTTP to a host outside allowedHosts"),
    ("var-overflow", "cli/v1", "fills vars until maxVarBytes"),
    ("tmp-write", "cli/v1", "writes /tmp without createTempDir"),
    ("trap", "cli/v1", "executes unreachable"),
    ("as-add-annotation", "postrenderer/v1", "AssemblyScript: adds an annotation to every document"),
    ("deep-recursion", "cli/v1", "recurses until the call stack is exhausted"),
    ("output-flood", "cli/v1", "floods its output until the host's cap stops it"),
    ("large-response", "cli/v1", "HTTP response larger than maxHttpResponseBytes (mock it)"),
    ("undeclared-host-fn", "cli/v1", "imports a host function Helm does not provide"),
    ("hello-cli", "cli/v1", "prints its args and Helm's environment"),
    ("compute", "cli/v1", "counts primes (an interpreter speed test)"),
    ("getter", "getter/v1", "serves example:// artefacts (Run; the first argument is the URL)"),
    ("list-tmp", "getter/v1", "fills and lists its temp dir (createTempDir; Run with a tmp:// URL)"),
];

/// The plugin settings of a workspace. Every field defaults, so links and
/// autosaves written before plugins existed still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct PluginSettings {
    /// A bundled example by name ("" when uploaded or none).
    pub bundled: String,
    /// sha256 (hex) of the bundled example's plugin.wasm when it was chosen:
    /// a link opened after the file changed says so.
    pub sha256: String,
    /// An uploaded plugin.wasm, base64url (empty for a bundled one).
    pub wasm_b64: String,
    /// plugin.yaml as edited.
    pub yaml: String,
    /// `--post-renderer` on (cli/v1 plugins run with the Run button instead).
    pub enabled: bool,
    /// `--post-renderer-args` (cli/v1: the plugin's arguments), one per line.
    pub args: String,
    /// `helm-4.2` (also when empty) or `documented`.
    pub profile: String,
    /// Total fuel budget (empty: none, as in Helm).
    pub fuel_budget: String,
    /// Mock HTTP responses, one per line: `URL STATUS [BODY]`.
    pub mock_http: String,
    /// The plugin came with a workspace from elsewhere (a link, a bundle, an
    /// import, an embedding page) and the user has not agreed to run it yet:
    /// renders leave it out until then. Kept in the autosave, so a reload
    /// does not count as consent; forced on whenever a workspace comes from
    /// outside (`require_consent`), whatever the link says. Not written
    /// when false, so links keep their old form.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub needs_consent: bool,
}

/// Why the settings cannot make a job (shown in the panel).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    BadFuel(String),
    BadMock { line: usize, reason: String },
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsError::BadFuel(s) => write!(f, "fuel budget {s:?} is not a whole number"),
            SettingsError::BadMock { line, reason } => write!(f, "mock HTTP line {line}: {reason}"),
        }
    }
}

impl PluginSettings {
    /// Settings for a bundled example whose files were just fetched
    /// (`sha256`: of its plugin.wasm, hex, computed by the worker).
    pub fn bundled(name: &str, yaml: &str, sha256: String) -> Self {
        PluginSettings {
            bundled: name.to_string(),
            sha256,
            yaml: yaml.to_string(),
            enabled: true,
            ..PluginSettings::default()
        }
    }

    /// Settings for an uploaded plugin (the wasm travels in the workspace).
    pub fn uploaded(yaml: &str, wasm: &[u8]) -> Self {
        PluginSettings {
            wasm_b64: crate::base64url::b64url_encode(wasm),
            yaml: yaml.to_string(),
            enabled: true,
            ..PluginSettings::default()
        }
    }

    /// A workspace from elsewhere: a plugin that would run on its own (an
    /// uploaded one, or a bundled one enabled as post-renderer) waits for
    /// the user's consent. A bundled plugin left off runs only when the
    /// user switches it on or presses Run.
    pub fn require_consent(&mut self) {
        self.needs_consent = !self.wasm_b64.is_empty() || (!self.bundled.is_empty() && self.enabled);
    }

    /// What the consent prompt lists: the plugin.yaml's limits under the
    /// chosen profile, the capabilities first (key, value in force).
    pub fn consent_terms(&self, info: Option<&PluginInfo>) -> Vec<(String, String)> {
        let Some(i) = self.info(info) else { return Vec::new() };
        let documented = self.profile() == Profile::Documented;
        let order = |k: &str| match k {
            "allowedHosts" => 0,
            "fileSystem.createTempDir" => 1,
            _ => 2,
        };
        let mut rows: Vec<_> = i.rows.iter().collect();
        rows.sort_by_key(|r| order(&r.key));
        rows.into_iter()
            .map(|r| (r.key.clone(), if documented { r.documented.clone() } else { r.helm42.clone() }))
            .collect()
    }

    /// A plugin is chosen (bundled or uploaded).
    pub fn has_plugin(&self) -> bool {
        !self.bundled.is_empty() || !self.wasm_b64.is_empty()
    }

    pub fn profile(&self) -> Profile {
        Profile::parse(self.profile.trim()).unwrap_or_default()
    }

    pub fn args_list(&self) -> Vec<String> {
        self.args.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
    }

    pub fn fuel_budget(&self) -> Result<Option<u64>, SettingsError> {
        let t = self.fuel_budget.trim().replace('_', "");
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<u64>().map(Some).map_err(|_| SettingsError::BadFuel(self.fuel_budget.trim().to_string()))
    }

    pub fn mock_entries(&self) -> Result<Vec<MockHttpEntry>, SettingsError> {
        parse_mock(&self.mock_http)
    }

    /// The worker's description of this plugin.yaml, when `info` is it
    /// (None while the worker has not answered for the current text).
    pub fn info<'a>(&self, info: Option<&'a PluginInfo>) -> Option<&'a PluginInfo> {
        info.filter(|i| i.yaml == self.yaml && i.error.is_none())
    }

    /// The plugin's name for the command line: plugin.yaml's, else the
    /// bundled example's.
    pub fn name(&self, info: Option<&PluginInfo>) -> String {
        match self.info(info) {
            Some(i) if !i.name.is_empty() => i.name.clone(),
            _ if !self.bundled.is_empty() => self.bundled.clone(),
            _ => "plugin".to_string(),
        }
    }

    /// plugin.yaml's type (`postrenderer/v1`, `cli/v1`…), "" when unknown.
    pub fn plugin_type<'a>(&self, info: Option<&'a PluginInfo>) -> &'a str {
        self.info(info).map(|i| i.plugin_type.as_str()).unwrap_or_default()
    }

    pub fn is_post_renderer(&self, info: Option<&PluginInfo>) -> bool {
        self.plugin_type(info) == "postrenderer/v1"
    }

    /// The limits the meters measure against (the chosen profile's).
    pub fn limits<'a>(&self, info: Option<&'a PluginInfo>) -> Option<&'a LimitSummary> {
        self.info(info).map(|i| if self.profile() == Profile::Documented { &i.documented } else { &i.helm42 })
    }

    /// Appended to `helm template …`: `--post-renderer NAME` and one
    /// `--post-renderer-args A` per argument, when a post-renderer is on.
    pub fn cli_flags(&self, info: Option<&PluginInfo>) -> String {
        if !self.has_plugin() || !self.enabled || !self.is_post_renderer(info) {
            return String::new();
        }
        let mut s = format!(" --post-renderer {}", shell_quote(&self.name(info)));
        for a in self.args_list() {
            s.push_str(&format!(" --post-renderer-args {}", shell_quote(&a)));
        }
        s
    }

    /// The job for the worker, given the plugin.wasm bytes. None when no
    /// plugin is chosen or it is switched off.
    pub fn job(&self, wasm: Vec<u8>, run_cli: bool) -> Result<Option<PluginJob>, SettingsError> {
        if !self.has_plugin() || !self.enabled || self.needs_consent {
            return Ok(None);
        }
        Ok(Some(PluginJob {
            yaml: self.yaml.clone(),
            wasm,
            args: self.args_list(),
            profile: self.profile().name().to_string(),
            fuel_budget: self.fuel_budget()?,
            mock_http: self.mock_entries()?,
            run_cli,
        }))
    }

    /// The uploaded wasm bytes (None for a bundled plugin or a corrupt field).
    pub fn uploaded_wasm(&self) -> Option<Vec<u8>> {
        if self.wasm_b64.is_empty() {
            return None;
        }
        crate::base64url::b64url_decode(&self.wasm_b64).ok()
    }

    /// A link names a bundled plugin by hash: does the file served now match?
    pub fn hash_mismatch(&self, served_sha256: &str) -> Option<String> {
        if self.bundled.is_empty() || self.sha256.is_empty() || self.sha256 == served_sha256 {
            return None;
        }
        Some(format!(
            "This workspace names the bundled plugin \"{}\" with sha256 {}…, but the plugin.wasm served now has sha256 {}…: \
             it was rebuilt since the link was made, so the output may differ from what the link's author saw.",
            self.bundled,
            short(&self.sha256),
            short(served_sha256)
        ))
    }
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// `URL STATUS [BODY]` per line (`\n` in BODY is a newline); indented
/// `Name: value` lines below an entry are its response headers; blank
/// lines and `#` comments are skipped.
pub fn parse_mock(text: &str) -> Result<Vec<MockHttpEntry>, SettingsError> {
    let mut out: Vec<MockHttpEntry> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let bad = |reason: &str| SettingsError::BadMock { line: i + 1, reason: reason.to_string() };
        if raw.starts_with([' ', '\t']) {
            let (k, v) = l.split_once(':').ok_or_else(|| bad("an indented line is a header: Name: value"))?;
            let last = out.last_mut().ok_or_else(|| bad("a header line must follow an entry"))?;
            last.headers.push((k.trim().to_string(), v.trim().to_string()));
            continue;
        }
        let (url, rest) = l.split_once(char::is_whitespace).ok_or_else(|| bad("expected URL STATUS [BODY]"))?;
        let rest = rest.trim_start();
        let (status, body) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let status: u16 = status
            .parse()
            .ok()
            .filter(|s| (100..=599).contains(s))
            .ok_or_else(|| bad("the status must be a number from 100 to 599"))?;
        if !url.contains("://") {
            return Err(bad("the URL must be absolute (https://…)"));
        }
        out.push(MockHttpEntry { url: url.to_string(), status, headers: Vec::new(), body: body.replace("\\n", "\n") });
    }
    Ok(out)
}

pub fn bytes_text(b: u64) -> String {
    if b >= 1 << 30 && b.is_multiple_of(1 << 30) {
        format!("{} GiB", b >> 30)
    } else if b >= 1 << 20 && b.is_multiple_of(1 << 20) {
        format!("{} MiB", b >> 20)
    } else if b >= 1024 && b.is_multiple_of(1024) {
        format!("{} KiB", b >> 10)
    } else {
        format!("{b} bytes")
    }
}

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// Above this many cells the middle part is shown as removed + added
/// rather than aligned (the table would take too much memory).
const MAX_DIFF_CELLS: usize = 4_000_000;

/// Line diff (longest common subsequence after the common prefix and
/// suffix are taken off: a post-renderer usually changes little).
pub fn line_diff(a: &str, b: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let mut out: Vec<DiffLine> = a[..pre].iter().map(|l| DiffLine::Same(l.to_string())).collect();
    let (n, m) = (am.len(), bm.len());
    if n.saturating_mul(m) > MAX_DIFF_CELLS {
        out.extend(am.iter().map(|l| DiffLine::Removed(l.to_string())));
        out.extend(bm.iter().map(|l| DiffLine::Added(l.to_string())));
    } else {
        // lcs[i][j]: LCS length of am[i..] and bm[j..].
        let w = m + 1;
        let mut lcs = vec![0u32; (n + 1) * w];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * w + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                out.push(DiffLine::Same(am[i].to_string()));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j]) {
                out.push(DiffLine::Added(bm[j].to_string()));
                j += 1;
            } else {
                out.push(DiffLine::Removed(am[i].to_string()));
                i += 1;
            }
        }
    }
    out.extend(a[a.len() - suf..].iter().map(|l| DiffLine::Same(l.to_string())));
    out
}

/// (added, removed) line counts.
pub fn diff_stats(d: &[DiffLine]) -> (usize, usize) {
    let add = d.iter().filter(|l| matches!(l, DiffLine::Added(_))).count();
    let del = d.iter().filter(|l| matches!(l, DiffLine::Removed(_))).count();
    (add, del)
}

/// A run's outcome for the summary: `rc N` for a run that succeeded; for a
/// failed one what ended it, from the engine's error fields (`end`): the
/// exit code (`proc_exit`), the limit (timeout, fuel budget,
/// memory.maxPages, the host's block cap), the trap, the host call that was
/// refused, or the plugin's return code with its own error. Never a bare
/// `rc 0` for a failure (a trap or a limit leaves rc at 0).
pub fn run_status(rc: i32, end: Option<&RunEnd>, events: &[CapEvent]) -> String {
    let Some(end) = end else { return format!("rc {rc}") };
    let mut ends: Vec<String> = Vec::new();
    // The last refusal of a kind, as the log names it.
    let denied = |pred: &dyn Fn(&CapEvent) -> bool| events.iter().rev().find(|e| !e.allowed && pred(e));
    if let Some(code) = end.exit_code {
        ends.push(format!("exit code {code}"));
    } else if end.limit == Some(RunLimit::Timeout) {
        let rule = denied(&|e| e.call == "limit.timeout").map(|e| format!(": {}", e.rule)).unwrap_or_default();
        ends.push(format!("timeout{rule}"));
    } else if end.limit == Some(RunLimit::Fuel) {
        ends.push("fuel budget exhausted".into());
    } else if end.limit == Some(RunLimit::Memory) {
        let max = denied(&|e| e.call == "memory.grow" || e.call == "kernel.alloc")
            .and_then(|e| e.rule.split(' ').next().map(str::to_string))
            .unwrap_or_else(|| "memory.maxPages".into());
        ends.push(format!("memory limit: {max}"));
    } else if end.limit == Some(RunLimit::HostBlock) {
        ends.push("host block limit (64 MiB per call)".into());
    } else if end.not_created {
        ends.push("not instantiated".into());
    }
    if let Some(trap) = &end.trap {
        ends.push(format!("trap: {trap}"));
    }
    if ends.is_empty() {
        if rc != 0 {
            ends.push(format!("rc {rc}, the plugin's error"));
        } else if let Some(e) = denied(&|e| e.call.contains(':') || e.call.starts_with("wasi")) {
            // A host function that refused (a host outside allowedHosts, a
            // full variable store…): its failure ended the call.
            ends.push(format!("{} refused", e.call.rsplit(['.', '/']).next().unwrap_or(&e.call)));
        } else {
            ends.push("the plugin's error, no exit code".into());
        }
    }
    format!("failed ({})", ends.join(", then "))
}

/// The capability log's fuel column: for each event the fuel used so far as
/// (lowest, highest). Exact events have one value. An event whose caller
/// could not read the meter (`memory.grow`) happened after the last exact
/// count and before the next one (or the run's total, when none follows).
pub fn fuel_ranges(events: &[CapEvent], total: u64) -> Vec<(u64, u64)> {
    let mut next_exact = total;
    let mut out: Vec<(u64, u64)> = events
        .iter()
        .rev()
        .map(|e| {
            if e.fuel_exact {
                next_exact = e.fuel;
                (e.fuel, e.fuel)
            } else {
                (e.fuel.min(next_exact), next_exact)
            }
        })
        .collect();
    out.reverse();
    out
}

/// A fuel cell's text: `N`, or `L–H` when only bounds are known.
pub fn fuel_text((lo, hi): (u64, u64)) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// A meter's fill in percent (0 when there is no limit).
pub fn percent(used: f64, limit: Option<f64>) -> f64 {
    match limit {
        Some(l) if l > 0.0 => (used / l * 100.0).clamp(0.0, 100.0),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_tasks::{plugin_info, sha256_hex};
    use std::collections::BTreeMap;

    fn bundled_file(name: &str, file: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/plugins").join(name).join(file);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    #[test]
    fn every_shipped_plugin_is_listed_with_its_type() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/plugins");
        let mut shipped: Vec<String> =
            std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        shipped.sort();
        let mut listed: Vec<String> = BUNDLED.iter().map(|b| b.0.to_string()).collect();
        listed.sort();
        assert_eq!(shipped, listed);
        for (name, ty, _) in BUNDLED {
            let yaml = String::from_utf8(bundled_file(name, "plugin.yaml")).unwrap();
            assert!(yaml.lines().any(|l| l.trim() == format!("type: {ty}")), "{name}: {ty}");
        }
    }

    fn add_labels() -> PluginSettings {
        let yaml = String::from_utf8(bundled_file("add-labels", "plugin.yaml")).unwrap();
        PluginSettings::bundled("add-labels", &yaml, sha256_hex(&bundled_file("add-labels", "plugin.wasm")))
    }

    #[test]
    fn command_line_flags_in_helm_spelling() {
        let mut s = add_labels();
        let info = plugin_info(&s.yaml);
        let info = Some(&info);
        assert_eq!(s.cli_flags(info), " --post-renderer add-labels");
        s.args = "team=web\n\n it's \n".into();
        assert_eq!(
            s.cli_flags(info),
            " --post-renderer add-labels --post-renderer-args team=web --post-renderer-args 'it'\\''s'"
        );
        s.enabled = false;
        assert_eq!(s.cli_flags(info), "");
        // Until the worker has described this plugin.yaml its type is unknown.
        s.enabled = true;
        assert_eq!(s.cli_flags(None), "");
        // A cli/v1 plugin is not a post-renderer.
        let yaml = String::from_utf8(bundled_file("denied-host", "plugin.yaml")).unwrap();
        let cli = PluginSettings::bundled("denied-host", &yaml, sha256_hex(b"x"));
        let cli_info = plugin_info(&yaml);
        assert_eq!(cli.plugin_type(Some(&cli_info)), "cli/v1");
        assert_eq!(cli.cli_flags(Some(&cli_info)), "");
        // Information about another plugin.yaml text is not used.
        assert_eq!(cli.cli_flags(info), "");
        assert_eq!(cli.name(info), "denied-host");
        assert_eq!(PluginSettings::default().cli_flags(None), "");
    }

    #[test]
    fn jobs_carry_the_settings() {
        let mut s = add_labels();
        s.args = "a=b".into();
        s.profile = "documented".into();
        s.fuel_budget = " 5_000_000 ".into();
        s.mock_http = "# comment\nhttps://charts.example.com/index.yaml 200 hello world\n".into();
        let job = s.job(vec![1, 2], false).unwrap().unwrap();
        assert_eq!(job.args, ["a=b"]);
        assert_eq!(job.profile, "documented");
        assert_eq!(job.fuel_budget, Some(5_000_000));
        assert_eq!(job.mock_http.len(), 1);
        assert_eq!(job.mock_http[0].status, 200);
        assert_eq!(job.mock_http[0].body, "hello world");
        s.fuel_budget = "lots".into();
        assert_eq!(s.job(vec![], false), Err(SettingsError::BadFuel("lots".into())));
        s.fuel_budget.clear();
        s.mock_http = "https://x/ 999".into();
        assert!(matches!(s.job(vec![], false), Err(SettingsError::BadMock { line: 1, .. })));
        s.mock_http = "x.example 200".into();
        assert!(matches!(s.job(vec![], false), Err(SettingsError::BadMock { line: 1, .. })));
        s.mock_http.clear();
        s.enabled = false;
        assert_eq!(s.job(vec![], false), Ok(None));
        assert_eq!(PluginSettings::default().job(vec![], false), Ok(None));
    }

    #[test]
    fn plugins_from_elsewhere_wait_for_consent() {
        let wasm = bundled_file("add-labels", "plugin.wasm");
        let yaml = String::from_utf8(bundled_file("add-labels", "plugin.yaml")).unwrap();
        let mut up = PluginSettings::uploaded(&yaml, &wasm);
        up.needs_consent = false; // what a link may claim
        up.require_consent();
        assert!(up.needs_consent);
        assert_eq!(up.job(wasm.clone(), false), Ok(None));
        assert_eq!(up.job(wasm.clone(), true), Ok(None), "not even with Run");
        up.needs_consent = false;
        assert!(up.job(wasm.clone(), false).unwrap().is_some());
        // An uploaded plugin that is switched off still asks: Run or the
        // checkbox would start it.
        up.enabled = false;
        up.require_consent();
        assert!(up.needs_consent);
        // A bundled one asks when it would run with every render.
        let mut b = add_labels();
        b.require_consent();
        assert!(b.needs_consent);
        b.enabled = false;
        b.require_consent();
        assert!(!b.needs_consent);
        let mut none = PluginSettings::default();
        none.require_consent();
        assert!(!none.needs_consent);
        // Old links and autosaves (no field) open without it; false is not written.
        let json = serde_json::to_string(&add_labels()).unwrap();
        assert!(!json.contains("needs_consent"), "{json}");
        let back: PluginSettings = serde_json::from_str(&json).unwrap();
        assert!(!back.needs_consent);
        let mut waiting = add_labels();
        waiting.needs_consent = true;
        let back: PluginSettings = serde_json::from_str(&serde_json::to_string(&waiting).unwrap()).unwrap();
        assert!(back.needs_consent, "a reload keeps waiting");
    }

    #[test]
    fn the_consent_prompt_lists_what_the_plugin_may_do() {
        let yaml = "apiVersion: v1\ntype: postrenderer/v1\nname: x\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  allowedHosts: [\"api.example.com\"]\n  fileSystem:\n    createTempDir: true\n  timeout: 200\n";
        let info = plugin_info(yaml);
        let mut s = PluginSettings::uploaded(yaml, b"\0asm");
        let terms = s.consent_terms(Some(&info));
        assert_eq!(terms[0], ("allowedHosts".to_string(), "api.example.com".to_string()));
        assert_eq!(terms[1], ("fileSystem.createTempDir".to_string(), "/tmp available".to_string()));
        assert!(terms.iter().any(|(k, v)| k == "timeout" && v == "200 ms"), "{terms:?}");
        assert!(terms.iter().any(|(k, _)| k == "memory.maxPages"), "{terms:?}");
        s.profile = "documented".into();
        let documented = s.consent_terms(Some(&info));
        let row = info.rows.iter().find(|r| r.key == "memory.maxPages").unwrap();
        assert!(documented.iter().any(|(k, v)| k == "memory.maxPages" && *v == row.documented));
        // Unknown until the worker described this plugin.yaml.
        assert!(s.consent_terms(None).is_empty());
    }

    #[test]
    fn mock_table_text() {
        let m = parse_mock(
            "https://a.example/x 200 line1\\nline2\n  Content-Type: text/plain\n  x-n: 1\n\nhttps://a.example/y 404\n",
        )
        .unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].body, "line1\nline2");
        assert_eq!(
            m[0].headers,
            vec![("Content-Type".to_string(), "text/plain".to_string()), ("x-n".to_string(), "1".to_string())]
        );
        assert_eq!((m[1].status, m[1].body.as_str()), (404, ""));
        assert!(matches!(parse_mock("  a: b"), Err(SettingsError::BadMock { line: 1, .. })));
        assert!(matches!(parse_mock("https://a/ 200\n  nocolon"), Err(SettingsError::BadMock { line: 2, .. })));
    }

    #[test]
    fn uploaded_wasm_round_trips_and_bundled_hash_is_checked() {
        let wasm = bundled_file("trap", "plugin.wasm");
        let s = PluginSettings::uploaded("name: trap\n", &wasm);
        assert_eq!(s.uploaded_wasm(), Some(wasm.clone()));
        assert!(s.hash_mismatch("anything").is_none(), "uploaded plugins carry their bytes");
        let b = add_labels();
        assert_eq!(b.sha256, sha256_hex(&bundled_file("add-labels", "plugin.wasm")));
        assert!(b.hash_mismatch(&b.sha256.clone()).is_none());
        let msg = b.hash_mismatch(&sha256_hex(b"rebuilt")).unwrap();
        assert!(msg.contains("\"add-labels\"") && msg.contains(&b.sha256[..12]), "{msg}");
        // sha256("abc") from FIPS 180-2.
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn diff_aligns_changed_lines() {
        let a = "a\nb\nc\nd\n";
        let b = "a\nb\nx\nc\nd\ne\n";
        let d = line_diff(a, b);
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Same("b".into()),
                DiffLine::Added("x".into()),
                DiffLine::Same("c".into()),
                DiffLine::Same("d".into()),
                DiffLine::Added("e".into()),
            ]
        );
        assert_eq!(diff_stats(&line_diff("k: 1\nv: 2\n", "k: 1\nv: 3\n")), (1, 1));
        assert_eq!(diff_stats(&line_diff("same\n", "same\n")), (0, 0));
        assert_eq!(line_diff("", "x"), vec![DiffLine::Added("x".into())]);
        // Replaying the diff gives both sides back.
        let big_a: String = (0..300).map(|i| format!("l{}\n", i % 7)).collect();
        let big_b: String = (0..280).map(|i| format!("l{}\n", i % 5)).collect();
        let d = line_diff(&big_a, &big_b);
        let left: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                DiffLine::Same(s) | DiffLine::Removed(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        let right: Vec<&str> = d
            .iter()
            .filter_map(|l| match l {
                DiffLine::Same(s) | DiffLine::Added(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(left, big_a.lines().collect::<Vec<_>>());
        assert_eq!(right, big_b.lines().collect::<Vec<_>>());
    }

    #[test]
    fn meters() {
        assert_eq!(run_status(0, None, &[]), "rc 0");
        let end = |f: fn(&mut RunEnd)| {
            let mut e = RunEnd::default();
            f(&mut e);
            e
        };
        let trap = end(|e| e.trap = Some("unreachable".into()));
        assert_eq!(run_status(0, Some(&trap), &[]), "failed (trap: unreachable)");
        assert_eq!(run_status(-1, Some(&RunEnd::default()), &[]), "failed (rc -1, the plugin's error)");
        assert_eq!(run_status(0, Some(&end(|e| e.exit_code = Some(3))), &[]), "failed (exit code 3)");
        let fuel = end(|e| e.limit = Some(RunLimit::Fuel));
        assert_eq!(run_status(0, Some(&fuel), &[]), "failed (fuel budget exhausted)");
        let memory_then_trap = end(|e| {
            e.limit = Some(RunLimit::Memory);
            e.trap = Some("out of bounds memory access".into());
        });
        assert_eq!(
            run_status(0, Some(&memory_then_trap), &[]),
            "failed (memory limit: memory.maxPages, then trap: out of bounds memory access)"
        );
        assert_eq!(run_status(0, Some(&RunEnd::default()), &[]), "failed (the plugin's error, no exit code)");
        let ev = |fuel, fuel_exact| CapEvent {
            t_ms: 0.0,
            fuel,
            fuel_exact,
            pages: 1,
            call: "memory.grow".into(),
            args: String::new(),
            allowed: true,
            rule: String::new(),
        };
        // memory.grow rows lie between the exact counts around them.
        let log = [ev(0, false), ev(10, true), ev(10, false), ev(12, false), ev(30, true), ev(30, false)];
        assert_eq!(fuel_ranges(&log, 50), vec![(0, 10), (10, 10), (10, 30), (12, 30), (30, 30), (30, 50)]);
        assert_eq!(fuel_text((0, 10)), "0–10");
        assert_eq!(fuel_text((7, 7)), "7");
        assert_eq!(percent(50.0, Some(200.0)), 25.0);
        assert_eq!(percent(500.0, Some(200.0)), 100.0);
        assert_eq!(percent(5.0, None), 0.0);
        assert_eq!(bytes_text(4096), "4 KiB");
        assert_eq!(bytes_text(100), "100 bytes");
    }

    /// The engine's progress hook fires between fuel slices of a runaway
    /// guest, with growing elapsed time and fuel (what the live meters show).
    #[test]
    fn progress_hook_reports_a_runaway_plugin() {
        use chartroom_engine::plugin::{self, Progress, RunOptions};
        use std::cell::RefCell;
        use std::rc::Rc;
        let files: BTreeMap<String, Vec<u8>> = [
            ("plugin.yaml".to_string(), bundled_file("tight-loop", "plugin.yaml")),
            ("plugin.wasm".to_string(), bundled_file("tight-loop", "plugin.wasm")),
        ]
        .into();
        let p = plugin::load(&files).unwrap();
        let seen: Rc<RefCell<Vec<Progress>>> = Rc::default();
        let sink = seen.clone();
        let opts = RunOptions {
            on_progress: Some(Rc::new(move |pr: &Progress| sink.borrow_mut().push(pr.clone()))),
            ..Default::default()
        };
        let r =
            plugin::postrender::run(&p, &[("c/templates/a.yaml".to_string(), "a: 1\n".to_string())].into(), &[], &opts);
        let err = r.err().map(|e| e.0).unwrap_or_default();
        assert!(err.contains("context deadline exceeded"), "{err}");
        let seen = seen.borrow();
        assert!(seen.len() > 2, "only {} progress calls", seen.len());
        assert!(seen.windows(2).all(|w| w[1].elapsed_ms >= w[0].elapsed_ms && w[1].fuel_used >= w[0].fuel_used));
        assert!(seen.last().unwrap().pages > 0);
    }
}
