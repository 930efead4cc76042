//! RSA key generation for Sprig's key and certificate functions.
//!
//! `rsa::RsaPrivateKey::new` (num-bigint-dig) takes ~0.2–0.5 s per 2048-bit
//! key and seconds per 4096-bit key, which dominated charts that call
//! `genCA`/`genSignedCert`. Here the primes come from `crypto-primes` on
//! `crypto-bigint` (Montgomery exponentiation on fixed-size integers, a
//! 2048-small-prime incremental sieve) and only the final key is assembled
//! by `rsa` from (p, q, e).
//!
//! Randomness: every random bit comes from the caller's `RngCore` through
//! `fill_bytes` only (the render's `EnvRng` turns that into whole
//! `Env::next_u64` draws), never through crypto-bigint's `Random`, whose limb
//! size — and so its consumption of the generator — differs between the host
//! (64-bit limbs) and wasm32 (32-bit limbs). A fixed seed therefore yields the
//! same key natively and in the browser.
//!
//! Primality, per candidate surviving the sieve: Baillie–PSW (Miller–Rabin to
//! base 2 + strong Lucas with Baillie's A* parameters), then as many
//! Miller–Rabin rounds with random bases as FIPS 186-5 Appendix B.3.1 asks for
//! Miller–Rabin alone (what Go's crypto/rsa runs): 5 for 1024-bit primes,
//! 4 for 2048-bit ones.

// Multi-limb arithmetic reads best with explicit limb indices.
#![allow(clippy::needless_range_loop)]

use crate::error::Error;
use crypto_bigint::{Uint, Word, U1024, U2048};
use crypto_primes::hazmat::{lucas_test, AStarBase, LucasCheck, MillerRabin, Primality, Sieve};
use rand_core::RngCore;
use rsa::BigUint;
use rsa::RsaPrivateKey;

/// Go's and Sprig's public exponent.
const E: u32 = 65537;

/// The generator of a key, which may also say stop: the prime search asks
/// it before each candidate, so that one 4096-bit key (seconds in the browser
/// or an unoptimised build) cannot run far past the render's deadline.
pub(super) trait KeyRng: rand_core::CryptoRngCore {
    /// `Err` (the render's limit message) once the key must not be finished.
    fn check(&mut self) -> Result<(), Error>;
}

/// An RSA key with a modulus of exactly `bits` bits, e = 65537, two primes.
/// 2048 and 4096 bits (what Sprig asks for) take the fast path; any other
/// size falls back to `rsa`'s own generator.
pub(super) fn generate(rng: &mut impl KeyRng, bits: usize) -> Result<RsaPrivateKey, Error> {
    match bits {
        2048 => two_prime_key::<{ U1024::LIMBS }, 16>(rng, 1024),
        4096 => two_prime_key::<{ U2048::LIMBS }, 32>(rng, 2048),
        _ => RsaPrivateKey::new(rng, bits).map_err(|e| Error::go(e.to_string())),
    }
}

/// `L`: crypto-bigint limbs of a `half`-bit prime; `K`: 64-bit limbs of it.
fn two_prime_key<const L: usize, const K: usize>(rng: &mut impl KeyRng, half: usize) -> Result<RsaPrivateKey, Error> {
    let e = BigUint::from(E);
    loop {
        let p = prime::<L, K>(rng, half)?;
        let q = prime::<L, K>(rng, half)?;
        // FIPS 186-5 A.1.3: |p − q| > 2^(nlen/2 − 100) (this also rules out p = q).
        let diff = if p > q { p.wrapping_sub(&q) } else { q.wrapping_sub(&p) };
        if diff.bits() <= half - 100 {
            continue;
        }
        let (p, q) = (to_biguint(&p), to_biguint(&q));
        // e must be invertible modulo p − 1 and q − 1: as e is prime, p, q ≢ 1 (mod e).
        if &p % E == BigUint::from(1u32) || &q % E == BigUint::from(1u32) {
            continue;
        }
        let key = RsaPrivateKey::from_p_q(p, q, e).map_err(|err| err.to_string())?;
        key.validate().map_err(|err| err.to_string())?;
        return Ok(key);
    }
}

