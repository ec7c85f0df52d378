"""Function: one node of the backward graph, with its op's forward and backward side by side.

An op subclasses ``Function`` and writes two methods:

* ``forward(self, *arrays, **params) -> ndarray`` runs on numpy arrays;
* ``backward(self, grad) -> tuple`` returns one gradient per input, shaped like the op's
  *output* broadcast; the engine sums each back to its input's shape in one place
  (``unbroadcast``), so no op handles broadcasting. It runs on plain arrays, or on Tensors
  when ``create_graph=True`` records it, so it is written with what both share (operators,
  ``sum``, ``reshape``, ``.T``) and the helpers of ``autograd/ops/either.py``.

What backward needs is saved in forward: ``save_inputs = True`` keeps the input Tensors,
``save_output = True`` keeps the output array, ``self.save_for_backward(*arrays)`` keeps other
arrays (``self.saved_arrays``), and any small constant goes on ``self``. All saved arrays are
dropped after backward (unless ``retain_graph``).

Two class attributes tell the engine more about an op:

* ``grad_reads``: for each input, the inputs its gradient reads, e.g. ``{0: (1,), 1: (0,)}`` for
  ``a * b``. Then only inputs read by a gradient that will be computed are saved and checked
  against in-place changes (PyTorch's behaviour; MyGrad's ``backward_var`` idea); the others
  are ``None`` in ``saved_inputs``. Without it every input is saved.
* ``broadcasts``: which inputs broadcast against the output like numpy (``True``: all), so
  their gradients are summed over the broadcast axes; the node record and pictures show it.

>>> from autograd import Tensor
>>> y = Tensor([1.0, 2.0], requires_grad=True).exp()
>>> y.grad_fn
<Exp>
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any, ClassVar

import numpy as np

from .failures import (  # noqa: F401  (is_within: its home was here)
    _check_finite,
    _describe_failure,
    _rewrapped,
    _user_site,
    is_within,
)
from .grad_mode import switches
from .record import SMALL, InputRecord, NodeRecord, Summary, TensorInfo, as_summary
from .tensor import Tensor  # tensor.py defines Tensor before it imports the ops

#: Every op class by its name; tests enumerate it so that no op escapes gradient checking.
REGISTRY: dict[str, type[Function]] = {}

# needs_input_grad of one- and two-input nodes: shared tuples, not one more object per node.
_NEEDS_ONE = (True,)
_NEEDS_TWO = (((False, False), (False, True)), ((True, False), (True, True)))

# Creation order of nodes.  Every edge points from a newer node to an older one, so sorting the
# reachable nodes by this number (newest first) is a valid, deterministic topological order.
_sequence = itertools.count()


class Function:
    """Base class of every op; an instance is a node of the backward graph."""

    name: ClassVar[str] = "function"
    save_inputs: ClassVar[bool] = False
    save_output: ClassVar[bool] = False
    #: The output may be a numpy view of input 0; then both share one version counter.
    returns_view: ClassVar[bool] = False
    #: Input index -> the inputs that input's gradient reads (None: all inputs are saved).
    grad_reads: ClassVar[dict[int, tuple[int, ...]] | None] = None
    #: Inputs that broadcast against the output like numpy: True for all, or their indices.
    broadcasts: ClassVar[bool | tuple[int, ...]] = False

    # next_functions: one entry per input: the input's grad_fn node, the leaf Tensor itself
    # (gradients accumulate into its .grad), or None when the input needs no gradient.
    sequence_nr: int
    next_functions: tuple[Function | Tensor | None, ...]
    needs_input_grad: tuple[bool, ...]
    # Output shape and dtype, then shape, dtype and name of each input (see input_meta).
    _meta: tuple[Any, ...]
    scope: str | None  # the layer that was running when the node was recorded
    _saved_versions: tuple[int | None, ...] | None  # None: every saved input was at version 0
    _output_counter: list[int] | None  # the output's version counter, once it has one
    _output_version: int

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            if cls.name in REGISTRY:
                raise RuntimeError(f"op name {cls.name!r} registered twice")
            REGISTRY[cls.name] = cls
        cls._save_plans = {}  # needs_input_grad -> whether to save each input (grad_reads)

    def forward(self, *arrays: np.ndarray, **params: Any) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: Any) -> tuple[Any, ...]:
        raise NotImplementedError

    # Slots, not a per-node dict: a graph holds many nodes and recording should cost little.
    # Op classes that keep extra constants (an axis, a shape) get a dict of their own. Nodes
    # point only to older nodes and (weakly) to their output: no reference cycles, so
    # reference counting frees a graph as soon as its last tensor goes.
    __slots__ = ("sequence_nr", "next_functions", "needs_input_grad", "_meta", "scope",
                 "output_name", "_grad", "_sent", "_value", "released", "creation_site",
                 "_saved_inputs", "_saved_versions", "_saved_output", "_saved_arrays",
                 "_output_ref", "_output_counter", "_output_version", "_retained", "_hooks",
                 "__dict__", "__weakref__")  # fmt: skip
    output_name: str | None
    # Kept for the record (autograd.record): arrays, by reference; the next backward turns the
    # big ones of nodes still alive into Summaries (record.settle_summaries).
    _grad: np.ndarray | Summary | None  # the gradient that reached this node
    _sent: list[np.ndarray | Summary | None] | None  # what backward sent to each input
    _value: np.ndarray | Summary | None  # the output's forward value
    released: bool
    creation_site: str | None
    _saved_inputs: tuple[Tensor, ...] | list[Tensor | None] | None
    _saved_output: np.ndarray | None
    _output_ref: weakref.ref | None
    _retained: list[weakref.ref] | tuple
    _hooks: list[Any] | tuple
    _save_plans: ClassVar[dict[tuple[bool, ...], tuple[bool, ...]]]

    # ---------------------------------------------------------------- building a node
    @classmethod
    def apply(cls, *inputs: Tensor, **params: Any) -> Tensor:
        """Run the op on Tensors and, in grad mode, record a node for backward."""
        fn = object.__new__(cls)
        try:
            if len(inputs) == 1:  # no temporary list for the usual cases
                out = fn.forward(inputs[0].data, **params)
            elif len(inputs) == 2:
                out = fn.forward(inputs[0].data, inputs[1].data, **params)
            else:
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
        result = Tensor._make(out, True, fn)
        if view:
            result._counter = inputs[0]._shared_counter()
        fn._record_node(inputs, out, result)
        return result

    def _record_node(self, inputs: tuple[Tensor, ...], out: np.ndarray, result: Tensor) -> None:
        """Fill the node's fields: edges, the light record, and what backward will read.

        Few objects per node, on purpose: the collector scans every object that outlives a
        collection, and a recorded graph holds tens of thousands. Hence interned
        ``needs_input_grad``, one flat ``_meta`` tuple (whose tuples of numbers the collector
        stops tracking), no version tuple while every saved version is 0, and no weak
        reference to a small output."""
        self.sequence_nr = next(_sequence)
        needs = self.needs_input_grad = self._record_edges(inputs, out)
        self.scope = switches.scope
        self.output_name = self._grad = self._sent = self.creation_site = None
        self.released = False
        self._retained = self._hooks = ()
        cls = type(self)
        if cls.save_inputs:
            self._save_inputs(inputs, needs)
        else:
            self._saved_inputs = None
        # The output value stays reachable for the record: small ones by reference, a saved
        # one as saved, others while their Tensor lives (a weak reference).
        small = out.size <= SMALL
        self._value = out if small else None
        self._output_ref = None if small or cls.save_output else weakref.ref(result)
        if cls.save_output:
            self._saved_output = out
            # A fresh output has no version counter: Tensor._shared_counter hands the one it
            # makes to this node (a view of an input already shares the input's).
            counter = self._output_counter = result._counter
            self._output_version = 0 if counter is None else counter[0]
        else:
            self._saved_output = None
        if switches.anomaly_enabled:
            self.creation_site = _user_site()
            _check_finite(out, cls.name, "forward", self.creation_site)

    def _record_edges(self, inputs: tuple[Tensor, ...], out: np.ndarray) -> tuple[bool, ...]:
        """``next_functions`` and the flat ``_meta`` (output's then each input's shape, dtype,
        name); returns ``needs_input_grad``."""
        if len(inputs) == 1:  # the usual cases, without temporaries
            a = inputs[0]
            needs = _NEEDS_ONE  # the one input requires grad, or no node would be recorded
            self.next_functions = (a.grad_fn or a,)
            data = a.data
            self._meta = (out.shape, out.dtype, data.shape, data.dtype, a._name)
        elif len(inputs) == 2:
            a, b = inputs
            needs = _NEEDS_TWO[a._requires_grad][b._requires_grad]
            self.next_functions = (
                (a.grad_fn or a) if needs[0] else None,
                (b.grad_fn or b) if needs[1] else None,
            )
            data, other = a.data, b.data
            self._meta = (out.shape, out.dtype, data.shape, data.dtype, a._name,
                          other.shape, other.dtype, b._name)  # fmt: skip
        else:
            needs = tuple([t._requires_grad for t in inputs])
            self.next_functions = tuple(
                [(t.grad_fn or t) if t._requires_grad else None for t in inputs]
            )
            meta: list[Any] = [out.shape, out.dtype]
            for t in inputs:
                meta += (t.data.shape, t.data.dtype, t._name)
            self._meta = tuple(meta)
        return needs

    def _save_inputs(self, inputs: tuple[Tensor, ...], needs: tuple[bool, ...]) -> None:
        """Keep the inputs a needed gradient reads, and their versions (None: all 0)."""
        cls = type(self)
        if cls.grad_reads is not None:
            keep = cls._save_plans.get(needs)
            if keep is None:
                keep = cls._save_plans[needs] = _save_plan(cls.grad_reads, needs)
            if len(inputs) == 2:  # the usual case, without temporaries
                if not (keep[0] and keep[1]):
                    inputs = (inputs[0] if keep[0] else None, inputs[1] if keep[1] else None)
            elif not all(keep):  # the others stay None
                inputs = tuple([t if k else None for t, k in zip(inputs, keep)])
        self._saved_inputs = inputs
        for t in inputs:
            if t is not None and t._counter is not None:
                self._saved_versions = tuple([None if t is None else t._version for t in inputs])
                return
        self._saved_versions = None

    @property
    def input_meta(self) -> tuple[tuple[tuple[int, ...], np.dtype, str | None], ...]:
        """(shape, dtype, name) of each input, as recorded."""
        meta = self._meta
        return tuple([meta[i : i + 3] for i in range(2, len(meta), 3)])

    @property
    def output_meta(self) -> tuple[tuple[int, ...], np.dtype]:
        """(shape, dtype) of the output, as recorded."""
        return self._meta[:2]

    # ---------------------------------------------------------------- saved values
    @property
    def saved_inputs(self) -> tuple[Any, ...]:
        """The inputs saved in forward, checked against in-place changes since: Tensors when
        backward records a graph (create_graph), else their arrays; ``None`` for an input that
        no needed gradient reads (see ``grad_reads``)."""
        saved = self._saved_inputs
        if self.released or saved is None:
            raise RuntimeError(self._freed_message())
        versions = self._saved_versions
        for index, tensor in enumerate(saved):  # a version other than 0 needs a counter
            if tensor is not None and tensor._counter is not None:
                version = 0 if versions is None else versions[index]
                if tensor._counter[0] != version:
                    raise RuntimeError(
                        f"{self.name}: input {index} (shape {tensor.shape}, {tensor.dtype}) "
                        f"needed for its gradient was modified by an in-place operation after "
                        f"the op ran (version {version} -> {tensor._version})"
                        f"{self._site_suffix()}; make a copy before modifying it, or modify it "
                        "out of place"
                    )
        if switches.grad_enabled:  # create_graph: the rule records ops on these Tensors
            return saved
        if len(saved) == 2:  # the usual case, without a temporary list
            a, b = saved
            return (None if a is None else a.data, None if b is None else b.data)
        return tuple([None if t is None else t.data for t in saved])

    @property
    def saved_output(self) -> Any:
        """The output: a Tensor whose grad_fn is this node when backward records a graph (so
        second derivatives flow through it), else the array."""
        if self.released or self._saved_output is None:
            raise RuntimeError(self._freed_message())
        counter = self._output_counter
        if counter is not None and counter[0] != self._output_version:
            raise RuntimeError(
                f"{self.name}: its output (shape {self._meta[0]}) needed for its gradient was "
                f"modified by an in-place operation{self._site_suffix()}; modify a copy instead"
            )
        if not switches.grad_enabled:
            return self._saved_output
        return Tensor._make(self._saved_output, True, self)

    def save_for_backward(self, *arrays: np.ndarray) -> None:
        """Keep arrays made in forward (e.g. softmax's probabilities) for backward; they are
        released with the saved inputs and output (PyTorch's ``ctx.save_for_backward``)."""
        self._saved_arrays = arrays

    @property
    def saved_arrays(self) -> tuple[np.ndarray, ...]:
        """The arrays given to ``save_for_backward``."""
        saved = getattr(self, "_saved_arrays", None)
        if self.released or saved is None:
            raise RuntimeError(self._freed_message())
        return saved

    def release(self) -> None:
        """Drop the arrays kept for backward; the light record (op, shapes, names) remains."""
        self._saved_inputs = self._saved_output = self._saved_arrays = None
        self.released = True

    # ---------------------------------------------------------------- the public record
    @property
    def record(self) -> NodeRecord:
        """This node's public record (``autograd.record``): built on demand from its fields,
        so recording an op allocates none."""
        sent = self._sent or (None,) * len(self.input_meta)
        saved = self._saved_inputs if not self.released and self._saved_inputs else ()
        inputs = []
        for index, ((shape, dtype, name), parent) in enumerate(
            zip(self.input_meta, self.next_functions)
        ):
            kind = (
                "constant" if parent is None else "leaf" if isinstance(parent, Tensor) else "node"
            )
            value = saved[index] if index < len(saved) else None
            broadcast = self.summed_over_broadcast(index)
            inputs.append(InputRecord(
                shape, dtype, name, kind, broadcast, as_summary(sent[index]),
                None if value is None else Summary.of(value.data),
            ))  # fmt: skip
        value = self._value
        if value is None and not self.released:
            value = self.output_value()
        output = TensorInfo(*self.output_meta, self.output_name)
        return NodeRecord(self.name, self.scope, self.creation_site, output, tuple(inputs),
                          as_summary(self._grad), as_summary(value))  # fmt: skip

    def summed_over_broadcast(self, index: int) -> bool:
        """True when the gradient sent to input ``index`` is summed over broadcast axes."""
        declared = type(self).broadcasts
        if self.next_functions[index] is None or not declared:
            return False
        if declared is not True and index not in declared:
            return False
        return self.input_meta[index][0] != self.output_meta[0]

    def output_value(self) -> np.ndarray | None:
        """The output's forward array while this node can still reach it, else None."""
        if isinstance(self._value, np.ndarray):
            return self._value
        if self._saved_output is not None:
            return self._saved_output
        output = self._output_ref() if self._output_ref is not None else None
        return None if output is None or output.grad_fn is not self else output.data

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


def _save_plan(grad_reads: dict[int, tuple[int, ...]], needs: tuple[bool, ...]) -> tuple[bool, ...]:
    """Whether to save each input: those read by the gradient of some input that needs one."""
    read: set[int] = set()
    for index, needed in enumerate(needs):
        if needed:
            read.update(grad_reads.get(index, range(len(needs))))
    return tuple([index in read for index in range(len(needs))])
