"""Function transforms: Jacobians, Hessians and their products, built on reverse mode only.

Each transform takes a function of Tensors and gives back a function (``jacobian``,
``hessian``, ``elementwise_grad``), or evaluates at a point (``jvp``, ``hvp``), with the shapes
and return conventions of ``torch.func`` (``jacrev``, ``hessian``, ``jvp``) and
``torch.autograd.functional.hvp``. Arguments may be Tensors, arrays or numbers; an argument
that is not a Tensor becomes one (lists of floats become float32, as everywhere).

Everything is made from ``autograd.grad``:

- a Jacobian row is one vector-Jacobian product ``uᵀ J`` with ``u`` a one-hot seed;
- a Hessian is the Jacobian of the gradient (reverse over reverse);
- ``H v`` is the gradient of ``∇f · v`` (Pearlmutter 1994, "Fast exact multiplication by the
  Hessian"), so the Hessian is never formed;
- ``J v`` uses the double-VJP trick: ``uᵀ J`` is linear in ``u``, so its gradient with respect
  to ``u``, contracted with ``v``, is ``J v`` (J. Townsend, "A new trick for calculating
  Jacobian vector products", 2017) — forward mode without forward-mode rules.

Results are differentiable (so transforms nest, e.g. ``jacobian(jacobian(f))``) exactly when
grad mode is on and an argument already requires grad; otherwise they are plain leaf Tensors.

>>> import numpy as np
>>> from autograd import Tensor, hessian, jacobian
>>> jacobian(lambda x: x * x)(np.array([1.0, 2.0])).tolist()
[[2.0, 0.0], [0.0, 4.0]]
>>> hessian(lambda x: (x**3).sum())(np.array([1.0, 2.0])).tolist()
[[6.0, 0.0], [0.0, 12.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .grad_mode import enable_grad, is_grad_enabled
from .gradcheck import GradcheckError, gradcheck
from .gradients import grad
from .routines import concat, stack
from .tensor import Tensor, unwrap

__all__ = ["elementwise_grad", "gradgradcheck", "hessian", "hvp", "jacobian", "jvp"]

Argnums = int | Sequence[int]


def _positions(argnums: Argnums, count: int, name: str) -> tuple[tuple[int, ...], bool]:
    """Normalise ``argnums`` against ``count`` arguments: (positions, whether it was one int)."""
    single = isinstance(argnums, (int, np.integer)) and not isinstance(argnums, bool)
    positions = (argnums,) if single else tuple(argnums)
    if not positions:
        raise ValueError(f"{name}: argnums is empty; give an int or a non-empty tuple of ints")
    for position in positions:
        if not isinstance(position, (int, np.integer)) or isinstance(position, bool):
            raise TypeError(f"{name}: argnums must be ints, got {type(position).__name__}")
        if not -count <= position < count:
            raise IndexError(
                f"{name}: argnums {position} is out of range for {count} positional "
                f"argument{'s' if count != 1 else ''}"
            )
    positions = tuple(int(p) % count for p in positions)
    if len(set(positions)) != len(positions):
        raise ValueError(f"{name}: argnums {tuple(argnums)} names an argument twice")
    return positions, single


def _watch(value: Any) -> Tensor:
    """A Tensor that requires grad for ``value`` (the same Tensor when it already does)."""
    if isinstance(value, Tensor):
        return value if value.requires_grad else value.detach().requires_grad_()
    return Tensor(value, requires_grad=True)


def _call(function: Callable[..., Any], args: Sequence[Any], name: str) -> Tensor:
    with enable_grad():
        output = function(*args)
    if not isinstance(output, Tensor):
        raise TypeError(f"{name}: the function must return a Tensor, got {type(output).__name__}")
    return output


def _nested(args: Sequence[Any]) -> bool:
    # An argument that already requires grad means an outer transform (or the caller) will
    # differentiate our result: build it with create_graph so it stays in the graph.
    return is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad for a in args)


def _seed(output: Tensor, index: int) -> np.ndarray:
    seed = np.zeros(output.size, dtype=output.dtype)
    seed[index] = 1
    return seed.reshape(output.shape)


def _jacobian_blocks(output: Tensor, wrt: Sequence[Tensor], differentiable: bool) -> list[Tensor]:
    """``d output / d wrt[j]`` for each j, of shape ``output.shape + wrt[j].shape``.

    One vector-Jacobian product per output element (a one-hot seed), over one retained graph.
    """
    rows: list[list[Any]] = [[] for _ in wrt]
    for index in range(output.size if output.requires_grad else 0):
        found = grad(output, wrt, grad_outputs=[_seed(output, index)], retain_graph=True,
                     create_graph=differentiable, allow_unused=True)  # fmt: skip
        for row, g, tensor in zip(rows, found, wrt):
            if g is None:  # this input does not reach the output: a zero row
                g = Tensor(np.zeros(tensor.shape, dtype=output.dtype))
            row.append(g if differentiable else g.data)
    blocks = []
    for row, tensor in zip(rows, wrt):
        shape = output.shape + tensor.shape
        if not row:  # an empty output, or one that does not depend on any input
            blocks.append(Tensor(np.zeros(shape, dtype=output.dtype)))
        elif differentiable:
            blocks.append(stack(row).reshape(shape))
        else:
            blocks.append(Tensor(np.stack(row).reshape(shape)))
    return blocks


def jacobian(function: Callable[..., Tensor], argnums: Argnums = 0) -> Callable[..., Any]:
    """Turn ``f`` into a function giving its Jacobian at the arguments (``torch.func.jacrev``).

    For ``f: R^(a…) → R^(b…)`` the Jacobian has shape ``(b…, a…)``: entry ``[i…, j…]`` is
    ``∂f(x)[i…] / ∂x[j…]``. With ``argnums`` a tuple, the result is a tuple of Jacobians, one
    per argument named. Cost: one backward pass per output element (reverse mode, row by row).

    Raises:
        TypeError: ``f`` returns something other than a Tensor, or argnums is not int(s).
        IndexError: an argnums entry is out of range for the arguments given.

    >>> import numpy as np
    >>> J = jacobian(lambda x, W: x @ W, argnums=1)(np.ones(2), np.ones((2, 3)))
    >>> J.shape  # (output 3, W 2x3)
    (3, 2, 3)
    """

    def jacobian_of_function(*args: Any) -> Any:
        positions, single = _positions(argnums, len(args), "jacobian")
        differentiable, args = _nested(args), list(args)
        for position in positions:
            args[position] = _watch(args[position])
        output = _call(function, args, "jacobian")
        blocks = _jacobian_blocks(output, [args[p] for p in positions], differentiable)
        return blocks[0] if single else tuple(blocks)

    return jacobian_of_function


def _one_element(output: Tensor, name: str) -> None:
    if output.size != 1:
        raise ValueError(
            f"{name}: the function must return a one-element Tensor (a scalar), got shape "
            f"{output.shape}; for a vector output use jacobian(jacobian(f))"
        )


def hessian(function: Callable[..., Tensor], argnums: Argnums = 0) -> Callable[..., Any]:
    """Turn a scalar ``f`` into a function giving its Hessian (``torch.func.hessian``).

    For ``f: R^(a…) → R`` the Hessian has shape ``(a…, a…)``. With ``argnums`` a tuple the
    result is nested like torch's: ``H[i][j]`` is ``∂²f / ∂x_i ∂x_j`` of shape
    ``x_i.shape + x_j.shape``. Computed as the Jacobian of the gradient (reverse over reverse):
    one double-backward pass per element of the inputs.

    Raises:
        ValueError: ``f`` returns more than one element (torch.func.hessian would return a
            higher-order tensor; use ``jacobian(jacobian(f))`` for that).
        TypeError, IndexError: as :func:`jacobian`.

    >>> import numpy as np
    >>> f = lambda x, y: (x * x * y).sum()
    >>> H = hessian(f, argnums=(0, 1))(np.array([3.0]), np.array([2.0]))
    >>> [[h.tolist() for h in row] for row in H]  # [[2y, 2x], [2x, 0]]
    [[[[4.0]], [[6.0]]], [[[6.0]], [[0.0]]]]
    """

    def hessian_of_function(*args: Any) -> Any:
        positions, single = _positions(argnums, len(args), "hessian")
        differentiable, args = _nested(args), list(args)
        for position in positions:
            args[position] = _watch(args[position])
        output = _call(function, args, "hessian")
        _one_element(output, "hessian")
        wrt = [args[p] for p in positions]
        gradients = _gradients(output, wrt, create_graph=True)
        rows = tuple(tuple(_jacobian_blocks(g, wrt, differentiable)) for g in gradients)
        return rows[0][0] if single else rows

    return hessian_of_function


def _gradients(output: Tensor, wrt: Sequence[Tensor], create_graph: bool) -> list[Tensor]:
    """``d output / d wrt`` with zeros (not None) for an input that output does not reach."""
    if not output.requires_grad:
        return [Tensor(np.zeros(t.shape, dtype=output.dtype)) for t in wrt]
    found = grad(output, wrt, create_graph=create_graph, allow_unused=True)
    return [
        Tensor(np.zeros(t.shape, dtype=output.dtype)) if g is None else g
        for g, t in zip(found, wrt)
    ]


def _points(x: Any, v: Any, name: str) -> tuple[list[Tensor], list[Tensor], bool]:
    """Primals and tangents as lists; a tuple means several arguments, as in torch.func."""
    several = isinstance(x, tuple)
    xs, vs = (list(x), v) if several else ([x], (v,))
    if not isinstance(vs, tuple) or len(vs) != len(xs):
        got = f"a tuple of {len(vs)}" if isinstance(vs, tuple) else type(vs).__name__
        raise ValueError(f"{name}: x is a tuple of {len(xs)}, so v must be one too, got {got}")
    primals = [_watch(value) for value in xs]
    tangents = []
    for index, (point, direction) in enumerate(zip(primals, vs)):
        direction = np.asarray(unwrap(direction))
        if direction.shape != point.shape:
            raise ValueError(
                f"{name}: v[{index}] has shape {direction.shape}, x[{index}] has shape "
                f"{point.shape}; they must match"
            )
        tangents.append(Tensor(direction.astype(point.dtype, copy=False)))
    return primals, tangents, several


def hvp(function: Callable[..., Tensor], x: Any, v: Any) -> tuple[Tensor, Any]:
    """``(f(x), H v)`` for a scalar ``f``, without forming H (``torch.autograd.functional.hvp``).

    ``H v = ∇_x (∇_x f · v)``: one backward with ``create_graph`` and one more through it
    (Pearlmutter 1994), so memory and time are a few times one gradient, whatever the size of
    H. ``x`` and ``v`` have the same shape; pass tuples for a function of several arguments
    (``f(*x)``), and get a tuple of products back.

    Raises:
        ValueError: ``f`` returns more than one element, or ``v``'s shape differs from ``x``'s.

    >>> import numpy as np
    >>> value, product = hvp(lambda x: (x**3).sum(), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    >>> value.item(), product.tolist()
    (9.0, [6.0, 12.0])
    """
    primals, tangents, several = _points(x, v, "hvp")
    differentiable = _nested(list(x) if several else [x])
    output = _call(function, primals, "hvp")
    _one_element(output, "hvp")
    pairs = [
        (g, t)
        for g, t in zip(_gradients(output, primals, create_graph=True), tangents)
        if g.requires_grad  # a gradient constant in x contributes nothing to H v
    ]
    products = _products(pairs, primals, output.dtype, differentiable)
    value = output if differentiable else output.detach()
    return value, products if several else products[0]


def _products(
    pairs: Sequence[tuple[Tensor, Tensor]], wrt: Sequence[Tensor], dtype: Any, differentiable: bool
) -> tuple[Tensor, ...]:
    """``Σ_i (∂ outputs_i / ∂ wrt)ᵀ seeds_i`` for each tensor of ``wrt``, zeros where unused."""
    found: Sequence[Tensor | None] = [None] * len(wrt)
    if pairs:
        outputs, seeds = [g for g, _ in pairs], [t for _, t in pairs]
        found = grad(outputs, wrt, grad_outputs=seeds, create_graph=differentiable,
                     allow_unused=True)  # fmt: skip
    return tuple(
        Tensor(np.zeros(t.shape, dtype=dtype)) if g is None else g if differentiable else g.detach()
        for g, t in zip(found, wrt)
    )


def jvp(function: Callable[..., Tensor], x: Any, v: Any) -> tuple[Tensor, Tensor]:
    """``(f(x), J v)``: the Jacobian-vector product, as ``torch.func.jvp`` returns it.

    Forward mode from two reverse passes (the double-VJP trick): ``g(u) = uᵀ J`` is linear in
    a dummy cotangent ``u``, so ``∂(g(u) · v) / ∂u = J v`` (J. Townsend, 2017). ``J v`` has the
    output's shape. ``x`` and ``v`` have the same shape; pass tuples for a function of several
    arguments (``f(*x)``): then ``J v = Σ_i J_i v_i``. Unlike torch.func, ``f`` returns a
    single Tensor (no tuples or dicts).

    Raises:
        ValueError: ``v``'s shape differs from ``x``'s, or a tuple ``x`` with a ``v`` that is
            not a tuple of the same length.

    >>> import numpy as np
    >>> value, product = jvp(lambda x: x * x, np.array([1.0, 3.0]), np.array([1.0, 0.5]))
    >>> value.tolist(), product.tolist()
    ([1.0, 9.0], [2.0, 3.0])
    """
    primals, tangents, several = _points(x, v, "jvp")
    differentiable = _nested(list(x) if several else [x])
    output = _call(function, primals, "jvp")
    value = output if differentiable else output.detach()
    if not output.requires_grad:  # f does not depend on x at all
        return value, Tensor(np.zeros(output.shape, dtype=output.dtype))
    dummy = Tensor(np.zeros(output.shape, dtype=output.dtype), requires_grad=True)
    cotangents = grad(output, primals, grad_outputs=[dummy], create_graph=True, allow_unused=True)
    pairs = [(g, t) for g, t in zip(cotangents, tangents) if g is not None and g.requires_grad]
    (product,) = _products(pairs, [dummy], output.dtype, differentiable)
    return value, product


def elementwise_grad(function: Callable[..., Tensor], argnums: Argnums = 0) -> Callable[..., Any]:
    """The derivative of an elementwise ``f`` at every element, shaped like ``x`` (HIPS autograd).

    Computed as the vector-Jacobian product with ones, ``1ᵀ J`` (the gradient of
    ``f(x).sum()``): for an elementwise ``f`` the Jacobian is diagonal, so this is its
    diagonal. For other functions it is still ``1ᵀ J``, which is what HIPS's version returns.

    >>> import numpy as np
    >>> slopes = elementwise_grad(lambda x: x.tanh())(np.array([0.0, 1.0]))
    >>> np.round(slopes.numpy(), 4).tolist()  # 1 - tanh(x)**2
    [1.0, 0.42]
    """

    def elementwise_grad_of_function(*args: Any) -> Any:
        positions, single = _positions(argnums, len(args), "elementwise_grad")
        differentiable, args = _nested(args), list(args)
        for position in positions:
            args[position] = _watch(args[position])
        output = _call(function, args, "elementwise_grad")
        wrt = [args[p] for p in positions]
        pairs = []
        if output.requires_grad:
            pairs = [(output, Tensor(np.ones(output.shape, dtype=output.dtype)))]
        found = _products(pairs, wrt, output.dtype, differentiable)
        return found[0] if single else found

    return elementwise_grad_of_function


def gradgradcheck(
    function: Callable[..., Tensor],
    inputs: Sequence[Any],
    grad_outputs: Any = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check second derivatives against finite differences (``torch.autograd.gradgradcheck``).

    Runs :func:`autograd.gradcheck` on ``(inputs, u) ↦ uᵀ J_f(inputs)`` — the first-order
    gradients of ``f`` for a cotangent ``u`` — so the backward of every backward rule in
    ``f`` is checked, with respect to the inputs and to ``u`` (which catches a rule that is not
    linear in its incoming gradient). ``u`` is ``grad_outputs``, or random normal (``seed``).
    Everything is done in float64.

    Raises:
        GradcheckError: a second derivative disagrees with finite differences (the message
            names the ops, the input — the last one is ``u`` — and the worst element).

    >>> from autograd import Tensor
    >>> gradgradcheck(lambda x: (x * x).tanh(), [Tensor([0.3, -1.2])])
    True
    """
    inputs = [np.asarray(unwrap(value)) for value in inputs]
    if grad_outputs is None:
        with enable_grad():
            shape = function(*[Tensor(np.array(a, dtype=np.float64)) for a in inputs]).shape
        grad_outputs = np.random.default_rng(seed).standard_normal(shape)
    grad_outputs = grad_outputs.data if isinstance(grad_outputs, Tensor) else grad_outputs
    count = len(inputs)

    def first_derivatives(*values: Tensor) -> Tensor:
        points, cotangent = values[:count], values[count]
        with enable_grad():
            output = function(*points)
            wrt = [p for p in points if p.requires_grad]
            found = grad(output, wrt, grad_outputs=[cotangent], create_graph=True,
                         allow_unused=True)  # fmt: skip
        return concat([g.reshape(-1) for g in found if g is not None])

    try:
        return gradcheck(first_derivatives, [*inputs, grad_outputs], eps, atol, rtol, seed)
    except GradcheckError as exc:
        raise GradcheckError(
            f"gradgradcheck: second derivatives disagree (checked as the first derivatives "
            f"u^T J of f, a function of f's inputs and of u, input {count}): {exc}"
        ) from exc
