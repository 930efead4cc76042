//! Go's `sort.SliceStable` and `sort.Strings` as the engine uses them: a
//! stable sort by a comparison.
//!
//! Why not `slice::sort_by` directly: the standard library's stable sort is
//! large, and every call site with its own element type or closure got its
//! own copy in the browser's render worker (22 copies, ~78 KB of its wasm;
//! issue 21, first-visit bytes). Here the sort itself exists once: it orders
//! the elements' indices through a `dyn` comparison, then moves the elements
//! into that order. The order is the same as `sort_by`'s (both are stable).

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`, like `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Sorts `v` stably by a key, like `v.sort_by_key(key)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in ascending order, like `v.sort()`.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The one instance of the standard library's stable sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Puts `v[order[i]]` at `i` for every `i`, following the permutation's
/// cycles with swaps; `order` is consumed (entries become `usize::MAX`).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    for start in 0..v.len() {
        let mut i = start;
        while order[i] != usize::MAX {
            let from = std::mem::replace(&mut order[i], usize::MAX);
            if from == start {
                break;
            }
            v.swap(i, from);
            i = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_order_as_the_standard_stable_sort() {
        // Pairs sorted by their first element only: stability decides the
        // order of equal keys.
        let mut seed = 7u64;
        for len in [0usize, 1, 2, 3, 5, 17, 64, 300] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 60) as u8, i)
                })
                .collect();
            let mut want = v.clone();
            want.sort_by_key(|a| a.0);
            let mut got = v.clone();
            sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, want, "len {len}");
            let mut got = v.clone();
            sort_by_key(&mut got, |p| std::cmp::Reverse(p.0));
            let mut want = v.clone();
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(got, want, "len {len}, by key");
        }
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }
}
