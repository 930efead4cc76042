//! `chartroom show chart|values|readme|crds|all CHART`: Helm v4.2.3's
//! pkg/cmd/show.go and pkg/action/show.go for a local chart.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::process::ExitCode;

use chartroom_engine::chart::Chart;
use chartroom_engine::Value;

use crate::cobra::{self, Command};
use crate::pflag::{Flag, Kind};

const SHOW_DESC: &str = "
This command consists of multiple subcommands to display information about a chart
";

/// (name, Short, Long) of each subcommand.
const SUBCOMMANDS: [(&str, &str, &str); 5] = [
    (
        "all",
        "show all information of the chart",
        "\nThis command inspects a chart (directory, file, or URL) and displays all its content\n(values.yaml, Chart.yaml, README)\n",
    ),
    (
        "chart",
        "show the chart's definition",
        "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the Chart.yaml file\n",
    ),
    (
        "crds",
        "show the chart's CRDs",
        "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the CustomResourceDefinition files\n",
    ),
    (
        "readme",
        "show the chart's README",
        "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the README file\n",
    ),
    (
        "values",
        "show the chart's values",
        "\nThis command inspects a chart (directory, file, or URL) and displays the contents\nof the values.yaml file\n",
    ),
];

pub fn names() -> Vec<&'static str> {
    SUBCOMMANDS.iter().map(|s| s.0).collect()
}

fn show_command() -> Command {
    let mut c = Command::new("show", "show information of a chart", SHOW_DESC, cobra::ROOT);
    c.aliases = &["inspect"];
    c.runnable = false;
    c.subcommands = SUBCOMMANDS.iter().map(|s| (s.0, s.1)).collect();
    c
}

fn sub_command(name: &str) -> Option<Command> {
    let (n, short, long) = SUBCOMMANDS.iter().find(|s| s.0 == name)?;
    let use_: &'static str = match *n {
        "all" => "all [CHART]",
        "chart" => "chart [CHART]",
        "crds" => "crds [CHART]",
        "readme" => "readme [CHART]",
        _ => "values [CHART]",
    };
    let mut c = Command::new(use_, short, long, &format!("{} show", cobra::ROOT));
    let b = |name, usage| Flag::new(name, None, Kind::Bool, "false", usage);
    let s = |name, usage| Flag::new(name, None, Kind::String, "", usage);
    c.flag(b(
        "devel",
        "use development versions, too. Equivalent to version '>0.0.0-0'. If --version is set, this is ignored",
    ));
    if *n == "values" {
        c.flag(s("jsonpath", "supply a JSONPath expression to filter the output"));
    }
    crate::template::add_chart_path_options_flags(&mut c);
    Some(c)
}

/// `chartroom show ...`: `args` are the words after `show` (flags
/// included), `sub` the subcommand cobra's Find picked, if any.
pub fn run(sub: Option<&str>, args: &[String]) -> ExitCode {
    let (mut c, validate): (Command, Box<cobra::Validator>) = match sub.and_then(sub_command) {
        Some(c) => (c, Box::new(cobra::exact_args(1))),
        None => (show_command(), Box::new(cobra::no_args)),
    };
    let format = sub.unwrap_or("all");
    c.run_e(args, validate, |c, p| {
        print!("{}", show(format, &p[0], c)?);
        Ok(ExitCode::SUCCESS)
    })
}

fn show(format: &str, chart_ref: &str, c: &Command) -> Result<String, Error> {
    if !c.flags.get_str("jsonpath").is_empty() {
        return Err(Error::new(ErrorKind::Cli, "--jsonpath is not supported by chartroom"));
    }
    let located = crate::loader::locate_chart(chart_ref, &crate::loader::ChartPathOptions::from_flags(&c.flags))?;
    let loaded = crate::loader::load_located(&located)?;
    Ok(render_show(format, &loaded.chart, &loaded.files))
}

