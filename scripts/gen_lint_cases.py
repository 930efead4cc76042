"""Fixtures for `chartroom lint`: what real Helm v4.2.3's `helm lint` prints.

The oracle library has Helm's lint action (helm_python.lint = action.Lint.Run);
this script runs it on every conformance chart (with each conformance case's
values and namespace) and on small charts broken in each rule's way, and
formats the result exactly as pkg/cmd/lint.go's RunE does (`==> Linting`,
messages, the blank line, the summary or `Error: …` on stderr, exit 1). The
`--with-subcharts` walk is lint.go's filepath.Walk; the slog lines Helm's
engine writes in lint mode (`missing required value`, `funcMap fail`) are
captured from fd 2 and written in the CLI's slog.TextHandler form
(`level=WARN msg="…" message=…`, no time).

Absolute paths (the linter's ChartDir in dependency messages) are written as
`$CWD/…`: each case runs in a fresh folder holding its charts (or in
../shared/conformance for the corpus).

Run with the oracle's venv python:
    ~/.cache/helm-oracle-venv/bin/python scripts/gen_lint_cases.py
Writes engine/tests/data/lint/cases.json."""
import base64
import io
import json
import os
import tarfile
import re
import shutil
import sys
import tempfile

import oracle_env  # noqa: F401  (puts the oracle on sys.path)
import helm_python as helm
import helm_oracle
import yaml as pyyaml  # noqa: F401 (the oracle's venv has PyYAML for the corpus index)

OUT = os.path.join(oracle_env.ROOT, "engine", "tests", "data", "lint", "cases.json")
CONFORMANCE = os.path.join(os.path.dirname(oracle_env.ORACLE), "conformance")

SEV = ["UNKNOWN", "INFO", "WARNING", "ERROR"]
SLOG = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (DEBUG|INFO|WARN|ERROR) (missing required values?|funcMap fail)( .*)?$")


GOLOG = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (.*)$")
GOLOG_TIME = "YYYY/MM/DD hh:mm:ss"


def slog_quote(s: str) -> str:
    """slog.TextHandler's value: quoted (strconv.Quote) when it needs it."""
    if s == "" or any(c.isspace() or c in '"=' or not c.isprintable() for c in s):
        return json.dumps(s, ensure_ascii=False)
    return s


def convert_slog(text: str) -> str:
    out = []
    for line in text.splitlines():
        m = SLOG.match(line)
        g = GOLOG.match(line)
        if not m and g:
            # Go's standard logger (values coalescing): the time is the run's.
            out.append(f"{GOLOG_TIME} {g.group(1)}\n")
            continue
        if not m:
            raise SystemExit(f"unexpected slog line: {line!r}")
        out.append(f"level={m.group(1)} msg={slog_quote(m.group(2))}{m.group(3) or ''}\n")
    return "".join(out)


def walk_subcharts(p: str) -> list[str]:
    """lint.go's filepath.Walk(filepath.Join(p, "charts")): lexical order."""
    found = []
    root = os.path.join(p, "charts")

    def visit(path):
        name = os.path.basename(path)
        if name == "Chart.yaml" and not os.path.isdir(path):
            found.append(os.path.dirname(path))
        elif name == "Chart.yaml":
            found.append(os.path.dirname(path))
        elif path.endswith(".tgz") or path.endswith(".tar.gz"):
            found.append(path)
        if os.path.isdir(path) and not os.path.islink(path):
            for n in sorted(os.listdir(path)):
                visit(os.path.join(path, n))

    if os.path.lexists(root):
        visit(root)
    return found


