//! getter/v1 for the `example://` protocol: serves a few built-in
//! artefacts and returns them as `{"data":"<base64>"}` (Go's `[]byte`
//! JSON encoding), the way Helm's plugin getter expects.
use extism_pdk::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    href: String,
    #[serde(default)]
    protocol: String,
}

const INDEX: &str = "apiVersion: v1\nentries:\n  hello:\n  - name: hello\n    version: 0.1.0\n    urls:\n    - example://repo/hello-0.1.0.tgz\ngenerated: \"2026-01-01T00:00:00Z\"\n";
const README: &str = "Served by the example getter plugin over example://\n";

/// Standard padded base64 (encoding/json's []byte form).
fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let inp: Input = serde_json::from_str(&input)?;
    if inp.protocol != "example" {
        return Err(WithReturnCode::new(Error::msg(format!("example getter: unsupported protocol {:?}", inp.protocol)), 1));
    }
    let path = inp.href.trim_start_matches("example://");
    let body = match path {
        "repo/index.yaml" => INDEX,
        "repo/README.txt" => README,
        _ => {
            return Err(WithReturnCode::new(
                Error::msg(format!("example getter: no artefact at {} (try example://repo/index.yaml)", inp.href)),
                1,
            ))
        }
    };
    Ok(format!("{{\"data\":\"{}\"}}", base64(body.as_bytes())))
}
