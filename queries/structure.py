"""Structure questions S1: the shape of the governance graph itself, counted level by level.

S1 (组织体系统计, 五级架构) counts per street (or community) and in total what the seed reports
print: party organisations by kind, the 党支部 also by what they are based in (阳泉's "295个网格党支部"
are the grid branches, not every 党支部), current 党员中心户 posts, communities, grids, compounds,
buildings and open venues. Its record and fetch are in ``queries/questions/S1/``; here its assembly
and what the reports reuse. Its fetch step returns counts already summed per place::

    {"counted": str, "community_id", "street_id", "district_id", "count": int}

where ``counted`` is a PartyOrgKind code, ``branch_in_<base>`` (a BRANCH_BASES code),
``central_household`` or a label (Community, Grid, Compound, Building, Venue). Each thing is
placed as docs/definitions.md says (a party organisation where its first BASED_IN target is, a
post where the organisation it is held in is).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.schema import PartyOrgKind, Role

from .context import BY_LEVEL, UNPLACED_ZH, AssembleContext
from .coverage import _header
from .embedded import GraphIndex
from .results import BRANCH_BASES, TOTAL_ZH, StructureCounts, StructureResult

__all__ = ["assemble_structure", "COUNTED_LABELS", "BRANCH_BASES", "branch_base"]

CENTRAL_HOUSEHOLD = Role.CENTRAL_HOUSEHOLD.value
BRANCH = PartyOrgKind.BRANCH.value
#: What a 党支部 is based in (the label of its first BASED_IN target, by label then id) -> its
#: BRANCH_BASES code. A branch based in nothing, or in anything else, is ``other``.
_BRANCH_BASE_OF_LABEL = {"Grid": "grid", "Compound": "compound", "Building": "compound",
                         "OwnerCommittee": "owner_committee", "PropertyCompany": "property_company",
                         "ResidentUnit": "resident_unit", "Community": "community"}

#: Label counted by S1 -> its field of ``StructureCounts``.
COUNTED_LABELS = {"Community": "communities", "Grid": "grids", "Compound": "compounds",
                  "Building": "buildings", "Venue": "venues"}


def branch_base(index: GraphIndex, org: NodeKey) -> str:
    """The BRANCH_BASES code of a 党支部: what its first BASED_IN target (by label, then id) is."""
    bases = index.bases.get(org)
    return _BRANCH_BASE_OF_LABEL.get(bases[0][0], "other") if bases else "other"


def assemble_structure(rows: list[dict[str, Any]], ctx: AssembleContext) -> StructureResult:
    """One ``StructureCounts`` per street (per community with ``by="community"``, or without
    grouping in a community's scope) in scope, a 未归属 one when something in scope lies in none,
    and the total of the scope."""
    by = ctx.by or ("community" if ctx.scope_label == "Community" else "street")
    sums: dict[str | None, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    for row, place in ctx.located(rows):
        group = place.street_id if by == "street" else place.community_id
        sums[group][row["counted"]] += row["count"]
        total[row["counted"]] += row["count"]
    groups = ctx.areas.areas_under(BY_LEVEL[by], ctx.scope_label, ctx.scope)
    if None in sums:
        groups.append((None, UNPLACED_ZH))
    return StructureResult(**{**_header(ctx), "by": by}, areas=[_counts(group, name, sums[group]) for group, name in groups],
                           total=_counts(None, TOTAL_ZH, total))


def _counts(group: str | None, name: str, counted: Counter) -> StructureCounts:
    return StructureCounts(id=group, name=name, party_orgs={kind.value: counted[kind.value] for kind in PartyOrgKind},
                           branches={base: counted[f"branch_in_{base}"] for base in BRANCH_BASES},
                           central_households=counted[CENTRAL_HOUSEHOLD],
                           **{field: counted[label] for label, field in COUNTED_LABELS.items()})
