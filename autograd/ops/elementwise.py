"""Element-wise ops. Inputs broadcast like numpy; backward returns gradients of the broadcast
shape and the engine sums them back to each input's shape (``autograd.engine.unbroadcast``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..function import Function
from .either import Operand, constant, data, floating, log


class Add(Function):
    name = "add"
    broadcasts = True

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return grad, grad


class Sub(Function):
    name = "sub"
    broadcasts = True

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a - b

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return grad, (-grad if self.needs_input_grad[1] else None)


class Mul(Function):
    name = "mul"
    broadcasts = True
    save_inputs = True
    grad_reads = {0: (1,), 1: (0,)}  # d(ab)/da = b, d(ab)/db = a

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a * b

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs
        return (
            grad * b if self.needs_input_grad[0] else None,
            grad * a if self.needs_input_grad[1] else None,
        )


class Div(Function):
    name = "div"
    broadcasts = True
    save_inputs = True
    grad_reads = {0: (1,), 1: (0, 1)}  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a / b

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs
        grad_a = grad / b
        return (
            grad_a if self.needs_input_grad[0] else None,
            -grad_a * a / b if self.needs_input_grad[1] else None,
        )


class Pow(Function):
    """a ** b; d/da = b a^(b-1), d/db = a^b log a (only computed when b needs a gradient).

    As PyTorch (``pow_backward_self``/``_exponent``), d/da is 0 where b == 0 and d/db is 0 where
    a == 0 and b >= 0, instead of NaN from 0 * inf or 0 * log 0. Done by substituting safe inputs
    at those points (exponent 0, log 1) rather than selecting afterwards, so no inf ever enters
    the product, and the rule, written with ops, also gives finite second derivatives there.
    """

    name = "pow"
    broadcasts = True
    save_inputs = True

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a**b

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs
        a_data, b_data, dtype = data(a), data(b), grad.dtype
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            zero_exponent = constant((b_data == 0).astype(dtype), grad)
            grad_a = grad * b * a ** (b - 1 + zero_exponent)
        if self.needs_input_grad[1]:
            zero_base = constant(((a_data == 0) & (b_data >= 0)).astype(dtype), grad)
            grad_b = grad * a**b * log(a + zero_base)
        return grad_a, grad_b


class Neg(Function):
    name = "neg"

    def forward(self, a: np.ndarray) -> np.ndarray:
        return -a

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (-grad,)


class Exp(Function):
    name = "exp"
    save_output = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        # The check inline, not floating()'s call: this op is on the hot path.
        return np.exp(a if a.dtype.kind == "f" else floating(a))

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad * self.saved_output,)


class Log(Function):
    name = "log"
    save_inputs = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        # The check inline, not floating()'s call: this op is on the hot path.
        return np.log(a if a.dtype.kind == "f" else floating(a))

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        (a,) = self.saved_inputs
        return (grad / a,)


class Sqrt(Function):
    name = "sqrt"
    save_output = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        # The check inline, not floating()'s call: this op is on the hot path.
        return np.sqrt(a if a.dtype.kind == "f" else floating(a))

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad / (self.saved_output * 2),)


class Abs(Function):
    """|a|; the gradient at 0 is 0 (as in PyTorch)."""

    name = "abs"
    save_inputs = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        return np.abs(a)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        (a,) = self.saved_inputs
        return (grad * constant(np.sign(data(a)), grad),)


class Relu(Function):
    """max(a, 0); the gradient at 0 is 0 (as in PyTorch)."""

    name = "relu"
    save_output = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        return np.maximum(a, 0)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad * constant(data(self.saved_output) > 0, grad),)


class Maximum(Function):
    """Element-wise max of a and b; where they tie each gets half the gradient (PyTorch)."""

    name = "maximum"
    broadcasts = True
    save_inputs = True

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.maximum(a, b)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs
        return _split_by_choice(grad, data(a) > data(b), data(a) == data(b))


class Minimum(Function):
    """Element-wise min of a and b; ties split the gradient like ``maximum``."""

    name = "minimum"
    broadcasts = True
    save_inputs = True

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.minimum(a, b)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs
        return _split_by_choice(grad, data(a) < data(b), data(a) == data(b))


def _split_by_choice(grad: Any, a_chosen: np.ndarray, tie: np.ndarray) -> tuple[Any, Any]:
    dtype = grad.dtype
    share_a = a_chosen.astype(dtype) + tie.astype(dtype) * dtype.type(0.5)
    share_b = 1 - share_a
    return grad * constant(share_a, grad), grad * constant(share_b, grad)


class Where(Function):
    """where(condition, a, b): a's values where condition holds, else b's."""

    name = "where"
    broadcasts = True

    def forward(self, a: np.ndarray, b: np.ndarray, condition: np.ndarray) -> np.ndarray:
        self.condition = condition
        return np.where(condition, a, b)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        keep = constant(self.condition.astype(grad.dtype), grad)
        return grad * keep, grad * (1 - keep)


class Clip(Function):
    """a limited to [low, high]; the gradient passes where low <= a <= high (PyTorch clamp)."""

    name = "clip"
    save_inputs = True

    def forward(self, a: np.ndarray, low: Any, high: Any) -> np.ndarray:
        self.low, self.high = low, high
        return np.clip(a, low, high)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        (a,) = self.saved_inputs
        inside = np.ones(a.shape, dtype=bool)
        if self.low is not None:
            inside &= data(a) >= self.low
        if self.high is not None:
            inside &= data(a) <= self.high
        return (grad * constant(inside, grad),)


class Cast(Function):
    """Change dtype; the gradient goes back in the input's dtype. TypeError for a dtype that
    does not hold real numbers (object, str, complex, datetime): such a Tensor would cut the
    graph or lose values, as issue 9's values that are not numbers."""

    name = "cast"

    def forward(self, a: np.ndarray, dtype: np.dtype) -> np.ndarray:
        if np.dtype(dtype).kind not in "biuf":
            raise TypeError(
                f"cast: a Tensor holds real numbers (bool, int, uint, float); cannot convert "
                f"to dtype {np.dtype(dtype)}"
            )
        self.input_dtype = a.dtype
        return a.astype(dtype)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        return (grad.astype(self.input_dtype),)
