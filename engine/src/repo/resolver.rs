//! How `helm dependency build` decides what to download for the Chart.yaml
//! dependencies that are not vendored under `charts/` (pkg/downloader/
//! manager.go `Build`/`Update`, internal/resolver): with a Chart.lock, its
//! digest must match Chart.yaml and its exact versions are fetched; without
//! one, each constraint is resolved against the repository's index.
//!
//! One deliberate difference: Helm wants every repository URL added with
//! `helm repo add` first (`no repository definition for …`); Chartroom has
//! no repositories.yaml, so every `http(s)://` repository counts as added.
//! `@name` / `alias:name` repositories cannot be resolved and say so.

use crate::chart::{Dependency, Metadata};
use crate::error::{Error, Kind};
use crate::gofmt::strconv::quote;
use crate::sprig::semver::{Constraints, Version};
use crate::value::Value;

use super::index::{ChartVersion, IndexFile};

/// `chart.Lock` (Chart.lock).
#[derive(Clone, Debug, Default)]
pub struct Lock {
    pub generated: String,
    pub digest: String,
    pub dependencies: Vec<Dependency>,
}

/// Chart.lock as the chart loader reads it (`yaml.Unmarshal` into
/// `chart.Lock`).
pub fn parse_lock(text: &str) -> Result<Lock, Error> {
    let doc =
        crate::yaml::parse_typed(text).map_err(|e| Error::new(Kind::Chart, crate::yaml::sigs_unmarshal_error(&e)))?;
    let Value::Map(m, _) = &doc else {
        return Ok(Lock::default());
    };
    let m = m.borrow();
    let s = |k: &str| match m.get(k) {
        Some(Value::String(s)) => s.to_string(),
        _ => String::new(),
    };
    // The dependency list reads like Chart.yaml's.
    let mut deps_doc = crate::value::Map::new();
    if let Some(d) = m.get("dependencies") {
        deps_doc.insert("dependencies".into(), d.clone());
    }
    let md = Metadata::from_value(&Value::map(deps_doc))?;
    Ok(Lock { generated: s("generated"), digest: s("digest"), dependencies: md.dependencies })
}

/// encoding/json of a `*chart.Dependency` (field order and omitempty as
/// the struct tags say).
fn dependency_json(d: &Dependency) -> String {
    let mut out = format!("{{\"name\":{}", json_str(&d.name));
    if !d.version.is_empty() {
        out.push_str(&format!(",\"version\":{}", json_str(&d.version)));
    }
    out.push_str(&format!(",\"repository\":{}", json_str(&d.repository)));
    if !d.condition.is_empty() {
        out.push_str(&format!(",\"condition\":{}", json_str(&d.condition)));
    }
    if !d.tags.is_empty() {
        let tags: Vec<String> = d.tags.iter().map(|t| json_str(t)).collect();
        out.push_str(&format!(",\"tags\":[{}]", tags.join(",")));
    }
    if d.enabled {
        out.push_str(",\"enabled\":true");
    }
    if !d.import_values.is_empty() {
        let iv = crate::json::to_json(&Value::list(d.import_values.clone())).unwrap_or_else(|_| "null".into());
        out.push_str(&format!(",\"import-values\":{iv}"));
    }
    if !d.alias.is_empty() {
        out.push_str(&format!(",\"alias\":{}", json_str(&d.alias)));
    }
    out.push('}');
    out
}

fn json_str(s: &str) -> String {
    crate::json::to_json(&Value::str(s)).unwrap_or_else(|_| "\"\"".into())
}

fn deps_json(deps: &[Dependency]) -> String {
    if deps.is_empty() {
        // A nil slice (no dependencies key) marshals as null.
        return "null".into();
    }
    format!("[{}]", deps.iter().map(dependency_json).collect::<Vec<_>>().join(","))
}

