//! The engine recurses once per nested `include`/`template`/`tpl`. Besides
//! V8's native stack (which bounds the depth: see MAX_EXEC_DEPTH in the
//! engine), each level keeps its larger locals on the wasm shadow stack in
//! linear memory, whose default of 1 MiB is too small for deep nesting; the
//! page and the worker get 16 MiB.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=-zstack-size=16777216");
    }
}
