"""Peak memory and wall time of the listing ceiling on issue 29's load: 1.99 M buildings in one compound.

    .venv/bin/python benchmarks/listing_ceiling.py                     # into /tmp/listing-ceiling
    .venv/bin/python benchmarks/listing_ceiling.py --buildings 200000 --work DIR

Writes the minimal test ledgers (tests/ledger_factory.py) with ``--buildings`` more buildings in
compound X1 (no grid covers them: every one is a blind spot of B5 and missing from C5's rate),
loads them into a snapshot, then runs each command that could list them as its own process and
reads that process's peak RSS and wall time from ``os.wait4``. Prints a Markdown table
(docs/security.md, "Measured"). Peak RSS does not depend on what else the machine runs; wall
time does, so the table is led by the load average.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from ledger_factory import minimal_ledgers, table, write_ledgers  # noqa: E402

from loaders.specs import LEDGERS_BY_NAME  # noqa: E402

GRIDGRAPH = str(Path(sys.executable).with_name("gridgraph"))
AS_OF = "2026-06-30"
COMPOUND = "X1"
COMMUNITY = "C1"


def write_many_buildings(folder: Path, count: int) -> Path:
    """The minimal ledgers, and ``count`` more buildings in compound X1, written row by row."""
    ledgers = minimal_ledgers()
    write_ledgers(folder, ledgers)
    header, *rows = table("buildings", ledgers["buildings"])
    with open(folder / f"{LEDGERS_BY_NAME['buildings'].zh}.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerows([f"BB{number}", f"{number}号楼", COMPOUND] for number in range(count))
    return folder


def measured(args: list[str]) -> tuple[int, float, float, str]:
    """Exit status, peak RSS (MB), wall seconds and the last line of the output of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, by wait4, not by Popen
    said = next((line for line in reversed(output.splitlines()) if line.startswith("Error:")),
                output.strip().splitlines()[-1] if output.strip() else "")
    return process.returncode, usage.ru_maxrss / 1024, seconds, said


def _cpu_model() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    return next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")),
                platform.machine())


def _memory() -> str:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return f"{pages / 2 ** 30:.0f} GiB memory"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=1_990_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/listing-ceiling"))
    options = parser.parse_args()
    work = options.work
    ledgers = work / "ledgers"
    snapshot = work / "big.snapshot"
    if not snapshot.exists():
        write_many_buildings(ledgers, options.buildings)
    commands = {
        "load (setup)": [GRIDGRAPH, "load", str(ledgers), "-o", str(snapshot)],
        "audit B5": [GRIDGRAPH, "audit", "B5", str(snapshot), "--as-of", AS_OF],
        "audit C5": [GRIDGRAPH, "audit", "C5", str(snapshot), "--as-of", AS_OF],
        "report": [GRIDGRAPH, "report", str(snapshot), "--as-of", AS_OF, "-o", str(work / "report.html")],
        "view community": [GRIDGRAPH, "view", "community", COMMUNITY, str(snapshot), "--as-of", AS_OF,
                           "-o", str(work / "community.html")],
    }
    if snapshot.exists():
        del commands["load (setup)"]
    print(f"{platform.node()}: {os.cpu_count()} cores ({_cpu_model()}), {_memory()}, "
          f"Python {platform.python_version()}; load average before: "
          f"{', '.join(f'{value:.2f}' for value in os.getloadavg())}\n")
    print(f"| command ({options.buildings:,} buildings in one compound) | exit | peak RSS | wall | says |")
    print("|---|---:|---:|---:|---|")
    for name, args in commands.items():
        code, megabytes, seconds, said = measured(args)
        print(f"| `{name}` | {code} | {megabytes:,.0f} MB | {seconds:.1f} s | {said[:160]} |", flush=True)
    print(f"\nload average after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
