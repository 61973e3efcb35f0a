"""B10 双报到空白: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from typing import Any

from ...blindspots import _blind_spot, _spot
from ...embedded import GraphIndex
from ...question import Reason


def fetch_b10(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """B10 rows: Communities with no ResidentUnit REGISTERED_WITH them (``no_resident_unit``)."""
    return [_spot(index, key, attrs, as_of, "no_resident_unit") for key, attrs in index.nodes("Community")
            if not any(source[0] == "ResidentUnit" for source in index.registered.get(key, ()))]


QUESTION = _blind_spot("B10", "双报到空白", "Communities without registered units", fetch_b10, "Community",
                       Reason("no_resident_unit", "无驻区单位报到", "no resident unit registered",
                              "no ResidentUnit REGISTERED_WITH it"),
                       seed="双报到: communities no unit has registered with")
