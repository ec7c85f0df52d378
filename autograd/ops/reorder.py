"""Ops that copy elements to new places: pad, flip, roll, tile, repeat, diagonal, diag,
take_along_axis, and the triangle masks tril/triu.

Most share one backward (``_Rearrange``): the op is applied to the element *numbers* of the
input, which says where each output element was copied from, and the output gradient is added
back there (``scatter_add``, whose own backward is indexing, so second derivatives work).
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import constant, run
from .shape import ScatterAdd


class _Rearrange(Function):
    """An op whose output elements are copies of input elements, or a fill value."""

    def forward(self, a, **params):
        self.input_shape, self.params = a.shape, params
        return self.arrange(a, **params)

    def arrange(self, a, **params):
        raise NotImplementedError

    def sources(self) -> np.ndarray:
        """For each output element, the flat index of the input element it copies (-1: none)."""
        numbers = np.arange(1, int(np.prod(self.input_shape)) + 1).reshape(self.input_shape)
        return self.arrange(numbers, **self.params) - 1

    def backward(self, grad):
        size = int(np.prod(self.input_shape))
        sources = self.sources().reshape(-1)
        flat = grad.reshape(-1)
        copied = sources >= 0
        if not copied.all():
            flat, sources = flat[copied], sources[copied]
        summed = run(ScatterAdd, flat, index=sources, shape=(size,))
        return (summed.reshape(self.input_shape),)


class Pad(_Rearrange):
    """np.pad with ``pad_width`` ((before, after) per axis) and mode constant, reflect, edge,
    symmetric or wrap; padded elements of constant mode get no gradient."""

    name = "pad"

    def arrange(self, a, pad_width, mode, value):
        if mode == "constant":
            return np.pad(a, pad_width, mode="constant", constant_values=value)
        return np.pad(a, pad_width, mode=mode)

    def sources(self) -> np.ndarray:
        numbers = np.arange(1, int(np.prod(self.input_shape)) + 1).reshape(self.input_shape)
        return self.arrange(numbers, **{**self.params, "value": 0}) - 1

    def backward(self, grad):
        if self.params["mode"] != "constant":
            return super().backward(grad)
        inside = tuple(
            slice(before, before + n)
            for (before, _), n in zip(self.params["pad_width"], self.input_shape)
        )
        return (grad[inside],)


class Flip(Function):
    """Reverse the order along ``axes``; its own inverse, so the gradient is flipped back."""

    name = "flip"

    def forward(self, a, axes):
        self.axes = axes
        return np.flip(a, axis=axes).copy()

    def backward(self, grad):
        return (run(Flip, grad, axes=self.axes),)


class Roll(Function):
    """Shift elements cyclically along ``axis`` (the flattened tensor when None); the gradient
    rolls back by the opposite shift."""

    name = "roll"

    def forward(self, a, shift, axis):
        self.shift, self.axis = shift, axis
        return np.roll(a, shift, axis=axis)

    def backward(self, grad):
        back = tuple(-s for s in self.shift) if isinstance(self.shift, tuple) else -self.shift
        return (run(Roll, grad, shift=back, axis=self.axis),)


class Tile(_Rearrange):
    name = "tile"

    def arrange(self, a, reps):
        return np.tile(a, reps)


class Repeat(_Rearrange):
    """np.repeat (PyTorch's repeat_interleave): each element ``repeats`` times along axis."""

    name = "repeat"

    def arrange(self, a, repeats, axis):
        return np.repeat(a, repeats, axis=axis)


class Diagonal(_Rearrange):
    name = "diagonal"

    def arrange(self, a, offset, axis1, axis2):
        return np.diagonal(a, offset, axis1, axis2).copy()


class Diag(_Rearrange):
    """np.diag: the k-th diagonal of a matrix, or a matrix with a vector on its k-th diagonal."""

    name = "diag"

    def arrange(self, a, k):
        return np.diag(a, k)


class TakeAlongAxis(_Rearrange):
    """np.take_along_axis (PyTorch's gather); repeated indices add their gradients."""

    name = "take_along_axis"

    def arrange(self, a, indices, axis):
        return np.take_along_axis(a, indices, axis)


class _Triangle(Function):
    """Keep a triangle of the last two axes, zero the rest; the gradient is masked the same."""

    def forward(self, a, k):
        keep = type(self).part(np.ones(a.shape[-2:], dtype=bool), k)
        self.keep = keep
        return np.where(keep, a, np.zeros((), a.dtype))

    def backward(self, grad):
        return (grad * constant(self.keep.astype(grad.dtype), grad),)


class Tril(_Triangle):
    name = "tril"
    part = staticmethod(np.tril)


class Triu(_Triangle):
    name = "triu"
    part = staticmethod(np.triu)
