#!/usr/bin/env python3
"""Generate chart-archive (.tgz) fixtures and real Helm's verdict on them.

Writes engine/tests/data/archive/<case>.tgz (small, built here with Python's
tarfile or by hand for malformed ones) and engine/tests/data/archive/expected.json:

  {case: {"load": {"error": TEXT} | {"chart": {...}},   # v2 loader.LoadArchive(bytes)
          "load_file_error": TEXT?,                      # v2 loader.Load("<case>.tgz") when it fails
          "expand": {"error": TEXT} | {"files": {...}},  # chartutil.Expand: LoadArchiveFiles' verdict
          "cli_error": TEXT?,                            # what `helm template <case>.tgz` says
          "helm_template": TEXT? | "helm_template_error": TEXT?}}

libhelm_c loads charts with the v2 loader; the CLI goes through
pkg/chart/loader.LoadFile first, which words LoadArchiveFiles failures as
"unable to load chart archive" and detects the chart's apiVersion. `cli_error`
applies those wrapper rules (pkg/chart/loader/load.go, v4.2.3) to the oracle's
answers above: `expand` tells whether LoadArchiveFiles failed.

"chart" holds what Helm loaded: metadata name/version, templates and files
({name: data}), values, and the same recursively for each subchart
(the `dependencies` that libhelm_c reports are metadata only, so nested
charts are described by name there and checked through helm_template).

Run with the oracle's venv python:
  ~/.cache/helm-oracle-venv/bin/python scripts/gen_archive_fixtures.py
"""
import gzip
import io
import json
import os
import shutil
import sys
import tarfile
import tempfile

from oracle_env import HERE, ROOT, ORACLE  # noqa: E402,F401 (also puts the oracle on sys.path)

import helm_python as helm  # noqa: E402
import helm_oracle as ho  # noqa: E402

OUT = os.path.join(ROOT, "engine", "tests", "data", "archive")

CHART = b"apiVersion: v2\nname: c\nversion: 0.1.0\n"
TPL = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  x: {{ .Values.x | quote }}\n"


