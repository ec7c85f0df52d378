"""std and norm at zero: the gradient is 0 (PyTorch masks grad / out where out == 0), not the
NaN of an infinite root slope times a zero slope of the sum of squares. The kind: any root of a
sum that can be 0 (std of a constant, 2-norm, p-norm and Frobenius norm of zeros)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, linalg

torch = pytest.importorskip("torch")


def _rows(dtype):
    """A batch whose rows are a constant, zeros, and ordinary values."""
    return np.array([[2.0, 2.0, 2.0], [0.0, 0.0, 0.0], [1.0, -2.0, 0.5]], dtype=dtype)


CASES = {  # label -> (ours, torch's)
    "std": (lambda x: x.std(), lambda x: x.std(correction=0)),
    "std axis=1": (lambda x: ag.std(x, axis=1), lambda x: x.std(dim=1, correction=0)),
    "std ddof=1 axis=1": (
        lambda x: x.std(axis=1, ddof=1), lambda x: x.std(dim=1, correction=1)),
    "std keepdims": (
        lambda x: x.std(axis=1, keepdims=True), lambda x: x.std(1, correction=0, keepdim=True)),
    "norm": (lambda x: linalg.norm(x[1]), lambda x: torch.linalg.norm(x[1])),
    "norm axis=1": (lambda x: linalg.norm(x, axis=1), lambda x: torch.linalg.norm(x, dim=1)),
    "norm 3 axis=1": (
        lambda x: linalg.norm(x, 3, axis=1), lambda x: torch.linalg.vector_norm(x, 3, dim=1)),
    "norm 1.5 axis=1": (
        lambda x: linalg.norm(x, 1.5, axis=1), lambda x: torch.linalg.vector_norm(x, 1.5, dim=1)),
    "fro of zeros": (lambda x: linalg.norm(x * 0), lambda x: torch.linalg.norm(x * 0)),
    "fro axis": (
        lambda x: linalg.norm(x[1:2] * x[1:2], "fro", axis=(0, 1)),
        lambda x: torch.linalg.norm(x[1:2] * x[1:2], "fro", dim=(0, 1))),
}  # fmt: skip


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("label", sorted(CASES))
def test_root_gradient_at_zero_matches_torch(label, dtype):
    ours, theirs = CASES[label]
    x = Tensor(_rows(dtype), requires_grad=True)
    y = ours(x)
    (y * Tensor(np.arange(1, y.size + 1, dtype=dtype).reshape(y.shape))).sum().backward()
    tx = torch.tensor(_rows(dtype), requires_grad=True)
    ty = theirs(tx)
    (ty * torch.arange(1, ty.numel() + 1, dtype=ty.dtype).reshape(ty.shape)).sum().backward()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6)
    assert np.isfinite(x.grad.data).all(), x.grad
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-5, atol=1e-7)


WEIGHTS = np.arange(9.0).reshape(3, 3) - 4


@pytest.mark.parametrize("label", ["std axis=1", "norm axis=1", "norm 3 axis=1"])
def test_second_derivative_through_a_zero_row_is_finite_and_matches_torch_elsewhere(label):
    ours, theirs = CASES[label]
    x = Tensor(_rows(np.float64), requires_grad=True)
    (g,) = ag.grad(ours(x).sum(), x, create_graph=True)
    (gg,) = ag.grad((g * Tensor(WEIGHTS)).sum(), x)
    tx = torch.tensor(_rows(np.float64), requires_grad=True)
    (tg,) = torch.autograd.grad(theirs(tx).sum(), tx, create_graph=True)
    (tgg,) = torch.autograd.grad((tg * torch.tensor(WEIGHTS)).sum(), tx)
    assert np.isfinite(gg.data).all(), gg
    np.testing.assert_allclose(
        gg.data[2], tgg.numpy()[2], rtol=1e-8, atol=1e-12
    )  # the ordinary row
