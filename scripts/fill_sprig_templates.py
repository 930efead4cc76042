#!/usr/bin/env python3
"""Fill in `template` for Sprig function cases written as `fn` + `args`.

Sprig cases (engine/tests/cases/sprig_*.in.yaml) describe a call as
  - name: trunc-neg
    fn: trunc
    args: [-3, abcdef]
and this script writes the Go template that makes Helm perform exactly that call:
  template: '{{ $r := trunc -3 "abcdef" }}{{ $r }}|{{ typeOf $r }}'
(the result and its Go type, so the Rust test checks both). Cases that already
have a template are left alone (mutation and pipeline cases are hand-written).

Argument encoding (what the Rust test, engine/tests/sprig_cases.rs, decodes):
  YAML int -> Go `int` literal; YAML float -> `float64`; string; bool; null -> nil;
  list -> `(list ...)` ([]interface {}); map -> `(dict ...)`;
  {$int64: n} -> `(int64 n)`; {$strs: [..]} -> `(toStrings (list ..))` ([]string);
  {$time: [layout, value]} -> `(toDate layout value)` (time.Time).

Then run scripts/gen_template_cases.py for the same topics to get Helm's output.
Usage: python3 scripts/fill_sprig_templates.py sprig_strings [...]
"""
import json, os, sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(os.path.dirname(HERE), "engine", "tests", "cases")


def go_str(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ch == '\n':
            out.append('\\n')
        elif ch == '\t':
            out.append('\\t')
        elif o < 0x20 or o == 0x7f:
            out.append('\\x%02x' % o)
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def go_arg(a):
    if a is None:
        return "nil"
    if isinstance(a, bool):
        return "true" if a else "false"
    if isinstance(a, int):
        return str(a)
    if isinstance(a, float):
        r = repr(a)
        if r in ("inf", "-inf", "nan"):
            raise SystemExit("no float literal for " + r)
        if not any(c in r for c in ".eE"):
            r += ".0"
        return r
    if isinstance(a, str):
        return go_str(a)
    if isinstance(a, list):
        return "(list" + "".join(" " + go_arg(x) for x in a) + ")"
    if isinstance(a, dict):
        if len(a) == 1:
            (k, v), = a.items()
            if k == "$int64":
                return "(int64 %s)" % go_arg(v)
            if k == "$strs":
                return "(toStrings %s)" % go_arg(v)
            if k == "$time":
                return "(toDate %s %s)" % (go_str(v[0]), go_str(v[1]))
        return "(dict" + "".join(" %s %s" % (go_str(k), go_arg(v)) for k, v in a.items()) + ")"
    raise SystemExit("cannot encode %r" % (a,))


def main(topics):
    for t in topics:
        p = os.path.join(CASES, t + ".in.yaml")
        with open(p) as f:
            cases = yaml.safe_load(f) or []
        for c in cases:
            if "template" in c:
                continue
            call = " ".join([c["fn"]] + [go_arg(a) for a in c.get("args", [])])
            c["template"] = "{{ $r := %s }}{{ $r }}|{{ typeOf $r }}" % call
        with open(p, "w") as f:
            yaml.safe_dump(cases, f, allow_unicode=True, sort_keys=False, width=1000)
        print(f"{t}: {len(cases)} cases")


if __name__ == "__main__":
    main(sys.argv[1:])
