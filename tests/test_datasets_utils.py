"""to_categorical (Keras semantics); mini-batches are tested in test_nn_data.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from datasets.utils import to_categorical


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
