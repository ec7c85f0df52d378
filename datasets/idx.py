"""Read IDX files, the format MNIST and Fashion-MNIST ship in.

An IDX file is a 4-byte magic number (two zero bytes, a data type code, the number of
dimensions), one big-endian uint32 per dimension, then the data in C order, big-endian.
Every check below names the file and says what was expected and what was found, so a
truncated download or a wrong file is recognised at once instead of surfacing later as a
strange reshape error.

>>> import numpy as np
>>> header = bytes([0, 0, 0x08, 1]) + (3).to_bytes(4, "big")
>>> parse_idx(header + bytes([5, 0, 4]), "labels")
array([5, 0, 4], dtype=uint8)
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Sequence
from typing import BinaryIO

import numpy as np

__all__ = ["DTYPES", "IDXError", "gunzip", "parse_idx", "read_idx"]

# Data type codes of the IDX format; multi-byte types are stored big-endian.
DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype("u1"),
    0x09: np.dtype("i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file that is not a valid IDX file (or not the one expected)."""


def _describe_codes() -> str:
    return ", ".join(f"0x{code:02X} {dt.newbyteorder('=').name}" for code, dt in DTYPES.items())


def parse_idx(
    data: bytes | bytearray | memoryview,
    name: str = "<bytes>",
    *,
    shape: Sequence[int | None] | None = None,
    dtype: np.dtype | type | str | None = None,
) -> np.ndarray:
    """Parse uncompressed IDX bytes into a new, writable, native-endian array.

    Args:
        data: the whole file content (already decompressed).
        name: what to call the data in error messages (usually the file path).
        shape: expected shape; ``None`` entries accept any size, e.g. ``(None, 28, 28)``.
        dtype: expected element type, e.g. ``np.uint8``.

    Raises:
        IDXError: bad magic number, unknown type code, wrong dimensions or type, truncated
            data or trailing bytes.

    >>> parse_idx(bytes([0, 0, 0x08, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9]), "x", shape=(None, 2))
    array([[7, 9]], dtype=uint8)
    """
    view = memoryview(data).cast("B")
    dims, file_dtype, header_size = _read_header(view, name)
    native = file_dtype.newbyteorder("=")
    _check_expected(name, dims, native, shape, dtype)
    count = int(np.prod(dims, dtype=np.int64))
    _check_length(name, dims, native, count * file_dtype.itemsize, len(view) - header_size)
    flat = np.frombuffer(view, dtype=file_dtype, count=count, offset=header_size)
    # astype always copies here: the result owns its memory, is writable (like Keras's arrays)
    # and native-endian, so later arithmetic does not pay for byte swapping.
    return flat.astype(native).reshape(dims)


def _read_header(view: memoryview, name: str) -> tuple[tuple[int, ...], np.dtype, int]:
    """The dimensions, the file's element type and the header's size in bytes."""
    if len(view) < 4:
        raise IDXError(f"{name}: too short for an IDX header: expected 4 bytes, got {len(view)}")
    magic = bytes(view[:4])
    if magic[:2] != b"\x00\x00":
        hint = " (it looks gzip-compressed: use read_idx)" if magic[:2] == _GZIP_MAGIC else ""
        raise IDXError(
            f"{name}: bad IDX magic number 0x{magic.hex()}: expected two zero bytes first, "
            f"got 0x{magic[:2].hex()}{hint}"
        )
    code, ndim = magic[2], magic[3]
    if code not in DTYPES:
        raise IDXError(
            f"{name}: unknown IDX data type code 0x{code:02X}; expected one of {_describe_codes()}"
        )
    if ndim == 0:
        raise IDXError(f"{name}: IDX header declares 0 dimensions; expected at least 1")
    header_size = 4 + 4 * ndim
    if len(view) < header_size:
        raise IDXError(
            f"{name}: truncated IDX header: {ndim} dimensions need {header_size} bytes, "
            f"got {len(view)}"
        )
    dims = tuple(int.from_bytes(view[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return dims, DTYPES[code], header_size


def _check_length(
    name: str, dims: tuple[int, ...], native: np.dtype, expected_bytes: int, got_bytes: int
) -> None:
    if got_bytes < expected_bytes:
        raise IDXError(
            f"{name}: truncated IDX data: shape {dims} of {native.name} needs "
            f"{expected_bytes} bytes, got {got_bytes}"
        )
    if got_bytes > expected_bytes:
        raise IDXError(
            f"{name}: {got_bytes - expected_bytes} trailing bytes after the IDX data: shape "
            f"{dims} of {native.name} needs {expected_bytes} bytes, got {got_bytes}"
        )


def _check_expected(
    name: str,
    dims: tuple[int, ...],
    native: np.dtype,
    shape: Sequence[int | None] | None,
    dtype: np.dtype | type | str | None,
) -> None:
    if shape is not None:
        shape = tuple(shape)
        if len(dims) != len(shape):
            raise IDXError(
                f"{name}: expected {len(shape)} dimensions {_fmt_shape(shape)}, "
                f"got {len(dims)}: {dims}"
            )
        for axis, (want, got) in enumerate(zip(shape, dims)):
            if want is not None and want != got:
                raise IDXError(
                    f"{name}: dimension {axis} is {got}, expected {want} "
                    f"(shape {dims}, expected {_fmt_shape(shape)})"
                )
    if dtype is not None and np.dtype(dtype) != native:
        raise IDXError(f"{name}: expected {np.dtype(dtype).name} data, got {native.name}")


def _fmt_shape(shape: tuple[int | None, ...]) -> str:
    inner = ", ".join("any" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def gunzip(data: bytes, name: str = "<bytes>") -> bytes:
    """Decompress gzip bytes, turning every way it can fail into an :class:`IDXError`.

    >>> import gzip
    >>> gunzip(gzip.compress(b"abc"))
    b'abc'
    """
    if data[:2] != _GZIP_MAGIC:
        raise IDXError(
            f"{name}: not a gzip file: expected magic bytes 0x1f8b, got 0x{data[:2].hex() or '-'}"
        )
    try:
        return gzip.decompress(data)
    except EOFError as exc:  # the stream stops before its end marker
        raise IDXError(f"{name}: truncated gzip data ({exc})") from exc
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:  # bad header, CRC, or deflate data
        raise IDXError(f"{name}: damaged gzip data ({exc})") from exc


def read_idx(
    source: str | os.PathLike[str] | BinaryIO,
    *,
    shape: Sequence[int | None] | None = None,
    dtype: np.dtype | type | str | None = None,
) -> np.ndarray:
    """Read an IDX file, plain or gzip-compressed, from a path or a binary file object.

    Gzip is recognised by its magic bytes; a file whose name ends in ``.gz`` must be gzip.
    ``shape`` and ``dtype`` are checked as in :func:`parse_idx`.

    >>> import gzip, io
    >>> blob = gzip.compress(bytes([0, 0, 0x08, 1, 0, 0, 0, 2, 3, 1]))
    >>> read_idx(io.BytesIO(blob))
    array([3, 1], dtype=uint8)
    """
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        with open(source, "rb") as f:
            data = f.read()
    else:
        name = str(getattr(source, "name", "<stream>"))
        data = source.read()
    if data[:2] == _GZIP_MAGIC or name.endswith(".gz"):
        data = gunzip(data, name)
    return parse_idx(data, name, shape=shape, dtype=dtype)
