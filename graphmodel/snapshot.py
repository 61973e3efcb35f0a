"""The embedded store: a graph saved as one gzip-compressed JSON snapshot, written atomically.

JSON, never pickle, so a snapshot from a stranger can be opened safely. Dates are written as ISO
strings and turned back into dates by the schema's declared date fields, so a round trip gives
an identical graph. Saving writes a temporary file beside the target, syncs it and renames it
over the target: an interrupted save leaves the previous snapshot intact.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from .errors import GridgraphError, StoreError
from .graph import GovernanceGraph, paused_gc
from .schema import NODE_MODELS, RELATIONSHIPS, date_properties

__all__ = ["save_snapshot", "load_snapshot", "DEFAULT_SNAPSHOT", "FORMAT"]

FORMAT = "gridgraph-snapshot"
VERSION = 2  # 2: nodes and relationships stored as per-label / per-type tables
DEFAULT_SNAPSHOT = "gridgraph.snapshot.json.gz"

_NODE_DATES = {label: date_properties(model) for label, model in NODE_MODELS.items()}
_REL_DATES = {rel_type: date_properties(spec.props) for rel_type, spec in RELATIONSHIPS.items()}


def _encode(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a snapshot")


def _node_tables(graph: GovernanceGraph) -> dict[str, dict]:
    """Per label, ``{"columns": [...], "rows": [[...], ...]}``: lists parse far faster than dicts."""
    tables = {}
    for label in NODE_MODELS:
        rows = [attrs for _, attrs in graph.nodes(label)]
        if not rows:
            continue
        columns = list(dict.fromkeys(key for attrs in rows for key in attrs if key != "label"))
        tables[label] = {"columns": columns,
                         "rows": [[attrs.get(column) for column in columns] for attrs in rows]}
    return tables


def _relationship_tables(graph: GovernanceGraph) -> dict[str, list[list]]:
    """Per type, ``[source label, source id, target label, target id(, props)]`` rows."""
    tables: dict[str, list[list]] = defaultdict(list)
    for (src_label, src_id), targets in graph.nx.adjacency():
        for (dst_label, dst_id), edges in targets.items():
            for props in edges.values():
                row = [src_label, src_id, dst_label, dst_id]
                if len(props) > 1:  # beyond "type"
                    row.append({key: value for key, value in props.items() if key != "type"})
                tables[props["type"]].append(row)
    return dict(tables)


def save_snapshot(graph: GovernanceGraph, path: str | os.PathLike) -> Path:
    """Write ``graph`` to ``path`` atomically; returns the path."""
    path = Path(path)
    with paused_gc():
        document = {"format": FORMAT, "version": VERSION, "nodes": _node_tables(graph),
                    "relationships": _relationship_tables(graph)}
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6,
                                                      mtime=0) as zipped:
            zipped.write(json.dumps(document, ensure_ascii=False, default=_encode,
                                    separators=(",", ":")).encode("utf-8"))
            zipped.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def load_snapshot(path: str | os.PathLike) -> GovernanceGraph:
    """Read a snapshot written by :func:`save_snapshot`."""
    path = Path(path)
    try:
        with gzip.open(path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{path}: no such snapshot",
                         hint="build one with `gridgraph load LEDGERS -o SNAPSHOT`") from None
    except (OSError, EOFError, ValueError) as error:
        raise StoreError(f"{path}: not a readable gridgraph snapshot ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StoreError(f"{path}: not a gridgraph snapshot")
    if document.get("version") != VERSION:
        raise StoreError(f"{path}: snapshot version {document.get('version')} is not supported")
    graph = GovernanceGraph()
    try:
        with paused_gc(freeze=True):
            _fill(graph, document)
    except (AttributeError, KeyError, TypeError, ValueError, GridgraphError) as error:
        raise StoreError(f"{path}: damaged snapshot ({error})") from None
    return graph


def _fill(graph: GovernanceGraph, document: dict) -> None:
    """Add a snapshot document's node and relationship tables to ``graph``."""
    for label, table in document["nodes"].items():
        columns = table["columns"]
        dates = [i for i, column in enumerate(columns) if column in _NODE_DATES[label]]
        rows = table["rows"]
        for row in rows:
            for i in dates:
                if row[i] is not None:
                    row[i] = dt.date.fromisoformat(row[i])
        graph.add_many(label, ({column: value for column, value in zip(columns, row)
                                if value is not None} for row in rows))
    for rel_type, rows in document["relationships"].items():
        dates = _REL_DATES[rel_type]
        links = []
        for src_label, src_id, dst_label, dst_id, *rest in rows:
            props = rest[0] if rest else {}
            for name in dates & props.keys():
                props[name] = dt.date.fromisoformat(props[name])
            links.append(((src_label, src_id), (dst_label, dst_id), props))
        graph.relate_many(rel_type, links)
