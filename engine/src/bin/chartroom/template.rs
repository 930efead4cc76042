//! `chartroom template [NAME] [CHART] [flags]`: Helm v4.2.3's
//! pkg/cmd/template.go with its flags (addInstallFlags,
//! addValueOptionsFlags, addChartPathOptionsFlags, AddWaitFlag,
//! bindPostRenderFlag, the template-only flags) and the parts of
//! pkg/action/install.go that `helm template` reaches offline:
//! NameAndChart, TemplateName, renderResources' `--output-dir` files.
//! Flags that only matter for a cluster or a download are accepted.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use chartroom_engine::RenderRequest;

use crate::cobra::{self, Command};
use crate::pflag::{Flag, Kind};

const TEMPLATE_DESC: &str = "
Render chart templates locally and display the output.

Any values that would normally be looked up or retrieved in-cluster will be
faked locally. Additionally, none of the server-side testing of chart validity
(e.g. whether an API is supported) is done.

To specify the Kubernetes API versions used for Capabilities.APIVersions, use
the '--api-versions' flag. This flag can be specified multiple times or as a
comma-separated list:

    $ helm template --api-versions networking.k8s.io/v1 --api-versions cert-manager.io/v1 mychart ./mychart

or

    $ helm template --api-versions networking.k8s.io/v1,cert-manager.io/v1 mychart ./mychart
";

/// The `--debug` hint the engine appends where `helm template` does.
pub(crate) const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// Lines Helm writes with Go's standard logger (`log.Printf`): stderr, each
/// after the time as `log.LstdFlags` prints it (UTC here); its slog lines
/// come in the same order, without a time.
pub fn print_go_log(lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let prefix = chartroom_engine::gofmt::log::std_prefix(now);
    for l in lines {
        // slog's lines (Helm's CLI logger) have no time.
        if chartroom_engine::gofmt::slog::is_slog_line(l) {
            eprintln!("{l}");
        } else {
            eprintln!("{prefix}{l}");
        }
    }
}

/// Go's slog text handler line (Helm's logger drops the time).
pub fn slog(level: &str, msg: &str) {
    slog_attrs(level, msg, &[]);
}

/// slog's TextHandler line (Helm's logger drops the time) on stderr.
pub fn slog_attrs(level: &str, msg: &str, attrs: &[(&str, &str)]) {
    eprintln!("{}", chartroom_engine::gofmt::slog::line(level, msg, attrs));
}

/// Helm's addChartPathOptionsFlags (pkg/cmd/flags.go): the chart-locating
/// flags `template`, `install` and `show` share.
pub(crate) fn add_chart_path_options_flags(c: &mut Command) {
    c.flag(s("version", "specify a version constraint for the chart version to use. This constraint can be a specific tag (e.g. 1.1.1) or it may reference a valid range (e.g. ^2.0.0). If this is not specified, the latest version is used"));
    c.flag(b("verify", "verify the package before using it"));
    c.flag(Flag::new(
        "keyring",
        None,
        Kind::String,
        &crate::environment::default_keyring(),
        "location of public keys used for verification",
    ));
    c.flag(s("repo", "chart repository url where to locate the requested chart"));
    c.flag(s("username", "chart repository username where to locate the requested chart"));
    c.flag(s("password", "chart repository password where to locate the requested chart"));
    c.flag(s("cert-file", "identify HTTPS client using this SSL certificate file"));
    c.flag(s("key-file", "identify HTTPS client using this SSL key file"));
    c.flag(b("insecure-skip-tls-verify", "skip tls certificate checks for the chart download"));
    c.flag(b("plain-http", "use insecure HTTP connections for the chart download"));
    c.flag(s("ca-file", "verify certificates of HTTPS-enabled servers using this CA bundle"));
    c.flag(b("pass-credentials", "pass credentials to all domains"));
}

fn b(name: &'static str, usage: &str) -> Flag {
    Flag::new(name, None, Kind::Bool, "false", usage)
}

fn s(name: &'static str, usage: &str) -> Flag {
    Flag::new(name, None, Kind::String, "", usage)
}

fn deprecated(f: Flag, msg: &str) -> Flag {
    f.mark_deprecated(msg)
}

/// `--wait`'s Value.Set (pkg/cmd/flags.go waitValue).
/// A pflag `Value.Set` hook: Go's error text, which pflag wraps.
fn wait_set(v: &str) -> Result<(), Error> {
    match v {
        "watcher" | "legacy" | "hookOnly" => Ok(()),
        "true" => {
            slog("WARN", "--wait=true is deprecated (boolean value) and can be replaced with --wait=watcher");
            Ok(())
        }
        "false" => {
            slog("WARN", "--wait=false is deprecated (boolean value) and can be replaced with --wait=hookOnly");
            Ok(())
        }
        _ => Err(Error::go(format!(
            "invalid wait input {}. Valid inputs are watcher, hookOnly, and legacy",
            chartroom_engine::gofmt::strconv::quote(v)
        ))),
    }
}

