"""Weights and model files, pickle-free: ``.npz`` (default), Keras 3's ``.weights.h5`` and
``.keras`` (with h5py, the optional ``[h5]`` extra), all written through one atomic writer.

- ``.npz``: arrays under structural names (``0.kernel``, ``0.bias``, ...), read with
  ``allow_pickle=False``.
- ``.weights.h5`` / ``.h5``: Keras 3's layout, ``layers/<name>/vars/<i>`` where ``<name>`` is
  the snake-cased class name numbered by position (``dense``, ``dense_1``, ``dropout``), so
  Keras and chainrule read each other's files for the same architecture.
- ``.keras``: Keras 3's zip of ``config.json``, ``metadata.json`` and ``model.weights.h5`` for a
  Sequential of layers both know (Input, Dense, Dropout, Flatten, Activation).

Loading checks every name and shape before assigning anything: a mismatch raises ValueError and
leaves the model unchanged.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import stat
import time
import zipfile
import zlib
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from .compile_config import compile_config, compile_from_config
from .module import _snake_case

WEIGHT_SUFFIXES = (".npz", ".weights.h5", ".h5", ".hdf5")


# ---------------------------------------------------------------------- the atomic writer
def _target(path: str | os.PathLike) -> str:
    """The file a write must change: a symlink is followed (written through, not replaced)."""
    return os.path.realpath(os.fspath(path))


def _check_writable(target: str) -> int | None:
    """The existing target's permission bits, after refusing a file the user made read-only
    (what ``open(path, 'wb')`` refuses; checked on the bits too, so root is refused as well)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None
    if not mode & 0o222:
        raise PermissionError(13, "the file is read-only (no write permission)", target)
    os.close(os.open(target, os.O_WRONLY))  # the platform's own refusal, if it has one
    return mode


def _fsync_folder(folder: str) -> None:
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # platforms that cannot open a folder (Windows) cannot sync it either
        return
    try:
        os.fsync(handle)
    except OSError:  # some file systems cannot sync a folder: the file itself is synced
        pass
    finally:
        os.close(handle)


