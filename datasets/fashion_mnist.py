"""Fashion-MNIST (Zalando article images), loaded like ``keras.datasets.fashion_mnist``.

Same format and shapes as MNIST, so it is a drop-in replacement; label ``i`` is
``CLASS_NAMES[i]``.

>>> from datasets import fashion_mnist
>>> (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()  # doctest: +SKIP
>>> fashion_mnist.CLASS_NAMES[9]
'Ankle boot'
"""

from __future__ import annotations

import os

from ._fetch import PinnedFile
from .mnist import IDXDataset, Split, load_idx_dataset

__all__ = ["CLASS_NAMES", "FASHION_MNIST", "load_data"]

CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

FASHION_MNIST = IDXDataset(
    name="fashion-mnist",
    train_images=PinnedFile(
        "train-images-idx3-ubyte.gz",
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        26421880,
    ),
    train_labels=PinnedFile(
        "train-labels-idx1-ubyte.gz",
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        29515,
    ),
    test_images=PinnedFile(
        "t10k-images-idx3-ubyte.gz",
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        4422102,
    ),
    test_labels=PinnedFile(
        "t10k-labels-idx1-ubyte.gz",
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        5148,
    ),
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    ),
)


def load_data(path: str | os.PathLike[str] | None = None) -> tuple[Split, Split]:
    """Load Fashion-MNIST as ``((x_train, y_train), (x_test, y_test))``, all uint8.

    Shapes are (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,), as in Keras. Files
    are looked for in ``path``, else ``$CHAINRULE_DATA/fashion-mnist/`` (or ``$CHAINRULE_DATA``
    itself when it is the ``fashion-mnist/`` folder), else the user cache, else downloaded (see
    ``datasets._fetch``). Errors as in :func:`datasets.mnist.load_data`.
    """
    return load_idx_dataset(FASHION_MNIST, path)
