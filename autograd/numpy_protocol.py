"""numpy's own functions on Tensors (NEP 13 ``__array_ufunc__``, NEP 18 ``__array_function__``).

``np.exp(t)``, ``np.maximum(t, 0)``, ``np.dot(W, x)``, ``np.sum(t, axis=0)`` … with a Tensor
among the arguments run chainrule's function of the same meaning, so they record into the graph
and return Tensors; plain numpy code differentiates:

>>> import numpy as np
>>> from autograd import Tensor
>>> W = Tensor([[1.0, -2.0], [0.5, 1.0]], requires_grad=True)
>>> x, b = np.array([1.0, 1.0], dtype=np.float32), np.zeros(2, dtype=np.float32)
>>> out = np.maximum(np.dot(W, x) + b, 0)   # the seed's relu(dot(W, input) + b)
>>> out
Tensor([0. , 1.5], dtype=float32, grad_fn=<Maximum>)
>>> np.sum(out).backward()
>>> W.grad.tolist()
[[0.0, 0.0], [1.0, 1.0]]

One table (``UFUNCS`` and ``FUNCTIONS``: numpy name -> chainrule name) says what is covered;
``covered()`` lists it and ``markdown()`` renders it as ``docs/numpy_functions.md`` (written
by ``python docs/make_numpy_functions.py``). A numpy function with no entry raises a
``TypeError`` naming it, never a silently detached ndarray. ``np.asarray(t)`` and
``t.numpy()`` still give the array. ``out=`` is refused when the result needs a gradient (a
write into an array cannot be recorded); otherwise the result is written into ``out``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from . import methods as _methods  # noqa: F401 - the chainrule functions must be attached
from .grad_mode import switches
from .tensor import Tensor

#: ufunc name -> name of the chainrule function (in ``autograd``) with the same meaning.
UFUNCS: dict[str, str] = {
    "add": "add", "subtract": "subtract", "multiply": "multiply", "divide": "divide",
    "power": "power", "float_power": "power", "negative": "negative", "positive": "positive",
    "absolute": "absolute", "matmul": "matmul", "maximum": "maximum", "minimum": "minimum",
    "exp": "exp", "log": "log", "sqrt": "sqrt", "tanh": "tanh", "square": "square",
    "reciprocal": "reciprocal", "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "arcsin",
    "arccos": "arccos", "arctan": "arctan", "arctan2": "arctan2", "hypot": "hypot",
    "sinh": "sinh", "cosh": "cosh", "arcsinh": "arcsinh", "arccosh": "arccosh",
    "arctanh": "arctanh", "exp2": "exp2", "expm1": "expm1", "log2": "log2", "log10": "log10",
    "log1p": "log1p", "logaddexp": "logaddexp", "sign": "sign", "floor": "floor",
    "ceil": "ceil", "trunc": "trunc", "rint": "round", "fmod": "fmod", "remainder": "remainder",
    "floor_divide": "floor_divide", "isnan": "isnan", "isinf": "isinf", "isfinite": "isfinite",
    "greater": "gt", "greater_equal": "ge", "less": "lt", "less_equal": "le", "equal": "eq",
    "not_equal": "ne", "logical_and": "logical_and", "logical_or": "logical_or",
    "logical_not": "logical_not", "logical_xor": "logical_xor",
}  # fmt: skip

#: ``ufunc.reduce``/``ufunc.accumulate`` -> chainrule function (called with axis, keepdims).
UFUNC_METHODS: dict[tuple[str, str], str] = {
    ("add", "reduce"): "sum", ("multiply", "reduce"): "prod", ("maximum", "reduce"): "max",
    ("minimum", "reduce"): "min", ("add", "accumulate"): "cumsum",
    ("multiply", "accumulate"): "cumprod",
}  # fmt: skip

#: numpy function (its path under ``numpy``) -> chainrule function (its path under ``autograd``).
FUNCTIONS: dict[str, str] = {
    # reductions
    "sum": "sum", "mean": "mean", "max": "max", "amax": "max", "min": "min", "amin": "min",
    "prod": "prod", "var": "var", "std": "std", "cumsum": "cumsum", "cumprod": "cumprod",
    "argmax": "argmax", "argmin": "argmin", "any": "any", "all": "all", "nansum": "nansum",
    "nanmean": "nanmean", "linalg.norm": "linalg.norm",
    # element-wise beyond the ufuncs
    "where": "where", "clip": "clip", "round": "round", "around": "round", "fix": "trunc",
    # products
    "dot": "dot", "tensordot": "tensordot", "outer": "outer", "einsum": "einsum",
    "linalg.inv": "linalg.inv", "linalg.det": "linalg.det", "linalg.slogdet": "linalg.slogdet",
    "linalg.solve": "linalg.solve", "trace": "trace",
    # shape and indexing
    "reshape": "reshape", "ravel": "ravel", "transpose": "transpose", "swapaxes": "swapaxes",
    "moveaxis": "moveaxis", "squeeze": "squeeze", "expand_dims": "expand_dims",
    "broadcast_to": "broadcast_to", "concatenate": "concatenate", "stack": "stack",
    "split": "split", "array_split": "array_split", "pad": "pad", "flip": "flip",
    "roll": "roll", "tile": "tile", "repeat": "repeat", "tril": "tril", "triu": "triu",
    "diagonal": "diagonal", "diag": "diag", "take_along_axis": "take_along_axis",
    "meshgrid": "meshgrid",
    # creation from a tensor's shape and dtype (no gradient)
    "zeros_like": "zeros_like", "ones_like": "ones_like", "full_like": "full_like",
}  # fmt: skip

#: numpy functions whose results carry no gradient by nature (shapes, tests, index lists):
#: they run on the arrays behind the Tensors and return what numpy returns. Only functions
#: that return no values of the tensor belong here: ``unique`` returns the values themselves,
#: which would be a silently detached ndarray, so it is refused like any uncovered function.
INSPECTION: frozenset[str] = frozenset({
    "shape", "ndim", "size", "allclose", "isclose", "array_equal", "array_equiv",
    "count_nonzero", "argsort", "nonzero", "argwhere", "flatnonzero",
})  # fmt: skip


def _resolve(path: str) -> Callable[..., Any] | None:
    import autograd

    target: Any = autograd
    for part in path.split("."):
        target = getattr(target, part, None)
    return target


def _numpy_attribute(path: str) -> Any:
    target: Any = np
    for part in path.split("."):
        target = getattr(target, part, None)
    return target


@functools.cache
def dispatch_tables() -> tuple[dict[Any, Callable], dict[tuple[str, str], Callable], dict]:
    """(ufunc -> function, (ufunc name, method) -> function, numpy function -> function): the
    entries whose numpy and chainrule sides both exist, built once on first use."""
    ufuncs = {}
    for numpy_name, ours in UFUNCS.items():
        ufunc, function = _numpy_attribute(numpy_name), _resolve(ours)
        if isinstance(ufunc, np.ufunc) and function is not None:
            ufuncs[ufunc] = function
    methods = {key: f for key, name in UFUNC_METHODS.items() if (f := _resolve(name)) is not None}
    functions = {}
    for numpy_path, ours in FUNCTIONS.items():
        numpy_function, function = _numpy_attribute(numpy_path), _resolve(ours)
        if numpy_function is not None and function is not None:
            functions[numpy_function] = function
    for numpy_name in INSPECTION:
        functions[getattr(np, numpy_name)] = functools.partial(_on_arrays, getattr(np, numpy_name))
    return ufuncs, methods, functions


def _on_arrays(numpy_function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    def plain(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return type(value)(plain(v) for v in value)
        return value.data if isinstance(value, Tensor) else value

    return numpy_function(*plain(args), **{k: plain(v) for k, v in kwargs.items()})


def covered() -> list[tuple[str, str]]:
    """(numpy spelling, chainrule spelling) of every numpy function that works on Tensors."""
    rows = [(f"np.{n}", f"autograd.{o}") for n, o in UFUNCS.items() if _resolve(o)]
    rows += [(f"np.{u}.{m}", f"autograd.{o}") for (u, m), o in UFUNC_METHODS.items() if _resolve(o)]
    rows += [
        (f"np.{n}", f"autograd.{o}")
        for n, o in FUNCTIONS.items()
        if _resolve(o) and _numpy_attribute(n) is not None
    ]
    rows += [(f"np.{n}", "the plain arrays (no gradient)") for n in INSPECTION]
    return sorted(rows)


def markdown() -> str:
    """The table of ``docs/numpy_functions.md``."""
    lines = [
        "# numpy functions that work on Tensors",
        "",
        "Generated by `python docs/make_numpy_functions.py` from the dispatch table in",
        "`autograd/numpy_protocol.py`; do not edit by hand. Each runs the chainrule function",
        "on the right, so it records into the graph and returns a Tensor. Any other numpy",
        "function given a Tensor raises a `TypeError` naming it.",
        "",
        "| numpy | chainrule |",
        "|---|---|",
    ]
    lines += [f"| `{numpy_name}` | `{ours}` |" for numpy_name, ours in covered()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- protocols
# ndarray (op) Tensor goes through np.<ufunc> once Tensor defines __array_ufunc__: the operators
# go straight to Tensor's own (reflected) dunder methods, in one frame, so a mixed expression
# costs only numpy's override check on top of what it cost before.
_OPERATORS = {
    np.add: ("__add__", "__radd__"), np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"), np.divide: ("__truediv__", "__rtruediv__"),
    np.power: ("__pow__", "__rpow__"), np.matmul: ("__matmul__", "__rmatmul__"),
}  # fmt: skip
_FORWARD = {ufunc: getattr(Tensor, names[0]) for ufunc, names in _OPERATORS.items()}
_REFLECTED = {ufunc: getattr(Tensor, names[1]) for ufunc, names in _OPERATORS.items()}


def _array_ufunc(self: Tensor, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
    if len(inputs) == 2 and method == "__call__" and not kwargs:
        if inputs[1] is self and type(inputs[0]) is not Tensor:
            reflected = _REFLECTED.get(ufunc)
            if reflected is not None:
                return reflected(self, inputs[0])
        elif inputs[0] is self:
            forward = _FORWARD.get(ufunc)
            if forward is not None:
                return forward(self, inputs[1])
    out = kwargs.pop("out", None)
    if method == "__call__":
        function = dispatch_tables()[0].get(ufunc)
        if function is None:
            raise TypeError(f"numpy.{ufunc.__name__} has no chainrule op; it cannot take a Tensor")
        if kwargs:
            raise TypeError(f"numpy.{ufunc.__name__} on Tensors: unsupported {sorted(kwargs)}")
        result = function(*inputs)
    else:
        function = dispatch_tables()[1].get((ufunc.__name__, method))
        if function is None:
            raise TypeError(
                f"numpy.{ufunc.__name__}.{method} has no chainrule op; it cannot take a Tensor"
            )
        result = function(*inputs, **kwargs)
    return result if out is None else _write_out(result, out, f"numpy.{ufunc.__name__}")


def _array_function(self: Tensor, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
    for kind in types:
        if not issubclass(kind, (Tensor, np.ndarray)):
            return NotImplemented  # another library's array: let it have a go
    function = dispatch_tables()[2].get(func)
    name = f"{func.__module__}.{func.__name__}".replace("numpy.linalg._linalg", "numpy.linalg")
    if function is None:
        raise TypeError(
            f"{name} has no chainrule op, so it cannot take a Tensor (it would lose the graph); "
            "see docs/numpy_functions.md for the covered functions, or pass t.numpy() to "
            "compute on the plain array"
        )
    out = kwargs.pop("out", None)
    result = function(*args, **kwargs)
    return result if out is None else _write_out(result, out, name)


def _write_out(result: Any, out: Any, name: str) -> Any:
    """Copy ``result`` into numpy's ``out=`` argument, refusing when a gradient would be lost."""
    target = out[0] if isinstance(out, tuple) and len(out) == 1 else out
    needs_grad = isinstance(result, Tensor) and result.requires_grad
    if needs_grad or isinstance(target, Tensor) and target.requires_grad and switches.grad_enabled:
        raise RuntimeError(
            f"{name}(..., out=...): the result needs a gradient and writing into out= cannot "
            "be recorded; assign the returned Tensor instead (e.g. `a = a + t`, not `a += t` "
            "on an ndarray)"
        )
    array = target.data if isinstance(target, Tensor) else target
    np.copyto(array, result.data if isinstance(result, Tensor) else result, casting="same_kind")
    if isinstance(target, Tensor):
        target._version += 1
    return target


Tensor.__array_ufunc__ = _array_ufunc
Tensor.__array_function__ = _array_function
