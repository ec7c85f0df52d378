"""A Tensor never becomes object, string, complex or datetime (issue 9, item 9, replayed on the
new ``dtype=`` arguments): ``astype(object)`` and ``cumsum(dtype=object)`` made object Tensors
that cut the graph. Every entry point goes through the op ``cast``, which refuses them."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

BAD = [object, "U3", "S2", complex, np.complex64, "M8[s]", "m8[s]"]
ENTRIES = {
    "astype": lambda t, d: t.astype(d),
    "type": lambda t, d: t.type(d),
    "sum": lambda t, d: t.sum(dtype=d),
    "mean": lambda t, d: ag.mean(t, dtype=d),
    "prod": lambda t, d: ag.prod(t, dtype=d),
    "var": lambda t, d: ag.var(t, dtype=d),
    "cumsum": lambda t, d: ag.cumsum(t, dtype=d),
    "cumprod": lambda t, d: t.cumprod(dtype=d),
    "np.sum": lambda t, d: np.sum(t, dtype=d),
    "np.cumsum": lambda t, d: np.cumsum(t, dtype=d),
}


@pytest.mark.parametrize("dtype", BAD, ids=str)
@pytest.mark.parametrize("entry", sorted(ENTRIES))
def test_no_entry_point_makes_a_tensor_of_non_numbers(entry, dtype):
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"^cast: .*cannot convert to dtype"):
        ENTRIES[entry](t, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float16, np.int32, np.bool_])
def test_real_number_dtypes_still_convert(dtype):
    assert Tensor([1.0, 2.0]).astype(dtype).dtype == dtype
