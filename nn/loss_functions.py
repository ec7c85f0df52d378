"""PyTorch's loss functions (``torch.nn.functional``): input first, then target, and
``reduction='mean' | 'sum' | 'none'``. Semantics, divisors included, are PyTorch 2's; a target
that is a Tensor requiring grad gets its gradient wherever PyTorch gives one.

>>> import numpy as np
>>> from autograd import Tensor
>>> logits = Tensor([[2.0, 0.5, -1.0], [0.0, 0.0, 0.0]])
>>> round(cross_entropy(logits, np.array([0, 2])).item(), 4)
0.67
>>> cross_entropy(logits, np.array([0, 2]), reduction="none").shape
(2,)
>>> round(mse_loss(Tensor([1.0, 2.0]), np.array([1.0, 0.0]), reduction="sum").item(), 4)
4.0

Deliberate differences: a target whose shape differs from the input's is an error here
(PyTorch broadcasts ``mse_loss``/``l1_loss`` with a warning); class indices may be any integer
dtype (PyTorch wants int64); ``weight``/``pos_weight`` are constants (no gradient).
"""

# PyTorch names the first argument ``input``; keep its spelling so keyword calls work.
# ruff: noqa: A001, A002
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, softmax_cross_entropy
from autograd.ops import BinaryCrossEntropy, Softplus

REDUCTIONS = ("mean", "sum", "none")


# ---------------------------------------------------------------------- shared checks
def _input(loss: str, value: Any) -> Tensor:
    tensor = as_tensor(value)
    if tensor.dtype.kind != "f":
        raise TypeError(f"{loss}: input must be floating point, got dtype {tensor.dtype}")
    return tensor


def _check_reduction(loss: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"{loss}: reduction must be one of 'mean', 'sum', 'none', got {reduction!r}"
        )


def _float_target(loss: str, input: Tensor, target: Any) -> Tensor:
    """``target`` as a floating Tensor of the input's shape. A Tensor keeps its graph, so a
    target that requires grad receives its gradient."""
    if isinstance(target, Tensor):
        if target.dtype.kind != "f":
            target = target.astype(input.dtype)
    else:
        array = np.asarray(target)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{loss}: target must be numeric, got dtype {array.dtype}")
        target = as_tensor(array.astype(input.dtype, copy=False))
    if target.shape != input.shape:
        raise ValueError(
            f"{loss}: target of shape {target.shape} does not match input of shape "
            f"{input.shape}; they must be equal"
        )
    return target


