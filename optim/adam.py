"""Adam with Keras's defaults and update."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .fused import flat, fusable, kernels
from .optimizer import Optimizer, guard_zero_root


class Adam(Optimizer):
    """Adaptive moments: running means of the gradient (m) and of its square (v).

    Keras's update, which this follows (t counts steps from 1)::

        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g**2
        w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)

    PyTorch's Adam is the same but for epsilon, which it adds to the bias-corrected root
    ``sqrt(v / (1 - beta_2**t))``; the two agree when epsilon is negligible. With
    ``epsilon=0`` a weight whose gradients have all been zero takes no step (Keras and PyTorch
    compute 0/0 = NaN there); ``lr=0`` leaves every weight unchanged.
    ``fused=True`` runs the update as one compiled pass (numba; see ``optim.fused``).
    """

    def __init__(
        self,
        params: Iterable[Any] | None = None,
        lr: float | None = 1e-3,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        learning_rate: float | None = None,
        fused: bool | None = None,
    ) -> None:
        for label, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= beta < 1:
                raise ValueError(f"Adam: {label} must be in [0, 1), got {beta}")
        defaults = dict(lr=lr, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                        learning_rate=learning_rate)  # fmt: skip
        super().__init__(params, defaults, fused)

    def init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        return {"step": 0, "m": np.zeros_like(param), "v": np.zeros_like(param),
                "scratch": np.empty_like(param)}  # fmt: skip

    def begin_update(self, state: dict[str, Any], group: dict[str, Any]) -> None:
        state["step"] += 1

    def update(self, param, grad, state, group) -> None:
        beta_1, beta_2 = group["beta_1"], group["beta_2"]
        t = state["step"]
        m, v, scratch = state["m"], state["v"], state["scratch"]
        # math.sqrt keeps a Python float, which numpy applies in float32; a numpy float64
        # scalar would run the in-place updates through float64.
        step_size = group["lr"] * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        if self.fused and fusable(param, grad, m, v):
            kind, epsilon = param.dtype.type, group["epsilon"]
            floor = 0 if epsilon else np.finfo(param.dtype).smallest_subnormal
            kernels().adam(flat(param), flat(grad), flat(m), flat(v), kind(step_size),
                           kind(beta_1), kind(1 - beta_1), kind(beta_2), kind(1 - beta_2),
                           kind(epsilon), kind(floor))  # fmt: skip
            return
        # m = b1 m + (1 - b1) g and v = b2 v + (1 - b2) g^2 (PyTorch's order for v): an
        # overflowing g^2 makes v inf and the step 0 (PyTorch and Keras 3 on torch agree),
        # where v += (1 - b2)(g^2 - v) turns the second such step into inf - inf = NaN.
        m *= beta_1
        np.multiply(grad, 1 - beta_1, out=scratch)
        m += scratch
        v *= beta_2
        np.multiply(grad, grad, out=scratch)
        scratch *= 1 - beta_2
        v += scratch
        np.sqrt(v, out=scratch)
        if group["epsilon"]:
            scratch += group["epsilon"]
        else:
            guard_zero_root(scratch)
        np.divide(m, scratch, out=scratch)
        scratch *= step_size
        param -= scratch
