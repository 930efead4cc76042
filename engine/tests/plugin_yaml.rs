//! plugin.yaml loading against real Helm v4.2.3: every case in
//! tests/cases/plugin_yaml.json was produced by scripts/gen_plugin_yaml_cases.py
//! (the error Helm logs when it skips the plugin, or null when it loads).
#![cfg(feature = "plugins")]

use chartroom_engine::error::Kind;
use chartroom_engine::plugin::manifest;

#[test]
fn plugin_yaml_matches_helm() {
    let text = include_str!("cases/plugin_yaml.json");
    let cases: serde_json::Value = serde_json::from_str(text).expect("fixture");
    let mut failed = Vec::new();
    let cases = cases.as_array().expect("array");
    for c in cases {
        let name = c["name"].as_str().unwrap_or("?");
        let yaml = c["yaml"].as_str().unwrap_or("");
        let want = c["error"].as_str();
        let got = manifest::parse(yaml);
        let ok = match (&got, want) {
            (Ok(_), None) => true,
            // Helm loads legacy/subprocess plugins; we refuse them with a
            // browser-specific message.
            (Err(e), None) if e.kind == Kind::Unsupported => {
                yaml.contains("runtime: subprocess") || !yaml.contains("apiVersion")
            }
            (Err(e), Some(w)) => e.kind == Kind::Plugin && e.message == w && e.file.as_deref() == Some("plugin.yaml"),
            _ => false,
        };
        if !ok {
            failed.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{} of {} cases differ:\n{}", failed.len(), cases.len(), failed.join("\n"));
}

#[test]
fn subprocess_message() {
    let e = manifest::parse("name: legacy\nversion: 0.1.0\ncommand: run.sh\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "plugin \"legacy\" is a legacy plugin (runtime: subprocess): it runs a host executable, which cannot run in the browser; only runtime extism/v1 (Wasm) plugins are supported"
    );
}

#[test]
fn runtime_config_fields() {
    let text = include_str!("cases/plugin_yaml.json");
    let cases: serde_json::Value = serde_json::from_str(text).expect("fixture");
    let full = cases.as_array().and_then(|a| a.iter().find(|c| c["name"] == "valid-full-extism")).expect("case");
    let m = manifest::parse(full["yaml"].as_str().unwrap_or("")).expect("valid");
    let rc = &m.runtime;
    assert_eq!((rc.max_pages, rc.max_http_response_bytes, rc.max_var_bytes, rc.timeout), (64, 1024, 2048, 3000));
    assert_eq!(rc.allowed_hosts, vec!["x.example.com".to_string(), "*.y.org".to_string()]);
    assert!(rc.create_temp_dir);
    assert_eq!(rc.entry(), "main");
    assert_eq!(rc.config.get("n").map(String::as_str), Some("5"));
    assert_eq!(m.version, "1.2.3-rc.1+build.7");
}
