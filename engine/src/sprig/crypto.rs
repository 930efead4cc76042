//! Sprig's crypto.go: hashes (and, later, keys/certificates/AES/bcrypt).

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::template::{FuncMap, Ty};
use crate::value::Value;

use super::arg_str;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("sha1sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha1::digest(arg_str(&a, 0).as_bytes())))));
    m.add("sha256sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha256::digest(arg_str(&a, 0).as_bytes())))));
    m.add("sha512sum", &[String], None, |_, a| Ok(Value::string(hex(&Sha512::digest(arg_str(&a, 0).as_bytes())))));
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
