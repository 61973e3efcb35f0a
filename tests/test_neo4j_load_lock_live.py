"""Two loads of one scope at once, as real processes against the live server (issue 29, finding 2).

The first load is held part-way by a transaction of the test that keeps a write lock on the
District node the load must update: the load has taken its scope lock and waits on the node.
A second load is then refused naming the first; with --wait it starts when the first has
finished, and the database ends up exactly the second load's ledgers.
"""

from __future__ import annotations

import os
import select
import socket
import subprocess
import sys
import time

import pytest

from graphmodel.errors import StoreError
from loaders import load_ledgers
from loaders.neo4j import load_graph_into_neo4j
from loaders.neo4j.lock import LOCK_LABEL, WHOLE_DATABASE, LoadLocked
from loaders.sample import generate_sample
from neo4j_fakes import tiny_graph
from queries.neo4j import run_cypher
from test_neo4j_integration import _contents, _expected

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _load_command(folder, *flags: str) -> list[str]:
    return [sys.executable, "-c", "from gridgraph.cli import main; main()", "load", str(folder),
            "--neo4j", *flags]


def _locks(live) -> list[dict]:
    return run_cypher(live.driver, f"MATCH (l:{LOCK_LABEL}) RETURN l.load_id AS load_id, "
                                   "l.part AS part ORDER BY part", database=live.database)[1]


def _wait_for(condition, what: str, seconds: float = 120):
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.05)
    return found


def _stderr_line(process: subprocess.Popen, containing: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.2)
        if ready:
            line = process.stderr.readline()
            if containing in line:
                return line
            assert line or process.poll() is None, f"process ended without saying {containing!r}"
    raise AssertionError(f"never said {containing!r}")


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    """Two ledger sets of the same district (different seeds: different compounds, people …)."""
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    generate_sample(first, scale="community", seed=7)
    generate_sample(second, scale="community", seed=8)
    graphs = load_ledgers(first).graph, load_ledgers(second).graph
    districts = [sorted(key[1] for key, _ in graph.nodes("District")) for graph in graphs]
    assert districts[0] == districts[1], "the two ledger sets must be of one district"
    return (first, second), graphs, ",".join(districts[0])


def test_a_second_load_of_the_scope_is_refused_and_one_with_wait_follows(ledgers, live_neo4j):
    (first, second), (graph_first, graph_second), scope = ledgers
    live, env = live_neo4j, os.environ.copy()
    live.wipe()
    # The District as an older ledger had it (another name, so another hash): the load rewrites it.
    district = next(attrs for _, attrs in graph_first.nodes("District"))
    name = district["name"]
    district["name"] = name + "（改）"
    try:
        load_graph_into_neo4j(graph_first, live.driver, database=live.database)
    finally:
        district["name"] = name
    with live.driver.session(database=live.database) as session:
        blocker = session.begin_transaction()  # holds the District: the first load stops there
        blocker.run("MATCH (d:District) SET d.name = d.name").consume()
        running = subprocess.Popen(_load_command(first), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=env)
        try:
            [lock, *_] = _wait_for(lambda: _locks(live), "the first load's lock")
            refused = subprocess.run(_load_command(second), capture_output=True, text=True,
                                     env=env, timeout=300)
            assert refused.returncode == 1, refused.stderr
            assert (f"Error: another load of an overlapping scope is running: load "
                    f"{lock['load_id']} of scope {scope}") in refused.stderr
            assert "--wait" in refused.stderr and "Traceback" not in refused.stderr
            waiting = subprocess.Popen(_load_command(second, "--wait"), stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True, env=env)
            said = _stderr_line(waiting, "note: waiting for load")
            assert lock["load_id"] in said
        finally:
            blocker.rollback()
        assert running.wait(timeout=300) == 0, running.stderr.read()
        assert waiting.wait(timeout=300) == 0, waiting.stderr.read()
    assert _locks(live) == []
    assert _contents(live.driver, live.database) == _expected(graph_second, scope)


def _plant_lock(live, *, part: str = "D1", scope: str = "D1", load_id: str, host: str = "elsewhere",
                pid: int = 1, started: str = "datetime()", heartbeat: str = "datetime()") -> None:
    """A lock on ``part`` as another load would have left it (``started``/``heartbeat``: Cypher)."""
    live.wipe()
    live.driver.execute_query(
        f"CREATE (:{LOCK_LABEL} {{part: $part, scope: $scope, load_id: $load_id, host: $host, "
        f"pid: $pid, started: {started}, heartbeat: {heartbeat}}})",
        part=part, scope=scope, load_id=load_id, host=host, pid=pid, database_=live.database)


def test_an_empty_database_is_built_alone_unless_another_load_runs(live_neo4j):
    live = live_neo4j
    _plant_lock(live, part="D9", scope="D9", load_id="beside")  # another district's load, running
    beside = load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert not beside.alone and _locks(live) == [{"load_id": "beside", "part": "D9"}]
    live.driver.execute_query(f"MATCH (l:{LOCK_LABEL}) DELETE l", database_=live.database)
    assert _contents(live.driver, live.database) == _expected(tiny_graph(), "D1")
    live.wipe()  # now nothing runs beside the load
    alone = load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert alone.alone and alone.relationships_created == tiny_graph().nx.number_of_edges()
    assert _locks(live) == [] and _contents(live.driver, live.database) == _expected(tiny_graph(), "D1")
    again = load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert not again.alone and not again.changed


def test_no_load_runs_beside_one_that_builds_the_database_alone(live_neo4j):
    live = live_neo4j
    _plant_lock(live, part=WHOLE_DATABASE, scope="D9", load_id="alone")
    with pytest.raises(LoadLocked, match="load alone of scope D9 .* holds \\(whole database\\)"):
        load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert live.counts() == (1, 0)  # nothing loaded; its lock kept
    live.driver.execute_query(f"MATCH (l:{LOCK_LABEL}) DELETE l", database_=live.database)


def test_a_lock_without_a_recent_heartbeat_is_taken_over(live_neo4j):
    live = live_neo4j
    _plant_lock(live, load_id="gone", started="datetime() - duration('PT2H')",
                heartbeat="datetime() - duration('PT1H')")
    load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert _locks(live) == []
    assert _contents(live.driver, live.database) == _expected(tiny_graph(), "D1")


def test_a_live_lock_of_another_host_is_respected_and_names_its_load(live_neo4j):
    live = live_neo4j
    _plant_lock(live, scope="D1,D2", load_id="abc123", pid=4242,
                started="datetime('2026-12-05T10:00:00Z')")
    with pytest.raises(LoadLocked, match="load abc123 of scope D1,D2 \\(host elsewhere, pid 4242, "
                                         "started 2026-12-05T10:00:00Z\\) holds D1"):
        load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert live.counts() == (1, 0)  # nothing loaded; the other load's lock kept
    live.driver.execute_query(f"MATCH (l:{LOCK_LABEL}) DELETE l", database_=live.database)


def test_the_lock_of_a_dead_process_on_this_host_is_taken_over_at_once(live_neo4j):
    live = live_neo4j
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True)
    _plant_lock(live, load_id="killed", host=socket.gethostname(), pid=int(finished.stdout))
    load_graph_into_neo4j(tiny_graph(), live.driver, database=live.database)
    assert _locks(live) == []


def test_a_failed_load_releases_its_lock(live_neo4j):
    live = live_neo4j
    live.wipe()
    graph = tiny_graph()
    with pytest.raises(StoreError):
        load_graph_into_neo4j(graph, live.driver, database=live.database,
                              progress=lambda *step: (_ for _ in ()).throw(StoreError("stop")))
    assert _locks(live) == []
