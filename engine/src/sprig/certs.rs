//! The key and certificate half of Sprig's crypto.go: `genPrivateKey`,
//! `genCA`, `genSelfSignedCert`, `genSignedCert` (+ `…WithKey`) and
//! `buildCustomCert`, with pure-Rust RustCrypto crates and all randomness
//! from the render's seeded generator. Keys and certificates are random, so
//! only their structure can match Helm's: same PEM block types, same X.509
//! fields and extensions as Go's `x509.CreateCertificate` with Sprig's
//! template (RSA-2048 keys, SHA-256 signatures, 128-bit serials). The
//! …WithKey functions and CA keys take RSA, ECDSA P-256 and Ed25519 keys as
//! Go's x509 parsers do (PKCS#1, SEC 1, PKCS#8), and sign with them as
//! `x509.CreateCertificate` does (SHA256WithRSA, ECDSAWithSHA256,
//! PureEd25519).
//!
//! Not supported: DSA keys and EC curves other than P-256; those return an
//! error that says so.

use crate::error::{go_err, Error};
use std::rc::Rc;
use std::str::FromStr;

use der::asn1::{GeneralizedTime, Ia5String, OctetString, UtcTime};
use der::{Decode, Encode};
use p256::ecdsa::signature::{Keypair, Signer};
use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{self as pkcs8, DecodePrivateKey, EncodePublicKey};
use rsa::RsaPrivateKey;
use sha2::Sha256;
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName,
    SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{DynSignatureAlgorithmIdentifier, SignatureBitStringEncoding, SubjectPublicKeyInfoOwned};
use x509_cert::time::{Time, Validity};
use x509_cert::Certificate;

use crate::template::{Env, FuncMap, Ty};
use crate::value::{Map, Object, Value};

use super::{arg, arg_int, arg_str};

mod keygen;

pub fn register(m: &mut FuncMap) {
    use Ty::*;
    m.add("genPrivateKey", &[String], None, |env, a| Ok(Value::string(generate_private_key(env, &arg_str(&a, 0)))));
    m.add("genCA", &[String, Int], None, |env, a| {
        let key = PrivKey::Rsa(rsa_key(env, 2048)?);
        gen_ca(env, &arg_str(&a, 0), arg_int(&a, 1), key).map(cert_value)
    });
    m.add("genCAWithKey", &[String, Int, String], None, |env, a| {
        let key = parse_private_key_pem(&arg_str(&a, 2)).map_err(|e| go_err!("parsing private key: {e}"))?;
        gen_ca(env, &arg_str(&a, 0), arg_int(&a, 1), key).map(cert_value)
    });
    m.add("genSelfSignedCert", &[String, List, List, Int], None, |env, a| {
        let key = PrivKey::Rsa(rsa_key(env, 2048)?);
        gen_self_signed(env, &a, key).map(cert_value)
    });
    m.add("genSelfSignedCertWithKey", &[String, List, List, Int, String], None, |env, a| {
        let key = parse_private_key_pem(&arg_str(&a, 4)).map_err(|e| go_err!("parsing private key: {e}"))?;
        gen_self_signed(env, &a, key).map(cert_value)
    });
    m.add("genSignedCert", &[String, List, List, Int, Any], None, |env, a| {
        let ca = cert_arg(&arg(&a, 4))?;
        let key = PrivKey::Rsa(rsa_key(env, 2048)?);
        gen_signed(env, &a, &ca, key).map(cert_value)
    });
    m.add("genSignedCertWithKey", &[String, List, List, Int, Any, String], None, |env, a| {
        let ca = cert_arg(&arg(&a, 4))?;
        let key = parse_private_key_pem(&arg_str(&a, 5)).map_err(|e| go_err!("parsing private key: {e}"))?;
        gen_signed(env, &a, &ca, key).map(cert_value)
    });
    m.add("buildCustomCert", &[String, String], None, |_, a| {
        build_custom(&arg_str(&a, 0), &arg_str(&a, 1)).map(cert_value)
    });
}

/// rand_core adapter over the render's generator.
pub struct EnvRng<'a>(pub &'a mut Env);

