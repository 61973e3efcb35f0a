"""The question registry and the backend seam: ``run`` and ``run_group``.

Each question is registered once by its code with a fetch step (embedded: a function of a
``GraphIndex``; Neo4j: ``queries/cypher/<cypher_name>``) and a backend-independent assemble step.
A backend is anything with ``fetch_rows(question, params) -> list[dict]``; a ``GovernanceGraph``
is wrapped in an ``EmbeddedBackend``. The pseudo-question ``AREAS`` fetches the districts,
streets and communities every assemble step uses to name places and check scopes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph, paused_gc

from . import blindspots, coverage, cross
from .context import AreaIndex, AssembleContext
from .embedded import EmbeddedBackend, fetch_areas
from .results import (BlindSpotResult, ConcentrationResult, ConflictResult, CoverageResult,
                      CrossAppointmentResult, LinkageResult, PartTimeResult, RegistrationResult, Result)

__all__ = ["Fetch", "Question", "QUESTIONS", "AREAS", "GROUPS", "run", "run_group", "backend_for"]

GROUPS = {"coverage": ("覆盖率", "Coverage"), "cross": ("交叉任职", "Cross-appointment"),
          "blindspots": ("盲区", "Blind spots")}


@dataclass(frozen=True)
class Fetch:
    """A fetch step: its code, the embedded function, the Cypher file and the parameters it takes.

    Every fetch takes ``as_of`` (ISO date string) unless ``params`` says otherwise.
    """

    code: str
    fetch: Callable[..., list[dict[str, Any]]]
    params: tuple[str, ...] = ("as_of",)

    @property
    def cypher_name(self) -> str:
        """File name of the Cypher that returns the same rows: ``queries/cypher/<cypher_name>``."""
        return f"{self.code}.cypher"


@dataclass(frozen=True)
class Question(Fetch):
    """A registered question: fetch step plus titles, group, assemble step and result type."""

    title_zh: str = ""
    title_en: str = ""
    group: str = ""
    assemble: Callable[[list[dict[str, Any]], AssembleContext], Result] | None = None
    result_type: type[Result] | None = None
    defaults: tuple[tuple[str, Any], ...] = ()  # extra parameters and their defaults, e.g. X5's n


AREAS = Fetch("areas", fetch_areas, params=())


def _question(code, zh, en, group, fetch, assemble, result_type, **defaults) -> Question:
    return Question(code, fetch, ("as_of", *defaults), zh, en, group, assemble, result_type,
                    tuple(defaults.items()))


_C, _X, _B = coverage, cross, blindspots
QUESTIONS: dict[str, Question] = {q.code: q for q in (
    _question("C1", "小区党组织覆盖率", "Compounds with a party organisation", "coverage",
              _C.fetch_c1, _C.assemble_coverage, CoverageResult),
    _question("C2", "专业化物业覆盖率", "Compounds with a property company", "coverage",
              _C.fetch_c2, _C.assemble_coverage, CoverageResult),
    _question("C3", "业委会组建率", "Compounds with an owners' committee", "coverage",
              _C.fetch_c3, _C.assemble_coverage, CoverageResult),
    _question("C4", "业委会或物管会覆盖率", "Compounds with an owners' or management committee", "coverage",
              _C.fetch_c4, _C.assemble_coverage, CoverageResult),
    _question("C5", "楼栋党小组覆盖率", "Buildings with a party group", "coverage",
              _C.fetch_c5, _C.assemble_coverage, CoverageResult),
    _question("C6", "网格党支部覆盖率", "Grids with a party branch", "coverage",
              _C.fetch_c6, _C.assemble_coverage, CoverageResult),
    _question("C7", "物业企业党组织覆盖", "Property companies with a party organisation", "coverage",
              _C.fetch_c7, _C.assemble_coverage, CoverageResult),
    _question("C8", "物业企业党建工作覆盖", "Property companies with party work coverage", "coverage",
              _C.fetch_c8, _C.assemble_coverage, CoverageResult),
    _question("C9", "业委会党组织覆盖率", "Owners' committees with a party organisation", "coverage",
              _C.fetch_c9, _C.assemble_coverage, CoverageResult),
    _question("C10", "楼长配备率", "Buildings with a building leader", "coverage",
              _C.fetch_c10, _C.assemble_coverage, CoverageResult),
    _question("C11", "网格员配备率", "Grids with a grid worker", "coverage",
              _C.fetch_c11, _C.assemble_coverage, CoverageResult),
    _question("C12", "双报到", "Dual registration", "coverage",
              _C.fetch_c12, _C.assemble_registration, RegistrationResult),
    _question("X1", "交叉任职人员", "People with cross-appointments", "cross",
              _X.fetch_x1, _X.assemble_cross_appointments, CrossAppointmentResult),
    _question("X2", "三方联动", "Party–committee–company linkage", "cross",
              _X.fetch_x2, _X.assemble_linkage, LinkageResult),
    _question("X3", "兼职委员", "Part-time members of community party committees", "cross",
              _X.fetch_x3, _X.assemble_part_time, PartTimeResult),
    _question("X4", "利益冲突", "Conflicts of interest", "cross",
              _X.fetch_x4, _X.assemble_conflicts, ConflictResult),
    _question("X5", "职务集中", "People with many posts", "cross",
              _X.fetch_x5, _X.assemble_concentration, ConcentrationResult, n=3),
    _question("B1", "无党组织小区", "Compounds without a party organisation", "blindspots",
              _B.fetch_b1, _B.assemble_blind_spots, BlindSpotResult),
    _question("B2", "无人管理小区", "Unmanaged compounds", "blindspots",
              _B.fetch_b2, _B.assemble_blind_spots, BlindSpotResult),
    _question("B3", "无业委会(物管会)小区", "Compounds without an owners' or management committee",
              "blindspots", _B.fetch_b3, _B.assemble_blind_spots, BlindSpotResult),
    _question("B4", "业委会逾期未换届", "Owner committees past their term", "blindspots",
              _B.fetch_b4, _B.assemble_blind_spots, BlindSpotResult),
    _question("B5", "网格盲区与重叠", "Grid gaps and overlaps", "blindspots",
              _B.fetch_b5, _B.assemble_blind_spots, BlindSpotResult),
    _question("B6", "空网格", "Empty grids", "blindspots",
              _B.fetch_b6, _B.assemble_blind_spots, BlindSpotResult),
    _question("B7", "物业企业党建空白", "Property companies without party coverage", "blindspots",
              _B.fetch_b7, _B.assemble_blind_spots, BlindSpotResult),
    _question("B8", "组织体系断链", "Broken party hierarchy", "blindspots",
              _B.fetch_b8, _B.assemble_blind_spots, BlindSpotResult),
    _question("B9", "班子空缺", "Organisations without a leader", "blindspots",
              _B.fetch_b9, _B.assemble_blind_spots, BlindSpotResult),
    _question("B10", "双报到空白", "Communities without registered units", "blindspots",
              _B.fetch_b10, _B.assemble_blind_spots, BlindSpotResult),
    _question("B11", "需求未对接", "Unmatched demands", "blindspots",
              _B.fetch_b11, _B.assemble_blind_spots, BlindSpotResult),
)}


def backend_for(source: Any):
    """The backend for a graph or a backend: a ``GovernanceGraph`` is wrapped for embedded fetches."""
    if isinstance(source, GovernanceGraph):
        return EmbeddedBackend(source)
    if callable(getattr(source, "fetch_rows", None)):
        return source
    raise QueryError(f"cannot ask questions of a {type(source).__name__}",
                     hint="pass a GovernanceGraph or a backend with fetch_rows(question, params)")


def run(code: str, source: Any, *, scope: str | None = None, by: str | None = None,
        as_of: dt.date | None = None, **params: Any) -> Result:
    """Answer one question over a graph or a backend.

    Parameters
    ----------
    code : str
        Question code (``C1`` … ``B11``), case-insensitive.
    source : GovernanceGraph or backend
        The graph (embedded fetch) or an object with ``fetch_rows(question, params)``.
    scope : str, optional
        A district, street or community code; only things in it are counted and listed.
    by : {"street", "community"}, optional
        Group rates and counts by street or community.
    as_of : datetime.date, optional
        Date that decides which contracts, posts and terms are current; today by default.
    **params
        Question parameters, e.g. ``n`` for X5.

    Raises
    ------
    QueryError
        Unknown code, scope, grouping or parameter.

    Examples
    --------
    >>> from graphmodel.schema import Community, Compound
    >>> g = GovernanceGraph()
    >>> c = g.add(Community(id="SQ1", name="和平社区"))
    >>> g.relate("PART_OF", g.add(Compound(id="XQ1", name="幸福小区")), c)
    >>> result = run("C1", g)
    >>> (result.numerator, result.denominator, result.missing[0].id)
    (0, 1, 'XQ1')
    """
    question = _question_for(code)
    return _answers(source, scope, by, as_of, {question.code: (question, params)})[question.code]


def run_group(group: str, source: Any, *, scope: str | None = None, by: str | None = None,
              as_of: dt.date | None = None, **params: Any) -> dict[str, Result]:
    """Answer every question of a group (``coverage``, ``cross``, ``blindspots`` or ``all``), sharing
    one backend, one index and one areas fetch; returns ``{code: result}`` in registry order."""
    if group != "all" and group not in GROUPS:
        raise QueryError(f"unknown question group {group!r}", hint=f"use one of: {', '.join([*GROUPS, 'all'])}")
    return _answers(source, scope, by, as_of,
                    {code: (question, {k: v for k, v in params.items() if k in question.params})
                     for code, question in QUESTIONS.items() if group in ("all", question.group)})


def _answers(source: Any, scope: str | None, by: str | None, as_of: dt.date | None,
             asked: dict[str, tuple[Question, dict[str, Any]]]) -> dict[str, Result]:
    """Answer questions in one session with the cyclic collector paused (see ``paused_gc``).

    The session (and with it an embedded index of a million entries) is dropped before the
    collector resumes, so that its first pass meets only the results.
    """
    with paused_gc():
        return _answer_in_session(_Session(backend_for(source), scope, by, as_of), asked)


def _answer_in_session(session: "_Session", asked: dict[str, tuple[Question, dict[str, Any]]]
                       ) -> dict[str, Result]:
    return {code: session.answer(question, params) for code, (question, params) in asked.items()}


class _Session:
    """One backend, scope, grouping and date; fetches the areas once for every question asked."""

    def __init__(self, backend, scope: str | None, by: str | None, as_of: dt.date | str | None):
        self.backend = backend
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        self.as_of = as_of or dt.date.today()
        self.areas = AreaIndex(backend.fetch_rows(AREAS, {}))
        self.scope, self.by = scope, by
        AssembleContext(None, self.areas, self.as_of, scope, by)  # reject a bad scope or grouping early

    def answer(self, question: Question, params: dict[str, Any]) -> Result:
        unknown = set(params) - set(question.params) | ({"as_of"} & set(params))
        if unknown:
            raise QueryError(f"{question.code} takes no parameter {sorted(unknown)[0]!r}",
                             hint=f"{question.code} parameters: {', '.join(question.params[1:]) or 'none'}")
        values = {**dict(question.defaults), **params}
        context = AssembleContext(question, self.areas, self.as_of, self.scope, self.by, values)
        rows = self.backend.fetch_rows(question, {"as_of": self.as_of.isoformat(), **values})
        return question.assemble(rows, context)


def _question_for(code: str) -> Question:
    question = QUESTIONS.get(str(code).strip().upper())
    if question is None:
        raise QueryError(f"unknown question {code!r}", hint=f"questions: {', '.join(QUESTIONS)}")
    return question
