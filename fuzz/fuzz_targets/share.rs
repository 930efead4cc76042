//! The share-link decoder (app/src/share.rs: `v2:`/`v1:` + base64url of
//! raw deflate of the workspace's JSON). The first byte picks which layer
//! the rest reaches unwrapped: the link text itself, the base64 body, the
//! deflate stream or the JSON document. Whatever decodes must encode and
//! decode again to the same workspace.
#![no_main]

use chartroom_app::share::{b64url_encode, decode, encode_level};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let link = match mode % 4 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        1 => format!("v2:{}", String::from_utf8_lossy(rest)),
        2 => format!("v2:{}", b64url_encode(rest)),
        _ => format!("#v1:{}", b64url_encode(&miniz_oxide::deflate::compress_to_vec(rest, 1))),
    };
    if let Ok(ws) = decode(&link) {
        let again = decode(&encode_level(&ws, 1)).expect("a decoded workspace re-encodes");
        assert_eq!(again, ws, "share round trip changed the workspace");
    }
});
