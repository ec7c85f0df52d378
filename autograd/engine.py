"""The backward engine: reverse-mode chain rule over the recorded graph, without recursion.

Every node gets a creation number, and every edge points from a newer node to an older one, so
visiting the reachable nodes newest first is a topological order that is the same on every run.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .function import Function, _check_finite, _rewrapped
from .grad_mode import switches
from .record import SMALL, remember_big, settle_summaries
from .tensor import Tensor, as_tensor, unwrap


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` (a Tensor, or an array) over the axes that broadcasting added or
    stretched, back to ``shape``.

    This is the one place where broadcasting is undone for every op.

    >>> unbroadcast(Tensor([[1.0, 2.0], [3.0, 4.0]]), (2,)).tolist()
    [4.0, 6.0]
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return summed.reshape(shape)


_SEQUENCE_NR = operator.attrgetter("sequence_nr")


def graph_nodes(*roots: Function) -> list[Function]:
    """Every node reachable from ``roots``, newest first (the order backward runs them)."""
    seen = {id(root) for root in roots}
    stack = list(roots)
    nodes = []
    while stack:
        node = stack.pop()
        nodes.append(node)
        for parent in node.next_functions:
            if isinstance(parent, Function) and id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    nodes.sort(key=_SEQUENCE_NR, reverse=True)
    return nodes


class BackwardPlan:
    """What a backward from ``roots`` will do: ``nodes`` to run (newest first) and, for every
    node and leaf (by id), ``consumers``: how many edges will deliver a gradient into it.

    >>> from autograd import Tensor
    >>> a = Tensor([1.0], requires_grad=True)
    >>> plan = BackwardPlan([(a * a).sum()])
    >>> [node.name for node in plan.nodes], plan.consumers[id(a)]
    (['sum', 'mul'], 2)
    """

    def __init__(self, roots: Sequence[Tensor]) -> None:
        self.nodes = graph_nodes(*[r.grad_fn for r in roots if r.grad_fn is not None])
        consumers: dict[int, int] = {}
        for node in self.nodes:
            if node.released:
                raise RuntimeError(node._freed_message())
            for parent in node.next_functions:
                if parent is not None:
                    consumers[id(parent)] = consumers.get(id(parent), 0) + 1
        for root in roots:
            if root.grad_fn is None:  # a leaf root receives its gradient directly
                consumers[id(root)] = consumers.get(id(root), 0) + 1
        self.consumers = consumers


class BackwardStep:
    """What one node did during backward: the gradient it received and what it passed on."""

    __slots__ = ("node", "grad_output", "input_grads", "pending_grads", "pending_leaf_grads")

    def __init__(
        self,
        node: Function,
        grad_output: Tensor,
        input_grads: list[Tensor | None],
        pending_grads: dict[int, Any] | None = None,
        pending_leaf_grads: dict[int, Any] | None = None,
    ):
        self.node = node
        self.grad_output = grad_output
        self.input_grads = input_grads
        # The engine's live running sums (arrays, or Tensors under create_graph), read by the
        # stepper (autograd.trace) while backward is paused here: node id -> gradient summed
        # so far for nodes not yet run, and leaf id -> this run's sum for leaves still waiting.
        self.pending_grads = pending_grads
        self.pending_leaf_grads = pending_leaf_grads


def run_backward(
    roots: Sequence[Tensor],
    root_grads: Sequence[Tensor],
    retain_graph: bool,
    create_graph: bool,
    targets: Sequence[Tensor] | None = None,
    stepping: bool = False,
    plan: BackwardPlan | None = None,
) -> Iterator[BackwardStep]:
    """Run the chain rule from ``roots``; with ``stepping``, pause after each node and yield
    a ``BackwardStep`` (``autograd.trace_backward``), else run to the end at the first ``next``.

    Without ``targets`` the gradients accumulate into ``.grad`` of the leaves (``backward``);
    with them nothing is accumulated and the gradients reaching ``targets`` are returned by the
    generator (``StopIteration.value``: target id -> gradient; ``grad``).
    """
    plan = plan or BackwardPlan(roots)
    settle_summaries()
    walk = _Walk(plan, create_graph, targets)
    for root, grad in zip(roots, root_grads):
        # Without create_graph gradients travel as plain arrays and the op rules run on arrays
        # (see autograd/ops/either.py); with it they are Tensors, so the rules record a graph.
        walk.send(root.grad_fn or root, grad if create_graph else grad.data)
    for node in plan.nodes:
        grad = walk.grads.pop(id(node), None)
        input_grads = walk.run_node(node, grad, retain_graph)
        walk.pass_on(node, input_grads)
        if stepping and grad is not None:
            sent = [None if g is None else _tensor(g) for g in input_grads]
            yield BackwardStep(node, _tensor(grad), sent, walk.grads, walk.leaf_grads)
    return walk.captured


class _Walk:
    """The state of one backward run: running sums, and what ``grad()`` captures."""

    def __init__(
        self, plan: BackwardPlan, create_graph: bool, targets: Sequence[Tensor] | None
    ) -> None:
        self.create_graph = create_graph
        self.grads: dict[int, Any] = {}  # node id -> gradient summed so far
        self.leaf_grads: dict[int, Any] = {}  # leaf id -> this run's sum so far
        self.pending = dict(plan.consumers)  # edges still to deliver, by node or leaf id
        self.captured: dict[int, Any] = {}
        self.target_ids = {id(t.grad_fn or t) for t in targets} if targets is not None else None
        self.needed = _needed_nodes(plan.nodes, self.target_ids) if targets is not None else None
        self.delivered: set[int] = set()  # arrays stored in some leaf's .grad during this run
        self.anomaly = switches.anomaly_enabled

    def send(self, parent: Function | Tensor | None, grad: Any) -> None:
        """Add one gradient contribution into a node's sum, or deliver it to a leaf."""
        if isinstance(parent, Function):
            if grad is not None:
                _add(self.grads, id(parent), grad)
        elif parent is not None:
            self.deliver_to_leaf(parent, grad)

    def run_node(self, node: Function, grad: Any, retain_graph: bool) -> list[Any]:
        """Hooks, retain_grad and the node's rule; then release its saved arrays. Returns
        the gradient for each input (None where none goes)."""
        # Grad mode is switched per node, not across the stepper's yield: while it is paused
        # the user's own code must run in the mode the user chose.
        outer_mode = switches.grad_enabled
        switches.grad_enabled = self.create_graph
        try:
            if grad is None:
                input_grads: list[Any] = [None] * len(node.next_functions)
            else:
                if node._hooks or node._retained or self.target_ids is not None:
                    grad = self.received(node, grad)
                else:  # the usual case, inline: keep the gradient for the record
                    node._grad = grad if type(grad) is np.ndarray else _array(grad)
                if self.needed is None or id(node) in self.needed:
                    input_grads = _node_backward(node, grad, self.anomaly)
                else:
                    input_grads = [None] * len(node.next_functions)
                if node._value is None:  # a big output: kept while it can be reached
                    node._value = node.output_value()
                if node._grad.size > SMALL:  # big gradient (and value): summarised later
                    remember_big(node)
            if not retain_graph:  # node.release(), inline
                node._saved_inputs = node._saved_output = node._saved_arrays = None
                node.released = True
        finally:
            switches.grad_enabled = outer_mode
        return input_grads

    def received(self, node: Function, grad: Any) -> Any:
        """The node's whole gradient has arrived: hooks, retain_grad, capture, and what the
        node keeps of it for its record (an array, summarised by the next backward)."""
        if node._hooks:
            grad = _run_hooks(node._hooks, grad)
        node._grad = grad if type(grad) is np.ndarray else _array(grad)
        if self.target_ids is not None:
            if id(node) in self.target_ids:
                self.captured[id(node)] = grad
            return grad
        for ref in node._retained:
            tensor = ref()
            if tensor is not None:
                retained = _tensor(_copy_if_small(grad))
                tensor.grad = retained if tensor.grad is None else tensor.grad + retained
        return grad

    def pass_on(self, node: Function, input_grads: list[Any]) -> None:
        """Send each input its gradient, and keep on the node what it sent (for its record;
        big arrays become Summaries later, see ``settle_summaries``)."""
        sent, big = [], False
        for parent, grad in zip(node.next_functions, input_grads):
            if grad is None:
                sent.append(None)
                if parent is not None and not isinstance(parent, Function):
                    self.deliver_to_leaf(parent, None)
                continue
            array = grad if type(grad) is np.ndarray else _array(grad)
            big = big or array.size > SMALL
            sent.append(array)
            if isinstance(parent, Function):
                key = id(parent)
                if key not in self.grads:
                    self.grads[key] = grad
                else:
                    self.grads[key] = self.grads[key] + grad
            else:
                self.deliver_to_leaf(parent, grad)
        node._sent = sent
        if big and not (node._grad is not None and node._grad.size > SMALL):
            remember_big(node)  # a big gradient sent: summarised later

    def deliver_to_leaf(self, leaf: Tensor, grad: Any) -> None:
        """Add one contribution; when the leaf's last one arrives, run hooks and store it."""
        key = id(leaf)
        if grad is not None:
            _add(self.leaf_grads, key, grad)
        self.pending[key] -= 1
        if self.pending[key] or key not in self.leaf_grads:
            return
        total = _run_hooks(leaf._hooks, self.leaf_grads.pop(key))
        if self.target_ids is not None:
            if key in self.target_ids:
                self.captured[key] = total
            return
        if not isinstance(total, Tensor):
            # .grad must own a writable array: not a broadcast view, not one another leaf
            # holds, not a view into an array another leaf may hold (concat, reshape: views),
            # not a small one that nodes keep for their record.
            if (
                not (total.flags.writeable and total.flags.owndata)
                or id(total) in self.delivered
                or total.size <= SMALL
            ):
                total = total.copy()
            self.delivered.add(id(total))
            total = Tensor._make(total, False, None)
        leaf.grad = total if leaf.grad is None else leaf.grad + total


