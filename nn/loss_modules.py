"""PyTorch's loss modules: ``criterion = nn.CrossEntropyLoss(); loss = criterion(logits, y)``.
Each keeps its options and calls the function of the same name in ``nn/loss_functions.py``.

>>> import numpy as np
>>> import nn
>>> from autograd import Tensor
>>> criterion = nn.CrossEntropyLoss(reduction="sum")
>>> round(criterion(Tensor([[0.0, 0.0]]), np.array([1])).item(), 4)
0.6931

Options after ``weight`` are keyword-only: PyTorch's deprecated positional ``size_average`` and
``reduce`` are not accepted, so a positional argument can never land on the wrong option.
"""

# PyTorch names the first argument ``input``; keep its spelling so keyword calls work.
# ruff: noqa: A002
from __future__ import annotations

from typing import Any

from autograd import Tensor

from . import loss_functions as L
from .module import Module


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        L._check_reduction(type(self).__name__, reduction)
        super().__init__()
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error (``F.mse_loss``)."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error (``F.l1_loss``)."""

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.l1_loss(input, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross-entropy on probabilities (``F.binary_cross_entropy``)."""

    def __init__(self, weight: Any = None, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = weight

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy on logits, stable (``F.binary_cross_entropy_with_logits``)."""

    def __init__(
        self, weight: Any = None, *, reduction: str = "mean", pos_weight: Any = None
    ) -> None:
        super().__init__(reduction)
        self.weight, self.pos_weight = weight, pos_weight

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (``F.nll_loss``)."""

    def __init__(
        self, weight: Any = None, *, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index = weight, ignore_index

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy of logits (``F.cross_entropy``): class indices or probabilities,
    ``weight``, ``ignore_index``, ``label_smoothing``."""

    def __init__(
        self,
        weight: Any = None,
        *,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        self.weight, self.ignore_index = weight, ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Any, target: Any) -> Tensor:
        return L.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )
