"""What ops save for backward: only inputs a needed gradient reads (PyTorch's behaviour), and
counts/divisors formed wide; plus where anomaly mode's creation sites are found."""

from __future__ import annotations

import ntpath
import posixpath

import numpy as np
import pytest

import autograd
from autograd import Tensor, linear, tensordot
from autograd.function import is_within

RNG = np.random.default_rng(0)
C = RNG.standard_normal((3, 3)).astype(np.float32)  # a constant: needs no gradient

# Each op combines y (made from x, later modified in place) with a constant c.
OPS_WITH_A_CONSTANT = {
    "y * c": lambda y, c: y * c,
    "c * y": lambda y, c: c * y,
    "y / c": lambda y, c: y / (c * c + 1.0),
    "y @ c": lambda y, c: y @ c,
    "c @ y": lambda y, c: c @ y,
    "tensordot(y, c)": lambda y, c: tensordot(y, c, axes=1),
    "tensordot(c, y)": lambda y, c: tensordot(c, y, axes=([0], [1])),
    "linear(c, y)": lambda y, c: linear(c, y),
    "linear(c, w, y) bias": lambda y, c: linear(c, Tensor(C), y[0]),
}


@pytest.mark.parametrize("name", OPS_WITH_A_CONSTANT)
def test_input_no_needed_gradient_reads_may_change_in_place_before_backward(name):
    """``y = x * 3; z = y * c; y.add_(1); z.backward()`` works as in PyTorch (x.grad = 3c)."""
    op = OPS_WITH_A_CONSTANT[name]
    data = RNG.standard_normal((3, 3)).astype(np.float32)
    expected_x = Tensor(data.copy(), requires_grad=True)
    op(expected_x * 3, Tensor(C)).sum().backward()

    x = Tensor(data.copy(), requires_grad=True)
    y = x * 3
    z = op(y, Tensor(C))
    y.add_(1)  # recorded in place: y's history moves on, z's node must not care
    z.sum().backward()
    np.testing.assert_allclose(x.grad.data, expected_x.grad.data, rtol=1e-6)


@pytest.mark.parametrize("name", ["y * c", "y @ c", "c @ y", "tensordot(y, c)"])
def test_input_a_needed_gradient_reads_still_raises_when_changed(name):
    op = OPS_WITH_A_CONSTANT[name]
    x = Tensor(RNG.standard_normal((3, 3)).astype(np.float32), requires_grad=True)
    c = Tensor(C, requires_grad=True)  # now c's gradient reads y
    y = x * 3
    z = op(y, c)
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.sum().backward()


def test_first_layer_weight_updated_under_no_grad_before_backward():
    """A first layer on plain data: its weight changes in place (no_grad) before backward; the
    weight's gradient reads only the data, so backward runs and gives data.T @ grad."""
    data = RNG.standard_normal((4, 3)).astype(np.float32)
    w = Tensor(RNG.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros(2, np.float32), requires_grad=True)
    out = linear(Tensor(data), w, b)
    with autograd.no_grad():
        w -= 0.5
    out.sum().backward()
    np.testing.assert_allclose(w.grad.data, data.T @ np.ones((4, 2)), rtol=1e-6)
    assert b.grad.shape == (2,) and b.grad.tolist() == [4.0, 4.0]


def test_inputs_no_needed_gradient_reads_are_not_kept():
    x = Tensor(np.ones((2, 2), np.float32), requires_grad=True)
    c = Tensor(np.ones((2, 2), np.float32))
    node = (x * c).grad_fn
    assert node.record.inputs[0].value is None  # x: only x's gradient is needed; it reads c
    assert node.record.inputs[1].value is not None


@pytest.mark.parametrize("bias_shape", [(3,), (1, 3)])
def test_linear_returns_the_bias_gradient_in_the_bias_shape(bias_shape):
    x = Tensor(np.ones((5, 2), np.float32))
    w = Tensor(np.ones((2, 3), np.float32), requires_grad=True)
    b = Tensor(np.zeros(bias_shape, np.float32), requires_grad=True)
    out = linear(x, w, b)
    grads = out.grad_fn.backward(np.ones((5, 3), np.float32))
    assert grads[2].shape == bias_shape and np.all(grads[2] == 5.0)


# --- counts and divisors computed wide ------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("size", [7, 1000, 70_000])
def test_mean_gradient_is_one_over_count_even_when_count_overflows_the_dtype(dtype, size):
    x = Tensor(np.ones(size, dtype), requires_grad=True)
    x.mean().backward()
    expected = np.array(1.0 / size).astype(dtype)  # PyTorch: 1.43e-05 for 70,000 in float16
    assert x.grad.dtype == dtype and np.all(x.grad.data == expected) and expected > 0


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("reduce", ["max", "min"])
@pytest.mark.parametrize("shape, axis", [((70_000,), None), ((70_000, 2), 0), ((3, 5), 1)])
def test_tied_extremum_shares_gradient_by_a_wide_count(dtype, reduce, shape, axis):
    x = Tensor(np.full(shape, 2.0, dtype), requires_grad=True)
    getattr(x, reduce)(axis=axis).sum().backward()
    ties = np.prod(shape) if axis is None else shape[axis]
    assert np.all(x.grad.data == np.array(1.0 / ties).astype(dtype))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("size", [10, 70_000])
def test_mean_and_tied_max_gradients_match_torch(dtype, size):
    torch = pytest.importorskip("torch")
    for reduce in ("mean", "amax"):
        ours = Tensor(np.ones(size, dtype), requires_grad=True)
        (ours.mean() if reduce == "mean" else ours.max()).backward()
        theirs = torch.ones(size, dtype=getattr(torch, dtype), requires_grad=True)
        getattr(theirs, reduce)().backward()
        np.testing.assert_array_equal(ours.grad.data, theirs.grad.numpy())


# --- creation sites by the platform's path rules ----------------------------------------------


@pytest.mark.parametrize(
    "path, filename, folder, inside",
    [
        (posixpath, "/src/autograd/ops/linalg.py", "/src/autograd", True),
        (posixpath, "/src/autograd_extras/x.py", "/src/autograd", False),  # a prefix, not a folder
        (posixpath, "/src/notebook.py", "/src/autograd", False),
        (ntpath, r"C:\src\autograd\ops\linalg.py", r"C:\src\autograd", True),
        (ntpath, r"c:\SRC\Autograd\tensor.py", r"C:\src\autograd", True),  # case-insensitive
        (ntpath, r"C:\src\autograd_extras\x.py", r"C:\src\autograd", False),
        (ntpath, r"C:\src\train.py", r"C:\src\autograd", False),
    ],
)
def test_creation_site_check_uses_the_platforms_path_rules(path, filename, folder, inside):
    assert is_within(filename, folder, path) is inside


def test_anomaly_mode_names_the_users_line_not_the_package():
    x = Tensor([0.0], requires_grad=True)
    with pytest.raises(FloatingPointError, match=r"test_saved_values\.py:\d+"):
        with autograd.detect_anomaly():
            x.log()
