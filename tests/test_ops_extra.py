"""Behaviour of issue 11's vocabulary beyond what the per-op specs check: zeros in products,
the spellings of var/std and norm, splitting, setitem's in-place semantics, creation, method
spellings, dtypes and errors."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import autograd
from autograd import Tensor, no_grad
from autograd import linalg as ag_linalg

torch = pytest.importorskip("torch", reason="PyTorch is the reference for these values")
RNG = np.random.default_rng(11)


def both(array, requires_grad=True):
    return Tensor(array.copy(), requires_grad=requires_grad), torch.tensor(
        array.copy(), requires_grad=requires_grad
    )


@pytest.mark.parametrize(
    "values",
    [[2.0, 0.0, 3.0, 4.0], [0.0, 5.0, 0.0, 2.0], [0.0, 0.0, 0.0, 1.0], [1.5, -2.0, 3.0, 0.5]],
    ids=["one zero", "two zeros", "three zeros", "no zero"],
)
def test_prod_and_cumprod_gradients_with_zeros_match_torch(values):
    ours, theirs = both(np.array(values).reshape(2, 2))
    (ours.prod() + ours.prod(axis=1).sum() + ours.cumprod(1).sum()).backward()
    (theirs.prod() + theirs.prod(dim=1).sum() + theirs.cumprod(1).sum()).backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy())


def test_var_defaults_to_numpy_ddof_0_and_accepts_each_pytorch_spelling():
    x = RNG.standard_normal((3, 4))
    t = Tensor(x)
    assert np.isclose(t.var().item(), np.var(x))
    assert np.isclose(t.std(axis=1, ddof=1).data, np.std(x, axis=1, ddof=1)).all()
    reference = torch.tensor(x).var(dim=0).numpy()  # torch's default: correction=1
    for spelling in ({"correction": 1}, {"unbiased": True}, {"ddof": 1}):
        np.testing.assert_allclose(t.var(dim=0, **spelling).data, reference)
    with pytest.raises(TypeError, match="one of ddof, correction, unbiased"):
        t.var(ddof=1, correction=1)


@pytest.mark.parametrize(
    "order, axis",
    [(None, None), (2, 1), (1, 0), (np.inf, 1), (-np.inf, 0), (3, 1), ("fro", None),
     ("fro", (1, 0)), (1, None), (np.inf, None), (-1, (0, 1))],
)  # fmt: skip
def test_norm_matches_numpy_values_and_torch_gradients(order, axis):
    x = RNG.uniform(0.5, 2.0, (3, 4)) * RNG.choice([-1.0, 1.0], (3, 4))
    ours, theirs = both(x)
    value = ag_linalg.norm(ours, order, axis)
    np.testing.assert_allclose(value.data, np.linalg.norm(x, order, axis))
    value.sum().backward()
    torch.linalg.norm(theirs, order, axis).sum().backward()
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-9)


def test_norm_refuses_spectral_and_nuclear_norms_clearly():
    with pytest.raises(NotImplementedError, match="nuc"):
        ag_linalg.norm(Tensor(np.eye(2)), "nuc")


def test_split_family_matches_numpy_and_torch_and_gradients_reach_every_piece():
    x = np.arange(14.0).reshape(7, 2)
    t = Tensor(x, requires_grad=True)
    for ours, expected in [
        (autograd.array_split(t, 3), np.array_split(x, 3)),
        (autograd.split(t, [2, 5]), np.split(x, [2, 5])),
        (autograd.chunk(t, 3), torch.chunk(torch.tensor(x), 3)),
        (t.tensor_split(4), torch.tensor_split(torch.tensor(x), 4)),
    ]:
        assert [p.tolist() for p in ours] == [np.asarray(e).tolist() for e in expected]
    with pytest.raises(ValueError, match="does not divide"):
        autograd.split(t, 3)
    sum(p.sum() * (i + 1) for i, p in enumerate(autograd.array_split(t, 3))).backward()
    assert t.grad.data[:, 0].tolist() == [1, 1, 1, 2, 2, 3, 3]


def test_axis_moves_match_numpy():
    x = RNG.standard_normal((2, 3, 4))
    t = Tensor(x)
    assert autograd.moveaxis(t, 0, -1).shape == np.moveaxis(x, 0, -1).shape
    np.testing.assert_array_equal(t.movedim([0, 1], [2, 0]).data, np.moveaxis(x, [0, 1], [2, 0]))
    np.testing.assert_array_equal(autograd.swapaxes(t, 0, 2).data, np.swapaxes(x, 0, 2))
    np.testing.assert_array_equal(autograd.permute(t, (2, 0, 1)).data, x.transpose(2, 0, 1))
    assert t.unflatten(2, (2, -1)).shape == (2, 3, 2, 2)
    with pytest.raises(ValueError, match="out of bounds"):
        autograd.moveaxis(t, 3, 0)


def test_setitem_on_a_non_leaf_is_recorded_and_on_a_leaf_is_an_error():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    value = Tensor(np.array([10.0, 20.0]), requires_grad=True)
    y = x * 2
    y[0, 1:] = value * 3
    y[1, y.data[1] > 7] = -1.0
    assert y.grad_fn.name == "setitem"
    (y * np.arange(6.0).reshape(2, 3)).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0, 0.0], [6.0, 0.0, 0.0]]  # 2 * weight, where kept
    assert value.grad.tolist() == [3.0, 6.0]
    with pytest.raises(RuntimeError, match="leaf tensor that requires grad"):
        x[0] = 1.0
    with no_grad():
        x[0, 0] = 7.0
    assert x.data[0, 0] == 7.0


def test_setitem_bumps_the_version_so_a_stale_saved_value_is_caught():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x * 1
    z = y * y  # saves y
    y[0] = 5.0
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.sum().backward()


def test_in_place_methods_rebase_history_and_refuse_leaves():
    x = Tensor(np.array([0.5, 1.0]), requires_grad=True)
    y = x * 1
    assert y.exp_() is y and y.grad_fn.name == "exp"
    y.clamp_(max=2.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [np.exp(0.5), 0.0])
    with pytest.raises(RuntimeError, match="sin_"):
        x.sin_()


def test_pytorch_method_spellings():
    t = Tensor(np.arange(6.0, dtype=np.float32).reshape(2, 3))
    assert t.size == 6 and t.numel() == 6 and t.dim() == 2 and t.shape == (2, 3)
    assert t.long().dtype == np.int64 and t.int().dtype == np.int32 and t.half().dtype == np.float16
    assert (
        t.bool().dtype == np.bool_
        and t.type() == "float32"
        and t.type("float64").dtype == np.float64
    )
    assert t.add(1).tolist() == (t + 1).tolist() and t.sub(t).sum().item() == 0
    assert t.mul(2).div(2).pow(1).neg().tolist() == (-t).tolist()
    assert t.ge(3).tolist() == [[False, False, False], [True, True, True]]
    assert (t // 4).tolist() == [[0, 0, 0], [0, 1, 1]] and (7.0 % t[:, 1:]).tolist() == [
        [0, 1],
        [3, 2],
    ]
    assert (np.full(3, 7.0) // Tensor([2.0, 3.0, 4.0])).tolist() == [3, 2, 1]
    assert t.repeat(2, axis=1).shape == (2, 6) and t.tile((2, 1)).shape == (4, 3)


def test_new_ops_keep_float32():
    t = Tensor(RNG.uniform(0.2, 0.8, (2, 3)).astype(np.float32), requires_grad=True)
    results = [
        t.sin(), t.arcsin(), t.log2(), t.exp2(), t.rsqrt(), t.erf(), t.floor(), t.hypot(t),
        t.var(), t.prod(), t.cumsum(0), t.logcumsumexp(1), autograd.pad(t, 1, mode="reflect"),
        autograd.einsum("ij->j", t), t.flip(0), t.fmod(0.3), autograd.logaddexp(t, 1.0),
    ]  # fmt: skip
    for result in results:
        assert result.dtype == np.float32, result.grad_fn
        result.sum().backward()
        assert t.grad.dtype == np.float32
        t.grad = None


def test_nansum_and_nanmean_skip_nans_and_give_them_zero_gradient():
    x = np.array([[1.0, np.nan], [3.0, 4.0]])
    t = Tensor(x, requires_grad=True)
    np.testing.assert_allclose(autograd.nansum(t, axis=0).data, np.nansum(x, axis=0))
    np.testing.assert_allclose(autograd.nanmean(t).data, np.nanmean(x))
    autograd.nanmean(t, axis=1).sum().backward()
    assert t.grad.tolist() == [[1.0, 0.0], [0.5, 0.5]]


def test_small_functions_match_torch():
    a, b = RNG.standard_normal(3), RNG.standard_normal(4)
    np.testing.assert_allclose(autograd.outer(a, b).data, np.outer(a, b))
    w = Tensor(np.array([0.25]))
    np.testing.assert_allclose(
        autograd.lerp(a, a + 1, w).data, torch.lerp(torch.tensor(a), torch.tensor(a + 1), 0.25)
    )
    mask = np.array([True, False, True])
    filled = autograd.masked_fill(Tensor(a), mask, 0.0)
    assert filled.tolist() == np.where(mask, 0.0, a).tolist()
    grids = autograd.meshgrid(a, b, indexing="ij")
    assert [g.shape for g in grids] == [(3, 4), (3, 4)] and not grids[0].requires_grad
    nan = Tensor(np.array([np.nan, np.inf, 1.0]))
    assert autograd.isnan(nan).tolist() == [True, False, False]
    assert nan.isinf().tolist() == [False, True, False] and nan.isfinite().tolist()[2]


def test_creation_functions():
    assert (
        autograd.arange(4).dtype == np.int64 and autograd.arange(0.0, 1.0, 0.5).dtype == np.float32
    )
    assert autograd.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert autograd.eye(2, 3, 1).tolist() == [[0, 1, 0], [0, 0, 1]]
    assert autograd.full((2,), 1.5).dtype == np.float32 and autograd.full(2, 3).dtype == np.int64
    assert autograd.full_like(Tensor(np.zeros(2)), 7).tolist() == [7.0, 7.0]
    assert autograd.zeros_like(Tensor(np.ones(2)), dtype="int32").dtype == np.int32
    assert autograd.empty(2, 3).shape == (2, 3)
    autograd.manual_seed(3)
    first = [autograd.randint(0, 10, (4,)), autograd.uniform(-1, 1, (3,)), autograd.normal(size=2)]
    autograd.manual_seed(3)
    again = [autograd.randint(0, 10, (4,)), autograd.uniform(-1, 1, (3,)), autograd.normal(size=2)]
    assert all(a.tolist() == b.tolist() for a, b in zip(first, again))
    assert autograd.one_hot(np.array([1, 0]), 3, dtype="float32").tolist() == [[0, 1, 0], [1, 0, 0]]
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        autograd.one_hot(np.array([3]), 3)
    with pytest.raises(TypeError, match="integers"):
        autograd.one_hot(np.array([1.0]), 3)


def test_errors_name_the_function_and_the_problem():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match="axis 2 is out of bounds"):
        t.cumsum(2)
    with pytest.raises(ValueError, match="axis 5 is out of bounds"):
        t.flip(5)
    with pytest.raises(ValueError, match="einsum: 2 operands in 'ij,jk->ik', got 3"):
        autograd.einsum("ij,jk->ik", t, t, t)
    with pytest.raises(ValueError, match="square matrices"):
        ag_linalg.inv(t)
    with pytest.raises(IndexError, match="scatter: index out of range"):
        autograd.scatter(t, 1, np.array([[3]]), 1.0)


def test_erf_names_the_optional_extra_when_scipy_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    with pytest.raises(ImportError, match=r"chainrule\[special\]"):
        autograd.erf(Tensor([0.5]))


def test_methods_table_refuses_to_shadow_a_tensor_method_silently(monkeypatch):
    from autograd import methods

    monkeypatch.setitem(methods.METHODS, "reshape", autograd.flip)
    with pytest.raises(RuntimeError, match="REPLACED"):
        methods.attach()
