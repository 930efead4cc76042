//! GETs an artefact from an allowed host (`config.url`); the response is
//! larger than `memory.maxHttpResponseBytes`, so the host refuses it.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let url = config::get("url")?.unwrap_or_else(|| "https://charts.example.com/big.tgz".to_string());
    let res = http::request::<()>(&HttpRequest::new(&url), None)?;
    Ok(format!("{{\"status\":{},\"bytes\":{}}}", res.status_code(), res.body().len()))
}
