"""Scorers: task checks registered by name (the built-ins use the same registry)."""

from assay.scorers import _builtin, _checks, _embedding, _judge  # noqa: F401  (register the built-ins)
from assay.scorers._builtin import extract_json, normalise
from assay.scorers._registry import RegisteredScorer, ScoreValue, get_scorer, scorer, scorer_names
from assay.scorers._calibration import Calibration, cohen_kappa, evalgen_alignment, judge_calibration
from assay.scorers._embedding import embedding_similarity
from assay.scorers._evidence import JudgeEvidence, judge_evidence, judge_evidence_ok
from assay.scorers._checks import first_number
from assay.scorers._judge import parse_grade, parse_winner
from assay.scorers._results import ResultsTable, results_table
from assay.scorers._score import applies, score_run

__all__ = [
    "Calibration",
    "cohen_kappa",
    "embedding_similarity",
    "evalgen_alignment",
    "first_number",
    "judge_calibration",
    "judge_evidence",
    "judge_evidence_ok",
    "JudgeEvidence",
    "parse_grade",
    "parse_winner",
    "RegisteredScorer",
    "ResultsTable",
    "results_table",
    "ScoreValue",
    "applies",
    "extract_json",
    "get_scorer",
    "normalise",
    "score_run",
    "scorer",
    "scorer_names",
]
