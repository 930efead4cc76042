//! Nothing user-supplied may panic or hang: every registered Sprig function
//! is called with awkward arguments of its parameter types (and with wrong
//! ones, as `interface{}` parameters receive anything): empty, nil, negative,
//! huge, NaN, non-ASCII, malformed patterns. Results are not checked here
//! (the oracle cases do that); only that each call returns.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chartroom_engine::sprig;
use chartroom_engine::template::{Env, FuncMap, Ty};
use chartroom_engine::value::{Map, Value};

fn pool(t: Ty) -> Vec<Value> {
    let s = |x: &str| Value::str(x);
    let mut m = Map::new();
    m.insert("a".into(), Value::int(1));
    m.insert("n".into(), Value::map(Map::new()));
    let any = vec![
        Value::Nil,
        Value::int(0),
        Value::int(-3),
        Value::int64(i64::MAX),
        Value::Float(f64::NAN),
        Value::Float(-1e300),
        s(""),
        s("é{[(\\"),
        s("0x1F"),
        Value::Bool(true),
        Value::list(vec![]),
        Value::list(vec![Value::int(1), s("a"), Value::Nil]),
        Value::map(m.clone()),
        Value::Bytes(vec![0xff, 0x00].into()),
    ];
    match t {
        Ty::Int | Ty::Int64 | Ty::Uint32 | Ty::Duration | Ty::Time => vec![
            Value::int(0),
            Value::int(-1),
            Value::int(3),
            Value::int(i64::MAX),
            Value::int(i64::MIN),
            Value::int(1 << 40),
        ],
        Ty::Float64 => vec![Value::Float(0.0), Value::Float(f64::NAN), Value::Float(f64::INFINITY), Value::Float(-0.5)],
        Ty::Bool => vec![Value::Bool(true), Value::Bool(false)],
        Ty::String => vec![
            s(""),
            s("a"),
            s("é"),
            s("(["),
            s("a{1001}"),
            s("\\"),
            s("%zz"),
            s("-----BEGIN X-----\n@@\n-----END X-----\n"),
            s("1.2.3-"),
            s(">= 1.2 || <"),
            s("2006-01-02"),
            s("99999999999999999999h"),
            s("$1${x"),
            s("http://[::1"),
            s("\u{0}"),
        ],
        Ty::List | Ty::StringList => {
            vec![Value::list(vec![]), Value::list(vec![s("1.2.3.4"), Value::int(1)]), Value::Nil]
        }
        Ty::Map => vec![Value::map(Map::new()), Value::map(m), Value::Nil],
        Ty::Bytes => vec![Value::Bytes(vec![].into())],
        Ty::Any => any,
    }
}

/// Functions whose every call costs real work (key generation, KDFs): a
/// few calls only.
const EXPENSIVE: &[&str] = &[
    "genPrivateKey",
    "genCA",
    "genCAWithKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "derivePassword",
    "bcrypt",
    "htpasswd",
];

#[test]
fn sprig_functions_never_panic() {
    let mut f = FuncMap::new();
    sprig::register(&mut f);
    let mut names: Vec<&str> = f.names().copied().collect();
    names.sort();
    let mut calls = 0;
    for name in names {
        let func = f.get(name).expect("registered").clone();
        let mut shapes: Vec<Vec<Ty>> = vec![func.params.to_vec()];
        if let Some(v) = func.variadic {
            let mut one = func.params.to_vec();
            one.push(v);
            let mut two = one.clone();
            two.push(v);
            shapes.push(one);
            shapes.push(two);
        }
        let budget = if EXPENSIVE.contains(&name) { 3 } else { 60 };
        for shape in shapes {
            let pools: Vec<Vec<Value>> = shape.iter().map(|t| pool(*t)).collect();
            let combos = pools.iter().map(Vec::len).max().unwrap_or(1).max(1);
            for k in 0..combos.min(budget) {
                // Vary positions at different speeds to mix combinations.
                let args: Vec<Value> =
                    pools.iter().enumerate().map(|(i, p)| p[(k * (i + 1) + i) % p.len()].clone()).collect();
                let dbg = format!("{name} {args:?}");
                let body = func.body.clone();
                let r = catch_unwind(AssertUnwindSafe(|| {
                    let mut env = Env::default();
                    let _ = body(&mut env, args);
                }));
                assert!(r.is_ok(), "panic in {dbg}");
                calls += 1;
            }
        }
    }
    eprintln!("{calls} calls without panic");
}
