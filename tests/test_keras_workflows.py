"""Deep Learning with Python, chapters 3-4, as tests on synthetic data (no downloads): binary
classification (IMDB-like), single-label multiclass with integer labels (Reuters-like), scalar
regression with K-fold validation (Boston-like), and L2 + dropout against overfitting."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import manual_seed
from nn import layers, losses, models, regularizers


def bag_of_words(samples: int, words: int = 200, seed: int = 0):
    """Multi-hot 'reviews': positive reviews use the first half of the vocabulary more."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, samples)
    bias = np.where(np.arange(words) < words // 2, 0.08, 0.02)
    p = np.where(labels[:, None] == 1, bias, bias[::-1])
    return (rng.random((samples, words)) < p).astype(np.float32), labels.astype(np.float32)


def test_binary_classification_with_validation_data_and_history_curves():
    manual_seed(0)
    x, y = bag_of_words(600)
    x_val, y_val, x_train, y_train = x[:200], y[:200], x[200:], y[200:]
    model = models.Sequential(
        [
            layers.Input(shape=(200,)),
            layers.Dense(16, activation="relu"),
            layers.Dense(16, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x_train, y_train, epochs=8, batch_size=64,
                        validation_data=(x_val, y_val), verbose=0)  # fmt: skip
    curves = history.history
    assert list(curves) == ["loss", "acc", "val_loss", "val_acc"]  # labels (n,), outputs (n, 1)
    assert all(len(values) == 8 for values in curves.values())
    assert curves["loss"][-1] < curves["loss"][0] and curves["val_acc"][-1] > 0.85
    assert model.predict(x_val[:5]).shape == (5, 1)


def test_single_label_multiclass_with_integer_labels():
    manual_seed(1)
    rng = np.random.default_rng(1)
    centers = rng.normal(size=(6, 30)) * 2
    labels = rng.integers(0, 6, 900)
    x = (centers[labels] + rng.normal(size=(900, 30))).astype(np.float32)
    model = models.Sequential(
        [
            layers.Input(shape=(30,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(6, activation="softmax"),
        ]  # fmt: skip
    )
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x[:700], labels[:700], epochs=10, batch_size=32, verbose=0)
    results = model.evaluate(x[700:], labels[700:], verbose=0, return_dict=True)
    assert results["accuracy"] > 0.9
    probabilities = model.predict(x[700:])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


def build_regression_model() -> models.Sequential:
    model = models.Sequential(
        [
            layers.Input(shape=(13,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(32, activation="relu"),
            layers.Dense(1),
        ]  # fmt: skip
    )
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model


def test_scalar_regression_with_k_fold_validation():
    manual_seed(2)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 13)).astype(np.float32)
    weights = rng.normal(size=13)
    y = x @ weights + 0.5 * np.sin(x[:, 0]) + rng.normal(scale=0.3, size=400) + 3
    y = y.astype(np.float32)
    mean, std = x.mean(axis=0), x.std(axis=0)  # normalise with training statistics
    x = (x - mean) / std
    k, fold = 4, len(x) // 4
    scores = []
    for i in range(k):
        val = slice(i * fold, (i + 1) * fold)
        x_train = np.concatenate([x[: i * fold], x[(i + 1) * fold :]])
        y_train = np.concatenate([y[: i * fold], y[(i + 1) * fold :]])
        model = build_regression_model()
        model.fit(x_train, y_train, epochs=40, batch_size=16, verbose=0)
        _, mae = model.evaluate(x[val], y[val], verbose=0)
        scores.append(mae)
    baseline = np.abs(y - y.mean()).mean()  # always predicting the mean
    assert np.mean(scores) < 0.25 * baseline
    mse = losses.MeanSquaredError()(y[:8], model(x[:8])).item()  # (n,) targets, (n, 1) outputs
    assert mse == pytest.approx(np.mean((model.predict(x[:8])[:, 0] - y[:8]) ** 2), rel=1e-5)


def overfitting_gap(regularized: bool, seed: int = 3) -> float:
    manual_seed(seed)
    x, y = bag_of_words(300, seed=seed)
    flip = np.random.default_rng(seed).random(len(y)) < 0.2  # label noise to memorise
    y = np.where(flip, 1 - y, y).astype(np.float32)
    extra = {"kernel_regularizer": regularizers.l2(0.01)} if regularized else {}
    stack = [layers.Input(shape=(200,)), layers.Dense(128, activation="relu", **extra)]
    if regularized:
        stack.append(layers.Dropout(0.5))
    stack += [layers.Dense(128, activation="relu", **extra)]
    if regularized:
        stack.append(layers.Dropout(0.5))
    stack.append(layers.Dense(1, activation="sigmoid"))
    model = models.Sequential(stack)
    model.compile(optimizer="rmsprop", loss="binary_crossentropy")
    model.fit(x[:100], y[:100], epochs=30, batch_size=20, verbose=0)
    # The data loss only (no penalty), on training and held-out data, in eval mode.
    loss = losses.BinaryCrossentropy()
    train = loss(y[:100], model.predict(x[:100])).item()
    held_out = loss(y[100:], model.predict(x[100:])).item()
    return held_out - train


def test_l2_and_dropout_reduce_the_gap_between_training_and_validation_loss():
    gaps = [(overfitting_gap(False, seed), overfitting_gap(True, seed)) for seed in (3, 4)]
    for plain, regularized in gaps:
        assert regularized < 0.7 * plain  # about 0.5 vs 0.92 with these seeds