def atomic_write(path: str | os.PathLike, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file so that it is either the old file or the complete new one, never half.

    ``write(file)`` fills a temporary file in the target's folder; it is flushed and fsynced,
    given the old file's permissions (a new file gets the umask's), renamed over the target
    (through a symlink, not replacing it), and the folder is fsynced. A read-only target is
    refused with ``PermissionError``. On any exception or KeyboardInterrupt the temporary file
    is removed and the original error propagates (also when the rename itself fails).
    """
    target = _target(path)
    mode = _check_writable(target)
    folder, base = os.path.split(target)
    temporary = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
    # True before the file exists: an interrupt between os.open creating it and the next line
    # must still remove it (unlinking a file never made is ignored below).
    created = True
    try:
        try:
            # os.open, not mkstemp: the file gets the umask's permissions, like any file.
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            created = False  # someone else's file of that name: never remove it
            raise
        with os.fdopen(handle, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
        created = False
    except BaseException:
        if created:
            try:
                os.unlink(temporary)
            except OSError:
                pass  # the original error matters, not the clean-up's
        raise
    _fsync_folder(folder)


# ---------------------------------------------------------------------- weights files
def _kind(path: str) -> str:
    name = os.fspath(path).lower()
    if name.endswith(".npz"):
        return "npz"
    if name.endswith((".h5", ".hdf5")):
        return "h5"
    raise ValueError(
        f"weights file {os.fspath(path)!r}: unknown suffix; use one of {', '.join(WEIGHT_SUFFIXES)}"
    )


def _h5py(what: str) -> Any:
    try:
        import h5py
    except ImportError:
        raise ImportError(
            f"{what} needs h5py (Keras's HDF5 format): pip install 'chainrule[h5]' or "
            "pip install h5py; or use a .npz file"
        ) from None
    return h5py


def save_weights(model: Any, path: str | os.PathLike) -> None:
    """Write the weights atomically, as ``.npz`` or Keras 3 ``.weights.h5`` by suffix."""
    if _kind(path) == "npz":
        state = model.state_dict()
        atomic_write(path, lambda file: np.savez(file, **state))
    else:
        h5py = _h5py("save_weights to .h5")
        groups = keras_weight_groups(model)
        atomic_write(path, lambda file: _write_h5(h5py, file, model.name, groups))


def load_weights(model: Any, path: str | os.PathLike) -> None:
    """Read ``.npz`` or Keras 3 ``.weights.h5`` weights into ``model`` (all checked first)."""
    path = os.fspath(path)
    if not path.lower().endswith((".h5", ".hdf5")):  # the reader checks it really is a .npz
        model.load_state_dict(_read_npz(path), source=f"file {path}")
        return
    h5py = _h5py("load_weights from .h5")
    with open(path, "rb") as file:  # a missing file raises its own FileNotFoundError
        _load_h5(h5py, model, file, f"file {path}")


def _read_npz(path: str) -> dict[str, np.ndarray]:
    """Every array of a ``.npz`` file, read without pickle; anything else is a ValueError."""
    with open(path, "rb") as file:  # a missing or unreadable file raises its own OSError
        try:
            archive = np.load(file, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("it holds a single array (.npy), not a .npz archive")
            with archive:
                return {name: archive[name] for name in archive.files}
        # Empty, truncated, foreign or pickled files fail in numpy, zipfile or zlib.
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise ValueError(
                f"load_weights: {path} is not a readable .npz weights file: {error}"
            ) from error


def keras_weight_groups(model: Any) -> list[tuple[str, list[tuple[str, Any]]]]:
    """[(h5 group name, [(our structural name, parameter), ...]), ...] in layer order, named as
    Keras 3 names them: snake-cased class name, numbered per class by position."""
    used: dict[str, int] = {}
    groups = []
    # The model's own structural names: "0.kernel" in a Sequential, "hidden.kernel" in a
    # subclassed Model (attribute names), so the state dict loads back into either.
    for attribute, layer in model._modules.items():
        kind = _keras_class(layer)
        name = _snake_case(kind)
        used[name] = used.get(name, -1) + 1
        group = name if used[name] == 0 else f"{name}_{used[name]}"
        params = [(f"{attribute}.{key}", p) for key, p in layer.named_parameters()]
        groups.append((group, params))
    return groups


def _keras_class(layer: Any) -> str:
    from .layers import Activation, Dense, Dropout, Flatten, Linear

    if isinstance(layer, Linear) or not isinstance(layer, (Dense, Dropout, Flatten, Activation)):
        raise ValueError(
            f"layer {layer.name!r} ({type(layer).__name__}) has no Keras counterpart we can "
            "write; Keras files hold Dense, Dropout, Flatten and Activation layers"
        )
    return "Activation" if isinstance(layer, Activation) else type(layer).__name__


def _write_h5(h5py: Any, file: IO[bytes], name: str, groups: list) -> None:
    with h5py.File(file, "w") as h5:
        for group, params in groups:
            variables = h5.create_group(f"layers/{group}/vars")
            variables.attrs["name"] = group
            for i, (_, parameter) in enumerate(params):
                variables.create_dataset(str(i), data=parameter.data)
        h5.create_group("vars").attrs["name"] = name


def _load_h5(h5py: Any, model: Any, file: IO[bytes], source: str) -> None:
    try:
        h5 = h5py.File(file, "r")
    except OSError as error:
        raise ValueError(f"load_weights: the {source} is not an HDF5 file: {error}") from error
    state, problems = {}, []
    with h5:
        for group, params in keras_weight_groups(model):
            stored = h5.get(f"layers/{group}/vars")
            count = 0 if stored is None else len(stored)
            if count != len(params):
                problems.append(
                    f"layers/{group}: {count} arrays in the file, {len(params)} in the model"
                )
                continue
            try:
                for i, (name, _) in enumerate(params):
                    state[name] = stored[str(i)][()]
            except (KeyError, TypeError, AttributeError) as error:  # a damaged or foreign layout
                problems.append(f"layers/{group}/vars: no arrays 0..{count - 1} ({error})")
        extra = sorted(set(h5.get("layers", {})) - {g for g, _ in keras_weight_groups(model)})
    if extra:
        problems.append(f"layers in the file but not in the model: {extra}")
    if problems:
        raise ValueError(f"cannot load the {source}: " + "; ".join(problems))
    model.load_state_dict(state, source=source)


# ---------------------------------------------------------------------- .keras model files
def _layer_config(layer: Any) -> dict[str, Any]:
    kind = _keras_class(layer)
    config: dict[str, Any] = {"name": layer.name, "trainable": True, "dtype": "float32"}
    if kind == "Dense":
        regularizer = layer.kernel_regularizer
        config.update(
            units=layer.units,
            activation=_activation_name(layer),
            use_bias=layer.use_bias,
            kernel_regularizer=None
            if regularizer is None
            else {
                "module": "keras.regularizers",
                "class_name": "L1L2",
                "config": regularizer.get_config(),
                "registered_name": None,
            },
        )
    elif kind == "Dropout":
        config["rate"] = layer.rate
    elif kind == "Activation":
        config["activation"] = _activation_name(layer)
    entry = {
        "module": "keras.layers",
        "class_name": kind,
        "config": config,
        "registered_name": None,
    }
    if kind == "Dense":
        entry["build_config"] = {"input_shape": [None, int(layer.kernel.shape[0])]}
    return entry


def _activation_name(layer: Any) -> str:
    name = layer.activation_name
    if name is None and layer.activation.__name__ != "linear_activation":
        raise ValueError(f"layer {layer.name!r}: a custom activation cannot go in a .keras file")
    return name or "linear"


def save_model(model: Any, path: str | os.PathLike) -> None:
    """Write Keras 3's ``.keras`` zip for a Sequential of layers Keras knows (atomically)."""
    if not os.fspath(path).endswith(".keras"):
        raise ValueError(f"save: {os.fspath(path)!r} must end in .keras (weights: save_weights)")
    from .models import Sequential

    h5py = _h5py("save to .keras")
    if not isinstance(model, Sequential):  # what our Keras config describes: a Sequential
        raise ValueError(
            f"save: .keras files are written for Sequential models; {type(model).__name__} is "
            "a subclassed Model: use save_weights('....weights.h5') (or .npz) instead"
        )
    if model.input_shape is None:
        raise ValueError("save: the model's input shape is unknown; start it with layers.Input")
    shape = [None, *model.input_shape]
    layers = [
        {
            "module": "keras.layers",
            "class_name": "InputLayer",
            "registered_name": None,
            "config": {"batch_shape": shape, "dtype": "float32", "name": "input_layer"},
        }
    ]
    layers += [_layer_config(layer) for layer in model.layers]
    config = {
        "module": "keras",
        "class_name": "Sequential",
        "registered_name": None,
        "config": dict(name=model.name, trainable=True, layers=layers, build_input_shape=shape),
        "build_config": {"input_shape": shape},
        "compile_config": compile_config(model),  # None if not compiled, as Keras writes it
    }
    metadata = {"keras_version": "3.15.1", "date_saved": time.strftime("%Y-%m-%d@%H:%M:%S")}
    weights = io.BytesIO()
    _write_h5(h5py, weights, model.name, keras_weight_groups(model))

    def write(file: IO[bytes]) -> None:
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr("metadata.json", json.dumps(metadata))
            archive.writestr("config.json", json.dumps(config))
            archive.writestr("model.weights.h5", weights.getvalue())

    atomic_write(path, write)


