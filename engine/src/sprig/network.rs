//! Sprig's network.go: `getHostByName`. Helm replaces it with a function
//! returning "" unless `--enable-dns`; the browser cannot resolve names, so
//! an allowed lookup is recorded and also yields "" here.

use crate::template::funcs::CapabilityEvent;
use crate::template::{FuncMap, Ty};
use crate::value::Value;

use super::arg_str;

pub fn register(m: &mut FuncMap) {
    m.add("getHostByName", &[Ty::String], None, |env, a| {
        let name = arg_str(&a, 0);
        let allowed = env.enable_dns;
        env.capability_log.push(CapabilityEvent {
            capability: "dns".into(),
            detail: name,
            allowed,
            rule: if allowed { "--enable-dns".into() } else { "dns disabled (Helm default)".into() },
        });
        Ok(Value::str(""))
    });
}
