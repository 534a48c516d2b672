"""Convolution and pooling written out by hand, one sliding window at a time.

What it teaches: a convolution slides a small grid of weights (the kernel) over the image; at every
position it multiplies the window under the kernel cell by cell and adds the products up (a dot
product). Stride is how far the window jumps, padding is a border of zeros around the image, and
together they fix the output size: out = floor((n + 2·padding − k) / stride) + 1. Pooling slides a
window too, but keeps only the largest value (max) or the mean (average) of each window.

What it simplifies: plain Python loops over output positions (slow, but every step can be shown and
animated); one stride and one padding for both directions; "convolution" means cross-correlation,
exactly as in PyTorch (the kernel is not flipped). The results match `torch.nn.functional.conv2d`,
`max_pool2d` and `avg_pool2d` (a property test checks it).

Also here: the classic named kernels, a loader that turns an uploaded PNG/JPG into a small grayscale
array (refusing non-images and absurd sizes before decoding them), and `shift` for the pooling demo.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

# ----------------------------------------------------------------------------- errors


class ConvError(ValueError):
    """A readable refusal. `code` and `values` let a page show the message in its own language."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


# ----------------------------------------------------------------------------- sizes


def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Output length along one axis: floor((n + 2·padding − k) / stride) + 1, or a ConvError."""
    for name, value, low in (("input", n, 1), ("kernel", k, 1), ("stride", stride, 1), ("padding", padding, 0)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low:
            raise ConvError("bad_value", f"{name} must be a whole number ≥ {low}, got {value!r}",
                            name=name, value=value, low=low)
    padded = n + 2 * padding
    if k > padded:
        raise ConvError("kernel_too_big", f"the {k}×{k} window does not fit in the padded input "
                        f"({n} + 2×{padding} = {padded} pixels)", k=k, n=n, padding=padding, padded=padded)
    if stride > n:
        raise ConvError("stride_too_big", f"stride {stride} is larger than the input ({n} pixels): "
                        "the window would jump right over it", stride=stride, n=n)
    return (padded - k) // stride + 1


def leftover(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """Rows (or columns) at the far edge of the padded input that no window ever covers."""
    return (n + 2 * padding - k) % stride


def output_shape(shape: tuple[int, int], k: int, stride: int = 1, padding: int = 0) -> tuple[int, int]:
    """(rows, cols) of the output for an input of `shape` (H, W) and a k×k window."""
    return output_size(int(shape[0]), k, stride, padding), output_size(int(shape[1]), k, stride, padding)


def _check_pool_padding(size: int, padding: int) -> None:
    # PyTorch's rule: a pooling window may hang over the edge by at most half its size.
    if padding > size // 2:
        raise ConvError("pool_padding", f"pooling padding {padding} is more than half the window "
                        f"({size}//2 = {size // 2})", padding=padding, size=size, half=size // 2)


def pad(image: np.ndarray, padding: int, value: float = 0.0) -> np.ndarray:
    """Surround the last two axes with `padding` cells of `value` (zeros for convolution)."""
    if padding == 0:
        return np.asarray(image, dtype=np.float64)
    widths = [(0, 0)] * (np.ndim(image) - 2) + [(padding, padding)] * 2
    return np.pad(np.asarray(image, dtype=np.float64), widths, constant_values=value)


# ----------------------------------------------------------------------------- convolution


@dataclass(frozen=True)
class Window:
    """One stop of the sliding kernel: where it is, what it sees, and the number it writes."""

    out_row: int  # position in the output map
    out_col: int
    top: int  # top-left corner in input coordinates (negative = inside the padding)
    left: int
    patch: np.ndarray = field(repr=False)  # (k, k) values under the kernel, padding included
    value: float  # sum(patch * kernel)


def _as_kernel(kernel: np.ndarray) -> np.ndarray:
    kernel = np.asarray(kernel, dtype=np.float64)
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] < 1:
        raise ConvError("bad_kernel", f"the kernel must be a square grid, got shape {kernel.shape}",
                        shape=kernel.shape)
    if not np.all(np.isfinite(kernel)):
        raise ConvError("kernel_not_finite", "every kernel cell needs a number")
    return kernel


def _as_image(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image, dtype=np.float64)
    if image.ndim != 2 or image.size == 0:
        raise ConvError("bad_image", f"the input must be one 2D grayscale image, got shape {image.shape}",
                        shape=image.shape)
    return image


def slide(image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0) -> Iterator[Window]:
    """Every position of the kernel over the image, row by row, with the dot product at each stop."""
    image, kernel = _as_image(image), _as_kernel(kernel)
    k = kernel.shape[0]
    rows, cols = output_shape(image.shape, k, stride, padding)
    padded = pad(image, padding)
    for i in range(rows):
        for j in range(cols):
            r, c = i * stride, j * stride  # top-left corner in the padded image
            patch = padded[r:r + k, c:c + k]
            yield Window(i, j, r - padding, c - padding, patch, float(np.sum(patch * kernel)))


def window_at(image: np.ndarray, kernel: np.ndarray, index: int, stride: int = 1, padding: int = 0) -> Window:
    """The `index`-th stop of `slide` (row-major), without walking through the ones before it."""
    image, kernel = _as_image(image), _as_kernel(kernel)
    k = kernel.shape[0]
    rows, cols = output_shape(image.shape, k, stride, padding)
    if not 0 <= index < rows * cols:
        raise IndexError(f"position {index} is outside 0..{rows * cols - 1}")
    i, j = divmod(index, cols)
    r, c = i * stride, j * stride
    patch = pad(image, padding)[r:r + k, c:c + k]
    return Window(i, j, r - padding, c - padding, patch, float(np.sum(patch * kernel)))


def conv2d(image: np.ndarray, kernel: np.ndarray, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Slide a k×k kernel over a 2D image: out[i, j] = sum(window(i, j) * kernel)."""
    image, kernel = _as_image(image), _as_kernel(kernel)
    out = np.zeros(output_shape(image.shape, kernel.shape[0], stride, padding))  # (rows, cols)
    for w in slide(image, kernel, stride, padding):
        out[w.out_row, w.out_col] = w.value
    return out


