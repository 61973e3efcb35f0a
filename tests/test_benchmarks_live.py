"""The Neo4j benchmark runs end to end, at the smallest scale, against the live server: a benchmark
that breaks is found by the suite, not at the end of a city's run (last round's broke after the
loads, and cost a run)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import queries
from shared_data import REPOSITORY

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

sys.path.insert(0, str(REPOSITORY / "benchmarks"))
from neo4j_live import GENERATED, PROVINCE, TITLE  # noqa: E402


def test_the_neo4j_benchmark_runs_and_keeps_what_a_person_wrote(live_neo4j, tmp_path):
    report = tmp_path / "NEO4J.md"
    report.write_text(f"{TITLE}\n\n**Read this first.** What the figures mean.\n\n{GENERATED}… an older run\n\n"
                      f"| old | figures |\n\n{PROVINCE}benchmarks/neo4j_province.py -->\nThe province's figures.\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "benchmarks/neo4j_live.py", "--scale", "community", "--out", str(report)],
                          cwd=REPOSITORY, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    text = report.read_text(encoding="utf-8")
    answers = [line.split("|")[1:-1] for line in text.splitlines() if re.match(r"\| [A-Z]\d+ \|", line)]
    assert [code.strip() for code, *_ in answers] == list(queries.QUESTIONS)
    assert all(equal.strip() == "yes" for *_, equal in answers)
    steps = [line for line in text.splitlines() if line.startswith("| Neo4j: `gridgraph load --neo4j`")]
    assert len(steps) == 1 and "client peak" in steps[0]
    assert text.index(f"{TITLE}\n\n**Read this first.**") < text.index(GENERATED) < text.index("The province's figures.")
    assert "an older run" not in text and "| old | figures |" not in text
    live_neo4j.wipe()
