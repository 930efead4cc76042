//! `values.schema.json` validation as Helm 4.2.3 does it
//! (pkg/chart/common/util/jsonschema.go, `ValidateAgainstSchema`), with the
//! validation semantics and error text of santhosh-tekuri/jsonschema v6.0.2
//! that Helm uses.
//!
//! Helm validates the chart's coalesced values against its schema, then,
//! for every subchart, the values under the subchart's name against the
//! subchart's schema (recursively). Messages are collected per chart:
//! `values don't meet the specifications of the schema(s) in the following
//! chart(s):\nNAME:\n- at '/path': ...\n`.
//!
//! What is ported: JSON decoding with encoding/json's syntax errors; drafts
//! 4, 6, 7, 2019-09 and 2020-12 (`$schema`, 2020-12 by default); the
//! meta-schema check of draft-07 and 2020-12 schemas (a schema that does
//! not conform is refused with the library's report; the meta-schemas are
//! built in metaschema.rs); `$ref` to JSON
//! pointers, anchors and `$id`s inside the document, `$dynamicRef` (and
//! `$recursiveRef`, followed statically); reference-cycle detection; the
//! library's validation order and error tree (groups, references shown
//! only when they hold several causes) with its message texts, including
//! golang.org/x/text's English number formatting (`1,000`, `1×10⁰⁶`);
//! `unevaluatedProperties`/`unevaluatedItems`; format assertions (only
//! before draft 2019-09, as the library does by default, and in the
//! meta-schema check) for email, hostname, ipv4, ipv6 (netip's texts),
//! uuid, date, time, date-time, uri/iri and uri-reference (net/url's
//! texts, common cases) and regex (with Go regexp's error texts).
//!
//! Known differences: Go iterates maps in random order, so Helm lists
//! errors of several properties (and `additionalProperties` names, and
//! subcharts) in a different order from run to run; we use sorted order.
//! Patterns are Go RE2 patterns, read as Sprig's regex functions read them
//! (sprig/regex.rs: Go's ASCII `\d \w \s \b`, Unicode classes and case
//! folding); a pattern Go would reject is not checked. Draft-04/06/2019-09 schemas are not checked
//! against their meta-schemas, nor are schemas nested more than about 20
//! levels deep (the check is skipped rather than risk the stack). Remote (`http(s)`) references cannot be
//! fetched here and fail like an offline Helm (the resolver's words
//! differ). Content keywords are annotations only.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::rc::Rc;

use super::Chart;

use crate::error::{Error, Kind as ErrorKind};
use crate::gofmt::strconv;
use crate::sprig::regexp::Regex;
use crate::value::Value;

mod formats;
mod json;
mod keywords;
mod metaschema;
mod numbers;
mod output;
mod resolve;

use formats::*;
use json::*;
use keywords::*;
use metaschema::*;
use numbers::*;
use output::*;
use resolve::*;

const ROOT_URL: &str = "file:///values.schema.json";

// ------------------------------------------------------------ helm side ---

/// `ToRenderValuesWithSchemaValidation`'s check: Helm's full error text, or
/// Ok when the values meet every chart's schema. A schema that is itself
/// broken (JSON syntax, meta-schema, `$ref`) marks the error at that chart's
/// `values.schema.json` (the first such chart), at the line and column of a
/// JSON syntax error.
pub fn validate_against_schema(chart: &Chart, values: &Value) -> Result<(), Error> {
    let mut sb = String::new();
    let mut at = None;
    validate_chart(chart, values, &mut sb, &mut at);
    if sb.is_empty() {
        return Ok(());
    }
    let e = Error::new(
        ErrorKind::Schema,
        format!("values don't meet the specifications of the schema(s) in the following chart(s):\n{sb}"),
    );
    Err(match at {
        Some((file, line, col)) => e.at(file, line, col),
        None => e,
    })
}

/// Where a broken schema is marked: file, line, column.
type SchemaAt = (String, Option<usize>, Option<usize>);

/// `ValidateAgainstSchema` (one chart and its subcharts).
fn validate_chart(chart: &Chart, values: &Value, sb: &mut String, at: &mut Option<SchemaAt>) {
    if let Some(schema) = &chart.schema {
        #[cfg(not(feature = "schema"))]
        {
            // The lean build: the full build renders this chart (sprig::ondemand).
            let _ = schema;
            crate::sprig::ondemand::want();
            sb.push_str(&format!(
                "{}:\nvalues.schema.json checks are not in this build of the engine (they load on first use)\n",
                chart.name()
            ));
            return;
        }
        #[cfg(feature = "schema")]
        if let Err(e) = validate_against_single_schema(values, schema) {
            sb.push_str(&format!("{}:\n", chart.name()));
            sb.push_str(&e.message);
            if at.is_none() && e.file.is_some() {
                let file = match chart.full_path.as_str() {
                    "" => SCHEMA_FILE.to_string(),
                    p => format!("{p}/{SCHEMA_FILE}"),
                };
                *at = Some((file, e.line, e.col));
            }
        }
    }
    for sub in &chart.dependencies {
        let raw = match values {
            Value::Map(m, _) => m.borrow().get(sub.name()).cloned(),
            _ => None,
        };
        match raw {
            None | Some(Value::Nil) => continue,
            Some(v @ Value::Map(_, _)) => validate_chart(sub, &v, sb, at),
            Some(other) => sb.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                sub.name(),
                other.type_name()
            )),
        }
    }
}