impl rand_core::RngCore for EnvRng<'_> {
    fn next_u32(&mut self) -> u32 {
        self.0.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let v = self.0.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl rand_core::CryptoRng for EnvRng<'_> {}

impl keygen::KeyRng for EnvRng<'_> {
    /// The render's deadline and cancel hook (a tripped guard makes the
    /// calling function's result the limit error).
    fn check(&mut self) -> Result<(), Error> {
        self.0.guard.check_time()
    }
}

/// Sprig's `certificate{Cert, Key string}` struct.
pub(crate) struct CertObj {
    pub cert: String,
    pub key: String,
}

impl Object for CertObj {
    fn type_name(&self) -> String {
        "sprig.certificate".into()
    }
    fn kind(&self) -> &'static str {
        "struct"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::string(self.cert.clone())),
            "Key" => Some(Value::string(self.key.clone())),
            _ => None,
        }
    }
    fn format_v(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }
    fn to_data(&self) -> Option<Value> {
        let mut m = Map::new();
        m.insert("Cert".into(), Value::string(self.cert.clone()));
        m.insert("Key".into(), Value::string(self.key.clone()));
        Some(Value::map(m))
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

fn cert_value(c: CertObj) -> Value {
    Value::Object(Rc::new(c))
}

fn cert_arg(v: &Value) -> Result<(String, String), Error> {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<CertObj>() {
            Some(c) => Ok((c.cert.clone(), c.key.clone())),
            None => Err(go_err!("wrong type for value; expected sprig.certificate; got {}", o.type_name())),
        },
        other => Err(go_err!("wrong type for value; expected sprig.certificate; got {}", other.type_name())),
    }
}

/// Go's `pem.EncodeToMemory`.
fn pem_encode(typ: &str, der: &[u8]) -> String {
    let b64 = crate::gofmt::base64::encode_std(der);
    let mut out = format!("-----BEGIN {typ}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {typ}-----\n"));
    out
}

/// Go's `pem.Decode` (first block; headers ignored): (type, bytes).
fn pem_decode(s: &str) -> Option<(String, Vec<u8>)> {
    let start = s.find("-----BEGIN ")?;
    let rest = &s[start + 11..];
    let typ_end = rest.find("-----")?;
    let typ = rest[..typ_end].to_string();
    let body_start = rest[typ_end + 5..].trim_start_matches(['\r', '\n']);
    let end_marker = format!("-----END {typ}-----");
    let end = body_start.find(&end_marker)?;
    let body: String = body_start[..end].lines().filter(|l| !l.contains(':')).collect::<Vec<_>>().join("");
    let der = crate::gofmt::base64::decode_std(body.trim().as_bytes()).ok()?;
    Some((typ, der))
}

fn rsa_key(env: &mut Env, bits: usize) -> Result<RsaPrivateKey, Error> {
    keygen::generate(&mut EnvRng(env), bits).map_err(|e| go_err!("error generating rsa key: {e}"))
}

/// An RSA key of `bits` bits (e = 65537) drawn from the render's generator,
/// as `genPrivateKey "rsa"` (4096) and the `gen…Cert`/`genCA` functions
/// (2048) make them; public for benchmarks (`examples/rsa_bench.rs`).
pub fn generate_rsa_key(env: &mut Env, bits: usize) -> Result<RsaPrivateKey, Error> {
    rsa_key(env, bits)
}

fn rsa_pem(key: &RsaPrivateKey) -> Result<String, Error> {
    let der = key.to_pkcs1_der().map_err(|e| Error::go(e.to_string()))?;
    Ok(pem_encode("RSA PRIVATE KEY", der.as_bytes()))
}

/// Sprig's `generatePrivateKey`.
fn generate_private_key(env: &mut Env, typ: &str) -> String {
    let res: Result<String, Error> = match typ {
        "" | "rsa" => rsa_key(env, 4096).and_then(|k| rsa_pem(&k)),
        "ecdsa" => ec_pem(&p256::SecretKey::random(&mut EnvRng(env))),
        "ed25519" => ed25519_pem(&ed25519_dalek::SigningKey::generate(&mut EnvRng(env))),
        "dsa" => Err("chartroom: DSA keys are not supported".into()),
        other => return format!("Unknown type {other}"),
    };
    match res {
        Ok(s) => s,
        Err(e) => format!("failed to generate private key: {e}"),
    }
}

