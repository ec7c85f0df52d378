"""Optimizers that update a model's parameters in place from their gradients.

>>> import optim
>>> optim.get("rmsprop")
RMSprop(lr=0.001, rho=0.9, epsilon=1e-07, momentum=0.0, centered=False)
"""

from __future__ import annotations

from typing import Any

from .adam import Adam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

# Keras names and their defaults (keras.optimizers.get).
_BY_NAME = {"sgd": SGD, "rmsprop": RMSprop, "adam": Adam}


def get(optimizer: str | Optimizer, **kwargs: Any) -> Optimizer:
    """An optimizer instance from a Keras name (Keras defaults), or the instance itself."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str) and optimizer.lower() in _BY_NAME:
        return _BY_NAME[optimizer.lower()](**kwargs)
    raise ValueError(f"unknown optimizer {optimizer!r}; expected one of {sorted(_BY_NAME)}")


__all__ = ["SGD", "Adam", "Optimizer", "RMSprop", "get"]
