"""A question's cases as data: the graph each case builds, and what its answers say of themselves.

Each question keeps its cases in ``queries/questions/<CODE>/cases.toml``, read with ``tomllib``::

    [[case]]
    name = "a joint branch covers each compound it is based in"
    graph = [                                   # GraphFactory calls on GraphFactory.city()
      ["compound", "XQ1", "SQ1"],               # method, its arguments, and its keywords last
      ["party_org", "LH1", "联合党支部", {based_in = ["Compound:XQ1"]}],
    ]                                           # "Label:ID" names a node; city = false starts empty

    [[case.ask]]                                # as_of (2026-06-30 unless given), scope, by, params
    rates = {total = [1, 1]}                    # numerator and denominator, by part and group
    tallies = {"listed total" = 0}              # every count, by what is counted and group
    listed = [["XQ3", "no_party_org", "SQ2"]]   # id, reason, community (or street), detail if any

An ask checks exactly the parts it writes, through what every result offers (``rates()``,
``tallies()``, ``listed()``), so a case never names a result's fields.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from graph_factory import GraphFactory
from graphmodel.schema import node_labels
from queries.results import Result

CASES_DIR = Path(__import__("queries").__file__).parent / "questions"
CASE_AS_OF = dt.date(2026, 6, 30)
CASE_KEYS = {"name", "about", "city", "graph", "ask"}
ASKED_KEYS = {"as_of", "scope", "by", "params"}
CHECKED_KEYS = {"rates", "tallies", "listed"}  # the parts of ``described``
_LABELS = set(node_labels())


def cases_file(code: str) -> Path:
    return CASES_DIR / code / "cases.toml"


def read_cases(code: str) -> list[dict[str, Any]]:
    with cases_file(code).open("rb") as file:
        return tomllib.load(file)["case"]


def _value(value: Any) -> Any:
    """A "Label:ID" string as the node key it names; lists element by element."""
    if isinstance(value, list):
        return [_value(element) for element in value]
    if isinstance(value, str) and ":" in value and value.split(":", 1)[0] in _LABELS:
        return tuple(value.split(":", 1))
    return value


def build(case: dict[str, Any]) -> GraphFactory:
    """The case's graph: its steps called on ``GraphFactory.city()`` (or an empty factory)."""
    factory = GraphFactory.city() if case.get("city", True) else GraphFactory()
    for method, *arguments in case.get("graph", []):
        keywords = arguments.pop() if arguments and isinstance(arguments[-1], dict) else {}
        getattr(factory, method)(*map(_value, arguments), **{key: _value(value) for key, value in keywords.items()})
    return factory


def asked(ask: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``queries.run`` an ask gives."""
    return {"as_of": ask.get("as_of", CASE_AS_OF), "scope": ask.get("scope"), "by": ask.get("by"),
            **ask.get("params", {})}


def _group(line) -> str:
    return "total" if line.total else (line.group_id or "unplaced")


def described(result: Result) -> dict[str, Any]:
    """What a result says of itself, in the words of a case's ask."""
    return {
        "rates": {" ".join(filter(None, (line.part, _group(line)))): [line.numerator, line.denominator]
                  for line in result.rates()},
        "tallies": {f"{line.counted} {_group(line)}": line.count for line in result.tallies()},
        "listed": [[item.id, item.reason, item.community_id or item.street_id or "",
                    *([item.detail] if item.detail is not None else [])] for item in result.listed()],
    }


def mismatches(ask: dict[str, Any], result: Result) -> list[str]:
    """Each part the ask writes that the result says otherwise, with both."""
    said = described(result)
    return [f"{part}: expected {ask[part]!r}, answered {said[part]!r}" for part in said
            if part in ask and ask[part] != said[part]]
