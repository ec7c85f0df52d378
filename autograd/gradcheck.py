"""Check the engine's gradients against central finite differences, in float64.

>>> from autograd import Tensor, gradcheck
>>> gradcheck(lambda x: (x * x).tanh(), [Tensor([0.3, -1.2])])
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import graph_nodes
from .grad_mode import no_grad
from .gradients import grad
from .tensor import Tensor


class GradcheckError(AssertionError):
    """Raised when analytical and numerical gradients disagree."""


def gradcheck(
    function: Callable[..., Tensor],
    inputs: Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Compare ``d(v . f(inputs)) / d input`` from backward with central differences.

    Every floating input is copied to float64 and checked; ``v`` is a fixed random projection
    of the output, so one backward covers all of it. On failure a ``GradcheckError`` names the
    ops in ``f``'s graph, the input, its worst element and both values.
    """
    inputs = [_as_float64(value) for value in inputs]
    checked = [i for i, t in enumerate(inputs) if t.dtype.kind == "f"]
    for i in checked:
        inputs[i].requires_grad = True
    output = function(*inputs)
    if not isinstance(output, Tensor):
        raise TypeError(f"gradcheck: the function returned {type(output).__name__}, not a Tensor")
    if output.dtype != np.float64:
        raise GradcheckError(f"gradcheck: output is {output.dtype}, expected float64 throughout")
    ops = _op_names(output)
    projection = np.random.default_rng(seed).standard_normal(output.shape)
    if not output.requires_grad:
        raise GradcheckError(f"gradcheck: the output of {ops} does not require grad")
    analytical = grad(output, [inputs[i] for i in checked], grad_outputs=[projection],
                      allow_unused=True)  # fmt: skip
    for position, i in enumerate(checked):
        computed = analytical[position]
        computed = np.zeros(inputs[i].shape) if computed is None else computed.data
        numerical = _central_differences(function, inputs, i, projection, eps)
        error = np.abs(computed - numerical) - (atol + rtol * np.abs(numerical))
        if error.size and error.max() > 0:
            worst = np.unravel_index(int(np.argmax(error)), error.shape)
            raise GradcheckError(
                f"gradcheck failed for {ops}: input {i} (shape {inputs[i].shape}), worst element "
                f"{tuple(int(n) for n in worst)}: backward gave {computed[worst]:.6g}, "
                f"finite differences {numerical[worst]:.6g} (atol {atol}, rtol {rtol})"
            )
    return True


def _central_differences(
    function: Callable[..., Tensor],
    inputs: list[Tensor],
    i: int,
    projection: np.ndarray,
    eps: float,
) -> np.ndarray:
    """d(projection . f) / d input ``i``, element by element, from f(x + eps) - f(x - eps)."""

    def projected() -> float:
        with no_grad():
            return float(np.sum(function(*inputs).data * projection))

    numerical = np.zeros(inputs[i].shape)
    flat = inputs[i].data.reshape(-1)
    for k in range(flat.size):
        original = flat[k]
        flat[k] = original + eps
        plus = projected()
        flat[k] = original - eps
        minus = projected()
        flat[k] = original
        numerical.reshape(-1)[k] = (plus - minus) / (2 * eps)
    return numerical


def _as_float64(value: Any) -> Tensor:
    array = value.data if isinstance(value, Tensor) else np.asarray(value)
    if array.dtype.kind == "f":
        array = array.astype(np.float64)  # always a copy: the check perturbs it
    else:
        array = array.copy()
    return Tensor(array)


def _op_names(output: Tensor) -> str:
    if output.grad_fn is None:
        return "a leaf"
    names = [node.record.op for node in reversed(graph_nodes(output.grad_fn))]
    return "op " + names[0] if len(names) == 1 else "ops " + " -> ".join(names)
