"""Keras's losses, by name and as objects, in Keras's argument order ``(y_true, y_pred)``.

The functions return one loss per sample (shape (N,), as ``keras.losses.*`` do); the classes
(``CategoricalCrossentropy()`` ...) reduce them: weighted by ``sample_weight`` if given, then
summed and divided by the number of samples (Keras's ``"sum_over_batch_size"``).

The softmax + crossentropy fusion lives here, as in Keras: a softmax output remembers its
logits (``Tensor._softmax_logits``, Keras's ``_keras_logits``), and the crossentropies then use
the stable log-softmax form, so ``categorical_crossentropy(t, softmax(z))`` is finite and exact
even for logits of +-1e3. Otherwise probabilities are clipped to [1e-7, 1 - 1e-7] as Keras does.
Targets may be Tensors that require grad: they get gradients (soft targets).

Target shapes follow Keras: labels of shape (N,) against outputs of shape (N, 1) are expanded
(and (N, 1) against (N,) squeezed) for binary crossentropy, mse and mae.

>>> import numpy as np
>>> from autograd import Tensor
>>> z = Tensor([[1000.0, -1000.0]])
>>> categorical_crossentropy(np.array([[0.0, 1.0]]), z.softmax()).tolist()
[2000.0]
>>> loss = CategoricalCrossentropy()
>>> round(loss(np.array([[1.0, 0.0]]), Tensor([[0.8, 0.2]])).item(), 4)
0.2231
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, maximum, softmax_cross_entropy

#: Keras clips probabilities to [EPSILON, 1 - EPSILON] before taking their log.
EPSILON = 1e-7


def _prediction(y_pred: Any, loss: str) -> Tensor:
    if y_pred is None:
        raise TypeError(f"{loss}: y_pred is None; expected the model's output (a Tensor)")
    return as_tensor(y_pred)


def _target(y_true: Any, prediction: Tensor, loss: str, cast: bool = True) -> Any:
    """y_true as an array (or a Tensor, kept so it gets a gradient), checked against y_pred."""
    if y_true is None:
        raise TypeError(f"{loss}: y_true is None; expected targets with {len(prediction)} rows")
    target = y_true if isinstance(y_true, Tensor) else np.asarray(y_true)
    if target.dtype.kind not in "biuf":
        raise TypeError(f"{loss}: targets must be numbers, got dtype {target.dtype}")
    if target.ndim == 0 or len(target) != len(prediction):
        raise ValueError(
            f"{loss}: {len(prediction)} predictions but targets of shape {target.shape} "
            f"(predictions {prediction.shape})"
        )
    if cast and target.dtype != prediction.dtype:
        target = target.astype(prediction.dtype)
    return target


def _same_rank(target: Any, prediction: Tensor) -> Any:
    """Keras's squeeze_or_expand_to_same_rank: (N,) labels against (N, 1) outputs and back."""
    if target.ndim + 1 == prediction.ndim and prediction.shape[-1] == 1:
        return target.reshape(*target.shape, 1)
    if target.ndim == prediction.ndim + 1 and target.shape[-1] == 1:
        return target.reshape(*target.shape[:-1])
    return target


def _logits(prediction: Tensor, from_logits: bool) -> Tensor | None:
    """The logits to use in the stable form: the prediction itself, the logits a softmax output
    remembers, or None (use clipped probabilities)."""
    if from_logits:
        return prediction
    logits = getattr(prediction, "_softmax_logits", None)
    return logits if logits is not None and logits.ndim == 2 else None


