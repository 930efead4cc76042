//! Sprig's crypto.go: hashes (and, later, keys/certificates/AES/bcrypt).

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::template::{Env, FuncMap, Ty};
use crate::value::Value;

use super::arg_str;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("sha1sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha1::digest(arg_str(&a, 0).as_bytes())))));
    m.add("sha256sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha256::digest(arg_str(&a, 0).as_bytes())))));
    m.add("sha512sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha512::digest(arg_str(&a, 0).as_bytes())))));
    m.add("uuidv4", &[], None, |env, _| Ok(Value::string(uuidv4(env))));
    m.add("randBytes", &[Int], None, |env, a| {
        let n = super::arg_int(&a, 0);
        if n < 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        if n > 1 << 26 {
            return Err("chartroom: randBytes count too large".into());
        }
        let bytes: Vec<u8> = (0..n).map(|_| env.next_u64() as u8).collect();
        Ok(Value::string(super::strings::base64_encode(&bytes)))
    });
    m.add("adler32sum", &[String], None, |_, a| Ok(Value::string(adler32(arg_str(&a, 0).as_bytes()).to_string())));
}

/// Lower-case hex (`hex.EncodeToString`).
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `hash/adler32.Checksum`.
pub fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65521;
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// `uuid.New().String()`: random (version 4, RFC 4122 variant), from the
/// render's seeded generator.
pub fn uuidv4(env: &mut Env) -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&env.next_u64().to_be_bytes());
    b[8..].copy_from_slice(&env.next_u64().to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}
