"""Issue 29 (hardening, round two), the findings that need no live server: each test failed on
the code before its fix."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from click.testing import CliRunner

from graphmodel import save_snapshot
from gridgraph.cli import main

from test_views import small_city


def gridgraph(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.output


# -- finding 9: a report's file name becomes a link ---------------------------------------------
def test_links_to_the_views_are_relative_percent_encoded_and_never_a_scheme(tmp_path):
    snapshot = save_snapshot(small_city().graph, tmp_path / "city.json.gz")
    out = tmp_path / "javascript:alert(1)#?.html"
    code, output = gridgraph("report", snapshot, "--scope", "SQ1", "--as-of", "2026-06-30", "-o", out)
    assert code == 0, output
    links = re.findall(r'<a href="([^"]+)">', out.read_text(encoding="utf-8"))
    assert links == ["./javascript%3Aalert%281%29%23%3F-overview.html",
                     "./javascript%3Aalert%281%29%23%3F-hierarchy.html",
                     "./javascript%3Aalert%281%29%23%3F-people.html",
                     "./javascript%3Aalert%281%29%23%3F-community.html"]
    assert all((tmp_path / unquote(link)).is_file() for link in links)