/// `resolver.HashReq`: `sha256:` + hex of the JSON `[req, lock]`.
pub(crate) fn hash_req(req: &[Dependency], lock: &[Dependency]) -> String {
    use sha2::Digest;
    let data = format!("[{},{}]", deps_json(req), deps_json(lock));
    let sum = sha2::Sha256::digest(data.as_bytes());
    format!("sha256:{}", sum.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// `resolver.HashV2Req` (apiVersion v1 charts whose lock Helm 2 wrote).
pub(crate) fn hash_v2_req(req: &[Dependency]) -> String {
    use sha2::Digest;
    let data = format!("{{\"dependencies\":{}}}", deps_json(req));
    let sum = sha2::Sha256::digest(data.as_bytes());
    format!("sha256:{}", sum.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// One chart to download into `charts/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Download {
    pub name: String,
    pub repository: String,
    /// The locked version (Chart.lock) or the constraint (Chart.yaml).
    pub version: String,
    /// Whether `version` comes from Chart.lock (found by version
    /// equality) rather than a constraint to resolve.
    pub locked: bool,
}

/// `Manager.resolveRepoNames`'s check: every repository must be a URL
/// (counted as added, see the module comment) or a local path; `@name` and
/// `alias:name` refer to repositories.yaml, which Chartroom has none of.
fn resolve_repo_names(req: &[Dependency]) -> Result<(), Error> {
    let mut missing: Vec<&str> = Vec::new();
    for d in req {
        let r = d.repository.as_str();
        if r.is_empty() || r.starts_with("file://") || r.starts_with("oci://") {
            continue;
        }
        // url.ParseRequestURI: an absolute URL or an absolute path.
        let request_uri = r.starts_with('/') || crate::sprig::url::parse(r).is_ok_and(|u| !u.scheme.is_empty());
        if r.starts_with('@') || r.starts_with("alias:") || !request_uri {
            missing.push(r);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut msg = format!("no repository definition for {}. Please add them via 'helm repo add'", missing.join(", "));
    if missing.iter().any(|r| !r.contains("//") && !r.starts_with('@') && !r.starts_with("alias:")) {
        msg.push_str(
            "\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add').",
        );
    }
    Err(Error::new(Kind::Chart, msg))
}

/// What `helm dependency build` downloads for the dependencies in
/// `missing` (names as in Chart.yaml, those not found under `charts/`).
/// `local` dependencies (no repository, `file://`) cannot be fetched and
/// are reported by the chart check as Helm does.
pub fn build_plan(md: &Metadata, lock: Option<&Lock>, missing: &[String]) -> Result<Vec<Download>, Error> {
    let req = &md.dependencies;
    resolve_repo_names(req)?;
    if let Some(lock) = lock {
        let sum = hash_req(req, &lock.dependencies);
        if sum != lock.digest {
            if md.api_version == "v1" {
                if hash_v2_req(req) != lock.digest {
                    return Err(Error::new(Kind::Chart, "the lock file (requirements.lock) is out of sync with the dependencies file (requirements.yaml). Please update the dependencies"));
                }
            } else {
                return Err(Error::new(Kind::Chart, "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'"));
            }
        }
        let locked = lock.dependencies.iter().map(|d| (&d.name, &d.repository, &d.version));
        return Ok(downloads(locked, missing, true));
    }
    for d in req {
        Constraints::parse(&d.version).map_err(|e| {
            Error::new(
                Kind::Chart,
                format!("dependency {} has an invalid version/constraint format: {e}", quote(&d.name)),
            )
        })?;
    }
    Ok(downloads(req.iter().map(|d| (&d.name, &d.repository, &d.version)), missing, false))
}

/// The (name, repository, version) entries to fetch: the missing ones that
/// have a repository to fetch from (not `file://`).
fn downloads<'a>(
    deps: impl Iterator<Item = (&'a String, &'a String, &'a String)>,
    missing: &[String],
    locked: bool,
) -> Vec<Download> {
    deps.filter(|(name, repository, _)| {
        missing.contains(name) && !repository.is_empty() && !repository.starts_with("file://")
    })
    .map(|(name, repository, version)| Download {
        name: name.clone(),
        repository: repository.clone(),
        version: version.clone(),
        locked,
    })
    .collect()
}

/// `Resolver.Resolve`'s message for the constraints no version satisfies.
pub fn missing_versions_error(missing: &[&Download]) -> String {
    let items: Vec<String> = missing
        .iter()
        .map(|d| format!("{} (repository {}, version {})", quote(&d.name), quote(&d.repository), quote(&d.version)))
        .collect();
    format!(
        "can't get a valid version for {} subchart(s): {}. Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml",
        items.len(),
        items.join(", ")
    )
}

/// The entry of `index` that `helm dependency build` downloads for `d`:
/// a locked version by semver equality among entries with URLs
/// (`findVersionedEntry`), a constraint by the first match in the sorted
/// index (`Resolver.Resolve`). `Err(None)` when no version fits (collect
/// them for [`missing_versions_error`]), `Err(Some(msg))` for Helm's other
/// errors.
pub fn pick<'a>(index: &'a IndexFile, d: &Download) -> Result<&'a ChartVersion, Option<Error>> {
    let Some(vs) = index.entries.get(&d.name) else {
        return Err(Some(Error::go(if d.locked {
            // findChartURL → "could not find <url>: entry not found", the
            // URL still empty at that point.
            "could not find : entry not found".to_string()
        } else {
            format!("{} chart not found in repo {}", d.name, d.repository)
        })));
    };
    if d.locked {
        return vs
            .iter()
            .filter(|cv| !cv.urls.is_empty())
            .find(|cv| d.version.is_empty() || version_equals(&d.version, cv.version()))
            .ok_or_else(|| Some(Error::go("could not find : no matching version")));
    }
    let c = Constraints::parse(&d.version).map_err(|e| {
        Some(e.wrap(&format!("dependency {} has an invalid version/constraint format: ", quote(&d.name))))
    })?;
    vs.iter()
        .filter(|cv| !cv.urls.is_empty())
        .find(|cv| Version::parse(cv.version()).is_ok_and(|v| c.check(&v)))
        .ok_or(None)
}

/// manager.go `versionEquals`.
fn version_equals(a: &str, b: &str) -> bool {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(x), Ok(y)) => x.compare(&y) == 0 && x.metadata == y.metadata,
        (Err(_), _) => a == b,
        (_, Err(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dep(name: &str, version: &str, repo: &str) -> Dependency {
        Dependency { name: name.into(), version: version.into(), repository: repo.into(), ..Dependency::default() }
    }

    const PARENT_CHART: &str = "apiVersion: v2\nname: parent-chart\nversion: v0.1.0\ndependencies:\n  - name: dev\n    repository: \"file://envs/dev\"\n    version: \">= 0.0.1\"\n    condition: dev.enabled,global.dev.enabled\n    tags:\n      - dev\n    import-values:\n      - data\n\n  - name: prod\n    repository: \"file://envs/prod\"\n    version: \">= 0.0.1\"\n    condition: prod.enabled,global.prod.enabled\n    tags:\n      - prod\n    import-values:\n      - data\n";
    const PARENT_LOCK: &str = "dependencies:\n- name: dev\n  repository: file://envs/dev\n  version: v0.1.0\n- name: prod\n  repository: file://envs/prod\n  version: v0.1.0\ndigest: sha256:9403fc24f6cf9d6055820126cf7633b4bd1fed3c77e4880c674059f536346182\ngenerated: \"2020-02-03T10:38:51.180474+01:00\"\n";

    fn md(src: &str) -> Metadata {
        Metadata::from_value(&crate::yaml::parse_typed(src).unwrap()).unwrap()
    }

    /// The digest `helm dependency update` wrote into Helm's testdata
    /// (pkg/chart/v2/util/testdata/import-values-from-enabled-subchart):
    /// conditions, tags and import-values all enter the hash.
    #[test]
    fn hash_req_matches_helm_lock() {
        let lock = parse_lock(PARENT_LOCK).unwrap();
        assert_eq!(lock.dependencies.len(), 2);
        assert_eq!(hash_req(&md(PARENT_CHART).dependencies, &lock.dependencies), lock.digest);
        // file:// dependencies are never downloaded.
        assert_eq!(build_plan(&md(PARENT_CHART), Some(&lock), &["dev".into()]).unwrap(), vec![]);
    }

    /// Helm's requirements.lock for issue 7233 (apiVersion v1, Helm 2's
    /// hash of `{"dependencies": req}`).
    #[test]
    fn hash_v2_matches_helm() {
        let req = vec![dep("alpine", "0.1.0", "file://../alpine")];
        assert_eq!(hash_v2_req(&req), "sha256:7b380b1a826e7be1eecb089f66209d6d3df54be4bf879d4a8e6f8a9e871710e5");
    }

    #[test]
    fn out_of_sync_lock() {
        let mut m = md("apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies:\n- name: redis\n  version: ~1.2\n  repository: https://charts.example.com\n");
        let lock = Lock {
            digest: "sha256:0".into(),
            dependencies: vec![dep("redis", "1.2.5", "https://charts.example.com")],
            ..Lock::default()
        };
        assert_eq!(
            build_plan(&m, Some(&lock), &["redis".into()]).unwrap_err(),
            "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies with 'helm dependency update'"
        );
        let lock = Lock { digest: hash_req(&m.dependencies, &lock.dependencies), ..lock };
        let plan = build_plan(&m, Some(&lock), &["redis".into()]).unwrap();
        assert_eq!(
            plan,
            vec![Download {
                name: "redis".into(),
                repository: "https://charts.example.com".into(),
                version: "1.2.5".into(),
                locked: true
            }]
        );
        // Without a lock: the constraint, resolved later against the index.
        let plan = build_plan(&m, None, &["redis".into()]).unwrap();
        assert_eq!(plan[0].version, "~1.2");
        assert!(!plan[0].locked);
        m.dependencies[0].version = "not a version".into();
        assert_eq!(
            build_plan(&m, None, &["redis".into()]).unwrap_err(),
            "dependency \"redis\" has an invalid version/constraint format: improper constraint: \"not a version\""
        );
    }

    /// manager.go resolveRepoNames: all unknown repositories in one message,
    /// with the note when one is not even a URL.
    #[test]
    fn repository_names() {
        let m = md("apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies:\n- {name: x, version: 1.0.0, repository: \"@stable\"}\n- {name: y, version: 1.0.0, repository: example}\n- {name: z, version: 1.0.0, repository: \"https://ok.example\"}\n");
        assert_eq!(
            build_plan(&m, None, &["x".into()]).unwrap_err(),
            "no repository definition for @stable, example. Please add them via 'helm repo add'\nNote that repositories must be URLs or aliases. For example, to refer to the \"example\"\nrepository, use \"https://charts.example.com/\" or \"@example\" instead of\n\"example\". Don't forget to add the repo, too ('helm repo add')."
        );
    }

    #[test]
    fn pick_from_index() {
        let idx = super::super::load_index(
            b"apiVersion: v1\nentries:\n  redis:\n  - {name: redis, version: 1.2.5, urls: [redis-1.2.5.tgz]}\n  - {name: redis, version: 1.2.9, urls: [redis-1.2.9.tgz]}\n  - {name: redis, version: 1.3.0, urls: [redis-1.3.0.tgz]}\n  - {name: redis, version: 1.2.10}\n",
            "t",
        )
        .unwrap();
        let d = |v: &str, locked| Download {
            name: "redis".into(),
            repository: "https://r".into(),
            version: v.into(),
            locked,
        };
        assert_eq!(pick(&idx, &d("~1.2", false)).unwrap().version(), "1.2.9", "1.2.10 has no URLs");
        assert_eq!(pick(&idx, &d("1.2.5", true)).unwrap().version(), "1.2.5");
        assert_eq!(pick(&idx, &d("v1.2.5", true)).unwrap().version(), "1.2.5", "semver equality");
        assert_eq!(pick(&idx, &d("^2", false)).unwrap_err(), None);
        let missing = d("^2", false);
        assert_eq!(
            missing_versions_error(&[&missing]),
            "can't get a valid version for 1 subchart(s): \"redis\" (repository \"https://r\", version \"^2\"). Make sure a matching chart version exists in the repo, or change the version constraint in Chart.yaml"
        );
        let other = Download { name: "nope".into(), ..d("1", false) };
        assert_eq!(pick(&idx, &other).unwrap_err(), Some(Error::go("nope chart not found in repo https://r")));
    }
}
