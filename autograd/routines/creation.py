"""Making tensors: ranges, grids, constants, random draws from the seeded generator, one-hot.

Defaults follow PyTorch where numpy would widen: floating results are float32 (numpy would
give float64) unless ``dtype`` says otherwise; integer ranges and fills stay int64. Random
draws come from ``autograd.generator()``, so ``manual_seed`` makes them reproducible.

>>> from autograd import manual_seed
>>> arange(3).tolist(), arange(0, 1, 0.25).dtype, linspace(0, 1, 3).tolist()
([0, 1, 2], dtype('float32'), [0.0, 0.5, 1.0])
>>> one_hot(np.array([2, 0]), 3).tolist()
[[0, 0, 1], [1, 0, 0]]
>>> manual_seed(0); a = normal(0.0, 1.0, (2,)); manual_seed(0)
>>> bool((normal(0.0, 1.0, (2,)) == a).all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import creation as _seeded  # partly initialised here: read at call time
from ..tensor import DEFAULT_FLOAT, Tensor


def _float_or(dtype: Any, *values: Any) -> Any:
    """``dtype``, or float32 when any value is a float, or None (numpy's integer choice)."""
    if dtype is not None:
        return np.dtype(dtype)
    if any(np.asarray(v).dtype.kind == "f" for v in values):
        return DEFAULT_FLOAT
    return None


def _numbers(name: str, **values: Any) -> None:
    """Refuse a value that is not a real number (None, a string, a complex number), which numpy
    would turn into NaN, parse, or cut to its real part with only a warning."""
    for what, value in values.items():
        kind = np.asarray(value.data if isinstance(value, Tensor) else value).dtype.kind
        if kind not in "biuf":
            raise TypeError(f"{name}: {what} must be a real number, got {value!r}")


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


def arange(start: float, stop: float | None = None, step: float = 1, *, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Evenly spaced values in [start, stop) (numpy and PyTorch): int64 for integer
    arguments, float32 when any is a float."""
    ends = {"end": start} if stop is None else {"start": start, "stop": stop}
    _numbers("arange", step=step, **ends)
    if step == 0:
        raise ValueError("arange: step must not be 0")
    if stop is None:
        start, stop = 0, start
    data = np.arange(start, stop, step, dtype=_float_or(dtype, start, stop, step))
    return Tensor(data, requires_grad=requires_grad)


def linspace(start: float, stop: float, num: int = 50, *, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """``num`` evenly spaced values from start to stop inclusive (float32 by default)."""
    _numbers("linspace", start=start, stop=stop)
    data = np.linspace(start, stop, int(num), dtype=dtype or DEFAULT_FLOAT)
    return Tensor(data, requires_grad=requires_grad)


def eye(n: int, m: int | None = None, k: int = 0, *, dtype: Any = DEFAULT_FLOAT,
        requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The n x m identity (ones on the k-th diagonal), float32 by default."""
    return Tensor(np.eye(int(n), None if m is None else int(m), int(k), dtype=dtype),
                  requires_grad=requires_grad)  # fmt: skip


def full(shape: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
         ) -> Tensor:  # fmt: skip
    """A tensor of ``shape`` filled with ``fill_value`` (float32 for a float, int64 for an int,
    bool for a bool, as PyTorch)."""
    _numbers("full", fill_value=fill_value)
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(shape)
    chosen = _float_or(dtype, fill_value)
    if chosen is None:
        chosen = np.bool_ if isinstance(fill_value, bool) else np.int64
    return Tensor(np.full(shape, fill_value, dtype=chosen), requires_grad=requires_grad)


def full_like(t: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
              ) -> Tensor:  # fmt: skip
    """A tensor of t's shape (and dtype, unless given) filled with ``fill_value``."""
    _numbers("full_like", fill_value=fill_value)
    array = t.data if isinstance(t, Tensor) else np.asarray(t)
    return Tensor(np.full_like(array, fill_value, dtype=dtype), requires_grad=requires_grad)


def zeros_like(t: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros of t's shape and dtype (or ``dtype``)."""
    return full_like(t, 0, dtype=dtype, requires_grad=requires_grad)


def ones_like(t: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones of t's shape and dtype (or ``dtype``)."""
    return full_like(t, 1, dtype=dtype, requires_grad=requires_grad)


def empty(*shape: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor (its values are whatever memory held: overwrite them)."""
    return Tensor(np.empty(_shape(shape), dtype=dtype), requires_grad=requires_grad)


def randint(low: int, high: int | None = None, size: Any = (), *, dtype: Any = np.int64
            ) -> Tensor:  # fmt: skip
    """Integers drawn uniformly from [low, high) ([0, low) with one bound), as numpy."""
    if high is None:
        low, high = 0, low
    return Tensor(_seeded.generator().integers(low, high, size, dtype=dtype))


def normal(mean: float = 0.0, std: float = 1.0, size: Any = (), *, dtype: Any = DEFAULT_FLOAT,
           requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Normal draws with ``mean`` and ``std`` (numpy's scale), float32 by default."""
    data = _seeded.generator().normal(mean, std, size).astype(dtype)
    return Tensor(data, requires_grad=requires_grad)


def uniform(low: float = 0.0, high: float = 1.0, size: Any = (), *, dtype: Any = DEFAULT_FLOAT,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """Uniform draws from [low, high), float32 by default."""
    data = _seeded.generator().uniform(low, high, size).astype(dtype)
    return Tensor(data, requires_grad=requires_grad)


def one_hot(labels: Any, num_classes: int = -1, *, dtype: Any = np.int64) -> Tensor:
    """Rows of ``num_classes`` zeros with a one at each label (PyTorch's one_hot; int64 by
    default, pass dtype='float32' for targets). Labels must lie in [0, num_classes)."""
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
    classes = int(labels.max()) + 1 if num_classes < 0 and labels.size else int(num_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(
            f"one_hot: labels must lie in [0, {classes}), got {labels.min()} to {labels.max()}"
        )
    return Tensor(np.eye(max(classes, 0), dtype=dtype)[labels])


__all__ = [
    "arange", "empty", "eye", "full", "full_like", "linspace", "normal", "one_hot",
    "ones_like", "randint", "uniform", "zeros_like",
]  # fmt: skip
