#!/usr/bin/env python3
"""Builds Chartroom's per-version Kubernetes schema bundles.

Source: the PyPI package kubernetes-validate (Apache-2.0), which ships the
Kubernetes OpenAPI definitions of each minor release (v1.25 … v1.37) as JSON
Schema, in a "local-strict" flavour where objects reject unknown fields.
Its wheel is downloaded with pip (pinned version and sha256), and each
version's `_definitions.json` is cut down to what validation reads:

  {"kubernetes": "1.36", "source": "...",
   "kinds": {"apps/v1": {"Deployment": "io.k8s.api.apps.v1.Deployment", ...}},
   "defs": {"io.k8s.api.apps.v1.Deployment": {...}, ...}}

Each definition keeps only type, properties, required, items,
additionalProperties, format and $ref (a bare definition name); descriptions
and the x-kubernetes-* patch hints go, `["T", "null"]` types become "T" (null
is accepted everywhere, as the API server treats it as unset), IntOrString
becomes `x-kubernetes-int-or-string`, Quantity becomes `format: quantity`,
and schemas that accept anything (RawExtension, JSON, FieldsV1…) become
`x-kubernetes-preserve-unknown-fields` — the CRD structural-schema
vocabulary, so the engine reads built-in and CRD schemas with one compiler.
Only definitions reachable from a kind are kept.

Enums: kubernetes-validate's schemas come from the swagger-2 documents, which
carry no `enum` for Kubernetes' `+enum` string types (imagePullPolicy,
restartPolicy, Service type, protocol…). The OpenAPI v3 documents do; the npm
package kubernetes-models (MIT, generated from Kubernetes v1.36's OpenAPI v3
spec) writes them as string-literal unions in its type declarations
(`"imagePullPolicy"?: "Always" | "IfNotPresent" | "Never";`). Its tarball is
fetched with `npm pack` (pinned version and sha256) and each union becomes the
`enum` of that property in every version's bundle that has the definition and
property (v1.36's lists: a value added later would be refused for v1.37).

Usage: kube_schemas.py [OUT_DIR]   (default: target/kube-schemas, or
$CHARTROOM_KUBE_SCHEMAS). Writes v1.NN.json per version; idempotent (does
nothing when every bundle is there and was built by this script's FORMAT).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile

PACKAGE = "kubernetes-validate"
VERSION = "1.37.0"
WHEEL = "kubernetes_validate-1.37.0-py3-none-any.whl"
SHA256 = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
# Bumped whenever the bundle layout changes, so setup rebuilds old bundles.
FORMAT = 2

# Enums of the +enum types (see the module doc).
ENUM_PACKAGE = "kubernetes-models"
ENUM_VERSION = "5.1.0"
ENUM_KUBERNETES = "1.36"
ENUM_TARBALL = "kubernetes-models-5.1.0.tgz"
ENUM_SHA256 = "a7b5c0d34639c52699fc2998879590b20d57558598fb35b219b3e5a5871aa0c0"

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
KEEP_FORMATS = {"int32", "int64", "byte", "date-time"}


def compact(s, refs):
    """One schema node in the bundle's vocabulary; records the $refs it uses."""
    if not isinstance(s, dict):
        return s
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[-1]
        if name == INT_OR_STRING:
            return {"x-kubernetes-int-or-string": True}
        if name == QUANTITY:
            return {"format": "quantity"}
        refs.add(name)
        return {"$ref": name}
    out = {}
    t = s.get("type")
    if isinstance(t, list):
        t = [x for x in t if x != "null"]
        t = t[0] if len(t) == 1 else None
    if t:
        out["type"] = t
    if "properties" in s:
        out["properties"] = {k: compact(v, refs) for k, v in sorted(s["properties"].items())}
    if s.get("required"):
        out["required"] = sorted(s["required"])
    if "items" in s:
        out["items"] = compact(s["items"], refs)
    ap = s.get("additionalProperties")
    if isinstance(ap, dict):
        out["additionalProperties"] = compact(ap, refs)
    if s.get("format") in KEEP_FORMATS:
        out["format"] = s["format"]
    if "enum" in s:
        out["enum"] = s["enum"]
    if t == "object" and "properties" not in s and not isinstance(ap, dict):
        out["x-kubernetes-preserve-unknown-fields"] = True
    if not out:
        # No type, no structure (JSON, JSONSchemaPropsOr*): any value.
        out["x-kubernetes-preserve-unknown-fields"] = True
    return out


def def_key(name):
    """`io.k8s.api.core.v1.Container` and kubernetes-models' `IoK8sApiCoreV1Container` alike."""
    return name.replace(".", "").replace("-", "").lower()


LITERALS = re.compile(r'^\s+"([A-Za-z0-9_$]+)"\??: (Array<)?((?:"[^"\\]*"(?: \| )?)+)>?;$')
TYPE_EXPORT = re.compile(r"export type \{ (I\w+) as I(IoK8s\w+),")