def _needed_nodes(nodes: list[Function], target_ids: set[int]) -> set[int]:
    """Nodes whose backward leads to a target (oldest first, so parents are known first)."""
    needed: set[int] = set()
    for node in reversed(nodes):
        for parent in node.next_functions:
            if parent is not None and (id(parent) in target_ids or id(parent) in needed):
                needed.add(id(node))
                break
    return needed


def _node_backward(node: Function, grad: Any, anomaly: bool) -> list[Any]:
    try:
        if anomaly:
            # The gradients are checked below, as this node's: the ops its backward rule runs
            # must not raise first under their own name and the backward() call's line.
            switches.anomaly_enabled = False
            try:
                input_grads = node.backward(grad)
            finally:
                switches.anomaly_enabled = True
        else:
            input_grads = node.backward(grad)
    except (ValueError, TypeError, IndexError) as error:
        shapes = ", ".join(f"{shape} {dtype}" for shape, dtype, _ in node.input_meta)
        message = (
            f"{node.name} backward failed (inputs {shapes}; incoming gradient {grad.shape} "
            f"{grad.dtype}){node._site_suffix()}: {error}"
        )
        raise _rewrapped(error, message) from error
    if len(input_grads) != len(node.next_functions):
        raise RuntimeError(
            f"{node.name}: backward returned {len(input_grads)} gradients for "
            f"{len(node.next_functions)} inputs"
        )
    result: list[Tensor | None] = []
    meta = node._meta  # output shape, dtype, then (shape, dtype, name) per input
    index = 2
    for parent, input_grad in zip(node.next_functions, input_grads):
        if parent is None or input_grad is None:
            result.append(None)
        else:
            if input_grad.shape != meta[index]:
                input_grad = unbroadcast(input_grad, meta[index])
            dtype = input_grad.dtype
            if dtype is not meta[index + 1] and dtype != meta[index + 1]:
                input_grad = input_grad.astype(meta[index + 1])
            if anomaly:
                _check_finite(_array(input_grad), node.name, "backward", node.creation_site)
            result.append(input_grad)
        index += 3
    return result


