//! The Lint pane: `helm lint` of the workspace (the engine's port of
//! Helm's lint rules, run by the render worker with the render's values,
//! namespace and kube version), findings grouped by severity, each linked
//! to its file and line in the editor, and Helm's own output below.

use leptos::prelude::*;

use crate::files::ChartFiles;
use crate::options::Options;
use crate::protocol::{AppError, LintFinding, LintReport, RenderJob, Task, TaskAnswer};
use crate::render_client::{task_failure, RenderOutputs, Renderer};

/// Severities in the order the pane lists them.
const SEVERITIES: [(&str, &str); 3] = [("ERROR", "Errors"), ("WARNING", "Warnings"), ("INFO", "Info")];

/// The findings of one severity, in Helm's order.
pub fn of_severity<'a>(report: &'a LintReport, severity: &str) -> Vec<&'a LintFinding> {
    report.findings.iter().filter(|f| f.severity == severity).collect()
}

/// "N errors, N warnings, N info" for the tab and the summary line.
pub fn counts(report: &LintReport) -> String {
    let n = |s: &str| report.findings.iter().filter(|f| f.severity == s).count();
    format!("{} errors, {} warnings, {} info", n("ERROR"), n("WARNING"), n("INFO"))
}

/// Lints whenever the pane is shown and a render has finished (the
/// workspace or the options changed), and on the strict toggle.
#[component]
pub fn LintPane(
    files: RwSignal<ChartFiles>,
    options: RwSignal<Options>,
    outputs: RenderOutputs,
    renderer: Renderer,
    /// The pane is the one shown (lint only then: it renders the chart again).
    #[prop(into)]
    visible: Signal<bool>,
    /// Opens a workspace file at a line in the editor.
    goto: Callback<(String, Option<u64>)>,
) -> impl IntoView {
    // The report, or why there is none (the worker's failure, its text
    // shown in the report's place).
    let report = RwSignal::new(None::<Result<LintReport, AppError>>);
    let strict = RwSignal::new(false);
    // The newest request wins: an older answer arriving late is dropped.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        if !visible.get() {
            return;
        }
        outputs.shown_seq.track();
        let strict = strict.get();
        let bytes = files.with_untracked(|f| f.to_bytes());
        let job = options.with_untracked(|o| RenderJob::new(0, bytes, o));
        asked.update_value(|n| *n += 1);
        let mine = asked.get_value();
        renderer.task(Task::Lint { job: Box::new(job), strict }, move |a| {
            if asked.get_value() != mine {
                return;
            }
            report.set(Some(match a {
                TaskAnswer::Lint(r) => Ok(r),
                other => Err(task_failure(other)),
            }));
        });
    });
    let finding_view = move |f: LintFinding| {
        let target = f.file.clone();
        let line = f.line;
        let loc = target.as_ref().map(|t| match line {
            Some(l) => format!("{t}:{l}"),
            None => t.clone(),
        });
        view! {
            <li class="lint-finding" data-severity=f.severity.clone() data-file=f.file.clone().unwrap_or_default()
                data-line=f.line.map(|l| l.to_string()).unwrap_or_default()>
                <span class="lint-path">{if f.path.is_empty() { "(chart)".to_string() } else { f.path.clone() }}</span>
                ": "
                <span class="message">{f.message.clone()}</span>
                {loc.map(|loc| view! {
                    <button type="button" class="location" title="Show in editor"
                        on:click=move |_| {
                            if let Some(t) = target.clone() { goto.run((t, line)) }
                        }>{loc}</button>
                })}
            </li>
        }
    };
    view! {
        <div class="lint-pane" id="lint" data-testid="lint">
            <label class="lint-strict">
                <input type="checkbox" id="lint-strict" prop:checked=move || strict.get()
                    on:change=move |ev| strict.set(event_target_checked(&ev)) />
                " --strict (warnings fail the chart)"
            </label>
            {move || match report.get() {
                None => view! { <p class="empty">"Linting…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(r)) => {
                    let failed = r.error.is_some();
                    let summary = counts(&r);
                    let groups = SEVERITIES.iter().filter_map(|(sev, title)| {
                        let items: Vec<LintFinding> = of_severity(&r, sev).into_iter().cloned().collect();
                        (!items.is_empty()).then(|| view! {
                            <section class="lint-group" data-severity=*sev>
                                <h3>{format!("{title} ({})", items.len())}</h3>
                                <ul>{items.into_iter().map(finding_view).collect_view()}</ul>
                            </section>
                        })
                    }).collect_view();
                    view! {
                        <p class="lint-summary" id="lint-summary" data-testid="lint-summary" class:failed=failed>
                            {if failed { "Lint failed: " } else { "Lint passed: " }}{summary}
                        </p>
                        {groups}
                        <details class="lint-output">
                            <summary>"helm lint output"</summary>
                            <pre id="lint-output" data-testid="lint-output">{r.output.clone()}{r.error.clone().map(|e| format!("Error: {e}\n"))}</pre>
                        </details>
                    }.into_any()
                }
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_counts() {
        let f = |s: &str| LintFinding {
            severity: s.into(),
            path: "Chart.yaml".into(),
            message: "m".into(),
            file: None,
            line: None,
        };
        let r = LintReport { findings: vec![f("INFO"), f("ERROR"), f("WARNING"), f("ERROR")], ..LintReport::default() };
        assert_eq!(of_severity(&r, "ERROR").len(), 2);
        assert_eq!(counts(&r), "2 errors, 1 warnings, 1 info");
    }
}
