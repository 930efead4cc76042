#!/usr/bin/env python3
"""Writes engine/tests/cases/printf.in.yaml (many combinations; each case's `args` spells out
the Go values its template passes, for tests that call the Rust port directly).
Then: ~/.cache/helm-oracle-venv/bin/python scripts/gen_template_cases.py printf"""
import os, yaml, re
VALUES = """a: 2
big: 1000000
small: 0.000001
neg: -2.5
f: 3.14159
s: hello
obj:
  b: [1, x]
  a: 1
"""
ARGS = [
 ("flt", "3.14159", {"f": "3.14159"}),
 ("int", "2", {"i": 2}),
 ("negint", "-42", {"i": -42}),
 ("zero", "0", {"i": 0}),
 ("i64", "(int64 255)", {"i64": 255}),
 ("fltlit1e6", "1000000.0", {"f": "1e6"}),
 ("va", ".Values.a", {"f": "2"}),
 ("vbig", ".Values.big", {"f": "1e6"}),
 ("vsmall", ".Values.small", {"f": "0.000001"}),
 ("vneg", ".Values.neg", {"f": "-2.5"}),
 ("str", '"hello"', {"s": "hello"}),
 ("ustr", '"héllo wörld"', {"s": "héllo wörld"}),
 ("qstr", '"a\\"b\\tc"', {"s": "a\"b\tc"}),
 ("empty", '""', {"s": ""}),
 ("true", "true", {"b": True}),
 ("nil", "nil", "nil"),
 ("list", '(list 1 "a" 2.5)', {"l": [{"i": 1}, {"s": "a"}, {"f": "2.5"}]}),
 ("slist", '(list "a" "b")', {"l": [{"s": "a"}, {"s": "b"}]}),
 ("elist", '(list)', {"l": []}),
 ("dict", '(dict "b" "x" "a" 1)', {"m": {"a": {"i": 1}, "b": {"s": "x"}}}),
 ("edict", '(dict)', {"m": {}}),
 ("strs", '(splitList "," "a,b")', {"sl": ["a", "b"]}),
 ("nillist", '(list nil 1)', {"l": ["nil", {"i": 1}]}),
 ("nested", '(list (list 1 2) (dict "k" "v"))', {"l": [{"l": [{"i": 1}, {"i": 2}]}, {"m": {"k": {"s": "v"}}}]}),
 ("vobj", '.Values.obj', {"m": {"a": {"f": "1"}, "b": {"l": [{"f": "1"}, {"s": "x"}]}}}),
 ("bytes", '(.Files.GetBytes "f.txt")', {"bytes": [104, 105, 33]}),
]
VERBS = ["%v", "%+v", "%#v", "%T", "%d", "%s", "%q", "%x", "%X", "%o", "%O", "%b", "%c", "%U", "%#U",
         "%e", "%E", "%f", "%F", "%g", "%G", "%t", "%5v", "%-6v|", "%.2v", "%+q", "%#q", "%#x", "% x", "%.1s"]
FLAGFMT = ["%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%08.3d", "%-05d|", "%x", "%#x", "%#o", "%#b", "%+x",
           "%.2f", "%8.3f", "%-8.3f|", "%08.3f", "%+.1e", "%.0f", "%.0e", "%#g", "%#.3g", "%.3g", "%.10g", "%g",
           "%10.4e", "%+g", "% g", "%010.2f", "%-010.2f|", "%#.0f", "%#e", "%.3x", "%#v", "%x", "%X", "%#X",
           "%10s|", "%-10s|", "%.3s", "%5.1s|", "%05s", "%010q", "%q", "%+q", "%#q", "%x", "% x", "%# x", "%#x",
           "%.2x", "%5c", "%-4c|", "%q", "%+q", "%U", "%#U", "%.6U", "%08b", "%o", "%O", "%#O", "%v", "%6v|", "%-6v|", "%06v"]
