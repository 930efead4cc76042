//! Reading a chart folder from disk as Helm's `loader.LoadDir` does
//! (pkg/chart/v2/loader/directory.go): one loader for the CLI, the tests and
//! the conformance runner. Natively only in practice; on wasm32 `std::fs`
//! answers every call with an error, so the page never reaches it.

use std::collections::BTreeMap;
use std::path::Path;

use super::{load_error, LoadError};

/// Every regular file under `root`, keyed by its `/`-separated path
/// relative to `root`, with no ignore rules (a plugin folder, a fixture).
pub fn read_dir(root: &Path) -> std::io::Result<BTreeMap<String, Vec<u8>>> {
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
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(key, std::fs::read(&p)?);
            }
        }
    }
    Ok(out)
}

/// How deep the chart walk goes: Helm follows symbolic links without a
/// limit (a link to a parent folder loops until paths get too long); here a
/// loop ends with an error instead.
const MAX_WALK_DEPTH: usize = 64;

/// A chart folder read as `loader.LoadDir` reads it (pkg/chart/v2/loader/
/// directory.go with internal/sympath.Walk): the root's `.helmignore`
/// (plus the default rule) decides in the walk itself, so an ignored
/// folder is never opened and an ignored file never read; names in sorted
/// order; symbolic links followed; a file that is not regular, or larger
/// than 5 MiB, is an error unless ignored. `load_files` applies the same
/// rules again to the map, which keeps it unchanged. An error names the
/// file it concerns (relative to the chart root) when there is one.
pub fn read_chart_dir(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, LoadError> {
    use crate::chart::ignore::{Rules, HELM_IGNORE};
    let topdir = std::path::absolute(root).map_err(|e| load_error(e.to_string()))?;
    let ifile = topdir.join(HELM_IGNORE);
    let rules = if ifile.exists() {
        let bytes = std::fs::read(&ifile)
            .map_err(|e| load_error(format!("open {}: {e}", ifile.display())).at(HELM_IGNORE, None, None))?;
        Rules::for_load_dir(Some(&bytes))
    } else {
        Rules::for_load_dir(None)
    };
    // A bad rule keeps its line in .helmignore.
    let rules = rules?;
    let mut out = BTreeMap::new();
    walk_chart_dir(&topdir, "", &rules, &mut out, 0)?;
    Ok(out)
}

fn walk_chart_dir(
    dir: &Path,
    rel: &str,
    rules: &crate::chart::ignore::Rules,
    out: &mut BTreeMap<String, Vec<u8>>,
    depth: usize,
) -> Result<(), LoadError> {
    if depth > MAX_WALK_DEPTH {
        return Err(load_error(format!("{}: folders nested too deeply (a symbolic link loop?)", dir.display()))
            .at(rel, None, None));
    }
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir)
        .and_then(|it| it.map(|e| e.map(|e| e.file_name())).collect())
        .map_err(|e| load_error(format!("open {}: {e}", dir.display())))?;
    // sort.Strings: byte order.
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    for name in names {
        let path = dir.join(&name);
        let n = match rel {
            "" => name.to_string_lossy().into_owned(),
            _ => format!("{rel}/{}", name.to_string_lossy()),
        };
        // Lstat, then the link's target for a symbolic link.
        let mut meta = std::fs::symlink_metadata(&path)
            .map_err(|e| load_error(format!("lstat {}: {e}", path.display())).at(&n, None, None))?;
        if meta.file_type().is_symlink() {
            meta = std::fs::metadata(&path).map_err(|e| {
                load_error(format!("error evaluating symlink {}: {e}", path.display())).at(&n, None, None)
            })?;
        }
        if meta.is_dir() {
            // An ignored folder is skipped whole (filepath.SkipDir).
            if !rules.ignore(&n, true) {
                walk_chart_dir(&path, &n, rules, out, depth + 1)?;
            }
            continue;
        }
        if rules.ignore(&n, false) {
            continue;
        }
        if !meta.is_file() {
            return Err(load_error(format!(
                "cannot load irregular file {} as it has file mode type bits set",
                path.display()
            ))
            .at(n, None, None));
        }
        let max = crate::chart::archive::MAX_DECOMPRESSED_FILE_SIZE;
        if meta.len() > max {
            let quoted = crate::gofmt::strconv::quote(&name.to_string_lossy());
            return Err(
                load_error(format!("chart file {quoted} is larger than the maximum file size {max}")).at(n, None, None)
            );
        }
        let data =
            std::fs::read(&path).map_err(|e| load_error(format!("error reading {n}: {e}")).at(&n, None, None))?;
        out.insert(n, data);
    }
    Ok(())
}
