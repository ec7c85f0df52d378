"""The backward stepper: autograd.trace_backward and its steps."""

from __future__ import annotations

import gc
import re
import sys

import numpy as np
import pytest

import autograd
from autograd import Tensor, linear, name_scope, relu, softmax_cross_entropy, trace_backward
from autograd.engine import graph_nodes
from autograd.trace import step_widget

# Each builder makes a fresh graph from the same numbers: (loss, leaves that require grad).


def small_expression():
    a = Tensor([1.0, -2.0, 3.0], requires_grad=True, name="a")
    b = Tensor([0.5, 4.0, -1.0], requires_grad=True, name="b")
    return ((a * b).exp() / (b * b + 1.0)).sum(), [a, b]


def broadcasting():
    x = Tensor(np.arange(12, dtype=np.float32).reshape(4, 3) / 10, requires_grad=True)
    row = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    column = Tensor([[1.0], [0.5], [-1.0], [2.0]], requires_grad=True)
    return ((x + row) * column - row).tanh().mean(), [x, row, column]


def reused_tensor():
    a = Tensor([1.5, -0.5], requires_grad=True)
    hidden = a.exp()
    return (a * a + hidden * a + hidden).sum(), [a]


def two_layer_mlp():
    rng = np.random.default_rng(0)
    x = Tensor(rng.random((8, 20), dtype=np.float32), name="x")
    params = [
        Tensor(rng.normal(size=shape).astype(np.float32), requires_grad=True, name=name)
        for name, shape in (
            ("dense_1.kernel", (20, 16)),
            ("dense_1.bias", (16,)),
            ("dense_2.kernel", (16, 10)),
            ("dense_2.bias", (10,)),
        )
    ]
    with name_scope("dense_1"):
        hidden = relu(linear(x, params[0], params[1]))
    with name_scope("dense_2"):
        logits = linear(hidden, params[2], params[3])
    return softmax_cross_entropy(logits, rng.integers(0, 10, 8)), params


GRAPHS = [small_expression, broadcasting, reused_tensor, two_layer_mlp]


@pytest.mark.parametrize("build", GRAPHS)
def test_exhausted_trace_leaves_exactly_the_gradients_of_backward(build):
    loss, leaves = build()
    loss.backward()
    traced_loss, traced_leaves = build()
    for _ in trace_backward(traced_loss):
        pass
    for plain, traced in zip(leaves, traced_leaves):
        assert plain.grad.dtype == traced.grad.dtype
        assert np.array_equal(plain.grad.data, traced.grad.data)


@pytest.mark.parametrize("build", GRAPHS)
def test_steps_run_in_graph_nodes_order_newest_first(build):
    loss, _ = build()
    expected = graph_nodes(loss.grad_fn)
    steps = list(trace_backward(loss))
    assert [step.node for step in steps] == expected
    assert [step.index for step in steps] == list(range(len(expected)))
    assert steps[0].total == len(expected)


def test_step_holds_incoming_gradient_and_each_inputs_contribution():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = Tensor([3.0, 5.0], requires_grad=True, name="b")
    total, mul = list(trace_backward((a * b).sum()))
    assert (total.op, mul.op) == ("sum", "mul")
    assert total.grad_output.item() == 1.0
    assert mul.grad_output.tolist() == [1.0, 1.0]
    assert [g.tolist() for g in mul.input_grads] == [[3.0, 5.0], [1.0, 2.0]]


def test_input_needing_no_gradient_has_none_contribution_and_total():
    w = Tensor([1.0, 2.0], requires_grad=True)
    (step_sum, step_mul) = trace_backward((w * Tensor([3.0, 4.0])).sum())
    assert step_mul.input_grads[1] is None and step_mul.accumulated[1] is None
    assert "no gradient" in repr(step_mul)


def test_leaf_used_by_two_ops_shows_a_partial_sum_then_the_total():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    loss = (a * 2.0).sum() + (a * 3.0).sum()
    steps = {}
    for step in trace_backward(loss):
        if step.op == "mul":
            steps[len(steps)] = (step.accumulated[0].tolist(), step.partial[0], a.grad)
    first, second = steps[0], steps[1]
    assert first == ([3.0, 3.0], True, None)  # a * 3.0 is newer, so it runs first
    assert second[:2] == ([5.0, 5.0], False) and second[2].tolist() == [5.0, 5.0]


def test_op_output_used_twice_accumulates_contributions_in_order():
    a = Tensor([0.0], requires_grad=True)
    hidden = a.exp()  # 1.0, consumed by two muls
    loss = (hidden * 2.0 + hidden * 3.0).sum()
    muls = [step for step in trace_backward(loss) if step.op == "mul"]
    assert [m.accumulated[0].tolist() for m in muls] == [[3.0], [5.0]]
    assert [m.partial[0] for m in muls] == [True, False]


def test_accumulated_leaf_gradient_counts_earlier_backward_calls():
    a = Tensor([1.0], requires_grad=True)
    (a * 2.0).sum().backward()
    loss = (a * 2.0).sum() + (a * 3.0).sum()
    first = next(step for step in trace_backward(loss) if step.op == "mul")
    assert first.accumulated[0].tolist() == [5.0]  # 2 from before + 3 so far
    assert first.partial[0]


