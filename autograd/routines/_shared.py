"""What the public functions of this package share: turning arguments into Tensors and
normalising axes.

Every axis goes through ``axes``/``axis_of`` here, the one import to repoint when the project's
argument normaliser moves (so a range check is written once, never a silent modulo).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _axes, _operand, as_tensor

__all__ = ["Tensor", "as_tensor", "axes", "axis_of", "pair", "raw"]


def axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """A sorted tuple of non-negative axes (None = all); out of range is a ValueError."""
    return _axes(axis, ndim)


def axis_of(axis: Any, ndim: int, what: str = "axis") -> int:
    """One axis as a non-negative int; out of range is a ValueError naming ``what``."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{what} must be an int, got {type(axis).__name__}")
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ValueError(f"{what} {axis} is out of range for a tensor of {ndim} dimensions")
    return int(axis) % max(ndim, 1)


def pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands as Tensors; a number or array takes the other Tensor's float dtype."""
    if isinstance(a, Tensor):
        return a, _operand(b, a)
    if isinstance(b, Tensor):
        return _operand(a, b), b
    return as_tensor(a), as_tensor(b)


def raw(value: Any) -> Any:
    """The array behind a Tensor, or the value itself."""
    return value.data if isinstance(value, Tensor) else value


def pick(numpy_value: Any, torch_value: Any, numpy_name: str, torch_name: str) -> Any:
    """numpy's spelling of an argument, or PyTorch's (``axis``/``dim``); both given is an error."""
    if torch_value is None:
        return numpy_value
    if numpy_value is not None:
        raise TypeError(f"give {numpy_name}= or {torch_name}=, not both")
    return torch_value
