"""The Trainer apart from structure: subclassed models train what they compute, the loss (not
fit) chooses the stable softmax form, Keras's weight accessors and fit/evaluate/predict options,
empty batches and clear messages."""

from __future__ import annotations

import re

import numpy as np
import pytest

import optim
from autograd import Tensor, manual_seed
from nn import functional as F
from nn import layers, losses, models


def toy(samples: int = 48, inputs: int = 6, classes: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(samples, inputs)).astype(np.float32)
    labels = x[:, :classes].argmax(axis=1)
    return x, labels, np.eye(classes, dtype=np.float32)[labels]


class Classifier(models.Model):
    def __init__(self, classes: int = 3) -> None:
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(classes, activation="softmax")
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.out(self.hidden(x))


@pytest.mark.parametrize("loss", ["categorical_crossentropy", "sparse_categorical_crossentropy"])
def test_a_subclassed_model_compiles_fits_and_is_called_by_fit(loss):
    manual_seed(0)
    x, labels, one_hot = toy()
    y = labels if loss.startswith("sparse") else one_hot
    model = Classifier()
    model.compile(optimizer=optim.Adam(lr=0.02), loss=loss, metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert model.calls >= 30 * 3  # every training step ran call()
    assert history.history["accuracy"][-1] > 0.9
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_fit_trains_what_an_overridden_forward_computes():
    class Doubled(models.Sequential):
        def forward(self, x):
            self.seen = getattr(self, "seen", 0) + 1
            return super().forward(x) * 2.0

    manual_seed(0)
    x = np.ones((8, 3), np.float32)
    model = Doubled([layers.Dense(1, input_shape=(3,), kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.full(8, 4.0, np.float32), epochs=200, batch_size=8, verbose=0)
    assert model.seen >= 200
    np.testing.assert_allclose(model.predict(x), 4.0, atol=1e-3)  # the doubled output fits 4


@pytest.mark.parametrize("scale", [1.0, 1e3, -1e3, 3e4])
def test_crossentropy_of_softmax_equals_the_log_softmax_form_for_huge_logits(scale):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    z = (rng.normal(size=(5, 4)) * scale).astype(np.float32)
    labels = np.array([0, 1, 2, 3, 1])
    one_hot = np.eye(4, dtype=np.float32)[labels]
    expected = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor(labels)).item()
    candidates = [
        F.categorical_crossentropy(F.softmax(Tensor(z)), one_hot),
        F.sparse_categorical_crossentropy(Tensor(z).softmax(), labels),
        losses.CategoricalCrossentropy()(one_hot, Tensor(z).softmax()),
        losses.categorical_crossentropy(one_hot, Tensor(z).softmax()).mean(),
        losses.sparse_categorical_crossentropy(labels, Tensor(z).softmax()).mean(),
        losses.CategoricalCrossentropy()(one_hot, Tensor(z).softmax(), sample_weight=np.ones(5)),
    ]
    for loss in candidates:
        assert np.isfinite(loss.item())
        assert loss.item() == pytest.approx(expected, rel=1e-5, abs=1e-5)


@pytest.mark.parametrize("loss_name", ["categorical_crossentropy", "binary_crossentropy", "mse"])
def test_targets_that_require_grad_get_gradients_from_the_keras_losses(loss_name):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(4, 3)).astype(np.float32)
    target = rng.uniform(0.1, 0.9, size=(4, 3)).astype(np.float32)
    t = Tensor(target, requires_grad=True)
    prediction = (
        Tensor(logits).softmax() if loss_name.startswith("cat") else Tensor(logits).sigmoid()
    )
    losses.get(loss_name)(t, prediction).backward()
    tt = torch.tensor(target, requires_grad=True)
    tz = torch.tensor(logits)
    if loss_name.startswith("cat"):
        value = -(tt * torch.log_softmax(tz, -1)).sum(-1).mean()
    elif loss_name.startswith("bin"):
        p = torch.sigmoid(tz).clamp(1e-7, 1 - 1e-7)
        value = -(tt * p.log() + (1 - tt) * (1 - p).log()).mean()
    else:
        value = ((torch.sigmoid(tz) - tt) ** 2).mean()
    value.backward()
    np.testing.assert_allclose(t.grad.data, tt.grad.numpy(), rtol=1e-4, atol=1e-6)


# ---------------------------------------------------------------------- weights API
def seed_like(hidden: int = 5, inputs: int = 4, classes: int = 3) -> models.Sequential:
    return models.Sequential(
        [
            layers.Input(shape=(inputs,)),
            layers.Dense(hidden, activation="relu"),
            layers.Dense(classes, activation="softmax"),
        ]
    )


def test_input_as_first_element_builds_the_model_and_is_not_a_layer():
    model = seed_like()
    assert model.built and len(model.layers) == 2 and model.input_shape == (4,)
    assert [name for name, _ in model.named_parameters()] == [
        "0.kernel",
        "0.bias",
        "1.kernel",
        "1.bias",
    ]
    assert model.count_params() == 4 * 5 + 5 + 5 * 3 + 3
    assert [w.shape for w in model.weights] == [(4, 5), (5,), (5, 3), (3,)]
    assert len(model.trainable_weights) == 4 and model.layers[0].count_params() == 25


def test_get_and_set_weights_round_trip_and_get_returns_copies():
    a, b = seed_like(), seed_like()
    weights = a.get_weights()
    weights[0][...] = 7.0  # a copy: the model is untouched
    assert not np.all(a.layers[0].kernel.data == 7.0)
    b.set_weights(a.get_weights())
    x = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))


