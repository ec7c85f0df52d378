"""Losses, metrics and regularizers by Keras's names, compared value for value with
keras.losses / keras.metrics / keras.regularizers (torch backend)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from autograd import Tensor, manual_seed
from nn import layers, losses, metrics, models, regularizers


def _keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


def _np(value) -> np.ndarray:
    return np.asarray(value.detach().cpu().numpy() if hasattr(value, "detach") else value)


RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(7, 4)).astype(np.float32) * 3
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True)
LABELS = np.array([0, 3, 1, 2, 2, 0, 1])
ONE_HOT = np.eye(4, dtype=np.float32)[LABELS]
BIN_P = RNG.uniform(0.01, 0.99, size=(7, 1)).astype(np.float32)
BIN_Y = np.array([1, 0, 1, 1, 0, 0, 1], np.float32)


@pytest.mark.parametrize(
    "name, y_true, y_pred, kwargs",
    [
        ("categorical_crossentropy", ONE_HOT, PROBS, {}),
        ("categorical_crossentropy", ONE_HOT, LOGITS, {"from_logits": True}),
        ("sparse_categorical_crossentropy", LABELS, PROBS, {}),
        ("sparse_categorical_crossentropy", LABELS, LOGITS, {"from_logits": True}),
        ("binary_crossentropy", BIN_Y.reshape(7, 1), BIN_P, {}),
        (
            "binary_crossentropy",
            BIN_Y.reshape(7, 1),
            np.log(BIN_P / (1 - BIN_P)),
            {"from_logits": True},
        ),
        ("mean_squared_error", PROBS, ONE_HOT, {}),
        ("mean_absolute_error", PROBS, ONE_HOT, {}),
    ],
)
def test_per_sample_losses_match_keras(name, y_true, y_pred, kwargs):
    keras = _keras()
    expected = _np(getattr(keras.losses, name)(y_true, y_pred, **kwargs))
    ours = getattr(losses, name)(y_true, Tensor(y_pred), **kwargs)
    np.testing.assert_allclose(ours.data, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "mse", "mae"])
@pytest.mark.parametrize("weights", [None, np.array([1, 2, 0, 1, 1, 0.5, 3], np.float32)])
def test_labels_of_shape_n_against_outputs_of_shape_n_1_match_keras(name, weights):
    keras = _keras()
    objects = {
        "binary_crossentropy": keras.losses.BinaryCrossentropy,
        "mse": keras.losses.MeanSquaredError,
        "mae": keras.losses.MeanAbsoluteError,
    }
    expected = float(_np(objects[name]()(BIN_Y, BIN_P, sample_weight=weights)))
    ours = losses.get(name)(BIN_Y, Tensor(BIN_P), sample_weight=weights).item()
    assert ours == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize(
    "name",
    [
        "mse",
        "mae",
        "mean_squared_error",
        "binary_crossentropy",
        "categorical_crossentropy",
        "sparse_categorical_crossentropy",
    ],
)
def test_every_keras_loss_name_resolves(name):
    assert isinstance(losses.get(name), losses.Loss)


@pytest.mark.parametrize(
    "name, y_true, y_pred",
    [
        ("accuracy", ONE_HOT, PROBS),
        ("accuracy", LABELS, PROBS),
        ("accuracy", BIN_Y, BIN_P),
        ("binary_accuracy", BIN_Y.reshape(7, 1), BIN_P),
        ("categorical_accuracy", ONE_HOT, PROBS),
        ("sparse_categorical_accuracy", LABELS, PROBS),
        ("top_k_categorical_accuracy", ONE_HOT, PROBS),
        ("mae", PROBS, ONE_HOT),
        ("mse", PROBS, ONE_HOT),
        ("precision", BIN_Y.reshape(7, 1), BIN_P),
        ("recall", BIN_Y.reshape(7, 1), BIN_P),
    ],
)
def test_metrics_over_two_batches_match_keras(name, y_true, y_pred):
    keras = _keras()
    classes = {
        "accuracy": None,
        "binary_accuracy": keras.metrics.BinaryAccuracy,
        "categorical_accuracy": keras.metrics.CategoricalAccuracy,
        "sparse_categorical_accuracy": keras.metrics.SparseCategoricalAccuracy,
        "top_k_categorical_accuracy": lambda: keras.metrics.TopKCategoricalAccuracy(k=2),
        "mae": keras.metrics.MeanAbsoluteError,
        "mse": keras.metrics.MeanSquaredError,
        "precision": keras.metrics.Precision,
        "recall": keras.metrics.Recall,
    }
    if name == "accuracy":  # Keras's compile picks the kind from the loss; the shapes say it here
        kind = (
            "binary"
            if y_pred.shape[-1] == 1
            else "categorical"
            if y_true.shape == y_pred.shape
            else "sparse_categorical"
        )
        theirs = keras.metrics.get(f"{kind}_accuracy")
        expected = float(np.mean(_np(theirs(y_true, y_pred))))
    else:
        metric = classes[name]()
        for part in (slice(0, 3), slice(3, 7)):
            metric.update_state(y_true[part], y_pred[part])
        expected = float(_np(metric.result()))
    ours = metrics.get(name)
    if name == "top_k_categorical_accuracy":
        ours = metrics.MeanMetricWrapper(metrics.top_k_categorical_accuracy, name, k=2)
    for part in (slice(0, 3), slice(3, 7)):
        ours.update_state(y_true[part], y_pred[part])
    assert ours.result() == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("factory, key", [(regularizers.l2, "l2"), (regularizers.l1, "l1")])
@pytest.mark.parametrize("strength", [0.01, 0.5])
def test_regularizers_match_keras(factory, key, strength):
    keras = _keras()
    w = RNG.normal(size=(3, 4)).astype(np.float32)
    expected = float(_np(getattr(keras.regularizers, key)(strength)(w)))
    assert factory(strength)(Tensor(w)).item() == pytest.approx(expected, rel=1e-5)


def test_the_penalty_is_in_the_reported_loss_as_keras_reports_it():
    keras = _keras()
    manual_seed(0)
    ours = models.Sequential(
        [layers.Input(shape=(4,)), layers.Dense(3, kernel_regularizer=regularizers.l2(0.1))]
    )
    ours.compile(optimizer="sgd", loss="mse")
    theirs = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(3, kernel_regularizer=keras.regularizers.l2(0.1)),
        ]
    )
    theirs.compile(optimizer="sgd", loss="mse")
    theirs.set_weights(ours.get_weights())
    x, y = RNG.normal(size=(8, 4)).astype(np.float32), RNG.normal(size=(8, 3)).astype(np.float32)
    expected = theirs.evaluate(x, y, verbose=0)
    assert ours.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-5)
    data_only = losses.mse(y, Tensor(ours.predict(x))).data.mean()
    assert ours.evaluate(x, y, verbose=0) > data_only + 0.01


def test_one_training_step_with_regularization_matches_keras():
    keras = _keras()
    manual_seed(1)
    ours = models.Sequential(
        [layers.Input(shape=(4,)), layers.Dense(3, activation="softmax", kernel_regularizer="l2")]
    )
    ours.compile(optimizer="sgd", loss="categorical_crossentropy")
    theirs = keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(3, activation="softmax", kernel_regularizer="l2"),
        ]
    )
    theirs.compile(optimizer=keras.optimizers.SGD(0.01), loss="categorical_crossentropy")
    theirs.set_weights(ours.get_weights())
    x = RNG.normal(size=(8, 4)).astype(np.float32)
    y = np.eye(3, dtype=np.float32)[RNG.integers(0, 3, 8)]
    loss_ours = ours.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    loss_theirs = theirs.fit(x, y, batch_size=8, epochs=1, verbose=0).history["loss"][0]
    assert loss_ours == pytest.approx(loss_theirs, rel=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "metrics, weighted_metrics",
    [
        (["accuracy", "precision", "recall"], None),
        (["accuracy"], ["accuracy"]),  # both: the weighted one is "weighted_accuracy"
        (None, ["accuracy", "mae"]),
        (["acc"], ["accuracy"]),
    ],
)
@pytest.mark.parametrize("weighting", ["sample_weight", "class_weight"])
def test_sample_weights_weight_the_loss_and_weighted_metrics_only_as_keras(
    metrics, weighted_metrics, weighting
):
    # Keras 3 leaves compile(metrics=...) unweighted; ours weighted them (accuracy 0.477 vs 0.5).
    keras = _keras()
    manual_seed(2)
    x = RNG.normal(size=(40, 5)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.float32)
    options = (
        {"sample_weight": RNG.uniform(0.1, 3.0, 40).astype(np.float32)}
        if weighting == "sample_weight"
        else {"class_weight": {0: 1.0, 1: 4.0}}
    )
    ours = models.Sequential([layers.Input(shape=(5,)), layers.Dense(1, activation="sigmoid")])
    theirs = keras.Sequential(
        [keras.Input(shape=(5,)), keras.layers.Dense(1, activation="sigmoid")]
    )
    theirs.set_weights(ours.get_weights())
    for model in (ours, theirs):
        model.compile(
            optimizer="sgd",
            loss="binary_crossentropy",
            metrics=metrics,
            weighted_metrics=weighted_metrics,
        )
    got = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, **options).history
    expected = theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0, **options)
    assert sorted(got) == sorted(expected.history)
    for key, values in expected.history.items():
        np.testing.assert_allclose(got[key], values, rtol=1e-4, atol=1e-5, err_msg=key)
    if weighting == "sample_weight":
        weights = options["sample_weight"]
        evaluated = ours.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
        reference = theirs.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
        assert evaluated == pytest.approx(reference, rel=1e-4, abs=1e-5)
