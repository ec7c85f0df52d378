"""Keras's metrics on numpy arrays, in Keras's order ``(y_true, y_pred)``.

The functions return one value per sample, as ``keras.metrics.*`` do. ``fit``/``evaluate``
keep one stateful :class:`Metric` per compiled metric (``update_state``, ``result``,
``reset_state``): a sample-weighted mean of those values over the epoch, or, for ``Precision``
and ``Recall``, counts of true and false positives over the epoch (a mean of per-batch
precisions would be wrong).

``'accuracy'`` (or ``'acc'``) picks its kind from the shapes, as Keras does: one output column
→ binary, targets of the output's shape → categorical, else integer labels → sparse. The
History key is the name as the user spelled it.

>>> import numpy as np
>>> accuracy(np.array([1, 1]), np.array([[0.1, 0.9], [0.8, 0.2]])).tolist()
[1.0, 0.0]
>>> metric = get("acc")
>>> metric.update_state(np.array([0, 1]), np.array([[0.9, 0.1], [0.3, 0.7]]))
>>> metric.name, metric.result()
('acc', 1.0)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def _arrays(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(getattr(y_true, "data", y_true))
    y_pred = np.asarray(getattr(y_pred, "data", y_pred))
    if y_true.ndim + 1 == y_pred.ndim and y_pred.shape[-1] == 1:  # (N,) labels, (N, 1) outputs
        y_true = y_true.reshape(*y_true.shape, 1)
    return y_true, y_pred


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    return ((y_pred > threshold) == (y_true > 0.5)).mean(axis=-1, dtype=np.float32)


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    return (y_pred.argmax(axis=-1) == y_true.argmax(axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    labels = y_true.reshape(y_pred.shape[:-1]) if y_true.size == len(y_pred) else y_true
    return (y_pred.argmax(axis=-1) == labels).astype(np.float32)


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    top = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    return (top == y_true.argmax(axis=-1)[..., None]).any(axis=-1).astype(np.float32)


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """Per-sample correctness; the kind follows the shapes (see the module docstring)."""
    y_true, y_pred = _arrays(y_true, y_pred)
    if y_pred.ndim >= 2 and y_pred.shape[-1] == 1:
        return binary_accuracy(y_true, y_pred)
    if y_true.shape == y_pred.shape:
        return categorical_accuracy(y_true, y_pred)
    return sparse_categorical_accuracy(y_true, y_pred)


def mean_squared_error(y_true: Any, y_pred: Any) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    return np.square(y_pred - y_true).mean(axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> np.ndarray:
    y_true, y_pred = _arrays(y_true, y_pred)
    return np.abs(y_pred - y_true).mean(axis=-1)


class Metric:
    """A running metric: ``update_state`` per batch, ``result()`` at the end of an epoch."""

    #: "up" if bigger is better (EarlyStopping's mode="auto" reads it), else "down".
    direction = "up"

    def __init__(self, name: str) -> None:
        self.name = name
        self.reset_state()

    def reset_state(self) -> None:
        raise NotImplementedError

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError


class MeanMetricWrapper(Metric):
    """The sample-weighted mean over an epoch of a per-sample function ``fn(y_true, y_pred)``."""

    def __init__(self, fn: Callable[..., Any], name: str, direction: str = "up", **kwargs: Any):
        self.fn, self.kwargs, self.direction = fn, kwargs, direction
        super().__init__(name)

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0.0

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        values = np.asarray(self.fn(y_true, y_pred, **self.kwargs), dtype=np.float64)
        values = values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values
        if values.ndim == 0:  # a callable that already averaged its batch
            values = np.full(len(np.asarray(getattr(y_pred, "data", y_pred))), float(values))
        weights = np.ones_like(values) if sample_weight is None else np.asarray(sample_weight)
        self.total += float((values * weights).sum())
        self.count += float(weights.sum())

    def result(self) -> float:
        return self.total / self.count if self.count else 0.0


class _Confusion(Metric):
    """Counts of true positives, false positives and false negatives at a threshold."""

    def __init__(self, name: str, thresholds: float = 0.5) -> None:
        self.thresholds = thresholds
        super().__init__(name)

    def reset_state(self) -> None:
        self.true_positives = self.false_positives = self.false_negatives = 0.0

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred = _arrays(y_true, y_pred)
        predicted, actual = y_pred > self.thresholds, y_true > 0.5
        weights = np.ones(len(y_pred)) if sample_weight is None else np.asarray(sample_weight)
        weights = np.broadcast_to(
            weights.reshape(weights.shape + (1,) * (y_pred.ndim - 1)), y_pred.shape
        )
        self.true_positives += float(weights[predicted & actual].sum())
        self.false_positives += float(weights[predicted & ~actual].sum())
        self.false_negatives += float(weights[~predicted & actual].sum())


class Precision(_Confusion):
    """TP / (TP + FP) over everything seen since the last reset (0 when nothing is positive)."""

    def __init__(self, thresholds: float = 0.5, name: str = "precision") -> None:
        super().__init__(name, thresholds)

    def result(self) -> float:
        positives = self.true_positives + self.false_positives
        return self.true_positives / positives if positives else 0.0


class Recall(_Confusion):
    """TP / (TP + FN) over everything seen since the last reset."""

    def __init__(self, thresholds: float = 0.5, name: str = "recall") -> None:
        super().__init__(name, thresholds)

    def result(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0


_FUNCTIONS: dict[str, tuple[Callable[..., np.ndarray], str]] = {
    "accuracy": (accuracy, "up"),
    "acc": (accuracy, "up"),
    "binary_accuracy": (binary_accuracy, "up"),
    "categorical_accuracy": (categorical_accuracy, "up"),
    "sparse_categorical_accuracy": (sparse_categorical_accuracy, "up"),
    "top_k_categorical_accuracy": (top_k_categorical_accuracy, "up"),
    "mae": (mean_absolute_error, "down"),
    "mean_absolute_error": (mean_absolute_error, "down"),
    "mse": (mean_squared_error, "down"),
    "mean_squared_error": (mean_squared_error, "down"),
}
_CLASSES = {"precision": Precision, "recall": Recall}
NAMES = sorted([*_FUNCTIONS, *_CLASSES])


def get(metric: str | Callable | Metric) -> Metric:
    """A fresh Metric for a Keras name (the History key is the name as spelled), a Metric
    object, or a callable ``fn(y_true, y_pred)`` (keyed by its ``__name__``).

    Raises:
        ValueError: an unknown name, naming the known ones.
        TypeError: anything else (e.g. a list where one metric is expected).
    """
    if isinstance(metric, Metric):
        return metric
    if isinstance(metric, str):
        if metric in _CLASSES:
            return _CLASSES[metric]()
        if metric in _FUNCTIONS:
            fn, direction = _FUNCTIONS[metric]
            return MeanMetricWrapper(fn, metric, direction)
        raise ValueError(f"unknown metric {metric!r}; expected one of {NAMES}")
    if callable(metric):
        return MeanMetricWrapper(metric, getattr(metric, "__name__", "metric"))
    raise TypeError(f"metrics: expected a metric name or callable, got {type(metric).__name__}")
