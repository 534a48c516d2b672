"""The home page: rings, the live curve fit (start, step, reset, divergence), the language switch."""

from tests.app.helpers import open_app, texts


def test_english_and_chinese_titles():
    assert open_app("en").title[0].value == "What is deep learning?"
    assert open_app("zh").title[0].value == "什么是深度学习？"


def test_language_switch_changes_the_texts_and_the_link():
    at = open_app("en")
    at.sidebar.get("button_group")[0].set_value("zh").run()
    assert at.title[0].value == "什么是深度学习？"
    assert at.query_params["lang"] in ("zh", ["zh"])


def test_picking_a_ring_explains_it():
    at = open_app("en")
    at.radio(key="home.ring").set_value(2).run()
    assert "Machine learning with deep neural networks" in texts(at)


def test_step_takes_exactly_one_step_and_reset_forgets():
    at = open_app("en")
    at.button(key="home.step").click().run()
    assert at.session_state["home.trainer"].steps == 1
    at.button(key="home.step").click().run()
    assert at.session_state["home.trainer"].steps == 2
    at.button(key="home.reset").click().run()
    assert "home.trainer" not in at.session_state


def test_start_trains_and_draws_the_guess():
    at = open_app("en")
    at.button(key="home.toggle").click().run()
    trainer = at.session_state["home.trainer"]
    assert trainer.steps > 0 and at.session_state["home.running"]
    charts = "".join(m.value for m in at.markdown)  # the home page draws SVG (no plotly: it loads fast)
    assert "network's guess" in charts and "train loss" in charts and "<path" in charts
    assert at.metric[0].label == "Steps / s" and str(trainer.seed) in [m.value for m in at.metric]
    at.button(key="home.toggle").click().run()  # Pause
    paused_at = trainer.steps
    at.run()
    assert not at.session_state["home.running"] and trainer.steps == paused_at


def test_nan_producing_setting_gives_a_clear_message_and_the_page_stays_usable():
    at = open_app("zh")
    at.select_slider(key="home.lr").set_value(10.0)
    at.selectbox(key="home.optimizer").set_value("sgd")
    at.button(key="FormSubmitter:home.form-应用").click().run()
    at.button(key="home.toggle").click().run()  # Start: divergence comes within a few steps
    trainer = at.session_state["home.trainer"]
    assert trainer.stop.kind == "diverged"
    assert any("学习率太大" in e.value for e in at.error)
    assert not at.exception
    at.button(key="home.reset").click().run()
    assert not at.exception and "home.trainer" not in at.session_state


def test_slider_extremes_train_without_error():
    at = open_app("en")
    for key, value in (("home.hidden", 64), ("home.layers", 4), ("home.noise", 1.0)):
        at.slider(key=key).set_value(value)
    at.select_slider(key="home.lr").set_value(0.001)
    at.button(key="FormSubmitter:home.form-Apply").click().run()
    at.button(key="home.step").click().run()
    assert not at.exception and not at.error and at.session_state["home.trainer"].steps == 1
    for key, value in (("home.hidden", 1), ("home.layers", 1), ("home.noise", 0.0)):
        at.slider(key=key).set_value(value)
    at.button(key="FormSubmitter:home.form-Apply").click().run()
    at.button(key="home.step").click().run()
    assert not at.exception and not at.error


def test_show_the_code_sends_the_source_only_once_opened():
    at = open_app("en")
    assert not any("def build" in c.value for c in at.code)  # collapsed: nothing sent to the browser
    key = next(k for k in at.session_state if str(k).startswith("code."))
    at.session_state[key] = True  # what opening the expander does
    at.run()
    assert any("def build" in c.value for c in at.code)
