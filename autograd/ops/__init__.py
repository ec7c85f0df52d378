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

# Issue 11's vocabulary, by family.
from .exp_log import (  # noqa: E402
    Erf,
    Erfc,
    Exp2,
    Expm1,
    Log1p,
    Log2,
    Log10,
    LogAddExp,
    Reciprocal,
    Rsqrt,
    Square,
)  # fmt: skip
from .rounding import Ceil, Floor, FloorDivide, Fmod, Remainder, Round, Sign, Trunc  # noqa: E402
from .trig import (  # noqa: E402
    Arccos,
    Arccosh,
    Arcsin,
    Arcsinh,
    Arctan,
    Arctan2,
    Arctanh,
    Cos,
    Cosh,
    Hypot,
    Sin,
    Sinh,
    Tan,
)  # fmt: skip

__all__ += [
    "Arccos", "Arccosh", "Arcsin", "Arcsinh", "Arctan", "Arctan2", "Arctanh", "Ceil", "Cos",
    "Cosh", "Erf", "Erfc", "Exp2", "Expm1", "Floor", "FloorDivide", "Fmod", "Hypot", "Log10",
    "Log1p", "Log2", "LogAddExp", "Reciprocal", "Remainder", "Round", "Rsqrt", "Sign", "Sin",
    "Sinh", "Square", "Tan", "Trunc",
]  # fmt: skip
from .scans import CumProd, CumSum, LogCumSumExp  # noqa: E402
from .statistics import Prod, Var  # noqa: E402

__all__ += ["CumProd", "CumSum", "LogCumSumExp", "Prod", "Var"]
from .linalg_inverse import Det, Inv, LogAbsDet, Solve  # noqa: E402

__all__ += ["Det", "Inv", "LogAbsDet", "Solve"]
from .indexing import Scatter, SetItem  # noqa: E402
from .reorder import (  # noqa: E402
    Diag,
    Diagonal,
    Flip,
    Pad,
    Repeat,
    Roll,
    TakeAlongAxis,
    Tile,
    Tril,
    Triu,
)

__all__ += [
    "Diag", "Diagonal", "Flip", "Pad", "Repeat", "Roll", "Scatter", "SetItem", "TakeAlongAxis",
    "Tile", "Tril", "Triu",
]  # fmt: skip
from .einsum import Einsum  # noqa: E402

__all__ += ["Einsum"]
