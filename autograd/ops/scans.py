"""Running (cumulative) sums, products and log-sum-exps along one axis.

The gradient of a running sum is the running sum of the gradient taken from the other end
(``_reverse_cumsum``); the product and log-sum-exp rules are built on it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Function
from .either import constant, data, exp, run


def _flip(x: Any, axis: int) -> Any:
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


def _reverse_cumsum(x: Any, axis: int) -> Any:
    """out_i = sum of x_j for j >= i along axis."""
    return _flip(run(CumSum, _flip(x, axis), axis=axis), axis)


class CumSum(Function):
    name = "cumsum"

    def forward(self, a, axis):
        self.axis = axis
        return np.cumsum(a, axis=axis)

    def backward(self, grad):
        return (_reverse_cumsum(grad, self.axis),)


class CumProd(Function):
    """Running product. d out_j / d a_i = prod of a_k for k <= j, k != i (j >= i): from
    out_j / a_i when no element is zero, else computed directly for each i (n^2 per row)."""

    name = "cumprod"
    save_inputs = True
    save_output = True

    def forward(self, a, axis):
        self.axis = axis
        return np.cumprod(a, axis=axis)

    def backward(self, grad):
        (a,) = self.saved_inputs
        if np.all(data(a) != 0):
            return (_reverse_cumsum(grad * self.saved_output, self.axis) / a,)
        last = a.ndim - 1
        moved, grad = a.swapaxes(self.axis, last), grad.swapaxes(self.axis, last)
        n = a.shape[self.axis]
        eye = np.eye(n, dtype=a.dtype)
        rows = moved.reshape(moved.shape[:-1] + (1, n))
        # Row i: the sequence with element i replaced by 1, so its running product leaves it out.
        replaced = rows * constant(1 - eye, rows) + constant(eye, rows)
        products = run(CumProd, replaced, axis=last + 1)
        later = constant(np.triu(np.ones((n, n), dtype=a.dtype)), rows)  # j >= i
        weights = grad.reshape(grad.shape[:-1] + (1, n))
        result = (products * later * weights).sum(axis=last + 1)
        return (result.swapaxes(self.axis, last),)


class LogCumSumExp(Function):
    """out_j = log(sum of exp(a_k) for k <= j), computed with np.logaddexp.accumulate.

    d out_j / d a_i = exp(a_i - out_j) for j >= i; shifted by the maximum c along the axis,
    grad_i = exp(a_i - c) * reverse_cumsum(grad_j * exp(c - out_j)).
    """

    name = "logcumsumexp"
    save_inputs = True
    save_output = True

    def forward(self, a, axis):
        self.axis = axis
        if a.shape[axis] == 0:
            return a.copy()
        return np.logaddexp.accumulate(a, axis=axis)

    def backward(self, grad):
        (a,) = self.saved_inputs
        out = self.saved_output
        shift = data(a).max(axis=self.axis, keepdims=True) if a.size else 0.0
        shift = constant(np.where(np.isfinite(shift), shift, 0).astype(a.dtype), grad)
        later = _reverse_cumsum(grad * exp(shift - out), self.axis)
        return (exp(a - shift) * later,)
