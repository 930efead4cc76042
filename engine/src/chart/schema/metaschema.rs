//! The dialect meta-schemas a values.schema.json is checked against before
//! use (santhosh-tekuri/jsonschema v6 validates every schema it compiles
//! against its `$schema`'s meta-schema, with format assertions on).
//!
//! Written here as builder code rather than bundled JSON: only what affects
//! validation is kept (annotations such as `title`, `$comment`, `default`,
//! `deprecated` and `$vocabulary` are left out), and the structure is the
//! one the library embeds, so that its error tree comes out the same:
//! - 2020-12: the dialect schema is an `allOf` of `$ref`s to the seven
//!   vocabulary meta-schemas, each with `$dynamicAnchor: meta`; subschema
//!   positions recurse with `$dynamicRef: #meta`, which lands on the dialect
//!   schema (the outermost scope with that anchor);
//! - draft-07: one document recursing with `$ref: #`.

use std::collections::BTreeMap;

use super::*;

pub(super) const URL_2020: &str = "https://json-schema.org/draft/2020-12/schema";
pub(super) const URL_07: &str = "http://json-schema.org/draft-07/schema";

fn obj(entries: Vec<(&str, J)>) -> J {
    J::Obj(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<BTreeMap<_, _>>())
}

fn s(x: &str) -> J {
    J::Str(x.to_string())
}

fn num(n: u32) -> J {
    J::Num(n.to_string())
}

fn arr(items: Vec<J>) -> J {
    J::Arr(items)
}

/// `{"type": name}`
fn ty(name: &str) -> J {
    obj(vec![("type", s(name))])
}

/// `{"$ref": r}`
fn rf(r: &str) -> J {
    obj(vec![("$ref", s(r))])
}

/// `{"$dynamicRef": "#meta"}`: "a schema" in 2020-12.
fn meta() -> J {
    obj(vec![("$dynamicRef", s("#meta"))])
}

/// `{"type": "string", "format": f}`
fn string_format(f: &str) -> J {
    obj(vec![("type", s("string")), ("format", s(f))])
}

/// `{"type": "object", "additionalProperties": sub}` (plus extras).
fn map_of(sub: J, extra: Vec<(&str, J)>) -> J {
    let mut e = vec![("type", s("object")), ("additionalProperties", sub)];
    e.extend(extra);
    obj(e)
}

/// A vocabulary (or dialect) meta-schema of 2020-12: its `$id`, the
/// `meta` dynamic anchor, `type: [object, boolean]`, and its keywords.
fn vocabulary(id: &str, mut extra: Vec<(&str, J)>, properties: Vec<(&str, J)>) -> J {
    let mut e = vec![
        ("$id", s(id)),
        ("$dynamicAnchor", s("meta")),
        ("type", arr(vec![s("object"), s("boolean")])),
        ("properties", obj(properties)),
    ];
    e.append(&mut extra);
    obj(e)
}

const SIMPLE_TYPES: [&str; 7] = ["array", "boolean", "integer", "null", "number", "object", "string"];

fn simple_types() -> J {
    obj(vec![("enum", arr(SIMPLE_TYPES.iter().map(|t| s(t)).collect()))])
}

/// `type`: one simple type, or a non-empty array of distinct ones.
fn type_keyword(simple: &str) -> J {
    obj(vec![(
        "anyOf",
        arr(vec![
            rf(simple),
            obj(vec![
                ("type", s("array")),
                ("items", rf(simple)),
                ("minItems", num(1)),
                ("uniqueItems", J::Bool(true)),
            ]),
        ]),
    )])
}

fn string_array() -> J {
    obj(vec![("type", s("array")), ("items", ty("string")), ("uniqueItems", J::Bool(true))])
}

fn non_negative_integer() -> J {
    obj(vec![("type", s("integer")), ("minimum", num(0))])
}

