"""In-place updates (version counter, history rebasing) and dtype rules (float32 by default,
no silent upcast, only floating tensors require grad)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor, increment_version, no_grad
from autograd.engine import graph_nodes
from tests.op_specs import SPECS, tensors_for


def leaf(values, dtype=np.float64) -> Tensor:
    return Tensor(np.array(values, dtype=dtype), requires_grad=True)


# ------------------------------------------------------------------------------ in-place
@pytest.mark.parametrize("update", ["+=", "-=", "*=", "/=", "add_", "mul_", "zero_"])
def test_in_place_on_a_leaf_that_requires_grad_raises_in_grad_mode(update):
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        if update == "+=":
            x += 1
        elif update == "-=":
            x -= 1
        elif update == "*=":
            x *= 2
        elif update == "/=":
            x /= 2
        elif update == "zero_":
            x.zero_()
        else:
            getattr(x, update)(2.0)
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    assert x._version == 0


def test_in_place_under_no_grad_updates_the_same_array_and_bumps_the_version():
    x = leaf([1.0, 2.0])
    data = x.data
    with no_grad():
        x += 1
        x *= 3
        x.sub_(1.0)
    assert x.data is data and x.is_leaf and x.requires_grad
    np.testing.assert_array_equal(data, [5.0, 8.0])
    assert x._version == 3


def test_in_place_micrograd_style_on_a_non_leaf_gives_the_out_of_place_gradients():
    def gradients(in_place: bool):
        a, b = leaf([2.0, -1.0]), leaf([3.0, 0.5])
        c = a * b
        if in_place:
            c += c + 1
            c *= a
            c -= b
            c /= 2
        else:
            c = c + (c + 1)
            c = c * a
            c = c - b
            c = c / 2
        c.sum().backward()
        return c.data, a.grad.data, b.grad.data

    for in_place, out_of_place in zip(gradients(True), gradients(False)):
        np.testing.assert_allclose(in_place, out_of_place)


def test_in_place_multiply_keeps_the_value_it_multiplied_for_backward():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    c = a * 2
    c *= b  # d(c * b)/db is the c from before the update
    c.sum().backward()
    np.testing.assert_array_equal(b.grad.data, [2.0, 4.0])
    np.testing.assert_array_equal(a.grad.data, [6.0, 8.0])


def test_in_place_on_a_plain_tensor_with_a_grad_operand_starts_recording():
    w = leaf([1.0, 2.0])
    total = autograd.zeros(2, dtype=np.float64)
    total += w * w
    assert total.requires_grad and not total.is_leaf
    total.sum().backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])


def test_changing_an_output_saved_for_backward_makes_backward_name_the_op():
    x = leaf([1.0, 2.0])
    y = x.exp()
    with no_grad():
        y += 1
    with pytest.raises(RuntimeError, match=r"^exp: .*modified by an in-place operation"):
        y.sum().backward()


def test_changing_an_input_saved_for_backward_makes_backward_name_the_op():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    z = a * b
    with no_grad():
        a += 1
    with pytest.raises(RuntimeError, match=r"^mul: input 0 .*modified by an in-place operation"):
        z.sum().backward()


def test_increment_version_bumps_the_counter_and_is_detected():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    z = a * b
    a.data[0] = 10.0  # a raw write, announced by hand as optimizers do
    increment_version(a)
    assert a._version == 1
    with pytest.raises(RuntimeError, match="mul"):
        z.sum().backward()


def test_in_place_that_would_change_the_shape_raises():
    x = Tensor(np.zeros(3))
    with pytest.raises(ValueError, match=r"\+=.*\(2, 3\).*\(3,\)"):
        x += np.ones((2, 3))


# ------------------------------------------------------------------------------ dtypes
def test_lists_and_python_scalars_become_float32():
    assert Tensor([1, 2, 3]).dtype == np.float32
    assert Tensor([[1.5, 2.0]]).dtype == np.float32
    assert Tensor(3).dtype == np.float32
    assert Tensor(2.5).dtype == np.float32


def test_numpy_arrays_keep_their_dtype_and_are_not_copied():
    for dtype in (np.float64, np.float32, np.int64, np.uint8, np.bool_):
        array = np.zeros(3, dtype=dtype)
        t = Tensor(array)
        assert t.dtype == dtype and t.data is array
    assert Tensor(np.zeros(2), dtype=np.float32).dtype == np.float32


def test_float32_arithmetic_with_numbers_and_float64_arrays_stays_float32():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    results = [
        x * 0.5, 0.5 * x, x + np.ones(3), np.ones(3) + x, x / 3, 3 / x, x - np.float64(2.0),
        np.float64(2.0) * x, x**2, 2.0**x, x @ np.ones((3, 2)), np.ones((2, 3)) @ x,
        autograd.where(x > 0, x, 0.0), autograd.maximum(x, 0.5), x.clip(0.1, 2.0), x.mean(),
        autograd.tensordot(x, np.ones(3), 1), autograd.linear(x, autograd.ones(3, 2)),
    ]  # fmt: skip
    assert [r.dtype for r in results] == [np.float32] * len(results)
    sum(r.sum() for r in results).backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_op_keeps_float32_in_forward_and_in_each_backward_rule(name, data):
    case = data.draw(SPECS[name], label=name)
    inputs = tensors_for(case, np.float32)
    output = case.call(*inputs)
    assert output.dtype == np.float32
    for node in graph_nodes(output.grad_fn):
        # Called directly, not through the engine, which would cast a stray float64 back; as
        # the engine does without create_graph: under no_grad, with an array.
        with no_grad():
            raw = node.backward(np.ones(node.output_meta[0], node.output_meta[1]))
        for (_, input_dtype, _), grad in zip(node.input_meta, raw):
            assert grad is None or grad.dtype == input_dtype, f"{node.name} backward"
        if node.name != "cast":
            assert node.output_meta[1] == np.float32, f"{node.name} forward"
    wrt = [t for t in inputs if t.requires_grad]
    grads = autograd.grad(output, wrt, grad_outputs=np.ones(output.shape, np.float32))
    assert [g.dtype for g in grads] == [np.float32] * len(wrt)


def test_requires_grad_on_an_integer_tensor_raises_type_error():
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        Tensor(np.array([1, 2]), requires_grad=True)
    with pytest.raises(TypeError, match="int64"):
        Tensor(np.array([1, 2])).requires_grad_()


def test_cast_to_integer_is_not_differentiable():
    x = leaf([1.5, 2.5])
    labels = x.astype(np.int64)
    assert labels.dtype == np.int64 and not labels.requires_grad and labels.grad_fn is None


def test_integer_labels_drive_softmax_cross_entropy_in_float32():
    logits = Tensor(np.array([[2.0, 0.0, -1.0], [0.0, 1.0, 0.0]], np.float32), requires_grad=True)
    labels = Tensor(np.array([0, 2], dtype=np.int64))
    loss = autograd.softmax_cross_entropy(logits, labels)
    assert loss.dtype == np.float32
    loss.backward()
    assert logits.grad.dtype == np.float32
    log_probs = logits.data - np.log(np.exp(logits.data).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(loss.item(), -(log_probs[0, 0] + log_probs[1, 2]) / 2, rtol=1e-6)
    one_hot = np.eye(3, dtype=np.float32)[labels.data]
    np.testing.assert_allclose(logits.grad.data, (np.exp(log_probs) - one_hot) / 2, rtol=1e-6)


def test_integer_tensors_index_and_reduce_without_gradients():
    x = Tensor(np.arange(6, dtype=np.int64))
    assert x[Tensor(np.array([5, 0]))].tolist() == [5, 0]
    assert x.sum().dtype == np.int64 and not x.sum().requires_grad


@pytest.mark.parametrize(
    "alias",
    [
        lambda y: y.detach(),
        lambda y: y.reshape(-1),
        lambda y: y.T,
        lambda y: y[0],
        lambda y: Tensor(y),
    ],
    ids=["detach", "reshape", "transpose", "basic-index", "Tensor(tensor)"],
)
def test_in_place_change_through_an_alias_is_detected_at_backward(alias):
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), requires_grad=True)
    y = x * 1
    z = (y * y).sum()
    with no_grad():
        view = alias(y)
        view += 10  # writes into y's array too
    with pytest.raises(RuntimeError, match="mul: input 0 .* modified by an in-place operation"):
        z.backward()


def test_in_place_change_of_the_original_is_detected_through_a_saved_view():
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), requires_grad=True)
    y = x * 1
    z = (y.T * y.T).sum()  # saves the transposed view
    with no_grad():
        y += 1
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.backward()


def test_copies_do_not_share_the_version_counter():
    x = Tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    y = x * 1
    z = (y * y).sum()
    with no_grad():
        copy = y[np.array([0, 1])]  # integer-array indexing copies
        copy += 10
        other = Tensor(y, dtype=np.float64)  # converted: a copy
        other += 1
    z.backward()
    np.testing.assert_allclose(x.grad.data, [2.0, 4.0])


@pytest.mark.parametrize("values", [[np.nan, 1.0], [np.inf, -np.inf], [np.nan, np.inf, 2.0]])
def test_zero_sets_nan_and_inf_entries_to_zero_and_bumps_the_version(values):
    for dtype in (np.float32, np.float64):
        t = Tensor(np.array(values, dtype=dtype))
        before = t._version
        assert t.zero_() is t
        assert t.tolist() == [0.0] * len(values) and t.dtype == dtype
        assert t._version == before + 1
    ints = Tensor(np.array([3, -1], dtype=np.int32)).zero_()
    assert ints.tolist() == [0, 0] and ints.dtype == np.int32


def test_zero_on_a_non_leaf_is_recorded_with_zero_gradient():
    x = Tensor([-1.0, 2.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        y = x.log()  # [nan, log 2]
    y.zero_()
    (y + x).sum().backward()
    assert y.tolist() == [0.0, 0.0]
    assert x.grad.tolist() == [1.0, 1.0]
