"""``assay.yaml``: the project file, validated with pydantic.

Errors name the file, the line and the field, and say what was expected, e.g.::

    assay.yaml:14 [candidates.1.provider]: unknown provider 'olama'; expected one of: llamacpp, openai, python, recorded
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assay.errors import ConfigError
from assay.records import Candidate

if TYPE_CHECKING:
    from assay.store import Store

CONFIG_FILE = "assay.yaml"
STATE_DIR = ".assay"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is the SQLite file .assay/assay.db. "
        "The ASSAY_DATABASE_URL environment variable overrides it.",
    )


class SourceSettings(_Section):
    name: str = Field(description="name recorded on every record from this source")
    path: str = Field(description="file or glob, relative to the project folder")
    format: str = Field(default="auto", description="log format, or auto to detect it")
    map: str | None = Field(
        default=None, description="read fields from dotted paths: input=request.messages,output=response.text"
    )
    ts_format: str | None = Field(
        default=None, description="strptime format of timestamp text ISO 8601 does not cover, e.g. '%d/%m/%Y %H:%M'"
    )
    encoding: str | None = Field(
        default=None, description="text encoding of files that are not UTF-8, e.g. cp1252 or utf-16"
    )


class ScrubConfig(_Section):
    patterns: dict[str, str] = Field(default_factory=dict, description="extra PII kinds: NAME -> regex")
    allow: list[str] = Field(default_factory=list, description="values never scrubbed; 're:' prefix for a regex")
    disable: list[str] = Field(default_factory=list, description="built-in kinds to switch off, e.g. ADDRESS, or one national number, e.g. NATIONAL_ID:in_aadhaar")


class ProfileSettings(_Section):
    method: Literal["tfidf-kmeans"] = "tfidf-kmeans"
    embedder: str = Field(default="tfidf", description="tfidf (default, no download), minilm, or openai")
    embedder_options: dict[str, Any] = Field(default_factory=dict, description="e.g. base_url and model for openai")
    k_min: int = Field(default=8, ge=2)
    k_max: int = Field(default=40, ge=2)
    strata: list[str] = Field(default_factory=list, description="metadata keys to cross with topic clusters")
    min_slice_share: float = Field(default=0.003, ge=0, lt=1, description="smaller slices merge into 'other'")
    seed: int = 0

    @model_validator(mode="after")
    def _k_range(self) -> "ProfileSettings":
        if self.k_max < self.k_min:
            raise ValueError(f"k_max ({self.k_max}) must be at least k_min ({self.k_min})")
        return self


class SamplingSettings(_Section):
    size: int = Field(default=200, ge=1, description="total cases, dev + holdout")
    holdout: float = Field(default=0.2, ge=0, lt=1, description="fraction sealed as holdout")
    min_per_slice: int = Field(default=1, ge=0, description="tail quota for every slice above min_share")
    min_share: float = Field(default=0.002, ge=0, lt=1)
    require_reference: bool = Field(default=False, description="draw only records with gold labels")
    near_dup_threshold: float = Field(default=0.9, gt=0, le=1, description="MinHash Jaccard above which inputs are near-duplicates")
    negative_feedback_boost: float = Field(default=0.0, ge=0, description="extra cases for slices with negative feedback")
    seed: int = 0


class ScorerSettings(_Section):
    name: str
    type: str = Field(description="a registered scorer: exact_match, json_valid, json_fields, ...")
    field: str | None = Field(default=None, description="the reference field the scorer compares against")
    when: dict[str, Any] = Field(default_factory=dict, description="apply only to cases whose metadata match")
    params: dict[str, Any] = Field(default_factory=dict)


class PriceSettings(_Section):
    input_per_mtok: float = Field(ge=0, description="USD per million input (prompt) tokens")
    output_per_mtok: float = Field(ge=0, description="USD per million output tokens")


class RunSettings(_Section):
    concurrency: int = Field(default=8, ge=1)
    epochs: int = Field(default=1, ge=1)
    timeout_s: float = Field(default=120, gt=0)
    retries: int = Field(default=3, ge=0)
    breaker_failures: int = Field(
        default=10, ge=1, description="consecutive failures of one candidate's provider that open its circuit breaker"
    )
    breaker_cooldown_s: float = Field(default=10.0, gt=0, description="seconds an open breaker waits before one probe request")
    prices: dict[str, PriceSettings] = Field(
        default_factory=dict,
        description="model name -> price, for cost when the provider reports none (candidate options.price overrides)",
    )


class GateSettings(_Section):
    primary_scorer: str | None = None
    max_regression: float = Field(default=0.0, description="largest drop vs the incumbent that still passes")
    min_cases: int = Field(default=100, ge=1)


class ProjectConfig(_Section):
    version: Literal[1] = 1
    project: str = Field(description="project name")
    store: StoreSettings = Field(default_factory=StoreSettings)
    sources: list[SourceSettings] = Field(default_factory=list)
    scrub: ScrubConfig = Field(default_factory=ScrubConfig)
    profile: ProfileSettings = Field(default_factory=ProfileSettings)
    sampling: SamplingSettings = Field(default_factory=SamplingSettings)
    candidates: list[Candidate] = Field(default_factory=list)
    scorers: list[ScorerSettings] = Field(default_factory=list)
    run: RunSettings = Field(default_factory=RunSettings)
    gate: GateSettings = Field(default_factory=GateSettings)

    @field_validator("candidates")
    @classmethod
    def _unique_candidates(cls, value: list[Candidate]) -> list[Candidate]:
        names = [c.name for c in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"candidate names must be unique; repeated: {', '.join(dupes)}")
        if sum(c.incumbent for c in value) > 1:
            raise ValueError("at most one candidate can be the incumbent")
        return value


class Project:
    """A project folder: its validated config and where its state lives."""

    def __init__(self, root: Path, config: ProjectConfig) -> None:
        self.root = root
        self.config = config

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def database_url(self) -> str:
        url = os.environ.get("ASSAY_DATABASE_URL") or self.config.store.url
        if url:
            return url
        return f"sqlite:///{(self.state_dir / 'assay.db').resolve()}"

    @property
    def key(self) -> bytes:
        from assay.project._key import project_key

        return project_key(self.state_dir)

    def open_store(self) -> "Store":
        """Open this project's store, migrating it to the newest schema if needed."""
        from assay.store import Store

        return Store(self.database_url)

    def path(self, relative: str) -> Path:
        p = Path(relative)
        return p if p.is_absolute() else self.root / p

    def candidate(self, name: str) -> Candidate:
        for c in self.config.candidates:
            if c.name == name:
                return c
        known = ", ".join(c.name for c in self.config.candidates) or "none"
        raise ConfigError(f"no candidate named {name!r}; candidates: {known}", file=str(self.root / CONFIG_FILE))

    @property
    def incumbent(self) -> Candidate | None:
        return next((c for c in self.config.candidates if c.incumbent), None)


