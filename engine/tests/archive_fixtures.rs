//! Chart archives against real Helm: every `tests/data/archive/*.tgz`
//! (made by scripts/gen_archive_fixtures.py) loaded by the engine and
//! compared with what Helm's loader.LoadArchive, chartutil.Expand and
//! `helm template NAME.tgz` said (`expected.json`), plus the deterministic writer and a fuzz-like sweep
//! of truncated and corrupted archives (errors, never panics). Each
//! archive is its own test (`load/<name>`, `render/<name>`).

mod kit;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chartroom_engine::chart::archive::{files_from_archive, load_archive, load_archive_file, write_archive};
use chartroom_engine::chart::Chart;
use chartroom_engine::value::Value;

const HOW: &str = "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_archive_fixtures.py";

fn data_dir() -> PathBuf {
    kit::data_dir("archive")
}

fn expected() -> serde_json::Map<String, serde_json::Value> {
    let path = data_dir().join("expected.json");
    match serde_json::from_str(&kit::read_fixture(&path, HOW)) {
        Ok(serde_json::Value::Object(m)) => m,
        other => panic!("{}: not a JSON object: {other:?} ({HOW})", path.display()),
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let path = data_dir().join(format!("{name}.tgz"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} ({HOW})", path.display()))
}

fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Int(i, _) => serde_json::json!(*i as f64),
        Value::Uint(u) => serde_json::json!(*u as f64),
        Value::Float(f) => serde_json::json!(*f),
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::List(l, _) => serde_json::Value::Array(l.borrow().iter().map(to_json).collect()),
        Value::Map(m, _) => {
            serde_json::Value::Object(m.borrow().iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        other => serde_json::Value::String(other.to_go_string()),
    }
}

/// Helm's JSON numbers are all float64; compare them as such.
fn normalize(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Number(n) => serde_json::json!(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(normalize).collect()),
        serde_json::Value::Object(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}

fn chart_json(c: &Chart) -> serde_json::Value {
    let text = |d: &[u8]| serde_json::Value::String(String::from_utf8_lossy(d).into_owned());
    let mut deps: Vec<String> = c.dependencies.iter().map(|d| d.name().to_string()).collect();
    deps.sort();
    serde_json::json!({
        "name": c.metadata.name,
        "version": c.metadata.version,
        "templates": c.templates.iter().map(|f| (f.name.clone(), text(&f.data))).collect::<serde_json::Map<_, _>>(),
        "files": c.files.iter().map(|f| (f.name.clone(), text(&f.data))).collect::<serde_json::Map<_, _>>(),
        "values": normalize(&to_json(&c.values)),
        "dependencies": deps,
    })
}

/// LoadArchive, LoadArchiveFiles (as chartutil.Expand shows it) and the
/// CLI's archive loading of one fixture against Helm's answers.
fn load_case(name: &str, exp: &serde_json::Value) -> Result<(), String> {
    {
        let bytes = fixture(name);
        let got = load_archive(&bytes);
        let load = &exp["load"];
        let ok = if let Some(err) = load.get("error").and_then(|e| e.as_str()) {
            match &got {
                Err(e) if e.message == err => true,
                // Go's flate reports the input offset where its bit reader
                // stood; ours reads ahead differently. Same error otherwise.
                Err(e) if err.starts_with("flate: corrupt input before offset ") => {
                    e.message.starts_with("flate: corrupt input before offset ")
                }
                _ => false,
            }
        } else if load.get("invalid_arg").is_some() {
            // libhelm_c refuses empty input before Helm sees it; Expand
            // shows what LoadArchiveFiles (and so LoadArchive) says.
            match (&got, exp["expand"].get("error").and_then(|e| e.as_str())) {
                (Err(e), Some(want)) => e.message == want,
                _ => false,
            }
        } else {
            match &got {
                Ok(c) => {
                    // A chart without values.yaml: Helm's Values is nil, the
                    // engine's an empty map (the same to coalescing).
                    let mut want = normalize(&load["chart"]);
                    if want.get("values") == Some(&serde_json::Value::Null) {
                        want["values"] = serde_json::json!({});
                    }
                    normalize(&chart_json(c)) == want
                }
                Err(_) => false,
            }
        };
        if !ok {
            return Err(format!(
                "load: expected {load}, got {:?}",
                got.as_ref().map(chart_json).map_err(|e| e.message.clone())
            ));
        }
        // files_from_archive = LoadArchiveFiles, as chartutil.Expand shows it.
        let files = files_from_archive(&bytes);
        let expand = &exp["expand"];
        let files_ok = match (&files, expand.get("error").and_then(|e| e.as_str())) {
            (Err(e), Some(want)) => {
                e.message == want
                    || (want.starts_with("flate: corrupt input") && e.message.starts_with("flate: corrupt input"))
            }
            // Expand's own checks after LoadArchiveFiles succeeded.
            (Ok(_), Some(want)) => want.starts_with("cannot load Chart.yaml") || want.starts_with("chart name "),
            (Ok(f), None) => {
                let got: serde_json::Map<String, serde_json::Value> = f
                    .iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::String(String::from_utf8_lossy(v).into_owned())))
                    .collect();
                Some(&serde_json::Value::Object(got)) == expand.get("files")
            }
            (Err(_), None) => false,
        };
        if !files_ok {
            return Err(format!(
                "files_from_archive: expected {expand}, got {:?}",
                files.map(|f| f.len()).map_err(|e| e.message)
            ));
        }
        let file_res = load_archive_file(&format!("{name}.tgz"), &bytes);
        match (exp.get("cli_error").and_then(|e| e.as_str()), &file_res) {
            (Some(want), Err(e)) if e.message == want => {}
            (Some(want), Err(e))
                if want.contains("flate: corrupt input before offset ")
                    && e.message.contains("flate: corrupt input before offset ") => {}
            (None, Ok(_)) => {}
            (want, got) => {
                return Err(format!(
                    "load_file: expected {want:?}, got {:?}",
                    got.as_ref().map(|_| "ok").map_err(|e| e.message.clone())
                ));
            }
        }
    }
    Ok(())
}

/// Renders an archive Helm could render.
fn render_case(name: &str, want: &str) -> Result<(), String> {
    let chart = load_archive(&fixture(name)).map_err(|e| format!("load: {}", e.message))?;
    let req = chartroom_engine::RenderRequest::default();
    match chartroom_engine::api::render_chart(&chart, &req) {
        Ok(out) if out.manifest == want => Ok(()),
        Ok(out) => Err(format!("got\n{}\nwant\n{want}", out.manifest)),
        Err(e) => Err(format!("error {}", e.message)),
    }
}

fn main() {
    let mut trials = vec![
        kit::test("files_from_archive_strips_top_dir", files_from_archive_strips_top_dir),
        kit::test("write_archive_round_trips_and_is_deterministic", write_archive_round_trips_and_is_deterministic),
        kit::test("written_archive_nested_in_charts_loads", written_archive_nested_in_charts_loads),
        kit::test("malformed_archives_never_panic", malformed_archives_never_panic),
        kit::test("write_sample_archive_for_helm", write_sample_archive_for_helm),
        kit::test("deeply_nested_archives_stop", deeply_nested_archives_stop),
    ];
    for (name, exp) in expected() {
        if let Some(want) = exp.get("helm_template").and_then(|v| v.as_str()).map(str::to_string) {
            let n = name.clone();
            trials.push(kit::case(format!("render/{name}"), false, move || render_case(&n, &want)));
        }
        trials.push(kit::case(format!("load/{name}"), false, move || load_case(&name, &exp)));
    }
    kit::run(trials)
}

fn files_from_archive_strips_top_dir() {
    let bytes = std::fs::read(data_dir().join("ok_helmignore_not_applied.tgz")).expect("fixture");
    let files = files_from_archive(&bytes).expect("files");
    let names: Vec<&str> = files.keys().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [".helmignore", "Chart.yaml", "ignored.txt", "templates/cm.yaml", "templates/skip.yaml", "values.yaml"]
    );
    let err = files_from_archive(b"plain text, not an archive").unwrap_err();
    assert_eq!(err.message, "gzip: invalid header");
}