/// A private key as Go's x509 parsers return it (`crypto.PrivateKey`).
enum PrivKey {
    Rsa(RsaPrivateKey),
    P256(p256::SecretKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl From<RsaPrivateKey> for PrivKey {
    fn from(k: RsaPrivateKey) -> PrivKey {
        PrivKey::Rsa(k)
    }
}

impl PrivKey {
    /// The public key's SubjectPublicKeyInfo (x509.MarshalPKIXPublicKey).
    fn spki(&self) -> Result<SubjectPublicKeyInfoOwned, Error> {
        let der = match self {
            PrivKey::Rsa(k) => k.to_public_key().to_public_key_der(),
            PrivKey::P256(k) => k.public_key().to_public_key_der(),
            PrivKey::Ed25519(k) => k.verifying_key().to_public_key_der(),
        }
        .map_err(|e| Error::go(e.to_string()))?;
        SubjectPublicKeyInfoOwned::from_der(der.as_bytes()).map_err(|e| Error::go(e.to_string()))
    }

    /// Sprig's `pemBlockForKey`: PKCS#1 for RSA, SEC 1 for ECDSA, PKCS#8
    /// for the rest.
    fn pem(&self) -> Result<String, Error> {
        match self {
            PrivKey::Rsa(k) => rsa_pem(k),
            PrivKey::P256(k) => ec_pem(k),
            PrivKey::Ed25519(k) => ed25519_pem(k),
        }
    }
}

/// Go's MarshalECPrivateKey: version 1, key, [0] named curve, [1] public key.
fn ec_pem(k: &p256::SecretKey) -> Result<String, Error> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let secret = k.to_bytes();
    let public = k.public_key().to_encoded_point(false);
    let ec = sec1::EcPrivateKey {
        private_key: &secret,
        parameters: Some(sec1::EcParameters::NamedCurve(const_oid::db::rfc5912::SECP_256_R_1)),
        public_key: Some(public.as_bytes()),
    };
    ec.to_der().map(|d| pem_encode("EC PRIVATE KEY", &d)).map_err(|e| Error::go(e.to_string()))
}

/// Go's MarshalPKCS8PrivateKey writes a v1 Ed25519 key without the public key.
fn ed25519_pem(k: &ed25519_dalek::SigningKey) -> Result<String, Error> {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let kp = ed25519_dalek::pkcs8::KeypairBytes { secret_key: k.to_bytes(), public_key: None };
    kp.to_pkcs8_der().map(|d| pem_encode("PRIVATE KEY", d.as_bytes())).map_err(|e| Error::go(e.to_string()))
}

/// Sprig's `parsePrivateKeyPEM` (see module docs for what is not supported).
fn parse_private_key_pem(pem: &str) -> Result<PrivKey, Error> {
    let (typ, der) = pem_decode(pem).ok_or_else(|| "no PEM data in input".to_string())?;
    if typ == "PRIVATE KEY" {
        // x509.ParsePKCS8PrivateKey: the algorithm OID says which key it is.
        let info = pkcs8::PrivateKeyInfo::try_from(der.as_slice())
            .map_err(|e| go_err!("decoding PEM as PKCS#8: x509: failed to parse private key: {e}"))?;
        let oid = info.algorithm.oid;
        return if oid == const_oid::db::rfc5912::RSA_ENCRYPTION {
            RsaPrivateKey::from_pkcs8_der(&der).map(PrivKey::Rsa).map_err(|e| {
                go_err!("decoding PEM as PKCS#8: x509: failed to parse RSA private key embedded in PKCS#8: {e}")
            })
        } else if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
            p256::SecretKey::from_pkcs8_der(&der).map(PrivKey::P256).map_err(|e| {
                go_err!("decoding PEM as PKCS#8: chartroom supports only the P-256 curve for EC keys ({e})")
            })
        } else if oid == const_oid::db::rfc8410::ID_ED_25519 {
            ed25519_dalek::SigningKey::from_pkcs8_der(&der)
                .map(PrivKey::Ed25519)
                .map_err(|e| go_err!("decoding PEM as PKCS#8: x509: invalid Ed25519 private key: {e}"))
        } else {
            Err(go_err!(
                "decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}"
            ))
        };
    }
    let Some(kind) = typ.strip_suffix(" PRIVATE KEY") else {
        return Err(go_err!("no private key data in PEM block of type {typ}"));
    };
    match kind {
        "RSA" => RsaPrivateKey::from_pkcs1_der(&der)
            .map(PrivKey::Rsa)
            .map_err(|e| go_err!("parsing RSA private key from PEM: {e}")),
        "EC" => p256::SecretKey::from_sec1_der(&der)
            .map(PrivKey::P256)
            .map_err(|e| go_err!("parsing EC private key from PEM: chartroom supports only the P-256 curve ({e})")),
        "DSA" => Err(Error::go("chartroom: DSA keys are not supported".to_string())),
        _ => Err(go_err!("invalid private key type {typ}")),
    }
}

