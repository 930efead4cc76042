//! The engine recurses once per nested `include`/`template`/`tpl` (Helm and
//! Go allow 1000 levels; about 5 KiB of stack each in an optimised build).
//! wasm32's default 1 MiB stack would overflow (and kill the worker) long
//! before that, so the page and the worker get a 16 MiB stack.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=-zstack-size=16777216");
    }
}
