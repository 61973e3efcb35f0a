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
import csv
import datetime as dt
import os
import platform
import shlex
import shutil
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
#: Where benchmarks/neo4j_province.py's section of the report begins (kept when this one writes).
PROVINCE = "<!-- province: "
GOALS = {"load": 60.0, "reload": 20.0, "changed": 25.0, "audit": 2.0}


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
    with driver.session(database=database) as session:  # IN TRANSACTIONS: an implicit one only
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    load_before = os.getloadavg()
    results: list[tuple[str, float, str]] = []
    seconds, _ = timed([GRIDGRAPH, "load", str(ledgers), "-o", str(snapshot)])
    results.append(("embedded: `gridgraph load` → snapshot", seconds, ""))
    seconds, out = timed([GRIDGRAPH, "load", str(ledgers), "--neo4j"])
    results.append(("Neo4j: `gridgraph load --neo4j` (empty database)", seconds,
                    f"{rows / seconds:,.0f} ledger rows/s; goal {GOALS['load']:.0f} s"))
    seconds, out = timed([GRIDGRAPH, "load", str(ledgers), "--neo4j"])
    results.append(("Neo4j: the same load again, nothing changed", seconds,
                    f"{out.strip().splitlines()[-1][-90:]}; goal {GOALS['reload']:.0f} s"))
    changed = work / "changed"
    edited = _edit_names(ledgers, changed, share=0.01)
    seconds, out = timed([GRIDGRAPH, "load", str(changed), "--neo4j"])
    results.append((f"Neo4j: a load with 1% of the rows changed ({edited:,} names)", seconds,
                    f"{out.strip().splitlines()[-1][-90:]}; goal {GOALS['changed']:.0f} s"))
    seconds, out = timed([GRIDGRAPH, "load", str(ledgers), "--neo4j"])  # back to the sample
    seconds, _ = timed([GRIDGRAPH, "export", "neo4j-admin", str(work / "export"),
                        "--from", str(snapshot)])
    results.append(("`gridgraph export neo4j-admin`", seconds, ""))
    command, options = importer(sorted((work / "export").glob("*.csv")), work / "imported", heap="1g")
    seconds, _ = timed(command, **options)
    results.append(("Neo4j's importer on that export (`neo4j-admin database import full`)",
                    seconds, ""))

    as_of = DEFAULT_AS_OF.isoformat()
    embedded_all, _ = timed([GRIDGRAPH, "audit", "all", str(snapshot), "--as-of", as_of, "--format", "json",
                             "-o", str(work / "embedded.json")])
    results.append(("embedded: `gridgraph audit all` (every question, JSON)", embedded_all, ""))
    neo4j_all, _ = timed([GRIDGRAPH, "audit", "all", "--neo4j", "--as-of", as_of, "--format", "json",
                          "-o", str(work / "neo4j.json")])
    results.append(("Neo4j: `gridgraph audit all --neo4j` (every question, JSON)", neo4j_all,
                    f"{neo4j_all / embedded_all:.1f}× the embedded; goal 3×"))
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
    _write(args, rows, results, audits, (load_before, os.getloadavg()))


def importer(files: list[Path], home: Path, heap: str) -> tuple[list[str], dict]:
    """The command and keywords that run Neo4j's importer (``database import full``, from
    ``tools/neo4j/lib``) on exported ``files`` into a fresh ``home``, each file its own group (each
    has its own header line); ``import.report`` lands in ``home``."""
    (home / "conf").mkdir(parents=True)
    command = ["java", f"-Xmx{heap}", "-cp", str(LIB / "*"), "org.neo4j.cli.AdminTool", "database", "import",
               "full", *(f"--nodes={f}" for f in files if "__" not in f.name),
               *(f"--relationships={f}" for f in files if "__" in f.name),
               "--multiline-fields=true", "--overwrite-destination", "neo4j"]
    return command, {"cwd": home, "env": {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}}


def _edit_names(ledgers: Path, out: Path, share: float) -> int:
    """A copy of ``ledgers`` with ``share`` of all its rows changed: the name of every n-th row
    of the files that hold names gets a suffix. How many names were changed."""
    shutil.copytree(ledgers, out)
    tables = {}
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            tables[path] = list(csv.reader(handle))
    named = {path: column for path, table in tables.items()
             if (column := next((i for i, name in enumerate(table[0])
                                 if name.endswith("名称") or name == "姓名"), None)) is not None}
    total = sum(len(table) - 1 for table in tables.values())
    named_rows = sum(len(tables[path]) - 1 for path in named)
    every = max(1, round(named_rows / (share * total)))
    edited = 0
    for path, column in named.items():
        table = tables[path]
        for number, row in enumerate(table[1:], start=1):
            if number % every == 0 and len(row) > column and row[column]:
                row[column] += "（改）"
                edited += 1
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(table)
    return edited


def _write(args, rows, results, audits, load_averages) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    lines = [
        "# Neo4j on a real server, beside the embedded store",
        "",
        f"Generated by `NEO4J_URI=… python benchmarks/neo4j_live.py --scale {args.scale} "
        f"--seed {args.seed}` on {dt.date.today()}: {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, Neo4j 5.26 Community from `make neo4j-up` "
        f"(heap {os.environ.get('NEO4J_HEAP', '2g')}, page cache {os.environ.get('NEO4J_PAGECACHE', '1g')}). "
        f"Load average (1, 5, 15 min) before the run {_loads(load_averages[0])}, after it "
        f"{_loads(load_averages[1])}. {args.scale} sample at seed {args.seed}: {rows:,} ledger rows.",
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
    out = Path(args.out)
    kept = out.read_text(encoding="utf-8") if out.exists() else ""  # the province's section
    province = kept[kept.index(PROVINCE):] if PROVINCE in kept else ""
    out.write_text("\n".join(lines) + ("\n" + province if province else ""), encoding="utf-8")
    print("\n".join(lines))


def _loads(averages: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in averages)


if __name__ == "__main__":
    main()
