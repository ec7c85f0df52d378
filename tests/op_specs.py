"""For every registered op: how to draw random inputs for it, and how to call it through the
public API, ours and PyTorch's.

``SPECS[name]`` is a hypothesis strategy drawing a :class:`Case`. The gradcheck, dtype and torch
tests run every op through it, and a test fails when ``autograd.REGISTRY`` and ``SPECS`` list
different op names, so a new op cannot escape them.

The values keep away from the points where an op is not differentiable (finite differences
would straddle them): bases of ``log``/``sqrt``/``pow`` are positive, ``abs``/``relu`` inputs
stay away from 0, ``max``/``min``/``maximum``/``minimum`` never tie, ``clip`` inputs stay away
from the bounds. Shapes are small (sides of 1 to 3) so finite differences stay cheap; random
values come from a numpy generator seeded by hypothesis, which keeps drawing fast.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import Tensor, ops
from tests.op_specs_activations import activation_specs


@dataclass(frozen=True)
class Case:
    """One drawn example of an op.

    ``call(*tensors)`` runs it through our public API on Tensors made from ``arrays``;
    ``torch_call(torch, *torch_tensors)`` is the same computation in PyTorch. Floating arrays are
    the differentiated inputs; integer arrays (labels) ride along.
    """

    arrays: tuple[np.ndarray, ...]
    call: Callable[..., Tensor] = field(repr=False)
    torch_call: Callable[..., Any] = field(repr=False)
    description: str
    gradcheck_options: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{a.shape} {a.dtype}" for a in self.arrays)
        return f"Case({self.description}; inputs {shapes})"


# ------------------------------------------------------------------------------ value helpers
def _rng(draw: Any) -> np.random.Generator:
    return np.random.default_rng(draw(st.integers(0, 2**32 - 1)))


def normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.standard_normal(shape)


def positive(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(0.5, 2.0, shape)


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.2, 2.0, shape)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """All values at least 0.15 apart, so no reduction ever sees a tie."""
    size = int(np.prod(shape))
    spread = (rng.permutation(size) - size / 2) * 0.25 + rng.uniform(-0.05, 0.05, size)
    return spread.reshape(shape)


def on_grid(rng: np.random.Generator, shape: tuple[int, ...], offset: float) -> np.ndarray:
    """Multiples of 0.25 plus ``offset``: two grids with offsets 0 and 0.125 never meet."""
    return 0.25 * rng.integers(-6, 7, shape) + offset


SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
NONSCALAR_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
TRIPLES = hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3)


# ------------------------------------------------------------------------------ element-wise
def _binary(symbol: str, function: Callable[[Any, Any], Any], left, right):
    """``a op b`` with broadcasting, plus a Python scalar or a numpy array on either side."""

    @st.composite
    def cases(draw: Any) -> Case:
        rng = _rng(draw)
        (shape_a, shape_b), _ = draw(PAIRS)
        a, b = left(rng, shape_a), right(rng, shape_b)
        variant = draw(st.sampled_from(["tensors", "scalar right", "scalar left", "array left"]))
        if variant == "tensors":
            return Case((a, b), function, lambda torch, x, y: function(x, y), f"a {symbol} b")
        if variant == "scalar right":
            s = float(right(rng, ()))
            return Case(
                (a,),
                lambda x: function(x, s),
                lambda torch, x: function(x, s),
                f"a {symbol} {s:.3g}",
            )
        if variant == "scalar left":
            s = float(left(rng, ()))
            return Case(
                (b,),
                lambda y: function(s, y),
                lambda torch, y: function(s, y),
                f"{s:.3g} {symbol} b",
            )
        return Case(
            (b,),
            lambda y: function(a, y),  # ndarray on the left: Tensor's reflected operator
            lambda torch, y: function(torch.as_tensor(a, dtype=y.dtype), y),
            f"ndarray {symbol} b",
        )

    return cases()


def _unary(
    method: str,
    values: Callable[[np.random.Generator, tuple[int, ...]], np.ndarray],
    free_function: Callable[[Any], Tensor] | None = None,
    torch_name: str | None = None,
):
    """``a.method()``, and the module-level spelling when there is one."""

    @st.composite
    def cases(draw: Any) -> Case:
        a = values(_rng(draw), draw(SHAPES))
        use_function = free_function is not None and draw(st.booleans())
        call = free_function if use_function else (lambda x: getattr(x, method)())
        torch_method = torch_name or method
        return Case(
            (a,),
            call,
            lambda torch, x: getattr(torch, torch_method)(x),
            f"{'autograd.' if use_function else 'a.'}{method}",
        )

    return cases()


@st.composite
def _neg(draw: Any) -> Case:
    a = normal(_rng(draw), draw(SHAPES))
    return Case((a,), operator.neg, lambda torch, x: -x, "-a")


@st.composite
def _abs(draw: Any) -> Case:
    a = away_from_zero(_rng(draw), draw(SHAPES))
    use_builtin = draw(st.booleans())
    call = abs if use_builtin else (lambda x: x.abs())
    return Case((a,), call, lambda torch, x: x.abs(), "abs(a)" if use_builtin else "a.abs()")


def _extremum(name: str):
    free_function = getattr(autograd, name)

    @st.composite
    def cases(draw: Any) -> Case:
        rng = _rng(draw)
        (shape_a, shape_b), _ = draw(PAIRS)
        a, b = on_grid(rng, shape_a, 0.0), on_grid(rng, shape_b, 0.125)
        variant = draw(st.sampled_from(["function", "method", "scalar"]))

        def theirs(torch, x, y):
            return getattr(torch, name)(x, y)

        if variant == "function":
            return Case((a, b), free_function, theirs, f"autograd.{name}(a, b)")
        if variant == "method":
            return Case((a, b), lambda x, y: getattr(x, name)(y), theirs, f"a.{name}(b)")
        s = float(b.reshape(-1)[0])
        return Case(
            (a,),
            lambda x: free_function(x, s),
            lambda torch, x: theirs(torch, x, torch.tensor(s, dtype=x.dtype)),
            f"autograd.{name}(a, {s})",
        )

    return cases()


@st.composite
def _where(draw: Any) -> Case:
    rng = _rng(draw)
    (shape_c, shape_a, shape_b), _ = draw(TRIPLES)
    condition = rng.random(shape_c) > 0.5
    a, b = normal(rng, shape_a), normal(rng, shape_b)

    def theirs(torch, x, y):
        return torch.where(torch.as_tensor(condition), x, y)

    variant = draw(st.sampled_from(["ndarray condition", "Tensor condition", "scalar"]))
    if variant == "ndarray condition":
        return Case((a, b), lambda x, y: autograd.where(condition, x, y), theirs, variant)
    if variant == "Tensor condition":
        return Case((a, b), lambda x, y: autograd.where(Tensor(condition), x, y), theirs, variant)
    return Case(
        (a,),
        lambda x: autograd.where(condition, x, -0.5),
        lambda torch, x: theirs(torch, x, torch.tensor(-0.5, dtype=x.dtype)),
        "where(condition, a, -0.5)",
    )


@st.composite
def _clip(draw: Any) -> Case:
    # Values on a grid of 0.25 offset by 0.1 stay at least 0.1 away from the bounds -0.5, 0.5.
    a = on_grid(_rng(draw), draw(SHAPES), 0.1)
    low, high = draw(st.sampled_from([(-0.5, 0.5), (-0.5, None), (None, 0.5)]))
    spelling = draw(st.sampled_from(["clip", "clamp"]))
    return Case(
        (a,),
        lambda x: getattr(x, spelling)(low, high),
        lambda torch, x: torch.clamp(x, low, high),
        f"a.{spelling}({low}, {high})",
    )


@st.composite
def _cast(draw: Any) -> Case:
    a = normal(_rng(draw), draw(SHAPES))

    def there_and_back(x: Tensor) -> Tensor:
        other = np.float32 if x.dtype == np.float64 else np.float64
        return x.astype(other).astype(x.dtype)

    def theirs(torch, x):
        other = torch.float32 if x.dtype == torch.float64 else torch.float64
        return x.to(other).to(x.dtype)

    # The round trip through float32 rounds by ~1e-7: finite differences need a wide step
    # (the function is linear, so a wide step costs no accuracy).
    return Case((a,), there_and_back, theirs, "a.astype(other).astype(a.dtype)", {"eps": 1e-2})


# ------------------------------------------------------------------------------ reductions
@st.composite
def _axis_choice(draw: Any, ndim: int) -> Any:
    if ndim == 0:
        return None
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(
        lambda axes: tuple(axis - ndim if i % 2 else axis for i, axis in enumerate(axes))
    )
    return draw(st.one_of(st.none(), single, several))


def _reduce_in_torch(torch_function: str):
    def reduce(torch, x, axis, keepdims):
        function = getattr(torch, torch_function)
        if axis is None:
            out = function(x.reshape(-1), dim=0)
            return out.reshape((1,) * x.ndim) if keepdims else out
        return function(x, dim=axis, keepdim=keepdims)

    return reduce


def _reduction(method: str, torch_function: str, values):
    theirs = _reduce_in_torch(torch_function)

    @st.composite
    def cases(draw: Any) -> Case:
        a = values(_rng(draw), draw(SHAPES))
        axis = draw(_axis_choice(a.ndim))
        keepdims = draw(st.booleans())
        if draw(st.booleans()):
            call = lambda x: getattr(x, method)(axis=axis, keepdims=keepdims)  # noqa: E731
            spelling = f"a.{method}(axis={axis}, keepdims={keepdims})"
        else:
            call = lambda x: getattr(x, method)(dim=axis, keepdim=keepdims)  # noqa: E731
            spelling = f"a.{method}(dim={axis}, keepdim={keepdims})"
        return Case((a,), call, lambda torch, x: theirs(torch, x, axis, keepdims), spelling)

    return cases()


# ------------------------------------------------------------------------------ shape
@st.composite
def _reshape(draw: Any) -> Case:
    rng = _rng(draw)
    shape = draw(SHAPES)
    a = normal(rng, shape)
    # Shuffle the sides and insert a 1, so the shape always changes (an unchanged reshape
    # returns the tensor itself and records nothing).
    sides = list(rng.permutation(np.array(shape, dtype=int)))
    sides.insert(int(rng.integers(0, len(sides) + 1)), 1)
    target = tuple(int(n) for n in sides)
    variant = draw(st.sampled_from(["tuple", "star", "minus one", "view", "unsqueeze"]))
    if variant == "unsqueeze":
        axis = int(rng.integers(-a.ndim - 1, a.ndim + 1))
        target = np.expand_dims(a, axis).shape
        call = lambda x: x.unsqueeze(axis)  # noqa: E731
    elif variant == "minus one":
        spec = list(target)
        spec[int(rng.integers(0, len(spec)))] = -1
        call = lambda x: x.reshape(tuple(spec))  # noqa: E731
    elif variant == "star":
        call = lambda x: x.reshape(*target)  # noqa: E731
    elif variant == "view":
        call = lambda x: x.view(target)  # noqa: E731
    else:
        call = lambda x: x.reshape(target)  # noqa: E731
    return Case((a,), call, lambda torch, x: x.reshape(target), f"reshape {variant} {target}")


@st.composite
def _transpose(draw: Any) -> Case:
    rng = _rng(draw)
    a = normal(rng, draw(SHAPES))
    ndim = a.ndim
    permutation = tuple(int(i) for i in rng.permutation(ndim))
    variants = ["reverse", ".T", "tuple", "permute"]
    variants += ["swapaxes"] if ndim >= 2 else []
    variants += ["two axes swap (torch)"] if ndim >= 3 else []
    variant = draw(st.sampled_from(variants))
    if variant in ("reverse", ".T"):
        permutation = tuple(reversed(range(ndim)))
        call = (lambda x: x.T) if variant == ".T" else (lambda x: x.transpose())
    elif variant in ("swapaxes", "two axes swap (torch)"):
        i, j = (int(k) - ndim * int(rng.integers(0, 2)) for k in rng.choice(ndim, 2, False))
        order = list(range(ndim))
        order[i], order[j] = order[j], order[i]
        permutation = tuple(order)
        call = (
            (lambda x: x.swapaxes(i, j)) if variant == "swapaxes" else (lambda x: x.transpose(i, j))
        )
    elif variant == "permute":
        call = lambda x: x.permute(*permutation)  # noqa: E731
    else:
        call = lambda x: x.transpose(permutation)  # noqa: E731
    return Case((a,), call, lambda torch, x: x.permute(permutation), f"{variant} {permutation}")


@st.composite
def _broadcast_to(draw: Any) -> Case:
    rng = _rng(draw)
    shape = draw(SHAPES)
    a = normal(rng, shape)
    leading = tuple(int(n) for n in rng.integers(1, 4, int(rng.integers(0, 3))))
    grown = tuple(int(rng.integers(1, 4)) if n == 1 else n for n in shape)
    target = leading + grown
    if target == shape:
        target = (2,) + target
    variant = draw(st.sampled_from(["tuple", "star", "expand"]))
    if variant == "star":
        call = lambda x: x.broadcast_to(*target)  # noqa: E731
    elif variant == "expand":
        call = lambda x: x.expand(target)  # noqa: E731
    else:
        call = lambda x: x.broadcast_to(target)  # noqa: E731
    return Case((a,), call, lambda torch, x: x.broadcast_to(target), f"{variant} to {target}")


@st.composite
def _index(draw: Any, shape: tuple[int, ...]) -> tuple[Any, str]:
    """An index into an array of ``shape``: basic, an int, integer arrays, or a boolean mask."""
    rng = _rng(draw)
    kinds = ["basic", "int", "integer array", "boolean mask", "mask of leading axis"]
    if len(shape) >= 2:
        kinds += ["slice and integer array", "two integer arrays"]
    kind = draw(st.sampled_from(kinds))
    n = shape[0]
    if kind == "basic":
        return draw(hnp.basic_indices(shape, allow_newaxis=True)), kind
    if kind == "int":
        return int(rng.integers(-n, n)), kind
    if kind == "integer array":  # repeats and negative positions included
        size = tuple(int(k) for k in rng.integers(1, 4, int(rng.integers(1, 3))))
        return rng.integers(-n, n, size), kind
    if kind == "boolean mask":
        return rng.random(shape) > 0.4, kind
    if kind == "mask of leading axis":
        return rng.random(n) > 0.4, kind
    if kind == "slice and integer array":
        return (slice(None, None, -1), rng.integers(0, shape[1], 4)), kind
    return (rng.integers(0, n, 3), rng.integers(-shape[1], shape[1], 3)), kind


def _flat_positions(shape: tuple[int, ...], index: Any) -> np.ndarray:
    """Which flat element each element of ``array[index]`` comes from (for torch's gather)."""
    positions = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)[index]
    return positions.copy()  # C order: torch refuses negative strides


