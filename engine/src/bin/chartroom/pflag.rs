//! A port of github.com/spf13/pflag v1.0.10's parsing (the version Helm
//! v4.2.3's go.mod pins): the argument grammar of `FlagSet.parseArgs`
//! (`--flag=value`, `--flag value`, `-fvalue`, `-f=value`, `-f value`,
//! combined shorthands `-abc`, `--`), NoOptDefVal flags, the value types
//! Helm's commands use (bool, string, stringArray, stringSlice with CSV
//! splitting, stringToString, duration, int, float32 and Helm's own Value
//! types), pflag's error texts, deprecation warnings and `FlagUsages`.

use std::collections::BTreeMap;

use chartroom_engine::error::{Error, Kind as ErrorKind};

/// A flag's value type (`Value.Type()` and how `Set` parses).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Bool,
    String,
    /// Every occurrence appended as is.
    StringArray,
    /// Each occurrence read as one CSV record, the fields appended.
    StringSlice,
    StringToString,
    Duration,
    Int,
    Float32,
    /// A Helm `pflag.Value` whose Set accepts any string (its checks are
    /// made by the command): the type name is shown in help.
    Custom(&'static str),
    /// A Helm `pflag.Value` collecting every occurrence, like StringArray.
    CustomList(&'static str),
}

impl Kind {
    /// `Value.Type()`.
    fn type_name(self) -> &'static str {
        match self {
            Kind::Bool => "bool",
            Kind::String => "string",
            Kind::StringArray => "stringArray",
            Kind::StringSlice => "stringSlice",
            Kind::StringToString => "stringToString",
            Kind::Duration => "duration",
            Kind::Int => "int",
            Kind::Float32 => "float32",
            Kind::Custom(t) | Kind::CustomList(t) => t,
        }
    }
}

