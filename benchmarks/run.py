"""Benchmark: the real ``gridgraph`` commands timed as whole processes, the way a user runs them.

Usage::

    python benchmarks/run.py [--scale city] [--seed 7] [--province] [--out benchmarks/RESULTS.md]

The sample is generated with ``gridgraph sample DIR --scale SCALE --seed SEED``. Every command
then runs as its own process; ``os.wait4`` gives its CPU time (user + system) and its peak
resident set (``ru_maxrss``), ``perf_counter`` its wall time. The driver stays small (it never
loads a graph), because a child starts with its parent's peak RSS. In the same run:

- the parse floor: a process that reads the same CSV files with the ``csv`` module into row
  lists and does nothing else (also timed inside the process, without interpreter start-up);
- the DuckDB peer (``pip install duckdb``; a benchmark-only extra): a process that reads the CSV
  files those questions need and answers C1 by street, C2, the B1 list and the count of buildings
  covered by no grid.

Each figure is also given as a ratio to the parse floor and to the peer. Every command that
misses its goal is run once more under pyinstrument (``pip install pyinstrument``), and its
profile is written to ``benchmarks/profiles/`` and linked from the results. With ``--province`` the
province scale (6.3M rows) is generated and loaded: the embedded store must refuse it before any
work, or load it within 8 GB. ``benchmarks/RESULTS.md`` (and ``RESULTS.json``) are written from
the figures; do not edit them by hand.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
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
GRIDGRAPH = shutil.which("gridgraph", path=str(Path(sys.executable).parent)) or "gridgraph"

#: (name, arguments after ``gridgraph``, goal wall seconds or None). ``{dir}``: the ledgers,
#: ``{snap}``: the snapshot, ``{out}``: a scratch folder, ``{community}``: the first community
#: of the area ledger, ``{compound}``: the first compound of the compound ledger.
COMMANDS = [
    ("help", ["--help"], 0.3),
    ("load", ["load", "{dir}", "-o", "{snap}"], None),  # goal: 3× the parse floor
    ("stats", ["stats", "{snap}"], 1.5),
    ("audit C1 --by street", ["audit", "C1", "{snap}", "--by", "street"], 2.0),
    ("audit all (terminal)", ["audit", "all", "{snap}"], 4.0),
    ("audit all --format json", ["audit", "all", "{snap}", "--format", "json", "-o", "{out}/a.json"], 6.0),
    ("audit all --format xlsx", ["audit", "all", "{snap}", "--format", "xlsx", "-o", "{out}/a.xlsx"], 15.0),
    # The candidates (R1–R6) take no longer than the gaps they answer (issue 23), whose time is beside them.
    ("audit X2,B1,B15,B18,C10,B13", ["audit", "X2,B1,B15,B18,C10,B13", "{snap}", "-o", "{out}/gaps.md",
                                     "--format", "md"], 4.0),
    ("audit candidates", ["audit", "candidates", "{snap}", "-o", "{out}/candidates.md", "--format", "md"], 4.0),
    ("dossier (the first compound)", ["dossier", "{compound}", "{snap}", "-o", "{out}/dossier.html"], 2.0),
    ("view overview all", ["view", "overview", "all", "{snap}", "-o", "{out}/overview.html"], 3.0),
    ("view community (the first)", ["view", "community", "{community}", "{snap}", "-o", "{out}/community.html"], 3.0),
]
PROFILES = ROOT / "benchmarks" / "profiles"
LOAD_OVER_PARSE_GOAL = 3.0
PEAK_RSS_GOAL_MB = 1024
PROVINCE_MEMORY_GB = 8

#: The DuckDB peer: the files it reads and its four answers (C1 by street, C2, B1, uncovered).
PEER_FILES = ("行政区划", "小区", "党组织", "物业服务", "楼栋", "网格覆盖", "业委会")
PEER_SQL = {
    "C1 by street": """
        SELECT s.编码 AS street, count(*) AS compounds,
               count(*) FILTER (WHERE c.小区编码 IN (SELECT 依托编码 FROM 党组织)) AS covered
        FROM 小区 c JOIN 行政区划 m ON m.编码 = c.所属社区编码 JOIN 行政区划 s ON s.编码 = m.上级编码
        GROUP BY s.编码 ORDER BY s.编码""",
    "C2": """
        SELECT count(*) FILTER (WHERE 小区编码 IN (
                   SELECT 小区编码 FROM 物业服务 WHERE (开始日期 IS NULL OR 开始日期 <= DATE '{as_of}')
                   AND (结束日期 IS NULL OR 结束日期 >= DATE '{as_of}'))), count(*)
        FROM 小区""",
    "B1": "SELECT 小区编码 FROM 小区 WHERE 小区编码 NOT IN (SELECT 依托编码 FROM 党组织) ORDER BY 1",
    "uncovered buildings": """
        SELECT count(*) FROM 楼栋 b WHERE b.楼栋编码 NOT IN (
            SELECT 楼栋编码 FROM 网格覆盖 WHERE 楼栋编码 IS NOT NULL)
          AND b.所属小区编码 NOT IN (SELECT 小区编码 FROM 网格覆盖 WHERE 小区编码 IS NOT NULL)""",
}


# -- processes ------------------------------------------------------------------------------
def run_process(command: list[str], *, stdout=subprocess.DEVNULL, env: dict | None = None) -> dict:
    """Run ``command`` to its end: wall and CPU seconds, peak RSS in MB, exit status."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT,
                               env={**os.environ, **(env or {})})
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024, "exit": process.returncode,
            "stderr": stderr.decode("utf-8", "replace").strip().splitlines()[-3:]}


