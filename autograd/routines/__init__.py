"""Routines: numpy-style functions over Tensors (numpy calls its functions "routines"), under
numpy's names with PyTorch's spellings as aliases.

``axes`` holds the routines that take a shape or axes and are also Tensor methods (reductions,
softmax, shape changes, concat/stack); ``core`` products, selection and the first element-wise
functions; ``inplace`` in-place updates. Issue 11's vocabulary lives by family in
``elementwise``, ``reductions``, ``shape``, ``indexing`` and ``creation``.
``from autograd import concat, exp, ...`` re-exports them all.
"""

from . import creation, elementwise, indexing, reductions, shape

# sum, max and min are numpy's names; they shadow the builtins only inside this package.
from .axes import (
    argmax,
    argmin,
    broadcast_to,
    concat,
    flatten,
    log_softmax,
    logsumexp,
    max,  # noqa: A004
    mean,
    min,  # noqa: A004
    permute,
    reshape,
    softmax,
    squeeze,
    stack,
    sum,  # noqa: A004
    swapaxes,
    transpose,
    unsqueeze,
)
from .core import (
    clip,
    dot,
    exp,
    linear,
    log,
    matmul,
    maximum,
    minimum,
    relu,
    sigmoid,
    softmax_cross_entropy,
    sqrt,
    tanh,
    tensordot,
    where,
)
from .creation import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .indexing import *  # noqa: F403
from .inplace import apply_in_place, in_place_method, zero_
from .reductions import *  # noqa: F403
from .shape import *  # noqa: F403

cat = concatenate = concat
swapdims = swapaxes
clamp = clip
expand_dims = unsqueeze

__all__ = [
    *creation.__all__, *elementwise.__all__, *indexing.__all__, *reductions.__all__,
    *shape.__all__,
    "apply_in_place", "argmax", "argmin", "broadcast_to", "cat", "clamp", "clip", "concat",
    "concatenate",
    "dot", "exp", "expand_dims", "flatten", "in_place_method", "linear", "log", "log_softmax",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "permute", "relu",
    "reshape", "sigmoid", "softmax", "softmax_cross_entropy", "sqrt", "squeeze", "stack", "sum",
    "swapaxes", "swapdims", "tanh", "tensordot", "transpose", "unsqueeze", "where", "zero_",
]  # fmt: skip