@st.composite
def _getitem(draw: Any) -> Case:
    a = normal(_rng(draw), draw(NONSCALAR_SHAPES))
    index, kind = draw(_index(a.shape))
    positions = _flat_positions(a.shape, index)

    def theirs(torch, x):
        return x.reshape(-1)[torch.as_tensor(positions.reshape(-1))].reshape(positions.shape)

    as_tensor_index = kind == "integer array" and draw(st.booleans())
    call = (lambda x: x[Tensor(index)]) if as_tensor_index else (lambda x: x[index])
    return Case((a,), call, theirs, f"a[{kind}{' as Tensor' if as_tensor_index else ''}]")


@st.composite
def _scatter_add(draw: Any) -> Case:
    shape = draw(NONSCALAR_SHAPES)
    index, kind = draw(_index(shape))
    positions = _flat_positions(shape, index)
    values = normal(_rng(draw), positions.shape)

    def theirs(torch, v):
        flat = torch.zeros(int(np.prod(shape)), dtype=v.dtype)
        flat = flat.index_add(0, torch.as_tensor(positions.reshape(-1)), v.reshape(-1))
        return flat.reshape(shape)

    # No public spelling of its own: it is getitem's backward (and getitem is its backward).
    return Case(
        (values,),
        lambda v: ops.ScatterAdd.apply(v, index=index, shape=shape),
        theirs,
        f"scatter_add({kind}) into {shape}",
    )


