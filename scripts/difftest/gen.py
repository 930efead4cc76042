"""Random well-formed Go templates for Helm, plus random values and --set lines.

A program is a tree of `Node`s whose text is the concatenation of its parts;
the minimiser (minimise.py) shrinks that tree, so every node also knows its
simpler replacements (`alts`) and whether it is a sequence whose items may be
dropped (`seq`). Generation is deterministic for a given random.Random.

The grammar covers the whole template language (text, pipelines, variables
declared and assigned, range over lists/maps/ints with one or two
variables, with/else with/else, if/else if/else, define/template/block,
include, tpl, break/continue, comments, trim markers, parenthesised
commands, field chains, `$.`, literals of every kind) and calls every
deterministic Sprig/Helm function with arguments of the expected kind —
and, now and then, of a wrong kind, to compare error texts.
"""
import json
import random


class Node:
    __slots__ = ("parts", "alts", "seq", "kind")

    def __init__(self, parts, alts=None, seq=False):
        self.parts = parts      # list of str | Node
        self.alts = alts or []  # simpler replacements: list of Node | str
        self.seq = seq          # parts are items: any subset is well-formed
        self.kind = None        # a pipeline's result kind, as far as known

    def text(self):
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)


def N(*parts, alts=None):
    return Node(list(parts), alts)


def lit(s):
    return Node([s])


# ---------------------------------------------------------------- values ---

KEYS = ["a", "b", "name", "list", "m", "x", "enabled", "port", "tags", "nested", "s", "n", "f", "v1", "Empty"]
WORDS = ["foo", "bar", "Hello World", "a-b_c", "x.y", "", " sp ", "ünï", "日本", "1.2.3", "v1.2.3-rc.1",
         "true", "10", "0x1F", "a,b,c", "line1\nline2", "tab\there", "quote\"q", "back\\slash", "%d%s",
         "{{ .x }}", "CamelCase", "snake_case", "kebab-case", "UPPER", "null", "~", "https://ex.com/p?q=1",
         "/a/b/c.txt", "*.yaml", "abc123", "  lead", "trail  ", "é", "ß"]


def yaml_str(s, r):
    """A YAML scalar spelling of the string s (sometimes plain, quoted or block)."""
    plainable = s and all(c.isalnum() or c in "-_./ " for c in s) and s.strip() == s \
        and s not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n") \
        and not s[0].isdigit() and not s.startswith("-")
    k = r.random()
    if plainable and k < 0.5:
        return s
    if k < 0.8 or "\n" in s:
        return json.dumps(s, ensure_ascii=r.random() < 0.3)
    return "'" + s.replace("'", "''") + "'"


def gen_scalar(r):
    """(yaml text, kind, python value for the generator's own use)."""
    k = r.randrange(14)
    if k < 4:
        s = r.choice(WORDS)
        return yaml_str(s, r), "s", s
    if k < 7:
        n = r.choice([0, 1, 2, 3, -1, 7, 42, 100, 1000000, 12345678, 2 ** 31, -5, 65, 8080])
        return str(n), "i", n
    if k < 8:
        t = r.choice(["1.5", "0.1", "-2.25", "1e3", "3.0", "1.0e+7", "0.000001", "6.02e23", "2.5"])
        return t, "f", float(t)
    if k < 10:
        b = r.choice(["true", "false"])
        return b, "b", b == "true"
    if k < 11:
        return r.choice(["null", "~", ""]), "nil", None
    if k < 12:
        t = r.choice(["0x1F", "0o17", "017", "1_000", "+5", ".5", "0b11", "1e2", "-0", "0.0"])
        return t, "a", t
    if k < 13:
        t = r.choice(["yes", "no", "on", "off", "True", "FALSE", "Null", "NULL"])
        return t, "a", t
    if k < 13.5 and r.random() < 0.5:
        # YAML corners: timestamps, sexagesimal, special floats, big numbers,
        # flow collections, tags, escapes.
        t = r.choice(["2024-01-01", "2024-01-01T10:00:00Z", "1:20", ".inf", "-.inf", ".nan", "0777", "1e400",
                      "12345678901234567890", "-9223372036854775808", "[1, two, {a: b}]", "{a: 1, b: [x, y]}",
                      "!!str 123", "!!float 1", "!!binary aGk=", '"\\u00e9\\t\\x41"', "'it''s'", "a: b",
                      "'#not comment'", "x #comment", "0.1e1", "1.", "+.5", "0x_1F", "1_0", "-0.0", "=", "<<",
                      "?", "'multi\n  line'", "\"\"", "~", "[]", "{}", "[~, null, '']", "1e-400", "0o", "0b"])
        return t, "a", t
    t = r.choice(['"123"', "'true'", '"0x10"', '""', '" "', '"1.5"'])
    return t, "s", json.loads(t.replace("'", '"'))


class VNode:
    """A values.yaml tree: map (list of (key, VNode)), list, or scalar text."""
    __slots__ = ("kind", "items", "text", "val")

    def __init__(self, kind, items=None, text=None, val=None):
        self.kind, self.items, self.text, self.val = kind, items, text, val

    def emit(self, indent=0, out=None):
        out = [] if out is None else out
        pad = "  " * indent
        if self.kind == "m":
            for k, v in self.items:
                if v.kind == "m" and v.items:
                    out.append(f"{pad}{k}:\n")
                    v.emit(indent + 1, out)
                elif v.kind == "l" and v.items:
                    out.append(f"{pad}{k}:\n")
                    v.emit(indent, out)
                elif v.kind in ("m", "l"):
                    out.append(f"{pad}{k}: {'{}' if v.kind == 'm' else '[]'}\n")
                else:
                    out.append(f"{pad}{k}: {v.text}\n")
        elif self.kind == "l":
            for v in self.items:
                if v.kind == "m" and v.items:
                    sub = v.emit(indent + 1, [])
                    first = sub[0].lstrip(" ")
                    out.append(f"{pad}- {first}")
                    out.extend(sub[1:])
                elif v.kind in ("m", "l"):
                    out.append(f"{pad}- {'{}' if v.kind == 'm' else '[]'}\n")
                else:
                    out.append(f"{pad}- {v.text}\n")
        return out


def gen_values(r, depth=0):
    n = r.randrange(2, 7) if depth == 0 else r.randrange(0, 5)
    items, seen = [], set()
    for _ in range(n):
        k = r.choice(KEYS)
        if k in seen:
            continue
        seen.add(k)
        items.append((k, gen_vvalue(r, depth + 1)))
    return VNode("m", items)


