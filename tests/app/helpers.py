"""AppTest helpers: open the real frame, in a language, with training that fits in a test."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

FRAME = str(ROOT / "streamlit_app.py")


def open_app(lang: str = "en", page: str | None = None, **state) -> AppTest:
    """The app through its frame, switched to `page`, with session state seeded; already run once."""
    at = AppTest.from_file(FRAME, default_timeout=120)
    at.query_params["lang"] = lang
    at.session_state["live.train_in_full_runs"] = True  # AppTest has no fragment timer: train in full runs
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def texts(at: AppTest) -> str:
    """Every markdown, title, header and caption on the page, joined: for 'does it say X' checks."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "error",
                                  "warning", "success") for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)
