"""The headline job on real MNIST: the seed's script reaches Keras's accuracy in 2,345 updates,
and the define-by-run example's loop learns.

Needs the four MNIST IDX files where ``mnist.load_data()`` finds them offline (CI points
``$CHAINRULE_DATA`` at the shared data folder); skipped otherwise. This is the only test that
runs the full 5-epoch training.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from autograd import manual_seed
from tests.mnist_local import mnist_local_folder

HAVE_MNIST = mnist_local_folder() is not None

pytestmark = pytest.mark.skipif(
    not HAVE_MNIST,
    reason="real MNIST not found offline: set CHAINRULE_DATA to a folder holding mnist/ (or to "
    "mnist/ itself) with train-images-idx3-ubyte.gz and the other three IDX files",
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_seed_script_reaches_keras_accuracy_in_2345_updates(capsys):
    # The seed's script, as in examples/mnist.py, seeded and with one line per epoch.
    from datasets import mnist
    from datasets.utils import to_categorical
    from nn import layers, models

    manual_seed(0)
    (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
    train_images = train_images.reshape((60000, 28 * 28))
    train_images = train_images.astype("float32") / 255
    test_images = test_images.reshape((10000, 28 * 28))
    test_images = test_images.astype("float32") / 255
    train_labels = to_categorical(train_labels)
    test_labels = to_categorical(test_labels)

    network = models.Sequential()
    network.add(layers.Dense(512, activation="relu", input_shape=(28 * 28,)))
    network.add(layers.Dense(10, activation="softmax"))
    network.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    history = network.fit(train_images, train_labels, epochs=5, batch_size=128, verbose=2)
    test_loss, test_acc = network.evaluate(test_images, test_labels, verbose=0)

    epoch_lines = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("Epoch")
    ]
    print(f"real MNIST test accuracy: {test_acc:.4f}, loss {test_loss:.4f}")  # shown by -rA
    assert test_acc >= 0.975
    assert network.optimizer.iterations == 5 * 469 == 2345
    assert set(history.history) == {"loss", "accuracy"}
    assert all(len(values) == 5 for values in history.history.values())
    assert history.history["accuracy"][-1] > history.history["accuracy"][0]
    assert len(epoch_lines) == 5


def test_define_by_run_example_learns_in_one_epoch(capsys):
    spec = importlib.util.spec_from_file_location(
        "mnist_define_by_run", EXAMPLES / "mnist_define_by_run.py"
    )
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)  # defines main(); trains only when called
    manual_seed(0)
    # One epoch typically reaches 0.955-0.965; a broken loop stays far below.
    accuracy = example.main(epochs=1)
    assert accuracy > 0.94
    # It reports the epoch's mean loss (not the last batch's) and the accuracy it returns.
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("epoch 1/1: mean loss ") and line.endswith(f"{accuracy:.4f}")
    assert 0.05 < float(line.split("mean loss ")[1].split(",")[0]) < 0.5
