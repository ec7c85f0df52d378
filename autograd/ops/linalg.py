"""Matrix products. Each is its own op: building them from broadcast-multiply-then-sum would
materialise a batch x in x out array on numpy."""

from __future__ import annotations

import numpy as np

from ..function import Function
from .either import Operand, permute, run


class MatMul(Function):
    """a @ b with numpy's rules: 1-D operands are promoted, leading (batch) axes broadcast."""

    name = "matmul"
    save_inputs = True
    grad_reads = {0: (1,), 1: (0,)}  # d(a@b)/da reads b, d(a@b)/db reads a

    def forward(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(
                "matmul: operands must have at least one dimension (use * for scalars)"
            )
        inner_a, inner_b = a.shape[-1], b.shape[-2] if b.ndim > 1 else b.shape[0]
        if inner_a != inner_b:
            raise ValueError(
                f"matmul: shapes {a.shape} and {b.shape} do not align ({inner_a} != {inner_b})"
            )
        return np.matmul(a, b)

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs  # None where no needed gradient reads it
        need_a, need_b = self.needs_input_grad
        (shape_a, _, _), (shape_b, _, _) = self.input_meta
        if len(shape_a) == 1 and len(shape_b) == 1:  # a dot product: a scalar output
            return (grad * b if need_a else None, grad * a if need_b else None)
        if len(shape_a) == 1:  # (k,) @ (..., k, n) -> (..., n): a as a (1, k) row
            grad = grad.reshape(grad.shape[:-1] + (1, grad.shape[-1]))
            grad_a = (
                (grad @ b.swapaxes(-1, -2)).reshape(grad.shape[:-2] + shape_a) if need_a else None
            )
            return (grad_a, a.reshape(-1, 1) @ grad if need_b else None)
        if len(shape_b) == 1:  # (..., m, k) @ (k,) -> (..., m): b as a (k, 1) column
            grad = grad.reshape(grad.shape + (1,))
            grad_b = (
                (a.swapaxes(-1, -2) @ grad).reshape(grad.shape[:-2] + shape_b) if need_b else None
            )
            return (grad @ b.reshape(1, -1) if need_a else None, grad_b)
        return (
            grad @ b.swapaxes(-1, -2) if need_a else None,
            a.swapaxes(-1, -2) @ grad if need_b else None,
        )


class Linear(Function):
    """x @ weight + bias in one op (weight is (in, out), as Keras's kernel), for Dense/Linear.

    Fused so the bias is added in place and no input gradient is computed for the first layer.
    """

    name = "linear"
    save_inputs = True
    grad_reads = {0: (1,), 1: (0,), 2: ()}  # dx reads the weight, dW reads x, db reads neither
    broadcasts = (2,)  # the bias is added to every row

    def forward(
        self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None
    ) -> np.ndarray:
        if x.shape[-1] != weight.shape[0]:
            raise ValueError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape} "
                f"({x.shape[-1]} != {weight.shape[0]})"
            )
        out = np.matmul(x, weight)
        if bias is not None:
            out += bias
        return out

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        x, weight, *_ = self.saved_inputs  # None where no needed gradient reads it
        needs = self.needs_input_grad
        grad_x = grad @ weight.T if needs[0] else None
        if grad.ndim != 2:  # a batch of sequences: fold the leading axes into one
            grad = grad.reshape(-1, grad.shape[-1])
            x = x.reshape(-1, x.shape[-1]) if needs[1] else None
        grad_w = x.T @ grad if needs[1] else None
        if len(needs) == 2:
            return grad_x, grad_w
        # Summed over the batch here, in the bias's own shape: one reduction, where the
        # engine's general unbroadcast would take two ops.
        bias_shape = self.input_meta[2][0]
        grad_b = grad.sum(axis=0).reshape(bias_shape) if needs[2] else None
        return grad_x, grad_w, grad_b


class TensorDot(Function):
    """Sum of products over the paired axes ``axes = (axes_of_a, axes_of_b)`` (numpy.tensordot)."""

    name = "tensordot"
    save_inputs = True
    grad_reads = {0: (1,), 1: (0,)}

    def forward(
        self, a: np.ndarray, b: np.ndarray, axes: tuple[tuple[int, ...], ...]
    ) -> np.ndarray:
        axes_a, axes_b = axes
        self.axes_a = tuple(axis % a.ndim for axis in axes_a)
        self.axes_b = tuple(axis % b.ndim for axis in axes_b)
        for axis_a, axis_b in zip(self.axes_a, self.axes_b):
            if a.shape[axis_a] != b.shape[axis_b]:
                raise ValueError(
                    f"tensordot: shapes {a.shape} and {b.shape} do not align on axes "
                    f"{axis_a} and {axis_b} ({a.shape[axis_a]} != {b.shape[axis_b]})"
                )
        return np.tensordot(a, b, axes=(self.axes_a, self.axes_b))

    def backward(self, grad: Operand) -> tuple[Operand | None, ...]:
        a, b = self.saved_inputs  # None where no needed gradient reads it
        ndim_a, ndim_b = len(self.input_meta[0][0]), len(self.input_meta[1][0])
        free_a = [i for i in range(ndim_a) if i not in self.axes_a]
        free_b = [i for i in range(ndim_b) if i not in self.axes_b]
        b_to_a = dict(zip(self.axes_b, self.axes_a))
        a_to_b = dict(zip(self.axes_a, self.axes_b))
        grad_a = grad_b = None
        if self.needs_input_grad[0]:
            # Contracting grad's trailing (b-free) axes with b leaves a's free axes, then a's
            # contracted axes in the order of b's remaining axes.
            out_axes_b = tuple(range(len(free_a), grad.ndim))
            partial = run(TensorDot, grad, b, axes=(out_axes_b, tuple(free_b)))
            order = free_a + [b_to_a[axis] for axis in sorted(self.axes_b)]
            grad_a = permute(partial, tuple(np.argsort(order)))
        if self.needs_input_grad[1]:
            out_axes_a = tuple(range(len(free_a)))
            partial = run(TensorDot, a, grad, axes=(tuple(free_a), out_axes_a))
            order = [a_to_b[axis] for axis in sorted(self.axes_a)] + free_b
            grad_b = permute(partial, tuple(np.argsort(order)))
        return grad_a, grad_b
