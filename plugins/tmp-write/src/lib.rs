//! Writes and reads back /tmp/greeting.txt (wasm32-wasip1). Works only when
//! plugin.yaml sets `fileSystem.createTempDir: true`.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    std::fs::write("/tmp/greeting.txt", format!("hello {}", input.len()))
        .map_err(|e| Error::msg(format!("write /tmp/greeting.txt: {e}")))?;
    let back = std::fs::read_to_string("/tmp/greeting.txt")
        .map_err(|e| Error::msg(format!("read /tmp/greeting.txt: {e}")))?;
    println!("wrote {back}");
    Ok(serde_json::json!({ "greeting": back }).to_string())
}
