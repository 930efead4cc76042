//! go-yaml v2 `sorter.go`: the "natural" map key order of `yaml.Marshal`.
//!
//! After sigs.k8s.io/yaml's JSON round trip every key is a string, so only
//! the string branch of `keyList.Less` matters: letters sort after
//! non-letters, runs of digits compare numerically (`a2 < a10`).
//!
//! Caveat: this comparator is not transitive (`"1a" < "9" < "10" < "1a"`),
//! and Go sorts map keys that arrive in random order, so for such key sets
//! real Helm's order is itself nondeterministic. We sort with a merge sort
//! over bytewise-sorted input (our maps are BTreeMaps): deterministic, never
//! panics on inconsistent comparisons (Rust's `sort_by` may), and equal to
//! Go's order wherever `Less` is a consistent order.
//!
//! Approximations: Go's `unicode.IsLetter` (category L) is approximated by
//! `char::is_alphabetic`, `unicode.IsDigit` (Nd) by ASCII digits.

fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic()
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit()
}

/// `keyList.Less` for two string keys.
pub fn less(a: &str, b: &str) -> bool {
    less_v(a, b, false)
}

/// go-yaml v3's `keyList.Less` (toYamlPretty): like v2, except that after
/// a common digit a letter sorts before a non-letter (`a1b` < `a1_`).
pub fn less_v3(a: &str, b: &str) -> bool {
    less_v(a, b, true)
}

fn less_v(a: &str, b: &str, v3: bool) -> bool {
    if a.is_ascii() && b.is_ascii() {
        less_runes(a.as_bytes(), b.as_bytes(), v3)
    } else {
        let ar: Vec<char> = a.chars().collect();
        let br: Vec<char> = b.chars().collect();
        less_runes(&ar, &br, v3)
    }
}

fn less_runes<C: Copy + Into<char> + PartialEq>(ar: &[C], br: &[C], v3: bool) -> bool {
    let n = ar.len().min(br.len());
    let mut digits = false;
    for i in 0..n {
        if ar[i] == br[i] {
            digits = is_digit(ar[i].into());
            continue;
        }
        let (ac, bc): (char, char) = (ar[i].into(), br[i].into());
        let al = is_letter(ac);
        let bl = is_letter(bc);
        if al && bl {
            return ac < bc;
        }
        if al || bl {
            return if v3 && digits { al } else { bl };
        }
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if ac == '0' || bc == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1].into()) {
                j -= 1;
                if ar[j].into() != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai].into()) {
            an = an.wrapping_mul(10).wrapping_add(ar[ai].into() as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi].into()) {
            bn = bn.wrapping_mul(10).wrapping_add(br[bi].into() as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ac < bc;
    }
    ar.len() < br.len()
}

/// Sorts `items` by `keyList.Less` on `key(item)`: stable bottom-up merge
/// sort that tolerates an intransitive comparator.
pub fn sort_keys<'a, T: Copy, F: Fn(T) -> &'a str>(items: &mut Vec<T>, key: F) {
    sort_keys_by(items, key, less)
}

/// `sort_keys` with a given comparator (`less` or `less_v3`).
pub fn sort_keys_by<'a, T: Copy, F: Fn(T) -> &'a str>(items: &mut Vec<T>, key: F, less: fn(&str, &str) -> bool) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut src: Vec<T> = items.clone();
    let mut dst: Vec<T> = items.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right only if strictly less: stable.
                if less(key(src[j]), key(src[i])) {
                    dst[k] = src[j];
                    j += 1;
                } else {
                    dst[k] = src[i];
                    i += 1;
                }
                k += 1;
            }
            while i < mid {
                dst[k] = src[i];
                i += 1;
                k += 1;
            }
            while j < end {
                dst[k] = src[j];
                j += 1;
                k += 1;
            }
            start = end;
        }
        std::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    *items = src;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut keys = vec!["b", "a10", "a2", "A", "Z", "a01", "a1", "_z", "-x", "~", "ä"];
        keys.sort(); // bytewise, like our maps
        sort_keys(&mut keys, |k: &str| k);
        assert_eq!(keys, vec!["-x", "_z", "~", "A", "Z", "a1", "a01", "a2", "a10", "b", "ä"]);
    }

    #[test]
    fn intransitive_does_not_panic() {
        let mut keys = vec!["1a", "9", "10", "01", "1", "a", "", "0", "00"];
        for _ in 0..5 {
            keys.rotate_left(1);
            let mut k = keys.clone();
            sort_keys(&mut k, |k: &str| k);
            assert_eq!(k.len(), keys.len());
        }
    }
}
