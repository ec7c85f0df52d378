"""Float-valued functions (exp, sin, erf, arctan2, ...) on bool and integer tensors give the
default float32 and its values, as PyTorch; numpy alone would give float16 for int8 and bool,
float64 for int32 and int64, and an integer result for reciprocal and sigmoid (1/2 -> 0)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

torch = pytest.importorskip("torch")

UNARY = {  # our name -> torch's
    "exp": "exp", "log": "log", "sqrt": "sqrt", "tanh": "tanh", "sigmoid": "sigmoid",
    "sin": "sin", "cos": "cos", "tan": "tan", "arcsin": "asin", "arccos": "acos",
    "arctan": "atan", "sinh": "sinh", "cosh": "cosh", "arcsinh": "asinh", "arccosh": "acosh",
    "arctanh": "atanh", "log2": "log2", "log10": "log10", "log1p": "log1p", "exp2": "exp2",
    "expm1": "expm1", "reciprocal": "reciprocal", "rsqrt": "rsqrt", "erf": "erf", "erfc": "erfc",
}  # fmt: skip
BINARY = {"arctan2": "atan2", "hypot": "hypot", "logaddexp": "logaddexp"}
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64"]


def _values(dtype):
    return np.array([0, 1, 2, 3], dtype=np.int64).astype(dtype)


def _check(ours, theirs):
    assert ours.dtype == np.float32, ours.dtype
    expected = theirs.numpy()
    np.testing.assert_allclose(ours.data, expected, rtol=1e-6, atol=1e-6, equal_nan=True)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_float_function_of_integers_is_float32(name, dtype):
    if name in ("erf", "erfc"):
        pytest.importorskip("scipy")
    a = _values(dtype)
    theirs = getattr(torch, UNARY[name])(torch.tensor(a))
    _check(getattr(ag, name)(Tensor(a)), theirs)
    _check(getattr(Tensor(a), name)(), theirs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_float_function_of_integers_is_float32(name, dtype):
    a, b = _values(dtype), _values(dtype)[::-1].copy()
    if name == "hypot":  # torch's hypot refuses integers: compare with its float32 result
        theirs = torch.hypot(torch.tensor(a.astype(np.float32)), torch.tensor(b.astype(np.float32)))
    elif name == "logaddexp":
        theirs = torch.logaddexp(
            torch.tensor(a.astype(np.float32)), torch.tensor(b.astype(np.float32))
        )
    else:
        theirs = getattr(torch, BINARY[name])(torch.tensor(a), torch.tensor(b))
    _check(getattr(ag, name)(Tensor(a), Tensor(b)), theirs)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_integer_operand_next_to_a_float_that_requires_grad(name):
    y = Tensor(np.array([1.0, -2.0, 0.5], np.float32), requires_grad=True)
    x = Tensor(np.array([2, 1, 3], np.int32))
    getattr(ag, name)(y, x).sum().backward()
    ty = torch.tensor(y.data, requires_grad=True)
    getattr(torch, BINARY[name])(ty, torch.tensor(x.data, dtype=torch.float32)).sum().backward()
    assert y.grad.dtype == np.float32
    np.testing.assert_allclose(y.grad.data, ty.grad.numpy(), rtol=1e-6)


DIVIDE_SPELLINGS = {
    "operator": lambda a, b: a / b,
    "divide": lambda a, b: ag.divide(a, b),
    "true_divide": lambda a, b: ag.true_divide(a, b),
    "div method": lambda a, b: a.div(b),
    "np.divide": lambda a, b: np.divide(a, b),
}


@pytest.mark.parametrize("other", [2, "tensor"])
@pytest.mark.parametrize("dtype", DTYPES[1:])
@pytest.mark.parametrize("spelling", sorted(DIVIDE_SPELLINGS))
def test_every_spelling_of_true_division_of_integers_gives_float32(spelling, dtype, other):
    a = _values(dtype) + 1
    b = Tensor(a[::-1].copy()) if other == "tensor" else other
    theirs = torch.tensor(a) / (torch.tensor(a[::-1].copy()) if other == "tensor" else other)
    _check(DIVIDE_SPELLINGS[spelling](Tensor(a), b), theirs)
