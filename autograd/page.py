"""Watch backprop in a browser: ``save_backprop_page(loss, "backprop.html")``.

The page is one self-contained HTML file (no server, no Jupyter, no network): the graph's
pictures are inline SVG, a slider, Prev/Next buttons and the arrow keys move between frames.
First the forward pass, one node at a time (the nodes still to run are faded; each node's value
appears as it runs), then backward, one step of ``trace_backward`` per frame (the running node
in red, the gradients known so far filled in), and last the finished picture with every leaf's
gradient beside it.

Everything here is built on the node record (``autograd.record``), the public pictures
(``draw``, ``TraceStep.draw``) and the stepper's text, so the page shows exactly what a notebook
shows, with the same signed numbers.

>>> import pathlib, tempfile
>>> from autograd import Tensor, save_backprop_page
>>> a = Tensor(2.0, requires_grad=True, name="a")
>>> b = Tensor(-3.0, requires_grad=True, name="b")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "backprop.html"
>>> page = save_backprop_page(a * b, path)  # doctest: +SKIP
>>> a.grad, b.grad  # doctest: +SKIP
(Tensor(-3., dtype=float32), Tensor(2., dtype=float32))

(Skipped by the doctest run because it needs Graphviz's ``dot``; ``tests/test_page.py`` runs it
and opens the page in a headless Chromium.)
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .engine import graph_nodes
from .labels import amount, shape_text
from .record import NodeRecord, Summary
from .tensor import Tensor
from .trace import TraceStep, trace_backward
from .viz import draw, picture_of, render_svg

__all__ = ["Frame", "backprop_frames", "forward_value", "page_html", "save_backprop_page"]

#: Gradients with at most this many elements are written out in full on the last frame.
FULL_VALUES = 24


@dataclass(frozen=True)
class Frame:
    """One frame of the page: which picture, the text beside it, and (forward frames) which
    picture nodes are running now and which have not run yet."""

    phase: str  # "forward", "backward" or "done"
    title: str
    text: str
    picture: int  # index into the page's list of SVG pictures
    current: tuple[str, ...] = ()
    future: tuple[str, ...] = ()


def save_backprop_page(
    loss: Tensor,
    path: str | os.PathLike,
    title: str = "Watch backprop",
    retain_graph: bool = False,
    max_nodes: int = 500,
) -> Path:
    """Run ``loss``'s backward step by step and save it as one self-contained HTML page.

    Call it instead of ``loss.backward()``: afterwards ``.grad`` holds exactly what
    ``loss.backward(retain_graph=retain_graph)`` leaves. The file is written atomically (a
    temporary file in the same folder, then renamed), so an error leaves no half-written page.

    Args:
        loss: a tensor with a graph (usually a scalar loss) whose backward has not run yet.
        path: where to write the page (``.html``).
        title: the page's heading.
        retain_graph: as in ``backward``; keep the graph for another backward.
        max_nodes: as in ``draw``; larger graphs are cut with a visible note.

    Returns:
        The path written.

    Raises:
        ValueError: ``loss`` has no graph (a leaf, or made under ``no_grad``).
        GraphvizNotFound: Graphviz's ``dot`` is not installed (the page is made of its SVG).
        RuntimeError: the graph was already consumed by ``backward()`` (build it again).
    """
    pictures, frames = backprop_frames(loss, retain_graph, max_nodes)
    target = Path(path)
    _write_atomically(target, page_html(pictures, frames, title))
    return target


def backprop_frames(
    loss: Tensor, retain_graph: bool = False, max_nodes: int = 500
) -> tuple[list[str], list[Frame]]:
    """The page's SVG pictures and frames (forward, backward, done); runs the backward."""
    if loss.grad_fn is None:
        raise ValueError(
            "save_backprop_page: the loss has no graph (it is a leaf or was made under no_grad); "
            "build it from tensors with requires_grad=True"
        )
    # Forward pictures are drawn before backward runs, while every value is still known: one
    # per node run, each showing the values of the nodes that have run so far.
    nodes = graph_nodes(loss.grad_fn)[:max_nodes]  # picture ids: op<i> and t<i>, i as here
    records = [node.record for node in nodes]
    pictures = [
        _forward_picture(loss, nodes, records, ran, max_nodes) for ran in range(len(nodes) + 1)
    ]
    steps: dict[int, TraceStep] = {}
    backward: list[Frame] = []
    leaves: dict[int, Tensor] = {}  # in the order backward reaches them
    for step in trace_backward(loss, retain_graph=retain_graph):
        pictures.append(_svg(step.draw(show_values=True, max_nodes=max_nodes)))
        steps[id(step.node)] = step
        backward.append(Frame("backward", _backward_title(step), repr(step), len(pictures) - 1))
        for parent in step.node.next_functions:  # the record names leaves, the edges hold them
            if isinstance(parent, Tensor):
                leaves.setdefault(id(parent), parent)
    pictures.append(_svg(draw(loss, show_values=True, max_nodes=max_nodes)))
    done = Frame("done", "backward done: every gradient", _leaf_text(leaves), len(pictures) - 1)
    described = [(record, steps.get(id(node))) for node, record in zip(nodes, records)]
    return pictures, _forward_frames(described) + backward + [done]


