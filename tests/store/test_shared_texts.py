"""Long system prompts are stored once (the ``texts`` table); records refer to them."""

import json

from sqlalchemy import func, select

from assay.ingest import delete_files, ingest
from assay.profile import profile
from assay.project import load_project
from assay.sample import load_cases, sample
from assay.store._schema import texts
from tests.conftest import PROJECT_YAML, write_logs

SYSTEM = "You are the support assistant of Acme. Answer politely; never reveal internal notes. " * 8  # ~690 characters


TOOLS = [{"type": "function", "function": {"name": n, "description": f"Look up the {n} of an order by its number",
                                           "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}}}}
         for n in ("status", "invoice", "carrier")]


def _with_system(path, system, *, short_every=0, tools=None):
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for i, r in enumerate(rows):
        prompt = "Be brief." if short_every and i % short_every == 0 else system
        r["messages"] = [{"role": "system", "content": prompt}, *r["messages"]]
        if tools is not None:
            r["metadata"]["tools"] = tools
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def _count_texts(project):
    store = project.open_store()
    with store.read() as conn:
        n = conn.execute(select(func.count()).select_from(texts)).scalar_one()
    store.close()
    return n


def test_a_long_system_prompt_is_stored_once_and_eval_cases_hold_it_whole(tmp_path):
    log = write_logs(tmp_path / "logs" / "a.jsonl", n=90)
    _with_system(log, SYSTEM, short_every=9)
    (tmp_path / "assay.yaml").write_text(PROJECT_YAML.format(candidates="  - {name: m, provider: recorded}", size=24, holdout=0.0))
    project = load_project(tmp_path)
    s = ingest(project)
    assert s.kept == 90 and _count_texts(project) == 1
    store = project.open_store()
    with store.read() as conn:
        raw = [r[0] for r in conn.exec_driver_sql("SELECT messages FROM records")]
    store.close()
    refs = [json.loads(m)[0] for m in raw]
    assert sum("content_ref" in m for m in refs) == 80 and sum(m.get("content") == "Be brief." for m in refs) == 10
    assert all(SYSTEM not in m for m in raw)  # nowhere inline
    profile(project)
    sample(project, "v1")
    store = project.open_store()
    cases = load_cases(store, "v1")
    store.close()
    systems = {c.messages[0].content for c in cases}
    assert systems <= {SYSTEM, "Be brief."} and SYSTEM in systems  # whole again, in every case
    assert len(cases) == 24 and all(c.messages[0].role == "system" for c in cases)


def test_long_tool_definitions_are_stored_once_too(tmp_path):
    log = write_logs(tmp_path / "logs" / "a.jsonl", n=90)
    _with_system(log, "Be brief.", tools=TOOLS)
    (tmp_path / "assay.yaml").write_text(PROJECT_YAML.format(candidates="  - {name: m, provider: recorded}", size=24, holdout=0.0))
    project = load_project(tmp_path)
    ingest(project)
    assert _count_texts(project) == 1  # the tool list (the system prompt is short)
    store = project.open_store()
    with store.read() as conn:
        metas = [json.loads(r[0]) for r in conn.exec_driver_sql("SELECT meta FROM records")]
    store.close()
    assert all(set(m["tools"]) == {"content_ref"} and m["locale"] == "en-US" for m in metas)
    profile(project)
    sample(project, "v1")
    store = project.open_store()
    cases = load_cases(store, "v1")
    store.close()
    assert all(c.metadata["tools"] == json.loads(json.dumps(TOOLS, sort_keys=True)) for c in cases)  # whole again
    delete_files(project, source="prod")
    assert _count_texts(project) == 0


def test_same_records_whether_the_prompt_is_shared_or_inline(tmp_path, monkeypatch):
    """Record ids come from the full conversation: a file ingested by a version that stored
    prompts inline gives the same records (duplicates), not new ones."""
    import importlib

    monkeypatch.setenv("ASSAY_PROJECT_KEY", "k" * 64)
    log = write_logs(tmp_path / "logs" / "a.jsonl", n=12)
    _with_system(log, SYSTEM)
    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    proc_mod = importlib.import_module("assay.ingest._process")
    monkeypatch.setattr(proc_mod, "SHARED_MIN_CHARS", 10**9)  # as before shared texts (no workers at this size)
    first = ingest(project, [str(log)])
    assert first.kept == 12 and _count_texts(project) == 0
    monkeypatch.setattr(proc_mod, "SHARED_MIN_CHARS", 256)
    again = ingest(project, [str(log)], force=True)
    assert (again.kept, again.duplicates) == (0, 12)


def test_deleting_the_last_records_of_a_prompt_deletes_the_prompt(tmp_path):
    for name, prompt in (("a.jsonl", SYSTEM), ("b.jsonl", SYSTEM.upper())):
        _with_system(write_logs(tmp_path / "logs" / name, n=6, seed=len(name) + ord(name[0])), prompt)
    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    ingest(project, [str(tmp_path / "logs")])
    assert _count_texts(project) == 2
    delete_files(project, ["logs/b.jsonl"])
    assert _count_texts(project) == 1  # the other file's prompt stays: its records refer to it
    delete_files(project, source="default")
    assert _count_texts(project) == 0


def test_a_tool_list_holding_pii_is_scrubbed_once_and_counted_for_every_row(tmp_path, monkeypatch):
    """A tool list repeated on every row is scrubbed once (cached by its JSON); the result,
    the rest of the metadata and the PII counts are those of scrubbing every row in full."""
    from assay.ingest._pii import Scrubber

    monkeypatch.setenv("ASSAY_PROJECT_KEY", "k" * 64)
    tools = [*TOOLS, {"type": "function", "function": {
        "name": "escalate", "description": "Escalate to ops@acme.example with the API key of the team; see https://acme.example/docs",
        "parameters": {"type": "object", "properties": {"token": {"type": "string"}}}}}]
    log = write_logs(tmp_path / "logs" / "a.jsonl", n=30)
    _with_system(log, "Be brief.", tools=tools)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    for i, r in enumerate(rows):
        if i % 3 == 0:
            r["metadata"]["requester"] = f"user{i}@shop.example"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "assay.yaml").write_text("project: t\n")
    project = load_project(tmp_path)
    s = ingest(project, [str(log)])
    assert s.kept == 30 and _count_texts(project) == 1
    assert s.pii["EMAIL"] == 30 + 10  # the tool list's address on every row, and 10 requesters

    reference = Scrubber(project.key)
    expected = [reference.scrub_json(r["metadata"]) for r in rows]
    assert reference.found["EMAIL"] == 40
    store = project.open_store()
    with store.read() as conn:
        stored_tools = conn.exec_driver_sql("SELECT text FROM texts").scalar_one()
        metas = [json.loads(m) for (m,) in conn.exec_driver_sql("SELECT meta FROM records")]
    store.close()
    assert "ops@acme.example" not in stored_tools and "<EMAIL_" in stored_tools
    assert json.loads(stored_tools) == json.loads(json.dumps(expected[0]["tools"], sort_keys=True))
    got = sorted(json.dumps({**m, "tools": json.loads(stored_tools)}, sort_keys=True) for m in metas)
    assert got == sorted(json.dumps(e, sort_keys=True) for e in expected)
