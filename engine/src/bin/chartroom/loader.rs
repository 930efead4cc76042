//! Reading a chart from disk as Helm's `loader.Load` does: a folder
//! (`loader.LoadDir`, with `.helmignore`) or a packaged `.tgz`.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::collections::BTreeMap;
use std::path::Path;

pub use chartroom_engine::chart::directory::{read_chart_dir, read_dir};

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
pub fn load(path: &str) -> Result<Loaded, Error> {
    let p = Path::new(path);
    if p.is_file() {
        let bytes = std::fs::read(p).map_err(|e| Error::new(ErrorKind::Cli, format!("open {path}: {e}")))?;
        let chart = chartroom_engine::chart::archive::load_archive_file(path, &bytes)?;
        let files = chartroom_engine::chart::archive::files_from_archive(&bytes).unwrap_or_default();
        return Ok(Loaded { chart, files, is_archive: true });
    }
    let files = read_chart_dir(p)?;
    let chart = chartroom_engine::chart::load_files(&files)?;
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
pub fn locate_chart(name: &str, o: &ChartPathOptions) -> Result<Located, Error> {
    use crate::getter;
    use chartroom_engine::repo;
    let name = name.trim();
    let version = o.version.trim();
    if o.repo.is_empty() {
        if std::fs::metadata(name).is_ok() {
            return Ok(Located::Path(name.to_string()));
        }
        if Path::new(name).is_absolute() || name.starts_with('.') {
            return Err(Error::new(ErrorKind::Cli, format!("path \"{name}\" not found")));
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
        let u = chartroom_engine::sprig::url::parse(&url)
            .map_err(|_| Error::new(ErrorKind::Cli, format!("invalid chart URL format: {url}")))?;
        if u.scheme.is_empty() || u.host.is_empty() || u.path.is_empty() {
            return match u.path.split_once('/') {
                None => Err(Error::new(
                    ErrorKind::Cli,
                    format!("non-absolute URLs should be in form of repo_name/path_to_chart, got: {}", u.string()),
                )),
                // A fresh Helm has no repositories.yaml (and Chartroom
                // never has one): every repository name is unknown.
                Some((repo_name, _)) => Err(Error::new(ErrorKind::Cli, format!("repo {repo_name} not found"))),
            };
        }
        if !matches!(u.scheme.as_str(), "http" | "https") {
            return Err(Error::new(ErrorKind::Cli, format!("scheme \"{}\" not supported", u.scheme)));
        }
    }
    let bytes = getter::http_get(&url, &dl_opts, Some("application/gzip,application/octet-stream"))?;
    Ok(Located::Download { url, bytes })
}

/// `loader.Load` of a located chart.
pub fn load_located(l: &Located) -> Result<Loaded, Error> {
    match l {
        Located::Path(p) => load(p),
        Located::Download { url, bytes } => {
            let name = url.rsplit('/').next().unwrap_or(url);
            let chart = chartroom_engine::chart::archive::load_archive_file(name, bytes)?;
            let files = chartroom_engine::chart::archive::files_from_archive(bytes).unwrap_or_default();
            Ok(Loaded { chart, files, is_archive: true })
        }
    }
}
