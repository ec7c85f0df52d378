"""Reductions and running reductions under numpy's names; PyTorch's ``dim``/``keepdim`` and
``correction``/``unbiased`` are accepted too.

Shapes: a reduction drops its axes (or keeps them as size 1 with ``keepdims``); ``axis=None``
reduces everything (the running ones flatten first, as numpy). An axis out of range is an
AxisError (a ValueError and an IndexError).
``argmax``/``argmin``/``any``/``all`` return integer or bool Tensors (no gradient).

>>> from autograd import Tensor
>>> x = Tensor([[1.0, 2.0], [0.0, 4.0]], requires_grad=True)
>>> prod(x, axis=1).tolist(), var(x, correction=1).item()
([2.0, 0.0], 2.9166667461395264)
>>> prod(x).backward(); x.grad.tolist()   # one zero: only its own entry has a gradient
[[0.0, 0.0], [8.0, 0.0]]
>>> cumsum(x, dim=0).tolist(), x.argmax(axis=1, keepdims=True).tolist()
([[1.0, 2.0], [1.0, 6.0]], [[1], [1]])
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from .. import ops
from ._shared import Tensor, as_tensor, axes, axis_of, pick
from .axes import max, min, sum  # noqa: A004  (numpy's names, this package only)
from .elementwise import isnan


def _reduction_args(name: str, x: Tensor, axis: Any, dim: Any, keepdims: bool, keepdim: Any):
    keep = builtins.bool(keepdim) if keepdim is not None else builtins.bool(keepdims)
    return axes(pick(axis, dim, "axis", "dim"), x.ndim, name), keep


def _cast(x: Any, dtype: Any) -> Tensor:
    x = as_tensor(x)
    return x if dtype is None else x.astype(dtype)


amax, amin = max, min


def prod(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, *,
         dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Product over ``axis``; the gradient is right with zeros among the elements (op prod)."""
    x = _cast(x, dtype)
    axis, keep = _reduction_args("prod", x, axis, dim, keepdims, keepdim)
    return ops.Prod.apply(x, axis=axis, keepdims=keep)


def _ddof(ddof: Any, correction: Any, unbiased: Any) -> int:
    given = [name for name, v in (("ddof", ddof), ("correction", correction),
                                  ("unbiased", unbiased)) if v is not None]  # fmt: skip
    if len(given) > 1:
        raise TypeError(f"var/std: give one of ddof, correction, unbiased, not {given}")
    if unbiased is not None:
        return 1 if unbiased else 0
    value = ddof if ddof is not None else correction
    return 0 if value is None else int(value)


def var(x: Any, axis: Any = None, dtype: Any = None, ddof: int | None = None,
        keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None,
        correction: int | None = None, unbiased: bool | None = None) -> Tensor:  # fmt: skip
    """Variance sum((x - mean)^2) / (N - ddof) over ``axis``.

    The default divides by N, as numpy (``ddof=0``); PyTorch's default divides by N - 1: pass
    ``correction=1`` or ``unbiased=True`` for it. (One spelling of the three at a time.)
    """
    return _variance(
        "var", x, axis, dtype, keepdims, dim, keepdim, _ddof(ddof, correction, unbiased)
    )


def _variance(name: str, x: Any, axis: Any, dtype: Any, keepdims: bool, dim: Any, keepdim: Any,
              ddof: int) -> Tensor:  # fmt: skip
    x = _cast(x, dtype)
    axis, keep = _reduction_args(name, x, axis, dim, keepdims, keepdim)
    return ops.Var.apply(x, axis=axis, ddof=ddof, keepdims=keep)


def std(x: Any, axis: Any = None, dtype: Any = None, ddof: int | None = None,
        keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None,
        correction: int | None = None, unbiased: bool | None = None) -> Tensor:  # fmt: skip
    """Standard deviation, sqrt(var) with ``var``'s arguments (numpy's default ddof=0)."""
    ddof = _ddof(ddof, correction, unbiased)
    return zero_safe_root(_variance("std", x, axis, dtype, keepdims, dim, keepdim, ddof), 2)


