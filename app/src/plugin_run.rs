//! Plugin runs in the render worker (built with the `plugins` feature: the
//! worker the page loads once a plugin is chosen). The job's plugin runs
//! with the render — postrenderer/v1 between rendering and Helm's sort,
//! cli/v1 and getter/v1 on the panel's Run — with the worker's clock,
//! network (fetch), timer and live meters.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use chartroom_engine::api::{render_chart_post_async, PostRender};
use chartroom_engine::error::Error;
use chartroom_engine::plugin::future::{block_on, SleepFn, NOT_SYNCHRONOUS};
use chartroom_engine::plugin::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, MockHttp};
use chartroom_engine::plugin::{Clock, Decision, Limits, Plugin, PluginType, Profile, RunOptions, RunResult};
use sha2::{Digest, Sha256};

use crate::protocol::{
    failure, rendered, CapEvent, MockHttpEntry, PluginReport, PluginSummary, RenderFailure, RenderJob, Rendered,
    RunEnd, BROWSER_HOME,
};

impl RenderJob {
    /// [`RenderJob::run_with_async`] for hosts whose network answers at once
    /// (natively, in tests).
    pub fn run_with(
        self,
        host: &PluginHost,
        cache: &mut PluginCache,
    ) -> (Result<Rendered, RenderFailure>, Option<PluginReport>) {
        let cell = RefCell::new(std::mem::take(cache));
        let out = block_on(self.run_with_async(host, &cell));
        *cache = cell.into_inner();
        out.unwrap_or_else(|| (Err(RenderFailure::new(NOT_SYNCHRONOUS.to_string())), None))
    }

