"""The numbers in pictures: signed, values and gradients in their shape or as a signed summary,
and at every backward step exactly the numbers the stepper's text says."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from autograd import Tensor, draw, name_scope, trace_backward
from autograd.labels import amount, number, shape_text
from autograd.record import SMALL, Summary

NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:e[+-]?\d+)?)")


def numbers(text: str) -> list[str]:
    """The numbers in a label or a line of text, as written (signs kept)."""
    return NUMBER.findall(text.replace("\\n", " "))


def dot_nodes(source: str) -> dict[str, str]:
    """Node id -> its label, as written in the DOT source."""
    found = {}
    for line in source.splitlines():
        match = re.match(r'^\s*(\w+) \[label="(.*?)"(?: |\])', line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def red_edges(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, label) of the edges a step drew in red, in the order of the node's inputs."""
    edges = []
    for line in source.splitlines():
        match = re.match(r'^\s*(\w+) -> (\w+) \[label="(.*?)" color=red', line)
        if match:
            edges.append(match.groups())
    return edges


def grad_field(label: str) -> str:
    """The gradient field of a tensor's box ("grad ..." or "partial sum so far\\ngrad ...")."""
    fields = [field.strip("{}") for field in label.split("|")]
    found = [field for field in fields if field.startswith(("grad", "partial sum so far"))]
    assert len(found) == 1, label
    return found[0].removeprefix("partial sum so far\\n")


# --- the graphs of the issue ---------------------------------------------------------------


def notebook_04():
    """L = (a * b + c) * f, notebook 04's first example."""
    a, b, c, f = (
        Tensor(value, requires_grad=True, name=name)
        for value, name in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f"))
    )
    return (a * b + c) * f


def broadcasted_add():
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5, requires_grad=True, name="x")
    row = Tensor([1.0, -2.0, 0.5], requires_grad=True, name="row")
    return ((x + row) * x).sum()


def dense_relu():
    rng = np.random.default_rng(3)
    x = Tensor(rng.normal(size=(4, 3)).astype(np.float32), name="x")
    w = Tensor(rng.normal(size=(3, 2)).astype(np.float32), requires_grad=True, name="dense.W")
    bias = Tensor([0.1, -0.2], requires_grad=True, name="dense.b")
    with name_scope("dense"):
        hidden = (x @ w + bias).relu()
    return (hidden * hidden).mean()


def used_twice():
    a = Tensor([1.5, -0.5], requires_grad=True, name="a")
    hidden = a.exp()
    return (a * a - hidden * a + hidden).sum()


def big_tensors():
    """Tensors over SMALL elements: the picture and the text give the same signed summary."""
    rng = np.random.default_rng(4)
    w = Tensor(rng.normal(size=(8, 6)).astype(np.float32), requires_grad=True, name="w")
    return ((w - 0.5) * w).tanh().mean()


GRAPHS = [notebook_04, broadcasted_add, dense_relu, used_twice, big_tensors]


@pytest.mark.parametrize("build", GRAPHS)
def test_every_number_in_a_step_picture_is_the_number_its_text_says(build):
    compared = 0
    for step in trace_backward(build()):
        source = step.draw().source
        text = repr(step).splitlines()
        nodes = dot_nodes(source)
        highlighted = [n for n in nodes if re.search(rf"^\s*{n} \[.*penwidth=3", source, re.M)]
        output = next(node for node in highlighted if node.startswith("t"))
        incoming = re.fullmatch(r"\s*incoming grad\s+(?:scalar|\(.*?\)) \w+  (.*)", text[1])[1]
        assert numbers(grad_field(nodes[output])) == numbers(incoming), (step, nodes[output])
        rows = [line for line in text[2:] if " sent " in line]
        edges = red_edges(source)
        assert len(edges) == len(rows)
        for (tail, _, label), row in zip(edges, rows):
            sent, accumulated = row.split(" sent ")[1].split("  accumulated ")
            assert numbers(label.split("sent")[-1]) == numbers(sent), (step, label)
            assert numbers(grad_field(nodes[tail])) == numbers(accumulated), (step, tail)
            compared += 1
    assert compared >= 2


def test_signs_of_a_times_b_in_picture_and_text():
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(-3.0, requires_grad=True, name="b")
    (step,) = trace_backward(a * b)
    source = step.draw().source
    assert [label for _, _, label in red_edges(source)] == ["sent -3", "sent 2"]
    assert "sent -3  accumulated -3" in repr(step) and "sent 2  accumulated 2" in repr(step)


def test_notebook_04_first_step_sends_minus_two_to_d():
    first = next(iter(trace_backward(notebook_04())))
    assert red_edges(first.draw().source)[0][2] == "sent -2"
    assert "add output scalar float32  sent -2" in repr(first)


