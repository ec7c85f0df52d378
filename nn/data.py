"""The one mini-batch iterator, used by ``fit/evaluate/predict`` and by define-by-run loops.

It lives in ``nn`` (not ``datasets``) because ``datasets`` imports nothing of ours and the
Keras face's trainer needs it.

>>> import numpy as np
>>> from nn.data import batches
>>> [len(xb) for xb in batches(np.zeros((10, 2)), batch_size=4, shuffle=False)]
[4, 4, 2]
>>> epoch = batches(np.zeros((60000, 1), np.uint8), batch_size=128, seed=0)
>>> len(epoch), len(list(epoch)[-1])
(469, 96)
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from autograd import generator

__all__ = ["Batches", "batches"]


class Batches:
    """Mini-batches of ``x`` (and ``y``) along axis 0; iterate once per epoch.

    Each iteration is an epoch. With ``shuffle`` a fresh permutation is drawn per epoch from a
    generator made once from ``seed`` (epochs differ, a run with the same seed repeats), or from
    ``autograd.generator()`` when ``seed`` is None (so ``autograd.manual_seed`` decides). Every
    sample appears once per epoch and the last batch is the remainder, so ``len()`` is
    ``ceil(n / batch_size)``. A shuffled batch is one gather copy of its samples; with
    ``reuse_buffer=True`` (what ``fit`` uses) that copy goes into one buffer reused for the whole
    run (``np.take(..., out=)``, no allocation per step), so a batch is valid only until the
    next one is drawn: the default is False, so ``list(batches(...))`` stays safe. Without
    shuffle the batches are views (no copy).

    With ``sample_weight`` (shape (n,), needs ``y``) each batch is ``(xb, yb, wb)``.

    Raises:
        ValueError: ``batch_size`` not a positive int, x or y without a samples axis, or x and
            y of different lengths.

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
        reuse_buffer: bool = False,
        sample_weight: ArrayLike | None = None,
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
        self.sample_weight = None if sample_weight is None else np.asarray(sample_weight)
        if self.sample_weight is not None and (
            self.y is None or self.sample_weight.shape != (len(self.x),)
        ):
            raise ValueError(
                f"sample_weight must have shape ({len(self.x)},) and come with y, got "
                f"{self.sample_weight.shape}"
            )
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.reuse_buffer = reuse_buffer
        self._buffers: list[np.ndarray] | None = None

    def __len__(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def _arrays(self) -> list[np.ndarray]:
        arrays = [self.x] if self.y is None else [self.x, self.y]
        return arrays if self.sample_weight is None else [*arrays, self.sample_weight]

    def _gather_buffers(self) -> list[np.ndarray]:
        if self._buffers is None:
            size = min(self.batch_size, len(self.x))
            arrays = self._arrays()
            self._buffers = [np.empty((size,) + a.shape[1:], dtype=a.dtype) for a in arrays]
        return self._buffers

    def __iter__(self) -> Iterator[Any]:
        n, size = len(self.x), self.batch_size
        arrays = self._arrays()
        if not self.shuffle:
            for start in range(0, n, size):
                parts = [a[start : start + size] for a in arrays]
                yield parts[0] if self.y is None else tuple(parts)
            return
        order = (self._rng or generator()).permutation(n)
        buffers = self._gather_buffers() if self.reuse_buffer else None
        for start in range(0, n, size):
            index = order[start : start + size]
            if buffers is None:
                parts = [a[index] for a in arrays]
            else:
                # mode="clip" lets take() write straight into out= (the default copies twice).
                parts = [np.take(a, index, axis=0, out=b[: len(index)], mode="clip")
                         for a, b in zip(arrays, buffers)]  # fmt: skip
            yield parts[0] if self.y is None else tuple(parts)


def batches(
    x: ArrayLike,
    y: ArrayLike | None = None,
    batch_size: int = 32,
    shuffle: bool = True,
    seed: int | np.random.Generator | None = None,
) -> Batches:
    """Mini-batches of ``x`` (and ``y``): ``(xb, yb)`` pairs, or ``xb`` alone without ``y``.

    See :class:`Batches`; iterate the result once per epoch.

    >>> x, y = np.arange(6).reshape(3, 2), np.arange(3)
    >>> [yb.tolist() for _, yb in batches(x, y, batch_size=2, shuffle=False)]
    [[0, 1], [2]]
    """
    return Batches(x, y, batch_size=batch_size, shuffle=shuffle, seed=seed)
