//! Structure-aware templates: an `Arbitrary` syntax tree, printed as a
//! well-formed Go template and executed against generated values under the
//! engine's step, memory and deadline limits (see harness::fuzz_request).
//! The grammar is the differential generator's (scripts/difftest/gen.py):
//! text, actions with pipelines, variable declarations and assignments,
//! comments, if/else if/else, with/else with, range (over ints, lists, maps,
//! with one or two variables, break/continue), define/block, template,
//! include, tpl, and calls into the whole function map with literals from
//! its pools (formats, regexes, JSON/YAML/TOML texts, versions, dates…).
//! Set FUZZ_PRINT=1 to print each generated template and values, FUZZ_RSS=1
//! to print the process's memory after each input (harness::report_memory).
#![no_main]

#[path = "../harness.rs"]
mod harness;

use std::fmt::Write;

use arbitrary::Arbitrary;

#[derive(Arbitrary, Debug)]
struct Program {
    values: Vec<(u8, Val)>,
    defines: Vec<(bool, Body)>,
    body: Body,
}

#[derive(Arbitrary, Debug)]
enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(u8),
    List(Vec<Val>),
    Map(Vec<(u8, Val)>),
}

type Body = Vec<Item>;

#[derive(Arbitrary, Debug, Clone, Copy)]
struct Trim(u8);

#[derive(Arbitrary, Debug)]
enum Item {
    Text(u8),
    Print(Trim, Pipeline),
    Decl(Trim, Pipeline),
    Assign(Trim, u8, Pipeline),
    Comment(u8),
    If(Pipeline, Body, Vec<(Pipeline, Body)>, Option<Body>),
    With(Pipeline, bool, Body, Option<(Pipeline, Body)>, Option<Body>),
    Range(RangeOver, u8, Body, Option<Body>),
    Break,
    Continue,
    Template(u8, Arg),
    Include(u8, Arg, u8),
    Tpl(u8, u8),
}

#[derive(Arbitrary, Debug)]
enum RangeOver {
    Int(i8),
    Pipe(Pipeline),
    Field(u8),
}

#[derive(Arbitrary, Debug)]
enum Arg {
    Dot,
    Root,
    Values,
    Expr(Expr),
}

#[derive(Arbitrary, Debug)]
struct Pipeline {
    head: Expr,
    stages: Vec<(u8, Vec<Expr>)>,
}

#[derive(Arbitrary, Debug)]
enum Expr {
    Str(u8),
    Int(u8),
    Float(u8),
    Bool(bool),
    Nil,
    Field(u8),
    Var(u8),
    Dot,
    Call(u8, Vec<Expr>),
    Paren(Box<Pipeline>),
}

