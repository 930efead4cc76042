//! cli/v1: `{"extraArgs":[…]}` in (Helm's global flags removed, `[]` with
//! `ignoreFlags`), any JSON out (`{}` suffices; Helm discards it), the real
//! output is the guest's stdout/stderr.

use super::json;
use super::manifest::PluginType;
use super::{Plugin, RunOptions, RunResult};
use crate::error::{Error, Kind};

/// Helm's global flags that `manuallyProcessArgs` strips (each `X v` or `X=v`).
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--kube-context",
    "--namespace",
    "-n",
    "--kubeconfig",
    "--kube-apiserver",
    "--kube-token",
    "--kube-as-user",
    "--kube-as-group",
    "--kube-ca-file",
    "--registry-config",
    "--repository-cache",
    "--repository-config",
    "--kube-insecure-skip-tls-verify",
    "--kube-tls-server-name",
];
const BOOL_FLAGS: &[&str] = &["--debug", "--kube-insecure-skip-tls-verify"];

/// User args minus Helm's global flags (`manuallyProcessArgs`).
pub fn extra_args(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let flag = a.split('=').next().unwrap_or("");
        if GLOBAL_FLAGS.contains(&flag) {
            if !a.contains('=') && !BOOL_FLAGS.contains(&flag) {
                i += 1; // the value
            }
        } else {
            out.push(a.clone());
        }
        i += 1;
    }
    out
}

pub fn input_message(plugin: &Plugin, args: &[String]) -> String {
    let ignore = matches!(&plugin.metadata.plugin_type, PluginType::Cli(c) if c.ignore_flags);
    let extra = if ignore { Vec::new() } else { extra_args(args) };
    format!("{{\"extraArgs\":{}}}", json::string_array(&extra))
}

/// Runs a cli/v1 plugin. `opts.env` should hold the HELM_* settings (Helm
/// passes os.Environ + HELM_*); stdin/stdout/stderr are the user's.
pub fn run(plugin: &Plugin, args: &[String], opts: &RunOptions) -> RunResult {
    super::future::block_on(run_async(plugin, args, opts)).unwrap_or_else(|| RunResult {
        error: Some(Error::new(Kind::Plugin, super::future::NOT_SYNCHRONOUS)),
        ..RunResult::default()
    })
}

/// [`run`] for hosts whose HTTP answers asynchronously.
pub async fn run_async(plugin: &Plugin, args: &[String], opts: &RunOptions) -> RunResult {
    let mut r = plugin.invoke_async(input_message(plugin, args).as_bytes(), opts).await;
    if r.error.is_none() {
        if let Err(e) = check_output(&r.output) {
            r.error = Some(e);
        }
    }
    r
}

/// `OutputMessageCLIV1{Data *bytes.Buffer}`: must be JSON of that shape.
/// The error is Helm's ([`Kind::Plugin`]): encoding/json's text inside Helm's
/// wrapping.
pub fn check_output(out: &[u8]) -> Result<(), Error> {
    let bad = |m: String| {
        Error::new(Kind::Plugin, format!("failed to json marshal plugin output message: reflect.Value: {m}"))
    };
    let v = json::parse(out).map_err(|e| bad(e.message))?;
    match v {
        json::Json::Null => Ok(()),
        json::Json::Object(_) => match v.get_field("data") {
            None | Some(json::Json::Null) | Some(json::Json::Object(_)) => Ok(()),
            Some(other) => Err(bad(format!(
                "json: cannot unmarshal {} into Go struct field OutputMessageCLIV1.data of type bytes.Buffer",
                other.kind()
            ))),
        },
        other => {
            Err(bad(format!("json: cannot unmarshal {} into Go value of type schema.OutputMessageCLIV1", other.kind())))
        }
    }
}

