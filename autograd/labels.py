"""How numbers are written in pictures and in the stepper's text: one formatter for both, so
every number a picture shows is, character for character, the one the text says.

Small tensors (at most ``record.SMALL`` elements) are written as their numbers in their shape,
signed, to 4 significant digits; bigger ones as a signed summary (mean, min, max over the finite
elements) and a flag when any element is NaN or infinite. Pictures lay the numbers out over
several lines (a 2×2 as two rows); the text keeps them on one line.

>>> import numpy as np
>>> from autograd.record import Summary
>>> print(amount(Summary.of(np.array([[1.0, 0.0], [2.0, -0.5]])), lines=True))
[[1, 0],
 [2, -0.5]]
>>> amount(Summary.of(np.array([[1.0, 0.0], [2.0, -0.5]])))
'[[1, 0], [2, -0.5]]'
>>> amount(Summary.of(np.arange(40.0) - 10))
'mean 9.5  min -10  max 29'
>>> shape_text(()), shape_text((2, 3))
('scalar', '(2, 3)')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .record import Summary

__all__ = ["GradSummary", "amount", "field", "number", "record_label", "shape_text"]

#: Characters per line of a picture's numbers before a row wraps.
LINE_WIDTH = 48


def shape_text(shape: tuple[int, ...]) -> str:
    """``"scalar"`` for shape ``()``, else the shape as a tuple: the same in pictures and text."""
    return "scalar" if tuple(shape) == () else str(tuple(shape))


def number(value: object) -> str:
    """One element: floats to 4 significant digits with their sign (zero is never "-0"),
    integers and bools as is."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        # + 0.0 turns -0.0 into 0.0: relu's "sent [1, -0]" would read as a sign that is not there.
        return f"{float(value) + 0.0:.4g}"
    return str(value)


def amount(summary: Summary, lines: bool = False, norm: bool = False) -> str:
    """A tensor's numbers (small) or its signed summary (big), plus a NaN/Inf flag.

    Args:
        summary: what the node record keeps of the tensor.
        lines: lay it out over several lines, for a picture; else one line, for text.
        norm: end a big tensor's summary with its norm (gradients: vanishing or exploding).
    """
    if summary.values is not None:
        text = _in_shape(summary.values, lines)
    elif summary.dtype.kind not in "biuf":
        text = f"{summary.size} values"
    else:
        stats = [("mean", summary.mean), ("min", summary.min), ("max", summary.max)]
        stats += [("norm", summary.norm)] if norm else []
        words = [f"{name} {number(value)}" for name, value in stats]
        text = words[0] + ("\n" if lines else "  ") + "  ".join(words[1:])
    flag = _flag(summary)
    if flag:
        text += ("\n" if lines else "  ") + flag
    return text


def _in_shape(values: np.ndarray, lines: bool) -> str:
    if values.ndim == 0:
        return number(values.item())
    text = np.array2string(
        values,
        max_line_width=LINE_WIDTH if lines else 10**9,
        separator=", ",
        threshold=10**9,
        formatter={"all": number},
    )
    if lines:  # drop the blank lines numpy puts between the blocks of a 3-d array
        return "\n".join(line for line in text.splitlines() if line.strip())
    return " ".join(text.split())


def _flag(summary: Summary) -> str:
    if summary.dtype.kind not in "fc" or summary.size == 0 or summary.finite:
        return ""
    kinds = [kind for kind, flag in (("NaN", summary.has_nan), ("Inf", summary.has_inf)) if flag]
    return f"contains {'/'.join(kinds)}!"


@dataclass(frozen=True)
class GradSummary:
    """Norm, min, max and NaN/Inf flags of a gradient array; its colours fill a picture's box.

    >>> summary = GradSummary.of(np.array([3.0, -4.0]))
    >>> summary.norm, summary.min, summary.max, summary.colours()["fillcolor"]
    (5.0, -4.0, 3.0, '#2171b5')
    """

    norm: float
    min: float
    max: float
    has_nan: bool
    has_inf: bool

    @classmethod
    def of(cls, grad: np.ndarray) -> GradSummary:
        return cls.from_summary(Summary.of(grad))

    @classmethod
    def from_summary(cls, summary: Summary) -> GradSummary:
        """From a node record's Summary (min/max over the finite values, so one NaN does not
        hide the rest of the picture)."""
        norm = 0.0 if summary.size == 0 else summary.norm
        return cls(norm, summary.min, summary.max, summary.has_nan, summary.has_inf)

    @property
    def finite(self) -> bool:
        return not (self.has_nan or self.has_inf)

    def colours(self) -> dict[str, str]:
        """Fill on a log10 scale of the norm (pale 1e-5 ... dark blue >= 100), red for NaN/Inf,
        so vanishing and exploding gradients stand out at a glance."""
        if not self.finite:
            return {"fillcolor": "#ff6b6b"}
        level = 0 if self.norm == 0 else min(8, max(1, math.floor(math.log10(self.norm)) + 6))
        return {"fillcolor": _BLUES[level], "fontcolor": "white" if level >= 6 else "black"}


# ColorBrewer "Blues", 9 classes: a sequential scale that stays readable in grey print.
_BLUES = (
    "#f7fbff",
    "#deebf7",
    "#c6dbef",
    "#9ecae1",
    "#6baed6",
    "#4292c6",
    "#2171b5",
    "#08519c",
    "#08306b",
)


def field(word: str, summary: Summary, norm: bool = False) -> str:
    """A picture's field: ``word`` then the numbers, laid out over lines (``"grad [1, -2]"``)."""
    text = amount(summary, lines=True, norm=norm)
    # A matrix starts on its own line, so that its rows line up under each other.
    return word + ("\n" if "\n" in text and text.startswith("[[") else " ") + text


def escape(text: str) -> str:
    """Escape record-label syntax so names and numbers show as typed."""
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def record_label(fields: list[str]) -> str:
    """A graphviz record label; braces make the fields stack vertically when rankdir is TB/BT."""
    return "{" + "|".join(escape(field) for field in fields) + "}"
