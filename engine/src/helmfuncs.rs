//! Helm's function map (pkg/engine/funcs.go): Sprig minus env/expandenv,
//! plus toYaml/fromYaml/toJson…, required, fail, lookup, getHostByName.
//! `include` and `tpl` are implemented by the executor.

use crate::error::Error;
use crate::template::funcs::{CapabilityEvent, Ty};
use crate::template::{Env, FuncMap};
use crate::value::Value;
use crate::{json, yaml};

/// Helm's warnWrap: `required`/`fail` messages travel inside Go's error
/// text between these markers and are cut out by the error reformatter.
fn warn_wrap(s: &str) -> String {
    format!("HELM_ERR_START{s}HELM_ERR_END")
}

/// Builds the complete function map Helm 4.2.3 gives templates.
pub(crate) fn helm_func_map() -> FuncMap {
    let mut m = FuncMap::new();
    crate::sprig::register(&mut m);
    m.remove("env");
    m.remove("expandenv");

    #[cfg(feature = "toml")]
    {
        // toToml returns the encoder's error text as its value; Go runtime
        // panics (toToml of nil) fail the call in both variants.
        m.add("toToml", &[Ty::Any], None, |_, a| match crate::toml::to_toml(&a[0]) {
            Ok(s) => Ok(Value::string(s)),
            Err(e) if e.message.starts_with("toml:") => Ok(Value::string(e.message)),
            Err(e) => Err(e),
        });
        m.add("mustToToml", &[Ty::Any], None, |_, a| crate::toml::to_toml(&a[0]).map(Value::string));
        m.add("fromToml", &[Ty::String], None, |_, a| {
            let (v, err) = crate::toml::from_toml(a[0].as_str().unwrap_or_default());
            if let (Some(e), Value::Map(m, _)) = (err, &v) {
                m.borrow_mut().insert("Error".into(), Value::string(e.message));
            }
            Ok(v)
        });
    }
    #[cfg(not(feature = "toml"))]
    crate::sprig::ondemand::register(
        &mut m,
        &[("toToml", &[Ty::Any]), ("mustToToml", &[Ty::Any]), ("fromToml", &[Ty::String])],
    );
    // The encoders stop at the render's memory budget themselves
    // (guard::Guard::within): a value built by doubling references is small
    // but exponential written out, and a cycle is written ~1000 levels deep
    // before encoding/json reports it.
    m.add("toYaml", &[Ty::Any], None, |env, a| Ok(Value::string(to_yaml(env, &a[0])?.unwrap_or_default())));
    m.add("mustToYaml", &[Ty::Any], None, |env, a| to_yaml(env, &a[0])?.map(Value::string));
    m.add("toYamlPretty", &[Ty::Any], None, |_, a| Ok(Value::string(yaml::to_yaml_pretty(&a[0]).unwrap_or_default())));
    m.add("fromYaml", &[Ty::String], None, |_, a| Ok(yaml::from_yaml(a[0].as_str().unwrap_or_default())));
    m.add("fromYamlArray", &[Ty::String], None, |_, a| Ok(yaml::from_yaml_array(a[0].as_str().unwrap_or_default())));
    m.add("toJson", &[Ty::Any], None, |env, a| {
        Ok(Value::string(to_json(env, &a[0], json::Style::Marshal)?.unwrap_or_default()))
    });
    m.add("mustToJson", &[Ty::Any], None, |env, a| to_json(env, &a[0], json::Style::Marshal)?.map(Value::string));
    // Sprig's JSON helpers, on the same encoder.
    m.add("toPrettyJson", &[Ty::Any], None, |env, a| {
        Ok(Value::string(to_json(env, &a[0], json::Style::Indent)?.unwrap_or_default()))
    });
    m.add("mustToPrettyJson", &[Ty::Any], None, |env, a| to_json(env, &a[0], json::Style::Indent)?.map(Value::string));
    // Sprig's toRawJson panics on an error: the call fails in both variants.
    m.add("toRawJson", &[Ty::Any], None, |env, a| to_json(env, &a[0], json::Style::Raw)?.map(Value::string));
    m.add("mustToRawJson", &[Ty::Any], None, |env, a| to_json(env, &a[0], json::Style::Raw)?.map(Value::string));
    m.add("fromJson", &[Ty::String], None, |_, a| {
        let s = a[0].as_str().unwrap_or_default();
        let (v, err) = json::unmarshal(&crate::gostring::to_bytes(s), json::Target::Map);
        if let (Some(e), Value::Map(m, _)) = (err, &v) {
            m.borrow_mut().insert("Error".into(), Value::string(e.message));
        }
        Ok(v)
    });
    m.add("mustFromJson", &[Ty::String], None, |_, a| {
        let s = a[0].as_str().unwrap_or_default();
        match json::unmarshal(&crate::gostring::to_bytes(s), json::Target::Any) {
            (v, None) => Ok(v),
            (_, Some(e)) => Err(e),
        }
    });
    m.add("fromJsonArray", &[Ty::String], None, |_, a| {
        let s = a[0].as_str().unwrap_or_default();
        let (v, err) = json::unmarshal(&crate::gostring::to_bytes(s), json::Target::Slice);
        Ok(match err {
            Some(e) => Value::list(vec![Value::string(e.message)]),
            None => v,
        })
    });
    m.add("required", &[Ty::String, Ty::Any], None, |_, a| {
        let warn = a[0].as_str().unwrap_or_default().to_string();
        match &a[1] {
            Value::Nil => Err(Error::go(warn_wrap(&warn))),
            Value::String(s) if s.is_empty() => Err(Error::go(warn_wrap(&warn))),
            v => Ok(v.clone()),
        }
    });
    m.add("fail", &[Ty::String], None, |_, a| Err(Error::go(warn_wrap(a[0].as_str().unwrap_or_default()))));
    // `helm template` has no cluster: lookup returns an empty map, unless
    // the playground defines a mock cluster.
    m.add("lookup", &[Ty::String, Ty::String, Ty::String, Ty::String], None, |env, a| {
        let s = |i: usize| a[i].as_str().unwrap_or_default().to_string();
        let (api_version, kind, namespace, name) = (s(0), s(1), s(2), s(3));
        let result = lookup_mock(&env.mock_cluster, &api_version, &kind, &namespace, &name);
        let rule = if env.mock_cluster.is_empty() {
            "helm template has no cluster: lookup returns an empty map".to_string()
        } else if result.is_some() {
            "answered from the mock cluster".to_string()
        } else {
            "not in the mock cluster: empty map".to_string()
        };
        env.capability_log.push(CapabilityEvent {
            capability: "lookup".into(),
            detail: format!("{api_version} {kind} {namespace}/{name}"),
            allowed: result.is_some(),
            rule,
        });
        Ok(result.unwrap_or_else(Value::empty_map))
    });
    m.add("getHostByName", &[Ty::String], None, |env, a| {
        let host = a[0].as_str().unwrap_or_default().to_string();
        env.capability_log.push(CapabilityEvent {
            capability: "getHostByName".into(),
            detail: host,
            allowed: env.enable_dns,
            rule: if env.enable_dns {
                "DNS enabled, but the browser cannot resolve names: empty result".into()
            } else {
                "DNS disabled (Helm's default without --enable-dns): returns \"\"".into()
            },
        });
        Ok(Value::str(""))
    });
    m
}

