"""The node record: the one documented view of a graph node that pictures, the stepper and
gradcheck read (``node.record``).

A record is built on demand from the node's own fields, so recording an op allocates nothing
for it. Gradients and values appear in it as a ``Summary``: shape, dtype, and for tensors of
at most ``SMALL`` elements the values themselves (a copy), else mean/min/max/norm and NaN/Inf
flags. The nodes of the latest backward keep their big gradients and values as arrays until
the next backward starts and summarises the nodes still alive (``settle_summaries``):
a training loop, whose previous graph is gone by then, pays nothing for summaries, and a kept
graph holds summaries, not arrays, from then on. Until then a big gradient a leaf received is
the same array as its ``.grad``: changing ``.grad`` in place before drawing (e.g.
``zero_grad(set_to_none=False)``) changes what the picture shows.

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
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "SMALL", "InputRecord", "NodeRecord", "Summary", "TensorInfo", "as_summary",
    "remember_big", "settle_summaries",
]  # fmt: skip

#: Tensors with at most this many elements keep their values in a Summary (the pictures show
#: them as numbers in their shape); bigger ones keep mean/min/max/norm.
SMALL = 36


class Summary:
    """What is kept of an array: ``shape``, ``dtype``, ``values`` (a copy, when the array has at
    most ``SMALL`` elements, else None) and signed statistics: ``mean``, ``min``, ``max`` over the
    finite elements (one NaN does not hide the rest), ``norm`` over all of them (NaN or inf when
    any is), ``has_nan``, ``has_inf``; numbers are Python floats.

    Small arrays are only copied; their statistics are worked out when first read, so keeping
    them during backward costs one copy. Read-only by convention.

    >>> s = Summary.of(np.array([3.0, -4.0], np.float32))
    >>> s.shape, s.norm, s.min, s.mean, s.values.tolist()
    ((2,), 5.0, -4.0, -0.5, [3.0, -4.0])
    """

    __slots__ = ("shape", "dtype", "values", "_stats")
    shape: tuple[int, ...]
    dtype: np.dtype
    values: np.ndarray | None
    _stats: tuple[float, float, float, float, bool, bool] | None

    @classmethod
    def of(cls, array: Any) -> Summary:
        """Summarise ``array``: a copy when small, else its statistics (a few fast passes)."""
        if type(array) is not np.ndarray:
            array = np.asarray(array)
        summary = object.__new__(cls)
        summary.shape, summary.dtype = array.shape, array.dtype
        if array.size <= SMALL:
            summary.values, summary._stats = array.copy(), None
        else:
            summary.values, summary._stats = None, _statistics(array)
        return summary

    def _statistics(self) -> tuple[float, float, float, float, bool, bool]:
        if self._stats is None:
            self._stats = _statistics(self.values)
        return self._stats

    mean = property(lambda self: self._statistics()[0], doc="Mean of the finite elements.")
    min = property(lambda self: self._statistics()[1], doc="Smallest finite element.")
    max = property(lambda self: self._statistics()[2], doc="Largest finite element.")
    norm = property(lambda self: self._statistics()[3], doc="Euclidean norm of all elements.")
    has_nan = property(lambda self: self._statistics()[4], doc="Any element is NaN.")
    has_inf = property(lambda self: self._statistics()[5], doc="Any element is +-inf.")

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def finite(self) -> bool:
        return not (self.has_nan or self.has_inf)

    def __repr__(self) -> str:
        if self.values is not None:
            return f"Summary({self.shape}, {self.dtype}, values={self.values.tolist()})"
        return (
            f"Summary({self.shape}, {self.dtype}, mean={self.mean:.4g}, min={self.min:.4g}, "
            f"max={self.max:.4g}, norm={self.norm:.4g})"
        )


def _statistics(array: np.ndarray) -> tuple[float, float, float, float, bool, bool]:
    """(mean, min, max, norm, has_nan, has_inf) in as few passes as numpy allows."""
    nan = math.nan
    if array.size == 0 or array.dtype.kind not in "biuf":
        return nan, nan, nan, nan, False, False
    flat = array.reshape(-1) if array.dtype.kind != "b" else array.reshape(-1).astype(np.uint8)
    low, high = flat.min(), flat.max()  # NaN propagates, infinities show: one check below
    if flat.dtype.kind == "f" and not (np.isfinite(low) and np.isfinite(high)):
        return _non_finite_statistics(flat)
    if flat.dtype.kind == "f" and flat.dtype.itemsize >= 4:
        norm = math.sqrt(float(np.dot(flat, flat)))  # BLAS: the cheapest pass
        if math.isinf(norm):  # float32 squares overflowed: redo wide
            norm = math.sqrt(float(np.dot(flat.astype(np.float64), flat)))
    else:
        norm = math.sqrt(float(np.square(flat, dtype=np.float64).sum()))
    # float32/64 sum pairwise in their own dtype (accurate, fast); narrower ones go wide.
    wide = None if flat.dtype.itemsize >= 4 and flat.size > 4096 else np.float64
    mean = float(flat.sum(dtype=wide)) / flat.size
    return mean, float(low), float(high), norm, False, False


def _non_finite_statistics(flat: np.ndarray) -> tuple[float, float, float, float, bool, bool]:
    finite = flat[np.isfinite(flat)].astype(np.float64)
    norm = math.sqrt(float(np.square(flat, dtype=np.float64).sum()))
    if finite.size:
        low, high, mean = float(finite.min()), float(finite.max()), float(finite.mean())
    else:
        low = high = mean = math.nan
    return mean, low, high, norm, bool(np.isnan(flat).any()), bool(np.isinf(flat).any())


def as_summary(value: np.ndarray | Summary | None) -> Summary | None:
    """The Summary of what a node keeps for its record: an array or a Summary (None stays
    None)."""
    return value if value is None or isinstance(value, Summary) else Summary.of(value)


# The nodes of the latest backward run. Their records keep big gradients and values as arrays
# until the next backward starts, which then summarises those still alive (``Summary``): in a
# training loop the previous step's graph is gone by then, so summaries cost nothing, and a
# kept graph (``losses.append(loss)``) holds one step's arrays at most, summaries after that.
_latest_run: list[weakref.ref] = []  # the nodes that keep a big array, weakly


def remember_big(node: Any) -> None:
    """Note a node of the running backward that keeps a big gradient or value as an array."""
    _latest_run.append(weakref.ref(node))


def settle_summaries() -> None:
    """Replace the big arrays that the latest run's live nodes keep with their Summaries."""
    nodes = [ref() for ref in _latest_run]
    _latest_run.clear()
    for node in nodes:
        if node is not None:
            node._grad = _settled(node._grad)
            node._value = _settled(node._value)
            if node._sent:
                node._sent = [_settled(sent) for sent in node._sent]


def _settled(kept: Any) -> Any:
    return Summary.of(kept) if type(kept) is np.ndarray and kept.size > SMALL else kept


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
