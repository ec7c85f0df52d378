"""Activations of ``nn.functional``, their PyTorch module classes and their Keras names, against
``torch.nn.functional``: values and gradients (first and second order), float32 and float64, and
no NaN or inf anywhere for inputs of +-1e3."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, gradcheck
from nn import functional as F
from nn import layers

torch = pytest.importorskip("torch", reason="PyTorch is the reference these tests compare with")
TF = torch.nn.functional

# name -> (ours, torch's)
ACTIVATIONS = {
    "gelu": (F.gelu, TF.gelu),
    "gelu tanh": (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: TF.gelu(x, approximate="tanh"),
    ),
    "leaky_relu": (F.leaky_relu, TF.leaky_relu),
    "leaky_relu 0.3": (lambda x: F.leaky_relu(x, 0.3), lambda x: TF.leaky_relu(x, 0.3)),
    "elu": (F.elu, TF.elu),
    "elu alpha 0.5": (lambda x: F.elu(x, alpha=0.5), lambda x: TF.elu(x, alpha=0.5)),
    "selu": (F.selu, TF.selu),
    "silu": (F.silu, TF.silu),
    "softplus": (F.softplus, TF.softplus),
    "softplus beta 2 threshold 5": (
        lambda x: F.softplus(x, beta=2, threshold=5),
        lambda x: TF.softplus(x, beta=2, threshold=5),
    ),
    "softsign": (F.softsign, TF.softsign),
    "relu6": (F.relu6, TF.relu6),
    "hardsigmoid": (F.hardsigmoid, TF.hardsigmoid),
    "log_sigmoid": (F.log_sigmoid, TF.logsigmoid),
    "mish": (F.mish, TF.mish),
    "relu": (F.relu, TF.relu),
    "sigmoid": (F.sigmoid, torch.sigmoid),
    "tanh": (F.tanh, torch.tanh),
    "exponential": (F.exponential, torch.exp),
    "softmax dim": (lambda x: F.softmax(x, dim=0), lambda x: TF.softmax(x, dim=0)),
    "log_softmax dim": (lambda x: F.log_softmax(x, dim=-1), lambda x: TF.log_softmax(x, dim=-1)),
}
# Ordinary values, the corners of the piecewise ones (0, +-3, 6) and the softplus threshold.
POINTS = np.array([-7.5, -3.0, -2.9, -1.2, -0.3, 0.0, 0.4, 1.0, 2.5, 3.0, 3.3, 6.0, 6.5, 10.0, 25])
TOLERANCE = {np.float64: {"rtol": 1e-9, "atol": 1e-12}, np.float32: {"rtol": 2e-5, "atol": 1e-6}}


def both(name: str, values: np.ndarray, dtype):
    ours_fn, theirs_fn = ACTIVATIONS[name]
    ours = Tensor(values.astype(dtype), requires_grad=True)
    theirs = torch.tensor(values.astype(dtype), requires_grad=True)
    return ours, ours_fn(ours), theirs, theirs_fn(theirs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_value_and_gradient_match_torch(name, dtype):
    ours, out, theirs, their_out = both(name, POINTS, dtype)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.data, their_out.detach().numpy(), **TOLERANCE[dtype])
    v = np.random.default_rng(0).standard_normal(POINTS.shape).astype(dtype)
    (grad,) = autograd.grad(out, [ours], grad_outputs=v)
    (their_grad,) = torch.autograd.grad(their_out, [theirs], torch.tensor(v))
    assert grad.dtype == dtype
    tolerance = TOLERANCE[dtype]
    if name == "hardsigmoid":  # torch's backward multiplies by a float32 1/6, even in float64
        tolerance = {"rtol": max(tolerance["rtol"], 1e-7), "atol": tolerance["atol"]}
    np.testing.assert_allclose(grad.data, their_grad.numpy(), **tolerance)


# torch cannot differentiate hardsigmoid's backward (it is constant between the corners).
@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "hardsigmoid"])
def test_activation_second_derivative_matches_torch(name):
    smooth = np.array([-4.1, -1.3, -0.4, 0.2, 0.7, 1.9, 4.4])  # off every corner
    ours, out, theirs, their_out = both(name, smooth, np.float64)
    (grad,) = autograd.grad(out.sum(), [ours], create_graph=True)
    # Piecewise-linear activations have a constant gradient: nothing to differentiate.
    second = autograd.grad(grad.sum(), [ours])[0].data if grad.requires_grad else 0 * smooth
    (their_grad,) = torch.autograd.grad(their_out.sum(), [theirs], create_graph=True)
    (their_second,) = torch.autograd.grad(their_grad.sum(), [theirs], allow_unused=True)
    their_second = 0 * smooth if their_second is None else their_second.numpy()
    np.testing.assert_allclose(second, their_second, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "exponential"])
def test_activation_is_finite_and_matches_torch_at_extreme_inputs(name, dtype):
    extreme = np.array([-1e3, -100.0, -30.0, 30.0, 100.0, 1e3])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # none hidden inside
        ours, out, theirs, their_out = both(name, extreme, dtype)
        (grad,) = autograd.grad(out.sum(), [ours])
    assert np.isfinite(out.data).all() and np.isfinite(grad.data).all()
    their_out.sum().backward()
    np.testing.assert_allclose(out.data, their_out.detach().numpy(), **TOLERANCE[dtype])
    np.testing.assert_allclose(grad.data, theirs.grad.numpy(), **TOLERANCE[dtype])


@pytest.mark.parametrize("name", ["gelu", "elu", "softplus beta 2 threshold 5", "mish"])
def test_activation_passes_gradcheck_on_random_inputs(name):
    x = np.random.default_rng(1).standard_normal((3, 4)) * 3
    assert gradcheck(ACTIVATIONS[name][0], [x])


# ---------------------------------------------------------------------- modules
MODULES = [
    (nn.GELU(), torch.nn.GELU()),
    (nn.GELU("tanh"), torch.nn.GELU("tanh")),
    (nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
    (nn.ELU(alpha=0.7), torch.nn.ELU(alpha=0.7)),
    (nn.SELU(), torch.nn.SELU()),
    (nn.SiLU(), torch.nn.SiLU()),
    (nn.Softplus(beta=0.5, threshold=3), torch.nn.Softplus(beta=0.5, threshold=3)),
    (nn.Softsign(), torch.nn.Softsign()),
    (nn.ReLU6(inplace=True), torch.nn.ReLU6()),
    (nn.Hardsigmoid(), torch.nn.Hardsigmoid()),
    (nn.LogSigmoid(), torch.nn.LogSigmoid()),
    (nn.Mish(), torch.nn.Mish()),
    (nn.LogSoftmax(dim=1), torch.nn.LogSoftmax(dim=1)),
]


@pytest.mark.parametrize("ours, theirs", MODULES, ids=[type(m).__name__ for m, _ in MODULES])
def test_activation_modules_match_torchs_in_a_sequential(ours, theirs):
    x = np.random.default_rng(2).standard_normal((4, 5)) * 4
    model = nn.Sequential(nn.Linear(5, 5), ours)
    their_model = torch.nn.Sequential(torch.nn.Linear(5, 5), theirs).double()
    their_model.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    ours_out = model(Tensor(x.astype(np.float32)))
    their_out = their_model(torch.tensor(x))
    np.testing.assert_allclose(ours_out.data, their_out.detach().numpy(), rtol=1e-5, atol=1e-5)
    assert list(ours.parameters()) == [] and type(ours).__name__ in repr(model)


def test_gelu_rejects_an_unknown_approximation():
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh', got 'erf'"):
        nn.GELU("erf")
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh'"):
        F.gelu(Tensor([1.0]), approximate="fast")


# ---------------------------------------------------------------------- Keras names
KERAS = {  # Keras 3's definition of each name, in torch terms
    "linear": lambda x: x,
    "exponential": torch.exp,
    "gelu": TF.gelu,  # keras.activations.gelu(x, approximate=False)
    "leaky_relu": lambda x: TF.leaky_relu(x, 0.2),  # Keras's default negative_slope=0.2
    "elu": TF.elu,
    "selu": TF.selu,
    "silu": TF.silu,
    "swish": TF.silu,
    "softplus": TF.softplus,
    "softsign": TF.softsign,
    "relu6": TF.relu6,
    "hard_sigmoid": TF.hardsigmoid,  # Keras 3: relu6(x + 3) / 6, as PyTorch
    "log_sigmoid": TF.logsigmoid,
    "mish": TF.mish,
    "relu": TF.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda x: TF.softmax(x, dim=-1),
    "log_softmax": lambda x: TF.log_softmax(x, dim=-1),
}


@pytest.mark.parametrize("name", KERAS)
def test_keras_activation_names_work_in_dense(name):
    x = np.random.default_rng(3).standard_normal((4, 3)).astype(np.float32)
    dense = layers.Dense(5, activation=name, input_shape=(3,))
    out = dense(x)
    pre = torch.tensor(x @ dense.kernel.data + dense.bias.data)
    np.testing.assert_allclose(out.data, KERAS[name](pre).numpy(), rtol=2e-5, atol=1e-6)
    assert layers.Activation(name)(Tensor(x)).shape == x.shape


def test_every_keras_name_is_tested():
    assert set(F.ACTIVATIONS) - {None} == set(KERAS)


def test_exact_gelu_needs_no_scipy(monkeypatch):
    from autograd.ops import activations_extra

    x = np.linspace(-40, 40, 81)
    with_scipy = F.gelu(Tensor(x)).data
    monkeypatch.setattr(activations_extra, "_ndtr", activations_extra.ndtr_without_scipy)
    np.testing.assert_allclose(F.gelu(Tensor(x)).data, with_scipy, rtol=1e-12, atol=1e-300)


def test_pytorch_spellings_of_the_first_activation_modules():
    x = Tensor([[-1.0, 2.0], [0.5, 0.0]])
    assert nn.ReLU(inplace=True)(x).tolist() == [[0.0, 2.0], [0.5, 0.0]]
    np.testing.assert_allclose(nn.Softmax(dim=0)(x).data.sum(axis=0), [1.0, 1.0], rtol=1e-6)
    assert nn.Softmax(dim=0).axis == 0 and nn.Softmax(1).axis == 1


@pytest.mark.parametrize(
    "name", ["relu", "relu6", "hardsigmoid", "leaky_relu", "elu", "selu", "silu", "mish"]
)
def test_functional_activations_accept_pytorchs_inplace_like_the_modules(name):
    values = np.linspace(-4, 4, 9, dtype=np.float32)
    ours = getattr(F, name)(Tensor(values), inplace=True)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(values), inplace=True)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6, atol=1e-7)
