"""Specs (see ``tests/op_specs.py``) for issue 11's shape and indexing ops: pad, flip, roll,
tile, repeat, diagonal, diag, take_along_axis, tril/triu, scatter, setitem and einsum.

Where PyTorch has no op of the same meaning (numpy's pad modes on any axes, negative-step
indexing), the reference is torch's own indexing at the flat positions the op copies from.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from tests.op_specs import NONSCALAR_SHAPES, SHAPES, SPECS, Case, _rng, normal
from tests.op_specs_extra import _axes


def _gather_in_torch(positions: np.ndarray):
    """A torch reference for any copy-elements op: ``x`` picked at flat ``positions`` (-1 for
    a zero fill), through torch's own indexing and its gradient."""

    def theirs(torch, x):
        flat = torch.cat([x.reshape(-1), torch.zeros(1, dtype=x.dtype)])
        return flat[torch.as_tensor(positions % (x.numel() + 1))]

    return theirs


def _numbers(shape: tuple[int, ...]) -> np.ndarray:
    return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)


@st.composite
def _pad(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(NONSCALAR_SHAPES))
    width = tuple((int(rng.integers(0, 3)), int(rng.integers(0, 3))) for _ in range(a.ndim))
    mode = draw(st.sampled_from(["constant", "reflect", "edge", "wrap", "symmetric"]))
    torch_tuple = tuple(n for pair in reversed(width) for n in pair)
    spelling = draw(st.sampled_from(["numpy", "torch"])) if mode != "symmetric" else "numpy"
    if mode == "constant":
        value = float(draw(st.sampled_from([0.0, 1.5])))

        def theirs(torch, x):
            return torch.nn.functional.pad(x, torch_tuple, value=value)

        if spelling == "numpy":
            call = lambda x: autograd.pad(x, width, constant_values=value)  # noqa: E731
        else:
            call = lambda x: autograd.pad(x, pad=torch_tuple, value=value)  # noqa: E731
        return Case((a,), call, theirs, f"pad {width} constant {value} ({spelling})")
    if mode == "reflect":  # numpy and PyTorch need the pad narrower than the axis
        width = tuple((min(b, n - 1), min(e, n - 1)) for (b, e), n in zip(width, a.shape))
        torch_tuple = tuple(n for pair in reversed(width) for n in pair)
    positions = np.pad(_numbers(a.shape), width, mode=mode)
    torch_mode = {"edge": "replicate", "wrap": "circular"}.get(mode, mode)
    if spelling == "numpy":
        call = lambda x: autograd.pad(x, width, mode=mode)  # noqa: E731
    else:
        call = lambda x: autograd.pad(x, pad=torch_tuple, mode=torch_mode)  # noqa: E731
    return Case((a,), call, _gather_in_torch(positions), f"pad {width} {mode} ({spelling})")


@st.composite
def _flip(draw: Any) -> Case:
    a = normal(_rng(draw), draw(SHAPES))
    axis = draw(_axes(a.ndim))
    dims = tuple(range(a.ndim)) if axis is None else tuple(np.atleast_1d(axis).tolist())
    call = (
        (lambda x: x.flip(axis)) if draw(st.booleans()) else (lambda x: autograd.flip(x, dims=axis))
    )
    return Case((a,), call, lambda torch, x: torch.flip(x, dims), f"flip {axis}")


@st.composite
def _roll(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(SHAPES))
    if a.ndim and draw(st.booleans()):
        axis = tuple(int(i) for i in rng.permutation(a.ndim)[: int(rng.integers(1, a.ndim + 1))])
        shift = tuple(int(s) for s in rng.integers(-4, 5, len(axis)))
    else:
        axis, shift = None, int(rng.integers(-4, 5))
    return Case(
        (a,),
        lambda x: x.roll(shift, axis),
        lambda torch, x: torch.roll(x, shift, axis),
        f"roll {shift} {axis}",
    )


@st.composite
def _tile(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(SHAPES))
    reps = tuple(int(r) for r in rng.integers(1, 3, int(rng.integers(1, 4))))
    return Case((a,), lambda x: x.tile(reps), lambda torch, x: torch.tile(x, reps), f"tile {reps}")


