//! `chartroom`: Helm's command line (`helm template`, `helm show`, `helm
//! version`) on Chartroom's engine, plus Chartroom's `plugin` commands.
//! Modules follow the Go code they port: `pflag` (spf13/pflag flag
//! parsing), `cobra` (spf13/cobra commands, help and errors),
//! `environment` (Helm's global flags), `loader` (reading a chart from
//! disk), one module per command.

mod cobra;
mod environment;
mod getter;
mod lint;
mod loader;
mod pflag;
#[cfg(feature = "plugins")]
mod plugin;
mod show;
mod template;
mod validate;
mod values;
mod version;

use std::process::ExitCode;

use cobra::Command;

/// Chartroom's own failures outside a command (`Error: ...`, exit 1).
pub fn fail(msg: impl std::fmt::Display) -> ExitCode {
    cobra::print_error(msg);
    ExitCode::from(1)
}

const ROOT_DESC: &str =
    "Chartroom: Helm v4.2.3's `helm template`, `helm lint`, `helm show` and `helm version`, offline,
on a Rust engine (the same one the Chartroom page runs in the browser).
Output and error messages are Helm's, byte for byte; nothing is downloaded and
no cluster is contacted.";

const COMMANDS: [(&str, &str); 8] = [
    ("help", "Help about any command"),
    ("lint", "examine a chart for possible issues"),
    ("plugin", "run a Helm 4 Wasm plugin directly (chartroom only)"),
    ("show", "show information of a chart"),
    ("template", "locally render templates"),
    ("validate", "render templates and check them against the Kubernetes API (chartroom only)"),
    ("values", "print the merged values with the origin of each (chartroom only)"),
    ("version", "print the helm version information"),
];

fn root_command() -> Command {
    let mut c = Command::new("chartroom", "The Helm package manager for Kubernetes.", ROOT_DESC, "");
    c.runnable = false;
    c.subcommands = COMMANDS.to_vec();
    for f in &mut c.flags.flags {
        f.persistent = false;
    }
    c
}

const PLUGIN_USAGE: &str = "Usage:
  chartroom plugin invoke PLUGIN_DIR --input FILE|-   send exactly these bytes to the plugin, print its raw output
  chartroom plugin run PLUGIN_DIR [-- ARGS...]        run a cli/v1 plugin
  chartroom plugin get PLUGIN_DIR URL                 run a getter/v1 plugin, artefact bytes to stdout

Flags:
      --profile P    helm-4.2 (default: Helm's effective limits) or documented (the docs' defaults)
      --fuel N       instruction budget, so a run is reproducible on any machine
      --mock-http F  YAML/JSON table: URL -> {status, headers, body}
      --log json     print the capability log and limits summary (JSON) to stderr
";

/// newRootCmdWithConfig: Helm parses the global flags first (unknown flags
/// allowed) and refuses a bad color mode before any command runs; main then
/// logs the failure.
fn check_color_mode(args: &[String]) -> Result<(), ExitCode> {
    let mut fs = pflag::FlagSet { allow_unknown: true, ..Default::default() };
    for f in environment::global_flags() {
        fs.add(f);
    }
    let _ = fs.parse(args);
    // --color and --colour set the same setting.
    let mode = if fs.changed("colour") { fs.get_str("colour") } else { fs.get_str("color") };
    if matches!(mode.as_str(), "never" | "auto" | "always") {
        return Ok(());
    }
    let err = format!(
        "invalid color mode {}: must be one of: never, auto, always",
        chartroom_engine::gofmt::strconv::quote(&mode)
    );
    template::slog_attrs("WARN", "command failed", &[("error", &err)]);
    Err(ExitCode::from(1))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(code) = check_color_mode(&args) {
        return code;
    }
    let mut root = root_command();
    root.flag(environment::help_flag("chartroom"));
    // cobra's Find: the first word that is not a flag or a flag's value.
    let words = cobra::strip_flags(&args, &root.flags);
    let Some(cmd) = words.first().cloned() else {
        // The root is not runnable: its help (or a flag error).
        root.flags.flags.retain(|f| f.name != "help");
        return match root.execute(&args, |_, _| Ok(())) {
            cobra::Outcome::Failed => ExitCode::from(1),
            _ => ExitCode::SUCCESS,
        };
    };
    let rest = cobra::args_minus_first(&args, &cmd, &root.flags);
    match cmd.as_str() {
        "template" => template::run(&rest),
        "lint" => lint::run(&rest),
        "values" => template::run_values(&rest),
        "validate" => validate::run(&rest),
        "show" | "inspect" => {
            let show_flags = {
                let mut fs = pflag::FlagSet::default();
                for f in environment::global_flags() {
                    fs.add(f);
                }
                fs.add(environment::help_flag("show"));
                fs
            };
            let sub = cobra::strip_flags(&rest, &show_flags).first().cloned();
            match sub.filter(|s| show::names().contains(&s.as_str())) {
                Some(s) => show::run(Some(&s), &cobra::args_minus_first(&rest, &s, &show_flags)),
                None => show::run(None, &rest),
            }
        }
        "version" => version::run(&rest),
        "help" => {
            let target = cobra::strip_flags(&rest, &root.flags);
            let mut help_args = vec!["--help".to_string()];
            match target.first().map(String::as_str) {
                Some("template") => template::run(&help_args),
                Some("lint") => lint::run(&help_args),
                Some("values") => template::run_values(&help_args),
                Some("validate") => validate::run(&help_args),
                Some("version") => version::run(&help_args),
                Some("show") | Some("inspect") => match target.get(1).filter(|s| show::names().contains(&s.as_str())) {
                    Some(s) => show::run(Some(s), &help_args),
                    None => show::run(None, &help_args),
                },
                Some("plugin") => {
                    print!("{PLUGIN_USAGE}");
                    ExitCode::SUCCESS
                }
                _ => {
                    help_args.clear();
                    root.flags.flags.retain(|f| f.name != "help");
                    root.execute(&help_args, |_, _| Ok(()));
                    ExitCode::SUCCESS
                }
            }
        }
        "plugin" => {
            let before_dash = rest.iter().take_while(|a| *a != "--");
            if rest.is_empty() || before_dash.clone().any(|a| a == "-h" || a == "--help") {
                print!("{PLUGIN_USAGE}");
                return ExitCode::SUCCESS;
            }
            #[cfg(feature = "plugins")]
            return plugin::plugin_main(&rest);
            #[cfg(not(feature = "plugins"))]
            return fail("this chartroom was built without the plugins feature");
        }
        other => {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.0).collect();
            eprintln!("Error: {}", cobra::unknown_command(other, cobra::ROOT, &names));
            eprintln!("Run '{} --help' for usage.", cobra::ROOT);
            ExitCode::from(1)
        }
    }
}
