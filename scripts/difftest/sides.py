"""The two renderers the differential tester compares.

HelmSide: real Helm v4.2.3 in-process (the shared oracle, `helm_python`). A
batch is one chart with one template per program, rendered by one
`helm_render` call; Helm stops at the first failing template, so a failed
render names the template, whose error is that program's outcome; it is
taken out and the rest rendered again (bisection when no name is found).

ChartroomSide: the engine's `difftest_render` example, one long-lived
process answering JSON lines (each program rendered alone).
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from oracle_env import ROOT  # noqa: E402  (puts the oracle on sys.path)

import helm_python as helm  # noqa: E402
from helm_python import _native  # noqa: E402



def _take_string(ptr):
    """_native.take_string, but a Go string that is not valid UTF-8 (a
    byte-sliced multi-byte character in an error text) keeps its bytes:
    each byte that is not UTF-8 becomes a surrogate escape (U+DC80-U+DCFF),
    which is how both sides hand over Go's raw bytes (see go_bytes)."""
    if not ptr:
        return None
    try:
        return _native.ctypes.string_at(ptr).decode("utf-8", errors="surrogateescape")
    finally:
        _native.lib.helm_free_string(_native.ctypes.c_void_p(ptr))


# Chartroom holds a byte that is not UTF-8 as a private code point
# U+10F780-U+10F7FF (engine/src/gostring.rs); here it becomes the surrogate
# escape Python gives the same byte.
RAW_CHARS = re.compile("[\U0010F780-\U0010F7FF]")


def go_bytes(text):
    """Chartroom's text with its raw bytes as surrogate escapes."""
    return RAW_CHARS.sub(lambda m: chr(ord(m.group()) - 0x10F700 + 0xDC00), text)


SURROGATES = re.compile("[\udc80-\udcff]")


def json_marshal(text):
    """What Go's json.Marshal makes of a string: each byte that is not
    UTF-8 becomes U+FFFD (the oracle returns rendered outputs that way)."""
    return SURROGATES.sub("\ufffd", text)


_native.take_string = _take_string

CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
TEMPLATE_RE = re.compile(r"c/templates/([A-Za-z0-9_.]+\.txt)")