FLAGARGS = ["flt", "int", "negint", "zero", "vbig", "vsmall", "vneg", "str", "ustr", "qstr", "empty", "i64", "true", "nil", "list", "strs", "bytes"]
cases = []
seen = set()
def add(name, tmpl, args, values=True, files=False):
    base = name; k = 2
    while name in seen:
        name = f"{base}-{k}"; k += 1
    seen.add(name)
    c = {"name": name, "template": tmpl, "args": args}
    if values and ".Values" in tmpl:
        c["values"] = VALUES
    if files:
        c["files"] = {"f.txt": "hi!"}
    cases.append(c)
amap = {a[0]: a for a in ARGS}
def fmtname(f):
    return re.sub(r'[^a-zA-Z0-9]', lambda m: {"%":"","#":"H","+":"P","-":"M"," ":"S",".":"D","|":"", "*":"St", "[":"L", "]":"R"}.get(m.group(0), "_"), f)
for (an, expr, arg) in ARGS:
    for v in VERBS:
        add(f"{an}-{fmtname(v)}", '{{ printf "%s" %s }}' % (v, expr), [v, arg], files=(an == "bytes"))
for an in FLAGARGS:
    _, expr, arg = amap[an]
    for v in FLAGFMT:
        add(f"f-{an}-{fmtname(v)}", '{{ printf "%s" %s }}' % (v, expr), [v, arg], files=(an == "bytes"))
