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
import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import jinja2

import queries
from graphmodel.graph import GovernanceGraph
from graphmodel.privacy import mask_phones_in_text
from graphmodel.schema import NODE_MODELS
from queries.results import GridTypeCoverageResult

from .audit import run_audit
from .reports import cell_text, prepare_table, value_text
from .views.build import percent
from .views.style import FONT_FACE, NO_RATE_COLOUR, RATE_STEPS, rate_colour

__all__ = ["report_page", "area_of", "Bar", "RateChart", "TimelineChart", "timeline_chart"]

_AREA_LABELS = ("District", "Street", "Community")
_BAR_WIDTH = 150   # pixels of a 100% bar
_BAR_ROW = 16      # pixels per bar
_BAR_LABEL = 80    # pixels for a group's name left of its bar
_BAR_FIGURE = 100  # pixels for the figure right of it: 100%（12/12）

# The timeline chart: its drawing box and the margins left for the axis labels, in pixels.
_LINE_WIDTH, _LINE_HEIGHT = 640, 240
_LINE_LEFT, _LINE_RIGHT, _LINE_TOP, _LINE_BOTTOM = 40, 40, 10, 26
_LINE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
_MOST_DATE_LABELS = 8  # more dates than this are labelled every few
# One colour per rate (Tableau 10, then three darker ones): rates are told apart, not ranked.
_LINE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf", "#393b79", "#637939", "#843c39")


@dataclass(frozen=True)
class Bar:
    name: str
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def shown(self) -> str:
        return "不适用" if self.rate is None else f"{percent(self.rate)}（{self.numerator}/{self.denominator}）"

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
    """One rate along the dates: ``segments`` are its runs of applicable dates (a date whose
    denominator is empty leaves a gap), each an SVG ``points`` string."""

    code: str
    title: str
    colour: str
    segments: list[str]
    points: list[TimelinePoint]


@dataclass(frozen=True)
class TimelineChart:
    """Every rate along two or more dates, drawn to a ``width`` × ``height`` SVG box."""

    lines: list[TimelineLine]
    x_labels: list[tuple[float, str]]   # (x, date)
    y_labels: list[tuple[float, str]]   # (y, percentage)
    width: int = _LINE_WIDTH
    height: int = _LINE_HEIGHT
    left: int = _LINE_LEFT
    right: int = _LINE_WIDTH - _LINE_RIGHT
    top: int = _LINE_TOP
    bottom: int = _LINE_HEIGHT - _LINE_BOTTOM


def timeline_chart(dates: Sequence[dt.date], answers: Sequence[Mapping[str, Any]]) -> TimelineChart:
    """The line chart of the coverage results ``answers[i]`` (code → result) asked on ``dates[i]``.

    A date sits along the x axis by its day (a missing quarter shows as a wider step); a rate
    goes from 0% at the bottom to 100% at the top.
    """
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    plot_width = _LINE_WIDTH - _LINE_LEFT - _LINE_RIGHT
    plot_height = _LINE_HEIGHT - _LINE_TOP - _LINE_BOTTOM

    def x_of(day: dt.date) -> float:
        return round(_LINE_LEFT + plot_width * (day - first).days / span, 1)

    def y_of(rate: float) -> float:
        return round(_LINE_TOP + plot_height * (1 - rate), 1)

    lines = []
    codes = [code for code in answers[0] if code in queries.RATE_CODES]
    for code, colour in zip(codes, itertools.cycle(_LINE_COLOURS)):
        points, segments, run = [], [], []
        for day, answer in zip(dates, (answer[code] for answer in answers)):
            if answer.rate is None:
                segments.append(run)
                run = []
                continue
            bar = Bar("", answer.numerator, answer.denominator)
            point = TimelinePoint(x_of(day), y_of(answer.rate), f"{code} {day.isoformat()} {bar.shown}")
            points.append(point)
            run.append(point)
        segments.append(run)
        lines.append(TimelineLine(code, answers[-1][code].title_zh, colour,
                                  [" ".join(f"{p.x},{p.y}" for p in run) for run in segments if len(run) > 1],
                                  points))
    step = math.ceil(len(dates) / _MOST_DATE_LABELS)
    shown = [day for number, day in enumerate(dates) if number % step == 0 or day == dates[-1]]
    return TimelineChart(lines, [(x_of(day), day.isoformat()) for day in shown],
                         [(y_of(tick), percent(tick)) for tick in _LINE_TICKS])


