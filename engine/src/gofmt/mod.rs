//! Ports of Go's standard library that templates can observe: `fmt`,
//! `strconv`, `encoding/base64` and `encoding/base32`.

pub mod atoi;
pub mod base32;
pub mod base64;
pub mod civil;
pub mod escape;
pub mod ftoa;
pub mod isprint;
pub mod log;
pub mod printf;
pub mod strconv;