def zero_safe_root(s: Tensor, p: float) -> Tensor:
    """``s ** (1/p)`` for ``s >= 0`` whose gradient is 0 where ``s`` is 0, not inf: what
    PyTorch's std and norm backward do (they mask ``grad / (p * out)`` where ``out == 0``),
    so the std of a constant and the norm of a zero vector have gradient 0, not NaN
    (inf from the root times 0 from the sum of squares). Composed of recorded ops, so second
    derivatives follow; without zeros it is the plain root."""
    zero = s.data == 0
    if not zero.any():
        return s.sqrt() if p == 2 else s ** (1.0 / p)
    one, nought = Tensor(np.ones((), s.dtype)), Tensor(np.zeros((), s.dtype))
    safe = ops.Where.apply(one, s, condition=zero)  # 1 stands in for 0: a finite slope
    root = safe.sqrt() if p == 2 else safe ** (1.0 / p)
    return ops.Where.apply(nought, root, condition=zero)


def _scan(op: Any, x: Any, axis: Any, dim: Any, dtype: Any = None) -> Tensor:
    """``op.name`` is the routine's public name (cumsum, cumprod, logcumsumexp)."""
    x = _cast(x, dtype)
    axis = pick(axis, dim, "axis", "dim")
    if axis is None:  # numpy: over the flattened array
        x, axis = x.reshape(-1), 0
    axis = axis_of(axis, x.ndim, op.name)
    if x.ndim == 0:  # PyTorch: the running reduction of a scalar is the scalar, still 0-d
        return op.apply(x.reshape(1), axis=0).reshape(())
    return op.apply(x, axis=axis)


def cumsum(x: Any, axis: int | None = None, dtype: Any = None, *, dim: int | None = None
           ) -> Tensor:  # fmt: skip
    """Running sum along ``axis`` (None: of the flattened tensor, as numpy)."""
    return _scan(ops.CumSum, x, axis, dim, dtype)


def cumprod(x: Any, axis: int | None = None, dtype: Any = None, *, dim: int | None = None
            ) -> Tensor:  # fmt: skip
    """Running product along ``axis``; the gradient is right with zeros (op cumprod)."""
    return _scan(ops.CumProd, x, axis, dim, dtype)


def logcumsumexp(x: Any, axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """log of the running sum of exp along ``axis``, without overflow (PyTorch's)."""
    return _scan(ops.LogCumSumExp, x, axis, dim)


def any(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None,  # noqa: A001
        keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Whether any element is true (non-zero) over ``axis``: a bool Tensor."""
    x = as_tensor(x)
    axis, keep = _reduction_args("any", x, axis, dim, keepdims, keepdim)
    return Tensor(np.asarray(np.any(x.data, axis=axis, keepdims=keep)))


def all(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None,  # noqa: A001
        keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Whether every element is true (non-zero) over ``axis``: a bool Tensor."""
    x = as_tensor(x)
    axis, keep = _reduction_args("all", x, axis, dim, keepdims, keepdim)
    return Tensor(np.asarray(np.all(x.data, axis=axis, keepdims=keep)))


def nansum(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, *,
           dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Sum treating NaN as zero; NaN entries get a zero gradient."""
    x = _cast(x, dtype)
    cleaned = ops.Where.apply(x, Tensor(np.zeros((), x.dtype)), condition=~np.isnan(x.data))
    return sum(cleaned, axis, keepdims, dim=dim, keepdim=keepdim)


def nanmean(x: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, *,
            dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Mean of the non-NaN entries (NaN where all are NaN, as numpy); NaN entries get a zero
    gradient."""
    x = _cast(x, dtype)
    total = nansum(x, axis, keepdims=keepdims, dim=dim, keepdim=keepdim)
    counted = sum(~isnan(x).data, axis, keepdims, dim=dim, keepdim=keepdim).data
    # Divide in at least float32: a count above 65504 is inf in float16 (issue 9's counts).
    wide = np.promote_types(x.dtype, np.float32)
    return (total.astype(wide) / counted.astype(wide)).astype(x.dtype)


__all__ = [
    "all", "amax", "amin", "any", "cumprod", "cumsum", "logcumsumexp", "nanmean", "nansum",
    "prod", "std", "var",
]  # fmt: skip
