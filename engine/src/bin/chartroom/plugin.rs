//! `chartroom plugin invoke|run|get PLUGIN_DIR`: runs a Helm 4 Wasm plugin
//! directly (Chartroom's own commands, unchanged), and the plugin options
//! `template --post-renderer` shares with them.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use crate::fail;

/// Plugin options shared by `plugin ...` and `template --post-renderer`.
#[derive(Default)]
pub struct PluginFlags {
    pub profile: Option<String>,
    pub fuel: Option<u64>,
    pub mock_http: Option<String>,
    pub log_json: bool,
}

impl PluginFlags {
    /// Consumes a plugin flag at `args[*i]`; true if it was one.
    pub fn take(&mut self, args: &[String], i: &mut usize) -> Result<bool, Error> {
        let a = args[*i].as_str();
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let value = |i: &mut usize| -> Result<String, Error> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            *i += 1;
            args.get(*i).cloned().ok_or_else(|| Error::new(ErrorKind::Cli, format!("flag needs an argument: {flag}")))
        };
        match flag {
            "--profile" => self.profile = Some(value(i)?),
            "--fuel" => {
                self.fuel = Some(value(i)?.parse().map_err(|_| Error::new(ErrorKind::Cli, "--fuel needs a number"))?)
            }
            "--mock-http" => self.mock_http = Some(value(i)?),
            "--log" => {
                let v = value(i)?;
                if v != "json" {
                    return Err(Error::new(ErrorKind::Cli, format!("--log: unknown format {v:?} (only json)")));
                }
                self.log_json = true;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    #[cfg(feature = "plugins")]
    pub fn run_options(&self) -> Result<chartroom_engine::plugin::RunOptions, Error> {
        use chartroom_engine::plugin::{limits::Profile, RunOptions};
        use std::rc::Rc;
        let mut o = RunOptions::default();
        if let Some(p) = &self.profile {
            o.profile = Profile::parse(p)
                .ok_or_else(|| Error::new(ErrorKind::Cli, format!("unknown profile {p:?} (helm-4.2 or documented)")))?;
        }
        o.fuel_budget = self.fuel;
        // The CLI is a native program; the browser passes its own clock.
        #[cfg(not(target_arch = "wasm32"))]
        {
            o.clock = Some(Rc::new(chartroom_engine::plugin::limits::SystemClock::new()));
        }
        if let Some(f) = &self.mock_http {
            let text = std::fs::read_to_string(f).map_err(|e| Error::new(ErrorKind::Cli, format!("open {f}: {e}")))?;
            o.http = Some(Rc::new(mock_http_table(f, &text)?));
        }
        Ok(o)
    }
}

/// Reads a mock HTTP table: `URL: {status: 200, headers: {k: v}, body: "..."}`
/// (`METHOD URL` keys select a method).
#[cfg(feature = "plugins")]
fn mock_http_table(name: &str, text: &str) -> Result<chartroom_engine::plugin::http::MockHttp, Error> {
    use chartroom_engine::plugin::http::{HttpResponse, MockHttp};
    use chartroom_engine::Value;
    let v =
        chartroom_engine::yaml::parse(text).map_err(|e| Error::new(ErrorKind::Cli, format!("{name}: {}", e.msg)))?;
    let mut mock = MockHttp::default();
    let Value::Map(m, _) = v else {
        return Err(Error::new(ErrorKind::Cli, format!("{name}: expected a map of URL to response")));
    };
    for (url, resp) in m.borrow().iter() {
        let status = match resp.get("status") {
            Some(Value::Float(f)) if (100.0..1000.0).contains(&f) => f as u16,
            None => 200,
            Some(other) => {
                return Err(Error::new(ErrorKind::Cli, format!("{name}: {url}: bad status {}", other.to_go_string())))
            }
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
pub fn load_plugin(dir: &str) -> Result<chartroom_engine::plugin::Plugin, Error> {
    let files = crate::loader::read_dir(Path::new(dir))
        .map_err(|e| Error::new(ErrorKind::Cli, format!("plugin directory {dir:?}: {e}")))?;
    // Kind Plugin, or Unsupported for a subprocess plugin.
    chartroom_engine::plugin::load(&files)
}

#[cfg(feature = "plugins")]
pub fn report_run(flags: &PluginFlags, r: &chartroom_engine::plugin::RunResult) {
    use std::io::Write;
    let mut err = std::io::stderr();
    let _ = err.write_all(&r.stderr);
    if flags.log_json {
        let _ = writeln!(err, "{}", r.to_json());
    }
}

#[cfg(feature = "plugins")]
pub fn plugin_main(args: &[String]) -> ExitCode {
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
                        return fail(format!("reading stdin: {e}"));
                    }
                    b
                }
                Some(f) => match std::fs::read(f) {
                    Ok(b) => b,
                    Err(e) => return fail(format!("open {f}: {e}")),
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
        other => fail(format!("unknown plugin command {other:?} (invoke, run or get)")),
    }
}