def run_cli(cwd: str, args: list[str]) -> dict:
    """pkg/cmd/lint.go's RunE with the oracle's action.Lint."""
    paths, files, sets = [], [], []
    opts = {"strict": False, "quiet": False, "with_subcharts": False, "skip_schema_validation": False}
    ns, kube = "default", None
    it = iter(args)
    for a in it:
        if a in ("-f", "--values"):
            files.append(next(it))
        elif a == "--set":
            sets.append(next(it))
        elif a in ("-n", "--namespace"):
            ns = next(it)
        elif a == "--kube-version":
            kube = next(it)
        elif a.startswith("--") and a[2:].replace("-", "_") in opts:
            opts[a[2:].replace("-", "_")] = True
        else:
            paths.append(a)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        if opts["with_subcharts"]:
            for p in list(paths):
                paths.extend(walk_subcharts(p))
        vals = helm_oracle.build_values(files, sets) or {}
        msg, log = [], []
        failed = errors_or_warnings = 0
        for p in paths:
            with helm_oracle.captured_fd2(log):
                r = helm.lint(p, vals, strict=opts["strict"], namespace=ns,
                              skip_schema_validation=opts["skip_schema_validation"],
                              kube_version=kube)
            has = any(m["severity"] > 1 for m in r["messages"]) or bool(r["errors"])
            if has:
                errors_or_warnings += 1
            if opts["quiet"] and not has:
                continue
            msg.append(f"==> Linting {p}\n")
            if not r["messages"]:
                for e in r["errors"]:
                    msg.append(f"Error {e}\n")
            for m in r["messages"]:
                if not opts["quiet"] or m["severity"] > 1:
                    msg.append(f"[{SEV[m['severity']]}] {m['path']}: {m['error']}\n")
            if r["errors"]:
                failed += 1
            msg.append("\n")
        stdout = "".join(msg)
        stderr = convert_slog("".join(log))
        summary = f"{len(paths)} chart(s) linted, {failed} chart(s) failed"
        code = 0
        if failed:
            stderr += f"Error: {summary}\n"
            code = 1
        elif not opts["quiet"] or errors_or_warnings:
            stdout += summary + "\n"
    finally:
        os.chdir(old)
    absdir = os.path.realpath(cwd)
    return {"stdout": stdout.replace(absdir, "$CWD"), "stderr": stderr.replace(absdir, "$CWD"), "exit": code}


# ------------------------------------------------------------ small charts --

def chart_yaml(**kw) -> str:
    base = {"apiVersion": "v2", "name": "mychart", "version": "0.1.0", "icon": "https://example.com/icon.png"}
    base.update(kw)
    return "".join(f"{k}: {v}\n" for k, v in base.items() if v is not None)


CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  a: "1"
"""

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  selector:
    matchLabels:
      app: x
  template:
    metadata:
      labels:
        app: x
    spec:
      containers:
        - name: c
          image: nginx
"""


def good(**extra) -> dict:
    files = {"Chart.yaml": chart_yaml(), "values.yaml": "a: 1\n", "templates/cm.yaml": CM}
    files.update(extra)
    return {k: v for k, v in files.items() if v is not None}


def tgz(top: str, files: dict) -> bytes:
    """A chart archive as `helm package` lays it out: entries under top/."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for path, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def encode_files(files: dict) -> dict:
    """Text stays text; archives travel as base64 under a `base64:` prefix."""
    return {k: ("base64:" + base64.b64encode(v).decode()) if isinstance(v, bytes) else v for k, v in files.items()}


def obj(api, kind, name, extra=""):
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n{extra}"


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]
"""

SCHEMA = '{"type":"object","properties":{"a":{"type":"integer"},"name":{"type":"string"}},"required":["a"]}'

