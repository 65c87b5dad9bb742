"""Built-in task checks."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from assay.project import ScorerSettings
from assay.records import Case
from assay.scorers._registry import ScoreValue, scorer


def normalise(text: str) -> str:
    """Case-fold, strip accents, collapse whitespace and surrounding punctuation."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"\s+", " ", text).strip(" \t\n.,;:!?\"'`")


def _reference(case: Case, settings: ScorerSettings) -> Any:
    ref = case.reference or {}
    if settings.field is None:
        return ref.get("answer")
    value: Any = ref
    for part in settings.field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


@scorer("exact_match")
def exact_match(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the normalised output equals the normalised reference field."""
    ref = _reference(case, settings)
    if ref is None:
        return ScoreValue(None)
    got = normalise(output)
    if settings.params.get("first_line", True):
        got = got.split("\n", 1)[0].strip()
    ok = got == normalise(str(ref))
    return ScoreValue(1.0 if ok else 0.0, None if ok else f"expected {ref!r}, got {output[:80]!r}")


def extract_json(text: str) -> Any:
    """Parse JSON from a model answer: the whole text, a fenced block, or the first object."""
    text = text.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, re.S)
    candidates = [text] + ([fence.group(1)] if fence else [])
    start = text.find("{")
    if start >= 0:
        try:
            obj, _ = json.JSONDecoder().raw_decode(text[start:])
            candidates.append(json.dumps(obj))
        except ValueError:
            pass
    for c in candidates:
        try:
            return json.loads(c)
        except ValueError:
            continue
    raise ValueError("no JSON found")


@scorer("json_valid")
def json_valid(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the whole answer is a JSON object (``strict: false`` also accepts JSON inside prose)."""
    if settings.params.get("strict", True):
        try:
            ok = isinstance(json.loads(output.strip()), dict)
        except ValueError:
            ok = False
    else:
        try:
            ok = isinstance(extract_json(output), dict)
        except ValueError:
            ok = False
    return ScoreValue(1.0 if ok else 0.0, None if ok else "not a JSON object")


def _field_equal(got: Any, want: Any, tol: float) -> bool:
    if want is None:
        return got in (None, "", "null")
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        try:
            return abs(float(str(got).replace(",", ".").strip("€$£ ")) - float(want)) <= tol
        except (TypeError, ValueError):
            return False
    return got is not None and normalise(str(got)) == normalise(str(want))


@scorer("json_fields", kind="graded")
def json_fields(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """Share of reference fields the answer's JSON gets right (0 when no JSON parses)."""
    ref = _reference(case, settings)
    if not isinstance(ref, dict) or not ref:
        return ScoreValue(None)
    try:
        got = extract_json(output)
    except ValueError:
        return ScoreValue(0.0, "no JSON object in the answer")
    if not isinstance(got, dict):
        return ScoreValue(0.0, "JSON is not an object")
    tol = float(settings.params.get("tolerance", 0.01))
    wrong = [k for k, v in ref.items() if not _field_equal(got.get(k), v, tol)]
    return ScoreValue(1 - len(wrong) / len(ref), f"wrong: {', '.join(wrong)}" if wrong else None)
