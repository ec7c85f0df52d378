"""Optimizer updates in narrow dtypes and at extreme gradients: no folded constant may overflow
(issue 9.13), and lr = 0 or epsilon = 0 never writes NaN.

Two references: Keras's formula in float64 (where the dtype can hold the gradient's square
and the velocity as a normal number), and Keras's formula run in the parameter's own dtype
(everywhere, overflow included: then Keras leaves the weight where it is, and so do we).
"""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor

DTYPES = [np.float16, np.float32, np.float64]
STEPS = 3


def gradients_for(dtype) -> list[float]:
    """Gradient sizes from the smallest whose (1 - rho) g^2 is a normal number of ``dtype``
    to the largest whose square still fits, plus the seed's scale and the issue's 1e18."""
    info = np.finfo(dtype)
    small = float(np.sqrt(info.tiny / 1e-3)) * 2
    large = float(np.sqrt(info.max)) / 4
    values = [small] + [g for g in (1e-2, 0.5, 3.0) if g > small] + [large]
    if dtype is not np.float16:
        values += [1e18 if large > 1e18 else large / 2]
    return values


def run(cls, dtype, grad_value: float, **settings) -> np.ndarray:
    weight = Tensor(np.array([1.0, -1.0, 0.25], dtype), requires_grad=True)
    optimizer = cls([weight], **settings)
    signs = np.array([1.0, -1.0, 1.0])
    for _ in range(STEPS):
        weight.grad = Tensor((signs * grad_value).astype(dtype))
        optimizer.step()
    assert weight.dtype == dtype
    return weight.data


def keras_rmsprop(dtype, grad_value, lr=1e-3, rho=0.9, epsilon=1e-7, centered=False):
    """keras.optimizers.RMSprop.update_step; numpy keeps Python-float scalars in ``dtype``."""
    w = np.array([1.0, -1.0, 0.25], dtype)
    g = (np.array([1.0, -1.0, 1.0]) * grad_value).astype(dtype)
    velocity, average = np.zeros_like(w), np.zeros_like(w)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(STEPS):
            velocity = rho * velocity + (1 - rho) * (g * g)
            denominator = velocity + epsilon
            if centered:
                average = rho * average + (1 - rho) * g
                denominator = velocity - average * average + epsilon
            w = w - lr * g / np.sqrt(denominator)
    return w


def keras_adam(dtype, grad_value, lr=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    w = np.array([1.0, -1.0, 0.25], dtype)
    g = (np.array([1.0, -1.0, 1.0]) * grad_value).astype(dtype)
    m, v = np.zeros_like(w), np.zeros_like(w)
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, STEPS + 1):
            m = m + (g - m) * (1 - beta_1)
            v = v + (g * g - v) * (1 - beta_2)
            alpha = lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
            w = w - alpha * m / (np.sqrt(v) + epsilon)
    return w


def keras_sgd(dtype, grad_value, lr=0.01, momentum=0.0, nesterov=False):
    w = np.array([1.0, -1.0, 0.25], dtype)
    g = (np.array([1.0, -1.0, 1.0]) * grad_value).astype(dtype)
    velocity = np.zeros_like(w)
    for _ in range(STEPS):
        velocity = momentum * velocity - lr * g
        w = w + (momentum * velocity - lr * g if nesterov else velocity)
    return w


