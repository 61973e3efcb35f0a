"""The ground truth of a generated sample, computed from the rows the generator wrote.

This is an independent implementation of docs/definitions.md over plain ledger rows: it never
builds a graph and never calls the audit code (it shares only the domain rules of
``graphmodel.rules``: X5's N, X1's organisation kinds, C14's area target), so comparing the two checks both. It is fed one
self-contained district at a time (the generator never links districts), and sums them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

from graphmodel.rules import (CASE_MONTH_DAYS, CROSS_APPOINTMENT_LABELS, MANY_CASES_DEFAULT, MANY_POSTS_DEFAULT, POOR_RATINGS,
                              RECENT_CASE_DAYS, VENUE_AREA_TARGET_M2)
from graphmodel.schema import (ListKind, ListStatus, OrgType, OwnerCommitteeKind, PartyOrgKind, RatingResult, Role,
                               VenueKind)

from .sample_rows import ContractRow, OwnerCommitteeRow, PostRow

__all__ = ["GroundTruth", "linkage_status", "COVERAGE_CODES", "BLIND_SPOT_CODES", "CANDIDATE_CODES", "X5_THRESHOLD",
           "ROLE_SPELLINGS"]

# The rates and blind-spot lists this truth computes; a test holds them to the question records.
# C16 is a rate per grid type (the "C16" section), not one rate.
COVERAGE_CODES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C13", "C14", "C15",
                  "C17", "C18")
BLIND_SPOT_CODES = tuple(f"B{number}" for number in range(1, 21))
CANDIDATE_CODES = tuple(f"R{number}" for number in range(1, 7))
X5_THRESHOLD = MANY_POSTS_DEFAULT
# X1 counts posts in these kinds of organisation; posts in grids, buildings or streets do not.
_X1_KINDS = frozenset(CROSS_APPOINTMENT_LABELS)
# Every accepted spelling of each role the audits ask about (docs/definitions.md), written out
# here apart from graphmodel.schema: the generator plants each one, so a spelling the loader
# forgets gives a wrong answer. Secretaries in the order of the organisations they suit best.
ROLE_SPELLINGS = {
    "secretary": ("党委书记", "支部书记", "党总支书记", "书记"),
    "director": ("主任", "业委会主任", "物管会主任"),
    "grid_worker": ("网格员", "专职网格员", "兼职网格员"),
    "grid_leader": ("网格长",),
    "building_leader": ("楼长", "楼栋长"),
    "instructor": ("党建指导员", "指导员", "物业服务指导员"),
    "part_time_member": ("兼职委员",),
}
_SPELLED = {spelling: code for code, spellings in ROLE_SPELLINGS.items() for spelling in spellings}
# S1's split of the 党支部 by the label of what they are based in, written out apart from queries/.
_BRANCH_BASES = {"Grid": "grid", "Compound": "compound", "Building": "compound", "OwnerCommittee": "owner_committee",
                 "PropertyCompany": "property_company", "ResidentUnit": "resident_unit", "Community": "community"}
# The list kinds the generator writes in a ledger's own words (莒南's 需求、资源、治理 trio).
_LIST_KIND_SPELLINGS = {"问题": ListKind.DEMAND, "治理": ListKind.PROJECT}


def _role_code(role: Role | str) -> str:
    """The code of a role the generator wrote as a ``Role`` or as one of its spellings."""
    return role.value if isinstance(role, Role) else _SPELLED.get(role.strip(), role.strip())


def _current(start: dt.date | None, end: dt.date | None, as_of: dt.date) -> bool:
    return (start is None or start <= as_of) and (end is None or end >= as_of)


class GroundTruth:
    """Coverage counts, blind-spot items and cross-appointments, summed over districts."""

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.coverage = {code: [0, 0] for code in COVERAGE_CODES}
        self.c12: dict[str, dict[str, int]] = {}
        self.compounds = 0  # C16's denominator, the same for every grid type
        self.c16: dict[str, int] = defaultdict(int)  # grid type → compounds a grid of it covers
        # (label, id, reason, community id, street id, detail)
        self.blind_spots: dict[str, list[tuple]] = {code: [] for code in BLIND_SPOT_CODES}
        self.coverage_by_street: dict[str, dict[str | None, list[int]]] = {code: {} for code in COVERAGE_CODES}
        self.x1: list[str] = []
        self.x2: dict[str, str] = {}
        self.x2_unassessed: dict[str, list[str]] = {}  # compound → the sides X2 finds it lacks, in order
        # S1's totals: party organisations by kind, 党支部 by base, 中心户 posts, places and open venues
        self.s1: Counter = Counter()
        self.c17_kinds = {kind.value: 0 for kind in ListKind}  # list items by kind, raised by the as-of date
        self.c14_single_centre = 0  # communities with one open 党群服务中心 of the target area on its own
        self.c18_days: list[int] = []  # days to close of each case C18 counts closed
        self.b16_monthly: dict[str, list[int]] = {}  # B16's compound → its cases per 30-day month, oldest first
        self.x3: dict[str, list[str]] = {}
        self.x4: list[tuple[str, str]] = []
        self.x5: list[str] = []
        # (gap id, reason, person id, proposal, organisation id or None)
        self.candidates: dict[str, set[tuple]] = {code: set() for code in CANDIDATE_CODES}
        # O1–O3: question → group → [compounds, households known, households, cases, cases of the
        # compounds with households, closed, days to close of each closed case]
        self.outcomes: dict[str, dict[str, list]] = {
            code: {group: [0, 0, 0, 0, 0, 0, []] for group in groups} for code, groups in _OUTCOME_GROUPS.items()}

    def add_district(self, rows: dict[str, list]) -> None:
        """Add the truth of one district's rows (``LEDGERS`` name → list of row tuples)."""
        _DistrictTruth(rows, self.as_of).add_to(self)

    def as_json(self, *, seed: int, scale: str) -> dict:
        """The ``ground_truth.json`` document of docs/definitions.md, every list sorted."""
        return {
            "seed": seed, "scale": scale, "as_of": self.as_of.isoformat(),
            "coverage": {code: {"numerator": num, "denominator": den}
                         for code, (num, den) in self.coverage.items()},
            "C12": dict(sorted(self.c12.items())),
            # Things placed in no street are grouped under "" (JSON keys are strings).
            "coverage_by_street": {code: {street or "": {"numerator": num, "denominator": den}
                                          for street, (num, den) in sorted(streets.items(), key=_sort_key)}
                                   for code, streets in self.coverage_by_street.items()},
            "C16": {grid_type: {"numerator": covered, "denominator": self.compounds}
                    for grid_type, covered in sorted(self.c16.items())},
            "C14_single_centre": self.c14_single_centre,
            "C17_kinds": self.c17_kinds,
            "S1": {counted: count for counted, count in sorted(self.s1.items()) if count},
            "C18_median_days": float(statistics.median(self.c18_days)) if self.c18_days else None,
            "B16_monthly": dict(sorted(self.b16_monthly.items())),
            "outcomes": {code: {group: _outcome_json(*measures) for group, measures in groups.items()}
                         for code, groups in self.outcomes.items()},
            "blind_spots": {code: [dict(zip(_SPOT_FIELDS, item)) for item in sorted(items, key=_sort_key)]
                            for code, items in self.blind_spots.items()},
            "cross": {
                "X1": sorted(self.x1),
                "X2": dict(sorted(self.x2.items())),
                "X2_unassessed": dict(sorted(self.x2_unassessed.items())),
                "X3": {org: sorted(people) for org, people in sorted(self.x3.items())},
                "X4": [list(pair) for pair in sorted(self.x4)],
                "X5": sorted(self.x5),
            },
            "candidates": {code: [list(item) for item in sorted(items, key=_sort_key)]
                           for code, items in self.candidates.items()},
        }