/// `--post-renderer`'s Value.Set: Helm looks the plugin up at once
/// (postrenderer.NewPostRendererPlugin → plugin.FindPlugin). Chartroom
/// also takes a plugin folder's path.
fn post_renderer_set(v: &str) -> Result<(), Error> {
    if v.is_empty() {
        return Ok(());
    }
    resolve_post_renderer(v).map(|_| ())
}

/// A post-renderer plugin's folder: a folder path holding plugin.yaml, or
/// the plugin of that name and type `postrenderer/v1` in `$HELM_PLUGINS`
/// (`<dir>/*/plugin.yaml`, the first found, directories in list order).
pub fn resolve_post_renderer(v: &str) -> Result<String, Error> {
    let p = std::path::Path::new(v);
    if p.join("plugin.yaml").is_file() {
        return Ok(v.to_string());
    }
    for dir in crate::environment::plugins_directory().split(':').filter(|d| !d.is_empty()) {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut subs: Vec<std::path::PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        subs.sort();
        for sub in subs {
            let Ok(text) = std::fs::read_to_string(sub.join("plugin.yaml")) else { continue };
            let Ok(doc) = chartroom_engine::yaml::parse(&text) else { continue };
            let field = |k: &str| doc.get(k).and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default();
            if field("name") == v && field("type") == "postrenderer/v1" {
                return Ok(sub.to_string_lossy().into_owned());
            }
        }
    }
    Err(Error::new(ErrorKind::Cli, format!("plugin: {{Name:{v} Type:postrenderer/v1}} not found")))
}

/// The chartroom-only flags (shown apart in help, hidden from cobra's blocks).
const CHARTROOM_FLAGS: &[&str] =
    &["seed", "now", "notes", "mock-cluster", "profile", "fuel", "mock-http", "log", "render-timeout", "helm-version"];

/// `--helm-version`'s check at parse time.
fn helm_version_set(v: &str) -> Result<(), Error> {
    chartroom_engine::releaseutil::HelmRelease::parse(v)
        .map(|_| ())
        .ok_or_else(|| Error::go("chartroom reproduces Helm 4.2.3 or 4.2.4"))
}

/// Helm's addValueOptionsFlags (template, lint, …).
pub(crate) fn add_value_options_flags(c: &mut Command) {
    c.flag(Flag::new(
        "values",
        Some('f'),
        Kind::StringSlice,
        "",
        "specify values in a YAML file or a URL (can specify multiple)",
    ));
    c.flag(Flag::new(
        "set",
        None,
        Kind::StringArray,
        "",
        "set values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)",
    ));
    c.flag(Flag::new("set-string", None, Kind::StringArray, "", "set STRING values on the command line (can specify multiple or separate values with commas: key1=val1,key2=val2)"));
    c.flag(Flag::new("set-file", None, Kind::StringArray, "", "set values from respective files specified via the command line (can specify multiple or separate values with commas: key1=path1,key2=path2)"));
    c.flag(Flag::new("set-json", None, Kind::StringArray, "", "set JSON values on the command line (can specify multiple or separate values with commas: key1=jsonval1,key2=jsonval2 or using json format: {\"key1\": jsonval1, \"key2\": \"jsonval2\"})"));
    c.flag(Flag::new("set-literal", None, Kind::StringArray, "", "set a literal STRING value on the command line"));
}

