#!/usr/bin/env python3
"""Differential tester: random templates, values and --set lines rendered by
Chartroom and by real Helm v4.2.3; every difference minimised and written
to the artifacts folder.

  python scripts/difftest/run.py [--seed N] [--count N] [--batch N]
      [--artifacts DIR] [--binary PATH] [--minimise-budget SECONDS]

Prints `N programs: N same, N differ`, then `difftest: N passed, N failed`
(failed = programs whose difference is not in known.txt); exit status 1 when
any such difference (or a --set line parsed differently) is found.
Run with the oracle's venv python (~/.cache/helm-oracle-venv/bin/python).
"""
import argparse
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen  # noqa: E402
import sides  # noqa: E402
from minimise import Minimiser, outcome_kind  # noqa: E402
from oracle_env import ROOT  # noqa: E402

import helm_oracle  # noqa: E402


def load_known(path):
    """known.txt: `FIELD<TAB>REGEX<TAB>REASON`; FIELD is template, helm or
    chartroom (what the regex is searched in: the minimised template text,
    or the side's output/error)."""
    known = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p for p in line.split("\t") if p]
            conds = list(zip(parts[:-1:2], parts[1:-1:2]))
            if len(parts) % 2 != 1 or len(parts) < 3 or any(
                    f not in ("template", "helm", "chartroom", "values") for f, _ in conds):
                sys.exit(f"{path}: bad line (want FIELD<TAB>REGEX[<TAB>FIELD<TAB>REGEX...]<TAB>REASON): {line!r}")
            known.append(([(f, re.compile(r, re.S)) for f, r in conds], parts[-1]))
    return known


def classify(known, template, values, h, c):
    """The reason of the first known.txt line whose regexes all match."""
    fields = {"template": template, "values": values, "helm": h[1], "chartroom": c[1]}
    for conds, reason in known:
        if all(rx.search(fields[f]) for f, rx in conds):
            return reason
    return None


def user_json(helm_side, sets):
    """The user values Helm's --set lines give (lines Helm rejects are
    dropped), as JSON for both sides (numbers cross as float64 either way)."""
    user = {}
    for s in sets:
        kind, v = helm_side.parse_set(s)
        if kind == "json":
            user = helm_oracle.merge_maps(user, v)
    return json.dumps(user) if user else None


CURRENT = {"where": "start", "since": time.time()}


