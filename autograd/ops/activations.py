"""Activations and the fused softmax + cross-entropy loss."""

from __future__ import annotations

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .either import Operand, constant, data, exp, floating


class Tanh(Function):
    name = "tanh"
    save_output = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        # The check inline, not floating()'s call: this op is on the hot path.
        return np.tanh(a if a.dtype.kind == "f" else floating(a))

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        out = self.saved_output
        return (grad * (1 - out * out),)


class Sigmoid(Function):
    """1 / (1 + exp(-a)), computed without overflow for large |a|."""

    name = "sigmoid"
    save_output = True

    def forward(self, a: np.ndarray) -> np.ndarray:
        if a.dtype.kind != "f":  # inline: a hot-path op
            a = floating(a)
        # exp of a non-positive number never overflows: use exp(-|a|) for both signs.
        e = np.exp(-np.abs(a))
        return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        out = self.saved_output
        return (grad * out * (1 - out),)


def _log_softmax(a: np.ndarray, axis: int) -> np.ndarray:
    # ndarray methods, not np.max/np.sum: their Python wrappers cost more than the work on
    # a batch of 10 logits.
    shifted = a - a.max(axis=axis, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return shifted


class Softmax(Function):
    """exp(a) / sum(exp(a)) along axis, shifted by the max so it never overflows."""

    name = "softmax"
    save_output = True

    def forward(self, a: np.ndarray, axis: int) -> np.ndarray:
        self.axis = axis
        exps = np.exp(a - a.max(axis=axis, keepdims=True))
        exps /= exps.sum(axis=axis, keepdims=True)
        return exps

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        out = self.saved_output
        return (out * (grad - (grad * out).sum(axis=self.axis, keepdims=True)),)


class LogSoftmax(Function):
    """a - logsumexp(a) along axis; finite even for logits of +-1e4."""

    name = "log_softmax"
    save_output = True

    def forward(self, a: np.ndarray, axis: int) -> np.ndarray:
        self.axis = axis
        return _log_softmax(a, axis)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        out = self.saved_output
        return (grad - exp(out) * grad.sum(axis=self.axis, keepdims=True),)


class SoftmaxCrossEntropy(Function):
    """Mean over the batch of -sum(target * log_softmax(logits)), in one stable op.

    ``target`` is integer class labels of shape (N,) or class probabilities (e.g. one-hot) of
    the logits' shape (N, C). The gradient is (softmax(logits) * sum(target) - target) / N
    (PyTorch's rule: rows of soft targets need not sum to 1), from the probabilities kept in
    forward, so softmax is computed once per step.
    """

    name = "softmax_cross_entropy"
    save_inputs = True
    # Without create_graph the logits' gradient reads the probabilities kept in forward and
    # the target; recorded (create_graph), it recomputes them from the logits.
    grad_reads = {0: (0, 1), 1: (0,)}

    def forward(self, logits: np.ndarray, target: np.ndarray) -> np.ndarray:
        if logits.ndim != 2:
            raise ValueError(f"expected logits of shape (batch, classes), got {logits.shape}")
        batch = logits.shape[0]
        log_probs = _log_softmax(logits, axis=1)
        self.sparse = target.dtype.kind in "iu"
        if self.sparse:
            if target.shape != (batch,):
                raise ValueError(
                    f"integer labels must have shape ({batch},) for logits {logits.shape}, "
                    f"got {target.shape}"
                )
            if target.size and (target.min() < 0 or target.max() >= logits.shape[1]):
                raise ValueError(
                    f"labels must lie in [0, {logits.shape[1]}), got values from "
                    f"{target.min()} to {target.max()}"
                )
            picked = log_probs[np.arange(batch), target]
            loss = -picked.sum(dtype=logits.dtype) / _batch_divisor(batch, logits.dtype)
        else:
            target = target.astype(logits.dtype, copy=False)  # float64 one-hot: no upcast
            if target.shape != logits.shape:
                raise ValueError(
                    f"targets of shape {target.shape} do not match logits of shape "
                    f"{logits.shape} (one-hot targets must have the logits' shape)"
                )
            loss = -np.vdot(target, log_probs) / _batch_divisor(batch, logits.dtype)
        self.save_for_backward(np.exp(log_probs, out=log_probs))  # softmax, for backward
        return np.asarray(loss, dtype=logits.dtype)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        logits, target = self.saved_inputs
        # 1/batch formed wide, then meets grad's dtype (a float16 batch count may overflow).
        scale = 1.0 / max(self.input_meta[0][0][0], 1)
        grad_logits = grad_target = None
        if self.needs_input_grad[0]:
            grad_logits = self._logits_grad(logits, target, grad * scale)
        if self.needs_input_grad[1]:
            log_probs = (
                logits.log_softmax(axis=1)
                if isinstance(logits, Tensor)
                else _log_softmax(logits, 1)
            )
            grad_target = -log_probs * (grad * scale)
        return grad_logits, grad_target

    def _logits_grad(self, logits: Operand, target: Operand, scaled: Operand) -> Operand:
        if isinstance(logits, Tensor):  # create_graph: the same gradient, in recorded ops
            probs = logits.softmax(axis=1)
            if self.sparse:
                target = constant(np.eye(logits.shape[1], dtype=logits.dtype)[data(target)], scaled)
            else:
                probs = probs * target.sum(axis=1, keepdims=True)
            return (probs - target) * scaled
        (probs,) = self.saved_arrays
        grad_logits = probs.copy()  # small (batch x classes); keeps retain_graph exact
        if self.sparse:
            grad_logits[np.arange(logits.shape[0]), target] -= 1
        else:
            grad_logits *= target.sum(axis=1, keepdims=True)
            grad_logits -= target
        grad_logits *= scaled
        return grad_logits


def _batch_divisor(batch: int, dtype: np.dtype) -> np.floating:
    """The mean's divisor; over 0 samples the mean is NaN (0/0), as PyTorch gives, not -0.0."""
    return dtype.type(batch) if batch else dtype.type(np.nan)
