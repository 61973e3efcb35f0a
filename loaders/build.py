"""Ledger rows → validated records → a ``GovernanceGraph``, reporting every problem on the way.

Rows are parsed into plain attribute dicts by the parsers ``specs`` derives from the schema, so the
city scale (150,000 buildings) loads at the speed of the CSV parser rather than of one pydantic
model per row; the graph is then filled with ``add_attrs``/``relate_attrs``. Tests check that every
node so built validates as its schema model.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

from graphmodel.atomic import check_output
from graphmodel.errors import LedgerError, StoreError
from graphmodel.graph import GovernanceGraph, NodeKey, paused_gc
from graphmodel.privacy import (contains_id_number, hash_id_number, mask_id_number,
                               mask_id_numbers, pii_key)
from graphmodel.schema import (AREA_LABELS, NODE_MODELS, RELATIONSHIPS, AreaLevel, ListKind,
                               OrgType, PartyOrgKind, RatingResult, is_id_number_header,
                               normalize_role)
from graphmodel.snapshot import save_snapshot

from .problems import Problem, counted
from .reading import Source, find_sources
from .specs import (LEDGERS, NEEDS_COLUMN, REQUIRED, Column, LedgerSpec, column_parser,
                    fold_header, footer_note, parse_text)

__all__ = ["LoadResult", "load_ledgers", "load_to_snapshot"]

Progress = Callable[[str, int, int], None]
READING, CHECKING, BUILDING = "读取 reading", "校验 checking", "建图 building"  # progress steps
_HEADER_SCAN_ROWS = 10  # a title row or two above the header is common in street-office sheets
_CLOSE_HEADER = 0.6  # difflib's ratio: 所在小区 is this close to 所属小区编码, 小区地址 to 小区编码 not
_AREA_LEVEL_LABEL = {level.value: label for level, label in AREA_LABELS.items()}
_LABEL_ZH = {label: model.zh for label, model in NODE_MODELS.items()}
_FOOTER_SKIPPED = "表尾备注, 不是台账行, 已跳过: {0} (a footer note under the table, not a row, skipped: {0})"
_ID_NUMBER_IN_TEXT = ("含有身份证号; 身份证号只能填在人员台账的身份证号列 (holds an ID-card number, which "
                      "is never stored: put it in the 身份证号 column of 人员, or remove it)")


@dataclass
class LoadResult:
    """What :func:`load_ledgers` built and found.

    Attributes
    ----------
    graph : GovernanceGraph
        The graph of every valid row.
    problems : list[Problem]
        Every problem found (rows with one are not in the graph when ``skip_invalid``).
    warnings : list[Problem]
        Things ignored on purpose: unrecognised files, extra columns a relationship ledger
        cannot keep, relationships dropped because the row they point at was invalid.
    files : list[str]
        The files (``file[sheet]`` for workbooks) read, in order.
    rows : dict[str, int]
        Data rows read per ledger name (blank rows not counted).
    """

    graph: GovernanceGraph
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _misspelt_header(column: Column, headers: list[str]) -> tuple[str, str] | None:
    """``(header, alias)``: the header of ``headers`` (columns no spec column took) closest to one of
    ``column``'s accepted headers, and that alias (所在小区 → 所属小区编码); ``None`` when none is close."""
    aliases = {fold_header(alias): alias for alias in column.headers()}
    best = None
    for header in headers:
        for folded in difflib.get_close_matches(fold_header(header), aliases, n=1, cutoff=_CLOSE_HEADER):
            score = difflib.SequenceMatcher(None, fold_header(header), folded).ratio()
            if best is None or score > best[0]:
                best = (score, header, aliases[folded])
    return best[1:] if best else None


class _Record:
    """One data row: parsed values, extra columns kept as text, and whether it may be loaded."""

    __slots__ = ("source", "binding", "row", "cells", "values", "extras", "invalid", "dropped", "key")

    def __init__(self, source, binding, row, cells, values, extras, invalid):
        self.source, self.binding, self.row, self.cells = source, binding, row, cells
        self.values, self.extras, self.invalid = values, extras, invalid
        self.dropped: tuple[str, ...] = ()  # relationship types refused on this row (cyclic UNDER)
        # The node's key once its id is indexed: every relationship to it shares this one tuple
        # (a city has 1.5 million relationship ends).
        self.key: NodeKey | None = None

    @property
    def id(self) -> str:
        return self.values["id"]


@dataclass
class _Binding:
    """How one source's header maps onto its ledger's columns."""

    header_row: int                                  # position in the source's rows
    columns: list[tuple[str, int, Callable | None, str]]  # key, index, parser (None: text), required
    headers: dict[str, str]                          # key -> header as written
    extras: list[tuple[int, str]]                    # cell index, header as written
    usable: bool = True


class _Link(NamedTuple):
    rel_type: str
    source: NodeKey
    target: NodeKey
    props: dict[str, Any]
    owner: _Record                   # the row the relationship was read from
    source_row: _Record              # the rows of its two end nodes
    target_row: _Record


def _defaults(model) -> dict[str, Any]:
    values = {}
    for name, info in model.model_fields.items():
        default = None if info.is_required() else info.get_default()
        if default is not None:
            values[name] = default.value if isinstance(default, Enum) else default
    return values


