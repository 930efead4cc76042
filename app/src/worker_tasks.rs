//! The engine work the page asks of the render worker besides renders:
//! plugin.yaml's limits table, chart archive import/export, sha256, the
//! Kubernetes schema check of a rendered manifest. It runs
//! in the worker (which links the engine anyway) so that the page's wasm
//! carries neither the YAML parser nor tar/gzip; pure, tested natively.

use std::collections::BTreeMap;

use chartroom_engine::chart::archive;
use chartroom_engine::plugin::limits::{lint, Limits, Profile};
use chartroom_engine::plugin::manifest::{self, Metadata};
use sha2::{Digest, Sha256};

use crate::plugin_state::bytes_text;
use chartroom_engine::kube;

use crate::protocol::{
    KubeAnswer, KubeDocument, KubeReport, LimitRow, LimitSummary, LintFinding, LintReport, PluginInfo, RenderFailure,
    RenderJob, Task, TaskAnswer,
};

/// Whether `task` needs the full worker (the `full` feature: lint, the
/// Kubernetes check, repositories, plugin.yaml); the first-visit worker
/// answers the others.
pub fn needs_full_worker(task: &Task) -> bool {
    matches!(task, Task::PluginInfo { .. } | Task::Lint { .. } | Task::Repo(_) | Task::KubeValidate { .. })
}

/// Whether rendering `files` will call what the first-visit worker leaves
/// out (`chartroom_engine::sprig::ondemand`: Go regular expressions, which
/// semver constraints use too, the key/certificate and TOML functions, and
/// values.schema.json checks), judged from the files' text. The page then
/// sends the render straight to the full worker: otherwise the first-visit
/// worker parses the whole chart, stops at the first such call and the full
/// worker starts over (for an imported chart that calls `semverCompare`,
/// as most do, the first render took twice as long). Only template files
/// are read for calls: a call the scan misses (through `tpl` from values,
/// in a packaged subchart) still renders, by that fallback.
pub fn render_needs_full<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> bool {
    files.into_iter().any(|(path, text)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        let template = path.starts_with("templates/") || path.contains("/templates/");
        name == "values.schema.json"
            // A chart's kubeVersion constraint is checked with semver's regexes.
            || (name == "Chart.yaml" && text.windows(12).any(|w| w == b"kubeVersion:"))
            || (template && text.split(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).any(left_out))
    })
}

/// The names of the functions the first-visit worker has only as stubs
/// (engine/src/sprig/mod.rs, helmfuncs.rs, the regex and semver ones).
fn left_out(word: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"genPrivateKey",
        b"genCA",
        b"genCAWithKey",
        b"genSelfSignedCert",
        b"genSelfSignedCertWithKey",
        b"genSignedCert",
        b"genSignedCertWithKey",
        b"buildCustomCert",
        b"encryptAES",
        b"decryptAES",
        b"bcrypt",
        b"htpasswd",
        b"derivePassword",
        b"toToml",
        b"mustToToml",
        b"fromToml",
        b"semver",
        b"semverCompare",
    ];
    word.starts_with(b"regex") || word.starts_with(b"mustRegex") || NAMES.contains(&word)
}

/// Answers one task.
pub fn answer(task: Task) -> TaskAnswer {
    match task {
        Task::ImportArchive { bytes } => TaskAnswer::Imported(import_archive(&bytes).map_err(RenderFailure::of)),
        Task::ExportArchive { dir, files } => TaskAnswer::Exported(export_archive(&dir, files)),
        Task::Sha256 { bytes } => TaskAnswer::Sha256(sha256_hex(&bytes)),
        Task::Crash { how } => crash(&how),
        #[cfg(feature = "full")]
        Task::PluginInfo { yaml } => TaskAnswer::PluginInfo(plugin_info(&yaml)),
        #[cfg(feature = "full")]
        Task::Lint { job, strict } => TaskAnswer::Lint(lint_chart(*job, strict)),
        #[cfg(feature = "full")]
        Task::Repo(t) => TaskAnswer::Repo(crate::repo_tasks::answer(t)),
        #[cfg(feature = "full")]
        Task::KubeValidate { manifest, crds, kube_version, bundle } => {
            TaskAnswer::Kube(kube_validate(&manifest, &crds, kube_version.as_deref(), bundle))
        }
        // The page sends these to the full worker only (`needs_full_worker`).
        #[cfg(not(feature = "full"))]
        Task::PluginInfo { .. } | Task::Lint { .. } | Task::Repo(_) | Task::KubeValidate { .. } => {
            TaskAnswer::Failed("this task needs the full render worker".into())
        }
    }
}