def _add(grads: dict[int, Any], key: int, grad: Any) -> None:
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


def _copy_if_small(grad: Any) -> Any:
    """A small gradient handed to the user is a copy: nodes keep the original for the record."""
    if isinstance(grad, Tensor) or grad.size > SMALL:
        return grad
    return grad.copy()


def _array(grad: Any) -> np.ndarray:
    return grad if type(grad) is np.ndarray else np.asarray(unwrap(grad))


def _tensor(grad: Any) -> Tensor:
    return grad if isinstance(grad, Tensor) else Tensor._make(grad, False, None)


def _run_hooks(hooks: list[Callable[[Tensor], Tensor | None]] | None, grad: Any) -> Any:
    """Hooks see (and may replace) the gradient as a Tensor; it goes on in the kind it came."""
    as_array = not isinstance(grad, Tensor)
    tensor = _tensor(grad)
    for hook in hooks or ():
        replaced = hook(tensor)
        if replaced is not None:
            tensor = as_tensor(replaced)
    return tensor.data if as_array else tensor


def root_grads(outputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None) -> list[Tensor]:
    grads = []
    for index, output in enumerate(outputs):
        if not output.requires_grad:
            raise RuntimeError(
                f"output {index} (shape {output.shape}) does not require grad and has no "
                "grad_fn: nothing in its history requires grad (or it was made under no_grad)"
            )
        given = None if grad_outputs is None else grad_outputs[index]
        if given is None:
            if output.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs, got shape "
                    f"{output.shape}; pass a gradient of that shape, e.g. backward(ones_like)"
                )
            grads.append(Tensor._make(np.ones(output.shape, dtype=output.dtype), False, None))
            continue
        if isinstance(given, Tensor):
            grad = given
        else:
            grad = Tensor._make(np.array(given, dtype=output.dtype), False, None)
        if grad.shape != output.shape:
            raise RuntimeError(
                f"gradient of shape {grad.shape} does not match output of shape {output.shape}"
            )
        grads.append(grad)
    return grads


def backward(
    tensor: Tensor, grad: Any = None, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """``tensor.backward()``: accumulate d tensor / d leaf into every leaf's ``.grad``."""
    steps = run_backward([tensor], root_grads([tensor], [grad]), retain_graph or create_graph,
                         create_graph)  # fmt: skip
    for _ in steps:
        pass


def run_to_end(steps: Iterator[BackwardStep]) -> dict[int, Any]:
    """Run a backward generator to its end; its return value (what ``grad()`` captured)."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value
