"""The sliding-window digit detector: IoU / NMS oracles, seeded scenes, and finding digits with the snapshot."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import cnn, data
from dlcore import detect as D


def confident(x: np.ndarray) -> np.ndarray:
    """A stand-in classifier that is always sure it sees a 0: tests the detector's geometry alone."""
    probs = np.zeros((len(x), 10), dtype=np.float32)
    probs[:, 0] = 1.0
    return probs


def test_iou_oracle() -> None:
    assert D.iou((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert D.iou((0, 0, 10, 10), (0, 5, 10, 15)) == pytest.approx(50 / 150)
    assert D.iou((0, 0, 10, 10), (10, 10, 20, 20)) == 0.0  # touching corners do not overlap
    assert D.iou((0, 0, 4, 4), (1, 1, 3, 3)) == pytest.approx(4 / 16)


def test_nms_keeps_the_best_of_each_overlapping_group() -> None:
    boxes = [(0, 0, 10, 10), (1, 1, 11, 11), (0, 20, 10, 30), (0, 21, 10, 31)]
    assert D.nms(boxes, [0.5, 0.9, 0.7, 0.8]) == [1, 3]


def test_scene_is_seeded_and_truthful() -> None:
    a, b = D.make_scene(5, seed=11), D.make_scene(5, seed=11)
    assert np.array_equal(a.image, b.image) and np.array_equal(a.boxes, b.boxes)
    assert not np.array_equal(a.image, D.make_scene(5, seed=12).image)
    assert a.image.shape == (96, 160) and len(a.boxes) == len(a.labels) == 5
    assert set(a.labels.tolist()) <= set(range(10))
    for i, box in enumerate(a.boxes):
        t, lt, bt, r = box
        assert a.image[t:bt, lt:r].max() > 0.5  # every true box holds ink
        assert 14 <= bt - t <= 36 and 3 <= r - lt <= 36
        for other in a.boxes[i + 1:]:
            assert D.iou(box, other) == 0.0  # digits never overlap
    ink = a.image > 0.1
    for t, lt, bt, r in a.boxes:
        ink[t:bt, lt:r] = False
    assert not ink.any()  # and no ink lies outside the true boxes


def test_scene_rejects_impossible_requests() -> None:
    with pytest.raises(ValueError, match="between 1 and"):
        D.make_scene(0)
    with pytest.raises(ValueError, match="do not fit"):
        D.make_scene(12, height=64, width=64)
    with pytest.raises(ValueError, match="smaller than"):
        D.make_scene(1, height=20, width=200)


def test_shape_score_likes_mnist_digits_and_dislikes_cut_ones() -> None:
    x = data.mnist().x_test[:200, 0].astype(np.float64)
    whole = D.window_shape_scores(x)
    shifted = D.window_shape_scores(np.roll(x, 9, axis=2))  # the window slid 9 px past the digit
    assert np.median(whole) > 0.7
    assert np.median(shifted) < 0.05


def test_geometry_alone_finds_every_digit_with_a_perfect_classifier() -> None:
    for seed in range(3):
        scene = D.make_scene(5, seed=seed)
        found = D.detect(scene.image, confident)
        score = D.evaluate(found, scene)
        assert score["recall"] >= 0.8 and score["precision"] >= 0.8


def test_blank_picture_gives_no_boxes_and_bad_input_is_refused() -> None:
    assert D.detect(np.zeros((96, 160)), confident) == []
    with pytest.raises(ValueError, match="at least 28"):
        D.detect(np.zeros((10, 100)), confident)
    with pytest.raises(ValueError, match="stride"):
        D.detect(np.zeros((96, 160)), confident, stride=0)


def test_evaluate_counts_hits_once() -> None:
    scene = D.make_scene(4, seed=3)
    perfect = [D.Detection(tuple(b), int(k), 1.0, 1.0) for b, k in zip(scene.boxes, scene.labels)]
    assert D.evaluate(perfect, scene)["recall"] == 1.0 == D.evaluate(perfect, scene)["precision"]
    doubled = perfect + perfect[:1]  # a second box on the same digit is a false positive
    assert D.evaluate(doubled, scene)["precision"] == pytest.approx(4 / 5)
    assert D.evaluate([], scene)["recall"] == 0.0


def test_pretrained_cnn_finds_and_reads_most_digits() -> None:
    model = cnn.load_pretrained()
    scores = []
    for seed in range(5):
        scene = D.make_scene(5, seed=seed)
        found = D.detect(scene.image, lambda x: cnn.predict_proba(model, x))
        scores.append(D.evaluate(found, scene))
    mean = {k: np.mean([s[k] for s in scores]) for k in ("precision", "recall", "label_accuracy")}
    assert mean["recall"] >= 0.8, mean
    assert mean["precision"] >= 0.8, mean
    assert mean["label_accuracy"] >= 0.8, mean
