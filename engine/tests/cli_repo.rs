//! `chartroom template` with charts from a Helm repository (`--repo`,
//! `--version`, `--devel`), a chart archive URL and an `oci://` registry,
//! against a static server on 127.0.0.1 that the test starts itself.
//! Expected messages are Helm v4.2.3's (pkg/repo/v1/chartrepo.go,
//! pkg/getter/httpgetter.go, pkg/registry/tag.go).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

type Routes = Arc<Mutex<HashMap<String, (u16, Vec<(String, String)>, Vec<u8>)>>>;

/// A tiny HTTP/1.0 file server: exact paths, else 404. A route may
/// demand `Authorization: Bearer t0k` (the registry's 401 flow).
fn serve(routes: Routes, bearer_paths: Vec<String>) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    let base = addr.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            if r.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let mut auth = String::new();
            loop {
                let mut h = String::new();
                if r.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some(v) = h.to_ascii_lowercase().strip_prefix("authorization:") {
                    auth = v.trim().to_string();
                }
            }
            let p = path.split('?').next().unwrap_or("").to_string();
            let (status, headers, body) = if bearer_paths.iter().any(|b| p.starts_with(b)) && auth != "bearer t0k" {
                (
                    401,
                    vec![(
                        "WWW-Authenticate".to_string(),
                        format!("Bearer realm=\"{base}/token\",service=\"test\",scope=\"repository:org/demo:pull\""),
                    )],
                    b"{}".to_vec(),
                )
            } else {
                routes.lock().unwrap().get(&p).cloned().unwrap_or((404, vec![], b"404 page not found\n".to_vec()))
            };
            let reason = match status {
                200 => "OK",
                401 => "Unauthorized",
                _ => "Not Found",
            };
            let mut head =
                format!("HTTP/1.1 {status} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = s.write_all(head.as_bytes());
            let _ = s.write_all(&body);
        }
    });
    addr
}

fn chart_tgz(version: &str) -> Vec<u8> {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), format!("apiVersion: v2\nname: demo\nversion: {version}\n").into_bytes());
    files.insert(
        "templates/cm.yaml".to_string(),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  version: {{ .Chart.Version | quote }}\n".to_vec(),
    );
    chartroom_engine::chart::archive::write_archive("demo", &files)
}

const VERSIONS: [&str; 5] = ["1.0.0", "1.2.3", "1.3.0", "2.0.0-rc.1", "1.2.10"];

fn repository() -> (String, Routes) {
    let routes: Routes = Arc::default();
    let mut index = String::from("apiVersion: v1\nentries:\n  demo:\n");
    for v in VERSIONS {
        // Relative URLs, resolved against the repository URL.
        index.push_str(&format!(
            "  - apiVersion: v2\n    name: demo\n    version: {v}\n    urls:\n    - charts/demo-{v}.tgz\n"
        ));
        routes.lock().unwrap().insert(format!("/repo/charts/demo-{v}.tgz"), (200, vec![], chart_tgz(v)));
    }
    routes.lock().unwrap().insert("/repo/index.yaml".into(), (200, vec![], index.into_bytes()));
    let addr = serve(routes.clone(), vec!["/v2/".into()]);
    (addr, routes)
}

fn chartroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chartroom")).args(args).output().expect("run chartroom")
}

fn rendered_version(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    stdout.lines().find_map(|l| l.strip_prefix("  version: ")).unwrap_or("").trim_matches('"').to_string()
}

fn error(out: &Output) -> String {
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).trim_end().to_string()
}

