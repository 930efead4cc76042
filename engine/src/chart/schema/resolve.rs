//! The compiled schema document: drafts, `$id`s, anchors and `$ref` /
//! `$dynamicRef` resolution to JSON pointers, reference cycles, and the
//! errors for references that cannot be loaded.

use super::*;

/// Where a schema sits: its JSON, the base URL of its resource, its draft.
#[derive(Clone)]
pub(super) struct SRef<'a> {
    pub(super) j: &'a J,
    pub(super) base: Rc<str>,
    pub(super) draft: u32,
    /// Absolute location (`file:///values.schema.json#/properties/a`).
    pub(super) loc: Rc<str>,
}

/// A schema location: document index and JSON pointer tokens.
pub(super) type Ptr = (usize, Vec<String>);

/// A compiled schema: its documents (the values.schema.json, or a
/// dialect's meta-schema documents) and their resources.
pub(super) struct SchemaDoc {
    pub(super) docs: Vec<J>,
    pub(super) draft: u32,
    /// URL of document 0 (its locations are `URL#pointer`).
    pub(super) root_url: String,
    /// Resource URL (no fragment) → its root.
    pub(super) resources: HashMap<String, Ptr>,
    /// (resource URL, anchor) → schema.
    pub(super) anchors: HashMap<(String, String), Ptr>,
    /// (resource URL, name) of every `$dynamicAnchor`.
    pub(super) dyn_anchors: HashSet<(String, String)>,
    pub(super) regexes: RefCell<HashMap<String, Option<Rc<Regex>>>>,
}

/// `draftFromURL`: the `$schema` URLs the library knows (either scheme);
/// `json-schema.org/schema` is the latest draft. (With a fragment the
/// library finds the same preloaded meta-schema: Helm accepts it.)
pub(super) fn draft_of(url: &str) -> Option<u32> {
    let (u, _frag) = split_frag(url);
    let u = u.strip_prefix("http://").or_else(|| u.strip_prefix("https://")).unwrap_or(u);
    match u {
        "json-schema.org/schema" => Some(2020),
        "json-schema.org/draft-04/schema" => Some(4),
        "json-schema.org/draft-06/schema" => Some(6),
        "json-schema.org/draft-07/schema" => Some(7),
        "json-schema.org/draft/2019-09/schema" => Some(2019),
        "json-schema.org/draft/2020-12/schema" => Some(2020),
        _ => None,
    }
}

pub(super) fn split_frag(u: &str) -> (&str, &str) {
    match u.find('#') {
        Some(i) => (&u[..i], &u[i + 1..]),
        None => (u, ""),
    }
}

