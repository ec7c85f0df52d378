"""Routines: numpy-style functions over Tensors (numbers, lists and arrays accepted too).

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

from .. import arguments as args
from .. import ops
from ..tensor import Tensor, as_tensor, operands, unwrap


def matmul(a: Any, b: Any) -> Tensor:
    a, b = operands(a, b)
    return ops.MatMul.apply(a, b)


def dot(a: Any, b: Any) -> Tensor:
    """numpy.dot: matmul up to 2-D, else a sum over a's last axis and b's second-to-last."""
    a, b = operands(a, b)
    if a.ndim <= 2 and b.ndim <= 2:
        return ops.MatMul.apply(a, b)
    return ops.TensorDot.apply(a, b, axes=((a.ndim - 1,), (max(b.ndim - 2, 0),)))


def tensordot(a: Any, b: Any, axes: int | Sequence[Any] = 2) -> Tensor:
    """Sum of products over paired axes, like ``numpy.tensordot``.

    >>> tensordot(Tensor(np.ones((2, 3))), Tensor(np.ones((3, 4))), axes=1).shape
    (2, 4)
    """
    a, b = operands(a, b)
    if isinstance(axes, (int, np.integer)):
        if not 0 <= axes <= min(a.ndim, b.ndim):
            raise ValueError(
                f"tensordot: axes={axes} pairs more axes than shapes {a.shape} and {b.shape} have"
            )
        axes_a, axes_b = tuple(range(a.ndim - axes, a.ndim)), tuple(range(axes))
    else:
        axes_a, axes_b = (_axis_list(part, ndim) for part, ndim in zip(axes, (a.ndim, b.ndim)))
    if len(axes_a) != len(axes_b):
        raise ValueError(f"tensordot: {len(axes_a)} axes of a paired with {len(axes_b)} of b")
    return ops.TensorDot.apply(a, b, axes=(axes_a, axes_b))


def _axis_list(value: Any, ndim: int) -> tuple[int, ...]:
    values = value if isinstance(value, (tuple, list)) else (value,)
    if ndim == 0 and values:  # a 0-d operand has no axis to contract (PyTorch agrees)
        raise args.AxisError(values[0], 0, "tensordot")
    return tuple(args.axis("tensordot", v, ndim) for v in values)


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ weight + bias`` as one op; ``weight`` is (in_features, out_features)."""
    inputs = (x, weight) if bias is None else (x, weight, bias)
    return ops.Linear.apply(*inputs)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """``a`` where ``condition`` holds, else ``b`` (gradients flow to both branches)."""
    a, b = operands(a, b)
    return ops.Where.apply(a, b, condition=np.asarray(unwrap(condition), dtype=bool))


def clip(x: Tensor, a_min: Any = None, a_max: Any = None, *,
         min: Any = None, max: Any = None) -> Tensor:  # noqa: A002  # fmt: skip
    """Limit values to [a_min, a_max] (numpy's names; PyTorch's ``clamp(min=, max=)`` too); the
    gradient passes where the value was inside, as PyTorch's ``clamp``.

    Raises:
        ValueError: when neither bound is given.
    """
    low = a_min if min is None else min
    high = a_max if max is None else max
    if low is None and high is None:
        raise ValueError("clip: give at least one of min and max")
    return ops.Clip.apply(as_tensor(x), low=low, high=high)


def maximum(a: Any, b: Any) -> Tensor:
    a, b = operands(a, b)
    return ops.Maximum.apply(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    a, b = operands(a, b)
    return ops.Minimum.apply(a, b)


def softmax_cross_entropy(logits: Tensor, target: Any) -> Tensor:
    """Mean cross-entropy of ``softmax(logits)`` against integer labels or one-hot rows.

    A floating target Tensor that requires grad (soft targets) gets its gradient too.
    """
    if not isinstance(target, Tensor):  # integer labels keep their dtype (as_tensor's float32
        target = as_tensor(np.asarray(target))  # default is for lists of values)
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