    /// Runs the engine, and the job's plugin if any, with the host's clock,
    /// network, timer and progress callback. Awaits only while a plugin
    /// waits on an HTTP response (the worker stays free meanwhile).
    pub async fn run_with_async(
        mut self,
        host: &PluginHost,
        cache: &RefCell<PluginCache>,
    ) -> (Result<Rendered, RenderFailure>, Option<PluginReport>) {
        if let Some(message) = self.option_error.take() {
            // A seed or clock the page could not read fails the render rather
            // than being silently ignored.
            return (Err(RenderFailure::new(message)), None);
        }
        let plugin_job = self.plugin.take();
        let req = self.request();
        let Some(pj) = plugin_job else {
            return (chartroom_engine::render(&req).map(rendered).map_err(failure), None);
        };
        let profile = Profile::parse(&pj.profile).unwrap_or_default();
        let mut report = PluginReport { profile: profile.name().to_string(), ..PluginReport::default() };
        let loaded = cache.borrow_mut().load(&pj.yaml, &pj.wasm);
        let (plugin, cached) = match loaded {
            Ok(p) => p,
            Err(e) => {
                report.error = Some(e.message.clone());
                report.end = Some(RunEnd::of(&e));
                report.name = chartroom_engine::plugin::manifest::parse(&pj.yaml).map(|m| m.name).unwrap_or_default();
                // Helm stops before rendering when the plugin does not load.
                let f = RenderFailure { plugin: true, ..RenderFailure::new(format!("failed to load plugin: {e}")) };
                return (Err(f), Some(report));
            }
        };
        report.cached = cached;
        report.name = plugin.name().to_string();
        report.plugin_type = plugin.metadata.plugin_type.name().to_string();
        report.lint = plugin.lint();
        let http_limit = Limits::from_config(&plugin.metadata.runtime, profile).max_http_response_bytes;
        let opts = RunOptions {
            profile,
            fuel_budget: pj.fuel_budget,
            clock: host.clock.clone(),
            http: Some(Rc::new(MockThenNetwork::new(&pj.mock_http, host.network.clone()))),
            random_seed: req.seed.unwrap_or(0),
            on_progress: host.on_progress.clone(),
            sleep: host.sleep.clone(),
            ..RunOptions::default()
        };
        let chart = match chartroom_engine::chart::load_files(&req.files) {
            Ok(c) => c,
            Err(e) => {
                report.note = Some("the chart did not load, so the plugin did not run".into());
                return (Err(crate::protocol::failure(e)), Some(report));
            }
        };
        match &plugin.metadata.plugin_type {
            PluginType::PostRenderer => {
                let pr = PostRender { plugin: &plugin, args: &pj.args, opts: &opts };
                let (result, post) = match render_chart_post_async(&chart, &req, &pr).await {
                    Ok((out, post)) => (Ok(rendered(out)), post),
                    // A failed run fails the render with Helm's text of it.
                    Err((e, post)) => {
                        let ran_and_failed = post.run.as_ref().is_some_and(|r| r.error.is_some());
                        (Err(RenderFailure { plugin: ran_and_failed, ..failure(e) }), post)
                    }
                };
                // The plugin's input, for the diff (None: the chart did not render).
                report.input = post.input.unwrap_or_default();
                if let Some(run) = post.run {
                    fill_run(&mut report, &run, http_limit);
                    report.output = post_render_stream(&run.output);
                } else if report.input.is_empty() {
                    report.note = Some("the chart failed to render, so the post-renderer did not run".into());
                } else {
                    report.note = Some("the post-renderer did not run".into());
                }
                (result, Some(report))
            }
            PluginType::Cli(_) => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                if pj.run_cli {
                    // Helm gives cli plugins os.Environ + its HELM_* settings;
                    // a browser has no OS environment, so the page plays a
                    // user whose HOME is /home/user running `helm`.
                    let mut env = chartroom_engine::plugin::cli::helm_env(
                        &[("HOME".to_string(), BROWSER_HOME.to_string())],
                        "helm",
                    );
                    // The options bar's namespace is `helm -n NS`: a setting
                    // (settings.EnvVars' HELM_NAMESPACE), not an inherited
                    // variable, so it keeps the setting's place in the list.
                    if !req.namespace.is_empty() {
                        for (k, v) in env.iter_mut().filter(|(k, _)| k == "HELM_NAMESPACE") {
                            let _ = k;
                            *v = req.namespace.clone();
                        }
                    }
                    let opts = RunOptions { env, ..opts };
                    let run = chartroom_engine::plugin::cli::run_async(&plugin, &pj.args, &opts).await;
                    fill_run(&mut report, &run, http_limit);
                } else {
                    report.note = Some("a cli/v1 plugin is not a post-renderer: it runs when you press Run, with the arguments as its command line".into());
                }
                (result, Some(report))
            }
            PluginType::Getter(_) => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                match (pj.run_cli, pj.args.first()) {
                    (true, Some(href)) => {
                        // As `chartroom plugin get DIR URL`: the first argument
                        // is the URL Helm would ask the getter for.
                        use chartroom_engine::plugin::getter;
                        let gopts = getter::GetterOptions { url: href.clone(), ..Default::default() };
                        let (run, data) = getter::run_async(&plugin, href, &gopts, &opts).await;
                        fill_run(&mut report, &run, http_limit);
                        match data {
                            Ok(bytes) => {
                                report.output = Some(match String::from_utf8(bytes) {
                                    Ok(text) => text,
                                    Err(e) => format!("(binary artefact, {} bytes)", e.as_bytes().len()),
                                });
                            }
                            Err(e) => {
                                report.end = Some(RunEnd::of(&e));
                                report.error = Some(e.message);
                            }
                        }
                    }
                    (true, None) => {
                        report.note = Some("a getter/v1 plugin downloads a URL: put it (e.g. example://repo/index.yaml) in the arguments field, then Run".into());
                    }
                    (false, _) => {
                        report.note = Some("a getter/v1 plugin is not a post-renderer: it runs when you press Run, with the first argument as the URL to get".into());
                    }
                }
                (result, Some(report))
            }
            other => {
                let result = chartroom_engine::api::render_chart(&chart, &req).map(rendered).map_err(failure);
                report.note = Some(format!("{} plugins are not run by the playground (only postrenderer/v1 with the render, cli/v1 and getter/v1 with Run)", other.name()));
                (result, Some(report))
            }
        }
    }
}

/// The `manifests` string of a post-renderer's output message, else the
/// raw output (so the panel still shows what came back).
fn post_render_stream(output: &[u8]) -> Option<String> {
    if output.is_empty() {
        return None;
    }
    match chartroom_engine::plugin::json::parse(output) {
        Ok(v) => match v.get_field("manifests") {
            Some(chartroom_engine::plugin::json::Json::String(s)) => Some(s.clone()),
            _ => Some(String::from_utf8_lossy(output).into_owned()),
        },
        Err(_) => Some(String::from_utf8_lossy(output).into_owned()),
    }
}

