"""How recording and backward report failures: errors that name the op, its operands and the
user's line that made the node (anomaly mode).

>>> _rewrapped(ValueError("bad"), "mul: cannot apply").args
('mul: cannot apply',)
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np


def is_within(filename: str, folder: str, path: Any = os.path) -> bool:
    """True when ``filename`` lies inside ``folder``, by the platform's path rules (``path`` is
    ``os.path``; tests pass ``ntpath`` or ``posixpath``)."""
    filename, folder = path.normcase(path.abspath(filename)), path.normcase(path.abspath(folder))
    return filename.startswith(path.join(folder, ""))


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _describe_failure(op: str, inputs: tuple[Any, ...], error: Exception) -> str:
    operands = " and ".join(f"{t.shape} {t.dtype}" for t in inputs)
    return f"{op}: cannot apply to operands {operands}: {error}"


def _rewrapped(error: Exception, message: str) -> Exception:
    """An error of the same kind carrying ``message``. numpy's ufunc errors cannot be built from
    a message alone; those become their built-in base class (e.g. TypeError)."""
    try:
        return type(error)(message)
    except TypeError:
        kind = next(k for k in (ValueError, TypeError, IndexError) if isinstance(error, k))
        return kind(message)


def _check_finite(array: np.ndarray, op: str, phase: str, site: str | None) -> None:
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    kinds = []
    if np.isnan(array).any():
        kinds.append("nan")
    if np.isposinf(array).any():
        kinds.append("inf")
    if np.isneginf(array).any():
        kinds.append("-inf")
    where = f" (node created at {site})" if site else ""
    raise FloatingPointError(
        f"{op} produced {'/'.join(kinds)} in {phase}, shape {array.shape}{where}"
    )


def _user_site() -> str | None:
    """file:line of the first caller outside the autograd package."""
    frame = sys._getframe(1)
    while frame is not None and is_within(frame.f_code.co_filename, _PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"
