//! Just enough of the WebAssembly binary format for the host's needs before
//! wasmi sees a module: the section list, the `producers` custom section
//! (which toolchain built the plugin, for error messages), the content hash
//! the compiled-module cache is keyed by, and moving the start section to an
//! export so the start function runs under the call's fuel/deadline driver
//! (wasmi 2.0 runs it inside instantiation, where fuel slicing cannot resume
//! it and no deadline is checked).

/// The name the start function is exported under after [`hoist_start`].
pub(crate) const START_EXPORT: &str = "__chartroom_wasm_start";

const SECTION_CUSTOM: u8 = 0;
const SECTION_EXPORT: u8 = 7;
const SECTION_START: u8 = 8;

fn leb_u32(b: &[u8], pos: &mut usize) -> Option<u32> {
    let mut result: u64 = 0;
    let mut shift = 0;
    loop {
        let byte = *b.get(*pos)?;
        *pos += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return u32::try_from(result).ok();
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
}

fn push_leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn name<'a>(b: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let n = leb_u32(b, pos)? as usize;
    let s = b.get(*pos..pos.checked_add(n)?)?;
    *pos += n;
    Some(s)
}

/// One section: its id, where it starts (the id byte) and its payload.
struct Section {
    id: u8,
    start: usize,
    payload: std::ops::Range<usize>,
}

fn sections(b: &[u8]) -> Option<Vec<Section>> {
    if b.get(0..4)? != b"\0asm" {
        return None;
    }
    let mut pos = 8;
    let mut out = Vec::new();
    while pos < b.len() {
        let start = pos;
        let id = b[pos];
        pos += 1;
        let len = leb_u32(b, &mut pos)? as usize;
        let end = pos.checked_add(len).filter(|e| *e <= b.len())?;
        out.push(Section { id, start, payload: pos..end });
        pos = end;
    }
    Some(out)
}

/// The toolchain named by the `producers` custom section
/// (`language: Rust; processed-by: rustc 1.80.0`), if the module has one.
pub(crate) fn producers(b: &[u8]) -> Option<String> {
    for s in sections(b)? {
        if s.id != SECTION_CUSTOM {
            continue;
        }
        let body = &b[s.payload.clone()];
        let mut pos = 0;
        if name(body, &mut pos)? != b"producers" {
            continue;
        }
        let mut fields = Vec::new();
        for _ in 0..leb_u32(body, &mut pos)? {
            let field = String::from_utf8_lossy(name(body, &mut pos)?).into_owned();
            let mut values = Vec::new();
            for _ in 0..leb_u32(body, &mut pos)? {
                let n = String::from_utf8_lossy(name(body, &mut pos)?).into_owned();
                let v = String::from_utf8_lossy(name(body, &mut pos)?).into_owned();
                values.push(if v.is_empty() { n } else { format!("{n} {v}") });
            }
            fields.push(format!("{field}: {}", values.join(", ")));
        }
        return (!fields.is_empty()).then(|| fields.join("; "));
    }
    None
}

/// A guess at the toolchain when there is no producers section, from
/// exports/imports that only one toolchain emits.
pub(crate) fn toolchain_hint(exports: &[&str]) -> Option<&'static str> {
    if exports.contains(&"hs_init") {
        return Some("GHC (Haskell PDK)");
    }
    if exports.iter().any(|e| e.starts_with("asyncify_")) {
        return Some("TinyGo");
    }
    if exports.contains(&"__as_start") || exports.contains(&"__new") && exports.contains(&"__pin") {
        return Some("AssemblyScript");
    }
    None
}