def gen_vvalue(r, depth):
    k = r.random()
    if depth < 3 and k < 0.25:
        return gen_values(r, depth)
    if depth < 3 and k < 0.4:
        return VNode("l", [gen_vvalue(r, depth + 2) for _ in range(r.randrange(0, 4))])
    t, kind, val = gen_scalar(r)
    return VNode(kind, text=t, val=val)


def value_paths(v, prefix=()):
    """(path, kind) for every node under the values tree."""
    out = []
    if v.kind == "m":
        for k, c in v.items:
            out.append((prefix + (k,), c.kind))
            out.extend(value_paths(c, prefix + (k,)))
    return out


SET_VALUES = ["1", "0", "-3", "true", "false", "null", "x", "a b", "1.5", "0x10", "007", "", "{a,b}",
              "{}", "é", "1e3", "9223372036854775807", "9223372036854775808", "NaN", "text=more"]


def gen_set(r):
    """A --set line (strvals syntax), sometimes malformed."""
    parts = []
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        key = r.choice(KEYS)
        for _ in range(r.choice([0, 0, 1, 2])):
            key += r.choice([".", "."]) + r.choice(KEYS)
        if r.random() < 0.2:
            key += f"[{r.choice([0, 1, 2, 0])}]"
            if r.random() < 0.4:
                key += "." + r.choice(KEYS)
        if r.random() < 0.05:
            key = key.replace(".", "\\.", 1)
        val = r.choice(SET_VALUES)
        if r.random() < 0.1:
            val = val.replace(",", "\\,") + "\\,z"
        parts.append(f"{key}={val}")
    s = ",".join(parts)
    k = r.random()
    if k < 0.03:
        s = s.replace("=", "", 1)
    elif k < 0.05:
        s += "["
    elif k < 0.12:
        s = r.choice(["a[x]=1", ".a=1", "a..b=1", "a[-1]=1", "a[70000]=1", "a[1]=x,a[0]=y", "a=1,a.b=2",
                      "a.b=1,a=2", "a[0].b=1,a[0].c=2", "a=[1,2]", "name=a\\b", "x=  sp  ", "=1", "a=b=c",
                      "a\\.b.c=1", "a[0][1]=2", "a.b[0]=1,a.b[2]=3", "a={1,2},b={}", "long.key.path.deep=1e5",
                      "a=0o17", "a=+1", "a=-0", "a=1_000", "a=true,b=FALSE,c=Null"])
    return s


# -------------------------------------------------------------- template ---

TEXTS = ["", " ", "\n", "x", "\r\n", " \r\n ", "a\rb", "a b", "\n\n", "  ", "\t", "-", "é", "日本", "}", "{ {x", "{x}", "%", "\\n", "key: ",
         "\n  - ", "<&>", "'\"", "line\n", " \n ", "}}", "#"]

# kinds: s i f b l m a(any) n(nil)
STR_LITS = ['"foo"', '"Hello World"', '""', '"a,b,c"', '"x\\ny"', '"\\t"', '"\\x41\\u00e9\\U0001F600"', '"\\101\\""',
            '`raw\\n`', '`a b`', '""', '"ünï"', '"日本"', '"a-b_c"', '"%d"', '"1.2.3"', '"v2.0.0"', '"  pad  "',
            '"abc"', '"-"', '"FooBar"', '"foo_bar"', '"x.y.z"', '"true"', '"42"', '"3.5"', '"0x1F"', '"null"',
            '"\\a\\b\\f\\v"', '"\\\\"', '"a\\"b"', '"ß"', '"é"', '"<tag>"', '"a&b"', '"/a/b/c.txt"']
INT_LITS = ["0", "1", "2", "3", "5", "-1", "-7", "10", "42", "100", "0x1F", "0X1f", "0o17", "017", "0b101", "1_000",
            "'a'", "'\\n'", "'\\x41'", "'\\u00e9'", "'\\''", "9223372036854775807", "-9223372036854775808", "255",
            "+3", "0", "9223372036854775808", "18446744073709551615", "0xFFFFFFFFFFFFFFFF", "-0x10", "0X_1F",
            "0b_1010", "0o_17", "'\\\\'", "'\\t'", "'日'", "'\\U0001F600'", "0x1.8p1"]
FLOAT_LITS = ["1.5", "0.5", "-2.25", "1e3", "1.0", "0.1", "2.5", "3.0", ".5", "1e-7", "1E2", "0x1p-2", "6.02e23",
              "1_0.5", "-0.0", "100.0", "1.23456789", "1e21", "1e20", "1e100", "-1e-100", "0.1e-10", "1000000.0",
              "123456789.0", "0.000001", "1e6", "5e-324", "1.7976931348623157e308", "100000000000000000000.0"]
FMTS = ['"%v"', '"%d"', '"%s"', '"%q"', '"%x"', '"%X"', '"%5d"', '"%-5s|"', '"%05.2f"', '"%f"', '"%e"', '"%g"',
        '"%t"', '"%c"', '"%U"', '"%o"', '"%b"', '"%%"', '"%v %v"', '"%s-%d"', '"%+d"', '"%#v"', '"%8.3f"', '"%.2s"',
        '"%!"', '"%[1]v"', '"%[2]v %[1]v"', '"%*d"', '"%x %X"', '"% x"', '"%#x"', '"%+q"', '"%#q"', '"%T"', '"%z"',
        '"%.0f"', '"%10.4v"', '"%-8v|"', '"%08b"', '"%e"', '"%G"', '"%.3e"', '"%#o"', '"%O"']
REGEXES = ['"a+"', '"[a-z]+"', '"^f"', '"o$"', '"(\\\\w+)"', '"\\\\d"', '"x*"', '"."', '"[,.]"', '"(a)(b)?"', '""',
           '"(?i)FOO"', '"[^a]"', '"a|b"', '"\\\\s+"', '"(["', '"a{2}"', '"\\\\b"', '"(?P<n>o)"']
VERSIONS = ['"1.2.3"', '"v1.0.0"', '"2.0.0-rc.1"', '"1.2"', '"0.0.1+build"', '"x.y"', '"10.20.30"', '"1.2.3-alpha"']
CONSTRAINTS = ['">=1.0.0"', '"~1.2"', '"^1.2.0"', '"<2.0.0"', '"1.x"', '">1.0, <3.0"', '"=1.2.3"', '"!=1.2.3"',
               '">=1.0.0-0"', '"1.2.3 - 2.0.0"', '"||"', '"~> 1"', '"*"']
