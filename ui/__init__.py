"""Streamlit-only helpers: texts in two languages, navigation, the live-training panel, shared widgets.

Importing `ui` also guards against one Streamlit quirk: because the repo has a `pages/` folder, a
fresh server that is first opened on a lesson's URL (say /convolution) runs that page file on its
own, without the frame (no language switch, no navigation). Every page imports `ui`, so on that
first run we switch Streamlit to the frame's navigation and rerun; the frame then opens the page
the visitor asked for.
"""

from streamlit.runtime.pages_manager import PagesManager


def _run_through_the_frame() -> None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if PagesManager.uses_pages_directory and get_script_run_ctx() is not None:
        import streamlit as st

        PagesManager.uses_pages_directory = False  # what the frame's st.navigation sets anyway
        st.rerun()


_run_through_the_frame()
