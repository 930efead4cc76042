//! postrenderer/v1 policy: rejects any document that sets
//! `privileged: true` (a privileged container); passes the rest unchanged.
use extism_pdk::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    manifests: String,
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let input: Input = serde_json::from_str(&input)?;
    for doc in input.manifests.split("\n---\n") {
        if doc.lines().any(|l| l.trim() == "privileged: true") {
            let file = doc
                .lines()
                .find_map(|l| l.trim().strip_prefix("postrenderer.helm.sh/postrender-filename: "))
                .unwrap_or("?");
            let name = doc
                .lines()
                .find_map(|l| l.strip_prefix("  name: "))
                .unwrap_or("?");
            return Err(Error::msg(format!(
                "policy violation: {name} in {file} runs a privileged container"
            ))
            .into());
        }
    }
    Ok(serde_json::json!({ "manifests": input.manifests }).to_string())
}