def _layer_from_config(entry: dict[str, Any]) -> Any:
    from . import layers, regularizers

    kind, config = entry.get("class_name"), entry.get("config", {})
    name = config.get("name")
    if kind == "Dense":
        regularizer = config.get("kernel_regularizer")
        if regularizer is not None:
            regularizer = regularizers.Regularizer(
                **{k: v for k, v in regularizer["config"].items() if k in ("l1", "l2")}
            )
        return layers.Dense(
            config["units"],
            activation=config.get("activation") or None,
            use_bias=config.get("use_bias", True),
            kernel_regularizer=regularizer,
            name=name,
        )
    if kind == "Dropout":
        return layers.Dropout(config["rate"], name=name)
    if kind == "Flatten":
        return layers.Flatten(name=name)
    if kind == "Activation":
        return layers.Activation(config["activation"], name=name)
    if kind == "InputLayer":
        shape = config.get("batch_shape") or [None, *config.get("shape", [])]
        return layers.Input(shape=tuple(shape[1:]))
    raise ValueError(
        f"load_model: layer {name!r} of class {kind!r} is not one we have "
        "(we read InputLayer, Dense, Dropout, Flatten, Activation)"
    )


def load_model(path: str | os.PathLike) -> Any:
    """A Sequential rebuilt from a ``.keras`` file, weights loaded and checked.

    Raises ValueError naming the file for anything that is not a readable ``.keras`` archive
    of a Sequential: not a zip, a missing member, a config.json that is not JSON or lacks a
    field (a damaged or foreign file), an unknown layer, or weights that do not fit."""
    h5py = _h5py("load_model")
    path = os.fspath(path)
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
            weights = archive.read("model.weights.h5")
    except (zipfile.BadZipFile, KeyError, ValueError) as error:  # JSONDecodeError: ValueError
        raise ValueError(f"load_model: {path} is not a .keras file: {error}") from error
    try:
        model = _sequential_from_config(config)
    except (KeyError, IndexError, TypeError, AttributeError) as error:
        # A config.json written by neither Keras nor us: say which file, not a bare KeyError.
        raise ValueError(
            f"load_model: {path} has a damaged config.json ({type(error).__name__}: {error})"
        ) from error
    _load_h5(h5py, model, io.BytesIO(weights), f"file {path}")
    compile_from_config(model, config.get("compile_config"), path)  # compiled, as Keras's
    return model


def _sequential_from_config(config: Any) -> Any:
    from .models import Sequential

    if config.get("class_name") != "Sequential":
        raise ValueError(f"load_model: only Sequential models, got {config.get('class_name')!r}")
    model = Sequential(
        *[_layer_from_config(e) for e in config["config"]["layers"]],
        name=config["config"].get("name"),
    )
    if not model.built:
        shape = config["config"].get("build_input_shape")
        if shape is None:
            raise ValueError("load_model: the file gives no input shape to build the model")
        model.build(tuple(shape[1:]))
    return model
