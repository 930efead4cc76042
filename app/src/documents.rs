//! Splits `helm template`'s output into its documents for the per-document
//! pane. Pure logic, tested natively.

/// One document of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The `# Source:` path ("hello-world/templates/service.yaml"), if any.
    pub source: Option<String>,
    /// The document's text without its leading `---` line.
    pub text: String,
}

/// Documents start at a `---` line that is followed by a `# Source:` line
/// (what Helm writes in front of every manifest and hook); a `---` inside a
/// template's output that is not followed by one stays in its document.
pub fn split(manifest: &str) -> Vec<Document> {
    let lines: Vec<&str> = manifest.split_inclusive('\n').collect();
    let mut docs: Vec<Document> = Vec::new();
    let mut cur: Option<Document> = None;
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let next = lines.get(i + 1).copied().unwrap_or("");
        if line.trim_end() == "---" && next.starts_with("# Source: ") {
            if let Some(d) = cur.take() {
                docs.push(d);
            }
            let source = next.trim_end_matches(['\n', '\r']).strip_prefix("# Source: ").map(str::to_string);
            cur = Some(Document { source, text: String::new() });
            i += 1;
            continue;
        }
        cur.get_or_insert_with(|| Document { source: None, text: String::new() }).text.push_str(line);
        i += 1;
    }
    if let Some(d) = cur {
        docs.push(d);
    }
    docs.retain(|d| d.source.is_some() || !d.text.trim().is_empty());
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_source_headers_only() {
        let m =
            "---\n# Source: c/templates/a.yaml\nkind: A\n---\nkind: A2\n---\n# Source: c/templates/b.yaml\nkind: B\n";
        let d = split(m);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].source.as_deref(), Some("c/templates/a.yaml"));
        assert_eq!(d[0].text, "# Source: c/templates/a.yaml\nkind: A\n---\nkind: A2\n");
        assert_eq!(d[1].text, "# Source: c/templates/b.yaml\nkind: B\n");
        // Concatenating the documents back gives the manifest.
        let joined: String = d.iter().map(|d| format!("---\n{}", d.text)).collect();
        assert_eq!(joined, m);
    }

    #[test]
    fn empty_output_has_no_documents() {
        assert!(split("\n").is_empty());
        assert!(split("").is_empty());
    }
}
