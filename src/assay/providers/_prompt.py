"""Render a candidate's prompt for a case (Jinja2 templates)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from assay.errors import ConfigError
from assay.providers._base import Prompt
from assay.records import Candidate, Case, Message

@lru_cache(maxsize=64)
def _env(folder: Path) -> jinja2.Environment:
    # One environment per template folder, so templates can {% include %} their neighbours.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,  # a prompt ending 'Intent:' must not end in a newline
        autoescape=False,
    )


def _template(path: Path) -> jinja2.Template:
    try:
        return _env(path.parent).get_template(path.name)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"template syntax error: {exc.message}", file=exc.filename or str(path), line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"template includes a missing file: {exc.name}", file=str(path)) from None


def render(candidate: Candidate, case: Case, root: Path) -> Prompt:
    """The prompt ``candidate`` sends for ``case``.

    With no template the case's own conversation is sent (after the candidate's
    ``system`` message, if any). A template is rendered with ``case``, ``messages``,
    ``input`` (the last user message), ``conversation`` (user turns as text) and
    ``metadata``; its text is sent as one user message to chat models and as raw
    text to completion (base) models.
    """
    if candidate.prompt is None:
        msgs = list(case.messages)
        if candidate.system:
            msgs = [Message(role="system", content=candidate.system)] + [m for m in msgs if m.role != "system"]
        return Prompt(messages=tuple(msgs))
    path = Path(candidate.prompt)
    path = path if path.is_absolute() else root / path
    if not path.exists():
        raise ConfigError(f"prompt template not found: {path}", field=f"candidates.{candidate.name}.prompt")
    last_user = next((m.content for m in reversed(case.messages) if m.role == "user"), "")
    try:
        text = _template(path).render(
            case=case,
            messages=case.messages,
            input=last_user,
            conversation="\n".join(m.content for m in case.messages if m.role == "user"),
            metadata=case.metadata,
        )
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"template uses an undefined value: {exc.message}", file=str(path)) from None
    if candidate.system:
        return Prompt(messages=(Message(role="system", content=candidate.system), Message(role="user", content=text)), text=text)
    return Prompt(text=text)