class HelmSide:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="difftest-")
        self.renders = 0

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def parse_set(self, line):
        """strvals.ParseInto of one --set line: ("json", dict) or ("error", text)."""
        try:
            return ("json", helm.parse_set_string(line))
        except helm.HelmError as exc:
            return ("error", exc.detail)

    def _write(self, values, files, templates):
        c = os.path.join(self.dir, "c")
        shutil.rmtree(c, ignore_errors=True)
        os.makedirs(os.path.join(c, "templates"))
        with open(os.path.join(c, "Chart.yaml"), "w") as f:
            f.write(CHART_YAML)
        with open(os.path.join(c, "values.yaml"), "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(values)
        for path, text in files.items():
            p = os.path.join(c, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w") as f:
                f.write(text)
        for name, text in templates.items():
            with open(os.path.join(c, "templates", name), "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(text)
        return c

    def _render(self, c, user):
        self.renders += 1
        # Helm logs coalescing warnings ("skipped value for c.a: Not a
        # table.") on fd 2; they are not part of the outcome.
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            try:
                ch = helm.Chart.load(c)
            except helm.HelmError as exc:
                return None, exc.detail
            try:
                opts = {"name": "release-name", "namespace": "default"}
                out = json.loads(_native.call_string("helm_render", ch._raw(), user, json.dumps(opts)))
                return out, None
            except helm.HelmError as exc:
                return None, exc.detail
            finally:
                ch.close()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(devnull)

    def render(self, values, user, files, templates, alone=()):
        """{name: ("output", text) | ("error", text)} for every template.

        The chart is written once; each failed render names its template,
        whose file is removed before the next render. An error that names
        no template (values.yaml does not parse...) is every program's.
        Templates in `alone` (expected to fail) are rendered one at a time
        afterwards: a failure costs one render either way, and a one-file
        chart renders much faster than the whole batch."""
        batch = {k: v for k, v in templates.items() if k not in alone}
        c = self._write(values, files, batch)
        tdir = os.path.join(c, "templates")
        res = {}
        left = set(batch)
        while left:
            out, err = self._render(c, user)
            if err is None:
                for name in left:
                    res[name] = ("output", out.get(f"c/templates/{name}", ""))
                break
            m = TEMPLATE_RE.search(err)
            if not (m and m.group(1) in left) or len(left) == 1:
                for name in left:
                    res[name] = ("error", err)
                break
            name = m.group(1)
            res[name] = ("error", err)
            left.discard(name)
            os.remove(os.path.join(tdir, name))
        for name in left:
            os.remove(os.path.join(tdir, name))
        for name in templates:
            if name in batch:
                continue
            p = os.path.join(tdir, name)
            with open(p, "w", encoding="utf-8", errors="surrogateescape") as f:
                f.write(templates[name])
            out, err = self._render(c, user)
            res[name] = ("error", err) if err is not None else ("output", out.get(f"c/templates/{name}", ""))
            os.remove(p)
        self._exact_bytes(values, user, files, templates, res)
        return res

    def _exact_bytes(self, values, user, files, templates, res):
        """The oracle returns outputs through Go's json.Marshal, which
        writes each byte that is not UTF-8 as U+FFFD. For the outputs with a
        U+FFFD, render the programs again as partials (`_name`) that one
        template includes and writes in base64, and take those bytes when
        they give back the same output (the program did not depend on being
        the top template: .Template.Name, random values...)."""
        names = sorted(n for n, o in res.items()
                       if n in templates and o[0] == "output" and "\ufffd" in o[1])
        if not names:
            return
        parts = {f"_{n}": templates[n] for n in names}
        parts["zz_bytes.txt"] = "".join(
            f'{{{{ include "c/templates/_{n}" $ | b64enc }}}}\n' for n in names)
        c = self._write(values, files, parts)
        out, err = self._render(c, user)
        shutil.rmtree(c, ignore_errors=True)
        if err is not None:
            return
        lines = out.get("c/templates/zz_bytes.txt", "").split("\n")
        for n, b in zip(names, lines):
            exact = base64.b64decode(b).decode("utf-8", errors="surrogateescape")
            if json_marshal(exact) == res[n][1]:
                res[n] = ("output", exact)


def same(h, c):
    """Whether Helm's outcome h and Chartroom's c agree. Where Helm's output
    still has U+FFFD (its exact bytes could not be recovered, see
    HelmSide._exact_bytes), Chartroom's output is compared as json.Marshal
    would have written it."""
    if h == c:
        return True
    return h[0] == c[0] == "output" and "\ufffd" in h[1] and json_marshal(c[1]) == h[1]


class ChartroomSide:
    def __init__(self, binary):
        self.binary = binary
        self.proc = None

    def _start(self):
        self.proc = subprocess.Popen([self.binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
                                     errors="surrogateescape", bufsize=1)

    def close(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait()

    def call(self, req):
        if self.proc is None or self.proc.poll() is not None:
            self._start()
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc = None
            return None  # crashed (stack overflow, abort): reported as such
        return json.loads(line)

    def render(self, values, user, files, templates, sets=(), together=False):
        """Each template rendered alone, or (together) all as one chart."""
        ans = self.call({"values": values, "user": user, "files": files, "templates": templates, "sets": list(sets),
                         "together": together})
        if ans is None:
            # One of them killed the process: render one by one to find it.
            if len(templates) > 1 or sets:
                res = {}
                for name, text in templates.items():
                    res.update(self.render(values, user, files, {name: text})[0])
                return res, [("error", "CRASH")] * len(sets)
            return {name: ("error", "CRASH (process died)") for name in templates}, []
        res = {}
        for name, o in ans["templates"].items():
            # The oracle hands Helm's error texts over as C strings, cut at
            # the first NUL byte (outputs come as JSON, whole): cut
            # Chartroom's error text the same way so that the two compare.
            res[name] = ("output", go_bytes(o["output"])) if "output" in o else (
                "error", go_bytes(o["error"]).split("\x00")[0])
        sets_out = [("json", json.loads(s["json"])) if "json" in s else ("error", s["error"]) for s in ans["sets"]]
        return res, sets_out


def default_binary():
    tgt = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    # The native profile (opt-level 3, unwinding panics): what scripts/difftest.sh builds.
    return os.path.join(tgt, "native", "examples", "difftest_render")
