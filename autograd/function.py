"""Function: one node of the backward graph, with its op's forward and backward side by side.

An op subclasses ``Function`` and writes two methods:

* ``forward(self, *arrays, **params) -> ndarray`` runs on numpy arrays;
* ``backward(self, grad) -> tuple`` returns one gradient per input, shaped like the op's
  *output* broadcast; the engine sums each back to its input's shape in one place
  (``unbroadcast``), so no op handles broadcasting. It runs on plain arrays, or on Tensors
  when ``create_graph=True`` records it, so it is written with what both share (operators,
  ``sum``, ``reshape``, ``.T``) and the helpers of ``autograd/ops/either.py``.

What backward needs is saved in forward: ``save_inputs = True`` keeps the input Tensors,
``save_output = True`` keeps the output array, and any other constant goes on ``self``.

>>> from autograd import Tensor
>>> y = Tensor([1.0, 2.0], requires_grad=True).exp()
>>> y.grad_fn
<Exp>
"""

from __future__ import annotations

import itertools
import sys
import weakref
from typing import Any, ClassVar

import numpy as np

from .grad_mode import switches
from .tensor import Tensor  # tensor.py defines Tensor before it imports the ops

#: Every op class by its name; tests enumerate it so that no op escapes gradient checking.
REGISTRY: dict[str, type[Function]] = {}

# Creation order of nodes.  Every edge points from a newer node to an older one, so sorting the
# reachable nodes by this number (newest first) is a valid, deterministic topological order.
_sequence = itertools.count()

_PACKAGE_DIR = __file__.rsplit("/", 1)[0]