/// Go marks ExtKeyUsage non-critical (x509-cert would mark it critical).
struct NonCriticalEku(ExtendedKeyUsage);

impl const_oid::AssociatedOid for NonCriticalEku {
    const OID: const_oid::ObjectIdentifier = const_oid::db::rfc5280::ID_CE_EXT_KEY_USAGE;
}

impl der::Encode for NonCriticalEku {
    fn encoded_len(&self) -> der::Result<der::Length> {
        self.0.encoded_len()
    }
    fn encode(&self, w: &mut impl der::Writer) -> der::Result<()> {
        self.0.encode(w)
    }
}

impl x509_cert::ext::AsExtension for NonCriticalEku {
    fn critical(&self, _: &Name, _: &[x509_cert::ext::Extension]) -> bool {
        false
    }
}

/// A Name with just CN (Go omits an empty CN), encoded like Go's asn1:
/// PrintableString when every character allows it, else UTF8String.
fn cn_name(cn: &str) -> Result<Name, Error> {
    use x509_cert::attr::AttributeTypeAndValue;
    use x509_cert::name::{RdnSequence, RelativeDistinguishedName};
    if cn.is_empty() {
        return Ok(Name::default());
    }
    let printable = cn.bytes().all(|c| c.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&c));
    let value = if printable {
        der::Any::new(der::Tag::PrintableString, cn.as_bytes())
    } else {
        der::Any::new(der::Tag::Utf8String, cn.as_bytes())
    }
    .map_err(|e| Error::go(e.to_string()))?;
    let atv = AttributeTypeAndValue { oid: const_oid::db::rfc4519::CN, value };
    let rdn =
        RelativeDistinguishedName(der::asn1::SetOfVec::try_from(vec![atv]).map_err(|e| Error::go(e.to_string()))?);
    Ok(RdnSequence(vec![rdn]))
}

fn x509_time(unix: i64) -> Result<Time, Error> {
    let d = std::time::Duration::from_secs(unix.max(0) as u64);
    // Go: UTCTime for 1950..2049, GeneralizedTime otherwise.
    if unix < 2_524_608_000 {
        UtcTime::from_unix_duration(d).map(Time::UtcTime).map_err(|e| Error::go(e.to_string()))
    } else {
        GeneralizedTime::from_unix_duration(d).map(Time::GeneralTime).map_err(|e| Error::go(e.to_string()))
    }
}

/// Sprig's `getNetIPs` / `getAlternateDNSStrs` argument checks.
fn string_items(v: &Value, what: &str) -> Result<Vec<String>, Error> {
    let items = match v {
        Value::List(l, _) => l.borrow().clone(),
        _ => Vec::new(),
    };
    items
        .iter()
        .map(|x| match x {
            Value::String(s) => Ok(s.to_string()),
            other => Err(go_err!("{what}: {} is not a string", other.to_go_string())),
        })
        .collect()
}

fn parse_ip(s: &str) -> Option<Vec<u8>> {
    if let Ok(v4) = std::net::Ipv4Addr::from_str(s) {
        // Go stores IPv4 in 16-byte form but marshals 4 bytes in SANs.
        return Some(v4.octets().to_vec());
    }
    std::net::Ipv6Addr::from_str(s).ok().map(|v6| v6.octets().to_vec())
}

