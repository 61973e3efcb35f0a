"""The seed reports' cases, planted in every generated district after everything else.

Each is something a field report counts and the questions must count the same way: a compound
whose only party organisation is its 业委会's branch (贺州: "成立业委会党支部5个", C1, B1, X2); venues
marked closed (是否开放 否: they count in no question, C13, C14, B12, S1); a 问题 met by a 治理 item
(莒南's 需求、资源、治理, C17, B11); households and units on compounds and buildings, and 单元长 posts
(莒南's 楼长单元长, B20); and a footer under one ledger (填表人, 合计: skipped by the loader). Drawn from
a random stream of their own, after every other row, so the rows and answers before them stay as
they were.
"""

from __future__ import annotations

import datetime as dt
import random

from graphmodel.schema import AreaLevel, ListKind, ListStatus, OrgType, OwnerCommitteeKind, PartyOrgKind, Role, VenueKind

from . import names
from .sample_rows import (BuildingRow, CompoundRow, ContractRow, ListRow, OwnerCommitteeRow, PartyOrgRow, PersonRow,
                          PostRow, VenueRow)

__all__ = ["plant_seed_cases", "FOOTER_LEDGER", "footer_rows"]

#: The ledger the generator writes footer rows under (one ledger is enough to show the rule).
FOOTER_LEDGER = "resident_units"
_YEAR = dt.timedelta(days=365)


def footer_rows(as_of: dt.date) -> list[list[str]]:
    """The notes a clerk writes under a table: a total and who filled it in, checked it and when."""
    return [["合计", "", "", ""],
            ["填表人：王芳", "审核人：李强", f"填报日期：{as_of.year}年{as_of.month}月{as_of.day}日", ""]]


def plant_seed_cases(district) -> None:
    """Add the seed reports' cases to a generated ``loaders.sample._District``'s rows."""
    _SeedCases(district).plant()


class _SeedCases:
    def __init__(self, district) -> None:
        self.district, self.rows, self.as_of = district, district.rows, district.as_of
        self.rng = random.Random(f"seed cases of {district.code}")
        self.community = [row for row in self.rows["areas"] if row.level is AreaLevel.COMMUNITY][-1]
        self.community_org = next(row.id for row in self.rows["party_orgs"]
                                  if row.based_in_type is OrgType.COMMUNITY and row.based_in_id == (self.community.id,))

    def plant(self) -> None:
        self._households_and_units()
        compound = self._committee_branch_compound()
        self._closed_venues(compound)
        self._governance_items()

    def _households_and_units(self) -> None:
        """户数 on most compounds and buildings, 单元数 on half the buildings; a 单元长 in about half
        of the buildings with more than one unit (the others are B20's)."""
        rng, rows = self.rng, self.rows
        for index, row in enumerate(rows["compounds"]):
            if rng.random() < 0.8:
                rows["compounds"][index] = row._replace(households=rng.randint(40, 2400))
        for index, row in enumerate(list(rows["buildings"])):
            units = rng.randint(1, 4) if rng.random() < 0.5 else None
            rows["buildings"][index] = row._replace(units=units, households=rng.randint(8, 160) if units else None)
            if units and units > 1 and rng.random() < 0.5:
                self._post(self._person(row.id, member=rng.random() < 0.4), OrgType.BUILDING, row.id, Role.UNIT_LEADER)

    def _committee_branch_compound(self) -> str:
        """A compound with no branch of its own, whose 业委会 has one (贺州); its three buildings: one
        of three units without a 单元长, one with a 单元长, one of unknown units (B20 lists it: the
        compound has 单元长)."""
        as_of, community = self.as_of, self.community
        compound = f"XQ{community.id}Y1"
        self.rows["compounds"].append(CompoundRow(compound, "业委会党支部小区", community.id, 360))
        buildings = [f"LD{community.id}Y1{number:02d}" for number in (1, 2, 3)]
        for building, units in zip(buildings, (3, 2, None)):
            self.rows["buildings"].append(BuildingRow(building, f"{building[-1]}号楼", compound, units, None))
        self._post(self._person(buildings[1], member=False), OrgType.BUILDING, buildings[1], Role.UNIT_LEADER)
        committee = f"YWH{community.id}Y1"
        self.rows["owner_committees"].append(OwnerCommitteeRow(
            committee, "业委会党支部小区业主委员会", OwnerCommitteeKind.OWNERS_COMMITTEE, compound,
            as_of - 2 * _YEAR, as_of + 3 * _YEAR))
        branch = f"DZZ{self.district.code}{self.district._serial('org'):05d}"
        self.rows["party_orgs"].append(PartyOrgRow(branch, "业委会党支部小区业主委员会党支部", PartyOrgKind.BRANCH,
                                                   self.community_org, OrgType.OWNER_COMMITTEE, (committee,)))
        secretary = self._person(buildings[0], member=True, party_org=branch)
        self._post(secretary, OrgType.PARTY_ORG, branch, Role.SECRETARY)
        self._post(secretary, OrgType.OWNER_COMMITTEE, committee, Role.DEPUTY_DIRECTOR)
        self.rows["property_contracts"].append(ContractRow(self.district.companies[0], compound, as_of - _YEAR, None))
        return compound

    def _closed_venues(self, compound: str) -> None:
        """A closed station in the planted compound and a closed 800 m² centre in its community."""
        venues, community = self.rows["venues"], self.community
        for kind, name, where, place, area in (
                (VenueKind.STATION, "业委会党支部小区党群服务站(停用)", OrgType.COMPOUND, compound, 60),
                (VenueKind.CENTRE, f"{community.name}党群服务中心(旧址)", OrgType.COMMUNITY, community.id, 800)):
            venues.append(VenueRow(f"ZD{community.id}Y{len(venues) + 1:04d}", name, kind, where, place, area, False))

    def _governance_items(self) -> None:
        """莒南's trio as its ledgers write it: a 问题 met by a 治理 item with a unit's 资源."""
        as_of, community = self.as_of, self.community
        problem, resource = f"DM{community.id}Y1", f"RS{community.id}Y1"
        owner = next((row.id for row in self.rows["resident_units"] if row.community_id == community.id), None)
        self.rows["lists"].extend([
            ListRow(problem, "问题", "楼道堆物清理", community.id, community.id, (), ListStatus.CLOSED,
                    as_of - dt.timedelta(days=40), as_of - dt.timedelta(days=10)),
            ListRow(resource, ListKind.RESOURCE, "志愿清运队", community.id, owner, ()),
            ListRow(f"PJ{community.id}Y1", "治理", "楼道堆物清理治理", community.id, community.id, (problem, resource))])

    def _person(self, building: str, *, member: bool, party_org: str | None = None) -> str:
        person = f"RY{self.district.code}{self.district._serial('person'):06d}"
        self.rows["people"].append(PersonRow(person, names.person_name(self.rng), member, None, None, building, None,
                                             party_org if member else None))
        return person

    def _post(self, person: str, org_type: OrgType, org: str, role: Role) -> None:
        self.rows["posts"].append(PostRow(person, org_type, org, role, False, self.as_of - _YEAR, None))
