//! Imports `kv_read` from `extism:host/user`, a host function Helm never
//! provides (its hostFunctions registry is empty): instantiation must fail
//! before any guest code runs.
use extism_pdk::*;

#[host_fn]
extern "ExtismHost" {
    fn kv_read(key: String) -> String;
}

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let v = unsafe { kv_read("greeting".to_string())? };
    Ok(format!("{{\"value\":{:?}}}", v))
}