@pytest.mark.parametrize(
    "change",
    [
        lambda w: w[:-1],
        lambda w: w + [np.zeros(3)],
        lambda w: [w[0].T] + w[1:],
        lambda w: w[:3] + [np.zeros(4)],
    ],
    ids=["too_few", "too_many", "transposed_kernel", "wrong_last_bias"],
)
def test_set_weights_checks_everything_and_assigns_nothing_on_error(change):
    model = seed_like()
    before = model.get_weights()
    bad = change([w + 1 for w in before])
    with pytest.raises(ValueError, match="set_weights"):
        model.set_weights(bad)
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


# ---------------------------------------------------------------------- fit / evaluate / predict
def compiled(loss="categorical_crossentropy", metrics=("accuracy",)):
    manual_seed(0)
    model = seed_like(hidden=8, inputs=6)
    model.compile(optimizer="rmsprop", loss=loss, metrics=list(metrics))
    return model


def test_evaluate_return_dict_has_the_history_keys():
    x, _, y = toy()
    model = compiled(metrics=["acc", "categorical_accuracy"])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert list(logs) == ["loss", "acc", "categorical_accuracy"]
    assert logs["acc"] == logs["categorical_accuracy"]
    assert model.evaluate(x, y, verbose=0) == list(logs.values())


def test_initial_epoch_runs_the_remaining_epochs_and_numbers_them():
    x, _, y = toy()
    history = compiled().fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [3, 4] and len(history.history["loss"]) == 2


def test_shuffle_false_keeps_the_order_of_the_samples():
    x, _, y = toy(samples=10)
    model = compiled()
    seen = []
    original = model.train_step
    model.train_step = lambda xb, yb, sw=None: seen.append(xb[:, 0].copy()) or original(xb, yb, sw)
    model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_array_equal(np.concatenate(seen), np.concatenate([x[:, 0], x[:, 0]]))


def test_class_weight_equals_the_matching_sample_weight_and_changes_training():
    x, labels, y = toy()
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    per_sample = np.array([weights[c] for c in labels], np.float32)
    results = []
    for kwargs in [{"class_weight": weights}, {"sample_weight": per_sample}, {}]:
        model = compiled()
        model.fit(x, y, epochs=2, batch_size=16, shuffle=False, verbose=0, **kwargs)
        results.append(model.get_weights())
    for a, b in zip(results[0], results[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert not np.allclose(results[0][0], results[2][0])


def test_weighted_loss_is_keras_sum_over_batch_size():
    keras = _keras()
    y = np.eye(3, dtype=np.float32)[[0, 1, 2, 1]]
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]], np.float32)
    w = np.array([1.0, 0.0, 2.0, 0.5], np.float32)
    ours = losses.CategoricalCrossentropy()(y, Tensor(p), sample_weight=w).item()
    theirs = float(keras.losses.CategoricalCrossentropy()(y, p, sample_weight=w))
    assert ours == pytest.approx(theirs, rel=1e-5)


def _keras():
    import os

    os.environ.setdefault("KERAS_BACKEND", "torch")
    return pytest.importorskip("keras")


@pytest.mark.parametrize("batch_size", [1, 3, 32])
def test_predict_on_zero_samples_has_the_output_shape(batch_size):
    model = seed_like()
    out = model.predict(np.zeros((0, 4), np.float32), batch_size=batch_size)
    assert out.shape == (0, 3) and out.dtype == np.float32


def test_predict_batches_give_the_same_outputs_as_one_call():
    model = seed_like()
    x = np.random.default_rng(3).normal(size=(10, 4)).astype(np.float32)
    np.testing.assert_allclose(model.predict(x, batch_size=3), model(x).data, rtol=1e-6)


def test_crossentropy_over_zero_samples_is_nan_like_pytorch():
    torch = pytest.importorskip("torch")
    expected = torch.nn.functional.cross_entropy(torch.zeros(0, 3), torch.zeros(0, dtype=int))
    assert np.isnan(expected.item())
    empty = Tensor(np.zeros((0, 3), np.float32))
    for loss in [
        losses.CategoricalCrossentropy()(np.zeros((0, 3)), empty.softmax()),
        losses.SparseCategoricalCrossentropy()(np.zeros(0, int), empty.softmax()),
        losses.CategoricalCrossentropy(from_logits=True)(np.zeros((0, 3)), empty),
        losses.MeanSquaredError()(np.zeros((0, 3)), empty),
    ]:
        assert np.isnan(loss.item())


