"""What a hostile name can do to an output (issue 11, items 14–16): nothing.

Names here come from a graph built directly (ledgers refuse control characters at load), as a
snapshot or a Neo4j database might hold them.
"""

from __future__ import annotations

import networkx as nx
from click.testing import CliRunner

from gridgraph.cli import main
from gridgraph.export import export_graphml
from gridgraph.reports import render_tables
from graphmodel.snapshot import save_snapshot
from neo4j_fakes import tiny_graph
from queries.tables import Column, Table

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"           # writes to the clipboard
HTML = '<img src=x onerror=alert(1)><script>alert(2)</script>'
CONTROLS = "a\x00b\x01c\x0bd\x1be\x7ff\ud800g\ufffeh"   # none of these is allowed in XML 1.0


def _table(name: str) -> Table:
    return Table("T1", "名单", "List", [Column("name", "名称", "Name")], [{"name": name}])


def test_markdown_shows_html_as_text():
    text = render_tables([_table(HTML)], "md")
    assert "<img" not in text and "<script" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in text


def test_markdown_still_escapes_pipes_and_keeps_line_breaks():
    assert "| a\\|b<br>c |" in render_tables([_table("a|b\nc")], "md")


def test_the_terminal_table_shows_escape_sequences_instead_of_sending_them():
    text = render_tables([_table(f"幸福{OSC52}小区\u202e")], "table")
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "幸福␛]52;c;cm0gLXJmIH4=␇小区<U+202E>" in text


def test_stats_of_a_hostile_snapshot_sends_no_escape_sequence(tmp_path):
    graph = tiny_graph()
    graph.nx.nodes[("Street", "S1")]["name"] = f"和平{OSC52}街道"
    save_snapshot(graph, tmp_path / "g.json.gz")
    result = CliRunner().invoke(main, ["stats", str(tmp_path / "g.json.gz")])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "和平␛]52" in result.output


def test_graphml_holds_only_what_xml_allows_and_reads_back(tmp_path):
    graph = tiny_graph()
    graph.nx.nodes[("Compound", "XQ1")].update({"name": CONTROLS, "备注\x1b": CONTROLS})
    path = export_graphml(graph, tmp_path / "g.graphml")
    back = nx.read_graphml(path)
    name = back.nodes["Compound:XQ1"]["name"]
    assert name == "a\ufffdb\ufffdc\ufffdd\ufffde\x7ff\ufffdg\ufffdh"
    assert back.nodes["Compound:XQ1"]["备注\ufffd"] == name
