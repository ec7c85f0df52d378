"""Optimizers against their Keras update formulas written out in float64 numpy, and the
Optimizer base: Keras names and defaults, ``learning_rate=``, state_dict, zero_grad, errors."""

from __future__ import annotations

import numpy as np
import pytest

import optim
from autograd import Tensor

# Gradients over many scales, zero included, so epsilon's placement shows.
GRADIENT_SCALES = np.array([0.0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 3.0], dtype=np.float32)


def gradient_sequence(steps: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(steps, 4, len(GRADIENT_SCALES)))
    jitter = rng.uniform(0.5, 1.5, size=signs.shape)
    return [(s * j * GRADIENT_SCALES).astype(np.float32) for s, j in zip(signs, jitter)]


def start_weight(grads: list[np.ndarray]) -> np.ndarray:
    return np.linspace(-1, 1, grads[0].size, dtype=np.float32).reshape(grads[0].shape)


def run_ours(optimizer_class, grads: list[np.ndarray], **settings) -> np.ndarray:
    """Our optimizer's weights after ``grads``, one step each, from ``start_weight``."""
    weight = Tensor(start_weight(grads), requires_grad=True)
    optimizer = optimizer_class([weight], **settings)
    for grad in grads:
        weight.grad = Tensor(grad.copy())
        optimizer.step()
    assert weight.dtype == np.float32
    assert optimizer.iterations == len(grads)
    return weight.data


def keras_rmsprop(w, grads, lr, rho, epsilon, momentum=0.0, centered=False):
    """keras.optimizers.RMSprop.update_step, in float64."""
    w = w.astype(np.float64)
    velocity, average_grad, buffer = np.zeros_like(w), np.zeros_like(w), np.zeros_like(w)
    for g in grads:
        g = g.astype(np.float64)
        velocity = rho * velocity + (1 - rho) * g**2
        denominator = velocity + epsilon
        if centered:
            average_grad = rho * average_grad + (1 - rho) * g
            denominator = velocity - average_grad**2 + epsilon
        increment = lr * g / np.sqrt(denominator)
        if momentum:
            buffer = momentum * buffer + increment
            w = w - buffer
        else:
            w = w - increment
    return w


def keras_adam(w, grads, lr, beta_1, beta_2, epsilon):
    w = w.astype(np.float64)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        g = g.astype(np.float64)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        w = w - lr * np.sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (np.sqrt(v) + epsilon)
    return w


def keras_sgd(w, grads, lr, momentum=0.0, nesterov=False):
    w = w.astype(np.float64)
    velocity = np.zeros_like(w)
    for g in grads:
        g = g.astype(np.float64)
        velocity = momentum * velocity - lr * g
        w = w + (momentum * velocity - lr * g if nesterov else velocity)
    return w


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"momentum": 0.9},
        {"centered": True},
        {"centered": True, "momentum": 0.5},
        {"lr": 0.01, "rho": 0.8, "epsilon": 1e-6},
    ],
    ids=["default", "momentum", "centered", "centered_momentum", "other_settings"],
)
def test_rmsprop_follows_the_keras_formula_epsilon_inside_the_root(settings):
    grads = gradient_sequence(5)
    ours = run_ours(optim.RMSprop, grads, **settings)
    expected = keras_rmsprop(
        start_weight(grads), grads, **{**dict(lr=1e-3, rho=0.9, epsilon=1e-7), **settings}
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)


def test_rmsprop_epsilon_outside_the_root_would_differ():
    """The check above can tell the two placements apart (PyTorch's is the other one)."""
    grads = gradient_sequence(1)
    w = start_weight(grads).astype(np.float64)
    g = grads[0].astype(np.float64)
    outside = w - 1e-3 * g / (np.sqrt(0.1 * g**2) + 1e-7)
    assert not np.allclose(run_ours(optim.RMSprop, grads), outside, rtol=1e-6, atol=1e-7)


def test_adam_follows_the_keras_formula():
    grads = gradient_sequence(6, seed=1)
    ours = run_ours(optim.Adam, grads, lr=1e-2)
    expected = keras_adam(start_weight(grads), grads, 1e-2, 0.9, 0.999, 1e-7)
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "settings",
    [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}],
    ids=["plain", "momentum", "nesterov"],
)
def test_sgd_matches_the_keras_velocity_formula(settings):
    grads = gradient_sequence(4, seed=2)
    ours = run_ours(optim.SGD, grads, lr=0.1, **settings)
    expected = keras_sgd(start_weight(grads), grads, lr=0.1, **settings)
    np.testing.assert_allclose(ours, expected, rtol=1e-6, atol=1e-6)


