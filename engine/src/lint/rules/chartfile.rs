//! pkg/chart/v2/lint/rules/chartfile.go: Chart.yaml's format, fields,
//! SemVer, maintainers, URLs, icon, type and dependencies.

use super::{stat, Stat};
use crate::chart::Metadata;
use crate::error::{Error, Kind};
use crate::lint::support::{finding, Linter, Severity};
use crate::lint::ChartFiles;
use crate::sprig::semver::{Constraints, Version};
use crate::value::Value;

const CHART_FILE: &str = "Chart.yaml";

pub fn chartfile(linter: &mut Linter, files: &ChartFiles, dirs_on_disk: &[String]) {
    let dir = stat(files, dirs_on_disk, CHART_FILE) == Stat::Dir;
    linter.run(
        Severity::Error,
        CHART_FILE,
        if dir { Err(Error::new(Kind::Lint, "should be a file, not a directory")) } else { Ok(()) },
    );
    let text = match files.get(CHART_FILE) {
        Some(b) => String::from_utf8_lossy(b).into_owned(),
        None => {
            let e = format!("read {}/{CHART_FILE}: is a directory", linter.chart_dir);
            linter.run(
                Severity::Error,
                CHART_FILE,
                Err(Error::new(Kind::Lint, format!("unable to parse YAML\n\t{e}"))),
            );
            return;
        }
    };
    // chartutil.LoadChartfile: yaml.Unmarshal into chart.Metadata.
    let raw = crate::yaml::parse_typed(&text).map_err(|e| crate::yaml::sigs_unmarshal_error(&e));
    let loaded = raw.clone().and_then(|v| Metadata::from_value(&v).map_err(|e| e.message));
    let md = match loaded {
        Ok(md) => md,
        Err(e) => {
            let line = yaml_error_line(&text);
            linter.run(
                Severity::Error,
                CHART_FILE,
                Err(finding(format!("unable to parse YAML\n\t{e}"), Some(CHART_FILE.into()), line)),
            );
            return;
        }
    };
    let raw = raw.unwrap_or(Value::Nil);
    // StrictLoadChartfile: go-yaml's strict stage (duplicate keys) first,
    // then encoding/json's DisallowUnknownFields.
    let strict = crate::yaml::check_strict(&text)
        .map_err(|e| {
            Error::new(
                Kind::Lint,
                format!("failed to strictly parse chart metadata file\n\t{}", crate::yaml::sigs_unmarshal_error(&e)),
            )
        })
        .and_then(|()| strict_format(&raw));
    linter.run(Severity::Warning, CHART_FILE, strict);

    // loadChartFileForTypeCheck: the same YAML as a map[string]any.
    let typed = crate::yaml::parse(&text).ok();
    let type_check = match &typed {
        Some(Value::Map(m, _)) => Some(m.borrow().clone()),
        _ => None,
    };

    // Each check's finding is marked at the key it is about (for the page;
    // Helm's text has no position).
    let mut check = |severity: Severity, key: &str, result: Result<(), Error>| {
        linter.run(severity, CHART_FILE, result.map_err(|e| e.at(CHART_FILE, key_line(&text, key), None)));
    };
    check(Severity::Error, "name", validate_chart_name(&md));
    check(Severity::Error, "apiVersion", validate_chart_api_version(&md));
    check(Severity::Error, "version", is_string_value(type_check.as_ref(), "version"));
    check(Severity::Error, "version", validate_chart_version(&md));
    check(Severity::Error, "appVersion", is_string_value(type_check.as_ref(), "appVersion"));
    check(Severity::Error, "maintainers", validate_chart_maintainer(&raw, &md));
    check(Severity::Error, "sources", validate_chart_sources(&md));
    check(
        Severity::Info,
        "icon",
        if md.icon.is_empty() { Err(Error::new(Kind::Lint, "icon is recommended")) } else { Ok(()) },
    );
    check(Severity::Error, "icon", validate_chart_icon_url(&md));
    check(Severity::Error, "type", validate_chart_type(&md));
    check(Severity::Error, "dependencies", validate_chart_dependencies(&md));
    check(
        Severity::Warning,
        "version",
        if crate::sprig::semver::is_strict_version(&md.version) {
            Ok(())
        } else {
            Err(Error::new(Kind::Lint, format!("version '{}' is not a valid SemVerV2", md.version)))
        },
    );
}

