//! Thin wrappers over the browser APIs the page uses (localStorage, the URL,
//! the clipboard, downloads). Every call tolerates a missing API: private
//! modes and embedding sites may disable storage or the clipboard.
//!
//! Failures are the browser's (a `JsValue` thrown by storage, fetch or the
//! File API): an [`AppError`] of the kind that failed, whose text is the
//! notice's.

use wasm_bindgen::{closure::Closure, JsCast, JsValue};

use crate::protocol::AppError;
use crate::share::{self, Workspace};

const AUTOSAVE_KEY: &str = "chartroom:autosave";
const SAVED_PREFIX: &str = "chartroom:saved:";
const THEME_KEY: &str = "chartroom:theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn put(key: &str, value: &str) -> Result<(), AppError> {
    let s = storage().ok_or_else(|| AppError::Storage("browser storage is not available".into()))?;
    s.set_item(key, value).map_err(|_| AppError::Storage("browser storage is full or disabled".into()))
}

/// A GET of one of the page's own static files (a bundled plugin, the
/// Kubernetes schemas): its bytes, or why not.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, AppError> {
    use wasm_bindgen_futures::JsFuture;
    let failed = |status: Option<u16>, message: String| AppError::Fetch { url: url.to_string(), status, message };
    let win = web_sys::window().ok_or_else(|| AppError::Browser("no window".into()))?;
    let resp =
        JsFuture::from(win.fetch_with_str(url)).await.map_err(|_| failed(None, format!("could not fetch {url}")))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| AppError::Browser("not a response".into()))?;
    let status = Some(resp.status());
    if !resp.ok() {
        return Err(failed(status, format!("{url}: HTTP {}", resp.status())));
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(|_| AppError::Browser("no body".into()))?)
        .await
        .map_err(|_| failed(status, format!("could not read {url}")))?;
    Ok(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The autosaved workspace: None if there is none, Err if it does not decode.
pub fn load_autosave() -> Option<Result<Workspace, share::DecodeError>> {
    get(AUTOSAVE_KEY).map(|s| share::decode(&s))
}

pub fn save_autosave(ws: &Workspace) -> Result<(), AppError> {
    put(AUTOSAVE_KEY, &share::encode_level(ws, 1))
}

/// Names of the saved workspaces, sorted.
pub fn saved_names() -> Vec<String> {
    let Some(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    let mut names: Vec<String> = (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter_map(|k| k.strip_prefix(SAVED_PREFIX).map(str::to_string))
        .collect();
    names.sort();
    names
}

pub fn save_named(name: &str, ws: &Workspace) -> Result<(), AppError> {
    put(&format!("{SAVED_PREFIX}{name}"), &share::encode(ws))
}

pub fn load_named(name: &str) -> Option<Result<Workspace, share::DecodeError>> {
    get(&format!("{SAVED_PREFIX}{name}")).map(|s| share::decode(&s))
}

pub fn delete_named(name: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&format!("{SAVED_PREFIX}{name}"));
    }
}

pub fn load_theme() -> Option<String> {
    get(THEME_KEY)
}

pub fn save_theme(theme: &str) {
    let _ = put(THEME_KEY, theme);
}

/// Sets `data-theme` on <html> (the stylesheet's switch).
pub fn apply_theme(theme: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-theme", theme);
    }
}

pub fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The URL fragment without '#'.
pub fn fragment() -> String {
    let h = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    h.strip_prefix('#').unwrap_or(&h).to_string()
}

pub fn query() -> String {
    location().and_then(|l| l.search().ok()).unwrap_or_default()
}

/// Removes the fragment from the address bar without reloading or adding a
/// history entry (a reload then restores the autosave, not the old link).
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else { return };
    let l = w.location();
    let url = format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The page's address without its fragment.
