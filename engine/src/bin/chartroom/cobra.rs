//! The parts of github.com/spf13/cobra v1.10.2 (Helm v4.2.3's version)
//! that shape what a user sees: command lookup (`Find`/`stripFlags`),
//! `execute`'s order (flags, `--help`, runnable, args, flag groups), the
//! default help and usage templates, `UseLine`, and how `ExecuteC` prints
//! a failure. Helm's root command sets `SilenceUsage`, so an error is only
//! `Error: <message>` on stderr, exit status 1; the usage lines Helm shows
//! for a wrong argument count are part of the message (pkg/cmd/require).

use std::process::ExitCode;

use crate::pflag::{Flag, FlagSet, Parsed};
use chartroom_engine::error::{Error, Kind as ErrorKind};

/// The program's name where Helm prints `helm`.
pub const ROOT: &str = "chartroom";

/// A command: cobra's `Command` fields that matter offline.
pub struct Command {
    /// `Use`: the first word is the name.
    pub use_: &'static str,
    pub short: &'static str,
    pub long: String,
    pub aliases: &'static [&'static str],
    /// The parent's command path (`chartroom`, `chartroom show`), empty
    /// for the root.
    pub parent_path: String,
    /// Local flags and the inherited persistent ones (`Flag::persistent`).
    pub flags: FlagSet,
    /// Subcommands as (name, short), for help.
    pub subcommands: Vec<(&'static str, &'static str)>,
    pub runnable: bool,
    /// `MarkFlagsMutuallyExclusive` groups.
    pub exclusive: Vec<&'static [&'static str]>,
    /// Text appended to the help (Chartroom's notes).
    pub help_footer: String,
}

/// A command's `Args` validator (cobra.PositionalArgs).
pub type Validator = dyn Fn(&Command, &[String]) -> Result<(), Error>;

/// What `execute` decided before the command's RunE.
pub enum Outcome {
    /// Run with these positional arguments.
    Run(Vec<String>),
    /// Help was printed: exit 0.
    Helped,
    /// `Error: ...` was printed: exit 1.
    Failed,
}

impl Command {
    pub fn new(use_: &'static str, short: &'static str, long: &str, parent_path: &str) -> Command {
        let mut flags = FlagSet::default();
        for f in crate::environment::global_flags() {
            flags.add(f);
        }
        Command {
            use_,
            short,
            long: long.to_string(),
            aliases: &[],
            parent_path: parent_path.to_string(),
            flags,
            subcommands: Vec::new(),
            runnable: true,
            exclusive: Vec::new(),
            help_footer: String::new(),
        }
    }

    pub fn name(&self) -> &str {
        self.use_.split(' ').next().unwrap_or(self.use_)
    }

    pub fn command_path(&self) -> String {
        if self.parent_path.is_empty() {
            self.name().to_string()
        } else {
            format!("{} {}", self.parent_path, self.name())
        }
    }

    /// Adds a flag defined by this command (not inherited).
    pub fn flag(&mut self, f: Flag) -> &mut Flag {
        self.flags.add(f)
    }

    fn has_available_flags(&self) -> bool {
        self.flags.flags.iter().any(|f| !f.hidden)
    }

    /// `UseLine`.
    pub fn use_line(&self) -> String {
        let mut l = if self.parent_path.is_empty() {
            self.use_.to_string()
        } else {
            format!("{} {}", self.parent_path, self.use_)
        };
        if self.has_available_flags() && !l.contains("[flags]") {
            l.push_str(" [flags]");
        }
        l
    }

    /// `UsageString` (defaultUsageFunc).
    pub fn usage_string(&self) -> String {
        let mut w = String::from("Usage:");
        if self.runnable {
            w.push_str(&format!("\n  {}", self.use_line()));
        }
        if !self.subcommands.is_empty() {
            w.push_str(&format!("\n  {} [command]", self.command_path()));
        }
        if !self.aliases.is_empty() {
            let mut names = vec![self.name()];
            names.extend(self.aliases.iter().copied());
            w.push_str(&format!("\n\nAliases:\n  {}", names.join(", ")));
        }
        if !self.subcommands.is_empty() {
            w.push_str("\n\nAvailable Commands:");
            let pad = self.subcommands.iter().map(|s| s.0.len()).max().unwrap_or(0).max(11);
            let mut subs = self.subcommands.clone();
            subs.sort();
            for (name, short) in subs {
                w.push_str(&format!("\n  {name:<pad$} {short}"));
            }
        }
        let local = self.flags.flag_usages(|f| !f.persistent);
        if !local.is_empty() {
            w.push_str("\n\nFlags:\n");
            w.push_str(local.trim_end());
        }
        let global = self.flags.flag_usages(|f| f.persistent);
        if !global.is_empty() {
            w.push_str("\n\nGlobal Flags:\n");
            w.push_str(global.trim_end());
        }
        if !self.subcommands.is_empty() {
            w.push_str(&format!(
                "\n\nUse \"{} [command] --help\" for more information about a command.",
                self.command_path()
            ));
        }
        w.push('\n');
        w
    }

