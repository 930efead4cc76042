//! Never returns: the host's `timeout` (or fuel budget) must stop it.
use extism_pdk::*;

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    let mut i: u64 = 0;
    loop {
        i = core::hint::black_box(i.wrapping_add(1));
    }
}
