//! Executes `unreachable`: a plain Wasm trap.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[allow(unreachable_code)]
    Ok(String::new())
}
