"""LLM judges: rubric grading and pairwise comparison, registered as the ``judge`` scorer.

```yaml
scorers:
  - name: helpful
    type: judge
    params: {judge: gpt-4o, rubric: rubrics/helpful.md, mode: grade}     # or mode: pairwise
```

``params.judge`` names a candidate of assay.yaml that does the judging (any provider).
*grade*: the judge answers ``{"reasoning": ..., "grade": 1-5}``; the score is
``(grade - 1) / (scale - 1)``. *pairwise*: each answer is compared with the baseline's
(``params.baseline``, default the incumbent) in **both orders**; a pair whose two
verdicts disagree counts as a tie and is flagged ``inconsistent`` in the detail. The
judge's raw answers are kept in ``scores.detail`` (JSON). Judge answers go through the
response cache, so rescoring an unchanged run costs nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import re
from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import select

from assay.errors import ConfigError, ProviderError
from assay.project import Project, ScorerSettings
from assay.providers import Prompt, ProviderContext, RetryableError, make_provider
from assay.records import Case, Message
from assay.scorers._builtin import extract_json
from assay.scorers._registry import ScoreValue, scorer
from assay.scorers._score import baseline_name
from assay.store import utcnow
from assay.store._schema import response_cache
from assay.store._upsert import insert_or_ignore

GRADE_PROMPT = """You are grading an AI assistant's answer against a rubric.

# Rubric
{rubric}

# Conversation
{conversation}

# Answer to grade
{answer}

Think step by step, then reply with JSON only: {{"reasoning": "<why>", "grade": <integer 1-{scale}>}}"""

PAIR_PROMPT = """You are comparing two AI assistants' answers to the same conversation, using a rubric.

# Rubric
{rubric}

# Conversation
{conversation}

# Answer A
{a}

# Answer B
{b}

Think step by step, then reply with JSON only: {{"reasoning": "<why>", "winner": "A" | "B" | "tie"}}"""


def _conversation(case: Case) -> str:
    return "\n".join(f"{m.role}: {m.content}" for m in case.messages)


def _rubric(settings: ScorerSettings, project: Project) -> str:
    if "rubric_text" in settings.params:
        return str(settings.params["rubric_text"])
    path = settings.params.get("rubric")
    if not path:
        raise ConfigError(f"judge {settings.name!r} needs params.rubric (a file) or params.rubric_text",
                          field=f"scorers.{settings.name}.params.rubric")
    p = project.path(str(path))
    if not p.exists():
        raise ConfigError(f"rubric file not found: {p}", field=f"scorers.{settings.name}.params.rubric")
    return p.read_text(encoding="utf-8")


def parse_grade(text: str, scale: int) -> int | None:
    """The judge's grade: JSON ``grade`` first, else a ``grade: N`` line; None when absent or out of range."""
    try:
        doc = extract_json(text)
        g = doc.get("grade") if isinstance(doc, dict) else None
    except ValueError:
        m = re.search(r"grade\W{0,3}(\d+)", text, re.I)
        g = m.group(1) if m else None
    try:
        g = int(g)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return g if 1 <= g <= scale else None


def parse_winner(text: str) -> str | None:
    """'A', 'B' or 'tie' from the judge's answer; None when it gave none."""
    try:
        doc = extract_json(text)
        w = doc.get("winner") if isinstance(doc, dict) else None
    except ValueError:
        m = re.search(r"winner\W{0,3}(A|B|tie)\b", text, re.I)
        w = m.group(1) if m else None
    if not isinstance(w, str):
        return None
    w = w.strip().strip('"').lower()
    return {"a": "A", "b": "B", "tie": "tie"}.get(w)


