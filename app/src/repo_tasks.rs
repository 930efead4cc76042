//! The Helm repository work the page asks of the render worker (which
//! links the engine): reading an `index.yaml`, choosing a version as
//! `helm template --repo --version` does, planning the downloads of
//! `helm dependency build`, OCI tag choice. The page only fetches bytes.

use chartroom_engine::error::Error;
use chartroom_engine::repo::{self, oci, resolver};

// The messages themselves are part of the worker protocol.
use crate::protocol::RenderFailure;
pub use crate::protocol::{Download, Found, Listed, OciPlan, RepoAnswer, RepoTask};

/// The engine's error as the protocol carries it (its fields, as a
/// render's failure: [`RenderFailure`]).
fn fields<T>(r: Result<T, Error>) -> Result<T, RenderFailure> {
    r.map_err(RenderFailure::of)
}

fn digest_hex(d: &str) -> String {
    d.trim_start_matches("sha256:").to_ascii_lowercase()
}

fn found(repo_url: &str, cv: &repo::ChartVersion) -> Result<Found, Error> {
    let first = cv.urls.first().ok_or_else(|| Error::go(format!("chart {:?} has no downloadable URLs", cv.name())))?;
    Ok(Found {
        url: repo::resolve_reference_url(repo_url, first)?,
        name: cv.name().to_string(),
        version: cv.version().to_string(),
        digest: digest_hex(&cv.digest),
    })
}

fn oci_plan(reference: &str, version: &str) -> Result<OciPlan, Error> {
    let r = oci::parse_reference(reference)?;
    let base = oci::blob_url(&r, "", false).trim_end_matches("/blobs/").to_string();
    Ok(match oci::target(&r, version)? {
        oci::Target::Constraint(_) => {
            OciPlan { tags_url: oci::tags_url(&r, false), manifest_url: String::new(), tag: String::new(), base }
        }
        oci::Target::Tag(t) | oci::Target::Digest(t) => {
            OciPlan { tags_url: String::new(), manifest_url: oci::manifest_url(&r, &t, false), tag: t, base }
        }
    })
}

