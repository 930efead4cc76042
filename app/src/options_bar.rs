//! The options bar: `helm template`'s everyday flags in one row, the rarer
//! ones behind "More options" (a disclosure that unfolds a second row).
//! A form over the one `Options` value of the store: each field is bound
//! to its part of it.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::options::Options;
use crate::store::{use_store, Action, Store};

/// A text option bound to one field of `Options`.
fn opt_text(
    options: RwSignal<Options>,
    id: &'static str,
    label: &'static str,
    placeholder: String,
    get: fn(&Options) -> &String,
    field: fn(&mut Options) -> &mut String,
    multiline: bool,
) -> impl IntoView {
    let value = move || options.with(|o| get(o).clone());
    let set = move |v: String| options.update(|o| *field(o) = v);
    let input = if multiline {
        view! {
            <textarea id=id data-testid=id rows="2" spellcheck="false" wrap="off" placeholder=placeholder.clone()
                prop:value=value on:input=move |ev| set(event_target_value(&ev))></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id data-testid=id type="text" spellcheck="false" placeholder=placeholder
                prop:value=value on:input=move |ev| set(event_target_value(&ev)) />
        }
        .into_any()
    };
    view! {
        <div class="opt">
            <label for=id>{label}</label>
            {input}
        </div>
    }
}

/// A boolean option bound to one field of `Options`.
fn opt_flag(
    options: RwSignal<Options>,
    id: &'static str,
    label: &'static str,
    get: fn(&Options) -> bool,
    field: fn(&mut Options) -> &mut bool,
) -> impl IntoView {
    view! {
        <label class="flag" for=id>
            <input id=id data-testid=id type="checkbox"
                prop:checked=move || options.with(get)
                on:change=move |ev| {
                    let on = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.checked()).unwrap_or(false);
                    options.update(|o| *field(o) = on);
                } />
            {label}
        </label>
    }
}

