"""Tensor: a numpy array that remembers how it was made, so gradients can flow back to it.

>>> from autograd import Tensor
>>> w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, name="w")
>>> loss = (w * w).sum()
>>> loss.backward()
>>> w.grad
Tensor([[2., 4.],
        [6., 8.]], dtype=float32)

The class is thin on purpose: each method hands its work to an op (``autograd/ops/``), which
holds the forward and the backward side by side.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .grad_mode import switches

DEFAULT_FLOAT = np.dtype(np.float32)


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """Lists and Python scalars become float32; numpy arrays keep their dtype (no copy)."""
    if isinstance(data, Tensor):
        data = data.data
    if isinstance(data, np.ndarray):
        return data if dtype is None or data.dtype == dtype else data.astype(dtype)
    if isinstance(data, np.generic):
        return np.asarray(data, dtype=dtype)
    return np.asarray(data, dtype=DEFAULT_FLOAT if dtype is None else dtype)


class Tensor:
    """An n-dimensional array (``.data``) with gradient tracking.

    Args:
        data: array-like; Python lists and numbers become float32, numpy arrays keep their dtype
            and are not copied. (``autograd.tensor(data)`` infers as ``torch.tensor`` does.)
        requires_grad: record operations on it so ``backward`` can fill ``.grad``.
        dtype: convert to this dtype first.
        name: label shown in graph pictures.
    """

    __slots__ = ("data", "grad", "_requires_grad", "grad_fn", "_name", "_counter", "_hooks",
                 "_retains_grad", "_softmax_logits", "__weakref__")  # fmt: skip
    # Make numpy hand mixed expressions (ndarray + Tensor) over to Tensor's reflected operators.
    __array_ufunc__ = None

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        self.data = _to_array(data, dtype)
        self.grad: Tensor | None = None
        self.grad_fn = None
        self._name = name
        # Sharing the array of another Tensor makes this an alias of it: one version counter.
        shares = isinstance(data, Tensor) and self.data is data.data
        self._counter = data._shared_counter() if shares else None
        self._hooks: list[Callable[[Tensor], Tensor | None]] | None = None
        self._retains_grad = False
        self._requires_grad = False
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _make(cls, data: np.ndarray, requires_grad: bool, grad_fn: Any) -> Tensor:
        """Fast constructor used by ops: no conversion, no checks."""
        tensor = object.__new__(cls)
        tensor.data = data
        tensor.grad = None
        tensor._requires_grad = requires_grad
        tensor.grad_fn = grad_fn
        tensor._name = None
        tensor._counter = None
        tensor._hooks = None
        tensor._retains_grad = False
        return tensor

    @property
    def name(self) -> str | None:
        """Label shown in graph pictures (also kept by the node that made this tensor)."""
        return self._name

    @name.setter
    def name(self, value: str | None) -> None:
        self._name = value
        if self.grad_fn is not None:
            self.grad_fn.output_name = value

    # ------------------------------------------------------------------ in-place versions
    # In-place changes bump a version that saved tensors are checked against. Views of one
    # array (detach, reshape, transpose, basic slicing) share one counter, so a change made
    # through any of them is seen through all. The counter is made only when first needed.
    @property
    def _version(self) -> int:
        counter = self._counter
        return 0 if counter is None else counter[0]

    @_version.setter
    def _version(self, value: int) -> None:
        if self._counter is None:
            self._counter = [value]
        else:
            self._counter[0] = value

    def _shared_counter(self) -> list[int]:
        if self._counter is None:
            self._counter = [0]
        return self._counter

    # ------------------------------------------------------------------ gradient bookkeeping
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if value and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating-point tensors can require gradients (got dtype {self.dtype}); "
                "convert with .astype('float32') first"
            )
        if not value and self.grad_fn is not None:
            raise RuntimeError(
                "requires_grad can only be switched off on a leaf tensor; use .detach() instead"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self (PyTorch spelling)."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user, not by a recorded op."""
        return self.grad_fn is None

    def detach(self) -> Tensor:
        """The same data (shared, not copied, with the same version counter), cut from the
        graph."""
        alias = Tensor._make(self.data, False, None)
        alias._counter = self._shared_counter()
        return alias

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (same as ``t.grad = None``)."""
        self.grad = None

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        if not isinstance(self.grad_fn._retained, list):
            self.grad_fn._retained = []
        self.grad_fn._retained.append(weakref.ref(self))

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Callable[[], None]:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned Tensor
        replaces the gradient. Returns a function that removes the hook.

        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> remove = x.register_hook(lambda g: g * 10)
        >>> (x * 3).sum().backward()
        >>> x.grad
        Tensor([30., 30.], dtype=float32)
        """
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that does not require grad")
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            if not isinstance(self.grad_fn._hooks, list):
                self.grad_fn._hooks = []
            hooks = self.grad_fn._hooks
        hooks.append(hook)

        def remove() -> None:
            if hook in hooks:
                hooks.remove(hook)

        return remove

    def backward(
        self, grad: Any = None, retain_graph: bool = False, create_graph: bool = False
    ) -> None:
        """Fill ``.grad`` of every leaf this tensor depends on (reverse-mode chain rule).

        Gradients accumulate into ``.grad`` across calls until they are reset (``grad = None``
        or an optimizer's ``zero_grad()``), as in PyTorch.
        """
        engine.backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    # ------------------------------------------------------------------ numpy-like surface
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def size(self) -> int:
        return self.data.size

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> float | int | bool:
        if self.data.size != 1:
            raise ValueError(f"item(): only a one-element tensor converts, got shape {self.shape}")
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous"
            )
        return bool(self.data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        parts = [f"Tensor({body}", f"dtype={self.dtype}"]
        if self.name:
            parts.append(f"name={self.name!r}")
        if self.grad_fn is not None:
            parts.append(f"grad_fn={self.grad_fn!r}")
        elif self.requires_grad:
            parts.append("requires_grad=True")
        return ", ".join(parts) + ")"

    def astype(self, dtype: Any) -> Tensor:
        """Convert to ``dtype``; the gradient is converted back."""
        dtype = np.dtype(dtype)
        return self if dtype == self.dtype else ops.Cast.apply(self, dtype=dtype)

    def float(self) -> Tensor:
        return self.astype(np.float32)

    def double(self) -> Tensor:
        return self.astype(np.float64)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other: Any) -> Tensor:
        return ops.Add.apply(self, _operand(other, self))

    def __radd__(self, other: Any) -> Tensor:
        return ops.Add.apply(_operand(other, self), self)

    def __sub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(self, _operand(other, self))

    def __rsub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(_operand(other, self), self)

    def __mul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(self, _operand(other, self))

    def __rmul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(_operand(other, self), self)

    def __truediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(self, _operand(other, self))

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(_operand(other, self), self)

    def __pow__(self, other: Any) -> Tensor:
        return ops.Pow.apply(self, _operand(other, self))

    def __rpow__(self, other: Any) -> Tensor:
        return ops.Pow.apply(_operand(other, self), self)

    def __neg__(self) -> Tensor:
        return ops.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __matmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(self, _operand(other, self))

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(_operand(other, self), self)

    def matmul(self, other: Any) -> Tensor:
        return self @ other

    def dot(self, other: Any) -> Tensor:
        """numpy.dot semantics: matmul up to 2-D, else a sum over self's last axis and
        other's second-to-last."""
        other = _operand(other, self)
        if self.ndim <= 2 and other.ndim <= 2:
            return ops.MatMul.apply(self, other)
        return ops.TensorDot.apply(self, other, axes=((self.ndim - 1,), (max(other.ndim - 2, 0),)))

    # In-place arithmetic: recorded in grad mode (the tensor's history is rebased onto the op,
    # as PyTorch does), an error on a leaf that requires grad, a plain update under no_grad.
    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(ops.Add, other, "+=")

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(ops.Sub, other, "-=")

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(ops.Mul, other, "*=")

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(ops.Div, other, "/=")

    def add_(self, other: Any) -> Tensor:
        return self._inplace(ops.Add, other, "add_")

    def sub_(self, other: Any) -> Tensor:
        return self._inplace(ops.Sub, other, "sub_")

    def mul_(self, other: Any) -> Tensor:
        return self._inplace(ops.Mul, other, "mul_")

    def div_(self, other: Any) -> Tensor:
        return self._inplace(ops.Div, other, "div_")

    def zero_(self) -> Tensor:
        return self._inplace(ops.Mul, 0.0, "zero_")

    def _inplace(self, op: Any, other: Any, spelling: str) -> Tensor:
        if self.requires_grad and self.grad_fn is None and switches.grad_enabled:
            raise RuntimeError(
                f"{spelling}: a leaf tensor that requires grad (shape {self.shape}) cannot be "
                "modified in place while its operations are recorded; wrap the update in "
                "`with no_grad():` (as optimizers do) or use an out-of-place operation"
            )
        other = _operand(other, self)
        operand = self
        if op.save_inputs and switches.grad_enabled and (self.requires_grad or other.requires_grad):
            # The op keeps its inputs for backward and self's array is overwritten below: give
            # it the values from before the update (as PyTorch saves the original self).
            operand = Tensor._make(self.data.copy(), self.requires_grad, self.grad_fn)
        result = op.apply(operand, operand if other is self else other)
        if result.shape != self.shape:
            raise ValueError(
                f"{spelling}: result of shape {result.shape} does not fit in place into a "
                f"tensor of shape {self.shape}"
            )
        np.copyto(self.data, result.data, casting="same_kind")
        self._version += 1
        if result.requires_grad:
            self.grad_fn = result.grad_fn
            self._requires_grad = True
        return self

    # ------------------------------------------------------------------ comparisons (no grad)
    def __lt__(self, other: Any) -> Tensor:
        return Tensor._make(self.data < _raw(other), False, None)

    def __le__(self, other: Any) -> Tensor:
        return Tensor._make(self.data <= _raw(other), False, None)

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._make(self.data > _raw(other), False, None)

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._make(self.data >= _raw(other), False, None)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._make(self.data == _raw(other), False, None)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._make(self.data != _raw(other), False, None)

    def argmax(self, axis: int | None = None, dim: int | None = None) -> Tensor:
        """Index of the largest value (an integer tensor, no gradient)."""
        return Tensor._make(np.asarray(self.data.argmax(axis=_axis(axis, dim))), False, None)

    def argmin(self, axis: int | None = None, dim: int | None = None) -> Tensor:
        return Tensor._make(np.asarray(self.data.argmin(axis=_axis(axis, dim))), False, None)

    # ------------------------------------------------------------------ element-wise
    def exp(self) -> Tensor:
        return ops.Exp.apply(self)

    def log(self) -> Tensor:
        return ops.Log.apply(self)

    def sqrt(self) -> Tensor:
        return ops.Sqrt.apply(self)

    def abs(self) -> Tensor:
        return ops.Abs.apply(self)

    __abs__ = abs

    def tanh(self) -> Tensor:
        return ops.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        return ops.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return ops.Relu.apply(self)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        """Limit values to [min, max]; the gradient passes where the value was inside."""
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        return ops.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other: Any) -> Tensor:
        return ops.Maximum.apply(self, _operand(other, self))

    def minimum(self, other: Any) -> Tensor:
        return ops.Minimum.apply(self, _operand(other, self))

    # ------------------------------------------------------------------ reductions
    def sum(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
            keepdim: bool | None = None) -> Tensor:  # fmt: skip
        return ops.Sum.apply(self, axis=_axes(_axis(axis, dim), self.ndim),
                             keepdims=_keep(keepdims, keepdim))  # fmt: skip

    def mean(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
             keepdim: bool | None = None) -> Tensor:  # fmt: skip
        return ops.Mean.apply(self, axis=_axes(_axis(axis, dim), self.ndim),
                              keepdims=_keep(keepdims, keepdim))  # fmt: skip

    def max(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
            keepdim: bool | None = None) -> Tensor:  # fmt: skip
        """Largest value; ties share the gradient equally (like torch.amax)."""
        return ops.Max.apply(self, axis=_axes(_axis(axis, dim), self.ndim),
                             keepdims=_keep(keepdims, keepdim))  # fmt: skip

    def min(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
            keepdim: bool | None = None) -> Tensor:  # fmt: skip
        return ops.Min.apply(self, axis=_axes(_axis(axis, dim), self.ndim),
                             keepdims=_keep(keepdims, keepdim))  # fmt: skip

    def logsumexp(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
                  keepdim: bool | None = None) -> Tensor:  # fmt: skip
        return ops.LogSumExp.apply(self, axis=_axes(_axis(axis, dim), self.ndim),
                                   keepdims=_keep(keepdims, keepdim))  # fmt: skip

    def softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        axis = _axis(axis, dim)
        out = ops.Softmax.apply(self, axis=axis)
        # Keras's _keras_logits: a crossentropy over the last axis can use the stable logits form.
        out._softmax_logits = self if axis in (-1, self.ndim - 1) else None
        return out

    def log_softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        return ops.LogSoftmax.apply(self, axis=_axis(axis, dim))

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape: Any) -> Tensor:
        shape = _shape_args(shape)
        return self if shape == self.shape else ops.Reshape.apply(self, shape=shape)

    view = reshape

    def transpose(self, *axes: Any) -> Tensor:
        """Reverse the axes (``.T``), permute them (``transpose((2, 0, 1))``, numpy), or swap two
        given as two numbers (``transpose(0, 1)``, PyTorch's meaning).

        >>> Tensor([[1.0, 2.0]]).transpose(0, 1).shape
        (2, 1)
        """
        as_permutation = len(axes) == 1 and isinstance(axes[0], (tuple, list))
        axes = _shape_args(axes)
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        elif len(axes) == 2 and self.ndim >= 2 and not as_permutation:
            order = list(range(self.ndim))
            a, b = (axis % self.ndim for axis in axes)
            order[a], order[b] = order[b], order[a]
            axes = tuple(order)
        elif len(axes) != self.ndim:
            raise ValueError(
                f"transpose: axes {axes} do not match a tensor of {self.ndim} dimensions; give a "
                "permutation of all axes, or two axes to swap"
            )
        return ops.Transpose.apply(self, axes=tuple(axis % self.ndim for axis in axes))

    def permute(self, *axes: Any) -> Tensor:
        """Reorder all axes: ``permute(2, 0, 1)`` (PyTorch; numpy's ``transpose(axes)``)."""
        axes = _shape_args(axes)
        if sorted(axis % max(self.ndim, 1) for axis in axes) != list(range(self.ndim)):
            raise ValueError(f"permute: {axes} is not a permutation of {self.ndim} axes")
        return ops.Transpose.apply(self, axes=tuple(axis % self.ndim for axis in axes))

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy's name
        return ops.Transpose.apply(self, axes=tuple(range(self.data.ndim - 1, -1, -1)))

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        order = list(range(self.ndim))
        order[axis1], order[axis2] = order[axis2], order[axis1]
        return ops.Transpose.apply(self, axes=tuple(order))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge axes start_dim..end_dim into one (all of them by default, like numpy)."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        merged = int(np.prod(self.shape[start : end + 1]))
        return self.reshape(self.shape[:start] + (merged,) + self.shape[end + 1 :])

    def squeeze(self, axis: Any = None, *, dim: Any = None) -> Tensor:
        axis = _axis(axis, dim)
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axes = {a % self.ndim for a in ((axis,) if isinstance(axis, int) else axis)}
            for a in axes:
                if self.shape[a] != 1:
                    raise ValueError(
                        f"squeeze: axis {a} of shape {self.shape} has size {self.shape[a]}, not 1"
                    )
            shape = tuple(n for i, n in enumerate(self.shape) if i not in axes)
        return self.reshape(shape)

    def unsqueeze(self, axis: int) -> Tensor:
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    expand_dims = unsqueeze

    def broadcast_to(self, *shape: Any) -> Tensor:
        shape = _shape_args(shape)
        return self if shape == self.shape else ops.BroadcastTo.apply(self, shape=shape)

    expand = broadcast_to

    def __getitem__(self, index: Any) -> Tensor:
        return ops.GetItem.apply(self, index=_raw_index(index))


