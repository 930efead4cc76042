//! `chartroom validate [NAME] [CHART] [flags]` (Chartroom only): renders
//! like `chartroom template`, with every one of its flags, then checks each
//! rendered document against the Kubernetes API of the selected version
//! (engine/src/kube). One line per finding, then
//! `N documents: N valid, N invalid, N without schema`; exit 1 when a
//! document is invalid or the chart does not render (the error printed as
//! `template` prints it).

use chartroom_engine::error::Error;
use std::process::ExitCode;

use chartroom_engine::kube;

use crate::cobra::{self, Command};
use crate::pflag::{Flag, FlagSet, Kind};

const VALIDATE_DESC: &str = "
Render chart templates locally and check every rendered document against the
Kubernetes API of the selected version (the '--kube-version' flag; Helm's
default when it is not set).

Each document's apiVersion and kind must be served by that version, and its
fields must match the version's OpenAPI schema: no unknown fields, the right
types (integers, strings, int-or-string, quantities), required fields present.
Custom resources are checked against the CustomResourceDefinitions the chart
ships (in crds/ and in its templates); other kinds without a schema are counted,
not reported. An API version that the selected version no longer serves is
reported with the release that removed it.

One line is printed per finding, then a summary:

    mychart/templates/deployment.yaml: Deployment/web: spec.replicas: expected integer, got string
    3 documents: 2 valid, 1 invalid, 0 without schema

The exit status is 1 when any document is invalid or the chart does not render.
Schemas cover Kubernetes v1.25 to v1.37; nothing is downloaded and no cluster
is contacted.
";

fn schema_dir_flag() -> Flag {
    Flag::new(
        "schema-dir",
        None,
        Kind::String,
        "",
        "folder of the Kubernetes schema bundles (default: $CHARTROOM_KUBE_SCHEMAS or the build's target/kube-schemas)",
    )
}

pub fn command() -> Command {
    let mut c = crate::template::command();
    c.use_ = "validate [NAME] [CHART]";
    c.short = "render templates and check them against the Kubernetes API (chartroom only)";
    c.long = VALIDATE_DESC.to_string();
    let mut f = schema_dir_flag();
    f.hidden = true;
    c.flag(f);
    let mut extra = FlagSet::default();
    for f in crate::template::chartroom_flags() {
        extra.add(f);
    }
    extra.add(schema_dir_flag());
    c.help_footer = format!(
        "\nChartroom flags (not in Helm; CHART must be a local folder or .tgz, nothing is downloaded):\n{}",
        extra.flag_usages(|_| true)
    );
    c
}

pub fn run(args: &[String]) -> ExitCode {
    command().run_e(args, cobra::minimum_n_args(1), |c, p| {
        run_e(c, p).map(|valid| if valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
    })
}

/// Ok(whether every document is valid).
fn run_e(c: &Command, args: &[String]) -> Result<bool, Error> {
    let p = crate::template::prepare(c, args)?;
    // The schemas first: a missing bundle is reported before any render.
    let minor = kube::minor_of(p.req.kube_version.as_deref())?;
    let dir = c.flags.get_str("schema-dir");
    let dir = if dir.is_empty() { kube::default_schema_dir() } else { dir.into() };
    let bundle = kube::load_bundle(&dir, minor)?;
    if !p.output_dir.is_empty() {
        eprintln!("chartroom: --output-dir: validate writes no files");
    }
    let out = match crate::template::render(c, &p.chart, &p.req, p.post_renderers.first())? {
        Ok(out) => out,
        Err(e) => {
            // As `template` reports it (with --debug, without the hint).
            return Err(match e.message.strip_suffix(crate::template::DEBUG_HINT) {
                Some(m) if p.debug => Error::new(e.kind, m),
                _ => e,
            });
        }
    };
    let crds = kube::chart_crds(&p.chart);
    let report = kube::validate_documents(&bundle, &out.documents, &crds);
    let mut text = String::new();
    for d in &report.documents {
        for l in d.lines() {
            text.push_str(&l);
            text.push('\n');
        }
    }
    text.push_str(&report.summary());
    text.push('\n');
    print!("{text}");
    Ok(report.count(kube::Status::Invalid) == 0)
}
