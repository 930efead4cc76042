//! Produces an enormous output, in one of two ways (`config.mode`):
//! * `output` (default): asks the host for a 128 MiB kernel block and sets
//!   it as the call's output (output_set) — memory the host must hold;
//! * `stdout`: writes 64 KiB chunks to stdout forever (like `yes`).
//! The host must stop it with a message naming the limit, not run out of
//! memory or hang.
use extism_pdk::extism;
use std::io::Write;

const OUTPUT_BYTES: u64 = 128 << 20;

#[no_mangle]
pub extern "C" fn helm_plugin_main() -> i32 {
    let mode = extism_pdk::config::get("mode").ok().flatten().unwrap_or_default();
    if mode == "stdout" {
        let chunk = vec![b'y'; 64 << 10];
        // fd 1 unbuffered: std's line-buffered stdout would scan every
        // chunk for newlines, which only slows the flood down.
        #[cfg(target_os = "wasi")]
        let mut out = {
            use std::os::fd::FromRawFd;
            std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) })
        };
        #[cfg(not(target_os = "wasi"))]
        let mut out = std::io::stdout().lock();
        loop {
            if out.write_all(&chunk).is_err() {
                return 1;
            }
        }
    }
    unsafe {
        let h = extism::alloc(OUTPUT_BYTES);
        extism::output_set(h, OUTPUT_BYTES);
    }
    0
}