/// A flag's current value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Bool(bool),
    Str(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

/// A custom check run by `Set` (Helm's Value types that reject a value
/// while parsing, e.g. `--wait` or `--post-renderer`).
pub type SetHook = fn(&str) -> Result<(), Error>;

#[derive(Clone)]
pub struct Flag {
    pub name: &'static str,
    pub shorthand: Option<char>,
    pub usage: String,
    pub kind: Kind,
    /// `DefValue`: the default as `Value.String()` printed it.
    pub def_value: String,
    pub no_opt_def_val: String,
    pub deprecated: String,
    pub hidden: bool,
    pub changed: bool,
    pub value: Val,
    pub set_hook: Option<SetHook>,
    /// Defined on a parent command (cobra's "Global Flags").
    pub persistent: bool,
}

impl Flag {
    pub fn new(name: &'static str, shorthand: Option<char>, kind: Kind, def: &str, usage: &str) -> Flag {
        let value = match kind {
            Kind::Bool => Val::Bool(matches!(def, "true")),
            Kind::StringArray | Kind::StringSlice | Kind::CustomList(_) => Val::List(Vec::new()),
            Kind::StringToString => Val::Map(BTreeMap::new()),
            _ => Val::Str(def.to_string()),
        };
        let def_value = match kind {
            Kind::StringArray | Kind::StringSlice | Kind::CustomList(_) | Kind::StringToString => "[]".to_string(),
            _ => def.to_string(),
        };
        Flag {
            name,
            shorthand,
            usage: usage.to_string(),
            kind,
            def_value,
            no_opt_def_val: if kind == Kind::Bool { "true".into() } else { String::new() },
            deprecated: String::new(),
            hidden: false,
            changed: false,
            value,
            set_hook: None,
            persistent: false,
        }
    }

    /// `MarkDeprecated`: a warning when used, and hidden from help.
    pub fn mark_deprecated(mut self, msg: &str) -> Flag {
        self.deprecated = msg.to_string();
        self.hidden = true;
        self
    }

    /// `Value.Set` of the flag's type.
    fn set(&mut self, v: &str) -> Result<(), Error> {
        if let Some(hook) = self.set_hook {
            hook(v)?;
        }
        match self.kind {
            Kind::Bool => self.value = Val::Bool(parse_bool(v)?),
            Kind::String | Kind::Custom(_) => self.value = Val::Str(v.to_string()),
            Kind::Duration => {
                chartroom_engine::sprig::date::parse_duration(v)?;
                self.value = Val::Str(v.to_string());
            }
            Kind::Int => {
                parse_int(v)?;
                self.value = Val::Str(v.to_string());
            }
            Kind::Float32 => {
                v.parse::<f32>()
                    .ok()
                    .filter(|_| !v.is_empty() && !v.contains(char::is_whitespace))
                    .ok_or_else(|| format!("strconv.ParseFloat: parsing {}: invalid syntax", quote(v)))?;
                self.value = Val::Str(v.to_string());
            }
            Kind::StringArray | Kind::CustomList(_) => self.push(vec![v.to_string()]),
            Kind::StringSlice => {
                let fields = if v.is_empty() { Vec::new() } else { read_csv_record(v)? };
                self.push(fields);
            }
            Kind::StringToString => {
                let pairs = match v.matches('=').count() {
                    0 => return Err(Error::go(format!("{v} must be formatted as key=value"))),
                    1 => vec![v.trim_matches('"').to_string()],
                    _ => read_csv_record(v)?,
                };
                let mut out = BTreeMap::new();
                for p in pairs {
                    match p.split_once('=') {
                        Some((k, val)) => {
                            out.insert(k.to_string(), val.to_string());
                        }
                        None => return Err(Error::go(format!("{p} must be formatted as key=value"))),
                    }
                }
                match &mut self.value {
                    Val::Map(m) if self.changed => m.extend(out),
                    other => *other = Val::Map(out),
                }
            }
        }
        Ok(())
    }

    /// stringArray/stringSlice: the first Set replaces the default.
    fn push(&mut self, items: Vec<String>) {
        match &mut self.value {
            Val::List(l) if self.changed => l.extend(items),
            other => *other = Val::List(items),
        }
    }

    /// pflag's `defaultIsZeroValue`.
    fn default_is_zero_value(&self) -> bool {
        match self.kind {
            Kind::Bool => self.def_value == "false" || self.def_value.is_empty(),
            Kind::Duration => self.def_value == "0" || self.def_value == "0s",
            Kind::Int | Kind::Float32 => self.def_value == "0",
            Kind::String => self.def_value.is_empty(),
            Kind::StringArray | Kind::StringSlice => self.def_value == "[]",
            _ => matches!(self.def_value.as_str(), "false" | "<nil>" | "" | "0"),
        }
    }
}

/// strconv.ParseBool.
pub fn parse_bool(s: &str) -> Result<bool, Error> {
    chartroom_engine::gofmt::atoi::parse_bool(s).map_err(|e| Error::go(e.to_string()))
}

/// strconv.ParseInt(s, 0, 64) as pflag's int Set calls it.
pub fn parse_int(s: &str) -> Result<i64, Error> {
    chartroom_engine::gofmt::atoi::parse_int(s, 0, 64).map_err(|e| Error::go(e.to_string()))
}

fn quote(s: &str) -> String {
    chartroom_engine::gofmt::strconv::quote(s)
}

/// strconv.QuoteRune (Go's `%q` of a rune).
fn quote_rune(c: char) -> String {
    let q = quote(&c.to_string());
    let inner = match c {
        '"' => "\"".to_string(),
        '\'' => "\\'".to_string(),
        _ => q[1..q.len() - 1].to_string(),
    };
    format!("'{inner}'")
}

/// encoding/csv `Reader.Read` of the first record, with the default
/// settings (comma `,`, no lazy quotes): what pflag's readAsCSV returns.
pub fn read_csv_record(s: &str) -> Result<Vec<String>, Error> {
    if s.is_empty() {
        return Err("EOF".into());
    }
    let lines: Vec<&str> = s.split_inclusive('\n').collect();
    let mut line_no = 1usize;
    let mut li = 0usize;
    // A line without its line ending ("\r\n" counts as "\n").
    let strip = |l: &str| -> String {
        let l = l.strip_suffix('\n').map(|x| x.strip_suffix('\r').unwrap_or(x)).unwrap_or(l);
        l.to_string()
    };
    let perr = |start: usize, line: usize, col: usize, msg: &str| {
        if start != line {
            format!("record on line {start}; parse error on line {line}, column {col}: {msg}")
        } else {
            format!("parse error on line {line}, column {col}: {msg}")
        }
    };
    let mut fields = Vec::new();
    let mut line = strip(lines[0]);
    let mut pos = 0usize; // byte offset in `line`
    loop {
        let rest = &line[pos..];
        if !rest.starts_with('"') {
            let end = rest.find(',').unwrap_or(rest.len());
            let field = &rest[..end];
            if let Some(j) = field.find('"') {
                return Err(Error::go(perr(1, line_no, pos + j + 1, "bare \" in non-quoted-field")));
            }
            fields.push(field.to_string());
            if end == rest.len() {
                return Ok(fields);
            }
            pos += end + 1;
            continue;
        }
        // Quoted field, possibly over several lines.
        let mut field = String::new();
        let mut p = pos + 1;
        loop {
            let rest = &line[p..];
            match rest.find('"') {
                Some(q) => {
                    field.push_str(&rest[..q]);
                    let after = &rest[q + 1..];
                    if after.starts_with('"') {
                        field.push('"');
                        p += q + 2;
                    } else if after.starts_with(',') {
                        fields.push(std::mem::take(&mut field));
                        pos = p + q + 2;
                        break;
                    } else if after.is_empty() {
                        fields.push(std::mem::take(&mut field));
                        return Ok(fields);
                    } else {
                        return Err(Error::go(perr(1, line_no, p + q + 2, "extraneous or missing \" in quoted-field")));
                    }
                }
                None => {
                    field.push_str(rest);
                    li += 1;
                    if li < lines.len() {
                        field.push('\n');
                        line_no += 1;
                        line = strip(lines[li]);
                        p = 0;
                    } else {
                        return Err(Error::go(perr(
                            1,
                            line_no,
                            line.len() + 1,
                            "extraneous or missing \" in quoted-field",
                        )));
                    }
                }
            }
        }
    }
}

/// pflag's `stripUnknownFlagValue`: drops the argument after an unknown
/// flag unless it looks like a flag (`args` is reversed: next is last).
fn strip_unknown_flag_value(args: &mut Vec<String>) {
    if args.last().is_some_and(|a| !a.starts_with('-')) {
        args.pop();
    }
}

/// How a parse that did not fail ended. pflag returns `flag.ErrHelp` for
/// `--help`/`-h` when no help flag is defined, a sentinel cobra answers by
/// printing the help (exit 0, nothing printed as an error): an outcome here,
/// while failures are the engine's [`Error`] (kind Cli, pflag's text).
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Flags,
    Help,
}

