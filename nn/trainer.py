"""The Keras training face — ``compile / fit / evaluate / predict / train_step / test_step`` —
kept apart from model structure, as Keras keeps ``Trainer`` apart from ``Sequential``.

Any Module can mix it in (``models.Model`` does, so ``Sequential`` and a subclassed
``Model`` with ``call(x)`` both train). ``fit`` trains exactly what ``self(x)`` computes: it
never looks inside the model. The stable softmax + crossentropy form is chosen by the loss
(``nn.losses``), from the logits a softmax output remembers.

Where it deviates from Keras: ``train_step(x, y, sample_weight)`` takes arrays and returns
``(loss, y_pred)`` (Keras's takes a ``data`` tuple and returns logs; a tuple is accepted too);
metrics are updated by ``fit`` from ``y_pred``, so an override needs to compute only the loss.
``compile(metrics='accuracy')`` is accepted as ``['accuracy']`` (Keras asks for a list).
``predict`` is quiet by default (``verbose=0``; Keras shows a bar). Losses over 0 samples are
NaN, as PyTorch's mean (Keras's divide-no-NaN gives 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import optim
from autograd import Tensor, no_grad

from . import losses as losses_module
from . import metrics as metrics_module
from .callbacks import Callback, CallbackList, History
from .data import Batches
from .training import Progress, check_arrays, check_batch_size, check_count, check_input


class Trainer:
    """Mixed into ``models.Model``; needs ``__call__``, ``parameters()``, ``modules()`` and
    ``train()``/``eval()`` from Module."""

    optimizer: optim.Optimizer | None = None
    loss: Callable[..., Tensor] | None = None
    compiled_metrics: list[metrics_module.Metric] = []
    _metric_weighted: list[bool] = []
    stop_training: bool = False

    def compile(
        self,
        optimizer: str | optim.Optimizer = "rmsprop",
        loss: str | Callable[..., Tensor] | None = None,
        metrics: list[str | Callable] | str | None = None,
        weighted_metrics: list[str | Callable] | str | None = None,
    ) -> None:
        """Choose the optimizer, the loss and the metrics of ``fit`` and ``evaluate``.

        ``loss``: a Keras name ('categorical_crossentropy', 'mse', ...), a ``nn.losses`` object
        or any callable ``loss(y_true, y_pred)`` (Keras's order). ``metrics``: a list of names
        ('accuracy', 'mae', 'precision', ...), ``nn.metrics`` objects or callables. As in Keras
        3, ``sample_weight``/``class_weight`` weight the loss and ``weighted_metrics`` only;
        ``metrics`` stay unweighted (a name in both gets ``weighted_`` in front, as Keras).

        Raises:
            ValueError: no loss, or an unknown loss, metric or optimizer name.
            TypeError: a metric that is neither a name nor a callable.
        """
        if loss is None:
            raise ValueError("compile: give a loss, e.g. loss='categorical_crossentropy'")
        self.optimizer = optim.get(optimizer)
        self.loss = losses_module.get(loss)
        plain = _metric_list(metrics, "metrics")
        weighted = _metric_list(weighted_metrics, "weighted_metrics")
        taken = {metric.name for metric in plain}
        for metric in weighted:
            if metric.name in taken:
                metric.name = f"weighted_{metric.name}"
        self.compiled_metrics = plain + weighted
        self._metric_weighted = [False] * len(plain) + [True] * len(weighted)
        if self.built:
            self._bind_optimizer()

    @property
    def metrics_names(self) -> list[str]:
        return ["loss"] + [metric.name for metric in self.compiled_metrics]

    def _bind_optimizer(self) -> None:
        if not self.optimizer.param_groups:
            self.optimizer.add_param_group({"params": list(self.parameters())})

    def _require_compiled(self, method: str) -> None:
        if self.optimizer is None or self.loss is None:
            raise RuntimeError(
                f"{method}: the model must be compiled first, e.g. model.compile(optimizer="
                "'rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])"
            )

    def _as_input(self, x: np.ndarray) -> np.ndarray:
        """x in the weights' dtype (float32 unless built otherwise), as Keras converts inputs:
        uint8 or float64 data would otherwise run the whole step in another dtype."""
        first = next(self.parameters(), None)
        dtype = first.dtype if first is not None else np.dtype(np.float32)
        return x if x.dtype == dtype else x.astype(dtype)

    def _build_on(self, x: np.ndarray) -> None:
        if not self.built:
            with no_grad():
                self(Tensor(self._as_input(x[:1])))

    # ------------------------------------------------------------------ one step
    def regularization_loss(self) -> Tensor | None:
        """The sum of every layer's weight penalty (``kernel_regularizer``), or None."""
        total = None
        for module in self.modules():
            regularizer = getattr(module, "kernel_regularizer", None)
            if regularizer is not None and getattr(module, "kernel", None) is not None:
                penalty = regularizer(module.kernel)
                total = penalty if total is None else total + penalty
        return total

    def compute_loss(
        self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None
    ) -> Tensor:
        """The compiled loss (plus weight penalties, as Keras adds them) as a Tensor with its
        graph, ready for ``backward()`` or ``autograd.draw``; ``y_pred`` defaults to ``self(x)``."""
        self._require_compiled("compute_loss")
        if y_pred is None:
            y_pred = self(x if isinstance(x, Tensor) else Tensor(self._as_input(np.asarray(x))))
        loss = self.loss(y, y_pred, sample_weight)
        penalty = self.regularization_loss()
        return loss if penalty is None else loss + penalty

    def train_step(
        self, x: Any, y: Any = None, sample_weight: Any = None
    ) -> tuple[float, np.ndarray]:
        """One optimizer update on a batch; returns the loss and the batch's outputs."""
        if y is None and isinstance(x, tuple):
            x, y, sample_weight = (*x, None)[:3]
        y_pred = self(Tensor(x))
        loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.item(), y_pred.data

    def test_step(
        self, x: Any, y: Any = None, sample_weight: Any = None
    ) -> tuple[float, np.ndarray]:
        """The loss and outputs on a batch, without recording a graph."""
        if y is None and isinstance(x, tuple):
            x, y, sample_weight = (*x, None)[:3]
        with no_grad():
            y_pred = self(Tensor(x))
            loss = self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)
        return loss.item(), y_pred.data

    def predict_step(self, x: np.ndarray) -> np.ndarray:
        with no_grad():
            return self(Tensor(x)).data

    # ------------------------------------------------------------------ epochs
    def _reset_metrics(self) -> None:
        self._loss_total, self._loss_count = 0.0, 0
        for metric in self.compiled_metrics:
            metric.reset_state()

    def _update_metrics(self, loss: float, y: Any, y_pred: Any, weight: Any) -> None:
        self._loss_total += loss * len(y_pred)  # Keras's loss tracker: weighted by batch size
        self._loss_count += len(y_pred)
        for metric, weighted in zip(self.compiled_metrics, self._metric_weighted, strict=True):
            metric.update_state(y, y_pred, weight if weighted else None)

    def _metric_results(self) -> dict[str, float]:
        loss = self._loss_total / self._loss_count if self._loss_count else float("nan")
        return {"loss": loss, **{m.name: m.result() for m in self.compiled_metrics}}

    def _run_epoch(self, batches: Batches, callbacks: CallbackList, progress: Progress) -> None:
        self._reset_metrics()
        per_batch = callbacks.wants_batches
        for index, batch in enumerate(batches):
            if per_batch:
                callbacks.call("on_train_batch_begin", index, {})
            loss, y_pred = self.train_step(*batch)
            self._update_metrics(loss, batch[1], y_pred, batch[2] if len(batch) > 2 else None)
            progress.step(self._metric_results)
            if per_batch:
                callbacks.call(
                    "on_train_batch_end", index, {**self._metric_results(), "loss": loss}
                )
            if self.stop_training:
                break

    def fit(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        epochs: int = 1,
        verbose: int = 1,
        callbacks: list[Callback] | None = None,
        validation_split: float = 0.0,
        validation_data: tuple[Any, ...] | None = None,
        shuffle: bool = True,
        class_weight: dict[int, float] | None = None,
        sample_weight: Any = None,
        initial_epoch: int = 0,
    ) -> History:
        """Train for epochs ``initial_epoch .. epochs - 1`` over (x, y) in mini-batches
        (reshuffled every epoch when ``shuffle``; the last batch is the remainder), as Keras's
        ``fit``. ``class_weight`` ({class: weight}) and ``sample_weight`` (n,) weight each
        sample's loss. Returns the History (also ``model.history``). Raises RuntimeError when
        not compiled, ValueError for mismatched lengths, a bad split or no samples."""
        self._require_compiled("fit")
        batch_size = check_batch_size(batch_size, "fit")
        epochs = check_count(epochs, "fit", "epochs", 0)
        initial_epoch = check_count(initial_epoch, "fit", "initial_epoch", 0)
        x, y = check_arrays(x, y, "fit")
        weights = _sample_weights(y, sample_weight, class_weight, len(x), "fit")
        x, y, weights, validation_data = _split(
            self._as_input(x), y, weights, validation_split, validation_data
        )
        self._build_on(x)
        self._bind_optimizer()
        batches = Batches(x, y, batch_size, shuffle, reuse_buffer=True, sample_weight=weights)
        history = History()
        history.params = dict(epochs=epochs, steps=len(batches), batch_size=batch_size)
        callbacks = self._callback_list(callbacks, history)
        progress = Progress(verbose, epochs, len(batches))
        self.stop_training = False
        callbacks.call("on_train_begin", {})
        logs: dict[str, float] = {}
        self.train()
        for epoch in range(initial_epoch, epochs):
            callbacks.call("on_epoch_begin", epoch, {})
            progress.start_epoch(epoch)
            logs = self._fit_epoch(batches, callbacks, progress, validation_data)
            progress.end_epoch(logs)
            callbacks.call("on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        callbacks.call("on_train_end", logs)
        return history

    def _callback_list(self, callbacks: Any, history: History) -> CallbackList:
        # History last, as Keras: it records what earlier callbacks add (learning_rate).
        if isinstance(callbacks, Callback):  # Keras flattens what it is given: one is fine
            callbacks = [callbacks]
        return CallbackList([*(callbacks or []), history], self, history.params)

    def _fit_epoch(
        self, batches: Batches, callbacks: CallbackList, progress: Progress, validation: Any
    ) -> dict[str, float]:
        self._run_epoch(batches, callbacks, progress)
        logs = self._metric_results()
        if validation is not None:
            values = self._evaluate_arrays(*validation, batch_size=batches.batch_size)
            logs.update({f"val_{name}": value for name, value in values.items()})
        return logs

    def _evaluate_arrays(
        self, x: Any, y: Any, sample_weight: Any = None, batch_size: int = 32, verbose: int = 0
    ) -> dict[str, float]:
        batch_size = check_batch_size(batch_size, "evaluate")
        x, y = check_arrays(x, y, "evaluate")
        sample_weight = _sample_weights(y, sample_weight, None, len(x), "evaluate")
        batches = Batches(self._as_input(x), y, batch_size, False, sample_weight=sample_weight)
        progress = Progress(verbose, 1, len(batches), label="Evaluate")
        progress.start_epoch(0)
        was_training = self.training
        self.eval()
        self._reset_metrics()
        try:
            for batch in batches:
                loss, y_pred = self.test_step(*batch)
                self._update_metrics(loss, batch[1], y_pred, batch[2] if len(batch) > 2 else None)
                progress.step(self._metric_results)
        finally:
            self.train(was_training)
        logs = self._metric_results()
        progress.end_epoch(logs)
        return logs

    def evaluate(
        self,
        x: Any,
        y: Any,
        batch_size: int = 32,
        verbose: int = 1,
        sample_weight: Any = None,
        return_dict: bool = False,
    ) -> float | list[float] | dict[str, float]:
        """Loss and metrics on (x, y): ``[loss, accuracy]``, the loss alone without metrics, or
        ``{'loss': ..., 'accuracy': ...}`` with ``return_dict=True`` (as Keras)."""
        self._require_compiled("evaluate")
        logs = self._evaluate_arrays(x, y, sample_weight, batch_size, verbose)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x: Any, batch_size: int = 32, verbose: int = 0) -> np.ndarray:
        """The model's outputs for x as one numpy array, computed in batches in eval mode
        (Dropout off); works on an uncompiled model. 0 samples give shape (0, *output)."""
        x = self._as_input(check_input(x, "predict"))
        batch_size = check_batch_size(batch_size, "predict")
        progress = Progress(verbose, 1, max(1, -(-len(x) // batch_size)), label="Predict")
        progress.start_epoch(0)
        was_training = self.training
        self.eval()
        try:
            # range(..., max(len(x), 1)) runs one empty batch for 0 samples: its output has the
            # model's output shape (0, n_out), which no shape arithmetic here need guess.
            outputs = []
            for start in range(0, max(len(x), 1), batch_size):
                outputs.append(self.predict_step(x[start : start + batch_size]))
                progress.step(lambda: {})
        finally:
            self.train(was_training)
        progress.end_epoch({})
        return np.concatenate(outputs)


def _metric_list(metrics: Any, argument: str) -> list[metrics_module.Metric]:
    if isinstance(metrics, (str, metrics_module.Metric)) or callable(metrics):
        metrics = [metrics]
    if metrics is not None and not isinstance(metrics, (list, tuple)):
        raise TypeError(f"compile: {argument} must be a list such as ['accuracy'], got {metrics!r}")
    return [metrics_module.get(metric) for metric in metrics or []]


def _sample_weights(
    y: np.ndarray, sample_weight: Any, class_weight: Any, n: int, where: str
) -> Any:
    """Per-sample weights from ``sample_weight`` and/or ``class_weight`` (Keras: the class of a
    one-hot row is its argmax), or None."""
    weights = None
    if sample_weight is not None:
        given = check_input(sample_weight, where, "sample_weight")
        if given.shape not in ((n,), (n, 1)):
            raise ValueError(
                f"{where}: sample_weight must have shape ({n},) (one weight per sample), got "
                f"{given.shape}"
            )
        weights = given.astype(np.float32).reshape(n)
    if class_weight is not None:
        if not isinstance(class_weight, dict):
            raise TypeError(
                f"fit: class_weight must be a dict {{class: weight}}, got {class_weight!r}"
            )
        labels = y.argmax(axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(n)
        labels = np.round(labels).astype(np.int64)
        missing = sorted(set(np.unique(labels).tolist()) - set(class_weight))
        if missing:
            raise ValueError(f"fit: class_weight has no weight for classes {missing}")
        table = np.array([class_weight[int(c)] for c in labels], dtype=np.float32)
        weights = table if weights is None else weights * table
    return weights


def _split(x, y, sample_weight, validation_split, validation_data):
    """Keras's validation_split: the *last* samples, held out before any shuffling."""
    if not 0 <= validation_split < 1:
        raise ValueError(f"fit: validation_split must be in [0, 1), got {validation_split}")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(
                "fit: validation_data must be (x_val, y_val) or (x_val, y_val, weights)"
            )
        return x, y, sample_weight, tuple(validation_data)
    if not validation_split:
        return x, y, sample_weight, None
    split = int(len(x) * (1 - validation_split))
    if split == 0 or split == len(x):
        raise ValueError(f"fit: validation_split={validation_split} leaves no samples")
    held_weight = None if sample_weight is None else sample_weight[split:]
    kept_weight = None if sample_weight is None else sample_weight[:split]
    return x[:split], y[:split], kept_weight, (x[split:], y[split:], held_weight)