# -- loading, with line numbers ------------------------------------------------------


def _line_index(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + 1
            _line_index(value_node, path + (key,), out)
            out[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_index(item, path + (i,), out)


def _line_for(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def parse_config(text: str, file: str = CONFIG_FILE) -> ProjectConfig:
    """Validate the text of an assay.yaml; raise ConfigError naming file, line and field."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=file,
            line=mark.line + 1 if mark else None,
            hint="fix the syntax; `assay init --force` writes a fresh commented example",
        ) from None
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping at the top level (project:, sources:, candidates: ...)", file=file, line=1)
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _line_index(node, (), lines)
    try:
        config = ProjectConfig.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field = ".".join(str(p) for p in loc) or None
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field; check the spelling (see docs/config.md for every field)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        elif "input" in err and err["type"] not in ("value_error",):
            msg = f"{msg} (got {err['input']!r})"
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ConfigError(msg, file=file, line=_line_for(loc, lines), field=field) from None
    _check_registered(config, file, lines)
    return config


def _check_registered(config: ProjectConfig, file: str, lines: dict[tuple[Any, ...], int]) -> None:
    """Provider and scorer names must be registered (built-ins or user plugins)."""
    from assay.providers import provider_names
    from assay.scorers import scorer_names

    for i, c in enumerate(config.candidates):
        if c.provider not in provider_names():
            loc = ("candidates", i, "provider")
            raise ConfigError(
                f"unknown provider {c.provider!r}; expected one of: {', '.join(provider_names())}",
                file=file, line=_line_for(loc, lines), field=".".join(map(str, loc)),
            )
    for i, sc in enumerate(config.scorers):
        if sc.type not in scorer_names():
            loc = ("scorers", i, "type")
            raise ConfigError(
                f"unknown scorer type {sc.type!r}; expected one of: {', '.join(scorer_names())}",
                file=file, line=_line_for(loc, lines), field=".".join(map(str, loc)),
            )


def load_project(root: str | Path = ".") -> Project:
    """Load the project whose ``assay.yaml`` is in ``root``."""
    root = Path(root).resolve()
    cfg_path = root / CONFIG_FILE
    if not cfg_path.exists():
        raise ConfigError(
            f"no {CONFIG_FILE} in {root}",
            hint="run `assay init` to create one, or pass --project DIR",
        )
    text = cfg_path.read_text(encoding="utf-8")
    config = parse_config(text, file=str(cfg_path))
    return Project(root, config)


def as_project(project: "Project | str | Path") -> Project:
    """Accept a loaded project or the path of its folder."""
    return project if isinstance(project, Project) else load_project(project)