def parse_floor(folder: Path) -> dict:
    """Inside a child process: every CSV decoded and split into row lists, nothing else."""
    start, cpu, rows = time.perf_counter(), time.process_time(), 0
    for file in sorted(folder.glob("*.csv")):
        raw = file.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        rows += len(list(csv.reader(io.StringIO(text, newline=""))))
    return {"inner_wall": time.perf_counter() - start, "inner_cpu": time.process_time() - cpu,
            "rows": rows}


def duckdb_peer(folder: Path, as_of: str) -> dict:
    """Inside a child process: DuckDB reads the CSV files and answers the four questions."""
    import duckdb

    start, cpu = time.perf_counter(), time.process_time()
    connection = duckdb.connect()
    for name in PEER_FILES:
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto(?, header=true, "
                           "all_varchar=false)", [str(folder / f"{name}.csv")])
    answers = {question: connection.execute(sql.format(as_of=as_of)).fetchall()
               for question, sql in PEER_SQL.items()}
    return {"inner_wall": time.perf_counter() - start, "inner_cpu": time.process_time() - cpu,
            "answers": {"C1 streets": len(answers["C1 by street"]), "C2": answers["C2"][0],
                        "B1": len(answers["B1"]), "uncovered buildings": answers["uncovered buildings"][0][0]}}


def child(kind: str, folder: Path, as_of: str = "") -> dict:
    """This script run as a process for the parse floor or the peer: the process figures plus
    what it measured inside."""
    command = [sys.executable, str(Path(__file__).resolve()), f"--{kind}", str(folder), "--as-of", as_of]
    output = tempfile.TemporaryFile()
    found = run_process(command, stdout=output)
    output.seek(0)
    if found["exit"] != 0:
        return {**found, "failed": True}
    return {**found, **json.loads(output.read().decode().strip().splitlines()[-1])}