# error forms, argument indexes, star
S = lambda s: {"s": s}; I = lambda i: {"i": i}; F = lambda f: {"f": f}
special = [
 ("extra1", '{{ printf "x" 1 "y" }}', ["x", I(1), S("y")]),
 ("extra-nil", '{{ printf "%d" 1 nil 2.5 }}', ["%d", I(1), "nil", F("2.5")]),
 ("extra-list", '{{ printf "" (list 1) }}', ["", {"l": [I(1)]}]),
 ("missing", '{{ printf "%d %s" 1 }}', ["%d %s", I(1)]),
 ("missing2", '{{ printf "%d %5.2f %v" }}', ["%d %5.2f %v"]),
 ("noverb", '{{ printf "abc%" }}', ["abc%"]),
 ("noverb2", '{{ printf "%-5" 1 }}', ["%-5", I(1)]),
 ("percent", '{{ printf "100%% %d%%" 5 }}', ["100%% %d%%", I(5)]),
 ("percent-width", '{{ printf "%5%|%-5%|" }}', ["%5%|%-5%|"]),
 ("idx1", '{{ printf "%[2]d %[1]d" 1 2 }}', ["%[2]d %[1]d", I(1), I(2)]),
 ("idx2", '{{ printf "%[1]d %[1]x %[1]o" 64 }}', ["%[1]d %[1]x %[1]o", I(64)]),
 ("idx3", '{{ printf "%[3]d" 1 2 }}', ["%[3]d", I(1), I(2)]),
 ("idx4", '{{ printf "%[0]d" 1 }}', ["%[0]d", I(1)]),
 ("idx5", '{{ printf "%[x]d" 1 }}', ["%[x]d", I(1)]),
 ("idx6", '{{ printf "%[2]d %d" 1 2 3 }}', ["%[2]d %d", I(1), I(2), I(3)]),
 ("idx7", '{{ printf "%[1]d %d" 1 2 3 }}', ["%[1]d %d", I(1), I(2), I(3)]),
 ("idx8", '{{ printf "%[" 1 }}', ["%[", I(1)]),
 ("idx9", '{{ printf "%[1" 1 }}', ["%[1", I(1)]),
 ("idx10", '{{ printf "%[3]*.[2]*[1]f" 12.0 2 6 }}', ["%[3]*.[2]*[1]f", F("12.0"), I(2), I(6)]),
 ("idx11", '{{ printf "%[1]2d" 1 }}', ["%[1]2d", I(1)]),
 ("idx12", '{{ printf "%[1].2d" 1 }}', ["%[1].2d", I(1)]),
 ("idx13", '{{ printf "%.[2]d" 1 2 }}', ["%.[2]d", I(1), I(2)]),
 ("idx14", '{{ printf "%d %d %#[1]x %#x" 16 17 }}', ["%d %d %#[1]x %#x", I(16), I(17)]),
 ("idx15", '{{ printf "%[2]*[1]d" 12 5 }}', ["%[2]*[1]d", I(12), I(5)]),
 ("idx16", '{{ printf "%[-1]d" 1 }}', ["%[-1]d", I(1)]),
 ("idx17", '{{ printf "%[99999999999999999999]d" 1 }}', ["%[99999999999999999999]d", I(1)]),
 ("star1", '{{ printf "%*d|" 5 42 }}', ["%*d|", I(5), I(42)]),
 ("star2", '{{ printf "%-*d|" 5 42 }}', ["%-*d|", I(5), I(42)]),
 ("star3", '{{ printf "%*d|" -5 42 }}', ["%*d|", I(-5), I(42)]),
 ("star4", '{{ printf "%.*f|" 2 3.14159 }}', ["%.*f|", I(2), F("3.14159")]),
 ("star5", '{{ printf "%*.*f|" 10 3 3.14159 }}', ["%*.*f|", I(10), I(3), F("3.14159")]),
 ("badwidth", '{{ printf "%*d" "x" 42 }}', ["%*d", S("x"), I(42)]),
 ("badwidth2", '{{ printf "%*d" 2.0 42 }}', ["%*d", F("2.0"), I(42)]),
 ("badwidth3", '{{ printf "%*d" 10000000 42 }}', ["%*d", I(10000000), I(42)]),
 ("badwidth4", '{{ printf "%*d" }}', ["%*d"]),
 ("badprec", '{{ printf "%.*d" "x" 42 }}', ["%.*d", S("x"), I(42)]),
 ("badprec2", '{{ printf "%.*d" -1 42 }}', ["%.*d", I(-1), I(42)]),
 ("badprec3", '{{ printf "%.*d" (int64 3) 42 }}', ["%.*d", {"i64": 3}, I(42)]),
 ("prec-dot-only", '{{ printf "%.f|%.s|%.d" 3.7 "abc" 0 }}', ["%.f|%.s|%.d", F("3.7"), S("abc"), I(0)]),
 ("bignum-width", '{{ printf "%100d" 1 }}', ["%100d", I(1)]),
 ("toolarge-width", '{{ printf "%99999999d|" 1 }}', ["%99999999d|", I(1)]),
 ("toolarge-prec", '{{ printf "%.99999999d|" 1 }}', ["%.99999999d|", I(1)]),
 ("many-flags", '{{ printf "%+-#0 8.3f|" 3.14159 }}', ["%+-#0 8.3f|", F("3.14159")]),
 ("unicode-verb", '{{ printf "%é" 1 }}', ["%é", I(1)]),
 ("upper-unknown", '{{ printf "%Z %z %!" 1 2 3 }}', ["%Z %z %!", I(1), I(2), I(3)]),
 ("s-s", '{{ printf "%s-%s" "a" "b" }}', ["%s-%s", S("a"), S("b")]),
 ("s-s-mixed", '{{ printf "%s-%s" "a" .Values.a }}', ["%s-%s", S("a"), F("2")]),
 ("s-list-mixed", '{{ printf "%s" (list "a" 1) }}', ["%s", {"l": [S("a"), I(1)]}]),
 ("d-list-mixed", '{{ printf "%d" (list "a" 1 nil 2.5 true) }}', ["%d", {"l": [S("a"), I(1), "nil", F("2.5"), {"b": True}]}]),
 ("d-dict-mixed", '{{ printf "%d" (dict "a" 1 "b" "x") }}', ["%d", {"m": {"a": I(1), "b": S("x")}}]),
 ("q-dict", '{{ printf "%q" (dict "a" 1 "b" "x") }}', ["%q", {"m": {"a": I(1), "b": S("x")}}]),
 ("hv-nested", '{{ printf "%#v" (dict "a" (list 1 "x" nil 2.5 (dict)) "b" nil) }}', ["%#v", {"m": {"a": {"l": [I(1), S("x"), "nil", F("2.5"), {"m": {}}]}, "b": "nil"}}]),
 ("width-list", '{{ printf "%5d|%-4s|" (list 1 2) (list "a" "b") }}', ["%5d|%-4s|", {"l": [I(1), I(2)]}, {"l": [S("a"), S("b")]}]),
 ("width-badverb", '{{ printf "%5s|%-5d|" 1 "x" }}', ["%5s|%-5d|", I(1), S("x")]),
 ("float-big", '{{ printf "%v %v %v %v %v" 1e21 1e20 123456789.0 0.0001 0.00001 }}', ["%v %v %v %v %v", F("1e21"), F("1e20"), F("123456789.0"), F("0.0001"), F("0.00001")]),
 ("float-f-big", '{{ printf "%f %.2f %e %g" 1e21 1e21 1e21 1e21 }}', ["%f %.2f %e %g", F("1e21"), F("1e21"), F("1e21"), F("1e21")]),
 ("float-round", '{{ printf "%.2f %.2f %.1f %.0f %.0f %.0f" 0.125 0.375 0.25 0.5 1.5 2.5 }}', ["%.2f %.2f %.1f %.0f %.0f %.0f", F("0.125"), F("0.375"), F("0.25"), F("0.5"), F("1.5"), F("2.5")]),
 ("float-g-prec", '{{ printf "%.3g %.3g %.3g %.3g %.1g %.0g" 1234.5678 0.00012345 100.0 1e-5 0.5 7.0 }}', ["%.3g %.3g %.3g %.3g %.1g %.0g", F("1234.5678"), F("0.00012345"), F("100.0"), F("1e-5"), F("0.5"), F("7.0")]),
 ("float-hashg", '{{ printf "%#g %#g %#.4g %#g %#v" 1.0 100000.0 1.0 0.0 1.0 }}', ["%#g %#g %#.4g %#g %#v", F("1.0"), F("100000.0"), F("1.0"), F("0.0"), F("1.0")]),
 ("float-x", '{{ printf "%x %X %.3x %#x %b" 1.0 3.14159 3.14159 1.0 1.0 }}', ["%x %X %.3x %#x %b", F("1.0"), F("3.14159"), F("3.14159"), F("1.0"), F("1.0")]),
 ("float-neg0", '{{ printf "%v %f %g %+v" -0.0 -0.0 -0.0 0.0 }}', ["%v %f %g %+v", F("-0.0"), F("-0.0"), F("-0.0"), F("0.0")]),
 ("float-long-prec", '{{ printf "%.20f %.17g %.30e" 0.1 0.1 0.1 }}', ["%.20f %.17g %.30e", F("0.1"), F("0.1"), F("0.1")]),
 ("float-maxint", '{{ printf "%v %f %v" 9007199254740993.0 9007199254740993.0 1.7976931348623157e308 }}', ["%v %f %v", F("9007199254740993.0"), F("9007199254740993.0"), F("1.7976931348623157e308")]),
 ("int-big", '{{ printf "%d %x %o %b %c" 9223372036854775807 -9223372036854775808 -8 -5 -1 }}', ["%d %x %o %b %c", {"i": "9223372036854775807"}, {"i": "-9223372036854775808"}, I(-8), I(-5), I(-1)]),
 ("int-c", '{{ printf "%c%c%c|%q|%q|%q|%+q" 72 233 128512 39 10 1114112 233 }}', ["%c%c%c|%q|%q|%q|%+q", I(72), I(233), I(128512), I(39), I(10), I(1114112), I(233)]),
 ("int-U", '{{ printf "%U %#U %#U %#U %U" 65 10 128512 -1 1114112 }}', ["%U %#U %#U %#U %U", I(65), I(10), I(128512), I(-1), I(1114112)]),
 ("str-x-unicode", '{{ printf "%x %X % X %#x" "é" "héllo" "abc" "" }}', ["%x %X % X %#x", S("é"), S("héllo"), S("abc"), S("")]),
 ("str-q-escapes", '{{ printf "%q %+q %#q %#q" "\\u00e9\\n\\x01\\u2028" "é☺" "a`b" "x\\ty" }}', ["%q %+q %#q %#q", S("é\n\x01\u2028"), S("é☺"), S("a`b"), S("x\ty")]),
 ("str-trunc-unicode", '{{ printf "%.2s|%5.3s|%-5.1q|" "héllo" "wörld" "éa" }}', ["%.2s|%5.3s|%-5.1q|", S("héllo"), S("wörld"), S("éa")]),
 ("str-pad-unicode", '{{ printf "%6s|%-6s|" "éé" "☺" }}', ["%6s|%-6s|", S("éé"), S("☺")]),
 ("bool-verbs", '{{ printf "%t %v %5t %-6t| %s %d" true false true false true false }}', ["%t %v %5t %-6t| %s %d", {"b": True}, {"b": False}, {"b": True}, {"b": False}, {"b": True}, {"b": False}]),
 ("T-all", '{{ printf "%T %T %T %T %T %T %T %T %T %T" 1 1.5 "s" true nil (list) (dict) (splitList "," "a") (int64 1) (.Files.GetBytes "f.txt") }}', ["%T %T %T %T %T %T %T %T %T %T", I(1), F("1.5"), S("s"), {"b": True}, "nil", {"l": []}, {"m": {}}, {"sl": ["a"]}, {"i64": 1}, {"bytes": [104, 105, 33]}], "files"),
 ("T-width", '{{ printf "%10T|%-10T|" 1 "x" }}', ["%10T|%-10T|", I(1), S("x")]),
 ("p-int", '{{ printf "%p" 1 }}', ["%p", I(1)]),
 ("p-str", '{{ printf "%p" "x" }}', ["%p", S("x")]),
 ("p-nil", '{{ printf "%p" nil }}', ["%p", "nil"]),
 ("nil-verbs", '{{ printf "%v|%s|%d|%T|%5v|%q|%x" nil nil nil nil nil nil nil }}', ["%v|%s|%d|%T|%5v|%q|%x", "nil", "nil", "nil", "nil", "nil", "nil", "nil"]),
 ("missing-value", '{{ printf "%v|%s|%d" .Values.nope .Values.nope .Values.nope }}', ["%v|%s|%d", "nil", "nil", "nil"]),
 ("bytes-verbs", '{{ $b := .Files.GetBytes "f.txt" }}{{ printf "%s|%q|%x|%X|% x|%v|%d|%#v|%.1s|%5s|%c|%o" $b $b $b $b $b $b $b $b $b $b $b $b }}', ["%s|%q|%x|%X|% x|%v|%d|%#v|%.1s|%5s|%c|%o"] + [{"bytes": [104, 105, 33]}]*12, "files"),
 ("list-bytes-v", '{{ printf "%v %#v %s" (list (.Files.GetBytes "f.txt")) (list (.Files.GetBytes "f.txt")) (list (.Files.GetBytes "f.txt")) }}', ["%v %#v %s"] + [{"l": [{"bytes": [104, 105, 33]}]}]*3, "files"),
 ("strs-hv", '{{ printf "%#v %q %x %d" (splitList "," "a,b") (splitList "," "a,b") (splitList "," "a,b") (splitList "," "a,b") }}', ["%#v %q %x %d"] + [{"sl": ["a", "b"]}]*4),
 ("q-unicode", '{{ printf "%q|%+q|%x" "\u0378\U000E0001\u00AD\u200B\uFEFF\U00031350\U0001FAE8\u2FFC\U0001FAE9\u00A0\u0085\uE000\U000F0000\u0301\u3000\u2028" "\u0378\U00031350\u00e9" "\U00031350" }}', ["%q|%+q|%x", S("\u0378\U000E0001\u00AD\u200B\uFEFF\U00031350\U0001FAE8\u2FFC\U0001FAE9\u00A0\u0085\uE000\U000F0000\u0301\u3000\u2028"), S("\u0378\U00031350\u00e9"), S("\U00031350")]),
 ("U-unicode", '{{ printf "%#U|%#U|%#U|%#U|%#U|%#U|%q|%q|%q" 888 917505 201552 129768 12284 129769 888 201552 173 }}', ["%#U|%#U|%#U|%#U|%#U|%#U|%q|%q|%q", I(888), I(917505), I(201552), I(129768), I(12284), I(129769), I(888), I(201552), I(173)]),
 ("hq-unicode", '{{ printf "%#q|%#q|%#q" "a\uFEFFb" "\u0378" "x\x7fy" }}', ["%#q|%#q|%#q", S("a\uFEFFb"), S("\u0378"), S("x\x7fy")]),
 ("empty-fmt", '{{ printf "" }}', [""]),
 ("plain-text", '{{ printf "no verbs here" }}', ["no verbs here"]),
 ("hv-int64-str", '{{ printf "%#v %#v %#v %#v %#v" (int64 5) "q\\"" true nil -1.5 }}', ["%#v %#v %#v %#v %#v", {"i64": 5}, S("q\""), {"b": True}, "nil", F("-1.5")]),
 ("plusv", '{{ printf "%+v %+v %+v" 5 (list 1 -2) (dict "a" 1) }}', ["%+v %+v %+v", I(5), {"l": [I(1), I(-2)]}, {"m": {"a": I(1)}}]),
 ("width-float-list", '{{ printf "%6.2f" (list 1.0 2.5 "x") }}', ["%6.2f", {"l": [F("1.0"), F("2.5"), S("x")]}]),
 ("zero-pad-neg", '{{ printf "%06d|%06.2f|%-06d|%+06d|% 06d|%06x" -42 -3.14159 -42 42 42 -255 }}', ["%06d|%06.2f|%-06d|%+06d|% 06d|%06x", I(-42), F("-3.14159"), I(-42), I(42), I(42), I(-255)]),
 ("inf-nan", '{{ printf "%v %v %05f %+f %v %+v % f %5.1f|%-5v|%d" (float64 "inf") (float64 "-inf") (float64 "inf") (float64 "inf") (float64 "nan") (float64 "nan") (float64 "nan") (float64 "-inf") (float64 "nan") (float64 "nan") }}', ["%v %v %05f %+f %v %+v % f %5.1f|%-5v|%d", F("inf"), F("-inf"), F("inf"), F("inf"), F("nan"), F("nan"), F("nan"), F("-inf"), F("nan"), F("nan")]),
]
for s in special:
    add(s[0], s[1], s[2], files=(len(s) > 3))