/// A JSON encoding of `v` within the render's memory budget: `Err` is the
/// budget's message (the render stops), `Ok(Err)` Go's own error.
fn to_json(env: &mut Env, v: &Value, style: json::Style) -> Result<Result<String, Error>, Error> {
    env.guard.within(|cap| match json::encode(v, style, cap) {
        Err(json::Fail::Budget) => None,
        Err(json::Fail::Go(e)) => Some(Err(e)),
        Ok(s) => Some(Ok(s)),
    })
}

/// Helm's `toYaml` of `v` within the render's memory budget, as [`to_json`].
fn to_yaml(env: &mut Env, v: &Value) -> Result<Result<String, Error>, Error> {
    env.guard.within(|cap| match yaml::to_yaml_within(v, cap) {
        Err(json::Fail::Budget) => None,
        Err(json::Fail::Go(e)) => Some(Err(e)),
        Ok(s) => Some(Ok(s)),
    })
}

fn field_str(v: &Value, path: &[&str]) -> String {
    let mut cur = v.clone();
    for p in path {
        cur = match cur.get(p) {
            Some(x) => x,
            None => return String::new(),
        };
    }
    cur.as_str().unwrap_or_default().to_string()
}

/// Helm's lookup against the mock cluster: one object (a deep copy) when a
/// name is given, else an unstructured `<Kind>List` of the matches; `None`
/// when nothing matches (Helm then returns an empty map).
fn lookup_mock(objects: &[Value], api_version: &str, kind: &str, namespace: &str, name: &str) -> Option<Value> {
    let matches: Vec<Value> = objects
        .iter()
        .filter(|o| field_str(o, &["apiVersion"]) == api_version && field_str(o, &["kind"]) == kind)
        .filter(|o| namespace.is_empty() || field_str(o, &["metadata", "namespace"]) == namespace)
        .filter(|o| name.is_empty() || field_str(o, &["metadata", "name"]) == name)
        .map(Value::deep_copy)
        .collect();
    if !name.is_empty() {
        return matches.into_iter().next();
    }
    if matches.is_empty() {
        return None;
    }
    let mut list = crate::value::Map::new();
    list.insert("apiVersion".into(), Value::str(api_version));
    list.insert("kind".into(), Value::string(format!("{kind}List")));
    list.insert("items".into(), Value::list(matches));
    let mut md = crate::value::Map::new();
    md.insert("resourceVersion".into(), Value::str(""));
    list.insert("metadata".into(), Value::map(md));
    Some(Value::map(list))
}