fn write_archive_round_trips_and_is_deterministic() {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: demo\nversion: 1.2.3\n".to_vec());
    files.insert("values.yaml".to_string(), b"a: 1\n".to_vec());
    files.insert("templates/cm.yaml".to_string(), b"kind: ConfigMap\n".to_vec());
    let long = format!("files/{}/{}.txt", "x".repeat(90), "y".repeat(120));
    files.insert(long.clone(), b"long name\n".to_vec());
    files.insert("charts/sub/Chart.yaml".to_string(), b"apiVersion: v2\nname: sub\nversion: 0.1.0\n".to_vec());
    let a = write_archive("demo", &files);
    let b = write_archive("demo", &files);
    assert_eq!(a, b);
    assert_eq!(files_from_archive(&a).expect("reads back"), files);
    let c = load_archive(&a).expect("loads");
    assert_eq!(c.name(), "demo");
    assert_eq!(c.dependencies.len(), 1);
    assert_eq!(c.dependencies[0].full_path, "demo/charts/sub");
}

fn written_archive_nested_in_charts_loads() {
    let mut sub = BTreeMap::new();
    sub.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: inner\nversion: 0.1.0\n".to_vec());
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: outer\nversion: 0.1.0\n".to_vec());
    files.insert("charts/inner-0.1.0.tgz".to_string(), write_archive("inner", &sub));
    // Through the directory loader too (the browser's file tree).
    let c = chartroom_engine::chart::load_files(&files).expect("loads");
    assert_eq!(c.dependencies.len(), 1);
    assert_eq!(c.dependencies[0].full_path, "outer/charts/inner");
}