/// Whether candidates go through `mr_base_two` first, and the random-base
/// rounds through `mr_base`. They decide exactly what crypto-primes' own
/// Miller–Rabin decides — see the agreement tests — so a seed's key does not
/// depend on this; unoptimised
/// builds (tests) skip it, as at opt-level 0 it is far slower than
/// crypto-primes, which the workspace's dev profile optimises.
const FAST_MONTGOMERY: bool = !cfg!(debug_assertions);

/// A random prime of exactly `bits` bits with its top two bits set, so that
/// the product of two has exactly `2 * bits` bits (as Go does).
fn prime<const L: usize, const K: usize>(rng: &mut impl KeyRng, bits: usize) -> Result<Uint<L>, Error> {
    let rounds = if bits >= 1345 { 4 } else { 5 };
    loop {
        let start = random_bits::<L>(rng, bits)
            | (Uint::<L>::ONE << (bits - 1))
            | (Uint::<L>::ONE << (bits - 2))
            | Uint::<L>::ONE;
        // The sieve walks up from `start` over numbers with no factor among
        // the first 2048 primes, and stops past `bits` bits.
        for candidate in Sieve::new(&start, bits, false) {
            // Per candidate: a clock read beside a Miller–Rabin round (under
            // a millisecond optimised, far more in an unoptimised build).
            rng.check()?;
            // Nearly every candidate is composite and fails Miller–Rabin to
            // base 2: run that first in the fast variable-time form.
            if FAST_MONTGOMERY && bits == 64 * K && !mr_base_two(&to_u64_limbs::<L, K>(&candidate)) {
                continue;
            }
            if probably_prime::<L, K>(rng, &candidate, bits, rounds) {
                return Ok(candidate);
            }
        }
    }
}

/// Baillie–PSW, then `rounds` Miller–Rabin rounds with random bases.
/// `n` is odd, has `bits` bits, and is far larger than any small prime.
fn probably_prime<const L: usize, const K: usize>(
    rng: &mut impl RngCore,
    n: &Uint<L>,
    bits: usize,
    rounds: usize,
) -> bool {
    let mr = MillerRabin::new(n);
    if !mr.test_base_two().is_probably_prime() {
        return false;
    }
    match lucas_test(n, AStarBase, LucasCheck::Strong) {
        Primality::Composite => return false,
        Primality::Prime => return true,
        Primality::ProbablyPrime => {}
    }
    for _ in 0..rounds {
        // A base in [2, 2^(bits−1)) ⊂ [2, n − 2], uniformly (rejecting 0 and 1).
        let base = loop {
            let b = random_bits::<L>(rng, bits - 1);
            if b > Uint::<L>::ONE {
                break b;
            }
        };
        let passed = if FAST_MONTGOMERY && bits == 64 * K {
            mr_base(&to_u64_limbs::<L, K>(n), &to_u64_limbs::<L, K>(&base))
        } else {
            mr.test(&base).is_probably_prime()
        };
        if !passed {
            return false;
        }
    }
    true
}

/// A uniformly random integer below 2^bits (`bits` ≤ the width of `Uint<L>`),
/// from `fill_bytes` only (see the module docs).
fn random_bits<const L: usize>(rng: &mut impl RngCore, bits: usize) -> Uint<L> {
    let mut bytes = vec![0u8; Uint::<L>::BYTES];
    rng.fill_bytes(&mut bytes);
    Uint::<L>::from_le_slice(&bytes) >> (Uint::<L>::BITS - bits)
}

fn to_u64_limbs<const L: usize, const K: usize>(x: &Uint<L>) -> [u64; K] {
    let bytes: Vec<u8> = x.as_words().iter().flat_map(|w: &Word| w.to_le_bytes()).collect();
    let mut out = [0u64; K];
    for (limb, chunk) in out.iter_mut().zip(bytes.chunks(8)) {
        let mut b = [0u8; 8];
        b[..chunk.len()].copy_from_slice(chunk);
        *limb = u64::from_le_bytes(b);
    }
    out
}

