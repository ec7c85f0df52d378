"""Tensor methods for the functions of ``autograd.routines``, attached in one place.

``METHODS`` maps each method name to the function it calls with the tensor as first argument,
so the list of methods is greppable here. Names follow numpy, PyTorch's spellings too; where the
two disagree numpy wins and the docstring says so: ``t.size`` is numpy's element count (an
attribute), PyTorch's ``t.size()`` is ``t.shape`` here; ``t.numel()`` is the count too.

>>> from autograd import Tensor
>>> t = Tensor([[0.0, 1.0], [2.0, 3.0]])
>>> t.sin().shape, t.numel(), t.dim(), (t // 2).tolist()
((2, 2), 4, 2, [[0.0, 0.0], [1.0, 1.0]])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import dtypes, ops
from .routines import elementwise as ew
from .routines import indexing as ix
from .routines import reductions as rd
from .routines import shape as sh
from .routines.inplace import apply_in_place
from .tensor import Tensor, unwrap_index


def _reflected(function: Callable[[Any, Any], Tensor]) -> Callable[[Tensor, Any], Tensor]:
    def method(self: Tensor, other: Any) -> Tensor:
        return function(other, self)

    method.__name__ = f"r{function.__name__}"
    return method


def numel(self: Tensor) -> int:
    """The number of elements (PyTorch's name for numpy's ``size``)."""
    return self.data.size


def dim(self: Tensor) -> int:
    """The number of dimensions (PyTorch's name for numpy's ``ndim``)."""
    return self.data.ndim


class _SetItemAt:
    """``ops.SetItem`` bound to one index, in the form Tensor's in-place machinery applies."""

    save_inputs = False

    def __init__(self, index: Any) -> None:
        self.index = index

    def apply(self, target: Tensor, value: Tensor) -> Tensor:
        return ops.SetItem.apply(target, value, index=self.index)


def setitem(self: Tensor, index: Any, value: Any) -> None:
    """``t[index] = value``, recorded as the op ``setitem`` with PyTorch's semantics: the
    tensor's history is rebased onto it, so gradients flow to the old values that were kept
    and to ``value``; on a leaf that requires grad it is an error (outside ``no_grad()``).

    A tensor that is a view of another (``x[0]``, ``x.T``) is not tracked back to that other
    tensor: write into the base tensor instead.
    """
    if self.dtype.kind in "biu":  # numpy and PyTorch: the value takes an integer or bool
        value = _values_as(value, self.dtype)  # tensor's dtype (2.7 -> 2); no gradient to lose
    apply_in_place(self, _SetItemAt(unwrap_index(index)), value, "__setitem__")


def _values_as(value: Any, dtype: np.dtype) -> Tensor:
    array = dtypes.to_array(value.data if isinstance(value, Tensor) else value)
    return Tensor(array.astype(dtype, copy=False))


class _Rewrite:
    """A function of the tensor, in the form Tensor's in-place machinery applies (it passes
    an operand this ignores). It claims to save inputs so the machinery hands it a copy of
    the old values whenever a gradient is recorded."""

    save_inputs = True

    def __init__(self, function: Callable[..., Tensor], args: tuple, kwargs: dict) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs

    def apply(self, target: Tensor, _unused: Tensor) -> Tensor:
        return self.function(target, *self.args, **self.kwargs)