@st.composite
def _concat(draw: Any) -> Case:
    rng = _rng(draw)
    base = list(draw(NONSCALAR_SHAPES))
    axis = int(rng.integers(-len(base), len(base)))
    arrays = []
    for _ in range(int(rng.integers(1, 4))):
        base[axis] = int(rng.integers(1, 4))
        arrays.append(normal(rng, tuple(base)))
    spelling = draw(st.sampled_from(["concat", "cat", "concatenate"]))
    function = getattr(autograd, spelling)
    return Case(
        tuple(arrays),
        lambda *xs: function(list(xs), axis=axis),
        lambda torch, *xs: torch.cat(xs, dim=axis),
        f"{spelling}(axis={axis})",
    )


@st.composite
def _stack(draw: Any) -> Case:
    rng = _rng(draw)
    shape = draw(SHAPES)
    arrays = tuple(normal(rng, shape) for _ in range(int(rng.integers(1, 4))))
    axis = int(rng.integers(-len(shape) - 1, len(shape) + 1))
    return Case(
        arrays,
        lambda *xs: autograd.stack(xs, axis=axis),
        lambda torch, *xs: torch.stack(xs, dim=axis),
        f"stack(axis={axis})",
    )


# ------------------------------------------------------------------------------ linear algebra
_side = st.integers(1, 3)


