//! The in-memory chart being edited: any chart file, text or binary (nested
//! subchart `.tgz` under charts/, images under files/), plus the add /
//! rename / delete rules. Pure logic, tested natively.
//!
//! Every file may be renamed or deleted, Chart.yaml included: the render
//! then shows Helm's own error, as `helm template` would on such a folder.

/// A file's contents. Text is what the editor edits; anything that is not
/// UTF-8 (or holds NUL bytes) is kept as bytes and shown read-only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    Text(String),
    Binary(Vec<u8>),
}

impl Content {
    /// Text when the bytes are UTF-8 without NUL (what an editor can show
    /// and give back byte for byte), else binary.
    pub fn from_bytes(bytes: Vec<u8>) -> Content {
        if bytes.contains(&0) {
            return Content::Binary(bytes);
        }
        match String::from_utf8(bytes) {
            Ok(t) => Content::Text(t),
            Err(e) => Content::Binary(e.into_bytes()),
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            Content::Text(t) => t.as_bytes(),
            Content::Binary(b) => b,
        }
    }
}

/// One chart file, path relative to the chart root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartFile {
    pub path: String,
    pub content: Content,
}

impl ChartFile {
    /// The text, or None for a binary file.
    pub fn text(&self) -> Option<&str> {
        match &self.content {
            Content::Text(t) => Some(t),
            Content::Binary(_) => None,
        }
    }

    pub fn is_binary(&self) -> bool {
        matches!(self.content, Content::Binary(_))
    }

    pub fn len(&self) -> usize {
        self.content.bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The files of the chart, kept in display (tree) order.
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
    /// A file and a folder would have the same path ("templates" the file
    /// next to "templates/x.yaml").
    FolderClash(String),
    NotFound(String),
}

impl std::fmt::Display for FileOpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileOpError::EmptyName => write!(f, "enter a file name"),
            FileOpError::BadName(n) => write!(
                f,
                "invalid file name {n:?}: use a relative path (no '..', '.', empty parts, '\\' or control characters)"
            ),
            FileOpError::Exists(p) => write!(f, "{p} already exists"),
            FileOpError::FolderClash(p) => write!(f, "{p} clashes with a folder or file of the same name"),
            FileOpError::NotFound(p) => write!(f, "{p} does not exist"),
        }
    }
}

/// Sort key of a path in the file tree: in each folder, files before
/// subfolders; at the top, Chart.yaml and values.yaml first (what people
/// open most) and templates/ as the first folder.
fn tree_key(path: &str) -> Vec<(u8, u8, &str)> {
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len().saturating_sub(1);
    parts
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let is_dir = i < last;
            let rank = match (i, is_dir, *name) {
                (0, false, "Chart.yaml") => 0,
                (0, false, "values.yaml") => 1,
                (0, true, "templates") => 0,
                _ => 2,
            };
            (u8::from(is_dir), rank, *name)
        })
        .collect()
}

/// Templates are the files under templates/ (the editor's add form and the
/// embed API's default file use this).
pub fn is_template(path: &str) -> bool {
    path.starts_with("templates/")
}

/// Checks a chart-relative path typed by the user (or read from an import).
pub fn chart_path(input: &str) -> Result<String, FileOpError> {
    let name = input.trim();
    let name = name.strip_prefix("./").unwrap_or(name);
    if name.is_empty() {
        return Err(FileOpError::EmptyName);
    }
    let ok_chars = name.chars().all(|c| !c.is_control() && c != '\\');
    let ok_segments = name.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && s.trim() == s);
    if !ok_chars || !ok_segments {
        return Err(FileOpError::BadName(input.trim().to_string()));
    }
    Ok(name.to_string())
}

/// Turns what the user typed in the "New template" field ("foo.yaml",
/// "templates/foo.yaml", "sub/foo.yaml") into a path under templates/.
pub fn template_path(input: &str) -> Result<String, FileOpError> {
    let name = input.trim();
    let name = name.strip_prefix("templates/").unwrap_or(name);
    if name.is_empty() {
        return Err(FileOpError::EmptyName);
    }
    match chart_path(name) {
        Ok(p) if p == name => Ok(format!("templates/{name}")),
        _ => Err(FileOpError::BadName(input.trim().to_string())),
    }
}

/// The folder part of a path ("" at the top).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// The file name part of a path.
pub fn base_name(path: &str) -> &str {
    path.rsplit_once('/').map(|(_, n)| n).unwrap_or(path)
}