_NODE_DEFAULTS = {label: _defaults(model) for label, model in NODE_MODELS.items()}
_REL_BASE = {rel_type: {"type": rel_type, **_defaults(spec.props)}  # edge props before the row's
             for rel_type, spec in RELATIONSHIPS.items()}
# Types without properties: the graph keeps no props dict for them, so their links share one.
_PROPERTYLESS = frozenset(rel_type for rel_type, spec in RELATIONSHIPS.items()
                          if not spec.props.model_fields)


def load_ledgers(path: str | os.PathLike, *, skip_invalid: bool = False,
                 progress: Progress | None = None, max_rows: int | None = None) -> LoadResult:
    """Read a ledger folder or workbook, validate every row and build the graph.

    Parameters
    ----------
    path : str or PathLike
        A folder of CSV/XLSX ledgers, one workbook with a sheet per ledger, or a single file.
    skip_invalid : bool
        Load the valid rows and list the problems, instead of refusing the whole load.
        Relationships that point at a dropped row are dropped too and listed as warnings.
    progress : callable, optional
        Called as ``progress(step, done, total)`` while reading, checking and building.
    max_rows : int, optional
        Refuse ledgers with more rows than this, before they fill memory; default
        ``$GRIDGRAPH_MAX_ROWS`` or 2,000,000 (about 3 GB in memory). Larger areas belong in Neo4j.

    Returns
    -------
    LoadResult

    Raises
    ------
    LedgerError
        When the path cannot be read, holds more than ``max_rows`` rows, or (unless
        ``skip_invalid``) when any problem is found; ``error.problems`` lists every one.

    Examples
    --------
    >>> result = load_ledgers("ledgers/", skip_invalid=True)     # doctest: +SKIP
    >>> result.graph.count("Compound"), len(result.problems)      # doctest: +SKIP
    (148, 0)
    """
    loader = _Loader(Path(path), progress or (lambda step, done, total: None), max_rows)
    with paused_gc(freeze=True):
        result = loader.run()
    if result.problems and not skip_invalid:
        raise LedgerError(f"{counted(len(result.problems), 'problem')} in the ledgers at {path}; nothing loaded",
                          problems=result.problems,
                          hint="fix the rows listed, or load the valid rows with --skip-invalid")
    return result


def load_to_snapshot(path: str | os.PathLike, output: str | os.PathLike, *,
                     skip_invalid: bool = False, progress: Progress | None = None) -> LoadResult:
    """Load ledgers (see :func:`load_ledgers`) and save the graph as a snapshot at ``output``.

    In strict mode nothing is written when any problem is found (``LedgerError`` is raised);
    the snapshot is written atomically, so an earlier snapshot survives a failed load.
    ``OutputError`` when ``output`` is a ledger of ``path`` (or would be read as one), a
    device, a symlink or a folder; ``StoreError`` when the snapshot cannot be written.
    """
    check_output(output, [path])  # before the work: the snapshot must not replace a ledger
    result = load_ledgers(path, skip_invalid=skip_invalid, progress=progress)
    try:
        save_snapshot(result.graph, output, progress=progress)
    except OSError as error:
        raise StoreError(f"{output}: cannot write the snapshot ({error.strerror or error})",
                         hint="choose another -o/--output path") from None
    return result


