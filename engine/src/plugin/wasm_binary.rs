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

/// The export under which [`inline_kernel`] puts the kernel memory.
pub(crate) const KERNEL_MEMORY_EXPORT: &str = "__chartroom_kernel_memory";

/// Where [`inline_kernel`]'s code finds the input block: its address and
/// length as u32 at these kernel-memory addresses (below the first block,
/// never readable through `load_*`, which start at address 8).
pub(crate) const INPUT_OFFSET_ADDR: u64 = 0;
pub(crate) const INPUT_LENGTH_ADDR: u64 = 4;

/// How many memories a module has (imported and defined). The engine has
/// multi-memory on for [`inline_kernel`]'s second memory, so a module with
/// more than one is rejected by this count instead (wazero 1.12 lacks the
/// proposal).
pub(crate) fn memory_count(b: &[u8]) -> u32 {
    use wasmparser::{BinaryReader, ImportSectionReader, MemorySectionReader, TypeRef};
    let Some(secs) = sections(b) else { return 0 };
    let mut n = 0u32;
    for s in secs {
        let r = BinaryReader::new(&b[s.payload.clone()], s.payload.start);
        match s.id {
            2 => {
                if let Ok(imports) = ImportSectionReader::new(r) {
                    n += imports.into_iter().flatten().filter(|i| matches!(i.ty, TypeRef::Memory(_))).count() as u32;
                }
            }
            5 => n += MemorySectionReader::new(r).map(|m| m.count()).unwrap_or(0),
            _ => {}
        }
    }
    n
}

/// Which kernel function (index in `kernel::KERNEL_FUNCS`) each imported
/// function index is.
fn kernel_imports(b: &[u8], payload: &std::ops::Range<usize>) -> Option<(Vec<(u32, usize)>, u32)> {
    use wasmparser::{BinaryReader, ImportSectionReader, TypeRef};
    let r = BinaryReader::new(&b[payload.clone()], payload.start);
    let (mut funcs, mut mems, mut kernel) = (0u32, 0u32, Vec::new());
    for imp in ImportSectionReader::new(r).ok()? {
        let imp = imp.ok()?;
        match imp.ty {
            TypeRef::Func(_) => {
                if imp.module == super::host::ENV {
                    if let Some(k) = super::kernel::KERNEL_FUNCS.iter().position(|f| *f == imp.name) {
                        kernel.push((funcs, k));
                    }
                }
                funcs += 1;
            }
            TypeRef::Memory(_) => mems += 1,
            _ => {}
        }
    }
    Some((kernel, mems))
}

/// Section ids in the order the binary format requires them.
fn section_rank(id: u8) -> u8 {
    match id {
        1..=5 => id,
        13 => 6, // tag
        6 | 7 => id + 1,
        8 | 9 => id + 1,
        12 => 11, // data count
        10 => 12,
        11 => 13,
        _ => 0,
    }
}

