"""Lint Cypher statements with Neo4j's own Cypher front-end, without a Neo4j server.

Python side of ``tools/cypher-lint`` (read its README.md). One long-running ``node``
process (``tools/cypher-lint/lint.mjs``) hosts the pinned npm package
``@neo4j-cypher/language-support``: the Neo4j Cypher parser and semantic analysis
compiled to JavaScript. Start it once and lint many statements::

    schema = lint_schema(["Compound"], ["MANAGES"], ["id", "name"])
    with CypherLinter(schema) as linter:
        assert linter.problems("MATCH (c:Compound) RETURN c.id") == []

Needs node (>= 20) and ``npm ci --prefix tools/cypher-lint``; without them the
constructor raises ``RuntimeError`` with that hint (tests must fail, not skip: CI
installs it).
"""

from __future__ import annotations

import functools
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
LINT_DIR = REPO_ROOT / "tools" / "cypher-lint"
LINT_SCRIPT = LINT_DIR / "lint.mjs"
PACKAGE_NAME = "@neo4j-cypher/language-support"
INSTALL_HINT = "npm ci --prefix tools/cypher-lint"
#: Set to ``required`` (``make test`` does, having installed the linter) to fail instead of skip.
REQUIRED_ENV = "GRIDGRAPH_CYPHER_LINT"

# Cypher version the project targets; the package knows "CYPHER 5" and "CYPHER 25".
DEFAULT_LANGUAGE = "CYPHER 5"

STARTUP_TIMEOUT_S = 120.0
QUERY_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning" | "information" | "hint"
    message: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.line}:{self.column} {self.severity}: {self.message}"


def _node_executable() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(
            "Cypher lint needs Node.js (node >= 20) on PATH, then: "
            f"{INSTALL_HINT}"
        )
    return node


def _check_installed() -> str:
    """Return the node executable; raise RuntimeError with the install hint if the
    pinned package is missing or is not the version package.json pins."""
    node = _node_executable()
    installed = LINT_DIR / "node_modules" / PACKAGE_NAME / "package.json"
    if not installed.is_file():
        raise RuntimeError(
            f"{PACKAGE_NAME} is not installed in {LINT_DIR}. Run from the repo root: "
            f"{INSTALL_HINT}"
        )
    wanted = json.loads((LINT_DIR / "package.json").read_text("utf-8"))["dependencies"][
        PACKAGE_NAME
    ]
    have = json.loads(installed.read_text("utf-8"))["version"]
    if have != wanted:
        raise RuntimeError(
            f"{PACKAGE_NAME} {have} is installed in {LINT_DIR}, package.json pins {wanted}. "
            f"Run from the repo root: {INSTALL_HINT}"
        )
    return node


def skip_unless_installed() -> None:
    """Skip the calling test, saying why and how to install, when node or the pinned package is
    missing; with ``GRIDGRAPH_CYPHER_LINT=required`` the test runs and fails with the same hint."""
    if os.environ.get(REQUIRED_ENV) == "required":
        return
    try:
        _check_installed()
    except RuntimeError as error:
        pytest.skip(f"the Cypher linter is not installed: {error}")


@functools.lru_cache(maxsize=None)
def _signatures_json(plugins: tuple[str, ...]) -> str:
    node = _check_installed()
    proc = subprocess.run(
        [node, str(LINT_SCRIPT), "--signatures", *plugins],
        cwd=LINT_DIR,
        capture_output=True,
        text=True,
        timeout=STARTUP_TIMEOUT_S,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"node lint.mjs --signatures failed ({proc.returncode}): {proc.stderr.strip()}\n"
            f"Reinstall with: {INSTALL_HINT}"
        )
    return proc.stdout


def lint_schema(
    labels: Iterable[str],
    relationship_types: Iterable[str],
    property_keys: Iterable[str],
    *,
    graph_schema: Iterable[tuple[str, str, str]] | None = None,
    plugins: Iterable[str] = (),
) -> dict:
    """Build the ``DbSchema`` object that ``lintCypherQuery`` of
    @neo4j-cypher/language-support 2.0.0-next.38 expects::

        {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
         "functions":  {"CYPHER 5": {name: Neo4jFunction}, "CYPHER 25": {...}},
         "procedures": {"CYPHER 5": {name: Neo4jProcedure}, "CYPHER 25": {...}},
         "defaultLanguage": "CYPHER 5",
         "graphSchema": [{"from": label, "relType": type, "to": label}]}   # optional

    Unknown labels / types are only reported when both ``labels`` and
    ``relationshipTypes`` are present, unknown property keys when ``propertyKeys`` is.
    ``functions`` / ``procedures`` hold the signatures the package ships (a Neo4j 5
    server's SHOW FUNCTIONS / SHOW PROCEDURES): without them the package checks no
    function name at all (``dat()`` would pass); with them empty, every built-in such as
    ``date()`` or ``count()`` is an error. Only Neo4j built-ins are included (functions
    marked isBuiltIn; procedures db.*, dbms.*, tx.*, cdc.*) unless ``plugins`` names
    plugin namespaces, e.g. ``plugins=("apoc",)``.

    ``graph_schema``: optional (from_label, rel_type, to_label) triples; then the
    package also warns on read patterns the schema cannot match, e.g. a reversed
    relationship direction.
    """
    signatures = json.loads(_signatures_json(tuple(sorted(set(plugins)))))
    schema: dict = {
        "labels": sorted(set(labels)),
        "relationshipTypes": sorted(set(relationship_types)),
        "propertyKeys": sorted(set(property_keys)),
        "functions": signatures["functions"],
        "procedures": signatures["procedures"],
        "defaultLanguage": DEFAULT_LANGUAGE,
    }
    if graph_schema is not None:
        schema["graphSchema"] = [
            {"from": src, "relType": rel, "to": dst} for src, rel, dst in graph_schema
        ]
    return schema


