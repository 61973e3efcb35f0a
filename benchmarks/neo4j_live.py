"""Neo4j on a real server, side by side with the embedded store, at city scale.

Usage (with a server of your own, e.g. ``make neo4j-up``)::

    NEO4J_URI=bolt://127.0.0.1:7687 python benchmarks/neo4j_live.py [--scale city] [--seed 7]

Runs the real commands as processes, the way an analyst does: ``gridgraph load --neo4j`` of the
generated sample (into an emptied database), the same load again with nothing changed, ``export
neo4j-admin`` and Neo4j's own importer (``org.neo4j.cli.AdminTool database import full`` from
``tools/neo4j/lib``), then every question on both backends in one process (answer time per question,
embedded after ``open_graph``, Neo4j over Bolt). Wall clock; the machine is shared, so repeated runs
vary. Writes ``benchmarks/NEO4J.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import neo4j  # noqa: E402

import queries  # noqa: E402
from graphmodel.neo4j import connect, resolve_database  # noqa: E402
from loaders.store import open_graph  # noqa: E402
from queries.neo4j import Neo4jBackend  # noqa: E402
from loaders.sample import DEFAULT_AS_OF  # noqa: E402

GRIDGRAPH = str(Path(sys.executable).with_name("gridgraph"))
LIB = ROOT / "tools" / "neo4j" / "lib"
GOALS = {"load": 60.0, "reload": 20.0, "audit": 2.0}


def timed(command: list[str], **kwargs) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        sys.exit(f"failed: {shlex.join(command)}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "NEO4J.md"))
    args = parser.parse_args()
    driver = connect()
    database = resolve_database()
    work = Path(tempfile.mkdtemp(prefix="gridgraph-neo4j-bench-"))
    ledgers, snapshot = work / "ledgers", work / "city.snapshot.json.gz"
    timed([GRIDGRAPH, "sample", str(ledgers), "--scale", args.scale, "--seed", str(args.seed)])
    rows = sum(max(0, len(path.read_text(encoding="utf-8").splitlines()) - 1)
               for path in ledgers.glob("*.csv"))
    driver.execute_query("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
                         database_=database)
    results: list[tuple[str, float, str]] = []
    seconds, _ = timed([GRIDGRAPH, "load", str(ledgers), "-o", str(snapshot)])
    results.append(("embedded: `gridgraph load` → snapshot", seconds, ""))
    seconds, out = timed([GRIDGRAPH, "load", str(ledgers), "--neo4j"])
    results.append(("Neo4j: `gridgraph load --neo4j` (empty database)", seconds,
                    f"{rows / seconds:,.0f} ledger rows/s; goal {GOALS['load']:.0f} s"))
    seconds, out = timed([GRIDGRAPH, "load", str(ledgers), "--neo4j"])
    results.append(("Neo4j: the same load again, nothing changed", seconds,
                    f"{out.strip().splitlines()[-1][-90:]}; goal {GOALS['reload']:.0f} s"))
    seconds, _ = timed([GRIDGRAPH, "export", "neo4j-admin", str(work / "export"),
                        "--from", str(snapshot)])
    results.append(("`gridgraph export neo4j-admin`", seconds, ""))
    home = work / "imported"
    (home / "conf").mkdir(parents=True)
    files = sorted((work / "export").glob("*.csv"))
    seconds, _ = timed(
        ["java", "-Xmx1g", "-cp", str(LIB / "*"), "org.neo4j.cli.AdminTool", "database", "import",
         "full", *(f"--nodes={f.name}" for f in files if "__" not in f.name),
         *(f"--relationships={f.name}" for f in files if "__" in f.name),
         "--multiline-fields=true", "--overwrite-destination", "neo4j"],
        cwd=work / "export", env={**os.environ, "NEO4J_HOME": str(home),
                                  "NEO4J_CONF": str(home / "conf")})
    results.append(("Neo4j's importer on that export (`neo4j-admin database import full`)",
                    seconds, ""))

    started = time.perf_counter()
    graph = open_graph(str(snapshot))
    results.append(("embedded: open the snapshot", time.perf_counter() - started, ""))
    backend = Neo4jBackend(driver, database)
    audits = []
    for code in queries.QUESTIONS:
        started = time.perf_counter()
        embedded = queries.run(code, graph, as_of=DEFAULT_AS_OF)
        middle = time.perf_counter()
        live = queries.run(code, backend, as_of=DEFAULT_AS_OF)
        ended = time.perf_counter()
        same = live.model_dump(mode="json") == embedded.model_dump(mode="json")
        audits.append((code, middle - started, ended - middle, same))
    driver.close()
    _write(args, rows, results, audits, driver)


def _write(args, rows, results, audits, driver) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    lines = [
        "# Neo4j on a real server, beside the embedded store",
        "",
        f"Generated by `NEO4J_URI=… python benchmarks/neo4j_live.py --scale {args.scale} "
        f"--seed {args.seed}` on {dt.date.today()}: {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, Neo4j 5.26 Community from `tools/neo4j` "
        "(heap 1 GB, page cache 256 MB), the machine shared with other work. "
        f"{args.scale} sample at seed {args.seed}: {rows:,} ledger rows.",
        "",
        "| step | wall | note |",
        "|---|---|---|",
        *(f"| {step} | {seconds:.1f} s | {note} |" for step, seconds, note in results),
        "",
        "Each question on the loaded city, answer time (embedded after the snapshot is open; "
        f"Neo4j over Bolt, goal {GOALS['audit']:.0f} s each), and whether the answers are equal:",
        "",
        "| question | embedded | Neo4j | equal |",
        "|---|---|---|---|",
        *(f"| {code} | {e:.2f} s | {n:.2f} s | {'yes' if same else '**no**'} |"
          for code, e, n, same in audits),
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
