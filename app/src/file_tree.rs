//! The file list as a tree: folder rows inserted before the files they
//! hold, each row with its depth. Pure logic over paths in tree order
//! (`ChartFiles` keeps that order: in each folder, files before subfolders).

/// One row of the file tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Nesting depth (0 at the chart root).
    pub depth: usize,
    /// The folder ("charts/sub") or file path.
    pub path: String,
    /// What the row shows: the last path part ("sub/", "x.yaml").
    pub label: String,
    pub folder: bool,
}

/// Rows for `paths` (already in tree order): a folder row each time a
/// folder is entered.
pub fn rows(paths: &[String]) -> Vec<Row> {
    let mut out = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for path in paths {
        let parts: Vec<&str> = path.split('/').collect();
        let (dirs, name) = parts.split_at(parts.len().saturating_sub(1));
        let same = open.iter().zip(dirs.iter()).take_while(|(a, b)| a == b).count();
        open.truncate(same);
        for (i, d) in dirs.iter().enumerate().skip(same) {
            open.push(d);
            out.push(Row { depth: i, path: dirs[..=i].join("/"), label: format!("{d}/"), folder: true });
        }
        out.push(Row {
            depth: dirs.len(),
            path: path.clone(),
            label: name.first().copied().unwrap_or_default().to_string(),
            folder: false,
        });
    }
    out
}

/// The rows left when the folders in `collapsed` are folded: their own
/// row stays, everything inside them is hidden.
pub fn visible(rows: Vec<Row>, collapsed: &std::collections::BTreeSet<String>) -> Vec<Row> {
    let inside = |path: &str| {
        collapsed.iter().any(|c| {
            path.len() > c.len() && path.starts_with(c.as_str()) && path.as_bytes().get(c.len()) == Some(&b'/')
        })
    };
    rows.into_iter().filter(|r| !inside(&r.path)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::ChartFiles;

    fn show(rows: &[Row]) -> Vec<String> {
        rows.iter().map(|r| format!("{}{}", "  ".repeat(r.depth), r.label)).collect()
    }

    #[test]
    fn folders_appear_once_before_their_files() {
        let f = ChartFiles::from_pairs([
            ("Chart.yaml", ""),
            ("templates/a.yaml", ""),
            ("templates/tests/t.yaml", ""),
            ("charts/sub/Chart.yaml", ""),
            ("charts/sub/templates/x.yaml", ""),
            ("charts/other-1.0.0.tgz", ""),
            ("files/img/logo.png", ""),
        ]);
        let rows = rows(&f.paths());
        assert_eq!(
            show(&rows),
            [
                "Chart.yaml",
                "templates/",
                "  a.yaml",
                "  tests/",
                "    t.yaml",
                "charts/",
                "  other-1.0.0.tgz",
                "  sub/",
                "    Chart.yaml",
                "    templates/",
                "      x.yaml",
                "files/",
                "  img/",
                "    logo.png",
            ]
        );
        let folder = rows.iter().find(|r| r.label == "templates/" && r.depth == 2);
        assert_eq!(folder.map(|r| r.path.as_str()), Some("charts/sub/templates"));
        assert!(rows.iter().filter(|r| !r.folder).all(|r| f.contains(&r.path)));

        // Folding charts/sub hides what is inside it, not "charts/sub-2" nor the folder row.
        let folded: std::collections::BTreeSet<String> = ["charts/sub".to_string()].into();
        let mut paths = f.paths();
        paths.push("charts/sub-2/Chart.yaml".into());
        let shown = show(&visible(super::rows(&paths), &folded));
        assert!(shown.contains(&"  sub/".to_string()));
        assert!(!shown.iter().any(|l| l.trim() == "x.yaml" || l.trim() == "templates/" && l.starts_with("    ")));
        assert!(shown.contains(&"  sub-2/".to_string()));
        assert_eq!(shown.len(), show(&super::rows(&paths)).len() - 3);
    }
}