@st.composite
def _repeat(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(SHAPES))
    axis = int(rng.integers(-a.ndim, a.ndim)) if a.ndim and draw(st.booleans()) else None
    n = a.size if axis is None else a.shape[axis]
    repeats = int(rng.integers(1, 3)) if draw(st.booleans()) else rng.integers(0, 3, n)

    def theirs(torch, x):
        r = repeats if isinstance(repeats, int) else torch.as_tensor(repeats)
        return torch.repeat_interleave(x.reshape(-1) if axis is None else x, r, dim=axis or 0)

    spelling = draw(st.sampled_from(["repeat", "repeat_interleave"]))
    return Case(
        (a,), lambda x: getattr(x, spelling)(repeats, axis), theirs, f"{spelling} axis={axis}"
    )


MATRIX_SHAPES = hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3)


@st.composite
def _diagonal(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(MATRIX_SHAPES))
    axis1, axis2 = (int(i) for i in rng.permutation(a.ndim)[:2])
    offset = int(rng.integers(-2, 3))
    variant = draw(st.sampled_from(["diagonal", "trace"])) if a.ndim == 2 else "diagonal"
    if variant == "trace":
        return Case(
            (a,), lambda x: x.trace(offset), lambda torch, x: torch.diagonal(x, offset).sum(-1),
            f"trace offset={offset}",
        )  # fmt: skip
    return Case(
        (a,),
        lambda x: autograd.diagonal(x, offset, axis1, axis2),
        lambda torch, x: torch.diagonal(x, offset, axis1, axis2),
        f"diagonal {offset} {axis1} {axis2}",
    )


@st.composite
def _diag(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3)))
    k = int(rng.integers(-2, 3))
    return Case((a,), lambda x: autograd.diag(x, k), lambda torch, x: torch.diag(x, k), f"diag {k}")


@st.composite
def _take_along_axis(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(NONSCALAR_SHAPES))
    axis = int(rng.integers(-a.ndim, a.ndim))
    shape = [n if draw(st.booleans()) else 1 for n in a.shape]
    shape[axis] = int(rng.integers(1, 4))
    indices = rng.integers(0, a.shape[axis], shape)  # repeats included
    if draw(st.booleans()) and all(n <= m for n, m in zip(shape, a.shape)):
        index = np.broadcast_to(indices, [max(n, 1) for n in shape]).copy()
        return Case(
            (a,),
            lambda x: x.gather(axis, index),
            lambda torch, x: torch.gather(x, axis, torch.as_tensor(index)),
            f"gather dim={axis}",
        )
    return Case(
        (a,),
        lambda x: autograd.take_along_axis(x, indices, axis),
        lambda torch, x: torch.take_along_dim(x, torch.as_tensor(indices), axis),
        f"take_along_axis axis={axis}",
    )


def _triangle(name: str):
    @st.composite
    def cases(draw: Any) -> Case:
        a = normal(_rng(draw), draw(MATRIX_SHAPES))
        k = draw(st.integers(-2, 2))
        return Case(
            (a,),
            lambda x: getattr(x, name)(k),
            lambda torch, x: getattr(torch, name)(x, k),
            f"{name} {k}",
        )

    return cases()


@st.composite
def _scatter(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(NONSCALAR_SHAPES))
    dim = int(rng.integers(0, a.ndim))
    shape = [int(rng.integers(1, n + 1)) for n in a.shape]
    kind = draw(st.sampled_from(["scatter", "scatter_add", "put_along_axis", "index_add"]))
    if kind == "put_along_axis":  # numpy broadcasts size-1 index axes; torch does not
        shape = [n if i == dim else a.shape[i] for i, n in enumerate(shape)]
    if kind == "index_add":
        index = rng.integers(0, a.shape[dim], shape[dim])  # repeats add up
        source = normal(rng, a.shape[:dim] + (shape[dim],) + a.shape[dim + 1 :])
        return Case(
            (a, source),
            lambda x, s: x.index_add(dim, index, s),
            lambda torch, x, s: torch.index_add(x, dim, torch.as_tensor(index), s),
            f"index_add dim={dim}",
        )
    if kind == "scatter_add":
        index = rng.integers(0, a.shape[dim], shape)
    else:  # distinct positions along dim: which duplicate wins is undefined in PyTorch
        orders = np.argsort(
            rng.random(tuple(shape[:dim]) + (a.shape[dim],) + tuple(shape[dim + 1 :])), axis=dim
        )
        index = np.take(orders, range(shape[dim]), axis=dim)
    src = normal(rng, tuple(shape))
    torch_function = "scatter_add" if kind == "scatter_add" else "scatter"

    def theirs(torch, x, s):
        return getattr(torch, torch_function)(x, dim, torch.as_tensor(index), s)

    if kind == "put_along_axis":
        call = lambda x, s: autograd.put_along_axis(x, index, s, dim)  # noqa: E731
    else:
        call = lambda x, s: getattr(autograd, kind)(x, dim, index, s)  # noqa: E731
    return Case((a, src), call, theirs, f"{kind} dim={dim} index {index.shape}")