const KEYS: &[&str] = &["a", "b", "name", "x", "list", "m", "nested", "k", "", "1", "a.b", "é"];
const STRS: &[&str] = &[
    "\"\"",
    "\"a\"",
    "\"hello world\"",
    "\"x-y_z\"",
    "\"a,b,c\"",
    "\"ünï😀\"",
    "\"line1\\nline2\"",
    "`raw\\n`",
    "\"%s-%d\"",
    "\"%v\"",
    "\"%05.2f|%q|%x|%T\"",
    "\"%[2]*[1]d\"",
    "\"%!\"",
    "\"[a-z]+\"",
    "\"(a|b)*c\"",
    "\"^(\\\\w+)@(\\\\w+)$\"",
    "\"(\"",
    "\"{\\\"j\\\": [1, 2]}\"",
    "\"[1, \\\"a\\\", null]\"",
    "\"a: 1\\nb: [x]\"",
    "\"- 1\\n- 2\"",
    "\"k = 1\\n[t]\\nv = \\\"s\\\"\"",
    "\"1.2.3\"",
    "\"v1.0.0-rc.1+b\"",
    "\">= 1.0, < 2\"",
    "\"~1.2\"",
    "\"1h30m\"",
    "\"-1.5s\"",
    "\"2006-01-02T15:04:05Z07:00\"",
    "\"Jan 2 2006\"",
    "\"2024-02-29T12:00:00Z\"",
    "\"UTC\"",
    "\"Europe/Paris\"",
    "\"a/b/../c.txt\"",
    "\"/abs//x/\"",
    "\"map\"",
    "\"string\"",
    "\"int64\"",
    "\"float64\"",
    "\"[]interface {}\"",
    "\"map[string]interface {}\"",
    "\"files/a.txt\"",
    "\"h\"",
    "\"nope\"",
    "\"{{\"",
    "\"bad\"",
    "\"0x1F\"",
    "\"1e3\"",
    "\"-0\"",
    "\"true\"",
];
const INTS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "-1",
    "7",
    "42",
    "100",
    "1000",
    "65536",
    "0x10",
    "0o17",
    "0b101",
    "1_000",
    "'a'",
    "2147483647",
    "-2147483648",
    "9223372036854775807",
    "-9223372036854775808",
    "4294967296",
];
const FLOATS: &[&str] = &["0.0", "1.5", "-2.25", "1e3", "1e308", "5e-324", "3.14159", "0x1p-2", "1e21", "123456789.0"];
const FIELDS: &[&str] = &[
    ".Values",
    ".Values.a",
    ".Values.b",
    ".Values.name",
    ".Values.x",
    ".Values.list",
    ".Values.m",
    ".Values.nested",
    ".Values.nested.k",
    ".Values.m.a",
    ".Values.missing.deep",
    "$.Values.list",
    ".Release.Name",
    ".Release.Namespace",
    ".Release.IsInstall",
    ".Release.Revision",
    ".Chart.Name",
    ".Chart.Version",
    ".Template.Name",
    ".Template.BasePath",
    ".Capabilities.KubeVersion.Version",
    ".Capabilities.APIVersions",
    ".Files",
    "(.Files.Get \"files/a.txt\")",
    "(.Files.Glob \"files/*\")",
    "(.Files.Lines \"files/a.txt\")",
    ".Capabilities.HelmVersion.Version",
    "(index .Values \"a.b\")",
];
const TEXTS: &[&str] = &["", "a", "\n", "key: ", "  - ", "{", "}", " ", "\t", "x\ny\n", "ü", "-", "#"];
const COMMENTS: &[&str] = &["{{/* c */}}", "{{- /* c */ -}}", "{{/*\nmulti\n*/}}", "{{- /**/}}"];
const TPLS: &[&str] = &[
    "\"{{ $x := 3 }}{{ $x }}\"",
    "\"{{- \\\"a\\\" -}}  b \"",
    "\"{{ range $i, $v := list 1 2 }}{{ $i }}{{ end }}\"",
    "\"{{ printf \\\"%05d\\\" 42 }}\"",
    "\"{{ .Template.BasePath }}\"",
    "\"{{ .Values.a | default \\\"d\\\" }}\"",
    "\"{{ tpl \\\"{{ 1 }}\\\" . }}\"",
    "\"x{{ 1 }}y\"",
    "\"{{ include \\\"h\\\" . }}\"",
    "\"{{\"",
    "\"plain\"",
    "\"{{ template \\\"t\\\" }}{{ define \\\"t\\\" }}d{{ end }}\"",
    "\"{{ . }}\"",
    "\"\"",
];