def area_of(graph: GovernanceGraph, scope: str | None) -> tuple[str | None, str]:
    """``(label, name)`` of the area ``scope`` names (``(None, "全部")`` for the whole graph)."""
    if scope is None:
        return None, "全部"
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
                list_rows: int = REPORT_LIST_ROWS) -> str:
    """The report of ``scope`` (a district, street or community code; ``None``: everything).

    Rates are grouped by street over a district or the whole graph, by community below.
    ``as_of`` is one date, or several: the report is then on the last, and every rate is also
    drawn along all of them as a line chart. ``views`` are ``(title, relative link)`` pairs
    listed at the end. ``progress(step, done, total)`` is told of each question answered.
    Each list shows at most ``list_rows`` rows and says how many more there are: a page to
    print, not the full list (the audit's XLSX has it), and bounded however big the area.
    """
    label, name = area_of(graph, scope)
    by = "street" if label in (None, "District") else "community"
    dates = sorted(set(as_of)) if isinstance(as_of, Sequence) else [as_of] if as_of else []
    timeline = None
    if len(dates) > 1:
        line = queries.timeline(graph, queries.RATE_CODES, dates, scope=scope)
        timeline = timeline_chart(line.dates, line.results)
    results = run_audit(graph, list(queries.QUESTIONS), scope=scope, by=by, as_of=dates[-1] if dates else None,
                        progress=progress)
    as_of = next(iter(results.values())).as_of
    charts = [chart for result in results.values() for chart in _charts(result)]
    blind_spots = [result for result in results.values() if queries.QUESTIONS[result.code].kind == "blindspots"]
    cross = [result for result in results.values() if queries.QUESTIONS[result.code].kind == "cross"]
    structure = [result for result in results.values() if queries.QUESTIONS[result.code].kind == "structure"]
    return _template().render(
        name=name, scope=f"{name}（{scope}）" if scope else "全部", as_of=as_of.isoformat(), source=source,
        by="街道" if by == "street" else "社区", made=dt.date.today().isoformat(), charts=charts,
        blind_spots=blind_spots, structure=[(result, [_html_table(table, list_rows) for table in result.tables()])
                                            for result in structure],
        cross=[(result, [_html_table(table, list_rows) for table in result.tables()]) for result in cross],
        list_rows=list_rows,
        timeline=timeline, timeline_dates=[day.isoformat() for day in dates] if timeline else [],
        views=views, sibling_link=sibling_link, detail=value_text, kinds={label: model.zh for label, model in NODE_MODELS.items()},
        steps=RATE_STEPS, no_rate=NO_RATE_COLOUR, bar_width=_BAR_WIDTH, bar_row=_BAR_ROW, bar_label=_BAR_LABEL,
        bar_figure=_BAR_FIGURE, font=FONT_FACE)


def _charts(result: Any) -> list[RateChart]:
    """The rate charts of one result: one for a rate, one per grid type for C16 (一张网), none otherwise."""
    if isinstance(result, GridTypeCoverageResult):
        return [_chart(result.code, f"{result.title_zh}：{rate.grid_type_zh}", rate) for rate in result.types]
    if result.code in queries.RATE_CODES:
        return [_chart(result.code, result.title_zh, result)]
    return []


def _chart(code: str, title: str, rate: Any) -> RateChart:
    bars = [Bar(group.name or "（未归属）", group.numerator, group.denominator) for group in rate.groups]
    return RateChart(code, title, Bar("合计", rate.numerator, rate.denominator), bars)


def _html_table(table, list_rows: int) -> dict[str, Any]:
    """A result table as header and text rows, phones masked and columns with no value left out;
    at most ``list_rows`` rows, ``more`` saying how many were left out."""
    count = len(table.rows)
    table = prepare_table(replace(table, rows=table.rows[:list_rows]))
    columns = [column for column in table.columns
               if any(row.get(column.key) not in (None, "", [], ()) for row in table.rows)]
    return {"title": table.title("zh"), "headers": [column.title("zh") for column in columns],
            "rows": [[cell_text(row.get(column.key), column) for column in columns] for row in table.rows],
            "count": count, "more": count - len(table.rows)}


def _template() -> jinja2.Template:
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    environment.filters["masked"] = mask_phones_in_text  # a phone written into a name
    return environment.from_string(_PAGE)


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ name }} 治理审计报告 · {{ as_of }}</title>
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
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle; }
  .none { color: #2a7a2a; }
  section { break-inside: auto; }
  h2, h3 { break-after: avoid; }
  tr { break-inside: avoid; }
</style>
</head>
<body>
{% macro result_tables(tables) %}
{% for table in tables %}
<h3>{{ table.title }}</h3>
<table>
<tr>{% for header in table.headers %}<th>{{ header }}</th>{% endfor %}</tr>
{% for row in table.rows %}
<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}
</table>
{% if table.more %}<p class="more">另有 {{ table.more }} 项未列出（共 {{ table.count }} 项；完整清单：gridgraph audit --format xlsx）</p>{% endif %}
{% endfor %}
{% endmacro %}
<h1>{{ name }} 治理审计报告</h1>
<div class="meta"><span>统计日期：{{ as_of }}</span>{% if timeline %}<span>时间序列：{{ timeline_dates | join("、") }}</span>{% endif %}<span>范围：{{ scope }}</span><span>数据来源：{{ source }}</span><span>生成日期：{{ made }}</span></div>

