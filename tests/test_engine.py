"""The backward engine: deep graphs, freeing, accumulation, hooks, errors and anomaly mode."""

from __future__ import annotations

import gc
import sys
import weakref

import numpy as np
import pytest

import autograd
from autograd import Tensor, detect_anomaly, no_grad
from autograd.engine import graph_nodes, unbroadcast


def leaf(values, dtype=np.float64) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


def frame_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


# ------------------------------------------------------------------------------ deep graphs
def test_backward_through_100k_op_chain_without_recursion():
    x = leaf(1.0)
    previous_limit = sys.getrecursionlimit()
    # A recursive build, walk or free would need ~100,000 frames; allow only a few dozen.
    sys.setrecursionlimit(frame_depth() + 60)
    try:
        y = x
        for _ in range(100_000):
            y = y * 1.0001
        y.backward()
        del y
    finally:
        sys.setrecursionlimit(previous_limit)
    np.testing.assert_allclose(x.grad.item(), 1.0001**100_000, rtol=1e-9)


def test_graph_nodes_walks_a_long_chain_newest_first():
    y = x = leaf([1.0, 2.0])
    for _ in range(20_000):
        y = y + 0
    nodes = graph_nodes(y.grad_fn)
    assert len(nodes) == 20_000
    assert all(a.sequence_nr > b.sequence_nr for a, b in zip(nodes, nodes[1:]))
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_backward_order_is_the_same_on_every_run():
    def names():
        a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
        c = a * b + a.exp() - b.tanh() * a
        return [node.name for node in graph_nodes(c.sum().grad_fn)]

    assert names() == names() == ["sum", "sub", "mul", "tanh", "add", "exp", "mul"]


# ------------------------------------------------------------------------------ memory
@pytest.mark.parametrize("collect", [False, True], ids=["without gc", "with gc"])
def test_graph_is_freed_after_backward_once_names_are_deleted(collect):
    was_enabled = gc.isenabled()
    gc.disable()  # reference counting alone must free it: the graph has no cycles
    try:
        x = leaf([1.0, 2.0, 3.0])
        hidden = x.exp()
        product = hidden * x
        out = product.sum()
        refs = [weakref.ref(t) for t in (hidden, product)]
        node_refs = [weakref.ref(t.grad_fn) for t in (hidden, product, out)]
        del hidden, product
        out.backward()
        del out
        if collect:
            gc.collect()
        assert [ref() for ref in refs + node_refs] == [None] * 5
    finally:
        if was_enabled:
            gc.enable()
    np.testing.assert_allclose(x.grad.data, np.exp([1.0, 2.0, 3.0]) * [2.0, 3.0, 4.0])


def test_backward_releases_saved_arrays_unless_retain_graph():
    x = leaf([1.0, 2.0])
    y = x * x
    y.sum().backward(retain_graph=True)
    assert not y.grad_fn.released and y.grad_fn._saved_inputs is not None
    y.sum().backward()
    assert y.grad_fn.released and y.grad_fn._saved_inputs is None


def test_second_backward_without_retain_graph_raises_naming_retain_graph():
    x = leaf([1.0, 2.0])
    out = (x * x).sum()
    out.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        out.backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])  # untouched by the failed call


def test_second_backward_with_retain_graph_accumulates():
    x = leaf([1.0, 2.0])
    out = (x * x.exp()).sum()
    out.backward(retain_graph=True)
    first = x.grad.data.copy()
    out.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)


# ------------------------------------------------------------------------------ accumulation
def test_gradient_of_a_tensor_multiplied_by_itself_accumulates():
    a = leaf([1.0, -2.0, 3.0])
    (a * a).sum().backward()
    np.testing.assert_array_equal(a.grad.data, [2.0, -4.0, 6.0])


