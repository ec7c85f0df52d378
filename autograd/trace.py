"""Step through backward one node at a time: ``for step in trace_backward(loss): ...``.

Each step is one node in the order the engine runs it (newest first), with the gradient it
received, what it sent to each input, the gradient each input has accumulated so far, and a
picture with that node highlighted. Running the trace to the end leaves exactly the gradients
``loss.backward()`` leaves, because it *is* the engine's backward, paused after every node.

>>> from autograd import Tensor, trace_backward
>>> a = Tensor([1.0, 2.0], requires_grad=True, name="a")
>>> steps = list(trace_backward((a * a).sum()))
>>> [step.op for step in steps]
['sum', 'mul']
>>> print(steps[1])
step 2 of 2: mul
  incoming grad   (2,) float32  [1, 1]
  input 0  leaf 'a' (2,) float32  sent [1, 2]  accumulated [2, 4]
  input 1  leaf 'a' (2,) float32  sent [1, 2]  accumulated [2, 4]
>>> a.grad
Tensor([2., 4.], dtype=float32)
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from typing import Any

import graphviz

from .engine import BackwardPlan, graph_nodes, root_grads, run_backward
from .function import Function
from .labels import amount, shape_text
from .record import Summary
from .tensor import Tensor
from .viz import picture_of, render_svg

__all__ = ["BackwardTrace", "TraceStep", "step_widget", "trace_backward"]

CONSUMED = (
    "trace_backward: backward() already ran through this graph and freed what it saved, so it "
    "cannot be traced. Either build the graph again (run the forward code once more) and trace "
    "the new loss, or call loss.backward(retain_graph=True) the first time, so the graph can be "
    "traced afterwards (the trace then adds to .grad: set each .grad = None first to see fresh "
    "gradients)."
)


def trace_backward(loss: Tensor, retain_graph: bool = False, grad: Any = None) -> BackwardTrace:
    """An iterator over the steps of ``loss.backward(grad, retain_graph)``, in the order they run.

    Leaf gradients accumulate into ``.grad`` as the steps run, exactly as in ``backward``; stopping
    half-way leaves them half-done (and the nodes already run released, unless
    ``retain_graph=True``), as an interrupted backward would.

    Raises:
        RuntimeError: ``backward()`` already consumed the graph; the message says how to trace
            it (build it again, or ``backward(retain_graph=True)`` the first time).
    """
    return BackwardTrace(loss, retain_graph, grad)


class BackwardTrace(Iterator["TraceStep"]):
    """The running trace: iterate it for steps; ``steps`` keeps the ones already taken."""

    def __init__(self, loss: Tensor, retain_graph: bool = False, grad: Any = None) -> None:
        grads = root_grads([loss], [grad])  # fails now, not at the first step
        self.loss = loss
        self.steps: list[TraceStep] = []
        try:
            plan = BackwardPlan([loss])
        except RuntimeError as error:
            if loss.grad_fn is None or not any(n.released for n in graph_nodes(loss.grad_fn)):
                raise
            raise RuntimeError(CONSUMED) from error
        #: Nodes in the graph; the number of steps when every node receives a gradient.
        self.total = len(plan.nodes)
        # Edges still to deliver into each node, to tell a complete sum from a partial one.
        self.waiting = dict(plan.consumers)
        self._engine = run_backward([loss], grads, retain_graph, False, stepping=True, plan=plan)

    def __iter__(self) -> BackwardTrace:
        return self

    def __len__(self) -> int:
        return self.total

    def __next__(self) -> TraceStep:
        step = TraceStep(self, next(self._engine))
        self.steps.append(step)
        return step

    def close(self) -> None:
        """Stop the backward here (what ``del`` or garbage collection of the trace does)."""
        self._engine.close()

    def __del__(self) -> None:
        if getattr(self, "_engine", None) is not None:
            self.close()


class TraceStep:
    """One node of backward: what it received, what it sent to each input, and what each input
    has accumulated so far (``None`` where an input needs no gradient)."""

    def __init__(self, trace: BackwardTrace, engine_step: Any) -> None:
        node: Function = engine_step.node
        self.index = len(trace.steps)
        self.total = trace.total
        self.node = node
        self.op = node.record.op
        self.grad_output: Tensor = engine_step.grad_output
        self.input_grads: list[Tensor | None] = list(engine_step.input_grads)
        self.accumulated: list[Tensor | None] = []
        self.partial: list[bool] = []  # True while more contributions are still to come
        for parent in node.next_functions:
            total, partial = _accumulated(parent, engine_step)
            if isinstance(parent, Function):
                trace.waiting[id(parent)] -= 1
                partial = trace.waiting[id(parent)] > 0
            self.accumulated.append(total)
            self.partial.append(partial)
        # draw() replays the earlier steps, so a step keeps the trace's list of steps; not the
        # trace itself, so that an abandoned trace is closed (and grad mode restored) promptly.
        self._history = trace.steps
        self._loss = trace.loss

    def draw(
        self, show_values: bool = True, max_nodes: int = 500, rankdir: str = "BT"
    ) -> graphviz.Digraph:
        """The graph with this node highlighted (red), the gradients known at this step, and
        what this node sent on its input edges: every number as this step's text writes it."""
        nodes: dict[int, tuple[Tensor, bool]] = {}
        leaves: dict[int, tuple[Tensor, bool]] = {}
        for step in self._history[: self.index + 1]:  # replay; later steps override earlier
            nodes[id(step.node)] = (step.grad_output, False)
            for parent, total, partial in zip(
                step.node.next_functions, step.accumulated, step.partial
            ):
                if total is None:
                    continue
                known = nodes if isinstance(parent, Function) else leaves
                known[id(parent)] = (total, partial)

        def lookup(known: dict[int, tuple[Tensor, bool]], key: Any) -> tuple[Summary | None, bool]:
            grad, partial = known.get(id(key), (None, False))
            return (None if grad is None else Summary.of(grad.data)), partial

        return picture_of(
            self._loss,
            lambda node: lookup(nodes, node),
            lambda leaf: lookup(leaves, leaf),
            show_values,
            max_nodes,
            rankdir,
            highlight=self.node,
            contributions=self.input_grads,
        )

    def describe_inputs(self) -> list[str]:
        """One phrase per input: what it is ("leaf 'w' (3,) float32", "relu output ...")."""
        phrases = []
        for parent, entry in zip(self.node.next_functions, self.node.record.inputs):
            name = entry.name
            if entry.kind == "constant":
                kind = f"constant {name!r}" if name else "constant"
            elif entry.kind == "node":
                kind = f"{parent.record.op} output"
            else:
                kind = f"leaf {name!r}" if name else "leaf"
            phrases.append(f"{kind} {shape_text(entry.shape)} {entry.dtype}")
        return phrases

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for phrase, sent, total, partial in zip(
            self.describe_inputs(), self.input_grads, self.accumulated, self.partial
        ):
            if sent is None:
                rows.append((phrase, "no gradient", ""))
                continue
            so_far = f"accumulated {_amount(total)}" + (" (partial)" if partial else "")
            rows.append((phrase, f"sent {_amount(sent)}", so_far))
        return rows

    def _title(self) -> str:
        scope = self.node.record.scope
        scope = f" (in {scope})" if scope else ""
        return f"step {self.index + 1} of {self.total}: {self.op}{scope}"

    def __repr__(self) -> str:
        grad = self.grad_output
        head = f"  incoming grad   {shape_text(grad.shape)} {grad.dtype}  {_amount(grad)}"
        lines = [self._title(), head]
        for number, row in enumerate(self._rows()):
            lines.append(f"  input {number}  " + "  ".join(filter(None, row)))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        grad = self.grad_output
        cells = "".join(
            f"<tr><td>input {n}</td>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for n, row in enumerate(self._rows())
        )
        table = (
            f"<b>{html.escape(self._title())}</b><table>"
            f"<tr><td>incoming grad</td><td>{shape_text(grad.shape)} {grad.dtype}</td>"
            f"<td>{html.escape(_amount(grad))}</td><td></td></tr>{cells}</table>"
        )
        if shutil.which("dot") is None:
            return table
        return table + render_svg(self.draw())


