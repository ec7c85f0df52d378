"""nn.data.batches: the one mini-batch iterator (Keras fit's epoch order), for fit and for
define-by-run loops."""

from __future__ import annotations

import numpy as np
import pytest

import datasets.utils
from autograd import manual_seed
from nn.data import Batches, batches


@pytest.fixture(scope="module")
def mnist_sized() -> np.ndarray:
    return np.zeros((60000, 1), np.uint8)


def test_60000_samples_in_batches_of_128_give_469_batches_the_last_of_96(mnist_sized):
    epoch = batches(mnist_sized, batch_size=128, seed=0)
    sizes = [len(b) for b in epoch]
    assert len(epoch) == len(sizes) == 469
    assert sizes[:-1] == [128] * 468 and sizes[-1] == 96


def test_each_sample_appears_exactly_once_per_epoch():
    x = np.arange(1000)
    epoch = Batches(x, batch_size=64, seed=1)
    for _ in range(2):
        seen = np.concatenate(list(epoch))
        np.testing.assert_array_equal(np.sort(seen), x)


def test_every_epoch_is_shuffled_afresh():
    epoch = Batches(np.arange(1000), batch_size=100, seed=2)
    first, second = np.concatenate(list(epoch)), np.concatenate(list(epoch))
    assert not np.array_equal(first, np.arange(1000))
    assert not np.array_equal(first, second)


def test_same_seed_gives_the_same_order_across_epochs():
    runs = [Batches(np.arange(500), batch_size=50, seed=7) for _ in range(2)]
    for _ in range(3):
        a, b = (np.concatenate(list(run)) for run in runs)
        np.testing.assert_array_equal(a, b)


def test_different_seeds_give_different_orders():
    a = np.concatenate(list(Batches(np.arange(500), seed=1)))
    b = np.concatenate(list(Batches(np.arange(500), seed=2)))
    assert not np.array_equal(a, b)


def test_a_generator_can_be_passed_as_seed():
    a = np.concatenate(list(Batches(np.arange(50), seed=np.random.default_rng(3))))
    b = np.concatenate(list(Batches(np.arange(50), seed=3)))
    np.testing.assert_array_equal(a, b)


def test_x_and_y_stay_paired_after_shuffling():
    x = np.arange(300).reshape(100, 3)
    y = np.arange(100) * 10
    for xb, yb in batches(x, y, batch_size=16, seed=0):
        np.testing.assert_array_equal(xb[:, 0] // 3 * 10, yb)


def test_without_shuffle_batches_are_in_order_and_are_views():
    x = np.arange(10)
    out = list(batches(x, batch_size=4, shuffle=False))
    assert [b.tolist() for b in out] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert all(np.shares_memory(b, x) for b in out)


def test_shuffled_batches_are_copies_not_views_of_x():
    # One copy per batch: writing into a batch must not touch the data set.
    x = np.zeros((10, 2))
    for xb in batches(x, batch_size=3, seed=0):
        xb += 1
    assert not x.any()


def test_batch_larger_than_the_data_gives_one_batch():
    epoch = batches(np.arange(5), np.arange(5), batch_size=128, seed=0)
    out = list(epoch)
    assert len(epoch) == len(out) == 1
    assert sorted(out[0][0].tolist()) == [0, 1, 2, 3, 4]


def test_without_y_batches_are_arrays_not_tuples():
    (xb,) = list(batches(np.ones((3, 2)), batch_size=3))
    assert isinstance(xb, np.ndarray) and xb.shape == (3, 2)


def test_empty_data_gives_no_batches():
    epoch = batches(np.zeros((0, 3)), batch_size=4)
    assert len(epoch) == 0 and list(epoch) == []


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, "32", None, True])
def test_batch_size_must_be_a_positive_int(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        batches(np.zeros(4), batch_size=batch_size)


def test_numpy_integer_batch_size_is_accepted():
    assert len(batches(np.zeros(10), batch_size=np.int64(4))) == 3


def test_x_and_y_of_different_lengths_is_an_error_naming_both():
    with pytest.raises(ValueError, match="x has 10, y has 9"):
        batches(np.zeros(10), np.zeros(9))


def test_scalar_x_is_an_error():
    with pytest.raises(ValueError, match="samples axis"):
        batches(np.float32(1.0))


def test_datasets_no_longer_has_a_second_batch_iterator():
    assert not hasattr(datasets.utils, "batches") and not hasattr(datasets.utils, "Batches")


def test_reused_buffer_gives_the_same_batches_as_fresh_copies():
    x, y = np.arange(200).reshape(100, 2), np.arange(100)
    fresh = [(xb.copy(), yb.copy()) for xb, yb in Batches(x, y, 16, seed=4)]
    reused_epoch = Batches(x, y, 16, seed=4, reuse_buffer=True)
    reused = [(xb.copy(), yb.copy()) for xb, yb in reused_epoch]
    for (a, b), (c, d) in zip(fresh, reused, strict=True):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    first = [xb for xb, _ in reused_epoch][0]
    second = [xb for xb, _ in reused_epoch][0]
    assert np.shares_memory(first, second)  # one buffer for the whole run


@pytest.mark.parametrize("seed", [0, 5, 11])
def test_without_a_seed_the_order_follows_autograd_manual_seed(seed):
    manual_seed(seed)
    a = np.concatenate(list(batches(np.arange(300), batch_size=7)))
    manual_seed(seed)
    b = np.concatenate(list(batches(np.arange(300), batch_size=7)))
    np.testing.assert_array_equal(a, b)
    assert sorted(a.tolist()) == list(range(300))
