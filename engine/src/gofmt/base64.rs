//! Go's `encoding/base64` with the standard alphabet and padding
//! (`base64.StdEncoding`): what Sprig's b64enc/b64dec, encoding/json's
//! `[]byte`, go-yaml's `!!binary`, PEM blocks and Helm's AsSecrets use.

use crate::error::Error;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `base64.StdEncoding.EncodeToString`.
pub(crate) fn encode_std(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                out.push(char::from(B64[((v >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64_value(c: u8) -> Option<u8> {
    B64.iter().position(|&x| x == c).map(|p| p as u8)
}

/// Go's `CorruptInputError` text.
pub(super) fn corrupt(at: usize, what: &str) -> String {
    format!("illegal {what} data at input byte {at}")
}

/// `base64.StdEncoding.DecodeString`, with Go's error offsets.
pub fn decode_std(src: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut si = 0usize;
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4usize;
        let mut j = 0usize;
        let mut trailing_err: Option<usize> = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(Error::go(corrupt(si - j, "base64")));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(Error::go(corrupt(si - 1, "base64")));
            }
            match j {
                0 | 1 => return Err(Error::go(corrupt(si - 1, "base64"))),
                2 => {
                    while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(Error::go(corrupt(src.len(), "base64")));
                    }
                    if src[si] != b'=' {
                        return Err(Error::go(corrupt(si - 1, "base64")));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && (src[si] == b'\n' || src[si] == b'\r') {
                si += 1;
            }
            if si < src.len() {
                trailing_err = Some(si);
            }
            dlen = j;
            break;
        }
        let val =
            (u32::from(dbuf[0]) << 18) | (u32::from(dbuf[1]) << 12) | (u32::from(dbuf[2]) << 6) | u32::from(dbuf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if let Some(at) = trailing_err {
            return Err(Error::go(corrupt(at, "base64")));
        }
        if dlen < 4 {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn std_encoding() {
        assert_eq!(encode_std(b"hello"), "aGVsbG8=");
        assert_eq!(encode_std(b"he"), "aGU=");
        assert_eq!(encode_std(b"abc"), "YWJj");
        assert_eq!(encode_std(b""), "");
        assert_eq!(decode_std(b"aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(decode_std(b"aGVs\nbG8="), Ok(b"hello".to_vec()));
        assert_eq!(decode_std(b"aGVsbG8"), Err("illegal base64 data at input byte 4".into()));
        assert!(decode_std(b"a===").is_err());
        assert_eq!(decode_std(b"@@@@"), Err("illegal base64 data at input byte 0".into()));
    }
}