class CypherLinter:
    """A running ``node tools/cypher-lint/lint.mjs``; use as a context manager.

    ``check_writes`` (default True) also reports labels, relationship types and
    property keys that are not in the schema where the package itself does not look:
    CREATE / MERGE / SET / REMOVE clauses and CREATE CONSTRAINT / INDEX commands.
    """

    def __init__(self, db_schema: dict, *, check_writes: bool = True) -> None:
        self._db_schema = db_schema
        self._check_writes = check_writes
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr = None
        self._next_id = 0
        self.package_version: str | None = None

    # -- lifecycle ----------------------------------------------------------------

    def __enter__(self) -> CypherLinter:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        if self._proc is not None:
            return
        node = _check_installed()
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self._proc = subprocess.Popen(
            [node, str(LINT_SCRIPT)],
            cwd=LINT_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        threading.Thread(target=self._read_stdout, daemon=True).start()
        reply = self._request(
            {"schema": self._db_schema, "options": {"checkWrites": self._check_writes}},
            STARTUP_TIMEOUT_S,
        )
        if not reply.get("ready"):
            self.close()
            raise RuntimeError(f"cypher-lint did not start: {reply}")
        self.package_version = reply.get("package")

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        finally:
            if proc.stdout:
                proc.stdout.close()
            if self._stderr is not None:
                self._stderr.close()
                self._stderr = None

    # -- protocol -----------------------------------------------------------------

    def _read_stdout(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        try:
            for line in proc.stdout:
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(None)  # EOF

    def _stderr_text(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().strip()

    def _request(self, payload: dict, timeout: float) -> dict:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise RuntimeError("CypherLinter is not running; use it as a context manager")
        try:
            proc.stdin.write(json.dumps(payload, ensure_ascii=False) + "\n")
            proc.stdin.flush()
        except OSError as e:
            raise RuntimeError(
                f"cypher-lint process died: {e}\n{self._stderr_text()}\n"
                f"Reinstall with: {INSTALL_HINT}"
            ) from e
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"cypher-lint gave no answer within {timeout} s") from None
        if line is None:
            proc.wait()
            raise RuntimeError(
                f"cypher-lint process exited ({proc.returncode}):\n{self._stderr_text()}\n"
                f"Reinstall with: {INSTALL_HINT}"
            )
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"cypher-lint error: {reply['error']}")
        return reply

    # -- API ----------------------------------------------------------------------

    def lint(self, query: str) -> list[Diagnostic]:
        """Every diagnostic for ``query`` (one or more ';'-separated statements)."""
        self._next_id += 1
        request_id = self._next_id
        reply = self._request({"id": request_id, "query": query}, QUERY_TIMEOUT_S)
        if reply.get("id") != request_id:
            raise RuntimeError(f"cypher-lint answered {reply.get('id')}, expected {request_id}")
        return [
            Diagnostic(d["severity"], d["message"], d["line"], d["column"])
            for d in reply["diagnostics"]
        ]

    def problems(self, query: str) -> list[Diagnostic]:
        """The diagnostics that fail a test: every error and every warning.

        No warning class is ignored. What the package warns about is: labels,
        relationship types and property keys not in the schema (the point of the
        harness); deprecations, which for Cypher 5 are things Cypher 25 removes and that
        Neo4j 5's current releases already replace (``CALL { WITH x ... }`` ->
        ``CALL (x) { ... }`` since 5.23, ``id()`` -> ``elementId()``); and the
        cartesian-product notice for ``MATCH (a {...}), (b {...})``, which separate
        MATCH clauses avoid. Parameters are not a problem: lint.mjs drops the package's
        "Parameter $x is not defined." errors, since the driver supplies them.
        Information and hint diagnostics are not failures.
        """
        return [d for d in self.lint(query) if d.severity in ("error", "warning")]
