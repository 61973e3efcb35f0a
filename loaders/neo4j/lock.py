"""One load at a time per scope: a lock held in the database itself.

Two loads of the same districts at once interleave their merges and removals and leave a
database that matches neither ledger set. So a load first takes a ``:LoadLock`` node for every
part of its scope (each comma-separated scope name and each District it loads), under a
uniqueness constraint on ``part``: of two loads that try at the same moment, the server lets one
create the node and refuses the other. The lock carries the load's id, host, process and start
time, so the refused load can say whom it waited for. It is released at the end of the load,
failed or not. A load killed before it could release leaves its lock behind: when its process
ran on this machine and is gone, the lock is taken over at once; otherwise the lock has a
heartbeat, renewed while the load runs, and a lock whose heartbeat is older than
:data:`STALE_AFTER` seconds is taken over.

A load into a database that holds nothing yet also takes :data:`WHOLE_DATABASE` when no other
load runs (:meth:`ScopeLock.take_whole`), and every load checks for that part: while it is held,
no other load runs at all, so the loader may CREATE the relationships of the nodes it creates.
Each load checks again after it has taken its parts, since two loads may each check before the
other takes; of two such loads at least one sees the other and steps back.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from graphmodel.errors import StoreError

if TYPE_CHECKING:
    import neo4j

__all__ = ["ScopeLock", "LoadLocked", "LOCK_LABEL", "LOCK_PROPERTIES", "LOCK_STATEMENTS",
           "STALE_AFTER", "WHOLE_DATABASE", "lock_parts"]

LOCK_LABEL = "LoadLock"
#: Seconds without a heartbeat after which a lock is taken to be left by a killed load.
STALE_AFTER = 600
#: Seconds between heartbeats of a running load (well under STALE_AFTER).
HEARTBEAT_EVERY = 30
#: Seconds between tries of a load that waits for another (``--wait``).
WAIT_POLL = 1.0
#: The part taken by a load that builds an empty database alone; it overlaps every scope.
WHOLE_DATABASE = "(whole database)"

LOCK_PROPERTIES = ("part", "scope", "load_id", "host", "pid", "started", "heartbeat")
LOCK_STATEMENTS = {
    "constraint": f"CREATE CONSTRAINT load_lock_part IF NOT EXISTS "
                  f"FOR (l:{LOCK_LABEL}) REQUIRE l.part IS UNIQUE",
    # The live locks of other loads on any of $parts or on the whole database (with $exclusive:
    # every lock of another load); stale ones are not in the way.
    "holders": f"MATCH (l:{LOCK_LABEL})\n"
               f"WHERE (l.part IN $parts OR l.part = $whole OR $exclusive)\n"
               f"  AND l.load_id <> $load_id\n"
               f"  AND l.heartbeat >= datetime() - duration({{seconds: $stale_after}})\n"
               f"RETURN l.load_id AS load_id, l.scope AS scope, l.host AS host, l.pid AS pid,\n"
               f"       toString(l.started) AS started, collect(l.part) AS parts",
    # Take every part: a stale lock is replaced; CREATE (not MERGE) so that a load taking the same
    # part at the same moment fails on the uniqueness constraint instead of sharing the node.
    "take": f"UNWIND $parts AS part\n"
            f"OPTIONAL MATCH (stale:{LOCK_LABEL} {{part: part}})\n"
            f"DELETE stale\n"
            f"WITH DISTINCT part\n"
            f"CREATE (l:{LOCK_LABEL} {{part: part, scope: $scope, load_id: $load_id, host: $host,\n"
            f"                        pid: $pid, started: datetime(), heartbeat: datetime()}})\n"
            f"RETURN count(l) AS taken",
    "heartbeat": f"MATCH (l:{LOCK_LABEL} {{load_id: $load_id}})\n"
                 f"SET l.heartbeat = datetime()\n"
                 f"RETURN count(l) AS held",
    "release": f"MATCH (l:{LOCK_LABEL} {{load_id: $load_id}})\n"
               f"DELETE l",
    "drop": f"MATCH (l:{LOCK_LABEL} {{load_id: $load_id, part: $part}})\n"
            f"DELETE l",
}


#: The load ids whose locks this process holds now.
_HELD_HERE: set[str] = set()


class LoadLocked(StoreError):
    """Another load holds part of this load's scope."""


def lock_parts(scope: str, districts: Iterable[str] = ()) -> list[str]:
    """What a load of ``scope`` locks: each comma-separated part of the scope and each District
    it loads, so ``D01`` and ``D01,D02`` (or ``D01`` and a named scope holding D01) overlap.

    >>> lock_parts("D02,D01", ["D01"])
    ['D01', 'D02']
    """
    return sorted({part.strip() for part in scope.split(",") if part.strip()} | set(districts))


def _single(tx: neo4j.ManagedTransaction, statement: str, parameters: dict) -> Any:
    record = tx.run(statement, parameters).single()
    return record[0] if record is not None else None


def _holders(tx: neo4j.ManagedTransaction, parameters: dict) -> list[dict]:
    return [dict(record) for record in tx.run(LOCK_STATEMENTS["holders"], parameters)]


def _try_take(tx: neo4j.ManagedTransaction, parameters: dict) -> list[dict]:
    """Take the lock unless another live load holds a part of it; those loads, empty if taken."""
    holders = _holders(tx, parameters)
    if not holders:
        tx.run(LOCK_STATEMENTS["take"], parameters).consume()
    return holders


