//! The output toolbar's render status: "Rendered in N ms", the elapsed time
//! of a render that takes long with a Stop button that ends it, and what
//! happened when the render worker died.

use leptos::prelude::*;

use crate::render_client::{RenderOutputs, Renderer};

/// A render running longer than this shows its elapsed time and Stop.
const SHOW_ELAPSED_AFTER_MS: f64 = 500.0;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

#[component]
pub fn RenderStatus(outputs: RenderOutputs, renderer: Renderer) -> impl IntoView {
    // Ticks while a render runs, so the elapsed time counts up.
    let now = RwSignal::new(now_ms());
    let ticker = StoredValue::new_local(None::<IntervalHandle>);
    Effect::new(move |_| {
        let running = outputs.running_since.with(|r| r.is_some());
        if let Some(h) = ticker.try_update_value(|t| t.take()).flatten() {
            h.clear();
        }
        if running {
            now.set(now_ms());
            let h = set_interval_with_handle(move || now.set(now_ms()), std::time::Duration::from_millis(100)).ok();
            ticker.set_value(h);
        }
    });
    on_cleanup(move || {
        if let Some(h) = ticker.try_update_value(|t| t.take()).flatten() {
            h.clear();
        }
    });
    // Milliseconds the render in flight has run, once it is long.
    let long_for = move || {
        let since = outputs.running_since.get()?;
        let ms = now.get() - since;
        (ms >= SHOW_ELAPSED_AFTER_MS).then_some(ms)
    };
    let status = move || {
        if outputs.busy.get() {
            match long_for() {
                Some(ms) => format!("Rendering… {:.1} s", ms / 1000.0),
                None => "Rendering…".to_string(),
            }
        } else if outputs.error.with(|e| e.is_some()) {
            "Error".to_string()
        } else {
            match outputs.engine_ms.get() {
                Some(ms) if ms < 10.0 => format!("Rendered in {ms:.1} ms"),
                Some(ms) => format!("Rendered in {ms:.0} ms"),
                None => String::new(),
            }
        }
    };
    view! {
        <span id="status" data-testid="status" role="status" aria-live="polite"
            class:busy=move || outputs.busy.get()
            class:failed=move || !outputs.busy.get() && outputs.error.with(|e| e.is_some())>{status}</span>
        <Show when=move || long_for().is_some()>
            <button id="stop-render" data-testid="stop-render" type="button" class="danger"
                title="Stop this render (the render worker is restarted; your files stay as they are)"
                on:click=move |_| renderer.stop()>"■ Stop"</button>
        </Show>
        {move || outputs.worker_crash.get().map(|m| view! {
            <span id="worker-crash" data-testid="worker-crash" role="alert" class="worker-crash">{m}</span>
        })}
    }
}
