"""Typed objects shared by every stage (the vocabulary of docs/architecture.md).

Stages exchange these objects and the store persists them; anything written to a file
carries a ``version`` so readers can tell formats apart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT_VERSION = 1

Role = Literal["system", "user", "assistant", "tool"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Message(_Model):
    """One chat message."""

    role: Role
    content: str


class Feedback(_Model):
    """What the end user said about an answer, when the log has it."""

    thumb: Literal["up", "down"] | None = None
    rating: float | None = Field(default=None, description="user rating, scale as logged (e.g. 1-5)")
    comment: str | None = None
    edit: str | None = Field(default=None, description="the answer as the user corrected it")


class Record(_Model):
    """One production interaction, PII-scrubbed, as it sits in the store."""

    version: int = FORMAT_VERSION
    id: str = Field(description="content hash of the normalised interaction; re-ingesting is idempotent")
    source: str = Field(description="name of the log source it came from")
    ts: datetime | None = None
    model: str | None = Field(default=None, description="the model that answered in production")
    messages: list[Message] = Field(description="input conversation, oldest first")
    output: str | None = Field(default=None, description="what production answered")
    latency_ms: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict, description="locale, channel, feature, any extra keys")
    feedback: Feedback | None = None
    labels: dict[str, Any] | None = Field(default=None, description="gold labels when a human provided them")

    @property
    def text(self) -> str:
        """The user's side of the conversation, used for profiling."""
        return "\n".join(m.content for m in self.messages if m.role == "user")

    @property
    def last_user(self) -> str:
        for m in reversed(self.messages):
            if m.role == "user":
                return m.content
        return ""


class Slice(_Model):
    """A group of records that matters on its own, with the traffic share it stands for."""

    id: str
    label: str = Field(description="human-readable: distinctive terms or the stratum values")
    weight: float = Field(ge=0, le=1, description="share of production records in this slice")
    size: int = Field(ge=0, description="number of records in the slice")
    terms: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list, description="representative inputs")


class Profile(_Model):
    """A traffic map: how production divides into slices."""

    version: int = FORMAT_VERSION
    id: str
    created_at: datetime
    n_records: int
    method: str
    params: dict[str, Any] = Field(default_factory=dict)
    slices: list[Slice] = Field(default_factory=list)


class Case(_Model):
    """One item of an eval set, with its provenance and what a right answer looks like."""

    version: int = FORMAT_VERSION
    id: str
    set_name: str
    split: Literal["dev", "holdout"]
    record_ids: list[str] = Field(description="the production records this case was drawn from")
    slice_id: str
    weight: float = Field(description="share of production traffic this case stands for")
    messages: list[Message]
    reference: dict[str, Any] | None = Field(default=None, description="expected answer fields (gold labels)")
    metadata: dict[str, Any] = Field(default_factory=dict)


class EvalSet(_Model):
    """A versioned, immutable set of cases: dev visible, holdout sealed by a hash."""

    version: int = FORMAT_VERSION
    name: str
    created_at: datetime
    profile_id: str
    n_dev: int
    n_holdout: int
    content_hash: str = Field(description="sha256 over every case, dev and holdout")
    holdout_hash: str = Field(description="sha256 over the sorted holdout case ids, recorded at creation")
    params: dict[str, Any] = Field(default_factory=dict)


class Candidate(_Model):
    """A model plus everything that shapes its answers. Two prompts on one model are two candidates."""

    name: str
    provider: str
    model: str | None = None
    prompt: str | None = Field(default=None, description="path of a Jinja2 template, relative to the project")
    system: str | None = None
    params: dict[str, Any] = Field(default_factory=dict, description="temperature, max_tokens, stop, ...")
    options: dict[str, Any] = Field(default_factory=dict, description="provider settings: base_url, target, ...")
    incumbent: bool = False


class Run(_Model):
    """Candidates x cases of one eval set."""

    version: int = FORMAT_VERSION
    id: str
    set_name: str
    candidates: list[str]
    epochs: int = 1
    started_at: datetime
    finished_at: datetime | None = None
    status: Literal["running", "complete", "complete_with_errors", "interrupted"] = "running"


class Result(_Model):
    """What one candidate answered for one case in one epoch (or why it could not)."""

    run_id: str
    candidate: str
    case_id: str
    epoch: int = 0
    output: str | None = None
    error: str | None = None
    latency_ms: float | None = None
    tokens_in: int | None = None
    tokens_out: int | None = None
    cost_usd: float | None = None
    cached: bool = False


class Score(_Model):
    """A scorer's judgment of one result. ``value`` is in [0, 1]; ``None`` means not applicable."""

    run_id: str
    candidate: str
    case_id: str
    epoch: int = 0
    scorer: str
    value: float | None
    kind: Literal["binary", "graded", "pairwise"] = "binary"
    detail: str | None = None


class Verdict(_Model):
    """A human judgment on results: a pairwise preference or a rubric grade."""

    version: int = FORMAT_VERSION
    id: str
    run_id: str
    case_id: str
    kind: Literal["pairwise", "grade"]
    left: str | None = None
    right: str | None = None
    winner: Literal["left", "right", "tie"] | None = None
    grade: float | None = None
    reviewer: str
    created_at: datetime


class BenchmarkClaim(_Model):
    """A public score someone cites for a candidate, kept beside the task evidence."""

    version: int = FORMAT_VERSION
    candidate: str
    benchmark: str
    score: float
    source: str
    date: str | None = None
    independent: bool = Field(default=False, description="False when vendor-reported")


class DecisionRecord(_Model):
    """The outcome of a readiness gate, with every piece of evidence it used."""

    version: int = FORMAT_VERSION
    id: str
    created_at: datetime
    candidate: str
    policy: dict[str, Any]
    outcome: Literal["pass", "fail"]
    reasons: list[str]
    evidence: dict[str, Any]
