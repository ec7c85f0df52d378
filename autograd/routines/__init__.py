"""Public functions over Tensors, under numpy's names with PyTorch's spellings as aliases,
one module per family (element-wise, reductions, shape and indexing, creation)."""

from . import creation, elementwise, indexing, reductions, shape
from .creation import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .indexing import *  # noqa: F403
from .reductions import *  # noqa: F403
from .shape import *  # noqa: F403

__all__ = [
    *creation.__all__,
    *elementwise.__all__,
    *indexing.__all__,
    *reductions.__all__,
    *shape.__all__,
]
