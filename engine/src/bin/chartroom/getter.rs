//! Helm's pkg/getter for the CLI: HTTP(S) GETs with Helm's error text
//! (`failed to fetch <url> : 404 Not Found`), and the OCI distribution
//! API's manifest and blob requests with the anonymous token flow
//! (pkg/registry through oras). Native only: the page uses the browser's
//! fetch.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use chartroom_engine::repo::oci;

/// A downloaded archive is at most this large (Helm has no limit; the
/// chart loader's own limits apply to what is inside).
const MAX_BODY: u64 = 256 << 20;

/// Options Helm's getter takes from the chart path flags.
#[derive(Clone, Default)]
pub struct Options {
    pub username: String,
    pub password: String,
    pub plain_http: bool,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(120)))
        .user_agent(format!("Helm/{}", crate::version::HELM_VERSION.trim_start_matches('v')))
        .build()
        .into()
}

/// `status` as Go's `resp.Status`: "404 Not Found".
fn status_text(s: ureq::http::StatusCode) -> String {
    format!("{} {}", s.as_u16(), s.canonical_reason().unwrap_or(""))
}

fn basic(o: &Options) -> Option<String> {
    (!o.username.is_empty() || !o.password.is_empty()).then(|| {
        let raw = format!("{}:{}", o.username, o.password);
        format!("Basic {}", base64(raw.as_bytes()))
    })
}

fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in b.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's client error text for a request that got no response.
fn transport_error(url: &str, e: &ureq::Error) -> Error {
    Error::new(ErrorKind::Cli, format!("Get {}: {e}", chartroom_engine::gofmt::strconv::quote(url)))
}

/// `HTTPGetter.Get`: the body of a 200 answer, else Helm's message.
pub fn http_get(url: &str, o: &Options, accept: Option<&str>) -> Result<Vec<u8>, Error> {
    let mut req = agent().get(url);
    if let Some(a) = accept {
        req = req.header("Accept", a);
    }
    if let Some(b) = basic(o) {
        req = req.header("Authorization", b);
    }
    let mut resp = req.call().map_err(|e| transport_error(url, &e))?;
    if resp.status() != 200 {
        return Err(Error::new(ErrorKind::Cli, format!("failed to fetch {url} : {}", status_text(resp.status()))));
    }
    resp.body_mut().with_config().limit(MAX_BODY).read_to_vec().map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))
}

/// One OCI request, answering a `401` with the anonymous bearer token
/// flow once (what oras's auth client does without credentials).
fn oci_get(url: &str, r: &oci::Reference, accept: &str, token: &mut Option<String>) -> Result<Vec<u8>, Error> {
    for attempt in 0..2 {
        let mut req = agent().get(url).header("Accept", accept);
        if let Some(t) = token.as_deref() {
            req = req.header("Authorization", format!("Bearer {t}"));
        }
        let mut resp = req.call().map_err(|e| transport_error(url, &e))?;
        let status = resp.status();
        if status == 401 && attempt == 0 {
            let challenge =
                resp.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let Some(turl) = oci::token_url(&challenge, r) else { break };
            let mut tresp = agent().get(&turl).call().map_err(|e| transport_error(&turl, &e))?;
            if tresp.status() != 200 {
                return Err(Error::new(
                    ErrorKind::Cli,
                    format!("failed to fetch anonymous token: GET {turl}: {}", status_text(tresp.status())),
                ));
            }
            let body = tresp.body_mut().read_to_vec().map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
            *token = oci::token_from_response(&body);
            continue;
        }
        if status != 200 {
            // oras: `GET <url>: response status code 404: not found`.
            return Err(Error::new(
                ErrorKind::Cli,
                format!(
                    "GET {url}: response status code {}: {}",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("").to_ascii_lowercase()
                ),
            ));
        }
        return resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| Error::new(ErrorKind::Cli, e.to_string()));
    }
    Err(Error::new(ErrorKind::Cli, format!("GET {url}: response status code 401: unauthorized")))
}

/// `helm pull oci://…` as far as the chart archive: the reference and
/// `--version` pick a tag (listing tags for a constraint), then the
/// manifest's chart layer is fetched and its digest checked.
pub fn oci_pull(reference: &str, version: &str, o: &Options) -> Result<(String, Vec<u8>), Error> {
    let r = oci::parse_reference(reference)?;
    let mut token = None;
    let target = match oci::target(&r, version)? {
        oci::Target::Constraint(c) => {
            let body = oci_get(&oci::tags_url(&r, o.plain_http), &r, "application/json", &mut token)?;
            let raw = tags_list(&body)?;
            let tags = oci::sorted_tags(&raw);
            oci::tag_matching(&tags, &c, reference)?
        }
        oci::Target::Tag(t) => t,
        oci::Target::Digest(d) => d,
    };
    let manifest = oci_get(&oci::manifest_url(&r, &target, o.plain_http), &r, oci::MANIFEST_ACCEPT, &mut token)?;
    let (digest, _) = oci::chart_layer(&manifest)?;
    let blob = oci_get(&oci::blob_url(&r, &digest, o.plain_http), &r, "*/*", &mut token)?;
    let got = format!("sha256:{}", sha256_hex(&blob));
    if got != digest {
        return Err(Error::new(ErrorKind::Cli, format!("{digest}: content digest mismatch: got {got}")));
    }
    let name = r.repository.rsplit('/').next().unwrap_or("chart").to_string();
    Ok((format!("{name}-{}.tgz", target.replace('_', "+")), blob))
}

fn tags_list(body: &[u8]) -> Result<Vec<String>, Error> {
    use chartroom_engine::value::Value;
    let text = std::str::from_utf8(body).map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
    let doc = chartroom_engine::json::from_json(text).map_err(|e| e.of_kind(ErrorKind::Cli))?;
    let Value::Map(m, _) = &doc else { return Ok(Vec::new()) };
    let tags = match m.borrow().get("tags") {
        Some(Value::List(l, _)) => l
            .borrow()
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(tags)
}

pub fn sha256_hex(b: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}