def _raw(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def _raw_index(index: Any) -> Any:
    if isinstance(index, tuple):
        return tuple(_raw(part) for part in index)
    return _raw(index)


def _operand(value: Any, like: Tensor) -> Tensor:
    """Wrap a number or array met in an expression with a Tensor.

    Numbers and arrays take the tensor's floating dtype, so ``x * 0.5`` and ``x + ndarray``
    stay float32 (a Tensor of another dtype on the other side follows numpy's promotion).
    """
    if isinstance(value, Tensor):
        return value
    dtype = like.data.dtype
    if dtype.kind not in "fc":
        dtype = None if not isinstance(value, float) else DEFAULT_FLOAT
    return Tensor._make(np.asarray(value, dtype=dtype), False, None)


def _axis(axis: Any, dim: Any) -> Any:
    return dim if dim is not None else axis


def _keep(keepdims: bool, keepdim: bool | None) -> bool:
    return bool(keepdim) if keepdim is not None else bool(keepdims)


def _axes(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalise an axis argument to a sorted tuple of non-negative axes (None = all)."""
    if axis is None:
        return None
    if type(axis) is int and -ndim <= axis < ndim:  # the common case, without the loop
        return (axis % ndim,)
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalised = []
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for a tensor of {ndim} dimensions")
        normalised.append(int(a) % max(ndim, 1))
    return tuple(sorted(set(normalised)))


def _shape_args(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


def as_tensor(value: Any, dtype: Any = None) -> Tensor:
    """``value`` itself if it is a Tensor (of that dtype), else a new Tensor of it."""
    if isinstance(value, Tensor) and (dtype is None or value.dtype == dtype):
        return value
    return Tensor(value, dtype=dtype)


def increment_version(tensor: Tensor) -> None:
    """Record that ``tensor.data`` was changed in place (optimizers call this after an update),
    so a backward that saved the old values raises instead of silently using the new ones."""
    tensor._version += 1


from . import engine, ops  # noqa: E402  (both need the Tensor class defined above)
