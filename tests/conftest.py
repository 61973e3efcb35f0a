"""Shared pytest set-up: every test gets its own PII key so no test touches the user's key file."""

import os
from dataclasses import dataclass

import pytest

from graphmodel.errors import StoreError
from graphmodel.neo4j import connect, resolve_database
from loaders.neo4j.scopes import SCOPE_LABEL


@pytest.fixture(autouse=True, scope="session")
def _isolated_pii_key(tmp_path_factory):
    # Session-wide, so module fixtures that load ledgers (set up before any function fixture)
    # hash with the same key as the tests and the subprocesses they start.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRIDGRAPH_KEY_FILE", str(tmp_path_factory.getbasetemp() / "pii.key"))
        patch.delenv("GRIDGRAPH_PII_KEY", raising=False)
        yield


# -- the live Neo4j server ----------------------------------------------------------------------
# `make test` starts a real Neo4j (make neo4j-up), sets NEO4J_URI and GRIDGRAPH_LIVE_NEO4J=required:
# then the live suite must run, and a missing or unreachable server fails it instead of skipping.
LIVE_REQUIRED = os.environ.get("GRIDGRAPH_LIVE_NEO4J") == "required"


@dataclass
class LiveNeo4j:
    driver: object
    database: str | None

    def wipe(self) -> None:
        """Empty the database (the suite owns it: see the ``live_neo4j`` fixture)."""
        self.driver.execute_query("MATCH (n) DETACH DELETE n", database_=self.database)

    def counts(self) -> tuple[int, int]:
        records, _, _ = self.driver.execute_query(
            "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r",
            database_=self.database)
        return records[0]["n"], records[0]["r"]


def _live_unavailable(reason: str):
    if LIVE_REQUIRED:
        pytest.fail(f"the live Neo4j suite must run here, but {reason}", pytrace=False)
    pytest.skip(os.environ.get("GRIDGRAPH_NO_NEO4J_REASON") or reason)


@pytest.fixture(scope="session")
def live_neo4j():
    """The live server of ``NEO4J_URI``; refuses a database holding data gridgraph did not load."""
    if not os.environ.get("NEO4J_URI"):
        _live_unavailable("NEO4J_URI is not set (run `make test`, or `make neo4j-up` and export it)")
    try:
        driver = connect()
    except StoreError as error:
        _live_unavailable(f"Neo4j is unreachable: {error}")
    database = resolve_database()
    records, _, _ = driver.execute_query(
        f"MATCH (n) WHERE n.load_scopes IS NULL AND NOT n:{SCOPE_LABEL} RETURN count(n) AS foreign",
        database_=database)
    if records[0]["foreign"]:
        driver.close()
        _live_unavailable("the Neo4j database holds data gridgraph did not load; point NEO4J_URI "
                          "(or NEO4J_DATABASE) at a disposable one, e.g. `make neo4j-up`")
    live = LiveNeo4j(driver, database)
    yield live
    live.wipe()
    driver.close()
