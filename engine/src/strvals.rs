//! Helm's strvals (`--set a.b=c,list[0]=x,arr={a,b}`), the subset the
//! playground's option bar needs. Values are typed like Helm's typedVal:
//! integers become int64, `true`/`false` bools, `null` deletes.

use crate::value::{Map, Value};

fn typed(val: &str, as_string: bool) -> Value {
    if as_string {
        return Value::str(val);
    }
    match val {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "null" => return Value::Nil,
        "0" => return Value::int64(0),
        _ => {}
    }
    // A leading zero keeps it a string (strvals: "must not start with 0").
    if val.len() > 1 && val.starts_with('0') {
        return Value::str(val);
    }
    match val.parse::<i64>() {
        Ok(i) if !val.starts_with('+') => Value::int64(i),
        _ => Value::str(val),
    }
}

/// Splits on `sep` outside `{...}`, honouring backslash escapes.
fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '{' => {
                depth += 1;
                cur.push(c);
            }
            '}' => {
                depth = depth.saturating_sub(1);
                cur.push(c);
            }
            c if c == sep && depth == 0 => parts.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    parts.push(cur);
    parts
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

enum Seg {
    Key(String),
    Index(usize),
}

fn parse_key(k: &str) -> Result<Vec<Seg>, String> {
    let mut segs = Vec::new();
    for part in split_unescaped(k, '.') {
        let mut rest = part.as_str();
        let name_end = rest.find('[').unwrap_or(rest.len());
        let name = unescape(&rest[..name_end]);
        if name.is_empty() && name_end == rest.len() {
            return Err(format!("key {k:?} has no value"));
        }
        if !name.is_empty() {
            segs.push(Seg::Key(name));
        }
        rest = &rest[name_end..];
        while let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or_else(|| format!("key {k:?} has unclosed index"))?;
            let idx: usize = r[..close].parse().map_err(|_| format!("failed to parse index {:?}", &r[..close]))?;
            if idx > 65536 {
                return Err(format!("index of {idx} is greater than maximum supported index of 65536"));
            }
            segs.push(Seg::Index(idx));
            rest = &r[close + 1..];
        }
    }
    Ok(segs)
}

fn set_path(target: &mut Value, segs: &[Seg], val: Value) {
    match segs.split_first() {
        None => *target = val,
        Some((Seg::Key(k), rest)) => {
            if !matches!(target, Value::Map(_)) {
                *target = Value::empty_map();
            }
            if let Value::Map(m) = target {
                if rest.is_empty() && val.is_nil() {
                    // `null` is kept: coalescing deletes the key later.
                    m.borrow_mut().insert(k.clone(), Value::Nil);
                    return;
                }
                let mut child = m.borrow().get(k).cloned().unwrap_or(Value::Nil);
                set_path(&mut child, rest, val);
                m.borrow_mut().insert(k.clone(), child);
            }
        }
        Some((Seg::Index(i), rest)) => {
            if !matches!(target, Value::List(..)) {
                *target = Value::list(Vec::new());
            }
            if let Value::List(l, _) = target {
                let mut l = l.borrow_mut();
                while l.len() <= *i {
                    l.push(Value::Nil);
                }
                let mut child = l[*i].clone();
                set_path(&mut child, rest, val);
                l[*i] = child;
            }
        }
    }
}

/// Parses one `--set` argument into `base`.
pub fn parse_into(s: &str, base: &mut Map, as_string: bool) -> Result<(), String> {
    let mut root = Value::map(std::mem::take(base));
    let mut result = Ok(());
    for assign in split_unescaped(s, ',') {
        if assign.is_empty() {
            continue;
        }
        let (k, v) = match assign.split_once('=') {
            Some(kv) => kv,
            None => {
                result = Err(format!("key {:?} has no value", assign));
                break;
            }
        };
        let segs = match parse_key(k) {
            Ok(s) => s,
            Err(e) => {
                result = Err(e);
                break;
            }
        };
        let val = if v.starts_with('{') && v.ends_with('}') && !as_string {
            let inner = &v[1..v.len() - 1];
            Value::list(split_unescaped(inner, ',').iter().map(|x| typed(&unescape(x), false)).collect())
        } else {
            typed(&unescape(v), as_string)
        };
        set_path(&mut root, &segs, val);
    }
    if let Value::Map(m) = root {
        *base = m.borrow().clone();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_typing_and_paths() {
        let mut m = Map::new();
        parse_into("a.b=5,c=true,d=0123,e[1]=x,f={1,two}", &mut m, false).unwrap();
        let v = Value::map(m);
        assert_eq!(v.to_go_string(), "map[a:map[b:5] c:true d:0123 e:[<nil> x] f:[1 two]]");
        assert_eq!(v.get("a").unwrap().get("b").unwrap().type_name(), "int64");
    }
}
