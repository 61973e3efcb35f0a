"""O2 党组织与诉求: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from ...outcomes import _outcome
from ...results import CoverageResult


def by_party_org(answer: CoverageResult):
    """``counted`` when C1 counts the compound, else ``not_counted``."""
    missing = {item.id for item in answer.missing}
    return lambda compound: "not_counted" if compound in missing else "counted"


QUESTION = _outcome("O2", "党组织与诉求", "Party organisations and cases", "C1", by_party_org, ("counted", "not_counted"),
                    "compounds grouped by C1: `counted` (C1 counts it) or `not_counted`",
                    "新源: 满意度 and 安全感 双提升 (cases where a party organisation is and is not)")
