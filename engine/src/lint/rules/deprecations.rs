//! pkg/chart/v2/lint/rules/deprecations.go: a document whose apiVersion
//! and kind client-go's scheme knows and k8s.io/api marks deprecated at the
//! lint's Kubernetes version gets k8s.io/apiserver's deprecation warning.
//! The lifecycle data is k8s.io/api v0.36.1's (deprecations_table.rs).

use super::deprecations_table::TABLE;
use super::K8sYamlStruct;
use crate::chart::objects::KubeVersion;
use crate::error::{Error, Kind};

/// `schema.ParseGroupVersion` of an apiVersion: (group, version); None
/// when it has more than one `/` (FromAPIVersionAndKind then keeps only
/// the kind, which no scheme entry matches).
fn parse_group_version(api_version: &str) -> Option<(&str, &str)> {
    if api_version.is_empty() || api_version == "/" {
        return Some(("", ""));
    }
    match api_version.split('/').count() {
        1 => Some(("", api_version)),
        2 => api_version.split_once('/'),
        _ => None,
    }
}

/// `validateNoDeprecations`: the warning (deprecation.WarningMessage), if
/// the object is deprecated at `kube` (default: Helm's default version).
pub(crate) fn validate_no_deprecations(obj: &K8sYamlStruct, kube: Option<&KubeVersion>) -> Result<(), Error> {
    if obj.api_version.is_empty() || obj.kind.is_empty() {
        return Ok(());
    }
    let default = KubeVersion::default_version();
    let kube = kube.unwrap_or(&default);
    let Some((group, version)) = parse_group_version(&obj.api_version) else { return Ok(()) };
    let gv = if group.is_empty() { version.to_string() } else { format!("{group}/{version}") };
    let Some(&(_, _, (dep_major, dep_minor), (rem_major, rem_minor), replacement)) =
        TABLE.iter().find(|(g, k, ..)| *g == gv && *k == obj.kind)
    else {
        return Ok(());
    };
    let (Ok(major), Ok(minor)) = (kube.major.parse::<u32>(), kube.minor.parse::<u32>()) else {
        return Ok(());
    };
    // deprecation.IsDeprecated
    let deprecated = (major == 0 && minor == 0) || (dep_major, dep_minor) <= (major, minor);
    if !deprecated {
        return Ok(());
    }
    let mut msg = format!("{gv} {} is deprecated in v{dep_major}.{dep_minor}+", obj.kind);
    if rem_major != 0 || rem_minor != 0 {
        msg.push_str(&format!(", unavailable in v{rem_major}.{rem_minor}+"));
    }
    if !replacement.is_empty() {
        msg.push_str(&format!("; use {replacement}"));
    }
    Err(Error::new(Kind::Lint, msg))
}
