"""Task checks beyond exact match: patterns, substrings, numbers, budgets, similarity,
JSON Schema. Every one is registered by name through the same decorator as user code."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from assay.errors import ConfigError, MissingDependency
from assay.project import Project, ScorerSettings
from assay.records import Case
from assay.scorers._builtin import _reference, extract_json, normalise
from assay.scorers._registry import ScoreValue, scorer


def _param(settings: ScorerSettings, name: str, kind: type | tuple[type, ...] = object) -> Any:
    if name not in settings.params:
        raise ConfigError(f"scorer {settings.name!r} ({settings.type}) needs params.{name}", field=f"scorers.{settings.name}.params.{name}")
    value = settings.params[name]
    if not isinstance(value, kind):
        raise ConfigError(f"params.{name} has the wrong type: {value!r}", field=f"scorers.{settings.name}.params.{name}")
    return value


def _output_part(output: str, settings: ScorerSettings) -> str | None:
    """The text a check looks at: the whole answer, or ``params.output_field`` of its JSON."""
    path = settings.params.get("output_field")
    if not path:
        return output
    try:
        value: Any = extract_json(output)
    except ValueError:
        return None
    for part in str(path).split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if isinstance(value, str) else json.dumps(value)


@lru_cache(maxsize=256)
def _compile(pattern: str, ignore_case: bool, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.I if ignore_case else 0)
    except re.error as exc:
        raise ConfigError(f"bad regular expression {pattern!r}: {exc}", field=where) from None


@scorer("regex")
def regex(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when ``params.pattern`` matches (``match: search | full``) the answer or its ``output_field``."""
    text = _output_part(output, settings)
    if text is None:
        return ScoreValue(0.0, f"no field {settings.params.get('output_field')!r} in the answer's JSON")
    pat = _compile(str(_param(settings, "pattern", str)), bool(settings.params.get("ignore_case", False)), f"scorers.{settings.name}.params.pattern")
    full = settings.params.get("match", "search") == "full"
    ok = (pat.fullmatch(text.strip()) if full else pat.search(text)) is not None
    return ScoreValue(1.0 if ok else 0.0, None if ok else f"{text[:80]!r} does not match {pat.pattern!r}")


def _needles(case: Case, settings: ScorerSettings) -> list[str] | None:
    if "text" in settings.params:
        t = settings.params["text"]
        return [str(x) for x in t] if isinstance(t, list) else [str(t)]
    ref = _reference(case, settings)
    if ref is None:
        return None
    return [str(x) for x in ref] if isinstance(ref, list) else [str(ref)]


def _contains(output: str, needles: list[str], settings: ScorerSettings) -> tuple[list[str], list[str]]:
    norm = (lambda s: normalise(s)) if settings.params.get("normalise", True) else (lambda s: s)
    hay = norm(output)
    found = [n for n in needles if norm(n) in hay]
    return found, [n for n in needles if n not in found]


