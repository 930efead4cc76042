#!/usr/bin/env python3
"""Writes engine/tests/cases/json.in.yaml (many combinations; each case's `args` spells out
the Go values its template passes, for tests that call the Rust port directly).
Then: ~/.cache/helm-oracle-venv/bin/python scripts/gen_template_cases.py json"""
import os, yaml
VALUES = """a: 2
big: 1000000
small: 0.000001
tiny: 1e-7
huge: 1e+21
neg: -2.5
f: 3.14159
s: "<b>&'\\"x\\u2028\\u2029\\u0007\\b\\f\\t\\n\\r\\u001f\\u007f é☺ \\U0001F600"
obj:
  z: [1, x, null, true, {}]
  a: {}
  B: []
  "é": 1
  "a b": "c"
  "<": ">"
n: null
t: true
e: ""
"""
cases = []
def add(name, tmpl, args=None, values=True, func=None, **kw):
    c = {"name": name, "template": tmpl}
    if values and ".Values" in tmpl: c["values"] = VALUES
    if args is not None: c["args"] = args
    if func: c["func"] = func
    c.update(kw)
    cases.append(c)
F = lambda f: {"f": f}; I = lambda i: {"i": i}; S = lambda s: {"s": s}
OBJ = {"m": {"z": {"l": [F("1"), S("x"), "nil", {"b": True}, {"m": {}}]}, "a": {"m": {}}, "B": {"l": []}, "é": F("1"), "a b": S("c"), "<": S(">")}}
STR = S("<b>&'\"x\u2028\u2029\u0007\b\f\t\n\r\u001f\u007f é☺ \U0001F600")
vals = [
 ("a", ".Values.a", F("2")), ("big", ".Values.big", F("1e6")), ("small", ".Values.small", F("0.000001")),
 ("tiny", ".Values.tiny", F("1e-7")), ("huge", ".Values.huge", F("1e21")), ("neg", ".Values.neg", F("-2.5")),
 ("f", ".Values.f", F("3.14159")), ("s", ".Values.s", STR), ("obj", ".Values.obj", OBJ), ("n", ".Values.n", "nil"),
 ("t", ".Values.t", {"b": True}), ("e", ".Values.e", S("")), ("all", ".Values", {"m": {"a": F("2"), "big": F("1e6"), "small": F("0.000001"), "tiny": F("1e-7"), "huge": F("1e21"), "neg": F("-2.5"), "f": F("3.14159"), "s": STR, "obj": OBJ, "t": {"b": True}, "e": S("")}}),
 ("int", "1", I(1)), ("negint", "-7", I(-7)), ("i64", "(int64 9223372036854775807)", {"i64": "9223372036854775807"}),
 ("flt", "1.5", F("1.5")), ("flt2", "100000000000000000000.0", F("1e20")), ("flt3", "123456789012345678901234.0", F("123456789012345678901234.0")),
 ("flt4", "0.0000012345", F("0.0000012345")), ("flt5", "0.00000012345", F("0.00000012345")), ("flt6", "-0.0", F("-0.0")),
 ("flt7", "1e-300", F("1e-300")), ("flt8", "5e-324", F("5e-324")), ("flt9", "1.7976931348623157e308", F("1.7976931348623157e308")),
 ("nil", "nil", "nil"), ("list", '(list 1 "a" nil 2.5 (list) (dict))', {"l": [I(1), S("a"), "nil", F("2.5"), {"l": []}, {"m": {}}]}),
 ("dict", '(dict "b" 1 "a" (list 1 2) "c" (dict "x" nil))', {"m": {"b": I(1), "a": {"l": [I(1), I(2)]}, "c": {"m": {"x": "nil"}}}}),
 ("edict", "(dict)", {"m": {}}), ("elist", "(list)", {"l": []}),
 ("keys-order", '(dict "b" 1 "B" 2 "a" 3 "_" 4 "1" 5 "é" 6 "aa" 7 "a-b" 8)', {"m": {"b": I(1), "B": I(2), "a": I(3), "_": I(4), "1": I(5), "é": I(6), "aa": I(7), "a-b": I(8)}}),
 ("strs", '(splitList "," "a,b")', {"sl": ["a", "b"]}),
 ("bytes", '(.Files.GetBytes "f.txt")', {"bytes": [104, 105, 33, 195, 191, 0]}),
 ("str-html", '"<a href=\\"x\\">&amp;</a>"', S('<a href="x">&amp;</a>')),
 ("str-ctl", '"\\x00\\x01\\x1f\\x7f"', S("\x00\x01\x1f\x7f")),
 ("str-ctl2", '"\\a\\b\\f\\v"', S("\x07\x08\x0c\x0b")),
 ("str-uni", '"\\u2028\\u2029\\u00e9\\U0001F600\\ufeff"', S("\u2028\u2029\u00e9\U0001F600\ufeff")),
 ("str-slash", '"a/b\\\\c"', S("a/b\\c")),
]
for name, expr, arg in vals:
    files = {"f.txt": "hi!\xff\x00"} if name == "bytes" else None
    for fn in ["toJson", "toRawJson", "toPrettyJson"]:
        kw = {}
        if files: kw["files"] = files
        add(f"{fn}-{name}", "{{ %s %s }}" % (fn, expr), [arg] if arg is not None else None, func=fn, **kw)
