"""The ops, by family; each is one small Function class with forward and backward together.

``autograd.function.REGISTRY`` maps every op name to its class.
"""

from .activations import LogSoftmax, Sigmoid, Softmax, SoftmaxCrossEntropy, Tanh
from .elementwise import (
    Abs,
    Add,
    Cast,
    Clip,
    Div,
    Exp,
    Log,
    Maximum,
    Minimum,
    Mul,
    Neg,
    Pow,
    Relu,
    Sqrt,
    Sub,
    Where,
)  # fmt: skip
from .linalg import Linear, MatMul, TensorDot
from .reductions import LogSumExp, Max, Mean, Min, Sum
from .shape import BroadcastTo, Concat, GetItem, Reshape, ScatterAdd, Stack, Transpose

__all__ = [
    "Abs", "Add", "BroadcastTo", "Cast", "Clip", "Concat", "Div", "Exp", "GetItem", "Linear",
    "Log", "LogSoftmax", "LogSumExp", "MatMul", "Max", "Maximum", "Mean", "Min", "Minimum", "Mul",
    "Neg", "Pow", "Relu", "Reshape", "ScatterAdd", "Sigmoid", "Softmax", "SoftmaxCrossEntropy",
    "Sqrt", "Stack", "Sub", "Sum", "Tanh", "TensorDot", "Transpose", "Where",
]  # fmt: skip
from .activations_extra import BinaryCrossEntropy, NormalCdf, Softplus  # noqa: E402,F401
