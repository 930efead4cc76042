//! Kubernetes schema validation (engine/src/kube): real Helm outputs of
//! the conformance corpus all validate; hand-broken documents give their
//! exact finding; removed API versions name their release; custom
//! resources are checked against the chart's CRDs.
//!
//! Needs the schema bundles (`python3 scripts/kube_schemas.py`, run by
//! scripts/setup.sh) and ../shared/conformance; a test FAILS, saying so,
//! when either is missing. Each corpus case is its own test
//! (`corpus/<case>`).

mod kit;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chartroom_engine::kube::{self, Bundle, Status};
use chartroom_engine::value::Value;

fn bundle(minor: u32) -> Bundle {
    kube::load_bundle(&kube::default_schema_dir(), minor).unwrap_or_else(|e| panic!("{e}"))
}

fn shared() -> PathBuf {
    kit::conformance()
}

/// Every `crds/` file under a chart folder (its subcharts' too).
fn crd_files(dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            crd_files(&p, out);
        } else if p.components().any(|c| c.as_os_str() == "crds")
            && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
        {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push((p.display().to_string(), t));
            }
        }
    }
}

struct Case {
    id: String,
    chart: PathBuf,
    output: PathBuf,
}

fn cases(root: &Path) -> Vec<Case> {
    let text = kit::read_fixture(&root.join("cases.yaml"), "put the shared folder beside the repository as ../shared");
    let doc = chartroom_engine::yaml::parse(&text).unwrap_or_else(|e| panic!("cases.yaml: {e}"));
    let Some(Value::List(l, _)) = doc.get("cases") else { panic!("cases.yaml: no cases") };
    let s = |c: &Value, k: &str| c.get(k).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let list = l.borrow().clone();
    list.iter()
        .filter(|c| s(c, "status").starts_with("ok"))
        .map(|c| Case { id: s(c, "id"), chart: root.join(s(c, "chart")), output: root.join(s(c, "helm_template")) })
        .collect()
}

/// Findings real Helm outputs do have, with the reason: (case, line).
const KNOWN_FINDINGS: &[(&str, &str)] = &[
    // The chart falls back to v1beta1 when `.Capabilities.APIVersions`
    // lacks apiregistration.k8s.io/v1, and `helm template`'s offline
    // capabilities (client-go's scheme) do not list that group: the output
    // really is an API version v1.36 no longer serves.
    ("prometheus-adapter/default", "prometheus-adapter/templates/custom-metrics-apiservice.yaml: APIService/v1beta1.custom.metrics.k8s.io: apiregistration.k8s.io/v1beta1 APIService is not served by Kubernetes v1.36: removed in v1.22, use apiregistration.k8s.io/v1 APIService"),
    ("prometheus-adapter/pdb", "prometheus-adapter/templates/custom-metrics-apiservice.yaml: APIService/v1beta1.custom.metrics.k8s.io: apiregistration.k8s.io/v1beta1 APIService is not served by Kubernetes v1.36: removed in v1.22, use apiregistration.k8s.io/v1 APIService"),
];

/// A corpus case's findings: (document line, known reason) pairs as
/// `Report::lines` gives them, with the counts the corpus-wide check adds.
fn validate_case(b: &Bundle, c: &Case) -> (kube::Report, Vec<String>) {
    let manifest = kit::read_fixture(&c.output, "put the shared folder beside the repository as ../shared");
    let mut crds = Vec::new();
    crd_files(&c.chart, &mut crds);
    let r = kube::validate(b, &manifest, &crds);
    let lines = r.documents.iter().flat_map(|d| d.lines()).collect();
    (r, lines)
}

/// Real Helm's output of one corpus case validates, but for its known
/// findings.
fn corpus_case(c: &Case) -> Result<(), String> {
    let (_, got) = validate_case(&bundle(36), c);
    let known: Vec<String> = KNOWN_FINDINGS.iter().filter(|(id, _)| *id == c.id).map(|(_, l)| l.to_string()).collect();
    if got == known {
        Ok(())
    } else {
        Err(format!(
            "real Helm outputs should validate (but for the known findings); got:\n{}\nknown:\n{}",
            got.join("\n"),
            known.join("\n")
        ))
    }
}