/// The function map (names and how many arguments each call passes),
/// following gen.py's signature table. Key generation and bcrypt are left
/// to the `template` target and the hostile suite: at seconds per call in
/// an instrumented build they would cut this target's speed tenfold.
const FUNCS: &[(&str, u8)] = &[
    ("upper", 1),
    ("lower", 1),
    ("title", 1),
    ("untitle", 1),
    ("trim", 1),
    ("trimAll", 2),
    ("trimPrefix", 2),
    ("trimSuffix", 2),
    ("nospace", 1),
    ("repeat", 2),
    ("substr", 3),
    ("trunc", 2),
    ("abbrev", 2),
    ("abbrevboth", 3),
    ("initials", 1),
    ("wrap", 2),
    ("wrapWith", 3),
    ("contains", 2),
    ("hasPrefix", 2),
    ("hasSuffix", 2),
    ("quote", 1),
    ("squote", 2),
    ("cat", 2),
    ("indent", 2),
    ("nindent", 2),
    ("replace", 3),
    ("plural", 3),
    ("snakecase", 1),
    ("camelcase", 1),
    ("kebabcase", 1),
    ("swapcase", 1),
    ("toString", 1),
    ("toStrings", 1),
    ("join", 2),
    ("split", 2),
    ("splitList", 2),
    ("splitn", 3),
    ("sortAlpha", 1),
    ("b64enc", 1),
    ("b64dec", 1),
    ("b32enc", 1),
    ("b32dec", 1),
    ("sha1sum", 1),
    ("sha256sum", 1),
    ("adler32sum", 1),
    ("html", 1),
    ("js", 1),
    ("urlquery", 1),
    ("print", 2),
    ("println", 1),
    ("printf", 2),
    ("printf", 3),
    ("regexMatch", 2),
    ("regexFind", 2),
    ("regexFindAll", 3),
    ("regexReplaceAll", 3),
    ("regexReplaceAllLiteral", 3),
    ("regexSplit", 3),
    ("regexQuoteMeta", 1),
    ("mustRegexMatch", 2),
    ("base", 1),
    ("dir", 1),
    ("clean", 1),
    ("ext", 1),
    ("isAbs", 1),
    ("semverCompare", 2),
    ("semver", 1),
    ("add", 2),
    ("add1", 1),
    ("sub", 2),
    ("mul", 2),
    ("div", 2),
    ("mod", 2),
    ("max", 3),
    ("min", 2),
    ("addf", 2),
    ("subf", 2),
    ("mulf", 2),
    ("divf", 2),
    ("floor", 1),
    ("ceil", 1),
    ("round", 2),
    ("int", 1),
    ("int64", 1),
    ("float64", 1),
    ("atoi", 1),
    ("toDecimal", 1),
    ("until", 1),
    ("untilStep", 3),
    ("seq", 2),
    ("eq", 2),
    ("ne", 2),
    ("lt", 2),
    ("le", 2),
    ("gt", 2),
    ("ge", 2),
    ("and", 2),
    ("or", 3),
    ("not", 1),
    ("empty", 1),
    ("default", 2),
    ("coalesce", 3),
    ("ternary", 3),
    ("all", 2),
    ("any", 2),
    ("deepEqual", 2),
    ("kindOf", 1),
    ("kindIs", 2),
    ("typeOf", 1),
    ("typeIs", 2),
    ("typeIsLike", 2),
    ("len", 1),
    ("index", 2),
    ("index", 3),
    ("slice", 3),
    ("fail", 1),
    ("required", 2),
    ("list", 3),
    ("list", 0),
    ("tuple", 2),
    ("first", 1),
    ("last", 1),
    ("rest", 1),
    ("initial", 1),
    ("append", 2),
    ("prepend", 2),
    ("concat", 2),
    ("reverse", 1),
    ("uniq", 1),
    ("without", 2),
    ("has", 2),
    ("compact", 1),
    ("chunk", 2),
    ("mustFirst", 1),
    ("mustSlice", 2),
    ("dict", 2),
    ("dict", 4),
    ("dict", 0),
    ("get", 2),
    ("set", 3),
    ("unset", 2),
    ("hasKey", 2),
    ("pluck", 3),
    ("pick", 2),
    ("omit", 2),
    ("merge", 2),
    ("mergeOverwrite", 2),
    ("deepCopy", 1),
    ("dig", 3),
    ("keys", 1),
    ("values", 1),
    ("toJson", 1),
    ("toPrettyJson", 1),
    ("toRawJson", 1),
    ("fromJson", 1),
    ("fromJsonArray", 1),
    ("toYaml", 1),
    ("toYamlPretty", 1),
    ("fromYaml", 1),
    ("fromYamlArray", 1),
    ("toToml", 1),
    ("fromToml", 1),
    ("date", 2),
    ("dateInZone", 3),
    ("htmlDate", 1),
    ("duration", 1),
    ("durationRound", 1),
    ("toDate", 2),
    ("dateModify", 2),
    ("ago", 1),
    ("now", 0),
    ("unixEpoch", 1),
    ("uuidv4", 0),
    ("randAlphaNum", 1),
    ("shuffle", 1),
    ("sha512sum", 1),
    ("encryptAES", 2),
    ("decryptAES", 2),
    ("randInt", 2),
    ("urlParse", 1),
    ("urlJoin", 1),
    ("include", 2),
    ("tpl", 2),
    ("required", 2),
    ("lookup", 4),
    ("b64enc", 1),
    ("sortAlpha", 1),
    ("toString", 1),
    ("mustToJson", 1),
    ("typeOf", 1),
    ("kindOf", 1),
];

