"""One record per question: code, titles, kind, parameters, reasons, fetch, Cypher and assembly.

Each question module (coverage, cross, blindspots) declares its questions as ``Question`` records;
the registry, the hints, the view marks, docs/definitions.md and the sample generator's ground
truth all read them, so a new question is its record, its fetch, its ``.cypher`` file and its test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .context import AssembleContext
from .results import CoverageResult, Result

__all__ = ["KINDS", "Fetch", "Parameter", "Question", "Reason", "code_span", "describe_codes"]

#: Kind of question -> (Chinese, English) titles, in the order questions are listed and asked.
#: ``structure`` is for questions about the shape of the graph itself (S1…).
KINDS = {"coverage": ("覆盖率", "Coverage"), "cross": ("交叉任职", "Cross-appointment"),
         "blindspots": ("盲区", "Blind spots"), "structure": ("结构", "Structure"),
         "candidates": ("建议人选", "Candidates"), "outcomes": ("成效", "Outcomes")}


@dataclass(frozen=True)
class Reason:
    """Why a thing is listed: a code, its Chinese and English words, and the rule (for the docs)."""

    code: str
    zh: str
    en: str
    rule: str = ""

    def where(self, rule: str) -> "Reason":
        """The same reason under the rule of another question."""
        return replace(self, rule=rule)


@dataclass(frozen=True)
class Parameter:
    """A question's parameter: its default, and how the command line offers it.

    ``option`` is its flag (``--max-posts``); ``kind`` what it takes: ``count`` (a whole number of at
    least ``minimum``), ``number`` (a finite number of at least ``minimum``), ``date`` or ``text``;
    ``help`` says what it does (the command line puts the codes of the questions that take it
    first). Questions that share a parameter name share the option.
    """

    default: Any
    option: str
    kind: str = "text"
    minimum: float = 0
    help: str = ""
    metavar: str | None = None


@dataclass(frozen=True)
class Fetch:
    """A fetch step: its code, the embedded function, the Cypher file and the parameters it takes.

    Every fetch takes ``as_of`` (ISO date string) unless ``params`` says otherwise.
    """

    code: str
    fetch: Callable[..., list[dict[str, Any]]]
    params: tuple[str, ...] = ("as_of",)
    cypher: str = ""  # the Cypher file's name when several fetches share one (O1–O3); else the code

    @property
    def cypher_name(self) -> str:
        """File name of the Cypher that returns the same rows."""
        return f"{self.cypher or self.code}.cypher"

    @property
    def cypher_path(self) -> str:
        """Where that Cypher lives in the ``queries`` package: ``cypher/`` when shared, not one question's."""
        return f"cypher/{self.cypher_name}"


@dataclass(frozen=True, kw_only=True)
class Question(Fetch):
    """A question: its fetch step plus everything said about it.

    ``counted`` is the label a question counts or lists (``denominator``: which of those, in the
    words of docs/definitions.md, when not all); ``rule`` says when a thing counts (or, for a
    cross-appointment question, who is listed);
    ``reasons`` are the reason codes of its listed items, in display order; ``parameters`` its
    parameters beyond ``as_of``, each with its default and its command-line option (X5's ``n``,
    ``--max-posts``); ``defaults`` their default values (and those of parameters the command line
    does not offer); ``needs`` the codes of the questions whose answers (same backend, date and
    scope) its assembly reads (O1: X2's); ``gaps_of`` the code of the question whose gaps a
    candidate question proposes people for (R1: X2's).
    """

    title_zh: str
    title_en: str
    kind: str
    assemble: Callable[[list[dict[str, Any]], AssembleContext], Result]
    result_type: type[Result]
    counted: str = ""
    denominator: str = ""
    rule: str = ""
    reasons: tuple[Reason, ...] = ()
    parameters: dict[str, Parameter] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    gaps_of: str = ""
    seed: str = ""  # the seed reports' sentence (or mechanism) it counts, for docs/definitions.md

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.code}: unknown kind {self.kind!r}")
        defaults = {**{name: parameter.default for name, parameter in self.parameters.items()}, **self.defaults}
        object.__setattr__(self, "defaults", defaults)
        object.__setattr__(self, "params", ("as_of", *defaults))

    def __hash__(self) -> int:  # ``defaults`` is a dict; a question is known by its code
        return hash(self.code)

    @property
    def has_rate(self) -> bool:
        """Whether the answer is one rate (C1–C11 …), which ``--fail-under`` can check."""
        return issubclass(self.result_type, CoverageResult)

    @property
    def gives_rates(self) -> bool:
        """Whether the answer gives rates at all (``Result.rates``): one, or one per part (C16)."""
        return self.result_type.rates is not Result.rates

    @property
    def cypher_path(self) -> str:
        """A question's own Cypher lives in its folder: ``questions/<CODE>/<CODE>.cypher``."""
        return super().cypher_path if self.cypher else f"questions/{self.code}/{self.cypher_name}"

    def reason(self, code: str) -> Reason:
        return next(reason for reason in self.reasons if reason.code == code)


def code_span(codes: Iterable[str]) -> str:
    """``C1–C11`` for a run of codes of one letter in order; the codes joined otherwise.

    Examples
    --------
    >>> code_span(["C1", "C2", "C3"]), code_span(["X5"]), code_span(["C1", "C3"])
    ('C1–C3', 'X5', 'C1, C3')
    """
    codes = list(codes)
    letters = {code[0] for code in codes}
    numbers = [int(code[1:]) for code in codes]
    if len(codes) > 1 and len(letters) == 1 and numbers == list(range(numbers[0], numbers[0] + len(codes))):
        return f"{codes[0]}–{codes[-1]}"
    return ", ".join(codes)


def describe_codes(questions: Iterable[Question]) -> str:
    """The codes of ``questions`` one span per kind, for hints: ``C1–C12, X1–X5 and B1–B11``."""
    by_kind: dict[str, list[str]] = {}
    for question in questions:
        by_kind.setdefault(question.kind, []).append(question.code)
    spans = [code_span(codes) for codes in by_kind.values()]
    return " and ".join([", ".join(spans[:-1]), spans[-1]]) if len(spans) > 1 else "".join(spans)
