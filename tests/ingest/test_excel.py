"""Excel workbooks (.xlsx): the first sheet read like a CSV file (workbooks written by the test)."""

import datetime
import io
import json

import pytest

from assay.errors import InputError
from assay.ingest import detect_format, ingest, preview
from tests.ingest.conftest import stored

openpyxl = pytest.importorskip("openpyxl")

MAP = "input=Question,output=Bot answer,ts=Created,feedback.rating=CSAT"


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append([None])  # a blank first row: the header is the first row with a value
    ws.append(["Ticket", "Question", "Bot answer", "Created", "CSAT", None])
    ws.append([1001, "Can I pay by invoice? mail me at ann@example.com", "Yes, for business accounts.",
               datetime.datetime(2026, 11, 1, 10, 0), 5, "vip"])
    ws.append([])
    ws.append([1002, None, "no question", datetime.datetime(2026, 11, 1, 10, 5), 3, None])
    ws.append([1003, json.dumps([{"role": "system", "content": "Be formal."}, {"role": "user", "content": "Kann ich mit Rechnung zahlen?"}]),
               "Ja.", datetime.datetime(2026, 11, 1, 10, 7), 4, None])
    wb.create_sheet("Notes").append(["only the first sheet is read"])
    wb.save(path)
    return path


def test_the_first_sheet_is_read_like_a_csv_file(project, tmp_path):
    f = _workbook(tmp_path / "export.xlsx")
    assert detect_format(f) == "xlsx"
    (p,) = preview(project, [str(f)]).files
    assert p.format == "xlsx:generic" and "--map 'input=Question,output=Bot answer,ts=Created'" in p.hint
    s = ingest(project, [str(f)], mapping=MAP)
    assert s.formats[str(f)] == "xlsx:map" and (s.kept, s.quarantined) == (2, 1) and dict(s.pii) == {"EMAIL": 1}
    recs, quar = stored(project)
    first, last = recs
    assert "<EMAIL_" in first["messages"][0]["content"] and first["output"] == "Yes, for business accounts."
    assert first["ts"].isoformat().startswith("2026-11-01T10:00:00") and first["feedback"]["rating"] == 5
    assert first["meta"] == {"Ticket": 1001, "column_6": "vip"}  # the column with no name is kept
    assert last["messages"] == [{"role": "system", "content": "Be formal."}, {"role": "user", "content": "Kann ich mit Rechnung zahlen?"}]
    assert [(q["line"], q["reason"]) for q in quar] == [(5, "missing required field: Question (mapped to input)")]  # the sheet's row


def test_a_workbook_piped_in_or_without_its_suffix(project, tmp_path):
    f = _workbook(tmp_path / "export.xlsx")
    s = ingest(project, ["-"], mapping=MAP, stdin=io.BytesIO(f.read_bytes()))
    assert s.formats[s.files[0]] == "xlsx:map" and s.kept == 2
    bare = tmp_path / "download"
    bare.write_bytes(f.read_bytes())
    assert detect_format(bare) == "xlsx"


def test_a_file_that_is_no_workbook_is_a_clear_error(project, tmp_path):
    bad = tmp_path / "old.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)  # an old binary .xls renamed
    with pytest.raises(InputError, match="not an Excel workbook") as err:
        ingest(project, [str(bad)])
    assert "save it as .xlsx or CSV UTF-8" in err.value.hint and str(bad) in str(err.value)
