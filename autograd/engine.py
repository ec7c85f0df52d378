"""The backward engine: reverse-mode chain rule over the recorded graph, without recursion.

Every node gets a creation number, and every edge points from a newer node to an older one, so
visiting the reachable nodes newest first is a topological order that is the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .function import Function, _check_finite, _rewrapped
from .grad_mode import set_grad_enabled, switches
from .tensor import Tensor, as_tensor


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` (a Tensor, or an array) over the axes that broadcasting added or
    stretched, back to ``shape``.

    This is the one place where broadcasting is undone for every op.

    >>> unbroadcast(Tensor([[1.0, 2.0], [3.0, 4.0]]), (2,)).tolist()
    [4.0, 6.0]
    """
    if grad.shape == shape:
        return grad
    if grad.ndim < len(shape):  # an op that already summed leading axes, e.g. linear's bias
        grad = grad.reshape((1,) * (len(shape) - grad.ndim) + grad.shape)
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    summed = grad.sum(axis=axes, keepdims=True) if axes else grad
    return summed.reshape(shape)


def graph_nodes(root: Function) -> list[Function]:
    """Every node reachable from ``root``, newest first (the order backward runs them)."""
    seen = {id(root)}
    stack = [root]
    nodes = []
    while stack:
        node = stack.pop()
        nodes.append(node)
        for parent in node.next_functions:
            if isinstance(parent, Function) and id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    nodes.sort(key=lambda node: node.sequence_nr, reverse=True)
    return nodes


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
) -> Iterator[BackwardStep]:
    """Run the chain rule from ``roots``; with ``stepping``, pause after each node and yield
    a ``BackwardStep`` (``autograd.trace_backward``), else run to the end at the first ``next``.

    Without ``targets`` the gradients accumulate into ``.grad`` of the leaves (``backward``);
    with them nothing is accumulated and the gradients reaching ``targets`` are stored in
    ``captured`` of the generator's return value (``grad``).
    """
    # Without create_graph the gradients travel as plain arrays and the op rules run on arrays
    # (see autograd/ops/either.py); with it they are Tensors, so the rules record a graph.
    if not create_graph:
        root_grads = [grad.data for grad in root_grads]
    grads: dict[int, Any] = {}  # node id -> gradient accumulated so far
    leaf_grads: dict[int, Tensor] = {}
    leaf_pending: dict[int, int] = {}  # leaf id -> edges still to deliver
    captured: dict[int, Tensor] = {}
    target_ids = {id(t.grad_fn if t.grad_fn is not None else t) for t in targets or ()}
    capture_ids = target_ids if targets is not None else None
    delivered: set[int] = set()  # arrays already stored in some leaf's .grad during this run

    nodes: list[Function] = []
    if len(roots) == 1 and roots[0].grad_fn is not None:  # the usual loss.backward()
        grads[id(roots[0].grad_fn)] = root_grads[0]
        nodes = graph_nodes(roots[0].grad_fn)
    else:
        seen: set[int] = set()
        for root, grad in zip(roots, root_grads):
            if root.grad_fn is None:  # a leaf root: its gradient is the given one
                pending = {id(root): 1}
                _deliver_to_leaf(root, grad, leaf_grads, pending, capture_ids, captured,
                                 delivered)  # fmt: skip
                continue
            _add(grads, id(root.grad_fn), grad)
            for node in graph_nodes(root.grad_fn):
                if id(node) not in seen:
                    seen.add(id(node))
                    nodes.append(node)
        nodes.sort(key=lambda node: node.sequence_nr, reverse=True)
    for node in nodes:
        if node.released:
            raise RuntimeError(node._freed_message())
        for parent in node.next_functions:
            if isinstance(parent, Tensor):
                leaf_pending[id(parent)] = leaf_pending.get(id(parent), 0) + 1
    needed = _needed_nodes(nodes, target_ids) if targets is not None else None

    anomaly = switches.anomaly_enabled
    for node in nodes:
        # Grad mode is switched per node, not across the yield: while a stepper is paused here
        # the user's own code must run in the mode the user chose.
        outer_mode = switches.grad_enabled
        switches.grad_enabled = create_graph
        try:
            grad = grads.pop(id(node), None)
            if grad is not None:
                if node._hooks:
                    grad = _run_hooks(node._hooks, grad)
                node.received_grad = _array(grad)
                if id(node) in target_ids:
                    captured[id(node)] = grad
                for ref in node._retained if targets is None else ():
                    tensor = ref()
                    if tensor is not None:
                        retained = _tensor(grad)
                        tensor.grad = retained if tensor.grad is None else tensor.grad + retained
            if grad is None or (needed is not None and id(node) not in needed):
                input_grads: list[Tensor | None] = [None] * len(node.next_functions)
            else:
                input_grads = _node_backward(node, grad, anomaly)
            for parent, input_grad in zip(node.next_functions, input_grads):
                if isinstance(parent, Function):
                    if input_grad is not None:
                        _add(grads, id(parent), input_grad)
                elif parent is not None:
                    _deliver_to_leaf(parent, input_grad, leaf_grads, leaf_pending, capture_ids,
                                     captured, delivered)  # fmt: skip
            if not retain_graph:
                node.release()
        finally:
            switches.grad_enabled = outer_mode
        if stepping and grad is not None:
            sent = [None if g is None else _tensor(g) for g in input_grads]
            yield BackwardStep(node, _tensor(grad), sent, grads, leaf_grads)
    return captured


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
    for (shape, dtype, _), parent, input_grad in zip(
        node.input_meta, node.next_functions, input_grads
    ):
        if parent is None or input_grad is None:
            result.append(None)
            continue
        if input_grad.shape != shape:
            input_grad = unbroadcast(input_grad, shape)
        if input_grad.dtype != dtype:
            input_grad = input_grad.astype(dtype)
        if anomaly:
            _check_finite(_array(input_grad), node.name, "backward", node.creation_site)
        result.append(input_grad)
    return result