def test_repr_names_the_step_op_shapes_and_signed_summaries():
    loss, _ = two_layer_mlp()
    text = repr(list(trace_backward(loss))[1])
    assert text.splitlines()[0] == "step 2 of 4: linear (in dense_2)"
    number = r"-?[\d.]+(?:e[+-]\d+)?"
    summary = rf"mean {number}  min {number}  max {number}  norm {number}"
    assert re.search(rf"incoming grad\s+\(8, 10\) float32\s+{summary}", text)
    assert re.search(rf"leaf 'dense_2.kernel' \(16, 10\) float32  sent {summary}", text)
    assert re.search(
        r"leaf 'dense_2.bias' \(10,\) float32  sent \[(-?[\d.e-]+, ){9}-?[\d.e-]+\]", text
    )
    assert "relu output (8, 16) float32" in text
    assert str(list(trace_backward(small_expression()[0]))[0]).startswith("step 1 of ")


def test_html_repr_is_a_table_for_notebooks():
    step = next(iter(trace_backward(small_expression()[0])))
    page = step._repr_html_()
    assert "<table>" in page and "step 1 of" in page and "incoming grad" in page


def test_step_picture_highlights_its_node_and_only_gradients_known_so_far():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    b = Tensor([3.0, 5.0], requires_grad=True, name="b")
    total, mul = list(trace_backward((a * b).sum()))
    first = total.draw().source
    assert re.search(r"op0 \[.*color=red", first) and not re.search(r"op1 \[.*color=red", first)
    assert first.count("|grad ") == 2  # the loss, and what the sum sent to the mul's output
    last = mul.draw().source
    assert re.search(r"op1 \[.*color=red", last)
    assert last.count("|grad ") == 4  # both leaves filled in now
    assert re.search(r"leaf0 -> op1 \[.*sent \[3, 5\]", last)  # b = [3, 5] flows into a


def test_step_picture_marks_a_partial_sum_as_such():
    a = Tensor([0.0], requires_grad=True)
    hidden = a.exp()
    steps = list(trace_backward((hidden * 2.0 + hidden * 3.0).sum()))
    first_mul = next(step for step in steps if step.op == "mul")
    assert "partial sum so far" in first_mul.draw().source
    assert "partial sum so far" not in steps[-1].draw().source


def test_stepping_pauses_backward_without_changing_the_users_grad_mode():
    loss, _ = two_layer_mlp()
    steps = trace_backward(loss)
    first = next(steps)
    assert autograd.is_grad_enabled()
    assert not first.input_grads[0].requires_grad  # the engine still ran without recording
    next(steps)
    del steps, first
    gc.collect()
    assert autograd.is_grad_enabled()


def test_abandoned_loop_closes_backward_and_keeps_grad_mode():
    loss, _ = two_layer_mlp()
    for _step in trace_backward(loss):
        break
    del _step
    gc.collect()
    assert autograd.is_grad_enabled()
    other = small_expression()[0]
    with autograd.no_grad():
        trace = trace_backward(other)
        next(trace)
        trace.close()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_len_is_the_number_of_nodes():
    loss, _ = two_layer_mlp()
    assert len(trace_backward(loss)) == len(graph_nodes(loss.grad_fn)) == 4


def test_non_scalar_loss_without_gradient_fails_at_once():
    with pytest.raises(RuntimeError, match="scalar"):
        trace_backward(Tensor([1.0, 2.0], requires_grad=True) * 2)


def test_given_gradient_seeds_a_non_scalar_output():
    x = Tensor([1.0, 2.0], requires_grad=True)
    list(trace_backward(x * 3, grad=np.array([1.0, 10.0], np.float32)))
    assert x.grad.tolist() == [3.0, 30.0]


def test_second_trace_needs_retain_graph_and_then_accumulates():
    loss, (a, b) = small_expression()
    list(trace_backward(loss, retain_graph=True))
    once = a.grad.data.copy()
    list(trace_backward(loss))
    assert np.array_equal(a.grad.data, 2 * once)
    with pytest.raises(RuntimeError, match="build the graph again"):
        list(trace_backward(loss))


@pytest.mark.parametrize("build", GRAPHS)
def test_tracing_a_graph_backward_consumed_says_how_to_trace_it(build):
    loss, _ = build()
    loss.backward()
    with pytest.raises(RuntimeError) as caught:
        trace_backward(loss)
    message = str(caught.value)
    assert message.startswith("trace_backward: backward() already ran through this graph")
    assert "build the graph again" in message and "backward(retain_graph=True)" in message


def test_trace_backward_is_exported_from_the_package():
    assert autograd.trace_backward is trace_backward and "trace_backward" in autograd.__all__


def test_step_widget_without_ipywidgets_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # makes `import ipywidgets` fail
    with pytest.raises(ImportError, match="pip install ipywidgets"):
        step_widget(small_expression()[0])


def test_step_widget_builds_a_slider_over_every_step():
    pytest.importorskip("ipywidgets", reason="ipywidgets is an optional notebook dependency")
    loss, (a, _) = small_expression()
    widget = step_widget(loss)
    slider = widget.children[0].children[1]
    assert slider.max == len(graph_nodes(loss.grad_fn)) - 1
    assert a.grad is not None
