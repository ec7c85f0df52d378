"""Writing into bool and integer tensors: ``t[i] = 2.7`` takes the tensor's dtype, as numpy and
PyTorch (it raised numpy's "Cannot cast array data ... same_kind"); an in-place op whose result
is float (``+= 1.5``, ``mul_(0.5)``, ``exp_()``) is a TypeError naming the op, as PyTorch
refuses it, never numpy's message without the op's name."""

import re

import numpy as np
import pytest

from autograd import Tensor

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int32", "int64"]
WRITES = {
    "scalar float": lambda t, m: t.__setitem__(0, 2.7),
    "slice of floats": lambda t, m: t.__setitem__(slice(1, None), m.tensor([0.0, 1.5])),
    "int into bool or int": lambda t, m: t.__setitem__(2, 5),
    "mask": lambda t, m: t.__setitem__(m.tensor([True, False, True]), -1.9),
}


def _torch_like(m):
    class M:  # the same script runs on both engines
        @staticmethod
        def tensor(values):
            return Tensor(np.array(values)) if m is None else torch.tensor(values)

    return M


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("label", sorted(WRITES))
def test_setitem_takes_the_integer_tensors_dtype_as_torch(label, dtype):
    values = np.array([1, 2, 3]).astype(dtype)
    ours, theirs = Tensor(values.copy()), torch.tensor(values.copy())
    if label == "mask" and dtype == "uint8":
        pytest.skip("-1.9 into uint8 wraps differently in numpy and PyTorch (undefined in C)")
    WRITES[label](ours, _torch_like(None))
    WRITES[label](theirs, _torch_like(torch))
    assert ours.dtype == np.dtype(dtype)
    assert ours.tolist() == theirs.tolist()


IN_PLACE = {
    "+=": lambda t: t.__iadd__(1.5),
    "itruediv": lambda t: t.__itruediv__(2),
    "mul_": lambda t: t.mul_(0.5),
    "exp_": lambda t: t.exp_(),
    "sqrt_": lambda t: t.sqrt_(),
}


@pytest.mark.parametrize("dtype", DTYPES[1:])
@pytest.mark.parametrize("spelling", sorted(IN_PLACE))
def test_float_result_in_place_into_integers_is_a_type_error_naming_the_op(spelling, dtype):
    t = Tensor(np.array([1, 4, 9]).astype(dtype))
    name = "/=" if spelling == "itruediv" else spelling
    with pytest.raises(
        TypeError, match=rf"^{re.escape(name)}: the result is float(32|64) and cannot be written"
    ):
        IN_PLACE[spelling](t)
    assert t.tolist() == [1, 4, 9]  # nothing half-done
