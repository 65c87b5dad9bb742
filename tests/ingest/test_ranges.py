"""Byte ranges of a plain JSONL file, as workers read them, give exactly the rows (and line
numbers) of reading the file line by line, for any range size."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from assay.ingest import _formats
from assay.ingest._formats import jsonl_range_chunks, jsonl_ranges, read_jsonl


def read_jsonl_range(path, offset, length, first_line):
    """A range's rows one by one, as a worker reads them."""
    return [row for part in jsonl_range_chunks(path, offset, length, first_line, 1 << 16) for row in part]

lines = st.lists(
    st.sampled_from([b"", b"  ", b"\r", b'{"a": 1}', b'{"b": "x\\ny"}', b"not json", b"\xff\xfe", b"x" * 300,
                     b'\xef\xbb\xbf{"bom": 1}']),  # a byte order mark: skipped at the file's start only
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(lines=lines, final_newline=st.booleans(), target=st.sampled_from([1, 5, 64, 700, 10**6]),
       piece=st.sampled_from([1, 2, 7, 64, 4 * 2**20]), chunk=st.sampled_from([1, 3, 2000]))
@example(lines=[b'\xef\xbb\xbf{"bom": 1}', b'{"a": 1}'], final_newline=True, target=1, piece=1, chunk=1)
@example(lines=[b'\xef\xbb\xbf{"bom": 1}', b'\xef\xbb\xbf{"bom": 1}'], final_newline=False, target=10**6, piece=2, chunk=3)
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
    if data.startswith(b"\xef\xbb\xbf"):
        assert got[0][1].startswith(b'{"bom"')
    assert [row for part in parts for row in part] == got and all(0 < len(part) <= chunk for part in parts)


@settings(max_examples=100, deadline=None)
@given(lines=lines, final_newline=st.booleans(), target=st.sampled_from([1, 5, 64, 700]), tail=st.sampled_from([1, 50, 300]))
def test_ranges_of_varying_sizes_read_exactly_the_rows_of_the_whole_file(tmp_path_factory, lines, final_newline, target, tail):
    """What ingest cuts for its workers: a first range half as big, and last ones shrinking."""
    from assay.ingest._ingest import _range_sizes

    path = tmp_path_factory.mktemp("r") / "f.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    ranges = list(jsonl_ranges(path, target, sizes=_range_sizes(target, 2, tail)))
    assert sum(length for _, length, _ in ranges) == len(data)
    assert all(o1 + n1 == o2 for (o1, n1, _), (o2, _, _) in zip(ranges, ranges[1:]))
    assert [row for r in ranges for row in read_jsonl_range(path, *r)] == list(read_jsonl(path))


def test_the_first_range_is_half_and_the_last_ones_shrink(tmp_path):
    from assay.ingest._ingest import _range_sizes

    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n' * 10_000)  # 9 bytes a line, 90,000 bytes
    lengths = [n for _, n, _ in jsonl_ranges(path, 10_000, sizes=_range_sizes(10_000, 2, 1_000))]
    assert lengths[0] == 5004 and max(lengths) == 10_008 and lengths[-1] < 1_010 and sum(lengths) == 90_000
    assert lengths[-6:] == sorted(lengths[-6:], reverse=True)


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


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab"\\]}[{,: \n\té☃'), max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet=st.sampled_from('k"]}\\'), max_size=3), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(items=st.lists(_json_values, max_size=8), indent=st.sampled_from([None, 1, 4]), piece=st.sampled_from([1, 2, 5, 64, 4 * 2**20]),
       ascii_only=st.booleans())
def test_json_array_items_are_the_arrays_elements(items, indent, piece, ascii_only):
    """Cut from the bytes at any read size, with any formatting, each item parses to the
    array's element (brackets, quotes and escapes inside strings do not confuse it)."""
    import io
    import json

    import orjson

    doc = json.dumps(items, indent=indent, ensure_ascii=ascii_only).encode()
    got = list(_formats.json_array_items(io.BytesIO(doc), piece))
    assert [n for n, _ in got] == list(range(1, len(items) + 1))
    assert [orjson.loads(b) for _, b in got] == orjson.loads(doc)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=60) | st.lists(st.sampled_from([b"[", b"]", b"{", b"}", b",", b'"', b"\\", b" ", b"1", b'"a"', b":"]), max_size=30).map(b"".join),
       piece=st.sampled_from([1, 3, 4 * 2**20]))
def test_json_array_items_never_hang_or_crash_on_garbage(data, piece):
    """Any bytes: the reader ends, numbers rows 1, 2, ... and gives at most one bad row, the last."""
    import io
    import itertools

    got = list(itertools.islice(_formats.json_array_items(io.BytesIO(b"[" + data), piece), 200))
    assert len(got) < 200 and [n for n, _ in got] == list(range(1, len(got) + 1))
    bad = [i for i, (_, p) in enumerate(got) if isinstance(p, _formats._BadRow)]
    assert bad in ([], [len(got) - 1])


_SCAN_BYTES = list(b'[]{}",\\ \t\n\r\x0b\x0cab1:') + list(b'"\\"\\{}')  # quotes, escapes, brackets more often


@settings(max_examples=3000, deadline=None)
@given(buf=st.lists(st.sampled_from(_SCAN_BYTES), min_size=1, max_size=16).map(bytes), data=st.data())
@example(buf=b'"\\""x', data=None).via("an escaped quote in a string")
@example(buf=b'{"\\"}"}x', data=None).via("an escaped quote in a string in an object")
@example(buf=b'[1, "]"] ', data=None).via("a bracket in a string")
def test_the_byte_loop_and_the_regexes_find_the_same_value_ends(buf, data):
    """``_scan.value_end`` (compiled where it was built) and the regexes the reader uses
    without it agree on every buffer and start."""
    from assay.ingest import _scan

    starts = [i for i in range(len(buf)) if buf[i] not in b" \t\r\n"]
    for p in (starts if data is None else [data.draw(st.sampled_from(starts))] if starts else []):
        end = _scan.value_end(buf, p)
        assert (None if end < 0 else end) == _formats._item_end_regex(buf, p), (buf, p)


@settings(max_examples=200, deadline=None)
@given(before=st.dictionaries(st.sampled_from(["meta", "dat", "data2", "x]"]), _json_values, max_size=3),
       after=st.dictionaries(st.sampled_from(["page", "next"]), _json_values, max_size=2),
       items=st.lists(_json_values, max_size=6), indent=st.sampled_from([None, 2]), piece=st.sampled_from([1, 3, 4 * 2**20]))
def test_an_export_wrappers_items_are_its_arrays_elements(before, after, items, indent, piece):
    """``{"meta": ..., "data": [...], "page": ...}``: the members before the array are
    skipped (brackets in their strings too), those after it are not read."""
    import io
    import json

    import orjson

    doc = json.dumps({**before, "data": items, **after}, indent=indent).encode()
    got = list(_formats.json_array_items(io.BytesIO(doc), piece, key="data"))
    assert [orjson.loads(b) for _, b in got] == items and [n for n, _ in got] == list(range(1, len(items) + 1))


def test_each_range_is_asked_its_size_by_its_own_number(tmp_path):
    """A range that is carried on to the end of its last line still counts as one range."""
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 12345}\n' * 1_000)  # 13 bytes a line: a range of 100 bytes ends mid-line
    asked: list[int] = []

    def sizes(i: int, left: int) -> int:
        asked.append(i)
        return 100

    ranges = list(jsonl_ranges(path, 100, sizes=sizes))
    assert asked == list(range(len(ranges))) and sum(n for _, n, _ in ranges) == 13_000
