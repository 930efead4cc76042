//! Sprig's crypto.go: hashes (and, later, keys/certificates/AES/bcrypt).

// The key functions below are unused without the `crypto` feature.
#![cfg_attr(not(feature = "crypto"), allow(dead_code, unused_imports))]

use crate::error::{go_err, Error};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::template::{Env, FuncMap, Ty};
use crate::value::Value;

use super::arg_str;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("sha1sum", &[String], None, |_, a| {
        Ok(Value::string(hex(&Sha1::digest(crate::gostring::to_bytes(&arg_str(&a, 0))))))
    });
    m.add("sha256sum", &[String], None, |_, a| {
        Ok(Value::string(hex(&Sha256::digest(crate::gostring::to_bytes(&arg_str(&a, 0))))))
    });
    m.add("sha512sum", &[String], None, |_, a| {
        Ok(Value::string(hex(&Sha512::digest(crate::gostring::to_bytes(&arg_str(&a, 0))))))
    });
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
        Ok(Value::string(crate::gofmt::base64::encode_std(&bytes)))
    });
    // Without the feature these names are registered by sprig::ondemand.
    #[cfg(feature = "crypto")]
    {
        m.add("encryptAES", &[String, String], None, |env, a| {
            encrypt_aes(env, &arg_str(&a, 0), &arg_str(&a, 1)).map(Value::string)
        });
        m.add("decryptAES", &[String, String], None, |_, a| {
            decrypt_aes(&arg_str(&a, 0), &arg_str(&a, 1)).map(Value::string)
        });
        m.add("bcrypt", &[String], None, |env, a| {
            Ok(Value::string(bcrypt(env, &crate::gostring::to_bytes(&arg_str(&a, 0)))))
        });
        m.add("htpasswd", &[String, String], None, |env, a| {
            let user = arg_str(&a, 0);
            if user.contains(':') {
                return Ok(Value::string(format!("invalid username: {user}")));
            }
            Ok(Value::string(format!("{user}:{}", bcrypt(env, &crate::gostring::to_bytes(&arg_str(&a, 1))))))
        });
        m.add("derivePassword", &[Uint32, String, String, String, String], None, |_, a| {
            let counter = match a.first() {
                Some(Value::Int(i, _)) => *i as u32,
                Some(Value::Uint(u)) => *u as u32,
                _ => 0,
            };
            Ok(Value::string(derive_password(
                counter,
                &arg_str(&a, 1),
                &arg_str(&a, 2),
                &arg_str(&a, 3),
                &arg_str(&a, 4),
            )))
        });
    }
    m.add("adler32sum", &[String], None, |_, a| {
        Ok(Value::string(adler32(&crate::gostring::to_bytes(&arg_str(&a, 0))).to_string()))
    });
}

