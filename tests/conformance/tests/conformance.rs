//! `cargo test` entry: runs the `conformance` binary (built by cargo for this
//! test) so that `cargo test --workspace` covers the same runner. CI runs the
//! binary directly in the optimised `native` profile (scripts/test.sh).

fn main() {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_conformance")).status();
    match status {
        Ok(s) => std::process::exit(s.code().unwrap_or(1)),
        Err(e) => {
            eprintln!("could not run the conformance binary: {e}");
            std::process::exit(1);
        }
    }
}