SMALL = {
    # Chart.yaml
    "valid": good(),
    "no-icon": good(**{"Chart.yaml": chart_yaml(icon=None)}),
    "chart-yaml-unparsable": good(**{"Chart.yaml": "apiVersion: v2\nname: [mychart\nversion: 0.1.0\n"}),
    "chart-yaml-not-a-map": good(**{"Chart.yaml": "- a\n- b\n"}),
    "chart-yaml-empty": good(**{"Chart.yaml": ""}),
    "chart-yaml-unknown-field": good(**{"Chart.yaml": chart_yaml(colour="blue")}),
    # yaml.UnmarshalStrict (go-yaml v2 strict): duplicate keys, found at the value's line
    "chart-yaml-duplicate-key": good(**{"Chart.yaml": chart_yaml() + "deprecated: true\ndescription: x\ndeprecated: true\n"}),
    "chart-yaml-duplicate-keys-many": good(**{"Chart.yaml": chart_yaml() + "home: a\nhome: b\nhome: c\nx-block:\n  a: 1\nx-block:\n\n  b: 2\nkeywords: [a]\nkeywords:\n  - b\n"}),
    "chart-yaml-duplicate-nested": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - name: ann\n    name: bob\nannotations:\n  x: '1'\n  x: '2'\n"}),
    "chart-yaml-duplicate-typed-keys": good(**{"Chart.yaml": chart_yaml() + "annotations:\n  true: a\n  yes: b\n  1: c\n  0x1: d\n  '1': e\n  1.5: h\n  15e-1: i\n"}),
    "chart-yaml-duplicate-merge": good(**{"Chart.yaml": chart_yaml() + "annotations: &a\n  x: '1'\nx-extra:\n  <<: *a\n  x: '2'\n"}),
    "chart-yaml-duplicate-and-unknown": good(**{"Chart.yaml": chart_yaml() + "colour: blue\ncolour: red\n"}),
    "chart-yaml-duplicate-flow": good(**{"Chart.yaml": chart_yaml() + "annotations: {a: '1', b: '2', a: '3'}\n"}),
    "chart-name-missing": good(**{"Chart.yaml": chart_yaml(name=None)}),
    "chart-name-slash": good(**{"Chart.yaml": chart_yaml(name="a/b")}),
    "api-version-missing": good(**{"Chart.yaml": chart_yaml(apiVersion=None)}),
    "api-version-v3": good(**{"Chart.yaml": chart_yaml(apiVersion="v3")}),
    "api-version-bad": good(**{"Chart.yaml": chart_yaml(apiVersion="v9")}),
    "api-version-v1": good(**{"Chart.yaml": chart_yaml(apiVersion="v1")}),
    "v1-with-type": good(**{"Chart.yaml": chart_yaml(apiVersion="v1", type="application")}),
    "v1-with-dependencies": good(**{"Chart.yaml": chart_yaml(apiVersion="v1") + "dependencies:\n  - name: sub\n    version: 0.1.0\n"}),
    "version-missing": good(**{"Chart.yaml": chart_yaml(version=None)}),
    "version-not-semver": good(**{"Chart.yaml": chart_yaml(version="abc")}),
    "version-loose-semver": good(**{"Chart.yaml": chart_yaml(version="1.2")}),
    "version-v-prefix": good(**{"Chart.yaml": chart_yaml(version="v1.2.3")}),
    "version-zero": good(**{"Chart.yaml": chart_yaml(version="0.0.0")}),
    "version-prerelease": good(**{"Chart.yaml": chart_yaml(version="1.0.0-rc.1+build.5")}),
    "version-float": good(**{"Chart.yaml": chart_yaml(version="1.0")}),
    "version-int": good(**{"Chart.yaml": chart_yaml(version="1")}),
    "app-version-float": good(**{"Chart.yaml": chart_yaml(appVersion="1.10")}),
    "app-version-bool": good(**{"Chart.yaml": chart_yaml(appVersion="true")}),
    "app-version-string": good(**{"Chart.yaml": chart_yaml(appVersion='"1.10"')}),
    "maintainer-no-name": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - email: a@example.com\n"}),
    "maintainer-null": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - null\n"}),
    "maintainer-bad-email": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - name: ann\n    email: not-an-email\n"}),
    "maintainer-bad-url": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - name: ann\n    url: 'not a url'\n"}),
    "maintainer-good": good(**{"Chart.yaml": chart_yaml() + "maintainers:\n  - name: ann\n    email: ann@example.com\n    url: https://example.com/ann\n"}),
    "sources-bad": good(**{"Chart.yaml": chart_yaml() + "sources:\n  - https://github.com/x/y\n  - not a url\n"}),
    "sources-empty-string": good(**{"Chart.yaml": chart_yaml() + "sources:\n  - ''\n"}),
    "sources-good": good(**{"Chart.yaml": chart_yaml() + "sources:\n  - https://github.com/x/y\n  - http://example.com/a?b=c\n"}),
    "icon-bad-url": good(**{"Chart.yaml": chart_yaml(icon="icon.png")}),
    "icon-relative": good(**{"Chart.yaml": chart_yaml(icon="/icons/x.png")}),
    "icon-data": good(**{"Chart.yaml": chart_yaml(icon="'data:image/png;base64,AAAA'")}),
    "type-library": good(**{"Chart.yaml": chart_yaml(type="library"), "templates/_helpers.tpl": '{{- define "x" }}y{{ end }}\n'}),
    "type-bad": good(**{"Chart.yaml": chart_yaml(type="plugin")}),
    "name-number": good(**{"Chart.yaml": chart_yaml(name="123")}),
    "kube-version-constraint": good(**{"Chart.yaml": chart_yaml(kubeVersion="'<1.10.0'")}),
    "deprecated-chart": good(**{"Chart.yaml": chart_yaml(deprecated="true")}),
    # values
    "no-values": good(**{"values.yaml": None}),
    "values-unparsable": good(**{"values.yaml": "a: [1\n"}),
    "values-list": good(**{"values.yaml": "- 1\n"}),
    "values-empty": good(**{"values.yaml": ""}),
    "values-multi-doc": good(**{"values.yaml": "a: 1\n---\nb: 2\n"}),
    "schema-ok": good(**{"values.schema.json": SCHEMA}),
    "schema-violation": good(**{"values.yaml": "a: one\n", "values.schema.json": SCHEMA}),
    "schema-missing-required": good(**{"values.yaml": "name: x\n", "values.schema.json": SCHEMA}),
    "schema-invalid-json": good(**{"values.schema.json": "{not json"}),
    "schema-empty": good(**{"values.schema.json": ""}),
    # templates
    "no-templates": {"Chart.yaml": chart_yaml(), "values.yaml": "a: 1\n"},
    "templates-is-file": {"Chart.yaml": chart_yaml(), "values.yaml": "a: 1\n", "templates": "not a dir\n"},
    "template-parse-error": good(**{"templates/bad.yaml": "a: {{ .Values.a \n"}),
    "template-exec-error": good(**{"templates/bad.yaml": "a: {{ .Values.a.b.c }}\n"}),
    "template-fn-error": good(**{"templates/bad.yaml": "a: {{ index .Values.list 3 }}\n"}),
    "template-include-missing": good(**{"templates/bad.yaml": 'a: {{ include "nope" . }}\n'}),
    "template-required": good(**{"templates/req.yaml": obj("v1", "ConfigMap", '{{ required "name is required" .Values.name }}x')}),
    "template-required-empty": good(**{"values.yaml": "a: 1\nname: ''\n", "templates/req.yaml": obj("v1", "ConfigMap", 'x{{ required "need name" .Values.name }}')}),
    "template-fail": good(**{"templates/fail.yaml": '{{ fail "nope, not today" }}\n' + obj("v1", "ConfigMap", "x")}),
    "invalid-yaml-output": good(**{"templates/bad.yaml": "a: b: c\n"}),
    "invalid-yaml-second-doc": good(**{"templates/bad.yaml": obj("v1", "ConfigMap", "one") + "---\nkey: [unclosed\n"}),
    "yaml-tab": good(**{"templates/bad.yaml": "a:\n\tb: c\n"}),
    "top-indent": good(**{"templates/indent.yaml": "\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n"}),
    "yaml-json-doc": good(**{"templates/j.yaml": '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}\n'}),
    "metadata-name-not-string": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "123")}),
    "metadata-name-map": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "{a: b}")}),
    "kind-not-string": good(**{"templates/n.yaml": "apiVersion: v1\nkind: [a]\nmetadata:\n  name: x\n"}),
    "doc-is-list": good(**{"templates/n.yaml": "- a\n- b\n"}),
    "doc-is-scalar": good(**{"templates/n.yaml": "hello\n"}),
    "bad-extension": good(**{"templates/x.json": '{"a": 1}\n', "templates/notes.md": "hi\n", "templates/NOTES.txt": "ok\n"}),
    "yml-extension": good(**{"templates/x.yml": obj("v1", "ConfigMap", "Bad")}),
    "upper-extension": good(**{"templates/x.YAML": obj("v1", "ConfigMap", "Bad")}),
    "name-uppercase": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "MyConfig")}),
    "name-empty": good(**{"templates/n.yaml": obj("v1", "ConfigMap", '""')}),
    "name-missing": good(**{"templates/n.yaml": "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n"}),
    "name-too-long": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "a" * 254)}),
    "name-dots-service": good(**{"templates/n.yaml": obj("v1", "Service", "my.svc", "spec:\n  ports: [{port: 80}]\n")}),
    "name-service-long": good(**{"templates/n.yaml": obj("v1", "Service", "s" * 64)}),
    "name-service-digit": good(**{"templates/n.yaml": obj("v1", "Service", "1svc")}),
    "name-namespace": good(**{"templates/n.yaml": obj("v1", "Namespace", "my.ns")}),
    "name-serviceaccount": good(**{"templates/n.yaml": obj("v1", "ServiceAccount", "My_SA")}),
    "name-role-slash": good(**{"templates/n.yaml": obj("rbac.authorization.k8s.io/v1", "Role", "a/b") + "---\n" + obj("rbac.authorization.k8s.io/v1", "ClusterRole", "..") + "---\n" + obj("rbac.authorization.k8s.io/v1", "RoleBinding", "a%b") + "---\n" + obj("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "system:Fine")}),
    "name-csr": good(**{"templates/n.yaml": obj("certificates.k8s.io/v1", "CertificateSigningRequest", "Any_Name!")}),
    "name-pod-bad": good(**{"templates/n.yaml": obj("v1", "Pod", "-pod-")}),
    "name-lowercase-kind": good(**{"templates/n.yaml": obj("v1", "service", "a.b")}),
    "name-crd-kind": good(**{"templates/n.yaml": obj("example.com/v1", "Widget", "Bad_Widget")}),
    "deployment-no-selector": good(**{"templates/d.yaml": obj("apps/v1", "Deployment", "web", "spec:\n  template: {}\n")}),
    "statefulset-match-expressions": good(**{"templates/d.yaml": obj("apps/v1", "StatefulSet", "web", "spec:\n  selector:\n    matchExpressions: []\n")}),
    "daemonset-no-selector-multi": good(**{"templates/d.yaml": obj("apps/v1", "DaemonSet", "a") + "---\n" + obj("apps/v1", "ReplicaSet", "b")}),
    "deployment-good": good(**{"templates/d.yaml": DEPLOY.format(name="web")}),
    "list-resource-policy": good(**{"templates/l.yaml": "apiVersion: v1\nkind: List\nmetadata:\n  name: l\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n      annotations:\n        helm.sh/resource-policy: keep\n"}),
    "list-ok": good(**{"templates/l.yaml": "apiVersion: v1\nkind: List\nmetadata:\n  name: l\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: a\n"}),
    "empty-template": good(**{"templates/empty.yaml": "{{- if false }}\nx: y\n{{- end }}\n", "templates/blank.yaml": "\n\n"}),
    "empty-docs": good(**{"templates/e.yaml": "---\n---\n" + obj("v1", "ConfigMap", "ok") + "---\n"}),
    "comment-only": good(**{"templates/c.yaml": "# just a comment\n"}),
    "namespace-set": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "x", "  namespace: {{ .Release.Namespace }}\n")}),
    "release-fields": good(**{"templates/r.yaml": obj("v1", "ConfigMap", "{{ .Release.Name }}-{{ .Release.Revision }}-{{ .Release.IsInstall }}-{{ .Release.Namespace }}")}),
    "capabilities": good(**{"templates/c.yaml": obj("v1", "ConfigMap", "v{{ .Capabilities.KubeVersion.Minor }}x")}),
    "helpers-tpl": good(**{"templates/_helpers.tpl": '{{- define "n" }}from-helper{{ end }}\n', "templates/h.yaml": obj("v1", "ConfigMap", '{{ include "n" . }}')}),
    "lookup": good(**{"templates/l.yaml": obj("v1", "ConfigMap", 'x{{ len (lookup "v1" "Secret" "ns" "s") }}')}),
    "subdir-template": good(**{"templates/sub/d.yaml": obj("v1", "ConfigMap", "Sub_Dir")}),
    # deprecated APIs
    "deprecated-apis": good(**{"templates/dep.yaml": "\n---\n".join([
        obj("extensions/v1beta1", "Ingress", "ing"),
        obj("policy/v1beta1", "PodSecurityPolicy", "psp"),
        obj("batch/v1beta1", "CronJob", "cj"),
        obj("autoscaling/v2beta2", "HorizontalPodAutoscaler", "hpa"),
        obj("autoscaling/v2beta1", "HorizontalPodAutoscaler", "hpa1"),
        obj("policy/v1beta1", "PodDisruptionBudget", "pdb"),
        obj("apps/v1beta1", "Deployment", "d1", "spec:\n  selector:\n    matchLabels: {}\n"),
        obj("extensions/v1beta1", "Deployment", "d2", "spec:\n  selector:\n    matchLabels: {}\n"),
        obj("rbac.authorization.k8s.io/v1beta1", "Role", "r"),
        obj("networking.k8s.io/v1beta1", "Ingress", "ing2"),
        obj("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "crd"),
        obj("storage.k8s.io/v1beta1", "CSIDriver", "csi"),
        obj("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "fs"),
        obj("flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "plc"),
        obj("discovery.k8s.io/v1beta1", "EndpointSlice", "es"),
        obj("events.k8s.io/v1beta1", "Event", "ev"),
        obj("coordination.k8s.io/v1beta1", "Lease", "le"),
        obj("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "vwc"),
        obj("scheduling.k8s.io/v1beta1", "PriorityClass", "pc"),
        obj("node.k8s.io/v1beta1", "RuntimeClass", "rc"),
        obj("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "csr"),
        obj("resource.k8s.io/v1beta1", "DeviceClass", "dc"),
        obj("storage.k8s.io/v1alpha1", "VolumeAttributesClass", "vac"),
        obj("v1", "ComponentStatus", "cs"),
        obj("v1", "Endpoints", "ep"),
        obj("apps/v1", "Deployment", "fine", "spec:\n  selector:\n    matchLabels: {}\n"),
    ]) + "\n"}),
    # dependencies
    "dep-missing-in-charts": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n    repository: https://example.com\n"}),
    "dep-missing-in-metadata": good(**{"charts/sub/Chart.yaml": chart_yaml(name="sub"), "charts/sub/templates/cm.yaml": CM}),
    "dep-duplicate": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n  - name: sub\n    version: 0.1.0\n  - name: other\n    alias: sub\n    version: 0.1.0\n",
                             "charts/sub/Chart.yaml": chart_yaml(name="sub"), "charts/other/Chart.yaml": chart_yaml(name="other")}),
    "dep-alias-ok": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n    alias: one\n  - name: sub\n    version: 0.1.0\n    alias: two\n",
                            "charts/sub/Chart.yaml": chart_yaml(name="sub"), "charts/sub/templates/cm.yaml": obj("v1", "ConfigMap", "{{ .Chart.Name }}-Sub")}),
    "subchart-broken": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n",
                               "charts/sub/Chart.yaml": chart_yaml(name="sub", icon=None, version="1.0"),
                               "charts/sub/templates/cm.yaml": obj("v1", "ConfigMap", "Sub_Name") + "---\n" + obj("extensions/v1beta1", "Ingress", "x")}),
    "subchart-condition": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n",
                                  "values.yaml": "sub:\n  enabled: false\n",
                                  "charts/sub/Chart.yaml": chart_yaml(name="sub"),
                                  "charts/sub/templates/bad.yaml": "a: {{ .Values.x.y }}\n"}),
    "subchart-values-schema": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n",
                                      "values.yaml": "sub:\n  a: wrong\n",
                                      "charts/sub/Chart.yaml": chart_yaml(name="sub"),
                                      "charts/sub/values.yaml": "a: 1\n",
                                      "charts/sub/values.schema.json": SCHEMA}),
    "subchart-unloadable": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n",
                                   "charts/sub/Chart.yaml": "name: sub\n"}),
    # crds
    "crds-ok": good(**{"crds/widget.yaml": CRD}),
    "crds-wrong-kind": good(**{"crds/cm.yaml": obj("v1", "ConfigMap", "x")}),
    "crds-wrong-api": good(**{"crds/c.yaml": CRD.replace("apiextensions.k8s.io/v1", "example.com/v1")}),
    "crds-v1beta1": good(**{"crds/c.yaml": CRD.replace("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1")}),
    "crds-template-syntax": good(**{"crds/t.yaml": "apiVersion: {{ .Values.x }}\nkind: CustomResourceDefinition\n"}),
    "crds-multi-doc": good(**{"crds/m.yaml": CRD + "---\n" + obj("v1", "Secret", "s") + "---\n\n"}),
    "crds-is-file": good(**{"crds": "not a dir\n"}),
    "crds-non-yaml-file": good(**{"crds/README.md": "# readme: [\n", "crds/c.json": '{"apiVersion": "v1", "kind": "Pod"}\n'}),
    "crds-empty": good(**{"crds/.keep": ""}),
    # helmignore
    "helmignore": good(**{".helmignore": "templates/ignored.yaml\n", "templates/ignored.yaml": "a: b: c\n"}),
    # .helmignore empties templates/ and crds/: the rules stat the folders on disk
    "helmignore-all-templates": good(**{".helmignore": "templates/tests\ncrds/x.yaml\n", "templates/cm.yaml": None,
                                        "templates/tests/t.yaml": CM, "crds/x.yaml": "a: b: c\n"}),
    "name-long-invalid": good(**{"templates/n.yaml": obj("v1", "Service", "Svc." + "s" * 70)}),
    "chart-name-dot": good(**{"Chart.yaml": chart_yaml(name="'.'")}),
    "chart-yaml-uppercase-key": good(**{"Chart.yaml": chart_yaml() + "Description: upper\n"}),
    "dep-null": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - null\n"}),
    "dep-alias-bad": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n    alias: a.b\n",
                             "charts/sub/Chart.yaml": chart_yaml(name="sub")}),
    "bad-separator": good(**{"templates/s.yaml": obj("v1", "ConfigMap", "a") + "---x\n" + obj("v1", "ConfigMap", "b")}),
    "list-second-doc": good(**{"templates/l.yaml": obj("v1", "ConfigMap", "a") + "---\napiVersion: v1\nkind: List\nitems:\n  - metadata:\n      annotations:\n        helm.sh/resource-policy: keep\n"}),
    "json-name-number": good(**{"templates/j.yaml": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": 5}}\n'}),
    "json-two-objects": good(**{"templates/j.yaml": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "A"}}\n{"kind": "Secret", "metadata": {"name": "b_"}}\n'}),
    "yaml-name-bool": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "true")}),
    "yaml-name-float": good(**{"templates/n.yaml": obj("v1", "ConfigMap", "1.50")}),
    "metadata-not-map": good(**{"templates/n.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: [a]\n"}),
    "api-version-number": good(**{"templates/n.yaml": "apiVersion: 1\nkind: ConfigMap\nmetadata:\n  name: x\n"}),
    "crds-and-templates-bad": good(**{"crds/c.yaml": obj("v1", "ConfigMap", "x"), "templates/bad.yaml": "a: b: c\n"}),
    "template-nil-required-subchart": good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n",
                                              "charts/sub/Chart.yaml": chart_yaml(name="sub"),
                                              "charts/sub/templates/r.yaml": obj("v1", "ConfigMap", '{{ required "sub needs it" .Values.x }}y')}),
    "many-problems": {"Chart.yaml": "apiVersion: v2\nname: mychart\nversion: 1.0\nappVersion: 2\nmaintainers:\n  - name: x\n    email: bad\nsources: ['nope']\n",
                      "values.yaml": "a: one\n", "values.schema.json": SCHEMA,
                      "templates/a.yaml": obj("v1", "Service", "Bad.Name") + "---\n" + obj("apps/v1", "Deployment", "d"),
                      "templates/b.txt": "text\n", "templates/c.yaml": "  indented: true\n"},
}

