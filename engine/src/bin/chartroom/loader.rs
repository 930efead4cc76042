//! Reading a chart from disk as Helm's `loader.Load` does: a folder
//! (`loader.LoadDir`, with `.helmignore`) or a packaged `.tgz`.

use std::collections::BTreeMap;
use std::path::Path;

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
/// rules again to the map, which keeps it unchanged.
pub fn read_chart_dir(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    use chartroom_engine::chart::ignore::{Rules, HELM_IGNORE};
    let topdir = std::path::absolute(root).map_err(|e| e.to_string())?;
    let ifile = topdir.join(HELM_IGNORE);
    let rules = if ifile.exists() {
        let bytes = std::fs::read(&ifile).map_err(|e| format!("open {}: {e}", ifile.display()))?;
        Rules::for_load_dir(Some(&bytes))
    } else {
        Rules::for_load_dir(None)
    };
    let rules = rules.map_err(|e| e.message)?;
    let mut out = BTreeMap::new();
    walk_chart_dir(&topdir, "", &rules, &mut out, 0)?;
    Ok(out)
}

fn walk_chart_dir(
    dir: &Path,
    rel: &str,
    rules: &chartroom_engine::chart::ignore::Rules,
    out: &mut BTreeMap<String, Vec<u8>>,
    depth: usize,
) -> Result<(), String> {
    if depth > MAX_WALK_DEPTH {
        return Err(format!("{}: folders nested too deeply (a symbolic link loop?)", dir.display()));
    }
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(dir)
        .and_then(|it| it.map(|e| e.map(|e| e.file_name())).collect())
        .map_err(|e| format!("open {}: {e}", dir.display()))?;
    // sort.Strings: byte order.
    names.sort_by(|a, b| a.as_encoded_bytes().cmp(b.as_encoded_bytes()));
    for name in names {
        let path = dir.join(&name);
        let n = match rel {
            "" => name.to_string_lossy().into_owned(),
            _ => format!("{rel}/{}", name.to_string_lossy()),
        };
        // Lstat, then the link's target for a symbolic link.
        let mut meta = std::fs::symlink_metadata(&path).map_err(|e| format!("lstat {}: {e}", path.display()))?;
        if meta.file_type().is_symlink() {
            meta = std::fs::metadata(&path).map_err(|e| format!("error evaluating symlink {}: {e}", path.display()))?;
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
            return Err(format!("cannot load irregular file {} as it has file mode type bits set", path.display()));
        }
        let max = chartroom_engine::chart::archive::MAX_DECOMPRESSED_FILE_SIZE;
        if meta.len() > max {
            let quoted = chartroom_engine::gofmt::strconv::quote(&name.to_string_lossy());
            return Err(format!("chart file {quoted} is larger than the maximum file size {max}"));
        }
        let data = std::fs::read(&path).map_err(|e| format!("error reading {n}: {e}"))?;
        out.insert(n, data);
    }
    Ok(())
}

/// A chart loaded from a path (`loader.Load`), with its raw files (what
/// `helm show values` prints is the file, not the parsed values).
pub struct Loaded {
    pub chart: chartroom_engine::chart::Chart,
    /// Chart files relative to the chart root (the request's `files` for
    /// a folder; the archive's content for a `.tgz`).
    pub files: BTreeMap<String, Vec<u8>>,
    pub is_archive: bool,
}

/// `loader.Load(path)`: a folder or an archive file.
pub fn load(path: &str) -> Result<Loaded, String> {
    let p = Path::new(path);
    if p.is_file() {
        let bytes = std::fs::read(p).map_err(|e| format!("open {path}: {e}"))?;
        let chart = chartroom_engine::chart::archive::load_archive_file(path, &bytes).map_err(|e| e.message)?;
        let files = chartroom_engine::chart::archive::files_from_archive(&bytes).unwrap_or_default();
        return Ok(Loaded { chart, files, is_archive: true });
    }
    let files = read_chart_dir(p)?;
    let chart = chartroom_engine::chart::load_files(&files).map_err(|e| e.message)?;
    Ok(Loaded { chart, files, is_archive: false })
}

/// Helm's `ChartPathOptions` (the flags `template` and `show` share).
#[derive(Clone, Default)]
pub struct ChartPathOptions {
    pub version: String,
    pub repo: String,
    pub username: String,
    pub password: String,
    pub plain_http: bool,
    pub pass_credentials: bool,
}

