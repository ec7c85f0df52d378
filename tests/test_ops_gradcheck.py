"""Every registered op against central finite differences, first and second derivatives.

The inputs of each op come from ``tests/op_specs.py`` (random shapes, broadcasting included).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import autograd
from autograd import REGISTRY, Tensor, concat, enable_grad, gradcheck
from autograd.engine import graph_nodes
from tests.op_specs import SPECS, Case, tensors_for

OP_NAMES = sorted(SPECS)
CHECK_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_every_registered_op_has_a_spec_and_every_spec_a_registered_op():
    assert set(REGISTRY) == set(SPECS), (
        f"ops without a spec in tests/op_specs.py: {sorted(set(REGISTRY) - set(SPECS))}; "
        f"specs of no registered op: {sorted(set(SPECS) - set(REGISTRY))}"
    )


def recorded_op_names(case: Case) -> set[str]:
    output = case.call(*tensors_for(case))
    return {node.name for node in graph_nodes(output.grad_fn)} if output.grad_fn else set()


@pytest.mark.parametrize("name", OP_NAMES)
@CHECK_SETTINGS
@given(data=st.data())
def test_op_gradient_matches_finite_differences(name, data):
    case = data.draw(SPECS[name], label=name)
    assert name in recorded_op_names(case), f"the {name} spec does not run the {name} op"
    assert gradcheck(case.call, case.arrays, **case.gradcheck_options)


def first_derivatives(case: Case):
    """(inputs..., v) -> the gradients of v . op(inputs) with respect to the floating inputs,
    flattened into one vector, computed with create_graph=True so they can be differentiated."""

    def derivatives(*args: Tensor) -> Tensor:
        *inputs, v = args
        # gradcheck evaluates its finite differences under no_grad; these need the graph.
        with enable_grad():
            output = case.call(*inputs)
            wrt = [t for t in inputs if t.requires_grad]
            grads = autograd.grad(output, wrt, grad_outputs=v, create_graph=True)
            return concat([g.reshape(-1) for g in grads])

    return derivatives


@pytest.mark.parametrize("name", OP_NAMES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_op_backward_is_itself_differentiable(name, data):
    """gradgradcheck: the backward rules are written in Tensor ops, so their own gradient (with
    respect to the inputs and to the incoming gradient v) must match finite differences."""
    case = data.draw(SPECS[name], label=name)
    output_shape = case.call(*tensors_for(case, requires_grad=False)).shape
    v = np.random.default_rng(len(case.arrays)).standard_normal(output_shape)
    assert gradcheck(first_derivatives(case), [*case.arrays, v], **case.gradcheck_options)


RNG = np.random.default_rng(5)
NAMED_CASES = {
    "tensordot axes=([1, 0], [0, 2])": (
        lambda a, b: autograd.tensordot(a, b, axes=([1, 0], [0, 2])),
        [RNG.standard_normal((2, 3, 4)), RNG.standard_normal((3, 5, 2))],
    ),
    "tensordot axes=2": (
        lambda a, b: autograd.tensordot(a, b, axes=2),
        [RNG.standard_normal((2, 3, 4)), RNG.standard_normal((3, 4, 2))],
    ),
    "matmul 1-D @ 1-D": (lambda a, b: a @ b, [RNG.standard_normal(3), RNG.standard_normal(3)]),
    "matmul 1-D @ 3-D": (
        lambda a, b: a @ b,
        [RNG.standard_normal(3), RNG.standard_normal((2, 3, 4))],
    ),
    "matmul 4-D @ 1-D": (
        lambda a, b: a @ b,
        [RNG.standard_normal((2, 1, 2, 3)), RNG.standard_normal(3)],
    ),
    "matmul batch (2, 1) with batch (3,)": (
        lambda a, b: a @ b,
        [RNG.standard_normal((2, 1, 2, 3)), RNG.standard_normal((3, 3, 4))],
    ),
    "getitem repeated integer array": (
        lambda x: x[np.array([0, 2, 0, 0])],
        [RNG.standard_normal((3, 2))],
    ),
    "getitem boolean mask": (
        lambda x: x[np.array([[True, False], [True, True], [False, False]])],
        [RNG.standard_normal((3, 2))],
    ),
    "getitem slice and int": (lambda x: x[1:, -1], [RNG.standard_normal((3, 2))]),
    "softmax_cross_entropy integer labels": (
        lambda x: autograd.softmax_cross_entropy(x, np.array([2, 0, 2])),
        [RNG.standard_normal((3, 4))],
    ),
    "softmax_cross_entropy one-hot": (
        autograd.softmax_cross_entropy,
        [RNG.standard_normal((3, 4)), np.eye(4)[[2, 0, 2]]],
    ),
}


@pytest.mark.parametrize("label", NAMED_CASES)
def test_cases_named_in_the_issue_pass_gradcheck(label):
    function, inputs = NAMED_CASES[label]
    assert gradcheck(function, inputs)


def test_gradcheck_catches_a_wrong_op_and_names_it_and_the_worst_element(wrong_op):
    x = Tensor(np.array([[0.5, -0.5], [2.0, 4.0]]))
    with pytest.raises(autograd.GradcheckError) as error:
        gradcheck(lambda t: wrong_op.apply(t).sum(), [x])
    message = str(error.value)
    assert "wrong_square" in message
    # The rule says 2 where the truth is 2x: they differ most where x = 4, element (1, 1).
    assert "worst element (1, 1)" in message
    assert "backward gave" in message and "finite differences" in message


@pytest.fixture
def wrong_op():
    """An op with a deliberately wrong backward, removed from REGISTRY afterwards."""

    class WrongSquare(autograd.Function):
        name = "wrong_square"

        def forward(self, a):
            return a * a

        def backward(self, grad):
            return (grad * 2,)  # should be grad * 2a

    yield WrongSquare
    del REGISTRY["wrong_square"]


def test_gradcheck_passes_a_correct_composite_function():
    rng = np.random.default_rng(0)
    assert gradcheck(
        lambda a, b: (a @ b).tanh().sum(axis=0) * b[0], [rng.random((2, 3)), rng.random((3, 3))]
    )
