//! The Rust side of the code editor: loads CodeMirror (dist/editor.js, built
//! from app/editor/editor.js) after the first paint and drives it through
//! `window.chartroomEditor`. Every call is a no-op while the module is not
//! there, so the plain <textarea> keeps working as the fallback.

use wasm_bindgen::{JsCast, JsValue};

/// Injects `<script type="module" src="./editor.js">` once.
pub fn load() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if doc.get_element_by_id("editor-module").is_some() {
        return;
    }
    if let Ok(s) = doc.create_element("script") {
        let _ = s.set_attribute("id", "editor-module");
        let _ = s.set_attribute("type", "module");
        let _ = s.set_attribute("src", "./editor.js");
        if let Some(head) = doc.head() {
            let _ = head.append_child(&s);
        }
    }
}

fn api() -> Option<JsValue> {
    let w = web_sys::window()?;
    let v = js_sys::Reflect::get(&w, &"chartroomEditor".into()).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

fn call(method: &str, args: &[JsValue]) -> Option<JsValue> {
    let api = api()?;
    let f = js_sys::Reflect::get(&api, &method.into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(&api, &arr).ok()
}

/// Shows another file's text (not echoed back as an edit).
pub fn set_text(text: &str) {
    call("setText", &[text.into()]);
}

/// Marks a render error at 1-based line/column (column 0: the whole line).
pub fn set_error(line: u64, col: u64, message: &str) {
    call("setError", &[JsValue::from_f64(line as f64), JsValue::from_f64(col as f64), message.into()]);
}

pub fn clear_error() {
    set_error(0, 0, "");
}

pub fn set_whitespace(on: bool) {
    call("setWhitespace", &[JsValue::from_bool(on)]);
}

/// Moves the caret; false when the code editor is not loaded.
pub fn focus_at(line: u64, col: u64) -> bool {
    call("focusAt", &[JsValue::from_f64(line as f64), JsValue::from_f64(col as f64)]).is_some()
}

/// Coverage marks of the shown file (issue 15): lines that ran, never ran,
/// or hold a branch never taken; `None` clears them.
pub fn set_coverage(marks: Option<&[(u32, &'static str)]>) {
    let value = match marks {
        None => JsValue::NULL,
        Some(m) => {
            let o = js_sys::Object::new();
            for (line, kind) in m {
                let _ = js_sys::Reflect::set(&o, &JsValue::from_f64(f64::from(*line)), &(*kind).into());
            }
            o.into()
        }
    };
    call("setCoverage", &[value]);
}
