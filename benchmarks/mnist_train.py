"""Time the seed's 5-epoch MNIST training: chainrule's Keras face (with the numpy optimizer
update, and with the fused one of ``optim.fused`` if numba is installed), its define-by-run
loop, a hand-written numpy loop, PyTorch (CPU), and the matrix-product floor
(``matmul_floor.py``), on the same machine in the same run.

Each run is its own process (so peak RSS is its own); runs alternate A B C, A B C, ... after
one warm-up round, and the script prints medians, the median of the paired ratios to torch,
and each run's ratio to the floor measured in the same round.

    python benchmarks/mnist_train.py                 # real MNIST (CHAINRULE_DATA or cache)
    python benchmarks/mnist_train.py --random        # random data of MNIST's shapes
    python benchmarks/mnist_train.py --rounds 5 --epochs 5 --threads 1 --cpu
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BATCH, EPOCHS = 128, 5
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from matmul_floor import STEPS_PER_EPOCH, blas_threads, products, set_threads  # noqa: E402

# Wall time by default; --cpu: each run's CPU time, steadier on a shared, busy machine.
CLOCK = time.perf_counter


def load(random: bool) -> tuple[np.ndarray, ...]:
    """Seed preprocessing (uint8 -> float32 / 255, one-hot labels), done in place to keep
    peak memory to the data itself."""
    if random:
        rng = np.random.default_rng(0)
        x_train = rng.integers(0, 256, (60000, 28, 28), dtype=np.uint8)
        y_train = rng.integers(0, 10, 60000).astype(np.uint8)
        x_test = rng.integers(0, 256, (10000, 28, 28), dtype=np.uint8)
        y_test = rng.integers(0, 10, 10000).astype(np.uint8)
    else:
        sys.path.insert(0, ROOT)
        from datasets import mnist

        (x_train, y_train), (x_test, y_test) = mnist.load_data()
    images = [x_train, x_test]
    del x_train, x_test  # each uint8 array is freed as soon as its floats exist
    arrays = []
    while images:
        floats = images[0].reshape(len(images[0]), 28 * 28).astype(np.float32)
        del images[0]
        floats /= 255
        arrays.append(floats)
    one_hot = [np.eye(10, dtype=np.float32)[labels] for labels in (y_train, y_test)]
    return arrays[0], one_hot[0], arrays[1], one_hot[1]


def run_keras(x, y, xt, yt, epochs):
    sys.path.insert(0, ROOT)
    from nn import layers, models

    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    start = CLOCK()
    network.fit(x, y, epochs=epochs, batch_size=BATCH, verbose=0)
    seconds = CLOCK() - start
    _, accuracy = network.evaluate(xt, yt, verbose=0)
    return seconds, accuracy


def run_define_by_run(x, y, xt, yt, epochs):
    sys.path.insert(0, ROOT)
    import nn
    import optim
    from autograd import Tensor, generator, no_grad

    model = nn.Sequential(nn.Dense(512, activation="relu", input_dim=784), nn.Dense(10))
    opt = optim.RMSprop(model.parameters(), lr=1e-3)
    labels = y.argmax(axis=1)
    start = CLOCK()
    for _ in range(epochs):
        order = generator().permutation(len(x))
        for begin in range(0, len(x), BATCH):
            index = order[begin : begin + BATCH]
            loss = nn.functional.cross_entropy(model(Tensor(x[index])), labels[index])
            opt.zero_grad()
            loss.backward()
            opt.step()
    seconds = CLOCK() - start
    with no_grad():  # in batches, as evaluate does: one 10,000-row batch raised the peak RSS
        rows = range(0, len(xt), 1000)
        predicted = np.concatenate([model(Tensor(xt[i : i + 1000])).data.argmax(1) for i in rows])
    accuracy = float((predicted == yt.argmax(1)).mean())
    return seconds, accuracy


def run_numpy_by_hand(x, y, xt, yt, epochs):
    """The floor for a numpy engine: the same training written out with no autograd."""
    rng = np.random.default_rng(0)
    limit_1, limit_2 = np.sqrt(6 / (784 + 512)), np.sqrt(6 / (512 + 10))
    w1 = rng.uniform(-limit_1, limit_1, (784, 512)).astype(np.float32)
    w2 = rng.uniform(-limit_2, limit_2, (512, 10)).astype(np.float32)
    params = [w1, np.zeros(512, np.float32), w2, np.zeros(10, np.float32)]
    velocity = [np.zeros_like(p) for p in params]
    scratch = [np.empty_like(p) for p in params]
    x_batch = np.empty((BATCH, 784), np.float32)
    y_batch = np.empty((BATCH, 10), np.float32)
    start = CLOCK()
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for begin in range(0, len(x), BATCH):
            index = order[begin : begin + BATCH]
            xb = np.take(x, index, axis=0, out=x_batch[: len(index)], mode="clip")
            yb = np.take(y, index, axis=0, out=y_batch[: len(index)], mode="clip")
            hidden = xb @ params[0]
            hidden += params[1]
            np.maximum(hidden, 0, out=hidden)
            logits = hidden @ params[2]
            logits += params[3]
            logits -= logits.max(axis=1, keepdims=True)
            np.exp(logits, out=logits)
            logits /= logits.sum(axis=1, keepdims=True)
            grad = logits - yb
            grad /= len(index)
            grad_hidden = grad @ params[2].T
            grad_hidden *= hidden > 0
            grads = [xb.T @ grad_hidden, grad_hidden.sum(0), hidden.T @ grad, grad.sum(0)]
            for p, g, v, s in zip(params, grads, velocity, scratch):
                v *= 0.9
                np.multiply(g, g, out=s)
                s *= 0.1
                v += s
                np.add(v, 1e-7, out=s)
                np.sqrt(s, out=s)
                np.divide(g, s, out=s)
                s *= 1e-3
                p -= s
    seconds = CLOCK() - start
    hidden = np.maximum(xt @ params[0] + params[1], 0)
    predicted = (hidden @ params[2] + params[3]).argmax(1)
    return seconds, float((predicted == yt.argmax(1)).mean())


def run_torch(x, y, xt, yt, epochs):
    import torch

    set_threads(blas_threads() or torch.get_num_threads())  # as many threads as numpy's BLAS
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)
    )
    with torch.no_grad():  # Keras init: glorot_uniform kernels, zero biases
        for layer in (model[0], model[2]):
            torch.nn.init.xavier_uniform_(layer.weight)
            layer.bias.zero_()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    xs, labels = torch.from_numpy(x), torch.from_numpy(y.argmax(axis=1))
    loss_fn = torch.nn.CrossEntropyLoss()
    start = CLOCK()
    for _ in range(epochs):
        order = torch.randperm(len(xs))
        for begin in range(0, len(xs), BATCH):
            index = order[begin : begin + BATCH]
            loss = loss_fn(model(xs[index]), labels[index])
            opt.zero_grad()
            loss.backward()
            opt.step()
    seconds = CLOCK() - start
    with torch.no_grad():
        predicted = model(torch.from_numpy(xt)).argmax(1).numpy()
    return seconds, float((predicted == yt.argmax(1)).mean())


def run_matmul_floor(x, y, xt, yt, epochs):
    """The five matrix products of every step of the fit, nothing else (accuracy: none)."""
    return products(epochs * STEPS_PER_EPOCH, clock=CLOCK), float("nan")


RUNNERS = {
    "keras": run_keras,
    "keras_fused": run_keras,  # spawned with CHAINRULE_FUSED=1 (needs numba)
    "define_by_run": run_define_by_run,
    "numpy_by_hand": run_numpy_by_hand,
    "torch": run_torch,
    "matmul_floor": run_matmul_floor,
}
CHAINRULE = {"keras", "keras_fused", "define_by_run"}


def worker(name: str, random: bool, epochs: int) -> None:
    data = load(random) if name != "matmul_floor" else (None,) * 4
    seconds, accuracy = RUNNERS[name](*data, epochs)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fused = None
    if name in CHAINRULE:
        sys.path.insert(0, ROOT)
        from optim.fused import resolve

        fused = resolve(None, name)
    print(json.dumps({"seconds": seconds, "accuracy": accuracy, "peak_rss_mib": peak_mib,
                      "fused": fused}))  # fmt: skip


def spawn(name: str, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--worker", name, "--epochs", str(args.epochs)]
    command += ["--random"] * args.random + ["--cpu"] * args.cpu
    env = dict(os.environ)
    env["CHAINRULE_FUSED"] = "1" if name == "keras_fused" else "0"
    if args.threads:
        env["OPENBLAS_NUM_THREADS"] = str(args.threads)
    output = subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", choices=sorted(RUNNERS))
    parser.add_argument("--random", action="store_true", help="random data of MNIST's shapes")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None, help="subset of runners")
    parser.add_argument("--threads", type=int, help="BLAS (and torch) threads in every run")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if args.worker:
        worker(args.worker, args.random, args.epochs)
        return
    names = args.only or list(RUNNERS)
    # find_spec, not import: a child's peak RSS counts the parent's memory at fork (Linux keeps
    # the high-water mark across exec), and importing torch here put ~230 MiB into every run's.
    if importlib.util.find_spec("torch") is None:
        names = [n for n in names if n != "torch"]
    if importlib.util.find_spec("numba") is None:
        names = [n for n in names if n != "keras_fused"]
        print("torch is not installed: timing chainrule only (pip install torch==2.13.0)")
    print(f"warm-up: {', '.join(names)}", flush=True)
    for name in names:
        spawn(name, args)
    results: dict[str, list[dict]] = {name: [] for name in names}
    for round_number in range(args.rounds):
        for name in names:
            result = spawn(name, args)
            results[name].append(result)
            print(f"round {round_number + 1} {name:14s} {result['seconds']:6.2f} s  "
                  f"peak {result['peak_rss_mib']:5.0f} MiB  acc {result['accuracy']:.4f}"
                  f"{'  fused' if result['fused'] else ''}", flush=True)  # fmt: skip
        if "matmul_floor" in results:
            floor = results["matmul_floor"][-1]["seconds"]
            fits = [name for name in names if name != "matmul_floor"]
            ratios = [f"{name} {results[name][-1]['seconds'] / floor:.2f}x" for name in fits]
            print("  / floor: " + ", ".join(ratios))
    summarise(results, args)


def paired(runs: list[dict], other: list[dict]) -> str:
    ratios = [r["seconds"] / o["seconds"] for r, o in zip(runs, other)]
    return f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"


def summarise(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    print(f"\n{args.epochs} epochs, batch {BATCH}, {'random' if args.random else 'MNIST'} data, "
          f"{args.rounds} rounds, BLAS threads {args.threads or blas_threads()}, "
          f"{'CPU' if args.cpu else 'wall'} time (medians; "
          "paired ratios: median (min-max)):")  # fmt: skip
    for name, runs in results.items():
        line = (
            f"  {name:14s} {statistics.median(r['seconds'] for r in runs):6.2f} s  "
            f"peak RSS {statistics.median(r['peak_rss_mib'] for r in runs):5.0f} MiB"
        )
        if name != "matmul_floor":
            line += f"  test acc {statistics.median(r['accuracy'] for r in runs):.4f}"
        if "torch" in results and name not in ("torch", "matmul_floor"):
            line += f"  / torch {paired(runs, results['torch'])}"
        if "matmul_floor" in results and name != "matmul_floor":
            line += f"  / floor {paired(runs, results['matmul_floor'])}"
        print(line)


if __name__ == "__main__":
    main()
