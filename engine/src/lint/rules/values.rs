//! pkg/chart/v2/lint/rules/values.go: values.yaml parses, and the top
//! chart's values (user overrides over values.yaml, subcharts not
//! coalesced) meet values.schema.json.

use crate::error::{Error, Kind};
use crate::lint::support::{finding, Linter, Severity};
use crate::lint::ChartFiles;
use crate::value::{Map, Value};

const FILE: &str = "values.yaml";
const SCHEMA: &str = "values.schema.json";

pub fn values_with_overrides(linter: &mut Linter, files: &ChartFiles, overrides: &Map, skip_schema_validation: bool) {
    let Some(data) = files.get(FILE) else {
        linter.run(Severity::Info, FILE, Err(Error::new(Kind::Lint, "file does not exist")));
        return;
    };
    let text = String::from_utf8_lossy(data);
    // common.ReadValuesFile: one sigs.k8s.io/yaml.Unmarshal into
    // common.Values (only the first document).
    let values = match crate::yaml::parse(&text) {
        Err(e) => {
            let line = (e.line > 0).then_some(e.line);
            let msg = format!("unable to parse YAML: {}", crate::yaml::sigs_unmarshal_error(&e));
            linter.run(Severity::Error, FILE, Err(finding(msg, Some(FILE.into()), line)));
            return;
        }
        Ok(Value::Nil) => Map::new(),
        Ok(Value::Map(m, _)) => m.borrow().clone(),
        Ok(other) => {
            let kind = match other {
                Value::List(..) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            };
            linter.run(
                Severity::Error,
                FILE,
                Err(finding(
                    format!("unable to parse YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type common.Values"),
                    Some(FILE.into()),
                    Some(1),
                )),
            );
            return;
        }
    };
    // CoalesceTables(CoalesceTables({}, overrides), values)
    let dst = crate::value::new_map(Map::new());
    if let Value::Map(o, _) = Value::map(overrides.clone()).deep_copy() {
        crate::values::coalesce_tables(&dst, &o, false);
    }
    crate::values::coalesce_tables(&dst, &crate::value::new_map(values), false);
    let schema = files.get(SCHEMA).map(|s| s.as_slice()).unwrap_or_default();
    if schema.is_empty() || skip_schema_validation {
        return;
    }
    let coalesced = Value::map_ref(dst);
    let result = crate::chart::schema::validate_against_single_schema(&coalesced, schema);
    linter.run(Severity::Error, FILE, result.map_err(|e| finding(e.message, Some(FILE.into()), None)));
}