pub fn command() -> Command {
    let mut c = Command::new("template [NAME] [CHART]", "locally render templates", TEMPLATE_DESC, cobra::ROOT);
    // addInstallFlags
    c.flag(b("create-namespace", "create the release namespace if not present"));
    c.flag(b("force-replace", "force resource updates by replacement"));
    c.flag(deprecated(b("force", "deprecated"), "use --force-replace instead"));
    c.flag(b("force-conflicts", "if set server-side apply will force changes against conflicts"));
    c.flag(Flag::new(
        "server-side",
        None,
        Kind::Bool,
        "true",
        "object updates run in the server instead of the client",
    ));
    c.flag(b("no-hooks", "prevent hooks from running during install"));
    c.flag(b("replace", "reuse the given name, only if that name is a deleted release which remains in the history. This is unsafe in production"));
    c.flag(Flag::new(
        "timeout",
        None,
        Kind::Duration,
        "5m0s",
        "time to wait for any individual Kubernetes operation (like Jobs for hooks)",
    ));
    c.flag(b("wait-for-jobs", "if set and --wait enabled, will wait until all Jobs have been completed before marking the release as successful. It will wait for as long as --timeout"));
    c.flag(Flag::new(
        "generate-name",
        Some('g'),
        Kind::Bool,
        "false",
        "generate the name (and omit the NAME parameter)",
    ));
    c.flag(s("name-template", "specify template used to name the release"));
    c.flag(s("description", "add a custom description"));
    c.flag(b(
        "devel",
        "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    ));
    c.flag(b("dependency-update", "update dependencies if they are missing before installing the chart"));
    c.flag(b(
        "disable-openapi-validation",
        "if set, the installation process will not validate rendered templates against the Kubernetes OpenAPI Schema",
    ));
    c.flag(b("rollback-on-failure", "if set, Helm will rollback (uninstall) the installation upon failure. The --wait flag will be default to \"watcher\" if --rollback-on-failure is set"));
    c.flag(deprecated(b("atomic", "deprecated"), "use --rollback-on-failure instead"));
    c.flag(b("skip-crds", "if set, no CRDs will be installed. By default, CRDs are installed if not already present"));
    c.flag(deprecated(
        b("render-subchart-notes", "if set, render subchart notes along with the parent"),
        "this flag has no effect for 'helm template' and will be removed in Helm 5",
    ));
    c.flag(b("skip-schema-validation", "if set, disables JSON schema validation"));
    c.flag(Flag::new(
        "labels",
        Some('l'),
        Kind::StringToString,
        "",
        "Labels that would be added to release metadata. Should be divided by comma.",
    ));
    c.flag(b("enable-dns", "enable DNS lookups when rendering templates"));
    c.flag(deprecated(
        b("hide-notes", "if set, do not show notes in install output. Does not affect presence in chart metadata"),
        "this flag has no effect for 'helm template' and will be removed in Helm 5",
    ));
    c.flag(b(
        "take-ownership",
        "if set, install will ignore the check for helm annotations and take ownership of the existing resources",
    ));
    add_value_options_flags(&mut c);
    add_chart_path_options_flags(&mut c);
    // AddWaitFlag
    let w = c.flag(Flag::new(
        "wait",
        None,
        Kind::Custom("WaitStrategy"),
        "hookOnly",
        "wait until resources are ready (up to --timeout). Use '--wait' alone for 'watcher' strategy, or specify one of: 'watcher', 'hookOnly', 'legacy'. Default when flag is omitted: 'hookOnly'.",
    ));
    w.no_opt_def_val = "watcher".into();
    w.set_hook = Some(wait_set);
    // template.go
    c.flag(Flag::new(
        "show-only",
        Some('s'),
        Kind::StringArray,
        "",
        "only show manifests rendered from the given templates",
    ));
    c.flag(s("output-dir", "writes the executed templates to files in output-dir instead of stdout"));
    c.flag(deprecated(b("validate", "deprecated"), "use '--dry-run=server' instead"));
    c.flag(b("include-crds", "include CRDs in the templated output"));
    c.flag(b("skip-tests", "skip tests from templated output"));
    c.flag(b("is-upgrade", "set .Release.IsUpgrade instead of .Release.IsInstall"));
    c.flag(s("kube-version", "Kubernetes version used for Capabilities.KubeVersion"));
    c.flag(Flag::new(
        "api-versions",
        Some('a'),
        Kind::StringSlice,
        "",
        "Kubernetes api versions used for Capabilities.APIVersions (multiple can be specified)",
    ));
    c.flag(b("release-name", "use release name in the output-dir path."));
    let d = c.flag(Flag::new(
        "dry-run",
        None,
        Kind::String,
        "client",
        "simulates the operation either client-side or server-side. Must be either: \"client\", or \"server\". '--dry-run=client simulates the operation client-side only and avoids cluster connections. '--dry-run=server' simulates/validates the operation on the server, requiring cluster connectivity.",
    ));
    d.no_opt_def_val = "unset".into();
    // bindPostRenderFlag
    let pr = c.flag(Flag::new(
        "post-renderer",
        None,
        Kind::CustomList("postRendererString"),
        "",
        "the name of a postrenderer type plugin to be used for post rendering. If it exists, the plugin will be used",
    ));
    pr.def_value = String::new();
    pr.set_hook = Some(post_renderer_set);
    c.flag(Flag::new(
        "post-renderer-args",
        None,
        Kind::CustomList("postRendererArgsSlice"),
        "",
        "an argument to the post-renderer (can specify multiple)",
    ));
    c.exclusive = vec![&["validate", "dry-run"], &["force-replace", "force-conflicts"], &["force", "force-conflicts"]];

    // Chartroom's additions.
    for f in chartroom_flags() {
        let mut f = f;
        f.hidden = true;
        c.flag(f);
    }
    let mut extra = crate::pflag::FlagSet::default();
    for f in chartroom_flags() {
        extra.add(f);
    }
    c.help_footer = format!(
        "\nChartroom flags (not in Helm; CHART must be a local folder or .tgz, nothing is downloaded):\n{}",
        extra.flag_usages(|_| true)
    );
    c
}

pub(crate) fn chartroom_flags() -> Vec<Flag> {
    let mut v = vec![
        Flag::new("seed", None, Kind::Int, "0", "fixed seed for the random functions (reproducible output)"),
        Flag::new("now", None, Kind::Int, "0", "fixed clock for the date functions, in Unix seconds"),
        b("notes", "also print the rendered NOTES.txt after the manifests"),
        s("mock-cluster", "YAML documents that lookup answers from (helm template has no cluster)"),
        s("coverage", "write an LCOV tracefile of the templates' coverage to this file (the output is unchanged)"),
        s("profile", "plugin limits: helm-4.2 (Helm's effective limits, default) or documented"),
        Flag::new("fuel", None, Kind::Int, "0", "plugin instruction budget, so a run is reproducible on any machine"),
        s("mock-http", "plugin HTTP answers: a YAML/JSON table URL -> {status, headers, body}"),
        s("log", "json: print the plugin's capability log and limits summary to stderr"),
        Flag::new("render-timeout", None, Kind::Duration, "0s", "wall-clock limit for the whole render (0s: none)"),
        Flag::new(
            "helm-version",
            None,
            Kind::String,
            "4.2.3",
            "the Helm release whose output is reproduced: 4.2.3 or 4.2.4",
        ),
    ];
    if let Some(f) = v.iter_mut().find(|f| f.name == "helm-version") {
        f.set_hook = Some(helm_version_set);
    }
    // --seed/--now/--fuel have no default to show.
    for f in &mut v {
        if CHARTROOM_FLAGS.contains(&f.name) && f.kind == Kind::Int {
            f.def_value = "0".into();
        }
    }
    v
}

/// `action.TemplateName`: the template is run with Sprig's functions and
/// no data.
fn template_name(text: &str, req: &RenderRequest) -> Result<String, Error> {
    use chartroom_engine::template::{Env, Exec, FuncMap, TemplateSet};
    let mut funcs = FuncMap::new();
    chartroom_engine::sprig::register(&mut funcs);
    let mut set = TemplateSet::new();
    set.add("name-template", text, &funcs).map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
    let mut env = Env::default();
    if let Some(seed) = req.seed {
        env.rng_state = seed;
    }
    env.fixed_now_unix_nanos = req.now_unix_nanos;
    let mut exec = Exec::new(set, &funcs, &mut env);
    exec.execute("name-template", &chartroom_engine::Value::Nil).map_err(|e| Error::new(ErrorKind::Cli, e.error.text()))
}

/// writeToFile (pkg/cmd/template.go and pkg/action): `---\n# Source:`
/// header, appended when the file was written before; prints
/// `wrote <file>` on stdout.
fn write_to_file(output_dir: &str, name: &str, data: &str, append: bool) -> Result<(), Error> {
    let outfile = format!("{output_dir}/{name}");
    let path = std::path::Path::new(&outfile);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(ErrorKind::Cli, format!("mkdir {}: {e}", dir.display())))?;
    }
    let mut f = if append { std::fs::OpenOptions::new().append(true).open(path) } else { std::fs::File::create(path) }
        .map_err(|e| Error::new(ErrorKind::Cli, format!("open {outfile}: {e}")))?;
    f.write_all(&chartroom_engine::gostring::to_bytes(&format!("---\n# Source: {name}\n{data}\n")))
        .map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
    println!("wrote {outfile}");
    Ok(())
}

