//! The file list as a tree: folder rows inserted before the files they
//! hold, each row with its depth (pure logic over paths in tree order:
//! `ChartFiles` keeps that order, in each folder files before subfolders),
//! and the `FileTree` component that shows it.

use leptos::ev;
use leptos::prelude::*;

use crate::files::is_template;
use crate::options::{values_key, MOCK_CLUSTER_KEY};
use crate::store::{use_store, Action, Store};

/// One row of the file tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Nesting depth (0 at the chart root).
    pub depth: usize,
    /// The folder ("charts/sub") or file path.
    pub path: String,
    /// What the row shows: the last path part ("sub/", "x.yaml").
    pub label: String,
    pub folder: bool,
}

/// Rows for `paths` (already in tree order): a folder row each time a
/// folder is entered.
pub fn rows(paths: &[String]) -> Vec<Row> {
    let mut out = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        let (dirs, name) = parts.split_at(parts.len().saturating_sub(1));
        let same = open.iter().zip(dirs.iter()).take_while(|(a, b)| a == b).count();
        open.truncate(same);
        for (i, d) in dirs.iter().enumerate().skip(same) {
            open.push(d);
            out.push(Row { depth: i, path: dirs[..=i].join("/"), label: format!("{d}/"), folder: true });
        }
        out.push(Row {
            depth: dirs.len(),
            path: path.clone(),
            label: name.first().copied().unwrap_or_default().to_string(),
            folder: false,
        });
    }
    out
}

/// The rows left when the folders in `collapsed` are folded: their own
/// row stays, everything inside them is hidden.
pub fn visible(rows: Vec<Row>, collapsed: &std::collections::BTreeSet<String>) -> Vec<Row> {
    let inside = |path: &str| {
        collapsed.iter().any(|c| {
            path.len() > c.len() && path.starts_with(c.as_str()) && path.as_bytes().get(c.len()) == Some(&b'/')
        })
    };
    rows.into_iter().filter(|r| !inside(&r.path)).collect()
}

/// A form adding a file by name: a labelled field and an "Add" button; the
/// field empties once the store accepts the file.
#[component]
fn AddFileForm(
    label: &'static str,
    field_id: &'static str,
    button_id: &'static str,
    placeholder: &'static str,
    #[prop(optional)] button_aria: Option<&'static str>,
    action: fn(String) -> Action,
    hidden: bool,
) -> impl IntoView {
    let store = use_store();
    let field = RwSignal::new(String::new());
    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if store.dispatch(action(field.get_untracked())) {
            field.set(String::new());
        }
    };
    view! {
        <form class="add-file" on:submit=on_submit hidden=hidden>
            <label for=field_id>{label}</label>
            <div class="row">
                <input id=field_id data-testid=field_id type="text" spellcheck="false" placeholder=placeholder
                    prop:value=move || field.get()
                    on:input=move |ev| field.set(event_target_value(&ev)) />
                <button id=button_id data-testid=button_id type="submit" aria-label=button_aria>"Add"</button>
            </div>
        </form>
    }
}