# -- the run ------------------------------------------------------------------------------------
def measure(scale: str, seed: int, work: Path, province: bool) -> dict:
    """Every figure of the run. The driver imports nothing of gridgraph: a child starts with the
    peak RSS of its parent."""
    folder, snapshot, out = work / scale, work / f"{scale}.snapshot", work / "out"
    out.mkdir()
    say(f"generating the {scale} sample")
    figures = {"machine": machine(), "scale": scale, "seed": seed,
               "generate": run_process([GRIDGRAPH, "sample", str(folder), "--scale", scale,
                                        "--seed", str(seed)])}
    figures["csv_bytes"] = sum(file.stat().st_size for file in folder.glob("*.csv"))
    say("parse floor")
    figures["parse"] = child("parse-floor", folder)
    say("DuckDB peer")
    figures["peer"] = child("duckdb-peer", folder, dt.date.today().isoformat())  # as the audits
    figures["commands"] = {}
    for name, arguments, _ in COMMANDS:
        say(f"gridgraph {name}")
        command = [GRIDGRAPH, *filled(arguments, folder, snapshot, out)]
        figures["commands"][name] = found = run_process(command)
        written = [part for part in command if part.startswith(str(out))]
        if written and Path(written[0]).exists():
            found["output_mb"] = Path(written[0]).stat().st_size / 2**20
    figures["snapshot_mb"] = snapshot.stat().st_size / 2**20 if snapshot.exists() else None
    profile_misses(figures, folder, snapshot, out)
    if province:
        shutil.rmtree(folder)
        say("generating the province sample")
        province_folder = work / "province"
        run_process([GRIDGRAPH, "sample", str(province_folder), "--scale", "province", "--seed", str(seed)])
        say("gridgraph load province")
        figures["province"] = run_process([GRIDGRAPH, "load", str(province_folder), "-o",
                                           str(work / "province.snapshot")])
    return figures


def filled(arguments: list[str], folder: Path, snapshot: Path, out: Path) -> list[str]:
    """A command's arguments with the placeholders of ``COMMANDS`` filled in."""
    with open(folder / "行政区划.csv", encoding="utf-8-sig", newline="") as handle:
        community = next(row["编码"] for row in csv.DictReader(handle) if row["层级"] == "社区")
    with open(folder / "小区.csv", encoding="utf-8-sig", newline="") as handle:
        compound = next(row["小区编码"] for row in csv.DictReader(handle))
    return [part.format(dir=folder, snap=snapshot, out=out, community=community, compound=compound)
            for part in arguments]


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def machine() -> dict[str, str]:
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


def goal_met(name: str, goal: float | None, found: dict, parse: dict) -> tuple[str, bool]:
    """The goal of one command in words, and whether it was met (peak RSS included)."""
    if goal is None:  # the load
        text, ok = f"≤ {LOAD_OVER_PARSE_GOAL:g}× parse floor", found["cpu"] / parse["cpu"] <= LOAD_OVER_PARSE_GOAL
    else:
        text, ok = f"≤ {goal:g} s", found["wall"] <= goal
    return (f"{text}, ≤ {PEAK_RSS_GOAL_MB / 1024:g} GB",
            ok and found["peak_mb"] <= PEAK_RSS_GOAL_MB and found["exit"] == 0)


def profile_misses(figures: dict, folder: Path, snapshot: Path, out: Path) -> None:
    """Each missed command again under pyinstrument; its text profile into ``PROFILES``."""
    PROFILES.mkdir(exist_ok=True)
    for name, arguments, goal in COMMANDS:
        found = figures["commands"][name]
        if goal_met(name, goal, found, figures["parse"])[1]:
            continue
        say(f"profiling gridgraph {name}")
        target = PROFILES / (name.split(" (")[0].replace(" --", "-").replace(" ", "-") + ".txt")
        command = [sys.executable, "-m", "pyinstrument", "--renderer", "text", "--outfile", str(target),
                   GRIDGRAPH, *filled(arguments, folder, snapshot, out)]
        if run_process(command)["exit"] == 0:
            found["profile"] = str(target.relative_to(ROOT))


