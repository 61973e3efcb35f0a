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
from pathlib import Path

from .errors import StoreError
from .graph import GovernanceGraph
from .schema import NODE_MODELS, RELATIONSHIPS, date_properties

__all__ = ["save_snapshot", "load_snapshot", "DEFAULT_SNAPSHOT", "FORMAT"]

FORMAT = "gridgraph-snapshot"
VERSION = 1
DEFAULT_SNAPSHOT = "gridgraph.snapshot.json.gz"

_NODE_DATES = {label: date_properties(model) for label, model in NODE_MODELS.items()}
_REL_DATES = {rel_type: date_properties(spec.props) for rel_type, spec in RELATIONSHIPS.items()}


def _encode(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a snapshot")


def save_snapshot(graph: GovernanceGraph, path: str | os.PathLike) -> Path:
    """Write ``graph`` to ``path`` atomically; returns the path."""
    path = Path(path)
    nodes = [dict(attrs) for _, attrs in graph.nx.nodes(data=True)]
    relationships = [
        [props["type"], source[0], source[1], target[0], target[1],
         {k: v for k, v in props.items() if k != "type"}]
        for source, target, props in graph.nx.edges(data=True)
    ]
    document = {"format": FORMAT, "version": VERSION, "nodes": nodes, "relationships": relationships}
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
        for attrs in document["nodes"]:
            label = attrs.pop("label")
            for name in _NODE_DATES[label] & attrs.keys():
                attrs[name] = dt.date.fromisoformat(attrs[name])
            graph.add_attrs(label, attrs)
        for rel_type, src_label, src_id, dst_label, dst_id, props in document["relationships"]:
            for name in _REL_DATES[rel_type] & props.keys():
                props[name] = dt.date.fromisoformat(props[name])
            source, target = (src_label, src_id), (dst_label, dst_id)
            if source not in graph or target not in graph:
                raise KeyError(f"{rel_type} joins a node the snapshot does not hold")
            graph.relate_attrs(rel_type, source, target, props)
    except (KeyError, TypeError, ValueError) as error:
        raise StoreError(f"{path}: damaged snapshot ({error!r})") from None
    return graph