/// `filepath.Join(a, b)`.
fn join(a: &str, b: &str) -> String {
    chartroom_engine::gofmt::path::join(&[a, b])
}

/// CRDObjects: the chart's and its subcharts' CRD files.
fn crd_objects(chart: &chartroom_engine::chart::Chart, out: &mut Vec<(String, String)>) {
    for f in chart.crd_files() {
        out.push((format!("{}/{}", chart.full_path, f.name), String::from_utf8_lossy(&f.data).into_owned()));
    }
    for d in &chart.dependencies {
        crd_objects(d, out);
    }
}

/// The inputs of Helm's values.Options.MergeValues from the flags: values
/// files and --set-file files read from disk (or stdin), the --set lines.
pub(crate) fn read_value_options(
    f: &crate::pflag::FlagSet,
    req: &mut chartroom_engine::RenderRequest,
) -> Result<(), Error> {
    // MergeValues inputs: values files (URLs would be fetched by Helm).
    // readFile (pkg/cli/values): `-` (spaces around allowed) is stdin; a
    // URL would be fetched; anything else is read as given.
    for p in f.get_list("values") {
        if p.starts_with("http://") || p.starts_with("https://") || p.starts_with("oci://") {
            return Err(Error::new(
                ErrorKind::Cli,
                format!("values file {p}: chartroom works offline and does not download values files"),
            ));
        }
        if p.trim() == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
                .map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
            req.values_files.push((p, b));
            continue;
        }
        match std::fs::read(&p) {
            Ok(b) => req.values_files.push((p, b)),
            Err(e) => return Err(Error::new(ErrorKind::Cli, format!("open {p}: {}", go_io_error(&e)))),
        }
    }
    req.set = f.get_list("set");
    req.set_string = f.get_list("set-string");
    req.set_json = f.get_list("set-json");
    req.set_file = f.get_list("set-file");
    req.set_literal = f.get_list("set-literal");
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
    Ok(())
}

