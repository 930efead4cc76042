//! OCI references as Helm reads them (pkg/registry: `newReference`,
//! `Client.ValidateReference`, `GetTagMatchingVersionOrConstraint`, the
//! chart layer's media type) and the OCI distribution API's URLs and
//! anonymous token flow; the caller does the HTTP requests.

use crate::error::{Error, Kind};
use crate::gofmt::strconv::quote;
use crate::sprig::semver::{Constraints, Version};
use crate::value::Value;

/// `registry.ChartLayerMediaType`.
pub(crate) const CHART_LAYER_MEDIA_TYPE: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
/// `registry.LegacyChartLayerMediaType`.
pub(crate) const LEGACY_CHART_LAYER_MEDIA_TYPE: &str = "application/tar+gzip";
/// The Accept header for a manifest request.
pub const MANIFEST_ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json";

/// A parsed `oci://registry/repository[:tag][@digest]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reference {
    pub registry: String,
    pub repository: String,
    pub tag: String,
    pub digest: String,
}

pub fn is_oci(url: &str) -> bool {
    url.starts_with("oci://")
}

/// `newReference` (oras `ParseReference`'s checks, simplified to the
/// shape: a registry host, a lowercase repository path).
pub fn parse_reference(raw: &str) -> Result<Reference, Error> {
    let mut raw = raw.strip_prefix("oci://").unwrap_or(raw).to_string();
    let mut r = Reference::default();
    if let Some(i) = raw.rfind('@') {
        r.digest = raw[i + 1..].to_string();
        raw.truncate(i);
    }
    let (registry, rest) = raw
        .split_once('/')
        .ok_or_else(|| Error::new(Kind::Chart, format!("invalid reference: missing repository: {}", quote(&raw))))?;
    // A tag is after the last ':' when no '/' follows it; Helm turns '+'
    // (semver build metadata) into '_', which OCI tags allow.
    let (repository, tag) = match rest.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag.replace('+', "_")),
        _ => (rest, String::new()),
    };
    if registry.is_empty() || repository.is_empty() {
        return Err(Error::new(
            Kind::Chart,
            format!("invalid reference: missing registry or repository: {}", quote(&raw)),
        ));
    }
    if !repository
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-' | b'/'))
    {
        return Err(Error::new(Kind::Chart, format!("invalid reference: invalid repository {}", quote(repository))));
    }
    r.registry = registry.to_string();
    r.repository = repository.to_string();
    r.tag = tag;
    Ok(r)
}

/// What to fetch for a reference and `--version`.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A manifest by tag (`+` already written `_`).
    Tag(String),
    /// A manifest by digest.
    Digest(String),
    /// The tag list is needed to resolve this constraint
    /// (`GetTagMatchingVersionOrConstraint` on [`sorted_tags`]).
    Constraint(String),
}

/// `Client.ValidateReference` up to the tag listing.
pub fn target(r: &Reference, version: &str) -> Result<Target, Error> {
    let mut version = version.to_string();
    let ref_tag = r.tag.replace('_', "+");
    if version.is_empty() {
        version = ref_tag;
    } else if !r.tag.is_empty() && ref_tag != version && r.tag != version {
        return Err(Error::new(
            Kind::Chart,
            format!("chart reference and version mismatch: {version} is not {}", r.tag),
        ));
    }
    if !r.digest.is_empty() {
        return Ok(Target::Digest(r.digest.clone()));
    }
    if Version::parse(&version).is_ok() {
        return Ok(Target::Tag(version.replace('+', "_")));
    }
    Ok(Target::Constraint(version))
}

/// `Client.Tags`: semver tags only (`_` read as `+`, strict form),
/// newest first, written canonically.
pub fn sorted_tags(tags: &[String]) -> Vec<String> {
    let mut vs: Vec<Version> = tags
        .iter()
        .filter_map(|t| {
            let t = t.replace('_', "+");
            crate::sprig::semver::is_strict_version(&t).then(|| Version::parse(&t).ok()).flatten()
        })
        .collect();
    vs.sort_by(|a, b| b.compare(a).cmp(&0));
    vs.iter().map(|v| v.string()).collect()
}

