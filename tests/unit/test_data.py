"""Data generators: shapes, balance, seeds, the fixed MNIST split, distinguishable characters."""

import numpy as np
import pytest

from dlcore import data


@pytest.mark.parametrize("kind", sorted(data.TOYS))
def test_toy_sets_shapes_balance_and_seed(kind):
    ds = data.toy2d(kind, n=400, noise=0.2, test_ratio=0.25, seed=3)
    assert ds.x_train.shape == (300, 2) and ds.x_test.shape == (100, 2)
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int64
    labels = np.concatenate([ds.y_train, ds.y_test])
    assert abs(labels.mean() - 0.5) < 0.1
    again = data.toy2d(kind, n=400, noise=0.2, test_ratio=0.25, seed=3)
    assert np.array_equal(ds.x_train, again.x_train) and np.array_equal(ds.y_test, again.y_test)
    other = data.toy2d(kind, n=400, noise=0.2, test_ratio=0.25, seed=4)
    assert not np.array_equal(ds.x_train, other.x_train)
    assert np.abs(ds.x_train).max() < 12


def test_bad_toy_arguments_are_refused():
    for kwargs in ({"kind": "donut"}, {"kind": "xor", "noise": 2.0}, {"kind": "xor", "n": 1},
                   {"kind": "xor", "test_ratio": 1.0}):
        with pytest.raises(ValueError):
            data.toy2d(**kwargs)


def test_curve_is_regression():
    ds = data.curve(n=40, seed=0)
    assert not ds.is_classification and ds.x_train.shape[1:] == (1,) and ds.y_train.shape[1:] == (1,)


def test_mnist_real_digits_fixed_split_and_cache(tmp_path, monkeypatch):
    ds = data.mnist()
    assert ds.x_train.shape == (4000, 1, 28, 28) and ds.x_test.shape == (1000, 1, 28, 28)
    assert 0.0 <= ds.x_train.min() and ds.x_train.max() <= 1.0
    assert set(np.unique(ds.y_test)) == set(range(10))
    assert np.array_equal(data.mnist().y_test, ds.y_test)  # the held-out set never changes


def test_mnist_cache_file_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("DLCORE_CACHE", str(tmp_path))
    data._mnist_arrays.cache_clear()
    try:
        x, _ = data._mnist_arrays()
        assert (tmp_path / "mnist5000.npz").exists()
        data._mnist_arrays.cache_clear()
        x2, _ = data._mnist_arrays()  # now from the .npz
        assert np.array_equal(x, x2)
    finally:
        data._mnist_arrays.cache_clear()


def test_digits8():
    ds = data.digits8()
    assert ds.x_train.shape[1:] == (1, 8, 8) and len(ds.classes) == 10


def test_characters_shapes_balance_and_seed():
    ds = data.characters(n_per_class=20, size=16, seed=1)
    assert len(ds.classes) >= 8 and "田" in ds.classes
    assert ds.x_train.shape[1:] == (1, 16, 16)
    counts = np.bincount(np.concatenate([ds.y_train, ds.y_test]))
    assert (counts == 20).all()
    assert np.array_equal(ds.x_train, data.characters(n_per_class=20, size=16, seed=1).x_train)
    assert not np.array_equal(ds.x_train, data.characters(n_per_class=20, size=16, seed=2).x_train)


def test_characters_are_distinguishable():
    """Nearest class mean (no learning at all) already tells the characters apart well."""
    train = data.characters(n_per_class=60, seed=0)
    test = data.characters(n_per_class=20, seed=9)
    x = train.x_train.reshape(len(train.x_train), -1)
    means = np.stack([x[train.y_train == k].mean(0) for k in range(len(train.classes))])
    xt = np.concatenate([test.x_train, test.x_test]).reshape(-1, means.shape[1])
    yt = np.concatenate([test.y_train, test.y_test])
    pred = ((xt[:, None] - means[None]) ** 2).sum(-1).argmin(1)
    assert (pred == yt).mean() > 0.7
    # and no two characters draw the same clean picture
    clean = np.stack([data.draw_strokes(data.CHARACTER_STROKES[c], 16, 0.1) for c in data.CHARACTERS])
    dist = ((clean[:, None] - clean[None]) ** 2).sum((-1, -2))
    assert dist[~np.eye(len(clean), dtype=bool)].min() > 1.0


def test_unknown_character_is_refused():
    with pytest.raises(ValueError):
        data.characters(chars=("田", "龍"))
