"""Shape, reordering and indexing functions under numpy's names, PyTorch's spellings too.

Which takes which padding: ``pad(x, pad_width)`` is numpy's (``((before, after), ...)`` per
axis, from the first axis); PyTorch's flat tuple, from the *last* axis backwards, is given by
keyword: ``pad(x, pad=(left, right, top, bottom))`` (``nn.functional.pad``'s form).

>>> from autograd import Tensor
>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> pad(x, 1, mode="edge").shape, pad(x, pad=(1, 0)).tolist()
((4, 4), [[0.0, 1.0, 2.0], [0.0, 3.0, 4.0]])
>>> y = einsum("ij,jk->ik", x, flip(x, 0)) + tril(x) + roll(x, 1, axis=1)
>>> y.sum().backward(); x.grad.tolist()
[[15.0, 10.0], [13.0, 9.0]]
"""

from __future__ import annotations

import builtins
import string
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import arguments, ops
from ._shared import Tensor, as_tensor, axes, axis_of, pair, pick, raw

_TORCH_MODES = {"replicate": "edge", "circular": "wrap"}


def pad(x: Any, pad_width: Any = None, mode: str = "constant", constant_values: float = 0,
        *, pad: Sequence[int] | None = None, value: float | None = None) -> Tensor:  # fmt: skip
    """Pad with ``mode`` constant, reflect, edge (PyTorch: replicate), symmetric or wrap
    (PyTorch: circular). ``pad_width`` is numpy's; ``pad=`` is PyTorch's tuple (see module
    docstring). Constant padding gets no gradient; reflected/edge copies add theirs back."""
    x = as_tensor(x)
    mode = _TORCH_MODES.get(mode, mode)
    if pad is not None:
        if pad_width is not None or len(pad) % 2 or len(pad) // 2 > x.ndim:
            raise ValueError(
                f"pad: PyTorch's pad= needs pairs for at most {x.ndim} axes, got {pad}"
            )
        pairs = [(0, 0)] * x.ndim
        for k in range(len(pad) // 2):
            pairs[x.ndim - 1 - k] = arguments.integers("pad", "pad", pad[2 * k : 2 * k + 2])
        width = tuple(pairs)
    else:
        widths = np.asarray(pad_width)
        if widths.dtype.kind not in "iu":
            raise TypeError(f"pad: pad_width must be integers, got {pad_width!r}")
        width = tuple(tuple(int(n) for n in p) for p in np.broadcast_to(widths, (x.ndim, 2)))
    if any(n < 0 for p in width for n in p):
        raise ValueError(f"pad: widths must be >= 0, got {width}")
    fill = constant_values if value is None else value
    return ops.Pad.apply(x, pad_width=width, mode=mode, value=fill)


def flip(x: Any, axis: Any = None, *, dims: Any = None) -> Tensor:
    """Reverse the order of elements along ``axis`` (all axes when None; PyTorch's ``dims``)."""
    x = as_tensor(x)
    chosen = axes(pick(axis, dims, "axis", "dims"), x.ndim, "flip")
    return ops.Flip.apply(x, axes=tuple(range(x.ndim)) if chosen is None else chosen)


def roll(x: Any, shift: Any, axis: Any = None, *, shifts: Any = None, dims: Any = None) -> Tensor:
    """Shift cyclically by ``shift`` along ``axis`` (flattened when None); PyTorch's
    ``shifts``/``dims`` too."""
    x = as_tensor(x)
    shift = shift if shifts is None else shifts
    axis = pick(axis, dims, "axis", "dims")
    if axis is not None:
        given = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
        axis = tuple(axis_of(a, x.ndim, "roll") for a in given)
    shift = arguments.integers("roll", "shift", shift)
    return ops.Roll.apply(x, shift=shift, axis=axis)


def tile(x: Any, reps: Any) -> Tensor:
    """Repeat the whole tensor ``reps`` times along each axis (numpy's tile; PyTorch's
    ``Tensor.repeat(*sizes)`` is this, not numpy's repeat)."""
    reps = arguments.integers("tile", "reps", reps)
    reps = reps if isinstance(reps, tuple) else (reps,)
    if any(r < 0 for r in reps):
        raise ValueError(f"tile: reps must be >= 0, got {reps}")
    return ops.Tile.apply(as_tensor(x), reps=reps)


def repeat(x: Any, repeats: Any, axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times along ``axis`` (flattened when None): numpy's
    repeat, PyTorch's repeat_interleave."""
    x = as_tensor(x)
    axis = pick(axis, dim, "axis", "dim")
    axis = None if axis is None else axis_of(axis, x.ndim, "repeat")
    repeats = np.asarray(raw(repeats))
    whole = repeats.dtype.kind in "iu" or (
        repeats.dtype.kind == "f" and bool(np.all(repeats == np.round(repeats)))
    )  # a float Tensor([1, 2]) of whole numbers is fine; 1.5 is not truncated
    if not whole:
        raise TypeError(f"repeat: repeats must be whole numbers, got {repeats!r}")
    if (repeats < 0).any():
        raise ValueError(f"repeat: repeats must be >= 0, got {repeats!r}")
    repeats = int(repeats) if repeats.ndim == 0 else repeats.astype(np.int64)
    return ops.Repeat.apply(x, repeats=repeats, axis=axis)


repeat_interleave = repeat


def tril(x: Any, k: int = 0, *, diagonal: int | None = None) -> Tensor:
    """Zero the elements above the k-th diagonal of the last two axes (a 1-D x is the last row
    of a matrix, as numpy's). ValueError for a 0-d tensor."""
    x = _at_least_1d(as_tensor(x), "tril")
    return ops.Tril.apply(x, k=arguments.integer("tril", "k", k if diagonal is None else diagonal))


def triu(x: Any, k: int = 0, *, diagonal: int | None = None) -> Tensor:
    """Zero the elements below the k-th diagonal of the last two axes (a 1-D x is the last row
    of a matrix, as numpy's). ValueError for a 0-d tensor."""
    x = _at_least_1d(as_tensor(x), "triu")
    return ops.Triu.apply(x, k=arguments.integer("triu", "k", k if diagonal is None else diagonal))


def _at_least_1d(x: Tensor, name: str) -> Tensor:
    """x, when it has an axis; a 0-d tensor is a ValueError naming ``name`` (PyTorch refuses it
    too), not an IndexError from deep inside."""
    if x.ndim == 0:
        raise ValueError(f"{name}: needs a tensor with at least one axis, got a 0-d tensor")
    return x


def _cut(x: Tensor, bounds: list[int], axis: int) -> list[Tensor]:
    edges = [0, *bounds, x.shape[axis]]
    prefix = (slice(None),) * axis
    return [x[prefix + (slice(a, builtins.max(a, b)),)] for a, b in zip(edges[:-1], edges[1:])]


def split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """numpy's split: into equal sections (an error when they do not divide) or at indices."""
    x = _at_least_1d(as_tensor(x), "split")
    axis = axis_of(axis, x.ndim, "split")
    if isinstance(indices_or_sections, (int, np.integer)):
        _sections("split", indices_or_sections)
        if x.shape[axis] % indices_or_sections:
            raise ValueError(
                f"split: axis {axis} of size {x.shape[axis]} does not divide into "
                f"{indices_or_sections} equal sections (array_split allows it)"
            )
    return _array_split(x, indices_or_sections, axis, "split")


def _sections(name: str, sections: Any) -> int:
    sections = arguments.integer(name, "sections", sections)
    if sections <= 0:
        raise ValueError(f"{name}: the number of sections must be > 0, got {sections}")
    return int(sections)


def _array_split(x: Tensor, indices_or_sections: Any, axis: int, name: str) -> list[Tensor]:
    if isinstance(indices_or_sections, (int, np.integer)):
        n, sections = x.shape[axis], int(indices_or_sections)
        sizes = [n // sections + (1 if i < n % sections else 0) for i in range(sections)]
        bounds = list(np.cumsum(sizes)[:-1])
    else:
        bounds = list(arguments.integers(name, "indices", indices_or_sections))
    return _cut(x, bounds, axis)


def array_split(x: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """numpy's array_split: n sections, the first ones one longer when they do not divide."""
    x = _at_least_1d(as_tensor(x), "array_split")
    if isinstance(indices_or_sections, (int, np.integer)):
        _sections("array_split", indices_or_sections)
    return _array_split(x, indices_or_sections, axis_of(axis, x.ndim, "array_split"), "array_split")


def chunk(x: Any, chunks: int, dim: int = 0) -> list[Tensor]:
    """PyTorch's chunk: pieces of ceil(n / chunks) along dim (fewer pieces when they run out)."""
    x = _at_least_1d(as_tensor(x), "chunk")
    dim = axis_of(dim, x.ndim, "chunk")
    step = -(-x.shape[dim] // _sections("chunk", chunks))
    return _cut(x, list(range(step, x.shape[dim], step)), dim)


def tensor_split(x: Any, indices_or_sections: Any, dim: int = 0) -> list[Tensor]:
    """PyTorch's tensor_split, which is numpy's array_split."""
    x = _at_least_1d(as_tensor(x), "tensor_split")
    if isinstance(indices_or_sections, (int, np.integer)):
        _sections("tensor_split", indices_or_sections)
    return _array_split(
        x, indices_or_sections, axis_of(dim, x.ndim, "tensor_split"), "tensor_split"
    )


def moveaxis(x: Any, source: Any, destination: Any) -> Tensor:
    """Move axes to new positions, keeping the order of the others (PyTorch's movedim)."""
    x = as_tensor(x)
    source = [source] if isinstance(source, (int, np.integer)) else list(source)
    destination = [destination] if isinstance(destination, (int, np.integer)) else list(destination)
    source = [axis_of(a, x.ndim, "moveaxis: source") for a in source]
    destination = [axis_of(a, x.ndim, "moveaxis: destination") for a in destination]
    if len(source) != len(destination):
        raise ValueError(f"moveaxis: {len(source)} source axes but {len(destination)} destinations")
    if len(set(source)) != len(source) or len(set(destination)) != len(destination):
        raise ValueError(f"moveaxis: repeated axis in source {source} or destination {destination}")
    if x.ndim == 0:  # axis 0 of a 0-d tensor is the tensor itself (PyTorch's movedim)
        return x
    order = [a for a in range(x.ndim) if a not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return x.transpose(tuple(order)) if order != list(range(x.ndim)) else x


movedim = moveaxis


def ravel(x: Any) -> Tensor:
    """The elements as a 1-D tensor."""
    return as_tensor(x).reshape(-1)


def unflatten(x: Any, dim: int, sizes: Sequence[int]) -> Tensor:
    """PyTorch's unflatten: split axis ``dim`` into ``sizes`` (one may be -1)."""
    x = _at_least_1d(as_tensor(x), "unflatten")
    dim = axis_of(dim, x.ndim, "unflatten")
    sizes = arguments.shape("unflatten", (tuple(sizes),), infer=True)
    known = int(np.prod([n for n in sizes if n != -1]))
    if (known != x.shape[dim]) if -1 not in sizes else (known == 0 or x.shape[dim] % known):
        raise ValueError(f"unflatten: sizes {sizes} do not fit axis {dim} of size {x.shape[dim]}")
    return x.reshape(x.shape[:dim] + sizes + x.shape[dim + 1 :])


def diagonal(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, *,
             dim1: int | None = None, dim2: int | None = None) -> Tensor:  # fmt: skip
    """The ``offset`` diagonal over axes axis1, axis2, as a new last axis (numpy and PyTorch)."""
    x = as_tensor(x)
    axis1 = axis_of(pick(axis1, dim1, "axis1", "dim1"), x.ndim, "diagonal")
    axis2 = axis_of(pick(axis2, dim2, "axis2", "dim2"), x.ndim, "diagonal")
    if axis1 == axis2:
        raise ValueError(f"diagonal: axis1 and axis2 must differ, got {axis1} twice")
    offset = arguments.integer("diagonal", "offset", offset)
    return ops.Diagonal.apply(x, offset=offset, axis1=axis1, axis2=axis2)


def diag(x: Any, k: int = 0, *, diagonal: int | None = None) -> Tensor:
    """numpy's diag: a 2-D tensor's k-th diagonal, or a 1-D one laid on a k-th diagonal."""
    x = as_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(f"diag: expected a 1-D or 2-D tensor, got shape {x.shape}")
    return ops.Diag.apply(x, k=arguments.integer("diag", "k", k if diagonal is None else diagonal))


def trace(x: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Sum of the ``offset`` diagonal (numpy's trace). ValueError below 2 axes."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"trace: needs at least 2 axes, got shape {x.shape}")
    axis1, axis2 = axis_of(axis1, x.ndim, "trace"), axis_of(axis2, x.ndim, "trace")
    return diagonal(x, offset, axis1, axis2).sum(axis=-1)


def outer(a: Any, b: Any) -> Tensor:
    """Outer product of two vectors (flattened first, as numpy): (m,) and (n,) -> (m, n)."""
    a, b = pair(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def _expand_ellipsis(subscripts: str, shapes: list[tuple[int, ...]]) -> tuple[list[str], str]:
    subscripts = subscripts.replace(" ", "")
    lhs, arrow, output = subscripts.partition("->")
    inputs = lhs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(f"einsum: {len(inputs)} operands in {subscripts!r}, got {len(shapes)}")
    free = [c for c in string.ascii_letters if c not in subscripts]
    widths = [
        len(s) - len(s.replace("...", "")) + (len(sh) - len(s)) for s, sh in zip(inputs, shapes)
    ]
    ellipsis = free[: builtins.max([w for w, s in zip(widths, inputs) if "..." in s], default=0)]
    expanded = []
    for labels, shape in zip(inputs, shapes):
        if "..." in labels:
            k = len(shape) - (len(labels) - 3)
            labels = labels.replace("...", "".join(ellipsis[len(ellipsis) - k :]))
        if len(labels) != len(shape):
            raise ValueError(
                f"einsum: subscripts {labels!r} do not fit an operand of shape {shape}"
            )
        expanded.append(labels)
    if arrow:
        output = output.replace("...", "".join(ellipsis))
    else:  # numpy's implicit output: ellipsis axes, then the labels seen once, sorted
        counts = Counter("".join(inputs).replace(".", ""))
        output = "".join(ellipsis) + "".join(sorted(c for c, n in counts.items() if n == 1))
    return expanded, output


def einsum(subscripts: str, *operands: Any) -> Tensor:
    """np.einsum with gradients to every operand; '...' and repeated labels (``'ii->i'``)
    work, and size-1 axes under '...' broadcast. TypeError for numpy's sublist form
    (``einsum(a, [0, 1], [1])``), which is not supported: give the subscripts string."""
    if not isinstance(subscripts, str):
        raise TypeError(
            f"einsum: the first argument must be a subscripts string such as 'ij,jk->ik', got "
            f"{type(subscripts).__name__} (numpy's sublist form is not supported)"
        )
    tensors = [as_tensor(t) for t in operands]
    floating = next((t for t in tensors if t.dtype.kind == "f"), None)
    if floating is not None:
        tensors = [t if t.dtype.kind == "f" else t.astype(floating.dtype) for t in tensors]
    inputs, output = _expand_ellipsis(subscripts, [t.shape for t in tensors])
    sizes: dict[str, int] = {}
    for labels, t in zip(inputs, tensors):
        for label, n in zip(labels, t.shape):
            sizes[label] = builtins.max(sizes.get(label, 1), n)
    tensors = [_broadcast_labels(t, labels, sizes) for labels, t in zip(inputs, tensors)]
    return ops.Einsum.apply(*tensors, subscripts=",".join(inputs) + "->" + output)


def _broadcast_labels(t: Tensor, labels: str, sizes: dict[str, int]) -> Tensor:
    shape = tuple(sizes[label] if n == 1 else n for label, n in zip(labels, t.shape))
    return t if shape == t.shape else t.broadcast_to(shape)


def meshgrid(*xs: Any, indexing: str = "xy") -> list[Tensor]:
    """numpy's meshgrid (``indexing='xy'`` default; PyTorch's default is 'ij': pass it).
    The grids are constants: no gradient."""
    grids = np.meshgrid(*[raw(as_tensor(x)) for x in xs], indexing=indexing)
    return [Tensor(grid.copy()) for grid in grids]


__all__ = [
    "array_split", "chunk", "diag", "diagonal", "einsum", "flip", "meshgrid", "moveaxis",
    "movedim", "outer", "pad", "ravel", "repeat", "repeat_interleave", "roll", "split",
    "tensor_split", "tile", "trace", "tril", "triu", "unflatten",
]  # fmt: skip
