"""Every routine's out-of-range axis error names the routine, never just "axis" (the kind:
an axis helper called without the public function's name)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, linalg

X = Tensor(np.arange(6.0).reshape(2, 3))
IDX = np.zeros((2, 3), dtype=np.int64)

CASES = {
    "flip": lambda a: ag.flip(X, a),
    "roll": lambda a: ag.roll(X, 1, a),
    "repeat": lambda a: ag.repeat(X, 2, a),
    "split": lambda a: ag.split(X, 1, a),
    "array_split": lambda a: ag.array_split(X, 2, a),
    "chunk": lambda a: ag.chunk(X, 2, a),
    "tensor_split": lambda a: ag.tensor_split(X, 2, a),
    "moveaxis": lambda a: ag.moveaxis(X, a, 0),
    "unflatten": lambda a: ag.unflatten(X, a, (3, 1)),
    "diagonal": lambda a: ag.diagonal(X, 0, a, 0),
    "trace": lambda a: ag.trace(X, 0, 0, a),
    "prod": lambda a: ag.prod(X, a),
    "var": lambda a: ag.var(X, a),
    "std": lambda a: ag.std(X, a),
    "any": lambda a: ag.any(X, a),
    "all": lambda a: ag.all(X, a),
    "cumsum": lambda a: ag.cumsum(X, a),
    "cumprod": lambda a: ag.cumprod(X, a),
    "logcumsumexp": lambda a: ag.logcumsumexp(X, a),
    "take_along_axis": lambda a: ag.take_along_axis(X, IDX, a),
    "gather": lambda a: ag.gather(X, a, IDX),
    "scatter": lambda a: ag.scatter(X, a, IDX, 1.0),
    "scatter_add": lambda a: ag.scatter_add(X, a, IDX, 1.0),
    "put_along_axis": lambda a: ag.put_along_axis(X, IDX, 1.0, a),
    "index_add": lambda a: ag.index_add(X, a, np.array([0]), Tensor(np.ones((1, 3)))),
    "norm": lambda a: linalg.norm(X, axis=a),
}


@pytest.mark.parametrize("axis", [2, -3, 7])
@pytest.mark.parametrize("name", sorted(CASES))
def test_out_of_range_axis_error_names_the_routine(name, axis):
    with pytest.raises(IndexError) as caught:
        CASES[name](axis)
    message = str(caught.value)
    assert message.startswith(f"{name}"), message
    assert f"axis {axis} is out of bounds for array of dimension 2" in message


@pytest.mark.parametrize("name", ["split", "array_split", "chunk", "tensor_split"])
@pytest.mark.parametrize("sections", [0, -2])
def test_zero_or_negative_sections_are_a_clear_error(name, sections):
    with pytest.raises(ValueError, match=rf"^{name}: the number of sections must be > 0"):
        getattr(ag, name)(X, sections)