JSON_TEXTS = ['"{\\"a\\":1}"', '"[1,2]"', '"null"', '"{\\"x\\":{\\"y\\":[true,null,1.5]}}"', '"\\"s\\""', '"bad"',
              '"{}"', '"[]"', '"12345678901"', '"{\\"a\\":1e3}"']
YAML_TEXTS = ['"a: 1"', '"- x\\n- y"', '"a: {b: [1, 2]}"', '"x"', '"[1, 2"', '""', '"a: 1\\nb: two"', '"k: 0x10"',
              '"k: 1.0"', '"k: null"', '"k: yes"', '"- a: 1"', '"a: !!str 1"']
TOML_TEXTS = ['"a = 1"', '"[t]\\nx = \\"y\\""', '"a = [1, 2]"', '"bad ="', '"b = true\\nf = 1.5"']
TYPES = ['"string"', '"int"', '"float64"', '"bool"', '"[]interface {}"', '"map[string]interface {}"', '"int64"']
KINDS = ['"string"', '"int"', '"float64"', '"bool"', '"slice"', '"map"', '"invalid"', '"int64"', '"ptr"']
PATHS = ['"/a/b/c.txt"', '"a/b/"', '"../x/./y"', '"c.tar.gz"', '""', '"/"', '"a//b"', '"C:\\\\x"', '"."']
DURS = ['"1h2m3s"', '"90s"', '"1.5h"', '"bad"', '"-3m"', '"300ms"', '"2h"', "3600", "61", '"1d"']
DATE_FMTS = ['"2006-01-02"', '"Jan 2, 2006 at 3:04pm (MST)"', '"15:04:05"', '"Mon Jan _2"', '"2006-01-02T15:04:05Z07:00"',
             '"02/01/06 .000"']
EPOCHS = ["0", "1700000000", "86399", "951782400", "-1", "1234567890"]
DATE_STRS = ['"2024-03-05"', '"1999-12-31"', '"2024-02-30"', '"bad"']


# Calls whose result is random, clock-dependent or an object, made
# deterministic (a length, a round trip, a formatted fixed date): used as
# operands of their result kind.
SNIPPETS = {
    "i": ["(len (randAlpha 5))", "(len (randAlphaNum 3))", "(len (randAscii 4))", "(len (randNumeric 2))",
          "(len (randBytes 3))", "(len uuidv4)", "(len (shuffle \"abcd\"))",
          "(unixEpoch (toDate \"2006-01-02\" \"2024-03-05\"))", "(len (now | date \"2006\"))",
          "(semver \"1.2.3\").Major", "(semver \"v2.10.0-rc.1\").Minor", "(len (.Files.Glob \"files/*\"))",
          "(randInt 3 4)", "(len (keys .Values))"],
    "s": ["(toDate \"2006-01-02\" \"2024-03-05\" | date \"Jan 2 2006\")",
          "(mustToDate \"2006-01-02 15:04\" \"2024-03-05 10:30\" | date \"15:04\")",
          "(dateModify \"1h30m\" (toDate \"2006-01-02\" \"2024-03-05\") | date \"2006-01-02 15:04\")",
          "(date_modify \"-24h\" (toDate \"2006-01-02\" \"2024-03-05\") | date \"2006-01-02\")",
          "(decryptAES \"key\" (encryptAES \"key\" \"secret text\"))", "(.Files.Get \"files/a.txt\")",
          "(.Files.Get \"files/missing\")", "(.Files.AsConfig | toString)", "(.Files.Glob \"files/*.yaml\").AsSecrets",
          "((semver \"1.2.3-rc.1+b\").Prerelease)", "(urlJoin (dict \"scheme\" \"https\" \"host\" \"h:8\" \"path\" \"/p q\" \"query\" \"a=1\"))",
          "(mustDateModify \"90m\" (toDate \"2006-01-02\" \"2024-03-05\") | date \"15:04\")",
          "(must_date_modify \"-1h\" (toDate \"2006-01-02\" \"2024-03-05\") | date \"15:04\")", "(ago now)",
          "(buildCustomCert (b64enc \"x\") (b64enc \"y\") | toString)",
          "(join \",\" (keys (dict \"b\" 1 \"a\" 2) | sortAlpha))", "(toString (values (dict \"b\" 1 \"a\" 2) | sortAlpha))"],
    "l": ["(keys .Values | sortAlpha)", "(values (dict \"x\" \"1\" \"y\" \"2\") | sortAlpha)", "(.Files.Lines \"files/a.txt\")",
          "(keys (dict \"k\" 1))"],
    "m": ["(urlParse \"https://u:p@h.io:8/p/a?q=1&r=x#frag\")", "(urlParse \"rel/path\")", "(.Files.Glob \"files/*\")",
          "(fromYaml (.Files.Get \"files/b.yaml\"))", "(fromJson (.Files.Get \"files/c.json\"))"],
    "b": ["(lt (randInt 1 5) 5)", "(semverCompare \">=1.20\" .Capabilities.KubeVersion.Version)",
          "(empty (lookup \"v1\" \"Pod\" \"ns\" \"n\"))", "(.Capabilities.APIVersions.Has \"v1\")",
          "(.Files.Glob \"files/*\" | empty)"],
}

# Slow in both (bcrypt cost 10, scrypt N=32768, key generation): rare.
SLOW = ["(len (bcrypt \"x\"))", "(len (genPrivateKey \"ed25519\"))", "(len (genPrivateKey \"ecdsa\"))",
        "(len (htpasswd \"u\" \"p\"))", "(len (derivePassword 1 \"long\" \"pw\" \"user\" \"example.com\"))"]
SLOW_B = ["(hasPrefix \"-----BEGIN CERTIFICATE-----\" (genCA \"x\" 1).Cert)",
          "(hasPrefix \"-----BEGIN\" (genSelfSignedCert \"cn\" nil (list \"a.b\") 1).Key)",
          "(hasSuffix \"-----\\n\" (genSelfSignedCertWithKey \"cn\" (list \"1.2.3.4\") nil 1 (genPrivateKey \"ecdsa\")).Cert)",
          "(empty (genCAWithKey \"x\" 1 (genPrivateKey \"ed25519\")).Key)",
          "(empty (genSignedCert \"cn\" nil nil 1 (genCA \"x\" 1)).Key)",
          "(contains \"PRIVATE\" (genSignedCertWithKey \"cn\" nil nil 1 (genCA \"x\" 1) (genPrivateKey \"ecdsa\")).Key)"]


