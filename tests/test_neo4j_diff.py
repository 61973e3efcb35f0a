"""Change over time against the live Neo4j: the embedded and the Cypher side of a diff agree.

A snapshot compared with the same ledgers loaded into Neo4j shows no change; after the next
quarter is loaded into Neo4j, the diff from the snapshot to Neo4j equals the diff between the
two folders computed embedded — and ``gridgraph diff OLD --neo4j`` says the same.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import queries
from graphmodel.snapshot import save_snapshot
from gridgraph.cli import main
from loaders import load_ledgers
from loaders.neo4j import load_graph_into_neo4j
from loaders.sample import generate_sample
from loaders.sample_evolve import evolve_sample
from queries.neo4j import Neo4jBackend

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

SCOPE = "gridgraph-diff-test"


@pytest.fixture(scope="module")
def quarters(tmp_path_factory):
    """The county sample's snapshot, its graph, the next quarter's graph and the evolve summary."""
    base = tmp_path_factory.mktemp("quarters")
    generate_sample(base / "q2", scale="county", seed=7)
    evolved = evolve_sample(base / "q3", scale="county", seed=7)
    old = load_ledgers(base / "q2").graph
    snapshot = base / "q2.snapshot.json.gz"
    save_snapshot(old, snapshot)
    return snapshot, old, load_ledgers(base / "q3").graph, evolved


def test_a_snapshot_and_the_same_ledgers_in_neo4j_do_not_differ(live_neo4j, quarters):
    snapshot, old, _, evolved = quarters
    live_neo4j.wipe()
    load_graph_into_neo4j(old, live_neo4j.driver, database=live_neo4j.database, scope=SCOPE)
    server = Neo4jBackend(live_neo4j.driver, live_neo4j.database)
    changes = queries.diff(old, server, by="community", as_of_old=evolved.as_of_old, as_of_new=evolved.as_of_old)
    assert changes.empty, changes.model_dump()
    assert len(changes.rates) > len(queries.RATE_CODES)  # every community's rates were compared


def test_the_next_quarter_in_neo4j_gives_the_embedded_diff(live_neo4j, quarters):
    snapshot, old, new, evolved = quarters
    live_neo4j.wipe()
    load_graph_into_neo4j(new, live_neo4j.driver, database=live_neo4j.database, scope=SCOPE)
    server = Neo4jBackend(live_neo4j.driver, live_neo4j.database)
    dates = {"as_of_old": evolved.as_of_old, "as_of_new": evolved.as_of_new}
    embedded = queries.diff(old, new, by="street", **dates)
    assert not embedded.empty
    assert queries.diff(old, server, by="street", **dates) == embedded
    result = CliRunner().invoke(main, ["diff", str(snapshot), "--neo4j", "--as-of-old", str(evolved.as_of_old),
                                       "--as-of-new", str(evolved.as_of_new), "--by", "street", "--format", "json",
                                       "--show-pii"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"][0]["result"] == embedded.model_dump(mode="json")
