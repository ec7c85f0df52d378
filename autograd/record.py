"""The node record: the one documented view of a graph node that pictures, the stepper and
gradcheck read (``node.record``).

A record is built on demand from the node's own fields, so recording an op allocates nothing
for it. Gradients and values appear in it as a ``Summary``: shape, dtype, and for tensors of
at most ``SMALL`` elements the values themselves (a copy), else mean/min/max/norm and NaN/Inf
flags. After backward a node keeps only these summaries, never the gradient arrays.

Fields of ``NodeRecord`` (all read-only):

* ``op``: the op's name (``"mul"``, ``"linear"``...); ``scope``: the layer that was running when
  the node was recorded (``name_scope``), or None; ``creation_site``: ``file:line`` under
  ``detect_anomaly``, else None.
* ``output``: a ``TensorInfo`` (shape, dtype, name) of the op's output.
* ``inputs``: one ``InputRecord`` per input: shape, dtype, name; ``kind`` ("node" when it was
  made by another op, "leaf" for a leaf that requires grad, "constant" for an input that needs
  no gradient); ``summed_over_broadcast`` (the gradient sent to it was summed over broadcast
  axes: declared by the op class, ``Function.broadcasts``); ``sent``, the gradient backward
  sent to it (a Summary, signed; None before backward or when none was sent); ``value``, its
  forward value while the node still holds it (before backward releases it), else None.
* ``grad``: Summary of the gradient that reached the output (None before backward got here).
* ``value``: Summary of the output's forward value: taken during backward (before the arrays
  are released) when the output was small, saved for backward, or still alive; before
  backward, read from the same places; None when it was not kept.

>>> from autograd import Tensor
>>> a = Tensor([1.0, -2.0], requires_grad=True, name="a")
>>> loss = (a * a).sum()
>>> loss.backward()
>>> mul = loss.grad_fn.next_functions[0]
>>> record = mul.record
>>> record.op, record.inputs[0].kind, record.inputs[0].name
('mul', 'leaf', 'a')
>>> record.grad.values.tolist(), record.inputs[0].sent.values.tolist()
([1.0, 1.0], [1.0, -2.0])
>>> record.value.values.tolist()
[1.0, 4.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["SMALL", "InputRecord", "NodeRecord", "Summary", "TensorInfo"]

#: Tensors with at most this many elements keep their values in a Summary (the pictures show
#: them as numbers in their shape); bigger ones keep mean/min/max/norm.
SMALL = 36


@dataclass(frozen=True, slots=True)
class Summary:
    """What is kept of an array: shape, dtype, the values themselves when small, and signed
    statistics. ``min``/``max``/``mean`` are over the finite elements (one NaN does not hide
    the rest); ``norm`` is over all of them (NaN or inf when any is); numbers are float64.

    >>> s = Summary.of(np.array([3.0, -4.0], np.float32))
    >>> s.shape, s.norm, s.min, s.mean, s.values.tolist()
    ((2,), 5.0, -4.0, -0.5, [3.0, -4.0])
    """

    shape: tuple[int, ...]
    dtype: np.dtype
    values: np.ndarray | None  # a copy, when size <= SMALL
    mean: float
    min: float
    max: float
    norm: float
    has_nan: bool
    has_inf: bool

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def finite(self) -> bool:
        return not (self.has_nan or self.has_inf)

    @classmethod
    def of(cls, array: Any) -> Summary:
        """Summarise ``array`` (any numeric array or Tensor data) in a few passes."""
        array = np.asarray(array)
        small = array.size <= SMALL
        values = array.copy() if small else None
        if array.size == 0 or array.dtype.kind not in "biuf":
            return cls(array.shape, array.dtype, values, *(math.nan,) * 4, False, False)
        if array.dtype.kind == "b":
            array = array.astype(np.uint8)
        flat = array.reshape(-1)
        low, high = flat.min(), flat.max()  # NaN propagates, infinities show: one check below
        if array.dtype.kind == "f" and not (np.isfinite(low) and np.isfinite(high)):
            return cls._with_non_finite(flat, values, array.shape)
        if flat.dtype.kind == "f" and flat.dtype.itemsize >= 4:
            norm = math.sqrt(float(np.dot(flat, flat)))  # BLAS: the cheapest pass
            if math.isinf(norm):  # float32 squares overflowed: redo wide
                norm = math.sqrt(float(np.dot(flat.astype(np.float64), flat)))
        else:
            norm = math.sqrt(float(np.square(flat, dtype=np.float64).sum()))
        # float32/64 sums pairwise in their own dtype (accurate, fast); narrower ones go wide.
        wide = None if flat.dtype.itemsize >= 4 and flat.size > 4096 else np.float64
        mean = float(flat.sum(dtype=wide)) / flat.size
        return cls(array.shape, array.dtype, values, mean, float(low), float(high), norm,
                   False, False)  # fmt: skip

    @classmethod
    def _with_non_finite(cls, flat: np.ndarray, values: Any, shape: tuple[int, ...]) -> Summary:
        finite = np.isfinite(flat)
        has_nan = bool(np.isnan(flat).any())
        shown = flat[finite].astype(np.float64)
        norm = math.sqrt(float(np.square(flat, dtype=np.float64).sum()))
        if shown.size:
            low, high, mean = float(shown.min()), float(shown.max()), float(shown.mean())
        else:
            low = high = mean = math.nan
        has_inf = bool(np.isinf(flat).any())
        return cls(shape, flat.dtype, values, mean, low, high, norm, has_nan, has_inf)


@dataclass(frozen=True, slots=True)
class TensorInfo:
    """Shape, dtype and name (None when unnamed) of a tensor in the graph."""

    shape: tuple[int, ...]
    dtype: np.dtype
    name: str | None


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input of a node: what it is, and what backward sent to it."""

    shape: tuple[int, ...]
    dtype: np.dtype
    name: str | None
    kind: str  # "node", "leaf" or "constant"
    summed_over_broadcast: bool
    sent: Summary | None
    value: Summary | None


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """The public record of one graph node (see the module docstring for each field)."""

    op: str
    scope: str | None
    creation_site: str | None
    output: TensorInfo
    inputs: tuple[InputRecord, ...]
    grad: Summary | None
    value: Summary | None
