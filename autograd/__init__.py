"""autograd: numpy arrays that record their history, and reverse-mode differentiation over it.

>>> from autograd import Tensor
>>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = (x * x).sum()
>>> y.backward()
>>> x.grad.tolist()
[2.0, 4.0, 6.0]
"""

from .creation import generator, manual_seed, ones, ones_like, rand, randn, zeros, zeros_like
from .engine import unbroadcast
from .function import REGISTRY, Function
from .grad_mode import (
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    name_scope,
    no_grad,
    set_grad_enabled,
)
from .gradcheck import GradcheckError, gradcheck
from .gradients import grad, value_and_grad
from .routines import (
    cat,
    concat,
    concatenate,
    dot,
    exp,
    linear,
    log,
    log_softmax,
    matmul,
    maximum,
    minimum,
    relu,
    sigmoid,
    softmax,
    softmax_cross_entropy,
    sqrt,
    stack,
    tanh,
    tensordot,
    where,
)
from .tensor import Tensor, as_tensor, increment_version
from .trace import trace_backward
from .viz import draw

__all__ = [
    "REGISTRY",
    "Function",
    "GradcheckError",
    "Tensor",
    "as_tensor",
    "cat",
    "concat",
    "concatenate",
    "detect_anomaly",
    "dot",
    "draw",
    "enable_grad",
    "exp",
    "generator",
    "grad",
    "gradcheck",
    "increment_version",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "linear",
    "log",
    "log_softmax",
    "manual_seed",
    "matmul",
    "maximum",
    "minimum",
    "name_scope",
    "no_grad",
    "ones",
    "ones_like",
    "rand",
    "randn",
    "relu",
    "set_grad_enabled",
    "sigmoid",
    "softmax",
    "softmax_cross_entropy",
    "sqrt",
    "stack",
    "tanh",
    "tensordot",
    "trace_backward",
    "unbroadcast",
    "value_and_grad",
    "where",
    "zeros",
    "zeros_like",
]

from .transforms import elementwise_grad, gradgradcheck, hessian, hvp, jacobian, jvp  # noqa: E402

__all__ += ["elementwise_grad", "gradgradcheck", "hessian", "hvp", "jacobian", "jvp"]
from .factory import tensor  # noqa: E402,F401  (torch.tensor-style dtype inference)

# Appended, not sorted in: the page module builds on trace and viz above.
from .page import save_backprop_page  # noqa: E402

__all__ += ["save_backprop_page"]
# Issue 11's vocabulary: the routines, their Tensor methods, and numpy's dispatch protocols.
from . import linalg, methods, routines  # noqa: E402, F401  (methods: attaches on import)
from .routines import *  # noqa: E402, F403

__all__ += routines.__all__
from . import numpy_protocol  # noqa: E402, F401  (sets Tensor.__array_ufunc__/__array_function__)