<section id="rates">
<h2>覆盖率</h2>
<table>
<tr><th>编号</th><th>指标</th><th>达标数</th><th>总数</th><th>覆盖率</th><th style="width: 30%">图示</th></tr>
{% for chart in charts %}
<tr><td>{{ chart.code }}</td><td>{{ chart.title }}</td><td class="num">{{ chart.total.numerator }}</td>
<td class="num">{{ chart.total.denominator }}</td><td class="num">{{ chart.total.shown.split("（")[0] }}</td>
<td><svg width="100%" height="12" viewBox="0 0 {{ bar_width }} 12" preserveAspectRatio="none" role="img" aria-label="{{ chart.total.shown }}">
<rect x="0" y="1" width="{{ bar_width }}" height="10" fill="#eeeeee"/><rect x="0" y="1" width="{{ chart.total.length }}" height="10" fill="{{ chart.total.colour }}"/></svg></td></tr>
{% endfor %}
</table>
<div class="legend">颜色：{% for _, colour, text in steps %}<span><i style="background: {{ colour }}"></i>{{ text }}</span>{% endfor %}<span><i style="background: {{ no_rate }}"></i>不适用（无统计对象）</span></div>

{% if timeline %}
<h3 id="timeline">覆盖率变化（{{ timeline_dates[0] }} 至 {{ timeline_dates[-1] }}，{{ timeline_dates | length }} 个日期）</h3>
<svg class="timeline" width="100%" viewBox="0 0 {{ timeline.width }} {{ timeline.height }}" role="img" aria-label="覆盖率变化" font-size="10" font-family="{{ font }}">
{% for y, text in timeline.y_labels %}
<line x1="{{ timeline.left }}" y1="{{ y }}" x2="{{ timeline.right }}" y2="{{ y }}" stroke="#dddddd"/>
<text x="{{ timeline.left - 4 }}" y="{{ y + 3 }}" text-anchor="end">{{ text }}</text>
{% endfor %}
{% for x, text in timeline.x_labels %}
<line x1="{{ x }}" y1="{{ timeline.bottom }}" x2="{{ x }}" y2="{{ timeline.bottom + 4 }}" stroke="#888888"/>
<text x="{{ x }}" y="{{ timeline.bottom + 15 }}" text-anchor="middle">{{ text }}</text>
{% endfor %}
<line x1="{{ timeline.left }}" y1="{{ timeline.bottom }}" x2="{{ timeline.right }}" y2="{{ timeline.bottom }}" stroke="#888888"/>
{% for line in timeline.lines %}
{% for points in line.segments %}
<polyline data-code="{{ line.code }}" points="{{ points }}" fill="none" stroke="{{ line.colour }}" stroke-width="1.5"/>
{% endfor %}
{% for point in line.points %}
<circle data-code="{{ line.code }}" cx="{{ point.x }}" cy="{{ point.y }}" r="2.5" fill="{{ line.colour }}"><title>{{ point.label }}</title></circle>
{% endfor %}
{% endfor %}
</svg>
<div class="legend">{% for line in timeline.lines %}<span><i style="background: {{ line.colour }}"></i>{{ line.code }} {{ line.title }}{% if not line.points %}（不适用）{% endif %}</span>{% endfor %}<span>断开处：该日期不适用（无统计对象）</span></div>
{% endif %}

<h3>各{{ by }}覆盖率</h3>
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

{% if structure %}
<section id="structure">
<h2>组织体系</h2>
{% for result, tables in structure %}
{{ result_tables(tables) }}
{% endfor %}
</section>
{% endif %}

<section id="blindspots">
<h2>盲区</h2>
{% for result in blind_spots %}
<h3>{{ result.code }} {{ result.title_zh }}：{{ result.items | length }} 项</h3>
{% if result.items %}
<table>
{% set shown = result.items[:list_rows] %}
{% set details = shown | selectattr("detail") | list %}
<tr><th>类型</th><th>名称</th><th>编码</th><th>社区</th><th>街道</th><th>问题</th>{% if details %}<th>说明</th>{% endif %}</tr>
{% for item in shown %}
<tr><td>{{ kinds[item.label] }}</td><td>{{ item.name | masked }}</td><td>{{ item.id }}</td><td>{{ (item.community or "") | masked }}</td>
<td>{{ (item.street or "") | masked }}</td><td>{{ item.reason_zh }}</td>{% if details %}<td>{{ detail(item.detail) | masked }}</td>{% endif %}</tr>
{% endfor %}
</table>
{% if result.items | length > list_rows %}<p class="more">另有 {{ result.items | length - list_rows }} 项未列出（共 {{ result.items | length }} 项；完整清单：gridgraph audit {{ result.code }} --format xlsx）</p>{% endif %}
{% else %}
<p class="none">无</p>
{% endif %}
{% endfor %}
</section>

<section id="cross">
<h2>交叉任职</h2>
<table>
<tr><th>编号</th><th>问题</th><th>条数</th></tr>
{% for result, tables in cross %}
<tr><td>{{ result.code }}</td><td>{{ result.title_zh }}</td><td class="num">{{ tables[0].count if tables else 0 }}</td></tr>
{% endfor %}
</table>
{% for result, tables in cross %}
{{ result_tables(tables | selectattr("rows")) }}
{% endfor %}
</section>

{% if views %}
<section id="views">
<h2>网络视图</h2>
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