class Ctx:
    def __init__(self, r, values_paths, pid):
        self.r = r
        self.paths = values_paths
        self.pid = pid
        self.vars = [("$", "m")]     # variables in scope (name, kind)
        self.dot = "m"               # kind of dot (top: the root map)
        self.dot_root = True
        self.in_range = False
        self.defines = []            # names defined so far (callable without recursion)
        self.nvar = 0
        self.budget = 60             # nodes left

    def spend(self, n=1):
        self.budget -= n
        return self.budget > 0


def pick(r, xs):
    return xs[r.randrange(len(xs))]


# Function signatures: name -> list of (arg kinds, result kind). Kinds: s i f b l m a;
# special argument kinds generate from a literal pool: F(printf format) R(regex) V(version)
# C(constraint) J(json) Y(yaml) T(toml) P(path) D(duration) DF(date format) E(epoch) DS(date string)
# TY(type name) KI(kind name) K(key string) SMALL(small int) LS(list of strings) REP(small count)
SIGS = {
    # strings
    "upper": [("s", "s")], "lower": [("s", "s")], "title": [("s", "s")], "untitle": [("s", "s")],
    "trim": [("s", "s")], "trimAll": [("s s", "s")], "trimall": [("s s", "s")], "trimPrefix": [("s s", "s")],
    "trimSuffix": [("s s", "s")], "nospace": [("s", "s")], "repeat": [("REP s", "s")], "substr": [("SMALL SMALL s", "s")],
    "trunc": [("SMALL s", "s")], "abbrev": [("SMALL s", "s")], "abbrevboth": [("SMALL SMALL s", "s")],
    "initials": [("s", "s")], "wrap": [("SMALL s", "s")], "wrapWith": [("SMALL s s", "s")], "contains": [("s s", "b")],
    "hasPrefix": [("s s", "b")], "hasSuffix": [("s s", "b")], "quote": [("a", "s"), ("a a", "s")],
    "squote": [("a", "s"), ("a a", "s")], "cat": [("a a", "s"), ("a", "s"), ("a a a", "s")], "indent": [("SMALL s", "s")],
    "nindent": [("SMALL s", "s")], "replace": [("s s s", "s")], "plural": [("s s i", "s")], "snakecase": [("s", "s")],
    "camelcase": [("s", "s")], "kebabcase": [("s", "s")], "swapcase": [("s", "s")], "shuffle": [],
    "toString": [("a", "s")], "toStrings": [("l", "l")], "join": [("s l", "s")], "split": [("s s", "m")],
    "splitList": [("s s", "l")], "splitn": [("s SMALL s", "m")], "sortAlpha": [("l", "l")], "trimall ": [],
    "b64enc": [("s", "s")], "b64dec": [("s", "s")], "b32enc": [("s", "s")], "b32dec": [("s", "s")],
    "sha1sum": [("s", "s")], "sha256sum": [("s", "s")], "sha512sum": [("s", "s")], "adler32sum": [("s", "s")],
    "html": [("a", "s")], "js": [("a", "s")], "urlquery": [("a", "s")], "print": [("a", "s"), ("a a", "s"), ("", "s")],
    "println": [("a", "s"), ("a a", "s")], "printf": [("F", "s"), ("F a", "s"), ("F a a", "s")],
    "regexMatch": [("R s", "b")], "regexFind": [("R s", "s")], "regexFindAll": [("R s SMALL", "l")],
    "regexReplaceAll": [("R s s", "s")], "regexReplaceAllLiteral": [("R s s", "s")], "regexSplit": [("R s SMALL", "l")],
    "regexQuoteMeta": [("s", "s")], "mustRegexMatch": [("R s", "b")], "mustRegexFind": [("R s", "s")],
    "mustRegexFindAll": [("R s SMALL", "l")], "mustRegexReplaceAll": [("R s s", "s")],
    "mustRegexReplaceAllLiteral": [("R s s", "s")], "mustRegexSplit": [("R s SMALL", "l")],
    "base": [("P", "s")], "dir": [("P", "s")], "clean": [("P", "s")], "ext": [("P", "s")], "isAbs": [("P", "b")],
    "osBase": [("P", "s")], "osDir": [("P", "s")], "osClean": [("P", "s")], "osExt": [("P", "s")],
    "osIsAbs": [("P", "b")], "semver": [], "semverCompare": [("C V", "b")],
    "urlParse": [], "urlJoin": [],
    # numbers
    "add": [("n n", "i"), ("n n n", "i")], "add1": [("n", "i")], "sub": [("n n", "i")], "mul": [("n n", "i")],
    "div": [("n n", "i")], "mod": [("n n", "i")], "max": [("n n", "i"), ("n n n", "i")], "min": [("n n", "i")],
    "addf": [("n n", "f")], "add1f": [("n", "f")], "subf": [("n n", "f")], "mulf": [("n n", "f")],
    "divf": [("n n", "f")], "maxf": [("n n", "f")], "minf": [("n n", "f")], "floor": [("n", "f")],
    "ceil": [("n", "f")], "round": [("n SMALL", "f")], "int": [("a", "i")], "int64": [("a", "i")],
    "float64": [("a", "f")], "atoi": [("s", "i")], "toDecimal": [("a", "i")], "until": [("SMALL", "l")],
    "untilStep": [("SMALL SMALL SMALL", "l")], "seq": [("SMALL", "s"), ("SMALL SMALL", "s"), ("SMALL SMALL SMALL", "s")],
    "biggest": [("n n", "i")],
    # logic / compare
    "eq": [("EQ EQ", "b"), ("EQ EQ EQ", "b")], "ne": [("EQ EQ", "b")], "lt": [("CMP CMP", "b")],
    "le": [("CMP CMP", "b")], "gt": [("CMP CMP", "b")], "ge": [("CMP CMP", "b")], "and": [("a a", "a"), ("a", "a"), ("a a a", "a")],
    "or": [("a a", "a"), ("a a a", "a")], "not": [("a", "b")], "empty": [("a", "b")], "default": [("a a", "a")],
    "coalesce": [("a a", "a"), ("a a a", "a")], "ternary": [("a a b", "a")], "all": [("a a", "b")],
    "any": [("a a", "b")], "deepEqual": [("a a", "b")], "kindOf": [("a", "s")], "kindIs": [("KI a", "b")],
    "typeOf": [("a", "s")], "typeIs": [("TY a", "b")], "typeIsLike": [("TY a", "b")], "len": [("LEN", "i")],
    "index": [("l SMALL", "a"), ("m K", "a"), ("s SMALL", "i")], "slice": [("l SMALL", "l"), ("s SMALL SMALL", "s"), ("l", "l")],
    "fail": [("s", "s")], "required": [("s a", "a")],
    # lists
    "list": [("", "l"), ("a", "l"), ("a a", "l"), ("a a a", "l")], "tuple": [("a a", "l")],
    "first": [("l", "a")], "last": [("l", "a")], "rest": [("l", "l")], "initial": [("l", "l")],
    "append": [("l a", "l")], "push": [("l a", "l")], "prepend": [("l a", "l")], "concat": [("l l", "l")],
    "reverse": [("l", "l")], "uniq": [("l", "l")], "without": [("l a", "l")], "has": [("a l", "b")],
    "compact": [("l", "l")], "chunk": [("SMALL l", "l")], "mustFirst": [("l", "a")], "mustLast": [("l", "a")],
    "mustRest": [("l", "l")], "mustInitial": [("l", "l")], "mustAppend": [("l a", "l")], "mustPush": [("l a", "l")],
    "mustPrepend": [("l a", "l")], "mustReverse": [("l", "l")], "mustUniq": [("l", "l")],
    "mustWithout": [("l a", "l")], "mustHas": [("a l", "b")], "mustCompact": [("l", "l")], "mustSlice": [("l SMALL", "l")],
    "mustChunk": [("SMALL l", "l")],
    # dicts
    "dict": [("", "m"), ("K a", "m"), ("K a K a", "m"), ("K", "m")], "get": [("m K", "a")], "set": [("FRESH K a", "m")],
    "unset": [("FRESH K", "m")], "hasKey": [("m K", "b")], "pluck": [("K m m", "l")],
    "pick": [("m K", "m")], "omit": [("m K", "m")], "merge": [("FRESH m", "m")],
    "mergeOverwrite": [("FRESH m", "m")], "mustMerge": [("FRESH m", "m")], "mustMergeOverwrite": [("FRESH m", "m")],
    "deepCopy": [("a", "a")], "mustDeepCopy": [("a", "a")], "dig": [("K a m", "a"), ("K K a m", "a")],
    # encoding
    "toJson": [("a", "s")], "mustToJson": [("a", "s")], "toPrettyJson": [("a", "s")], "toRawJson": [("a", "s")],
    "mustToPrettyJson": [("a", "s")], "mustToRawJson": [("a", "s")], "fromJson": [("J", "m")],
    "mustFromJson": [("J", "m")], "fromJsonArray": [("J", "l")], "toYaml": [("a", "s")], "mustToYaml": [("a", "s")],
    "toYamlPretty": [("a", "s")], "fromYaml": [("Y", "m")], "fromYamlArray": [("Y", "l")], "toToml": [("a", "s")],
    "mustToToml": [("a", "s")], "fromToml": [("T", "m")],
    # dates (deterministic inputs only)
    "date": [("DF E", "s")], "dateInZone": [("DF E s", "s")], "date_in_zone": [("DF E s", "s")],
    "htmlDate": [("E", "s")], "htmlDateInZone": [("E s", "s")], "duration": [("D", "s")], "durationRound": [("D", "s")],
    # crypto (deterministic)
    "derivePassword": [],
    # misc
    "hello": [("", "s")], "lookup": [("s s s s", "m")], "getHostByName": [("s", "s")], "urlquery ": [],
}
SIGS = {k.strip(): v for k, v in SIGS.items() if v}
FUNCS = sorted(SIGS)
BY_RESULT = {}
for _f, _sigs in SIGS.items():
    for _a, _res in _sigs:
        BY_RESULT.setdefault(_res, []).append((_f, _a.split()))