/// Truncations and byte corruptions of valid archives: each must give an
/// error or a chart, never a panic or a hang.
fn malformed_archives_never_panic() {
    let mut seeds = Vec::new();
    for name in ["ok_basic", "ok_nested_tgz", "ok_pax_long_names", "ok_gnu_long_names"] {
        seeds.push(fixture(name));
    }
    // Our own writer's output as a seed too.
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("templates/a.yaml".to_string(), b"a: 1\n".to_vec());
    seeds.push(write_archive("c", &files));
    let mut next = kit::xorshift(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0;
    for seed in &seeds {
        for cut in (0..seed.len()).step_by(7) {
            let _ = load_archive(&seed[..cut]);
            let _ = files_from_archive(&seed[..cut]);
            runs += 1;
        }
        for _ in 0..300 {
            let mut m = seed.clone();
            for _ in 0..(1 + next() % 4) {
                let i = (next() as usize) % m.len();
                m[i] ^= (next() % 255 + 1) as u8;
            }
            let _ = load_archive(&m);
            runs += 1;
        }
    }
    // Corrupt the tar layer itself (headers, sizes, PAX records), re-gzipped.
    for name in ["ok_basic", "ok_pax_long_names", "ok_gnu_long_names"] {
        let gz = fixture(name);
        let tar = miniz_oxide::inflate::decompress_to_vec(&gz[10..gz.len() - 8]).expect("inflate");
        for _ in 0..300 {
            let mut m = tar.clone();
            for _ in 0..(1 + next() % 3) {
                // Mostly inside the first blocks, where the headers are.
                let i = (next() as usize) % m.len().min(2048);
                m[i] = (next() % 256) as u8;
            }
            let _ = load_archive(&gzip(&m));
            runs += 1;
        }
        for cut in (0..tar.len()).step_by(97) {
            let _ = load_archive(&gzip(&tar[..cut]));
            runs += 1;
        }
    }
    assert!(runs > 1000);
    // Truncated input gives Go's io error text.
    let ok = &seeds[0];
    assert_eq!(load_archive(&ok[..ok.len() / 2]).unwrap_err().message, "unexpected EOF");
}

/// `CHARTROOM_WRITE_ARCHIVE_TO=/tmp/x.tgz cargo test write_sample` writes a
/// sample for checking with real Helm (the generator script does this).
fn write_sample_archive_for_helm() {
    let Ok(path) = std::env::var("CHARTROOM_WRITE_ARCHIVE_TO") else { return };
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: demo\nversion: 1.2.3\n".to_vec());
    files.insert("values.yaml".to_string(), b"a: 1\n".to_vec());
    files.insert("templates/cm.yaml".to_string(), b"kind: ConfigMap\nx: {{ .Values.a }}\n".to_vec());
    files.insert(format!("files/{}/{}.txt", "x".repeat(90), "y".repeat(120)), b"long name\n".to_vec());
    files.insert(format!("files/{}.txt", "z".repeat(170)), b"very long\n".to_vec());
    std::fs::write(path, write_archive("demo", &files)).expect("write");
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut crc = !0u32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(data, 1));
    out.extend_from_slice(&(!crc).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Archives nested in archives (a gzip quine would nest forever) stop with
/// an error instead of exhausting the stack.
fn deeply_nested_archives_stop() {
    let mut inner = BTreeMap::new();
    inner.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: n0\nversion: 0.1.0\n".to_vec());
    let mut tgz = write_archive("n0", &inner);
    for i in 1..40 {
        let mut files = BTreeMap::new();
        files.insert("Chart.yaml".to_string(), format!("apiVersion: v2\nname: n{i}\nversion: 0.1.0\n").into_bytes());
        files.insert(format!("charts/n{}-0.1.0.tgz", i - 1), tgz);
        tgz = write_archive(&format!("n{i}"), &files);
    }
    let err = load_archive(&tgz).unwrap_err();
    assert!(err.message.ends_with("chart archives nested too deeply"), "{}", err.message);
    // 10 levels are fine.
    let mut tgz = write_archive("n0", &inner);
    for i in 1..10 {
        let mut files = BTreeMap::new();
        files.insert("Chart.yaml".to_string(), format!("apiVersion: v2\nname: n{i}\nversion: 0.1.0\n").into_bytes());
        files.insert(format!("charts/n{}-0.1.0.tgz", i - 1), tgz);
        tgz = write_archive(&format!("n{i}"), &files);
    }
    assert!(load_archive(&tgz).is_ok());
}