def linkage_status(rows: dict[str, list], as_of: dt.date) -> dict[str, str]:
    """X2's status (complete, partial, none) of each compound of one district's rows it can assess."""
    return _DistrictTruth(rows, as_of).linkage()[0]


_OUTCOME_GROUPS = {"O1": ("complete", "partial", "none", "not_assessed"), "O2": ("counted", "not_counted"),
                   "O3": ("poor", "rest")}


def _outcome_json(compounds: int, known: int, households: int, cases: int, cases_of_known: int, closed: int,
                  days: list[int]) -> dict:
    """One group's measures; a measure with nothing to measure is None (not applicable), never 0."""
    return {"compounds": compounds, "households": households if known else None, "cases": cases,
            "cases_per_100_households": 100 * cases_of_known / households if known and households else None,
            "closed": closed, "share_closed": closed / cases if cases else None,
            "median_days_to_close": float(statistics.median(days)) if days else None}


_SPOT_FIELDS = ("label", "id", "reason", "community_id", "street_id", "detail")


def _sort_key(item: tuple) -> tuple:
    return tuple("" if value is None else value for value in item)


class _DistrictTruth:
    """Indexes of one district's rows, as the audits see them."""

    def __init__(self, rows: dict[str, list], as_of: dt.date) -> None:
        self.rows = rows
        self.as_of = as_of
        self.compound_community = {row.id: row.community_id for row in rows["compounds"]}
        self.building_compound = {row.id: row.compound_id for row in rows["buildings"]}
        self.grids = {row.id: row for row in rows["grids"]}
        self.street_of = {row.id: row.parent_id for row in rows["areas"] if row.level.value == "community"}
        self.orgs = {row.id: row for row in rows["party_orgs"]}
        self.committee_compound = {row.id: row.compound_id for row in rows["owner_committees"]}
        self.unit_community = {row.id: row.community_id for row in rows["resident_units"]}
        self.list_community = {row.id: row.community_id for row in rows["lists"]}
        self.lists = [row if isinstance(row.kind, ListKind) else row._replace(kind=_LIST_KIND_SPELLINGS[row.kind])
                      for row in rows["lists"]]
        self.people = {row.id: row for row in rows["people"]}
        self.based_in: dict[tuple[str, str], set[str]] = defaultdict(set)  # (label, id) → org ids
        for org in rows["party_orgs"]:
            for target in org.based_in_id:
                self.based_in[(org.based_in_type.label, target)].add(org.id)
        self.contracts: list[ContractRow] = [row for row in rows["property_contracts"]
                                             if _current(row.start, row.end, as_of)]
        self.committees: list[OwnerCommitteeRow] = [row for row in rows["owner_committees"]
                                                    if _current(row.term_start, row.term_end, as_of)]
        self.managed: dict[str, list[str]] = defaultdict(list)  # company → compounds, current contracts
        for row in self.contracts:
            self.managed[row.company_id].append(row.compound_id)
        self.posts: list[PostRow] = [row for row in rows["posts"] if _current(row.start, row.end, as_of)]
        self.posts_in: dict[tuple[str, str], list[PostRow]] = defaultdict(list)  # (label, org) → posts
        self.post_holders: dict[tuple[str, str], set[str]] = defaultdict(set)  # (label, org) → people
        self.roles_in: dict[tuple[str, str], set[str]] = defaultdict(set)  # (label, org) → roles
        for post in self.posts:
            key = (post.org_type.label, post.org_id)
            self.posts_in[key].append(post)
            self.post_holders[key].add(post.person_id)
            self.roles_in[key].add(_role_code(post.role))

    def add_to(self, truth: GroundTruth) -> None:
        for code in COVERAGE_CODES:
            for street in set(self.street_of.values()):
                truth.coverage_by_street[code].setdefault(street, [0, 0])
        self._compounds(truth)
        self._buildings_and_grids(truth)
        self._companies(truth)
        self._committees(truth)
        self._party_orgs(truth)
        self._communities(truth)
        self._structure(truth)
        self._cross_appointments(truth)
        self._venues(truth)
        self._cases(truth)
        self._ratings(truth)
        _CandidateTruth(self, truth).add()
        self._outcomes(truth)
        kinds = {item.id: item.kind for item in self.lists}
        projects = [item for item in self.lists if item.kind is ListKind.PROJECT]
        matched = {target for item in projects for target in item.matches}
        # a resource is used when a project matches it to a demand
        used = {target for item in projects if any(kinds.get(other) is ListKind.DEMAND for other in item.matches)
                for target in item.matches}
        for item in self.lists:
            if item.kind is ListKind.DEMAND and item.id not in matched:
                self.spot(truth, "B11", "ListItem", item.id, "unmatched_demand")
            if item.kind is ListKind.RESOURCE and item.id not in used:
                self.spot(truth, "B11", "ListItem", item.id, "unused_resource")
            if item.raised is None or item.raised <= self.as_of:
                truth.c17_kinds[item.kind.value] += 1
                if item.kind is ListKind.DEMAND:
                    done = item.closed <= self.as_of if item.closed else item.status is ListStatus.CLOSED
                    self.count(truth, "C17", "ListItem", item.id, done)

    def place(self, label: str, id_: str) -> tuple[str | None, str | None]:
        """(community id, street id) of a thing, per docs/definitions.md, from the rows alone."""
        if label == "Community":
            return id_, self.street_of.get(id_)
        if label == "Street":
            return None, id_
        community = {"Compound": self.compound_community, "Grid": {k: g.community_id for k, g in self.grids.items()},
                     "ResidentUnit": self.unit_community, "ListItem": self.list_community}.get(label, {}).get(id_)
        if community is not None:
            return community, self.street_of.get(community)
        if label == "Building":
            return self.place("Compound", self.building_compound[id_])
        if label == "OwnerCommittee":
            return self.place("Compound", self.committee_compound[id_])
        if label == "PropertyCompany" and self.managed.get(id_):
            return self.place("Compound", min(self.managed[id_]))
        if label == "Person":  # C15 and B13: by their organisation, else their home, else registration
            person = self.people[id_]
            if person.party_org_id:
                return self.place("PartyOrg", person.party_org_id)
            if person.building_id:
                return self.place("Building", person.building_id)
            if person.registered_community_id:
                return self.place("Community", person.registered_community_id)
            return None, None
        if label == "PartyOrg" and self.orgs[id_].based_in_id:
            org = self.orgs[id_]
            return self.place(org.based_in_type.label, min(org.based_in_id))  # the first by id
        return None, None

    def spot(self, truth: GroundTruth, code: str, label: str, id_: str, reason: str,
             detail: str | None = None, at: tuple[str, str] | None = None) -> None:
        """List a thing, placed where it is, or where the question places it (``at``)."""
        truth.blind_spots[code].append((label, id_, reason, *self.place(*(at or (label, id_))), detail))

    def count(self, truth: GroundTruth, code: str, label: str, id_: str, counted: bool) -> None:
        truth.coverage[code][0] += counted
        truth.coverage[code][1] += 1
        by_street = truth.coverage_by_street[code].setdefault(self.place(label, id_)[1], [0, 0])
        by_street[0] += counted
        by_street[1] += 1

    def _compound_orgs(self, compound: str) -> set[str]:
        """C1's party organisations of a compound: based in it, or in an owner committee (any kind)
        that currently represents it (贺州's 业委会党支部)."""
        return self.based_in.get(("Compound", compound), set()).union(
            *(self.based_in.get(("OwnerCommittee", committee.id), set())
              for committee in self.committees if committee.compound_id == compound))

    def _has_org(self, label: str, id_: str) -> bool:
        return bool(self.based_in.get((label, id_)))

    def _has_role(self, label: str, id_: str, roles: set[Role]) -> bool:
        return bool(self.roles_in.get((label, id_), set()) & {role.value for role in roles})

    def _compounds(self, truth: GroundTruth) -> None:
        managed = {row.compound_id for row in self.contracts}
        kinds: dict[str, set[OwnerCommitteeKind]] = defaultdict(set)
        for committee in self.committees:
            kinds[committee.compound_id].add(committee.kind)
        for compound in self.compound_community:
            has_org = bool(self._compound_orgs(compound))
            represented = kinds.get(compound, set())
            c4 = bool(represented & {OwnerCommitteeKind.OWNERS_COMMITTEE,
                                     OwnerCommitteeKind.MANAGEMENT_COMMITTEE})
            for code, counted in (("C1", has_org), ("C2", compound in managed),
                                  ("C3", OwnerCommitteeKind.OWNERS_COMMITTEE in represented),
                                  ("C4", c4)):
                self.count(truth, code, "Compound", compound, counted)
            if not has_org:
                self.spot(truth, "B1", "Compound", compound, "no_party_org")
            if compound not in managed and OwnerCommitteeKind.SELF_MANAGEMENT not in represented:
                self.spot(truth, "B2", "Compound", compound, "unmanaged")
            if not c4:
                self.spot(truth, "B3", "Compound", compound, "no_owner_committee")

    def _buildings_and_grids(self, truth: GroundTruth) -> None:
        covering: dict[str, set[str]] = defaultdict(set)  # building or compound → grid ids
        covers_something: set[str] = set()
        for row in self.rows["grid_coverage"]:
            covering[row.building_id or row.compound_id].add(row.grid_id)
            covers_something.add(row.grid_id)
        self._grid_types(truth, covering)
        for building, compound in self.building_compound.items():
            self.count(truth, "C5", "Building", building, self._has_org("Building", building))
            self.count(truth, "C10", "Building", building, self._has_role("Building", building, {Role.BUILDING_LEADER}))
            grids = covering.get(building, set()) | covering.get(compound, set())
            if not grids:
                self.spot(truth, "B5", "Building", building, "uncovered")
            types = Counter(self.grids[grid].grid_type for grid in grids)
            overlapping = sorted(f"{self.grids[grid].grid_type.value}:{grid}" for grid in grids
                                 if types[self.grids[grid].grid_type] > 1)
            if overlapping:
                self.spot(truth, "B5", "Building", building, "overlap", "; ".join(overlapping))
            if len(types) > 1:
                self.spot(truth, "B19", "Building", building, "unmerged_grids",
                          "; ".join(sorted(grid_type.value for grid_type in types)))
            community = self.compound_community[compound]
            elsewhere = sorted(f"{grid}@{self.grids[grid].community_id}" for grid in grids
                               if self.grids[grid].community_id != community)
            if elsewhere:
                self.spot(truth, "B5", "Building", building, "cross_community", "; ".join(elsewhere))
        self._unit_leaders(truth)
        for grid in self.grids:
            has_branch = self._has_org("Grid", grid)
            staffed = self._has_role("Grid", grid, {Role.GRID_WORKER, Role.GRID_LEADER})
            self.count(truth, "C6", "Grid", grid, has_branch)
            self.count(truth, "C11", "Grid", grid, staffed)
            for reason, missing in (("no_party_branch", not has_branch), ("no_grid_worker", not staffed),
                                    ("covers_nothing", grid not in covers_something)):
                if missing:
                    self.spot(truth, "B6", "Grid", grid, reason)

    def _unit_leaders(self, truth: GroundTruth) -> None:
        """B20: buildings of more than one unit, or in a compound where a 单元长 post is or was held,
        without a current 单元长."""
        organised = {post.org_id if post.org_type is OrgType.COMPOUND else self.building_compound.get(post.org_id)
                     for post in self.rows["posts"] if _role_code(post.role) == Role.UNIT_LEADER.value
                     and post.org_type in (OrgType.BUILDING, OrgType.COMPOUND)}
        for building in self.rows["buildings"]:
            has_units = (building.units or 0) > 1 or building.compound_id in organised
            if has_units and not self._has_role("Building", building.id, {Role.UNIT_LEADER}):
                self.spot(truth, "B20", "Building", building.id, "no_unit_leader",
                          None if building.units is None else str(building.units))

    def _grid_types(self, truth: GroundTruth, covering: dict[str, set[str]]) -> None:
        """C16: every grid type present, and the compounds a grid of it covers (itself or a building)."""
        types_of: dict[str, set[str]] = defaultdict(set)  # compound → grid types covering it
        for target, grids in covering.items():
            compound = target if target in self.compound_community else self.building_compound.get(target)
            types_of[compound].update(self.grids[grid].grid_type.value for grid in grids)
        truth.compounds += len(self.compound_community)
        for grid in self.grids.values():
            truth.c16[grid.grid_type.value] += 0  # present, whatever it covers
        for compound in self.compound_community:
            for grid_type in types_of.get(compound, ()):
                truth.c16[grid_type] += 1

    def _cases(self, truth: GroundTruth) -> None:
        """C18 over the cases received by the as-of date; B16 over the last RECENT_CASE_DAYS days
        (the as-of date and the days before it, that many in all)."""
        months = RECENT_CASE_DAYS // CASE_MONTH_DAYS
        recent: dict[str, list[int]] = defaultdict(lambda: [0] * months)  # oldest month first
        for case in self.rows["cases"]:
            if case.received > self.as_of:
                continue
            # placed where what it is ABOUT is
            closed = case.closed is not None and case.closed <= self.as_of
            self.count(truth, "C18", case.about_type.label, case.about_id, closed)
            if closed:
                truth.c18_days.append((case.closed - case.received).days)
            age = (self.as_of - case.received).days
            if age < RECENT_CASE_DAYS:
                compound = self.building_compound.get(case.about_id, case.about_id)
                if compound in self.compound_community:
                    recent[compound][months - 1 - age // CASE_MONTH_DAYS] += 1
        for compound, monthly in recent.items():
            if sum(monthly) >= MANY_CASES_DEFAULT:
                self.spot(truth, "B16", "Compound", compound, "frequent_cases", detail=str(sum(monthly)))
                truth.b16_monthly[compound] = monthly

    def _ratings(self, truth: GroundTruth) -> None:
        """B17: companies serving now whose ratings of the latest date by the as-of date include a poor one."""
        ratings: dict[str, list] = defaultdict(list)
        for rating in self.rows["property_ratings"]:
            if rating.date <= self.as_of:
                ratings[rating.company_id].append(rating)
        for company in sorted({row.company_id for row in self.contracts}):
            if not ratings.get(company):
                continue
            latest = max(rating.date for rating in ratings[company])
            results = {rating.result.value for rating in ratings[company] if rating.date == latest}
            serves = "; ".join(sorted(set(self.managed[company])))
            if RatingResult.BLACK_LIST.value in results:
                self.spot(truth, "B17", "PropertyCompany", company, "black_listed", detail=serves)
            elif results & POOR_RATINGS:
                self.spot(truth, "B17", "PropertyCompany", company, "poorly_rated", detail=serves)

    def _outcomes(self, truth: GroundTruth) -> None:
        """O1–O3: each compound in its group (by X2's status, C1, and the compounds B17's companies
        serve), with its 户数 and the cases of the year to the as-of date (both ends included)."""
        try:
            first = self.as_of.replace(year=self.as_of.year - 1)
        except ValueError:  # 29 February
            first = self.as_of.replace(year=self.as_of.year - 1, day=28)
        cases: dict[str, list] = defaultdict(list)  # compound → (closed by the as-of date, days)
        for case in self.rows["cases"]:
            compound = self.building_compound.get(case.about_id, case.about_id)
            if first <= case.received <= self.as_of and compound in self.compound_community:
                closed = case.closed is not None and case.closed <= self.as_of
                cases[compound].append((closed, (case.closed - case.received).days if closed else None))
        status, _, _ = self.linkage()
        poor = {compound for *_, detail in self._b17_spots(truth) for compound in detail.split("; ")}
        for compound, row in ((row.id, row) for row in self.rows["compounds"]):
            groups = {"O1": status.get(compound, "not_assessed"),
                      "O2": "counted" if self._compound_orgs(compound) else "not_counted",
                      "O3": "poor" if compound in poor else "rest"}
            for code, group in groups.items():
                measures = truth.outcomes[code][group]
                measures[0] += 1
                if row.households is not None:
                    measures[1] += 1
                    measures[2] += row.households
                    measures[4] += len(cases[compound])
                measures[3] += len(cases[compound])
                measures[5] += sum(closed for closed, _ in cases[compound])
                measures[6].extend(days for closed, days in cases[compound] if closed)

    def _b17_spots(self, truth: GroundTruth) -> list[tuple]:
        """This district's B17 items (its companies' compounds are the same district's)."""
        return [item for item in truth.blind_spots["B17"] if self.managed.get(item[1])]

    def _companies(self, truth: GroundTruth) -> None:
        for company in sorted({row.company_id for row in self.contracts}):
            organised = self._has_org("PropertyCompany", company)
            worked = organised or self._has_role("PropertyCompany", company, {Role.INSTRUCTOR})
            self.count(truth, "C7", "PropertyCompany", company, organised)
            self.count(truth, "C8", "PropertyCompany", company, worked)
            if not worked:  # one item, placed like the company: at its first compound
                self.spot(truth, "B7", "PropertyCompany", company, "no_party_coverage")

    def _committees(self, truth: GroundTruth) -> None:
        for committee in self.rows["owner_committees"]:
            if committee.term_end is not None and committee.term_end < self.as_of:
                self.spot(truth, "B4", "OwnerCommittee", committee.id, "term_expired", committee.term_end.isoformat())
        for committee in self.committees:
            if committee.kind is not OwnerCommitteeKind.OWNERS_COMMITTEE:
                continue
            self.count(truth, "C9", "OwnerCommittee", committee.id, self._has_org("OwnerCommittee", committee.id))
            if not self._has_role("OwnerCommittee", committee.id, {Role.DIRECTOR}):
                self.spot(truth, "B9", "OwnerCommittee", committee.id, "no_director")

    def _party_orgs(self, truth: GroundTruth) -> None:
        orgs = {org.id: org for org in self.rows["party_orgs"]}
        reaches_street: dict[str, bool] = {}

        def street_level(org) -> bool:
            return org.kind is PartyOrgKind.WORKING_COMMITTEE or org.based_in_type is OrgType.STREET

        for org in orgs.values():
            # The strict loader refuses cycles and impossible parents, so a parent walk ends.
            chain, current = [], org
            while current is not None and current.id not in reaches_street and not street_level(current):
                chain.append(current.id)
                current = orgs.get(current.parent_id) if current.parent_id else None
            found = current is not None and reaches_street.get(current.id, True)
            for org_id in chain:
                reaches_street[org_id] = found
            if not reaches_street.get(org.id, True):
                self.spot(truth, "B8", "PartyOrg", org.id, "no_path_to_street")
            # A 党小组's 党员中心户 holds the post in the group or in the building it is based in.
            if org.kind is PartyOrgKind.GROUP and not any(
                    self._has_role(label, id_, {Role.CENTRAL_HOUSEHOLD})
                    for label, id_ in [("PartyOrg", org.id), *((org.based_in_type.label, target)
                                                               for target in org.based_in_id)]):
                self.spot(truth, "B15", "PartyOrg", org.id, "no_central_household")
            # A 党小组 has a 组长, not a 书记 (docs/definitions.md, B9).
            if org.kind is not PartyOrgKind.GROUP and not self._has_role("PartyOrg", org.id, {Role.SECRETARY}):
                self.spot(truth, "B9", "PartyOrg", org.id, "no_secretary")

    def _structure(self, truth: GroundTruth) -> None:
        """S1 over the whole district: every organisation by kind and every 党支部 by its base, the
        current 党员中心户 posts, the places, and the venues not marked closed."""
        s1 = truth.s1
        for org in self.rows["party_orgs"]:
            s1[org.kind.value] += 1
            if org.kind is PartyOrgKind.BRANCH:
                base = _BRANCH_BASES.get(org.based_in_type.label, "other") if org.based_in_id else "other"
                s1[f"branch_in_{base}"] += 1
        s1["central_households"] += sum(_role_code(post.role) == Role.CENTRAL_HOUSEHOLD.value for post in self.posts)
        for field, ledger in (("communities", None), ("grids", "grids"), ("compounds", "compounds"),
                              ("buildings", "buildings")):
            s1[field] += len(self.street_of) if ledger is None else len(self.rows[ledger])
        s1["venues"] += sum(venue.open is not False for venue in self.rows["venues"])

    def _communities(self, truth: GroundTruth) -> None:
        units: dict[str, int] = defaultdict(int)
        for unit in self.rows["resident_units"]:
            units[unit.community_id] += 1
        members: dict[str, int] = defaultdict(int)
        for person in self.rows["people"]:
            if person.party_member and person.registered_community_id:
                members[person.registered_community_id] += 1
            home = self.compound_community.get(self.building_compound.get(person.building_id))
            if person.registered_community_id and home and person.registered_community_id != home:
                self.spot(truth, "B14", "Person", person.id, "registered_elsewhere",
                          detail=person.registered_community_id, at=("Building", person.building_id))
            if person.party_member:
                self.count(truth, "C15", "Person", person.id, bool(person.party_org_id))
                if not person.party_org_id:
                    self.spot(truth, "B13", "Person", person.id, "not_in_group")
        for area in self.rows["areas"]:
            if area.level.value != "community":
                continue
            truth.c12[area.id] = {"resident_units": units[area.id], "party_members": members[area.id]}
            if not units[area.id]:
                self.spot(truth, "B10", "Community", area.id, "no_resident_unit")

    def _venues(self, truth: GroundTruth) -> None:
        """C13 and B12 per compound (a venue in it or in one of its buildings); C14 per community (its
        venues' areas, in it, its grids, compounds and buildings, summed against the target)."""
        compound_of = {"Compound": lambda id_: id_, "Building": self.building_compound.get}
        with_venue, area, centre = set(), defaultdict(float), defaultdict(float)
        for venue in self.rows["venues"]:
            if venue.open is False:  # a room marked closed (是否开放 否) counts in no question
                continue
            label = venue.located_type.label
            if label in compound_of:
                with_venue.add(compound_of[label](venue.located_id))
            if label in ("Community", "Grid", "Compound", "Building"):  # a company's or a unit's: not C14's
                community = self.place(label, venue.located_id)[0]
                area[community] += venue.area_m2 or 0
                if venue.kind is VenueKind.CENTRE:
                    centre[community] = max(centre[community], venue.area_m2 or 0)
        for compound in self.compound_community:
            self.count(truth, "C13", "Compound", compound, compound in with_venue)
            if compound not in with_venue:
                self.spot(truth, "B12", "Compound", compound, "no_venue")
        for row in self.rows["areas"]:
            if row.level.value == "community":
                self.count(truth, "C14", "Community", row.id, area[row.id] >= VENUE_AREA_TARGET_M2)
                truth.c14_single_centre += centre[row.id] >= VENUE_AREA_TARGET_M2

    def _cross_appointments(self, truth: GroundTruth) -> None:
        posts_of: dict[str, list[PostRow]] = defaultdict(list)
        for post in self.posts:
            posts_of[post.person_id].append(post)
        for person, posts in posts_of.items():
            if len({post.org_type.label for post in posts} & _X1_KINDS) >= 2:
                truth.x1.append(person)
            if len(posts) > X5_THRESHOLD:
                truth.x5.append(person)
        self._tripartite(truth)
        part_time_roles = {Role.PART_TIME_MEMBER.value, Role.PART_TIME_DEPUTY_SECRETARY.value}
        for org in self.rows["party_orgs"]:
            big_committee = (org.kind in (PartyOrgKind.COMMITTEE, PartyOrgKind.GENERAL_BRANCH)
                             and org.based_in_type is OrgType.COMMUNITY
                             or org.kind is PartyOrgKind.WORKING_COMMITTEE and org.based_in_type is OrgType.STREET)
            if big_committee and org.based_in_id:
                truth.x3[org.id] = sorted({
                    post.person_id for post in self.posts_in.get(("PartyOrg", org.id), ())
                    if _role_code(post.role) in part_time_roles or post.part_time})
                if not truth.x3[org.id]:
                    self.spot(truth, "B18", "PartyOrg", org.id, "no_part_time_member")

    def holders(self, label: str, ids) -> set[str]:
        """The people with a current post in any of the organisations ``ids`` of ``label``."""
        return set().union(*(self.post_holders.get((label, id_), set()) for id_ in ids))

    def current_sides(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """Compound → its current committees, and compound → the companies currently managing it."""
        committees: dict[str, set[str]] = defaultdict(set)
        for committee in self.committees:
            committees[committee.compound_id].add(committee.id)
        companies: dict[str, set[str]] = defaultdict(set)
        for contract in self.contracts:
            companies[contract.compound_id].add(contract.company_id)
        return committees, companies

    def party_side(self, compound: str, community: str) -> set[str]:
        """X2's party side: the compound's own organisations (its committee's too) and its community's (新源社区)."""
        return self._compound_orgs(compound) | self.based_in.get(("Community", community), set())

    def _tripartite(self, truth: GroundTruth) -> None:
        """X2 per compound, and X4's (person, compound) conflicts of interest."""
        status, unassessed, conflicts = self.linkage()
        truth.x2.update(status)
        truth.x2_unassessed.update(unassessed)
        truth.x4.extend(conflicts)

    def linkage(self) -> tuple[dict[str, str], dict[str, list[str]], list[tuple[str, str]]]:
        """X2's status of each compound it assesses, the sides it lacks of each other one, and X4's
        (person, compound) pairs."""
        status: dict[str, str] = {}
        unassessed: dict[str, list[str]] = {}
        conflicts: list[tuple[str, str]] = []
        committees, companies = self.current_sides()
        holders = self.holders
        for compound, community in self.compound_community.items():
            committee_people = holders("OwnerCommittee", committees.get(compound, ()))
            company_people = holders("PropertyCompany", companies.get(compound, ()))
            for person in sorted(committee_people & company_people):
                conflicts.append((person, compound))
            orgs = self.party_side(compound, community)
            lacks = [reason for reason, present in (("no_party_side", orgs), ("no_committee", committees.get(compound)),
                                                    ("no_company", companies.get(compound))) if not present]
            if lacks:
                unassessed[compound] = lacks
                continue
            party_people = holders("PartyOrg", orgs)
            links = (bool(party_people & committee_people),
                     bool((party_people | holders("Community", (community,))) & company_people))
            status[compound] = "complete" if all(links) else "partial" if any(links) else "none"
        return status, unassessed, conflicts



class _CandidateTruth:
    """R1–R6 of one district, from its rows and the blind spots already found in them.

    Written apart from the candidate questions (queries/questions/R*/): the proposal codes, the
    posts that need a party member and the posts one may hold only once are spelt out here again.
    """

    NEEDS_MEMBER = {"part_time_member", "instructor", "branch", "joint_branch", "central_household", "join"}
    ROLE_OF = {"part_time_member": "part_time_member", "committee_member": "member", "instructor": "instructor",
               "central_household": "central_household", "building_leader": "building_leader"}
    HEADS = {"secretary", "director", "project_manager"}

    def __init__(self, district: _DistrictTruth, truth: GroundTruth) -> None:
        self.d, self.truth = district, truth
        self.buildings_of: dict[str, list[str]] = defaultdict(list)
        for building, compound in district.building_compound.items():
            self.buildings_of[compound].append(building)
        self.residents: dict[str, set[str]] = defaultdict(set)  # building → people
        for person in district.rows["people"]:
            if person.building_id:
                self.residents[person.building_id].add(person.id)
        self.posts_of: dict[str, list[PostRow]] = defaultdict(list)
        for post in district.posts:
            self.posts_of[post.person_id].append(post)
        self.members: dict[str, set[str]] = defaultdict(set)  # party organisation → its members
        for person in district.rows["people"]:
            if person.party_org_id:
                self.members[person.party_org_id].add(person.id)
        self.grids_over: dict[str, set[str]] = defaultdict(set)  # building or compound → grids covering it
        for row in district.rows["grid_coverage"]:
            self.grids_over[row.building_id or row.compound_id].add(row.grid_id)

    def add(self) -> None:
        spots = {code: [item for item in self.truth.blind_spots[code] if self._ours(item)]
                 for code in ("B1", "B13", "B15", "B18")}
        self._r1()
        for label, id_, *_ in spots["B1"]:
            self._r2(id_)
        for label, id_, *_ in spots["B15"]:
            group = self.d.orgs[id_]
            people = set(self.members[id_])
            if group.based_in_type is OrgType.BUILDING:
                people.update(person for building in group.based_in_id for person in self.residents[building])
            self._propose("R3", id_, "no_central_household", people, "central_household", ("PartyOrg", id_))
        for label, id_, *_ in spots["B18"]:
            self._r4(id_)
        for building in self.d.building_compound:
            if not self.d._has_role("Building", building, {Role.BUILDING_LEADER}):
                self._propose("R5", building, "no_building_leader", self.residents[building], "building_leader",
                              ("Building", building))
        for label, id_, *_ in spots["B13"]:
            self._r6(id_)

    def _ours(self, item: tuple) -> bool:
        """A blind spot of this district (the truth gathers every district's)."""
        label, id_ = item[0], item[1]
        return id_ in {"Compound": self.d.compound_community, "PartyOrg": self.d.orgs,
                       "Person": self.d.people}[label]

    def _propose(self, code: str, gap: str, reason: str, people, proposal: str, org: tuple | None) -> None:
        role = self.ROLE_OF.get(proposal)
        for person in people:
            if proposal in self.NEEDS_MEMBER and not self.d.people[person].party_member:
                continue
            held = {(post.org_type.label, post.org_id) for post in self.posts_of[person] if _role_code(post.role) == role}
            if org in held or (proposal == "central_household" and held):
                continue
            self.truth.candidates[code].add((gap, reason, person, proposal, org[1] if org else None))

    def _r1(self) -> None:
        d = self.d
        committees, companies = d.current_sides()
        for compound, community in d.compound_community.items():
            own = d.based_in.get(("Compound", compound), set())
            side = d.party_side(compound, community)  # X2's: the compound's, its committee's, its community's
            if not (side and committees.get(compound) and companies.get(compound)):
                continue
            party_org = ("PartyOrg", min(own) if own else min(side))
            party = self.d.holders("PartyOrg", side)
            on_committee = self.d.holders("OwnerCommittee", committees[compound])
            staff = self.d.holders("PropertyCompany", companies[compound])
            cadres = self.d.holders("Community", (community,))
            if not party & on_committee:
                living = {person for building in self.buildings_of[compound] for person in self.residents[building]}
                self._propose("R1", compound, "no_party_committee_link", on_committee, "part_time_member", party_org)
                self._propose("R1", compound, "no_party_committee_link", party & living, "committee_member",
                              ("OwnerCommittee", min(committees[compound])))
            if not (party | cadres) & staff:
                self._propose("R1", compound, "no_party_company_link", staff, "part_time_member", party_org)
                self._propose("R1", compound, "no_party_company_link", party | cadres, "instructor",
                              ("PropertyCompany", min(companies[compound])))

    def _members_living_in(self, compound: str) -> set[str]:
        return {person for building in self.buildings_of[compound] for person in self.residents[building]
                if self.d.people[person].party_member}

    def _r2(self, compound: str) -> None:
        living = {person for building in self.buildings_of[compound] for person in self.residents[building]}
        if len(self._members_living_in(compound)) >= 3:
            proposal, org = "branch", ("Compound", compound)
        else:
            community = self.d.compound_community[compound]
            others = sorted((len(self._members_living_in(other)), other)
                            for other, home in self.d.compound_community.items()
                            if home == community and other != compound)
            proposal, org = "joint_branch", ("Compound", others[0][1]) if others else None
        self._propose("R2", compound, "no_party_org", living, proposal, org)

    def _r4(self, committee: str) -> None:
        d, org = self.d, self.d.orgs[committee]
        if org.based_in_type is OrgType.COMMUNITY:
            communities = set(org.based_in_id)
        else:
            communities = {community for community, street in d.street_of.items() if street in org.based_in_id}
        compounds = {compound for compound, community in d.compound_community.items() if community in communities}
        places = {("ResidentUnit", unit) for unit, community in d.unit_community.items() if community in communities}
        places.update(("OwnerCommittee", row.id) for row in d.committees if row.compound_id in compounds)
        places.update(("PropertyCompany", row.company_id) for row in d.contracts if row.compound_id in compounds)
        heads = {post.person_id for place in places for post in d.posts_in.get(place, ())
                 if _role_code(post.role) in self.HEADS}
        self._propose("R4", committee, "no_part_time_member", heads, "part_time_member", ("PartyOrg", committee))

    def _r6(self, person_id: str) -> None:
        d = self.d
        building = d.people[person_id].building_id
        if building is None:
            return
        compound = d.building_compound[building]
        grids = self.grids_over[building] | self.grids_over[compound]
        for places in ([("Building", building)], [("Compound", compound)], [("Grid", grid) for grid in grids]):
            orgs = set().union(*(d.based_in.get(place, set()) for place in places))
            if orgs:
                for org in orgs:
                    self._propose("R6", person_id, "not_in_group", [person_id], "join", ("PartyOrg", org))
                return
