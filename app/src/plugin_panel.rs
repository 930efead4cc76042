//! The Plugins pane: choose a bundled example plugin or upload one, edit
//! plugin.yaml, pick the profile and a fuel budget, mock HTTP answers; then
//! the limits in force, live meters, the capability log, stdio, the error
//! and the post-renderer's output as a diff against its input. The state
//! lives in `Options::plugin` (autosave, share links); the logic is in
//! `plugin_state` (tested natively).

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

// Only the profile's names: plugin.yaml is parsed, its limits computed and
// plugin.wasm hashed by the render worker (`outputs.plugin_info`, tasks).
use chartroom_engine::plugin::limits::Profile;

use crate::options::{Options, PLUGIN_YAML_KEY};
use crate::plugin_state::{self, bytes_text, line_diff, percent, DiffLine, PluginSettings, BUNDLED};
use crate::protocol::{PluginProgress, PluginReport, Task, TaskAnswer};
use crate::render_client::{task_failure, RenderOutputs, Renderer};

/// Where the bundled examples are served from (trunk copies public/plugins).
fn bundled_url(name: &str, file: &str) -> String {
    format!("plugins/{name}/{file}")
}

async fn read_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buf = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// A log cell's text with line-break opportunities (<wbr>) after the
/// separators of call names, URLs and rules (`extism:host/env.http_request`,
/// `memory.maxPages=64`), so narrow columns wrap there and not mid-word.
fn breakable(text: &str) -> Vec<AnyView> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '/' | ':' | '=' | ',' | '_' | '&' | '?') {
            let end = i + c.len_utf8();
            out.push(text[start..end].to_string().into_any());
            out.push(view! { <wbr /> }.into_any());
            start = end;
        }
    }
    out.push(text[start..].to_string().into_any());
    out
}

/// One meter: a bar and "used / limit".
fn meter(id: &'static str, label: &'static str, used: f64, limit: Option<f64>, text: String) -> impl IntoView {
    let pct = percent(used, limit);
    let full = pct >= 99.9;
    view! {
        <div class="meter" id=id data-testid=id data-used=used.to_string() data-limit=limit.map(|l| l.to_string()).unwrap_or_default()>
            <span class="meter-label">{label}</span>
            <span class="meter-bar" aria-hidden="true"><span class="meter-fill" class:full=full style=format!("width: {pct:.1}%")></span></span>
            <span class="meter-text">{text}</span>
        </div>
    }
}

