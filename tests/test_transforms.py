"""Function transforms (jacobian, hessian, hvp, jvp, elementwise_grad, gradgradcheck) against
torch.func in float64, against finite differences, and against each other."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autograd
import autograd.transforms as transforms
from autograd import (
    GradcheckError,
    Tensor,
    elementwise_grad,
    gradgradcheck,
    hessian,
    hvp,
    jacobian,
    jvp,
)

RNG = np.random.default_rng(0)
TOL = {"rtol": 1e-10, "atol": 1e-12}  # float64 throughout: the two engines agree to rounding


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def randn(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


# The same functions for both engines.
def softmax_ours(x):
    return x.softmax(-1)


def dense_ours(x, w, b):
    return x @ w + b


def mlp_loss_ours(w1, b1, w2, b2, x, y):
    hidden = (autograd.as_tensor(x) @ w1 + b1).tanh()
    return autograd.softmax_cross_entropy(hidden @ w2 + b2, y)


def mlp_loss_torch(torch):
    def loss(w1, b1, w2, b2, x, y):
        hidden = torch.tanh(x @ w1 + b1)
        return torch.nn.functional.cross_entropy(hidden @ w2 + b2, y)

    return loss


def mlp_args() -> list[np.ndarray]:
    return [randn(3, 4), randn(4), randn(4, 2), randn(2), randn(5, 3), RNG.integers(0, 2, 5)]


def as_torch(torch, arrays):
    return [torch.from_numpy(np.asarray(a)) for a in arrays]


def assert_close(ours, theirs) -> None:
    if isinstance(theirs, (tuple, list)):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_close(a, b)
        return
    expected = theirs.detach().numpy()
    assert isinstance(ours, Tensor) and ours.shape == expected.shape
    np.testing.assert_allclose(ours.numpy(), expected, **TOL)


# --- jacobian -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(5,), (2, 3), ()])
def test_jacobian_of_softmax_matches_torch_func_jacrev_with_shape_out_by_in(torch, shape):
    x = randn(*shape)
    if not shape:  # softmax of a 0-d tensor is not defined: use exp for the scalar case
        ours = jacobian(lambda t: t.exp())(x)
        assert_close(ours, torch.func.jacrev(torch.exp)(torch.tensor(x)))
        return
    ours = jacobian(softmax_ours)(x)
    assert ours.shape == shape + shape
    assert_close(ours, torch.func.jacrev(lambda t: torch.softmax(t, -1))(torch.tensor(x)))


@pytest.mark.parametrize("argnums", [0, 1, 2, (0, 1), (1, 2, 0), -2])
def test_jacobian_of_a_dense_layer_matches_torch_for_each_argnums(torch, argnums):
    args = [randn(4, 3), randn(3, 2), randn(2)]
    ours = jacobian(dense_ours, argnums)(*args)
    theirs = torch.func.jacrev(lambda x, w, b: x @ w + b, argnums)(*as_torch(torch, args))
    assert_close(ours, theirs)


def test_jacobian_of_the_dense_layer_by_its_weight_has_the_known_form():
    # d(xW + b)[n, o] / dW[i, p] = x[n, i] * (o == p)
    x, w, b = randn(4, 3), randn(3, 2), randn(2)
    ours = jacobian(dense_ours, 1)(x, w, b).numpy()
    np.testing.assert_allclose(ours, np.einsum("ni,op->noip", x, np.eye(2)), **TOL)


def test_jacobian_of_a_function_not_using_an_argument_is_zero():
    jac = jacobian(lambda x, y: x * 2.0, argnums=(0, 1))(randn(3), randn(2))
    np.testing.assert_array_equal(jac[1].numpy(), np.zeros((3, 2)))
    assert jac[1].dtype == np.float64


def test_nested_jacobians_match_torch_and_the_hessian(torch):
    x = randn(4)
    ours = jacobian(jacobian(softmax_ours))(x)
    theirs = torch.func.jacrev(torch.func.jacrev(lambda t: torch.softmax(t, -1)))(torch.tensor(x))
    assert_close(ours, theirs)
    scalar = lambda t: (t.softmax(-1) * t).sum()  # noqa: E731
    assert_close(jacobian(jacobian(scalar))(x), torch.from_numpy(hessian(scalar)(x).numpy()))


# --- hessian --------------------------------------------------------------------------------


def test_hessian_of_a_small_mlp_loss_matches_torch_func_hessian(torch):
    args = mlp_args()
    ours = hessian(mlp_loss_ours, argnums=(0, 2))(*args)
    theirs = torch.func.hessian(mlp_loss_torch(torch), argnums=(0, 2))(*as_torch(torch, args))
    assert_close(ours, theirs)
    assert ours[0][1].shape == (3, 4, 4, 2)  # x_i.shape + x_j.shape, nested like torch


@pytest.mark.parametrize("argnums", [0, 1, 3, 4])
def test_hessian_by_each_single_argument_matches_torch(torch, argnums):
    args = mlp_args()
    ours = hessian(mlp_loss_ours, argnums)(*args)
    theirs = torch.func.hessian(mlp_loss_torch(torch), argnums)(*as_torch(torch, args))
    assert_close(ours, theirs)


def test_hessian_is_symmetric_and_its_blocks_transpose_each_other():
    hess = hessian(mlp_loss_ours, argnums=(0, 1))(*mlp_args())
    np.testing.assert_allclose(hess[0][0].numpy(), hess[0][0].numpy().transpose(2, 3, 0, 1), **TOL)
    np.testing.assert_allclose(hess[0][1].numpy(), hess[1][0].numpy().transpose(1, 2, 0), **TOL)


def seed_network(rng: np.random.Generator):
    """The seed's 784-512-10 Dense/relu/softmax-crossentropy loss, float64, on a batch of 4,
    as a function of 10 first-layer weights: once with Tensors, once in plain numpy."""
    limit1, limit2 = np.sqrt(6 / (784 + 512)), np.sqrt(6 / (512 + 10))
    w1 = rng.uniform(-limit1, limit1, (784, 512))
    w2 = rng.uniform(-limit2, limit2, (512, 10))
    b1, b2 = rng.normal(0, 0.1, 512), rng.normal(0, 0.1, 10)
    x, y = rng.uniform(0, 1, (4, 784)), np.array([3, 1, 4, 1])
    row, width = 406, 10  # the middle pixel's first 10 weights: inputs there are not all zero

    def loss(w_slice):  # the engine's loss with w1[row, :10] replaced by w_slice
        middle = autograd.concat([w_slice, Tensor(w1[row, width:])]).reshape(1, 512)
        weight = autograd.concat([Tensor(w1[:row]), middle, Tensor(w1[row + 1 :])])
        hidden = (Tensor(x) @ weight + b1).relu()
        return autograd.softmax_cross_entropy(hidden @ w2 + b2, y)

    base = x @ w1 + b1  # numpy's own loss: only row `row` of w1 changes, so update, not redo

    def loss_numpy(w_slice: np.ndarray) -> float:
        pre = base.copy()
        pre[:, :width] += x[:, row : row + 1] * (w_slice - w1[row, :width])
        logits = np.maximum(pre, 0) @ w2 + b2
        top = logits.max(axis=1, keepdims=True)
        log_norm = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        return float(np.mean(log_norm - logits[np.arange(len(y)), y]))

    return loss, loss_numpy, w1[row, :width].copy()


def test_hessian_of_the_seed_network_loss_for_a_10_weight_slice_matches_finite_differences():
    loss, loss_numpy, w = seed_network(np.random.default_rng(1))
    assert loss(Tensor(w)).item() == pytest.approx(loss_numpy(w), rel=1e-12)
    hess = hessian(loss)(w).numpy()
    assert hess.shape == (10, 10) and np.abs(hess).max() > 1e-3  # not trivially zero
    step, basis = 1e-4, np.eye(10) * 1e-4
    numerical = np.empty((10, 10))
    for i in range(10):  # four-point second differences of loss values computed by numpy
        for j in range(10):
            di, dj = basis[i], basis[j]
            numerical[i, j] = (
                loss_numpy(w + di + dj)
                - loss_numpy(w + di - dj)
                - loss_numpy(w - di + dj)
                + loss_numpy(w - di - dj)
            ) / (4 * step**2)
    np.testing.assert_allclose(hess, numerical, rtol=1e-4, atol=1e-7)  # max |H| ~ 2e-3
    np.testing.assert_allclose(hess, hess.T, **TOL)


def test_hessian_or_hvp_of_a_non_scalar_function_is_a_clear_error():
    for shape in [(3,), (1, 2), (2, 2)]:
        with pytest.raises(ValueError, match=rf"hessian: .*one-element.*{re.escape(str(shape))}"):
            hessian(lambda x: x * x)(randn(*shape))
        with pytest.raises(ValueError, match=rf"hvp: .*one-element.*{re.escape(str(shape))}"):
            hvp(lambda x: x * x, randn(*shape), randn(*shape))


# --- hvp and jvp ----------------------------------------------------------------------------


def test_hvp_equals_the_hessian_times_v_for_each_argument():
    args = mlp_args()
    hess = hessian(mlp_loss_ours, argnums=0)(*args).numpy().reshape(12, 12)
    v = randn(3, 4)
    value, product = hvp(lambda w: mlp_loss_ours(w, *args[1:]), args[0], v)
    np.testing.assert_allclose(product.numpy().reshape(-1), hess @ v.reshape(-1), **TOL)
    assert value.item() == pytest.approx(mlp_loss_ours(*[Tensor(a) for a in args]).item())


def test_hvp_of_several_arguments_matches_torch_autograd_functional_hvp(torch):
    args, tangents = mlp_args(), (randn(3, 4), randn(4), randn(4, 2), randn(2))

    def ours(*params):
        return mlp_loss_ours(*params, *args[4:])

    def theirs(*params):
        return mlp_loss_torch(torch)(*params, *as_torch(torch, args[4:]))

    value, products = hvp(ours, tuple(args[:4]), tangents)
    ref_value, ref_products = torch.autograd.functional.hvp(
        theirs, tuple(as_torch(torch, args[:4])), tuple(as_torch(torch, tangents))
    )
    assert_close(products, ref_products)
    assert value.item() == pytest.approx(ref_value.item(), rel=1e-12)


def test_hvp_uses_two_backward_passes_whatever_the_size(monkeypatch):
    calls = []
    real_grad = transforms.grad
    monkeypatch.setattr(transforms, "grad", lambda *a, **k: calls.append(1) or real_grad(*a, **k))
    for n in (3, 30_000):  # a 30,000² Hessian would need 7 GB
        calls.clear()
        _, product = hvp(lambda x: (x.tanh() ** 2).sum(), randn(n), randn(n))
        assert len(calls) == 2 and product.shape == (n,)


def jvp_case(torch, case: str):
    """(our function, torch's, its arguments) for softmax, a Dense layer and an MLP loss."""
    if case == "softmax":
        return softmax_ours, lambda t: torch.softmax(t, -1), [randn(2, 3)]
    if case == "dense":
        return dense_ours, lambda x, w, b: x @ w + b, [randn(4, 3), randn(3, 2), randn(2)]
    args = mlp_args()
    fixed, fixed_torch = args[4:], as_torch(torch, args[4:])
    return (
        lambda *p: mlp_loss_ours(*p, *fixed),
        lambda *p: mlp_loss_torch(torch)(*p, *fixed_torch),
        args[:4],
    )


@pytest.mark.parametrize("case", ["softmax", "dense", "mlp"])
def test_jvp_matches_torch_func_jvp_and_the_jacobian_times_v(torch, case):
    ours, theirs, args = jvp_case(torch, case)
    tangents = tuple(randn(*np.shape(a)) for a in args)
    value, product = jvp(ours, tuple(args), tangents)
    ref_value, ref_product = torch.func.jvp(
        theirs, tuple(as_torch(torch, args)), tuple(as_torch(torch, tangents))
    )
    assert_close(value, ref_value)
    assert_close(product, ref_product)
    # J v = Σ_i J_i v_i, with each J_i from jacobian (shape out + in_i)
    blocks = jacobian(ours, tuple(range(len(args))))(*args)
    expected = sum(
        jac.numpy().reshape(value.size, -1) @ v.reshape(-1) for jac, v in zip(blocks, tangents)
    )
    np.testing.assert_allclose(product.numpy().reshape(-1), expected, **TOL)


def test_jvp_of_one_argument_takes_and_returns_plain_tensors():
    x, v = randn(5), randn(5)
    value, product = jvp(lambda t: t.tanh() * t, x, v)
    jac = jacobian(lambda t: t.tanh() * t)(x).numpy()
    np.testing.assert_allclose(product.numpy(), jac @ v, **TOL)
    assert isinstance(value, Tensor) and not value.requires_grad and not product.requires_grad


def test_products_at_a_point_that_requires_grad_are_differentiable():
    x, v = randn(4), randn(4)
    point = Tensor(x, requires_grad=True)
    _, hv = hvp(lambda t: (t**4).sum(), point, v)  # H v = 12 x² v
    (third,) = autograd.grad(hv.sum(), point)
    np.testing.assert_allclose(third.numpy(), 24 * x * v, **TOL)
    _, jv = jvp(lambda t: t**3, point, v)  # J v = 3 x² v
    (second,) = autograd.grad(jv.sum(), point)
    np.testing.assert_allclose(second.numpy(), 6 * x * v, **TOL)


@pytest.mark.parametrize("transform", [jvp, hvp])
def test_tangent_of_the_wrong_shape_or_structure_is_a_clear_error(transform):
    def f(x):
        return (x * x).sum()

    with pytest.raises(ValueError, match=r"v\[0\] has shape \(4,\), x\[0\] has shape \(3,\)"):
        transform(f, randn(3), randn(4))
    with pytest.raises(ValueError, match="x is a tuple of 2, so v must be one too, got ndarray"):
        transform(lambda a, b: f(a) + f(b), (randn(3), randn(3)), randn(3))
    with pytest.raises(ValueError, match="got a tuple of 1"):
        transform(lambda a, b: f(a) + f(b), (randn(3), randn(3)), (randn(3),))


# --- elementwise_grad -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "name"),
    [(lambda t: t.tanh(), "tanh"), (lambda t: t.sigmoid(), "sigmoid"), (lambda t: t**3, "cube")],
)
def test_elementwise_grad_matches_torch_vmap_of_grad(torch, ours, name):
    x = randn(2, 3)
    theirs = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "cube": lambda t: t**3}[name]
    expected = torch.func.vmap(torch.func.vmap(torch.func.grad(theirs)))(torch.tensor(x))
    assert_close(elementwise_grad(ours)(x), expected)