/// action.Show.Run's text for a loaded chart and its raw files.
pub fn render_show(format: &str, chart: &Chart, files: &std::collections::BTreeMap<String, Vec<u8>>) -> String {
    let all = format == "all";
    let mut out = String::new();
    if format == "chart" || all {
        // yaml.Marshal's text ends with a newline; Fprintf adds one.
        out.push_str(&metadata_yaml(chart));
        out.push('\n');
    }
    // chart.Values is nil without a values.yaml: nothing, not even `---`;
    // else the raw file (chart.Raw) is printed as is.
    if let Some(v) = files.get("values.yaml").filter(|_| format == "values" || all) {
        if all {
            out.push_str("---\n");
        }
        out.push_str(&String::from_utf8_lossy(v));
        out.push('\n');
    }
    if format == "readme" || all {
        // findReadme: the first of chart.Files (load order) named like
        // readme.md / readme.txt / readme, case-insensitively.
        let readme = chart.files.iter().find(|f| {
            let n = f.name.to_lowercase();
            n == "readme.md" || n == "readme.txt" || n == "readme"
        });
        if let Some(r) = readme {
            if all {
                out.push_str("---\n");
            }
            out.push_str(&String::from_utf8_lossy(&r.data));
            out.push('\n');
        }
    }
    if format == "crds" || all {
        let mut crds = Vec::new();
        crd_files(chart, &mut crds);
        for data in crds {
            if !data.starts_with("---") {
                out.push_str("---\n");
            }
            out.push_str(&data);
            out.push('\n');
        }
    }
    out
}

fn crd_files(chart: &Chart, out: &mut Vec<String>) {
    for f in chart.crd_files() {
        out.push(String::from_utf8_lossy(&f.data).into_owned());
    }
    for d in &chart.dependencies {
        crd_files(d, out);
    }
}

/// `yaml.Marshal(chart.Metadata)` (sigs.k8s.io/yaml: JSON field names
/// and omitempty, keys sorted).
fn metadata_yaml(chart: &Chart) -> String {
    use chartroom_engine::value::Map;
    let m = &chart.metadata;
    let mut o = Map::new();
    let str_field = |o: &mut Map, k: &str, v: &str| {
        if !v.is_empty() {
            o.insert(k.into(), Value::str(v));
        }
    };
    str_field(&mut o, "name", &m.name);
    str_field(&mut o, "home", &m.home);
    str_field(&mut o, "version", &m.version);
    str_field(&mut o, "description", &m.description);
    str_field(&mut o, "icon", &m.icon);
    str_field(&mut o, "apiVersion", &m.api_version);
    str_field(&mut o, "condition", &m.condition);
    str_field(&mut o, "tags", &m.tags);
    str_field(&mut o, "appVersion", &m.app_version);
    str_field(&mut o, "kubeVersion", &m.kube_version);
    str_field(&mut o, "type", &m.chart_type);
    let strs = |v: &[String]| Value::list(v.iter().map(|s| Value::str(s)).collect());
    if !m.sources.is_empty() {
        o.insert("sources".into(), strs(&m.sources));
    }
    if !m.keywords.is_empty() {
        o.insert("keywords".into(), strs(&m.keywords));
    }
    if m.deprecated {
        o.insert("deprecated".into(), Value::Bool(true));
    }
    if let Some(a) = m.annotations.as_ref().filter(|a| !a.is_empty()) {
        o.insert("annotations".into(), Value::map(a.iter().map(|(k, v)| (k.clone(), Value::str(v))).collect()));
    }
    if !m.maintainers.is_empty() {
        let list = m
            .maintainers
            .iter()
            .map(|mt| {
                let mut mm = Map::new();
                str_field(&mut mm, "name", &mt.name);
                str_field(&mut mm, "email", &mt.email);
                str_field(&mut mm, "url", &mt.url);
                Value::map(mm)
            })
            .collect();
        o.insert("maintainers".into(), Value::list(list));
    }
    if !m.dependencies.is_empty() {
        let list = m
            .dependencies
            .iter()
            .map(|d| {
                let mut mm = Map::new();
                mm.insert("name".into(), Value::str(&d.name));
                mm.insert("repository".into(), Value::str(&d.repository));
                str_field(&mut mm, "version", &d.version);
                str_field(&mut mm, "condition", &d.condition);
                str_field(&mut mm, "alias", &d.alias);
                if !d.tags.is_empty() {
                    mm.insert("tags".into(), strs(&d.tags));
                }
                if d.enabled {
                    mm.insert("enabled".into(), Value::Bool(true));
                }
                if !d.import_values.is_empty() {
                    mm.insert("import-values".into(), Value::list(d.import_values.clone()));
                }
                Value::map(mm)
            })
            .collect();
        o.insert("dependencies".into(), Value::list(list));
    }
    chartroom_engine::yaml::marshal(&Value::map(o)).unwrap_or_default()
}
