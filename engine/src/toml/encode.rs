//! BurntSushi/toml's `Encoder` (encode.go) over our value model.
//!
//! Go's encoder panics with `tomlEncodeError` and recovers in `Encode`;
//! here every step returns `Result` with the same error text. Output is
//! buffered, so a failed encode yields only the error (Helm's `toToml`
//! then returns the error text as the string).

use crate::error::Error;
use crate::sprig::date::Time;
use crate::value::Value;

use super::{dbl_quoted_replace, key_string, maybe_quoted, TomlType};

const ERR_ARRAY_NIL_ELEMENT: &str = "toml: cannot encode array with nil element";
const ERR_NO_KEY: &str = "toml: top-level values must be Go maps or structs";
/// Nesting limit: Go recurses until its (huge) stack ends, we must stay
/// within a wasm stack, and a cyclic value (a map `set` into itself) must
/// give an error instead of overflowing. Chart data is far shallower.
const MAX_DEPTH: usize = 250;

/// What an encoder sees in a value: plain data, or one of the typed Go
/// values it treats specially.
enum Kind {
    Nil,
    Data(Value),
    /// time.Time: written bare (RFC 3339 or a TOML local form).
    Time(Time),
    /// An encoding.TextMarshaler (e.g. *semver.Version): a quoted string.
    Text(String),
    /// A Go struct: exported fields in declaration order, with their
    /// declaration index.
    Struct(Vec<(String, usize, Value)>),
}

/// Exported fields of the Helm structs templates can reach, with their
/// index among all declared fields (unexported ones count: BurntSushi's
/// inline comma rule compares that index with the exported-field count).
/// Structs are encoded by field name: they have no `toml` tags, and json
/// tags such as omitempty do not apply.
fn struct_fields(type_name: &str) -> Option<&'static [(&'static str, usize)]> {
    Some(match type_name {
        "*common.Capabilities" => &[("KubeVersion", 0), ("APIVersions", 1), ("HelmVersion", 2)],
        // Field 1 is the unexported normalizedVersion.
        "common.KubeVersion" => &[("Version", 0), ("Major", 2), ("Minor", 3)],
        "version.BuildInfo" => {
            &[("Version", 0), ("GitCommit", 1), ("GitTreeState", 2), ("GoVersion", 3), ("KubeClientVersion", 4)]
        }
        _ => return None,
    })
}

fn kind(v: &Value) -> Kind {
    match v {
        Value::Nil => Kind::Nil,
        Value::Object(o) => {
            if let Some(t) = o.as_any().downcast_ref::<Time>() {
                return Kind::Time(t.clone());
            }
            if o.type_name().ends_with("semver.Version") {
                return Kind::Text(o.format_v());
            }
            // engine.files is a map[string][]byte.
            if let Some(f) = o.as_any().downcast_ref::<crate::chart::objects::Files>() {
                let m = f.files.iter().map(|(k, b)| (k.clone(), Value::Bytes(b.clone()))).collect();
                return Kind::Data(Value::map(m));
            }
            if let Some(names) = struct_fields(&o.type_name()) {
                let fields = names.iter().map(|(n, i)| (n.to_string(), *i, o.field(n).unwrap_or(Value::Nil))).collect();
                return Kind::Struct(fields);
            }
            // Other Helm objects are Go structs; we only have their data
            // form (sorted, JSON field names) — an approximation.
            match o.to_data() {
                Some(d) => kind(&d),
                None => Kind::Text(o.format_v()),
            }
        }
        other => Kind::Data(other.clone()),
    }
}

/// `toml.NewEncoder(w).Encode(v)`.
pub fn to_toml(v: &Value) -> Result<String, Error> {
    if v.is_nil() {
        // reflect.ValueOf(nil) is the zero Value; eindirect asks its Type.
        return Err("reflect: call of reflect.Value.Type on zero Value".into());
    }
    let mut enc = Encoder { out: String::new(), has_written: false };
    enc.encode(&[], v, 0)?;
    Ok(enc.out)
}

struct Encoder {
    out: String,
    has_written: bool,
}

fn toml_type_of(v: &Value, depth: usize) -> Result<Option<TomlType>, Error> {
    if depth > MAX_DEPTH {
        return Err("toml: value nested too deeply".into());
    }
    // tomlTypeOfGo starts with isNil: a nil map or slice (regexFindAll's
    // nil []string...) has no TOML type, like the nil interface.
    if v.is_go_nil() {
        return Ok(None);
    }
    Ok(Some(match kind(v) {
        Kind::Nil => return Ok(None),
        Kind::Time(_) => TomlType::Datetime,
        Kind::Text(_) => TomlType::String,
        Kind::Struct(_) => TomlType::Hash,
        Kind::Data(d) => match d {
            Value::Bool(_) => TomlType::Bool,
            Value::Int(..) | Value::Uint(_) => TomlType::Integer,
            Value::Float(_) => TomlType::Float,
            Value::String(_) => TomlType::String,
            Value::Bytes(_) => TomlType::Array,
            Value::List(l, _) => {
                if is_table_array(&l.borrow(), depth)? {
                    TomlType::ArrayHash
                } else {
                    TomlType::Array
                }
            }
            Value::Map(_, _) => TomlType::Hash,
            Value::Nil | Value::Object(_) => return Ok(None),
        },
    }))
}

