//! A counting global allocator for the memory tests (render_memory.rs,
//! plugin_memory.rs): the bytes this thread has allocated and not freed.
//! Included with `#[path]` by a test crate, whose one global allocator it
//! becomes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    /// Bytes allocated and not freed by this thread: the test harness's
    /// other threads (another test, its reporting) do not count.
    static CURRENT: Cell<isize> = const { Cell::new(0) };
}

fn count(bytes: isize) {
    let _ = CURRENT.try_with(|c| c.set(c.get() + bytes));
}

pub fn current() -> isize {
    CURRENT.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        count(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;