fn fill_run(report: &mut PluginReport, run: &RunResult, http_limit: u64) {
    let s = &run.summary;
    report.ran = true;
    report.rc = run.rc;
    report.error = run.error_text().map(str::to_string);
    report.end = run.error.as_ref().map(RunEnd::of);
    report.stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    report.stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    report.summary = PluginSummary {
        wall_ms: s.wall_ms,
        timeout_ms: s.timeout_ms,
        fuel_used: s.fuel_used,
        fuel_budget: s.fuel_budget,
        peak_pages: s.peak_pages,
        max_pages: s.max_pages,
        http_requests: s.http_requests,
        http_bytes: s.http_bytes,
        max_http_response_bytes: http_limit,
        var_bytes: s.var_bytes,
    };
    report.events = run
        .log
        .events
        .iter()
        .map(|e| CapEvent {
            t_ms: e.t_ms,
            fuel: e.fuel,
            fuel_exact: e.fuel_exact,
            pages: e.pages,
            call: e.call.clone(),
            args: e.args.clone(),
            allowed: e.decision == Decision::Allowed,
            rule: e.rule.clone(),
        })
        .collect();
    report.events_dropped = run.log.dropped;
}

/// What the worker lends plugin runs: its clock, its network (fetch), its
/// timer and the live meters' callback (all None natively: the engine's
/// defaults, HTTP from the mock table only).
#[derive(Clone, Default)]
pub struct PluginHost {
    pub clock: Option<Rc<dyn Clock>>,
    pub network: Option<Rc<dyn HttpClient>>,
    pub on_progress: Option<chartroom_engine::plugin::ProgressFn>,
    pub sleep: Option<SleepFn>,
}

/// Loaded plugins by content hash (plugin.yaml + plugin.wasm), so a render
/// after an edit of the chart reuses the compiled module.
#[derive(Default)]
pub struct PluginCache {
    entries: Vec<(String, Rc<Plugin>)>,
}

/// Plugins kept compiled (a few, so switching examples back and forth is fast).
const CACHE_SIZE: usize = 4;

impl PluginCache {
    /// The plugin for these files, and whether it came from the cache.
    pub fn load(&mut self, yaml: &str, wasm: &[u8]) -> Result<(Rc<Plugin>, bool), Error> {
        let mut h = Sha256::new();
        h.update((yaml.len() as u64).to_le_bytes());
        h.update(yaml.as_bytes());
        h.update(wasm);
        let key: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if let Some(i) = self.entries.iter().position(|(k, _)| *k == key) {
            let e = self.entries.remove(i);
            let p = e.1.clone();
            self.entries.push(e);
            return Ok((p, true));
        }
        let files: BTreeMap<String, Vec<u8>> =
            [("plugin.yaml".to_string(), yaml.as_bytes().to_vec()), ("plugin.wasm".to_string(), wasm.to_vec())].into();
        let p = Rc::new(chartroom_engine::plugin::load(&files)?);
        if self.entries.len() >= CACHE_SIZE {
            self.entries.remove(0);
        }
        self.entries.push((key, p.clone()));
        Ok((p, false))
    }
}

/// The mock table first (exact URL), then the network when the host has one.
pub struct MockThenNetwork {
    mock: MockHttp,
    network: Option<Rc<dyn HttpClient>>,
}

impl MockThenNetwork {
    pub fn new(entries: &[MockHttpEntry], network: Option<Rc<dyn HttpClient>>) -> Self {
        let mut mock = MockHttp::default();
        for e in entries {
            mock.responses.insert(
                e.url.clone(),
                HttpResponse {
                    status: e.status,
                    headers: e.headers.iter().cloned().collect(),
                    body: e.body.as_bytes().to_vec(),
                },
            );
        }
        MockThenNetwork { mock, network }
    }
}

