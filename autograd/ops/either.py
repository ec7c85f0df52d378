"""Helpers that let one backward rule run on Tensors or on plain arrays.

The engine calls each rule with Tensors when it records the backward pass
(``create_graph=True``: second derivatives) and with numpy arrays otherwise, which skips the
bookkeeping of recording and is several times cheaper. Python operators, ``@``, indexing and the
methods numpy and Tensor share (``sum``, ``reshape``, ``T``, ``swapaxes``, ``astype``) work on
both; the few spellings that differ go through these functions, so each derivative is still
written once.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import DEFAULT_FLOAT
from ..tensor import Tensor, as_tensor
from ..tensor import unwrap as data  # noqa: F401  (re-exported: the array behind a Tensor)

#: What a backward rule computes with: a numpy array, or a Tensor when backward records a graph.
Operand = Any


def constant(array: Any, like: Any) -> Any:
    """``array`` as a constant of ``like``'s kind: a Tensor that needs no grad, or an array."""
    array = np.asarray(array)
    return as_tensor(array) if isinstance(like, Tensor) else array


def floating(a: np.ndarray) -> np.ndarray:
    """``a`` when it is floating, else ``a`` as the default float (float32): the forward of a
    float-valued function (exp, sin, erf, ...) on a bool or integer tensor, as PyTorch; numpy
    would give float16 for int8 and bool and float64 for int32 and int64. Integer tensors never
    require grad, so no backward rule sees the cast."""
    return a if a.dtype.kind == "f" else a.astype(DEFAULT_FLOAT)


def exp(x: Any) -> Any:
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def log(x: Any) -> Any:
    return x.log() if isinstance(x, Tensor) else np.log(x)


def broadcast_to(x: Any, shape: tuple[int, ...]) -> Any:
    return x.broadcast_to(shape) if isinstance(x, Tensor) else np.broadcast_to(x, shape)


def permute(x: Any, axes: tuple[int, ...]) -> Any:
    return x.permute(axes) if isinstance(x, Tensor) else x.transpose(axes)


def run(op: Any, *inputs: Any, **params: Any) -> Any:
    """Apply another op inside a rule: recorded on Tensors, its bare forward on arrays."""
    if any(isinstance(value, Tensor) for value in inputs):
        tensors = [v if isinstance(v, Tensor) else as_tensor(np.asarray(v)) for v in inputs]
        return op.apply(*tensors, **params)
    return object.__new__(op).forward(*inputs, **params)
