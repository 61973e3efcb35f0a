"""C8 物业企业党建工作覆盖: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...coverage import _company_rows, INSTRUCTOR, NO_PARTY_COVERAGE, _rate
from ...embedded import GraphIndex


def fetch_c8(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """C8 rows: as C7; ``covered``: covered in C7, or a current 党建指导员 (``instructor``) post in it."""
    return _company_rows(index, as_of, lambda key, day: key in index.based_in
                         or index.has_role(key, INSTRUCTOR, day))


QUESTION = _rate("C8", "物业企业党建工作覆盖", "Property companies with party work coverage", fetch_c8, "PropertyCompany",
                 "counted in C7, or a Person HOLDS a current post with role `instructor` (党建指导员) in it",
                 NO_PARTY_COVERAGE, denominator="same as C7",
                 seed="红色物业: organisation or work coverage — a 党建指导员 where there is no organisation (两个覆盖, 兜底)")
