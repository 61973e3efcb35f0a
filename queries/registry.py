"""The question registry and the backend seam: ``run`` and ``run_group``.

Each question is a folder, ``questions/<CODE>/``: its ``Question`` record (see :mod:`.question`)
and embedded fetch in ``question.py`` (a function of a ``GraphIndex``), its Cypher twin and its
cases; the assemble step, backend-independent, and the helpers questions share are in the module
of its kind (``coverage``, ``blindspots`` …). ``QUESTIONS`` finds the folders and orders the
records kind after kind, each kind by number: no list of questions is kept by hand.
A backend is anything with ``fetch_rows(question, params) -> list[dict]``; a ``GovernanceGraph``
is wrapped in an ``EmbeddedBackend``. The pseudo-question ``AREAS`` fetches the districts,
streets and communities every assemble step uses to name places and check scopes.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graphmodel.errors import QueryError
from graphmodel.graph import GovernanceGraph, paused_gc

from .context import AreaIndex, AssembleContext
from .embedded import EmbeddedBackend, fetch_areas
from .question import KINDS, Fetch, Question, describe_codes
from .results import Result

__all__ = ["QUESTIONS", "AREAS", "RATE_CODES", "REASONS", "Session", "run", "run_many", "run_group", "backend_for", "codes_hint"]

AREAS = Fetch("areas", fetch_areas, params=())



def _discovered() -> list[Question]:
    """The record of every folder of ``questions/`` (its ``question.py``), kind after kind in the
    order of ``KINDS``, each kind by number (C2 before C10)."""
    folders = sorted(path.parent.name for path in (Path(__file__).parent / "questions").glob("*/question.py"))
    records = [importlib.import_module(f"{__package__}.questions.{code}.question").QUESTION for code in folders]
    return sorted(records, key=lambda question: (list(KINDS).index(question.kind), int(question.code[1:])))


#: Every question by code: coverage, cross-appointment, blind spots, structure, candidates, then outcomes.
QUESTIONS: dict[str, Question] = {question.code: question for question in _discovered()}

#: The questions whose answer is one rate (C1 …): what ``--fail-under`` and a view's ``--rate`` take.
RATE_CODES = tuple(code for code, question in QUESTIONS.items() if question.has_rate)

#: Reason code -> (Chinese, English), over every question's reasons.
REASONS: dict[str, tuple[str, str]] = {reason.code: (reason.zh, reason.en)
                                       for question in QUESTIONS.values() for reason in question.reasons}


def codes_hint() -> str:
    """What a hint says about the questions there are: ``question codes are C1–C18, … ; groups are …``."""
    kinds = [kind for kind in KINDS if any(q.kind == kind for q in QUESTIONS.values())]
    return (f"question codes are {describe_codes(QUESTIONS.values())}; "
            f"groups are {', '.join([*kinds, 'all'])}")


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
    with paused_gc():  # as in _answers; every parameter must be the question's own
        return Session(backend_for(source), scope, by, as_of).answer(question, params)


def run_many(codes: Iterable[str], source: Any, *, scope: str | None = None, by: str | None = None,
             as_of: dt.date | None = None, progress: Callable[[str, int, int], None] | None = None,
             **params: Any) -> dict[str, Result]:
    """Answer the questions ``codes`` in the order given, in one session (one backend, one index,
    one areas fetch); each parameter goes to the questions that take it (and is ignored by the
    others, as in ``run_group``). ``progress(step, done,
    total)`` is told of each question answered.

    >>> from graphmodel.schema import Community, Compound
    >>> g = GovernanceGraph()
    >>> g.relate("PART_OF", g.add(Compound(id="XQ1", name="幸福小区")), g.add(Community(id="SQ1", name="和平社区")))
    >>> list(run_many(["B1", "C1"], g))
    ['B1', 'C1']
    """
    return _answers(source, scope, by, as_of, [_question_for(code) for code in codes], params, progress)


def run_group(group: str, source: Any, *, scope: str | None = None, by: str | None = None,
              as_of: dt.date | None = None, **params: Any) -> dict[str, Result]:
    """Answer every question of a group (``coverage``, ``cross``, ``blindspots`` or ``all``), sharing
    one backend, one index and one areas fetch; returns ``{code: result}`` in registry order."""
    kinds = {question.kind for question in QUESTIONS.values()}
    if group != "all" and group not in kinds:
        raise QueryError(f"unknown question group {group!r}",
                         hint=f"use one of: {', '.join([*(kind for kind in KINDS if kind in kinds), 'all'])}")
    return _answers(source, scope, by, as_of,
                    [question for question in QUESTIONS.values() if group in ("all", question.kind)], params)


def _answers(source: Any, scope: str | None, by: str | None, as_of: dt.date | None, questions: list[Question],
             params: dict[str, Any], progress: Callable[[str, int, int], None] | None = None) -> dict[str, Result]:
    """Answer questions in one session with the cyclic collector paused (see ``paused_gc``).

    The session (and with it an embedded index of a million entries) is dropped before the
    collector resumes, so that its first pass meets only the results.
    """
    with paused_gc():
        return Session(backend_for(source), scope, by, as_of).answer_all(questions, params, progress)


class Session:
    """One backend, scope, grouping and date; fetches the areas once for every question asked
    (``areas``: already fetched, e.g. by a timeline that asks on several dates), and answers a
    question asked again with the same parameters (O1 needs X2's answer) from what it answered."""

    def __init__(self, backend, scope: str | None, by: str | None, as_of: dt.date | str | None,
                 areas: AreaIndex | None = None):
        self.backend = backend
        if isinstance(as_of, str):
            as_of = dt.date.fromisoformat(as_of)
        self.as_of = as_of or dt.date.today()
        self.areas = areas if areas is not None else AreaIndex(backend.fetch_rows(AREAS, {}))
        self.scope, self.by = scope, by
        self.answered: dict[tuple[str, str], Result] = {}
        AssembleContext(None, self.areas, self.as_of, scope, by)  # reject a bad scope or grouping early

    def answer_all(self, questions: list[Question], params: dict[str, Any],
                   progress: Callable[[str, int, int], None] | None = None) -> dict[str, Result]:
        """Each of ``questions`` in order, with the parameters of ``params`` it takes (the others
        are for other questions); ``progress(step, done, total)`` is told of each answered."""
        answers = {}
        for done, question in enumerate(questions, 1):
            answers[question.code] = self.answer(question, {k: v for k, v in params.items() if k in question.params})
            if progress:
                progress("answering questions", done, len(questions))
        return answers

    def answer(self, question: Question, params: dict[str, Any]) -> Result:
        unknown = set(params) - set(question.params) | ({"as_of"} & set(params))
        if unknown:
            raise QueryError(f"{question.code} takes no parameter {sorted(unknown)[0]!r}",
                             hint=f"{question.code} parameters: {', '.join(question.params[1:]) or 'none'}")
        values = {**question.defaults, **params}
        key = (question.code, repr(sorted(values.items())))
        if key not in self.answered:
            needed = {code: self.answer(QUESTIONS[code], {}) for code in question.needs}
            context = AssembleContext(question, self.areas, self.as_of, self.scope, self.by, values, needed)
            rows = self.backend.fetch_rows(question, {"as_of": self.as_of.isoformat(), **values})
            self.answered[key] = question.assemble(rows, context)
        return self.answered[key]


def _question_for(code: str) -> Question:
    question = QUESTIONS.get(str(code).strip().upper())
    if question is None:
        raise QueryError(f"unknown question {code!r}", hint=f"questions: {', '.join(QUESTIONS)}")
    return question
