//! `cargo test` entry: the same runner as the `conformance` binary.
include!("../src/main.rs");