/// A 128-bit content hash (two independent multiply-xorshift lanes over
/// 8-byte words, seeded with the length): the compiled-module cache key.
/// Not cryptographic: the cache only holds modules this process loaded.
pub(crate) fn content_hash(b: &[u8]) -> u128 {
    let mut h1: u64 = 0xcbf2_9ce4_8422_2325 ^ b.len() as u64;
    let mut h2: u64 = 0x9E37_79B9_7F4A_7C15 ^ (b.len() as u64).rotate_left(32);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h1 = (h1 ^ w).wrapping_mul(0x0000_0100_0000_01b3);
        h1 ^= h1 >> 29;
        h2 = (h2 ^ w.rotate_left(17)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h2 ^= h2 >> 33;
    }
    for &x in chunks.remainder() {
        h1 = (h1 ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3);
        h2 = (h2 ^ u64::from(x)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    (u128::from(h1) << 64) | u128::from(h2)
}

/// When the module has a start section: the same module without it, its
/// start function exported as [`START_EXPORT`] instead. None when there is
/// no start section (or the binary is too malformed to rewrite; wasmi then
/// reports the problem).
pub(crate) fn hoist_start(b: &[u8]) -> Option<Vec<u8>> {
    let secs = sections(b)?;
    let start = secs.iter().find(|s| s.id == SECTION_START)?;
    let mut p = start.payload.start;
    let func = leb_u32(b, &mut p)?;
    let mut entry = Vec::new();
    push_leb(&mut entry, START_EXPORT.len() as u32);
    entry.extend_from_slice(START_EXPORT.as_bytes());
    entry.push(0); // func
    push_leb(&mut entry, func);

    let export_payload = |old: Option<&Section>| -> Option<Vec<u8>> {
        let (count, rest) = match old {
            Some(s) => {
                let mut q = s.payload.start;
                let n = leb_u32(b, &mut q)?;
                (n.checked_add(1)?, &b[q..s.payload.end])
            }
            None => (1, &[][..]),
        };
        let mut out = Vec::new();
        push_leb(&mut out, count);
        out.extend_from_slice(rest);
        out.extend_from_slice(&entry);
        Some(out)
    };
    let section = |id: u8, payload: &[u8], out: &mut Vec<u8>| {
        out.push(id);
        push_leb(out, payload.len() as u32);
        out.extend_from_slice(payload);
    };
    let has_export = secs.iter().any(|s| s.id == SECTION_EXPORT);
    let mut out = b[..8].to_vec();
    for s in &secs {
        match s.id {
            SECTION_EXPORT => section(SECTION_EXPORT, &export_payload(Some(s))?, &mut out),
            SECTION_START if !has_export => section(SECTION_EXPORT, &export_payload(None)?, &mut out),
            SECTION_START => {}
            _ => out.extend_from_slice(&b[s.start..s.payload.end]),
        }
    }
    Some(out)
}

/// The Wasm feature an error from the validator is about, if it is one:
/// (the proposal's name, whether Helm's runtime — wazero 1.12 with
/// `CoreFeaturesV2` — has it).
pub(crate) fn missing_feature(err: &str) -> Option<(&'static str, bool)> {
    let e = err.to_ascii_lowercase();
    const TABLE: &[(&str, &str, bool)] = &[
        ("relaxed simd", "relaxed-simd", false),
        ("simd", "simd (128-bit vectors)", true),
        ("tail call", "tail-call", false),
        ("threads", "threads (shared memory, atomics)", false),
        ("shared memor", "threads (shared memory, atomics)", false),
        ("atomic", "threads (shared memory, atomics)", false),
        ("0xfe subopcode", "threads (shared memory, atomics)", false),
        ("memory64", "memory64", false),
        ("64-bit memor", "memory64", false),
        ("multi-memory", "multi-memory", false),
        ("multiple memories", "multi-memory", false),
        ("exception", "exception-handling", false),
        ("try_table", "exception-handling", false),
        ("extended const", "extended-const", false),
        ("gc proposal", "gc", false),
        ("function references", "function-references", false),
        ("component", "component-model (a component, not a core module)", false),
        ("stack switching", "stack-switching", false),
        ("wide arithmetic", "wide-arithmetic", false),
        ("custom page sizes", "custom-page-sizes", false),
    ];
    TABLE.iter().find(|(k, _, _)| e.contains(k)).map(|(_, n, h)| (*n, *h))
}

/// The first WebAssembly proposal outside Helm's runtime's set (wazero
/// 1.12, `CoreFeaturesV2`) that a function body uses, worded as the
/// validator words it (for [`missing_feature`]). wasmi validates function
/// bodies on first call (`CompilationMode::Lazy`: a 2 MB module loads in a
/// few ms instead of ~50); this decode-only pass (no type checking, ~5× faster
/// than validation) still rejects at load a module Helm rejects for a
/// feature, even when the function is never called. Malformed bodies are
/// left to wasmi.
pub(crate) fn body_proposal(b: &[u8]) -> Option<String> {
    use wasmparser::{Parser, Payload};
    for payload in Parser::new(0).parse_all(b) {
        match payload {
            Ok(Payload::CodeSectionEntry(body)) => {
                let mut r = body.get_operators_reader().ok()?;
                let mut v = ProposalScan;
                while !r.eof() {
                    match r.visit_operator(&mut v) {
                        Ok(Some(p)) => return Some(format!("{p} support is not enabled")),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Visits one operator: `Some(proposal)` when wazero 1.12 lacks it.
struct ProposalScan;

/// The validator's wording of each proposal (see [`missing_feature`]);
/// None for the WebAssembly 2.0 set.
fn proposal_text(group: &str) -> Option<&'static str> {
    Some(match group {
        "mvp" | "sign_extension" | "saturating_float_to_int" | "bulk_memory" | "reference_types" | "simd" => {
            return None
        }
        "tail_call" => "tail call",
        "relaxed_simd" => "relaxed simd",
        "threads" | "shared_everything_threads" => "threads",
        "exceptions" | "legacy_exceptions" => "exceptions",
        "gc" => "gc proposal",
        "function_references" => "function references",
        "stack_switching" => "stack switching",
        "wide_arithmetic" => "wide arithmetic",
        _ => "an unsupported proposal",
    })
}

macro_rules! proposal_visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(,$arg: $argty)*)?) -> Self::Output {
                $($(let _ = $arg;)*)?
                proposal_text(stringify!($proposal))
            }
        )*
    };
}

impl<'a> wasmparser::VisitOperator<'a> for ProposalScan {
    type Output = Option<&'static str>;
    fn simd_visitor(&mut self) -> Option<&mut dyn wasmparser::VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }
    wasmparser::for_each_visit_operator!(proposal_visit);
}

impl wasmparser::VisitSimdOperator<'_> for ProposalScan {
    wasmparser::for_each_visit_simd_operator!(proposal_visit);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb_round_trip() {
        for v in [0u32, 1, 127, 128, 300, 65535, u32::MAX] {
            let mut out = Vec::new();
            push_leb(&mut out, v);
            let mut p = 0;
            assert_eq!(leb_u32(&out, &mut p), Some(v));
            assert_eq!(p, out.len());
        }
    }

    #[test]
    fn producers_section() {
        // custom section "producers": 1 field "language" with ("Rust", "")
        let mut payload = Vec::new();
        push_leb(&mut payload, 9);
        payload.extend_from_slice(b"producers");
        payload.push(1);
        payload.push(8);
        payload.extend_from_slice(b"language");
        payload.push(1);
        payload.push(4);
        payload.extend_from_slice(b"Rust");
        payload.push(0);
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        m.push(0);
        push_leb(&mut m, payload.len() as u32);
        m.extend_from_slice(&payload);
        assert_eq!(producers(&m).as_deref(), Some("language: Rust"));
    }
}