/// Across the corpus, nearly every document has a schema (the bundle and
/// the charts' CRDs cover what real charts print).
fn corpus_documents_have_schemas() {
    let b = bundle(36);
    let (mut docs, mut with_schema, mut crd_backed, mut findings) = (0, 0, 0, 0);
    let cases = cases(&shared());
    assert!(cases.len() >= 50, "{} cases", cases.len());
    for c in &cases {
        let (r, lines) = validate_case(&b, c);
        docs += r.documents.len();
        with_schema += r.documents.len() - r.count(Status::NoSchema);
        crd_backed +=
            r.documents.iter().filter(|d| d.status != Status::NoSchema && !b.serves(&d.api_version, &d.kind)).count();
        findings += lines.len();
    }
    println!(
        "kube validate corpus: {} cases, {docs} documents, {with_schema} with a schema ({crd_backed} of them custom resources of the chart's CRDs), {findings} findings",
        cases.len(),
    );
    assert!(with_schema * 10 > docs * 9, "{with_schema} of {docs} documents had a schema");
}

fn main() {
    let mut trials = vec![
        kit::test("corpus_documents_have_schemas", corpus_documents_have_schemas),
        kit::test("fast_decoder_agrees_with_the_full_decoder", fast_decoder_agrees_with_the_full_decoder),
        kit::test("invalid_documents_give_exact_findings", invalid_documents_give_exact_findings),
        kit::test("removed_api_versions_name_their_release", removed_api_versions_name_their_release),
        kit::test("custom_resources_follow_the_charts_crds", custom_resources_follow_the_charts_crds),
        kit::test("nested_any_of_stops_at_the_step_budget", nested_any_of_stops_at_the_step_budget),
        kit::test("bundles_cover_five_newest_minors", bundles_cover_five_newest_minors),
        kit::test("missing_bundle_says_how_to_get_it", missing_bundle_says_how_to_get_it),
        kit::test("bench_kube_prometheus_stack", bench_kube_prometheus_stack),
    ];
    let cases = cases(&shared());
    for id in KNOWN_FINDINGS.iter().map(|(id, _)| id) {
        assert!(cases.iter().any(|c| c.id == *id), "KNOWN_FINDINGS names no corpus case {id}");
    }
    for c in cases {
        trials.push(kit::case(format!("corpus/{}", c.id), false, move || corpus_case(&c)));
    }
    kit::run(trials)
}

/// The fast decoder validation uses (kube/block_yaml.rs) decodes every
/// corpus CRD file and rendered document it accepts exactly as the full
/// YAML decoder does; it accepts the CRD files of kube-prometheus-stack
/// (the benchmark's speed depends on it).
fn fast_decoder_agrees_with_the_full_decoder() {
    let root = shared();
    let (mut docs, mut docs_fast, mut files, mut files_fast) = (0, 0, 0, 0);
    let mut seen = std::collections::HashSet::new();
    for c in cases(&root) {
        let manifest = std::fs::read_to_string(&c.output).unwrap();
        for d in chartroom_engine::releaseutil::split_manifests(&manifest) {
            docs += 1;
            if let Some(fast) = kube::fast_decode_all(&d) {
                docs_fast += 1;
                let full = chartroom_engine::yaml::parse(&d).unwrap();
                assert_eq!(fast.into_iter().next().unwrap_or(Value::Nil), full, "{}: {d}", c.id);
            }
        }
        if !seen.insert(c.chart.clone()) {
            continue;
        }
        let mut crds = Vec::new();
        crd_files(&c.chart, &mut crds);
        for (path, text) in crds {
            files += 1;
            if let Some(fast) = kube::fast_decode_all(&text) {
                files_fast += 1;
                assert_eq!(fast, chartroom_engine::yaml::parse_all(&text).unwrap(), "{path}");
            } else {
                assert!(
                    !(path.contains("kube-prometheus-stack") && path.contains("/crds/crds/crd-")),
                    "the fast decoder refused {path}"
                );
            }
        }
    }
    println!("kube fast decoder: {docs_fast} of {docs} documents, {files_fast} of {files} CRD files");
    assert!(files_fast > 0 && docs_fast > 0);
}