/// The validation keywords both dialects share (numbers, strings, arrays,
/// objects), with `nni`/`nni0` the non-negative-integer references.
fn validation_keywords<'a>(nni: &'a str, nni0: &'a str, string_array: &'a str) -> Vec<(&'a str, J)> {
    vec![
        ("multipleOf", obj(vec![("type", s("number")), ("exclusiveMinimum", num(0))])),
        ("maximum", ty("number")),
        ("exclusiveMaximum", ty("number")),
        ("minimum", ty("number")),
        ("exclusiveMinimum", ty("number")),
        ("maxLength", rf(nni)),
        ("minLength", rf(nni0)),
        ("pattern", string_format("regex")),
        ("maxItems", rf(nni)),
        ("minItems", rf(nni0)),
        ("uniqueItems", ty("boolean")),
        ("maxProperties", rf(nni)),
        ("minProperties", rf(nni0)),
        ("required", rf(string_array)),
        ("const", J::Bool(true)),
    ]
}

/// The 2020-12 dialect: (URL, document) for the dialect schema first, then
/// its vocabularies.
pub(super) fn draft_2020_12() -> Vec<(String, J)> {
    let base = "https://json-schema.org/draft/2020-12/meta/";
    let vocabs = ["core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content"];
    let dialect = vocabulary(
        URL_2020,
        vec![("allOf", arr(vocabs.iter().map(|v| rf(&format!("meta/{v}"))).collect()))],
        vec![
            // Keywords of earlier drafts, still described.
            ("definitions", map_of(meta(), vec![])),
            (
                "dependencies",
                map_of(obj(vec![("anyOf", arr(vec![meta(), rf("meta/validation#/$defs/stringArray")]))]), vec![]),
            ),
            ("$recursiveAnchor", rf("meta/core#/$defs/anchorString")),
            ("$recursiveRef", rf("meta/core#/$defs/uriReferenceString")),
        ],
    );
    let core = vocabulary(
        &format!("{base}core"),
        vec![(
            "$defs",
            obj(vec![
                ("anchorString", obj(vec![("type", s("string")), ("pattern", s("^[A-Za-z_][-A-Za-z0-9._]*$"))])),
                ("uriString", string_format("uri")),
                ("uriReferenceString", string_format("uri-reference")),
            ]),
        )],
        vec![
            // Non-empty fragments not allowed.
            ("$id", obj(vec![("$ref", s("#/$defs/uriReferenceString")), ("pattern", s("^[^#]*#?$"))])),
            ("$schema", rf("#/$defs/uriString")),
            ("$ref", rf("#/$defs/uriReferenceString")),
            ("$anchor", rf("#/$defs/anchorString")),
            ("$dynamicRef", rf("#/$defs/uriReferenceString")),
            ("$dynamicAnchor", rf("#/$defs/anchorString")),
            (
                "$vocabulary",
                obj(vec![
                    ("type", s("object")),
                    ("propertyNames", rf("#/$defs/uriString")),
                    ("additionalProperties", ty("boolean")),
                ]),
            ),
            ("$comment", ty("string")),
            ("$defs", map_of(meta(), vec![])),
        ],
    );
    let schema_array = || rf("#/$defs/schemaArray");
    let applicator = vocabulary(
        &format!("{base}applicator"),
        vec![(
            "$defs",
            obj(vec![("schemaArray", obj(vec![("type", s("array")), ("minItems", num(1)), ("items", meta())]))]),
        )],
        vec![
            ("prefixItems", schema_array()),
            ("items", meta()),
            ("contains", meta()),
            ("additionalProperties", meta()),
            ("properties", map_of(meta(), vec![])),
            ("patternProperties", map_of(meta(), vec![("propertyNames", obj(vec![("format", s("regex"))]))])),
            ("dependentSchemas", map_of(meta(), vec![])),
            ("propertyNames", meta()),
            ("if", meta()),
            ("then", meta()),
            ("else", meta()),
            ("allOf", schema_array()),
            ("anyOf", schema_array()),
            ("oneOf", schema_array()),
            ("not", meta()),
        ],
    );
    let unevaluated = vocabulary(
        &format!("{base}unevaluated"),
        vec![],
        vec![("unevaluatedItems", meta()), ("unevaluatedProperties", meta())],
    );
    let (nni, nni0, sa) = ("#/$defs/nonNegativeInteger", "#/$defs/nonNegativeIntegerDefault0", "#/$defs/stringArray");
    let mut validation_props = vec![
        ("type", type_keyword("#/$defs/simpleTypes")),
        ("enum", obj(vec![("type", s("array")), ("items", J::Bool(true))])),
        ("maxContains", rf(nni)),
        ("minContains", rf(nni)),
        ("dependentRequired", map_of(rf(sa), vec![])),
    ];
    validation_props.extend(validation_keywords(nni, nni0, sa));
    let validation = vocabulary(
        &format!("{base}validation"),
        vec![(
            "$defs",
            obj(vec![
                ("nonNegativeInteger", non_negative_integer()),
                ("nonNegativeIntegerDefault0", rf(nni)),
                ("simpleTypes", simple_types()),
                ("stringArray", string_array()),
            ]),
        )],
        validation_props,
    );
    let meta_data = vocabulary(
        &format!("{base}meta-data"),
        vec![],
        vec![
            ("title", ty("string")),
            ("description", ty("string")),
            ("default", J::Bool(true)),
            ("deprecated", ty("boolean")),
            ("readOnly", ty("boolean")),
            ("writeOnly", ty("boolean")),
            ("examples", obj(vec![("type", s("array")), ("items", J::Bool(true))])),
        ],
    );
    let format_annotation = vocabulary(&format!("{base}format-annotation"), vec![], vec![("format", ty("string"))]);
    let content = vocabulary(
        &format!("{base}content"),
        vec![],
        vec![("contentEncoding", ty("string")), ("contentMediaType", ty("string")), ("contentSchema", meta())],
    );
    let mut docs = vec![(URL_2020.to_string(), dialect)];
    for (name, d) in
        vocabs.iter().zip([core, applicator, unevaluated, validation, meta_data, format_annotation, content])
    {
        docs.push((format!("{base}{name}"), d));
    }
    docs
}

