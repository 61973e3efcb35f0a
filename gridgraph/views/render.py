"""Render a view as one self-contained, offline, script-safe HTML file on pyvis' template.

pyvis 0.3.2's ``in_line`` mode inlines vis-network and tom-select but still links Bootstrap from
a CDN, renders the heading twice, and fills its search menu and link pop-ups without escaping.
This module renders pyvis' own template through a patched copy: every patch is an exact
replacement checked when the template loads, so a different pyvis fails loudly rather than
leaking a URL. The environment autoescapes, node data goes through ``tojson`` (which escapes
``<``, ``>``, ``&`` and ``'``), and tooltips are plain strings, which vis-network 9 shows with
``innerText``: a name from a spreadsheet is always text, never markup.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import pyvis

from graphmodel.atomic import atomic_write_bytes
from graphmodel.errors import GridgraphError
from .build import View
from .style import FONT_FACE

__all__ = ["render_html", "write_view", "ViewRenderError"]

_PYVIS_TEMPLATES = Path(pyvis.__file__).parent / "templates"
_TEMPLATE_NAME = "gridgraph.html"

_HEAD = """
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ view_title }}</title>
<style>
  body { margin: 0; font-family: """ + FONT_FACE + """; font-size: 14px; color: #222; }
  #gg-header { padding: 6px 12px; border-bottom: 1px solid #ddd; }
  #gg-header h1 { font-size: 18px; margin: 0 0 2px 0; }
  #gg-header .gg-notes { color: #666; font-size: 12px; }
  #gg-legend { position: absolute; right: 16px; top: 150px; z-index: 5; background: rgba(255,255,255,.92);
               border: 1px solid #ccc; border-radius: 4px; padding: 6px 10px; font-size: 12px; line-height: 1.6; }
  #gg-legend .gg-glyph { display: inline-block; width: 1.3em; text-align: center; font-size: 15px; }
  /* What pyvis' menus took from Bootstrap, which is not inlined. */
  .card { position: relative; }
  .card-header { padding: 6px 12px; background: #f7f7f7; border-bottom: 1px solid #ddd; }
  .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
  .col-1 { flex: 0 0 7%; } .col-2 { flex: 0 0 14%; } .col-3 { flex: 0 0 22%; } .col-10 { flex: 1 1 70%; }
  .form-select { width: 100%; }
  .btn { padding: 4px 10px; border: 1px solid #0d6efd; border-radius: 4px; background: #0d6efd;
         color: #fff; cursor: pointer; font: inherit; }
  .btn-block { width: 100%; }
  #mynetwork { box-sizing: border-box; }
  div.vis-tooltip { white-space: pre-line; font-family: """ + FONT_FACE + """; }
</style>
"""

_HEADER = """
<div id="gg-header">
  <h1>{{ view_title }}</h1>
  <div class="gg-notes">{{ view_notes | join(" · ") }}</div>
</div>
<div id="gg-legend">
  {%- for entry in legend %}
  <div><span class="gg-glyph" style="color: {{ entry.colour }}">{{ entry.glyph }}</span>{{ entry.text }}</div>
  {%- endfor %}
</div>
"""

# Runs after drawGraph(): records when the first frame was drawn (tests and benchmarks read it).
_AFTER_DRAW = """
              // Precomputed positions: show the whole network at once (vis fits only after physics).
              network.fit({animation: false});
              window.gridgraphView = {firstDrawMs: null, frames: 0};
              network.on("afterDrawing", function () {
                  var view = window.gridgraphView;
                  if (view.firstDrawMs === null) { view.firstDrawMs = performance.now(); }
                  view.frames += 1;
              });
"""

# (pyvis text, replacement, how many times it must occur)
_PATCHES = [
    ("<html>", '<!DOCTYPE html>\n<html lang="zh-CN">', 1),
    ('<meta charset="utf-8">', '<meta charset="utf-8">' + _HEAD, 1),
    # Bootstrap from a CDN: the only external references in the in_line branch.
    (re.compile(r'\s*<link\s+href="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>'), "", 1),
    (re.compile(r'\s*<script\s+src="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>\s*</script>'), "", 1),
    # The heading appears twice; the header (title, notes, legend) replaces both.
    (re.compile(r"<center>\s*<h1>\{\{heading\}\}</h1>\s*</center>"), "", 2),
    ("<body>", "<body>" + _HEADER, 1),
    # Search by name: options show the node's label and kind, not its internal id.
    ('<option value="{{ node.id }}">{{node.id}}</option>',
     '<option value="{{ node.id }}">{{ node.label }} · {{ node["类别"] }}</option>', 1),
    ("<option selected>Select a Node by ID</option>", '<option value="" selected>搜索节点（名称）</option>', 1),
    ('placeholder="Select node..."', 'placeholder="搜索节点（名称）"', 1),
    (">Reset Selection</button>", ">重置</button>", 2),
    ('<option value="">Select a network item</option>', '<option value="">筛选对象</option>', 1),
    ('<option value="edge">edge</option>', '<option value="edge">关系 edge</option>', 1),
    ('<option value="node">node</option>', '<option value="node">节点 node</option>', 1),
    ('<option value="">Select a property...</option>', '<option value="">属性（如 类别）</option>', 1),
    ('<option value="">Select value(s)...</option>', '<option value="">取值</option>', 1),
    ('onclick="highlightFilter(filter);">Filter</button>', 'onclick="highlightFilter(filter);">筛选</button>', 1),
    ("              drawGraph();\n", "              drawGraph();\n" + _AFTER_DRAW, 1),
]


class ViewRenderError(GridgraphError):
    """The installed pyvis template is not the one this renderer knows how to make safe."""


def render_html(view: View) -> str:
    """The view as one HTML document with every script and style inline and no external URL."""
    options = {
        "nodes": {"font": {"face": FONT_FACE, "size": 14}},
        # Straight edges: pyvis' default "dynamic" curves add a simulated point per edge.
        "edges": {"smooth": False, "width": 1, "selectionWidth": 2},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": False, "tooltipDelay": 150, "navigationButtons": False,
                        "hideEdgesOnDrag": len(view.edges) > 1000, "hideEdgesOnZoom": len(view.edges) > 1000},
        "physics": {"enabled": view.physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 90},
                    "stabilization": {"enabled": view.physics, "iterations": 300, "fit": True}},
    }
    return _template().render(
        # pyvis' own variables; the link pop-up and DOT modes stay off (they use innerHTML).
        height="calc(100vh - 175px)", width="100%", nodes=view.nodes, edges=view.edges, heading="",
        options=json.dumps(options), physics_enabled=view.physics, use_DOT=False, dot_lang="",
        widget=False, bgcolor="#ffffff", conf=False, tooltip_link=False,
        neighborhood_highlight=False, select_menu=True, filter_menu=True, notebook=False,
        cdn_resources="in_line",
        # gridgraph's header
        view_title=view.title, view_notes=view.notes, legend=view.legend,
    )


def write_view(view: View, path: str | os.PathLike, *, inputs=()) -> Path:
    """Render ``view`` and write it to ``path`` as UTF-8, atomically; returns the path.

    ``inputs``: what the view was drawn from, which ``path`` must not be.
    """
    return atomic_write_bytes(path, render_html(view).encode("utf-8"), inputs=inputs)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    source = (_PYVIS_TEMPLATES / "template.html").read_text(encoding="utf-8")
    for old, new, count in _PATCHES:
        found = len(old.findall(source)) if isinstance(old, re.Pattern) else source.count(old)
        if found != count:
            shown = old.pattern if isinstance(old, re.Pattern) else old
            raise ViewRenderError(f"pyvis {pyvis.__version__} template: expected {count} of {shown!r}, "
                                  f"found {found}", hint="gridgraph's views are made for pyvis 0.3.2")
        source = old.sub(new, source) if isinstance(old, re.Pattern) else source.replace(old, new)
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.DictLoader({_TEMPLATE_NAME: source}),
                                    jinja2.FileSystemLoader(str(_PYVIS_TEMPLATES))]),
        autoescape=True)
    return environment.get_template(_TEMPLATE_NAME)
