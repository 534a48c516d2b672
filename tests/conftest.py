"""Shared test set-up: the repo root on sys.path, and a private dlcore cache so tests never share one."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DLCORE_CACHE", str(ROOT / ".pytest_cache" / "dlcore"))
