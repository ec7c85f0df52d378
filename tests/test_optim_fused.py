"""The fused (numba) optimizer updates against the numpy reference, and how ``fused`` is chosen.

The comparisons need numba (the ``fast`` extra) and skip without it; the choice tests do not.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

import optim
import optim.fused
from autograd import Tensor

CONFIGS = [
    (optim.RMSprop, {}),
    (optim.RMSprop, {"lr": 0.01, "rho": 0.8, "epsilon": 1e-5}),
    (optim.RMSprop, {"momentum": 0.9}),
    (optim.RMSprop, {"epsilon": 0.0}),
    (optim.Adam, {}),
    (optim.Adam, {"lr": 0.02, "epsilon": 0.0}),
    (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
]
CONFIG_IDS = ["rmsprop", "rmsprop_other", "rmsprop_momentum", "rmsprop_eps0", "adam",
              "adam_eps0", "sgd_momentum", "sgd_nesterov"]  # fmt: skip


def gradients(shape, dtype, steps=6, seed=0) -> list[np.ndarray]:
    """Signed gradients over many scales, with exact zeros (epsilon 0's case) and 1e18."""
    rng = np.random.default_rng(seed)
    scales = np.array([0.0, 1e-6, 1e-3, 0.1, 1.0, 30.0, 1e18])
    out = []
    for step in range(steps):
        g = rng.standard_normal(shape) * np.resize(scales, shape)
        g.flat[0] = 0.0  # a weight that never gets a gradient
        with np.errstate(over="ignore"):  # 1e18 is inf in float16
            out.append(g.astype(dtype) if step != 2 else np.zeros(shape, dtype))
    return out


def train(cls, settings, fused, grads, start, layout="C"):
    weight = Tensor(np.array(start, order=layout), requires_grad=True)
    optimizer = cls([weight], fused=fused, **settings)
    for g in grads:
        weight.grad = Tensor(np.array(g, order=layout))
        with np.errstate(over="ignore"):
            optimizer.step()
    buffers = {k: v for k, v in optimizer.state[weight].items() if k != "scratch"}
    return weight.data, buffers


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda d: d.__name__)
@pytest.mark.parametrize("shape", [(37, 13), (5,), ()], ids=str)
@pytest.mark.parametrize("cls, settings", CONFIGS, ids=CONFIG_IDS)
def test_fused_update_gives_the_numpy_weights_and_state(cls, settings, shape, dtype, monkeypatch):
    pytest.importorskip("numba", reason="the fused path needs the 'fast' extra (numba)")
    module = sys.modules[cls.__module__]
    calls = []
    real = optim.fused.kernels()
    monkeypatch.setattr(module, "kernels", lambda: calls.append(1) or real)
    grads = gradients(shape, dtype)
    start = np.linspace(-1, 1, int(np.prod(shape))).reshape(shape).astype(dtype)
    ours, our_state = train(cls, settings, True, grads, start)
    assert calls, "the fused kernel did not run"
    reference, reference_state = train(cls, settings, False, grads, start)
    tolerance = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(ours, reference, rtol=tolerance, atol=0)
    assert np.isfinite(ours).all()
    for key, value in reference_state.items():
        np.testing.assert_allclose(our_state[key], value, rtol=tolerance, err_msg=key)


@pytest.mark.parametrize(
    "cls, settings, dtype, layout",
    [
        (optim.RMSprop, {}, np.float16, "C"),
        (optim.RMSprop, {"centered": True}, np.float32, "C"),
        (optim.RMSprop, {}, np.float32, "F"),
        (optim.Adam, {}, np.float16, "C"),
        (optim.SGD, {"momentum": 0.9, "weight_decay": 0.1}, np.float32, "C"),
    ],
    ids=["float16", "centered", "fortran_order", "adam_float16", "sgd_weight_decay"],
)
def test_what_the_kernels_do_not_cover_takes_the_numpy_path(cls, settings, dtype, layout):
    grads = gradients((6, 4), dtype, seed=1)
    grads = [np.clip(g, -100, 100).astype(dtype) for g in grads]
    start = np.linspace(-1, 1, 24).reshape(6, 4).astype(dtype)
    fused = importlib.util.find_spec("numba") is not None
    ours, _ = train(cls, settings, fused, grads, start, layout)
    reference, _ = train(cls, settings, False, grads, start, layout)
    np.testing.assert_array_equal(ours, reference)


def test_fused_without_numba_names_the_extra(monkeypatch):
    monkeypatch.setattr(optim.fused.importlib.util, "find_spec", lambda name: None)
    monkeypatch.delenv("CHAINRULE_FUSED", raising=False)
    assert optim.RMSprop().fused is False  # the default needs no numba
    with pytest.raises(ImportError, match=r"RMSprop: fused=True needs numba.*chainrule\[fast\]"):
        optim.RMSprop(fused=True)
    monkeypatch.setenv("CHAINRULE_FUSED", "1")
    with pytest.raises(ImportError, match=r"Adam: fused=True needs numba"):
        optim.Adam()


@pytest.mark.parametrize("cls", [optim.SGD, optim.RMSprop, optim.Adam])
def test_fused_is_opt_in_by_argument_or_environment(cls, monkeypatch):
    monkeypatch.setattr(optim.fused.importlib.util, "find_spec", lambda name: object())
    monkeypatch.delenv("CHAINRULE_FUSED", raising=False)
    assert cls().fused is False and cls(fused=True).fused is True
    monkeypatch.setenv("CHAINRULE_FUSED", "1")
    assert cls().fused is True and cls(fused=False).fused is False
    monkeypatch.setenv("CHAINRULE_FUSED", "0")
    assert cls().fused is False and cls(fused=True).fused is True
    monkeypatch.setenv("CHAINRULE_FUSED", "yes")
    with pytest.raises(ValueError, match="CHAINRULE_FUSED must be 0 or 1, got 'yes'"):
        cls()
    with pytest.raises(TypeError, match="fused must be True, False or None, got 'auto'"):
        cls(fused="auto")


def test_making_and_stepping_an_unfused_optimizer_never_imports_numba():
    code = (
        "import sys, numpy as np, optim; from autograd import Tensor\n"
        "w = Tensor(np.ones(3, np.float32), requires_grad=True)\n"
        "o = optim.RMSprop([w]); w.grad = Tensor(np.ones(3, np.float32)); o.step()\n"
        "assert 'numba' not in sys.modules, 'numba was imported'\n"
    )
    env = {"PATH": ""}  # the default, with numba installed or not
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=root)