/// The draft-07 meta-schema (one document).
pub(super) fn draft_07() -> (String, J) {
    let (nni, nni0, sa) =
        ("#/definitions/nonNegativeInteger", "#/definitions/nonNegativeIntegerDefault0", "#/definitions/stringArray");
    let schema = || rf("#");
    let schema_array = || rf("#/definitions/schemaArray");
    let mut props = vec![
        ("$id", string_format("uri-reference")),
        ("$schema", string_format("uri")),
        ("$ref", string_format("uri-reference")),
        ("$comment", ty("string")),
        ("title", ty("string")),
        ("description", ty("string")),
        ("default", J::Bool(true)),
        ("readOnly", ty("boolean")),
        ("writeOnly", ty("boolean")),
        ("examples", obj(vec![("type", s("array")), ("items", J::Bool(true))])),
        ("additionalItems", schema()),
        ("items", obj(vec![("anyOf", arr(vec![schema(), schema_array()]))])),
        ("contains", schema()),
        ("additionalProperties", schema()),
        ("definitions", map_of(schema(), vec![])),
        ("properties", map_of(schema(), vec![])),
        ("patternProperties", map_of(schema(), vec![("propertyNames", obj(vec![("format", s("regex"))]))])),
        ("dependencies", map_of(obj(vec![("anyOf", arr(vec![schema(), rf(sa)]))]), vec![])),
        ("propertyNames", schema()),
        (
            "enum",
            obj(vec![
                ("type", s("array")),
                ("items", J::Bool(true)),
                ("minItems", num(1)),
                ("uniqueItems", J::Bool(true)),
            ]),
        ),
        ("type", type_keyword("#/definitions/simpleTypes")),
        ("format", ty("string")),
        ("contentMediaType", ty("string")),
        ("contentEncoding", ty("string")),
        ("if", schema()),
        ("then", schema()),
        ("else", schema()),
        ("allOf", schema_array()),
        ("anyOf", schema_array()),
        ("oneOf", schema_array()),
        ("not", schema()),
    ];
    props.extend(validation_keywords(nni, nni0, sa));
    let doc = obj(vec![
        ("$schema", s(&format!("{URL_07}#"))),
        ("$id", s(&format!("{URL_07}#"))),
        (
            "definitions",
            obj(vec![
                ("schemaArray", obj(vec![("type", s("array")), ("minItems", num(1)), ("items", schema())])),
                ("nonNegativeInteger", non_negative_integer()),
                // allOf [nonNegativeInteger, {default: 0}]
                ("nonNegativeIntegerDefault0", obj(vec![("allOf", arr(vec![rf(nni), obj(vec![])]))])),
                ("simpleTypes", simple_types()),
                ("stringArray", string_array()),
            ]),
        ),
        ("type", arr(vec![s("object"), s("boolean")])),
        ("properties", obj(props)),
    ]);
    (URL_07.to_string(), doc)
}

