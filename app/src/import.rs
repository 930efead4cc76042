//! Importing a chart into the workspace (a `.tgz` archive or a folder's
//! files) and exporting it as `helm package` would name it. Pure logic,
//! tested natively; the page only reads the bytes. tar/gzip themselves run
//! in the render worker (`worker_tasks`): the page does not link them.
//! A failed import is an [`AppError`]: the engine's error (the worker's
//! answer, the .helmignore rules) or the page's own check of a path; the
//! page shows its text as one notice line.

use std::collections::BTreeMap;

use chartroom_engine::chart::ignore;
use chartroom_engine::error::{Error, Kind};

use crate::files::{chart_path, ChartFiles};
use crate::protocol::{AppError, RenderFailure};

/// What an import produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub files: ChartFiles,
    /// Files left out (version-control folders), for the notice.
    pub skipped: usize,
    /// Files of a folder that Helm's loader leaves out (`.helmignore` and
    /// its default rule for dotfiles in templates/).
    pub ignored: usize,
}

impl Imported {
    /// What the notice says about left-out files ("" when none were).
    pub fn left_out(&self) -> String {
        let files = |n: usize| if n == 1 { "1 file".to_string() } else { format!("{n} files") };
        let mut parts = Vec::new();
        if self.ignored > 0 {
            parts.push(format!("{} left out by Helm's .helmignore rules", files(self.ignored)));
        }
        if self.skipped > 0 {
            let n = self.skipped;
            parts.push(format!("{n} version-control {} left out", if n == 1 { "file" } else { "files" }));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(", {}", parts.join(" and "))
        }
    }
}

/// The worker's reading of a `.tgz` chart archive
/// (`worker_tasks::import_archive`: Helm's checks and error texts) → the
/// workspace's files.
pub fn from_archive(read: Result<Vec<(String, Vec<u8>)>, RenderFailure>) -> Result<Imported, AppError> {
    Ok(Imported {
        files: ChartFiles::from_bytes(read?.into_iter().collect::<BTreeMap<_, _>>()),
        skipped: 0,
        ignored: 0,
    })
}

/// Version-control folders are never chart content (Helm's `helm create`
/// .helmignore lists them); keeping them would bloat links and autosave.
fn is_vcs(path: &str) -> bool {
    path.split('/').any(|p| matches!(p, ".git" | ".hg" | ".svn"))
}

/// A folder's files as the browser gives them (paths relative to the
/// dropped or chosen folder, which is their first part) → the workspace's
/// files. The chart root is the folder of the shallowest Chart.yaml (the
/// chosen folder itself, or the one chart folder inside it); files outside
/// it are left out. Then what Helm's `loader.LoadDir` does with a chart
/// folder: the files its `.helmignore` (and the default rule for dotfiles
/// in templates/) ignores are left out, and a UTF-8 byte order mark is
/// taken off every file — so the workspace holds what `helm template
/// ./folder` would load.
pub fn from_folder(entries: Vec<(String, Vec<u8>)>) -> Result<Imported, AppError> {
    let root = entries
        .iter()
        .map(|(p, _)| p.trim_start_matches('/'))
        .filter(|p| p.rsplit('/').next() == Some("Chart.yaml"))
        .min_by_key(|p| (p.matches('/').count(), p.to_string()))
        .map(|p| p.strip_suffix("Chart.yaml").unwrap_or_default().to_string())
        .ok_or_else(|| Error::new(Kind::Chart, "the folder has no Chart.yaml: choose a chart's folder"))?;
    let in_chart = |path: &str| path.trim_start_matches('/').strip_prefix(root.as_str()).map(str::to_string);
    let helmignore = entries.iter().find(|(p, _)| in_chart(p).as_deref() == Some(ignore::HELM_IGNORE));
    // The engine's port of Helm's pkg/ignore, the one that renders use.
    let rules =
        ignore::Rules::for_load_dir(helmignore.map(|(_, b)| b.as_slice())).map_err(|e| e.wrap(".helmignore: "))?;
    let mut files = BTreeMap::new();
    let (mut skipped, mut ignored) = (0, 0);
    for (path, bytes) in entries {
        let Some(rel) = in_chart(&path) else { continue };
        if rules.ignores_file(&rel) {
            ignored += 1;
            continue;
        }
        if is_vcs(&rel) {
            skipped += 1;
            continue;
        }
        let rel = chart_path(&rel).map_err(|e| AppError::Check(format!("{path}: {e}")))?;
        let bytes = match bytes.strip_prefix(UTF8_BOM) {
            Some(rest) => rest.to_vec(),
            None => bytes,
        };
        files.insert(rel, bytes);
    }
    Ok(Imported { files: ChartFiles::from_bytes(files), skipped, ignored })
}

