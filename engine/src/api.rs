//! TEMPORARY stub of the engine's public render API, so the browser app can be
//! built in parallel with the engine. The lead replaces this with the real
//! `render` in lib.rs; keep it tiny.

use std::collections::BTreeMap;

/// One `helm template` invocation over an in-memory chart.
pub struct RenderRequest {
    /// Chart files, paths relative to the chart root ("Chart.yaml", "templates/x.yaml").
    pub files: BTreeMap<String, Vec<u8>>,
    pub release_name: String,
    pub namespace: String,
    /// User `-f` files in order (name, bytes).
    pub values_files: Vec<(String, Vec<u8>)>,
    /// `--set k=v` arguments.
    pub set: Vec<String>,
}

pub struct RenderOutput {
    /// Exactly what `helm template` prints on stdout.
    pub manifest: String,
    pub notes: String,
}

#[derive(Debug)]
pub struct RenderError {
    /// Helm's error text (what follows "Error: ").
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub col: Option<usize>,
}

/// Stub: echoes the non-partial templates; reports an unclosed `{{` so the
/// app's error path can be exercised.
pub fn render(req: &RenderRequest) -> Result<RenderOutput, RenderError> {
    let mut manifest = String::new();
    for (path, bytes) in &req.files {
        let text = String::from_utf8_lossy(bytes);
        let Some(name) = path.strip_prefix("templates/") else { continue };
        // Unbalanced `{{` (actions and comments may span lines).
        let (mut depth, mut opened_at) = (0usize, 0usize);
        for (i, line) in text.lines().enumerate() {
            if depth == 0 {
                opened_at = i + 1;
            }
            depth = (depth + line.matches("{{").count()).saturating_sub(line.matches("}}").count());
        }
        if depth > 0 {
            return Err(RenderError {
                message: format!("parse error at (chart/{path}:{opened_at}): unclosed action"),
                file: Some(path.clone()),
                line: Some(opened_at),
                col: None,
            });
        }
        if name.starts_with('_') || name == "NOTES.txt" {
            continue;
        }
        manifest.push_str(&format!("---\n# Source: chart/{path}\n{text}\n"));
    }
    Ok(RenderOutput { manifest, notes: String::new() })
}