/// Wraps a document in a manifest as `helm template` prints it.
fn manifest(source: &str, doc: &str) -> String {
    format!("---\n# Source: {source}\n{doc}")
}

fn findings(b: &Bundle, doc: &str) -> Vec<String> {
    let r = kube::validate(b, &manifest("mychart/templates/x.yaml", doc), &[]);
    r.documents.iter().flat_map(|d| d.lines()).collect()
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  strategy:
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 1
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          resources:
            limits:
              cpu: 500m
              memory: 128Mi
";

fn invalid_documents_give_exact_findings() {
    let b = bundle(36);
    assert_eq!(findings(&b, DEPLOYMENT), Vec::<String>::new());
    let cases: &[(&str, &str, &str)] = &[
        ("replicas: 2", "replicas: \"2\"", "Deployment/web: spec.replicas: expected integer, got string"),
        ("replicas: 2", "replicas: 2.5", "Deployment/web: spec.replicas: expected integer, got number"),
        ("replicas: 2", "replicas: 3000000000", "Deployment/web: spec.replicas: value 3000000000 out of int32 range"),
        ("replicas: 2", "replicaz: 2", "Deployment/web: spec.replicaz: unknown field"),
        ("    app: web\nspec:", "    app: true\nspec:", "Deployment/web: metadata.labels[app]: expected string, got boolean"),
        ("maxSurge: 25%", "maxSurge: true", "Deployment/web: spec.strategy.rollingUpdate.maxSurge: expected integer or string, got boolean"),
        ("cpu: 500m", "cpu: 500 millicores", "Deployment/web: spec.template.spec.containers[0].resources.limits[cpu]: invalid quantity \"500 millicores\""),
        ("memory: 128Mi", "memory: [128]", "Deployment/web: spec.template.spec.containers[0].resources.limits[memory]: expected quantity (string or number), got array"),
        ("        - name: web\n", "        - nam: web\n", "Deployment/web: spec.template.spec.containers[0].nam: unknown field"),
        ("            - containerPort: 80", "            - containerPort: http", "Deployment/web: spec.template.spec.containers[0].ports[0].containerPort: expected integer, got string"),
        ("      containers:", "      containerz:", "Deployment/web: spec.template.spec.containerz: unknown field"),
        // Kubernetes' +enum types (the enums of the OpenAPI v3 spec, from kubernetes-models).
        ("          image: nginx:1.27\n", "          image: nginx:1.27\n          imagePullPolicy: Sometimes\n", "Deployment/web: spec.template.spec.containers[0].imagePullPolicy: unsupported value \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
        ("            - containerPort: 80", "            - containerPort: 80\n              protocol: tcp", "Deployment/web: spec.template.spec.containers[0].ports[0].protocol: unsupported value \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        ("      containers:", "      restartPolicy: Sometimes\n      containers:", "Deployment/web: spec.template.spec.restartPolicy: unsupported value \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\""),
        ("      containers:", "      dnsPolicy: ClusterFirstWithHostNetwork\n      containers:", "Deployment/web: spec.template.spec.dnsPolicy: unsupported value \"ClusterFirstWithHostNetwork\": supported values: \"ClusterFirst\", \"ClusterFirstWithHostNet\", \"Default\", \"None\""),
        ("  strategy:\n", "  strategy:\n    type: Rolling\n", "Deployment/web: spec.strategy.type: unsupported value \"Rolling\": supported values: \"Recreate\", \"RollingUpdate\""),
        // Quantities (resource.ParseQuantity's grammar) and RFC 3339 times (metav1.Time).
        ("cpu: 500m", "cpu: 1.5x", "Deployment/web: spec.template.spec.containers[0].resources.limits[cpu]: invalid quantity \"1.5x\""),
        ("memory: 128Mi", "memory: 128MB", "Deployment/web: spec.template.spec.containers[0].resources.limits[memory]: invalid quantity \"128MB\""),
        ("  name: web\n  labels:", "  name: web\n  creationTimestamp: yesterday\n  labels:", "Deployment/web: metadata.creationTimestamp: invalid date-time \"yesterday\": want RFC 3339, e.g. \"2006-01-02T15:04:05Z\""),
        ("  name: web\n  labels:", "  name: web\n  creationTimestamp: \"2026-01-02 15:04:05\"\n  labels:", "Deployment/web: metadata.creationTimestamp: invalid date-time \"2026-01-02 15:04:05\": want RFC 3339, e.g. \"2006-01-02T15:04:05Z\""),
        ("maxUnavailable: 1", "maxUnavailable: [1]", "Deployment/web: spec.strategy.rollingUpdate.maxUnavailable: expected integer or string, got array"),
    ];
    for (from, to, want) in cases {
        assert!(DEPLOYMENT.contains(from), "{from}");
        let doc = DEPLOYMENT.replacen(from, to, 1);
        let got = findings(&b, &doc);
        let want = format!("mychart/templates/x.yaml: {want}");
        // The renamed containers list also makes the required one missing.
        assert!(got.contains(&want), "{to}: want {want:?}, got {got:?}");
    }
    // Valid enum values, the empty string (the API server defaults it),
    // times and quantities in their other spellings: no finding.
    let fine = DEPLOYMENT
        .replacen("          image: nginx:1.27\n", "          image: nginx:1.27\n          imagePullPolicy: \"\"\n", 1)
        .replacen("            - containerPort: 80", "            - containerPort: 80\n              protocol: UDP", 1)
        .replacen(
            "      containers:",
            "      restartPolicy: OnFailure\n      dnsPolicy: ClusterFirstWithHostNet\n      containers:",
            1,
        )
        .replacen(
            "  name: web\n  labels:",
            "  name: web\n  creationTimestamp: \"2026-01-02T15:04:05.5+02:00\"\n  labels:",
            1,
        )
        .replacen("cpu: 500m", "cpu: 1.5", 1)
        .replacen("memory: 128Mi", "memory: 1e9", 1);
    assert_eq!(findings(&b, &fine), Vec::<String>::new());
    // A Service's type, an enum in a list (a PersistentVolumeClaim's access modes).
    let doc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Loadbalancer\n  ports:\n    - port: 80\n";
    assert_eq!(
        findings(&b, doc),
        ["mychart/templates/x.yaml: Service/web: spec.type: unsupported value \"Loadbalancer\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""]
    );
    let doc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce, ReadWriteAll]\n";
    assert_eq!(
        findings(&b, doc),
        ["mychart/templates/x.yaml: PersistentVolumeClaim/data: spec.accessModes[1]: unsupported value \"ReadWriteAll\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""]
    );
    // The enums are in the bundle of each of the five newest minors.
    let pull = DEPLOYMENT.replacen(
        "          image: nginx:1.27\n",
        "          image: nginx:1.27\n          imagePullPolicy: Sometimes\n",
        1,
    );
    for minor in kube::MAX_MINOR - 4..=kube::MAX_MINOR {
        assert_eq!(findings(&bundle(minor), &pull).len(), 1, "v1.{minor}");
    }
    // Each field finding carries the manifest line of its field.
    let m = manifest("mychart/templates/x.yaml", &DEPLOYMENT.replacen("cpu: 500m", "cpu: 500 millicores", 1));
    let r = kube::validate(&b, &m, &[]);
    let f = &r.documents[0].findings[0];
    assert_eq!(m.lines().nth(f.line.expect("line") - 1), Some("              cpu: 500 millicores"));
    // Missing required fields (selector, template), and a container's name.
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n";
    assert_eq!(
        findings(&b, doc),
        [
            "mychart/templates/x.yaml: Deployment/web: spec.selector: missing required field",
            "mychart/templates/x.yaml: Deployment/web: spec.template: missing required field"
        ]
    );
    let doc = DEPLOYMENT.replacen("      containers:\n        - name: web\n", "      containers:\n        - \n", 1);
    assert_eq!(
        findings(&b, &doc),
        ["mychart/templates/x.yaml: Deployment/web: spec.template.spec.containers[0].name: missing required field"]
    );
    // Secret data must be base64; a document without kind.
    let doc = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: not base64!\n";
    assert_eq!(findings(&b, doc), ["mychart/templates/x.yaml: Secret/s: data[password]: invalid base64 data"]);
    let doc = "apiVersion: v1\nmetadata:\n  name: s\n";
    assert_eq!(findings(&b, doc), ["mychart/templates/x.yaml: (no kind)/s: kind: missing required field"]);
    // A Service port as a string; a ConfigMap value as a number.
    let doc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: \"80\"\n      targetPort: http\n";
    assert_eq!(
        findings(&b, doc),
        ["mychart/templates/x.yaml: Service/web: spec.ports[0].port: expected integer, got string"]
    );
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  enabled: true\n  port: 8080\n";
    assert_eq!(
        findings(&b, doc),
        [
            "mychart/templates/x.yaml: ConfigMap/c: data[enabled]: expected string, got boolean",
            "mychart/templates/x.yaml: ConfigMap/c: data[port]: expected string, got integer"
        ]
    );
}

fn removed_api_versions_name_their_release() {
    let b = bundle(36);
    let pdb =
        "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n";
    assert_eq!(
        findings(&b, pdb),
        ["mychart/templates/x.yaml: PodDisruptionBudget/web: policy/v1beta1 PodDisruptionBudget is not served by Kubernetes v1.36: removed in v1.25, use policy/v1 PodDisruptionBudget"]
    );
    let ing = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n";
    assert_eq!(
        findings(&b, ing),
        ["mychart/templates/x.yaml: Ingress/web: extensions/v1beta1 Ingress is not served by Kubernetes v1.36: removed in v1.22, use networking.k8s.io/v1 Ingress"]
    );
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\n";
    assert_eq!(
        findings(&b, hpa),
        ["mychart/templates/x.yaml: HorizontalPodAutoscaler/web: autoscaling/v2beta2 HorizontalPodAutoscaler is not served by Kubernetes v1.36: removed in v1.26, use autoscaling/v2 HorizontalPodAutoscaler"]
    );
    // v1.25 still serves autoscaling/v2beta2 (removed in 1.26): validated.
    let b25 = bundle(25);
    assert!(b25.serves("autoscaling/v2beta2", "HorizontalPodAutoscaler"));
    assert_eq!(findings(&b25, hpa), Vec::<String>::new());
    // flowcontrol v1beta3 was served until 1.32.
    let fs = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: f\n";
    assert!(bundle(31).serves("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"));
    assert_eq!(
        findings(&bundle(32), fs),
        ["mychart/templates/x.yaml: FlowSchema/f: flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes v1.32: removed in v1.32, use flowcontrol.apiserver.k8s.io/v1 FlowSchema"]
    );
}

const CRD: &str = "apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names:
    kind: Widget
    plural: widgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size:
                  type: integer
                  minimum: 1
                color:
                  type: string
                  enum: [red, green]
                port:
                  x-kubernetes-int-or-string: true
                extra:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                since:
                  type: string
                  format: date-time
                slug:
                  type: string
                  pattern: '^[a-z]+$'
";

fn custom_resources_follow_the_charts_crds() {
    let b = bundle(36);
    let crds = vec![("mychart/crds/widget.yaml".to_string(), CRD.to_string())];
    let check = |doc: &str| -> (Vec<String>, Vec<Status>) {
        let r = kube::validate(&b, &manifest("mychart/templates/w.yaml", doc), &crds);
        (r.documents.iter().flat_map(|d| d.lines()).collect(), r.documents.iter().map(|d| d.status).collect())
    };
    let ok = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labels:\n    a: b\nspec:\n  size: 3\n  color: red\n  port: http\n  extra:\n    anything: [1, 2]\n";
    assert_eq!(check(ok), (vec![], vec![Status::Valid]));
    let bad = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  labelz: {}\nspec:\n  color: blue\n  port: 1.5\n  shape: round\n";
    assert_eq!(
        check(bad).0,
        [
            "mychart/templates/w.yaml: Widget/w: spec.size: missing required field",
            "mychart/templates/w.yaml: Widget/w: spec.color: unsupported value \"blue\": supported values: \"red\", \"green\"",
            "mychart/templates/w.yaml: Widget/w: spec.port: expected integer or string, got number",
            "mychart/templates/w.yaml: Widget/w: spec.shape: unknown field",
            "mychart/templates/w.yaml: Widget/w: metadata.labelz: unknown field",
        ]
    );
    // A CRD's date-time is kube-openapi's strfmt.IsDateTime: the zone is not optional.
    let when = |t: &str| ok.replace("  size: 3\n", &format!("  size: 3\n  since: \"{t}\"\n"));
    assert_eq!(check(&when("2026-01-02t15:04:05z")).0, Vec::<String>::new());
    assert_eq!(
        check(&when("2026-01-02T15:04:05")).0,
        ["mychart/templates/w.yaml: Widget/w: spec.since: invalid date-time \"2026-01-02T15:04:05\": want RFC 3339, e.g. \"2006-01-02T15:04:05Z\""]
    );
    let slug = ok.replace("  size: 3\n", "  size: 3\n  slug: Abc\n");
    assert_eq!(
        check(&slug).0,
        ["mychart/templates/w.yaml: Widget/w: spec.slug: \"Abc\" does not match the pattern \"^[a-z]+$\""]
    );
    assert_eq!(check(&ok.replace("  size: 3\n", "  size: 3\n  slug: abc\n")).0, Vec::<String>::new());
    let small = ok.replace("size: 3", "size: 0");
    assert_eq!(check(&small).0, ["mychart/templates/w.yaml: Widget/w: spec.size: value 0 is less than the minimum 1"]);
    // Another version of the group, or the CRD absent: no schema.
    let v2 = ok.replace("example.com/v1", "example.com/v2");
    assert_eq!(check(&v2), (vec![], vec![Status::NoSchema]));
    let r = kube::validate(&b, &manifest("mychart/templates/w.yaml", ok), &[]);
    assert_eq!(r.summary(), "1 documents: 0 valid, 0 invalid, 1 without schema");
    // A CRD rendered by a template counts as well.
    let both =
        format!("{}{}", manifest("mychart/templates/crd.yaml", CRD), manifest("mychart/templates/w.yaml", &small));
    let r = kube::validate(&b, &both, &[]);
    assert_eq!(r.summary(), "2 documents: 1 valid, 1 invalid, 0 without schema");
    assert_eq!(r.documents[1].line, both.lines().position(|l| l == "# Source: mychart/templates/w.yaml").unwrap() + 1);
}

/// A hostile CRD: anyOf nested about 34 deep (2^17 paths and more).
/// The check stops at its step budget instead of running for ages.
fn nested_any_of_stops_at_the_step_budget() {
    let b = bundle(36);
    let mut node = "{\"type\": \"integer\"}".to_string();
    for _ in 0..40 {
        node = format!("{{\"anyOf\": [{node}, {{\"type\": \"integer\"}}]}}");
        node = format!("{{\"anyOf\": [{node}, {node}]}}");
        if node.len() > 200_000 {
            break;
        }
    }
    let crd = format!(
        "{{\"apiVersion\": \"apiextensions.k8s.io/v1\", \"kind\": \"CustomResourceDefinition\", \"metadata\": {{\"name\": \"xs.example.com\"}}, \"spec\": {{\"group\": \"example.com\", \"names\": {{\"kind\": \"X\", \"plural\": \"xs\"}}, \"scope\": \"Namespaced\", \"versions\": [{{\"name\": \"v1\", \"served\": true, \"storage\": true, \"schema\": {{\"openAPIV3Schema\": {{\"type\": \"object\", \"properties\": {{\"spec\": {node}}}}}}}}}]}}}}"
    );
    let crds = vec![("c/crds/x.json".to_string(), crd)];
    let doc = "apiVersion: example.com/v1\nkind: X\nmetadata:\n  name: x\nspec: not a number\n";
    let t = Instant::now();
    let r = kube::validate(&b, &manifest("c/templates/x.yaml", doc), &crds);
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(r.documents[0].status, Status::Invalid, "{:?}", r.documents[0].findings);
    assert!(secs < 30.0, "{secs} s");
}

fn bundles_cover_five_newest_minors() {
    for minor in kube::MAX_MINOR - 4..=kube::MAX_MINOR {
        let b = bundle(minor);
        assert_eq!(b.minor(), minor);
        assert!(b.serves("apps/v1", "Deployment") && b.serves("v1", "Service"), "v1.{minor}");
    }
    assert_eq!(kube::minor_of(None), Ok(36));
    assert_eq!(kube::minor_of(Some("1.33")), Ok(33));
    assert_eq!(
        kube::minor_of(Some("v1.20.0")).unwrap_err(),
        "no Kubernetes schemas for v1.20.0: validation covers v1.25 to v1.37"
    );
}

fn missing_bundle_says_how_to_get_it() {
    let e = kube::load_bundle(Path::new("/nonexistent-kube-schemas"), 36).unwrap_err();
    assert!(e.message.contains("scripts/kube_schemas.py"), "{e}");
}

/// Prints the time to validate the largest corpus output
/// (kube-prometheus-stack, with its CRDs); asserts nothing. Cold: the
/// first call, which compiles the CRDs it needs; warm: later calls with
/// the same CRD files (the page's case after an edit). Optimised figures:
/// `cargo test --profile native -p chartroom-engine --test kube_validate bench -- --nocapture`.
fn bench_kube_prometheus_stack() {
    let root = shared();
    let c = cases(&root).into_iter().find(|c| c.id == "kube-prometheus-stack/default").expect("case");
    let manifest = std::fs::read_to_string(&c.output).unwrap();
    let mut crds = Vec::new();
    crd_files(&c.chart, &mut crds);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let text = std::fs::read_to_string(kube::default_schema_dir().join(kube::bundle_file_name(36))).unwrap();
    let b = Bundle::from_json(&text).unwrap();
    let load = ms(t);
    let t = Instant::now();
    let _ = chartroom_engine::json::from_json(&text).unwrap();
    let load_json = ms(t);
    let t = Instant::now();
    let mut r = kube::validate(&b, &manifest, &crds);
    let cold = ms(t);
    let mut warm = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        r = kube::validate(&b, &manifest, &crds);
        warm = warm.min(ms(t));
    }
    // Where the cold time goes: decoding the documents and the CRD files
    // the check needs (those defining a kind the version does not serve).
    let t = Instant::now();
    for d in chartroom_engine::releaseutil::split_manifests(&manifest) {
        let _ = chartroom_engine::yaml::parse(&d);
    }
    let decode_docs = ms(t);
    let wanted = ["Prometheus", "Alertmanager", "PrometheusRule", "ServiceMonitor"];
    let plural = |k: &str| format!("{}{}", k.to_lowercase(), if k.ends_with('s') { "es" } else { "s" });
    let t = Instant::now();
    let mut crd_bytes = 0;
    for (p, text) in &crds {
        if wanted.iter().any(|k| p.ends_with(&format!("crd-{}.yaml", plural(k)))) {
            crd_bytes += text.len();
            let _ = chartroom_engine::yaml::parse_all(text);
        }
    }
    let decode_crds = ms(t);
    let t = Instant::now();
    for (p, text) in &crds {
        if wanted.iter().any(|k| p.ends_with(&format!("crd-{}.yaml", plural(k)))) {
            let _ = kube::fast_decode_all(text);
        }
    }
    let fast_crds = ms(t);
    println!(
        "bench kube validate kube-prometheus-stack/default ({} build): {} bytes, {} CRD files, {}; bundle load {load:.1} ms ({load_json:.1} ms of it decoding the JSON), cold {cold:.1} ms, warm best of 5 {warm:.1} ms (cold parts: decoding the documents {decode_docs:.1} ms, decoding the 4 CRD files used ({crd_bytes} bytes) {decode_crds:.1} ms, {fast_crds:.1} ms with the fast block-YAML decoder)",
        if cfg!(debug_assertions) { "debug" } else { "optimised" },
        manifest.len(),
        crds.len(),
        r.summary(),
    );
}
