"""The Tensor surface: any rank, numpy conversions, reductions, shape methods, operators."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

# Scalar, vector, matrix, timeseries (batch, time, features), images (batch, height, width,
# channels) and video (batch, frames, height, width, channels), as in the notes.
RANKS = {
    "scalar": (),
    "vector": (5,),
    "matrix": (3, 4),
    "timeseries": (2, 7, 3),
    "images": (2, 4, 4, 3),
    "video": (2, 3, 4, 4, 3),
}


@pytest.mark.parametrize("kind", RANKS)
def test_tensor_of_every_rank_reports_numpy_attributes_and_differentiates(kind):
    shape = RANKS[kind]
    array = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    t = Tensor(array, requires_grad=True)
    assert (t.shape, t.ndim, t.dtype, t.size) == (shape, len(shape), np.float32, array.size)
    assert t.is_leaf and t.grad_fn is None
    (t * t).sum().backward()
    np.testing.assert_allclose(t.grad.data, 2 * array)
    assert t.grad.shape == shape


def test_numpy_item_tolist_and_asarray_share_or_convert_the_data():
    array = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = Tensor(array)
    assert t.numpy() is array
    assert np.asarray(t) is array
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert Tensor(np.array(2.5)).item() == 2.5
    assert float(Tensor([[7.0]])) == 7.0
    with pytest.raises(ValueError, match="one-element"):
        t.item()


def test_detach_shares_data_and_cuts_the_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert d.data is y.data and not d.requires_grad and d.grad_fn is None
    (d * x).sum().backward()  # no gradient flows through d back into y's history
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_requires_grad_underscore_sets_the_flag_and_returns_self():
    t = Tensor([1.0])
    assert t.requires_grad_() is t and t.requires_grad
    assert t.requires_grad_(False) is t and not t.requires_grad
    with pytest.raises(RuntimeError, match="detach"):
        (Tensor([1.0], requires_grad=True) * 2).requires_grad_(False)


def test_repr_shows_values_dtype_name_and_grad_fn():
    leaf = Tensor([1.5, -2.0], requires_grad=True, name="w")
    text = repr(leaf)
    assert "1.5" in text and "-2." in text and "float32" in text and "name='w'" in text
    assert "requires_grad=True" in text
    assert "grad_fn=<Mul>" in repr(leaf * 2)
    assert repr(Tensor(np.arange(3))) == "Tensor([0, 1, 2], dtype=int64)"


def test_len_and_iteration_go_over_the_first_axis():
    t = Tensor(np.arange(6.0).reshape(3, 2))
    assert len(t) == 3
    assert [row.tolist() for row in t] == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    with pytest.raises(TypeError):
        len(Tensor(1.0))


# ------------------------------------------------------------------------------ reductions
@pytest.mark.parametrize("method", ["sum", "mean", "max", "min"])
def test_reductions_take_numpy_and_torch_spellings_of_axis_and_keepdims(method):
    array = np.random.default_rng(3).standard_normal((2, 3, 4))
    t = Tensor(array)
    reference = getattr(np, "amax" if method == "max" else "amin" if method == "min" else method)
    cases = [
        ({}, {}),
        ({"axis": 1}, {"axis": 1}),
        ({"axis": -1, "keepdims": True}, {"axis": -1, "keepdims": True}),
        ({"axis": (0, 2)}, {"axis": (0, 2)}),
        ({"dim": 0}, {"axis": 0}),
        ({"dim": (2, 0), "keepdim": True}, {"axis": (0, 2), "keepdims": True}),
    ]
    for ours, numpys in cases:
        out = getattr(t, method)(**ours)
        expected = reference(array, **numpys)
        assert out.shape == np.shape(expected), ours
        np.testing.assert_allclose(out.data, expected, err_msg=str(ours))


def test_reduction_over_an_out_of_range_axis_raises():
    with pytest.raises(ValueError, match="axis 2 is out of bounds for array of dimension 2"):
        Tensor(np.zeros((2, 3))).sum(axis=2)


def test_argmax_and_argmin_return_integer_tensors_without_grad():
    t = Tensor(np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]), requires_grad=True)
    assert t.argmax(axis=1).tolist() == [1, 0] and t.argmin(dim=1).tolist() == [0, 1]
    assert t.argmax().dtype.kind == "i" and not t.argmax().requires_grad


# ------------------------------------------------------------------------------ shape methods
def test_reshape_transpose_and_friends_match_numpy():
    array = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(array)
    checks = {
        "reshape tuple": (t.reshape((4, 6)), array.reshape(4, 6)),
        "reshape args": (t.reshape(4, -1), array.reshape(4, -1)),
        "view": (t.view(6, 4), array.reshape(6, 4)),
        "transpose": (t.transpose(), array.transpose()),
        "transpose axes": (t.transpose(1, 2, 0), array.transpose(1, 2, 0)),
        "permute": (t.permute(2, 0, 1), array.transpose(2, 0, 1)),
        "transpose two axes (torch)": (t.transpose(0, 2), array.swapaxes(0, 2)),
        "swapaxes": (t.swapaxes(-1, 0), array.swapaxes(-1, 0)),
        ".T": (t.T, array.T),
        "flatten": (t.flatten(), array.reshape(-1)),
        "flatten from 1": (t.flatten(1), array.reshape(2, 12)),
        "unsqueeze": (t.unsqueeze(1), array[:, None]),
        "expand_dims -1": (t.expand_dims(-1), array[..., None]),
        "squeeze": (t.unsqueeze(0).unsqueeze(3).squeeze(), array),
        "squeeze axis": (t.unsqueeze(0).squeeze(0), array),
        "broadcast_to": (t.broadcast_to(5, 2, 3, 4), np.broadcast_to(array, (5, 2, 3, 4))),
        "expand": (t[:, :1].expand((2, 3, 4)), np.broadcast_to(array[:, :1], (2, 3, 4))),
    }
    for name, (ours, expected) in checks.items():
        assert ours.shape == expected.shape, name
        np.testing.assert_array_equal(ours.data, expected, err_msg=name)


def test_squeeze_of_an_axis_that_is_not_one_raises():
    with pytest.raises(ValueError, match="squeeze: axis 1"):
        Tensor(np.zeros((1, 3))).squeeze(1)


def test_shape_methods_pass_gradients_back_in_the_original_layout():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    weights = np.arange(6.0).reshape(3, 2) + 1
    (x.T * Tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, weights.T)
    x.grad = None
    (
        x.flatten().unsqueeze(0).broadcast_to(4, 6).sum(axis=0) * Tensor(np.arange(6.0))
    ).sum().backward()
    np.testing.assert_array_equal(x.grad.data, 4 * np.arange(6.0).reshape(2, 3))


def test_indexing_accepts_tensor_and_list_indices():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    picked = (
        x[Tensor(np.array([2, 2, 0]))]
        + x[[0], :][:, Tensor(np.array([True, False, True, False]))].sum()
    )
    assert picked.shape == (3, 4)
    picked.sum().backward()
    expected = np.zeros((3, 4))
    expected[2] += 2
    expected[0] += 1
    expected[0, [0, 2]] += 12
    np.testing.assert_array_equal(x.grad.data, expected)


# ------------------------------------------------------------------------------ operators
def test_numpy_arrays_and_python_scalars_work_on_either_side_of_every_operator():
    array = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = Tensor(array)
    pairs = {
        "t + a": (t + array, array + array),
        "a + t": (array + t, array + array),
        "2 - t": (2 - t, 2 - array),
        "a - t": (array - t, array - array),
        "t * 3": (t * 3, array * 3),
        "a * t": (array * t, array * array),
        "1 / t": (1 / t, 1 / array),
        "a / t": (array / t, array / array),
        "t ** 2": (t**2, array**2),
        "2 ** t": (2**t, 2**array),
        "a ** t": (array**t, array**array),
        "t @ a": (t @ array, array @ array),
        "a @ t": (array @ t, array @ array),
        "-t": (-t, -array),
        "abs": (abs(-t), array),
        "t.dot(a)": (t.dot(array), array.dot(array)),
    }
    for name, (ours, expected) in pairs.items():
        assert isinstance(ours, Tensor), name
        np.testing.assert_allclose(ours.data, expected, err_msg=name)


def test_comparisons_give_bool_tensors_without_grad():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    results = {
        "<": (x < 2, [True, False, False]),
        "<=": (x <= 2, [True, True, False]),
        ">": (x > np.array([0.0, 5.0, 3.0]), [True, False, False]),
        ">=": (x >= x, [True, True, True]),
        "==": (x == 2, [False, True, False]),
        "!=": (x != Tensor([1.0, 0.0, 3.0]), [False, True, False]),
    }
    for name, (result, expected) in results.items():
        assert isinstance(result, Tensor) and result.dtype == np.bool_, name
        assert not result.requires_grad and result.grad_fn is None, name
        assert result.tolist() == expected, name


def test_truth_value_of_a_multi_element_tensor_is_ambiguous():
    assert bool(Tensor([1.0]))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))


def test_module_functions_accept_arrays_and_lists():
    assert autograd.exp([0.0]).tolist() == [1.0]
    assert autograd.maximum(np.array([1.0, 5.0]), Tensor([3.0, 3.0])).tolist() == [3.0, 5.0]
    assert autograd.stack([[1.0], [2.0]], axis=1).shape == (1, 2)
    assert autograd.concat([np.ones((1, 2)), Tensor(np.zeros((2, 2)))]).shape == (3, 2)
    assert autograd.tensordot(np.ones((2, 3)), np.ones((3, 4)), axes=1).tolist() == [[3.0] * 4] * 2


def test_creation_functions_give_float32_and_are_seeded():
    autograd.manual_seed(7)
    first = autograd.randn(2, 3)
    autograd.manual_seed(7)
    assert (autograd.randn(2, 3) == first).data.all()
    for t in (first, autograd.rand(4), autograd.zeros((2, 2)), autograd.ones(3)):
        assert t.dtype == np.float32
    assert autograd.ones(2, requires_grad=True).requires_grad
    assert autograd.zeros_like(first).shape == (2, 3)


def test_transpose_with_two_axes_swaps_them_on_a_matrix_like_pytorch() -> None:
    matrix = Tensor(np.arange(6.0).reshape(2, 3))
    assert matrix.transpose(0, 1).tolist() == matrix.data.T.tolist()
    assert matrix.transpose(1, 0).tolist() == matrix.data.T.tolist()


def test_transpose_with_a_partial_permutation_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="transpose: axis 3 is out of bounds"):
        Tensor(np.ones((2, 3, 4))).transpose(2, 0, 1, 3)
