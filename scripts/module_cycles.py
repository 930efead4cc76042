#!/usr/bin/env python3
"""Checks that the page's modules (app/src) import each other without cycles.

Every `crate::a::b` path in a module's code (a `use`, or a path written in
place) is an edge to the deepest module that path names (`crate::a` for
`a.rs`, `crate::a::b` for `a/b.rs`); `super::` inside `a/b.rs` is an edge to
`a`. A module's `#[cfg(test)] mod tests { … }` is left out: test code may
reach any module without being part of the page's layering. Comments and
string literals are left out too.

Prints the layering (each module with the modules it uses) with --verbose,
and every cycle found (as a strongly connected component and one cycle
through it); exits 1 when there is one.

Usage: python3 scripts/module_cycles.py [--verbose] [SRC_DIR]   (default app/src)
"""

import os
import re
import sys

# Edges a helper is still taking apart, each with its reason. Empty when the
# graph is a DAG; an entry here is a known failure, not a silent pass.
ALLOWED = {}


def module_name(src, path):
    rel = os.path.relpath(path, src)[:-3].replace(os.sep, "::")
    if rel.endswith("::mod"):
        rel = rel[: -len("::mod")]
    return rel


def strip_code(text):
    """The code without comments, string/char literals and test modules."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text[i] == '"' or text.startswith('r"', i) or text.startswith("r#", i):
            m = re.match(r'r(#*)"', text[i:])
            if m:
                end = '"' + m.group(1)
                j = text.find(end, i + len(m.group(0)))
                i = n if j < 0 else j + len(end)
            else:
                j = i + 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
            out.append('""')
        elif text[i] == "'" and re.match(r"'(\\.|[^\\'])'", text[i:]):
            i += len(re.match(r"'(\\.[^']*|[^\\'])'", text[i:]).group(0))
        else:
            out.append(text[i])
            i += 1
    code = "".join(out)
    # Drop `#[cfg(test)] mod NAME { … }` blocks by brace matching.
    while True:
        m = re.search(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", code)
        if not m:
            return code
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"{": 1, "}": -1}.get(code[j], 0)
            j += 1
        code = code[: m.start()] + code[j:]


def paths_in(code):
    """Every `crate::…` path, with `use crate::{a, b::c}` groups expanded."""
    found = []
    for m in re.finditer(r"\bcrate::((?:\w+::)*)(\{|\w+)", code):
        prefix = m.group(1)
        if m.group(2) == "{":
            depth, j = 1, m.end()
            while depth and j < len(code):
                depth += {"{": 1, "}": -1}.get(code[j], 0)
                j += 1
            inner = code[m.end() : j - 1]
            # Top-level items of the group only (nested groups keep their head).
            parts, depth, cur = [], 0, ""
            for c in inner:
                if c == "," and depth == 0:
                    parts.append(cur)
                    cur = ""
                    continue
                depth += {"{": 1, "}": -1}.get(c, 0)
                cur += c
            parts.append(cur)
            for p in parts:
                head = re.match(r"\s*(\w+(?:::\w+)*)", p)
                if head and head.group(1) != "self":
                    found.append((prefix + head.group(1)).split("::"))
                elif head:
                    found.append(prefix.rstrip(":").split("::"))
        else:
            found.append((prefix + m.group(2)).split("::"))
    return found


def build_graph(src):
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(root, name)
                files[module_name(src, path)] = path
    # Binaries (src/bin, main.rs) and the crate root are not modules of the page.
    mods = {m: p for m, p in files.items() if not m.startswith("bin::") and m not in ("lib", "main")}
    graph = {m: set() for m in mods}
    for mod, path in mods.items():
        with open(path, encoding="utf-8") as f:
            code = strip_code(f.read())
        targets = paths_in(code)
        parent = mod.rsplit("::", 1)[0] if "::" in mod else None
        if parent and re.search(r"\bsuper::", code):
            targets.append(parent.split("::"))
        for parts in targets:
            # The deepest module the path names.
            for k in range(len(parts), 0, -1):
                cand = "::".join(parts[:k])
                if cand in mods:
                    if cand != mod and not mod.startswith(cand + "::"):
                        graph[mod].add(cand)
                    break
    return graph


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def one_cycle(graph, comp):
    """A shortest cycle through the component's first module (breadth-first)."""
    start = comp[0]
    prev = {start: None}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v]):
            if w == start:
                path = [v]
                while prev[path[-1]] is not None:
                    path.append(prev[path[-1]])
                return list(reversed(path)) + [start]
            if w in comp and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    src = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "app", "src")
    if not os.path.isdir(src):
        print(f"module_cycles: no such directory {src}", file=sys.stderr)
        return 2
    graph = build_graph(src)
    allowed = []
    for (a, b), why in ALLOWED.items():
        if b in graph.get(a, set()):
            graph[a].discard(b)
            allowed.append(f"{a} -> {b} ({why})")
    if verbose:
        for m in sorted(graph):
            print(f"{m}: {' '.join(sorted(graph[m]))}")
    found = cycles(graph)
    edges = sum(len(v) for v in graph.values())
    for a in allowed:
        print(f"module_cycles: allowed edge {a}")
    for comp in found:
        print(f"module_cycles: cycle among {', '.join(comp)}: {' -> '.join(one_cycle(graph, comp))}")
    print(f"module_cycles: {len(graph)} modules, {edges} imports, {len(found)} cycles")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
