"""The questions gridgraph answers: coverage (C…), cross-appointment (X…), blind spots (B…), structure (S1),
candidates (R…: who could close each gap).

``run("C1", graph)`` answers one question, ``run_group("coverage", graph)`` a whole group; both
accept a ``GovernanceGraph`` (embedded) or any backend with ``fetch_rows(question, params)``
(Neo4j). ``diff(old, new)`` compares the answers of two graphs, ``timeline(graph, codes, dates)``
asks on several dates. ``QUESTIONS`` is the registry by code, one ``Question`` record each; docs/definitions.md pins every
definition, its tables generated from the records.
"""

from .changes import DiffResult, Timeline, TimelineAnswers, diff, period_ends, timeline, timeline_answers
from .question import KINDS, Fetch, Question, Reason, code_span, describe_codes
from .registry import AREAS, QUESTIONS, RATE_CODES, REASONS, Session, backend_for, codes_hint, run, run_group, run_many
from .results import (BlindSpotResult, CandidateResult, ConcentrationResult, ConflictResult, CoverageResult,
                      CrossAppointmentResult, Item, LinkageResult, PartTimeResult, RegistrationResult,
                      Result, StructureResult)

__all__ = ["run", "run_many", "run_group", "Session", "diff", "timeline", "timeline_answers", "TimelineAnswers", "period_ends", "DiffResult", "Timeline", "QUESTIONS", "AREAS", "RATE_CODES", "KINDS", "Fetch", "Question", "Reason", "backend_for",
           "REASONS", "codes_hint", "code_span", "describe_codes", "Result", "Item", "CoverageResult", "RegistrationResult", "CrossAppointmentResult",
           "LinkageResult", "PartTimeResult", "ConflictResult", "ConcentrationResult", "BlindSpotResult",
           "StructureResult", "CandidateResult"]
