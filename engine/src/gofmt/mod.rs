//! Ports of Go's `fmt` and `strconv` behaviour that templates can observe.

pub mod atoi;
pub mod escape;
pub mod ftoa;
pub mod isprint;
pub mod printf;
pub mod strconv;
