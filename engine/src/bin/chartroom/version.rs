//! `chartroom version`: Helm's `helm version` output (pkg/cmd/version.go,
//! internal/version) for the Helm release Chartroom reproduces, with
//! Chartroom's own version as semver build metadata (`+chartroom.X`), the
//! place Helm's format keeps for build information. GitCommit,
//! GitTreeState and GoVersion are empty: Chartroom is not a Go build of
//! Helm's sources.

use chartroom_engine::error::{Error, Kind as ErrorKind};
use std::process::ExitCode;

use chartroom_engine::Value;

use crate::cobra::{self, Command};
use crate::pflag::{Flag, Kind};

const VERSION_DESC: &str = "
Show the version for Helm.

This will print a representation the version of Helm.
The output will look something like this:

version.BuildInfo{Version:\"v3.2.1\", GitCommit:\"fe51cd1e31e6a202cba7dead9552a6d418ded79a\", GitTreeState:\"clean\", GoVersion:\"go1.13.10\"}

- Version is the semantic version of the release.
- GitCommit is the SHA for the commit that this version was built from.
- GitTreeState is \"clean\" if there are no local code changes when this binary was
  built, and \"dirty\" if the binary was built from locally modified code.
- GoVersion is the version of Go that was used to compile Helm.

When using the --template flag the following properties are available to use in
the template:

- .Version contains the semantic version of Helm
- .GitCommit is the git commit
- .GitTreeState is the state of the git tree when Helm was built
- .GoVersion contains the version of Go that Helm was compiled with

For example, --template='Version: {{.Version}}' outputs 'Version: v3.2.1'.
";

/// The Helm release whose behaviour Chartroom reproduces.
pub const HELM_VERSION: &str = "v4.2.3";
/// client-go v0.36 in Helm v4.2.3's go.mod → "v1.36".
const KUBE_CLIENT_VERSION: &str = "v1.36";

pub fn version_string() -> String {
    format!("{HELM_VERSION}+chartroom.{}", env!("CARGO_PKG_VERSION"))
}

pub fn run(args: &[String]) -> ExitCode {
    let mut c = Command::new("version", "print the helm version information", VERSION_DESC, cobra::ROOT);
    c.flag(Flag::new("short", None, Kind::Bool, "false", "print the version number"));
    c.flag(Flag::new("template", None, Kind::String, "", "template for version string format"));
    c.run_e(args, cobra::no_args, |c, _| {
        let tpl = c.flags.get_str("template");
        if !tpl.is_empty() {
            print!("{}", execute_template(&tpl)?);
            return Ok(ExitCode::SUCCESS);
        }
        print_version(c);
        Ok(ExitCode::SUCCESS)
    })
}

/// `helm version` without --template.
fn print_version(c: &Command) {
    if c.flags.get_bool("short") {
        // GitCommit is empty: GetVersion().
        println!("{}", version_string());
    } else {
        println!(
            "version.BuildInfo{{Version:\"{}\", GitCommit:\"\", GitTreeState:\"\", GoVersion:\"\", KubeClientVersion:\"{KUBE_CLIENT_VERSION}\"}}",
            version_string()
        );
    }
}

/// text/template with no functions over BuildInfo's fields.
fn execute_template(text: &str) -> Result<String, Error> {
    use chartroom_engine::template::{Env, Exec, FuncMap, TemplateSet};
    let funcs = FuncMap::new();
    let mut set = TemplateSet::new();
    set.add("_", text, &funcs).map_err(|e| Error::new(ErrorKind::Cli, e.to_string()))?;
    let mut data = chartroom_engine::value::Map::new();
    data.insert("Version".into(), Value::str(&version_string()));
    data.insert("GitCommit".into(), Value::str(""));
    data.insert("GitTreeState".into(), Value::str(""));
    data.insert("GoVersion".into(), Value::str(""));
    data.insert("KubeClientVersion".into(), Value::str(KUBE_CLIENT_VERSION));
    let mut env = Env::default();
    let mut exec = Exec::new(set, &funcs, &mut env);
    exec.execute("_", &Value::map(data)).map_err(|e| Error::new(ErrorKind::Cli, e.error.text()))
}