def model_enums(tarball):
    """{def_key: {property: [values]}} from kubernetes-models' declarations:
    the properties of each exported interface whose type is a union of string
    literals (or an array of one). A single literal (apiVersion, kind) is no enum."""
    out = {}
    with tarfile.open(tarball) as t:
        for m in t.getmembers():
            if not m.name.endswith(".d.ts") or "/_schemas/" in m.name:
                continue
            text = t.extractfile(m).read().decode()
            exp = TYPE_EXPORT.search(text)
            if not exp:
                continue
            iface, name = exp.group(1), exp.group(2)
            body = text.split(f"export interface {iface} {{", 1)
            if len(body) != 2:
                continue
            props = {}
            for line in body[1].split("\n}", 1)[0].split("\n"):
                lm = LITERALS.match(line)
                if lm:
                    values = re.findall(r'"([^"\\]*)"', lm.group(3))
                    if len(values) > 1:
                        props[lm.group(1)] = values
            if props:
                out[def_key(name)] = props
    return out


def add_enums(defs, enums):
    """Puts each enum on its property (or the property's items) in the
    bundle's definitions; returns how many were placed."""
    placed = 0
    for name, d in defs.items():
        for prop, values in enums.get(def_key(name), {}).items():
            p = d.get("properties", {}).get(prop)
            if p is None:
                continue
            target = p.get("items") if p.get("type") == "array" else p
            if isinstance(target, dict) and target.get("type") == "string":
                target["enum"] = values
                placed += 1
    return placed


def fetch_enums(tmp):
    subprocess.run(["npm", "pack", "--silent", "--pack-destination", tmp, f"{ENUM_PACKAGE}@{ENUM_VERSION}"],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = os.path.join(tmp, ENUM_TARBALL)
    got = hashlib.sha256(open(tgz, "rb").read()).hexdigest()
    if got != ENUM_SHA256:
        raise SystemExit(f"kube schemas: {ENUM_TARBALL} sha256 {got}, expected {ENUM_SHA256}")
    return model_enums(tgz)


def bundle(defs, minor, enums):
    kinds = {}
    for name, d in defs.items():
        gvks = d.get("x-kubernetes-group-version-kind") or []
        if len(gvks) != 1:  # DeleteOptions, WatchEvent: listed under every group
            continue
        g = gvks[0]
        api_version = f"{g['group']}/{g['version']}" if g["group"] else g["version"]
        kinds.setdefault(api_version, {})[g["kind"]] = name
    out_defs = {}
    todo = sorted({n for m in kinds.values() for n in m.values()})
    while todo:
        name = todo.pop()
        if name in out_defs:
            continue
        refs = set()
        d = dict(defs[name])
        props = d.get("properties")
        if props:
            # apiVersion/kind carry a one-value enum; the kind lookup did that.
            props = dict(props)
            for k in ("apiVersion", "kind"):
                if k in props:
                    props[k] = {"type": "string"}
            d["properties"] = props
        out_defs[name] = compact(d, refs)
        todo.extend(sorted(r for r in refs if r not in out_defs))
    placed = add_enums(out_defs, enums)
    return {
        "format": FORMAT,
        "kubernetes": minor,
        "source": f"{PACKAGE} {VERSION} (v{minor}.0-local-strict); "
                  f"{placed} enums from {ENUM_PACKAGE} {ENUM_VERSION} (v{ENUM_KUBERNETES})",
        "kinds": {k: dict(sorted(v.items())) for k, v in sorted(kinds.items())},
        "defs": dict(sorted(out_defs.items())),
    }


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
        "CHARTROOM_KUBE_SCHEMAS", os.path.join(root, "target", "kube-schemas"))
    os.makedirs(out, exist_ok=True)
    stamp = os.path.join(out, "SOURCE")
    want = (f"{PACKAGE} {VERSION} sha256:{SHA256} format:{FORMAT}\n"
            f"{ENUM_PACKAGE} {ENUM_VERSION} sha256:{ENUM_SHA256}\n")
    if os.path.exists(stamp) and open(stamp).read() == want:
        print(f"kube schemas: cached in {out}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "-d", tmp, f"{PACKAGE}=={VERSION}"], check=True)
        whl = os.path.join(tmp, WHEEL)
        got = hashlib.sha256(open(whl, "rb").read()).hexdigest()
        if got != SHA256:
            print(f"kube schemas: {WHEEL} sha256 {got}, expected {SHA256}", file=sys.stderr)
            return 1
        enums = fetch_enums(tmp)
        written = []
        with zipfile.ZipFile(whl) as z:
            prefix = "kubernetes_validate/kubernetes-json-schema/"
            dirs = sorted({n[len(prefix):].split("/")[0] for n in z.namelist()
                           if n.startswith(prefix) and n.endswith("-local-strict/_definitions.json")})
            for d in dirs:
                minor = d[1:].split(".0-local-strict")[0]
                defs = json.loads(z.read(f"{prefix}{d}/_definitions.json"))["$defs"]
                b = bundle(defs, minor, enums)
                path = os.path.join(out, f"v{minor}.json")
                with open(path, "w") as f:
                    json.dump(b, f, separators=(",", ":"))
                written.append(f"v{minor} {os.path.getsize(path)} bytes, {len(b['defs'])} definitions, "
                               f"{b['source'].split('; ')[1]}")
    with open(stamp, "w") as f:
        f.write(want)
    for w in written:
        print(f"kube schemas: {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