def _one_hot_target(y_true: Any, prediction: Tensor, cast: bool) -> Any:
    target = _target(y_true, prediction, "categorical_crossentropy", cast)
    if target.shape != prediction.shape:
        raise ValueError(
            f"categorical_crossentropy: targets of shape {target.shape} do not match predictions "
            f"of shape {prediction.shape}; one-hot encode integer labels with to_categorical, "
            "or use sparse_categorical_crossentropy"
        )
    return target


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Tensor:
    """Per-sample ``-sum(y_true * log(y_pred))`` over the last axis, against one-hot (or
    probability) rows of y_pred's shape. Keras renormalises and clips probabilities; logits
    (``from_logits=True`` or a softmax output's own) use ``log_softmax``."""
    prediction = _prediction(y_pred, "categorical_crossentropy")
    target = _one_hot_target(y_true, prediction, cast=True)
    logits = _logits(prediction, from_logits)
    if logits is not None:
        return -(logits.log_softmax(axis=-1) * target).sum(axis=-1)
    probs = prediction / prediction.sum(axis=-1, keepdims=True)
    return -(probs.clip(EPSILON, 1 - EPSILON).log() * target).sum(axis=-1)


def _labels(y_true: Any, prediction: Tensor, loss: str) -> np.ndarray:
    labels = np.asarray(y_true.data if isinstance(y_true, Tensor) else y_true)
    if labels.ndim == prediction.ndim and labels.shape[-1] == 1:
        labels = labels.reshape(labels.shape[:-1])
    if labels.shape != prediction.shape[:-1] or labels.dtype.kind not in "iuf":
        raise ValueError(
            f"{loss}: expected integer labels of shape {prediction.shape[:-1]} for predictions "
            f"of shape {prediction.shape}, got {labels.shape} {labels.dtype}"
        )
    return labels.astype(np.int64, copy=False)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Tensor:
    """Per-sample crossentropy against integer class labels of shape (N,) (or (N, 1))."""
    prediction = _prediction(y_pred, "sparse_categorical_crossentropy")
    labels = _labels(y_true, prediction, "sparse_categorical_crossentropy")
    rows = np.arange(len(labels))
    logits = _logits(prediction, from_logits)
    if logits is not None:
        return -logits.log_softmax(axis=-1)[rows, labels]
    probs = prediction / prediction.sum(axis=-1, keepdims=True)
    return -probs.clip(EPSILON, 1 - EPSILON)[rows, labels].log()


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False) -> Tensor:
    """Per-sample mean over the last axis of the binary crossentropy; probabilities clipped as
    Keras does, logits in the stable ``max(z, 0) - z t + log(1 + exp(-|z|))`` form."""
    prediction = _prediction(y_pred, "binary_crossentropy")
    target = _same_rank(_target(y_true, prediction, "binary_crossentropy"), prediction)
    _check_shape(target, prediction, "binary_crossentropy")
    if from_logits:
        softplus = (1 + (-prediction.abs()).exp()).log()
        values = maximum(prediction, 0.0) - prediction * target + softplus
    else:
        p = prediction.clip(EPSILON, 1 - EPSILON)
        values = -(p.log() * target + (1 - p).log() * (1 - target))
    return values.mean(axis=-1)


