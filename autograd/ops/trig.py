"""Trigonometric and hyperbolic ops, and their inverses (arctan2 and hypot included).

Each derivative is the textbook one; rules that need another function of the input run that
op through ``either.run``, so they are recorded when backward builds a graph.
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import floating, run


class Sin(Function):
    name = "sin"
    save_inputs = True

    def forward(self, a):
        return np.sin(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * run(Cos, a),)


class Cos(Function):
    name = "cos"
    save_inputs = True

    def forward(self, a):
        return np.cos(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (-grad * run(Sin, a),)


class Tan(Function):
    """tan a; d/da = 1 + tan^2 a, from the output."""

    name = "tan"
    save_output = True

    def forward(self, a):
        return np.tan(floating(a))

    def backward(self, grad):
        out = self.saved_output
        return (grad * (1 + out * out),)


class Arcsin(Function):
    """d/da arcsin a = 1 / sqrt(1 - a^2) (infinite at +-1, as in PyTorch)."""

    name = "arcsin"
    save_inputs = True

    def forward(self, a):
        return np.arcsin(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * (1 - a * a) ** -0.5,)


class Arccos(Function):
    name = "arccos"
    save_inputs = True

    def forward(self, a):
        return np.arccos(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (-grad * (1 - a * a) ** -0.5,)


class Arctan(Function):
    name = "arctan"
    save_inputs = True

    def forward(self, a):
        return np.arctan(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad / (1 + a * a),)


class Arctan2(Function):
    """arctan2(y, x), the angle of the point (x, y); d/dy = x / r^2, d/dx = -y / r^2."""

    name = "arctan2"
    save_inputs = True

    def forward(self, y, x):
        return np.arctan2(floating(y), floating(x))

    def backward(self, grad):
        y, x = self.saved_inputs
        scaled = grad / (x * x + y * y)
        return (
            scaled * x if self.needs_input_grad[0] else None,
            -scaled * y if self.needs_input_grad[1] else None,
        )


class Hypot(Function):
    """sqrt(a^2 + b^2) without overflow; d/da = a / out."""

    name = "hypot"
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return np.hypot(floating(a), floating(b))

    def backward(self, grad):
        a, b = self.saved_inputs
        scaled = grad / self.saved_output
        return (
            scaled * a if self.needs_input_grad[0] else None,
            scaled * b if self.needs_input_grad[1] else None,
        )


class Sinh(Function):
    name = "sinh"
    save_inputs = True

    def forward(self, a):
        return np.sinh(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * run(Cosh, a),)


class Cosh(Function):
    name = "cosh"
    save_inputs = True

    def forward(self, a):
        return np.cosh(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * run(Sinh, a),)


class Arcsinh(Function):
    name = "arcsinh"
    save_inputs = True

    def forward(self, a):
        return np.arcsinh(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * (a * a + 1) ** -0.5,)


class Arccosh(Function):
    """Defined for a >= 1; d/da = 1 / sqrt(a^2 - 1)."""

    name = "arccosh"
    save_inputs = True

    def forward(self, a):
        return np.arccosh(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * (a * a - 1) ** -0.5,)


class Arctanh(Function):
    name = "arctanh"
    save_inputs = True

    def forward(self, a):
        return np.arctanh(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad / (1 - a * a),)
