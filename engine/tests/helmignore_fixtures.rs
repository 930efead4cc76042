//! `.helmignore` as Helm v4.2.3's `loader.LoadDir` applies it, checked
//! against real Helm: the chart folders of tests/data/helmignore/charts and
//! `helm template`'s output for each (expected/<case>.out, or .err for
//! Helm's error), both written by scripts/gen_helmignore_fixtures.py with
//! the oracle. Checked twice: `chartroom template <folder>` (the CLI's
//! directory walk) and the engine's in-memory folder (every file of the
//! folder in a map, as the page's workspace holds them, through
//! `api::render`). Each fixture case is its own test (`cli/<case>`,
//! `in_memory/<case>`).

mod kit;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chartroom_engine::api::{render, RenderRequest};

const HOW: &str = "regenerate with ~/.cache/helm-oracle-venv/bin/python scripts/gen_helmignore_fixtures.py";

fn data_dir() -> PathBuf {
    kit::data_dir("helmignore")
}

/// (case, chart folder, expected output, whether Helm failed)
fn cases() -> Vec<(String, PathBuf, String, bool)> {
    let mut out = Vec::new();
    let charts = data_dir().join("charts");
    let mut names: Vec<String> = std::fs::read_dir(&charts)
        .unwrap_or_else(|e| panic!("{}: {e} ({HOW})", charts.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let exp = data_dir().join("expected");
        let (text, failed) = match std::fs::read_to_string(exp.join(format!("{name}.out"))) {
            Ok(t) => (t, false),
            Err(_) => (kit::read_fixture(&exp.join(format!("{name}.err")), HOW), true),
        };
        out.push((name.clone(), charts.join(&name), text, failed));
    }
    // The generator's table: a missing fixture must not pass silently.
    assert_eq!(out.len(), 10, "fixture cases ({HOW})");
    out
}

/// Every file under `root`, nothing left out (paths `/`-separated).
fn all_files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read_dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(root).expect("under root");
                let key: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                out.insert(key.join("/"), std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// `chartroom template <folder>`: the CLI's directory walk.
fn cli_case(dir: &Path, want: &str, failed: bool) -> Result<(), String> {
    let out = Command::new(env!("CARGO_BIN_EXE_chartroom")).arg("template").arg(dir).output().expect("run chartroom");
    let got = String::from_utf8_lossy(if failed { &out.stderr } else { &out.stdout }).into_owned();
    if out.status.success() == failed || got != want {
        return Err(format!("exit {:?}\n--- got\n{got}--- want\n{want}", out.status.code()));
    }
    Ok(())
}

/// The folder's every file in a map, through `api::render`.
fn in_memory_case(dir: &Path, want: &str, failed: bool) -> Result<(), String> {
    let req = RenderRequest { files: all_files(dir), ..RenderRequest::default() };
    let got = match render(&req) {
        Ok(out) if !failed => out.manifest,
        Ok(out) => format!("(rendered)\n{}", out.manifest),
        Err(e) => format!("Error: {}\n", e.message),
    };
    if got != want {
        return Err(format!("--- got\n{got}--- want\n{want}"));
    }
    Ok(())
}

fn main() {
    let mut trials = vec![
        kit::test("refused_rule_points_at_its_line", refused_rule_points_at_its_line),
        kit::test("size_limits_are_helms", size_limits_are_helms),
    ];
    #[cfg(unix)]
    trials.push(kit::test(
        "cli_walk_follows_links_and_refuses_irregular_files",
        cli_walk_follows_links_and_refuses_irregular_files,
    ));
    for (name, dir, want, failed) in cases() {
        let (d, w) = (dir.clone(), want.clone());
        trials.push(kit::case(format!("cli/{name}"), false, move || cli_case(&d, &w, failed)));
        trials.push(kit::case(format!("in_memory/{name}"), false, move || in_memory_case(&dir, &want, failed)));
    }
    kit::run(trials)
}

/// A refused rule is reported on `.helmignore`, at the line Helm stopped.
fn refused_rule_points_at_its_line() {
    let files = all_files(&data_dir().join("charts/err_double_star"));
    let e = chartroom_engine::chart::load_files(&files).expect_err("an error");
    assert_eq!(e.message, "double-star (**) syntax is not supported");
    assert_eq!((e.file.as_deref(), e.line), (Some(".helmignore"), Some(2)));
}

/// The cases too large to commit (scripts/gen_helmignore_fixtures.py
/// LARGE, built the same way here): bufio.Scanner's 64 KiB line limit on
/// `.helmignore` and LoadDir's 5 MiB limit on a file it reads, with Helm's
/// output from expected/large.json.
fn size_limits_are_helms() {
    let text = kit::read_fixture(&data_dir().join("expected/large.json"), HOW);
    let expected: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("json");
    let base = |extra: &[(&str, Vec<u8>)]| {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert("Chart.yaml".into(), b"apiVersion: v2\nname: large\nversion: 0.1.0\n".to_vec());
        files.insert(
            "templates/cm.yaml".into(),
            b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: large\ndata:\n  x: \"1\"\n".to_vec(),
        );
        for (k, v) in extra {
            files.insert(k.to_string(), v.clone());
        }
        files
    };
    let rep = |b: u8, n: usize, suffix: &[u8]| [vec![b; n], suffix.to_vec()].concat();
    let big = rep(b'x', 5 * 1024 * 1024 + 1, b"");
    let cases = [
        ("line_64k_minus_1", base(&[(".helmignore", rep(b'a', 65535, b"\n"))])),
        ("line_64k", base(&[(".helmignore", rep(b'a', 65536, b""))])),
        ("file_over_5mib", base(&[("big.bin", big.clone())])),
        ("ignored_file_over_5mib", base(&[("big.bin", big.clone()), (".helmignore", b"big.bin\n".to_vec())])),
    ];
    assert_eq!(cases.len(), expected.len());
    for (name, files) in cases {
        let want = &expected[name];
        let got = match render(&RenderRequest { files, ..RenderRequest::default() }) {
            Ok(out) => serde_json::json!({ "out": out.manifest }),
            Err(e) => serde_json::json!({ "err": format!("Error: {}\n", e.message) }),
        };
        assert_eq!(&got, want, "{name}");
    }
}

/// What only a real folder has (scripts/gen_helmignore_fixtures.py FS,
/// built the same way here): `chartroom template DIR` follows symbolic
/// links and refuses irregular files unless ignored, as LoadDir's walk
/// does; Helm's output from expected/fs.json (the folder's path as CHART).
#[cfg(unix)]
fn cli_walk_follows_links_and_refuses_irregular_files() {
    let text = kit::read_fixture(&data_dir().join("expected/fs.json"), HOW);
    let expected: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).expect("json");
    let tmp = std::env::temp_dir().join(format!("chartroom-helmignore-fs-{}", std::process::id()));
    let files_cm = std::fs::read(data_dir().join("charts/first_match/templates/files.yaml")).expect("files.yaml");
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)], &'a [&'a str]);
    let cases: [Case; 3] = [
        ("symlinks", &[("data/a.txt", "hi\n")], &[("linked", "data"), ("alink.txt", "data/a.txt")], &[]),
        ("fifo", &[], &[], &["pipe"]),
        ("ignored_fifo", &[(".helmignore", "pipe\n")], &[], &["pipe"]),
    ];
    assert_eq!(cases.len(), expected.len());
    let mut failures = Vec::new();
    for (name, files, links, fifos) in cases {
        let d = tmp.join(name);
        std::fs::create_dir_all(d.join("templates")).expect("mkdir");
        std::fs::write(d.join("Chart.yaml"), "apiVersion: v2\nname: fs\nversion: 0.1.0\n").expect("write");
        std::fs::write(d.join("templates/files.yaml"), &files_cm).expect("write");
        for (p, text) in files {
            let p = d.join(p);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        for (link, target) in links {
            std::os::unix::fs::symlink(target, d.join(link)).expect("symlink");
        }
        for f in fifos {
            let ok = Command::new("mkfifo").arg(d.join(f)).status().expect("mkfifo").success();
            assert!(ok, "mkfifo");
        }
        let out =
            Command::new(env!("CARGO_BIN_EXE_chartroom")).arg("template").arg(&d).output().expect("run chartroom");
        let dir = d.display().to_string();
        let got = if out.status.success() {
            serde_json::json!({ "out": String::from_utf8_lossy(&out.stdout) })
        } else {
            serde_json::json!({ "err": String::from_utf8_lossy(&out.stderr).replace(&dir, "CHART") })
        };
        if got != expected[name] {
            failures.push(format!("{name}: got {got}, want {}", expected[name]));
        }
    }
    std::fs::remove_dir_all(&tmp).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