def conv2d_batch(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: int = 1,
                 padding: int = 0) -> np.ndarray:
    """Many images, many channels, many filters: x (N, C, H, W), weight (F, C, k, k) → (N, F, rows, cols).

    The same sliding window as `conv2d`; at each position every filter takes a dot product with the
    window across all input channels, plus its bias.
    """
    x, weight = np.asarray(x, dtype=np.float64), np.asarray(weight, dtype=np.float64)
    if x.ndim != 4 or weight.ndim != 4 or x.shape[1] != weight.shape[1] or weight.shape[2] != weight.shape[3]:
        raise ConvError("bad_shapes", f"need x (N, C, H, W) and weight (F, C, k, k) with the same C, "
                        f"got {x.shape} and {weight.shape}", x=x.shape, weight=weight.shape)
    k = weight.shape[2]
    rows, cols = output_shape(x.shape[2:], k, stride, padding)
    padded = pad(x, padding)  # (N, C, H + 2p, W + 2p)
    out = np.zeros((x.shape[0], weight.shape[0], rows, cols))  # (N, F, rows, cols)
    for i in range(rows):
        for j in range(cols):
            r, c = i * stride, j * stride
            window = padded[:, :, r:r + k, c:c + k]  # (N, C, k, k)
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, weight)
    if bias is not None:
        out += np.asarray(bias, dtype=np.float64)[None, :, None, None]
    return out


def dot_product_text(patch: np.ndarray, kernel: np.ndarray, decimals: int = 2) -> str:
    """The dot product written out, one kernel row per line: "0.50×1 + 0.00×(−1) + … = 1.25"."""
    def num(v: float) -> str:
        s = f"{v:.{decimals}f}"
        return (s[1:] if float(s) == 0 and s.startswith("-") else s).replace("-", "−")

    def factor(v: float) -> str:
        s = f"{v:.3g}".replace("-", "−")
        return f"({s})" if v < 0 else s

    lines = []
    for r in range(kernel.shape[0]):
        terms = " + ".join(f"{num(patch[r, c])}×{factor(kernel[r, c])}" for c in range(kernel.shape[1]))
        lines.append(("  " if r else "") + terms + (" +" if r < kernel.shape[0] - 1 else ""))
    return "\n".join(lines) + f"\n= {num(float(np.sum(patch * kernel)))}"


