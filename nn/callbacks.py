"""Keras 3's callbacks: hooks that ``fit`` calls at the start and end of training, of each
epoch and of each batch, with the logs (loss, metrics, ``val_*``) and ``self.model``.

Semantics follow Keras 3.15 (``keras/src/callbacks``); tests run the same tiny problem through
Keras and through these and compare stopping epochs, restored weights, learning rates and CSV
rows.

>>> import numpy as np
>>> from nn import layers, models
>>> model = models.Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
>>> model.compile(optimizer="sgd", loss="mse")
>>> stop = EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
>>> history = model.fit(np.ones((4, 2)), np.ones(4), epochs=10, callbacks=[stop], verbose=0)
>>> len(history.epoch), stop.stopped_epoch
(2, 1)
"""

from __future__ import annotations

import csv
import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .saving import WEIGHT_SUFFIXES


class Callback:
    """Base class: override any ``on_*`` method; ``self.model`` is the model being trained,
    and setting ``self.model.stop_training = True`` ends ``fit`` after the current epoch."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def on_train_begin(self, logs: dict | None = None) -> None: ...
    def on_train_end(self, logs: dict | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None: ...
    # Keras's aliases: on_train_batch_begin/end call these, so overriding either one works.
    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: dict | None = None) -> None: ...

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_begin(batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self.on_batch_end(batch, logs)


_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end")


class CallbackList:
    """Calls every callback's hook in order; knows whether any wants per-batch logs (building
    them costs time on the training hot path, so ``fit`` skips it when none does)."""

    def __init__(self, callbacks: list[Callback], model: Any, params: dict[str, Any]) -> None:
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    f"fit: callbacks must be Callback objects, got {type(callback).__name__}"
                )
            callback.set_model(model)
            callback.set_params(params)
        # A hook is wanted unless it is still the base class's no-op (LambdaCallback's are
        # plain functions set on the instance).
        self.wants_batches = any(
            getattr(getattr(c, hook), "__func__", None) is not getattr(Callback, hook)
            for c in self.callbacks
            for hook in _BATCH_HOOKS
        )

    def call(self, hook: str, *args: Any) -> None:
        for callback in self.callbacks:
            getattr(callback, hook)(*args)


class History(Callback):
    """What ``fit`` returns: ``history.history['loss']`` etc., one entry per epoch, and
    ``history.epoch`` (the epoch indices run, from ``initial_epoch``)."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def __repr__(self) -> str:
        return f"<History of {len(self.epoch)} epochs: {', '.join(self.history)}>"


class _Monitor(Callback):
    """Watches one logged value; ``mode='auto'`` reads the direction from the loss or metric."""

    def __init__(self, monitor: str, mode: str, min_delta: float, baseline: float | None):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__}: unknown mode {mode!r}, using 'auto'", stacklevel=2
            )
            mode = "auto"
        self.monitor, self.mode, self.baseline = monitor, mode, baseline
        self.min_delta = abs(min_delta)
        self.best: float | None = None
        self._lower_is_better: bool | None = None

    def _direction(self) -> bool:
        if self.mode != "auto":
            return self.mode == "min"
        name = self.monitor.removeprefix("val_")
        if name == "loss":
            return True
        for metric in getattr(self.model, "compiled_metrics", []):
            if metric.name == name:
                return metric.direction == "down"
        raise ValueError(
            f"{type(self).__name__}: cannot tell whether {self.monitor!r} should go up or "
            "down; pass mode='max' or mode='min'"
        )

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if self._lower_is_better is None:
            self._lower_is_better = self._direction()
        if reference is None:
            return True
        if self._lower_is_better:
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def _value(self, logs: dict | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"{type(self).__name__}: {self.monitor!r} is not in the logs; available: "
                f"{', '.join(logs or {})}",
                stacklevel=3,
            )
        return value


