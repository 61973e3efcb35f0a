"""Scale benchmark: parse floor, full load, snapshot save/open, all audits and peak memory per scale.

Usage::

    python benchmarks/run.py [--scales county,city,province] [--out benchmarks/RESULTS.md]

Each scale is generated with ``loaders.sample.generate_sample`` into a temporary folder. Every
phase runs in a fresh subprocess of this script (``--phase``) so that its peak memory is its own:
``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the peak resident set of that process (interpreter
and imports included; the table also gives the growth over the process's peak before the phase).
Times are wall clock (``perf_counter``) and CPU (``process_time``): the machine is shared, so CPU
time is the steadier figure. Before a scale is loaded its peak memory is projected from the
largest scale already measured (bytes per ledger row); a projection over ``--memory-budget`` is
not loaded by the benchmark but shown being refused by the library's own row ceiling
(``GRIDGRAPH_MAX_ROWS``, see ``loaders.reading``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import io
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Targets of issue 5.
LOAD_OVER_PARSE_TARGET = 3.0
AUDITS_TARGET_SECONDS = 2.0
MEMORY_TARGET_MB = 2048
PHASES = ("parse", "load", "save", "open", "audit")
PHASE_TITLES = {
    "parse": "parse floor (csv module into row lists, nothing else)",
    "load": "full load `loaders.load_ledgers` (parse + validate + build)",
    "save": "snapshot save `graphmodel.snapshot.save_snapshot`",
    "open": "snapshot open `graphmodel.snapshot.load_snapshot`",
    "audit": "all audits `queries.run_group(\"all\", graph)` (one shared index)",
}


# -- phases, each run in its own process ---------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


class _Clock:
    def __init__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> dict[str, float]:
        return {"wall": time.perf_counter() - self.wall, "cpu": time.process_time() - self.cpu}


def _parse_floor(ledgers: Path) -> dict:
    """Every CSV decoded and split into row lists by the csv module: the least any load can do.
    The cyclic GC is off, as it is during ``load_ledgers``."""
    gc.disable()
    clock, rows = _Clock(), 0
    for file in sorted(ledgers.glob("*.csv")):
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows += len(list(csv.reader(io.StringIO(text, newline=""))))
    return {**clock.read(), "rows": rows}


def _full_load(ledgers: Path) -> dict:
    from loaders import load_ledgers

    marks: dict[str, float] = {}

    def progress(step: str, done: int, total: int) -> None:
        marks.setdefault(f"first {step}", time.process_time())
        marks[f"last {step}"] = time.process_time()

    clock = _Clock()
    result = load_ledgers(ledgers, progress=progress)
    times = clock.read()
    end = time.process_time()
    reading, checking, building = "读取 reading", "校验 checking", "建图 building"
    # Progress marks split the CPU time: reading files; parsing rows (checking steps, one per
    # source); index and cross-row rules (up to the first building step); building the graph.
    steps = {"read files": marks[f"last {reading}"] - clock.cpu,
             "parse rows": marks[f"last {checking}"] - marks[f"last {reading}"],
             "check rules": marks[f"first {building}"] - marks[f"last {checking}"],
             "build graph": end - marks[f"first {building}"]}
    graph = result.graph
    return {**times, "steps": steps, "nodes": len(graph), "edges": graph.nx.number_of_edges(),
            "rows": sum(result.rows.values())}


def _save(ledgers: Path, snapshot: Path) -> dict:
    from graphmodel.snapshot import save_snapshot
    from loaders import load_ledgers

    graph = load_ledgers(ledgers).graph
    clock = _Clock()
    save_snapshot(graph, snapshot)
    return {**clock.read(), "bytes": snapshot.stat().st_size}


def _open(snapshot: Path) -> dict:
    from graphmodel.snapshot import load_snapshot

    clock = _Clock()
    graph = load_snapshot(snapshot)
    return {**clock.read(), "nodes": len(graph)}


def _audit(snapshot: Path) -> dict:
    from graphmodel.snapshot import load_snapshot
    from loaders.sample import DEFAULT_AS_OF
    from queries import QUESTIONS, run_group

    graph = load_snapshot(snapshot)
    clock = _Clock()
    results = run_group("all", graph, as_of=DEFAULT_AS_OF)
    times = clock.read()
    per_group = {}
    # Again per kind, for where the time goes (each builds its own index).
    for group in dict.fromkeys(q.kind for q in QUESTIONS.values()):
        group_clock = _Clock()
        run_group(group, graph, as_of=DEFAULT_AS_OF)
        per_group[group] = group_clock.read()["cpu"]
    return {**times, "questions": len(results), "per_group_cpu": per_group}


def _run_phase(phase: str, ledgers: Path, snapshot: Path, budget_mb: float, scale: str, seed: int) -> dict:
    before = _peak_mb()
    if phase == "generate":
        found = _generate(ledgers, scale, seed)
    elif phase == "parse":
        found = _parse_floor(ledgers)
    elif phase == "load":
        found = _full_load(ledgers)
    elif phase == "save":
        found = _save(ledgers, snapshot)
    elif phase == "open":
        found = _open(snapshot)
    elif phase == "guard":
        found = _guard(ledgers, budget_mb)
    else:
        found = _audit(snapshot)
    return {**found, "peak_mb": _peak_mb(), "base_mb": before}


def _guard(ledgers: Path, budget_mb: float) -> dict:
    """A load the row ceiling should refuse: how soon, with what message. The process may use at
    most the memory budget, so a missing refusal ends in MemoryError, not a swamped machine."""
    from graphmodel.errors import GridgraphError
    from loaders import load_ledgers

    limit = int(budget_mb * 2**20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    clock = _Clock()
    try:
        load_ledgers(ledgers)
    except GridgraphError as error:
        return {**clock.read(), "refused": str(error), "hint": error.hint}
    except MemoryError:
        return {**clock.read(), "refused": None, "out_of_memory": True}
    return {**clock.read(), "refused": None}


# -- the driver ----------------------------------------------------------------------------------

def _child(phase: str, ledgers: Path, snapshot: Path, budget_mb: float, scale: str = "",
           seed: int = 0) -> dict:
    """Run one phase in a fresh process. Generation runs in its own process too: a forked child
    starts with its parent's peak RSS, so the driver must stay small for the peaks to be the
    phases' own."""
    command = [sys.executable, str(Path(__file__).resolve()), "--phase", phase,
               "--ledgers", str(ledgers), "--snapshot", str(snapshot), "--memory-budget", str(budget_mb),
               "--scale", scale, "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _generate(folder: Path, scale: str, seed: int) -> dict:
    from loaders.sample import generate_sample

    clock = _Clock()
    summary = generate_sample(folder, scale=scale, seed=seed)
    ledger_bytes = sum(file.stat().st_size for file in folder.glob("*.csv"))
    return {**clock.read(), "rows": sum(summary.counts.values()), "bytes": ledger_bytes}


def _machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), cpu)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": f"{memory:.1f} GiB",
            "Python": platform.python_version(), "platform": platform.platform(),
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg())}


