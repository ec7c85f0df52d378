"""Datasets for chainrule: MNIST and Fashion-MNIST loaders, the IDX format, and data utils.

Depends only on numpy and the standard library (tqdm, if installed, shows download progress).

>>> from datasets import mnist
>>> from datasets.utils import to_categorical
>>> to_categorical([1, 0]).shape
(2, 2)
"""

from . import fashion_mnist, idx, mnist, utils
from ._fetch import ChecksumError, DownloadError
from .idx import IDXError

__all__ = [
    "ChecksumError",
    "DownloadError",
    "IDXError",
    "fashion_mnist",
    "idx",
    "mnist",
    "utils",
]
