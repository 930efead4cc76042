//! RSA key generation times (the cost of Sprig's genCA/genSelfSignedCert/
//! genSignedCert and `genPrivateKey "rsa"`), over fixed seeds.
//! usage: cargo run --profile native -p chartroom-engine --example rsa_bench [SEEDS] [BITS] [--rsa-crate]
//! `--rsa-crate` times `rsa::RsaPrivateKey::new` (num-bigint-dig) on the
//! same generator instead, for comparison.
use std::time::Instant;

use chartroom_engine::sprig::certs::{generate_rsa_key, EnvRng};
use chartroom_engine::template::Env;
use rsa::traits::PublicKeyParts;

fn main() {
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let bits: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(2048);
    let rsa_crate = args.next().as_deref() == Some("--rsa-crate");
    let mut times = Vec::new();
    for seed in 0..seeds {
        let mut env = Env { rng_state: seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x1234_5678, ..Env::default() };
        let t = Instant::now();
        let key = if rsa_crate {
            rsa::RsaPrivateKey::new(&mut EnvRng(&mut env), bits)
                .map_err(|e| chartroom_engine::error::Error::go(e.to_string()))
        } else {
            generate_rsa_key(&mut env, bits)
        };
        let key = match key {
            Ok(k) => k,
            Err(e) => {
                eprintln!("seed {seed}: {e}");
                std::process::exit(1);
            }
        };
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if key.n().bits() != bits {
            eprintln!("seed {seed}: modulus has {} bits", key.n().bits());
            std::process::exit(1);
        }
        times.push(ms);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    let which = if rsa_crate { "rsa crate" } else { "chartroom" };
    println!(
        "{which} rsa-{bits}: {seeds} seeds, median {median:.1} ms, mean {mean:.1} ms, max {max:.1} ms, min {:.1} ms",
        times[0]
    );
}