def _check_shape(target: Any, prediction: Tensor, loss: str) -> None:
    if target.shape != prediction.shape:
        raise ValueError(
            f"{loss}: targets of shape {target.shape} do not match predictions of shape "
            f"{prediction.shape}"
        )


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """Per-sample mean over the last axis of ``(y_true - y_pred)**2``."""
    prediction = _prediction(y_pred, "mean_squared_error")
    target = _same_rank(_target(y_true, prediction, "mean_squared_error"), prediction)
    _check_shape(target, prediction, "mean_squared_error")
    difference = prediction - target
    return (difference * difference).mean(axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """Per-sample mean over the last axis of ``|y_true - y_pred|``."""
    prediction = _prediction(y_pred, "mean_absolute_error")
    target = _same_rank(_target(y_true, prediction, "mean_absolute_error"), prediction)
    _check_shape(target, prediction, "mean_absolute_error")
    return (prediction - target).abs().mean(axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


def reduce(values: Tensor, sample_weight: Any = None) -> Tensor:
    """Keras's "sum_over_batch_size": weight the per-sample values, sum, divide by their
    count. Over 0 samples the result is NaN, as PyTorch's mean (Keras gives 0)."""
    if sample_weight is not None:
        weights = np.asarray(getattr(sample_weight, "data", sample_weight), dtype=values.dtype)
        values = values * weights.reshape(weights.shape + (1,) * (values.ndim - weights.ndim))
    if values.size == 0:
        return values.sum() * values.dtype.type(np.nan)
    return values.sum() / values.dtype.type(values.size)


class Loss:
    """A loss object: ``loss(y_true, y_pred, sample_weight=None)`` gives the reduced Tensor."""

    def __init__(self, fn: Callable[..., Tensor], name: str, **kwargs: Any) -> None:
        self.fn, self.name, self.kwargs = fn, name, kwargs

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        return reduce(self.fn(y_true, y_pred, **self.kwargs), sample_weight)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": "sum_over_batch_size", **self.kwargs}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.kwargs.items())})"


class CategoricalCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, name: str = "categorical_crossentropy"):
        super().__init__(categorical_crossentropy, name, from_logits=from_logits)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        logits = _logits(as_tensor(y_pred), self.kwargs["from_logits"])
        if sample_weight is None and logits is not None and logits.ndim == 2 and len(logits):
            # The training hot path: one op, softmax computed once, gradient (p - t) / N.
            return softmax_cross_entropy(logits, _one_hot_target(y_true, logits, cast=False))
        return super().__call__(y_true, y_pred, sample_weight)


class SparseCategoricalCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, name: str = "sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, name, from_logits=from_logits)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        logits = _logits(as_tensor(y_pred), self.kwargs["from_logits"])
        if sample_weight is None and logits is not None and logits.ndim == 2 and len(logits):
            return softmax_cross_entropy(logits, _labels(y_true, logits, self.name))
        return super().__call__(y_true, y_pred, sample_weight)


class BinaryCrossentropy(Loss):
    def __init__(self, from_logits: bool = False, name: str = "binary_crossentropy"):
        super().__init__(binary_crossentropy, name, from_logits=from_logits)


class MeanSquaredError(Loss):
    def __init__(self, name: str = "mean_squared_error"):
        super().__init__(mean_squared_error, name)


class MeanAbsoluteError(Loss):
    def __init__(self, name: str = "mean_absolute_error"):
        super().__init__(mean_absolute_error, name)


_BY_NAME: dict[str, Callable[[], Loss]] = {
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "binary_crossentropy": BinaryCrossentropy,
    "mean_squared_error": MeanSquaredError,
    "mse": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError,
    "mae": MeanAbsoluteError,
}
_BY_FUNCTION = {
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    binary_crossentropy: BinaryCrossentropy,
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
}


def _functional_losses() -> dict[Callable, Callable[[], Loss]]:
    from . import functional

    names = {
        "categorical_crossentropy": CategoricalCrossentropy,
        "mse": MeanSquaredError,
        "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
        "binary_crossentropy": BinaryCrossentropy,
    }
    return {getattr(functional, n): c for n, c in names.items() if hasattr(functional, n)}


def get(loss: str | Callable[..., Tensor]) -> Callable[..., Tensor]:
    """A loss object from a Keras name, one of this module's functions, a Loss, or any
    callable ``loss(y_true, y_pred)`` (reduced to its mean if it returns per-sample values).

    Raises:
        ValueError: an unknown name (the known ones are listed).
        TypeError: neither a name nor a callable.
    """
    if isinstance(loss, Loss):
        return loss
    if isinstance(loss, str):
        if loss not in _BY_NAME:
            raise ValueError(f"unknown loss {loss!r}; expected one of {sorted(_BY_NAME)}")
        return _BY_NAME[loss]()
    if loss in _BY_FUNCTION:
        return _BY_FUNCTION[loss]()
    keras_named = _functional_losses()
    if loss in keras_named:  # nn.functional's versions take (y_pred, y_true): same loss objects
        return keras_named[loss]()
    if callable(loss):
        return Loss(loss, getattr(loss, "__name__", "loss"))
    raise TypeError(f"loss: expected a Keras loss name or a callable, got {type(loss).__name__}")
