"""The seed's training step stays in float32 from end to end, and training memory stays flat
(every step's graph is freed)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import nn
import optim
from autograd import Function, Tensor, manual_seed
from nn import layers, models


def seed_network(hidden: int = 64) -> models.Sequential:
    network = models.Sequential()
    network.add(layers.Dense(hidden, activation="relu", input_shape=(784,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return network


def mnist_like_batch(batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((batch, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, size=batch)]
    return x, y


@pytest.fixture
def tensor_log(monkeypatch):
    """Record (where, dtype) of every Tensor made while the test runs: by each op in forward
    and backward (backward rules run ops too, under no_grad), and by direct construction."""
    log: list[tuple[str, np.dtype]] = []
    apply, make, init = Function.apply.__func__, Tensor._make.__func__, Tensor.__init__

    def logged_apply(cls, *inputs, **params):
        result = apply(cls, *inputs, **params)
        log.append((f"op {cls.name}", result.dtype))
        return result

    def logged_make(cls, data, requires_grad, grad_fn):
        log.append(("Tensor._make", np.asarray(data).dtype))
        return make(cls, data, requires_grad, grad_fn)

    def logged_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        log.append(("Tensor()", self.data.dtype))

    monkeypatch.setattr(Function, "apply", classmethod(logged_apply))
    monkeypatch.setattr(Tensor, "_make", classmethod(logged_make))
    monkeypatch.setattr(Tensor, "__init__", logged_init)
    return log


def test_seed_train_step_makes_only_float32(tensor_log):
    manual_seed(0)
    network = seed_network()
    x, y = mnist_like_batch(32)
    for _ in range(2):  # the second step runs with the optimizer's state in place
        loss, output = network.train_step(x, y)
    ops = {where for where, _ in tensor_log if where.startswith("op ")}
    assert {"op linear", "op relu", "op softmax_cross_entropy"} <= ops  # forward and backward
    # Every float is float32; the only other kind is ReLU's boolean mask.
    allowed = {np.dtype(np.float32), np.dtype(np.bool_)}
    wrong = sorted({(where, str(dtype)) for where, dtype in tensor_log if dtype not in allowed})
    assert wrong == []
    assert output.dtype == np.float32 and isinstance(loss, float)
    for parameter in network.parameters():
        assert parameter.dtype == np.float32 and parameter.grad.dtype == np.float32
        for buffer in network.optimizer.state[parameter].values():
            assert buffer.dtype == np.float32


def test_define_by_run_step_makes_only_float32(tensor_log):
    manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    opt = optim.RMSprop(model.parameters(), lr=1e-3)
    x, y = mnist_like_batch(16)
    tensor_log.clear()
    loss = nn.functional.cross_entropy(model(Tensor(x)), y.argmax(axis=1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    floats = [(where, dtype) for where, dtype in tensor_log if dtype.kind == "f"]
    assert floats and all(dtype == np.float32 for _, dtype in floats), sorted(set(floats))
    assert all(dtype.kind in "fiub" for _, dtype in tensor_log)  # labels and masks are fine


def live_graph_nodes() -> int:
    gc.collect()
    # type(), not isinstance(): reading __class__ of some torch objects warns.
    return sum(1 for obj in gc.get_objects() if issubclass(type(obj), Function))


def test_fit_memory_stays_flat_over_many_steps():
    manual_seed(0)
    network = seed_network(hidden=32)
    x, y = mnist_like_batch(32 * 10)
    network.fit(x, y, batch_size=32, epochs=1, verbose=0)  # 10 steps: every buffer exists now
    nodes_after_10 = live_graph_nodes()
    tracemalloc.start()  # slow: trace 30 steps only
    try:
        network.fit(x, y, batch_size=32, epochs=1, verbose=0)
        traced_after_20, _ = tracemalloc.get_traced_memory()
        network.fit(x, y, batch_size=32, epochs=3, verbose=0)
        traced_after_50, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    network.fit(x, y, batch_size=32, epochs=16, verbose=0)
    assert network.optimizer.iterations == 210
    assert live_graph_nodes() <= nodes_after_10
    # Keeping each step's graph would hold over 10 kB a step (activations, probabilities,
    # masks, nodes): 30 steps would add some 400 kB.
    assert traced_after_50 - traced_after_20 < 100_000


def test_each_steps_graph_dies_when_the_next_step_starts():
    manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 10))
    opt = optim.RMSprop(model.parameters())
    x, y = mnist_like_batch(8)
    labels = y.argmax(axis=1)
    early: list[weakref.ref] = []
    for step in range(5):
        logits = model(Tensor(x))
        loss = nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step == 0:
            early = [weakref.ref(loss.grad_fn), weakref.ref(logits.grad_fn), weakref.ref(logits)]
    del loss, logits
    gc.collect()
    assert all(ref() is None for ref in early)
    assert all(p.grad is not None and p.grad.grad_fn is None for p in model.parameters())
