"""Activation functions of Tensors, with PyTorch's names and arguments (``torch.nn.functional``)
and Keras's names for ``Dense(activation=...)`` (see :data:`ACTIVATIONS`).

Each is composed of ops in a form that stays finite for inputs of +-1e3 (no exp of a large
positive number, no inf * 0 in a gradient); softplus and the normal CDF behind GELU are ops of
their own (``autograd/ops/activations_extra.py``) because log1p and erf are not compositions.

>>> import numpy as np
>>> from autograd import Tensor
>>> x = Tensor([-1000.0, 0.0, 1000.0])
>>> [round(v, 4) for v in gelu(x).tolist()], elu(x).tolist()
([-0.0, 0.0, 1000.0], [-1.0, 0.0, 1000.0])
>>> log_sigmoid(x).tolist()
[-1000.0, -0.6931471824645996, -0.0]

PyTorch's ``inplace=`` (``F.relu(x, inplace=True)``) is accepted wherever PyTorch has it and
ignored: the result is always a new Tensor, as the activation modules do.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, where
from autograd.ops import NormalCdf, Softplus

# SELU's constants (Klambauer et al. 2017, as PyTorch and Keras write them).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def relu(x: Any, inplace: bool = False) -> Tensor:
    """max(x, 0); gradient 0 at 0 (PyTorch)."""
    return as_tensor(x).relu()


def sigmoid(x: Any) -> Tensor:
    return as_tensor(x).sigmoid()


def tanh(x: Any) -> Tensor:
    return as_tensor(x).tanh()


def softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """exp(x) / sum(exp(x)) along ``axis`` (PyTorch spells it ``dim``).

    >>> softmax(Tensor([[0.0, 0.0]]), dim=-1).tolist()
    [[0.5, 0.5]]
    """
    return as_tensor(x).softmax(axis, dim=dim)


def log_softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Tensor:
    """x - logsumexp(x) along ``axis`` (or ``dim``); finite for any logits."""
    return as_tensor(x).log_softmax(axis, dim=dim)


def linear_activation(x: Any) -> Tensor:
    """The identity (Keras's ``'linear'``)."""
    return as_tensor(x)


def exponential(x: Any) -> Tensor:
    """exp(x) (Keras's ``'exponential'``)."""
    return as_tensor(x).exp()


def relu6(x: Any, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6) (PyTorch ``F.relu6``; gradient 1 only for 0 < x < 6).

    >>> relu6(Tensor([-1.0, 3.0, 9.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    x = as_tensor(x)
    return where((x.data > 0) & (x.data < 6), x, np.clip(x.data, 0, 6))


def hardsigmoid(x: Any, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: 0 for x <= -3, 1 for x >= 3, x / 6 + 1/2 between (PyTorch
    ``F.hardsigmoid`` and Keras 3's ``hard_sigmoid``; Keras 2 used 0.2 x + 0.5 on [-2.5, 2.5]).

    >>> hardsigmoid(Tensor([-4.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    x = as_tensor(x)
    return where((x.data > -3) & (x.data < 3), x / 6 + 0.5, np.clip(x.data / 6 + 0.5, 0, 1))


hard_sigmoid = hardsigmoid


def leaky_relu(x: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope * x otherwise (PyTorch default slope 0.01; Keras's
    ``'leaky_relu'`` string uses Keras's default 0.2)."""
    x = as_tensor(x)
    return where(x.data > 0, x, x * negative_slope)


def elu(x: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (exp(x) - 1) otherwise (Clevert et al. 2015; PyTorch ``F.elu``).
    The exp only ever sees min(x, 0), so large x cannot overflow into the gradient."""
    x = as_tensor(x)
    return where(x.data > 0, x, (x.clip(max=0.0).exp() - 1) * alpha)


def selu(x: Any, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with Klambauer et al.'s constants (PyTorch ``F.selu``)."""
    return elu(x, SELU_ALPHA) * SELU_SCALE


def silu(x: Any, inplace: bool = False) -> Tensor:
    """x * sigmoid(x) (Elfwing et al. 2017; Keras also calls it ``'swish'``)."""
    x = as_tensor(x)
    return x * x.sigmoid()


swish = silu


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x where beta x > threshold (PyTorch ``F.softplus``).

    >>> softplus(Tensor([0.0, 1000.0])).tolist()
    [0.6931471824645996, 1000.0]
    """
    if beta == 0:
        raise ValueError("softplus: beta must not be 0")
    return Softplus.apply(as_tensor(x), beta=float(beta), threshold=float(threshold))


def softsign(x: Any) -> Tensor:
    """x / (1 + |x|)."""
    x = as_tensor(x)
    return x / (x.abs() + 1)


def log_sigmoid(x: Any) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), stable for any x (PyTorch ``F.logsigmoid``)."""
    return -Softplus.apply(-as_tensor(x), beta=1.0, threshold=math.inf)


logsigmoid = log_sigmoid


def mish(x: Any, inplace: bool = False) -> Tensor:
    """x * tanh(softplus(x)) (Misra 2019; PyTorch ``F.mish``)."""
    x = as_tensor(x)
    return x * Softplus.apply(x, beta=1.0, threshold=20.0).tanh()


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF (Hendrycks & Gimpel 2016; PyTorch ``F.gelu``).

    ``approximate='tanh'``: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). The exact form uses
    scipy.special.ndtr when scipy is installed, else Python's math.erfc (exact, slower).

    >>> round(gelu(Tensor([1.0])).item(), 5), round(gelu(Tensor([1.0]), "tanh").item(), 5)
    (0.84134, 0.84119)
    """
    x = as_tensor(x)
    if approximate == "none":
        return x * NormalCdf.apply(x)
    if approximate == "tanh":
        inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
        return x * (inner.tanh() + 1) * 0.5
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


#: Keras's activation names (``Dense(activation='...')``) with Keras 3's defaults.
ACTIVATIONS: dict[str | None, Callable[[Tensor], Tensor]] = {
    None: linear_activation,
    "linear": linear_activation,
    "relu": relu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "softmax": softmax,
    "log_softmax": log_softmax,
    "exponential": exponential,
    "gelu": gelu,  # Keras 3: approximate=False by default
    "leaky_relu": functools.partial(leaky_relu, negative_slope=0.2),  # Keras's default slope
    "elu": elu,
    "selu": selu,
    "silu": silu,
    "swish": silu,
    "softplus": softplus,
    "softsign": softsign,
    "relu6": relu6,
    "hard_sigmoid": hardsigmoid,
    "log_sigmoid": log_sigmoid,
    "mish": mish,
}


def get_activation(activation: str | Callable[[Tensor], Tensor] | None) -> Callable:
    """An activation function from its Keras name (or None for linear), or the callable itself.

    >>> get_activation("swish") is silu
    True
    """
    if callable(activation):
        return activation
    try:
        return ACTIVATIONS[activation]
    except (KeyError, TypeError):
        names = sorted(k for k in ACTIVATIONS if k)
        raise ValueError(f"unknown activation {activation!r}; expected one of {names}") from None
