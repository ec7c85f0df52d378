"""``autograd.linalg``: numpy.linalg's names on Tensors, differentiable.

``inv``, ``det``, ``slogdet`` and ``solve`` are ops (``autograd/ops/linalg_inverse.py``, rules
as in HIPS autograd's numpy/linalg.py); ``norm`` is composed of element-wise ops and reductions,
so its gradient is theirs. Matrices may carry leading batch axes (``(..., n, n)``).

>>> from autograd import Tensor
>>> a = Tensor([[2.0, 0.0], [1.0, 4.0]], requires_grad=True)
>>> norm(Tensor([3.0, 4.0])).item(), det(a).item()
(5.0, 8.0)
>>> det(a).backward(); a.grad.tolist()   # d det / d a = det * inv(a).T
[[4.0, -1.0], [0.0, 2.0]]
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import ops
from .routines._shared import Tensor, as_tensor, axes, pair, pick
from .routines.reductions import zero_safe_root


def inv(a: Any) -> Tensor:
    """The inverse of square matrices (..., n, n); numpy's LinAlgError when singular."""
    return ops.Inv.apply(as_tensor(a))


def det(a: Any) -> Tensor:
    """The determinant of square matrices (..., n, n) -> (...)."""
    return ops.Det.apply(as_tensor(a))


def slogdet(a: Any) -> tuple[Tensor, Tensor]:
    """(sign, log|det|) of square matrices, as numpy; only log|det| carries a gradient."""
    a = as_tensor(a)
    sign = Tensor(np.linalg.slogdet(a.data)[0])
    return sign, ops.LogAbsDet.apply(a)


def solve(a: Any, b: Any) -> Tensor:
    """x with a @ x = b for square a (..., n, n); b is (n,) or (..., n, k) (numpy 2)."""
    a, b = pair(a, b)
    return ops.Solve.apply(a, b)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False, *,  # noqa: A002
         dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """numpy.linalg.norm: vector norms (``ord`` None or 2, 1, inf, -inf, or any p > 0) over one
    axis, matrix norms ('fro', 1, inf, -1, -inf) over two; with ``axis=None`` a 1-D or 2-D
    tensor gets its vector or matrix norm and ``ord=None`` any tensor its flattened 2-norm.

    The gradient at a zero vector or matrix is 0, as PyTorch's (not the NaN of x / 0). The spectral
    and nuclear norms (ord 2, -2, 'nuc' on matrices) raise NotImplementedError.
    """
    x = as_tensor(x)
    axis = pick(axis, dim, "axis", "dim")
    keep = builtins.bool(keepdim) if keepdim is not None else builtins.bool(keepdims)
    if axis is None and ord is not None and x.ndim not in (1, 2):
        raise ValueError(f"norm: ord={ord!r} needs a 1-D or 2-D tensor or an axis, got {x.ndim}-D")
    if x.ndim == 0 and axis is not None:  # axis 0/-1 of a scalar: its vector norm (PyTorch)
        axes(axis, 0, "norm")
        axis = None
    if axis is None and (ord is None or x.ndim <= 1):
        reduced = axes(None, x.ndim, "norm")
        return _vector_norm(x, 2 if ord is None else ord, reduced, keep)
    if axis is None:
        reduced = (0, 1)
    else:
        reduced = axes(axis, x.ndim, "norm")
    if len(reduced) == 1:
        return _vector_norm(x, 2 if ord is None else ord, reduced, keep)
    if len(reduced) == 2:
        given = axis if axis is not None else (0, 1)
        return _matrix_norm(x, "fro" if ord is None else ord, tuple(given), keep)
    raise ValueError(f"norm: axis must name one or two axes, got {axis}")


def _vector_norm(x: Tensor, ord: Any, reduced: Any, keep: bool) -> Tensor:  # noqa: A002
    if ord == 2:
        return zero_safe_root((x * x).sum(axis=reduced, keepdims=keep), 2)
    if ord == 1:
        return x.abs().sum(axis=reduced, keepdims=keep)
    if ord == np.inf:
        return x.abs().max(axis=reduced, keepdims=keep)
    if ord == -np.inf:
        return x.abs().min(axis=reduced, keepdims=keep)
    if isinstance(ord, (int, float)) and ord > 0:
        return zero_safe_root((x.abs() ** ord).sum(axis=reduced, keepdims=keep), ord)
    raise ValueError(f"norm: vector ord must be 1, 2, inf, -inf or a p > 0, got {ord!r}")


def _matrix_norm(x: Tensor, ord: Any, axis: tuple[int, int], keep: bool) -> Tensor:  # noqa: A002
    rows, cols = (a % x.ndim for a in axis)
    if ord == "fro":
        return zero_safe_root((x * x).sum(axis=(rows, cols), keepdims=keep), 2)
    if ord in (1, -1, np.inf, -np.inf):
        # 1: the largest column sum of |x| (sum over rows); inf: the largest row sum.
        summed, picked = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = x.abs().sum(axis=summed, keepdims=True)
        extreme = sums.max(axis=picked, keepdims=True) if ord > 0 else sums.min(
            axis=picked, keepdims=True)  # fmt: skip
        return extreme if keep else extreme.squeeze(axis=(rows, cols))
    raise NotImplementedError(
        f"norm: matrix ord={ord!r} (spectral/nuclear) is not implemented; use 'fro', 1 or inf"
    )


__all__ = ["det", "inv", "norm", "slogdet", "solve"]
