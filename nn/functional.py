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

import numpy as np

from autograd import Tensor, as_tensor, maximum, softmax_cross_entropy

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

#: Keras clips probabilities to [EPSILON, 1 - EPSILON] before taking their log.
EPSILON = 1e-7


# ---------------------------------------------------------------------- losses
def _target(target: Any) -> np.ndarray:
    return target.data if isinstance(target, Tensor) else np.asarray(target)


def _check_rows(prediction: Tensor, target: np.ndarray, loss: str) -> None:
    if len(target) != len(prediction):
        raise ValueError(
            f"{loss}: {len(prediction)} predictions but {len(target)} targets "
            f"(shapes {prediction.shape} and {target.shape})"
        )


def categorical_crossentropy(prediction: Tensor, target: Any, from_logits: bool = False) -> Tensor:
    """Keras's categorical crossentropy against one-hot (N, C) targets.

    With ``from_logits=False`` (Keras's default) ``prediction`` holds probabilities: they are
    renormalised and clipped to [1e-7, 1 - 1e-7] before the log, as Keras does.
    """
    logits = getattr(prediction, "_softmax_logits", None)  # a softmax output's own logits
    if logits is not None and not from_logits and logits.ndim == 2:
        return categorical_crossentropy(logits, target, from_logits=True)
    target = _target(target)
    _check_rows(prediction, target, "categorical_crossentropy")
    if target.shape != prediction.shape:
        raise ValueError(
            f"categorical_crossentropy: targets of shape {target.shape} do not match predictions "
            f"of shape {prediction.shape}; one-hot encode integer labels with to_categorical, "
            "or use sparse_categorical_crossentropy"
        )
    if from_logits:
        return softmax_cross_entropy(prediction, target)
    probs = prediction / prediction.sum(axis=-1, keepdims=True)
    log_probs = probs.clip(EPSILON, 1 - EPSILON).log()
    return -(log_probs * target.astype(prediction.dtype, copy=False)).sum(axis=-1).mean()


def sparse_categorical_crossentropy(
    prediction: Tensor, target: Any, from_logits: bool = False
) -> Tensor:
    """Categorical crossentropy against integer class labels of shape (N,) (or (N, 1))."""
    logits = getattr(prediction, "_softmax_logits", None)  # a softmax output's own logits
    if logits is not None and not from_logits and logits.ndim == 2:
        return sparse_categorical_crossentropy(logits, target, from_logits=True)
    target = _target(target)
    if target.ndim == 2 and target.shape[1] == 1:
        target = target[:, 0]
    _check_rows(prediction, target, "sparse_categorical_crossentropy")
    if target.ndim != 1 or target.dtype.kind not in "iuf":
        raise ValueError(
            f"sparse_categorical_crossentropy: expected integer labels of shape (N,), got "
            f"{target.shape} {target.dtype}"
        )
    labels = target.astype(np.int64, copy=False)
    if from_logits:
        return softmax_cross_entropy(prediction, labels)
    one_hot = np.eye(prediction.shape[-1], dtype=prediction.dtype)[labels]
    return categorical_crossentropy(prediction, one_hot)


def mse(prediction: Tensor, target: Any) -> Tensor:
    """Mean of squared differences over every element."""
    target = as_tensor(_target(target).astype(prediction.dtype, copy=False))
    if target.shape != prediction.shape:
        raise ValueError(f"mse: target shape {target.shape} != prediction shape {prediction.shape}")
    difference = prediction - target
    return (difference * difference).mean()


mean_squared_error = mse


def binary_crossentropy(prediction: Tensor, target: Any, from_logits: bool = False) -> Tensor:
    """Mean binary crossentropy; probabilities clipped like Keras, logits in stable form."""
    target = _target(target).astype(prediction.dtype, copy=False)
    if target.shape != prediction.shape:
        raise ValueError(
            f"binary_crossentropy: target shape {target.shape} != prediction shape "
            f"{prediction.shape}"
        )
    if from_logits:
        # max(x, 0) - x t + log(1 + exp(-|x|)) never overflows.
        softplus = (1 + (-prediction.abs()).exp()).log()
        return (maximum(prediction, 0.0) - prediction * target + softplus).mean()
    p = prediction.clip(EPSILON, 1 - EPSILON)
    return -(p.log() * target + (1 - p).log() * (1 - target)).mean()


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