/// The file list: the chart's files as a tree (folders fold), the values
/// files (`-f`, in order), the mock cluster and the plugin, with forms to
/// add templates, files and values files.
#[component]
pub fn FileTree() -> impl IntoView {
    let store = use_store();
    let Store { files, options, selected, file_msg, outputs, is_embed, readonly, .. } = store;
    // Folded folders (not saved: a view setting).
    let collapsed = RwSignal::new(std::collections::BTreeSet::<String>::new());
    view! {
        <nav class="files" aria-label="Chart files" hidden=is_embed && readonly>
            <h2 id="files-heading">"Files"</h2>
            <ul id="file-list" aria-labelledby="files-heading">
                <For each=move || collapsed.with(|c| files.with(|f| visible(rows(&f.paths()), c))) key=|r| (r.folder, r.path.clone()) let:row>
                    {
                        let indent = format!("--depth: {}", row.depth);
                        if row.folder {
                            let p_open = row.path.clone();
                            let p_toggle = row.path.clone();
                            view! {
                                <li class="folder" style=indent data-folder=row.path.clone()>
                                    <button type="button" class="folder-name" title=row.path.clone()
                                        data-testid=format!("folder-{}", row.path)
                                        aria-label=format!("folder {}", row.path)
                                        aria-expanded=move || collapsed.with(|c| (!c.contains(&p_open)).to_string())
                                        on:click=move |_| collapsed.update(|c| if !c.remove(&p_toggle) { c.insert(p_toggle.clone()); })>
                                        {row.label.clone()}
                                    </button>
                                </li>
                            }.into_any()
                        } else {
                            let path = row.path.clone();
                            let p_click = path.clone();
                            let p_cur = path.clone();
                            let p_cls = path.clone();
                            let binary = files.with_untracked(|f| f.get(&path).is_some_and(|x| x.is_binary()));
                            view! {
                                <li class:template=is_template(&path) class:binary=binary style=indent>
                                    <button type="button" class="file"
                                        class:selected=move || selected.with(|s| *s == p_cls)
                                        data-testid=format!("file-{path}")
                                        data-path=path.clone()
                                        title=path.clone()
                                        aria-label=path.clone()
                                        aria-current=move || selected.with(|s| (*s == p_cur).then_some("true"))
                                        on:click=move |_| { store.dispatch(Action::Select(p_click.clone())); }>
                                        {row.label.clone()}
                                        {
                                            // Issue 15: line coverage of the template in the shown render.
                                            let p_cov = path.clone();
                                            move || outputs.rendered.with(|r| crate::render_trace::file_coverage(r, &p_cov)).map(|(pct, why)| view! {
                                                <span class="cov" title=why data-testid=format!("cov-{p_cov}")>{pct}</span>
                                            })
                                        }
                                    </button>
                                </li>
                            }.into_any()
                        }
                    }
                </For>
            </ul>
            <AddFileForm label="New template" field_id="new-file-name" button_id="add-file"
                placeholder="configmap.yaml" action=Action::AddTemplate hidden=readonly />
            <AddFileForm label="New file (path from the chart root)" field_id="new-path" button_id="add-path"
                placeholder="charts/sub/Chart.yaml" button_aria="Add the file" action=Action::AddFile hidden=readonly />
            <h2 id="values-heading">"Values files (-f, in order)"</h2>
            <ul id="values-list" aria-labelledby="values-heading">
                <For each=move || options.with(|o| o.values_files.iter().map(|v| v.name.clone()).collect::<Vec<_>>()) key=|n| n.clone() let:name>
                    {
                        let key = values_key(&name);
                        let k_click = key.clone();
                        let k_cls = key.clone();
                        view! {
                            <li>
                                <button type="button" class="file"
                                    class:selected=move || selected.with(|s| *s == k_cls)
                                    data-testid=format!("file-{key}")
                                    aria-label=format!("values file {name}")
                                    on:click=move |_| { store.dispatch(Action::Select(k_click.clone())); }>{format!("-f {name}")}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <AddFileForm label="New values file" field_id="new-values-name" button_id="add-values"
                placeholder="prod.yaml" action=Action::AddValuesFile hidden=readonly />
            <h2 id="cluster-heading">"Cluster (lookup)"</h2>
            <ul id="cluster-list" aria-labelledby="cluster-heading">
                <li>
                    <button type="button" class="file" data-testid="file--mock-cluster" id="open-mock-cluster"
                        class:selected=move || selected.with(|s| s == MOCK_CLUSTER_KEY)
                        aria-label="mock cluster: objects lookup finds"
                        on:click=move |_| { store.dispatch(Action::Select(MOCK_CLUSTER_KEY.to_string())); }>
                        {move || if options.with(|o| o.mock_cluster_opt().is_some()) { "mock cluster (on)" } else { "mock cluster (empty)" }}
                    </button>
                </li>
            </ul>
            {crate::plugin_panel::plugin_file_entry(options, selected)}
            <p id="file-error" class="file-error" role="alert">{move || file_msg.get()}</p>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::ChartFiles;

    fn show(rows: &[Row]) -> Vec<String> {
        rows.iter().map(|r| format!("{}{}", "  ".repeat(r.depth), r.label)).collect()
    }

    #[test]
    fn folders_appear_once_before_their_files() {
        let f = ChartFiles::from_pairs([
            ("Chart.yaml", ""),
            ("templates/a.yaml", ""),
            ("templates/tests/t.yaml", ""),
            ("charts/sub/Chart.yaml", ""),
            ("charts/sub/templates/x.yaml", ""),
            ("charts/other-1.0.0.tgz", ""),
            ("files/img/logo.png", ""),
        ]);
        let rows = rows(&f.paths());
        assert_eq!(
            show(&rows),
            [
                "Chart.yaml",
                "templates/",
                "  a.yaml",
                "  tests/",
                "    t.yaml",
                "charts/",
                "  other-1.0.0.tgz",
                "  sub/",
                "    Chart.yaml",
                "    templates/",
                "      x.yaml",
                "files/",
                "  img/",
                "    logo.png",
            ]
        );
        let folder = rows.iter().find(|r| r.label == "templates/" && r.depth == 2);
        assert_eq!(folder.map(|r| r.path.as_str()), Some("charts/sub/templates"));
        assert!(rows.iter().filter(|r| !r.folder).all(|r| f.contains(&r.path)));

        // Folding charts/sub hides what is inside it, not "charts/sub-2" nor the folder row.
        let folded: std::collections::BTreeSet<String> = ["charts/sub".to_string()].into();
        let mut paths = f.paths();
        paths.push("charts/sub-2/Chart.yaml".into());
        let shown = show(&visible(super::rows(&paths), &folded));
        assert!(shown.contains(&"  sub/".to_string()));
        assert!(!shown.iter().any(|l| l.trim() == "x.yaml" || l.trim() == "templates/" && l.starts_with("    ")));
        assert!(shown.contains(&"  sub-2/".to_string()));
        assert_eq!(shown.len(), show(&super::rows(&paths)).len() - 3);
    }
}
