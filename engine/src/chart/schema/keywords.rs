//! The validator: every keyword of drafts 4 to 2020-12 in the library's
//! order, scopes, and `unevaluatedProperties`/`unevaluatedItems`.

use super::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum JType {
    Null,
    Boolean,
    Number,
    Integer,
    String,
    Array,
    Object,
}

pub(super) const TYPE_ORDER: [JType; 7] =
    [JType::Null, JType::Boolean, JType::Number, JType::Integer, JType::String, JType::Array, JType::Object];

impl JType {
    pub(super) fn name(self) -> &'static str {
        match self {
            JType::Null => "null",
            JType::Boolean => "boolean",
            JType::Number => "number",
            JType::Integer => "integer",
            JType::String => "string",
            JType::Array => "array",
            JType::Object => "object",
        }
    }
    pub(super) fn from_name(s: &str) -> Option<JType> {
        TYPE_ORDER.iter().copied().find(|t| t.name() == s)
    }
}

pub(super) fn type_of(v: &Value) -> Option<JType> {
    Some(match v {
        Value::Nil => JType::Null,
        Value::Bool(_) => JType::Boolean,
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => JType::Number,
        Value::String(_) => JType::String,
        Value::List(..) => JType::Array,
        Value::Map(_, _) => JType::Object,
        _ => return None,
    })
}

pub(super) fn type_of_json(j: &J) -> JType {
    match j {
        J::Null => JType::Null,
        J::Bool(_) => JType::Boolean,
        J::Num(_) => JType::Number,
        J::Str(_) => JType::String,
        J::Arr(_) => JType::Array,
        J::Obj(_) => JType::Object,
    }
}

pub(super) fn is_integer(v: &Value) -> bool {
    Dec::of_value(v).is_some_and(|d| d.is_int())
}

/// `equals` between an instance value and a schema constant.
pub(super) fn equals_json(v: &Value, j: &J) -> bool {
    match (v, j) {
        (Value::Nil, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::String(a), J::Str(b)) => **a == **b,
        (Value::Int(..) | Value::Uint(_) | Value::Float(_), J::Num(n)) => match (Dec::of_value(v), Dec::parse(n)) {
            (Some(a), Some(b)) => a.cmp(&b) == std::cmp::Ordering::Equal,
            _ => false,
        },
        (Value::List(l, _), J::Arr(a)) => {
            let l = l.borrow();
            l.len() == a.len() && l.iter().zip(a).all(|(x, y)| equals_json(x, y))
        }
        (Value::Map(m, _), J::Obj(o)) => {
            let m = m.borrow();
            m.len() == o.len() && m.iter().all(|(k, x)| o.get(k).is_some_and(|y| equals_json(x, y)))
        }
        _ => false,
    }
}

/// `equals` between two instance values (uniqueItems).
pub(super) fn equals_values(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::List(x, _), Value::List(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equals_values(p, q))
        }
        (Value::Map(x, _), Value::Map(y, _)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.len() == y.len() && x.iter().all(|(k, p)| y.get(k).is_some_and(|q| equals_values(p, q)))
        }
        _ => match (Dec::of_value(a), Dec::of_value(b)) {
            (Some(x), Some(y)) => x.cmp(&y) == std::cmp::Ordering::Equal,
            _ => false,
        },
    }
}

pub(super) fn num_of(j: Option<&J>) -> Option<Dec> {
    match j {
        Some(J::Num(n)) => Dec::parse(n),
        _ => None,
    }
}

pub(super) fn usize_of(j: Option<&J>) -> Option<usize> {
    let d = num_of(j)?;
    if !d.is_int() || d.neg {
        return None;
    }
    if d.is_zero() {
        return Some(0);
    }
    if d.digits.len() as i64 + d.exp > 19 {
        return Some(usize::MAX);
    }
    let s: String =
        d.digits.iter().map(|x| (b'0' + x) as char).collect::<String>() + &"0".repeat(d.exp.max(0) as usize);
    Some(s.parse().unwrap_or(usize::MAX))
}

