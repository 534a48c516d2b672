"""Drawing with the mouse on our canvas component in a real chromium: the digit page reads the drawing and
shows the feature maps; Clear empties it; the water-pipe page takes a drawn character as its input."""

import pytest

from tests.e2e.conftest import SHOTS
from tests.e2e.test_browser_walk import exceptions, screenshot, wait_idle

pytestmark = pytest.mark.e2e

SEVEN = [(70, 60), (210, 60), (190, 110), (160, 170), (130, 230)]  # canvas pixels: a bar, then a slanted stem
FIELD = [(40, 40), (200, 40), (200, 200), (40, 200), (40, 40), (120, 40), (120, 200), (40, 120), (200, 120)]  # 田


def draw(page, canvas, points, steps: int = 8) -> None:
    """Press, move through `points` (canvas pixels) in small steps, release: one stroke, as a person draws."""
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        for k in range(1, steps + 1):
            page.mouse.move(box["x"] + ax + (bx - ax) * k / steps, box["y"] + ay + (by - ay) * k / steps)
    page.mouse.up()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_drawing_a_digit_shows_prediction_and_feature_maps(browser, app_url, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 2400}, locale="zh-CN" if lang == "zh" else "en-US")
    page.goto(f"{app_url}/cnn_draw?lang={lang}")
    canvas = page.locator("canvas.dlc-canvas").first
    canvas.wait_for(timeout=60_000)
    empty = "Draw a digit first" if lang == "en" else "请先写一个数字"
    page.get_by_text(empty).wait_for(timeout=60_000)
    wait_idle(page)
    draw(page, canvas, SEVEN)
    heading = page.get_by_role("heading", name="The network reads" if lang == "en" else "网络认为是")
    heading.wait_for(timeout=30_000)
    page.wait_for_function("""() => { const m = [...document.querySelectorAll('.dl-maps img')];
                              return m.length >= 2 && m.every(i => i.complete && i.naturalWidth > 0); }""", timeout=30_000)
    wait_idle(page)
    assert "7" in heading.inner_text()  # the pretrained snapshot reads the drawn 7
    assert page.locator(".dl-steps img").count() == 5  # canvas, crop, 20 px, centred, normalised
    assert page.locator(".dl-probs").count() == 1
    assert not exceptions(page)
    screenshot(page, SHOTS / f"draw-{lang}-cnn_draw.png")
    page.locator("button.dlc-clear").first.click()  # Clear: back to the friendly message, no maps
    page.get_by_text(empty).wait_for(timeout=30_000)
    wait_idle(page)
    assert page.locator(".dl-maps img").count() == 0
    assert not exceptions(page)
    page.close()


def test_drawing_a_character_feeds_the_water_pipes(browser, app_url):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(f"{app_url}/water_pipes?lang=en")
    page.wait_for_selector("h1", timeout=60_000)
    wait_idle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("Draw one", exact=True).click()
    canvas = page.locator("canvas.dlc-canvas").first
    canvas.wait_for(timeout=30_000)
    page.get_by_text("Draw a character on the canvas").wait_for(timeout=30_000)
    wait_idle(page)
    draw(page, canvas, FIELD)
    page.get_by_text("Draw a character on the canvas").wait_for(state="detached", timeout=30_000)
    wait_idle(page)
    assert page.get_by_text("Character", exact=True).count() == 0  # the drawing replaced the test-sample picker
    assert not exceptions(page)
    screenshot(page, SHOTS / "draw-en-water_pipes.png")
    page.close()


def test_drawing_with_a_finger_on_a_narrow_touch_screen(browser, app_url):
    """A tablet: touch events (through the DevTools protocol, as a finger sends them) draw on a canvas that has
    shrunk to fit its narrow column, and the page does not scroll while the finger moves."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 820, "height": 1800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{app_url}/cnn_draw?lang=en")
    canvas = page.locator("canvas.dlc-canvas").first
    canvas.wait_for(timeout=60_000)
    page.get_by_text("Draw a digit first").wait_for(timeout=60_000)
    wait_idle(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box["width"] <= 280 and abs(box["width"] - box["height"]) < 1  # square, never wider than its column
    scale = box["width"] / 280
    at = lambda x, y: {"x": box["x"] + x * scale, "y": box["y"] + y * scale}  # noqa: E731
    scrolled = """() => document.querySelector('[data-testid="stMain"]').scrollTop"""
    before = page.evaluate(scrolled)
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at(*SEVEN[0])]})
    for (ax, ay), (bx, by) in zip(SEVEN, SEVEN[1:]):
        for k in range(1, 9):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove",
                                                  "touchPoints": [at(ax + (bx - ax) * k / 8, ay + (by - ay) * k / 8)]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    heading = page.get_by_role("heading", name="The network reads")
    heading.wait_for(timeout=30_000)
    wait_idle(page)
    assert "7" in heading.inner_text()
    assert page.evaluate(scrolled) == before  # the finger drew; it did not scroll the page
    assert not exceptions(page)
    page.screenshot(path=str(SHOTS / "draw-en-cnn_draw-touch.png"))
    context.close()
