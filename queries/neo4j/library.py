"""The analyst query library: named ``queries/library/*.cypher`` files with a documented header.

Each file starts with ``//`` comment lines (``key: value``) before its statement::

    // title_zh: 没有党组织的小区
    // title_en: Compounds without a party organisation
    // description: Compounds of a street that no PartyOrg is BASED_IN.
    // param: street_id (str, e.g. S01): ledger code of the street
    MATCH ...

``param`` repeats, one per ``$parameter`` the statement uses; types are those of
:func:`queries.neo4j.cypher.parse_param` (int, float, bool, date, str, json).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphmodel.errors import QueryError
from .cypher import _PARAM_TYPES, _typed, queries_dir
from .fragments import FRAGMENTS, expand_fragments

__all__ = ["LibraryParam", "LibraryQuery", "library_queries", "library_query", "parse_library_file",
           "blank_non_code"]

_HEADER = re.compile(r"^//\s*(\w+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(\w+)\s*\((\w+)\s*,\s*e\.g\.\s*(.+?)\)\s*:\s*(.+)$")
_REQUIRED = ("title_zh", "title_en", "description")
# Comments, string literals and backticked names, where a `$word` is not a parameter.
_NOT_CODE = re.compile(
    r"//[^\n\r]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`", re.DOTALL)


@dataclass(frozen=True)
class LibraryParam:
    name: str
    type: str
    example: str
    description: str

    @property
    def example_value(self) -> Any:
        return _typed(self.example, self.type)


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    params: tuple[LibraryParam, ...]
    statement: str
    path: Path

    def example_params(self) -> dict[str, Any]:
        """Every parameter at its documented example value."""
        return {param.name: param.example_value for param in self.params}

    def example_command(self) -> str:
        args = "".join(f" --param {p.name}={p.example}" for p in self.params)
        return f"gridgraph queries run {self.name}{args}"


def blank_non_code(statement: str) -> str:
    """``statement`` with comments, string literals and backticked names blanked (same length)."""
    return _NOT_CODE.sub(lambda match: " " * len(match.group()), statement)


def parse_library_file(path: str | Path) -> LibraryQuery:
    """Read one library file; ``QueryError`` when its header is incomplete or inconsistent."""
    path = Path(path)
    fields: dict[str, str] = {}
    params: list[LibraryParam] = []
    # The as-of rule is written once (CURRENT(…), fragments/current.cypher), here as in the questions.
    lines = expand_fragments(path.read_text(encoding="utf-8"), queries_dir() / "cypher" / FRAGMENTS,
                             source=path.name).splitlines()
    body_start = 0
    for body_start, line in enumerate(lines):
        match = _HEADER.match(line.strip())
        if not line.strip().startswith("//"):
            break
        if match is None:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            parsed = _PARAM.match(value)
            if parsed is None or parsed.group(2) not in _PARAM_TYPES:
                raise QueryError(f"{path.name}: param line {value!r} is not "
                                 f"'name (type, e.g. example): description' with a type in "
                                 f"{', '.join(_PARAM_TYPES)}")
            params.append(LibraryParam(*(group.strip() for group in parsed.groups())))
        else:
            fields[key] = value
    missing = [key for key in _REQUIRED if not fields.get(key)]
    if missing:
        raise QueryError(f"{path.name}: header lacks {', '.join(missing)}")
    statement = "\n".join(lines[body_start:]).strip()
    used = set(re.findall(r"\$(\w+)", blank_non_code(statement)))
    declared = {param.name for param in params}
    if used != declared:
        raise QueryError(f"{path.name}: parameters used {sorted(used)} but documented "
                         f"{sorted(declared)}")
    return LibraryQuery(path.stem, fields["title_zh"], fields["title_en"], fields["description"],
                        tuple(params), statement, path)


def library_queries(directory: str | Path | None = None) -> dict[str, LibraryQuery]:
    """Every library query by name (file stem), sorted by name."""
    directory = Path(directory) if directory else queries_dir() / "library"
    return {path.stem: parse_library_file(path) for path in sorted(directory.glob("*.cypher"))}


def library_query(name: str, directory: str | Path | None = None) -> LibraryQuery:
    """One library query by name; ``QueryError`` listing the names when unknown."""
    queries = library_queries(directory)
    if name not in queries:
        raise QueryError(f"no library query named {name!r}",
                         hint=f"`gridgraph queries list` shows: {', '.join(queries)}")
    return queries[name]
