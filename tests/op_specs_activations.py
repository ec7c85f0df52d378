"""Specs (see ``tests/op_specs.py``) of the ops in ``autograd/ops/activations_extra.py``, each run
through the public function that uses it: ``nn.functional.gelu`` (normal_cdf),
``softplus`` and ``binary_cross_entropy`` (reduction='none', so the op's elements are compared).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from nn import functional as F
from tests.op_specs import SHAPES, Case, _rng, normal


@st.composite
def _gelu(draw: Any) -> Case:
    a = 3 * normal(_rng(draw), draw(SHAPES))
    return Case((a,), F.gelu, lambda torch, x: torch.nn.functional.gelu(x), "gelu (exact)")


@st.composite
def _softplus(draw: Any) -> Case:
    rng = _rng(draw)
    beta = draw(st.sampled_from([1.0, 2.0, 0.5]))
    threshold = draw(st.sampled_from([20.0, 1.0]))
    a = np.array(3 * normal(rng, draw(SHAPES)))
    # PyTorch's softplus jumps where beta x crosses the threshold: keep finite differences off it.
    near = np.abs(beta * a - threshold) < 0.1
    a[near] += 0.3 / beta
    return Case(
        (a,),
        lambda x: F.softplus(x, beta=beta, threshold=threshold),
        lambda torch, x: torch.nn.functional.softplus(x, beta=beta, threshold=threshold),
        f"softplus(beta={beta}, threshold={threshold})",
    )


@st.composite
def _binary_cross_entropy(draw: Any) -> Case:
    rng = _rng(draw)
    shape = draw(SHAPES)
    p, t = rng.uniform(0.05, 0.95, shape), rng.uniform(0.0, 1.0, shape)
    return Case(
        (p, t),
        lambda x, y: F.binary_cross_entropy(x, y, reduction="none"),
        lambda torch, x, y: torch.nn.functional.binary_cross_entropy(x, y, reduction="none"),
        "binary_cross_entropy(reduction='none'), gradient to both",
    )


ACTIVATION_SPECS: dict[str, st.SearchStrategy[Case]] = {
    "normal_cdf": _gelu(),
    "softplus": _softplus(),
    "binary_cross_entropy": _binary_cross_entropy(),
}
