//! Sprig's semver.go: a port of Masterminds/semver v3.5.0 (`NewVersion`
//! with coercion, `NewConstraint`, `Check`). Its own Go regexes are compiled
//! with our Go-compatible regex layer (ASCII `\s`, leftmost-first).

use crate::error::{go_err, Error};
use std::rc::Rc;
use std::sync::OnceLock;

use super::regexp::Regex;

use crate::template::{FuncMap, Ty};
use crate::value::{Object, Value};

use super::arg_str;
use super::memo::{parsed, Memo};

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("semverCompare", &[String, String], None, |_, a| {
        let c = parsed(&CONSTRAINTS, &arg_str(&a, 0), |s| Constraints::parse(s).map(Rc::new))?;
        let v = parsed(&VERSIONS, &arg_str(&a, 1), |s| Version::parse(s).map(Rc::new))?;
        Ok(Value::Bool(c.check(&v)))
    });
    m.add("semver", &[String], None, |_, a| {
        let v = Version::parse(&arg_str(&a, 0))?;
        Ok(Value::Object(Rc::new(VersionObj { v, pointer: true })))
    });
}

thread_local! {
    // Charts call semverCompare in loops and helpers with the same few
    // constraints and versions (.Capabilities.KubeVersion): parsing runs
    // several regex searches, so parses are memoised.
    static CONSTRAINTS: Memo<Rc<Constraints>> = Memo::default();
    static VERSIONS: Memo<Rc<Version>> = Memo::default();
}

/// `semver.Version`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub metadata: String,
    pub original: String,
}

