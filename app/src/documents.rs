//! The Documents pane: `helm template`'s output split into its documents
//! (pure logic, tested natively), each with a Kubernetes schema badge once
//! the check is switched on. The check runs in the render worker
//! (engine/src/kube); the version's schema bundle is fetched on first use.

use leptos::prelude::*;

use crate::files::ChartFiles;
use crate::options::Options;
use crate::protocol::{AppError, KubeAnswer, KubeReport, Task, TaskAnswer};
use crate::render_client::{task_failure, RenderOutputs, Renderer};

/// One document of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The `# Source:` path ("hello-world/templates/service.yaml"), if any.
    pub source: Option<String>,
    /// The document's text without its leading `---` line.
    pub text: String,
    /// Line of the document's text in the manifest (1-based).
    pub line: usize,
}

/// Documents start at a `---` line that is followed by a `# Source:` line
/// (what Helm writes in front of every manifest and hook); a `---` inside a
/// template's output that is not followed by one stays in its document.
pub fn split(manifest: &str) -> Vec<Document> {
    let lines: Vec<&str> = manifest.split_inclusive('\n').collect();
    let mut docs: Vec<Document> = Vec::new();
    let mut cur: Option<Document> = None;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let next = lines.get(i + 1).copied().unwrap_or("");
        if line.trim_end() == "---" && next.starts_with("# Source: ") {
            if let Some(d) = cur.take() {
                docs.push(d);
            }
            let source = next.trim_end_matches(['\n', '\r']).strip_prefix("# Source: ").map(str::to_string);
            cur = Some(Document { source, text: String::new(), line: i + 2 });
            i += 1;
            continue;
        }
        cur.get_or_insert_with(|| Document { source: None, text: String::new(), line: i + 1 }).text.push_str(line);
        i += 1;
    }
    if let Some(d) = cur {
        docs.push(d);
    }
    docs.retain(|d| d.source.is_some() || !d.text.trim().is_empty());
    docs
}

/// What the check says about one pane document: the worst status of the
/// manifest documents in it, and their findings (text, manifest line).
#[derive(Clone, Debug, PartialEq)]
pub struct Badge {
    pub status: &'static str,
    pub findings: Vec<(String, Option<u64>)>,
}

/// The badge of each of `docs` from a report on the same manifest.
pub fn badges(docs: &[Document], report: &KubeReport) -> Vec<Option<Badge>> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let end = docs.get(i + 1).map_or(u64::MAX, |n| n.line as u64);
            let inside: Vec<_> = report.documents.iter().filter(|k| k.line >= d.line as u64 && k.line < end).collect();
            if inside.is_empty() {
                return None;
            }
            let status = if inside.iter().any(|k| k.status == "invalid") {
                "invalid"
            } else if inside.iter().all(|k| k.status == "no-schema") {
                "no-schema"
            } else {
                "valid"
            };
            let findings = inside
                .iter()
                .flat_map(|k| k.findings.iter().map(|(f, l)| (format!("{}: {f}", k.object), l.or(Some(k.line)))))
                .collect();
            Some(Badge { status, findings })
        })
        .collect()
}

