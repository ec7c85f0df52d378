"""Routines: numpy-style functions over Tensors (numpy calls its functions "routines").

``core`` holds products, selection and the element-wise functions; ``axes`` the routines that
take a shape or axes (reductions, softmax, shape changes, concat/stack), which are also Tensor
methods. ``from autograd import concat, exp, ...`` re-exports them.
"""

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
from .inplace import apply_in_place, in_place_method, zero_

cat = concatenate = concat
expand_dims = unsqueeze

__all__ = [
    "apply_in_place", "argmax", "argmin", "broadcast_to", "cat", "clip", "concat", "concatenate",
    "dot", "exp", "expand_dims", "flatten", "in_place_method", "linear", "log", "log_softmax",
    "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "permute", "relu",
    "reshape", "sigmoid", "softmax", "softmax_cross_entropy", "sqrt", "squeeze", "stack", "sum",
    "swapaxes", "tanh", "tensordot", "transpose", "unsqueeze", "where", "zero_",
]  # fmt: skip
