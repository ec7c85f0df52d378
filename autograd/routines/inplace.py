"""In-place updates (``+=``, ``add_``, ``zero_`` ...): recorded in grad mode (the tensor's
history is rebased onto the op, as PyTorch does), an error on a leaf that requires grad, a
plain update under ``no_grad``. Each bumps the tensor's version, so a backward that saved the
old values raises instead of using the new ones.

>>> from autograd import Tensor
>>> t = Tensor([1.0, float("nan"), float("inf")])
>>> t.zero_().tolist()
[0.0, 0.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import ops
from ..grad_mode import switches
from ..tensor import Tensor, operands


def apply_in_place(tensor: Tensor, op: Any, other: Any, spelling: str, **params: Any) -> Tensor:
    """Write ``op(tensor, other)`` into ``tensor``'s array and return ``tensor``.

    Raises:
        RuntimeError: on a leaf that requires grad while grad mode records, and through a
            recorded view (``y[0]``, ``y.T``...), whose base's gradient would be wrong.
        TypeError: when the result's dtype cannot be cast to the tensor's (float into int).
        ValueError: when the result's shape differs from the tensor's.
    """
    if tensor.requires_grad and tensor.grad_fn is None and switches.grad_enabled:
        raise RuntimeError(
            f"{spelling}: a leaf tensor that requires grad (shape {tensor.shape}) cannot be "
            "modified in place while its operations are recorded; wrap the update in "
            "`with no_grad():` (as optimizers do) or use an out-of-place operation"
        )
    a, b = operands(tensor, other)
    recording = switches.grad_enabled and (a.requires_grad or b.requires_grad)
    if recording and _is_recorded_view(tensor):
        raise RuntimeError(
            f"{spelling}: in-place change through a view (shape {tensor.shape}, made by "
            f"{tensor.grad_fn.name}) of a tensor whose history is recorded: views here do not "
            "carry their base's history, so the base's gradient would silently be wrong; "
            "change the base itself, use an out-of-place op, or do it under `with no_grad():`"
        )
    if a is tensor and op.save_inputs and recording:
        # The op keeps its inputs for backward and the array is overwritten below: give it
        # the values from before the update (as PyTorch saves the original self).
        a = Tensor._make(tensor.data.copy(), tensor.requires_grad, tensor.grad_fn)
        b = a if other is tensor else b
    result = op.apply(a, b, **params)
    if result.shape != tensor.shape:
        raise ValueError(
            f"{spelling}: result of shape {result.shape} does not fit in place into a "
            f"tensor of shape {tensor.shape}"
        )
    if not np.can_cast(result.dtype, tensor.dtype, casting="same_kind"):
        raise TypeError(
            f"{spelling}: the result is {result.dtype} and cannot be written in place into a "
            f"{tensor.dtype} tensor (as PyTorch refuses); use an out-of-place operation, or "
            "astype first"
        )
    np.copyto(tensor.data, result.data, casting="same_kind")
    tensor._version += 1
    if result.requires_grad:
        tensor.grad_fn = result.grad_fn
        tensor._requires_grad = True
    return tensor


def _is_recorded_view(tensor: Tensor) -> bool:
    # PyTorch rebases the base's history onto the write (CopySlices); without that, an error
    # beats a silently wrong gradient. Writing into the base itself stays allowed.
    node = tensor.grad_fn
    return node is not None and type(node).returns_view and tensor.data.base is not None


def in_place_method(op: Any, spelling: str) -> Callable[[Tensor, Any], Tensor]:
    """The Tensor method ``spelling`` (``+=``, ``add_`` ...) that applies ``op`` in place."""
    return lambda tensor, other: apply_in_place(tensor, op, other, spelling)


def zero_(tensor: Tensor) -> Tensor:
    """Set every element to 0 in place, NaN and inf too (a product with 0 would keep NaN);
    recorded like the other in-place updates, with gradient 0 to the old values."""
    # where(False, tensor, False): the output is the other branch, so no arithmetic touches
    # NaN or inf; a weak False takes the tensor's dtype, whatever it is.
    return apply_in_place(tensor, ops.Where, False, "zero_", condition=np.zeros((), dtype=bool))