/// pflag's error text as the CLI's error.
fn cli_error(m: String) -> Error {
    Error::new(ErrorKind::Cli, m)
}

#[derive(Clone, Default)]
pub struct FlagSet {
    pub flags: Vec<Flag>,
    /// Positional arguments (`f.Args()`).
    pub args: Vec<String>,
    /// `ArgsLenAtDash`.
    pub args_len_at_dash: Option<usize>,
    /// What pflag printed to its output (deprecation warnings).
    pub output: String,
    /// `ParseErrorsAllowlist.UnknownFlags`: unknown flags are skipped
    /// (with the value that seems to follow them).
    pub allow_unknown: bool,
}

impl FlagSet {
    pub fn add(&mut self, f: Flag) -> &mut Flag {
        self.flags.push(f);
        self.flags.last_mut().expect("just pushed")
    }

    pub fn lookup(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.flags.iter().position(|f| f.name == name)
    }

    fn short_index(&self, c: char) -> Option<usize> {
        self.flags.iter().position(|f| f.shorthand == Some(c))
    }

    /// `FlagSet.Set`: Value.Set, `Changed`, the deprecation warning.
    pub fn set(&mut self, i: usize, value: &str) -> Result<(), Error> {
        let f = &mut self.flags[i];
        if let Err(cause) = f.set(value) {
            let name = match f.shorthand {
                Some(s) => format!("-{s}, --{}", f.name),
                None => format!("--{}", f.name),
            };
            // `cause` is the Value.Set hook's Go error (strconv, csv…), wrapped.
            return Err(cli_error(format!("invalid argument {} for {} flag: {cause}", quote(value), quote(&name))));
        }
        f.changed = true;
        if !f.deprecated.is_empty() {
            let line = format!("Flag --{} has been deprecated, {}\n", f.name, f.deprecated);
            self.output.push_str(&line);
        }
        Ok(())
    }

