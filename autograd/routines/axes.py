"""Routines that take a shape or axes: reductions, softmax, argmax, and the shape changes.

Each is also a Tensor method (``x.sum(0)`` is ``sum(x, 0)``). Axis arguments pass through
``autograd.arguments``: out of range is an ``AxisError`` (an ``IndexError`` and a ``ValueError``)
naming the op; a 0-d tensor accepts axis 0 and -1, as in PyTorch.

>>> from autograd import Tensor
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]])
>>> x.sum(dim=0, keepdim=True).tolist()
[[4.0, 6.0]]
>>> Tensor(1.0).sum(0).shape
()
>>> x.squeeze(5)
Traceback (most recent call last):
...
numpy.exceptions.AxisError: squeeze: axis 5 is out of bounds for array of dimension 2
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import arguments as args
from .. import ops
from ..tensor import Tensor, as_tensor


def _reduce(op: Any, x: Tensor, axis: Any, keepdims: bool, dim: Any, keepdim: Any) -> Tensor:
    axes = args.axes(op.name, args.choose(axis, dim), x.data.ndim)
    return op.apply(x, axis=axes, keepdims=args.keep(keepdims, keepdim))


def sum(x: Tensor, axis: Any = None, keepdims: bool = False, *, dtype: Any = None,  # noqa: A001
        dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Sum over ``axis`` (an int, a tuple of them, or None for all); ``dtype`` converts first
    (numpy's ``sum(dtype=)``, keyword-only: the second positional argument is ``keepdims``,
    as in PyTorch's ``sum(dim, keepdim)``), so the gradient comes back in the input's dtype."""
    return _reduce(ops.Sum, _cast(x, dtype), axis, keepdims, dim, keepdim)


