"""Find, download, verify and cache dataset files.

A file is looked for, in order, in: an explicit folder (the caller's ``path``); the folder
``$CHAINRULE_DATA/<dataset>/``; the user cache ``$XDG_CACHE_HOME/chainrule/<dataset>/`` (or
``~/.cache/chainrule/<dataset>/``); and only then downloaded from the mirrors, in order, into
the cache. Wherever it is found it must match its pinned sha256.

Why the cache is safe to trust: downloads stream into a temporary file in the cache folder, are
hashed while they arrive, and are renamed into place (``os.replace``, atomic) only when complete
and verified; anything else deletes the temporary file. Files are re-hashed on every load
(about 30 ms for all of MNIST) rather than trusting a record of (path, size, mtime): that is
cheap next to training, and catches a file replaced or damaged in place, which is also why no
fsync is needed before the rename.

The decompressed arrays are cached as ``.npy`` files in the user cache, named after the
pinned sha256 of their gz file: a verified gz file fully determines them, whichever folder it
came from. Read-only data folders are never written to, and a cache that cannot be written
only costs speed.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import tempfile
import urllib.request
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "DATA_ENV",
    "ChecksumError",
    "DownloadError",
    "PinnedFile",
    "array_cache_path",
    "cache_dir",
    "download",
    "load_cached_array",
    "locate",
    "save_cached_array",
    "sha256_file",
    "verify",
]

DATA_ENV = "CHAINRULE_DATA"
_CHUNK = 1 << 16
# mkstemp creates owner-only files; the cache holds public data that others may share.
_FILE_MODE = 0o644
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PinnedFile:
    """A file name with the sha256 (and, if known, the size in bytes) it must have."""

    name: str
    sha256: str
    size: int | None = None


class ChecksumError(ValueError):
    """A file whose sha256 is not the pinned one."""


class DownloadError(OSError):
    """No mirror delivered a complete, verified copy of a file."""


def cache_dir(dataset: str) -> Path:
    """The user cache folder of a dataset, e.g. ``~/.cache/chainrule/mnist``.

    ``$XDG_CACHE_HOME`` is used when set to an absolute path (the XDG spec says to ignore a
    relative one).

    >>> cache_dir("mnist").parts[-2:]
    ('chainrule', 'mnist')
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "chainrule" / dataset


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: str | os.PathLike[str], pinned: PinnedFile) -> None:
    """Raise :class:`ChecksumError` naming the file and both digests unless it matches."""
    got = sha256_file(path)
    if got != pinned.sha256:
        raise ChecksumError(
            f"{os.fspath(path)}: sha256 mismatch: expected {pinned.sha256}, got {got}"
        )


def locate(
    pinned: PinnedFile,
    dataset: str,
    mirrors: Iterable[str],
    folder: str | os.PathLike[str] | None = None,
) -> Path:
    """Return the path of a verified copy of ``pinned``, downloading it if needed.

    With ``folder`` given, only that folder is used: a missing file there is an error, not a
    reason to fetch it from elsewhere.
    """
    if folder is not None:
        candidate = Path(folder) / pinned.name
        if not candidate.is_file():
            raise FileNotFoundError(f"{os.fspath(folder)}: missing {pinned.name}")
        verify(candidate, pinned)
        return candidate
    data_root = os.environ.get(DATA_ENV)
    if data_root:
        candidate = Path(data_root) / dataset / pinned.name
        # A damaged file in the data folder is an error (raised by verify), not something to
        # work around by downloading: the folder's owner needs to know.
        if candidate.is_file():
            verify(candidate, pinned)
            return candidate
    cached = cache_dir(dataset) / pinned.name
    if cached.is_file():
        try:
            verify(cached, pinned)
            return cached
        except ChecksumError as exc:
            # The cache is ours: replace a damaged file instead of failing forever.
            logger.warning("%s; removing it and downloading it again", exc)
            cached.unlink(missing_ok=True)
    return download(pinned, mirrors, cache_dir(dataset))


def download(
    pinned: PinnedFile,
    mirrors: Iterable[str],
    dest_dir: str | os.PathLike[str],
    *,
    timeout: float = 30.0,
) -> Path:
    """Download ``pinned`` into ``dest_dir`` from the first mirror that delivers it intact.

    Each mirror is a URL prefix the file name is appended to. Raises :class:`DownloadError`
    listing every mirror and why it failed.
    """
    dest = Path(dest_dir)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(
            f"cannot download {pinned.name}: cache folder {dest} is not writable ({exc}); "
            f"pass path= or set {DATA_ENV} to a folder holding the files"
        ) from exc
    failures = []
    for mirror in mirrors:
        url = mirror if mirror.endswith("/") else mirror + "/"
        url += pinned.name
        try:
            return _download_one(url, pinned, dest, timeout)
        except (OSError, ValueError, http.client.HTTPException) as exc:
            logger.warning("download of %s failed: %s", url, exc)
            failures.append(f"  {url}: {exc}")
    tried = "\n".join(failures) or "  (no mirrors given)"
    raise DownloadError(
        f"could not download {pinned.name}; tried:\n{tried}\n"
        f"Offline? Pass path= or set {DATA_ENV} to a folder holding the files."
    )


def _download_one(url: str, pinned: PinnedFile, dest: Path, timeout: float) -> Path:
    fd, tmp = tempfile.mkstemp(dir=dest, prefix=f".{pinned.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            announced = int(length) if length is not None else None
            if None not in (announced, pinned.size) and announced != pinned.size:
                raise DownloadError(f"server announces {announced} bytes, expected {pinned.size}")
            digest, received = hashlib.sha256(), 0
            with _progress_bar(announced or pinned.size, pinned.name) as bar:
                while chunk := resp.read(_CHUNK):
                    received += len(chunk)
                    # A wrong or endless body is cut off as soon as it is too long.
                    if pinned.size is not None and received > pinned.size:
                        raise DownloadError(f"more than the expected {pinned.size} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                    bar.update(len(chunk))
        # http.client returns a short body without complaint when the connection drops.
        if announced is not None and received != announced:
            raise DownloadError(f"incomplete: received {received} of {announced} bytes")
        got = digest.hexdigest()
        if got != pinned.sha256:
            raise ChecksumError(
                f"{pinned.name}: sha256 mismatch: expected {pinned.sha256}, got {got}"
            )
        final = dest / pinned.name
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, final)
        return final
    except BaseException:  # including KeyboardInterrupt: never leave a partial file behind
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None


def _progress_bar(total: int | None, desc: str):
    """A tqdm byte counter, or a silent stand-in when tqdm is not installed."""
    try:
        from tqdm import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024)


def array_cache_path(dataset: str, pinned: PinnedFile) -> Path:
    """Where the decompressed array of a gz file is cached (keyed by the gz sha256)."""
    stem = pinned.name.removesuffix(".gz")
    return cache_dir(dataset) / f"{stem}.{pinned.sha256[:16]}.npy"


def load_cached_array(path: Path) -> np.ndarray | None:
    """The cached array at ``path``, or None when absent or unreadable."""
    try:
        return np.load(path, allow_pickle=False)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        logger.warning("ignoring unreadable cached array %s: %s", path, exc)
        return None


def save_cached_array(path: Path, array: np.ndarray) -> bool:
    """Write ``array`` to ``path`` atomically; return False (and go on) if it can't be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        # A read-only cache must not break loading: it only makes the next load slower.
        logger.info("not caching %s: %s", path, exc)
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            np.save(f, array, allow_pickle=False)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
        return True
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # e.g. a full disk: same as above, just slower next time
            logger.info("not caching %s: %s", path, exc)
            return False
        raise