pub fn answer(t: RepoTask) -> RepoAnswer {
    match t {
        RepoTask::IndexUrl { repo_url } => RepoAnswer::IndexUrl(fields(repo::index_url(&repo_url))),
        RepoTask::List { repo_url, index } => RepoAnswer::List(
            repo::load_index(&index, &repo_url)
                .map_err(|e| RenderFailure::of(repo::chartrepo::not_a_repository(&repo_url, &e)))
                .map(|idx| {
                    idx.entries
                        .iter()
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(name, vs)| {
                            let list = vs
                                .iter()
                                .map(|cv| Listed {
                                    version: cv.version().to_string(),
                                    app_version: cv.metadata.app_version.clone(),
                                    description: cv.metadata.description.clone(),
                                })
                                .collect();
                            (name.clone(), list)
                        })
                        .collect()
                }),
        ),
        RepoTask::Find { repo_url, index, name, version } => RepoAnswer::Found(fields((|| {
            let idx =
                repo::load_index(&index, &repo_url).map_err(|e| repo::chartrepo::not_a_repository(&repo_url, &e))?;
            let (url, cv) = repo::find_chart_in_index(&idx, &repo_url, &name, &version)?;
            Ok(Found {
                url,
                name: cv.name().to_string(),
                version: cv.version().to_string(),
                digest: digest_hex(&cv.digest),
            })
        })())),
        RepoTask::Plan { files } => RepoAnswer::Plan(fields((|| {
            let map = files.into_iter().collect();
            let chart = chartroom_engine::chart::load_files(&map)?;
            let missing: Vec<String> = chart
                .metadata
                .dependencies
                .iter()
                .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
                .map(|r| r.name.clone())
                .collect();
            if missing.is_empty() {
                return Ok(Vec::new());
            }
            let lock = match map.get("Chart.lock").or_else(|| map.get("requirements.lock")) {
                Some(b) => Some(resolver::parse_lock(&String::from_utf8_lossy(b))?),
                None => None,
            };
            let plan = resolver::build_plan(&chart.metadata, lock.as_ref(), &missing)?;
            Ok(plan
                .into_iter()
                .map(|d| Download { name: d.name, repository: d.repository, version: d.version, locked: d.locked })
                .collect())
        })())),
        RepoTask::Pick { index, download } => RepoAnswer::Picked((|| {
            let idx = repo::load_index(&index, &download.repository)
                .map_err(|e| Some(RenderFailure::of(repo::chartrepo::not_a_repository(&download.repository, &e))))?;
            let d = resolver::Download {
                name: download.name.clone(),
                repository: download.repository.clone(),
                version: download.version.clone(),
                locked: download.locked,
            };
            let cv = resolver::pick(&idx, &d).map_err(|e| e.map(RenderFailure::of))?;
            found(&download.repository, cv).map_err(|e| Some(RenderFailure::of(e)))
        })()),
        RepoTask::MissingVersions { downloads } => {
            let ds: Vec<resolver::Download> = downloads
                .into_iter()
                .map(|d| resolver::Download {
                    name: d.name,
                    repository: d.repository,
                    version: d.version,
                    locked: d.locked,
                })
                .collect();
            RepoAnswer::Message(resolver::missing_versions_error(&ds.iter().collect::<Vec<_>>()))
        }
        RepoTask::Oci { reference, version } => RepoAnswer::Oci(fields(oci_plan(&reference, &version))),
        RepoTask::OciTag { reference, version, tags_json } => RepoAnswer::Oci(fields((|| {
            let doc = chartroom_engine::json::from_json(&String::from_utf8_lossy(&tags_json))?;
            let mut raw = Vec::new();
            if let chartroom_engine::value::Value::Map(m, _) = &doc {
                if let Some(chartroom_engine::value::Value::List(l, _)) = m.borrow().get("tags") {
                    for t in l.borrow().iter() {
                        if let chartroom_engine::value::Value::String(s) = t {
                            raw.push(s.to_string());
                        }
                    }
                }
            }
            let tag = oci::tag_matching(&oci::sorted_tags(&raw), &version, &reference)?;
            oci_plan(&reference, &tag)
        })())),
        RepoTask::OciLayer { manifest } => RepoAnswer::OciLayer(fields(oci::chart_layer(&manifest).map(|(d, _)| d))),
        RepoTask::OciTokenUrl { www_authenticate, reference } => RepoAnswer::Message(
            oci::parse_reference(&reference)
                .ok()
                .and_then(|r| oci::token_url(&www_authenticate, &r))
                .unwrap_or_default(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &[u8] = b"apiVersion: v1\nentries:\n  demo:\n  - {name: demo, version: 1.0.0, urls: [charts/demo-1.0.0.tgz], digest: AB}\n  - {name: demo, version: 1.1.0, urls: [charts/demo-1.1.0.tgz], appVersion: '2'}\n  - {name: demo, version: 2.0.0-rc.1, urls: [charts/demo-2.0.0-rc.1.tgz]}\n";

    #[test]
    fn list_and_find() {
        let RepoAnswer::List(Ok(list)) =
            answer(RepoTask::List { repo_url: "http://h/r".into(), index: INDEX.to_vec() })
        else {
            panic!()
        };
        assert_eq!(list[0].0, "demo");
        assert_eq!(list[0].1.iter().map(|l| l.version.as_str()).collect::<Vec<_>>(), ["2.0.0-rc.1", "1.1.0", "1.0.0"]);
        let find = |v: &str| {
            answer(RepoTask::Find {
                repo_url: "http://h/r".into(),
                index: INDEX.to_vec(),
                name: "demo".into(),
                version: v.into(),
            })
        };
        assert_eq!(
            find(""),
            RepoAnswer::Found(Ok(Found {
                url: "http://h/r/charts/demo-1.1.0.tgz".into(),
                name: "demo".into(),
                version: "1.1.0".into(),
                digest: String::new()
            }))
        );
        assert!(matches!(find("~1.0"), RepoAnswer::Found(Ok(f)) if f.version == "1.0.0" && f.digest == "ab"));
        assert!(
            matches!(find("9.9.9"), RepoAnswer::Found(Err(e)) if e.message == "chart \"demo\" version \"9.9.9\" not found in http://h/r repository")
        );
        assert!(
            matches!(answer(RepoTask::List { repo_url: "u".into(), index: b"x: 1".to_vec() }), RepoAnswer::List(Err(e)) if e.message.starts_with("looks like \"u\" is not a valid chart repository"))
        );
    }

    #[test]
    fn dependency_plan() {
        let files = vec![
            ("Chart.yaml".to_string(), b"apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n- name: demo\n  version: ~1.0\n  repository: http://h/r\n- name: local\n  version: 1.0.0\n".to_vec()),
            ("charts/local/Chart.yaml".to_string(), b"apiVersion: v2\nname: local\nversion: 1.0.0\n".to_vec()),
        ];
        let RepoAnswer::Plan(Ok(plan)) = answer(RepoTask::Plan { files }) else { panic!() };
        assert_eq!(
            plan,
            vec![Download {
                name: "demo".into(),
                repository: "http://h/r".into(),
                version: "~1.0".into(),
                locked: false
            }]
        );
        let RepoAnswer::Picked(Ok(f)) = answer(RepoTask::Pick { index: INDEX.to_vec(), download: plan[0].clone() })
        else {
            panic!()
        };
        assert_eq!(f.url, "http://h/r/charts/demo-1.0.0.tgz");
    }

    #[test]
    fn oci() {
        let RepoAnswer::Oci(Ok(p)) =
            answer(RepoTask::Oci { reference: "oci://ghcr.io/o/demo".into(), version: String::new() })
        else {
            panic!()
        };
        assert_eq!(p.tags_url, "https://ghcr.io/v2/o/demo/tags/list");
        let RepoAnswer::Oci(Ok(p)) = answer(RepoTask::OciTag {
            reference: "oci://ghcr.io/o/demo".into(),
            version: String::new(),
            tags_json: br#"{"tags":["1.0.0","1.1.0","2.0.0-rc.1"]}"#.to_vec(),
        }) else {
            panic!()
        };
        assert_eq!(p.manifest_url, "https://ghcr.io/v2/o/demo/manifests/1.1.0");
        assert_eq!(p.base, "https://ghcr.io/v2/o/demo");
    }
}