def _deliver_to_leaf(leaf, grad, leaf_grads, leaf_pending, target_ids, captured, delivered):
    """Add one contribution; when the leaf's last one arrives, run hooks and store it."""
    key = id(leaf)
    if grad is not None:
        _add(leaf_grads, key, grad)
    leaf_pending[key] -= 1
    if leaf_pending[key] or key not in leaf_grads:
        return
    total = _run_hooks(leaf._hooks, leaf_grads.pop(key))
    if target_ids is not None:
        if key in target_ids:
            captured[key] = total
        return
    if not isinstance(total, Tensor):
        # .grad must own a writable array: not a broadcast view, not one another leaf holds,
        # not a view into an array another leaf may hold (concat and reshape give views).
        if not (total.flags.writeable and total.flags.owndata) or id(total) in delivered:
            total = total.copy()
        delivered.add(id(total))
        total = Tensor._make(total, False, None)
    if leaf.grad is None:
        leaf.grad = total
    else:
        leaf.grad = leaf.grad + total


def _add(grads: dict[int, Any], key: int, grad: Any) -> None:
    previous = grads.get(key)
    grads[key] = grad if previous is None else previous + grad


def _array(grad: Any) -> np.ndarray:
    return grad.data if isinstance(grad, Tensor) else grad


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


def _root_grads(outputs: Sequence[Tensor], grad_outputs: Sequence[Any] | None) -> list[Tensor]:
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
    steps = run_backward([tensor], _root_grads([tensor], [grad]), retain_graph or create_graph,
                         create_graph)  # fmt: skip
    for _ in steps:
        pass


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated (PyTorch).

    >>> from autograd import Tensor, grad
    >>> x = Tensor(3.0, requires_grad=True)
    >>> (dx,) = grad(x**3, x, create_graph=True)
    >>> dx.item(), grad(dx, x)[0].item()
    (27.0, 18.0)
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is not None and not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    for index, tensor in enumerate(inputs):
        if not tensor.requires_grad:
            raise RuntimeError(f"input {index} (shape {tensor.shape}) does not require grad")
    retain = create_graph if retain_graph is None else retain_graph
    steps = run_backward(outputs, _root_grads(outputs, grad_outputs), retain, create_graph,
                         targets=inputs)  # fmt: skip
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            captured = stop.value
            break
    result = []
    for index, tensor in enumerate(inputs):
        found = captured.get(id(tensor.grad_fn if tensor.grad_fn is not None else tensor))
        if found is not None:
            found = _tensor(found)
        if found is None and not allow_unused:
            raise RuntimeError(
                f"input {index} (shape {tensor.shape}) was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
        result.append(found)
    return tuple(result)


def value_and_grad(
    function: Callable[..., Tensor], argnums: int | Sequence[int] = 0, create_graph: bool = False
) -> Callable[..., tuple[Tensor, Any]]:
    """Turn ``f(*args) -> scalar`` into ``g(*args) -> (value, gradient)`` (HIPS/JAX style).

    Arguments at ``argnums`` may be arrays, numbers or Tensors; the gradient has the same
    structure as ``argnums`` (one Tensor, or a tuple of them).

    >>> from autograd import value_and_grad
    >>> value, slope = value_and_grad(lambda x: (x * x).sum())([1.0, 2.0])
    >>> value.item(), slope.tolist()
    (5.0, [2.0, 4.0])
    """
    single = isinstance(argnums, int)
    positions = (argnums,) if single else tuple(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> tuple[Tensor, Any]:
        args = list(args)
        watched = []
        for position in positions:
            value = args[position]
            if isinstance(value, Tensor):
                tensor = value if value.requires_grad else value.detach().requires_grad_()
            else:
                tensor = Tensor(value, requires_grad=True)
            args[position] = tensor
            watched.append(tensor)
        with set_grad_enabled(True):
            output = function(*args, **kwargs)
        if not isinstance(output, Tensor) or output.size != 1:
            raise TypeError("value_and_grad: the function must return a one-element Tensor")
        grads = grad(output, watched, create_graph=create_graph, allow_unused=True)
        grads = tuple(
            g if g is not None else Tensor(np.zeros_like(t.data)) for g, t in zip(grads, watched)
        )
        value = output if create_graph else output.detach()
        return value, grads[0] if single else grads

    return wrapped