struct Template {
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

fn base_template(a: &[Value], is_ca: bool) -> Result<Template, Error> {
    let ips = string_items(&arg(a, 1), "error parsing ip")?
        .into_iter()
        .map(|s| parse_ip(&s).ok_or_else(|| format!("error parsing ip: {s}")))
        .collect::<Result<Vec<_>, _>>()?;
    let dns = string_items(&arg(a, 2), "error processing alternate dns name")?;
    Ok(Template { cn: arg_str(a, 0), ips, dns, days: arg_int(a, 3), is_ca })
}

fn ski(spki: &SubjectPublicKeyInfoOwned) -> Result<Vec<u8>, Error> {
    use sha1::Digest;
    let pk = spki.subject_public_key.raw_bytes();
    Ok(sha1::Sha1::digest(pk).to_vec())
}

/// Go's `x509.CreateCertificate` with Sprig's template: the subject's
/// public key, signed by `signer` (the subject's own key, or the CA's).
fn create_cert(
    env: &mut Env,
    t: &Template,
    subject_key: &PrivKey,
    issuer: Option<&Certificate>,
    signer: &PrivKey,
) -> Result<String, Error> {
    let mut serial = [0u8; 16];
    serial[..8].copy_from_slice(&env.next_u64().to_be_bytes());
    serial[8..].copy_from_slice(&env.next_u64().to_be_bytes());
    serial[0] &= 0x7f;
    if serial[0] == 0 {
        serial[0] = 1;
    }
    let serial = SerialNumber::new(&serial).map_err(|e| Error::go(e.to_string()))?;
    let now = super::date::now_unix(env);
    let validity = Validity {
        not_before: x509_time(now)?,
        not_after: x509_time(now.saturating_add(t.days.saturating_mul(86_400)))?,
    };
    let subject = cn_name(&t.cn)?;
    let spki = subject_key.spki()?;
    let issuer_name = issuer.map(|c| c.tbs_certificate.subject.clone());
    let profile = Profile::Manual { issuer: issuer_name };
    let parts = CertParts { t, serial, validity, subject, spki, issuer };
    let der = match signer {
        PrivKey::Rsa(k) => {
            parts.sign::<_, rsa::pkcs1v15::Signature>(profile, &rsa::pkcs1v15::SigningKey::<Sha256>::new(k.clone()))
        }
        PrivKey::P256(k) => parts.sign::<_, p256::ecdsa::DerSignature>(profile, &p256::ecdsa::SigningKey::from(k)),
        PrivKey::Ed25519(k) => parts.sign::<_, Ed25519Sig>(profile, &Ed25519Signer(k)),
    }?;
    Ok(pem_encode("CERTIFICATE", &der))
}

/// Ed25519 for the certificate builder: x509-cert wants the signature as
/// a BIT STRING, which ed25519-dalek's type does not offer itself.
struct Ed25519Signer<'a>(&'a ed25519_dalek::SigningKey);
struct Ed25519Sig(ed25519_dalek::Signature);

impl Keypair for Ed25519Signer<'_> {
    type VerifyingKey = ed25519_dalek::VerifyingKey;
    fn verifying_key(&self) -> Self::VerifyingKey {
        self.0.verifying_key()
    }
}

impl DynSignatureAlgorithmIdentifier for Ed25519Signer<'_> {
    fn signature_algorithm_identifier(&self) -> x509_cert::spki::Result<x509_cert::spki::AlgorithmIdentifierOwned> {
        self.0.signature_algorithm_identifier()
    }
}

impl Signer<Ed25519Sig> for Ed25519Signer<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<Ed25519Sig, p256::ecdsa::signature::Error> {
        self.0.try_sign(msg).map(Ed25519Sig)
    }
}

impl SignatureBitStringEncoding for Ed25519Sig {
    fn to_bitstring(&self) -> der::Result<der::asn1::BitString> {
        der::asn1::BitString::from_bytes(&self.0.to_bytes())
    }
}

/// What a certificate is made of before it is signed.
struct CertParts<'a> {
    t: &'a Template,
    serial: SerialNumber,
    validity: Validity,
    subject: Name,
    spki: SubjectPublicKeyInfoOwned,
    issuer: Option<&'a Certificate>,
}

