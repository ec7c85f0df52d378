"""PyTorch's weights load unchanged: ``nn.Linear.weight`` is (out_features, in_features) with
state-dict keys ``weight``/``bias``; ``autograd.tensor`` infers dtypes as ``torch.tensor``."""

from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Tensor, tensor
from autograd.engine import graph_nodes
from nn import layers

torch = pytest.importorskip("torch", reason="PyTorch is the reference these tests compare with")


def torch_mlp(sizes: tuple[int, ...], seed: int = 0):
    torch.manual_seed(seed)
    modules = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        modules += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    return torch.nn.Sequential(*modules[:-1])


def our_mlp(sizes: tuple[int, ...]):
    modules = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        modules += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*modules[:-1])


@pytest.mark.parametrize("sizes", [(784, 512, 10), (3, 4), (5, 7, 6, 2)])
def test_a_pytorch_state_dict_loads_unchanged_and_gives_the_same_outputs(sizes):
    theirs = torch_mlp(sizes)
    ours = our_mlp(sizes)
    state = {key: value.numpy() for key, value in theirs.state_dict().items()}
    assert list(ours.state_dict()) == list(state)  # 0.weight, 0.bias, 2.weight, ...
    ours.load_state_dict(state)
    x = np.random.default_rng(0).random((16, sizes[0]), dtype=np.float32)
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(Tensor(x)).data, expected, rtol=1e-5, atol=1e-6)


def test_our_state_dict_loads_into_pytorch_and_gradients_share_the_layout():
    ours = our_mlp((6, 5, 3))
    theirs = torch_mlp((6, 5, 3))
    theirs.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(1).random((4, 6), dtype=np.float32)
    ours(Tensor(x)).sum().backward()
    theirs(torch.from_numpy(x)).sum().backward()
    for (name, mine), their in zip(ours.named_parameters(), theirs.parameters()):
        assert mine.grad.shape == tuple(their.grad.shape), name
        np.testing.assert_allclose(mine.grad.data, their.grad.numpy(), rtol=1e-5, err_msg=name)


def test_linear_reads_its_weight_transposed_without_a_copy():
    linear = nn.Linear(4, 3)
    out = linear(Tensor(np.ones((2, 4), np.float32), requires_grad=True))
    names = [node.name for node in graph_nodes(out.grad_fn)]
    assert names == ["linear", "transpose"]
    assert np.shares_memory(linear.weight.T.data, linear.weight.data)
    with pytest.raises(ValueError, match=r"expected inputs with 4 features \(weight \(3, 4\)\)"):
        linear(np.ones((2, 3), np.float32))


def test_dense_keeps_keras_kernel_layout_and_linear_pytorchs():
    dense = layers.Dense(3, input_shape=(4,))
    linear = nn.Linear(4, 3)
    assert dense.kernel.shape == (4, 3) and linear.weight.shape == (3, 4)
    assert [name for name, _ in dense.named_parameters()] == ["kernel", "bias"]
    assert [name for name, _ in linear.named_parameters()] == ["weight", "bias"]
    assert [name for name, _ in nn.Linear(4, 3, bias=False).named_parameters()] == ["weight"]
    assert repr(linear) == "Linear(in_features=4, out_features=3, bias=True)"


def test_linear_rejects_bad_sizes_and_a_mismatched_sequential():
    with pytest.raises(ValueError, match="in_features must be a positive integer, got 0"):
        nn.Linear(0, 3)
    model = nn.Sequential()
    model.add(layers.Dense(5, input_shape=(3,)))
    with pytest.raises(ValueError, match=r"built for 4 input features, got input shape \(5,\)"):
        model.add(nn.Linear(4, 2))


@pytest.mark.parametrize(
    "data",
    [[1, 2], [1.0, 2.0], [True, False], 3, 3.0, True, [[1, 2], [3, 4.5]], [True, 2],
     np.arange(3, dtype=np.int32), np.ones(2, np.float64), np.ones(2, np.float16), []],
    ids=repr,
)  # fmt: skip
def test_tensor_infers_dtypes_as_torch_tensor(data):
    theirs = torch.tensor(data)
    ours = tensor(data)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_tensor_copies_while_the_constructor_shares_and_keeps_float32():
    array = np.zeros(3, np.float32)
    assert tensor(array).data is not array and Tensor(array).data is array
    assert Tensor([1, 2]).dtype == np.float32 and tensor([1, 2]).dtype == np.int64
    assert tensor([1, 2], dtype=np.float64).dtype == np.float64
    assert tensor([1.0], requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="only floating-point tensors can require gradients"):
        tensor([1, 2], requires_grad=True)


@pytest.mark.parametrize(
    "edit",
    [
        lambda state: state.pop("2.bias"),
        lambda state: state.update({"head.weight": np.ones((2, 2), np.float32)}),
        lambda state: (state.pop("0.weight"), state.update(extra=np.ones(1, np.float32))),
        lambda state: None,
    ],
    ids=["missing", "unexpected", "both", "exact"],
)
def test_load_state_dict_strict_false_reports_keys_as_pytorch(edit):
    # strict= was a TypeError (and a positional False became the error's "source" text).
    theirs, ours = torch_mlp((4, 3, 2)), our_mlp((4, 3, 2))
    state = {
        key: value.numpy().copy()
        for key, value in torch_mlp((4, 3, 2), seed=1).state_dict().items()
    }
    edit(state)
    expected = theirs.load_state_dict({k: torch.from_numpy(v) for k, v in state.items()}, False)
    got = ours.load_state_dict(state, False)
    assert sorted(got.missing_keys) == sorted(expected.missing_keys)
    assert sorted(got.unexpected_keys) == sorted(expected.unexpected_keys)
    for key in set(ours.state_dict()) & set(state):  # the names both loaded
        np.testing.assert_array_equal(ours.state_dict()[key], theirs.state_dict()[key].numpy())
    if got.missing_keys or got.unexpected_keys:
        with pytest.raises(ValueError, match="cannot load the state dict"):
            our_mlp((4, 3, 2)).load_state_dict(state)


def test_load_state_dict_strict_false_still_refuses_a_wrong_shape_and_changes_nothing():
    ours = our_mlp((4, 3, 2))
    before = {key: value.copy() for key, value in ours.state_dict().items()}
    state = {"0.weight": np.ones((3, 4), np.float32), "2.weight": np.ones((5, 5), np.float32)}
    with pytest.raises(ValueError, match=r"2.weight: shape \(5, 5\)"):
        ours.load_state_dict(state, strict=False)
    for key, value in ours.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
