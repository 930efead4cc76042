//! `chartroom template [NAME] CHART [flags]`: `helm template`'s arguments and
//! output, from the same engine the browser runs. stdout: manifests;
//! stderr and exit 1: `Error: ...`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use chartroom_engine::RenderRequest;

const USAGE: &str = "Usage:
  chartroom template [NAME] CHART [flags]
  chartroom plugin invoke PLUGIN_DIR --input FILE|-   send exactly these bytes to the plugin, print its raw output
  chartroom plugin run PLUGIN_DIR [-- ARGS...]        run a cli/v1 plugin
  chartroom plugin get PLUGIN_DIR URL                 run a getter/v1 plugin, artefact bytes to stdout

Flags (as helm template):
  -f, --values FILE         values file (repeatable, applied in order)
      --set K=V             set values (repeatable)
      --set-string K=V      set STRING values (repeatable)
      --set-json K=JSON     set JSON values, or merge a JSON object (repeatable)
      --set-file K=PATH     set values from the contents of files (repeatable)
      --set-literal K=V     set a literal STRING value, all after the first = (repeatable)
  -n, --namespace NS        namespace (default \"default\")
      --kube-version V      Kubernetes version for Capabilities.KubeVersion
  -a, --api-versions V      extra API versions for Capabilities.APIVersions (repeatable)
      --is-upgrade          set .Release.IsUpgrade instead of .Release.IsInstall
      --include-crds        include CRDs in the output
      --skip-tests          skip tests from the output
      --no-hooks            prevent hooks from being rendered
  -s, --show-only PATH      only show manifests rendered from the given templates (repeatable)
      --enable-dns          allow getHostByName (recorded as a capability decision)
      --skip-schema-validation  do not validate values against values.schema.json
      --mock-cluster FILE   objects (YAML documents) that lookup answers from (helm template has no cluster)
      --seed N              fixed seed for random functions (reproducible output)
      --notes               also print the rendered NOTES.txt after the manifests
      --post-renderer DIR   run a Helm 4 Wasm postrenderer/v1 plugin (plugin.yaml + plugin.wasm)
      --post-renderer-args A  argument for the post-renderer (repeatable)

Plugin flags (plugin commands and --post-renderer):
      --profile P           helm-4.2 (default: Helm's effective limits) or documented (the docs' defaults)
      --fuel N              instruction budget, so a run is reproducible on any machine
      --mock-http FILE      YAML/JSON table: URL -> {status, headers, body}
      --log json            print the capability log and limits summary (JSON) to stderr
";

fn read_dir(root: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let p = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, std::fs::read(&p)?);
            }
        }
    }
    Ok(out)
}

/// How deep the chart walk goes: Helm follows symbolic links without a
/// limit (a link to a parent folder loops until paths get too long); here a
/// loop ends with an error instead.
const MAX_WALK_DEPTH: usize = 64;

/// A chart folder read as `loader.LoadDir` reads it (pkg/chart/v2/loader/
/// directory.go with internal/sympath.Walk): the root's `.helmignore`
/// (plus the default rule) decides in the walk itself, so an ignored
/// folder is never opened and an ignored file never read; names in sorted
/// order; symbolic links followed; a file that is not regular, or larger
/// than 5 MiB, is an error unless ignored. `load_files` applies the same
/// rules again to the map, which keeps it unchanged.
fn read_chart_dir(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    use chartroom_engine::chart::ignore::{Rules, HELM_IGNORE};
    let topdir = std::path::absolute(root).map_err(|e| e.to_string())?;
    let ifile = topdir.join(HELM_IGNORE);
    let rules = if ifile.exists() {
        let bytes = std::fs::read(&ifile).map_err(|e| format!("open {}: {e}", ifile.display()))?;
        Rules::for_load_dir(Some(&bytes))
    } else {
        Rules::for_load_dir(None)
    };
    let rules = rules.map_err(|e| e.message)?;
    let mut out = BTreeMap::new();
    walk_chart_dir(&topdir, "", &rules, &mut out, 0)?;
    Ok(out)
}

