"""Label encoding and mini-batches.

>>> to_categorical([0, 2, 1])
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 1., 0.]], dtype=float32)
>>> [len(xb) for xb in batches(np.zeros((10, 2)), batch_size=4, shuffle=False)]
[4, 4, 2]
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

__all__ = ["Batches", "batches", "to_categorical"]


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
    if num_classes is None:
        if flat.size == 0:
            raise ValueError("to_categorical: cannot infer num_classes from empty labels")
        num_classes = int(flat.max()) + 1
    elif isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise ValueError(f"to_categorical: num_classes must be an int, got {num_classes!r}")
    elif num_classes <= 0:
        raise ValueError(f"to_categorical: num_classes must be positive, got {num_classes}")
    elif flat.size and flat.max() >= num_classes:
        raise ValueError(
            f"to_categorical: label {flat.max()} is out of range for num_classes={num_classes} "
            f"(labels must be < num_classes)"
        )
    one_hot = np.zeros((flat.size, int(num_classes)), dtype=dtype)
    one_hot[np.arange(flat.size), flat] = 1
    return one_hot.reshape(*shape, int(num_classes))


class Batches:
    """Mini-batches of ``x`` (and ``y``) along axis 0; iterate once per epoch.

    Each iteration is an epoch: with ``shuffle`` it draws a fresh permutation from a generator
    seeded once, so epochs differ but a run with the same seed repeats exactly. Every sample
    appears once per epoch and the last batch holds the remainder, so ``len()`` is
    ``ceil(n / batch_size)``. A shuffled batch is gathered with one fancy-indexing copy;
    without shuffle the batches are views (no copy).

    >>> x, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> epoch = Batches(x, y, batch_size=2, seed=0)
    >>> len(epoch), [len(yb) for _, yb in epoch]
    (3, [2, 2, 1])
    """

    def __init__(
        self,
        x: ArrayLike,
        y: ArrayLike | None = None,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        is_int = isinstance(batch_size, (int, np.integer)) and not isinstance(batch_size, bool)
        if not (is_int and batch_size > 0):
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        self.x = np.asarray(x)
        self.y = None if y is None else np.asarray(y)
        if self.x.ndim == 0 or (self.y is not None and self.y.ndim == 0):
            raise ValueError("x and y must have a samples axis (axis 0); got a scalar")
        if self.y is not None and len(self.x) != len(self.y):
            raise ValueError(
                f"x and y must have the same number of samples: x has {len(self.x)}, "
                f"y has {len(self.y)}"
            )
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self._rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n, size = len(self.x), self.batch_size
        order = self._rng.permutation(n) if self.shuffle else None
        for start in range(0, n, size):
            if order is None:
                part: slice | np.ndarray = slice(start, start + size)
            else:
                part = order[start : start + size]
            if self.y is None:
                yield self.x[part]
            else:
                yield self.x[part], self.y[part]


def batches(
    x: ArrayLike,
    y: ArrayLike | None = None,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | np.random.Generator | None = None,
) -> Batches:
    """Mini-batches of ``x`` (and ``y``): ``(xb, yb)`` pairs, or ``xb`` alone without ``y``.

    See :class:`Batches`; iterate the result once per epoch.

    >>> x = np.zeros((60000, 1), np.uint8)
    >>> epoch = batches(x, batch_size=128, seed=0)
    >>> len(epoch), len(list(epoch)[-1])
    (469, 96)
    """
    return Batches(x, y, batch_size=batch_size, shuffle=shuffle, seed=seed)
