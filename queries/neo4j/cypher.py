"""Run Cypher against Neo4j: the audit backend, ad-hoc statements, the read-only guard.

Read-only is enforced twice. Before anything is sent, :func:`write_clauses` scans the statement
(with string literals, comments and backticked names blanked out) for write clauses and write
procedures; then the statement runs in a READ transaction (``session.execute_read``), where the
server itself refuses writes — the scan gives a clear message early, the transaction is the guard.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import neo4j
from neo4j.exceptions import DriverError, Neo4jError
from neo4j.graph import Node, Path as GraphPath, Relationship

from graphmodel.errors import QueryError, StoreError
from graphmodel.schema import NEO4J_BOOKKEEPING_PROPERTIES

from .fragments import read_cypher

__all__ = ["Neo4jBackend", "run_cypher", "write_clauses", "refuse_writes", "parse_param", "plain_value",
           "queries_dir"]

# Clauses that write (INSERT is Cypher 25's CREATE; FOREACH only exists to write) and
# administration commands.
_WRITE_KEYWORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH",
                   "INSERT", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "START", "STOP",
                   "TERMINATE", "ENABLE", "DEALLOCATE", "REALLOCATE")
_WRITE_PHRASES = (r"LOAD\s+CSV", r"IN\s+(?:\d+\s+)?(?:CONCURRENT\s+)?TRANSACTIONS")
# Procedures that write: APOC's write families and the db.* / dbms.* ones that create or clear.
_WRITE_PROCEDURE = re.compile(
    r"\bCALL\s+((?:apoc\.(?:create|merge|refactor|periodic|do|trigger|atomic|lock|graph\.fromDocument"
    r"|cypher\.(?:doIt|runWrite|runMany|runSchema|parallel)|nodes\.(?:delete|link|collapse)"
    r"|schema\.assert|load\.driver|import|export|systemdb|uuid\.(?:install|drop))"
    r"|db\.(?:create|index\.fulltext\.create|clear|drop)|dbms\.)[\w.]*)",
    re.IGNORECASE)
_BLANKS = re.compile(
    r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`", re.DOTALL)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAM_TYPES = ("int", "float", "bool", "date", "str", "json")


def queries_dir() -> Path:
    """The ``queries`` package folder, where the question and library ``.cypher`` files live."""
    return Path(__file__).resolve().parent.parent


def _blank(statement: str) -> str:
    """The statement with comments, string literals and backticked names replaced by spaces."""
    return _BLANKS.sub(lambda match: " " * len(match.group()), statement)


def write_clauses(statement: str) -> list[str]:
    """Write clauses and write procedures in ``statement``, in order of appearance.

    A keyword counts where it stands as a clause, not as a property key (``n.set``), a map key
    (``{set: 1}``), a label (``:Create``) or inside a string or comment.

    Examples
    --------
    >>> write_clauses("MATCH (n) WHERE n.name = 'create' RETURN n")
    []
    >>> write_clauses("MATCH (n) DETACH DELETE n")
    ['DETACH', 'DELETE']
    """
    text = _blank(statement)
    found: list[tuple[int, str]] = []
    for match in re.finditer(r"\b(" + "|".join(_WRITE_KEYWORDS) + r")\b", text, re.IGNORECASE):
        before = text[:match.start()].rstrip()[-1:]
        after = text[match.end():].lstrip()[:1]
        if before in (".", ":", "$") or after == ":":
            continue
        found.append((match.start(), match.group().upper()))
    for phrase in _WRITE_PHRASES:
        for match in re.finditer(r"\b" + phrase + r"\b", text, re.IGNORECASE):
            found.append((match.start(), " ".join(match.group().upper().split())))
    for match in _WRITE_PROCEDURE.finditer(text):
        found.append((match.start(1), match.group(1)))
    return [word for _, word in sorted(found)]


def refuse_writes(statement: str) -> None:
    """``QueryError`` naming the write clauses when ``statement`` has any."""
    writes = write_clauses(statement)
    if writes:
        raise QueryError(f"statement writes ({', '.join(dict.fromkeys(writes))}); "
                         f"refused in read-only mode",
                         hint="add --write if you mean to change the database")


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
        return name, _typed(value, kind.strip().lower())
    except ValueError as error:
        raise QueryError(f"parameter {name}: {error}") from None


def _typed(value: str, kind: str) -> Any:
    if kind == "":
        try:
            return json.loads(value)
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
        return json.loads(value)
    if kind == "bool":
        folded = value.strip().lower()
        if folded in ("true", "1", "yes", "y", "是"):
            return True
        if folded in ("false", "0", "no", "n", "否"):
            return False
        raise ValueError(f"{value!r} is not a boolean")
    raise ValueError(f"unknown type {kind!r} (types: {', '.join(_PARAM_TYPES)})")


def plain_value(value: Any) -> Any:
    """A driver value as plain JSON-able Python: temporal values as ISO strings, nodes as dicts.

    Bookkeeping properties (``load_scope``, ``rel_key``) are left out of nodes and relationships.
    """
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time,
                          dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **_properties(value)}
    if isinstance(value, Relationship):
        return {"type": value.type, **_properties(value)}
    if isinstance(value, GraphPath):
        return {"nodes": [plain_value(node) for node in value.nodes],
                "relationships": [plain_value(rel) for rel in value.relationships]}
    if isinstance(value, (list, tuple)):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_value(item) for key, item in value.items()}
    return value


def _properties(entity: Node | Relationship) -> dict[str, Any]:
    return {key: plain_value(item) for key, item in entity.items()
            if key not in NEO4J_BOOKKEEPING_PROPERTIES}


def _fetch(tx: neo4j.ManagedTransaction, statement: str, parameters: dict
           ) -> tuple[list[str], list[dict[str, Any]]]:
    result = tx.run(statement, parameters)
    columns = list(result.keys())
    rows = [{key: plain_value(value) for key, value in record.items()} for record in result]
    return columns, rows


def run_cypher(driver: neo4j.Driver, statement: str, parameters: dict | None = None, *,
               database: str | None = None, write: bool = False
               ) -> tuple[list[str], list[dict[str, Any]]]:
    """Run one statement; returns its column names and rows of plain values.

    Read-only unless ``write``: a statement with write clauses is refused before anything is sent
    (:func:`write_clauses`), and the statement runs in a read transaction.

    Raises
    ------
    QueryError
        A refused write, or a statement Neo4j rejects (syntax, unknown function …).
    StoreError
        The server cannot be reached.
    """
    if not write:
        refuse_writes(statement)
    try:
        with driver.session(database=database) as session:
            execute = session.execute_write if write else session.execute_read
            return execute(_fetch, statement, dict(parameters or {}))
    except Neo4jError as error:
        raise QueryError(f"Neo4j refused the statement: {error.message or error}",
                         hint="read-only mode runs in a read transaction; add --write to write"
                         if not write and "write" in str(error).lower() else None) from None
    except DriverError as error:
        raise StoreError(f"Neo4j failed: {error}") from None


class Neo4jBackend:
    """The audit questions over Neo4j: ``queries/cypher/<code>.cypher`` per question.

    ``fetch_rows`` is what ``queries.run`` calls; the shared assembly turns the rows into the
    question's typed result, as for the embedded backend.

    Examples
    --------
    >>> backend = Neo4jBackend(connect(), database="neo4j")  # doctest: +SKIP
    >>> queries.run("C1", backend, scope="D01")              # doctest: +SKIP
    """

    name = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str | None = None,
                 cypher_dir: Path | None = None) -> None:
        self.driver = driver
        self.database = database
        self.cypher_dir = Path(cypher_dir) if cypher_dir else queries_dir() / "cypher"

    def statement(self, question: Any) -> str:
        """The Cypher of ``question`` (a registry ``Fetch``, or a code); ``QueryError`` if none yet."""
        name = getattr(question, "cypher_name", None) or f"{getattr(question, 'code', question)}.cypher"
        path = self.cypher_dir / name
        try:
            return read_cypher(path)
        except FileNotFoundError:
            raise QueryError(f"{path.stem} has no Cypher implementation ({path} is missing)",
                             hint="run it on the embedded backend (without --neo4j)") from None

    def fetch_rows(self, question: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of ``question`` in a read transaction, temporal values as ISO strings."""
        _, rows = run_cypher(self.driver, self.statement(question), params, database=self.database)
        return rows
