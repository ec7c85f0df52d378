"""PyTorch's losses (``nn.functional`` and the loss modules) against torch itself: every loss x
reduction x option, values and gradients with respect to the input and, where PyTorch gives one,
the target; empty batches, soft targets, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn import functional as F

torch = pytest.importorskip("torch", reason="PyTorch is the reference these tests compare with")
TF = torch.nn.functional

REDUCTIONS = ["mean", "sum", "none"]
RNG = np.random.default_rng(0)


def run_both(ours_fn, theirs_fn, arrays, grad_of):
    """Run ours and torch's on float64 copies of ``arrays``; compare value and the gradients of
    the inputs whose positions are in ``grad_of`` (others are constants, e.g. labels)."""
    ours = [Tensor(a.copy(), requires_grad=i in grad_of) for i, a in enumerate(arrays)]
    theirs = [torch.tensor(a.copy(), requires_grad=i in grad_of) for i, a in enumerate(arrays)]
    our_out, their_out = ours_fn(*ours), theirs_fn(*theirs)
    np.testing.assert_allclose(our_out.data, their_out.detach().numpy(), rtol=1e-7, atol=1e-10)
    assert our_out.shape == tuple(their_out.shape)
    if our_out.size == 0 or not grad_of:
        return
    v = RNG.standard_normal(our_out.shape)
    our_grads = autograd.grad(our_out, [ours[i] for i in grad_of], grad_outputs=v)
    their_grads = torch.autograd.grad(their_out, [theirs[i] for i in grad_of], torch.tensor(v))
    for i, mine, their in zip(grad_of, our_grads, their_grads):
        np.testing.assert_allclose(
            mine.data, their.numpy(), rtol=1e-7, atol=1e-10, err_msg=f"gradient of input {i}"
        )


# ---------------------------------------------------------------------- cross_entropy
SHAPES = {"(N, C)": (5, 4), "(N, C, d1)": (3, 4, 2), "(N, C, d1, d2)": (2, 3, 2, 2), "(C,)": (4,)}
INDEX_OPTIONS = {
    "plain": {},
    "weight": {"weight": np.array([0.2, 1.0, 3.0, 0.5])},
    "ignore_index": {"ignore_index": 1},
    "label_smoothing": {"label_smoothing": 0.2},
    "all": {"weight": np.array([0.2, 1.0, 3.0, 0.5]), "ignore_index": 0, "label_smoothing": 0.1},
}


def options_for(options: dict, classes: int) -> tuple[dict, dict]:
    ours = {k: (v[:classes] if k == "weight" else v) for k, v in options.items()}
    theirs = {k: (torch.tensor(v) if k == "weight" else v) for k, v in ours.items()}
    return ours, theirs


def labels_for(shape: tuple[int, ...], ignore: int | None) -> np.ndarray:
    classes = shape[0] if len(shape) == 1 else shape[1]
    target_shape = () if len(shape) == 1 else shape[:1] + shape[2:]
    labels = RNG.integers(0, classes, target_shape)
    if ignore is not None and labels.ndim:
        labels.reshape(-1)[0] = ignore  # at least one ignored target
    return labels


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("option", INDEX_OPTIONS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
def test_cross_entropy_with_class_indices_matches_torch(shape, option, reduction):
    classes = shape[0] if len(shape) == 1 else shape[1]
    ours_opts, theirs_opts = options_for(INDEX_OPTIONS[option], classes)
    logits = 3 * RNG.standard_normal(shape)
    labels = labels_for(shape, ours_opts.get("ignore_index"))
    run_both(
        lambda x: F.cross_entropy(x, labels, reduction=reduction, **ours_opts),
        lambda x: TF.cross_entropy(x, torch.tensor(labels), reduction=reduction, **theirs_opts),
        [logits],
        grad_of=[0],
    )


PROBABILITY_OPTIONS = {
    "plain": {},
    "weight": {"weight": np.array([0.2, 1.0, 3.0, 0.5])},
    "label_smoothing": {"label_smoothing": 0.3},
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("option", PROBABILITY_OPTIONS)
@pytest.mark.parametrize("shape", SHAPES.values(), ids=SHAPES.keys())
@pytest.mark.parametrize("targets", ["probabilities", "rows not summing to 1"])
def test_cross_entropy_with_probability_targets_gives_input_and_target_gradients(
    targets, shape, option, reduction
):
    classes = shape[0] if len(shape) == 1 else shape[1]
    ours_opts, theirs_opts = options_for(PROBABILITY_OPTIONS[option], classes)
    logits = 3 * RNG.standard_normal(shape)
    target = RNG.uniform(0, 1, shape)
    if targets == "probabilities":
        target /= target.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
    else:
        target *= 3
    run_both(
        lambda x, t: F.cross_entropy(x, t, reduction=reduction, **ours_opts),
        lambda x, t: TF.cross_entropy(x, t, reduction=reduction, **theirs_opts),
        [logits, target],
        grad_of=[0, 1],
    )


@pytest.mark.parametrize(
    "target",
    [[[1.0, 1.0]], [[2.0, 0.0]], [[0.5, 0.0]], [[0.0, 0.0]], [[-1.0, 3.0]]],
    ids=["[1, 1]", "[2, 0]", "[0.5, 0]", "[0, 0]", "[-1, 3]"],
)
@pytest.mark.parametrize("entry", ["autograd.softmax_cross_entropy", "F.cross_entropy"])
def test_soft_target_rows_not_summing_to_one_follow_torchs_gradient(entry, target):
    """Issue 9.4: the gradient is softmax * sum(t) - t, not softmax - t."""
    function = autograd.softmax_cross_entropy if entry.startswith("autograd") else F.cross_entropy
    for logits in ([[0.0, 0.0]], [[2.0, -1.0]]):
        run_both(
            lambda x, t, f=function: f(x, t),
            TF.cross_entropy,
            [np.array(logits), np.array(target)],
            grad_of=[0, 1],
        )


def test_the_define_by_run_path_stays_one_fused_op():
    logits = Tensor(RNG.standard_normal((4, 3)), requires_grad=True)
    loss = F.cross_entropy(logits, np.array([0, 2, 1, 1]))
    assert loss.grad_fn.name == "softmax_cross_entropy"


# ---------------------------------------------------------------------- nll_loss
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("option", ["plain", "weight", "ignore_index"])
@pytest.mark.parametrize("shape", [(5, 4), (3, 4, 2)], ids=["(N, C)", "(N, C, d1)"])
def test_nll_loss_matches_torch(shape, option, reduction):
    ours_opts, theirs_opts = options_for(INDEX_OPTIONS[option], shape[1])
    log_probs = RNG.standard_normal(shape)
    labels = labels_for(shape, ours_opts.get("ignore_index"))
    run_both(
        lambda x: F.nll_loss(x, labels, reduction=reduction, **ours_opts),
        lambda x: TF.nll_loss(x, torch.tensor(labels), reduction=reduction, **theirs_opts),
        [log_probs],
        grad_of=[0],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label", [0, 3])
@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
def test_unbatched_class_scores_match_torch(loss, label, reduction):
    # PyTorch takes input (C,) with a 0-d target in both; nll_loss refused it here.
    scores = RNG.standard_normal(4)
    run_both(
        lambda x: getattr(F, loss)(x, np.array(label), reduction=reduction),
        lambda x: getattr(TF, loss)(x, torch.tensor(label), reduction=reduction),
        [scores],
        grad_of=[0],
    )


# ---------------------------------------------------------------------- elementwise losses
ELEMENTWISE = {
    "mse_loss": (F.mse_loss, TF.mse_loss, lambda shape: RNG.standard_normal(shape)),
    "l1_loss": (F.l1_loss, TF.l1_loss, lambda shape: RNG.standard_normal(shape)),
    "binary_cross_entropy": (
        F.binary_cross_entropy,
        TF.binary_cross_entropy,
        lambda shape: RNG.uniform(0.02, 0.98, shape),
    ),
    "binary_cross_entropy_with_logits": (
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        lambda shape: 4 * RNG.standard_normal(shape),
    ),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6,), (4, 3), (2, 3, 2)])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_losses_match_torch_with_target_gradients(name, shape, reduction):
    ours, theirs, inputs = ELEMENTWISE[name]
    run_both(
        lambda x, t: ours(x, t, reduction=reduction),
        lambda x, t: theirs(x, t, reduction=reduction),
        [inputs(shape), RNG.uniform(0, 1, shape)],
        grad_of=[0, 1],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_binary_losses_take_weight_and_pos_weight_like_torch(name, reduction):
    ours, theirs, inputs = ELEMENTWISE[name]
    weight = RNG.uniform(0.5, 2.0, (1, 3))
    options = {"weight": weight}
    if name.endswith("logits"):
        options["pos_weight"] = np.array([0.5, 1.0, 4.0])
    theirs_options = {k: torch.tensor(v) for k, v in options.items()}
    run_both(
        lambda x, t: ours(x, t, reduction=reduction, **options),
        lambda x, t: theirs(x, t, reduction=reduction, **theirs_options),
        [inputs((4, 3)), RNG.uniform(0, 1, (4, 3))],
        grad_of=[0, 1],
    )


def test_losses_are_finite_at_extreme_inputs_like_torch():
    probabilities = np.array([0.0, 1.0, 0.0, 1.0])
    labels = np.array([0.0, 1.0, 1.0, 0.0])
    run_both(F.binary_cross_entropy, TF.binary_cross_entropy, [probabilities, labels], [0])
    logits = np.array([[1e3, -1e3, 0.0], [-1e3, 1e3, 5.0]])
    run_both(
        F.binary_cross_entropy_with_logits,
        TF.binary_cross_entropy_with_logits,
        [logits, RNG.uniform(0, 1, logits.shape)],
        [0, 1],
    )
    run_both(lambda x: F.cross_entropy(x, np.array([1, 0])), TF_ce_labels([1, 0]), [logits], [0])


def TF_ce_labels(labels):  # noqa: N802 - reads as torch's function
    return lambda x: TF.cross_entropy(x, torch.tensor(labels))


# ---------------------------------------------------------------------- empty and ignored
@pytest.mark.parametrize(
    "ours, theirs, make",
    [
        (F.cross_entropy, TF.cross_entropy, lambda: (np.zeros((0, 3)), np.zeros(0, np.int64))),
        (F.cross_entropy, TF.cross_entropy, lambda: (np.zeros((0, 3)), np.zeros((0, 3)))),
        (F.nll_loss, TF.nll_loss, lambda: (np.zeros((0, 3)), np.zeros(0, np.int64))),
        (F.mse_loss, TF.mse_loss, lambda: (np.zeros((0, 2)), np.zeros((0, 2)))),
        (F.l1_loss, TF.l1_loss, lambda: (np.zeros(0), np.zeros(0))),
        (F.binary_cross_entropy, TF.binary_cross_entropy, lambda: (np.zeros(0), np.zeros(0))),
    ],
    ids=["cross_entropy labels", "cross_entropy probabilities", "nll", "mse", "l1", "bce"],
)
def test_an_empty_batch_gives_nan_with_mean_and_zero_with_sum(ours, theirs, make):
    x, t = make()
    theirs_t = torch.tensor(t)
    for reduction in REDUCTIONS:
        mine = ours(Tensor(x, requires_grad=True), t, reduction=reduction)
        their = theirs(torch.tensor(x, requires_grad=True), theirs_t, reduction=reduction)
        np.testing.assert_array_equal(mine.data, their.detach().numpy())
    mine = ours(Tensor(x, requires_grad=True), t)
    assert np.isnan(mine.item())


def test_every_target_ignored_gives_nan_as_torch():
    logits, labels = RNG.standard_normal((3, 4)), np.full(3, -100)
    assert np.isnan(F.cross_entropy(Tensor(logits), labels).item())
    assert np.isnan(TF.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item())


# ---------------------------------------------------------------------- modules
MODULES = [
    (nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss, {"label_smoothing": 0.1}, "labels"),
    (nn.NLLLoss, torch.nn.NLLLoss, {"ignore_index": 2}, "labels"),
    (nn.MSELoss, torch.nn.MSELoss, {}, "same"),
    (nn.L1Loss, torch.nn.L1Loss, {}, "same"),
    (nn.BCELoss, torch.nn.BCELoss, {}, "probabilities"),
    (nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, {}, "same"),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "ours, theirs, options, kind", MODULES, ids=[m[0].__name__ for m in MODULES]
)
def test_loss_modules_match_torchs(ours, theirs, options, kind, reduction):
    x = RNG.standard_normal((5, 3))
    if kind == "labels":
        target = RNG.integers(0, 3, 5)
    else:
        target = RNG.uniform(0, 1, (5, 3))
        x = 1 / (1 + np.exp(-x)) if kind == "probabilities" else x
    criterion, their_criterion = (
        ours(reduction=reduction, **options),
        theirs(reduction=reduction, **options),
    )
    run_both(
        lambda x: criterion(x, target), lambda x: their_criterion(x, torch.tensor(target)), [x], [0]
    )
    assert criterion.reduction == reduction and list(criterion.parameters()) == []


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: F.mse_loss(Tensor(np.ones(3)), np.ones(3), reduction="avg"), ValueError,
         r"mse_loss: reduction must be one of 'mean', 'sum', 'none', got 'avg'"),
        (lambda: nn.CrossEntropyLoss(reduction="mean "), ValueError, "reduction must be one of"),
        (lambda: F.mse_loss(Tensor(np.ones((2, 3))), np.ones((3, 2))), ValueError,
         r"target of shape \(3, 2\) does not match input of shape \(2, 3\)"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3))), np.array([0.5, 1.0])), TypeError,
         r"class-index targets must be integers, got dtype float64 of shape \(2,\).*astype"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3, 4))), np.zeros((2, 4))), TypeError,
         r"class-index targets must be integers.*probabilities of the input's shape"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3))), np.ones((2, 2))), ValueError,
         r"target of shape \(2, 2\) does not match input of shape \(2, 3\)"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3, 4))), np.zeros((2, 3), int)), ValueError,
         r"target of shape \(2, 3\) does not fit input of shape \(2, 3, 4\).*\(2, 4\)"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 3])), IndexError,
         r"class indices must lie in \[0, 3\).*0 to 3"),
        (lambda: F.nll_loss(Tensor(np.ones((2, 3))), np.array([0.0, 1.0])), TypeError,
         r"class-index targets must be integers, got dtype float64"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 1]), weight=np.ones(2)),
         ValueError, r"weight must have shape \(3,\)"),
        (lambda: F.cross_entropy(Tensor(np.ones((2, 3))), np.array([0, 1]), label_smoothing=2),
         ValueError, r"label_smoothing must be in \[0, 1\]"),
        (lambda: F.binary_cross_entropy(Tensor([0.5, 1.5]), np.ones(2)), ValueError,
         r"probabilities in \[0, 1\].*with_logits"),
        (lambda: F.l1_loss(Tensor(np.array([1, 2])), np.ones(2)), TypeError,
         "input must be floating point, got dtype int64"),
        (lambda: F.mse_loss(Tensor(np.ones(2)), np.array(["a", "b"])), TypeError,
         "target must be numeric"),
    ],
    ids=["reduction", "module reduction", "mse shapes", "float labels", "float labels 3-d",
         "probability shape", "index shape",
         "class range", "float indices", "weight shape", "smoothing", "bce range", "int input",
         "string target"],
)  # fmt: skip
def test_bad_arguments_are_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_losses_stay_float32_with_float64_targets_and_options(reduction):
    x = Tensor(RNG.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    p = Tensor(RNG.uniform(0.1, 0.9, (4, 3)).astype(np.float32), requires_grad=True)
    labels, soft, weight = np.array([0, 2, 1, 1]), RNG.uniform(0, 1, (4, 3)), np.ones(3)
    losses = [
        F.cross_entropy(x, labels, weight, reduction=reduction, label_smoothing=0.1),
        F.cross_entropy(x, soft, weight, reduction=reduction),
        F.nll_loss(x, labels, weight, reduction=reduction),
        F.mse_loss(x, soft, reduction=reduction),
        F.l1_loss(x, soft, reduction=reduction),
        F.binary_cross_entropy(p, soft, weight, reduction=reduction),
        F.binary_cross_entropy_with_logits(x, soft, weight, reduction, pos_weight=weight),
    ]
    assert [loss.dtype for loss in losses] == [np.float32] * len(losses)
    sum(loss.sum() for loss in losses).backward()
    assert x.grad.dtype == np.float32 and p.grad.dtype == np.float32
