//! A render frees everything it created (issue 19: the template_ast fuzz
//! target ran out of memory after 90,573 inputs, each of which passes
//! alone). The page's worker renders on every keystroke in one process, so
//! memory a render keeps is a leak there too. A counting global allocator
//! measures the bytes still allocated after repeated renders of the same
//! chart: after a warm-up (memos and caches filled), further renders must
//! not add any.

use std::collections::BTreeMap;

use chartroom_engine::api::{render_templates, RenderRequest};
use chartroom_engine::chart;

#[path = "kit/thread_alloc.rs"]
mod thread_alloc;
use thread_alloc::current;

#[path = "kit/rss.rs"]
mod rss;
use rss::{rss_peak, rss_reset};

fn load(values: &str, template: &str) -> chart::Chart {
    let mut files = BTreeMap::new();
    files.insert("Chart.yaml".to_string(), b"apiVersion: v2\nname: c\nversion: 0.1.0\n".to_vec());
    files.insert("values.yaml".to_string(), values.as_bytes().to_vec());
    files.insert("templates/t.txt".to_string(), template.as_bytes().to_vec());
    chart::load_files(&files).expect("chart loads")
}

fn request() -> RenderRequest {
    RenderRequest { max_steps: Some(50_000), seed: Some(1), now_unix_nanos: Some(0), ..RenderRequest::default() }
}

fn render(values: &str, template: &str) {
    let _ = render_templates(&load(values, template), &request());
}

/// Bytes still allocated per render, after `warm` renders, over `n` more.
fn kept_per_render(values: &str, template: &str) -> isize {
    for _ in 0..3 {
        render(values, template);
    }
    let before = current();
    let n = 20;
    for _ in 0..n {
        render(values, template);
    }
    (current() - before) / n
}

/// Templates whose values end up holding themselves: a Go map is a
/// reference, so `set $d "k" $d` makes a map that contains itself (Go's
/// garbage collector frees it; reference counts alone never reach zero).
const CASES: &[(&str, &str, &str)] = &[
    ("plain render", "a: 1\n", "{{ $d := dict \"a\" (list 1 2) }}{{ toYaml $d }}{{ .Values.a }}"),
    ("map holding itself", "", "{{ $d := dict }}{{ $_ := set $d \"k\" $d }}{{ len $d }}"),
    (
        "map and list holding each other",
        "",
        "{{ $d := dict }}{{ $l := list $d }}{{ $_ := set $d \"l\" $l }}{{ len $d }}",
    ),
    ("two maps holding each other", "", "{{ $a := dict }}{{ $b := dict \"a\" $a }}{{ $_ := set $a \"b\" $b }}x"),
    ("merge into itself", "", "{{ $a := dict \"x\" 1 }}{{ $b := dict \"a\" $a }}{{ $_ := merge $a $b }}x"),
    ("values holding themselves", "a: 1\n", "{{ $_ := set .Values \"self\" .Values }}{{ .Values.a }}"),
    ("root holding itself", "", "{{ $_ := set .Values \"root\" $ }}x"),
    ("cycle in a loop", "", "{{ range until 50 }}{{ $d := dict }}{{ $_ := set $d \"k\" (list $d) }}{{ end }}x"),
    ("cycle then an error", "", "{{ $d := dict }}{{ $_ := set $d \"k\" $d }}{{ fail \"stop\" }}"),
];

#[test]
fn renders_free_what_they_create() {
    let mut leaks = Vec::new();
    for (name, values, template) in CASES {
        let kept = kept_per_render(values, template);
        eprintln!("{name}: {kept} bytes kept per render");
        if kept > 0 {
            leaks.push(format!("{name}: {kept} bytes per render ({template})"));
        }
    }
    assert!(leaks.is_empty(), "renders keep memory:\n{}", leaks.join("\n"));
}

/// Freeing a render's cycles never empties what is still in use: the
/// caller's chart (its values, which every render copies and then ties
/// into cycles), rendered again and again, gives the same output each time.
#[test]
fn the_callers_chart_stays_whole() {
    let ch = load(
        "a:\n  b: 1\nl: [1, 2]\n",
        "{{ $_ := set .Values.a \"self\" .Values.a }}{{ $_ := set .Values \"root\" $ }}\
         {{ $l := list .Values .Values.l }}{{ $_ := set .Values \"l2\" $l }}\
         {{ .Values.a.b }}-{{ len .Values.l }}-{{ len .Values.l2 }}",
    );
    let values_before = format!("{:?}", ch.values);
    for i in 0..3 {
        let (files, _) = render_templates(&ch, &request()).expect("renders");
        assert_eq!(files.get("c/templates/t.txt").map(String::as_str), Some("1-2-2"), "render {i}");
    }
    assert_eq!(format!("{:?}", ch.values), values_before, "the chart's values after three renders");
}

/// What a render holds includes the native stack it grows: the template_ast
/// fuzz target's process passed libFuzzer's 2 GiB RSS limit (issue 19)
/// although its resident memory between inputs stayed at 190–235 MB and
/// each render had an 8 MiB budget — `template` recursion to Go's 100,000
/// levels inside nested blocks grew hundreds of MiB of stack segments that
/// no budget counted (freed on return, but the peak is what kills a
/// process). Each segment is now charged while it is in use, so such a
/// render ends at its budget, and renders in a row peak near it.
#[test]
fn deep_recursion_stays_within_the_memory_budget() {
    const BUDGET: u64 = 32 << 20;
    let template =
        "{{ define \"x\" }}{{ if 1 }}{{ with . }}{{ range 1 }}{{ template \"x\" $ }}{{ end }}{{ end }}{{ end }}\
                    {{ end }}{{ template \"x\" . }}";
    // An ordinary thread stack, as in the page's native twin and the tests.
    let peak = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let ch = load("", template);
            let base = rss_reset();
            for i in 0..3 {
                let req = RenderRequest { max_memory: Some(BUDGET), ..request() };
                let err = render_templates(&ch, &req).expect_err("the recursion ends at the budget");
                assert!(
                    err.message.contains("bytes of stack and values (memory budget"),
                    "render {i}: {}",
                    err.message
                );
            }
            rss_peak().zip(base).map(|(p, b)| p.saturating_sub(b))
        })
        .expect("thread")
        .join()
        .expect("no panic");
    let Some(peak) = peak else {
        eprintln!("no /proc/self/status: peak RSS not checked");
        return;
    };
    eprintln!("three renders: peak RSS {} MiB above the start (budget {} MiB)", peak >> 20, BUDGET >> 20);
    // The budget, one stack segment (16 MiB) past it, and the allocator's slack.
    assert!(peak as u64 <= BUDGET + (24 << 20), "peak RSS {} MiB for a {} MiB budget", peak >> 20, BUDGET >> 20);
}