#[component]
pub fn OptionsBar() -> impl IntoView {
    let store = use_store();
    let Store { options, outputs, embed, more_options: more_open, .. } = store;
    let hidden = embed.with_value(|e| e.embed && !e.options);
    // An origin clicked in the Explain panel points at an option line.
    let option_focus = store.option_focus;
    Effect::new(move |_| {
        if let Some((id, line)) = option_focus.get() {
            option_focus.set(None);
            focus_option_line(id, &line);
        }
    });
    view! {
        <form class="options-bar" aria-label="helm template options" hidden=hidden on:submit=|ev: ev::SubmitEvent| ev.prevent_default()>
            <div class="options-main">
                {opt_text(options, "release-name", "Release name", "release-name".into(), |o| &o.release_name, |o| &mut o.release_name, false)}
                {opt_text(options, "namespace", "Namespace", "default".into(), |o| &o.namespace, |o| &mut o.namespace, false)}
                {opt_text(options, "set", "--set", "key=value, one per line".into(), |o| &o.set, |o| &mut o.set, true)}
                {opt_text(options, "show-only", "Show only", "templates/x.yaml".into(), |o| &o.show_only, |o| &mut o.show_only, true)}
                <div class="flags" role="group" aria-label="Flags">
                    {opt_flag(options, "is-upgrade", "is-upgrade", |o| o.is_upgrade, |o| &mut o.is_upgrade)}
                    {opt_flag(options, "include-crds", "include CRDs", |o| o.include_crds, |o| &mut o.include_crds)}
                    {opt_flag(options, "skip-tests", "skip tests", |o| o.skip_tests, |o| &mut o.skip_tests)}
                </div>
                {crate::plugin_panel::options_bar_controls(options, outputs.plugin_info)}
                <button id="more-options-toggle" data-testid="more-options-toggle" type="button" class="secondary more-toggle"
                    aria-controls="more-options" aria-expanded=move || if more_open.get() { "true" } else { "false" }
                    aria-label=move || match options.with(Options::more_options_in_use) {
                        0 => "More options".to_string(),
                        n => format!("More options ({n} in use)"),
                    }
                    on:click=move |_| { store.dispatch(Action::ShowMoreOptions(!more_open.get_untracked())); }>
                    "More options"
                    {move || match options.with(Options::more_options_in_use) {
                        0 => None,
                        n => Some(view! { <span class="badge" id="more-options-count">{format!("{n} in use")}</span> }),
                    }}
                </button>
            </div>
            <div id="more-options" class="options-more" role="group" aria-label="More options" hidden=move || !more_open.get()>
                {opt_text(options, "kube-version", "Kube version", format!("{} (Helm's default)", chartroom_engine::chart::objects::DEFAULT_KUBE_VERSION), |o| &o.kube_version, |o| &mut o.kube_version, false)}
                {opt_text(options, "api-versions", "API versions", "one per line".into(), |o| &o.api_versions, |o| &mut o.api_versions, true)}
                {opt_text(options, "set-string", "--set-string", "key=value, one per line".into(), |o| &o.set_string, |o| &mut o.set_string, true)}
                {opt_text(options, "set-json", "--set-json", "key=JSON, one per line".into(), |o| &o.set_json, |o| &mut o.set_json, true)}
                {opt_text(options, "set-literal", "--set-literal", "key=value, one per line".into(), |o| &o.set_literal, |o| &mut o.set_literal, true)}
                {opt_text(options, "set-file", "--set-file", "key=path, one per line".into(), |o| &o.set_file, |o| &mut o.set_file, true)}
                <div class="opt">
                    <label for="helm-version">"Helm version"</label>
                    <select id="helm-version" data-testid="helm-version"
                        prop:value=move || options.with(|o| o.helm_version.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); options.update(|o| o.helm_version = v) }>
                        {crate::options::HELM_VERSIONS.iter().map(|v| view! {
                            <option value=*v selected=move || options.with(|o| o.helm_version == *v)>{format!("Helm v{v}")}</option>
                        }).collect_view()}
                    </select>
                </div>
                <fieldset class="repro">
                    <legend>"Reproducible (Chartroom only)"</legend>
                    <div class="repro-row">
                        {opt_flag(options, "fixed-seed", "fixed seed", |o| o.fixed_seed, |o| &mut o.fixed_seed)}
                        <input id="seed" data-testid="seed" type="text" inputmode="numeric" spellcheck="false"
                            aria-label="Random seed (a whole number)"
                            disabled=move || options.with(|o| !o.fixed_seed)
                            prop:value=move || options.with(|o| o.seed.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); options.update(|o| o.seed = v) } />
                    </div>
                    <div class="repro-row">
                        {opt_flag(options, "fixed-now", "fixed clock", |o| o.fixed_now, |o| &mut o.fixed_now)}
                        <input id="now" data-testid="now" type="text" spellcheck="false"
                            aria-label="Fixed time for now (RFC 3339)"
                            disabled=move || options.with(|o| !o.fixed_now)
                            prop:value=move || options.with(|o| o.now.clone())
                            on:input=move |ev| { let v = event_target_value(&ev); options.update(|o| o.now = v) } />
                    </div>
                </fieldset>
            </div>
        </form>
    }
}

/// Puts the caret on the line of multi-line option field `id` that reads
/// `line` (the whole field when none does); a one-line field is selected.
fn focus_option_line(id: &str, line: &str) {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let el = match el.dyn_into::<web_sys::HtmlTextAreaElement>() {
        Ok(el) => el,
        Err(el) => {
            if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                request_animation_frame(move || {
                    let _ = input.focus();
                    input.select();
                });
            }
            return;
        }
    };
    let text = el.value();
    // UTF-16 offsets, as the DOM counts them.
    let mut start = 0u32;
    let mut found = None;
    for l in text.split_inclusive('\n') {
        let body = l.trim_end_matches(['\n', '\r']);
        if body.trim() == line {
            found = Some((start, start + body.encode_utf16().count() as u32));
            break;
        }
        start += l.encode_utf16().count() as u32;
    }
    let (from, to) = found.unwrap_or((0, 0));
    // After "More options" has unfolded (a hidden field takes no focus).
    request_animation_frame(move || {
        let _ = el.focus();
        let _ = el.set_selection_range(from, to);
    });
}
