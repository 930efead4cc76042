//! The typed Go objects Helm puts into the render context:
//! `*common.Capabilities` (with `common.KubeVersion`, `common.VersionSet`,
//! `version.BuildInfo`) and `engine.files`.

use std::any::Any;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::error::{go_err, Error, Kind};
use crate::value::{ListType, Map, Object, Value};

/// What an error in `--kube-version` is marked at (its one line).
pub const KUBE_VERSION_FLAG: &str = "--kube-version";

/// Kubernetes API versions Helm 4.2.3 reports by default
/// (`common.DefaultVersionSet`, from client-go's scheme; order as Helm's).
pub(crate) const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha2",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// Helm 4.2.3's default Kubernetes version (`common.DefaultCapabilities`).
pub const DEFAULT_KUBE_VERSION: &str = "v1.36.0";

/// `common.KubeVersion`.
#[derive(Clone, Debug, PartialEq)]
pub struct KubeVersion {
    /// As given, with a leading `v` (GitVersion).
    pub version: String,
    /// `v<major>.<minor>.<patch>` used for constraint checks and printing.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// `common.ParseKubeVersion` (k8s `ParseGeneric`: `[v]MAJOR.MINOR[.PATCH][-pre][+build]`).
    pub fn parse(s: &str) -> Result<KubeVersion, Error> {
        let t = s.trim();
        let body = t.strip_prefix('v').unwrap_or(t);
        let core_end = body.find(['-', '+']).unwrap_or(body.len());
        let core = &body[..core_end];
        let parts: Vec<&str> = core.split('.').collect();
        let bad = || Error::new(Kind::Setup, format!("could not parse {s:?} as version"));
        if parts.len() < 2
            || parts.len() > 3
            || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let nums: Vec<u64> = parts.iter().map(|p| p.parse::<u64>()).collect::<Result<_, _>>().map_err(|_| bad())?;
        let patch = nums.get(2).copied().unwrap_or(0);
        let rest = &body[core_end..];
        let git = if t.starts_with('v') { t.to_string() } else { format!("v{t}") };
        Ok(KubeVersion {
            version: git,
            normalized: format!("v{}.{}.{}{}", nums[0], nums[1], patch, rest),
            major: nums[0].to_string(),
            minor: nums[1].to_string(),
        })
    }

    /// `--kube-version`'s check (`chartutil.ParseKubeVersion` in the
    /// commands): Helm's `invalid kube version` text, marked at the option.
    pub fn parse_flag(s: &str) -> Result<KubeVersion, Error> {
        KubeVersion::parse(s)
            .map_err(|e| e.wrap(&format!("invalid kube version '{s}': ")).at(KUBE_VERSION_FLAG, Some(1), None))
    }

