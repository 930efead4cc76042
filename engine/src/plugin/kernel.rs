//! The Extism kernel (`alloc`, `free`, `length`, `load_*`, `store_*`,
//! `input_*`, `output_set`, `error_set`…), split as Extism's own kernel is:
//! the block bytes live in a wasm memory of a small kernel module
//! ([`KERNEL_WASM`], instantiated next to the plugin in every call's store),
//! and the functions a PDK calls once per byte or word (`load_u8/u64`,
//! `store_u8/u64`, `input_load_u8/u64`, `input_length`, `input_offset`) are
//! that module's wasm functions: the plugin's imports are linked to them, so
//! each call is a wasm-to-wasm call inside the interpreter instead of a
//! host-function call (wasmi's host calls cost ~40 ns each: a C-PDK plugin
//! reading 200,000 input bytes one call at a time spent almost all of its
//! time there). The block table (allocation, `length`, `free`) stays on the
//! host ([`Kernel`]), so a host function that needs a block (config, vars,
//! HTTP) never calls into wasm (nested calls cannot be resumed by fuel
//! slicing).
//!
//! Handles are byte addresses in the kernel memory, as in Extism's kernel;
//! 0 is the null handle and blocks start at [`BASE`]. Out-of-range loads
//! return 0 and out-of-range stores are ignored, like the kernel wasm's
//! bounds handling (a load or store anywhere in the kernel memory is in
//! range, as there). Freed space is reused first-fit.

use std::collections::BTreeMap;

pub const NULL: u64 = 0;
/// The first block address (0 stays the null handle; 8-aligned).
pub(crate) const BASE: u64 = 8;

/// The kernel module's source: the functions linked in place of the host's
/// (see the module doc). [`KERNEL_WASM`] is its binary (a test checks).
#[cfg(test)]
pub(crate) const KERNEL_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (global $in_off (export "input_offset_g") (mut i64) (i64.const 0))
  (global $in_len (export "input_length_g") (mut i64) (i64.const 0))
  (func (export "load_u8") (param $p i64) (result i32)
    (if (result i32)
      (i32.and (i64.ge_u (local.get $p) (i64.const 8))
               (i64.lt_u (local.get $p) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
      (then (i32.load8_u (i32.wrap_i64 (local.get $p))))
      (else (i32.const 0))))
  (func (export "load_u64") (param $p i64) (result i64)
    (if (result i64)
      (i32.and (i64.ge_u (local.get $p) (i64.const 8))
               (i64.le_u (local.get $p) (i64.sub (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)) (i64.const 8))))
      (then (i64.load (i32.wrap_i64 (local.get $p))))
      (else (i64.const 0))))
  (func (export "store_u8") (param $p i64) (param $v i32)
    (if (i32.and (i64.ge_u (local.get $p) (i64.const 8))
                 (i64.lt_u (local.get $p) (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16))))
      (then (i32.store8 (i32.wrap_i64 (local.get $p)) (local.get $v)))))
  (func (export "store_u64") (param $p i64) (param $v i64)
    (if (i32.and (i64.ge_u (local.get $p) (i64.const 8))
                 (i64.le_u (local.get $p) (i64.sub (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)) (i64.const 8))))
      (then (i64.store (i32.wrap_i64 (local.get $p)) (local.get $v)))))
  (func (export "input_length") (result i64) (global.get $in_len))
  (func (export "input_offset") (result i64) (global.get $in_off))
  (func (export "input_load_u8") (param $o i64) (result i32)
    (if (result i32) (i64.lt_u (local.get $o) (global.get $in_len))
      (then (i32.load8_u (i32.wrap_i64 (i64.add (global.get $in_off) (local.get $o)))))
      (else (i32.const 0))))
  (func (export "input_load_u64") (param $o i64) (result i64)
    (if (result i64)
      (i32.and (i64.ge_u (global.get $in_len) (i64.const 8))
               (i64.le_u (local.get $o) (i64.sub (global.get $in_len) (i64.const 8))))
      (then (i64.load (i32.wrap_i64 (i64.add (global.get $in_off) (local.get $o)))))
      (else (i64.const 0)))))"#;

