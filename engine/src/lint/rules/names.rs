//! Kubernetes object-name rules as lint applies them (template.go's
//! validateMetadataName): k8s.io/apimachinery v0.36.1's
//! pkg/api/validation (NameIsDNSSubdomain, NameIsDNS1035Label,
//! ValidateNamespaceName), pkg/util/validation (IsDNS1123Subdomain…,
//! "must be no more than N characters") and pkg/api/validate/content
//! (IsPathSegmentName), with field.Invalid's and the aggregate's texts.

use crate::error::{Error, Kind};
use crate::gofmt::strconv::quote;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";

fn is_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` (first: which first byte is allowed).
fn is_label(s: &str, first: fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && first(b[0]) && is_alnum(b[b.len() - 1]) && b.iter().all(|&c| is_alnum(c) || c == b'-')
}

fn is_dns1123_label(s: &str) -> bool {
    is_label(s, is_alnum)
}

fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(is_dns1123_label)
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut m = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            m.push_str(" or ");
        }
        m.push_str(&format!("'{e}', "));
    }
    m.push_str(&format!("regex used for validation is '{fmt}')"));
    m
}

/// `validation.IsDNS1123Subdomain`
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !is_dns1123_subdomain(s) {
        errs.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `validation.IsDNS1123Label`
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !is_dns1123_label(s) {
        if is_dns1123_subdomain(s) {
            errs.push("must not contain dots".into());
        } else {
            errs.push(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `validation.IsDNS1035Label`
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !is_label(s, |b| b.is_ascii_lowercase()) {
        errs.push(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `content.IsPathSegmentName`
pub fn path_segment_name(s: &str) -> Vec<String> {
    for bad in [".", ".."] {
        if s == bad {
            return vec![format!("may not be '{bad}'")];
        }
    }
    ["/", "%"].iter().filter(|c| s.contains(**c)).map(|c| format!("may not contain '{c}'")).collect()
}

/// template.go's validateMetadataNameFunc: the name rule of a kind.
fn name_rule(kind: &str) -> fn(&str) -> Vec<String> {
    match kind.to_lowercase().as_str() {
        "service" => dns1035_label,
        "namespace" => dns1123_label,
        "certificatesigningrequest" => |_| Vec::new(),
        "role" | "clusterrole" | "rolebinding" | "clusterrolebinding" => path_segment_name,
        // pod, deployment, serviceaccount, … and every other kind.
        _ => dns1123_subdomain,
    }
}

/// `validateMetadataName`: each failure is a field.Invalid on
/// metadata.name; the list is reported as utilerrors' aggregate (one
/// error as is, several deduplicated between brackets).
pub fn validate_metadata_name(kind: &str, name: &str) -> Result<(), Error> {
    let mut msgs: Vec<String> = Vec::new();
    for m in name_rule(kind)(name) {
        let e = format!("metadata.name: Invalid value: {}: {m}", quote(name));
        if !msgs.contains(&e) {
            msgs.push(e);
        }
    }
    if msgs.is_empty() {
        return Ok(());
    }
    let agg = if msgs.len() == 1 { msgs.remove(0) } else { format!("[{}]", msgs.join(", ")) };
    Err(Error::new(
        Kind::Lint,
        format!("object name does not conform to Kubernetes naming requirements: {}: {agg}", quote(name)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_pick_their_rule() {
        assert!(validate_metadata_name("Service", "my-svc").is_ok());
        assert!(validate_metadata_name("Service", "1svc").is_err());
        assert!(validate_metadata_name("ConfigMap", "a.b").is_ok());
        assert_eq!(
            validate_metadata_name("Namespace", "my.ns").unwrap_err(),
            "object name does not conform to Kubernetes naming requirements: \"my.ns\": metadata.name: Invalid value: \"my.ns\": must not contain dots"
        );
        assert!(validate_metadata_name("CertificateSigningRequest", "Any!").is_ok());
        assert!(validate_metadata_name("Role", "system:x").is_ok());
    }
}
