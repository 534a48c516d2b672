"""The 田 water-pipe network: learning, the flow against the model's own forward pass, confusions
against scikit-learn, drawings fitted like training characters, welding, the CLI and the pipe figure."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
from sklearn.metrics import confusion_matrix as sk_confusion

from dlcore import data, experiments
from dlcore.experiments import characters as C
from dlcore.figures import pipes as P

LEARN_STEPS = 600  # measured: ≈ 0.7 s on an idle core, ≈ 4–5 s with the 2 cores shared by ~6 processes


@pytest.fixture(scope="module")
def trained() -> C.Trainer:
    """The default network trained LEARN_STEPS steps with seed 0 (shared by the tests below)."""
    torch.set_num_threads(1)
    trainer = C.build(dataclasses.replace(C.CharactersConfig(), steps=LEARN_STEPS))
    for _ in trainer.run():
        pass
    return trainer


def test_defaults_hold_tian_and_its_look_alikes() -> None:
    cfg = C.CharactersConfig()
    assert len(C.classes(cfg)) >= 8 and set("田日目口十王土工") <= set(C.classes(cfg))
    assert cfg.size == 16 and C.parse_hidden(cfg.hidden) == [32, 16]
    assert experiments.get("characters").config is C.CharactersConfig


def test_reaches_98_percent_within_the_step_budget(trained: C.Trainer) -> None:
    assert trained.steps == LEARN_STEPS and trained.stop.kind == "finished"
    assert trained.latest("test_acc") >= 0.98, trained.latest("test_acc")
    print(f"\n{LEARN_STEPS} steps took {trained.seconds:.2f} s of training")  # a figure, not an assertion


def test_same_seed_same_curve() -> None:
    cfg = dataclasses.replace(C.CharactersConfig(), steps=30, samples=20)
    runs = [[r["loss"] for r in C.build(cfg).run()] for _ in range(2)]
    assert runs[0] == runs[1]


@pytest.mark.parametrize("hidden, activation", [("32,16", "relu"), ("8", "tanh"), ("", "relu")])
def test_flow_matches_the_forward_pass(hidden: str, activation: str) -> None:
    cfg = dataclasses.replace(C.CharactersConfig(), hidden=hidden, activation=activation, seed=3)
    model = C.network(cfg, 12)
    image = data.characters(n_per_class=1, seed=1).x_train[0, 0]
    flow = C.flow(model, image)
    with torch.no_grad():
        logits = model(torch.as_tensor(image)[None, None])[0].numpy()
    np.testing.assert_allclose(flow.layers[-1], logits, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(flow.probs, torch.softmax(torch.as_tensor(logits), 0).numpy(), atol=1e-6)
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    assert len(flow.edges) == len(linears) == len(flow.layers) - 1
    act = C.models.activation(activation)
    for k, lin in enumerate(linears):  # edges are activation × weight; their sums plus bias give the next layer
        assert flow.edges[k].shape == tuple(lin.weight.shape)
        np.testing.assert_allclose(flow.edges[k], lin.weight.detach().numpy() * flow.layers[k][None, :], atol=1e-6)
        pre = torch.as_tensor(flow.edges[k].sum(1) + lin.bias.detach().numpy())
        expect = pre if k == len(linears) - 1 else act(pre)
        np.testing.assert_allclose(flow.layers[k + 1], expect.numpy(), rtol=1e-4, atol=1e-5)
    assert all((m >= 0).all() for m in flow.magnitudes) and all((e >= 0).all() for e in flow.edge_flow)
    assert flow.winner == int(np.argmax(logits))


def test_predictions_and_confusions(trained: C.Trainer) -> None:
    ds = trained.data
    probs = C.predict_proba(trained.model, ds.x_test)
    np.testing.assert_allclose(probs, trained.predict(ds.x_test), atol=1e-6)
    pred = probs.argmax(1)
    counts = C.confusion_matrix(ds.y_test, pred, len(ds.classes))
    np.testing.assert_array_equal(counts, sk_confusion(ds.y_test, pred, labels=range(len(ds.classes))))
    worst = C.most_confused(probs, ds.x_test, ds.y_test, k=5)
    n_wrong = int((pred != ds.y_test).sum())
    assert len(worst.true) == min(5, n_wrong)
    assert (worst.true != worst.pred).all() and (np.diff(worst.confidence) <= 0).all()
    np.testing.assert_array_equal(worst.images, ds.x_test[worst.index, 0])


def test_most_confused_on_a_made_up_case() -> None:
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.7, 0.3]])
    y = np.array([0, 0, 0, 1])
    worst = C.most_confused(probs, np.zeros((4, 1, 2, 2)), y)
    assert list(worst.index) == [1, 3, 2] and list(worst.pred) == [1, 0, 1]
    np.testing.assert_allclose(worst.confidence, [0.8, 0.7, 0.6])


def test_resize_keeps_constant_images_and_means() -> None:
    np.testing.assert_allclose(C.resize(np.full((50, 50), 0.3), 16), 0.3, atol=1e-6)
    img = np.random.default_rng(0).random((32, 32))
    np.testing.assert_allclose(C.resize(img, 16), img.reshape(16, 2, 16, 2).mean((1, 3)), atol=1e-6)
    assert C.as_input(img[:16, :16], 16) is not None and C.as_input(img, 16).shape == (16, 16)


def big_drawing(char: str, canvas: int = 240, box: tuple[int, int, int] = (30, 60, 150)) -> np.ndarray:
    """A character drawn off-centre on a large canvas with a thick pen, as a visitor would (ink = 1)."""
    top, left, side = box
    img = np.zeros((canvas, canvas), dtype=np.float32)
    img[top:top + side, left:left + side] = data.draw_strokes(data.CHARACTER_STROKES[char], side, 0.12)
    return img


def test_fit_drawing_crops_and_centres() -> None:
    small = C.fit_drawing(big_drawing("田"), 16)
    assert small.shape == (16, 16) and small.dtype == np.float32 and small.max() == pytest.approx(1.0)
    ys, xs = np.nonzero(small > 0.2)
    assert abs(ys.mean() - 7.5) < 1.0 and abs(xs.mean() - 7.5) < 1.0  # centred though drawn in a corner
    inverted = C.fit_drawing(1.0 - big_drawing("田"), 16)  # black ink on white paper reads the same
    np.testing.assert_allclose(inverted, small, atol=1e-5)
    assert C.fit_drawing(np.zeros((100, 100)), 16) is None
    with pytest.raises(ValueError):
        C.fit_drawing(np.zeros((3, 4, 5)), 16)


def test_trained_network_reads_big_drawings(trained: C.Trainer) -> None:
    chars = trained.data.classes
    right = [C.flow(trained.model, C.fit_drawing(big_drawing(ch), 16)).winner == i for i, ch in enumerate(chars)]
    assert sum(right) >= len(chars) - 2, dict(zip(chars, right))
    assert right[chars.index("田")]


def test_welded_valves_do_not_turn(trained: C.Trainer) -> None:
    cfg = dataclasses.replace(C.CharactersConfig(), steps=LEARN_STEPS)
    welded = C.weld(trained, cfg, "first")
    assert welded.name == "first" and welded.steps == LEARN_STEPS and welded.test_acc >= 0.98
    assert all(not p.requires_grad for p in welded.model.parameters())
    before = [p.clone() for p in welded.model.parameters()]
    trainer = C.build(dataclasses.replace(cfg, steps=5))
    trainer.load_state_dict(trained.state_dict() | {"stop": None, "steps": 0})  # keep training the same net
    for _ in trainer.run():
        pass
    assert any(not torch.equal(a, b) for a, b in zip(trainer.model.parameters(), trained.model.parameters()))
    assert all(torch.equal(a, b) for a, b in zip(before, welded.model.parameters()))
    image = C.sample(trained.data, 0, 0)
    np.testing.assert_allclose(welded.flow(image).probs, C.flow(trained.model, image).probs, atol=1e-6)
    assert welded.flow(np.zeros((32, 32))).image.shape == (16, 16)  # other sizes are resized to fit


@pytest.mark.parametrize("field, value", [("chars", "田"), ("chars", "田X"), ("hidden", "a,b"), ("hidden", "1,2,3,4,5"),
                                          ("hidden", "500"), ("activation", "nope"), ("optimizer", "nope"),
                                          ("size", 4), ("samples", 2)])
def test_bad_settings_say_why(field: str, value: object) -> None:
    with pytest.raises(ValueError):
        C.validate(dataclasses.replace(C.CharactersConfig(), **{field: value}))


def test_cli_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    from dlcore import cli  # in process: a subprocess would spend most of its time importing torch

    assert cli.main(["train", "characters", "--steps", "50", "--samples", "30", "--hidden", "16",
                     "--log-every", "25", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["step"] for r in lines] == [25, 50] and "test_acc" in lines[-1]
    assert cli.main(["train", "characters", "--chars", "田"]) == 2  # a bad setting: a message, not a traceback
    assert "two different characters" in capsys.readouterr().err


def test_pipe_figure_draws_widths_from_flow(trained: C.Trainer) -> None:
    image = C.sample(trained.data, 0, 1)
    flow = C.flow(trained.model, image)
    fig = P.pipes(flow.layers, flow.edges, flow.probs, flow.image, trained.data.classes, expected=0,
                  column_labels=["in", "h1", "h2", "out"], max_pipes=40)
    outlets = next(t for t in fig.data if t.mode == "markers+text")
    assert list(outlets.text) == list(trained.data.classes)
    assert outlets.marker.line.color[flow.winner] == P.WINNER  # the busiest outlet is highlighted
    assert fig.layout.images[0].source.startswith("data:image/png;base64,")
    lines = [t for t in fig.data if t.mode == "lines" and t.legendgroup]
    widths = [t.line.width for t in lines]
    assert max(widths) == pytest.approx(0.6 + P.MAX_WIDTH) and len({t.line.color for t in lines}) == 2
    assert sum(t.showlegend for t in lines) == 2  # one legend entry per colour
    segments = sum(np.isnan(np.asarray(t.x, dtype=float)).sum() for t in lines)
    n1 = len(flow.layers[1])
    assert segments <= n1 + 40 + (40 + len(flow.layers[2]))  # intake fan + capped middle + capped outlets


def test_png_is_a_valid_image() -> None:
    import base64
    import zlib

    uri = P.png_data_uri(np.eye(4), scale=2)
    raw = base64.b64decode(uri.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and raw[12:16] == b"IHDR"
    idat = raw[raw.index(b"IDAT") + 4:raw.index(b"IEND") - 8]
    pixels = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(8, 9)[:, 1:]  # drop filter bytes
    assert pixels[0, 0] == 0 and pixels[0, 2] == 255  # ink is dark, paper white