class EarlyStopping(_Monitor):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience``
    epochs; with ``restore_best_weights`` the best epoch's weights are put back at the end of
    training (whether or not it stopped early, as Keras 3 does)."""

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor, mode, min_delta, baseline)
        self.patience, self.verbose = patience, verbose
        self.restore_best_weights, self.start_from_epoch = restore_best_weights, start_from_epoch
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best_weights: list[np.ndarray] | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best, self.best_weights = None, None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        current = self._value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Save the model (``model.save``) or its weights (``save_weights_only``) after each epoch
    to ``filepath.format(epoch=epoch + 1, **logs)``, e.g. ``'m-{epoch:02d}-{val_loss:.2f}.keras'``;
    with ``save_best_only`` only when ``monitor`` improved. Every write is atomic."""

    def __init__(
        self,
        filepath: str,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor, mode, 0.0, None)
        self.filepath, self.verbose = str(filepath), verbose
        expected = WEIGHT_SUFFIXES if save_weights_only else (".keras",)
        if not self.filepath.endswith(expected):  # refused here, as Keras does, not after epoch 1
            suffixes = " or ".join(expected)
            raise ValueError(f"ModelCheckpoint: filepath {self.filepath!r} must end in {suffixes}")
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.best = initial_value_threshold

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.save_best_only:
            current = self._value(logs)
            if current is None or not self._is_improvement(current, self.best):
                return
            self.best = current
        try:
            path = self.filepath.format(epoch=epoch + 1, **logs)
        except (KeyError, IndexError, ValueError) as error:  # a name, a {0} or a format spec
            kind = KeyError if isinstance(error, KeyError) else ValueError
            raise kind(
                f"ModelCheckpoint: filepath {self.filepath!r} cannot be filled from epoch and "
                f"the logs ({', '.join(logs)}): {error}"
            ) from None
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class CSVLogger(Callback):
    """One CSV row per epoch: ``epoch`` then the sorted log keys (Keras's columns)."""

    def __init__(self, filename: str, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename, self.separator, self.append = str(filename), separator, append
        self.keys: list[str] | None = None
        self.file: Any = None
        self.writer: Any = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        header = True
        if self.append:
            try:
                with open(self.filename, encoding="utf-8") as file:
                    header = not file.readline()
            except FileNotFoundError:
                pass
        self.file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")
        self.write_header, self.writer, self.keys = header, None, None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys += [f"val_{key}" for key in self.keys]
        if self.writer is None:
            self.writer = csv.writer(self.file, delimiter=self.separator)
            if self.write_header:
                self.writer.writerow(["epoch", *self.keys])
        self.writer.writerow([epoch, *(logs.get(key, "NA") for key in self.keys)])
        self.file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class LambdaCallback(Callback):
    """A callback from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **hooks: Callable[..., Any]) -> None:
        super().__init__()
        known = {f"on_{when}_{edge}" for when in ("train", "epoch", "train_batch", "batch")
                 for edge in ("begin", "end")}  # fmt: skip
        for name, function in hooks.items():
            if name not in known:
                raise ValueError(f"LambdaCallback: unknown hook {name!r}; expected {sorted(known)}")
            setattr(self, name, function)


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite."""

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class LearningRateScheduler(Callback):
    """Set the optimizer's learning rate to ``schedule(epoch, lr)`` before each epoch."""

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        try:
            lr = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # Keras also accepts schedule(epoch)
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, int, np.floating, np.integer)):
            raise ValueError(f"LearningRateScheduler: schedule returned {lr!r}, not a number")
        set_learning_rate(optimizer, float(lr))
        if self.verbose > 0:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)


class ReduceLROnPlateau(_Monitor):
    """Multiply the learning rate by ``factor`` after ``patience`` epochs without an
    improvement of more than ``min_delta``; wait ``cooldown`` epochs after each reduction."""

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
    ) -> None:
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be < 1, got {factor}")
        super().__init__(monitor, mode, min_delta, None)
        self.factor, self.patience, self.verbose = factor, patience, verbose
        self.cooldown, self.min_lr = cooldown, min_lr
        self.wait = self.cooldown_counter = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.best, self.wait, self.cooldown_counter = None, 0, 0

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        optimizer = self.model.optimizer
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = self._value(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = float(optimizer.learning_rate)
                if old > np.float32(self.min_lr):
                    set_learning_rate(optimizer, max(old * self.factor, self.min_lr))
                    if self.verbose > 0:
                        print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate.")
                    self.cooldown_counter, self.wait = self.cooldown, 0


def set_learning_rate(optimizer: Any, lr: float) -> None:
    """Set ``lr`` in every parameter group (and the default for groups added later)."""
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.defaults["lr"] = lr
