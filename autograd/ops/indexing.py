"""Writing into tensors out of place: scatter (PyTorch's scatter/scatter_add, numpy's
put_along_axis) and setitem (``t[index] = value`` recorded as an op)."""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import constant


class Scatter(Function):
    """A copy of ``a`` with ``src`` written (or, with ``accumulate``, added) at the flat
    positions ``positions`` (one per element of src).

    Gradients: ``src`` gets the output gradient at its positions; ``a`` gets it everywhere
    (accumulate) or where it was not overwritten. With repeated positions and no accumulate
    the value written last wins and only that src element is connected (as numpy's
    assignment; PyTorch leaves the choice undefined).
    """

    name = "scatter"

    def forward(self, a, src, positions, accumulate):
        self.positions = positions.reshape(-1)
        out = a.copy().reshape(-1)
        values = np.broadcast_to(src, positions.shape).reshape(-1)
        if accumulate:
            np.add.at(out, self.positions, values)
            self.kept = None
        else:
            out[self.positions] = values
            kept = np.ones(a.size, dtype=bool)
            kept[self.positions] = False
            self.kept = kept.reshape(a.shape)
            # Of repeated positions only the last write survives: the winners get gradient.
            winner = np.zeros(a.size, dtype=np.int64)
            winner[self.positions] = np.arange(self.positions.size)
            self.won = winner[self.positions] == np.arange(self.positions.size)
        self.src_shape = positions.shape
        return out.reshape(a.shape)

    def backward(self, grad):
        grad_a = grad_src = None
        if self.needs_input_grad[0]:
            grad_a = grad if self.kept is None else grad * constant(self.kept, grad)
        if self.needs_input_grad[1]:
            picked = grad.reshape(-1)[self.positions]
            if self.kept is not None and not self.won.all():
                picked = picked * constant(self.won.astype(grad.dtype), picked)
            grad_src = picked.reshape(self.src_shape)
        return grad_a, grad_src


class SetItem(Function):
    """``a[index] = value`` on a copy of a: value broadcast into the selected elements.

    Gradients: a gets the output gradient except at the overwritten elements; value gets the
    gradient of the elements it went to (summed back over its broadcast by the engine).
    """

    name = "setitem"

    def forward(self, a, value, index):
        self.index = index
        out = a.copy()
        out[index] = value
        written = np.zeros(a.shape, dtype=bool)
        written[index] = True
        self.kept = ~written
        self.selected_shape = out[index].shape
        return out

    def backward(self, grad):
        grad_a = grad * constant(self.kept, grad) if self.needs_input_grad[0] else None
        grad_value = grad[self.index] if self.needs_input_grad[1] else None
        return grad_a, grad_value
