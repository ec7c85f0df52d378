"""numpy's own functions on Tensors (NEP 13/18): they record into the graph, return Tensors,
and a function with no op raises a TypeError naming it."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import autograd
from autograd import REGISTRY, Tensor, gradcheck, numpy_protocol
from autograd.engine import graph_nodes

RNG = np.random.default_rng(0)
ROOT = pathlib.Path(__file__).resolve().parents[1]


def grads_of(function, *arrays):
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = function(*tensors)
    assert isinstance(out, Tensor), f"got {type(out).__name__}, not a Tensor"
    out.backward(np.ones(out.shape))
    return out, [t.grad.data for t in tensors]


def test_the_seeds_dense_layer_written_in_numpy_differentiates_like_the_methods():
    w, x, b = RNG.standard_normal((3, 4)), RNG.standard_normal(4), RNG.standard_normal(3)
    out, numpy_grads = grads_of(lambda w, x, b: np.maximum(np.dot(w, x) + b, 0), w, x, b)
    expected, method_grads = grads_of(lambda w, x, b: (w.dot(x) + b).maximum(0.0), w, x, b)
    np.testing.assert_allclose(out.data, expected.data)
    for ours, theirs in zip(numpy_grads, method_grads):
        np.testing.assert_allclose(ours, theirs)


NUMPY_AND_METHOD = {
    "np.exp": (lambda t: np.exp(t), lambda t: t.exp()),
    "np.tanh": (lambda t: np.tanh(t), lambda t: t.tanh()),
    "np.sum axis=0": (lambda t: np.sum(t, axis=0), lambda t: t.sum(axis=0)),
    "np.mean keepdims": (lambda t: np.mean(t, axis=1, keepdims=True), lambda t: t.mean(1, True)),
    "np.clip": (lambda t: np.clip(t, -0.5, 0.5), lambda t: t.clip(-0.5, 0.5)),
    "np.linalg.norm": (lambda t: np.linalg.norm(t), lambda t: (t * t).sum().sqrt()),
    "np.where": (lambda t: np.where(t.data > 0, t, t * 2),
                 lambda t: autograd.where(t > 0, t, t * 2)),
    "np.concatenate": (lambda t: np.concatenate([t, t * 3]), lambda t: autograd.concat([t, t * 3])),
    "np.add.reduce": (lambda t: np.add.reduce(t, axis=1), lambda t: t.sum(axis=1)),
    "np.multiply.accumulate": (lambda t: np.multiply.accumulate(t, axis=0), lambda t: t.cumprod(0)),
    "ndarray * Tensor": (lambda t: np.full((2, 3), 2.0) * t, lambda t: t * 2.0),
    "ndarray @ Tensor": (lambda t: np.ones((4, 2)) @ t,
                         lambda t: autograd.matmul(np.ones((4, 2)), t)),
    "ndarray - Tensor": (lambda t: np.ones(3) - t, lambda t: 1.0 - t),
}  # fmt: skip


@pytest.mark.parametrize("label", NUMPY_AND_METHOD)
def test_numpy_functions_on_tensors_give_the_methods_values_and_gradients(label):
    through_numpy, through_methods = NUMPY_AND_METHOD[label]
    x = RNG.uniform(0.1, 0.4, (2, 3)) * RNG.choice([-1.0, 1.0], (2, 3))
    ours, our_grads = grads_of(through_numpy, x)
    expected, expected_grads = grads_of(through_methods, x)
    assert ours.grad_fn is not None
    np.testing.assert_allclose(ours.data, expected.data)
    np.testing.assert_allclose(our_grads[0], expected_grads[0])


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda t: np.sort(t), "numpy.sort"),
        (lambda t: np.median(t), "numpy.median"),
        (lambda t: np.cbrt(t), "numpy.cbrt"),
        (lambda t: np.add.outer(t, t), "numpy.add.outer"),
        (lambda t: np.linalg.eigh(t), "numpy.linalg.eigh"),
        (lambda t: np.exp(t, where=np.ones(t.shape, bool)), "numpy.exp"),
    ],
)
def test_a_numpy_function_with_no_op_raises_a_type_error_naming_it(call, name):
    t = Tensor(np.eye(2), requires_grad=True)
    with pytest.raises(TypeError, match=name.replace(".", r"\.")):
        call(t)


def test_asarray_and_numpy_give_the_plain_array_without_a_graph():
    t = Tensor(np.arange(3.0), requires_grad=True) * 2
    assert np.asarray(t) is t.data and t.numpy() is t.data
    assert type(np.asarray(t)) is np.ndarray
    assert np.array(t).tolist() == [0.0, 2.0, 4.0]


def test_out_is_refused_when_the_result_needs_a_gradient_and_written_otherwise():
    t = Tensor(np.arange(3.0), requires_grad=True)
    for call in (lambda out: np.exp(t, out=out), lambda out: np.sum(t, axis=0, out=out)):
        with pytest.raises(RuntimeError, match="out="):
            call(np.empty(3) if call is not None else None)
    plain = Tensor(np.arange(3.0))
    out = np.empty(3)
    assert np.exp(plain, out=out) is out
    np.testing.assert_allclose(out, np.exp(np.arange(3.0)))
    target = Tensor(np.zeros(3), requires_grad=True)
    with pytest.raises(RuntimeError, match="out="):
        np.exp(plain, out=target)
    array = np.ones(3)
    with pytest.raises(RuntimeError, match="a = a \\+ t"):
        array += t


def test_mixed_ndarray_and_tensor_expressions_give_tensors_on_either_side():
    a, t = np.ones((2, 2), dtype=np.float32), Tensor(np.ones((2, 2)), requires_grad=True)
    for result in (a + t, t + a, a * t, t * a, a - t, a / t, a @ t, t @ a, a**t):
        assert isinstance(result, Tensor) and result.requires_grad
    assert isinstance(a > t, Tensor) and (a > t).dtype == np.bool_


def test_covered_functions_are_generated_from_the_table_and_all_resolve():
    rows = numpy_protocol.covered()
    expected = (
        len(numpy_protocol.UFUNCS)
        + len(numpy_protocol.UFUNC_METHODS)
        + len(numpy_protocol.FUNCTIONS)
        + len(numpy_protocol.INSPECTION)
    )
    assert len(rows) == expected, "an entry of the dispatch table names a missing function"
    assert ("np.exp", "autograd.exp") in rows and ("np.linalg.inv", "autograd.linalg.inv") in rows


def test_the_docs_table_is_the_generated_one():
    committed = (ROOT / "docs" / "numpy_functions.md").read_text()
    assert committed == numpy_protocol.markdown(), (
        "docs/numpy_functions.md is stale: run `python docs/make_numpy_functions.py`"
    )


# ------------------------------------------------------------------ the registry, walked
#: Ops whose numpy counterpart has another name; ops absent here and from numpy have none.
COUNTERPARTS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "div": "divide", "pow": "power",
    "neg": "negative", "abs": "absolute", "concat": "concatenate", "inv": "linalg.inv",
    "det": "linalg.det", "logabsdet": "linalg.slogdet", "solve": "linalg.solve",
}  # fmt: skip
NO_COUNTERPART_EVEN_IF_NAMED = {"cast"}  # astype is a method, not a numpy function


def counterpart(op_name: str):
    path = COUNTERPARTS.get(op_name, op_name)
    if op_name in NO_COUNTERPART_EVEN_IF_NAMED:
        return None
    target = np
    for part in path.split("."):
        target = getattr(target, part, None)
    return target


def _off_grid(shape):
    return RNG.uniform(0.2, 0.45, shape) * RNG.choice([-1.0, 1.0], shape) + RNG.integers(
        -2, 3, shape
    )


def _matrix():
    return RNG.standard_normal((3, 3)) * 0.3 + 2 * np.eye(3)


UFUNC_DOMAINS = {
    "arccosh": lambda shape: RNG.uniform(1.2, 2.0, shape),
    "floor": _off_grid, "ceil": _off_grid, "trunc": _off_grid, "sign": _off_grid,
    "round": _off_grid,
}  # fmt: skip
DISTINCT = np.array([[0.3, -1.2, 0.7], [1.9, -0.4, 0.1]])
PROBES = {
    "sum": (lambda t: np.sum(t, axis=0), [DISTINCT]),
    "mean": (lambda t: np.mean(t, axis=1), [DISTINCT]),
    "max": (lambda t: np.max(t, axis=0), [DISTINCT]),
    "min": (lambda t: np.amin(t), [DISTINCT]),
    "prod": (lambda t: np.prod(t, axis=1), [DISTINCT]),
    "var": (lambda t: np.var(t, axis=0, ddof=1), [DISTINCT]),
    "cumsum": (lambda t: np.cumsum(t, axis=1), [DISTINCT]),
    "cumprod": (lambda t: np.cumprod(t), [DISTINCT]),
    "where": (lambda t, u: np.where(DISTINCT > 0, t, u), [DISTINCT, -DISTINCT]),
    "clip": (lambda t: np.clip(t, -0.5, 0.5), [DISTINCT]),
    "reshape": (lambda t: np.reshape(t, (3, 2)), [DISTINCT]),
    "transpose": (lambda t: np.transpose(t), [DISTINCT]),
    "broadcast_to": (lambda t: np.broadcast_to(t, (4, 2, 3)), [DISTINCT]),
    "concat": (lambda t, u: np.concatenate([t, u], axis=1), [DISTINCT, DISTINCT]),
    "stack": (lambda t, u: np.stack([t, u]), [DISTINCT, DISTINCT]),
    # C-ordered copies: gradcheck perturbs its inputs through reshape(-1), a view only then
    "matmul": (lambda t, u: np.matmul(t, u), [DISTINCT, np.ascontiguousarray(DISTINCT.T)]),
    "tensordot": (lambda t, u: np.tensordot(t, u, axes=([1], [1])), [DISTINCT, DISTINCT]),
    "pad": (lambda t: np.pad(t, 1, mode="reflect"), [DISTINCT]),
    "flip": (lambda t: np.flip(t, 0), [DISTINCT]),
    "roll": (lambda t: np.roll(t, 2), [DISTINCT]),
    "tile": (lambda t: np.tile(t, (2, 1)), [DISTINCT]),
    "repeat": (lambda t: np.repeat(t, 2, axis=0), [DISTINCT]),
    "diagonal": (lambda t: np.diagonal(t, 1), [DISTINCT]),
    "diag": (lambda t: np.diag(t), [DISTINCT]),
    "tril": (lambda t: np.tril(t), [DISTINCT]),
    "triu": (lambda t: np.triu(t, 1), [DISTINCT]),
    "take_along_axis": (lambda t: np.take_along_axis(t, np.array([[2, 0]] * 2), 1), [DISTINCT]),
    "einsum": (lambda t, u: np.einsum("ij,kj->ik", t, u), [DISTINCT, DISTINCT]),
    "inv": (lambda m: np.linalg.inv(m), [_matrix()]),
    "det": (lambda m: np.linalg.det(m), [_matrix()]),
    "logabsdet": (lambda m: np.linalg.slogdet(m)[1], [_matrix()]),
    "solve": (lambda m, v: np.linalg.solve(m, v), [_matrix(), DISTINCT[0]]),
    "round": (lambda t: np.round(t), [_off_grid((2, 3))]),
}  # fmt: skip


def _probe(name: str):
    if name in PROBES:
        return PROBES[name]
    ufunc = counterpart(name)
    if isinstance(ufunc, np.ufunc):
        domain = UFUNC_DOMAINS.get(name, lambda shape: RNG.uniform(0.2, 0.8, shape))
        return (lambda *ts: ufunc(*ts)), [domain((2, 3)) for _ in range(ufunc.nin)]
    return None


OPS_WITH_COUNTERPARTS = sorted(name for name in REGISTRY if counterpart(name) is not None)


def test_the_registry_walk_finds_the_ops_numpy_has():
    assert {"sin", "exp", "sum", "matmul", "einsum", "inv", "pad"} <= set(OPS_WITH_COUNTERPARTS)
    missing = [name for name in OPS_WITH_COUNTERPARTS if _probe(name) is None]
    assert not missing, f"ops with a numpy counterpart but no probe in this test: {missing}"


@pytest.mark.parametrize("name", OPS_WITH_COUNTERPARTS)
def test_every_op_with_a_numpy_counterpart_works_through_numpy(name):
    call, arrays = _probe(name)
    tensors = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = call(*tensors)
    assert isinstance(out, Tensor), f"{name}: numpy returned {type(out).__name__}"
    assert name in {node.name for node in graph_nodes(out.grad_fn)}, f"{name} not recorded"
    assert gradcheck(call, arrays)