# -- the report ---------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def render(figures: dict, command: str) -> str:
    parse, peer, commands = figures["parse"], figures["peer"], figures["commands"]
    lines = ["# gridgraph at scale: commands as a user runs them", "",
             "Written by `benchmarks/run.py`; do not edit by hand. Each command ran once as its own",
             "process: wall time, CPU time (user + system, from `os.wait4`) and peak RSS",
             "(`ru_maxrss`). The 2 cores are shared with other work, so wall time is noisier than",
             "CPU time; the load average below says how busy the machine was.", "",
             "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in figures["machine"].items()]
    lines += ["", "## Command", "", "```", command, "```", "",
              f"## {figures['scale']} sample, seed {figures['seed']}", "",
              f"{parse.get('rows', 0):,} CSV rows (headers included), "
              f"{figures['csv_bytes'] / 2**20:.1f} MiB; snapshot "
              + (f"{figures['snapshot_mb']:.1f} MiB." if figures["snapshot_mb"] else "not written."), ""]
    lines += ["| process | wall | CPU | peak RSS | × parse floor (CPU) | × DuckDB peer (wall) | goal | |",
              "|---|---|---|---|---|---|---|---|"]
    lines.append(f"| parse floor (csv module; {parse['inner_cpu']:.2f} s CPU inside) | "
                 f"{parse['wall']:.2f} s | {parse['cpu']:.2f} s | {parse['peak_mb']:.0f} MB | 1 | | | |")
    if peer.get("failed"):
        lines.append(f"| DuckDB peer | failed: {' '.join(peer['stderr'])} | | | | | | |")
    else:
        lines.append(f"| DuckDB peer: 7 CSV files, C1 by street, C2, B1, uncovered buildings "
                     f"({peer['inner_wall']:.2f} s wall inside) | {peer['wall']:.2f} s | "
                     f"{peer['cpu']:.2f} s | {peer['peak_mb']:.0f} MB | "
                     f"{peer['cpu'] / parse['cpu']:.1f} | 1 | | |")
    for name, _, goal in COMMANDS:
        found = commands[name]
        over_peer = "" if peer.get("failed") else f"{found['wall'] / peer['wall']:.1f}"
        goal_text, ok = goal_met(name, goal, found, parse)
        size = f" ({found['output_mb']:.0f} MB)" if "output_mb" in found else ""
        status = "" if found["exit"] == 0 else f" exit {found['exit']}: {' '.join(found['stderr'])}"
        lines.append(f"| `gridgraph {name}`{size}{status} | {found['wall']:.2f} s | {found['cpu']:.2f} s | "
                     f"{found['peak_mb']:.0f} MB | {found['cpu'] / parse['cpu']:.1f} | {over_peer} | "
                     f"{goal_text} | {verdict(ok)} |")
    profiled = [(name, found["profile"]) for name, found in commands.items() if "profile" in found]
    if profiled:
        lines += ["", "Profiles of the missed goals (pyinstrument, the command run once more): "
                  + ", ".join(f"[{name}]({Path(path).relative_to('benchmarks')})" for name, path in profiled)
                  + "."]
    if not peer.get("failed"):
        lines += ["", "DuckDB's answers (a peer, not a parity check): "
                  + ", ".join(f"{key} {value}" for key, value in peer["answers"].items()) + "."]
    if "province" in figures:
        found = figures["province"]
        refused = found["exit"] != 0
        lines += ["", "## province (6.3M rows)", "",
                  f"`gridgraph load` {'refused it' if refused else 'loaded it'} after {found['wall']:.2f} s "
                  f"wall, {found['cpu']:.2f} s CPU, peak RSS {found['peak_mb']:.0f} MB "
                  f"({verdict(refused or found['peak_mb'] <= PROVINCE_MEMORY_GB * 1024)}: refused before "
                  f"any work, or loaded within {PROVINCE_MEMORY_GB} GB):", ""]
        lines += [f"> {line}" for line in found["stderr"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="city")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--province", action="store_true", help="also generate and load the province")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    parser.add_argument("--parse-floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--duckdb-peer", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--as-of", default="", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.parse_floor:
        print(json.dumps(parse_floor(options.parse_floor)))
        return
    if options.duckdb_peer:
        print(json.dumps(duckdb_peer(options.duckdb_peer, options.as_of), default=str))
        return
    command = "python benchmarks/run.py " + " ".join(shlex.quote(arg) for arg in (argv or sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="gridgraph-bench-") as work:
        figures = measure(options.scale, options.seed, Path(work), options.province)
    out = Path(options.out)
    out.write_text(render(figures, command.strip()), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    say(f"wrote {out}")


if __name__ == "__main__":
    main()
