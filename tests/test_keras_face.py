"""Keras's face of Sequential: add/compile/fit/evaluate/predict, summary, History, progress
output, weights files, the fused softmax + crossentropy path, and clear errors."""

from __future__ import annotations

import os
import re

import numpy as np
import pytest

import nn
import optim
from autograd import Tensor, manual_seed
from nn import functional as F
from nn import layers, losses, models


def seed_network(hidden: int = 512, inputs: int = 784, classes: int = 10, **compile_args):
    """The seed's network (at any size), compiled as the seed compiles it unless told."""
    network = models.Sequential()
    network.add(layers.Dense(hidden, activation="relu", input_shape=(inputs,)))
    network.add(layers.Dense(classes, activation="softmax"))
    settings = dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    network.compile(**{**settings, **compile_args})
    return network


def toy_data(samples: int = 64, inputs: int = 12, classes: int = 3, seed: int = 0):
    """Separable data: the class is the argmax of the first ``classes`` features."""
    rng = np.random.default_rng(seed)
    x = rng.random((samples, inputs), dtype=np.float32)
    labels = x[:, :classes].argmax(axis=1)
    return x, labels, np.eye(classes, dtype=np.float32)[labels]


def weights_of(model) -> list[np.ndarray]:
    return [p.data.copy() for p in model.parameters()]


# ---------------------------------------------------------------------- structure and summary
def test_summary_shows_the_seed_networks_407050_parameters(capsys):
    manual_seed(0)
    network = seed_network()
    text = network.summary()
    assert capsys.readouterr().out.strip() == text.strip()
    rows = [line for line in text.splitlines() if "(Dense)" in line]
    assert len(rows) == 2
    assert "(None, 512)" in rows[0] and rows[0].rstrip().endswith("401,920")
    assert "(None, 10)" in rows[1] and rows[1].rstrip().endswith("5,130")
    assert "Total params: 407,050" in text
    assert "Trainable params: 407,050" in text
    assert "Non-trainable params: 0" in text


def test_dense_without_input_shape_is_built_at_its_first_call():
    model = models.Sequential()
    model.add(layers.Dense(8, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    assert not model.built and model[0].kernel is None and model[1].kernel is None
    assert list(model.parameters()) == []
    out = model.predict(np.ones((2, 5), np.float32))
    assert out.shape == (2, 3)
    assert model[0].kernel.shape == (5, 8) and model[1].kernel.shape == (8, 3)
    assert model.built


def test_with_input_shape_the_next_dense_is_built_at_add():
    model = models.Sequential()
    model.add(layers.Dense(8, activation="relu", input_shape=(5,)))
    assert model[0].kernel.shape == (5, 8)
    model.add(layers.Dense(3))
    assert model[1].kernel.shape == (8, 3)
    assert model.built


def test_predict_works_on_a_never_compiled_model():
    manual_seed(0)
    model = models.Sequential([layers.Dense(4, activation="softmax", input_shape=(6,))])
    x = np.random.default_rng(0).random((70, 6), dtype=np.float32)
    out = model.predict(x, batch_size=32)
    assert out.shape == (70, 4) and out.dtype == np.float32
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(out, model(Tensor(x)).data, rtol=1e-6)


# ---------------------------------------------------------------------- weights files
def test_save_and_load_weights_round_trip_into_a_fresh_model(tmp_path):
    manual_seed(0)
    trained = seed_network(hidden=16, inputs=12, classes=3)
    x, _, y = toy_data()
    trained.fit(x, y, epochs=1, batch_size=16, verbose=0)
    path = tmp_path / "weights.npz"
    trained.save_weights(path)

    manual_seed(1)
    fresh = models.Sequential()  # never compiled
    fresh.add(layers.Dense(16, activation="relu", input_shape=(12,)))
    fresh.add(layers.Dense(3, activation="softmax"))
    assert not np.array_equal(fresh.predict(x), trained.predict(x))
    fresh.load_weights(path)
    np.testing.assert_array_equal(fresh.predict(x), trained.predict(x))


def test_weights_file_is_plain_npz_with_structural_names(tmp_path):
    network = seed_network(hidden=16, inputs=12, classes=3)
    path = tmp_path / "weights.npz"
    network.save_weights(path)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["0.bias", "0.kernel", "1.bias", "1.kernel"]
        np.testing.assert_array_equal(archive["0.kernel"], network[0].kernel.data)
        assert archive["1.bias"].shape == (3,)
    assert [p.name for p in tmp_path.iterdir()] == ["weights.npz"]  # no temporary left behind


def test_saved_weights_file_follows_the_umask_like_any_new_file(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    seed_network(hidden=4, inputs=3, classes=2).save_weights(tmp_path / "w.npz")
    assert os.stat(tmp_path / "w.npz").st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda s: s.update({"0.kernel": np.zeros((12, 17), np.float32)}),
            r"0.kernel: shape \(12, 17\) in the file .*\(12, 16\) in the model",
        ),
        (lambda s: s.pop("1.bias"), r"missing \['1.bias'\]"),
        (
            lambda s: s.update({"2.kernel": np.zeros((3, 3), np.float32)}),
            r"unexpected \['2.kernel'\]",
        ),
    ],
    ids=["different_units", "missing_key", "extra_key"],
)
def test_mismatched_weights_file_is_rejected_and_the_model_unchanged(tmp_path, change, message):
    network = seed_network(hidden=16, inputs=12, classes=3)
    state = {name: np.ones_like(array) for name, array in network.state_dict().items()}
    change(state)
    path = tmp_path / "other.npz"
    np.savez(path, **state)
    before = weights_of(network)
    with pytest.raises(ValueError, match=message):
        network.load_weights(path)
    for array, saved in zip(weights_of(network), before):
        np.testing.assert_array_equal(array, saved)


