//! cli/v1, compute-bound (for benchmarks): counts the primes up to N (the
//! first extraArg, default 1000000) with a sieve of Eratosthenes and
//! returns `{"data":{"n":N,"primes":P}}`.
use extism_pdk::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Input {
    #[serde(default, rename = "extraArgs")]
    extra_args: Vec<String>,
}

fn count_primes(n: usize) -> usize {
    if n < 2 {
        return 0;
    }
    let mut composite = vec![false; n + 1];
    let mut count = 0;
    for i in 2..=n {
        if !composite[i] {
            count += 1;
            // i*i would overflow usize (32 bits on wasm32) past 65535.
            if i > n / i {
                continue;
            }
            let mut j = i * i;
            while j <= n {
                composite[j] = true;
                j += i;
            }
        }
    }
    count
}

#[plugin_fn]
pub fn helm_plugin_main(input: String) -> FnResult<String> {
    let inp: Input = serde_json::from_str(&input)?;
    let n: usize = match inp.extra_args.first() {
        Some(a) => a.parse().map_err(|_| Error::msg(format!("compute: N must be a number up to 100000000, got {a:?}")))?,
        None => 1_000_000,
    };
    if n > 100_000_000 {
        return Err(Error::msg(format!("compute: N must be a number up to 100000000, got {n}")).into());
    }
    Ok(format!("{{\"data\":{{\"n\":{n},\"primes\":{}}}}}", count_primes(n)))
}