@pytest.mark.parametrize("call", ["predict", "model", "fit_x", "fit_y", "evaluate_x"])
def test_none_inputs_name_the_argument_and_what_is_expected(call):
    model = compiled()
    x, _, y = toy()
    actions = {
        "predict": lambda: model.predict(None),
        "model": lambda: model(None),
        "fit_x": lambda: model.fit(None, y, verbose=0),
        "fit_y": lambda: model.fit(x, None, verbose=0),
        "evaluate_x": lambda: model.evaluate(None, y, verbose=0),
    }
    with pytest.raises(TypeError, match=r"\b[xy]\b is None.*expected"):
        actions[call]()


def test_string_inputs_are_a_type_error_naming_the_dtype():
    with pytest.raises(TypeError, match="dtype <U"):
        seed_like().predict(np.array([["1", "2", "3", "4"]]))


@pytest.mark.parametrize("metrics", ["accuracy", "acc", "mae"])
def test_a_single_metric_name_is_accepted_as_a_one_element_list(metrics):
    x, _, y = toy()
    model = compiled(metrics=())
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=metrics)
    assert model.metrics_names == ["loss", metrics]
    assert list(model.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", metrics]


@pytest.mark.parametrize("bad", [{"accuracy"}, 3, ("accuracy", 5)])
def test_metrics_that_are_not_names_or_callables_are_clear_errors(bad):
    with pytest.raises(TypeError, match="metrics"):
        compiled().compile(optimizer="sgd", loss="mse", metrics=bad)


def test_unknown_metric_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown metric 'f1'.*accuracy"):
        compiled(metrics=["f1"])


def _compiled_sequential():
    model = models.Sequential([layers.Input(shape=(6,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    return model


ENTRY_POINTS = {
    "fit": lambda m, x, y, **kw: m.fit(x, y, verbose=0, **kw),
    "evaluate": lambda m, x, y, **kw: m.evaluate(x, y, verbose=0, **kw),
    "predict": lambda m, x, y, **kw: m.predict(x, **kw),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
@pytest.mark.parametrize(
    "batch_size, error", [(0, ValueError), (-2, ValueError), (2.5, TypeError), ("8", TypeError)]
)
def test_every_entry_point_checks_batch_size_by_name(entry, batch_size, error):
    # predict divided by it (ZeroDivisionError) and fit/evaluate did not name themselves.
    x, labels, _ = toy(8)
    with pytest.raises(error, match=rf"{entry}: batch_size must be"):
        ENTRY_POINTS[entry](_compiled_sequential(), x, labels, batch_size=batch_size)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_batch_size_none_means_keras_default_of_32(entry):
    x, labels, _ = toy(40)
    result = ENTRY_POINTS[entry](_compiled_sequential(), x, labels, batch_size=None)
    if entry == "fit":
        assert result.params["batch_size"] == 32 and result.params["steps"] == 2


@pytest.mark.parametrize(
    "argument, value, error",
    [
        ("epochs", 1.5, TypeError),
        ("epochs", "2", TypeError),
        ("epochs", -1, ValueError),
        ("epochs", True, TypeError),
        ("initial_epoch", -1, ValueError),
        ("initial_epoch", 0.5, TypeError),
    ],
)
def test_fit_checks_its_epoch_counts_by_name(argument, value, error):
    x, labels, _ = toy(8)
    with pytest.raises(error, match=rf"fit: {argument} must be"):
        _compiled_sequential().fit(x, labels, verbose=0, **{argument: value})


def test_fit_takes_a_single_callback_as_keras_does():
    from nn import callbacks

    x, labels, _ = toy(8)
    seen = []
    one = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    _compiled_sequential().fit(x, labels, epochs=2, verbose=0, callbacks=one)
    assert seen == [0, 1]


@pytest.mark.parametrize("entry", ["fit", "evaluate"])
@pytest.mark.parametrize("shape", [(5,), (8, 2), (2, 4), ()])
def test_a_wrong_sample_weight_names_the_call_and_the_shape_given(entry, shape):
    x, labels, _ = toy(8)
    given = re.escape(str(shape)) if shape else "batch axis"
    with pytest.raises(ValueError, match=rf"{entry}: sample_weight .*{given}"):
        ENTRY_POINTS[entry](_compiled_sequential(), x, labels, sample_weight=np.ones(shape))


def test_sample_weight_of_shape_n_by_1_is_one_weight_per_sample():
    x, labels, _ = toy(8)
    model = _compiled_sequential()
    column = model.evaluate(x, labels, verbose=0, sample_weight=np.arange(8.0).reshape(8, 1))
    flat = model.evaluate(x, labels, verbose=0, sample_weight=np.arange(8.0))
    assert column == flat