/// Miller–Rabin to base 2 for an odd `n` whose top bit (bit 64K − 1) is set,
/// with variable-time Montgomery arithmetic on 64-bit limbs. The candidates
/// are public-to-be-discarded numbers drawn from a seeded generator, so
/// constant time buys nothing here; this is ~2–3× faster than the generic
/// constant-time exponentiation. Squarings only: multiplying by the base 2
/// is a doubling (shift and conditional subtraction) in Montgomery form.
fn mr_base_two<const K: usize>(n: &[u64; K]) -> bool {
    let ninv = neg_inverse(n[0]);
    // R mod n = 2^(64K) − n, as n > 2^(64K − 1).
    let one = neg(n);
    let minus_one = sub(n, &one);
    // n − 1 = d · 2^s with d odd.
    let mut n1 = *n;
    n1[0] &= !1;
    let s = trailing_zeros(&n1);
    let dbits = 64 * K - s;
    // x = 2^d in Montgomery form, left to right over the bits of d (n1 >> s).
    let mut x = one;
    for i in (s..s + dbits).rev() {
        x = mont_sqr(&x, n, ninv);
        if (n1[i / 64] >> (i % 64)) & 1 == 1 {
            x = double_mod(&x, n);
        }
    }
    mr_finish(x, s, &one, &minus_one, n, ninv)
}

/// Miller–Rabin to a base 2 ≤ `base` < n, for an odd `n` with its top bit
/// set, variable-time (see `mr_base_two`), 4-bit fixed windows.
fn mr_base<const K: usize>(n: &[u64; K], base: &[u64; K]) -> bool {
    let ninv = neg_inverse(n[0]);
    let one = neg(n);
    let minus_one = sub(n, &one);
    // R² mod n, by doubling R mod n 64K times; then base · R mod n.
    let mut r2 = one;
    for _ in 0..64 * K {
        r2 = double_mod(&r2, n);
    }
    let b = mont_mul(base, &r2, n, ninv);
    let mut table = [one; 16];
    for i in 1..16 {
        table[i] = mont_mul(&table[i - 1], &b, n, ninv);
    }
    let mut n1 = *n;
    n1[0] &= !1;
    let s = trailing_zeros(&n1);
    // x = base^d, d = n1 >> s: bits 64K − 1 down to s, up to 4 at a time.
    let mut x = one;
    let mut top = 64 * K;
    while top > s {
        let w = (top - s).min(4);
        top -= w;
        for _ in 0..w {
            x = mont_sqr(&x, n, ninv);
        }
        let digit = (0..w).fold(0usize, |acc, k| {
            let i = top + k;
            acc | ((((n1[i / 64] >> (i % 64)) & 1) as usize) << k)
        });
        if digit != 0 {
            x = mont_mul(&x, &table[digit], n, ninv);
        }
    }
    mr_finish(x, s, &one, &minus_one, n, ninv)
}

/// The end of a Miller–Rabin round: x = base^d (Montgomery form); squared up
/// to s − 1 times, it must reach −1 (or start at ±1).
fn mr_finish<const K: usize>(
    mut x: [u64; K],
    s: usize,
    one: &[u64; K],
    minus_one: &[u64; K],
    n: &[u64; K],
    ninv: u64,
) -> bool {
    if x == *one || x == *minus_one {
        return true;
    }
    for _ in 1..s {
        x = mont_sqr(&x, n, ninv);
        if x == *minus_one {
            return true;
        }
        if x == *one {
            return false;
        }
    }
    false
}

/// −n⁻¹ mod 2^64 for odd n (Newton's iteration, 6 steps from 1 bit).
fn neg_inverse(n0: u64) -> u64 {
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg()
}

fn neg<const K: usize>(a: &[u64; K]) -> [u64; K] {
    sub(&[0; K], a)
}

/// a − b mod 2^(64K).
fn sub<const K: usize>(a: &[u64; K], b: &[u64; K]) -> [u64; K] {
    let mut out = [0u64; K];
    let mut borrow = false;
    for i in 0..K {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow as u64);
        out[i] = d2;
        borrow = b1 || b2;
    }
    out
}