def test_weights_of_a_model_with_other_units_are_rejected(tmp_path):
    seed_network(hidden=32, inputs=12, classes=3).save_weights(tmp_path / "wide.npz")
    narrow = seed_network(hidden=16, inputs=12, classes=3)
    before = weights_of(narrow)
    with pytest.raises(ValueError, match="cannot load the file"):
        narrow.load_weights(tmp_path / "wide.npz")
    for array, saved in zip(weights_of(narrow), before):
        np.testing.assert_array_equal(array, saved)


@pytest.mark.parametrize(
    "write",
    [
        lambda path: path.write_text("these are not weights"),
        lambda path: path.write_bytes(b""),
        lambda path: np.save(path, np.zeros(3)),  # .npy, not .npz
        lambda path: path.write_bytes(b"PK\x03\x04 truncated zip"),
        lambda path: np.savez(path, **{"0.kernel": np.array([{"pickled": 1}], dtype=object)}),
    ],
    ids=["text", "empty", "npy", "broken_zip", "pickled_object_array"],
)
def test_a_file_that_is_not_npz_gives_a_clear_error(tmp_path, write):
    path = tmp_path / "weights.npz"
    write(path)
    if not path.exists():  # np.save appends .npy
        path = tmp_path / "weights.npz.npy"
    network = seed_network(hidden=4, inputs=3, classes=2)
    before = weights_of(network)
    with pytest.raises(ValueError, match=r"is not a readable \.npz weights file"):
        network.load_weights(path)
    for array, saved in zip(weights_of(network), before):
        np.testing.assert_array_equal(array, saved)


def test_a_missing_weights_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        seed_network(hidden=4, inputs=3, classes=2).load_weights(tmp_path / "nope.npz")


def test_load_weights_works_on_a_never_compiled_model(tmp_path):
    source = seed_network(hidden=4, inputs=3, classes=2)
    source.save_weights(tmp_path / "w.npz")
    target = models.Sequential(
        [
            layers.Dense(4, activation="relu", input_shape=(3,)),
            layers.Dense(2, activation="softmax"),
        ]
    )
    target.load_weights(tmp_path / "w.npz")
    x = np.ones((2, 3), np.float32)
    np.testing.assert_array_equal(target.predict(x), source.predict(x))


