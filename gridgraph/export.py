"""Export a graph for other tools: neo4j-admin bulk-import CSV, and GraphML.

``neo4j-admin database import full`` is the fastest way to put a city-scale graph into an empty
Neo4j database: one node CSV per label (``Compound.csv``, id space per label) and one relationship
CSV per (type, source label, target label), with typed headers generated from the schema, plus
``import.sh`` with the command line and ``constraints.cypher`` to run after the import. The
exported nodes and relationships carry the same bookkeeping properties as a ``gridgraph load
--neo4j``, so later incremental loads merge onto them instead of duplicating.

Both exports are written atomically: into a temporary sibling first, then renamed into place,
never over the graph they were made from. Personal properties (phones, ID hashes:
``schema.PII_PROPERTIES``) are left out unless ``include_pii``. GraphML holds only the
characters XML 1.0 allows; any other is written as U+FFFD.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shlex
import shutil
import tempfile
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graphmodel.atomic import atomic_open, check_output, output_error
from graphmodel.errors import StoreError
from graphmodel.graph import GovernanceGraph
from graphmodel.neo4j.statements import LOAD_HASH, LOAD_SCOPES, REL_KEY, schema_statements
from graphmodel.privacy import mask_phones_in_text
from graphmodel.schema import NODE_MODELS, PII_PROPERTIES, RELATIONSHIPS
from loaders.neo4j.loader import load_scope, node_rows, relationship_rows

__all__ = ["AdminExport", "export_neo4j_admin", "export_graphml", "admin_import_command"]

# pydantic annotation → neo4j-admin column type (strings need no suffix).
_ADMIN_TYPES = {bool: "boolean", int: "long", float: "double", dt.date: "date",
                list[str]: "string[]"}
_ARRAY_DELIMITER = ";"  # neo4j-admin import's default --array-delimiter
# Characters XML 1.0 does not allow, which would make the GraphML unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class AdminExport:
    directory: Path
    node_files: list[str]
    relationship_files: list[str]
    command: str


def _admin_type(annotation: Any) -> str | None:
    """Column type of a field annotation, looking through Optional and Annotated."""
    if annotation in _ADMIN_TYPES:
        return _ADMIN_TYPES[annotation]
    if typing.get_origin(annotation) is typing.Annotated:
        return _admin_type(typing.get_args(annotation)[0])
    if typing.get_args(annotation):
        kinds = {_admin_type(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else None
    return _ADMIN_TYPES.get(annotation)


def _columns(declared: dict[str, Any], rows: list[dict], skip: set[str]) -> list[tuple[str, str]]:
    """``(property, header)`` pairs: declared fields typed from the schema, then extras as strings."""
    columns = [(name, f"{name}:{kind}" if (kind := _admin_type(annotation)) else name)
               for name, annotation in declared.items() if name not in skip]
    known = {name for name, _ in columns} | skip
    extras = sorted({key for row in rows for key in row["props"]} - known)
    return columns + [(name, name) for name in extras]


def _cell(value: Any, header: str = "") -> Any:
    if value is None:
        return ""
    if header.endswith("[]"):
        return _ARRAY_DELIMITER.join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[_cell(value, column) for value, column in zip(row, header)]
                          for row in rows])


def admin_import_command(node_files: list[str], relationship_files: list[str],
                         database: str = "neo4j") -> str:
    """The ``neo4j-admin database import full`` command line for the exported files."""
    parts = ["neo4j-admin database import full",
             *(f"--nodes={shlex.quote(name)}" for name in node_files),
             *(f"--relationships={shlex.quote(name)}" for name in relationship_files),
             "--multiline-fields=true", database]
    return " \\\n  ".join(parts)


def _import_script(node_files: list[str], relationship_files: list[str]) -> str:
    command = admin_import_command(node_files, relationship_files, database='"${1:-neo4j}"')
    return ("#!/bin/sh\n"
            "# Generated by `gridgraph export neo4j-admin`. Usage: sh import.sh [DATABASE]\n"
            "# Run on the Neo4j host with the target database stopped (or not yet created);\n"
            "# add --overwrite-destination to replace an existing database.\n"
            "# Afterwards create the constraints: cypher-shell -f constraints.cypher\n"
            "set -e\n"
            'cd "$(dirname "$0")"\n'
            f"{command}\n")


def _atomic_directory(directory: Path, overwrite: bool, inputs: Iterable) -> tuple[Path, Path]:
    check_output(directory, inputs, tree=True)
    if directory.exists() and any(directory.iterdir()) and not overwrite:
        raise StoreError(f"{directory} exists and is not empty", hint="use --force to replace it")
    directory.parent.mkdir(parents=True, exist_ok=True)
    return directory, Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))


def _swap_into_place(temp: Path, directory: Path) -> None:
    if directory.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old.", dir=directory.parent))
        os.replace(directory, old / directory.name)
        os.replace(temp, directory)
        shutil.rmtree(old)
    else:
        os.replace(temp, directory)


def export_neo4j_admin(graph: GovernanceGraph, directory: str | os.PathLike, *,
                       scope: str | None = None, overwrite: bool = False,
                       include_pii: bool = False, inputs: Iterable = ()) -> AdminExport:
    """Write neo4j-admin import CSV files, ``import.sh`` and ``constraints.cypher`` to ``directory``.

    Parameters
    ----------
    graph : GovernanceGraph
    directory : path
        Created; must be absent or empty unless ``overwrite``.
    scope : str, optional
        ``load_scopes`` written on everything (default: the District ids, as ``load`` does).
        Nodes carry ``load_hash`` only with ``include_pii`` (without, they are not what the
        hash describes): the first ``load --neo4j`` after such an import writes every node once.
    overwrite : bool
        Replace an existing directory (atomically: the old one stays until the new one is ready).
    include_pii : bool
        Export phone numbers and ID hashes too (left out by default).
    inputs : paths
        What the graph was read from; ``directory`` may neither be nor hold one of them.
    """
    try:
        directory, temp = _atomic_directory(Path(directory), overwrite, inputs)
    except OSError as error:
        raise output_error(directory, error) from None
    scope = load_scope(graph, scope)
    left_out = set() if include_pii else set(PII_PROPERTIES)
    node_files, relationship_files = [], []
    try:
        for label, model in NODE_MODELS.items():
            rows = node_rows(graph, label, scope)
            if not rows:
                continue
            declared = {name: field.annotation for name, field in model.model_fields.items()}
            declared[LOAD_SCOPES] = list[str]
            # A node without its personal columns is not what its hash says: no hash then.
            columns = _columns(declared, rows, skip={"id", *left_out, *([LOAD_HASH] if left_out else [])})
            name = f"{label}.csv"
            _write_csv(temp / name, [f"id:ID({label})", ":LABEL", *(h for _, h in columns)],
                       [[row["id"], label, *(row["props"].get(p) for p, _ in columns)]
                        for row in rows])
            node_files.append(name)
        for (rel_type, source, target), rows in relationship_rows(graph, scope).items():
            declared = {name: field.annotation
                        for name, field in RELATIONSHIPS[rel_type].props.model_fields.items()}
            declared.update({REL_KEY: str, LOAD_SCOPES: list[str]})
            columns = _columns(declared, rows, skip=set())
            name = f"{rel_type}__{source}__{target}.csv"
            _write_csv(temp / name,
                       [f":START_ID({source})", f":END_ID({target})", ":TYPE",
                        *(h for _, h in columns)],
                       [[row["source"], row["target"], rel_type,
                         *(row["props"].get(p) for p, _ in columns)] for row in rows])
            relationship_files.append(name)
        command = admin_import_command(node_files, relationship_files)
        script = temp / "import.sh"
        script.write_text(_import_script(node_files, relationship_files), encoding="utf-8")
        script.chmod(0o755)
        (temp / "constraints.cypher").write_text(";\n".join(schema_statements()) + ";\n",
                                                 encoding="utf-8")
        _swap_into_place(temp, directory)
    except BaseException as error:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(error, OSError):
            raise output_error(directory, error) from None
        raise
    return AdminExport(directory, node_files, relationship_files, command)


def _graphml_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return _xml_text(json.dumps(value, ensure_ascii=False))
    if isinstance(value, str):
        return _xml_text(value)
    return value


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _uniform_types(items: list[dict[str, Any]]) -> None:
    """GraphML declares one type per attribute: where values of one key differ in type, use str."""
    types: dict[str, set[type]] = {}
    for attrs in items:
        for key, value in attrs.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    for attrs in items:
        for key in mixed & attrs.keys():
            attrs[key] = str(attrs[key])


def graphml_graph(graph: GovernanceGraph, *, include_pii: bool = False) -> nx.MultiDiGraph:
    """A copy of ``graph`` with string node ids (``Label:id``) and GraphML-typed attributes,
    without personal properties, and with phones written into text masked, unless
    ``include_pii``."""
    left_out = set() if include_pii else set(PII_PROPERTIES)

    def node_id(key: tuple[str, str]) -> str:
        return _xml_text(f"{key[0]}:{key[1]}")

    def attributes(attrs: dict[str, Any]) -> dict[str, Any]:
        return {_xml_text(k): _graphml_value(v if include_pii or not isinstance(v, str) or
                                             k == "id" else mask_phones_in_text(v))
                for k, v in attrs.items() if v is not None and k not in left_out}

    nodes = [(node_id(key), attributes(attrs)) for key, attrs in graph.nx.nodes(data=True)]
    edges = [(node_id(source), node_id(target), edge_key, attributes(attrs))
             for source, target, edge_key, attrs in graph.nx.edges(keys=True, data=True)]
    _uniform_types([attrs for _, attrs in nodes])
    _uniform_types([attrs for *_, attrs in edges])
    copy = nx.MultiDiGraph()
    copy.add_nodes_from(nodes)
    copy.add_edges_from(edges)
    return copy


def export_graphml(graph: GovernanceGraph, path: str | os.PathLike, *, overwrite: bool = False,
                   include_pii: bool = False, inputs: Iterable = ()) -> Path:
    """Write ``graph`` as GraphML (readable by ``networkx.read_graphml``, Gephi, yEd) atomically.

    Phones and ID hashes only with ``include_pii``; ``path`` may not be one of ``inputs``.
    """
    path = Path(path)
    check_output(path, inputs)
    if path.exists() and not overwrite:
        raise StoreError(f"{path} exists", hint="use --force to replace it")
    with atomic_open(path, inputs=inputs) as handle:
        nx.write_graphml(graphml_graph(graph, include_pii=include_pii), handle, encoding="utf-8",
                         named_key_ids=True)
    return path
