"""Callbacks against Keras 3: the same scripted epochs (logs) drive Keras's callback and ours,
and they must stop, restore, schedule and log identically; then each runs inside our fit."""

from __future__ import annotations

import csv
import math
import os

import numpy as np
import pytest

from autograd import manual_seed
from nn import callbacks, layers, models


def _keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


class FakeOptimizer:
    """Ours keep the rate in param_groups (learning_rate reads it); Keras sets the attribute."""

    def __init__(self, lr: float) -> None:
        self.param_groups = [{"lr": lr}]
        self.defaults = {"lr": lr}

    @property
    def learning_rate(self) -> float:
        return self.param_groups[0]["lr"]

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.param_groups[0]["lr"] = value

    def read(self) -> float:
        return self.param_groups[0]["lr"]


class FakeModel:
    """What a callback sees of a model: weights tagged with the epoch they are from."""

    def __init__(self, lr: float = 0.1) -> None:
        self.stop_training = False
        self.epoch = -1
        self.restored: int | None = None
        self.optimizer = FakeOptimizer(lr)
        self.compiled_metrics = []

    def get_weights(self):
        return [np.array(self.epoch)]

    def set_weights(self, weights):
        self.restored = int(weights[0])


def drive(callback, values, key="val_loss", lr=0.1, ours=True):
    """Run epochs with the given monitored values; return what the callback did."""
    model = FakeModel(lr)
    callback.set_model(model)
    callback.on_train_begin({})
    stopped_at, lrs = None, []
    for epoch, value in enumerate(values):
        model.epoch = epoch
        callback.on_epoch_begin(epoch, {})
        lrs.append(model.optimizer.read() if ours else float(model.optimizer.learning_rate))
        callback.on_epoch_end(epoch, {key: value, "loss": value})
        if model.stop_training:
            stopped_at = epoch
            break
    callback.on_train_end({})
    return stopped_at, model.restored, lrs


SEQUENCES = [
    [1.0, 0.9, 0.95, 0.97, 0.8, 0.85, 0.86, 0.87, 0.88],
    [1.0, 1.0, 1.0, 1.0],
    [0.5, 0.4, 0.3, 0.2, 0.1],
    [1.0, 0.999, 0.998, 0.9, 0.95, 0.96],
    [2.0, 3.0, 4.0, 1.0, 5.0, 6.0, 7.0],
]


@pytest.mark.parametrize("values", SEQUENCES)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"patience": 0},
        {"patience": 2},
        {"patience": 1, "min_delta": 0.01},
        {"patience": 2, "restore_best_weights": True},
        {"patience": 1, "restore_best_weights": True, "baseline": 0.95},
        {"patience": 3, "start_from_epoch": 2, "restore_best_weights": True},
        {"patience": 1, "mode": "max"},
    ],
)
def test_early_stopping_stops_and_restores_as_keras_does(values, kwargs):
    keras = _keras()
    theirs = drive(keras.callbacks.EarlyStopping(**kwargs), values, ours=False)
    ours = drive(callbacks.EarlyStopping(**kwargs), values)
    assert ours[:2] == theirs[:2]


@pytest.mark.parametrize("values", SEQUENCES + [[1.0] * 12, [1.0, 0.99995, 0.9999, 0.9] * 3])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"patience": 1},
        {"patience": 2, "factor": 0.5, "cooldown": 1},
        {"patience": 0, "factor": 0.2, "min_lr": 0.01},
        {"patience": 1, "min_delta": 0.05, "mode": "min"},
    ],
)
def test_reduce_lr_on_plateau_gives_keras_learning_rates(values, kwargs):
    keras = _keras()
    theirs = drive(keras.callbacks.ReduceLROnPlateau(**kwargs), values, ours=False)
    ours = drive(callbacks.ReduceLROnPlateau(**kwargs), values)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)


@pytest.mark.parametrize(
    "schedule",
    [
        lambda epoch, lr: lr * 0.5 if epoch >= 2 else lr,
        lambda epoch: 0.1 / (1 + epoch),
        lambda epoch, lr: lr * math.exp(-0.1),
    ],
)
def test_learning_rate_scheduler_gives_keras_learning_rates(schedule):
    keras = _keras()
    values = [1.0] * 6
    theirs = drive(keras.callbacks.LearningRateScheduler(schedule), values, ours=False)
    ours = drive(callbacks.LearningRateScheduler(schedule), values)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-6)