@st.composite
def _matmul(draw: Any) -> Case:
    rng = _rng(draw)
    m, k, n = draw(_side), draw(_side), draw(_side)
    kind = draw(st.sampled_from(["1-D @ 1-D", "1-D @ N-D", "N-D @ 1-D", "N-D @ N-D"]))
    (batch_a, batch_b), _ = draw(
        hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3)
    )
    shape_a = (k,) if kind.startswith("1-D @") else batch_a + (m, k)
    shape_b = (k,) if kind.endswith("@ 1-D") else batch_b + (k, n)
    a, b = normal(rng, shape_a), normal(rng, shape_b)
    spellings = ["@", "matmul", "autograd.matmul"]
    if a.ndim <= 2 and b.ndim <= 2:
        spellings += ["dot", "autograd.dot"]
    spelling = draw(st.sampled_from(spellings))
    call = {
        "@": operator.matmul,
        "matmul": lambda x, y: x.matmul(y),
        "autograd.matmul": autograd.matmul,
        "dot": lambda x, y: x.dot(y),
        "autograd.dot": autograd.dot,
    }[spelling]
    return Case((a, b), call, lambda torch, x, y: torch.matmul(x, y), f"{kind} via {spelling}")


@st.composite
def _linear(draw: Any) -> Case:
    rng = _rng(draw)
    batch = tuple(draw(st.lists(_side, max_size=2)))
    features_in, features_out = draw(_side), draw(_side)
    x, weight = normal(rng, batch + (features_in,)), normal(rng, (features_in, features_out))
    bias_shapes = [None, (features_out,)] + ([(1, features_out)] if batch else [])
    bias_shape = draw(st.sampled_from(bias_shapes))
    if bias_shape is None:
        return Case((x, weight), autograd.linear, lambda torch, x, w: x @ w, "no bias")
    bias = normal(rng, bias_shape)
    return Case(
        (x, weight, bias), autograd.linear, lambda torch, x, w, b: x @ w + b, f"bias {bias_shape}"
    )


