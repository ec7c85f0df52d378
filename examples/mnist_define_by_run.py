"""The seed's MNIST network in the define-by-run (PyTorch) style: the loop is yours.

Run: ``python examples/mnist_define_by_run.py`` (downloads MNIST on first use, or set
CHAINRULE_DATA to a folder holding ``mnist/``).
"""

import numpy as np

import nn
import optim
from autograd import Tensor, manual_seed, no_grad
from datasets import mnist
from nn.data import batches


def main(epochs: int = 5) -> float:
    """Train for ``epochs`` passes over the training set; return the test accuracy."""
    (train_images, train_labels), (test_images, test_labels) = mnist.load_data()
    train_images = train_images.reshape((60000, 28 * 28)).astype("float32") / 255
    test_images = test_images.reshape((10000, 28 * 28)).astype("float32") / 255

    manual_seed(0)  # the same weights every run
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    opt = optim.RMSprop(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        # The epoch's mean loss: one batch's loss swings (it looks like divergence), the mean not.
        total, count = 0.0, 0
        for x, y in batches(train_images, train_labels, 128, shuffle=True, seed=epoch):
            loss = nn.functional.cross_entropy(model(Tensor(x)), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total, count = total + loss.item() * len(y), count + len(y)
        accuracy = evaluate_accuracy(model, test_images, test_labels)
        mean_loss = total / count
        print(
            f"epoch {epoch + 1}/{epochs}: mean loss {mean_loss:.4f}, test accuracy {accuracy:.4f}"
        )
    return accuracy


def evaluate_accuracy(model: nn.Module, images: np.ndarray, labels: np.ndarray) -> float:
    with no_grad():
        predictions = model(Tensor(images)).data.argmax(axis=1)
    return float(np.mean(predictions == labels))  # the share of digits classified right


if __name__ == "__main__":
    main()
