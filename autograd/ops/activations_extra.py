"""Ops behind activations and a loss whose composition from other ops would lose precision or
produce NaN at extreme inputs: the normal CDF (for exact GELU), softplus, and elementwise binary
cross-entropy on probabilities. Everything else in ``nn.activations`` is composed of ops.

>>> import numpy as np
>>> from autograd import Tensor
>>> x = Tensor(np.array([-1e3, 0.0, 1e3], np.float32), requires_grad=True)
>>> y = Softplus.apply(x, beta=1.0, threshold=20.0)
>>> y.tolist()
[0.0, 0.6931471824645996, 1000.0]
"""

from __future__ import annotations

import math

import numpy as np

from ..function import Function
from .activations import Sigmoid
from .either import constant, data, exp, log, run

_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def ndtr_without_scipy(a: np.ndarray) -> np.ndarray:
    """Phi(a) = erfc(-a / sqrt 2) / 2 element by element with Python's math.erfc: exact like
    scipy's, slow; used only when scipy is not installed."""
    return 0.5 * _erfc(-np.asarray(a, dtype=np.float64) / math.sqrt(2.0))


# scipy.special.ndtr is accurate far into both tails; it is an optional extra, imported on
# first use (importing scipy.special costs ~0.15 s, which `import autograd` should not pay).
_ndtr = None


def _resolved_ndtr():
    global _ndtr
    if _ndtr is None:
        try:
            from scipy.special import ndtr as found
        except ImportError:
            found = ndtr_without_scipy
        _ndtr = found
    return _ndtr


_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class NormalCdf(Function):
    """Phi(a) = (1 + erf(a / sqrt 2)) / 2, the standard normal CDF; d/da = exp(-a^2 / 2) /
    sqrt(2 pi). GELU is ``a * Phi(a)`` (Hendrycks & Gimpel 2016; PyTorch's
    ``approximate='none'``). Uses scipy.special.ndtr when scipy is installed, else math.erfc."""

    name = "normal_cdf"
    save_inputs = True

    def forward(self, a):
        return np.asarray(_resolved_ndtr()(a)).astype(a.dtype, copy=False)

    def backward(self, grad):
        (a,) = self.saved_inputs
        return (grad * exp(a * a * -0.5) * _INV_SQRT_2PI,)


class Softplus(Function):
    """log(1 + exp(beta a)) / beta, and ``a`` itself where beta a > threshold (PyTorch's
    ``softplus(beta, threshold)``); written max(z, 0) + log1p(exp(-|z|)) so it never overflows.
    d/da = sigmoid(beta a) (1 in the linear part)."""

    name = "softplus"
    save_inputs = True

    def forward(self, a, beta=1.0, threshold=20.0):
        self.beta, self.threshold = beta, threshold
        scaled = a * beta
        soft = (np.maximum(scaled, 0) + np.log1p(np.exp(-np.abs(scaled)))) / beta
        return np.where(scaled > threshold, a, soft).astype(a.dtype, copy=False)

    def backward(self, grad):
        (a,) = self.saved_inputs
        scaled = a * self.beta
        linear = data(scaled) > self.threshold
        slope = run(Sigmoid, scaled) * constant(~linear, grad) + constant(linear, grad)
        return (grad * slope,)


class BinaryCrossEntropy(Function):
    """-(t log p + (1 - t) log(1 - p)) element by element, each log clamped at -100 so p = 0 or 1
    gives a finite loss (PyTorch's ``binary_cross_entropy``, reduction='none').

    d/dp = (p - t) / max(p (1 - p), 1e-12) and d/dt = log(1 - p) - log(p), PyTorch's rules.
    """

    name = "binary_cross_entropy"
    save_inputs = True

    def forward(self, p, t):
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p), -100)
            log_q = np.maximum(np.log1p(-p), -100)
        return -(t * log_p + (1 - t) * log_q)

    def backward(self, grad):
        p, t = self.saved_inputs
        need_p, need_t = self.needs_input_grad
        grad_p = grad_t = None
        if need_p:
            grad_p = grad * (p - t) / (p * (1 - p)).clip(min=1e-12)
        if need_t:
            with np.errstate(divide="ignore"):
                grad_t = grad * (log(1 - p) - log(p))
        return grad_p, grad_t
