"""The one-page audit report: every rate, blind spot and cross-appointment of an area as one
self-contained, offline, printable (A4) HTML file.

The bar charts are inline SVG drawn here (no script, no CDN); every name from a spreadsheet goes
through Jinja's autoescape, so a cell is always text. Colours are the views' stepped rate scale,
so a rate looks the same in the report and on the overview. Asked on several dates, the page also
draws every rate along them as an inline SVG line chart (``TimelineChart``).

    >>> html = report_page(graph, scope="371327001", as_of=dt.date(2026, 6, 30), source="county.snapshot.json.gz")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any
from urllib.parse import quote

import jinja2

import queries
from graphmodel.graph import GovernanceGraph
from graphmodel.privacy import mask_phones_in_text
from graphmodel.schema import NODE_MODELS
from queries.results import ITEM_COLUMNS, label_en

from .audit import run_audit
from .reports import cell_text, format_rate, prepare_table, value_text
from .views.build import percent
from .views.style import FONT_FACE, NO_RATE_COLOUR, RATE_STEPS, rate_colour

__all__ = ["report_page", "area_of", "Bar", "RateChart", "TimelineChart", "timeline_chart"]

_AREA_LABELS = ("District", "Street", "Community")
_BAR_WIDTH = 150   # pixels of a 100% bar
_BAR_ROW = 16      # pixels per bar
_BAR_LABEL = 80    # pixels for a group's name left of its bar
_BAR_FIGURE = 100  # pixels for the figure right of it: 100%（12/12）

# The timeline: one small chart per rate (small multiples), its drawing box and the margins left
# for the axis labels and the code at the line's end, in pixels.
_LINE_WIDTH, _LINE_HEIGHT = 230, 110
_LINE_LEFT, _LINE_RIGHT, _LINE_TOP, _LINE_BOTTOM = 30, 30, 8, 20
_LINE_TICKS = (0.0, 0.5, 1.0)
_LINE_COLOUR, _TARGET_COLOUR = "#1f77b4", "#d62728"


@dataclass(frozen=True)
class Bar:
    name: str
    numerator: int
    denominator: int
    lang: str = "zh"

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def figure(self) -> str:
        """``85%``, or 不适用 / n/a."""
        return format_rate(None, self.lang) if self.rate is None else percent(self.rate)

    @property
    def shown(self) -> str:
        """``85%（17/20）``, or 不适用 / n/a."""
        if self.rate is None:
            return self.figure
        counts = f"{self.numerator}/{self.denominator}"
        return f"{self.figure}（{counts}）" if self.lang == "zh" else f"{self.figure} ({counts})"

    @property
    def colour(self) -> str:
        return rate_colour(self.rate)

    @property
    def length(self) -> float:
        return round((self.rate or 0.0) * _BAR_WIDTH, 1)


@dataclass(frozen=True)
class RateChart:
    code: str
    title: str
    total: Bar
    bars: list[Bar]

    @property
    def height(self) -> int:
        return _BAR_ROW * len(self.bars) + 4


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    y: float
    label: str  # the tooltip: C1 2026-06-30 85%（17/20）


@dataclass(frozen=True)
class TimelineLine:
    """One rate along the dates, drawn in a small chart of its own: ``segments`` are its runs of
    applicable dates (a date whose denominator is empty leaves a gap), each an SVG ``points``
    string; ``end`` is where its code is written (right of its last point); ``target`` is the y of
    its target rate, drawn dashed, when one is given."""

    code: str
    title: str
    segments: list[str]
    points: list[TimelinePoint]
    target: tuple[float, str] | None = None  # (y, 目标 90%)

    @property
    def end(self) -> TimelinePoint | None:
        return self.points[-1] if self.points else None


@dataclass(frozen=True)
class TimelineChart:
    """Every rate along two or more dates, each in a ``width`` × ``height`` SVG box of its own
    (the same axes in each, so that they read side by side)."""

    lines: list[TimelineLine]
    x_labels: list[tuple[float, str]]   # (x, date)
    y_labels: list[tuple[float, str]]   # (y, percentage)
    width: int = _LINE_WIDTH
    height: int = _LINE_HEIGHT
    left: int = _LINE_LEFT
    right: int = _LINE_WIDTH - _LINE_RIGHT
    top: int = _LINE_TOP
    bottom: int = _LINE_HEIGHT - _LINE_BOTTOM
    colour: str = _LINE_COLOUR
    target_colour: str = _TARGET_COLOUR


def timeline_chart(dates: Sequence[dt.date], answers: Sequence[Mapping[str, Any]],
                   targets: Mapping[str, float] | None = None, lang: str = "zh") -> TimelineChart:
    """The small line charts of the results ``answers[i]`` (code → result) asked on ``dates[i]``,
    one per whole-scope rate they give (C16: one per grid type); ``targets`` (code, or
    ``C16:<grid type>``, → rate from 0 to 1) adds a dashed target line.

    A date sits along the x axis by its day (a missing quarter shows as a wider step); a rate
    goes from 0% at the bottom to 100% at the top.
    """
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    plot_width = _LINE_WIDTH - _LINE_LEFT - _LINE_RIGHT
    plot_height = _LINE_HEIGHT - _LINE_TOP - _LINE_BOTTOM
    targets = targets or {}

    def x_of(day: dt.date) -> float:
        return round(_LINE_LEFT + plot_width * (day - first).days / span, 1)

    def y_of(rate: float) -> float:
        return round(_LINE_TOP + plot_height * (1 - rate), 1)

    # Every whole-scope rate of every answer (C16: one per grid type), by series, on each date.
    on_dates = [{line.series: (result, line) for result in answer.values() for line in result.rates() if line.total}
                for answer in answers]
    series = list(dict.fromkeys(key for totals in reversed(on_dates) for key in totals))
    lines = []
    for key in series:
        points, segments, run = [], [], []
        for day, totals in zip(dates, on_dates):
            rate = totals[key][1] if key in totals else None
            if rate is None or rate.rate is None:
                segments.append(run)
                run = []
                continue
            bar = Bar("", rate.numerator, rate.denominator, lang)
            point = TimelinePoint(x_of(day), y_of(rate.rate), f"{rate.code} {day.isoformat()} {bar.shown}")
            points.append(point)
            run.append(point)
        segments.append(run)
        result, rate = next(totals[key] for totals in reversed(on_dates) if key in totals)
        target = (y_of(targets[key]), f"{PAGE_WORDS[lang]['target']} {percent(targets[key])}") if key in targets else None
        lines.append(TimelineLine(rate.code, _rate_title(result, rate, lang),
                                  [" ".join(f"{p.x},{p.y}" for p in run) for run in segments if len(run) > 1],
                                  points, target))
    # A small chart has room for two dates: the first and the last (each point's tooltip has its own).
    return TimelineChart(lines, [(x_of(day), day.isoformat()) for day in (dates[0], dates[-1])],
                         [(y_of(tick), percent(tick)) for tick in _LINE_TICKS])


def area_of(graph: GovernanceGraph, scope: str | None, lang: str = "zh") -> tuple[str | None, str]:
    """``(label, name)`` of the area ``scope`` names; for the whole graph ``(None, name)`` of its one
    district (a county's report is titled by the county), or ``(None, "全部")`` over several."""
    if scope is None:
        districts = [attrs["name"] for _, attrs in graph.nodes("District")]
        return None, districts[0] if len(districts) == 1 else PAGE_WORDS[lang]["everything"]
    for label in _AREA_LABELS:
        if (label, scope) in graph:
            return label, graph.node((label, scope))["name"]
    return None, scope  # queries reject an unknown scope with a clear error before this is shown


#: Rows a list of the report page shows; the rest are counted ("另有 N 项未列出").
REPORT_LIST_ROWS = 200


def sibling_link(file_name: str) -> str:
    """The link to a file beside the page: relative (``./``) and percent-encoded, so no file name
    (``javascript:x.html``, ``a#b.html``) is read as a scheme, a fragment or a query.

    >>> sibling_link("javascript:alert(1)-overview.html")
    './javascript%3Aalert%281%29-overview.html'
    """
    return "./" + quote(file_name, safe="")


def report_page(graph: GovernanceGraph, *, scope: str | None, as_of: dt.date | Sequence[dt.date] | None,
                source: str, views: Sequence[tuple[str, str]] = (),
                progress: Callable[[str, int, int], None] | None = None,
                targets: Mapping[str, float] | None = None, lang: str = "zh",
                list_rows: int = REPORT_LIST_ROWS) -> str:
    """The report of ``scope`` (a district, street or community code; ``None``: everything).

    Rates are grouped by street over a district or the whole graph, by community below.
    ``as_of`` is one date, or several: the report is then on the last, and every rate is also
    drawn along all of them, one small chart per rate, with a dashed line at its target where
    ``targets`` (code → rate from 0 to 1) gives one. ``views`` are ``(title, relative link)`` pairs
    listed at the end. ``progress(step, done, total)`` is told of each question answered. ``lang``:
    the page's own words in Chinese (zh) or English (en); names from the ledgers stay as written.
    Each list shows at most ``list_rows`` rows and says how many more there are: a page to
    print, not the full list (the audit's XLSX has it), and bounded however big the area.
    """
    words = PAGE_WORDS[lang]
    label, name = area_of(graph, scope, lang)
    by = "street" if label in (None, "District") else "community"
    dates = sorted(set(as_of)) if isinstance(as_of, Sequence) else [as_of] if as_of else []
    timeline = None
    if len(dates) > 1:
        line = queries.timeline(graph, [code for code, question in queries.QUESTIONS.items() if question.gives_rates],
                                dates, scope=scope)
        timeline = timeline_chart(line.dates, line.results, targets, lang)
    results = run_audit(graph, list(queries.QUESTIONS), scope=scope, by=by, as_of=dates[-1] if dates else None,
                        progress=progress)
    as_of = next(iter(results.values())).as_of
    kind = {code: question.kind for code, question in queries.QUESTIONS.items()}
    tabled = partial(html_table, lang=lang, list_rows=list_rows)
    # Rates are charted (outcomes apart: their groups side by side); lists of things and people, and
    # the candidates, get their own sections; every other answer (S1's levels, C12's counts …) is
    # laid out as its tables, so no question goes unshown.
    charts = [chart for result in results.values() if kind[result.code] != "outcomes"
              for chart in _charts(result, lang)]
    outcomes = [(result, _outcome_bars(result.tables()[0], lang), [tabled(table) for table in result.tables()])
                for result in results.values() if kind[result.code] == "outcomes"]
    blind_spots = [(result, result.listed()) for result in results.values() if kind[result.code] == "blindspots"]
    cross = [result for result in results.values() if kind[result.code] == "cross"]
    candidates = [result for result in results.values() if kind[result.code] == "candidates"]
    structure = [result for result in results.values()
                 if kind[result.code] not in ("blindspots", "cross", "candidates", "outcomes") and not result.rates()]
    grid_names = {key[1]: attrs["name"] for key, attrs in graph.nodes("Grid")}
    return _template().render(
        lang=lang, w=words, name=name, scope=f"{name}（{scope}）" if scope else words["everything"],
        as_of=as_of.isoformat(), source=source, by=words["street" if by == "street" else "community"],
        made=dt.date.today().isoformat(), charts=charts, empty=words["none"], list_rows=list_rows,
        blind_spots=blind_spots, structure=[(result, [tabled(table) for table in result.tables()])
                                            for result in structure],
        cross=[(result, [tabled(table) for table in result.tables()]) for result in cross],
        candidates=[(result, [tabled(table) for table in result.tables()]) for result in candidates], outcomes=outcomes,
        timeline=timeline, timeline_dates=[day.isoformat() for day in dates] if timeline else [],
        views=views, sibling_link=sibling_link, text=partial(value_text, lang=lang, grid_names=grid_names),
        title=partial(_title, lang=lang), item_columns=ITEM_COLUMNS, kinds={label: _kind(label, lang) for label in NODE_MODELS},
        steps=RATE_STEPS, no_rate=NO_RATE_COLOUR, bar_width=_BAR_WIDTH, bar_row=_BAR_ROW, bar_label=_BAR_LABEL,
        bar_figure=_BAR_FIGURE, font=FONT_FACE)


def _title(result: Any, lang: str) -> str:
    return result.title_zh if lang == "zh" else result.title_en


def _rate_title(result: Any, line: Any, lang: str) -> str:
    """A rate's title: its question's, and for one of several (C16) the part it counts."""
    title = _title(result, lang)
    part = line.part_zh if lang == "zh" else line.part_en
    return title if line.part is None else f"{title}{PAGE_WORDS[lang]['colon']}{part}"


def _kind(label: str, lang: str) -> str:
    return NODE_MODELS[label].zh if lang == "zh" else label_en(label)


def _charts(result: Any, lang: str = "zh") -> list[RateChart]:
    """The rate charts of one result: one per rate it gives (C16: one per grid type), none for a list."""
    charts, groups = [], []
    for line in result.rates():  # a rate's groups come before its whole scope
        if not line.total:
            groups.append(Bar(value_text(line.group_name or "（未归属）", lang), line.numerator, line.denominator, lang))
            continue
        charts.append(RateChart(result.code, _rate_title(result, line, lang),
                                Bar(value_text("合计", lang), line.numerator, line.denominator, lang), groups))
        groups = []
    return charts


def _outcome_bars(table, lang: str = "zh") -> list[tuple[Any, float, str]]:
    """An outcome table's groups as bars: (group, length, figure), the length its cases per 100
    households against the largest (0 when not applicable), the figure with its share closed."""
    words = PAGE_WORDS[lang]
    values = [row["cases_per_100_households"] for row in table.rows]
    largest = max((value for value in values if value is not None), default=0) or 1
    bars = []
    for row, value in zip(table.rows, values):
        per_100 = words["n/a"] if value is None else words["per_100_figure"].format(value)
        closed = "" if row["closed_rate"] is None else words["closed_share"].format(percent(row["closed_rate"]))
        bars.append((row["group"], round((value or 0) / largest * _BAR_WIDTH, 1),
                     words["outcome_figure"].format(per_100=per_100, compounds=row["compounds"], cases=row["cases"],
                                                    closed=closed)))
    return bars


def html_table(table, *, lang: str = "zh", show_pii: bool = False, list_rows: int | None = None) -> dict[str, Any]:
    """A result table as header and text rows for a page template, phones masked unless
    ``show_pii``, columns with no value left out (the template escapes every cell); at most
    ``list_rows`` rows, ``more`` saying in words how many were left out."""
    count = len(table.rows)
    table = prepare_table(replace(table, rows=table.rows[:list_rows]), show_pii)
    columns = [column for column in table.columns
               if any(row.get(column.key) not in (None, "", [], ()) for row in table.rows)]
    left_out = count - len(table.rows)
    return {"title": table.title(lang), "headers": [column.title(lang) for column in columns],
            "rows": [[cell_text(row.get(column.key), column, lang) for column in columns] for row in table.rows],
            "count": count, "more": PAGE_WORDS[lang]["more"].format(more=left_out, count=count, code=table.code.split("-")[0])
            if left_out else ""}


#: The page's own words; titles, column titles, kinds and reasons come from the results.
PAGE_WORDS = {
    "zh": {"report": "治理审计报告", "as_of": "统计日期：", "timeline": "时间序列：", "scope": "范围：",
           "source": "数据来源：", "made": "生成日期：", "rates": "覆盖率", "indicator": "指标", "numerator": "达标数",
           "denominator": "总数", "chart": "图示", "colours": "颜色：", "no_rate": "不适用（无统计对象）",
           "along": "覆盖率变化（{first} 至 {last}，{n} 个日期）", "not_applicable": "（不适用）",
           "gaps": "断开处：该日期不适用（无统计对象）", "per": "各{by}覆盖率", "street": "街道", "community": "社区",
           "structure": "组织体系与统计", "blindspots": "盲区", "items": "{n} 项", "none": "无", "cross": "交叉任职",
           "code": "编号", "question": "问题", "rows": "条数", "views": "网络视图", "everything": "全部",
           "colon": "：", "join": "、", "target": "目标", "target_line": "红色虚线：目标",
           "small_multiples": "每个指标一张小图，纵轴 0–100%", "candidates": "建议人选", "proposed": "人选",
           "outcomes": "成效：诉求与组织结构（仅为分组对比，不说明因果）", "per_100": "：每百户工单",
           "per_100_figure": "{:.1f} 件/百户", "n/a": "不适用", "closed_share": "，办结 {}",
           "outcome_figure": "{per_100}（{compounds} 个小区，{cases} 件{closed}）",
           "more": "另有 {more} 项未列出（共 {count} 项；完整清单：gridgraph audit {code} --format xlsx）"},
    "en": {"report": "governance audit report", "as_of": "As of ", "timeline": "Timeline: ", "scope": "Scope: ",
           "source": "Source: ", "made": "Made on ", "rates": "Coverage rates", "indicator": "Indicator",
           "numerator": "Numerator", "denominator": "Denominator", "chart": "Chart", "colours": "Colours: ",
           "no_rate": "n/a (nothing counted)", "along": "Rates along the dates ({first} to {last}, {n} dates)",
           "not_applicable": " (n/a)", "gaps": "A gap: not applicable on that date (nothing counted)",
           "per": "Rates per {by}", "street": "street", "community": "community", "structure": "Structure and counts",
           "blindspots": "Blind spots", "items": "{n} items", "none": "None", "cross": "Cross-appointments",
           "code": "Code", "question": "Question", "rows": "Rows", "views": "Network views", "everything": "everything",
           "colon": ": ", "join": ", ", "target": "target", "target_line": "dashed red line: target",
           "small_multiples": "one small chart per rate, 0–100% up the side", "candidates": "Candidates",
           "proposed": "Proposed", "outcomes": "Outcomes: cases against structure (groups compared; no cause shown)",
           "per_100": ": cases per 100 households", "per_100_figure": "{:.1f} per 100 households", "n/a": "n/a",
           "closed_share": ", {} closed", "outcome_figure": "{per_100} ({compounds} compounds, {cases} cases{closed})",
           "more": "{more} more not listed ({count} in all; the whole list: gridgraph audit {code} --format xlsx)"},
}


def html_page(title: str, meta: Sequence[tuple[str, str]], tables: Sequence[dict[str, Any]], *,
              lang: str = "zh", font: str) -> str:
    """A plain printable page (the compound dossier): a title, ``(label, value)`` lines and the
    tables of :func:`html_table`, every value escaped as on the report page."""
    return _environment().from_string(_PLAIN_PAGE).render(title=title, meta=meta, tables=tables,
                                                          lang="zh-CN" if lang == "zh" else "en", font=font,
                                                          empty="（无）" if lang == "zh" else "(none)",
                                                          colon="：" if lang == "zh" else ": ")


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["masked"] = mask_phones_in_text  # a phone written into a name
    return environment


def _template() -> jinja2.Template:
    return _environment().from_string(_PAGE)


#: The tables of a page (from :func:`html_table`), each under a heading; an empty one says so.
_TABLES = """{% macro result_tables(tables, heading="h3") %}
{% for table in tables %}
<{{ heading }}>{{ table.title }}</{{ heading }}>
{% if table.rows %}
<table>
<tr>{% for header in table.headers %}<th>{{ header }}</th>{% endfor %}</tr>
{% for row in table.rows %}
<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>
{% if table.more %}<p class="more">{{ table.more }}</p>{% endif %}
{% else %}
<p class="none">{{ empty }}</p>
{% endif %}
{% endfor %}
{% endmacro %}
"""

_PLAIN_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
  @page { size: A4; margin: 14mm 12mm; }
  body { font-family: {{ font }}; font-size: 12px; color: #222; max-width: 190mm; margin: 0 auto; padding: 8px; }
  h1 { font-size: 20px; margin: 0 0 4px 0; }
  h2 { font-size: 14px; border-bottom: 2px solid #444; margin: 14px 0 6px 0; padding-bottom: 2px; break-after: avoid; }
  .meta span { display: inline-block; margin-right: 14px; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
  th, td { border: 1px solid #ccc; padding: 2px 4px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  th { background: #f0f0f0; }
  tr { break-inside: avoid; }
  .none { color: #2a7a2a; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
<div class="meta">{% for label, value in meta %}<span>{{ label }}{{ colon }}{{ value }}</span>{% endfor %}</div>
""" + _TABLES + """{{ result_tables(tables, "h2") }}
</body>
</html>
"""


_PAGE = """<!DOCTYPE html>
<html lang="{{ "zh-CN" if lang == "zh" else "en" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ name }} {{ w.report }} · {{ as_of }}</title>
<style>
  @page { size: A4; margin: 14mm 12mm; }
  body { font-family: {{ font }}; font-size: 12px; color: #222; max-width: 190mm; margin: 0 auto; padding: 8px; }
  h1 { font-size: 20px; margin: 0 0 4px 0; }
  h2 { font-size: 15px; border-bottom: 2px solid #444; margin: 18px 0 6px 0; padding-bottom: 2px; }
  h3 { font-size: 13px; margin: 10px 0 4px 0; }
  .meta { color: #444; margin-bottom: 8px; }
  .meta span { margin-right: 14px; }
  table { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
  th, td { border: 1px solid #ccc; padding: 2px 4px; text-align: left; vertical-align: top;
           overflow-wrap: anywhere; }
  th { background: #f0f0f0; }
  td.num { text-align: right; white-space: nowrap; }
  .chart { display: inline-block; vertical-align: top; width: 92mm; margin: 0 2mm 6px 0; break-inside: avoid; }
  .chart h3 { margin: 4px 0 2px 0; }
  .legend span { display: inline-block; margin-right: 10px; }
  .timeline-chart { display: inline-block; vertical-align: top; width: 61mm; margin: 0 1mm 4px 0; break-inside: avoid; }
  .timeline-chart h4 { font-size: 11px; font-weight: normal; margin: 2px 0 0 0; white-space: nowrap; overflow: hidden;
                       text-overflow: ellipsis; }
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle; }
  .none { color: #2a7a2a; }
  section { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
</style>
</head>
<body>
""" + _TABLES + """<h1>{{ name }} {{ w.report }}</h1>
<div class="meta"><span>{{ w.as_of }}{{ as_of }}</span>{% if timeline %}<span>{{ w.timeline }}{{ timeline_dates | join(w.join) }}</span>{% endif %}<span>{{ w.scope }}{{ scope }}</span><span>{{ w.source }}{{ source }}</span><span>{{ w.made }}{{ made }}</span></div>

<section id="rates">
<h2>{{ w.rates }}</h2>
<table>
<tr><th>{{ w.code }}</th><th>{{ w.indicator }}</th><th>{{ w.numerator }}</th><th>{{ w.denominator }}</th><th>{{ w.rates }}</th><th style="width: 30%">{{ w.chart }}</th></tr>
{% for chart in charts %}
<tr><td>{{ chart.code }}</td><td>{{ chart.title }}</td><td class="num">{{ chart.total.numerator }}</td>
<td class="num">{{ chart.total.denominator }}</td><td class="num">{{ chart.total.figure }}</td>
<td><svg width="100%" height="12" viewBox="0 0 {{ bar_width }} 12" preserveAspectRatio="none" role="img" aria-label="{{ chart.total.shown }}">
<rect x="0" y="1" width="{{ bar_width }}" height="10" fill="#eeeeee"/><rect x="0" y="1" width="{{ chart.total.length }}" height="10" fill="{{ chart.total.colour }}"/></svg></td></tr>
{% endfor %}
</table>
<div class="legend">{{ w.colours }}{% for _, colour, text in steps %}<span><i style="background: {{ colour }}"></i>{{ text }}</span>{% endfor %}<span><i style="background: {{ no_rate }}"></i>{{ w.no_rate }}</span></div>

{% if timeline %}
<h3 id="timeline">{{ w.along.format(first=timeline_dates[0], last=timeline_dates[-1], n=timeline_dates | length) }}</h3>
<div class="timelines">
{% for line in timeline.lines %}
<div class="timeline-chart"><h4>{{ line.code }} {{ line.title }}{% if not line.points %}{{ w.not_applicable }}{% endif %}</h4>
<svg class="timeline" data-code="{{ line.code }}" width="100%" viewBox="0 0 {{ timeline.width }} {{ timeline.height }}" role="img" aria-label="{{ line.code }} {{ line.title }}" font-size="9" font-family="{{ font }}">
{% for y, text in timeline.y_labels %}
<line x1="{{ timeline.left }}" y1="{{ y }}" x2="{{ timeline.right }}" y2="{{ y }}" stroke="#dddddd"/>
<text x="{{ timeline.left - 3 }}" y="{{ y + 3 }}" text-anchor="end">{{ text }}</text>
{% endfor %}
{% for x, text in timeline.x_labels %}
<line x1="{{ x }}" y1="{{ timeline.bottom }}" x2="{{ x }}" y2="{{ timeline.bottom + 3 }}" stroke="#888888"/>
<text x="{{ x }}" y="{{ timeline.bottom + 13 }}" text-anchor="middle">{{ text }}</text>
{% endfor %}
<line x1="{{ timeline.left }}" y1="{{ timeline.bottom }}" x2="{{ timeline.right }}" y2="{{ timeline.bottom }}" stroke="#888888"/>
{% if line.target %}
<line class="target" x1="{{ timeline.left }}" y1="{{ line.target[0] }}" x2="{{ timeline.right }}" y2="{{ line.target[0] }}" stroke="{{ timeline.target_colour }}" stroke-dasharray="4 3"/>
<text x="{{ timeline.left + 2 }}" y="{{ line.target[0] - 2 }}" fill="{{ timeline.target_colour }}">{{ line.target[1] }}</text>
{% endif %}
{% for points in line.segments %}
<polyline data-code="{{ line.code }}" points="{{ points }}" fill="none" stroke="{{ timeline.colour }}" stroke-width="1.5"/>
{% endfor %}
{% for point in line.points %}
<circle data-code="{{ line.code }}" cx="{{ point.x }}" cy="{{ point.y }}" r="2.5" fill="{{ timeline.colour }}"><title>{{ point.label }}</title></circle>
{% endfor %}
{% if line.end %}
<text class="end-label" x="{{ line.end.x + 4 }}" y="{{ line.end.y + 3 }}" font-weight="bold">{{ line.code }}</text>
{% endif %}
</svg></div>
{% endfor %}
</div>
<div class="legend"><span>{{ w.small_multiples }}</span><span>{{ w.gaps }}</span>{% if timeline.lines | selectattr("target") | list %}<span>{{ w.target_line }}</span>{% endif %}</div>
{% endif %}

<h3>{{ w.per.format(by=by) }}</h3>
{% for chart in charts if chart.bars %}
<div class="chart"><h3>{{ chart.code }} {{ chart.title }}</h3>
<svg width="100%" viewBox="0 0 {{ bar_label + bar_width + bar_figure }} {{ chart.height }}" role="img" aria-label="{{ chart.code }} {{ chart.title }}" font-size="10" font-family="{{ font }}">
{% for bar in chart.bars %}
{% set y = loop.index0 * bar_row %}
<text x="{{ bar_label - 4 }}" y="{{ y + 11 }}" text-anchor="end">{{ bar.name }}</text>
<rect x="{{ bar_label }}" y="{{ y + 2 }}" width="{{ bar_width }}" height="{{ bar_row - 4 }}" fill="#eeeeee"/>
<rect x="{{ bar_label }}" y="{{ y + 2 }}" width="{{ bar.length }}" height="{{ bar_row - 4 }}" fill="{{ bar.colour }}"/>
<text x="{{ bar_label + bar_width + 4 }}" y="{{ y + 11 }}">{{ bar.shown }}</text>
{% endfor %}
</svg></div>
{% endfor %}
</section>

{% if outcomes %}
<section id="outcomes">
<h2>{{ w.outcomes }}</h2>
{% for result, bars, tables in outcomes %}
<div class="chart"><h3>{{ result.code }} {{ title(result) }}{{ w.per_100 }}</h3>
<svg width="100%" viewBox="0 0 {{ bar_label + bar_width + 2 * bar_figure }} {{ bars | length * bar_row + 4 }}" role="img" aria-label="{{ result.code }} {{ title(result) }}" font-size="10" font-family="{{ font }}">
{% for group, length, figure in bars %}
{% set y = loop.index0 * bar_row %}
<text x="{{ bar_label - 4 }}" y="{{ y + 11 }}" text-anchor="end">{{ text(group) }}</text>
<rect x="{{ bar_label }}" y="{{ y + 2 }}" width="{{ bar_width }}" height="{{ bar_row - 4 }}" fill="#eeeeee"/>
<rect data-code="{{ result.code }}" x="{{ bar_label }}" y="{{ y + 2 }}" width="{{ length }}" height="{{ bar_row - 4 }}" fill="#4e79a7"/>
<text x="{{ bar_label + bar_width + 4 }}" y="{{ y + 11 }}">{{ figure }}</text>
{% endfor %}
</svg></div>
{% endfor %}
{% for result, bars, tables in outcomes %}
{{ result_tables(tables) }}
{% endfor %}
</section>
{% endif %}

{% if structure %}
<section id="structure">
<h2>{{ w.structure }}</h2>
{% for result, tables in structure %}
{{ result_tables(tables) }}
{% endfor %}
</section>
{% endif %}

<section id="blindspots">
<h2>{{ w.blindspots }}</h2>
{% for result, items in blind_spots %}
<h3>{{ result.code }} {{ title(result) }}{{ w.colon }}{{ w["items"].format(n=items | length) }}</h3>
{% if items %}
<table>
{% set shown = items[:list_rows] %}
{% set details = shown | selectattr("detail") | list %}
<tr>{% for column in item_columns if column.key not in ("community_id", "street_id") and (details or column.key != "detail") %}<th>{{ column.title(lang) }}</th>{% endfor %}</tr>
{% for item in shown %}
<tr><td>{{ kinds[item.label] }}</td><td>{{ item.id }}</td><td>{{ item.name | masked }}</td><td>{{ (item.community or "") | masked }}</td>
<td>{{ (item.street or "") | masked }}</td><td>{{ text(item.reason_zh) }}</td>{% if details %}<td>{{ text(item.detail) | masked }}</td>{% endif %}</tr>
{% endfor %}
</table>
{% if items | length > list_rows %}<p class="more">{{ w.more.format(more=items | length - list_rows, count=items | length, code=result.code) }}</p>{% endif %}
{% else %}
<p class="none">{{ w.none }}</p>
{% endif %}
{% endfor %}
</section>

<section id="cross">
<h2>{{ w.cross }}</h2>
<table>
<tr><th>{{ w.code }}</th><th>{{ w.question }}</th><th>{{ w.rows }}</th></tr>
{% for result, tables in cross %}
<tr><td>{{ result.code }}</td><td>{{ title(result) }}</td><td class="num">{{ tables[0].count if tables else 0 }}</td></tr>
{% endfor %}
</table>
{% for result, tables in cross %}
{{ result_tables(tables | selectattr("rows")) }}
{% endfor %}
</section>

{% if candidates %}
<section id="candidates">
<h2>{{ w.candidates }}</h2>
<table>
<tr><th>{{ w.code }}</th><th>{{ w.question }}</th><th>{{ w.proposed }}</th></tr>
{% for result, tables in candidates %}
<tr><td>{{ result.code }}</td><td>{{ title(result) }}</td><td class="num">{{ result.listed() | length }}</td></tr>
{% endfor %}
</table>
{% for result, tables in candidates %}
{{ result_tables(tables | selectattr("rows")) }}
{% endfor %}
</section>
{% endif %}

{% if views %}
<section id="views">
<h2>{{ w.views }}</h2>
<ul>
{% for title, link in views %}
<li><a href="{{ sibling_link(link) }}">{{ title }}</a></li>
{% endfor %}
</ul>
</section>
{% endif %}
</body>
</html>
"""