/// The environment Helm gives a cli/v1 plugin (pkg/cmd/load_plugins.go):
/// `os.Environ()` followed by `settings.EnvVars()`, the HELM_* settings
/// (cli.New defaults with Linux helmpath/XDG locations under `HOME`, each
/// overridable by the same variable in `os_env`). wazero keeps one value per
/// key, so a later setting replaces an inherited one in place. Go ranges
/// over a map here (random order); these come sorted. No kubeconfig is read:
/// HELM_NAMESPACE falls back to `default`.
pub fn helm_env(os_env: &[(String, String)], helm_bin: &str) -> Vec<(String, String)> {
    let get = |k: &str| os_env.iter().rev().find(|(n, _)| n == k).map(|(_, v)| v.clone()).filter(|v| !v.is_empty());
    let home = get("HOME").unwrap_or_default();
    // helmpath.lazypath: $HELM_*_HOME, else $XDG_*_HOME/helm, else ~/<default>/helm.
    let base = |helm: &str, xdg: &str, def: &str| match get(helm) {
        Some(b) => b,
        None => format!("{}/helm", get(xdg).unwrap_or_else(|| format!("{home}/{def}"))),
    };
    let cache = base("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
    let config = base("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
    let data = base("HELM_DATA_HOME", "XDG_DATA_HOME", ".local/share");
    let or = |k: &str, d: String| get(k).unwrap_or(d);
    let qps: f32 = get("HELM_QPS").and_then(|v| v.parse().ok()).unwrap_or(0.0);
    let truthy = |k: &str| matches!(get(k).as_deref(), Some("1" | "t" | "T" | "true" | "TRUE" | "True"));
    let mut settings: Vec<(&str, String)> = vec![
        ("HELM_BIN", helm_bin.to_string()),
        ("HELM_BURST_LIMIT", or("HELM_BURST_LIMIT", "100".into())),
        ("HELM_CACHE_HOME", cache.clone()),
        ("HELM_CONFIG_HOME", config.clone()),
        ("HELM_CONTENT_CACHE", or("HELM_CONTENT_CACHE", format!("{cache}/content"))),
        ("HELM_DATA_HOME", data.clone()),
        ("HELM_DEBUG", truthy("HELM_DEBUG").to_string()),
        ("HELM_KUBEAPISERVER", or("HELM_KUBEAPISERVER", String::new())),
        ("HELM_KUBEASGROUPS", or("HELM_KUBEASGROUPS", String::new())),
        ("HELM_KUBEASUSER", or("HELM_KUBEASUSER", String::new())),
        ("HELM_KUBECAFILE", or("HELM_KUBECAFILE", String::new())),
        ("HELM_KUBECONTEXT", or("HELM_KUBECONTEXT", String::new())),
        ("HELM_KUBEINSECURE_SKIP_TLS_VERIFY", truthy("HELM_KUBEINSECURE_SKIP_TLS_VERIFY").to_string()),
        ("HELM_KUBETLS_SERVER_NAME", or("HELM_KUBETLS_SERVER_NAME", String::new())),
        ("HELM_KUBETOKEN", or("HELM_KUBETOKEN", String::new())),
        ("HELM_MAX_HISTORY", or("HELM_MAX_HISTORY", "10".into())),
        ("HELM_NAMESPACE", or("HELM_NAMESPACE", "default".into())),
        ("HELM_PLUGINS", or("HELM_PLUGINS", format!("{data}/plugins"))),
        ("HELM_QPS", format!("{qps:.2}")),
        ("HELM_REGISTRY_CONFIG", or("HELM_REGISTRY_CONFIG", format!("{config}/registry/config.json"))),
        ("HELM_REPOSITORY_CACHE", or("HELM_REPOSITORY_CACHE", format!("{cache}/repository"))),
        ("HELM_REPOSITORY_CONFIG", or("HELM_REPOSITORY_CONFIG", format!("{config}/repositories.yaml"))),
    ];
    if let Some(k) = get("KUBECONFIG") {
        settings.push(("KUBECONFIG", k));
    }
    let mut env: Vec<(String, String)> = Vec::new();
    for (k, v) in os_env.iter().cloned().chain(settings.into_iter().map(|(k, v)| (k.to_string(), v))) {
        if k.is_empty() {
            continue; // go-sdk ParseEnv skips empty keys
        }
        match env.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => env.push((k, v)),
        }
    }
    env
}
