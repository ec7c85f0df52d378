"""Inverse, determinants and linear solves of square matrices (with leading batch axes).

The rules are the classic ones (HIPS autograd's numpy/linalg.py, Giles 2008, "Extended
collection of matrix derivative results"): with A^-T the inverse transposed,
d inv: -A^-T g A^-T;  d det: g det A^-T;  d log|det|: g A^-T;  d solve: b gets A^-T g, A gets
-(A^-T g) x^T.
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import run


def _mT(x):  # noqa: N802 - the matrix transpose of the last two axes, on arrays or Tensors
    return x.swapaxes(-1, -2)


def _square(name: str, a: np.ndarray) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{name}: expected square matrices (..., n, n), got shape {a.shape}")


class Inv(Function):
    name = "inv"
    save_output = True

    def forward(self, a):
        _square(self.name, a)
        return np.linalg.inv(a)

    def backward(self, grad):
        inverse_t = _mT(self.saved_output)
        return (-(inverse_t @ grad @ inverse_t),)


class Det(Function):
    name = "det"
    save_inputs = True
    save_output = True

    def forward(self, a):
        _square(self.name, a)
        return np.linalg.det(a)

    def backward(self, grad):
        (a,) = self.saved_inputs
        scale = (grad * self.saved_output).reshape(grad.shape + (1, 1))
        return (scale * _mT(run(Inv, a)),)


class LogAbsDet(Function):
    """log |det a|, the second half of ``slogdet`` (the sign has no gradient)."""

    name = "logabsdet"
    save_inputs = True

    def forward(self, a):
        _square(self.name, a)
        return np.linalg.slogdet(a)[1]

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad.reshape(grad.shape + (1, 1)) * _mT(run(Inv, a)),)


class Solve(Function):
    """x with a @ x = b; b is a vector (n,) only when 1-D, else matrices (..., n, k) (numpy 2)."""

    name = "solve"
    save_inputs = True
    save_output = True

    def forward(self, a, b):
        _square(self.name, a)
        return np.linalg.solve(a, b)

    def backward(self, grad):
        a, b = self.saved_inputs
        x = self.saved_output
        vector = b.ndim == 1
        if vector:  # work with one-column matrices
            grad, x = grad.reshape(grad.shape + (1,)), x.reshape(x.shape + (1,))
        grad_b = run(Solve, _mT(a), grad)
        grad_a = -(grad_b @ _mT(x)) if self.needs_input_grad[0] else None
        if vector:
            grad_b = grad_b.reshape(grad_b.shape[:-1])
        return grad_a, (grad_b if self.needs_input_grad[1] else None)