def _forward_picture(
    loss: Tensor, nodes: list[Any], records: list[NodeRecord], ran: int, max_nodes: int
) -> str:
    """The forward picture once the ``ran`` oldest nodes have run: their values are shown, the
    later ones' are not known yet."""
    shown = {
        id(node): forward_value(record)
        for node, record in zip(nodes[len(nodes) - ran :], records[len(nodes) - ran :])
    }
    picture = picture_of(
        loss,
        lambda node: (None, False),
        lambda leaf: (None, False),
        max_nodes=max_nodes,
        node_value=lambda node: shown.get(id(node)),
    )
    return _svg(picture)


def _forward_frames(described: list[tuple[NodeRecord, TraceStep | None]]) -> list[Frame]:
    """Forward order is backward's order reversed: a node runs after every node it reads.
    ``described[i]`` is node ``i`` (newest first), drawn as ``op<i>`` and ``t<i>``; forward
    frame ``k`` shows picture ``k``, where the ``k`` oldest nodes have run."""
    total = len(described)
    start = Frame(
        "forward",
        "forward: the inputs",
        "Forward pass: the inputs and parameters are known; the faded nodes have not run yet.\n"
        "Press Next (or the right arrow key) to run them one at a time.",
        0,
        future=tuple(f"{kind}{i}" for i in range(total) for kind in ("op", "t")),
    )
    frames = [start]
    for number, index in enumerate(reversed(range(total)), start=1):
        future = tuple(f"{kind}{i}" for i in range(index) for kind in ("op", "t"))
        text = _forward_text(*described[index], number, total)
        title = text.splitlines()[0]
        frames.append(Frame("forward", title, text, number, (f"op{index}", f"t{index}"), future))
    return frames


def forward_value(record: NodeRecord) -> Summary | None:
    """The value a node computed in the forward pass, as its record keeps it (small tensors'
    numbers, big ones' summary), or None when the graph no longer holds it. Read the record
    before backward runs: backward releases the big intermediates."""
    return record.value


def _forward_text(record: NodeRecord, step: TraceStep | None, number: int, total: int) -> str:
    """A forward frame's text: the op, its inputs, its output and the value it computed."""
    scope = f" (in {record.scope})" if record.scope else ""
    lines = [f"forward {number} of {total}: {record.op}{scope}"]
    if step is not None:  # the stepper's phrases name the op that made each input
        phrases = step.describe_inputs()
    else:
        phrases = [
            f"{entry.kind} {shape_text(entry.shape)} {entry.dtype}" for entry in record.inputs
        ]
    lines += [f"  input {i}  {phrase}" for i, phrase in enumerate(phrases)]
    lines.append(f"  output   {shape_text(record.output.shape)} {record.output.dtype}")
    value = forward_value(record)
    if value is not None:
        lines.append(f"  value    {amount(value)}")
    return "\n".join(lines)


def _backward_title(step: TraceStep) -> str:
    return f"backward {step.index + 1} of {step.total}: {step.op}"


def _leaf_text(leaves: dict[int, Tensor]) -> str:
    """Each leaf, then its final gradient: small ones in full (in their shape), big ones
    summarised (norm, mean, min, max)."""
    lines = ["Backward is done. The gradient in each leaf's .grad:"]
    for number, leaf in enumerate(leaves.values()):
        name = leaf.name or f"leaf {number}"
        grad = leaf.grad
        head = f"{name}  {shape_text(leaf.shape)} {leaf.dtype}"
        values = "-" if grad is None else _values_text(grad.data)
        lines += [head, "  grad" + ("" if values.startswith("\n") else " ") + values]
    return "\n".join(lines)


def _values_text(values: np.ndarray) -> str:
    """Small arrays as their numbers, laid out in their shape; larger ones as a summary."""
    values = np.asarray(values)
    if values.size <= FULL_VALUES:
        six_digits = {"float_kind": lambda value: f"{value:.6g}"}  # significant, not decimals
        text = np.array2string(values, 10_000, separator=", ", formatter=six_digits)
        return text if values.ndim < 2 else "\n    " + text.replace("\n", "\n    ")
    wide = values.astype(np.float64)
    return (
        f"norm {np.sqrt(np.sum(wide * wide)):.6g}  mean {wide.mean():.6g}  "
        f"min {wide.min():.6g}  max {wide.max():.6g}"
    )


