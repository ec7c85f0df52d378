"""Pictures of the backward graph: ``draw(loss)`` returns a graphviz.Digraph.

Tensors are boxes (name, shape, dtype, forward value; after backward the gradient, filled by its
norm), ops are ellipses, and data flows bottom to top, from the inputs to the loss. Numbers are
signed: small tensors (at most 36 elements) as their numbers in their shape, bigger ones as mean,
min, max (and a gradient's norm); see ``autograd.labels``, which the stepper's text uses too.
In Jupyter the picture shows itself as SVG; ``.source`` is the DOT text (needs no Graphviz).

>>> from autograd import Tensor, draw
>>> a = Tensor([1.0, 2.0], requires_grad=True, name="a")
>>> loss = (a * a).sum()
>>> loss.backward()
>>> picture = draw(loss)
>>> picture.source.count("->")  # sum->out, mul->sum, mul->out, and a->mul twice (a is used twice)
5
>>> "grad [2, 4]" in picture.source and "value [1, 2]" in picture.source  # a.grad = 2 * a
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import graphviz
import numpy as np

from .engine import graph_nodes
from .function import Function
from .labels import GradSummary, field, record_label, shape_text
from .record import NodeRecord, Summary
from .tensor import Tensor

__all__ = ["GradSummary", "GraphPicture", "GraphvizNotFound", "draw", "render_svg"]

INSTALL_HINT = (
    "Graphviz's `dot` program was not found on PATH, so the picture cannot be rendered (its DOT "
    "text is still in `.source`). Install Graphviz itself, not just the Python package: "
    "`apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install graphviz`, or https://graphviz.org/download/ (Windows)"
)

# Where a gradient comes from for a picture: (its summary or None, True when a partial sum).
GradLookup = Callable[[Any], tuple[Summary | None, bool]]


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` program; the message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)


class GraphPicture(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering errors say how to install Graphviz."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise _friendly(error) from error

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            raise _friendly(error) from error


def _friendly(error: graphviz.ExecutableNotFound) -> GraphvizNotFound:
    return error if isinstance(error, GraphvizNotFound) else GraphvizNotFound()


def render_svg(picture: graphviz.Digraph | graphviz.Source) -> str:
    """The picture as SVG text; without Graphviz installed, an error that says how to get it."""
    try:
        return picture.pipe(format="svg", encoding="utf-8")
    except graphviz.ExecutableNotFound as error:
        raise _friendly(error) from error


def draw(
    tensor: Tensor,
    show_grads: bool = True,
    show_values: bool = True,
    max_nodes: int = 500,
    rankdir: str = "BT",
) -> graphviz.Digraph:
    """Picture of the graph that made ``tensor``, as a ``graphviz.Digraph``.

    Args:
        tensor: usually the loss; works before and after ``backward()``.
        show_grads: after backward, each tensor's gradient (small ones as their numbers, big
            ones as mean/min/max/norm and a NaN/Inf flag), filled by its norm; leaves show
            ``.grad``, op outputs the gradient that reached them.
        show_values: each tensor's forward value, written the same way, where the node record
            has it (``Function.record``): leaves, the root, small intermediates, and big ones
            that backward could still reach (saved, or alive).
        max_nodes: keep only this many op nodes, the ones nearest the root, and say how many
            were left out.
        rankdir: graphviz layout direction; "BT" puts inputs at the bottom and the loss on top.

    Returns:
        The picture; in Jupyter it renders itself, ``.source`` is its DOT text.
    """
    root = tensor.grad_fn
    after_backward = show_grads and (root is None or root.record.grad is not None)

    def node_grad(node: Function) -> tuple[Summary | None, bool]:
        return (node.record.grad if show_grads else None), False

    def leaf_grad(leaf: Tensor) -> tuple[Summary | None, bool]:
        # Before this graph's backward a leaf's .grad is from an earlier graph: not shown.
        shown = after_backward and leaf.grad is not None
        return (Summary.of(leaf.grad.data) if shown else None), False

    return picture_of(tensor, node_grad, leaf_grad, show_values, max_nodes, rankdir)


def picture_of(
    tensor: Tensor,
    node_grad: GradLookup,
    leaf_grad: GradLookup,
    show_values: bool = True,
    max_nodes: int = 500,
    rankdir: str = "BT",
    highlight: Function | None = None,
    contributions: Sequence[Tensor | None] = (),
    node_value: Callable[[Function], Summary | None] | None = None,
) -> GraphPicture:
    """``draw`` with the gradients given by lookups; the backward stepper uses it to show the
    gradients known at one step and to highlight the node that is running. ``node_value``, when
    given, says which value each op's output shows (the page's forward frames: only the nodes
    that have run)."""
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes}")
    builder = _Builder(rankdir, node_grad, leaf_grad, show_values)
    builder.node_value = node_value
    if tensor.grad_fn is None:
        builder.lone_tensor(tensor)
    else:
        builder.graph(tensor, max_nodes, highlight, contributions)
    return builder.picture()


def summed_over_broadcast(node: Function, index: int) -> bool:
    """True when the gradient sent to input ``index`` was summed over broadcast axes (the op
    class declares which of its inputs broadcast; see ``Function.broadcasts``)."""
    return node.record.inputs[index].summed_over_broadcast


_BROADCAST_EDGE = {
    "style": "dashed",
    "color": "darkorange",
    "fontcolor": "darkorange",
    "label": "sum over\\nbroadcast",
    "fontsize": "9",
}
_CUT_EDGE = {"style": "dotted", "color": "gray50"}
_HIGHLIGHT = {"color": "red", "penwidth": "3"}


def _edge_attrs(record: NodeRecord, j: int, source: str, sent: Tensor | None) -> dict[str, str]:
    """Dashed orange where a broadcast was summed away, dotted from a note, red with the
    gradient it sent (signed, as the stepper's text writes it) on the edges of the node a
    backward step is running."""
    attrs = dict(_BROADCAST_EDGE) if record.inputs[j].summed_over_broadcast else {}
    if source == "more":
        attrs.update(_CUT_EDGE)
    if sent is not None:
        attrs.update(color="red", fontcolor="red", penwidth="2", fontsize="10")
        # Edge labels are not records: graphviz wants its own "\n" escape for a new line.
        text = field("sent", Summary.of(sent.data), norm=True).replace("\n", "\\n")
        attrs["label"] = "\\n".join(filter(None, [attrs.get("label"), text]))
    return attrs


class _Builder:
    """Collects nodes per cluster (graphviz wants a cluster's nodes written together)."""

    def __init__(
        self, rankdir: str, node_grad: GradLookup, leaf_grad: GradLookup, show_values: bool
    ) -> None:
        self.rankdir = rankdir
        self.node_grad = node_grad
        self.leaf_grad = leaf_grad
        self.show_values = show_values
        self.node_value: Callable[[Function], Summary | None] | None = None
        self.groups: dict[str | None, list[tuple[str, str, dict[str, str]]]] = {None: []}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.leaf_ids: dict[int, str] = {}
        self.cut_edges: set[tuple[str, str]] = set()
        self.hidden_inputs: set[object] = set()
        self.constants = 0
        self.index: dict[int, int] = {}
        self.scopes: set[str] = set()
        self.max_nodes = 0
        self.any_grad = False
        self.any_partial = False

    def lone_tensor(self, tensor: Tensor) -> None:
        grad = self.leaf_grad(tensor) if tensor.requires_grad else (None, False)
        meta = (tensor.shape, tensor.dtype)
        self.tensor_node("t0", None, tensor.name, meta, grad, Summary.of(tensor.data), penwidth="2")

    def graph(
        self,
        tensor: Tensor,
        max_nodes: int,
        highlight: Function | None,
        contributions: Sequence[Tensor | None],
    ) -> None:
        nodes = graph_nodes(tensor.grad_fn)
        shown = nodes[:max_nodes]  # newest first: every kept node's consumers are kept too
        self.index = {id(node): i for i, node in enumerate(shown)}
        records = [node.record for node in shown]
        self.scopes = {record.scope for record in records if record.scope}
        self.max_nodes = max_nodes
        for i, (node, record) in enumerate(zip(shown, records)):
            lit = node is highlight
            self.op_node(i, node, record, tensor if i == 0 else None, lit)
            for j in range(len(node.next_functions)):
                source = self.input_node(i, j, node, record)
                if source is not None:
                    sent = contributions[j] if lit and j < len(contributions) else None
                    self.edges.append((source, f"op{i}", _edge_attrs(record, j, source, sent)))
        note = {"shape": "note", "style": "filled", "fillcolor": "lightyellow"}
        if len(nodes) > len(shown):
            hidden = len(nodes) - len(shown)
            text = f"… {hidden:,} more nodes not shown (max_nodes={max_nodes})"
            self.add(None, "more", text, note)
        if self.hidden_inputs:
            hidden = len(self.hidden_inputs)
            text = f"… {hidden:,} more inputs not shown (max_nodes={max_nodes})"
            self.add(None, "more_inputs", text, note)

    def op_node(
        self, i: int, node: Function, record: NodeRecord, root: Tensor | None, lit: bool
    ) -> None:
        """The op's ellipse, and its output tensor's box above it (``root``: the tensor drawn)."""
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": "gray92"}
        if record.creation_site:
            attrs["tooltip"] = f"created at {record.creation_site}"
        self.add(record.scope, f"op{i}", record.op, {**attrs, **(_HIGHLIGHT if lit else {})})
        name = record.output.name or (root.name if root is not None else None)
        if self.node_value is not None:
            value = self.node_value(node)
        else:
            value = Summary.of(root.data) if root is not None else record.value
        extra = {"penwidth": "2"} if i == 0 else {}  # the root: the tensor that was drawn
        extra.update(_HIGHLIGHT if lit else {})
        grad = self.node_grad(node)
        meta = (record.output.shape, record.output.dtype)
        self.tensor_node(f"t{i}", record.scope, name, meta, grad, value, **extra)
        self.edges.append((f"op{i}", f"t{i}", {}))

    def input_node(self, i: int, j: int, node: Function, record: NodeRecord) -> str | None:
        """The id of the node that feeds input ``j`` of op ``i``, made if new; None when that
        input is hidden in the "more inputs" note."""
        parent = node.next_functions[j]
        if isinstance(parent, Function):
            return f"t{self.index[id(parent)]}" if id(parent) in self.index else "more"
        if parent is None or id(parent) not in self.leaf_ids:
            if len(self.leaf_ids) + self.constants >= self.max_nodes:
                # Wide graphs (a concat of 10,000 tensors) are cut too: one edge per op.
                self.hidden_inputs.add(id(parent) if parent is not None else (i, j))
                if ("more_inputs", f"op{i}") not in self.cut_edges:
                    self.cut_edges.add(("more_inputs", f"op{i}"))
                    self.edges.append(("more_inputs", f"op{i}", dict(_CUT_EDGE)))
                return None
        if parent is not None:
            return self.leaf_node(parent)
        entry = record.inputs[j]
        self.constants += 1
        self.constant_node(f"c{i}_{j}", entry.name, entry.shape, entry.dtype, entry.value)
        return f"c{i}_{j}"

    def leaf_node(self, leaf: Tensor) -> str:
        key = id(leaf)
        if key not in self.leaf_ids:
            self.leaf_ids[key] = node_id = f"leaf{len(self.leaf_ids)}"
            scope, meta = _scope_of(leaf.name, self.scopes), (leaf.shape, leaf.dtype)
            grad, value = self.leaf_grad(leaf), Summary.of(leaf.data) if self.show_values else None
            # Rounded corners: a leaf, where the gradients end up.
            self.tensor_node(
                node_id, scope, leaf.name or "leaf", meta, grad, value, shape="Mrecord"
            )
        return self.leaf_ids[key]

    def tensor_node(
        self,
        node_id: str,
        scope: str | None,
        name: str | None,
        meta: tuple[tuple[int, ...], np.dtype],
        grad: tuple[Summary | None, bool],
        value: Summary | None,
        **attrs: str,
    ) -> None:
        """A box: name, shape and dtype, the forward value, then the gradient (partial or not)."""
        (shape, dtype), (grad_summary, partial) = meta, grad
        fields = ([name] if name else []) + [f"{shape_text(shape)} {dtype}"]
        if self.show_values and value is not None:
            fields.append(field("value", value))
        style = {"shape": "record", "style": "filled", "fillcolor": "white"}
        if grad_summary is not None:
            grad_text = field("grad", grad_summary, norm=True)
            fields.append(("partial sum so far\n" if partial else "") + grad_text)
            style.update(GradSummary.from_summary(grad_summary).colours())
            self.any_grad = True
            if partial:
                style["style"] = "filled,dashed"
                self.any_partial = True
        self.add(scope, node_id, record_label(fields), {**style, **attrs})

    def constant_node(
        self,
        node_id: str,
        name: str | None,
        shape: tuple,
        dtype: np.dtype,
        value: Summary | None,
    ) -> None:
        fields = ([name] if name else []) + [f"{shape_text(shape)} {dtype}"]
        if self.show_values and value is not None:
            fields.append(field("value", value))
        attrs = {
            "shape": "record",
            "style": "dashed",
            "fontsize": "9",
            "fontcolor": "gray30",
            "color": "gray60",
            "tooltip": "needs no gradient",
        }
        self.add(None, node_id, record_label(fields), attrs)

    def add(self, scope: str | None, node_id: str, label: str, attrs: dict[str, str]) -> None:
        self.groups.setdefault(scope, []).append((node_id, label, attrs))

    def picture(self) -> GraphPicture:
        graph_attr = {"rankdir": self.rankdir, "nodesep": "0.25", "ranksep": "0.35"}
        if self.any_grad:
            legend = "fill: gradient norm, log scale (pale 1e-5 ... dark blue >= 100); red: NaN/Inf"
            if self.any_partial:
                legend += "; dashed box: partial sum, more gradient still to come"
            graph_attr.update(fontsize="10", label=legend)
        picture = GraphPicture(
            "backward_graph",
            graph_attr=graph_attr,
            node_attr={"fontname": "Helvetica", "fontsize": "11", "height": "0.3"},
            edge_attr={"fontname": "Helvetica", "arrowsize": "0.6"},
        )
        for scope, members in self.groups.items():
            if scope is None:
                for node_id, label, attrs in members:
                    picture.node(node_id, label, **attrs)
                continue
            with picture.subgraph(name=f"cluster_{scope}") as cluster:
                cluster.attr(
                    label=scope,
                    style="rounded,filled",
                    fillcolor="gray97",
                    color="gray60",
                    fontname="Helvetica-Bold",
                )
                for node_id, label, attrs in members:
                    cluster.node(node_id, label, **attrs)
        for tail, head, attrs in self.edges:
            picture.edge(tail, head, **attrs)
        return picture


def _scope_of(name: str | None, scopes: set[str]) -> str | None:
    """The cluster of a parameter named "<layer>.<role>" (e.g. "dense_1.kernel")."""
    matches = [scope for scope in scopes if name and name.startswith(scope + ".")]
    return max(matches, key=len) if matches else None