/// [`KERNEL_WAT`] assembled (without its name section).
pub(crate) const KERNEL_WASM: &[u8] = &[
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x19, 0x05, 0x60, 0x01, 0x7e, 0x01, 0x7f, 0x60, 0x01, 0x7e,
    0x01, 0x7e, 0x60, 0x02, 0x7e, 0x7f, 0x00, 0x60, 0x02, 0x7e, 0x7e, 0x00, 0x60, 0x00, 0x01, 0x7e, 0x03, 0x09, 0x08,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x04, 0x00, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x0b, 0x02, 0x7e, 0x01, 0x42,
    0x00, 0x0b, 0x7e, 0x01, 0x42, 0x00, 0x0b, 0x07, 0x97, 0x01, 0x0b, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02,
    0x00, 0x0e, 0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x6f, 0x66, 0x66, 0x73, 0x65, 0x74, 0x5f, 0x67, 0x03, 0x00, 0x0e,
    0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x6c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x5f, 0x67, 0x03, 0x01, 0x07, 0x6c, 0x6f,
    0x61, 0x64, 0x5f, 0x75, 0x38, 0x00, 0x00, 0x08, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x75, 0x36, 0x34, 0x00, 0x01, 0x08,
    0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x75, 0x38, 0x00, 0x02, 0x09, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f, 0x75, 0x36,
    0x34, 0x00, 0x03, 0x0c, 0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x6c, 0x65, 0x6e, 0x67, 0x74, 0x68, 0x00, 0x04, 0x0c,
    0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x6f, 0x66, 0x66, 0x73, 0x65, 0x74, 0x00, 0x05, 0x0d, 0x69, 0x6e, 0x70, 0x75,
    0x74, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x75, 0x38, 0x00, 0x06, 0x0e, 0x69, 0x6e, 0x70, 0x75, 0x74, 0x5f, 0x6c,
    0x6f, 0x61, 0x64, 0x5f, 0x75, 0x36, 0x34, 0x00, 0x07, 0x0a, 0xbe, 0x01, 0x08, 0x1d, 0x00, 0x20, 0x00, 0x42, 0x08,
    0x5a, 0x20, 0x00, 0x3f, 0x00, 0xad, 0x42, 0x10, 0x86, 0x54, 0x71, 0x04, 0x7f, 0x20, 0x00, 0xa7, 0x2d, 0x00, 0x00,
    0x05, 0x41, 0x00, 0x0b, 0x0b, 0x20, 0x00, 0x20, 0x00, 0x42, 0x08, 0x5a, 0x20, 0x00, 0x3f, 0x00, 0xad, 0x42, 0x10,
    0x86, 0x42, 0x08, 0x7d, 0x58, 0x71, 0x04, 0x7e, 0x20, 0x00, 0xa7, 0x29, 0x03, 0x00, 0x05, 0x42, 0x00, 0x0b, 0x0b,
    0x1c, 0x00, 0x20, 0x00, 0x42, 0x08, 0x5a, 0x20, 0x00, 0x3f, 0x00, 0xad, 0x42, 0x10, 0x86, 0x54, 0x71, 0x04, 0x40,
    0x20, 0x00, 0xa7, 0x20, 0x01, 0x3a, 0x00, 0x00, 0x0b, 0x0b, 0x1f, 0x00, 0x20, 0x00, 0x42, 0x08, 0x5a, 0x20, 0x00,
    0x3f, 0x00, 0xad, 0x42, 0x10, 0x86, 0x42, 0x08, 0x7d, 0x58, 0x71, 0x04, 0x40, 0x20, 0x00, 0xa7, 0x20, 0x01, 0x37,
    0x03, 0x00, 0x0b, 0x0b, 0x04, 0x00, 0x23, 0x01, 0x0b, 0x04, 0x00, 0x23, 0x00, 0x0b, 0x16, 0x00, 0x20, 0x00, 0x23,
    0x01, 0x54, 0x04, 0x7f, 0x23, 0x00, 0x20, 0x00, 0x7c, 0xa7, 0x2d, 0x00, 0x00, 0x05, 0x41, 0x00, 0x0b, 0x0b, 0x1f,
    0x00, 0x23, 0x01, 0x42, 0x08, 0x5a, 0x20, 0x00, 0x23, 0x01, 0x42, 0x08, 0x7d, 0x58, 0x71, 0x04, 0x7e, 0x23, 0x00,
    0x20, 0x00, 0x7c, 0xa7, 0x29, 0x03, 0x00, 0x05, 0x42, 0x00, 0x0b, 0x0b,
];