class _Loader:
    def __init__(self, path: Path, progress: Progress, max_rows: int | None = None):
        self.path = path
        self.progress = progress
        self.max_rows = max_rows
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.records: dict[str, list[_Record]] = {spec.name: [] for spec in LEDGERS}
        self.index: dict[str, dict[str, _Record]] = {label: {} for label in NODE_MODELS}
        self.areas: dict[str, _Record] = {}
        self.links: list[_Link] = []
        self._pii_key: bytes | None = None

    # -- problems ---------------------------------------------------------------------------
    def problem(self, record: _Record, key: str | None, reason: str, value: Any = None,
                *, drops: str | None = None) -> None:
        """Report a problem on a row: the whole row is refused, or only relationship ``drops``."""
        source = record.source
        header = record.binding.headers.get(key) if key else None
        if value is None and key is not None:
            index = next((i for k, i, _, _ in record.binding.columns if k == key), None)
            value = record.cells[index] if index is not None and index < len(record.cells) else None
        self.problems.append(Problem(source.file, record.row, header,
                                     _show(value, id_column=key == "id_number"), reason, source.sheet))
        if drops is None:
            record.invalid = True
        else:
            record.dropped = (*record.dropped, drops)

    def cell_problem(self, source: Source, row: int, header: str | None, value: Any,
                     reason: str, record: _Record | None = None) -> None:
        """A problem with one cell, named by its header as written; its row is refused."""
        id_column = header is not None and is_id_number_header(header)
        self.problems.append(Problem(source.file, row, header, _show(value, id_column=id_column),
                                     reason, source.sheet))
        if record is not None:
            record.invalid = True

    def _flaws(self, source: Source, binding: _Binding, records: dict[int, _Record]) -> None:
        """Report the cells reading found unusable (``Source.flaws``), refusing their rows."""
        header_row, header_cells = source.rows[binding.header_row]
        rows = dict(source.rows)
        for row, flaws in source.flaws.items():
            cells = rows.get(row, ())
            for index, reason in flaws:
                header = None
                if row > header_row and index < len(header_cells) and header_cells[index] is not None:
                    header = parse_text(header_cells[index]) or None
                value = cells[index] if index < len(cells) else None
                self.cell_problem(source, row, header, value, reason, records.get(row))

    # -- the run ----------------------------------------------------------------------------
    def run(self) -> LoadResult:
        self.progress(READING, 0, 1)
        sources = find_sources(self.path, self.problems, self.warnings, max_rows=self.max_rows)
        self.progress(READING, 1, 1)
        present = {source.spec.name for source in sources}
        for spec in LEDGERS:
            if spec.required and spec.name not in present:
                self.problems.append(Problem(self.path.name, None, None, None,
                                             f"缺少必需的台账: {spec.zh} (missing ledger: {spec.name})"))
        for number, source in enumerate(sources, start=1):
            self._parse_source(source)
            self.progress(CHECKING, number, len(sources))
        for spec in LEDGERS:
            if spec.name in present and not self.records[spec.name]:
                empty = Problem(self.path.name, None, None, None,
                                f"台账没有数据行: {spec.zh} ({spec.name} has no data rows)")
                (self.problems if spec.required else self.warnings).append(empty)
        for spec in LEDGERS:
            self._index(spec)
        for spec in LEDGERS:
            LINKS_OF[spec.name](self, self.records[spec.name])
        self._check_party_hierarchy()
        self._release_rows(sources)
        graph = self._build()
        for found in (self.problems, self.warnings):  # in the order a clerk walks the files
            found.sort(key=lambda problem: (problem.file, problem.sheet or "", problem.row or 0))
        return LoadResult(graph, self.problems, self.warnings,
                          [source.display for source in sources],
                          {spec.name: len(self.records[spec.name]) for spec in LEDGERS
                           if spec.name in present})

    # -- parsing ----------------------------------------------------------------------------
    def _bind(self, source: Source) -> _Binding | None:
        spec = source.spec
        by_header = {fold_header(header): column for column in spec.columns
                     for header in column.headers()}
        header_at = None
        for position, (_, cells) in enumerate(source.rows[:_HEADER_SCAN_ROWS]):
            if any(fold_header(parse_text(cell)) in by_header for cell in cells if cell is not None):
                header_at = position
                break
        if header_at is None:
            if any(_filled(cells) for _, cells in source.rows):
                self.problems.append(Problem(source.file, None, None, None,
                                             f"找不到表头 (no header row of {spec.zh}/{spec.name} "
                                             f"in the first {_HEADER_SCAN_ROWS} rows)", source.sheet))
            return None
        row_number, header_cells = source.rows[header_at]
        columns, headers, extras = [], {}, []
        for index, cell in enumerate(header_cells):
            header = parse_text(cell) if cell is not None else ""
            if not header:
                continue
            column = by_header.get(fold_header(header))
            if column is None:
                extras.append((index, header))
            elif column.key in headers:
                self.warnings.append(Problem(source.file, row_number, header, None,
                                             f"重复的列, 与 {headers[column.key]} 相同, 已忽略 (same column as "
                                             f"{headers[column.key]}, ignored)",
                                             source.sheet))
            else:
                headers[column.key] = header
                columns.append((column.key, index, self._parser(spec, column), column.required))
        missing = [column for column in spec.columns
                   if column.required in (REQUIRED, NEEDS_COLUMN) and column.key not in headers]
        guesses = {column.key: guess for column in missing
                   if (guess := _misspelt_header(column, [header for _, header in extras]))}
        # A header taken for a misspelt required column is named in its problem, not kept as a property.
        binding = _Binding(header_at, columns, headers,
                           self._keepable(source, [(index, header) for index, header in extras
                                                   if header not in {found for found, _ in guesses.values()}],
                                          row_number))
        for column in missing:
            binding.usable = False
            found, meant = guesses.get(column.key, (None, None))
            reason = (f"缺少必需的列 {column.zh}; 找到 {found}, 是否应为 {meant}? (missing column "
                      f"{column.zh}/{column.en}: found {found}; did you mean {meant}?)" if found else
                      f"缺少必需的列 (missing column {column.zh}/{column.en})")
            self.problems.append(Problem(source.file, None, found or column.zh, None, reason, source.sheet))
        if spec.one_of and not headers.keys() & set(spec.one_of):
            binding.usable = False
            names = " 或 ".join(spec.column(key).zh for key in spec.one_of)
            names_en = " or ".join(spec.column(key).en for key in spec.one_of)
            self.problems.append(Problem(source.file, None, None, None,
                                         f"缺少必需的列 {names} (missing column {names_en})", source.sheet))
        return binding

    def _keepable(self, source: Source, extras: list[tuple[int, str]], row: int):
        """Extra columns a node can keep as properties; others are warned about and ignored."""
        spec, kept = source.spec, []
        reserved = {"label", *(name for model in NODE_MODELS.values() for name in model.model_fields)}
        for index, header in extras:
            if is_id_number_header(header):
                reason = "身份证号只能放在人员台账的身份证号列 (raw ID numbers are never stored)"
            elif spec.label is None and spec.name != "areas":
                reason = "关系台账不保留额外列 (a relationship ledger keeps no extra columns)"
            elif header in reserved:
                reason = "与系统属性同名, 已忽略 (name reserved by the schema)"
            else:
                kept.append((index, header))
                continue
            self.warnings.append(Problem(source.file, row, header, None, reason, source.sheet))
        return kept

    def _parser(self, spec: LedgerSpec, column: Column) -> Callable | None:
        """The column's parser, remembered per load: ledgers repeat few distinct dates, kinds and
        roles many times over. ``None`` for plain text, which the row loop handles inline."""
        parser = column_parser(spec, column)
        if parser is parse_text:
            return None
        if parser is hash_id_number:
            if self._pii_key is None:
                self._pii_key = pii_key()  # read the key once, not once per person
            key = self._pii_key
            return lambda value: hash_id_number(_id_number_text(value), key=key)
        if parser is normalize_role:
            return functools.lru_cache(maxsize=4096)(lambda value: normalize_role(parse_text(value)))
        return functools.lru_cache(maxsize=65536)(parser)

    def _parse_source(self, source: Source) -> None:
        binding = self._bind(source)
        if binding is None:
            return
        records = self.records[source.spec.name]
        columns, extras = binding.columns, binding.extras
        flawed: dict[int, _Record] = {}
        rows = source.rows[binding.header_row + 1:]
        body = len(rows)  # the notes under the table (填表人, 合计 …) are no rows: one warning each
        while body and (not _filled(rows[body - 1][1]) or footer_note(rows[body - 1][1]) is not None):
            body -= 1
        for row, cells in rows[body:]:
            if (note := footer_note(cells)) is not None:
                self.warnings.append(Problem(source.file, row, None, note, _FOOTER_SKIPPED.format(note), source.sheet))
        for row, cells in rows[:body]:
            if not any(cells):
                continue
            values, failures = {}, None
            width = len(cells)
            for key, index, parser, required in columns:
                cell = cells[index] if index < width else None
                if cell.__class__ is str:
                    cell = cell.strip()
                if cell is None or cell == "":
                    if required == REQUIRED:
                        failures = (failures or []) + [(key, "", "必填项为空 (required value missing)")]
                elif parser is None:  # plain text, the common case: no call for a CSV cell
                    text = cell if cell.__class__ is str else parse_text(cell)
                    if len(text) >= 15 and contains_id_number(text):
                        failures = (failures or []) + [(key, text, _ID_NUMBER_IN_TEXT)]
                    elif cell.__class__ is not str and _rounded_number(cell):
                        failures = (failures or []) + [(key, cell, _ROUNDED_NUMBER)]
                    else:
                        values[key] = text
                else:
                    try:
                        values[key] = parser(cell)
                    except ValueError as error:
                        failures = (failures or []) + [(key, cell, str(error))]
            kept, leaks = {}, None
            for index, header in extras:
                cell = cells[index] if index < width else None
                if cell is not None and (text := parse_text(cell)):
                    if len(text) >= 15 and contains_id_number(text):
                        leaks = (leaks or []) + [(header, text, _ID_NUMBER_IN_TEXT)]
                    elif _rounded_number(cell):
                        leaks = (leaks or []) + [(header, cell, _ROUNDED_NUMBER)]
                    else:
                        kept[header] = text
            if not values and not kept and not leaks and not _filled(cells):
                continue  # a blank row (spaces only); rows of empty cells never get here
            record = _Record(source, binding, row, cells, values, kept, not binding.usable)
            records.append(record)
            if row in source.flaws:
                flawed[row] = record
            for key, cell, reason in failures or ():
                self.problem(record, key, reason, cell)
            for header, value, reason in leaks or ():
                self.cell_problem(source, row, header, value, reason, record)
        if source.flaws:
            self._flaws(source, binding, flawed)

    # -- ids --------------------------------------------------------------------------------
    def _index(self, spec: LedgerSpec) -> None:
        if spec.label is None and spec.name != "areas":
            return
        seen: dict[str, _Record] = {}
        for record in self.records[spec.name]:
            node_id = record.values.get("id")
            if node_id is None:
                continue
            first = seen.get(node_id)
            if first is not None:
                where = f"{first.source.display} 第{first.row}行" if first.source is not record.source \
                    else f"第{first.row}行"
                self.problem(record, "id", f"编码重复, 与{where}相同 (duplicate id; first at row "
                                           f"{first.row})")
                continue
            seen[node_id] = record
            if spec.name == "areas":
                self.areas[node_id] = record
                level = record.values.get("level")
                if level is not None:
                    self.index[_AREA_LEVEL_LABEL[level]][node_id] = record
                    record.key = (_AREA_LEVEL_LABEL[level], node_id)
            else:
                self.index[spec.label][node_id] = record
                record.key = (spec.label, node_id)

    def ref(self, record: _Record, key: str, labels: Iterable[str], value: str | None = None
            ) -> tuple[NodeKey, _Record] | None:
        """The node a reference cell names, among ``labels``; reports unknown or wrong-level ids."""
        if value is None:
            value = record.values.get(key)
        for label in labels:
            target = self.index[label].get(value)
            if target is not None:
                return target.key, target
        labels = tuple(labels)
        wanted = "/".join(_LABEL_ZH[label] for label in labels)
        area = self.areas.get(value)
        if area is not None and set(labels) & set(_AREA_LEVEL_LABEL.values()):
            level = AreaLevel(area.values["level"]).zh if "level" in area.values else "区划"
            self.problem(record, key, f"{value} 是{level}, 不是{wanted} (wrong level)", value)
        else:
            self.problem(record, key, f"引用的{wanted}不存在 (unknown reference)", value)
        return None

    def link(self, rel_type: str, owner: _Record, source: tuple[NodeKey, _Record] | None,
             target: tuple[NodeKey, _Record] | None, props: dict | None = None) -> None:
        if source is not None and target is not None:
            # the dict the graph will keep (relate_columns adopt=True), so built once
            base = _REL_BASE[rel_type]
            props = {**base, **props} if props else base if rel_type in _PROPERTYLESS else base.copy()
            self.links.append(_Link(rel_type, source[0], target[0], props, owner, source[1], target[1]))

    @staticmethod
    def own(record: _Record, label: str) -> tuple[NodeKey, _Record] | None:
        node_id = record.values.get("id")
        if node_id is None:
            return None
        key = record.key  # shared, unless the row's id is a duplicate (a refused row)
        return (key if key is not None else (label, node_id)), record

    def check_dates(self, record: _Record, start: str, end: str,
                    words: tuple[str, str] = ("结束日期早于开始日期", "ends before it starts")) -> None:
        """A problem on ``end`` when it is before ``start``; ``words``: the reason (中文, English)."""
        first, last = record.values.get(start), record.values.get(end)
        if first is not None and last is not None and last < first:
            self.problem(record, end, f"{words[0]} {first.isoformat()} ({words[1]})")

    # -- links per ledger (see ``LINKS_OF``): each row's references are resolved, what cannot be
    # resolved is reported, and the relationships the row makes are recorded for ``_build`` ------
    def _link_areas(self, records: list[_Record]) -> None:
        parent_level = {"Street": "District", "Community": "Street"}
        for record in records:
            level = record.values.get("level")
            if level is None:
                continue
            label = _AREA_LEVEL_LABEL[level]
            parent = record.values.get("parent_id")
            if label == "District":
                if parent in self.areas:
                    self.problem(record, "parent_id", f"区县的上级不能是{parent} (a district has "
                                                      "no parent area in the ledgers)", parent)
                continue
            if parent is None:
                self.problem(record, "parent_id", "必填项为空: 街道、社区须填上级编码 "
                                                  "(required for streets and communities)", "")
                continue
            self.link("PART_OF", record, self.own(record, label),
                      self.ref(record, "parent_id", [parent_level[label]]))

    def _part_of(self, records, label: str, key: str, parent_label: str) -> None:
        parents, labels = self.index[parent_label], (parent_label,)
        for record in records:
            values = record.values
            if key in values:
                parent = parents.get(values[key])  # the usual case, without a call to ref
                self.link("PART_OF", record, self.own(record, label),
                          (parent.key, parent) if parent is not None
                          else self.ref(record, key, labels))

    def _link_grids(self, records):
        self._part_of(records, "Grid", "community_id", "Community")

    def _link_compounds(self, records):
        self._part_of(records, "Compound", "community_id", "Community")

    def _link_buildings(self, records):
        self._part_of(records, "Building", "compound_id", "Compound")

    def _link_grid_coverage(self, records):
        for record in records:
            grid = self.ref(record, "grid_id", ["Grid"]) if "grid_id" in record.values else None
            if "building_id" in record.values:
                target = self.ref(record, "building_id", ["Building"])
            elif "compound_id" in record.values:
                target = self.ref(record, "compound_id", ["Compound"])
            else:  # a sheet with neither column is one problem, a missing column, not one per row
                if record.binding.headers.keys() & set(record.source.spec.one_of):
                    self.problem(record, None, "须填写楼栋编码或小区编码 (building_id or compound_id "
                                               "required)")
                continue
            self.link("COVERS", record, grid, target)

    def _link_party_orgs(self, records):
        based_in_labels = set(RELATIONSHIPS["BASED_IN"].targets)
        for record in records:
            me = self.own(record, "PartyOrg")
            if "parent_id" in record.values:
                if record.values["parent_id"] == record.values.get("id"):
                    self.problem(record, "parent_id", "上级组织是其自身 (UNDER cycle: its own parent)",
                                 drops="UNDER")
                else:
                    self.link("UNDER", record, me, self.ref(record, "parent_id", ["PartyOrg"]))
            kind, ids = record.values.get("based_in_type"), record.values.get("based_in_id")
            if (kind is None) != (ids is None):
                missing = "based_in_type" if kind is None else "based_in_id"
                self.problem(record, missing, "依托类型和依托编码须同时填写 "
                                              "(based_in_type and based_in_id go together)", "")
                continue
            if kind is None:
                continue
            label = OrgType(kind).label
            if label not in based_in_labels:
                self.problem(record, "based_in_type", f"党组织不能依托于{OrgType(kind).zh} "
                                                      f"(a {label} is not a place to be based in)")
                continue
            for target_id in ids:
                self.link("BASED_IN", record, me,
                          self.ref(record, "based_in_id", [label], target_id))

    def _check_party_hierarchy(self) -> None:
        """Impossible parents and UNDER cycles; each refuses only the offending UNDER link."""
        parents: dict[str, _Record] = {}
        for link in self.links:
            if link.rel_type == "UNDER":
                child, parent = link.source_row, link.target_row
                child_kind, parent_kind = child.values.get("kind"), parent.values.get("kind")
                parents[child.id] = parent
                if child_kind and parent_kind and \
                        PartyOrgKind(parent_kind) not in PartyOrgKind(child_kind).allowed_parents:
                    allowed_parents = PartyOrgKind(child_kind).allowed_parents  # a set: list in kind order
                    allowed = [k for k in PartyOrgKind if k in allowed_parents]
                    allowed_zh = "、".join(k.zh for k in allowed) or "无"
                    allowed_en = ", ".join(k.value for k in allowed) or "none"
                    self.problem(child, "parent_id",
                                 f"{PartyOrgKind(child_kind).zh}的上级不能是{PartyOrgKind(parent_kind).zh}, "
                                 f"可为 {allowed_zh} (impossible parent: a {child_kind} under a {parent_kind}; "
                                 f"allowed: {allowed_en})",
                                 link.target[1], drops="UNDER")
        done: set[str] = set()
        for start in parents:
            path, position = [], {}
            node = start
            while node in parents and node not in done and node not in position:
                position[node] = len(path)
                path.append(node)
                node = parents[node].id
            if node in position:
                cycle = path[position[node]:]
                text = _cycle_text(cycle)
                for member in cycle:
                    record = self.index["PartyOrg"][member]
                    self.problem(record, "parent_id", f"上级组织形成循环: {text} (UNDER cycle: {text})",
                                 parents[member].id, drops="UNDER")
            done.update(path)

    def _link_property_contracts(self, records):
        for record in records:
            self.check_dates(record, "start", "end")
            company = self.ref(record, "company_id", ["PropertyCompany"]) \
                if "company_id" in record.values else None
            compound = self.ref(record, "compound_id", ["Compound"]) \
                if "compound_id" in record.values else None
            self.link("MANAGES", record, company, compound, _pick(record.values, "start", "end"))

    def _link_owner_committees(self, records):
        for record in records:
            self.check_dates(record, "term_start", "term_end")
            if "compound_id" in record.values:
                self.link("REPRESENTS", record, self.own(record, "OwnerCommittee"),
                          self.ref(record, "compound_id", ["Compound"]))

    def _link_resident_units(self, records):
        for record in records:
            if "community_id" in record.values:
                self.link("REGISTERED_WITH", record, self.own(record, "ResidentUnit"),
                          self.ref(record, "community_id", ["Community"]))

    def _link_people(self, records):
        references = [(key, rel_type, self.index[label], (label,)) for key, rel_type, label in
                      (("building_id", "LIVES_IN", "Building"),
                       ("registered_community_id", "REGISTERED_WITH", "Community"),
                       ("party_org_id", "MEMBER_OF", "PartyOrg"))]
        for record in records:
            me, values = self.own(record, "Person"), record.values
            for key, rel_type, index, labels in references:
                if key in values:
                    target = index.get(values[key])  # the usual case, without a call to ref
                    self.link(rel_type, record, me, (target.key, target)
                              if target is not None else self.ref(record, key, labels))

    def _link_posts(self, records):
        for record in records:
            self.check_dates(record, "start", "end")
            person = self.ref(record, "person_id", ["Person"]) if "person_id" in record.values \
                else None
            org_type = record.values.get("org_type")
            org = self.ref(record, "org_id", [OrgType(org_type).label]) \
                if org_type is not None and "org_id" in record.values else None
            self.link("HOLDS", record, person, org,
                      _pick(record.values, "role", "part_time", "start", "end"))

    def _link_lists(self, records):
        for record in records:
            me = self.own(record, "ListItem")
            kind = record.values.get("kind")
            if "community_id" in record.values:
                community = self.ref(record, "community_id", ["Community"])
            else:
                community = None
            rel_type = "OFFERED_BY" if kind == ListKind.RESOURCE.value else "RAISED_BY"
            owner_id = record.values.get("owner_id")
            if owner_id is not None:
                owner_type = record.values.get("owner_type")
                labels = [OrgType(owner_type).label] if owner_type else \
                    list(RELATIONSHIPS[rel_type].targets)
                owner = self.ref(record, "owner_id", labels)
                if owner is not None and owner[0][0] not in RELATIONSHIPS[rel_type].targets:
                    self.problem(record, "owner_id", f"{_LABEL_ZH[owner[0][0]]}不能作为清单的"
                                                     f"{RELATIONSHIPS[rel_type].zh}方 "
                                                     f"({rel_type} cannot point at {owner[0][0]})")
                    owner = None
                self.link(rel_type, record, me, owner)
            elif kind in (ListKind.DEMAND.value, ListKind.RESOURCE.value):
                self.link(rel_type, record, me, community)
            raised, closed = record.values.get("raised"), record.values.get("closed")
            if raised is not None and closed is not None and closed < raised:
                self.problem(record, "closed", "办结日期早于提出日期 (closed before it was raised)")
            matches = record.values.get("matches", ())
            if matches and kind != ListKind.PROJECT.value:
                self.problem(record, "matches", "只有项目清单可以填写对接编号 "
                                                "(only a project matches other items)")
                continue
            for target_id in matches:
                self.link("MATCHES", record, me, self.ref(record, "matches", ["ListItem"], target_id))

    def _link_venues(self, records):
        located_labels = RELATIONSHIPS["LOCATED_IN"].targets
        for record in records:
            place = self._area_target(record, "located_type", "located_id", located_labels, "阵地所在")
            if place is not None:
                self.link("LOCATED_IN", record, self.own(record, "Venue"), place)

    def _link_cases(self, records):
        about_labels = RELATIONSHIPS["ABOUT"].targets
        for record in records:
            values = record.values
            if "id" in values:
                values.setdefault("name", values["id"])  # a case without a title goes by its number
            self.check_dates(record, "received", "closed",
                             ("办结日期早于受理日期", "closed before it was received"))
            about = self._area_target(record, "about_type", "about_id", about_labels, "诉求对象")
            if about is not None:
                self.link("ABOUT", record, self.own(record, "Case"), about)

    def _link_property_ratings(self, records):
        rated_labels = RELATIONSHIPS["RATED"].targets
        self._same_day_ratings(records)
        for record in records:
            company = self.ref(record, "company_id", ["PropertyCompany"]) \
                if "company_id" in record.values else None
            rater = self._area_target(record, "rated_by_type", "rated_by_id", rated_labels, "评价单位")
            self.link("RATED", record, company, rater, _pick(record.values, "date", "result", "period"))

    def _same_day_ratings(self, records):
        """Two rows rating one company by one rater on one date would be one RATED, the last row
        winning (black then red drops the company from B17). Rows that say the same are one
        rating, with a warning; rows that differ are all refused, each naming the others."""
        same_day: dict[tuple, list[_Record]] = defaultdict(list)
        for record in records:
            key = tuple(record.values.get(name) for name in
                        ("company_id", "rated_by_type", "rated_by_id", "date"))
            if None not in key:
                same_day[key].append(record)
        for group in (group for group in same_day.values() if len(group) > 1):
            said = {(record.values.get("result"), record.values.get("period")) for record in group}
            for record in group:
                if len(said) == 1:
                    if record is not group[0]:
                        self.warnings.append(Problem(
                            record.source.file, record.row, None, None,
                            f"与第{group[0].row}行是同一条评价, 只计一次 (the same rating as row "
                            f"{group[0].row}, counted once)",
                            record.source.sheet))
                    continue
                results = "；".join(f"第{other.row}行: {_rating_zh(other.values.get('result'))}"
                                   for other in group)
                rows = ", ".join(str(other.row) for other in group)
                self.problem(record, "date", f"同一企业同一评价单位同一日期有不同的评价 ({results}); "
                                             f"请只保留一条 (different ratings of one company by one "
                                             f"rater on one date, rows {rows}: keep one)")

    def _area_target(self, record: _Record, type_key: str, id_key: str, labels: tuple[str, ...],
                     what: str) -> tuple[NodeKey, _Record] | None:
        """The node a type column and a code column name together, when its label is one of ``labels``."""
        kind, target_id = record.values.get(type_key), record.values.get(id_key)
        if kind is None or target_id is None:
            return None
        label = OrgType(kind).label
        if label not in labels:
            allowed = "、".join(_LABEL_ZH[allowed] for allowed in labels)
            self.problem(record, type_key, f"{what}只能是{allowed} (a {label} is not allowed here; allowed: "
                                           f"{', '.join(labels)})")
            return None
        return self.ref(record, id_key, [label])

    # -- the graph ----------------------------------------------------------------------------
    def _release_rows(self, sources: list[Source]) -> None:
        """Let the rows as read go before the graph is built: every problem that shows a cell
        has been reported by now, and a city's rows are over 100 MB."""
        for source in sources:
            source.rows = []
        for records in self.records.values():
            for record in records:
                record.cells = ()

    def _build(self) -> GovernanceGraph:
        graph = GovernanceGraph()
        total = sum(len(self.records[spec.name]) for spec in LEDGERS if spec.label or
                    spec.name == "areas")
        done = 0
        for spec in LEDGERS:
            if spec.label is None and spec.name != "areas":
                continue
            fields = NODE_MODELS[spec.label or "District"].model_fields
            stored = [(column.key, column.property_name) for column in spec.columns
                      if column.key not in ("id", "name")
                      and (column.keep or column.property_name in fields)]
            by_label: dict[str, list[dict]] = {}
            for record in self.records[spec.name]:
                if record.invalid:
                    continue
                label = spec.label or _AREA_LEVEL_LABEL[record.values["level"]]
                values = record.values
                attrs = {"label": label, "id": values["id"], "name": values["name"],
                         **_NODE_DEFAULTS[label]}  # the dict the graph keeps (adopt=True)
                for key, name in stored:
                    if key in values:
                        attrs[name] = values[key]
                if record.extras:  # extra headers never shadow schema fields (_keepable)
                    attrs.update(record.extras)
                by_label.setdefault(label, []).append(attrs)
            for label, rows in by_label.items():
                graph.add_many(label, rows, adopt=True)
            done += len(self.records[spec.name])
            self.progress(BUILDING, done, total)
        by_type: dict[str, tuple[list[NodeKey], list[NodeKey], list[dict]]] = {}
        for link in self.links:
            owner = link.owner
            if owner.invalid or (owner.dropped and link.rel_type in owner.dropped):
                continue
            source, target = link.source_row, link.target_row
            if source.invalid or target.invalid:
                dead = source if source.invalid else target
                self.warnings.append(Problem(
                    owner.source.file, owner.row, None, None,
                    f"{RELATIONSHIPS[link.rel_type].zh} {link.source[1]} → {link.target[1]} 未载入: "
                    f"{dead.source.display} 第{dead.row}行有误 (dropped {link.rel_type} {link.source[1]} → "
                    f"{link.target[1]}: it points at row {dead.row} of {dead.source.display}, which is invalid)",
                    owner.source.sheet,
                    cause=(dead.source.display, dead.row)))
                continue
            sources, targets, props = by_type.get(link.rel_type) or by_type.setdefault(
                link.rel_type, ([], [], []))
            sources.append(link.source)
            targets.append(link.target)
            props.append(link.props)
        self.links = []  # by type now: a city's 770,000 links go before the graph takes them
        for rel_type, (sources, targets, props) in by_type.items():
            graph.relate_columns(rel_type, sources, targets, props, adopt=True)
        return graph


