"""``autograd.tensor(data)``: a Tensor whose dtype is inferred as ``torch.tensor`` infers it.

``Tensor(data)`` turns Python lists and numbers into float32 (the dtype a network computes in);
``tensor(data)`` follows PyTorch instead, so integer labels stay integers:

>>> from autograd import tensor
>>> tensor([1, 2]).dtype, tensor([1.5]).dtype, tensor([True]).dtype
(dtype('int64'), dtype('float32'), dtype('bool'))
>>> tensor([1, 2.5]).dtype                            # a float anywhere makes it float32
dtype('float32')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import DEFAULT_FLOAT, Tensor


def _inferred_dtype(array: np.ndarray) -> np.dtype:
    """PyTorch's inference for Python data: bool -> bool, int -> int64, float -> float32
    (the default float), complex is refused by Tensor itself."""
    kind = array.dtype.kind
    if kind == "b":
        return np.dtype(np.bool_)
    if kind in "iu":
        return np.dtype(np.int64)
    if kind == "f":
        return DEFAULT_FLOAT
    return array.dtype  # strings, objects, ...: Tensor raises its own clear error


def tensor(
    data: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """A new Tensor holding a copy of ``data``, dtype inferred as ``torch.tensor`` does.

    Args:
        data: a Python number, (nested) list, numpy array or Tensor. Python data: bools become
            ``bool``, integers ``int64``, floats ``float32``. numpy arrays and Tensors keep
            their dtype (as ``torch.tensor(np_array)`` does).
        dtype: convert to this dtype instead of inferring one.
        requires_grad: record operations for ``backward`` (floating dtypes only).
        name: label shown in graph pictures.

    Raises:
        TypeError: ``requires_grad=True`` on a non-floating dtype.

    Unlike ``Tensor(data)``, which makes float32 of Python data and shares a numpy array
    without copying, this always copies (PyTorch's ``torch.tensor`` semantics).

    >>> tensor(3).dtype, tensor(3.0, requires_grad=True).requires_grad
    (dtype('int64'), True)
    """
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, dtype=dtype)
    else:
        array = np.array(data)
        array = array.astype(dtype if dtype is not None else _inferred_dtype(array), copy=False)
    return Tensor(array, requires_grad=requires_grad, name=name)
