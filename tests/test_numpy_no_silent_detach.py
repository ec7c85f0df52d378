"""numpy functions on a Tensor never hand back the tensor's values as a detached ndarray: the
ones that run on the plain arrays (``INSPECTION``) return only shapes, booleans, counts or
indices; a function returning values (``np.unique``) is refused with a TypeError naming it."""

import numpy as np
import pytest

from autograd import Tensor, numpy_protocol

INSPECTION_CALLS = {
    "shape": lambda t: np.shape(t), "ndim": lambda t: np.ndim(t), "size": lambda t: np.size(t),
    "allclose": lambda t: np.allclose(t, t), "isclose": lambda t: np.isclose(t, t),
    "array_equal": lambda t: np.array_equal(t, t), "array_equiv": lambda t: np.array_equiv(t, t),
    "count_nonzero": lambda t: np.count_nonzero(t), "argsort": lambda t: np.argsort(t),
    "nonzero": lambda t: np.nonzero(t), "argwhere": lambda t: np.argwhere(t),
    "flatnonzero": lambda t: np.flatnonzero(t),
}  # fmt: skip


def _float_arrays(value):
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _float_arrays(v)]
    if isinstance(value, Tensor):
        return [value] if value.dtype.kind == "f" else []
    array = np.asarray(value)
    return [array] if array.dtype.kind in "fc" else []


def test_every_inspection_function_is_exercised():
    assert set(INSPECTION_CALLS) == set(numpy_protocol.INSPECTION)


@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
@pytest.mark.parametrize("name", sorted(INSPECTION_CALLS))
def test_inspection_functions_return_no_values_of_the_tensor(name, shape):
    if name == "nonzero" and shape == ():
        pytest.skip("numpy 2 refuses nonzero on a 0-d array itself")
    t = Tensor(np.linspace(-1.0, 2.0, int(np.prod(shape))).reshape(shape), requires_grad=True)
    assert _float_arrays(INSPECTION_CALLS[name](t)) == []


@pytest.mark.parametrize(
    "call",
    [lambda t: np.unique(t), lambda t: np.unique(t, return_counts=True), lambda t: np.sort(t)],
)
@pytest.mark.parametrize("requires_grad", [True, False])
def test_value_returning_functions_without_an_op_are_refused(call, requires_grad):
    t = Tensor(np.array([3.0, 1.0, 3.0]), requires_grad=requires_grad)
    with pytest.raises(TypeError, match=r"numpy\.(unique|sort) has no chainrule op"):
        call(t)
