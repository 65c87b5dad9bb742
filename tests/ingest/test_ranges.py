"""Byte ranges of a plain JSONL file, as workers read them, give exactly the rows (and line
numbers) of reading the file line by line, for any range size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.ingest._formats import jsonl_ranges, read_jsonl, read_jsonl_range

lines = st.lists(
    st.sampled_from([b"", b"  ", b"\r", b'{"a": 1}', b'{"b": "x\\ny"}', b"not json", b"\xff\xfe", b"x" * 300]),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(lines=lines, final_newline=st.booleans(), target=st.sampled_from([1, 5, 64, 700, 10**6]))
def test_ranges_read_exactly_the_rows_of_the_whole_file(tmp_path_factory, lines, final_newline, target):
    path = tmp_path_factory.mktemp("r") / "f.jsonl"
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    path.write_bytes(data)
    ranges = list(jsonl_ranges(path, target))
    assert sum(length for _, length, _ in ranges) == len(data)
    assert all(o1 + n1 == o2 for (o1, n1, _), (o2, _, _) in zip(ranges, ranges[1:]))
    got = [row for r in ranges for row in read_jsonl_range(path, *r)]
    assert got == list(read_jsonl(path))


def test_a_line_longer_than_the_range_size_stays_whole(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_bytes(b'{"a": 1}\n' + b'{"long": "' + b"x" * 5000 + b'"}\n{"c": 3}\n')
    ranges = list(jsonl_ranges(path, 100))
    rows = [row for r in ranges for row in read_jsonl_range(path, *r)]
    assert [n for n, _ in rows] == [1, 2, 3] and len(rows[1][1]) == 5013
