"""Specs (see ``tests/op_specs.py``) for the ops of issue 11's vocabulary; ``op_specs.SPECS``
includes them, so the gradcheck (first and second order) and PyTorch tests run every one.

Values keep away from where an op is not differentiable or not defined: rounding inputs sit
0.1 or more from integers and halves, remainder quotients 0.05 or more from integers,
arcsin/arctanh inputs inside (-0.9, 0.9), arccosh inputs above 1.1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

import autograd
from tests.op_specs import (
    PAIRS,
    SHAPES,
    SPECS,
    Case,
    _rng,
    away_from_zero,
    normal,
    on_grid,
    positive,
)


def inside_one(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(-0.9, 0.9, shape)


def above_one(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(1.1, 3.0, shape)


def small(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(-1.2, 1.2, shape)


def off_grid(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 away from every integer and half-integer (rounding's jumps)."""
    return on_grid(rng, shape, 0.1) * 3


def _spelled(spellings: list[str], values, torch_name: str, **params: Any):
    """``x.<spelling>(**params)`` or ``autograd.<spelling>(x, **params)``."""

    @st.composite
    def cases(draw: Any) -> Case:
        a = values(_rng(draw), draw(SHAPES))
        spelling = draw(st.sampled_from(spellings))
        if draw(st.booleans()):
            call = lambda x: getattr(x, spelling)(**params)  # noqa: E731
            label = f"a.{spelling}"
        else:
            call = lambda x: getattr(autograd, spelling)(x, **params)  # noqa: E731
            label = f"autograd.{spelling}"
        return Case((a,), call, lambda torch, x: getattr(torch, torch_name)(x, **params), label)

    return cases()


def _binary_spelled(spellings: list[str], left, right, torch_name: str, valid=None):
    """``autograd.<spelling>(a, b)`` or ``a.<spelling>(b)``, broadcasting, with a number on
    either side; ``valid(a, b)`` rejects inputs too near a non-differentiable point."""

    @st.composite
    def cases(draw: Any) -> Case:
        rng = _rng(draw)
        (shape_a, shape_b), _ = draw(PAIRS)
        for _ in range(100):
            a, b = left(rng, shape_a), right(rng, shape_b)
            if valid is None or valid(a, b):
                break
        spelling = draw(st.sampled_from(spellings))
        function = getattr(autograd, spelling)

        def theirs(torch, x, y):
            return getattr(torch, torch_name)(x, y)

        variant = draw(st.sampled_from(["function", "method", "scalar right", "scalar left"]))
        s_a, s_b = a.reshape(-1)[:1], b.reshape(-1)[:1]
        if valid is not None and not (valid(a, s_b) and valid(s_a, b)):
            variant = "function"  # a scalar side would meet values the draw did not check
        if variant == "function" or a.ndim == 0 and b.ndim == 0:
            return Case((a, b), function, theirs, f"autograd.{spelling}(a, b)")
        if variant == "method":
            return Case((a, b), lambda x, y: getattr(x, spelling)(y), theirs, f"a.{spelling}(b)")
        if variant == "scalar right":
            s = float(b.reshape(-1)[0])
            return Case(
                (a,),
                lambda x: function(x, s),
                lambda torch, x: theirs(torch, x, torch.tensor(s, dtype=x.dtype)),
                f"{spelling}(a, {s:.3g})",
            )
        s = float(a.reshape(-1)[0])
        return Case(
            (b,),
            lambda y: function(s, y),
            lambda torch, y: theirs(torch, torch.tensor(s, dtype=y.dtype), y),
            f"{spelling}({s:.3g}, b)",
        )

    return cases()


def _quotient_off_integers(rounding: Callable[[np.ndarray], np.ndarray]):
    def valid(a: np.ndarray, b: np.ndarray) -> bool:
        q = a / b
        return bool(np.all(np.abs(q - np.round(q)) > 0.05))

    return valid


