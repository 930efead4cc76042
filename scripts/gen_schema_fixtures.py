#!/usr/bin/env python3
"""Generate values.schema.json validation fixtures from real Helm (the oracle).

Each case is a small chart `c` (optionally with subcharts under charts/)
with a values.schema.json, default values and optional user values. The
chart directories are written to a temp dir, rendered with real Helm, and
engine/tests/data/schema/cases.json gets, per case:

  name, schema, values, user, subs   -- the inputs
  coalesced   -- Helm's coalesced values (what ValidateAgainstSchema sees)
  error       -- Helm's error text, or null when the render succeeded
  unordered   -- true when Helm's text may change between runs (Go map order):
                 it did, or it has sibling errors / several extra property names

Run with the oracle's venv python:
  ~/.cache/helm-oracle-venv/bin/python scripts/gen_schema_fixtures.py
"""
import json
import os
import shutil
import sys
import tempfile

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)

import helm_python as helm  # noqa: E402
import helm_oracle as ho  # noqa: E402

OUT = os.path.join(ROOT, "engine", "tests", "data", "schema", "cases.json")


def S(**props):
    """A 2020-12 object schema with these properties."""
    return json.dumps({"type": "object", "properties": props})


D7 = "http://json-schema.org/draft-07/schema#"

CASES = [
    # type
    ("type_string", S(a={"type": "string"}), "a: 1\n"),
    ("type_ok", S(a={"type": "string"}), "a: x\n"),
    ("type_multi", S(a={"type": ["null", "string"]}), "a: 1\n"),
    ("type_integer", S(i={"type": "integer"}), "i: 1.5\n"),
    ("type_integer_ok", S(i={"type": "integer"}), "i: 3\n"),
    ("type_number_or_integer", S(i={"type": ["integer", "number", "boolean"]}), "i: x\n"),
    ("type_object_root", json.dumps({"type": "array"}), "a: 1\n"),
    ("type_bool", S(b={"type": "boolean"}), "b: \"true\"\n"),
    ("type_null_value", S(nul={"type": "string"}), "nul: null\n"),
    ("type_array", S(l={"type": "array"}), "l: {a: 1}\n"),
    # required
    ("required_one", json.dumps({"required": ["zz"]}), "a: 1\n"),
    ("required_many", json.dumps({"required": ["zz", "aa", "a"]}), "a: 1\n"),
    ("required_nested", S(o={"type": "object", "required": ["x"]}), "o: {y: 1}\n"),
    # enum / const
    ("enum_primitive", S(a={"enum": ["x", 1e6, None, True]}), "a: 5\n"),
    ("enum_literal_text", '{"properties":{"a":{"enum":[1e6, 2.50, -0]}}}', "a: 5\n"),
    ("enum_single", S(a={"enum": ["only"]}), "a: other\n"),
    ("enum_complex", S(a={"enum": [[1], "x"]}), "a: 5\n"),
    ("enum_ok_number", S(a={"enum": [1, 2]}), "a: 2\n"),
    ("const_string", S(b={"const": "q"}), "b: 5\n"),
    ("const_object", S(b={"const": {"a": 1}}), "b: 5\n"),
    ("const_ok", S(b={"const": {"a": 1}}), "b: {a: 1}\n"),
    # strings
    ("min_length", S(s={"minLength": 3}), "s: ab\n"),
    ("max_length_grouped", S(s={"maxLength": 1000}), "s: \"" + "x" * 1500 + "\"\n"),
    ("length_runes", S(s={"maxLength": 2}), "s: \"héé\"\n"),
    ("pattern", S(s={"pattern": "^[a-z]+$"}), "s: Abc\n"),
    ("pattern_unanchored_ok", S(s={"pattern": "b"}), "s: abc\n"),
    ("pattern_ascii_digit", S(s={"pattern": "^\\d+$"}), "s: \"١٢\"\n"),
    ("pattern_quote_in_value", S(s={"pattern": "^x"}), "s: \"it's \\\"q\\\"\"\n"),
    ("pattern_unicode_class", S(s={"pattern": "^\\p{L}+$"}), "s: abc1\n"),
    ("pattern_unicode_class_ok", S(s={"pattern": "^\\p{L}+$"}), "s: héllo\n"),
    ("pattern_unicode_fold_ok", S(s={"pattern": "^(?i)äb$"}), "s: ÄB\n"),
    ("string_group", S(s={"minLength": 5, "pattern": "^x"}), "s: abc\n"),
    # numbers
    ("minimum", S(num={"minimum": 10}), "num: 5\n"),
    ("maximum_float", S(num={"maximum": 1.5}), "num: 2.25\n"),
    ("minimum_big", S(num={"minimum": 1000000}), "num: 5\n"),
    ("minimum_grouped", S(num={"minimum": 12345.5}), "num: -1000\n"),
    ("maximum_small", S(num={"maximum": 0.00001}), "num: 0.5\n"),
    ("exclusive_min", S(num={"exclusiveMinimum": 3}), "num: 3\n"),
    ("exclusive_max", S(num={"exclusiveMaximum": 3}), "num: 3.05\n"),
    ("multiple_of", S(num={"multipleOf": 0.1}), "num: 3.05\n"),
    ("multiple_of_ok", S(num={"multipleOf": 0.1}), "num: 0.3\n"),
    ("multiple_of_int", S(num={"multipleOf": 7}), "num: 50\n"),
    ("number_group", S(num={"minimum": 10, "multipleOf": 3}), "num: 5\n"),
    ("value_big_number", S(num={"maximum": 10}), "num: 123456789\n"),
    # objects
    ("additional_false", json.dumps({"additionalProperties": False, "properties": {"q": {}}}), "q: 1\nz: 2\n"),
    ("additional_false_many", json.dumps({"additionalProperties": False}), "a: 1\nb: 2\nc: 3\n"),
    ("additional_schema", json.dumps({"additionalProperties": {"type": "string"}, "properties": {"q": {}}}), "q: 1\nz: 2\n"),
    ("pattern_properties", json.dumps({"patternProperties": {"^n_": {"type": "number"}}, "additionalProperties": False}), "n_a: x\nother: 1\n"),
    ("min_properties", S(o={"minProperties": 2}), "o: {a: 1}\n"),
    ("max_properties", S(o={"maxProperties": 1}), "o: {a: 1, b: 2}\n"),
    ("property_names", S(o={"propertyNames": {"pattern": "^[a-z]+$"}}), "o: {Bad: 1}\n"),
    ("dependent_required", S(o={"dependentRequired": {"a": ["b", "c"]}}), "o: {a: 1}\n"),
    ("deep_path", S(o={"properties": {"l": {"items": {"properties": {"k~/x": {"type": "string"}}}}}}), "o: {l: [{\"k~/x\": 1}]}\n"),
    ("several_properties", S(a={"type": "string"}, b={"type": "string"}), "a: 1\nb: 2\n"),
    # arrays
    ("min_items", S(l={"minItems": 2}), "l: [1]\n"),
    ("max_items", S(l={"maxItems": 1}), "l: [1, 2]\n"),
    ("unique_items", S(l={"uniqueItems": True}), "l: [a, b, a, b]\n"),
    ("unique_numbers", S(l={"uniqueItems": True}), "l: [1, 1.0]\n"),
    ("items_2020", S(l={"items": {"type": "string"}}), "l: [a, 1]\n"),
    ("prefix_items", S(l={"prefixItems": [{"type": "string"}], "items": {"type": "number"}}), "l: [1, x, y]\n"),
    ("contains", S(l={"contains": {"type": "string"}}), "l: [1, 2]\n"),
    ("min_contains", S(l={"contains": {"type": "string"}, "minContains": 2}), "l: [1, a]\n"),
    ("max_contains", S(l={"contains": {"type": "string"}, "maxContains": 1}), "l: [a, 1, b]\n"),
    ("array_group", S(l={"minItems": 5, "items": {"type": "string"}}), "l: [a, 1]\n"),
    # combinators
    ("one_of_none", S(a={"oneOf": [{"type": "string"}, {"type": "boolean"}]}), "a: 5\n"),
    ("one_of_two", S(a={"oneOf": [{"type": "number"}, {"minimum": 1}]}), "a: 5\n"),
    ("any_of", S(a={"anyOf": [{"type": "string"}, {"type": "boolean"}]}), "a: 5\n"),
    ("any_of_ok", S(a={"anyOf": [{"type": "string"}, {"type": "number"}]}), "a: 5\n"),
    ("all_of", S(a={"allOf": [{"type": "number"}, {"minimum": 10}, {"maximum": 1}]}), "a: 5\n"),
    ("not", S(a={"not": {"type": "number"}}), "a: 5\n"),
    ("if_then", json.dumps({"if": {"properties": {"k": {"const": "x"}}}, "then": {"required": ["y"]}, "else": {"required": ["z"]}}), "k: x\n"),
    ("if_else", json.dumps({"if": {"properties": {"k": {"const": "x"}}}, "then": {"required": ["y"]}, "else": {"required": ["z"]}}), "k: w\n"),
    ("nested_one_of_objects", S(a={"oneOf": [{"type": "object", "required": ["x"]}, {"type": "object", "required": ["y"], "properties": {"z": {"type": "string"}}}]}), "a: {z: 1}\n"),
    # unevaluated* (2019-09 and later)
    ("uneval_props_false", json.dumps({"properties": {"a": {}}, "unevaluatedProperties": False}), "a: 1\nb: 2\n"),
    ("uneval_props_allof", json.dumps({"allOf": [{"properties": {"a": {}}}], "properties": {"b": {}}, "unevaluatedProperties": False}), "a: 1\nb: 2\nc: 3\n"),
    ("uneval_props_ref", json.dumps({"$defs": {"base": {"properties": {"a": {"type": "number"}}}}, "$ref": "#/$defs/base", "unevaluatedProperties": False}), "a: 1\nz: 2\n"),
    ("uneval_props_failed_branch", json.dumps({"anyOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {}}}], "unevaluatedProperties": False}), "a: 1\nb: 2\n"),
    ("uneval_props_schema", json.dumps({"properties": {"a": {}}, "unevaluatedProperties": {"type": "string"}}), "a: 1\nb: 2\n"),
    ("uneval_props_if_then", json.dumps({"if": {"properties": {"k": {"const": "x"}}}, "then": {"properties": {"t": {}}}, "unevaluatedProperties": False}), "k: x\nt: 1\nu: 2\n"),
    ("uneval_props_nested_ok", json.dumps({"allOf": [{"additionalProperties": True}], "unevaluatedProperties": False}), "a: 1\n"),
    ("uneval_items", S(l={"prefixItems": [{"type": "number"}], "unevaluatedItems": False}), "l: [1, 2, 3]\n"),
    ("uneval_items_contains", S(l={"contains": {"type": "string"}, "unevaluatedItems": {"type": "number"}}), "l: [a, true, 2]\n"),
    ("uneval_props_true_branch", json.dumps({"allOf": [True], "properties": {"a": {}}, "unevaluatedProperties": False}), "a: 1\nb: 2\n"),
    # booleans
    ("true_schema", "true", "a: 5\n"),
    ("false_schema", "false", "a: 5\n"),
    ("false_property", json.dumps({"properties": {"a": False}}), "a: 5\n"),
    # $ref
    ("ref_defs", json.dumps({"$defs": {"s": {"type": "string", "minLength": 3}}, "properties": {"a": {"$ref": "#/$defs/s"}, "b": {"$ref": "#/$defs/s", "maxLength": 1}}}), "a: 5\nb: xy\n"),
    ("ref_anchor", json.dumps({"$defs": {"x": {"$anchor": "foo", "type": "string"}}, "properties": {"a": {"$ref": "#foo"}}}), "a: 5\n"),
    ("ref_id", json.dumps({"$id": "http://e.invalid/root.json", "$defs": {"x": {"$id": "x.json", "type": "string"}}, "properties": {"a": {"$ref": "x.json"}}}), "a: 5\n"),
    ("ref_recursive_tree", json.dumps({"$defs": {"node": {"type": "object", "properties": {"v": {"type": "number"}, "kids": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}}, "properties": {"tree": {"$ref": "#/$defs/node"}}}), "tree: {v: 1, kids: [{v: 2}, {v: x, kids: [{v: y}]}]}\n"),
    ("ref_missing_pointer", S(a={"$ref": "#/$defs/missing"}), "a: 5\n"),
    ("ref_missing_anchor", S(a={"$ref": "#nope"}), "a: 5\n"),
    ("ref_file", S(a={"$ref": "other.json"}), "a: 5\n"),
    ("ref_urn_permissive", S(a={"$ref": "urn:example:thing"}), "a: 5\n"),
    ("ref_escaped_pointer", json.dumps({"$defs": {"a/b": {"type": "string"}, "t~n": {"type": "number"}}, "properties": {"a": {"$ref": "#/$defs/a~1b"}, "b": {"$ref": "#/$defs/t~0n"}}}), "a: 5\nb: x\n"),
    ("ref_cycle_root", json.dumps({"$ref": "#"}), "a: 5\n"),
    ("ref_cycle_defs", json.dumps({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "properties": {"x": {"$ref": "#/$defs/a"}}}), "x: 5\n"),
    ("ref_cycle_d7", json.dumps({"$schema": D7, "$ref": "#"}), "a: 5\n"),
    ("ref_cycle_allof", json.dumps({"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}]}}, "properties": {"x": {"$ref": "#/$defs/a"}}}), "x: 5\n"),
    ("json_too_deep", "[" * 11000 + "]" * 11000, "a: 1\n"),
    # draft-07
    ("d7_ref_ignores_siblings", json.dumps({"$schema": D7, "definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s", "maxLength": 1}}}), "a: xyz\n"),
    ("d7_ref_error", json.dumps({"$schema": D7, "definitions": {"s": {"type": "string", "minLength": 5, "pattern": "^z"}}, "properties": {"a": {"$ref": "#/definitions/s"}}}), "a: xyz\n"),
    ("d7_format", json.dumps({"$schema": D7, "properties": {"a": {"format": "email"}, "b": {"format": "ipv4"}, "c": {"format": "date-time"}}}), "a: nope\nb: 1.2.3\nc: yesterday\n"),
    ("d7_format_more", json.dumps({"$schema": D7, "properties": {"h": {"format": "hostname"}, "u": {"format": "uuid"}, "d": {"format": "date"}, "t": {"format": "time"}}}), "h: -bad.example\nu: 1234\nd: 2024-13-01\nt: \"25:00:00Z\"\n"),
    ("d7_format_ok", json.dumps({"$schema": D7, "properties": {"a": {"format": "email"}, "d": {"format": "date-time"}}}), "a: a@b.example\nd: \"2024-01-02T03:04:05Z\"\n"),
    ("d7_items_array", json.dumps({"$schema": D7, "properties": {"l": {"items": [{"type": "string"}], "additionalItems": False}}}), "l: [a, b, c]\n"),
    ("d7_dependencies", json.dumps({"$schema": D7, "dependencies": {"a": ["b"]}}), "a: 1\n"),
    ("d4_exclusive_bool", json.dumps({"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"num": {"maximum": 3, "exclusiveMaximum": True}}}), "num: 3\n"),
    ("format_annotation_2020", S(a={"format": "email"}), "a: nope\n"),
    # bad schemas
    ("bad_json", "{bad json", "a: 1\n"),
    ("bad_json_empty", "", "a: 1\n"),
    ("bad_json_trailing", "{} trailing", "a: 1\n"),
    ("bad_json_unterminated", "{\"a\": [1, 2", "a: 1\n"),
    ("bad_json_after_value", "{\"a\": 1 \"b\": 2}", "a: 1\n"),
    ("bad_json_number", "{\"a\": -x}", "a: 1\n"),
    ("bad_json_literal", "{\"a\": tru}", "a: 1\n"),
    # Remote schemas: Helm's text ends with this machine's resolver error
    # (`env_dependent`: compared up to "dial tcp:").
    ("remote_schema_draft", json.dumps({"$schema": "https://example.invalid/s.json"}), "a: 1\n"),
    ("latest_schema_url", json.dumps({"$schema": "http://json-schema.org/schema#", "properties": {"a": {"type": "string"}}}), "a: 1\n"),
    ("schema_url_with_fragment", json.dumps({"$schema": "http://json-schema.org/draft-07/schema#frag"}), "a: 1\n"),
    ("remote_ref", S(a={"$ref": "https://example.invalid/defs.json#/x"}), "a: 1\n"),
    # schemas that do not conform to their meta-schema
    ("meta_bad_type", S(a={"type": "strin"}), "a: 1\n"),
    ("meta_minimum_string", S(a={"minimum": "x"}), "a: 1\n"),
    ("meta_bad_pattern", S(a={"pattern": "[a"}), "a: x\n"),
    ("meta_required_string", json.dumps({"required": "a"}), "a: 1\n"),
    ("meta_properties_array", json.dumps({"properties": [{"type": "string"}]}), "a: 1\n"),
    ("meta_min_length_negative", S(a={"minLength": -1}), "a: x\n"),
    ("meta_min_length_fraction", S(a={"minLength": 1.5}), "a: x\n"),
    ("meta_enum_not_array", S(a={"enum": "x"}), "a: x\n"),
    ("meta_items_number", S(l={"items": 5}), "l: [1]\n"),
    ("meta_additional_string", json.dumps({"additionalProperties": "no"}), "a: 1\n"),
    ("meta_two_problems", S(a={"type": "strin", "maxLength": "3"}), "a: 1\n"),
    ("regex_lookahead", S(a={"pattern": "^(?!foo).*$"}), "a: x\n"),
    ("regex_lookbehind", S(a={"pattern": "(?<=a)b"}), "a: x\n"),
    ("regex_nested_repeat", S(a={"pattern": "a**"}), "a: x\n"),
    ("regex_lazy_ok", S(a={"pattern": "^a*?b+?$"}), "a: ab\n"),
    ("regex_missing_arg", S(a={"pattern": "*a"}), "a: x\n"),
    ("regex_bad_escape", S(a={"pattern": "\\q"}), "a: x\n"),
    ("regex_backref", S(a={"pattern": "(a)\\1"}), "a: x\n"),
    ("regex_trailing_backslash", S(a={"pattern": "a\\"}), "a: x\n"),
    ("regex_bad_range", S(a={"pattern": "[z-a]"}), "a: x\n"),
    ("regex_repeat_count", S(a={"pattern": "a{1001}"}), "a: x\n"),
    ("regex_unexpected_paren", S(a={"pattern": "a)"}), "a: x\n"),
    ("regex_named_ok", S(a={"pattern": "(?P<x>a)(?<y>b)"}), "a: ab\n"),
    ("regex_flags_ok", S(a={"pattern": "(?i)^ABC$"}), "a: abc\n"),
    ("regex_class_escape_ok", S(a={"pattern": "^[\\w.-]+@[\\d]+$"}), "a: a.b@12\n"),
    ("regex_posix_class", S(a={"pattern": "^[[:alpha:]]+$"}), "a: ab1\n"),
    ("regex_brace_literal", S(a={"pattern": "^a{,2}$"}), "a: \"a{,2}\"\n"),
    ("regex_space_class", S(a={"pattern": "^\\s$"}), "a: \"\\v\"\n"),
    ("regex_case_fold", S(a={"pattern": "(?i)^straße$"}), "a: STRASSE\n"),
    ("regex_dot_unicode", S(a={"pattern": "^.{3}$"}), "a: héé\n"),
    ("regex_word_ascii", S(a={"pattern": "^\\w+$"}), "a: héé\n"),
    ("meta_pattern_properties_regex", json.dumps({"patternProperties": {"(x": {}}}), "a: 1\n"),
    ("meta_type_array_dup", S(a={"type": ["string", "string"]}), "a: x\n"),
    ("meta_deep", S(o={"type": "object", "properties": {"p": {"items": {"type": 3}}}}), "o: {}\n"),
    ("meta_d7_bad_type", json.dumps({"$schema": D7, "properties": {"a": {"type": "strin"}}}), "a: 1\n"),
    ("meta_d7_required_string", json.dumps({"$schema": D7, "required": "a"}), "a: 1\n"),
    ("meta_root_not_object", "[1, 2]", "a: 1\n"),
    ("meta_root_number", "5", "a: 1\n"),
    ("meta_ref_number", S(a={"$ref": 5}), "a: 1\n"),
    # values from the user (-f) and coalescing
    ("user_values_checked", S(a={"type": "string"}), "a: ok\n", {"a": 3}),
    ("user_values_nested", S(o={"type": "object", "properties": {"p": {"maximum": 2}}}), "o: {p: 1}\n", {"o": {"p": 7}}),
]

SUB_CASES = [
    ("sub_schema_applies", S(), "", None, [{"name": "s", "schema": S(p={"type": "string"}), "values": "p: 1\n"}]),
    ("sub_parent_overrides", S(), "s: {p: ok}\n", None, [{"name": "s", "schema": S(p={"type": "number"}), "values": "p: 1\n"}]),
    ("sub_two_charts", None, "", None, [
        {"name": "s", "schema": S(p={"type": "string"}), "values": "p: 1\n"},
        {"name": "t", "schema": json.dumps({"required": ["zz"]}), "values": "p: 1\n"},
    ]),
    ("parent_and_sub", S(top={"type": "string"}), "top: 1\n", None, [{"name": "s", "schema": S(p={"type": "string"}), "values": "p: 1\n"}]),
    ("sub_bad_json", None, "", None, [{"name": "s", "schema": "{oops", "values": "p: 1\n"}]),
    ("sub_no_values_skipped", None, "", None, [{"name": "s", "schema": json.dumps({"required": ["x"]}), "values": ""}]),
    ("sub_user_values", None, "", {"s": {"p": "str"}}, [{"name": "s", "schema": S(p={"type": "number"}), "values": "p: 1\n"}]),
]


def write_chart(d, schema, values, subs):
    c = os.path.join(d, "c")
    os.makedirs(os.path.join(c, "templates"))
    with open(os.path.join(c, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    with open(os.path.join(c, "values.yaml"), "w") as f:
        f.write(values)
    with open(os.path.join(c, "templates", "t.yaml"), "w") as f:
        f.write("x: 1\n")
    if schema is not None:
        with open(os.path.join(c, "values.schema.json"), "w") as f:
            f.write(schema)
    for s in subs:
        sd = os.path.join(c, "charts", s["name"])
        os.makedirs(sd)
        with open(os.path.join(sd, "Chart.yaml"), "w") as f:
            f.write("apiVersion: v2\nname: %s\nversion: 0.1.0\n" % s["name"])
        with open(os.path.join(sd, "values.yaml"), "w") as f:
            f.write(s.get("values", ""))
        if s.get("schema") is not None:
            with open(os.path.join(sd, "values.schema.json"), "w") as f:
                f.write(s["schema"])
    return c


def may_vary(err):
    """Go map order shows in Helm's text when an object has several failing
    properties (sibling lines), several extra properties, or several
    subcharts fail: a few runs do not always reveal it."""
    if not err:
        return False
    lines = err.split("\n")
    if any("additional properties" in l and "', '" in l for l in lines):
        return True
    heads = [l for l in lines if l.endswith(":") and not l.startswith(("-", " "))]
    if len(heads) > 2:  # the "values don't meet..." line and 2+ charts
        return True
    seen = {}
    for l in lines:
        stripped = l.lstrip(" ")
        if stripped.startswith("- "):
            key = len(l) - len(stripped)
            seen[key] = seen.get(key, 0) + 1
    return any(n > 1 for n in seen.values())


def run(schema, values, user, subs):
    d = tempfile.mkdtemp(prefix="schema-")
    try:
        c = write_chart(d, schema, values, subs)
        ch = helm.Chart.load(c)
        try:
            coalesced = ch.merge_values(user)
        finally:
            ch.close()
        outs = []
        for _ in range(6):
            try:
                ho.oracle(c, user)
                outs.append(None)
            except ho.OracleError as e:
                outs.append(e.message)
        return coalesced, outs[0], len(set(outs)) > 1 or may_vary(outs[0])
    finally:
        shutil.rmtree(d)


CONF = os.path.join(os.path.dirname(ROOT), "shared", "conformance")
if not os.path.isdir(CONF):
    CONF = os.path.abspath(os.path.join(ROOT, "..", "..", "shared", "conformance"))
CONF_OUT = os.path.join(ROOT, "engine", "tests", "data", "schema", "conformance.json")

WRONG = {"string": 12345, "boolean": "notabool", "integer": "x", "number": "x", "object": "x", "array": "x"}


def typed_props(schema, prefix=(), depth=0):
    """(path, declared type) of properties with a single primitive type."""
    out = []
    if not isinstance(schema, dict) or depth > 2:
        return out
    for name, sub in sorted((schema.get("properties") or {}).items()):
        if not isinstance(sub, dict):
            continue
        t = sub.get("type")
        if isinstance(t, str) and t in WRONG:
            out.append((prefix + (name,), t))
        out += typed_props(sub, prefix + (name,), depth + 1)
    return out


def conformance_cases():
    """Real charts of shared/conformance (read in place, never copied) with
    user values that break their schema: Helm's error text per case."""
    out = []
    charts = os.path.join(CONF, "charts")
    for chart in sorted(os.listdir(charts)):
        sp = os.path.join(charts, chart, "values.schema.json")
        if not os.path.isfile(sp):
            continue
        with open(sp) as f:
            schema = json.load(f)
        props = typed_props(schema)
        picks = [props[i] for i in range(0, len(props), max(1, len(props) // 3))][:3]
        for k, (path, t) in enumerate(picks):
            user = {}
            cur = user
            for tok in path[:-1]:
                cur = cur.setdefault(tok, {})
            cur[path[-1]] = WRONG[t]
            outs = []
            for _ in range(3):
                try:
                    ho.oracle(os.path.join(charts, chart), user)
                    outs.append(None)
                except ho.OracleError as e:
                    outs.append(e.message)
            out.append({"name": f"{chart}/{'.'.join(path)}", "chart": f"charts/{chart}", "user": user,
                        "error": outs[0], "unordered": len(set(outs)) > 1 or may_vary(outs[0])})
            print(out[-1]["name"], "->", (outs[0] or "OK")[:150].replace("\n", "\\n"))
    return out


def main():
    cases = []
    all_cases = [(n, s, v, (rest[0] if rest else None), []) for (n, s, v, *rest) in CASES] + SUB_CASES
    for name, schema, values, user, subs in all_cases:
        coalesced, err, unordered = run(schema, values, user, subs)
        cases.append({"name": name, "schema": schema, "values": values, "user": user, "subs": subs,
                      "coalesced": coalesced, "error": err, "unordered": unordered,
                      "env_dependent": name.startswith("remote_")})
        print(name, "->", (err or "OK")[:160].replace("\n", "\\n"), "(unordered)" if unordered else "")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    if os.path.isdir(CONF):
        with open(CONF_OUT, "w") as f:
            json.dump(conformance_cases(), f, indent=1, ensure_ascii=False)
            f.write("\n")


if __name__ == "__main__":
    main()
