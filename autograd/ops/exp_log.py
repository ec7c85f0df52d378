"""Exponentials, logarithms and powers beyond exp/log/sqrt: log2, log10, log1p, exp2, expm1,
reciprocal, square, rsqrt, logaddexp, and the error functions erf/erfc.

Constants are Python floats, so float32 inputs stay float32 (numpy 2's weak scalars).
"""

from __future__ import annotations

import math

import numpy as np

from ..function import Function
from .either import exp, floating

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


class Log2(Function):
    name = "log2"
    save_inputs = True

    def forward(self, a):
        return np.log2(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad / (a * _LN2),)


class Log10(Function):
    name = "log10"
    save_inputs = True

    def forward(self, a):
        return np.log10(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad / (a * _LN10),)


class Log1p(Function):
    """log(1 + a), accurate for small a."""

    name = "log1p"
    save_inputs = True

    def forward(self, a):
        return np.log1p(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad / (a + 1),)


class Exp2(Function):
    name = "exp2"
    save_output = True

    def forward(self, a):
        return np.exp2(floating(a))

    def backward(self, grad):
        return (grad * self.saved_output * _LN2,)


class Expm1(Function):
    """exp(a) - 1, accurate for small a; d/da = out + 1."""

    name = "expm1"
    save_output = True

    def forward(self, a):
        return np.expm1(floating(a))

    def backward(self, grad):
        return (grad * (self.saved_output + 1),)


class Reciprocal(Function):
    name = "reciprocal"
    save_output = True

    def forward(self, a):
        return np.reciprocal(floating(a))

    def backward(self, grad):
        out = self.saved_output
        return (-grad * out * out,)


class Square(Function):
    name = "square"
    save_inputs = True

    def forward(self, a):
        return np.square(a)

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * a * 2,)


class Rsqrt(Function):
    """1 / sqrt(a) (PyTorch's rsqrt); d/da = -out^3 / 2."""

    name = "rsqrt"
    save_output = True

    def forward(self, a):
        return 1 / np.sqrt(floating(a))

    def backward(self, grad):
        out = self.saved_output
        return (grad * out * out * out * -0.5,)


class LogAddExp(Function):
    """log(exp(a) + exp(b)) without overflow; d/da = exp(a - out) (a softmax weight)."""

    name = "logaddexp"
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        return np.logaddexp(floating(a), floating(b))

    def backward(self, grad):
        a, b = self.saved_inputs
        out = self.saved_output
        return (
            grad * exp(a - out) if self.needs_input_grad[0] else None,
            grad * exp(b - out) if self.needs_input_grad[1] else None,
        )


def _special():
    """scipy.special, which computes erf/erfc; an optional extra of the package."""
    try:
        import scipy.special
    except ImportError as error:
        raise ImportError(
            "erf/erfc need scipy: install the optional extra with `pip install chainrule[special]`"
            " (or `pip install scipy`)"
        ) from error
    return scipy.special


class Erf(Function):
    """The error function (scipy.special.erf); d/da = 2 / sqrt(pi) * exp(-a^2)."""

    name = "erf"
    save_inputs = True

    def forward(self, a):
        return _special().erf(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * exp(-(a * a)) * _TWO_OVER_SQRT_PI,)


class Erfc(Function):
    """1 - erf(a), accurate where erf(a) is near 1; d/da = -2 / sqrt(pi) * exp(-a^2)."""

    name = "erfc"
    save_inputs = True

    def forward(self, a):
        return _special().erfc(floating(a))

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * exp(-(a * a)) * -_TWO_OVER_SQRT_PI,)
