"""RMSprop with Keras's semantics (the seed's optimizer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from .fused import flat, fusable, kernels
from .optimizer import Optimizer, guard_zero_root


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients.

    Keras's update, which this follows::

        velocity = rho * velocity + (1 - rho) * g**2          # velocity starts at 0
        w -= lr * g / sqrt(velocity + epsilon)                 # epsilon INSIDE the root

    PyTorch's ``torch.optim.RMSprop`` puts epsilon outside (``g / (sqrt(v) + eps)``) and
    calls rho ``alpha``; with eps 1e-7 the two differ only where velocity is tiny. With
    ``momentum`` m: ``buffer = m * buffer + step; w -= buffer``. With ``centered=True`` the
    mean gradient's square is subtracted from velocity inside the root.

    Arithmetic runs in the parameter's dtype (float16 included), in Keras's order, so nothing
    but the gradient's own square can overflow (then, as in Keras, that weight does not move).
    With ``epsilon=0`` a weight whose gradients have all been zero takes no step, where Keras
    and PyTorch compute 0/0 and write NaN into it; ``lr=0`` leaves every weight unchanged.
    ``fused=True`` runs the update as one compiled pass (numba; see ``optim.fused``).

    >>> import numpy as np
    >>> from autograd import Tensor
    >>> w = Tensor(np.array([1.0], np.float16), requires_grad=True)
    >>> w.grad = Tensor(np.array([0.5], np.float16))
    >>> RMSprop([w]).step()                       # Keras: 1 - 1e-3 * 0.5 / sqrt(0.025)
    >>> w.data
    array([0.997], dtype=float16)
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
        fused: bool | None = None,
    ) -> None:
        if not 0 <= rho < 1:
            raise ValueError(f"RMSprop: rho must be in [0, 1), got {rho}")
        if epsilon < 0 or momentum < 0:
            raise ValueError(f"RMSprop: epsilon {epsilon} and momentum {momentum} must be >= 0")
        defaults = dict(lr=lr, rho=rho, epsilon=epsilon, momentum=momentum, centered=centered,
                        learning_rate=learning_rate)  # fmt: skip
        super().__init__(params, defaults, fused)

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
        if self.fused and not group["centered"] and fusable(param, grad, velocity):
            self._update_fused(param, grad, state, group)
            return
        # velocity = rho * velocity + (1 - rho) * g^2, Keras's order: an overflowing g^2 makes
        # velocity inf (no step), where the form velocity += (1 - rho)(g^2 - velocity) gives
        # inf - inf = NaN from the second such step. Four passes, no temporaries.
        velocity *= rho
        np.multiply(grad, grad, out=scratch)
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
        if not epsilon:
            guard_zero_root(scratch)
        np.sqrt(scratch, out=scratch)
        np.divide(grad, scratch, out=scratch)
        # lr scales the finite quotient (at most 1/sqrt(1 - rho) uncentered), so it cannot
        # overflow. Folding lr into the root as 1/lr^2 (the same pass count) overflowed
        # float16 at lr 1e-3 and float32 once velocity passed ~3e32, leaving weights unchanged.
        scratch *= lr
        if group["momentum"]:
            buffer = state["momentum_buffer"]
            buffer *= group["momentum"]
            buffer += scratch
            param -= buffer
        else:
            param -= scratch

    def _update_fused(self, param, grad, state, group) -> None:
        """``update``'s arithmetic in one compiled pass (``optim.fused``)."""
        kind = param.dtype.type
        rho, epsilon = group["rho"], group["epsilon"]
        # The floor is guard_zero_root's: it only acts when epsilon is 0.
        floor = 0 if epsilon else np.finfo(param.dtype).smallest_subnormal
        scalars = (kind(group["lr"]), kind(rho), kind(1 - rho), kind(epsilon), kind(floor))
        arrays = flat(param), flat(grad), flat(state["velocity"])
        if group["momentum"]:
            buffer = flat(state["momentum_buffer"])
            kernels().rmsprop_momentum(*arrays, buffer, *scalars, kind(group["momentum"]))
        else:
            kernels().rmsprop(*arrays, *scalars)
