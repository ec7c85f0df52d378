"""Products and moments over axes: prod (zeros included) and var (numpy's ddof).

Like ``reductions.py``: ``axis`` is a sorted tuple of axes or None (all), and backward first
restores the reduced axes as size 1 (``_keep_axes``) so the gradient broadcasts again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Function
from .either import constant, data, permute, run
from .reductions import _keep_axes


class Prod(Function):
    """Product over axis. d out / d a_i is the product of the other elements: out / a_i when
    no element is zero, else computed directly (so one zero, or several, give the right
    gradient, as PyTorch's prod does)."""

    name = "prod"
    save_inputs = True
    save_output = True

    def forward(self, a, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims
        return np.prod(a, axis=axis, keepdims=keepdims)

    def backward(self, grad):
        (a,) = self.saved_inputs
        grad = _keep_axes(grad, a.shape, self.axis, self.keepdims)
        if np.all(data(a) != 0):
            out = _keep_axes(self.saved_output, a.shape, self.axis, self.keepdims)
            return (grad * out / a,)
        return (grad * _product_of_others(a, self.axis),)


def _product_of_others(a: Any, axis: tuple[int, ...] | None) -> Any:
    """For every element, the product of the other elements of its reduced group."""
    reduced = tuple(range(a.ndim)) if axis is None else axis
    kept = tuple(i for i in range(a.ndim) if i not in reduced)
    order = kept + reduced
    moved = permute(a, order) if order != tuple(range(a.ndim)) else a
    kept_shape = tuple(a.shape[i] for i in kept)
    n = int(np.prod([a.shape[i] for i in reduced], dtype=np.int64))
    rows = moved.reshape(kept_shape + (1, n))
    eye = np.eye(n, dtype=a.dtype)
    # Row i is the group with element i replaced by 1; its product leaves out element i.
    replaced = rows * constant(1 - eye, rows) + constant(eye, rows)
    others = run(Prod, replaced, axis=(len(kept) + 1,), keepdims=False)
    others = others.reshape(moved.shape)
    return permute(others, tuple(np.argsort(order))) if order != tuple(range(a.ndim)) else others


class Var(Function):
    """Variance over axis, sum((a - mean)^2) / (N - ddof) (numpy's ddof; PyTorch's
    correction); d/da = 2 (a - mean) / (N - ddof)."""

    name = "var"
    save_inputs = True

    def forward(self, a, axis, ddof, keepdims):
        self.axis, self.keepdims = axis, keepdims
        count = a.size if axis is None else int(np.prod([a.shape[i] for i in axis]))
        self.divisor = count - ddof
        return np.var(a, axis=axis, ddof=ddof, keepdims=keepdims)

    def backward(self, grad):
        (a,) = self.saved_inputs
        grad = _keep_axes(grad, a.shape, self.axis, self.keepdims)
        centred = a - a.mean(axis=self.axis, keepdims=True)
        return (grad * centred * (2.0 / self.divisor),)
