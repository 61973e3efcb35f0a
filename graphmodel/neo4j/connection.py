"""Open a Neo4j driver from explicit settings or the NEO4J_* environment variables."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from ..errors import StoreError

if TYPE_CHECKING:
    import neo4j

__all__ = ["connect", "resolve_database", "ENV_URI", "ENV_USER", "ENV_PASSWORD", "ENV_DATABASE"]

ENV_URI, ENV_USER, ENV_PASSWORD, ENV_DATABASE = (
    "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
DEFAULT_USER = "neo4j"

# The driver logs its failures (e.g. "Unable to retrieve routing information") before raising
# them; without a handler Python prints them raw to stderr. Failures reach the user once, as
# the one ``Error:`` line below.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def resolve_database(database: str | None = None) -> str | None:
    """``database``, else ``$NEO4J_DATABASE``, else None (the server's default database)."""
    return database or os.environ.get(ENV_DATABASE) or None


def connect(uri: str | None = None, user: str | None = None, password: str | None = None,
            database: str | None = None) -> neo4j.Driver:
    """An open, verified driver; each setting falls back to its NEO4J_* environment variable.

    Any scheme the driver knows works: ``neo4j://`` / ``neo4j+s://`` route across a cluster or
    Aura, ``bolt://`` talks to one server. ``database`` is only checked for being reachable; pass
    it (or :func:`resolve_database`) to the functions that run statements.

    Raises
    ------
    StoreError
        No URI, a malformed URI, wrong credentials or an unreachable server, with a hint.

    Examples
    --------
    >>> driver = connect("neo4j://localhost:7687", "neo4j", "secret")  # doctest: +SKIP
    """
    import neo4j  # the driver is imported only by commands that use it (see graphmodel.cli.base)
    from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

    uri = uri or os.environ.get(ENV_URI)
    if not uri:
        raise StoreError("no Neo4j URI given",
                         hint=f"pass --uri or set {ENV_URI}, e.g. neo4j://localhost:7687")
    user = user or os.environ.get(ENV_USER) or DEFAULT_USER
    password = password if password is not None else os.environ.get(ENV_PASSWORD)
    auth = (user, password) if password is not None else None
    try:
        # Server notifications (deprecations, unknown property keys) are for authors of Cypher,
        # not for users of the CLI: the driver would log each one to stderr.
        driver = neo4j.GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF")
    except (ConfigurationError, ValueError, ImportError) as error:
        raise StoreError(f"not a usable Neo4j URI {uri!r}: {error}",
                         hint=f"check {ENV_URI}: neo4j://host:7687, neo4j+s://… or bolt://…") from None
    try:
        driver.verify_connectivity()
        database = resolve_database(database)
        if database:
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
    except AuthError as error:
        driver.close()
        raise StoreError(f"Neo4j at {uri} refused the credentials of user {user!r}: {error.message}",
                         hint=f"check {ENV_USER} and {ENV_PASSWORD}") from None
    except (Neo4jError, DriverError, OSError, ValueError) as error:  # ValueError: a port not a number
        driver.close()
        raise StoreError(f"cannot reach Neo4j at {uri}: {_one_line(error)}",
                         hint=f"check {ENV_URI} (host, port, scheme), that the server runs, and "
                              f"{ENV_DATABASE} if you use a named database") from None
    return driver
