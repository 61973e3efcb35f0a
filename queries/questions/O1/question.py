"""O1 联动与诉求: its record (the rule written once) and its embedded fetch; its Cypher and its cases
are the other files of this folder."""

from __future__ import annotations

from ...outcomes import _outcome
from ...results import LinkageResult


def by_linkage(answer: LinkageResult):
    """A compound's X2 status; ``not_assessed`` for one X2 cannot assess."""
    status = {linkage.id: linkage.status for linkage in answer.compounds}
    return lambda compound: status.get(compound, "not_assessed")


QUESTION = _outcome("O1", "联动与诉求", "Linkage and cases", "X2", by_linkage,
                    ("complete", "partial", "none", "not_assessed"),
                    "compounds grouped by their X2 status on the as-of date: `complete`, `partial`, `none`, or "
                    "`not_assessed` (X2 cannot assess it)",
                    "莒南: 爱琴海小区's 473 工单 in 2022, fewer than 10 a month after 双向进入 (cases where linkage is and is not)")
