//! The chart archive reader (gzip + tar, Helm's path and size checks).
#![no_main]

use chartroom_engine::chart::archive::{files_from_archive, load_archive};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = files_from_archive(data);
    let _ = load_archive(data);
});
