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