impl ChartPathOptions {
    pub fn from_flags(f: &crate::pflag::FlagSet) -> ChartPathOptions {
        let mut version = f.get_str("version");
        // runInstall / show: `--devel` without `--version`.
        if version.is_empty() && f.get_bool("devel") {
            version = ">0.0.0-0".into();
        }
        for flag in ["ca-file", "cert-file", "key-file", "insecure-skip-tls-verify"] {
            if f.changed(flag) {
                eprintln!(
                    "chartroom: --{flag}: not supported; downloads check servers against Mozilla's root certificates"
                );
            }
        }
        ChartPathOptions {
            version,
            repo: f.get_str("repo"),
            username: f.get_str("username"),
            password: f.get_str("password"),
            plain_http: f.get_bool("plain-http"),
            pass_credentials: f.get_bool("pass-credentials"),
        }
    }
}

/// Where `LocateChart` found the chart: a local path, or an archive it
/// downloaded (kept in memory; Helm writes it to its content cache).
pub enum Located {
    Path(String),
    Download { url: String, bytes: Vec<u8> },
}

impl Located {
    /// What `--debug` logs as the chart path.
    pub fn display(&self) -> String {
        match self {
            Located::Path(p) => std::path::absolute(p).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default(),
            Located::Download { url, .. } => url.clone(),
        }
    }
}

/// `ChartPathOptions.LocateChart`: a local path, an `oci://` reference, a
/// chart in the `--repo` repository, or a chart archive URL.
pub fn locate_chart(name: &str, o: &ChartPathOptions) -> Result<Located, String> {
    use crate::getter;
    use chartroom_engine::repo;
    let name = name.trim();
    let version = o.version.trim();
    if o.repo.is_empty() {
        if std::fs::metadata(name).is_ok() {
            return Ok(Located::Path(name.to_string()));
        }
        if Path::new(name).is_absolute() || name.starts_with('.') {
            return Err(format!("path \"{name}\" not found"));
        }
    }
    let opts = getter::Options { username: o.username.clone(), password: o.password.clone(), plain_http: o.plain_http };
    if repo::oci::is_oci(name) {
        let (file, bytes) = getter::oci_pull(name, version, &opts)?;
        return Ok(Located::Download { url: file, bytes });
    }
    let mut url = name.to_string();
    let mut dl_opts = opts.clone();
    if !o.repo.is_empty() {
        // FindChartInRepoURL.
        let index_url = repo::index_url(&o.repo)?;
        let body =
            getter::http_get(&index_url, &opts, None).map_err(|e| repo::chartrepo::not_a_repository(&o.repo, &e))?;
        let index = repo::load_index(&body, &o.repo).map_err(|e| repo::chartrepo::not_a_repository(&o.repo, &e))?;
        for w in &index.warnings {
            crate::template::slog("WARN", w);
        }
        let (chart_url, _) = repo::find_chart_in_index(&index, &o.repo, name, version)?;
        // Credentials go to the chart URL only on the repository's own
        // scheme and host, or with --pass-credentials.
        let same = |a: &str, b: &str| {
            let (Ok(x), Ok(y)) = (chartroom_engine::sprig::url::parse(a), chartroom_engine::sprig::url::parse(b))
            else {
                return false;
            };
            x.scheme == y.scheme && x.host == y.host
        };
        if !o.pass_credentials && !same(&o.repo, &chart_url) {
            dl_opts.username.clear();
            dl_opts.password.clear();
        }
        url = chart_url;
    } else {
        // ResolveChartVersion without a repository: an absolute URL is
        // downloaded as is; anything else names a configured repository.
        let u = chartroom_engine::sprig::url::parse(&url).map_err(|_| format!("invalid chart URL format: {url}"))?;
        if u.scheme.is_empty() || u.host.is_empty() || u.path.is_empty() {
            return match u.path.split_once('/') {
                None => {
                    Err(format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {}", u.string()))
                }
                // A fresh Helm has no repositories.yaml (and Chartroom
                // never has one): every repository name is unknown.
                Some((repo_name, _)) => Err(format!("repo {repo_name} not found")),
            };
        }
        if !matches!(u.scheme.as_str(), "http" | "https") {
            return Err(format!("scheme \"{}\" not supported", u.scheme));
        }
    }
    let bytes = getter::http_get(&url, &dl_opts, Some("application/gzip,application/octet-stream"))?;
    Ok(Located::Download { url, bytes })
}

/// `loader.Load` of a located chart.
pub fn load_located(l: &Located) -> Result<Loaded, String> {
    match l {
        Located::Path(p) => load(p),
        Located::Download { url, bytes } => {
            let name = url.rsplit('/').next().unwrap_or(url);
            let chart = chartroom_engine::chart::archive::load_archive_file(name, bytes).map_err(|e| e.message)?;
            let files = chartroom_engine::chart::archive::files_from_archive(bytes).unwrap_or_default();
            Ok(Loaded { chart, files, is_archive: true })
        }
    }
}
