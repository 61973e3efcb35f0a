"""Write benchmarks/MUTATION.md from the last ``mutmut run`` and ``benchmarks/mutate_cypher.py``.

Usage (after ``make mutate``, or the two runs by hand)::

    python benchmarks/mutation_report.py

Scores per module (killed / mutants tried), every survivor with its diff, and for each survivor
the note of ``benchmarks/mutation_notes.json`` (mutant name or fnmatch pattern → the test that now
kills it, or why it is equivalent); a survivor without a note is marked as such, so none goes
unexplained quietly. A note starting "Equivalent" or "Import-time" takes the mutant out of the
adjusted score (import-time: code that runs once while the module is imported, before mutmut's
forked test runs pick a mutant, so no test can reach it).
"""

from __future__ import annotations

import fnmatch
import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
CYPHER_RESULTS = ROOT / "benchmarks" / "mutation_cypher.json"
NOTES = ROOT / "benchmarks" / "mutation_notes.json"
REPORT = ROOT / "benchmarks" / "MUTATION.md"
GOAL = 0.9
# mutmut's exit codes (mutmut.stats.status_by_exit_code): 1 and 3 kill, 0 survives.
KILLED, SURVIVED = {1, 3}, {0}
TIMEOUT = {36, 24, -24, 152, 255}


def mutmut_results() -> dict[str, dict[str, int | None]]:
    """Module path → {mutant name: exit code}, from the ``.meta`` files mutmut leaves in mutants/."""
    results = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        module = str(meta.relative_to(MUTANTS)).removesuffix(".meta")
        codes = json.loads(meta.read_text(encoding="utf-8")).get("exit_code_by_key", {})
        if codes:
            results[module] = codes
    return results


def note_for(name: str, notes: dict[str, str]) -> str | None:
    return notes.get(name) or next((note for pattern, note in notes.items() if fnmatch.fnmatch(name, pattern)), None)


def excused(note: str | None) -> bool:
    return bool(note) and note.lower().startswith(("equivalent", "import-time"))


def show(name: str) -> str:
    shown = subprocess.run([str(Path(sys.executable).with_name("mutmut")), "show", name], cwd=ROOT,
                           capture_output=True, text=True)
    return shown.stdout.strip() or shown.stderr.strip()


def python_section(notes: dict[str, str]) -> list[str]:
    results = mutmut_results()
    if not results:
        return ["No mutmut results (mutants/ is empty): run `make mutate`."]
    lines = ["| module | killed | timeout (counted killed) | survived | of them equivalent or import-time | not run "
             "| score | adjusted score |", "|---|---|---|---|---|---|---|---|"]
    survivors: dict[str, list[str]] = defaultdict(list)
    for module, codes in results.items():
        tally = Counter("killed" if code in KILLED else "timeout" if code in TIMEOUT else
                        "survived" if code in SURVIVED else "not run" for code in codes.values())
        tried = tally["killed"] + tally["timeout"] + tally["survived"]
        survivors[module] = sorted(name for name, code in codes.items() if code in SURVIVED)
        equivalent = sum(excused(note_for(name, notes)) for name in survivors[module])
        killed = tally["killed"] + tally["timeout"]
        lines.append(f"| `{module}` | {tally['killed']} | {tally['timeout']} | {tally['survived']} | {equivalent} | "
                     f"{tally['not run']} | {_score(killed, tried)} | {_score(killed, tried - equivalent)} |")
    for module, names in survivors.items():
        if not names:
            continue
        lines += ["", f"### Survivors in `{module}`", ""]
        for name in names:
            note = note_for(name, notes)
            lines += [f"- `{name}`: {note or '**no note yet**'}", ""]
            if not excused(note):
                lines += ["```diff", show(name), "```", ""]
    return lines


def _score(killed: int, tried: int) -> str:
    if not tried:
        return "—"
    return f"{killed / tried:.0%}" + ("" if killed / tried >= GOAL else " (below 90%)")


def cypher_section(notes: dict[str, str]) -> list[str]:
    if not CYPHER_RESULTS.exists():
        return ["No Cypher results: run `benchmarks/mutate_cypher.py` against a live server."]
    results = json.loads(CYPHER_RESULTS.read_text(encoding="utf-8"))
    lines = [f"{results['killed']} of {results['mutants']} comparison flips killed. Graphs asked: "
             + "; ".join(results["graphs"]) + ".", ""]
    survivors = [result for result in results["results"] if not result["killed_by"]]
    lines += [f"- `{result['mutant']}` in `{result['line']}`: {note_for(result['mutant'], notes) or '**no note yet**'}"
              for result in survivors] or ["Every mutant was killed."]
    return lines


def main() -> None:
    notes = json.loads(NOTES.read_text(encoding="utf-8")) if NOTES.exists() else {}
    text = ["# Mutation testing", "",
            "Written by `benchmarks/mutation_report.py` from the last `make mutate` (see the Makefile for",
            "exactly what ran). Goal: 90% or more of the mutants of each module killed by the fast suite,",
            "every Cypher comparison mutant killed by the live parity.", "",
            "## Python (mutmut, the fast suite)", "", *python_section(notes), "",
            "## Cypher (benchmarks/mutate_cypher.py, live Neo4j parity)", "", *cypher_section(notes), ""]
    REPORT.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
