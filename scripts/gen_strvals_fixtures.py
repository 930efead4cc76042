#!/usr/bin/env python3
"""Regenerates engine/tests/strvals/oracle.json and e2e.json from real Helm v4.2.3.

  ~/.cache/helm-oracle-venv/bin/python scripts/gen_strvals_fixtures.py

oracle.json: strvals.Parse / ParseString / ParseJSON / ParseLiteral / ParseFile
(libhelm_c's helm_strvals_* entry points) on each expression: Helm's map as
JSON, or Helm's exact error text. ParseFile reads real files: they are written
to a temporary directory (relative paths, contents in the fixture) first.
e2e.json: `helm template` (the oracle, --set/--set-string) on the small chart in
engine/tests/strvals/chart: stdout, or the error text.
"""
import json, os, subprocess, sys, tempfile

import helm_python as h

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "engine", "tests", "strvals")
ORACLE = "/work/shared/oracle/helm-oracle"

FILES = {"f1.txt": "hello\n", "dir/f2.txt": "a,b=c\n", "num.txt": "42", "empty.txt": ""}

CASES = [
    # --set: typing
    ("set", "a=1,b=1000000,c=1e3,d=+5,e=TRUE,f=False,g=NULL,h=-7,i=0,j=00,k=-0,l=0x10"),
    ("set", "big=9223372036854775807,over=9223372036854775808,neg=-9223372036854775808"),
    ("set", "a=falſe,b=tRuE,c= 1,d=1 ,e=1_000"),
    ("set", "a=,b"),
    ("set", "a"),
    ("set", ""),
    ("set", ","),
    ("set", "a=1,,b=2"),
    ("set", "=1"),
    ("set", ".a=1"),
    ("set", "a.=1"),
    ("set", "a."),
    ("set", "a.b"),
    ("set", "a..b=1"),
    # escapes
    ("set", r"a\.b=1,c\[0\]=2,d=x\,y,e=\{1\,2\},f=back\\slash"),
    ("set", "a=x\\"),
    ("set", "a\\"),
    ("set", r"a=\u00e9,b=日本,c=x\ y"),
    # lists
    ("set", "a={},b={x},c={1,2,true,null},d={a,{b},c}"),
    ("set", "a={1,2"),
    ("set", "a={1,2},b=3"),
    ("set", "a={1,2}x"),
    ("set", "a[0]=1,a[2]=3,a[1]=2"),
    ("set", "a[0"),
    ("set", "a[0]"),
    ("set", "a[0]x"),
    ("set", "a[0]x=1"),
    ("set", "a[0]x'y\"é=1"),
    ("set", "a[]=1"),
    ("set", "a[x]=1"),
    ("set", "a[-1]=1"),
    ("set", "a[+1]=1"),
    ("set", "a[ 1]=1"),
    ("set", "a[65536]=z"),
    ("set", "a[65537]=1"),
    ("set", "a[99999999999999999999]=1"),
    ("set", "a[1][2]=x"),
    ("set", "a[0][0"),
    ("set", "a[0][x]=1"),
    ("set", "a[0].b"),
    ("set", "a[0].b[1].c=d"),
    ("set", "a[0]={x,y}"),
    ("set", "a[0]=,b=1"),
    ("set", "a[0]="),
    ("set", "a[0]=1,a[0].b=2"),
    ("set", "a[0]=1,a[0][0]=2"),
    ("set", "a[0]={x},a[0][1]=2"),
    ("set", "a[0].b=1,a[0][0]=2"),
    ("set", "a=x,a[0]=1"),
    ("set", "a=x,a.b=1"),
    ("set", "a=null,a[0]=1"),
    ("set", "a=null,a.b=1"),
    ("set", "a={1},a.b=1"),
    ("set", "a.b=1,a[0]=2"),
    ("set", "a.b=1,a=2"),
    ("set", "]={}]."),
    ("set", "[0]=1"),
    ("set", "name1.name2.name3.name4.name5.name6.name7.name8.name9.name10.name11.name12.name13.name14.name15.name16.name17.name18.name19.name20.name21.name22.name23.name24.name25.name26.name27.name28.name29.name30.name31=v"),
    ("set", "name1.name2.name3.name4.name5.name6.name7.name8.name9.name10.name11.name12.name13.name14.name15.name16.name17.name18.name19.name20.name21.name22.name23.name24.name25.name26.name27.name28.name29.name30.name31.name32=v"),
    # --set-string
    ("str", "a=1,b=true,c=null,d={1,2},e[0]=0"),
    ("str", "a"),
    ("str", "a=1,,b"),
    # --set-json
    ("json", 'a=1,b="x",c=true,d=null,e=[1,"2",{"f":3.5}],g={"h":[]}'),
    ("json", "a=1e2,b=-0,c=0.5,d=1E+2,e=12345678901234567890"),
    ("json", "a="),
    ("json", "a=,b=  ,c=1"),
    ("json", "a=3x"),
    ("json", 'a="x"b=1'),
    ("json", "a=01"),
    ("json", "a=tru"),
    ("json", "a=trux"),
    ("json", "a={"),
    ("json", 'a={"b":'),
    ("json", "a={b}"),
    ("json", "a=[1,2"),
    ("json", "a=1e400"),
    ("json", "a=-"),
    ("json", "a=1."),
    ("json", "a=x"),
    ("json", 'a=[1,2],a[1]={"b":2}'),
    ("json", "a[2]=true,a[0]=\"s\""),
    ("json", "a[0]="),
    ("json", 'a.b={"c":1},a.b.d=2'),
    ("json", '{"a":1}'),
    ("json", 'a = 1'),
    ("json", 'a=\t[ 1 , 2 ]  ,b=2'),
    ("json", 'a="\\u00e9\\n"'),
    ("json", 'a=1,a.b=1'),
    ("json", "a=[1,x"),
    ("json", 'a={"b":tru'),
    ("json", 'a="abc'),
    ("json", 'a=[1]]'),
    # --set-literal
    ("lit", "a=1,b=2"),
    ("lit", "a.b[1]=x=y,z"),
    ("lit", r"a\.b=c"),
    ("lit", "a"),
    ("lit", "a[0"),
    ("lit", "a[x]=1"),
    ("lit", "a="),
    ("lit", "=x"),
    ("lit", "a,b=c"),
    ("lit", "a[0]=1,a[0].b=2"),
    # --set-file
    ("file", "a=f1.txt,b=dir/f2.txt,c=num.txt,d=empty.txt"),
    ("file", "a={f1.txt,num.txt}"),
    ("file", "a=nope.txt"),
    ("file", "a={f1.txt,nope.txt}"),
    ("file", "a[1]=f1.txt"),
    ("file", "a"),
    ("file", "a=f1.txt,b"),
]