fn pick<'a>(xs: &[&'a str], i: u8) -> &'a str {
    xs[i as usize % xs.len()]
}

struct Printer {
    out: String,
    vars: Vec<String>,
    nvar: usize,
    in_range: bool,
    defines: usize,
    /// Nodes printed: keeps a pathological tree's text bounded.
    budget: usize,
}

const MAX_DEPTH: usize = 12;

impl Printer {
    fn open(&mut self, t: Trim) {
        self.out.push_str(if t.0 & 1 == 1 { "{{- " } else { "{{ " });
    }
    fn close(&mut self, t: Trim) {
        self.out.push_str(if t.0 & 2 == 2 { " -}}" } else { " }}" });
    }
    fn action(&mut self, t: Trim, f: impl FnOnce(&mut Self)) {
        self.open(t);
        f(self);
        self.close(t);
    }

    fn expr(&mut self, e: &Expr, depth: usize) {
        self.budget = self.budget.saturating_sub(1);
        if depth > MAX_DEPTH || self.budget == 0 {
            self.out.push('1');
            return;
        }
        match e {
            Expr::Str(i) => self.out.push_str(pick(STRS, *i)),
            Expr::Int(i) => self.out.push_str(pick(INTS, *i)),
            Expr::Float(i) => self.out.push_str(pick(FLOATS, *i)),
            Expr::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Expr::Nil => self.out.push_str("nil"),
            Expr::Field(i) => self.out.push_str(pick(FIELDS, *i)),
            Expr::Var(i) => {
                let v = self.vars[*i as usize % self.vars.len()].clone();
                self.out.push_str(&v);
            }
            Expr::Dot => self.out.push('.'),
            Expr::Call(f, args) => {
                self.out.push('(');
                self.call(*f, args, 0, depth);
                self.out.push(')');
            }
            Expr::Paren(p) => {
                self.out.push('(');
                self.pipeline(p, depth + 1);
                self.out.push(')');
            }
        }
    }

    /// `name a1 … an`, `skip` trailing arguments left to a pipe.
    fn call(&mut self, f: u8, args: &[Expr], skip: usize, depth: usize) {
        let (name, n) = FUNCS[f as usize % FUNCS.len()];
        self.out.push_str(name);
        let n = (n as usize).saturating_sub(skip);
        for k in 0..n {
            self.out.push(' ');
            match args.get(k) {
                Some(a) => self.expr(a, depth + 1),
                None => self.out.push_str(pick(STRS, k as u8 + 1)),
            }
        }
    }

    fn pipeline(&mut self, p: &Pipeline, depth: usize) {
        self.expr(&p.head, depth + 1);
        for (f, args) in p.stages.iter().take(4) {
            self.out.push_str(" | ");
            self.call(*f, args, 1, depth + 1);
        }
    }

