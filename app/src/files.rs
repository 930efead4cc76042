//! The in-memory chart being edited: an ordered list of text files, plus the
//! add / rename / delete rules for templates. Pure logic, tested natively.

/// One chart file, path relative to the chart root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    pub path: String,
    pub text: String,
}

/// The files of the chart, kept in display order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChartFiles {
    files: Vec<ChartFile>,
}

/// Why a file operation was refused (shown next to the file list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileOpError {
    EmptyName,
    BadName(String),
    Exists(String),
    NotATemplate(String),
    NotFound(String),
}

impl std::fmt::Display for FileOpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileOpError::EmptyName => write!(f, "enter a file name"),
            FileOpError::BadName(n) => write!(f, "invalid file name {n:?}: use letters, digits, '.', '-', '_' and '/'"),
            FileOpError::Exists(p) => write!(f, "{p} already exists"),
            FileOpError::NotATemplate(p) => write!(f, "{p} is not a template; only files under templates/ can change"),
            FileOpError::NotFound(p) => write!(f, "{p} does not exist"),
        }
    }
}

/// Chart.yaml and values.yaml first (what people open most), then the other
/// top-level files, then templates alphabetically.
fn display_rank(path: &str) -> (u8, &str) {
    match path {
        "Chart.yaml" => (0, path),
        "values.yaml" => (1, path),
        p if p.starts_with("templates/") => (3, p),
        p => (2, p),
    }
}

/// Only templates are user-managed files; Chart.yaml, values.yaml and
/// .helmignore stay (a chart without Chart.yaml is not a chart).
pub fn is_template(path: &str) -> bool {
    path.starts_with("templates/")
}

/// Turns what the user typed ("foo.yaml", "templates/foo.yaml", "sub/foo.yaml")
/// into a template path, refusing names that would escape templates/.
pub fn template_path(input: &str) -> Result<String, FileOpError> {
    let name = input.trim();
    let name = name.strip_prefix("templates/").unwrap_or(name);
    if name.is_empty() {
        return Err(FileOpError::EmptyName);
    }
    let ok_chars = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/'));
    let ok_segments = name.split('/').all(|s| !s.is_empty() && s != "." && s != "..");
    if !ok_chars || !ok_segments {
        return Err(FileOpError::BadName(input.trim().to_string()));
    }
    Ok(format!("templates/{name}"))
}

