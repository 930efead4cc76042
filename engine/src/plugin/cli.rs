//! cli/v1: `{"extraArgs":[…]}` in (Helm's global flags removed, `[]` with
//! `ignoreFlags`), any JSON out (`{}` suffices; Helm discards it), the real
//! output is the guest's stdout/stderr.

use super::json;
use super::manifest::PluginType;
use super::{Plugin, RunOptions, RunResult};

/// Helm's global flags that `manuallyProcessArgs` strips (each `X v` or `X=v`).
const GLOBAL_FLAGS: &[&str] = &[
    "--debug", "--kube-context", "--namespace", "-n", "--kubeconfig", "--kube-apiserver", "--kube-token",
    "--kube-as-user", "--kube-as-group", "--kube-ca-file", "--registry-config", "--repository-cache",
    "--repository-config", "--kube-insecure-skip-tls-verify", "--kube-tls-server-name",
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
    let mut r = plugin.invoke(input_message(plugin, args).as_bytes(), opts);
    if r.error.is_none() {
        if let Err(e) = check_output(&r.output) {
            r.error = Some(e);
        }
    }
    r
}

/// `OutputMessageCLIV1{Data *bytes.Buffer}`: must be JSON of that shape.
pub fn check_output(out: &[u8]) -> Result<(), String> {
    let v = json::parse(out).map_err(|e| format!("failed to json marshal plugin output message: reflect.Value: {e}"))?;
    match v {
        json::Json::Null => Ok(()),
        json::Json::Object(_) => match v.get_field("data") {
            None | Some(json::Json::Null) | Some(json::Json::Object(_)) => Ok(()),
            Some(other) => Err(format!(
                "failed to json marshal plugin output message: reflect.Value: json: cannot unmarshal {} into Go struct field OutputMessageCLIV1.data of type bytes.Buffer",
                other.kind()
            )),
        },
        other => Err(format!(
            "failed to json marshal plugin output message: reflect.Value: json: cannot unmarshal {} into Go value of type schema.OutputMessageCLIV1",
            other.kind()
        )),
    }
}
