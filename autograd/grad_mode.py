"""Grad mode and anomaly mode: thread-local switches that decide what the engine records.

>>> from autograd import Tensor, no_grad
>>> w = Tensor([1.0, 2.0], requires_grad=True)
>>> with no_grad():
...     y = w * 2
>>> y.requires_grad
False
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _Switches(threading.local):
    # threading.local re-runs these class-level defaults in every new thread.
    grad_enabled = True
    anomaly_enabled = False
    scope: str | None = None  # name of the layer whose forward is running (for pictures)


switches = _Switches()


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph."""
    return switches.grad_enabled


class _GradModeContext:
    """Base of no_grad/enable_grad: a context manager that is also a decorator."""

    enabled: bool

    def __enter__(self) -> None:
        self._previous = switches.grad_enabled
        switches.grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        switches.grad_enabled = self._previous

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeContext):  # noqa: N801 - PyTorch's spelling
    """Record nothing inside this block (or decorated function); cheaper and no graph kept."""

    enabled = False


class enable_grad(_GradModeContext):  # noqa: N801 - PyTorch's spelling
    """Record operations again, e.g. inside a ``no_grad`` block."""

    enabled = True


class set_grad_enabled(_GradModeContext):  # noqa: N801 - PyTorch's spelling
    """``with set_grad_enabled(False): ...`` switches recording by a flag."""

    def __init__(self, mode: bool = True) -> None:
        self.enabled = bool(mode)

    def __call__(self, function: F) -> F:
        mode = self.enabled

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class detect_anomaly:  # noqa: N801 - PyTorch's spelling
    """Raise at the first NaN/Inf made by an op in forward or backward.

    Inside the block every node also remembers the file:line that created it, and the error names
    the op and that place.

    >>> from autograd import Tensor, detect_anomaly
    >>> x = Tensor([0.0], requires_grad=True)
    >>> try:
    ...     with detect_anomaly():
    ...         y = x.log()
    ... except FloatingPointError as error:
    ...     print(error)
    log produced -inf in forward, shape (1,) (node created at ...)
    """

    def __enter__(self) -> None:
        self._previous = switches.anomaly_enabled
        switches.anomaly_enabled = True

    def __exit__(self, *exc: object) -> None:
        switches.anomaly_enabled = self._previous

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly():
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()``."""
    return switches.anomaly_enabled


class name_scope:  # noqa: N801 - reads like a statement: ``with name_scope("dense_1"):``
    """Label the nodes recorded inside the block with a layer name, so pictures can group
    them (``nn.Module.__call__`` does this with each layer's name).

    >>> from autograd import Tensor, name_scope
    >>> with name_scope("dense_1"):
    ...     y = Tensor([1.0], requires_grad=True) * 2
    >>> y.grad_fn.scope
    'dense_1'
    """

    def __init__(self, name: str | None) -> None:
        self.name = name

    def __enter__(self) -> None:
        self._previous = switches.scope
        switches.scope = self.name

    def __exit__(self, *exc: object) -> None:
        switches.scope = self._previous