# Functions whose last argument comes naturally from a pipe.
# (Not when the piped value would be a count: `12345678 | until`.)
PIPEABLE = [(f, a, res) for f, sigs in SIGS.items() for a, res in sigs for a in [a.split()]
            if a and a[-1] not in ("SMALL", "REP", "E")]
PIPE_BY_KIND = {}
for _f, _a, _res in PIPEABLE:
    _k = {"n": "i", "LEN": "s", "CMP": "i", "EQ": "a"}.get(_a[-1], _a[-1])
    PIPE_BY_KIND.setdefault(_k, []).append((_f, _a, _res))

# Literals that make a call fail: only in noisy programs.
# The destination of set/unset/merge*: a new dict of scalars, never a map
# the values share: Helm renders a batch's templates over one values map,
# so a mutation would leak into the next program (and a map merged into
# itself makes Go's printer overflow its stack, which kills the oracle).
FRESH = ['(dict)', '(dict "a" 1)', '(dict "k" "v" "b" 2)', '(dict "name" "x" "x" 1.5)', '(dict "a" true)']
BAD = {'"{{ include \\"nope\\" . }}"', '"{{"', '"(["', '"bad"', '"[1, 2"', '"bad ="', '"1d"', '"2024-02-30"', '"||"', '"x.y"', '"~> 1"'}
SPECIAL = {"F": FMTS, "R": REGEXES, "V": VERSIONS, "C": CONSTRAINTS, "J": JSON_TEXTS, "Y": YAML_TEXTS,
           "T": TOML_TEXTS, "P": PATHS, "D": DURS, "DF": DATE_FMTS, "E": EPOCHS, "DS": DATE_STRS, "TY": TYPES,
           "KI": KINDS, "FRESH": FRESH}