@st.composite
def _tensordot(draw: Any) -> Case:
    rng = _rng(draw)
    contracted = tuple(draw(st.lists(_side, max_size=3)))
    free_a = tuple(draw(st.lists(_side, max_size=2)))
    free_b = tuple(draw(st.lists(_side, max_size=2)))
    if draw(st.booleans()):  # axes=k: a's last k axes with b's first k, in order
        k = len(contracted)
        a, b = normal(rng, free_a + contracted), normal(rng, contracted + free_b)
        return Case(
            (a, b),
            lambda x, y: autograd.tensordot(x, y, axes=k),
            lambda torch, x, y: torch.tensordot(x, y, dims=k),
            f"axes={k}",
        )
    # Explicit pairs, placed at random positions and paired in a random (unsorted) order.
    ndim_a, ndim_b = len(free_a) + len(contracted), len(free_b) + len(contracted)
    axes_a = [int(i) for i in rng.permutation(ndim_a)[: len(contracted)]]
    axes_b = [int(i) for i in rng.permutation(ndim_b)[: len(contracted)]]
    shape_a, shape_b = list(free_a), list(free_b)
    for axis, size in sorted(zip(axes_a, contracted)):
        shape_a.insert(axis, size)
    for axis, size in sorted(zip(axes_b, contracted)):
        shape_b.insert(axis, size)
    a, b = normal(rng, tuple(shape_a)), normal(rng, tuple(shape_b))
    axes = (axes_a, axes_b)
    if len(contracted) == 1 and draw(st.booleans()):
        axes = (axes_a[0], axes_b[0])  # single ints instead of lists
    return Case(
        (a, b),
        lambda x, y: autograd.tensordot(x, y, axes=axes),
        lambda torch, x, y: torch.tensordot(
            x, y, dims=([*np.atleast_1d(axes[0])], [*np.atleast_1d(axes[1])])
        ),
        f"axes={axes}",
    )


