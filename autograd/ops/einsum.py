"""einsum: sums of products over labelled axes, with a gradient for every operand.

The gradient of operand i is itself an einsum: the output gradient contracted with the other
operands, written back to operand i's labels. Two details need care (HIPS autograd handles the
same ones): a label only operand i has (summed away, e.g. ``'ij->i'``) comes back as a
broadcast (a ones vector joins the einsum), and a label repeated in operand i (``'ii->i'``, a
diagonal) comes back on the diagonal (identity matrices join the einsum).
"""

from __future__ import annotations

import string

import numpy as np

from ..function import Function
from .either import constant, run


class Einsum(Function):
    """np.einsum with explicit subscripts of letters only (the routine expands '...')."""

    name = "einsum"
    save_inputs = True

    def forward(self, *operands, subscripts):
        inputs, self.output = subscripts.split("->")
        self.inputs = inputs.split(",")
        self.sizes = {}
        for labels, operand in zip(self.inputs, operands):
            self.sizes.update(zip(labels, operand.shape))
        return np.einsum(subscripts, *operands, optimize=len(operands) > 2)

    def backward(self, grad):
        operands = self.saved_inputs
        return tuple(
            self._operand_grad(grad, operands, i) if needed else None
            for i, needed in enumerate(self.needs_input_grad)
        )

    def _operand_grad(self, grad, operands, i):
        target = self.inputs[i]
        labels = [self.output] + [s for j, s in enumerate(self.inputs) if j != i]
        values = [grad] + [op for j, op in enumerate(operands) if j != i]
        distinct = "".join(dict.fromkeys(target))
        for label in distinct:
            if label not in "".join(labels):  # summed away in forward: broadcast back
                labels.append(label)
                values.append(constant(np.ones(self.sizes[label], dtype=grad.dtype), grad))
        summed = run(Einsum, *values, subscripts=",".join(labels) + "->" + distinct)
        if distinct == target:
            return summed
        # A repeated label: put the gradient on the diagonal with identity matrices.
        free = iter(c for c in string.ascii_letters if c not in self.sizes)
        renamed, seen, eyes = "", set(), []
        for label in target:
            if label in seen:
                fresh = next(free)
                eyes.append((label + fresh, np.eye(self.sizes[label], dtype=grad.dtype)))
                label = fresh
            seen.add(label)
            renamed += label
        terms = ",".join([distinct] + [labels for labels, _ in eyes])
        identity = [constant(eye, grad) for _, eye in eyes]
        return run(Einsum, summed, *identity, subscripts=f"{terms}->{renamed}")