SUB = {"Chart.yaml": chart_yaml(name="sub", icon=None), "templates/cm.yaml": obj("v1", "ConfigMap", "Sub_Tgz")}
SMALL["tgz-subchart"] = good(**{"Chart.yaml": chart_yaml() + "dependencies:\n  - name: sub\n    version: 0.1.0\n",
                               "charts/sub-0.1.0.tgz": tgz("sub", SUB)})
# Packaged charts linted as archives (`helm lint mychart-0.1.0.tgz`).
ARCHIVES = {
    "archive-valid": good(),
    "archive-broken": SMALL["invalid-yaml-output"],
    "archive-no-icon": SMALL["no-icon"],
}

# (case name, chart, args); the chart folder is named `mychart` (or the key)
ARGS = [(name, name, []) for name in SMALL]
ARGS += [
    ("strict-info-only", "no-icon", ["--strict"]),
    ("strict-warning", "version-loose-semver", ["--strict"]),
    ("strict-deprecated", "deprecated-apis", ["--strict"]),
    ("strict-valid", "valid", ["--strict"]),
    ("quiet-valid", "valid", ["--quiet"]),
    ("quiet-info", "no-icon", ["--quiet"]),
    ("quiet-warning", "name-uppercase", ["--quiet"]),
    ("quiet-error", "invalid-yaml-output", ["--quiet"]),
    ("quiet-strict", "version-loose-semver", ["--quiet", "--strict"]),
    ("kube-1.20-deprecations", "deprecated-apis", ["--kube-version", "v1.20.0"]),
    ("kube-1.16-deprecations", "deprecated-apis", ["--kube-version", "1.16"]),
    ("kube-1.25-deprecations", "deprecated-apis", ["--kube-version", "1.25.3"]),
    ("kube-1.29-deprecations", "deprecated-apis", ["--kube-version", "v1.29"]),
    ("kube-1.32-deprecations", "deprecated-apis", ["--kube-version", "v1.32.1"]),
    ("kube-version-capabilities", "capabilities", ["--kube-version", "v1.27.0"]),
    ("kube-version-constraint-old", "kube-version-constraint", ["--kube-version", "v1.9.0"]),
    ("namespace-flag", "namespace-set", ["-n", "Bad_NS"]),
    ("release-fields-ns", "release-fields", ["--namespace", "prod"]),
    ("set-fixes-required", "template-required", ["--set", "name=given"]),
    ("set-violates-schema", "schema-ok", ["--set", "a=text"]),
    ("set-satisfies-schema", "schema-violation", ["--set", "a=5"]),
    ("skip-schema", "schema-violation", ["--skip-schema-validation"]),
    ("skip-schema-subchart", "subchart-values-schema", ["--skip-schema-validation"]),
    ("values-file", "schema-ok", ["-f", "override.yaml"]),
    ("values-file-name", "name-uppercase", ["-f", "override.yaml", "--set", "extra=1"]),
    ("with-subcharts", "subchart-broken", ["--with-subcharts"]),
    ("with-subcharts-quiet", "subchart-broken", ["--with-subcharts", "--quiet"]),
    ("with-subcharts-strict", "dep-alias-ok", ["--with-subcharts", "--strict"]),
    ("with-subcharts-none", "valid", ["--with-subcharts"]),
    ("with-subcharts-unloadable", "subchart-unloadable", ["--with-subcharts"]),
    ("two-charts", ["valid", "no-icon"], []),
    ("two-charts-one-failing", ["invalid-yaml-output", "valid"], []),
    ("quiet-two-charts", ["valid", "name-uppercase"], ["--quiet"]),
    ("strict-two-charts", ["version-v-prefix", "valid"], ["--strict"]),
    ("with-subcharts-tgz", "tgz-subchart", ["--with-subcharts"]),
    ("not-a-chart", None, ["nothing-here"]),
    ("not-a-chart-and-valid", "valid", ["nothing-here"]),
]
OVERRIDE = "a: 3\nname: Upper\n"