impl ChartFiles {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut files = ChartFiles::default();
        for (path, text) in pairs {
            files.files.push(ChartFile { path: path.to_string(), text: text.to_string() });
        }
        files.sort();
        files
    }

    fn sort(&mut self) {
        self.files.sort_by(|a, b| display_rank(&a.path).cmp(&display_rank(&b.path)));
    }

    pub fn iter(&self) -> impl Iterator<Item = &ChartFile> {
        self.files.iter()
    }

    pub fn paths(&self) -> Vec<String> {
        self.files.iter().map(|f| f.path.clone()).collect()
    }

    pub fn get(&self, path: &str) -> Option<&ChartFile> {
        self.files.iter().find(|f| f.path == path)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    /// The file an error points at. Helm names files with the chart name in
    /// front ("hello-world/templates/x.yaml"); the list holds chart-relative
    /// paths, so both spellings are accepted.
    pub fn resolve(&self, error_path: &str) -> Option<String> {
        if self.contains(error_path) {
            return Some(error_path.to_string());
        }
        let (_, rest) = error_path.split_once('/')?;
        self.contains(rest).then(|| rest.to_string())
    }

    /// Replaces a file's text (typing in the editor). Unknown paths are ignored.
    pub fn set_text(&mut self, path: &str, text: String) {
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            f.text = text;
        }
    }

    /// Adds a new template; returns its path.
    pub fn add_template(&mut self, input: &str, text: &str) -> Result<String, FileOpError> {
        let path = template_path(input)?;
        if self.contains(&path) {
            return Err(FileOpError::Exists(path));
        }
        self.files.push(ChartFile { path: path.clone(), text: text.to_string() });
        self.sort();
        Ok(path)
    }

    /// Renames a template; returns the new path.
    pub fn rename_template(&mut self, from: &str, input: &str) -> Result<String, FileOpError> {
        if !is_template(from) {
            return Err(FileOpError::NotATemplate(from.to_string()));
        }
        let to = template_path(input)?;
        if to == from {
            return Ok(to);
        }
        if self.contains(&to) {
            return Err(FileOpError::Exists(to));
        }
        let file = self
            .files
            .iter_mut()
            .find(|f| f.path == from)
            .ok_or_else(|| FileOpError::NotFound(from.to_string()))?;
        file.path = to.clone();
        self.sort();
        Ok(to)
    }

    /// Deletes a template.
    pub fn delete_template(&mut self, path: &str) -> Result<(), FileOpError> {
        if !is_template(path) {
            return Err(FileOpError::NotATemplate(path.to_string()));
        }
        let before = self.files.len();
        self.files.retain(|f| f.path != path);
        if self.files.len() == before {
            return Err(FileOpError::NotFound(path.to_string()));
        }
        Ok(())
    }

    /// The files as the engine wants them: (path, bytes).
    pub fn to_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.files.iter().map(|f| (f.path.clone(), f.text.as_bytes().to_vec())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ChartFiles {
        ChartFiles::from_pairs([
            ("templates/b.yaml", "b"),
            ("values.yaml", "v"),
            ("templates/a.yaml", "a"),
            (".helmignore", "i"),
            ("Chart.yaml", "c"),
        ])
    }

    #[test]
    fn display_order_puts_chart_and_values_first() {
        assert_eq!(
            sample().paths(),
            ["Chart.yaml", "values.yaml", ".helmignore", "templates/a.yaml", "templates/b.yaml"]
        );
    }

    #[test]
    fn template_names_are_normalised_and_checked() {
        assert_eq!(template_path(" cm.yaml "), Ok("templates/cm.yaml".into()));
        assert_eq!(template_path("templates/sub/cm.yaml"), Ok("templates/sub/cm.yaml".into()));
        assert_eq!(template_path("  "), Err(FileOpError::EmptyName));
        assert_eq!(template_path("templates/"), Err(FileOpError::EmptyName));
        for bad in ["../Chart.yaml", "a//b", "/abs", "dir/", "sp ace.yaml", "a\\b", "./x"] {
            assert!(matches!(template_path(bad), Err(FileOpError::BadName(_))), "{bad}");
        }
    }

    #[test]
    fn add_rename_delete() {
        let mut f = sample();
        assert_eq!(f.add_template("c.yaml", "c"), Ok("templates/c.yaml".into()));
        assert_eq!(f.add_template("c.yaml", ""), Err(FileOpError::Exists("templates/c.yaml".into())));
        assert_eq!(f.rename_template("templates/c.yaml", "0.yaml"), Ok("templates/0.yaml".into()));
        assert_eq!(f.paths()[3], "templates/0.yaml");
        assert_eq!(f.get("templates/0.yaml").map(|x| x.text.as_str()), Some("c"));
        assert_eq!(
            f.rename_template("templates/0.yaml", "a.yaml"),
            Err(FileOpError::Exists("templates/a.yaml".into()))
        );
        assert_eq!(f.rename_template("Chart.yaml", "x.yaml"), Err(FileOpError::NotATemplate("Chart.yaml".into())));
        assert_eq!(f.delete_template("values.yaml"), Err(FileOpError::NotATemplate("values.yaml".into())));
        assert_eq!(f.delete_template("templates/0.yaml"), Ok(()));
        assert_eq!(f.delete_template("templates/0.yaml"), Err(FileOpError::NotFound("templates/0.yaml".into())));
        assert!(!f.contains("templates/0.yaml"));
    }

    #[test]
    fn error_paths_resolve_with_or_without_chart_name() {
        let f = sample();
        assert_eq!(f.resolve("templates/a.yaml"), Some("templates/a.yaml".into()));
        assert_eq!(f.resolve("mychart/templates/a.yaml"), Some("templates/a.yaml".into()));
        assert_eq!(f.resolve("mychart/values.yaml"), Some("values.yaml".into()));
        assert_eq!(f.resolve("mychart/templates/zzz.yaml"), None);
        assert_eq!(f.resolve("zzz"), None);
    }

    #[test]
    fn set_text_and_bytes() {
        let mut f = sample();
        f.set_text("values.yaml", "replicaCount: 3\n".into());
        f.set_text("nope", "x".into());
        assert!(f.to_bytes().contains(&("values.yaml".to_string(), b"replicaCount: 3\n".to_vec())));
        assert_eq!(f.to_bytes().len(), 5);
    }
}
