"""Choosing the fused (numba) update: the optional ``fast`` extra.

``pip install -e ".[fast]"`` installs numba; then RMSprop, Adam and SGD with momentum update
each weight array in one compiled pass instead of numpy's eight or nine. The numpy update
stays the default's fallback and the reference: both give the same weights (the kernels do the
same operations in the same order and dtype).

Every optimizer takes ``fused`` (PyTorch's name for the same choice):

* ``None`` (default): fused only if the environment says ``CHAINRULE_FUSED=1``, else numpy.
  Not automatic, because numba costs memory: importing it and loading the compiled kernels
  adds ~120 MiB to the process (LLVM), which would take the seed's fit past its 300 MiB
  budget, and a first run on a fresh machine also pays ~1 s per kernel to compile (cached after).
* ``True``: fused; ``ImportError`` naming the extra if numba is missing.
* ``False``: numpy, whatever the environment says.

Without numba nothing of it is imported, and with ``fused`` off numba is never imported.

Arrays the kernels do not cover (float16, non-contiguous, a gradient of another dtype) and
settings they do not cover (centered RMSprop, SGD weight decay) take the numpy path.

>>> from optim.fused import resolve
>>> resolve(False, "RMSprop")
False
"""

from __future__ import annotations

import importlib.util
import os
from types import ModuleType

import numpy as np

_FUSABLE = (np.dtype(np.float32), np.dtype(np.float64))
_kernels: ModuleType | None = None


def resolve(fused: bool | None, owner: str) -> bool:
    """Whether an optimizer made with ``fused`` uses the compiled kernels.

    Raises ``ImportError`` for fused without numba, ``TypeError`` for a non-bool ``fused``,
    ``ValueError`` for a ``CHAINRULE_FUSED`` other than 0 or 1.
    """
    if fused is None:
        setting = os.environ.get("CHAINRULE_FUSED", "").strip()
        if setting not in ("", "0", "1"):
            raise ValueError(f"{owner}: CHAINRULE_FUSED must be 0 or 1, got {setting!r}")
        fused = setting == "1"
    if not isinstance(fused, bool):
        raise TypeError(f"{owner}: fused must be True, False or None, got {fused!r}")
    if fused and importlib.util.find_spec("numba") is None:
        raise ImportError(
            f'{owner}: fused=True needs numba; install the extra: pip install "chainrule[fast]"'
        )
    return fused


def kernels() -> ModuleType:
    """The compiled kernels' module (numba is imported here, on the first fused step)."""
    global _kernels
    if _kernels is None:
        from . import _numba_kernels

        _kernels = _numba_kernels
    return _kernels


def fusable(param: np.ndarray, grad: np.ndarray, *buffers: np.ndarray) -> bool:
    """Whether the kernels can update these arrays: one float32/float64 dtype, contiguous."""
    return (
        param.dtype in _FUSABLE
        and grad.dtype == param.dtype
        and param.flags.c_contiguous
        and grad.flags.c_contiguous
        and all(b.flags.c_contiguous for b in buffers)
    )


def flat(array: np.ndarray) -> np.ndarray:
    """A 1-d view of a contiguous array (never a copy: the kernels write through it)."""
    return array.reshape(-1)