class ScopeLock:
    """The lock of one load: ``acquire()`` (refuse, or wait), ``beat()`` while loading,
    ``release()`` at the end. The load id is new for every lock."""

    def __init__(self, session: neo4j.Session, scope: str, parts: list[str], *,
                 stale_after: float = STALE_AFTER, clock: Callable[[], float] = time.monotonic):
        self.session = session
        self.scope = scope
        self.load_id = uuid.uuid4().hex[:12]
        self.clock = clock
        self.parameters = {"parts": parts, "scope": scope, "load_id": self.load_id,
                           "host": socket.gethostname(), "pid": os.getpid(),
                           "stale_after": stale_after, "whole": WHOLE_DATABASE, "exclusive": False}
        self.last_beat = 0.0

    def acquire(self, *, wait: bool = False, waiting: Callable[[str], None] | None = None) -> None:
        """Take the lock; ``LoadLocked`` naming the running load, or with ``wait`` try again
        every second until it is free (``waiting(message)`` is told once)."""
        from neo4j.exceptions import ConstraintError

        self.session.execute_write(_single, LOCK_STATEMENTS["constraint"], {})
        told = False
        while True:
            try:
                holders = self.session.execute_write(_try_take, self.parameters)
            except ConstraintError:  # another load created a part between our read and write
                holders = self.session.execute_read(_holders, self.parameters)
                if not holders:
                    continue  # and has already released it: try again at once
            if not holders:  # taken; but a load may have taken the whole database meanwhile
                holders = self.session.execute_read(_holders, {**self.parameters, "parts": []})
                if not holders:
                    self.last_beat = self.clock()
                    return
                self.release()  # it goes on alone: step back
            dead = [holder for holder in holders if _died_here(holder)]
            for holder in dead:  # killed on this machine: its lock is stale now, not in 10 minutes
                self.session.execute_write(_single, LOCK_STATEMENTS["release"],
                                           {"load_id": holder["load_id"]})
            if dead:
                continue
            message = "; ".join(_describe(holder) for holder in holders)
            if not wait:
                raise LoadLocked(
                    f"another load of an overlapping scope is running: {message}",
                    hint=f"wait for it to finish, or add --wait to start when it has; a lock whose "
                         f"load stopped without releasing it is taken over after "
                         f"{STALE_AFTER // 60} minutes")
            if waiting is not None and not told:
                waiting(f"waiting for {message}")
                told = True
            time.sleep(WAIT_POLL)

    def take_whole(self) -> bool:
        """Take :data:`WHOLE_DATABASE` too, unless another load holds any lock; whether it is
        held. Checked again once taken: a load that took its parts meanwhile makes this one step
        back (that load checks for this part after its take, too)."""
        from neo4j.exceptions import ConstraintError

        whole = {**self.parameters, "parts": [WHOLE_DATABASE], "exclusive": True}
        try:
            if self.session.execute_write(_try_take, whole):
                return False
        except ConstraintError:  # another load took it at the same moment
            return False
        if self.session.execute_read(_holders, whole):
            self.session.execute_write(_single, LOCK_STATEMENTS["drop"],
                                       {"load_id": self.load_id, "part": WHOLE_DATABASE})
            return False
        return True

    def beat(self) -> None:
        """Renew the heartbeat when it is due; ``StoreError`` if the lock was taken over."""
        if self.clock() - self.last_beat < HEARTBEAT_EVERY:
            return
        held = self.session.execute_write(_single, LOCK_STATEMENTS["heartbeat"],
                                          {"load_id": self.load_id})
        if not held:
            raise StoreError(f"load {self.load_id} lost its lock on scope {self.scope} (taken over "
                             f"as stale by another load)",
                             hint="run the load again when the other one has finished")
        self.last_beat = self.clock()

    def release(self) -> None:
        self.session.execute_write(_single, LOCK_STATEMENTS["release"], {"load_id": self.load_id})

    @contextmanager
    def held(self, *, wait: bool = False, waiting: Callable[[str], None] | None = None):
        """The lock for the ``with`` block: acquired, released after it. When the block fails, a
        release that fails too (the server gone) does not hide the block's error."""
        from neo4j.exceptions import DriverError, Neo4jError

        self.acquire(wait=wait, waiting=waiting)
        _HELD_HERE.add(self.load_id)
        try:
            yield self
        except BaseException:
            try:
                self.release()
            except (Neo4jError, DriverError):
                pass  # the lock goes stale; the block's error is the one to report
            raise
        else:
            self.release()
        finally:
            _HELD_HERE.discard(self.load_id)


def _died_here(holder: dict) -> bool:
    """Whether the load holding a lock ran on this machine and is over: its process is gone, or
    it is this process and the lock is not one it holds now (its release failed)."""
    if holder["host"] != socket.gethostname() or not isinstance(holder["pid"], int):
        return False
    if holder["pid"] == os.getpid():
        return holder["load_id"] not in _HELD_HERE
    try:
        os.kill(holder["pid"], 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def _describe(holder: dict) -> str:
    return (f"load {holder['load_id']} of scope {holder['scope']} (host {holder['host']}, "
            f"pid {holder['pid']}, started {holder['started']}) holds {', '.join(holder['parts'])}")
