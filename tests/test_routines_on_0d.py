"""The new routines on 0-d tensors (issue 9, item 7, replayed): where PyTorch accepts a scalar
with dim 0 / -1 the result and gradient match it; where a routine needs an axis to work on it
raises a ValueError naming itself, never an IndexError "tuple index out of range" from inside."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, linalg

torch = pytest.importorskip("torch")

ACCEPTED = {  # label -> (ours, PyTorch's), each given the 0-d input
    "cumsum 0": (lambda x: x.cumsum(0), lambda x: x.cumsum(0)),
    "cumsum -1": (lambda x: ag.cumsum(x, dim=-1), lambda x: x.cumsum(-1)),
    "cumprod 0": (lambda x: x.cumprod(0), lambda x: x.cumprod(0)),
    "logcumsumexp -1": (lambda x: x.logcumsumexp(-1), lambda x: x.logcumsumexp(-1)),
    "moveaxis 0 0": (lambda x: ag.moveaxis(x, 0, 0), lambda x: x.movedim(0, 0)),
    "movedim -1 0": (lambda x: x.movedim(-1, 0), lambda x: x.movedim(-1, 0)),
    "gather 0": (lambda x: x.gather(0, np.array(0)), lambda x: x.gather(0, torch.tensor(0))),
    "gather -1": (lambda x: ag.gather(x, -1, np.array(0)), lambda x: x.gather(-1, torch.tensor(0))),
    "scatter": (
        lambda x: x.scatter(0, np.array(0), x * 3), lambda x: x.scatter(0, torch.tensor(0), x * 3)),
    "scatter_add": (
        lambda x: x.scatter_add(0, np.array(0), x * 3),
        lambda x: x.scatter_add(0, torch.tensor(0), x * 3)),
    "index_add": (
        lambda x: x.index_add(0, np.array([0]), x * 3, alpha=2),
        lambda x: x.index_add(0, torch.tensor([0]), x * 3, alpha=2)),
    "norm axis 0": (lambda x: linalg.norm(x, axis=0), lambda x: torch.linalg.vector_norm(x, dim=0)),
    "norm ord 1 axis -1": (
        lambda x: linalg.norm(x, 1, axis=-1), lambda x: torch.linalg.vector_norm(x, 1, dim=-1)),
}  # fmt: skip


@pytest.mark.parametrize("value", [-1.5, 2.0])
@pytest.mark.parametrize("label", sorted(ACCEPTED))
def test_0d_input_matches_torch(label, value):
    ours, theirs = ACCEPTED[label]
    x = Tensor(np.float64(value), requires_grad=True)
    y = ours(x)
    y.backward()
    tx = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    ty = theirs(tx)
    ty.backward()
    assert y.shape == tuple(ty.shape) == ()
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-12)


REFUSED = {
    "split": lambda x: ag.split(x, 1),
    "array_split": lambda x: ag.array_split(x, 1),
    "chunk": lambda x: x.chunk(1),
    "tensor_split": lambda x: x.tensor_split(1),
    "unflatten": lambda x: x.unflatten(0, (1,)),
    "tril": lambda x: x.tril(),
    "triu": lambda x: ag.triu(x),
    "trace": lambda x: ag.trace(x),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_routines_that_need_an_axis_refuse_0d_naming_themselves(name):
    with pytest.raises(ValueError, match=rf"^{name}: needs"):
        REFUSED[name](Tensor(2.0, requires_grad=True))
