use crypto_bigint::{U1024, Uint};
use crypto_primes::hazmat::MillerRabin;
fn main() {
    let mut x = U1024::from_le_slice(&[0x5au8; 128]) | U1024::ONE | (U1024::ONE << 1023);
    let t = std::time::Instant::now();
    let mut c = 0;
    for _ in 0..200 { let mr = MillerRabin::new(&x); if mr.test_base_two().is_probably_prime() { c+=1; } x = x.wrapping_add(&Uint::from(2u32)); }
    println!("MR base2 1024: {:.3} ms each ({c})", t.elapsed().as_secs_f64()*1e3/200.0);
}