def test_gradient_of_a_tensor_added_to_itself_is_two():
    x = leaf([1.0, 2.0])
    (x + x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_gradients_from_two_branches_add_up():
    x = leaf([0.5, -1.0])
    shared = x.tanh()
    out = (shared.exp() + shared * 3).sum()
    out.backward()
    t = np.tanh(x.data)
    np.testing.assert_allclose(x.grad.data, (np.exp(t) + 3) * (1 - t**2))


def test_leaf_gradients_accumulate_across_backward_calls_until_reset():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [6.0, 6.0])
    x.zero_grad()
    assert x.grad is None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    x.grad = None
    (x * 5).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 5.0])


def test_leaves_never_share_gradient_memory():
    # concat's backward hands each input a slice (a view) of one gradient array; an optimizer
    # that edits one .grad in place must not change another.
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    weights = Tensor(np.array([1.0, 2.0, 3.0, 4.0]))
    (autograd.concat([a, b]) * weights).sum().backward()
    c, d = leaf(np.ones((2, 3))), leaf(np.ones(6))
    ((c.reshape(6) + d) * Tensor(np.arange(6.0))).sum().backward()
    for first, second in ((a, b), (c, d)):
        assert not np.shares_memory(first.grad.data, second.grad.data)
        assert first.grad.data.flags.writeable and second.grad.data.flags.writeable


def test_backward_of_a_leaf_stores_the_given_gradient():
    x = leaf([1.0, 2.0])
    x.backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


def test_unbroadcast_sums_added_and_stretched_axes():
    grad = Tensor(np.arange(24.0).reshape(2, 3, 4))
    np.testing.assert_array_equal(
        unbroadcast(grad, (3, 1)).data, grad.data.sum(axis=(0, 2))[:, None]
    )
    np.testing.assert_array_equal(unbroadcast(grad, (4,)).data, grad.data.sum(axis=(0, 1)))
    np.testing.assert_array_equal(unbroadcast(grad, ()).data, grad.data.sum())
    assert unbroadcast(grad, (2, 3, 4)) is grad


# ------------------------------------------------------------------------------ hooks
def test_hook_on_a_leaf_sees_its_gradient_and_can_replace_it():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])
    np.testing.assert_array_equal(x.grad.data, [30.0, 30.0])


def test_hook_on_a_non_leaf_replaces_the_gradient_flowing_past_it():
    x = leaf([1.0, 2.0])
    hidden = x * 2
    seen = []
    hidden.register_hook(lambda g: seen.append(g.data.copy()))
    hidden.register_hook(lambda g: g + 1)
    (hidden * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])
    np.testing.assert_array_equal(x.grad.data, [8.0, 8.0])  # (3 + 1) * 2


def test_leaf_hook_runs_once_with_the_total_of_all_uses():
    x = leaf([1.0, 2.0])
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    (x * 2 + x.exp()).sum().backward()
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0], 2 + np.exp([1.0, 2.0]))


def test_removed_hook_is_not_called():
    x = leaf([1.0])
    calls = []
    remove = x.register_hook(lambda g: calls.append(1))
    remove()
    remove()  # removing twice is harmless
    (x * 2).sum().backward()
    assert calls == []
    np.testing.assert_array_equal(x.grad.data, [2.0])


def test_hook_on_tensor_that_does_not_require_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).register_hook(lambda g: g)


def test_retain_grad_keeps_the_gradient_of_a_non_leaf():
    x = leaf([1.0, 2.0])
    hidden, other = x * 2, x * 3
    hidden.retain_grad()
    (hidden * hidden + other).sum().backward()
    assert hidden.retains_grad and not other.retains_grad
    np.testing.assert_array_equal(hidden.grad.data, [4.0, 8.0])
    assert other.grad is None


def test_retain_grad_twice_does_not_double_the_gradient():
    x = leaf([1.0, 2.0])
    hidden = x * 2
    hidden.retain_grad()
    hidden.retain_grad()
    (hidden * 3).sum().backward()
    np.testing.assert_array_equal(hidden.grad.data, [3.0, 3.0])


