//! postrenderer/v1 with the contract Helm intends (helm/helm#31832, fix PRs
//! #31555/#31834): input `{"manifests":"<YAML stream>","extraArgs":[…]}`,
//! output `{"manifests":"<YAML stream>"}`. The stream is built like Helm's
//! `annotateAndMerge` (pkg/action/action.go): files sorted by name,
//! partials (`_*`) and blank files skipped, each split with
//! `releaseutil.SplitManifests`, every document annotated with
//! `postrenderer.helm.sh/postrender-filename: <file>`, joined with `---`.
//! `splitAndDeannotate` regroups the result by that annotation (removing
//! it); documents without it become `generated-by-postrender-<i>.yaml`.
//!
//! Helm re-serialises every document through kyaml (before the plugin and
//! again after it); we re-indent the text the way kyaml lays it out
//! ([`super::kyaml`]) and insert/remove the annotation textually, so
//! comments and scalar styles survive as they do in Helm. The gaps are
//! listed in [`super::kyaml`].
//!
//! Released Helm 4.2.3 sends `{"manifests":{}}` and accepts no output at
//! all; Chartroom deliberately does what Helm intends.

use std::collections::BTreeMap;

use super::json::{self, Json};
use super::{Plugin, RunOptions, RunResult};
use crate::error::{Error, Kind};
use crate::releaseutil::split_manifests;
use crate::value::Value;

pub(crate) const FILENAME_ANNOTATION: &str = "postrenderer.helm.sh/postrender-filename";

/// Leading spaces of a line.
fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

