//! postrenderer/v1: adds a label to `metadata.labels` of every document.
//! Label from the first extraArg `key=value`, else config `label`, else
//! `chartroom.dev/post-rendered=true`. Works on the YAML text (no YAML crate,
//! to stay tiny): the host serialises every document with two-space indents.
use extism_pdk::*;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Input {
    manifests: String,
    #[serde(default, rename = "extraArgs")]
    extra_args: Vec<String>,
}
#[derive(Serialize)]
struct Output {
    manifests: String,
}

fn add_label(doc: &str, key: &str, value: &str) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut done = false;
    while i < lines.len() {
        let l = lines[i];
        out.push_str(l);
        out.push('\n');
        if !done && l == "metadata:" {
            // Look for an existing `  labels:` inside the metadata block.
            let mut j = i + 1;
            let mut labels_at = None;
            while j < lines.len() && (lines[j].starts_with(' ') || lines[j].is_empty()) {
                if lines[j] == "  labels:" {
                    labels_at = Some(j);
                }
                j += 1;
            }
            match labels_at {
                Some(at) => {
                    for l2 in &lines[i + 1..=at] {
                        out.push_str(l2);
                        out.push('\n');
                    }
                    i = at;
                }
                None => out.push_str("  labels:\n"),
            }
            out.push_str(&format!("    {key}: {value:?}\n"));
            done = true;
        }
        i += 1;
    }
    out
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let input: Input = serde_json::from_str(&input)?;
    let (key, value) = match input.extra_args.first().and_then(|a| a.split_once('=')) {
        Some((k, v)) => (k.to_string(), v.to_string()),
        None => match config::get("label")?.as_deref().and_then(|a| a.split_once('=')) {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => ("chartroom.dev/post-rendered".to_string(), "true".to_string()),
        },
    };
    let docs: Vec<String> = input
        .manifests
        .split("\n---\n")
        .filter(|d| !d.trim().is_empty())
        .map(|d| add_label(d.trim_start_matches("---\n"), &key, &value))
        .collect();
    Ok(serde_json::to_string(&Output { manifests: docs.join("---\n") })?)
}