class Gen:
    def __init__(self, r, values, pid):
        self.r = r
        self.values = values
        self.paths = value_paths(values)
        self.pid = pid
        self.c = Ctx(r, self.paths, pid)
        # Most programs are "clean" (arguments of the expected kind, valid
        # regexes/JSON/durations, existing templates), so they run deep
        # instead of stopping at their first error; the rest are noisy.
        self.clean = r.random() < 0.75

    def pool(self, xs):
        if self.clean:
            ys = [x for x in xs if x not in BAD]
            return ys or xs
        return xs

    # -- expressions ----------------------------------------------------
    def literal(self, kind):
        r = self.r
        if kind == "s":
            return lit(pick(r, STR_LITS))
        if kind == "i":
            return lit(pick(r, INT_LITS))
        if kind == "f":
            return lit(pick(r, FLOAT_LITS))
        if kind == "b":
            return lit(pick(r, ["true", "false"]))
        if kind == "nil":
            return lit("nil")
        if kind in ("SMALL", "REP"):
            return lit(str(r.choice([0, 1, 2, 3, 4, -1] if kind == "SMALL" else [0, 1, 2, 3])))
        if kind == "K":
            return lit(pick(r, ['"a"', '"b"', '"name"', '"x"', '"list"', '"m"', '""', '"nested"', '"k"']))
        if kind in SPECIAL:
            return lit(pick(r, self.pool(SPECIAL[kind])))
        if kind == "n":
            return self.literal(r.choice(["i", "i", "f"]))
        if kind == "l":
            return N("(list ", self.literal("s"), " ", self.literal("i"), ")", alts=['(list)'])
        if kind == "m":
            return N("(dict ", self.literal("K"), " ", self.literal("i"), ")", alts=['(dict)'])
        return self.literal(r.choice(["s", "i", "f", "b", "s", "nil"]))

    def field(self, want):
        """A reference into values (or a root object field) of roughly the wanted kind."""
        r = self.r
        c = self.c
        cands = [p for p, k in self.paths if want in ("a", k) or (want == "n" and k in ("i", "f"))]
        if r.random() < 0.1 and not self.clean:
            cands = [p for p, k in self.paths]  # any kind: runtime type errors are fine too
        k = r.random()
        if k < 0.08:
            return lit(pick(r, [".Release.Name", ".Release.Namespace", ".Chart.Name", ".Chart.Version",
                                ".Template.Name", ".Template.BasePath", ".Release.Service", ".Release.IsInstall",
                                ".Release.Revision", ".Capabilities.KubeVersion.Version",
                                ".Capabilities.KubeVersion.Major", ".Chart.AppVersion", ".Values.missing.deep",
                                "$.Values.missing", ".Release.IsUpgrade", "(.Files.Get \"files/a.txt\")",
                                ".Capabilities.HelmVersion.Version"]))
        if not cands:
            return self.literal(want if want not in ("a",) else "s")
        p = pick(r, cands)
        if r.random() < 0.05 and not self.clean:
            p = p + (pick(r, KEYS),)  # maybe missing
        chain = "".join("." + seg if seg.isidentifier() else "" for seg in p)
        if any(not seg.isidentifier() for seg in p):
            args = " ".join(json.dumps(seg) for seg in p)
            return N(f"(index .Values {args})", alts=[".Values"])
        base = "$.Values" if (not c.dot_root or r.random() < 0.2) else ".Values"
        return N(base + chain, alts=[base])

    def var_ref(self, want):
        r = self.r
        cands = [n for n, k in self.c.vars if want in ("a", k) or (k == "a" and not self.clean)]
        if not cands:
            return None
        v = pick(r, cands)
        if v == "$":
            return lit("$.Values")
        return lit(v)

    def expr(self, want, depth=0):
        """An operand (no pipes at top level unless parenthesised)."""
        r = self.r
        c = self.c
        c.spend()
        if want in ("SMALL", "REP", "E"):
            # Counts and widths stay literal and small: repeat/seq/until/indent
            # with a value's 12345678 would allocate gigabytes (resource
            # limits are another piece of work, see the hostile tests).
            return self.literal(want)
        if want in SPECIAL or want == "K":
            if r.random() < 0.9 or depth > 2:
                return self.literal(want)
            want = "s"
        if r.random() < 0.04 and not self.clean:  # a wrong kind on purpose
            want = r.choice(["s", "i", "f", "b", "l", "m", "nil"])
        k = r.random()
        if depth > 3 or c.budget < 0 or k < 0.30:
            return self.literal(want)
        if k < 0.45:
            return self.field(want)
        if k < 0.52:
            v = self.var_ref(want)
            if v is not None:
                return v
            return self.literal(want)
        if k < 0.54 and want in SNIPPETS:
            if want in ("i", "b") and r.random() < 0.01:
                return lit(pick(r, SLOW if want == "i" else SLOW_B))
            return lit(pick(r, SNIPPETS[want]))
        if k < 0.56 and want in ("a", "m"):
            # Not the root (`$`, or `.` where it is the root): it holds
            # .Capabilities, a pointer, which %v prints as an address.
            return lit(pick(r, ([] if self.c.dot_root else ["."]) + [".Values", "$.Values", ".Chart", ".Release"]))
        if k < 0.62:
            inner = self.pipeline(want, depth + 1)
            return N("(", inner, ")", alts=[self.literal(want)])
        call = self.call(want, depth)
        if depth == 0 or len(call.parts) == 1 and call.parts[0] in ("list", "dict", "hello"):
            return call
        # An argument that is a call with arguments needs parentheses.
        return N("(", call, ")", alts=call.alts)

    def call(self, want, depth, piped=False):
        r = self.r
        pool = BY_RESULT.get(want) or []
        if want == "a":
            pool = [x for xs in BY_RESULT.values() for x in xs]
        elif want == "n":
            pool = BY_RESULT["i"] + BY_RESULT["f"]
        if not pool:
            return self.literal(want)
        fname, args = pick(r, pool)
        if piped and not args:
            fname, args = "quote", ["a"]
        parts = [fname]
        argnodes = []
        use = args[:-1] if piped else args
        # Comparisons get operands of one basic kind (in clean programs).
        same = {"CMP": r.choice(["i", "s", "f"]), "EQ": r.choice(["i", "s", "f", "b", "nil", "i", "s"]),
                "LEN": r.choice(["s", "l", "m"])}
        for a in use:
            kind = a
            if a in same:
                kind = same[a] if self.clean else r.choice(["a", same[a]])
            an = self.expr(kind, max(depth, 0) + 1)
            argnodes.append(an)
            parts += [" ", an]
        alts = [self.literal(want)] + [x for x in argnodes]
        return Node(parts, alts)

    def pipeline(self, want="a", depth=0):
        r = self.r
        kind = r.choice(["a", "s", "s", "i", "l", "m", "b"]) if r.random() < 0.5 else want
        # The first command may be a bare call: `upper "x" | quote`.
        first = self.call(kind, depth + 1) if r.random() < 0.4 and depth < 4 else self.expr(kind, depth)
        if kind == "a" and isinstance(first, Node) and first.text() == "nil" and self.clean:
            first = self.literal("s")
        parts = [first]
        nstages = r.choice([0, 0, 0, 1, 1, 2]) if depth < 3 else 0
        for _ in range(nstages):
            # A stage whose last parameter takes what the pipe carries.
            fits = PIPE_BY_KIND.get(kind, []) + PIPE_BY_KIND["a"]
            if kind == "a" and self.clean:
                fits = PIPE_BY_KIND["a"]
            elif not self.clean or not fits:
                fits = PIPEABLE
            fname, args, res = pick(r, fits)
            stage_parts = [fname]
            for a in args[:-1]:
                a = {"CMP": "i", "EQ": "a", "LEN": "s"}.get(a, a)
                stage_parts += [" ", self.expr(a, depth + 2)]
            sep = r.choice([" | ", "|", " |\n "])
            parts.append(Node([sep] + stage_parts, alts=[""]))
            kind = res
        node = Node(parts, alts=[first])
        node.kind = kind
        return node

    # -- actions --------------------------------------------------------
    def open(self):
        return "{{- " if self.r.random() < 0.2 else ("{{" if self.r.random() < 0.3 else "{{ ")

    def close(self):
        return " -}}" if self.r.random() < 0.2 else ("}}" if self.r.random() < 0.3 else " }}")

    def action(self, inner):
        o, cl = self.open(), self.close()
        if o == "{{" and inner.text().startswith("-"):
            o = "{{ "
        return N(o, inner, cl)

    def text(self):
        return lit(pick(self.r, TEXTS))

    def newvar(self, kind):
        self.c.nvar += 1
        name = f"${self.r.choice(['x', 'v', 'i', 'k', 'item', 'ok', '_'])}{self.c.nvar}"
        self.c.vars.append((name, kind))
        return name

    def body(self, depth, n=None):
        r = self.r
        n = n if n is not None else r.randrange(1, 5)
        items = []
        nv = len(self.c.vars)
        for _ in range(n):
            if self.c.budget < 0:
                break
            items.append(self.item(depth))
        del self.c.vars[nv:]   # variables end with their block
        return Node(items, seq=True)

    def item(self, depth):
        r = self.r
        c = self.c
        k = r.random()
        if k < 0.22:
            return self.text()
        if k < 0.45:
            return self.action(self.pipeline("a"))
        if k < 0.52:
            kind = r.choice(["s", "i", "l", "m", "a", "b"])
            p = self.pipeline(kind)
            name = self.newvar(kind)
            return self.action(N(f"{name} := ", p))
        if k < 0.55 and len(c.vars) > 1:
            name, _ = pick(r, c.vars[1:])
            return self.action(N(f"{name} = ", self.pipeline("a")))
        if k < 0.57:
            c = pick(r, ["/* c */", "/*\nmulti\n*/", "/**/"])
            return pick(r, [lit("{{" + c + "}}"), lit("{{- " + c + " -}}"), lit("{{- " + c + "}}"), lit("{{" + c + " -}}")])
        if depth > 2 or c.budget < 10:
            return self.action(self.pipeline("s"))
        if k < 0.67:
            return self.if_(depth)
        if k < 0.74:
            return self.with_(depth)
        if k < 0.84:
            return self.range_(depth)
        if k < 0.87 and c.in_range:
            return self.action(lit(r.choice(["break", "continue"])))
        if k < 0.93 and c.defines:
            return self.call_define()
        if k < 0.96:
            return self.tpl_()
        return self.action(self.pipeline("s"))

    def cond(self):
        r = self.r
        kind = r.choice(["b", "b", "a", "s", "i", "l", "m"])
        return self.pipeline(kind)

    def if_(self, depth):
        r = self.r
        parts = [self.action(N("if ", self.cond())), self.body(depth + 1)]
        elses = []
        for _ in range(r.choice([0, 0, 1, 2])):
            e = N(self.action(N("else if ", self.cond())), self.body(depth + 1))
            parts.append(e)
            elses.append(e)
        if r.random() < 0.5:
            e = N(self.action(lit("else")), self.body(depth + 1))
            parts.append(e)
        parts.append(self.action(lit("end")))
        node = Node(parts)
        node.alts = [parts[1]]
        return node

    def scoped(self, dot_kind, fn):
        c = self.c
        old = (c.dot, c.dot_root)
        c.dot, c.dot_root = dot_kind, False
        try:
            return fn()
        finally:
            c.dot, c.dot_root = old

    def with_(self, depth):
        r = self.r
        kind = r.choice(["m", "s", "a", "l"])
        nv = len(self.c.vars)
        head = self.pipeline(kind)
        if r.random() < 0.3:
            head = N(self.newvar(kind) + " := ", head)
        b = self.scoped(kind, lambda: self.body(depth + 1))
        del self.c.vars[nv:]
        parts = [self.action(N("with ", head)), b]
        if r.random() < 0.3:
            parts.append(N(self.action(N("else with ", self.pipeline("a"))), self.scoped("a", lambda: self.body(depth + 1))))
        if r.random() < 0.4:
            parts.append(N(self.action(lit("else")), self.body(depth + 1)))
        parts.append(self.action(lit("end")))
        node = Node(parts)
        node.alts = [b]
        return node

    def range_(self, depth):
        r = self.r
        c = self.c
        k = r.random()
        if k < 0.25:
            over = lit(str(r.choice([0, 1, 2, 3, -1])))
            if r.random() < 0.2:
                over = N("(len ", self.expr("a", 2), ")")
        elif k < 0.7:
            over = self.pipeline("l" if k < 0.5 else "m", 1)
            # Never a computed integer (`range (add 1 9223372036854775807)`
            # runs until memory is gone, in Helm too): a pipeline whose
            # result is not surely a list or map is ranged over as (list X).
            if not (self.clean and over.kind in ("l", "m")):
                over = N("(list (", over, "))")
        else:
            over = self.field(r.choice(["l", "m", "a"]))
        nv = len(c.vars)
        decl = ""
        if r.random() < 0.6:
            if r.random() < (0.1 if k < 0.25 else 0.5):
                decl = f"{self.newvar('a')}, {self.newvar('a')} := "
            else:
                decl = f"{self.newvar('a')} := "
        old = c.in_range
        c.in_range = True
        b = self.scoped("a", lambda: self.body(depth + 1))
        c.in_range = old
        del c.vars[nv:]
        parts = [self.action(N("range " + decl, over)), b]
        if r.random() < 0.3:
            parts.append(N(self.action(lit("else")), self.body(depth + 1)))
        parts.append(self.action(lit("end")))
        node = Node(parts)
        node.alts = [b]
        return node

    def call_define(self):
        r = self.r
        name = pick(r, self.c.defines)
        arg = "$" if self.clean else pick(r, [".", "$", ".Values", "(dict \"k\" 1)", "nil", "\"s\"", "(list 1 2)"])
        k = r.random()
        if k < 0.4:
            return self.action(lit(f'template "{name}" {arg}' if r.random() < 0.8 else f'template "{name}"'))
        if k < 0.8:
            st = [" | indent 2", " | upper", " | nindent 1", " | trim", "", " | quote"]
            return self.action(lit(f'include "{name}" {arg}{pick(r, st)}'))
        if self.clean:
            return self.action(lit(f'include "{name}" $'))
        return self.action(lit(f'include "{name}-missing" .'))

    def tpl_(self):
        r = self.r
        own = ['"{{ include \\"%s\\" . }}"' % d for d in self.c.defines]
        inner = pick(r, own + self.pool(['"{{ $x := 3 }}{{ $x }}"', '"{{- \\"a\\" -}}  b "',
                                          '"{{ range $i, $v := list 1 2 }}{{ $i }}{{ end }}"',
                                          '"{{ printf \\"%05d\\" 42 }}"', '"{{ .Template.BasePath }}"',
                                          '"{{ .Values.a | default \\"d\\" }}"', '"{{ tpl \\"{{ 1 }}\\" . }}"',
                                          '"{{ .Values.a }}"', '"x{{ 1 }}y"', '"{{ .Template.Name }}"', '"{{ include \\"nope\\" . }}"',
                         '"{{ .Release.Name }}-{{ len . }}"', '"{{"', '"{{ template \\"t\\" }}{{ define \\"t\\" }}d{{ end }}"',
                         '"{{ . }}"', '"plain"', '"{{ $.Values }}"', '""']))
        ctx = pick(r, ["$", "(dict \"Values\" (dict \"a\" 5))", "(dict)", "nil", ".Values"])
        if ctx == "$" and inner in ('"{{ . }}"', '"{{ .Release.Name }}-{{ len . }}"'):
            ctx = ".Values"  # the root holds a pointer (printed as an address)
        return self.action(lit(f"tpl {inner} {ctx}"))

    def define(self, depth):
        name = f"p{self.pid}.d{len(self.c.defines)}"
        old_vars = self.c.vars
        self.c.vars = [("$", "a")]
        # Clean programs call it with the root: `.` must not be printed.
        old_root = self.c.dot_root
        self.c.dot_root = True
        b = self.body(depth + 1)
        self.c.dot_root = old_root
        self.c.vars = old_vars
        kw = "define" if self.r.random() < 0.85 else "block"
        if kw == "block":
            node = N(self.action(lit(f'block "{name}" .')), b, self.action(lit("end")), alts=[b])
        else:
            node = N(self.action(lit(f'define "{name}"')), b, self.action(lit("end")), alts=[b])
        self.c.defines.append(name)
        return node

    def program(self):
        r = self.r
        items = []
        for _ in range(r.choice([0, 0, 1, 2])):
            items.append(self.define(1))
        body = self.body(0, r.randrange(1, 6))
        items.extend(body.parts)
        prog = Node(items, seq=True)
        if not self.clean and r.random() < 0.4:
            self.mutate(prog)
        return prog

    def mutate(self, prog):
        """Break the syntax in one place (a noisy program): parse errors and
        the lexer's corner cases are compared too."""
        r = self.r
        holders = []

        def walk(n):
            for i, p in enumerate(n.parts):
                if isinstance(p, str):
                    if p:
                        holders.append((n, i))
                else:
                    walk(p)
        walk(prog)
        if not holders:
            return
        n, i = pick(r, holders)
        t = n.parts[i]
        j = r.randrange(len(t) + 1)
        k = r.random()
        if k < 0.3 and t:
            j = min(j, len(t) - 1)
            t = t[:j] + t[j + 1:]
        elif k < 0.4 and t:
            j = min(j, len(t) - 1)
            t = t[:j] + t[j] + t[j:]
        else:
            # (Names defined here are the program's own: a batch shares one
            # template namespace.)
            tok = pick(r, MUTATIONS).replace('"x"', f'"p{self.pid}.x"').replace('"b"', f'"p{self.pid}.b"')
            t = t[:j] + tok + t[j:]
        n.parts[i] = t
        n.alts = []


