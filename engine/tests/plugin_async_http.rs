//! HTTP answered asynchronously (the browser's `fetch()`): the guest is
//! suspended by a resumable host trap while the host waits, resumed with
//! the response, and stopped at its deadline if the answer never comes.
//! Driven here by a tiny executor and a fake clock that the host's timer
//! advances, so the timings are exact.
#![cfg(feature = "plugins")]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use chartroom_engine::error::Error;
use chartroom_engine::plugin::future::SleepFn;
use chartroom_engine::plugin::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse, MockHttp};
use chartroom_engine::plugin::{self, Clock, Decision, Plugin, Progress, RunOptions, RunResult};

fn load(name: &str) -> Plugin {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../public/plugins").join(name);
    let mut files = BTreeMap::new();
    for f in ["plugin.yaml", "plugin.wasm"] {
        files.insert(f.to_string(), std::fs::read(d.join(f)).unwrap_or_else(|e| panic!("{name}/{f}: {e}")));
    }
    plugin::load(&files).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Time that passes only when the host's timer sleeps.
struct FakeClock(Rc<Cell<f64>>);

impl Clock for FakeClock {
    fn now_ms(&self) -> f64 {
        self.0.get()
    }
    fn wall_ns(&self) -> u64 {
        0
    }
}

/// A request that answers after `polls` polls (None: never), and records
/// whether it was dropped before answering (an aborted fetch).
struct Slow {
    answer: MockHttp,
    polls: Option<u32>,
    seen: Rc<RefCell<Vec<String>>>,
    aborted: Rc<Cell<bool>>,
}

struct SlowFuture {
    left: Option<u32>,
    answer: Option<Result<HttpResponse, Error>>,
    aborted: Rc<Cell<bool>>,
}

impl Future for SlowFuture {
    type Output = Result<HttpResponse, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.left {
            Some(0) => Poll::Ready(self.answer.take().unwrap_or_else(|| Err("polled after completion".into()))),
            Some(n) => {
                self.left = Some(n - 1);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            None => Poll::Pending,
        }
    }
}

impl Drop for SlowFuture {
    fn drop(&mut self) {
        if self.answer.is_some() {
            self.aborted.set(true);
        }
    }
}

impl HttpClient for Slow {
    fn fetch(&self, req: &HttpRequest) -> HttpFuture {
        self.seen.borrow_mut().push(format!("{} {}", req.method, req.url));
        Box::pin(SlowFuture { left: self.polls, answer: Some(self.answer.answer(req)), aborted: self.aborted.clone() })
    }
}

/// Polls `f` until it completes; the host's timer completes at once after
/// moving the fake clock, so a run with a never-answering request ends at
/// its deadline. Returns the output and how many polls returned Pending.
fn drive<F: Future>(f: F) -> (F::Output, u32) {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    let mut pending = 0;
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return (v, pending),
            Poll::Pending => {
                pending += 1;
                assert!(pending < 100_000, "the call never completes");
            }
        }
    }
}

fn timer(clock: &Rc<Cell<f64>>, slept: &Rc<RefCell<Vec<f64>>>) -> SleepFn {
    let (clock, slept) = (clock.clone(), slept.clone());
    Rc::new(move |ms: f64| {
        clock.set(clock.get() + ms);
        slept.borrow_mut().push(ms);
        Box::pin(std::future::ready(())) as Pin<Box<dyn Future<Output = ()>>>
    })
}

const URL: &str = "https://charts.example.com/big.tgz";

struct Setup {
    opts: RunOptions,
    seen: Rc<RefCell<Vec<String>>>,
    aborted: Rc<Cell<bool>>,
    slept: Rc<RefCell<Vec<f64>>>,
    progress: Rc<RefCell<Vec<Progress>>>,
}

fn setup(polls: Option<u32>, body: usize) -> Setup {
    let clock = Rc::new(Cell::new(1000.0));
    let seen = Rc::new(RefCell::new(Vec::new()));
    let aborted = Rc::new(Cell::new(false));
    let slept = Rc::new(RefCell::new(Vec::new()));
    let progress = Rc::new(RefCell::new(Vec::new()));
    let p2 = progress.clone();
    let client = Slow {
        answer: MockHttp::default().with(URL, 200, &vec![7u8; body]),
        polls,
        seen: seen.clone(),
        aborted: aborted.clone(),
    };
    let opts = RunOptions {
        clock: Some(Rc::new(FakeClock(clock.clone()))),
        http: Some(Rc::new(client)),
        sleep: Some(timer(&clock, &slept)),
        on_progress: Some(Rc::new(move |p: &Progress| p2.borrow_mut().push(p.clone()))),
        ..RunOptions::default()
    };
    Setup { opts, seen, aborted, slept, progress }
}