pub fn run(args: &[String]) -> ExitCode {
    command().run_e(args, cobra::minimum_n_args(1), |c, p| run_e(c, p, None).map(|()| ExitCode::SUCCESS))
}

const VALUES_DESC: &str = "
Print the values the chart's templates see, merged as 'helm template' merges
them (chart defaults, subchart values, globals, import-values, values files in
order, then the --set family), as YAML with the origin of every leaf after it:

    image:
      tag: \"1.2\" # --set image.tag=1.2

With --unused, print instead the value paths no template read during the
render, one per line, sorted. Takes every flag of 'chartroom template'.
";

/// `chartroom values [NAME] CHART [flags]` (Chartroom's own command).
pub fn run_values(args: &[String]) -> ExitCode {
    let mut c = command();
    c.use_ = "values [NAME] [CHART]";
    c.short = "print the merged values with the origin of each (chartroom only)";
    c.long = VALUES_DESC.to_string();
    c.flag(b("unused", "print the value paths no template read, one per line"));
    c.run_e(args, cobra::minimum_n_args(1), |c, p| {
        run_e(c, p, Some(c.flags.get_bool("unused"))).map(|()| ExitCode::SUCCESS)
    })
}

/// A note about a flag Chartroom accepts but cannot honour offline.
fn note(msg: &str) {
    eprintln!("chartroom: {msg}");
}

/// What `template` and `validate` share: the flags read, the chart
/// loaded and the render request built, up to the render.
pub(crate) struct Prepared {
    pub chart: chartroom_engine::chart::Chart,
    pub req: RenderRequest,
    pub name: String,
    pub debug: bool,
    pub show_only: Vec<String>,
    pub output_dir: String,
    pub post_renderers: Vec<String>,
    pub release: chartroom_engine::releaseutil::HelmRelease,
}

/// `values_mode`: run as `chartroom values` (Some(`--unused`)) instead of
/// `template`.
fn run_e(c: &Command, args: &[String], values_mode: Option<bool>) -> Result<(), Error> {
    let Prepared { chart, mut req, name, debug, show_only, output_dir, post_renderers, release } = prepare(c, args)?;
    let f = &c.flags;
    let coverage = f.get_str("coverage");
    req.trace = !coverage.is_empty() || values_mode.is_some();
    let result = render(c, &chart, &req, post_renderers.first())?;
    let log = match &result {
        Ok(out) => out.log.clone(),
        Err(_) => chartroom_engine::gofmt::log::take(),
    };
    print_go_log(&log);
    let out = match result {
        Ok(out) => out,
        Err(e) => {
            let Some(msg) = e.message.strip_suffix(DEBUG_HINT) else { return Err(e) };
            if !debug {
                return Err(e);
            }
            // --debug: the release's manifest as far as it got (the files
            // when sorting failed, in path order where Helm ranges over a Go
            // map; nothing when rendering failed), then the error without
            // the hint.
            let mut blob = String::new();
            if post_renderers.is_empty() {
                if let Ok((files, _)) = chartroom_engine::api::render_templates(&chart, &req) {
                    for (name, content) in files.iter().filter(|(k, _)| !k.ends_with("NOTES.txt")) {
                        if !content.trim().is_empty() {
                            blob.push_str(&format!("---\n# Source: {name}\n{content}\n"));
                        }
                    }
                }
            }
            let manifests = format!("{}\n", blob.trim());
            if show_only.is_empty() {
                emit(&manifests);
            } else {
                // v4.2.3 filters this text too; a pattern it lacks replaces
                // the error; v4.2.4 returns the render error instead
                // (helm/helm#31185).
                // (This text is not a render's output: it is split here.)
                let docs = chartroom_engine::releaseutil::documents(&manifests, release);
                let mut docs = match chartroom_engine::api::show_only(&docs, &show_only) {
                    Ok(d) => d,
                    Err(_) if release == chartroom_engine::releaseutil::HelmRelease::V4_2_4 => {
                        return Err(Error::new(e.kind, msg))
                    }
                    Err(e) => return Err(e),
                };
                emit(&chartroom_engine::api::print_documents(&mut docs));
            }
            return Err(Error::new(e.kind, msg));
        }
    };

    if let Some(unused) = values_mode {
        return crate::values::print(&chart, &req, &out, unused);
    }
    if !coverage.is_empty() {
        if let Some(t) = &out.trace {
            std::fs::write(&coverage, chartroom_engine::explain::lcov(&t.coverage))
                .map_err(|e| Error::new(ErrorKind::Cli, format!("open {coverage}: {}", go_io_error(&e))))?;
        }
    }
    if output_dir.is_empty() {
        emit(&out.manifest);
    } else {
        let release_dir = if f.get_bool("release-name") { join(&output_dir, &name) } else { output_dir.clone() };
        let mut written: BTreeMap<String, bool> = BTreeMap::new();
        if req.include_crds {
            let mut crds = Vec::new();
            crd_objects(&chart, &mut crds);
            for (file, data) in crds {
                write_to_file(&output_dir, &file, &data, *written.get(&file).unwrap_or(&false))?;
                written.insert(file, true);
            }
        }
        for m in &out.manifests {
            write_to_file(&release_dir, &m.name, &m.content, *written.get(&m.name).unwrap_or(&false))?;
            written.insert(m.name.clone(), true);
        }
        // template.go: TrimSpace(rel.Manifest) is empty, then the hooks
        // go to files (appended when the file already exists).
        let mut hook_written: BTreeMap<String, bool> = BTreeMap::new();
        if !req.no_hooks {
            for h in &out.hooks {
                if req.skip_tests && h.events.iter().any(|e| e == "test") {
                    continue;
                }
                if std::path::Path::new(&join(&release_dir, &h.path)).exists() {
                    hook_written.insert(h.path.clone(), true);
                }
                write_to_file(&release_dir, &h.path, &h.manifest, *hook_written.get(&h.path).unwrap_or(&false))?;
            }
        }
        if let Some(first) = show_only.first() {
            return Err(Error::new(ErrorKind::Cli, format!("could not find template {first} in chart")));
        }
        println!();
    }
    if f.get_bool("notes") && !out.notes.is_empty() {
        emit(&format!("\nNOTES:\n{}\n", out.notes));
    }
    Ok(())
}