FNS = {"set": h.parse_set_string, "str": h.parse_set_string_values, "json": h.parse_set_json,
       "lit": h.parse_set_literal, "file": h.parse_set_file}

# helm template on engine/tests/strvals/chart: (name, --set args, --set-string args)
E2E = [
    ("typed", ["replicas=3,name=web,debug=true,tags={a,b}"], []),
    ("nested", ["image.repository=nginx,image.tag=1.25,ports[0].port=80,ports[1].port=443"], []),
    ("strings", [], ["replicas=3,debug=true"]),
    ("set-then-string", ["a=1,b=2"], ["b=2"]),
    ("null-deletes-default", ["keep=null"], []),
    ("override-default-map", ["defaults.y=new,defaults.z=3"], []),
    ("escapes", [r"ann.example\.com/x=1,msg=a\,b"], []),
    ("leading-zero", ["zip=01234,neg=-5"], []),
    ("bad-set", ["a[0].b"], []),
    ("bad-set-comma", ["a,b=1"], []),
    ("bad-index", ["a[x]=1"], []),
    ("bad-string", [], ["x.y"]),
]


def main() -> None:
    out = []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        for name, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(d, name)) or d, exist_ok=True)
            with open(os.path.join(d, name), "w") as f:
                f.write(text)
        os.chdir(d)
        try:
            for kind, expr in CASES:
                case = {"kind": kind, "input": expr}
                try:
                    case["expect"] = FNS[kind](expr)
                except h.HelmError as e:
                    case["error"] = e.detail
                out.append(case)
        finally:
            os.chdir(cwd)
    doc = {"source": "real Helm v4.2.3 (libhelm_c helm_strvals_*), scripts/gen_strvals_fixtures.py",
           "files": FILES, "cases": out}
    with open(os.path.join(OUT, "oracle.json"), "w") as f:
        f.write(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")

    e2e = []
    chart = os.path.join(OUT, "chart")
    for name, sets, strs in E2E:
        args = [ORACLE, chart, "--format", "helm-template"]
        for s in sets:
            args += ["--set", s]
        for s in strs:
            args += ["--set-string", s]
        p = subprocess.run(args, capture_output=True, text=True)
        case = {"name": name, "set": sets, "set_string": strs}
        if p.returncode == 0:
            case["stdout"] = p.stdout
        else:
            case["error"] = p.stderr.removeprefix("Error: ").rstrip("\n")
        e2e.append(case)
    with open(os.path.join(OUT, "e2e.json"), "w") as f:
        f.write(json.dumps({"source": "real Helm v4.2.3 via /work/shared/oracle/helm-oracle", "cases": e2e},
                           indent=1, ensure_ascii=False) + "\n")
    print(f"{len(out)} strvals cases, {len(e2e)} end-to-end cases", file=sys.stderr)


if __name__ == "__main__":
    main()
