"""Is MNIST on this machine? Answered by the loader's own lookup (``datasets._fetch``), so the
tests that need real MNIST run exactly when ``mnist.load_data()`` would find it without a
download: ``$CHAINRULE_DATA`` in either spelling (a folder holding ``mnist/``, or ``mnist/``
itself), then the user cache."""

from __future__ import annotations

import warnings
from pathlib import Path

from datasets._fetch import cache_dir, data_env_folder
from datasets.mnist import MNIST


def mnist_local_folder() -> Path | None:
    """The folder ``mnist.load_data()`` would read all four files from, or None (a download)."""
    with warnings.catch_warnings():  # a bad $CHAINRULE_DATA warns in the loader, not here
        warnings.simplefilter("ignore")
        env = data_env_folder(MNIST.name)
    for folder in (env.folder, cache_dir(MNIST.name)):
        if folder is not None and all((folder / f.name).is_file() for f in MNIST.files):
            return folder
    return None