/// template.go's RunE up to the render (runInstall's checks included).
pub(crate) fn prepare(c: &Command, args: &[String]) -> Result<Prepared, Error> {
    let f = &c.flags;
    let debug = f.get_bool("debug");
    let kube_version = f.get_str("kube-version");
    if !kube_version.is_empty() {
        chartroom_engine::chart::objects::KubeVersion::parse_flag(&kube_version)?;
    }
    // cmdGetDryRunFlagStrategy(cmd, true)
    let dry_run = f.get_str("dry-run");
    let mut server = match dry_run.as_str() {
        "unset" => {
            slog("WARN", "--dry-run is deprecated and should be replaced with '--dry-run=client'");
            false
        }
        "client" => false,
        "server" => true,
        "none" => {
            return Err(Error::new(
                ErrorKind::Cli,
                format!("invalid dry-run value (\"{dry_run}\"). Must be \"server\" or \"client\""),
            ))
        }
        v => match crate::pflag::parse_bool(v) {
            Err(_) => {
                return Err(Error::new(
                    ErrorKind::Cli,
                    format!(
                        "invalid dry-run value ({}). Must be \"none\", \"server\", or \"client\"",
                        chartroom_engine::gofmt::strconv::quote(v)
                    ),
                ))
            }
            Ok(false) => {
                return Err(Error::new(
                    ErrorKind::Cli,
                    format!(
                        "invalid dry-run value ({}). Must be \"server\" or \"client\"",
                        chartroom_engine::gofmt::strconv::quote(v)
                    ),
                ))
            }
            Ok(true) => {
                slog(
                    "WARN",
                    &format!("boolean '--dry-run={v}' flag is deprecated and must be replaced with '--dry-run=client'"),
                );
                false
            }
        },
    };
    if f.get_bool("validate") {
        server = true;
    }
    let post_renderers: Vec<String> = f.get_list("post-renderer").into_iter().filter(|v| !v.is_empty()).collect();
    if post_renderers.len() > 1 {
        return Err(Error::new(
            ErrorKind::Cli,
            format!(
                "invalid argument {} for \"--post-renderer\" flag: cannot specify --post-renderer flag more than once",
                chartroom_engine::gofmt::strconv::quote(&post_renderers[1])
            ),
        ));
    }

    let mut req = RenderRequest::default();
    let release = chartroom_engine::releaseutil::HelmRelease::parse(&f.get_str("helm-version")).unwrap_or_default();
    req.helm_release = release;
    if f.changed("seed") {
        req.seed = f.get_str("seed").parse::<i64>().ok().map(|v| v as u64);
    }
    if f.changed("render-timeout") {
        // Go duration syntax (pflag checked it); 0 means no deadline, as Helm's timeouts.
        let d = chartroom_engine::sprig::date::parse_duration(&f.get_str("render-timeout")).unwrap_or(0);
        req.timeout_nanos = (d > 0).then_some(d);
    }
    if f.changed("now") {
        req.now_unix_nanos = f.get_str("now").parse::<i128>().ok().map(|s| s * 1_000_000_000);
    }

    // runInstall → NameAndChart (template.go sets ReleaseName to
    // "release-name" first, so --generate-name never names a release of
    // `helm template`; it only conflicts with a NAME).
    if debug {
        slog_attrs("DEBUG", "Original chart version", &[("version", &f.get_str("version"))]);
    }
    let (name, chart_ref) = match args.len() {
        n if n > 2 => {
            return Err(Error::new(
                ErrorKind::Cli,
                format!("expected at most two arguments, unexpected arguments: {}", args[2..].join(", ")),
            ))
        }
        2 => {
            if f.get_bool("generate-name") {
                return Err(Error::new(ErrorKind::Cli, "cannot set --generate-name and also specify a name"));
            }
            if !f.get_str("name-template").is_empty() {
                return Err(Error::new(ErrorKind::Cli, "cannot set --name-template and also specify a name"));
            }
            (args[0].clone(), args[1].clone())
        }
        _ => {
            let nt = f.get_str("name-template");
            let name = if nt.is_empty() { "release-name".to_string() } else { template_name(&nt, &req)? };
            (name, args[0].clone())
        }
    };
    req.release_name = name.clone();

    // LocateChart
    if f.get_bool("verify") {
        note("--verify: chart provenance (.prov) is not checked");
    }
    let located = crate::loader::locate_chart(&chart_ref, &crate::loader::ChartPathOptions::from_flags(f))?;
    if debug {
        slog_attrs("DEBUG", "Chart path", &[("path", &located.display())]);
    }

    read_value_options(f, &mut req)?;
    // Helm merges values before loading the chart: a values error wins.
    chartroom_engine::api::user_values(&req)?;

    let loaded = crate::loader::load_located(&located)?;
    let chart = loaded.chart;
    if chart.metadata.deprecated {
        slog("WARN", "this chart is deprecated");
    }
    if !loaded.is_archive {
        req.files = loaded.files;
    }
    if !chart.metadata.dependencies.is_empty()
        && f.get_bool("dependency-update")
        && chartroom_engine::chart::dependencies::check_dependencies(&chart).is_err()
    {
        note("--dependency-update: missing dependencies are not downloaded");
    }

    req.namespace = {
        let ns = f.get_str("namespace");
        if ns.is_empty() {
            "default".to_string()
        } else {
            ns
        }
    };
    req.kube_version = (!kube_version.is_empty()).then_some(kube_version);
    req.api_versions = f.get_list("api-versions");
    req.is_upgrade = f.get_bool("is-upgrade");
    req.include_crds = f.get_bool("include-crds");
    req.skip_tests = f.get_bool("skip-tests");
    req.no_hooks = f.get_bool("no-hooks");
    req.enable_dns = f.get_bool("enable-dns");
    req.skip_schema_validation = f.get_bool("skip-schema-validation");
    let output_dir = f.get_str("output-dir");
    let show_only = f.get_list("show-only");
    // --output-dir: Helm searches --show-only in what is left on stdout
    // (nothing but a newline), so the engine renders without it here.
    if output_dir.is_empty() {
        req.show_only = show_only.clone();
    }
    let mock = f.get_str("mock-cluster");
    if !mock.is_empty() {
        req.mock_cluster =
            Some(std::fs::read_to_string(&mock).map_err(|e| Error::new(ErrorKind::Cli, format!("open {mock}: {e}")))?);
    }

    if chart.is_library() || !matches!(chart.metadata.chart_type.as_str(), "" | "application") {
        // checkIfInstallable (the engine words the library case).
        if !chart.is_library() {
            return Err(Error::new(
                ErrorKind::Cli,
                format!("{} charts are not installable", chart.metadata.chart_type),
            ));
        }
    }

    if server {
        // RunWithContext's reachability check: no cluster here.
        // (client-go's ErrEmptyConfig: Helm's text for "no kubeconfig").
        note("--dry-run=server needs a Kubernetes cluster; chartroom has none");
        slog("ERROR", "cluster reachability check failed: kubernetes cluster unreachable");
        return Err(Error::new(ErrorKind::Cli, "cluster reachability check failed: kubernetes cluster unreachable"));
    }

    let labels = f.get_map("labels");
    const SYSTEM_LABELS: [&str; 6] = ["name", "owner", "status", "version", "createdAt", "modifiedAt"];
    if labels.keys().any(|k| SYSTEM_LABELS.contains(&k.as_str())) {
        // Helm checks this after the values' schema validation, before
        // the templates are rendered (a schema error would come first).
        return Err(Error::new(
            ErrorKind::Cli,
            format!(
                "user supplied labels contains system reserved label name. System labels: [{}]",
                SYSTEM_LABELS.join(" ")
            ),
        ));
    }

    Ok(Prepared { chart, req, name, debug, show_only, output_dir, post_renderers, release })
}