@st.composite
def _setitem(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(NONSCALAR_SHAPES))
    kind = draw(st.sampled_from(["basic", "mask", "int"]))
    if kind == "basic":
        index = draw(hnp.basic_indices(a.shape, allow_newaxis=False, allow_ellipsis=True))
    elif kind == "mask":
        index = rng.random(a.shape) > 0.5
    else:
        index = int(rng.integers(-a.shape[0], a.shape[0]))
    selected = a[index].shape
    value_shape = selected[int(rng.integers(0, len(selected) + 1)) :] if selected else ()
    value = normal(rng, value_shape)

    def ours(x, v):
        y = x * 1.0
        y[index] = v
        return y

    positions = _numbers(a.shape)[index].reshape(-1).copy()  # torch has no negative steps

    def theirs(torch, x, v):
        y = x * 1.0
        y.view(-1)[torch.as_tensor(positions)] = v.broadcast_to(selected).reshape(-1)
        return y

    return Case((a, value), ours, theirs, f"y[{kind} {index!r}] = value {value_shape}")


EINSUM_PATTERNS = [
    ("ij,jk->ik", [("i", "j"), ("j", "k")]),
    ("ij,jk", [("i", "j"), ("j", "k")]),
    ("ii->i", [("i", "i")]),
    ("ii->", [("i", "i")]),
    ("iij->ji", [("i", "i", "j")]),
    ("ij->j", [("i", "j")]),
    ("i,j->ij", [("i",), ("j",)]),
    ("ij,ij->", [("i", "j"), ("i", "j")]),
    ("bij,bjk->bik", [("b", "i", "j"), ("b", "j", "k")]),
    ("...ij,...jk->...ik", [("B", "C", "i", "j"), ("C", "j", "k")]),
    ("...i,...i", [("B", "i"), ("i",)]),
    ("ij,jk,kl->il", [("i", "j"), ("j", "k"), ("k", "l")]),
]


@st.composite
def _einsum(draw: Any) -> Case:
    rng = _rng(draw)
    subscripts, labels = draw(st.sampled_from(EINSUM_PATTERNS))
    sizes = {c: int(rng.integers(1, 4)) for c in "ijklbBC"}
    arrays = []
    for operand in labels:
        shape = [sizes[c] for c in operand]
        if "..." in subscripts and operand[0] in "BC" and draw(st.booleans()):
            shape[0] = 1  # broadcast under the ellipsis
        arrays.append(normal(rng, tuple(shape)))
    return Case(
        tuple(arrays),
        lambda *xs: autograd.einsum(subscripts, *xs),
        lambda torch, *xs: torch.einsum(subscripts, *xs),
        f"einsum {subscripts!r}",
    )


SHAPE_SPECS = {
    "pad": _pad(),
    "flip": _flip(),
    "roll": _roll(),
    "tile": _tile(),
    "repeat": _repeat(),
    "diagonal": _diagonal(),
    "diag": _diag(),
    "take_along_axis": _take_along_axis(),
    "tril": _triangle("tril"),
    "triu": _triangle("triu"),
    "scatter": _scatter(),
    "setitem": _setitem(),
    "einsum": _einsum(),
}
SPECS.update(SHAPE_SPECS)  # op_specs_extra.py imports this module at its end
