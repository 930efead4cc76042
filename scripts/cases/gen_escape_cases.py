#!/usr/bin/env python3
"""Writes engine/tests/cases/escape.in.yaml (many combinations; each case's `args` spells out
the Go values its template passes, for tests that call the Rust port directly).
Then: ~/.cache/helm-oracle-venv/bin/python scripts/gen_template_cases.py escape"""
import os, yaml
cases = []
F = lambda f: {"f": f}; I = lambda i: {"i": i}; S = lambda s: {"s": s}
def add(name, fn, exprs, args, values=None, files=None):
    t = "{{ %s %s }}" % (fn, " ".join(exprs))
    c = {"name": name, "template": t, "func": fn, "args": args}
    if values: c["values"] = values
    if files: c["files"] = files
    cases.append(c)
strs = [
 ("plain", "abc"), ("html", "<a href=\"x\">'&'</a>"), ("nul", "a\x00b"), ("uni", "héllo wörld ☺ 😀"),
 ("ctl", "\x01\x07\t\n\r\x1f\x7f"), ("js", "a\\b'c\"d<e>f&g=h/i"), ("spaces", "a b+c%d"),
 ("url", "a b&c=d/é?#[]@!$'()*,;:~-_."), ("nbsp", "a\u00a0b\u2028c\u200bd\ufeffe\u0085f"),
 ("empty", ""), ("combining", "e\u0301"), ("privuse", "\ue000"), ("unassigned", "\u0378"),
 ("astral", "\U0001F600\U000E0001\U0010FFFF"), ("soft-hyphen", "a\u00adb"), ("lre", "\u202a\u202e"),
]
for fn in ["html", "js", "urlquery"]:
    for name, s in strs:
        ts = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
        ts = "".join(c if (0x20 <= ord(c) < 0x7f or ord(c) > 0xa0 and c not in "\u2028\u200b\ufeff\u00ad\u202a\u202e\u0378\ue000\U000E0001\U0010FFFF\u0301") else ("\\x%02x" % ord(c) if ord(c) < 0x80 else ("\\u%04x" % ord(c) if ord(c) < 0x10000 else "\\U%08x" % ord(c))) for c in ts)
        add(f"{fn}-{name}", fn, ['"%s"' % ts], [S(s)])
    add(f"{fn}-multi", fn, ['"a"', "1", "2", '"<b>"', "nil", "2.5"], [S("a"), I(1), I(2), S("<b>"), "nil", F("2.5")])
    add(f"{fn}-nil", fn, ["nil"], ["nil"])
    add(f"{fn}-missing", fn, [".Values.nope"], ["nil"])
    add(f"{fn}-num", fn, ["1"], [I(1)])
    add(f"{fn}-float", fn, [".Values.big"], [F("1e6")], values="big: 1000000\n")
    add(f"{fn}-list", fn, ['(list "<a>" 1)'], [{"l": [S("<a>"), I(1)]}])
    add(f"{fn}-dict", fn, ['(dict "a" "b&c")'], [{"m": {"a": S("b&c")}}])
    add(f"{fn}-two-nil", fn, ["nil", "nil"], ["nil", "nil"])
    add(f"{fn}-none", fn, [], [])
    add(f"{fn}-bool", fn, ["true", "false"], [{"b": True}, {"b": False}])
yaml.safe_dump(cases, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests", "cases", "escape.in.yaml"), "w"), allow_unicode=True, sort_keys=False, width=1000)
print(len(cases))
