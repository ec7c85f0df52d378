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
        for x, y in batches(train_images, train_labels, 128, shuffle=True, seed=epoch):
            loss = nn.functional.cross_entropy(model(Tensor(x)), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"epoch {epoch + 1}/{epochs}: last batch loss {loss.item():.4f}")

    with no_grad():
        predictions = model(Tensor(test_images)).data.argmax(axis=1)
    accuracy = float(np.mean(predictions == test_labels))
    print(f"test accuracy: {accuracy:.4f}")
    return accuracy


if __name__ == "__main__":
    main()
