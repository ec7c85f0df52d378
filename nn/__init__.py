"""Neural-network modules, layers, losses and metrics on top of ``autograd``.

PyTorch's face:

>>> import nn
>>> model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
>>> sum(p.size for p in model.parameters())
407050

Keras's face is the same class: ``from nn import models, layers``; ``models.Sequential()``.
"""

from . import (
    callbacks,
    data,
    functional,
    init,
    layers,
    losses,
    metrics,
    models,
    regularizers,
    saving,  # fmt: skip
)
from .callbacks import History
from .layers import (
    Activation,
    Dense,
    Dropout,
    Flatten,
    Input,
    Layer,
    Linear,
    ReLU,
    Sigmoid,
    Softmax,  # fmt: skip
    Tanh,
)
from .models import Model, Sequential
from .module import Module, Parameter

__all__ = [
    "Activation", "Dense", "Dropout", "Flatten", "History", "Input", "Layer", "Linear", "Model",
    "Module", "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "callbacks", "data",
    "functional", "init", "layers", "losses", "metrics", "models", "regularizers", "saving",
]  # fmt: skip

# PyTorch's face: activation and loss modules, nn.functional's modules of functions.
from . import activations, loss_functions  # noqa: E402
from .activation_modules import (  # noqa: E402
    ELU,
    GELU,
    SELU,
    Hardsigmoid,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    Mish,
    ReLU6,
    SiLU,
    Softplus,
    Softsign,
)
from .loss_modules import (  # noqa: E402
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)

__all__ += [
    "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "ELU", "GELU", "Hardsigmoid", "L1Loss",
    "LeakyReLU", "LogSigmoid", "LogSoftmax", "MSELoss", "Mish", "NLLLoss", "ReLU6", "SELU",
    "SiLU", "Softplus", "Softsign", "activations", "loss_functions",
]  # fmt: skip
