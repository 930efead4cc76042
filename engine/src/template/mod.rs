//! Go's `text/template`, ported: lexer → parser → tree → executor.
//!
//! Modules follow Go's layout: `lex` and `parse` (package text/template/parse),
//! `node` (parse's node types), `exec` (exec.go), `builtins` (funcs.go's
//! eq/lt/index/len/printf…), `funcs` (the typed function map).

pub mod builtins;
pub mod cache;
pub mod exec;
pub mod funcs;
pub mod guard;
pub mod lex;
pub mod literal;
pub mod names;
pub mod node;
pub mod parse;
pub mod trace;

pub use exec::{Exec, ExecFailure, GoError, Limits, TemplateSet};
pub use funcs::{Env, FuncMap, Ty};
pub use parse::{is_empty_tree, parse, parse_with, ParseError, ParseOptions};

/// Helm's `strings.ReplaceAll(out, "<no value>", "")` on a template's
/// output, without copying an output that has none (the usual case: a
/// copy at the end doubled the memory a large output holds).
pub(crate) fn without_no_value(out: String) -> String {
    if out.contains("<no value>") {
        out.replace("<no value>", "")
    } else {
        out
    }
}

/// Room left on the current stack below which a recursion point continues
/// on a new segment. Debug builds use several KB per frame; 1 MiB covers
/// the frames between two recursion points.
#[cfg(not(target_arch = "wasm32"))]
const STACK_RED_ZONE: usize = 1 << 20;

/// Size of each stack segment grown on the heap. The executor charges each
/// one against the render's memory budget while it is in use
/// (`Exec::nest`); all but the last are used to their red zone, so the
/// charge exceeds the stack touched by less than one segment.
pub(crate) const STACK_SEGMENT: usize = 16 << 20;

/// Runs `f` with enough stack for one more level of recursion: natively the
/// stack grows on the heap (stacker), so Go's depth limits fit whatever the
/// thread's stack; on wasm32 it cannot, and lower limits keep the recursion
/// within the browser's stack.
#[inline(always)]
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(not(target_arch = "wasm32"))]
    {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, f)
    }
    #[cfg(target_arch = "wasm32")]
    {
        f()
    }
}

/// Whether [`with_stack`] called here would grow a new segment (natively;
/// on wasm32 the stack never grows).
#[inline(always)]
pub(crate) fn stack_low() -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    {
        stacker::remaining_stack().is_none_or(|r| r < STACK_RED_ZONE)
    }
    #[cfg(target_arch = "wasm32")]
    {
        false
    }
}

/// Runs `f` on a new stack segment of [`STACK_SEGMENT`] bytes (natively; on
/// wasm32 on the current stack).
pub(crate) fn on_new_segment<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(not(target_arch = "wasm32"))]
    {
        stacker::grow(STACK_SEGMENT, f)
    }
    #[cfg(target_arch = "wasm32")]
    {
        f()
    }
}
