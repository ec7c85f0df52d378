"""One training step equals PyTorch's for the same weights and batch: forward, loss, gradients
and the weights after every optimizer's update, to float32 tolerance.

Our Dense kernels are (in, out), PyTorch's weights (out, in): ``torch weight = kernel.T``; our
Linear weights are PyTorch's (out, in) already.
"""

from __future__ import annotations

import numpy as np
import pytest

import nn
import optim
from autograd import Tensor, manual_seed
from nn import layers, models

torch = pytest.importorskip("torch", reason="PyTorch is the test oracle here: pip install torch")

TOLERANCE = dict(rtol=1e-5, atol=1e-6)


def twin_models(sizes: tuple[int, int, int], seed: int = 0):
    """Our Linear-ReLU-Linear and PyTorch's, with the same weights."""
    n_in, n_hidden, n_out = sizes
    manual_seed(seed)
    ours = nn.Sequential(nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_out))
    theirs = torch.nn.Sequential(
        torch.nn.Linear(n_in, n_hidden), torch.nn.ReLU(), torch.nn.Linear(n_hidden, n_out)
    )
    copy_weights(ours, theirs)
    return ours, theirs


def copy_weights(ours, theirs) -> None:
    with torch.no_grad():
        for mine, their in zip(ours.parameters(), theirs.parameters(), strict=True):
            their.copy_(torch.from_numpy(as_torch_layout(mine.data, mine).copy()))


def paired_parameters(ours, theirs):
    """(our Parameter, PyTorch's) in order: kernel/weight, bias, kernel/weight, bias."""
    return list(zip(ours.parameters(), theirs.parameters(), strict=True))


def as_torch_layout(array: np.ndarray, mine) -> np.ndarray:
    """A Dense kernel transposed to PyTorch's (out, in); anything else as it is."""
    return array.T if mine.name.endswith(".kernel") else array


def as_ours(tensor, mine) -> np.ndarray:
    return as_torch_layout(tensor.detach().numpy(), mine)


def assert_weights_match(ours, theirs) -> None:
    for mine, their in paired_parameters(ours, theirs):
        np.testing.assert_allclose(mine.data, as_ours(their, mine), **TOLERANCE, err_msg=mine.name)


def assert_grads_match(ours, theirs) -> None:
    for mine, their in paired_parameters(ours, theirs):
        assert mine.grad is not None, mine.name
        np.testing.assert_allclose(
            mine.grad.data, as_ours(their.grad, mine), **TOLERANCE, err_msg=mine.name
        )


def random_batch(rng: np.random.Generator, batch: int, n_in: int, n_out: int):
    x = rng.random((batch, n_in), dtype=np.float32)
    labels = rng.integers(0, n_out, size=batch)
    return x, labels