# Sprint / Sprintln via print / println
prints = [
 ("print-1", '{{ print 1 2 "a" "b" 3 }}', [I(1), I(2), S("a"), S("b"), I(3)]),
 ("print-2", '{{ print "a" 1 2 "b" nil 2.5 }}', [S("a"), I(1), I(2), S("b"), "nil", F("2.5")]),
 ("print-3", '{{ print nil nil (list 1) (dict "a" 1) true }}', ["nil", "nil", {"l": [I(1)]}, {"m": {"a": I(1)}}, {"b": True}]),
 ("print-4", '{{ print }}', []),
 ("print-5", '{{ print .Values.big .Values.small "x" .Values.neg }}', [F("1e6"), F("0.000001"), S("x"), F("-2.5")]),
 ("print-6", '{{ print (splitList "," "a,b") "c" (.Files.GetBytes "f.txt") 1 }}', [{"sl": ["a", "b"]}, S("c"), {"bytes": [104, 105, 33]}, I(1)], "files"),
 ("println-1", '{{ println 1 2 "a" "b" 3 }}|', [I(1), I(2), S("a"), S("b"), I(3)]),
 ("println-2", '{{ println }}|', []),
 ("println-3", '{{ println nil "x" (list 1 nil) }}|', ["nil", S("x"), {"l": [I(1), "nil"]}]),
]
for p in prints:
    c = {"name": p[0], "template": p[1], "args": p[2], "func": p[0].split("-")[0]}
    if ".Values" in p[1]: c["values"] = VALUES
    if len(p) > 3: c["files"] = {"f.txt": "hi!"}
    cases.append(c)
yaml.safe_dump(cases, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "engine", "tests", "cases", "printf.in.yaml"), "w"), allow_unicode=True, sort_keys=False, width=1000)
print(len(cases))