# ---------------------------------------------------------------------- fit and History
def test_validation_split_holds_out_the_last_samples():
    x, _, y = toy_data(samples=50)
    network = seed_network(hidden=8, inputs=12, classes=3, optimizer=optim.SGD(lr=0.0))
    history = network.fit(x, y, epochs=2, batch_size=16, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 2 for values in history.history.values())
    last_loss, last_accuracy = network.evaluate(x[40:], y[40:], verbose=0)
    first_loss, _ = network.evaluate(x[:10], y[:10], verbose=0)
    assert history.history["val_loss"] == pytest.approx([last_loss] * 2, rel=1e-6)
    assert history.history["val_accuracy"] == pytest.approx([last_accuracy] * 2)
    assert history.history["val_loss"][0] != pytest.approx(first_loss, rel=1e-6)
    assert history.params["steps"] == 3  # 40 training samples in batches of 16


def test_history_has_one_entry_per_epoch_per_key():
    x, _, y = toy_data()
    history = seed_network(hidden=8, inputs=12, classes=3).fit(x, y, epochs=3, verbose=0)
    assert history.epoch == [0, 1, 2]
    assert set(history.history) == {"loss", "accuracy"}
    assert all(len(values) == 3 for values in history.history.values())
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_fit_reshuffles_every_epoch_and_ends_each_with_the_remainder():
    manual_seed(0)
    x = np.arange(1000, dtype=np.float32)[:, None] * np.ones((1, 12), np.float32)
    y = np.eye(3, dtype=np.float32)[np.arange(1000) % 3]
    network = seed_network(hidden=4, inputs=12, classes=3)
    seen: list[np.ndarray] = []
    train_step = network.train_step
    network.train_step = lambda xb, yb: seen.append(xb[:, 0].copy()) or train_step(xb, yb)
    network.fit(x, y, epochs=2, batch_size=128, verbose=0)
    assert [len(batch) for batch in seen] == [128] * 7 + [104] + [128] * 7 + [104]
    first, second = np.concatenate(seen[:8]), np.concatenate(seen[8:])
    assert sorted(first) == sorted(second) == list(range(1000))  # each sample once per epoch
    assert not np.array_equal(first, second) and not np.array_equal(first, np.arange(1000))
    assert network.optimizer.iterations == 16


def test_fit_learns_separable_data():
    manual_seed(0)
    x, _, y = toy_data(samples=512)
    network = seed_network(hidden=32, inputs=12, classes=3, optimizer=optim.Adam(lr=0.01))
    network.fit(x, y, epochs=20, batch_size=64, verbose=0)
    _, accuracy = network.evaluate(x, y, verbose=0)
    assert accuracy > 0.9


def test_verbose_0_prints_nothing(capsys):
    x, _, y = toy_data()
    network = seed_network(hidden=8, inputs=12, classes=3)
    network.fit(x, y, epochs=2, batch_size=16, verbose=0)
    network.evaluate(x, y, verbose=0)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_2_prints_one_line_per_epoch(capsys):
    x, _, y = toy_data()
    network = seed_network(hidden=8, inputs=12, classes=3)
    network.fit(x, y, epochs=3, batch_size=16, verbose=2, validation_split=0.25)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    for epoch, line in enumerate(lines, start=1):
        assert line.startswith(f"Epoch {epoch}/3")
        assert re.search(r"loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d", line)


def test_verbose_1_shows_step_counts(capsys):
    x, _, y = toy_data(samples=1000)
    network = seed_network(hidden=8, inputs=12, classes=3)
    network.fit(x, y, epochs=2, batch_size=128, verbose=1)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    assert "8/8" in out and "9/8" not in out
    assert re.search(r"loss=\d\.\d{4}", out)


def test_evaluate_returns_loss_and_accuracy_or_the_loss_alone():
    x, _, y = toy_data()
    with_metrics = seed_network(hidden=8, inputs=12, classes=3)
    values = with_metrics.evaluate(x, y, verbose=0)
    assert isinstance(values, list) and len(values) == 2
    loss, accuracy = values
    assert 0 <= accuracy <= 1
    assert accuracy == pytest.approx(np.mean(with_metrics.predict(x).argmax(1) == y.argmax(1)))
    assert loss == pytest.approx(
        F.categorical_crossentropy(Tensor(with_metrics.predict(x)), y).item(), rel=1e-5
    )
    without = seed_network(hidden=8, inputs=12, classes=3, metrics=None)
    assert isinstance(without.evaluate(x, y, verbose=0), float)