def _constant(loss: str, what: str, value: Any, like: Tensor) -> np.ndarray:
    array = np.asarray(value.data if isinstance(value, Tensor) else value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{loss}: {what} must be numeric, got dtype {array.dtype}")
    return array.astype(like.dtype, copy=False)


def _reduce(elements: Tensor, reduction: str, divisor: float | None = None) -> Tensor:
    """'none': the elements; 'sum': their sum; 'mean': the sum over ``divisor`` (default the
    element count). A divisor of 0 (an empty batch, every target ignored) gives nan, as
    PyTorch's 0 / 0 does, with a zero gradient, as PyTorch's."""
    if reduction == "none":
        return elements
    total = elements.sum()
    if reduction == "sum":
        return total
    count = elements.size if divisor is None else divisor
    if count == 0:
        return total * 0.0 + math.nan
    return total / float(count)


# ---------------------------------------------------------------------- regression
def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Squared error ``(input - target) ** 2``, reduced (PyTorch ``F.mse_loss``).

    Shapes: input and target equal, any shape. Raises ``ValueError`` on a shape mismatch or an
    unknown reduction.

    >>> mse_loss(Tensor([1.0, 3.0]), np.array([0.0, 1.0])).item()
    2.5
    """
    _check_reduction("mse_loss", reduction)
    input = _input("mse_loss", input)
    difference = input - _float_target("mse_loss", input, target)
    return _reduce(difference * difference, reduction)


def l1_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Absolute error ``|input - target|``, reduced (PyTorch ``F.l1_loss``; gradient 0 where
    they are equal).

    >>> l1_loss(Tensor([1.0, 3.0]), np.array([0.0, 1.0]), reduction="sum").item()
    3.0
    """
    _check_reduction("l1_loss", reduction)
    input = _input("l1_loss", input)
    return _reduce((input - _float_target("l1_loss", input, target)).abs(), reduction)


# ---------------------------------------------------------------------- binary
def binary_cross_entropy(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean"
) -> Tensor:
    """``-w (t log p + (1 - t) log(1 - p))`` on probabilities ``p`` in [0, 1], each log clamped
    at -100 as PyTorch does (``F.binary_cross_entropy``); ``weight`` broadcasts to the input.

    Raises ``ValueError`` if a probability lies outside [0, 1] or the shapes differ.

    >>> round(binary_cross_entropy(Tensor([0.9, 0.2]), np.array([1.0, 0.0])).item(), 4)
    0.1643
    """
    loss = "binary_cross_entropy"
    _check_reduction(loss, reduction)
    input = _input(loss, input)
    target = _float_target(loss, input, target)
    if input.size and not (0 <= input.data.min() and input.data.max() <= 1):
        raise ValueError(
            f"{loss}: input must hold probabilities in [0, 1], got values from "
            f"{input.data.min()} to {input.data.max()}; use binary_cross_entropy_with_logits "
            "for raw scores"
        )
    elements = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        elements = elements * _constant(loss, "weight", weight, input)
    return _reduce(elements, reduction)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, weight: Any = None, reduction: str = "mean", pos_weight: Any = None
) -> Tensor:
    """Binary cross-entropy of ``sigmoid(input)`` in the stable form
    ``(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x)`` (PyTorch's
    ``F.binary_cross_entropy_with_logits``); finite for logits of any size.

    >>> round(binary_cross_entropy_with_logits(Tensor([1e3, -1e3]), np.array([1.0, 1.0])).item())
    500
    """
    loss = "binary_cross_entropy_with_logits"
    _check_reduction(loss, reduction)
    input = _input(loss, input)
    target = _float_target(loss, input, target)
    softplus_of_minus = Softplus.apply(-input, beta=1.0, threshold=math.inf)
    if pos_weight is not None:
        pos_weight = _constant(loss, "pos_weight", pos_weight, input)
        softplus_of_minus = softplus_of_minus * ((pos_weight - 1) * target + 1)
    elements = (1 - target) * input + softplus_of_minus
    if weight is not None:
        elements = elements * _constant(loss, "weight", weight, input)
    return _reduce(elements, reduction)


# ---------------------------------------------------------------------- classification
def _class_indices(loss: str, input: Tensor, target: Any) -> np.ndarray:
    """Integer class indices of shape (N, d1, ...) for an input of shape (N, C, d1, ...)."""
    labels = np.asarray(target.data if isinstance(target, Tensor) else target)
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{loss}: class-index targets must be integers, got dtype {labels.dtype} (shape "
            f"{labels.shape}) for input of shape {input.shape}"
        )
    expected = input.shape[:1] + input.shape[2:]
    if labels.shape != expected:
        raise ValueError(
            f"{loss}: target of shape {labels.shape} does not fit input of shape {input.shape}"
            f" (expected class indices of shape {expected})"
        )
    return labels


def _check_classes(loss: str, labels: np.ndarray, classes: int, ignore_index: int) -> None:
    """Out-of-range classes are an error, as in PyTorch (ignore_index aside)."""
    if not labels.size:
        return
    low, high = labels.min(), labels.max()
    if low >= 0 and high < classes:  # the common case: one pass each, no mask
        return
    chosen = labels[labels != ignore_index]
    if chosen.size and (chosen.min() < 0 or chosen.max() >= classes):
        raise IndexError(
            f"{loss}: class indices must lie in [0, {classes}) (or equal ignore_index="
            f"{ignore_index}), got values from {chosen.min()} to {chosen.max()}"
        )