/// Writes rendered text to stdout as Helm writes Go's bytes: bytes that are
/// not UTF-8 (chartroom_engine::gostring) come out raw.
fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(&chartroom_engine::gostring::to_bytes(text));
}

/// Go's text for the common file errors (`open x: no such file or directory`).
pub fn go_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}

pub(crate) type Rendered = Result<chartroom_engine::api::RenderOutput, chartroom_engine::api::RenderError>;

#[cfg(feature = "plugins")]
pub(crate) fn render(
    c: &Command,
    chart: &chartroom_engine::chart::Chart,
    req: &RenderRequest,
    post_renderer: Option<&String>,
) -> Result<Rendered, Error> {
    let Some(pr) = post_renderer else { return Ok(chartroom_engine::api::render_chart(chart, req)) };
    let f = &c.flags;
    let dir = resolve_post_renderer(pr)?;
    let flags = crate::plugin::PluginFlags {
        profile: Some(f.get_str("profile")).filter(|s| !s.is_empty()),
        fuel: f.get_str("fuel").parse::<u64>().ok().filter(|_| f.changed("fuel")),
        mock_http: Some(f.get_str("mock-http")).filter(|s| !s.is_empty()),
        log_json: match f.get_str("log").as_str() {
            "" => false,
            "json" => true,
            other => return Err(Error::new(ErrorKind::Cli, format!("--log: unknown format {other:?} (only json)"))),
        },
    };
    let plugin = crate::plugin::load_plugin(&dir)?;
    let opts = flags.run_options()?;
    let args = f.get_list("post-renderer-args");
    let post = chartroom_engine::api::PostRender { plugin: &plugin, args: &args, opts: &opts };
    Ok(match chartroom_engine::api::render_chart_post(chart, req, &post) {
        Ok((out, run)) => {
            if let Some(r) = &run.run {
                crate::plugin::report_run(&flags, r);
            }
            Ok(out)
        }
        Err((e, run)) => {
            if let Some(r) = &run.run {
                crate::plugin::report_run(&flags, r);
            }
            Err(e)
        }
    })
}

