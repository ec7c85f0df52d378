"""Values that are not real numbers (None, strings, bytes, objects, complex) are a TypeError
naming the dtype or value at every entry point, never NaN, parsed text, a cut graph or a
silently dropped imaginary part."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

NOT_NUMBERS = {
    "None": None,
    "list with None": [1.0, None, 3.0],
    "strings": ["1", "2"],
    "string": "1",
    "bytes": b"1",
    "object array": np.array([1.0, 2.0], dtype=object),
    "complex array": np.array([1.0 + 2.0j, 3.0]),
    "complex number": 1.0 + 2.0j,
    "dict": {"a": 1},
}
EXPECTED = {
    "None": "object",
    "list with None": "object",
    "strings": "string",
    "string": "string",
    "bytes": "bytes",
    "object array": "object",
    "complex array": "complex",
    "complex number": "complex",
    "dict": "object",
}


def _entry_points(value):
    x = Tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    return {
        "Tensor()": lambda: Tensor(value),
        "as_tensor": lambda: autograd.as_tensor(value),
        "tensor + value": lambda: x + value,
        "value + tensor": lambda: value + x,
        "loss * value": lambda: loss * value,
        "value - loss": lambda: value - loss,
        "tensor ** value": lambda: x**value,
        "maximum": lambda: autograd.maximum(x, value),
        "where": lambda: autograd.where(x > 1, x, value),
        "concat": lambda: autograd.concat([x, value]),
        "add_ under no_grad": lambda: Tensor([1.0, 2.0]).add_(value),
    }


@pytest.mark.parametrize("name", sorted(NOT_NUMBERS))
def test_values_that_are_not_numbers_raise_type_error_at_every_entry_point(name):
    value = NOT_NUMBERS[name]
    for entry, call in _entry_points(value).items():
        with pytest.raises(TypeError, match=f"expected real numbers, got {EXPECTED[name]}") as e:
            call()
        assert "from" in str(e.value), (name, entry)


def test_the_message_shows_the_odd_value():
    with pytest.raises(TypeError, match=r"object values \(e.g. None\) from \[1.0, None, 3.0\]"):
        Tensor([1.0, None, 3.0])


def test_real_numbers_of_every_kind_are_still_accepted():
    for value in [1, 2.5, True, [1, 2], [[1.0], [2.0]], np.int8(3), np.arange(3), np.bool_(True)]:
        assert Tensor(value).dtype.kind in "biuf"
        assert (Tensor([1.0]) + value).dtype.kind in "biuf"