    /// `defaultHelpFunc`, plus Chartroom's own notes after cobra's text.
    pub fn help(&self) -> String {
        let mut w = String::new();
        let usage = if self.long.is_empty() { self.short } else { self.long.as_str() };
        let usage = usage.trim_end();
        if !usage.is_empty() {
            w.push_str(usage);
            w.push_str("\n\n");
        }
        w.push_str(&self.usage_string());
        w.push_str(&self.help_footer);
        w
    }

    /// `Command.execute` with its `RunE`: flags parsed and validated, then
    /// `run_e` on the positional arguments; its error printed as
    /// `Error: …` with exit status 1, as `ExecuteC` does.
    pub fn run_e(
        &mut self,
        args: &[String],
        validate: impl Fn(&Command, &[String]) -> Result<(), Error>,
        run_e: impl FnOnce(&Command, &[String]) -> Result<ExitCode, Error>,
    ) -> ExitCode {
        match self.execute(args, validate) {
            Outcome::Run(positional) => run_e(self, &positional).unwrap_or_else(|e| {
                print_error(&e);
                ExitCode::from(1)
            }),
            Outcome::Helped => ExitCode::SUCCESS,
            Outcome::Failed => ExitCode::from(1),
        }
    }

    /// `Command.execute` up to RunE, printing help or the error the way
    /// `ExecuteC` does. `validate` is the command's `Args` validator.
    pub fn execute(&mut self, args: &[String], validate: impl Fn(&Command, &[String]) -> Result<(), Error>) -> Outcome {
        self.flag(crate::environment::help_flag(self.name()));
        match self.flags.parse(args) {
            Ok(Parsed::Flags) => {}
            Ok(Parsed::Help) => {
                print!("{}", self.help());
                return Outcome::Helped;
            }
            Err(e) => {
                print_error(&e);
                return Outcome::Failed;
            }
        }
        // Warnings pflag wrote while parsing (deprecated flags).
        if !self.flags.output.is_empty() {
            eprint!("{}", self.flags.output);
        }
        if self.flags.get_bool("help") || !self.runnable {
            print!("{}", self.help());
            return Outcome::Helped;
        }
        let positional = self.flags.args.clone();
        if let Err(e) = validate(self, &positional) {
            print_error(&e);
            return Outcome::Failed;
        }
        // ValidateFlagGroups: mutually exclusive groups.
        for group in &self.exclusive {
            let mut set: Vec<&str> = group.iter().copied().filter(|n| self.flags.changed(n)).collect();
            if set.len() > 1 {
                set.sort();
                print_error(format!(
                    "if any flags in the group [{}] are set none of the others can be; [{}] were all set",
                    group.join(" "),
                    set.join(" ")
                ));
                return Outcome::Failed;
            }
        }
        Outcome::Run(positional)
    }
}

/// `c.PrintErrln(c.ErrPrefix(), err.Error())`.
pub fn print_error(msg: impl std::fmt::Display) {
    eprintln!("Error: {msg}");
}

fn pluralize(word: &str, n: usize) -> String {
    if n == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

/// Helm's `require.MinimumNArgs`.
pub fn minimum_n_args(n: usize) -> impl Fn(&Command, &[String]) -> Result<(), Error> {
    move |c, args| {
        if args.len() < n {
            return Err(Error::new(
                ErrorKind::Cli,
                format!(
                    "\"{}\" requires at least {n} {}\n\nUsage:  {}",
                    c.command_path(),
                    pluralize("argument", n),
                    c.use_line()
                ),
            ));
        }
        Ok(())
    }
}

/// Helm's `require.ExactArgs`.
pub fn exact_args(n: usize) -> impl Fn(&Command, &[String]) -> Result<(), Error> {
    move |c, args| {
        if args.len() != n {
            return Err(Error::new(
                ErrorKind::Cli,
                format!(
                    "\"{}\" requires {n} {}\n\nUsage:  {}",
                    c.command_path(),
                    pluralize("argument", n),
                    c.use_line()
                ),
            ));
        }
        Ok(())
    }
}

/// Helm's `require.NoArgs`.
pub fn no_args(c: &Command, args: &[String]) -> Result<(), Error> {
    if !args.is_empty() {
        return Err(Error::new(
            ErrorKind::Cli,
            format!("\"{}\" accepts no arguments\n\nUsage:  {}", c.command_path(), c.use_line()),
        ));
    }
    Ok(())
}

/// cobra's `stripFlags`: the non-flag words of `args`, skipping the value
/// of a flag written `--flag value` or `-f value` (a flag with
/// NoOptDefVal takes no separate value).
pub fn strip_flags(args: &[String], flags: &FlagSet) -> Vec<String> {
    let no_opt = |name: &str| flags.lookup(name).is_some_and(|f| !f.no_opt_def_val.is_empty());
    let short_no_opt = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| flags.flags.iter().any(|f| f.shorthand == Some(c) && !f.no_opt_def_val.is_empty()))
    };
    let mut commands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = &args[i];
        i += 1;
        if s == "--" {
            break;
        }
        let long_takes = s.starts_with("--") && !s.contains('=') && !no_opt(&s[2..]);
        let short_takes = s.starts_with('-') && !s.contains('=') && s.len() == 2 && !short_no_opt(&s[1..]);
        if long_takes || short_takes {
            if args.len() - i <= 1 {
                break;
            }
            i += 1;
            continue;
        }
        if !s.is_empty() && !s.starts_with('-') {
            commands.push(s.clone());
        }
    }
    commands
}

