//! Opening charts, values files and plugins from URLs in the browser: the
//! browser's `fetch` (CORS permitting; Chartroom has no server), every
//! file checked against its sha256, the Helm repository choices made by
//! the engine in the render worker (`repo_tasks`). Errors say which file
//! could not be fetched or did not match; nothing is opened then.
//!
//! Errors are [`AppError`]s: the browser's (a `fetch` refused by CORS or
//! the network, a status code), the page's own checks (sha256), or the
//! engine's error from a worker answer; they end as one notice line, and
//! the registry hint is added by variant (a fetch with no answer), not by
//! reading the text.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::files::ChartFiles;
use crate::options::{Options, ValuesFile};
use crate::plugin_state::PluginSettings;
use crate::protocol::{AppError, RenderFailure, Task, TaskAnswer};
use crate::remote::{self, ChartRef, FileRef, Origin, RefLink};
use crate::render_client::{task_failure, Renderer};
use crate::repo_tasks::{Download, Found, Listed, OciPlan, RepoAnswer, RepoTask};
use crate::share::Workspace;

/// One worker task, awaited.
pub async fn task(renderer: Renderer, t: Task) -> TaskAnswer {
    let slot: Rc<RefCell<Option<TaskAnswer>>> = Rc::default();
    let mut pending = Some(t);
    let s = slot.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let s = s.clone();
        if let Some(t) = pending.take() {
            renderer.task(t, move |a| {
                *s.borrow_mut() = Some(a);
                let _ = resolve.call0(&JsValue::NULL);
            });
        }
    });
    let _ = JsFuture::from(promise).await;
    let answer = slot.borrow_mut().take();
    answer.unwrap_or_else(|| TaskAnswer::Failed("the render worker did not answer".into()))
}

async fn repo(renderer: Renderer, t: RepoTask) -> Result<RepoAnswer, AppError> {
    match task(renderer, Task::Repo(t)).await {
        TaskAnswer::Repo(a) => Ok(a),
        other => Err(task_failure(other)),
    }
}

fn unexpected() -> AppError {
    AppError::Worker("the render worker gave an unexpected answer".into())
}

/// A response as far as the registry flow needs it.
struct Fetched {
    status: u16,
    status_text: String,
    www_authenticate: String,
    body: Vec<u8>,
}

async fn fetch_raw(url: &str, headers: &[(&str, &str)]) -> Result<Fetched, AppError> {
    let win = web_sys::window().ok_or_else(|| AppError::Browser("no window".into()))?;
    let init = web_sys::RequestInit::new();
    let h = web_sys::Headers::new().map_err(|_| AppError::Browser("no headers".into()))?;
    for (k, v) in headers {
        let _ = h.set(k, v);
    }
    init.set_headers(&h);
    let resp = JsFuture::from(win.fetch_with_str_and_init(url, &init)).await.map_err(|_| AppError::Fetch {
        url: url.to_string(),
        status: None,
        message: format!(
            "{url} could not be fetched: the server is unreachable, or it does not let web pages read it (its answer has no Access-Control-Allow-Origin header), or it is not https. The browser fetches it directly: Chartroom has no server of its own"
        ),
    })?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| AppError::Browser("not a response".into()))?;
    let buf =
        JsFuture::from(resp.array_buffer().map_err(|_| AppError::Browser("no body".into()))?).await.map_err(|_| {
            AppError::Fetch {
                url: url.to_string(),
                status: Some(resp.status()),
                message: format!("{url}: the download was interrupted"),
            }
        })?;
    Ok(Fetched {
        status: resp.status(),
        status_text: resp.status_text(),
        www_authenticate: resp.headers().get("www-authenticate").ok().flatten().unwrap_or_default(),
        body: js_sys::Uint8Array::new(&buf).to_vec(),
    })
}

/// A GET with Helm's message for a non-200 answer
/// (`failed to fetch <url> : 404 Not Found`).
pub async fn fetch(url: &str) -> Result<Vec<u8>, AppError> {
    let f = fetch_raw(url, &[]).await?;
    if f.status != 200 {
        let reason = if f.status_text.is_empty() { http_reason(f.status) } else { f.status_text.clone() };
        return Err(AppError::Fetch {
            url: url.to_string(),
            status: Some(f.status),
            message: format!("failed to fetch {url} : {} {reason}", f.status),
        });
    }
    Ok(f.body)
}

