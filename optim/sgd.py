"""Stochastic gradient descent, with momentum and Nesterov momentum."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .fused import flat, fusable, kernels
from .optimizer import Optimizer


class SGD(Optimizer):
    """``w -= lr * g``; with momentum, a velocity remembers past steps.

    With ``momentum`` m, the buffer is ``b = m b + g`` and ``w -= lr b`` (PyTorch's form; Keras's
    ``v = m v - lr g; w += v`` is the same with v = -lr b). With ``nesterov=True`` the step looks
    ahead: ``w -= lr (g + m b)``, which is the notes' update
    ``velocity = m * velocity - lr * g; w = w + m * velocity - lr * g``. (The notes print
    ``+ learning_rate * gradient`` in the velocity line: a sign slip, since the velocity must point
    downhill.) ``weight_decay`` adds ``weight_decay * w`` to the gradient.
    ``fused=True`` runs the update as one compiled pass (numba; see ``optim.fused``).
    """

    def __init__(
        self,
        params: Iterable[Any] | None = None,
        lr: float | None = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        learning_rate: float | None = None,
        fused: bool | None = None,
    ) -> None:
        if momentum < 0 or weight_decay < 0:
            raise ValueError(
                f"SGD: momentum {momentum} and weight_decay {weight_decay} must be >= 0"
            )
        if nesterov and momentum <= 0:
            raise ValueError("SGD: nesterov=True needs a positive momentum")
        defaults = dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay,
                        learning_rate=learning_rate)  # fmt: skip
        super().__init__(params, defaults, fused)

    def init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        state = {"scratch": np.empty_like(param)}
        if group["momentum"]:
            # Zeros, so the first step's buffer is the gradient itself (as in PyTorch).
            state["momentum_buffer"] = np.zeros_like(param)
        return state

    def update(self, param, grad, state, group) -> None:
        lr, momentum, decay = group["lr"], group["momentum"], group["weight_decay"]
        scratch = state["scratch"]
        if self.fused and momentum and not decay and fusable(param, grad, state["momentum_buffer"]):
            kind = param.dtype.type
            kernels().sgd_momentum(flat(param), flat(grad), flat(state["momentum_buffer"]),
                                   kind(lr), kind(momentum), bool(group["nesterov"]))  # fmt: skip
            return
        if decay:
            np.multiply(param, decay, out=scratch)
            scratch += grad
            grad = scratch
        if momentum:
            buffer = state["momentum_buffer"]
            buffer *= momentum
            buffer += grad
            if group["nesterov"]:
                if grad is scratch:
                    scratch += momentum * buffer
                else:
                    np.multiply(buffer, momentum, out=scratch)
                    scratch += grad
                grad = scratch
            else:
                grad = buffer
        np.multiply(grad, lr, out=scratch)
        param -= scratch