def measure(scales: list[str], seed: int, budget_mb: float, work: Path) -> dict:
    """Measure every phase of every scale; returns the figures ``render`` writes."""
    from loaders.reading import row_ceiling

    figures: dict = {"machine": _machine(), "scales": {}}
    mb_per_row = None
    for scale in scales:
        folder, snapshot = work / scale, work / f"{scale}.snapshot.json.gz"
        print(f"[{scale}] generating", file=sys.stderr, flush=True)
        entry: dict = {"generate": _child("generate", folder, snapshot, budget_mb, scale, seed)}
        figures["scales"][scale] = entry
        rows = entry["generate"]["rows"]
        if mb_per_row is not None:
            entry["projected_mb"] = rows * mb_per_row
        too_big = entry["projected_mb"] > budget_mb if mb_per_row is not None else rows > row_ceiling()
        if too_big:
            print(f"[{scale}] too big to load here; checking the row ceiling refuses it",
                  file=sys.stderr, flush=True)
            entry["guard"] = _child("guard", folder, snapshot, budget_mb)
            continue
        for phase in PHASES:
            print(f"[{scale}] {phase}", file=sys.stderr, flush=True)
            entry[phase] = _child(phase, folder, snapshot, budget_mb)
        mb_per_row = (entry["load"]["peak_mb"] - entry["load"]["base_mb"]) / rows
        snapshot.unlink(missing_ok=True)
    return figures


# -- the report ----------------------------------------------------------------------------------

