//! Sprig's date.go (Go time layouts). Not yet ported.

use crate::template::FuncMap;

pub fn register(_m: &mut FuncMap) {}