/// The same run, answered synchronously by the mock: the reference.
fn sync_reference(body: usize) -> RunResult {
    let mock = MockHttp::default().with(URL, 200, &vec![7u8; body]);
    load("large-response").invoke(b"{}", &RunOptions { http: Some(Rc::new(mock)), ..RunOptions::default() })
}

#[test]
fn a_suspended_guest_resumes_with_the_response() {
    let s = setup(Some(3), 1024);
    let p = load("large-response");
    let (r, pending) = drive(p.invoke_async(b"{}", &s.opts));
    assert_eq!(r.error, None);
    assert_eq!(String::from_utf8_lossy(&r.output), r#"{"status":200,"bytes":1024}"#);
    // The guest waited: three 50 ms ticks, each reported as progress; a
    // fourth timer was started when the answer came (and dropped). No poll
    // of the call itself returned Pending: this timer answers at once.
    assert_eq!(*s.slept.borrow(), vec![50.0, 50.0, 50.0, 50.0]);
    assert_eq!(pending, 0);
    assert_eq!(s.progress.borrow().len(), 3);
    assert!(s.progress.borrow().windows(2).all(|w| w[1].elapsed_ms > w[0].elapsed_ms), "the meters move while waiting");
    assert_eq!(*s.seen.borrow(), vec![format!("GET {URL}")]);
    assert!(!s.aborted.get());
    // Same output, log and HTTP figures as the synchronous run.
    let reference = sync_reference(1024);
    assert_eq!(r.output, reference.output);
    assert_eq!(
        (r.summary.http_requests, r.summary.http_bytes),
        (reference.summary.http_requests, reference.summary.http_bytes)
    );
    let calls =
        |r: &RunResult| r.log.events.iter().map(|e| (e.call.clone(), e.decision, e.rule.clone())).collect::<Vec<_>>();
    assert_eq!(calls(&r), calls(&reference));
    // The wait is part of the call's wall time.
    assert!(r.summary.wall_ms >= 150.0, "{}", r.summary.wall_ms);
}

#[test]
fn the_size_limit_applies_to_an_async_answer() {
    let s = setup(Some(1), 4096);
    let (r, _) = drive(load("large-response").invoke_async(b"{}", &s.opts));
    assert_eq!(r.error_text(), Some("plugin error: http: request body too large"));
    assert_eq!(r.error, sync_reference(4096).error);
    let ev = r.log.events.iter().rev().find(|e| e.call == "extism:host/env.http_request").expect("event");
    assert_eq!((ev.decision, ev.rule.as_str()), (Decision::Denied, "memory.maxHttpResponseBytes=1024"));
}

#[test]
fn a_request_that_never_answers_ends_at_the_deadline_and_is_abandoned() {
    let mut s = setup(None, 10);
    s.opts.timeout_ms = Some(120);
    let (r, _) = drive(load("large-response").invoke_async(b"{}", &s.opts));
    assert_eq!(r.error_text(), Some("plugin error: module closed with context deadline exceeded"));
    // 50 + 50 + the 20 ms left, then the deadline check.
    assert_eq!(*s.slept.borrow(), vec![50.0, 50.0, 20.0]);
    assert!(s.aborted.get(), "the request was dropped (the browser aborts its fetch)");
    let last = r.log.events.last().expect("events");
    assert_eq!((last.call.as_str(), last.rule.as_str()), ("limit.timeout", "timeout=120ms"));
}

#[test]
fn the_synchronous_api_refuses_an_asynchronous_client() {
    let s = setup(Some(2), 10);
    let opts = RunOptions { sleep: None, ..s.opts.clone() };
    let r = load("large-response").invoke(b"{}", &opts);
    assert_eq!(
        r.error_text(),
        Some(format!("plugin error: {}", chartroom_engine::plugin::future::NOT_SYNCHRONOUS).as_str())
    );
    assert!(s.aborted.get());
}
