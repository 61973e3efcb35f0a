"""A province in Neo4j, loaded the way the README tells a user to: district by district.

Usage (alone on the machine, with a server sized for it)::

    NEO4J_HEAP=4g NEO4J_PAGECACHE=10g make neo4j-up
    NEO4J_URI=bolt://127.0.0.1:7687 python benchmarks/neo4j_province.py [--ledgers DIR] [--seed 7]

The province sample (80 districts, about 6.8 million ledger rows) is refused by the embedded
store, so it is written one folder per district (``gridgraph sample --scale province
--by-district``; generated first unless ``--ledgers`` names such a folder, not timed) and each
folder is loaded with its own ``gridgraph load DIR --neo4j`` process into one database, emptied
first. Then: one district loaded again with nothing changed (a re-load, which reads the whole
database for what vanished), ``gridgraph export neo4j-admin`` of every district and Neo4j's
importer on all of them at once, and every question on the loaded province over Bolt. Each load's
wall time and the client's peak memory are recorded, so that the time of a district can be set
against its rows and against how much the database held before it; the server's peak memory is
its process's high-water mark, the store's size what ``du`` says of its data folder.

Writes the province section of ``benchmarks/NEO4J.md`` (between its ``province`` markers; the
city figures of ``neo4j_live.py`` around it are kept).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import queries  # noqa: E402
from graphmodel.neo4j import connect, resolve_database  # noqa: E402
from loaders.sample import DEFAULT_AS_OF  # noqa: E402
from loaders.specs import footer_note  # noqa: E402
from queries.neo4j import Neo4jBackend  # noqa: E402
from neo4j_live import importer, measured  # noqa: E402  (this folder is on the path of a script run from it)

GRIDGRAPH = str(Path(sys.executable).with_name("gridgraph"))
GOALS = {"load": 15 * 60.0, "question": 10.0}
REPORT = ROOT / "benchmarks" / "NEO4J.md"
BEGIN, END = "<!-- province: benchmarks/neo4j_province.py -->", "<!-- /province -->"


def ledger_rows(folder: Path) -> int:
    """Ledger rows of the folder's CSV files (headers and the clerks' footer lines left out)."""
    rows = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(footer_note(row) is None for row in csv.reader(handle)) - 1
    return rows


def server_peak_mb() -> int:
    """The Neo4j process's peak resident memory (``make neo4j-up`` writes its pid)."""
    port = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687").rsplit(":", 1)[-1]
    pid = (ROOT / f".neo4j-{port}" / "neo4j.pid").read_text().strip()
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) // 1024