fn geq<const K: usize>(a: &[u64; K], b: &[u64; K]) -> bool {
    for i in (0..K).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn trailing_zeros<const K: usize>(a: &[u64; K]) -> usize {
    let mut tz = 0;
    for &w in a {
        if w == 0 {
            tz += 64;
        } else {
            return tz + w.trailing_zeros() as usize;
        }
    }
    tz
}

/// 2a mod n for a < n.
fn double_mod<const K: usize>(a: &[u64; K], n: &[u64; K]) -> [u64; K] {
    let mut out = [0u64; K];
    let mut carry = 0u64;
    for i in 0..K {
        out[i] = (a[i] << 1) | carry;
        carry = a[i] >> 63;
    }
    if carry == 1 || geq(&out, n) {
        out = sub(&out, n);
    }
    out
}

/// t + a·b + carry as (low, high) limbs; never overflows ((2⁶⁴−1)² + 2(2⁶⁴−1) = 2¹²⁸−1).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn mac(t: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let v = t as u128 + (a as u128) * (b as u128) + carry as u128;
    (v as u64, (v >> 64) as u64)
}

/// On wasm32 a u128 product is a call to compiler-builtins' `__multi3` (a
/// full 128 × 128-bit multiply). Four 32 × 32 → 64-bit products (one
/// `i64.mul` each) give the same result, faster: RSA-2048 generation in
/// rsa_bench under node's WASI, mean of 10 seeds, 240 → 152 ms (native 50).
/// (32-bit limbs throughout were not faster.)
#[cfg(target_arch = "wasm32")]
#[inline(always)]
fn mac(t: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    mac_split(t, a, b, carry)
}

#[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
#[inline(always)]
fn mac_split(t: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    const M: u64 = 0xffff_ffff;
    let (a0, a1, b0, b1) = (a & M, a >> 32, b & M, b >> 32);
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let mid = (p00 >> 32) + (p01 & M) + (p10 & M);
    let lo = (p00 & M) | (mid << 32);
    let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    let (lo, c1) = lo.overflowing_add(t);
    let (lo, c2) = lo.overflowing_add(carry);
    (lo, hi + c1 as u64 + c2 as u64)
}

/// a · b · 2^(−64K) mod n (a, b < n), CIOS Montgomery multiplication.
fn mont_mul<const K: usize>(a: &[u64; K], b: &[u64; K], n: &[u64; K], ninv: u64) -> [u64; K] {
    // K + 2 limbs; a fixed array of 32 + 2 avoids an allocation per call.
    let mut buf = [0u64; 32 + 2];
    let t = &mut buf[..K + 2];
    for i in 0..K {
        let mut carry = 0u64;
        for j in 0..K {
            (t[j], carry) = mac(t[j], a[j], b[i], carry);
        }
        let (v, c) = t[K].overflowing_add(carry);
        t[K] = v;
        t[K + 1] = c as u64;
        let m = t[0].wrapping_mul(ninv);
        let (_, mut carry) = mac(t[0], m, n[0], 0);
        for j in 1..K {
            (t[j - 1], carry) = mac(t[j], m, n[j], carry);
        }
        let (v, c) = t[K].overflowing_add(carry);
        t[K - 1] = v;
        t[K] = t[K + 1] + c as u64;
    }
    let mut out = [0u64; K];
    out.copy_from_slice(&t[..K]);
    if t[K] != 0 || geq(&out, n) {
        out = sub(&out, n);
    }
    out
}