    /// `FlagSet.Parse` with ContinueOnError (cobra's setting).
    pub fn parse(&mut self, arguments: &[String]) -> Result<Parsed, Error> {
        self.args.clear();
        let mut args: Vec<String> = arguments.to_vec();
        args.reverse(); // pop from the end = take the first
        while let Some(s) = args.pop() {
            if s.len() < 2 || !s.starts_with('-') {
                self.args.push(s);
                continue;
            }
            if s.as_bytes()[1] == b'-' {
                if s.len() == 2 {
                    self.args_len_at_dash = Some(self.args.len());
                    while let Some(a) = args.pop() {
                        self.args.push(a);
                    }
                    break;
                }
                if self.parse_long_arg(&s, &mut args)? == Parsed::Help {
                    return Ok(Parsed::Help);
                }
            } else if self.parse_short_arg(&s, &mut args)? == Parsed::Help {
                return Ok(Parsed::Help);
            }
        }
        Ok(Parsed::Flags)
    }

    fn parse_long_arg(&mut self, s: &str, args: &mut Vec<String>) -> Result<Parsed, Error> {
        let name = &s[2..];
        if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
            return Err(cli_error(format!("bad flag syntax: {s}")));
        }
        let (name, inline) = match name.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (name, None),
        };
        let Some(i) = self.index(name) else {
            if name == "help" {
                return Ok(Parsed::Help);
            }
            if self.allow_unknown {
                // `--unknown=value` keeps the next argument.
                if inline.is_none() {
                    strip_unknown_flag_value(args);
                }
                return Ok(Parsed::Flags);
            }
            return Err(cli_error(format!("unknown flag: --{name}")));
        };
        let value = if let Some(v) = inline {
            v.to_string()
        } else if !self.flags[i].no_opt_def_val.is_empty() {
            self.flags[i].no_opt_def_val.clone()
        } else if let Some(a) = args.pop() {
            a
        } else {
            return Err(cli_error(format!("flag needs an argument: --{name}")));
        };
        self.set(i, &value)?;
        Ok(Parsed::Flags)
    }

    fn parse_short_arg(&mut self, s: &str, args: &mut Vec<String>) -> Result<Parsed, Error> {
        // pflag hands every shorthand of the group the same, original
        // `args` and keeps what the last one returns.
        let original = args.clone();
        let mut shorthands: &str = &s[1..];
        while !shorthands.is_empty() {
            let mut these = original.clone();
            let Some(rest) = self.parse_single_short_arg(shorthands, &mut these)? else { return Ok(Parsed::Help) };
            shorthands = rest;
            *args = these;
        }
        Ok(Parsed::Flags)
    }

    fn parse_single_short_arg<'s>(
        &mut self,
        shorthands: &'s str,
        args: &mut Vec<String>,
    ) -> Result<Option<&'s str>, Error> {
        // isGotestShorthandFlag: `-test.v` style arguments are skipped.
        if shorthands.starts_with("test.") {
            return Ok(Some(""));
        }
        let c = shorthands.chars().next().expect("non-empty");
        let mut out = &shorthands[c.len_utf8()..];
        let Some(i) = self.short_index(c) else {
            if c == 'h' {
                return Ok(None);
            }
            if self.allow_unknown {
                if out.len() > 1 && out.starts_with('=') {
                    return Ok(Some(""));
                }
                strip_unknown_flag_value(args);
                return Ok(Some(out));
            }
            return Err(cli_error(format!("unknown shorthand flag: {} in -{shorthands}", quote_rune(c))));
        };
        let value = if out.starts_with('=') && out.len() > 1 {
            let v = out[1..].to_string();
            out = "";
            v
        } else if !self.flags[i].no_opt_def_val.is_empty() {
            self.flags[i].no_opt_def_val.clone()
        } else if !out.is_empty() {
            let v = out.to_string();
            out = "";
            v
        } else if let Some(a) = args.pop() {
            a
        } else {
            return Err(cli_error(format!("flag needs an argument: {} in -{shorthands}", quote_rune(c))));
        };
        self.set(i, &value)?;
        Ok(Some(out))
    }

    pub fn changed(&self, name: &str) -> bool {
        self.lookup(name).is_some_and(|f| f.changed)
    }

    pub fn get_bool(&self, name: &str) -> bool {
        matches!(self.lookup(name).map(|f| &f.value), Some(Val::Bool(true)))
    }

    pub fn get_str(&self, name: &str) -> String {
        match self.lookup(name).map(|f| &f.value) {
            Some(Val::Str(s)) => s.clone(),
            _ => String::new(),
        }
    }

    pub fn get_list(&self, name: &str) -> Vec<String> {
        match self.lookup(name).map(|f| &f.value) {
            Some(Val::List(l)) => l.clone(),
            _ => Vec::new(),
        }
    }

    pub fn get_map(&self, name: &str) -> BTreeMap<String, String> {
        match self.lookup(name).map(|f| &f.value) {
            Some(Val::Map(m)) => m.clone(),
            _ => BTreeMap::new(),
        }
    }

    /// `FlagUsages()` (FlagUsagesWrapped(0)) of the flags `keep` selects,
    /// sorted by name.
    pub fn flag_usages(&self, keep: impl Fn(&Flag) -> bool) -> String {
        let mut flags: Vec<&Flag> = self.flags.iter().filter(|f| keep(f) && !f.hidden).collect();
        flags.sort_by(|a, b| a.name.cmp(b.name));
        let mut lines = Vec::new();
        let mut maxlen = 0;
        for f in flags {
            let mut line = match f.shorthand {
                Some(s) => format!("  -{s}, --{}", f.name),
                None => format!("      --{}", f.name),
            };
            let (varname, usage) = unquote_usage(f);
            if !varname.is_empty() {
                line.push(' ');
                line.push_str(&varname);
            }
            if !f.no_opt_def_val.is_empty() {
                match f.kind.type_name() {
                    "string" => line.push_str(&format!("[=\"{}\"]", f.no_opt_def_val)),
                    "bool" | "boolfunc" => {
                        if f.no_opt_def_val != "true" {
                            line.push_str(&format!("[={}]", f.no_opt_def_val));
                        }
                    }
                    _ => line.push_str(&format!("[={}]", f.no_opt_def_val)),
                }
            }
            line.push('\0');
            maxlen = maxlen.max(line.len());
            line.push_str(&usage);
            if !f.default_is_zero_value() {
                if f.kind == Kind::String {
                    line.push_str(&format!(" (default {})", quote(&f.def_value)));
                } else {
                    line.push_str(&format!(" (default {})", f.def_value));
                }
            }
            if !f.deprecated.is_empty() {
                line.push_str(&format!(" (DEPRECATED: {})", f.deprecated));
            }
            lines.push(line);
        }
        let mut buf = String::new();
        for line in lines {
            let sidx = line.find('\0').expect("marker");
            let spacing = " ".repeat(maxlen - sidx);
            // fmt.Fprintln(buf, a, b, c): operands separated by spaces.
            let usage = line[sidx + 1..].replace('\n', &format!("\n{}", " ".repeat(maxlen + 2)));
            buf.push_str(&format!("{} {} {}\n", &line[..sidx], spacing, usage));
        }
        buf
    }
}