const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const LOOSE: &str =
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Regexes {
    loose: Regex,
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

fn regexes() -> Option<&'static Regexes> {
    static R: OnceLock<Option<Regexes>> = OnceLock::new();
    R.get_or_init(|| {
        let c = |p: String| super::regex::compile(&p).ok();
        Some(Regexes {
            loose: c(format!("^{LOOSE}$"))?,
            constraint: c(format!(r"^\s*({OPS})\s*({CV})\s*$"))?,
            range: c(format!(r"\s*({CV})\s+-\s+({CV})\s*"))?,
            find: c(format!(r"({OPS})\s*({CV})"))?,
            valid: c(format!(r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"))?,
        })
    })
    .as_ref()
}

fn internal() -> String {
    "chartroom: semver regexes failed to compile".into()
}

const NUM: &str = "0123456789";

fn contains_only(s: &str, allowed: &str) -> bool {
    s.chars().all(|c| allowed.contains(c))
}

fn is_allowed(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn validate_prerelease(p: &str) -> Result<(), Error> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err("invalid prerelease string".into());
        } else if contains_only(part, NUM) {
            if part.len() > 1 && part.starts_with('0') {
                return Err("version segment starts with 0".into());
            }
        } else if !is_allowed(part) {
            return Err("invalid prerelease string".into());
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), Error> {
    for part in m.split('.') {
        if part.is_empty() || !is_allowed(part) {
            return Err("invalid metadata string".into());
        }
    }
    Ok(())
}

fn parse_segment(s: &str) -> Result<u64, Error> {
    s.parse::<u64>().map_err(|_| {
        go_err!(
            "error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            crate::gofmt::strconv::quote(s)
        )
    })
}

/// Whether Masterminds' `StrictNewVersion` accepts `v`: MAJOR.MINOR.PATCH,
/// each a uint64 without `v` or leading zeros, then an optional valid
/// `-prerelease` and `+metadata` (Helm's lint of Chart.yaml's version, plugin
/// metadata, and which OCI tags are versions).
pub(crate) fn is_strict_version(v: &str) -> bool {
    let mut parts = v.splitn(3, '.');
    let (Some(major), Some(minor), Some(rest)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (rest, metadata) = match rest.split_once('+') {
        Some((r, m)) => (r, Some(m)),
        None => (rest, None),
    };
    if metadata.is_some_and(|m| validate_metadata(m).is_err()) {
        return false;
    }
    let (patch, pre) = match rest.split_once('-') {
        Some((p, pre)) => (p, Some(pre)),
        None => (rest, None),
    };
    if pre.is_some_and(|p| validate_prerelease(p).is_err()) {
        return false;
    }
    [major, minor, patch]
        .iter()
        .all(|p| contains_only(p, NUM) && !(p.len() > 1 && p.starts_with('0')) && p.parse::<u64>().is_ok())
}

impl Version {
    /// `semver.NewVersion` (CoerceNewVersion = true → coerceNewVersion).
    pub fn parse(v: &str) -> Result<Version, Error> {
        let r = regexes().ok_or_else(internal)?;
        let caps = r.loose.captures(v).ok_or_else(|| "invalid semantic version".to_string())?;
        let g = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
        let mut sv = Version {
            major: parse_segment(g(1))?,
            minor: 0,
            patch: 0,
            pre: g(5).to_string(),
            metadata: g(8).to_string(),
            original: v.to_string(),
        };
        if !g(2).is_empty() {
            sv.minor = parse_segment(g(2).trim_start_matches('.'))?;
        }
        if !g(3).is_empty() {
            sv.patch = parse_segment(g(3).trim_start_matches('.'))?;
        }
        if !sv.pre.is_empty() {
            validate_prerelease(&sv.pre)?;
        }
        if !sv.metadata.is_empty() {
            validate_metadata(&sv.metadata)?;
        }
        Ok(sv)
    }

    /// `Version.String()`.
    pub fn string(&self) -> String {
        let mut s = format!("{}.{}.{}", self.major, self.minor, self.patch);
        if !self.pre.is_empty() {
            s.push('-');
            s.push_str(&self.pre);
        }
        if !self.metadata.is_empty() {
            s.push('+');
            s.push_str(&self.metadata);
        }
        s
    }

    /// `Version.Compare`: -1, 0, 1 (metadata ignored).
    pub fn compare(&self, o: &Version) -> i32 {
        for (a, b) in [(self.major, o.major), (self.minor, o.minor), (self.patch, o.patch)] {
            if a != b {
                return if a < b { -1 } else { 1 };
            }
        }
        match (self.pre.is_empty(), o.pre.is_empty()) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => -1,
            (false, false) => compare_prerelease(&self.pre, &o.pre),
        }
    }

    fn orig_v_prefix(&self) -> &str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn inc(&self, what: char) -> Result<Version, Error> {
        let mut n = self.clone();
        n.metadata.clear();
        n.pre.clear();
        match what {
            'p' => {
                if self.pre.is_empty() {
                    n.patch = self.patch.checked_add(1).ok_or("patch version increment would overflow uint64")?;
                }
            }
            'm' => {
                n.patch = 0;
                n.minor = self.minor.checked_add(1).ok_or("minor version increment would overflow uint64")?;
            }
            _ => {
                n.patch = 0;
                n.minor = 0;
                n.major = self.major.checked_add(1).ok_or("major version increment would overflow uint64")?;
            }
        }
        n.original = format!("{}{}", self.orig_v_prefix(), n.string());
        Ok(n)
    }
}

fn compare_prerelease(v: &str, o: &str) -> i32 {
    let sp: Vec<&str> = v.split('.').collect();
    let op: Vec<&str> = o.split('.').collect();
    for i in 0..sp.len().max(op.len()) {
        let d = compare_pre_part(sp.get(i).copied().unwrap_or(""), op.get(i).copied().unwrap_or(""));
        if d != 0 {
            return d;
        }
    }
    0
}

fn compare_pre_part(s: &str, o: &str) -> i32 {
    if s == o {
        return 0;
    }
    if s.is_empty() {
        return -1;
    }
    if o.is_empty() {
        return 1;
    }
    let oi = o.parse::<u64>().ok().filter(|_| o.bytes().all(|b| b.is_ascii_digit()));
    let si = s.parse::<u64>().ok().filter(|_| s.bytes().all(|b| b.is_ascii_digit()));
    match (si, oi) {
        (None, None) => {
            if s > o {
                1
            } else {
                -1
            }
        }
        (Some(_), None) => -1,
        (None, Some(_)) => 1,
        (Some(a), Some(b)) => {
            if a > b {
                1
            } else {
                -1
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Gt,
    Lt,
    Ge,
    Le,
    Tilde,
    Caret,
}

#[derive(Debug)]
struct Constraint {
    con: Version,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// `semver.Constraints`: OR groups of AND-ed constraints.
pub(crate) struct Constraints {
    groups: Vec<(Vec<Constraint>, bool)>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn rewrite_range(r: &Regexes, i: &str) -> String {
    let mut o = i.to_string();
    for caps in r.range.captures_iter(i) {
        let whole = caps.get(0).map(|m| m.as_str()).unwrap_or("");
        let a = caps.get(1).map(|m| m.as_str()).unwrap_or("");
        let b = caps.get(11).map(|m| m.as_str()).unwrap_or("");
        o = o.replacen(whole, &format!(">= {a}, <= {b} "), 1);
    }
    o
}

fn parse_constraint(r: &Regexes, c: &str) -> Result<Constraint, Error> {
    let caps =
        r.constraint.captures(c).ok_or_else(|| format!("improper constraint: {}", crate::gofmt::strconv::quote(c)))?;
    let g = |i: usize| caps.get(i).map(|m| m.as_str()).unwrap_or("");
    let op = match g(1) {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Gt,
        "<" => Op::Lt,
        ">=" | "=>" => Op::Ge,
        "<=" | "=<" => Op::Le,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (mut ver, mut minor_dirty, mut patch_dirty, mut dirty) = (g(2).to_string(), false, false, false);
    if is_x(g(3)) || g(3).is_empty() {
        ver = format!("0.0.0{}", g(6));
        dirty = true;
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{}.0.0{}", g(3), g(6));
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{}{}.0{}", g(3), g(4), g(6));
    }
    let con = Version::parse(&ver).map_err(|_| "constraint parser error".to_string())?;
    Ok(Constraint { con, op, minor_dirty, patch_dirty, dirty })
}

impl Constraints {
    /// `semver.NewConstraint`.
    pub fn parse(c: &str) -> Result<Constraints, Error> {
        let r = regexes().ok_or_else(internal)?;
        let c = rewrite_range(r, c);
        let mut groups = Vec::new();
        for v in c.split("||") {
            if !r.valid.is_match(v) {
                return Err(go_err!("improper constraint: {}", crate::gofmt::strconv::quote(v)));
            }
            let mut cs: Vec<&str> = r.find.find_iter(v).into_iter().map(|m| m.as_str()).collect();
            if cs.is_empty() {
                cs.push(v);
            }
            let mut result = Vec::new();
            let mut has_pre = false;
            for s in cs {
                let pc = parse_constraint(r, s)?;
                if !pc.con.pre.is_empty() {
                    has_pre = true;
                }
                result.push(pc);
            }
            groups.push((result, has_pre));
        }
        Ok(Constraints { groups })
    }

    /// `Constraints.Check`.
    pub fn check(&self, v: &Version) -> bool {
        self.groups.iter().any(|(cs, pre)| cs.iter().all(|c| c.check(v, *pre)))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != 0;
                        }
                        return false;
                    }
                }
                v.compare(c) != 0
            }
            Op::Gt => {
                if !self.dirty {
                    return v.compare(c) == 1;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == 1
                }
            }
            Op::Lt => v.compare(c) < 0,
            Op::Ge => v.compare(c) >= 0,
            Op::Le => {
                if !self.dirty {
                    return v.compare(c) <= 0;
                }
                !(v.major > c.major || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            Op::Tilde => self.tilde(v),
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v.compare(c) == 0
                }
            }
            Op::Caret => {
                if v.compare(c) < 0 {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if c.major == 0 && v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if c.minor == 0 && v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v.compare(c) < 0 {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }
}

/// A `*semver.Version` (or a `semver.Version` from `IncMajor`…) in a template.
pub(crate) struct VersionObj {
    pub v: Version,
    pub pointer: bool,
}

impl VersionObj {
    fn other(args: &[Value]) -> Result<Version, Error> {
        match args.first() {
            Some(Value::Object(o)) => match o.as_any().downcast_ref::<VersionObj>() {
                Some(v) => Ok(v.v.clone()),
                None => Err(go_err!("wrong type for value; expected *semver.Version; got {}", o.type_name())),
            },
            Some(other) => Err(go_err!("wrong type for value; expected *semver.Version; got {}", other.type_name())),
            None => Err("wrong number of args: got 0 want 1".into()),
        }
    }
}

impl Object for VersionObj {
    /// `%#v`: fmt prints the struct's unexported fields (`&` for the pointer).
    fn go_string(&self) -> Option<String> {
        let q = crate::gofmt::strconv::quote;
        let v = &self.v;
        Some(format!(
            "{}semver.Version{{major:{:#x}, minor:{:#x}, patch:{:#x}, pre:{}, metadata:{}, original:{}}}",
            if self.pointer { "&" } else { "" },
            v.major,
            v.minor,
            v.patch,
            q(&v.pre),
            q(&v.metadata),
            q(&v.original)
        ))
    }
    fn deep_equal(&self, other: &dyn Object) -> bool {
        other.as_any().downcast_ref::<VersionObj>().is_some_and(|o| o.v == self.v)
    }
    /// copystructure copies exported fields only: all of Version's are
    /// unexported, so the copy is 0.0.0.
    fn deep_copy(&self) -> Option<Value> {
        let zero = Version {
            major: 0,
            minor: 0,
            patch: 0,
            pre: String::new(),
            metadata: String::new(),
            original: String::new(),
        };
        Some(Value::Object(std::rc::Rc::new(VersionObj { v: zero, pointer: self.pointer })))
    }
    fn type_name(&self) -> String {
        if self.pointer { "*semver.Version" } else { "semver.Version" }.into()
    }
    fn kind(&self) -> &'static str {
        if self.pointer {
            "ptr"
        } else {
            "struct"
        }
    }
    fn field(&self, name: &str) -> Option<Value> {
        let v = &self.v;
        Some(match name {
            "Major" => Value::Uint(v.major),
            "Minor" => Value::Uint(v.minor),
            "Patch" => Value::Uint(v.patch),
            "Prerelease" => Value::string(v.pre.clone()),
            "Metadata" => Value::string(v.metadata.clone()),
            // Original has a pointer receiver: not reachable on a value.
            "Original" if self.pointer => Value::string(v.original.clone()),
            "String" => Value::string(v.string()),
            "IncMajor" | "IncMinor" | "IncPatch" => {
                let w = match name {
                    "IncMajor" => 'M',
                    "IncMinor" => 'm',
                    _ => 'p',
                };
                match v.inc(w) {
                    Ok(n) => Value::Object(Rc::new(VersionObj { v: n, pointer: false })),
                    Err(_) => return None,
                }
            }
            _ => return None,
        })
    }
    fn has_method(&self, name: &str) -> bool {
        if !self.pointer
            && matches!(
                name,
                "Compare" | "LessThan" | "LessThanEqual" | "GreaterThan" | "GreaterThanEqual" | "Equal" | "Original"
            )
        {
            return false;
        }
        matches!(
            name,
            "Compare"
                | "LessThan"
                | "LessThanEqual"
                | "GreaterThan"
                | "GreaterThanEqual"
                | "Equal"
                | "String"
                | "Major"
                | "Minor"
                | "Patch"
                | "Prerelease"
                | "Metadata"
                | "Original"
                | "IncMajor"
                | "IncMinor"
                | "IncPatch"
        )
    }
    fn call_method(&self, name: &str, args: &[Value]) -> Result<Value, Error> {
        let o = Self::other(args)?;
        let c = self.v.compare(&o);
        Ok(match name {
            "Compare" => Value::int(i64::from(c)),
            "LessThan" => Value::Bool(c < 0),
            "LessThanEqual" => Value::Bool(c <= 0),
            "GreaterThan" => Value::Bool(c > 0),
            "GreaterThanEqual" => Value::Bool(c >= 0),
            "Equal" => Value::Bool(c == 0),
            _ => return Err(go_err!("can't call method/function {name:?} with arguments")),
        })
    }
    fn format_v(&self) -> String {
        self.v.string()
    }
    fn to_data(&self) -> Option<Value> {
        Some(Value::string(self.v.string()))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_version_like_masterminds() {
        for ok in ["1.2.3", "0.0.0", "0.1.0", "1.0.0-rc.1+build.5", "10.20.30-alpha-1", "1.2.3-a+b-c"] {
            assert!(is_strict_version(ok), "{ok}");
        }
        let bad =
            ["1.2", "v1.2.3", "01.2.3", "1.2.3-01", "1.2.3-", "1.2.3+", "", "1.2.3.4", "18446744073709551616.0.0"];
        for v in bad {
            assert!(!is_strict_version(v), "{v}");
        }
    }

    fn check(c: &str, v: &str) -> bool {
        Constraints::parse(c).unwrap().check(&Version::parse(v).unwrap())
    }

    #[test]
    fn kube_version_idioms() {
        assert!(!check(">=1.21", "v1.36.0-gke.100"));
        assert!(check(">=1.21-0", "v1.36.0-gke.100"));
        assert!(!check("~1.2", "1.3.0"));
        assert!(check("^1.2", "1.9.0"));
        assert!(check("<1.0 || >=2.0", "2.1.0"));
        assert!(check(">= 1.2, < 2", "1.5.0"));
        assert!(check("1.2 - 1.4", "1.3.0"));
    }
}