MUTATIONS = [" 1i ", ")", "(", "}}", "{{", "{{end}}", "{{ else }}", "|", "$", ":=", "=", '"', "`", "-", " -", "else", ".",
             "..", "$.", "{{/*", "*/}}", "'", "'ab'", "\\", "0x", "1__0", "08", "1e", "0b2", "\"\\q\"", ",", "$x",
             "{{ break }}", "{{ continue }}", "{{ define \"x\" }}", "{{ template }}", "nil", "true", "with", "range",
             "{{- ", " -}}", "\n", "\t", "{{ 1 }}", "{{ $ := 1 }}", "@", "#", "[", "]", "ü", "\x00", "{{--}}",
             "{{ .Values.a.b.c }}", "{{ .x. }}", "{{ $.a }}", "{{ index }}", "{{ (1) 2 }}", "{{ 1 | 2 }}",
             "{{ block \"b\" . }}", "{{ end }}{{ end }}", "{{ if }}", "{{ range $i, $j, $k := . }}",
             "{{ $u }}", "{{ $x := 1 }}{{ $x := 2 }}", "{{ else if 1 }}", "{{ else with 1 }}", "{{ .Values | }}"]


def gen_batch(seed, batch, size):
    """(values VNode, set lines, [(name, template Node)]) for one batch."""
    r = random.Random(f"{seed}/{batch}")
    values = gen_values(r)
    sets = [gen_set(r) for _ in range(r.choice([0, 0, 1, 2, 3]))]
    progs = []
    for i in range(size):
        pid = f"{batch}_{i}"
        g = Gen(r, values, pid)
        progs.append((f"p{pid}.txt", g.program()))
    return values, sets, progs


def gen_set_lines(seed, batch, n):
    """More --set lines per batch, only compared as parsed by strvals (the
    batch's own lines also feed its values)."""
    r = random.Random(f"{seed}/{batch}/sets")
    return [gen_set(r) for _ in range(n)]


FILES = {"files/a.txt": "hello\nworld\n", "files/b.yaml": "k: v\nn: 1\n", "files/c.json": "{\"j\": [1, 2]}"}