    pub(crate) fn default_version() -> KubeVersion {
        KubeVersion {
            version: DEFAULT_KUBE_VERSION.into(),
            normalized: DEFAULT_KUBE_VERSION.into(),
            major: "1".into(),
            minor: "36".into(),
        }
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> String {
        "common.KubeVersion".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Version" => Value::str(&self.version),
            "Major" => Value::str(&self.major),
            "Minor" => Value::str(&self.minor),
            "GitVersion" => Value::str(&self.version),
            "String" => Value::str(&self.normalized),
            _ => return None,
        })
    }
    /// Template output finds the pointer-receiver String() method (Helm
    /// prints `v1.36.0`)…
    fn format_v(&self) -> String {
        self.normalized.clone()
    }
    /// …but fmt gets the struct value and prints its fields.
    fn fmt_stringer(&self) -> bool {
        false
    }
    fn fmt_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("Version", Value::str(&self.version)),
            ("normalizedVersion", Value::str(&self.normalized)),
            ("Major", Value::str(&self.major)),
            ("Minor", Value::str(&self.minor)),
        ])
    }
    fn to_data(&self) -> Option<Value> {
        let mut m = Map::new();
        m.insert("Version".into(), Value::str(&self.version));
        m.insert("Major".into(), Value::str(&self.major));
        m.insert("Minor".into(), Value::str(&self.minor));
        Some(Value::map(m))
    }
    /// encoding/json: exported fields in declaration order.
    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            ("Version".into(), Value::str(&self.version)),
            ("Major".into(), Value::str(&self.major)),
            ("Minor".into(), Value::str(&self.minor)),
        ])
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `version.BuildInfo` as libhelm_c 0.2.2 reports it (the oracle's build has
/// no release ldflags: Version `v4.2`, empty commit and tree state).
#[derive(Clone, Debug)]
pub struct BuildInfo {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl Default for BuildInfo {
    fn default() -> Self {
        BuildInfo {
            version: "v4.2".into(),
            git_commit: String::new(),
            git_tree_state: String::new(),
            go_version: "go1.26.6".into(),
            kube_client_version: "v1.36".into(),
        }
    }
}

impl Object for BuildInfo {
    fn type_name(&self) -> String {
        "version.BuildInfo".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Version" => Value::str(&self.version),
            "GitCommit" => Value::str(&self.git_commit),
            "GitTreeState" => Value::str(&self.git_tree_state),
            "GoVersion" => Value::str(&self.go_version),
            "KubeClientVersion" => Value::str(&self.kube_client_version),
            _ => return None,
        })
    }
    fn format_v(&self) -> String {
        format!(
            "{{{} {} {} {} {}}}",
            self.version, self.git_commit, self.git_tree_state, self.go_version, self.kube_client_version
        )
    }
    /// A struct without a String method.
    fn fmt_stringer(&self) -> bool {
        false
    }
    fn fmt_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("Version", Value::str(&self.version)),
            ("GitCommit", Value::str(&self.git_commit)),
            ("GitTreeState", Value::str(&self.git_tree_state)),
            ("GoVersion", Value::str(&self.go_version)),
            ("KubeClientVersion", Value::str(&self.kube_client_version)),
        ])
    }
    fn to_data(&self) -> Option<Value> {
        let fields = self.json_fields()?;
        Some(Value::map(fields.into_iter().collect()))
    }
    fn json_fields(&self) -> Option<Vec<(String, Value)>> {
        // encoding/json with the struct's tags (omitempty on the first four),
        // in declaration order.
        let mut f = Vec::new();
        for (k, v) in [
            ("version", &self.version),
            ("git_commit", &self.git_commit),
            ("git_tree_state", &self.git_tree_state),
            ("go_version", &self.go_version),
        ] {
            if !v.is_empty() {
                f.push((k.to_string(), Value::str(v)));
            }
        }
        f.push(("kube_client_version".into(), Value::str(&self.kube_client_version)));
        Some(f)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `*common.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub kube_version: Rc<KubeVersion>,
    /// A `common.VersionSet` slice value.
    pub api_versions: Value,
    pub helm_version: Rc<BuildInfo>,
}

impl Capabilities {
    /// Helm's defaults, plus extra API versions (`--api-versions`) appended
    /// as `helm template` does.
    pub fn new(kube_version: Option<KubeVersion>, extra_api_versions: &[String]) -> Capabilities {
        let mut apis: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        apis.extend(extra_api_versions.iter().cloned());
        Capabilities {
            kube_version: Rc::new(kube_version.unwrap_or_else(KubeVersion::default_version)),
            api_versions: Value::typed_list(apis.into_iter().map(Value::string).collect(), ListType::VERSION_SET),
            helm_version: Rc::new(BuildInfo::default()),
        }
    }
}

impl Object for Capabilities {
    fn type_name(&self) -> String {
        "*common.Capabilities".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "KubeVersion" => Value::Object(self.kube_version.clone()),
            "APIVersions" => self.api_versions.clone(),
            "HelmVersion" => Value::Object(self.helm_version.clone()),
            _ => return None,
        })
    }
    fn format_v(&self) -> String {
        // Template printing indirects the pointer and fmt prints the struct's
        // fields; KubeVersion is a value field there, so its unexported
        // normalizedVersion shows too.
        let kv = &self.kube_version;
        format!(
            "{{{{{} {} {} {}}} {} {}}}",
            kv.version,
            kv.normalized,
            kv.major,
            kv.minor,
            self.api_versions.to_go_string(),
            self.helm_version.format_v()
        )
    }
    /// fmt prints the pointed-to struct as `&{…}`.
    fn fmt_stringer(&self) -> bool {
        false
    }
    fn fmt_pointer(&self) -> bool {
        true
    }
    fn fmt_fields(&self) -> Option<Vec<(&'static str, Value)>> {
        Some(vec![
            ("KubeVersion", Value::Object(self.kube_version.clone())),
            ("APIVersions", self.api_versions.clone()),
            ("HelmVersion", Value::Object(self.helm_version.clone())),
        ])
    }
    fn to_data(&self) -> Option<Value> {
        let mut m = Map::new();
        m.insert("KubeVersion".into(), self.kube_version.to_data().unwrap_or(Value::Nil));
        m.insert("APIVersions".into(), self.api_versions.clone());
        m.insert("HelmVersion".into(), self.helm_version.to_data().unwrap_or(Value::Nil));
        Some(Value::map(m))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `engine.files`: a chart's non-template files with Helm's accessors.
#[derive(Clone, Debug, Default)]
pub struct Files {
    pub files: BTreeMap<String, Rc<[u8]>>,
}

impl Files {
    fn get_string(&self, name: &str) -> String {
        self.files.get(name).map(|b| crate::gostring::from_bytes(b)).unwrap_or_default()
    }

    /// Go's path.Match-style glob as Helm uses it (gobwas/glob with '/' as
    /// separator: `*` does not cross '/', `**` does).
    fn glob(&self, pattern: &str) -> Files {
        let files = self
            .files
            .iter()
            .filter(|(k, _)| glob_match(pattern.as_bytes(), k.as_bytes()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Files { files }
    }
}

/// gobwas/glob semantics with separator '/': `*` any run without '/',
/// `**` any run, `?` one non-'/' char, `[...]` classes, `{a,b}` alternatives.
pub(crate) fn glob_match(p: &[u8], s: &[u8]) -> bool {
    if p.is_empty() {
        return s.is_empty();
    }
    match p[0] {
        b'*' => {
            if p.len() > 1 && p[1] == b'*' {
                let rest = &p[2..];
                (0..=s.len()).any(|i| glob_match(rest, &s[i..]))
            } else {
                let rest = &p[1..];
                let mut i = 0;
                loop {
                    if glob_match(rest, &s[i..]) {
                        return true;
                    }
                    if i >= s.len() || s[i] == b'/' {
                        return false;
                    }
                    i += 1;
                }
            }
        }
        b'?' => !s.is_empty() && s[0] != b'/' && glob_match(&p[1..], &s[1..]),
        b'{' => {
            let close = match p.iter().position(|&c| c == b'}') {
                Some(c) => c,
                None => return !s.is_empty() && s[0] == b'{' && glob_match(&p[1..], &s[1..]),
            };
            let rest = &p[close + 1..];
            p[1..close].split(|&c| c == b',').any(|alt| {
                let mut pat = alt.to_vec();
                pat.extend_from_slice(rest);
                glob_match(&pat, s)
            })
        }
        b'[' => {
            let close = match p.iter().skip(1).position(|&c| c == b']') {
                Some(c) => c + 1,
                None => return !s.is_empty() && s[0] == b'[' && glob_match(&p[1..], &s[1..]),
            };
            if s.is_empty() {
                return false;
            }
            let (neg, class) = if p.get(1) == Some(&b'!') || p.get(1) == Some(&b'^') {
                (true, &p[2..close])
            } else {
                (false, &p[1..close])
            };
            let c = s[0];
            let mut hit = false;
            let mut i = 0;
            while i < class.len() {
                if i + 2 < class.len() && class[i + 1] == b'-' {
                    if class[i] <= c && c <= class[i + 2] {
                        hit = true;
                    }
                    i += 3;
                } else {
                    if class[i] == c {
                        hit = true;
                    }
                    i += 1;
                }
            }
            hit != neg && glob_match(&p[close + 1..], &s[1..])
        }
        b'\\' if p.len() > 1 => !s.is_empty() && s[0] == p[1] && glob_match(&p[2..], &s[1..]),
        c => !s.is_empty() && s[0] == c && glob_match(&p[1..], &s[1..]),
    }
}

impl Object for Files {
    fn type_name(&self) -> String {
        "engine.files".into()
    }
    fn kind(&self) -> &'static str {
        "map"
    }
    fn field(&self, name: &str) -> Option<Value> {
        // Methods without arguments.
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => None,
            "AsConfig" => Some(self.call_method("AsConfig", &[]).unwrap_or(Value::Nil)),
            "AsSecrets" => Some(self.call_method("AsSecrets", &[]).unwrap_or(Value::Nil)),
            // engine.files is a map type: other names are map lookups of []byte.
            other => Some(match self.files.get(other) {
                Some(b) => Value::Bytes(b.clone()),
                None => Value::Bytes(Rc::from(Vec::new())),
            }),
        }
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets")
    }
    fn method_params(&self, name: &str) -> Option<&'static [crate::template::Ty]> {
        match name {
            "Get" | "GetBytes" | "Glob" | "Lines" => Some(&[crate::template::Ty::String]),
            "AsConfig" | "AsSecrets" => Some(&[]),
            _ => None,
        }
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, Error> {
        let want_str = |args: &[Value]| -> Result<String, Error> {
            match args {
                [Value::String(s)] => Ok(s.to_string()),
                [other] => Err(go_err!("wrong type for value; expected string; got {}", other.type_name())),
                _ => Err(go_err!("wrong number of args for {name}: want 1 got {}", args.len())),
            }
        };
        match name {
            "Get" => Ok(Value::string(self.get_string(&want_str(args)?))),
            "GetBytes" => {
                let n = want_str(args)?;
                Ok(Value::Bytes(self.files.get(&n).cloned().unwrap_or_else(|| Rc::from(Vec::new()))))
            }
            "Lines" => {
                let n = want_str(args)?;
                match self.files.get(&n) {
                    None => Ok(Value::string_list(Vec::new())),
                    // Helm's files.Lines drops one trailing newline first;
                    // on an empty file its s[len(s)-1] panics.
                    Some(b) if b.is_empty() => Err("runtime error: index out of range [-1]".into()),
                    Some(b) => {
                        let s = crate::gostring::from_bytes(b);
                        let s = s.strip_suffix('\n').unwrap_or(&s);
                        Ok(Value::string_list(s.split('\n').map(Value::str).collect()))
                    }
                }
            }
            "Glob" => {
                let p = want_str(args)?;
                Ok(Value::Object(Rc::new(self.glob(&p))))
            }
            "AsConfig" => {
                let mut m = Map::new();
                for (k, v) in &self.files {
                    let base = k.rsplit('/').next().unwrap_or(k);
                    m.insert(base.to_string(), Value::string(crate::gostring::from_bytes(v)));
                }
                crate::yaml::to_yaml(&Value::map(m)).map(Value::string)
            }
            "AsSecrets" => {
                let mut m = Map::new();
                for (k, v) in &self.files {
                    let base = k.rsplit('/').next().unwrap_or(k);
                    m.insert(base.to_string(), Value::string(crate::gofmt::base64::encode_std(v)));
                }
                crate::yaml::to_yaml(&Value::map(m)).map(Value::string)
            }
            _ => Err(go_err!("can't call method {name}")),
        }
    }
    fn format_v(&self) -> String {
        let mut s = String::from("map[");
        for (i, (k, v)) in self.files.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(k);
            s.push(':');
            s.push_str(&Value::Bytes(v.clone()).to_go_string());
        }
        s.push(']');
        s
    }
    fn len(&self) -> Option<usize> {
        Some(self.files.len())
    }
    /// A map[string][]byte: a missing name gives a nil []byte.
    fn map_index(&self, key: &str) -> Option<Value> {
        Some(Value::Bytes(self.files.get(key).cloned().unwrap_or_else(|| Rc::from(Vec::new()))))
    }
    /// `%#v` of the named map type.
    fn go_string(&self) -> Option<String> {
        let mut s = String::from("engine.files{");
        for (i, (k, v)) in self.files.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&crate::gofmt::strconv::quote(k));
            s.push_str(":[]uint8{");
            let bytes: Vec<String> = v.iter().map(|b| format!("{b:#x}")).collect();
            s.push_str(&bytes.join(", "));
            s.push('}');
        }
        s.push('}');
        Some(s)
    }
    /// engine.files is a Go map: empty (e.g. a `.Files.Glob` that matched
    /// nothing) is false for `if`/`and`/`default`, as charts rely on.
    fn truthy(&self) -> bool {
        !self.files.is_empty()
    }
    fn to_data(&self) -> Option<Value> {
        // A map[string][]byte: ranging yields the []byte values, JSON
        // encodes them as base64.
        let m = self.files.iter().map(|(k, v)| (k.clone(), Value::Bytes(v.clone()))).collect();
        Some(Value::map(m))
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_like_gobwas() {
        assert!(glob_match(b"files/*.conf", b"files/a.conf"));
        assert!(!glob_match(b"files/*.conf", b"files/x/a.conf"));
        assert!(glob_match(b"files/**.conf", b"files/x/a.conf"));
        assert!(glob_match(b"{a,b}.txt", b"b.txt"));
    }

    #[test]
    fn kube_version_parse() {
        let k = KubeVersion::parse("1.30").unwrap();
        assert_eq!((k.version.as_str(), k.normalized.as_str(), k.minor.as_str()), ("v1.30", "v1.30.0", "30"));
        assert!(KubeVersion::parse("banana").is_err());
    }
}
