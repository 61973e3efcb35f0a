"""The embedded store: a graph saved as Arrow tables, one per label and per relationship type,
in one zip file written atomically.

Why this format (see also README "The snapshot"):

- Arrow IPC tables are typed columns that pyarrow reads without parsing, so opening a city costs
  a fraction of parsing its ledgers. Every table is read and checked at open; each label and
  type becomes Python objects only when a question, a view or the API first asks for it
  (``GovernanceGraph.from_columns``), the questions read relationships type by type straight
  from these columns, and NetworkX's adjacency is only built when something walks the graph
  node by node.
- The tables are checked against the schema by column, never row by row: types, enum values,
  unique ids, end labels of each relationship type, end nodes that exist.
- A zip container (standard library) keeps it one file, gives every table a CRC-32 (flipped bytes
  are caught) and a declared size that is enforced while inflating, so a small file cannot
  expand without limit. Deflate at level 1: fast enough to write, and a city is about 11 MB.
- No pickle anywhere: a snapshot from a stranger is data, never code.

Saving writes an unpredictable temporary file beside the target (created exclusively), syncs
it and renames it over the target: an interrupted save leaves the previous snapshot intact.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
import types
import typing
import zipfile
import zlib
from collections.abc import Callable
from enum import Enum
from itertools import repeat
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from .errors import StoreError
from .graph import GovernanceGraph, RelationshipColumns, dicts_of_columns, paused_gc
from .schema import NODE_MODELS, RELATIONSHIPS, is_id_number_header

__all__ = ["save_snapshot", "load_snapshot", "DEFAULT_SNAPSHOT", "FORMAT", "VERSION",
           "MAX_EXPANSION", "MIN_UNPACKED_BUDGET"]

FORMAT = "gridgraph-snapshot"
VERSION = 3  # 3: Arrow tables in a zip (2: per-label tables in gzip JSON; 1: node-link gzip JSON)
DEFAULT_SNAPSHOT = "gridgraph.snapshot"

#: A snapshot may unpack to at most this many times its size on disk (a city: about 5 times),
#: or to ``MIN_UNPACKED_BUDGET`` bytes, whichever is larger.
MAX_EXPANSION = 50
MIN_UNPACKED_BUDGET = 64 * 2**20

Progress = Callable[[str, int, int], None]

_MANIFEST = "manifest.json"
_MAX_MANIFEST_BYTES = 2**20
# A relationship's ends: the label and the row of the node in that label's table (so opening
# needs no lookup by id, and a missing end node is an out-of-range row, checked by min/max).
_ENDS = ("source_label", "source_row", "target_label", "target_row")
_GZIP_MAGIC, _ZIP_MAGIC = b"\x1f\x8b", b"PK\x03\x04"
_REBUILD = "rebuild it from the ledgers: `gridgraph load LEDGERS -o SNAPSHOT`"
# Property types a snapshot may hold (the schema's PropertyValue): anything else is refused.
_EXTRA_TYPES = (pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.date32())


# -- the expected columns, from the schema -----------------------------------------------
class _Column(typing.NamedTuple):
    type: pa.DataType
    required: bool  # the field has no default: its column must be there
    not_null: bool  # the field is not optional: no nulls
    allowed: tuple[str, ...] | None  # enum values


def _column_of(field) -> _Column:
    """The Arrow column a pydantic field stores as."""
    annotation, not_null = field.annotation, True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        not_null = len(args) == len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    allowed = None
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        annotation, allowed = str, tuple(member.value for member in annotation)
    arrow_type = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}.get(
        annotation, pa.date32())
    return _Column(arrow_type, field.is_required(), not_null, allowed)


def _declared(model) -> dict[str, _Column]:
    return {name: _column_of(field) for name, field in model.model_fields.items()}


_NODE_COLUMNS = {label: _declared(model) for label, model in NODE_MODELS.items()}
_REL_COLUMNS = {rel_type: _declared(spec.props) for rel_type, spec in RELATIONSHIPS.items()}


# -- saving -------------------------------------------------------------------------------
def save_snapshot(graph: GovernanceGraph, path: str | os.PathLike, *,
                  progress: Progress | None = None) -> Path:
    """Write ``graph`` to ``path`` atomically; returns the path.

    ``progress(step, done, total)`` is called after each table is written.
    """
    path = Path(path)
    with paused_gc():
        tables = {f"nodes/{label}": _node_table(graph, label)
                  for label in NODE_MODELS if graph.count(label)}
        rows = {label: {key: row for row, (key, _) in enumerate(graph.nodes(label))}
                for label in NODE_MODELS}
        tables.update((f"relationships/{rel_type}", _relationship_table(rel_type, columns, rows))
                      for rel_type, columns in graph.relationship_columns().items())
    tables = {name: table for name, table in tables.items() if table.num_rows}
    manifest = {"format": FORMAT, "version": VERSION,
                "tables": {name: table.num_rows for name, table in tables.items()}}
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                archive.writestr(_MANIFEST, json.dumps(manifest, ensure_ascii=False))
                for done, (name, table) in enumerate(tables.items(), 1):
                    archive.writestr(f"{name}.arrow", memoryview(_ipc_bytes(table)))
                    if progress:
                        progress("writing snapshot", done, len(tables))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def _node_table(graph: GovernanceGraph, label: str) -> pa.Table:
    rows = [attrs for _, attrs in graph.nodes(label)]
    names = list(dict.fromkeys(key for attrs in rows for key in attrs if key != "label"))
    declared = _NODE_COLUMNS[label]
    return pa.table({name: _array(f"{label}.{name}", [attrs.get(name) for attrs in rows],
                                  declared[name].type if name in declared else None)
                     for name in names})


def _relationship_table(rel_type: str, columns: RelationshipColumns, rows: dict[str, dict]) -> pa.Table:
    """Ends as (label, row in that label's node table); declared properties as columns."""
    sources, targets, props = columns
    table = {}
    for end, keys in (("source", sources), ("target", targets)):
        table[f"{end}_label"] = pa.array([key[0] for key in keys], pa.string()).dictionary_encode()
        table[f"{end}_row"] = pa.array([rows[key[0]][key] for key in keys], pa.int32())
    for name, column in _REL_COLUMNS[rel_type].items():
        values = [properties.get(name) for properties in props or ()]
        if any(value is not None for value in values):
            table[name] = _array(f"{rel_type}.{name}", values, column.type)
    return pa.table(table)


def _array(where: str, values: list, arrow_type: pa.DataType | None) -> pa.Array:
    try:
        array = pa.array(values, arrow_type)
    except (pa.ArrowException, TypeError, ValueError) as error:
        raise StoreError(f"cannot store property {where} in a snapshot ({error})") from None
    if array.type not in _EXTRA_TYPES and array.null_count < len(array):
        raise StoreError(f"cannot store property {where} of type {array.type} in a snapshot",
                         hint="properties are text, numbers, true/false or dates")
    return array if array.null_count < len(array) else array.cast(pa.string())


def _ipc_bytes(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


# -- opening ------------------------------------------------------------------------------
def load_snapshot(path: str | os.PathLike, *, progress: Progress | None = None) -> GovernanceGraph:
    """Read a snapshot written by :func:`save_snapshot`, checked against the schema;
    ``progress(step, done, total)`` after each table read.

    Raises ``StoreError`` (one line naming the file and the table) for a missing, older, newer,
    damaged or invalid snapshot.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            magic = handle.read(4)
            size = os.fstat(handle.fileno()).st_size
            if magic[:2] == _GZIP_MAGIC:
                raise StoreError(f"{path}: a snapshot from an older gridgraph (gzip JSON, version "
                                 f"2 or before); this version reads version {VERSION}", hint=_REBUILD)
            if magic != _ZIP_MAGIC:
                raise StoreError(f"{path}: not a gridgraph snapshot")
            tables = _read_tables(path, handle, size, progress)
    except FileNotFoundError:
        raise StoreError(f"{path}: no such snapshot",
                         hint="build one with `gridgraph load LEDGERS -o SNAPSHOT`") from None
    except IsADirectoryError:
        raise StoreError(f"{path}: is a folder, not a snapshot") from None
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, zipfile.LargeZipFile,
            NotImplementedError, pa.ArrowException, ValueError, RecursionError) as error:
        raise StoreError(f"{path}: damaged snapshot ({_brief(error)})", hint=_REBUILD) from None
    except _Invalid as error:
        raise StoreError(f"{path}: {error}", hint=_REBUILD) from None
    with paused_gc(freeze=True):
        return _graph_of(tables)


class _Invalid(Exception):
    """A snapshot that is readable but breaks the format or the schema."""


def _brief(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def _read_tables(path: Path, handle, size: int, progress: Progress | None) -> dict[str, pa.Table]:
    """The manifest checked, then every table read within the unpacked-size budget and checked."""
    handle.seek(0)
    budget = max(MIN_UNPACKED_BUDGET, MAX_EXPANSION * size)
    with zipfile.ZipFile(handle) as archive:
        members = {info.filename: info for info in archive.infolist()}
        unpacked = sum(info.file_size for info in members.values())
        if unpacked > budget:
            raise _Invalid(f"would unpack to {unpacked:,} bytes, over the limit of {budget:,} "
                           f"for a file of {size:,} bytes; refused")
        if _MANIFEST not in members or members[_MANIFEST].file_size > _MAX_MANIFEST_BYTES:
            raise _Invalid("not a gridgraph snapshot (no manifest)")
        manifest = json.loads(archive.read(_MANIFEST).decode("utf-8"))
        counts = _check_manifest(manifest)
        unexpected = set(members) - {_MANIFEST} - {f"{name}.arrow" for name in counts}
        if unexpected:
            raise _Invalid(f"unexpected member {sorted(unexpected)[0]!r}")
        tables = {}
        for name, rows in counts.items():
            member = f"{name}.arrow"
            if member not in members:
                raise _Invalid(f"table {name} is missing")
            table = ipc.open_file(pa.py_buffer(archive.read(member))).read_all()
            table.validate(full=True)
            if table.num_rows != rows:
                raise _Invalid(f"{name}: {table.num_rows} rows, the manifest says {rows}")
            tables[name] = table
            if progress:
                progress("opening snapshot", len(tables), len(counts))
    _check_tables(tables)
    return tables


def _check_manifest(manifest: Any) -> dict[str, int]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _Invalid("not a gridgraph snapshot")
    version = manifest.get("version")
    if version != VERSION:
        if isinstance(version, int) and version > VERSION:
            raise _Invalid(f"snapshot version {version} is from a newer gridgraph; this version "
                           f"reads version {VERSION}")
        raise _Invalid(f"snapshot version {version!r} is not supported (this version reads {VERSION})")
    counts = manifest.get("tables")
    known = {f"nodes/{label}" for label in NODE_MODELS} | {f"relationships/{t}" for t in RELATIONSHIPS}
    if not isinstance(counts, dict) or not all(
            name in known and type(rows) is int and rows >= 0 for name, rows in counts.items()):
        raise _Invalid("the manifest's table list is damaged")
    return counts


# -- checking against the schema, by column -----------------------------------------------
def _check_tables(tables: dict[str, pa.Table]) -> None:
    for label in NODE_MODELS:
        table = tables.get(f"nodes/{label}")
        if table is not None:
            _check_nodes(label, table)
    sizes = {label: tables[f"nodes/{label}"].num_rows if f"nodes/{label}" in tables else 0
             for label in NODE_MODELS}
    for rel_type in RELATIONSHIPS:
        table = tables.get(f"relationships/{rel_type}")
        if table is not None:
            _check_relationships(rel_type, table, sizes)


def _check_nodes(label: str, table: pa.Table) -> None:
    where = f"nodes/{label}"
    declared = _NODE_COLUMNS[label]
    raw_id_numbers = {name for name in table.column_names if is_id_number_header(name)}
    _check_columns(where, table, declared, raw_id_numbers | {"label"})
    for name in ("id", "name"):
        lengths = pc.utf8_length(table.column(name))
        if pc.min(lengths).as_py() == 0:
            raise _Invalid(f"{where}: an empty {name} in row {_first(pc.equal(lengths, 0))}")
    if pc.count_distinct(table.column("id")).as_py() != table.num_rows:
        counts = pc.value_counts(table.column("id"))
        duplicate = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
        raise _Invalid(f"{where}: node id {duplicate!r} appears twice")


def _check_relationships(rel_type: str, table: pa.Table, sizes: dict[str, int]) -> None:
    where = f"relationships/{rel_type}"
    spec = RELATIONSHIPS[rel_type]
    for name in _ENDS:
        if name not in table.column_names:
            raise _Invalid(f"{where}: no {name} column")
        column = table.column(name)
        expected = pa.int32() if name.endswith("_row") else pa.dictionary(pa.int32(), pa.string())
        if column.type != expected:
            raise _Invalid(f"{where}: column {name} holds {column.type}, not {expected}")
        if column.null_count:
            raise _Invalid(f"{where}: an empty {name} in row {_first(pc.is_null(column))}")
    _check_columns(where, table, _REL_COLUMNS[rel_type], set(), ends=_ENDS)
    for end, allowed in (("source", spec.sources), ("target", spec.targets)):
        labels = table.column(f"{end}_label").combine_chunks()
        node_rows = table.column(f"{end}_row")
        for label in pc.unique(labels.dictionary.take(pc.unique(labels.indices))).to_pylist():
            if label not in allowed:
                raise _Invalid(f"{where}: a {rel_type} {'from' if end == 'source' else 'to'} a {label} "
                               f"is not allowed; {rel_type} joins {'/'.join(spec.sources)} to "
                               f"{'/'.join(spec.targets)}")
            here = node_rows if len(labels.dictionary) == 1 else node_rows.filter(
                pc.equal(labels.cast(pa.string()), label))
            low, high = pc.min_max(here).values()
            if low.as_py() < 0 or high.as_py() >= sizes[label]:
                raise _Invalid(f"{where}: a {end} refers to a row outside nodes/{label} "
                               f"({sizes[label]} rows): its node is missing")


def _check_columns(where: str, table: pa.Table, declared: dict[str, _Column], forbidden: set,
                   ends: tuple[str, ...] = ()) -> None:
    """Declared columns: present when required, of their type, within their enum; others:
    allowed only on nodes (extra properties), of a property type, never a forbidden name."""
    for name, column in declared.items():
        if name not in table.column_names:
            if column.required:
                raise _Invalid(f"{where}: no {name} column")
            continue
        values = table.column(name)
        if values.type != column.type:
            raise _Invalid(f"{where}: column {name} holds {values.type}, not {column.type}")
        if column.not_null and values.null_count:
            raise _Invalid(f"{where}: an empty {name} in row {_first(pc.is_null(values))}")
        if column.allowed is not None:
            outside = pc.invert(pc.is_in(values, value_set=pa.array(column.allowed)))
            outside = pc.and_(outside, pc.is_valid(values))
            if pc.any(outside).as_py():
                row = _first(outside)
                raise _Invalid(f"{where}: row {row}: {name}={values[row].as_py()!r} is not one of "
                               f"{', '.join(column.allowed)}")
    for name in table.column_names:
        if name in declared or name in ends:
            continue
        if ends or name in forbidden:
            raise _Invalid(f"{where}: column {name!r} is not allowed here")
        if table.column(name).type not in _EXTRA_TYPES:
            raise _Invalid(f"{where}: column {name} holds {table.column(name).type}, "
                           "not text, a number, true/false or a date")


def _first(mask) -> int:
    """Index of the first true value of a boolean column (a row number, counted from 0)."""
    return pc.index(mask, True).as_py()


def _is_text(arrow_type: pa.DataType) -> bool:
    return arrow_type == pa.string() or (pa.types.is_dictionary(arrow_type)
                                         and arrow_type.value_type == pa.string())


# -- building the graph -------------------------------------------------------------------
def _graph_of(tables: dict[str, pa.Table]) -> GovernanceGraph:
    """The graph of checked tables; each label and type is turned into Python objects when the
    graph first needs it (see ``GovernanceGraph.from_columns``)."""
    keys = _Keys(tables)
    nodes = {label: (table.num_rows, functools.partial(keys.__getitem__, label),
                     functools.partial(_node_attrs, table, label, keys))
             for label in NODE_MODELS if (table := tables.get(f"nodes/{label}")) is not None}
    relationships = {rel_type: (table.num_rows, functools.partial(_relationship_rows, table, rel_type, keys))
                     for rel_type in RELATIONSHIPS
                     if (table := tables.get(f"relationships/{rel_type}")) is not None}
    return GovernanceGraph.from_columns(nodes, relationships)


class _Keys:
    """Each label's node keys, ``(label, id)`` per row, made once: a label's nodes and the ends of
    every relationship type share these very objects."""

    def __init__(self, tables: dict[str, pa.Table]):
        self._tables = tables
        self._made: dict[str, list] = {}

    def __getitem__(self, label: str) -> list:
        found = self._made.get(label)
        if found is None:
            ids = _values(self._tables[f"nodes/{label}"].column("id"))
            self._made[label] = found = list(zip(repeat(label), ids))
        return found


def _node_attrs(table: pa.Table, label: str, keys: _Keys) -> list[dict]:
    columns = {name: [key[1] for key in keys[label]] if name == "id" else _values(table.column(name))
               for name in table.column_names}
    return dicts_of_columns(columns, "label", label)


def _relationship_rows(table: pa.Table, rel_type: str, keys: _Keys) -> RelationshipColumns:
    columns = {name: _values(table.column(name)) for name in table.column_names if name not in _ENDS}
    return (_end_keys(table, "source", keys), _end_keys(table, "target", keys),
            dicts_of_columns(columns, "type", rel_type) if columns else None)


def _end_keys(table: pa.Table, end: str, keys: _Keys) -> list:
    """The node keys at one end of a relationship table (the nodes' own key objects, shared)."""
    labels = table.column(f"{end}_label").combine_chunks()
    rows = table.column(f"{end}_row").to_numpy().tolist()
    if len(labels.dictionary) == 1:
        return list(map(keys[labels.dictionary[0].as_py()].__getitem__, rows))
    by_index = [keys[label] for label in labels.dictionary.to_pylist()]
    return [by_index[index][row] for index, row in zip(labels.indices.to_numpy().tolist(), rows)]


def _values(column: pa.ChunkedArray) -> list:
    """A column as a Python list (``None`` for nulls), through NumPy where that is much faster
    than ``to_pylist`` (text, flags and dates; NumPy would turn null integers into NaN)."""
    column = column.combine_chunks()
    if pa.types.is_dictionary(column.type):
        words = column.dictionary.to_pylist()
        return [words[index] for index in column.indices.to_numpy(zero_copy_only=False).tolist()]
    if column.type in (pa.string(), pa.date32(), pa.bool_()):
        return column.to_numpy(zero_copy_only=False).tolist()
    return column.to_pylist()
