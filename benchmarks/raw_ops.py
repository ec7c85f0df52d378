"""The seed's network written with raw ops, as a define-by-run user writes it first: one
training step (forward, backward, plain SGD) in milliseconds, chainrule against PyTorch (CPU),
the same code on both engines' tensors, alternated in one process.

    h = relu(x @ W1 + b1);  logits = h @ W2 + b2
    loss = -log_softmax(logits)[arange(n), y].mean()      # pick the targets by integer indexing
    loss.backward();  p.data -= lr * p.grad.data;  p.grad = None

torch runs with as many intra-op threads as numpy's BLAS has (printed), so both engines' matrix
products use the same cores; ``--threads 1`` sets both to one (steadier on a busy machine).

    python benchmarks/raw_ops.py [--steps 200] [--rounds 7] [--threads N] [--cpu]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from typing import Any

import numpy as np

# Wall time by default; --cpu: this process's CPU time, steadier on a shared, busy machine
# (with one thread; BLAS threads that spin while waiting would count too).
CLOCK = time.perf_counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from matmul_floor import BATCH, blas_threads, set_threads  # noqa: E402

BATCHES, LR = 16, 0.01


def step(x: Any, y: Any, rows: Any, params: list[Any]) -> None:
    """One training step; only tensor methods both engines share."""
    w1, b1, w2, b2 = params
    hidden = (x @ w1 + b1).relu()
    logits = hidden @ w2 + b2
    loss = -logits.log_softmax(1)[rows, y].mean()
    loss.backward()
    for p in params:
        p.data -= LR * p.grad.data
        p.grad = None


def setup(engine: str) -> tuple[list[tuple[Any, Any]], Any, list[Any]]:
    """Random MNIST-shaped batches, integer labels and Keras-initialised weights as ``engine``'s
    tensors (the same numbers for both engines)."""
    rng = np.random.default_rng(0)
    xs = [rng.random((BATCH, 784), dtype=np.float32) for _ in range(BATCHES)]
    ys = [rng.integers(0, 10, BATCH) for _ in range(BATCHES)]
    limit_1, limit_2 = np.sqrt(6 / (784 + 512)), np.sqrt(6 / (512 + 10))
    arrays = [rng.uniform(-limit_1, limit_1, (784, 512)).astype(np.float32),
              np.zeros(512, np.float32),
              rng.uniform(-limit_2, limit_2, (512, 10)).astype(np.float32),
              np.zeros(10, np.float32)]  # fmt: skip
    if engine == "torch":
        import torch

        tensor = torch.from_numpy
        params = [torch.from_numpy(a).requires_grad_() for a in arrays]
        rows = torch.arange(BATCH)
    else:
        from autograd import Tensor

        tensor = np.asarray
        params = [Tensor(a, requires_grad=True) for a in arrays]
        rows = np.arange(BATCH)
        xs = [Tensor(x) for x in xs]
    batches = [(x if engine != "torch" else tensor(x), tensor(y)) for x, y in zip(xs, ys)]
    return batches, rows, params


def run(engine_state: tuple, steps: int) -> float:
    """Milliseconds per step over ``steps`` steps."""
    batches, rows, params = engine_state
    start = CLOCK()
    for index in range(steps):
        x, y = batches[index % BATCHES]
        step(x, y, rows, params)
    return (CLOCK() - start) / steps * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, help="BLAS and torch threads (default: numpy's)")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if args.threads:
        set_threads(args.threads)
    engines = {"chainrule": setup("chainrule")}
    threads = blas_threads()
    try:
        import torch

        if threads:
            torch.set_num_threads(threads)
        engines["torch"] = setup("torch")
    except ImportError:
        print("torch is not installed: timing chainrule only")
    for state in engines.values():
        run(state, 20)  # warm-up
    times: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(args.rounds):
        for name, state in engines.items():
            times[name].append(run(state, args.steps))
    print(f"seed net in raw ops, batch {BATCH}, fwd + bwd + SGD, numpy BLAS threads {threads}"
          f"{', torch threads ' + str(torch.get_num_threads()) if 'torch' in engines else ''}, "
          f"{args.rounds} rounds of {args.steps} steps, {'CPU' if args.cpu else 'wall'} time "
          "(medians, min-max):")  # fmt: skip
    for name, values in times.items():
        print(f"  {name:10s} {statistics.median(values):6.2f} ms/step "
              f"({min(values):.2f}-{max(values):.2f})")  # fmt: skip
    if "torch" in times:
        ratios = [a / b for a, b in zip(times["chainrule"], times["torch"])]
        print(f"  chainrule / torch: {statistics.median(ratios):.2f}x paired "
              f"({min(ratios):.2f}-{max(ratios):.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
