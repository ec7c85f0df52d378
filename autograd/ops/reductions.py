"""Reductions over ``axis`` (a sorted tuple of axes, or None for all), with ``keepdims``.

Their backward first restores the reduced axes as size 1 (``_keep_axes``) so the gradient
broadcasts against the input again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..function import Function
from .either import Operand, broadcast_to, constant, data, exp


def _keep_axes(grad: Any, input_shape: tuple[int, ...], axis, keepdims: bool) -> Any:
    """Reshape a reduced gradient so it lines up with the input's axes."""
    if keepdims or axis is None and grad.ndim == len(input_shape):
        return grad
    axes = range(len(input_shape)) if axis is None else axis
    shape = [1 if i in axes else n for i, n in enumerate(input_shape)]
    return grad.reshape(tuple(shape))


class Sum(Function):
    name = "sum"

    def forward(self, a: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
        self.input_shape, self.axis, self.keepdims = a.shape, axis, keepdims
        return a.sum(axis=axis, keepdims=keepdims)

    def backward(self, grad: Operand) -> tuple[Operand, ...]:
        grad = _keep_axes(grad, self.input_shape, self.axis, self.keepdims)
        return (broadcast_to(grad, self.input_shape),)


class Mean(Function):
    name = "mean"

    def forward(self, a: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
        self.input_shape, self.axis, self.keepdims = a.shape, axis, keepdims
        out = a.mean(axis=axis, keepdims=keepdims)
        self.count = a.size // max(out.size, 1) if a.size else 0
        return out.astype(a.dtype, copy=False) if a.dtype.kind == "f" else out

    def backward(self, grad: Operand) -> tuple[Operand, ...]:
        grad = _keep_axes(grad, self.input_shape, self.axis, self.keepdims)
        # 1/count is formed wide and only then meets grad's dtype: 70,000 does not fit in
        # float16, but 1/70,000 does (PyTorch gives the same 1.43e-05).
        scale = 1.0 / self.count if self.count else np.inf
        return (broadcast_to(grad * scale, self.input_shape),)


class _Extremum(Function):
    """Max or min along axis; the gradient goes to the elements that equal the result, shared
    equally between ties (like torch.amax/amin)."""

    save_inputs = True
    save_output = True
    reduce: Callable[..., np.ndarray]

    def forward(self, a: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
        self.axis, self.keepdims = axis, keepdims
        if a.size == 0:
            raise ValueError(f"{self.name} of an empty tensor")
        return type(self).reduce(a, axis=axis, keepdims=keepdims)

    def backward(self, grad: Operand) -> tuple[Operand, ...]:
        (a,) = self.saved_inputs
        out = _keep_axes(self.saved_output, a.shape, self.axis, self.keepdims)
        hits = data(a) == data(out)
        # Tie counts in int64 and shares in float64, cast once: a float16 count overflows.
        hits = (hits / hits.sum(axis=self.axis, keepdims=True)).astype(grad.dtype)
        grad = _keep_axes(grad, a.shape, self.axis, self.keepdims)
        return (grad * constant(hits, grad),)


class Max(_Extremum):
    name = "max"
    reduce = staticmethod(np.max)


class Min(_Extremum):
    name = "min"
    reduce = staticmethod(np.min)


class LogSumExp(Function):
    """log(sum(exp(a))), computed stably by shifting with the maximum."""

    name = "logsumexp"
    save_inputs = True
    save_output = True

    def forward(self, a: np.ndarray, axis: tuple[int, ...] | None, keepdims: bool) -> np.ndarray:
        self.axis, self.keepdims = axis, keepdims
        shift = np.max(a, axis=axis, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0)
        out = np.log(np.sum(np.exp(a - shift), axis=axis, keepdims=True)) + shift
        return out if keepdims else np.squeeze(out, axis=axis)

    def backward(self, grad: Operand) -> tuple[Operand, ...]:
        (a,) = self.saved_inputs
        out = _keep_axes(self.saved_output, a.shape, self.axis, self.keepdims)
        grad = _keep_axes(grad, a.shape, self.axis, self.keepdims)
        return (grad * exp(a - out),)
