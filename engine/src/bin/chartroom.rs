//! `chartroom template [NAME] CHART [flags]`: `helm template`'s arguments and
//! output, from the same engine the browser runs. stdout: manifests;
//! stderr and exit 1: `Error: ...`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use chartroom_engine::{render, RenderRequest};

const USAGE: &str = "Usage:
  chartroom template [NAME] CHART [flags]

Flags (as helm template):
  -f, --values FILE         values file (repeatable, applied in order)
      --set K=V             set values (repeatable)
      --set-string K=V      set STRING values (repeatable)
  -n, --namespace NS        namespace (default \"default\")
      --kube-version V      Kubernetes version for Capabilities.KubeVersion
  -a, --api-versions V      extra API versions for Capabilities.APIVersions (repeatable)
      --is-upgrade          set .Release.IsUpgrade instead of .Release.IsInstall
      --include-crds        include CRDs in the output
      --skip-tests          skip tests from the output
      --no-hooks            prevent hooks from being rendered
  -s, --show-only PATH      only show manifests rendered from the given templates (repeatable)
      --enable-dns          allow getHostByName (recorded as a capability decision)
      --skip-schema-validation  do not validate values against values.schema.json
      --seed N              fixed seed for random functions (reproducible output)
      --notes               also print the rendered NOTES.txt after the manifests
";

fn read_dir(root: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let p = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                let rel = p.strip_prefix(root).unwrap_or(&p);
                let key = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
                out.insert(key, std::fs::read(&p)?);
            }
        }
    }
    Ok(out)
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("Error: {msg}");
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) != Some("template") {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut req = RenderRequest::default();
    let mut positional = Vec::new();
    let mut values_paths = Vec::new();
    let mut print_notes = false;
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        // --flag=value form
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a, None),
        };
        let take = |i: &mut usize| -> Option<String> {
            if let Some(v) = &inline {
                return Some(v.clone());
            }
            *i += 1;
            args.get(*i).cloned()
        };
        match flag {
            "-f" | "--values" => match take(&mut i) {
                Some(v) => values_paths.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --values"),
            },
            "--set" => match take(&mut i) {
                Some(v) => req.set.push(v),
                None => return fail("flag needs an argument: --set"),
            },
            "--set-string" => match take(&mut i) {
                Some(v) => req.set_string.push(v),
                None => return fail("flag needs an argument: --set-string"),
            },
            "-n" | "--namespace" => match take(&mut i) {
                Some(v) => req.namespace = v,
                None => return fail("flag needs an argument: --namespace"),
            },
            "--kube-version" => req.kube_version = take(&mut i),
            "-a" | "--api-versions" => match take(&mut i) {
                Some(v) => req.api_versions.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --api-versions"),
            },
            "-s" | "--show-only" => match take(&mut i) {
                Some(v) => req.show_only.extend(v.split(',').map(str::to_string)),
                None => return fail("flag needs an argument: --show-only"),
            },
            "--seed" => match take(&mut i).and_then(|v| v.parse().ok()) {
                Some(v) => req.seed = Some(v),
                None => return fail("--seed needs a number"),
            },
            "--is-upgrade" => req.is_upgrade = true,
            "--include-crds" => req.include_crds = true,
            "--skip-tests" => req.skip_tests = true,
            "--no-hooks" => req.no_hooks = true,
            "--enable-dns" => req.enable_dns = true,
            "--skip-schema-validation" => req.skip_schema_validation = true,
            "--notes" => print_notes = true,
            "-h" | "--help" => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            f if f.starts_with('-') => return fail(&format!("unknown flag: {f}")),
            _ => positional.push(a.to_string()),
        }
        i += 1;
    }
    let chart_dir = match positional.len() {
        1 => positional[0].clone(),
        2 => {
            req.release_name = positional[0].clone();
            positional[1].clone()
        }
        0 => return fail("\"chartroom template\" requires at least 1 argument"),
        _ => return fail("\"chartroom template\" accepts at most 2 arguments"),
    };
    let chart_path = Path::new(&chart_dir);
    let archive = if chart_path.is_file() {
        match std::fs::read(chart_path) {
            Ok(b) => Some(b),
            Err(e) => return fail(&format!("open {chart_dir}: {e}")),
        }
    } else {
        req.files = match read_dir(chart_path) {
            Ok(f) => f,
            Err(e) => return fail(&format!("path \"{chart_dir}\" not found: {e}")),
        };
        None
    };
    for p in values_paths {
        match std::fs::read(&p) {
            Ok(b) => req.values_files.push((p, b)),
            Err(e) => return fail(&format!("open {p}: {e}")),
        }
    }
    let result = match &archive {
        // A packaged chart (.tgz), loaded like `helm template NAME chart.tgz`.
        Some(bytes) => match chartroom_engine::chart::archive::load_archive_file(&chart_dir, bytes) {
            Ok(chart) => chartroom_engine::api::render_chart(&chart, &req),
            Err(e) => return fail(&e.message),
        },
        None => render(&req),
    };
    match result {
        Ok(out) => {
            print!("{}", out.manifest);
            if print_notes && !out.notes.is_empty() {
                print!("\nNOTES:\n{}\n", out.notes);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e.message),
    }
}