/// RFC 3986 reference resolution for the forms schemas use.
pub(super) fn resolve_url(base: &str, r: &str) -> String {
    let (base_nofrag, _) = split_frag(base);
    if r.starts_with('#') {
        return format!("{base_nofrag}{r}");
    }
    if r.is_empty() {
        return base_nofrag.to_string();
    }
    if let Some(i) = r.find(':') {
        if r[..i].chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) && i > 0 {
            return r.to_string();
        }
    }
    let scheme_end = base_nofrag.find("://").map(|i| i + 3);
    let authority_end =
        scheme_end.map(|s| base_nofrag[s..].find('/').map_or(base_nofrag.len(), |j| s + j)).unwrap_or(0);
    if let Some(rest) = r.strip_prefix("//") {
        let scheme = base_nofrag.find(':').map_or("", |i| &base_nofrag[..i]);
        return format!("{scheme}://{rest}");
    }
    let (origin, path) = base_nofrag.split_at(authority_end);
    let merged = if r.starts_with('/') {
        r.to_string()
    } else {
        let dir = match path.rfind('/') {
            Some(i) => &path[..=i],
            None => "/",
        };
        format!("{dir}{r}")
    };
    // remove dot segments
    let (p, frag) = split_frag(&merged);
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = p.split('/').collect();
    for (i, s) in segs.iter().enumerate() {
        match *s {
            "." => {
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if i == segs.len() - 1 {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let path = out.join("/");
    let path = if path.starts_with('/') { path } else { format!("/{path}") };
    if merged.contains('#') {
        format!("{origin}{path}#{frag}")
    } else {
        format!("{origin}{path}")
    }
}

/// Percent-decoding of a URL fragment.
pub(super) fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn lookup<'a>(root: &'a J, ptr: &[String]) -> Option<&'a J> {
    let mut cur = root;
    for t in ptr {
        cur = match cur {
            J::Obj(m) => m.get(t)?,
            J::Arr(a) => a.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// A `$ref` found while indexing: (pointer of the schema holding it, base URL, reference).
pub(super) type RefSite = (Vec<String>, String, String);

/// How many subschema steps a pointer takes from the root (`properties/a` is
/// one, `items` is one, `allOf/0` is one): its level in the compile queue.
pub(super) fn schema_depth(ptr: &[String]) -> usize {
    let (mut i, mut depth) = (0, 0);
    while i < ptr.len() {
        let k = ptr[i].as_str();
        let indexed = ptr.get(i + 1).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        i += if SUB_MAP.contains(&k) || (SUB_ARR.contains(&k) && (k != "items" || indexed)) { 2 } else { 1 };
        depth += 1;
    }
    depth
}

/// Keywords whose value is one subschema / a map of them / an array of them.
pub(super) const SUB_ONE: &[&str] = &[
    "additionalProperties",
    "additionalItems",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contentSchema",
    "items",
];
pub(super) const SUB_MAP: &[&str] =
    &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"];
pub(super) const SUB_ARR: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems", "items"];

impl SchemaDoc {
    /// `compiler.AddResource` + `Compile`: draft, resources, anchors, and
    /// every `$ref` resolved up front (Helm fails before validating).
    pub(super) fn compile(root: J, text: &[u8]) -> Result<SchemaDoc, Error> {
        let draft = match root.get("$schema").and_then(J::as_str) {
            None => 2020,
            Some(s) => match draft_of(s) {
                Some(d) => d,
                None => return Err(schema_problem(load_error(&resolve_url(ROOT_URL, split_frag(s).0)))),
            },
        };
        // The schema must conform to its draft's meta-schema.
        meta_check(draft, &root, text)?;
        let mut doc = SchemaDoc {
            docs: vec![root.clone()],
            draft,
            root_url: ROOT_URL.to_string(),
            resources: HashMap::new(),
            anchors: HashMap::new(),
            dyn_anchors: HashSet::new(),
            regexes: RefCell::new(HashMap::new()),
        };
        doc.resources.insert(ROOT_URL.to_string(), (0, Vec::new()));
        let mut refs = Vec::new();
        doc.index(0, &root, ROOT_URL, &mut Vec::new(), &mut refs);
        // jsonschema/v6 compiles subschemas from a queue (breadth first) and
        // loads a remote `$ref` when it compiles the schema holding it, so the
        // first reference that cannot be loaded is the shallowest one
        // (bjw-s common: `defaultPodOptions` → schemas/pod.json before the
        // deeper `configMaps.*` → schemas/configmap.json).
        let mut refs: Vec<(usize, String, String)> =
            refs.into_iter().map(|(ptr, base, r)| (schema_depth(&ptr), base, r)).collect();
        refs.sort_by_key(|x| x.0);
        for (_, base, r) in refs {
            doc.resolve_ref(&base, &r)?;
        }
        Ok(doc)
    }

    /// A dialect's meta-schema documents ((URL, JSON), the dialect schema
    /// first), indexed like compiled ones; their references are trusted.
    pub(super) fn from_documents(docs: Vec<(String, J)>, draft: u32) -> SchemaDoc {
        let root_url = docs.first().map(|d| d.0.clone()).unwrap_or_default();
        let mut doc = SchemaDoc {
            docs: docs.iter().map(|d| d.1.clone()).collect(),
            draft,
            root_url,
            resources: HashMap::new(),
            anchors: HashMap::new(),
            dyn_anchors: HashSet::new(),
            regexes: RefCell::new(HashMap::new()),
        };
        for (i, (url, j)) in docs.iter().enumerate() {
            doc.resources.insert(url.clone(), (i, Vec::new()));
            doc.index(i, j, url, &mut Vec::new(), &mut Vec::new());
        }
        doc
    }

    pub(super) fn id_key(&self) -> &'static str {
        if self.draft == 4 {
            "id"
        } else {
            "$id"
        }
    }

    /// Walks subschemas: records `$id` resources, anchors, and refs.
    pub(super) fn index(&mut self, d: usize, j: &J, base: &str, ptr: &mut Vec<String>, refs: &mut Vec<RefSite>) {
        let J::Obj(m) = j else { return };
        let mut base = base.to_string();
        if let Some(id) = m.get(self.id_key()).and_then(J::as_str) {
            let abs = resolve_url(&base, id);
            let (url, frag) = split_frag(&abs);
            if self.draft < 2019 && id.starts_with('#') {
                self.anchors.insert((url.to_string(), frag.to_string()), (d, ptr.clone()));
            } else {
                self.resources.entry(url.to_string()).or_insert_with(|| (d, ptr.clone()));
                base = url.to_string();
                if !frag.is_empty() && self.draft < 2019 {
                    self.anchors.insert((url.to_string(), frag.to_string()), (d, ptr.clone()));
                }
            }
        }
        for kw in ["$anchor", "$dynamicAnchor"] {
            if let Some(a) = m.get(kw).and_then(J::as_str) {
                if self.draft >= 2019 {
                    self.anchors.entry((base.clone(), a.to_string())).or_insert_with(|| (d, ptr.clone()));
                    if kw == "$dynamicAnchor" {
                        self.dyn_anchors.insert((base.clone(), a.to_string()));
                    }
                }
            }
        }
        for kw in ["$ref", "$dynamicRef", "$recursiveRef"] {
            if let Some(r) = m.get(kw).and_then(J::as_str) {
                refs.push((ptr.clone(), base.clone(), r.to_string()));
                if self.draft < 2019 && kw == "$ref" {
                    // siblings of $ref are ignored before 2019-09
                    return;
                }
            }
        }
        for (k, v) in m {
            let k = k.as_str();
            if SUB_MAP.contains(&k) {
                if let J::Obj(mm) = v {
                    for (name, s) in mm {
                        ptr.push(k.to_string());
                        ptr.push(name.clone());
                        self.index(d, s, &base, ptr, refs);
                        ptr.pop();
                        ptr.pop();
                    }
                }
            } else if SUB_ARR.contains(&k) && matches!(v, J::Arr(_)) {
                if let J::Arr(a) = v {
                    for (i, s) in a.iter().enumerate() {
                        ptr.push(k.to_string());
                        ptr.push(i.to_string());
                        self.index(d, s, &base, ptr, refs);
                        ptr.pop();
                        ptr.pop();
                    }
                }
            } else if SUB_ONE.contains(&k) {
                ptr.push(k.to_string());
                self.index(d, v, &base, ptr, refs);
                ptr.pop();
            }
        }
    }

    /// Resolves a reference to (target pointer, its resource base URL).
    /// None: a `urn:` reference nobody resolves, which Helm loads as the
    /// permissive `true` schema.
    pub(super) fn resolve_ref(&self, base: &str, r: &str) -> Result<Option<(Ptr, String)>, Error> {
        let abs = resolve_url(base, r);
        let (url, frag) = split_frag(&abs);
        let Some(res_ptr) = self.resources.get(url) else {
            if url.starts_with("urn:") {
                return Ok(None);
            }
            return Err(schema_problem(load_error(url)));
        };
        let frag = pct_decode(frag);
        if frag.is_empty() {
            return Ok(Some((res_ptr.clone(), url.to_string())));
        }
        if let Some(p) = frag.strip_prefix('/') {
            let mut ptr = res_ptr.clone();
            for t in p.split('/') {
                ptr.1.push(t.replace("~1", "/").replace("~0", "~"));
            }
            if self.lookup(&ptr).is_none() {
                return Err(schema_problem(format!(
                    "json-pointer in {} not found",
                    strconv::quote(&format!("{url}#{frag}"))
                )));
            }
            return Ok(Some((ptr, url.to_string())));
        }
        match self.anchors.get(&(url.to_string(), frag.clone())) {
            Some(p) => Ok(Some((p.clone(), url.to_string()))),
            None => Err(schema_problem(format!(
                "anchor in {} not found in schema {}",
                strconv::quote(&format!("{url}#{frag}")),
                strconv::quote(url)
            ))),
        }
    }

    pub(super) fn lookup(&self, p: &Ptr) -> Option<&J> {
        lookup(self.docs.get(p.0)?, &p.1)
    }

    pub(super) fn validate_root(&self, v: &Value, assert_format: bool, max_depth: usize) -> Result<(), Vec<VErr>> {
        let root = self.docs.first().ok_or_else(Vec::new)?;
        let s = SRef {
            j: root,
            base: Rc::from(self.root_url.as_str()),
            draft: self.draft,
            loc: Rc::from(format!("{}#", self.root_url).as_str()),
        };
        let mut vd = Validator {
            doc: self,
            uneval: Vec::new(),
            out_uneval: None,
            caller_needs: false,
            scopes: Vec::new(),
            assert_format,
            max_depth,
        };
        match vd.validate(&s, v, &mut Vec::new(), String::new(), false) {
            Ok(()) => Ok(()),
            Err(e) if e.kind == Kind::Group => Err(e.causes),
            Err(e) => Err(vec![e]),
        }
    }

    pub(super) fn regex(&self, pat: &str) -> Option<Rc<Regex>> {
        if let Some(r) = self.regexes.borrow().get(pat) {
            return r.clone();
        }
        let r = crate::sprig::regex::compile(pat).ok().map(Rc::new);
        self.regexes.borrow_mut().insert(pat.to_string(), r.clone());
        r
    }
}

pub(super) fn load_error(url: &str) -> String {
    let q = strconv::quote(url);
    if let Some(rest) = url.strip_prefix("file://") {
        // FileLoader opens url.Parse(url).Path: what follows `file://` up to
        // the next '/' is the host (`file://../x.json` opens `/x.json`).
        let path = rest.find('/').map_or("", |i| &rest[i..]);
        format!("failing loading {q}: open {path}: no such file or directory")
    } else if url.starts_with("http://") || url.starts_with("https://") {
        let host = url.split("://").nth(1).and_then(|r| r.split(['/', ':']).next()).unwrap_or("");
        format!("failing loading {q}: HTTP request failed for {url}: Get {q}: dial tcp: lookup {host}: no such host")
    } else {
        let scheme = url.split(':').next().unwrap_or("");
        let _ = scheme;
        format!("no URLLoader registered for {q}")
    }
}
