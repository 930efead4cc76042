//! pkg/chart/v2/lint/rules/dependencies.go: Chart.yaml's dependencies and
//! the charts under charts/ name each other, and no name or alias is
//! used twice.

use crate::chart::Chart;
use crate::error::{Error, Kind};
use crate::lint::support::{Linter, Severity};
use crate::lint::ChartFiles;

pub fn dependencies(linter: &mut Linter, files: &ChartFiles) {
    let c = match crate::chart::load_files(files) {
        Ok(c) => c,
        Err(e) => {
            linter.run(Severity::Error, "", Err(e.wrap("unable to load chart\n\t")));
            return;
        }
    };
    let dir = linter.chart_dir.clone();
    linter.run(Severity::Error, &dir, in_metadata(&c).map_err(|e| e.at("Chart.yaml", None, None)));
    linter.run(Severity::Error, &dir, unique(&c).map_err(|e| e.at("Chart.yaml", None, None)));
    linter.run(Severity::Warning, &dir, in_charts_dir(&c).map_err(|e| e.at("Chart.yaml", None, None)));
}

fn in_charts_dir(c: &Chart) -> Result<(), Error> {
    let missing = crate::chart::dependencies::missing_in_charts(c);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::new(Kind::Lint, format!("chart directory is missing these dependencies: {}", missing.join(","))))
    }
}

fn in_metadata(c: &Chart) -> Result<(), Error> {
    let missing: Vec<&str> = c
        .dependencies
        .iter()
        .filter(|s| !c.metadata.dependencies.iter().any(|d| d.name == s.name()))
        .map(|s| s.name())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::new(Kind::Lint, format!("chart metadata is missing these dependencies: {}", missing.join(","))))
    }
}

fn unique(c: &Chart) -> Result<(), Error> {
    let mut seen: Vec<&str> = Vec::new();
    let mut shadowing: Vec<&str> = Vec::new();
    for d in &c.metadata.dependencies {
        let key = if d.alias.is_empty() { d.name.as_str() } else { d.alias.as_str() };
        if seen.contains(&key) {
            shadowing.push(key);
        }
        seen.push(key);
    }
    if shadowing.is_empty() {
        Ok(())
    } else {
        Err(Error::new(Kind::Lint, format!("multiple dependencies with name or alias: {}", shadowing.join(","))))
    }
}