#: Ledger name -> how its rows link (every ledger has one; ``run`` applies them in ledger order).
LINKS_OF: dict[str, Callable[[_Loader, list[_Record]], None]] = {
    "areas": _Loader._link_areas, "grids": _Loader._link_grids, "compounds": _Loader._link_compounds,
    "buildings": _Loader._link_buildings, "grid_coverage": _Loader._link_grid_coverage,
    "party_orgs": _Loader._link_party_orgs,
    "property_companies": lambda loader, records: None,  # nodes only: no references
    "property_contracts": _Loader._link_property_contracts, "owner_committees": _Loader._link_owner_committees,
    "resident_units": _Loader._link_resident_units, "people": _Loader._link_people, "posts": _Loader._link_posts,
    "lists": _Loader._link_lists, "venues": _Loader._link_venues, "cases": _Loader._link_cases,
    "property_ratings": _Loader._link_property_ratings,
}


_CYCLE_SHOWN = 5  # organisations of a cycle a problem line names; a longer one is counted


def _cycle_text(cycle: list[str]) -> str:
    """A cycle as a problem line shows it: whole when short, else its first few and its length,
    so a cycle of a thousand organisations does not print a thousand ids on each of its lines.

    >>> _cycle_text(["A", "B"])
    'A → B → A'
    >>> _cycle_text([f"P{n}" for n in range(1000)])
    'P0 → P1 → P2 → P3 → P4 → … (1000 organisations) → P0'
    """
    if len(cycle) <= _CYCLE_SHOWN:
        return " → ".join([*cycle, cycle[0]])
    return " → ".join([*cycle[:_CYCLE_SHOWN], f"… ({len(cycle)} organisations)", cycle[0]])