@pytest.mark.parametrize("append", [False, True])
def test_csv_logger_writes_keras_rows(tmp_path, append):
    keras = _keras()
    rows = [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.25, "accuracy": 0.875}]
    files = []
    for module, name in [(keras.callbacks, "keras.csv"), (callbacks, "ours.csv")]:
        path = tmp_path / name
        for _ in range(2 if append else 1):
            logger = module.CSVLogger(str(path), append=append)
            logger.set_model(FakeModel())
            logger.on_train_begin({})
            for epoch, logs in enumerate(rows):
                logger.on_epoch_end(epoch, dict(logs))
            logger.on_train_end({})
        files.append(path.read_bytes())
    assert files[0] == files[1]


# ---------------------------------------------------------------------- inside our fit
def overfitting_problem(seed: int = 0):
    """Few noisy samples and a big model: validation loss falls, then rises."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60, 10)).astype(np.float32)
    y = ((x[:, 0] + rng.normal(scale=1.5, size=60)) > 0).astype(np.float32)
    return x[:30], y[:30], x[30:], y[30:]


def binary_model(seed: int = 0) -> models.Sequential:
    manual_seed(seed)
    model = models.Sequential(
        [
            layers.Input(shape=(10,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_early_stopping_in_fit_stops_patience_epochs_after_the_best_and_restores_it():
    x, y, xv, yv = overfitting_problem()
    model = binary_model()
    snapshots = []
    keep = callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: snapshots.append(model.get_weights())
    )
    stop = callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    history = model.fit(
        x, y, epochs=200, batch_size=10, validation_data=(xv, yv), callbacks=[keep, stop], verbose=0
    )
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert len(val) < 200 and stop.stopped_epoch == len(val) - 1 == best + 3
    assert stop.best_epoch == best
    for restored, saved in zip(model.get_weights(), snapshots[best], strict=True):
        np.testing.assert_array_equal(restored, saved)


def test_model_checkpoint_formats_names_and_saves_only_improvements(tmp_path):
    x, y, xv, yv = overfitting_problem()
    model = binary_model()
    pattern = str(tmp_path / "m-{epoch:02d}-{val_loss:.3f}.npz")
    check = callbacks.ModelCheckpoint(pattern, save_best_only=True, save_weights_only=True)
    history = model.fit(
        x, y, epochs=15, batch_size=10, validation_data=(xv, yv), callbacks=[check], verbose=0
    )
    val = history.history["val_loss"]
    improved = [e for e, v in enumerate(val) if v < min(val[:e], default=np.inf)]
    expected = sorted(f"m-{e + 1:02d}-{val[e]:.3f}.npz" for e in improved)
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert expected[-1].startswith(f"m-{int(np.argmin(val)) + 1:02d}")  # the last is the best
    binary_model(seed=5).load_weights(tmp_path / expected[-1])


def test_model_checkpoint_names_a_missing_placeholder(tmp_path):
    x, y, _, _ = overfitting_problem()
    check = callbacks.ModelCheckpoint(str(tmp_path / "{val_auc}.npz"), save_weights_only=True)
    with pytest.raises(KeyError, match="val_auc"):
        binary_model().fit(x, y, epochs=1, callbacks=[check], verbose=0)


def test_terminate_on_nan_stops_at_the_first_nan_batch():
    x, y, _, _ = overfitting_problem()
    x = x.copy()
    x[7, 0] = np.nan
    model = binary_model()
    batches = []
    record = callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: batches.append(b))
    history = model.fit(
        x,
        y,
        epochs=5,
        batch_size=5,
        shuffle=False,
        callbacks=[record, callbacks.TerminateOnNaN()],
        verbose=0,
    )
    assert batches == [0, 1] and len(history.epoch) == 1


def test_lambda_callback_sees_every_hook_in_keras_order():
    x, y, _, _ = overfitting_problem()
    events = []
    hooks = {
        name: (lambda *args, name=name: events.append(name))
        for name in [
            "on_train_begin",
            "on_epoch_begin",
            "on_train_batch_begin",
            "on_train_batch_end",
            "on_epoch_end",
            "on_train_end",
        ]
    }
    binary_model().fit(
        x, y, epochs=2, batch_size=15, callbacks=[callbacks.LambdaCallback(**hooks)], verbose=0
    )
    epoch = ["on_epoch_begin"] + ["on_train_batch_begin", "on_train_batch_end"] * 2
    assert events == ["on_train_begin"] + (epoch + ["on_epoch_end"]) * 2 + ["on_train_end"]


def test_learning_rate_scheduler_sets_the_optimizers_rate_and_logs_it():
    x, y, _, _ = overfitting_problem()
    model = binary_model()
    schedule = callbacks.LearningRateScheduler(lambda epoch, lr: 0.01 * 0.5**epoch)
    history = model.fit(x, y, epochs=3, callbacks=[schedule], verbose=0)
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.005, 0.0025])
    assert model.optimizer.param_groups[0]["lr"] == pytest.approx(0.0025)


def test_csv_logger_in_fit_writes_one_row_per_epoch_with_sorted_keys(tmp_path):
    x, y, xv, yv = overfitting_problem()
    path = tmp_path / "log.csv"
    history = binary_model().fit(
        x,
        y,
        epochs=3,
        validation_data=(xv, yv),
        callbacks=[callbacks.CSVLogger(str(path))],
        verbose=0,
    )
    rows = list(csv.DictReader(path.open()))
    assert list(rows[0]) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert [float(r["val_loss"]) for r in rows] == pytest.approx(history.history["val_loss"])


def test_early_stopping_on_an_unknown_direction_asks_for_mode():
    stop = callbacks.EarlyStopping(monitor="custom", patience=0)
    stop.set_model(binary_model())
    stop.on_train_begin({})
    with pytest.raises(ValueError, match="mode='max'"):
        stop.on_epoch_end(0, {"custom": 1.0})


@pytest.mark.parametrize(
    "filepath, weights_only",
    [("m.txt", False), ("m.npz", False), ("m.h5", False), ("m.keras", True), ("m", True)],
)
def test_model_checkpoint_refuses_a_suffix_it_cannot_save_at_construction(
    tmp_path, filepath, weights_only
):
    # Keras refuses these in the constructor; here they failed only after the first epoch.
    with pytest.raises(ValueError, match=r"ModelCheckpoint: filepath .* must end in"):
        callbacks.ModelCheckpoint(str(tmp_path / filepath), save_weights_only=weights_only)


def _batch_recorders(base):
    """A subclass overriding Keras's alias hooks, and the same as a LambdaCallback."""

    class Recorder(base):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_batch_begin(self, batch, logs=None):
            self.seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            self.seen.append(("end", batch))

    return Recorder