fn http_reason(s: u16) -> String {
    match s {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "",
    }
    .into()
}

/// A chart opened from somewhere: the workspace (its origin recorded) and
/// a title for the notice.
pub struct Opened {
    pub title: String,
    pub ws: Workspace,
    /// Things to say besides "Opened" (a dependency that could not be
    /// fetched…).
    pub warnings: Vec<String>,
}

/// The charts and versions of a Helm repository.
pub async fn list_repo(renderer: Renderer, repo_url: &str) -> Result<Vec<(String, Vec<Listed>)>, AppError> {
    let index = fetch_index(renderer, repo_url).await?;
    match repo(renderer, RepoTask::List { repo_url: repo_url.into(), index }).await? {
        RepoAnswer::List(r) => Ok(r?),
        _ => Err(unexpected()),
    }
}

async fn fetch_index(renderer: Renderer, repo_url: &str) -> Result<Vec<u8>, AppError> {
    let RepoAnswer::IndexUrl(url) = repo(renderer, RepoTask::IndexUrl { repo_url: repo_url.into() }).await? else {
        return Err(unexpected());
    };
    let url = url?;
    fetch(&url)
        .await
        .map_err(|e| e.wrap(&format!("looks like {repo_url:?} is not a valid chart repository or cannot be reached: ")))
}

async fn find(
    renderer: Renderer,
    repo_url: &str,
    index: Vec<u8>,
    name: &str,
    version: &str,
) -> Result<Found, AppError> {
    match repo(
        renderer,
        RepoTask::Find { repo_url: repo_url.into(), index, name: name.into(), version: version.into() },
    )
    .await?
    {
        RepoAnswer::Found(r) => Ok(r?),
        _ => Err(unexpected()),
    }
}

/// A chart archive → its files (Helm's archive checks, in the worker).
async fn unpack(renderer: Renderer, what: &str, tgz: Vec<u8>) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    match task(renderer, Task::ImportArchive { bytes: tgz }).await {
        TaskAnswer::Imported(r) => r.map_err(|e| AppError::from(e).wrap(&format!("{what}: "))),
        other => Err(task_failure(other)),
    }
}

/// `helm pull oci://…` in the browser: only registries that allow web
/// pages to read them (CORS) work; the message says what to do otherwise.
async fn oci_pull(renderer: Renderer, reference: &str, version: &str) -> Result<(String, Vec<u8>), AppError> {
    let RepoAnswer::Oci(plan) =
        repo(renderer, RepoTask::Oci { reference: reference.into(), version: version.into() }).await?
    else {
        return Err(unexpected());
    };
    let mut plan: OciPlan = plan?;
    let mut token = None::<String>;
    // A fetch with no answer at all: most likely the registry's CORS.
    let cors = |e: AppError| {
        if e.unreachable() {
            e.suffixed(&format!(
                ". Most registries (ghcr.io, Docker Hub…) do not allow requests from web pages: run `helm pull {reference}{}` and open the .tgz with \"Import chart\", or host the .tgz where browsers may read it",
                if version.is_empty() { String::new() } else { format!(" --version {version}") }
            ))
        } else {
            e
        }
    };
    if !plan.tags_url.is_empty() {
        let body = oci_get(renderer, &plan.tags_url, reference, "application/json", &mut token).await.map_err(cors)?;
        let RepoAnswer::Oci(p) =
            repo(renderer, RepoTask::OciTag { reference: reference.into(), version: version.into(), tags_json: body })
                .await?
        else {
            return Err(unexpected());
        };
        plan = p?;
    }
    let manifest =
        oci_get(renderer, &plan.manifest_url, reference, "application/vnd.oci.image.manifest.v1+json", &mut token)
            .await
            .map_err(cors)?;
    let RepoAnswer::OciLayer(layer) = repo(renderer, RepoTask::OciLayer { manifest }).await? else {
        return Err(unexpected());
    };
    let layer = layer?;
    let blob =
        oci_get(renderer, &format!("{}/blobs/{layer}", plan.base), reference, "*/*", &mut token).await.map_err(cors)?;
    remote::check_hash("the chart layer of", reference, &blob, &layer)?;
    Ok((plan.tag.replace('_', "+"), blob))
}

