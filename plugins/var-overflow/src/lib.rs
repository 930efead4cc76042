//! Stores 1 KiB vars until the host's `maxVarBytes` refuses.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let blob = vec![b'x'; 1024];
    for i in 0..1_000_000u32 {
        var::set(format!("k{i}"), &blob[..])?;
    }
    Ok("{}".to_string())
}
