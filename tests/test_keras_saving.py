"""Weights and model files: the atomic writer (every failure stage, permissions, symlinks),
.npz vs .weights.h5 by suffix, and Keras 3's .weights.h5 and .keras read and written both ways
against real Keras (torch backend)."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from autograd import manual_seed
from nn import layers, models, regularizers, saving


def small_model(seed: int = 0, dropout: bool = True) -> models.Sequential:
    manual_seed(seed)
    stack = [layers.Input(shape=(6,)), layers.Dense(8, activation="relu")]
    if dropout:
        stack.append(layers.Dropout(0.3))
    stack.append(layers.Dense(3, activation="softmax"))
    return models.Sequential(stack)


def x_data(n: int = 5) -> np.ndarray:
    return np.random.default_rng(1).normal(size=(n, 6)).astype(np.float32)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ---------------------------------------------------------------------- the atomic writer
@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
@pytest.mark.parametrize("stage", ["write", "fsync", "chmod", "replace"])
def test_a_failure_at_any_stage_leaves_no_temp_file_and_the_old_file(
    tmp_path, monkeypatch, stage, error
):
    path = tmp_path / "w.npz"
    path.write_bytes(b"old contents")
    os.chmod(path, 0o640)  # an existing file: chmod runs too

    def fail(*args, **kwargs):
        raise error

    if stage == "write":
        writer = fail
    else:
        writer = lambda file: file.write(b"new")  # noqa: E731
        monkeypatch.setattr(
            os, {"fsync": "fsync", "chmod": "chmod", "replace": "replace"}[stage], fail
        )
    with pytest.raises(type(error)) as raised:
        saving.atomic_write(path, writer)
    assert raised.value is error  # the real error, not a clean-up error
    monkeypatch.undo()
    assert path.read_bytes() == b"old contents" and leftovers(tmp_path) == []


def test_interrupt_right_after_the_temp_file_is_created_leaves_nothing(tmp_path, monkeypatch):
    real_fdopen = os.fdopen

    def interrupted(handle, *args, **kwargs):
        os.close(handle)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fdopen", interrupted)
    with pytest.raises(KeyboardInterrupt):
        saving.atomic_write(tmp_path / "w.npz", lambda file: None)
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("when", ["as os.open returns", "before os.open"])
def test_interrupt_around_creating_the_temp_file_leaves_nothing(tmp_path, monkeypatch, when):
    # A signal can land between os.open creating the file and the next bytecode.
    real_open = os.open

    def interrupted(path, flags, mode=0o777):
        if when == "as os.open returns":
            os.close(real_open(path, flags, mode))
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", interrupted)
    with pytest.raises(KeyboardInterrupt):
        saving.atomic_write(tmp_path / "w.npz", lambda file: None)
    monkeypatch.setattr(os, "open", real_open)
    assert list(tmp_path.iterdir()) == []


def test_a_temp_name_taken_by_someone_else_is_left_alone(tmp_path, monkeypatch):
    real_open = os.open
    taken = []

    def already_there(path, flags, mode=0o777):
        if str(path).endswith(".tmp"):
            taken.append(path)
            os.close(real_open(path, os.O_WRONLY | os.O_CREAT, 0o666))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", already_there)
    with pytest.raises(FileExistsError):
        saving.atomic_write(tmp_path / "w.npz", lambda file: None)
    monkeypatch.setattr(os, "open", real_open)
    assert [os.path.basename(p) for p in taken] == leftovers(tmp_path)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664])
def test_the_targets_permissions_are_kept(tmp_path, mode):
    path = tmp_path / "w.npz"
    path.write_bytes(b"x")
    os.chmod(path, mode)
    small_model().save_weights(path)
    assert stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.parametrize("mode", [0o444, 0o400])
def test_a_read_only_target_is_refused_and_left_alone(tmp_path, mode):
    path = tmp_path / "w.npz"
    path.write_bytes(b"keep me")
    os.chmod(path, mode)
    with pytest.raises(PermissionError):
        small_model().save_weights(path)
    assert path.read_bytes() == b"keep me" and leftovers(tmp_path) == []


def test_a_symlink_is_written_through_not_replaced(tmp_path):
    real = tmp_path / "real" / "w.npz"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    model = small_model()
    model.save_weights(link)
    assert link.is_symlink() and os.path.realpath(link) == str(real)
    fresh = small_model(seed=9)
    fresh.load_weights(real)
    np.testing.assert_array_equal(fresh.predict(x_data()), model.predict(x_data()))
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["w.pt", "w.weights", "w", "w.npz.bak"])
def test_an_unknown_suffix_is_an_error_not_a_misnamed_npz(tmp_path, name):
    with pytest.raises(ValueError, match="unknown suffix"):
        small_model().save_weights(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_h5_suffix_without_h5py_says_how_to_install_it(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_h5py(name, *args, **kwargs):
        if name == "h5py":
            raise ImportError("no h5py")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_h5py)
    with pytest.raises(ImportError, match=r"h5py.*chainrule\[h5\]"):
        small_model().save_weights(tmp_path / "w.weights.h5")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- h5 and .keras, ours
def test_weights_h5_round_trip_here(tmp_path):
    pytest.importorskip("h5py")
    model = small_model()
    model.save_weights(tmp_path / "m.weights.h5")
    fresh = small_model(seed=3)
    fresh.load_weights(tmp_path / "m.weights.h5")
    np.testing.assert_array_equal(fresh.predict(x_data()), model.predict(x_data()))


def test_keras_file_round_trip_here_keeps_layers_and_regularizers(tmp_path):
    pytest.importorskip("h5py")
    manual_seed(0)
    model = models.Sequential(
        [
            layers.Input(shape=(6,)),
            layers.Dense(4, activation="tanh", kernel_regularizer=regularizers.l2(0.01)),
            layers.Dropout(0.5),
            layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.save(tmp_path / "m.keras")
    loaded = models.load_model(tmp_path / "m.keras")
    assert [type(layer).__name__ for layer in loaded.layers] == ["Dense", "Dropout", "Dense"]
    assert loaded.layers[0].kernel_regularizer.l2 == pytest.approx(0.01)
    np.testing.assert_array_equal(loaded.predict(x_data()), model.predict(x_data()))


def test_loading_mismatched_h5_weights_changes_nothing(tmp_path):
    pytest.importorskip("h5py")
    small_model().save_weights(tmp_path / "m.weights.h5")
    other = models.Sequential(
        [layers.Input(shape=(6,)), layers.Dense(9), layers.Dropout(0.1), layers.Dense(3)]
    )
    before = other.get_weights()
    with pytest.raises(ValueError, match="shape"):
        other.load_weights(tmp_path / "m.weights.h5")
    for a, b in zip(before, other.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_layer_keras_does_not_have_is_a_clear_error(tmp_path):
    pytest.importorskip("h5py")
    model = models.Sequential([layers.Input(shape=(6,)), layers.Dense(2, activation=lambda t: t)])
    with pytest.raises(ValueError, match="custom activation"):
        model.save(tmp_path / "m.keras")
    assert leftovers(tmp_path) == [] and not (tmp_path / "m.keras").exists()


# ---------------------------------------------------------------------- against real Keras
def _keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("h5py")
    return pytest.importorskip("keras")


def keras_twin(keras):
    return keras.Sequential(
        [
            keras.Input(shape=(6,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def test_a_model_trained_here_loads_in_keras_with_the_same_predictions(tmp_path):
    keras = _keras()
    model = small_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    model.fit(x_data(40), np.arange(40) % 3, epochs=2, verbose=0)
    model.save(tmp_path / "ours.keras")
    model.save_weights(tmp_path / "ours.weights.h5")
    theirs = keras.models.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(
        theirs.predict(x_data(), verbose=0), model.predict(x_data()), rtol=1e-5, atol=1e-6
    )
    twin = keras_twin(keras)
    twin.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(
        twin.predict(x_data(), verbose=0), model.predict(x_data()), rtol=1e-5, atol=1e-6
    )


def test_a_keras_model_file_loads_here_with_the_same_predictions(tmp_path):
    keras = _keras()
    keras.utils.set_random_seed(0)
    twin = keras_twin(keras)
    twin.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    twin.fit(x_data(30), np.eye(3)[np.arange(30) % 3], epochs=1, verbose=0)
    twin.save(tmp_path / "keras.keras")
    twin.save_weights(tmp_path / "keras.weights.h5")
    expected = twin.predict(x_data(), verbose=0)
    loaded = models.load_model(tmp_path / "keras.keras")
    np.testing.assert_allclose(loaded.predict(x_data()), expected, rtol=1e-5, atol=1e-6)
    ours = small_model(seed=4)
    ours.load_weights(tmp_path / "keras.weights.h5")
    np.testing.assert_allclose(ours.predict(x_data()), expected, rtol=1e-5, atol=1e-6)


def test_a_keras_layer_we_do_not_have_is_named_in_the_error(tmp_path):
    keras = _keras()
    model = keras.Sequential(
        [keras.Input(shape=(6,)), keras.layers.BatchNormalization(), keras.layers.Dense(2)]
    )
    model.save(tmp_path / "bn.keras")
    with pytest.raises(ValueError, match="BatchNormalization"):
        models.load_model(tmp_path / "bn.keras")


def test_the_file_and_its_folder_are_fsynced_before_and_after_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle):
        events.append("fsync-folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "fsync-file")
        real_fsync(handle)

    def replace(source, target):
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    small_model().save_weights(tmp_path / "w.npz")
    assert events == ["fsync-file", "rename", "fsync-folder"]


def test_model_checkpoint_writes_keras_files_that_load_back(tmp_path):
    pytest.importorskip("h5py")
    from nn import callbacks

    model = small_model()
    model.compile(optimizer="rmsprop", loss="sparse_categorical_crossentropy")
    check = callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"), monitor="loss")
    model.fit(x_data(20), np.arange(20) % 3, epochs=2, callbacks=[check], verbose=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m-1.keras", "m-2.keras"]
    loaded = models.load_model(tmp_path / "m-2.keras")
    np.testing.assert_allclose(loaded.predict(x_data()), model.predict(x_data()), rtol=1e-6)


def _rewritten(source, target, mutate):
    """A copy of the .keras zip ``source`` with ``mutate(members)`` applied to its members."""
    import zipfile

    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    mutate(members)
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def _edit_config(edit):
    import json

    def mutate(members):
        config = json.loads(members["config.json"])
        edit(config)
        members["config.json"] = json.dumps(config).encode()

    return mutate


def _damage_weights_layout(members):
    import io

    h5py = pytest.importorskip("h5py")
    buffer = io.BytesIO(members["model.weights.h5"])
    with h5py.File(buffer, "a") as h5:
        variables = h5["layers/dense/vars"]
        variables.move("0", "kernel")  # same count of arrays, not Keras's names
    members["model.weights.h5"] = buffer.getvalue()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda m: m.update({"config.json": b"{not json"}),
        lambda m: m.update({"config.json": b"[1, 2]"}),
        _edit_config(lambda c: c["config"]["layers"][1]["config"].pop("units")),
        _edit_config(lambda c: c["config"].pop("layers")),
        _edit_config(lambda c: c.pop("config")),
        _edit_config(lambda c: c["config"].update(layers=[None])),
        _damage_weights_layout,
    ],
    ids=["not-json", "a-list", "no-units", "no-layers", "no-config", "null-layer", "h5-names"],
)
def test_a_damaged_keras_file_is_a_value_error_naming_it(tmp_path, mutate):
    pytest.importorskip("h5py")
    small_model().save(tmp_path / "good.keras")
    damaged = _rewritten(tmp_path / "good.keras", tmp_path / "damaged.keras", mutate)
    with pytest.raises(ValueError, match="damaged.keras"):
        models.load_model(damaged)


class _Subclassed(models.Model):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = layers.Dense(8, activation="relu")
        self.drop = layers.Dropout(0.2)
        self.out = layers.Dense(3, activation="softmax")

    def call(self, x):
        return self.out(self.drop(self.hidden(x)))


@pytest.mark.parametrize("name", ["w.npz", "w.weights.h5"])
def test_a_subclassed_models_weights_load_back_from_either_format(tmp_path, name):
    # .weights.h5 stored position names (0.kernel) that a subclassed Model does not have.
    if name.endswith(".h5"):
        pytest.importorskip("h5py")
    manual_seed(0)
    model = _Subclassed()
    expected = model.predict(x_data())
    model.save_weights(tmp_path / name)
    manual_seed(1)
    fresh = _Subclassed()
    fresh.predict(x_data(1))  # build it
    fresh.load_weights(tmp_path / name)
    np.testing.assert_array_equal(fresh.predict(x_data()), expected)


def test_saving_a_subclassed_model_as_keras_says_what_to_use_instead(tmp_path):
    pytest.importorskip("h5py")
    model = _Subclassed()
    model.predict(x_data(1))
    with pytest.raises(ValueError, match=r"Sequential.*save_weights"):
        model.save(tmp_path / "m.keras")
    assert list(tmp_path.iterdir()) == []


COMPILES = [
    dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"]),
    dict(optimizer="adam", loss="mse", metrics=["mae"], weighted_metrics=["mae"]),
    dict(optimizer="sgd", loss="categorical_crossentropy", metrics=None),
]


def _from_logits_compile(keras_or_losses):
    return dict(optimizer="sgd", loss=keras_or_losses.CategoricalCrossentropy(from_logits=True))


@pytest.mark.parametrize("options", COMPILES + ["from_logits"])
def test_load_model_returns_a_model_compiled_as_it_was_saved(tmp_path, options):
    # Keras's load_model compiles from the file; ours returned an uncompiled model, so
    # load_model(...).evaluate(...) raised "must be compiled first".
    pytest.importorskip("h5py")
    from nn import losses

    options = _from_logits_compile(losses) if options == "from_logits" else options
    model = small_model(dropout=False)
    model.compile(**options)
    x, y = x_data(12), np.eye(3, dtype=np.float32)[np.arange(12) % 3]
    model.save(tmp_path / "m.keras")
    loaded = models.load_model(tmp_path / "m.keras")
    assert loaded.evaluate(x, y, verbose=0, return_dict=True) == pytest.approx(
        model.evaluate(x, y, verbose=0, return_dict=True)
    )
    assert type(loaded.optimizer) is type(model.optimizer)
    assert loaded.optimizer.defaults == model.optimizer.defaults


def test_an_uncompiled_model_loads_uncompiled(tmp_path):
    pytest.importorskip("h5py")
    small_model().save(tmp_path / "m.keras")
    with pytest.raises(RuntimeError, match="compiled first"):
        models.load_model(tmp_path / "m.keras").evaluate(x_data(), np.zeros((5, 3)), verbose=0)


@pytest.mark.parametrize("options", COMPILES + ["from_logits"])
def test_compiled_files_load_compiled_in_keras_and_from_keras(tmp_path, options):
    keras = _keras()
    from nn import losses

    ours_options = _from_logits_compile(losses) if options == "from_logits" else options
    theirs_options = _from_logits_compile(keras.losses) if options == "from_logits" else options
    x, y = x_data(12), np.eye(3, dtype=np.float32)[np.arange(12) % 3]
    model = small_model(dropout=False)
    model.compile(**ours_options)
    model.save(tmp_path / "ours.keras")
    theirs = keras.models.load_model(tmp_path / "ours.keras")
    expected = model.evaluate(x, y, verbose=0, return_dict=True)
    assert theirs.evaluate(x, y, verbose=0, return_dict=True) == pytest.approx(expected, rel=1e-5)
    twin = keras_twin(keras)
    twin.compile(**theirs_options)
    twin.fit(x, y, epochs=1, verbose=0)
    twin.save(tmp_path / "keras.keras")
    loaded = models.load_model(tmp_path / "keras.keras")
    reference = twin.evaluate(x, y, verbose=0, return_dict=True)
    assert loaded.evaluate(x, y, verbose=0, return_dict=True) == pytest.approx(reference, rel=1e-5)


def test_a_compile_config_we_cannot_read_loads_uncompiled_with_a_warning(tmp_path):
    pytest.importorskip("h5py")
    model = small_model()
    model.compile(optimizer="sgd", loss="mse")
    model.save(tmp_path / "good.keras")
    edit = _edit_config(lambda c: c["compile_config"].update(loss={"class_name": "Huber"}))
    damaged = _rewritten(tmp_path / "good.keras", tmp_path / "odd.keras", edit)
    with pytest.warns(UserWarning, match=r"odd.keras.*not compiled.*Huber"):
        loaded = models.load_model(damaged)
    assert loaded.optimizer is None