async fn oci_get(
    renderer: Renderer,
    url: &str,
    reference: &str,
    accept: &str,
    token: &mut Option<String>,
) -> Result<Vec<u8>, AppError> {
    for attempt in 0..2 {
        let auth = token.as_ref().map(|t| format!("Bearer {t}"));
        let mut headers = vec![("Accept", accept)];
        if let Some(a) = auth.as_deref() {
            headers.push(("Authorization", a));
        }
        let f = fetch_raw(url, &headers).await?;
        if f.status == 401 && attempt == 0 && !f.www_authenticate.is_empty() {
            let RepoAnswer::Message(turl) = repo(
                renderer,
                RepoTask::OciTokenUrl { www_authenticate: f.www_authenticate.clone(), reference: reference.into() },
            )
            .await?
            else {
                return Err(unexpected());
            };
            if turl.is_empty() {
                break;
            }
            let body = fetch(&turl).await?;
            let v: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| AppError::Check(format!("token: {e}")))?;
            *token = v.get("token").or_else(|| v.get("access_token")).and_then(|t| t.as_str()).map(str::to_string);
            continue;
        }
        if f.status != 200 {
            return Err(AppError::Fetch {
                url: url.to_string(),
                status: Some(f.status),
                message: format!(
                    "GET {url}: response status code {}: {}",
                    f.status,
                    http_reason(f.status).to_lowercase()
                ),
            });
        }
        return Ok(f.body);
    }
    Err(AppError::Fetch {
        url: url.to_string(),
        status: Some(401),
        message: format!("GET {url}: response status code 401: unauthorized"),
    })
}

/// Dependencies not vendored under charts/, fetched as `helm dependency
/// build` resolves them (Chart.lock when present). `pinned` (path →
/// sha256) are the dependency archives a link expects.
async fn with_dependencies(
    renderer: Renderer,
    mut files: Vec<(String, Vec<u8>)>,
    pinned: &[(String, String)],
    warnings: &mut Vec<String>,
) -> Result<(Vec<(String, Vec<u8>)>, Vec<(String, String)>), AppError> {
    let mut fetched = Vec::new();
    let plan = match repo(renderer, RepoTask::Plan { files: files.clone() }).await? {
        RepoAnswer::Plan(Ok(p)) => p,
        RepoAnswer::Plan(Err(e)) => {
            warnings.push(format!("The dependencies could not be downloaded: {}", e.message));
            return Ok((files, fetched));
        }
        _ => return Err(unexpected()),
    };
    let mut indexes: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut no_version: Vec<Download> = Vec::new();
    for d in plan {
        let (version, bytes) = if d.repository.starts_with("oci://") {
            let reference = format!("{}/{}", d.repository.trim_end_matches('/'), d.name);
            oci_pull(renderer, &reference, &d.version).await?
        } else {
            if !indexes.contains_key(&d.repository) {
                let idx = fetch_index(renderer, &d.repository).await?;
                indexes.insert(d.repository.clone(), idx);
            }
            let index = indexes.get(&d.repository).cloned().unwrap_or_default();
            let found = match repo(renderer, RepoTask::Pick { index, download: d.clone() }).await? {
                RepoAnswer::Picked(Ok(f)) => f,
                RepoAnswer::Picked(Err(None)) => {
                    no_version.push(d);
                    continue;
                }
                RepoAnswer::Picked(Err(Some(e))) => return Err(e.into()),
                _ => return Err(unexpected()),
            };
            let tgz = fetch(&found.url).await.map_err(|e| e.wrap(&format!("could not download {}: ", found.url)))?;
            remote::check_hash("the dependency", &found.url, &tgz, &found.digest)?;
            (found.version, tgz)
        };
        let path = format!("charts/{}-{version}.tgz", d.name);
        let want = pinned.iter().find(|(p, _)| *p == path).map(|(_, h)| h.as_str()).unwrap_or("");
        let sha = remote::check_hash("the dependency", &path, &bytes, want)?;
        fetched.push((path.clone(), sha));
        files.push((path, bytes));
    }
    if !no_version.is_empty() {
        let RepoAnswer::Message(m) = repo(renderer, RepoTask::MissingVersions { downloads: no_version }).await? else {
            return Err(unexpected());
        };
        // The engine's text (`helm dependency build`'s).
        return Err(RenderFailure::new(m).into());
    }
    Ok((files, fetched))
}

