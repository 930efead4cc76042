//! Plugin runs in the render worker (the `worker-plugins` build): the
//! browser's clock, `fetch()` for the HTTP requests a plugin is allowed (the
//! guest suspended meanwhile, so the worker stays free), live meters posted
//! while a plugin runs, and cancellation of a render that waits on the
//! network when a newer edit arrives.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Poll, Waker};

use chartroom_engine::plugin::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
use chartroom_engine::plugin::{Clock, Progress};
use wasm_bindgen::JsCast;

use crate::plugin_run::{PluginCache, PluginHost};
use crate::protocol::{now_ms, PluginProgress, PluginReport, RenderFailure, RenderJob, Rendered, WorkerOutput};

/// The plugin deadline's clock: performance.now(); WASI realtime from Date.now().
struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
    fn wall_ns(&self) -> u64 {
        (js_sys::Date::now() * 1e6) as u64
    }
}

/// Requests the host has allowed (allowedHosts is checked before this is
/// called), with `fetch()`: the guest is suspended (a wasmi resumable call)
/// and the worker stays free while the response travels, so progress keeps
/// flowing and a newer edit can cancel the render. The browser's CORS rules
/// still apply on top. Dropping the future aborts the request.
struct FetchClient;

const BLOCKED: &str = "blocked by the browser: CORS or network error";

/// Aborts a fetch that is abandoned before it answers (the plugin's
/// deadline passed, or a newer edit cancelled the render).
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

impl HttpClient for FetchClient {
    fn fetch(&self, req: &HttpRequest) -> HttpFuture {
        let req = req.clone();
        Box::pin(async move {
            let fail = |what: &str| format!("{} {:?}: {what}", req.method, req.url);
            let global = js_sys::global()
                .dyn_into::<web_sys::WorkerGlobalScope>()
                .map_err(|_| fail("fetch is not available"))?;
            let controller = web_sys::AbortController::new().map_err(|_| fail("AbortController is not available"))?;
            let init = web_sys::RequestInit::new();
            init.set_method(&req.method);
            init.set_signal(Some(&controller.signal()));
            let headers = web_sys::Headers::new().map_err(|_| fail("invalid request"))?;
            for (k, v) in &req.headers {
                // Forbidden headers (Host, Cookie…) are refused by the browser: skip them.
                let _ = headers.append(k, v);
            }
            init.set_headers(&headers);
            if !req.body.is_empty() {
                init.set_body(&js_sys::Uint8Array::from(req.body.as_slice()));
            }
            let mut guard = AbortOnDrop(Some(controller));
            // A CORS refusal and an unreachable host look the same from here
            // (a TypeError): say both.
            let resp = wasm_bindgen_futures::JsFuture::from(global.fetch_with_str_and_init(&req.url, &init))
                .await
                .map_err(|_| fail(BLOCKED))?;
            let resp: web_sys::Response = resp.dyn_into().map_err(|_| fail(BLOCKED))?;
            let buf = resp.array_buffer().map_err(|_| fail(BLOCKED))?;
            let body = wasm_bindgen_futures::JsFuture::from(buf).await.map_err(|_| fail(BLOCKED))?;
            guard.0 = None; // answered: nothing to abort
            let mut headers = BTreeMap::new();
            if let Ok(Some(it)) = js_sys::try_iter(&resp.headers()) {
                for pair in it.flatten() {
                    let pair = js_sys::Array::from(&pair);
                    if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                        headers.insert(k.to_ascii_lowercase(), v);
                    }
                }
            }
            Ok(HttpResponse { status: resp.status(), headers, body: js_sys::Uint8Array::new(&body).to_vec() })
        })
    }
}

/// The host's timer for plugin runs: resolves after `ms` (setTimeout).
fn sleep(ms: f64) -> Pin<Box<dyn Future<Output = ()>>> {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Ok(g) = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>() {
            let _ = g.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.ceil().max(0.0) as i32);
        }
    });
    Box::pin(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    })
}

/// A render's stop switch (see `WorkerInput::Cancel`).
#[derive(Default)]
struct CancelFlag {
    cancelled: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl CancelFlag {
    fn cancel(&self) {
        self.cancelled.set(true);
        if let Some(w) = self.waker.borrow_mut().take() {
            w.wake();
        }
    }
}

/// Runs `inner` until it completes (`Some`) or the flag is set (`None`;
/// `inner` is then dropped with whatever it was awaiting: an aborted fetch).
async fn until_cancelled<F: Future>(inner: F, flag: Rc<CancelFlag>) -> Option<F::Output> {
    let mut inner = std::pin::pin!(inner);
    std::future::poll_fn(move |cx| {
        if flag.cancelled.get() {
            return Poll::Ready(None);
        }
        if let Poll::Ready(v) = inner.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        *flag.waker.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    })
    .await
}

/// Live meters: at most one message per this many ms of plugin time.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// The render in progress (its sequence number) and its stop switch.
type ActiveRender = (u64, Rc<CancelFlag>);

/// The worker's plugin state: compiled plugins, and the render in progress
/// with its stop switch.
#[derive(Default)]
pub struct PluginRuns {
    cache: Rc<RefCell<PluginCache>>,
    active: Rc<RefCell<Option<ActiveRender>>>,
}

impl PluginRuns {
    /// `WorkerInput::Cancel`: stops render `seq` if it is still waiting.
    pub fn cancel(&self, seq: u64) {
        if let Some((_, flag)) = self.active.borrow().as_ref().filter(|(s, _)| *s == seq) {
            flag.cancel();
        }
    }
}

/// Runs one render job with its plugin: `post` sends the progress messages
/// (at once: gloo-worker's `respond` is a postMessage, so they arrive while
/// the plugin is still running), `done` the outcome. The worker (worker.rs)
/// passes both, so this module needs nothing of it.
pub fn render(
    runs: &PluginRuns,
    job: RenderJob,
    post: impl Fn(WorkerOutput) + 'static,
    done: impl FnOnce(Result<Rendered, RenderFailure>, Option<PluginReport>) + 'static,
) {
    let seq = job.seq;
    let last = Rc::new(Cell::new(f64::NEG_INFINITY));
    let on_progress = move |p: &Progress| {
        if p.elapsed_ms - last.get() < PROGRESS_EVERY_MS {
            return;
        }
        last.set(p.elapsed_ms);
        post(WorkerOutput::Progress(PluginProgress {
            seq,
            elapsed_ms: p.elapsed_ms,
            fuel_used: p.fuel_used,
            pages: p.pages,
            http_bytes: p.http_bytes,
        }));
    };
    let host = PluginHost {
        clock: Some(Rc::new(BrowserClock)),
        network: Some(Rc::new(FetchClient)),
        on_progress: Some(Rc::new(on_progress)),
        sleep: Some(Rc::new(sleep)),
    };
    let flag = Rc::new(CancelFlag::default());
    *runs.active.borrow_mut() = Some((seq, flag.clone()));
    let (cache, active) = (runs.cache.clone(), runs.active.clone());
    // Runs in a microtask right after this call, before any other message;
    // it only yields while a plugin waits on the network.
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = until_cancelled(job.run_with_async(&host, &cache), flag).await;
        if active.borrow().as_ref().is_some_and(|(s, _)| *s == seq) {
            *active.borrow_mut() = None;
        }
        let (result, plugin) = outcome.unwrap_or_else(|| {
            let message =
                "cancelled: a newer edit replaced this render while its plugin waited for an HTTP response".to_string();
            (Err(RenderFailure::new(message)), None)
        });
        done(result, plugin);
    });
}