/// The meta-schema Helm's library checks a schema of this draft against
/// (built once per thread, see metaschema.rs). Draft-04, -06 and 2019-09
/// schemas are not checked against theirs.
pub(super) fn meta_schema(draft: u32) -> Option<Rc<SchemaDoc>> {
    thread_local! {
        static META_2020: Rc<SchemaDoc> = Rc::new(SchemaDoc::from_documents(metaschema::draft_2020_12(), 2020));
        static META_07: Rc<SchemaDoc> = Rc::new(SchemaDoc::from_documents(vec![metaschema::draft_07()], 7));
    }
    match draft {
        2020 => Some(META_2020.with(Rc::clone)),
        7 => Some(META_07.with(Rc::clone)),
        _ => None,
    }
}

/// Outcomes of the meta-schema check for the last few schema texts: the
/// check walks the whole schema (20–30 ms for the largest public charts'),
/// and the playground re-renders the same chart on every edit.
pub(super) const META_CACHE: usize = 4;

/// (draft, schema text, outcome)
pub(super) type MetaOutcome = (u32, Vec<u8>, Result<(), Error>);

/// The schema against its draft's meta-schema: Ok, or the library's report.
pub(super) fn meta_check(draft: u32, root: &J, text: &[u8]) -> Result<(), Error> {
    thread_local! {
        static CACHE: RefCell<Vec<MetaOutcome>> = const { RefCell::new(Vec::new()) };
    }
    if let Some(hit) =
        CACHE.with(|c| c.borrow().iter().find(|(d, t, _)| *d == draft && t.as_slice() == text).map(|e| e.2.clone()))
    {
        return hit;
    }
    let Some(meta) = meta_schema(draft) else { return Ok(()) };
    let result = match meta.validate_root(&json_to_value(root), true, META_MAX_DEPTH) {
        Ok(()) => Ok(()),
        // Deeper than we can follow: not checked (Helm would go on).
        Err(causes) if causes.iter().any(VErr::too_deep) => Ok(()),
        Err(causes) => {
            let mut out = format!(
                "{} is not valid against metaschema: jsonschema validation failed with {}",
                strconv::quote(&format!("{ROOT_URL}#")),
                squote(&format!("{}#", meta.root_url))
            );
            for c in &causes {
                c.display(&mut out, 1);
            }
            Err(schema_problem(out))
        }
    };
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= META_CACHE {
            let _ = c.remove(0);
        }
        c.push((draft, text.to_vec(), result.clone()));
    });
    result
}

/// A JSON document as an instance value (for meta-schema validation).
pub(super) fn json_to_value(j: &J) -> Value {
    match j {
        J::Null => Value::Nil,
        J::Bool(b) => Value::Bool(*b),
        J::Num(n) => Value::Float(n.parse().unwrap_or(0.0)),
        J::Str(s) => Value::str(s),
        J::Arr(a) => Value::list(a.iter().map(json_to_value).collect()),
        J::Obj(m) => {
            Value::map_ref(crate::value::new_map(m.iter().map(|(k, v)| (k.clone(), json_to_value(v))).collect()))
        }
    }
}