fn template_to_open(files: &ChartFiles, wanted: &str) -> String {
    if !wanted.is_empty() && files.contains(wanted) {
        return wanted.to_string();
    }
    files
        .paths()
        .into_iter()
        .find(|p| crate::files::is_template(p) && !p.ends_with(".tpl") && !p.ends_with(".txt"))
        .unwrap_or_else(|| files.fallback_selection())
}

/// The chart of a reference: its files, and the origin to record.
async fn fetch_chart(
    renderer: Renderer,
    chart: &ChartRef,
    page_url: &str,
) -> Result<(ChartRef, Result<Vec<(String, Vec<u8>)>, Workspace>), AppError> {
    match chart {
        ChartRef::Archive(f) => {
            let url = remote::absolute(page_url, &f.url);
            let tgz = fetch(&url).await?;
            let sha = remote::check_hash("the chart", &url, &tgz, &f.sha256)?;
            let files = unpack(renderer, &url, tgz).await?;
            Ok((ChartRef::Archive(FileRef { url, sha256: sha }), Ok(files)))
        }
        ChartRef::Bundle(f) => {
            let url = remote::absolute(page_url, &f.url);
            let bytes = fetch(&url).await?;
            let sha = remote::check_hash("the bundle", &url, &bytes, &f.sha256)?;
            let ws = crate::share::decode(&String::from_utf8_lossy(&bytes))
                .map_err(|e| AppError::Check(format!("the bundle {url}: {e}")))?;
            Ok((ChartRef::Bundle(FileRef { url, sha256: sha }), Err(ws)))
        }
        ChartRef::Repo { repo: repo_url, name, version, sha256 } => {
            let repo_url = remote::absolute(page_url, repo_url);
            let index = fetch_index(renderer, &repo_url).await?;
            let found = find(renderer, &repo_url, index, name, version).await?;
            let tgz = fetch(&found.url).await?;
            // The index's digest, then the link's.
            remote::check_hash("the chart", &found.url, &tgz, &found.digest)?;
            let sha = remote::check_hash("the chart", &found.url, &tgz, sha256)?;
            let files = unpack(renderer, &found.url, tgz).await?;
            Ok((ChartRef::Repo { repo: repo_url, name: name.clone(), version: found.version, sha256: sha }, Ok(files)))
        }
        ChartRef::Oci { reference, version, sha256 } => {
            let (tag, tgz) = oci_pull(renderer, reference, version).await?;
            let sha = remote::check_hash("the chart", reference, &tgz, sha256)?;
            let files = unpack(renderer, reference, tgz).await?;
            Ok((ChartRef::Oci { reference: reference.clone(), version: tag, sha256: sha }, Ok(files)))
        }
    }
}

