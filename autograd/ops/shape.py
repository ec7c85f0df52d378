"""Shape and indexing ops: reshape, transpose, broadcast_to, indexing, concat and stack."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Function
from .either import Operand, permute, run


class Reshape(Function):
    name = "reshape"
    returns_view = True

    def forward(self, a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        self.input_shape = a.shape
        return a.reshape(shape)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad.reshape(self.input_shape),)


class Transpose(Function):
    """Permute axes; the gradient goes through the inverse permutation."""

    name = "transpose"
    returns_view = True

    def forward(self, a: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        self.axes = axes
        return a.transpose(axes)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (permute(grad, tuple(np.argsort(self.axes))),)


class BroadcastTo(Function):
    """Repeat along new or size-1 axes; the engine sums the gradient back (unbroadcast)."""

    name = "broadcast_to"
    returns_view = True
    broadcasts = True

    def forward(self, a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(a, shape)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad,)


def _is_basic(index) -> bool:
    """True when an index selects each element at most once (ints, slices, None, ...)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(part, (int, np.integer, slice, type(None), type(Ellipsis))) for part in parts
    )


class GetItem(Function):
    """``a[index]`` for ints, slices, integer arrays and boolean masks."""

    name = "getitem"
    returns_view = True

    def forward(self, a: np.ndarray, index: Any) -> np.ndarray:
        self.input_shape, self.index = a.shape, index
        return a[index]

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (run(ScatterAdd, grad, index=self.index, shape=self.input_shape),)


class ScatterAdd(Function):
    """Zeros of ``shape`` with ``values`` added at ``index`` (repeated indices add up): the
    adjoint of indexing, so ``getitem`` and ``scatter_add`` are each other's backward."""

    name = "scatter_add"

    def forward(self, values: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
        self.index = index
        out = np.zeros(shape, dtype=values.dtype)
        if _is_basic(index):
            out[index] = values
        else:
            np.add.at(out, index, values)
        return out

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad[self.index],)


class Concat(Function):
    """Join tensors along an existing axis."""

    name = "concat"

    def forward(self, *arrays: np.ndarray, axis: int) -> np.ndarray:
        self.axis = axis
        self.bounds = np.cumsum([0] + [a.shape[axis] for a in arrays])
        return np.concatenate(arrays, axis=axis)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        grads = []
        for index, (start, stop) in enumerate(zip(self.bounds[:-1], self.bounds[1:])):
            if not self.needs_input_grad[index]:
                grads.append(None)
                continue
            selector = [slice(None)] * grad.ndim
            selector[self.axis] = slice(int(start), int(stop))
            grads.append(grad[tuple(selector)])
        return tuple(grads)


class Stack(Function):
    """Join same-shaped tensors along a new axis."""

    name = "stack"

    def forward(self, *arrays: np.ndarray, axis: int) -> np.ndarray:
        self.axis = axis
        return np.stack(arrays, axis=axis)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        selector = [slice(None)] * grad.ndim
        grads = []
        for index, needed in enumerate(self.needs_input_grad):
            selector[self.axis] = index
            grads.append(grad[tuple(selector)] if needed else None)
        return tuple(grads)
