"""Rounding, sign and remainders. Rounding is flat almost everywhere, so its gradient is zero
(as in PyTorch, which also defines it as zero at the jumps); the remainders pass the gradient
of ``a`` through and give ``b`` minus the rounded quotient.
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import constant, data


class _ZeroGradient(Function):
    """A piecewise-constant op: zero gradient (still connected, so a second backward works)."""

    def backward(self, grad):
        return (grad * 0,)


class Sign(_ZeroGradient):
    name = "sign"

    def forward(self, a):
        return np.sign(a)


class Floor(_ZeroGradient):
    name = "floor"

    def forward(self, a):
        return np.floor(a)


class Ceil(_ZeroGradient):
    name = "ceil"

    def forward(self, a):
        return np.ceil(a)


class Trunc(_ZeroGradient):
    name = "trunc"

    def forward(self, a):
        return np.trunc(a)


class Round(_ZeroGradient):
    """Round half to even (numpy and PyTorch agree), to ``decimals`` places."""

    name = "round"

    def forward(self, a, decimals=0):
        return np.round(a, decimals)


class FloorDivide(Function):
    """floor(a / b), Python's ``//``; zero gradient to both (PyTorch leaves it undefined)."""

    name = "floor_divide"

    def forward(self, a, b):
        return np.floor_divide(a, b)

    def backward(self, grad):
        return grad * 0, grad * 0


class Fmod(Function):
    """a - trunc(a / b) * b, the C remainder (sign of a); d/db = -trunc(a / b) (PyTorch)."""

    name = "fmod"
    save_inputs = True

    def forward(self, a, b):
        return np.fmod(a, b)

    def backward(self, grad):
        a, b = self.saved_inputs
        quotient = np.trunc(data(a) / data(b))
        return grad, (-grad * constant(quotient, grad) if self.needs_input_grad[1] else None)


class Remainder(Function):
    """a - floor(a / b) * b, Python's ``%`` (sign of b); d/db = -floor(a / b) (PyTorch)."""

    name = "remainder"
    save_inputs = True

    def forward(self, a, b):
        return np.remainder(a, b)

    def backward(self, grad):
        a, b = self.saved_inputs
        quotient = np.floor(data(a) / data(b))
        return grad, (-grad * constant(quotient, grad) if self.needs_input_grad[1] else None)