# --- forward values and gradients in the labels --------------------------------------------


def test_scalar_and_matrix_values_and_gradients_are_laid_out_in_their_shape():
    w = Tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True, name="w")
    x = Tensor([[1.0, 2.0]], name="x")
    loss = (x @ w).relu().sum()
    loss.backward()
    nodes = dot_nodes(draw(loss).source)
    assert nodes["leaf0"] == (
        "{w|(2, 2) float32|value\\n[[0.5, -1],\\n [2, 0.25]]|grad\\n[[1, 0],\\n [2, 0]]}"
    )
    assert nodes["t0"] == "{scalar float32|value 4.5|grad 1}"
    assert nodes["t2"] == "{(1, 2) float32|value [[4.5, -0.5]]|grad [[1, 0]]}"  # relu's input


@pytest.mark.parametrize("size", [1, 7, SMALL])
def test_tensors_up_to_small_show_every_number(size):
    values = np.linspace(-1.0, 2.5, size).astype(np.float32)
    a = Tensor(values, requires_grad=True, name="a")
    loss = (a * 2.0).sum()
    loss.backward()
    label = dot_nodes(draw(loss).source)["leaf0"]
    shown = [float(text) for text in numbers(label.split("|value")[1].split("|")[0])]
    np.testing.assert_allclose(shown, values, rtol=1e-3, atol=1e-6)
    assert numbers(grad_field(label)) == ["2"] * size


@pytest.mark.parametrize("shape", [(SMALL + 1,), (6, 7), (2, 3, 7)])
def test_bigger_tensors_show_a_signed_summary(shape):
    values = -np.arange(np.prod(shape), dtype=np.float32).reshape(shape) / 4 + 1
    a = Tensor(values, requires_grad=True, name="a")
    loss = (a * -3.0).sum()
    loss.backward()
    label = dot_nodes(draw(loss).source)["leaf0"]
    value = label.split("|")[2]
    expected = [values.mean(), values.min(), values.max()]
    assert value.startswith("value mean -") and "\\nmin -" in value and "  max 1" in value
    np.testing.assert_allclose([float(t) for t in numbers(value)], expected, rtol=1e-3)
    grad = grad_field(label)
    assert grad.startswith("grad mean -3\\nmin -3  max -3  norm ")
    assert float(numbers(grad)[-1]) == pytest.approx(3 * np.sqrt(values.size), rel=1e-3)


def test_nan_and_inf_are_flagged_in_values_and_gradients():
    big = np.ones(SMALL + 4, np.float32)
    big[3] = np.nan
    x = Tensor(big, requires_grad=True, name="x")
    y = x * 3.0
    seed = np.ones_like(big)
    seed[0] = np.inf
    y.backward(seed)
    source = draw(y).source
    label = dot_nodes(source)["leaf0"]
    assert "value mean 1\\nmin 1  max 1\\ncontains NaN!" in label
    assert grad_field(label) == "grad mean 3\\nmin 3  max 3  norm inf\\ncontains Inf!"
    assert re.search(r"leaf0 \[.*#ff6b6b", source)


def test_text_and_labels_share_the_number_format():
    assert [number(v) for v in (2.0, -3.0, 0.123456, -1e-7, 3, True, np.float32(-0.5), -0.0)] == [
        "2",
        "-3",
        "0.1235",
        "-1e-07",
        "3",
        "True",
        "-0.5",
        "0",
    ]
    summary = Summary.of(np.array([[1.0, 0.0], [2.0, 0.0]], np.float32))
    assert amount(summary) == "[[1, 0], [2, 0]]"
    assert amount(summary, lines=True) == "[[1, 0],\n [2, 0]]"
    assert shape_text(()) == "scalar" and shape_text((3,)) == "(3,)"


def test_stepper_text_prints_small_tensors_in_their_shape_and_scalar_shapes_as_scalar():
    w = Tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True, name="w")
    x = Tensor([[1.0, 2.0]], name="x")
    steps = [repr(step) for step in trace_backward((x @ w).relu().sum())]
    assert steps[0].splitlines()[1] == "  incoming grad   scalar float32  1"
    assert (
        "leaf 'w' (2, 2) float32  sent [[1, 0], [2, 0]]  accumulated [[1, 0], [2, 0]]"
        in (steps[-1])
    )
    assert "()" not in "".join(steps)


def test_readme_shows_the_stepper_text_this_code_prints():
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    section = readme[readme.index("## Seeing backprop") :]
    shown = re.search(r"```text\n(.*?)```", section, re.S)[1].rstrip("\n")
    w = Tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True, name="w")
    x = Tensor([[1.0, 2.0]], name="x")
    assert repr(list(trace_backward((x @ w).relu().sum()))[-1]) == shown