#[component]
pub fn PluginPanel(
    options: RwSignal<Options>,
    outputs: RenderOutputs,
    plugin_wasm: RwSignal<Option<Arc<Vec<u8>>>>,
    renderer: Renderer,
    /// The editor's selection (plugin.yaml opens in the code editor).
    selected: RwSignal<String>,
) -> impl IntoView {
    let settings = move || options.with(|o| o.plugin.clone());
    let message = RwSignal::new(None::<String>);
    let hash_warning = RwSignal::new(None::<String>);
    // Which bundled plugin's wasm is in `plugin_wasm` (avoids refetching).
    let loaded = StoredValue::new(String::new());

    // A bundled plugin named by the settings (chosen here, or from a link or
    // the autosave): fetch its wasm and check the link's hash.
    Effect::new(move |_| {
        let (name, want) = options.with(|o| (o.plugin.bundled.clone(), o.plugin.clone()));
        if name.is_empty() {
            if !loaded.get_value().is_empty() {
                loaded.set_value(String::new());
                plugin_wasm.set(None);
            }
            hash_warning.set(None);
            return;
        }
        if loaded.get_value() == name {
            return;
        }
        loaded.set_value(name.clone());
        leptos::task::spawn_local(async move {
            match crate::web::fetch_bytes(&bundled_url(&name, "plugin.wasm")).await {
                Ok(bytes) => {
                    if !want.sha256.is_empty() {
                        renderer.task(Task::Sha256 { bytes: bytes.clone() }, move |a| {
                            if let TaskAnswer::Sha256(h) = a {
                                hash_warning.set(want.hash_mismatch(&h));
                            }
                        });
                    } else {
                        hash_warning.set(None);
                    }
                    plugin_wasm.set(Some(Arc::new(bytes)));
                }
                Err(e) => {
                    loaded.set_value(String::new());
                    message.set(Some(format!("The bundled plugin \"{name}\" could not be loaded: {e}")));
                }
            }
        });
    });

    let choose_bundled = move |name: String| {
        message.set(None);
        if name.is_empty() {
            options.update(|o| {
                let old = std::mem::take(&mut o.plugin);
                o.plugin = PluginSettings {
                    profile: old.profile,
                    fuel_budget: old.fuel_budget,
                    mock_http: old.mock_http,
                    ..Default::default()
                };
            });
            return;
        }
        leptos::task::spawn_local(async move {
            let yaml = crate::web::fetch_bytes(&bundled_url(&name, "plugin.yaml")).await;
            let wasm = crate::web::fetch_bytes(&bundled_url(&name, "plugin.wasm")).await;
            match (yaml, wasm) {
                (Ok(yaml), Ok(wasm)) => {
                    // The hash (kept in links) comes from the worker.
                    renderer.task(Task::Sha256 { bytes: wasm.clone() }, move |a| {
                        let sha256 = match a {
                            TaskAnswer::Sha256(h) => h,
                            other => {
                                return message.set(Some(format!(
                                    "The bundled plugin \"{name}\" could not be loaded: {}",
                                    task_failure(other)
                                )))
                            }
                        };
                        let mut s = PluginSettings::bundled(&name, &String::from_utf8_lossy(&yaml), sha256);
                        loaded.set_value(name.clone());
                        hash_warning.set(None);
                        plugin_wasm.set(Some(Arc::new(wasm)));
                        options.update(|o| {
                            s.profile = o.plugin.profile.clone();
                            s.fuel_budget = o.plugin.fuel_budget.clone();
                            s.mock_http = o.plugin.mock_http.clone();
                            o.plugin = s;
                        });
                    });
                }
                (Err(e), _) | (_, Err(e)) => {
                    message.set(Some(format!("The bundled plugin \"{name}\" could not be loaded: {e}")))
                }
            }
        });
    };

    let on_upload = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(list) = input.files() else { return };
        let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        input.set_value("");
        leptos::task::spawn_local(async move {
            let mut yaml = None;
            let mut wasm = None;
            for f in &files {
                let name = f.name();
                if name.ends_with(".wasm") {
                    wasm = read_file(f).await;
                } else if name.ends_with(".yaml") || name.ends_with(".yml") {
                    yaml = read_file(f).await.map(|b| String::from_utf8_lossy(&b).into_owned());
                }
            }
            // Only a wasm: keep the plugin.yaml being edited.
            let yaml =
                yaml.or_else(|| options.with_untracked(|o| (!o.plugin.yaml.is_empty()).then(|| o.plugin.yaml.clone())));
            match (yaml, wasm) {
                (Some(yaml), Some(wasm)) => {
                    let mut s = PluginSettings::uploaded(&yaml, &wasm);
                    loaded.set_value(String::new());
                    hash_warning.set(None);
                    plugin_wasm.set(None);
                    options.update(|o| {
                        s.profile = o.plugin.profile.clone();
                        s.fuel_budget = o.plugin.fuel_budget.clone();
                        s.mock_http = o.plugin.mock_http.clone();
                        o.plugin = s;
                    });
                    let size = bytes_text(wasm_len(options));
                    renderer.task(Task::PluginInfo { yaml }, move |a| {
                        let info = match a {
                            TaskAnswer::PluginInfo(i) => Some(i),
                            _ => None,
                        };
                        let name = options.with_untracked(|o| o.plugin.name(info.as_ref()));
                        message.set(Some(format!("Uploaded plugin \"{name}\" ({size}).")));
                    });
                }
                (None, _) => message.set(Some("Choose a plugin.yaml and a plugin.wasm (both at once).".into())),
                (_, None) => message.set(Some("Choose a plugin.wasm (with its plugin.yaml).".into())),
            }
        });
    };

    let set = move |f: fn(&mut PluginSettings, String), v: String| options.update(|o| f(&mut o.plugin, v));
    let report = move || outputs.plugin.get();
    let info = outputs.plugin_info;
    // cli/v1 and getter/v1 plugins run on demand (Run), not with every render.
    let is_cli =
        move || info.with(|i| options.with(|o| matches!(o.plugin.plugin_type(i.as_ref()), "cli/v1" | "getter/v1")));

    let limits_view = move || {
        let s = settings();
        let i = info.get();
        let i = s.info(i.as_ref())?;
        let active = s.profile();
        let rows = i.rows.clone();
        let lint = i.lint.clone();
        Some(view! {
            <div class="table-scroll"><table id="plugin-limits" class="plugin-table" aria-label="Limits in force">
                <thead><tr>
                    <th>"runtimeConfig"</th><th>"plugin.yaml"</th>
                    <th class:active=active == Profile::Helm42>"helm-4.2"</th>
                    <th class:active=active == Profile::Documented>"documented"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| { let differs = r.helm42 != r.documented; view! {
                        <tr class:differs=differs>
                            <td><code>{breakable(&r.key)}</code></td><td>{breakable(&r.configured)}</td>
                            <td class:active=active == Profile::Helm42>{r.helm42}</td>
                            <td class:active=active == Profile::Documented>{r.documented}</td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table></div>
            <ul id="plugin-lint" class="plugin-lint">
                {lint.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
        })
    };

    // Live meters while the plugin runs, else the last run's summary.
    let meters_view = move || {
        let s = settings();
        let lim = info.with(|i| s.limits(i.as_ref()).cloned());
        let budget = s.fuel_budget().ok().flatten();
        let (state, elapsed, fuel, pages, http): (&'static str, f64, u64, u32, u64) =
            match (outputs.progress.get(), report()) {
                (Some(PluginProgress { elapsed_ms, fuel_used, pages, http_bytes, .. }), _) => {
                    ("running", elapsed_ms, fuel_used, pages, http_bytes)
                }
                (None, Some(r)) if r.ran => {
                    ("done", r.summary.wall_ms, r.summary.fuel_used, r.summary.peak_pages, r.summary.http_bytes)
                }
                _ => ("idle", 0.0, 0, 0, 0),
            };
        let timeout = lim.as_ref().and_then(|l| l.timeout_ms);
        let max_pages = lim.as_ref().map(|l| l.max_pages);
        let max_http = lim.as_ref().map(|l| l.max_http_response_bytes);
        view! {
            <div id="plugin-meters" class="plugin-meters" data-state=state>
                {meter("meter-time", "time", elapsed, timeout.map(|t| t as f64),
                    format!("{elapsed:.0} ms / {}", timeout.map(|t| format!("{t} ms")).unwrap_or_else(|| "no timeout".into())))}
                {meter("meter-fuel", "fuel", fuel as f64, budget.map(|b| b as f64),
                    format!("{fuel} / {}", budget.map(|b| b.to_string()).unwrap_or_else(|| "no budget".into())))}
                {meter("meter-pages", "memory", pages as f64, max_pages.map(f64::from),
                    format!("{pages} / {} pages (peak)", max_pages.map(|p| p.to_string()).unwrap_or_else(|| "?".into())))}
                {meter("meter-http", "HTTP bytes", http as f64, max_http.map(|m| m as f64),
                    format!("{http} / {}", max_http.map(|m| m.to_string()).unwrap_or_else(|| "?".into())))}
            </div>
        }
    };

    let result_view = move || {
        let r: PluginReport = report()?;
        let name = r.name.clone();
        let diff = (r.plugin_type == "postrenderer/v1" && r.ran)
            .then(|| r.output.clone().map(|out| line_diff(&r.input, &out)));
        Some(view! {
            <div id="plugin-report" data-testid="plugin-report" data-name=name data-ran=r.ran.to_string()
                data-cached=r.cached.to_string() data-error=r.error.is_some().to_string()>
                {r.note.clone().map(|n| view! { <p class="plugin-note" id="plugin-run-note">{n}</p> })}
                {r.ran.then(|| view! {
                    <p class="plugin-summary" id="plugin-summary" data-failed=r.error.is_some().to_string()>{format!(
                        "{} ({}, profile {}): {}, {:.1} ms, fuel {} used, peak {} of {} pages, {} HTTP request(s), {} HTTP bytes{}",
                        r.name, r.plugin_type, r.profile, plugin_state::run_status(r.rc, r.end.as_ref(), &r.events), r.summary.wall_ms, r.summary.fuel_used, r.summary.peak_pages,
                        r.summary.max_pages, r.summary.http_requests, r.summary.http_bytes,
                        if r.cached { ", compiled module reused" } else { "" })}</p>
                })}
                {r.error.clone().map(|e| view! {
                    <div id="plugin-error" data-testid="plugin-error" class="error" role="alert"><strong>"Plugin error: "</strong><span class="message">{e}</span></div>
                })}
                <h3>"Capability log"</h3>
                {if r.events.is_empty() {
                    view! { <p class="empty">"No capability decisions recorded."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll plugin-log-box"><table id="plugin-log" class="plugin-table" aria-label="Capability log">
                            <thead><tr><th>"ms"</th><th title="Fuel the call had used when this happened: cumulative, ending at the summary's total. A range (low–high) where the meter could not be read then (memory.grow is decided by wasmi's memory limiter): between the exact counts before and after.">"fuel used"</th><th>"pages"</th><th>"call"</th><th>"arguments"</th><th>"decision"</th><th>"rule"</th></tr></thead>
                            <tbody>
                                {r.events.iter().zip(plugin_state::fuel_ranges(&r.events, r.summary.fuel_used)).map(|(e, fuel)| view! {
                                    <tr class:denied=!e.allowed>
                                        <td>{format!("{:.1}", e.t_ms)}</td>
                                        <td class="fuel" data-fuel-min=fuel.0.to_string() data-fuel-max=fuel.1.to_string()
                                            title=(fuel.0 != fuel.1).then_some("not read from the meter at this event: between the exact counts before and after")>{plugin_state::fuel_text(fuel)}</td>
                                        <td>{e.pages.to_string()}</td>
                                        <td><code>{breakable(&e.call)}</code></td><td>{breakable(&e.args)}</td>
                                        <td class="decision">{if e.allowed { "allowed" } else { "denied" }}</td><td>{breakable(&e.rule)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any()
                }}
                {(r.events_dropped > 0).then(|| view! { <p class="plugin-note">{format!("{} more events were not kept.", r.events_dropped)}</p> })}
                {(r.plugin_type == "getter/v1").then(|| r.output.clone().map(|a| view! {
                    <h3>"Artefact the getter returned"</h3>
                    <pre id="plugin-artefact" class="plugin-stdio">{a}</pre>
                }))}
                <h3>"stdout"</h3>
                <pre id="plugin-stdout" class="plugin-stdio">{r.stdout.clone()}</pre>
                <h3>"stderr"</h3>
                <pre id="plugin-stderr" class="plugin-stdio">{r.stderr.clone()}</pre>
                {diff.map(|d| match d {
                    Some(d) => {
                        let (add, del) = plugin_state::diff_stats(&d);
                        view! {
                            <h3>{format!("Post-renderer output vs its input (+{add} −{del} lines)")}</h3>
                            <pre id="plugin-diff" class="plugin-diff" data-added=add.to_string() data-removed=del.to_string()>
                                {d.into_iter().map(|l| match l {
                                    DiffLine::Same(t) => view! { <span class="same">{format!("  {t}\n")}</span> }.into_any(),
                                    DiffLine::Added(t) => view! { <span class="add">{format!("+ {t}\n")}</span> }.into_any(),
                                    DiffLine::Removed(t) => view! { <span class="del">{format!("- {t}\n")}</span> }.into_any(),
                                }).collect_view()}
                            </pre>
                        }.into_any()
                    }
                    None => view! { <p class="empty">"The post-renderer returned no output."</p> }.into_any(),
                })}
            </div>
        })
    };

    view! {
        <div class="plugin-panel" id="plugin-panel" data-testid="plugin-panel">
            <div class="plugin-source">
                <span class="field"><label for="plugin-select">"Plugin"</label>
                <select id="plugin-select" data-testid="plugin-select"
                    prop:value=move || options.with(|o| if !o.plugin.bundled.is_empty() { o.plugin.bundled.clone() } else if o.plugin.has_plugin() { "(uploaded)".into() } else { String::new() })
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if v != "(uploaded)" { choose_bundled(v) }
                    }>
                    <option value="">"(none)"</option>
                    <Show when=move || options.with(|o| o.plugin.bundled.is_empty() && o.plugin.has_plugin())>
                        <option value="(uploaded)">{move || format!("{} (uploaded)", info.with(|i| options.with(|o| o.plugin.name(i.as_ref()))))}</option>
                    </Show>
                    {BUNDLED.iter().map(|(n, t, d)| view! { <option value=*n>{format!("{n} — {t}: {d}")}</option> }).collect_view()}
                </select></span>
                <label class="button secondary" for="plugin-upload" title="Upload a plugin: its plugin.yaml and plugin.wasm (both at once)">"Upload…"</label>
                <input id="plugin-upload" data-testid="plugin-upload" class="visually-hidden" type="file" multiple accept=".wasm,.yaml,.yml" on:change=on_upload />
                <span class="field"><label for="plugin-profile">"Profile"</label>
                <select id="plugin-profile" data-testid="plugin-profile"
                    prop:value=move || options.with(|o| o.plugin.profile().name().to_string())
                    on:change=move |ev| set(|s, v| s.profile = v, event_target_value(&ev))>
                    <option value="helm-4.2">"helm-4.2 (what Helm 4.2 does)"</option>
                    <option value="documented">"documented (what Helm's docs promise)"</option>
                </select></span>
                <span class="field"><label for="plugin-fuel">"Fuel budget"</label>
                <input id="plugin-fuel" data-testid="plugin-fuel" type="text" inputmode="numeric" placeholder="none (as Helm)" spellcheck="false"
                    prop:value=move || options.with(|o| o.plugin.fuel_budget.clone())
                    on:input=move |ev| set(|s, v| s.fuel_budget = v, event_target_value(&ev)) /></span>
                <Show when=is_cli>
                    <button id="plugin-run" data-testid="plugin-run" type="button" title="Run this cli/v1 plugin (or getter/v1: the first argument is the URL) with the arguments from the options bar"
                        on:click=move |_| {
                            if !options.with_untracked(|o| o.plugin.enabled) {
                                options.update(|o| o.plugin.enabled = true);
                            }
                            renderer.run_cli();
                        }>"▶ Run"</button>
                </Show>
                // plugin.yaml is edited in the code editor, beside this pane:
                // the file, the run, its log and its result show together.
                <Show when=move || options.with(|o| o.plugin.has_plugin())>
                    <button id="plugin-yaml-edit" data-testid="plugin-yaml-edit" type="button" class="secondary"
                        title="Open the chosen plugin's plugin.yaml in the code editor (beside this pane)"
                        aria-pressed=move || selected.with(|s| s == PLUGIN_YAML_KEY).to_string()
                        on:click=move |_| selected.set(PLUGIN_YAML_KEY.to_string())>"✎ Edit plugin.yaml"</button>
                </Show>
            </div>
            {move || message.get().map(|m| view! { <p class="plugin-note" id="plugin-message" role="status">{m}</p> })}
            {move || hash_warning.get().map(|m| view! { <p class="notice error" id="plugin-hash-warning" role="alert">{m}</p> })}
            {move || outputs.plugin_settings_error.get().map(|m| view! { <p class="notice error" id="plugin-settings-error" role="alert">{m}</p> })}
            {move || options.with(|o| o.plugin.has_plugin() && o.plugin.needs_consent).then(|| view! {
                <p class="plugin-note" id="plugin-consent-note">"Not run: this plugin came with the workspace and waits for your consent (above the panes)."</p>
            })}
            {result_view}
            <Show when=move || options.with(|o| o.plugin.has_plugin())>
                <h3>"Meters"</h3>
                {meters_view}
                <details class="plugin-files" id="plugin-mock-details">
                    <summary>"Mock HTTP responses"</summary>
                    <textarea id="plugin-mock" data-testid="plugin-mock" rows="3" spellcheck="false" wrap="off"
                        aria-label="Mock HTTP responses, one per line: URL STATUS BODY, indented header lines"
                        placeholder="https://charts.example.com/index.yaml 200 apiVersion: v1"
                        prop:value=move || options.with(|o| o.plugin.mock_http.clone())
                        on:input=move |ev| set(|s, v| s.mock_http = v, event_target_value(&ev))></textarea>
                    <p class="plugin-note">"One per line: URL, status, body (\\n for a newline); indented Name: value lines below are its headers. Answered before the network; other allowed URLs go to the network with fetch() while the plugin waits, suspended (subject to the browser's CORS rules and to the plugin's timeout)."</p>
                </details>
                <h3>"Limits in force"</h3>
                {limits_view}
            </Show>
            <p class="plugin-note" id="plugin-helm-note">
                "Released Helm ≤ 4.2.4 cannot run Wasm post-renderers: it sends them no manifests and accepts no output ("
                <a href="https://github.com/helm/helm/issues/31832" target="_blank" rel="noopener">"helm/helm#31832"</a>
                "). Chartroom uses the contract Helm intends: "<code>"{\"manifests\": \"<YAML>\", \"extraArgs\": […]}"</code>
                " in, "<code>"{\"manifests\": \"<YAML>\"}"</code>" out. Plugins run in a sandbox (wasmi) inside this page's render worker."
            </p>
        </div>
    }
}

/// The file list's entry for the chosen plugin's plugin.yaml (opened in the
/// code editor like the chart's files).
pub fn plugin_file_entry(options: RwSignal<Options>, selected: RwSignal<String>) -> impl IntoView {
    view! {
        <Show when=move || options.with(|o| o.plugin.has_plugin())>
            <h2 id="plugin-files-heading">"Plugin"</h2>
            <ul id="plugin-file-list" aria-labelledby="plugin-files-heading">
                <li>
                    <button type="button" class="file" data-testid="file--plugin-yaml" id="open-plugin-yaml"
                        class:selected=move || selected.with(|s| s == PLUGIN_YAML_KEY)
                        aria-label="plugin.yaml of the chosen plugin"
                        on:click=move |_| selected.set(PLUGIN_YAML_KEY.to_string())>"plugin.yaml"</button>
                </li>
            </ul>
        </Show>
    }
}

fn wasm_len(options: RwSignal<Options>) -> u64 {
    options.with_untracked(|o| (o.plugin.wasm_b64.len() as u64 * 3) / 4)
}

/// The options bar's post-renderer controls: on/off and the arguments.
pub fn options_bar_controls(
    options: RwSignal<Options>,
    info: RwSignal<Option<crate::protocol::PluginInfo>>,
) -> impl IntoView {
    view! {
        <div class="opt post-renderer-opt">
            <label class="flag" for="post-renderer-on">
                <input id="post-renderer-on" data-testid="post-renderer-on" type="checkbox"
                    prop:disabled=move || options.with(|o| !o.plugin.has_plugin())
                    prop:checked=move || options.with(|o| o.plugin.enabled && o.plugin.has_plugin())
                    on:change=move |ev| {
                        let on = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                        options.update(|o| o.plugin.enabled = on);
                    } />
                {move || info.with(|i| options.with(|o| if o.plugin.has_plugin() {
                    let i = i.as_ref();
                    format!("{} {}", if o.plugin.is_post_renderer(i) { "--post-renderer" } else { "plugin" }, o.plugin.name(i))
                } else {
                    "--post-renderer (choose one in Plugins)".to_string()
                }))}
            </label>
            <textarea id="post-renderer-args" data-testid="post-renderer-args" rows="1" spellcheck="false" wrap="off"
                aria-label="--post-renderer-args, one per line" placeholder="--post-renderer-args, one per line"
                prop:value=move || options.with(|o| o.plugin.args.clone())
                on:input=move |ev| { let v = event_target_value(&ev); options.update(|o| o.plugin.args = v) }></textarea>
        </div>
    }
}

/// Above the panes while a plugin that came with a workspace from elsewhere
/// (a link, a bundle, an import, an embedding page) waits for the user's
/// consent: what it may do (the hosts in allowedHosts, file system access,
/// its limits under the chosen profile), and Allow or Remove. Until then
/// renders leave it out (`PluginSettings::job`). In an embed whose page did
/// not opt in (`plugins=1`) it only says why the plugin does not run.
#[component]
pub fn ConsentPrompt(
    options: RwSignal<Options>,
    info: RwSignal<Option<crate::protocol::PluginInfo>>,
    plugins_allowed: bool,
) -> impl IntoView {
    let waiting = move || {
        options.with(|o| {
            let p = &o.plugin;
            p.has_plugin() && (p.needs_consent || (!plugins_allowed && (p.enabled || !p.wasm_b64.is_empty())))
        })
    };
    let name = move || info.with(|i| options.with(|o| o.plugin.name(i.as_ref())));
    let described = move || info.with(|i| options.with(|o| i.as_ref().is_some_and(|i| i.yaml == o.plugin.yaml)));
    let when = move || {
        info.with(|i| {
            options.with(|o| match o.plugin.plugin_type(i.as_ref()) {
                "postrenderer/v1" => "as a post-renderer, with every render",
                "" => "when a render or Run starts it",
                _ => "when you press Run",
            })
        })
    };
    let allow = move |_| options.update(|o| o.plugin.needs_consent = false);
    let remove = move |_| {
        options.update(|o| {
            let old = std::mem::take(&mut o.plugin);
            o.plugin = PluginSettings { profile: old.profile, ..Default::default() };
        })
    };
    view! {
        <Show when=waiting>
            {move || if !plugins_allowed {
                view! {
                    <div id="plugin-consent" data-testid="plugin-consent" class="notice" role="status" data-embed-blocked="true">
                        <span>{format!("The plugin \"{}\" does not run in this embed: the embedding page did not allow plugins (plugins=1). The output is rendered without it.", name())}</span>
                    </div>
                }.into_any()
            } else {
                view! {
                    <div id="plugin-consent" data-testid="plugin-consent" class="notice consent" role="alertdialog" aria-labelledby="plugin-consent-title">
                        <div>
                            <strong id="plugin-consent-title">{move || format!("Run the plugin \"{}\"?", name())}</strong>
                            <p>{move || format!(
                                "It came with this workspace (a link, a bundle, an import or an embedding page) and has not run: \
                                 the output is rendered without it. If you allow it, it runs {} in a sandbox in this page's render worker, \
                                 with these permissions and limits ({} profile):",
                                when(), options.with(|o| o.plugin.profile().name().to_string()))}</p>
                            {move || {
                                let terms = info.with(|i| options.with(|o| o.plugin.consent_terms(i.as_ref())));
                                let err = info.with(|i| i.as_ref().and_then(|i| i.error.clone()));
                                match (terms.is_empty(), err) {
                                    (_, Some(e)) => view! { <p id="plugin-consent-error">{format!("Its plugin.yaml does not load: {e}")}</p> }.into_any(),
                                    (true, None) => view! { <p>"Reading its plugin.yaml…"</p> }.into_any(),
                                    (false, None) => view! {
                                        <dl id="plugin-consent-terms" class="consent-terms">
                                            {terms.into_iter().map(|(k, v)| {
                                                let label = match k.as_str() {
                                                    "allowedHosts" => "HTTP requests to (allowedHosts)".to_string(),
                                                    "fileSystem.createTempDir" => "file system (createTempDir)".to_string(),
                                                    _ => k.clone(),
                                                };
                                                view! { <dt data-key=k>{label}</dt><dd>{v}</dd> }
                                            }).collect_view()}
                                        </dl>
                                    }.into_any(),
                                }
                            }}
                        </div>
                        <button id="plugin-consent-allow" data-testid="plugin-consent-allow" type="button"
                            prop:disabled=move || !described() on:click=allow>"Allow and run"</button>
                        <button id="plugin-consent-remove" data-testid="plugin-consent-remove" type="button" class="secondary"
                            on:click=remove>"Remove the plugin"</button>
                    </div>
                }.into_any()
            }}
        </Show>
    }
}
