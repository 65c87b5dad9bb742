"""Byte ranges of a plain JSONL file, as workers read them, give exactly the rows (and line
numbers) of reading the file line by line, for any range size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.ingest import _formats
from assay.ingest._formats import jsonl_range_chunks, jsonl_ranges, read_jsonl


def read_jsonl_range(path, offset, length, first_line):
    """A range's rows one by one, as a worker reads them."""
    return [row for part in jsonl_range_chunks(path, offset, length, first_line, 1 << 16) for row in part]

lines = st.lists(
    st.sampled_from([b"", b"  ", b"\r", b'{"a": 1}', b'{"b": "x\\ny"}', b"not json", b"\xff\xfe", b"x" * 300]),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(lines=lines, final_newline=st.booleans(), target=st.sampled_from([1, 5, 64, 700, 10**6]),
       piece=st.sampled_from([1, 2, 7, 64, 4 * 2**20]), chunk=st.sampled_from([1, 3, 2000]))
def test_ranges_read_exactly_the_rows_of_the_whole_file(tmp_path_factory, lines, final_newline, target, piece, chunk):
    path = tmp_path_factory.mktemp("r") / "f.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    saved, _formats.READ_PIECE = _formats.READ_PIECE, piece  # ranges cut and read in pieces of any size
    try:
        ranges = list(jsonl_ranges(path, target))
        got = [row for r in ranges for row in read_jsonl_range(path, *r)]
        parts = [part for r in ranges for part in jsonl_range_chunks(path, *r, chunk)]
    finally:
        _formats.READ_PIECE = saved
    assert sum(length for _, length, _ in ranges) == len(data)
    assert all(o1 + n1 == o2 for (o1, n1, _), (o2, _, _) in zip(ranges, ranges[1:]))
    assert got == list(read_jsonl(path))
    assert [row for part in parts for row in part] == got and all(0 < len(part) <= chunk for part in parts)


def test_a_line_longer_than_the_range_size_stays_whole(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n' + b'{"long": "' + b"x" * 5000 + b'"}\n{"c": 3}\n')
    ranges = list(jsonl_ranges(path, 100))
    rows = [row for r in ranges for row in read_jsonl_range(path, *r)]
    assert [n for n, _ in rows] == [1, 2, 3] and len(rows[1][1]) == 5013


def test_a_file_that_shrinks_while_cut_ends_the_ranges(tmp_path):
    import itertools

    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n' * 100)
    ranges = jsonl_ranges(path, 90)
    first = next(ranges)
    with path.open("r+b") as fh:  # another program truncates the log mid-way
        fh.truncate(first[1] + 20)
    rest = list(itertools.islice(ranges, 50))  # bounded: a loop that never ends would give 50
    assert first == (0, 90, 1)
    assert rest == [(90, 20, 11)]  # what is left of the file, then the end


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 40), group=st.sampled_from([1, 3, 16, 100]), target=st.sampled_from([1, 2, 5, 7, 1000]),
       batch=st.sampled_from([1, 4, 4096]), chunk=st.sampled_from([1, 3, 2000]))
def test_parquet_slices_read_exactly_the_rows_of_the_whole_file(tmp_path_factory, n, group, target, batch, chunk):
    import pytest

    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path_factory.mktemp("p") / "f.parquet"
    rows = [{"i": i, "text": f"row {i}", "nested": {"k": [i, i + 1]}} for i in range(n)]
    schema = pa.schema([("i", pa.int64()), ("text", pa.string()), ("nested", pa.struct([("k", pa.list_(pa.int64()))]))])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, row_group_size=group)
    saved, _formats.PARQUET_BATCH = _formats.PARQUET_BATCH, batch  # slices that start and end mid-batch
    try:
        slices = _formats.parquet_slices(path, target)
        parts = [part for s in slices for part in _formats.parquet_slice_chunks(path, *s, chunk)]
        whole = list(_formats.read_parquet(path))
    finally:
        _formats.PARQUET_BATCH = saved
    assert [row for part in parts for row in part] == whole == [(i + 1, r) for i, r in enumerate(rows)]
    assert all(0 < len(part) <= chunk for part in parts)
    assert all(0 < hi - lo <= target for _, lo, hi, _ in slices)
