"""The node record (autograd.record): what pictures, the stepper and gradcheck read, and what a
node keeps after backward (summaries, never the gradient arrays)."""

from __future__ import annotations

import ast
import gc
import inspect
import math
import tracemalloc

import numpy as np
import pytest

import autograd
import autograd.labels  # noqa: F401  (the module list below reads it as an attribute)
import autograd.page  # noqa: F401
from autograd import Tensor, linear, softmax_cross_entropy
from autograd.engine import BackwardPlan, graph_nodes
from autograd.record import SMALL, Summary


def test_record_names_the_op_its_inputs_and_its_output():
    a = Tensor([1.0, -2.0], requires_grad=True, name="a")
    c = Tensor([3.0, 4.0], name="c")
    with autograd.name_scope("block"):
        y = a * c
    y.name = "y"
    record = y.grad_fn.record
    assert (record.op, record.scope, record.output.name) == ("mul", "block", "y")
    assert (record.output.shape, record.output.dtype) == ((2,), np.float32)
    assert [(i.kind, i.name, i.shape) for i in record.inputs] == [
        ("leaf", "a", (2,)),
        ("constant", "c", (2,)),
    ]
    assert record.grad is None and all(i.sent is None for i in record.inputs)


def test_record_of_an_input_made_by_another_op_says_node():
    a = Tensor([1.0, 2.0], requires_grad=True)
    record = (a.exp() * 2.0).grad_fn.record
    assert record.inputs[0].kind == "node" and record.inputs[1].kind == "constant"


@pytest.mark.parametrize(
    "build, index, summed",
    [
        (lambda x, b: x + b, 1, True),  # (3,) against (4, 3)
        (lambda x, b: x + b, 0, False),  # same shape as the output
        (lambda x, b: x * b, 1, True),
        (lambda x, b: autograd.maximum(x, b), 1, True),
        (lambda x, b: linear(x, Tensor(np.ones((3, 3), np.float32)), b), 2, True),  # bias
        (lambda x, b: b.broadcast_to((4, 3)), 0, True),
        (lambda x, b: x @ Tensor(np.ones((3, 3), np.float32), requires_grad=True), 1, False),
    ],
)
def test_summed_over_broadcast_is_declared_by_the_op_class(build, index, summed):
    x = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    b = Tensor(np.ones(3, np.float32), requires_grad=True)
    assert build(x, b).grad_fn.record.inputs[index].summed_over_broadcast is summed


def test_after_backward_the_record_holds_signed_gradients_received_and_sent():
    a = Tensor([1.0, -2.0], requires_grad=True)
    b = Tensor([3.0, 0.5], requires_grad=True)
    loss = (a * b).sum()
    loss.backward()
    mul = loss.grad_fn.next_functions[0].record
    assert mul.grad.values.tolist() == [1.0, 1.0]
    assert mul.inputs[0].sent.values.tolist() == [3.0, 0.5]  # d/da = b
    assert mul.inputs[1].sent.values.tolist() == [1.0, -2.0]  # d/db = a, signed
    assert mul.value.values.tolist() == [3.0, -1.0]


def test_big_gradients_are_kept_as_mean_min_max_norm_and_flags():
    rng = np.random.default_rng(0)
    data = rng.standard_normal((20, 30)).astype(np.float32)
    w = Tensor(data, requires_grad=True)
    loss = (w * w).sum()
    loss.backward()
    sent = loss.grad_fn.next_functions[0].record.inputs[0].sent
    assert sent.values is None and sent.shape == (20, 30)
    per_edge = data  # w * w sends w along each of its two edges (w.grad = 2w)
    assert math.isclose(sent.mean, per_edge.mean(), rel_tol=1e-5, abs_tol=1e-6)
    assert (sent.min, sent.max) == (per_edge.min(), per_edge.max())
    assert math.isclose(sent.norm, float(np.linalg.norm(per_edge)), rel_tol=1e-5)
    assert not sent.has_nan and not sent.has_inf


@pytest.mark.parametrize("size", [3, SMALL + 1, 1000])
def test_summary_flags_nan_and_inf_and_keeps_finite_min_max(size):
    values = np.arange(size, dtype=np.float32)
    values[0], values[1] = np.nan, np.inf
    summary = Summary.of(values)
    assert summary.has_nan and summary.has_inf and not summary.finite
    assert (summary.min, summary.max) == (2.0, size - 1.0)


