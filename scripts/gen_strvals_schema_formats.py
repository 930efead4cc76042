#!/usr/bin/env python3
"""More values.schema.json fixtures from real Helm, for the meta-schema check
and the formats it asserts (uri, uri-reference, ipv6 with netip's texts):
engine/tests/data/schema/formats.json, same shape as cases.json (it reuses
gen_schema_fixtures.run).

  ~/.cache/helm-oracle-venv/bin/python scripts/gen_strvals_schema_formats.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_schema_fixtures as g  # noqa: E402

D7 = "http://json-schema.org/draft-07/schema#"
OUT = os.path.join(g.ROOT, "engine", "tests", "data", "schema", "formats.json")

META = [
    ("meta_d7_deep", {"$schema": D7, "properties": {"o": {"properties": {"p": {"items": {"minLength": -2}}}}}}),
    ("meta_defs_bad", {"$defs": {"x": {"type": "nope"}}, "properties": {"a": {"$ref": "#/$defs/x"}}}),
    ("meta_dependent_required", {"dependentRequired": {"a": "b"}}),
    ("meta_anyof_empty", {"anyOf": []}),
    ("meta_ok_complex", {"$defs": {"x": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/x"},
                         "b": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}, "required": ["a"]}),
    ("meta_prefix_items", {"properties": {"l": {"prefixItems": [True, 3]}}}),
    ("meta_anchor_bad", {"$anchor": "1x"}),
    ("meta_d7_enum_empty", {"$schema": D7, "enum": []}),
    ("meta_vocabulary", {"$vocabulary": {"x": 1}}),
    ("meta_ref_bad_uri", {"properties": {"a": {"$ref": "http://a b/"}}}),
    ("meta_id_fragment", {"$id": "http://x.example/s#frag"}),
]
URIS = ["x", "http://a b/", "http://a/%zz", ":x", "a:b/c", "./a:b", "http://[::1]/", "http://[::g]/",
        "http://a:80x/", "mailto:x@y", "http://u^@h/", "a#%zz", "http://h/p?q=%zz", "//h:1/p", "http://::1/",
        "a\\b", "http://a%41/", "http://%20/", "urn:x", "http://a/\x7f"]
IPV6 = ["::1", "::g", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2::1.2.3",
        "::1.2.03.4", "::1.2.3.256", "fe80::1%eth0", "fe80::1%", "1:2", ":1", "1:", "1.2.3.4:5", "%x",
        "1::2:3:4:5:6:7:8", "::ffff:1.2.3.4.5", "::1.2..3", "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:1.2.3.4"]


def main():
    inputs = [(n, json.dumps(s), "a: x\n") for n, s in META]
    for fmt, vals in (("uri", URIS), ("uri-reference", URIS), ("ipv6", IPV6)):
        for i, v in enumerate(vals):
            schema = json.dumps({"$schema": D7, "properties": {"a": {"format": fmt}}})
            inputs.append((f"format_{fmt}_{i}", schema, "a: " + json.dumps(v) + "\n"))
    cases = []
    for name, schema, values in inputs:
        coalesced, err, unordered = g.run(schema, values, None, [])
        cases.append({"name": name, "schema": schema, "values": values, "user": None, "subs": [],
                      "coalesced": coalesced, "error": err, "unordered": unordered, "env_dependent": False})
        print(name, "->", (err or "OK")[:160].replace("\n", "\\n"))
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
