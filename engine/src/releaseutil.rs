//! Splitting and ordering rendered manifests (Helm's pkg/release/v1/util:
//! SplitManifests, SortManifests, the install kind order, hooks).

use std::collections::BTreeMap;

use crate::error::{Error, Kind};
use crate::yaml;

/// The Helm patch release whose output is reproduced, where patch
/// releases of 4.2 differ in what `helm template` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HelmRelease {
    /// v4.2.3 (the oracle's release).
    #[default]
    V4_2_3,
    /// v4.2.4: SplitManifests splits on `(?m)^---[ \t]*` (helm/helm#32327,
    /// commit 83a8b70 "Fix vanishing empty lines"), so every document keeps
    /// its trailing newlines (a block scalar's last empty lines survive).
    V4_2_4,
}

impl HelmRelease {
    /// `4.2.3`, `v4.2.4`, ...
    pub fn parse(s: &str) -> Option<HelmRelease> {
        match s.strip_prefix('v').unwrap_or(s) {
            "4.2.3" => Some(HelmRelease::V4_2_3),
            "4.2.4" => Some(HelmRelease::V4_2_4),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HelmRelease::V4_2_3 => "v4.2.3",
            HelmRelease::V4_2_4 => "v4.2.4",
        }
    }
}

/// SplitManifests of the given release.
pub fn split_manifests_as(big: &str, release: HelmRelease) -> Vec<String> {
    split_spans(big, release).into_iter().map(|(_, d)| d.to_string()).collect()
}

/// v4.2.4's SplitManifests: `regexp.MustCompile(`(?m)^---[ \t]*`).Split`
/// (a match is `---` at the start of a line and the blanks after it; the
/// newline before it stays with the previous document), then as before:
/// whitespace-only documents dropped, each left-trimmed. Each document with
/// its byte offset in `big`.
fn split_spans_v4_2_4(big: &str) -> Vec<(usize, &str)> {
    let s = trim_left_unicode_space(big);
    let b = s.as_bytes();
    let mut docs = Vec::new();
    let mut beg = 0;
    let mut at = 0;
    while at + 3 <= b.len() {
        let line_start = at == 0 || b[at - 1] == b'\n';
        if line_start && &b[at..at + 3] == b"---" {
            let mut end = at + 3;
            while end < b.len() && (b[end] == b' ' || b[end] == b'\t') {
                end += 1;
            }
            // regexp.Split: a match at 0 yields an empty first piece.
            docs.push(&s[beg..at]);
            beg = end;
            at = end;
            continue;
        }
        at += 1;
    }
    docs.push(&s[beg..]);
    kept_documents(big, docs)
}

/// SplitManifests' last step: whitespace-only documents dropped, each
/// left-trimmed; with its byte offset in `big` (every piece is a slice of it).
fn kept_documents<'a>(big: &'a str, docs: Vec<&'a str>) -> Vec<(usize, &'a str)> {
    docs.into_iter()
        .filter(|d| !d.trim().is_empty())
        .map(|d| {
            let t = trim_left_unicode_space(d);
            (t.as_ptr() as usize - big.as_ptr() as usize, t)
        })
        .collect()
}

/// SplitManifests of the given release, each document with its byte
/// offset in `big`.
fn split_spans(big: &str, release: HelmRelease) -> Vec<(usize, &str)> {
    match release {
        HelmRelease::V4_2_3 => split_spans_v4_2_3(big),
        HelmRelease::V4_2_4 => split_spans_v4_2_4(big),
    }
}

/// Helm's InstallOrder.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_ANNOTATION: &str = "helm.sh/hook";
const HOOK_WEIGHT_ANNOTATION: &str = "helm.sh/hook-weight";
const HOOK_DELETE_ANNOTATION: &str = "helm.sh/hook-delete-policy";

const HOOK_EVENTS: &[(&str, &str)] = &[
    ("pre-install", "pre-install"),
    ("post-install", "post-install"),
    ("pre-delete", "pre-delete"),
    ("post-delete", "post-delete"),
    ("pre-upgrade", "pre-upgrade"),
    ("post-upgrade", "post-upgrade"),
    ("pre-rollback", "pre-rollback"),
    ("post-rollback", "post-rollback"),
    ("test", "test"),
    ("test-success", "test"),
];

/// The head of a manifest (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub annotations: BTreeMap<String, String>,
    pub has_metadata: bool,
}

