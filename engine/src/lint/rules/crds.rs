//! pkg/chart/v2/lint/rules/crds.go: every document under crds/ is plain
//! YAML (not a template) of an apiextensions.k8s.io CustomResourceDefinition.

use super::{decode_documents, stat, Stat};
use crate::error::{Error, Kind};
use crate::lint::support::{finding, Linter, Severity};
use crate::lint::ChartFiles;

pub fn crds(linter: &mut Linter, files: &ChartFiles, dirs_on_disk: &[String]) {
    const DIR: &str = "crds/";
    match stat(files, dirs_on_disk, DIR) {
        Stat::Missing => return,
        Stat::File => {
            linter.run(Severity::Error, DIR, Err(Error::new(Kind::Lint, "not a directory")));
            return;
        }
        Stat::Dir => {}
    }
    let chart = match crate::chart::load_files(files) {
        Ok(c) => c,
        Err(e) => {
            linter.run(Severity::Error, DIR, Err(e));
            return;
        }
    };
    for crd in chart.crd_files() {
        let text = String::from_utf8_lossy(&crd.data);
        for doc in decode_documents(&text) {
            match doc {
                Err(e) => {
                    let e = e.wrap("unable to parse YAML: ");
                    linter.run(Severity::Error, &crd.name, Err(finding(e.message, Some(crd.name.clone()), e.line)));
                    return;
                }
                Ok(None) => {}
                Ok(Some(obj)) => {
                    let at = |e: &str| Err(finding(e, Some(crd.name.clone()), None));
                    if !obj.api_version.starts_with("apiextensions.k8s.io") {
                        linter.run(Severity::Error, &crd.name, at("apiVersion is not in 'apiextensions.k8s.io'"));
                    }
                    if obj.kind != "CustomResourceDefinition" {
                        linter.run(Severity::Error, &crd.name, at("object kind is not 'CustomResourceDefinition'"));
                    }
                }
            }
        }
    }
}