@st.composite
def _operator_spelling(draw: Any, symbol: str, torch_name: str) -> Case:
    """``a // b`` and ``a % b`` with a Tensor, number or array on either side."""
    rng = _rng(draw)
    (shape_a, shape_b), _ = draw(PAIRS)
    valid = _quotient_off_integers(np.floor)
    for _ in range(100):
        a, b = normal(rng, shape_a) * 2, away_from_zero(rng, shape_b)
        if valid(a, b):
            break
    function = {"//": lambda x, y: x // y, "%": lambda x, y: x % y}[symbol]

    def theirs(torch, x, y):
        return getattr(torch, torch_name)(x, y)

    if draw(st.booleans()):
        return Case((a, b), function, theirs, f"a {symbol} b")
    return Case(
        (b,),
        lambda y: function(a, y),
        lambda torch, y: theirs(torch, torch.as_tensor(a, dtype=y.dtype), y),
        f"ndarray {symbol} b",
    )


def _torch_floor_divide(torch, x, y):
    # torch.floor_divide has no derivative; floor(x / y) is the same function, gradient zero.
    return torch.floor(x / y)


@st.composite
def _floor_divide(draw: Any) -> Case:
    rng = _rng(draw)
    (shape_a, shape_b), _ = draw(PAIRS)
    valid = _quotient_off_integers(np.floor)
    for _ in range(100):
        a, b = normal(rng, shape_a) * 2, away_from_zero(rng, shape_b)
        if valid(a, b):
            break
    spelling = draw(st.sampled_from(["autograd.floor_divide", "a // b", "a.floor_divide(b)"]))
    call = {
        "autograd.floor_divide": autograd.floor_divide,
        "a // b": lambda x, y: x // y,
        "a.floor_divide(b)": lambda x, y: x.floor_divide(y),
    }[spelling]
    return Case((a, b), call, _torch_floor_divide, spelling)


@st.composite
def _round(draw: Any) -> Case:
    decimals = draw(st.sampled_from([0, 0, 1]))
    a = off_grid(_rng(draw), draw(SHAPES)) / 10**decimals
    return Case(
        (a,),
        lambda x: x.round(decimals) if decimals else autograd.round(x),
        lambda torch, x: torch.round(x, decimals=decimals),
        f"round(decimals={decimals})",
    )


ELEMENTWISE_SPECS = {
    "sin": _spelled(["sin"], normal, "sin"),
    "cos": _spelled(["cos"], normal, "cos"),
    "tan": _spelled(["tan"], small, "tan"),
    "arcsin": _spelled(["arcsin", "asin"], inside_one, "asin"),
    "arccos": _spelled(["arccos", "acos"], inside_one, "acos"),
    "arctan": _spelled(["arctan", "atan"], normal, "atan"),
    "sinh": _spelled(["sinh"], normal, "sinh"),
    "cosh": _spelled(["cosh"], normal, "cosh"),
    "arcsinh": _spelled(["arcsinh", "asinh"], normal, "asinh"),
    "arccosh": _spelled(["arccosh", "acosh"], above_one, "acosh"),
    "arctanh": _spelled(["arctanh", "atanh"], inside_one, "atanh"),
    "log2": _spelled(["log2"], positive, "log2"),
    "log10": _spelled(["log10"], positive, "log10"),
    "log1p": _spelled(["log1p"], positive, "log1p"),
    "exp2": _spelled(["exp2"], normal, "exp2"),
    "expm1": _spelled(["expm1"], normal, "expm1"),
    "reciprocal": _spelled(["reciprocal"], away_from_zero, "reciprocal"),
    "square": _spelled(["square"], normal, "square"),
    "rsqrt": _spelled(["rsqrt"], positive, "rsqrt"),
    "sign": _spelled(["sign"], away_from_zero, "sign"),
    "floor": _spelled(["floor"], off_grid, "floor"),
    "ceil": _spelled(["ceil"], off_grid, "ceil"),
    "trunc": _spelled(["trunc", "fix"], off_grid, "trunc"),
    "round": _round(),
    "erf": _spelled(["erf"], normal, "erf"),
    "erfc": _spelled(["erfc"], normal, "erfc"),
    "arctan2": _binary_spelled(["arctan2", "atan2"], away_from_zero, away_from_zero, "atan2"),
    "hypot": _binary_spelled(["hypot"], away_from_zero, away_from_zero, "hypot"),
    "logaddexp": _binary_spelled(["logaddexp"], normal, normal, "logaddexp"),
    "fmod": _binary_spelled(
        ["fmod"], normal, away_from_zero, "fmod", _quotient_off_integers(np.trunc)
    ),
    "remainder": st.one_of(
        _binary_spelled(
            ["remainder"], normal, away_from_zero, "remainder", _quotient_off_integers(np.floor)
        ),
        _operator_spelling("%", "remainder"),
    ),
    "floor_divide": _floor_divide(),
}

SPECS_EXTRA: dict[str, Any] = {**ELEMENTWISE_SPECS}


# ------------------------------------------------------------------------------ reductions
@st.composite
def _axes(draw: Any, ndim: int) -> Any:
    if ndim == 0:
        return None
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple)
    return draw(st.one_of(st.none(), single, several))


