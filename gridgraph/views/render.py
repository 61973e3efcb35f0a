"""Render a view as one self-contained, offline, script-safe HTML file on pyvis' template.

pyvis 0.3.2's ``in_line`` mode inlines vis-network but still links Bootstrap from a CDN, renders
the heading twice, and fills its search menu and link pop-ups without escaping; its generic
filter bar (item / property / value) is left off for gridgraph's own controls: a search by name
or code, toggles per kind (the legend) and per blind-spot code, and a side panel per node.
This module renders pyvis' own template through a patched copy: every patch is an exact
replacement checked when the template loads, so a different pyvis fails loudly rather than
leaking a URL. The environment autoescapes, node data goes through ``tojson`` (which escapes
``<``, ``>``, ``&`` and ``'``), and tooltips are plain strings, which vis-network 9 shows with
``innerText``: a name from a spreadsheet is always text, never markup.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2

import queries

from graphmodel.atomic import atomic_write_bytes
from graphmodel.errors import GridgraphError
from graphmodel.words import Words
from .build import View
from .style import FONT_FACE, LABEL_FONT, MIN_LABEL_PX

__all__ = ["render_html", "write_view", "ViewRenderError"]

# Found, not imported: importing pyvis imports NetworkX and IPython's display hooks (0.5 s).
_PYVIS_TEMPLATES = Path(importlib.util.find_spec("pyvis").origin).parent / "templates"
_TEMPLATE_NAME = "gridgraph.html"

_HEAD = """
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ view_title }}</title>
<style>
  body { margin: 0; font-family: """ + FONT_FACE + """; font-size: 14px; color: #222; }
  #gg-header { padding: 6px 12px; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
               align-items: center; gap: 4px 16px; min-height: 52px; box-sizing: border-box; }
  #gg-header h1 { font-size: 18px; margin: 0; }
  #gg-header .gg-notes { color: #666; font-size: 12px; }
  #gg-search { width: 16em; padding: 3px 6px; font: inherit; }
  #gg-codes label { margin-right: 8px; white-space: nowrap; font-size: 12px; }
  /* The legend is a column of its own, left of the network, so it never hides a node. */
  #gg-legend { position: absolute; left: 0; top: 53px; bottom: 0; width: 200px; box-sizing: border-box; z-index: 5;
               border-right: 1px solid #ddd; padding: 6px 10px; font-size: 12px; line-height: 1.6; overflow-y: auto; }
  .card { margin-left: 200px; width: calc(100% - 200px) !important; }
  #gg-legend label { display: block; cursor: pointer; }
  #gg-change-legend { margin-bottom: 10px; padding-bottom: 6px; border-bottom: 1px solid #ddd; }
  #gg-legend .gg-glyph { display: inline-block; width: 1.3em; text-align: center; font-size: 15px; }
  #gg-panel { position: absolute; right: 12px; top: 64px; z-index: 6; width: 300px; max-height: calc(100vh - 90px);
              overflow-y: auto; background: #fff; border: 1px solid #bbb; border-radius: 4px; padding: 8px 12px;
              box-shadow: 0 2px 8px rgba(0,0,0,.15); font-size: 13px; }
  #gg-panel h2 { font-size: 15px; margin: 0 0 6px 0; padding-right: 1.5em; }
  #gg-panel h3 { font-size: 13px; margin: 8px 0 2px 0; color: #555; }
  #gg-panel ul { margin: 0; padding-left: 1.2em; }
  #gg-panel .gg-close { position: absolute; right: 8px; top: 4px; border: 0; background: none; font-size: 18px; cursor: pointer; }
  #gg-panel.gg-hidden { display: none; }
  #mynetwork { box-sizing: border-box; border: 0 !important; }
  body { overflow: hidden; }
  div.vis-tooltip { white-space: pre-line; font-family: """ + FONT_FACE + """; }
  @media print { #gg-search, #gg-codes, #gg-panel { display: none; } }
</style>
"""

_HEADER = """
<div id="gg-header">
  <h1>{{ view_title }}</h1>
  <span class="gg-notes">{{ view_notes | join(" · ") }}</span>
  <input id="gg-search" type="search" list="gg-names" placeholder="{{ words.search }}" autocomplete="off">
  <datalist id="gg-names"></datalist>
  <span id="gg-codes"></span>
</div>
<div id="gg-legend">
  {%- if change_legend %}
  <div id="gg-change-legend">
    {%- for entry in change_legend %}
    <div><span class="gg-glyph" style="color: {{ entry.colour }}">{{ entry.glyph }}</span>{{ entry.text }}</div>
    {%- endfor %}
  </div>
  {%- endif %}
  {%- for entry in legend %}
  {%- if entry.group %}
  <label><input type="checkbox" checked data-group="{{ entry.group }}"><span class="gg-glyph" style="color: {{ entry.colour }}">{{ entry.glyph }}</span>{{ entry.text }}</label>
  {%- else %}
  <div><span class="gg-glyph" style="color: {{ entry.colour }}">{{ entry.glyph }}</span>{{ entry.text }}</div>
  {%- endif %}
  {%- endfor %}
</div>
<div id="gg-panel" class="gg-hidden" role="dialog" aria-label="{{ words.details }}"></div>
<script>window.gridgraphCodeTitles = {{ code_titles | tojson }}; window.gridgraphWords = {{ words | tojson }};</script>
"""

# Runs after drawGraph(). Everything a name reaches is set with textContent or a form value, never
# innerHTML: a spreadsheet cell is always text.
_AFTER_DRAW = """
              window.gridgraphView = {firstDrawMs: null, frames: 0};
              network.on("afterDrawing", function () {
                  var view = window.gridgraphView;
                  if (view.firstDrawMs === null) { view.firstDrawMs = performance.now(); }
                  view.frames += 1;
              });
              gridgraphControls(network, nodes, """ + str(MIN_LABEL_PX) + """);
              // The header wraps when the filters are many: the legend and the network start below it.
              (function () {
                  var below = document.getElementById("gg-header").offsetHeight;
                  document.getElementById("gg-legend").style.top = below + "px";
                  document.getElementById("gg-panel").style.top = (below + 10) + "px";
                  document.getElementById("mynetwork").style.height = (window.innerHeight - below) + "px";
                  network.setSize("100%", (window.innerHeight - below) + "px");
              })();
              // Precomputed positions: show the whole network at once (vis fits only after physics).
              network.fit({animation: false});
"""

_CONTROLS = r"""
<script>
function gridgraphControls(network, nodes, minLabelPx) {
  var all = nodes.get();
  var baseFont = {};
  all.forEach(function (node) { baseFont[node.id] = (node.font && node.font.size) || """ + str(LABEL_FONT) + r"""; });

  // Structural nodes keep a readable label at every zoom; the others are drawn once legible.
  // Sizes go in steps of 20%, and at most once a frame, so a wheel zoom re-measures few labels.
  var growing = all.filter(function (node) { return node.tier === "grow"; });
  var shownSize = {}, pending = false;
  function sizeLabels() {
    var scale = network.getScale(), updates = [];
    growing.forEach(function (node) {
      var wanted = minLabelPx / scale / baseFont[node.id];
      var size = wanted <= 1 ? baseFont[node.id]
        : Math.ceil(baseFont[node.id] * Math.pow(1.2, Math.ceil(Math.log(wanted) / Math.log(1.2))));
      if (shownSize[node.id] !== size) {
        shownSize[node.id] = size;
        updates.push({id: node.id, font: Object.assign({}, node.font || {}, {size: size})});
      }
    });
    if (updates.length) { nodes.update(updates); }
  }
  function sizeLabelsSoon() {
    if (pending) { return; }
    pending = true;
    requestAnimationFrame(function () { pending = false; sizeLabels(); });
  }
  sizeLabels();
  network.on("zoom", sizeLabelsSoon);

  // A compound's cluster is shaded behind its shown nodes, so the picture reads compound by compound.
  var clusters = {};
  all.forEach(function (node) { if (node.cluster) { (clusters[node.cluster] = clusters[node.cluster] || []).push(node.id); } });
  if (Object.keys(clusters).length) {
    // Bounding boxes are measured while drawing: draw once more so the first shading fits them.
    network.once("afterDrawing", function () { network.redraw(); });
    network.on("beforeDrawing", function (context) {
      Object.keys(clusters).forEach(function (cluster) {
        var box = null;
        clusters[cluster].forEach(function (id) {
          var node = network.body.nodes[id];
          if (!node || node.options.hidden) { return; }
          var b = network.getBoundingBox(id);
          box = box ? {left: Math.min(box.left, b.left), top: Math.min(box.top, b.top),
                       right: Math.max(box.right, b.right), bottom: Math.max(box.bottom, b.bottom)} : b;
        });
        if (!box) { return; }
        context.beginPath();
        context.roundRect(box.left - 10, box.top - 10, box.right - box.left + 20, box.bottom - box.top + 20, 14);
        context.fillStyle = "rgba(44, 160, 44, 0.06)";
        context.strokeStyle = "rgba(44, 160, 44, 0.35)";
        context.fill();
        context.stroke();
      });
    });
  }

  // Search by name or code: the datalist offers "name · code · kind"; Enter focuses the first match.
  function named(node) { return node.label.replace(/\n/g, ""); }  // a long label is wrapped
  var names = document.getElementById("gg-names"), search = document.getElementById("gg-search");
  all.forEach(function (node) {
    var option = document.createElement("option");
    option.value = named(node) + " · " + node.code + " · " + node.kind;
    names.appendChild(option);
  });
  function find(text) {
    text = text.trim().toLowerCase();
    if (!text) { return null; }
    var exact = all.find(function (node) {
      return (named(node) + " · " + node.code + " · " + node.kind).toLowerCase() === text
        || node.code.toLowerCase() === text || named(node).toLowerCase() === text;
    });
    return exact || all.find(function (node) {
      return named(node).toLowerCase().indexOf(text) >= 0 || node.code.toLowerCase().indexOf(text) >= 0
        || node.title.split("\n")[0].toLowerCase().indexOf(text) >= 0;
    }) || null;
  }
  function focus(node) {
    unfold([node.id]);
    network.focus(node.id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    sizeLabels();  // a focus without animation emits no "zoom"
    network.selectNodes([node.id]);
    showPanel(node.id);
  }
  search.addEventListener("change", function () { var node = find(search.value); if (node) { focus(node); } });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { var node = find(search.value); if (node) { focus(node); } }
  });

  // Toggles: a kind (legend checkbox) hides or shows its nodes; codes (blind spots, and what is new or gone
  // in a comparison) dim every node that does not carry a ticked code.
  var hiddenGroups = {}, codes = {};
  all.forEach(function (node) { node.codes.forEach(function (code) { codes[code] = (codes[code] || 0) + 1; }); });
  var codeBox = document.getElementById("gg-codes");
  // Question order (C, X, B, S, each by number: B2 before B12), then a comparison's new/gone/renamed.
  function codeRank(code) {
    var match = /^([CXBS])(\d+)$/.exec(code);
    return match ? ["CXBS".indexOf(match[1]), +match[2]] : [4, 0];
  }
  Object.keys(codes).sort(function (a, b) {
    var x = codeRank(a), y = codeRank(b);
    return x[0] - y[0] || x[1] - y[1] || (a < b ? -1 : a > b ? 1 : 0);
  }).forEach(function (code) {
    var label = document.createElement("label"), box = document.createElement("input");
    box.type = "checkbox"; box.dataset.code = code;
    label.appendChild(box);
    var title = window.gridgraphCodeTitles[code];
    label.appendChild(document.createTextNode(" " + code + (title ? " " + title : "") + " (" + codes[code] + ")"));
    codeBox.appendChild(label);
  });
  if (Object.keys(codes).length) { codeBox.insertBefore(document.createTextNode(window.gridgraphWords.only), codeBox.firstChild); }
  function applyToggles() {
    var ticked = [].slice.call(codeBox.querySelectorAll("input:checked")).map(function (box) { return box.dataset.code; });
    nodes.update(all.map(function (node) {
      var shown = !ticked.length || node.codes.some(function (code) { return ticked.indexOf(code) >= 0; });
      return {id: node.id, hidden: !!hiddenGroups[node.legend] || (!showAll && !!folded[node.id]),
              opacity: shown ? 1 : 0.12};
    }));
  }
  // Folded nodes (a compound's buildings, the people not cross-appointed) wait for a click on what
  // they hang on, a search, or the unfold-all box.
  var folded = {}, showAll = false;
  all.forEach(function (node) { if (node.folded) { folded[node.id] = true; } });
  function unfold(ids) {
    ids.forEach(function (id) { delete folded[id]; });
    applyToggles();
  }
  if (Object.keys(folded).length) {
    var unfoldAll = document.createElement("label"), unfoldBox = document.createElement("input");
    unfoldBox.type = "checkbox"; unfoldBox.id = "gg-unfold";
    unfoldBox.addEventListener("change", function () { showAll = unfoldBox.checked; applyToggles(); });
    unfoldAll.appendChild(unfoldBox);
    unfoldAll.appendChild(document.createTextNode(" " + window.gridgraphWords.unfold.replace("{count}", Object.keys(folded).length)));
    document.getElementById("gg-header").appendChild(unfoldAll);
  }
  document.querySelectorAll("#gg-legend input[data-group]").forEach(function (box) {
    box.addEventListener("change", function () { hiddenGroups[box.dataset.group] = !box.checked; applyToggles(); });
  });
  codeBox.addEventListener("change", applyToggles);

  // A click opens the node's side panel: posts, contracts, blind spots and their reasons.
  var panel = document.getElementById("gg-panel");
  function showPanel(id) {
    var node = nodes.get(id);
    panel.textContent = "";
    var close = document.createElement("button");
    close.className = "gg-close"; close.textContent = "×"; close.title = window.gridgraphWords.close;
    close.addEventListener("click", function () { panel.classList.add("gg-hidden"); });
    panel.appendChild(close);
    var heading = document.createElement("h2");
    heading.textContent = node.title.split("\n")[0];
    panel.appendChild(heading);
    node.panel.forEach(function (section) {
      var title = document.createElement("h3"), list = document.createElement("ul");
      title.textContent = section[0];
      section[1].forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
      panel.appendChild(title);
      panel.appendChild(list);
    });
    panel.classList.remove("gg-hidden");
  }
  network.on("click", function (params) {
    if (params.nodes.length) {
      var id = params.nodes[0];
      var unfolded = network.getConnectedNodes(id).filter(function (other) { return folded[other]; });
      if (unfolded.length) {  // zoom to what just unfolded, so its labels can be read
        unfold(unfolded);
        network.fit({nodes: [id].concat(unfolded), animation: false});
        sizeLabels();
      }
      showPanel(id);
    } else { panel.classList.add("gg-hidden"); }
  });
  window.gridgraphView.search = function (text) { var node = find(text); if (node) { focus(node); } return node && node.id; };
}
</script>
"""

# (pyvis text, replacement, how many times it must occur)
_PATCHES = [
    ("<html>", '<!DOCTYPE html>\n<html lang="{{ html_lang }}">', 1),
    ('<meta charset="utf-8">', '<meta charset="utf-8">' + _HEAD, 1),
    # Bootstrap from a CDN: the only external references in the in_line branch.
    (re.compile(r'\s*<link\s+href="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>'), "", 1),
    (re.compile(r'\s*<script\s+src="https://cdn\.jsdelivr\.net/npm/bootstrap[^>]*>\s*</script>'), "", 1),
    # The heading appears twice; the header (title, notes, search, legend) replaces both.
    (re.compile(r"<center>\s*<h1>\{\{heading\}\}</h1>\s*</center>"), "", 2),
    ("<body>", "<body>" + _HEADER + _CONTROLS, 1),
    ("              drawGraph();\n", "              drawGraph();\n" + _AFTER_DRAW, 1),
]


#: The page's own words, in Chinese and English (``View.lang``).
_PAGE_WORDS = {"search": Words("搜索名称或编码，回车定位", "Name or code, then Enter"),
               "details": Words("节点详情", "Details of the node"), "only": Words("只看：", "Only: "),
               "unfold": Words("全部展开（另有 {count} 个楼栋、人员等）", "Unfold all ({count} more buildings, people …)"),
               "close": Words("关闭", "Close")}


class ViewRenderError(GridgraphError):
    """The installed pyvis template is not the one this renderer knows how to make safe."""


def render_html(view: View) -> str:
    """The view as one HTML document with every script and style inline and no external URL."""
    options = {
        # Labels under 8 px are not drawn: a detail's name appears once the planner zooms in to read it.
        "nodes": {"font": {"face": FONT_FACE, "size": LABEL_FONT},
                  "scaling": {"label": {"drawThreshold": 9}}},
        # Straight edges: pyvis' default "dynamic" curves add a simulated point per edge.
        "edges": {"smooth": False, "width": 1.5, "selectionWidth": 2,
                  "font": {"face": FONT_FACE, "size": 11, "color": "#333333", "strokeWidth": 3, "align": "middle"},
                  "scaling": {"label": {"drawThreshold": 9}}},
        "layout": {"improvedLayout": False, "randomSeed": 1},
        "interaction": {"hover": False, "tooltipDelay": 150, "navigationButtons": False,
                        "hideEdgesOnDrag": len(view.edges) > 1000, "hideEdgesOnZoom": len(view.edges) > 1000},
        "physics": {"enabled": view.physics, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -3000, "springLength": 90},
                    "stabilization": {"enabled": view.physics, "iterations": 300, "fit": True}},
    }
    return _template().render(
        # pyvis' own variables; the link pop-up and DOT modes stay off (they use innerHTML).
        height="calc(100vh - 53px)", width="100%", nodes=view.nodes, edges=view.edges, heading="",
        options=json.dumps(options), physics_enabled=view.physics, use_DOT=False, dot_lang="",
        widget=False, bgcolor="#ffffff", conf=False, tooltip_link=False,
        neighborhood_highlight=False, select_menu=False, filter_menu=False, notebook=False,
        cdn_resources="in_line",
        # gridgraph's header
        view_title=view.title, view_notes=view.notes, legend=view.legend, change_legend=view.change_legend,
        code_titles={code: question.title_zh if view.lang == "zh" else question.title_en
                     for code, question in queries.QUESTIONS.items()},
        words={name: words.text(view.lang) for name, words in _PAGE_WORDS.items()},
        html_lang="zh-CN" if view.lang == "zh" else "en",
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
            raise ViewRenderError(f"pyvis {importlib.metadata.version('pyvis')} template: expected {count} of {shown!r}, "
                                  f"found {found}", hint="gridgraph's views are made for pyvis 0.3.2")
        source = old.sub(new, source) if isinstance(old, re.Pattern) else source.replace(old, new)
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.DictLoader({_TEMPLATE_NAME: source}),
                                    jinja2.FileSystemLoader(str(_PYVIS_TEMPLATES))]),
        autoescape=True)
    return environment.get_template(_TEMPLATE_NAME)
