"""Model structure: ``Model`` (subclass it and write ``call(x)``, as in Keras) and
``Sequential`` (a stack of layers). Training comes from ``nn.trainer.Trainer``; files from
``nn.saving``. Both faces are one class: ``nn.Sequential(...)(x)`` in a PyTorch loop, or
``compile / fit / evaluate / predict`` as in Keras.

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
from collections.abc import Callable, Iterable
from typing import Any

from autograd import Tensor, as_tensor

from . import saving
from .layers import Input, Layer
from .module import Module
from .trainer import Trainer
from .training import check_input


class Model(Trainer, Layer):
    """A model with the Keras face. Subclass it: build layers in ``__init__`` (after
    ``super().__init__()``) and compute the output in ``call(x)``; ``compile``/``fit`` then
    train exactly what ``call`` computes.

    >>> import numpy as np
    >>> from nn import layers, models
    >>> class TwoLayers(models.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = layers.Dense(8, activation="relu")
    ...         self.out = layers.Dense(1)
    ...     def call(self, x):
    ...         return self.out(self.hidden(x))
    >>> model = TwoLayers()
    >>> model.compile(optimizer="adam", loss="mse")
    >>> model.fit(np.ones((8, 3)), np.ones(8), epochs=1, verbose=0).epoch
    [0]
    """

    def call(self, x: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}: define call(x) (or forward(x))")

    def forward(self, x: Any) -> Tensor:
        return self.call(x)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args and args[0] is None:
            raise TypeError(
                f"{type(self).__name__}(x): x is None; expected an array or Tensor of inputs "
                f"with a batch axis (shape (batch, ...){self._expected_features()})"
            )
        return super().__call__(*args, **kwargs)

    def _expected_features(self) -> str:
        shape = getattr(self, "input_shape", None)
        return f", here (batch, {', '.join(map(str, shape))})" if shape else ""

    @property
    def built(self) -> bool:
        return all(getattr(m, "built", True) for m in self.modules() if m is not self)

    @property
    def layers(self) -> list[Module]:
        return list(self._modules.values())

    # ------------------------------------------------------------------ weights and files
    def _require_built(self, method: str) -> None:
        if not self.built:
            raise RuntimeError(
                f"{method}: the model has no weights yet; give the first layer an input_shape "
                "(or start with layers.Input(shape=...)), or call the model on a batch first"
            )

    def save_weights(self, path: str | os.PathLike) -> None:
        """Write the weights atomically: ``.npz`` under structural names (``0.kernel``, ...), or
        Keras 3's ``.weights.h5`` layout (needs h5py). See ``nn.saving``."""
        self._require_built("save_weights")
        saving.save_weights(self, path)

    def load_weights(self, path: str | os.PathLike) -> None:
        """Load ``.npz`` (structural names) or Keras 3 ``.weights.h5`` weights into a model of
        the same architecture; everything is checked before anything is assigned, so a
        mismatch raises ``ValueError`` and leaves the model unchanged. No pickle."""
        self._require_built("load_weights")
        saving.load_weights(self, path)

    def save(self, path: str | os.PathLike) -> None:
        """Keras 3's ``.keras`` zip (config.json, metadata.json, model.weights.h5), readable by
        ``models.load_model`` and by ``keras.models.load_model``; needs h5py."""
        self._require_built("save")
        saving.save_model(self, path)

    def summary(self, print_fn: Callable[[str], Any] = print) -> str:
        """Print (and return) a Keras-like table of layers, output shapes and parameter counts."""
        return summary_text(self, print_fn)


class Sequential(Model):
    """Layers applied one after another. ``Sequential(a, b)``, ``Sequential([a, b])`` or
    ``add()`` one at a time; a first ``layers.Input(shape=...)`` or a layer with a known input
    size builds the next one's weights at ``add`` (as Keras)."""

    def __init__(self, *layers: Module | Iterable[Module], name: str | None = None) -> None:
        super().__init__(name=name)
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        self._output_shape: tuple[int, ...] | None = None
        self._input_shape: tuple[int, ...] | None = None
        for layer in layers:
            self.add(layer)

    def __len__(self) -> int:
        return len(self._modules)

    def __getitem__(self, index: int | slice) -> Module:
        """One layer, or for a slice a Sequential of those layers (shared, not copied), as
        PyTorch's ``model[:-1]``."""
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def add(self, layer: Module) -> None:
        """Append a layer; build its weights now if the size of its input is known."""
        if not isinstance(layer, Module):
            raise TypeError(
                f"Sequential.add: expected a layer (Module), got {type(layer).__name__}"
            )
        if isinstance(layer, Input):
            if self._modules:
                raise ValueError("Sequential.add: layers.Input must come first")
            self._input_shape = self._output_shape = layer.input_shape
            return
        shape = self._output_shape
        if not self._modules and shape is None:
            given = getattr(layer, "input_shape", None)
            shape = tuple(given) if given is not None else None
        if isinstance(layer, Layer) and shape is not None:
            layer.build(shape)
            self._output_shape = layer.compute_output_shape(shape)
        else:
            self._output_shape = None
        setattr(self, str(len(self._modules)), layer)

    @property
    def input_shape(self) -> tuple[int, ...] | None:
        if self._input_shape is not None:
            return self._input_shape
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

    def call(self, x: Any) -> Tensor:
        x = as_tensor(x) if isinstance(x, Tensor) else as_tensor(check_input(x, self.name))
        for layer in self._modules.values():
            x = layer(x)
        return x


def summary_text(model: Any, print_fn: Callable[[str], Any]) -> str:
    """Keras-like table of layers, output shapes and parameter counts (printed and returned)."""
    rows = [("Layer (type)", "Output Shape", "Param #")]
    shape = getattr(model, "input_shape", None)
    for layer in model.layers:
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

    total = sum(p.size for p in model.parameters())
    trainable = sum(p.size for p in model.parameters() if p.requires_grad)
    text = "\n".join(
        [f'Model: "{model.name}"', rule, line(rows[0]), "=" * sum(widths)]
        + [line(row) for row in rows[1:]]
        + [
            rule,
            f"Total params: {total:,}",
            f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}",
        ]
    )
    print_fn(text)
    return text


def load_model(path: str | os.PathLike) -> Sequential:
    """A Sequential rebuilt from a Keras 3 ``.keras`` file (ours or Keras's) with its weights.
    Layers we do not have, or mismatched weights, raise ``ValueError``. Needs h5py."""
    return saving.load_model(path)
