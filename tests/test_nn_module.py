"""Module and Parameter: registration by attribute assignment, traversal, train/eval, state
dicts, Keras-style unique names; the initialisers; reproducibility with ``manual_seed``."""

from __future__ import annotations

import collections
import itertools

import numpy as np
import pytest

import nn
from autograd import Tensor, manual_seed
from nn import init, layers, models
from nn.module import Module, Parameter


@pytest.fixture
def fresh_names(monkeypatch):
    """Layer-name counters as in a new session (Keras's clear_session)."""
    monkeypatch.setattr(nn.module, "_name_counters", collections.defaultdict(itertools.count))


class Block(Module):
    def __init__(self):
        super().__init__()
        self.scale = Parameter(np.full(3, 2.0, np.float32))
        self.inner = nn.Linear(3, 2)
        self.not_a_parameter = Tensor([1.0])

    def forward(self, x):
        return self.inner(x * self.scale)


def test_attribute_assignment_registers_parameters_and_modules():
    block = Block()
    assert list(block._parameters) == ["scale"]
    assert list(block._modules) == ["inner"]
    assert [name for name, _ in block.named_parameters()] == ["scale", "inner.weight", "inner.bias"]
    assert len(list(block.parameters())) == 3


def test_reassigning_or_deleting_an_attribute_unregisters_it():
    block = Block()
    block.scale = None
    del block.inner
    assert list(block.named_parameters()) == []
    assert list(block.children()) == []


def test_assigning_before_super_init_is_a_clear_error():
    class Broken(Module):
        def __init__(self):
            self.w = Parameter([1.0])

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Broken()


def test_a_shared_parameter_is_listed_once():
    block = Block()
    block.again = block.scale
    assert [name for name, _ in block.named_parameters()].count("again") == 0
    assert len(list(block.parameters())) == 3


def test_children_and_modules_walk_the_tree_in_order():
    inner = Block()
    model = nn.Sequential(inner, nn.ReLU())
    assert list(model.children()) == [inner, model[1]]
    assert list(model.modules()) == [model, inner, inner.inner, model[1]]
    assert [name for name, _ in model.named_children()] == ["0", "1"]


def test_zero_grad_forgets_every_gradient():
    model = nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    model(Tensor(np.ones((4, 3), np.float32))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_train_and_eval_switch_every_module_below():
    model = nn.Sequential(nn.Linear(3, 2), nn.Dropout(0.5), nn.Sequential(nn.Dropout(0.2)))
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_state_dict_uses_structural_names_and_loads_into_a_fresh_model():
    manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert state["0.weight"] is model[0].weight.data  # the arrays themselves
    other = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    other.load_state_dict({k: v.copy() for k, v in state.items()})
    x = np.random.default_rng(0).random((5, 3), dtype=np.float32)
    np.testing.assert_array_equal(other(x).data, model(x).data)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("2.bias"), r"missing \['2.bias'\]"),
        (lambda s: s.update(extra=np.zeros(1)), r"unexpected \['extra'\]"),
        (lambda s: s.update({"0.weight": np.zeros((3, 4))}), r"0.weight: shape \(3, 4\)"),
        (lambda s: s.update({"0.bias": np.array(["a"] * 4)}), "not numeric"),
    ],
    ids=["missing", "unexpected", "shape", "dtype"],
)
def test_load_state_dict_rejects_a_mismatch_and_changes_nothing(change, message):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    before = {k: v.copy() for k, v in model.state_dict().items()}
    state = {k: np.zeros_like(v) for k, v in before.items()}
    change(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    for name, array in model.state_dict().items():
        np.testing.assert_array_equal(array, before[name])


def test_layers_get_keras_style_unique_names(fresh_names):
    first, second = layers.Dense(4, input_shape=(3,)), layers.Dense(2)
    model = models.Sequential([first, second])
    assert (first.name, second.name, model.name) == ("dense", "dense_1", "sequential")
    assert (first.kernel.name, second.kernel.name) == ("dense.kernel", "dense_1.kernel")
    assert first.bias.name == "dense.bias"
    assert layers.Dense(1).name == "dense_2"
    assert nn.ReLU().name == "re_lu"  # Keras's snake_case of "ReLU"
    assert [name for name, _ in model.named_parameters()][:2] == ["0.kernel", "0.bias"]


def test_nn_sequential_and_models_sequential_are_one_class():
    assert nn.Sequential is models.Sequential
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    assert isinstance(model, Module) and hasattr(model, "compile") and hasattr(model, "fit")
    assert sum(p.size for p in model.parameters()) == 407_050


def test_linear_is_initialised_like_pytorch():
    manual_seed(0)
    linear = nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    assert linear.weight.shape == (300, 400)  # PyTorch's (out_features, in_features)
    for values in (linear.weight.data, linear.bias.data):
        assert values.dtype == np.float32
        assert np.abs(values).max() <= bound
        assert np.abs(values).max() > 0.95 * bound  # uniform over the whole range
    assert abs(float(linear.weight.data.std()) - bound / np.sqrt(3)) < 0.01 * bound


def test_dense_is_initialised_glorot_uniform_with_zero_bias():
    manual_seed(0)
    dense = layers.Dense(512, input_shape=(784,))
    limit = np.sqrt(6 / (784 + 512))
    kernel = dense.kernel.data
    assert kernel.dtype == np.float32 and dense.bias.dtype == np.float32
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.99 * limit
    assert abs(float(kernel.std()) - limit / np.sqrt(3)) < 0.01 * limit
    assert not dense.bias.data.any()


def test_initializers_resolve_by_keras_name_or_reject_clearly():
    assert init.get("glorot_uniform") is init.glorot_uniform
    assert init.get(init.zeros) is init.zeros
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        init.get("glorot")


def build_seed_network() -> models.Sequential:
    network = models.Sequential()
    network.add(layers.Dense(32, activation="relu", input_shape=(20,)))
    network.add(layers.Dense(4, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return network


def test_manual_seed_makes_builds_and_fits_identical():
    rng = np.random.default_rng(0)
    x = rng.random((64, 20), dtype=np.float32)
    y = np.eye(4, dtype=np.float32)[rng.integers(0, 4, 64)]
    runs = []
    for _ in range(2):
        manual_seed(42)
        network = build_seed_network()
        initial = [p.data.copy() for p in network.parameters()]
        history = network.fit(x, y, epochs=2, batch_size=16, verbose=0)
        runs.append((initial, [p.data.copy() for p in network.parameters()], history.history))
    (init_a, final_a, hist_a), (init_b, final_b, hist_b) = runs
    for a, b in zip(init_a + final_a, init_b + final_b):
        np.testing.assert_array_equal(a, b)
    assert hist_a == hist_b
    manual_seed(43)
    assert not np.array_equal(build_seed_network()[0].kernel.data, init_a[0])


@pytest.mark.parametrize("index", [slice(None, -1), slice(1, None), slice(None, None, 2)])
def test_a_slice_of_a_sequential_is_a_sequential_sharing_its_layers(index):
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    part = model[index]
    assert isinstance(part, nn.Sequential)
    assert all(a is b for a, b in zip(part.layers, model.layers[index], strict=True))
    width = next(layer.in_features for layer in part.layers if isinstance(layer, nn.Linear))
    x = np.ones((2, width), np.float32)
    expected = Tensor(x)
    for layer in model.layers[index]:
        expected = layer(expected)
    np.testing.assert_array_equal(part(x).data, expected.data)
