"""MNIST-style preprocessing of a drawing: oracle checks against MNIST's own digits, centring, empty input."""

from __future__ import annotations

import numpy as np
import pytest

from dlcore import data
from dlcore import preprocess as P


def stroke_canvas(size: int = 280) -> np.ndarray:
    """A "7" drawn off-centre in the top-left corner of a canvas: a bar and a slanted stem."""
    img = np.zeros((size, size))
    img[20:36, 30:130] = 1.0
    for r in range(36, 180):
        c = int(125 - (r - 36) * 0.45)
        img[r, c - 8:c + 8] = 1.0
    return img


def test_mnist_digits_survive_preprocessing_unchanged() -> None:
    # Oracle: MNIST digits were made by this very recipe, so redoing it must (almost) reproduce them.
    x = data.mnist().x_test[:200, 0]
    diffs = [np.abs(P.preprocess(d).normalised - d).mean() for d in x]
    assert np.mean(diffs) < 0.005
    assert np.max(diffs) < 0.05


def test_off_centre_drawing_is_cropped_scaled_and_centred_by_mass() -> None:
    steps = P.preprocess(stroke_canvas())
    assert steps.bbox == (20, 30, 180, 133)
    assert max(steps.scaled.shape) == P.BOX  # longer side 20 px
    h, w = steps.scaled.shape
    assert abs(h / w - 160 / 103) < 0.1  # aspect ratio kept
    r, c = P.centre_of_mass(steps.centred)
    assert abs(r - 14) <= 0.5 and abs(c - 14) <= 0.5  # centre of mass where MNIST puts it
    assert steps.normalised.shape == (28, 28) and steps.normalised.max() == pytest.approx(1.0)
    assert steps.x.shape == (1, 1, 28, 28) and steps.x.dtype == np.float32
    assert [im.shape for im in steps.images()][-2:] == [(28, 28), (28, 28)]


def best_match(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two 28×28 images, allowing a one-pixel shift (centring rounds to whole pixels)."""
    return max(np.corrcoef(np.roll(a, (dy, dx), (0, 1)).ravel(), b.ravel())[0, 1]
               for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def test_position_and_size_on_the_canvas_do_not_matter() -> None:
    x = data.mnist().x_test
    for i in (0, 7, 42):
        for seed in range(4):  # enlarged 4-8× and put anywhere on a 280-px canvas
            out = P.preprocess(P.to_canvas(x[i, 0], seed=seed)).normalised
            assert best_match(out, x[i, 0]) > 0.93
            r, c = P.centre_of_mass(out)
            assert abs(r - 14) <= 0.5 and abs(c - 14) <= 0.5


def test_centring_clamps_a_lopsided_digit_inside_the_frame() -> None:
    blob = np.zeros((20, 20))
    blob[:, :3] = 1.0  # all mass at the left edge: the shift would push it out of the frame
    frame, (top, left) = P.paste_centred(blob)
    assert frame.sum() == pytest.approx(blob.sum())  # nothing cut off
    assert 0 <= left <= 8 and 0 <= top <= 8


@pytest.mark.parametrize("image", [np.zeros((280, 280)), np.zeros((1, 1)), np.ones((1, 1)),
                                   np.pad(np.ones((1, 2)), 100)])
def test_empty_or_nearly_empty_canvas_raises_empty_drawing(image: np.ndarray) -> None:
    with pytest.raises(P.EmptyDrawing) as err:
        P.preprocess(image)
    assert err.value.ink_pixels < P.MIN_INK_PIXELS


def test_bad_arrays_give_clear_errors() -> None:
    with pytest.raises(ValueError, match="2D"):
        P.preprocess(np.zeros((2, 3, 4, 5)))
    with pytest.raises(ValueError, match="NaN"):
        P.preprocess(np.full((28, 28), np.nan))
    with pytest.raises(ValueError, match="too large"):
        P.as_gray(np.zeros((P.MAX_SIDE + 1, 2)))


def test_rgba_and_0_255_inputs_are_read_as_gray_ink() -> None:
    gray = stroke_canvas()[::2, ::2]  # (140, 140)
    rgba = np.zeros((140, 140, 4), dtype=np.uint8)
    rgba[..., 3] = (gray * 255).astype(np.uint8)
    assert np.allclose(P.as_gray(rgba), gray)
    assert np.allclose(P.as_gray(gray * 255), gray)


def test_resize_keeps_mean_when_shrinking_and_is_exact_on_constants() -> None:
    rng = np.random.default_rng(0)
    img = rng.random((90, 60))
    small = P.resize(img, 30, 20)  # exact 3× area averaging
    assert np.allclose(small, img.reshape(30, 3, 20, 3).mean(axis=(1, 3)))
    assert np.allclose(P.resize(np.full((5, 7), 0.3), 40, 3), 0.3)


def test_canvas_message_decodes_to_ink_in_0_1_and_bad_messages_to_none():
    """ui.canvas.decode: what the browser canvas sends (gray bytes, ink = 255, base64) → (h, w) in [0, 1]."""
    import base64

    from ui.canvas import decode

    gray = np.zeros((4, 6), dtype=np.uint8)
    gray[1, 2] = 255
    gray[2, 3] = 51
    image = decode({"n": 1, "w": 6, "h": 4, "gray": base64.b64encode(gray.tobytes()).decode()})
    assert image.shape == (4, 6) and image.dtype == np.float32
    assert image[1, 2] == 1.0 and image[2, 3] == pytest.approx(0.2) and image.sum() == pytest.approx(1.2)
    blank = base64.b64encode(bytes(24)).decode()
    assert decode({"n": 2, "w": 6, "h": 4, "gray": blank}) is None  # no ink
    assert decode(None) is None
    assert decode({"w": 6, "h": 4, "gray": "%%%"}) is None  # not base64
    assert decode({"w": 7, "h": 4, "gray": blank}) is None  # size does not match the bytes
