//! The page's side of the embed postMessage API (docs/embed.md): the
//! listener, the answers and the `chartroom:rendered` broadcast. Who may talk
//! to the playground is decided by `message_policy` (pure, tested natively);
//! outside embed mode nothing is installed at all.

use leptos::ev;
use leptos::prelude::*;

use crate::embed::{Incoming, Outgoing};
use crate::files::{is_template, ChartFiles};
use crate::message_policy::{MessagePolicy, Verdict};
use crate::render_client::RenderOutputs;
use crate::share::Workspace;
use crate::web;

/// The window that frames this page (None when it is not framed).
fn parent_window() -> Option<web_sys::Window> {
    let win = web_sys::window()?;
    let parent = win.parent().ok().flatten()?;
    (!js_sys::Object::is(&win, &parent)).then_some(parent)
}

/// Installs the API when `policy` listens (embed mode); `load` replaces the
/// workspace with what the parent sent.
pub fn install(
    policy: MessagePolicy,
    outputs: RenderOutputs,
    load: impl Fn(Workspace) + 'static,
    load_url: impl Fn(crate::remote::RefLink) + 'static,
) {
    if !policy.listens() {
        return;
    }
    let output_message = move |kind: &'static str, id: Option<serde_json::Value>| Outgoing {
        kind,
        id,
        manifest: outputs.rendered.with_untracked(|r| r.as_ref().map(|r| r.manifest.clone()).unwrap_or_default()),
        notes: outputs.rendered.with_untracked(|r| r.as_ref().map(|r| r.notes.clone()).unwrap_or_default()),
        error: outputs.error.with_untracked(|e| e.as_ref().map(|e| e.message.clone())),
    };
    // The origin of the parent's newest accepted message: the browser vouches
    // for it, so broadcasts prefer it to the load-time hint.
    let learned = StoredValue::new(None::<String>);
    let policy_for_messages = policy.clone();
    let messages = window_event_listener(ev::message, move |e: web_sys::MessageEvent| {
        let parent = parent_window();
        // The source window belongs to another realm: `instanceof Window`
        // (dyn_into) is false for it, so identity is compared instead.
        let from_parent = match (&parent, e.source()) {
            (Some(p), Some(s)) => js_sys::Object::is(p, &s),
            _ => false,
        };
        let origin = e.origin();
        if policy_for_messages.judge(from_parent, &origin) != Verdict::Accept {
            return;
        }
        let Some(parent) = parent else { return };
        let Some(text) = js_sys::JSON::stringify(&e.data()).ok().and_then(|s| s.as_string()) else { return };
        let Ok(msg) = serde_json::from_str::<Incoming>(&text) else { return };
        learned.set_value(Some(origin.clone()));
        match msg {
            Incoming::Load { files, options, open } => {
                let chart = ChartFiles::from_pairs(files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
                let open = open
                    .filter(|o| chart.contains(o))
                    .or_else(|| chart.paths().into_iter().find(|p| is_template(p)))
                    .unwrap_or_default();
                load(Workspace::new(&chart, options.map(|o| *o).unwrap_or_default(), open));
            }
            Incoming::LoadUrl { chart, sha256, repo, version, bundle, values, options, open } => load_url(
                crate::embed::load_url_link(chart, sha256, repo, version, bundle, values, options.map(|o| *o), open),
            ),
            Incoming::GetOutput { id } => web::post_json(&parent, &output_message("chartroom:output", id), &origin),
        }
    });
    on_cleanup(move || messages.remove());
    let hint = web::parent_origin_hint();
    Effect::new(move |_| {
        if outputs.shown_seq.get() == 0 {
            return;
        }
        let target = learned.with_value(|l| policy.broadcast_origin(l.as_deref(), hint.as_deref()));
        if let (Some(parent), Some(target)) = (parent_window(), target) {
            web::post_json(&parent, &output_message("chartroom:rendered", None), &target);
        }
    });
}