@pytest.mark.parametrize("target_kind", ["labels", "one_hot"])
def test_forward_loss_and_gradients_match_pytorch_at_mnist_sizes(target_kind):
    ours, theirs = twin_models((784, 512, 10))
    x, labels = random_batch(np.random.default_rng(1), 128, 784, 10)
    target = labels if target_kind == "labels" else np.eye(10, dtype=np.float32)[labels]

    logits = ours(Tensor(x))
    loss = nn.functional.cross_entropy(logits, target)
    loss.backward()
    their_logits = theirs(torch.from_numpy(x))
    their_target = torch.from_numpy(target)
    their_loss = torch.nn.functional.cross_entropy(their_logits, their_target)
    their_loss.backward()

    assert logits.dtype == np.float32 and loss.dtype == np.float32
    np.testing.assert_allclose(logits.data, their_logits.detach().numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(loss.item(), their_loss.item(), rtol=1e-6)
    assert_grads_match(ours, theirs)


def test_categorical_crossentropy_on_probabilities_matches_pytorch_on_logits():
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((8, 5)).astype(np.float32)
    labels = rng.integers(0, 5, size=8)
    one_hot = np.eye(5, dtype=np.float32)[labels]
    logits_tensor = Tensor(logits, requires_grad=True)
    loss = nn.functional.categorical_crossentropy(nn.functional.softmax(logits_tensor), one_hot)
    loss.backward()
    their_logits = torch.from_numpy(logits).requires_grad_()
    their_loss = torch.nn.functional.cross_entropy(their_logits, torch.from_numpy(labels))
    their_loss.backward()
    np.testing.assert_allclose(loss.item(), their_loss.item(), rtol=1e-6)
    np.testing.assert_allclose(logits_tensor.grad.data, their_logits.grad.numpy(), **TOLERANCE)


# name: (our optimizer, PyTorch's optimizer, steps). Steps > 1 where a buffer matters.
OPTIMIZERS = {
    "sgd": (lambda p: optim.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1), 1),
    "sgd_momentum": (
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
        3,
    ),
    "sgd_nesterov": (
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
        3,
    ),
    "sgd_weight_decay": (
        lambda p: optim.SGD(p, lr=0.1, weight_decay=0.05),
        lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.05),
        2,
    ),
    "sgd_weight_decay_nesterov": (
        lambda p: optim.SGD(p, lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.05),
        lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.05),
        3,
    ),
    # Keras and PyTorch place Adam's epsilon differently: make it negligible on both.
    "adam": (
        lambda p: optim.Adam(p, lr=1e-2, epsilon=1e-12),
        lambda p: torch.optim.Adam(p, lr=1e-2, eps=1e-12),
        4,
    ),
    # Ours adds epsilon inside the root (Keras), PyTorch outside: sqrt(v + e^2) ~ sqrt(v) + e for a
    # negligible e (1e-15: a gradient of 1e-6 must not feel it).
    "rmsprop": (
        lambda p: optim.RMSprop(p, lr=1e-2, rho=0.9, epsilon=1e-30),
        lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.9, eps=1e-15),
        3,
    ),
    "rmsprop_momentum": (
        lambda p: optim.RMSprop(p, lr=1e-2, rho=0.9, epsilon=1e-30, momentum=0.9),
        lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.9, eps=1e-15, momentum=0.9),
        3,
    ),
    "rmsprop_centered": (
        lambda p: optim.RMSprop(p, lr=1e-2, rho=0.9, epsilon=1e-30, centered=True),
        lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.9, eps=1e-15, centered=True),
        3,
    ),
    "rmsprop_centered_momentum": (
        lambda p: optim.RMSprop(p, lr=1e-2, epsilon=1e-30, momentum=0.5, centered=True),
        lambda p: torch.optim.RMSprop(
            p, lr=1e-2, alpha=0.9, eps=1e-15, momentum=0.5, centered=True
        ),
        3,
    ),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_steps_match_pytorch(name):
    make_ours, make_theirs, steps = OPTIMIZERS[name]
    ours, theirs = twin_models((20, 16, 5), seed=3)
    our_opt, their_opt = make_ours(ours.parameters()), make_theirs(theirs.parameters())
    rng = np.random.default_rng(4)
    start = [p.data.copy() for p in ours.parameters()]
    for _ in range(steps):
        x, labels = random_batch(rng, 8, 20, 5)
        loss = nn.functional.cross_entropy(ours(Tensor(x)), labels)
        our_opt.zero_grad()
        loss.backward()
        our_opt.step()
        their_loss = torch.nn.functional.cross_entropy(
            theirs(torch.from_numpy(x)), torch.from_numpy(labels)
        )
        their_opt.zero_grad()
        their_loss.backward()
        their_opt.step()
        np.testing.assert_allclose(loss.item(), their_loss.item(), rtol=1e-5)
        assert_grads_match(ours, theirs)
        assert_weights_match(ours, theirs)
    assert all(not np.array_equal(p.data, s) for p, s in zip(ours.parameters(), start))
    assert all(p.dtype == np.float32 for p in ours.parameters())


@pytest.mark.parametrize("target_kind", ["one_hot", "labels"])
def test_keras_seed_network_train_step_matches_pytorch(target_kind):
    """The seed's Dense(relu) + Dense(softmax) with a crossentropy loss, through ``fit``'s step."""
    manual_seed(5)
    model = models.Sequential()
    model.add(layers.Dense(16, activation="relu", input_shape=(20,)))
    model.add(layers.Dense(5, activation="softmax"))
    sparse = target_kind == "labels"
    loss_name = "sparse_categorical_crossentropy" if sparse else "categorical_crossentropy"
    model.compile(optimizer=optim.RMSprop(lr=1e-2, epsilon=1e-30), loss=loss_name)
    theirs = torch.nn.Sequential(torch.nn.Linear(20, 16), torch.nn.ReLU(), torch.nn.Linear(16, 5))
    copy_weights(model, theirs)
    their_opt = torch.optim.RMSprop(theirs.parameters(), lr=1e-2, alpha=0.9, eps=1e-15)
    rng = np.random.default_rng(6)
    for _ in range(3):
        x, labels = random_batch(rng, 8, 20, 5)
        target = np.eye(5, dtype=np.float32)[labels] if target_kind == "one_hot" else labels
        probabilities = model.predict(x)
        loss, _ = model.train_step(x, target)
        their_logits = theirs(torch.from_numpy(x))
        their_loss = torch.nn.functional.cross_entropy(their_logits, torch.from_numpy(target))
        their_opt.zero_grad()
        their_loss.backward()
        their_opt.step()
        np.testing.assert_allclose(
            probabilities, torch.softmax(their_logits, 1).detach().numpy(), **TOLERANCE
        )
        np.testing.assert_allclose(loss, their_loss.item(), rtol=1e-5)
        assert_grads_match(model, theirs)
        assert_weights_match(model, theirs)