def test_sparse_categorical_crossentropy_trains_on_integer_labels():
    manual_seed(0)
    x, labels, y = toy_data(samples=256)
    network = seed_network(
        hidden=16,
        inputs=12,
        classes=3,
        optimizer=optim.Adam(lr=0.01),
        loss="sparse_categorical_crossentropy",
    )
    history = network.fit(x, labels, epochs=5, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    sparse_loss, sparse_accuracy = network.evaluate(x, labels, verbose=0)
    network.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    one_hot_loss, one_hot_accuracy = network.evaluate(x, y, verbose=0)
    assert sparse_loss == pytest.approx(one_hot_loss, rel=1e-6)
    assert sparse_accuracy == one_hot_accuracy


def test_integer_one_hot_labels_work_with_categorical_crossentropy():
    x, _, y = toy_data()
    network = seed_network(hidden=8, inputs=12, classes=3)
    history = network.fit(x, y.astype(np.uint8), epochs=1, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"][0])


# ---------------------------------------------------------------------- Dropout
def test_dropout_is_on_in_train_mode_and_off_in_eval_mode():
    manual_seed(0)
    dropout = layers.Dropout(0.25)
    x = np.ones((200, 50), np.float32)
    out = dropout(x).data
    kept = out != 0
    assert 0.7 < kept.mean() < 0.8
    np.testing.assert_allclose(out[kept], 1 / 0.75)
    assert out.dtype == np.float32
    dropout.eval()
    np.testing.assert_array_equal(dropout(x).data, x)


def test_predict_runs_dropout_in_eval_mode_and_fit_in_train_mode():
    model = models.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dropout(0.5)])
    x = np.ones((100, 3), np.float32)
    np.testing.assert_array_equal(model.predict(x), model.predict(x))
    assert model.training  # predict restores the mode
    seen = []
    model[1].forward = lambda inputs: seen.append(model[1].training) or inputs
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, np.zeros((100, 4), np.float32), epochs=1, batch_size=50, verbose=0)
    model.evaluate(x, np.zeros((100, 4), np.float32), verbose=0)
    assert seen == [True, True, False, False, False, False]


# ---------------------------------------------------------------------- fused loss
def test_fused_softmax_crossentropy_equals_the_clipped_probability_loss():
    manual_seed(0)
    x, _, y = toy_data()
    network = seed_network(hidden=8, inputs=12, classes=3)
    loss = network.compute_loss(x, y)
    assert loss.grad_fn.name == "softmax_cross_entropy"  # the loss took the softmax's logits
    unfused = F.categorical_crossentropy(Tensor(network.predict(x)), y).item()
    assert loss.item() == pytest.approx(unfused, rel=1e-6)


def _clipped_crossentropy(y_true, y_pred):
    # y_pred * 1 is a new tensor without the softmax's logits: the clipped-probability form.
    return losses.categorical_crossentropy(y_true, y_pred * 1.0)