class Function:
    """Base class of every op; an instance is a node of the backward graph."""

    name: ClassVar[str] = "function"
    save_inputs: ClassVar[bool] = False
    save_output: ClassVar[bool] = False
    #: The output may be a numpy view of input 0; then both share one version counter.
    returns_view: ClassVar[bool] = False

    # next_functions: one entry per input: the input's grad_fn node, the leaf Tensor itself
    # (gradients accumulate into its .grad), or None when the input needs no gradient.
    sequence_nr: int
    next_functions: tuple[Function | Tensor | None, ...]
    needs_input_grad: tuple[bool, ...]
    input_meta: tuple[tuple[tuple[int, ...], np.dtype, str | None], ...]
    output_meta: tuple[tuple[int, ...], np.dtype]
    scope: str | None  # the layer that was running when the node was recorded
    _saved_versions: tuple[int, ...]
    _output_version: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            if cls.name in REGISTRY:
                raise RuntimeError(f"op name {cls.name!r} registered twice")
            REGISTRY[cls.name] = cls

    def forward(self, *arrays: np.ndarray, **params: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: Tensor) -> tuple[Tensor | None, ...]:
        raise NotImplementedError

    # Slots, not a per-node dict: a graph holds many nodes and recording should cost little.
    # Op classes that keep extra constants (an axis, a shape) get a dict of their own.
    __slots__ = ("sequence_nr", "next_functions", "needs_input_grad", "input_meta", "output_meta",
                 "scope", "output_name", "received_grad", "released", "creation_site",
                 "_saved_inputs", "_saved_versions", "_saved_output", "_output_ref",
                 "_output_version", "_retained", "_hooks", "__dict__", "__weakref__")  # fmt: skip
    output_name: str | None
    received_grad: np.ndarray | None  # the gradient that reached this node (pictures)
    released: bool
    creation_site: str | None
    _saved_inputs: tuple[Tensor, ...] | None
    _saved_output: np.ndarray | None
    _output_ref: weakref.ref | None
    _retained: list[weakref.ref] | tuple
    _hooks: list[Any] | tuple

    # ---------------------------------------------------------------- building a node
    @classmethod
    def apply(cls, *inputs: Tensor, **params: Any) -> Tensor:
        """Run the op on Tensors and, in grad mode, record a node for backward."""
        fn = object.__new__(cls)
        try:
            out = fn.forward(*[t.data for t in inputs], **params)
        except (ValueError, TypeError, IndexError) as error:
            if str(error).startswith(f"{cls.name}:"):  # the op's own message says it all
                raise
            raise _rewrapped(error, _describe_failure(cls.name, inputs, error)) from error
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        view = (
            cls.returns_view and out.base is not None and np.may_share_memory(out, inputs[0].data)
        )
        requires_grad = False
        if switches.grad_enabled and out.dtype.kind in "fc":  # only floats carry gradients
            for t in inputs:
                if t._requires_grad:
                    requires_grad = True
                    break
        if not requires_grad:
            if switches.anomaly_enabled:
                _check_finite(out, cls.name, "forward", _user_site())
            result = Tensor._make(out, False, None)
            if view:
                result._counter = inputs[0]._shared_counter()
            return result

        fn.sequence_nr = next(_sequence)
        fn.needs_input_grad = tuple([t._requires_grad for t in inputs])
        fn.next_functions = tuple([(t.grad_fn or t) if t._requires_grad else None for t in inputs])
        fn.input_meta = tuple([(t.data.shape, t.data.dtype, t._name) for t in inputs])
        fn.output_meta = (out.shape, out.dtype)
        fn.scope = switches.scope
        fn.output_name = fn.received_grad = fn.creation_site = None
        fn.released = False
        fn._retained = fn._hooks = ()
        result = Tensor._make(out, True, fn)
        if view:
            result._counter = inputs[0]._shared_counter()
        if cls.save_inputs:
            fn._saved_inputs = inputs
            fn._saved_versions = tuple([t._version for t in inputs])
        else:
            fn._saved_inputs = None
        if cls.save_output:
            fn._saved_output = out
            fn._output_ref = weakref.ref(result)
            fn._output_version = 0
        else:
            fn._saved_output = fn._output_ref = None
        if switches.anomaly_enabled:
            fn.creation_site = _user_site()
            _check_finite(out, cls.name, "forward", fn.creation_site)
        return result

    # ---------------------------------------------------------------- saved values
    @property
    def saved_inputs(self) -> tuple[Any, ...]:
        """The inputs saved in forward, checked against in-place changes since: Tensors when
        backward records a graph (create_graph), else their arrays."""
        if self.released or self._saved_inputs is None:
            raise RuntimeError(self._freed_message())
        for index, (tensor, version) in enumerate(zip(self._saved_inputs, self._saved_versions)):
            if tensor._version != version:
                raise RuntimeError(
                    f"{self.name}: input {index} (shape {tensor.shape}, {tensor.dtype}) needed "
                    f"for its gradient was modified by an in-place operation after the op ran "
                    f"(version {version} -> {tensor._version}){self._site_suffix()}; "
                    "make a copy before modifying it, or modify it out of place"
                )
        if switches.grad_enabled:  # create_graph: the rule records ops on these Tensors
            return self._saved_inputs
        return tuple([tensor.data for tensor in self._saved_inputs])

    @property
    def saved_output(self) -> Any:
        """The output: a Tensor whose grad_fn is this node when backward records a graph (so
        second derivatives flow through it), else the array."""
        if self.released or self._saved_output is None:
            raise RuntimeError(self._freed_message())
        output = self._output_ref() if self._output_ref is not None else None
        if output is not None and output._version != self._output_version:
            raise RuntimeError(
                f"{self.name}: its output (shape {output.shape}) needed for its gradient was "
                f"modified by an in-place operation{self._site_suffix()}; modify a copy instead"
            )
        if not switches.grad_enabled:
            return self._saved_output
        return Tensor._make(self._saved_output, True, self)

    def release(self) -> None:
        """Drop the arrays kept for backward; the light record (op, shapes, names) remains."""
        self._saved_inputs = None
        self._saved_output = None
        self.released = True

    def _freed_message(self) -> str:
        return (
            f"{self.name}: trying to backward through the graph a second time, but its saved "
            "values were freed by the first backward; pass retain_graph=True to the first "
            "backward() (or grad()) if you need to backward through it again"
        )

    def _site_suffix(self) -> str:
        return f" (node created at {self.creation_site})" if self.creation_site else ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _describe_failure(op: str, inputs: tuple[Tensor, ...], error: Exception) -> str:
    operands = " and ".join(f"{t.shape} {t.dtype}" for t in inputs)
    return f"{op}: cannot apply to operands {operands}: {error}"


def _rewrapped(error: Exception, message: str) -> Exception:
    """An error of the same kind carrying ``message``. numpy's ufunc errors cannot be built from
    a message alone; those become their built-in base class (e.g. TypeError)."""
    try:
        return type(error)(message)
    except TypeError:
        kind = next(k for k in (ValueError, TypeError, IndexError) if isinstance(error, k))
        return kind(message)


def _check_finite(array: np.ndarray, op: str, phase: str, site: str | None) -> None:
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    kinds = []
    if np.isnan(array).any():
        kinds.append("nan")
    if np.isposinf(array).any():
        kinds.append("inf")
    if np.isneginf(array).any():
        kinds.append("-inf")
    where = f" (node created at {site})" if site else ""
    raise FloatingPointError(
        f"{op} produced {'/'.join(kinds)} in {phase}, shape {array.shape}{where}"
    )


def _user_site() -> str | None:
    """file:line of the first caller outside the autograd package."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"