#[cfg(not(feature = "plugins"))]
pub(crate) fn render(
    _c: &Command,
    chart: &chartroom_engine::chart::Chart,
    req: &RenderRequest,
    post_renderer: Option<&String>,
) -> Result<Rendered, Error> {
    match post_renderer {
        None => Ok(chartroom_engine::api::render_chart(chart, req)),
        Some(_) => Err(Error::new(ErrorKind::Cli, "this chartroom was built without the plugins feature")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_mirrors_cobra_layout() {
        let mut c = command();
        c.flag(crate::environment::help_flag("template"));
        let h = c.help();
        assert!(h.starts_with("\nRender chart templates locally and display the output.\n"), "{h}");
        assert!(h.contains("\n\nUsage:\n  chartroom template [NAME] [CHART] [flags]\n\nFlags:\n"), "{h}");
        // pflag's usage lines for Helm's own value types.
        for line in [
            "      --dry-run string[=\"unset\"]                   simulates the operation",
            "  -l, --labels stringToString                      Labels that would be added to release metadata. Should be divided by comma. (default [])",
            "      --post-renderer postRendererString           the name of a postrenderer type plugin",
            "      --post-renderer-args postRendererArgsSlice   an argument to the post-renderer (can specify multiple) (default [])",
            "      --timeout duration                           time to wait for any individual Kubernetes operation (like Jobs for hooks) (default 5m0s)",
            "      --wait WaitStrategy[=watcher]                wait until resources are ready",
            "  -f, --values strings                             specify values in a YAML file or a URL (can specify multiple)",
        ] {
            assert!(h.contains(line), "missing {line:?} in\n{h}");
        }
        // Deprecated and hidden flags are not listed; chartroom's own are
        // listed apart, after cobra's text.
        assert!(!h.contains("--validate") && !h.contains("--atomic") && !h.contains("--hide-notes"));
        let (cobra_part, extra) = h.split_once("\nChartroom flags").expect("chartroom block");
        assert!(!cobra_part.contains("--seed") && extra.contains("--seed"));
        assert!(cobra_part.contains("\n\nGlobal Flags:\n      --burst-limit int "));
    }

    #[test]
    fn name_template_uses_sprig() {
        let req = RenderRequest::default();
        assert_eq!(template_name("foobar-{{ b64enc \"abc\" | lower }}-baz", &req).unwrap(), "foobar-ywjj-baz");
        assert!(template_name("{{ nope }}", &req).unwrap_err().message.contains("function \"nope\" not defined"));
    }

    #[test]
    fn join_cleans_like_go() {
        assert_eq!(join("./out/", "rel"), "out/rel");
        assert_eq!(join("/a/../b", "c"), "/b/c");
        assert_eq!(join("", "rel"), "rel");
        assert_eq!(join("../x", "../y"), "../y");
    }

    #[test]
    fn wait_values() {
        assert!(wait_set("watcher").is_ok());
        assert_eq!(
            wait_set("x").unwrap_err(),
            "invalid wait input \"x\". Valid inputs are watcher, hookOnly, and legacy"
        );
    }
}
