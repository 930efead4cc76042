//! Sprig v3 functions as vendored by Helm (minus env/expandenv).

use crate::template::FuncMap;

/// Registers every Sprig function into `map`.
pub fn register(map: &mut FuncMap) {
    let _ = map;
}

/// Whether `version` satisfies the Masterminds semver `constraint`
/// (`None` when either cannot be parsed). Used for Chart.yaml's kubeVersion.
pub fn semver_constraint_check(constraint: &str, version: &str) -> Option<bool> {
    let _ = (constraint, version);
    None
}
