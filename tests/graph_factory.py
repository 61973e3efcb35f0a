"""Hand-built governance graphs for tests: one short call per node, names default to the code.

Builds straight into a ``GovernanceGraph`` through the schema models, bypassing the loaders, so a
test can make graphs the loaders would refuse (UNDER cycles, impossible parents).

    >>> f = GraphFactory.city()            # D1 > S1 > SQ1, SQ2; D1 > S2 > SQ3
    >>> x = f.compound("XQ1", "SQ1", buildings=2)
    >>> f.party_org("DZB1", "党支部", based_in=[x])
    ('PartyOrg', 'DZB1')
"""

from __future__ import annotations

from graphmodel.graph import GovernanceGraph, NodeKey
from graphmodel.schema import (NODE_MODELS, Building, Case, Community, Compound, District, Grid, ListItem, OwnerCommittee,
                               PartyOrg, Person, PropertyCompany, ResidentUnit, Street, Venue, normalize_role)

__all__ = ["GraphFactory"]


class GraphFactory:
    def __init__(self):
        self.graph = GovernanceGraph()

    @classmethod
    def city(cls) -> "GraphFactory":
        """District D1 with street S1 (communities SQ1, SQ2) and street S2 (community SQ3)."""
        factory = cls()
        factory.district("D1")
        factory.street("S1", "D1")
        factory.street("S2", "D1")
        factory.community("SQ1", "S1")
        factory.community("SQ2", "S1")
        factory.community("SQ3", "S2")
        return factory

    # -- areas and places ---------------------------------------------------------------------
    def district(self, code: str) -> NodeKey:
        return self.graph.add(District(id=code, name=f"{code}区"))

    def street(self, code: str, district: str | None = None) -> NodeKey:
        key = self.graph.add(Street(id=code, name=f"{code}街道"))
        if district:
            self.graph.relate("PART_OF", key, ("District", district))
        return key

    def community(self, code: str, street: str | None = None) -> NodeKey:
        key = self.graph.add(Community(id=code, name=f"{code}社区"))
        if street:
            self.graph.relate("PART_OF", key, ("Street", street))
        return key

    def compound(self, code: str, community: str | None = None, buildings: int = 0,
                 households: int | None = None) -> NodeKey:
        """A compound, with buildings ``<code>-1`` … ``<code>-<buildings>`` (and its 户数, when given)."""
        key = self.graph.add(Compound(id=code, name=f"{code}小区", households=households))
        if community:
            self.graph.relate("PART_OF", key, ("Community", community))
        for number in range(1, buildings + 1):
            self.building(f"{code}-{number}", code)
        return key

    def building(self, code: str, compound: str) -> NodeKey:
        key = self.graph.add(Building(id=code, name=f"{code}楼"))
        self.graph.relate("PART_OF", key, ("Compound", compound))
        return key

    def grid(self, code: str, community: str | None = None, grid_type: str = "综合网格",
             covers: tuple[NodeKey, ...] = ()) -> NodeKey:
        key = self.graph.add(Grid(id=code, name=f"{code}网格", grid_type=grid_type))
        if community:
            self.graph.relate("PART_OF", key, ("Community", community))
        for target in covers:
            self.graph.relate("COVERS", key, target)
        return key

    # -- organisations ------------------------------------------------------------------------
    def party_org(self, code: str, kind: str, based_in: list[NodeKey] = (), parent: str | None = None) -> NodeKey:
        key = self.graph.add(PartyOrg(id=code, name=f"{code}{kind}", kind=kind))
        for target in based_in:
            self.graph.relate("BASED_IN", key, target)
        if parent:
            self.graph.relate("UNDER", key, ("PartyOrg", parent))
        return key

    def company(self, code: str, manages: list[NodeKey] = (), start: str | None = None,
                end: str | None = None) -> NodeKey:
        key = self.graph.add(PropertyCompany(id=code, name=f"{code}物业"))
        for compound in manages:
            self.contract(key, compound, start, end)
        return key

    def contract(self, company: NodeKey, compound: NodeKey, start: str | None = None, end: str | None = None):
        self.graph.relate("MANAGES", company, compound, start=start, end=end)

    def committee(self, code: str, compound: NodeKey | None = None, kind: str = "业委会",
                  term_start: str | None = None, term_end: str | None = None) -> NodeKey:
        key = self.graph.add(OwnerCommittee(id=code, name=f"{code}{kind}", kind=kind,
                                            term_start=term_start, term_end=term_end))
        if compound:
            self.graph.relate("REPRESENTS", key, compound)
        return key

    def unit(self, code: str, community: str | None = None) -> NodeKey:
        key = self.graph.add(ResidentUnit(id=code, name=f"{code}单位"))
        if community:
            self.graph.relate("REGISTERED_WITH", key, ("Community", community))
        return key

    def venue(self, code: str, located_in: NodeKey, kind: str = "党群服务站", area_m2: float | None = None,
              is_open: bool | None = None) -> NodeKey:
        """A 党群服务阵地 LOCATED_IN ``located_in``; ``kind`` in Chinese or as a code."""
        key = self.graph.add(Venue(id=code, name=f"{code}{kind}", kind=kind, area_m2=area_m2, open=is_open))
        self.graph.relate("LOCATED_IN", key, located_in)
        return key

    # -- people and lists ---------------------------------------------------------------------
    def person(self, code: str, party_member: bool = False, phone: str | None = None,
               registered: str | None = None) -> NodeKey:
        key = self.graph.add(Person(id=code, name=f"人员{code}", party_member=party_member, phone=phone))
        if registered:
            self.graph.relate("REGISTERED_WITH", key, ("Community", registered))
        return key

    def post(self, person: NodeKey, org: NodeKey, role: str, part_time: bool = False,
             start: str | None = None, end: str | None = None) -> None:
        """A HOLDS post; ``role`` in Chinese or as a code (normalised like the loaders do)."""
        self.graph.relate("HOLDS", person, org, role=normalize_role(role), part_time=part_time,
                          start=start, end=end)

    def list_item(self, code: str, kind: str, community: str, matches: tuple[NodeKey, ...] = (),
                  **progress: str) -> NodeKey:
        """A list item; ``progress`` takes ``status``, ``raised`` and ``closed`` as a ledger writes them."""
        key = self.graph.add(ListItem(id=code, name=f"{code}清单", kind=kind, community_id=community, **progress))
        for target in matches:
            self.graph.relate("MATCHES", key, target)
        return key

    # -- cases and ratings --------------------------------------------------------------------
    def case(self, code: str, about: NodeKey, received: str, closed: str | None = None,
             source: str = "12345") -> NodeKey:
        """A case (诉求工单) about a community, compound or building."""
        key = self.graph.add(Case(id=code, name=f"工单{code}", source=source, received=received, closed=closed))
        self.graph.relate("ABOUT", key, about)
        return key

    def rating(self, company: NodeKey, rated_by: NodeKey, date: str, result: str, period: str | None = None) -> None:
        """A rating (物业评价) of ``company`` by a compound, community or street; ``result`` as a ledger writes it."""
        self.graph.relate("RATED", company, rated_by, date=date, result=result, period=period)

    # -- anything the calls above do not make -------------------------------------------------
    def node(self, label: str, **properties) -> NodeKey:
        """A node of any label with exactly ``properties`` (a building's 单元数, a lone building)."""
        return self.graph.add(NODE_MODELS[label](**properties))

    def relate(self, rel_type: str, source: NodeKey, target: NodeKey, **properties) -> None:
        """A relationship of any type the schema allows between two nodes already made."""
        self.graph.relate(rel_type, source, target, **properties)
