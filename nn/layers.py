"""Layers: Dense (Keras, kernel (in, out)) and Linear (PyTorch, weight (out, in)) share their
matmul + bias code; activations, Flatten, Dropout.

>>> import numpy as np
>>> from nn import layers
>>> dense = layers.Dense(4, activation="relu")        # built lazily at the first call
>>> dense(np.ones((2, 3), dtype=np.float32)).shape
(2, 4)
>>> dense.kernel.shape, dense.bias.shape
((3, 4), (4,))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, generator, linear

from . import functional as F
from . import init, regularizers
from .module import Module, Parameter


def matmul_bias(
    layer: str, x: Tensor, weight: Tensor, bias: Tensor | None, described: str
) -> Tensor:
    """``x @ weight + bias`` for a weight of shape (in, out) (one ``linear`` op): the code Dense
    and Linear share; ``described`` names the layer's own weight in the error."""
    if x.shape[-1] != weight.shape[0]:
        raise ValueError(
            f"{layer}: expected inputs with {weight.shape[0]} features ({described}), got "
            f"shape {x.shape}"
        )
    return linear(x, weight, bias)


def input_shape_argument(layer: str, argument: str, value: Any) -> tuple[int, ...]:
    """A shape argument (batch axis excluded) as a tuple of positive ints, or a ValueError
    naming the layer and argument: the one check of ``Input(shape=)``, ``input_shape=`` and
    ``input_dim=``. A bare int n is taken as (n,) (Keras refuses it; it is never ambiguous)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(
        isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0 for d in value
    ):
        raise ValueError(
            f"{layer}: {argument} must be a tuple of positive ints (batch axis excluded), "
            f"e.g. (784,), got {value!r}"
        )
    return tuple(int(d) for d in value)


class Layer(Module):
    """A module that knows its output shape from its input shape (batch axis excluded), so a
    Sequential can build the next layer and print a summary."""

    def build(self, input_shape: tuple[int, ...]) -> None:
        """Create weights for inputs of ``input_shape`` (without the batch axis)."""

    @property
    def built(self) -> bool:
        return True

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return input_shape

    # Keras's weight accessors, in creation order (Dense: kernel, then bias).
    @property
    def weights(self) -> list[Parameter]:
        return list(self.parameters())

    @property
    def trainable_weights(self) -> list[Parameter]:
        return [p for p in self.parameters() if p.requires_grad]

    @property
    def non_trainable_weights(self) -> list[Parameter]:
        return [p for p in self.parameters() if not p.requires_grad]

    def count_params(self) -> int:
        return sum(p.size for p in self.parameters())

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weights as numpy arrays, in ``weights`` order."""
        return [p.data.copy() for p in self.parameters()]

    def set_weights(self, weights: list[Any]) -> None:
        """Assign arrays in ``weights`` order; the count and every shape are checked first, so
        on a ``ValueError`` nothing has been assigned."""
        names = [name for name, _ in self.named_parameters()]
        if len(weights) != len(names):
            raise ValueError(
                f"{self.name}.set_weights: expected {len(names)} arrays ({', '.join(names)}), "
                f"got {len(weights)}"
            )
        self.load_state_dict(dict(zip(names, weights)), source="set_weights list")


class Input(Layer):
    """``layers.Input(shape=(784,))``: declares the input shape (batch axis excluded) as the
    first element of a Sequential; it holds no weights and is not listed in ``model.layers``
    (as Keras's InputLayer is not)."""

    def __init__(self, shape: tuple[int, ...], name: str | None = None) -> None:
        super().__init__(name=name)
        self.input_shape = input_shape_argument("Input", "shape", shape)

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x)