def test_fused_and_unfused_models_take_the_same_step():
    x, _, y = toy_data(samples=32)
    models_ = []
    for loss in ["categorical_crossentropy", _clipped_crossentropy]:
        manual_seed(0)
        models_.append(seed_network(hidden=16, inputs=12, classes=3, loss=loss))
    fused, unfused = models_
    assert fused.compute_loss(x, y).grad_fn.name == "softmax_cross_entropy"
    assert unfused.compute_loss(x, y).grad_fn.name != "softmax_cross_entropy"
    for network in models_:
        network.fit(x, y, epochs=1, batch_size=32, shuffle=False, verbose=0)
    for a, b in zip(fused.parameters(), unfused.parameters()):
        np.testing.assert_allclose(a.data, b.data, rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------- optimizers in compile
def test_string_optimizer_gets_keras_defaults_and_the_models_parameters():
    network = seed_network(hidden=8, inputs=12, classes=3)
    optimizer = network.optimizer
    assert isinstance(optimizer, optim.RMSprop)
    group = optimizer.param_groups[0]
    assert (group["lr"], group["rho"], group["epsilon"]) == (1e-3, 0.9, 1e-7)
    assert [id(p) for p in group["params"]] == [id(p) for p in network.parameters()]


def test_optimizer_made_without_parameters_is_bound_at_compile():
    optimizer = optim.SGD(learning_rate=0.05)
    network = seed_network(hidden=8, inputs=12, classes=3, optimizer=optimizer)
    assert network.optimizer is optimizer
    assert [id(p) for p in optimizer.param_groups[0]["params"]] == [
        id(p) for p in network.parameters()
    ]
    assert optimizer.lr == 0.05


def test_lazily_built_model_binds_its_optimizer_at_fit():
    model = models.Sequential(
        [layers.Dense(4, activation="relu"), layers.Dense(3, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    assert model.optimizer.param_groups == []
    x, _, y = toy_data()
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert len(model.optimizer.param_groups[0]["params"]) == 4
    assert model.optimizer.iterations == 2


def test_optimizer_state_dict_round_trip_continues_training_exactly(tmp_path):
    x, _, y = toy_data(samples=32)
    manual_seed(0)
    network = seed_network(hidden=8, inputs=12, classes=3, optimizer="adam")
    for start in (0, 8):
        network.train_step(x[start : start + 8], y[start : start + 8])
    network.save_weights(tmp_path / "w.npz")
    state = network.optimizer.state_dict()

    twin = seed_network(hidden=8, inputs=12, classes=3, optimizer="adam")
    twin.load_weights(tmp_path / "w.npz")
    twin.optimizer.load_state_dict(state)
    for model in (network, twin):
        model.train_step(x[16:24], y[16:24])
    for a, b in zip(network.parameters(), twin.parameters()):
        np.testing.assert_array_equal(a.data, b.data)
    assert twin.optimizer.iterations == 3


# ---------------------------------------------------------------------- clear errors
def test_unknown_loss_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown loss 'categorical_crosentropy'"):
        seed_network(loss="categorical_crosentropy", hidden=4, inputs=3, classes=2)


def test_unknown_optimizer_name_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprob'"):
        seed_network(optimizer="rmsprob", hidden=4, inputs=3, classes=2)


@pytest.mark.parametrize("fused", [True, False])
def test_integer_labels_with_categorical_crossentropy_say_to_one_hot(fused):
    x, labels, _ = toy_data()
    loss = "categorical_crossentropy"
    network = seed_network(hidden=8, inputs=12, classes=3, loss=loss)
    if not fused:
        network.add(layers.Activation("linear"))  # the model no longer ends in softmax
        network.compile(optimizer="rmsprop", loss=loss)
    with pytest.raises(ValueError, match=r"\(16,\).*to_categorical.*sparse_categorical"):
        network.fit(x, labels, epochs=1, batch_size=16, verbose=0)


def test_fit_before_compile_says_to_compile():
    model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    with pytest.raises(RuntimeError, match=r"must be compiled first.*compile\("):
        model.fit(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)
    with pytest.raises(RuntimeError, match="must be compiled first"):
        model.evaluate(np.ones((4, 3), np.float32), np.ones((4, 2), np.float32), verbose=0)


def test_x_and_y_of_different_lengths_name_both_lengths():
    network = seed_network(hidden=4, inputs=3, classes=2)
    with pytest.raises(ValueError, match=r"fit: x and y .*: 10 .* vs 9"):
        network.fit(np.ones((10, 3), np.float32), np.ones((9, 2), np.float32), verbose=0)


def test_missing_loss_or_bad_validation_split_are_clear_errors():
    model = models.Sequential([layers.Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError, match="give a loss"):
        model.compile(optimizer="sgd")
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(np.ones((4, 3)), np.ones((4, 2)), validation_split=1.5, verbose=0)


def test_inputs_of_the_wrong_width_name_the_layer_and_shapes():
    network = seed_network(hidden=4, inputs=3, classes=2)
    with pytest.raises(ValueError, match=r"dense.*expected inputs with 3 features.*\(2, 5\)"):
        network.predict(np.ones((2, 5), np.float32))


def test_fit_converts_float64_inputs_to_the_weights_dtype() -> None:
    manual_seed(0)
    model = models.Sequential()
    model.add(layers.Dense(4, activation="relu", input_shape=(3,)))
    model.add(layers.Dense(2, activation="softmax"))
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).random((16, 3))  # float64, as numpy makes by default
    y = np.eye(2, dtype=np.float32)[np.arange(16) % 2]
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert model.predict(x).dtype == np.float32


def test_softmax_layer_over_another_axis_is_not_fused_with_the_loss() -> None:
    x, y = np.ones((4, 2), np.float32), np.eye(3, dtype=np.float32)[[0, 1, 2, 0]]
    model = models.Sequential([layers.Dense(3, input_shape=(2,)), layers.Softmax(axis=0)])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert model.compute_loss(x, y).grad_fn.name != "softmax_cross_entropy"
    model = models.Sequential([layers.Dense(3, input_shape=(2,)), layers.Softmax()])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    assert model.compute_loss(x, y).grad_fn.name == "softmax_cross_entropy"


@pytest.mark.parametrize("bad", [(0,), (-1,), ("a",), (True,), (2.5,), "784", (784, 0), 0, -3])
@pytest.mark.parametrize(
    "make",
    [
        lambda v: layers.Input(shape=v),
        lambda v: layers.Dense(3, input_shape=v),
        lambda v: layers.Dense(3, input_dim=v),
        lambda v: layers.Flatten(input_shape=v),
    ],
    ids=["Input.shape", "Dense.input_shape", "Dense.input_dim", "Flatten.input_shape"],
)
def test_every_shape_argument_is_checked_by_one_rule_naming_it(make, bad):
    with pytest.raises(ValueError, match=r"must be a tuple of positive ints"):
        make(bad)


@pytest.mark.parametrize("shape", [4, (4,), [4]])
def test_shape_arguments_accept_an_int_a_tuple_or_a_list(shape):
    assert layers.Input(shape=shape).input_shape == (4,)
    assert layers.Dense(3, input_shape=shape).kernel.shape == (4, 3)


@pytest.mark.parametrize("built", [True, False])
@pytest.mark.parametrize("x", [np.ones(4, np.float32), np.float32(1.0)])
def test_dense_refuses_inputs_without_a_batch_axis_like_keras(built, x):
    # Keras's Dense has InputSpec(min_ndim=2); a 1-d row was silently one sample (or failed
    # with an IndexError when it was to build the layer).
    dense = layers.Dense(3, input_shape=(4,)) if built else layers.Dense(3)
    with pytest.raises(ValueError, match=r"expected inputs of shape \(batch, \.\.\., features\)"):
        dense(x)
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="batch"):
        model.predict(np.ones(4, np.float32))


@pytest.mark.parametrize("shape", [(5,), (5, 3), (5, 2, 3)])
def test_flatten_output_matches_its_declared_shape(shape):
    flatten = layers.Flatten()
    out = flatten(np.ones(shape, np.float32))
    assert out.shape == (5, *flatten.compute_output_shape(shape[1:]))


@pytest.mark.parametrize(
    "make, rate",
    [
        (lambda: layers.Dropout(0.3), 0.3),
        (lambda: layers.Dropout(rate=0.3), 0.3),
        (lambda: nn.Dropout(p=0.2), 0.2),
        (lambda: nn.Dropout(0.2, inplace=False), 0.2),
        (lambda: nn.Dropout(), 0.5),  # PyTorch's default
    ],
)
def test_dropout_takes_keras_and_pytorch_spellings(make, rate):
    assert make().rate == rate


@pytest.mark.parametrize("rate", ["a", None, True, 1.0, -0.1, float("nan")])
def test_dropout_rate_is_checked_by_name(rate):
    with pytest.raises(ValueError, match=r"Dropout: rate \(p\) must be a number in \[0, 1\)"):
        layers.Dropout(rate)


@pytest.mark.parametrize("call", ["fit", "evaluate", "predict"])
def test_verbose_auto_is_keras_default_spelling_for_a_bar(capsys, call):
    x, _, y = toy_data(samples=64)
    network = seed_network(hidden=8, inputs=12, classes=3)
    if call == "predict":
        network.predict(x, verbose="auto")
    else:
        getattr(network, call)(x, y, verbose="auto")
    assert "2/2" in capsys.readouterr().out


@pytest.mark.parametrize("verbose", [3, -1, "yes", None])
def test_a_bad_verbose_lists_what_is_accepted(verbose):
    x, _, y = toy_data(samples=8)
    with pytest.raises(ValueError, match=r"verbose must be 0, 1, 2 or 'auto'"):
        seed_network(hidden=8, inputs=12, classes=3).fit(x, y, verbose=verbose)
