"""Counts and divisors of reductions stay wide in float16 (issue 9, item 3, replayed on the new
reductions): a count above 65504 is inf in float16, which turned nanmean's value into NaN and
its gradient into 0. The reference is the same reduction in float64 (PyTorch's own nanmean
overflows its count in float16 when a row has more than 65504 non-NaN entries)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

CASES = {
    "nanmean": lambda x: ag.nanmean(x),
    "nanmean axis": lambda x: ag.nanmean(x.reshape(2, -1), axis=1),
    "nanmean keepdims": lambda x: ag.nanmean(x.reshape(2, -1), axis=1, keepdims=True),
    "mean": lambda x: x.mean(),
    "var": lambda x: x.var(),
}


def _data(n, nan_every):
    a = np.linspace(0.0, 0.01, n).astype(np.float16)
    if nan_every:
        a[::nan_every] = np.nan
    return a


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("n, nan_every", [(1000, 0), (70000, 0), (140000, 2), (200000, 3)])
@pytest.mark.parametrize("label", sorted(CASES))
def test_float16_reduction_counts_match_float64(label, n, nan_every):
    if nan_every and not label.startswith("nan"):
        pytest.skip("NaN input is nanmean's case")
    x = Tensor(_data(n, nan_every), requires_grad=True)
    y = CASES[label](x)
    y.sum().backward()
    wide = Tensor(_data(n, nan_every).astype(np.float64), requires_grad=True)
    y64 = CASES[label](wide)
    y64.sum().backward()
    assert y.dtype == np.float16 and x.grad.dtype == np.float16
    np.testing.assert_allclose(y.data.astype(np.float64), y64.data, rtol=2e-3)
    assert (wide.grad.data != 0).any()
    np.testing.assert_allclose(x.grad.data.astype(np.float64), wide.grad.data, rtol=2e-3, atol=1e-7)