/// The kernel module's exports linked as `extism:host/env` functions.
pub(crate) const KERNEL_FUNCS: [&str; 8] =
    ["load_u8", "load_u64", "store_u8", "store_u64", "input_length", "input_offset", "input_load_u8", "input_load_u64"];

/// The host's side of the kernel: which address ranges of the kernel
/// memory are blocks, and the call's input/output/error handles.
#[derive(Debug)]
pub(crate) struct Kernel {
    /// Live blocks: address → length.
    blocks: BTreeMap<u64, u64>,
    /// Free ranges below `top`: address → length (coalesced).
    free: BTreeMap<u64, u64>,
    /// End of the highest range ever handed out.
    pub top: u64,
    pub input: u64,
    pub output: Option<(u64, u64)>,
    pub error: u64,
}

impl Default for Kernel {
    fn default() -> Kernel {
        Kernel::new()
    }
}

fn reserved(n: u64) -> u64 {
    n.div_ceil(8).saturating_mul(8)
}

impl Kernel {
    pub fn new() -> Kernel {
        Kernel { blocks: BTreeMap::new(), free: BTreeMap::new(), top: BASE, input: NULL, output: None, error: NULL }
    }
    /// Reserves an `n`-byte block (n > 0) and returns its address; the
    /// caller makes the memory at least `top` bytes long and fills it.
    pub(crate) fn reserve(&mut self, n: u64) -> u64 {
        let want = reserved(n);
        let hit = self.free.iter().find(|(_, len)| **len >= want).map(|(a, l)| (*a, *l));
        let addr = match hit {
            Some((a, len)) => {
                self.free.remove(&a);
                if len > want {
                    self.free.insert(a + want, len - want);
                }
                a
            }
            None => {
                let a = self.top;
                self.top = a.saturating_add(want);
                a
            }
        };
        self.blocks.insert(addr, n);
        addr
    }
    /// Frees a block; returns its size (for the memory budget).
    pub fn free(&mut self, h: u64) -> u64 {
        let Some(n) = self.blocks.remove(&h) else { return 0 };
        if h == self.input {
            self.input = NULL;
        }
        let (mut a, mut len) = (h, reserved(n));
        if let Some((&pa, &pl)) = self.free.range(..a).next_back() {
            if pa + pl == a {
                self.free.remove(&pa);
                a = pa;
                len += pl;
            }
        }
        if let Some(&nl) = self.free.get(&(a + len)) {
            self.free.remove(&(a + len));
            len += nl;
        }
        if a + len == self.top {
            self.top = a;
        } else {
            self.free.insert(a, len);
        }
        n
    }
    pub fn length(&self, h: u64) -> u64 {
        self.blocks.get(&h).copied().unwrap_or(0)
    }
    /// `[h, h+len)` when it lies inside one live block.
    pub(crate) fn in_block(&self, h: u64, len: u64) -> Option<std::ops::Range<usize>> {
        if h == NULL {
            return None;
        }
        let (&a, &n) = self.blocks.range(..=h).next_back()?;
        let end = h.checked_add(len)?;
        (end <= a + n).then_some(h as usize..end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn blocks() {
        let mut k = Kernel::new();
        let h = k.reserve(10);
        assert_eq!(h, BASE);
        assert_eq!(k.length(h), 10);
        assert_eq!(k.in_block(h + 2, 8), Some(10..18));
        assert_eq!(k.in_block(h + 3, 8), None); // past the block
        let g = k.reserve(3);
        assert_eq!(g, BASE + 16);
        assert_eq!(k.free(h), 10);
        assert_eq!(k.length(h), 0);
        assert_eq!(k.in_block(h, 1), None);
        // Freed space is reused; freeing the last block lowers the top.
        assert_eq!(k.reserve(16), BASE);
        assert_eq!(k.free(g), 3);
        assert_eq!(k.top, BASE + 16);
        assert_eq!(k.free(BASE), 16);
        assert_eq!(k.top, BASE);
        assert!(k.free.is_empty());
    }

    #[test]
    fn kernel_wasm_is_the_wat() {
        let b = wat::parse_str(KERNEL_WAT).expect("kernel WAT");
        // The assembler adds a name section (id 0) after the code.
        assert!(b.starts_with(KERNEL_WASM), "KERNEL_WASM is out of date: reassemble KERNEL_WAT");
        assert_eq!(b.get(KERNEL_WASM.len()), Some(&0));
    }
}
