"""dlcore as a library: no streamlit anywhere in it, and the README's scripting example runs as written."""

import re
import subprocess
import sys

from tests.conftest import ROOT

IMPORT_ALL = """
import importlib, pkgutil, sys
import dlcore
for m in pkgutil.walk_packages(dlcore.__path__, "dlcore."):
    if not m.name.endswith("__main__"):
        importlib.import_module(m.name)
from dlcore import experiments
experiments.all_experiments()
bad = sorted(k for k in sys.modules if k == "streamlit" or k.startswith("streamlit."))
print("STREAMLIT_MODULES", bad)
"""


def test_dlcore_never_imports_streamlit():
    out = subprocess.run([sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "STREAMLIT_MODULES []" in out.stdout


def test_import_dlcore_is_light():
    out = subprocess.run([sys.executable, "-c", "import sys, dlcore; print('torch' in sys.modules)"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "False"


def test_readme_scripting_example_runs_as_written():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    example = next(b for b in blocks if "from dlcore import" in b)
    out = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "step" in out.stdout
