"""Sequential: a stack of layers with both faces, PyTorch's module call and Keras's
``compile / fit / evaluate / predict``.

>>> import numpy as np
>>> from nn import models, layers
>>> model = models.Sequential()
>>> model.add(layers.Dense(8, activation="relu", input_shape=(4,)))
>>> model.add(layers.Dense(3, activation="softmax"))
>>> model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
>>> x, y = np.ones((10, 4), np.float32), np.eye(3, dtype=np.float32)[[0, 1] * 5]
>>> history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
>>> len(history.history["loss"]), model.predict(x).shape
(2, (10, 3))
"""

from __future__ import annotations

import os
import secrets
import zipfile
import zlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

import optim
from autograd import Tensor, as_tensor, name_scope, no_grad, softmax_cross_entropy

from . import functional as F
from . import metrics as metrics_module
from .layers import Activation, Dense, Layer
from .module import Module
from .training import BatchGatherer, History, Progress, RunningMeans, check_arrays

_CROSSENTROPIES = {F.categorical_crossentropy, F.sparse_categorical_crossentropy}


class Sequential(Layer):
    """Layers applied one after another. ``Sequential(a, b)``, ``Sequential([a, b])`` or
    ``add()`` one at a time; a layer with a known input size builds the next one's weights."""

    def __init__(self, *layers: Module | Iterable[Module], name: str | None = None) -> None:
        super().__init__(name=name)
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        self._output_shape: tuple[int, ...] | None = None
        self.optimizer: optim.Optimizer | None = None
        self.loss: Callable[..., Tensor] | None = None
        self.compiled_metrics: list[tuple[str, Callable]] = []
        self._fused_loss = False
        for layer in layers:
            self.add(layer)

    # ------------------------------------------------------------------ structure
    @property
    def layers(self) -> list[Module]:
        return list(self._modules.values())

    def __len__(self) -> int:
        return len(self._modules)

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def add(self, layer: Module) -> None:
        """Append a layer; build its weights now if the size of its input is known."""
        if not isinstance(layer, Module):
            raise TypeError(
                f"Sequential.add: expected a layer (Module), got {type(layer).__name__}"
            )
        shape = self._output_shape
        if not self._modules:
            given = getattr(layer, "input_shape", None)
            shape = tuple(given) if given is not None else None
        if isinstance(layer, Layer) and shape is not None:
            layer.build(shape)
            self._output_shape = layer.compute_output_shape(shape)
        else:
            self._output_shape = None
        setattr(self, str(len(self._modules)), layer)

    @property
    def built(self) -> bool:
        return all(getattr(layer, "built", True) for layer in self.layers)

    @property
    def input_shape(self) -> tuple[int, ...] | None:
        first = self.layers[0] if self._modules else None
        shape = getattr(first, "input_shape", None)
        return tuple(shape) if shape is not None else None

    def build(self, input_shape: tuple[int, ...]) -> None:
        shape = tuple(input_shape)
        for layer in self.layers:
            if isinstance(layer, Layer):
                layer.build(shape)
                shape = layer.compute_output_shape(shape)

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.compute_output_shape(shape) if isinstance(layer, Layer) else shape
        return shape

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        for layer in self._modules.values():
            x = layer(x)
        return x

    # ------------------------------------------------------------------ the Keras face
    def compile(
        self,
        optimizer: str | optim.Optimizer = "rmsprop",
        loss: str | Callable[..., Tensor] | None = None,
        metrics: list[str | Callable] | None = None,
    ) -> None:
        """Choose the optimizer, the loss and the metrics that ``fit`` and ``evaluate`` use.

        Loss names are Keras's; a callable loss is called as ``loss(y_true, y_pred)`` (Keras's
        order) unless it is one of ``nn.functional``'s. When the last layer ends in softmax and
        the loss is a categorical crossentropy, the loss is computed from the logits in one
        fused, stable op (same value, no log(0), softmax computed once).
        """
        if loss is None:
            raise ValueError("compile: give a loss, e.g. loss='categorical_crossentropy'")
        self.optimizer = optim.get(optimizer)
        if isinstance(loss, str) or loss in F.LOSSES.values():
            self.loss = F.get_loss(loss)
        else:
            keras_loss = loss
            self.loss = lambda prediction, target: keras_loss(target, prediction)
        self.compiled_metrics = [metrics_module.get(metric) for metric in metrics or []]
        self._fused_loss = self.loss in _CROSSENTROPIES and self._ends_in_softmax()
        if self.built and not self.optimizer.param_groups:
            self.optimizer.add_param_group({"params": list(self.parameters())})

    def _ends_in_softmax(self) -> bool:
        last = self.layers[-1] if self._modules else None
        over_classes = getattr(last, "axis", -1) in (-1, 1)  # the fused loss is over axis 1
        return (
            isinstance(last, (Dense, Activation))
            and last.activation_name == "softmax"
            and over_classes
        )

    def _output_for_loss(self, x: Tensor) -> Tensor:
        """The model's output, or the logits before the final softmax when the loss is fused."""
        if not self._fused_loss:
            return self(x)
        layers = self.layers
        with name_scope(self.name):
            for layer in layers[:-1]:
                x = layer(x)
            last = layers[-1]
            if isinstance(last, Dense):
                with name_scope(last.name):
                    x = last.pre_activation(x)
        return x

    def _loss_value(self, output: Tensor, y: np.ndarray) -> Tensor:
        if not self._fused_loss:
            return self.loss(output, y)
        sparse = self.loss is F.sparse_categorical_crossentropy
        if sparse:
            labels = y.reshape(len(y)) if y.ndim == 2 and y.shape[1] == 1 else y
            if labels.ndim != 1:
                raise ValueError(
                    f"sparse_categorical_crossentropy: expected integer labels of shape (N,), "
                    f"got {y.shape}"
                )
            return softmax_cross_entropy(output, labels.astype(np.int64, copy=False))
        if y.shape != output.shape:
            raise ValueError(
                f"categorical_crossentropy: targets of shape {y.shape} do not match the model's "
                f"output of shape {output.shape}; one-hot encode integer labels with "
                "to_categorical, or use loss='sparse_categorical_crossentropy'"
            )
        return softmax_cross_entropy(output, y)  # reads integer one-hot rows as rows too

    def _metric_values(self, output: np.ndarray, y: np.ndarray) -> dict[str, float]:
        if self._fused_loss and any(
            fn not in metrics_module.METRICS.values() for _, fn in self.compiled_metrics
        ):
            output = _softmax(output)  # custom metrics see probabilities, as the model outputs
        return {name: fn(output, y) for name, fn in self.compiled_metrics}

    def _as_input(self, x: np.ndarray) -> np.ndarray:
        """x in the weights' dtype (float32 unless built otherwise), as Keras converts inputs:
        uint8 or float64 data would otherwise run the whole step in another dtype."""
        first = next(self.parameters(), None)
        dtype = first.dtype if first is not None else np.dtype(np.float32)
        return x if x.dtype == dtype else x.astype(dtype)

    def _require_compiled(self, method: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(
                f"{method}: the model must be compiled first, e.g. model.compile(optimizer="
                "'rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])"
            )

    def compute_loss(self, x: Any, y: Any) -> Tensor:
        """The compiled loss on (x, y) as a Tensor with its graph, ready for ``backward()`` or
        ``autograd.draw`` (computed from the logits when the loss is fused)."""
        self._require_compiled("compute_loss")
        return self._loss_value(self._output_for_loss(as_tensor(x)), np.asarray(y))

    def train_step(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """One optimizer update on a batch; returns the loss and the batch's outputs."""
        output = self._output_for_loss(Tensor(x))
        loss = self._loss_value(output, y)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), output.data

    def fit(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        epochs: int = 1,
        verbose: int = 1,
        validation_split: float = 0.0,
        validation_data: tuple[Any, Any] | None = None,
        shuffle: bool = True,
    ) -> History:
        """Train for ``epochs`` passes over (x, y) in shuffled mini-batches; the last batch of
        an epoch is the remainder. Returns a History with one entry per epoch and key."""
        self._require_compiled("fit")
        x, y = check_arrays(x, y, "fit")
        x = self._as_input(x)
        if not 0 <= validation_split < 1:
            raise ValueError(f"fit: validation_split must be in [0, 1), got {validation_split}")
        if validation_split and validation_data is None:
            # Keras holds out the *last* samples, before any shuffling.
            split = int(len(x) * (1 - validation_split))
            if split == 0 or split == len(x):
                raise ValueError(f"fit: validation_split={validation_split} leaves no samples")
            x, y, validation_data = x[:split], y[:split], (x[split:], y[split:])
        if not self.built:
            with no_grad():
                self(Tensor(x[:1]))
        if not self.optimizer.param_groups:
            self.optimizer.add_param_group({"params": list(self.parameters())})
        batches = BatchGatherer(x, y, batch_size, shuffle)
        progress = Progress(verbose, epochs, len(batches))
        history = History()
        history.params = {"epochs": epochs, "steps": len(batches), "batch_size": batch_size}
        names = ["loss"] + [name for name, _ in self.compiled_metrics]
        self.train()
        for epoch in range(epochs):
            progress.start_epoch(epoch)
            means = RunningMeans(names)
            for x_batch, y_batch in batches:
                loss, output = self.train_step(x_batch, y_batch)
                means.add({"loss": loss, **self._metric_values(output, y_batch)}, len(x_batch))
                progress.step(means.means)
            logs = means.means()
            if validation_data is not None:
                values = self._evaluate_arrays(*validation_data, batch_size=batch_size)
                logs.update({f"val_{name}": value for name, value in values.items()})
            progress.end_epoch(logs)
            history.append(epoch, logs)
        return history

    def _evaluate_arrays(
        self, x: Any, y: Any, batch_size: int, verbose: int = 0
    ) -> dict[str, float]:
        x, y = check_arrays(x, y, "evaluate")
        x = self._as_input(x)
        batches = BatchGatherer(x, y, batch_size, shuffle=False)
        names = ["loss"] + [name for name, _ in self.compiled_metrics]
        means = RunningMeans(names)
        progress = Progress(verbose, 1, len(batches), label="Evaluate")
        progress.start_epoch(0)
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                for x_batch, y_batch in batches:
                    output = self._output_for_loss(Tensor(x_batch))
                    loss = self._loss_value(output, y_batch).item()
                    means.add({"loss": loss, **self._metric_values(output.data, y_batch)},
                              len(x_batch))  # fmt: skip
                    progress.step(means.means)
        finally:
            self.train(was_training)
        logs = means.means()
        progress.end_epoch(logs)
        return logs

    def evaluate(
        self, x: Any, y: Any, batch_size: int = 32, verbose: int = 1
    ) -> float | list[float]:
        """Loss and metrics on (x, y): ``[loss, accuracy]``, or the loss alone without metrics."""
        self._require_compiled("evaluate")
        logs = self._evaluate_arrays(x, y, batch_size, verbose)
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x: Any, batch_size: int = 32) -> np.ndarray:
        """The model's outputs for x, as a numpy array (works on an uncompiled model)."""
        x = self._as_input(np.asarray(getattr(x, "data", x)))
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                outputs = [self(Tensor(x[start : start + batch_size])).data
                           for start in range(0, len(x), batch_size)]  # fmt: skip
        finally:
            self.train(was_training)
        return np.concatenate(outputs) if outputs else np.empty((0,))

    # ------------------------------------------------------------------ inspection and weights
    def summary(self, print_fn: Callable[[str], Any] = print) -> str:
        """Print (and return) a Keras-like table of layers, output shapes and parameter counts."""
        rows = [("Layer (type)", "Output Shape", "Param #")]
        shape = self.input_shape
        for layer in self.layers:
            if shape is not None and isinstance(layer, Layer):
                shape = layer.compute_output_shape(shape)
                shown = str((None, *shape))
            else:
                shape, shown = None, "?"
            count = sum(p.size for p in layer.parameters())
            rows.append((f"{layer.name} ({type(layer).__name__})", shown, f"{count:,}"))
        widths = [max(len(row[i]) for row in rows) + 2 for i in range(3)]
        rule = "-" * sum(widths)

        def line(row: tuple[str, str, str]) -> str:
            return row[0].ljust(widths[0]) + row[1].ljust(widths[1]) + row[2].rjust(widths[2])

        total = sum(p.size for p in self.parameters())
        trainable = sum(p.size for p in self.parameters() if p.requires_grad)
        text = "\n".join(
            [f'Model: "{self.name}"', rule, line(rows[0]), "=" * sum(widths)]
            + [line(row) for row in rows[1:]]
            + [
                rule,
                f"Total params: {total:,}",
                f"Trainable params: {trainable:,}",
                f"Non-trainable params: {total - trainable:,}",
            ]  # fmt: skip
        )
        print_fn(text)
        return text

    def _require_built(self, method: str) -> None:
        if not self.built:
            raise RuntimeError(
                f"{method}: the model has no weights yet; give the first layer an input_shape "
                "or call the model on a batch first"
            )

    def save_weights(self, path: str | os.PathLike) -> None:
        """Write the weights to a ``.npz`` file under structural names (``0.kernel``, ...).

        The file is written next to its destination and renamed into place, so a failure
        never leaves a half-written file.
        """
        self._require_built("save_weights")
        path = os.fspath(path)
        folder, base = os.path.split(os.path.abspath(path))
        temporary = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
        # os.open, not mkstemp: the file gets the umask's permissions, like any file written.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(file, **self.state_dict())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def load_weights(self, path: str | os.PathLike) -> None:
        """Load weights saved by ``save_weights`` into a model of the same architecture.

        Every name and shape is checked before anything is assigned: a file that does not match
        raises ``ValueError`` and leaves the model unchanged. Read with ``allow_pickle=False``.
        """
        self._require_built("load_weights")
        path = os.fspath(path)
        self.load_state_dict(_read_npz(path), source=f"file {path}")


def _read_npz(path: str) -> dict[str, np.ndarray]:
    """Every array of a ``.npz`` file, read without pickle; anything else is a ValueError."""
    with open(path, "rb") as file:  # a missing or unreadable file raises its own OSError
        try:
            archive = np.load(file, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("it holds a single array (.npy), not a .npz archive")
            with archive:
                return {name: archive[name] for name in archive.files}
        # Empty, truncated, foreign or pickled files fail in numpy, zipfile or zlib.
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise ValueError(
                f"load_weights: {path} is not a readable .npz weights file: {error}"
            ) from error


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)
