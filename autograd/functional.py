"""Free functions over Tensors (numpy-style spellings of the ops).

>>> from autograd import Tensor, concat, where
>>> a, b = Tensor([1.0, 2.0]), Tensor([3.0])
>>> concat([a, b]).tolist()
[1.0, 2.0, 3.0]
>>> where(a > 1, a, 0.0).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from .tensor import Tensor, _operand, _raw, as_tensor


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    if isinstance(a, Tensor):
        return a, _operand(b, a)
    if isinstance(b, Tensor):
        return _operand(a, b), b
    return as_tensor(a), as_tensor(b)


def matmul(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    return ops.MatMul.apply(a, b)


def dot(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    return a.dot(b)


def tensordot(a: Any, b: Any, axes: int | Sequence[Any] = 2) -> Tensor:
    """Sum of products over paired axes, like ``numpy.tensordot``.

    >>> tensordot(Tensor(np.ones((2, 3))), Tensor(np.ones((3, 4))), axes=1).shape
    (2, 4)
    """
    a, b = _pair(a, b)
    if isinstance(axes, (int, np.integer)):
        axes_a = tuple(range(a.ndim - axes, a.ndim))
        axes_b = tuple(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = (axes_a,) if isinstance(axes_a, (int, np.integer)) else tuple(axes_a)
        axes_b = (axes_b,) if isinstance(axes_b, (int, np.integer)) else tuple(axes_b)
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: {len(axes_a)} axes of a paired with {len(axes_b)} of b")
    return ops.TensorDot.apply(a, b, axes=(axes_a, axes_b))


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight + bias`` as one op; ``weight`` is (in_features, out_features)."""
    inputs = (x, weight) if bias is None else (x, weight, bias)
    return ops.Linear.apply(*inputs)


def concat(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join along an existing axis (``numpy.concatenate``; also spelled ``cat``)."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("concat: need at least one tensor")
    return ops.Concat.apply(*tensors, axis=axis % tensors[0].ndim)


cat = concatenate = concat


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    tensors = [as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: need at least one tensor")
    return ops.Stack.apply(*tensors, axis=axis % (tensors[0].ndim + 1))


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (gradients flow to both branches)."""
    a, b = _pair(a, b)
    return ops.Where.apply(a, b, condition=np.asarray(_raw(condition), dtype=bool))


def maximum(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    return ops.Maximum.apply(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    a, b = _pair(a, b)
    return ops.Minimum.apply(a, b)


def softmax_cross_entropy(logits: Tensor, target: Any) -> Tensor:
    """Mean cross-entropy of ``softmax(logits)`` against integer labels or one-hot rows.

    A floating target Tensor that requires grad (soft targets) gets its gradient too.
    """
    if not isinstance(target, Tensor):
        target = Tensor._make(np.asarray(target), False, None)
    if target.dtype.kind in "iub" and target.ndim == 2:  # integer one-hot rows, not labels
        target = target.astype(logits.dtype)
    return ops.SoftmaxCrossEntropy.apply(logits, target)


def exp(x: Any) -> Tensor:
    return as_tensor(x).exp()


def log(x: Any) -> Tensor:
    return as_tensor(x).log()


def sqrt(x: Any) -> Tensor:
    return as_tensor(x).sqrt()


def tanh(x: Any) -> Tensor:
    return as_tensor(x).tanh()


def sigmoid(x: Any) -> Tensor:
    return as_tensor(x).sigmoid()


def relu(x: Any) -> Tensor:
    return as_tensor(x).relu()


def softmax(x: Any, axis: int = -1) -> Tensor:
    return as_tensor(x).softmax(axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    return as_tensor(x).log_softmax(axis)
