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

use crypto_bigint::{Uint, Word, U1024, U2048};
use crypto_primes::hazmat::{lucas_test, AStarBase, LucasCheck, MillerRabin, Primality, Sieve};
use rand_core::RngCore;
use rsa::BigUint;
use rsa::RsaPrivateKey;

/// Go's and Sprig's public exponent.
const E: u32 = 65537;

/// An RSA key with a modulus of exactly `bits` bits, e = 65537, two primes.
/// 2048 and 4096 bits (what Sprig asks for) take the fast path; any other
/// size falls back to `rsa`'s own generator.
pub(super) fn generate(rng: &mut impl rand_core::CryptoRngCore, bits: usize) -> Result<RsaPrivateKey, String> {
    match bits {
        2048 => two_prime_key::<{ U1024::LIMBS }>(rng, 1024),
        4096 => two_prime_key::<{ U2048::LIMBS }>(rng, 2048),
        _ => RsaPrivateKey::new(rng, bits).map_err(|e| e.to_string()),
    }
}

fn two_prime_key<const L: usize>(rng: &mut impl RngCore, half: usize) -> Result<RsaPrivateKey, String> {
    let e = BigUint::from(E);
    loop {
        let p = prime::<L>(rng, half);
        let q = prime::<L>(rng, half);
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

/// A random prime of exactly `bits` bits with its top two bits set, so that
/// the product of two has exactly `2 * bits` bits (as Go does).
fn prime<const L: usize>(rng: &mut impl RngCore, bits: usize) -> Uint<L> {
    let rounds = if bits >= 1345 { 4 } else { 5 };
    loop {
        let start = random_bits::<L>(rng, bits) | (Uint::<L>::ONE << (bits - 1)) | (Uint::<L>::ONE << (bits - 2)) | Uint::<L>::ONE;
        // The sieve walks up from `start` over numbers with no factor among
        // the first 2048 primes, and stops past `bits` bits.
        for candidate in Sieve::new(&start, bits, false) {
            if probably_prime(rng, &candidate, bits, rounds) {
                return candidate;
            }
        }
    }
}

/// Baillie–PSW, then `rounds` Miller–Rabin rounds with random bases.
/// `n` is odd, has `bits` bits, and is far larger than any small prime.
fn probably_prime<const L: usize>(rng: &mut impl RngCore, n: &Uint<L>, bits: usize, rounds: usize) -> bool {
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
        if !mr.test(&base).is_probably_prime() {
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

fn to_biguint<const L: usize>(x: &Uint<L>) -> BigUint {
    let bytes: Vec<u8> = x.as_words().iter().flat_map(|w: &Word| w.to_le_bytes()).collect();
    BigUint::from_bytes_le(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PublicKeyParts;

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

    #[test]
    fn keys_are_valid_and_reproducible() {
        for seed in 0..3u64 {
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

    #[test]
    fn rejects_known_composites() {
        // A Carmichael number and a strong pseudoprime to base 2 (2047 = 23·89).
        let carmichael = Uint::<{ U1024::LIMBS }>::from(561u32);
        assert!(!probably_prime(&mut Mix(1), &carmichael, 10, 5));
        let spsp2 = Uint::<{ U1024::LIMBS }>::from(2047u32);
        assert!(!probably_prime(&mut Mix(1), &spsp2, 11, 5));
        // The product of two 64-bit primes.
        let n = Uint::<{ U1024::LIMBS }>::from(18446744073709551557u64)
            .wrapping_mul(&Uint::<{ U1024::LIMBS }>::from(18446744073709551533u64));
        assert!(!probably_prime(&mut Mix(1), &n, 128, 5));
        // Primes pass: 2^127 − 1.
        let m127 = (Uint::<{ U1024::LIMBS }>::ONE << 127).wrapping_sub(&Uint::ONE);
        assert!(probably_prime(&mut Mix(1), &m127, 127, 5));
    }
}
