"""Run Cypher against Neo4j: the audit backend, ad-hoc statements, the read-only guard.

Read-only is enforced twice, both times by the server's own understanding of the statement, never
by scanning its text (a keyword blacklist over text cannot be made right: comments end at ``\r``
too, names can be backticked, ``RETURN 1 AS set`` is harmless). First the statement is planned
with ``EXPLAIN`` and refused on the plan (:func:`plan_refusals`): any write or schema operation,
``LOAD CSV`` (a read that fetches files and URLs) and any procedure or namespaced function not on
the allow-lists. Every plan operator must be on :data:`READ_OPERATORS`, an allow-list: an
operator Neo4j adds later is refused until someone has read what it does. Administration commands
(``SHOW TRANSACTIONS``, ``TERMINATE TRANSACTIONS``, ``SHOW DATABASES`` …) plan as read queries
on some servers and could stop other people's work; only reading the graph's own schema
(``SHOW INDEXES``, ``SHOW CONSTRAINTS``) runs. Then it runs in a READ transaction
(``session.execute_read``), where the server itself refuses writes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphmodel.errors import QueryError, StoreError
from graphmodel.schema import NEO4J_BOOKKEEPING_PROPERTIES

from .fragments import FRAGMENTS, read_cypher

if TYPE_CHECKING:  # the driver itself is imported where it is used: over half a second, which
    import neo4j  # every command that never talks to Neo4j would pay
    from neo4j.graph import Node, Relationship

__all__ = ["Neo4jBackend", "PACKED_ROWS", "unpack_rows", "plan_cost", "run_cypher", "run_statement",
           "stream_statement", "StatementResult", "StatementRows", "plan_refusals",
           "ReadOnlyRefusal", "parse_param", "plain_value", "queries_dir", "READ_ONLY_PROCEDURES",
           "READ_OPERATORS"]

# Procedures that only read the schema or the server's identity; everything else is refused in
# read-only mode (APOC/GDS families can read files, send requests or write in their own way).
READ_ONLY_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.info", "db.ping",
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "dbms.components",
})
# Namespaced functions built into Cypher; any other namespace (apoc., gds., custom) is refused.
_BUILT_IN_FUNCTION_NAMESPACES = frozenset({"date", "datetime", "localdatetime", "localtime", "time",
                                           "duration", "point", "vector"})
_BUILT_IN_NAMESPACED_FUNCTIONS = frozenset({"db.nameFromElementId"})
_NAMESPACED_CALL = re.compile(r"(?<![\w.$`])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)\s*\(")
# Plan operators that only read the graph (Neo4j 5's operator reference); LoadCSV and
# ProcedureCall have their own checks below.
READ_OPERATORS = frozenset({
    # leaves: scans and seeks
    "AllNodesScan", "PartitionedAllNodesScan", "NodeByLabelScan", "PartitionedNodeByLabelScan",
    "IntersectionNodeByLabelsScan", "SubtractionNodeByLabelsScan", "UnionNodeByLabelsScan",
    "NodeByIdSeek", "NodeByElementIdSeek", "NodeIndexSeek", "NodeUniqueIndexSeek",
    "MultiNodeIndexSeek", "AssertingMultiNodeIndexSeek", "NodeIndexSeekByRange",
    "NodeUniqueIndexSeekByRange", "NodeIndexContainsScan", "NodeIndexEndsWithScan", "NodeIndexScan",
    "NodeCountFromCountStore", "RelationshipCountFromCountStore",
    "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
    "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan",
    "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
    "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek",
    "DirectedRelationshipByElementIdSeek", "UndirectedRelationshipByElementIdSeek",
    "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek",
    "DirectedRelationshipUniqueIndexSeek", "UndirectedRelationshipUniqueIndexSeek",
    "DirectedRelationshipIndexSeekByRange", "UndirectedRelationshipIndexSeekByRange",
    "DirectedRelationshipUniqueIndexSeekByRange", "UndirectedRelationshipUniqueIndexSeekByRange",
    "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan",
    "DirectedRelationshipIndexContainsScan", "UndirectedRelationshipIndexContainsScan",
    "DirectedRelationshipIndexEndsWithScan", "UndirectedRelationshipIndexEndsWithScan",
    "AssertingMultiRelationshipIndexSeek", "Argument", "ArgumentTracker", "EmptyRow", "Input",
    # traversal
    "Expand(All)", "Expand(Into)", "OptionalExpand(All)", "OptionalExpand(Into)",
    "VarLengthExpand(All)", "VarLengthExpand(Into)", "VarLengthExpand(Pruning)",
    "VarLengthExpand(Pruning,BFS)", "BFSPruningVarLengthExpand", "Repeat(Trail)", "Repeat(Walk)",
    "NullifyMetadata", "ShortestPath", "StatefulShortestPath(All)", "StatefulShortestPath(Into)",
    "ProjectEndpoints", "TriadicSelection", "TriadicBuild", "TriadicFilter",
    # combining rows
    "Apply", "SemiApply", "AntiSemiApply", "SelectOrSemiApply", "SelectOrAntiSemiApply",
    "LetSemiApply", "LetAntiSemiApply", "LetSelectOrSemiApply", "LetSelectOrAntiSemiApply",
    "ConditionalApply", "AntiConditionalApply", "RollUpApply", "CartesianProduct",
    "NodeHashJoin", "ValueHashJoin", "NodeLeftOuterHashJoin", "NodeRightOuterHashJoin",
    "Optional", "Union", "OrderedUnion",
    # shaping rows
    "ProduceResults", "Projection", "Filter", "Unwind", "PartitionedUnwind", "CacheProperties",
    "Eager", "EagerAggregation", "OrderedAggregation", "Distinct", "OrderedDistinct",
    "Sort", "PartialSort", "Top", "PartialTop", "Limit", "ExhaustiveLimit", "Skip", "EmptyResult",
    # reading the graph's own schema: the only administration commands the console runs
    "ShowIndexes", "ShowConstraints",
})
_ADMINISTRATION_PREFIXES = ("Show", "Terminate", "AdministrationCommand")
ADMINISTRATION_REFUSAL = ("the console does not run administration commands (SHOW … other than "
                          "SHOW INDEXES and SHOW CONSTRAINTS, TERMINATE …)")


class ReadOnlyRefusal(QueryError):
    """A statement refused in read-only mode, before it ran."""


def _operators(plan: dict):
    yield plan
    for child in plan.get("children", ()):
        yield from _operators(child)


def plan_refusals(query_type: str, plan: dict) -> list[str]:
    """Why a statement with this ``EXPLAIN`` plan may not run read-only; empty when it may.

    ``query_type`` is the summary's ``r``/``rw``/``w``/``s``; ``plan`` the driver's plan dict.

    Examples
    --------
    >>> plan_refusals("r", {"operatorType": "LoadCSV@neo4j", "args": {"Details": "l"}})
    ['LOAD CSV (reads files and URLs)']
    >>> plan_refusals("r", {"operatorType": "Projection@neo4j", "args": {"Details": "n.set AS set"}})
    []
    """
    reasons: list[str] = []
    procedures = []
    writes = query_type in ("w", "rw")
    for operator in _operators(plan):
        kind, _, runtime = operator.get("operatorType", "").partition("@")
        details = str(operator.get("args", {}).get("Details") or "")
        if kind == "LoadCSV":
            reasons.append("LOAD CSV (reads files and URLs)")
        elif kind == "ProcedureCall":
            name = details.split("(", 1)[0].strip()
            procedures.append(name)
            if name not in READ_ONLY_PROCEDURES:
                reasons.append(f"procedure {name} (allowed read-only: "
                               f"{', '.join(sorted(READ_ONLY_PROCEDURES))})")
        elif kind.startswith(_ADMINISTRATION_PREFIXES) or runtime == "system":
            if kind not in READ_OPERATORS:
                reasons.append(ADMINISTRATION_REFUSAL)
        elif kind not in READ_OPERATORS and not writes and query_type != "s":
            reasons.append(f"plan operator {kind} is not on the read-only allow-list")
        for function in _NAMESPACED_CALL.findall(details) if kind != "ProcedureCall" else ():
            if (function.split(".")[0] not in _BUILT_IN_FUNCTION_NAMESPACES
                    and function not in _BUILT_IN_NAMESPACED_FUNCTIONS):
                reasons.append(f"function {function}")
    if writes:
        reasons.append("it writes to the database")
    elif query_type == "s" and not procedures and ADMINISTRATION_REFUSAL not in reasons:
        reasons.append("it changes the schema or the server")
    return list(dict.fromkeys(reasons))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAM_TYPES = ("int", "float", "bool", "date", "str", "json")


def queries_dir() -> Path:
    """The ``queries`` package folder, where the question and library ``.cypher`` files live."""
    return Path(__file__).resolve().parent.parent


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` (or ``name:type=value``) from the command line into a typed parameter.

    Without a type the value is read as JSON when it is JSON (numbers, true/false, null, lists,
    objects, "quoted strings"), as a date when it is ``YYYY-MM-DD``, else as a string — so a
    ledger code like ``001`` stays the string ``"001"``. Types: int, float, bool, date, str, json.

    Examples
    --------
    >>> parse_param("limit=10"), parse_param("as_of=2026-01-31"), parse_param("code:str=12")
    (('limit', 10), ('as_of', datetime.date(2026, 1, 31)), ('code', '12'))
    """
    name, sep, value = text.partition("=")
    name, _, kind = name.strip().partition(":")
    if not sep or not name.isidentifier():
        raise QueryError(f"parameter {text!r} is not name=value",
                         hint="e.g. --param street_id=S01 --param as_of:date=2026-01-31")
    try:
        typed = _typed(value, kind.strip().lower())
        _check_sendable(typed)
    except ValueError as error:
        raise QueryError(f"parameter {name}: {error}",
                         hint="e.g. --param n=10, --param ids='[\"A\", \"B\"]'") from None
    return name, typed