def _rating_zh(result: str | None) -> str:
    try:
        return RatingResult(result).zh
    except ValueError:  # a result the row's own check refuses
        return str(result)


def _pick(values: dict, *keys: str) -> dict:
    return {key: values[key] for key in keys if key in values}


def _filled(cells) -> bool:
    return any(cell is not None and (not isinstance(cell, str) or cell.strip()) for cell in cells)


def _rounded_number(value: Any) -> bool:
    """A workbook number of 16 digits or more: Excel kept only 15 of them, so it is not the
    number typed (an ID number or a long code that lost its last digits)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 10 ** 15


_ROUNDED_NUMBER = ("存成了数字的长号码, 末几位已被四舍五入, 可能是身份证号; 请把该列设为文本后重新填写 (a number of "
                   "16 digits or more stored as a number has lost its last digits, and may be an "
                   "ID number: format the column as text and enter it again)")


def _id_number_text(value: Any) -> str:
    """An ID-number cell as text; refused when a workbook stored it as a number, whose last
    digits were rounded off (Excel keeps 15 significant digits)."""
    if _rounded_number(value):
        raise ValueError("身份证号存成了数字, 末几位已被四舍五入; 请把该列设为文本后重新填写 (an ID number "
                         "stored as a number has lost its last digits: format the column as text "
                         "and enter the numbers again)")
    return parse_text(value)


def _show(value: Any, *, id_column: bool = False) -> Any:
    """A cell as a problem shows it: never an ID-card number in clear, even a malformed one in
    an ID column."""
    if value is None or value == "":
        return value
    text = parse_text(value)
    return mask_id_number(text) if id_column or _rounded_number(value) else mask_id_numbers(text)
