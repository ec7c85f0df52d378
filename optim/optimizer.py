"""Optimizer base: parameter groups, zero_grad, step, state_dict.

An optimizer may be made without parameters (Keras style, ``RMSprop(lr=1e-3)``) and bound to
them later with ``add_param_group`` (``Sequential.compile`` does this).

>>> from autograd import Tensor
>>> from optim import SGD
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> opt = SGD([w], lr=0.1)
>>> (w * w).sum().backward()
>>> opt.step()
>>> w.tolist()
[0.800000011920929, 1.600000023841858]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd import Tensor, increment_version, no_grad

from .fused import resolve


def guard_zero_root(denominator: np.ndarray) -> None:
    """Raise zeros in ``denominator`` to the dtype's smallest subnormal, in place.

    Used only when epsilon is 0: a zero root then belongs to a weight whose gradients were all
    zero, so its step is 0 / tiny = 0 rather than 0 / 0 = NaN (Keras and PyTorch give NaN). A
    positive root is never below the smallest subnormal, so no other entry changes.
    """
    np.maximum(denominator, np.finfo(denominator.dtype).smallest_subnormal, out=denominator)


class Optimizer:
    """Holds param groups (dicts of ``params`` and hyper-parameters) and per-parameter state.

    Subclasses implement ``update(param, grad, state, group)``: an in-place update on numpy
    arrays (with ``self.fused``, through ``optim.fused``'s compiled kernels where they
    apply); ``init_state`` makes the buffers it needs and ``begin_update`` does
    per-parameter bookkeeping (like Adam's step count) once per step.
    """

    defaults: dict[str, Any]

    def __init__(
        self, params: Iterable[Any] | None, defaults: dict[str, Any], fused: bool | None = False
    ) -> None:
        if "learning_rate" in defaults:  # Keras spelling
            learning_rate = defaults.pop("learning_rate")
            if learning_rate is not None:
                defaults["lr"] = learning_rate
        if defaults.get("lr") is None or defaults["lr"] < 0:
            raise ValueError(f"{type(self).__name__}: invalid learning rate {defaults.get('lr')}")
        self.defaults = defaults
        # Not a hyper-parameter (the weights do not depend on it), so not in defaults/groups.
        self.fused = resolve(fused, type(self).__name__)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.iterations = 0
        if params is not None:
            params = list(params)
            if params and isinstance(params[0], dict):
                for group in params:
                    self.add_param_group(group)
            else:
                self.add_param_group({"params": params})

    @property
    def lr(self) -> float:
        return self.param_groups[0]["lr"] if self.param_groups else self.defaults["lr"]

    learning_rate = lr

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add parameters with their own hyper-parameters (defaults fill the rest)."""
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty list of parameters")
        known = {id(p) for g in self.param_groups for p in g["params"]}
        for index, param in enumerate(params):
            if not isinstance(param, Tensor):
                raise TypeError(
                    f"{type(self).__name__}: parameter {index} is a {type(param).__name__}, "
                    "not a Tensor"
                )
            if not param.is_leaf or not param.requires_grad:
                raise ValueError(
                    f"{type(self).__name__}: parameter {index} (shape {param.shape}) must be a "
                    "leaf tensor that requires grad"
                )
            if id(param) in known:
                raise ValueError(f"{type(self).__name__}: parameter {index} appears twice")
        self.param_groups.append({**self.defaults, **group, "params": params})

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients before the next backward (they accumulate otherwise)."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none:
                    param.grad = None
                elif param.grad is not None:
                    param.grad.data.fill(0)

    @no_grad()
    def step(self) -> None:
        """Update every parameter that has a gradient, in place."""
        if not self.param_groups:
            raise RuntimeError(
                f"{type(self).__name__} has no parameters: pass them when creating it, or "
                "compile a model with it"
            )
        self.iterations += 1
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                grad = param.grad.data
                if grad.dtype != param.data.dtype:
                    grad = grad.astype(param.data.dtype)
                state = self.state.get(param)
                if state is None:
                    state = self.state[param] = self.init_state(param.data, group)
                self.begin_update(state, group)
                self.update(param.data, grad, state, group)
                increment_version(param)

    def init_state(self, param: np.ndarray, group: dict[str, Any]) -> dict[str, Any]:
        """Per-parameter state, made at the first step: every buffer ``update`` needs."""
        return {}

    def begin_update(self, state: dict[str, Any], group: dict[str, Any]) -> None:
        """Per-parameter bookkeeping once per step, before ``update``."""

    def update(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Hyper-parameters and state, with parameters referred to by position."""
        positions = {}
        groups = []
        for group in self.param_groups:
            indices = []
            for param in group["params"]:
                positions[param] = len(positions)
                indices.append(positions[param])
            groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": indices})
        state = {
            positions[param]: {k: (v.copy() if isinstance(v, np.ndarray) else v)
                               for k, v in buffers.items()}
            for param, buffers in self.state.items()
            if param in positions
        }  # fmt: skip
        return {"state": state, "param_groups": groups, "iterations": self.iterations}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyper-parameters and state; checks group sizes and buffer shapes first."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"{type(self).__name__}: state has {len(groups)} param groups, optimizer has "
                f"{len(self.param_groups)}"
            )
        params = [p for group in self.param_groups for p in group["params"]]
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{type(self).__name__}: a saved group has {len(saved['params'])} "
                    f"parameters, the optimizer's has {len(group['params'])}"
                )
        for index, buffers in state_dict["state"].items():
            for key, value in buffers.items():
                if isinstance(value, np.ndarray) and value.shape != params[int(index)].shape:
                    raise ValueError(
                        f"{type(self).__name__}: state {key!r} of parameter {index} has shape "
                        f"{value.shape}, the parameter {params[int(index)].shape}"
                    )
        for saved, group in zip(groups, self.param_groups):
            group.update({k: v for k, v in saved.items() if k != "params"})
        self.state = {
            params[int(index)]: {k: (v.copy() if isinstance(v, np.ndarray) else v)
                                 for k, v in buffers.items()}
            for index, buffers in state_dict["state"].items()
        }  # fmt: skip
        self.iterations = state_dict.get("iterations", 0)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in self.defaults.items())
        return f"{type(self).__name__}({settings})"
