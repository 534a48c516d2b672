"""Two languages through one function: `t(key, **fmt)` with keys like "home.title".

Texts live in locales/<lang>/<ns>.toml (flat keys; nested tables become dotted keys). The language
comes from `?lang=` when present, else the visitor's earlier choice, else the browser locale
(zh-* → 中文, anything else → English). Lookups are per call and per session, never global state,
because one server process serves every visitor.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path

import streamlit as st

LOCALES = Path(__file__).resolve().parent.parent / "locales"
LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}
_SESSION_KEY = "i18n.lang"


def _flatten(table: dict, prefix: str) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@functools.cache
def texts(lang: str) -> dict[str, str]:
    """All texts of one language, keyed "ns.key" (read once per process; they never change at run time)."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        with path.open("rb") as f:
            merged.update(_flatten(tomllib.load(f), f"{path.stem}."))
    return merged


def browser_lang() -> str:
    """中文 for a zh-* browser, English otherwise."""
    locale = st.context.locale or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def lang() -> str:
    """The current visitor's language: ?lang=, else their earlier choice, else the browser's."""
    asked = st.query_params.get("lang")
    if asked in LANGS:
        return asked
    return st.session_state.get(_SESSION_KEY) or browser_lang()


def t(key: str, /, **fmt: object) -> str:
    """The text for `key` in the current language (English, then the key itself, as fallbacks)."""
    text = texts(lang()).get(key) or texts("en").get(key) or key
    return text.format(**fmt) if fmt else text


def option_labels(prefix: str, keys: Iterable[str]) -> dict[str, str]:
    """{key: t(prefix + key)} for a widget's format_func, looked up now.

    A format_func may be called after the script run (AppTest does), where t() can no longer see the
    visitor's language; a dict made during the run always answers in the right one.
    """
    return {key: t(f"{prefix}{key}") for key in keys}


def language_switch() -> str:
    """The sidebar switch, kept in step with ?lang= so links carry the language; returns the language."""
    current = lang()
    st.session_state[_SESSION_KEY] = current
    if st.query_params.get("lang") != current:
        st.query_params["lang"] = current  # page switches drop query params: put it back

    def on_change() -> None:
        chosen = st.session_state["i18n.switch"]
        st.session_state[_SESSION_KEY] = chosen
        st.query_params["lang"] = chosen

    st.session_state["i18n.switch"] = current  # follow ?lang= when a link changes it
    st.sidebar.segmented_control(":material/translate: 语言 / Language", LANGS, format_func=LANG_NAMES.get, key="i18n.switch",
                                 required=True, on_change=on_change)
    return lang()
