"""Every loss entry point, on both faces, gives a target that requires grad its gradient, equal
to PyTorch's (soft targets, distillation): none may read the target's data and cut the graph."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor
from nn import functional as F
from nn import losses as K

torch = pytest.importorskip("torch", reason="PyTorch is the reference these tests compare with")
TF = torch.nn.functional


def _soft_ce(logits, target):
    return TF.cross_entropy(logits, target)


def _ce_on_probabilities(probabilities, target):
    # Keras renormalises the rows (which changes the input's gradient even when they sum to 1)
    probabilities = probabilities / probabilities.sum(dim=1, keepdim=True)
    return -(target * probabilities.log()).sum(dim=1).mean()


# (entry point in Keras's or PyTorch's order, what torch computes, does it take logits)
CASES = {
    "F.mse_loss": (F.mse_loss, TF.mse_loss, False),
    "F.l1_loss": (F.l1_loss, TF.l1_loss, False),
    "F.binary_cross_entropy": (F.binary_cross_entropy, TF.binary_cross_entropy, False),
    "F.binary_cross_entropy_with_logits": (
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        True,
    ),
    "F.cross_entropy": (F.cross_entropy, _soft_ce, True),
    "F.categorical_crossentropy": (F.categorical_crossentropy, _ce_on_probabilities, False),
    "F.categorical_crossentropy(from_logits)": (
        lambda x, t: F.categorical_crossentropy(x, t, from_logits=True),
        _soft_ce,
        True,
    ),
    "F.categorical_crossentropy(softmax)": (
        lambda x, t: F.categorical_crossentropy(x.softmax(), t),
        _soft_ce,
        True,
    ),
    "F.binary_crossentropy": (F.binary_crossentropy, TF.binary_cross_entropy, False),
    "F.binary_crossentropy(from_logits)": (
        lambda x, t: F.binary_crossentropy(x, t, from_logits=True),
        TF.binary_cross_entropy_with_logits,
        True,
    ),
    "F.mse": (F.mse, TF.mse_loss, False),
    "losses.CategoricalCrossentropy": (
        lambda x, t: K.CategoricalCrossentropy()(t, x),
        _ce_on_probabilities,
        False,
    ),
    "losses.BinaryCrossentropy": (
        lambda x, t: K.BinaryCrossentropy()(t, x),
        TF.binary_cross_entropy,
        False,
    ),
    "losses.MeanSquaredError": (lambda x, t: K.MeanSquaredError()(t, x), TF.mse_loss, False),
    "losses.MeanAbsoluteError": (lambda x, t: K.MeanAbsoluteError()(t, x), TF.l1_loss, False),
    "losses.BinaryCrossentropy(from_logits)": (
        lambda x, t: K.BinaryCrossentropy(from_logits=True)(t, x),
        TF.binary_cross_entropy_with_logits,
        True,
    ),
    "losses.CategoricalCrossentropy(from_logits)": (
        lambda x, t: K.CategoricalCrossentropy(from_logits=True)(t, x),
        _soft_ce,
        True,
    ),
    "nn.MSELoss": (lambda x, t: nn.MSELoss()(x, t), TF.mse_loss, False),
    "nn.L1Loss": (lambda x, t: nn.L1Loss()(x, t), TF.l1_loss, False),
    "nn.BCEWithLogitsLoss": (
        lambda x, t: nn.BCEWithLogitsLoss()(x, t),
        TF.binary_cross_entropy_with_logits,
        True,
    ),
    "nn.BCELoss": (lambda x, t: nn.BCELoss()(x, t), TF.binary_cross_entropy, False),
    "nn.CrossEntropyLoss": (lambda x, t: nn.CrossEntropyLoss()(x, t), _soft_ce, True),
}


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(CASES))
def test_every_loss_gives_a_target_that_requires_grad_its_gradient(name, seed):
    ours_fn, theirs_fn, takes_logits = CASES[name]
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 6)), int(rng.integers(2, 5)))
    if takes_logits:
        prediction = rng.standard_normal(shape)
    else:  # probabilities away from Keras's clip, rows summing to 1
        prediction = rng.uniform(0.1, 0.9, shape)
        prediction /= prediction.sum(axis=1, keepdims=True)
    target = rng.uniform(0.0, 1.0, shape)
    x, t = Tensor(prediction, requires_grad=True), Tensor(target, requires_grad=True)
    tx = torch.tensor(prediction, requires_grad=True)
    tt = torch.tensor(target, requires_grad=True)
    ours, theirs = ours_fn(x, t), theirs_fn(tx, tt)
    ours.backward()
    theirs.backward()
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-6)
    assert t.grad is not None, f"{name}: the target's gradient was dropped"
    np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6, atol=1e-12)
