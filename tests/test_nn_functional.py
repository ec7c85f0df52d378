"""Losses, activations and metrics of ``nn.functional`` / ``nn.metrics``, against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from nn import functional as F
from nn import metrics


def logits_and_labels(batch: int = 6, classes: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((batch, classes)).astype(np.float32)
    labels = rng.integers(0, classes, size=batch)
    return logits, labels, np.eye(classes, dtype=np.float32)[labels]


def numpy_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    shifted = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(labels)), labels].mean())


@pytest.mark.parametrize(
    "target_of",
    [
        lambda labels, one_hot: labels,
        lambda labels, one_hot: one_hot,
        lambda labels, one_hot: one_hot.astype(np.uint8),
        lambda labels, one_hot: one_hot.astype(np.float64),
    ],
    ids=["labels", "one_hot", "integer_one_hot", "float64_one_hot"],
)
def test_cross_entropy_takes_labels_or_one_hot_rows(target_of):
    logits, labels, one_hot = logits_and_labels()
    x = Tensor(logits, requires_grad=True)
    loss = F.cross_entropy(x, target_of(labels, one_hot))
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32
    assert loss.item() == pytest.approx(numpy_cross_entropy(logits, labels), rel=1e-6)
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(x.grad.data, (probabilities - one_hot) / len(labels), atol=1e-7)


def test_cross_entropy_is_stable_for_huge_logits():
    logits = Tensor([[1000.0, -1000.0], [-1000.0, 1000.0]], requires_grad=True)
    loss = F.cross_entropy(logits, np.array([1, 1]))
    loss.backward()
    assert loss.item() == pytest.approx(1000.0)
    assert np.isfinite(logits.grad.data).all()


def test_categorical_crossentropy_clips_probabilities_like_keras():
    probabilities = Tensor([[1.0, 0.0], [0.5, 0.5]])
    loss = F.categorical_crossentropy(probabilities, np.array([[0.0, 1.0], [1.0, 0.0]]))
    expected = (-np.log(1e-7) - np.log(0.5)) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_categorical_crossentropy_from_logits_equals_cross_entropy():
    logits, labels, one_hot = logits_and_labels()
    from_logits = F.categorical_crossentropy(Tensor(logits), one_hot, from_logits=True)
    on_probabilities = F.categorical_crossentropy(F.softmax(Tensor(logits)), one_hot)
    assert from_logits.item() == pytest.approx(F.cross_entropy(Tensor(logits), labels).item())
    assert on_probabilities.item() == pytest.approx(from_logits.item(), rel=1e-6)


def test_categorical_crossentropy_rejects_integer_labels_with_a_hint():
    logits, labels, _ = logits_and_labels()
    with pytest.raises(ValueError, match=r"\(6,\) do not match .* \(6, 4\).*to_categorical"):
        F.categorical_crossentropy(F.softmax(Tensor(logits)), labels)


@pytest.mark.parametrize("shape", [(6,), (6, 1)])
def test_sparse_categorical_crossentropy_equals_the_one_hot_loss(shape):
    logits, labels, one_hot = logits_and_labels()
    probabilities = F.softmax(Tensor(logits))
    sparse = F.sparse_categorical_crossentropy(probabilities, labels.reshape(shape))
    dense = F.categorical_crossentropy(probabilities, one_hot)
    assert sparse.item() == pytest.approx(dense.item(), rel=1e-6)
    from_logits = F.sparse_categorical_crossentropy(Tensor(logits), labels, from_logits=True)
    assert from_logits.item() == pytest.approx(dense.item(), rel=1e-5)


def test_losses_reject_a_batch_size_mismatch():
    logits, labels, _ = logits_and_labels()
    with pytest.raises(ValueError, match=r"target of shape \(5,\) .* input of shape \(6, 4\)"):
        F.cross_entropy(Tensor(logits), labels[:5])


def test_binary_crossentropy_from_logits_matches_on_probabilities():
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((8, 1)).astype(np.float32)
    target = rng.integers(0, 2, size=(8, 1)).astype(np.float32)
    probabilities = 1 / (1 + np.exp(-logits))
    expected = -np.mean(target * np.log(probabilities) + (1 - target) * np.log(1 - probabilities))
    assert F.binary_crossentropy(Tensor(logits), target, from_logits=True).item() == (
        pytest.approx(expected, rel=1e-5)
    )
    assert F.binary_crossentropy(Tensor(probabilities), target).item() == pytest.approx(
        expected, rel=1e-5
    )


def test_mse_is_the_mean_of_squared_differences():
    prediction = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    loss = F.mse(prediction, np.array([[1.0, 0.0], [0.0, 4.0]]))
    loss.backward()
    assert loss.item() == pytest.approx((4 + 9) / 4)
    np.testing.assert_allclose(prediction.grad.data, [[0, 1.0], [1.5, 0]])


def test_unknown_names_are_clear_errors():
    with pytest.raises(ValueError, match="unknown activation 'relux'"):
        F.get_activation("relux")
    with pytest.raises(ValueError, match="unknown loss 'hinge'"):
        F.get_loss("hinge")
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        metrics.get("f1")


def test_accuracy_picks_its_kind_from_the_shapes():
    # Keras's order (y_true, y_pred) and per-sample values, as keras.metrics.* return them.
    prediction = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    assert metrics.accuracy(np.array([1, 1, 1]), prediction).mean() == pytest.approx(2 / 3)
    assert metrics.accuracy(np.eye(2)[[1, 0, 0]], prediction).mean() == pytest.approx(2 / 3)
    assert metrics.accuracy(np.array([0, 0]), np.array([[0.2], [0.9]])).mean() == 0.5
    assert metrics.get("acc").name == "acc"  # the History key as the user spelled it (Keras 3)


@pytest.mark.parametrize("labels", ["sparse", "one-hot"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_crossentropy_over_zero_samples_is_nan_at_every_entry_point(labels, dtype):
    import autograd

    logits = Tensor(np.zeros((0, 3), dtype), requires_grad=True)
    target = np.zeros(0, np.int64) if labels == "sparse" else np.zeros((0, 3), dtype)
    for loss in (
        autograd.softmax_cross_entropy(logits, target),
        F.cross_entropy(logits, target),
    ):
        assert np.isnan(loss.item()) and loss.dtype == dtype  # PyTorch: nan, not -0.0
        loss.backward()
        assert logits.grad.shape == (0, 3)


@pytest.mark.parametrize(
    "loss",
    [
        lambda z: F.categorical_crossentropy(z, np.zeros((0, 3)), from_logits=True),
        lambda z: F.categorical_crossentropy(F.softmax(z), np.zeros((0, 3))),
        lambda z: F.sparse_categorical_crossentropy(z, np.zeros(0, int), from_logits=True),
        lambda z: F.sparse_categorical_crossentropy(F.softmax(z), np.zeros(0, int)),
        lambda z: F.binary_crossentropy(z, np.zeros((0, 3)), from_logits=True),
        lambda z: F.mse(z, np.zeros((0, 3))),
        lambda z: F.cross_entropy(z, np.zeros(0, int)),
        lambda z: F.cross_entropy(z, np.zeros((0, 3), np.float32)),
    ],
    ids=["cce logits", "cce softmax", "scce logits", "scce softmax", "bce", "mse", "ce", "ce p"],
)
def test_every_functional_loss_over_zero_samples_is_nan_as_pytorch(loss):
    # The crossentropies went through the fused op and gave -0.0 (PyTorch: nan).
    z = Tensor(np.zeros((0, 3), np.float32), requires_grad=True)
    with np.errstate(all="ignore"):
        value = loss(z)
        value.backward()
    assert np.isnan(value.item())
    assert z.grad.shape == (0, 3)
