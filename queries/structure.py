"""Structure questions S1: the shape of the governance graph itself, counted level by level.

S1 (组织体系统计, 五级架构) counts per street (or community) and in total what the seed reports
print: party organisations by kind, the 党支部 also by what they are based in (阳泉's "295个网格党支部"
are the grid branches, not every 党支部), current 党员中心户 posts, communities, grids, compounds,
buildings and open venues. Its fetch step returns counts already summed per place::

    {"counted": str, "community_id", "street_id", "district_id", "count": int}

where ``counted`` is a PartyOrgKind code, ``branch_in_<base>`` (a BRANCH_BASES code),
``central_household`` or a label (Community, Grid, Compound, Building, Venue). Each thing is
placed as docs/definitions.md says (a party organisation where its first BASED_IN target is, a
post where the organisation it is held in is).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from graphmodel.graph import NodeKey
from graphmodel.rules import is_open_venue
from graphmodel.schema import PartyOrgKind, Role

from .context import BY_LEVEL, UNPLACED_ZH, AssembleContext
from .coverage import _header
from .embedded import PLACE_KEYS, GraphIndex
from .question import Question
from .results import BRANCH_BASES, TOTAL_ZH, StructureCounts, StructureResult

__all__ = ["fetch_s1", "assemble_structure", "COUNTED_LABELS", "BRANCH_BASES", "branch_base", "QUESTIONS"]

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


def fetch_s1(index: GraphIndex, as_of: str) -> list[dict[str, Any]]:
    """S1 rows: how many of each counted thing lie in each place (see the module docstring).

    Counted: every Community, Grid, Compound, Building and open Venue; every PartyOrg by its
    ``kind``, and every 党支部 again by :func:`branch_base`; every post current on ``as_of`` with
    role ``central_household`` (党员中心户), placed where the organisation or building it is held in is.
    """
    day = dt.date.fromisoformat(as_of)
    counts: Counter = Counter()
    for label in COUNTED_LABELS:
        for _, attrs, fields in index.placed_nodes(label, day):
            if label != "Venue" or is_open_venue(attrs.get("open")):
                counts[label, *fields.values()] += 1
    for key, attrs in index.nodes("PartyOrg"):
        place = index.place_fields(key, day).values()
        counts[attrs["kind"], *place] += 1
        if attrs["kind"] == BRANCH:
            counts[f"branch_in_{branch_base(index, key)}", *place] += 1
    for posts in index.people_with_current_posts(day).values():
        for org, props in posts:
            if props["role"] == CENTRAL_HOUSEHOLD:
                counts[CENTRAL_HOUSEHOLD, *index.place_fields(org, day).values()] += 1
    return [{"counted": counted, **dict(zip(PLACE_KEYS, place)), "count": count}
            for (counted, *place), count in counts.items()]


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


QUESTIONS = (
    Question(code="S1", fetch=fetch_s1, title_zh="组织体系统计", title_en="Five-level structure", kind="structure",
             assemble=assemble_structure, result_type=StructureResult, counted="Street or Community",
             rule="per street (per community with `--by community`; without `--by`, per street, or per community "
                  "in a community's scope) and in total: "
                  "PartyOrgs by `kind` (each placed where its first BASED_IN target is); the `branch` (党支部) "
                  "also split by the label of that first target (the seeds' levels: 阳泉's \"6个街道大工委、50个社区"
                  "大党委、295个网格党支部、734个楼栋党小组，4271个党员中心户\" is `working_committee`, "
                  "`committee`, the **grid** branches, `group` and the 中心户, not every 党支部): "
                  + ", ".join(f"{zh} `{base}`" for base, (zh, _) in BRANCH_BASES.items())
                  + " (Grid; Compound or Building; OwnerCommittee; PropertyCompany; ResidentUnit; Community; "
                  "anything else or nothing), the split summing to the 党支部; current posts with role "
                  "`central_household` (党员中心户, also written 党员联系户; placed where the organisation or "
                  "building they are held in is), Communities, Grids, Compounds, Buildings and open Venues (one "
                  "whose `open` is false counts in no question; placed where their first LOCATED_IN target is); a "
                  "未归属 row counts what lies in scope but in no street (community)",
             seed='阳泉: "6个街道大工委、50个社区大党委、295个网格党支部、734个楼栋党小组，4271个党员中心户"; '
                  "上站: 66 网格党支部, 225 党小组, 906 中心户"),
)
