"""Single-pass optimizer updates compiled by numba; imported only by ``optim.fused``.

Each kernel runs its optimizer's numpy update one element at a time, with the same operations
in the same order and dtype (the scalars arrive as numpy scalars of the parameter's dtype, so
float32 stays float32), reading the gradient and each buffer once instead of once per pass.
``error_model="numpy"`` makes x / 0 give inf or NaN as numpy does, instead of raising, and
lets the loops vectorise; no fastmath, so rounding is IEEE's as in numpy. ``cache=True`` keeps
the compiled code beside this file or, if that is read-only, in numba's per-user cache, so the
compile cost (about a second per kernel and dtype) is paid once per installation.
"""

from __future__ import annotations

import numba
import numpy as np

_JIT = dict(cache=True, nogil=True, error_model="numpy")


@numba.njit(**_JIT)
def rmsprop(param, grad, velocity, lr, rho, one_minus_rho, epsilon, floor):  # pragma: no cover
    """velocity = rho v + (1 - rho) g^2; param -= lr * g / sqrt(max(velocity + eps, floor))."""
    for i in range(param.size):
        g = grad[i]
        v = velocity[i] * rho + g * g * one_minus_rho
        velocity[i] = v
        param[i] -= g / np.sqrt(max(v + epsilon, floor)) * lr


@numba.njit(**_JIT)
def rmsprop_momentum(
    param, grad, velocity, buffer, lr, rho, one_minus_rho, epsilon, floor, momentum
):  # pragma: no cover
    """As ``rmsprop``, with buffer = momentum * buffer + step; param -= buffer."""
    for i in range(param.size):
        g = grad[i]
        v = velocity[i] * rho + g * g * one_minus_rho
        velocity[i] = v
        b = buffer[i] * momentum + g / np.sqrt(max(v + epsilon, floor)) * lr
        buffer[i] = b
        param[i] -= b


@numba.njit(**_JIT)
def adam(
    param, grad, m, v, step_size, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, epsilon,
    floor,
):  # pragma: no cover  # fmt: skip
    """m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; param -= step * m / (sqrt(v) + eps)."""
    for i in range(param.size):
        g = grad[i]
        mi = m[i] * beta_1 + g * one_minus_beta_1
        vi = v[i] * beta_2 + g * g * one_minus_beta_2
        m[i] = mi
        v[i] = vi
        param[i] -= mi / max(np.sqrt(vi) + epsilon, floor) * step_size


@numba.njit(**_JIT)
def sgd_momentum(param, grad, buffer, lr, momentum, nesterov):  # pragma: no cover
    """buffer = momentum * buffer + g; param -= lr * (g + momentum * buffer if nesterov)."""
    for i in range(param.size):
        g = grad[i]
        b = buffer[i] * momentum + g
        buffer[i] = b
        param[i] -= (b * momentum + g if nesterov else b) * lr