/// The chart's (and subcharts') `crds/` files, whose CRDs describe its
/// custom resources.
fn crd_files(files: &ChartFiles) -> Vec<(String, String)> {
    files
        .iter()
        .filter(|f| {
            let p = f.path.as_str();
            (p.starts_with("crds/") || p.contains("/crds/"))
                && (p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
        })
        .filter_map(|f| f.text().map(|t| (f.path.clone(), t.to_string())))
        .collect()
}

/// What a check is run on: (shown_seq, manifest, crds/ files, kube version).
type KubeJob = (u64, String, Vec<(String, String)>, Option<String>);

/// State of the check: on/off and the newest answer, for the render shown.
#[derive(Clone, Copy)]
struct KubeCheck {
    enabled: RwSignal<bool>,
    /// (shown_seq it was made for, the report or why there is none).
    report: RwSignal<Option<(u64, Result<KubeReport, AppError>)>>,
    /// The newest request (id, job): an older answer is dropped, and a
    /// bundle that arrives is used for the newest job.
    latest: StoredValue<(u64, Option<KubeJob>)>,
    /// The minor release whose bundle is being fetched (fetched once).
    fetching: StoredValue<Option<u32>>,
}

impl KubeCheck {
    fn request(self, renderer: Renderer, job: KubeJob) {
        let id = self.latest.with_value(|l| l.0) + 1;
        self.latest.set_value((id, Some(job.clone())));
        self.send(renderer, id, job, None);
    }

    fn send(self, renderer: Renderer, id: u64, job: KubeJob, bundle: Option<String>) {
        let (seq, manifest, crds, kube_version) = job;
        let had_bundle = bundle.is_some();
        renderer.task(Task::KubeValidate { manifest, crds, kube_version, bundle }, move |a| {
            if self.latest.with_value(|l| l.0) != id {
                return;
            }
            match a {
                TaskAnswer::Kube(KubeAnswer::NeedBundle { minor }) if !had_bundle => {
                    if self.fetching.get_value() == Some(minor) {
                        return; // the fetch in flight sends the newest job
                    }
                    // First use of this version: its bundle, then the newest check again.
                    self.fetching.set_value(Some(minor));
                    let url = format!("kube-schemas/v1.{minor}.json");
                    wasm_bindgen_futures::spawn_local(async move {
                        let got = crate::web::fetch_bytes(&url).await.map(|b| String::from_utf8_lossy(&b).into_owned());
                        self.fetching.set_value(None);
                        let (id, job) = self.latest.get_value();
                        let Some(job) = job else { return };
                        match got {
                            Ok(text) => self.send(renderer, id, job, Some(text)),
                            Err(e) => self.report.set(Some((job.0, Err(e.wrap("no Kubernetes schemas: "))))),
                        }
                    });
                }
                TaskAnswer::Kube(KubeAnswer::Report(r)) => self.report.set(Some((seq, Ok(r)))),
                TaskAnswer::Kube(KubeAnswer::Error(e)) => self.report.set(Some((seq, Err(e.into())))),
                TaskAnswer::Kube(KubeAnswer::NeedBundle { minor }) => {
                    let e = AppError::Check(format!("the v1.{minor} schema bundle did not load"));
                    self.report.set(Some((seq, Err(e))))
                }
                other => self.report.set(Some((seq, Err(task_failure(other))))),
            }
        });
    }
}

fn scroll_to_line(line: u64) {
    if let Some(el) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("doc-line-{line}")))
    {
        el.scroll_into_view();
        let _ = el.class_list().add_1("jumped");
    }
}

