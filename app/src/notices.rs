//! The messages above the panes: a workspace waiting for the user's
//! decision, and the notice of what just happened (with Undo after a
//! replacement).

use leptos::prelude::*;

use crate::store::{use_store, Action, Store};

/// "… is ready to open": a link, bundle, import or example that would
/// replace other work.
#[component]
pub fn PendingPrompt() -> impl IntoView {
    let store = use_store();
    let pending = store.pending;
    move || {
        pending.get().map(|(_, title, ws)| {
            let n = ws.files.len();
            view! {
                <div id="pending-link" class="notice" role="alertdialog" aria-labelledby="pending-text">
                    <span id="pending-text">{format!("{title} ({n} files) is ready to open. Opening it replaces your current work in this tab; your current work is first saved as a named workspace (\"Before …\") and can be undone.")}</span>
                    <button id="pending-open" type="button" on:click=move |_| { store.dispatch(Action::OpenPending); }>"Open it"</button>
                    <button id="pending-keep" type="button" class="secondary" on:click=move |_| { store.dispatch(Action::KeepWork); }>"Keep my work"</button>
                </div>
            }
        })
    }
}

#[component]
pub fn NoticeBar() -> impl IntoView {
    let store = use_store();
    let Store { notice, undo, .. } = store;
    move || {
        notice.get().map(|n| {
            // Undo belongs to the notice of the replacement it undoes.
            let can_undo = undo.with(|u| u.as_ref().is_some_and(|(t, _)| *t == n.text));
            view! {
                <div id="notice" data-testid="notice" class="notice" class:error=n.error role=if n.error { "alert" } else { "status" }>
                    <span>{n.text}</span>
                    {can_undo.then(|| view! {
                        <button id="notice-undo" data-testid="notice-undo" type="button"
                            on:click=move |_| { store.dispatch(Action::Undo); }>"Undo"</button>
                    })}
                    <button type="button" class="secondary" aria-label="Dismiss" on:click=move |_| { store.dispatch(Action::DismissNotice); }>"✕"</button>
                </div>
            }
        })
    }
}
