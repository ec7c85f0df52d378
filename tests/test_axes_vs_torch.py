"""Every op that takes an axis, over in-range and out-of-range axes on 0-d, 1-d and 3-d tensors:
where PyTorch raises we raise a clear error naming the op (never a silent modulo), where it
accepts we give its shape and values (0-d tensors take axis 0 and -1, as in PyTorch)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor

torch = pytest.importorskip("torch", reason="PyTorch is the reference these tests compare with")

SHAPES = {0: (), 1: (3,), 3: (2, 3, 4)}
AXES = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 50]

# name -> (ours, torch's, shape override by ndim). Each takes the tensor and one axis.
AXIS_OPS = {
    "sum": (lambda t, a: t.sum(a), lambda t, a: t.sum(a)),
    "sum dim keepdim": (lambda t, a: t.sum(dim=a, keepdim=True), lambda t, a: t.sum(a, True)),
    "mean": (lambda t, a: t.mean(a), lambda t, a: t.mean(a)),
    "max": (lambda t, a: t.max(a), lambda t, a: t.amax(a)),
    "min": (lambda t, a: t.min(axis=a), lambda t, a: t.amin(a)),
    "logsumexp": (lambda t, a: t.logsumexp(a), lambda t, a: t.logsumexp(a)),
    "softmax": (lambda t, a: t.softmax(a), lambda t, a: t.softmax(a)),
    "log_softmax": (lambda t, a: t.log_softmax(dim=a), lambda t, a: t.log_softmax(a)),
    "argmax": (lambda t, a: t.argmax(a), lambda t, a: t.argmax(a)),
    "argmin": (lambda t, a: t.argmin(dim=a), lambda t, a: t.argmin(a)),
    "unsqueeze": (lambda t, a: t.unsqueeze(a), lambda t, a: t.unsqueeze(a)),
    "flatten start": (lambda t, a: t.flatten(a), lambda t, a: t.flatten(a)),
    "flatten end": (lambda t, a: t.flatten(0, a), lambda t, a: t.flatten(0, a)),
    "transpose": (lambda t, a: t.transpose(0, a), lambda t, a: t.transpose(0, a)),
    "swapaxes": (lambda t, a: t.swapaxes(a, -1), lambda t, a: t.swapaxes(a, -1)),
    "concat": (lambda t, a: autograd.concat([t, t], a), lambda t, a: torch.cat([t, t], a)),
    "stack": (lambda t, a: autograd.stack([t, t], axis=a), lambda t, a: torch.stack([t, t], a)),
    "squeeze": (lambda t, a: t.squeeze(a), lambda t, a: t.squeeze(a)),
    "squeeze tuple": (lambda t, a: t.squeeze((a,)), lambda t, a: t.squeeze((a,))),
    "tensordot": (
        lambda t, a: autograd.tensordot(t, t, axes=([a], [a])),
        lambda t, a: torch.tensordot(t, t, dims=([a], [a])),
    ),
}
# squeeze: all-ones shapes, since on an axis of another size numpy raises where PyTorch leaves
# the tensor unchanged (we follow numpy: test_squeeze_of_an_axis_that_is_not_one_raises).
SHAPE_OVERRIDES = {"squeeze": {1: (1,), 3: (1, 1, 1)}, "tensordot": {1: (2,), 3: (2, 2, 2)}}
SHAPE_OVERRIDES["squeeze tuple"] = SHAPE_OVERRIDES["squeeze"]


def _case_shape(name: str, ndim: int) -> tuple[int, ...]:
    return SHAPE_OVERRIDES.get(name, {}).get(ndim, SHAPES[ndim])


@pytest.mark.parametrize("ndim", sorted(SHAPES))
@pytest.mark.parametrize("name", sorted(AXIS_OPS))
def test_every_axis_argument_is_range_checked_like_torch(name, ndim):
    ours, theirs = AXIS_OPS[name]
    shape = _case_shape(name, ndim)
    array = np.arange(1.0, 1.0 + int(np.prod(shape))).reshape(shape) / 7
    op_name = name.split()[0]
    for axis in AXES:
        try:
            expected = theirs(torch.tensor(array), axis)
        except (IndexError, RuntimeError):
            with pytest.raises((IndexError, ValueError), match=op_name) as caught:
                ours(Tensor(array), axis)
            assert str(axis) in str(caught.value) or "0-d" in str(caught.value), name
            continue
        result = ours(Tensor(array), axis)
        what = f"{name} of shape {shape} over axis {axis}"
        assert result.shape == tuple(expected.shape), what
        np.testing.assert_allclose(result.data, expected.numpy(), rtol=1e-12, err_msg=what)


def test_out_of_range_axis_errors_name_the_op_axis_and_dimensions():
    cases = {
        "stack": lambda: autograd.stack([autograd.ones(2, 3)], axis=5),
        "squeeze": lambda: autograd.ones(1, 1, 1, 1).squeeze(50),
        "unsqueeze": lambda: autograd.ones(2, 3).unsqueeze(-4),
        "transpose": lambda: autograd.ones(2, 3).transpose(0, 4),
        "flatten": lambda: autograd.ones(2, 3).flatten(4),
        "concat": lambda: autograd.concat([autograd.ones(2, 3)] * 2, axis=2),
        "permute": lambda: autograd.ones(2, 3).permute(0, 2),
        "sum": lambda: autograd.ones(2, 3).sum((0, 7)),
    }
    for op, call in cases.items():
        with pytest.raises(np.exceptions.AxisError, match=rf"^{op}: axis -?\d+ is out of bounds"):
            call()


@pytest.mark.parametrize("axis", [0, -1])
def test_a_0d_tensor_takes_axis_0_and_minus_1_like_torch(axis):
    torch_names = {"max": "amax", "min": "amin"}
    for method in ("sum", "mean", "max", "min", "logsumexp", "squeeze", "softmax", "argmax"):
        ours = getattr(Tensor(np.float64(2.5)), method)(axis)
        theirs = getattr(torch.tensor(2.5, dtype=torch.float64), torch_names.get(method, method))
        theirs = theirs(axis)
        assert ours.shape == () and ours.item() == pytest.approx(theirs.item()), method
    x = Tensor(2.0, requires_grad=True)
    x.logsumexp(axis).backward()
    assert x.grad.item() == 1.0


@pytest.mark.parametrize("axis", [1, 10, -2])
def test_squeeze_out_of_range_on_a_0d_tensor_is_a_clear_error(axis):
    with pytest.raises(IndexError, match=f"squeeze: axis {axis} is out of bounds"):
        Tensor(1.0).squeeze(axis)


def test_concat_of_0d_tensors_names_concat_and_suggests_stack():
    with pytest.raises(ValueError, match="concat: the tensor at position 0 is 0-d.*stack"):
        autograd.concat([Tensor(1.0), Tensor(1.0)])
    assert autograd.stack([Tensor(1.0), Tensor(2.0)]).tolist() == [1.0, 2.0]


def test_shapes_are_numbers_or_one_sequence_and_refuse_other_values():
    x = autograd.ones(2, 3)
    assert x.reshape(3, 2).shape == x.reshape((3, 2)).shape == x.reshape([3, -1]).shape == (3, 2)
    assert autograd.zeros((2, np.int64(3))).shape == (2, 3)
    for bad in [(2.5, 2), ("2", 3), ((2, None),)]:
        with pytest.raises(TypeError, match="reshape"):
            x.reshape(*bad)
    with pytest.raises(ValueError, match="zeros: invalid shape"):
        autograd.zeros(2, -1)
    with pytest.raises(ValueError, match="reshape: invalid shape"):
        x.reshape(-1, -1)


def test_permutations_must_name_each_axis_once():
    x = autograd.ones(2, 3, 4)
    assert x.transpose((2, 0, 1)).shape == x.permute(2, 0, 1).shape == (4, 2, 3)
    for bad in [(0, 0, 1), (0, 1), (2, 0, 1, 3)]:
        with pytest.raises(ValueError, match="permute"):
            x.permute(*bad)
