"""Neural-network modules, layers, losses and metrics on top of ``autograd``.

PyTorch's face:

>>> import nn
>>> model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
>>> sum(p.size for p in model.parameters())
407050

Keras's face is the same class: ``from nn import models, layers``; ``models.Sequential()``.
"""

from . import functional, init, layers, metrics, models
from .layers import Activation, Dense, Dropout, Flatten, Layer, Linear, ReLU, Sigmoid, Softmax, Tanh
from .models import Sequential
from .module import Module, Parameter
from .training import History

__all__ = [
    "Activation", "Dense", "Dropout", "Flatten", "History", "Layer", "Linear", "Module",
    "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "functional", "init",
    "layers", "metrics", "models",
]  # fmt: skip
