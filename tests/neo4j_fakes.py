"""Test doubles for the Neo4j tests: a small governance graph and a driver that records statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from unittest.mock import create_autospec

import neo4j

from graphmodel.graph import GovernanceGraph
from graphmodel.schema import (
    Building, Community, Compound, District, OwnerCommittee, PartyOrg, Person, PropertyCompany,
    Street,
)

HOSTILE_NAME = "'}) DETACH DELETE n //"


def tiny_graph(compound_name: str = "幸福小区", prefix: str = "") -> GovernanceGraph:
    """One district down to a building, with a company, a committee, a party branch and a person;
    every id starts with ``prefix`` (another district's ids with another one)."""
    graph = GovernanceGraph()
    district = graph.add(District(id=f"{prefix}D1", name="东城区"))
    street = graph.add(Street(id=f"{prefix}S1", name="和平街道"))
    community = graph.add(Community(id=f"{prefix}SQ1", name="和平社区"))
    compound = graph.add(Compound(id=f"{prefix}XQ1", name=compound_name, households=320))
    building = graph.add(Building(id=f"{prefix}LD1", name="1号楼"))
    company = graph.add(PropertyCompany(id=f"{prefix}WY1", name="安居物业"))
    committee = graph.add(OwnerCommittee(id=f"{prefix}YWH1", name="幸福小区业委会", kind="业委会",
                                         term_start=dt.date(2021, 1, 1), term_end=dt.date(2025, 12, 31)))
    branch = graph.add(PartyOrg(id=f"{prefix}DZB1", name="幸福小区党支部", kind="党支部"))
    person = graph.add(Person(id=f"{prefix}P1", name="张三", party_member=True))
    graph.relate("PART_OF", street, district)
    graph.relate("PART_OF", community, street)
    graph.relate("PART_OF", compound, community)
    graph.relate("PART_OF", building, compound)
    graph.relate("MANAGES", company, compound, start=dt.date(2024, 1, 1))
    graph.relate("REPRESENTS", committee, compound)
    graph.relate("BASED_IN", branch, compound)
    graph.relate("HOLDS", person, branch, role="secretary")
    graph.relate("HOLDS", person, committee, role="member", part_time=True)
    return graph


class FakeDriver:
    """An autospecced ``neo4j.Driver`` whose transactions record ``(statement, parameters)``.

    Every merge pretends all its rows were created; ``fail_at`` makes the n-th transaction
    (1-based) raise ``ServiceUnavailable``; ``rows`` is what read statements return, or a function
    of the statement and its parameters that gives them. Managed
    transactions (``execute_read``/``execute_write``) and explicit ones (``begin_transaction``,
    in the session's ``default_access_mode``) are recorded alike; ``committed`` counts commits of
    explicit ones.
    """

    def __init__(self, fail_at: int | None = None, rows: list[dict] | Callable | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.modes: list[str] = []
        self.fail_at = fail_at
        self.rows = rows or []
        self.driver = create_autospec(neo4j.Driver, instance=True)
        session = self.driver.session.return_value.__enter__.return_value
        session.execute_write.side_effect = lambda fn, *args: self._execute("write", fn, *args)
        session.execute_read.side_effect = lambda fn, *args: self._execute("read", fn, *args)
        session.begin_transaction.side_effect = self._begin
        self.committed = 0

    def _execute(self, mode, fn, *args):
        return fn(self._transaction(mode), *args)

    def _begin(self, **options):
        access = self.driver.session.call_args.kwargs.get("default_access_mode", neo4j.WRITE_ACCESS)
        return self._transaction("read" if access == neo4j.READ_ACCESS else "write")

    def _transaction(self, mode):
        if self.fail_at is not None and len(self.calls) + 1 == self.fail_at:
            raise neo4j.exceptions.ServiceUnavailable("connection lost")
        self.modes.append(mode)
        return _FakeTransaction(self)

    def statements(self, containing: str = "") -> list[tuple[str, dict]]:
        return [(statement, params) for statement, params in self.calls if containing in statement]


class _FakeTransaction:
    def __init__(self, fake: FakeDriver):
        self.fake = fake

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        return None

    def commit(self):
        self.fake.committed += 1

    def run(self, statement, parameters=None):
        parameters = parameters or {}
        self.fake.calls.append((statement, parameters))
        rows = self.fake.rows(statement, parameters) if callable(self.fake.rows) else self.fake.rows
        return _FakeResult(statement, parameters, rows)


class _FakeResult:
    def __init__(self, statement: str, parameters: dict, rows: list[dict]):
        created = len(parameters.get("rows", []))
        self._record = {"written": created} if "AS written" in statement else next(iter(rows), None)
        key = "relationships-created" if "]->(b)\n" in statement else "nodes-created"
        self._counters = neo4j.SummaryCounters({key: created} if created else {})
        self._rows = rows

    def single(self):
        return self._record

    def consume(self):
        return _FakeSummary(self._counters)

    def keys(self):
        return list(self._rows[0]) if self._rows else []

    def __iter__(self):
        return iter(self._rows)


class _FakeSummary:
    """Counters as given; the plan of a harmless read (what ``EXPLAIN`` of a MATCH returns)."""

    query_type = "r"
    plan = {"operatorType": "ProduceResults@neo4j", "args": {"Details": "n"}, "children": []}

    def __init__(self, counters):
        self.counters = counters
