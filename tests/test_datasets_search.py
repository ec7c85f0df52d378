"""Where data files are looked for: every spelling of ``CHAINRULE_DATA``, and what is said when
nothing is found.

No network: the data sets have no mirrors (or their files sit in the user cache already), so a
file found nowhere ends in a :class:`DownloadError` whose message is what these tests read.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from datasets import mnist
from datasets._fetch import DownloadError, PinnedFile, cache_dir, data_env_folder
from datasets.mnist import IDXDataset, load_idx_dataset

NAMES = [f.name for f in mnist.MNIST.files]
REAL_MNIST = Path("/work/shared/data/mnist")
if os.environ.get("CHAINRULE_DATA"):
    REAL_MNIST = Path(os.environ["CHAINRULE_DATA"]) / "mnist"


def idx_gz(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


def make_blobs(seed: int) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    arrays = [
        rng.integers(0, 256, (4, 2, 2), dtype=np.uint8),
        rng.integers(0, 10, 4, dtype=np.uint8),
        rng.integers(0, 256, (3, 2, 2), dtype=np.uint8),
        rng.integers(0, 10, 3, dtype=np.uint8),
    ]
    return {name: idx_gz(a) for name, a in zip(NAMES, arrays)}


def spec_for(blobs: dict[str, bytes], name: str) -> IDXDataset:
    pinned = [PinnedFile(n, hashlib.sha256(blobs[n]).hexdigest(), len(blobs[n])) for n in NAMES]
    return IDXDataset(name, *pinned, mirrors=(), image_shape=(2, 2))


def write_files(folder: Path, blobs: dict[str, bytes], skip: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, blob in blobs.items():
        if name not in skip:
            (folder / name).write_bytes(blob)
    return folder


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHAINRULE_DATA", raising=False)


@pytest.fixture
def blobs() -> dict[str, bytes]:
    return make_blobs(0)


def labels_of(result) -> np.ndarray:
    (_, y_train), _ = result
    return y_train


# --- both spellings are accepted -----------------------------------------------------------


@pytest.mark.parametrize("dataset", ["mnist", "fashion-mnist"])
@pytest.mark.parametrize("spelling", ["parent", "itself"])
def test_chainrule_data_may_name_the_parent_or_the_dataset_folder_itself(
    tmp_path, monkeypatch, blobs, dataset, spelling
):
    folder = write_files(tmp_path / "shared" / dataset, blobs)
    monkeypatch.setenv("CHAINRULE_DATA", str(folder.parent if spelling == "parent" else folder))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a spelling we accept must not warn
        result = load_idx_dataset(spec_for(blobs, dataset))
    labels = np.frombuffer(gzip.decompress(blobs[NAMES[1]]), np.uint8)[8:]  # after the header
    np.testing.assert_array_equal(labels_of(result), labels)
    assert not cache_dir(dataset).exists()  # found there, so nothing downloaded or cached


def test_the_parent_spelling_wins_when_both_folders_exist(tmp_path, monkeypatch, blobs):
    inner = write_files(tmp_path / "mnist" / "mnist", blobs)
    write_files(tmp_path / "mnist", make_blobs(1))  # would fail its checksum if read
    monkeypatch.setenv("CHAINRULE_DATA", str(inner.parent))
    assert data_env_folder("mnist").folder == inner
    load_idx_dataset(spec_for(blobs, "mnist"))


def test_another_data_sets_folder_is_never_read_for_its_same_named_files(
    tmp_path, monkeypatch, blobs
):
    # MNIST and Fashion-MNIST files share their names: CHAINRULE_DATA=.../mnist must not make
    # fashion_mnist read the digits (that would be a checksum error, or worse, a wrong pin).
    write_files(tmp_path / "mnist", make_blobs(1))
    monkeypatch.setenv("CHAINRULE_DATA", str(tmp_path / "mnist"))
    with pytest.raises(DownloadError, match=r"CHAINRULE_DATA=\S+mnist: no fashion-mnist/ inside"):
        load_idx_dataset(spec_for(blobs, "fashion-mnist"))


@pytest.mark.skipif(not REAL_MNIST.is_dir(), reason="real MNIST gz files not found")
def test_real_mnist_loads_with_chainrule_data_naming_the_mnist_folder(tmp_path, monkeypatch):
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in NAMES:  # links, not copies: the shared data is read-only and 11 MB
        (folder / name).symlink_to(REAL_MNIST / name)
    monkeypatch.setenv("CHAINRULE_DATA", str(folder))
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    assert x_train.shape == (60000, 28, 28) and y_train[0] == 5 and y_test[0] == 7
    assert not cache_dir("mnist").exists()


# --- settings that name nothing usable ------------------------------------------------------


def bad_setting(tmp_path: Path, kind: str) -> tuple[str, str]:
    """A CHAINRULE_DATA value of the given kind, and what the warning must say about it."""
    if kind == "missing":
        return str(tmp_path / "no-such-folder"), "does not exist"
    file = tmp_path / "a-file"
    file.write_text("")
    return str(file), "is a file, not a folder"


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_setting_naming_nothing_usable_warns_once_and_the_cache_is_used(
    tmp_path, monkeypatch, blobs, kind
):
    value, problem = bad_setting(tmp_path, kind)
    monkeypatch.setenv("CHAINRULE_DATA", value)
    write_files(cache_dir("tiny"), blobs)
    with pytest.warns(UserWarning) as record:
        load_idx_dataset(spec_for(blobs, "tiny"))
    assert len(record) == 1, [str(w.message) for w in record]  # once per load, not per file
    message = str(record[0].message)
    assert f"CHAINRULE_DATA={value} {problem}" in message
    assert "expects a folder holding tiny/, or the tiny/ folder itself" in message


def test_an_empty_setting_means_unset_and_does_not_warn(monkeypatch, blobs):
    monkeypatch.setenv("CHAINRULE_DATA", "")
    write_files(cache_dir("tiny"), blobs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_idx_dataset(spec_for(blobs, "tiny"))


# --- when nothing is found, every place searched is listed ---------------------------------


def setting_for(tmp_path: Path, blobs: dict[str, bytes], case: str) -> tuple[str | None, str]:
    """A CHAINRULE_DATA value (None: unset) and the line the error must show for it."""
    expects = "(expects a folder holding tiny/, or the tiny/ folder itself)"
    if case == "unset":
        return None, f"$CHAINRULE_DATA: not set {expects}"
    if case == "empty":
        return "", f"$CHAINRULE_DATA: set but empty, so not used {expects}"
    if case in ("missing", "file"):
        value, problem = bad_setting(tmp_path, case)
        return value, f"$CHAINRULE_DATA={value}: {problem} {expects}"
    if case == "files-loose":  # the files, but in a folder not named after the data set
        folder = write_files(tmp_path / "downloads", blobs)
        return str(folder), f"$CHAINRULE_DATA={folder}: no tiny/ inside {expects}"
    folder = write_files(tmp_path / "shared" / "tiny", blobs, skip=(NAMES[0],))  # incomplete
    return str(folder.parent), f"$CHAINRULE_DATA folder {folder}: no {NAMES[0]}"


@pytest.mark.parametrize("case", ["unset", "empty", "missing", "file", "files-loose", "partial"])
def test_not_found_error_lists_each_place_searched_and_what_it_expects(
    tmp_path, monkeypatch, blobs, case
):
    value, env_line = setting_for(tmp_path, blobs, case)
    if value is not None:
        monkeypatch.setenv("CHAINRULE_DATA", value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the warning itself is pinned above
        with pytest.raises(DownloadError) as info:
            load_idx_dataset(spec_for(blobs, "tiny"))
    lines = str(info.value).splitlines()
    assert lines[0] == f"{NAMES[0]} not found; looked in:"
    assert lines[1] == f"  {env_line}"
    assert lines[2] == f"  the user cache {cache_dir('tiny')}: no verified {NAMES[0]}"
    assert "  (no mirrors given)" in lines
    assert "set CHAINRULE_DATA" not in str(info.value)  # the old advice, wrong when it is set
    assert lines[-1].startswith("Offline? Pass path= (the folder holding the files)")


def test_a_damaged_cached_file_is_named_among_the_places_searched(monkeypatch, blobs):
    folder = write_files(cache_dir("tiny"), {NAMES[0]: b"damaged"})
    with pytest.raises(DownloadError, match=f"the user cache {folder}: no verified {NAMES[0]}"):
        load_idx_dataset(spec_for(blobs, "tiny"))
    assert not (folder / NAMES[0]).exists()  # the cache is ours: the damaged copy is removed