fn walk_chart_dir(
    dir: &Path,
    rel: &str,
    rules: &chartroom_engine::chart::ignore::Rules,
    out: &mut BTreeMap<String, Vec<u8>>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_WALK_DEPTH {
        return Err(format!("{}: folders nested too deeply (a symbolic link loop?)", dir.display()));
    }
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir)
        .and_then(|it| it.map(|e| e.map(|e| e.file_name())).collect())
        .map_err(|e| format!("open {}: {e}", dir.display()))?;
    // sort.Strings: byte order.
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    for name in names {
        let path = dir.join(&name);
        let n = match rel {
            "" => name.to_string_lossy().into_owned(),
            _ => format!("{rel}/{}", name.to_string_lossy()),
        };
        // Lstat, then the link's target for a symbolic link.
        let mut meta = std::fs::symlink_metadata(&path).map_err(|e| format!("lstat {}: {e}", path.display()))?;
        if meta.file_type().is_symlink() {
            meta = std::fs::metadata(&path).map_err(|e| format!("error evaluating symlink {}: {e}", path.display()))?;
        }
        if meta.is_dir() {
            // An ignored folder is skipped whole (filepath.SkipDir).
            if !rules.ignore(&n, true) {
                walk_chart_dir(&path, &n, rules, out, depth + 1)?;
            }
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(format!("cannot load irregular file {} as it has file mode type bits set", path.display()));
        }
        let max = chartroom_engine::chart::archive::MAX_DECOMPRESSED_FILE_SIZE;
        if meta.len() > max {
            let quoted = chartroom_engine::gofmt::strconv::quote(&name.to_string_lossy());
            return Err(format!("chart file {quoted} is larger than the maximum file size {max}"));
        }
        let data = std::fs::read(&path).map_err(|e| format!("error reading {n}: {e}"))?;
        out.insert(n, data);
    }
    Ok(())
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("Error: {msg}");
    ExitCode::from(1)
}

/// Plugin options shared by `plugin ...` and `template --post-renderer`.
#[derive(Default)]
struct PluginFlags {
    profile: Option<String>,
    fuel: Option<u64>,
    mock_http: Option<String>,
    log_json: bool,
}

