"""numpy spellings that reached chainrule with arguments it did not expect: ``concatenate``'s
``axis=None`` (join flattened) was a TypeError about concat's axis, and einsum's sublist form
an AttributeError from inside; the first now works as numpy's, the second is a clear
TypeError naming einsum."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

SHAPES = [[(2, 3), (4,)], [(), (2, 2)], [(3,), (), (1, 2, 2)]]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
@pytest.mark.parametrize("spelling", ["numpy", "autograd"])
def test_concatenate_axis_none_joins_the_flattened_tensors(shapes, spelling):
    arrays = [
        np.arange(int(np.prod(s)), dtype=np.float64).reshape(s) + i for i, s in enumerate(shapes)
    ]
    tensors = [Tensor(a, requires_grad=True) for a in arrays]
    join = np.concatenate if spelling == "numpy" else ag.concatenate
    out = join(tensors, axis=None)
    np.testing.assert_array_equal(out.data, np.concatenate(arrays, axis=None))
    (out * Tensor(np.arange(out.size, dtype=np.float64))).sum().backward()
    offsets = np.cumsum([0] + [a.size for a in arrays])
    for t, start, a in zip(tensors, offsets, arrays):
        np.testing.assert_array_equal(
            t.grad.data, np.arange(start, start + a.size).reshape(a.shape)
        )


@pytest.mark.parametrize(
    "call",
    [
        lambda a: ag.einsum(a, [0, 1], [1]),
        lambda a: np.einsum(a, [0, 1], [1]),
        lambda a: ag.einsum(None, a),
        lambda a: ag.einsum(["ij->j"], a),
    ],
)
def test_einsum_without_a_subscripts_string_is_a_clear_type_error(call):
    with pytest.raises(TypeError, match=r"^einsum: the first argument must be a subscripts string"):
        call(Tensor(np.ones((2, 3)), requires_grad=True))
