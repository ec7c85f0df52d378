"""Argument normalisation, in one place: shapes, axes (with their range check), ``dim``/``keepdim``.

Every method and function that takes a shape or an axis passes it through here, so an axis out
of range is always an error naming the op, the axis and the number of dimensions — never a silent
modulo. The error is numpy's ``AxisError``, which is both an ``IndexError`` (what PyTorch raises)
and a ``ValueError``.

A 0-d tensor accepts axis 0 and -1, as in PyTorch (numpy refuses them): reducing or squeezing a
scalar over "its" axis leaves it as it is.

>>> axes("sum", (0, -1), 3)
(0, 2)
>>> axis("stack", 5, 3)
Traceback (most recent call last):
...
numpy.exceptions.AxisError: stack: axis 5 is out of bounds for array of dimension 3
>>> shape("reshape", ((2, -1),), infer=True)
(2, -1)
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from numpy.exceptions import AxisError

__all__ = ["AxisError", "axes", "axis", "choose", "integer", "integers", "keep", "shape"]


def axis(op: str, value: Any, ndim: int) -> int:
    """``value`` as an axis in ``range(ndim)``; negative counts from the end.

    A 0-d tensor takes 0 and -1 (PyTorch), which become 0. Raises ``AxisError`` (an
    ``IndexError`` and a ``ValueError``) naming ``op`` when out of range, ``TypeError`` when not
    an integer.
    """
    if type(value) is not int:
        value = _integer(op, "axis", value)
    bound = ndim if ndim else 1
    if not -bound <= value < bound:
        raise AxisError(value, ndim, op)
    return value + bound if value < 0 else value


def axes(op: str, value: Any, ndim: int) -> tuple[int, ...] | None:
    """An axis, or a tuple/list of them, as a sorted tuple of distinct axes; None stays None
    (all axes). On a 0-d tensor the valid axes 0/-1 give ``()``: nothing to reduce."""
    if value is None:
        return None
    if type(value) is int and 0 <= value < ndim:  # the common case, without the loop
        return (value,)
    values = value if isinstance(value, (tuple, list)) else (value,)
    normalised = sorted({axis(op, v, ndim) for v in values})
    if len(normalised) != len(values):
        raise ValueError(f"{op}: repeated axis in {tuple(values)}")
    return tuple(normalised) if ndim else ()


def shape(op: str, args: Sequence[Any], infer: bool = False) -> tuple[int, ...]:
    """A shape given as numbers (``reshape(2, 3)``) or as one sequence (``reshape((2, 3))``).

    ``infer=True`` allows one -1 (the size that makes the element count fit, as in reshape).
    Raises ``TypeError`` for a non-integer size, ``ValueError`` for a negative one.
    """
    if len(args) == 1 and not _is_integer(args[0]):
        args = args[0]
        if not isinstance(args, Sequence):
            raise TypeError(f"{op}: a shape is integers or one sequence of them, got {args!r}")
    sizes = tuple(_integer(op, "size", n) for n in args)
    negative = [n for n in sizes if n < 0]
    if negative and not (infer and negative == [-1]):
        allowed = "sizes must be >= 0 (one -1 may stand for the rest)" if infer else "sizes >= 0"
        raise ValueError(f"{op}: invalid shape {sizes}; {allowed}")
    return sizes


def choose(axis: Any, dim: Any) -> Any:
    """numpy's ``axis=`` or PyTorch's ``dim=``; whichever was given."""
    return axis if dim is None else dim


def keep(keepdims: bool, keepdim: bool | None) -> bool:
    """numpy's ``keepdims=`` or PyTorch's ``keepdim=``; whichever was given."""
    return bool(keepdims) if keepdim is None else bool(keepdim)


def integer(op: str, what: str, value: Any) -> int:
    """``value`` as an int; a float (``1.5``), bool, string or None is a TypeError naming
    ``op`` and ``what``, never silently truncated by ``int()``."""
    return _integer(op, what, value)


def integers(op: str, what: str, value: Any) -> int | tuple[int, ...]:
    """An integer, or a sequence of them as a tuple (``roll``'s shifts, ``tile``'s reps)."""
    if _is_integer(value):
        return _integer(op, what, value)
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        value = value.tolist()  # a numpy array of indices
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{op}: {what} must be an integer or a sequence of them, got {value!r}")
    return tuple(_integer(op, what, v) for v in value)


def _is_integer(value: Any) -> bool:
    try:
        operator.index(value)
    except TypeError:
        return False
    return not isinstance(value, bool)


def _integer(op: str, what: str, value: Any) -> int:
    if isinstance(value, bool) or not _is_integer(value):
        raise TypeError(f"{op}: {what} must be an integer, got {value!r}")
    return operator.index(value)