def write_chart(root: str, files: dict):
    for path, text in files.items():
        p = os.path.join(root, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if isinstance(text, bytes):
            with open(p, "wb") as f:
                f.write(text)
        else:
            with open(p, "w") as f:
                f.write(text)


def main():
    cases = []
    for name, charts, extra in ARGS:
        tmp = tempfile.mkdtemp(prefix="lint-case-")
        try:
            if charts is None:
                charts = []
            if isinstance(charts, str):
                charts = [charts]
            case_charts, args = {}, []
            for i, c in enumerate(charts):
                folder = "mychart" if len(charts) == 1 else f"chart{i + 1}"
                case_charts[folder] = encode_files(SMALL[c])
                write_chart(os.path.join(tmp, folder), SMALL[c])
                args.append(folder)
            extra_files = {}
            if "-f" in extra:
                extra_files["override.yaml"] = OVERRIDE
                write_chart(tmp, extra_files)
            args = ([a for a in extra if a == "nothing-here"] + [c for c in case_charts] +
                    [a for a in extra if a != "nothing-here"])
            res = run_cli(tmp, args)
            cases.append({"name": name, "charts": case_charts, "files": extra_files, "args": ["lint"] + args, **res})
        finally:
            shutil.rmtree(tmp)
    for name, files in ARCHIVES.items():
        tmp = tempfile.mkdtemp(prefix="lint-case-")
        try:
            extra_files = {"mychart-0.1.0.tgz": tgz("mychart", files)}
            write_chart(tmp, extra_files)
            res = run_cli(tmp, ["mychart-0.1.0.tgz"])
            cases.append({"name": name, "charts": {}, "files": encode_files(extra_files),
                          "args": ["lint", "mychart-0.1.0.tgz"], **res})
        finally:
            shutil.rmtree(tmp)
    # the conformance corpus: each case's values and namespace
    index = pyyaml.safe_load(open(os.path.join(CONFORMANCE, "cases.yaml")))
    seen = set()
    for c in index["cases"]:
        args = [c["chart"]]
        for v in c.get("values") or []:
            args += ["-f", v]
        args += ["-n", c.get("namespace") or "default"]
        res = run_cli(CONFORMANCE, args)
        cases.append({"name": "conformance/" + c["id"], "conformance": True, "args": ["lint"] + args, **res})
        if c["chart"] not in seen:
            seen.add(c["chart"])
            for flags in (["--with-subcharts"], ["--strict"]):
                args = [c["chart"]] + flags
                res = run_cli(CONFORMANCE, args)
                cases.append({"name": f"conformance/{c['id'].split('/')[0]}{flags[0]}", "conformance": True,
                              "args": ["lint"] + args, **res})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} cases ({sum(1 for c in cases if c['exit'])} failing lints)", file=sys.stderr)


if __name__ == "__main__":
    main()