/// The schema's file in a chart.
pub(super) const SCHEMA_FILE: &str = "values.schema.json";

/// A problem with the schema itself (it does not compile: meta-schema,
/// `$ref`, draft), in the library's words, marked at the schema's file.
pub(super) fn schema_problem(message: String) -> Error {
    Error::new(ErrorKind::Schema, message).at(SCHEMA_FILE, None, None)
}

/// `ValidateAgainstSingleSchema`: the error text as Helm appends it (a
/// validation report ends with a newline, a schema problem does not). A
/// schema problem is marked at `values.schema.json` (with the line and
/// column of a JSON syntax error); a validation report has no position.
pub fn validate_against_single_schema(values: &Value, schema_json: &[u8]) -> Result<(), Error> {
    let doc = parse_json(schema_json)?;
    let compiled = SchemaDoc::compile(doc, schema_json)?;
    match compiled.validate_root(values, false, MAX_DEPTH) {
        Ok(()) => Ok(()),
        Err(causes) => {
            let mut out = String::new();
            for c in &causes {
                c.display(&mut out, 1);
            }
            // Helm trims the "jsonschema validation failed with ..." line;
            // every cause starts with the newline that followed it.
            Err(Error::new(ErrorKind::Schema, format!("{}\n", out.strip_prefix('\n').unwrap_or(&out))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_numbers() {
        for (f, want) in [
            (1000.0, "1,000"),
            (12345.5, "12,345.5"),
            (0.0001, "0.0001"),
            (0.00001, "1×10⁻⁰⁵"),
            (1e21, "1×10²¹"),
            (-5.0, "-5"),
            (100000.0, "100,000"),
            (123456789.0, "1.23456789×10⁰⁸"),
            (-1234567.25, "-1.23456725×10⁰⁶"),
            (999999.0, "999,999"),
        ] {
            assert_eq!(localized_float(f), want);
        }
    }

    #[test]
    fn json_syntax_errors() {
        let err = |b: &[u8]| {
            let e = parse_json(b).unwrap_err();
            (e.message, e.file.unwrap_or_default(), e.line.unwrap_or(0), e.col.unwrap_or(0))
        };
        let at = |m: &str, line, col| (m.to_string(), SCHEMA_FILE.to_string(), line, col);
        assert_eq!(err(b"{bad"), at("invalid character 'b' looking for beginning of object key string", 1, 2));
        assert_eq!(err(b""), at("EOF", 1, 1));
        assert_eq!(err(b"{} x"), at("invalid character after top-level value", 1, 4));
        assert_eq!(err(b"[1,"), at("unexpected EOF", 1, 4));
        // The column counts characters: the page marks the offending byte.
        assert_eq!(err("{\n  \"é\": x}".as_bytes()), at("invalid character 'x' looking for beginning of value", 2, 8));
    }

    #[test]
    fn a_broken_schema_is_marked_in_its_chart_a_failed_validation_is_not() {
        let values = Value::empty_map();
        let mut chart = Chart { full_path: "top".into(), ..Chart::default() };
        chart.metadata.name = "top".into();
        chart.schema = Some(b"{\n\"type\": \"object\",\n\"required\": [\"a\"]}".as_slice().into());
        let e = validate_against_schema(&chart, &values).unwrap_err();
        assert_eq!((e.kind, e.file), (ErrorKind::Schema, None));
        chart.schema = Some(b"{\n\"type\": objet}".as_slice().into());
        let e = validate_against_schema(&chart, &values).unwrap_err();
        assert_eq!(
            e.to_string(),
            "values don't meet the specifications of the schema(s) in the following chart(s):\ntop:\ninvalid character 'o' looking for beginning of value"
        );
        assert_eq!((e.file.as_deref(), e.line, e.col), (Some("top/values.schema.json"), Some(2), Some(9)));
    }

    #[test]
    fn decimals() {
        let d = |s: &str| Dec::parse(s).expect("dec");
        assert!(d("3.05").cmp(&d("3")).is_gt());
        assert_eq!(d("0.3").is_multiple_of(&d("0.1")), Some(true));
        assert_eq!(d("3.05").is_multiple_of(&d("0.1")), Some(false));
        assert_eq!(d("1e6").cmp(&d("1000000")), std::cmp::Ordering::Equal);
    }
}