#: Neo4j's integers are 64-bit; a parameter nested deeper than this is refused (the driver packs
#: values recursively, and no query needs it).
_INTEGER_RANGE = (-2 ** 63, 2 ** 63 - 1)
MAX_PARAM_DEPTH = 32


def _check_sendable(value: Any) -> None:
    """``ValueError`` for what the driver cannot send: an integer beyond 64 bits, a value nested
    deeper than :data:`MAX_PARAM_DEPTH`. Walked without recursion."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_PARAM_DEPTH:
            raise ValueError(f"nested deeper than {MAX_PARAM_DEPTH} levels")
        if isinstance(item, int) and not isinstance(item, bool) and \
                not _INTEGER_RANGE[0] <= item <= _INTEGER_RANGE[1]:
            shown = str(item) if len(str(item)) <= 24 else f"{str(item)[:20]}… ({len(str(item))} digits)"
            raise ValueError(f"{shown} is beyond Neo4j's 64-bit integers "
                             f"({_INTEGER_RANGE[0]} … {_INTEGER_RANGE[1]})")
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)


def _typed(value: str, kind: str) -> Any:
    if kind == "":
        try:
            return _json(value)
        except ValueError:
            return dt.date.fromisoformat(value) if _ISO_DATE.match(value) else value
    if kind == "str":
        return value
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "json":
        return _json(value)
    if kind == "bool":
        folded = value.strip().lower()
        if folded in ("true", "1", "yes", "y", "是"):
            return True
        if folded in ("false", "0", "no", "n", "否"):
            return False
        raise ValueError(f"{value!r} is not a boolean")
    raise ValueError(f"unknown type {kind!r} (types: {', '.join(_PARAM_TYPES)})")


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_PARAM_DEPTH} levels") from None


#: Values the driver hands over as they are: returned untouched, without a type test each.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def plain_value(value: Any) -> Any:
    """A driver value as plain JSON-able Python: temporal values as ISO strings, nodes as dicts.

    Bookkeeping properties (``load_scope``, ``rel_key``) are left out of nodes and relationships.
    Called for every value of every row (a city's candidate lists are millions), so the plain
    types and containers are told apart by their exact type first.
    """
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is list or kind is tuple:
        return [plain_value(item) for item in value]
    if kind is dict:
        return {key: plain_value(item) for key, item in value.items()}
    return _plain_driver_value(value)


def _plain_driver_value(value: Any) -> Any:
    from neo4j import time as neo4j_time
    from neo4j.graph import Node, Path as GraphPath, Relationship

    if isinstance(value, (neo4j_time.Date, neo4j_time.DateTime, neo4j_time.Time,
                          dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, neo4j_time.Duration):
        return str(value)
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **_properties(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, **_properties(value)}
    if isinstance(value, GraphPath):
        return {"nodes": [plain_value(node) for node in value.nodes],
                "relationships": [plain_value(rel) for rel in value.relationships]}
    # Subclasses of the containers last: the driver's Duration (above) and Point are tuples.
    if isinstance(value, (list, tuple)):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value


def _properties(entity: Node | Relationship) -> dict[str, Any]:
    return {key: plain_value(item) for key, item in entity.items()
            if key not in NEO4J_BOOKKEEPING_PROPERTIES}


@dataclass
class StatementResult:
    """What a statement returned: its columns, its rows as plain values, and whether rows beyond
    the asked ``limit`` were left unread (``cut``)."""

    columns: list[str]
    rows: list[dict[str, Any]]
    cut: bool = False


class StatementRows:
    """A running statement's columns, and its rows as plain values as the server streams them, at
    most ``limit``: the rest are never read, and ``cut`` tells, once the rows have been read,
    whether there were more."""

    def __init__(self, result: neo4j.Result, limit: int | None = None) -> None:
        self.columns = list(result.keys())
        self.cut = False
        self._result, self._limit = result, limit

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for number, record in enumerate(self._result):
            if number == self._limit:
                self.cut = True
                return
            yield {key: plain_value(value) for key, value in record.items()}


def _fetch(tx: neo4j.ManagedTransaction, statement: str, parameters: dict,
           limit: int | None = None) -> StatementResult:
    """Every row read (at most ``limit``) before the transaction ends."""
    rows = StatementRows(tx.run(statement, parameters), limit)
    read = list(rows)
    return StatementResult(rows.columns, read, rows.cut)


def _refuse_on_plan(tx: neo4j.ManagedTransaction | neo4j.Transaction, statement: str,
                    parameters: dict) -> None:
    """Plan the statement first (EXPLAIN) and refuse it on the plan (:func:`plan_refusals`)."""
    summary = tx.run("EXPLAIN " + statement, parameters).consume()
    refusals = plan_refusals(summary.query_type or "", summary.plan or {})
    if refusals:
        raise ReadOnlyRefusal(f"refused in read-only mode: {'; '.join(refusals)}",
                              hint="add --write if you mean to change the database"
                              if ADMINISTRATION_REFUSAL not in refusals else
                              "run administration commands in Neo4j's own tools (cypher-shell)")


def _fetch_read_only(tx: neo4j.ManagedTransaction, statement: str, parameters: dict,
                     limit: int | None = None) -> StatementResult:
    """Refused on its plan, else run (:func:`_fetch`)."""
    _refuse_on_plan(tx, statement, parameters)
    return _fetch(tx, statement, parameters, limit)


@contextmanager
def _statement_errors(timeout: float | None, write: bool) -> Iterator[None]:
    """The driver's errors while a statement runs, as one line a user can act on."""
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        yield
    except Neo4jError as error:
        if "TransactionTimedOut" in (error.code or ""):
            raise QueryError(f"the statement ran longer than {timeout:g} s and was stopped by the "
                             "server", hint="give it more time with --timeout SECONDS") from None
        raise QueryError(f"Neo4j refused the statement: {error.message or error}",
                         hint="read-only mode runs in a read transaction; add --write to write"
                         if not write and "write" in str(error).lower() else None) from None
    except DriverError as error:
        raise StoreError(f"Neo4j failed: {error}",
                         hint="check NEO4J_URI and that the server runs") from None


def run_statement(driver: neo4j.Driver, statement: str, parameters: dict | None = None, *,
                  database: str | None = None, write: bool = False, limit: int | None = None,
                  timeout: float | None = None) -> StatementResult:
    """Run one statement; its columns and rows of plain values, at most ``limit`` rows.

    Read-only unless ``write``: the statement is planned with ``EXPLAIN`` and refused on its plan
    (:func:`plan_refusals`) before it runs, and it runs in a read transaction. ``timeout``
    (seconds) is the transaction timeout the server enforces; ``None`` or 0: the server's own.
    The driver retries a transaction that fails for a passing reason (its rows are read anew).

    Raises
    ------
    QueryError
        A statement refused in read-only mode (:class:`ReadOnlyRefusal`), one Neo4j rejects
        (syntax, unknown function or procedure …), or one stopped by ``timeout``.
    StoreError
        The server cannot be reached.
    """
    from neo4j import unit_of_work

    work = unit_of_work(timeout=timeout or None)(_fetch if write else _fetch_read_only)
    with _statement_errors(timeout, write), driver.session(database=database) as session:
        execute = session.execute_write if write else session.execute_read
        return execute(work, statement, dict(parameters or {}), limit)


@contextmanager
def stream_statement(driver: neo4j.Driver, statement: str, parameters: dict | None = None, *,
                     database: str | None = None, write: bool = False, limit: int | None = None,
                     timeout: float | None = None) -> Iterator[StatementRows]:
    """:func:`run_statement` whose rows are read as the caller iterates them, inside the ``with``
    block, so they can be shown as they arrive: memory holds what the caller keeps, not
    ``limit`` rows. Refused, read-only and stopped as :func:`run_statement`, and with its
    errors, also those raised while the rows are read; but run once, in one explicit
    transaction, never retried (rows already shown cannot be taken back).

    Examples
    --------
    >>> with stream_statement(connect(), "UNWIND range(1, 9) AS x RETURN x", limit=3) as rows:  # doctest: +SKIP
    ...     print(rows.columns, [row["x"] for row in rows], rows.cut)
    ['x'] [1, 2, 3] True
    """
    from neo4j import READ_ACCESS, WRITE_ACCESS

    parameters = dict(parameters or {})
    with _statement_errors(timeout, write), \
            driver.session(database=database, default_access_mode=WRITE_ACCESS if write else READ_ACCESS) as session, \
            session.begin_transaction(timeout=timeout or None) as tx:
        if not write:
            _refuse_on_plan(tx, statement, parameters)
        yield StatementRows(tx.run(statement, parameters), limit)
        if write:
            tx.commit()  # a read transaction is closed unchanged (rolled back) on leaving


def run_cypher(driver: neo4j.Driver, statement: str, parameters: dict | None = None, *,
               database: str | None = None, write: bool = False
               ) -> tuple[list[str], list[dict[str, Any]]]:
    """Run one statement (:func:`run_statement`, every row); its column names and rows."""
    result = run_statement(driver, statement, parameters, database=database, write=write)
    return result.columns, result.rows


def plan_cost(driver: neo4j.Driver, statement: str, parameters: dict | None = None, *,
              database: str | None = None) -> tuple[int, int]:
    """``(db hits, rows)`` of running ``statement`` under ``PROFILE``, summed over its plan's
    operators: what a statement costs the server, whatever else the machine is doing (a
    benchmark's seconds depend on the load; its db hits do not).
    """
    def hits(operator) -> int:
        return operator.get("dbHits", 0) + sum(hits(child) for child in operator.get("children", ()))

    with driver.session(database=database, default_access_mode="READ") as session:
        result = session.run(f"PROFILE {statement}", parameters or {})
        for _ in result:  # the profile is only complete once every row has been made
            pass
        summary = result.consume()
    return hits(summary.profile), summary.profile.get("rows", 0)


#: The column in which a question's statement may return its rows packed: a list of maps, each map
#: a row that also has the record's other columns (the place its group shares). The driver reads
#: one record of many maps in its Rust extension, many times faster than as many records, each of
#: which costs tens of microseconds in Python: a city's 150,000 rows take seconds that way.
PACKED_ROWS = "rows"


def unpack_rows(columns: list[str], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a statement's ``records``: as they are, or each packed row (:data:`PACKED_ROWS`)
    with its record's other columns.

    Examples
    --------
    >>> unpack_rows(["community_id", "rows"], [{"community_id": "SQ1", "rows": [{"id": "B1"}, {"id": "B2"}]}])
    [{'community_id': 'SQ1', 'id': 'B1'}, {'community_id': 'SQ1', 'id': 'B2'}]
    """
    if PACKED_ROWS not in columns:
        return records
    rows = []
    for record in records:
        packed = record.pop(PACKED_ROWS)
        rows.extend({**record, **row} for row in packed)
    return rows


class Neo4jBackend:
    """The audit questions over Neo4j: ``queries/questions/<CODE>/<CODE>.cypher`` per question.

    ``fetch_rows`` is what ``queries.run`` calls; the shared assembly turns the rows into the
    question's typed result, as for the embedded backend.

    Examples
    --------
    >>> backend = Neo4jBackend(connect(), database="neo4j")  # doctest: +SKIP
    >>> queries.run("C1", backend, scope="D01")              # doctest: +SKIP
    """

    name = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str | None = None,
                 root: Path | None = None) -> None:
        self.driver = driver
        self.database = database
        # A folder laid out as the queries package (cypher/, questions/<CODE>/): the mutation tool's copies
        self.root = Path(root) if root else queries_dir()

    def statement(self, question: Any) -> str:
        """The Cypher of ``question`` (a registry ``Fetch``, or a code); ``QueryError`` if none yet."""
        code = getattr(question, "code", question)
        path = self.root / (getattr(question, "cypher_path", None) or f"questions/{code}/{code}.cypher")
        try:
            return read_cypher(path, self.root / "cypher" / FRAGMENTS)
        except FileNotFoundError:
            raise QueryError(f"{path.stem} has no Cypher implementation ({path} is missing)",
                             hint="run it on the embedded backend (without --neo4j)") from None

    def fetch_rows(self, question: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``question`` in a read transaction, temporal values as ISO strings, packed rows
        unpacked (:func:`unpack_rows`)."""
        columns, records = run_cypher(self.driver, self.statement(question), params, database=self.database)
        return unpack_rows(columns, records)