thread_local! {
    /// Compiled schema bundles by minor release: a bundle is fetched and
    /// compiled once per worker, then every render's check reuses it.
    static BUNDLES: std::cell::RefCell<BTreeMap<u32, std::rc::Rc<kube::Bundle>>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

/// Checks a manifest against the Kubernetes API of the selected version;
/// asks for the version's bundle when this worker has none yet.
pub fn kube_validate(
    manifest: &str,
    crds: &[(String, String)],
    kube_version: Option<&str>,
    bundle: Option<String>,
) -> KubeAnswer {
    let minor = match kube::minor_of(kube_version) {
        Ok(m) => m,
        Err(e) => return KubeAnswer::Error(RenderFailure::of(e)),
    };
    if let Some(text) = bundle {
        match kube::Bundle::from_json(&text) {
            Ok(b) if b.minor() == minor => BUNDLES.with(|m| m.borrow_mut().insert(minor, std::rc::Rc::new(b))),
            Ok(b) => {
                return KubeAnswer::Error(RenderFailure::new(format!(
                    "the v1.{minor} schema bundle holds v1.{}",
                    b.minor()
                )))
            }
            Err(e) => return KubeAnswer::Error(RenderFailure::of(e)),
        };
    }
    let Some(b) = BUNDLES.with(|m| m.borrow().get(&minor).cloned()) else {
        return KubeAnswer::NeedBundle { minor };
    };
    let start = now_ms();
    let r = kube::validate(&b, manifest, crds);
    let documents = r
        .documents
        .iter()
        .map(|d| KubeDocument {
            line: d.line as u64,
            object: d.object(),
            status: match d.status {
                kube::Status::Valid => "valid",
                kube::Status::Invalid => "invalid",
                kube::Status::NoSchema => "no-schema",
            }
            .into(),
            findings: d
                .findings
                .iter()
                .map(|f| {
                    let text = if f.path.is_empty() { f.message.clone() } else { format!("{}: {}", f.path, f.message) };
                    (text, f.line.map(|l| l as u64))
                })
                .collect(),
        })
        .collect();
    KubeAnswer::Report(KubeReport { minor, summary: r.summary(), documents, engine_ms: now_ms() - start })
}

/// Milliseconds from a monotonic clock (the worker's `performance.now()`).
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        crate::protocol::now_ms()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        thread_local!(static T0: std::time::Instant = std::time::Instant::now());
        T0.with(|t| t.elapsed().as_secs_f64() * 1e3)
    }
}

/// `helm lint CHART` with the render's values, namespace and kube version
/// (`--strict` when asked). The chart's folder is named after the chart,
/// as a `helm lint mychart` run next to it would show it.
pub fn lint_chart(mut job: RenderJob, strict: bool) -> LintReport {
    use chartroom_engine::lint::{self, LintOptions, LintResult};
    let req = job.request();
    let vals = match chartroom_engine::api::user_values(&req) {
        Ok(v) => v,
        Err(e) => return LintReport { error: Some(e.message), ..LintReport::default() },
    };
    let name = req
        .files
        .get("Chart.yaml")
        .and_then(|b| chartroom_engine::yaml::parse(&String::from_utf8_lossy(b)).ok())
        .and_then(|v| v.get("name"))
        .and_then(|n| n.as_str().map(str::to_string))
        .filter(|n| !n.is_empty() && !n.contains('/'))
        .unwrap_or_else(|| "chart".to_string());
    let opts = LintOptions {
        namespace: req.namespace.clone(),
        kube_version: req.kube_version.clone(),
        skip_schema_validation: req.skip_schema_validation,
        strict,
        max_steps: req.max_steps,
        max_memory: req.max_memory,
        dirs_on_disk: Vec::new(),
    };
    let result = if req.files.contains_key("Chart.yaml") {
        let linter = lint::run_all(&req.files, &name, &vals, &opts);
        let log = linter.log.clone();
        (LintResult::from_linter(linter, strict), log)
    } else {
        let e = format!("unable to check Chart.yaml file in chart: stat {name}/Chart.yaml: no such file or directory");
        (LintResult::failed(e), Vec::new())
    };
    let (result, log) = result;
    let findings = result
        .messages
        .iter()
        .map(|m| LintFinding {
            severity: m.severity.name().to_string(),
            path: m.path.clone(),
            message: m.err.clone(),
            file: m.file.clone(),
            line: m.line.map(|l| l as u64),
        })
        .collect();
    let (output, error) = lint::format_report(&[(name, result)], false);
    LintReport { output, error, findings, log }
}

