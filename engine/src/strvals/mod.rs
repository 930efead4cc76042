//! Helm's pkg/strvals (v4.2.3): the `--set`, `--set-string`, `--set-json`,
//! `--set-file` and `--set-literal` mini-languages
//! (`a.b=c,list[0]=x,arr={a,b}`), with Helm's error texts.
//!
//! parser.go and literal_parser.go are ported as one recursive parser
//! ([`parser`]) whose mode selects the value reader; [`scan`] holds the rune
//! buffer, `runesUntil`, `typedVal` and `strconv.Atoi`; [`json_value`] is the
//! `json.Decoder` step `--set-json` uses to read one JSON value.
//!
//! Values are typed like Helm's: `--set` numbers are int64, `true`/`false`
//! (any case) bools, `null` is nil; `--set-json` numbers are float64 (the
//! decoder fills an `interface{}` without `UseNumber`); `--set-file` values
//! are the file contents as a string.

mod json_value;
mod parser;
mod scan;

use crate::error::{Error, Kind};
use crate::value::Map;
use parser::{Mode, Parser};

/// `MaxIndex`: the largest list index `a[i]=…` may use.
pub const MAX_INDEX: i64 = 65536;

/// `MaxNestedNameLevel`: how many `.`-separated names one key may nest.
pub const MAX_NESTED_NAME_LEVEL: usize = 30;

/// The `--set-file` reader: the bytes of the file a value names, or the
/// error text Helm would print for it.
pub type FileReader<'a> = &'a mut dyn FnMut(&str) -> Result<Vec<u8>, Error>;

/// `strvals.Parse`: a `--set` line into a new map.
pub fn parse(s: &str) -> Result<Map, Error> {
    let mut vals = Map::new();
    parse_into(s, &mut vals)?;
    Ok(vals)
}

/// `strvals.ParseString`: like [`parse`], every value a string.
pub fn parse_string(s: &str) -> Result<Map, Error> {
    let mut vals = Map::new();
    parse_into_string(s, &mut vals)?;
    Ok(vals)
}

/// `strvals.ParseInto`: merges a `--set` line into `dest` (what
/// `helm template --set` does with the values gathered so far). On error
/// `dest` may hold part of the line, as in Helm.
pub fn parse_into(s: &str, dest: &mut Map) -> Result<(), Error> {
    Parser::new(s, Mode::Typed { strings: false }).parse(dest)
}

/// `strvals.ParseIntoString` (`--set-string`).
pub fn parse_into_string(s: &str, dest: &mut Map) -> Result<(), Error> {
    Parser::new(s, Mode::Typed { strings: true }).parse(dest)
}

/// `strvals.ParseJSON` (`--set-json key=JSON,…`): merges into `dest`; an
/// empty value is null.
pub fn parse_json(s: &str, dest: &mut Map) -> Result<(), Error> {
    Parser::new(s, Mode::Json).parse(dest)
}

/// `strvals.ParseFile`: each value is a path whose contents `reader` gives.
pub fn parse_file(s: &str, reader: FileReader<'_>) -> Result<Map, Error> {
    let mut vals = Map::new();
    parse_into_file(s, &mut vals, reader)?;
    Ok(vals)
}

/// `strvals.ParseIntoFile` (`--set-file`).
pub fn parse_into_file(s: &str, dest: &mut Map, reader: FileReader<'_>) -> Result<(), Error> {
    Parser::new(s, Mode::File(reader)).parse(dest)
}

/// `strvals.ParseLiteral`: the value is everything after the first `=`.
pub fn parse_literal(s: &str) -> Result<Map, Error> {
    let mut vals = Map::new();
    parse_literal_into(s, &mut vals)?;
    Ok(vals)
}

/// `strvals.ParseLiteralInto` (`--set-literal`).
pub fn parse_literal_into(s: &str, dest: &mut Map) -> Result<(), Error> {
    Parser::new(s, Mode::Literal).parse(dest)
}

/// `strvals.ToYAML`: a `--set` line as a YAML document (final newline
/// trimmed).
pub fn to_yaml(s: &str) -> Result<String, Error> {
    let m = parse(s)?;
    crate::yaml::to_yaml(&crate::value::Value::map(m)).map_err(|e| e.of_kind(Kind::Values))
}

/// The paths a `--set-file` line reads, in order (the CLI loads them before
/// rendering). Parsing stops at the first syntax error, like Helm would.
pub fn file_paths(s: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut record = |p: &str| -> Result<Vec<u8>, Error> {
        paths.push(p.to_string());
        Ok(Vec::new())
    };
    let _ = parse_file(s, &mut record);
    paths
}
