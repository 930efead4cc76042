//! Go's `text/template`, ported: lexer → parser → tree → executor.
//!
//! Modules follow Go's layout: `lex` and `parse` (package text/template/parse),
//! `node` (parse's node types), `exec` (exec.go), `builtins` (funcs.go's
//! eq/lt/index/len/printf…), `funcs` (the typed function map).

pub mod builtins;
pub mod cache;
pub mod exec;
pub mod funcs;
pub mod lex;
pub mod literal;
pub mod names;
pub mod node;
pub mod parse;

pub use exec::{Exec, ExecFailure, GoError, Limits, TemplateSet};
pub use funcs::{Env, FuncMap, Ty};
pub use node::Tree;
pub use parse::{is_empty_tree, parse, parse_with, ParseError, ParseOptions};
