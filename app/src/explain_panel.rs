//! The Explain panel (issue 15): template coverage per file (actions that
//! ran, branches taken, lines that never ran), the merged values with the
//! origin of each leaf, and the values no template read — from the worker's
//! traced render (`protocol::ExplainInfo`).

use leptos::prelude::*;

use crate::options::values_key;
use crate::protocol::{ExplainInfo, FileCoverageInfo};
use crate::render_trace::percent;
use crate::store::{use_store, Action, Store};

fn coverage_row(c: FileCoverageInfo) -> impl IntoView {
    let missed = c.missed.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    view! {
        <tr>
            <td class="file">{c.file}</td>
            <td title=format!("{} of {} lines holding an action ran", c.lines_hit, c.lines)>{percent(c.lines_hit, c.lines)}</td>
            <td title=format!("{} of {} branches taken", c.branches_taken, c.branches)>{percent(c.branches_taken, c.branches)}</td>
            <td class="missed">{missed}</td>
        </tr>
    }
}

/// What an origin (as `values_origin` names it) points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OriginTarget {
    /// A chart file (`values.yaml`, `charts/redis/values.yaml`), at a line.
    ChartFile { path: String, line: Option<u64> },
    /// A `-f` values file by name, at a line.
    ValuesFile { name: String, line: Option<u64> },
    /// A line of a `--set`-family option: the options bar field's id
    /// (`set`, `set-string`, …) and the line (`image.tag=1.2`).
    OptionLine { id: &'static str, line: String },
}

/// `name:12` → (`name`, 12); a name without a line stays whole.
fn with_line(s: &str) -> (String, Option<u64>) {
    match s.rsplit_once(':') {
        Some((name, l)) if !name.is_empty() && l.parse::<u64>().is_ok() => (name.to_string(), l.parse().ok()),
        _ => (s.to_string(), None),
    }
}

/// Where `origin` leads: `values.yaml:12`, `charts/redis/values.yaml:40`,
/// `-f prod.yaml:7`, `--set image.tag=1.2`, `global from values.yaml:3`,
/// `import-values from charts/sub` (the subchart's values.yaml). None for
/// what has no place to open (`global (made by Helm)`).
pub fn origin_target(origin: &str) -> Option<OriginTarget> {
    let origin = origin.strip_prefix("global from ").unwrap_or(origin);
    // Longest flag first: `--set` is a prefix of the others.
    for (flag, id) in [
        ("--set-string ", "set-string"),
        ("--set-json ", "set-json"),
        ("--set-literal ", "set-literal"),
        ("--set-file ", "set-file"),
        ("--set ", "set"),
    ] {
        if let Some(line) = origin.strip_prefix(flag) {
            return Some(OriginTarget::OptionLine { id, line: line.to_string() });
        }
    }
    if let Some(f) = origin.strip_prefix("-f ") {
        let (name, line) = with_line(f);
        return Some(OriginTarget::ValuesFile { name, line });
    }
    if let Some(dep) = origin.strip_prefix("import-values from ") {
        return Some(OriginTarget::ChartFile { path: format!("{dep}/values.yaml"), line: None });
    }
    if origin.is_empty() || origin.contains(' ') {
        return None;
    }
    let (path, line) = with_line(origin);
    Some(OriginTarget::ChartFile { path, line })
}

/// Opens what an origin points at: its file at its line in the editor, or
/// its line in the options bar.
fn open_origin(store: Store, target: OriginTarget) {
    match target {
        OriginTarget::ChartFile { path, line } => {
            if store.files.with_untracked(|f| f.contains(&path)) {
                store.dispatch(Action::OpenAt { key: path, line });
            }
        }
        OriginTarget::ValuesFile { name, line } => {
            if store.options.with_untracked(|o| o.values_text(&name).is_some()) {
                store.dispatch(Action::OpenAt { key: values_key(&name), line });
            }
        }
        OriginTarget::OptionLine { id, line } => {
            store.dispatch(Action::FocusOptionLine { id, line });
        }
    }
}

/// The hover text of a leaf: its value, where it came from, what it overrode.
fn origin_tip(path: &str, value: &str, origin: &str, overrode: &[String], unused: bool) -> String {
    let mut tip = format!("{path}: {value} ← {}", if origin.is_empty() { "(unknown)" } else { origin });
    if !overrode.is_empty() {
        tip.push_str(&format!(" (overrode {})", overrode.join(", ")));
    }
    if unused {
        tip.push_str(" — no template read this value");
    }
    tip
}

