"""The real-MNIST tests skip exactly when the loader would have to download: they ask the
loader's own lookup, so both spellings of ``$CHAINRULE_DATA`` and the user cache count."""

from __future__ import annotations

import pytest

from datasets.mnist import MNIST
from tests.mnist_local import mnist_local_folder


def make_mnist_folder(root):
    folder = root / "mnist"
    folder.mkdir(parents=True)
    for pinned in MNIST.files:
        (folder / pinned.name).write_bytes(b"")
    return folder


@pytest.mark.parametrize("spelling", ["parent", "mnist folder itself", "user cache"])
def test_real_mnist_tests_find_the_data_where_the_loader_does(tmp_path, monkeypatch, spelling):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    if spelling == "user cache":
        monkeypatch.delenv("CHAINRULE_DATA", raising=False)
        folder = make_mnist_folder(tmp_path / "cache" / "chainrule")
    else:
        folder = make_mnist_folder(tmp_path / "data")
        env = folder.parent if spelling == "parent" else folder
        monkeypatch.setenv("CHAINRULE_DATA", str(env))
    assert mnist_local_folder() == folder


@pytest.mark.parametrize("env", ["", "missing", "file", "no-mnist-inside"])
def test_real_mnist_tests_skip_when_the_loader_would_download(tmp_path, monkeypatch, env):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "file").write_text("x")
    (tmp_path / "no-mnist-inside").mkdir()
    folder = make_mnist_folder(tmp_path / "partial")
    (folder / MNIST.files[0].name).unlink()  # three files of four: still a download
    monkeypatch.setenv("CHAINRULE_DATA", str(tmp_path / env) if env else "")
    assert mnist_local_folder() is None
    monkeypatch.setenv("CHAINRULE_DATA", str(folder))
    assert mnist_local_folder() is None


def test_the_readme_and_notebook_tests_use_that_lookup(tmp_path, monkeypatch):
    from tests import test_readme

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CHAINRULE_DATA", str(make_mnist_folder(tmp_path / "data")))
    assert test_readme.mnist_is_local()
    notebooks = pytest.importorskip("tests.test_notebooks")
    assert notebooks.mnist_is_local()
