"""Activations and losses as functions of Tensors (``nn.functional``, PyTorch's spelling).

PyTorch's losses (``cross_entropy``, ``nll_loss``, ``mse_loss``, ... with ``reduction=``) are in
``nn/loss_functions.py``, the activations in ``nn/activations.py``; both are importable from here.
Keras's losses below take ``(prediction, target)`` and return the mean over the batch.

>>> import numpy as np
>>> from autograd import Tensor
>>> logits = Tensor([[2.0, 0.5, -1.0]])
>>> round(cross_entropy(logits, np.array([0])).item(), 4)
0.2413
>>> round(categorical_crossentropy(softmax(logits), np.array([[1.0, 0, 0]])).item(), 4)
0.2413
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor

from . import losses
from .activations import (  # noqa: F401  (PyTorch's and Keras's activations live here too)
    ACTIVATIONS,
    elu,
    exponential,
    gelu,
    get_activation,
    hard_sigmoid,
    hardsigmoid,
    leaky_relu,
    linear_activation,
    log_sigmoid,
    log_softmax,
    logsigmoid,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    swish,
    tanh,
)
from .loss_functions import (  # noqa: F401  (PyTorch's losses: reduction=, weight=, ...)
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    nll_loss,
)

# ---------------------------------------------------------------------- Keras's losses
# Thin wrappers over nn.losses in PyTorch's argument order, reduced to the batch mean: one
# implementation of each Keras loss, so target gradients, the softmax fusion, Keras's (N,) vs
# (N, 1) shapes and the empty batch (nan) behave alike on both faces.


def categorical_crossentropy(prediction: Tensor, target: Any, from_logits: bool = False) -> Tensor:
    """Keras's categorical crossentropy against one-hot (N, C) targets, the batch mean.

    With ``from_logits=False`` (Keras's default) ``prediction`` holds probabilities: they are
    renormalised and clipped to [1e-7, 1 - 1e-7] before the log, as Keras does (a softmax
    output's own logits are used instead). A target Tensor that requires grad gets its gradient.

    >>> round(categorical_crossentropy(Tensor([[0.8, 0.2]]), [[1.0, 0.0]]).item(), 4)
    0.2231
    """
    return losses.CategoricalCrossentropy(from_logits=from_logits)(target, prediction)


def sparse_categorical_crossentropy(
    prediction: Tensor, target: Any, from_logits: bool = False
) -> Tensor:
    """Categorical crossentropy against integer class labels of shape (N,) (or (N, 1))."""
    return losses.SparseCategoricalCrossentropy(from_logits=from_logits)(target, prediction)


def mse(prediction: Tensor, target: Any) -> Tensor:
    """Mean of squared differences over every element (Keras's ``mse``, batch mean)."""
    return losses.MeanSquaredError()(target, prediction)


mean_squared_error = mse


def binary_crossentropy(prediction: Tensor, target: Any, from_logits: bool = False) -> Tensor:
    """Mean binary crossentropy; probabilities clipped like Keras, logits in stable form."""
    return losses.BinaryCrossentropy(from_logits=from_logits)(target, prediction)


LOSSES: dict[str, Callable[..., Tensor]] = {
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy,
    "mse": mse,
    "mean_squared_error": mse,
    "cross_entropy": cross_entropy,
}


def get_loss(loss: str | Callable[..., Tensor]) -> Callable[..., Tensor]:
    """A loss from its Keras name, or the callable itself."""
    if callable(loss):
        return loss
    try:
        return LOSSES[loss]
    except KeyError:
        raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}") from None