impl PluginFlags {
    /// Consumes a plugin flag at `args[*i]`; true if it was one.
    fn take(&mut self, args: &[String], i: &mut usize) -> Result<bool, String> {
        let a = args[*i].as_str();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let value = |i: &mut usize| -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| format!("flag needs an argument: {flag}"))
        };
        match flag {
            "--profile" => self.profile = Some(value(i)?),
            "--fuel" => self.fuel = Some(value(i)?.parse().map_err(|_| "--fuel needs a number".to_string())?),
            "--mock-http" => self.mock_http = Some(value(i)?),
            "--log" => {
                let v = value(i)?;
                if v != "json" {
                    return Err(format!("--log: unknown format {v:?} (only json)"));
                }
                self.log_json = true;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    #[cfg(feature = "plugins")]
    fn run_options(&self) -> Result<chartroom_engine::plugin::RunOptions, String> {
        use chartroom_engine::plugin::{limits::Profile, RunOptions};
        use std::rc::Rc;
        let mut o = RunOptions::default();
        if let Some(p) = &self.profile {
            o.profile = Profile::parse(p).ok_or_else(|| format!("unknown profile {p:?} (helm-4.2 or documented)"))?;
        }
        o.fuel_budget = self.fuel;
        // The CLI is a native program; the browser passes its own clock.
        #[cfg(not(target_arch = "wasm32"))]
        {
            o.clock = Some(Rc::new(chartroom_engine::plugin::limits::SystemClock::new()));
        }
        if let Some(f) = &self.mock_http {
            let text = std::fs::read_to_string(f).map_err(|e| format!("open {f}: {e}"))?;
            o.http = Some(Rc::new(mock_http_table(f, &text)?));
        }
        Ok(o)
    }
}

/// Reads a mock HTTP table: `URL: {status: 200, headers: {k: v}, body: "..."}`
/// (`METHOD URL` keys select a method).
#[cfg(feature = "plugins")]
fn mock_http_table(name: &str, text: &str) -> Result<chartroom_engine::plugin::http::MockHttp, String> {
    use chartroom_engine::plugin::http::{HttpResponse, MockHttp};
    use chartroom_engine::Value;
    let v = chartroom_engine::yaml::parse(text).map_err(|e| format!("{name}: {}", e.msg))?;
    let mut mock = MockHttp::default();
    let Value::Map(m, _) = v else { return Err(format!("{name}: expected a map of URL to response")) };
    for (url, resp) in m.borrow().iter() {
        let status = match resp.get("status") {
            Some(Value::Float(f)) if (100.0..1000.0).contains(&f) => f as u16,
            None => 200,
            Some(other) => return Err(format!("{name}: {url}: bad status {}", other.to_go_string())),
        };
        let mut headers = BTreeMap::new();
        if let Some(Value::Map(h, _)) = resp.get("headers") {
            for (k, v) in h.borrow().iter() {
                headers.insert(k.clone(), v.to_go_string());
            }
        }
        let body = match resp.get("body") {
            Some(Value::String(s)) => s.as_bytes().to_vec(),
            None | Some(Value::Nil) => Vec::new(),
            Some(other) => other.to_go_string().into_bytes(),
        };
        mock.responses.insert(url.clone(), HttpResponse { status, headers, body });
    }
    Ok(mock)
}

#[cfg(feature = "plugins")]
fn load_plugin(dir: &str) -> Result<chartroom_engine::plugin::Plugin, String> {
    let files = read_dir(Path::new(dir)).map_err(|e| format!("plugin directory {dir:?}: {e}"))?;
    chartroom_engine::plugin::load(&files).map_err(|e| e.to_string())
}

#[cfg(feature = "plugins")]
fn report_run(flags: &PluginFlags, r: &chartroom_engine::plugin::RunResult) {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = err.write_all(&r.stderr);
    if flags.log_json {
        let _ = writeln!(err, "{}", r.to_json());
    }
}

#[cfg(feature = "plugins")]
fn plugin_main(args: &[String]) -> ExitCode {
    use std::io::{Read, Write};
    let mut flags = PluginFlags::default();
    let mut rest = Vec::new();
    let mut passthrough = Vec::new();
    let mut input: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--" {
            passthrough.extend(args[i + 1..].iter().cloned());
            break;
        }
        match flags.take(args, &mut i) {
            Ok(true) => {}
            Ok(false) if args[i] == "--input" => {
                i += 1;
                input = args.get(i).cloned();
            }
            Ok(false) => rest.push(args[i].clone()),
            Err(e) => return fail(&e),
        }
        i += 1;
    }
    let (cmd, dir) = match (rest.first(), rest.get(1)) {
        (Some(c), Some(d)) => (c.as_str(), d.as_str()),
        _ => return fail("usage: chartroom plugin invoke|run|get PLUGIN_DIR ..."),
    };
    let plugin = match load_plugin(dir) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let opts = match flags.run_options() {
        Ok(o) => o,
        Err(e) => return fail(&e),
    };
    for l in plugin.lint() {
        eprintln!("lint: {l}");
    }
    let mut out = std::io::stdout();
    match cmd {
        "invoke" => {
            let bytes = match input.as_deref() {
                Some("-") => {
                    let mut b = Vec::new();
                    if let Err(e) = std::io::stdin().read_to_end(&mut b) {
                        return fail(&format!("reading stdin: {e}"));
                    }
                    b
                }
                Some(f) => match std::fs::read(f) {
                    Ok(b) => b,
                    Err(e) => return fail(&format!("open {f}: {e}")),
                },
                None => return fail("plugin invoke needs --input FILE or --input -"),
            };
            let r = plugin.invoke(&bytes, &opts);
            let _ = out.write_all(&r.stdout);
            let _ = out.write_all(&r.output);
            report_run(&flags, &r);
            match &r.error {
                Some(e) => fail(e),
                None => ExitCode::SUCCESS,
            }
        }
        "run" => {
            let mut run_args = rest[2..].to_vec();
            run_args.extend(passthrough);
            // Helm gives cli plugins os.Environ + its HELM_* settings.
            let os_env: Vec<(String, String)> = std::env::vars().collect();
            let opts = chartroom_engine::plugin::RunOptions {
                env: chartroom_engine::plugin::cli::helm_env(
                    &os_env,
                    &std::env::args().next().unwrap_or_else(|| "chartroom".into()),
                ),
                ..opts
            };
            let r = chartroom_engine::plugin::cli::run(&plugin, &run_args, &opts);
            let _ = out.write_all(&r.stdout);
            report_run(&flags, &r);
            match &r.error {
                Some(e) => fail(e),
                None => ExitCode::SUCCESS,
            }
        }
        "get" => {
            let Some(url) = rest.get(2) else { return fail("usage: chartroom plugin get PLUGIN_DIR URL") };
            let gopts = chartroom_engine::plugin::getter::GetterOptions { url: url.clone(), ..Default::default() };
            let (r, data) = chartroom_engine::plugin::getter::run(&plugin, url, &gopts, &opts);
            report_run(&flags, &r);
            match data {
                Ok(bytes) => {
                    let _ = out.write_all(&bytes);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        other => fail(&format!("unknown plugin command {other:?} (invoke, run or get)")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("plugin") {
        #[cfg(feature = "plugins")]
        return plugin_main(&args[1..]);
        #[cfg(not(feature = "plugins"))]
        return fail("this chartroom was built without the plugins feature");
    }
    if args.first().map(String::as_str) != Some("template") {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut flags = PluginFlags::default();
    let mut post_renderer: Option<String> = None;
    let mut post_args: Vec<String> = Vec::new();
    let mut req = RenderRequest::default();
    let mut positional = Vec::new();
    let mut values_paths = Vec::new();
    let mut print_notes = false;
    let mut i = 1;
    while i < args.len() {
        match flags.take(&args, &mut i) {
            Ok(true) => {
                i += 1;
                continue;
            }
            Ok(false) => {}
            Err(e) => return fail(&e),
        }
        let a = args[i].as_str();
        // --flag=value form
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let take = |i: &mut usize| -> Option<String> {
            if let Some(v) = &inline {
                return Some(v.clone());
            }
            *i += 1;
            args.get(*i).cloned()
        };
        match flag {
            "-f" | "--values" => match take(&mut i) {
                Some(v) => values_paths.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --values"),
            },
            "--set" => match take(&mut i) {
                Some(v) => req.set.push(v),
                None => return fail("flag needs an argument: --set"),
            },
            "--set-string" => match take(&mut i) {
                Some(v) => req.set_string.push(v),
                None => return fail("flag needs an argument: --set-string"),
            },
            "--set-json" => match take(&mut i) {
                Some(v) => req.set_json.push(v),
                None => return fail("flag needs an argument: --set-json"),
            },
            "--set-file" => match take(&mut i) {
                Some(v) => req.set_file.push(v),
                None => return fail("flag needs an argument: --set-file"),
            },
            "--set-literal" => match take(&mut i) {
                Some(v) => req.set_literal.push(v),
                None => return fail("flag needs an argument: --set-literal"),
            },
            "-n" | "--namespace" => match take(&mut i) {
                Some(v) => req.namespace = v,
                None => return fail("flag needs an argument: --namespace"),
            },
            "--kube-version" => req.kube_version = take(&mut i),
            "-a" | "--api-versions" => match take(&mut i) {
                Some(v) => req.api_versions.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --api-versions"),
            },
            "-s" | "--show-only" => match take(&mut i) {
                Some(v) => req.show_only.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --show-only"),
            },
            "--seed" => match take(&mut i).and_then(|v| v.parse().ok()) {
                Some(v) => req.seed = Some(v),
                None => return fail("--seed needs a number"),
            },
            "--is-upgrade" => req.is_upgrade = true,
            "--include-crds" => req.include_crds = true,
            "--skip-tests" => req.skip_tests = true,
            "--no-hooks" => req.no_hooks = true,
            "--enable-dns" => req.enable_dns = true,
            "--skip-schema-validation" => req.skip_schema_validation = true,
            "--mock-cluster" => match take(&mut i) {
                Some(f) => match std::fs::read_to_string(&f) {
                    Ok(t) => req.mock_cluster = Some(t),
                    Err(e) => return fail(&format!("open {f}: {e}")),
                },
                None => return fail("flag needs an argument: --mock-cluster"),
            },
            "--notes" => print_notes = true,
            "--post-renderer" => post_renderer = take(&mut i),
            "--post-renderer-args" => match take(&mut i) {
                Some(v) => post_args.push(v),
                None => return fail("flag needs an argument: --post-renderer-args"),
            },
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            f if f.starts_with('-') => return fail(&format!("unknown flag: {f}")),
            _ => positional.push(a.to_string()),
        }
        i += 1;
    }
    let chart_dir = match positional.len() {
        1 => positional[0].clone(),
        2 => {
            req.release_name = positional[0].clone();
            positional[1].clone()
        }
        0 => return fail("\"chartroom template\" requires at least 1 argument"),
        _ => return fail("\"chartroom template\" accepts at most 2 arguments"),
    };
    let chart_path = Path::new(&chart_dir);
    let archive = if chart_path.is_file() {
        match std::fs::read(chart_path) {
            Ok(b) => Some(b),
            Err(e) => return fail(&format!("open {chart_dir}: {e}")),
        }
    } else {
        if !chart_path.is_dir() {
            return fail(&format!("path \"{chart_dir}\" not found"));
        }
        req.files = match read_chart_dir(chart_path) {
            Ok(f) => f,
            Err(e) => return fail(&e),
        };
        None
    };
    for p in values_paths {
        match std::fs::read(&p) {
            Ok(b) => req.values_files.push((p, b)),
            Err(e) => return fail(&format!("open {p}: {e}")),
        }
    }
    // --set-file: read the files each argument names (`-` is stdin, as in
    // Helm); an unreadable path stays out of the map, and rendering then
    // fails with Helm's "open PATH: no such file or directory".
    for arg in req.set_file.clone() {
        for p in chartroom_engine::strvals::file_paths(&arg) {
            if req.set_file_data.contains_key(&p) {
                continue;
            }
            let bytes = if p.trim() == "-" {
                let mut b = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
            } else {
                std::fs::read(&p)
            };
            if let Ok(b) = bytes {
                req.set_file_data.insert(p, b);
            }
        }
    }
    let chart = match &archive {
        // A packaged chart (.tgz), loaded like `helm template NAME chart.tgz`.
        Some(bytes) => chartroom_engine::chart::archive::load_archive_file(&chart_dir, bytes),
        None => chartroom_engine::chart::load_files(&req.files),
    };
    let chart = match chart {
        Ok(c) => c,
        Err(e) => return fail(&e.message),
    };
    let result = match &post_renderer {
        None => {
            let _ = &flags;
            let _ = &post_args;
            chartroom_engine::api::render_chart(&chart, &req)
        }
        #[cfg(feature = "plugins")]
        Some(dir) => {
            let plugin = match load_plugin(dir) {
                Ok(p) => p,
                Err(e) => return fail(&e),
            };
            let opts = match flags.run_options() {
                Ok(o) => o,
                Err(e) => return fail(&e),
            };
            let pr = chartroom_engine::api::PostRender { plugin: &plugin, args: &post_args, opts: &opts };
            match chartroom_engine::api::render_chart_post(&chart, &req, &pr) {
                Ok((out, post)) => {
                    if let Some(r) = &post.run {
                        report_run(&flags, r);
                    }
                    Ok(out)
                }
                Err((e, post)) => {
                    if let Some(r) = &post.run {
                        report_run(&flags, r);
                    }
                    Err(e)
                }
            }
        }
        #[cfg(not(feature = "plugins"))]
        Some(_) => return fail("this chartroom was built without the plugins feature"),
    };
    match result {
        Ok(out) => {
            // Helm writes Go's bytes, including bytes that are not UTF-8
            // (chartroom_engine::gostring).
            use std::io::Write;
            let mut stdout = std::io::stdout();
            let _ = stdout.write_all(&chartroom_engine::gostring::to_bytes(&out.manifest));
            if print_notes && !out.notes.is_empty() {
                let notes = format!("\nNOTES:\n{}\n", out.notes);
                let _ = stdout.write_all(&chartroom_engine::gostring::to_bytes(&notes));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.message),
    }
}