pub(super) fn num_f64(j: &J) -> f64 {
    match j {
        J::Num(n) => n.parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

/// Nesting of schema applications we follow (Go has no limit but its
/// goroutine stack grows; ours is fixed, in wasm 1 MiB).
pub(super) const MAX_DEPTH: usize = 200;

/// The same for the meta-schema check, where every level of the schema is
/// about six levels of meta-schema (dialect, allOf, vocabulary, keyword,
/// subschema, `$dynamicRef`) through larger frames: 120 keeps a debug build
/// inside a 2 MiB thread stack, and covers schemas nested about 20 deep.
/// A deeper schema is not meta-checked.
pub(super) const META_MAX_DEPTH: usize = 120;

/// The message of the depth limit.
pub(super) const TOO_DEEP: &str = "schema nesting too deep";

pub(super) struct Scope {
    /// Identity of the schema (its address in the document).
    pub(super) id: usize,
    /// Keyword path from the parent scope's schema, or `/$ref`.
    pub(super) frag: String,
    /// Depth of the value being validated.
    pub(super) vid: usize,
    /// Base URL of the schema's resource (for `$dynamicRef`).
    pub(super) base: Rc<str>,
}

/// Properties / items not yet evaluated by any keyword (`uneval`); None
/// when nobody needs to know.
#[derive(Clone, Default)]
pub(super) struct Uneval {
    pub(super) props: Option<BTreeSet<String>>,
    pub(super) items: Option<BTreeSet<usize>>,
}

impl Uneval {
    pub(super) fn is_empty(&self) -> bool {
        self.props.as_ref().is_none_or(|p| p.is_empty()) && self.items.as_ref().is_none_or(|i| i.is_empty())
    }

    /// `uneval.merge`: what `other` evaluated is evaluated here too.
    pub(super) fn merge(&mut self, other: &Uneval) {
        if let Some(p) = &mut self.props {
            p.retain(|k| other.props.as_ref().is_some_and(|o| o.contains(k)));
        }
        if let Some(i) = &mut self.items {
            i.retain(|k| other.items.as_ref().is_some_and(|o| o.contains(k)));
        }
    }
}

pub(super) struct Validator<'d> {
    pub(super) doc: &'d SchemaDoc,
    /// Stack of the schemas being applied: what they have not evaluated.
    pub(super) uneval: Vec<Uneval>,
    /// The state of the last schema that passed (for `validateSelf`).
    pub(super) out_uneval: Option<Uneval>,
    /// Whether the schema about to be applied must track evaluation.
    pub(super) caller_needs: bool,
    pub(super) scopes: Vec<Scope>,
    /// Formats asserted in every draft (meta-schema validation).
    pub(super) assert_format: bool,
    /// Limit on `scopes` (MAX_DEPTH, or META_MAX_DEPTH).
    pub(super) max_depth: usize,
}

impl<'d> Validator<'d> {
    pub(super) fn err(&self, vloc: &[String], msg: String) -> VErr {
        VErr { loc: vloc.to_vec(), kind: Kind::Msg(msg), causes: Vec::new() }
    }

    /// Follows `$ref`/`$dynamicRef`/`$recursiveRef` from `s`.
    pub(super) fn target(&self, s: &SRef<'d>, r: &str) -> Option<SRef<'d>> {
        match self.doc.resolve_ref(&s.base, r) {
            Ok(Some((ptr, base))) => {
                let j = self.doc.lookup(&ptr)?;
                let res_len = self.doc.resources.get(&base).map_or(0, |p| p.1.len()).min(ptr.1.len());
                let loc = format!("{base}#{}", json_ptr(&ptr.1[res_len..]));
                Some(SRef { j, base: Rc::from(base.as_str()), draft: s.draft, loc: Rc::from(loc.as_str()) })
            }
            _ => None,
        }
    }

    pub(super) fn validate_ref(
        &mut self,
        s: &SRef<'d>,
        kw: &str,
        r: &str,
        v: &Value,
        vloc: &mut Vec<String>,
    ) -> Result<(), VErr> {
        let Some(mut t) = self.target(s, r) else {
            // urn: references load as the permissive `true` schema.
            return Ok(());
        };
        if kw == "$dynamicRef" {
            // A `$dynamicRef` to a `$dynamicAnchor` resolves to the
            // outermost resource in scope that declares the same anchor.
            let name = split_frag(r).1;
            if !name.is_empty() && !name.starts_with('/') && t.j.get("$dynamicAnchor").and_then(J::as_str) == Some(name)
            {
                let outer = self
                    .scopes
                    .iter()
                    .find(|sc| self.doc.dyn_anchors.contains(&(sc.base.to_string(), name.to_string())))
                    .map(|sc| sc.base.clone());
                if let Some(base) = outer {
                    if let Some(dt) = self.target(&SRef { base, ..s.clone() }, &format!("#{name}")) {
                        t = dt;
                    }
                }
            }
        }
        // validateRef is a validateSelf: evaluation flows back on success.
        self.caller_needs = self.uneval.last().is_some_and(|u| !u.is_empty());
        let r = self.validate(&t, v, vloc, format!("/{}", escape_tok(kw)), false);
        self.caller_needs = false;
        if r.is_ok() {
            if let (Some(child), Some(cur)) = (self.out_uneval.take(), self.uneval.last_mut()) {
                cur.merge(&child);
            }
        }
        match r {
            Ok(()) => Ok(()),
            Err(e) => {
                let causes = if e.kind == Kind::Group { e.causes } else { vec![e] };
                Err(VErr { loc: vloc.clone(), kind: Kind::Reference, causes })
            }
        }
    }

    /// A subschema under keyword path `frag` (`/properties/a`).
    pub(super) fn sub(&self, s: &SRef<'d>, j: &'d J, frag: &str) -> (SRef<'d>, String) {
        let loc = format!("{}{frag}", s.loc);
        (SRef { j, base: s.base.clone(), draft: s.draft, loc: Rc::from(loc.as_str()) }, frag.to_string())
    }

    /// `validateSelf`: another schema on the same value; when it passes,
    /// what it evaluated counts as evaluated here (unevaluated* keywords).
    pub(super) fn validate_self(
        &mut self,
        s: &SRef<'d>,
        j: &'d J,
        frag: &str,
        v: &Value,
        vloc: &mut Vec<String>,
    ) -> Result<(), VErr> {
        let (sub, frag) = self.sub(s, j, frag);
        self.caller_needs = self.uneval.last().is_some_and(|u| !u.is_empty());
        let r = self.validate(&sub, v, vloc, frag, false);
        self.caller_needs = false;
        if r.is_ok() {
            if let (Some(child), Some(cur)) = (self.out_uneval.take(), self.uneval.last_mut()) {
                cur.merge(&child);
            }
        }
        r
    }

    pub(super) fn mark_prop(&mut self, name: &str) {
        if let Some(Uneval { props: Some(p), .. }) = self.uneval.last_mut() {
            p.remove(name);
        }
    }

    pub(super) fn mark_item(&mut self, i: usize) {
        if let Some(Uneval { items: Some(it), .. }) = self.uneval.last_mut() {
            it.remove(&i);
        }
    }

    /// `validateVal`: a subschema on a child value (`tok` in the instance).
    pub(super) fn validate_val(
        &mut self,
        s: &SRef<'d>,
        j: &'d J,
        frag: &str,
        v: &Value,
        vloc: &mut Vec<String>,
        tok: String,
    ) -> Result<(), VErr> {
        vloc.push(tok);
        let (sub, frag) = self.sub(s, j, frag);
        let r = self.validate(&sub, v, vloc, frag, true);
        vloc.pop();
        r
    }

    /// Enters a scope (Go's `scope`: schema, keyword path, value depth) and
    /// validates.
    pub(super) fn validate(
        &mut self,
        s: &SRef<'d>,
        v: &Value,
        vloc: &mut Vec<String>,
        frag: String,
        new_value: bool,
    ) -> Result<(), VErr> {
        if self.scopes.len() > self.max_depth {
            return Err(self.err(vloc, TOO_DEEP.into()));
        }
        let vid = self.scopes.last().map_or(0, |sc| sc.vid + usize::from(new_value));
        self.scopes.push(Scope { id: s.j as *const J as usize, frag, vid, base: s.base.clone() });
        let r = self.validate_inner(s, v, vloc);
        self.scopes.pop();
        r
    }

    /// `scope.checkCycle`: the same schema already applies to the same
    /// value further up. Returns the two keyword locations.
    pub(super) fn check_cycle(&self) -> Option<(String, String)> {
        let cur = self.scopes.last()?;
        let n = self.scopes.len() - 1;
        let kw_loc = |i: usize| self.scopes[1..=i].iter().map(|sc| sc.frag.as_str()).collect::<String>();
        for i in (0..n).rev() {
            let sc = &self.scopes[i];
            if sc.vid != cur.vid {
                break;
            }
            if sc.id == cur.id {
                return Some((kw_loc(n), if i == 0 { String::new() } else { kw_loc(i) }));
            }
        }
        None
    }

    pub(super) fn validate_inner(&mut self, s0: &SRef<'d>, v: &Value, vloc: &mut Vec<String>) -> Result<(), VErr> {
        let needs = std::mem::take(&mut self.caller_needs);
        self.out_uneval = None;
        // `unevalFrom`: what this schema must account for.
        let (track_props, track_items) = match s0.j {
            J::Obj(m) if s0.draft >= 2019 => {
                (needs || m.contains_key("unevaluatedProperties"), needs || m.contains_key("unevaluatedItems"))
            }
            _ => (needs, needs),
        };
        let uneval = Uneval {
            props: match v {
                Value::Map(o, _) if track_props => Some(o.borrow().keys().cloned().collect()),
                _ => None,
            },
            items: match v {
                Value::List(l, _) if track_items => Some((0..l.borrow().len()).collect()),
                _ => None,
            },
        };
        self.uneval.push(uneval);
        let r = self.validate_body(s0, v, vloc);
        let done = self.uneval.pop();
        self.out_uneval = if r.is_ok() { done } else { None };
        r
    }

    pub(super) fn validate_body(&mut self, s0: &SRef<'d>, v: &Value, vloc: &mut Vec<String>) -> Result<(), VErr> {
        let m = match s0.j {
            J::Bool(true) => return Ok(()),
            J::Bool(false) => return Err(self.err(vloc, "false schema".into())),
            J::Obj(m) => m,
            _ => return Ok(()),
        };
        if let Some((kw1, kw2)) = self.check_cycle() {
            return Err(self.err(
                vloc,
                format!("both {kw1} and {kw2} resolve to {} causing reference cycle", strconv::quote(&s0.loc)),
            ));
        }
        // A subschema with its own $id is a resource with its own base.
        let mut s = s0.clone();
        let id_key = if s.draft == 4 { "id" } else { "$id" };
        if let Some(id) = m.get(id_key).and_then(J::as_str) {
            if !(s.draft < 2019 && id.starts_with('#')) {
                let abs = resolve_url(&s.base, id);
                s.base = Rc::from(split_frag(&abs).0);
            }
        }
        let s = &s;
        let draft = s.draft;
        let Some(t) = type_of(v) else {
            return Err(self.err(vloc, format!("invalid jsonType {}", v.type_name())));
        };

        // type --
        if let Some(tj) = m.get("type") {
            let want: Vec<JType> = match tj {
                J::Str(n) => JType::from_name(n).into_iter().collect(),
                J::Arr(a) => a.iter().filter_map(|x| x.as_str().and_then(JType::from_name)).collect(),
                _ => Vec::new(),
            };
            if !want.is_empty() {
                let matched =
                    want.contains(&t) || (want.contains(&JType::Integer) && t == JType::Number && is_integer(v));
                if !matched {
                    let names: Vec<&str> = TYPE_ORDER.iter().filter(|x| want.contains(x)).map(|x| x.name()).collect();
                    return Err(self.err(vloc, format!("got {}, want {}", t.name(), names.join(" or "))));
                }
            }
        }

        // const --
        if draft >= 6 {
            if let Some(c) = m.get("const") {
                if !equals_json(v, c) {
                    let msg = match c {
                        J::Arr(_) | J::Obj(_) => "'const' failed".to_string(),
                        other => format!("value must be {}", display_json(other)),
                    };
                    return Err(self.err(vloc, msg));
                }
            }
        }

        // enum --
        if let Some(J::Arr(items)) = m.get("enum") {
            let types: Vec<JType> = items.iter().map(type_of_json).collect();
            let matched = types.contains(&t) && items.iter().any(|it| equals_json(v, it));
            if !matched {
                let all_primitive = !items.iter().any(|i| matches!(i, J::Arr(_) | J::Obj(_)));
                let msg = if all_primitive {
                    if items.len() == 1 {
                        format!("value must be {}", display_json(&items[0]))
                    } else {
                        format!(
                            "value must be one of {}",
                            items.iter().map(display_json).collect::<Vec<_>>().join(", ")
                        )
                    }
                } else {
                    "'enum' failed".to_string()
                };
                return Err(self.err(vloc, msg));
            }
        }

        // format (asserted before draft 2019-09 only, the library's default) --
        if draft < 2019 || self.assert_format {
            if let Some(f) = m.get("format").and_then(J::as_str) {
                if let Some(Err(e)) = check_format(f, v) {
                    return Err(self.err(vloc, format!("{} is not valid {f}: {e}", display_value(v))));
                }
            }
        }

        let mut errors: Vec<VErr> = Vec::new();

        // $ref --
        if let Some(r) = m.get("$ref").and_then(J::as_str) {
            let res = self.validate_ref(s, "$ref", r, v, vloc);
            if draft < 2019 {
                return res;
            }
            if let Err(e) = res {
                errors.push(e);
            }
        }

        match v {
            Value::Map(obj, _) => self.obj_validate(s, m, &obj.borrow(), vloc, &mut errors),
            Value::List(arr, _) => self.arr_validate(s, m, &arr.borrow(), vloc, &mut errors),
            Value::String(st) => self.str_validate(m, st, vloc, &mut errors),
            Value::Int(..) | Value::Uint(_) | Value::Float(_) => self.num_validate(m, v, vloc, &mut errors),
            _ => {}
        }

        if draft >= 2019 {
            for kw in ["$recursiveRef", "$dynamicRef"] {
                if let Some(r) = m.get(kw).and_then(J::as_str) {
                    if let Err(e) = self.validate_ref(s, kw, r, v, vloc) {
                        errors.push(e);
                    }
                }
            }
        }
        self.cond_validate(s, m, v, vloc, &mut errors);

        // unevaluatedProperties / unevaluatedItems (2019-09 and later).
        if draft >= 2019 {
            if let (Some(up), Value::Map(obj, _)) = (m.get("unevaluatedProperties"), v) {
                let left: Vec<String> = self
                    .uneval
                    .last()
                    .and_then(|u| u.props.clone())
                    .map(|p| p.into_iter().collect())
                    .unwrap_or_default();
                let obj = obj.borrow();
                for pname in left {
                    if let Some(pv) = obj.get(&pname) {
                        if let Err(e) = self.validate_val(s, up, "/unevaluatedProperties", pv, vloc, pname.clone()) {
                            errors.push(e);
                        }
                    }
                }
                if let Some(u) = self.uneval.last_mut() {
                    u.props = Some(BTreeSet::new());
                }
            }
            if let (Some(ui), Value::List(arr, _)) = (m.get("unevaluatedItems"), v) {
                let left: Vec<usize> = self
                    .uneval
                    .last()
                    .and_then(|u| u.items.clone())
                    .map(|p| p.into_iter().collect())
                    .unwrap_or_default();
                let arr = arr.borrow();
                for i in left {
                    if let Some(item) = arr.get(i) {
                        if let Err(e) = self.validate_val(s, ui, "/unevaluatedItems", item, vloc, i.to_string()) {
                            errors.push(e);
                        }
                    }
                }
                if let Some(u) = self.uneval.last_mut() {
                    u.items = Some(BTreeSet::new());
                }
            }
        }

        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(VErr { loc: vloc.clone(), kind: Kind::Group, causes: errors }),
        }
    }

    pub(super) fn obj_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        obj: &BTreeMap<String, Value>,
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        let draft = s.draft;
        if let Some(n) = usize_of(m.get("minProperties")) {
            if obj.len() < n {
                errors.push(
                    self.err(
                        vloc,
                        format!("minProperties: got {}, want {}", localized_int(obj.len()), localized_int(n)),
                    ),
                );
            }
        }
        if let Some(n) = usize_of(m.get("maxProperties")) {
            if obj.len() > n {
                errors.push(
                    self.err(
                        vloc,
                        format!("maxProperties: got {}, want {}", localized_int(obj.len()), localized_int(n)),
                    ),
                );
            }
        }
        let find_missing = |req: &J| -> Vec<String> {
            match req {
                J::Arr(a) => {
                    a.iter().filter_map(J::as_str).filter(|p| !obj.contains_key(*p)).map(String::from).collect()
                }
                _ => Vec::new(),
            }
        };
        if let Some(req) = m.get("required") {
            let missing = find_missing(req);
            if !missing.is_empty() {
                let msg = if missing.len() == 1 {
                    format!("missing property {}", squote(&missing[0]))
                } else {
                    format!("missing properties {}", join_quoted(&missing))
                };
                errors.push(self.err(vloc, msg));
            }
        }
        if draft < 2019 {
            if let Some(J::Obj(deps)) = m.get("dependencies") {
                for (pname, dep) in deps {
                    if !obj.contains_key(pname) {
                        continue;
                    }
                    match dep {
                        J::Arr(_) => {
                            let missing = find_missing(dep);
                            if !missing.is_empty() {
                                errors.push(self.err(
                                    vloc,
                                    format!(
                                        "properties {} required, if {} exists",
                                        join_quoted(&missing),
                                        squote(pname)
                                    ),
                                ));
                            }
                        }
                        sch => {
                            let val = Value::map_ref(crate::value::new_map(obj.clone()));
                            let frag = format!("/dependencies/{}", escape_tok(pname));
                            if let Err(e) = self.validate_self(s, sch, &frag, &val, vloc) {
                                errors.push(e);
                            }
                        }
                    }
                }
            }
        }

        let props = match m.get("properties") {
            Some(J::Obj(p)) => Some(p),
            _ => None,
        };
        let pattern_props: Vec<(&'d String, Option<Rc<Regex>>, &'d J)> = match m.get("patternProperties") {
            Some(J::Obj(pp)) => pp.iter().map(|(re, sch)| (re, self.doc.regex(re), sch)).collect(),
            _ => Vec::new(),
        };
        let additional = m.get("additionalProperties");
        let mut additional_names = Vec::new();
        for (pname, pvalue) in obj {
            let mut evaluated = false;
            if let Some(sch) = props.and_then(|p| p.get(pname)) {
                evaluated = true;
                self.mark_prop(pname);
                let frag = format!("/properties/{}", escape_tok(pname));
                if let Err(e) = self.validate_val(s, sch, &frag, pvalue, vloc, pname.clone()) {
                    errors.push(e);
                }
            }
            for (re_src, re, sch) in &pattern_props {
                if re.as_ref().is_some_and(|r| r.is_match(pname)) {
                    evaluated = true;
                    self.mark_prop(pname);
                    let frag = format!("/patternProperties/{}", escape_tok(re_src));
                    if let Err(e) = self.validate_val(s, sch, &frag, pvalue, vloc, pname.clone()) {
                        errors.push(e);
                    }
                }
            }
            if !evaluated && additional.is_some() {
                self.mark_prop(pname);
                match additional {
                    Some(J::Bool(false)) => additional_names.push(pname.clone()),
                    Some(sch @ J::Obj(_)) => {
                        if let Err(e) = self.validate_val(s, sch, "/additionalProperties", pvalue, vloc, pname.clone())
                        {
                            errors.push(e);
                        }
                    }
                    _ => {}
                }
            }
        }
        if !additional_names.is_empty() {
            errors
                .push(self.err(vloc, format!("additional properties {} not allowed", join_quoted(&additional_names))));
        }
        if draft == 4 {
            return;
        }
        if let Some(pn) = m.get("propertyNames") {
            for pname in obj.keys() {
                let name = Value::str(pname);
                // A fresh validation (the library's `sch.validate`).
                let saved = std::mem::take(&mut self.scopes);
                let (sub, _) = self.sub(s, pn, "/propertyNames");
                let res = self.validate(&sub, &name, &mut Vec::new(), String::new(), false);
                self.scopes = saved;
                if let Err(e) = res {
                    let causes = if e.kind == Kind::Group { e.causes } else { vec![e] };
                    errors.push(VErr {
                        loc: Vec::new(),
                        kind: Kind::Msg(format!("invalid propertyName {}", squote(pname))),
                        causes,
                    });
                }
            }
        }
        if draft < 2019 {
            return;
        }
        if let Some(J::Obj(ds)) = m.get("dependentSchemas") {
            for (pname, sch) in ds {
                if obj.contains_key(pname) {
                    let val = Value::map_ref(crate::value::new_map(obj.clone()));
                    let frag = format!("/dependentSchemas/{}", escape_tok(pname));
                    if let Err(e) = self.validate_self(s, sch, &frag, &val, vloc) {
                        errors.push(e);
                    }
                }
            }
        }
        if let Some(J::Obj(dr)) = m.get("dependentRequired") {
            for (pname, req) in dr {
                if obj.contains_key(pname) {
                    let missing = find_missing(req);
                    if !missing.is_empty() {
                        errors.push(self.err(
                            vloc,
                            format!("properties {} required, if {} exists", join_quoted(&missing), squote(pname)),
                        ));
                    }
                }
            }
        }
    }

    pub(super) fn arr_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        arr: &[Value],
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        let draft = s.draft;
        if let Some(n) = usize_of(m.get("minItems")) {
            if arr.len() < n {
                errors.push(
                    self.err(vloc, format!("minItems: got {}, want {}", localized_int(arr.len()), localized_int(n))),
                );
            }
        }
        if let Some(n) = usize_of(m.get("maxItems")) {
            if arr.len() > n {
                errors.push(
                    self.err(vloc, format!("maxItems: got {}, want {}", localized_int(arr.len()), localized_int(n))),
                );
            }
        }
        if m.get("uniqueItems") == Some(&J::Bool(true)) && arr.len() > 1 {
            'outer: for i in 1..arr.len() {
                for j in 0..i {
                    if equals_values(&arr[i], &arr[j]) {
                        errors.push(
                            self.err(vloc, format!("items at {} and {} are equal", localized_int(j), localized_int(i))),
                        );
                        break 'outer;
                    }
                }
            }
        }
        if draft < 2020 {
            let mut evaluated = 0;
            match m.get("items") {
                Some(J::Arr(items)) => {
                    let n = arr.len().min(items.len());
                    for i in 0..n {
                        self.mark_item(i);
                        if let Err(e) =
                            self.validate_val(s, &items[i], &format!("/items/{i}"), &arr[i], vloc, i.to_string())
                        {
                            errors.push(e);
                        }
                    }
                    evaluated = n;
                    match m.get("additionalItems") {
                        Some(J::Bool(false)) if evaluated != arr.len() => errors.push(self.err(
                            vloc,
                            format!("last {} additionalItem(s) not allowed", localized_int(arr.len() - evaluated)),
                        )),
                        Some(sch @ J::Obj(_)) => {
                            for k in evaluated..arr.len() {
                                self.mark_item(k);
                            }
                            // The library numbers these from 0 again.
                            for (i, item) in arr[evaluated..].iter().enumerate() {
                                if let Err(e) = self.validate_val(s, sch, "/additionalItems", item, vloc, i.to_string())
                                {
                                    errors.push(e);
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Some(sch @ (J::Obj(_) | J::Bool(_))) => {
                    for k in 0..arr.len() {
                        self.mark_item(k);
                    }
                    for (i, item) in arr.iter().enumerate() {
                        if let Err(e) = self.validate_val(s, sch, "/items", item, vloc, i.to_string()) {
                            errors.push(e);
                        }
                    }
                    evaluated = arr.len();
                }
                _ => {}
            }
            let _ = evaluated;
        } else {
            let prefix: &[J] = match m.get("prefixItems") {
                Some(J::Arr(p)) => p,
                _ => &[],
            };
            let evaluated = prefix.len().min(arr.len());
            for i in 0..evaluated {
                self.mark_item(i);
                if let Err(e) =
                    self.validate_val(s, &prefix[i], &format!("/prefixItems/{i}"), &arr[i], vloc, i.to_string())
                {
                    errors.push(e);
                }
            }
            if let Some(sch @ (J::Obj(_) | J::Bool(_))) = m.get("items") {
                for k in evaluated..arr.len() {
                    self.mark_item(k);
                }
                for (i, item) in arr[evaluated..].iter().enumerate() {
                    if let Err(e) = self.validate_val(s, sch, "/items", item, vloc, i.to_string()) {
                        errors.push(e);
                    }
                }
            }
        }
        if draft >= 6 {
            if let Some(c) = m.get("contains") {
                let mut errs = Vec::new();
                let mut matched = Vec::new();
                for (i, item) in arr.iter().enumerate() {
                    match self.validate_val(s, c, "/contains", item, vloc, i.to_string()) {
                        Ok(()) => {
                            matched.push(i);
                            if draft >= 2020 {
                                self.mark_item(i);
                            }
                        }
                        Err(e) => errs.push(e),
                    }
                }
                let min_c = if draft >= 2019 { usize_of(m.get("minContains")) } else { None };
                let list = |v: &[usize]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(" ");
                if let Some(min) = min_c {
                    if matched.len() < min {
                        let msg = if matched.is_empty() {
                            format!(
                                "min {} items required to match contains schema, but none matched",
                                localized_int(min)
                            )
                        } else {
                            format!(
                                "min {} items required to match contains schema, but matched {} items at {}",
                                localized_int(min),
                                localized_int(matched.len()),
                                list(&matched)
                            )
                        };
                        errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg(msg), causes: errs });
                    }
                } else if matched.is_empty() {
                    errors.push(VErr {
                        loc: vloc.clone(),
                        kind: Kind::Msg("no items match contains schema".into()),
                        causes: errs,
                    });
                }
                if draft >= 2019 {
                    if let Some(max) = usize_of(m.get("maxContains")) {
                        if matched.len() > max {
                            errors.push(self.err(
                                vloc,
                                format!(
                                    "max {} items required to match contains schema, but matched {} items at {}",
                                    localized_int(max),
                                    localized_int(matched.len()),
                                    list(&matched)
                                ),
                            ));
                        }
                    }
                }
            }
        }
    }

    pub(super) fn str_validate(&mut self, m: &BTreeMap<String, J>, st: &str, vloc: &[String], errors: &mut Vec<VErr>) {
        let len = st.chars().count();
        if let Some(n) = usize_of(m.get("minLength")) {
            if len < n {
                errors
                    .push(self.err(vloc, format!("minLength: got {}, want {}", localized_int(len), localized_int(n))));
            }
        }
        if let Some(n) = usize_of(m.get("maxLength")) {
            if len > n {
                errors
                    .push(self.err(vloc, format!("maxLength: got {}, want {}", localized_int(len), localized_int(n))));
            }
        }
        if let Some(p) = m.get("pattern").and_then(J::as_str) {
            if let Some(re) = self.doc.regex(p) {
                if !re.is_match(st) {
                    errors.push(self.err(vloc, format!("{} does not match pattern {}", squote(st), squote(p))));
                }
            }
        }
    }

    pub(super) fn num_validate(&mut self, m: &BTreeMap<String, J>, v: &Value, vloc: &[String], errors: &mut Vec<VErr>) {
        use std::cmp::Ordering::*;
        let Some(num) = Dec::of_value(v) else { return };
        let got = localized_float(value_as_f64(v));
        let mut minimum = m.get("minimum");
        let mut maximum = m.get("maximum");
        let mut exc_min = m.get("exclusiveMinimum");
        let mut exc_max = m.get("exclusiveMaximum");
        // draft-04's boolean form moves the bound to the exclusive check.
        if exc_max == Some(&J::Bool(true)) {
            exc_max = maximum;
            maximum = None;
        }
        if exc_min == Some(&J::Bool(true)) {
            exc_min = minimum;
            minimum = None;
        }
        type Check<'a> = (&'a str, Option<&'a J>, fn(std::cmp::Ordering) -> bool);
        let checks: [Check; 4] = [
            ("minimum", minimum, |o| o == Less),
            ("maximum", maximum, |o| o == Greater),
            ("exclusiveMinimum", exc_min, |o| o != Greater),
            ("exclusiveMaximum", exc_max, |o| o != Less),
        ];
        for (name, bound, fails) in checks {
            if let (Some(b), Some(bj)) = (num_of(bound), bound) {
                if fails(num.cmp(&b)) {
                    errors.push(self.err(vloc, format!("{name}: got {got}, want {}", localized_float(num_f64(bj)))));
                }
            }
        }
        if let (Some(b), Some(bj)) = (num_of(m.get("multipleOf")), m.get("multipleOf")) {
            if num.is_multiple_of(&b) == Some(false) {
                errors.push(self.err(vloc, format!("multipleOf: got {got}, want {}", localized_float(num_f64(bj)))));
            }
        }
    }

    pub(super) fn cond_validate(
        &mut self,
        s: &SRef<'d>,
        m: &'d BTreeMap<String, J>,
        v: &Value,
        vloc: &mut Vec<String>,
        errors: &mut Vec<VErr>,
    ) {
        if let Some(n) = m.get("not") {
            if self.validate_self(s, n, "/not", v, vloc).is_ok() {
                errors.push(self.err(vloc, "'not' failed".into()));
            }
        }
        if let Some(J::Arr(all)) = m.get("allOf") {
            let errs: Vec<VErr> = all
                .iter()
                .enumerate()
                .filter_map(|(i, sch)| self.validate_self(s, sch, &format!("/allOf/{i}"), v, vloc).err())
                .collect();
            if !errs.is_empty() {
                errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg("'allOf' failed".into()), causes: errs });
            }
        }
        if let Some(J::Arr(any)) = m.get("anyOf") {
            let mut errs = Vec::new();
            let mut matched = false;
            for (i, sch) in any.iter().enumerate() {
                match self.validate_self(s, sch, &format!("/anyOf/{i}"), v, vloc) {
                    Ok(()) => {
                        matched = true;
                        break;
                    }
                    Err(e) => errs.push(e),
                }
            }
            if !matched {
                errors.push(VErr { loc: vloc.clone(), kind: Kind::Msg("'anyOf' failed".into()), causes: errs });
            }
        }
        if let Some(J::Arr(one)) = m.get("oneOf") {
            let mut matched: Option<usize> = None;
            let mut errs = Vec::new();
            for (i, sch) in one.iter().enumerate() {
                match self.validate_self(s, sch, &format!("/oneOf/{i}"), v, vloc) {
                    Err(e) => {
                        if matched.is_none() {
                            errs.push(e);
                        }
                    }
                    Ok(()) => match matched {
                        None => matched = Some(i),
                        Some(first) => {
                            errors.push(self.err(
                                vloc,
                                format!(
                                    "'oneOf' failed, subschemas {}, {} matched",
                                    localized_int(first),
                                    localized_int(i)
                                ),
                            ));
                            break;
                        }
                    },
                }
            }
            if matched.is_none() {
                errors.push(VErr {
                    loc: vloc.clone(),
                    kind: Kind::Msg("'oneOf' failed, none matched".into()),
                    causes: errs,
                });
            }
        }
        if s.draft >= 7 {
            if let Some(i) = m.get("if") {
                if self.validate_self(s, i, "/if", v, vloc).is_ok() {
                    if let Some(t) = m.get("then") {
                        if let Err(e) = self.validate_self(s, t, "/then", v, vloc) {
                            errors.push(e);
                        }
                    }
                } else if let Some(e) = m.get("else") {
                    if let Err(err) = self.validate_self(s, e, "/else", v, vloc) {
                        errors.push(err);
                    }
                }
            }
        }
    }
}
