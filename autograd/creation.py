"""Making tensors: zeros, ones, random ones, and the global seed that makes runs reproducible.

>>> from autograd import manual_seed, randn
>>> manual_seed(0); a = randn(2, 3)
>>> manual_seed(0); bool((randn(2, 3) == a).data.all())
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import arguments as args
from .tensor import DEFAULT_FLOAT, Tensor

_generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator behind ``randn``/``rand`` and the ``nn.init`` initialisers."""
    global _generator
    _generator = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The global random generator (seeded by ``manual_seed``)."""
    return _generator


def zeros(*shape: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros(args.shape("zeros", shape), dtype=dtype), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(args.shape("ones", shape), dtype=dtype), requires_grad=requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(t.data), requires_grad=requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(t.data), requires_grad=requires_grad)


def randn(*shape: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    """Standard normal samples from the global generator."""
    data = _generator.standard_normal(args.shape("randn", shape), dtype=np.dtype(dtype).type)
    return Tensor(data, requires_grad=requires_grad)


def rand(*shape: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1) from the global generator."""
    data = _generator.random(args.shape("rand", shape), dtype=np.dtype(dtype).type)
    return Tensor(data, requires_grad=requires_grad)
