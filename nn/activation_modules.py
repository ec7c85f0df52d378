"""PyTorch's activation modules (``nn.GELU()``, ``nn.LeakyReLU(0.1)``, ...): each is a Keras
``Activation`` layer holding the function of ``nn/activations.py`` with its arguments, so it
also fits a Keras ``Sequential``. ``inplace=`` is accepted for PyTorch scripts and ignored:
the result is always a new Tensor.

>>> import nn
>>> from autograd import Tensor
>>> nn.LeakyReLU(0.1)(Tensor([-2.0, 3.0])).tolist()
[-0.20000000298023224, 3.0]
"""

from __future__ import annotations

import functools

from . import activations as A
from .layers import Activation


class _Parametrised(Activation):
    """An activation with PyTorch's constructor arguments, shown by ``repr``."""

    function = staticmethod(A.relu)
    keras_name: str | None = None

    def __init__(self, name: str | None = None, **options: object) -> None:
        super().__init__(functools.partial(self.function, **options), name=name)
        self.activation_name = self.keras_name if not options else None
        self.options = options

    def extra_repr(self) -> str:
        return ", ".join(f"{key}={value!r}" for key, value in self.options.items())


class GELU(_Parametrised):
    function = staticmethod(A.gelu)

    def __init__(self, approximate: str = "none", name: str | None = None) -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        super().__init__(name=name, approximate=approximate)
        self.activation_name = "gelu" if approximate == "none" else None


class LeakyReLU(_Parametrised):
    function = staticmethod(A.leaky_relu)

    def __init__(
        self, negative_slope: float = 0.01, inplace: bool = False, name: str | None = None
    ) -> None:
        super().__init__(name=name, negative_slope=negative_slope)


class ELU(_Parametrised):
    function = staticmethod(A.elu)

    def __init__(self, alpha: float = 1.0, inplace: bool = False, name: str | None = None):
        super().__init__(name=name, alpha=alpha)
        self.activation_name = "elu" if alpha == 1.0 else None


class Softplus(_Parametrised):
    function = staticmethod(A.softplus)

    def __init__(self, beta: float = 1.0, threshold: float = 20.0, name: str | None = None):
        super().__init__(name=name, beta=beta, threshold=threshold)


class _Plain(_Parametrised):
    """An activation without arguments; ``inplace`` is accepted and ignored."""

    def __init__(self, inplace: bool = False, name: str | None = None) -> None:
        super().__init__(name=name)


class SELU(_Plain):
    """PyTorch's ``nn.SELU``: :func:`nn.activations.selu`."""

    function = staticmethod(A.selu)
    keras_name = "selu"


class SiLU(_Plain):
    """PyTorch's ``nn.SiLU``: :func:`nn.activations.silu`."""

    function = staticmethod(A.silu)
    keras_name = "silu"


class Softsign(_Plain):
    """PyTorch's ``nn.Softsign``: :func:`nn.activations.softsign`."""

    function = staticmethod(A.softsign)
    keras_name = "softsign"


class ReLU6(_Plain):
    """PyTorch's ``nn.ReLU6``: :func:`nn.activations.relu6`."""

    function = staticmethod(A.relu6)
    keras_name = "relu6"


class Hardsigmoid(_Plain):
    """PyTorch's ``nn.Hardsigmoid``: :func:`nn.activations.hardsigmoid`."""

    function = staticmethod(A.hardsigmoid)
    keras_name = "hard_sigmoid"


class LogSigmoid(_Plain):
    """PyTorch's ``nn.LogSigmoid``: :func:`nn.activations.log_sigmoid`."""

    function = staticmethod(A.log_sigmoid)
    keras_name = "log_sigmoid"


class Mish(_Plain):
    """PyTorch's ``nn.Mish``: :func:`nn.activations.mish`."""

    function = staticmethod(A.mish)
    keras_name = "mish"


class LogSoftmax(Activation):
    """PyTorch's ``nn.LogSoftmax(dim)``."""

    def __init__(self, dim: int = -1, name: str | None = None) -> None:
        super().__init__(functools.partial(A.log_softmax, axis=dim), name=name)
        self.activation_name = "log_softmax"
        self.axis = dim