class Dense(Layer):
    """``activation(x @ kernel + bias)`` with ``kernel`` of shape (in, units), as in Keras.

    Weights are made as soon as the input size is known: from ``input_shape``/``input_dim``,
    from the previous layer when added to a Sequential, or else at the first call.
    """

    def __init__(
        self,
        units: int,
        activation: str | Callable[[Tensor], Tensor] | None = None,
        use_bias: bool = True,
        kernel_initializer: str | Callable = "glorot_uniform",
        bias_initializer: str | Callable = "zeros",
        kernel_regularizer: Any = None,
        input_shape: tuple[int, ...] | None = None,
        input_dim: int | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        if not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.activation_name = activation if isinstance(activation, str) else None
        self.activation = F.get_activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = init.get(kernel_initializer)
        self.bias_initializer = init.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.kernel: Parameter | None = None
        self.bias: Parameter | None = None
        if input_dim is not None:
            input_shape = input_shape_argument("Dense", "input_dim", input_dim)
        elif input_shape is not None:
            input_shape = input_shape_argument("Dense", "input_shape", input_shape)
        self.input_shape = input_shape
        if self.input_shape is not None:
            self.build(self.input_shape)

    @property
    def built(self) -> bool:
        return self.kernel is not None

    def build(self, input_shape: tuple[int, ...]) -> None:
        if self.built:
            return
        in_features = int(input_shape[-1])
        self.input_shape = tuple(input_shape)
        self.kernel = Parameter(self._initial_kernel(in_features))
        if self.use_bias:
            self.bias = Parameter(self._initial_bias(in_features))

    def _initial_kernel(self, in_features: int) -> np.ndarray:
        return self.kernel_initializer((in_features, self.units))

    def _initial_bias(self, in_features: int) -> np.ndarray:
        return self.bias_initializer((self.units,))

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(input_shape[:-1]) + (self.units,)

    def pre_activation(self, x: Any) -> Tensor:
        """``x @ kernel + bias``: the layer before its activation (the logits of a softmax
        output layer)."""
        x = as_tensor(x)
        if x.ndim < 2:  # Keras's InputSpec(min_ndim=2): a 1-d array is not one sample
            raise ValueError(
                f"{self.name}: expected inputs of shape (batch, ..., features), got shape "
                f"{x.shape}; add the batch axis, e.g. x.reshape(1, -1) for one sample"
            )
        if not self.built:
            self.build(x.shape[1:])
        return matmul_bias(self.name, x, self.kernel, self.bias, f"kernel {self.kernel.shape}")

    def forward(self, x: Any) -> Tensor:
        return self.activation(self.pre_activation(x))

    def extra_repr(self) -> str:
        inputs = self.kernel.shape[0] if self.built else "?"
        activation = f", activation={self.activation_name!r}" if self.activation_name else ""
        return f"{inputs} -> {self.units}{activation}"


class Linear(Layer):
    """PyTorch's ``nn.Linear(in_features, out_features)``: ``x @ weight.T + bias``.

    ``weight`` has PyTorch's shape (out_features, in_features) and the state dict names
    ``weight`` and ``bias``, so a PyTorch state dict (``{k: v.numpy() for k, v in
    sd.items()}``) loads unchanged. The matmul reads ``weight.T``, a view: nothing is copied.
    Initialised as PyTorch does: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.

    >>> import numpy as np
    >>> layer = Linear(3, 2)
    >>> layer.weight.shape, layer(np.ones((5, 3), np.float32)).shape
    ((2, 3), (5, 2))
    """

    def __init__(
        self, in_features: int, out_features: int, bias: bool = True, name: str | None = None
    ) -> None:
        super().__init__(name=name)
        for argument, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, (int, np.integer)) or value <= 0:
                raise ValueError(f"Linear: {argument} must be a positive integer, got {value!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.input_shape = (self.in_features,)
        shape = (self.out_features, self.in_features)
        self.weight = Parameter(init.torch_linear_uniform(shape, self.in_features))
        self.bias = (
            Parameter(init.torch_linear_uniform((self.out_features,), self.in_features))
            if bias
            else None
        )

    def build(self, input_shape: tuple[int, ...]) -> None:
        if int(input_shape[-1]) != self.in_features:
            raise ValueError(
                f"{self.name}: built for {self.in_features} input features, got input shape "
                f"{tuple(input_shape)}"
            )

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(input_shape[:-1]) + (self.out_features,)

    def forward(self, x: Any) -> Tensor:
        weight = self.weight
        return matmul_bias(self.name, as_tensor(x), weight.T, self.bias, f"weight {weight.shape}")

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Activation(Layer):
    """Apply an activation by name or function: ``Activation('relu')``."""

    def __init__(self, activation: str | Callable, name: str | None = None) -> None:
        super().__init__(name=name)
        self.activation_name = activation if isinstance(activation, str) else None
        self.activation = F.get_activation(activation)

    def forward(self, x: Any) -> Tensor:
        return self.activation(as_tensor(x))


class ReLU(Activation):
    """max(x, 0). ``inplace`` (PyTorch) is accepted and ignored: the result is a new Tensor."""

    def __init__(self, inplace: bool = False, name: str | None = None) -> None:
        super().__init__("relu", name=name)


class Sigmoid(Activation):
    def __init__(self, name: str | None = None) -> None:
        super().__init__("sigmoid", name=name)


class Tanh(Activation):
    def __init__(self, name: str | None = None) -> None:
        super().__init__("tanh", name=name)


class Softmax(Activation):
    """Softmax along ``axis`` (Keras) or ``dim`` (PyTorch's ``nn.Softmax(dim=1)``)."""

    def __init__(self, axis: int = -1, name: str | None = None, *, dim: int | None = None):
        axis = axis if dim is None else dim
        super().__init__(lambda x: x.softmax(axis), name=name)
        self.activation_name = "softmax"
        self.axis = axis


class Flatten(Layer):
    """Merge every axis but the batch axis: (N, 28, 28) -> (N, 784)."""

    def __init__(self, input_shape: tuple[int, ...] | None = None, name: str | None = None):
        super().__init__(name=name)
        self.input_shape = (
            None
            if input_shape is None
            else input_shape_argument("Flatten", "input_shape", input_shape)
        )

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if x.ndim == 0:
            raise ValueError(f"{self.name}: expected inputs with a batch axis, got a 0-d tensor")
        # (N,) -> (N, 1), as Keras's Flatten, so the output always matches compute_output_shape
        return x if x.ndim == 2 else x.reshape(x.shape[0], -1)

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return (int(np.prod(input_shape)),)


class Dropout(Layer):
    """Zero each input with probability ``rate`` while training, scaling the rest by
    1 / (1 - rate) (inverted dropout); the identity in eval mode. ``fit`` trains in train mode;
    ``evaluate`` and ``predict`` switch to eval mode (as Keras's training=False).

    PyTorch's spelling ``nn.Dropout(p=0.5)`` (its default 0.5; Keras has none) and ``inplace``
    (ignored: a new Tensor) are accepted.
    """

    def __init__(
        self,
        rate: float = 0.5,
        name: str | None = None,
        *,
        p: float | None = None,
        inplace: bool = False,
    ) -> None:
        super().__init__(name=name)
        rate = rate if p is None else p
        is_number = isinstance(rate, (int, float, np.floating)) and not isinstance(rate, bool)
        if not (is_number and 0 <= rate < 1):
            raise ValueError(f"Dropout: rate (p) must be a number in [0, 1), got {rate!r}")
        self.rate = float(rate)

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if not self.training or self.rate == 0:
            return x
        keep = generator().random(x.shape, dtype=np.float32) >= self.rate
        mask = keep.astype(x.dtype) / x.dtype.type(1 - self.rate)
        return x * mask

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