/// One manifest document of a template file.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    /// The template path (`chart/templates/x.yaml`).
    pub name: String,
    pub content: String,
    pub head: Head,
}

/// A hook (`release.Hook`), as `helm template` prints it.
#[derive(Clone, Debug, PartialEq)]
pub struct Hook {
    pub name: String,
    pub kind: String,
    pub path: String,
    pub manifest: String,
    pub events: Vec<String>,
    pub weight: i64,
    pub delete_policies: Vec<String>,
}

/// One document of `helm template`'s output as template.go's
/// `--show-only` sees it: a piece of SplitManifests over the printed
/// stream. The render builds them once ([`crate::api::RenderOutput::documents`]);
/// whatever shows, filters or checks documents reads them instead of
/// splitting the text again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The path its `# Source:` line names (`mychart/templates/x.yaml`);
    /// empty for a CRD file's later documents, which Helm prints without one.
    pub source: String,
    /// The object's kind and `metadata.name` (Helm's SimpleHead); empty
    /// when the document has none or is not YAML.
    pub kind: String,
    pub name: String,
    /// A hook's events (`pre-install`, `test`); empty for a release
    /// manifest.
    pub hook: Vec<String>,
    /// Line of its first line in the printed stream (1-based).
    pub line: usize,
    /// The document as SplitManifests gives it: left-trimmed, from its
    /// `# Source:` line, without the `---` separator (so `---\n{text}\n`
    /// is how `--show-only` prints it).
    pub text: String,
}

impl Document {
    /// The `# Source:` path after the chart's name (`templates/x.yaml`),
    /// which `--show-only` patterns match.
    pub fn template_path(&self) -> Option<&str> {
        self.source.split_once('/').map(|(_, rest)| rest)
    }
}

/// What the sorter already knows of a printed document: its path, head
/// and hook events (so the documents need not be parsed again).
pub(crate) struct Known<'a> {
    pub path: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub hook: &'a [String],
}

/// The documents of a printed `---\n# Source: …` stream (SplitManifests of
/// the given release), each head read from its YAML.
pub fn documents(out: &str, release: HelmRelease) -> Vec<Document> {
    split_documents(out, release, &[], true)
}

/// [`documents`] without their heads (kind, name and hook left empty), for
/// readers that parse each whole document anyway.
pub(crate) fn documents_unread(out: &str, release: HelmRelease) -> Vec<Document> {
    split_documents(out, release, &[], false)
}