class _Judge:
    """Sends judge prompts with retries, through the response cache."""

    def __init__(self, project: Project, settings: ScorerSettings) -> None:
        name = settings.params.get("judge") or settings.params.get("model")
        if not name:
            raise ConfigError(f"judge {settings.name!r} needs params.judge: the name of a candidate that judges",
                              field=f"scorers.{settings.name}.params.judge")
        self.project = project
        self.cand = project.candidate(str(name))
        self.retries = project.config.run.retries
        self.timeout_s = project.config.run.timeout_s
        self.limit = asyncio.Semaphore(int(settings.params.get("concurrency", project.config.run.concurrency)))
        self.prov: Any = None
        self.store = project.open_store()
        self.new_cache: list[dict[str, Any]] = []

    def _key(self, text: str) -> str:
        ident = {"judge": self.prov.identity(), "params": self.cand.params, "prompt": text}
        return hashlib.sha256(orjson.dumps(ident, option=orjson.OPT_SORT_KEYS)).hexdigest()

    async def ask(self, text: str, case: Case) -> str:
        key = self._key(text)
        with self.store.read() as conn:
            hit = conn.execute(select(response_cache.c.output).where(response_cache.c.key == key)).first()
        if hit is not None:
            return str(hit[0])
        prompt = Prompt(messages=((Message(role="system", content=self.cand.system),) if self.cand.system else ())
                        + (Message(role="user", content=text),))
        attempt = 0
        async with self.limit:
            while True:
                try:
                    async with asyncio.timeout(self.timeout_s):
                        comp = await self.prov.complete(prompt, dict(self.cand.params), case)
                    break
                except (RetryableError, TimeoutError) as exc:
                    attempt += 1
                    if attempt > self.retries:
                        raise ProviderError(f"judge gave up after {attempt} attempts: {exc}", candidate=self.cand.name) from None
                    await asyncio.sleep(getattr(exc, "retry_after", None) or min(10.0, 0.5 * 2 ** attempt) * random.random())
        self.new_cache.append({"key": key, "output": comp.output, "tokens_in": comp.tokens_in, "tokens_out": comp.tokens_out,
                               "cost_usd": comp.cost_usd, "latency_ms": None, "created_at": utcnow()})
        return comp.output

    async def __aenter__(self) -> "_Judge":
        self.prov = make_provider(self.cand, ProviderContext(project_root=self.project.root))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.prov.aclose()
        if self.new_cache:
            with self.store.write() as conn:
                insert_or_ignore(conn, response_cache, self.new_cache)
        self.store.close()


def _pair_value(candidate_first: str | None, candidate_second: str | None) -> tuple[float, bool]:
    """Combine the two orders. First order: candidate is A; second: candidate is B."""
    v1 = {"A": 1.0, "B": 0.0, "tie": 0.5}.get(candidate_first or "", None)
    v2 = {"B": 1.0, "A": 0.0, "tie": 0.5}.get(candidate_second or "", None)
    if v1 is None or v2 is None:
        return 0.5, False
    if v1 == v2:
        return v1, True
    return 0.5, False  # position bias or a coin flip: counted as a tie


@scorer("judge", kind="graded", run_level=True)
def judge(items: list[dict[str, Any]], cases: dict[str, Case], settings: ScorerSettings, project: Project) -> Iterator[tuple[dict[str, Any], ScoreValue]]:
    """Grade each result against a rubric, or compare it with the baseline's in both orders."""
    mode = settings.params.get("mode", "grade")
    if mode not in ("grade", "pairwise"):
        raise ConfigError(f"judge mode must be grade or pairwise, got {mode!r}", field=f"scorers.{settings.name}.params.mode")
    if not items:
        return iter(())
    rubric = _rubric(settings, project)
    scale = int(settings.params.get("scale", 5))
    out: list[tuple[dict[str, Any], ScoreValue]] = []

    async def grade(j: _Judge, r: dict[str, Any]) -> None:
        case = cases[r["case_id"]]
        text = GRADE_PROMPT.format(rubric=rubric, conversation=_conversation(case), answer=r["output"] or "", scale=scale)
        raw = await j.ask(text, case)
        g = parse_grade(raw, scale)
        detail = orjson.dumps({"grade": g, "raw": raw}).decode()
        out.append((r, ScoreValue(None if g is None else (g - 1) / (scale - 1), detail, "graded")))

    async def pair(j: _Judge, r: dict[str, Any], base_out: str) -> None:
        case = cases[r["case_id"]]
        conv = _conversation(case)
        ab = PAIR_PROMPT.format(rubric=rubric, conversation=conv, a=r["output"] or "", b=base_out)
        ba = PAIR_PROMPT.format(rubric=rubric, conversation=conv, a=base_out, b=r["output"] or "")
        raw1, raw2 = await asyncio.gather(j.ask(ab, case), j.ask(ba, case))
        w1, w2 = parse_winner(raw1), parse_winner(raw2)
        value, consistent = _pair_value(w1, w2)
        detail = orjson.dumps({"consistent": consistent, "candidate_as_a": {"winner": w1, "raw": raw1},
                               "candidate_as_b": {"winner": w2, "raw": raw2}}).decode()
        out.append((r, ScoreValue(value, detail, "pairwise")))

    async def main() -> None:
        async with _Judge(project, settings) as j:
            if mode == "grade":
                await asyncio.gather(*(grade(j, r) for r in items))
                return
            base = baseline_name(project, settings, sorted({r["candidate"] for r in items}))
            by_key = {(r["case_id"], r["epoch"]): r["output"] or "" for r in items if r["candidate"] == base}
            await asyncio.gather(*(pair(j, r, by_key[(r["case_id"], r["epoch"])]) for r in items
                                   if r["candidate"] != base and (r["case_id"], r["epoch"]) in by_key))

    asyncio.run(main())
    return iter(out)
