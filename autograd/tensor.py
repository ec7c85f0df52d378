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

from .dtypes import DEFAULT_FLOAT, DIMENSIONED, WEAK, ZERO_D, result_type, to_array, weak_dtype
from .dtypes import shared_constant as constant_of

__all__ = ["DEFAULT_FLOAT", "Tensor", "as_tensor", "increment_version", "operands", "unwrap"]


class Tensor:
    """An n-dimensional array (``.data``) with gradient tracking.

    Args:
        data: array-like; Python lists and numbers become float32, numpy arrays keep their dtype
            and are not copied. (``autograd.tensor(data)`` infers as ``torch.tensor`` does.)
        requires_grad: record operations on it so ``backward`` can fill ``.grad``.
        dtype: convert to this dtype first.
        name: label shown in graph pictures.

    Raises:
        TypeError: for values that are not real numbers (None, strings, objects, complex), and
            for ``requires_grad`` on a non-floating dtype.
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
        self.data = to_array(unwrap(data), dtype)
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
        self._shared_counter()[0] = value

    def _shared_counter(self) -> list[int]:
        counter = self._counter
        if counter is None:
            counter = self._counter = [0]
            # A node that saved this as its output gets the counter now: recording made none.
            node = self.grad_fn
            if node is not None and node._saved_output is self.data:
                if node._output_counter is None:
                    node._output_counter = counter
        return counter

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

    # ------------------------------------------------------------------ operators
    # +, -, *, /, **, @, their reflected and in-place forms (``routines.inplace``) and the
    # comparisons are attached below the class: each promotes its operands once (``operands``)
    # and applies one op.
    def __pos__(self) -> Tensor:
        return self

    @property
    def T(self) -> Tensor:  # noqa: N802 - numpy's name
        return ops.Transpose.apply(self, axes=tuple(range(self.data.ndim - 1, -1, -1)))

    def __getitem__(self, index: Any) -> Tensor:
        return ops.GetItem.apply(self, index=unwrap_index(index))


def unwrap(value: Any) -> Any:
    """The array behind a Tensor; anything else as it is. The one "unwrap a Tensor"."""
    return value.data if isinstance(value, Tensor) else value


def unwrap_index(index: Any) -> Any:
    """An index with the arrays behind any Tensors in it (integer-array indexing)."""
    return tuple(unwrap(p) for p in index) if isinstance(index, tuple) else unwrap(index)


def as_tensor(value: Any, dtype: Any = None) -> Tensor:
    """``value`` itself if it is a Tensor (converted by a recorded cast when ``dtype`` differs),
    else a new Tensor of it (``autograd.dtypes.to_array``: lists and numbers become float32,
    arrays keep their dtype, values that are not numbers raise ``TypeError``). The one "wrap an
    array"."""
    if isinstance(value, Tensor):
        return value if dtype is None or value.data.dtype == dtype else value.astype(dtype)
    return Tensor._make(to_array(value, dtype), False, None)


def operands(a: Any, b: Any, true_divide: bool = False) -> tuple[Tensor, Tensor]:
    """``a`` and ``b`` as Tensors of their common dtype (``autograd.dtypes.result_type``), for a
    binary op; a non-Tensor next to a Tensor is weak (only its kind counts). ``true_divide``
    turns an integer result into the default float, as PyTorch's ``/`` does."""
    if not isinstance(a, Tensor):
        if isinstance(b, Tensor):
            b, a = operands(b, a, true_divide)
            return a, b
        a, b = as_tensor(a), as_tensor(b)  # no Tensor at all: both count as Tensors
    dtype = a.data.dtype
    # The hot cases first (a + b of one dtype, x * 0.5, x ** 2): no table lookup, no checks.
    if isinstance(b, Tensor):
        b_dtype = b.data.dtype
        if (b_dtype is dtype or b_dtype == dtype) and (not true_divide or dtype.kind == "f"):
            return a, b
        dtype = result_type(dtype, _strength(a), b_dtype, _strength(b))
    elif (type(b) is float or type(b) is int) and dtype.kind == "f":
        return a, constant_of(b, dtype, Tensor._make)
    else:
        dtype = result_type(dtype, _strength(a), weak_dtype(b), WEAK)
    if true_divide and dtype.kind != "f":
        dtype = DEFAULT_FLOAT
    return as_tensor(a, dtype), as_tensor(b, dtype)


def _strength(tensor: Tensor) -> int:
    return DIMENSIONED if tensor.data.ndim else ZERO_D


def increment_version(tensor: Tensor) -> None:
    """Record that ``tensor.data`` was changed in place (optimizers call this after an update),
    so a backward that saved the old values raises instead of silently using the new ones."""
    tensor._version += 1


def _binary(op: Any, reflected: bool = False, true_divide: bool = False) -> Callable[..., Tensor]:
    if reflected:
        return lambda self, other: op.apply(*operands(other, self, true_divide))
    return lambda self, other: op.apply(*operands(self, other, true_divide))


def _unary(op: Any) -> Callable[[Tensor], Tensor]:
    return lambda self: op.apply(self)


def _comparison(ufunc: np.ufunc) -> Callable[..., Tensor]:
    return lambda self, other: Tensor._make(ufunc(self.data, unwrap(other)), False, None)


from . import engine, ops, routines  # noqa: E402  (all need the Tensor class defined above)

_BINARY = {"add": ops.Add, "sub": ops.Sub, "mul": ops.Mul, "truediv": ops.Div, "pow": ops.Pow,
           "matmul": ops.MatMul}  # fmt: skip
for _name, _op in _BINARY.items():
    setattr(Tensor, f"__{_name}__", _binary(_op, true_divide=_name == "truediv"))
    setattr(Tensor, f"__r{_name}__", _binary(_op, True, true_divide=_name == "truediv"))
_IN_PLACE = {"__iadd__": (ops.Add, "+="), "__isub__": (ops.Sub, "-="),
             "__imul__": (ops.Mul, "*="), "__itruediv__": (ops.Div, "/="),
             "add_": (ops.Add, "add_"), "sub_": (ops.Sub, "sub_"), "mul_": (ops.Mul, "mul_"),
             "div_": (ops.Div, "div_")}  # fmt: skip
for _name, (_op, _spelling) in _IN_PLACE.items():
    setattr(Tensor, _name, routines.in_place_method(_op, _spelling))
_COMPARISONS = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
                "eq": np.equal, "ne": np.not_equal}  # fmt: skip
for _name, _ufunc in _COMPARISONS.items():
    setattr(Tensor, f"__{_name}__", _comparison(_ufunc))
for _op in (ops.Exp, ops.Log, ops.Sqrt, ops.Abs, ops.Tanh, ops.Sigmoid, ops.Relu, ops.Neg):
    setattr(Tensor, _op.name, _unary(_op))
# Methods that are routines taking the tensor first: argument handling and docstrings live there.
for _name in ("sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "argmax",
              "argmin", "reshape", "broadcast_to", "transpose", "permute", "swapaxes", "flatten",
              "squeeze", "unsqueeze", "clip", "maximum", "minimum", "dot", "zero_"):  # fmt: skip
    setattr(Tensor, _name, getattr(routines, _name))
Tensor.__abs__, Tensor.__neg__, Tensor.matmul = Tensor.abs, Tensor.neg, Tensor.__matmul__
Tensor.view, Tensor.expand, Tensor.clamp = Tensor.reshape, Tensor.broadcast_to, Tensor.clip
Tensor.expand_dims = Tensor.unsqueeze
