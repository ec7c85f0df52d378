"""Element-wise functions under numpy's names, with PyTorch's spellings as aliases.

Each takes a Tensor, an array or a number and returns a Tensor; the binary ones broadcast like
numpy, and a number or array next to a Tensor takes the Tensor's float dtype. Shapes: the
output has the (broadcast) input shape; dtypes: floats stay in their precision.

>>> from autograd import Tensor
>>> x = Tensor([0.0, 0.5], requires_grad=True)
>>> y = sin(x) + arctan2(x, 1.0)
>>> y.sum().backward()
>>> print(x.grad.data.round(3))
[2.    1.678]
>>> floor(Tensor([-1.5, 2.5])).tolist(), (Tensor([7.0]) % 3).tolist()
([-2.0, 2.0], [1.0])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import ops
from ..function import Function
from ._shared import Tensor, as_tensor, pair, raw


def _unary(op: type[Function], formula: str, name: str = "") -> Callable[..., Tensor]:
    def function(x: Any) -> Tensor:
        return op.apply(as_tensor(x))

    function.__name__ = function.__qualname__ = name or op.name
    function.__doc__ = f"{formula}, element-wise (op ``{op.name}``); the gradient is {{}}."
    return function


def _binary(op: type[Function], formula: str, name: str = "") -> Callable[..., Tensor]:
    def function(a: Any, b: Any) -> Tensor:
        return op.apply(*pair(a, b))

    function.__name__ = function.__qualname__ = name or op.name
    function.__doc__ = f"{formula}, element-wise with broadcasting (op ``{op.name}``)."
    return function


sin = _unary(ops.Sin, "sin x")
cos = _unary(ops.Cos, "cos x")
tan = _unary(ops.Tan, "tan x")
arcsin = _unary(ops.Arcsin, "arcsin x for -1 <= x <= 1")
arccos = _unary(ops.Arccos, "arccos x for -1 <= x <= 1")
arctan = _unary(ops.Arctan, "arctan x")
sinh = _unary(ops.Sinh, "sinh x")
cosh = _unary(ops.Cosh, "cosh x")
arcsinh = _unary(ops.Arcsinh, "arcsinh x")
arccosh = _unary(ops.Arccosh, "arccosh x for x >= 1")
arctanh = _unary(ops.Arctanh, "arctanh x for -1 < x < 1")
log2 = _unary(ops.Log2, "log base 2")
log10 = _unary(ops.Log10, "log base 10")
log1p = _unary(ops.Log1p, "log(1 + x), accurate near 0")
exp2 = _unary(ops.Exp2, "2 ** x")
expm1 = _unary(ops.Expm1, "exp(x) - 1, accurate near 0")
reciprocal = _unary(ops.Reciprocal, "1 / x")
square = _unary(ops.Square, "x * x")
rsqrt = _unary(ops.Rsqrt, "1 / sqrt(x) (PyTorch's rsqrt)")
sign = _unary(ops.Sign, "-1, 0 or 1 by the sign of x")
floor = _unary(ops.Floor, "the largest integer <= x")
ceil = _unary(ops.Ceil, "the smallest integer >= x")
trunc = _unary(ops.Trunc, "x rounded toward 0 (numpy's fix)")
erf = _unary(ops.Erf, "the error function (needs scipy, the optional extra ``special``)")
erfc = _unary(ops.Erfc, "1 - erf(x) (needs scipy, the optional extra ``special``)")

arctan2 = _binary(ops.Arctan2, "the angle of the point (x2, x1): arctan2(x1, x2)")
hypot = _binary(ops.Hypot, "sqrt(x1^2 + x2^2) without overflow")
logaddexp = _binary(ops.LogAddExp, "log(exp(x1) + exp(x2)) without overflow")
fmod = _binary(ops.Fmod, "x1 - trunc(x1 / x2) * x2, the sign of x1 (C's fmod)")
remainder = _binary(ops.Remainder, "x1 - floor(x1 / x2) * x2, the sign of x2 (Python's %)")
floor_divide = _binary(ops.FloorDivide, "floor(x1 / x2), Python's // (zero gradient)")
mod = remainder

# The arithmetic operators as functions (numpy's names; PyTorch's below).
add = _binary(ops.Add, "x1 + x2", "add")
subtract = _binary(ops.Sub, "x1 - x2", "subtract")
multiply = _binary(ops.Mul, "x1 * x2", "multiply")


def divide(x1: Any, x2: Any) -> Tensor:
    """x1 / x2, element-wise with broadcasting (op ``div``): the ``/`` operator, so integers give
    the default float (float32), as PyTorch's div (numpy would give float64)."""
    if isinstance(x1, Tensor):
        return x1 / x2
    if isinstance(x2, Tensor):
        return x2.__rtruediv__(x1)
    return as_tensor(x1) / x2


power = _binary(ops.Pow, "x1 ** x2", "power")
negative = _unary(ops.Neg, "-x", "negative")
absolute = _unary(ops.Abs, "|x| (gradient 0 at 0, as PyTorch)", "absolute")