def test_summary_keeps_a_copy_of_small_values():
    array = np.array([1.0, 2.0])
    summary = Summary.of(array)
    array[0] = 99.0
    assert summary.values.tolist() == [1.0, 2.0]


def test_small_gradient_stored_in_grad_is_not_the_array_the_record_keeps():
    a = Tensor([1.0, 2.0], requires_grad=True)
    loss = (a + 1.0).sum()
    loss.backward()
    a.grad.data[...] = 123.0  # an optimizer zeroing or clipping .grad in place
    add = loss.grad_fn.next_functions[0].record
    assert add.inputs[0].sent.values.tolist() == [1.0, 1.0]


def test_nodes_keep_no_gradient_arrays_once_the_next_backward_starts():
    """The latest backward's nodes keep big gradients as arrays (no summary is paid for in a
    training loop, whose graph is gone by the next step); the next backward summarises them."""
    w = Tensor(np.ones((64, 64), np.float32), requires_grad=True)
    loss = (w * 2.0).tanh().sum()
    loss.backward()
    nodes = graph_nodes(loss.grad_fn)[1:]  # all but the sum, whose output is a scalar
    summary_before = [node.record.grad for node in nodes]  # read before settling: the same
    (Tensor([1.0], requires_grad=True) * 3.0).sum().backward()  # any next backward
    for node, before in zip(nodes, summary_before):
        assert node.record.grad.values is None  # big: statistics, no copy
        assert (node.record.grad.mean, node.record.grad.norm) == (before.mean, before.norm)
        for kept in [node._grad, *(node._sent or ())]:
            assert kept is None or isinstance(kept, Summary)


def seed_step(params, x, y):
    w1, b1, w2, b2 = params
    loss = softmax_cross_entropy(linear(linear(Tensor(x), w1, b1).relu(), w2, b2), y)
    for p in params:
        p.grad = None
    loss.backward()
    with autograd.no_grad():
        for p in params:
            p -= 0.01 * p.grad.data
    return loss


def test_each_kept_loss_of_the_seed_network_retains_under_64_kib():
    """``losses.append(loss)`` keeps each step's graph: once a later backward ran, its nodes
    keep summaries only (PyTorch keeps ~30 KiB per loss; the arrays of a step are ~0.5 MiB)."""
    rng = np.random.default_rng(0)
    params = [
        Tensor(rng.standard_normal((784, 512)).astype(np.float32) * 0.05, requires_grad=True),
        Tensor(np.zeros(512, np.float32), requires_grad=True),
        Tensor(rng.standard_normal((512, 10)).astype(np.float32) * 0.05, requires_grad=True),
        Tensor(np.zeros(10, np.float32), requires_grad=True),
    ]
    x = rng.random((128, 784), dtype=np.float32)
    y = rng.integers(0, 10, 128)
    steps = 6

    def growth(keep: list | None) -> int:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            loss = seed_step(params, x, y)
            if keep is not None:
                keep.append(loss)
        # The latest backward's graph keeps its arrays until the next backward starts (the
        # engine summarises them then): one more step, discarded, settles the kept ones.
        seed_step(params, x, y)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before

    tracemalloc.start()
    try:
        growth(None)  # the first traced step's gradients replace untraced ones: not retention
        losses: list[Tensor] = []
        kept = growth(losses)
        discarded = growth(None)
    finally:
        tracemalloc.stop()
    per_loss = (kept - discarded) / steps
    assert per_loss < 64 * 1024, f"{per_loss / 1024:.1f} KiB retained per kept loss"
    assert losses[-1].grad_fn.record.grad is not None  # the kept graph can still be drawn


def test_backward_plan_counts_the_edges_into_every_node_and_leaf():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = a.exp()
    loss = (b * b + a).sum()
    plan = BackwardPlan([loss])
    assert [node.name for node in plan.nodes] == ["sum", "add", "mul", "exp"]
    assert plan.consumers[id(b.grad_fn)] == 2 and plan.consumers[id(a)] == 2


@pytest.mark.parametrize(
    "module", [autograd.viz, autograd.trace, autograd.gradcheck, autograd.labels, autograd.page]
)
def test_pictures_stepper_and_gradcheck_use_no_private_attribute_of_nodes_or_tensors(module):
    """Only the record (and public Tensor attributes) are read: no ``x._name`` anywhere, except
    the module's own objects (``self._...``)."""
    tree = ast.parse(inspect.getsource(module))
    private = [
        f"{ast.unparse(node.value)}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    ]
    assert private == []
