"""dtypes: what a value may become (``to_array``) and what two operands give (``result_type``).

Both rules live here and nowhere else. ``to_array`` is the one door through which foreign values
(Python numbers, lists, numpy arrays) enter a Tensor; it refuses anything that is not a real
number (None, strings, objects, complex), which would otherwise become NaN, parse silently, cut
the graph, or lose an imaginary part.

>>> import numpy as np
>>> result_type(np.dtype("int32"), 2, int, 0)
dtype('int32')
>>> result_type(np.dtype("int32"), 2, float, 0)
dtype('float32')
>>> to_array([1.0, None])
Traceback (most recent call last):
...
TypeError: expected real numbers, got object values (e.g. None) from [1.0, None]
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

#: Lists and Python numbers become this; an integer operand meeting a float one gives it too.
DEFAULT_FLOAT = np.dtype(np.float32)

# Strength of an operand in promotion (PyTorch's three groups, weakest first).
WEAK, ZERO_D, DIMENSIONED = 0, 1, 2

_NUMBER_KINDS = frozenset("biuf")
_WEAK_DTYPES = {"b": np.dtype(bool), "i": np.dtype(np.int64), "u": np.dtype(np.int64),
                "f": DEFAULT_FLOAT}  # fmt: skip
_PYTHON_KINDS = {bool: "b", int: "i", float: "f"}


def to_array(value: Any, dtype: Any = None) -> np.ndarray:
    """``value`` as an array of real numbers; numpy arrays of ``dtype`` (or with None) are
    returned as they are, not copied; lists and Python numbers default to float32.

    Raises:
        TypeError: for values that are not real numbers (None, str, bytes, objects, complex,
            dates), naming the dtype and the value.
    """
    if type(value) is np.ndarray:
        array = value
    elif isinstance(value, np.generic):
        array = np.asarray(value)
    else:
        if type(value) in _PYTHON_KINDS and dtype is not None:
            return np.asarray(value, dtype=dtype)
        array = np.asarray(value)
        if dtype is None and array.dtype.kind in "biuf":
            dtype = DEFAULT_FLOAT  # lists and numbers of any kind: the default float
    if array.dtype.kind not in _NUMBER_KINDS:
        raise TypeError(_not_a_number(value, array))
    if dtype is None or array.dtype == dtype:
        return array
    return array.astype(dtype)


def weak_dtype(value: Any) -> np.dtype:
    """The dtype a non-Tensor operand counts as in promotion: only its kind matters."""
    kind = _PYTHON_KINDS.get(type(value))
    if kind is None:
        dtype = getattr(value, "dtype", None)
        if not isinstance(dtype, np.dtype):
            dtype = to_array(value).dtype if _is_listlike(value) else np.asarray(value).dtype
        if dtype.kind not in _NUMBER_KINDS:
            raise TypeError(_not_a_number(value, np.asarray(value)))
        kind = dtype.kind
    return _WEAK_DTYPES[kind]


@lru_cache(maxsize=1024)
def result_type(dtype_a: np.dtype, strength_a: int, dtype_b: Any, strength_b: int) -> np.dtype:
    """The dtype of a binary op's result (PyTorch's ``torch.result_type`` rules).

    Each operand is a dimensioned Tensor (strength 2), a 0-d Tensor (1), or a weak operand (0):
    a Python number, numpy scalar or numpy array, of which only the kind (bool, integer, float)
    counts (``int``/``float``/``bool`` stand for those kinds). Kinds rank bool < integer < float.
    The result is the dtype of the strongest operand of the highest kind present:

    ======================================  ==========  ======================================
    operands                                result      why
    ======================================  ==========  ======================================
    int32 n-d + Python int                  int32       a weak operand of the same kind
    float32 n-d + float64 0-d Tensor        float32     a 0-d Tensor of the same kind
    float32 n-d + int64 n-d                 float32     integers never widen a float
    int32 n-d + Python float, ``** 0.5``    float32     the default float for a weak float
    int32 n-d + float32 0-d                 float32     a 0-d of a higher kind counts
    int32 n-d + float64 0-d                 float64     ... with its own width (PyTorch)
    int8 n-d + uint8 n-d                    int16       same strength: numpy's table
    float16 n-d + float64 numpy array       float16     numpy arrays are weak (see below)
    bool n-d + Python int                   int64       a weak int counts as int64
    ======================================  ==========  ======================================

    Deliberate difference from PyTorch: numpy arrays and numpy scalars next to a Tensor are weak,
    like Python numbers, so ``x + np.ones(3)`` (float64) keeps x's float32, as the MNIST arrays a
    user passes in should not turn a float32 network into float64. True division of integers
    gives the default float (callers apply that, as PyTorch's ``div``).
    """
    groups: list[np.dtype | None] = [None, None, None]
    for dtype, strength in ((dtype_a, strength_a), (dtype_b, strength_b)):
        dtype = _WEAK_DTYPES[np.dtype(dtype).kind] if strength == WEAK else np.dtype(dtype)
        groups[strength] = _promote(groups[strength], dtype)
    return _combine(groups[DIMENSIONED], _combine(groups[ZERO_D], groups[WEAK]))


# Python numbers next to float Tensors (x * 0.5, 1 - x), by value and dtype: one read-only
# constant each, not a new Tensor per op that its node keeps alive (the collector scans it).
# Bounded; 0 is not kept (0.0 == -0.0 as a key), nor nan (nan != nan).
_CONSTANTS: dict[tuple[float | int, int], tuple[np.dtype, Any]] = {}


def shared_constant(value: float | int, dtype: np.dtype, make: Callable[..., Any]) -> Any:
    """``make(array, False, None)`` (``Tensor._make``: a constant) of ``value`` as a read-only
    0-d array of ``dtype``, the same object each time.

    >>> from autograd import Tensor
    >>> half = shared_constant(0.5, DEFAULT_FLOAT, Tensor._make)
    >>> half is shared_constant(0.5, DEFAULT_FLOAT, Tensor._make), half.data.flags.writeable
    (True, False)
    """
    key = (value, id(dtype))
    entry = _CONSTANTS.get(key)
    if entry is not None and entry[0] is dtype:
        return entry[1]
    array = np.asarray(value, dtype=dtype)
    wrapped = make(array, False, None)
    if value != 0 and value == value:
        if len(_CONSTANTS) >= 1024:
            _CONSTANTS.clear()
        array.flags.writeable = False
        _CONSTANTS[key] = (dtype, wrapped)  # the dtype is kept, so its id is not reused
    return wrapped


def _promote(a: np.dtype | None, b: np.dtype) -> np.dtype:
    """Promotion between operands of equal strength; an integer never widens a float (PyTorch:
    int64 with float16 is float16, where numpy gives float64)."""
    if a is None or a == b:
        return b
    a_float, b_float = a.kind == "f", b.kind == "f"
    if a_float != b_float:
        return a if a_float else b
    return np.promote_types(a, b)


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """A stronger group's dtype, unless the weaker group is of a higher kind."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return _promote(higher, lower)
    return higher


def _is_listlike(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def _not_a_number(value: Any, array: np.ndarray) -> str:
    kind = array.dtype
    names = {"O": "object", "U": "string", "S": "bytes", "c": "complex"}
    described = names.get(kind.kind, str(kind))
    example = ""
    if kind.kind == "O":
        odd = next((v for v in array.flat if not isinstance(v, (int, float, np.number))), None)
        example = f" (e.g. {odd!r})"
    shown = repr(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    return f"expected real numbers, got {described} values{example} from {shown}"