for _function, _gradient in [
    (sin, "cos x"), (cos, "-sin x"), (tan, "1 + tan^2 x"), (arcsin, "1 / sqrt(1 - x^2)"),
    (arccos, "-1 / sqrt(1 - x^2)"), (arctan, "1 / (1 + x^2)"), (sinh, "cosh x"),
    (cosh, "sinh x"), (arcsinh, "1 / sqrt(x^2 + 1)"), (arccosh, "1 / sqrt(x^2 - 1)"),
    (arctanh, "1 / (1 - x^2)"), (log2, "1 / (x ln 2)"), (log10, "1 / (x ln 10)"),
    (log1p, "1 / (1 + x)"), (exp2, "2^x ln 2"), (expm1, "exp(x)"), (reciprocal, "-1 / x^2"),
    (square, "2x"), (rsqrt, "-x^(-3/2) / 2"), (sign, "0"), (floor, "0 (as PyTorch)"),
    (ceil, "0 (as PyTorch)"), (trunc, "0 (as PyTorch)"), (erf, "2 / sqrt(pi) exp(-x^2)"),
    (erfc, "-2 / sqrt(pi) exp(-x^2)"), (negative, "-1"), (absolute, "sign x"),
]:  # fmt: skip
    _function.__doc__ = _function.__doc__.format(_gradient)

# PyTorch's spellings.
asin, acos, atan, atan2 = arcsin, arccos, arctan, arctan2
asinh, acosh, atanh = arcsinh, arccosh, arctanh
fix = trunc
sub, mul, div, true_divide, pow, neg, abs = (  # noqa: A001
    subtract,
    multiply,
    divide,
    divide,
    power,
    negative,
    absolute,
)


def positive(x: Any) -> Tensor:
    """+x: the tensor itself."""
    return as_tensor(x)


def round(x: Any, decimals: int = 0) -> Tensor:  # noqa: A001 - numpy's name
    """Round half to even to ``decimals`` places (numpy and PyTorch agree); zero gradient."""
    return ops.Round.apply(as_tensor(x), decimals=int(decimals))


around = round


def lerp(start: Any, end: Any, weight: Any) -> Tensor:
    """start + weight * (end - start), PyTorch's ``lerp``; gradients to all three (composed of
    ops, so each gradient is theirs)."""
    start, end = pair(start, end)
    return start + (end - start) * weight


def isnan(x: Any) -> Tensor:
    """Where x is NaN (a bool Tensor, no gradient)."""
    return Tensor(np.isnan(as_tensor(x).data))


def isinf(x: Any) -> Tensor:
    """Where x is +-inf (a bool Tensor, no gradient)."""
    return Tensor(np.isinf(as_tensor(x).data))


def isfinite(x: Any) -> Tensor:
    """Where x is neither NaN nor infinite (a bool Tensor, no gradient)."""
    return Tensor(np.isfinite(as_tensor(x).data))


def _no_grad(ufunc: np.ufunc, name: str, symbol: str) -> Callable[..., Tensor]:
    def function(*operands: Any) -> Tensor:
        return Tensor(ufunc(*[raw(x) for x in operands]))

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"{symbol}, element-wise with broadcasting: a bool Tensor (no gradient)."
    return function


# Comparisons and logic (PyTorch's short names; numpy's ufuncs reach them through the protocol).
eq = _no_grad(np.equal, "eq", "x1 == x2")
ne = _no_grad(np.not_equal, "ne", "x1 != x2")
lt = _no_grad(np.less, "lt", "x1 < x2")
le = _no_grad(np.less_equal, "le", "x1 <= x2")
gt = _no_grad(np.greater, "gt", "x1 > x2")
ge = _no_grad(np.greater_equal, "ge", "x1 >= x2")
logical_and = _no_grad(np.logical_and, "logical_and", "x1 and x2")
logical_or = _no_grad(np.logical_or, "logical_or", "x1 or x2")
logical_xor = _no_grad(np.logical_xor, "logical_xor", "x1 xor x2")
logical_not = _no_grad(np.logical_not, "logical_not", "not x")
equal, not_equal, less, less_equal, greater, greater_equal = eq, ne, lt, le, gt, ge

__all__ = [
    "eq", "equal", "ge", "greater", "greater_equal", "gt", "le", "less", "less_equal",
    "logical_and", "logical_not", "logical_or", "logical_xor", "lt", "ne", "not_equal",
    "abs", "absolute", "acos", "acosh", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan",
    "arctan2", "arctanh", "around", "asin", "asinh", "atan", "atan2", "atanh", "ceil",
    "cos", "cosh", "div", "divide", "erf", "erfc", "exp2", "expm1", "fix", "floor",
    "floor_divide", "fmod", "hypot", "isfinite", "isinf", "isnan", "lerp", "log10", "log1p",
    "log2", "logaddexp", "mod", "mul", "multiply", "neg", "negative", "positive", "pow", "power",
    "reciprocal", "remainder", "round", "rsqrt", "sign", "sin", "sinh", "square", "sub",
    "subtract", "tan", "true_divide", "trunc",
]  # fmt: skip