/// `GetTagMatchingVersionOrConstraint`.
pub fn tag_matching(tags: &[String], version: &str, reference: &str) -> Result<String, Error> {
    if tags.is_empty() {
        return Err(Error::new(Kind::Chart, format!("unable to locate any tags in provided repository: {reference}")));
    }
    let c = if version.is_empty() {
        Constraints::parse("*")
    } else {
        if let Some(t) = tags.iter().find(|t| *t == version) {
            return Ok(t.clone());
        }
        Constraints::parse(version)
    }
    .map_err(|e| e.of_kind(Kind::Chart))?;
    tags.iter().find(|t| Version::parse(t).is_ok_and(|v| c.check(&v))).cloned().ok_or_else(|| {
        Error::new(Kind::Chart, format!("could not locate a version matching provided version string {version}"))
    })
}

fn base(r: &Reference, plain_http: bool) -> String {
    format!("{}://{}/v2/{}", if plain_http { "http" } else { "https" }, r.registry, r.repository)
}

pub fn manifest_url(r: &Reference, tag_or_digest: &str, plain_http: bool) -> String {
    format!("{}/manifests/{}", base(r, plain_http), tag_or_digest.replace('+', "_"))
}

pub fn blob_url(r: &Reference, digest: &str, plain_http: bool) -> String {
    format!("{}/blobs/{digest}", base(r, plain_http))
}

pub fn tags_url(r: &Reference, plain_http: bool) -> String {
    format!("{}/tags/list", base(r, plain_http))
}

/// The chart layer's digest and size in an image manifest.
pub fn chart_layer(manifest: &[u8]) -> Result<(String, u64), Error> {
    let text = std::str::from_utf8(manifest).map_err(|e| Error::new(Kind::Chart, e.to_string()))?;
    let doc = crate::json::from_json(text).map_err(|e| Error::new(Kind::Chart, format!("invalid manifest: {e}")))?;
    let Value::Map(m, _) = &doc else {
        return Err(Error::new(Kind::Chart, "invalid manifest: not a JSON object"));
    };
    let layers = match m.borrow().get("layers") {
        Some(Value::List(l, _)) => l.borrow().clone(),
        _ => Vec::new(),
    };
    for want in [CHART_LAYER_MEDIA_TYPE, LEGACY_CHART_LAYER_MEDIA_TYPE] {
        for l in &layers {
            let Value::Map(lm, _) = l else { continue };
            let lm = lm.borrow();
            if matches!(lm.get("mediaType"), Some(Value::String(s)) if &**s == want) {
                let digest = match lm.get("digest") {
                    Some(Value::String(s)) => s.to_string(),
                    _ => return Err(Error::new(Kind::Chart, "invalid manifest: layer without digest")),
                };
                let size = match lm.get("size") {
                    Some(Value::Int(i, _)) => *i as u64,
                    Some(Value::Float(f)) => *f as u64,
                    _ => 0,
                };
                return Ok((digest, size));
            }
        }
    }
    Err(Error::new(Kind::Chart, format!("manifest does not contain a layer with mediatype {CHART_LAYER_MEDIA_TYPE}")))
}