/// `isTableArray`: non-empty and every element a table; a nil element is
/// an error wherever it sits.
fn is_table_array(items: &[Value], depth: usize) -> Result<bool, Error> {
    if items.is_empty() {
        return Ok(false);
    }
    let mut ret = true;
    for it in items {
        let tt = toml_type_of(it, depth + 1)?;
        match tt {
            None => return Err(ERR_ARRAY_NIL_ELEMENT.into()),
            Some(t) => {
                if t != TomlType::Hash {
                    ret = false;
                }
            }
        }
    }
    Ok(ret)
}

fn type_is_table(t: Option<TomlType>) -> bool {
    matches!(t, Some(TomlType::Hash | TomlType::ArrayHash))
}

/// By the TOML spec a float needs a '.' or an exponent.
fn float_add_decimal(s: String) -> String {
    if s.contains('e') || s.contains('.') {
        s
    } else {
        s + ".0"
    }
}

impl Encoder {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.has_written = true;
    }

    fn newline(&mut self) {
        if self.has_written {
            self.write("\n");
        }
    }

    fn indent_str(key: &[String]) -> String {
        "  ".repeat(key.len().saturating_sub(1))
    }

    fn encode(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err("toml: value nested too deeply".into());
        }
        match kind(v) {
            Kind::Nil => Ok(()),
            Kind::Time(_) | Kind::Text(_) => self.write_key_value(key, v, false, depth),
            Kind::Struct(fields) => {
                self.table_header(key);
                self.e_struct(key, &fields, false, depth)
            }
            Kind::Data(d) => match &d {
                Value::List(..) | Value::Bytes(_) => {
                    if toml_type_of(&d, depth)? == Some(TomlType::ArrayHash) {
                        self.e_array_of_tables(key, &d, depth)
                    } else {
                        self.write_key_value(key, &d, false, depth)
                    }
                }
                Value::Map(_, _) => self.e_table(key, &d, depth),
                _ => self.write_key_value(key, &d, false, depth),
            },
        }
    }

    /// `eElement`: a value in `key = value` position or inside an array.
    fn e_element(&mut self, v: &Value, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err("toml: value nested too deeply".into());
        }
        match kind(v) {
            Kind::Nil => Err("reflect: call of reflect.Value.Interface on zero Value".into()),
            Kind::Time(t) => {
                let s = match t.zone.as_str() {
                    // Local forms are printed in UTC (Go: v.In(time.UTC)).
                    "datetime-local" => utc(&t).format("2006-01-02T15:04:05.999999999"),
                    "date-local" => utc(&t).format("2006-01-02"),
                    "time-local" => utc(&t).format("15:04:05.999999999"),
                    _ => t.format("2006-01-02T15:04:05.999999999Z07:00"),
                };
                self.write(&s);
                Ok(())
            }
            Kind::Text(s) => {
                self.write_quoted(&s);
                Ok(())
            }
            Kind::Struct(fields) => self.e_struct(&[], &fields, true, depth),
            Kind::Data(d) => match &d {
                Value::String(s) => {
                    self.write_quoted(s);
                    Ok(())
                }
                Value::Bool(b) => {
                    self.write(if *b { "true" } else { "false" });
                    Ok(())
                }
                Value::Int(i, _) => {
                    self.write(&i.to_string());
                    Ok(())
                }
                Value::Uint(u) => {
                    self.write(&u.to_string());
                    Ok(())
                }
                Value::Float(f) => {
                    let f = *f;
                    if f.is_nan() {
                        if f.is_sign_negative() {
                            self.write("-");
                        }
                        self.write("nan");
                    } else if f.is_infinite() {
                        if f.is_sign_negative() {
                            self.write("-");
                        }
                        self.write("inf");
                    } else {
                        let s = float_add_decimal(crate::gofmt::strconv::format_float_g(f, 64));
                        self.write(&s);
                    }
                    Ok(())
                }
                Value::Bytes(b) => {
                    let items: Vec<Value> = b.iter().map(|x| Value::Uint(u64::from(*x))).collect();
                    self.e_array_elements(&items, depth)
                }
                Value::List(l, _) => {
                    let items = l.borrow().clone();
                    self.e_array_elements(&items, depth)
                }
                Value::Map(_, _) => self.e_map(&[], &d, true, depth),
                Value::Nil | Value::Object(_) => Err("reflect: call of reflect.Value.Interface on zero Value".into()),
            },
        }
    }

    fn write_quoted(&mut self, s: &str) {
        let q = format!("\"{}\"", dbl_quoted_replace(s));
        self.write(&q);
    }

    fn e_array_elements(&mut self, items: &[Value], depth: usize) -> Result<(), Error> {
        self.write("[");
        for (i, it) in items.iter().enumerate() {
            self.e_element(it, depth + 1)?;
            if i + 1 != items.len() {
                self.write(", ");
            }
        }
        self.write("]");
        Ok(())
    }

    fn e_array_of_tables(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), Error> {
        if key.is_empty() {
            return Err(ERR_NO_KEY.into());
        }
        let items = match v {
            Value::List(l, _) => l.borrow().clone(),
            _ => Vec::new(),
        };
        for it in &items {
            let k = kind(it);
            if matches!(k, Kind::Nil) {
                continue;
            }
            self.newline();
            let h = format!("{}[[{}]]", Self::indent_str(key), key_string(key));
            self.write(&h);
            self.newline();
            match k {
                Kind::Struct(fields) => self.e_struct(key, &fields, false, depth + 1)?,
                Kind::Data(d) => self.e_map(key, &d, false, depth + 1)?,
                // Only tables reach here (isTableArray).
                _ => {}
            }
        }
        Ok(())
    }

    fn e_table(&mut self, key: &[String], v: &Value, depth: usize) -> Result<(), Error> {
        self.table_header(key);
        self.e_map(key, v, false, depth)
    }

    /// eTable's `[key]` line (none for the top level).
    fn table_header(&mut self, key: &[String]) {
        if key.len() == 1 {
            // An extra newline between top-level tables.
            self.newline();
        }
        if !key.is_empty() {
            let h = format!("{}[{}]", Self::indent_str(key), key_string(key));
            self.write(&h);
            self.newline();
        }
    }

    fn e_map(&mut self, key: &[String], v: &Value, inline: bool, depth: usize) -> Result<(), Error> {
        let Value::Map(m, _) = v else { return Ok(()) };
        let entries: Vec<(String, Value)> = m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, val) in entries {
            if type_is_table(toml_type_of(&val, depth + 1)?) {
                sub.push((k, val));
            } else {
                direct.push((k, val));
            }
        }
        if inline {
            self.write("{");
        }
        let trail = !sub.is_empty();
        self.write_map_keys(key, &direct, trail, inline, depth)?;
        self.write_map_keys(key, &sub, false, inline, depth)?;
        if inline {
            self.write("}");
        }
        Ok(())
    }

    /// `eStruct`: direct fields, then sub-tables, each in declaration
    /// order; inline, a comma follows every field whose declaration index
    /// is not the exported-field count minus one (Go's rule, odd output
    /// included: `{Version = "v1", Major = "1"Minor = "36", }`).
    fn e_struct(
        &mut self,
        key: &[String],
        fields: &[(String, usize, Value)],
        inline: bool,
        depth: usize,
    ) -> Result<(), Error> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (i, (_, _, v)) in fields.iter().enumerate() {
            if type_is_table(toml_type_of(v, depth + 1)?) {
                sub.push(i);
            } else {
                direct.push(i);
            }
        }
        if inline {
            self.write("{");
        }
        for i in direct.into_iter().chain(sub) {
            let Some((name, decl, v)) = fields.get(i) else {
                continue;
            };
            if v.is_go_nil() {
                continue;
            }
            if inline {
                self.write_key_value(std::slice::from_ref(name), v, true, depth + 1)?;
                if decl + 1 != fields.len() {
                    self.write(", ");
                }
            } else {
                let mut k = key.to_vec();
                k.push(name.clone());
                self.encode(&k, v, depth + 1)?;
            }
        }
        if inline {
            self.write("}");
        }
        Ok(())
    }

    fn write_map_keys(
        &mut self,
        key: &[String],
        keys: &[(String, Value)],
        trail_comma: bool,
        inline: bool,
        depth: usize,
    ) -> Result<(), Error> {
        // sort.Slice by the keys' Go bytes.
        let mut keys: Vec<&(String, Value)> = keys.iter().collect();
        keys.sort_by(|a, b| crate::gostring::cmp(&a.0, &b.0));
        for (i, (k, val)) in keys.iter().copied().enumerate() {
            if val.is_go_nil() {
                continue;
            }
            if inline {
                self.write_key_value(std::slice::from_ref(k), val, true, depth + 1)?;
                if trail_comma || i + 1 != keys.len() {
                    self.write(", ");
                }
            } else {
                let mut sub = key.to_vec();
                sub.push(k.clone());
                self.encode(&sub, val, depth + 1)?;
            }
        }
        Ok(())
    }

    fn write_key_value(&mut self, key: &[String], v: &Value, inline: bool, depth: usize) -> Result<(), Error> {
        let Some(last) = key.last() else {
            return self.e_element(v, depth);
        };
        let s = format!("{}{} = ", Self::indent_str(key), maybe_quoted(last));
        self.write(&s);
        self.e_element(v, depth)?;
        if !inline {
            self.newline();
        }
        Ok(())
    }
}

fn utc(t: &Time) -> Time {
    Time { zone: "UTC".into(), offset: 0, mono: None, ..t.clone() }
}