/// The line (from 1) of top-level key `key` in Chart.yaml's text (plain or
/// quoted), when it is there.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let is_key = |l: &str| {
        let rest = l
            .strip_prefix(key)
            .or_else(|| l.strip_prefix('"').and_then(|r| r.strip_prefix(key)).and_then(|r| r.strip_prefix('"')))
            .or_else(|| l.strip_prefix('\'').and_then(|r| r.strip_prefix(key)).and_then(|r| r.strip_prefix('\'')));
        rest.is_some_and(|r| r.trim_start_matches([' ', '\t']).starts_with(':'))
    };
    text.lines().position(is_key).map(|i| i + 1)
}

/// The line of a YAML error in Chart.yaml, for the page.
fn yaml_error_line(text: &str) -> Option<usize> {
    match crate::yaml::parse_typed(text) {
        Err(e) if e.line > 0 => Some(e.line),
        _ => None,
    }
}

/// `%T` of a value decoded from JSON into `any`.
fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "<nil>",
        Value::String(_) => "string",
        Value::Bool(_) => "bool",
        Value::Int(..) | Value::Uint(_) | Value::Float(_) => "float64",
        Value::List(..) => "[]interface {}",
        _ => "map[string]interface {}",
    }
}

fn is_string_value(data: Option<&crate::value::Map>, key: &str) -> Result<(), Error> {
    let Some(v) = data.and_then(|m| m.get(key)) else { return Ok(()) };
    match go_type_name(v) {
        "string" => Ok(()),
        t => Err(Error::new(Kind::Lint, format!("{key} should be of type string but it's of type {t}"))),
    }
}

/// `yaml.UnmarshalStrict` into chart.Metadata: the first field (in the
/// JSON's sorted key order) that no Go field takes, matched as
/// encoding/json matches (case-insensitively).
fn strict_format(raw: &Value) -> Result<(), Error> {
    use crate::chart::{DEPENDENCY_FIELDS as DEPENDENCY, MAINTAINER_FIELDS as MAINTAINER, METADATA_FIELDS as METADATA};
    fn unknown(m: &crate::value::Map, known: &[&str]) -> Option<String> {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for k in keys {
            if !known.iter().any(|f| f.eq_ignore_ascii_case(k)) {
                return Some(k.clone());
            }
        }
        None
    }
    let err = |k: String| {
        Err(Error::new(Kind::Lint, format!(
            "failed to strictly parse chart metadata file\n\terror unmarshaling JSON: while decoding JSON: json: unknown field {}",
            crate::gofmt::strconv::quote(&k)
        )))
    };
    let Value::Map(m, _) = raw else { return Ok(()) };
    let m = m.borrow();
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort();
    for k in keys {
        let nested = if k.eq_ignore_ascii_case("maintainers") {
            Some(MAINTAINER)
        } else if k.eq_ignore_ascii_case("dependencies") {
            Some(DEPENDENCY)
        } else {
            None
        };
        if !METADATA.iter().any(|f| f.eq_ignore_ascii_case(k)) {
            return err(k.clone());
        }
        if let (Some(known), Some(Value::List(items, _))) = (nested, m.get(k)) {
            for item in items.borrow().iter() {
                if let Value::Map(im, _) = item {
                    if let Some(u) = unknown(&im.borrow(), known) {
                        return err(u);
                    }
                }
            }
        }
    }
    Ok(())
}

fn validate_chart_name(md: &Metadata) -> Result<(), Error> {
    if md.name.is_empty() {
        return Err(Error::new(Kind::Lint, "name is required"));
    }
    if crate::gofmt::path::base(&md.name) != md.name {
        return Err(Error::new(
            Kind::Lint,
            format!("chart name {} is invalid", crate::gofmt::strconv::quote(&md.name)),
        ));
    }
    Ok(())
}

fn validate_chart_api_version(md: &Metadata) -> Result<(), Error> {
    if md.api_version.is_empty() {
        return Err(Error::new(Kind::Lint, "apiVersion is required. The value must be either \"v1\" or \"v2\""));
    }
    if md.api_version != "v1" && md.api_version != "v2" {
        return Err(Error::new(
            Kind::Lint,
            format!("apiVersion '{}' is not valid. The value must be either \"v1\" or \"v2\"", md.api_version),
        ));
    }
    Ok(())
}