fn is_content(l: &str) -> bool {
    let t = l.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The block of lines belonging to the mapping key at `at` (deeper lines).
fn block_end(lines: &[&str], at: usize, key_indent: usize) -> usize {
    let mut end = at + 1;
    let mut last = at + 1;
    while end < lines.len() {
        let l = lines[end];
        if is_content(l) {
            if indent(l) <= key_indent && !(indent(l) == key_indent && l.trim_start().starts_with("- ")) {
                break;
            }
            last = end + 1;
        } else if l.trim().is_empty() {
            // blank lines belong to the block only if content follows
        } else {
            last = end + 1;
        }
        end += 1;
    }
    last
}

fn plain_or_quoted(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
        && !s.starts_with(['-', '.'])
        && crate::yaml::parse(s).map(|v| matches!(v, Value::String(_))).unwrap_or(false);
    if plain {
        s.to_string()
    } else {
        json::quote(s)
    }
}

/// Adds the filename annotation to one document (text-preserving).
pub(crate) fn annotate(doc: &str, fname: &str) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    let entry = format!("{FILENAME_ANNOTATION}: {}", plain_or_quoted(fname));
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    // Flow-style `metadata: {…}` without annotations: kyaml keeps the
    // flow style and appends the annotation inside it.
    if let Some(i) = lines
        .iter()
        .position(|l| l.starts_with("metadata: {") && l.trim_end().ends_with('}') && !l.contains("annotations"))
    {
        let l = lines[i].trim_end();
        let body = &l[..l.len() - 1];
        let sep = if body.trim_end().ends_with('{') { "" } else { ", " };
        out[i] = format!("{body}{sep}annotations: {{{entry}}}}}");
        let mut s = out.join("\n");
        s.push('\n');
        return s;
    }
    match lines.iter().position(|l| *l == "metadata:" || l.starts_with("metadata: ") && l.trim_end() == "metadata:") {
        None => {
            out.push("metadata:".into());
            out.push("  annotations:".into());
            out.push(format!("    {entry}"));
        }
        Some(m) => {
            let end = block_end(&lines, m, 0);
            let child = lines[m + 1..end].iter().find(|l| is_content(l)).map(|l| indent(l)).unwrap_or(2);
            let ann = (m + 1..end).find(|&i| {
                let l = lines[i];
                indent(l) == child && (l.trim_start() == "annotations:" || l.trim_start().starts_with("annotations: "))
            });
            match ann {
                Some(a) if lines[a].trim_start() == "annotations:" => {
                    let aend = block_end(&lines, a, child);
                    let gchild =
                        lines[a + 1..aend].iter().find(|l| is_content(l)).map(|l| indent(l)).unwrap_or(child + 2);
                    out.insert(aend, format!("{}{entry}", " ".repeat(gchild)));
                }
                Some(a) => {
                    // `annotations: {}` or flow style: rewrite as a block.
                    let rest = lines[a].trim_start().trim_start_matches("annotations:").trim();
                    let mut new = vec![format!("{}annotations:", " ".repeat(child))];
                    if rest != "{}" && rest != "null" && !rest.is_empty() {
                        if let Ok(Value::Map(m, _)) = crate::yaml::parse(rest) {
                            for (k, v) in m.borrow().iter() {
                                new.push(format!(
                                    "{}{}: {}",
                                    " ".repeat(child + 2),
                                    plain_or_quoted(k),
                                    plain_or_quoted(&v.to_go_string())
                                ));
                            }
                        }
                    }
                    new.push(format!("{}{entry}", " ".repeat(child + 2)));
                    out.splice(a..a + 1, new);
                }
                None => {
                    let at = end;
                    out.insert(at, format!("{}{entry}", " ".repeat(child + 2)));
                    out.insert(at, format!("{}annotations:", " ".repeat(child)));
                }
            }
        }
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

/// Removes the filename annotation line; returns its value.
pub(crate) fn deannotate(doc: &str) -> (String, Option<String>) {
    let fname = crate::yaml::parse(doc).ok().and_then(|v| {
        let Value::Map(top, _) = v else { return None };
        let meta = top.borrow().get("metadata").cloned()?;
        let Value::Map(meta, _) = meta else { return None };
        let ann = meta.borrow().get("annotations").cloned()?;
        let Value::Map(ann, _) = ann else { return None };
        let f = ann.borrow().get(FILENAME_ANNOTATION).cloned()?;
        match f {
            Value::String(s) if !s.is_empty() => Some(s.to_string()),
            _ => None,
        }
    });
    if fname.is_none() {
        return (doc.to_string(), None);
    }
    // The flow form written by `annotate`.
    if let Some(f) = &fname {
        for sep in [", ", ""] {
            let needle = format!("{sep}annotations: {{{FILENAME_ANNOTATION}: {}}}", plain_or_quoted(f));
            if doc.contains(&needle) {
                return (doc.replacen(&needle, "", 1), fname);
            }
        }
    }
    let lines: Vec<&str> = doc.lines().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let is_entry = t.starts_with(FILENAME_ANNOTATION)
            || t.starts_with(&format!("\"{FILENAME_ANNOTATION}\""))
            || t.starts_with(&format!("'{FILENAME_ANNOTATION}'"));
        if is_entry {
            // An `annotations:` left empty goes too (kyaml drops the empty
            // map, as real Helm's output shows).
            if let Some(prev) = kept.last() {
                let pt = prev.trim_start();
                let next_deeper = lines.get(i + 1).map(|n| is_content(n) && indent(n) > indent(prev)).unwrap_or(false);
                if pt == "annotations:" && !next_deeper {
                    kept.pop();
                }
            }
            continue;
        }
        kept.push(l);
    }
    // A `metadata:` left empty goes as well (kyaml clears empty maps).
    if let Some(i) = kept.iter().position(|l| *l == "metadata:") {
        let next_deeper = kept.get(i + 1).map(|n| indent(n) > 0 || n.trim_start().starts_with("- ")).unwrap_or(false);
        if !next_deeper {
            kept.remove(i);
        }
    }
    let mut s = kept.join("\n");
    s.push('\n');
    (s, fname)
}

/// Helm's `annotateAndMerge`. A document that does not parse is marked at
/// its line and column in the rendered file (go-yaml counts in the
/// document).
pub fn annotate_and_merge(files: &BTreeMap<String, String>) -> Result<String, Error> {
    let mut docs = Vec::new();
    for (fname, content) in files {
        let base = crate::gofmt::path::base(fname);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for doc in split_manifests(content) {
            if doc.trim().is_empty() {
                continue;
            }
            // kio.ParseAll: must be valid YAML; comment-only docs vanish.
            match crate::yaml::parse(&doc) {
                Err(e) => {
                    // The document's first line in the file.
                    let doc_start = content.find(doc.as_str()).map_or(0, |i| content[..i].matches('\n').count());
                    let line = (e.line > 0).then_some(doc_start + e.line);
                    let col = (e.col > 0).then_some(e.col);
                    return Err(Error::new(Kind::Manifest, format!("parsing {fname}: {}", e.msg)).at(fname, line, col));
                }
                Ok(Value::Nil) => continue,
                Ok(Value::Map(_, _)) => {}
                Ok(_) => {
                    let e =
                        Error::new(Kind::Manifest, format!("parsing {fname}: wrong node kind: expected MappingNode"));
                    return Err(e.at(fname, None, None));
                }
            }
            docs.push(annotate(&super::kyaml::normalize(&doc), fname));
        }
    }
    Ok(docs.join("---\n"))
}

/// Helm's `splitAndDeannotate` (fallback prefix "" = the combined strategy).
pub fn split_and_deannotate(stream: &str, fallback_prefix: &str) -> Result<BTreeMap<String, String>, Error> {
    let mut by_file: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut i = 0;
    for doc in split_stream(stream) {
        match crate::yaml::parse(&doc) {
            Err(e) => return Err(Error::new(Kind::Manifest, format!("error parsing YAML: {}", e.msg))),
            Ok(Value::Nil) => continue,
            Ok(_) => {}
        }
        let (clean, fname) = deannotate(&super::kyaml::normalize(&doc));
        let fname = fname.unwrap_or_else(|| {
            if fallback_prefix.is_empty() {
                format!("generated-by-postrender-{i}.yaml")
            } else {
                format!("generated-by-postrender-{fallback_prefix}-{i}.yaml")
            }
        });
        by_file.entry(fname).or_default().push(clean);
        i += 1;
    }
    Ok(by_file.into_iter().map(|(k, v)| (k, v.join("---\n"))).collect())
}

/// Documents of a YAML stream, split at `---` lines (kio's reader).
fn split_stream(s: &str) -> Vec<String> {
    let mut docs = Vec::new();
    let mut cur = String::new();
    for l in s.lines() {
        if l == "---" || l.starts_with("--- ") || l.starts_with("---\t") {
            docs.push(std::mem::take(&mut cur));
            continue;
        }
        cur.push_str(l);
        cur.push('\n');
    }
    docs.push(cur);
    docs.into_iter().filter(|d| d.lines().any(is_content)).collect()
}

/// The input message.
pub fn input_message(stream: &str, args: &[String]) -> String {
    format!("{{\"manifests\":{},\"extraArgs\":{}}}", json::quote(stream), json::string_array(args))
}

pub struct PostRenderOutput {
    /// Template path → post-rendered content.
    pub files: BTreeMap<String, String>,
    pub run: RunResult,
}

/// Runs a postrenderer/v1 plugin over the rendered files (combined
/// strategy: one call with everything, hooks included). The error text is
/// what `helm template --post-renderer` prints after `Error: `.
#[allow(clippy::result_large_err)] // the error keeps the run's log for the caller
pub fn run(
    plugin: &Plugin,
    manifests_by_file: &BTreeMap<String, String>,
    args: &[String],
    opts: &RunOptions,
) -> Result<PostRenderOutput, (String, Option<RunResult>)> {
    let stream = merged_input(manifests_by_file).map_err(|e| (e.message, None))?;
    run_stream(plugin, &stream, args, opts)
}

/// The annotated YAML stream a post-renderer receives for these files.
pub fn merged_input(manifests_by_file: &BTreeMap<String, String>) -> Result<String, Error> {
    annotate_and_merge(manifests_by_file).map_err(|e| e.wrap("error merging manifests: "))
}

/// [`run`] on an already merged stream (see [`merged_input`]).
#[allow(clippy::result_large_err)] // the error keeps the run's log for the caller
pub(crate) fn run_stream(
    plugin: &Plugin,
    stream: &str,
    args: &[String],
    opts: &RunOptions,
) -> Result<PostRenderOutput, (String, Option<RunResult>)> {
    super::future::block_on(run_stream_async(plugin, stream, args, opts))
        .unwrap_or_else(|| Err((super::future::NOT_SYNCHRONOUS.to_string(), None)))
}

/// [`run_stream`] for hosts whose HTTP answers asynchronously.
pub(crate) async fn run_stream_async(
    plugin: &Plugin,
    stream: &str,
    args: &[String],
    opts: &RunOptions,
) -> Result<PostRenderOutput, (String, Option<RunResult>)> {
    let wrap = |m: String| format!("error while running post render on files: {m}");
    let r = plugin.invoke_async(input_message(stream, args).as_bytes(), opts).await;
    if let Some(e) = &r.error {
        return Err((wrap(format!("failed to invoke post-renderer plugin {:?}: {e}", plugin.name())), Some(r)));
    }
    let out = match json::parse(&r.output) {
        Err(e) => return Err((wrap(format!("failed to invoke post-renderer plugin {:?}: failed to json marshal plugin output message: reflect.Value: {e}", plugin.name())), Some(r))),
        Ok(v) => v,
    };
    let manifests = match out.get_field("manifests") {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => {
            return Err((wrap(format!("post-renderer {:?} returned no manifests (output needs {{\"manifests\": \"<YAML>\"}})", plugin.name())), Some(r)))
        }
        Some(other) => {
            return Err((
                wrap(format!(
                    "failed to invoke post-renderer plugin {:?}: failed to json marshal plugin output message: reflect.Value: json: cannot unmarshal {} into Go struct field OutputMessagePostRendererV1.manifests of type string",
                    plugin.name(),
                    other.kind()
                )),
                Some(r),
            ))
        }
    };
    if manifests.trim().is_empty() {
        return Err((wrap(format!("post-renderer {:?} produced empty output", plugin.name())), Some(r)));
    }
    let files = split_and_deannotate(&manifests, "")
        .map_err(|e| (format!("error while parsing post rendered output: {e}"), None))?;
    Ok(PostRenderOutput { files, run: r })
}

/// rel.Manifest from a file map (what `helm template` prints before the
/// hooks): non-hook documents sorted in install order, each as
/// `---\n# Source: <path>\n<doc>\n`. Errors are the sorter's messages.
pub fn release_manifest(files: &BTreeMap<String, String>) -> Result<String, Error> {
    let (_hooks, manifests) = crate::releaseutil::sort_manifests(files)?;
    let mut b = String::new();
    for m in &manifests {
        b.push_str(&format!("---\n# Source: {}\n{}\n", m.name, m.content));
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// go-yaml counts lines in the document; the error is marked at the
    /// line of the rendered file.
    #[test]
    fn a_document_that_does_not_parse_is_marked_in_its_file() {
        let files: BTreeMap<String, String> =
            [("c/templates/a.yaml".to_string(), "a: 1\n---\nb: c\n  d: e\n".to_string())].into();
        let e = merged_input(&files).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error merging manifests: parsing c/templates/a.yaml: yaml: line 2: mapping values are not allowed in this context"
        );
        assert_eq!((e.kind, e.file.as_deref(), e.line), (Kind::Manifest, Some("c/templates/a.yaml"), Some(4)));
    }
}