/// a² · 2^(−64K) mod n (a < n): the square's off-diagonal products once,
/// doubled, plus the diagonal, then Montgomery reduction word by word.
fn mont_sqr<const K: usize>(a: &[u64; K], n: &[u64; K], ninv: u64) -> [u64; K] {
    // t = a² as 2K limbs (+1 for the reduction carry).
    // (2K + 1 limbs; a fixed array of 2 × 33 avoids an allocation per call.)
    let mut buf = [0u64; 2 * 32 + 2];
    let t = &mut buf[..2 * K + 1];
    for i in 0..K {
        let mut carry = 0u64;
        for j in i + 1..K {
            (t[i + j], carry) = mac(t[i + j], a[i], a[j], carry);
        }
        t[i + K] = carry;
    }
    let mut top = 0u64;
    for limb in t.iter_mut().take(2 * K) {
        let v = *limb;
        *limb = (v << 1) | top;
        top = v >> 63;
    }
    let mut carry = 0u64;
    for i in 0..K {
        let (sq_lo, sq_hi) = mac(0, a[i], a[i], 0);
        let (v, c1) = t[2 * i].overflowing_add(sq_lo);
        let (v, c2) = v.overflowing_add(carry);
        t[2 * i] = v;
        let (w, d1) = t[2 * i + 1].overflowing_add(sq_hi);
        let (w, d2) = w.overflowing_add(c1 as u64 + c2 as u64);
        t[2 * i + 1] = w;
        carry = d1 as u64 + d2 as u64;
    }
    // Montgomery reduction: K times, add m·n so that the low limb vanishes;
    // `high` is the carry out of limb i + K, added at the next row's top.
    let mut high = 0u64;
    for i in 0..K {
        let m = t[i].wrapping_mul(ninv);
        let mut carry = 0u64;
        for j in 0..K {
            (t[i + j], carry) = mac(t[i + j], m, n[j], carry);
        }
        let (v, c1) = t[i + K].overflowing_add(carry);
        let (v, c2) = v.overflowing_add(high);
        t[i + K] = v;
        high = c1 as u64 + c2 as u64;
    }
    t[2 * K] = high;
    let mut out = [0u64; K];
    out.copy_from_slice(&t[K..2 * K]);
    if t[2 * K] != 0 || geq(&out, n) {
        out = sub(&out, n);
    }
    out
}