/// The target of a rename: a bare name stays in the file's folder (as in a
/// file manager); a path with '/' is taken from the chart root.
pub fn rename_target(from: &str, input: &str) -> Result<String, FileOpError> {
    let t = input.trim();
    if t.contains('/') {
        return chart_path(t);
    }
    let name = chart_path(t)?;
    let dir = parent(from);
    Ok(if dir.is_empty() { name } else { format!("{dir}/{name}") })
}

impl ChartFiles {
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self::from_files(
            pairs.into_iter().map(|(p, t)| ChartFile { path: p.to_string(), content: Content::Text(t.to_string()) }),
        )
    }

    /// Files from (path, bytes), text or binary by content.
    pub fn from_bytes(pairs: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        Self::from_files(pairs.into_iter().map(|(path, b)| ChartFile { path, content: Content::from_bytes(b) }))
    }

    pub fn from_files(list: impl IntoIterator<Item = ChartFile>) -> Self {
        let mut files = ChartFiles { files: list.into_iter().collect() };
        files.sort();
        files
    }

    fn sort(&mut self) {
        self.files.sort_by(|a, b| tree_key(&a.path).cmp(&tree_key(&b.path)));
    }

    pub fn iter(&self) -> impl Iterator<Item = &ChartFile> {
        self.files.iter()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
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

    /// The text of a text file.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(ChartFile::text)
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

    /// Replaces a text file's text (typing in the editor). Unknown paths and
    /// binary files are left alone (binary files are read-only).
    pub fn set_text(&mut self, path: &str, text: String) {
        if let Some(f) = self.files.iter_mut().find(|f| f.path == path) {
            if let Content::Text(t) = &mut f.content {
                *t = text;
            }
        }
    }

    /// Refuses a path that exists, or that is a folder of an existing file
    /// (or has one as its folder).
    fn check_free(&self, path: &str, ignore: Option<&str>) -> Result<(), FileOpError> {
        for f in self.files.iter().filter(|f| Some(f.path.as_str()) != ignore) {
            if f.path == path {
                return Err(FileOpError::Exists(path.to_string()));
            }
            let clash =
                |a: &str, b: &str| a.len() > b.len() && a.starts_with(b) && a.as_bytes().get(b.len()) == Some(&b'/');
            if clash(&f.path, path) || clash(path, &f.path) {
                return Err(FileOpError::FolderClash(path.to_string()));
            }
        }
        Ok(())
    }

    /// Adds a text file at a chart-relative path; returns its path.
    pub fn add_file(&mut self, input: &str, text: &str) -> Result<String, FileOpError> {
        let path = chart_path(input)?;
        self.check_free(&path, None)?;
        self.files.push(ChartFile { path: path.clone(), content: Content::Text(text.to_string()) });
        self.sort();
        Ok(path)
    }

    /// Adds a new template (name relative to templates/); returns its path.
    pub fn add_template(&mut self, input: &str, text: &str) -> Result<String, FileOpError> {
        let path = template_path(input)?;
        self.add_file(&path, text)
    }

    /// Renames (or moves) any file; returns the new path.
    pub fn rename(&mut self, from: &str, input: &str) -> Result<String, FileOpError> {
        if !self.contains(from) {
            return Err(FileOpError::NotFound(from.to_string()));
        }
        let to = rename_target(from, input)?;
        if to == from {
            return Ok(to);
        }
        self.check_free(&to, Some(from))?;
        if let Some(file) = self.files.iter_mut().find(|f| f.path == from) {
            file.path = to.clone();
        }
        self.sort();
        Ok(to)
    }

    /// Deletes any file.
    pub fn delete(&mut self, path: &str) -> Result<(), FileOpError> {
        let before = self.files.len();
        self.files.retain(|f| f.path != path);
        if self.files.len() == before {
            return Err(FileOpError::NotFound(path.to_string()));
        }
        Ok(())
    }

    /// The file to show after `deleted` is gone: values.yaml, else the
    /// first file, else nothing.
    pub fn fallback_selection(&self) -> String {
        if self.contains("values.yaml") {
            return "values.yaml".into();
        }
        self.files.first().map(|f| f.path.clone()).unwrap_or_default()
    }

    /// The files as the engine wants them: (path, bytes).
    pub fn to_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.files.iter().map(|f| (f.path.clone(), f.content.bytes().to_vec())).collect()
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
    fn tree_order_groups_folders_files_first() {
        let f = ChartFiles::from_pairs([
            ("files/z.txt", ""),
            ("charts/sub/templates/x.yaml", ""),
            ("charts/sub/Chart.yaml", ""),
            ("templates/tests/t.yaml", ""),
            ("templates/z.yaml", ""),
            ("README.md", ""),
            ("Chart.yaml", ""),
            ("crds/c.yaml", ""),
        ]);
        assert_eq!(
            f.paths(),
            [
                "Chart.yaml",
                "README.md",
                "templates/z.yaml",
                "templates/tests/t.yaml",
                "charts/sub/Chart.yaml",
                "charts/sub/templates/x.yaml",
                "crds/c.yaml",
                "files/z.txt"
            ]
        );
    }

    #[test]
    fn names_are_normalised_and_checked() {
        assert_eq!(template_path(" cm.yaml "), Ok("templates/cm.yaml".into()));
        assert_eq!(template_path("templates/sub/cm.yaml"), Ok("templates/sub/cm.yaml".into()));
        assert_eq!(template_path("  "), Err(FileOpError::EmptyName));
        assert_eq!(template_path("templates/"), Err(FileOpError::EmptyName));
        for bad in ["../Chart.yaml", "a//b", "/abs", "dir/", "a\\b", "./x", "a/ b", "tab\there"] {
            assert!(matches!(template_path(bad), Err(FileOpError::BadName(_))), "{bad}");
            assert!(matches!(chart_path(bad), Err(FileOpError::BadName(_))) || bad == "./x", "{bad}");
        }
        assert_eq!(chart_path("./files/my file.txt"), Ok("files/my file.txt".into()));
        assert_eq!(chart_path("charts/sub/Chart.yaml"), Ok("charts/sub/Chart.yaml".into()));
    }

    #[test]
    fn add_rename_delete_any_file() {
        let mut f = sample();
        assert_eq!(f.add_template("c.yaml", "c"), Ok("templates/c.yaml".into()));
        assert_eq!(f.add_template("c.yaml", ""), Err(FileOpError::Exists("templates/c.yaml".into())));
        // A bare name keeps the folder; a path is from the chart root.
        assert_eq!(f.rename("templates/c.yaml", "0.yaml"), Ok("templates/0.yaml".into()));
        assert_eq!(f.paths()[3], "templates/0.yaml");
        assert_eq!(f.text("templates/0.yaml"), Some("c"));
        assert_eq!(f.rename("templates/0.yaml", "a.yaml"), Err(FileOpError::Exists("templates/a.yaml".into())));
        assert_eq!(f.rename("templates/0.yaml", "files/0.yaml"), Ok("files/0.yaml".into()));
        assert_eq!(f.paths().last().map(String::as_str), Some("files/0.yaml"));
        // Chart.yaml and values.yaml are files like any other.
        assert_eq!(f.rename("Chart.yaml", "Chart.yml"), Ok("Chart.yml".into()));
        assert_eq!(f.delete("values.yaml"), Ok(()));
        assert_eq!(f.delete("values.yaml"), Err(FileOpError::NotFound("values.yaml".into())));
        assert_eq!(f.rename("nope", "x"), Err(FileOpError::NotFound("nope".into())));
        assert_eq!(f.fallback_selection(), ".helmignore");
        // Folders come from paths; a file cannot shadow a folder.
        assert_eq!(f.add_file("charts/sub/templates/x.yaml", "x"), Ok("charts/sub/templates/x.yaml".into()));
        assert_eq!(f.add_file("charts/sub", ""), Err(FileOpError::FolderClash("charts/sub".into())));
        assert_eq!(f.add_file("files/0.yaml/x", ""), Err(FileOpError::FolderClash("files/0.yaml/x".into())));
        assert_eq!(f.rename("Chart.yml", "templates"), Err(FileOpError::FolderClash("templates".into())));
    }

    #[test]
    fn binary_files_are_kept_as_bytes_and_read_only() {
        let png = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 0xff];
        let mut f = ChartFiles::from_bytes([
            ("files/logo.png".to_string(), png.clone()),
            ("files/latin1.txt".to_string(), vec![b'a', 0xe9]),
            ("Chart.yaml".to_string(), b"name: x\n".to_vec()),
        ]);
        assert!(f.get("files/logo.png").is_some_and(ChartFile::is_binary));
        assert!(f.get("files/latin1.txt").is_some_and(ChartFile::is_binary));
        assert_eq!(f.text("Chart.yaml"), Some("name: x\n"));
        f.set_text("files/logo.png", "typed".into());
        assert_eq!(f.get("files/logo.png").map(ChartFile::len), Some(8));
        let bytes = f.to_bytes();
        assert!(bytes.contains(&("files/logo.png".to_string(), png)));
        assert!(bytes.contains(&("files/latin1.txt".to_string(), vec![b'a', 0xe9])));
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
