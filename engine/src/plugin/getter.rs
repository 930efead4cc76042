//! getter/v1: `{"href","protocol","options":{URL,…,Timeout(ns)}}` in,
//! `{"data":"<base64>"}` out (the downloaded artifact).

use super::json::{self, Json};
use super::{Plugin, RunOptions, RunResult};
use crate::error::{Error, Kind};

/// `GetterOptionsV1` (no json tags: Go field names).
#[derive(Debug, Clone, Default)]
pub struct GetterOptions {
    pub url: String,
    pub cert_file: String,
    pub key_file: String,
    pub ca_file: String,
    pub untar: bool,
    pub insecure_skip_verify_tls: bool,
    pub plain_http: bool,
    pub accept_header: String,
    pub username: String,
    pub password: String,
    pub pass_credentials_all: bool,
    pub user_agent: String,
    pub version: String,
    pub timeout_ns: i64,
}

pub fn input_message(href: &str, o: &GetterOptions) -> String {
    let scheme = href.split_once("://").map(|(s, _)| s).unwrap_or("");
    let q = json::quote;
    format!(
        "{{\"href\":{},\"protocol\":{},\"options\":{{\"URL\":{},\"CertFile\":{},\"KeyFile\":{},\"CAFile\":{},\"UNTar\":{},\"InsecureSkipVerifyTLS\":{},\"PlainHTTP\":{},\"AcceptHeader\":{},\"Username\":{},\"Password\":{},\"PassCredentialsAll\":{},\"UserAgent\":{},\"Version\":{},\"Timeout\":{}}}}}",
        q(href), q(scheme), q(&o.url), q(&o.cert_file), q(&o.key_file), q(&o.ca_file), o.untar,
        o.insecure_skip_verify_tls, o.plain_http, q(&o.accept_header), q(&o.username), q(&o.password),
        o.pass_credentials_all, q(&o.user_agent), q(&o.version), o.timeout_ns
    )
}

/// Runs a getter/v1 plugin; Ok = the artifact bytes, Err = Helm's error
/// ([`Kind::Plugin`], or the run's own kind when the call failed). `opts.env` should be
/// Helm's HELM_* settings only; stdio is discarded by Helm.
pub fn run(plugin: &Plugin, href: &str, o: &GetterOptions, opts: &RunOptions) -> (RunResult, Result<Vec<u8>, Error>) {
    super::future::block_on(run_async(plugin, href, o, opts))
        .unwrap_or_else(|| (RunResult::default(), Err(Error::new(Kind::Plugin, super::future::NOT_SYNCHRONOUS))))
}

/// [`run`] for hosts whose HTTP answers asynchronously.
pub async fn run_async(
    plugin: &Plugin,
    href: &str,
    o: &GetterOptions,
    opts: &RunOptions,
) -> (RunResult, Result<Vec<u8>, Error>) {
    let r = plugin.invoke_async(input_message(href, o).as_bytes(), opts).await;
    let bad = |m: String| -> Error {
        Error::new(Kind::Plugin, format!("failed to json marshal plugin output message: reflect.Value: {m}"))
    };
    let res = match &r.error {
        Some(e) => Err(e.clone().wrap(&format!("plugin {:?} failed to invoke: ", plugin.name()))),
        None => match json::parse(&r.output) {
            Err(e) => Err(bad(e.message)),
            Ok(v) => match v.get_field("data") {
                None | Some(Json::Null) => Ok(Vec::new()),
                Some(Json::String(s)) => crate::gofmt::base64::decode_std(s.as_bytes()).map_err(|e| bad(e.message)),
                Some(other) => Err(bad(format!(
                    "json: cannot unmarshal {} into Go struct field OutputMessageGetterV1.data of type []uint8",
                    other.kind()
                ))),
            },
        },
    };
    (r, res)
}