for fn in ["toJson", "toRawJson", "toPrettyJson"]:
    add(f"{fn}-inf", '{{ %s (float64 "inf") }}' % fn, [F("inf")], func=fn)
    add(f"{fn}-nan", '{{ %s (float64 "nan") }}' % fn, [F("nan")], func=fn)
    add(f"must-{fn}-inf", '{{ must%s (list (float64 "-inf")) }}' % (fn[0].upper() + fn[1:]), [{"l": [F("-inf")]}], func="must" + fn[0].upper() + fn[1:])
# fromJson
inputs = [
 ("obj", '{"a": 1, "b": [1, 2.5, "x", null, true, false], "c": {"d": {}}}'),
 ("dup", '{"a": 1, "a": 2}'),
 ("ws", ' \t\n\r{ "a" : [ ] } \n'),
 ("nums", '{"a": -0, "b": 1e3, "c": 1E+2, "d": 0.5e-1, "e": 12345678901234567890, "f": -1.5}'),
 ("bignum", '{"a": 1e400}'),
 ("bignum2", '{"a": 1, "b": [1e400], "c": 2}'),
 ("escapes", '{"a": "\\u00e9\\n\\t\\"\\\\\\/\\b\\f\\r", "b": "\\ud83d\\ude00", "c": "\\ud800x", "d": "\\udc00", "e": "\\ud800\\u0041"}'),
 ("arr", '[1, 2]'), ("str", '"x"'), ("num", '1'), ("bool", 'true'), ("null", 'null'),
 ("empty", ''), ("space", '   '),
 ("bad1", 'x'), ("bad2", '{"a" 1}'), ("bad3", '{"a": 1,}'), ("bad4", '[1,]'), ("bad5", '{"a": tru}'),
 ("bad6", '{"a": 1} x'), ("bad7", '{"a": 1}}'), ("bad8", '{a: 1}'), ("bad9", '{"a": 01}'), ("bad10", '{"a": 1.}'),
 ("bad11", '{"a": 1e}'), ("bad12", '{"a": -}'), ("bad13", '{"a": "\\x"}'), ("bad14", '{"a": "\\u12x4"}'),
 ("bad15", '{"a": "a\tb"}'), ("bad16", "{'a': 1}"), ("bad17", '{"a": [1, 2}'), ("bad18", '{"a": 1'),
 ("bad19", '{"a": nul}'), ("bad20", '{"a": fals}'), ("bad21", '{"a": é}'), ("bad22", '{"a": +1}'),
 ("bad23", '{"a": .5}'), ("bad24", '{"a": NaN}'), ("bad25", '{"a": "x}'), ("bad26", '{"a":1 "b":2}'),
 ("bad27", '{,}'), ("bad28", '[1 2]'), ("bad29", '{"a": 1e+}'), ("bad30", '\ufeff{}'), ("bad31", '{"a": [}'),
 ("bad32", '{"a":"\\'), ("bad33", '{"a": -01}'), ("bad34", '{"a": 1}\n\n{"b": 2}'),
]
for name, s in inputs:
    ts = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    add(f"fromJson-{name}", '{{ $r := fromJson "%s" }}{{ toJson $r }}|{{ printf "%%#v" $r }}' % ts, [S(s)], func="fromJson")
    add(f"fromJsonArray-{name}", '{{ $r := fromJsonArray "%s" }}{{ toJson $r }}|{{ printf "%%#v" $r }}' % ts, [S(s)], func="fromJsonArray")
add("roundtrip-values", '{{ .Values | toJson | fromJson | toJson }}', [{"m": {"a": F("2"), "big": F("1e6"), "small": F("0.000001"), "tiny": F("1e-7"), "huge": F("1e21"), "neg": F("-2.5"), "f": F("3.14159"), "s": STR, "obj": OBJ, "t": {"b": True}, "e": S("")}}], func="roundtrip")
yaml.safe_dump(cases, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests", "cases", "json.in.yaml"), "w"), allow_unicode=True, sort_keys=False, width=1000)
print(len(cases))