def _accumulated(parent: Any, engine_step: Any) -> tuple[Tensor | None, bool]:
    """The gradient an input holds right after this step, and whether more is still to come."""
    if parent is None:
        return None, False
    if isinstance(parent, Function):  # the engine's running sums are arrays or Tensors
        return _as_tensor(engine_step.pending_grads.get(id(parent))), True  # caller: complete?
    pending = _as_tensor(engine_step.pending_leaf_grads.get(id(parent)))
    if pending is None:  # all contributions arrived: the engine has stored .grad
        return parent.grad, False
    # .grad still holds earlier backward calls' sum; this run's part is added at the end.
    return (pending if parent.grad is None else parent.grad + pending), True


def _as_tensor(grad: Any) -> Tensor | None:
    return grad if grad is None or isinstance(grad, Tensor) else Tensor(grad)


def _amount(tensor: Tensor | None) -> str:
    """A gradient as the pictures write it, on one line: a small one's signed values in its
    shape, a big one's mean, min, max and norm (``autograd.labels.amount``)."""
    if tensor is None:
        return "-"
    return amount(Summary.of(tensor.data), norm=True)


def step_widget(loss: Tensor, retain_graph: bool = False) -> Any:
    """A notebook widget (ipywidgets) to step back and forth through ``loss``'s backward.

    The whole backward runs first (so ``.grad`` ends as after ``loss.backward()``); the slider and
    the Prev/Next buttons then show each step's numbers and picture.
    """
    try:
        import ipywidgets as widgets
    except ImportError as error:
        raise ImportError(
            "step_widget needs ipywidgets: pip install ipywidgets (or use trace_backward)"
        ) from error
    steps = list(trace_backward(loss, retain_graph=retain_graph))
    if not steps:
        raise ValueError("nothing to step through: the loss has no graph (it is a leaf)")
    slider = widgets.IntSlider(value=0, min=0, max=len(steps) - 1, description="step")
    previous = widgets.Button(description="◀ Prev")
    following = widgets.Button(description="Next ▶")
    numbers = widgets.HTML()
    picture = widgets.HTML()

    def show(_: Any = None) -> None:
        step = steps[slider.value]
        numbers.value = f"<pre>{html.escape(repr(step))}</pre>"
        try:
            picture.value = render_svg(step.draw())
        except graphviz.ExecutableNotFound as error:
            picture.value = f"<pre>{html.escape(str(error))}</pre>"

    def move(by: int) -> None:
        slider.value = min(max(slider.value + by, 0), len(steps) - 1)

    previous.on_click(lambda _: move(-1))
    following.on_click(lambda _: move(1))
    slider.observe(show, names="value")
    show()
    return widgets.VBox([widgets.HBox([previous, slider, following]), numbers, picture])
