"""Every page that exists opens through the frame, in both languages, without an exception."""

import pytest

from tests.app.helpers import open_app
from ui import nav

LESSONS = nav.available()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.url_path or "home" for lesson in LESSONS])
def test_page_opens_without_exception(lesson, lang):
    at = open_app(lang, lesson.file)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page starts with a title"
    assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang


def _option(text: str):
    """A select-slider option back from its label: the number it shows, or the text itself."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@pytest.mark.parametrize("end", ["min", "max"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.url_path or "home" for lesson in LESSONS])
def test_every_slider_at_its_extreme_applies_and_steps_without_exception(lesson, end):
    """Push every slider, select slider and bounded number box to one end, apply every form, take a step."""
    at = open_app("en", lesson.file)
    for widget in [*at.slider, *at.number_input]:
        extreme = getattr(widget, end)
        if extreme is not None:
            widget.set_value(extreme)
    for widget in at.select_slider:
        widget.set_value(_option(widget.options[0 if end == "min" else -1]))
    submits = [b.key for b in at.button if str(b.key).startswith("FormSubmitter:")]
    for key in submits + [b.key for b in at.button if str(b.key).endswith(".step")]:
        at.button(key=key).click().run()  # looked up again: each run builds a new element tree
        assert not at.exception, [e.value for e in at.exception]