CASES = [
    (optim.RMSprop, keras_rmsprop, {}),
    (optim.RMSprop, keras_rmsprop, {"lr": 0.1, "rho": 0.5}),
    (optim.RMSprop, keras_rmsprop, {"centered": True}),
    (optim.Adam, keras_adam, {}),
    (optim.Adam, keras_adam, {"lr": 0.05}),
]
CASE_IDS = ["rmsprop", "rmsprop_lr0.1", "rmsprop_centered", "adam", "adam_lr0.05"]


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("cls, reference, settings", CASES, ids=CASE_IDS)
def test_adaptive_steps_match_float64_keras_over_every_representable_gradient(
    cls, reference, settings, dtype
):
    for grad_value in gradients_for(dtype):
        ours = run(cls, dtype, grad_value, **settings)
        wide = reference(np.float64, grad_value, **settings)
        # Three steps, each rounded to the dtype: a few units in the last place of the weight.
        np.testing.assert_allclose(
            ours, wide, rtol=4 * np.finfo(dtype).eps, atol=0, err_msg=f"g={grad_value}"
        )
        if grad_value >= 1e-2:  # the folded 1/lr^2 left these weights unchanged
            assert not np.array_equal(ours, [1.0, -1.0, 0.25]), f"no step at g={grad_value}"


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(
    "cls, settings",
    [(optim.RMSprop, {}), (optim.RMSprop, {"lr": 0.1, "momentum": 0.5}), (optim.Adam, {})],
    ids=["rmsprop", "rmsprop_momentum", "adam"],
)
def test_a_gradient_whose_square_overflows_takes_no_step_and_writes_no_nan(cls, settings, dtype):
    """g^2 = inf makes the root inf and the step g / inf = 0, as Keras 3 (torch backend) gives
    for both; the form v += (1 - b2)(g^2 - v) would give inf - inf = NaN from the second step.
    (Centered RMSprop subtracts two such squares: inf - inf is NaN there, as in Keras.)"""
    info = np.finfo(dtype)
    start = np.array([1.0, -1.0, 0.25], dtype)
    for grad_value in (float(np.sqrt(info.max)) * 4, float(info.max) / 2):
        with np.errstate(over="ignore"):
            ours = run(cls, dtype, grad_value, **settings)
        np.testing.assert_array_equal(ours, start, err_msg=f"g={grad_value}")
        if cls is optim.RMSprop and not settings:
            np.testing.assert_array_equal(ours, keras_rmsprop(dtype, grad_value))


def test_rmsprop_float16_step_is_the_one_keras_gives():
    """The issue's case: Keras 3 gives 0.99684 (0.997 in float16) for w=1, g=0.5."""
    weight = Tensor(np.array([1.0], np.float16), requires_grad=True)
    weight.grad = Tensor(np.array([0.5], np.float16))
    optim.RMSprop([weight]).step()
    assert weight.data[0] == np.float16(1 - 1e-3 * 0.5 / np.sqrt(0.1 * 0.25 + 1e-7))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("grad_value", [0.0, 1e-3, 0.5, 100.0])
@pytest.mark.parametrize(
    "cls, settings",
    [
        (optim.RMSprop, {}),
        (optim.RMSprop, {"momentum": 0.9, "centered": True}),
        (optim.Adam, {}),
        (optim.SGD, {"momentum": 0.9, "nesterov": True}),
    ],
    ids=["rmsprop", "rmsprop_centered_momentum", "adam", "sgd_nesterov"],
)
def test_zero_learning_rate_leaves_every_weight_unchanged(cls, settings, grad_value, dtype):
    ours = run(cls, dtype, grad_value, lr=0.0, **settings)
    np.testing.assert_array_equal(ours, np.array([1.0, -1.0, 0.25], dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(
    "cls, settings",
    [
        (optim.RMSprop, {}),
        (optim.RMSprop, {"centered": True}),
        (optim.RMSprop, {"momentum": 0.5}),
        (optim.Adam, {}),
    ],
    ids=["rmsprop", "rmsprop_centered", "rmsprop_momentum", "adam"],
)
def test_zero_epsilon_takes_no_step_on_zero_gradients_and_the_formula_step_otherwise(
    cls, settings, dtype
):
    """Keras 3 and PyTorch 2.13 both write NaN here (0/0); we define the step as 0."""
    weight = Tensor(np.array([1.0, -1.0, 0.25], dtype), requires_grad=True)
    optimizer = cls([weight], epsilon=0.0, **settings)
    for grad in ([0.0, 0.0, 0.0], [0.0, 0.5, 0.0], [0.0, 0.5, -2.0]):
        weight.grad = Tensor(np.array(grad, dtype))
        optimizer.step()
    assert weight.data[0] == 1.0  # never had a gradient
    assert np.isfinite(weight.data).all()
    assert weight.data[1] < -1.0 and weight.data[2] > 0.25


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: d.__name__)
@pytest.mark.parametrize(
    "settings", [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}], ids=str
)
def test_sgd_matches_keras_in_every_dtype_at_extreme_gradients(settings, dtype):
    info = np.finfo(dtype)
    for grad_value in (float(info.tiny) * 1e3, 0.5, float(info.max) / 1e3):
        ours = run(optim.SGD, dtype, grad_value, lr=0.01, **settings)
        wide = keras_sgd(np.float64, grad_value, lr=0.01, **settings).astype(dtype)
        np.testing.assert_allclose(ours, wide, rtol=8 * info.eps, err_msg=f"g={grad_value}")