# ------------------------------------------------------------------------------ errors
def test_backward_of_a_non_scalar_without_gradient_says_scalar():
    with pytest.raises(RuntimeError, match=r"scalar outputs, got shape \(2,\)"):
        (leaf([1.0, 2.0]) * 2).backward()


def test_backward_with_gradient_of_wrong_shape_names_both_shapes():
    with pytest.raises(RuntimeError, match=r"\(3,\) does not match output of shape \(2,\)"):
        (leaf([1.0, 2.0]) * 2).backward(np.ones(3))


def test_backward_of_a_tensor_without_history_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


def test_matmul_shape_error_names_both_shapes_and_the_mismatch():
    a, b = autograd.zeros(128, 784), autograd.zeros(512, 10)
    with pytest.raises(ValueError) as error:
        a @ b
    message = str(error.value)
    assert "matmul" in message and "(128, 784)" in message and "(512, 10)" in message
    assert "784 != 512" in message


def test_broadcasting_error_names_the_op_and_both_shapes():
    with pytest.raises(ValueError) as error:
        autograd.zeros(2, 3) + autograd.zeros(4)
    message = str(error.value)
    assert message.startswith("add:") and "(2, 3)" in message and "(4,)" in message


def test_tensordot_error_names_the_axes_that_do_not_align():
    with pytest.raises(ValueError, match=r"tensordot.*\(3 != 4\)"):
        autograd.tensordot(autograd.zeros(2, 3), autograd.zeros(4, 5), axes=([1], [0]))


def test_numpy_ufunc_error_keeps_its_kind_and_gains_the_op_name():
    # numpy's casting errors take structured arguments; rewrapping must not crash on them.
    ints = Tensor(np.ones((2, 3), dtype=np.int64)), Tensor(np.ones((3, 2), dtype=np.int64))
    with pytest.raises(TypeError, match=r"^linear: .*\(2,\) float32.*Cannot cast"):
        autograd.linear(*ints, Tensor(np.zeros(2, dtype=np.float32)))


# ------------------------------------------------------------------------------ anomaly mode
def test_detect_anomaly_names_the_op_and_line_of_a_nan_in_forward():
    x = leaf([-1.0, 1.0])
    with pytest.raises(FloatingPointError) as error, detect_anomaly(), np.errstate(all="ignore"):
        line = sys._getframe().f_lineno + 1
        x.log()
    message = str(error.value)
    assert message.startswith("log produced nan in forward")
    assert f"{__file__}:{line}" in message


def test_detect_anomaly_names_the_op_and_its_creation_line_for_inf_in_backward():
    x = leaf([0.0, 4.0])
    with detect_anomaly(), np.errstate(all="ignore"):
        line = sys._getframe().f_lineno + 1
        root = x.sqrt()  # finite forward; its gradient 1 / (2 sqrt(x)) is inf at 0
        loss = (root * 3).sum()
        with pytest.raises(FloatingPointError) as error:
            loss.backward()
    message = str(error.value)
    assert message.startswith("sqrt produced inf in backward"), message
    assert f"{__file__}:{line}" in message


def test_without_anomaly_mode_nan_passes_silently():
    x = leaf([-1.0])
    with np.errstate(invalid="ignore"):
        assert np.isnan(x.log().item())
    assert not autograd.is_anomaly_enabled()


def test_detect_anomaly_works_as_decorator():
    @detect_anomaly()
    def check():
        return autograd.is_anomaly_enabled()

    assert check() and not autograd.is_anomaly_enabled()


def test_no_grad_records_nothing():
    x = leaf([1.0])
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None


def test_an_error_inside_a_backward_rule_names_the_op_and_shapes():
    class BrokenBackward(autograd.Function):  # no `name`: stays out of the registry
        def forward(self, a):
            return a * 2

        def backward(self, grad):
            return (grad.reshape(7, 7),)

    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    y = BrokenBackward.apply(x).sum()
    with pytest.raises(ValueError, match=r"backward failed \(inputs \(3,\) float32"):
        y.backward()