/// The Documents pane. `visible`: the pane is shown (nothing is built or
/// checked while it is hidden).
#[component]
pub fn DocumentsPane(
    outputs: RenderOutputs,
    renderer: Renderer,
    files: RwSignal<ChartFiles>,
    options: RwSignal<Options>,
    visible: Signal<bool>,
) -> impl IntoView {
    let check = KubeCheck {
        enabled: RwSignal::new(false),
        report: RwSignal::new(None),
        latest: StoredValue::new((0, None)),
        fetching: StoredValue::new(None),
    };
    // A new render (or version) while the check is on: check it.
    Effect::new(move |_| {
        if !visible.get() || !check.enabled.get() {
            return;
        }
        let Some(manifest) = outputs.rendered.with(|r| r.as_ref().map(|r| r.manifest.clone())) else { return };
        let seq = outputs.shown_seq.get();
        let kube_version = options.with(|o| o.kube_version_opt());
        let crds = files.with_untracked(crd_files);
        check.request(renderer, (seq, manifest, crds, kube_version));
    });
    move || {
        if !visible.get() {
            return view! { <p class="empty" hidden=true></p> }.into_any();
        }
        let docs = outputs.rendered.with(|r| r.as_ref().map(|r| split(&r.manifest)).unwrap_or_default());
        let seq = outputs.shown_seq.get();
        let report = check.report.with(|r| r.clone().filter(|(s, _)| *s == seq).map(|(_, r)| r));
        let badges = match &report {
            Some(Ok(r)) => badges(&docs, r),
            _ => vec![None; docs.len()],
        };
        let status = match (check.enabled.get(), &report) {
            (false, _) => String::new(),
            (true, None) => "Checking…".to_string(),
            (true, Some(Ok(r))) => format!("Kubernetes v1.{}: {} ({:.0} ms)", r.minor, r.summary, r.engine_ms),
            (true, Some(Err(e))) => e.to_string(),
        };
        let bar = view! {
            <div class="kube-check">
                <label>
                    <input type="checkbox" data-testid="kube-check"
                        prop:checked=move || check.enabled.get()
                        on:change=move |ev| check.enabled.set(event_target_checked(&ev)) />
                    " Check against the Kubernetes API"
                </label>
                <span class="kube-summary" data-testid="kube-summary">{status}</span>
            </div>
        };
        if docs.is_empty() {
            return view! { {bar} <p class="empty">"No documents."</p> }.into_any();
        }
        let list = docs
            .into_iter()
            .zip(badges)
            .map(|(d, badge)| {
                let flagged: Vec<u64> = badge.iter().flat_map(|b| b.findings.iter().filter_map(|f| f.1)).collect();
                let body = if flagged.is_empty() {
                    view! { <pre>{d.text}</pre> }.into_any()
                } else {
                    // Lines as spans so a finding can scroll to its own.
                    let lines = d
                        .text
                        .split_inclusive('\n')
                        .enumerate()
                        .map(|(i, l)| {
                            let n = (d.line + i) as u64;
                            view! { <span id=format!("doc-line-{n}") class:flagged=flagged.contains(&n)>{l.to_string()}</span> }
                        })
                        .collect_view();
                    view! { <pre>{lines}</pre> }.into_any()
                };
                let head = badge.as_ref().map(|b| {
                    let label = match b.status {
                        "invalid" => "invalid",
                        "no-schema" => "no schema",
                        _ => "valid",
                    };
                    view! { <span class=format!("kube-badge {}", b.status) data-testid="kube-badge">{label}</span> }
                });
                let findings = badge.filter(|b| !b.findings.is_empty()).map(|b| {
                    let items = b
                        .findings
                        .into_iter()
                        .map(|(text, line)| match line {
                            Some(l) => view! {
                                <li><button type="button" class="link" on:click=move |_| scroll_to_line(l)>{format!("line {l}")}</button>" "{text}</li>
                            }
                            .into_any(),
                            None => view! { <li>{text}</li> }.into_any(),
                        })
                        .collect_view();
                    view! { <ul class="kube-findings" data-testid="kube-findings">{items}</ul> }
                });
                view! {
                    <article class="document">
                        <h3 class="source">{d.source.clone().unwrap_or_else(|| "(no # Source)".into())}{head}</h3>
                        {findings}
                        {body}
                    </article>
                }
            })
            .collect_view();
        view! { {bar} {list} }.into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_source_headers_only() {
        let m =
            "---\n# Source: c/templates/a.yaml\nkind: A\n---\nkind: A2\n---\n# Source: c/templates/b.yaml\nkind: B\n";
        let d = split(m);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].source.as_deref(), Some("c/templates/a.yaml"));
        assert_eq!(d[0].text, "# Source: c/templates/a.yaml\nkind: A\n---\nkind: A2\n");
        assert_eq!(d[1].text, "# Source: c/templates/b.yaml\nkind: B\n");
        // Concatenating the documents back gives the manifest.
        let joined: String = d.iter().map(|d| format!("---\n{}", d.text)).collect();
        assert_eq!(joined, m);
    }

    #[test]
    fn badges_take_the_worst_status_of_their_documents() {
        use crate::protocol::KubeDocument;
        let m = "---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/templates/b.yaml\nkind: B\n---\nkind: B2\n---\n# Source: c/templates/c.yaml\nkind: C\n";
        let d = split(m);
        assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), [2, 5, 10]);
        let doc = |line, status: &str, findings: Vec<(String, Option<u64>)>| KubeDocument {
            line,
            object: "K/n".into(),
            status: status.into(),
            findings,
        };
        let r = KubeReport {
            minor: 36,
            summary: String::new(),
            engine_ms: 0.0,
            documents: vec![
                doc(2, "valid", vec![]),
                doc(5, "valid", vec![]),
                doc(8, "invalid", vec![("spec: unknown field".into(), Some(8)), ("kind missing".into(), None)]),
            ],
        };
        let b = badges(&d, &r);
        assert_eq!(b[0], Some(Badge { status: "valid", findings: vec![] }));
        assert_eq!(
            b[1],
            Some(Badge {
                status: "invalid",
                findings: vec![("K/n: spec: unknown field".into(), Some(8)), ("K/n: kind missing".into(), Some(8))]
            })
        );
        assert_eq!(b[2], None);
    }

    #[test]
    fn empty_output_has_no_documents() {
        assert!(split("\n").is_empty());
        assert!(split("").is_empty());
    }
}