fn to_biguint<const L: usize>(x: &Uint<L>) -> BigUint {
    let bytes: Vec<u8> = x.as_words().iter().flat_map(|w: &Word| w.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    /// A SplitMix64 stream, as `Env::next_u64`.
    struct Mix(u64);
    impl RngCore for Mix {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for chunk in dest.chunks_mut(8) {
                let v = self.next_u64().to_le_bytes();
                chunk.copy_from_slice(&v[..chunk.len()]);
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl rand_core::CryptoRng for Mix {}
    impl KeyRng for Mix {
        fn check(&mut self) -> Result<(), Error> {
            Ok(())
        }
    }

    /// A generator whose render says stop at its `n`th check.
    struct StopAt(Mix, u32);
    impl RngCore for StopAt {
        fn next_u32(&mut self) -> u32 {
            self.0.next_u32()
        }
        fn next_u64(&mut self) -> u64 {
            self.0.next_u64()
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            self.0.fill_bytes(dest)
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
            self.0.try_fill_bytes(dest)
        }
    }
    impl rand_core::CryptoRng for StopAt {}
    impl KeyRng for StopAt {
        fn check(&mut self) -> Result<(), Error> {
            self.1 = self.1.saturating_sub(1);
            if self.1 == 0 {
                return Err("render stopped: timeout of 1s exceeded".into());
            }
            Ok(())
        }
    }

    /// The key search asks its generator before each candidate and ends
    /// with the render's message when told to stop (the deadline).
    #[test]
    fn a_stop_ends_the_key_search() {
        assert_eq!(
            generate(&mut StopAt(Mix(3), 5), 4096).err().map(|e| e.message).as_deref(),
            Some("render stopped: timeout of 1s exceeded")
        );
        assert!(generate(&mut StopAt(Mix(3), u32::MAX), 2048).is_ok());
    }

    /// The wasm32 multiply-accumulate (32-bit halves) agrees with the exact
    /// u128 arithmetic on the extremes and on a random stream.
    #[test]
    fn split_multiply_accumulate_is_exact() {
        let exact = |t: u64, a: u64, b: u64, c: u64| {
            let v = t as u128 + (a as u128) * (b as u128) + c as u128;
            (v as u64, (v >> 64) as u64)
        };
        let edges = [0, 1, 2, 0xffff_ffff, 0x1_0000_0000, 0x8000_0000_0000_0000, u64::MAX - 1, u64::MAX];
        for &t in &edges {
            for &a in &edges {
                for &b in &edges {
                    for &c in &edges {
                        assert_eq!(mac_split(t, a, b, c), exact(t, a, b, c), "{t:#x} {a:#x} {b:#x} {c:#x}");
                    }
                }
            }
        }
        let mut r = Mix(42);
        for _ in 0..200_000 {
            let (t, a, b, c) = (r.next_u64(), r.next_u64(), r.next_u64(), r.next_u64());
            assert_eq!(mac_split(t, a, b, c), exact(t, a, b, c));
        }
    }

    #[test]
    fn keys_are_valid_and_reproducible() {
        for seed in 0..2u64 {
            let k = generate(&mut Mix(seed), 2048).unwrap();
            assert_eq!(k.n().bits(), 2048);
            assert_eq!(k.e(), &BigUint::from(65537u32));
            assert_eq!(k.primes().len(), 2);
            assert_ne!(k.primes()[0], k.primes()[1]);
            for p in k.primes() {
                assert_eq!(p.bits(), 1024);
            }
            k.validate().unwrap();
            let again = generate(&mut Mix(seed), 2048).unwrap();
            assert_eq!(k, again);
        }
        let other = generate(&mut Mix(99), 2048).unwrap();
        assert_ne!(other, generate(&mut Mix(0), 2048).unwrap());
    }

    /// Primes checked independently (`openssl prime`).
    const PRIME_1024: [&str; 4] = [
        "94aa4e719d3c7dec00a61f933d6c51e370eb9a0a96263ae6c5e818fac0433cbd",
        "7dabe929c4a334bfc6cd75e9bb049a79d7a7a3cc8c3d5f169293de8fc88b2875",
        "6bad6be28e7aa6e99f19950499dd251de512148239292d22e255accb1a466884",
        "f3f49249dc28ff90a5aec7978306d03bf38b2ffc80a4df5a51c9bc701e7ea535",
    ];
    const PRIME_2048: [&str; 8] = [
        "ca92ead7722db38e59f4a1a47ab4bd0752b1a91b85ccc0a393f4933a42ff3948",
        "c15f2e4a96990e61d022c5c5065ac3a93fe83a4e77be780b697f00aeb7ccb83c",
        "1edc479420822e5003bf1aa1cddc41c2a9f19e00ae6a2958ca824c90cb70b4e0",
        "e66afb666921a94a322f9517f571a3bab1c6df9253e9a063df5382b5c6d0c67d",
        "af9fa748bc55bab93d3307af6d2366d0429a891e044656f2df61fce846903eab",
        "e83fd3506e59976d8b99e43cdfe6a5423a089b318b24eebdd770c5ad6a195491",
        "94714cc50b5cd4a822fdf581e40d1a7db21a1e9863d60886449b3d2f7107d1bf",
        "06eb4696aadfcd907650c96206c5b334e85aa6668df44ef320f9f43f2580c9d9",
    ];

    /// The fast base-2 test against crypto-primes' on the odd numbers
    /// around `center` (one of them `center` itself).
    fn agree_around<const L: usize, const K: usize>(center: Uint<L>, count: u32) -> usize {
        let mut x = center.wrapping_sub(&Uint::from(2 * (count / 2)));
        let mut passed = 0;
        for _ in 0..count {
            let fast = mr_base_two(&to_u64_limbs::<L, K>(&x));
            let slow = MillerRabin::new(&x).test_base_two().is_probably_prime();
            assert_eq!(fast, slow, "{x}");
            passed += fast as usize;
            x = x.wrapping_add(&Uint::from(2u32));
        }
        passed
    }

    #[test]
    fn fast_base_two_test_agrees_with_crypto_primes() {
        let p1 = Uint::<{ U1024::LIMBS }>::from_be_hex(&PRIME_1024.concat());
        assert!(agree_around::<{ U1024::LIMBS }, 16>(p1, 41) >= 1);
        let p2 = Uint::<{ U2048::LIMBS }>::from_be_hex(&PRIME_2048.concat());
        assert!(agree_around::<{ U2048::LIMBS }, 32>(p2, 9) >= 1);
        // Random odd 1024-bit numbers with the top bit set.
        let mut rng = Mix(7);
        let start = random_bits::<{ U1024::LIMBS }>(&mut rng, 1024) | (Uint::ONE << 1023) | Uint::ONE;
        agree_around::<{ U1024::LIMBS }, 16>(start, 40);
    }

    #[test]
    fn fast_random_base_test_agrees_with_crypto_primes() {
        let mut rng = Mix(11);
        let p1 = Uint::<{ U1024::LIMBS }>::from_be_hex(&PRIME_1024.concat());
        let p2 = Uint::<{ U2048::LIMBS }>::from_be_hex(&PRIME_2048.concat());
        let mut passed = 0;
        // The prime and odd numbers around it (mostly composite), random bases.
        for k in 0..12u32 {
            let x = p1.wrapping_add(&Uint::from(2 * k));
            let base = random_bits::<{ U1024::LIMBS }>(&mut rng, 1023);
            let fast = mr_base(&to_u64_limbs::<{ U1024::LIMBS }, 16>(&x), &to_u64_limbs::<{ U1024::LIMBS }, 16>(&base));
            assert_eq!(fast, MillerRabin::new(&x).test(&base).is_probably_prime(), "{x} {base}");
            passed += fast as usize;
        }
        for k in 0..3u32 {
            let x = p2.wrapping_add(&Uint::from(2 * k));
            let base = random_bits::<{ U2048::LIMBS }>(&mut rng, 2047);
            let fast = mr_base(&to_u64_limbs::<{ U2048::LIMBS }, 32>(&x), &to_u64_limbs::<{ U2048::LIMBS }, 32>(&base));
            assert_eq!(fast, MillerRabin::new(&x).test(&base).is_probably_prime(), "{x} {base}");
            passed += fast as usize;
        }
        // Both primes pass (k = 0), and so does the base 2 through `mr_base`.
        assert!(passed >= 2);
        let two = Uint::<{ U1024::LIMBS }>::from(2u32);
        assert!(mr_base(&to_u64_limbs::<{ U1024::LIMBS }, 16>(&p1), &to_u64_limbs::<{ U1024::LIMBS }, 16>(&two)));
        let odd = p1.wrapping_add(&Uint::from(2u32));
        assert_eq!(
            mr_base(&to_u64_limbs::<{ U1024::LIMBS }, 16>(&odd), &to_u64_limbs::<{ U1024::LIMBS }, 16>(&two)),
            mr_base_two(&to_u64_limbs::<{ U1024::LIMBS }, 16>(&odd))
        );
    }

    /// The key for a seed is part of what a share link reproduces: it must
    /// not change between builds (debug/release, host/wasm32) or versions.
    #[test]
    fn seed_zero_key_is_stable() {
        let k = generate(&mut Mix(0), 2048).unwrap();
        let low = k.n().to_bytes_le()[..8].to_vec();
        println!("seed 0 modulus low bytes: {low:02x?}");
        assert_eq!(low, PINNED_LOW);
    }
    // From the unoptimised build (crypto-primes' Miller–Rabin only); the
    // optimised build (fast Montgomery path) must give the same.
    const PINNED_LOW: [u8; 8] = [0x75, 0x60, 0xdc, 0xc9, 0x34, 0xb4, 0x7b, 0x53];

    #[test]
    fn rejects_known_composites() {
        // A Carmichael number and a strong pseudoprime to base 2 (2047 = 23·89).
        let carmichael = Uint::<{ U1024::LIMBS }>::from(561u32);
        assert!(!probably_prime::<_, 16>(&mut Mix(1), &carmichael, 10, 5));
        let spsp2 = Uint::<{ U1024::LIMBS }>::from(2047u32);
        assert!(!probably_prime::<_, 16>(&mut Mix(1), &spsp2, 11, 5));
        // The product of two 64-bit primes.
        let n = Uint::<{ U1024::LIMBS }>::from(18446744073709551557u64)
            .wrapping_mul(&Uint::<{ U1024::LIMBS }>::from(18446744073709551533u64));
        assert!(!probably_prime::<_, 16>(&mut Mix(1), &n, 128, 5));
        // Primes pass: 2^127 − 1.
        let m127 = (Uint::<{ U1024::LIMBS }>::ONE << 127).wrapping_sub(&Uint::ONE);
        assert!(probably_prime::<_, 16>(&mut Mix(1), &m127, 127, 5));
    }
}