pub fn base_url() -> String {
    location()
        .map(|l| {
            format!(
                "{}{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// navigator.clipboard.writeText, best effort (refusals are ignored: the
/// text is also shown in the page to copy by hand).
pub fn copy_to_clipboard(text: &str) {
    let Some(w) = web_sys::window() else { return };
    let nav: JsValue = w.navigator().into();
    let Ok(clip) = js_sys::Reflect::get(&nav, &"clipboard".into()) else { return };
    if clip.is_undefined() || clip.is_null() {
        return;
    }
    let Ok(f) = js_sys::Reflect::get(&clip, &"writeText".into()) else { return };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else { return };
    if let Ok(p) = f.call1(&clip, &text.into()) {
        if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
            let ignore = Closure::once_into_js(|_: JsValue| {});
            if let Ok(ignore) = ignore.dyn_into::<js_sys::Function>() {
                let _ = js_sys::Reflect::get(&p, &"catch".into())
                    .ok()
                    .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
                    .map(|c| c.call1(&p, &ignore));
            }
        }
    }
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag) {
        offer_blob(filename, &blob);
    }
}

/// Offers bytes as a file download.
pub fn download_bytes(filename: &str, bytes: &[u8], mime: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &bag) {
        offer_blob(filename, &blob);
    }
}

/// Saves a blob under `filename` through a temporary `<a download>`.
fn offer_blob(filename: &str, blob: &web_sys::Blob) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(a) =
        doc.create_element("a").and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().map_err(JsValue::from))
    {
        a.set_href(&url);
        a.set_download(filename);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Posts a serde value as a plain JS object to another window, for `origin`
/// only: never `'*'` (nothing is sent without a concrete origin).
pub fn post_json<T: serde::Serialize>(target: &web_sys::Window, msg: &T, origin: &str) {
    if origin.is_empty() || origin == "null" || origin == "*" {
        return;
    }
    let Ok(text) = serde_json::to_string(msg) else { return };
    if let Ok(v) = js_sys::JSON::parse(&text) {
        let _ = target.post_message(&v, origin);
    }
}

/// The framing page's origin as the browser reports it at load:
/// `location.ancestorOrigins[0]` (Chromium, Safari), else the referrer's
/// origin. Only a hint for where broadcasts go (see `message_policy`).
pub fn parent_origin_hint() -> Option<String> {
    let win = web_sys::window()?;
    let ancestors = js_sys::Reflect::get(&win.location(), &"ancestorOrigins".into()).ok();
    let first = ancestors
        .filter(|a| !a.is_undefined() && !a.is_null())
        .and_then(|a| js_sys::Reflect::get(&a, &0.into()).ok())
        .and_then(|o| o.as_string());
    first.or_else(|| {
        let referrer = win.document()?.referrer();
        web_sys::Url::new(&referrer).ok().map(|u| u.origin())
    })
}

/// Local time as "YYYY-MM-DD HH:MM" (names of automatic backups).
pub fn now_label() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// A file's bytes (None if the browser cannot read it).
pub async fn file_bytes(file: &web_sys::File) -> Option<Vec<u8>> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The files of an `<input type=file webkitdirectory>` with their paths
/// relative to the chosen folder's parent (`webkitRelativePath`).
pub fn input_files_with_paths(input: &web_sys::HtmlInputElement) -> Vec<(String, web_sys::File)> {
    let Some(list) = input.files() else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|f| {
            let rel = js_sys::Reflect::get(&f, &"webkitRelativePath".into()).ok().and_then(|v| v.as_string());
            let path = rel.filter(|r| !r.is_empty()).unwrap_or_else(|| f.name());
            (path, f)
        })
        .collect()
}

fn data_transfer(e: &web_sys::Event) -> Option<JsValue> {
    let dt = js_sys::Reflect::get(e, &"dataTransfer".into()).ok()?;
    (!dt.is_null() && !dt.is_undefined()).then_some(dt)
}

/// A drag that carries files (not text dragged inside the page).
pub fn drag_has_files(e: &web_sys::Event) -> bool {
    let Some(types) = data_transfer(e).and_then(|dt| js_sys::Reflect::get(&dt, &"types".into()).ok()) else {
        return false;
    };
    js_sys::Array::from(&types).iter().any(|t| t.as_string().as_deref() == Some("Files"))
}

