//! Sprig's url.go (`urlParse`, `urlJoin`). Not yet ported.

use crate::template::FuncMap;

pub fn register(_m: &mut FuncMap) {}
