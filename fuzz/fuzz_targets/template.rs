//! The template parser and executor: any text as a chart template, with
//! tight limits (steps, memory, a deadline); it must end in output or an
//! error. The first line of the input may hold values.yaml text after `#v:`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::template(data));
