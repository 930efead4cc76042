//! The plugin host: random valid WebAssembly modules (wasm-smith) that
//! import the host's own functions (Extism's `extism:host/env` kernel and
//! part of WASI preview 1) and export the entry function, run through
//! `Plugin::invoke` under tight fuel, time and memory limits. Every run must
//! end with an output or a `RunResult::error`, never a panic or an abort.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use wasm_encoder::{
    CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, ImportSection, Instruction, Module,
    TypeSection, ValType,
};

/// The host functions a module may import (name, params, results).
fn imports_module() -> Vec<u8> {
    use ValType::{I32, I64};
    let env: &[(&str, &[ValType], &[ValType])] = &[
        ("alloc", &[I64], &[I64]),
        ("free", &[I64], &[]),
        ("length", &[I64], &[I64]),
        ("length_unsafe", &[I64], &[I64]),
        ("load_u8", &[I64], &[I32]),
        ("load_u64", &[I64], &[I64]),
        ("store_u8", &[I64, I32], &[]),
        ("store_u64", &[I64, I64], &[]),
        ("input_length", &[], &[I64]),
        ("input_load_u8", &[I64], &[I32]),
        ("input_load_u64", &[I64], &[I64]),
        ("input_offset", &[], &[I64]),
        ("output_set", &[I64, I64], &[]),
        ("error_set", &[I64], &[]),
        ("error_get", &[], &[I64]),
        ("config_get", &[I64], &[I64]),
        ("var_get", &[I64], &[I64]),
        ("var_set", &[I64, I64], &[]),
        ("http_request", &[I64, I64], &[I64]),
        ("http_status_code", &[], &[I32]),
        ("http_headers", &[], &[I64]),
        ("get_log_level", &[], &[I32]),
        ("log_info", &[I64], &[]),
        ("log_error", &[I64], &[]),
    ];
    let wasi: &[(&str, &[ValType], &[ValType])] = &[
        ("fd_write", &[I32, I32, I32, I32], &[I32]),
        ("fd_read", &[I32, I32, I32, I32], &[I32]),
        ("fd_close", &[I32], &[I32]),
        ("fd_prestat_get", &[I32, I32], &[I32]),
        ("path_open", &[I32, I32, I32, I32, I32, I64, I64, I32, I32], &[I32]),
        ("random_get", &[I32, I32], &[I32]),
        ("clock_time_get", &[I32, I64, I32], &[I32]),
        ("environ_sizes_get", &[I32, I32], &[I32]),
        ("args_sizes_get", &[I32, I32], &[I32]),
        ("proc_exit", &[I32], &[]),
    ];
    let mut types = TypeSection::new();
    let mut imports = ImportSection::new();
    let mut n = 0;
    for (module, list) in [("extism:host/env", env), ("wasi_snapshot_preview1", wasi)] {
        for (name, params, results) in list {
            types.ty().function(params.iter().copied(), results.iter().copied());
            imports.import(module, name, EntityType::Function(n));
            n += 1;
        }
    }
    let mut m = Module::new();
    m.section(&types).section(&imports);
    m.finish()
}

/// The one export the host calls: `helm_plugin_main: [] -> [i32]`.
fn exports_module() -> Vec<u8> {
    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I32]);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    let mut exports = ExportSection::new();
    exports.export("helm_plugin_main", ExportKind::Func, 0);
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    f.instruction(&Instruction::I32Const(0)).instruction(&Instruction::End);
    code.function(&f);
    let mut m = Module::new();
    m.section(&types).section(&funcs).section(&exports).section(&code);
    m.finish()
}

fn shapes() -> &'static (Vec<u8>, Vec<u8>) {
    static S: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    S.get_or_init(|| (imports_module(), exports_module()))
}

/// WebAssembly 2.0 as the host's engine accepts it (wazero's CoreFeaturesV2).
fn config(u: &mut Unstructured<'_>) -> arbitrary::Result<wasm_smith::Config> {
    let (imports, exports) = shapes();
    let mut c = wasm_smith::Config {
        available_imports: Some(imports.clone()),
        exports: Some(exports.clone()),
        max_memories: 1,
        // Up to 32 pages (2 MiB): above the tightest maxPages below.
        max_memory32_bytes: 32 * 65536,
        max_funcs: 20,
        max_instructions: 200,
        max_data_segments: 8,
        max_table_elements: 1000,
        bulk_memory_enabled: true,
        multi_value_enabled: true,
        reference_types_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        simd_enabled: bool::arbitrary(u)?,
        relaxed_simd_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        shared_everything_threads_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        ..wasm_smith::Config::default()
    };
    c.canonicalize_nans = false;
    Ok(c)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(cfg) = config(&mut u) else { return };
    let max_pages = *u.choose(&[1u32, 2, 4, 17]).unwrap_or(&4);
    let timeout_ms = *u.choose(&[50u64, 200]).unwrap_or(&50);
    let input: Vec<u8> = Vec::arbitrary(&mut u).unwrap_or_default();
    let Ok(module) = wasm_smith::Module::new(cfg, &mut u) else { return };
    let wasm = module.to_bytes();
    // FUZZ_DUMP_WASM=path keeps the module (a regression file's content).
    if let Some(p) = std::env::var_os("FUZZ_DUMP_WASM") {
        let _ = std::fs::write(p, &wasm);
    }
    harness::plugin_run(wasm, &input, max_pages, timeout_ms);
});