# ----------------------------------------------------------------------------- pooling


def pool2d(x: np.ndarray, size: int, stride: int | None, padding: int, reduce: str,
           count_include_pad: bool = True) -> np.ndarray:
    """Slide a size×size window over the last two axes and keep its max or its mean (reduce "max"/"avg")."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2 or x.size == 0:
        raise ConvError("bad_image", f"pooling needs at least a 2D array, got shape {x.shape}", shape=x.shape)
    stride = size if stride is None else stride  # PyTorch's default: windows side by side
    rows, cols = output_shape(x.shape[-2:], size, stride, padding)
    _check_pool_padding(size, padding)
    padded = pad(x, padding, -np.inf if reduce == "max" else 0.0)
    ones = pad(np.ones(x.shape[-2:]), padding)  # 1 on real pixels, 0 on padding: counts for the mean
    out = np.zeros(x.shape[:-2] + (rows, cols))
    for i in range(rows):
        for j in range(cols):
            r, c = i * stride, j * stride
            window = padded[..., r:r + size, c:c + size]
            if reduce == "max":
                out[..., i, j] = window.max(axis=(-2, -1))
            else:
                count = size * size if count_include_pad else ones[r:r + size, c:c + size].sum()
                out[..., i, j] = window.sum(axis=(-2, -1)) / count
    return out


def max_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None, padding: int = 0) -> np.ndarray:
    """Largest value of each size×size window (padding never wins: it counts as −∞). Shape (..., H, W)."""
    return pool2d(x, size, stride, padding, "max")


def avg_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None, padding: int = 0,
               count_include_pad: bool = True) -> np.ndarray:
    """Mean of each size×size window. Padding cells count as zeros in the mean when
    `count_include_pad` (PyTorch's default); otherwise only real pixels are averaged."""
    return pool2d(x, size, stride, padding, "avg", count_include_pad)


# ----------------------------------------------------------------------------- named kernels

_G5 = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1])
KERNELS: dict[str, np.ndarray] = {
    "identity_3": np.pad([[1.0]], 1),
    "identity_5": np.pad([[1.0]], 2),
    "box_blur_3": np.full((3, 3), 1 / 9),
    "box_blur_5": np.full((5, 5), 1 / 25),
    "gaussian_3": np.outer([1, 2, 1], [1, 2, 1]) / 16,
    "gaussian_5": _G5 / _G5.sum(),
    "sharpen_3": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=float),
    "sobel_x_3": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], dtype=float),  # bright on the right → positive
    "sobel_y_3": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], dtype=float),  # bright below → positive
    "laplacian_3": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=float),
    "laplacian_5": np.array([[0, 0, -1, 0, 0], [0, -1, -2, -1, 0], [-1, -2, 16, -2, -1],
                             [0, -1, -2, -1, 0], [0, 0, -1, 0, 0]], dtype=float),  # Laplacian of Gaussian
    "emboss_3": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]], dtype=float),
}


def kernel(name: str) -> np.ndarray:
    """A copy of a named kernel, e.g. "sobel_x_3" or "gaussian_5"."""
    if name not in KERNELS:
        raise ValueError(f"unknown kernel {name!r}; choose from {sorted(KERNELS)}")
    return KERNELS[name].copy()


# ----------------------------------------------------------------------------- images

MAX_FILE_BYTES = 20 * 1024 * 1024  # a photo is a few MB; more is not worth reading
MAX_SIDE = 4096  # refuse larger images from the header alone, before decoding a single pixel
MIN_SIDE = 5  # a 5×5 kernel must fit without padding
FORMATS = ("PNG", "JPEG")


