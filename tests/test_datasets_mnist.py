"""MNIST as Keras gives it, from the real files; and no derived array is ever trusted.

Real-data tests look for the files in ``$CHAINRULE_DATA/mnist`` (CI points it at the shared
data folder), else in ``../shared/data/mnist`` beside the project, and skip when absent.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from datasets import fashion_mnist, mnist
from datasets._fetch import PinnedFile, cache_dir
from datasets.idx import read_idx
from datasets.mnist import IDXDataset, load_idx_dataset

NAMES = [f.name for f in mnist.MNIST.files]
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _find_real_mnist() -> Path | None:
    candidates = [Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"]
    if os.environ.get("CHAINRULE_DATA"):
        candidates.insert(0, Path(os.environ["CHAINRULE_DATA"]) / "mnist")
    for folder in candidates:
        if all((folder / name).is_file() for name in NAMES):
            return folder
    return None


REAL_MNIST = _find_real_mnist()
needs_real_mnist = pytest.mark.skipif(
    REAL_MNIST is None,
    reason="real MNIST gz files not found: set CHAINRULE_DATA to a folder holding mnist/",
)


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    """One temporary user cache for the module, so MNIST is decompressed only once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _private_cache(shared_cache, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))


@pytest.fixture(scope="module")
def real(shared_cache):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(shared_cache))
        return mnist.load_data(REAL_MNIST)


# --- real MNIST -----------------------------------------------------------------------------


@needs_real_mnist
def test_shapes_and_dtypes_match_keras(real):
    (x_train, y_train), (x_test, y_test) = real
    assert (x_train.shape, y_train.shape) == ((60000, 28, 28), (60000,))
    assert (x_test.shape, y_test.shape) == ((10000, 28, 28), (10000,))
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}


@needs_real_mnist
def test_first_train_label_is_5_and_first_test_label_is_7(real):
    (_, y_train), (_, y_test) = real
    assert y_train[0] == 5 and y_test[0] == 7


@needs_real_mnist
def test_class_counts_match_the_published_ones(real):
    (_, y_train), (_, y_test) = real
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS


@needs_real_mnist
def test_pixel_statistics_match_the_well_known_normalisation_constants(real):
    (x_train, _), _ = real
    assert x_train.min() == 0 and x_train.max() == 255
    # Mean and mean square with float64 accumulators, without a float copy of 47M pixels.
    mean = x_train.mean(dtype=np.float64) / 255
    mean_square = np.square(x_train, dtype=np.uint16).mean(dtype=np.float64) / 255**2
    std = np.sqrt(mean_square - mean**2)
    # 0.1307 and 0.3081 are the mean and std used by countless MNIST examples.
    assert abs(mean - 0.1307) < 5e-5 and abs(std - 0.3081) < 5e-5


@needs_real_mnist
def test_loading_through_chainrule_data_gives_the_same_arrays(real, monkeypatch):
    monkeypatch.setenv("CHAINRULE_DATA", str(REAL_MNIST.parent))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    for got, want in zip((x_train, y_train, x_test, y_test), (*real[0], *real[1])):
        assert np.array_equal(got, want)  # much faster than assert_array_equal on 47 MB


def old_cache_path(dataset: str, pinned: PinnedFile) -> Path:
    """Where versions up to 97f10d0 cached a decompressed array (trusted on shape alone)."""
    return cache_dir(dataset) / f"{pinned.name.removesuffix('.gz')}.{pinned.sha256[:16]}.npy"


@needs_real_mnist
def test_loading_from_a_folder_writes_nothing_anywhere(real, shared_cache):
    mnist.load_data(REAL_MNIST)
    assert not cache_dir("mnist").exists()  # no derived arrays in the user cache
    assert sorted(os.listdir(REAL_MNIST)) == sorted(NAMES)  # nothing written beside the data


@needs_real_mnist
def test_arrays_planted_where_the_old_cache_kept_them_are_not_returned(real):
    # The two faults of a cache trusted on dtype and shape: damaged in place, swapped.
    (x_train, y_train), _ = real
    planted = {
        mnist.MNIST.train_labels: np.roll(y_train, 1),
        mnist.MNIST.train_images: np.where(x_train == 0, 255, x_train).astype(np.uint8),
    }
    for pinned, array in planted.items():
        old_cache_path("mnist", pinned).parent.mkdir(parents=True, exist_ok=True)
        np.save(old_cache_path("mnist", pinned), array)
    (x_got, y_got), _ = mnist.load_data(REAL_MNIST)
    assert np.array_equal(y_got, read_idx(REAL_MNIST / NAMES[1]))
    assert np.array_equal(x_got, read_idx(REAL_MNIST / NAMES[0]))
    assert y_got[0] == 5


