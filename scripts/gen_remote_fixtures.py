"""Fixtures for the remote-chart browser test (tests/e2e/remote.test.mjs):
a Helm chart repository made by real Helm v4.2.3 — `helm package` of the
`demo` chart at several versions and `helm repo index` (relative URLs) —
and `helm template` of the versions the test opens. Run with the oracle's
venv python:
    ~/.cache/helm-oracle-venv/bin/python scripts/gen_remote_fixtures.py
Writes tests/e2e/fixtures/remote/."""
import os
import shutil
import tempfile

import oracle_env  # noqa: F401  (puts the oracle on sys.path)
import helm_oracle
import helm_python
from helm_python import registry

OUT = os.path.join(oracle_env.ROOT, "tests", "e2e", "fixtures", "remote")
VERSIONS = ["1.0.0", "1.2.3", "1.3.0", "2.0.0-rc.1"]
TEMPLATE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-demo
data:
  version: {{ .Chart.Version | quote }}
  greeting: {{ .Values.greeting | quote }}
"""

# tls/ (the test servers' self-signed certificate) is kept.
shutil.rmtree(os.path.join(OUT, "repo"), ignore_errors=True)
os.makedirs(os.path.join(OUT, "repo", "charts"))
tmp = tempfile.mkdtemp()
for v in VERSIONS:
    d = os.path.join(tmp, v, "demo")
    os.makedirs(os.path.join(d, "templates"))
    with open(os.path.join(d, "Chart.yaml"), "w") as f:
        f.write(f"apiVersion: v2\nname: demo\ndescription: A chart for the remote-chart test\nversion: {v}\nappVersion: \"{v}\"\n")
    with open(os.path.join(d, "values.yaml"), "w") as f:
        f.write("greeting: hello\n")
    with open(os.path.join(d, "templates", "configmap.yaml"), "w") as f:
        f.write(TEMPLATE)
    helm_python.package(d, destination=os.path.join(OUT, "repo", "charts"))
registry.repo_index_generate(os.path.join(OUT, "repo"))
# index.yaml at the repository root lists charts/demo-*.tgz (relative).
with open(os.path.join(OUT, "values-prod.yaml"), "w") as f:
    f.write("greeting: from a values file by URL\n")
for v in ["1.3.0", "1.2.3"]:
    d = os.path.join(tmp, v, "demo")
    r = helm_oracle.oracle(d, {}, name="release-name", namespace="default")
    with open(os.path.join(OUT, f"demo-{v}.helm-template.yaml"), "w") as f:
        f.write(r["helm_template"])
    r = helm_oracle.oracle(d, {"greeting": "from a values file by URL"}, name="release-name", namespace="default")
    with open(os.path.join(OUT, f"demo-{v}-values.helm-template.yaml"), "w") as f:
        f.write(r["helm_template"])
# A chart whose dependency is not vendored: the page fetches demo from the
# repository (the test writes the archive with the server's real URL; the
# output does not depend on it). Real Helm renders it with the archive that
# `helm dependency build` would put under charts/.
for dep_version in ["1.2.3"]:
    d = os.path.join(tmp, "app")
    os.makedirs(os.path.join(d, "charts"), exist_ok=True)
    os.makedirs(os.path.join(d, "templates"), exist_ok=True)
    with open(os.path.join(d, "Chart.yaml"), "w") as f:
        f.write("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- name: demo\n  version: ~1.2\n  repository: https://example.invalid/repo\n")
    with open(os.path.join(d, "templates", "app.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-app\n")
    shutil.copy(os.path.join(OUT, "repo", "charts", f"demo-{dep_version}.tgz"), os.path.join(d, "charts"))
    r = helm_oracle.oracle(d, {}, name="release-name", namespace="default")
    with open(os.path.join(OUT, f"app-with-demo-{dep_version}.helm-template.yaml"), "w") as f:
        f.write(r["helm_template"])
print(sorted(os.listdir(OUT)), sorted(os.listdir(os.path.join(OUT, "repo", "charts"))))