/// LoadDir trims it from every file it reads.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A top-level `key: value` of Chart.yaml: quotes and a trailing comment
/// removed. A line scan on purpose: the page does not link the engine's
/// YAML parser (libyaml) for a file name, which would add ~250 KB to the
/// first visit; Chart.yaml's name and version are plain scalars in practice.
fn top_level_scalar(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let v = rest.trim();
        let v = if let Some(q) = v.strip_prefix('"') {
            q.split('"').next().unwrap_or_default()
        } else if let Some(q) = v.strip_prefix('\'') {
            q.split('\'').next().unwrap_or_default()
        } else {
            v.split(" #").next().unwrap_or_default().trim()
        };
        Some(v.to_string())
    })
}

/// Chart.yaml's `name` and `version` (as `helm package` names the file),
/// when Chart.yaml is there and names the chart.
pub fn name_and_version(files: &ChartFiles) -> Option<(String, String)> {
    let text = files.text("Chart.yaml")?;
    let name =
        top_level_scalar(text, "name").filter(|n| !n.is_empty() && chart_path(n).is_ok_and(|p| !p.contains('/')))?;
    Some((name, top_level_scalar(text, "version").unwrap_or_default()))
}

/// How `helm package` names the chart's `.tgz`: (file name, top folder) —
/// `<name>-<version>.tgz` with entries under `<name>/`; `chart.tgz` under
/// `chart/` when Chart.yaml cannot say. The worker writes the archive
/// (`worker_tasks::export_archive`).
pub fn archive_name(files: &ChartFiles) -> (String, String) {
    match name_and_version(files) {
        Some((n, v)) if !v.is_empty() => (format!("{n}-{v}.tgz"), n),
        Some((n, _)) => (format!("{n}.tgz"), n),
        None => ("chart.tgz".to_string(), "chart".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker_tasks::{export_archive, import_archive};
    use chartroom_engine::chart::archive;

    /// What the page does on Download: the name here, the bytes from the worker.
    fn to_archive(files: &ChartFiles) -> (String, Vec<u8>) {
        let (name, dir) = archive_name(files);
        (name, export_archive(&dir, files.to_bytes()))
    }

    fn from_tgz(bytes: &[u8]) -> Result<Imported, AppError> {
        from_archive(import_archive(bytes).map_err(RenderFailure::of))
    }

    fn chart() -> ChartFiles {
        ChartFiles::from_bytes([
            ("Chart.yaml".to_string(), b"apiVersion: v2\nname: demo\nversion: \"1.2.3\"\n".to_vec()),
            ("values.yaml".to_string(), b"a: 1\n".to_vec()),
            ("templates/cm.yaml".to_string(), b"a: {{ .Values.a }}\n".to_vec()),
            ("files/logo.png".to_string(), vec![0x89, b'P', b'N', b'G', 0, 0xff]),
        ])
    }

    #[test]
    fn export_then_import_gives_the_same_files() {
        let (name, tgz) = to_archive(&chart());
        assert_eq!(name, "demo-1.2.3.tgz");
        let back = from_tgz(&tgz).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.files, chart());
        // The engine's own loader reads the same archive as a chart named demo.
        let c = archive::load_archive(&tgz).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(c.metadata.name, "demo");
    }

    #[test]
    fn bad_archives_are_errors_with_helms_words() {
        assert_eq!(from_tgz(b"not a tarball").map_err(|e| e.to_string()), Err("gzip: invalid header".to_string()));
        let (_, tgz) = to_archive(&chart());
        assert_eq!(from_tgz(&tgz[..tgz.len() / 2]).map_err(|e| e.to_string()), Err("unexpected EOF".to_string()));
        // An empty archive (a gzip'd tar with only its end blocks).
        let empty = archive::write_archive("x", &BTreeMap::new());
        assert_eq!(from_tgz(&empty).map_err(|e| e.to_string()), Err("no files in chart archive".to_string()));
    }

    #[test]
    fn folders_root_at_the_shallowest_chart_yaml() {
        let entries = vec![
            ("mychart/Chart.yaml".to_string(), b"name: mychart\n".to_vec()),
            ("mychart/templates/a.yaml".to_string(), b"a".to_vec()),
            ("mychart/charts/sub/Chart.yaml".to_string(), b"name: sub\n".to_vec()),
            ("mychart/.git/HEAD".to_string(), b"ref".to_vec()),
            ("README-outside.md".to_string(), b"x".to_vec()),
        ];
        let got = from_folder(entries).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.files.paths(), ["Chart.yaml", "templates/a.yaml", "charts/sub/Chart.yaml"]);
        assert_eq!(got.skipped, 1);
        assert!(from_folder(vec![("x/values.yaml".to_string(), vec![])])
            .is_err_and(|e| e.message().contains("no Chart.yaml")));
        // A chart chosen directly (no enclosing folder part).
        let flat = from_folder(vec![("Chart.yaml".into(), b"name: c\n".to_vec())]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(flat.files.paths(), ["Chart.yaml"]);
    }

    #[test]
    fn folders_load_like_helms_load_dir() {
        let entries = vec![
            ("c/Chart.yaml".to_string(), b"\xEF\xBB\xBFname: c\n".to_vec()),
            ("c/.helmignore".to_string(), b"*.bak\ndrafts/\n".to_vec()),
            ("c/templates/a.yaml".to_string(), b"a".to_vec()),
            ("c/templates/.scratch.yaml".to_string(), b"x".to_vec()),
            ("c/templates/a.yaml.bak".to_string(), b"x".to_vec()),
            ("c/drafts/notes/x.md".to_string(), b"x".to_vec()),
            ("c/charts/sub/templates/.kept.yaml".to_string(), b"k".to_vec()),
            ("c/.git/HEAD".to_string(), b"ref".to_vec()),
        ];
        let got = from_folder(entries).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            got.files.paths(),
            ["Chart.yaml", ".helmignore", "templates/a.yaml", "charts/sub/templates/.kept.yaml"]
        );
        assert_eq!(got.files.text("Chart.yaml"), Some("name: c\n"));
        assert_eq!((got.ignored, got.skipped), (3, 1));
        assert_eq!(
            got.left_out(),
            ", 3 files left out by Helm's .helmignore rules and 1 version-control file left out"
        );
        // A rule Helm refuses fails the import as `helm template ./c` fails.
        let bad = vec![
            ("c/Chart.yaml".to_string(), b"name: c\n".to_vec()),
            ("c/.helmignore".to_string(), b"a/**/b\n".to_vec()),
        ];
        assert_eq!(
            from_folder(bad).map_err(|e| e.to_string()),
            Err(".helmignore: double-star (**) syntax is not supported".to_string())
        );
    }

    #[test]
    fn archive_names_follow_helm_package() {
        let mut f = chart();
        f.set_text("Chart.yaml", "name: x\nversion: 0.1.0\n".into());
        assert_eq!(to_archive(&f).0, "x-0.1.0.tgz");
        f.set_text("Chart.yaml", "apiVersion: v2\nname: 'q' # the name\nversion: \"2.0.0\"\n  name: nested\n".into());
        assert_eq!(to_archive(&f).0, "q-2.0.0.tgz");
        f.set_text("Chart.yaml", "name: a/b\n".into());
        assert_eq!(to_archive(&f).0, "chart.tgz");
        f.set_text("Chart.yaml", "name: x # no version\n".into());
        assert_eq!(to_archive(&f).0, "x.tgz");
        let _ = f.delete("Chart.yaml");
        assert_eq!(to_archive(&f).0, "chart.tgz");
    }
}
