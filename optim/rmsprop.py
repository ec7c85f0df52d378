"""RMSprop with Keras's semantics (the seed's optimizer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .optimizer import Optimizer


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients.

    Keras's update, which this follows::

        velocity = rho * velocity + (1 - rho) * g**2          # velocity starts at 0
        w -= lr * g / sqrt(velocity + epsilon)                 # epsilon INSIDE the root

    PyTorch's ``torch.optim.RMSprop`` puts epsilon outside (``g / (sqrt(v) + eps)``) and
    calls rho ``alpha``; with eps 1e-7 the two differ only where velocity is tiny. With
    ``momentum`` m: ``buffer = m * buffer + step; w -= buffer``. With ``centered=True`` the
    mean gradient's square is subtracted from velocity inside the root.
    """

    def __init__(
        self,
        params: Iterable[Any] | None = None,
        lr: float | None = 1e-3,
        rho: float = 0.9,
        epsilon: float = 1e-7,
        momentum: float = 0.0,
        centered: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        if not 0 <= rho < 1:
            raise ValueError(f"RMSprop: rho must be in [0, 1), got {rho}")
        if epsilon < 0 or momentum < 0:
            raise ValueError(f"RMSprop: epsilon {epsilon} and momentum {momentum} must be >= 0")
        defaults = dict(lr=lr, rho=rho, epsilon=epsilon, momentum=momentum, centered=centered,
                        learning_rate=learning_rate)  # fmt: skip
        super().__init__(params, defaults)

    def init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        state = {"velocity": np.zeros_like(param), "scratch": np.empty_like(param)}
        if group["centered"]:
            state["mean_grad"] = np.zeros_like(param)
        if group["momentum"]:
            state["momentum_buffer"] = np.zeros_like(param)
        return state

    def update(self, param, grad, state, group) -> None:
        lr, rho, epsilon = group["lr"], group["rho"], group["epsilon"]
        velocity, scratch = state["velocity"], state["scratch"]
        # velocity += (1 - rho) * (g^2 - velocity): three passes, no temporaries.
        np.multiply(grad, grad, out=scratch)
        scratch -= velocity
        scratch *= 1 - rho
        velocity += scratch
        if group["centered"]:
            mean_grad = state["mean_grad"]
            # mean_grad += (1 - rho) * (g - mean_grad), through scratch: no temporaries.
            np.subtract(grad, mean_grad, out=scratch)
            scratch *= 1 - rho
            mean_grad += scratch
            np.multiply(mean_grad, mean_grad, out=scratch)
            np.subtract(velocity, scratch, out=scratch)
            scratch += epsilon
        else:
            np.add(velocity, epsilon, out=scratch)
        # lr * g / sqrt(d) == g / sqrt(d / lr^2): folding lr into the root saves a pass.
        scratch *= 1 / (lr * lr) if lr else np.inf
        np.sqrt(scratch, out=scratch)
        np.divide(grad, scratch, out=scratch)
        if group["momentum"]:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += scratch
            param -= buffer
        else:
            param -= scratch