/// The anonymous token request a `401` asks for: from
/// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`, the URL
/// that returns `{"token": …}` (docker distribution token spec).
pub fn token_url(www_authenticate: &str, r: &Reference) -> Option<String> {
    let rest =
        www_authenticate.trim().strip_prefix("Bearer ").or_else(|| www_authenticate.trim().strip_prefix("bearer "))?;
    let mut realm = None;
    let mut service = None;
    let mut scope = None;
    let mut s = rest;
    while !s.is_empty() {
        let (k, after) = s.split_once('=')?;
        let k = k.trim().trim_start_matches(',').trim();
        let after = after.trim_start();
        let (v, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"')?;
            (&q[..end], &q[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        match k {
            "realm" => realm = Some(v.to_string()),
            "service" => service = Some(v.to_string()),
            "scope" => scope = Some(v.to_string()),
            _ => {}
        }
        s = next.trim_start_matches([',', ' ']);
    }
    let scope = scope.unwrap_or_else(|| format!("repository:{}:pull", r.repository));
    let mut url = realm?;
    url.push(if url.contains('?') { '&' } else { '?' });
    if let Some(sv) = service {
        url.push_str(&format!("service={}&", query_escape(&sv)));
    }
    url.push_str(&format!("scope={}", query_escape(&scope)));
    Some(url)
}

/// Go's `url.QueryEscape`.
fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The token in a token endpoint's JSON answer.
pub fn token_from_response(body: &[u8]) -> Option<String> {
    let doc = crate::json::from_json(std::str::from_utf8(body).ok()?).ok()?;
    let Value::Map(m, _) = &doc else { return None };
    let m = m.borrow();
    for k in ["token", "access_token"] {
        if let Some(Value::String(s)) = m.get(k) {
            return Some(s.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pkg/registry reference_test.go shapes.
    #[test]
    fn references() {
        let r = parse_reference("oci://ghcr.io/org/charts/nginx:1.2.3+build").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_str()),
            ("ghcr.io", "org/charts/nginx", "1.2.3_build")
        );
        let r = parse_reference("oci://localhost:5000/my-repo/my-chart@sha256:abc").unwrap();
        assert_eq!(
            (r.registry.as_str(), r.repository.as_str(), r.tag.as_str(), r.digest.as_str()),
            ("localhost:5000", "my-repo/my-chart", "", "sha256:abc")
        );
        assert!(parse_reference("oci://registry-only").is_err());
    }

    #[test]
    fn targets() {
        let r = parse_reference("oci://h/c/x:1.0.0").unwrap();
        assert_eq!(target(&r, "").unwrap(), Target::Tag("1.0.0".into()));
        assert_eq!(target(&r, "2.0.0").unwrap_err(), "chart reference and version mismatch: 2.0.0 is not 1.0.0");
        let r = parse_reference("oci://h/c/x").unwrap();
        assert_eq!(target(&r, "").unwrap(), Target::Constraint(String::new()));
        assert_eq!(target(&r, "~1.2").unwrap(), Target::Constraint("~1.2".into()));
        assert_eq!(target(&r, "1.2.3+b").unwrap(), Target::Tag("1.2.3_b".into()));
    }

    /// Tags: strict semver only, newest first; the newest release when no
    /// version is given, prereleases only when the constraint has one.
    #[test]
    fn tag_selection() {
        let raw: Vec<String> = ["latest", "1.0.0", "v1.1.0", "1.2.0-rc.1", "1.1.5", "01.0.0", "1.1.5_meta"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let tags = sorted_tags(&raw);
        assert_eq!(tags, ["1.2.0-rc.1", "1.1.5", "1.1.5+meta", "1.0.0"]);
        assert_eq!(tag_matching(&tags, "", "oci://h/c/x").unwrap(), "1.1.5");
        assert_eq!(tag_matching(&tags, "~1.0", "oci://h/c/x").unwrap(), "1.0.0");
        assert_eq!(tag_matching(&tags, ">=1.2.0-0", "oci://h/c/x").unwrap(), "1.2.0-rc.1");
        assert_eq!(
            tag_matching(&tags, "^3", "oci://h/c/x").unwrap_err(),
            "could not locate a version matching provided version string ^3"
        );
        assert_eq!(
            tag_matching(&[], "", "oci://h/c/x").unwrap_err(),
            "unable to locate any tags in provided repository: oci://h/c/x"
        );
    }

    #[test]
    fn manifest_layer_and_token() {
        let m = br#"{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:c","size":1},"layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:abc","size":123}]}"#;
        assert_eq!(chart_layer(m).unwrap(), ("sha256:abc".to_string(), 123));
        assert!(chart_layer(br#"{"layers":[]}"#).unwrap_err().message.starts_with("manifest does not contain a layer"));
        let r = parse_reference("oci://ghcr.io/org/x:1.0.0").unwrap();
        assert_eq!(
            token_url(r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/x:pull""#, &r)
                .unwrap(),
            "https://ghcr.io/token?service=ghcr.io&scope=repository%3Aorg%2Fx%3Apull"
        );
        assert_eq!(token_from_response(br#"{"token":"t1"}"#).unwrap(), "t1");
        assert_eq!(manifest_url(&r, "1.0.0+b", false), "https://ghcr.io/v2/org/x/manifests/1.0.0_b");
    }
}