def mean(x: Tensor, axis: Any = None, keepdims: bool = False, *, dtype: Any = None,
         dim: Any = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Mean over ``axis`` (an int, a tuple of them, or None for all); ``dtype`` converts first."""
    return _reduce(ops.Mean, _cast(x, dtype), axis, keepdims, dim, keepdim)


def _cast(x: Any, dtype: Any) -> Tensor:
    x = as_tensor(x)
    return x if dtype is None else x.astype(dtype)


def max(x: Tensor, axis: Any = None, keepdims: bool = False, *, dim: Any = None,  # noqa: A001
        keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Largest value over ``axis``; ties share the gradient equally (like ``torch.amax``)."""
    return _reduce(ops.Max, x, axis, keepdims, dim, keepdim)


def min(x: Tensor, axis: Any = None, keepdims: bool = False, *, dim: Any = None,  # noqa: A001
        keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Smallest value over ``axis``; ties share the gradient equally (like ``torch.amin``)."""
    return _reduce(ops.Min, x, axis, keepdims, dim, keepdim)


def logsumexp(x: Tensor, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
              keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """log(sum(exp(x))) over ``axis``, without overflow."""
    return _reduce(ops.LogSumExp, x, axis, keepdims, dim, keepdim)


def _softmax_axis(op: str, x: Tensor, axis: Any, dim: Any) -> int | None:
    # A 0-d tensor has no axis to normalise over; None makes numpy treat it as one element.
    axis = args.axis(op, args.choose(axis, dim), x.data.ndim)
    return axis if x.data.ndim else None


def softmax(x: Tensor, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``axis`` (default the last)."""
    x = as_tensor(x)
    axis = _softmax_axis("softmax", x, axis, dim)
    out = ops.Softmax.apply(x, axis=axis)
    # Keras's _keras_logits: a crossentropy over the last axis can use the stable logits form.
    out._softmax_logits = x if axis == x.data.ndim - 1 else None
    return out


def log_softmax(x: Tensor, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """x - logsumexp(x) along ``axis`` (default the last)."""
    x = as_tensor(x)
    return ops.LogSoftmax.apply(x, axis=_softmax_axis("log_softmax", x, axis, dim))


def argmax(x: Tensor, axis: int | None = None, keepdims: bool = False, *,
           dim: int | None = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Index of the largest value (over all elements, flattened, when ``axis`` is None); no
    gradient."""
    return _arg("argmax", x, args.choose(axis, dim), args.keep(keepdims, keepdim))


def argmin(x: Tensor, axis: int | None = None, keepdims: bool = False, *,
           dim: int | None = None, keepdim: bool | None = None) -> Tensor:  # fmt: skip
    """Index of the smallest value (over all elements, flattened, when ``axis`` is None); no
    gradient."""
    return _arg("argmin", x, args.choose(axis, dim), args.keep(keepdims, keepdim))


def _arg(op: str, x: Tensor, axis: Any, keepdims: bool) -> Tensor:
    x = as_tensor(x)
    if axis is not None:
        axis = args.axis(op, axis, x.data.ndim)
        if x.data.ndim == 0:
            axis = None  # a scalar's one element is at index 0 (numpy takes no axis here)
    index = getattr(x.data, op)(axis=axis, keepdims=keepdims)
    return Tensor._make(np.asarray(index), False, None)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """The same elements in ``shape`` (numbers or one tuple; one -1 stands for the rest)."""
    shape = args.shape("reshape", shape, infer=True)
    return x if shape == x.data.shape else ops.Reshape.apply(x, shape=shape)


def broadcast_to(x: Tensor, *shape: Any) -> Tensor:
    """Repeat along new or size-1 axes to ``shape`` (numpy's broadcasting rules)."""
    shape = args.shape("broadcast_to", shape)
    return x if shape == x.data.shape else ops.BroadcastTo.apply(x, shape=shape)


def transpose(x: Tensor, *axes: Any) -> Tensor:
    """Reverse the axes (no argument, ``.T``), permute them (one sequence, numpy), or swap two
    given as two numbers (``transpose(0, 1)``, PyTorch's meaning).

    >>> Tensor([[1.0, 2.0]]).transpose(0, 1).shape
    (2, 1)
    """
    if not axes:
        return ops.Transpose.apply(x, axes=tuple(range(x.data.ndim - 1, -1, -1)))
    if len(axes) == 2 and not isinstance(axes[0], (tuple, list)):
        return _swap("transpose", x, *axes)
    return _permute("transpose", x, axes)


def permute(x: Tensor, *axes: Any) -> Tensor:
    """Reorder all axes: ``permute(2, 0, 1)`` (PyTorch; numpy's ``transpose((2, 0, 1))``)."""
    return _permute("permute", x, axes)


def swapaxes(x: Tensor, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes (numpy's ``swapaxes``, PyTorch's ``transpose(dim0, dim1)``)."""
    return _swap("swapaxes", x, axis1, axis2)


def _permute(op: str, x: Tensor, axes: tuple[Any, ...]) -> Tensor:
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    order = tuple(args.axis(op, a, x.data.ndim) for a in axes)
    if sorted(order) != list(range(x.data.ndim)):
        raise ValueError(
            f"{op}: axes {axes} are not a permutation of the {x.data.ndim} axes of shape "
            f"{x.data.shape}; give each axis once (or two axes to swap)"
        )
    return ops.Transpose.apply(x, axes=order)


def _swap(op: str, x: Tensor, axis1: Any, axis2: Any) -> Tensor:
    ndim = x.data.ndim
    a, b = args.axis(op, axis1, ndim), args.axis(op, axis2, ndim)
    if ndim == 0:
        return x
    order = list(range(ndim))
    order[a], order[b] = order[b], order[a]
    return ops.Transpose.apply(x, axes=tuple(order))


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes ``start_dim``..``end_dim`` into one (all of them by default, like numpy)."""
    shape = x.data.shape
    start = args.axis("flatten", start_dim, len(shape))
    end = args.axis("flatten", end_dim, len(shape))
    if not shape:
        return reshape(x, 1)
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    merged = int(np.prod(shape[start : end + 1]))
    return reshape(x, shape[:start] + (merged,) + shape[end + 1 :])


def squeeze(x: Tensor, axis: Any = None, *, dim: Any = None) -> Tensor:
    """Drop axes of size 1 (all of them, or those given; an axis of another size is an error,
    as in numpy, where PyTorch would leave it)."""
    shape = x.data.shape
    axes = args.axes("squeeze", args.choose(axis, dim), len(shape))
    if axes is None:
        return reshape(x, tuple(n for n in shape if n != 1))
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} of shape {shape} has size {shape[a]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(shape) if i not in axes))


def unsqueeze(x: Tensor, axis: int, *, dim: int | None = None) -> Tensor:
    """Insert an axis of size 1 at ``axis`` (in ``-(ndim + 1)..ndim``)."""
    shape = x.data.shape
    axis = args.axis("unsqueeze", args.choose(axis, dim), len(shape) + 1)
    return reshape(x, shape[:axis] + (1,) + shape[axis:])


def concat(tensors: Any, axis: int = 0) -> Tensor:
    """Join along an existing axis (``numpy.concatenate``; also spelled ``cat``);
    ``axis=None`` joins the flattened tensors, as numpy's."""
    tensors = _tensors("concat", tensors)
    if axis is None:
        tensors, axis = [t.reshape(-1) for t in tensors], 0
    for position, t in enumerate(tensors):
        if t.data.ndim == 0:
            raise ValueError(
                f"concat: the tensor at position {position} is 0-d and has no axis to join "
                "along; use stack to make a new axis"
            )
    return ops.Concat.apply(*tensors, axis=args.axis("concat", axis, tensors[0].data.ndim))


def stack(tensors: Any, axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis at ``axis`` (in ``-(ndim + 1)..ndim``)."""
    tensors = _tensors("stack", tensors)
    return ops.Stack.apply(*tensors, axis=args.axis("stack", axis, tensors[0].data.ndim + 1))


def _tensors(op: str, values: Any) -> list[Tensor]:
    tensors = [as_tensor(value) for value in values]
    if not tensors:
        raise ValueError(f"{op}: need at least one tensor")
    return tensors
