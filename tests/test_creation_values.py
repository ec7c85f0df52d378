"""Creation routines refuse values that are not real numbers (issue 9, item 9, replayed on the
new routines): ``full_like(t, None)`` gave NaN, a complex fill value lost its imaginary part
with only a warning, ``arange(None)`` gave an empty tensor. A float fill given as a numpy
0-d array or scalar gives a float tensor (it was truncated into int64)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

NOT_NUMBERS = [None, "x", "1.5", 1j, np.array([1 + 2j]), object(), np.array([1.0, None])]
CALLS = {
    "full": lambda v: ag.full((2, 2), v),
    "full_like": lambda v: ag.full_like(Tensor([1.0, 2.0]), v),
    "arange end": lambda v: ag.arange(v),
    "arange stop": lambda v: ag.arange(0, v),
    "arange step": lambda v: ag.arange(0, 3, v),
    "linspace start": lambda v: ag.linspace(v, 1.0, 3),
    "linspace stop": lambda v: ag.linspace(0.0, v, 3),
}


@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
@pytest.mark.parametrize("label", sorted(CALLS))
def test_creation_refuses_values_that_are_not_numbers(label, value):
    if label == "arange stop" and value is None:
        pytest.skip("arange(0, None) is numpy's arange(0): None means 'no stop given'")
    name = label.split()[0]
    with pytest.raises(TypeError, match=rf"^{name}: \w+ must be a real number, got "):
        CALLS[label](value)


@pytest.mark.parametrize("fill", [2.5, np.float64(2.5), np.array(2.5), np.float16(2.5)])
def test_float_fill_values_make_float32_not_truncated_integers(fill):
    for made in (ag.full((3,), fill), ag.full(3, fill)):
        assert made.dtype == np.float32
        assert made.tolist() == [2.5, 2.5, 2.5]


@pytest.mark.parametrize("fill, dtype", [(3, np.int64), (True, np.bool_), (np.int32(3), np.int64)])
def test_integer_and_bool_fills_keep_their_kind(fill, dtype):
    assert ag.full((2,), fill).dtype == dtype
