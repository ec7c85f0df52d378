"""to_categorical (Keras semantics) and mini-batches (Keras fit's epoch order)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasets.utils import Batches, batches, to_categorical


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --- to_categorical -------------------------------------------------------------------------


def test_to_categorical_of_a_list_is_float32_one_hot_with_max_plus_one_classes():
    out = to_categorical([0, 2, 1, 2])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.eye(3, dtype=np.float32)[[0, 2, 1, 2]])


def test_explicit_num_classes_adds_zero_columns():
    out = to_categorical(np.array([1, 0]), num_classes=4)
    np.testing.assert_array_equal(out, [[0, 1, 0, 0], [1, 0, 0, 0]])


def test_mnist_labels_give_a_60000_by_10_matrix():
    labels = np.arange(60000, dtype=np.uint8) % 10
    out = to_categorical(labels)
    assert out.shape == (60000, 10) and out.dtype == np.float32
    np.testing.assert_array_equal(out.argmax(axis=1), labels)


def test_trailing_axis_of_size_one_is_replaced_like_keras():
    assert to_categorical(np.array([[1], [0], [2]])).shape == (3, 3)


def test_one_hot_axis_is_appended_to_any_shape():
    labels = np.array([[0, 1, 2], [2, 1, 0]])
    out = to_categorical(labels)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.argmax(axis=-1), labels)


def test_scalar_label_gives_a_vector():
    np.testing.assert_array_equal(to_categorical(2, num_classes=3), [0, 0, 1])


def test_whole_float_labels_are_accepted():
    np.testing.assert_array_equal(to_categorical(np.array([1.0, 0.0])), [[0, 1], [1, 0]])


def test_dtype_can_be_chosen():
    assert to_categorical([1], dtype=np.float64).dtype == np.float64


def test_empty_labels_with_num_classes_give_an_empty_matrix():
    assert to_categorical(np.array([], np.int64), num_classes=10).shape == (0, 10)


def test_empty_labels_without_num_classes_are_an_error():
    with pytest.raises(ValueError, match="cannot infer num_classes"):
        to_categorical([])


def test_negative_label_is_an_error_naming_it():
    with pytest.raises(ValueError, match="must be >= 0, got -1"):
        to_categorical([0, -1, 2])


def test_label_not_below_num_classes_is_an_error_naming_both():
    with pytest.raises(ValueError, match="label 10 is out of range for num_classes=10"):
        to_categorical([3, 10], num_classes=10)


@pytest.mark.parametrize("labels", [[0.5, 1.0], [np.nan], [np.inf]])
def test_non_integer_float_labels_are_an_error(labels):
    with pytest.raises(ValueError, match="whole numbers"):
        to_categorical(np.array(labels))


@pytest.mark.parametrize("labels", [["a", "b"], [True, False], [1 + 2j]])
def test_non_numeric_labels_are_an_error_naming_the_dtype(labels):
    with pytest.raises(ValueError, match="must be integers, got dtype"):
        to_categorical(labels)


@pytest.mark.parametrize("num_classes", [0, -3, 2.5, "10", True])
def test_bad_num_classes_is_an_error(num_classes):
    with pytest.raises(ValueError, match="num_classes must be"):
        to_categorical([0, 1], num_classes=num_classes)


@given(st.lists(st.integers(0, 20), min_size=1, max_size=50))
def test_each_row_has_a_single_one_at_its_label(labels):
    out = to_categorical(labels)
    assert out.shape == (len(labels), max(labels) + 1)
    np.testing.assert_array_equal(out.sum(axis=1), 1)
    np.testing.assert_array_equal(out.argmax(axis=1), labels)


# --- batches --------------------------------------------------------------------------------


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
