"""B17 黑榜物业仍在服务: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from graphmodel.rules import POOR_RATINGS
from graphmodel.schema import RatingResult

from ...blindspots import _blind_spot, _day
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b17(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B17 rows: companies with a current contract whose latest rating on or before ``as_of`` is
    poor: ``black_listed`` when a 黑榜 is among the ratings of that latest date, else
    ``poorly_rated`` when a 1星 or 2星 is. One row per compound they currently manage, with
    ``compound_id``, the compound's place and the compound's id as detail."""
    day = _day(as_of)
    rows = []
    for company, compounds in index.managed_companies(day).items():
        rated = [(props["date"], props["result"]) for _, props in index.ratings.get(company, ()) if props["date"] <= day]
        if not rated:
            continue
        latest = max(date for date, _ in rated)
        results = {result for date, result in rated if date == latest}
        if not results & POOR_RATINGS:
            continue
        reason = "black_listed" if RatingResult.BLACK_LIST.value in results else "poorly_rated"
        name = index.attrs[company]["name"]
        rows.extend({"label": "PropertyCompany", "id": company[1], "name": name, "compound_id": compound[1],
                     **index.place_fields(compound, day), "reason": reason, "detail": compound[1]}
                    for compound in compounds)
    return rows


QUESTION = _blind_spot("B17", "黑榜物业仍在服务", "Black-listed property companies still serving", fetch_b17,
                       "PropertyCompany",
                       Reason("black_listed", "黑榜企业仍在服务", "black-listed, still serving",
                              "a PropertyCompany with a current MANAGES whose latest RATED on or before the as-of date "
                              "(by `date`, over every rating area; ratings of one date read together) includes "
                              "`black_list`; each compound it currently manages in the scope in the detail"),
                       Reason("poorly_rated", "评价1–2星仍在服务", "rated 1–2 stars, still serving",
                              "as `black_listed`, when that latest rating includes no `black_list` but `stars_1` or "
                              "`stars_2`"),
                       seed="莒南: 物业红黑榜")