def memory_guard(limit_gb):
    """Helm has no resource limits: a generated program that allocates
    without bound would take the machine down, one that loops for ever
    would hang the run. Stop the whole run instead, naming the batch (the
    generator is meant never to produce either)."""
    import threading

    def watch():
        page = os.sysconf("SC_PAGE_SIZE")
        while True:
            time.sleep(1)
            with open("/proc/self/statm") as f:
                rss = int(f.read().split()[1]) * page
            stuck = time.time() - CURRENT["since"] > 600
            if rss > limit_gb * 2 ** 30 or stuck:
                what = "10 minutes" if stuck else f"memory over {limit_gb} GB"
                print(f"difftest: {what} while rendering {CURRENT['where']}; stopped", file=sys.stderr, flush=True)
                print("difftest: 0 passed, 1 failed", flush=True)
                os._exit(3)
    threading.Thread(target=watch, daemon=True).start()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--artifacts", default=os.path.join(ROOT, "tests", "artifacts", "difftest"))
    ap.add_argument("--binary", default=sides.default_binary())
    ap.add_argument("--known", default=os.path.join(HERE, "known.txt"))
    ap.add_argument("--minimise-budget", type=float, default=300.0,
                    help="seconds spent minimising in total (the rest are reported as found)")
    ap.add_argument("--max-tests", type=int, default=300, help="renders per minimisation")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--memory-limit-gb", type=float, default=6.0)
    a = ap.parse_args()
    memory_guard(a.memory_limit_gb)
    if not os.path.exists(a.binary):
        sys.exit(f"difftest: {a.binary} is missing; build it with "
                 "`cargo build --release -p chartroom-engine --example difftest_render`")
    known = load_known(a.known)
    os.makedirs(a.artifacts, exist_ok=True)
    for f in os.listdir(a.artifacts):
        if f.endswith(".json") or f.endswith(".md"):
            os.remove(os.path.join(a.artifacts, f))

    H = sides.HelmSide()
    C = sides.ChartroomSide(a.binary)
    t0 = time.time()
    same = differ = limited = 0
    set_same = set_differ = 0
    diffs = []        # (values VNode, sets, name, tree, helm, chartroom)
    set_diffs = []
    nb = (a.count + a.batch - 1) // a.batch
    for b in range(nb):
        size = min(a.batch, a.count - b * a.batch)
        CURRENT["where"], CURRENT["since"] = f"seed {a.seed} batch {b}", time.time()
        values, sets, progs = gen.gen_batch(a.seed, b, size)
        vtext = "".join(values.emit())
        templates = {name: tree.text() for name, tree in progs}
        user = user_json(H, sets)
        all_sets = sets + gen.gen_set_lines(a.seed, b, 20)
        cres, csets = C.render(vtext, user, gen.FILES, templates, all_sets)
        # A program Chartroom stopped at one of its limits (steps, memory
        # budget, output size, deadline: "render stopped: ...") is not
        # compared: Helm has no such limits and would run it for minutes or
        # until the process runs out of memory (seed 7010: `range` over
        # 123,456,789 with a dict per iteration). Counted and printed.
        stopped = {n for n, o in cres.items() if o[0] == "error" and "render stopped:" in o[1]}
        limited += len(stopped)
        templates = {n: t for n, t in templates.items() if n not in stopped}
        progs = [(n, t) for n, t in progs if n not in stopped]
        alone = {n for n, o in cres.items() if o[0] == "error" and n not in stopped}
        hres = H.render(vtext, user, gen.FILES, templates, alone)
        for s, cs in zip(all_sets, csets):
            hs = H.parse_set(s)
            if hs == cs:
                set_same += 1
            else:
                set_differ += 1
                set_diffs.append((s, hs, cs))
        # Helm renders the batch as one chart, where a program's set/merge on
        # .Values is seen by the programs rendered after it; a difference
        # is checked again against Chartroom rendering the same chart.
        ok = {n: t for n, t in templates.items() if n not in alone and hres[n][0] == "output"}
        if any(not sides.same(hres[n], cres[n]) for n in ok):
            together, _ = C.render(vtext, user, gen.FILES, ok, together=True)
            for n in ok:
                if not sides.same(hres[n], cres[n]) and sides.same(hres[n], together[n]):
                    cres[n] = together[n]
        for name, tree in progs:
            h, c = hres[name], cres[name]
            if sides.same(h, c):
                same += 1
            else:
                differ += 1
                diffs.append((values, sets, name, tree, h, c))
        if not a.quiet and (b + 1) % 10 == 0:
            print(f"  {min((b + 1) * a.batch, a.count)} programs, {differ} differ, "
                  f"{time.time() - t0:.0f} s", flush=True)
    t_run = time.time() - t0

    # Minimise each difference (within the time budget), then group equal reproducers.
    def check(text, vnode, sl):
        vt = "".join(vnode.emit())
        u = user_json(H, sl)
        c, _ = C.render(vt, u, gen.FILES, {"p.txt": text})
        h = H.render(vt, u, gen.FILES, {"p.txt": text})
        return h["p.txt"], c["p.txt"]

    repro = {}   # key -> record
    t1 = time.time()
    unknown = 0
    for values, sets, name, tree, h, c in diffs:
        CURRENT["where"], CURRENT["since"] = f"the minimisation of seed {a.seed} {name}", time.time()
        # Rename the program's template to p.txt, as it is checked alone.
        text = tree.text()
        rec = None
        if time.time() - t1 < a.minimise_budget:
            m = Minimiser(check, a.max_tests)
            h1, c1 = check(text, values, sets)
            if not sides.same(h1, c1):
                t2, v2, s2 = m.run(tree, values, sets, outcome_kind(h1, c1))
                h2, c2 = check(t2.text(), v2, s2)
                rec = {"template": t2.text(), "values": "".join(v2.emit()), "sets": s2, "helm": h2, "chartroom": c2}
            else:
                rec = {"template": text, "values": "".join(values.emit()), "sets": sets, "helm": h, "chartroom": c,
                       "note": f"differs only inside its batch ({name}); alone both give {h1}"}
        if rec is None:
            rec = {"template": text, "values": "".join(values.emit()), "sets": sets, "helm": h, "chartroom": c,
                   "note": "not minimised (time budget)"}
        reason = classify(known, rec["template"], rec["values"], rec["helm"], rec["chartroom"])
        rec["known"] = reason
        if reason is None:
            unknown += 1
        key = json.dumps([rec["template"], rec["values"], rec["sets"]])
        if key in repro:
            repro[key]["count"] += 1
        else:
            rec["count"] = 1
            rec["first"] = f"seed {a.seed} {name}"
            repro[key] = rec
    for s, hs, cs in set_diffs:
        key = json.dumps(["set", s])
        reason = classify(known, "--set " + s, "", tuple(map(str, hs)), tuple(map(str, cs)))
        if reason is None:
            unknown += 1
        if key not in repro:
            repro[key] = {"set": s, "helm": hs, "chartroom": cs, "known": reason, "count": 0}
        repro[key]["count"] += 1

    recs = sorted(repro.values(), key=lambda r: (r["known"] is not None, len(r.get("template", "")), -r["count"]))
    with open(os.path.join(a.artifacts, "report.md"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(f"# difftest seed {a.seed}, {a.count} programs: {same} same, {differ} differ\n\n")
        for i, r in enumerate(recs):
            path = os.path.join(a.artifacts, f"{i:03d}.json")
            with open(path, "w", encoding="utf-8", errors="surrogateescape") as g:
                json.dump(r, g, indent=1, ensure_ascii=False)
            f.write(f"## {i:03d} ({r['count']}x) {'KNOWN: ' + r['known'] if r['known'] else 'NEW'}\n\n")
            if "set" in r:
                f.write(f"--set {r['set']!r}\nhelm:      {r['helm']!r}\nchartroom: {r['chartroom']!r}\n\n")
                continue
            f.write(f"template: {r['template']!r}\nvalues: {r['values']!r}\nsets: {r['sets']!r}\n"
                    f"helm:      {r['helm']!r}\nchartroom: {r['chartroom']!r}\n")
            if r.get("note"):
                f.write(f"note: {r['note']}\n")
            f.write("\n")
    H.close()
    C.close()
    print(f"{a.count} programs: {same} same, {differ} differ ({time.time() - t0:.0f} s, "
          f"{t_run:.0f} s rendering, {H.renders} Helm renders)")
    print(f"{limited} programs stopped by Chartroom's limits (render stopped: ...), not compared")
    print(f"{set_same + set_differ} --set lines: {set_same} same, {set_differ} differ")
    by_reason = {}
    for r in recs:
        if r["known"]:
            by_reason[r["known"]] = by_reason.get(r["known"], 0) + r["count"]
    for reason, n in sorted(by_reason.items(), key=lambda x: -x[1]):
        print(f"  known ({n}x): {reason}")
    nk = sum(r["count"] for r in recs if r["known"])
    print(f"{len(recs)} distinct reproducers in {os.path.relpath(a.artifacts, ROOT)}/ "
          f"({nk} differences match known divergences)")
    for r in recs:
        if r["known"] is None:
            if "set" in r:
                print(f"NEW --set {r['set']!r}: helm {r['helm']!r} / chartroom {r['chartroom']!r}")
            else:
                print(f"NEW {r['template']!r} values={r['values']!r} sets={r['sets']!r}\n"
                      f"    helm      {r['helm']!r}\n    chartroom {r['chartroom']!r}")
    failed = unknown
    print(f"difftest: {a.count - limited + set_same + set_differ - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
