"""The README runs as written: every shell example, in order, in an empty folder.

`make` lines (set-up) are left out, and so is the Neo4j section unless NEO4J_URI names a server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
pytestmark = pytest.mark.slow


def shell_examples(text: str) -> list[tuple[str, str]]:
    """``(section heading, command)`` of every line of every ```sh block, comments cut."""
    commands, section = [], ""
    for block_or_heading in re.finditer(r"^## ([^\n]+)$|^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
        if block_or_heading.group(1):
            section = block_or_heading.group(1).strip()
            continue
        for line in block_or_heading.group(2).splitlines():
            command = re.sub(r"\s+#\s.*$", "", line).strip()
            if command:
                commands.append((section, command))
    return commands


def runnable(section: str, command: str) -> bool:
    if command.startswith("make ") or command.startswith("export NEO4J_"):
        return False  # set-up, done by the test run itself / the server given by the environment
    return section != "Neo4j" or bool(os.environ.get("NEO4J_URI"))


def test_the_readme_examples_parse():
    examples = shell_examples(README.read_text(encoding="utf-8"))
    assert ("Quick start", "gridgraph load ledgers/") in examples
    assert not any(command.startswith("gridgraph") and "|" in command.split("#")[0]
                   for _, command in examples if "cypher" not in command)  # no synopsis among them


def test_every_readme_shell_example_runs_in_order(tmp_path):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    ran = 0
    for section, command in shell_examples(README.read_text(encoding="utf-8")):
        if not runnable(section, command):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=600)
        if done.returncode != 0:
            pytest.fail(f"README ({section}): `{command}` exited {done.returncode}\n{done.stdout[-2000:]}\n"
                        f"{done.stderr[-2000:]}")
        ran += 1
    assert ran >= 12
    assert (tmp_path / "gridgraph.snapshot").is_file() and (tmp_path / "report.html").is_file()
