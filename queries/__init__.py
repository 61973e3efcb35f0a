"""The questions gridgraph answers: coverage (C1–C12), cross-appointment (X1–X5), blind spots (B1–B11).

``run("C1", graph)`` answers one question, ``run_group("coverage", graph)`` a whole group; both
accept a ``GovernanceGraph`` (embedded) or any backend with ``fetch_rows(question, params)``
(Neo4j). ``QUESTIONS`` is the registry by code; docs/definitions.md pins every definition.
"""

from .context import REASONS
from .registry import AREAS, GROUPS, QUESTIONS, Fetch, Question, backend_for, run, run_group
from .results import (BlindSpotResult, ConcentrationResult, ConflictResult, CoverageResult,
                      CrossAppointmentResult, Item, LinkageResult, PartTimeResult, RegistrationResult,
                      Result)

__all__ = ["run", "run_group", "QUESTIONS", "AREAS", "GROUPS", "Fetch", "Question", "backend_for",
           "REASONS", "Result", "Item", "CoverageResult", "RegistrationResult", "CrossAppointmentResult",
           "LinkageResult", "PartTimeResult", "ConflictResult", "ConcentrationResult", "BlindSpotResult"]