@pytest.mark.parametrize("form", ["subclass", "lambda"])
def test_on_batch_begin_and_end_are_called_as_keras_aliases(form):
    # A Callback overriding on_batch_end was silently never called (Keras calls it for every
    # training batch), and LambdaCallback(on_batch_end=...) was refused.
    keras = _keras()

    def run(module, model):
        if form == "subclass":
            callback = _batch_recorders(module.Callback)()
            seen = callback.seen
        else:
            seen = []
            callback = module.LambdaCallback(
                on_batch_begin=lambda batch, logs: seen.append(("begin", batch)),
                on_batch_end=lambda batch, logs: seen.append(("end", batch)),
            )
        x = np.ones((40, 3), np.float32)
        model.compile(optimizer="sgd", loss="mse")
        model.fit(x, np.ones(40), epochs=2, batch_size=16, verbose=0, callbacks=[callback])
        return seen

    ours = run(callbacks, models.Sequential([layers.Input(shape=(3,)), layers.Dense(1)]))
    theirs = run(
        keras.callbacks, keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    )
    assert ours == theirs and len(ours) == 12


@pytest.mark.parametrize(
    "pattern, error",
    [("{val_auc}.keras", KeyError), ("{loss:02d}.keras", ValueError), ("{0}.keras", ValueError)],
)
def test_a_checkpoint_path_that_cannot_be_filled_names_the_filepath(tmp_path, pattern, error):
    # A bad format spec raised numpy/str's bare "Unknown format code 'd'".
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    check = callbacks.ModelCheckpoint(str(tmp_path / pattern))
    with pytest.raises(error, match=r"ModelCheckpoint: filepath .* cannot be filled"):
        model.fit(np.ones((4, 3)), np.ones(4), epochs=1, verbose=0, callbacks=[check])