/// Opens a by-reference link (or an embed's `?chart=…`): fetches and
/// checks everything, applies the patch and the inline options.
pub async fn open_link(renderer: Renderer, link: RefLink, page_url: &str) -> Result<Opened, AppError> {
    let mut warnings = Vec::new();
    let (chart, got) = fetch_chart(renderer, &link.chart, page_url).await?;
    let title = chart.describe();
    let mut ws = match got {
        // A bundle is a whole workspace: only the open file may differ.
        Err(mut ws) => {
            if !link.selected.is_empty() {
                ws.selected = link.selected.clone();
            }
            ws.origin = Some(Origin { chart, values: Vec::new(), plugin: None, base: Vec::new(), pinned: Vec::new() });
            return Ok(Opened { title, ws, warnings });
        }
        Ok(files) => {
            let (files, pinned) = with_dependencies(renderer, files, &link.pinned, &mut warnings).await?;
            let base = ChartFiles::from_bytes(files);
            let origin_base = remote::base_of(&base);
            let chart_files = link.patch.apply(&base);
            let mut options: Options = link.options.clone().unwrap_or_default();
            // Values files by reference come first, in the link's order.
            let mut values = Vec::new();
            for v in &link.values {
                let url = remote::absolute(page_url, &v.file.url);
                let bytes = fetch(&url).await.map_err(|e| e.wrap(&format!("the values file {}: ", v.name)))?;
                let sha = remote::check_hash("the values file", &url, &bytes, &v.file.sha256)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| AppError::Check(format!("the values file {url} is not UTF-8 text")))?;
                options.values_files.insert(values.len(), ValuesFile { name: v.name.clone(), text });
                values.push(remote::ValuesRef { name: v.name.clone(), file: FileRef { url, sha256: sha } });
            }
            let mut plugin = None;
            if let Some(p) = &link.plugin {
                let yurl = remote::absolute(page_url, &p.yaml.url);
                let wurl = remote::absolute(page_url, &p.wasm.url);
                let yaml = fetch(&yurl).await.map_err(|e| e.wrap("the plugin's plugin.yaml: "))?;
                let ysha = remote::check_hash("the plugin.yaml", &yurl, &yaml, &p.yaml.sha256)?;
                let wasm = fetch(&wurl).await.map_err(|e| e.wrap("the plugin's plugin.wasm: "))?;
                let wsha = remote::check_hash("the plugin.wasm", &wurl, &wasm, &p.wasm.sha256)?;
                let settings = options.plugin.clone();
                options.plugin = PluginSettings {
                    args: settings.args,
                    profile: settings.profile,
                    fuel_budget: settings.fuel_budget,
                    mock_http: settings.mock_http,
                    enabled: settings.enabled || settings.yaml.is_empty(),
                    ..PluginSettings::uploaded(&String::from_utf8_lossy(&yaml), &wasm)
                };
                plugin = Some(remote::PluginRef {
                    yaml: FileRef { url: yurl, sha256: ysha },
                    wasm: FileRef { url: wurl, sha256: wsha },
                });
            }
            let selected = template_to_open(&chart_files, &link.selected);
            let mut ws = Workspace::new(&chart_files, options, selected);
            ws.origin = Some(Origin { chart, values, plugin, base: origin_base, pinned });
            ws
        }
    };
    ws.options.plugin.needs_consent = false;
    Ok(Opened { title, ws, warnings })
}

/// "Open chart…" with a chart from a Helm repository, an archive URL or
/// an oci:// reference.
pub async fn open_chart(renderer: Renderer, chart: ChartRef) -> Result<Opened, AppError> {
    let link = RefLink {
        chart,
        values: Vec::new(),
        plugin: None,
        options: None,
        selected: String::new(),
        patch: Default::default(),
        pinned: Vec::new(),
    };
    open_link(renderer, link, &crate::web::base_url()).await
}

/// "Make link" for a hosted bundle: the URL must serve exactly this
/// workspace.
pub async fn hosted_bundle_link(url: &str, current: &Workspace) -> Result<String, AppError> {
    let bytes = fetch(url).await?;
    let ws = crate::share::decode(&String::from_utf8_lossy(&bytes))
        .map_err(|e| AppError::Check(format!("{url} is not a Chartroom bundle: {e}")))?;
    if !ws.same_work(current) {
        return Err(AppError::Check(format!(
            "{url} holds a different workspace than the one open here: download the bundle again (\"Download bundle\"), upload it, and try again"
        )));
    }
    let link = RefLink {
        chart: ChartRef::Bundle(FileRef { url: url.to_string(), sha256: remote::sha256_hex(&bytes) }),
        values: Vec::new(),
        plugin: None,
        options: None,
        selected: current.selected.clone(),
        patch: Default::default(),
        pinned: Vec::new(),
    };
    Ok(format!("{}#{}", crate::web::base_url(), remote::encode(&link)))
}
