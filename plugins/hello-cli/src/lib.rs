//! cli/v1 (wasm32-wasip1): prints what Helm hands a cli plugin — the user's
//! args arrive as `extraArgs` in the input message (argv stays empty), the
//! environment is os.Environ plus Helm's HELM_* settings — on stdout, and a
//! line on stderr. Outputs `{}` (Helm requires JSON and discards it).
use extism_pdk::*;
use serde::Deserialize;
use std::io::Write;

#[derive(Deserialize)]
struct Input {
    #[serde(default, rename = "extraArgs")]
    extra_args: Vec<String>,
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let inp: Input = serde_json::from_str(&input)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "hello from a Wasm cli plugin")?;
    writeln!(out, "extraArgs: {:?}", inp.extra_args)?;
    writeln!(out, "argv: {} entries", std::env::args_os().count())?;
    let mut helm: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k.starts_with("HELM_")).collect();
    helm.sort();
    writeln!(out, "env: {} variables, HELM_* ones:", std::env::vars_os().count())?;
    for (k, v) in helm {
        writeln!(out, "  {k}={v}")?;
    }
    out.flush()?;
    eprintln!("hello-cli: this line went to stderr");
    Ok("{}".to_string())
}