@needs_real_mnist
def test_returned_arrays_are_writable_like_keras(real):
    (x_train, _), _ = mnist.load_data(REAL_MNIST)
    x_train[0, 0, 0] = 1  # a read-only (e.g. frombuffer) array would raise here
    (x_again, _), _ = mnist.load_data(REAL_MNIST)
    assert x_again[0, 0, 0] == 0  # and changing one load does not change the next


@needs_real_mnist
def test_real_files_pass_their_pinned_checksums():
    for pinned in mnist.MNIST.files:
        digest = hashlib.sha256((REAL_MNIST / pinned.name).read_bytes()).hexdigest()
        assert digest == pinned.sha256
        assert (REAL_MNIST / pinned.name).stat().st_size == pinned.size


# --- the decompressed-array cache, on a tiny synthetic data set ----------------------------


def _idx_gz(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


@pytest.fixture
def tiny(tmp_path, monkeypatch) -> tuple[IDXDataset, Path, list[np.ndarray]]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rng = np.random.default_rng(1)
    arrays = [
        rng.integers(0, 256, (5, 3, 3), dtype=np.uint8),
        rng.integers(0, 10, 5, dtype=np.uint8),
        rng.integers(0, 256, (2, 3, 3), dtype=np.uint8),
        rng.integers(0, 10, 2, dtype=np.uint8),
    ]
    folder = tmp_path / "data"
    folder.mkdir()
    pinned = []
    for name, array in zip(NAMES, arrays):
        blob = _idx_gz(array)
        (folder / name).write_bytes(blob)
        pinned.append(PinnedFile(name, hashlib.sha256(blob).hexdigest(), len(blob)))
    spec = IDXDataset("tiny", *pinned, mirrors=(), image_shape=(3, 3))
    return spec, folder, arrays


def _flat(result) -> list[np.ndarray]:
    (a, b), (c, d) = result
    return [a, b, c, d]


def test_unwritable_cache_does_not_break_loading(tiny, tmp_path, monkeypatch):
    spec, folder, arrays = tiny
    blocker = tmp_path / "blocker"
    blocker.write_text("")  # a file where the cache folder should be: unwritable even for root
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    for got, want in zip(_flat(load_idx_dataset(spec, folder)), arrays):
        np.testing.assert_array_equal(got, want)


def _damaged_in_place(array: np.ndarray) -> np.ndarray:
    damaged = array.copy()
    damaged.flat[0] ^= 0xFF
    return damaged


def _swapped(array: np.ndarray) -> np.ndarray:  # another array of the same shape and dtype
    return np.random.default_rng(7).integers(0, 256, array.shape, dtype=np.uint8)


@pytest.mark.parametrize("spoil", [_damaged_in_place, _swapped, np.zeros_like])
def test_loader_returns_a_fresh_parse_whatever_lies_in_the_user_cache(tiny, spoil):
    spec, folder, arrays = tiny
    for pinned, array in zip(spec.files, arrays):
        old_cache_path("tiny", pinned).parent.mkdir(parents=True, exist_ok=True)
        np.save(old_cache_path("tiny", pinned), spoil(array))
    for got, name, want in zip(_flat(load_idx_dataset(spec, folder)), NAMES, arrays):
        np.testing.assert_array_equal(got, read_idx(folder / name))
        np.testing.assert_array_equal(got, want)


def test_loading_writes_no_file_into_the_user_cache(tiny):
    spec, folder, _ = tiny
    load_idx_dataset(spec, folder)
    assert not cache_dir("tiny").exists()


def test_labels_that_do_not_match_the_image_count_are_rejected(tiny):
    spec, folder, _ = tiny
    blob = _idx_gz(np.zeros(4, np.uint8))  # 4 labels for 5 images
    (folder / NAMES[1]).write_bytes(blob)
    pinned = PinnedFile(NAMES[1], hashlib.sha256(blob).hexdigest(), len(blob))
    spec = dataclasses.replace(spec, train_labels=pinned)
    with pytest.raises(ValueError, match="dimension 0 is 4, expected 5"):
        load_idx_dataset(spec, folder)


def test_fashion_mnist_has_ten_class_names_and_its_own_folder():
    assert len(fashion_mnist.CLASS_NAMES) == 10 and fashion_mnist.CLASS_NAMES[0] == "T-shirt/top"
    assert fashion_mnist.FASHION_MNIST.name == "fashion-mnist"
    assert {f.sha256 for f in fashion_mnist.FASHION_MNIST.files}.isdisjoint(
        f.sha256 for f in mnist.MNIST.files
    )
