"""dtype promotion of binary ops against ``torch.result_type``, over a matrix of dtype pairs:
n-d and 0-d Tensors of every dtype, Python bool/int/float on either side, and numpy arrays
(a deliberate difference: they count like Python numbers of their kind, see
``autograd.dtypes.result_type``)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor
from autograd.dtypes import result_type

torch = pytest.importorskip("torch", reason="PyTorch's result_type is the reference")

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"]
SCALARS = [True, 3, 2.5]
# Binary entry points that must all promote the same way.
BINARY = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "maximum": autograd.maximum,
    "where": lambda a, b: autograd.where(np.array([True, False]), a, b),
}


def operand(dtype: str, zero_d: bool) -> tuple[Tensor, object]:
    array = np.array(1 if zero_d else [1, 0], dtype=dtype)
    return Tensor(array), torch.tensor(array)


def _mismatches(ours: tuple, theirs: object, label: str) -> list[str]:
    found = []
    expected = str(theirs).removeprefix("torch.")
    for name, op in BINARY.items():
        got = str(op(*ours).dtype)
        if got != expected:
            found.append(f"{label} via {name}: {got}, torch {expected}")
    return found


@pytest.mark.parametrize("zero_d_a", [False, True], ids=["n-d", "0-d"])
@pytest.mark.parametrize("dtype_a", DTYPES)
def test_tensor_pairs_promote_like_torch_result_type(dtype_a, zero_d_a):
    mismatches = []
    ours_a, theirs_a = operand(dtype_a, zero_d_a)
    for dtype_b in DTYPES:
        for zero_d_b in (False, True):
            ours_b, theirs_b = operand(dtype_b, zero_d_b)
            label = f"{dtype_a}{' 0-d' * zero_d_a} with {dtype_b}{' 0-d' * zero_d_b}"
            expected = torch.result_type(theirs_a, theirs_b)
            mismatches += _mismatches((ours_a, ours_b), expected, label)
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("zero_d", [False, True], ids=["n-d", "0-d"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_python_scalars_on_either_side_promote_like_torch(dtype, zero_d):
    mismatches = []
    ours, theirs = operand(dtype, zero_d)
    for scalar in SCALARS:
        expected = torch.result_type(theirs, scalar)
        mismatches += _mismatches((ours, scalar), expected, f"{dtype} with {scalar!r}")
        mismatches += _mismatches((scalar, ours), expected, f"{scalar!r} with {dtype}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("dtype", DTYPES)
def test_numpy_arrays_count_like_python_numbers_of_their_kind(dtype):
    """The deliberate difference: ``x + np.ones(3)`` keeps a float32 x float32."""
    ours, theirs = operand(dtype, zero_d=False)
    for array_dtype, like in [("bool", True), ("int16", 3), ("int64", 3), ("float64", 2.5)]:
        array = np.array([1, 0], dtype=array_dtype)
        expected = str(torch.result_type(theirs, like)).removeprefix("torch.")
        for result in (ours + array, array + ours, ours * array[0], autograd.maximum(ours, array)):
            assert str(result.dtype) == expected, (dtype, array_dtype)


def test_the_cases_of_the_issue():
    i32 = Tensor(np.array([1, 2], dtype=np.int32))
    f32 = Tensor(np.array([1.0, 2.0], dtype=np.float32))
    cases = {
        "int32 + 1": (i32 + 1, np.int32),
        "int32 ** 0.5": (i32**0.5, np.float32),
        "0.7 ** int32": (0.7**i32, np.float32),
        "maximum(int32, float32 0-d)": (autograd.maximum(i32, Tensor(np.float32(1))), np.float32),
        "float32 + int64 Tensor": (f32 + Tensor(np.array([1, 2])), np.float32),
        "float32 + float64 0-d": (f32 + Tensor(np.float64(1)), np.float32),
        "int32 / int32": (i32 / i32, np.float32),  # true division gives the default float
        "int32 / 2": (i32 / 2, np.float32),
    }
    for name, (result, dtype) in cases.items():
        assert result.dtype == dtype, name
    assert (i32 / i32).tolist() == [1.0, 1.0]


def test_a_promoted_operand_still_gets_its_gradient_in_its_own_dtype():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    s = Tensor(np.float64(3.0), requires_grad=True)
    (x * s).sum().backward()
    assert (x * s).dtype == np.float32
    assert s.grad.dtype == np.float64 and s.grad.item() == 3.0
    assert x.grad.tolist() == [3.0, 3.0]


def test_result_type_is_cached_and_documents_its_table():
    assert "=====" in result_type.__doc__
    result_type.cache_clear()
    x = Tensor(np.ones(2, dtype=np.int16))
    for _ in range(3):
        x + Tensor(np.ones(2, dtype=np.int8))
    assert result_type.cache_info().hits >= 2