def tgz(entries, fmt=tarfile.USTAR_FORMAT, mtime=0):
    """entries: (name, bytes) for files, (name, None) for directories,
    (name, ('sym', target)) for symlinks."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=fmt) as tf:
        for name, data in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = mtime
            if data is None:
                ti.type = tarfile.DIRTYPE
                ti.mode = 0o755
                tf.addfile(ti)
            elif isinstance(data, tuple):
                ti.type = tarfile.SYMTYPE
                ti.linkname = data[1]
                tf.addfile(ti)
            else:
                ti.size = len(data)
                ti.mode = 0o644
                tf.addfile(ti, io.BytesIO(data))
    return gzip.compress(bio.getvalue(), mtime=0)


def raw_header(name, size, typeflag=b"0"):
    """A hand-made USTAR header claiming `size` bytes (no data follows)."""
    b = bytearray(512)
    b[0:len(name)] = name
    b[100:108] = b"0000644\0"
    b[108:116] = b"0000000\0"
    b[116:124] = b"0000000\0"
    b[124:136] = ("%011o" % size).encode() + b"\0"
    b[136:148] = b"00000000000\0"
    b[156:157] = typeflag
    b[257:263] = b"ustar\0"
    b[263:265] = b"00"
    b[148:156] = b" " * 8
    s = sum(b)
    b[148:156] = ("%06o" % s).encode() + b"\0 "
    return bytes(b)


def basic_entries(extra=()):
    return [
        ("c/Chart.yaml", CHART),
        ("c/values.yaml", b"x: hello\n"),
        ("c/templates/cm.yaml", TPL),
    ] + list(extra)


def sub_chart_tgz(name, extra=()):
    return tgz([
        (f"{name}/Chart.yaml", f"apiVersion: v2\nname: {name}\nversion: 0.2.0\n".encode()),
        (f"{name}/values.yaml", b"y: sub\n"),
        (f"{name}/templates/s.yaml", b"sub: {{ .Values.y }} {{ .Chart.Name }}\n"),
    ] + list(extra))


def cases():
    ok = tgz(basic_entries())
    c = {}
    c["ok_basic"] = ok
    c["ok_dirs_and_bom"] = tgz([
        ("c", None), ("c/templates", None),
        ("c/Chart.yaml", b"\xef\xbb\xbf" + CHART),
        ("c/values.yaml", b"\xef\xbb\xbfx: bom\n"),
        ("c/templates/cm.yaml", TPL),
        ("c/README.md", b"\xef\xbb\xbfreadme\n"),
    ])
    # .helmignore is not applied to archives: ignored.txt and templates/skip.yaml load.
    c["ok_helmignore_not_applied"] = tgz(basic_entries([
        ("c/.helmignore", b"ignored.txt\ntemplates/skip.yaml\n"),
        ("c/ignored.txt", b"still here\n"),
        ("c/templates/skip.yaml", b"skip: {{ .Values.x }}\n"),
    ]))
    long_dir = "c/" + "/".join(["d%02d-abcdefghij" % i for i in range(12)])
    c["ok_pax_long_names"] = tgz(basic_entries([
        (long_dir + "/file.txt", b"deep\n"),
        ("c/templates/" + "t" * 120 + ".yaml", b"long: {{ .Values.x }}\n"),
    ]), fmt=tarfile.PAX_FORMAT)
    c["ok_gnu_long_names"] = tgz(basic_entries([
        ("c/templates/" + "g" * 130 + ".yaml", b"gnu: {{ .Values.x }}\n"),
    ]), fmt=tarfile.GNU_FORMAT)
    c["ok_backslash_names"] = tgz([
        ("c\\Chart.yaml", CHART),
        ("c\\values.yaml", b"x: win\n"),
        ("c\\templates\\cm.yaml", TPL),
    ])
    c["ok_symlink_is_empty_file"] = tgz(basic_entries([("c/link.txt", ("sym", "values.yaml"))]))
    c["ok_nested_tgz"] = tgz(basic_entries([
        ("c/charts/sub-0.2.0.tgz", sub_chart_tgz("sub", [("sub/charts/deep-0.2.0.tgz", sub_chart_tgz("deep"))])),
        ("c/charts/dir/Chart.yaml", b"apiVersion: v2\nname: dir\nversion: 1.0.0\n"),
        ("c/charts/dir/templates/d.yaml", b"dir: {{ .Chart.Name }}\n"),
    ]))
    c["ok_trailing_garbage_after_gzip"] = ok + b"\0" * 64
    # The gzip CRC is only checked at the very end of the stream, which the
    # tar reader never reaches after the end-of-archive blocks.
    bad_crc = bytearray(ok)
    bad_crc[-8] ^= 0xFF
    c["ok_bad_gzip_crc"] = bytes(bad_crc)

    c["err_parent_dir"] = tgz(basic_entries([("c/../evil.txt", b"x")]))
    c["err_dotdot_prefix"] = tgz(basic_entries([("c/..evil", b"x")]))
    c["err_absolute"] = tgz(basic_entries([("c//etc/passwd", b"x")]))
    c["err_outside_base"] = tgz([("Chart.yaml", CHART)] + basic_entries())
    c["err_chart_yaml_not_base"] = tgz([("Chart.yaml/x", CHART)])
    c["err_drive_path"] = tgz(basic_entries([("c/C:/windows.txt", b"x")]))
    c["err_no_files"] = tgz([("c", None), ("c/templates", None)])
    c["err_missing_chart_yaml"] = tgz([("c/values.yaml", b"x: 1\n"), ("c/templates/cm.yaml", TPL)])
    c["err_bad_values"] = tgz([("c/Chart.yaml", CHART), ("c/values.yaml", b"x: [\n")])
    c["err_bad_chart_yaml"] = tgz([("c/Chart.yaml", b"name: [\n")])
    c["err_cli_unsupported_api"] = tgz([("c/Chart.yaml", b"apiVersion: v9\nname: c\nversion: 0.1.0\n"), ("c/templates/cm.yaml", TPL)])
    c["err_invalid_chart_yaml"] = tgz([("c/Chart.yaml", b"apiVersion: v2\nname: c\n")])
    tar_big_file = raw_header(b"c/Chart.yaml", len(CHART)) + CHART + b"\0" * (512 - len(CHART)) \
        + raw_header(b"c/big.bin", 6 * 1024 * 1024)
    c["err_file_too_large"] = gzip.compress(tar_big_file, mtime=0)
    c["err_chart_too_large"] = gzip.compress(raw_header(b"c/huge.bin", 200 * 1024 * 1024), mtime=0)
    c["err_truncated_data"] = gzip.compress(raw_header(b"c/Chart.yaml", 4000) + CHART, mtime=0)
    c["err_not_gzip_text"] = b"apiVersion: v2\nname: c\nversion: 0.1.0\n"
    c["err_not_gzip_plain_tar"] = gzip.decompress(ok)
    c["err_empty_input"] = b""
    c["err_short_input"] = b"\x1f\x8b"
    c["err_gzip_of_text"] = gzip.compress(b"hello world, not a tar archive\n" * 40, mtime=0)
    c["err_truncated_gzip"] = ok[: len(ok) // 2]
    corrupt = bytearray(ok)
    corrupt[30] ^= 0x55
    corrupt[31] ^= 0xAA
    c["err_corrupt_deflate"] = bytes(corrupt)
    tar_bytes = bytearray(gzip.decompress(ok))
    tar_bytes[148] = ord("7")  # tar header checksum of the first entry
    c["err_tar_checksum"] = gzip.compress(bytes(tar_bytes), mtime=0)
    c["err_nested_not_gzip"] = tgz(basic_entries([("c/charts/sub-0.1.0.tgz", b"not a gzip archive at all")]))
    c["err_nested_missing_chart_yaml"] = tgz(basic_entries([
        ("c/charts/sub-0.1.0.tgz", tgz([("sub/values.yaml", b"y: 1\n")])),
    ]))
    c["err_nested_tgz_dir"] = tgz(basic_entries([("c/charts/sub.tgz/Chart.yaml", CHART)]))
    return c


# Errors chartutil.Expand adds after LoadArchiveFiles succeeded.
EXPAND_OWN = ("cannot load Chart.yaml", "chart name ")


def cli_error(fname, exp):
    """pkg/chart/loader.LoadFile's wording around the v2 loader's answer."""
    v2 = exp.get("load_file_error")
    if v2 and v2.startswith("file '") and ("gzipped archive" in v2 or "YAML file" in v2):
        return v2  # EnsureArchive, identical in both
    xerr = exp["expand"].get("error")
    if xerr is not None and not xerr.startswith(EXPAND_OWN):
        if xerr == "gzip: invalid header":
            return f"file '{fname}' does not appear to be a valid chart file (details: {xerr})"
        return "unable to load chart archive"
    files = exp["expand"].get("files")
    no_chart_yaml = (files is not None and "Chart.yaml" not in files) or v2 == "Chart.yaml file is missing"
    if no_chart_yaml:
        return "unable to detect chart version, no Chart.yaml found"
    if files is not None:
        import yaml  # the oracle venv has PyYAML
        try:
            api = (yaml.safe_load(files["Chart.yaml"]) or {}).get("apiVersion")
        except Exception:
            api = None
        if isinstance(api, str) and api not in ("v1", "v2", "v3", ""):
            return "unsupported chart version"
    return v2  # apiVersion v1/v2: the v2 loader's own answer


def chart_json(ch):
    md = ch.metadata
    return {
        "name": md.get("name", ""),
        "version": md.get("version", ""),
        "templates": {t["name"]: t["data"] for t in ch.templates},
        "files": {f["name"]: f["data"] for f in ch.files},
        "values": ch.values,
        "dependencies": sorted(d.get("name", "") for d in ch.dependencies),
    }


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    expected = {}
    for name, data in sorted(cases().items()):
        path = os.path.join(OUT, name + ".tgz")
        with open(path, "wb") as f:
            f.write(data)
        exp = {}
        try:
            ch = helm.Chart.load_archive(data)
            try:
                exp["load"] = {"chart": chart_json(ch)}
            finally:
                ch.close()
        except helm.HelmInvalidArgError as exc:
            exp["load"] = {"invalid_arg": exc.detail}
        except helm.HelmError as exc:
            exp["load"] = {"error": exc.detail}
        xd = tempfile.mkdtemp(prefix="expand-")
        try:
            helm.expand(xd, path)
            files = {}
            for root, _dirs, fnames in os.walk(xd):
                for fn in fnames:
                    full = os.path.join(root, fn)
                    rel = os.path.relpath(full, xd).split(os.sep, 1)[1]
                    with open(full, "rb") as fh:
                        files[rel] = fh.read().decode("utf-8", "replace")
            exp["expand"] = {"files": files}
        except helm.HelmError as exc:
            exp["expand"] = {"error": exc.detail}
        finally:
            shutil.rmtree(xd)
        try:
            helm.Chart.load(path).close()
            ok = True
        except helm.HelmError as exc:
            # Relative name as `helm template <case>.tgz` would print it.
            exp["load_file_error"] = exc.detail.replace(path, name + ".tgz")
            ok = False
        if ok:
            cwd = os.getcwd()
            os.chdir(OUT)
            try:
                exp["helm_template"] = ho.oracle(name + ".tgz")["helm_template"]
            except ho.OracleError as exc:
                exp["helm_template_error"] = exc.cli_message
            finally:
                os.chdir(cwd)
        cli = cli_error(name + ".tgz", exp)
        if cli is not None:
            exp["cli_error"] = cli
        expected[name] = exp
        print(name, "->", json.dumps(exp)[:150])
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
