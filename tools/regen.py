"""``make regen``: rewrite every generated file from what it is generated from.

Each generated file is named here once, with the function that makes its text; ``--check`` (and
tests/test_regen.py) lists the files that differ from what this would write, so a change to a
question, a command or a schema cannot leave a stale page behind.

The README's example outputs are real runs: a fenced block after ``<!-- output: shell -->`` is a
terminal session whose ``$ command`` lines are run again (in a folder holding the generated
county ``ledgers/`` loaded into ``gridgraph.snapshot``, and the quarters ``q2``/``q3``) and whose
other lines are replaced by what they print; a block after ``<!-- output: python -->`` is what
the ``python`` block just before it prints.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the app's packages, and the tests' graph factory

from gridgraph.cli.reference import cli_reference  # noqa: E402
from loaders.sample import BUNDLED_SAMPLE, SAMPLE_DATA_DIR, generate_sample  # noqa: E402
from loaders.specs import ledger_reference  # noqa: E402
from queries.definitions import with_current_blocks  # noqa: E402


def report_layouts() -> str:
    """Every report table's code, titles, chart and columns (key, 中文, English, pii): of every
    question (grouped by street, and C1, C12, C16 and S1 by community), of a diff, a timeline and
    the stats, as tests/report_layouts.json holds them."""
    import json

    from graph_factory import GraphFactory
    from queries import DiffResult, run, run_group, timeline
    from queries.stats import graph_stats

    as_of = dt.date(2026, 6, 30)
    f = GraphFactory.city()
    f.compound("XQ1", "SQ1", buildings=1)
    tables = [(f"{table.code} by street", table) for result in run_group("all", f.graph, by="street", as_of=as_of).values()
              for table in result.tables()]
    tables += [(f"{table.code} by community", table) for code in ("C1", "C12", "C16", "S1")
               for table in run(code, f.graph, by="community", as_of=as_of).tables()]
    tables += [(table.code, table) for table in [
        *DiffResult(as_of_old=as_of, as_of_new=as_of).tables(),
        *timeline(f.graph, ["C1", "B1"], [dt.date(2026, 3, 31), as_of]).tables(),
        *graph_stats(f.graph, as_of)]]
    def text(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    # One table a line, one column a line: a change to a title shows as one changed line.
    entries = [f' {text(name)}: {{"title": {text([table.title("zh"), table.title("en")])}, '
               f'"chart": {text(table.chart)}, "columns": [\n'
               + ",\n".join(f"    {text([c.key, c.title('zh'), c.title('en'), c.pii])}" for c in table.columns)
               + "]}" for name, table in tables]
    return "{\n" + ",\n".join(entries) + "\n}\n"


def definitions() -> str:
    return with_current_blocks((ROOT / "docs" / "definitions.md").read_text(encoding="utf-8"))


#: What the README's examples run in: the commands of its quick start and of its quarters, and
#: the sample's targets file (shipped beside the bundled sample) as targets.csv.
README_SETUP = ("gridgraph sample ledgers --scale county --seed 7", "gridgraph load ledgers",
                "gridgraph sample q2 --scale community --evolve q3")
SAMPLE_TARGETS = ROOT / "loaders" / "sample_targets.csv"
_OUTPUT_BLOCK = re.compile(r"(?P<code>```python\n(?P<python>.*?)```\n\n)?"
                           r"<!-- output: (?P<kind>shell|python) -->\n```text\n(?P<body>.*?)```", re.DOTALL)


_FOLDERS: list[tempfile.TemporaryDirectory] = []  # removed when the process ends


@functools.lru_cache(maxsize=1)
def _readme_folder() -> Path:
    """The folder the README's examples run in, made once per process."""
    folder = tempfile.TemporaryDirectory(prefix="gridgraph-readme-")
    _FOLDERS.append(folder)
    for command in README_SETUP:
        code, output = _run(command, Path(folder.name))
        if code:
            raise RuntimeError(f"README setup `{command}` failed:\n{output}")
    (Path(folder.name) / "targets.csv").write_bytes(SAMPLE_TARGETS.read_bytes())
    return Path(folder.name)


def _run(command: str, folder: Path) -> tuple[int, str]:
    """Run one README command as a user's shell would (stderr after stdout): its exit code and text."""
    words = shlex.split(command)
    if words[0] == "gridgraph":
        words[0] = str(Path(sys.executable).with_name("gridgraph"))
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(words, cwd=folder, capture_output=True, text=True, env=env)
    return done.returncode, done.stdout + done.stderr


def _shell_session(body: str, folder: Path) -> str:
    lines, code = [], 0
    for line in body.splitlines():
        if not line.startswith("$ "):
            continue
        command = line[2:]
        lines.append(line)
        if command == "echo $?":
            lines.append(str(code))
            continue
        code, output = _run(command, folder)
        lines.extend(output.rstrip("\n").splitlines())
    return "\n".join(lines) + "\n"


def _python_output(code: str, folder: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise RuntimeError(f"README example failed:\n{code}\n{done.stderr}")
    return done.stdout


def readme() -> str:
    """README.md with every example output block run again."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")

    def rewrite(match: re.Match) -> str:
        folder = _readme_folder()
        body = (_shell_session(match["body"], folder) if match["kind"] == "shell"
                else _python_output(match["python"], folder))
        return f"{match['code'] or ''}<!-- output: {match['kind']} -->\n```text\n{body}```"

    return _OUTPUT_BLOCK.sub(rewrite, text)


#: Generated file (relative to the repository) -> the function that writes its text.
GENERATED: dict[str, Callable[[], str]] = {
    "docs/cli.md": cli_reference,
    "docs/ledgers.md": ledger_reference,
    "docs/definitions.md": definitions,
    "tests/report_layouts.json": report_layouts,
    "README.md": readme,
}


def _bundled_sample() -> dict[str, bytes]:
    """The bundled sample's files (name -> bytes), generated afresh."""
    with tempfile.TemporaryDirectory() as folder:
        generate_sample(Path(folder), **BUNDLED_SAMPLE)
        return {path.name: path.read_bytes() for path in sorted(Path(folder).iterdir())}


def _current() -> dict[str, str | dict[str, bytes]]:
    """What every generated file should hold: its text, or the bundled sample's files."""
    return {**{name: make() for name, make in GENERATED.items()},
            str(SAMPLE_DATA_DIR.relative_to(ROOT)): _bundled_sample()}


def _stale(current: dict[str, str | dict[str, bytes]]) -> list[str]:
    found = []
    for name, content in current.items():
        path = ROOT / name
        if isinstance(content, dict):
            if {file.name: file.read_bytes() for file in path.iterdir() if file.is_file()} != content:
                found.append(name)
        elif not path.exists() or path.read_text(encoding="utf-8") != content:
            found.append(name)
    return found


def stale() -> list[str]:
    """The generated files that differ from what ``regen`` would write."""
    return _stale(_current())


def regen() -> list[str]:
    """Rewrite every stale generated file; returns them."""
    current = _current()
    changed = _stale(current)
    for name in changed:
        path, content = ROOT / name, current[name]
        if isinstance(content, dict):
            for file in path.iterdir():
                if file.is_file():
                    file.unlink()
            for file_name, data in content.items():
                (path / file_name).write_bytes(data)
        else:
            path.write_text(content, encoding="utf-8")
    return changed


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        names = stale()
        print("\n".join(f"stale: {name}" for name in names) or "every generated file is current")
        sys.exit(1 if names else 0)
    for name in regen():
        print(f"rewritten: {name}")
