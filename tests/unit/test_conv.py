"""Our hand-written convolution and pooling against PyTorch, plus the refusals for bad input."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from dlcore import conv

TOL = 1e-6
FAST = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64)


@st.composite
def geometry(draw, max_k: int = 5):  # noqa: ANN001, ANN201
    """An input shape, a window size, a stride and a padding that `output_size` accepts."""
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    k = draw(st.integers(1, max_k))
    stride, padding = draw(st.integers(1, 4)), draw(st.integers(0, 3))
    try:
        conv.output_shape((h, w), k, stride, padding)
    except conv.ConvError:
        assume(False)
    return h, w, k, stride, padding


def _array(draw, shape):  # noqa: ANN001, ANN202
    seed = draw(st.integers(0, 2**32 - 1))
    return np.random.default_rng(seed).normal(size=shape)


@FAST
@given(geometry(), st.data())
def test_conv2d_matches_torch(geo, data) -> None:  # noqa: ANN001
    h, w, k, stride, padding = geo
    image, kernel = _array(data.draw, (h, w)), _array(data.draw, (k, k))
    ours = conv.conv2d(image, kernel, stride, padding)
    ref = F.conv2d(_t(image)[None, None], _t(kernel)[None, None], stride=stride, padding=padding)[0, 0]
    assert ours.shape == tuple(ref.shape)
    np.testing.assert_allclose(ours, ref.numpy(), atol=TOL, rtol=0)


@FAST
@given(geometry(), st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.booleans(), st.data())
def test_conv2d_batch_matches_torch(geo, n, c, f, with_bias, data) -> None:  # noqa: ANN001
    h, w, k, stride, padding = geo
    x, weight = _array(data.draw, (n, c, h, w)), _array(data.draw, (f, c, k, k))
    bias = _array(data.draw, (f,)) if with_bias else None
    ours = conv.conv2d_batch(x, weight, bias, stride, padding)
    ref = F.conv2d(_t(x), _t(weight), None if bias is None else _t(bias), stride=stride, padding=padding)
    np.testing.assert_allclose(ours, ref.numpy(), atol=TOL, rtol=0)


@FAST
@given(geometry(max_k=4), st.data())
def test_max_pool2d_matches_torch(geo, data) -> None:  # noqa: ANN001
    h, w, size, stride, padding = geo
    assume(padding <= size // 2)  # PyTorch's own rule; ours raises a ConvError (tested below)
    x = _array(data.draw, (2, h, w))
    ours = conv.max_pool2d(x, size, stride, padding)
    ref = F.max_pool2d(_t(x)[:, None], size, stride, padding)[:, 0]
    np.testing.assert_allclose(ours, ref.numpy(), atol=TOL, rtol=0)


@FAST
@given(geometry(max_k=4), st.booleans(), st.data())
def test_avg_pool2d_matches_torch(geo, count_include_pad, data) -> None:  # noqa: ANN001
    h, w, size, stride, padding = geo
    assume(padding <= size // 2)
    x = _array(data.draw, (2, h, w))
    ours = conv.avg_pool2d(x, size, stride, padding, count_include_pad)
    ref = F.avg_pool2d(_t(x)[:, None], size, stride, padding, count_include_pad=count_include_pad)[:, 0]
    np.testing.assert_allclose(ours, ref.numpy(), atol=TOL, rtol=0)


def test_pool_stride_defaults_to_size() -> None:
    x = np.arange(16.0).reshape(4, 4)
    np.testing.assert_array_equal(conv.max_pool2d(x, 2), [[5, 7], [13, 15]])
    np.testing.assert_array_equal(conv.avg_pool2d(x, 2), [[2.5, 4.5], [10.5, 12.5]])


def test_slide_and_window_at_agree_with_conv2d() -> None:
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(7, 9)), conv.kernel("sobel_x_3")
    full = conv.conv2d(image, kernel, 2, 1)
    stops = list(conv.slide(image, kernel, 2, 1))
    assert len(stops) == full.size
    for index, stop in enumerate(stops):
        assert stop.value == pytest.approx(full[stop.out_row, stop.out_col])
        again = conv.window_at(image, kernel, index, 2, 1)
        where = (again.out_row, again.out_col, again.top, again.left)
        assert where == (stop.out_row, stop.out_col, stop.top, stop.left)
        np.testing.assert_array_equal(again.patch, stop.patch)
    assert (stops[0].top, stops[0].left) == (-1, -1)  # the first window starts inside the padding
    with pytest.raises(IndexError):
        conv.window_at(image, kernel, full.size, 2, 1)


def test_dot_product_text_writes_every_term_and_the_sum() -> None:
    patch = np.array([[0.5, 0.0, 1.0], [0.25, 0.0, 0.0], [0.0, 0.0, 1.0]])
    text = conv.dot_product_text(patch, conv.kernel("sobel_x_3"))
    assert text.count("×") == 9
    assert "0.50×(−1)" in text
    assert text.endswith(f"= {np.sum(patch * conv.kernel('sobel_x_3')):.2f}".replace("-", "−"))


def test_output_size_formula_and_leftover() -> None:
    assert conv.output_size(28, 3, 1, 1) == 28
    assert conv.output_size(28, 5, 2, 0) == 12
    assert conv.leftover(28, 5, 2, 0) == 1  # (28 − 5) / 2 = 11.5: the last column is never covered
    assert conv.output_size(1, 3, 1, 1) == 1  # a one-pixel input works once padded


@pytest.mark.parametrize(("args", "code"), [
    ((5, 3, 6, 0), "stride_too_big"),
    ((1, 1, 2, 0), "stride_too_big"),
    ((2, 5, 1, 1), "kernel_too_big"),
    ((1, 3, 1, 0), "kernel_too_big"),
    ((0, 3, 1, 0), "bad_value"),
    ((5, 0, 1, 0), "bad_value"),
    ((5, 3, 0, 0), "bad_value"),
    ((5, 3, 1, -1), "bad_value"),
    ((5, 3, 1.5, 0), "bad_value"),
])
def test_output_size_refuses_with_a_reason(args, code) -> None:  # noqa: ANN001
    with pytest.raises(conv.ConvError) as err:
        conv.output_size(*args)
    assert err.value.code == code
    assert str(err.value)  # a sentence a person can read


def test_bad_kernels_and_pool_padding_are_refused() -> None:
    with pytest.raises(conv.ConvError, match="square"):
        conv.conv2d(np.zeros((5, 5)), np.zeros((2, 3)))
    with pytest.raises(conv.ConvError) as err:
        conv.conv2d(np.zeros((5, 5)), np.array([[1.0, np.nan], [0, 0]]))
    assert err.value.code == "kernel_not_finite"
    with pytest.raises(conv.ConvError) as err:
        conv.max_pool2d(np.zeros((6, 6)), 2, 2, 2)
    assert err.value.code == "pool_padding"
    with pytest.raises(conv.ConvError) as err:
        conv.conv2d(np.zeros((4, 4)), np.ones((3, 3)), stride=9)
    assert err.value.code == "stride_too_big"


def test_named_kernels() -> None:
    for name in ("box_blur_3", "box_blur_5", "gaussian_3", "gaussian_5", "identity_3", "identity_5", "sharpen_3"):
        assert conv.kernel(name).sum() == pytest.approx(1.0)  # keeps brightness
    for name in ("sobel_x_3", "sobel_y_3", "laplacian_3", "laplacian_5"):
        assert conv.kernel(name).sum() == pytest.approx(0.0)  # flat regions → 0
    image = np.random.default_rng(1).random((6, 6))
    np.testing.assert_allclose(conv.conv2d(image, conv.kernel("identity_5"), 1, 2), image)
    ramp = np.tile(np.arange(6.0), (6, 1))  # brighter to the right
    assert (conv.conv2d(ramp, conv.kernel("sobel_x_3")) > 0).all()
    assert np.allclose(conv.conv2d(ramp, conv.kernel("sobel_y_3")), 0)
    conv.kernel("gaussian_5")[0, 0] = 99  # a copy: the table is unchanged
    assert conv.KERNELS["gaussian_5"][0, 0] < 1
    with pytest.raises(ValueError, match="unknown kernel"):
        conv.kernel("sobel_x_7")


def test_shift_moves_and_fills_with_zeros() -> None:
    image = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(conv.shift(image, 1, 0), [[0, 1, 2], [0, 4, 5], [0, 7, 8]])
    np.testing.assert_array_equal(conv.shift(image, 0, -1), [[4, 5, 6], [7, 8, 9], [0, 0, 0]])
    np.testing.assert_array_equal(conv.shift(image, 0, 0), image)
    assert not conv.shift(image, 3, 0).any()


def test_pooling_makes_a_shifted_digit_look_more_alike() -> None:
    digit = np.zeros((28, 28))
    digit[6:22, 12:15] = 1.0  # a "1"
    report = conv.shift_report(digit, conv.kernel("sobel_x_3"), 1, 0, "max", 2)
    assert report.pooled_a.shape == (14, 14)
    assert report.similarity_after > report.similarity_before
    assert conv.similarity(report.map_a, report.map_a) == pytest.approx(1.0)


# ----------------------------------------------------------------------------- image loading

def _png(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def test_load_image_makes_small_grayscale() -> None:
    img = Image.new("RGB", (200, 100), (255, 255, 255))
    img.paste((0, 0, 0), (0, 0, 100, 100))  # left half black
    for fmt in ("PNG", "JPEG"):
        arr = conv.load_image(_png(img, fmt), max_side=64)
        assert arr.shape == (32, 64)
        assert 0 <= arr.min() and arr.max() <= 1
        assert arr[:, :20].mean() < 0.1 and arr[:, -20:].mean() > 0.9
    inverted = conv.load_image(_png(img), max_side=64, invert=True)
    assert inverted[:, :20].mean() > 0.9


def test_load_image_handles_transparency_16_bit_and_small_images() -> None:
    clear = Image.new("RGBA", (10, 10), (0, 0, 0, 0))  # fully transparent → white paper
    assert conv.load_image(_png(clear)).min() == pytest.approx(1.0)
    deep = Image.fromarray(np.full((8, 8), 65535, dtype=np.uint16))
    assert conv.load_image(_png(deep)).min() == pytest.approx(1.0)
    assert conv.load_image(_png(Image.new("L", (6, 5), 128))).shape == (5, 6)  # never enlarged


@pytest.mark.parametrize(("payload", "code"), [
    (b"", "empty_file"),
    (b"hello, I am a text file, not a picture", "not_image"),
    (b"%PDF-1.4\n%...", "not_image"),
    (b"GIF89a" + bytes(100), "not_image"),  # not PNG or JPG
])
def test_load_image_refuses_non_images(payload, code) -> None:  # noqa: ANN001
    with pytest.raises(conv.ConvError) as err:
        conv.load_image(payload)
    assert err.value.code == code


def test_load_image_refuses_one_pixel_and_truncated_files() -> None:
    with pytest.raises(conv.ConvError) as err:
        conv.load_image(_png(Image.new("L", (1, 1), 0)))
    assert err.value.code == "too_small"
    assert "1×1" in str(err.value)
    full = _png(Image.effect_noise((64, 64), 50).convert("L"))
    with pytest.raises(conv.ConvError) as err:
        conv.load_image(full[: len(full) // 2])
    assert err.value.code in ("corrupt", "not_image")


def test_load_image_refuses_huge_images_before_decoding(monkeypatch) -> None:  # noqa: ANN001
    huge = _png(Image.new("L", (6000, 6000), 0))  # compresses to a few kB: small file, absurd image

    def no_decode(self) -> None:  # noqa: ANN001
        raise AssertionError("the pixels were decoded before the size was checked")

    monkeypatch.setattr(Image.Image, "load", no_decode)
    from PIL import ImageFile
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decode)
    with pytest.raises(conv.ConvError) as err:
        conv.load_image(huge)
    assert err.value.code == "too_large"
    assert "6000×6000" in str(err.value)
    with pytest.raises(conv.ConvError) as err:
        conv.load_image(bytes(conv.MAX_FILE_BYTES + 1))
    assert err.value.code == "file_too_big"