def _class_weights(
    loss: str, input: Tensor, labels: np.ndarray, weight: Any, ignore_index: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indices safe to gather with, each target's weight (0 where ignored), the mask of the
    targets that count)."""
    classes = input.shape[1]
    _check_classes(loss, labels, classes, ignore_index)
    counted = labels != ignore_index
    safe = np.where(counted, labels, 0)
    if weight is None:
        return safe, counted.astype(input.dtype), counted
    weight = _constant(loss, "weight", weight, input)
    if weight.shape != (classes,):
        raise ValueError(
            f"{loss}: weight must have shape ({classes},) (one per class), got {weight.shape}"
        )
    return safe, weight[safe] * counted, counted


def _classes_last(input: Tensor) -> Tensor:
    """(N, C, d1, ...) -> (N * d1 * ..., C), so each row is one prediction."""
    if input.ndim > 2:
        input = input.transpose((0, *range(2, input.ndim), 1))
    return input.reshape(-1, input.shape[-1])


def _weight_along_classes(weight: np.ndarray, ndim: int) -> np.ndarray:
    return weight.reshape((1, -1) + (1,) * (ndim - 2))


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood ``-w[y] input[n, y]`` of log-probabilities (PyTorch's
    ``F.nll_loss``).

    Shapes: input (N, C), (N, C, d1, ...) or unbatched (C,), target integer (N,), (N, d1, ...)
    or 0-d; ``weight`` (C,). The mean divides by the summed weight of the targets that are
    not ``ignore_index`` (nan when there are none, as in PyTorch).

    >>> logp = Tensor(np.log([[0.5, 0.5], [0.9, 0.1]]))
    >>> round(nll_loss(logp, np.array([0, 1]), weight=np.array([1.0, 3.0])).item(), 4)
    1.9002
    """
    loss = "nll_loss"
    _check_reduction(loss, reduction)
    input = _input(loss, input)
    if input.ndim == 1:  # unbatched (C,) with a 0-d target, as PyTorch and cross_entropy take
        labels = np.asarray(target.data if isinstance(target, Tensor) else target)
        options = dict(ignore_index=ignore_index, reduction=reduction)
        result = nll_loss(input.reshape(1, -1), labels.reshape(1, *labels.shape), weight, **options)
        return result.reshape(()) if reduction == "none" else result
    if input.ndim < 2:
        raise ValueError(f"{loss}: input must be (N, C) or (N, C, d1, ...), got {input.shape}")
    labels = _class_indices(loss, input, target)
    safe, weights, _ = _class_weights(loss, input, labels, weight, ignore_index)
    picked = _classes_last(input)[np.arange(labels.size), safe.reshape(-1)]
    elements = (-picked * weights.reshape(-1)).reshape(labels.shape)
    return _reduce(elements, reduction, divisor=float(weights.sum(dtype=np.float64)))


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    *,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross-entropy of ``softmax(input)`` over axis 1 (PyTorch's ``F.cross_entropy``), in the
    stable log-softmax form.

    Shapes: input (N, C), (N, C, d1, ...) or unbatched (C,). ``target`` is either integer class
    indices (N,) / (N, d1, ...) -- with ``weight`` (C,), ``ignore_index`` and
    ``label_smoothing`` mixing in the uniform distribution -- or class probabilities of the
    input's shape (rows need not sum to 1; a Tensor target that requires grad gets its
    gradient). Means follow PyTorch: over the summed weights of counted targets for indices,
    over the N * d1 * ... rows for probabilities; nan for an empty batch.

    >>> logits, label = Tensor([[1.0, 2.0, 3.0]]), np.array([2])
    >>> round(cross_entropy(logits, label, label_smoothing=0.3).item(), 4)
    0.7076
    """
    loss = "cross_entropy"
    _check_reduction(loss, reduction)
    input = _input(loss, input)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{loss}: label_smoothing must be in [0, 1], got {label_smoothing}")
    if input.ndim == 0:
        raise ValueError(f"{loss}: input must have a class axis, got a 0-d tensor")
    options = dict(ignore_index=ignore_index, reduction=reduction, label_smoothing=label_smoothing)
    if input.ndim == 1:  # unbatched (C,): a batch of one, squeezed back
        target = target if isinstance(target, Tensor) else np.asarray(target)
        target = target.reshape((1, *target.shape))
        result = cross_entropy(input.reshape(1, -1), target, weight, **options)
        return result.reshape(()) if reduction == "none" else result
    # Floats are probabilities; so are integer one-hot rows of the input's own rank (an
    # extension: PyTorch refuses them), which class indices, one axis fewer, can never be.
    kind_and_rank = target if isinstance(target, Tensor) else np.asarray(target)
    probabilities = kind_and_rank.dtype.kind == "f" or kind_and_rank.ndim == input.ndim
    if probabilities and kind_and_rank.ndim == input.ndim - 1:  # float labels, not rows
        raise TypeError(
            f"{loss}: class-index targets must be integers, got dtype {kind_and_rank.dtype} "
            f"of shape {kind_and_rank.shape} (cast with .astype(np.int64)); floating targets "
            f"are class probabilities of the input's shape {input.shape}"
        )
    if probabilities:
        return _cross_entropy_probabilities(input, target, weight, reduction, label_smoothing)
    return _cross_entropy_indices(input, target, weight, **options)


def _cross_entropy_indices(
    input: Tensor,
    target: Any,
    weight: Any,
    ignore_index: int,
    reduction: str,
    label_smoothing: float,
) -> Tensor:
    loss = "cross_entropy"
    labels = _class_indices(loss, input, target)
    _check_classes(loss, labels, input.shape[1], ignore_index)
    fused = input.ndim == 2 and weight is None and label_smoothing == 0 and reduction == "mean"
    if fused and labels.size and not (labels == ignore_index).any():
        return softmax_cross_entropy(input, labels)  # one op: the define-by-run training step
    log_probs = input.log_softmax(axis=1)
    nll = nll_loss(log_probs, labels, weight, ignore_index=ignore_index, reduction=reduction)
    if label_smoothing == 0:
        return nll
    # PyTorch: (1 - eps) nll + eps / C * sum over classes of -w_c log p_c, same divisor.
    _, weights, counted = _class_weights(loss, input, labels, weight, ignore_index)
    if weight is not None:
        weight = _constant(loss, "weight", weight, input)
        log_probs = log_probs * _weight_along_classes(weight, input.ndim)
    uniform = -log_probs.sum(axis=1) * counted.astype(input.dtype)
    uniform = _reduce(uniform, reduction, divisor=float(weights.sum(dtype=np.float64)))
    return nll * (1 - label_smoothing) + uniform * (label_smoothing / input.shape[1])


def _cross_entropy_probabilities(
    input: Tensor, target: Any, weight: Any, reduction: str, label_smoothing: float
) -> Tensor:
    loss = "cross_entropy"
    target = _float_target(loss, input, target)
    classes = input.shape[1]
    fused = input.ndim == 2 and weight is None and label_smoothing == 0 and reduction == "mean"
    if fused and input.shape[0]:
        return softmax_cross_entropy(input, target)
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    products = input.log_softmax(axis=1) * target
    if weight is not None:
        weight = _constant(loss, "weight", weight, input)
        if weight.shape != (classes,):
            raise ValueError(f"{loss}: weight must have shape ({classes},), got {weight.shape}")
        products = products * _weight_along_classes(weight, input.ndim)
    return _reduce(-products.sum(axis=1), reduction)
