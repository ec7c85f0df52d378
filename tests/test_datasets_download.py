"""Finding, downloading, verifying and caching dataset files, with a real local HTTP server.

The data sets here are tiny synthetic IDX gz files with their own pinned checksums, served on
127.0.0.1 by ``http.server`` in a thread; the mirror paths choose how the server misbehaves.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

import datasets._fetch as fetch
from datasets import fashion_mnist, mnist
from datasets._fetch import ChecksumError, DownloadError, PinnedFile, cache_dir, download, verify
from datasets.mnist import IDXDataset, load_idx_dataset

NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def idx_gz(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return gzip.compress(header + array.tobytes(), mtime=0)


@pytest.fixture(scope="module")
def tiny() -> tuple[dict[str, np.ndarray], dict[str, bytes]]:
    """Four small arrays and their IDX gz files under the MNIST names."""
    rng = np.random.default_rng(0)
    arrays = {
        NAMES[0]: rng.integers(0, 256, (6, 4, 4), dtype=np.uint8),
        NAMES[1]: rng.integers(0, 10, 6, dtype=np.uint8),
        NAMES[2]: rng.integers(0, 256, (3, 4, 4), dtype=np.uint8),
        NAMES[3]: rng.integers(0, 10, 3, dtype=np.uint8),
    }
    return arrays, {name: idx_gz(a) for name, a in arrays.items()}


def spec_for(blobs: dict[str, bytes], mirrors: tuple[str, ...], name: str = "tiny") -> IDXDataset:
    pinned = [PinnedFile(n, hashlib.sha256(blobs[n]).hexdigest(), len(blobs[n])) for n in NAMES]
    return IDXDataset(name, *pinned, mirrors=mirrors, image_shape=(4, 4))


class Server:
    """Serves ``files`` under /<mode>/<name>; ``requests`` records every path asked for."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll interval keeps shutdown() (once per test) from costing half a second.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def mirror(self, mode: str) -> str:
        return f"{self.base}/{mode}/"


def _make_handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            server.requests.append(self.path)
            mode, _, name = self.path.strip("/").partition("/")
            body = server.files.get(name)
            if mode == "missing" or body is None:
                self.send_error(404)
                return
            if mode == "corrupt":  # same length, one byte changed
                body = body[:-1] + bytes([body[-1] ^ 0xFF])
            if mode == "toolong":
                body = body + bytes(64)
            self.send_response(200)
            if mode not in ("nolength", "toolong"):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode in ("short", "nolength"):  # drop the connection half-way through the body
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


@pytest.fixture
def server(tiny) -> Iterator[Server]:
    srv = Server(tiny[1])
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    srv.thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CHAINRULE_DATA", raising=False)
    # Requests to 127.0.0.1 must never go through a proxy configured on the machine.
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")
    return tmp_path / "cache"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def assert_loaded(result, arrays) -> None:
    (x_train, y_train), (x_test, y_test) = result
    for name, got in zip(NAMES, (x_train, y_train, x_test, y_test)):
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[name])


def assert_cache_holds_only_verified_files(folder: Path, blobs: dict[str, bytes]) -> None:
    names = files_in(folder)
    gz = [n for n in names if n.endswith(".gz")]
    assert gz == sorted(NAMES), names
    assert names == gz, names  # no temporary files, no derived arrays
    for n in gz:
        assert (folder / n).read_bytes() == blobs[n]


# --- downloads ------------------------------------------------------------------------------


def test_second_mirror_is_used_when_the_first_answers_404(server, tiny):
    arrays, blobs = tiny
    spec = spec_for(blobs, (server.mirror("missing"), server.mirror("good")))
    assert_loaded(load_idx_dataset(spec), arrays)
    assert server.requests[:2] == [f"/missing/{NAMES[0]}", f"/good/{NAMES[0]}"]
    assert_cache_holds_only_verified_files(cache_dir("tiny"), blobs)


def test_corrupted_file_from_first_mirror_is_rejected_and_second_used(server, tiny):
    arrays, blobs = tiny
    spec = spec_for(blobs, (server.mirror("corrupt"), server.mirror("good")))
    assert_loaded(load_idx_dataset(spec), arrays)
    assert sum(r.startswith("/corrupt/") for r in server.requests) == 4
    assert_cache_holds_only_verified_files(cache_dir("tiny"), blobs)


