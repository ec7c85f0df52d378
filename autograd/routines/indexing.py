"""Indexing functions: picking along an axis (numpy's take_along_axis, PyTorch's gather) and
writing out of place (PyTorch's scatter, scatter_add, index_add, masked_fill; numpy's
put_along_axis, which here returns the new tensor instead of writing into its argument).

Indices are integer arrays or Tensors (no gradient); out-of-range indices are an IndexError.

>>> from autograd import Tensor
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> gather(x, 1, np.array([[1], [0]])).tolist()
[[2.0], [3.0]]
>>> y = scatter_add(x, 0, np.array([[1, 1]]), Tensor([[10.0, 20.0]]))
>>> y.tolist()
[[1.0, 2.0], [13.0, 24.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ._shared import Tensor, as_tensor, axis_of, pair, raw


def _indices(indices: Any, name: str) -> np.ndarray:
    indices = np.asarray(raw(indices))
    if indices.dtype.kind not in "iu":
        raise TypeError(f"{name}: indices must be integers, got dtype {indices.dtype}")
    return indices.astype(np.int64, copy=False)


def take_along_axis(x: Any, indices: Any, axis: int) -> Tensor:
    """numpy's take_along_axis: ``x`` picked at ``indices`` along ``axis`` (indices broadcast
    against x on the other axes); repeated indices add their gradients."""
    x = as_tensor(x)
    return ops.TakeAlongAxis.apply(
        x,
        indices=_indices(indices, "take_along_axis"),
        axis=axis_of(axis, x.ndim, "take_along_axis"),
    )


def gather(x: Any, dim: int, index: Any) -> Tensor:
    """PyTorch's gather: out[i][j] = x[index[i][j]][j] for dim 0; ``index`` may be smaller
    than x on the other axes."""
    x = as_tensor(x)
    index = _indices(index, "gather")
    dim = axis_of(dim, x.ndim, "gather")
    if x.ndim == 0 and index.ndim == 0:  # PyTorch: a 0-d input with a 0-d index (0 or -1)
        return gather(x.reshape(1), 0, index.reshape(1)).reshape(())
    if index.ndim != x.ndim:
        raise ValueError(f"gather: index has {index.ndim} dims, input {x.ndim}")
    if any(index.shape[i] > x.shape[i] for i in range(x.ndim) if i != dim):
        raise ValueError(f"gather: index {index.shape} larger than input {x.shape} off dim {dim}")
    corner = tuple(slice(None) if i == dim else slice(0, n) for i, n in enumerate(index.shape))
    if any(index.shape[i] != x.shape[i] for i in range(x.ndim) if i != dim):
        x = x[corner]
    return take_along_axis(x, index, dim)


def _positions(shape: tuple[int, ...], index: np.ndarray, dim: int, name: str) -> np.ndarray:
    """Flat positions in a tensor of ``shape`` written by a scatter along ``dim``."""
    n = shape[dim]
    if index.size and (index.min() < -n or index.max() >= n):
        raise IndexError(f"{name}: index out of range [{-n}, {n}) for dim {dim} of {shape}")
    if index.ndim != len(shape):
        raise ValueError(f"{name}: index has {index.ndim} dims, input {len(shape)}")
    coords = list(np.indices(index.shape, sparse=True))
    coords[dim] = index % n
    return np.ravel_multi_index(tuple(coords), shape)


def _scatter(x: Any, dim: int, index: Any, src: Any, accumulate: bool, name: str) -> Tensor:
    x = as_tensor(x)
    dim = axis_of(dim, x.ndim, name)
    index = _indices(index, name)
    x, src = pair(x, src)
    if x.ndim == 0 and index.ndim == 0 and src.ndim == 0:  # PyTorch accepts a 0-d input
        one = (x.reshape(1), 0, index.reshape(1), src.reshape(1))
        return _scatter(*one, accumulate, name).reshape(())
    if src.ndim and src.shape != index.shape:  # PyTorch: src at least index's size
        src = src[tuple(slice(0, n) for n in index.shape)]
    positions = _positions(x.shape, index, dim, name)
    return ops.Scatter.apply(x, src, positions=positions, accumulate=accumulate)


def scatter(x: Any, dim: int, index: Any, src: Any) -> Tensor:
    """PyTorch's scatter, out of place: a copy of x with x[index[i][j]][j] = src[i][j] (dim 0)."""
    return _scatter(x, dim, index, src, False, "scatter")


def scatter_add(x: Any, dim: int, index: Any, src: Any) -> Tensor:
    """PyTorch's scatter_add, out of place: src added at the scattered positions."""
    return _scatter(x, dim, index, src, True, "scatter_add")


def put_along_axis(x: Any, indices: Any, values: Any, axis: int) -> Tensor:
    """numpy's put_along_axis, but out of place (returns the new tensor; numpy's writes into
    its argument and returns None). ``values`` broadcast against ``indices``."""
    x = as_tensor(x)
    axis = axis_of(axis, x.ndim, "put_along_axis")
    indices = _indices(indices, "put_along_axis")
    if indices.ndim != x.ndim:
        raise ValueError(f"put_along_axis: indices have {indices.ndim} dims, x {x.ndim}")
    # numpy broadcasts size-1 axes of indices (other than axis) across x.
    shape = tuple(x.shape[i] if i != axis and n == 1 else n for i, n in enumerate(indices.shape))
    indices = np.broadcast_to(indices, shape)
    x, values = pair(x, values)
    values = values.broadcast_to(indices.shape) if values.shape != indices.shape else values
    positions = _positions(x.shape, indices, axis, "put_along_axis")
    return ops.Scatter.apply(x, values, positions=positions, accumulate=False)


def index_add(x: Any, dim: int, index: Any, source: Any, *, alpha: float = 1) -> Tensor:
    """PyTorch's index_add, out of place: x with source's slices added at ``index`` along dim
    (repeated indices add up)."""
    x, source = pair(x, source)
    dim = axis_of(dim, x.ndim, "index_add")
    if x.ndim == 0 and source.ndim == 0:  # PyTorch accepts a 0-d input and source
        return index_add(x.reshape(1), 0, index, source.reshape(1), alpha=alpha).reshape(())
    index = _indices(index, "index_add").reshape(-1)
    if source.ndim != x.ndim or source.shape[dim] != index.size:
        raise ValueError(f"index_add: source {source.shape} does not fit index of {index.size}")
    shape = [1] * x.ndim
    shape[dim] = index.size
    full = np.broadcast_to(index.reshape(shape), source.shape)
    scaled = source if alpha == 1 else source * alpha
    return _scatter(x, dim, full, scaled, True, "index_add")


def masked_fill(x: Any, mask: Any, value: Any) -> Tensor:
    """x with ``value`` where ``mask`` is true (PyTorch's masked_fill, out of place); the
    filled places get no gradient, a Tensor value gets theirs."""
    x, value = pair(x, value)
    condition = np.asarray(raw(mask), dtype=bool)
    try:
        fits = np.broadcast_shapes(condition.shape, x.shape) == x.shape
    except ValueError:
        fits = False
    if not fits:  # PyTorch: the mask broadcasts to x, the result has x's shape
        raise ValueError(f"masked_fill: mask of shape {condition.shape} does not broadcast to "
                         f"the input's shape {x.shape}")  # fmt: skip
    return ops.Where.apply(value, x, condition=condition)


__all__ = [
    "gather", "index_add", "masked_fill", "put_along_axis", "scatter", "scatter_add",
    "take_along_axis",
]  # fmt: skip