/// Lower-case hex (`hex.EncodeToString`).
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `hash/adler32.Checksum`.
pub(crate) fn adler32(data: &[u8]) -> u32 {
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
pub(crate) fn uuidv4(env: &mut Env) -> String {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&env.next_u64().to_be_bytes());
    b[8..].copy_from_slice(&env.next_u64().to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Sprig's AES key: the password's bytes, zero-padded/truncated to 32.
fn aes_key(password: &str) -> aes::Aes256 {
    use aes::cipher::KeyInit;
    let mut key = [0u8; 32];
    let p = password.as_bytes();
    let n = p.len().min(32);
    key[..n].copy_from_slice(&p[..n]);
    aes::Aes256::new(&key.into())
}

/// Sprig's `encryptAES`: AES-256-CBC, PKCS#7 padding, random IV prepended,
/// base64. The IV comes from the render's seeded generator.
fn encrypt_aes(env: &mut Env, password: &str, plaintext: &str) -> Result<String, Error> {
    use aes::cipher::BlockEncrypt;
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let cipher = aes_key(password);
    let mut content = plaintext.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut out = Vec::with_capacity(16 + content.len());
    let mut prev = [0u8; 16];
    prev[..8].copy_from_slice(&env.next_u64().to_be_bytes());
    prev[8..].copy_from_slice(&env.next_u64().to_be_bytes());
    out.extend_from_slice(&prev);
    for chunk in content.chunks(16) {
        let mut block = [0u8; 16];
        for i in 0..16 {
            block[i] = chunk[i] ^ prev[i];
        }
        let mut b = block.into();
        cipher.encrypt_block(&mut b);
        prev.copy_from_slice(&b);
        out.extend_from_slice(&b);
    }
    Ok(crate::gofmt::base64::encode_std(&out))
}

/// Sprig's `decryptAES`, including Go's panics on malformed input.
fn decrypt_aes(password: &str, crypt64: &str) -> Result<String, Error> {
    use aes::cipher::BlockDecrypt;
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = crate::gofmt::base64::decode_std(crypt64.as_bytes())?;
    let cipher = aes_key(password);
    if crypt.len() < 16 {
        // Go slices the decode buffer, whose capacity is DecodedLen(len(s)).
        let cap = crypt64.len() / 4 * 3;
        return Err(go_err!("runtime error: slice bounds out of range [:16] with capacity {cap}"));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let mut prev: [u8; 16] = iv.try_into().map_err(|_| "bad iv".to_string())?;
    let mut out = Vec::with_capacity(body.len());
    for chunk in body.chunks(16) {
        let mut b: [u8; 16] = chunk.try_into().map_err(|_| "bad block".to_string())?;
        let mut g = b.into();
        cipher.decrypt_block(&mut g);
        for i in 0..16 {
            out.push(g[i] ^ prev[i]);
        }
        b.copy_from_slice(chunk);
        prev = b;
    }
    let Some(&last) = out.last() else {
        return Err("runtime error: index out of range [-1]".into());
    };
    let end = out.len() as i64 - i64::from(last);
    if end < 0 {
        return Err(go_err!("runtime error: slice bounds out of range [:{end}]"));
    }
    Ok(crate::gostring::from_bytes(&out[..end as usize]))
}

const BCRYPT_ALPHABET: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// bcrypt's radix-64 (no padding).
fn bcrypt_b64(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(char::from(BCRYPT_ALPHABET[((v >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Sprig's `bcrypt`: x/crypto `GenerateFromPassword(input, 10)` with a salt
/// from the render's generator; Go's error text for passwords > 72 bytes.
fn bcrypt(env: &mut Env, password: &[u8]) -> String {
    if password.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".into();
    }
    let mut salt = [0u8; 16];
    salt[..8].copy_from_slice(&env.next_u64().to_be_bytes());
    salt[8..].copy_from_slice(&env.next_u64().to_be_bytes());
    // Bug compatibility with C bcrypt: the key includes the trailing NUL.
    let mut key = password.to_vec();
    key.push(0);
    let hash = ::bcrypt::bcrypt(10, salt, &key);
    format!("$2a$10${}{}", bcrypt_b64(&salt), bcrypt_b64(&hash[..23]))
}

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

fn password_templates(t: &str) -> Option<&'static [&'static str]> {
    Some(match t {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        b'x' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
        _ => b"",
    }
}

/// Sprig's `derivePassword` (Master Password algorithm: scrypt N=32768,
/// r=8, p=2 on the user, HMAC-SHA256 on the site and counter).
fn derive_password(counter: u32, ptype: &str, password: &str, user: &str, site: &str) -> String {
    use hmac::Mac;
    let Some(templates) = password_templates(ptype) else {
        return format!("cannot find password template {ptype}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2, 64) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = hmac::Hmac::<Sha256>::new_from_slice(&key) else {
        return "failed to derive password: hmac".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let temp = templates[usize::from(seed[0]) % templates.len()].as_bytes();
    temp.iter()
        .enumerate()
        .map(|(i, &e)| {
            let chars = template_chars(e);
            let s = usize::from(*seed.get(i + 1).unwrap_or(&0));
            char::from(chars[s % chars.len()])
        })
        .collect()
}

/// See Cargo.toml: OS randomness is never used; fail loudly if it is.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
fn no_os_randomness(_buf: &mut [u8]) -> Result<(), getrandom::Error> {
    Err(getrandom::Error::UNSUPPORTED)
}
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
getrandom::register_custom_getrandom!(no_os_randomness);
