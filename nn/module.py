"""Module and Parameter: the building blocks of networks.

A Module registers the Parameters and sub-Modules assigned to its attributes, so
``parameters()``, ``state_dict()`` and ``zero_grad()`` find them without any listing by hand.

>>> from nn import Module, Parameter
>>> class Scale(Module):
...     def __init__(self):
...         super().__init__()
...         self.factor = Parameter([2.0])
...     def forward(self, x):
...         return x * self.factor
>>> [name for name, _ in Scale().named_parameters()]
['factor']
"""

from __future__ import annotations

import collections
import itertools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, increment_version, name_scope, no_grad

# Per-class counters behind Keras-style layer names: dense, dense_1, dense_2, ...
_name_counters: dict[str, itertools.count] = collections.defaultdict(itertools.count)


def _snake_case(name: str) -> str:
    """Keras's ``to_snake_case``: Dense -> dense, BatchNormalization -> batch_normalization,
    ReLU -> re_lu (an acronym stays one word)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """``base`` the first time, then ``base_1``, ``base_2``, ... (as Keras names layers)."""
    index = next(_name_counters[base])
    return base if index == 0 else f"{base}_{index}"


class Parameter(Tensor):
    """A Tensor that is a model's learnable weight: it requires grad, and assigning it to a
    Module attribute registers it."""

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, name: str | None = None) -> None:
        super().__init__(data, requires_grad=requires_grad, name=name)


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` returns, as PyTorch's: names the model has that the state
    lacked, and names the state has that the model lacks."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of layers and models: ``__call__`` runs ``forward`` inside the layer's name
    scope, so graph pictures group the ops each layer records."""

    training: bool
    name: str

    def __init__(self, name: str | None = None) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "name", name or unique_name(_snake_case(type(self).__name__)))

    def __setattr__(self, key: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning attributes"
            )
        self._parameters.pop(key, None)
        self._modules.pop(key, None)
        if isinstance(value, Parameter):
            self._parameters[key] = value
            if value.name is None:
                value.name = f"{self.name}.{key}"
        elif isinstance(value, Module):
            self._modules[key] = value
        object.__setattr__(self, key, value)

    def __delattr__(self, key: str) -> None:
        self._parameters.pop(key, None)
        self._modules.pop(key, None)
        object.__delattr__(self, key)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with name_scope(self.name):
            return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ traversal
    def children(self) -> Iterator[Module]:
        yield from self._modules.values()

    def named_children(self) -> Iterator[tuple[str, Module]]:
        yield from self._modules.items()

    def modules(self) -> Iterator[Module]:
        """This module and every module below it, depth first (iteratively)."""
        stack = [self]
        while stack:
            module = stack.pop()
            yield module
            stack.extend(reversed(list(module._modules.values())))

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted structural name, parameter), e.g. ``('0.kernel', ...)`` in a Sequential;
        a parameter shared by two modules is listed once."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            path, module = stack.pop()
            for key, parameter in module._parameters.items():
                if id(parameter) not in seen:
                    seen.add(id(parameter))
                    yield (f"{path}.{key}" if path else key), parameter
            children = [(f"{path}.{key}" if path else key, m) for key, m in module._modules.items()]
            stack.extend(reversed(children))

    def parameters(self) -> Iterator[Parameter]:
        for _, parameter in self.named_parameters():
            yield parameter

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (sets ``.grad = None``)."""
        for parameter in self.parameters():
            parameter.grad = None

    def train(self, mode: bool = True) -> Module:
        """Switch training behaviour (e.g. Dropout) on or off for this module and below."""
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    # ------------------------------------------------------------------ weights
    def state_dict(self) -> dict[str, np.ndarray]:
        """Structural name -> parameter array (the arrays themselves, not copies)."""
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(
        self, state: dict[str, Any], strict: bool = True, *, source: str = "state dict"
    ) -> IncompatibleKeys:
        """Copy ``state`` into the parameters after checking every name, shape and dtype kind;
        on any mismatch raise ``ValueError`` and change nothing. With ``strict=False`` (as
        PyTorch) missing and unexpected names are allowed and returned, shapes still checked.
        Returns ``(missing_keys, unexpected_keys)`` like PyTorch's."""
        own = dict(self.named_parameters())
        missing = sorted(set(own) - set(state))
        unexpected = sorted(set(state) - set(own))
        problems = []
        if missing and strict:
            problems.append(f"missing {missing}")
        if unexpected and strict:
            problems.append(f"unexpected {unexpected}")
        arrays = {}
        for name in sorted(set(own) & set(state)):
            array = np.asarray(state[name])
            if array.shape != own[name].shape:
                problems.append(
                    f"{name}: shape {array.shape} in the {source}, {own[name].shape} in the model"
                )
            elif array.dtype.kind not in "fiu":
                problems.append(f"{name}: dtype {array.dtype} is not numeric")
            arrays[name] = array
        if problems:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: cannot load the {source}: "
                + "; ".join(problems)
            )
        with no_grad():
            for name, array in arrays.items():
                np.copyto(own[name].data, array, casting="unsafe")
                increment_version(own[name])
        return IncompatibleKeys(missing, unexpected)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for key, module in self._modules.items():
            child = repr(module).replace("\n", "\n  ")
            lines.append(f"  ({key}): {child}")
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"

    def extra_repr(self) -> str:
        return ""
