"""Specs (see ``tests/op_specs.py``) of the ops in ``autograd/ops/activations_extra.py``, each run
through the public function that uses it: ``nn.functional.gelu`` (normal_cdf),
``softplus`` and ``binary_cross_entropy`` (reduction='none', so the op's elements are compared).

``op_specs.py`` calls :func:`activation_specs` with its own ``Case``, random-generator and shape
helpers (passed in, so neither module imports the other at import time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st

from nn import functional as F


def activation_specs(
    case: type, rng_of: Callable[[Any], np.random.Generator], shapes: st.SearchStrategy
) -> dict[str, st.SearchStrategy]:
    """name -> strategy drawing a ``case`` for each op of activations_extra.py."""

    @st.composite
    def gelu(draw: Any) -> Any:
        a = 3 * rng_of(draw).standard_normal(draw(shapes))
        return case((a,), F.gelu, lambda torch, x: torch.nn.functional.gelu(x), "gelu (exact)")

    @st.composite
    def softplus(draw: Any) -> Any:
        rng = rng_of(draw)
        beta = draw(st.sampled_from([1.0, 2.0, 0.5]))
        threshold = draw(st.sampled_from([20.0, 1.0]))
        a = np.array(3 * rng.standard_normal(draw(shapes)))
        # PyTorch's softplus jumps where beta x crosses the threshold: keep finite differences
        # off that point.
        near = np.abs(beta * a - threshold) < 0.1
        a[near] += 0.3 / beta
        return case(
            (a,),
            lambda x: F.softplus(x, beta=beta, threshold=threshold),
            lambda torch, x: torch.nn.functional.softplus(x, beta=beta, threshold=threshold),
            f"softplus(beta={beta}, threshold={threshold})",
        )

    @st.composite
    def binary_cross_entropy(draw: Any) -> Any:
        rng = rng_of(draw)
        shape = draw(shapes)
        p, t = rng.uniform(0.05, 0.95, shape), rng.uniform(0.0, 1.0, shape)
        return case(
            (p, t),
            lambda x, y: F.binary_cross_entropy(x, y, reduction="none"),
            lambda torch, x, y: torch.nn.functional.binary_cross_entropy(x, y, reduction="none"),
            "binary_cross_entropy(reduction='none'), gradient to both",
        )

    return {
        "normal_cdf": gelu(),
        "softplus": softplus(),
        "binary_cross_entropy": binary_cross_entropy(),
    }
