"""The IDX reader: every way a file can be wrong is caught and explained."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from datasets.idx import DTYPES, IDXError, gunzip, parse_idx, read_idx

CODE_OF = {dt.newbyteorder("="): code for code, dt in DTYPES.items()}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def make_idx(array: np.ndarray) -> bytes:
    """IDX bytes for ``array``, written independently of the parser under test."""
    code = CODE_OF[array.dtype]
    header = bytes([0, 0, code, array.ndim])
    header += b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("code", sorted(DTYPES))
def test_every_dtype_code_round_trips_to_native_endian_writable_array(code):
    native = DTYPES[code].newbyteorder("=")
    values = np.array([[0, 1, 2], [-3 if native.kind != "u" else 3, 100, 7]]).astype(native)
    out = parse_idx(make_idx(values), "x")
    assert out.dtype == native and out.dtype.isnative
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out, values)
    assert out.flags.writeable


def test_multibyte_values_are_read_big_endian():
    raw = bytes([0, 0, 0x0B, 1, 0, 0, 0, 2]) + bytes([0x01, 0x02, 0xFF, 0xFE])
    np.testing.assert_array_equal(parse_idx(raw), np.array([258, -2], np.int16))


def test_result_is_writable_even_from_immutable_bytes():
    out = parse_idx(make_idx(np.arange(4, dtype=np.uint8)))
    out[0] = 9  # would raise "assignment destination is read-only" on a frombuffer view
    assert out[0] == 9


@settings(max_examples=50, deadline=None)
@given(
    hnp.arrays(
        dtype=st.sampled_from([np.dtype(d).newbyteorder("=") for d in DTYPES.values()]),
        shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=5),
    )
)
def test_any_array_round_trips(array):
    out = parse_idx(make_idx(array), "x")
    assert out.shape == array.shape and out.dtype == array.dtype
    np.testing.assert_array_equal(out, array)


def test_bad_magic_names_file_and_expected_vs_got():
    raw = bytearray(make_idx(np.zeros(3, np.uint8)))
    raw[0:2] = b"\x01\x02"
    with pytest.raises(IDXError, match=r"train\.idx: bad IDX magic .*two zero bytes.*got 0x0102"):
        parse_idx(bytes(raw), "train.idx")


def test_gzip_bytes_passed_to_parse_idx_get_a_hint():
    blob = gzip.compress(make_idx(np.zeros(3, np.uint8)))
    with pytest.raises(IDXError, match="gzip-compressed"):
        parse_idx(blob, "x")


def test_unknown_dtype_code_is_rejected_with_the_known_ones_listed():
    raw = bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 0])
    with pytest.raises(IDXError, match=r"f\.idx: unknown IDX data type code 0x07.*0x08 uint8"):
        parse_idx(raw, "f.idx")


def test_zero_dimensions_are_rejected():
    with pytest.raises(IDXError, match="0 dimensions"):
        parse_idx(bytes([0, 0, 0x08, 0, 5]), "x")


@pytest.mark.parametrize("size", [0, 3])
def test_data_shorter_than_the_magic_number_is_rejected(size):
    with pytest.raises(IDXError, match=f"expected 4 bytes, got {size}"):
        parse_idx(bytes(size), "x")


def test_truncated_header_is_rejected():
    raw = bytes([0, 0, 0x08, 3]) + (2).to_bytes(4, "big")  # says 3 dims, holds one
    with pytest.raises(IDXError, match="3 dimensions need 16 bytes, got 8"):
        parse_idx(raw, "x")


def test_wrong_number_of_dimensions_is_rejected():
    raw = make_idx(np.zeros(5, np.uint8))
    with pytest.raises(IDXError, match=r"imgs: expected 3 dimensions \(any, 28, 28\), got 1"):
        parse_idx(raw, "imgs", shape=(None, 28, 28))


def test_wrong_dimension_size_is_rejected():
    raw = make_idx(np.zeros((2, 27, 28), np.uint8))
    with pytest.raises(IDXError, match="dimension 1 is 27, expected 28"):
        parse_idx(raw, "imgs", shape=(None, 28, 28))


def test_wrong_label_count_is_rejected():
    with pytest.raises(IDXError, match="dimension 0 is 4, expected 5"):
        parse_idx(make_idx(np.zeros(4, np.uint8)), "labels", shape=(5,))


def test_wrong_dtype_is_rejected():
    raw = make_idx(np.zeros(3, np.int16))
    with pytest.raises(IDXError, match="expected uint8 data, got int16"):
        parse_idx(raw, "x", dtype=np.uint8)


def test_truncated_data_reports_expected_and_received_bytes():
    raw = make_idx(np.zeros((2, 3), np.int32))[:-5]
    with pytest.raises(IDXError, match=r"truncated IDX data: .*needs 24 bytes, got 19"):
        parse_idx(raw, "x")


def test_trailing_bytes_are_rejected():
    raw = make_idx(np.zeros((2, 3), np.uint8)) + b"\x00\x00"
    with pytest.raises(IDXError, match="2 trailing bytes.*needs 6 bytes, got 8"):
        parse_idx(raw, "x")


def test_idx_error_is_a_value_error():
    assert issubclass(IDXError, ValueError)


@pytest.fixture
def labels() -> np.ndarray:
    return np.array([5, 0, 4, 1, 9], np.uint8)


def test_read_idx_reads_gz_and_plain_files_from_paths_and_file_objects(tmp_path, labels):
    raw = make_idx(labels)
    (tmp_path / "l.idx").write_bytes(raw)
    (tmp_path / "l.idx.gz").write_bytes(gzip.compress(raw))
    for source in (
        tmp_path / "l.idx",
        str(tmp_path / "l.idx.gz"),
        io.BytesIO(raw),
        io.BytesIO(gzip.compress(raw)),
    ):
        np.testing.assert_array_equal(read_idx(source, shape=(5,), dtype=np.uint8), labels)


def test_gz_named_file_that_is_not_gzip_is_rejected(tmp_path, labels):
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.write_bytes(make_idx(labels))
    with pytest.raises(IDXError, match=r"train-labels-idx1-ubyte\.gz: not a gzip file.*0x0000"):
        read_idx(path)


def test_foreign_file_is_rejected_by_its_magic(tmp_path):
    path = tmp_path / "picture.idx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    with pytest.raises(IDXError, match=r"picture\.idx: bad IDX magic number 0x89504e47"):
        read_idx(path)


def test_damaged_gzip_is_rejected(tmp_path):
    blob = bytearray(gzip.compress(np.arange(4000, dtype=np.int32).tobytes(), mtime=0))
    blob[len(blob) // 2] ^= 0xFF
    path = tmp_path / "x.gz"
    path.write_bytes(bytes(blob))
    with pytest.raises(IDXError, match=r"x\.gz: damaged gzip data"):
        read_idx(path)


def test_gzip_with_bad_crc_is_rejected(labels):
    blob = bytearray(gzip.compress(make_idx(labels)))
    blob[-8] ^= 0xFF  # first CRC32 byte of the trailer: the data itself decompresses fine
    with pytest.raises(IDXError, match="damaged gzip data"):
        gunzip(bytes(blob), "x.gz")


def test_truncated_gzip_is_rejected(labels):
    blob = gzip.compress(make_idx(labels) * 50)
    with pytest.raises(IDXError, match=r"x\.gz: truncated gzip data"):
        gunzip(blob[: len(blob) // 2], "x.gz")


def test_empty_gz_file_is_rejected(tmp_path):
    path = tmp_path / "empty.gz"
    path.write_bytes(b"")
    with pytest.raises(IDXError, match="not a gzip file"):
        read_idx(path)