/// cobra's `argsMinusFirstX`: `args` without the first occurrence of the
/// command word `x` (not a flag's value).
pub fn args_minus_first(args: &[String], x: &str, flags: &FlagSet) -> Vec<String> {
    let no_opt = |name: &str| flags.lookup(name).is_some_and(|f| !f.no_opt_def_val.is_empty());
    let short_no_opt = |s: &str| {
        s.chars()
            .next()
            .is_some_and(|c| flags.flags.iter().any(|f| f.shorthand == Some(c) && !f.no_opt_def_val.is_empty()))
    };
    let mut pos = 0;
    while pos < args.len() {
        let s = &args[pos];
        if s == "--" {
            break;
        }
        let long_takes = s.starts_with("--") && !s.contains('=') && !no_opt(&s[2..]);
        let short_takes = s.starts_with('-') && !s.contains('=') && s.len() == 2 && !short_no_opt(&s[1..]);
        if long_takes || short_takes {
            pos += 2;
            continue;
        }
        if !s.starts_with('-') && s == x {
            let mut out = args[..pos].to_vec();
            out.extend_from_slice(&args[pos + 1..]);
            return out;
        }
        pos += 1;
    }
    args.to_vec()
}

/// cobra's Levenshtein distance (case-insensitive, as SuggestionsFor
/// calls it).
fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut prev = d[0];
        d[0] = i;
        for j in 1..=b.len() {
            let cur = d[j];
            d[j] = if a[i - 1] == b[j - 1] { prev } else { 1 + prev.min(d[j]).min(d[j - 1]) };
            prev = cur;
        }
    }
    d[b.len()]
}

/// `unknown command "x" for "chartroom"` with cobra's suggestions.
pub fn unknown_command(typed: &str, path: &str, commands: &[&str]) -> String {
    let mut msg = format!("unknown command \"{typed}\" for \"{path}\"");
    let suggestions: Vec<&&str> = commands
        .iter()
        .filter(|c| levenshtein(typed, c) <= 2 || c.to_lowercase().starts_with(&typed.to_lowercase()))
        .collect();
    if !suggestions.is_empty() {
        msg.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            msg.push_str(&format!("\t{s}\n"));
        }
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pflag::Kind;

    fn cmd() -> Command {
        let mut c = Command::new("template [NAME] [CHART]", "locally render templates", "\nLong text.\n", ROOT);
        c.flag(Flag::new("show-only", Some('s'), Kind::StringArray, "", "only show manifests"));
        c
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn minimum_args_message_is_helms() {
        let c = cmd();
        assert_eq!(
            minimum_n_args(1)(&c, &[]).unwrap_err(),
            "\"chartroom template\" requires at least 1 argument\n\nUsage:  chartroom template [NAME] [CHART] [flags]"
        );
        assert!(minimum_n_args(1)(&c, &s(&["x"])).is_ok());
        assert_eq!(
            exact_args(1)(&c, &[]).unwrap_err(),
            "\"chartroom template\" requires 1 argument\n\nUsage:  chartroom template [NAME] [CHART] [flags]"
        );
        assert_eq!(
            no_args(&c, &s(&["x"])).unwrap_err(),
            "\"chartroom template\" accepts no arguments\n\nUsage:  chartroom template [NAME] [CHART] [flags]"
        );
    }

    #[test]
    fn help_layout() {
        let mut c = cmd();
        c.flag(crate::environment::help_flag("template"));
        let h = c.help();
        assert!(
            h.starts_with("\nLong text.\n\nUsage:\n  chartroom template [NAME] [CHART] [flags]\n\nFlags:\n"),
            "{h}"
        );
        assert!(h.contains("\n  -h, --help "), "{h}");
        assert!(h.contains("\n\nGlobal Flags:\n      --burst-limit int "), "{h}");
        assert!(h.ends_with('\n') && !h.ends_with("\n\n"));
    }

    #[test]
    fn strip_flags_skips_values() {
        let root = cmd().flags;
        assert_eq!(strip_flags(&s(&["-n", "ns", "template", "x"]), &root), vec!["template", "x"]);
        assert_eq!(strip_flags(&s(&["--debug", "template"]), &root), vec!["template"]);
        assert_eq!(
            args_minus_first(&s(&["-n", "template", "template", "c"]), "template", &root),
            s(&["-n", "template", "c"])
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            unknown_command("tempalte", ROOT, &["template", "show"]),
            "unknown command \"tempalte\" for \"chartroom\"\n\nDid you mean this?\n\ttemplate\n"
        );
        assert_eq!(unknown_command("zzz", ROOT, &["template"]), "unknown command \"zzz\" for \"chartroom\"");
    }
}
