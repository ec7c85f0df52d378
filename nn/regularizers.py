"""Weight penalties, as Keras's ``keras.regularizers``: ``Dense(..., kernel_regularizer=l2(1e-3))``.

``fit`` adds every layer's penalty to the loss it minimises and reports (as Keras does);
``evaluate`` reports it too.

>>> import numpy as np
>>> from autograd import Tensor
>>> l2(0.01)(Tensor(np.array([[1.0, 2.0]]))).item()
0.05
"""

from __future__ import annotations

from typing import Any

from autograd import Tensor


class Regularizer:
    """``penalty = l1 * sum(|w|) + l2 * sum(w**2)`` (Keras's L1L2)."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        for name, value in (("l1", l1), ("l2", l2)):
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"regularizer: {name} must be a number >= 0, got {value!r}")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, weight: Tensor) -> Tensor:
        penalty = None
        if self.l1:
            penalty = weight.abs().sum() * self.l1
        if self.l2:
            term = (weight * weight).sum() * self.l2
            penalty = term if penalty is None else penalty + term
        return penalty if penalty is not None else (weight * 0.0).sum()

    def get_config(self) -> dict[str, float]:
        return {"l1": self.l1, "l2": self.l2}

    def __repr__(self) -> str:
        return f"L1L2(l1={self.l1}, l2={self.l2})"


def l1(l1: float = 0.01) -> Regularizer:  # noqa: E741 (Keras's name)
    return Regularizer(l1=l1)


def l2(l2: float = 0.01) -> Regularizer:
    return Regularizer(l2=l2)


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> Regularizer:
    return Regularizer(l1=l1, l2=l2)


L1, L2, L1L2 = l1, l2, l1_l2


def get(regularizer: Any) -> Regularizer | None:
    """None, a Regularizer, or a Keras name ('l1', 'l2', 'l1_l2') with Keras's default 0.01."""
    if regularizer is None or isinstance(regularizer, Regularizer):
        return regularizer
    names = {"l1": l1, "l2": l2, "l1_l2": l1_l2}
    if isinstance(regularizer, str) and regularizer in names:
        return names[regularizer]()
    raise ValueError(f"unknown regularizer {regularizer!r}; expected one of {sorted(names)}")