/// Dies the way `how` says (the page's recovery tests; see `Task::Crash`).
/// Natively (unit tests) only an unknown kind is answered.
fn crash(how: &str) -> TaskAnswer {
    #[cfg(target_arch = "wasm32")]
    match how {
        // Frames of 16 KiB: the shadow stack (1 MiB) overflows long before
        // the browser's own call stack.
        "overflow" => {
            fn deep(n: u64) -> u64 {
                let frame = std::hint::black_box([n; 2048]);
                if frame[0] == u64::MAX {
                    return 0;
                }
                deep(n + 1).wrapping_add(frame[(n % 2048) as usize])
            }
            return TaskAnswer::Failed(deep(0).to_string());
        }
        // Reserves memory until an allocation fails (untouched pages cost
        // the browser no RAM).
        "oom" => {
            let mut held = Vec::new();
            loop {
                held.push(std::hint::black_box(Vec::<u8>::with_capacity(256 << 20)));
            }
        }
        "trap" => core::arch::wasm32::unreachable(),
        "panic" => panic!("test crash"),
        _ => {}
    }
    TaskAnswer::Failed(format!("unknown crash kind {how:?}"))
}

pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// A `.tgz` chart archive → its files, with Helm's checks and error texts
/// (the engine's archive reader: the top directory stripped, Helm's size
/// limits, "no files in chart archive", ...).
pub fn import_archive(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, chartroom_engine::error::Error> {
    archive::files_from_archive(bytes).map(|f| f.into_iter().collect())
}

/// The files as a `.tgz` with entries under `dir/`.
pub fn export_archive(dir: &str, files: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let map: BTreeMap<String, Vec<u8>> = files.into_iter().collect();
    archive::write_archive(dir, &map)
}

/// plugin.yaml → what the panel shows before a run.
pub fn plugin_info(yaml: &str) -> PluginInfo {
    match manifest::parse(yaml) {
        Ok(m) => PluginInfo {
            yaml: yaml.to_string(),
            name: m.name.clone(),
            plugin_type: m.plugin_type.name().to_string(),
            error: None,
            rows: limit_rows(&m),
            lint: lint(&m.runtime),
            helm42: summary(&Limits::from_config(&m.runtime, Profile::Helm42)),
            documented: summary(&Limits::from_config(&m.runtime, Profile::Documented)),
        },
        Err(e) => PluginInfo { yaml: yaml.to_string(), error: Some(e.to_string()), ..PluginInfo::default() },
    }
}

fn summary(l: &Limits) -> LimitSummary {
    LimitSummary {
        timeout_ms: l.timeout_ms,
        max_pages: l.max_pages,
        max_http_response_bytes: l.max_http_response_bytes,
    }
}

/// The page limit and how it is counted (helm-4.2: each memory and the
/// kernel's blocks separately, as wazero; documented: over all memories).
fn pages_text(l: &Limits) -> String {
    let scope = if l.pages_per_memory { "each memory" } else { "all memories together" };
    format!("{} pages ({}), {scope}", l.max_pages, bytes_text(l.max_pages as u64 * 65536))
}

/// The limits in force for this plugin.yaml under both profiles.
pub fn limit_rows(m: &Metadata) -> Vec<LimitRow> {
    let rc = &m.runtime;
    let h = Limits::from_config(rc, Profile::Helm42);
    let d = Limits::from_config(rc, Profile::Documented);
    let set = |zero: bool, v: String| if zero { "(not set)".to_string() } else { v };
    let http = |b: u64| if b == 0 { "0 (any non-empty body fails)".to_string() } else { bytes_text(b) };
    let vars = |v: Option<u64>| v.map(bytes_text).unwrap_or_else(|| "vars disabled".into());
    let timeout = |t: Option<u64>| t.map(|t| format!("{t} ms")).unwrap_or_else(|| "none".into());
    let hosts = |l: &Limits| {
        if l.allowed_hosts.is_empty() {
            "none (all HTTP denied)".to_string()
        } else {
            l.allowed_hosts.join(", ")
        }
    };
    let row = |key: &str, configured: String, helm42: String, documented: String| LimitRow {
        key: key.to_string(),
        configured,
        helm42,
        documented,
    };
    vec![
        row("memory.maxPages", set(rc.max_pages == 0, rc.max_pages.to_string()), pages_text(&h), pages_text(&d)),
        row(
            "memory.maxHttpResponseBytes",
            set(rc.max_http_response_bytes == 0, rc.max_http_response_bytes.to_string()),
            http(h.max_http_response_bytes),
            http(d.max_http_response_bytes),
        ),
        row(
            "memory.maxVarBytes",
            set(rc.max_var_bytes == 0, rc.max_var_bytes.to_string()),
            vars(h.max_var_bytes),
            vars(d.max_var_bytes),
        ),
        row(
            "timeout",
            set(rc.timeout == 0, format!("{} ms", rc.timeout)),
            timeout(h.timeout_ms),
            timeout(d.timeout_ms),
        ),
        row("allowedHosts", set(rc.allowed_hosts.is_empty(), rc.allowed_hosts.join(", ")), hosts(&h), hosts(&d)),
        row(
            "fileSystem.createTempDir",
            rc.create_temp_dir.to_string(),
            if h.create_temp_dir { "/tmp available" } else { "no /tmp" }.into(),
            if d.create_temp_dir { "/tmp available" } else { "no /tmp" }.into(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_that_need_the_full_worker_are_recognised_from_the_files() {
        let one = |path: &'static str, text: &'static str| render_needs_full([(path, text.as_bytes())]);
        assert!(one(
            "templates/_helpers.tpl",
            "{{- if semverCompare \">=1.21-0\" .Capabilities.KubeVersion.GitVersion }}"
        ));
        assert!(one("charts/sub/templates/ca.yaml", "{{ (genCA \"x\" 3).Cert }}"));
        assert!(one("templates/x.yaml", "{{ regexReplaceAll \"a\" . \"b\" }} {{ mustRegexMatch \"a\" . }}"));
        assert!(one("templates/x.yaml", "{{ dict | toToml }}"));
        assert!(one("values.schema.json", "{}"));
        assert!(one("charts/sub/Chart.yaml", "name: sub\nkubeVersion: \">=1.20\"\n"));
        // Not a call: another identifier, or outside templates (a missed
        // call still renders through the full worker afterwards).
        assert!(!one("templates/x.yaml", "{{ .Values.genCAuto }} semverish: {{ .Values.x }}"));
        assert!(!one("values.yaml", "tpl: '{{ semverCompare \"1\" \"1\" }}'"));
        assert!(!one("Chart.yaml", "# Semantic Versioning (https://semver.org/)\nname: x\n"));
    }

    // Reads the bundle from disk: native only.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn kube_check_asks_for_the_bundle_once() {
        let m = "---\n# Source: c/templates/s.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: \"80\"\n";
        assert_eq!(kube_validate(m, &[], Some("1.34"), None), KubeAnswer::NeedBundle { minor: 34 });
        let path = kube::default_schema_dir().join(kube::bundle_file_name(34));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (build the bundles: python3 scripts/kube_schemas.py)", path.display()));
        let KubeAnswer::Report(r) = kube_validate(m, &[], Some("1.34"), Some(text)) else { panic!("no report") };
        assert_eq!(r.summary, "1 documents: 0 valid, 1 invalid, 0 without schema");
        assert_eq!(
            r.documents[0].findings,
            [("spec.ports[0].port: expected integer, got string".to_string(), Some(9))]
        );
        // The bundle stays: the next check needs none.
        assert!(matches!(kube_validate(m, &[], Some("1.34"), None), KubeAnswer::Report(_)));
        assert!(matches!(
            kube_validate(m, &[], Some("1.20"), None),
            KubeAnswer::Error(e) if e.message == "no Kubernetes schemas for v1.20: validation covers v1.25 to v1.37"
        ));
    }

    #[test]
    fn limits_under_both_profiles() {
        let info = plugin_info("apiVersion: v1\ntype: postrenderer/v1\nname: x\nversion: 0.1.0\nruntime: extism/v1\nruntimeConfig:\n  memory:\n    maxPages: 64\n  timeout: 200\n");
        assert_eq!(
            (info.name.as_str(), info.plugin_type.as_str(), info.error.as_ref()),
            ("x", "postrenderer/v1", None)
        );
        let row = |k: &str| info.rows.iter().find(|r| r.key == k).unwrap().clone();
        assert_eq!(row("memory.maxPages").configured, "64");
        assert_eq!(row("memory.maxPages").helm42, "64 pages (4 MiB), each memory");
        assert_eq!(row("memory.maxPages").documented, "64 pages (4 MiB), all memories together");
        assert_eq!(row("memory.maxHttpResponseBytes").helm42, "0 (any non-empty body fails)");
        assert_eq!(row("memory.maxHttpResponseBytes").documented, "4 KiB");
        assert_eq!(row("memory.maxVarBytes").helm42, "vars disabled");
        assert_eq!(row("timeout").helm42, "200 ms");
        assert_eq!(info.helm42, LimitSummary { timeout_ms: Some(200), max_pages: 64, max_http_response_bytes: 0 });
        assert_eq!(info.documented.max_http_response_bytes, 4096);
        let unset = plugin_info("apiVersion: v1\ntype: postrenderer/v1\nname: x\nversion: 0.1.0\nruntime: extism/v1\n");
        assert_eq!(unset.rows[0].configured, "(not set)");
        assert_eq!(unset.rows[0].helm42, "65536 pages (4 GiB), each memory");
        assert_eq!(unset.rows[0].documented, "4 pages (256 KiB), all memories together");
        assert!(unset.lint.iter().any(|l| l.contains("maxPages is not set")), "{:?}", unset.lint);
    }

    #[test]
    fn a_bad_plugin_yaml_is_an_error_not_a_table() {
        let info = plugin_info("name: [unclosed\n");
        assert!(info.error.is_some());
        assert!(info.rows.is_empty() && info.name.is_empty() && info.plugin_type.is_empty());
    }

    #[test]
    fn answers_match_their_tasks() {
        // sha256("abc") from FIPS 180-2.
        assert_eq!(
            answer(Task::Sha256 { bytes: b"abc".to_vec() }),
            TaskAnswer::Sha256("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad".into())
        );
        let files = vec![("Chart.yaml".to_string(), b"name: d\n".to_vec())];
        let TaskAnswer::Exported(tgz) = answer(Task::ExportArchive { dir: "d".into(), files: files.clone() }) else {
            panic!("not an export")
        };
        assert_eq!(answer(Task::ImportArchive { bytes: tgz }), TaskAnswer::Imported(Ok(files)));
        assert!(matches!(
            answer(Task::ImportArchive { bytes: b"not a tarball".to_vec() }),
            TaskAnswer::Imported(Err(e)) if e.message == "gzip: invalid header"
        ));
    }
}

#[cfg(test)]
mod lint_tests {
    use super::*;

    fn job(files: &[(&str, &str)]) -> RenderJob {
        let files = files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect();
        RenderJob::new(0, files, &crate::options::Options::default())
    }

    /// The page's lint prints what `helm lint mychart` prints (the same
    /// charts as engine/tests/data/lint/cases.json's no-icon and
    /// invalid-yaml-output cases), and links findings to their files.
    #[test]
    fn lint_in_the_worker_is_helm_lint() {
        let chart = "apiVersion: v2\nname: mychart\nversion: 0.1.0\n";
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\ndata:\n  a: \"1\"\n";
        let r = lint_chart(job(&[("Chart.yaml", chart), ("values.yaml", "a: 1\n"), ("templates/cm.yaml", cm)]), false);
        assert_eq!(
            r.output,
            "==> Linting mychart\n[INFO] Chart.yaml: icon is recommended\n\n1 chart(s) linted, 0 chart(s) failed\n"
        );
        assert_eq!(r.findings[0].file.as_deref(), Some("Chart.yaml"));
        assert_eq!(r.error, None);
        let r = lint_chart(
            job(&[
                ("Chart.yaml", &format!("{chart}icon: https://example.com/icon.png\n")),
                ("values.yaml", "a: 1\n"),
                ("templates/bad.yaml", "a: b: c\n"),
            ]),
            false,
        );
        assert_eq!(r.error.as_deref(), Some("1 chart(s) linted, 1 chart(s) failed"));
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].severity, "ERROR");
        assert_eq!(r.findings[0].file.as_deref(), Some("templates/bad.yaml"));
        assert_eq!(
            r.findings[0].message,
            "unable to parse YAML: error converting YAML to JSON: yaml: mapping values are not allowed in this context"
        );
    }
}