impl CertParts<'_> {
    /// Sprig's template extensions, signed with `key`: the DER certificate.
    fn sign<K, S>(self, profile: Profile, key: &K) -> Result<Vec<u8>, Error>
    where
        K: Keypair + DynSignatureAlgorithmIdentifier + Signer<S>,
        K::VerifyingKey: EncodePublicKey,
        S: SignatureBitStringEncoding,
    {
        let CertParts { t, serial, validity, subject, spki, issuer } = self;
        let mut b = CertificateBuilder::new(profile, serial, validity, subject, spki.clone(), key)
            .map_err(|e| go_err!("error creating certificate: {e}"))?;
        let mut usage = KeyUsages::KeyEncipherment | KeyUsages::DigitalSignature;
        if t.is_ca {
            usage |= KeyUsages::KeyCertSign;
        }
        let err = |e: x509_cert::builder::Error| format!("error creating certificate: {e}");
        b.add_extension(&KeyUsage(usage)).map_err(err)?;
        b.add_extension(&NonCriticalEku(ExtendedKeyUsage(vec![
            const_oid::db::rfc5280::ID_KP_SERVER_AUTH,
            const_oid::db::rfc5280::ID_KP_CLIENT_AUTH,
        ])))
        .map_err(err)?;
        b.add_extension(&BasicConstraints { ca: t.is_ca, path_len_constraint: None }).map_err(err)?;
        if t.is_ca {
            let id = OctetString::new(ski(&spki)?).map_err(|e| Error::go(e.to_string()))?;
            b.add_extension(&SubjectKeyIdentifier(id)).map_err(err)?;
        }
        if let Some(parent) = issuer {
            // Go copies the parent's SubjectKeyId into AuthorityKeyId.
            let parent_ski = parent.tbs_certificate.extensions.as_ref().and_then(|exts| {
                exts.iter()
                    .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
                    .and_then(|e| OctetString::from_der(e.extn_value.as_bytes()).ok())
            });
            if let Some(k) = parent_ski {
                b.add_extension(&AuthorityKeyIdentifier { key_identifier: Some(k), ..Default::default() })
                    .map_err(err)?;
            }
        }
        if !t.dns.is_empty() || !t.ips.is_empty() {
            let mut names = Vec::new();
            for d in &t.dns {
                names.push(GeneralName::DnsName(Ia5String::new(d).map_err(|e| Error::go(e.to_string()))?));
            }
            for ip in &t.ips {
                names.push(GeneralName::IpAddress(OctetString::new(ip.clone()).map_err(|e| Error::go(e.to_string()))?));
            }
            b.add_extension(&SubjectAltName(names)).map_err(err)?;
        }
        let cert = b.build::<S>().map_err(err)?;
        cert.to_der().map_err(|e| Error::go(e.to_string()))
    }
}

fn gen_ca(env: &mut Env, cn: &str, days: i64, key: PrivKey) -> Result<CertObj, Error> {
    let t = Template { cn: cn.to_string(), ips: vec![], dns: vec![], days, is_ca: true };
    let cert = create_cert(env, &t, &key, None, &key)?;
    Ok(CertObj { cert, key: key.pem()? })
}

fn gen_self_signed(env: &mut Env, a: &[Value], key: PrivKey) -> Result<CertObj, Error> {
    let t = base_template(a, false)?;
    let cert = create_cert(env, &t, &key, None, &key)?;
    Ok(CertObj { cert, key: key.pem()? })
}

fn gen_signed(env: &mut Env, a: &[Value], ca: &(String, String), key: PrivKey) -> Result<CertObj, Error> {
    let (_, der) = pem_decode(&ca.0).ok_or_else(|| "unable to decode certificate".to_string())?;
    let parent =
        Certificate::from_der(&der).map_err(|e| go_err!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer = parse_private_key_pem(&ca.1).map_err(|e| go_err!("error parsing private key: {e}"))?;
    let t = base_template(a, false)?;
    let cert = create_cert(env, &t, &key, Some(&parent), &signer)?;
    Ok(CertObj { cert, key: key.pem()? })
}

/// Sprig's `buildCustomCertificate`.
fn build_custom(b64cert: &str, b64key: &str) -> Result<CertObj, Error> {
    let cert = crate::gofmt::base64::decode_std(b64cert.as_bytes())
        .map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = crate::gofmt::base64::decode_std(b64key.as_bytes())
        .map_err(|_| "unable to decode base64 private key".to_string())?;
    let cert_s = String::from_utf8_lossy(&cert).into_owned();
    let key_s = String::from_utf8_lossy(&key).into_owned();
    let (_, der) = pem_decode(&cert_s).ok_or_else(|| "unable to decode certificate".to_string())?;
    Certificate::from_der(&der).map_err(|e| go_err!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    parse_private_key_pem(&key_s).map_err(|e| go_err!("error parsing private key: {e}"))?;
    Ok(CertObj { cert: cert_s, key: key_s })
}