def store_mb() -> int:
    port = os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687").rsplit(":", 1)[-1]
    done = subprocess.run(["du", "-sm", str(ROOT / f".neo4j-{port}" / "data")], capture_output=True, text=True)
    return int(done.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ledgers", help="a province sample written --by-district (generated if absent)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", default=str(REPORT), help="the Markdown file whose province section is written")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gridgraph-province-"))
    ledgers = Path(args.ledgers) if args.ledgers else work / "province"
    if not args.ledgers:
        measured([GRIDGRAPH, "sample", str(ledgers), "--scale", "province", "--seed", str(args.seed),
                  "--by-district"])
    districts = sorted(path for path in ledgers.iterdir() if path.is_dir())
    rows = {district: ledger_rows(district) for district in districts}

    driver = connect()
    database = resolve_database()
    with driver.session(database=database) as session:  # IN TRANSACTIONS: an implicit one only
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    load_before = os.getloadavg()

    loads = []  # (district, rows, seconds, client MB)
    for number, district in enumerate(districts, start=1):
        seconds, peak, _ = measured([GRIDGRAPH, "load", str(district), "--neo4j"])
        loads.append((district.name, rows[district], seconds, peak))
        print(f"{number}/{len(districts)} {district.name}: {rows[district]:,} rows in {seconds:.1f} s "
              f"({rows[district] / seconds:,.0f} rows/s), client {peak} MB", flush=True)
    middle = districts[len(districts) // 2]
    reload_seconds, reload_peak, reload_out = measured([GRIDGRAPH, "load", str(middle), "--neo4j"])
    server_peak, store = server_peak_mb(), store_mb()

    # Export and import before the questions: a child's peak memory (``ru_maxrss``) counts what it
    # inherited at fork, and the questions make this process large.
    export_seconds, export_peak, _ = measured([GRIDGRAPH, "export", "neo4j-admin", str(work / "export"),
                                               "--areas", str(ledgers)])
    command, options = importer(work / "export", work / "imported", heap="4g")
    import_seconds, import_peak, _ = measured(command, **options)
    shutil.rmtree(work / "imported", ignore_errors=True)

    backend = Neo4jBackend(driver, database)
    answers = []  # (code, seconds, rows listed)
    for code in queries.QUESTIONS:
        started = time.perf_counter()
        result = queries.run(code, backend, as_of=DEFAULT_AS_OF)
        answers.append((code, time.perf_counter() - started, len(result.listed())))
        print(f"{code}: {answers[-1][1]:.1f} s", flush=True)
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    driver.close()
    load_after = os.getloadavg()
    _write(args, loads, (reload_seconds, reload_peak, "scope " + reload_out.rsplit("scope ", 1)[-1].strip()), server_peak,
           store, answers, client_peak, (export_seconds, export_peak), (import_seconds, import_peak),
           (load_before, load_after))


def _write(args, loads, reload, server_peak, store, answers, client_peak, export, imported,
           load_averages) -> None:
    total_rows = sum(row for _, row, _, _ in loads)
    total_seconds = sum(seconds for _, _, seconds, _ in loads)
    rates = [row / seconds for _, row, seconds, _ in loads]
    tenth = max(1, len(loads) // 10)
    first, last = loads[:tenth], loads[-tenth:]
    rate = lambda part: sum(r for _, r, _, _ in part) / sum(s for _, _, s, _ in part)  # noqa: E731
    slowest = max(answers, key=lambda answer: answer[1])
    over = [f"{code} ({seconds:.1f} s)" for code, seconds, _ in answers if seconds > GOALS["question"]]
    lines = [
        BEGIN,
        "## A province, district by district",
        "",
        f"Generated by `NEO4J_URI=… python benchmarks/neo4j_province.py --seed {args.seed}` on "
        f"{dt.date.today()}: {os.cpu_count()} cores, Python {platform.python_version()}, Neo4j 5.26 "
        f"Community from `make neo4j-up` (heap {os.environ.get('NEO4J_HEAP', '2g')}, page cache "
        f"{os.environ.get('NEO4J_PAGECACHE', '1g')}). Load average (1, 5, 15 min) before the loads "
        f"{_loads(load_averages[0])}, at the end {_loads(load_averages[1])}. Province sample at seed "
        f"{args.seed}, by district: {len(loads)} folders, {total_rows:,} ledger rows.",
        "",
        f"| province ({len(loads)} districts) | figure | goal |",
        "|---|---|---|",
        f"| first load, one `gridgraph load DIR --neo4j` per district | {total_seconds / 60:.1f} min "
        f"({total_rows / total_seconds:,.0f} rows/s) | ≤ {GOALS['load'] / 60:.0f} min |",
        f"| the first {tenth} districts / the last {tenth} | {rate(first):,.0f} / {rate(last):,.0f} rows/s | "
        f"the same: a district costs its own rows |",
        f"| slowest / fastest district | {min(rates):,.0f} / {max(rates):,.0f} rows/s | |",
        f"| client peak memory (largest district) | {max(peak for *_, peak in loads)} MB | |",
        f"| server peak memory (process high-water mark) | {server_peak:,} MB | |",
        f"| store size (`du -sm` of the data folder) | {store:,} MB | |",
        f"| one district loaded again, nothing changed | {reload[0]:.1f} s, client {reload[1]} MB | "
        f"{reload[2]} |",
        f"| `gridgraph export neo4j-admin --areas`: every district, one import | {export[0]:.0f} s, "
        f"{export[1]:,} MB | |",
        f"| Neo4j's importer on it (its `import.sh`: one file per label for all {len(loads)} districts) | "
        f"{imported[0]:.0f} s, {imported[1]:,} MB | |",
        f"| every question over Bolt | {sum(s for _, s, _ in answers):.0f} s in all, slowest "
        f"{slowest[0]} {slowest[1]:.1f} s; client peak {client_peak:,} MB | each ≤ "
        f"{GOALS['question']:.0f} s{': missed by ' + ', '.join(over) if over else ': met'} |",
        "",
        "Each district's load:",
        "",
        "| district | rows | wall | rows/s | client peak |",
        "|---|---|---|---|---|",
        *(f"| {name} | {row:,} | {seconds:.1f} s | {row / seconds:,.0f} | {peak} MB |"
          for name, row, seconds, peak in loads),
        "",
        "Each question on the province (Neo4j over Bolt; the embedded store refuses a province):",
        "",
        "| question | Neo4j | blind spots or candidates listed |",
        "|---|---|---|",
        *(f"| {code} | {seconds:.2f} s | {listed:,} |" for code, seconds, listed in answers),
        END,
        "",
    ]
    report = Path(args.report)
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    if BEGIN in text:
        text = text[:text.index(BEGIN)] + text[text.index(END) + len(END):].lstrip("\n")
    report.write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _loads(averages: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.2f}" for value in averages)


if __name__ == "__main__":
    main()
