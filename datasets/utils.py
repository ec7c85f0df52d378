"""Label encoding (``to_categorical``, as Keras's).

Mini-batches live in ``nn.data`` (``from nn.data import batches``): the one iterator that
``fit`` uses too, kept in ``nn`` because ``datasets`` imports nothing of ours.

>>> to_categorical([0, 2, 1])
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 1., 0.]], dtype=float32)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

__all__ = ["to_categorical"]


def to_categorical(
    labels: ArrayLike, num_classes: int | None = None, dtype: DTypeLike = np.float32
) -> np.ndarray:
    """One-hot encode integer class labels, as ``keras.utils.to_categorical`` does.

    The one-hot axis is appended to the labels' shape, except that a trailing axis of size 1
    is replaced (shape (n, 1) gives (n, num_classes)), as in Keras.

    Args:
        labels: integer labels of any shape; floats are accepted only if whole numbers.
        num_classes: number of classes; by default ``max(labels) + 1``.
        dtype: dtype of the result (float32 by default, like Keras).

    Raises:
        ValueError: non-integer or negative labels, labels ``>= num_classes``, a
            ``num_classes`` that is not a positive integer.

    >>> to_categorical(np.array([[1], [0]]), num_classes=3)
    array([[0., 1., 0.],
           [1., 0., 0.]], dtype=float32)
    """
    values = np.asarray(labels)
    if values.dtype == bool or not (
        np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
    ):
        raise ValueError(f"to_categorical: labels must be integers, got dtype {values.dtype}")
    if np.issubdtype(values.dtype, np.floating):
        whole = np.isfinite(values) & (values == np.round(values))
        if not whole.all():
            bad = values[~whole].flat[0]
            raise ValueError(f"to_categorical: labels must be whole numbers, got {bad}")
    shape = values.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = values.reshape(-1).astype(np.int64)
    if flat.size and flat.min() < 0:
        raise ValueError(f"to_categorical: labels must be >= 0, got {flat.min()}")
    num_classes = _checked_num_classes(num_classes, flat)
    one_hot = np.zeros((flat.size, int(num_classes)), dtype=dtype)
    one_hot[np.arange(flat.size), flat] = 1
    return one_hot.reshape(*shape, int(num_classes))


def _checked_num_classes(num_classes: Any, flat: np.ndarray) -> int:
    """``num_classes`` as given (checked against the labels) or inferred as ``max + 1``."""
    if num_classes is None:
        if flat.size == 0:
            raise ValueError("to_categorical: cannot infer num_classes from empty labels")
        return int(flat.max()) + 1
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise ValueError(f"to_categorical: num_classes must be an int, got {num_classes!r}")
    if num_classes <= 0:
        raise ValueError(f"to_categorical: num_classes must be positive, got {num_classes}")
    if flat.size and flat.max() >= num_classes:
        raise ValueError(
            f"to_categorical: label {flat.max()} is out of range for num_classes={num_classes} "
            f"(labels must be < num_classes)"
        )
    return int(num_classes)
