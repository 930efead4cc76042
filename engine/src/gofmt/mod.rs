//! Ports of Go's `fmt` and `strconv` behaviour that templates can observe.

pub mod strconv;
