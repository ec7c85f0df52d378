"""Keras 3's ``compile_config`` in a ``.keras`` file: the optimizer, loss and metrics given to
``compile``, so that ``load_model`` returns a compiled model, as ``keras.models.load_model``
does (``compile=True``), and ``evaluate`` or ``fit`` work on it at once.

What is kept: the optimizer's class and hyper-parameters (not its moments: training resumes
with a fresh optimizer state, where Keras also restores the optimizer's variables), the loss
by Keras name or class, and the metric names. A model compiled with something a Keras file
cannot name (a custom loss, metric or optimizer) is saved without a ``compile_config``, as an
uncompiled Keras model is; a file whose ``compile_config`` we cannot read loads uncompiled
with a warning naming what was not understood.
"""

from __future__ import annotations

import warnings
from typing import Any

import optim

from . import losses, metrics

# Our optimizer classes, the Keras class names they share, and the arguments both take.
_OPTIMIZER_ARGS = {
    "SGD": ("momentum", "nesterov"),
    "RMSprop": ("rho", "epsilon", "momentum", "centered"),
    "Adam": ("beta_1", "beta_2", "epsilon"),
}
_LOSS_CLASSES = {
    cls.__name__: cls
    for cls in (
        losses.CategoricalCrossentropy,
        losses.SparseCategoricalCrossentropy,
        losses.BinaryCrossentropy,
        losses.MeanSquaredError,
        losses.MeanAbsoluteError,
    )
}


def _optimizer_config(optimizer: Any) -> dict[str, Any] | None:
    kind = type(optimizer).__name__
    if kind not in _OPTIMIZER_ARGS:
        return None
    group = optimizer.param_groups[0] if optimizer.param_groups else optimizer.defaults
    config = {"name": kind.lower(), "learning_rate": float(group["lr"])}
    config.update({key: group[key] for key in _OPTIMIZER_ARGS[kind]})
    return {"module": "keras.optimizers", "class_name": kind, "config": config,
            "registered_name": None}  # fmt: skip


def _loss_config(loss: Any) -> str | dict[str, Any] | None:
    kind = type(loss).__name__
    if kind not in _LOSS_CLASSES:
        return None  # a callable of the user's: Keras could not rebuild it
    if not any(loss.kwargs.values()):
        return loss.name
    return {"module": "keras.losses", "class_name": kind, "config": loss.get_config(),
            "registered_name": None}  # fmt: skip


def compile_config(model: Any) -> dict[str, Any] | None:
    """The ``compile_config`` entry of config.json, or None (not compiled, or not nameable)."""
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        return None
    plain, weighted = [], []
    for metric, is_weighted in zip(model.compiled_metrics, model._metric_weighted, strict=True):
        name = metric.name.removeprefix("weighted_") if is_weighted else metric.name
        if name not in metrics.NAMES:
            return None
        (weighted if is_weighted else plain).append(name)
    optimizer, loss = _optimizer_config(model.optimizer), _loss_config(model.loss)
    if optimizer is None or loss is None:
        return None
    return {"optimizer": optimizer, "loss": loss, "loss_weights": None,
            "metrics": plain or None, "weighted_metrics": weighted or None,
            "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}  # fmt: skip


def _optimizer_from(config: Any) -> optim.Optimizer:
    if isinstance(config, str):
        return optim.get(config)
    kind, options = config["class_name"], config.get("config", {})
    if kind not in _OPTIMIZER_ARGS:
        raise ValueError(f"optimizer {kind!r} is not one we have")
    keep = {key: options[key] for key in _OPTIMIZER_ARGS[kind] if key in options}
    return optim.get(kind, learning_rate=float(options["learning_rate"]), **keep)


def _loss_from(config: Any) -> Any:
    if isinstance(config, str):
        return losses.get(config)
    kind, options = config["class_name"], config.get("config", {})
    if kind not in _LOSS_CLASSES:
        raise ValueError(f"loss {kind!r} is not one we have")
    from_logits = {"from_logits": options["from_logits"]} if "from_logits" in options else {}
    return _LOSS_CLASSES[kind](**from_logits)


def compile_from_config(model: Any, config: Any, source: str) -> None:
    """Compile ``model`` as ``config`` says; warn (and leave it uncompiled) if we cannot."""
    if not config:
        return
    try:
        model.compile(
            optimizer=_optimizer_from(config["optimizer"]),
            loss=_loss_from(config["loss"]),
            metrics=config.get("metrics"),
            weighted_metrics=config.get("weighted_metrics"),
        )
    except (KeyError, TypeError, ValueError) as error:
        warnings.warn(
            f"load_model: {source}: the model is not compiled (its compile_config could not be "
            f"restored: {error}); call model.compile(...) before fit or evaluate",
            UserWarning,
            stacklevel=3,
        )
