"""autograd.grad / value_and_grad, higher derivatives, grad mode, and numerically stable ops."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import autograd
from autograd import Tensor, enable_grad, grad, no_grad, set_grad_enabled, value_and_grad


def leaf(values) -> Tensor:
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


# ------------------------------------------------------------------------------ grad()
def test_grad_returns_gradients_without_touching_dot_grad():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    dx, dy = grad((x * y).sum(), [x, y])
    np.testing.assert_array_equal(dx.data, [3.0, 4.0])
    np.testing.assert_array_equal(dy.data, [1.0, 2.0])
    assert x.grad is None and y.grad is None


def test_grad_with_respect_to_an_intermediate_tensor():
    x = leaf([1.0, 2.0])
    hidden = x * 3
    (d_hidden,) = grad((hidden * hidden).sum(), hidden)
    np.testing.assert_array_equal(d_hidden.data, [6.0, 12.0])


def test_grad_of_an_unused_input_raises_unless_allowed():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(RuntimeError, match="allow_unused"):
        grad((x * 2).sum(), [x, unused])
    dx, d_unused = grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert d_unused is None and dx.item() == 2.0


def test_grad_with_grad_outputs_is_a_vector_jacobian_product():
    x = leaf([1.0, 2.0, 3.0])
    (vjp,) = grad(x * x, x, grad_outputs=np.array([1.0, 0.0, -1.0]))
    np.testing.assert_array_equal(vjp.data, [2.0, 0.0, -6.0])


# ------------------------------------------------------------------------------ higher order
def test_second_derivative_of_tanh_matches_closed_form():
    values = np.linspace(-3.0, 3.0, 13)
    x = leaf(values)
    (first,) = grad(x.tanh().sum(), x, create_graph=True)
    (second,) = grad(first.sum(), x)
    t = np.tanh(values)
    np.testing.assert_allclose(first.data, 1 - t**2, rtol=1e-12)
    np.testing.assert_allclose(second.data, -2 * t * (1 - t**2), rtol=1e-10, atol=1e-14)


def test_nested_grad_gives_second_and_third_derivatives_of_a_power():
    x = Tensor(np.float64(2.0), requires_grad=True)
    (d1,) = grad(x**4, x, create_graph=True)
    (d2,) = grad(d1, x, create_graph=True)
    (d3,) = grad(d2, x)
    assert (d1.item(), d2.item(), d3.item()) == (32.0, 48.0, 48.0)


def test_backward_with_create_graph_makes_dot_grad_differentiable():
    x = leaf([0.5, -1.0])
    (x.sigmoid() * x).sum().backward(create_graph=True)
    assert x.grad.requires_grad
    (second,) = grad(x.grad.sum(), x)
    s = 1 / (1 + np.exp(-x.data))
    ds = s * (1 - s)
    np.testing.assert_allclose(second.data, 2 * ds + x.data * ds * (1 - 2 * s), rtol=1e-12)


def plain_grad(f, x_values):
    x = leaf(x_values)
    (g,) = grad(f(x), x)
    return g.data


def hessian_vector_product(f, x_values, v):
    x = leaf(x_values)
    (g,) = grad(f(x), x, create_graph=True)
    (hvp,) = grad((g * Tensor(v)).sum(), x)
    return hvp.data


def test_hessian_vector_product_of_cubic_plus_quadratic_form_matches_closed_form():
    rng = np.random.default_rng(1)
    matrix, x, v = rng.standard_normal((4, 4)), rng.standard_normal(4), rng.standard_normal(4)
    a = Tensor(matrix)

    def f(t):
        return (t**3).sum() + ((a @ t) * t).sum()

    hessian = np.diag(6 * x) + matrix + matrix.T
    np.testing.assert_allclose(hessian_vector_product(f, x, v), hessian @ v, rtol=1e-10)


def test_hessian_vector_product_of_softmax_cross_entropy_matches_finite_differences():
    rng = np.random.default_rng(2)
    logits, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    labels = np.array([0, 3, 1])

    def f(t):
        return autograd.softmax_cross_entropy(t, labels)

    eps = 1e-6
    numerical = (plain_grad(f, logits + eps * v) - plain_grad(f, logits - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hessian_vector_product(f, logits, v), numerical, atol=1e-8)
    # Closed form per row: (diag(p) - p p^T) v / batch.
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    closed = (p * v - p * (p * v).sum(axis=1, keepdims=True)) / 3
    np.testing.assert_allclose(hessian_vector_product(f, logits, v), closed, rtol=1e-10)


def test_grad_of_a_gradient_function_nests():
    def df(t):
        (g,) = grad((t.exp() * t).sum(), t, create_graph=True)
        return g

    x = leaf([0.0, 1.0])
    (d2,) = grad(df(x).sum(), x)
    np.testing.assert_allclose(d2.data, np.exp(x.data) * (x.data + 2), rtol=1e-12)


# ------------------------------------------------------------------------------ value_and_grad
def test_value_and_grad_with_a_single_argnum():
    value, slope = value_and_grad(lambda x, k: (x * x).sum() * k)([1.0, 2.0], 3.0)
    assert value.item() == 15.0 and not value.requires_grad
    np.testing.assert_array_equal(slope.data, [6.0, 12.0])


def test_value_and_grad_with_a_tuple_of_argnums():
    def f(w, x, b):
        return ((x @ w) + b).tanh().sum()

    w, x, b = np.full((3, 2), 0.1), np.arange(6.0).reshape(2, 3) / 6, np.array([0.0, 0.5])
    value, (dw, db) = value_and_grad(f, argnums=(0, 2))(w, x, b)
    z = np.tanh(x @ w + b)
    np.testing.assert_allclose(value.item(), z.sum(), rtol=1e-12)
    np.testing.assert_allclose(dw.data, x.T @ (1 - z**2), rtol=1e-12)
    np.testing.assert_allclose(db.data, (1 - z**2).sum(axis=0), rtol=1e-12)


def test_value_and_grad_gives_zeros_for_an_argument_the_function_ignores():
    _, (da, db) = value_and_grad(lambda a, b: (a * 2).sum(), argnums=(0, 1))(np.ones(2), np.ones(3))
    np.testing.assert_array_equal(db.data, np.zeros(3))
    np.testing.assert_array_equal(da.data, [2.0, 2.0])


def test_value_and_grad_records_even_when_called_under_no_grad():
    with no_grad():
        _, slope = value_and_grad(lambda x: (x**2).sum())(np.array([3.0]))
    assert slope.item() == 6.0


def test_value_and_grad_rejects_a_non_scalar_function():
    with pytest.raises(TypeError, match="one-element"):
        value_and_grad(lambda x: x * 2)(np.ones(3))


# ------------------------------------------------------------------------------ grad mode
def test_no_grad_and_enable_grad_nest_as_context_managers():
    x = leaf([1.0])
    assert autograd.is_grad_enabled()
    with no_grad():
        assert not (x * 2).requires_grad
        with enable_grad():
            assert (x * 2).requires_grad
            with no_grad():
                assert not autograd.is_grad_enabled()
            assert autograd.is_grad_enabled()
        assert not autograd.is_grad_enabled()
    assert autograd.is_grad_enabled()


def test_no_grad_and_enable_grad_work_as_decorators():
    x = leaf([1.0])

    @no_grad()
    def frozen():
        return x * 2

    @enable_grad()
    def recorded():
        return x * 2

    assert not frozen().requires_grad
    with no_grad():
        assert recorded().requires_grad
    assert autograd.is_grad_enabled()


def test_grad_mode_is_restored_after_an_exception():
    with pytest.raises(ZeroDivisionError), no_grad():
        raise ZeroDivisionError
    assert autograd.is_grad_enabled()


def test_set_grad_enabled_switches_by_flag():
    x = leaf([1.0])
    with set_grad_enabled(False):
        assert not (x * 2).requires_grad
    with no_grad(), set_grad_enabled(True):
        assert (x * 2).requires_grad


def test_grad_mode_is_thread_local():
    seen = {}

    def worker():
        seen["enabled"] = autograd.is_grad_enabled()
        seen["records"] = (leaf([1.0]) * 2).requires_grad

    with no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not autograd.is_grad_enabled()
    assert seen == {"enabled": True, "records": True}


# ------------------------------------------------------------------------------ stability
EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4 - 1.0, 5.0]])


def exact_log_softmax(rows: np.ndarray) -> np.ndarray:
    # Exact for these rows: every entry more than ~750 below its row's max has exp(.) = 0.
    shifted = rows - rows.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_family_is_finite_and_exact_for_logits_of_1e4(dtype):
    x = Tensor(EXTREME.astype(dtype), requires_grad=True)
    log_probs = exact_log_softmax(EXTREME)
    expected = {
        "log_softmax": log_probs,
        "softmax": np.exp(log_probs),
        "logsumexp": (EXTREME - log_probs)[:, 0],
    }
    tolerance = 1e-12 if dtype == np.float64 else 1e-6
    for name, value in expected.items():
        out = getattr(x, name)(axis=1)
        assert np.isfinite(out.data).all(), name
        np.testing.assert_allclose(out.data, value, rtol=tolerance, atol=tolerance, err_msg=name)
        x.grad = None
        (out * Tensor(np.arange(out.size, dtype=dtype).reshape(out.shape))).sum().backward()
        assert np.isfinite(x.grad.data).all(), name

    labels = np.array([1, 0, 2])
    loss = autograd.softmax_cross_entropy(x, labels)
    exact = -log_probs[np.arange(3), labels].mean()  # (2e4 + log 3 + ~5) / 3
    np.testing.assert_allclose(loss.item(), exact, rtol=tolerance)
    x.grad = None
    loss.backward()
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(x.grad.data, (np.exp(log_probs) - one_hot) / 3, atol=tolerance)


def test_sigmoid_is_stable_and_exact_at_plus_minus_1e4():
    for dtype in (np.float64, np.float32):
        x = Tensor(np.array([-1e4, -50.0, 0.0, 50.0, 1e4], dtype=dtype), requires_grad=True)
        with np.errstate(over="raise"):
            out = x.sigmoid()
            out.sum().backward()
        expected = [0.0, np.exp(-50.0) / (1 + np.exp(-50.0)), 0.5, 1 / (1 + np.exp(-50.0)), 1.0]
        np.testing.assert_allclose(out.data, expected, rtol=1e-6)
        assert out.dtype == dtype and np.isfinite(x.grad.data).all()
        np.testing.assert_allclose(x.grad.data[[0, 2, 4]], [0.0, 0.25, 0.0])


def test_softmax_cross_entropy_reads_integer_one_hot_rows_as_targets() -> None:
    logits = Tensor(np.array([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3]], dtype=np.float32))
    as_int = autograd.softmax_cross_entropy(logits, np.eye(3, dtype=np.int64)[[0, 2]])
    as_labels = autograd.softmax_cross_entropy(logits, np.array([0, 2]))
    assert as_int.dtype == np.float32
    assert as_int.item() == pytest.approx(as_labels.item(), rel=1e-6)