def with_zeros(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values away from zero, with none, one or several exact zeros."""
    values = away_from_zero(rng, shape)
    zeros = int(rng.integers(0, min(3, values.size) + 1))
    values.reshape(-1)[rng.permutation(values.size)[:zeros]] = 0.0
    return values


def _torch_dim(axis: Any, ndim: int) -> Any:
    return tuple(range(ndim)) if axis is None else axis


@st.composite
def _prod(draw: Any) -> Case:
    a = with_zeros(_rng(draw), draw(SHAPES))
    axis = draw(_axes(a.ndim))
    keepdims = draw(st.booleans())

    def theirs(torch, x):
        # torch.prod reduces one dim at a time; reduce the highest first so indices hold.
        dims = sorted({d % max(x.ndim, 1) for d in np.atleast_1d(_torch_dim(axis, x.ndim))})
        for d in reversed(dims):
            x = torch.prod(x, dim=d, keepdim=keepdims)
        return x

    if draw(st.booleans()):
        return Case((a,), lambda x: x.prod(axis=axis, keepdims=keepdims), theirs, f"prod {axis}")
    return Case(
        (a,), lambda x: autograd.prod(x, dim=axis, keepdim=keepdims), theirs, f"prod dim={axis}"
    )


@st.composite
def _var(draw: Any) -> Case:
    a = normal(_rng(draw), draw(SHAPES))
    axis = draw(_axes(a.ndim))
    keepdims = draw(st.booleans())
    count = a.size if axis is None else int(np.prod([a.shape[i] for i in np.atleast_1d(axis)]))
    ddof = draw(st.sampled_from([0, 1])) if count > 1 else 0
    spelling = draw(st.sampled_from(["ddof", "correction", "unbiased", "std"]))

    def theirs(torch, x):
        return torch.var(x, dim=_torch_dim(axis, x.ndim), correction=ddof, keepdim=keepdims)

    if spelling == "ddof":
        call = lambda x: x.var(axis=axis, ddof=ddof, keepdims=keepdims)  # noqa: E731
    elif spelling == "correction":
        call = lambda x: autograd.var(x, dim=axis, correction=ddof, keepdim=keepdims)  # noqa: E731
    elif spelling == "unbiased":
        call = lambda x: x.var(dim=axis, unbiased=bool(ddof), keepdim=keepdims)  # noqa: E731
    elif count > 1:  # std squared: the var op seen through sqrt and square (var > 0)
        call = lambda x: x.std(axis=axis, ddof=ddof, keepdims=keepdims) ** 2  # noqa: E731
    else:
        call = lambda x: x.var(axis=axis, ddof=ddof, keepdims=keepdims)  # noqa: E731
    return Case((a,), call, theirs, f"var {spelling} axis={axis} ddof={ddof}")


def _scan(method: str, values, torch_name: str, allow_none: bool):
    @st.composite
    def cases(draw: Any) -> Case:
        a = values(_rng(draw), draw(SHAPES))
        axes = ([None] if allow_none else []) + list(range(-a.ndim, a.ndim))
        axis = draw(st.sampled_from(axes)) if a.ndim else None
        if axis is None and not allow_none:
            a, axis = a.reshape(1), 0

        def theirs(torch, x):
            if axis is None:
                return getattr(torch, torch_name)(x.reshape(-1), dim=0)
            return getattr(torch, torch_name)(x, dim=axis)

        if draw(st.booleans()):
            call = lambda x: getattr(x, method)(axis)  # noqa: E731
        else:
            call = lambda x: getattr(autograd, method)(x, dim=axis)  # noqa: E731
        return Case((a,), call, theirs, f"{method} axis={axis}")

    return cases()


REDUCTION_SPECS = {
    "prod": _prod(),
    "var": _var(),
    "cumsum": _scan("cumsum", normal, "cumsum", True),
    "cumprod": _scan("cumprod", with_zeros, "cumprod", True),
    "logcumsumexp": _scan("logcumsumexp", normal, "logcumsumexp", False),
}
SPECS_EXTRA.update(REDUCTION_SPECS)


# ------------------------------------------------------------------------------ linear algebra
def well_conditioned(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Square matrices (..., n, n) near 2I: far from singular, determinant positive or not."""
    n = shape[-1]
    return rng.standard_normal(shape) * 0.4 + 2 * np.eye(n) * rng.choice([-1.0, 1.0])


@st.composite
def _square_matrices(draw: Any) -> np.ndarray:
    batch = tuple(draw(st.lists(st.integers(1, 2), max_size=2)))
    n = draw(st.integers(1, 3))
    return well_conditioned(_rng(draw), batch + (n, n))


def _matrix_function(name: str, torch_call: Callable, call: Callable):
    @st.composite
    def cases(draw: Any) -> Case:
        a = draw(_square_matrices())
        return Case((a,), call, torch_call, f"{name} of {a.shape}")

    return cases()


@st.composite
def _solve(draw: Any) -> Case:
    a = draw(_square_matrices())
    rng = _rng(draw)
    n = a.shape[-1]
    kind = draw(st.sampled_from(["vector", "matrix"]))
    if kind == "vector":
        b = rng.standard_normal((n,))
    else:
        batch = tuple(draw(st.sampled_from([(), (1,) * (a.ndim - 2), a.shape[:-2]])))
        b = rng.standard_normal(batch + (n, draw(st.integers(1, 3))))
        if b.ndim != a.ndim:  # keep b's rank: torch reads rank ndim-1 as batched vectors
            b = b.reshape((1,) * (a.ndim - b.ndim) + b.shape)
    return Case(
        (a, b),
        autograd.linalg.solve,
        lambda torch, x, y: torch.linalg.solve(x, y),
        f"solve {a.shape} {b.shape}",
    )


LINALG_SPECS = {
    "inv": _matrix_function("inv", lambda torch, x: torch.linalg.inv(x), autograd.linalg.inv),
    "det": _matrix_function("det", lambda torch, x: torch.linalg.det(x), autograd.linalg.det),
    "logabsdet": _matrix_function(
        "slogdet",
        lambda torch, x: torch.linalg.slogdet(x)[1],
        lambda x: autograd.linalg.slogdet(x)[1],
    ),
    "solve": _solve(),
}
SPECS_EXTRA.update(LINALG_SPECS)


# op_specs.py imports this module at its end; this line is what puts these specs in SPECS.
SPECS.update(SPECS_EXTRA)

import tests.op_specs_shape  # noqa: E402, F401  (the shape and indexing specs, same pattern)