/// pflag's `UnquoteUsage`: a back-quoted name in the usage, else the
/// type's name.
fn unquote_usage(f: &Flag) -> (String, String) {
    let usage = &f.usage;
    if let Some(i) = usage.find('`') {
        if let Some(j) = usage[i + 1..].find('`') {
            let name = &usage[i + 1..i + 1 + j];
            return (name.to_string(), format!("{}{}{}", &usage[..i], name, &usage[i + 2 + j..]));
        }
    }
    let name = match f.kind.type_name() {
        "bool" | "boolfunc" => "",
        "func" => "value",
        "float64" => "float",
        "int64" => "int",
        "uint64" => "uint",
        "stringSlice" => "strings",
        "intSlice" => "ints",
        "uintSlice" => "uints",
        "boolSlice" => "bools",
        other => other,
    };
    (name.to_string(), usage.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> FlagSet {
        let mut fs = FlagSet::default();
        fs.add(Flag::new("values", Some('f'), Kind::StringSlice, "", "values files"));
        fs.add(Flag::new("set", None, Kind::StringArray, "", "set values"));
        fs.add(Flag::new("namespace", Some('n'), Kind::String, "", "namespace"));
        fs.add(Flag::new("all", Some('a'), Kind::Bool, "false", "all"));
        fs.add(Flag::new("brief", Some('b'), Kind::Bool, "false", "brief"));
        fs.add(Flag::new("labels", Some('l'), Kind::StringToString, "", "labels"));
        fs.add(Flag::new("timeout", None, Kind::Duration, "5m0s", "timeout"));
        fs.add(Flag::new("dry-run", None, Kind::String, "client", "dry run")).no_opt_def_val = "unset".into();
        fs.add(Flag::new("old", None, Kind::Bool, "false", "old").mark_deprecated("use --new instead"));
        fs
    }

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    fn parse(s: &[&str]) -> (FlagSet, Result<Parsed, Error>) {
        let mut fs = set();
        let r = fs.parse(&args(s));
        (fs, r)
    }

    fn err(s: &[&str]) -> String {
        match parse(s).1 {
            Err(e) => e.message,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn value_forms() {
        for form in [&["--namespace=x"][..], &["--namespace", "x"], &["-nx"], &["-n=x"], &["-n", "x"]] {
            let (fs, r) = parse(form);
            assert_eq!(r, Ok(Parsed::Flags), "{form:?}");
            assert_eq!(fs.get_str("namespace"), "x", "{form:?}");
        }
    }

    #[test]
    fn combined_bool_shorthands_then_value() {
        let (fs, r) = parse(&["-abnprod", "chart"]);
        assert_eq!(r, Ok(Parsed::Flags));
        assert!(fs.get_bool("all") && fs.get_bool("brief"));
        assert_eq!(fs.get_str("namespace"), "prod");
        assert_eq!(fs.args, vec!["chart"]);
    }

    #[test]
    fn double_dash_ends_flags() {
        let (fs, r) = parse(&["a", "--", "--namespace", "-x"]);
        assert_eq!(r, Ok(Parsed::Flags));
        assert_eq!(fs.args, vec!["a", "--namespace", "-x"]);
        assert_eq!(fs.args_len_at_dash, Some(1));
    }

    #[test]
    fn bool_explicit_value() {
        let (fs, r) = parse(&["--all=false", "-b=true"]);
        assert_eq!(r, Ok(Parsed::Flags));
        assert!(!fs.get_bool("all") && fs.get_bool("brief"));
        // A bool never takes the next argument.
        let (fs, _) = parse(&["--all", "false"]);
        assert!(fs.get_bool("all"));
        assert_eq!(fs.args, vec!["false"]);
        assert_eq!(
            err(&["--all=maybe"]),
            r#"invalid argument "maybe" for "-a, --all" flag: strconv.ParseBool: parsing "maybe": invalid syntax"#
        );
    }

    #[test]
    fn no_opt_def_val() {
        let (fs, _) = parse(&["--dry-run", "server"]);
        assert_eq!(fs.get_str("dry-run"), "unset");
        assert_eq!(fs.args, vec!["server"]);
        let (fs, _) = parse(&["--dry-run=server"]);
        assert_eq!(fs.get_str("dry-run"), "server");
    }

    #[test]
    fn array_slice_and_map() {
        let (fs, _) = parse(&["--set", "a=1,b=2", "--set", "c=3", "-f", "x.yaml,\"y,z.yaml\"", "-f", "w.yaml"]);
        assert_eq!(fs.get_list("set"), vec!["a=1,b=2", "c=3"]);
        assert_eq!(fs.get_list("values"), vec!["x.yaml", "y,z.yaml", "w.yaml"]);
        let (fs, _) = parse(&["-l", "a=1,b=2", "--labels", "\"c=3\""]);
        let m = fs.get_map("labels");
        assert_eq!(m.get("a").map(String::as_str), Some("1"));
        assert_eq!(m.get("b").map(String::as_str), Some("2"));
        assert_eq!(m.get("c").map(String::as_str), Some("3"));
        assert_eq!(
            err(&["-l", "nokey"]),
            r#"invalid argument "nokey" for "-l, --labels" flag: nokey must be formatted as key=value"#
        );
        assert_eq!(
            err(&["-f", "a\"b"]),
            r#"invalid argument "a\"b" for "-f, --values" flag: parse error on line 1, column 2: bare " in non-quoted-field"#
        );
    }

    #[test]
    fn errors() {
        assert_eq!(err(&["--nope"]), "unknown flag: --nope");
        assert_eq!(err(&["--nope=1"]), "unknown flag: --nope");
        assert_eq!(err(&["-x"]), "unknown shorthand flag: 'x' in -x");
        // pflag names the rest of the group, from the unknown letter on.
        assert_eq!(err(&["-ax"]), "unknown shorthand flag: 'x' in -x");
        assert_eq!(err(&["--namespace"]), "flag needs an argument: --namespace");
        assert_eq!(err(&["-n"]), "flag needs an argument: 'n' in -n");
        assert_eq!(err(&["-an"]), "flag needs an argument: 'n' in -n");
        assert_eq!(err(&["---x"]), "bad flag syntax: ---x");
        assert_eq!(err(&["--=x"]), "bad flag syntax: --=x");
        assert_eq!(
            err(&["--timeout", "5"]),
            r#"invalid argument "5" for "--timeout" flag: time: missing unit in duration "5""#
        );
        assert_eq!(parse(&["--help"]).1, Ok(Parsed::Help));
        assert_eq!(parse(&["-h"]).1, Ok(Parsed::Help));
    }

    #[test]
    fn unknown_flags_allowed() {
        let mut fs = set();
        fs.allow_unknown = true;
        let r = fs.parse(&args(&["--x", "v", "--y=1", "a", "-qn", "ns", "--z", "--all", "-w=3", "b"]));
        assert_eq!(r, Ok(Parsed::Flags));
        assert_eq!(fs.args, vec!["a", "b"]);
        assert_eq!(fs.get_str("namespace"), "ns");
        assert!(fs.get_bool("all"));
    }

    #[test]
    fn deprecated_warning() {
        let (fs, r) = parse(&["--old"]);
        assert_eq!(r, Ok(Parsed::Flags));
        assert_eq!(fs.output, "Flag --old has been deprecated, use --new instead\n");
    }

    /// pflag v1.0.10's TestPrintDefaults (flag_test.go), for the value
    /// types this port has: its `defaultOutput` lines for those flags.
    #[test]
    fn usages_match_pflags_print_defaults_test() {
        let mut fs = FlagSet::default();
        fs.add(Flag::new("A", None, Kind::Bool, "false", "for bootstrapping, allow 'any' type"));
        fs.add(Flag::new("Alongflagname", None, Kind::Bool, "false", "disable bounds checking"));
        fs.add(Flag::new("CCC", Some('C'), Kind::Bool, "true", "a boolean defaulting to true"));
        fs.add(Flag::new("D", None, Kind::String, "", "set relative `path` for local imports"));
        fs.add(Flag::new("N", None, Kind::Int, "27", "a non-zero int"));
        fs.add(Flag::new("Z", None, Kind::Int, "0", "an int that defaults to zero"));
        fs.add(Flag::new("maxT", None, Kind::Duration, "0s", "set `timeout` for dial"));
        fs.add(Flag::new("ND1", None, Kind::String, "foo", "a string with NoOptDefVal")).no_opt_def_val = "bar".into();
        fs.add(Flag::new("StringSlice", None, Kind::StringSlice, "", "string slice with zero default"));
        fs.add(Flag::new("StringArray", None, Kind::StringArray, "", "string array with zero default"));
        fs.add(Flag::new("custom", None, Kind::Custom("custom"), "0", "custom Value implementation"));
        fs.add(Flag::new("customP", None, Kind::Custom("custom"), "10", "a VarP with default"));
        fs.add(Flag::new(
            "custom-with-val",
            None,
            Kind::Custom("custom"),
            "0",
            "custom value which has been set from command line while help is shown",
        ));
        fs.parse(&args(&["--custom-with-val", "3"])).unwrap();
        let want = "      --A                         for bootstrapping, allow 'any' type
      --Alongflagname             disable bounds checking
  -C, --CCC                       a boolean defaulting to true (default true)
      --D path                    set relative path for local imports
      --N int                     a non-zero int (default 27)
      --ND1 string[=\"bar\"]        a string with NoOptDefVal (default \"foo\")
      --StringArray stringArray   string array with zero default
      --StringSlice strings       string slice with zero default
      --Z int                     an int that defaults to zero
      --custom custom             custom Value implementation
      --custom-with-val custom    custom value which has been set from command line while help is shown
      --customP custom            a VarP with default (default 10)
      --maxT timeout              set timeout for dial
";
        assert_eq!(fs.flag_usages(|_| true), want);
    }
}