def test_when_every_mirror_fails_the_error_lists_each_and_the_cache_stays_empty(server, tiny):
    _, blobs = tiny
    spec = spec_for(blobs, (server.mirror("missing"), server.mirror("corrupt")))
    with pytest.raises(DownloadError) as info:
        load_idx_dataset(spec)
    message = str(info.value)
    expected = spec.train_images.sha256
    got = hashlib.sha256(blobs[NAMES[0]][:-1] + bytes([blobs[NAMES[0]][-1] ^ 0xFF])).hexdigest()
    assert f"{server.mirror('missing')}{NAMES[0]}: HTTP Error 404" in message
    assert f"{server.mirror('corrupt')}{NAMES[0]}" in message
    assert f"expected {expected}, got {got}" in message
    assert "CHAINRULE_DATA" in message  # says how to work offline
    assert files_in(cache_dir("tiny")) == []


@pytest.mark.parametrize("mode", ["short", "nolength", "toolong"])
def test_interrupted_or_overlong_download_leaves_nothing_behind(server, tiny, mode):
    _, blobs = tiny
    pinned = spec_for(blobs, ()).train_images
    with pytest.raises(DownloadError):
        download(pinned, [server.mirror(mode)], cache_dir("tiny"))
    assert files_in(cache_dir("tiny")) == []


def test_short_body_is_reported_with_received_and_announced_sizes(server, tiny):
    _, blobs = tiny
    pinned = dataclasses.replace(spec_for(blobs, ()).train_images, size=None)
    with pytest.raises(DownloadError, match=r"incomplete: received \d+ of \d+ bytes"):
        download(pinned, [server.mirror("short")], cache_dir("tiny"))


def test_server_announcing_the_wrong_size_is_rejected_before_reading(server, tiny):
    _, blobs = tiny
    pinned = dataclasses.replace(spec_for(blobs, ()).train_images, size=10)
    with pytest.raises(DownloadError, match="expected 10"):
        download(pinned, [server.mirror("good")], cache_dir("tiny"))
    assert files_in(cache_dir("tiny")) == []


def test_keyboard_interrupt_mid_download_removes_the_temporary_file(server, tiny, monkeypatch):
    class InterruptingBar:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return None

        def update(self, n):
            raise KeyboardInterrupt

    monkeypatch.setattr(fetch, "_progress_bar", lambda total, desc: InterruptingBar())
    _, blobs = tiny
    with pytest.raises(KeyboardInterrupt):
        download(spec_for(blobs, ()).train_images, [server.mirror("good")], cache_dir("tiny"))
    assert files_in(cache_dir("tiny")) == []


def test_download_works_without_tqdm(server, tiny, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "tqdm", None)  # makes `import tqdm` fail
    _, blobs = tiny
    path = download(spec_for(blobs, ()).train_labels, [server.mirror("good")], cache_dir("tiny"))
    assert path.read_bytes() == blobs[NAMES[1]]


def test_cached_files_are_used_without_asking_the_network(server, tiny):
    arrays, blobs = tiny
    spec = spec_for(blobs, (server.mirror("good"),))
    load_idx_dataset(spec)
    asked = len(server.requests)
    assert_loaded(load_idx_dataset(spec), arrays)
    assert len(server.requests) == asked == 4


def test_damaged_cached_file_is_replaced_by_a_fresh_download(server, tiny):
    arrays, blobs = tiny
    spec = spec_for(blobs, (server.mirror("good"),))
    folder = cache_dir("tiny")
    folder.mkdir(parents=True)
    (folder / NAMES[1]).write_bytes(b"garbage")
    assert_loaded(load_idx_dataset(spec), arrays)
    assert (folder / NAMES[1]).read_bytes() == blobs[NAMES[1]]


