"""Metrics computed on numpy arrays of predictions and targets (no graph needed).

``'accuracy'`` picks its kind from the shapes, as Keras does: one-hot targets → categorical,
integer labels → sparse, a single output column → binary.

>>> import numpy as np
>>> accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1]))
0.5
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def categorical_accuracy(prediction: np.ndarray, target: np.ndarray) -> float:
    return float((prediction.argmax(axis=-1) == target.argmax(axis=-1)).mean())


def sparse_categorical_accuracy(prediction: np.ndarray, target: np.ndarray) -> float:
    labels = target.reshape(len(target), -1)[:, 0] if target.ndim > 1 else target
    return float((prediction.argmax(axis=-1) == labels).mean())


def binary_accuracy(prediction: np.ndarray, target: np.ndarray, threshold: float = 0.5) -> float:
    return float(((prediction > threshold) == (target > 0.5)).mean())


def accuracy(prediction: np.ndarray, target: np.ndarray) -> float:
    """Fraction of correct predictions; the kind follows the shapes (see module docstring)."""
    prediction, target = np.asarray(prediction), np.asarray(target)
    if prediction.ndim >= 2 and prediction.shape[-1] == 1:
        return binary_accuracy(prediction, target.reshape(prediction.shape))
    if target.shape == prediction.shape:
        return categorical_accuracy(prediction, target)
    return sparse_categorical_accuracy(prediction, target)


METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "accuracy": accuracy,
    "acc": accuracy,
    "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "binary_accuracy": binary_accuracy,
}


def get(metric: str | Callable) -> tuple[str, Callable[[np.ndarray, np.ndarray], float]]:
    """(name shown in logs and History, function) for a Keras metric name or a callable."""
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    try:
        return ("accuracy" if metric == "acc" else metric), METRICS[metric]
    except KeyError:
        raise ValueError(f"unknown metric {metric!r}; expected one of {sorted(METRICS)}") from None
