//! Functions left out of a lean build (the page's first-visit worker is
//! built without the `crypto`, `toml`, `regex` and `schema` features to keep
//! its download small; `want` marks the last two). Their names stay in the function map with Helm's signatures, so
//! templates parse and arguments are checked exactly as in the full build;
//! calling one ends the render and records that the full build is wanted.
//! The page then renders again in its full worker, so the user never sees
//! this error.

use crate::error::go_err;
use std::cell::Cell;

use crate::template::{FuncMap, Ty};

thread_local! {
    static WANTED: Cell<bool> = const { Cell::new(false) };
}

/// Whether a render since the last call called a function this build
/// leaves out (and clears the mark).
pub fn take_wanted() -> bool {
    WANTED.with(|w| w.replace(false))
}

/// Records that this render needs what this build leaves out (a regular
/// expression, a values.schema.json check).
#[allow(dead_code)] // unused when every feature is on
pub(crate) fn want() {
    WANTED.with(|w| w.set(true));
}

/// Registers `name` with its signature and a body that asks for the full build.
#[allow(dead_code)] // unused when every feature is on
pub(crate) fn register(m: &mut FuncMap, funcs: &[(&'static str, &'static [Ty])]) {
    for &(name, params) in funcs {
        m.add(name, params, None, move |_, _| {
            WANTED.with(|w| w.set(true));
            Err(go_err!("{name} is not in this build of the engine (it loads on first use)"))
        });
    }
}
