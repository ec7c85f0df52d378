"""Weight initialisers, drawing from autograd's global generator (``autograd.manual_seed``).

Each takes a shape and returns a float32 array; ``get`` resolves Keras's names.

>>> from autograd import manual_seed
>>> manual_seed(0)
>>> w = glorot_uniform((784, 512))
>>> float(abs(w).max()) <= (6 / (784 + 512)) ** 0.5
True
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograd import generator

Initializer = Callable[[tuple[int, ...]], np.ndarray]


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) < 2:
        size = int(np.prod(shape)) if shape else 1
        return size, size
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def glorot_uniform(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)): Keras's default kernel."""
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return generator().uniform(-limit, limit, size=shape).astype(dtype)


def glorot_normal(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """Truncated-free normal with std sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(shape)
    return (generator().standard_normal(shape) * np.sqrt(2.0 / (fan_in + fan_out))).astype(dtype)


def he_normal(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    """Normal with std sqrt(2 / fan_in), suited to ReLU layers."""
    fan_in, _ = _fans(shape)
    return (generator().standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype)


def he_uniform(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    fan_in, _ = _fans(shape)
    limit = np.sqrt(6.0 / fan_in)
    return generator().uniform(-limit, limit, size=shape).astype(dtype)


def torch_linear_uniform(shape: tuple[int, ...], fan_in: int, dtype=np.float32) -> np.ndarray:
    """U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's default for nn.Linear weight and bias."""
    bound = 1.0 / np.sqrt(fan_in) if fan_in > 0 else 0.0
    return generator().uniform(-bound, bound, size=shape).astype(dtype)


def zeros(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    return np.zeros(shape, dtype=dtype)


def ones(shape: tuple[int, ...], dtype=np.float32) -> np.ndarray:
    return np.ones(shape, dtype=dtype)


_BY_NAME: dict[str, Initializer] = {
    "glorot_uniform": glorot_uniform,
    "xavier_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_normal": glorot_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "zeros": zeros,
    "ones": ones,
}


def get(initializer: str | Initializer) -> Initializer:
    """An initialiser from its Keras name, or the callable itself."""
    if callable(initializer):
        return initializer
    try:
        return _BY_NAME[initializer]
    except KeyError:
        raise ValueError(
            f"unknown initializer {initializer!r}; expected one of {sorted(_BY_NAME)}"
        ) from None