#[test]
fn repo_version_selection() {
    let (addr, _) = repository();
    let repo = format!("{addr}/repo");
    let t = |extra: &[&str]| {
        let mut a = vec!["template", "r", "demo", "--repo", &repo];
        a.extend_from_slice(extra);
        chartroom(&a)
    };
    // The newest release; prereleases only with --devel or a constraint
    // that has one.
    assert_eq!(rendered_version(&t(&[])), "1.3.0");
    assert_eq!(rendered_version(&t(&["--version", "~1.2"])), "1.2.10");
    assert_eq!(rendered_version(&t(&["--version", "1.2.3"])), "1.2.3");
    assert_eq!(rendered_version(&t(&["--version", "^1"])), "1.3.0");
    assert_eq!(rendered_version(&t(&["--version", ">=1.0.0 <1.2.5"])), "1.2.3");
    assert_eq!(rendered_version(&t(&["--devel"])), "2.0.0-rc.1");
    assert_eq!(
        error(&t(&["--version", "9.9.9"])),
        format!("Error: chart \"demo\" version \"9.9.9\" not found in {repo} repository")
    );
    let out = chartroom(&["template", "r", "nope", "--repo", &repo]);
    assert_eq!(error(&out), format!("Error: chart \"nope\" not found in {repo} repository"));
    // `show` locates charts the same way.
    let out = chartroom(&["show", "chart", "demo", "--repo", &repo, "--version", "~1.2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("apiVersion: v2\nname: demo\nversion: 1.2.10\n"));
}

#[test]
fn repo_and_url_errors() {
    let (addr, _) = repository();
    let missing = format!("{addr}/missing");
    let out = chartroom(&["template", "r", "demo", "--repo", &missing]);
    assert_eq!(
        error(&out),
        format!("Error: looks like \"{missing}\" is not a valid chart repository or cannot be reached: failed to fetch {missing}/index.yaml : 404 Not Found")
    );
    // A chart archive URL.
    let url = format!("{addr}/repo/charts/demo-1.0.0.tgz");
    assert_eq!(rendered_version(&chartroom(&["template", "r", &url])), "1.0.0");
    let url = format!("{addr}/repo/charts/demo-9.tgz");
    assert_eq!(error(&chartroom(&["template", "r", &url])), format!("Error: failed to fetch {url} : 404 Not Found"));
    // Neither a path nor a URL: Helm looks for a repository of that name.
    assert_eq!(
        error(&chartroom(&["template", "r", "demo"])),
        "Error: non-absolute URLs should be in form of repo_name/path_to_chart, got: demo"
    );
    assert_eq!(error(&chartroom(&["template", "r", "stable/demo"])), "Error: repo stable not found");
}

/// An OCI registry with the anonymous token flow: tags, manifest, blob.
#[test]
fn oci_pull_by_tag_and_constraint() {
    let (addr, routes) = repository();
    let host = addr.trim_start_matches("http://").to_string();
    {
        let mut r = routes.lock().unwrap();
        r.insert("/token".into(), (200, vec![], br#"{"token":"t0k"}"#.to_vec()));
        r.insert(
            "/v2/org/demo/tags/list".into(),
            (200, vec![], br#"{"name":"org/demo","tags":["1.0.0","1.2.3","latest","2.0.0-rc.1"]}"#.to_vec()),
        );
        for v in ["1.0.0", "1.2.3"] {
            let blob = chart_tgz(v);
            let digest = format!("sha256:{}", sha256_hex(&blob));
            let manifest = format!(
                r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:00","size":2}},"layers":[{{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"{digest}","size":{}}}]}}"#,
                blob.len()
            );
            r.insert(format!("/v2/org/demo/manifests/{v}"), (200, vec![], manifest.into_bytes()));
            r.insert(format!("/v2/org/demo/blobs/{digest}"), (200, vec![], blob));
        }
    }
    let reference = format!("oci://{host}/org/demo");
    let t = |extra: &[&str]| {
        let mut a = vec!["template", "r", reference.as_str(), "--plain-http"];
        a.extend_from_slice(extra);
        chartroom(&a)
    };
    assert_eq!(rendered_version(&t(&[])), "1.2.3");
    assert_eq!(rendered_version(&t(&["--version", "~1.0"])), "1.0.0");
    let tagged = format!("{reference}:1.0.0");
    assert_eq!(rendered_version(&chartroom(&["template", "r", &tagged, "--plain-http"])), "1.0.0");
    assert_eq!(
        error(&chartroom(&["template", "r", &tagged, "--plain-http", "--version", "1.2.3"])),
        "Error: chart reference and version mismatch: 1.2.3 is not 1.0.0"
    );
    assert_eq!(
        error(&t(&["--version", "^3"])),
        "Error: could not locate a version matching provided version string ^3"
    );
}

fn sha256_hex(b: &[u8]) -> String {
    // The engine's Sprig sha256sum is the same function Helm's digests use.
    use sha2::Digest;
    sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}