fn explain_view(store: Store, e: ExplainInfo) -> impl IntoView {
    let unused: std::collections::HashSet<String> = e.unused.iter().cloned().collect();
    let unused_list = e.unused.clone();
    let overrode = e.overrode;
    // Without the origins (the render was made while the panel was closed)
    // the table waits for the render the panel's opening asked for.
    let explained = e.values_explained;
    view! {
        <h3>"Template coverage"</h3>
        <table class="explain-coverage" data-testid="explain-coverage">
            <thead><tr><th>"template"</th><th>"lines"</th><th>"branches"</th><th>"lines never run"</th></tr></thead>
            <tbody>{e.coverage.into_iter().map(coverage_row).collect_view()}</tbody>
        </table>
        <h3>"Values and where they came from"</h3>
        {(!explained).then(|| view! {
            <p class="explain-help" data-testid="explain-values-pending">"Working out where each value came from…"</p>
        })}
        <p class="explain-help" hidden=!explained>"Hover a value for its origin; click an origin to open its file at its line (or its --set line)."</p>
        <table class="explain-values" data-testid=if explained { "explain-values" } else { "explain-values-later" } hidden=!explained>
            <thead><tr><th>"path"</th><th>"value"</th><th>"origin"</th><th class="tip"></th></tr></thead>
            <tbody>
                {e.origins.into_iter().enumerate().map(|(i, (path, value, origin))| {
                    let is_unused = unused.contains(&path);
                    let tip = origin_tip(&path, &value, &origin, overrode.get(i).map(Vec::as_slice).unwrap_or_default(), is_unused);
                    let target = origin_target(&origin);
                    let path_attr = path.clone();
                    let origin_cell = match target {
                        Some(t) => view! {
                            <button type="button" class="origin-link" title="Open where this value was set"
                                on:click=move |_| open_origin(store, t.clone())>{origin}</button>
                        }.into_any(),
                        None => view! { <span>{origin}</span> }.into_any(),
                    };
                    view! {
                        <tr class:unused=is_unused data-path=path_attr>
                            <td class="path">{path}</td>
                            <td class="value">{value}</td>
                            <td class="origin">{origin_cell}</td>
                            // Shown while the row is hovered (style.css).
                            <td class="tip"><span class="origin-tip" role="tooltip" data-testid="origin-tip">{tip}</span></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <h3>{format!("Unused values ({})", unused_list.len())}</h3>
        <ul class="explain-unused" data-testid="explain-unused">
            {unused_list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
        </ul>
    }
}

/// A collapsible panel under the output panes.
#[component]
pub fn ExplainPanel() -> impl IntoView {
    let store = use_store();
    let rendered = store.outputs.rendered;
    // The tables (a row per value: thousands for a big chart) are built
    // only while the panel is open; a closed panel costs a render nothing.
    let open = RwSignal::new(false);
    view! {
        <details class="explain" data-testid="explain"
            on:toggle=move |e| {
                let now = event_target::<web_sys::Element>(&e).has_attribute("open");
                if open.get_untracked() != now {
                    open.set(now);
                    store.renderer.explain_values(now);
                }
            }>
            // The click comes before the toggle event: the tables are
            // there by the time the panel opens. The values' origins are
            // worked out only while the panel is open (a render asks for
            // them then: render_client.rs, explain_values).
            <summary on:click=move |_| if !open.get_untracked() {
                open.set(true);
                store.renderer.explain_values(true);
            }>
                "Explain: template coverage and values origins"
            </summary>
            {move || match open.get().then(|| rendered.with(|r| r.as_ref().and_then(|r| r.explain.clone()))) {
                None => ().into_any(),
                Some(Some(e)) => explain_view(store, e).into_any(),
                Some(None) => view! { <p class="empty">"Nothing rendered yet."</p> }.into_any(),
            }}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::{origin_target, OriginTarget};

    #[test]
    fn origins_lead_to_their_file_line_or_option() {
        let chart = |p: &str, l| Some(OriginTarget::ChartFile { path: p.into(), line: l });
        assert_eq!(origin_target("values.yaml:12"), chart("values.yaml", Some(12)));
        assert_eq!(origin_target("charts/redis/values.yaml:40"), chart("charts/redis/values.yaml", Some(40)));
        assert_eq!(origin_target("global from values.yaml:3"), chart("values.yaml", Some(3)));
        assert_eq!(origin_target("import-values from charts/sub"), chart("charts/sub/values.yaml", None));
        assert_eq!(
            origin_target("-f prod.yaml:7"),
            Some(OriginTarget::ValuesFile { name: "prod.yaml".into(), line: Some(7) })
        );
        assert_eq!(
            origin_target("--set image.tag=1.2"),
            Some(OriginTarget::OptionLine { id: "set", line: "image.tag=1.2".into() })
        );
        assert_eq!(
            origin_target("--set-json a={\"b\": 1}"),
            Some(OriginTarget::OptionLine { id: "set-json", line: "a={\"b\": 1}".into() })
        );
        assert_eq!(origin_target("global (made by Helm)"), None);
        assert_eq!(origin_target(""), None);
    }
}