def load_image(data: bytes, max_side: int = 64, invert: bool = False) -> np.ndarray:
    """Bytes of a PNG/JPG → grayscale float array in [0, 1], shrunk so its longer side is ≤ `max_side`.

    Transparent pixels become white. With `invert`, dark ink on light paper becomes bright on dark
    like the MNIST digits. Raises ConvError (not_image, too_large, too_small, corrupt) with a reason.
    """
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ConvError("empty_file", "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ConvError("file_too_big", f"the file is {len(data) / 2**20:.0f} MB; the limit is "
                        f"{MAX_FILE_BYTES // 2**20} MB", mb=round(len(data) / 2**20), limit=MAX_FILE_BYTES // 2**20)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=FORMATS)  # lazy: reads the header only
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            ValueError, SyntaxError) as exc:
        raise ConvError("not_image", f"this file is not a PNG or JPG image ({type(exc).__name__})") from exc
    width, height = img.size
    if max(width, height) > MAX_SIDE:
        raise ConvError("too_large", f"the image is {width}×{height} pixels; the limit is {MAX_SIDE} per side",
                        width=width, height=height, limit=MAX_SIDE)
    if min(width, height) < MIN_SIDE:
        raise ConvError("too_small", f"the image is only {width}×{height} pixels; it needs at least "
                        f"{MIN_SIDE}×{MIN_SIDE}", width=width, height=height, limit=MIN_SIDE)
    try:
        if img.format == "JPEG":
            img.draft("L", (max_side, max_side))  # let the JPEG decoder skip detail we would throw away
        img.load()
        img = _to_gray(img)
        scale = max_side / max(img.size)
        if scale < 1:
            size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
            img = img.resize(size, Image.Resampling.LANCZOS)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ConvError("corrupt", f"the image could not be decoded ({exc})") from exc
    gray = np.asarray(img, dtype=np.float64) / 255.0  # (H, W) in [0, 1]
    return 1.0 - gray if invert else gray


def _to_gray(img):  # noqa: ANN001, ANN202 (PIL types stay out of the signatures)
    """Any PIL mode → 8-bit grayscale "L"; transparency is laid over white, 16-bit depth is rescaled."""
    from PIL import Image

    if img.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") else max(float(arr.max()), 1.0)
        return Image.fromarray(np.clip(arr / top * 255, 0, 255).astype(np.uint8))
    if img.mode == "P" or "A" in img.mode or "transparency" in img.info:
        img = img.convert("RGBA")
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img)
    return img.convert("L")


def shift(image: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Move the picture dx pixels right and dy pixels down; what slides in from the edge is 0."""
    image = np.asarray(image)
    out = np.zeros_like(image)
    h, w = image.shape[-2:]
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_r, dst_r = slice(max(0, -dy), h - max(0, dy)), slice(max(0, dy), h - max(0, -dy))
    src_c, dst_c = slice(max(0, -dx), w - max(0, dx)), slice(max(0, dx), w - max(0, -dx))
    out[..., dst_r, dst_c] = image[..., src_r, src_c]
    return out


# ----------------------------------------------------------------------------- comparing maps


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), cell by cell: what a CNN applies to a feature map before pooling."""
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two maps: 1 = same pattern, 0 = nothing in common."""
    a, b = np.ravel(a).astype(np.float64), np.ravel(b).astype(np.float64)
    norm = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b / norm) if norm > 0 else float(np.array_equal(a, b))


@dataclass(frozen=True)
class ShiftReport:
    """How much a feature map changes when the input moves, before and after pooling."""

    map_a: np.ndarray  # feature map of the original (conv + ReLU)
    map_b: np.ndarray  # feature map of the shifted input
    pooled_a: np.ndarray
    pooled_b: np.ndarray
    similarity_before: float  # cosine similarity of the two feature maps
    similarity_after: float  # ... and of the two pooled maps


def shift_report(image: np.ndarray, kernel: np.ndarray, dx: int, dy: int, pool: str = "max", size: int = 2,
                 stride: int | None = None) -> ShiftReport:
    """Shift the image, run conv (padding keeps the size) + ReLU + pooling on both, and compare."""
    kernel = _as_kernel(kernel)
    same = kernel.shape[0] // 2
    pool_fn = max_pool2d if pool == "max" else avg_pool2d
    map_a = relu(conv2d(image, kernel, 1, same))
    map_b = relu(conv2d(shift(image, dx, dy), kernel, 1, same))
    pooled_a, pooled_b = pool_fn(map_a, size, stride), pool_fn(map_b, size, stride)
    return ShiftReport(map_a, map_b, pooled_a, pooled_b, similarity(map_a, map_b), similarity(pooled_a, pooled_b))