@scorer("contains")
def contains(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the answer contains ``params.text`` (a string or list; ``mode: all | any``) or the reference field."""
    needles = _needles(case, settings)
    if needles is None:
        return ScoreValue(None)
    found, missing = _contains(output, needles, settings)
    ok = bool(found) if settings.params.get("mode", "all") == "any" else not missing
    return ScoreValue(1.0 if ok else 0.0, None if ok else f"missing: {', '.join(missing)}")


@scorer("not_contains")
def not_contains(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the answer contains none of ``params.text`` (e.g. forbidden phrases, leaked tokens)."""
    needles = _needles(case, settings)
    if needles is None:
        return ScoreValue(None)
    found, _ = _contains(output, needles, settings)
    return ScoreValue(0.0 if found else 1.0, f"contains: {', '.join(found)}" if found else None)


_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?")


def first_number(text: str) -> float | None:
    """The first number in ``text`` (thousands separators allowed), else None."""
    m = _NUMBER.search(text)
    return float(m.group(0).replace(",", "")) if m else None


@scorer("numeric")
def numeric(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the answer's first number (or ``output_field``) is within ``abs_tol`` or ``rel_tol`` of the reference."""
    ref = _reference(case, settings)
    if ref is None:
        return ScoreValue(None)
    try:
        want = float(ref)
    except (TypeError, ValueError):
        raise ConfigError(f"reference field {settings.field!r} of case {case.id} is not a number: {ref!r}", field=f"scorers.{settings.name}.field") from None
    text = _output_part(output, settings)
    got = first_number(text) if text is not None else None
    if got is None:
        return ScoreValue(0.0, "no number in the answer")
    abs_tol = float(settings.params.get("abs_tol", 0.0))
    rel_tol = float(settings.params.get("rel_tol", 1e-9))
    ok = abs(got - want) <= max(abs_tol, rel_tol * abs(want))
    return ScoreValue(1.0 if ok else 0.0, None if ok else f"expected {want:g}, got {got:g}")


@scorer("length")
def length(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the answer fits every bound given: ``min_chars``, ``max_chars``, ``max_words``, ``max_lines``."""
    p = settings.params
    checks = {
        "min_chars": len(output) >= int(p["min_chars"]) if "min_chars" in p else True,
        "max_chars": len(output) <= int(p["max_chars"]) if "max_chars" in p else True,
        "max_words": len(output.split()) <= int(p["max_words"]) if "max_words" in p else True,
        "max_lines": len(output.strip().splitlines()) <= int(p["max_lines"]) if "max_lines" in p else True,
    }
    broken = [k for k, ok in checks.items() if not ok]
    return ScoreValue(0.0 if broken else 1.0, f"over budget: {', '.join(broken)} ({len(output)} chars)" if broken else None)


_FORMATS = {
    "json": lambda s: isinstance(_loads(s), dict),
    "json_array": lambda s: isinstance(_loads(s), list),
    "single_line": lambda s: "\n" not in s.strip(),
    "no_markdown": lambda s: not re.search(r"(^|\n)\s*(#{1,6} |[-*] |\d+\. |```)|\*\*", s),
}


def _loads(s: str) -> Any:
    try:
        return json.loads(s.strip())
    except ValueError:
        return None


@scorer("format")
def format_check(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """1 when the answer has ``params.format``: json, json_array, single_line or no_markdown."""
    fmt = str(_param(settings, "format", str))
    if fmt not in _FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; use one of: {', '.join(_FORMATS)}", field=f"scorers.{settings.name}.params.format")
    ok = _FORMATS[fmt](output)
    return ScoreValue(1.0 if ok else 0.0, None if ok else f"not {fmt}")


@scorer("latency_budget")
def latency_budget(output: str, case: Case, settings: ScorerSettings, result: dict[str, Any]) -> ScoreValue:
    """1 when the answer took at most ``params.max_ms`` milliseconds."""
    budget = float(_param(settings, "max_ms", (int, float)))
    ms = result.get("latency_ms")
    if ms is None:
        return ScoreValue(None)
    return ScoreValue(1.0 if ms <= budget else 0.0, None if ms <= budget else f"{ms:.0f} ms > {budget:g} ms")


@scorer("cost_budget")
def cost_budget(output: str, case: Case, settings: ScorerSettings, result: dict[str, Any]) -> ScoreValue:
    """1 when the answer cost at most ``params.max_usd`` (not applicable when the cost is unknown)."""
    budget = float(_param(settings, "max_usd", (int, float)))
    cost = result.get("cost_usd")
    if cost is None:
        return ScoreValue(None)
    return ScoreValue(1.0 if cost <= budget else 0.0, None if cost <= budget else f"${cost:.6f} > ${budget:g}")


@scorer("similarity", kind="graded")
def similarity(output: str, case: Case, settings: ScorerSettings) -> ScoreValue:
    """Reference similarity in [0, 1]: rapidfuzz ``method`` (ratio, token_sort_ratio, token_set_ratio, partial_ratio) / 100."""
    ref = _reference(case, settings)
    if ref is None:
        return ScoreValue(None)
    try:
        from rapidfuzz import fuzz
    except ImportError:
        raise MissingDependency("rapidfuzz", "scorers") from None
    method = str(settings.params.get("method", "ratio"))
    fn = getattr(fuzz, method, None)
    if method not in ("ratio", "token_sort_ratio", "token_set_ratio", "partial_ratio") or fn is None:
        raise ConfigError(f"unknown similarity method {method!r}", field=f"scorers.{settings.name}.params.method")
    a, b = (normalise(output), normalise(str(ref))) if settings.params.get("normalise", True) else (output, str(ref))
    return ScoreValue(fn(a, b) / 100.0)


@lru_cache(maxsize=32)
def _validator(schema_json: str) -> Any:
    try:
        import jsonschema
    except ImportError:
        raise MissingDependency("jsonschema", "scorers") from None
    schema = json.loads(schema_json)
    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise ConfigError(f"invalid JSON Schema: {exc.message}") from None
    return cls(schema)


@scorer("json_schema")
def json_schema(output: str, case: Case, settings: ScorerSettings, project: Project | None = None) -> ScoreValue:
    """1 when the answer's JSON validates against ``params.schema`` (inline, or a file path relative to the project)."""
    schema = _param(settings, "schema", (dict, str))
    if isinstance(schema, str):
        path = project.path(schema) if project is not None else None
        if path is None or not path.exists():
            raise ConfigError(f"JSON Schema file not found: {schema}", field=f"scorers.{settings.name}.params.schema")
        schema = json.loads(path.read_text(encoding="utf-8"))
    validator = _validator(json.dumps(schema, sort_keys=True))
    strict = settings.params.get("strict", False)
    try:
        doc = json.loads(output.strip()) if strict else extract_json(output)
    except ValueError:
        return ScoreValue(0.0, "no JSON in the answer")
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if not errors:
        return ScoreValue(1.0)
    e = errors[0]
    where = "/".join(map(str, e.path)) or "(root)"
    return ScoreValue(0.0, f"{where}: {e.message}" + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""))