    fn newvar(&mut self) -> String {
        self.nvar += 1;
        format!("$v{}", self.nvar)
    }

    fn body(&mut self, b: &Body, depth: usize) {
        let nv = self.vars.len();
        for it in b {
            if self.budget == 0 {
                break;
            }
            self.item(it, depth);
        }
        self.vars.truncate(nv);
    }

    fn item(&mut self, it: &Item, depth: usize) {
        self.budget = self.budget.saturating_sub(1);
        let t0 = Trim(0);
        if depth > MAX_DEPTH {
            return;
        }
        match it {
            Item::Text(i) => self.out.push_str(pick(TEXTS, *i)),
            Item::Print(t, p) => self.action(*t, |s| s.pipeline(p, depth)),
            Item::Decl(t, p) => {
                let v = self.newvar();
                self.action(*t, |s| {
                    s.out.push_str(&v);
                    s.out.push_str(" := ");
                    s.pipeline(p, depth);
                });
                self.vars.push(v);
            }
            Item::Assign(t, i, p) => {
                if self.vars.len() > 1 {
                    let v = self.vars[1 + *i as usize % (self.vars.len() - 1)].clone();
                    self.action(*t, |s| {
                        s.out.push_str(&v);
                        s.out.push_str(" = ");
                        s.pipeline(p, depth);
                    });
                }
            }
            Item::Comment(i) => self.out.push_str(pick(COMMENTS, *i)),
            Item::If(c, b, elifs, els) => {
                self.action(t0, |s| {
                    s.out.push_str("if ");
                    s.pipeline(c, depth);
                });
                self.body(b, depth + 1);
                for (c, b) in elifs.iter().take(3) {
                    self.action(t0, |s| {
                        s.out.push_str("else if ");
                        s.pipeline(c, depth);
                    });
                    self.body(b, depth + 1);
                }
                if let Some(b) = els {
                    self.out.push_str("{{ else }}");
                    self.body(b, depth + 1);
                }
                self.out.push_str("{{ end }}");
            }
            Item::With(c, decl, b, elwith, els) => {
                let nv = self.vars.len();
                self.action(t0, |s| {
                    s.out.push_str("with ");
                    if *decl {
                        let v = s.newvar();
                        s.out.push_str(&v);
                        s.out.push_str(" := ");
                        s.vars.push(v);
                    }
                    s.pipeline(c, depth);
                });
                self.body(b, depth + 1);
                self.vars.truncate(nv);
                if let Some((c, b)) = elwith {
                    self.action(t0, |s| {
                        s.out.push_str("else with ");
                        s.pipeline(c, depth);
                    });
                    self.body(b, depth + 1);
                }
                if let Some(b) = els {
                    self.out.push_str("{{ else }}");
                    self.body(b, depth + 1);
                }
                self.out.push_str("{{ end }}");
            }
            Item::Range(over, decl, b, els) => {
                let nv = self.vars.len();
                self.out.push_str("{{ range ");
                match decl % 3 {
                    1 => {
                        let v = self.newvar();
                        let _ = write!(self.out, "{v} := ");
                        self.vars.push(v);
                    }
                    2 => {
                        let (k, v) = (self.newvar(), self.newvar());
                        let _ = write!(self.out, "{k}, {v} := ");
                        self.vars.push(k);
                        self.vars.push(v);
                    }
                    _ => {}
                }
                match over {
                    RangeOver::Int(n) => {
                        let _ = write!(self.out, "{n}");
                    }
                    RangeOver::Pipe(p) => self.pipeline(p, depth),
                    RangeOver::Field(i) => self.out.push_str(pick(FIELDS, *i)),
                }
                self.out.push_str(" }}");
                let old = std::mem::replace(&mut self.in_range, true);
                self.body(b, depth + 1);
                self.in_range = old;
                self.vars.truncate(nv);
                if let Some(b) = els {
                    self.out.push_str("{{ else }}");
                    self.body(b, depth + 1);
                }
                self.out.push_str("{{ end }}");
            }
            Item::Break if self.in_range => self.out.push_str("{{ break }}"),
            Item::Continue if self.in_range => self.out.push_str("{{ continue }}"),
            Item::Break | Item::Continue => {}
            Item::Template(i, a) => {
                let name = self.define_name(*i);
                self.action(t0, |s| {
                    let _ = write!(s.out, "template {name:?} ");
                    s.arg(a, depth);
                });
            }
            Item::Include(i, a, stage) => {
                let name = self.define_name(*i);
                self.action(t0, |s| {
                    let _ = write!(s.out, "include {name:?} ");
                    s.arg(a, depth);
                    s.out.push_str(pick(
                        &["", " | indent 2", " | nindent 1", " | upper", " | quote", " | trim"],
                        *stage,
                    ));
                });
            }
            Item::Tpl(i, ctx) => {
                let _ = write!(
                    self.out,
                    "{{{{ tpl {} {} }}}}",
                    pick(TPLS, *i),
                    pick(&["$", ".Values", "(dict)", "nil", "(dict \"Values\" (dict \"a\" 5))"], *ctx)
                );
            }
        }
    }