def _seconds(found: dict) -> str:
    return f"{found['cpu']:.2f} s ({found['wall']:.2f} s wall)"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(figures: dict, command: str) -> str:
    lines = ["# gridgraph at scale", "",
             "Written by `benchmarks/run.py`; do not edit by hand. Every phase ran in a fresh",
             "subprocess. Times are CPU seconds (`time.process_time`) with wall clock in brackets;",
             "the 2 cores are shared with other work, so wall time is noisier. Peak memory is",
             "`resource.getrusage(RUSAGE_SELF).ru_maxrss` of the phase's process (peak RSS, interpreter",
             "and imports included); 'growth' is that peak minus the process's peak before the phase.",
             "The save and audit processes first load the ledgers or the snapshot, so their peak",
             "includes the graph.", "", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in figures["machine"].items()]
    lines += ["", "## Command", "", "```", command, "```", ""]
    for scale, entry in figures["scales"].items():
        generated = entry["generate"]
        lines += [f"## {scale}", "",
                  f"{generated['rows']:,} ledger rows, {generated['bytes'] / 2**20:.1f} MiB of CSV "
                  f"(generated in {generated['cpu']:.1f} s CPU).", ""]
        if "guard" in entry:
            guard = entry["guard"]
            projected = (f"{entry['projected_mb'] / 1024:.1f} GB (bytes per row of the scale before)"
                         if "projected_mb" in entry else "over the library's row ceiling")
            lines += [f"Projected peak memory of a load: {projected}, over the benchmark's budget, "
                      "so it was not loaded. The library's own row ceiling refused it:", ""]
            if guard["refused"]:
                lines += [f"> {guard['refused']}", ">", f"> hint: {guard['hint']}", "",
                          f"Refused after {_seconds(guard)}, peak memory {guard['peak_mb']:.0f} MB.", ""]
            else:
                lines += ["**The load was not refused** (raise the budget or lower the ceiling).", ""]
            continue
        lines += ["| phase | time | peak memory | growth | notes |", "|---|---|---|---|---|"]
        notes = {"parse": f"{entry['parse']['rows']:,} CSV rows incl. headers",
                 "load": f"{entry['load']['nodes']:,} nodes, {entry['load']['edges']:,} relationships",
                 "save": f"snapshot {entry['save']['bytes'] / 2**20:.1f} MiB (gzip JSON)",
                 "open": "", "audit": f"{entry['audit']['questions']} questions"}
        for phase in PHASES:
            found = entry[phase]
            lines.append(f"| {PHASE_TITLES[phase]} | {_seconds(found)} | {found['peak_mb']:.0f} MB | "
                         f"{found['peak_mb'] - found['base_mb']:.0f} MB | {notes[phase]} |")
        load, parse, audit = entry["load"], entry["parse"], entry["audit"]
        ratio = load["cpu"] / parse["cpu"]
        peak = max(entry[phase]["peak_mb"] for phase in PHASES)
        lines += ["", "Where the load's CPU time goes:", "", "| step | CPU s | share |", "|---|---|---|"]
        lines += [f"| {step} | {seconds:.2f} | {seconds / load['cpu']:.0%} |"
                  for step, seconds in load["steps"].items()]
        lines += ["", "Audit CPU per group (each group run alone): " + ", ".join(
            f"{group} {seconds:.2f} s" for group, seconds in audit["per_group_cpu"].items()), "",
                  "| target | measured | |", "|---|---|---|",
                  f"| load within {LOAD_OVER_PARSE_TARGET:g}× the parse floor | {ratio:.1f}× "
                  f"({load['cpu']:.2f} / {parse['cpu']:.2f} s CPU) | {_verdict(ratio <= LOAD_OVER_PARSE_TARGET)} |",
                  f"| all audits under {AUDITS_TARGET_SECONDS:g} s | {audit['cpu']:.2f} s CPU, "
                  f"{audit['wall']:.2f} s wall | {_verdict(audit['wall'] < AUDITS_TARGET_SECONDS)} |",
                  f"| peak memory under {MEMORY_TARGET_MB / 1024:g} GB | {peak:.0f} MB (largest phase) "
                  f"| {_verdict(peak < MEMORY_TARGET_MB)} |", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="county,city,province",
                        help="comma-separated scales of loaders.sample.SCALES")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-budget", type=float, default=8192,
                        help="MB; a scale projected to need more is not loaded")
    parser.add_argument("--phase", choices=[*PHASES, "guard", "generate"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="", help=argparse.SUPPRESS)
    parser.add_argument("--ledgers", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--snapshot", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.phase:
        print(json.dumps(_run_phase(options.phase, options.ledgers, options.snapshot,
                                    options.memory_budget, options.scale, options.seed)))
        return
    command = "python benchmarks/run.py " + " ".join(shlex.quote(arg) for arg in (argv or sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="gridgraph-bench-") as work:
        figures = measure(options.scales.split(","), options.seed, options.memory_budget, Path(work))
    Path(options.out).write_text(render(figures, command.strip()), encoding="utf-8")
    Path(options.out).with_suffix(".json").write_text(json.dumps(figures, indent=1, ensure_ascii=False),
                                                      encoding="utf-8")
    print(f"wrote {options.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