def test_sgd_weight_decay_adds_decay_times_weight_to_the_gradient():
    grads = gradient_sequence(1)
    w = start_weight(grads)
    ours = run_ours(optim.SGD, grads, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(ours, w - 0.1 * (grads[0] + 0.5 * w), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "name, cls, expected",
    [
        (
            "rmsprop",
            optim.RMSprop,
            {"lr": 1e-3, "rho": 0.9, "epsilon": 1e-7, "momentum": 0.0, "centered": False},
        ),
        ("sgd", optim.SGD, {"lr": 0.01, "momentum": 0.0, "nesterov": False}),
        ("adam", optim.Adam, {"lr": 1e-3, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}),
        ("RMSprop", optim.RMSprop, {"lr": 1e-3}),
    ],
)
def test_keras_optimizer_names_resolve_to_keras_defaults(name, cls, expected):
    optimizer = optim.get(name)
    assert type(optimizer) is cls
    for key, value in expected.items():
        assert optimizer.defaults[key] == value, key
    assert optimizer.lr == expected["lr"] and optimizer.param_groups == []


def test_get_returns_an_optimizer_instance_unchanged():
    optimizer = optim.SGD(lr=0.5)
    assert optim.get(optimizer) is optimizer


def test_unknown_optimizer_name_is_a_clear_error():
    with pytest.raises(ValueError, match=r"unknown optimizer 'rmsprob'.*adam.*rmsprop.*sgd"):
        optim.get("rmsprob")


@pytest.mark.parametrize("cls", [optim.SGD, optim.RMSprop, optim.Adam])
def test_learning_rate_is_an_alias_of_lr(cls):
    weight = Tensor([1.0, 2.0], requires_grad=True)
    optimizer = cls([weight], learning_rate=0.25)
    assert optimizer.lr == optimizer.learning_rate == 0.25
    assert optimizer.param_groups[0]["lr"] == 0.25
    assert "learning_rate" not in optimizer.param_groups[0]


def test_negative_learning_rate_is_rejected():
    with pytest.raises(ValueError, match="learning rate -1"):
        optim.SGD(lr=-1)


def test_step_without_parameters_says_how_to_bind_them():
    with pytest.raises(RuntimeError, match="has no parameters.*compile"):
        optim.RMSprop().step()


def test_parameters_must_be_leaves_that_require_grad():
    with pytest.raises(ValueError, match="leaf tensor that requires grad"):
        optim.SGD([Tensor([1.0])])


def test_parameters_without_gradient_are_left_alone():
    used, unused = Tensor([1.0], requires_grad=True), Tensor([5.0], requires_grad=True)
    optimizer = optim.Adam([used, unused], lr=0.1)
    used.grad = Tensor([1.0])
    optimizer.step()
    assert unused.data.tolist() == [5.0] and used.data[0] < 1.0


def test_param_groups_keep_their_own_learning_rates():
    a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = Tensor([1.0]), Tensor([1.0])
    optimizer.step()
    np.testing.assert_allclose([a.data[0], b.data[0]], [0.9, 0.5])


def test_zero_grad_set_to_none_false_zeros_the_same_array_in_place():
    weight = Tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.SGD([weight])
    (weight * weight).sum().backward()
    grad_array = weight.grad.data
    optimizer.zero_grad(set_to_none=False)
    assert weight.grad.data is grad_array
    assert grad_array.tolist() == [0.0, 0.0]
    optimizer.zero_grad()
    assert weight.grad is None


@pytest.mark.parametrize(
    "cls, settings",
    [
        (optim.Adam, {"lr": 0.01}),
        (optim.RMSprop, {"momentum": 0.9, "centered": True}),
        (optim.SGD, {"momentum": 0.9, "nesterov": True, "lr": 0.1}),
    ],
)
def test_state_dict_round_trip_reproduces_the_next_step_exactly(cls, settings):
    grads = gradient_sequence(4, seed=3)
    weight = Tensor(start_weight(grads), requires_grad=True)
    optimizer = cls([weight], **settings)
    for grad in grads[:3]:
        weight.grad = Tensor(grad.copy())
        optimizer.step()
    saved_state, saved_weight = optimizer.state_dict(), weight.data.copy()

    weight.grad = Tensor(grads[3].copy())
    optimizer.step()  # must not change the saved state: it is a snapshot
    twin = Tensor(saved_weight, requires_grad=True)
    restored = cls([twin])  # default hyper-parameters: the state dict brings them back
    restored.load_state_dict(saved_state)
    twin.grad = Tensor(grads[3].copy())
    restored.step()
    np.testing.assert_array_equal(twin.data, weight.data)
    assert restored.iterations == optimizer.iterations == 4


def test_load_state_dict_rejects_buffers_of_another_shape():
    a = Tensor(np.ones(3, np.float32), requires_grad=True)
    optimizer = optim.Adam([a])
    a.grad = Tensor(np.ones(3, np.float32))
    optimizer.step()
    other = optim.Adam([Tensor(np.ones(4, np.float32), requires_grad=True)])
    with pytest.raises(ValueError, match=r"shape \(3,\), the parameter \(4,\)"):
        other.load_state_dict(optimizer.state_dict())


@pytest.mark.parametrize("cls", [optim.SGD, optim.RMSprop, optim.Adam])
def test_state_buffers_stay_float32(cls):
    weight = Tensor(np.ones((3, 2), np.float32), requires_grad=True)
    settings = {"momentum": 0.9} if cls is not optim.Adam else {}
    optimizer = cls([weight], **settings)
    for _ in range(2):
        weight.grad = Tensor(np.full((3, 2), 0.5, np.float32))
        optimizer.step()
    arrays = [v for v in optimizer.state[weight].values() if isinstance(v, np.ndarray)]
    assert arrays and all(a.dtype == np.float32 for a in arrays)
    assert weight.dtype == np.float32
