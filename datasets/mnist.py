"""MNIST handwritten digits, loaded like ``keras.datasets.mnist``.

>>> from datasets import mnist
>>> (x_train, y_train), (x_test, y_test) = mnist.load_data()  # doctest: +SKIP
>>> x_train.shape, y_train[:3]  # doctest: +SKIP
((60000, 28, 28), array([5, 0, 4], dtype=uint8))

Where the files come from (a folder argument, ``$CHAINRULE_DATA`` naming a folder that holds
``mnist/`` or the ``mnist/`` folder itself, the user cache, or a download) and how they are
verified is described in ``datasets._fetch``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._fetch import EnvFolder, PinnedFile, data_env_folder, locate
from .idx import read_idx

__all__ = ["MNIST", "IDXDataset", "load_data", "load_idx_dataset"]

Split = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class IDXDataset:
    """An image classification dataset shipped as four gzip IDX files, like MNIST.

    ``name`` is its folder under ``$CHAINRULE_DATA`` and the user cache; ``mirrors`` are URL
    prefixes tried in order.
    """

    name: str
    train_images: PinnedFile
    train_labels: PinnedFile
    test_images: PinnedFile
    test_labels: PinnedFile
    mirrors: tuple[str, ...]
    image_shape: tuple[int, ...] = (28, 28)

    @property
    def files(self) -> tuple[PinnedFile, ...]:
        return (self.train_images, self.train_labels, self.test_images, self.test_labels)


MNIST = IDXDataset(
    name="mnist",
    train_images=PinnedFile(
        "train-images-idx3-ubyte.gz",
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        9912422,
    ),
    train_labels=PinnedFile(
        "train-labels-idx1-ubyte.gz",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        28881,
    ),
    test_images=PinnedFile(
        "t10k-images-idx3-ubyte.gz",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        1648877,
    ),
    test_labels=PinnedFile(
        "t10k-labels-idx1-ubyte.gz",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        4542,
    ),
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
)


def load_data(path: str | os.PathLike[str] | None = None) -> tuple[Split, Split]:
    """Load MNIST as ``((x_train, y_train), (x_test, y_test))``, all uint8.

    Shapes are (60000, 28, 28), (60000,), (10000, 28, 28) and (10000,), as in Keras.

    Files are looked for in ``path``, else ``$CHAINRULE_DATA/mnist/`` (or ``$CHAINRULE_DATA``
    itself when it is the ``mnist/`` folder), else the user cache, else downloaded into the
    cache; each must match its pinned sha256 and is parsed afresh on every load (about 0.2 s:
    nothing derived is cached, so nothing unverified is returned).

    Args:
        path: a folder holding the four IDX gz files under their usual names. When given,
            nothing else is looked at, and a missing file is an error.

    Raises:
        FileNotFoundError: ``path`` is not a folder or lacks a file (all missing ones named).
        ChecksumError: a file outside the user cache does not match its pinned sha256.
        DownloadError: a file is nowhere and no mirror delivers it; the message lists every
            place searched and what each expects.
        IDXError: a verified file that still does not parse as expected (a wrong pin).
    """
    return load_idx_dataset(MNIST, path)


def load_idx_dataset(
    spec: IDXDataset, path: str | os.PathLike[str] | None = None
) -> tuple[Split, Split]:
    """Load the four files of ``spec``: find or download, verify, parse."""
    env = None
    if path is not None:
        _check_folder(spec, Path(path))
    else:
        env = data_env_folder(spec.name)  # once, so a bad setting warns once, not per file
    x_train = _load_array(spec, spec.train_images, path, env, (None, *spec.image_shape))
    y_train = _load_array(spec, spec.train_labels, path, env, (len(x_train),))
    x_test = _load_array(spec, spec.test_images, path, env, (None, *spec.image_shape))
    y_test = _load_array(spec, spec.test_labels, path, env, (len(x_test),))
    return (x_train, y_train), (x_test, y_test)


def _check_folder(spec: IDXDataset, folder: Path) -> None:
    # Report every missing file at once, before spending time on the ones that are there.
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (expected the {spec.name} files)")
    missing = [f.name for f in spec.files if not (folder / f.name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: missing {', '.join(missing)}")


def _load_array(
    spec: IDXDataset,
    pinned: PinnedFile,
    folder: str | os.PathLike[str] | None,
    env: EnvFolder | None,
    shape: tuple[int | None, ...],
) -> np.ndarray:
    gz_path = locate(pinned, spec.name, spec.mirrors, folder, env=env)
    return read_idx(gz_path, shape=shape, dtype=np.uint8)
