"""Per-op overhead on tiny tensors: a chain of small ops, forward + backward, in microseconds
per op, for chainrule and (if installed) PyTorch, alternated in one process.

    python benchmarks/op_overhead.py [--ops 10000] [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def chain(leaf: Any, ops: int) -> float:
    """Microseconds per op for ``ops`` ops (mul by a scalar, tanh) from ``leaf``, forward and
    backward; the same code runs on chainrule's and torch's tensors."""
    start = time.perf_counter()
    y = leaf
    for _ in range(ops // 2):
        y = (y * 1.0001).tanh()
    y.sum().backward()
    return (time.perf_counter() - start) / ops * 1e6


def leaf_ours() -> Any:
    from autograd import Tensor

    return Tensor(np.ones(4, dtype=np.float32), requires_grad=True)


def leaf_torch() -> Any:
    import torch

    return torch.ones(4, requires_grad=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    try:
        import torch  # noqa: F401

        leaves = {"chainrule": leaf_ours, "torch": leaf_torch}
    except ImportError:
        leaves = {"chainrule": leaf_ours}
    for make_leaf in leaves.values():
        chain(make_leaf(), 1000)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in leaves}
    for _ in range(args.rounds):
        for name, make_leaf in leaves.items():
            times[name].append(chain(make_leaf(), args.ops))
    print(f"chain of {args.ops} ops (mul, tanh) on 4 floats, forward + backward, "
          f"{args.rounds} rounds, medians:")  # fmt: skip
    for name, values in times.items():
        print(f"  {name:10s} {statistics.median(values):6.2f} us/op")
    if "torch" in times:
        ratios = [a / b for a, b in zip(times["chainrule"], times["torch"])]
        print(f"  chainrule / torch: {statistics.median(ratios):.2f}x (paired)")


if __name__ == "__main__":
    main()