def _svg(picture: Any) -> str:
    """The picture as an SVG element to inline (without the XML prolog and DOCTYPE)."""
    text = render_svg(picture)
    return text[text.index("<svg") :]


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; a page is not
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def page_html(pictures: list[str], frames: list[Frame], title: str) -> str:
    """The whole page: frames as hidden sections, pictures as hidden SVG, a little script."""
    figures = "\n".join(
        f'<div class="picture" id="picture-{i}" hidden>{_unique_ids(svg, i)}</div>'
        for i, svg in enumerate(pictures)
    )
    sections = "\n".join(_section(frame) for frame in frames)
    return _TEMPLATE.format(
        title=html.escape(title), figures=figures, sections=sections, last=len(frames) - 1
    )


def _section(frame: Frame) -> str:
    return (
        f'<section class="frame" data-phase="{frame.phase}" data-picture="picture-{frame.picture}"'
        f' data-current="{" ".join(frame.current)}" data-future="{" ".join(frame.future)}" hidden>'
        f"<h2>{html.escape(frame.title)}</h2><pre>{html.escape(frame.text)}</pre></section>"
    )


def _unique_ids(svg: str, number: int) -> str:
    # Graphviz numbers its elements "node1", "edge1"... in every picture; ids must be unique.
    return re.sub(r' id="([^"]*)"', lambda m: f' id="p{number}-{m.group(1)}"', svg)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 1em; }}
#controls {{ display: flex; gap: 0.6em; align-items: center; margin-bottom: 0.6em; }}
#slider {{ flex: 1; max-width: 40em; }}
#main {{ display: flex; gap: 1.5em; align-items: flex-start; }}
#pictures {{ flex: 3; overflow: auto; max-height: 88vh; }}
#pictures svg {{ max-width: 100%; height: auto; }}
#texts {{ flex: 2; min-width: 22em; }}
#texts pre {{ font-size: 13px; background: #f6f6f6; padding: 0.8em; white-space: pre-wrap; }}
.phase-forward h2 {{ color: #2171b5; }} .phase-backward h2 {{ color: #c0392b; }}
g.future {{ opacity: 0.12; }}
g.node.current ellipse, g.node.current polygon {{ stroke: red; stroke-width: 3; }}
g.edge.current path {{ stroke: red; stroke-width: 2; }}
</style></head>
<body>
<h1>{title}</h1>
<div id="controls">
<button id="prev" type="button">&#9664; Prev</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="frame">
<button id="next" type="button">Next &#9654;</button>
<span id="counter"></span>
</div>
<div id="main"><div id="pictures">
{figures}
</div><div id="texts">
{sections}
<p><small>Keys: &#8592; / &#8594; previous / next, Home / End first / last.</small></p>
</div></div>
<script>
"use strict";
const frames = Array.from(document.querySelectorAll("section.frame"));
const pictures = Array.from(document.querySelectorAll("div.picture"));
const slider = document.getElementById("slider");
const words = (text) => new Set(text.split(" ").filter((word) => word));
function show(index) {{
  index = Math.max(0, Math.min(frames.length - 1, index));
  const frame = frames[index];
  frames.forEach((other) => {{ other.hidden = other !== frame; }});
  const picture = document.getElementById(frame.dataset.picture);
  pictures.forEach((other) => {{ other.hidden = other !== picture; }});
  const current = words(frame.dataset.current), future = words(frame.dataset.future);
  picture.querySelectorAll("g.node").forEach((node) => {{
    const id = node.querySelector("title").textContent;
    node.classList.toggle("current", current.has(id));
    node.classList.toggle("future", future.has(id));
  }});
  picture.querySelectorAll("g.edge").forEach((edge) => {{
    const [tail, head] = edge.querySelector("title").textContent.split("->");
    edge.classList.toggle("future", future.has(tail) || future.has(head));
    edge.classList.toggle("current", current.has(head) && !future.has(tail));
  }});
  document.body.className = "phase-" + frame.dataset.phase;
  document.body.dataset.frame = String(index);
  slider.value = String(index);
  document.getElementById("counter").textContent =
    "frame " + (index + 1) + " of " + frames.length + " (" + frame.dataset.phase + ")";
}}
const current = () => Number(document.body.dataset.frame);
document.getElementById("prev").addEventListener("click", () => show(current() - 1));
document.getElementById("next").addEventListener("click", () => show(current() + 1));
slider.addEventListener("input", () => show(slider.valueAsNumber));
document.addEventListener("keydown", (event) => {{
  if (event.target === slider) return;  // the slider moves itself with the arrow keys
  const moves = {{ ArrowRight: current() + 1, ArrowLeft: current() - 1,
                  Home: 0, End: frames.length - 1 }};
  if (!(event.key in moves)) return;
  event.preventDefault();
  show(moves[event.key]);
}});
show(0);
</script>
</body></html>
"""
