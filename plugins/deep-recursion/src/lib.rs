//! Recurses without bound (no tail call, no shadow-stack locals): the
//! host's call-stack limit must stop it with a trap.
use extism_pdk::*;

#[inline(never)]
fn descend(n: u64) -> u64 {
    if core::hint::black_box(n) == 0 {
        return 0;
    }
    // Not a tail call: the multiply happens after the callee returns.
    descend(n + 1).wrapping_mul(31) ^ n
}

#[plugin_fn]
pub fn helm_plugin_main(_input: String) -> FnResult<String> {
    Ok(format!("{{\"depth\":{}}}", descend(1)))
}
