"""Integer arguments of the routines (sections, indices, shifts, reps, repeats, k, offsets, pad
widths, sizes) are checked, never truncated by ``int()``: ``split(x, [1.5])`` cut at 1,
``tril(x, 0.5)`` used k=0, ``chunk(x, 1.5)`` made one chunk; ``roll(x, 1.5)`` failed with
"'float' object is not iterable", ``arange(0, 3, 0)`` with ZeroDivisionError, and moveaxis,
unflatten and masked_fill blamed transpose, reshape and where. Each error names the routine."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

X = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)

NOT_INTEGERS = {  # routine -> call with a bad value v
    "split": lambda v: ag.split(X, [v], axis=1),
    "array_split": lambda v: ag.array_split(X, [1, v], axis=1),
    "chunk": lambda v: ag.chunk(X, v),
    "tensor_split": lambda v: ag.tensor_split(X, [v]),
    "roll": lambda v: ag.roll(X, v, 0),
    "tile": lambda v: ag.tile(X, (1, v)),
    "repeat": lambda v: ag.repeat(X, v, 0),
    "tril": lambda v: ag.tril(X, v),
    "triu": lambda v: ag.triu(X, v),
    "diag": lambda v: ag.diag(X, v),
    "diagonal": lambda v: ag.diagonal(X, v),
    "pad": lambda v: ag.pad(X, v),
}


@pytest.mark.parametrize("value", [1.5, 0.5, "1", None], ids=repr)
@pytest.mark.parametrize("name", sorted(NOT_INTEGERS))
def test_non_integer_arguments_are_a_type_error_naming_the_routine(name, value):
    if name in ("split", "array_split", "tensor_split") and value is None:
        pytest.skip("None inside an index list is numpy's 'to the end' slice bound")
    with pytest.raises(TypeError, match=rf"^{name}: "):
        NOT_INTEGERS[name](value)


@pytest.mark.parametrize("value", [1.0, np.float64(2.0), Tensor([1.0, 2.0])], ids=repr)
def test_whole_float_repeats_still_work(value):
    out = ag.repeat(X, value, 0)
    np.testing.assert_array_equal(
        out.data, np.repeat(X.data, np.asarray(ag.Tensor(value).data).astype(int), 0)
    )


BAD_VALUES = {
    "tile": lambda: ag.tile(X, -1),
    "repeat": lambda: ag.repeat(X, -1),
    "arange": lambda: ag.arange(0, 3, 0),
    "moveaxis": lambda: ag.moveaxis(X, [0, 1], [0]),
    "moveaxis repeated": lambda: ag.moveaxis(X, [0, 0], [0, 1]),
    "unflatten": lambda: ag.unflatten(X, 1, (2, 2)),
    "unflatten -1": lambda: ag.unflatten(X, 1, (2, -1)),
    "masked_fill": lambda: ag.masked_fill(X, np.array([True, False, True, False]), 0.0),
    "masked_fill larger": lambda: ag.masked_fill(X, np.ones((4, 2, 3), bool), 0.0),
    "diagonal": lambda: ag.diagonal(X, 0, 1, -1),
}


@pytest.mark.parametrize("label", sorted(BAD_VALUES))
def test_bad_values_are_a_value_error_naming_the_routine(label):
    with pytest.raises(ValueError, match=rf"^{label.split()[0]}: "):
        BAD_VALUES[label]()


def test_good_arguments_still_match_numpy():
    a = X.data
    assert [t.shape for t in ag.split(X, np.array([1, 2]), axis=1)] == [(2, 1), (2, 1), (2, 1)]
    np.testing.assert_array_equal(ag.roll(X, (1, 2), (0, 1)).data, np.roll(a, (1, 2), (0, 1)))
    np.testing.assert_array_equal(ag.tril(X, np.int64(1)).data, np.tril(a, 1))
    np.testing.assert_array_equal(ag.pad(X, np.int32(1)).data, np.pad(a, 1))
    assert ag.unflatten(X, 1, (3, -1)).shape == (2, 3, 1)
    assert ag.moveaxis(X, [0, 1], [1, 0]).shape == (3, 2)