def test_unwritable_cache_makes_the_download_error_say_how_to_work_offline(
    server, tiny, tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # a file where a folder should be: fails even for root
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _, blobs = tiny
    spec = spec_for(blobs, (server.mirror("good"),))
    with pytest.raises(DownloadError, match="not writable.*CHAINRULE_DATA"):
        load_idx_dataset(spec)


def test_verify_error_names_the_file_and_both_digests(tmp_path):
    path = tmp_path / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(b"not the real file")
    pinned = PinnedFile(path.name, "0" * 64)
    got = hashlib.sha256(b"not the real file").hexdigest()
    with pytest.raises(ChecksumError) as info:
        verify(path, pinned)
    assert str(info.value) == f"{path}: sha256 mismatch: expected {'0' * 64}, got {got}"


# --- where files are looked for -------------------------------------------------------------


def write_files(folder: Path, blobs: dict[str, bytes], skip: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, blob in blobs.items():
        if name not in skip:
            (folder / name).write_bytes(blob)
    return folder


def test_explicit_path_missing_a_file_names_folder_and_file_and_downloads_nothing(
    server, tiny, tmp_path
):
    _, blobs = tiny
    folder = write_files(tmp_path / "data", blobs, skip=(NAMES[2],))
    spec = spec_for(blobs, (server.mirror("good"),))
    with pytest.raises(FileNotFoundError, match=f"{folder}: missing {NAMES[2]}$"):
        load_idx_dataset(spec, folder)
    assert server.requests == []


def test_explicit_path_that_is_not_a_folder_is_an_error(tiny, tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        load_idx_dataset(spec_for(tiny[1], ()), tmp_path / "nowhere")


def test_explicit_path_with_a_damaged_file_raises_a_checksum_error(tiny, tmp_path):
    _, blobs = tiny
    folder = write_files(tmp_path / "data", blobs)
    (folder / NAMES[0]).write_bytes(blobs[NAMES[0]] + b"x")
    with pytest.raises(ChecksumError, match=f"{NAMES[0]}: sha256 mismatch: expected"):
        load_idx_dataset(spec_for(blobs, ()), folder)


def test_explicit_path_wins_over_chainrule_data(tiny, tmp_path, monkeypatch):
    arrays, blobs = tiny
    good = write_files(tmp_path / "good", blobs)
    bad_root = tmp_path / "bad"
    for name in NAMES:
        (write_files(bad_root / "tiny", {}) / name).write_bytes(b"bad")
    monkeypatch.setenv("CHAINRULE_DATA", str(bad_root))
    assert_loaded(load_idx_dataset(spec_for(blobs, ()), good), arrays)


def test_chainrule_data_is_used_before_cache_and_network_and_never_written(
    server, tiny, tmp_path, monkeypatch
):
    arrays, blobs = tiny
    root = tmp_path / "shared"
    write_files(root / "tiny", blobs)
    monkeypatch.setenv("CHAINRULE_DATA", str(root))
    assert_loaded(load_idx_dataset(spec_for(blobs, (server.mirror("good"),))), arrays)
    assert server.requests == []
    assert files_in(root / "tiny") == sorted(NAMES)
    # Nothing goes to the cache: the gz files stay where they were found, arrays are not cached.
    assert files_in(cache_dir("tiny")) == []


def test_damaged_file_in_chainrule_data_is_an_error_not_a_download(
    server, tiny, tmp_path, monkeypatch
):
    _, blobs = tiny
    root = tmp_path / "shared"
    folder = write_files(root / "tiny", blobs)
    (folder / NAMES[3]).write_bytes(b"damaged")
    monkeypatch.setenv("CHAINRULE_DATA", str(root))
    with pytest.raises(ChecksumError, match=NAMES[3]):
        load_idx_dataset(spec_for(blobs, (server.mirror("good"),)))
    assert not any(NAMES[3] in r for r in server.requests)


def test_chainrule_data_without_the_dataset_folder_falls_through_to_download(
    server, tiny, tmp_path, monkeypatch
):
    arrays, blobs = tiny
    root = tmp_path / "shared"
    write_files(root / "mnist", blobs)  # another data set's folder only
    monkeypatch.setenv("CHAINRULE_DATA", str(root))
    assert_loaded(load_idx_dataset(spec_for(blobs, (server.mirror("good"),))), arrays)
    assert len(server.requests) == 4


def test_cache_folder_follows_xdg_cache_home_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir("mnist") == tmp_path / "xdg" / "chainrule" / "mnist"
    for value in ("", "relative/path"):  # the XDG spec says to ignore relative paths
        monkeypatch.setenv("XDG_CACHE_HOME", value)
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert cache_dir("mnist") == tmp_path / "home" / ".cache" / "chainrule" / "mnist"


# --- the public loaders go through the same machinery ---------------------------------------


@pytest.mark.parametrize(
    ("module", "attr", "folder"),
    [(mnist, "MNIST", "mnist"), (fashion_mnist, "FASHION_MNIST", "fashion-mnist")],
)
def test_public_load_data_downloads_into_its_cache_folder(
    server, tiny, monkeypatch, module, attr, folder
):
    arrays, blobs = tiny
    spec = spec_for(blobs, (server.mirror("missing"), server.mirror("good")), name=folder)
    monkeypatch.setattr(module, attr, spec)
    assert_loaded(module.load_data(), arrays)
    assert_cache_holds_only_verified_files(cache_dir(folder), blobs)


def test_real_mirrors_are_several_and_pinned_tables_are_complete():
    for spec in (mnist.MNIST, fashion_mnist.FASHION_MNIST):
        assert len(spec.mirrors) >= 2
        assert [f.name for f in spec.files] == list(NAMES)
        assert all(len(f.sha256) == 64 and f.size for f in spec.files)