def _in_place(function: Callable[..., Tensor], spelling: str) -> Callable[..., Tensor]:
    """PyTorch's ``x.exp_()`` form of ``function``: recorded like ``+=`` (tensor.py)."""

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return apply_in_place(self, _Rewrite(function, args, kwargs), 0.0, spelling)

    method.__name__ = spelling
    method.__doc__ = f"In-place ``{function.__name__}`` (PyTorch's ``{spelling}``)."
    return method


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to ``value`` in place (recorded as ``t[...] = value``)."""
    setitem(self, Ellipsis, value)
    return self


def _cast_to(dtype: Any, name: str) -> Callable[[Tensor], Tensor]:
    def method(self: Tensor) -> Tensor:
        return self.astype(dtype)

    method.__name__ = name
    method.__doc__ = f"``astype({np.dtype(dtype).name})`` (PyTorch's ``{name}()``)."
    return method


def type_(self: Tensor, dtype: Any = None) -> Any:
    """PyTorch's ``type``: the dtype's name without an argument, else ``astype(dtype)``."""
    return self.dtype.name if dtype is None else self.astype(dtype)


#: method name -> function(tensor, *args, **kwargs)
METHODS: dict[str, Callable[..., Any]] = {
    # element-wise
    "sin": ew.sin, "cos": ew.cos, "tan": ew.tan, "arcsin": ew.arcsin, "asin": ew.arcsin,
    "arccos": ew.arccos, "acos": ew.arccos, "arctan": ew.arctan, "atan": ew.arctan,
    "arctan2": ew.arctan2, "atan2": ew.arctan2, "sinh": ew.sinh, "cosh": ew.cosh,
    "arcsinh": ew.arcsinh, "asinh": ew.arcsinh, "arccosh": ew.arccosh, "acosh": ew.arccosh,
    "arctanh": ew.arctanh, "atanh": ew.arctanh, "hypot": ew.hypot, "log2": ew.log2,
    "log10": ew.log10, "log1p": ew.log1p, "exp2": ew.exp2, "expm1": ew.expm1,
    "reciprocal": ew.reciprocal, "square": ew.square, "rsqrt": ew.rsqrt, "sign": ew.sign,
    "floor": ew.floor, "ceil": ew.ceil, "round": ew.round, "trunc": ew.trunc, "fix": ew.trunc,
    "fmod": ew.fmod, "remainder": ew.remainder, "floor_divide": ew.floor_divide,
    "erf": ew.erf, "erfc": ew.erfc, "lerp": ew.lerp, "logaddexp": ew.logaddexp,
    "numel": numel, "dim": dim, "isnan": ew.isnan, "isinf": ew.isinf, "isfinite": ew.isfinite,
    "__floordiv__": ew.floor_divide, "__rfloordiv__": _reflected(ew.floor_divide),
    "__mod__": ew.remainder, "__rmod__": _reflected(ew.remainder),
    # reductions (sum, mean, max, min, logsumexp are tensor.py's own)
    "prod": rd.prod, "var": rd.var, "std": rd.std, "cumsum": rd.cumsum, "cumprod": rd.cumprod,
    "logcumsumexp": rd.logcumsumexp, "any": rd.any, "all": rd.all, "nansum": rd.nansum,
    "nanmean": rd.nanmean, "amax": rd.amax, "amin": rd.amin,
    # shape and indexing; ``repeat`` is numpy's (each element repeated, PyTorch's
    # repeat_interleave); PyTorch's Tensor.repeat(*sizes) is ``tile`` here.
    "flip": sh.flip, "roll": sh.roll, "tile": sh.tile, "repeat": sh.repeat,
    "repeat_interleave": sh.repeat_interleave, "tril": sh.tril, "triu": sh.triu,
    "chunk": sh.chunk, "tensor_split": sh.tensor_split, "moveaxis": sh.moveaxis,
    "movedim": sh.movedim, "swapdims": Tensor.swapaxes, "unflatten": sh.unflatten,
    "diagonal": sh.diagonal, "diag": sh.diag, "trace": sh.trace,
    "take_along_axis": ix.take_along_axis, "gather": ix.gather, "scatter": ix.scatter,
    "scatter_add": ix.scatter_add, "index_add": ix.index_add, "masked_fill": ix.masked_fill,
    "outer": sh.outer, "ravel": sh.ravel, "__setitem__": setitem,
    # PyTorch's method spellings of the operators, comparisons and casts
    "add": ew.add, "sub": ew.subtract, "subtract": ew.subtract, "mul": ew.multiply,
    "multiply": ew.multiply, "div": ew.divide, "divide": ew.divide, "true_divide": ew.divide,
    "pow": ew.power, "negative": ew.negative, "eq": ew.eq, "ne": ew.ne,
    "lt": ew.lt, "le": ew.le, "gt": ew.gt, "ge": ew.ge, "half": _cast_to(np.float16, "half"),
    "int": _cast_to(np.int32, "int"), "long": _cast_to(np.int64, "long"),
    "bool": _cast_to(np.bool_, "bool"), "type": type_, "fill_": fill_,
    # in place, through tensor.py's in-place recording
    **{f"{name}_": _in_place(function, f"{name}_") for name, function in [
        ("exp", Tensor.exp), ("log", Tensor.log), ("sqrt", Tensor.sqrt), ("abs", ew.absolute),
        ("neg", ew.negative), ("pow", ew.power), ("clamp", Tensor.clip), ("clip", Tensor.clip),
        ("sin", ew.sin), ("cos", ew.cos), ("tanh", Tensor.tanh), ("sigmoid", Tensor.sigmoid),
        ("relu", Tensor.relu), ("floor", ew.floor), ("ceil", ew.ceil), ("round", ew.round),
        ("square", ew.square), ("reciprocal", ew.reciprocal), ("masked_fill", ix.masked_fill),
    ]},
}  # fmt: skip

#: Methods tensor.py already defines that these may replace (none today: a wider signature
#: belongs in the routine tensor.py attaches).
REPLACED: frozenset[str] = frozenset()


def attach() -> None:
    """Set every ``METHODS`` entry on Tensor; refuse to shadow a method not listed in REPLACED."""
    for name, function in METHODS.items():
        if (
            name in Tensor.__dict__
            and name not in REPLACED
            and Tensor.__dict__[name] is not function
        ):
            raise RuntimeError(f"methods.py would replace Tensor.{name}; list it in REPLACED")
        setattr(Tensor, name, function)


attach()
