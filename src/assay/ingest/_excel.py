"""Excel workbooks (``.xlsx``, ``.xlsm``) as a file format.

Support desks, analysts and some tools hand over their logs as a workbook. Its first
worksheet is read like a CSV file: the first row with a value is the header, each later
row a record's fields (empty rows skipped), numbered by the sheet's own row numbers, so a
quarantined row is ``export.xlsx:14`` as Excel shows it. Cells are read as their values
(formulas as the value Excel last computed), dates and times as ISO 8601 text, a cell of
JSON text (a list of messages) as it is, to be decoded as a CSV cell is.

openpyxl reads the sheet row by row (read-only mode), so memory stays small.
"""

from __future__ import annotations

import datetime as _dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assay.errors import InputError
from assay.ingest._formats import MAX_ROW_BYTES, RAW_KEEP, Payload, _BadRow, reader, too_big


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return value.total_seconds()
    return value


def _open(path: Path) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise InputError("reading Excel workbooks needs the openpyxl package", file=str(path),
                         hint="pip install 'assay[formats]' (or save the sheet as CSV UTF-8)") from None
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"not an Excel workbook (.xlsx) openpyxl can read: {exc}", file=str(path),
                         hint="an old .xls workbook: save it as .xlsx or CSV UTF-8; else pass --format for what it holds") from None


@reader("xlsx")
def read_xlsx(path: Path) -> Iterator[tuple[int, Payload]]:
    """The first worksheet of an Excel workbook, a header row and a row per record."""
    wb = _open(path)
    try:
        if not wb.worksheets:
            return
        header: list[str] | None = None
        for n, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            cells = [_cell(v) for v in values]
            if all(c is None for c in cells):
                continue
            if header is None:
                # a column with no name is kept under its letter's number: nothing in it is lost
                header = [str(c).strip().lstrip("\ufeff") if c is not None else f"column_{i}" for i, c in enumerate(cells, 1)]
                continue
            extra = [c for c in cells[len(header):] if c is not None]
            if extra:
                yield n, _BadRow(f"row has values in {len(cells)} columns, the header names {len(header)}",
                                 ",".join(str(c) for c in cells)[:RAW_KEEP])
                continue
            size = sum(len(c) for c in cells if isinstance(c, str))
            if size * 4 > MAX_ROW_BYTES and size > MAX_ROW_BYTES // 4:
                text = ",".join(str(c) for c in cells)
                if len(text.encode("utf-8", "surrogatepass")) > MAX_ROW_BYTES:
                    yield n, _BadRow(too_big(len(text.encode("utf-8", "surrogatepass"))), text[:RAW_KEEP])
                    continue
            yield n, dict(zip(header, cells))
    finally:
        wb.close()