/// What was dropped: folders (as FileSystemEntry objects, which must be
/// taken during the drop event) or plain files.
pub enum Dropped {
    Folder(Vec<JsValue>),
    Files(Vec<web_sys::File>),
}

fn js_bool(v: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(v, &key.into()).ok().and_then(|b| b.as_bool()).unwrap_or(false)
}

fn js_string(v: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(v, &key.into()).ok().and_then(|b| b.as_string()).unwrap_or_default()
}

fn js_call0(v: &JsValue, method: &str) -> Option<JsValue> {
    let f = js_sys::Reflect::get(v, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.call0(v).ok()
}

pub fn dropped(e: &web_sys::Event) -> Dropped {
    let Some(dt) = data_transfer(e) else { return Dropped::Files(Vec::new()) };
    let mut entries = Vec::new();
    if let Ok(items) = js_sys::Reflect::get(&dt, &"items".into()) {
        let n = js_sys::Reflect::get(&items, &"length".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as u32;
        for i in 0..n {
            let Ok(item) = js_sys::Reflect::get_u32(&items, i) else { continue };
            if let Some(entry) = js_call0(&item, "webkitGetAsEntry").filter(|x| !x.is_null() && !x.is_undefined()) {
                entries.push(entry);
            }
        }
    }
    if entries.iter().any(|x| js_bool(x, "isDirectory")) {
        return Dropped::Folder(entries);
    }
    let files = js_sys::Reflect::get(&dt, &"files".into())
        .ok()
        .and_then(|f| f.dyn_into::<web_sys::FileList>().ok())
        .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default();
    Dropped::Files(files)
}

pub fn entry_name(entry: &JsValue) -> String {
    js_string(entry, "name")
}

/// Calls `obj.method(onSuccess, onError)` as a promise.
async fn callback_call(obj: &JsValue, method: &str) -> Result<JsValue, AppError> {
    let obj2 = obj.clone();
    let method2 = method.to_string();
    let promise = js_sys::Promise::new(&mut move |resolve, reject| {
        let f = js_sys::Reflect::get(&obj2, &method2.as_str().into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        match f {
            Some(f) => {
                if f.call2(&obj2, &resolve, &reject).is_err() {
                    let _ = reject.call1(&JsValue::NULL, &"call failed".into());
                }
            }
            None => {
                let _ = reject.call1(&JsValue::NULL, &"not supported by this browser".into());
            }
        }
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| {
        AppError::Browser(
            js_sys::Reflect::get(&e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
                .or_else(|| e.as_string())
                .unwrap_or_else(|| format!("{method} failed")),
        )
    })
}

/// Reads dropped FileSystemEntry objects recursively: (path without the
/// leading '/', bytes) for every file.
pub async fn read_entries(entries: Vec<JsValue>) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut stack = entries;
    let mut out = Vec::new();
    while let Some(entry) = stack.pop() {
        let path = js_string(&entry, "fullPath").trim_start_matches('/').to_string();
        if js_bool(&entry, "isDirectory") {
            let Some(reader) = js_call0(&entry, "createReader") else { continue };
            // readEntries returns the entries in batches until an empty one.
            loop {
                let batch = callback_call(&reader, "readEntries").await.map_err(|e| e.wrap(&format!("{path}: ")))?;
                let batch = js_sys::Array::from(&batch);
                if batch.length() == 0 {
                    break;
                }
                stack.extend(batch.iter());
            }
        } else if js_bool(&entry, "isFile") {
            let file = callback_call(&entry, "file").await.map_err(|e| e.wrap(&format!("{path}: ")))?;
            let file: web_sys::File = file.dyn_into().map_err(|_| AppError::Browser(format!("{path}: not a file")))?;
            let bytes =
                file_bytes(&file).await.ok_or_else(|| AppError::Browser(format!("{path} could not be read")))?;
            out.push((path, bytes));
        }
    }
    Ok(out)
}