impl HttpClient for MockThenNetwork {
    fn fetch(&self, req: &HttpRequest) -> HttpFuture {
        match (self.mock.answer(req), &self.network) {
            (Ok(r), _) => chartroom_engine::plugin::http::ready(Ok(r)),
            (Err(_), Some(n)) => n.fetch(req),
            (Err(e), None) => chartroom_engine::plugin::http::ready(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::Options;
    use crate::protocol::PluginJob;

    fn read(rel: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn plugin(name: &str, args: &[&str], run_cli: bool) -> PluginJob {
        PluginJob {
            yaml: String::from_utf8(read(&format!("public/plugins/{name}/plugin.yaml"))).unwrap(),
            wasm: read(&format!("public/plugins/{name}/plugin.wasm")),
            args: args.iter().map(|a| a.to_string()).collect(),
            profile: "helm-4.2".into(),
            fuel_budget: None,
            mock_http: Vec::new(),
            run_cli,
        }
    }

    /// Expected texts: `chartroom plugin get public/plugins/getter URL`
    /// (stdout, and the `Error:` line for a missing artefact).
    #[test]
    fn getter_runs_on_demand_with_the_first_argument_as_url() {
        let (r, rep) = hello_world_job(Some(plugin("getter", &["example://repo/README.txt"], false)))
            .run_with(&PluginHost::default(), &mut PluginCache::default());
        let rep = rep.expect("report");
        assert!(r.is_ok() && !rep.ran && rep.note.is_some(), "not run with a plain render");
        let (_, rep) = hello_world_job(Some(plugin("getter", &["example://repo/README.txt"], true)))
            .run_with(&PluginHost::default(), &mut PluginCache::default());
        let rep = rep.expect("report");
        assert_eq!(rep.output.as_deref(), Some("Served by the example getter plugin over example://\n"));
        assert_eq!(rep.error, None);
        let (_, rep) = hello_world_job(Some(plugin("getter", &["example://repo/nope"], true)))
            .run_with(&PluginHost::default(), &mut PluginCache::default());
        assert_eq!(
            rep.expect("report").error.as_deref(),
            Some("plugin \"getter\" failed to invoke: plugin error: example getter: no artefact at example://repo/nope (try example://repo/index.yaml)")
        );
    }

    fn hello_world_job(p: Option<PluginJob>) -> RenderJob {
        let files = crate::examples::HELLO_WORLD.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
        let mut job = RenderJob::new(1, files, &Options::default());
        job.plugin = p;
        job
    }

    /// The expected text comes from the native CLI (`chartroom template
    /// release-name public/examples/hello-world --post-renderer
    /// public/plugins/add-labels --post-renderer-args team=web`).
    #[test]
    fn post_renderer_output_matches_the_native_cli() {
        let mut cache = PluginCache::default();
        let (r, rep) = hello_world_job(Some(plugin("add-labels", &["team=web"], false)))
            .run_with(&PluginHost::default(), &mut cache);
        let expected =
            String::from_utf8(read("tests/e2e/fixtures/hello-world-add-labels-team.post-renderer.yaml")).unwrap();
        assert_eq!(r.unwrap().manifest, expected);
        let rep = rep.unwrap();
        assert!(rep.ran && rep.error.is_none() && !rep.cached);
        assert_eq!(rep.plugin_type, "postrenderer/v1");
        assert!(
            rep.input.contains("postrenderer.helm.sh/postrender-filename: hello-world/templates/service.yaml"),
            "{}",
            rep.input
        );
        let out = rep.output.unwrap();
        assert!(out.contains("team: \"web\"") || out.contains("team: web"), "{out}");
        let (add, del) = crate::plugin_state::diff_stats(&crate::plugin_state::line_diff(&rep.input, &out));
        assert!(add >= 3 && del == 0, "+{add} -{del}");
        // Second render: the compiled plugin comes from the cache.
        let (_, rep2) = hello_world_job(Some(plugin("add-labels", &["team=web"], false)))
            .run_with(&PluginHost::default(), &mut cache);
        assert!(rep2.unwrap().cached);
    }

    /// `helm -n prod hello-cli`: the options bar's namespace reaches the
    /// plugin as HELM_NAMESPACE (Helm's settings.EnvVars); default otherwise.
    #[test]
    fn cli_plugins_see_the_namespace_as_helm_namespace() {
        for (ns, expected) in [("prod", "  HELM_NAMESPACE=prod\n"), ("default", "  HELM_NAMESPACE=default\n")] {
            let files =
                crate::examples::HELLO_WORLD.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
            let mut job = RenderJob::new(1, files, &Options { namespace: ns.into(), ..Options::default() });
            job.plugin = Some(plugin("hello-cli", &[], true));
            let (_, rep) = job.run_with(&PluginHost::default(), &mut PluginCache::default());
            let rep = rep.expect("report");
            assert_eq!(rep.error, None);
            assert!(rep.stdout.contains(expected), "{}", rep.stdout);
        }
    }

    #[test]
    fn memory_bomb_hits_max_pages() {
        let (r, rep) = hello_world_job(Some(plugin("memory-bomb", &[], false)))
            .run_with(&PluginHost::default(), &mut PluginCache::default());
        let failure = r.unwrap_err();
        let msg = &failure.message;
        assert!(msg.contains("memory limit exceeded"), "{msg}");
        // The page hides the render's box beside the panel from this field.
        assert!(failure.plugin, "the run's failure is the plugin's");
        let rep = rep.unwrap();
        assert_eq!(rep.summary.max_pages, 64);
        assert!(rep.events.iter().any(|e| !e.allowed && e.rule.contains("maxPages")), "{:?}", rep.events);
    }

    #[test]
    fn cli_plugins_run_only_when_asked_and_denials_are_logged() {
        let mut cache = PluginCache::default();
        let (r, rep) =
            hello_world_job(Some(plugin("denied-host", &[], false))).run_with(&PluginHost::default(), &mut cache);
        assert!(r.is_ok());
        let rep = rep.unwrap();
        assert!(!rep.ran && rep.note.is_some());
        let (r, rep) =
            hello_world_job(Some(plugin("denied-host", &[], true))).run_with(&PluginHost::default(), &mut cache);
        assert!(r.is_ok(), "the chart still renders");
        let rep = rep.unwrap();
        assert_eq!(
            rep.error.as_deref(),
            Some("plugin error: HTTP request to 'https://evil.example.com/exfiltrate' is not allowed")
        );
        let denial = rep.events.iter().find(|e| !e.allowed).unwrap();
        assert_eq!(denial.call, "extism:host/env.http_request");
        assert!(denial.rule.contains("allowedHosts"), "{}", denial.rule);
    }

    /// The summary names what ended each failing example (plugins/README.md
    /// lists their outcomes), never `rc 0`; the log's fuel column is
    /// cumulative and within the run's total, with a range for the events
    /// whose caller cannot read the meter (memory.grow).
    #[test]
    fn failed_runs_name_their_end_and_the_fuel_column_is_cumulative() {
        use crate::plugin_state::{fuel_ranges, run_status};
        let cases = [
            ("memory-bomb", false, "failed (memory limit: memory.maxPages=64, then trap: unreachable)"),
            ("tight-loop", false, "failed (timeout: timeout=200ms)"),
            ("trap", true, "failed (trap: unreachable)"),
            ("deep-recursion", true, "failed (trap: stack overflow)"),
            ("denied-host", true, "failed (http_request refused)"),
            ("var-overflow", true, "failed (var_set refused)"),
            ("tmp-write", true, "failed (rc -1, the plugin's error)"),
            ("output-flood", true, "failed (host block limit (64 MiB per call))"),
            ("undeclared-host-fn", true, "failed (not instantiated)"),
            ("hello-cli", true, "rc 0"),
        ];
        let mut cache = PluginCache::default();
        for (name, cli, want) in cases {
            let (_, rep) = hello_world_job(Some(plugin(name, &[], cli))).run_with(&PluginHost::default(), &mut cache);
            let rep = rep.expect("report");
            assert!(rep.ran, "{name}");
            assert_eq!(run_status(rep.rc, rep.end.as_ref(), &rep.events), want, "{name}: {:?}", rep.error);
            let total = rep.summary.fuel_used;
            let ranges = fuel_ranges(&rep.events, total);
            for (i, (e, &(lo, hi))) in rep.events.iter().zip(&ranges).enumerate() {
                assert!(lo <= hi && hi <= total, "{name} row {i}: {lo}–{hi}, total {total}");
                if e.fuel_exact {
                    assert_eq!((lo, hi), (e.fuel, e.fuel), "{name} row {i}");
                }
                if i > 0 {
                    assert!(lo >= ranges[i - 1].0 && hi >= ranges[i - 1].1, "{name}: not cumulative {ranges:?}");
                }
            }
            if name == "memory-bomb" {
                assert!(rep.events.iter().any(|e| e.call == "memory.grow" && !e.fuel_exact), "{:?}", rep.events);
            }
        }
    }

    #[test]
    fn mock_table_answers_before_the_network() {
        struct Net;
        impl HttpClient for Net {
            fn fetch(&self, _: &HttpRequest) -> HttpFuture {
                chartroom_engine::plugin::http::ready(Err("blocked by the browser: CORS or network error".into()))
            }
        }
        let m = MockThenNetwork::new(
            &[MockHttpEntry { url: "https://a.example/x".into(), status: 201, headers: vec![], body: "hi".into() }],
            Some(Rc::new(Net)),
        );
        let req =
            |url: &str| HttpRequest { url: url.into(), method: "GET".into(), headers: BTreeMap::new(), body: vec![] };
        let get = |url: &str| block_on(m.fetch(&req(url))).expect("answered at once");
        assert_eq!(get("https://a.example/x").unwrap().status, 201);
        assert_eq!(get("https://a.example/y").unwrap_err(), "blocked by the browser: CORS or network error");
    }

    #[test]
    fn a_plugin_yaml_error_stops_the_render_with_helms_text() {
        let mut p = plugin("add-labels", &[], false);
        p.yaml = "apiVersion: v1\nname: x\n".into();
        let (r, rep) = hello_world_job(Some(p)).run_with(&PluginHost::default(), &mut PluginCache::default());
        let failure = r.unwrap_err();
        assert!(failure.message.starts_with("failed to load plugin: "));
        assert!(failure.plugin, "a plugin that does not load is the plugin's failure");
        assert!(rep.unwrap().error.is_some());
    }
}
