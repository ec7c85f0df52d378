"""The Keras-style loop behind ``Sequential.fit/evaluate``: mini-batches, progress, History.

Batches are gathered into one reused buffer per epoch (``np.take(..., out=)``), so the data set
is copied once per batch and nothing more.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd import generator


class History:
    """What ``fit`` returns: ``history['loss']`` etc., one entry per epoch (as Keras)."""

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params: dict[str, Any] = {}

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self) -> str:
        keys = ", ".join(self.history)
        return f"<History of {len(self.epoch)} epochs: {keys}>"


def check_arrays(x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """numpy arrays of x and y with the same number of samples, or a clear error."""
    x = np.asarray(getattr(x, "data", x))
    y = np.asarray(getattr(y, "data", y))
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"{where}: x and y need a batch axis, got shapes {x.shape} and {y.shape}")
    if len(x) != len(y):
        raise ValueError(
            f"{where}: x and y have different numbers of samples: {len(x)} (x shape {x.shape}) "
            f"vs {len(y)} (y shape {y.shape})"
        )
    if len(x) == 0:
        raise ValueError(f"{where}: got no samples")
    return x, y


class BatchGatherer:
    """Yields (x_batch, y_batch) views of reused buffers, in a new order each epoch."""

    def __init__(self, x: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool) -> None:
        if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.x, self.y, self.shuffle = x, y, shuffle
        self.batch_size = min(int(batch_size), len(x))
        self.x_buffer = np.empty((self.batch_size,) + x.shape[1:], dtype=x.dtype)
        self.y_buffer = np.empty((self.batch_size,) + y.shape[1:], dtype=y.dtype)

    def __len__(self) -> int:
        return math.ceil(len(self.x) / self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        count = len(self.x)
        if not self.shuffle:
            for start in range(0, count, self.batch_size):
                yield (
                    self.x[start : start + self.batch_size],
                    self.y[start : start + self.batch_size],
                )
            return
        order = generator().permutation(count)
        for start in range(0, count, self.batch_size):
            index = order[start : start + self.batch_size]
            size = len(index)
            # mode="clip" lets take() write straight into out= (the default copies twice).
            x_batch = np.take(self.x, index, axis=0, out=self.x_buffer[:size], mode="clip")
            y_batch = np.take(self.y, index, axis=0, out=self.y_buffer[:size], mode="clip")
            yield x_batch, y_batch


class Progress:
    """Keras-like progress: a bar per epoch (verbose=1), a line per epoch (2), silence (0)."""

    def __init__(self, verbose: int, epochs: int, steps: int, label: str = "Epoch") -> None:
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0, 1 or 2, got {verbose!r}")
        self.verbose, self.epochs, self.steps, self.label = verbose, epochs, steps, label
        self.bar: Any = None
        self.epoch = 0
        self.started = 0.0

    def start_epoch(self, epoch: int) -> None:
        self.epoch, self.started = epoch, time.perf_counter()
        if self.verbose == 1:
            from tqdm.auto import tqdm  # a widget in Jupyter, a text bar elsewhere

            self.bar = tqdm(total=self.steps, desc=self._title(),
                            unit="step", file=sys.stdout, mininterval=0.5)  # fmt: skip

    def step(self, logs: Callable[[], dict[str, float]], every: int = 10) -> None:
        """Advance the bar; refresh the running loss/metrics every ``every`` steps."""
        bar = self.bar
        if bar is None:
            return
        bar.update(1)
        if bar.n % every == 0:
            bar.set_postfix(_format(logs()), refresh=False)

    def end_epoch(self, logs: dict[str, float]) -> None:
        if self.bar is not None:
            self.bar.set_postfix(_format(logs), refresh=True)
            self.bar.close()
            self.bar = None
        elif self.verbose == 2:
            seconds = time.perf_counter() - self.started
            text = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
            print(f"{self._title()} - {seconds:.1f}s - {text}", flush=True)

    def _title(self) -> str:
        return (
            f"{self.label} {self.epoch + 1}/{self.epochs}" if self.label == "Epoch" else self.label
        )


def _format(logs: dict[str, float]) -> dict[str, str]:
    return {key: f"{value:.4f}" for key, value in logs.items()}


class RunningMeans:
    """Sample-weighted running means of the loss and metrics over an epoch."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.totals = dict.fromkeys(names, 0.0)
        self.count = 0

    def add(self, values: dict[str, float], size: int) -> None:
        for name, value in values.items():
            self.totals[name] += value * size
        self.count += size

    def means(self) -> dict[str, float]:
        return {name: total / max(self.count, 1) for name, total in self.totals.items()}
