"""What the public functions of this package share: turning arguments into Tensors and
normalising axes through the one argument normaliser (``autograd.arguments``), so a range check
is written once, never a silent modulo."""

from __future__ import annotations

from typing import Any

from .. import arguments
from ..tensor import Tensor, as_tensor, operands, unwrap

__all__ = ["Tensor", "as_tensor", "axes", "axis_of", "pair", "pick", "raw"]

raw = unwrap
pair = operands


def axes(axis: Any, ndim: int, op: str) -> tuple[int, ...] | None:
    """A sorted tuple of non-negative axes (None = all); out of range is an AxisError naming
    ``op``, the public function's name (required, so no routine's error says just "axis")."""
    return arguments.axes(op, axis, ndim)


def axis_of(axis: Any, ndim: int, what: str) -> int:
    """One axis as a non-negative int; out of range is an AxisError naming ``what``, the public
    function's name (required, so no routine's error says just "axis")."""
    return arguments.axis(what, axis, ndim)


def pick(numpy_value: Any, torch_value: Any, numpy_name: str, torch_name: str) -> Any:
    """numpy's spelling of an argument, or PyTorch's (``axis``/``dim``); both given is an error."""
    if torch_value is None:
        return numpy_value
    if numpy_value is not None:
        raise TypeError(f"give {numpy_name}= or {torch_name}=, not both")
    return torch_value
