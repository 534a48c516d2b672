"""One real-browser walk: every sidebar link in both languages, Start where a page trains, screenshots."""

import re
import time
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import SHOTS

pytestmark = pytest.mark.e2e

IDLE = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'"""
START = {"en": "Start", "zh": "开始"}
PAUSE = {"en": "Pause", "zh": "暂停"}


def wait_idle(page, timeout_ms: int = 60_000) -> None:
    page.wait_for_function(IDLE, timeout=timeout_ms)
    page.wait_for_timeout(300)


def screenshot(page, path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the window to fit it first."""
    height = page.evaluate("""() => document.querySelector('[data-testid="stMain"]')?.scrollHeight || 2400""")
    page.set_viewport_size({"width": 1400, "height": min(max(int(height) + 50, 900), 12000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": 1400, "height": 2400})


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_every_page(browser, app_url, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 2400}, locale="zh-CN" if lang == "zh" else "en-US")
    page.goto(f"{app_url}/?lang={lang}")
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    links = page.locator('[data-testid="stSidebarNavLink"]')
    count = links.count()
    assert count >= 1
    problems: dict[str, list[str]] = {}
    for i in range(count):
        link = page.locator('[data-testid="stSidebarNavLink"]').nth(i)
        slug = urlparse(link.get_attribute("href") or "").path.strip("/") or "home"
        link.click()
        page.wait_for_timeout(500)
        wait_idle(page)
        title = page.locator("h1").first.inner_text()
        if lang == "zh":
            assert re.search(r"[\u4e00-\u9fff]", title), f"{slug}: the Chinese page title is not Chinese: {title!r}"
        start = page.get_by_role("button", name=START[lang], exact=True)
        if start.count():
            start.first.click()
            time.sleep(4)
            pause = page.get_by_role("button", name=PAUSE[lang], exact=True)
            if pause.count():
                pause.first.click()
            wait_idle(page)
        screenshot(page, SHOTS / f"{lang}-{i:02d}-{slug}.png")
        if exceptions(page):
            problems[slug] = exceptions(page)
    page.close()
    assert not problems, problems


def test_a_lesson_link_on_a_fresh_server_opens_inside_the_frame(browser, chromium_path):
    """Streamlit would run pages/*.py bare on a fresh server; ui/__init__.py routes it through the frame."""
    from tests.e2e.conftest import free_port, start_server

    port = free_port()
    proc = start_server("streamlit_app.py", port)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/how_networks_learn?lang=zh")
        page.wait_for_selector("h1", timeout=60_000)
        wait_idle(page)
        # the frame's language switch is there (its widget code loads on its own, after the page's title)
        page.get_by_text("语言 / Language").wait_for(timeout=30_000)
        assert page.locator('[data-testid="stSidebarNavLink"]').count() >= 2
        assert "how_networks_learn" in page.url and page.get_by_text("Page not found").count() == 0
        assert page.locator("h1").first.inner_text() != "什么是深度学习？"  # not sent back home
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
