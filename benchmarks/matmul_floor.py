"""The matrix-product floor of the seed's training step: the five products one step of the
784-512-10 network needs at batch 128, timed with numpy alone, in milliseconds per step.

    forward   x @ W1 (128x784 @ 784x512),  h @ W2 (128x512 @ 512x10)
    backward  dW2 = h.T @ g,  dh = g @ W2.T,  dW1 = x.T @ dh     (x needs no gradient)

No implementation on this machine's BLAS can train the network faster than this, so every
whole-fit time is also quoted as a multiple of it (``mnist_train.py`` prints the ratio).

    python benchmarks/matmul_floor.py [--steps 2345] [--rounds 5] [--threads N] [--cpu]
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import os
import statistics
import time

import numpy as np

BATCH, STEPS_PER_EPOCH = 128, 469  # ceil(60000 / 128)


def _openblas_call(stem: str, *args: int) -> int | None:
    """Call numpy's bundled OpenBLAS's ``openblas_<stem>`` (None when numpy has none)."""
    folder = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(folder, "*openblas*")):
        library = ctypes.CDLL(path)
        for name in (f"scipy_openblas_{stem}64_", f"openblas_{stem}"):
            function = getattr(library, name, None)
            if function is not None:
                return function(*args)
    return None


def blas_threads() -> int | None:
    """numpy's OpenBLAS thread count (None if not found: then BLAS uses its default)."""
    return _openblas_call("get_num_threads")


def set_threads(count: int) -> None:
    """Set numpy's OpenBLAS threads and, if it is installed, torch's intra-op threads."""
    _openblas_call("set_num_threads", count)
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(count)


def products(steps: int, seed: int = 0, clock=time.perf_counter) -> float:
    """Seconds (of ``clock``) for ``steps`` steps of the five products, outputs preallocated (no
    allocation inside the loop), on fresh random float32 data each call."""
    rng = np.random.default_rng(seed)
    x = rng.random((BATCH, 784), dtype=np.float32)
    w1 = rng.standard_normal((784, 512), dtype=np.float32)
    w2 = rng.standard_normal((512, 10), dtype=np.float32)
    g = rng.standard_normal((BATCH, 10), dtype=np.float32)
    h, logits = np.empty((BATCH, 512), np.float32), np.empty((BATCH, 10), np.float32)
    dw1, dw2, dh = np.empty_like(w1), np.empty_like(w2), np.empty_like(h)
    start = clock()
    for _ in range(steps):
        np.matmul(x, w1, out=h)
        np.matmul(h, w2, out=logits)
        np.matmul(h.T, g, out=dw2)
        np.matmul(g, w2.T, out=dh)
        np.matmul(x.T, dh, out=dw1)
    return clock() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5 * STEPS_PER_EPOCH)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, help="BLAS threads (default: numpy's)")
    parser.add_argument("--cpu", action="store_true", help="CPU time (steadier when busy)")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    if args.threads:
        set_threads(args.threads)
    products(50)  # warm-up: BLAS threads started, pages touched
    per_step = [products(args.steps, clock=clock) / args.steps * 1e3 for _ in range(args.rounds)]
    median = statistics.median(per_step)
    kind = "CPU" if args.cpu else "wall"
    print(f"five matrix products per step, batch {BATCH}, numpy, BLAS threads {blas_threads()}, "
          f"{args.rounds} rounds of {args.steps} steps, {kind} time:")  # fmt: skip
    print(
        f"  {median:.3f} ms/step (min {min(per_step):.3f}, max {max(per_step):.3f}); "
        f"5 epochs ({5 * STEPS_PER_EPOCH} steps): {median * 5 * STEPS_PER_EPOCH / 1e3:.2f} s"
    )


if __name__ == "__main__":
    main()
