"""Recording keeps few objects per node and none in cycles, without losing any check: the
saved output's version is still checked when the change comes through a view or an alias, and
shared number constants keep their value and sign."""

from __future__ import annotations

import gc

import numpy as np
import pytest

from autograd import Tensor


@pytest.mark.parametrize("alias", ["reshape", "detach", "itself", "slice"])
def test_saved_output_changed_through_any_alias_is_detected(alias):
    x = Tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
    y = x.tanh()  # tanh saves its output
    loss = y.sum()
    target = {"reshape": lambda: y.reshape(2, 2), "detach": y.detach, "itself": lambda: y,
              "slice": lambda: y[1:]}[alias]()  # fmt: skip
    if alias == "itself":
        with pytest.raises(RuntimeError, match="in-place"):
            target += 1.0  # a non-leaf: recorded in place, then the tanh node's check fires
            loss.backward()
        return
    with pytest.raises(RuntimeError, match="tanh: its output"):
        with_no_grad_add(target)
        loss.backward()


def with_no_grad_add(tensor):
    from autograd import no_grad

    with no_grad():
        tensor += 1.0


def test_saved_output_unchanged_keeps_working_with_views_made():
    x = Tensor([0.1, -0.2, 0.3], requires_grad=True)
    y = x.tanh()
    y.detach()  # gives y a counter, at version 0
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1 - np.tanh(x.data) ** 2, rtol=1e-6)


@pytest.mark.parametrize("value", [2.0, -0.0, 0.0, 3, -1.5, float("nan")])
def test_number_operands_keep_value_and_sign_when_shared(value):
    x = Tensor([1.0, 2.0], requires_grad=True)
    for _ in range(3):  # the same constant serves each op
        y = x * value
        expected = np.asarray([1.0, 2.0], np.float32) * np.float32(value)
        np.testing.assert_array_equal(np.signbit(y.data), np.signbit(expected))
        np.testing.assert_array_equal(y.data, expected)
    y.sum().backward()
    assert x.grad.dtype == np.float32


def test_a_recorded_chain_has_no_cycles_and_few_tracked_objects_per_op():
    x = Tensor(np.ones(4, dtype=np.float32), requires_grad=True)
    gc.collect()
    before = len(gc.get_objects())
    y = x
    for _ in range(500):
        y = (y * 1.0001).tanh()
    gc.collect()  # lets the collector stop tracking tuples of plain numbers
    per_op = (len(gc.get_objects()) - before) / 1000
    assert per_op <= 3.0, per_op  # node, output Tensor, next_functions; mul: saved inputs
    y.sum().backward()
    del y
    assert gc.collect() == 0  # reference counting freed the whole graph: no cycles
