"""Helpers of the Keras face's loop (``nn.trainer``): input checks and the progress display.
Mini-batches are ``nn.data``'s; History and the other callbacks are in ``nn.callbacks``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np


def check_input(x: Any, where: str, argument: str = "x") -> np.ndarray:
    """x as a numeric numpy array with a batch axis, or an error naming the argument."""
    if x is None:
        raise TypeError(
            f"{where}: {argument} is None; expected an array or Tensor of inputs with a batch "
            "axis, e.g. shape (n_samples, n_features)"
        )
    array = np.asarray(getattr(x, "data", x))
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{where}: {argument} must hold numbers, got dtype {array.dtype}")
    if array.ndim == 0:
        raise ValueError(f"{where}: {argument} needs a batch axis, got a scalar")
    return array


def check_arrays(x: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """numpy arrays of x and y with the same number of samples, or a clear error."""
    x = check_input(x, where, "x")
    y = check_input(y, where, "y")
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


def check_count(value: Any, where: str, argument: str, minimum: int) -> int:
    """An int argument (epochs, initial_epoch, batch_size) of at least ``minimum``, or a
    TypeError/ValueError naming it; bools are refused (``True`` is not a count)."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{where}: {argument} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where}: {argument} must be >= {minimum}, got {value}")
    return int(value)


def check_batch_size(batch_size: Any, where: str) -> int:
    """Keras's batch_size: a positive int, None meaning the default 32."""
    return 32 if batch_size is None else check_count(batch_size, where, "batch_size", 1)


class Progress:
    """Keras-like progress: a bar per epoch (verbose=1), a line per epoch (2), silence (0)."""

    def __init__(self, verbose: int | str, epochs: int, steps: int, label: str = "Epoch") -> None:
        if verbose == "auto":  # Keras's default spelling: a bar, as 1
            verbose = 1
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0, 1, 2 or 'auto', got {verbose!r}")
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