fn validate_chart_version(md: &Metadata) -> Result<(), Error> {
    if md.version.is_empty() {
        return Err(Error::new(Kind::Lint, "version is required"));
    }
    let Ok(v) = Version::parse(&md.version) else {
        return Err(Error::new(Kind::Lint, format!("version '{}' is not a valid SemVer", md.version)));
    };
    // semver.NewConstraint(">0.0.0-0").Validate: only 0.0.0-0 itself and
    // lower fail, with the constraint's message.
    let min = Version::parse("0.0.0-0").map_err(|e| Error::new(Kind::Lint, e.to_string()))?;
    if Constraints::parse(">0.0.0-0").is_ok_and(|c| !c.check(&v)) || v.compare(&min) <= 0 {
        return Err(Error::new(Kind::Lint, format!("version {} is less than or equal to 0.0.0-0", v.original)));
    }
    Ok(())
}

/// Maintainers as Go decodes them: a null entry is a nil pointer.
fn validate_chart_maintainer(raw: &Value, md: &Metadata) -> Result<(), Error> {
    if let Some(Value::List(items, _)) = raw.get("maintainers") {
        if items.borrow().iter().any(|i| matches!(i, Value::Nil)) {
            // The first nil entry may come after a bad one.
            let mut mi = md.maintainers.iter();
            for item in items.borrow().iter() {
                if matches!(item, Value::Nil) {
                    return Err(Error::new(Kind::Lint, "a maintainer entry is empty"));
                }
                if let Some(m) = mi.next() {
                    check_maintainer(m)?;
                }
            }
        }
    }
    for m in &md.maintainers {
        check_maintainer(m)?;
    }
    Ok(())
}

fn check_maintainer(m: &crate::chart::Maintainer) -> Result<(), Error> {
    if m.name.is_empty() {
        return Err(Error::new(Kind::Lint, "each maintainer requires a name"));
    }
    if !m.email.is_empty() && !super::govalidator::is_email(&m.email) {
        return Err(Error::new(Kind::Lint, format!("invalid email '{}' for maintainer '{}'", m.email, m.name)));
    }
    if !m.url.is_empty() && !super::govalidator::is_url(&m.url) {
        return Err(Error::new(Kind::Lint, format!("invalid url '{}' for maintainer '{}'", m.url, m.name)));
    }
    Ok(())
}

fn validate_chart_sources(md: &Metadata) -> Result<(), Error> {
    for s in &md.sources {
        if s.is_empty() || !super::govalidator::is_request_url(s) {
            return Err(Error::new(Kind::Lint, format!("invalid source URL '{s}'")));
        }
    }
    Ok(())
}

fn validate_chart_icon_url(md: &Metadata) -> Result<(), Error> {
    if !md.icon.is_empty() && !super::govalidator::is_request_url(&md.icon) {
        return Err(Error::new(Kind::Lint, format!("invalid icon URL '{}'", md.icon)));
    }
    Ok(())
}

fn validate_chart_dependencies(md: &Metadata) -> Result<(), Error> {
    if !md.dependencies.is_empty() && md.api_version != "v2" {
        return Err(Error::new(
            Kind::Lint,
            format!(
                "dependencies are not valid in the Chart file with apiVersion '{}'. They are valid in apiVersion 'v2'",
                md.api_version
            ),
        ));
    }
    Ok(())
}

fn validate_chart_type(md: &Metadata) -> Result<(), Error> {
    if !md.chart_type.is_empty() && md.api_version != "v2" {
        return Err(Error::new(
            Kind::Lint,
            format!("chart type is not valid in apiVersion '{}'. It is valid in apiVersion 'v2'", md.api_version),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_marked_at_their_key() {
        let text = "apiVersion: v1\nname: c\nversion: 1.0\n\"type\" : application\nmaintainers:\n  - name: x\n";
        assert_eq!(key_line(text, "version"), Some(3));
        assert_eq!(key_line(text, "type"), Some(4));
        assert_eq!(key_line(text, "name"), Some(2));
        assert_eq!(key_line(text, "icon"), None);
        let files: ChartFiles = [(CHART_FILE.to_string(), text.as_bytes().to_vec())].into();
        let mut linter = Linter::default();
        chartfile(&mut linter, &files, &[]);
        let at = |needle: &str| {
            let m = linter.messages.iter().find(|m| m.err.contains(needle)).expect(needle);
            (m.file.as_deref(), m.line)
        };
        assert_eq!(at("chart type is not valid"), (Some(CHART_FILE), Some(4)));
        assert_eq!(at("icon is recommended"), (Some(CHART_FILE), None));
    }
}
