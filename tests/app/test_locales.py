"""Both languages have the same keys, no empty text, and every key the code asks for exists."""

import re
import tomllib

from tests.conftest import ROOT
from ui import i18n, nav

LOCALES = ROOT / "locales"


def load(lang: str, name: str) -> dict:
    with (LOCALES / lang / name).open("rb") as f:
        return i18n._flatten(tomllib.load(f), "")


def test_same_files_in_both_languages():
    assert sorted(p.name for p in (LOCALES / "en").glob("*.toml")) == sorted(p.name for p in (LOCALES / "zh").glob("*.toml"))


def test_same_keys_and_no_empty_value():
    for path in sorted((LOCALES / "en").glob("*.toml")):
        en, zh = load("en", path.name), load("zh", path.name)
        assert set(en) == set(zh), f"{path.name}: only in en {set(en) - set(zh)}, only in zh {set(zh) - set(en)}"
        empty = [k for k, v in {**en, **zh}.items() if not str(v).strip()]
        assert not empty, f"{path.name}: empty texts {empty}"


def test_every_literal_key_used_in_code_exists():
    known = i18n.texts("en")
    used = set()
    for path in [ROOT / "streamlit_app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+\.[a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    for lesson in nav.LESSONS:
        used |= {lesson.title, lesson.part}
    missing = sorted(k for k in used if k not in known and not k.endswith(("_", ".")))  # skip f-string prefixes
    assert not missing, f"keys used in code but missing from locales/en: {missing}"
