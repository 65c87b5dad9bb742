import pytest

from assay.coverage import read_file
from assay.errors import InputError


def test_reads_messages_input_and_metadata(tmp_path):
    f = tmp_path / "s.jsonl"
    f.write_text(
        '{"messages": [{"role": "system", "content": "sys"}, {"role": "user", "content": "hi there"}], "metadata": {"locale": "de-DE"}}\n'
        "\n"
        '{"input": "where is my order", "intent": "order_status"}\n'
    )
    items = read_file(f)
    assert items.texts == ["hi there", "where is my order"]
    assert items.metas[0] == {"locale": "de-DE"} and items.metas[1]["intent"] == "order_status"


def test_errors_name_file_and_line(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"input": "ok"}\n{"answer": "B"}\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: no text field"):
        read_file(f)
    f.write_text('{"input": "ok"}\n{not json\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: not valid JSON"):
        read_file(f)
    with pytest.raises(InputError, match="file not found"):
        read_file(tmp_path / "missing.jsonl")
