//! The Extism kernel (`alloc`, `free`, `length`, `load_*`, `store_*`,
//! `input_*`, `output_set`, `error_set`…) re-implemented natively, as the
//! Extism JS SDK does: a table of separate blocks, handle = `index << 32 |
//! offset` (index ≥ 1, so 0 stays the null handle). PDKs treat handles as
//! opaque and only add offsets within one block, so this is ABI-compatible
//! with the kernel wasm while needing no nested wasm calls (which fuel
//! slicing cannot resume). Freed indices are never reused, so a stale
//! handle can never hit a live block.
//!
//! Out-of-range loads return 0 and out-of-range stores are ignored, like
//! the kernel wasm's bounds handling.

pub const NULL: u64 = 0;

#[derive(Debug, Default)]
pub struct Kernel {
    blocks: Vec<Option<Vec<u8>>>,
    pub input: u64,
    pub output: Option<(u64, u64)>,
    pub error: u64,
}

fn split(h: u64) -> (usize, usize) {
    ((h >> 32) as usize, (h & 0xffff_ffff) as usize)
}

impl Kernel {
    pub fn new() -> Kernel {
        Kernel { blocks: vec![None], input: NULL, output: None, error: NULL }
    }
    /// A new block holding `data`; 0 for empty data (Extism's
    /// `memory_new` of nothing is the null handle).
    pub fn alloc_with(&mut self, data: Vec<u8>) -> u64 {
        if data.is_empty() || data.len() > u32::MAX as usize {
            return NULL;
        }
        self.blocks.push(Some(data));
        ((self.blocks.len() - 1) as u64) << 32
    }
    pub fn block(&self, h: u64) -> Option<&Vec<u8>> {
        let (i, off) = split(h);
        if off != 0 {
            return None;
        }
        self.blocks.get(i).and_then(|b| b.as_ref())
    }
    /// Frees a block; returns its size (for the memory budget).
    pub fn free(&mut self, h: u64) -> u64 {
        let (i, off) = split(h);
        if i == 0 || off != 0 {
            return 0;
        }
        if h == self.input {
            self.input = NULL;
        }
        match self.blocks.get_mut(i) {
            Some(slot) => slot.take().map(|b| b.len() as u64).unwrap_or(0),
            None => 0,
        }
    }
    pub fn length(&self, h: u64) -> u64 {
        self.block(h).map(|b| b.len() as u64).unwrap_or(0)
    }
    fn slot(&self, addr: u64, n: usize) -> Option<&[u8]> {
        let (i, off) = split(addr);
        let b = self.blocks.get(i)?.as_ref()?;
        b.get(off..off.checked_add(n)?)
    }
    fn slot_mut(&mut self, addr: u64, n: usize) -> Option<&mut [u8]> {
        let (i, off) = split(addr);
        let b = self.blocks.get_mut(i)?.as_mut()?;
        b.get_mut(off..off.checked_add(n)?)
    }
    pub fn load_u8(&self, addr: u64) -> u8 {
        self.slot(addr, 1).and_then(|s| s.first().copied()).unwrap_or(0)
    }
    pub fn load_u64(&self, addr: u64) -> u64 {
        self.slot(addr, 8).and_then(|s| <[u8; 8]>::try_from(s).ok()).map(u64::from_le_bytes).unwrap_or(0)
    }
    pub fn store_u8(&mut self, addr: u64, v: u8) {
        if let Some(s) = self.slot_mut(addr, 1) {
            s.copy_from_slice(&[v]);
        }
    }
    pub fn store_u64(&mut self, addr: u64, v: u64) {
        if let Some(s) = self.slot_mut(addr, 8) {
            s.copy_from_slice(&v.to_le_bytes());
        }
    }
    pub fn input_length(&self) -> u64 {
        self.length(self.input)
    }
    pub fn input_load_u8(&self, off: u64) -> u8 {
        if off >= self.input_length() {
            return 0;
        }
        self.load_u8(self.input + off)
    }
    pub fn input_load_u64(&self, off: u64) -> u64 {
        if off.saturating_add(8) > self.input_length() {
            return 0;
        }
        self.load_u64(self.input + off)
    }
    /// `[h, h+len)` as bytes (the output or error range).
    pub fn range(&self, h: u64, len: u64) -> Option<Vec<u8>> {
        if h == NULL {
            return None;
        }
        self.slot(h, usize::try_from(len).ok()?).map(<[u8]>::to_vec)
    }
    /// Takes a block's bytes and frees it (host-owned argument handles).
    pub fn take(&mut self, h: u64) -> Option<Vec<u8>> {
        let (i, off) = split(h);
        if i == 0 || off != 0 {
            return None;
        }
        self.blocks.get_mut(i).and_then(Option::take)
    }
    pub fn error_message(&self) -> Option<Vec<u8>> {
        if self.error == NULL {
            return None;
        }
        self.block(self.error).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn blocks() {
        let mut k = Kernel::new();
        let h = k.alloc_with(vec![0; 10]);
        assert_ne!(h, NULL);
        k.store_u64(h + 2, 0x0102030405060708);
        assert_eq!(k.load_u64(h + 2), 0x0102030405060708);
        assert_eq!(k.load_u64(h + 3), 0); // out of range
        assert_eq!(k.length(h), 10);
        assert_eq!(k.free(h), 10);
        assert_eq!(k.length(h), 0);
        assert_eq!(k.alloc_with(Vec::new()), NULL);
    }
}
