"""The functional API: gradients returned, not accumulated: ``grad`` (PyTorch's
``torch.autograd.grad``) and the function transform ``value_and_grad`` (HIPS autograd, JAX).

Both run the same engine as ``Tensor.backward`` (``autograd.engine.run_backward``), asking it to
capture the gradients that reach the given inputs instead of storing them in ``.grad``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import _tensor, root_grads, run_backward, run_to_end
from .grad_mode import set_grad_enabled
from .tensor import Tensor

__all__ = ["grad", "value_and_grad"]


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated (PyTorch).

    >>> from autograd import Tensor, grad
    >>> x = Tensor(3.0, requires_grad=True)
    >>> (dx,) = grad(x**3, x, create_graph=True)
    >>> dx.item(), grad(dx, x)[0].item()
    (27.0, 18.0)
    """
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is not None and not isinstance(grad_outputs, (list, tuple)):
        grad_outputs = [grad_outputs]
    for index, tensor in enumerate(inputs):
        if not tensor.requires_grad:
            raise RuntimeError(f"input {index} (shape {tensor.shape}) does not require grad")
    retain = create_graph if retain_graph is None else retain_graph
    steps = run_backward(outputs, root_grads(outputs, grad_outputs), retain, create_graph,
                         targets=inputs)  # fmt: skip
    captured = run_to_end(steps)
    result = []
    for index, tensor in enumerate(inputs):
        found = captured.get(id(tensor.grad_fn if tensor.grad_fn is not None else tensor))
        if found is not None:
            found = _tensor(found)
        if found is None and not allow_unused:
            raise RuntimeError(
                f"input {index} (shape {tensor.shape}) was not used to compute the outputs; "
                "pass allow_unused=True to get None for it"
            )
        result.append(found)
    return tuple(result)


def value_and_grad(
    function: Callable[..., Tensor], argnums: int | Sequence[int] = 0, create_graph: bool = False
) -> Callable[..., tuple[Tensor, Any]]:
    """Turn ``f(*args) -> scalar`` into ``g(*args) -> (value, gradient)`` (HIPS/JAX style).

    Arguments at ``argnums`` may be arrays, numbers or Tensors; the gradient has the same
    structure as ``argnums`` (one Tensor, or a tuple of them).

    >>> from autograd import value_and_grad
    >>> value, slope = value_and_grad(lambda x: (x * x).sum())([1.0, 2.0])
    >>> value.item(), slope.tolist()
    (5.0, [2.0, 4.0])
    """
    single = isinstance(argnums, int)
    positions = (argnums,) if single else tuple(argnums)

    def wrapped(*args: Any, **kwargs: Any) -> tuple[Tensor, Any]:
        args = list(args)
        watched = []
        for position in positions:
            value = args[position]
            if isinstance(value, Tensor):
                tensor = value if value.requires_grad else value.detach().requires_grad_()
            else:
                tensor = Tensor(value, requires_grad=True)
            args[position] = tensor
            watched.append(tensor)
        with set_grad_enabled(True):
            output = function(*args, **kwargs)
        if not isinstance(output, Tensor) or output.size != 1:
            raise TypeError("value_and_grad: the function must return a one-element Tensor")
        grads = grad(output, watched, create_graph=create_graph, allow_unused=True)
        grads = tuple(
            g if g is not None else Tensor(np.zeros_like(t.data)) for g, t in zip(grads, watched)
        )
        value = output if create_graph else output.detach()
        return value, grads[0] if single else grads

    return wrapped