    fn arg(&mut self, a: &Arg, depth: usize) {
        match a {
            Arg::Dot => self.out.push('.'),
            Arg::Root => self.out.push('$'),
            Arg::Values => self.out.push_str(".Values"),
            Arg::Expr(e) => self.expr(e, depth + 1),
        }
    }

    /// A define of this program, the chart's helper `h`, or a missing one.
    fn define_name(&self, i: u8) -> String {
        let n = self.defines + 2;
        match i as usize % n {
            k if k < self.defines => format!("d{k}"),
            k if k == self.defines => "h".to_string(),
            _ => "missing".to_string(),
        }
    }
}

fn val(v: &Val, depth: usize, out: &mut String) {
    match v {
        _ if depth > 8 => out.push_str("null"),
        Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Float(f) if f.is_finite() => {
            let _ = write!(out, "{f:?}");
        }
        Val::Float(_) => out.push_str(".inf"),
        Val::Str(i) => out.push_str(pick(STRS, *i)),
        Val::List(xs) => {
            out.push('[');
            for (k, x) in xs.iter().take(16).enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                val(x, depth + 1, out);
            }
            out.push(']');
        }
        Val::Map(kv) => map(kv, depth, out),
    }
}

fn map(kv: &[(u8, Val)], depth: usize, out: &mut String) {
    out.push('{');
    for (k, (key, x)) in kv.iter().take(16).enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{:?}: ", pick(KEYS, *key));
        val(x, depth + 1, out);
    }
    out.push('}');
}

fn print(p: &Program) -> (String, String) {
    let mut values = String::new();
    map(&p.values, 0, &mut values);
    let mut pr =
        Printer { out: String::new(), vars: vec!["$".into()], nvar: 0, in_range: false, defines: 0, budget: 2000 };
    for (block, body) in p.defines.iter().take(3) {
        let name = format!("d{}", pr.defines);
        let outer = std::mem::replace(&mut pr.vars, vec!["$".into()]);
        pr.out.push_str(&format!(
            "{{{{ {} {name:?}{} }}}}",
            if *block { "block" } else { "define" },
            if *block { " ." } else { "" }
        ));
        // Defined before its body: recursion is possible (and limited).
        pr.defines += 1;
        pr.body(body, 1);
        pr.out.push_str("{{ end }}");
        pr.vars = outer;
    }
    pr.body(&p.body, 0);
    (values, pr.out)
}

libfuzzer_sys::fuzz_target!(|p: Program| {
    let (values, template) = print(&p);
    if std::env::var_os("FUZZ_PRINT").is_some() {
        eprintln!("--- values.yaml\n{values}\n--- template\n{template}\n---");
    }
    harness::render(&values, &template);
    if std::env::var_os("FUZZ_RSS").is_some() {
        harness::report_memory();
    }
});