def test_elementwise_grad_nests_to_second_derivatives():
    x = randn(6)
    second = elementwise_grad(elementwise_grad(lambda t: t.tanh()))(x).numpy()
    np.testing.assert_allclose(second, -2 * np.tanh(x) * (1 - np.tanh(x) ** 2), **TOL)


# --- gradgradcheck and argnums errors ---------------------------------------------------------


MLP_DATA = (randn(5, 3), RNG.integers(0, 2, 5))


@pytest.mark.parametrize(
    ("function", "inputs"),
    [
        (lambda x: (x * x).tanh(), [randn(3)]),
        (softmax_ours, [randn(2, 4)]),
        (dense_ours, [randn(4, 3), randn(3, 2), randn(2)]),
        (lambda *p: mlp_loss_ours(*p, *MLP_DATA), mlp_args()[:4]),
    ],
)
def test_gradgradcheck_passes_on_smooth_functions(function, inputs):
    assert gradgradcheck(function, inputs)


def test_gradgradcheck_fails_where_the_first_derivative_jumps():
    # relu' jumps from 0 to 1 at 0: the second derivative (0) disagrees with finite differences
    with pytest.raises(GradcheckError, match=r"gradgradcheck: .*input 0 \(shape \(2,\)\)"):
        gradgradcheck(lambda x: x.relu() * 1.0, [np.array([1e-9, 0.5])])


@pytest.mark.parametrize("transform", [jacobian, hessian, elementwise_grad])
def test_argnums_out_of_range_or_repeated_or_not_int_is_a_clear_error(transform):
    def f(x, y):
        return (x * y).sum()

    args = (randn(2), randn(2))
    name = transform.__name__
    with pytest.raises(IndexError, match=f"{name}: argnums 2 is out of range for 2 positional"):
        transform(f, 2)(*args)
    with pytest.raises(IndexError, match="argnums -3 is out of range"):
        transform(f, (0, -3))(*args)
    with pytest.raises(ValueError, match="names an argument twice"):
        transform(f, (0, -2))(*args)
    with pytest.raises(TypeError, match="argnums must be ints, got str"):
        transform(f, ("0",))(*args)
    with pytest.raises(TypeError, match=f"{name}: the function must return a Tensor, got float"):
        transform(lambda x: 1.0)(randn(2))
