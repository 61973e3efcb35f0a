"""O3 物业评价与诉求: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from ...outcomes import _outcome
from ...results import BlindSpotResult


def by_rating(answer: BlindSpotResult):
    """``poor`` when a company B17 lists manages the compound (B17 lists a company once, its
    compounds in scope as its detail), else ``rest``."""
    poor = {compound for item in answer.items for compound in (item.detail or "").split("; ") if compound}
    return lambda compound: "poor" if compound in poor else "rest"


QUESTION = _outcome("O3", "物业评价与诉求", "Property ratings and cases", "B17", by_rating, ("poor", "rest"),
                    "compounds grouped by B17: `poor` (a company B17 lists manages it: black-listed or poorly rated) "
                    "or `rest`",
                    "物业红黑榜: the cases of compounds whose company is black-listed or poorly rated")
