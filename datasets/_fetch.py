"""Find, download and verify dataset files.

A file is looked for, in order, in: an explicit folder (the caller's ``path``); the folder
named by ``$CHAINRULE_DATA`` (a folder holding ``<dataset>/``, or the ``<dataset>/`` folder
itself); the user cache ``$XDG_CACHE_HOME/chainrule/<dataset>/`` (or
``~/.cache/chainrule/<dataset>/``); and only then downloaded from the mirrors, in order, into
the cache. Wherever it is found it must match its pinned sha256. A ``$CHAINRULE_DATA`` that
names a missing folder or a file is reported with a warning, and when a file is found nowhere
the error lists every place searched and what each expects.

Why the cache is safe to trust: downloads stream into a temporary file in the cache folder, are
hashed while they arrive, and are renamed into place (``os.replace``, atomic) only when complete
and verified; anything else deletes the temporary file. Files are re-hashed on every load
(about 10 ms for all of MNIST) rather than trusting a record of (path, size, mtime): that is
cheap next to training, and catches a file replaced or damaged in place, which is also why no
fsync is needed before the rename.

Decompressed arrays are not cached. Verifying and parsing the four MNIST gz files takes about
0.18 s; reading ``.npy`` copies took 0.013 s, 0.039 s once their own sha256 is checked (median
of 7 paired runs, 2026-11). Saving 0.14 s per load did not pay for a second store that must be
verified and rebuilt; a load is parsed afresh from the verified files instead.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import tempfile
import urllib.request
import warnings
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DATA_ENV",
    "ChecksumError",
    "DownloadError",
    "PinnedFile",
    "cache_dir",
    "data_env_folder",
    "download",
    "locate",
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


@dataclass(frozen=True)
class EnvFolder:
    """What ``$CHAINRULE_DATA`` gave for a dataset: its folder (or None) and a line saying why."""

    folder: Path | None
    note: str


def data_env_folder(dataset: str, environ: Mapping[str, str] = os.environ) -> EnvFolder:
    """The folder ``$CHAINRULE_DATA`` names for ``dataset``, warning if it names nothing usable.

    Two spellings are accepted: a folder holding ``<dataset>/`` (tried first), or the
    ``<dataset>/`` folder itself (what ``path=`` takes). The second is recognised by its name,
    not its content: MNIST and Fashion-MNIST files have the same names. Unset or empty means
    "not used" (as the shell idiom ``CHAINRULE_DATA= cmd`` intends); a missing folder or a file
    gives a :class:`UserWarning` and the search goes on in the user cache.

    >>> data_env_folder("mnist", environ={}).note
    '$CHAINRULE_DATA: not set (expects a folder holding mnist/, or the mnist/ folder itself)'
    >>> import tempfile; root = Path(tempfile.mkdtemp()); (root / "mnist").mkdir()
    >>> for spelling in (root, root / "mnist"):  # both find the same folder
    ...     found = data_env_folder("mnist", {"CHAINRULE_DATA": str(spelling)}).folder
    ...     print(found == root / "mnist")
    True
    True
    """
    expects = f"expects a folder holding {dataset}/, or the {dataset}/ folder itself"
    raw = environ.get(DATA_ENV)
    if raw is None or not raw.strip():
        state = "not set" if raw is None else "set but empty, so not used"
        return EnvFolder(None, f"${DATA_ENV}: {state} ({expects})")
    root = Path(raw).expanduser()
    if root.is_dir():
        for folder in (root / dataset, root):
            if folder.is_dir() and folder.name == dataset:
                return EnvFolder(folder, f"${DATA_ENV} folder {folder}")
        return EnvFolder(None, f"${DATA_ENV}={raw}: no {dataset}/ inside ({expects})")
    problem = "is a file, not a folder" if root.exists() else "does not exist"
    # Set but unusable is almost always a typo: say so now, not only if the download fails.
    warnings.warn(
        f"{DATA_ENV}={raw} {problem}; {expects}; looking in the user cache instead",
        UserWarning,
        stacklevel=2,
    )
    return EnvFolder(None, f"${DATA_ENV}={raw}: {problem} ({expects})")


def locate(
    pinned: PinnedFile,
    dataset: str,
    mirrors: Iterable[str],
    folder: str | os.PathLike[str] | None = None,
    *,
    env: EnvFolder | None = None,
) -> Path:
    """Return the path of a verified copy of ``pinned``, downloading it if needed.

    With ``folder`` given, only that folder is used: a missing file there is an error, not a
    reason to fetch it from elsewhere. ``env`` is :func:`data_env_folder`'s answer, when the
    caller has asked once for several files. Raises :class:`ChecksumError` for a damaged file
    outside the cache, and :class:`DownloadError` listing every place searched when the file
    is nowhere and no mirror delivers it.
    """
    if folder is not None:
        candidate = Path(folder) / pinned.name
        if not candidate.is_file():
            raise FileNotFoundError(f"{os.fspath(folder)}: missing {pinned.name}")
        verify(candidate, pinned)
        return candidate
    env = data_env_folder(dataset) if env is None else env
    searched = [env.note]
    if env.folder is not None:
        candidate = env.folder / pinned.name
        # A damaged file in the data folder is an error (raised by verify), not something to
        # work around by downloading: the folder's owner needs to know.
        if candidate.is_file():
            verify(candidate, pinned)
            return candidate
        searched[0] += f": no {pinned.name}"
    cached = cache_dir(dataset) / pinned.name
    if cached.is_file():
        try:
            verify(cached, pinned)
            return cached
        except ChecksumError as exc:
            # The cache is ours: replace a damaged file instead of failing forever.
            logger.warning("%s; removing it and downloading it again", exc)
            cached.unlink(missing_ok=True)
    searched.append(f"the user cache {cached.parent}: no verified {pinned.name}")
    try:
        return download(pinned, mirrors, cache_dir(dataset))
    except DownloadError as exc:
        places = "\n".join(f"  {line}" for line in searched)
        raise DownloadError(f"{pinned.name} not found; looked in:\n{places}\n{exc}") from exc


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
            f"pass path= (the folder holding the files), or point {DATA_ENV} at it or its parent"
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
        f"Offline? Pass path= (the folder holding the files), or point {DATA_ENV} at it "
        f"(if named {dest.name}/) or at its parent."
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