/// The Extism kernel's per-byte and per-word functions (`input_load_u8`,
/// `load_u64`, `store_u8`…; see kernel.rs) written into the plugin in place
/// of each `call` to them, over a kernel memory added to the plugin as its
/// last memory (exported as [`KERNEL_MEMORY_EXPORT`]). In an interpreter a
/// call to another instance's function costs several times the few
/// instructions these functions are; a C-PDK plugin that reads its input
/// one `input_load_u8` at a time then runs at the speed of its own loop.
/// The code is the kernel module's (kernel.rs `KERNEL_WAT`), with the input
/// block's address and length read from the kernel memory
/// ([`INPUT_OFFSET_ADDR`], [`INPUT_LENGTH_ADDR`]) instead of globals; the
/// imports stay (a `ref.func` or table entry may still name them) and are
/// linked to host functions doing the same. Returns the new module and how
/// many memories the plugin had (the kernel memory's index), or None when
/// the module calls none of them or has a shape this rewrite does not
/// handle (then the kernel module is linked instead).
pub(crate) fn inline_kernel(b: &[u8]) -> Option<(Vec<u8>, u32)> {
    use wasmparser::{
        BinaryReader, CodeSectionReader, CompositeInnerType, DataKind, DataSectionReader, ExportSectionReader,
        ExternalKind, FunctionSectionReader, MemorySectionReader, TypeSectionReader,
    };
    let secs = sections(b)?;
    let reader = |s: &Section| BinaryReader::new(&b[s.payload.clone()], s.payload.start);
    let imports = secs.iter().find(|s| s.id == 2)?;
    let (kernel, imported_mems) = kernel_imports(b, &imports.payload)?;
    if kernel.is_empty() || imported_mems > 0 {
        return None;
    }
    let kfn = |f: u32| kernel.iter().find(|(i, _)| *i == f).map(|(_, k)| *k);
    // Parameter counts of the module's function types, and each defined
    // function's type.
    let mut params: Vec<u32> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut mems = 0u32;
    for s in &secs {
        match s.id {
            1 => {
                for rg in TypeSectionReader::new(reader(s)).ok()? {
                    for t in rg.ok()?.into_types() {
                        match &t.composite_type.inner {
                            CompositeInnerType::Func(f) => params.push(f.params().len() as u32),
                            _ => return None,
                        }
                    }
                }
            }
            3 => {
                for t in FunctionSectionReader::new(reader(s)).ok()? {
                    func_types.push(t.ok()?);
                }
            }
            5 => mems = MemorySectionReader::new(reader(s)).ok()?.count(),
            // A memory index the module does not have would name the kernel
            // memory once it is added: leave such (invalid) modules alone.
            7 => {
                for e in ExportSectionReader::new(reader(s)).ok()? {
                    let e = e.ok()?;
                    if e.kind == ExternalKind::Memory && e.index >= mems {
                        return None;
                    }
                }
            }
            11 => {
                for d in DataSectionReader::new(reader(s)).ok()? {
                    if let DataKind::Active { memory_index, .. } = d.ok()?.kind {
                        if memory_index >= mems {
                            return None;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // One memory (the plugin's); the kernel memory becomes index 1.
    if mems != 1 {
        return None;
    }
    let kmem = mems;

    let mut code_out: Option<Vec<u8>> = None;
    if let Some(code) = secs.iter().find(|s| s.id == 10) {
        let mut out = Vec::with_capacity(code.payload.len() + 1024);
        let bodies = CodeSectionReader::new(reader(code)).ok()?;
        push_leb(&mut out, bodies.count());
        let mut changed = false;
        for (i, body) in bodies.into_iter().enumerate() {
            let body = body.ok()?;
            let range = body.range();
            // Kernel calls in this body: (start, end, kernel function).
            let mut calls = Vec::new();
            // (A body outside the 2.0 set fails the module anyway.)
            scan_body(&b[range.clone()], |at, end, f| {
                if let Some(k) = kfn(f) {
                    calls.push((range.start + at, range.start + end, k));
                }
            })?;
            if calls.is_empty() {
                push_leb(&mut out, range.len() as u32);
                out.extend_from_slice(&b[range]);
                continue;
            }
            changed = true;
            // Three scratch locals after the function's own: i64, i64, i32.
            let ty = *func_types.get(i)?;
            let np = *params.get(ty as usize)?;
            let mut locals = body.get_locals_reader().ok()?;
            let mut nlocals = np as u64;
            let mut decls = Vec::new();
            push_leb(&mut decls, locals.get_count().checked_add(2)?);
            for _ in 0..locals.get_count() {
                nlocals += u64::from(locals.read().ok()?.0);
            }
            let ops_start = locals.original_position();
            let decl_start = {
                let mut p = range.start;
                leb_u32(b, &mut p)?;
                p
            };
            if nlocals + 3 > 50_000 {
                return None; // wasmparser's limit on locals
            }
            decls.extend_from_slice(&b[decl_start..ops_start]);
            decls.extend_from_slice(&[2, 0x7e, 1, 0x7f]);
            let t = nlocals as u32;
            let mut new_body = decls;
            let mut pos = ops_start;
            for (start, end, k) in calls {
                new_body.extend_from_slice(&b[pos..start]);
                inline_kernel_call(&mut new_body, super::kernel::KERNEL_FUNCS[k], t, kmem);
                pos = end;
            }
            new_body.extend_from_slice(&b[pos..range.end]);
            push_leb(&mut out, new_body.len() as u32);
            out.extend_from_slice(&new_body);
        }
        if !changed {
            return None;
        }
        code_out = Some(out);
    }
    let code_out = code_out?;

    let section = |id: u8, payload: &[u8], out: &mut Vec<u8>| {
        out.push(id);
        push_leb(out, payload.len() as u32);
        out.extend_from_slice(payload);
    };
    // The kernel memory: 1 page, no maximum (the host counts its blocks).
    let mem_entry = [0u8, 1];
    let mut export_entry = Vec::new();
    push_leb(&mut export_entry, KERNEL_MEMORY_EXPORT.len() as u32);
    export_entry.extend_from_slice(KERNEL_MEMORY_EXPORT.as_bytes());
    export_entry.push(2); // memory
    push_leb(&mut export_entry, kmem);
    let append = |s: &Section, entry: &[u8]| -> Option<Vec<u8>> {
        let mut q = s.payload.start;
        let n = leb_u32(b, &mut q)?;
        let mut p = Vec::new();
        push_leb(&mut p, n.checked_add(1)?);
        p.extend_from_slice(&b[q..s.payload.end]);
        p.extend_from_slice(entry);
        Some(p)
    };
    let mut out = Vec::with_capacity(b.len() + 4096);
    out.extend_from_slice(&b[..8]);
    let mut export_done = false;
    let has_export = secs.iter().any(|s| s.id == 7);
    for s in &secs {
        // A module without exports gets the section before the first one
        // that follows it.
        if !has_export && !export_done && s.id != 0 && section_rank(s.id) > section_rank(7) {
            let mut p = vec![1];
            p.extend_from_slice(&export_entry);
            section(7, &p, &mut out);
            export_done = true;
        }
        match s.id {
            5 => section(5, &append(s, &mem_entry)?, &mut out),
            7 => section(7, &append(s, &export_entry)?, &mut out),
            10 => section(10, &code_out, &mut out),
            _ => out.extend_from_slice(&b[s.start..s.payload.end]),
        }
    }
    if !has_export && !export_done {
        let mut p = vec![1];
        p.extend_from_slice(&export_entry);
        section(7, &p, &mut out);
    }
    Some((out, kmem))
}

/// The body of kernel function `name` (kernel.rs `KERNEL_WAT`) in place of
/// a call to it: the arguments are popped into the scratch locals `t`
/// (i64), `t + 1` (i64) and `t + 2` (i32); `kmem` is the kernel memory.
fn inline_kernel_call(out: &mut Vec<u8>, name: &str, t: u32, kmem: u32) {
    const LOCAL_GET: u8 = 0x20;
    const LOCAL_SET: u8 = 0x21;
    const I64_CONST: u8 = 0x42;
    const I32_CONST: u8 = 0x41;
    let op_local = |out: &mut Vec<u8>, op: u8, i: u32| {
        out.push(op);
        push_leb(out, i);
    };
    // A load/store on the kernel memory: opcode, alignment, offset.
    let mem_op = |out: &mut Vec<u8>, op: u8, align: u32, offset: u32| {
        out.push(op);
        push_leb(out, align | 0x40);
        push_leb(out, kmem);
        push_leb(out, offset);
    };
    // i64: the kernel memory's size in bytes.
    let mem_bytes = |out: &mut Vec<u8>| {
        out.push(0x3f); // memory.size
        push_leb(out, kmem);
        out.extend_from_slice(&[0xad, I64_CONST, 16, 0x86]); // i64.extend_i32_u, << 16
    };
    // i64: the input's address / length (u32 in the kernel memory).
    let input = |out: &mut Vec<u8>, addr: u64| {
        out.extend_from_slice(&[I32_CONST, 0]);
        mem_op(out, 0x35, 2, addr as u32); // i64.load32_u
    };
    // i32: 8 <= p < size (width 1) or 8 <= p <= size - 8 (width 8).
    let in_kernel = |out: &mut Vec<u8>, p: u32, wide: bool| {
        op_local(out, LOCAL_GET, p);
        out.extend_from_slice(&[I64_CONST, 8, 0x5a]); // i64.ge_u
        op_local(out, LOCAL_GET, p);
        mem_bytes(out);
        if wide {
            out.extend_from_slice(&[I64_CONST, 8, 0x7d, 0x58]); // i64.sub, i64.le_u
        } else {
            out.push(0x54); // i64.lt_u
        }
        out.push(0x71); // i32.and
    };
    let (p, v64, v32) = (t, t + 1, t + 2);
    match name {
        "load_u8" | "load_u64" => {
            let wide = name == "load_u64";
            op_local(out, LOCAL_SET, p);
            in_kernel(out, p, wide);
            out.extend_from_slice(&[0x04, if wide { 0x7e } else { 0x7f }]); // if (result)
            op_local(out, LOCAL_GET, p);
            out.push(0xa7); // i32.wrap_i64
            if wide {
                mem_op(out, 0x29, 3, 0); // i64.load
                out.extend_from_slice(&[0x05, I64_CONST, 0, 0x0b]);
            } else {
                mem_op(out, 0x2d, 0, 0); // i32.load8_u
                out.extend_from_slice(&[0x05, I32_CONST, 0, 0x0b]);
            }
        }
        "store_u8" | "store_u64" => {
            let wide = name == "store_u64";
            let v = if wide { v64 } else { v32 };
            op_local(out, LOCAL_SET, v);
            op_local(out, LOCAL_SET, p);
            in_kernel(out, p, wide);
            out.extend_from_slice(&[0x04, 0x40]); // if
            op_local(out, LOCAL_GET, p);
            out.push(0xa7);
            op_local(out, LOCAL_GET, v);
            if wide {
                mem_op(out, 0x37, 3, 0); // i64.store
            } else {
                mem_op(out, 0x3a, 0, 0); // i32.store8
            }
            out.push(0x0b);
        }
        "input_length" => input(out, INPUT_LENGTH_ADDR),
        "input_offset" => input(out, INPUT_OFFSET_ADDR),
        "input_load_u8" => {
            op_local(out, LOCAL_SET, p);
            op_local(out, LOCAL_GET, p);
            input(out, INPUT_LENGTH_ADDR);
            out.extend_from_slice(&[0x54, 0x04, 0x7f]); // i64.lt_u, if (result i32)
            input(out, INPUT_OFFSET_ADDR);
            op_local(out, LOCAL_GET, p);
            out.extend_from_slice(&[0x7c, 0xa7]); // i64.add, i32.wrap_i64
            mem_op(out, 0x2d, 0, 0);
            out.extend_from_slice(&[0x05, I32_CONST, 0, 0x0b]);
        }
        _ => {
            // input_load_u64: len >= 8 && o <= len - 8
            op_local(out, LOCAL_SET, p);
            input(out, INPUT_LENGTH_ADDR);
            out.extend_from_slice(&[I64_CONST, 8, 0x5a]);
            op_local(out, LOCAL_GET, p);
            input(out, INPUT_LENGTH_ADDR);
            out.extend_from_slice(&[I64_CONST, 8, 0x7d, 0x58, 0x71, 0x04, 0x7e]);
            input(out, INPUT_OFFSET_ADDR);
            op_local(out, LOCAL_GET, p);
            out.extend_from_slice(&[0x7c, 0xa7]);
            mem_op(out, 0x29, 3, 0);
            out.extend_from_slice(&[0x05, I64_CONST, 0, 0x0b]);
        }
    }
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
    let code = sections(b)?.into_iter().find(|s| s.id == SECTION_CODE)?;
    let mut pos = code.payload.start;
    let n = leb_u32(b, &mut pos)?;
    for _ in 0..n {
        let len = leb_u32(b, &mut pos)? as usize;
        let body = b.get(pos..pos.checked_add(len)?)?;
        // The fast scan answers for the WebAssembly 2.0 set; anything else
        // (or a body it cannot follow) is looked at by wasmparser.
        if scan_body(body, |_, _, _| {}).is_none() {
            if let Some(p) = body_proposal_slow(body, pos) {
                return Some(p);
            }
        }
        pos += len;
    }
    None
}

const SECTION_CODE: u8 = 10;

/// wasmparser's decode of one body: the first operator outside wazero's
/// set, worded as the validator words it. Malformed bodies are left to
/// wasmi.
fn body_proposal_slow(body: &[u8], offset: usize) -> Option<String> {
    let body = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(body, offset));
    let mut r = body.get_operators_reader().ok()?;
    let mut v = ProposalScan;
    while !r.eof() {
        match r.visit_operator(&mut v) {
            Ok(Some(p)) => return Some(format!("{p} support is not enabled")),
            Ok(None) => {}
            Err(_) => break,
        }
    }
    None
}

fn skip_leb(b: &[u8], pos: &mut usize) -> Option<()> {
    for _ in 0..10 {
        let byte = *b.get(*pos)?;
        *pos += 1;
        if byte & 0x80 == 0 {
            return Some(());
        }
    }
    None
}

/// Walks one function body (locals and operators) for the WebAssembly 2.0
/// operator set with memory index 0 only (what wazero 1.12 with
/// `CoreFeaturesV2` accepts), calling `on_call(start, end, function)` for
/// each `call` (byte offsets in `body`). None at anything else: an operator
/// of another proposal, a memory index other than 0, a value type outside
/// 2.0, or bytes it cannot follow; the caller then asks wasmparser. A byte
/// loop over the opcodes, several times faster than wasmparser's visitor,
/// which is most of a large module's load time otherwise.
fn scan_body(body: &[u8], mut on_call: impl FnMut(usize, usize, u32)) -> Option<()> {
    let b = body;
    let mut p = 0;
    let valtype = |t: u8| matches!(t, 0x7f | 0x7e | 0x7d | 0x7c | 0x7b | 0x70 | 0x6f);
    for _ in 0..leb_u32(b, &mut p)? {
        skip_leb(b, &mut p)?;
        if !valtype(*b.get(p)?) {
            return None;
        }
        p += 1;
    }
    // memarg with memory 0: alignment flags without bit 6, then the offset.
    let memarg = |p: &mut usize| -> Option<()> {
        let flags = leb_u32(b, p)?;
        if flags & 0x40 != 0 {
            return None;
        }
        skip_leb(b, p)
    };
    let zero_index = |p: &mut usize| -> Option<()> { (leb_u32(b, p)? == 0).then_some(()) };
    while p < b.len() {
        let start = p;
        let op = b[p];
        p += 1;
        match op {
            0x00 | 0x01 | 0x05 | 0x0b | 0x0f | 0x1a | 0x1b | 0x45..=0xc4 | 0xd1 => {}
            0x02..=0x04 => {
                let t = *b.get(p)?;
                if t == 0x40 || valtype(t) {
                    p += 1;
                } else {
                    // A type index: a non-negative s33 (the sign is bit 6
                    // of the last byte); negative ones are GC types.
                    let at = p;
                    skip_leb(b, &mut p)?;
                    if b[p - 1] & 0x40 != 0 || p - at > 5 {
                        return None;
                    }
                }
            }
            0x0c | 0x0d | 0x20..=0x26 | 0xd2 => skip_leb(b, &mut p)?,
            0x0e => {
                for _ in 0..leb_u32(b, &mut p)? {
                    skip_leb(b, &mut p)?;
                }
                skip_leb(b, &mut p)?;
            }
            0x10 => {
                let f = leb_u32(b, &mut p)?;
                on_call(start, p, f);
            }
            0x11 => {
                skip_leb(b, &mut p)?;
                skip_leb(b, &mut p)?;
            }
            0x1c => {
                for _ in 0..leb_u32(b, &mut p)? {
                    if !valtype(*b.get(p)?) {
                        return None;
                    }
                    p += 1;
                }
            }
            0x28..=0x3e => memarg(&mut p)?,
            0x3f | 0x40 => zero_index(&mut p)?,
            0x41 | 0x42 => skip_leb(b, &mut p)?,
            0x43 => p += 4,
            0x44 => p += 8,
            0xd0 => {
                if !matches!(*b.get(p)?, 0x70 | 0x6f) {
                    return None;
                }
                p += 1;
            }
            0xfc => match leb_u32(b, &mut p)? {
                0..=7 => {}
                8 => {
                    skip_leb(b, &mut p)?;
                    zero_index(&mut p)?;
                }
                10 => {
                    zero_index(&mut p)?;
                    zero_index(&mut p)?;
                }
                11 => zero_index(&mut p)?,
                9 | 13 | 15..=17 => skip_leb(b, &mut p)?,
                12 | 14 => {
                    skip_leb(b, &mut p)?;
                    skip_leb(b, &mut p)?;
                }
                _ => return None,
            },
            0xfd => match leb_u32(b, &mut p)? {
                0x00..=0x0b | 0x5c | 0x5d => memarg(&mut p)?,
                0x0c | 0x0d => p += 16,
                0x15..=0x22 => p += 1,
                0x54..=0x5b => {
                    memarg(&mut p)?;
                    p += 1;
                }
                // Unassigned in the SIMD proposal.
                0x9a
                | 0xa2
                | 0xa5
                | 0xa6
                | 0xaf
                | 0xb0
                | 0xb2..=0xb4
                | 0xbb
                | 0xc2
                | 0xc5
                | 0xc6
                | 0xcf
                | 0xd0
                | 0xd2..=0xd4
                | 0xe2
                | 0xee => return None,
                0x0e..=0x14 | 0x23..=0x53 | 0x5e..=0xff => {}
                _ => return None, // relaxed SIMD and beyond
            },
            _ => return None,
        }
    }
    (p == b.len()).then_some(())
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

/// The memory index an operator argument names (0 for other arguments).
macro_rules! memory_of {
    (memarg, $v:ident) => {
        $v.memory
    };
    (mem, $v:ident) => {
        $v
    };
    (dst_mem, $v:ident) => {
        $v
    };
    (src_mem, $v:ident) => {
        $v
    };
    ($other:ident, $v:ident) => {{
        let _ = $v;
        0u32
    }};
}

macro_rules! proposal_visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(,$arg: $argty)*)?) -> Self::Output {
                // A memory other than 0 is the multi-memory proposal (the
                // engine has it on for the kernel memory, see
                // inline_kernel; wazero 1.12 does not).
                $($(if memory_of!($arg, $arg) != 0 {
                    return Some("multi-memory");
                })*)?
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

    #[test]
    fn kernel_calls_inlined() {
        let wat = r#"(module
          (import "extism:host/env" "input_load_u8" (func $ild (param i64) (result i32)))
          (import "extism:host/env" "store_u64" (func $st (param i64 i64)))
          (memory (export "memory") 1)
          (func (export "f") (param i64) (result i32) (local i32)
            (call $st (local.get 0) (i64.const 1))
            (call $ild (local.get 0))))"#;
        let b = wat::parse_str(wat).expect("WAT");
        let (out, kmem) = inline_kernel(&b).expect("inlined");
        assert_eq!(kmem, 1);
        assert_eq!(memory_count(&out), 2);
        // Valid (wasmi validates every body by default).
        let mut cfg = wasmi::Config::default();
        cfg.wasm_multi_memory(true);
        wasmi::Module::new(&wasmi::Engine::new(&cfg), &out[..]).expect("valid");
        // No call to the imports is left.
        for p in wasmparser::Parser::new(0).parse_all(&out) {
            if let Ok(wasmparser::Payload::CodeSectionEntry(body)) = p {
                let mut r = body.get_operators_reader().expect("body");
                while !r.eof() {
                    let op = r.read().expect("op");
                    assert!(!matches!(op, wasmparser::Operator::Call { .. }), "{op:?}");
                }
            }
        }
        // A module that calls none of them is left alone.
        let plain = wat::parse_str(r#"(module (memory 1) (func (export "f")))"#).expect("WAT");
        assert!(inline_kernel(&plain).is_none());
        // A second memory of the plugin's own is the multi-memory proposal.
        let mm =
            wat::parse_str(r#"(module (memory 1) (memory 1) (func (export "f") (drop (i32.load 1 (i32.const 0)))))"#)
                .expect("WAT");
        assert_eq!(memory_count(&mm), 2);
        assert_eq!(body_proposal(&mm).as_deref(), Some("multi-memory support is not enabled"));
    }

    /// Every body of `b`, as (offset, bytes).
    fn bodies(b: &[u8]) -> Vec<(usize, &[u8])> {
        let code = sections(b).expect("sections").into_iter().find(|s| s.id == SECTION_CODE).expect("code");
        let mut pos = code.payload.start;
        let mut out = Vec::new();
        for _ in 0..leb_u32(b, &mut pos).expect("count") {
            let len = leb_u32(b, &mut pos).expect("size") as usize;
            out.push((pos, &b[pos..pos + len]));
            pos += len;
        }
        out
    }

    /// The byte scan follows every body the project's toolchains (Rust,
    /// AssemblyScript) emit and a hand-written mix of WebAssembly 2.0
    /// operators (SIMD lanes and constants, bulk memory, tables, typed
    /// select and blocks), finding each `call` where wasmparser does; other
    /// proposals are left to wasmparser, which names them.
    #[test]
    fn byte_scan_covers_webassembly_2() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/plugins");
        let mut modules: Vec<Vec<u8>> = std::fs::read_dir(&dir)
            .expect("public/plugins (run scripts/build-plugins.sh)")
            .flatten()
            .filter_map(|e| std::fs::read(e.path().join("plugin.wasm")).ok())
            .collect();
        assert!(modules.len() >= 10, "public/plugins/*/plugin.wasm missing: run scripts/build-plugins.sh");
        let mix = r#"(module
          (type $t (func (param i32) (result i32 i32)))
          (memory 1) (table 4 funcref) (data $d "abc") (elem $e func $f)
          (func $f (param i32) (result i32 i32) (local v128 f64 externref)
            (v128.store (i32.const 0) (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
              (v128.const i32x4 1 2 3 4) (v128.load8_lane 3 (i32.const 0) (local.get 1))))
            (drop (i32x4.extract_lane 2 (local.get 1)))
            (drop (v128.load32_zero offset=8 (i32.const 0)))
            (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)
            (memory.copy (i32.const 0) (i32.const 1) (i32.const 1)) (memory.fill (i32.const 0) (i32.const 0) (i32.const 1))
            (table.init $e (i32.const 0) (i32.const 0) (i32.const 1)) (elem.drop $e)
            (drop (table.grow (ref.null func) (i32.const 1))) (drop (table.size))
            (drop (select (result f64) (f64.const 1.5) (f64.const 2) (i32.const 1)))
            (drop (ref.is_null (ref.func $f))) (drop (i32.trunc_sat_f32_s (f32.const 1)))
            (block $b (br_table $b $b (i32.const 0)))
            (drop (memory.grow (i32.const 0))) (drop (i64.extend8_s (i64.const -300)))
            (call $f (local.get 0)) (drop)
            (block (type $t) (param i32) (result i32 i32) (call_indirect (type $t))))
        )"#;
        modules.push(wat::parse_str(mix).expect("WAT"));
        for m in &modules {
            assert_eq!(body_proposal(m), None);
            for (off, body) in bodies(m) {
                let mut fast = Vec::new();
                assert!(scan_body(body, |a, e, f| fast.push((a, e, f))).is_some(), "a body the scan does not follow");
                let fb = wasmparser::FunctionBody::new(wasmparser::BinaryReader::new(body, off));
                let mut r = fb.get_operators_reader().expect("body");
                let mut slow = Vec::new();
                while !r.eof() {
                    let at = r.original_position() - off;
                    if let wasmparser::Operator::Call { function_index } = r.read().expect("op") {
                        slow.push((at, r.original_position() - off, function_index));
                    }
                }
                assert_eq!(fast, slow);
            }
        }
        let tail = wat::parse_str(r#"(module (func $f (return_call $f)))"#).expect("WAT");
        assert!(scan_body(bodies(&tail)[0].1, |_, _, _| {}).is_none());
        assert_eq!(body_proposal(&tail).as_deref(), Some("tail call support is not enabled"));
    }
}