# ------------------------------------------------------------------------------ activations
def _softmax_like(method: str):
    @st.composite
    def cases(draw: Any) -> Case:
        a = 2 * normal(_rng(draw), draw(NONSCALAR_SHAPES))
        axis = draw(st.integers(-a.ndim, a.ndim - 1))
        spelling = draw(st.sampled_from(["positional", "dim", "function"]))
        call = {
            "positional": lambda x: getattr(x, method)(axis),
            "dim": lambda x: getattr(x, method)(dim=axis),
            "function": lambda x: getattr(autograd, method)(x, axis=axis),
        }[spelling]
        return Case(
            (a,),
            call,
            lambda torch, x: getattr(torch, method)(x, dim=axis),
            f"{method} axis={axis} ({spelling})",
        )

    return cases()


@st.composite
def _softmax_cross_entropy(draw: Any) -> Case:
    rng = _rng(draw)
    batch, classes = draw(st.integers(1, 4)), draw(st.integers(2, 4))
    logits = 2 * normal(rng, (batch, classes))
    labels = rng.integers(0, classes, batch)

    def theirs(torch, x, target):
        return torch.nn.functional.cross_entropy(x, target)

    kinds = ["integer labels", "one-hot", "soft targets", "rows not summing to 1"]
    kind = draw(st.sampled_from(kinds))
    if kind == "integer labels":
        target = labels  # int64
    elif kind == "one-hot":
        target = np.eye(classes)[labels]
    elif kind == "soft targets":
        target = rng.dirichlet(np.ones(classes), batch)
    else:  # PyTorch's gradient is softmax * sum(t) - t
        target = rng.uniform(-0.5, 2.0, (batch, classes))
    return Case((logits, target), autograd.softmax_cross_entropy, theirs, kind)


# ------------------------------------------------------------------------------ the table
SPECS: dict[str, st.SearchStrategy[Case]] = {
    "add": _binary("+", operator.add, normal, normal),
    "sub": _binary("-", operator.sub, normal, normal),
    "mul": _binary("*", operator.mul, normal, normal),
    "div": _binary("/", operator.truediv, normal, away_from_zero),
    "pow": _binary("**", operator.pow, positive, normal),
    "neg": _neg(),
    "exp": _unary("exp", normal, autograd.exp),
    "log": _unary("log", positive, autograd.log),
    "sqrt": _unary("sqrt", positive, autograd.sqrt),
    "abs": _abs(),
    "relu": _unary("relu", away_from_zero, autograd.relu),
    "maximum": _extremum("maximum"),
    "minimum": _extremum("minimum"),
    "where": _where(),
    "clip": _clip(),
    "cast": _cast(),
    "sum": _reduction("sum", "sum", normal),
    "mean": _reduction("mean", "mean", normal),
    "max": _reduction("max", "amax", distinct),
    "min": _reduction("min", "amin", distinct),
    "logsumexp": _reduction("logsumexp", "logsumexp", normal),
    "reshape": _reshape(),
    "transpose": _transpose(),
    "broadcast_to": _broadcast_to(),
    "getitem": _getitem(),
    "scatter_add": _scatter_add(),
    "concat": _concat(),
    "stack": _stack(),
    "matmul": _matmul(),
    "linear": _linear(),
    "tensordot": _tensordot(),
    "tanh": _unary("tanh", normal, autograd.tanh),
    "sigmoid": _unary("sigmoid", normal, autograd.sigmoid),
    "softmax": _softmax_like("softmax"),
    "log_softmax": _softmax_like("log_softmax"),
    "softmax_cross_entropy": _softmax_cross_entropy(),
}


SPECS.update(activation_specs(Case, _rng, SHAPES))


def tensors_for(case: Case, dtype: Any = None, requires_grad: bool = True) -> list[Tensor]:
    """Tensors of ``case.arrays`` (copies); floating ones in ``dtype`` and requiring grad."""
    tensors = []
    for array in case.arrays:
        if array.dtype.kind == "f":
            data = array.astype(dtype or array.dtype)  # a copy
            tensors.append(Tensor(data, requires_grad=requires_grad))
        else:
            tensors.append(Tensor(array.copy()))
    return tensors


# The specs of issue 11's ops live in their own file, which adds them to SPECS; imported last
# (it uses the helpers above), and a plain import works whichever of the two loads first.
import tests.op_specs_extra  # noqa: E402, F401
