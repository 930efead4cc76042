"""Where the fixture generators find real Helm: the shared oracle beside the
clone (../shared/oracle), or two levels up in a helper worktree
(/work/wt/<name>); CHARTROOM_SHARED overrides the first. Importing this puts it on sys.path, so `helm_python` and
`helm_oracle` import; run the generators with the oracle's venv python."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ORACLE = os.path.join(os.environ.get("CHARTROOM_SHARED") or os.path.join(os.path.dirname(ROOT), "shared"), "oracle")
if not os.path.isdir(ORACLE):
    ORACLE = os.path.abspath(os.path.join(ROOT, "..", "..", "shared", "oracle"))
if ORACLE not in sys.path:
    sys.path.insert(0, ORACLE)
