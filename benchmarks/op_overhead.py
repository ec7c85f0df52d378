"""Per-op overhead on tiny tensors: a chain of small ops, forward + backward, in microseconds
per op, for chainrule and (if installed) PyTorch, alternated in one process.

With ``--processes`` each engine runs in a process of its own (alternated, one process per
round). The difference matters: Python's full garbage collections, which a long recorded chain
triggers, scan every object in the process, and importing torch adds ~140,000 of them, so in
one shared process chainrule's recording also pays for scanning torch's objects.

    python benchmarks/op_overhead.py [--ops 10000] [--rounds 7] [--processes] [--cpu]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import time
from typing import Any

import numpy as np

# Wall time by default; --cpu: this process's CPU time, steadier on a shared, busy machine
# (with one thread; BLAS threads that spin while waiting would count too).
CLOCK = time.perf_counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def chain(leaf: Any, ops: int) -> float:
    """Microseconds per op for ``ops`` ops (mul by a scalar, tanh) from ``leaf``, forward and
    backward; the same code runs on chainrule's and torch's tensors."""
    start = CLOCK()
    y = leaf
    for _ in range(ops // 2):
        y = (y * 1.0001).tanh()
    y.sum().backward()
    return (CLOCK() - start) / ops * 1e6


def leaf_ours() -> Any:
    from autograd import Tensor

    return Tensor(np.ones(4, dtype=np.float32), requires_grad=True)


def leaf_torch() -> Any:
    import torch

    return torch.ones(4, requires_grad=True)


def in_processes(names: list[str], ops: int, rounds: int) -> dict[str, list[float]]:
    """Each round, one fresh process per engine (its warm-up, then one timed chain)."""
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        for name in names:
            command = [sys.executable, __file__, "--worker", name, "--ops", str(ops)]
            command += ["--cpu"] if CLOCK is time.process_time else []
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            times[name].append(float(output.split()[-1]))
    return times


def in_one_process(names: list[str], ops: int, rounds: int) -> dict[str, list[float]]:
    leaves = {"chainrule": leaf_ours, "torch": leaf_torch}
    for name in names:
        chain(leaves[name](), 1000)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(rounds):
        for name in names:
            times[name].append(chain(leaves[name](), ops))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--processes", action="store_true", help="one process per engine")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    parser.add_argument("--worker", choices=["chainrule", "torch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if args.worker:
        make_leaf = leaf_ours if args.worker == "chainrule" else leaf_torch
        chain(make_leaf(), 1000)
        print(chain(make_leaf(), args.ops))
        return
    names = ["chainrule"] + (["torch"] if importlib.util.find_spec("torch") else [])
    run = in_processes if args.processes else in_one_process
    times = run(names, args.ops, args.rounds)
    where = "a process per engine" if args.processes else "one process"
    where += ", CPU time" if args.cpu else ""
    print(f"chain of {args.ops} ops (mul, tanh) on 4 floats, forward + backward, {where}, "
          f"{args.rounds} rounds, medians:")  # fmt: skip
    for name, values in times.items():
        print(f"  {name:10s} {statistics.median(values):6.2f} us/op")
    if "torch" in times:
        ratios = [a / b for a, b in zip(times["chainrule"], times["torch"])]
        print(f"  chainrule / torch: {statistics.median(ratios):.2f}x paired "
              f"({min(ratios):.2f}-{max(ratios):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