/// [`documents`] of a stream printed from `known` in order: a document
/// whose `# Source:` is the next known path takes that head; others (CRD
/// files, which are printed whole) are read.
pub(crate) fn documents_with(out: &str, release: HelmRelease, known: &[Known<'_>]) -> Vec<Document> {
    split_documents(out, release, known, true)
}

fn split_documents(out: &str, release: HelmRelease, known: &[Known<'_>], read_heads: bool) -> Vec<Document> {
    let mut next = known.iter().peekable();
    let mut line = 1;
    let mut counted = 0;
    split_spans(out, release)
        .into_iter()
        .map(|(at, text)| {
            line += out[counted..at].matches('\n').count();
            counted = at;
            // template.go matches `# Source: [^/]+/(.+)` anywhere in the
            // document: the first such line names it.
            let source = text
                .split("# Source: ")
                .nth(1)
                .and_then(|r| r.lines().next())
                .map(|s| s.trim_end().to_string())
                .unwrap_or_default();
            let (kind, name, hook) = match next.peek() {
                Some(k) if text.starts_with("# Source: ") && k.path == source => {
                    let k = next.next().expect("peeked");
                    (k.kind.to_string(), k.name.to_string(), k.hook.to_vec())
                }
                _ if !read_heads => Default::default(),
                _ => match parse_head(text) {
                    Ok(h) => {
                        let hook = h.annotations.get(HOOK_ANNOTATION).and_then(|t| hook_events(t)).unwrap_or_default();
                        (h.kind, h.name, hook)
                    }
                    Err(_) => Default::default(),
                },
            };
            Document { source, kind, name, hook, line, text: text.to_string() }
        })
        .collect()
}

/// The events of a `helm.sh/hook` annotation (`test-success` is `test`);
/// None when one is unknown (Helm then drops the document).
fn hook_events(annotation: &str) -> Option<Vec<String>> {
    annotation
        .split(',')
        .map(|t| {
            let t = t.trim().to_lowercase();
            HOOK_EVENTS.iter().find(|(k, _)| *k == t).map(|(_, e)| e.to_string())
        })
        .collect()
}

/// Go's `unicode.IsSpace` for TrimLeftFunc (ASCII plus U+0085, U+00A0 and
/// the Unicode spaces).
fn trim_left_unicode_space(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace())
}

/// Helm's SplitManifests: documents split by the regexp
/// `(?:^|\s*\n)---\s*` (note `\s` is ASCII whitespace without \v), empty
/// documents dropped, each left-trimmed. Returned in order.
pub fn split_manifests(big: &str) -> Vec<String> {
    split_manifests_as(big, HelmRelease::V4_2_3)
}

fn split_spans_v4_2_3(big: &str) -> Vec<(usize, &str)> {
    let s = trim_left_unicode_space(big);
    let b = s.as_bytes();
    let re_space = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut docs = Vec::new();
    let mut pos = 0; // start of the current document
    let mut search = 0;
    // `^---\s*` at the very start.
    if b.starts_with(b"---") {
        let mut e = 3;
        while e < b.len() && re_space(b[e]) {
            e += 1;
        }
        docs.push(&s[0..0]);
        pos = e;
        search = e;
    }
    // Find the next "\n---" at or after `search`.
    while let Some(rel) = s[search..].find("\n---") {
        let nl = search + rel;
        // The match starts at the beginning of the whitespace run before
        // the newline (but not before the search position).
        let mut start = nl;
        while start > search && re_space(b[start - 1]) {
            start -= 1;
        }
        let mut end = nl + 4;
        while end < b.len() && re_space(b[end]) {
            end += 1;
        }
        docs.push(&s[pos..start]);
        pos = end;
        search = end;
        if search >= b.len() {
            break;
        }
    }
    docs.push(&s[pos.min(s.len())..]);
    kept_documents(big, docs)
}

/// Parses a document's head like `yaml.Unmarshal(m, &SimpleHead)`; the
/// error is sigs.k8s.io/yaml's text.
pub fn parse_head(doc: &str) -> Result<Head, yaml::YamlError> {
    let h = yaml::manifest_head(doc)?;
    let (name, annotations, has_metadata) = match h.metadata {
        Some(m) => (m.name, m.annotations.unwrap_or_default(), true),
        None => (String::new(), BTreeMap::new(), false),
    };
    Ok(Head { api_version: h.api_version, kind: h.kind, name, annotations, has_metadata })
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// `lessByKind` with InstallOrder: known kinds in order, unknown kinds
/// after them alphabetically.
fn less_by_kind(a: &str, b: &str) -> bool {
    match (kind_rank(a), kind_rank(b)) {
        (None, None) => a < b,
        (None, Some(_)) => false,
        (Some(_), None) => true,
        (Some(x), Some(y)) => x < y,
    }
}

fn stable_sort_by_kind<T>(v: &mut [T], kind: impl Fn(&T) -> &str) {
    crate::gofmt::sort::sort_by(v, |x, y| {
        let (a, b) = (kind(x), kind(y));
        if less_by_kind(a, b) {
            std::cmp::Ordering::Less
        } else if less_by_kind(b, a) {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
}

/// Helm's SortManifests with InstallOrder: files in path order, documents in
/// file order, hooks split off; both lists stably sorted by kind.
///
/// A manifest that does not parse is Helm's `YAML parse error on PATH: …`,
/// marked at the line and column of the rendered file `PATH` (go-yaml
/// counts in the document; see [`template_line`] for the template's line).
pub fn sort_manifests(files: &BTreeMap<String, String>) -> Result<(Vec<Hook>, Vec<Manifest>), Error> {
    sort_manifests_as(files, HelmRelease::V4_2_3)
}

/// [`sort_manifests`] with the given release's SplitManifests.
pub fn sort_manifests_as(
    files: &BTreeMap<String, String>,
    release: HelmRelease,
) -> Result<(Vec<Hook>, Vec<Manifest>), Error> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    for (path, content) in files {
        let base = crate::gofmt::path::base(path);
        if base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        for m in split_manifests_as(content, release) {
            let head = parse_head(&m).map_err(|e| {
                // The document's first line in the file.
                let doc_start = content.find(m.as_str()).map_or(0, |i| content[..i].matches('\n').count());
                let line = (e.line > 0).then_some(doc_start + e.line);
                Error::new(Kind::Manifest, format!("YAML parse error on {path}: {}", e.msg)).at(
                    path.clone(),
                    line,
                    (e.col > 0).then_some(e.col),
                )
            })?;
            let hook_types =
                if head.annotations.is_empty() { None } else { head.annotations.get(HOOK_ANNOTATION).cloned() };
            let hook_types = match hook_types {
                None => {
                    generic.push(Manifest { name: path.clone(), content: m, head });
                    continue;
                }
                Some(h) => h,
            };
            let weight = head.annotations.get(HOOK_WEIGHT_ANNOTATION).and_then(|w| go_atoi(w)).unwrap_or(0);
            let Some(events) = hook_events(&hook_types) else {
                crate::gofmt::slog::log("INFO", "skipping unknown hooks", &[("hookTypes", &hook_types)]);
                continue;
            };
            let delete_policies = head
                .annotations
                .get(HOOK_DELETE_ANNOTATION)
                .map(|d| d.split(',').map(|p| p.trim().to_lowercase()).collect())
                .unwrap_or_default();
            hooks.push(Hook {
                name: head.name.clone(),
                kind: head.kind.clone(),
                path: path.clone(),
                manifest: m,
                events,
                weight,
                delete_policies,
            });
        }
    }
    stable_sort_by_kind(&mut hooks, |h| h.kind.as_str());
    stable_sort_by_kind(&mut generic, |m| m.head.kind.as_str());
    Ok((hooks, generic))
}

/// Go's strconv.Atoi.
fn go_atoi(s: &str) -> Option<i64> {
    let t = s.strip_prefix('+').unwrap_or(s);
    if t.is_empty() || t.starts_with('+') {
        return None;
    }
    t.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_helm_regexp() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2\n"]);
        assert_eq!(split_manifests("---\na: 1\n  \n---  \n\nb: 2"), vec!["a: 1", "b: 2"]);
        assert_eq!(split_manifests("\n\n"), Vec::<String>::new());
        assert_eq!(split_manifests("a: 1\n----\nb"), vec!["a: 1", "-\nb"]);
    }

    /// v4.2.4's splitter (helm/helm v4.2.4 pkg/release/v1/util/manifest.go).
    #[test]
    fn split_v4_2_4_keeps_trailing_newlines() {
        let v = |s| split_manifests_as(s, HelmRelease::V4_2_4);
        assert_eq!(v("a: 1\n---\nb: 2\n"), vec!["a: 1\n", "b: 2\n"]);
        assert_eq!(v("---\na: |\n  x\n\n---  \n\nb: 2"), vec!["a: |\n  x\n\n", "b: 2"]);
        // `---` only at a line start; the rest of a `----` line stays.
        assert_eq!(v("a: 1\n----\nb"), vec!["a: 1\n", "-\nb"]);
        assert_eq!(v("a: x---y\n"), vec!["a: x---y\n"]);
        assert_eq!(v("\n\n"), Vec::<String>::new());
    }

    /// A printed stream's documents: the `# Source:` path, the line, the
    /// head read from the YAML; a CRD file's later document has no source.
    #[test]
    fn documents_of_a_printed_stream() {
        let out = "---\n# Source: c/crds/a.yaml\nkind: A\nmetadata:\n  name: a\n---\nkind: A2\n---\n# Source: c/templates/h.yaml\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: test-success\n";
        let d = documents(out, HelmRelease::V4_2_3);
        assert_eq!(d.len(), 3);
        assert_eq!(
            (d[0].source.as_str(), d[0].kind.as_str(), d[0].name.as_str(), d[0].line),
            ("c/crds/a.yaml", "A", "a", 2)
        );
        assert_eq!(
            (d[1].source.as_str(), d[1].kind.as_str(), d[1].text.as_str(), d[1].line),
            ("", "A2", "kind: A2", 7)
        );
        assert_eq!(
            (d[2].template_path(), d[2].hook.clone(), d[2].line),
            (Some("templates/h.yaml"), vec!["test".to_string()], 9)
        );
        // The documents are SplitManifests' pieces.
        let texts: Vec<String> = d.into_iter().map(|d| d.text).collect();
        assert_eq!(texts, split_manifests(out));
    }

    #[test]
    fn kind_order() {
        assert!(less_by_kind("Namespace", "Deployment"));
        assert!(less_by_kind("Deployment", "Zebra"));
        assert!(less_by_kind("Apple", "Zebra"));
        assert!(!less_by_kind("Zebra", "Service"));
    }
}

/// The line a `yaml: line N` error names, in the document it counts in.
pub fn yaml_error_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("yaml: line ")? + "yaml: line ".len()..];
    let digits = rest.split(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok().filter(|n| *n > 0)
}

/// The template line (1-based) that produced line `doc_line` of the
/// rendered document `doc`, which came from `template` (rendered in whole as
/// `rendered`). A line-level mapping, not a source map: each template line's
/// literal text (its actions cut out) must occur in the rendered line, in
/// order; the line with the most literal text wins, ties going to the line
/// nearest the rendered position. None when no template line has literal
/// text that matches.
pub fn template_line(template: &str, rendered: &str, doc: &str, doc_line: usize) -> Option<usize> {
    let target = doc.lines().nth(doc_line.checked_sub(1)?)?;
    // Where the document's line sits in the whole rendered file.
    let doc_start = rendered.find(doc).map_or(0, |i| rendered[..i].matches('\n').count());
    let expected = doc_start + doc_line;
    let mut in_action = false;
    let mut best: Option<(usize, usize, usize)> = None; // (score, -distance as key, line)
    for (i, line) in template.lines().enumerate() {
        let (fragments, still_in_action) = literal_fragments(line, in_action);
        in_action = still_in_action;
        let mut at = 0;
        let mut score = 0;
        let mut matched = true;
        for f in fragments.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
            match target[at..].find(f) {
                Some(j) => {
                    at += j + f.len();
                    score += f.len();
                }
                None => {
                    matched = false;
                    break;
                }
            }
        }
        if !matched || score == 0 {
            continue;
        }
        let distance = (i + 1).abs_diff(expected);
        let better = match best {
            None => true,
            Some((s, d, _)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((score, distance, i + 1));
        }
    }
    best.map(|(_, _, line)| line)
}

/// The text of `line` outside `{{ … }}` actions; `in_action` says whether
/// the line starts inside an action left open on an earlier line. Returns
/// the fragments and whether the line ends inside an action.
fn literal_fragments(line: &str, mut in_action: bool) -> (Vec<&str>, bool) {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        if in_action {
            match rest.find("}}") {
                Some(j) => {
                    rest = &rest[j + 2..];
                    in_action = false;
                }
                None => return (out, true),
            }
        } else {
            match rest.find("{{") {
                Some(j) => {
                    out.push(&rest[..j]);
                    rest = &rest[j + 2..];
                    in_action = true;
                }
                None => {
                    out.push(rest);
                    return (out, false);
                }
            }
        }
    }
}

#[cfg(test)]
mod template_line_tests {
    use super::*;

    #[test]
    fn yaml_error_line_is_read_from_helms_message() {
        let m = "YAML parse error on c/templates/x.yaml: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context";
        assert_eq!(yaml_error_line(m), Some(3));
        assert_eq!(yaml_error_line("YAML parse error on x: something else"), None);
    }

    #[test]
    fn a_rendered_line_maps_to_the_template_line_that_wrote_it() {
        let template = "{{- if true }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  key: {{ .Values.v }}\n{{- end }}\n";
        let rendered = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r\ndata:\n  key: a: b\n";
        // Line 6 of the document ("  key: a: b") came from template line 7.
        assert_eq!(template_line(template, rendered, rendered, 6), Some(7));
        assert_eq!(template_line(template, rendered, rendered, 4), Some(5));
        // A second document: lines count from its start.
        let rendered2 = format!("a: 1\n---\n{rendered}");
        assert_eq!(template_line(template, &rendered2, rendered, 6), Some(7));
        // Nothing literal matches: no line.
        assert_eq!(template_line("{{ .Values.all }}\n", "x: y: z\n", "x: y: z\n", 1), None);
    }

    #[test]
    fn equal_matches_go_to_the_line_nearest_the_rendered_position() {
        let template = "a:\n  x: 1\nb:\n  x: {{ .Values.bad }}\n";
        let rendered = "a:\n  x: 1\nb:\n  x: p: q\n";
        assert_eq!(template_line(template, rendered, rendered, 4), Some(4));
    }
}
